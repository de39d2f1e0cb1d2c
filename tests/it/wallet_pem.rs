//! The orapki request flow (`add-key`, `export-request`, `add-user-cert`) and
//! `export-pem`, checked with openssl and walletcheck.py.

use crate::support::words;
use std::path::Path;

use crate::support::{openssl, orakit, run_fails, run_ok, walletcheck};

const PW: &str = "Wallet-pw-42";

fn w(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = orakit();
    cmd.current_dir(dir).args(args).env("PW", PW);
    cmd
}

#[test]
fn request_flow_then_ewallet_pem_with_an_encrypted_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "create",
            "--wallet",
            "w",
            "--auto-login",
            "--password-env",
            "PW",
        ],
    ));
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "add-key",
            "--wallet",
            "w",
            "--subject",
            "CN=db1.example.com,O=Example",
            "--key-type",
            "p256",
            "--san",
            "db1.example.com",
            "--password-env",
            "PW",
        ],
    ));
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "export-request",
            "--wallet",
            "w",
            "--out",
            "req.pem",
            "--password-env",
            "PW",
        ],
    ));
    // openssl checks the request's signature and reads its subject.
    let req = run_ok(
        openssl()
            .current_dir(d)
            .args(words("req -in req.pem -noout -verify -subject")),
    );
    assert!(String::from_utf8_lossy(&req.stdout).contains("CN = db1.example.com"));
    run_ok(&mut w(
        d,
        &[
            "ca",
            "init",
            "--subject",
            "CN=Flow Root CA",
            "--key-type",
            "p256",
            "--key-out",
            "ca.key",
            "--out",
            "ca.pem",
        ],
    ));
    run_ok(&mut w(
        d,
        &[
            "csr",
            "sign",
            "req.pem",
            "--ca-cert",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--out",
            "srv.pem",
        ],
    ));

    // The CA is not in the wallet yet: refused, naming it.
    let err = run_fails(
        &mut w(
            d,
            &[
                "wallet",
                "add-user-cert",
                "--wallet",
                "w",
                "--cert",
                "srv.pem",
                "--password-env",
                "PW",
            ],
        ),
        1,
    );
    assert!(
        err.contains("CN=Flow Root CA") && err.contains("add-trusted"),
        "{err}"
    );
    // A different CA of the same name: the signature check refuses it.
    run_ok(&mut w(
        d,
        &[
            "ca",
            "init",
            "--subject",
            "CN=Flow Root CA",
            "--key-type",
            "p256",
            "--key-out",
            "other.key",
            "--out",
            "other.pem",
        ],
    ));
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "add-trusted",
            "--wallet",
            "w",
            "--cert",
            "other.pem",
            "--password-env",
            "PW",
        ],
    ));
    let err = run_fails(
        &mut w(
            d,
            &[
                "wallet",
                "add-user-cert",
                "--wallet",
                "w",
                "--cert",
                "srv.pem",
                "--password-env",
                "PW",
            ],
        ),
        1,
    );
    assert!(err.contains("does not verify"), "{err}");
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "remove",
            "--wallet",
            "w",
            "--subject",
            "CN=Flow Root CA",
            "--kind",
            "trusted",
            "--password-env",
            "PW",
        ],
    ));
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "add-trusted",
            "--wallet",
            "w",
            "--cert",
            "ca.pem",
            "--password-env",
            "PW",
        ],
    ));
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "add-user-cert",
            "--wallet",
            "w",
            "--cert",
            "srv.pem",
            "--password-env",
            "PW",
        ],
    ));

    // ewallet.pem with the wallet password reused for the key (the ADB convention).
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "export-pem",
            "--wallet",
            "w",
            "--out",
            "w/ewallet.pem",
            "--password-env",
            "PW",
        ],
    ));
    let pem = std::fs::read_to_string(d.join("w/ewallet.pem")).unwrap();
    let labels: Vec<&str> = pem
        .lines()
        .filter(|l| l.starts_with("-----BEGIN"))
        .collect();
    assert_eq!(
        labels,
        [
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
            "-----BEGIN CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----"
        ]
    );
    let asn1 = run_ok(
        openssl()
            .current_dir(d)
            .args(["asn1parse", "-in", "w/ewallet.pem"]),
    );
    let asn1 = String::from_utf8_lossy(&asn1.stdout);
    assert!(
        asn1.contains("PBES2") && asn1.contains("aes-256-cbc"),
        "{asn1}"
    );
    // openssl decrypts the key with the password and it matches the first certificate.
    let key_pub = run_ok(
        openssl()
            .current_dir(d)
            .args(words("pkey -in w/ewallet.pem -passin env:PW -pubout"))
            .env("PW", PW),
    )
    .stdout;
    let cert_pub = run_ok(
        openssl()
            .current_dir(d)
            .args(words("x509 -in srv.pem -noout -pubkey")),
    )
    .stdout;
    assert_eq!(key_pub, cert_pub);
    let first_cert = run_ok(
        openssl()
            .current_dir(d)
            .args(words("x509 -in w/ewallet.pem -noout -subject")),
    )
    .stdout;
    assert!(String::from_utf8_lossy(&first_cert).contains("db1.example.com"));
    if let Some(checker) = walletcheck() {
        let checked = run_ok(
            std::process::Command::new("python3")
                .arg(checker)
                .arg(d.join("w"))
                .args(["--strict", "--password-env", "PW"])
                .env("PW", PW),
        );
        let text = String::from_utf8_lossy(&checked.stdout);
        assert!(
            text.contains("key matches first certificate: True"),
            "{text}"
        );
    }
    // Without any key password choice on a non-terminal, an auto-login wallet is refused.
    let err = run_fails(
        &mut w(
            d,
            &["wallet", "export-pem", "--wallet", "w", "--out", "x.pem"],
        ),
        2,
    );
    assert!(err.contains("--unencrypted-key"), "{err}");
    assert!(!d.join("x.pem").exists());
}

#[test]
fn a_trust_only_wallet_gives_a_ca_only_pem() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(&mut w(
        d,
        &[
            "ca",
            "init",
            "--subject",
            "CN=Trust Root",
            "--key-type",
            "p256",
            "--key-out",
            "ca.key",
            "--out",
            "ca.pem",
        ],
    ));
    run_ok(&mut w(
        d,
        &["wallet", "create", "--wallet", "t", "--auto-login-only"],
    ));
    run_ok(&mut w(
        d,
        &["wallet", "add-trusted", "--wallet", "t", "--cert", "ca.pem"],
    ));
    run_ok(&mut w(
        d,
        &[
            "wallet",
            "export-pem",
            "--wallet",
            "t",
            "--out",
            "t/ewallet.pem",
        ],
    ));
    let pem = std::fs::read_to_string(d.join("t/ewallet.pem")).unwrap();
    assert_eq!(pem.matches("-----BEGIN").count(), 1);
    assert!(!pem.contains("PRIVATE KEY"));
    let same = run_ok(
        openssl()
            .current_dir(d)
            .args(words("x509 -in t/ewallet.pem -noout -fingerprint -sha256")),
    )
    .stdout;
    let orig = run_ok(
        openssl()
            .current_dir(d)
            .args(words("x509 -in ca.pem -noout -fingerprint -sha256")),
    )
    .stdout;
    assert_eq!(same, orig);
}
