//! Real TLS with Oracle's code on one side (issue 12, 2e), for both releases: the JDBC thin
//! driver (ojdbc8 19.x with the 19c oraclepki, ojdbc11 23.x with the 23ai one) trusting
//! orakit's client wallets by `oracle.net.wallet_location` and by a `javax.net.ssl.trustStore`
//! of Oracle's type `SSO`; Oracle's SSO KeyStore serving orakit's server wallet to
//! `openssl s_client` and python-oracledb thin; mutual TLS with a user certificate made with
//! orakit; and the failures that must happen (wrong CA, expired, wrong DN or host).
//!
//! There is no database. A handshake counts as complete when the client sent its Oracle Net
//! connect packet over it: the server saw `(DESCRIPTION=...` (s_server logs what it receives,
//! the Java server prints it) and the driver then timed out waiting for an answer (s_server)
//! or saw the server hang up (the Java server). Failures are asserted on the driver's own
//! cause.

use std::path::Path;

use crate::peers::{RELEASES, Release};
use crate::tls_support::*;

fn client_wallet(init: &Path) -> std::path::PathBuf {
    init.join("client/wallet")
}

fn client_sso(init: &Path) -> std::path::PathBuf {
    init.join("client/wallet/cwallet.sso")
}

/// s_server saw the connect packet of one JDBC attempt for the service the test named.
fn assert_got_connect_packet(server: &OpenSslServer, release: Release, what: &str) {
    let got = server.received();
    assert!(
        got.contains("(DESCRIPTION=") && got.contains("(SERVICE_NAME=ORCLPDB1)"),
        "{}/{what}: s_server received no connect packet: {got:?}\n{}",
        release.name(),
        server.log()
    );
}

#[test]
fn jdbc_completes_handshakes_with_orakit_server_certificates_rsa_and_ecc() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let rsa = tcps_init(dir, "rsa", "localhost", &[]);
    let ecc = tcps_init(dir, "ecc", "localhost", &["--key-type", "p256"]);
    let rsa_key = server_key_pem(&rsa);
    let ecc_fingerprint = openssl_sha256(&ecc.join("server/server.pem"));
    let rsa_cert = rsa.join("server/server.pem");

    for release in RELEASES {
        // RSA: openssl s_server with the certificate and key from orakit's server wallet.
        let by_wallet = OpenSslServer::start(dir, &rsa_cert, &rsa_key, &[]);
        let by_sso_trust = OpenSslServer::start(dir, &rsa_cert, &rsa_key, &[]);
        // ECC: Oracle's SSO KeyStore serving orakit's server cwallet.sso.
        let sso_server =
            SsoServer::start(release, &ecc.join("server/wallet/cwallet.sso"), false, 2);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("rsa wallet_location", by_wallet.port)
                    .wallet(&client_wallet(&rsa)),
                Attempt::descriptor("rsa trustStore SSO", by_sso_trust.port)
                    .trust_store_sso(&client_sso(&rsa)),
                Attempt::ezconnect("p256 wallet_location", sso_server.port)
                    .wallet(&client_wallet(&ecc)),
                Attempt::descriptor("p256 trustStore SSO", sso_server.port)
                    .trust_store_sso(&client_sso(&ecc)),
            ],
        );
        outcomes[0].assert_read_timeout(release);
        assert_got_connect_packet(&by_wallet, release, "rsa wallet_location");
        outcomes[1].assert_read_timeout(release);
        assert_got_connect_packet(&by_sso_trust, release, "rsa trustStore SSO");
        for outcome in &outcomes[2..] {
            outcome.assert_closed_by_server(release);
            let served = sso_server.next();
            served.assert_connect_packet(release, &outcome.label);
            assert_eq!(served.field("key"), "EC", "{served:?}");
            assert_eq!(served.field("sha256"), ecc_fingerprint, "{served:?}");
        }
    }
}

#[test]
fn oracle_sso_keystore_serves_orakit_server_wallets_to_openssl_and_python_thin() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inits = [
        ("RSA", tcps_init(dir, "rsa", "localhost", &[])),
        (
            "EC",
            tcps_init(dir, "ecc", "localhost", &["--key-type", "p384"]),
        ),
    ];
    for release in RELEASES {
        for (key, init) in &inits {
            let expected = openssl_sha256(&init.join("server/server.pem"));
            let what = format!("{key} server wallet");
            let server =
                SsoServer::start(release, &init.join("server/wallet/cwallet.sso"), false, 2);

            let (verified, presented, text) =
                s_client(dir, server.port, &init.join("ca/ca.pem"), "localhost");
            assert!(
                verified,
                "{}/{what}: s_client did not verify:\n{text}",
                release.name()
            );
            assert_eq!(
                presented,
                expected,
                "{}/{what}: s_client saw another certificate",
                release.name()
            );
            let served = server.next();
            assert!(served.handshake.starts_with("HANDSHAKE OK"), "{served:?}");
            assert_eq!(served.field("key"), *key, "{served:?}");

            // python-oracledb trusts the CA in the client wallet's ewallet.pem, checks the host
            // name, sends its connect packet, and then sees the server hang up (DPY-4011).
            let error = python_thin(server.port, &client_wallet(init));
            assert!(
                error.contains("DPY-4011") && !error.contains("CERTIFICATE_VERIFY_FAILED"),
                "{}/{what}: python-oracledb said {error}",
                release.name()
            );
            let served = server.next();
            served.assert_connect_packet(release, &format!("{what}, python-oracledb"));
            assert_eq!(served.field("sha256"), expected, "{served:?}");
        }
    }
}

#[test]
fn mutual_tls_with_a_user_certificate_wallet_made_by_orakit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(dir, "rsa", "localhost", &[]);
    let key = server_key_pem(&init);
    let cert = init.join("server/server.pem");
    let ca = init.join("ca/ca.pem");
    let ca_arg = ca.to_str().unwrap();
    let with_cert = client_cert_wallet(dir, &init, "CN=ring-client,O=Ring");
    let require_cert = ["-Verify", "1", "-verify_return_error", "-CAfile", ca_arg];

    for release in RELEASES {
        let s_wallet = OpenSslServer::start(dir, &cert, &key, &require_cert);
        let s_no_cert = OpenSslServer::start(dir, &cert, &key, &require_cert);
        let s_key_store = OpenSslServer::start(dir, &cert, &key, &require_cert);
        let sso_server =
            SsoServer::start(release, &init.join("server/wallet/cwallet.sso"), true, 2);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("s_server, user-cert wallet", s_wallet.port).wallet(&with_cert),
                Attempt::ezconnect("s_server, no client certificate", s_no_cert.port)
                    .wallet(&client_wallet(&init)),
                Attempt::descriptor("s_server, keyStore + trustStore SSO", s_key_store.port)
                    .trust_store_sso(&with_cert.join("cwallet.sso"))
                    .key_store_sso(&with_cert.join("cwallet.sso")),
                Attempt::ezconnect("SSO server, user-cert wallet", sso_server.port)
                    .wallet(&with_cert),
                Attempt::ezconnect("SSO server, no client certificate", sso_server.port)
                    .wallet(&client_wallet(&init)),
            ],
        );
        for (outcome, server) in [(&outcomes[0], &s_wallet), (&outcomes[2], &s_key_store)] {
            outcome.assert_read_timeout(release);
            assert_got_connect_packet(server, release, &outcome.label);
            assert!(
                server.log().contains("depth=0 O = Ring, CN = ring-client"),
                "{}/{}: s_server did not verify the client certificate:\n{}",
                release.name(),
                outcome.label,
                server.log()
            );
        }
        // TLS 1.3: the client finishes first; s_server then refuses the missing certificate.
        outcomes[1].assert_refused(release, "Received fatal alert: certificate_required");
        assert!(
            s_no_cert
                .log()
                .contains("peer did not return a certificate"),
            "{}",
            s_no_cert.log()
        );

        outcomes[3].assert_closed_by_server(release);
        let served = sso_server.next();
        served.assert_connect_packet(release, &outcomes[3].label);
        assert_eq!(served.field("peer"), "CN=ring-client,O=Ring", "{served:?}");
        outcomes[4].assert_refused(release, "Received fatal alert: bad_certificate");
        let served = sso_server.next();
        assert!(
            served.handshake.contains("Empty client certificate chain"),
            "{}: {served:?}",
            release.name()
        );
    }
}

#[test]
fn jdbc_refuses_a_wrong_ca_an_expired_certificate_a_wrong_dn_or_host_and_a_broken_wallet() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(dir, "rsa", "localhost", &[]);
    let other = tcps_init(dir, "other", "db1.example.com", &["--key-type", "p256"]);
    let key = server_key_pem(&init);
    let other_key = server_key_pem(&other);
    let cert = init.join("server/server.pem");
    let expired = expired_server_cert(dir, &init, &key, "expired");
    // orakit's client wallet with one byte flipped near its end (inside the PKCS#12):
    // Oracle's SSO KeyStore must refuse it, so a broken writer cannot pass the ring. The
    // intact ewallet.pem stays beside it: the driver still fails, so the passing cases of
    // this file read orakit's cwallet.sso, not the PEM file.
    let broken = dir.join("broken-wallet");
    std::fs::create_dir(&broken).unwrap();
    std::fs::copy(
        client_wallet(&init).join("ewallet.pem"),
        broken.join("ewallet.pem"),
    )
    .unwrap();
    let mut sso = std::fs::read(client_sso(&init)).unwrap();
    let at = sso.len() - 40;
    sso[at] ^= 0x01;
    std::fs::write(broken.join("cwallet.sso"), sso).unwrap();

    for release in RELEASES {
        let server = OpenSslServer::start(dir, &cert, &key, &[]);
        let dn_ok = OpenSslServer::start(dir, &cert, &key, &[]);
        let old = OpenSslServer::start(dir, &expired, &key, &[]);
        let named = OpenSslServer::start(dir, &other.join("server/server.pem"), &other_key, &[]);
        let wallet = client_wallet(&init);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("another CA, wallet_location", server.port)
                    .wallet(&client_wallet(&other)),
                Attempt::descriptor("another CA, trustStore SSO", server.port)
                    .trust_store_sso(&client_sso(&other)),
                Attempt::ezconnect("expired, wallet_location", old.port).wallet(&wallet),
                Attempt::descriptor("expired, trustStore SSO", old.port)
                    .trust_store_sso(&client_sso(&init)),
                Attempt::ezconnect("DN mismatch", server.port)
                    .wallet(&wallet)
                    .prop("oracle.net.ssl_server_dn_match", "true")
                    .prop("oracle.net.ssl_server_cert_dn", "CN=not-the-server"),
                Attempt::ezconnect("DN match (control)", dn_ok.port)
                    .wallet(&wallet)
                    .prop("oracle.net.ssl_server_dn_match", "true")
                    .prop("oracle.net.ssl_server_cert_dn", "CN=localhost"),
                Attempt::ezconnect("host not in the SANs", named.port)
                    .wallet(&client_wallet(&other))
                    .prop("oracle.net.ssl_server_dn_match", "true"),
                Attempt::ezconnect("flipped byte, wallet_location", server.port).wallet(&broken),
                Attempt::descriptor("flipped byte, trustStore SSO", server.port)
                    .trust_store_sso(&broken.join("cwallet.sso")),
            ],
        );
        outcomes[7].assert_refused(release, "Unable to initialize the key store.");
        outcomes[8].assert_refused(release, "Unable to initialize the trust store.");
        for o in &outcomes[0..2] {
            o.assert_refused(
                release,
                "SunCertPathBuilderException: unable to find valid certification path to requested target",
            );
            assert!(
                o.causes
                    .iter()
                    .any(|c| c.contains("PKIX path building failed")),
                "{}",
                o.chain()
            );
        }
        for o in &outcomes[2..4] {
            assert_eq!(
                o.inner(),
                "java.security.cert.CertificateExpiredException: NotAfter: Thu Dec 31 00:00:00 UTC 2020",
                "{}/{}: {}",
                release.name(),
                o.label,
                o.chain()
            );
        }
        match release {
            Release::R19c => {
                outcomes[4].assert_refused(release, "IO Error: Mismatch with the server cert DN.");
                outcomes[6].assert_refused(
                    release,
                    "Host names: localhost , localhost does not match the CN: db1.example.com, or \
                     SAN(s): [db1.example.com, 127.0.0.1], of the server's certificate",
                );
            }
            Release::R23ai => {
                outcomes[4].assert_refused(
                    release,
                    "ORA-17954: The configured DN, \"CN=not-the-server\", does not match the DN, \
                     \"CN=localhost\", of the server's certificate",
                );
                outcomes[6].assert_refused(
                    release,
                    "ORA-17965: Host name(s): \"localhost\" does not match the CN: \
                     \"db1.example.com\" or SAN(s): \"[db1.example.com, 127.0.0.1]\" of the server's \
                     certificate",
                );
            }
        }
        outcomes[5].assert_read_timeout(release);
        assert_got_connect_packet(&dn_ok, release, "DN match (control)");
    }
}
