//! Bring your own certificate end to end (issue 16): `tcps init` with a server certificate
//! from an openssl-made corporate CA (root -> issuing CA -> server), from a PKCS#12 file and
//! from a Kubernetes TLS secret. orapki (both releases) shows the server wallet with that
//! certificate and the whole chain as trusted, and the client wallet with the root alone;
//! Oracle's SSO KeyStore serves the server wallet to the JDBC thin driver trusting only the
//! client wallet and to `openssl s_client` trusting only the corporate root.
//!
//! Renewal of a brought certificate (`tcps renew --tls-secret`, a new key): orapki shows
//! the renewed certificate in the server wallet, and the unchanged client wallet still
//! trusts the renewed server. A fleet with brought hosts (`tcps issue --bring`): orapki
//! shows each brought host's wallet with its certificate and chain, and the client wallet
//! with every root.

use std::fs;
use std::path::Path;

use crate::byo_chain::{Corp, PFX_PASSWORD, corporate_chain, renewed};
use crate::oracle_view::{Shown, fingerprint, s};
use crate::peers::{RELEASES, Release, orapki};
use crate::support::{orakit, run_ok, words};
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
    assert_server_wallet(
        release,
        corp,
        &corp.server_cert,
        &init.join("server/wallet"),
    );
    let what = format!("{}/{}", release.name(), init.display());
    let server = displayed(release, &init.join("server/wallet"));
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

/// orapki of `release` shows `wallet` with `cert` as its user certificate and `corp`'s
/// root and issuing CA as trusted, by openssl's fingerprints.
fn assert_server_wallet(release: Release, corp: &Corp, cert: &Path, wallet: &Path) {
    let server = displayed(release, wallet);
    let what = format!("{}/{}", release.name(), wallet.display());
    assert_eq!(
        Shown::digests(&server.user),
        [fingerprint(release, cert)].into(),
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
}

/// The server wallet served by Oracle's SSO KeyStore server of `release`: JDBC thin with
/// `client_wallet` completes the handshake and `openssl s_client` trusting only
/// `root` is presented `cert`.
fn assert_served(
    release: Release,
    dir: &Path,
    sso: &Path,
    client_wallet: &Path,
    root: &Path,
    cert: &Path,
) {
    let server = SsoServer::start(release, sso, false, 2);
    let outcomes = jdbc(
        release,
        dir,
        &[
            Attempt::ezconnect("SSO server, unchanged client wallet", server.port)
                .wallet(client_wallet),
        ],
    );
    outcomes[0].assert_closed_by_server(release);
    let served = server.next();
    served.assert_connect_packet(release, &outcomes[0].label);
    let (verified, presented, text) = s_client(dir, server.port, root, "localhost");
    assert!(verified, "{}: s_client:\n{text}", release.name());
    assert_eq!(presented, openssl_sha256(cert));
    let _ = server.next();
}

#[test]
fn byo_renewal_with_a_new_key_is_served_to_the_unchanged_client_wallet() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corp = corporate_chain(dir);
    let init = tcps_init(
        dir,
        "byo-renew",
        "localhost",
        &["--tls-secret", s(&corp.k8s)],
    );
    let client_before = fs::read(init.join("client/wallet/cwallet.sso")).unwrap();
    let (cert2, _) = renewed(&corp, "renewed", 8194, true);
    let secret = corp.dir.join("renewed-secret");
    let renew = || {
        let out = run_ok(
            orakit()
                .args(["tcps", "renew"])
                .arg(&init)
                .args(words("--password-env RING_TCPS_PW --json --tls-secret"))
                .arg(&secret)
                .env("RING_TCPS_PW", INIT_PASSWORD),
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let first = renew();
    assert_eq!(first["changed"], true, "{first}");
    assert_eq!(first["key"], "new", "{first}");
    assert_eq!(renew()["changed"], false);
    assert_eq!(
        fs::read(init.join("client/wallet/cwallet.sso")).unwrap(),
        client_before
    );
    for release in RELEASES {
        assert_server_wallet(release, &corp, &cert2, &init.join("server/wallet"));
        assert_served(
            release,
            dir,
            &init.join("server/wallet/cwallet.sso"),
            &init.join("client/wallet"),
            &corp.root,
            &cert2,
        );
    }
}

#[test]
fn byo_fleet_wallets_show_the_brought_chains_and_the_client_wallet_every_root() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corp = corporate_chain(dir);
    let bring = dir.join("bring");
    fs::create_dir_all(bring.join("localhost")).unwrap();
    for name in ["tls.crt", "tls.key", "ca.crt"] {
        fs::copy(corp.k8s.join(name), bring.join("localhost").join(name)).unwrap();
    }
    let ca = dir.join("fleet-ca");
    fs::create_dir_all(&ca).unwrap();
    run_ok(
        orakit()
            .args(["ca", "init", "--subject", "CN=Fleet Ring Root", "--key-out"])
            .arg(ca.join("ca.key"))
            .arg("--out")
            .arg(ca.join("ca.pem")),
    );
    fs::write(
        dir.join("hosts.csv"),
        "host,sans,service,tcps_port,tcp_port\nlocalhost,127.0.0.1,ORCLPDB1,2484,\ndb2.example.com,,SALES,2484,\n",
    )
    .unwrap();
    let out = dir.join("fleet");
    run_ok(
        orakit()
            .args(["tcps", "issue", "--ca-dir"])
            .arg(&ca)
            .arg("--hosts")
            .arg(dir.join("hosts.csv"))
            .arg("--out")
            .arg(&out)
            .arg("--bring")
            .arg(&bring)
            .args(words("--password-env RING_TCPS_PW"))
            .env("RING_TCPS_PW", INIT_PASSWORD),
    );
    for release in RELEASES {
        assert_server_wallet(
            release,
            &corp,
            &corp.server_cert,
            &out.join("localhost/wallet"),
        );
        let client = displayed(release, &out.join("client-wallet"));
        assert!(client.user.is_empty(), "{client:?}");
        assert_eq!(
            Shown::digests(&client.trusted),
            [
                fingerprint(release, &corp.root),
                fingerprint(release, &ca.join("ca.pem"))
            ]
            .into(),
            "{}: {client:?}",
            release.name()
        );
        assert_served(
            release,
            dir,
            &out.join("localhost/wallet/cwallet.sso"),
            &out.join("client-wallet"),
            &corp.root,
            &corp.server_cert,
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
