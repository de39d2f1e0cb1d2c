//! Issue 13, items 7-10, 12, 13: file-system attacks by a second local user on an
//! orakit running as root, and concurrent orakit runs. Each case reproduces the attack
//! for real: the attacker's steps run as `orakit-attacker`, an unprivileged system user
//! the test creates, in a directory the test owns and opens to everyone (chmod 1777, the
//! way /tmp is).
//!
//! The multi-user cases need root (CI runs as root). Not root: they fail under CI and
//! are skipped with a notice elsewhere.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::fleet_common::{self, HEADER};
use crate::support::{openssl, orakit, run, run_ok, stderr, words};

const ATTACKER: &str = "orakit-attacker";

/// The second local user.
pub struct Attacker {
    pub uid: u32,
    pub gid: u32,
}

impl Attacker {
    /// A shell command run as the attacker (no supplementary groups).
    pub fn command(&self, script: &str) -> Command {
        let mut cmd = Command::new("setpriv");
        cmd.arg(format!("--reuid={}", self.uid))
            .arg(format!("--regid={}", self.gid))
            .arg("--clear-groups")
            .args(["sh", "-c", script]);
        cmd
    }

    pub fn run(&self, script: &str) -> Output {
        let out = run(&mut self.command(script));
        assert!(
            out.status.success(),
            "attacker step failed: {script}\n{}",
            stderr(&out)
        );
        out
    }

    pub fn spawn(&self, script: &str) -> Child {
        self.command(script)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

fn id_of(flag: &str) -> Option<u32> {
    let out = Command::new("id").args([flag, ATTACKER]).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// Creates `orakit-attacker` once (idempotent, and safe when several test processes
/// race to create it). `None` (with a notice) when not root outside CI; panics under CI.
pub fn attacker() -> Option<&'static Attacker> {
    static USER: OnceLock<Option<Attacker>> = OnceLock::new();
    USER.get_or_init(|| {
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            if std::env::var_os("CI").is_some() {
                panic!("the multi-user tests of issue 13 must run as root under CI (they create {ATTACKER})");
            }
            eprintln!("skipping: not root, so no second user can be created for this case");
            return None;
        }
        for _ in 0..50 {
            if let (Some(uid), Some(gid)) = (id_of("-u"), id_of("-g")) {
                return Some(Attacker { uid, gid });
            }
            // Exit 9 (exists) or a lock held by a parallel useradd: look again.
            let _ = Command::new("useradd")
                .args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin"])
                .arg(ATTACKER)
                .output();
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("cannot create the user {ATTACKER}");
    })
    .as_ref()
}

/// A directory like /tmp: owned by root, world-writable, sticky.
fn public_dir(base: &Path) -> PathBuf {
    let dir = base.join("public");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).unwrap();
    dir
}

/// The test's tempdir must be enterable by the attacker.
fn scratch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    tmp
}

fn owner(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().uid()
}

/// Runs `cmd`, killing it after `limit`: (output, elapsed, killed). The output is read
/// while the command runs, so a full pipe never stalls it.
fn run_bounded(cmd: &mut Command, limit: Duration) -> (Output, Duration, bool) {
    let started = Instant::now();
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(child.wait_with_output());
    });
    let (out, killed) = match receive.recv_timeout(limit) {
        Ok(out) => (out.unwrap(), false),
        Err(_) => {
            // SAFETY: the child is not reaped until wait_with_output returns.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            (receive.recv().unwrap().unwrap(), true)
        }
    };
    (out, started.elapsed(), killed)
}

const ORA: &str = "# root's file\nROOTDB = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)(HOST = r)(PORT = 1521))(CONNECT_DATA = (SERVICE_NAME = r)))\n";

// ---------------------------------------------------------------------------------
// 7. tcps issue --out DIR

fn fleet(dir: &Path) {
    fleet_common::setup(dir);
    fs::write(
        dir.join("hosts.csv"),
        format!("{HEADER}db1,db1.example.com,ORCL,2484,1521\n"),
    )
    .unwrap();
}

#[test]
fn issue13_7_an_out_dir_owned_by_another_user_is_refused() {
    let Some(att) = attacker() else { return };
    let tmp = scratch();
    fleet(tmp.path());
    let public = public_dir(tmp.path());
    let out = public.join("fleet");
    // The attacker prepares OUT and a staging link to a directory of his own.
    att.run(&format!(
        "mkdir -m 777 {o} {p}/mine && echo data > {p}/mine/f && ln -s {p}/mine {o}/.orakit-staging",
        o = out.display(),
        p = public.display()
    ));
    let result = run(&mut fleet_common::issue(
        tmp.path(),
        "hosts.csv",
        out.to_str().unwrap(),
    ));
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(
        err.contains(out.to_str().unwrap()) && err.contains("belongs to user id"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(public.join("mine/f")).unwrap(), "data\n");
    assert!(!out.join("db1").exists());
}

#[test]
fn issue13_7_a_world_writable_out_dir_is_refused() {
    let tmp = scratch();
    fleet(tmp.path());
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o777)).unwrap();
    let result = run(&mut fleet_common::issue(tmp.path(), "hosts.csv", "out"));
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("other users may write to it"), "{err}");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 0);
}

/// A `.orakit-staging` that is a link (to the attacker's files, or to a root directory
/// holding a `*.old` entry) is never followed: no file there is deleted or moved.
#[test]
fn issue13_7_a_staging_link_is_refused_and_nothing_behind_it_is_touched() {
    let Some(att) = attacker() else { return };
    let tmp = scratch();
    fleet(tmp.path());
    let public = public_dir(tmp.path());
    att.run(&format!(
        "mkdir {p}/mine && echo data > {p}/mine/precious",
        p = public.display()
    ));
    let rootdir = tmp.path().join("rootdir");
    fs::create_dir_all(rootdir.join("secret.old")).unwrap();
    fs::write(rootdir.join("secret.old/key"), b"root key").unwrap();
    for (name, target) in [("out1", public.join("mine")), ("out2", rootdir.clone())] {
        let out = tmp.path().join(name);
        fs::create_dir(&out).unwrap();
        symlink(&target, out.join(".orakit-staging")).unwrap();
        let result = run(&mut fleet_common::issue(tmp.path(), "hosts.csv", name));
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{err}");
        assert!(err.contains(".orakit-staging"), "{err}");
        assert!(
            !out.join("secret").exists(),
            "a root entry was moved into OUT"
        );
    }
    assert_eq!(
        fs::read_to_string(public.join("mine/precious")).unwrap(),
        "data\n"
    );
    assert_eq!(
        fs::read(rootdir.join("secret.old/key")).unwrap(),
        b"root key"
    );
}

// ---------------------------------------------------------------------------------
// 8. net ... --update: no chown by path, no link planted by the directory's owner

/// network/admin belongs to the attacker (the `oracle` user of the issue).
fn attacker_admin_dir(att: &Attacker, base: &Path) -> PathBuf {
    let admin = base.join("admin");
    fs::create_dir(&admin).unwrap();
    fs::write(admin.join("tnsnames.ora"), ORA).unwrap();
    std::os::unix::fs::chown(&admin, Some(att.uid), Some(att.gid)).unwrap();
    std::os::unix::fs::chown(admin.join("tnsnames.ora"), Some(att.uid), Some(att.gid)).unwrap();
    admin
}

fn tns_update(file: &Path, alias: &str) -> Command {
    let mut cmd = orakit();
    cmd.args(["net", "tnsnames", "--alias", alias])
        .args(words("--host h --service s --update"))
        .arg(file);
    cmd
}

#[test]
fn issue13_8_a_link_planted_by_the_directory_owner_is_not_followed() {
    let Some(att) = attacker() else { return };
    let tmp = scratch();
    let admin = attacker_admin_dir(att, tmp.path());
    let victim_dir = tmp.path().join("etc");
    fs::create_dir(&victim_dir).unwrap();
    let victim = victim_dir.join("root.ora");
    fs::write(&victim, ORA).unwrap();
    att.run(&format!(
        "ln -sf {} {}/tnsnames.ora",
        victim.display(),
        admin.display()
    ));
    let result = run(&mut tns_update(&admin.join("tnsnames.ora"), "A"));
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(
        err.contains("symbolic link") && err.contains("tnsnames.ora"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), ORA);
    assert_eq!(fs::read_dir(&victim_dir).unwrap().count(), 1);
}

/// The attacker swaps `tnsnames.ora` for a link to a root file as fast as he can while
/// root updates the file 30 times: the root file must stay root's.
#[test]
fn issue13_8_racing_the_rename_never_gives_away_a_root_file() {
    let Some(att) = attacker() else { return };
    let tmp = scratch();
    let admin = attacker_admin_dir(att, tmp.path());
    let victim = tmp.path().join("root-secret");
    fs::write(&victim, b"root only\n").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o600)).unwrap();
    let file = admin.join("tnsnames.ora");
    let racer = att.spawn(&format!(
        "exec python3 -c 'import os
while True:
    try:
        os.symlink(\"{v}\", \"{a}/x\"); os.rename(\"{a}/x\", \"{f}\")
    except OSError: pass
    try:
        os.unlink(\"{a}/x\")
    except OSError: pass'",
        v = victim.display(),
        a = admin.display(),
        f = file.display()
    ));
    let mut racer = scopeguard(racer);
    for i in 0..30 {
        // Put a real file back so each run has something to update (create_new and
        // fchown: the test itself must not follow the attacker's link).
        let _ = fs::remove_file(&file);
        if let Ok(mut f) = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&file)
        {
            use std::io::Write;
            let _ = f.write_all(ORA.as_bytes());
            let _ = std::os::unix::fs::fchown(&f, Some(att.uid), Some(att.gid));
        }
        let _ = run(&mut tns_update(&file, &format!("A{i}")));
        assert_eq!(owner(&victim), 0, "run {i} gave the root file away");
    }
    racer.0.kill().unwrap();
    let _ = racer.0.wait();
    assert_eq!(fs::read(&victim).unwrap(), b"root only\n");
    assert_eq!(fs::metadata(&victim).unwrap().mode() & 0o777, 0o600);
}

struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
fn scopeguard(child: Child) -> Guard {
    Guard(child)
}

/// The updated file keeps its owner: set on the new file before it is renamed in.
#[test]
fn issue13_8_the_updated_file_keeps_its_owner_and_mode() {
    let Some(att) = attacker() else { return };
    let tmp = scratch();
    let admin = attacker_admin_dir(att, tmp.path());
    let file = admin.join("tnsnames.ora");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    run_ok(&mut tns_update(&file, "A"));
    let meta = fs::symlink_metadata(&file).unwrap();
    assert!(meta.is_file());
    assert_eq!((meta.uid(), meta.gid()), (att.uid, att.gid));
    assert_eq!(meta.mode() & 0o777, 0o640);
    assert!(fs::read_to_string(&file).unwrap().contains("A_SSL"));
}

// ---------------------------------------------------------------------------------
// 10. wallet directories

fn password_file(dir: &Path) -> PathBuf {
    let pw = dir.join("pw");
    fs::write(&pw, "Wallet-Pass-13\n").unwrap();
    pw
}

fn make_wallet(dir: &Path, wallet: &Path, kind: &str) -> PathBuf {
    let pw = password_file(dir);
    run_ok(
        orakit()
            .args(["wallet", "create", kind, "--wallet"])
            .arg(wallet)
            .arg("--password-file")
            .arg(&pw),
    );
    pw
}

/// A self-signed certificate `CN=cn` made by openssl.
fn cert(dir: &Path, cn: &str) -> PathBuf {
    crate::support::openssl_self_signed(dir, cn, &format!("/CN={cn}"))
}

fn add_trusted(wallet: &Path, pw: &Path, cert: &Path) -> Command {
    let mut cmd = orakit();
    cmd.args(["wallet", "add-trusted", "--wallet"])
        .arg(wallet)
        .arg("--cert")
        .arg(cert)
        .arg("--password-file")
        .arg(pw);
    cmd
}

#[test]
fn issue13_10_a_planted_lock_link_creates_nothing() {
    let tmp = scratch();
    let wallet = tmp.path().join("w");
    let pw = make_wallet(tmp.path(), &wallet, "--auto-login");
    let etc = tmp.path().join("etc");
    fs::create_dir(&etc).unwrap();
    for name in ["ewallet.p12.lck", "cwallet.sso.lck"] {
        let _ = fs::remove_file(wallet.join(name));
        symlink(etc.join(name), wallet.join(name)).unwrap();
    }
    let ca = cert(tmp.path(), "LockCA");
    let result = run(&mut add_trusted(&wallet, &pw, &ca));
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("ewallet.p12.lck"),
        "{}",
        stderr(&result)
    );
    assert_eq!(
        fs::read_dir(&etc).unwrap().count(),
        0,
        "a file was created through the link"
    );
}

#[test]
fn issue13_10_reading_a_wallet_creates_no_lock_files() {
    let tmp = scratch();
    let wallet = tmp.path().join("w");
    let pw = make_wallet(tmp.path(), &wallet, "--auto-login");
    for name in ["ewallet.p12.lck", "cwallet.sso.lck"] {
        let _ = fs::remove_file(wallet.join(name));
    }
    // A journal of an interrupted change makes the reader finish it first.
    fs::write(wallet.join(".orakit-wallet-journal"), "").unwrap();
    run_ok(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&wallet),
    );
    run_ok(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&wallet)
            .arg("--password-file")
            .arg(&pw),
    );
    let names: Vec<_> = fs::read_dir(&wallet)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".lck"))
        .collect();
    assert!(names.is_empty(), "display created {names:?}");
}

#[test]
fn issue13_10_a_journal_linked_to_dev_zero_fails_fast() {
    let tmp = scratch();
    let wallet = tmp.path().join("w");
    let pw = make_wallet(tmp.path(), &wallet, "--auto-login");
    symlink("/dev/zero", wallet.join(".orakit-wallet-journal")).unwrap();
    let ca = cert(tmp.path(), "ZeroCA");
    for cmd in [
        &mut add_trusted(&wallet, &pw, &ca),
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&wallet),
    ] {
        let (out, took, killed) = run_bounded(cmd, Duration::from_secs(20));
        assert!(!killed, "still reading the journal after {took:?}");
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(".orakit-wallet-journal"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn issue13_10_a_wallet_directory_others_may_write_is_refused_for_changes() {
    let tmp = scratch();
    let wallet = tmp.path().join("w");
    let pw = make_wallet(tmp.path(), &wallet, "--auto-login");
    fs::set_permissions(&wallet, fs::Permissions::from_mode(0o777)).unwrap();
    let before = fs::read(wallet.join("ewallet.p12")).unwrap();
    let ca = cert(tmp.path(), "SharedCA");
    let result = run(&mut add_trusted(&wallet, &pw, &ca));
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(
        err.contains("other users may write to it") && err.contains("chmod go-w"),
        "{err}"
    );
    assert_eq!(fs::read(wallet.join("ewallet.p12")).unwrap(), before);
    // Reading is still allowed.
    run_ok(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&wallet),
    );
}

#[test]
fn issue13_10_a_wallet_directory_of_another_user_is_written_with_a_warning() {
    let Some(att) = attacker() else { return };
    let tmp = scratch();
    let wallet = tmp.path().join("w");
    let pw = make_wallet(tmp.path(), &wallet, "--auto-login");
    std::os::unix::fs::chown(&wallet, Some(att.uid), Some(att.gid)).unwrap();
    let ca = cert(tmp.path(), "ForeignCA");
    let err = stderr(&run_ok(&mut add_trusted(&wallet, &pw, &ca)));
    assert!(
        err.contains("warning:") && err.contains(&format!("belongs to user id {}", att.uid)),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------
// 12. readers: FIFOs, /dev/zero, a huge net check, a dripping server

fn doctor_client(dir: &Path) {
    crate::doctor_setup::client_setup(dir);
}

#[test]
fn issue13_12_doctor_does_not_block_on_a_fifo_or_read_dev_zero() {
    let tmp = scratch();
    let dir = tmp.path();
    doctor_client(dir);
    let sso = dir.join("w/cwallet.sso");
    for plant in ["fifo", "zero"] {
        let _ = fs::remove_file(&sso);
        match plant {
            "fifo" => run_ok(Command::new("mkfifo").arg(&sso)),
            _ => {
                symlink("/dev/zero", &sso).unwrap();
                run_ok(&mut Command::new("true"))
            }
        };
        let (out, took, killed) = run_bounded(
            orakit()
                .current_dir(dir)
                .args(["doctor", "--tns-admin", "admin", "--json"]),
            Duration::from_secs(20),
        );
        assert!(!killed, "doctor still running after {took:?} on a {plant}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = json.to_string();
        assert!(text.contains("wallet-file-unreadable"), "{plant}: {json:#}");
    }
}

#[test]
fn issue13_12_net_check_refuses_a_fifo_and_dev_zero_quickly() {
    let tmp = scratch();
    let fifo = tmp.path().join("sqlnet.ora");
    run_ok(Command::new("mkfifo").arg(&fifo));
    let zero = tmp.path().join("tnsnames.ora");
    symlink("/dev/zero", &zero).unwrap();
    for file in [&fifo, &zero] {
        let (out, took, killed) = run_bounded(
            orakit().args(["net", "check"]).arg(file),
            Duration::from_secs(20),
        );
        assert!(
            !killed,
            "net check still running after {took:?} on {}",
            file.display()
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(file.to_str().unwrap()),
            "{}",
            stderr(&out)
        );
    }
}

/// 60 000 aliases (about 8 MiB), each with a finding: the old lint recomputed line
/// numbers from the start of the file for every finding.
#[test]
fn issue13_12_net_check_of_a_large_file_is_linear() {
    let tmp = scratch();
    let file = tmp.path().join("tnsnames.ora");
    let mut text = String::with_capacity(9 << 20);
    for i in 0..60_000 {
        text.push_str(&format!(
            "DB{i} =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCPS)(HOST = db{i}.example.com)(PORT = 2484))\n    (CONNECT_DATA = (SERVICE_NAME = s{i})))\n"
        ));
    }
    fs::write(&file, &text).unwrap();
    let (out, took, killed) = run_bounded(
        orakit().args(["net", "check", "--json"]).arg(&file),
        Duration::from_secs(30),
    );
    assert!(!killed, "net check took more than {took:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.len() >= 60_000, "{}", findings.len());
    let last = findings.last().unwrap();
    assert_eq!(last["line"], 60_000 * 4 - 2, "{last}");
}

#[test]
fn issue13_12_probe_has_an_overall_deadline() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            use std::io::Write;
            // A TLS handshake record header announcing 16 KiB, then one byte each 1.5 s.
            let _ = socket.write_all(&[0x16, 0x03, 0x03, 0x40, 0x00]);
            for _ in 0..40 {
                std::thread::sleep(Duration::from_millis(1500));
                if socket.write_all(&[0x02]).is_err() {
                    break;
                }
            }
        }
    });
    let (out, took, killed) = run_bounded(
        orakit().args(["probe", &format!("127.0.0.1:{port}"), "--timeout", "3"]),
        Duration::from_secs(20),
    );
    assert!(
        !killed && took < Duration::from_secs(6),
        "probe ran {took:?}"
    );
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(
        text.contains("timeout") || text.contains("no answer"),
        "{text}"
    );
    drop(server);
}

// ---------------------------------------------------------------------------------
// 13. concurrency

#[test]
fn issue13_13_parallel_net_updates_lose_no_change() {
    let tmp = scratch();
    for trial in 0..20 {
        let file = tmp.path().join(format!("tnsnames{trial}.ora"));
        fs::write(&file, ORA).unwrap();
        let children: Vec<Child> = ["A", "B"]
            .iter()
            .map(|alias| {
                tns_update(&file, alias)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            assert!(c.wait().unwrap().success());
        }
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("A_SSL =") && text.contains("B_SSL =") && text.contains("ROOTDB ="),
            "trial {trial} lost a change:\n{text}"
        );
    }
}

#[test]
fn issue13_13_parallel_csr_signs_give_unique_serials() {
    let tmp = scratch();
    let d = tmp.path();
    run_ok(openssl().current_dir(d).args([
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "30",
        "-subj",
        "/CN=Serial CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]));
    run_ok(openssl().current_dir(d).args([
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "h.key",
        "-out",
        "h.csr",
        "-subj",
        "/CN=h.example.com",
    ]));
    fs::write(d.join("ca.srl"), "1000\n").unwrap();
    let children: Vec<Child> = (0..10)
        .map(|i| {
            orakit()
                .current_dir(d)
                .args(words("csr sign h.csr --ca-cert ca.pem --ca-key ca.key --serial-file ca.srl --san dns:h.example.com --out"))
                .arg(format!("c{i}.pem"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let mut serials = std::collections::BTreeSet::new();
    for i in 0..10 {
        let out = run_ok(openssl().current_dir(d).args([
            "x509",
            "-noout",
            "-serial",
            "-in",
            &format!("c{i}.pem"),
        ]));
        serials.insert(String::from_utf8_lossy(&out.stdout).trim().to_owned());
    }
    assert_eq!(serials.len(), 10, "duplicate serials: {serials:?}");
    assert_eq!(fs::read_to_string(d.join("ca.srl")).unwrap().trim(), "100A");
}

/// Holds the wallet's lock files the way orapki does (fcntl record locks) and the way
/// the orakit before issue 13 did (flock), so the case runs against both.
pub struct HeldLock(#[allow(dead_code)] Vec<fs::File>);

pub fn hold_wallet_lock(wallet: &Path) -> HeldLock {
    use std::os::fd::AsRawFd;
    let mut files = Vec::new();
    for name in ["ewallet.p12.lck", "cwallet.sso.lck"] {
        let f = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(wallet.join(name))
            .unwrap();
        f.lock().unwrap();
        let lock = libc::flock {
            l_type: libc::F_WRLCK as _,
            l_whence: libc::SEEK_SET as _,
            l_start: 0,
            l_len: 0,
            l_pid: 0,
        };
        // SAFETY: valid descriptor and lock description.
        assert_eq!(
            unsafe { libc::fcntl(f.as_raw_fd(), libc::F_OFD_SETLK, &lock) },
            0
        );
        files.push(f);
    }
    HeldLock(files)
}

#[test]
fn issue13_13_the_wallet_type_is_read_after_the_lock() {
    let tmp = scratch();
    let d = tmp.path();
    let wallet = d.join("w");
    let pw = make_wallet(d, &wallet, "--auto-login");
    // The state `convert --to auto-login-only` leaves, prepared in a copy.
    let converted = d.join("converted");
    fs::create_dir(&converted).unwrap();
    fs::copy(wallet.join("ewallet.p12"), converted.join("ewallet.p12")).unwrap();
    fs::copy(wallet.join("cwallet.sso"), converted.join("cwallet.sso")).unwrap();
    run_ok(
        orakit()
            .args(["wallet", "convert", "--to", "auto-login-only", "--wallet"])
            .arg(&converted)
            .arg("--password-file")
            .arg(&pw),
    );
    let ca = cert(d, "AfterLock");
    let held = hold_wallet_lock(&wallet);
    let waiting = add_trusted(&wallet, &pw, &ca)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // "convert" finishes while add-trusted waits.
    fs::remove_file(wallet.join("ewallet.p12")).unwrap();
    fs::copy(converted.join("cwallet.sso"), wallet.join("cwallet.sso")).unwrap();
    drop(held);
    let out = waiting.wait_with_output().unwrap();
    assert!(
        !wallet.join("ewallet.p12").exists(),
        "add-trusted re-created ewallet.p12 ({})",
        stderr(&out)
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = run_ok(
        orakit()
            .args(["wallet", "display", "--json", "--wallet"])
            .arg(&wallet),
    );
    assert!(String::from_utf8_lossy(&shown.stdout).contains("CN=AfterLock"));
}

/// orapki locks `ewallet.p12.lck` / `cwallet.sso.lck` with fcntl record locks (F_WRLCK
/// on the whole file; strace in docs/reliability.md). An orakit change must wait while
/// such a lock is held (here by python's `fcntl.lockf`, the same call).
#[test]
fn issue13_13_orakit_waits_for_a_posix_record_lock_like_orapki_takes() {
    let tmp = scratch();
    let d = tmp.path();
    let wallet = d.join("w");
    let pw = make_wallet(d, &wallet, "--auto-login");
    let ca = cert(d, "WaitsCA");
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import fcntl,sys,time\nf=open(sys.argv[1],'a+')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('held',flush=True)\ntime.sleep(2.5)",
        ])
        .arg(wallet.join("ewallet.p12.lck"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "held");
    let started = Instant::now();
    run_ok(&mut add_trusted(&wallet, &pw, &ca));
    let waited = started.elapsed();
    let _ = holder.wait();
    assert!(
        waited >= Duration::from_millis(1500),
        "orakit did not wait for the lock ({waited:?})"
    );
}
