//! Two orakit processes change the same wallet at the same moment: the wallet lock
//! serialises them, so neither change is lost, and the two files stay in step.
//!
//! `harden_concurrent_long` (ignored) runs `ORAKIT_CONCURRENT_ROUNDS` (default 100).

use crate::support::words;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{Fixture, openssl_self_signed};
use crate::support::{orakit, run_ok};
use crate::wallet_common::{password_file, walletcheck};

const PASSWORD: &str = "Two-writers2";

fn subjects(dir: &Path, password: Option<&str>) -> BTreeSet<String> {
    let mut cmd = orakit();
    cmd.args(words("wallet display --json --wallet")).arg(dir);
    if let Some(pw) = password {
        cmd.env("ORAKIT_TEST_PW", pw)
            .args(["--password-env", "ORAKIT_TEST_PW"]);
    }
    let json: Value = serde_json::from_slice(&run_ok(&mut cmd).stdout).unwrap();
    json["trusted_certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap().to_owned())
        .collect()
}

fn add_trusted(dir: &Path, pw: &Path, cert: &Path) -> Command {
    let mut cmd = orakit();
    cmd.args(["wallet", "add-trusted", "--wallet"])
        .arg(dir)
        .arg("--cert")
        .arg(cert)
        .arg("--password-file")
        .arg(pw)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn concurrent_rounds(rounds: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    let pw = password_file(base, PASSWORD);
    let wallet = base.join("wallet");
    Fixture::at(base).password(PASSWORD).wallet("wallet");
    let mut expected = BTreeSet::new();
    for round in 0..rounds {
        let a = openssl_self_signed(base, &format!("a{round}"), &format!("/CN=writer a {round}"));
        let b = openssl_self_signed(base, &format!("b{round}"), &format!("/CN=writer b {round}"));
        // Both start before either can finish: one add takes far longer than a spawn.
        let first = add_trusted(&wallet, &pw, &a).spawn().unwrap();
        let second = add_trusted(&wallet, &pw, &b).spawn().unwrap();
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: a writer failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        expected.insert(format!("CN=writer a {round}"));
        expected.insert(format!("CN=writer b {round}"));
        assert_eq!(
            subjects(&wallet, None),
            expected,
            "round {round}: cwallet.sso"
        );
        assert_eq!(
            subjects(&wallet, Some(PASSWORD)),
            expected,
            "round {round}: ewallet.p12"
        );
    }
    if let Some((report, code)) = walletcheck(&wallet, Some(PASSWORD.as_bytes()), &[]) {
        assert_eq!(code, 0, "{report}");
        let items = report["cross_check"]["items"].as_array().unwrap();
        let same = items.iter().find(|i| i["id"] == "same_entries").unwrap();
        assert_eq!(same["status"], "pass", "{report}");
    }
}

#[test]
fn harden_concurrent_writers_both_land() {
    concurrent_rounds(8);
}

#[test]
#[ignore = "long run"]
fn harden_concurrent_long() {
    let rounds = std::env::var("ORAKIT_CONCURRENT_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    concurrent_rounds(rounds);
}
