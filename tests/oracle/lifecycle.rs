//! `tcps renew` (issue 16) checked by Oracle's code: after a renewal orapki of each release
//! lists the new user certificate (the SHA-1 openssl computes from the new server.pem),
//! not the old one, beside the unchanged trusted root, in both the cwallet.sso and the
//! ewallet.p12; Oracle's SSO KeyStore serves the renewed cwallet.sso to `openssl s_client`
//! trusting the UNCHANGED client ewallet.pem; openssl s_server with the renewed server.pem
//! and the key exported by `orakit wallet export-key` completes handshakes with JDBC thin
//! and python-oracledb thin using the UNCHANGED client wallet. A second run changes nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::oracle_writes::pki;
use crate::peers::RELEASES;
use crate::rw_support::{orapki_certs, orapki_has, sha1_of};
use crate::support::{list_files, orakit, run_ok};
use crate::tls_support::*;

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let p = dir.join(&rel);
            let m = fs::metadata(&p).unwrap().modified().unwrap();
            (rel, (fs::read(&p).unwrap(), m))
        })
        .collect()
}

fn renew(init: &Path) -> serde_json::Value {
    let out = run_ok(
        orakit()
            .args(["tcps", "renew"])
            .arg(init)
            .args(["--password-env", "RING_TCPS_PW", "--json"])
            .env("RING_TCPS_PW", INIT_PASSWORD),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_renewed_server_wallet_is_what_orapki_lists_and_serves_tls_to_the_unchanged_client() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(dir, "renew", "localhost", &["--days", "20"]);
    let old_sha1 = sha1_of(&init.join("server/server.pem"));
    let root_sha1 = sha1_of(&init.join("ca/ca.pem"));
    let before = snapshot(&init);

    let report = renew(&init);
    assert_eq!(report["changed"], true, "{report:#}");
    assert_eq!(report["key"], "kept");
    let server_pem = init.join("server/server.pem");
    let new_sha1 = sha1_of(&server_pem);
    assert_ne!(new_sha1, old_sha1);

    let wallet = init.join("server/wallet");
    for release in RELEASES {
        for line in [
            "wallet display -complete".to_owned(),
            format!("wallet display -pwd {INIT_PASSWORD} -complete"),
        ] {
            let listed = orapki_certs(&pki(release, &line, &wallet));
            let what = format!(
                "{}: {}",
                release.name(),
                line.split(" -pwd").next().unwrap()
            );
            assert!(
                orapki_has(&listed, "user", &new_sha1).is_some(),
                "{what}: the new user certificate is not listed: {listed:?}"
            );
            assert!(
                !listed.iter().any(|c| c.sha1 == old_sha1),
                "{what}: the old certificate is still there: {listed:?}"
            );
            assert!(
                orapki_has(&listed, "trusted", &root_sha1).is_some(),
                "{what}: the root is not trusted: {listed:?}"
            );
            assert_eq!(
                listed.iter().filter(|c| c.section == "user").count(),
                1,
                "{what}: {listed:?}"
            );
        }
    }

    // What clients have is byte for byte what `tcps init` gave them, and the .ora files too.
    let after = snapshot(&init);
    for (rel, (bytes, _)) in &before {
        let name = rel.to_string_lossy();
        if name.starts_with("client/") || name.ends_with(".ora") || name.starts_with("ca/") {
            assert_eq!(&after[rel].0, bytes, "{name} changed");
        }
    }

    // TLS with the renewed server and the unchanged client wallet.
    let expected = openssl_sha256(&server_pem);
    let key = dir.join("renewed-key.pem");
    run_ok(
        orakit()
            .args(["wallet", "export-key", "--unencrypted", "--wallet"])
            .arg(&wallet)
            .arg("--out")
            .arg(&key),
    );
    let client_wallet = init.join("client/wallet");
    let client_pem = client_wallet.join("ewallet.pem");
    for release in RELEASES {
        // Oracle's SSO KeyStore serving the renewed cwallet.sso.
        let sso_server = SsoServer::start(release, &wallet.join("cwallet.sso"), false, 1);
        let (verified, presented, text) = s_client(dir, sso_server.port, &client_pem, "localhost");
        assert!(
            verified,
            "{}: s_client did not verify:\n{text}",
            release.name()
        );
        assert_eq!(
            presented,
            expected,
            "{}: another certificate",
            release.name()
        );
        assert!(sso_server.next().handshake.starts_with("HANDSHAKE OK"));

        // openssl s_server with the renewed server.pem and the exported key; JDBC thin
        // with the unchanged client wallet.
        let server = OpenSslServer::start(dir, &server_pem, &key, &[]);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("renewed, unchanged client wallet", server.port)
                    .wallet(&client_wallet),
            ],
        );
        outcomes[0].assert_read_timeout(release);
        assert!(
            server.received().contains("(SERVICE_NAME=ORCLPDB1)"),
            "{}: no connect packet: {}",
            release.name(),
            server.log()
        );
    }
    let server = OpenSslServer::start(dir, &server_pem, &key, &[]);
    let error = python_thin(server.port, &client_wallet);
    assert!(
        error.contains("DPY-4011") && !error.contains("CERTIFICATE_VERIFY_FAILED"),
        "python-oracledb said {error}"
    );

    // Nothing due any more: changed false, and no byte or mtime moves.
    let settled = snapshot(&init);
    let again = renew(&init);
    assert_eq!(again["changed"], false, "{again:#}");
    assert_eq!(snapshot(&init), settled);
}

#[test]
fn a_renewal_on_a_new_key_is_read_by_orapki_and_served_by_oracles_sso_keystore() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(dir, "newkey", "localhost", &[]);
    let old_key = public_key_of(&init.join("server/server.pem"));
    let out = run_ok(
        orakit()
            .args(["tcps", "renew"])
            .arg(&init)
            .args([
                "--password-env",
                "RING_TCPS_PW",
                "--json",
                "--force",
                "--new-key",
            ])
            .env("RING_TCPS_PW", INIT_PASSWORD),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["key"], "new");
    let server_pem = init.join("server/server.pem");
    assert_ne!(public_key_of(&server_pem), old_key);
    let new_sha1 = sha1_of(&server_pem);
    let wallet = init.join("server/wallet");
    for release in RELEASES {
        let line = format!("wallet display -pwd {INIT_PASSWORD} -complete");
        let listed = orapki_certs(&pki(release, &line, &wallet));
        assert!(
            orapki_has(&listed, "user", &new_sha1).is_some(),
            "{}: {listed:?}",
            release.name()
        );
        assert_eq!(listed.iter().filter(|c| c.section == "user").count(), 1);
    }
    // Oracle's SSO KeyStore holds the new key for the new certificate: the handshake
    // proves it (a key that did not match would fail), trusted by the unchanged client.
    let release = RELEASES[1];
    let server = SsoServer::start(release, &wallet.join("cwallet.sso"), false, 1);
    let (verified, presented, text) = s_client(
        dir,
        server.port,
        &init.join("client/wallet/ewallet.pem"),
        "localhost",
    );
    assert!(verified, "{text}");
    assert_eq!(presented, openssl_sha256(&server_pem));
    assert!(server.next().handshake.starts_with("HANDSHAKE OK"));
}

/// The public key of a PEM certificate, by openssl.
fn public_key_of(cert: &Path) -> String {
    let out = run_ok(
        std::process::Command::new("openssl")
            .args(["x509", "-noout", "-pubkey", "-in"])
            .arg(cert),
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
