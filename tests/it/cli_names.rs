//! Renamed options (docs/cli-names.md): each old spelling still does what the new one
//! does, and says once on stderr that it was renamed.

use std::fs;
use std::path::Path;

use crate::fleet_common::{HEADER, issue, setup};
use crate::pki_helpers::scratch;
use crate::probe_support::{TlsServer, mode, probe_json};
use crate::support::Fixture;
use crate::support::{orakit, run, run_ok, stderr, stdout, words};

fn note(old: &str, new: &str) -> String {
    format!("note: {old} is now {new}; the old name goes away in a later release")
}

fn assert_one_note(out: &std::process::Output, old: &str, new: &str) {
    let err = stderr(out);
    assert_eq!(err.matches(&note(old, new)).count(), 1, "{err}");
}

/// `net --key-type rsa|ec` became the values every other command takes: the old values
/// write the same entries as rsa2048 / p256.
#[test]
fn net_key_type_rsa_and_ec_still_work() {
    for (old, new) in [("rsa", "rsa2048"), ("ec", "p256")] {
        let line = "net sqlnet --role server --wallet-dir /w --key-type";
        let with_old = run_ok(orakit().args(words(line)).arg(old));
        let with_new = run_ok(orakit().args(words(line)).arg(new));
        assert_eq!(stdout(&with_old), stdout(&with_new));
        assert_one_note(
            &with_old,
            &format!("--key-type {old}"),
            &format!("--key-type {new}"),
        );
        assert!(stderr(&with_new).is_empty(), "{}", stderr(&with_new));
    }
    // The family is what reached the file: EC suites for ec, RSA ones for rsa.
    let ec = stdout(&run_ok(orakit().args(words(
        "net sqlnet --role server --wallet-dir /w --key-type ec",
    ))));
    assert!(ec.contains("ECDHE_ECDSA"), "{ec}");
    assert!(!ec.contains("ECDHE_RSA"), "{ec}");
}

/// `-f` (only on key, ca, csr and man) became `--force` alone.
#[test]
fn short_f_still_forces() {
    let tmp = scratch();
    let dir = tmp.path();
    run_ok(
        orakit()
            .current_dir(dir)
            .args(words("key generate --out k.pem")),
    );
    let before = fs::read(dir.join("k.pem")).unwrap();
    let out = run_ok(
        orakit()
            .current_dir(dir)
            .args(words("key generate -f --out k.pem")),
    );
    assert_ne!(
        fs::read(dir.join("k.pem")).unwrap(),
        before,
        "-f replaced the key"
    );
    assert_one_note(&out, "-f", "--force");
}

/// `probe --ca FILE` became `--ca-cert FILE`: the old spelling still sets the trust.
#[test]
fn probe_ca_still_sets_the_trusted_ca() {
    let tmp = scratch();
    let dir = tmp.path();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Names Root CA,O=Example")
        .server_named("server", "CN=localhost", &["localhost", "127.0.0.1"]);
    let server = TlsServer::start(dir, "server.pem", "server.key", &[]);
    let target = server.target("127.0.0.1");
    let (code, json) = probe_json(dir, &[&target, "--ca", "ca.pem"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(mode(&json, "verify-full").0, "pass", "{json:#}");
    let out = run(orakit()
        .current_dir(dir)
        .args(["probe", &target, "--ca", "ca.pem", "--json"]));
    assert_one_note(&out, "--ca", "--ca-cert");
}

/// `dms wallet --ca FILE` became `--ca-cert FILE` (repeatable like before).
#[test]
fn dms_wallet_ca_still_names_the_chain() {
    let tmp = scratch();
    let dir = tmp.path();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("root", "CN=Names DMS Root,O=Example");
    let out = run_ok(
        orakit()
            .current_dir(dir)
            .args(words("dms wallet --ca root.pem --out dms")),
    );
    assert_one_note(&out, "--ca", "--ca-cert");
    let shown = run_ok(
        orakit()
            .current_dir(dir)
            .args(words("wallet display --wallet dms --json")),
    );
    assert!(
        stdout(&shown).contains("CN=Names DMS Root"),
        "{}",
        stdout(&shown)
    );
}

/// `tcps issue --wallet-location` became `--server-wallet-dir`, `tcps init`'s name for
/// the same place.
#[test]
fn tcps_issue_wallet_location_still_sets_the_install_dir() {
    let tmp = scratch();
    let dir = tmp.path();
    setup(dir);
    fs::write(
        dir.join("hosts.csv"),
        format!("{HEADER}db1.example.com,,S,,\n"),
    )
    .unwrap();
    let out = run_ok(issue(dir, "hosts.csv", "out").args(["--wallet-location", "/srv/{host}/tls"]));
    assert_one_note(&out, "--wallet-location", "--server-wallet-dir");
    let sqlnet = read(&dir.join("out/db1.example.com/network/sqlnet.ora"));
    assert!(sqlnet.contains("/srv/db1.example.com/tls"), "{sqlnet}");
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
