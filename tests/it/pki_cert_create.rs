//! `orakit cert create` and `orakit cert display` without Oracle's tools: the text checked
//! against what OpenSSL and date(1) say about the same certificate, and the failures that
//! must leave every file as it was. (The ring, tests/oracle/cert_create.rs, compares both
//! with orapki.)

use std::path::Path;

use crate::pki_helpers::*;

const PW: &str = "CertUnit2026pwd#x";

/// A CA wallet (v3 root with SKI) and an orakit request, in `d`.
fn ca_wallet_and_request(d: &Path) {
    let run = |args: &[&str]| {
        crate::support::run_ok(orakit_in(d).args(args).env("PW", PW));
    };
    run(&["wallet", "create", "--wallet", "ca", "--password-env", "PW"]);
    run(&[
        "wallet",
        "add-self-signed",
        "--wallet",
        "ca",
        "--password-env",
        "PW",
        "--subject",
        "CN=Unit Root,O=Acme",
        "--days",
        "365",
        "--ca",
        "--ski",
        "--key-usage",
        "keyCertSign,cRLSign",
    ]);
    Fixture::at(d).key_type("p256").csr_named(
        "server",
        "CN=db1.example.com, O=Example",
        &["db1.example.com"],
    );
}

#[test]
fn serial_file_force_and_json_behave_as_documented() {
    let dir = scratch();
    let d = dir.path();
    ca_wallet_and_request(d);
    std::fs::write(d.join("serial"), "41").unwrap();
    let out = crate::support::run_ok(
        orakit_in(d)
            .args(words(
                "cert create --wallet ca --password-env PW --request server.csr --out s.crt --days 10 --serial-file serial --json",
            ))
            .env("PW", PW),
    );
    // orapki's serial file: the last serial used; 41 + 1 = 42 = 0x2A, written back in decimal.
    assert_eq!(std::fs::read_to_string(d.join("serial")).unwrap(), "42");
    assert_eq!(
        ossl(d, &["x509", "-in", "s.crt", "-noout", "-serial"]).trim(),
        "serial=2A"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["version"], 3);
    assert_eq!(
        json["certificate"]["subject"],
        "CN=db1.example.com,O=Example"
    );
    assert_eq!(json["certificate"]["issuer"], "CN=Unit Root,O=Acme");
    crate::support::run_ok(
        orakit_in(d)
            .args([
                "wallet",
                "export-cert",
                "--wallet",
                "ca",
                "--password-env",
                "PW",
                "--subject",
                "CN=Unit Root,O=Acme",
                "--out",
                "root.pem",
            ])
            .env("PW", PW),
    );
    ossl(d, &["verify", "-CAfile", "root.pem", "s.crt"]);

    // The same command again: the certificate is already there, nothing is written and
    // the serial file is not advanced (bytes and mtimes of both unchanged).
    let held = |name: &str| {
        let p = d.join(name);
        (
            std::fs::read(&p).unwrap(),
            std::fs::metadata(&p).unwrap().modified().unwrap(),
        )
    };
    let (cert_before, serial_before) = (held("s.crt"), held("serial"));
    let again = crate::support::run_ok(
        orakit_in(d)
            .args(words(
                "cert create --wallet ca --password-env PW --request server.csr --out s.crt --days 10 --serial-file serial --json",
            ))
            .env("PW", PW),
    );
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(
        again["certificate"]["serial"],
        json["certificate"]["serial"]
    );
    assert_eq!(
        held("s.crt"),
        cert_before,
        "a rerun rewrote the certificate"
    );
    assert_eq!(
        held("serial"),
        serial_before,
        "a rerun advanced the serial file"
    );
    // Another validity over the existing output without --force: one error naming the
    // file, nothing changed (the serial stays 42).
    fails_cleanly(
        d,
        orakit_in(d)
            .args(words(
                "cert create --wallet ca --password-env PW --request server.csr --out s.crt --days 20 --serial-file serial",
            ))
            .env("PW", PW),
        &["s.crt", "already exists and is not what was asked"],
    );
    assert_eq!(std::fs::read_to_string(d.join("serial")).unwrap(), "42");
    // A missing serial file is not started at random (orapki refuses it too).
    fails_cleanly(
        d,
        orakit_in(d)
            .args(words(
                "cert create --wallet ca --password-env PW --request server.csr --out t.crt --days 10 --serial-file nothere",
            ))
            .env("PW", PW),
        &["nothere", "does not exist"],
    );
}

#[test]
fn cert_display_prints_what_openssl_and_date_say_in_orapkis_layout() {
    let dir = scratch();
    let d = dir.path();
    ossl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "k.pem",
            "-subj",
            "/O=Acme/CN=disp.example",
            "-days",
            "20",
            "-set_serial",
            "4660",
            "-addext",
            "subjectAltName=DNS:disp.example,IP:10.0.0.9",
            "-out",
            "c.pem",
        ],
    );
    let end = ossl(d, &["x509", "-in", "c.pem", "-noout", "-enddate"]);
    let end = end.trim().trim_start_matches("notAfter=");
    let java = String::from_utf8(
        std::process::Command::new("date")
            .args(["-u", "-d", end, "+%a %b %d %H:%M:%S UTC %Y"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let summary = crate::support::stdout(&crate::support::run_ok(
        orakit_in(d).args(words("cert display c.pem")),
    ));
    assert_eq!(
        summary,
        format!(
            "Subject:        CN=disp.example,O=Acme\nIssuer:         CN=disp.example,O=Acme\nValid Until:    {java}"
        )
    );
    let complete = crate::support::stdout(&crate::support::run_ok(
        orakit_in(d).args(words("cert display --complete c.pem")),
    ));
    let md5 = ossl(
        d,
        &["x509", "-in", "c.pem", "-noout", "-fingerprint", "-md5"],
    );
    let md5 = md5
        .trim()
        .trim_start_matches("md5 Fingerprint=")
        .replace(':', "")
        .to_ascii_lowercase();
    assert!(
        complete.starts_with(&format!("{{ fingerprint = {md5}, notBefore = ")),
        "{complete}"
    );
    assert!(
        complete.contains(", serialNo = 4660, sigAlgOID = SHA256withRSA, key = { modulus = "),
        "{complete}"
    );
    assert!(
        complete.contains("value = [subjectAltNames = {{ dNSName: IA5String \"disp.example\" }, { iPAddress: 10.0.0.9 }}]}"),
        "{complete}"
    );
    assert!(complete.ends_with(" } }\n"), "{complete}");
    assert_eq!(complete.lines().count(), 1);
    // A key is no certificate: one error naming the file.
    fails_cleanly(
        d,
        orakit_in(d).args(words("cert display k.pem")),
        &["k.pem"],
    );
}
