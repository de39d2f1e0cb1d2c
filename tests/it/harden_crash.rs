//! Crash safety: orakit is SIGKILLed at random moments while it adds a trusted
//! certificate to an auto-login wallet and while it updates a tnsnames.ora. After every
//! kill the wallet must open (orakit and walletcheck.py) with the old or the new entries,
//! cwallet.sso and ewallet.p12 in step, and the .ora file must be exactly the old or the
//! new text.
//!
//! The always-on test runs 40 rounds; `harden_crash_long` (ignored) runs
//! `ORAKIT_CRASH_ROUNDS` (default 400): `cargo test --test it harden_crash_long -- --ignored`.

use crate::support::words;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Fixture, openssl_self_signed};
use crate::support::{list_files, orakit, run_ok};
use crate::wallet_common::{password_file, walletcheck};

const PASSWORD: &str = "Crash-safe1";

/// xorshift64*: reproducible kill timings from a printed seed, no extra crate.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn from_clock() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        eprintln!("kill-timing seed: {seed}");
        Self(seed)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// SHA-256 fingerprints of the trusted certificates `wallet display --json` lists.
fn trusted_by_orakit(dir: &Path, password: Option<&str>) -> BTreeSet<String> {
    let mut cmd = orakit();
    cmd.args(words("wallet display --json --wallet")).arg(dir);
    if let Some(pw) = password {
        cmd.env("ORAKIT_TEST_PW", pw)
            .args(["--password-env", "ORAKIT_TEST_PW"]);
    }
    let out = run_ok(&mut cmd);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["trusted_certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sha256_fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs walletcheck.py on the directory: both files decode and its cross-check of the
/// pair passes. Returns the certificate fingerprints it saw per file.
fn walletcheck_pair(dir: &Path) -> Option<Vec<BTreeSet<String>>> {
    let (report, code) = walletcheck(dir, Some(PASSWORD.as_bytes()), &[])?;
    assert_eq!(code, 0, "walletcheck failed: {report}");
    let items = report["cross_check"]["items"].as_array().unwrap();
    let same = items.iter().find(|i| i["id"] == "same_entries").unwrap();
    assert_eq!(same["status"], "pass", "sso and p12 out of step: {report}");
    let mut per_file = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let mut found = BTreeSet::new();
        collect_cert_hashes(file, &mut found);
        per_file.push(found);
    }
    Some(per_file)
}

fn collect_cert_hashes(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(h)), Some(_)) = (map.get("sha256"), map.get("role")) {
                out.insert(h.clone());
            }
            map.values().for_each(|x| collect_cert_hashes(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| collect_cert_hashes(x, out)),
        _ => {}
    }
}

/// Starts `cmd`, kills it with SIGKILL after `delay` (if still running), reaps it.
/// Returns whether the kill came before the process finished.
fn run_and_kill(cmd: &mut Command, delay: Duration) -> bool {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let killed = matches!(child.try_wait(), Ok(None));
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    killed
}

fn add_trusted(dir: &Path, pw: &Path, cert: &Path) -> Command {
    let mut cmd = orakit();
    cmd.args(["wallet", "add-trusted", "--wallet"])
        .arg(dir)
        .arg("--cert")
        .arg(cert)
        .arg("--password-file")
        .arg(pw);
    cmd
}

fn tns_update(file: &Path, alias: &str) -> Command {
    let mut cmd = orakit();
    cmd.args([
        "net",
        "tnsnames",
        "--alias",
        alias,
        "--host",
        "db.example.com",
    ])
    .args(["--service", "orclpdb1", "--update"])
    .arg(file);
    cmd
}

#[derive(Default, Debug)]
struct Tally {
    killed: usize,
    /// Killed after the commit point, before the renames finished: rolled forward.
    rolled_forward: usize,
    old: usize,
    new: usize,
}

fn crash_rounds(rounds: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    let pw = password_file(base, PASSWORD);
    let wallet = base.join("wallet");
    Fixture::at(base).password(PASSWORD).wallet("wallet");
    let net_dir = base.join("net");
    std::fs::create_dir(&net_dir).unwrap();
    let tns = net_dir.join("tnsnames.ora");
    std::fs::write(&tns, "# tnsnames for the crash test\nSEED = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)(HOST = h)(PORT = 1521)))\n").unwrap();
    let scratch = base.join("scratch");
    std::fs::create_dir(&scratch).unwrap();

    // How long one uninterrupted run of each command takes sets the kill window.
    let first = openssl_self_signed(base, "c0", "/CN=crash 0");
    let start = Instant::now();
    run_ok(&mut add_trusted(&wallet, &pw, &first));
    let wallet_time = start.elapsed();
    let mut trusted: BTreeSet<String> = [crate::support::openssl_sha256(&first)].into();
    let start = Instant::now();
    run_ok(&mut tns_update(&tns, "WARMUP"));
    let tns_time = start.elapsed();

    let mut rng = Rng::from_clock();
    let (mut w, mut t) = (Tally::default(), Tally::default());
    let mut tns_history = vec![std::fs::read_to_string(net_dir.join("tnsnames.ora.bak")).unwrap()];
    let mut old_text = std::fs::read_to_string(&tns).unwrap();
    tns_history.push(old_text.clone());
    for round in 1..=rounds {
        // --- wallet ---
        let cert = openssl_self_signed(base, &format!("c{round}"), &format!("/CN=crash {round}"));
        let new_hash = crate::support::openssl_sha256(&cert);
        // Twice the measured time: the wallet grows and the machine is shared.
        let window = wallet_time.as_micros() as u64 * 2;
        let delay = Duration::from_micros(rng.below(window));
        if run_and_kill(&mut add_trusted(&wallet, &pw, &cert), delay) {
            w.killed += 1;
        }
        if orakit::wallet::commit::interrupted(&wallet) {
            w.rolled_forward += 1;
        }
        let by_sso = trusted_by_orakit(&wallet, None);
        let by_p12 = trusted_by_orakit(&wallet, Some(PASSWORD));
        assert_eq!(
            by_sso, by_p12,
            "round {round}: cwallet.sso and ewallet.p12 differ"
        );
        let mut with_new = trusted.clone();
        with_new.insert(new_hash);
        if by_sso == trusted {
            w.old += 1;
        } else if by_sso == with_new {
            w.new += 1;
            trusted = with_new;
        } else {
            panic!("round {round}: wallet holds neither the old nor the new entries: {by_sso:?}");
        }
        if let Some(per_file) = walletcheck_pair(&wallet) {
            for found in per_file {
                assert_eq!(
                    found, trusted,
                    "round {round}: walletcheck sees other entries"
                );
            }
        }
        for name in list_files(&wallet) {
            let name = name.to_string_lossy().into_owned();
            let known = [
                "ewallet.p12",
                "cwallet.sso",
                "ewallet.p12.lck",
                "cwallet.sso.lck",
            ];
            assert!(
                known.contains(&name.as_str())
                    || name.contains(".orakit-tmp-")
                    || name.ends_with(".orakit-pending"),
                "round {round}: unexpected file {name} in the wallet directory"
            );
        }

        // --- tnsnames.ora ---
        let alias = format!("CRASH{round}");
        let expected_file = scratch.join("tnsnames.ora");
        std::fs::write(&expected_file, &old_text).unwrap();
        run_ok(&mut tns_update(&expected_file, &alias));
        let new_text = std::fs::read_to_string(&expected_file).unwrap();
        for leftover in list_files(&scratch) {
            std::fs::remove_file(scratch.join(leftover)).unwrap();
        }
        let window = tns_time.as_micros() as u64 * 2;
        let delay = Duration::from_micros(rng.below(window));
        if run_and_kill(&mut tns_update(&tns, &alias), delay) {
            t.killed += 1;
        }
        let now = std::fs::read_to_string(&tns).unwrap();
        if now == old_text {
            t.old += 1;
        } else if now == new_text {
            t.new += 1;
            old_text = new_text;
            tns_history.push(old_text.clone());
        } else {
            panic!("round {round}: tnsnames.ora is neither the old nor the new text:\n{now}");
        }
        for name in list_files(&net_dir) {
            let name = name.to_string_lossy().into_owned();
            if name.contains(".orakit-tmp-") || name == "tnsnames.ora" {
                continue;
            }
            assert!(name.starts_with("tnsnames.ora.bak"), "unexpected {name}");
            // A backup is always a whole earlier version.
            let backup = std::fs::read_to_string(net_dir.join(&name)).unwrap();
            assert!(
                tns_history.contains(&backup),
                "round {round}: {name} is torn"
            );
        }
    }
    // The next writer finishes or discards whatever a kill left behind.
    let last = openssl_self_signed(base, "last", "/CN=crash last");
    run_ok(&mut add_trusted(&wallet, &pw, &last));
    let leftovers: Vec<_> = list_files(&wallet)
        .into_iter()
        .filter(|n| !n.to_string_lossy().ends_with(".lck"))
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "litter left in the wallet: {leftovers:?}"
    );
    // The next .ora update removes the temporary files of killed updates.
    run_ok(&mut tns_update(&tns, "LAST"));
    let temps: Vec<_> = list_files(&net_dir)
        .into_iter()
        .filter(|n| n.to_string_lossy().contains(".orakit-tmp-"))
        .collect();
    assert!(temps.is_empty(), "temporary files left: {temps:?}");
    eprintln!(
        "crash test, {rounds} rounds: wallet {w:?} (one add took {wallet_time:?}); \
         tnsnames {t:?} (one update took {tns_time:?})"
    );
    // The test is only meaningful if kills landed both before and after the commit point.
    if rounds >= 40 {
        assert!(w.killed > 0 && w.old > 0 && w.new > 0, "{w:?}");
        assert!(t.killed > 0 && t.old > 0, "{t:?}");
    }
}

#[test]
fn harden_crash_short() {
    crash_rounds(40);
}

#[test]
#[ignore = "long run: hundreds of rounds, several minutes"]
fn harden_crash_long() {
    let rounds = std::env::var("ORAKIT_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    crash_rounds(rounds);
}
