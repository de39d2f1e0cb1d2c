//! Bring your own certificate end to end (issue 16): `tcps init` with a server certificate
//! from an openssl-made corporate CA (root -> issuing CA -> server), from a PKCS#12 file and
//! from a Kubernetes TLS secret. orapki (both releases) shows the server wallet with that
//! certificate and the whole chain as trusted, and the client wallet with the root alone;
//! Oracle's SSO KeyStore serves the server wallet to the JDBC thin driver trusting only the
//! client wallet and to `openssl s_client` trusting only the corporate root.

use std::fs;
use std::path::Path;

use crate::byo_chain::{Corp, PFX_PASSWORD, corporate_chain};
use crate::oracle_view::{Shown, fingerprint, s};
use crate::peers::{RELEASES, Release, orapki};
use crate::tls_support::*;

fn displayed(release: Release, wallet: &Path) -> Shown {
    let run = orapki(
        release,
        &["wallet", "display", "-wallet", s(wallet), "-complete"],
    )
    .ok();
    Shown::parse(release, run.body())
}

/// What orapki of `release` must show for a `tcps init` output made from `corp`.
fn assert_wallets(release: Release, corp: &Corp, init: &Path) {
    let server = displayed(release, &init.join("server/wallet"));
    let what = format!("{}/{}", release.name(), init.display());
    assert_eq!(
        Shown::digests(&server.user),
        [fingerprint(release, &corp.server_cert)].into(),
        "{what}: {server:?}"
    );
    assert_eq!(
        Shown::digests(&server.trusted),
        [
            fingerprint(release, &corp.root),
            fingerprint(release, &corp.issuing)
        ]
        .into(),
        "{what}: {server:?}"
    );
    let client = displayed(release, &init.join("client/wallet"));
    assert!(client.user.is_empty(), "{what}: {client:?}");
    assert_eq!(
        Shown::digests(&client.trusted),
        [fingerprint(release, &corp.root)].into(),
        "{what}: {client:?}"
    );
    if release == Release::R23ai {
        assert_eq!(
            Shown::subjects(&server.user),
            ["CN=localhost,O=Corp".to_owned()].into()
        );
        assert_eq!(
            Shown::subjects(&client.trusted),
            ["CN=Corp Root CA,O=Corp,C=US".to_owned()].into()
        );
    }
}

#[test]
fn a_pkcs12_server_certificate_is_served_by_oracle_and_trusted_through_its_root() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corp = corporate_chain(dir);
    let pw_file = dir.join("pfx.pw");
    fs::write(&pw_file, format!("{PFX_PASSWORD}\n")).unwrap();
    let init = tcps_init(
        dir,
        "byo-pfx",
        "localhost",
        &[
            "--pkcs12",
            s(&corp.pfx),
            "--pkcs12-password-file",
            s(&pw_file),
        ],
    );
    assert!(!init.join("ca/ca.key").exists(), "no CA of ours");
    for release in RELEASES {
        assert_wallets(release, &corp, &init);
        let sso = SsoServer::start(release, &init.join("server/wallet/cwallet.sso"), false, 2);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("SSO server, byo client wallet", sso.port)
                    .wallet(&init.join("client/wallet")),
            ],
        );
        outcomes[0].assert_closed_by_server(release);
        let served = sso.next();
        served.assert_connect_packet(release, &outcomes[0].label);
        let (verified, presented, text) = s_client(dir, sso.port, &corp.root, "localhost");
        assert!(verified, "{}: s_client:\n{text}", release.name());
        assert_eq!(presented, openssl_sha256(&corp.server_cert));
        let _ = sso.next();
    }
}

#[test]
fn a_kubernetes_tls_secret_gives_the_same_wallets_as_orapki_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let corp = corporate_chain(tmp.path());
    let init = tcps_init(
        tmp.path(),
        "byo-k8s",
        "localhost",
        &["--tls-secret", s(&corp.k8s)],
    );
    for release in RELEASES {
        assert_wallets(release, &corp, &init);
    }
}
