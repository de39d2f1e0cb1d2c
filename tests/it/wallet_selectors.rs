//! `wallet remove` / `export-cert` selectors: --alias, --issuer with --serial, and
//! `remove --all-trusted` (orapki `-trusted_cert_all`), with their bad combinations.

use std::path::Path;

use crate::support::{Fixture, openssl, orakit, run_fails, run_ok, stdout};

const PW: &str = "Selector-pw-2026";

/// A self-signed P-256 root `NAME.pem` with subject `subject` and serial `serial` (decimal).
fn root(dir: &Path, name: &str, subject: &str, serial: u32) {
    run_ok(openssl().current_dir(dir).args([
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "30",
        "-subj",
        subject,
        "-set_serial",
        &serial.to_string(),
        "-keyout",
        &format!("{name}.key"),
        "-out",
        &format!("{name}.pem"),
    ]));
}

fn wallet(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = orakit();
    cmd.current_dir(dir)
        .arg("wallet")
        .args(args)
        .args(["--wallet", "w", "--password-env", "SEL_PW"])
        .env("SEL_PW", PW);
    cmd
}

/// Subjects (with serials) of the trusted certificates, as `display --json` reports them.
fn trusted(dir: &Path) -> Vec<(String, String)> {
    let out = run_ok(&mut wallet(dir, &["display", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    report["trusted_certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["subject"].as_str().unwrap().to_string(),
                c["serial"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Two roots with the same subject (a reissued root: serials 0x1001 and 0x1002) and a
/// third one, all trusted in a new wallet.
fn three_roots() -> Fixture {
    let f = Fixture::new().password(PW);
    root(f.dir(), "twin1", "/CN=Twin Root/O=Example", 0x1001);
    root(f.dir(), "twin2", "/CN=Twin Root/O=Example", 0x1002);
    root(f.dir(), "solo", "/CN=Solo Root", 77);
    f.wallet("w")
        .trusted("w", "twin1.pem")
        .trusted("w", "twin2.pem")
        .trusted("w", "solo.pem")
}

#[test]
fn issuer_and_serial_pick_one_of_two_roots_with_the_same_subject() {
    let f = three_roots();
    let dir = f.dir();
    // By subject the two twins are one ambiguous choice for export: both are written.
    run_ok(&mut wallet(
        dir,
        &[
            "export-cert",
            "--issuer",
            "O=Example,CN=Twin Root",
            "--serial",
            "10:02",
            "--out",
            "t2.pem",
        ],
    ));
    let written = std::fs::read_to_string(f.path("t2.pem")).unwrap();
    let twin2 = std::fs::read_to_string(f.path("twin2.pem")).unwrap();
    assert_eq!(written.trim(), twin2.trim());
    // A wrong issuer narrowing --subject finds nothing and writes nothing.
    let err = run_fails(
        &mut wallet(
            dir,
            &[
                "export-cert",
                "--subject",
                "CN=Solo Root",
                "--issuer",
                "O=Example,CN=Twin Root",
                "--out",
                "x.pem",
            ],
        ),
        1,
    );
    assert!(err.contains("no certificate"), "{err}");
    assert!(!f.path("x.pem").exists());
    run_ok(&mut wallet(
        dir,
        &[
            "remove",
            "--issuer",
            "O=Example,CN=Twin Root",
            "--serial",
            "0x1001",
        ],
    ));
    let left = trusted(dir);
    assert_eq!(
        left,
        vec![
            ("O=Example,CN=Twin Root".to_string(), "1002".to_string()),
            ("CN=Solo Root".to_string(), "4d".to_string()),
        ]
    );
    // orapki's alias for a certificate without a friendly name: CN=<common name>.
    run_ok(&mut wallet(dir, &["remove", "--alias", "CN=Solo Root"]));
    assert_eq!(trusted(dir).len(), 1);
    let err = run_fails(&mut wallet(dir, &["remove", "--alias", "CN=Solo Root"]), 1);
    assert!(err.contains("alias \"CN=Solo Root\""), "{err}");
}

#[test]
fn bad_selector_combinations_get_one_usage_error_and_change_nothing() {
    let f = three_roots();
    let dir = f.dir();
    let before = std::fs::read(f.path("w/ewallet.p12")).unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &["remove", "--issuer", "CN=Solo Root"],
            "--issuer and --serial go together",
        ),
        (
            &["remove", "--serial", "4d"],
            "--issuer and --serial go together",
        ),
        (&["remove"], "choose the entries with"),
        (
            &["remove", "--subject", "CN=Solo Root", "--alias", "x"],
            "not both",
        ),
        (
            &[
                "export-cert",
                "--alias",
                "CN=Solo Root",
                "--fingerprint",
                "00",
            ],
            "--fingerprint names one",
        ),
        (
            &["remove", "--issuer", "CN=Solo Root", "--serial", "zz"],
            "not a hexadecimal serial",
        ),
    ];
    for (args, says) in cases {
        let err = run_fails(&mut wallet(dir, args), 2);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    let err = run_fails(
        &mut wallet(dir, &["remove", "--all-trusted", "--alias", "x"]),
        2,
    );
    assert!(err.contains("cannot be used with"), "{err}");
    assert_eq!(std::fs::read(f.path("w/ewallet.p12")).unwrap(), before);
}

#[test]
fn all_trusted_removes_every_trusted_certificate_in_one_write() {
    let f = three_roots();
    let dir = f.dir();
    let before = std::fs::read(f.path("w/ewallet.p12")).unwrap();
    // Each entry with its serial in `removed`; the contract's `changes` name each subject.
    let removed_subjects = |out: &std::process::Output| -> Vec<String> {
        let report: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
        let mut names: Vec<String> = report["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{} #{}",
                    c["subject"].as_str().unwrap(),
                    c["serial"].as_str().unwrap()
                )
            })
            .collect();
        names.sort();
        let mut changed: Vec<&str> = report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["type"] == "entry" && c["action"] == "removed")
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        changed.sort();
        changed.dedup();
        assert_eq!(
            changed,
            ["CN=Solo Root", "O=Example,CN=Twin Root"],
            "{report}"
        );
        names
    };
    let want = vec![
        "CN=Solo Root #4d".to_string(),
        "O=Example,CN=Twin Root #1001".to_string(),
        "O=Example,CN=Twin Root #1002".to_string(),
    ];
    let check = run_ok(&mut wallet(
        dir,
        &["remove", "--all-trusted", "--check", "--json"],
    ));
    assert_eq!(removed_subjects(&check), want);
    assert_eq!(std::fs::read(f.path("w/ewallet.p12")).unwrap(), before);
    let done = run_ok(&mut wallet(dir, &["remove", "--all-trusted", "--json"]));
    assert_eq!(removed_subjects(&done), want);
    let report: serde_json::Value = serde_json::from_str(&stdout(&done)).unwrap();
    let files: Vec<&serde_json::Value> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "file" && c["path"].as_str().unwrap().ends_with("ewallet.p12"))
        .collect();
    assert_eq!(files.len(), 1, "one write of ewallet.p12: {report}");
    assert!(trusted(dir).is_empty());
    // Nothing left to remove is not an error (orapki answers success too).
    run_ok(&mut wallet(dir, &["remove", "--all-trusted"]));
}
