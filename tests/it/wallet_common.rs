//! Helpers shared by the wallet tests: the real Oracle fixtures with their PROVENANCE.md
//! facts, walletcheck.py runs, and openssl-made test certificates.

#![allow(dead_code)]

use crate::support::words;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{self, run, run_ok};

/// One fixture wallet and what PROVENANCE.md says about it.
pub struct OracleWallet {
    pub dir: &'static str,
    pub password: Option<&'static str>,
    pub has_p12: bool,
    pub has_sso: bool,
    pub kind_byte: Option<&'static str>,
    pub pbes2: bool,
    pub iterations: u64,
    pub mac_iterations: u64,
    pub trusted: usize,
    pub user: usize,
    pub requests: usize,
    pub keys: usize,
    pub secrets: usize,
}

const fn f(
    dir: &'static str,
    password: Option<&'static str>,
    has_p12: bool,
    has_sso: bool,
    kind_byte: Option<&'static str>,
) -> OracleWallet {
    OracleWallet {
        dir,
        password,
        has_p12,
        has_sso,
        kind_byte,
        pbes2: false,
        iterations: 10_000,
        mac_iterations: 10_000,
        trusted: 0,
        user: 0,
        requests: 0,
        keys: 0,
        secrets: 0,
    }
}

/// Every wallet in PROVENANCE.md's table, with the facts it states.
pub fn fixtures() -> Vec<OracleWallet> {
    vec![
        OracleWallet {
            trusted: 10,
            ..f(
                "darkathena-dbms-cloud",
                Some("asdf1234"),
                true,
                true,
                Some("0x36"),
            )
        },
        OracleWallet {
            trusted: 2,
            ..f(
                "liaartem-xe21c",
                Some("34534kjhsdffkjsdfgalfgb###"),
                true,
                false,
                None,
            )
        },
        OracleWallet {
            trusted: 3,
            ..f(
                "liaartem-free23c",
                Some("34534kjhsdffkjsdfgalfgb###"),
                true,
                false,
                None,
            )
        },
        OracleWallet {
            mac_iterations: 1024,
            trusted: 3,
            user: 1,
            requests: 1,
            keys: 1,
            ..f(
                "raghuthota-adb-2019",
                Some("Sunil1240@rtx112"),
                true,
                true,
                Some("0x36"),
            )
        },
        OracleWallet {
            trusted: 9,
            ..f(
                "juliusbsimon-apex-trust/v2021-11-04",
                None,
                false,
                true,
                Some("0x36"),
            )
        },
        OracleWallet {
            trusted: 22,
            ..f(
                "juliusbsimon-apex-trust/v2024-11-29",
                None,
                false,
                true,
                Some("0x37"),
            )
        },
        OracleWallet {
            trusted: 1,
            ..f(
                "rds-trust/creazer-v-rds-root-2019",
                None,
                false,
                true,
                Some("0x37"),
            )
        },
        OracleWallet {
            trusted: 1,
            ..f(
                "rds-trust/creazer-I-amazon-root-ca1",
                None,
                false,
                true,
                Some("0x37"),
            )
        },
        OracleWallet {
            iterations: 1024,
            mac_iterations: 1024,
            trusted: 2,
            ..f("boomi-trust", None, false, true, Some("0x37"))
        },
        OracleWallet {
            pbes2: true,
            trusted: 1,
            ..f(
                "orapki-23ai-howto",
                Some("WElcome##123456"),
                true,
                true,
                Some("0x36"),
            )
        },
        OracleWallet {
            iterations: 1024,
            mac_iterations: 1024,
            secrets: 4,
            ..f("dotnet-mkstore", Some("123Wallet"), true, false, None)
        },
    ]
}

impl OracleWallet {
    pub fn path(&self, root: &Path) -> PathBuf {
        root.join(self.dir)
    }
}

/// Runs walletcheck.py on `path` with `--json` (and the password in an env var when given).
/// Returns the JSON document and the exit code.
pub fn walletcheck(path: &Path, password: Option<&[u8]>, extra: &[&str]) -> Option<(Value, i32)> {
    let script = support::walletcheck()?;
    let mut cmd = Command::new("python3");
    cmd.arg(script).arg(path).arg("--json").args(extra);
    if let Some(pw) = password {
        use std::os::unix::ffi::OsStrExt;
        cmd.env("WC_PW", std::ffi::OsStr::from_bytes(pw))
            .arg("--password-env")
            .arg("WC_PW");
    }
    let out = run(&mut cmd);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "walletcheck output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Some((json, out.status.code().unwrap_or(-1)))
}

/// The first file entry of a walletcheck report.
pub fn wc_file(report: &Value) -> &Value {
    &report["files"][0]
}

/// `orakit wallet display --json` of `path`, with an optional password.
pub fn display_json(path: &Path, password: Option<&str>) -> Value {
    let mut cmd = support::orakit();
    cmd.args(words("wallet display --json --wallet")).arg(path);
    if let Some(pw) = password {
        cmd.env("ORAKIT_TEST_PW", pw)
            .args(["--password-env", "ORAKIT_TEST_PW"]);
    }
    let out = run_ok(&mut cmd);
    serde_json::from_slice(&out.stdout).expect("display --json prints JSON")
}

/// Writes a password file and returns its path.
pub fn password_file(dir: &Path, password: &str) -> PathBuf {
    let path = dir.join(".pw");
    std::fs::write(&path, format!("{password}\n")).unwrap();
    path
}
