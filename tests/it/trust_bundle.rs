//! `wallet create --trust-bundle`: a trust-only wallet for outbound HTTPS from a PEM
//! bundle. The test's bundle (made with openssl) holds two current CAs, an expired CA, a
//! server certificate that is no CA and one CA twice; what goes in is read back with
//! `wallet export-pem` and compared with openssl's fingerprints of the certificates the
//! test chose.

use std::fs;

use crate::support::{orakit, run_fails, run_ok, stderr, words};
use crate::trust_bundle_certs::odd_bundle;

#[test]
fn expired_and_non_ca_certificates_are_skipped_duplicates_taken_once_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let b = odd_bundle(tmp.path());
    let bundle = tmp.path().join("bundle.pem");
    fs::write(&bundle, b.text()).unwrap();
    let wallet = tmp.path().join("wallet");
    let done = run_ok(
        orakit()
            .args(words("wallet create --auto-login-only --json --wallet"))
            .arg(&wallet)
            .arg("--trust-bundle")
            .arg(&bundle),
    );
    let err = stderr(&done);
    let line = "added 2 trusted certificates; skipped 1 expired, 1 not a CA, 1 duplicate";
    assert!(err.contains(line), "{err}");
    assert_eq!(
        err.lines().count(),
        2,
        "one line for the wallet, one for the bundle: {err}"
    );
    let json: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(json["summary"], line);
    let fps = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                c["sha256_fingerprint"]
                    .as_str()
                    .unwrap()
                    .replace(':', "")
                    .to_ascii_lowercase()
            })
            .collect()
    };
    let current: Vec<String> = b
        .current_cas
        .iter()
        .map(|c| crate::support::openssl_sha256(c))
        .collect();
    assert_eq!(fps("added"), current);
    assert_eq!(
        fps("skipped_expired"),
        [crate::support::openssl_sha256(&b.expired_ca)]
    );
    assert_eq!(
        fps("skipped_not_ca"),
        [crate::support::openssl_sha256(&b.not_ca)]
    );
    assert_eq!(json["duplicates"], 1);
    assert_eq!(fs::read(wallet.join("cwallet.sso")).unwrap()[3], 0x37);

    // --keep-expired --keep-non-ca keep them, still once each.
    let kept = tmp.path().join("kept");
    let done = run_ok(
        orakit()
            .args(words(
                "wallet create --auto-login-only --keep-expired --keep-non-ca --wallet",
            ))
            .arg(&kept)
            .arg("--trust-bundle")
            .arg(&bundle),
    );
    assert!(stderr(&done).contains("added 4 trusted certificates; skipped 1 duplicate"));
}

#[test]
fn a_trust_bundle_wallet_must_open_without_a_password_and_hold_something() {
    let tmp = tempfile::tempdir().unwrap();
    let b = odd_bundle(tmp.path());
    let wallet = tmp.path().join("wallet");
    let e = run_fails(
        orakit()
            .args(words("wallet create --password-env NOPE --wallet"))
            .arg(&wallet)
            .arg("--trust-bundle")
            .arg(&b.current_cas[0])
            .env("NOPE", "Some-pass-123"),
        2,
    );
    assert!(e.contains("--auto-login-only"), "{e}");
    // Only an expired CA and a non-CA: nothing to trust, nothing written.
    let useless = tmp.path().join("useless.pem");
    fs::write(
        &useless,
        fs::read_to_string(&b.expired_ca).unwrap() + &fs::read_to_string(&b.not_ca).unwrap(),
    )
    .unwrap();
    let e = run_fails(
        orakit()
            .args(words("wallet create --auto-login-only --wallet"))
            .arg(&wallet)
            .arg("--trust-bundle")
            .arg(&useless),
        1,
    );
    assert!(
        e.contains("skipped 1 expired, 1 not a CA") && e.contains("useless.pem"),
        "{e}"
    );
    assert!(!wallet.exists());
}
