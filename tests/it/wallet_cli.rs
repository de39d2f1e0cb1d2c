//! The wallet commands end to end: create, add-trusted, display, remove, export-cert,
//! convert, change-password; file modes, lock files, both files rewritten together.

use crate::support::words;
use std::path::Path;

use serde_json::Value;

use crate::support::{self, mode_of, orakit, run_fails, run_ok, stdout};
use crate::wallet_common::{display_json, openssl_cert, password_file, walletcheck};

const PW: &str = "Welcome#2026";

fn wallet_cmd(args: &[&str], dir: &Path, pwfile: Option<&Path>) -> std::process::Command {
    let mut cmd = orakit();
    cmd.arg("wallet").args(args).arg("--wallet").arg(dir);
    if let Some(p) = pwfile {
        cmd.arg("--password-file").arg(p);
    }
    cmd
}

fn trusted_subjects(report: &Value) -> Vec<String> {
    report["trusted_certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn create_add_remove_export_on_an_auto_login_wallet() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("wallet");
    let pwfile = password_file(tmp.path(), PW);
    run_ok(&mut wallet_cmd(
        &["create", "--auto-login"],
        &dir,
        Some(&pwfile),
    ));
    for f in ["ewallet.p12", "cwallet.sso"] {
        assert_eq!(mode_of(&dir.join(f)), 0o600, "{f}");
    }
    assert_eq!(
        support::list_files(&dir),
        [
            "cwallet.sso",
            "cwallet.sso.lck",
            "ewallet.p12",
            "ewallet.p12.lck"
        ]
        .map(std::path::PathBuf::from)
    );
    // Creating the same wallet again is a rerun: nothing changes. Creating another
    // (here: without auto-login) is refused and changes nothing.
    let before = std::fs::read(dir.join("ewallet.p12")).unwrap();
    run_ok(&mut wallet_cmd(
        &["create", "--auto-login"],
        &dir,
        Some(&pwfile),
    ));
    assert_eq!(std::fs::read(dir.join("ewallet.p12")).unwrap(), before);
    let err = run_fails(&mut wallet_cmd(&["create"], &dir, Some(&pwfile)), 1);
    assert!(
        err.contains("already holds a wallet") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("ewallet.p12")).unwrap(), before);

    // A PEM bundle of two and one DER file; then the same again: nothing added twice.
    let a = openssl_cert(tmp.path(), "a", "/C=US/O=Example, Inc./CN=Test Root A");
    let b = openssl_cert(tmp.path(), "b", "/O=Example/OU=PKI/OU=Root/CN=Test Root B");
    let c = openssl_cert(tmp.path(), "c", "/CN=Test Root C");
    let bundle = tmp.path().join("bundle.pem");
    std::fs::write(
        &bundle,
        [std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap()].concat(),
    )
    .unwrap();
    let c_der = tmp.path().join("c.der");
    run_ok(
        support::openssl()
            .args(words("x509 -outform DER -in"))
            .arg(&c)
            .arg("-out")
            .arg(&c_der),
    );
    let mut add = wallet_cmd(&["add-trusted"], &dir, Some(&pwfile));
    add.arg("--cert").arg(&bundle).arg("--cert").arg(&c_der);
    let out = run_ok(&mut add);
    assert!(support::stderr(&out).contains("added 3 trusted certificates"));
    let mut again = wallet_cmd(&["add-trusted"], &dir, Some(&pwfile));
    again.arg("--cert").arg(&bundle);
    let out = run_ok(&mut again);
    let err = support::stderr(&out);
    assert!(
        err.contains(
            "already in the wallet, not added again: CN=Test Root A,O=Example\\, Inc.,C=US"
        ),
        "{err}"
    );
    assert!(
        err.contains("added 0 trusted certificates, 2 already present"),
        "{err}"
    );

    // Both files hold the same three certificates, in insertion order.
    let from_p12 = display_json(&dir.join("ewallet.p12"), Some(PW));
    let from_sso = display_json(&dir.join("cwallet.sso"), None);
    let want = [
        "CN=Test Root A,O=Example\\, Inc.,C=US",
        "CN=Test Root B,OU=Root,OU=PKI,O=Example",
        "CN=Test Root C",
    ];
    assert_eq!(trusted_subjects(&from_p12), want);
    assert_eq!(trusted_subjects(&from_sso), want);
    assert_eq!(from_sso["sso"]["kind_byte"], "0x36");
    // The text is orapki's: trailing spaces after two headers, and orapki's listing
    // order (its alias Hashtable's: for these three aliases C, B, A, as a JVM orders them).
    let text = stdout(&run_ok(&mut wallet_cmd(&["display"], &dir, None)));
    assert_eq!(
        text,
        "Requested Certificates: \nUser Certificates:\nTrusted Certificates: \nSubject:        CN=Test Root C\nSubject:        CN=Test Root B,OU=Root,OU=PKI,O=Example\nSubject:        CN=Test Root A,O=Example\\, Inc.,C=US\n"
    );

    // export-cert by subject: the PEM openssl wrote, byte for byte; 0644; no overwrite.
    let out_pem = tmp.path().join("exported.pem");
    let mut export = wallet_cmd(&["export-cert", "--subject", "CN=Test Root C"], &dir, None);
    export.arg("--out").arg(&out_pem);
    run_ok(&mut export);
    assert_eq!(
        std::fs::read_to_string(&out_pem).unwrap(),
        std::fs::read_to_string(&c).unwrap()
    );
    assert_eq!(mode_of(&out_pem), 0o644);
    // The same export again writes nothing (same bytes); another certificate there is
    // an overwrite, refused without --force.
    let mut export = wallet_cmd(&["export-cert", "--subject", "CN=Test Root C"], &dir, None);
    export.arg("--out").arg(&out_pem);
    run_ok(&mut export);
    let mut export = wallet_cmd(&["export-cert", "--subject", "CN=Test Root A"], &dir, None);
    export.arg("--out").arg(&out_pem);
    run_fails(&mut export, 1);
    assert_eq!(
        std::fs::read_to_string(&out_pem).unwrap(),
        std::fs::read_to_string(&c).unwrap()
    );

    // remove by fingerprint (as openssl prints it, with colons) and by subject.
    let fp = stdout(&run_ok(
        support::openssl()
            .args(words("x509 -noout -fingerprint -sha256 -in"))
            .arg(&b),
    ));
    let fp = fp.trim().split('=').nth(1).unwrap().to_owned();
    run_ok(&mut wallet_cmd(
        &["remove", "--fingerprint", &fp],
        &dir,
        Some(&pwfile),
    ));
    run_ok(&mut wallet_cmd(
        &[
            "remove",
            "--subject",
            "CN=Test Root A, O=Example\\, Inc., C=US",
        ],
        &dir,
        Some(&pwfile),
    ));
    let err = run_fails(
        &mut wallet_cmd(&["remove", "--subject", "CN=Nope"], &dir, Some(&pwfile)),
        1,
    );
    assert!(err.contains("no entry") && err.contains("CN=Nope"), "{err}");
    assert_eq!(
        trusted_subjects(&display_json(&dir.join("cwallet.sso"), None)),
        ["CN=Test Root C"]
    );
    assert_eq!(
        trusted_subjects(&display_json(&dir.join("ewallet.p12"), Some(PW))),
        ["CN=Test Root C"]
    );
    // Nothing but the wallet and its lock files is left behind.
    assert_eq!(support::list_files(&dir).len(), 4);
}

#[test]
fn auto_login_only_wallets_change_without_a_password() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dms");
    run_ok(&mut wallet_cmd(
        &["create", "--auto-login-only"],
        &dir,
        None,
    ));
    assert!(!dir.join("ewallet.p12").exists());
    let root = openssl_cert(tmp.path(), "root", "/CN=DMS Root CA");
    let mut add = wallet_cmd(&["add-trusted"], &dir, None);
    add.arg("--cert").arg(&root);
    run_ok(&mut add);
    let report = display_json(&dir, None);
    assert_eq!(report["sso"]["kind_byte"], "0x37");
    assert_eq!(report["wallet_type"], "auto-login-only");
    assert_eq!(trusted_subjects(&report), ["CN=DMS Root CA"]);
    let Some((wc, code)) = walletcheck(&dir, None, &["--strict"]) else {
        return;
    };
    assert_eq!(code, 0, "{wc}");
}

#[test]
fn convert_between_types_and_encryptions_and_change_the_password() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let pwfile = password_file(tmp.path(), PW);
    run_ok(&mut wallet_cmd(&["create"], &dir, Some(&pwfile)));
    assert!(!dir.join("cwallet.sso").exists());
    let cert = openssl_cert(tmp.path(), "x", "/CN=Convert Me");
    let mut add = wallet_cmd(&["add-trusted"], &dir, Some(&pwfile));
    add.arg("--cert").arg(&cert);
    run_ok(&mut add);

    run_ok(&mut wallet_cmd(
        &["convert", "--to", "auto-login"],
        &dir,
        Some(&pwfile),
    ));
    assert_eq!(
        display_json(&dir.join("cwallet.sso"), None)["sso"]["kind_byte"],
        "0x36"
    );

    run_ok(&mut wallet_cmd(
        &["convert", "--to", "auto-login-only"],
        &dir,
        Some(&pwfile),
    ));
    assert!(!dir.join("ewallet.p12").exists());
    let r = display_json(&dir, None);
    assert_eq!(r["sso"]["kind_byte"], "0x37");
    assert_eq!(trusted_subjects(&r), ["CN=Convert Me"]);

    // Back to a password wallet: the password given becomes the new one.
    let newpw = tmp.path().join("new.pw");
    std::fs::write(&newpw, "Another#Pass1\n").unwrap();
    run_ok(&mut wallet_cmd(
        &["convert", "--to", "auto-login", "--encryption", "aes256"],
        &dir,
        Some(&newpw),
    ));
    let r = display_json(&dir.join("ewallet.p12"), Some("Another#Pass1"));
    assert_eq!(r["encryption"]["algorithm"], "PBES2");
    assert_eq!(r["encryption"]["cipher"], "aes256-cbc");
    assert_eq!(r["mac"]["algorithm"], "hmacWithSHA1");
    assert_eq!(trusted_subjects(&r), ["CN=Convert Me"]);

    run_ok(&mut wallet_cmd(
        &["convert", "--encryption", "3des"],
        &dir,
        Some(&newpw),
    ));
    assert_eq!(
        display_json(&dir.join("cwallet.sso"), None)["encryption"]["algorithm"],
        "pbeWithSHAAnd3-KeyTripleDES-CBC"
    );

    // change-password: a wrong current password changes nothing.
    let sso_before = std::fs::read(dir.join("cwallet.sso")).unwrap();
    let p12_before = std::fs::read(dir.join("ewallet.p12")).unwrap();
    let mut wrong = wallet_cmd(&["change-password"], &dir, Some(&pwfile));
    wrong
        .args(["--new-password-env", "NEWPW"])
        .env("NEWPW", "Third#Pass33");
    let err = run_fails(&mut wrong, 1);
    assert!(err.contains("ewallet.p12") && err.contains("MAC"), "{err}");
    assert_eq!(std::fs::read(dir.join("cwallet.sso")).unwrap(), sso_before);
    assert_eq!(std::fs::read(dir.join("ewallet.p12")).unwrap(), p12_before);

    let mut change = wallet_cmd(&["change-password"], &dir, Some(&newpw));
    change
        .args(["--new-password-env", "NEWPW"])
        .env("NEWPW", "Third#Pass33");
    run_ok(&mut change);
    assert_eq!(
        trusted_subjects(&display_json(
            &dir.join("ewallet.p12"),
            Some("Third#Pass33")
        )),
        ["CN=Convert Me"]
    );
    let mut old = orakit();
    old.args(["wallet", "display", "--wallet"])
        .arg(dir.join("ewallet.p12"))
        .arg("--password-file")
        .arg(&newpw);
    run_fails(&mut old, 1);
    // openssl agrees about the new password.
    let out = support::run(
        support::openssl()
            .args(words("pkcs12 -info -nokeys -legacy -passin env:P -in"))
            .arg(dir.join("ewallet.p12"))
            .env("P", "Third#Pass33"),
    );
    assert!(out.status.success(), "{}", support::stderr(&out));
}

#[test]
fn weak_new_passwords_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let weak = password_file(tmp.path(), "short1");
    let err = run_fails(&mut wallet_cmd(&["create"], &dir, Some(&weak)), 1);
    assert!(err.contains("at least 8 characters"), "{err}");
    assert!(!dir.join("ewallet.p12").exists());
}

#[test]
fn removing_a_user_certificate_removes_its_key_and_request() {
    let Some(root) = support::oracle_fixtures() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("adb");
    std::fs::create_dir(&dir).unwrap();
    for f in ["ewallet.p12", "cwallet.sso"] {
        std::fs::copy(root.join("raghuthota-adb-2019").join(f), dir.join(f)).unwrap();
    }
    let pwfile = password_file(tmp.path(), "Sunil1240@rtx112");
    let err = run_fails(
        &mut wallet_cmd(
            &[
                "remove",
                "--subject",
                "CN=9FFB62BC126744679D3F821AE47015BC.696DE7C6D8E44657A3E92B986AED5CBA,2.5.4.46=V1",
            ],
            &dir,
            Some(&pwfile),
        ),
        2,
    );
    assert!(err.contains("--kind"), "{err}");
    run_ok(&mut wallet_cmd(
        &[
            "remove",
            "--kind",
            "user",
            "--yes",
            "--subject",
            "CN=9FFB62BC126744679D3F821AE47015BC.696DE7C6D8E44657A3E92B986AED5CBA,2.5.4.46=V1",
        ],
        &dir,
        Some(&pwfile),
    ));
    for r in [
        display_json(&dir.join("ewallet.p12"), Some("Sunil1240@rtx112")),
        display_json(&dir.join("cwallet.sso"), None),
    ] {
        assert_eq!(r["counts"]["private_keys"], 0);
        assert_eq!(r["counts"]["requested_certificates"], 0);
        assert_eq!(r["counts"]["user_certificates"], 0);
        assert_eq!(r["counts"]["trusted_certificates"], 3);
        // The profile of the ADB wallet (MAC 1024) is kept.
        assert_eq!(r["mac"]["iterations"], 1024);
    }
}
