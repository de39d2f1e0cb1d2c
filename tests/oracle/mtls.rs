//! Mutual TLS end to end (issue 16): `tcps init --client-auth --client ...` output checked
//! by Oracle's own code. orapki (both releases) displays each client wallet with the
//! client certificate the test's openssl fingerprints and the CA as trusted; the JDBC thin
//! driver presents the client wallet's certificate to servers that require one
//! (`openssl s_server -Verify` and Oracle's SSO KeyStore serving the server wallet) and
//! is refused without it; `openssl s_client -cert/-key` with the client's ewallet.pem is
//! accepted by Oracle's SSO KeyStore server. The DN the server sees is the one in the
//! summary's `CREATE USER ... IDENTIFIED EXTERNALLY AS '<DN>'`.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::oracle_view::{Shown, fingerprint, s};
use crate::peers::{RELEASES, Release, orapki};
use crate::support::run;
use crate::tls_support::*;

const CLIENT_DN: &str = "CN=ring-app,O=Ring";

/// orapki `wallet display -complete` of a wallet directory, parsed.
fn displayed(release: Release, wallet: &Path) -> Shown {
    let run = orapki(
        release,
        &["wallet", "display", "-wallet", s(wallet), "-complete"],
    )
    .ok();
    Shown::parse(release, run.body())
}

#[test]
fn orapki_shows_each_client_wallet_with_its_client_certificate_and_the_ca() {
    let tmp = tempfile::tempdir().unwrap();
    let init = tcps_init(
        tmp.path(),
        "mtls",
        "localhost",
        &[
            "--client-auth",
            "--client",
            &format!("ring-app={CLIENT_DN}"),
            "--client",
            "batch",
        ],
    );
    let ca = init.join("ca/ca.pem");
    for release in RELEASES {
        for (name, dn) in [("ring-app", CLIENT_DN), ("batch", "CN=batch")] {
            let dir = init.join("clients").join(name);
            let shown = displayed(release, &dir.join("wallet"));
            assert_eq!(
                Shown::digests(&shown.user),
                [fingerprint(release, &dir.join("client.pem"))].into(),
                "{}/{name}: {shown:?}",
                release.name()
            );
            assert_eq!(
                Shown::digests(&shown.trusted),
                [fingerprint(release, &ca)].into(),
                "{}/{name}: {shown:?}",
                release.name()
            );
            if release == Release::R23ai {
                assert_eq!(Shown::subjects(&shown.user), [dn.to_owned()].into());
            }
        }
        let server = displayed(release, &init.join("server/wallet"));
        assert_eq!(
            Shown::digests(&server.user),
            [fingerprint(release, &init.join("server/server.pem"))].into()
        );
        assert_eq!(
            Shown::digests(&server.trusted),
            [fingerprint(release, &ca)].into()
        );
    }
}

/// `openssl s_client` presenting the client's certificate and key (from its ewallet.pem)
/// or none; the server's verdict is what counts, so the output is not needed.
fn s_client_with(port: u16, ca: &Path, pem: Option<&Path>) {
    let mut cmd = Command::new("timeout");
    cmd.args(["20", "openssl", "s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-CAfile")
        .arg(ca);
    if let Some(pem) = pem {
        cmd.arg("-cert").arg(pem).arg("-key").arg(pem);
    }
    run(cmd.stdin(Stdio::null()));
}

#[test]
fn jdbc_presents_the_client_wallet_certificate_where_one_is_required_and_fails_without() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(
        dir,
        "mtls",
        "localhost",
        &[
            "--client-auth",
            "--client",
            &format!("ring-app={CLIENT_DN}"),
        ],
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(init.join("orakit-tcps.json")).unwrap()).unwrap();
    assert_eq!(
        summary["client_identities"][0]["create_user"],
        format!("CREATE USER \"ring-app\" IDENTIFIED EXTERNALLY AS '{CLIENT_DN}';")
    );
    let key = server_key_pem(&init);
    let cert = init.join("server/server.pem");
    let ca = init.join("ca/ca.pem");
    let client_wallet = init.join("clients/ring-app/wallet");
    let trust_only = init.join("client/wallet");
    let require_cert = ["-Verify", "1", "-verify_return_error", "-CAfile", s(&ca)];

    for release in RELEASES {
        let s_with = OpenSslServer::start(dir, &cert, &key, &require_cert);
        let s_without = OpenSslServer::start(dir, &cert, &key, &require_cert);
        let sso = SsoServer::start(release, &init.join("server/wallet/cwallet.sso"), true, 4);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("s_server, client wallet", s_with.port).wallet(&client_wallet),
                Attempt::ezconnect("s_server, trust-only wallet", s_without.port)
                    .wallet(&trust_only),
                Attempt::ezconnect("SSO server, client wallet", sso.port).wallet(&client_wallet),
                Attempt::ezconnect("SSO server, trust-only wallet", sso.port).wallet(&trust_only),
            ],
        );
        outcomes[0].assert_read_timeout(release);
        let got = s_with.received();
        assert!(
            got.contains("(DESCRIPTION=") && got.contains("(SERVICE_NAME=ORCLPDB1)"),
            "{}: no connect packet: {got:?}\n{}",
            release.name(),
            s_with.log()
        );
        assert!(
            s_with.log().contains("depth=0 O = Ring, CN = ring-app"),
            "{}: s_server did not verify the client certificate:\n{}",
            release.name(),
            s_with.log()
        );
        outcomes[1].assert_refused(release, "Received fatal alert: certificate_required");
        assert!(
            s_without
                .log()
                .contains("peer did not return a certificate")
        );

        outcomes[2].assert_closed_by_server(release);
        let served = sso.next();
        served.assert_connect_packet(release, &outcomes[2].label);
        // The DN Oracle's stack reports for the client is the summary's, letter for letter.
        assert_eq!(served.field("peer"), CLIENT_DN, "{served:?}");
        outcomes[3].assert_refused(release, "Received fatal alert: bad_certificate");
        assert!(
            sso.next()
                .handshake
                .contains("Empty client certificate chain")
        );

        // openssl with the client's ewallet.pem, then without a certificate.
        let pem = client_wallet.join("ewallet.pem");
        s_client_with(sso.port, &ca, Some(&pem));
        let served = sso.next();
        assert!(
            served.handshake.starts_with("HANDSHAKE OK") && served.field("peer") == CLIENT_DN,
            "{}: {served:?}",
            release.name()
        );
        s_client_with(sso.port, &ca, None);
        let served = sso.next();
        assert!(
            served.handshake.contains("HANDSHAKE FAILED"),
            "{}: {served:?}",
            release.name()
        );
    }
}

#[test]
fn python_oracledb_thin_presents_the_client_ewallet_pem_and_is_refused_without_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(
        dir,
        "mtls",
        "localhost",
        &[
            "--client-auth",
            "--client",
            &format!("ring-app={CLIENT_DN}"),
        ],
    );
    // Oracle's SSO KeyStore serves the server wallet and requires a client certificate.
    let sso = SsoServer::start(
        Release::R23ai,
        &init.join("server/wallet/cwallet.sso"),
        true,
        2,
    );
    let error = python_thin(sso.port, &init.join("clients/ring-app/wallet"));
    let served = sso.next();
    served.assert_connect_packet(Release::R23ai, &format!("python thin: {error}"));
    assert_eq!(served.field("peer"), CLIENT_DN, "{served:?}");

    let error = python_thin(sso.port, &init.join("client/wallet"));
    let served = sso.next();
    assert!(
        served.handshake.contains("Empty client certificate chain"),
        "{served:?} / {error}"
    );
}
