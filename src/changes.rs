//! What a command changed on disk, and whether it may change anything at all.
//!
//! Every write goes through [`crate::fsio`] or the wallet commit
//! ([`crate::wallet::store::save`]); both record here what happened to each file (created,
//! modified, removed) and, for wallets, which entries were added, removed or modified. A
//! write whose content equals what is on disk is skipped and recorded as nothing, so a
//! rerun changes no byte and no mtime and reports `changed: false`.
//!
//! In check mode (`--check`) the same layers compute and record every change but write
//! nothing: the record says what a real run would do.
//!
//! The record is process-wide: orakit runs one command per process.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// What happened to a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileAction {
    Created,
    Modified,
    Removed,
}

/// What happened to an entry of a wallet (or another container).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryAction {
    Added,
    Removed,
    Modified,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Change {
    /// A file or directory was created, modified or removed.
    File {
        path: PathBuf,
        action: FileAction,
        /// `file` or `directory`.
        what: &'static str,
    },
    /// An entry of the wallet (directory `path`) was added, removed or modified.
    Entry {
        path: PathBuf,
        action: EntryAction,
        /// `trusted-certificate`, `user-certificate`, `private-key`, `request`,
        /// `secret`, `other`.
        kind: &'static str,
        /// The certificate's or request's subject DN, a key's certificate subject, or a
        /// secret's alias (never a secret value).
        name: String,
    },
}

static CHECK: AtomicBool = AtomicBool::new(false);
static RECORD: Mutex<Vec<Change>> = Mutex::new(Vec::new());

/// Turns check mode on or off: on, no layer writes, removes or creates anything.
pub fn set_check_mode(on: bool) {
    CHECK.store(on, Ordering::SeqCst);
}

/// Whether this run only computes what it would change (`--check`).
pub fn check_mode() -> bool {
    CHECK.load(Ordering::SeqCst)
}

fn record(change: Change) {
    let mut all = RECORD.lock().unwrap_or_else(|e| e.into_inner());
    // A file written twice in one run (a staging write, then the final one) is one change.
    if !all.contains(&change) {
        all.push(change);
    }
}

/// Records a file that was (or in check mode would be) created, modified or removed.
pub fn file(path: &Path, action: FileAction) {
    record(Change::File {
        path: path.to_path_buf(),
        action,
        what: "file",
    });
}

/// Records a directory that was (or would be) created.
pub fn directory(path: &Path) {
    record(Change::File {
        path: path.to_path_buf(),
        action: FileAction::Created,
        what: "directory",
    });
}

/// Records a directory whose contents were (or would be) created or replaced as a whole.
pub fn directory_action(path: &Path, action: FileAction) {
    record(Change::File {
        path: path.to_path_buf(),
        action,
        what: "directory",
    });
}

/// Records a wallet entry that was (or would be) added, removed or modified.
pub fn entry(wallet_dir: &Path, action: EntryAction, kind: &'static str, name: String) {
    record(Change::Entry {
        path: wallet_dir.to_path_buf(),
        action,
        kind,
        name,
    });
}

/// Every change recorded so far, in the order it happened.
pub fn recorded() -> Vec<Change> {
    RECORD.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Moves a recorded file change from `from` to `to` (a file written under a staging
/// name and then renamed into place is reported under its final name).
pub fn rename_recorded(from: &Path, to: &Path) {
    let mut all = RECORD.lock().unwrap_or_else(|e| e.into_inner());
    for change in all.iter_mut() {
        if let Change::File { path, .. } | Change::Entry { path, .. } = change
            && let Ok(rest) = path.strip_prefix(from)
        {
            *path = to.join(rest);
        }
    }
}
