//! `orakit probe` against a real `openssl s_server` serving certificates made by orakit:
//! a good setup, a wrong CA, an expired certificate and a host-name mismatch. What was
//! negotiated and the server DN are checked against what openssl itself says.

use crate::pki_helpers::{ossl, scratch};
use crate::probe_support::*;
use crate::support::*;

/// CA `ca` and a server certificate `server` for localhost / 127.0.0.1.
fn good_setup(dir: &std::path::Path) {
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Probe Root CA,O=Example,C=US")
        .server_named(
            "server",
            "CN=localhost,OU=DBA,O=Example,C=US",
            &["localhost", "127.0.0.1"],
        );
}

#[test]
fn our_certificates_pass_every_tls_mode_and_report_what_openssl_negotiated() {
    let tmp = scratch();
    let dir = tmp.path();
    good_setup(dir);
    // Pin version and suite on the server so the expected values come from openssl.
    let server = TlsServer::start(
        dir,
        "server.pem",
        "server.key",
        &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
    );
    let (code, json) = probe_json(dir, &[&server.target("127.0.0.1"), "--ca-cert", "ca.pem"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["mode"], "verify-full");
    assert_eq!(json["handshake"]["version"], "TLS 1.2");
    assert_eq!(
        json["handshake"]["cipher_suite"],
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
    );
    for m in ["require", "verify-ca", "verify-full"] {
        assert_eq!(mode(&json, m).0, "pass", "{m}: {json:#}");
    }
    assert_eq!(mode(&json, "none").0, "fail");
    // The DN to paste is what openssl prints in RFC 2253 form.
    let subject = ossl(
        dir,
        &words("x509 -in server.pem -noout -subject -nameopt RFC2253"),
    );
    let subject = subject.trim().strip_prefix("subject=").unwrap();
    assert_eq!(json["server_dn"], subject);
    assert_eq!(json["chain"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["chain"][0]["issuer"],
        "CN=Probe Root CA,O=Example,C=US"
    );

    // The text report carries the same facts, the DN double-quoted for tnsnames.ora.
    let out = run_ok(orakit().current_dir(dir).args([
        "probe",
        &server.target("localhost"),
        "--ca-cert",
        "ca.pem",
    ]));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("SSL_SERVER_CERT_DN=\"{subject}\"")),
        "{text}"
    );
    assert!(text.contains("DNS:localhost, IP:127.0.0.1"), "{text}");
    assert!(text.contains("Mode verify-full: would work"), "{text}");
}

#[test]
fn a_wallet_made_by_orakit_is_trust_material_and_tls13_is_reported() {
    let tmp = scratch();
    let dir = tmp.path();
    good_setup(dir);
    run_ok(
        orakit()
            .current_dir(dir)
            .args(words("wallet create --wallet w --auto-login-only")),
    );
    run_ok(
        orakit()
            .current_dir(dir)
            .args(words("wallet add-trusted --wallet w --cert ca.pem")),
    );
    let server = TlsServer::start(dir, "server.pem", "server.key", &["-tls1_3"]);
    let (code, json) = probe_json(dir, &[&server.target("localhost"), "--wallet", "w"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["handshake"]["version"], "TLS 1.3");
    assert!(
        json["trust_source"]
            .as_str()
            .unwrap()
            .ends_with("cwallet.sso")
    );
    assert_eq!(mode(&json, "verify-full").0, "pass");

    // A password-only wallet opens with --password-env, and says what it needs without.
    let pw = |args: &[&str]| {
        let mut cmd = orakit();
        cmd.current_dir(dir)
            .env("PROBE_TEST_PW", "Probe2026pw")
            .args(args)
            .args(["--password-env", "PROBE_TEST_PW"]);
        cmd
    };
    run_ok(&mut pw(&["wallet", "create", "--wallet", "pw"]));
    run_ok(&mut pw(&[
        "wallet",
        "add-trusted",
        "--wallet",
        "pw",
        "--cert",
        "ca.pem",
    ]));
    let target = server.target("localhost");
    let out = run_ok(&mut pw(&["probe", &target, "--wallet", "pw", "--json"]));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["trust_source"]
            .as_str()
            .unwrap()
            .ends_with("ewallet.p12")
    );
    let err = run_fails(
        orakit()
            .current_dir(dir)
            .args(["probe", &target, "--wallet", "pw"]),
        1,
    );
    assert!(err.contains("--password-file or --password-env"), "{err}");
}

#[test]
fn a_wrong_ca_fails_verify_ca_but_not_require() {
    let tmp = scratch();
    let dir = tmp.path();
    good_setup(dir);
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("other", "CN=Some Other CA,O=Elsewhere");
    let server = TlsServer::start(dir, "server.pem", "server.key", &[]);
    let target = server.target("localhost");
    let (code, json) = probe_json(dir, &[&target, "--ca-cert", "other.pem"]);
    assert_eq!(code, 3, "{json:#}");
    let (verdict, reason) = mode(&json, "verify-ca");
    assert_eq!(verdict, "fail");
    assert!(
        reason.contains("CN=Probe Root CA,O=Example,C=US"),
        "{reason}"
    );
    assert!(reason.contains("not among the trusted"), "{reason}");
    assert_eq!(mode(&json, "verify-full").0, "fail");
    assert_eq!(mode(&json, "require").0, "pass");
    // The chain is still shown although it does not verify.
    assert_eq!(json["server_dn"], "CN=localhost,OU=DBA,O=Example,C=US");

    let (code, _) = probe_json(
        dir,
        &[&target, "--ca-cert", "other.pem", "--mode", "require"],
    );
    assert_eq!(code, 0);
}

#[test]
fn an_expired_certificate_fails_verify_ca_and_says_when_it_expired() {
    let tmp = scratch();
    let dir = tmp.path();
    good_setup(dir);
    make_expired_server(dir, "ca", "server");
    let server = TlsServer::start(dir, "server.pem", "server.key", &[]);
    let (code, json) = probe_json(dir, &[&server.target("localhost"), "--ca-cert", "ca.pem"]);
    assert_eq!(code, 3, "{json:#}");
    let (verdict, reason) = mode(&json, "verify-ca");
    assert_eq!(verdict, "fail");
    assert!(reason.contains("expired"), "{reason}");
    assert!(reason.contains("2020"), "{reason}");
    assert_eq!(mode(&json, "require").0, "pass");
    assert_eq!(
        json["chain"][0]["not_after"].as_str().unwrap().get(..4),
        Some("2020")
    );
}

#[test]
fn a_host_name_mismatch_fails_verify_full_only() {
    let tmp = scratch();
    let dir = tmp.path();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Probe Root CA,O=Example,C=US")
        .server_named(
            "server",
            "CN=db1.example.com,O=Example,C=US",
            &["db1.example.com"],
        );
    let server = TlsServer::start(dir, "server.pem", "server.key", &[]);
    let target = server.target("127.0.0.1");
    let (code, json) = probe_json(dir, &[&target, "--ca-cert", "ca.pem"]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(mode(&json, "verify-ca").0, "pass");
    let (verdict, reason) = mode(&json, "verify-full");
    assert_eq!(verdict, "fail");
    assert!(reason.contains("127.0.0.1 is not among"), "{reason}");
    assert!(reason.contains("DNS:db1.example.com"), "{reason}");

    let (code, _) = probe_json(
        dir,
        &[&target, "--ca-cert", "ca.pem", "--mode", "verify-ca"],
    );
    assert_eq!(code, 0);

    // With the DN the client expects, verify-full compares DNs instead of the host:
    // exact, the same attributes reversed, and a different DN.
    let dn = "CN=db1.example.com,O=Example,C=US";
    let (code, json) = probe_json(dir, &[&target, "--ca-cert", "ca.pem", "--server-dn", dn]);
    assert_eq!(code, 0, "{json:#}");
    assert!(mode(&json, "verify-full").1.contains("equals"));
    let reversed = "C=US, O=Example, CN=db1.example.com";
    let (code, json) = probe_json(
        dir,
        &[&target, "--ca-cert", "ca.pem", "--server-dn", reversed],
    );
    assert_eq!(code, 0, "{json:#}");
    assert!(mode(&json, "verify-full").1.contains("another order"));
    let wrong = "CN=db2.example.com,O=Example,C=US";
    let (code, json) = probe_json(dir, &[&target, "--ca-cert", "ca.pem", "--server-dn", wrong]);
    assert_eq!(code, 3);
    assert!(mode(&json, "verify-full").1.contains("does not match"));
}

#[test]
fn without_trust_material_verify_modes_fail_with_no_ca_given() {
    let tmp = scratch();
    let dir = tmp.path();
    good_setup(dir);
    let server = TlsServer::start(dir, "server.pem", "server.key", &[]);
    let target = server.target("localhost");
    let (code, json) = probe_json(dir, &[&target]);
    assert_eq!(code, 0, "default mode without trust is require: {json:#}");
    assert_eq!(json["mode"], "require");
    let (verdict, reason) = mode(&json, "verify-ca");
    assert_eq!(verdict, "fail");
    assert!(reason.contains("no CA given"), "{reason}");
    let (code, _) = probe_json(dir, &[&target, "--mode", "verify-ca"]);
    assert_eq!(code, 3);
}

#[test]
fn a_server_with_only_static_rsa_cbc_suites_fails_require_and_names_ora_28860() {
    let tmp = scratch();
    let dir = tmp.path();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Probe Root CA,O=Example,C=US")
        .key_type("rsa2048")
        .server_named("server", "CN=localhost", &["localhost"]);
    // The RDS-style default: TLS 1.2 with SSL_RSA_WITH_AES_256_CBC_SHA only.
    let server = TlsServer::start(
        dir,
        "server.pem",
        "server.key",
        &["-tls1_2", "-cipher", "AES256-SHA"],
    );
    let (code, json) = probe_json(dir, &[&server.target("localhost"), "--ca-cert", "ca.pem"]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(json["handshake"]["failure"]["kind"], "alert");
    let (verdict, reason) = mode(&json, "require");
    assert_eq!(verdict, "fail");
    assert!(reason.contains("ORA-28860"), "{reason}");
    assert_eq!(mode(&json, "verify-ca").0, "fail");
}

#[test]
fn nothing_listening_is_an_error_not_a_finding() {
    let port = free_port();
    let err = run_fails(
        orakit().args(["probe", &format!("127.0.0.1:{port}"), "--timeout", "2"]),
        1,
    );
    assert!(err.contains("cannot connect to 127.0.0.1:"), "{err}");
    let err = run_fails(orakit().args(["probe", "no-port-here"]), 1);
    assert!(err.contains("HOST:PORT"), "{err}");
    // A DN that cannot be parsed is refused before connecting.
    let err = run_fails(
        orakit().args([
            "probe",
            &format!("127.0.0.1:{port}"),
            "--server-dn",
            "/CN=x/O=y",
        ]),
        1,
    );
    assert!(err.contains("--server-dn"), "{err}");
    assert!(!err.contains("cannot connect"), "{err}");
}

#[test]
fn a_port_that_does_not_speak_tls_fails_require_and_leaves_none_unchecked() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Answers like a plain-text service would, whatever the client sends.
    let server = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
        }
    });
    let tmp = scratch();
    let (code, json) = probe_json(tmp.path(), &[&format!("127.0.0.1:{port}")]);
    server.join().unwrap();
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(json["handshake"]["failure"]["kind"], "not-tls");
    assert_eq!(mode(&json, "require").0, "fail");
    assert_eq!(mode(&json, "none").0, "not-checked");
    assert!(json["chain"].as_array().unwrap().is_empty());
}

#[test]
fn a_server_that_requires_a_client_certificate_is_recognised() {
    let tmp = scratch();
    let dir = tmp.path();
    good_setup(dir);
    // -Verify: a client certificate is required; -verify: asked for but optional.
    for (flag, tls, passes) in [
        ("-Verify", "-tls1_3", false),
        ("-Verify", "-tls1_2", false),
        ("-verify", "-tls1_3", true),
    ] {
        let server = TlsServer::start(
            dir,
            "server.pem",
            "server.key",
            &["-CAfile", "ca.pem", flag, "1", tls],
        );
        let (code, json) = probe_json(dir, &[&server.target("localhost"), "--ca-cert", "ca.pem"]);
        assert_eq!(
            json["handshake"]["client_certificate_requested"][0], "CN=Probe Root CA,O=Example,C=US",
            "{flag} {tls}: {json:#}"
        );
        let (verdict, reason) = mode(&json, "require");
        if passes {
            assert_eq!((code, verdict.as_str()), (0, "pass"), "{json:#}");
            assert!(
                reason.contains("asked for a client certificate"),
                "{reason}"
            );
        } else {
            assert_eq!(
                (code, verdict.as_str()),
                (3, "fail"),
                "{flag} {tls}: {json:#}"
            );
            assert!(
                reason.contains("SSL_CLIENT_AUTHENTICATION = TRUE"),
                "{reason}"
            );
        }
    }
}
