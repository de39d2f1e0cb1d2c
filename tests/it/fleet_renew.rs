//! `--renew-within DAYS`: certificates expiring soon are re-issued for the same key;
//! the others are left as they are.

use crate::fleet_common::{HEADER, cert_public_key, issue, setup, snapshot, wallet_public_key};
use crate::support::words;
use crate::support::{openssl, run_ok, stdout};

fn serial(cert: &std::path::Path) -> String {
    stdout(&run_ok(
        openssl().args(words("x509 -noout -serial -in")).arg(cert),
    ))
}

#[test]
fn renewal_keeps_the_key_and_replaces_only_expiring_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}soon.example.com,,S,2484,\n"),
    )
    .unwrap();
    run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256 --days 10")));
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}soon.example.com,,S,2484,\nlater.example.com,,S,2484,\n"),
    )
    .unwrap();
    run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256 --days 365")));

    let soon = d.join("out/soon.example.com");
    let later = d.join("out/later.example.com");
    let old_key = wallet_public_key(&soon.join("wallet/ewallet.p12"));
    assert_eq!(old_key, cert_public_key(&soon.join("server.pem")));
    let old_serial = serial(&soon.join("server.pem"));
    let later_before = snapshot(&later);

    let out =
        run_ok(issue(d, "hosts.csv", "out").args(words("--renew-within 30 --days 365 --json")));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["renewed"].as_u64(), summary["skipped"].as_u64()),
        (Some(1), Some(1))
    );

    // Same key (as openssl reads it from the new wallet and the new certificate) ...
    assert_eq!(wallet_public_key(&soon.join("wallet/ewallet.p12")), old_key);
    assert_eq!(cert_public_key(&soon.join("server.pem")), old_key);
    // ... a new certificate, valid for the new period, still from the CA.
    assert_ne!(serial(&soon.join("server.pem")), old_serial);
    let check = run_ok(
        openssl()
            .args([
                "x509",
                "-noout",
                "-checkend",
                &(200 * 86_400).to_string(),
                "-in",
            ])
            .arg(soon.join("server.pem")),
    );
    assert!(stdout(&check).contains("will not expire"));
    run_ok(
        openssl()
            .arg("verify")
            .arg("-CAfile")
            .arg(d.join("ca/ca.pem"))
            .arg(soon.join("server.pem")),
    );
    // The host that was not due is untouched, byte for byte and by time.
    assert_eq!(snapshot(&later), later_before);
    assert!(!d.join("out/.orakit-staging").exists());
}
