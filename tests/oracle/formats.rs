//! Issue 14's wallet forms and mkstore's user credentials, both ways with Oracle's tools:
//! mkstore `-createUserCredential` / `-modifyUserCredential` / `-deleteUserCredential`
//! against `orakit wallet user-credential add|list|modify|delete`.

use std::path::Path;

use crate::oracle_writes::wrl;
use crate::peers::{RELEASES, mkstore};
use crate::support::{openssl, orakit, run_fails, run_ok, stdout};

const PWD: &str = "RingFormats2026pwd#";

/// `orakit wallet user-credential list --json --show-secrets` of `file` (no password for
/// a cwallet.sso) as (map, key, user, password) tuples, sorted.
fn orakit_user_credentials(file: &Path, password: Option<&str>) -> Vec<[String; 4]> {
    let mut cmd = orakit();
    cmd.args([
        "wallet",
        "user-credential",
        "list",
        "--json",
        "--show-secrets",
    ])
    .arg("--wallet")
    .arg(file);
    if let Some(p) = password {
        cmd.args(["--password-env", "RING_PW"]).env("RING_PW", p);
    }
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run_ok(&mut cmd))).unwrap();
    let mut out: Vec<[String; 4]> = doc["user_credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["expiry"], "NEVER_EXPIRE");
            ["map", "key", "username", "password"].map(|f| c[f].as_str().unwrap().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn tuple(map: &str, key: &str, user: &str, password: &str) -> [String; 4] {
    [map, key, user, password].map(str::to_owned)
}

/// An orakit user-credential command on `w` with the stored password in `$RING_SECRET`.
fn kit(w: &Path, args: &[&str], secret: Option<&str>) -> std::process::Command {
    let mut cmd = orakit();
    cmd.args(["wallet", "user-credential"])
        .args(args)
        .arg("--wallet")
        .arg(w)
        .args(["--password-env", "RING_PW"])
        .env("RING_PW", PWD);
    if let Some(v) = secret {
        cmd.args(["--secret-env", "RING_SECRET"])
            .env("RING_SECRET", v);
    }
    cmd
}

#[test]
fn user_credentials_move_both_ways_between_mkstore_and_orakit() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let w = tmp.path().join("w");
        let pw = format!("{PWD}\n");
        mkstore(release, &wrl(&w, "-create"), &format!("{PWD}\n{PWD}\n")).ok();
        let ms = |line: &str| mkstore(release, &wrl(&w, line), &pw).ok().stdout;
        ms("-createUserCredential mapA keyA scott Tiger4Ring");
        ms("-createUserCredential mapB keyB hr Hr4RingPw");
        ms("-createCredential db1 system Sys4RingPw");

        // orakit reads what mkstore stored, from both files; connect-string credentials stay
        // apart.
        let expected = vec![
            tuple("mapA", "keyA", "scott", "Tiger4Ring"),
            tuple("mapB", "keyB", "hr", "Hr4RingPw"),
        ];
        assert_eq!(
            orakit_user_credentials(&w.join("ewallet.p12"), Some(PWD)),
            expected
        );
        assert_eq!(
            orakit_user_credentials(&w.join("cwallet.sso"), None),
            expected
        );

        // orakit changes them: mkstore sees exactly that.
        run_ok(&mut kit(
            &w,
            &[
                "modify", "--map", "mapA", "--key", "keyA", "--user", "adams",
            ],
            Some("New4RingPw"),
        ));
        run_ok(&mut kit(
            &w,
            &["delete", "--map", "mapB", "--key", "keyB"],
            None,
        ));
        run_ok(&mut kit(
            &w,
            &["add", "--map", "mapC", "--key", "keyC", "--user", "carl"],
            Some("Carl4RingPw"),
        ));
        let view = ms("-viewEntry mapA@#3#@keyA");
        assert!(
            view.contains(
                "mapA@#3#@keyA = {pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@adams@#111#@New4RingPw"
            ),
            "{view}"
        );
        let view = ms("-viewEntry mapC@#3#@keyC");
        assert!(
            view.contains(
                "mapC@#3#@keyC = {pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@carl@#111#@Carl4RingPw"
            ),
            "{view}"
        );
        let list = ms("-list");
        assert!(list.contains("mapA@#3#@keyA\n") && list.contains("mapC@#3#@keyC\n"));
        assert!(!list.contains("mapB@#3#@keyB"), "{list}");
        let creds = ms("-listCredential");
        assert!(creds.contains("1: db1 system"), "{creds}");

        // mkstore changes orakit's entries; orakit reads the result.
        ms("-modifyUserCredential mapC keyC carl2 Carl5RingPw");
        ms("-deleteUserCredential mapA keyA");
        assert_eq!(
            orakit_user_credentials(&w.join("cwallet.sso"), None),
            [tuple("mapC", "keyC", "carl2", "Carl5RingPw")]
        );

        // A duplicate or a missing entry: one error, nothing written.
        let before = std::fs::read(w.join("ewallet.p12")).unwrap();
        let dup = run_fails(
            &mut kit(
                &w,
                &["add", "--map", "mapC", "--key", "keyC", "--user", "x"],
                Some("X4RingPw"),
            ),
            1,
        );
        assert!(
            dup.contains("already exists") && dup.contains("mapC"),
            "{}: {dup}",
            release.name()
        );
        let missing = run_fails(
            &mut kit(&w, &["delete", "--map", "mapA", "--key", "keyA"], None),
            1,
        );
        assert!(missing.contains("no user credential"), "{missing}");
        assert_eq!(std::fs::read(w.join("ewallet.p12")).unwrap(), before);
    }
}

const JKS_PW: &str = "Store4RingJks";

fn keytool(args: &[&str]) -> String {
    let out = std::process::Command::new("keytool")
        .args(args)
        .output()
        .expect("keytool (from the JDK the Oracle peers run on) must be installed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "keytool {}: {text}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// openssl's SHA-256 fingerprint of a PEM or DER certificate file, colon hex.
fn fingerprint(cert: &Path, der: bool) -> String {
    let mut cmd = openssl();
    cmd.args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(cert);
    if der {
        cmd.args(["-inform", "DER"]);
    }
    let text = stdout(&run_ok(&mut cmd));
    text.trim().rsplit('=').next().unwrap().to_uppercase()
}

/// keytool's `alias -> SHA-256` listing of a store.
fn keytool_list(store: &Path, password: &str) -> Vec<(String, String, String)> {
    let text = keytool(&[
        "-list",
        "-keystore",
        store.to_str().unwrap(),
        "-storepass",
        password,
    ]);
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter_map(|w| {
            let fp = w[1].strip_prefix("Certificate fingerprint (SHA-256): ")?;
            let mut parts = w[0].split(", ");
            let alias = parts.next()?.to_owned();
            let kind = w[0].rsplit(", ").find(|p| p.ends_with("Entry"))?.to_owned();
            Some((alias, kind, fp.to_owned()))
        })
        .collect()
}

/// `orakit wallet ARGS --wallet W` with the wallet password and (for all but `create`)
/// the key store password from the environment.
fn orakit_wallet(args: &[&str], w: &Path) -> std::process::Command {
    let mut cmd = orakit();
    cmd.arg("wallet")
        .args(args)
        .arg("--wallet")
        .arg(w)
        .args(["--password-env", "RING_PW"])
        .env("RING_PW", PWD);
    if args[0] != "create" {
        cmd.args(["--jks-password-env", "RING_JKS"])
            .env("RING_JKS", JKS_PW);
    }
    cmd
}

#[test]
fn java_key_stores_move_between_keytool_orapki_and_orakit() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let p = |name: &str| d.join(name);
    let ps = |name: &str| d.join(name).to_str().unwrap().to_owned();
    // A CA (openssl) and keytool's stores: a JKS with a CA-signed RSA key and the CA as
    // trusted entry, a JCEKS with an EC key.
    run_ok(
        openssl()
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
            ])
            .args(["-subj", "/CN=Ring JKS CA/O=Ring", "-keyout"])
            .arg(p("ca.key"))
            .arg("-out")
            .arg(p("ca.pem"))
            .args(["-addext", "basicConstraints=critical,CA:TRUE"]),
    );
    let kt = |extra: &[&str], store: &str, kind: &str| {
        let mut a = vec!["-noprompt", "-storetype", kind, "-keystore", store];
        a.extend(["-storepass", JKS_PW, "-keypass", JKS_PW]);
        a.extend(extra);
        keytool(&a)
    };
    let jks = ps("keytool.jks");
    kt(
        &[
            "-genkeypair",
            "-alias",
            "server",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=jks.ring.example,O=Ring",
        ],
        &jks,
        "JKS",
    );
    kt(
        &["-certreq", "-alias", "server", "-file", &ps("server.csr")],
        &jks,
        "JKS",
    );
    run_ok(
        openssl()
            .args(["x509", "-req", "-days", "20", "-set_serial", "4242", "-in"])
            .arg(p("server.csr"))
            .arg("-CA")
            .arg(p("ca.pem"))
            .arg("-CAkey")
            .arg(p("ca.key"))
            .arg("-out")
            .arg(p("server.pem")),
    );
    kt(
        &["-importcert", "-alias", "ringca", "-file", &ps("ca.pem")],
        &jks,
        "JKS",
    );
    kt(
        &[
            "-importcert",
            "-alias",
            "server",
            "-file",
            &ps("server.pem"),
        ],
        &jks,
        "JKS",
    );
    let jceks = ps("keytool.jceks");
    kt(
        &[
            "-genkeypair",
            "-alias",
            "ecserver",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=jceks.ring.example",
        ],
        &jceks,
        "JCEKS",
    );
    kt(
        &["-exportcert", "-alias", "ecserver", "-file", &ps("ec.der")],
        &jceks,
        "JCEKS",
    );
    let (server_fp, ca_fp, ec_fp) = (
        fingerprint(&p("server.pem"), false),
        fingerprint(&p("ca.pem"), false),
        fingerprint(&p("ec.der"), true),
    );

    // orakit imports both keytool stores: the key matches its certificate, the chain is
    // complete; orapki sees the certificates the test put in.
    for (store, expect_user, name) in [(&jks, &server_fp, "jks"), (&jceks, &ec_fp, "jceks")] {
        let w = p(&format!("from-{name}"));
        run_ok(&mut orakit_wallet(&["create"], &w));
        run_ok(&mut orakit_wallet(&["import", "--jks", store], &w));
        for release in RELEASES {
            let shown = crate::peers::orapki(
                release,
                &[
                    "wallet",
                    "display",
                    "-wallet",
                    w.to_str().unwrap(),
                    "-pwd",
                    PWD,
                    "-complete",
                    "-nologo",
                ],
            )
            .ok()
            .stdout;
            if release == crate::peers::Release::R23ai {
                assert!(
                    shown.contains(&format!("SHA-256 digest: {expect_user}")),
                    "{shown}"
                );
            }
            assert!(
                shown.contains("User Certificates:\n")
                    && !shown.contains("User Certificates:\nTrusted"),
                "{shown}"
            );
        }
    }
    let w = p("from-jks");

    // orakit writes a keystore and a truststore: keytool lists the entries with openssl's
    // fingerprints of the inputs.
    let (ks, ts) = (p("orakit-keystore.jks"), p("orakit-truststore.jks"));
    run_ok(&mut orakit_wallet(
        &[
            "to-jks",
            "--keystore",
            ks.to_str().unwrap(),
            "--truststore",
            ts.to_str().unwrap(),
        ],
        &w,
    ));
    // The key keeps the alias it had in keytool's store ("server"), as orapki
    // jks_to_pkcs12 keeps it (observed), and goes back out under it.
    assert_eq!(
        keytool_list(&ks, JKS_PW),
        [(
            "server".to_owned(),
            "PrivateKeyEntry".to_owned(),
            server_fp.clone()
        )]
    );
    let chain = keytool(&[
        "-list",
        "-v",
        "-keystore",
        ks.to_str().unwrap(),
        "-storepass",
        JKS_PW,
    ]);
    assert!(chain.contains("Certificate chain length: 2"), "{chain}");
    assert!(chain.contains(&format!("SHA256: {ca_fp}")), "{chain}");
    assert_eq!(
        keytool_list(&ts, JKS_PW),
        [(
            "cn=ring jks ca".to_owned(),
            "trustedCertEntry".to_owned(),
            ca_fp.clone()
        )]
    );

    for release in RELEASES {
        // orapki jks_to_pkcs12 reads orakit's stores.
        let ow = p(&format!("orapki-{}", release.name()));
        let ows = ow.to_str().unwrap().to_owned();
        let pki = |args: &[&str]| {
            let mut a = vec!["wallet", args[0], "-wallet", &ows, "-pwd", PWD, "-nologo"];
            a.extend(&args[1..]);
            crate::peers::orapki(release, &a).ok().stdout
        };
        pki(&["create"]);
        for store in [&ks, &ts] {
            pki(&[
                "jks_to_pkcs12",
                "-keystore",
                store.to_str().unwrap(),
                "-jkspwd",
                JKS_PW,
            ]);
        }
        let shown = pki(&["display", "-complete"]);
        assert!(
            shown.contains("Subject:        O=Ring,CN=Ring JKS CA"),
            "{shown}"
        );
        assert!(
            shown.contains("Subject:        CN=jks.ring.example,O=Ring"),
            "{shown}"
        );

        // orakit imports orapki's pkcs12_to_jks output.
        let (oks, ots) = (
            p(&format!("orapki-ks-{}.jks", release.name())),
            p(&format!("orapki-ts-{}.jks", release.name())),
        );
        pki(&[
            "pkcs12_to_jks",
            "-jksKeyStoreLoc",
            oks.to_str().unwrap(),
            "-jksKeyStorepwd",
            JKS_PW,
            "-jksTrustStoreLoc",
            ots.to_str().unwrap(),
            "-jksTrustStorepwd",
            JKS_PW,
        ]);
        let kw = p(&format!("orakit-from-orapki-{}", release.name()));
        run_ok(&mut orakit_wallet(&["create"], &kw));
        run_ok(&mut orakit_wallet(
            &["import", "--jks", oks.to_str().unwrap()],
            &kw,
        ));
        let mut cmd = orakit();
        cmd.args(["wallet", "display", "--json", "--wallet"])
            .arg(&kw)
            .args(["--password-env", "RING_PW"])
            .env("RING_PW", PWD);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&run_ok(&mut cmd))).unwrap();
        let user_fp = doc["user_certificates"][0]["sha256_fingerprint"]
            .as_str()
            .unwrap_or_default()
            .to_uppercase();
        assert_eq!(
            user_fp.replace(':', ""),
            server_fp.replace(':', ""),
            "{doc}"
        );
    }

    // A wrong store password: one error, nothing written.
    let before = std::fs::read(w.join("ewallet.p12")).unwrap();
    let mut cmd = orakit_wallet(&["import", "--jks", &jks], &w);
    cmd.env("RING_JKS", "not-the-password");
    let err = run_fails(&mut cmd, 1);
    assert!(
        err.contains("keytool.jks") && err.contains("password is wrong"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(w.join("ewallet.p12")).unwrap(), before);
    let out = p("refused.jks");
    let mut cmd = orakit_wallet(&["to-jks", "--keystore", out.to_str().unwrap()], &w);
    cmd.env("RING_PW", "wrong wallet password");
    run_fails(&mut cmd, 1);
    assert!(!out.exists());
}

/// `orakit wallet ARGS --wallet FILE` with `password` (if any) from the environment.
fn orakit_read(args: &[&str], file: &Path, password: Option<&str>) -> String {
    let mut cmd = orakit();
    cmd.arg("wallet").args(args).arg("--wallet").arg(file);
    if let Some(p) = password {
        cmd.args(["--password-env", "RING_PW"]).env("RING_PW", p);
    }
    stdout(&run_ok(&mut cmd))
}

#[test]
fn zips_pem_and_java_key_stores_read_like_the_wallet_they_hold() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let p = |name: &str| d.join(name);
        // orapki's auto-login wallet with a CA-signed user certificate.
        run_ok(
            openssl()
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                ])
                .args(["-subj", "/CN=Ring Zip CA", "-keyout"])
                .arg(p("ca.key"))
                .arg("-out")
                .arg(p("ca.pem"))
                .args(["-addext", "basicConstraints=critical,CA:TRUE"]),
        );
        let w = p("Wallet_RING");
        let ws = w.to_str().unwrap().to_owned();
        let pki = |args: &[&str]| {
            let mut a = vec!["wallet", args[0], "-wallet", &ws, "-pwd", PWD, "-nologo"];
            a.extend(&args[1..]);
            crate::peers::orapki(release, &a).ok().stdout
        };
        let dn = "CN=zip.ring.example,O=Ring";
        pki(&["create", "-auto_login"]);
        pki(&["add", "-dn", dn, "-keysize", "2048"]);
        pki(&[
            "export",
            "-dn",
            dn,
            "-request",
            p("req.pem").to_str().unwrap(),
        ]);
        run_ok(
            openssl()
                .args(["x509", "-req", "-days", "20", "-set_serial", "99", "-in"])
                .arg(p("req.pem"))
                .arg("-CA")
                .arg(p("ca.pem"))
                .arg("-CAkey")
                .arg(p("ca.key"))
                .arg("-out")
                .arg(p("user.pem")),
        );
        pki(&[
            "add",
            "-trusted_cert",
            "-cert",
            p("ca.pem").to_str().unwrap(),
        ]);
        pki(&[
            "add",
            "-user_cert",
            "-cert",
            p("user.pem").to_str().unwrap(),
        ]);
        let oracle_text = crate::peers::orapki(
            release,
            &["wallet", "display", "-wallet", &ws, "-complete", "-nologo"],
        )
        .ok()
        .body()
        .to_owned();
        // An ADB-style zip of the wallet folder.
        let zip = p("Wallet_RING.zip");
        let zipped = std::process::Command::new("zip")
            .current_dir(d)
            .args(["-q", "-r", zip.to_str().unwrap(), "Wallet_RING"])
            .status()
            .unwrap();
        assert!(zipped.success());
        let target = ["--target", release.target(), "--complete"];
        let mut args = vec!["display"];
        args.extend(target);
        assert_eq!(
            orakit_read(&args, &zip, None),
            oracle_text,
            "zip via cwallet.sso"
        );
        assert_eq!(
            orakit_read(&args, &zip, Some(PWD)),
            oracle_text,
            "zip via ewallet.p12"
        );

        // export-pem from the zip; the PEM reads back with the same user certificate, and
        // openssl finds the key matching it.
        let pem = p("ewallet.pem");
        orakit_read(
            &[
                "export-pem",
                "--out",
                pem.to_str().unwrap(),
                "--unencrypted-key",
            ],
            &zip,
            None,
        );
        let shown = orakit_read(&["display"], &pem, None);
        assert!(
            shown.contains(&format!("User Certificates:\nSubject:        {dn}\n")),
            "{shown}"
        );
        let user_fp = fingerprint(&p("user.pem"), false);
        let from_pem = p("from-pem.crt");
        orakit_read(
            &[
                "export-cert",
                "--subject",
                dn,
                "--out",
                from_pem.to_str().unwrap(),
            ],
            &pem,
            None,
        );
        assert_eq!(fingerprint(&from_pem, false), user_fp);

        // orapki's pkcs12_to_jks output reads as the same wallet.
        let ks = p("keystore.jks");
        pki(&[
            "pkcs12_to_jks",
            "-jksKeyStoreLoc",
            ks.to_str().unwrap(),
            "-jksKeyStorepwd",
            JKS_PW,
        ]);
        let shown = orakit_read(&["display"], &ks, Some(JKS_PW));
        assert!(
            shown.contains(&format!("User Certificates:\nSubject:        {dn}\n")),
            "{shown}"
        );
        let from_jks = p("from-jks.crt");
        orakit_read(
            &[
                "export-cert",
                "--subject",
                dn,
                "--out",
                from_jks.to_str().unwrap(),
            ],
            &ks,
            Some(JKS_PW),
        );
        assert_eq!(fingerprint(&from_jks, false), user_fp);

        // A change is refused with one message naming the file; nothing is written.
        let before = std::fs::read(&zip).unwrap();
        let mut cmd = orakit();
        cmd.args(["wallet", "add-trusted", "--cert"])
            .arg(p("ca.pem"))
            .arg("--wallet")
            .arg(&zip)
            .args(["--password-env", "RING_PW"])
            .env("RING_PW", PWD);
        let err = run_fails(&mut cmd, 1);
        assert!(
            err.contains("Wallet_RING.zip") && err.contains("does not change it"),
            "{err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert_eq!(std::fs::read(&zip).unwrap(), before);
    }
}
