//! `orakit doctor` on server setups with broken certificates, each made for real: the
//! chain of a wrong CA, an expired certificate, a host the certificate does not name, and
//! cipher settings that cannot work (ORA-28860).

use std::io::Write;

use crate::doctor_setup::*;
use crate::pki_helpers::scratch;
use crate::probe_support::make_expired_server;
use crate::support::Fixture;

#[test]
fn a_wallet_with_the_wrong_ca_has_an_incomplete_chain_ora_29024() {
    let tmp = scratch();
    let dir = tmp.path();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("other", "CN=Unrelated CA,O=Elsewhere");
    server_setup(dir, "other");
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "chain-incomplete");
    assert_eq!(error, "ORA-29024");
    assert!(
        message.contains("CN=Doctor Root CA,O=Example,C=US"),
        "{message}"
    );
}

#[test]
fn a_ca_recreated_with_the_same_name_is_a_wrong_key_ora_29024() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    // Same DN, new key: the certificate in the wallet no longer verifies the server's.
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("same-name", "CN=Doctor Root CA,O=Example,C=US");
    server_wallet(dir, "server", "same-name");
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(problem(&json, "chain-wrong-key").0, "ORA-29024");
}

#[test]
fn an_expired_server_certificate_is_ora_29024() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    make_expired_server(dir, "ca", "server");
    server_wallet(dir, "server", "ca");
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "cert-expired");
    assert_eq!(error, "ORA-29024");
    assert!(message.contains("CN=localhost,O=Example,C=US"), "{message}");
    assert!(message.contains("2020-12-31"), "{message}");
}

#[test]
fn a_tcps_host_missing_from_the_server_certificate_is_named() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    tnsnames(dir, "db2.example.com");
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (_, message) = problem(&json, "san-host-mismatch");
    assert!(message.contains("db2.example.com"), "{message}");
    assert!(message.contains("DNS:localhost"), "{message}");
    // The IP address SAN covers an alias that connects by address.
    tnsnames(dir, "127.0.0.1");
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 0, "{json:#}");
}

#[test]
fn suites_for_the_other_key_type_and_tls_1_0_are_ora_28860() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    // ECDHE_RSA suites for the wallet's EC certificate.
    server_files(dir, "rsa");
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(problem(&json, "suite-key-mismatch").0, "ORA-28860");
    // A hand edit that allows TLS 1.0.
    server_files(dir, "ec");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("admin/listener.ora"))
        .unwrap();
    writeln!(f, "SSL_VERSION = 1.0").unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "tls-version");
    assert_eq!(error, "ORA-28860");
    assert!(message.contains("listener.ora"), "{message}");
}

#[test]
fn a_tnsnames_ora_oracle_cannot_parse_is_a_problem_with_its_line() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    let path = dir.join("admin/tnsnames.ora");
    let text = std::fs::read_to_string(&path).unwrap();
    // Drop the last closing parenthesis, as a hand edit might.
    let cut = text.rfind(')').unwrap();
    std::fs::write(&path, format!("{}{}", &text[..cut], &text[cut + 1..])).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (_, message) = problem(&json, "syntax");
    assert!(message.contains("tnsnames.ora line"), "{message}");
}
