//! `tcps issue` output read by independent tools: openssl opens every wallet (3DES,
//! `-legacy`) and verifies each certificate against the CA; the SANs openssl prints are
//! the ones of the host file; orakit opens the auto-login wallet without a password.

use crate::support::words;
use std::path::Path;

use crate::fleet_common::{HEADER, PASSWORD, issue, setup};
use crate::support::{list_files, mode_of, openssl, orakit, run, run_fails, run_ok, stdout};

const HOSTS: &str = "db01.example.com,db01;10.0.0.11,ORCLPDB1,2484,1521\n\
                     10.0.0.12,db02.example.com;*.db.example.com,SALES,2485,\n\
                     db03.example.com,,HR,,1522\n";

#[test]
fn every_wallet_opens_and_every_certificate_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(
        d.join("hosts.csv"),
        format!("# three hosts\n{HEADER}{HOSTS}"),
    )
    .unwrap();
    let out = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["issued"], 3);
    assert_eq!(summary["failed"], 0);
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/summary.json")).unwrap()).unwrap();
    // --json prints summary.json with the scripting contract's fields (docs/json.md).
    let mut printed = summary.clone();
    for key in ["changed", "check", "changes"] {
        printed.as_object_mut().unwrap().remove(key);
    }
    assert_eq!(on_disk, printed);
    assert_eq!(summary["changed"], true);

    let expected_sans = [
        (
            "db01.example.com",
            "DNS:db01.example.com, DNS:db01, IP Address:10.0.0.11",
        ),
        (
            "10.0.0.12",
            "IP Address:10.0.0.12, DNS:db02.example.com, DNS:*.db.example.com",
        ),
        ("db03.example.com", "DNS:db03.example.com"),
    ];
    for (host, sans) in expected_sans {
        let h = d.join("out").join(host);
        let cert = h.join("server.pem");
        let verify = run_ok(
            openssl()
                .arg("verify")
                .arg("-CAfile")
                .arg(d.join("ca/ca.pem"))
                .arg(&cert),
        );
        assert!(
            stdout(&verify).trim_end().ends_with(": OK"),
            "{}",
            stdout(&verify)
        );
        let text = stdout(&run_ok(
            openssl().args(words("x509 -noout -text -in")).arg(&cert),
        ));
        assert!(
            text.contains(sans),
            "{host}: expected SANs {sans} in\n{text}"
        );
        assert!(text.contains(&format!("Subject: CN = {host}")), "{text}");
        assert!(text.contains("TLS Web Server Authentication"), "{text}");

        // openssl reads the 3DES ewallet.p12 with the run's password: key + both certs.
        let p12 = run_ok(
            openssl()
                .args(words("pkcs12 -legacy -nodes -info -in"))
                .arg(h.join("wallet/ewallet.p12"))
                .args(["-passin", &format!("pass:{PASSWORD}")]),
        );
        let dump = format!("{}{}", stdout(&p12), String::from_utf8_lossy(&p12.stderr));
        assert!(dump.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{dump}");
        assert!(dump.contains("BEGIN PRIVATE KEY"), "{dump}");
        assert!(dump.contains(&format!("subject=CN = {host}")), "{dump}");
        assert!(
            dump.contains("subject=O = Fleet Test, CN = Fleet Test Root"),
            "{dump}"
        );
        let wrong = run(openssl()
            .args(words("pkcs12 -legacy -nodes -in"))
            .arg(h.join("wallet/ewallet.p12"))
            .args(["-passin", "pass:not-the-password"]));
        assert!(!wrong.status.success());

        // orakit opens the auto-login wallet (cwallet.sso) with no password.
        let shown = stdout(&run_ok(
            orakit()
                .args(words("wallet display --json --wallet"))
                .arg(h.join("wallet")),
        ));
        assert!(shown.contains(&format!("CN={host}")), "{shown}");
        assert!(shown.contains("CN=Fleet Test Root,O=Fleet Test"), "{shown}");

        assert_eq!(mode_of(&h.join("wallet/ewallet.p12")), 0o600);
        assert_eq!(mode_of(&h.join("wallet/cwallet.sso")), 0o600);
        assert_eq!(mode_of(&cert), 0o644);
        for ora in ["listener.ora", "sqlnet.ora", "tnsnames.ora"] {
            assert!(h.join("network").join(ora).is_file(), "{host}: no {ora}");
        }
    }
    let listener = std::fs::read_to_string(d.join("out/10.0.0.12/network/listener.ora")).unwrap();
    assert!(
        listener.contains("(PROTOCOL = TCPS)(HOST = 10.0.0.12)(PORT = 2485)"),
        "{listener}"
    );
    assert!(
        !listener.contains("PROTOCOL = TCP)"),
        "no TCP port was given:\n{listener}"
    );
    // WALLET_LOCATION names where the wallet is installed on the host (issue 13 item 5),
    // not this machine's output directory.
    assert!(
        listener.contains("(DIRECTORY = /u01/app/oracle/wallet/tls)"),
        "{listener}"
    );
    assert!(!listener.contains(d.to_str().unwrap()), "{listener}");
    assert!(!d.join("out/.orakit-staging").exists());
}

#[test]
fn an_rsa_host_verifies_and_orakit_opens_the_p12_with_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}rsa1.example.com,,S1,2484,\n"),
    )
    .unwrap();
    run_ok(issue(d, "hosts.csv", "out").args(["--jobs", "1"]));
    let h = d.join("out/rsa1.example.com");
    let text = stdout(&run_ok(
        openssl()
            .args(words("x509 -noout -text -in"))
            .arg(h.join("server.pem")),
    ));
    assert!(text.contains("Public-Key: (2048 bit)"), "{text}");
    run_ok(
        openssl()
            .arg("verify")
            .arg("-CAfile")
            .arg(d.join("ca/ca.pem"))
            .arg(h.join("server.pem")),
    );
    let shown = stdout(&run_ok(
        orakit()
            .args(words("wallet display --json --password-file"))
            .arg(d.join("pw"))
            .arg("--wallet")
            .arg(h.join("wallet/ewallet.p12")),
    ));
    assert!(shown.contains("CN=rsa1.example.com"), "{shown}");
    let sqlnet = std::fs::read_to_string(h.join("network/sqlnet.ora")).unwrap();
    assert!(sqlnet.contains("ECDHE_RSA"), "{sqlnet}");
}

#[test]
fn a_bad_host_file_is_refused_by_line_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    let cases = [
        (
            format!("{HEADER}db1,,S,2484,1521\ndb2,,S,70000,\n"),
            "line 3: column tcps_port: \"70000\" is not a port number",
        ),
        (
            "host,sans,service,tcps_port,tcp_port,owner\ndb1,,S,2484,\n".to_owned(),
            "line 1: unknown column \"owner\"",
        ),
        (
            format!("{HEADER}db1,bad name,S,2484,\n"),
            "line 2: column sans",
        ),
        (
            format!("{HEADER}db1,,S,2484,\nDB1,,S,2484,\n"),
            "line 3: host DB1 is already listed on line 2",
        ),
    ];
    for (text, needle) in cases {
        std::fs::write(d.join("hosts.csv"), &text).unwrap();
        let err = run_fails(&mut issue(d, "hosts.csv", "out"), 1);
        assert!(err.contains("hosts.csv"), "{err}");
        assert!(err.contains(needle), "expected {needle:?} in {err}");
        assert!(
            !d.join("out").exists(),
            "nothing may be written for {text:?}"
        );
    }
    std::fs::write(d.join("hosts.csv"), format!("{HEADER}db1,,S,2484,\n")).unwrap();
    let err = run_fails(
        issue(d, "hosts.csv", "out").args(["--subject", "CN=same"]),
        2,
    );
    assert!(err.contains("{host}"), "{err}");
    std::fs::write(d.join("short"), "abc\n").unwrap();
    let err = run_fails(
        orakit().current_dir(d).args(words(
            "tcps issue --ca-dir ca --hosts hosts.csv --out out --password-file short",
        )),
        2,
    );
    assert!(err.contains("8 characters"), "{err}");
    assert!(!err.contains("abc"), "the password leaked: {err}");
    assert!(!d.join("out").exists());
    assert!(
        list_files(Path::new(d))
            .iter()
            .all(|p| !p.starts_with("out"))
    );
}
