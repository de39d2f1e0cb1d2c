//! Helpers for the doctor tests: client and server Oracle Net setups built with orakit's
//! own commands (openssl only packs a key and certificate into a PKCS#12 that
//! `orakit wallet convert` turns into an auto-login wallet, since orakit has no
//! "import key" command yet), and `orakit doctor --json` runs.

#![allow(dead_code)]

use crate::support::words;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::pki_helpers::{ok, ossl};
use crate::support::Fixture;
use crate::support::{orakit, run, stdout};

pub const WALLET_PASSWORD: &str = "Doctor2026pw";

/// A client setup in `dir`: CA `ca`, auto-login-only wallet `w` trusting it, and
/// `admin/sqlnet.ora` + `admin/tnsnames.ora` (TCPS alias to localhost).
pub fn client_setup(dir: &Path) {
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Doctor Root CA,O=Example,C=US");
    ok(
        dir,
        &crate::support::words("wallet create --wallet w --auto-login-only"),
    );
    ok(
        dir,
        &crate::support::words("wallet add-trusted --wallet w --cert ca.pem"),
    );
    std::fs::create_dir(dir.join("admin")).unwrap();
    let wallet = dir.join("w");
    ok(
        dir,
        &[
            "net",
            "sqlnet",
            "--role",
            "client",
            "--wallet-dir",
            wallet.to_str().unwrap(),
            "--out",
            "admin/sqlnet.ora",
        ],
    );
    tnsnames(dir, "localhost");
}

/// `admin/tnsnames.ora` with an alias ORCL whose TCPS address is `host`.
pub fn tnsnames(dir: &Path, host: &str) {
    ok(
        dir,
        &[
            "net",
            "tnsnames",
            "--alias",
            "ORCL",
            "--host",
            host,
            "--service",
            "orcl",
            "--out",
            "admin/tnsnames.ora",
            "--force",
        ],
    );
}

/// A server setup in `dir`: CA `ca`, EC server certificate for localhost, auto-login
/// wallet `sw` holding key, certificate and `chain_ca` (`ca` for a correct wallet),
/// and `admin/{sqlnet,listener,tnsnames}.ora` for an EC certificate.
pub fn server_setup(dir: &Path, chain_ca: &str) {
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca", "CN=Doctor Root CA,O=Example,C=US")
        .server_named(
            "server",
            "CN=localhost,O=Example,C=US",
            &["localhost", "127.0.0.1"],
        );
    server_wallet(dir, "server", chain_ca);
    std::fs::create_dir(dir.join("admin")).unwrap();
    server_files(dir, "ec");
    tnsnames(dir, "localhost");
}

/// Packs `{name}.key` + `{name}.pem` + `{ca}.pem` into wallet `sw` (auto-login).
pub fn server_wallet(dir: &Path, name: &str, ca: &str) {
    let _ = std::fs::remove_dir_all(dir.join("sw"));
    std::fs::create_dir(dir.join("sw")).unwrap();
    let pass = format!("pass:{WALLET_PASSWORD}");
    ossl(
        dir,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &format!("{name}.key"),
            "-in",
            &format!("{name}.pem"),
            "-certfile",
            &format!("{ca}.pem"),
            "-out",
            "sw/ewallet.p12",
            "-passout",
            &pass,
        ],
    );
    let out = run(orakit()
        .current_dir(dir)
        .env("DOCTOR_TEST_PW", WALLET_PASSWORD)
        .args(words("wallet convert --wallet sw --to auto-login"))
        .args(["--password-env", "DOCTOR_TEST_PW"]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `admin/sqlnet.ora` and `admin/listener.ora` for wallet `sw`, with suites for `key_type`.
pub fn server_files(dir: &Path, key_type: &str) {
    let wallet = dir.join("sw");
    let wallet = wallet.to_str().unwrap();
    ok(
        dir,
        &[
            "net",
            "sqlnet",
            "--role",
            "server",
            "--key-type",
            key_type,
            "--wallet-dir",
            wallet,
            "--out",
            "admin/sqlnet.ora",
            "--force",
        ],
    );
    ok(
        dir,
        &[
            "net",
            "listener",
            "--host",
            "localhost",
            "--key-type",
            key_type,
            "--wallet-dir",
            wallet,
            "--out",
            "admin/listener.ora",
            "--force",
        ],
    );
}

/// `orakit doctor --json` from `dir` with `--tns-admin admin`; (exit code, JSON).
pub fn doctor(dir: &Path, extra: &[&str]) -> (i32, Value) {
    doctor_with(
        orakit()
            .current_dir(dir)
            .args(["doctor", "--tns-admin", "admin"])
            .args(extra),
    )
}

pub fn doctor_with(cmd: &mut Command) -> (i32, Value) {
    let out = run(cmd.arg("--json"));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor printed no JSON ({e}): {}{}",
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// The problem findings, as (code, likely error or "", message).
pub fn problems(json: &Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "problem")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["likely_error"].as_str().unwrap_or("").to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The single problem with `code`; panics if there is none.
pub fn problem(json: &Value, code: &str) -> (String, String) {
    problems(json)
        .into_iter()
        .find(|(c, _, _)| c == code)
        .map(|(_, e, m)| (e, m))
        .unwrap_or_else(|| panic!("no {code} problem in {json:#}"))
}

/// Whether the tests run as root, where permission bits do not stop reads.
pub fn running_as_root() -> bool {
    let out = run(Command::new("id").arg("-u"));
    stdout(&out).trim() == "0"
}
