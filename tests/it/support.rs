//! Shared helpers for the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::cargo_bin;

/// The `orakit` binary under test, with a clean environment for password variables.
pub fn orakit() -> Command {
    let mut cmd = Command::new(cargo_bin("orakit"));
    cmd.env_remove("TNS_ADMIN");
    cmd
}

/// Runs a command and returns its output, whatever the exit code.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Runs a command that must succeed; panics with its stderr otherwise.
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "command failed: {cmd:?}\nstatus: {}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a command that must fail with `code`; returns its stderr.
pub fn run_fails(cmd: &mut Command, code: i32) -> String {
    let out = run(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code} from {cmd:?}\nstdout: {}\nstderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `openssl` with the given arguments.
pub fn openssl() -> Command {
    Command::new("openssl")
}

/// The folder of real Oracle-made files, `../shared/oracle-fixtures` beside the project.
/// Under CI a missing folder fails the test; elsewhere the caller skips with a notice.
pub fn oracle_fixtures() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Beside the project, or beside the folder of a worktree (`wt/NAME`).
    let dir = root.join("../shared/oracle-fixtures");
    if dir.is_dir() {
        return Some(dir);
    }
    let from_worktree = root.join("../../shared/oracle-fixtures");
    if from_worktree.is_dir() {
        return Some(from_worktree);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing and CI is set", dir.display());
    }
    eprintln!("skipping: {} not found", dir.display());
    None
}

/// `../shared/tools/walletcheck.py`, the independent wallet decoder.
pub fn walletcheck() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/walletcheck.py");
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing and CI is set", path.display());
    }
    eprintln!("skipping: {} not found", path.display());
    None
}

/// The permission bits of a file.
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every file below `dir`, relative, sorted: to assert that a failed command wrote nothing.
pub fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// A command line written as one string, split at spaces (for arguments without spaces):
/// `ok(d, &words("ca init --key-type p256 --out ca.pem"))`.
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}
