//! What a new user runs into first with wallets: a PEM file given as the wallet, and a
//! self-signed root exported to sign with.

use std::fs;

use crate::pki_helpers::scratch;
use crate::support::{openssl, orakit, run, run_ok, stdout, words};

/// `--wallet ca.pem` says the file is a PEM certificate before any password is asked
/// (here there is no terminal and no password source: the old code failed on that).
#[test]
fn a_pem_file_as_the_wallet_is_named_before_any_password() {
    let tmp = scratch();
    let dir = tmp.path();
    run_ok(orakit().current_dir(dir).args(words(
        "ca init --subject CN=First,O=Example --key-type p256 --key-out ca.key --out ca.pem",
    )));
    for (file, what) in [("ca.pem", "a certificate"), ("ca.key", "a private key")] {
        let out = run(orakit()
            .current_dir(dir)
            .args(["wallet", "display", "--wallet", file])
            .stdin(std::process::Stdio::null()));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("{file} is a PEM file ({what}), not a wallet")),
            "{err}"
        );
        assert!(!err.contains("password"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// A self-signed root sits in the wallet as user and as trusted certificate; exporting
/// it by subject writes it once, so `csr sign` takes the file as its CA.
#[test]
fn export_cert_writes_a_self_signed_root_once_and_csr_sign_takes_it() {
    let tmp = scratch();
    let dir = tmp.path();
    fs::write(dir.join("pw"), "First-Use-2026\n").unwrap();
    let o = |line: &str| run_ok(orakit().current_dir(dir).args(words(line)));
    o("wallet create --wallet w --password-file pw");
    run_ok(orakit().current_dir(dir).args([
        "wallet",
        "add-self-signed",
        "--wallet",
        "w",
        "--password-file",
        "pw",
        "--subject",
        "CN=First Root,O=Example",
        "--ca",
        "--days",
        "365",
        "--key-usage",
        "keyCertSign,cRLSign",
    ]));
    run_ok(orakit().current_dir(dir).args([
        "wallet",
        "export-cert",
        "--wallet",
        "w",
        "--password-file",
        "pw",
        "--subject",
        "CN=First Root,O=Example",
        "--out",
        "root.pem",
    ]));
    let pem = fs::read_to_string(dir.join("root.pem")).unwrap();
    assert_eq!(
        pem.matches("-----BEGIN CERTIFICATE-----").count(),
        1,
        "{pem}"
    );
    let subject =
        stdout(&run_ok(openssl().current_dir(dir).args(words(
            "x509 -in root.pem -noout -subject -nameopt RFC2253",
        ))));
    assert_eq!(subject.trim(), "subject=CN=First Root,O=Example");
    o("wallet export-key --wallet w --password-file pw --unencrypted --out root.key");
    o("key generate --key-type p256 --out server.key");
    o("csr create --key server.key --subject CN=server --out server.csr");
    o("csr sign server.csr --ca-cert root.pem --ca-key root.key --days 30 --out server.pem");
    let verify = run_ok(
        openssl()
            .current_dir(dir)
            .args(words("verify -CAfile root.pem server.pem")),
    );
    assert_eq!(stdout(&verify).trim(), "server.pem: OK");
}
