//! `tcps rotate-root` (issue 16) checked by Oracle's code at every phase of a root
//! rotation of a `tcps init` output:
//!
//! - orapki of each release lists, from the server wallet (cwallet.sso and ewallet.p12)
//!   and the client / AWS DMS cwallet.sso, exactly the trusted roots the phase leaves
//!   (SHA-1s computed by openssl from the CA files) and the server certificate in force;
//! - phase 1: the phase-1 client wallet trusts a server of the old root (the init's) and
//!   one of the new root (a `tcps issue` host signed by DIR/ca-new): JDBC thin with the
//!   client's cwallet.sso completes both handshakes against `openssl s_server`, and
//!   `openssl s_client` with the client's ewallet.pem verifies Oracle's SSO KeyStore
//!   serving each server wallet;
//! - phase 2: the re-issued server wallet, served by Oracle's SSO KeyStore, presents the
//!   new server.pem, which the UNCHANGED phase-1 client trusts (openssl and JDBC thin);
//! - phase 3: JDBC thin with the phase-3 client wallet refuses the old-root server (PKIX)
//!   and accepts the new one; openssl with the new ewallet.pem refuses it too.
//!
//! Every phase runs twice: the second run reports `changed: false` and no byte or mtime
//! of the directory moves.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::oracle_writes::pki;
use crate::peers::{RELEASES, Release};
use crate::rw_support::{orapki_certs, sha1_of};
use crate::support::{list_files, orakit, run_ok, words};
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

fn rotate(init: &Path, phase: &str) -> serde_json::Value {
    let out = run_ok(
        orakit()
            .args(["tcps", "rotate-root"])
            .arg(init)
            .args(["--phase", phase, "--password-env", "RING_TCPS_PW", "--json"])
            .env("RING_TCPS_PW", INIT_PASSWORD),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs `phase` twice: the first changes files, the second nothing at all.
fn phase_twice(init: &Path, phase: &str) {
    let first = rotate(init, phase);
    assert_eq!(first["changed"], true, "{phase}: {first:#}");
    let settled = snapshot(init);
    let again = rotate(init, phase);
    assert_eq!(again["changed"], false, "{phase} again: {again:#}");
    assert_eq!(
        again["files_changed"].as_array().unwrap().len(),
        0,
        "{again:#}"
    );
    assert_eq!(snapshot(init), settled, "{phase} run again changed a file");
}

/// What orapki of `release` lists in `wallet` (from cwallet.sso, or ewallet.p12 with the
/// password): (trusted SHA-1s sorted, user SHA-1s).
fn listed(release: Release, wallet: &Path, with_password: bool) -> (Vec<String>, Vec<String>) {
    let line = if with_password {
        format!("wallet display -pwd {INIT_PASSWORD} -complete")
    } else {
        "wallet display -complete".to_owned()
    };
    let certs = orapki_certs(&pki(release, &line, wallet));
    let pick = |section: &str| {
        let mut v: Vec<String> = certs
            .iter()
            .filter(|c| c.section == section)
            .map(|c| c.sha1.clone())
            .collect();
        v.sort();
        v
    };
    (pick("trusted"), pick("user"))
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Checks with orapki of every release what the server wallet (both files) and the client
/// wallet trust, and the server's user certificate.
fn check_wallets(init: &Path, trusted: &[String], user: &str, when: &str) {
    let want = sorted(trusted.to_vec());
    for release in RELEASES {
        let server = init.join("server/wallet");
        for with_password in [false, true] {
            let (t, u) = listed(release, &server, with_password);
            assert_eq!(
                t,
                want,
                "{when}, {}: server wallet (p12: {with_password}) trusts",
                release.name()
            );
            assert_eq!(u, vec![user.to_owned()], "{when}, {}", release.name());
        }
        let (t, u) = listed(release, &init.join("client/wallet"), false);
        assert_eq!(t, want, "{when}, {}: client wallet trusts", release.name());
        assert!(u.is_empty());
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
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
fn a_root_rotation_keeps_clients_and_servers_agreeing_at_every_phase() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(dir, "rot", "localhost", &[]);
    let old_root = sha1_of(&init.join("ca/ca.pem"));
    let old_server_pem = dir.join("old-server.pem");
    fs::copy(init.join("server/server.pem"), &old_server_pem).unwrap();
    let old_server = sha1_of(&old_server_pem);
    let key = dir.join("server-key.pem");
    export_key(&init.join("server/wallet"), &key);

    // Out of order: refused, nothing written.
    let before = snapshot(&init);
    let refused = orakit()
        .args(["tcps", "rotate-root"])
        .arg(&init)
        .args(words("--phase reissue --password-env RING_TCPS_PW"))
        .env("RING_TCPS_PW", INIT_PASSWORD)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--phase trust"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(snapshot(&init), before);

    // Phase 1: both roots trusted everywhere.
    phase_twice(&init, "trust");
    let new_root = sha1_of(&init.join("ca-new/ca.pem"));
    assert_ne!(new_root, old_root);
    check_wallets(
        &init,
        &[old_root.clone(), new_root.clone()],
        &old_server,
        "phase 1",
    );
    let client_p1 = dir.join("client-phase1");
    copy_dir(&init.join("client/wallet"), &client_p1);
    // A server of the new root: a `tcps issue` host signed by DIR/ca-new.
    fs::write(
        dir.join("hosts.csv"),
        "host,sans,service,tcps_port,tcp_port\nlocalhost,127.0.0.1,ORCLPDB1,2484,1521\n",
    )
    .unwrap();
    run_ok(
        orakit()
            .args(["tcps", "issue", "--ca-dir"])
            .arg(init.join("ca-new"))
            .arg("--hosts")
            .arg(dir.join("hosts.csv"))
            .arg("--out")
            .arg(dir.join("newfleet"))
            .args(["--password-env", "RING_TCPS_PW"])
            .env("RING_TCPS_PW", INIT_PASSWORD),
    );
    let new_host = dir.join("newfleet/localhost");
    let new_host_key = dir.join("new-host-key.pem");
    export_key(&new_host.join("wallet"), &new_host_key);
    let client_pem = client_p1.join("ewallet.pem");
    for release in RELEASES {
        for (what, sso, pem) in [
            (
                "old-root server",
                init.join("server/wallet/cwallet.sso"),
                &old_server_pem,
            ),
            (
                "new-root server",
                new_host.join("wallet/cwallet.sso"),
                &new_host.join("server.pem"),
            ),
        ] {
            let server = SsoServer::start(release, &sso, false, 1);
            let (verified, presented, text) = s_client(dir, server.port, &client_pem, "localhost");
            assert!(verified, "phase 1, {}, {what}:\n{text}", release.name());
            assert_eq!(presented, openssl_sha256(pem), "{what}");
            assert!(server.next().handshake.starts_with("HANDSHAKE OK"));
        }
        let old = OpenSslServer::start(dir, &old_server_pem, &key, &[]);
        let new = OpenSslServer::start(dir, &new_host.join("server.pem"), &new_host_key, &[]);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("phase 1 client, old-root server", old.port).wallet(&client_p1),
                Attempt::ezconnect("phase 1 client, new-root server", new.port).wallet(&client_p1),
            ],
        );
        outcomes[0].assert_read_timeout(release);
        outcomes[1].assert_read_timeout(release);
    }

    // Phase 2: the server re-issued under the new root, on its key.
    phase_twice(&init, "reissue");
    let server_pem = init.join("server/server.pem");
    let new_server = sha1_of(&server_pem);
    assert_ne!(new_server, old_server);
    run_ok(
        Command::new("openssl")
            .args(words("verify -CAfile"))
            .arg(init.join("ca-new/ca.pem"))
            .arg(&server_pem),
    );
    check_wallets(
        &init,
        &[old_root.clone(), new_root.clone()],
        &new_server,
        "phase 2",
    );
    for release in RELEASES {
        let server = SsoServer::start(release, &init.join("server/wallet/cwallet.sso"), false, 1);
        let (verified, presented, text) = s_client(dir, server.port, &client_pem, "localhost");
        assert!(verified, "phase 2, {}:\n{text}", release.name());
        assert_eq!(presented, openssl_sha256(&server_pem));
        assert!(server.next().handshake.starts_with("HANDSHAKE OK"));
        let reissued = OpenSslServer::start(dir, &server_pem, &key, &[]);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("phase 1 client, re-issued server", reissued.port)
                    .wallet(&client_p1),
            ],
        );
        outcomes[0].assert_read_timeout(release);
    }

    // Phase 3: only the new root is left; DIR/ca is the new CA.
    phase_twice(&init, "retire");
    check_wallets(
        &init,
        std::slice::from_ref(&new_root),
        &new_server,
        "phase 3",
    );
    assert_eq!(sha1_of(&init.join("ca/ca.pem")), new_root);
    assert_eq!(sha1_of(&init.join("ca-retired/ca.pem")), old_root);
    let client = init.join("client/wallet");
    for release in RELEASES {
        let old = OpenSslServer::start(dir, &old_server_pem, &key, &[]);
        let new = OpenSslServer::start(dir, &server_pem, &key, &[]);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("phase 3 client, old-root server", old.port).wallet(&client),
                Attempt::ezconnect("phase 3 client, new-root server", new.port).wallet(&client),
            ],
        );
        outcomes[0].assert_refused(
            release,
            "unable to find valid certification path to requested target",
        );
        outcomes[1].assert_read_timeout(release);
    }
    let old = OpenSslServer::start(dir, &old_server_pem, &key, &[]);
    let (verified, _, text) = s_client(dir, old.port, &client.join("ewallet.pem"), "localhost");
    assert!(!verified, "the old-root server is still trusted:\n{text}");
}

/// A fleet (two `tcps issue` hosts signed by a `tcps init` CA) and its trust-only client
/// wallet, rotated phase by phase: orapki of each release lists, from every host's
/// cwallet.sso and ewallet.p12 and from the client's cwallet.sso, the roots each phase
/// leaves; after phase 2 Oracle's SSO KeyStore serving a re-issued host is verified with the
/// phase-1 client PEM; after phase 3 JDBC thin with the client wallet refuses the host's
/// old-root certificate and accepts its new one.
#[test]
fn a_fleet_rotation_is_what_orapki_lists_after_each_phase() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(dir, "ca-home", "localhost", &[]);
    let ca_dir = init.join("ca");
    fs::write(
        dir.join("hosts.csv"),
        "host,sans,service,tcps_port,tcp_port\nlocalhost,127.0.0.1,ORCLPDB1,2484,1521\n\
         db2.example.com,,ORCLPDB1,2484,1521\n",
    )
    .unwrap();
    let fleet = dir.join("fleet");
    run_ok(
        orakit()
            .args(["tcps", "issue", "--ca-dir"])
            .arg(&ca_dir)
            .arg("--hosts")
            .arg(dir.join("hosts.csv"))
            .arg("--out")
            .arg(&fleet)
            .args(["--password-env", "RING_TCPS_PW"])
            .env("RING_TCPS_PW", INIT_PASSWORD),
    );
    // The client bundle: a copy of the init's trust-only client wallet (sso + pem).
    let client = dir.join("clients/wallet");
    copy_dir(&init.join("client/wallet"), &client);
    let old_root = sha1_of(&ca_dir.join("ca.pem"));
    let host = fleet.join("localhost");
    let old_pem = dir.join("old-localhost.pem");
    fs::copy(host.join("server.pem"), &old_pem).unwrap();
    let key = dir.join("localhost-key.pem");
    export_key(&host.join("wallet"), &key);
    let new_ca = dir.join("new-ca");

    let run_phase = |phase: &str, extra: &[&str]| {
        let go = || {
            let out = run_ok(
                orakit()
                    .args(["tcps", "rotate-root"])
                    .arg(&fleet)
                    .args(["--phase", phase, "--json", "--password-env", "RING_TCPS_PW"])
                    .args(extra)
                    .env("RING_TCPS_PW", INIT_PASSWORD),
            );
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
        };
        assert_eq!(go()["changed"], true, "{phase}");
        let (f, c) = (snapshot(&fleet), snapshot(&client));
        assert_eq!(go()["changed"], false, "{phase} again");
        assert_eq!(
            (snapshot(&fleet), snapshot(&client)),
            (f, c),
            "{phase} again"
        );
    };
    let check = |trusted: &[String], when: &str| {
        let want = sorted(trusted.to_vec());
        for release in RELEASES {
            for h in ["localhost", "db2.example.com"] {
                for with_password in [false, true] {
                    let (t, u) = listed(release, &fleet.join(h).join("wallet"), with_password);
                    assert_eq!(
                        t,
                        want,
                        "{when}, {}, {h} (p12: {with_password})",
                        release.name()
                    );
                    assert_eq!(
                        u,
                        vec![sha1_of(&fleet.join(h).join("server.pem"))],
                        "{when}, {h}"
                    );
                }
            }
            let (t, _) = listed(release, &client, false);
            assert_eq!(t, want, "{when}, {}, client", release.name());
        }
    };

    let client_arg = client.display().to_string();
    let ca_arg = ca_dir.display().to_string();
    let new_arg = new_ca.display().to_string();
    run_phase(
        "trust",
        &[
            "--ca-dir",
            &ca_arg,
            "--new-ca-dir",
            &new_arg,
            "--client-wallet",
            &client_arg,
        ],
    );
    let new_root = sha1_of(&new_ca.join("ca.pem"));
    check(&[old_root.clone(), new_root.clone()], "phase 1");
    let client_p1_pem = dir.join("client-phase1.pem");
    fs::copy(client.join("ewallet.pem"), &client_p1_pem).unwrap();

    run_phase("reissue", &[]);
    check(&[old_root.clone(), new_root.clone()], "phase 2");
    let new_pem = host.join("server.pem");
    for release in RELEASES {
        let server = SsoServer::start(release, &host.join("wallet/cwallet.sso"), false, 1);
        let (verified, presented, text) = s_client(dir, server.port, &client_p1_pem, "localhost");
        assert!(verified, "phase 2, {}:\n{text}", release.name());
        assert_eq!(presented, openssl_sha256(&new_pem));
        assert!(server.next().handshake.starts_with("HANDSHAKE OK"));
    }

    run_phase("retire", &[]);
    check(std::slice::from_ref(&new_root), "phase 3");
    for release in RELEASES {
        let old = OpenSslServer::start(dir, &old_pem, &key, &[]);
        let new = OpenSslServer::start(dir, &new_pem, &key, &[]);
        let outcomes = jdbc(
            release,
            dir,
            &[
                Attempt::ezconnect("phase 3 client, old-root host", old.port).wallet(&client),
                Attempt::ezconnect("phase 3 client, re-issued host", new.port).wallet(&client),
            ],
        );
        outcomes[0].assert_refused(
            release,
            "unable to find valid certification path to requested target",
        );
        outcomes[1].assert_read_timeout(release);
    }
}

/// Two rotations in a row on one `tcps init` output (issue 16: the second no longer needs
/// the record moved aside): after each phase of the second, orapki of each release lists
/// exactly the roots that phase leaves, and the server's user certificate is the one
/// DIR/ca or DIR/ca-new signed; each phase run twice changes nothing.
#[test]
fn a_second_rotation_is_what_orapki_lists_after_each_phase() {
    let tmp = tempfile::tempdir().unwrap();
    let init = tcps_init(tmp.path(), "rot2", "localhost", &[]);
    for phase in ["trust", "reissue", "retire"] {
        phase_twice(&init, phase);
    }
    let g2 = sha1_of(&init.join("ca/ca.pem"));
    let server = || sha1_of(&init.join("server/server.pem"));
    check_wallets(
        &init,
        std::slice::from_ref(&g2),
        &server(),
        "first rotation done",
    );

    phase_twice(&init, "trust");
    let g3 = sha1_of(&init.join("ca-new/ca.pem"));
    assert_ne!(g3, g2);
    let both = [g2.clone(), g3.clone()];
    check_wallets(&init, &both, &server(), "second rotation, phase 1");
    phase_twice(&init, "reissue");
    check_wallets(&init, &both, &server(), "second rotation, phase 2");
    run_ok(
        Command::new("openssl")
            .args(["verify", "-CAfile"])
            .arg(init.join("ca-new/ca.pem"))
            .arg(init.join("server/server.pem")),
    );
    phase_twice(&init, "retire");
    assert_eq!(sha1_of(&init.join("ca/ca.pem")), g3);
    check_wallets(&init, &[g3], &server(), "second rotation, phase 3");
}
