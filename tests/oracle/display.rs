//! `orakit wallet display` against `orapki wallet display -nologo` of each release, byte for
//! byte, in its three modes (plain, `-summary`, `-complete`): every shared fixture wallet,
//! wallets orapki made and wallets orakit made; and DN keywords: orakit parses each
//! `--subject` into the DER `orapki wallet add -dn` writes.

use std::path::{Path, PathBuf};

use der::{Decode, Encode};

use crate::peers::{RELEASES, Release, orapki};
use crate::support::{openssl, orakit, run_ok, stderr, stdout};

const PWD: &str = "RingDisplay2026pwd#";

/// orapki's display modes and the orakit flag for each.
const MODES: [(Option<&str>, Option<&str>); 3] = [
    (None, None),
    (Some("-summary"), Some("--summary")),
    (Some("-complete"), Some("--complete")),
];

/// The shared fixtures folder. The ring never skips: a missing folder fails.
fn fixtures() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("ORAKIT_ORACLE_FIXTURES").map(PathBuf::from),
        Some(manifest.join("../shared/oracle-fixtures")),
        // A git worktree under <root>/wt/<name> next to <root>/shared.
        Some(manifest.join("../../shared/oracle-fixtures")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|d| d.join("PROVENANCE.md").is_file())
        .expect("the shared Oracle fixtures are missing (../shared/oracle-fixtures or $ORAKIT_ORACLE_FIXTURES)")
}

/// A copy of a fixture's wallet files in a fresh directory: orapki leaves `*.lck` lock
/// files beside every wallet it opens, and the shared fixtures must stay as they are.
fn private_copy(src: &Path, files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::copy(src.join(f), dir.path().join(f))
            .unwrap_or_else(|e| panic!("{}/{f}: {e}", src.display()));
    }
    dir
}

/// orapki's display of the wallet in `dir` (the PKCS#12 with `password`, else the sso)
/// equals orakit's display of `file`, for each mode. Returns orapki's plain text.
fn assert_same_display(
    release: Release,
    dir: &Path,
    file: &Path,
    password: Option<&str>,
    label: &str,
) -> String {
    let mut plain = None;
    for (orapki_mode, orakit_mode) in MODES {
        let dir_arg = dir.to_str().unwrap();
        let mut args = vec!["wallet", "display", "-wallet", dir_arg, "-nologo"];
        if let Some(p) = password {
            args.extend(["-pwd", p]);
        }
        args.extend(orapki_mode);
        let oracle = orapki(release, &args).ok();
        let mut cmd = orakit();
        cmd.args([
            "wallet",
            "display",
            "--target",
            release.target(),
            "--wallet",
        ])
        .arg(file);
        cmd.args(orakit_mode);
        if let Some(p) = password {
            cmd.args(["--password-env", "RING_PW"]).env("RING_PW", p);
        }
        let mine = stdout(&run_ok(&mut cmd));
        assert_eq!(
            mine,
            oracle.body(),
            "{label}: orakit wallet display --target {} {} differs from {}",
            release.name(),
            orakit_mode.unwrap_or(""),
            oracle.line
        );
        plain.get_or_insert(mine);
    }
    plain.unwrap()
}

#[test]
fn every_password_fixture_displays_as_orapki_displays_it() {
    let root = fixtures();
    let p12 = [
        ("darkathena-dbms-cloud", "asdf1234"),
        ("liaartem-xe21c", "34534kjhsdffkjsdfgalfgb###"),
        ("liaartem-free23c", "34534kjhsdffkjsdfgalfgb###"),
        ("raghuthota-adb-2019", "Sunil1240@rtx112"),
        ("orapki-23ai-howto", "WElcome##123456"),
        ("dotnet-mkstore", "123Wallet"),
    ];
    for (folder, password) in p12 {
        let copy = private_copy(&root.join(folder), &["ewallet.p12"]);
        for release in RELEASES {
            assert_same_display(
                release,
                copy.path(),
                &copy.path().join("ewallet.p12"),
                Some(password),
                folder,
            );
        }
    }
}

#[test]
fn every_auto_login_fixture_displays_as_orapki_displays_it() {
    let root = fixtures();
    // No fixture is a local auto-login (0x38) wallet: none is bound to a host here.
    for folder in [
        "darkathena-dbms-cloud",
        "raghuthota-adb-2019",
        "juliusbsimon-apex-trust/v2021-11-04",
        "juliusbsimon-apex-trust/v2024-11-29",
        "rds-trust/creazer-v-rds-root-2019",
        "rds-trust/creazer-I-amazon-root-ca1",
        "boomi-trust",
        "orapki-23ai-howto",
    ] {
        let copy = private_copy(&root.join(folder), &["cwallet.sso"]);
        for release in RELEASES {
            assert_same_display(
                release,
                copy.path(),
                &copy.path().join("cwallet.sso"),
                None,
                folder,
            );
        }
    }
}

/// `ToolRun::body()` strips exactly the banner orapki prints without `-nologo`.
#[test]
fn the_banner_is_stripped_for_both_releases() {
    let root = fixtures();
    let copy = private_copy(
        &root.join("rds-trust/creazer-v-rds-root-2019"),
        &["cwallet.sso"],
    );
    let dir = copy.path().to_str().unwrap();
    for release in RELEASES {
        let with_logo = orapki(release, &["wallet", "display", "-wallet", dir]).ok();
        let without = orapki(release, &["wallet", "display", "-wallet", dir, "-nologo"]).ok();
        assert!(with_logo.stdout.starts_with("Oracle PKI Tool Release "));
        assert!(without.stdout.starts_with("Requested Certificates: \n"));
        assert_eq!(with_logo.body(), without.stdout, "{}", release.name());
        assert_eq!(without.body(), without.stdout);
    }
}

/// Ten self-signed CA certificates with subjects `CN=Ring Trust <i>,O=Ring` (one EC key),
/// and the key of the first, to sign user certificates.
fn trust_certs(dir: &Path) -> Vec<PathBuf> {
    let key = dir.join("ca.key");
    run_ok(
        openssl()
            .args([
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
            ])
            .arg(&key),
    );
    (1..=10)
        .map(|i| {
            let pem = dir.join(format!("trust{i}.pem"));
            run_ok(
                openssl()
                    .args(["req", "-new", "-x509", "-days", "30", "-key"])
                    .arg(&key)
                    .args(["-subj", &format!("/O=Ring/CN=Ring Trust {i}")])
                    .args(["-set_serial", &format!("{}", 0x80 + i)])
                    .args(["-addext", "basicConstraints=critical,CA:TRUE"])
                    .arg("-out")
                    .arg(&pem),
            );
            pem
        })
        .collect()
}

/// Signs a PEM request with the first trust certificate's key.
fn sign(dir: &Path, request: &Path, out: &Path) {
    run_ok(
        openssl()
            .args(["x509", "-req", "-days", "20", "-set_serial", "4660", "-in"])
            .arg(request)
            .arg("-CA")
            .arg(dir.join("trust1.pem"))
            .arg("-CAkey")
            .arg(dir.join("ca.key"))
            .arg("-out")
            .arg(out),
    );
}

const RSA_DN: &str = "CN=rsa.ring.example,EMAIL=dba@ring.example,DNQ=V1,O=Ring";
const ECC_DN: &str = "CN=ecc.ring.example,O=Ring";

#[test]
fn orapki_made_wallets_display_as_orapki_displays_them() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let trusted = trust_certs(tmp.path());
        let w = tmp.path().join("w");
        let ws = w.to_str().unwrap();
        let common = ["-wallet", ws, "-pwd", PWD];
        let run = |extra: &[&str]| {
            let mut args = vec!["wallet"];
            args.push(extra[0]);
            args.extend(common);
            args.extend(&extra[1..]);
            orapki(release, &args).ok()
        };
        run(&["create", "-auto_login"]);
        run(&["add", "-dn", RSA_DN, "-keysize", "2048"]);
        run(&["add", "-dn", ECC_DN, "-asym_alg", "ECC", "-eccurve", "p256"]);
        run(&[
            "add",
            "-dn",
            "CN=self.ring.example,OU=Unit A+UID=u1,O=Ring",
            "-keysize",
            "2048",
            "-self_signed",
            "-validity",
            "30",
        ]);
        for cert in &trusted {
            run(&["add", "-trusted_cert", "-cert", cert.to_str().unwrap()]);
        }
        let req = tmp.path().join("rsa.req");
        run(&["export", "-dn", RSA_DN, "-request", req.to_str().unwrap()]);
        let user = tmp.path().join("rsa.crt");
        sign(tmp.path(), &req, &user);
        run(&["add", "-user_cert", "-cert", user.to_str().unwrap()]);
        let label = format!("orapki {} wallet", release.name());
        let text = assert_same_display(release, &w, &w.join("ewallet.p12"), Some(PWD), &label);
        // The auto-login copy holds the same entries: orakit prints the same text from it.
        let from_sso = stdout(&run_ok(
            orakit()
                .args([
                    "wallet",
                    "display",
                    "--target",
                    release.target(),
                    "--wallet",
                ])
                .arg(w.join("cwallet.sso")),
        ));
        assert_eq!(from_sso, text, "{label} (cwallet.sso)");
        // What the test put in: the pending ECC request, the RSA user certificate signed
        // by Ring Trust 1, the self-signed one (multi-valued RDN in DER order: OU's OID
        // sorts before UID's), the ten trusted certificates and the self-signed copy.
        let requested = text.split("User Certificates:").next().unwrap();
        assert_eq!(
            requested,
            "Requested Certificates: \nSubject:        CN=ecc.ring.example,O=Ring\n"
        );
        assert!(text.contains(
            "Subject:        CN=rsa.ring.example,EMAIL=dba@ring.example,DNQ=V1,O=Ring\n"
        ));
        assert_eq!(
            text.matches("Subject:        CN=self.ring.example,OU=Unit A+UID=u1,O=Ring\n")
                .count(),
            2,
            "{text}"
        );
        assert_eq!(text.matches("Subject:        CN=Ring Trust ").count(), 10);
    }
}

#[test]
fn orakit_made_wallets_display_as_orapki_displays_them() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let trusted = trust_certs(tmp.path());
        let w = tmp.path().join("w");
        let kit = |args: &[&str]| {
            stdout(&run_ok(
                orakit()
                    .args(args)
                    .arg("--wallet")
                    .arg(&w)
                    .args(["--password-env", "RING_PW"])
                    .env("RING_PW", PWD),
            ))
        };
        kit(&["wallet", "create", "--auto-login"]);
        kit(&["wallet", "add-key", "--subject", RSA_DN]);
        kit(&[
            "wallet",
            "add-key",
            "--subject",
            ECC_DN,
            "--key-type",
            "p256",
        ]);
        let mut add = vec!["wallet", "add-trusted"];
        for cert in &trusted {
            add.extend(["--cert", cert.to_str().unwrap()]);
        }
        kit(&add);
        let req = tmp.path().join("rsa.req");
        kit(&[
            "wallet",
            "export-request",
            "--subject",
            RSA_DN,
            "--out",
            req.to_str().unwrap(),
        ]);
        let user = tmp.path().join("rsa.crt");
        sign(tmp.path(), &req, &user);
        kit(&["wallet", "add-user-cert", "--cert", user.to_str().unwrap()]);
        let label = format!("orakit wallet, orapki {}", release.name());
        let text = assert_same_display(release, &w, &w.join("ewallet.p12"), Some(PWD), &label);
        // orapki sees what the test put in: both keys (orapki lists entries by
        // friendlyName, so each key needs its own), the ECC one still pending, the RSA one
        // with its user certificate, and the ten trusted certificates.
        let (requested, rest) = text.split_once("User Certificates:\n").unwrap();
        assert_eq!(
            requested,
            "Requested Certificates: \nSubject:        CN=ecc.ring.example,O=Ring\n"
        );
        assert!(
            rest.starts_with(&format!(
                "Subject:        {}\nTrusted Certificates: \n",
                RSA_DN
            )),
            "{label}: {text}"
        );
        assert_eq!(text.matches("Subject:        CN=Ring Trust ").count(), 10);
    }
}

/// Every keyword `orapki wallet add -dn` accepts, one RDN each, and the spellings, escapes,
/// multi-valued RDNs and encodings that change what it writes. (orapki refuses the types
/// Java names T, SURNAME, GIVENNAME, INITIALS, GENERATION and IP in any spelling, dotted
/// OIDs too: "Malformed attribute type".)
const KEYWORD_DNS: [&str; 2] = [
    "CN=all.ring.example,OU=Unit,O=Ring Org,L=Town,ST=State,C=US,EMAIL=dba@ring.example,\
     DNQ=q1,SERIALNUMBER=12345,STREET=1 Main St,DC=ring,UID=uid1,OID.2.5.4.65=pseudo,\
     2.5.4.17=12345,2.5.4.15=Private Organization",
    r"cn=x_y+UID=multi,OU=caf\C3\A9,O=Acme\, Inc.;L=\41bc,ST=a*b,EMAILADDRESS=e@ring.example,DNQUALIFIER=a_b,S=Sstate,DC=ex_ample,o=Zürich",
];

fn request_subject_der(pem_path: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(pem_path).unwrap();
    let (_, der) = der::pem::decode_vec(text.trim().as_bytes())
        .unwrap_or_else(|e| panic!("{}: {e}", pem_path.display()));
    let req = x509_cert::request::CertReq::from_der(&der).unwrap();
    req.info.subject.to_der().unwrap()
}

#[test]
fn subjects_encode_and_print_as_orapki_add_dn_writes_them() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let w = tmp.path().join("w");
        let ws = w.to_str().unwrap();
        orapki(release, &["wallet", "create", "-wallet", ws, "-pwd", PWD]).ok();
        let mut printed_by_orakit = Vec::new();
        for (i, dn) in KEYWORD_DNS.iter().enumerate() {
            orapki(
                release,
                &[
                    "wallet", "add", "-wallet", ws, "-pwd", PWD, "-dn", dn, "-keysize", "2048",
                ],
            )
            .ok();
            let from_orapki = tmp.path().join(format!("orapki{i}.req"));
            orapki(
                release,
                &[
                    "wallet",
                    "export",
                    "-wallet",
                    ws,
                    "-pwd",
                    PWD,
                    "-dn",
                    dn,
                    "-request",
                    from_orapki.to_str().unwrap(),
                ],
            )
            .ok();
            let from_orakit = tmp.path().join(format!("orakit{i}.req"));
            let made = run_ok(
                orakit()
                    .args([
                        "csr",
                        "create",
                        "--key-type",
                        "p256",
                        "--subject",
                        dn,
                        "--key-out",
                    ])
                    .arg(tmp.path().join(format!("orakit{i}.key")))
                    .arg("--out")
                    .arg(&from_orakit),
            );
            let orapki_der = request_subject_der(&from_orapki);
            assert_eq!(
                hex::encode(request_subject_der(&from_orakit)),
                hex::encode(&orapki_der),
                "{}: subject DER of --subject {dn:?}",
                release.name()
            );
            // openssl reads orapki's request subject the same way (an independent decoder
            // agrees the bytes are one well-formed name).
            let shown = run_ok(
                openssl()
                    .args(["req", "-noout", "-subject", "-nameopt", "RFC2253", "-in"])
                    .arg(&from_orapki),
            );
            assert!(stdout(&shown).starts_with("subject="), "{}", stdout(&shown));
            // orakit's summary of its request spells the subject as orapki displays it.
            let printed = stderr(&made)
                .lines()
                .find_map(|l| {
                    l.trim()
                        .strip_prefix("subject:")
                        .map(|s| s.trim().to_owned())
                })
                .expect("csr create names the subject");
            printed_by_orakit.push(printed);
        }
        let text = assert_same_display(
            release,
            &w,
            &w.join("ewallet.p12"),
            Some(PWD),
            "keyword DNs",
        );
        for printed in &printed_by_orakit {
            assert!(
                text.contains(&format!("Subject:        {printed}\n")),
                "{}: orakit printed {printed:?}; orapki:\n{text}",
                release.name()
            );
        }
    }
}

/// A CA certificate signed by `trust1.pem`'s key (an intermediate) and an end-entity one,
/// so the trust-flag cases have a CA that is not self-issued and a peer certificate.
fn intermediate_and_peer(dir: &Path) -> (PathBuf, PathBuf) {
    let make = |name: &str, ca: bool| {
        let key = dir.join(format!("{name}.key"));
        let csr = dir.join(format!("{name}.csr"));
        let pem = dir.join(format!("{name}.pem"));
        run_ok(
            openssl()
                .args(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout"])
                .arg(&key)
                .args(["-subj", &format!("/O=Ring/CN=Ring {name}"), "-out"])
                .arg(&csr),
        );
        let ext = dir.join(format!("{name}.ext"));
        std::fs::write(&ext, format!("basicConstraints=critical,CA:{ca}\n")).unwrap();
        run_ok(
            openssl()
                .args(["x509", "-req", "-days", "20", "-set_serial", "77", "-in"])
                .arg(&csr)
                .arg("-CA")
                .arg(dir.join("trust1.pem"))
                .arg("-CAkey")
                .arg(dir.join("ca.key"))
                .arg("-extfile")
                .arg(&ext)
                .arg("-out")
                .arg(&pem),
        );
        pem
    };
    (make("Intermediate", true), make("Peer", false))
}

/// The `Trust Flags:` line of each trusted subject in orapki's plain text, in order.
fn flags_by_subject(text: &str) -> Vec<(String, String)> {
    let trusted = text.split("Trusted Certificates: \n").nth(1).unwrap_or("");
    let lines: Vec<&str> = trusted.lines().collect();
    lines
        .windows(2)
        .filter_map(|w| {
            let subject = w[0].strip_prefix("Subject:        ")?;
            let flags = w[1].strip_prefix("Trust Flags:    ")?;
            Some((subject.to_owned(), flags.to_owned()))
        })
        .collect()
}

#[test]
fn trust_flags_display_as_orapki_displays_them() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let trusted = trust_certs(tmp.path());
        let (intermediate, peer) = intermediate_and_peer(tmp.path());
        let (root1, root2) = (trusted[0].to_str().unwrap(), trusted[1].to_str().unwrap());
        let (int, peer) = (intermediate.to_str().unwrap(), peer.to_str().unwrap());

        // orapki's trust-flag wallet: defaults, an explicit flag, a reassigned flag and a
        // user certificate (never shown with flags).
        let w = tmp.path().join("oracle");
        let ws = w.to_str().unwrap();
        let run = |extra: &[&str]| {
            let mut args = vec!["wallet", extra[0], "-wallet", ws, "-pwd", PWD];
            args.extend(&extra[1..]);
            orapki(release, &args).ok()
        };
        run(&["create", "-with_trust_flags"]);
        run(&["add", "-dn", RSA_DN, "-keysize", "2048"]);
        run(&["add", "-trusted_cert", "-cert", root1]);
        run(&["add", "-trusted_cert", "-cert", root2]);
        let both = "SERVER_AUTH,CLIENT_AUTH";
        run(&["add", "-trusted_cert", "-cert", int, "-trust_flags", both]);
        run(&["add", "-trusted_cert", "-cert", peer]);
        let root2_dn = "CN=Ring Trust 2,O=Ring";
        let assigned = run(&[
            "assign_trust_flags",
            "-dn",
            root2_dn,
            "-trust_flags",
            "CLIENT_AUTH",
        ]);
        assert!(!assigned.stdout.contains("PKI-"), "{}", assigned.stdout);
        let req = tmp.path().join("rsa.req");
        run(&["export", "-dn", RSA_DN, "-request", req.to_str().unwrap()]);
        let user = tmp.path().join("rsa.crt");
        sign(tmp.path(), &req, &user);
        run(&["add", "-user_cert", "-cert", user.to_str().unwrap()]);
        let label = format!("orapki {} trust-flag wallet", release.name());
        let text = assert_same_display(release, &w, &w.join("ewallet.p12"), Some(PWD), &label);
        let mut flags = flags_by_subject(&text);
        flags.sort();
        assert_eq!(
            flags,
            [
                ("CN=Ring Intermediate,O=Ring".to_owned(), both.to_owned()),
                ("CN=Ring Peer,O=Ring".to_owned(), "VALID_PEER".to_owned()),
                (
                    "CN=Ring Trust 1,O=Ring".to_owned(),
                    "SERVER_AUTH".to_owned()
                ),
                (root2_dn.to_owned(), "CLIENT_AUTH".to_owned()),
            ],
            "{label}: {text}"
        );
        let user_part = text.split("Trusted Certificates: \n").next().unwrap();
        assert!(user_part.contains(RSA_DN) && !user_part.contains("Trust Flags:"));

        // orakit's trust-flag wallet with the same operations: orapki prints the same flags.
        let k = tmp.path().join("orakit");
        let kit = |args: &[&str]| {
            stdout(&run_ok(
                orakit()
                    .args(args)
                    .arg("--wallet")
                    .arg(&k)
                    .args(["--password-env", "RING_PW"])
                    .env("RING_PW", PWD),
            ))
        };
        kit(&["wallet", "create", "--with-trust-flags"]);
        kit(&["wallet", "add-trusted", "--cert", root1, "--cert", root2]);
        kit(&[
            "wallet",
            "add-trusted",
            "--cert",
            int,
            "--trust-flags",
            both,
        ]);
        kit(&["wallet", "add-trusted", "--cert", peer]);
        kit(&[
            "wallet",
            "trust-flags",
            "--set",
            "CLIENT_AUTH",
            "--subject",
            root2_dn,
        ]);
        let label = format!("orakit trust-flag wallet, orapki {}", release.name());
        let text = assert_same_display(release, &k, &k.join("ewallet.p12"), Some(PWD), &label);
        let mut mine = flags_by_subject(&text);
        mine.sort();
        assert_eq!(mine, flags, "{label}: {text}");
    }
}
