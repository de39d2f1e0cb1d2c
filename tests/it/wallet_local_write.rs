//! Local auto-login (kind 0x38) writing. No real Oracle-made local wallet was available,
//! so the independent readers are walletcheck.py (spec §2.5, both byte mappings) and
//! oracledb-protocol 0.9.1's `cwallet.sso` reader (a port of go-ora, which takes the host
//! from `$HOSTNAME` or the kernel and the user from `$USER`): it runs in a child process
//! of this test binary with those variables set to the identity under test.

use crate::support::words;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::openssl_self_signed;
use crate::support::{orakit, run, run_fails, run_ok, stdout};
use crate::wallet_common::{walletcheck, wc_file};

const PW: &str = "Welcome#2026";

fn cmd(args: &[&str], dir: &Path) -> Command {
    let mut c = orakit();
    c.arg("wallet")
        .args(args)
        .arg("--wallet")
        .arg(dir)
        .env("ORAKIT_WPW", PW);
    c
}

const PW_ARGS: [&str; 2] = ["--password-env", "ORAKIT_WPW"];
const H_U: [&str; 4] = [
    "--local-host",
    "dbhost.example.com",
    "--local-user",
    "oracle",
];

fn files(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    (
        std::fs::read(dir.join("ewallet.p12")).unwrap(),
        std::fs::read(dir.join("cwallet.sso")).unwrap(),
    )
}

/// oracledb-protocol's sso reader in a child process that sees `HOSTNAME=host`, `USER=user`.
/// Returns its one-line verdict.
fn peer_read(sso: &Path, host: &str, user: &str) -> String {
    let out = run(Command::new(std::env::current_exe().unwrap())
        .args(words(
            "wallet_local_write::peer_reader_child --exact --ignored --nocapture --test-threads=1",
        ))
        .env("ORAKIT_PEER_SSO", sso)
        .env("HOSTNAME", host)
        .env("USER", user)
        .env_remove("LOGNAME"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
        .lines()
        .find_map(|l| l.find("PEER ").map(|at| &l[at..]))
        .unwrap_or_else(|| panic!("no verdict in {}", stdout(&out)))
        .to_owned()
}

/// Not a test of its own: the child process [`peer_read`] starts.
#[test]
#[ignore = "run by peer_read in a child process with HOSTNAME and USER set"]
fn peer_reader_child() {
    let Some(path) = std::env::var_os("ORAKIT_PEER_SSO") else {
        return;
    };
    match oracledb_protocol::tls::sso::parse_cwallet_sso(&std::fs::read(path).unwrap()) {
        Ok(contents) => println!("PEER ok ca={}", contents.ca_certificates.len()),
        Err(e) => println!("PEER error {e}"),
    }
}

#[test]
fn a_wallet_written_for_a_host_and_user_opens_only_with_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let out = run_ok(
        // Version 6: the header walletcheck.py and go-ora read (version 7, orakit's default
        // as orapki's, is read by orapki itself in tests/oracle).
        cmd(&["create", "--auto-login-local", "--compat-lsso-v6"], &dir)
            .args(PW_ARGS)
            .args(H_U),
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bound to host dbhost and user oracle"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ca = openssl_self_signed(tmp.path(), "ca", "/CN=Local Test CA");
    // Changing it with the identity it is bound to rewrites it as 0x38 for the same one.
    run_ok(
        cmd(&["add-trusted"], &dir)
            .args(PW_ARGS)
            .args(words("--local-host dbhost --local-user oracle --cert"))
            .arg(&ca),
    );
    let (p12, sso) = files(&dir);
    assert_eq!(&sso[..4], &[0xA1, 0xF8, 0x4E, 0x38]);

    if let Some((report, code)) = walletcheck(
        &dir.join("cwallet.sso"),
        None,
        &[
            "--strict",
            "--local-host",
            "dbhost",
            "--local-user",
            "oracle",
        ],
    ) {
        assert_eq!(code, 0, "{report}");
        let file = wc_file(&report);
        assert_eq!(file["sso"]["kind"], "0x38");
        assert!(
            file["sso"]["local"]["mapping"]
                .as_str()
                .unwrap()
                .starts_with("go-ora"),
            "{report}"
        );
        assert_eq!(file["sso"]["password_bytes_1_127"], true);
        assert_eq!(file["pkcs12"]["bags"].as_array().unwrap().len(), 1);
        // The whole directory: the p12 and the local sso hold the same bags.
        let (report, code) = walletcheck(
            &dir,
            Some(PW.as_bytes()),
            &[
                "--strict",
                "--local-host",
                "dbhost",
                "--local-user",
                "oracle",
            ],
        )
        .unwrap();
        assert_eq!(code, 0, "{report}");
        let (report, code) = walletcheck(
            &dir.join("cwallet.sso"),
            None,
            &["--local-host", "dbhost", "--local-user", "grid"],
        )
        .unwrap();
        assert_eq!(code, 1, "another user must not open it: {report}");
    }

    // A go-ora port opens it as dbhost/oracle and not as anyone else.
    assert_eq!(
        peer_read(&dir.join("cwallet.sso"), "dbhost.example.com", "oracle"),
        "PEER ok ca=1"
    );
    assert!(peer_read(&dir.join("cwallet.sso"), "dbhost", "grid").starts_with("PEER error"));
    assert!(peer_read(&dir.join("cwallet.sso"), "otherhost", "oracle").starts_with("PEER error"));

    // display names the binding (on stderr: stdout is orapki's text), and in JSON.
    let out = run_ok(cmd(&["display"], &dir).args(H_U));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("Local auto-login wallet bound to host dbhost and user oracle\n"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).starts_with("Requested Certificates: \n"),
        "{}",
        stdout(&out)
    );
    let out = run_ok(cmd(&["display", "--json"], &dir).args(H_U));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["wallet_type"], "local-auto-login");
    assert_eq!(json["sso"]["kind"], "local-auto-login");
    assert_eq!(json["sso"]["local_host"], "dbhost");
    assert_eq!(json["sso"]["local_user"], "oracle");
    assert_eq!(json["sso"]["local_mapping"], "go-ora");
    assert_eq!(json["counts"]["trusted_certificates"], 1);

    // Another identity: exit 1, a message naming the kind and the flags, nothing changed.
    let err = run_fails(
        cmd(&["display"], &dir).args(words("--local-host dbhost --local-user grid")),
        1,
    );
    assert!(
        err.contains("local auto-login")
            && err.contains("\"grid\"")
            && err.contains("--local-user"),
        "{err}"
    );
    // No flags: this machine's identity is tried (the test host is not `dbhost`).
    let err = run_fails(&mut cmd(&["display"], &dir), 1);
    assert!(
        err.contains("local auto-login") && err.contains("--local-host HOST --local-user USER"),
        "{err}"
    );
    let err = run_fails(
        cmd(&["add-trusted"], &dir)
            .args(PW_ARGS)
            .args(words("--local-host otherhost --local-user oracle --cert"))
            .arg(&ca),
        1,
    );
    assert!(err.contains("nothing was changed"), "{err}");
    let mut add = cmd(
        &[
            "credential",
            "add",
            "--connect-string",
            "db",
            "--username",
            "u",
        ],
        &dir,
    );
    add.args(PW_ARGS)
        .args(words("--secret-env ORAKIT_WPW --local-user grid"));
    let err = run_fails(&mut add, 1);
    assert!(err.contains("local auto-login"), "{err}");
    assert_eq!(files(&dir), (p12, sso));

    // The library tells callers that ship wallets elsewhere that this one must not travel.
    let paths = orakit::wallet::store::WalletPaths::in_dir(&dir);
    assert!(paths.is_host_bound().unwrap());
    assert!(paths.existing_type().unwrap().unwrap().is_host_bound());
}

#[test]
fn without_flags_the_wallet_is_bound_to_this_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    run_ok(cmd(&["create", "--auto-login-local", "--compat-lsso-v6"], &dir).args(PW_ARGS));
    // Independent sources for this machine's identity: hostname(1) and id(1).
    let host = stdout(&run_ok(Command::new("hostname").arg("-s")))
        .trim()
        .to_owned();
    let user = stdout(&run_ok(Command::new("id").arg("-un")))
        .trim()
        .to_owned();
    let out = run_ok(&mut cmd(&["display", "--json"], &dir));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sso"]["local_host"], host.as_str());
    assert_eq!(json["sso"]["local_user"], user.as_str());
    if let Some((report, code)) = walletcheck(
        &dir.join("cwallet.sso"),
        None,
        &["--local-host", &host, "--local-user", &user],
    ) {
        assert_eq!(code, 0, "{report}");
    }
    // Changing it needs no flags on the machine it belongs to.
    let ca = openssl_self_signed(tmp.path(), "ca", "/CN=Machine CA");
    run_ok(
        cmd(&["add-trusted"], &dir)
            .args(PW_ARGS)
            .arg("--cert")
            .arg(&ca),
    );
    let out = run_ok(&mut cmd(&["display", "--json"], &dir));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["counts"]["trusted_certificates"], 1);
    assert_eq!(json["sso"]["kind_byte"], "0x38");
    assert_eq!(json["sso"]["header_version"], 6, "a change keeps version 6");
}

#[test]
fn by_default_a_new_local_wallet_has_orapkis_version_7_header() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    run_ok(cmd(&["create", "--auto-login-local"], &dir).args(PW_ARGS));
    let sso = files(&dir).1;
    assert_eq!(hex::encode(&sso[..16]), "a1f84e38000000070000006400000013");
    // Naming another machine's host needs its machine id too, or the version-6 header.
    let err = run_fails(
        cmd(&["create", "--auto-login-local", "--force"], &dir)
            .args(PW_ARGS)
            .args(H_U),
        2,
    );
    assert!(
        err.contains("--local-machine-id") && err.contains("--compat-lsso-v6"),
        "{err}"
    );
    run_ok(
        cmd(&["create", "--auto-login-local", "--force"], &dir)
            .args(PW_ARGS)
            .args(H_U)
            .args(["--local-machine-id", "00112233445566778899aabbccddeeff"]),
    );
    let out = run_ok(
        cmd(&["display", "--json"], &dir)
            .args(H_U)
            .args(["--local-machine-id", "00112233445566778899AABBCCDDEEFF"]),
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sso"]["header_version"], 7);
    assert_eq!(json["sso"]["local_mapping"], "ssv-v7");
    let err = run_fails(
        cmd(&["display"], &dir)
            .args(H_U)
            .args(["--local-machine-id", "ffffffffffffffffffffffffffffffff"]),
        1,
    );
    assert!(err.contains("machine id"), "{err}");
}

#[test]
fn convert_to_and_from_local_auto_login() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    run_ok(cmd(&["create", "--auto-login", "--encryption", "aes256"], &dir).args(PW_ARGS));
    let ca = openssl_self_signed(tmp.path(), "ca", "/CN=Convert CA");
    run_ok(
        cmd(&["add-trusted"], &dir)
            .args(PW_ARGS)
            .arg("--cert")
            .arg(&ca),
    );
    run_ok(
        cmd(
            &["convert", "--to", "auto-login-local", "--compat-lsso-v6"],
            &dir,
        )
        .args(PW_ARGS)
        .args(words("--local-host app01 --local-user svc")),
    );
    assert_eq!(files(&dir).1[3], 0x38);
    if let Some((report, code)) = walletcheck(
        &dir,
        Some(PW.as_bytes()),
        &["--strict", "--local-host", "app01", "--local-user", "svc"],
    ) {
        assert_eq!(code, 0, "{report}");
    }
    assert_eq!(
        peer_read(&dir.join("cwallet.sso"), "app01", "svc"),
        "PEER ok ca=1"
    );
    // Back to an ordinary auto-login wallet: reads the p12, needs no identity.
    run_ok(cmd(&["convert", "--to", "auto-login"], &dir).args(PW_ARGS));
    assert_eq!(files(&dir).1[3], 0x36);
    let out = run_ok(&mut cmd(&["display", "--json"], &dir));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["counts"]["trusted_certificates"], 1);
    assert_eq!(json["sso"]["local_host"], Value::Null);
    // The identity flags mean nothing for other wallet types: a usage error.
    let err = run_fails(
        cmd(&["convert", "--to", "password"], &dir)
            .args(PW_ARGS)
            .args(["--local-user", "svc"]),
        2,
    );
    assert!(err.contains("auto-login-local"), "{err}");
    let err = run_fails(
        cmd(&["create", "--auto-login"], &tmp.path().join("other"))
            .args(PW_ARGS)
            .args(["--local-host", "app01"]),
        2,
    );
    assert!(err.contains("--auto-login-local"), "{err}");
    assert!(!tmp.path().join("other").exists());
}
