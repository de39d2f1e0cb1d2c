//! A failing host does not stop the others; a killed run finishes on the next start
//! without touching the hosts that were complete.

use crate::support::words;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use crate::fleet_common::{HEADER, complete_hosts, issue, numbered_hosts, setup, snapshot};
use crate::support::{openssl, run_ok};

#[test]
fn a_failing_host_is_reported_and_the_others_complete() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}good1.example.com,,S,2484,\nbad.example.com,,S,2484,\ngood2.example.com,,S,2484,\n"),
    )
    .unwrap();
    // Something that is not orakit's output is in the way of one host.
    std::fs::create_dir_all(d.join("out/bad.example.com")).unwrap();
    std::fs::write(d.join("out/bad.example.com/notes.txt"), "mine").unwrap();
    let out =
        crate::support::run(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("FAILED  bad.example.com (line 3)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 3 hosts failed (bad.example.com)"),
        "{stderr}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["issued"].as_u64(), summary["failed"].as_u64()),
        (Some(2), Some(1))
    );
    let bad = summary["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["host"] == "bad.example.com")
        .unwrap();
    assert_eq!(
        (bad["status"].as_str(), bad["line"].as_u64()),
        (Some("failed"), Some(3))
    );
    assert!(
        bad["detail"]
            .as_str()
            .unwrap()
            .contains("not completed by orakit"),
        "{bad}"
    );
    assert_eq!(summary["hosts"].as_array().unwrap().len(), 3);
    assert_eq!(
        complete_hosts(&d.join("out")),
        ["good1.example.com", "good2.example.com"]
    );
    assert_eq!(
        std::fs::read_to_string(d.join("out/bad.example.com/notes.txt")).unwrap(),
        "mine"
    );

    // Cleared up, the same command finishes the failed host and skips the others.
    std::fs::remove_dir_all(d.join("out/bad.example.com")).unwrap();
    let out = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["issued"].as_u64(), summary["skipped"].as_u64()),
        (Some(1), Some(2))
    );
    run_ok(
        openssl()
            .arg("verify")
            .arg("-CAfile")
            .arg(d.join("ca/ca.pem"))
            .arg(d.join("out/bad.example.com/server.pem")),
    );
}

#[test]
fn a_killed_run_resumes_without_redoing_or_damaging_finished_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(d.join("hosts.csv"), numbered_hosts(20)).unwrap();
    let out = d.join("out");
    // RSA keys on one thread: slow enough to be killed mid-run.
    let mut child = issue(d, "hosts.csv", "out")
        .args(["--jobs", "1"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while complete_hosts(&out).len() < 2 {
        assert!(Instant::now() < deadline, "the run made no progress");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9));

    let done_before = complete_hosts(&out);
    assert!(
        done_before.len() < 20,
        "every host finished before the kill"
    );
    let before: Vec<_> = done_before.iter().map(|h| snapshot(&out.join(h))).collect();
    // Plant a half-written host as a kill during a write leaves it.
    let pending = (0..20)
        .map(|i| format!("h{i:02}.example.com"))
        .find(|h| !done_before.contains(h))
        .unwrap();
    let staged = out.join(".orakit-staging").join(&pending).join("wallet");
    std::fs::create_dir_all(&staged).unwrap();
    std::fs::write(staged.join("ewallet.p12"), b"half").unwrap();

    let rerun = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    assert!(
        stderr.contains("1 half-written host will be redone"),
        "{stderr}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&rerun.stdout).unwrap();
    assert_eq!(summary["skipped"].as_u64(), Some(done_before.len() as u64));
    assert_eq!(
        summary["issued"].as_u64(),
        Some(20 - done_before.len() as u64)
    );
    assert_eq!(complete_hosts(&out).len(), 20);
    assert!(!out.join(".orakit-staging").exists());
    for (host, files) in done_before.iter().zip(&before) {
        assert_eq!(
            &snapshot(&out.join(host)),
            files,
            "{host} changed on the rerun"
        );
    }
    // Hosts finished by the rerun are whole: the planted one opens in openssl.
    run_ok(
        openssl()
            .args(words("pkcs12 -legacy -nokeys -in"))
            .arg(out.join(&pending).join("wallet/ewallet.p12"))
            .args([
                "-passin",
                &format!("pass:{}", crate::fleet_common::PASSWORD),
            ]),
    );
    for host in complete_hosts(&out) {
        run_ok(
            openssl()
                .arg("verify")
                .arg("-CAfile")
                .arg(d.join("ca/ca.pem"))
                .arg(out.join(&host).join("server.pem")),
        );
    }
}
