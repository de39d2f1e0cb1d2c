//! `orakit probe` and python-oracledb (thin mode, its own TLS stack) judge the same
//! servers the same way. python-oracledb checks the chain and the host name
//! (ssl_server_dn_match defaults on), like DMS verify-full. Against `openssl s_server` a
//! completed handshake shows as DPY-4011 (s_server does not speak Oracle Net).

use std::path::Path;
use std::process::Command;

use crate::pki_helpers::scratch;
use crate::probe_support::*;
use crate::support::*;

fn thin_script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/thin_connect.py")
}

/// Whether python-oracledb is there; outside CI a missing one skips the test.
fn have_python_oracledb() -> bool {
    let has = run(Command::new("python3").args(["-c", "import oracledb"]));
    if !has.status.success() {
        if std::env::var_os("CI").is_some() {
            panic!("python-oracledb is missing and CI is set");
        }
        eprintln!("skipping: python-oracledb is not installed");
        return false;
    }
    true
}

/// python-oracledb's error text for a connection to `host:port` trusting `wallet/ewallet.pem`.
fn thin_error(dir: &Path, host: &str, port: u16, wallet: &str) -> String {
    let out = run_ok(
        Command::new("python3")
            .arg(thin_script())
            .args([host, &port.to_string(), "orcl", wallet])
            .current_dir(dir),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["error"].as_str().unwrap().to_owned()
}

fn pem_wallet(dir: &Path, name: &str, ca: &str) {
    std::fs::create_dir(dir.join(name)).unwrap();
    std::fs::copy(
        dir.join(format!("{ca}.pem")),
        dir.join(name).join("ewallet.pem"),
    )
    .unwrap();
}

#[test]
fn probe_verdicts_agree_with_python_oracledb_thin() {
    if !have_python_oracledb() {
        return;
    }
    let tmp = scratch();
    let dir = tmp.path();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Interop Root CA,O=Example")
        .ca_named("other", "CN=Interop Other CA,O=Example")
        .signed_by("ca")
        .server_named("good", "CN=localhost,O=Example", &["localhost"])
        .server_named(
            "named",
            "CN=db1.example.com,O=Example",
            &["db1.example.com"],
        )
        .server_named("old", "CN=localhost,O=Old", &["localhost"]);
    make_expired_server(dir, "ca", "old");
    pem_wallet(dir, "trust-ca", "ca");
    pem_wallet(dir, "trust-other", "other");

    // (server, wallet, probe's verify-full verdict, what python-oracledb says)
    let cases = [
        ("good", "trust-ca", "pass", "DPY-4011"),
        ("good", "trust-other", "fail", "CERTIFICATE_VERIFY_FAILED"),
        ("old", "trust-ca", "fail", "certificate has expired"),
        ("named", "trust-ca", "fail", "DPY-6006"),
    ];
    for (cert, wallet, verdict, thin_says) in cases {
        let server = TlsServer::start(dir, &format!("{cert}.pem"), &format!("{cert}.key"), &[]);
        let thin = thin_error(dir, "localhost", server.port, wallet);
        assert!(
            thin.contains(thin_says),
            "{cert}/{wallet}: python-oracledb said {thin}"
        );
        let (code, json) = probe_json(dir, &[&server.target("localhost"), "--wallet", wallet]);
        assert_eq!(
            mode(&json, "verify-full").0,
            verdict,
            "{cert}/{wallet}: {json:#}"
        );
        assert_eq!(code, if verdict == "pass" { 0 } else { 3 });
        assert!(
            json["trust_source"]
                .as_str()
                .unwrap()
                .ends_with("ewallet.pem")
        );
    }
}

/// python-oracledb 26.1 thin does not accept an IP address SAN for an IP host (DPY-6006),
/// while webpki and DMS-style checks do; the probe passes verify-full and says so.
#[test]
fn an_ip_san_passes_verify_full_with_a_python_oracledb_warning() {
    if !have_python_oracledb() {
        return;
    }
    let tmp = scratch();
    let dir = tmp.path();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Interop Root CA,O=Example")
        .server_named("ip", "CN=db,O=Example", &["127.0.0.1"]);
    pem_wallet(dir, "trust-ca", "ca");
    let server = TlsServer::start(dir, "ip.pem", "ip.key", &[]);
    let thin = thin_error(dir, "127.0.0.1", server.port, "trust-ca");
    let (code, json) = probe_json(dir, &[&server.target("127.0.0.1"), "--wallet", "trust-ca"]);
    assert_eq!(code, 0, "{json:#}");
    let (verdict, reason) = mode(&json, "verify-full");
    assert_eq!(verdict, "pass");
    assert!(reason.contains("DPY-6006"), "{reason}");
    // The note is true for the python-oracledb checked (26.1); a later release that
    // accepts IP SANs makes it stale, which is worth a notice, not a red build.
    if !thin.contains("DPY-6006") {
        eprintln!("notice: this python-oracledb accepts an IP SAN ({thin}); revisit the note");
    }
}
