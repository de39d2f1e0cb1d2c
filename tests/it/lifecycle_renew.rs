//! `tcps renew DIR` on a `tcps init` output: what changes (the server wallet, server.pem,
//! the summary), what never does (.ora files, the client wallet), the CA check, and that
//! a run with nothing due changes no byte and no mtime. Certificates are read back with
//! openssl, not with orakit.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::lifecycle_common::{now_unix, openssl_not_after, snapshot};
use crate::support::{openssl, orakit, run, run_ok, words};
use crate::tcps_common::{PASSWORD, init};

const DAY: i64 = 86_400;

fn renew(out: &Path, extra: &[&str]) -> Value {
    let done = run_ok(
        orakit()
            .args(["tcps", "renew"])
            .arg(out)
            .args(["--password-env", "TCPS_TEST_PW", "--json"])
            .args(extra)
            .env("TCPS_TEST_PW", PASSWORD),
    );
    serde_json::from_slice(&done.stdout).unwrap()
}

/// openssl's view of a PEM certificate: serial and public key.
fn openssl_facts(cert: &Path) -> (String, String) {
    let serial = run_ok(openssl().args(words("x509 -noout -serial -in")).arg(cert));
    let key = run_ok(openssl().args(words("x509 -noout -pubkey -in")).arg(cert));
    (
        String::from_utf8_lossy(&serial.stdout).trim().to_owned(),
        String::from_utf8_lossy(&key.stdout).into_owned(),
    )
}

/// The certificates openssl finds in the p12 (PEM), and the public key of its private key.
fn p12_by_openssl(p12: &Path) -> (String, String) {
    let cert = run_ok(
        openssl()
            .args(words(
                "pkcs12 -nokeys -clcerts -passin env:TCPS_TEST_PW -in",
            ))
            .arg(p12)
            .env("TCPS_TEST_PW", PASSWORD),
    );
    let key = run_ok(
        openssl()
            .args(words("pkcs12 -nocerts -nodes -passin env:TCPS_TEST_PW -in"))
            .arg(p12)
            .env("TCPS_TEST_PW", PASSWORD),
    );
    let tmp = tempfile::NamedTempFile::new().unwrap();
    fs::write(tmp.path(), &key.stdout).unwrap();
    let public = run_ok(openssl().args(words("pkey -pubout -in")).arg(tmp.path()));
    (
        String::from_utf8_lossy(&cert.stdout).into_owned(),
        String::from_utf8_lossy(&public.stdout).into_owned(),
    )
}

fn pem_body(text: &str) -> String {
    let start = text.find("-----BEGIN CERTIFICATE-----").unwrap();
    let end = text.find("-----END CERTIFICATE-----").unwrap();
    text[start..end].to_owned()
}

#[test]
fn renew_replaces_the_certificate_on_the_same_key_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &["--days", "20"]);
    let (old_serial, old_key) = openssl_facts(&out.join("server/server.pem"));
    let old_body = pem_body(&fs::read_to_string(out.join("server/server.pem")).unwrap());
    let before = snapshot(&out);

    // --check: reports the plan, changes nothing (not even .lck files).
    let planned = renew(&out, &["--check"]);
    assert_eq!(planned["changed"], true);
    assert_eq!(planned["check"], true);
    assert_eq!(planned["renewed"], true);
    assert_eq!(snapshot(&out), before, "--check changed a file");

    let report = renew(&out, &["--days", "400"]);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["changed"], true);
    assert_eq!(report["key"], "kept");
    let files: Vec<&str> = report["files_changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "server/wallet/ewallet.p12",
            "server/wallet/cwallet.sso",
            "server/server.pem",
            "orakit-tcps.json"
        ]
    );
    let server_pem = out.join("server/server.pem");
    let (new_serial, new_key) = openssl_facts(&server_pem);
    assert_ne!(new_serial, old_serial);
    assert_eq!(new_key, old_key, "the key is kept");
    // 400 days from now, as openssl reads the new certificate.
    let left = (openssl_not_after(&server_pem) - now_unix()).div_euclid(DAY);
    assert!((398..=400).contains(&left), "{left}");
    // Chains to the unchanged CA.
    run_ok(
        openssl()
            .args(words("verify -purpose sslserver -CAfile"))
            .arg(out.join("client/wallet/ewallet.pem"))
            .arg(&server_pem),
    );
    // The p12, as openssl reads it: the new certificate on the same key.
    let (p12_certs, p12_key) = p12_by_openssl(&out.join("server/wallet/ewallet.p12"));
    assert!(p12_certs.contains(&pem_body(&fs::read_to_string(&server_pem).unwrap())));
    assert!(
        !p12_certs.contains(&old_body),
        "the old certificate is still in the p12"
    );
    assert_eq!(
        p12_certs.matches("BEGIN CERTIFICATE").count(),
        2,
        "{p12_certs}"
    );
    assert_eq!(p12_key, old_key);
    // The summary says when the new one ends; the .ora files and the client wallet are
    // byte for byte what they were.
    let summary: Value =
        serde_json::from_slice(&fs::read(out.join("orakit-tcps.json")).unwrap()).unwrap();
    let expiry_text = String::from_utf8_lossy(
        &run_ok(std::process::Command::new("date").args([
            "-u",
            "-d",
            &format!("@{}", openssl_not_after(&server_pem)),
            "+%Y-%m-%dT%H:%M:%SZ",
        ]))
        .stdout,
    )
    .trim()
    .to_owned();
    assert_eq!(summary["server"]["not_after"], expiry_text.as_str());
    let after = snapshot(&out);
    for (rel, (bytes, _)) in &before {
        let name = rel.to_string_lossy();
        if name.ends_with(".ora") || name.starts_with("client/") || name.starts_with("ca/") {
            assert_eq!(&after[rel].0, bytes, "{name} changed");
        }
    }

    // Nothing due now: changed false, no byte and no mtime moves.
    let again = renew(&out, &[]);
    assert_eq!(again["changed"], false, "{again:#}");
    assert_eq!(again["renewed"], false);
    assert!(again["files_changed"].as_array().unwrap().is_empty());
    assert_eq!(
        snapshot(&out),
        after,
        "a run with nothing due changed a file"
    );
}

#[test]
fn new_key_makes_a_new_key_and_the_wallet_holds_it_with_the_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &[]);
    let (_, old_key) = openssl_facts(&out.join("server/server.pem"));
    let old_pem = fs::read(out.join("server/server.pem")).unwrap();
    let report = renew(&out, &["--force", "--new-key"]);
    assert_eq!(report["key"], "new");
    let (_, new_key) = openssl_facts(&out.join("server/server.pem"));
    assert_ne!(new_key, old_key);
    let (p12_certs, p12_key) = p12_by_openssl(&out.join("server/wallet/ewallet.p12"));
    assert_eq!(p12_key, new_key);
    assert!(p12_certs.contains(&pem_body(
        &fs::read_to_string(out.join("server/server.pem")).unwrap()
    )));
    assert_eq!(
        p12_certs.matches("BEGIN CERTIFICATE").count(),
        2,
        "{p12_certs}"
    );
    // The SANs stay.
    let text = run_ok(
        openssl()
            .args(words("x509 -noout -ext subjectAltName -in"))
            .arg(out.join("server/server.pem")),
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("DNS:localhost") && text.contains("IP Address:127.0.0.1"),
        "{text}"
    );

    // A run killed after the wallet was written left the old server.pem: the next run,
    // with nothing due, brings it in line with the wallet and renews nothing.
    let renewed_pem = fs::read(out.join("server/server.pem")).unwrap();
    fs::write(out.join("server/server.pem"), &old_pem).unwrap();
    let healed = renew(&out, &[]);
    assert_eq!(healed["renewed"], false, "{healed:#}");
    assert_eq!(healed["changed"], true);
    assert_eq!(
        healed["files_changed"],
        serde_json::json!(["server/server.pem"])
    );
    assert_eq!(
        fs::read(out.join("server/server.pem")).unwrap(),
        renewed_pem
    );
}

#[test]
fn a_ca_of_the_same_name_with_another_key_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "one", &[]);
    // Same defaults, so the same CA name ("CN=localhost TCPS Root CA"), another key.
    let other = init(dir.path(), "two", &[]);
    for f in ["ca/ca.pem", "ca/ca.key"] {
        fs::copy(other.join(f), out.join(f)).unwrap();
    }
    let before = snapshot(&out);
    let failed = run(orakit()
        .args(["tcps", "renew"])
        .arg(&out)
        .args(["--password-env", "TCPS_TEST_PW", "--force"])
        .env("TCPS_TEST_PW", PASSWORD));
    assert_eq!(failed.status.code(), Some(1));
    let message = String::from_utf8_lossy(&failed.stderr);
    assert!(
        message.contains("not by the CA in") && message.contains("signature"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_wrong_password_and_a_directory_not_made_by_tcps_init_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &[]);
    let before = snapshot(&out);
    let failed = run(orakit()
        .args(["tcps", "renew"])
        .arg(&out)
        .args(["--password-env", "PW", "--force"])
        .env("PW", "Wrong-password-1"));
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("ewallet.p12"));
    assert_eq!(snapshot(&out), before);
    let failed = run(orakit()
        .args(["tcps", "renew"])
        .arg(dir.path())
        .args(["--password-env", "PW"])
        .env("PW", PASSWORD));
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("is not a `tcps init` output"));
}

#[test]
fn renew_right_after_init_with_nothing_due_changes_no_byte_or_mtime() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &[]);
    let before = snapshot(&out);
    let report = renew(&out, &[]);
    assert_eq!(report["renewed"], false, "{report}");
    assert_eq!(report["changed"], false, "{report}");
    assert_eq!(report["files_changed"], serde_json::json!([]), "{report}");
    assert_eq!(
        snapshot(&out),
        before,
        "a renewal with nothing due changed a file"
    );
}
