//! orakit and orapki exclude each other on a wallet (issue 13 item 13). orapki takes
//! POSIX record locks (`fcntl(F_SETLK)`, `F_WRLCK` over the whole file) on
//! `ewallet.p12.lck` and `cwallet.sso.lck` and retries for about 19 s before it gives up
//! with PKI-02003; orakit takes OFD locks on the same files, which conflict with those.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::peers::{Release, orapki};
use crate::support::{orakit, run_ok};

const PWD: &str = "LockPassw0rd2026";

fn cert(dir: &Path, cn: &str) -> String {
    let path = crate::support::openssl_self_signed(dir, cn, &format!("/CN={cn}"));
    path.to_str().unwrap().to_owned()
}

fn orapki_command(release: Release, args: &[&str]) -> Command {
    let mut cmd = crate::peers::java();
    cmd.arg("-cp")
        .arg(release.classpath())
        .arg("oracle.security.pki.textui.OraclePKITextUI")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// While orakit holds the wallet lock (its own `store::lock`), orapki cannot change the
/// wallet: it waits, and succeeds once orakit lets go.
#[test]
fn orapki_waits_while_orakit_holds_the_wallet_lock() {
    let release = Release::R23ai;
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w");
    let ws = w.to_str().unwrap();
    orapki(
        release,
        &[
            "wallet",
            "create",
            "-wallet",
            ws,
            "-pwd",
            PWD,
            "-auto_login",
        ],
    )
    .ok();
    let ca = cert(dir.path(), "HeldByOrakit");
    let held = orakit::wallet::store::lock(&w).unwrap();
    let started = Instant::now();
    let child = orapki_command(
        release,
        &[
            "wallet",
            "add",
            "-wallet",
            ws,
            "-pwd",
            PWD,
            "-trusted_cert",
            "-cert",
            &ca,
        ],
    )
    .spawn()
    .unwrap();
    std::thread::sleep(Duration::from_secs(4));
    drop(held);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && !text.contains("PKI-"), "{text}");
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "orapki changed the wallet while orakit held the lock"
    );
    let shown = orapki(release, &["wallet", "display", "-wallet", ws]).ok();
    assert!(shown.body().contains("CN=HeldByOrakit"), "{}", shown.body());
}

/// orakit and orapki add a trusted certificate to one wallet at the same moment, three
/// times over. orakit holds its lock across read, change and write, and its read waits for
/// orapki's write lock, so orakit never loses a change of orapki's, and the two files are
/// always whole and in step (both tools open both). orapki does not: it reads under a read
/// lock, lets go, and writes what it read about 2 s later under a write lock (strace in
/// docs/reliability.md section 8), so an orakit change that lands in between is
/// overwritten by orapki; those are counted and printed, not asserted, as Oracle's own
/// limitation (orapki loses concurrent orapki changes the same way).
#[test]
fn orakit_never_loses_a_change_of_orapki_writing_the_same_wallet() {
    for release in crate::peers::RELEASES {
        let dir = tempfile::tempdir().unwrap();
        let w = dir.path().join("w");
        let ws = w.to_str().unwrap();
        orapki(
            release,
            &[
                "wallet",
                "create",
                "-wallet",
                ws,
                "-pwd",
                PWD,
                "-auto_login",
            ],
        )
        .ok();
        let pw = dir.path().join("pw");
        std::fs::write(&pw, format!("{PWD}\n")).unwrap();
        let (mut by_orapki, mut by_orakit) = (Vec::new(), Vec::new());
        for round in 0..3 {
            let (a_cn, b_cn) = (format!("ByOrapki{round}"), format!("ByOrakit{round}"));
            let (a, b) = (cert(dir.path(), &a_cn), cert(dir.path(), &b_cn));
            let child = orapki_command(
                release,
                &[
                    "wallet",
                    "add",
                    "-wallet",
                    ws,
                    "-pwd",
                    PWD,
                    "-trusted_cert",
                    "-cert",
                    &a,
                ],
            )
            .spawn()
            .unwrap();
            // The JVM takes about half a second to reach the wallet and two more to
            // write it: start orakit at different points of that.
            std::thread::sleep(Duration::from_millis(300 + 900 * round));
            run_ok(
                orakit()
                    .args(["wallet", "add-trusted", "--wallet", ws, "--cert", &b])
                    .arg("--password-file")
                    .arg(&pw),
            );
            let out = child.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success() && !text.contains("PKI-"), "{text}");
            by_orapki.push(a_cn);
            by_orakit.push(b_cn);
        }
        // Both files open in both tools (never torn, never out of step).
        let shown = orapki(release, &["wallet", "display", "-wallet", ws]).ok();
        let with_pw = orapki(release, &["wallet", "display", "-wallet", ws, "-pwd", PWD]).ok();
        assert_eq!(
            shown.body(),
            with_pw.body(),
            "cwallet.sso and ewallet.p12 differ"
        );
        let json = run_ok(orakit().args(["wallet", "display", "--json", "--wallet", ws]));
        let ours = String::from_utf8_lossy(&json.stdout).into_owned();
        for cn in &by_orapki {
            assert!(
                shown.body().contains(&format!("CN={cn}")) && ours.contains(&format!("CN={cn}")),
                "{}: orakit lost orapki's {cn}:\n{}",
                release.name(),
                shown.body()
            );
        }
        let overwritten: Vec<_> = by_orakit
            .iter()
            .filter(|cn| !shown.body().contains(&format!("CN={cn}")))
            .collect();
        eprintln!(
            "{}: orapki overwrote {} of {} concurrent orakit changes {overwritten:?} (orapki reads before it locks)",
            release.name(),
            overwritten.len(),
            by_orakit.len()
        );
    }
}
