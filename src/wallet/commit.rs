//! Replacing a wallet's files (`ewallet.p12` and `cwallet.sso`) as one step, even when the
//! process is killed half-way.
//!
//! One `rename` is atomic, two are not: a kill between them would leave a new
//! `ewallet.p12` beside an old `cwallet.sso`. So a change is written in three steps, all
//! under the wallet lock:
//!
//! 1. every new file is written and flushed as `.<name>.orakit-pending`;
//! 2. the journal `.orakit-wallet-journal` is written atomically: the commit point;
//! 3. the pending files are renamed over their targets, obsolete files removed, and the
//!    journal deleted.
//!
//! Killed before step 2, the old wallet stands and the pending files are litter the next
//! [`recover`] removes. Killed after it, [`recover`] (run by every writer right after it
//! takes the lock, and by readers that find a journal) finishes the renames: the new
//! wallet stands. Either way both files always hold the same entries.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use crate::fsio::{self, MODE_SECRET, PlannedFile, WriteError};

/// The journal's file name inside the wallet directory.
pub const JOURNAL_NAME: &str = ".orakit-wallet-journal";
const PENDING_SUFFIX: &str = ".orakit-pending";
/// A journal names at most a few files.
const JOURNAL_MAX: u64 = 64 * 1024;

/// Writes `files` (all in `dir`) and removes `obsolete` as one step. The caller holds the
/// wallet lock.
pub fn replace(dir: &Path, files: &[PlannedFile], obsolete: &[PathBuf]) -> Result<(), WriteError> {
    let mut journal = String::new();
    for file in files {
        let name = file_name(&file.path);
        let pending = dir.join(pending_name(&name));
        fsio::write_atomic_unrecorded(&pending, &file.contents, file.mode)?;
        journal.push_str(&format!("rename {}\n", name));
    }
    for path in obsolete {
        journal.push_str(&format!("remove {}\n", file_name(path)));
    }
    let journal_path = dir.join(JOURNAL_NAME);
    fsio::write_atomic_unrecorded(&journal_path, journal.as_bytes(), MODE_SECRET)?;
    finish(dir, &journal)
}

/// Completes an interrupted [`replace`] (journal present) or removes the pending files of
/// one that never reached its commit point. The caller holds the wallet lock.
pub fn recover(dir: &Path) -> Result<(), WriteError> {
    let path = dir.join(JOURNAL_NAME);
    // The journal is a few lines; a link (to /dev/zero, say) or anything large is not ours.
    match crate::limits::read_file_no_link(&path, JOURNAL_MAX, "the wallet journal") {
        Ok(bytes) => {
            let journal = String::from_utf8(bytes).map_err(|_| WriteError::Read {
                path: path.clone(),
                source: io::Error::other("it is not text; remove it if no orakit is running"),
            })?;
            finish(dir, &journal)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            remove_uncommitted(dir);
            Ok(())
        }
        Err(source) => Err(WriteError::Read { path, source }),
    }
}

/// Whether `dir` holds the journal of an unfinished change.
pub fn interrupted(dir: &Path) -> bool {
    dir.join(JOURNAL_NAME).symlink_metadata().is_ok()
}

fn finish(dir: &Path, journal: &str) -> Result<(), WriteError> {
    for line in journal.lines() {
        let Some((op, name)) = line.split_once(' ') else {
            continue;
        };
        // Only plain names in this directory: a damaged journal must not reach elsewhere.
        if name.is_empty() || name.contains('/') || name.starts_with('.') {
            continue;
        }
        let target = dir.join(name);
        let result = match op {
            "rename" => match fs::rename(dir.join(pending_name(name)), &target) {
                // Already renamed before the interruption.
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
            "remove" => match fs::remove_file(&target) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
            _ => Ok(()),
        };
        result.map_err(|e| io_error(&target, e))?;
    }
    sync_dir(dir);
    let journal_path = dir.join(JOURNAL_NAME);
    match fs::remove_file(&journal_path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(&journal_path, e)),
        _ => {}
    }
    sync_dir(dir);
    Ok(())
}

/// Pending files with no journal were never committed: the old wallet is the valid one.
/// Temporary files of a killed write of a wallet file go too (only those: another
/// program's files in the directory are left alone).
fn remove_uncommitted(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_wallet_litter(&name) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn is_wallet_litter(name: &str) -> bool {
    let ours = name.ends_with(PENDING_SUFFIX) || name.contains(".orakit-tmp-");
    let of_a_wallet_file = [
        ".ewallet.p12",
        ".cwallet.sso",
        "..ewallet.p12",
        "..cwallet.sso",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
        || name.starts_with(&format!(".{JOURNAL_NAME}"));
    ours && of_a_wallet_file
}

fn pending_name(name: &str) -> String {
    format!(".{name}{PENDING_SUFFIX}")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn io_error(path: &Path, source: io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(dir: &Path, name: &str, body: &[u8]) -> PlannedFile {
        PlannedFile::new(dir.join(name), body.to_vec(), MODE_SECRET)
    }

    #[test]
    fn a_committed_change_interrupted_before_its_renames_is_rolled_forward() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("ewallet.p12"), b"old-p12").unwrap();
        fs::write(d.join("cwallet.sso"), b"old-sso").unwrap();
        // What `replace` leaves when killed right after its commit point.
        fs::write(d.join(".ewallet.p12.orakit-pending"), b"new-p12").unwrap();
        fs::write(d.join(".cwallet.sso.orakit-pending"), b"new-sso").unwrap();
        fs::rename(d.join(".ewallet.p12.orakit-pending"), d.join("ewallet.p12")).unwrap();
        fs::write(
            d.join(JOURNAL_NAME),
            "rename ewallet.p12\nrename cwallet.sso\n",
        )
        .unwrap();
        assert!(interrupted(d));
        recover(d).unwrap();
        assert_eq!(fs::read(d.join("ewallet.p12")).unwrap(), b"new-p12");
        assert_eq!(fs::read(d.join("cwallet.sso")).unwrap(), b"new-sso");
        assert!(!interrupted(d));
        assert_eq!(fs::read_dir(d).unwrap().count(), 2);
    }

    #[test]
    fn an_uncommitted_change_is_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("ewallet.p12"), b"old-p12").unwrap();
        fs::write(d.join(".ewallet.p12.orakit-pending"), b"half").unwrap();
        fs::write(d.join("..cwallet.sso.orakit-pending.orakit-tmp-7-0"), b"x").unwrap();
        fs::write(d.join(".cwallet.sso.orakit-tmp-9-0"), b"x").unwrap();
        fs::write(d.join(".sqlnet.ora.orakit-tmp-9-0"), b"not ours").unwrap();
        recover(d).unwrap();
        assert!(d.join(".sqlnet.ora.orakit-tmp-9-0").exists());
        fs::remove_file(d.join(".sqlnet.ora.orakit-tmp-9-0")).unwrap();
        assert_eq!(fs::read(d.join("ewallet.p12")).unwrap(), b"old-p12");
        assert_eq!(fs::read_dir(d).unwrap().count(), 1);
    }

    #[test]
    fn replace_writes_renames_and_removes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("ewallet.p12"), b"old").unwrap();
        replace(
            d,
            &[planned(d, "cwallet.sso", b"sso")],
            &[d.join("ewallet.p12")],
        )
        .unwrap();
        assert_eq!(fs::read(d.join("cwallet.sso")).unwrap(), b"sso");
        assert!(!d.join("ewallet.p12").exists());
        assert_eq!(fs::read_dir(d).unwrap().count(), 1);
    }

    #[test]
    fn a_damaged_journal_cannot_reach_outside_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("w");
        fs::create_dir(&d).unwrap();
        fs::write(dir.path().join("victim"), b"keep").unwrap();
        fs::write(d.join(JOURNAL_NAME), "remove ../victim\nremove .\n").unwrap();
        recover(&d).unwrap();
        assert_eq!(fs::read(dir.path().join("victim")).unwrap(), b"keep");
    }
}
