//! `orakit doctor` on revocation settings: a published CRL of the wallet's CA passes; a
//! missing directory, an unhashed CRL, a stale one, one of a CA the wallet does not hold,
//! a wrong hash name and REQUIRED with nothing to read are each named.

use std::path::Path;

use crate::doctor_setup::{client_setup, doctor, problems};
use crate::pki_helpers::ok;
use crate::support::Fixture;

fn sqlnet_with(dir: &Path, lines: &str) {
    let path = dir.join("admin/sqlnet.ora");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(lines);
    std::fs::write(path, text).unwrap();
}

fn codes(dir: &Path) -> Vec<String> {
    let (_, json) = doctor(dir, &[]);
    problems(&json).into_iter().map(|(c, _, _)| c).collect()
}

#[test]
fn doctor_accepts_a_published_crl_of_the_wallets_ca() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    client_setup(d);
    ok(
        d,
        &[
            "crl",
            "create",
            "--ca-cert",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--out",
            "ca.crl",
        ],
    );
    std::fs::create_dir(d.join("crls")).unwrap();
    let crls = d.join("crls");
    sqlnet_with(
        d,
        &format!(
            "SSL_CERT_REVOCATION = REQUIRED\nSSL_CRL_PATH = {}\n",
            crls.display()
        ),
    );
    // Nothing published yet: REQUIRED finds no CRL.
    let (_, json) = doctor(d, &[]);
    let found = problems(&json);
    assert!(
        found
            .iter()
            .any(|(c, e, _)| c == "crl-required-none" && e == "ORA-29024"),
        "{found:?}"
    );
    // The CRL copied in under its own name: not found by hash, and named so.
    std::fs::copy(d.join("ca.crl"), crls.join("ca.crl")).unwrap();
    let c = codes(d);
    assert!(c.contains(&"crl-not-hashed".to_string()), "{c:?}");
    std::fs::remove_file(crls.join("ca.crl")).unwrap();
    ok(d, &["crl", "hash", "--crl", "ca.crl", "--dir", "crls"]);
    let c = codes(d);
    assert!(!c.iter().any(|c| c.starts_with("crl-")), "{c:?}");
}

#[test]
fn doctor_names_each_crl_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    client_setup(d);
    // A missing SSL_CRL_PATH.
    sqlnet_with(
        d,
        "SSL_CERT_REVOCATION = REQUESTED\nSSL_CRL_PATH = /nonexistent/crls\n",
    );
    assert!(codes(d).contains(&"crl-path-missing".to_string()));

    // Stale (nextUpdate = thisUpdate, orapki's default), untrusted issuer, wrong name.
    client_setup_reset(d);
    let crls = d.join("crls");
    std::fs::create_dir(&crls).unwrap();
    ok(
        d,
        &[
            "crl",
            "create",
            "--ca-cert",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--next-update",
            "0",
            "--out",
            "stale.crl",
        ],
    );
    Fixture::at(d)
        .key_type("p256")
        .ca_named("other", "CN=Not In Wallet");
    ok(
        d,
        &[
            "crl",
            "create",
            "--ca-cert",
            "other.pem",
            "--ca-key",
            "other.key",
            "--out",
            "other.crl",
        ],
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    ok(d, &["crl", "hash", "--crl", "stale.crl", "--dir", "crls"]);
    ok(d, &["crl", "hash", "--crl", "other.crl", "--dir", "crls"]);
    std::fs::copy(d.join("other.crl"), crls.join("00000000.r0")).unwrap();
    sqlnet_with(
        d,
        &format!(
            "SSL_CERT_REVOCATION = REQUIRED\nSSL_CRL_PATH = {}\n",
            crls.display()
        ),
    );
    let (_, json) = doctor(d, &[]);
    let found = problems(&json);
    let has = |code: &str, text: &str| found.iter().any(|(c, _, m)| c == code && m.contains(text));
    assert!(has("crl-stale", "CN=Doctor Root CA"), "{found:?}");
    assert!(has("crl-issuer-untrusted", "CN=Not In Wallet"), "{found:?}");
    assert!(has("crl-hash-mismatch", "00000000.r0"), "{found:?}");
    assert!(
        !found.iter().any(|(c, _, _)| c == "crl-required-none"),
        "{found:?}"
    );

    // REQUIRED and nothing anywhere (the wallet directory holds no CRL either).
    client_setup_reset(d);
    sqlnet_with(d, "SSL_CERT_REVOCATION = REQUIRED\n");
    assert!(codes(d).contains(&"crl-required-none".to_string()));
    // A CRL file that is not one.
    client_setup_reset(d);
    std::fs::write(d.join("junk.crl"), "junk\n").unwrap();
    sqlnet_with(
        d,
        &format!(
            "SSL_CERT_REVOCATION = REQUESTED\nSSL_CRL_FILE = {}\n",
            d.join("junk.crl").display()
        ),
    );
    let (_, json) = doctor(d, &[]);
    let found = problems(&json);
    assert!(
        found
            .iter()
            .any(|(c, _, m)| c == "crl-unreadable" && m.contains("junk.crl")),
        "{found:?}"
    );
}

/// Rewrites admin/sqlnet.ora as the client setup wrote it.
fn client_setup_reset(d: &Path) {
    let wallet = d.join("w");
    ok(
        d,
        &[
            "net",
            "sqlnet",
            "--role",
            "client",
            "--wallet-dir",
            wallet.to_str().unwrap(),
            "--out",
            "admin/sqlnet.ora",
            "--force",
        ],
    );
}
