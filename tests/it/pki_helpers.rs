//! Helpers for the PKI tests: a scratch directory, orakit and openssl run inside it, and
//! a before/after snapshot to prove a failed command wrote nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;
pub use crate::support::{Fixture, words};

/// A scratch directory.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// orakit with its working directory in `dir`.
pub fn orakit_in(dir: &Path) -> Command {
    let mut cmd = orakit();
    cmd.current_dir(dir);
    cmd
}

/// Runs orakit in `dir`; it must succeed. Returns stderr (status lines).
pub fn ok(dir: &Path, args: &[&str]) -> String {
    stderr(&run_ok(orakit_in(dir).args(args)))
}

/// Runs openssl in `dir`; it must succeed. Returns stdout and stderr together.
pub fn ossl(dir: &Path, args: &[&str]) -> String {
    let out = run_ok(openssl().current_dir(dir).args(args));
    format!("{}{}", stdout(&out), stderr(&out))
}

/// Runs openssl in `dir` whatever the outcome: (success, stdout + stderr).
pub fn ossl_try(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = run(openssl().current_dir(dir).args(args));
    (
        out.status.success(),
        format!("{}{}", stdout(&out), stderr(&out)),
    )
}

/// Every file below `dir` with its contents.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    list_files(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Runs a command that must fail with exit 1, print one error line that contains every
/// `needle`, and leave `dir` exactly as it was. Returns stderr.
pub fn fails_cleanly(dir: &Path, cmd: &mut Command, needles: &[&str]) -> String {
    let before = snapshot(dir);
    let err = run_fails(cmd, 1);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one error line, got:\n{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert_eq!(snapshot(dir), before, "the failed command changed files");
    err
}

/// The subject of the server request the PKI tests sign (P-256 key, SAN `db1.example.com`):
/// `Fixture::at(d).key_type("p256").csr_named("server", SERVER_DN, &["db1.example.com"])`.
pub const SERVER_DN: &str = "CN=db1.example.com, O=Example";
