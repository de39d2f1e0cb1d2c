//! Issue 14, first part: `wallet import`, `export-key`, `export-chain`, `replace` and
//! `add-self-signed` against orapki's `import_pkcs12` / `import_private_key`,
//! `export_private_key`, `export_trust_chain`, `replace` and `add -self_signed`: the same
//! operation by both tools on the same inputs, each tool reading the other's result, for
//! both releases. Expected values (fingerprints, public keys, serials) come from openssl
//! run on the inputs the test made.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::peers::{RELEASES, Release, orapki, sha256_file};
use crate::support::{mode_of, openssl, orakit, run, run_fails, run_ok, stdout, walletcheck};

const WPW: &str = "ParityWallet2026pw";
const P12PW: &str = "ParityPfx2026pw";
const KEYPW: &str = "ParityKey2026pw";

fn sh(cmd: &mut Command) -> String {
    stdout(&run_ok(cmd))
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A root, an intermediate and a server certificate made by openssl, with their files.
struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn new(dir: &Path) -> Pki {
        let d = dir.to_path_buf();
        let f = |n: &str| d.join(n);
        std::fs::write(
            f("ca.ext"),
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
        )
        .unwrap();
        std::fs::write(
            f("leaf.ext"),
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n\
             extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .unwrap();
        run_ok(
            openssl()
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                ])
                .args([
                    "-subj",
                    "/CN=Parity Root/O=Parity",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                    "-keyout",
                    p(&f("root.key")),
                    "-out",
                    p(&f("root.pem")),
                ]),
        );
        let pki = Pki { dir: d.clone() };
        pki.issue(
            "int",
            "/CN=Parity Int/O=Parity",
            "root",
            "ca.ext",
            "rsa:2048",
        );
        pki.issue(
            "leaf",
            "/CN=localhost/O=Parity",
            "int",
            "leaf.ext",
            "rsa:2048",
        );
        let chain = [
            std::fs::read_to_string(f("int.pem")).unwrap(),
            std::fs::read_to_string(f("root.pem")).unwrap(),
        ]
        .concat();
        std::fs::write(f("chain.pem"), chain).unwrap();
        pki
    }

    fn f(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A key `name.key` and `name.pem` signed by `ca`.
    fn issue(&self, name: &str, subj: &str, ca: &str, ext: &str, key: &str) {
        let f = |n: &str| p(&self.dir.join(n)).to_owned();
        let newkey: Vec<&str> = match key {
            "p256" => vec!["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            other => vec!["-newkey", other],
        };
        run_ok(
            openssl()
                .arg("req")
                .args(newkey)
                .args(["-nodes", "-subj", subj])
                .args([
                    "-keyout",
                    &f(&format!("{name}.key")),
                    "-out",
                    &f(&format!("{name}.csr")),
                ]),
        );
        self.sign(&format!("{name}.csr"), name, ca, ext);
    }

    fn sign(&self, csr: &str, out: &str, ca: &str, ext: &str) {
        let f = |n: &str| p(&self.dir.join(n)).to_owned();
        run_ok(
            openssl()
                .args(["x509", "-req", "-days", "20", "-CAcreateserial"])
                .args([
                    "-in",
                    &f(csr),
                    "-CA",
                    &f(&format!("{ca}.pem")),
                    "-CAkey",
                    &f(&format!("{ca}.key")),
                    "-extfile",
                    &f(ext),
                    "-out",
                    &f(&format!("{out}.pem")),
                ]),
        );
    }
}

/// SHA-1 fingerprint of a PEM certificate, as orapki prints it (`AB:CD:...`): 19c's
/// `display -complete` shows only MD5 and SHA-1 ("SHA digest:").
fn fingerprint(cert: &Path) -> String {
    let out = sh(openssl().args(["x509", "-noout", "-fingerprint", "-sha1", "-in", p(cert)]));
    out.trim().rsplit('=').next().unwrap().to_uppercase()
}

fn colon_hex(lower: &str) -> String {
    lower
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap().to_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// The public key of a private or public key file, as openssl writes it.
fn public_key(key: &Path, password: Option<&str>) -> String {
    let mut cmd = openssl();
    cmd.args(["pkey", "-pubout", "-in", p(key)]);
    if let Some(pw) = password {
        cmd.args(["-passin", &format!("pass:{pw}")]);
    }
    sh(&mut cmd)
}

fn orakit_create(wallet: &Path) {
    run_ok(
        orakit()
            .args([
                "wallet",
                "create",
                "--password-env",
                "WPW",
                "--wallet",
                p(wallet),
            ])
            .env("WPW", WPW),
    );
}

fn orapki_create(release: Release, wallet: &Path) {
    orapki(
        release,
        &[
            "wallet",
            "create",
            "-wallet",
            p(wallet),
            "-pwd",
            WPW,
            "-nologo",
        ],
    )
    .ok();
}

/// (user, trusted) SHA-1 fingerprints as orapki `display -complete` lists them.
fn orapki_fingerprints(release: Release, wallet: &Path) -> (Vec<String>, Vec<String>) {
    let shown = orapki(
        release,
        &[
            "wallet",
            "display",
            "-wallet",
            p(wallet),
            "-pwd",
            WPW,
            "-complete",
            "-nologo",
        ],
    )
    .ok();
    let text = shown.body();
    let user_part = text
        .split("User Certificates:")
        .nth(1)
        .and_then(|t| t.split("Trusted Certificates:").next())
        .unwrap_or_default();
    let trusted_part = text
        .split("Trusted Certificates:")
        .nth(1)
        .unwrap_or_default();
    let digests = |t: &str| {
        let mut v: Vec<String> = t
            .lines()
            .filter_map(|l| {
                l.strip_prefix("SHA-1 digest:")
                    .or_else(|| l.strip_prefix("SHA digest:"))
            })
            .map(|d| d.trim().to_owned())
            .collect();
        v.sort();
        v
    };
    (digests(user_part), digests(trusted_part))
}

/// (user, trusted) SHA-1 fingerprints as orakit `display --json` reports them.
fn orakit_fingerprints(wallet: &Path) -> (Vec<String>, Vec<String>) {
    let out = run_ok(
        orakit()
            .args([
                "wallet",
                "display",
                "--json",
                "--password-env",
                "WPW",
                "--wallet",
            ])
            .arg(wallet.join("ewallet.p12"))
            .env("WPW", WPW),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = |key: &str| {
        let mut v: Vec<String> = json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| colon_hex(c["sha1_fingerprint"].as_str().unwrap()))
            .collect();
        v.sort();
        v
    };
    (list("user_certificates"), list("trusted_certificates"))
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The bag layout walletcheck (the independent decoder) reads: bag type, localKeyId kind
/// and the certificate's or request's subject, in file order.
fn layout(wallet: &Path) -> Vec<String> {
    // `../shared/tools` beside the checkout, or $WALLETCHECK (a worktree elsewhere).
    let tool = walletcheck()
        .or_else(|| std::env::var_os("WALLETCHECK").map(PathBuf::from))
        .expect("walletcheck.py is needed: put the shared folder beside the checkout or set WALLETCHECK");
    let out = run_ok(
        Command::new("python3")
            .arg(tool)
            .args(["--json", "--password-env", "WPW"])
            .arg(wallet.join("ewallet.p12"))
            .env("WPW", WPW),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["files"][0]["pkcs12"]["bags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let subject = b["cert"]["subject"]
                .as_str()
                .or_else(|| b["secret"]["request_subject"].as_str())
                .unwrap_or("");
            format!(
                "{} kind {} {subject}",
                b["type"].as_str().unwrap(),
                b["local_key_id_fields"]["kind"]
            )
        })
        .collect()
}

fn orakit_import_p12(wallet: &Path, p12: &Path) {
    run_ok(
        orakit()
            .args([
                "wallet",
                "import",
                "--password-env",
                "WPW",
                "--pkcs12-password-env",
                "PPW",
            ])
            .args(["--wallet", p(wallet), "--pkcs12", p(p12)])
            .env("WPW", WPW)
            .env("PPW", P12PW),
    );
}

/// PKCS#12 files of the common layouts, all holding leaf key + leaf + int + root.
fn pkcs12_layouts(pki: &Pki) -> Vec<(&'static str, PathBuf)> {
    let export = |name: &str, extra: &[&str]| {
        let out = pki.f(&format!("{name}.p12"));
        run_ok(openssl().args(["pkcs12", "-export"]).args(extra).args([
            "-inkey",
            p(&pki.f("leaf.key")),
            "-in",
            p(&pki.f("leaf.pem")),
            "-certfile",
            p(&pki.f("chain.pem")),
            "-passout",
            &format!("pass:{P12PW}"),
            "-out",
            p(&out),
        ]));
        out
    };
    let aes = export("openssl-aes", &["-name", "server"]);
    let legacy = export("openssl-legacy", &["-legacy"]);
    let windows = export(
        "windows",
        &[
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    );
    // Java's own PKCS12 encoding (PBES2 AES-256, HmacSHA256 MAC): keytool rewrites the file.
    let java = pki.f("java.p12");
    run_ok(
        Command::new("keytool")
            .args(["-importkeystore", "-noprompt"])
            .args([
                "-srckeystore",
                p(&aes),
                "-srcstoretype",
                "PKCS12",
                "-srcstorepass",
                P12PW,
                "-destkeystore",
                p(&java),
                "-deststoretype",
                "PKCS12",
                "-deststorepass",
                P12PW,
            ]),
    );
    vec![
        ("openssl-aes", aes),
        ("openssl-legacy", legacy),
        ("windows-3des", windows),
        ("java-keytool", java),
    ]
}

#[test]
fn import_pkcs12_matches_orapki_import_pkcs12() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let want_user = vec![fingerprint(&pki.f("leaf.pem"))];
    let want_trusted = sorted(vec![
        fingerprint(&pki.f("int.pem")),
        fingerprint(&pki.f("root.pem")),
    ]);
    let layouts = pkcs12_layouts(&pki);
    for release in RELEASES {
        // orapki imports the OpenSSL file; orakit reads orapki's wallet the same.
        let by_orapki = dir.path().join(format!("orapki-{}", release.name()));
        orapki_create(release, &by_orapki);
        orapki(
            release,
            &[
                "wallet",
                "import_pkcs12",
                "-wallet",
                p(&by_orapki),
                "-pwd",
                WPW,
                "-pkcs12file",
                p(&layouts[0].1),
                "-pkcs12pwd",
                P12PW,
                "-nologo",
            ],
        )
        .ok();
        assert_eq!(
            orakit_fingerprints(&by_orapki),
            (want_user.clone(), want_trusted.clone())
        );
        // orakit imports each layout, and orapki's own ewallet.p12; orapki reads each.
        let theirs = layout(&by_orapki);
        let mut sources = layouts.clone();
        sources.push(("orapki-ewallet", by_orapki.join("ewallet.p12")));
        for (name, source) in &sources {
            let run_p12 = |p12: &Path, pw: &str| {
                let w = dir.path().join(format!("orakit-{name}-{}", release.name()));
                orakit_create(&w);
                run_ok(
                    orakit()
                        .args(["wallet", "import", "--password-env", "WPW"])
                        .args(["--pkcs12-password-env", "PPW", "--json"])
                        .args(["--wallet", p(&w), "--pkcs12", p(p12)])
                        .env("WPW", WPW)
                        .env("PPW", pw),
                );
                w
            };
            let w = if *name == "orapki-ewallet" {
                run_p12(source, WPW)
            } else {
                run_p12(source, P12PW)
            };
            assert_eq!(
                orapki_fingerprints(release, &w),
                (want_user.clone(), want_trusted.clone()),
                "{name} imported by orakit, read by orapki {}",
                release.name()
            );
            // Same bag layout as orapki's import_pkcs12: key, root, int, user certificate.
            assert_eq!(layout(&w), theirs, "{name}: layout differs from orapki's");
        }
    }
}

/// An encrypted PKCS#8 key + certificate + chain: orapki import_private_key and orakit
/// import of the same files, each read by the other tool; orakit also takes PKCS#1,
/// plain PKCS#8 and SEC1 (EC) keys, which orapki then reads.
#[test]
fn import_pem_key_matches_orapki_import_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    pki.issue(
        "ec",
        "/CN=ec.parity.example/O=Parity",
        "int",
        "leaf.ext",
        "p256",
    );
    let f = |n: &str| pki.f(n);
    let enc = f("leaf.enc.key");
    run_ok(
        openssl()
            .args([
                "pkcs8",
                "-topk8",
                "-v2",
                "aes-256-cbc",
                "-in",
                p(&f("leaf.key")),
            ])
            .args(["-passout", &format!("pass:{KEYPW}"), "-out", p(&enc)]),
    );
    let pkcs1 = f("leaf.pkcs1.key");
    run_ok(openssl().args([
        "rsa",
        "-traditional",
        "-in",
        p(&f("leaf.key")),
        "-out",
        p(&pkcs1),
    ]));
    let sec1 = f("ec.sec1.key");
    run_ok(openssl().args(["ec", "-in", p(&f("ec.key")), "-out", p(&sec1)]));
    let trusted = sorted(vec![
        fingerprint(&f("int.pem")),
        fingerprint(&f("root.pem")),
    ]);
    for release in RELEASES {
        let by_orapki = dir.path().join(format!("orapki-{}", release.name()));
        orapki_create(release, &by_orapki);
        orapki(
            release,
            &[
                "wallet",
                "import_private_key",
                "-wallet",
                p(&by_orapki),
                "-pwd",
                WPW,
                "-pvtkeyfile",
                p(&enc),
                "-pvtkeypwd",
                KEYPW,
                "-cert",
                p(&f("leaf.pem")),
                "-cacert",
                p(&f("chain.pem")),
                "-nologo",
            ],
        )
        .ok();
        // orapki keeps only the first certificate of -cacert (the intermediate).
        assert_eq!(
            orakit_fingerprints(&by_orapki),
            (
                vec![fingerprint(&f("leaf.pem"))],
                vec![fingerprint(&f("int.pem"))]
            )
        );
        for (name, key, cert) in [
            ("pkcs8-encrypted", &enc, f("leaf.pem")),
            ("pkcs8-plain", &f("leaf.key"), f("leaf.pem")),
            ("pkcs1", &pkcs1, f("leaf.pem")),
            ("sec1-ec", &sec1, f("ec.pem")),
        ] {
            let w = dir.path().join(format!("orakit-{name}-{}", release.name()));
            orakit_create(&w);
            run_ok(
                orakit()
                    .args([
                        "wallet",
                        "import",
                        "--password-env",
                        "WPW",
                        "--key-password-env",
                        "KPW",
                    ])
                    .args(["--wallet", p(&w), "--key", p(key), "--cert", p(&cert)])
                    .args(["--chain", p(&f("chain.pem"))])
                    .env("WPW", WPW)
                    .env("KPW", KEYPW),
            );
            assert_eq!(
                orapki_fingerprints(release, &w),
                (vec![fingerprint(&cert)], trusted.clone()),
                "{name} imported by orakit, read by orapki {}",
                release.name()
            );
            if name == "pkcs8-encrypted" {
                // orapki's import_private_key layout: key, request, CA certificates, user
                // certificate (orakit adds the root orapki drops).
                let ours = layout(&w);
                let theirs = layout(&by_orapki);
                assert_eq!(ours[..2], theirs[..2], "key and request");
                assert_eq!(ours.last(), theirs.last(), "user certificate last");
            }
        }
    }
}

#[test]
fn export_key_matches_orapki_export_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let want = public_key(&pki.f("leaf.key"), None);
    let p12 = &pkcs12_layouts(&pki)[0].1;
    let ours = dir.path().join("orakit-wallet");
    orakit_create(&ours);
    orakit_import_p12(&ours, p12);
    for release in RELEASES {
        // orapki exports the key of orakit's wallet (alias = orakit's friendly name).
        let out = dir.path().join(format!("by-orapki-{}.key", release.name()));
        orapki(
            release,
            &[
                "wallet",
                "export_private_key",
                "-wallet",
                p(&ours),
                "-pwd",
                WPW,
                "-alias",
                "orakey",
                "-pvtkeyfile",
                p(&out),
                "-pvtkeypwd",
                KEYPW,
                "-nologo",
            ],
        )
        .ok();
        assert_eq!(
            public_key(&out, Some(KEYPW)),
            want,
            "orapki {}",
            release.name()
        );
        // orakit exports the key of orapki's wallet.
        let theirs = dir.path().join(format!("orapki-{}", release.name()));
        orapki_create(release, &theirs);
        orapki(
            release,
            &[
                "wallet",
                "import_pkcs12",
                "-wallet",
                p(&theirs),
                "-pwd",
                WPW,
                "-pkcs12file",
                p(p12),
                "-pkcs12pwd",
                P12PW,
                "-nologo",
            ],
        )
        .ok();
        let key = dir.path().join(format!("by-orakit-{}.key", release.name()));
        let export = |force: bool| {
            let mut cmd = orakit();
            cmd.args([
                "wallet",
                "export-key",
                "--password-env",
                "WPW",
                "--key-password-env",
                "KPW",
            ])
            .args(["--wallet", p(&theirs), "--out", p(&key)])
            .env("WPW", WPW)
            .env("KPW", KEYPW);
            if force {
                cmd.arg("--force");
            }
            cmd
        };
        run_ok(&mut export(false));
        let text = std::fs::read_to_string(&key).unwrap();
        assert!(
            text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            "{text}"
        );
        assert_eq!(mode_of(&key), 0o600);
        assert_eq!(public_key(&key, Some(KEYPW)), want);
        let parsed = sh(openssl().args(["asn1parse", "-in", p(&key)]));
        assert!(
            parsed.contains("PBES2") && parsed.contains("aes-256-cbc"),
            "{parsed}"
        );
        let before = sha256_file(&key);
        // The same export again is a no-op (scripting contract): the file holds that key
        // under that password, so nothing is written.
        let again = run_ok(&mut export(false));
        let said = String::from_utf8_lossy(&again.stderr);
        assert!(said.contains("nothing changed"), "{said}");
        assert_eq!(sha256_file(&key), before);
        // Another key password: not what the file holds, refused without --force.
        let err = run_fails(export(false).env("KPW", "AnotherKey2026pw"), 1);
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{err}"
        );
        assert_eq!(sha256_file(&key), before);
        run_ok(&mut export(true));
        // --unencrypted writes PRIVATE KEY, still 0600.
        let clear = dir.path().join(format!("clear-{}.key", release.name()));
        run_ok(
            orakit()
                .args([
                    "wallet",
                    "export-key",
                    "--unencrypted",
                    "--password-env",
                    "WPW",
                ])
                .args(["--wallet", p(&theirs), "--out", p(&clear)])
                .env("WPW", WPW),
        );
        assert!(
            std::fs::read_to_string(&clear)
                .unwrap()
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        assert_eq!(mode_of(&clear), 0o600);
        assert_eq!(public_key(&clear, None), want);
    }
}

/// The certificates of a PEM bundle or of orapki's PKCS#7 (PEM-armoured under the label
/// CERTIFICATE, which openssl reads once the label says PKCS7), as fingerprints.
fn bundle_fingerprints(file: &Path, pkcs7: bool) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let split = file.with_extension("split");
    let pem = if pkcs7 {
        let relabelled = text
            .replace("BEGIN CERTIFICATE", "BEGIN PKCS7")
            .replace("END CERTIFICATE", "END PKCS7");
        std::fs::write(&split, relabelled).unwrap();
        sh(openssl().args(["pkcs7", "-print_certs", "-in", p(&split)]))
    } else {
        text
    };
    let mut out = Vec::new();
    for (i, block) in pem.split("-----END CERTIFICATE-----").enumerate() {
        if let Some(at) = block.find("-----BEGIN CERTIFICATE-----") {
            let one = dir_file(file, &format!("c{i}.pem"));
            std::fs::write(&one, format!("{}-----END CERTIFICATE-----\n", &block[at..])).unwrap();
            out.push(fingerprint(&one));
        }
    }
    out.sort();
    out
}

fn dir_file(near: &Path, name: &str) -> PathBuf {
    near.with_file_name(format!(
        "{}-{name}",
        near.file_name().unwrap().to_str().unwrap()
    ))
}

#[test]
fn export_chain_matches_orapki_export_trust_chain() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let want = sorted(vec![
        fingerprint(&pki.f("int.pem")),
        fingerprint(&pki.f("root.pem")),
    ]);
    let p12 = &pkcs12_layouts(&pki)[0].1;
    let ours = dir.path().join("orakit-wallet");
    orakit_create(&ours);
    orakit_import_p12(&ours, p12);
    for release in RELEASES {
        let theirs = dir.path().join(format!("orapki-{}", release.name()));
        orapki_create(release, &theirs);
        orapki(
            release,
            &[
                "wallet",
                "import_pkcs12",
                "-wallet",
                p(&theirs),
                "-pwd",
                WPW,
                "-pkcs12file",
                p(p12),
                "-pkcs12pwd",
                P12PW,
                "-nologo",
            ],
        )
        .ok();
        for (label, wallet) in [("orakit", &ours), ("orapki", &theirs)] {
            let by_orapki = dir
                .path()
                .join(format!("{label}-{}.orapki-chain", release.name()));
            orapki(
                release,
                &[
                    "wallet",
                    "export_trust_chain",
                    "-wallet",
                    p(wallet),
                    "-pwd",
                    WPW,
                    "-certchain",
                    p(&by_orapki),
                    "-dn",
                    "O=Parity,CN=localhost",
                    "-nologo",
                ],
            )
            .ok();
            assert_eq!(
                bundle_fingerprints(&by_orapki, true),
                want,
                "orapki on {label}'s wallet"
            );
            let pem = dir.path().join(format!("{label}-{}.pem", release.name()));
            let p7 = dir.path().join(format!("{label}-{}.p7", release.name()));
            for (out, format) in [(&pem, "pem"), (&p7, "pkcs7")] {
                run_ok(
                    orakit()
                        .args(["wallet", "export-chain", "--password-env", "WPW"])
                        .args(["--wallet", p(wallet), "--out", p(out), "--format", format])
                        .env("WPW", WPW),
                );
            }
            assert_eq!(
                bundle_fingerprints(&pem, false),
                want,
                "orakit pem on {label}'s wallet"
            );
            // The PKCS#7 is orapki's structure byte for byte (the same SignedData DER).
            let der = |file: &Path, relabel: bool| {
                let src = if relabel {
                    let t = std::fs::read_to_string(file)
                        .unwrap()
                        .replace("CERTIFICATE", "PKCS7");
                    let s = file.with_extension("relabelled");
                    std::fs::write(&s, t).unwrap();
                    s
                } else {
                    file.to_path_buf()
                };
                run_ok(openssl().args(["pkcs7", "-outform", "DER", "-in", p(&src)])).stdout
            };
            assert_eq!(
                der(&p7, false),
                der(&by_orapki, true),
                "PKCS#7 of {label}'s wallet"
            );
        }
    }
}

/// A wallet with an orapki-made key and request, and a user certificate signed by the
/// test's intermediate, in both tools; then a renewal of that certificate.
#[test]
fn replace_matches_orapki_replace() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    for release in RELEASES {
        let base = dir.path().join(format!("base-{}", release.name()));
        orapki_create(release, &base);
        let w = p(&base);
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                w,
                "-pwd",
                WPW,
                "-dn",
                "CN=renew.parity.example,O=Parity",
                "-keysize",
                "2048",
                "-nologo",
            ],
        )
        .ok();
        let csr = format!("req-{}.csr", release.name());
        orapki(
            release,
            &[
                "wallet",
                "export",
                "-wallet",
                w,
                "-pwd",
                WPW,
                "-dn",
                "CN=renew.parity.example,O=Parity",
                "-request",
                p(&pki.f(&csr)),
                "-nologo",
            ],
        )
        .ok();
        let old = format!("old-{}", release.name());
        let new = format!("new-{}", release.name());
        pki.sign(&csr, &old, "int", "leaf.ext");
        pki.sign(&csr, &new, "int", "leaf.ext");
        for ca in ["root.pem", "int.pem"] {
            orapki(
                release,
                &[
                    "wallet",
                    "add",
                    "-wallet",
                    w,
                    "-pwd",
                    WPW,
                    "-trusted_cert",
                    "-cert",
                    p(&pki.f(ca)),
                    "-nologo",
                ],
            )
            .ok();
        }
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                w,
                "-pwd",
                WPW,
                "-user_cert",
                "-cert",
                p(&pki.f(&format!("{old}.pem"))),
                "-nologo",
            ],
        )
        .ok();
        let by_orapki = dir.path().join(format!("orapki-{}", release.name()));
        let by_orakit = dir.path().join(format!("orakit-{}", release.name()));
        for copy in [&by_orapki, &by_orakit] {
            std::fs::create_dir(copy).unwrap();
            std::fs::copy(base.join("ewallet.p12"), copy.join("ewallet.p12")).unwrap();
        }
        let serial_hex = sh(openssl().args([
            "x509",
            "-noout",
            "-serial",
            "-in",
            p(&pki.f(&format!("{old}.pem"))),
        ]));
        let serial_hex = serial_hex.trim().trim_start_matches("serial=");
        let serial_dec = hex_to_decimal(serial_hex);
        let new_pem = pki.f(&format!("{new}.pem"));
        orapki(
            release,
            &[
                "wallet",
                "replace",
                "-wallet",
                p(&by_orapki),
                "-pwd",
                WPW,
                "-user_cert",
                "-cert",
                p(&new_pem),
                "-issuer_dn",
                "O=Parity,CN=Parity Int",
                "-serial_num",
                &serial_dec,
                "-nologo",
            ],
        )
        .ok();
        run_ok(
            orakit()
                .args(["wallet", "replace", "--password-env", "WPW", "--json"])
                .args(["--wallet", p(&by_orakit), "--cert", p(&new_pem)])
                .env("WPW", WPW),
        );
        let want = (
            vec![fingerprint(&new_pem)],
            sorted(vec![
                fingerprint(&pki.f("int.pem")),
                fingerprint(&pki.f("root.pem")),
            ]),
        );
        assert_eq!(
            orakit_fingerprints(&by_orapki),
            want,
            "orakit reads orapki's replace"
        );
        assert_eq!(
            orapki_fingerprints(release, &by_orakit),
            want,
            "orapki reads orakit's replace"
        );
        assert_eq!(
            layout(&by_orakit),
            layout(&by_orapki),
            "same place, same ids"
        );

        // Trusted: the intermediate re-issued, selected by issuer + serial, in both tools.
        pki.sign(
            "int.csr",
            &format!("int2-{}", release.name()),
            "root",
            "ca.ext",
        );
        let int2 = pki.f(&format!("int2-{}.pem", release.name()));
        let int_serial =
            sh(openssl().args(["x509", "-noout", "-serial", "-in", p(&pki.f("int.pem"))]));
        let int_serial = int_serial.trim().trim_start_matches("serial=").to_owned();
        orapki(
            release,
            &[
                "wallet",
                "replace",
                "-wallet",
                p(&by_orapki),
                "-pwd",
                WPW,
                "-trusted_cert",
                "-cert",
                p(&int2),
                "-issuer_dn",
                "O=Parity,CN=Parity Root",
                "-serial_num",
                &hex_to_decimal(&int_serial),
                "-nologo",
            ],
        )
        .ok();
        run_ok(
            orakit()
                .args([
                    "wallet",
                    "replace",
                    "--password-env",
                    "WPW",
                    "--kind",
                    "trusted",
                ])
                .args([
                    "--issuer",
                    "O=Parity,CN=Parity Root",
                    "--serial",
                    &format!("0x{int_serial}"),
                ])
                .args(["--wallet", p(&by_orakit), "--cert", p(&int2)])
                .env("WPW", WPW),
        );
        let want = (
            vec![fingerprint(&new_pem)],
            sorted(vec![fingerprint(&int2), fingerprint(&pki.f("root.pem"))]),
        );
        assert_eq!(orakit_fingerprints(&by_orapki), want);
        assert_eq!(orapki_fingerprints(release, &by_orakit), want);

        // A certificate for a key the wallet does not hold: refused, nothing changed.
        let before = sha256_file(&by_orakit.join("ewallet.p12"));
        let err = run_fails(
            orakit()
                .args(["wallet", "replace", "--password-env", "WPW"])
                .args(["--wallet", p(&by_orakit), "--cert", p(&pki.f("leaf.pem"))])
                .env("WPW", WPW),
            1,
        );
        assert!(err.contains("belongs to no private key"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert_eq!(sha256_file(&by_orakit.join("ewallet.p12")), before);
    }
    // orapki cannot renew an imported key (no request); orakit can.
    let release = Release::R23ai;
    let p12 = &pkcs12_layouts(&pki)[0].1;
    let imported = dir.path().join("imported");
    orapki_create(release, &imported);
    orapki(
        release,
        &[
            "wallet",
            "import_pkcs12",
            "-wallet",
            p(&imported),
            "-pwd",
            WPW,
            "-pkcs12file",
            p(p12),
            "-pkcs12pwd",
            P12PW,
            "-nologo",
        ],
    )
    .ok();
    pki.sign("leaf.csr", "leaf-renewed", "int", "leaf.ext");
    let renewed = pki.f("leaf-renewed.pem");
    let refused = orapki(
        release,
        &[
            "wallet",
            "replace",
            "-wallet",
            p(&imported),
            "-pwd",
            WPW,
            "-user_cert",
            "-cert",
            p(&renewed),
            "-nologo",
        ],
    );
    assert!(
        refused
            .stdout
            .contains("PKI-04005: No matching certificate request in the wallet."),
        "{}",
        refused.stdout
    );
    run_ok(
        orakit()
            .args(["wallet", "replace", "--password-env", "WPW"])
            .args(["--wallet", p(&imported), "--cert", p(&renewed)])
            .env("WPW", WPW),
    );
    assert_eq!(
        orapki_fingerprints(release, &imported).0,
        vec![fingerprint(&renewed)]
    );
}

fn hex_to_decimal(hex: &str) -> String {
    // Serials here are openssl's 20-byte random ones: do the base conversion by hand.
    let mut digits: Vec<u8> = vec![0];
    for c in hex.chars() {
        let mut carry = c.to_digit(16).unwrap();
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 16 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// `openssl x509 -text` without what differs between two keys: key bits, key ids,
/// signature bytes.
fn cert_shape(cert: &Path) -> Vec<String> {
    let text = sh(openssl().args(["x509", "-noout", "-text", "-in", p(cert)]));
    text.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.chars().all(|c| c.is_ascii_hexdigit() || c == ':')
                && !l.starts_with("Modulus")
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn add_self_signed_matches_orapki_self_signed_and_its_root_signs() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    for release in RELEASES {
        let name = release.name();
        let theirs = dir.path().join(format!("orapki-{name}"));
        let ours = dir.path().join(format!("orakit-{name}"));
        orapki_create(release, &theirs);
        orakit_create(&ours);
        // Every option at once. 19c's help does not list -alias, but 19.33 takes it.
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                p(&theirs),
                "-pwd",
                WPW,
                "-dn",
                "CN=Opt Root,O=Parity",
                "-keysize",
                "2048",
                "-self_signed",
                "-valid_from",
                "12/01/2026",
                "-valid_until",
                "12/01/2027",
                "-serial_num",
                "4660",
                "-addext_ski",
                "-addext_ku",
                "keyCertSign,cRLSign",
                "-addext_basic_cons",
                "-pathLen",
                "1",
                "-addext_san",
                "DNS:root.parity.example,IPV4Address:10.1.2.3",
                "-sign_alg",
                "sha384",
                "-alias",
                "myroot",
                "-nologo",
            ],
        )
        .ok();
        run_ok(
            orakit()
                .args([
                    "wallet",
                    "add-self-signed",
                    "--password-env",
                    "WPW",
                    "--wallet",
                    p(&ours),
                ])
                .args([
                    "--subject",
                    "CN=Opt Root,O=Parity",
                    "--valid-from",
                    "2026-12-01",
                ])
                .args(["--valid-until", "2027-12-01", "--serial", "4660", "--ski"])
                .args(["--key-usage", "keyCertSign,cRLSign", "--path-len", "1"])
                .args(["--san", "DNS:root.parity.example", "--san", "10.1.2.3"])
                .args(["--signature-algorithm", "sha384", "--alias", "myroot"])
                .env("WPW", WPW),
        );
        assert_eq!(layout(&ours), layout(&theirs), "bag layout, release {name}");
        let mut shapes = Vec::new();
        for (label, w) in [("orapki", &theirs), ("orakit", &ours)] {
            let out = dir.path().join(format!("{label}-{name}-opt.pem"));
            orapki(
                release,
                &[
                    "wallet",
                    "export",
                    "-wallet",
                    p(w),
                    "-pwd",
                    WPW,
                    "-dn",
                    "CN=Opt Root,O=Parity",
                    "-cert",
                    p(&out),
                    "-nologo",
                ],
            )
            .ok();
            shapes.push(cert_shape(&out));
        }
        assert_eq!(
            shapes[0], shapes[1],
            "the certificates differ beyond key and ids"
        );

        // Without extension options both tools make an X.509 v1 root; csr sign takes it.
        for (label, w) in [("orapki", &theirs), ("orakit", &ours)] {
            let subject = format!("CN={label} v1 root {name},O=Parity");
            if label == "orapki" {
                orapki(
                    release,
                    &[
                        "wallet",
                        "add",
                        "-wallet",
                        p(w),
                        "-pwd",
                        WPW,
                        "-dn",
                        &subject,
                        "-keysize",
                        "2048",
                        "-self_signed",
                        "-validity",
                        "30",
                        "-nologo",
                    ],
                )
                .ok();
            } else {
                run_ok(
                    orakit()
                        .args([
                            "wallet",
                            "add-self-signed",
                            "--password-env",
                            "WPW",
                            "--wallet",
                            p(w),
                        ])
                        .args(["--subject", &subject, "--days", "30", "--alias", "v1root"])
                        .env("WPW", WPW),
                );
            }
            let root = dir.path().join(format!("{label}-{name}-v1.pem"));
            orapki(
                release,
                &[
                    "wallet",
                    "export",
                    "-wallet",
                    p(w),
                    "-pwd",
                    WPW,
                    "-dn",
                    &subject,
                    "-cert",
                    p(&root),
                    "-nologo",
                ],
            )
            .ok();
            let text = sh(openssl().args(["x509", "-noout", "-text", "-in", p(&root)]));
            assert!(text.contains("Version: 1 (0x0)"), "{label}: {text}");
            let key = dir.path().join(format!("{label}-{name}-v1.key"));
            // The second key of orapki's wallet is also "orakey": take it by subject in orakit.
            run_ok(
                orakit()
                    .args([
                        "wallet",
                        "export-key",
                        "--password-env",
                        "WPW",
                        "--key-password-env",
                        "KPW",
                    ])
                    .args(["--wallet", p(w), "--subject", &subject, "--out", p(&key)])
                    .env("WPW", WPW)
                    .env("KPW", KEYPW),
            );
            let signed = dir.path().join(format!("{label}-{name}-signed.pem"));
            run_ok(
                orakit()
                    .args(["csr", "sign", p(&pki.f("leaf.csr")), "--ca-cert", p(&root)])
                    .args([
                        "--ca-key",
                        p(&key),
                        "--ca-key-password-env",
                        "KPW",
                        "--out",
                        p(&signed),
                    ])
                    .env("KPW", KEYPW),
            );
            let verified = run(openssl().args(["verify", "-CAfile", p(&root), p(&signed)]));
            assert!(verified.status.success(), "{label}: {}", stdout(&verified));
        }
        if release == Release::R19c {
            // 19c has no RSA-3072 (its help lists 512..16384 without it); orakit makes one
            // and 19c reads it.
            let refused = orapki(
                release,
                &[
                    "wallet",
                    "add",
                    "-wallet",
                    p(&theirs),
                    "-pwd",
                    WPW,
                    "-dn",
                    "CN=k3072",
                    "-keysize",
                    "3072",
                    "-self_signed",
                    "-validity",
                    "3",
                    "-nologo",
                ],
            );
            assert!(
                refused.stdout.contains("PKI-07008: Key size must be 512 or 768 or 1024 or 2048 or 4096 or 8192 or 16384"),
                "{}",
                refused.stdout
            );
            run_ok(
                orakit()
                    .args([
                        "wallet",
                        "add-self-signed",
                        "--password-env",
                        "WPW",
                        "--wallet",
                        p(&ours),
                    ])
                    .args([
                        "--subject",
                        "CN=k3072",
                        "--days",
                        "3",
                        "--key-type",
                        "rsa3072",
                        "--alias",
                        "k3072",
                    ])
                    .env("WPW", WPW),
            );
            let shown = orapki(
                release,
                &[
                    "wallet",
                    "display",
                    "-wallet",
                    p(&ours),
                    "-pwd",
                    WPW,
                    "-complete",
                    "-nologo",
                ],
            )
            .ok();
            assert!(
                shown.stdout.contains("CN=k3072") && shown.stdout.contains("3072"),
                "{}",
                shown.stdout
            );
        }
    }
}

#[test]
fn bad_input_gets_one_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let w = dir.path().join("w");
    orakit_create(&w);
    let p12 = &pkcs12_layouts(&pki)[0].1;
    let before = sha256_file(&w.join("ewallet.p12"));
    let gap = pki.f("gap.pem");
    std::fs::copy(pki.f("root.pem"), &gap).unwrap();
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "key does not match",
            vec![
                "--key".into(),
                p(&pki.f("int.key")).into(),
                "--cert".into(),
                p(&pki.f("leaf.pem")).into(),
            ],
            "does not match the certificate",
        ),
        (
            "chain with a gap",
            vec![
                "--key".into(),
                p(&pki.f("leaf.key")).into(),
                "--cert".into(),
                p(&pki.f("leaf.pem")).into(),
                "--chain".into(),
                p(&gap).into(),
            ],
            "\"O=Parity,CN=Parity Int\" is missing",
        ),
        (
            "wrong PFX password",
            vec![
                "--pkcs12".into(),
                p(p12).into(),
                "--pkcs12-password-env".into(),
                "BADPW".into(),
            ],
            "wrong password",
        ),
    ];
    for (what, args, expect) in cases {
        let err = run_fails(
            orakit()
                .args([
                    "wallet",
                    "import",
                    "--password-env",
                    "WPW",
                    "--wallet",
                    p(&w),
                ])
                .args(&args)
                .env("WPW", WPW)
                .env("BADPW", "not-the-password1"),
            1,
        );
        assert!(err.contains(expect), "{what}: {err}");
        assert!(err.contains("nothing was changed"), "{what}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{what}: {err}");
        assert_eq!(sha256_file(&w.join("ewallet.p12")), before, "{what}");
    }
    // orapki reads the untouched wallet as empty.
    assert_eq!(orapki_fingerprints(Release::R23ai, &w), (vec![], vec![]));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Exports key, certificate and chain from the wallet with orakit, serves them with
/// `openssl s_server` and connects with `s_client -verify_return_error -CAfile root`.
fn serves_tls(dir: &Path, wallet: &Path, root: &Path, label: &str) {
    let key = dir.join(format!("{label}-tls.key"));
    let cert = dir.join(format!("{label}-tls.pem"));
    let chain = dir.join(format!("{label}-tls-chain.pem"));
    run_ok(
        orakit()
            .args([
                "wallet",
                "export-key",
                "--unencrypted",
                "--password-env",
                "WPW",
            ])
            .args(["--wallet", p(wallet), "--out", p(&key)])
            .env("WPW", WPW),
    );
    run_ok(
        orakit()
            .args([
                "wallet",
                "export-cert",
                "--password-env",
                "WPW",
                "--fingerprint",
            ])
            .arg(user_fingerprint(wallet))
            .args(["--wallet", p(wallet), "--out", p(&cert)])
            .env("WPW", WPW),
    );
    run_ok(
        orakit()
            .args(["wallet", "export-chain", "--password-env", "WPW"])
            .args(["--wallet", p(wallet), "--out", p(&chain)])
            .env("WPW", WPW),
    );
    let port = free_port();
    let mut server = Command::new("openssl")
        .args(["s_server", "-quiet", "-accept", &port.to_string()])
        .args(["-key", p(&key), "-cert", p(&cert), "-cert_chain", p(&chain)])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{label}: s_server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let client = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-verify_return_error",
        ])
        .args(["-CAfile", p(root), "-servername", "localhost"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let out = String::from_utf8_lossy(&client.stdout);
    assert!(
        client.status.success() && out.contains("Verify return code: 0 (ok)"),
        "{label}: {out}\n{}",
        String::from_utf8_lossy(&client.stderr)
    );
}

fn user_fingerprint(wallet: &Path) -> String {
    orakit_fingerprints(wallet).0[0].clone()
}

/// Keys and chains from openssl, keytool and orapki `export_private_key`, imported by
/// orakit: the wallet's key and chain serve TLS that verifies against the root.
#[test]
fn imported_wallets_serve_tls() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    // openssl: PEM key + certificate + chain.
    let w = dir.path().join("from-openssl");
    orakit_create(&w);
    run_ok(
        orakit()
            .args([
                "wallet",
                "import",
                "--password-env",
                "WPW",
                "--wallet",
                p(&w),
            ])
            .args([
                "--key",
                p(&pki.f("leaf.key")),
                "--cert",
                p(&pki.f("leaf.pem")),
            ])
            .args(["--chain", p(&pki.f("chain.pem"))])
            .env("WPW", WPW),
    );
    serves_tls(dir.path(), &w, &pki.f("root.pem"), "openssl");

    // keytool: a key pair in a PKCS12 keystore, its self-signed certificate exported.
    let ks = dir.path().join("keytool.p12");
    run_ok(
        Command::new("keytool")
            .args(["-genkeypair", "-alias", "db", "-keyalg", "RSA"])
            .args([
                "-keysize",
                "2048",
                "-validity",
                "30",
                "-dname",
                "CN=localhost,O=Keytool",
                "-ext",
                "SAN=dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                p(&ks),
                "-storepass",
                P12PW,
            ]),
    );
    let kt_cert = dir.path().join("keytool.pem");
    run_ok(Command::new("keytool").args([
        "-exportcert",
        "-rfc",
        "-alias",
        "db",
        "-keystore",
        p(&ks),
        "-storepass",
        P12PW,
        "-file",
        p(&kt_cert),
    ]));
    let w = dir.path().join("from-keytool");
    orakit_create(&w);
    orakit_import_p12(&w, &ks);
    serves_tls(dir.path(), &w, &kt_cert, "keytool");

    // orapki: a key made in an orapki wallet, exported with export_private_key.
    let release = Release::R23ai;
    let src = dir.path().join("orapki-src");
    orapki_create(release, &src);
    orapki(
        release,
        &[
            "wallet",
            "add",
            "-wallet",
            p(&src),
            "-pwd",
            WPW,
            "-dn",
            "CN=localhost,O=Orapki",
            "-keysize",
            "2048",
            "-nologo",
        ],
    )
    .ok();
    let csr = pki.f("orapki.csr");
    orapki(
        release,
        &[
            "wallet",
            "export",
            "-wallet",
            p(&src),
            "-pwd",
            WPW,
            "-dn",
            "CN=localhost,O=Orapki",
            "-request",
            p(&csr),
            "-nologo",
        ],
    )
    .ok();
    pki.sign("orapki.csr", "orapki-leaf", "int", "leaf.ext");
    let key = dir.path().join("orapki.key");
    orapki(
        release,
        &[
            "wallet",
            "export_private_key",
            "-wallet",
            p(&src),
            "-pwd",
            WPW,
            "-alias",
            "orakey",
            "-pvtkeyfile",
            p(&key),
            "-pvtkeypwd",
            KEYPW,
            "-nologo",
        ],
    )
    .ok();
    let w = dir.path().join("from-orapki");
    orakit_create(&w);
    run_ok(
        orakit()
            .args([
                "wallet",
                "import",
                "--password-env",
                "WPW",
                "--key-password-env",
                "KPW",
            ])
            .args([
                "--wallet",
                p(&w),
                "--key",
                p(&key),
                "--cert",
                p(&pki.f("orapki-leaf.pem")),
            ])
            .args(["--chain", p(&pki.f("chain.pem"))])
            .env("WPW", WPW)
            .env("KPW", KEYPW),
    );
    serves_tls(dir.path(), &w, &pki.f("root.pem"), "orapki");
}
