//! `tcps issue --bring DIR`: a fleet where some hosts bring a certificate issued
//! elsewhere (a Kubernetes TLS secret, a PKCS#12 file from another corporate root) and the
//! rest are issued by the fleet CA. Checked with openssl against the files openssl made:
//! each brought host's wallet holds the brought key and certificate, the client wallet
//! trusts exactly the three roots, a rerun changes no byte or mtime, a new brought
//! certificate replaces only its host, and bad entries are refused by host with nothing
//! written.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::byo_chain::{PFX_PASSWORD, corporate_chain, renewed};
use crate::contract_common::validate;
use crate::fleet_common::{cert_public_key, issue, setup, snapshot, wallet_public_key};
use crate::support::{Fixture, run_fails, run_ok, words};

const HOSTS: &str = "host,sans,service,tcps_port,tcp_port\n\
localhost,127.0.0.1,ORCLPDB1,2484,1521\n\
db2.example.com,,SALES,2484,\n\
db3.example.com,,HR,2485,\n";

/// Every certificate of a PEM bundle, by openssl's fingerprint, sorted.
fn fingerprints_in(fx: &Fixture, bundle: &Path) -> Vec<String> {
    let text = fs::read_to_string(bundle).unwrap();
    let mut found: Vec<String> = text
        .split_inclusive("-----END CERTIFICATE-----\n")
        .enumerate()
        .filter_map(|(i, block)| {
            let at = block.find("-----BEGIN CERTIFICATE-----")?;
            Some(crate::support::openssl_sha256(
                &fx.write(&format!("fp-{i}.pem"), &block[at..]),
            ))
        })
        .collect();
    found.sort();
    found
}

fn bring_run(dir: &Path) -> Command {
    let mut cmd = issue(dir, "hosts.csv", "out");
    cmd.args(words(
        "--bring bring --pkcs12-password-env BYO_PFX_PW --json",
    ))
    .env("BYO_PFX_PW", PFX_PASSWORD);
    cmd
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn host_of<'a>(summary: &'a serde_json::Value, host: &str) -> &'a serde_json::Value {
    summary["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["host"] == host)
        .unwrap_or_else(|| panic!("{host} not in {summary}"))
}

#[test]
fn byo_fleet_brought_hosts_get_their_certificate_and_the_client_wallet_every_root() {
    let fx = Fixture::new();
    let d = fx.dir();
    setup(d);
    fs::write(d.join("hosts.csv"), HOSTS).unwrap();
    let corp = corporate_chain(d);
    let elsewhere = d.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let other = corporate_chain(&elsewhere);
    let bring = d.join("bring");
    copy_dir(&corp.k8s, &bring.join("localhost"));
    fs::copy(&other.pfx, bring.join("db2.example.com.p12")).unwrap();

    let done = run_ok(&mut bring_run(d));
    let summary: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(summary["issued"], 3, "{summary}");
    assert_eq!(summary["changed"], true);
    validate("tcps-issue", &summary);
    let local = host_of(&summary, "localhost");
    assert_eq!(
        local["brought"], "the TLS secret in bring/localhost",
        "{local}"
    );
    assert_eq!(
        host_of(&summary, "db2.example.com")["brought"],
        "bring/db2.example.com.p12"
    );
    assert!(
        host_of(&summary, "db3.example.com")
            .get("brought")
            .is_none()
    );
    // The certificate names localhost, not db2: said, not refused.
    let db2_warnings = host_of(&summary, "db2.example.com")["warnings"].to_string();
    assert!(
        db2_warnings.contains("does not name DNS:db2.example.com"),
        "{db2_warnings}"
    );
    let on_disk: serde_json::Value =
        serde_json::from_slice(&fs::read(d.join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(host_of(&on_disk, "localhost")["brought"], local["brought"]);
    validate("fleet-summary", &on_disk);

    // The brought hosts' wallets hold the brought keys and certificates.
    let out = d.join("out");
    assert_eq!(
        crate::support::openssl_sha256(&out.join("localhost/server.pem")),
        crate::support::openssl_sha256(&corp.server_cert)
    );
    assert_eq!(
        wallet_public_key(&out.join("localhost/wallet/ewallet.p12")),
        cert_public_key(&corp.server_cert)
    );
    assert_eq!(
        wallet_public_key(&out.join("db2.example.com/wallet/ewallet.p12")),
        cert_public_key(&other.server_cert)
    );
    let listener = fs::read_to_string(out.join("localhost/network/listener.ora")).unwrap();
    assert!(
        listener.contains("(HOST = localhost)") && listener.contains("2484"),
        "{listener}"
    );

    // The client wallet trusts the fleet CA (db3 is issued by it) and both brought roots.
    let mut expected = vec![
        crate::support::openssl_sha256(&d.join("ca/ca.pem")),
        crate::support::openssl_sha256(&corp.root),
        crate::support::openssl_sha256(&other.root),
    ];
    expected.sort();
    assert_eq!(
        fingerprints_in(&fx, &out.join("client-wallet/ewallet.pem")),
        expected
    );
    let mut in_summary: Vec<String> = summary["client_wallet"]["trusted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["sha256"].as_str().unwrap().to_owned())
        .collect();
    in_summary.sort();
    assert_eq!(in_summary, expected);
    let exported = fx.path("client.pem");
    run_ok(
        crate::support::orakit()
            .args(words("wallet export-pem --wallet"))
            .arg(out.join("client-wallet/cwallet.sso"))
            .arg("--out")
            .arg(&exported),
    );
    assert_eq!(fingerprints_in(&fx, &exported), expected);

    // The same run again: nothing changes.
    let before = snapshot(&out);
    let again: serde_json::Value =
        serde_json::from_slice(&run_ok(&mut bring_run(d)).stdout).unwrap();
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(again["skipped"], 3, "{again}");
    assert_eq!(snapshot(&out), before);

    // A renewed certificate for localhost (same key): only localhost changes.
    let (cert2, _) = renewed(&corp, "renewed", 8194, false);
    copy_dir(&corp.dir.join("renewed-secret"), &bring.join("localhost"));
    // --check: says localhost would be renewed, changes nothing.
    let mut check = bring_run(d);
    check.arg("--check");
    let planned: serde_json::Value = serde_json::from_slice(&run_ok(&mut check).stdout).unwrap();
    assert_eq!(planned["changed"], true, "{planned}");
    assert_eq!(planned["check"], true, "{planned}");
    assert_eq!(
        host_of(&planned, "localhost")["status"],
        "renewed",
        "{planned}"
    );
    assert_eq!(
        host_of(&planned, "db2.example.com")["status"],
        "skipped",
        "{planned}"
    );
    assert_eq!(snapshot(&out), before);
    let third: serde_json::Value =
        serde_json::from_slice(&run_ok(&mut bring_run(d)).stdout).unwrap();
    assert_eq!(third["changed"], true, "{third}");
    assert_eq!(host_of(&third, "localhost")["status"], "renewed", "{third}");
    assert_eq!(
        crate::support::openssl_sha256(&out.join("localhost/server.pem")),
        crate::support::openssl_sha256(&cert2)
    );
    assert_eq!(
        wallet_public_key(&out.join("localhost/wallet/ewallet.p12")),
        cert_public_key(&corp.server_cert)
    );
    let after = snapshot(&out);
    for (path, entry) in &before {
        if !path.starts_with("localhost") && !path.starts_with("summary.json") {
            assert_eq!(after.get(path), Some(entry), "{} changed", path.display());
        }
    }
    assert_eq!(
        fs::read(out.join("localhost/network/listener.ora")).unwrap(),
        before[Path::new("localhost/network/listener.ora")].0
    );
}

#[test]
fn byo_fleet_bad_entries_are_refused_by_host_and_nothing_is_written() {
    let fx = Fixture::new();
    let d = fx.dir();
    setup(d);
    fs::write(d.join("hosts.csv"), HOSTS).unwrap();
    let corp = corporate_chain(d);
    let bring = d.join("bring");
    fs::create_dir_all(&bring).unwrap();

    // A key that is not the certificate's.
    fs::copy(&corp.other_key, bring.join("db3.example.com.key")).unwrap();
    fs::copy(&corp.server_cert, bring.join("db3.example.com.crt")).unwrap();
    fs::copy(&corp.chain, bring.join("db3.example.com.chain.pem")).unwrap();
    let err = run_fails(&mut bring_run(d), 1);
    assert!(err.contains("host db3.example.com (line 4)"), "{err}");
    assert!(err.contains("bring/db3.example.com.crt"), "{err}");
    assert!(err.contains("does not match"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!d.join("out").exists(), "something was written");

    // A broken chain: the issuing CA missing.
    fs::copy(&corp.server_key, bring.join("db3.example.com.key")).unwrap();
    fs::copy(&corp.root, bring.join("db3.example.com.chain.pem")).unwrap();
    let err = run_fails(&mut bring_run(d), 1);
    assert!(err.contains("host db3.example.com"), "{err}");
    assert!(err.contains("Corp Issuing CA 1"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!d.join("out").exists(), "something was written");

    // An entry for a host the host file does not list.
    fs::copy(&corp.chain, bring.join("db3.example.com.chain.pem")).unwrap();
    fs::copy(&corp.pfx, bring.join("db9.example.com.p12")).unwrap();
    let err = run_fails(&mut bring_run(d), 1);
    assert!(err.contains("bring/db9.example.com.p12"), "{err}");
    assert!(err.contains("does not list"), "{err}");
    assert!(!d.join("out").exists(), "something was written");
}
