//! `tcps rotate-root` across a `tcps issue` fleet and its client bundle, and
//! `tcps issue --renew-within` (tcps renew's code) in the middle of a rotation:
//!
//! - phase 1 adds the new root to every host wallet, the trust-only client cwallet.sso and
//!   the client PEM bundle (SHA-256s by openssl); a rerun changes no byte or mtime;
//! - phase 3 before phase 2 is refused, naming the phase to run;
//! - `--renew-within 30` renews exactly the hosts due (serials by openssl), on the same
//!   key, and the renewed wallets still trust the new root (the renewal re-issues in place);
//! - phase 2 re-issues every host under the new root (openssl verify), on the same key;
//!   `openssl s_client` with the client bundle verifies a re-issued host;
//! - phase 3 leaves only the new root everywhere; the same client no longer verifies a
//!   server of the old root.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::fleet_common::{
    HEADER, PASSWORD, cert_public_key, issue, setup, snapshot, wallet_public_key,
};
use crate::support::{openssl, orakit, run, run_ok, stdout, words};
use crate::tcps_common::TlsServer;

const HOSTS: [&str; 3] = ["a.example.com", "b.example.com", "c.example.com"];

fn serial(cert: &Path) -> String {
    stdout(&run_ok(
        openssl().args(words("x509 -noout -serial -in")).arg(cert),
    ))
}

/// SHA-256s of the trusted certificates `wallet display --json` lists, sorted.
fn trusted(wallet: &Path, password: bool) -> Vec<String> {
    let mut cmd = orakit();
    cmd.args(["wallet", "display", "--json", "--wallet"])
        .arg(wallet);
    if password {
        cmd.args(["--password-env", "FLEET_PW"])
            .env("FLEET_PW", PASSWORD);
    }
    let out = run_ok(&mut cmd);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut v: Vec<String> = json["trusted_certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sha256_fingerprint"].as_str().unwrap().to_lowercase())
        .collect();
    v.sort();
    v
}

/// SHA-256s (openssl) of every certificate in a PEM bundle, sorted.
fn pem_bundle(path: &Path, scratch: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for (i, block) in text
        .split_inclusive("-----END CERTIFICATE-----\n")
        .enumerate()
    {
        if block.contains("BEGIN CERTIFICATE") {
            let one = scratch.join(format!("bundle-{i}.pem"));
            std::fs::write(&one, block).unwrap();
            out.push(crate::support::openssl_sha256(&one));
        }
    }
    out.sort();
    out
}

fn rotate(d: &Path, phase: &str, extra: &[&str]) -> std::process::Output {
    run(orakit()
        .current_dir(d)
        .args(["tcps", "rotate-root", "out", "--phase", phase, "--json"])
        .args(["--password-file", "pw"])
        .args(extra))
}

/// Runs `phase` twice: changes, then none (no byte or mtime of the fleet or clients).
fn phase_twice(d: &Path, phase: &str, extra: &[&str]) {
    let first = rotate(d, phase, extra);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(report["changed"], true, "{report:#}");
    let (fleet, clients) = (snapshot(&d.join("out")), snapshot(&d.join("clients")));
    let again = rotate(d, phase, extra);
    assert!(again.status.success());
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["changed"], false, "{report:#}");
    assert_eq!(
        snapshot(&d.join("out")),
        fleet,
        "{phase} again changed the fleet"
    );
    assert_eq!(snapshot(&d.join("clients")), clients);
}

fn s_client_verifies(port: u16, host: &str, ca: &Path) -> bool {
    let out = Command::new("timeout")
        .args(words("30 openssl s_client -connect"))
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", host, "-verify_return_error"])
        .args(["-verify_hostname", host, "-CAfile"])
        .arg(ca)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    out.status.success()
        && String::from_utf8_lossy(&out.stdout).contains("Verify return code: 0 (ok)")
}

fn export_key(wallet: &Path, dest: &Path) {
    run_ok(
        orakit()
            .args(["wallet", "export-key", "--unencrypted", "--wallet"])
            .arg(wallet)
            .arg("--out")
            .arg(dest),
    );
}

#[test]
fn a_fleet_and_its_clients_rotate_root_in_three_phases() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    // a and b end within 30 days, c does not.
    let rows = |hosts: &[&str]| {
        let mut text = HEADER.to_owned();
        for h in hosts {
            text.push_str(&format!("{h},,S,2484,\n"));
        }
        text
    };
    std::fs::write(d.join("hosts.csv"), rows(&HOSTS[..2])).unwrap();
    run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256 --days 10")));
    std::fs::write(d.join("hosts.csv"), rows(&HOSTS)).unwrap();
    run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256 --days 365")));
    let old_root = crate::support::openssl_sha256(&d.join("ca/ca.pem"));
    let host = |h: &str| d.join("out").join(h);
    let keys: Vec<String> = HOSTS
        .iter()
        .map(|h| cert_public_key(&host(h).join("server.pem")))
        .collect();
    let old_c = d.join("old-c.pem");
    std::fs::copy(host(HOSTS[2]).join("server.pem"), &old_c).unwrap();
    let c_key = d.join("c-key.pem");
    export_key(&host(HOSTS[2]).join("wallet"), &c_key);

    // The client bundle: an auto-login-only wallet and a PEM bundle, trusting the old root.
    let clients = d.join("clients");
    let client_wallet = clients.join("wallet");
    std::fs::create_dir_all(&clients).unwrap();
    let cw = client_wallet.display().to_string();
    run_ok(orakit().args(["wallet", "create", "--auto-login-only", "--wallet", &cw]));
    run_ok(
        orakit()
            .args(["wallet", "add-trusted", "--wallet", &cw, "--cert"])
            .arg(d.join("ca/ca.pem")),
    );
    let bundle = clients.join("ca-bundle.pem");
    std::fs::copy(d.join("ca/ca.pem"), &bundle).unwrap();

    // A CA the fleet was not issued with is refused before anything is written.
    let other = d.join("other");
    std::fs::create_dir_all(&other).unwrap();
    setup(&other);
    let (fleet_before, clients_before) = (snapshot(&d.join("out")), snapshot(&clients));
    let wrong = rotate(
        d,
        "trust",
        &["--ca-dir", "other/ca", "--new-ca-dir", "newca"],
    );
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("was not issued by the CA of --ca-dir"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    assert_eq!(snapshot(&d.join("out")), fleet_before);
    assert_eq!(snapshot(&clients), clients_before);
    assert!(!d.join("newca").exists());

    // Phase 1.
    let trust_args = [
        "--ca-dir",
        "ca",
        "--new-ca-dir",
        "newca",
        "--client-wallet",
        "clients/wallet",
        "--client-wallet",
        "clients/ca-bundle.pem",
    ];
    phase_twice(d, "trust", &trust_args);
    let new_root = crate::support::openssl_sha256(&d.join("newca/ca.pem"));
    let both = {
        let mut v = vec![old_root.clone(), new_root.clone()];
        v.sort();
        v
    };
    for h in HOSTS {
        assert_eq!(trusted(&host(h).join("wallet"), true), both, "{h}");
        assert_eq!(trusted(&host(h).join("wallet"), false), both, "{h} sso");
    }
    assert_eq!(trusted(&client_wallet, false), both);
    assert_eq!(pem_bundle(&bundle, d), both);

    // Phase 3 before phase 2: refused, naming the phase.
    let early = rotate(d, "retire", &[]);
    assert!(!early.status.success());
    assert!(
        String::from_utf8_lossy(&early.stderr).contains("--phase reissue"),
        "{}",
        String::from_utf8_lossy(&early.stderr)
    );

    // Renewal during the rotation: exactly a and b, with their keys and both roots.
    let serials: Vec<String> = HOSTS
        .iter()
        .map(|h| serial(&host(h).join("server.pem")))
        .collect();
    let c_before = snapshot(&host(HOSTS[2]));
    let a_ora = std::fs::read(host(HOSTS[0]).join("network/listener.ora")).unwrap();
    let out =
        run_ok(issue(d, "hosts.csv", "out").args(words("--renew-within 30 --days 365 --json")));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = |h: &str| {
        summary["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["host"] == h)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        HOSTS.map(status),
        ["renewed", "renewed", "skipped"],
        "{summary:#}"
    );
    for (i, h) in HOSTS[..2].iter().enumerate() {
        assert_ne!(serial(&host(h).join("server.pem")), serials[i], "{h}");
        assert_eq!(
            wallet_public_key(&host(h).join("wallet/ewallet.p12")),
            keys[i]
        );
        assert_eq!(
            trusted(&host(h).join("wallet"), true),
            both,
            "{h} after renewal"
        );
    }
    assert_eq!(snapshot(&host(HOSTS[2])), c_before, "c was not due");
    assert_eq!(
        std::fs::read(host(HOSTS[0]).join("network/listener.ora")).unwrap(),
        a_ora
    );

    // Phase 2.
    phase_twice(d, "reissue", &[]);
    for (i, h) in HOSTS.iter().enumerate() {
        run_ok(
            openssl()
                .args(words("verify -CAfile newca/ca.pem"))
                .arg(host(h).join("server.pem"))
                .current_dir(d),
        );
        assert_eq!(cert_public_key(&host(h).join("server.pem")), keys[i], "{h}");
        let marker: serde_json::Value =
            serde_json::from_slice(&std::fs::read(host(h).join(".orakit-complete")).unwrap())
                .unwrap();
        assert_eq!(marker["ca_sha256"], new_root.as_str(), "{h}");
    }
    let c_pem = host(HOSTS[2]).join("server.pem");
    let server = TlsServer::start(&c_pem, &c_key, 1);
    assert!(
        s_client_verifies(server.port, HOSTS[2], &bundle),
        "the phase-1 client bundle does not trust the re-issued host"
    );
    drop(server);

    // Phase 3.
    phase_twice(d, "retire", &[]);
    let only_new = vec![new_root.clone()];
    for h in HOSTS {
        assert_eq!(trusted(&host(h).join("wallet"), true), only_new, "{h}");
    }
    assert_eq!(trusted(&client_wallet, false), only_new);
    assert_eq!(pem_bundle(&bundle, d), only_new);
    let old_server = TlsServer::start(&old_c, &c_key, 1);
    assert!(
        !s_client_verifies(old_server.port, HOSTS[2], &bundle),
        "an old-root server is still trusted after phase 3"
    );
    drop(old_server);
    let new_server = TlsServer::start(&c_pem, &c_key, 1);
    assert!(s_client_verifies(new_server.port, HOSTS[2], &bundle));

    // The fleet now belongs to the new CA: a renewal run with it changes no host.
    let fleet = snapshot(&d.join("out"));
    let out = run_ok(orakit().current_dir(d).args(words(
        "tcps issue --ca-dir newca --hosts hosts.csv --out out --password-file pw \
                 --renew-within 30 --json",
    )));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["skipped"], 3, "{summary:#}");
    for h in HOSTS {
        let rel = Path::new(h).join("wallet/ewallet.p12");
        assert_eq!(snapshot(&d.join("out"))[&rel], fleet[&rel]);
    }
}
