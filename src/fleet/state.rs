//! The output directory of a fleet run, and how a host's files land in it so that a run
//! killed at any moment can be started again.
//!
//! ```text
//! OUT/<host>/                 complete hosts only
//! OUT/<host>/.orakit-complete the completion marker (JSON), written last
//! OUT/.orakit-staging/<host>/ a host being written
//! OUT/summary.json
//! ```
//!
//! A host is written into the staging directory, its marker last, everything is flushed
//! to disk, and only then is the directory renamed into place. So `OUT/<host>` appears whole or
//! not at all, and a killed run leaves at most half-written staging directories, which
//! the next run deletes ([`OutDir::recover`]) before redoing those hosts. A renewal
//! moves the old directory aside (`<host>.old` in staging) before renaming the new one
//! in; if the run dies between the two renames, [`OutDir::recover`] puts the old
//! directory back and the renewal is simply done again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::host_bundle::HostBundle;
use crate::fsio::{self, MODE_PUBLIC, WriteError};

/// The completion marker inside each complete host directory.
pub const MARKER: &str = ".orakit-complete";
/// Where hosts are written before they are renamed into place.
pub const STAGING: &str = ".orakit-staging";
/// The run's summary (JSON), rewritten at the end of every run.
pub const SUMMARY: &str = "summary.json";
/// Suffix of a renewed host's previous directory while it is being replaced.
const OLD_SUFFIX: &str = ".old";

const MODE_DIR: u32 = 0o755;
const MODE_WALLET_DIR: u32 = 0o700;

/// What the marker records: enough to tell, without reading the wallet, which CA issued
/// the host's certificate and until when it is valid.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Marker {
    pub host: String,
    pub subject: String,
    pub serial: String,
    pub not_after: String,
    pub key_type: String,
    /// SHA-256 of the issuing CA certificate (DER), lower-case hex.
    pub ca_sha256: String,
}

/// What is on disk for one host.
#[derive(Debug)]
pub enum HostState {
    /// Nothing yet.
    Missing,
    /// A complete host directory.
    Complete(Marker),
    /// `OUT/<host>` exists but holds no (readable) marker: not ours, or damaged by hand.
    Foreign(String),
}

#[derive(Debug, Error)]
pub enum StateError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StateError {
    let path = path.to_path_buf();
    move |source| StateError::Io {
        action,
        path,
        source,
    }
}

/// What [`OutDir::recover`] found from an earlier, interrupted run.
#[derive(Debug, Default)]
pub struct Recovery {
    /// Half-written hosts whose staging directories were deleted (they are redone).
    pub discarded: Vec<String>,
    /// Renewed hosts whose previous directory was put back (the renewal is redone).
    pub restored: Vec<String>,
}

/// The output directory of a run.
#[derive(Debug, Clone)]
pub struct OutDir {
    root: PathBuf,
}

impl OutDir {
    /// Creates the directory (and its staging directory) when missing.
    pub fn create(root: &Path) -> Result<Self, StateError> {
        fsio::create_dir_with_mode(root, MODE_DIR)?;
        let out = Self {
            root: root.to_path_buf(),
        };
        fsio::create_dir_with_mode(&out.staging_root(), MODE_DIR)?;
        Ok(out)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn host_dir(&self, host: &str) -> PathBuf {
        self.root.join(host)
    }

    fn staging_root(&self) -> PathBuf {
        self.root.join(STAGING)
    }

    /// Undoes what an interrupted run left: puts back the old directory of a renewal
    /// that died between its two renames, and deletes every half-written host.
    pub fn recover(&self) -> Result<Recovery, StateError> {
        let staging = self.staging_root();
        let mut recovery = Recovery::default();
        let entries = fs::read_dir(&staging).map_err(io_error("read", &staging))?;
        let mut names: Vec<String> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error("read", &staging))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        for name in &names {
            if let Some(host) = name.strip_suffix(OLD_SUFFIX) {
                let target = self.host_dir(host);
                if target.symlink_metadata().is_err() {
                    let old = staging.join(name);
                    fs::rename(&old, &target).map_err(io_error("restore", &old))?;
                    recovery.restored.push(host.to_owned());
                    continue;
                }
            }
        }
        for name in names {
            let path = staging.join(&name);
            if path.symlink_metadata().is_ok() {
                remove_tree(&path)?;
                if !name.ends_with(OLD_SUFFIX) {
                    recovery.discarded.push(name);
                }
            }
        }
        sync_dir(&self.root);
        Ok(recovery)
    }

    /// Whether `host` is complete, missing, or something orakit did not write.
    pub fn host_state(&self, host: &str) -> HostState {
        let dir = self.host_dir(host);
        if dir.symlink_metadata().is_err() {
            return HostState::Missing;
        }
        let marker_path = dir.join(MARKER);
        match fs::read(&marker_path) {
            Ok(bytes) => match serde_json::from_slice::<Marker>(&bytes) {
                Ok(marker) => HostState::Complete(marker),
                Err(e) => HostState::Foreign(format!(
                    "its completion marker {} is unreadable ({e})",
                    marker_path.display()
                )),
            },
            Err(_) => HostState::Foreign(format!(
                "{} exists but was not completed by orakit (no {MARKER} marker)",
                dir.display()
            )),
        }
    }

    /// Writes the host's files and marker in staging, then renames the directory into
    /// place; with `replace`, the current complete directory is swapped out first.
    pub fn commit(
        &self,
        bundle: &HostBundle,
        marker: &Marker,
        replace: bool,
    ) -> Result<(), StateError> {
        let staging = self.staging_root().join(&bundle.host);
        if staging.symlink_metadata().is_ok() {
            remove_tree(&staging)?;
        }
        fsio::create_dir_with_mode(&staging, MODE_DIR)?;
        let mut dirs: Vec<PathBuf> = bundle
            .files
            .iter()
            .filter_map(|f| f.path.parent().map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            let mode = if dir == Path::new(super::host_bundle::WALLET_DIR) {
                MODE_WALLET_DIR
            } else {
                MODE_DIR
            };
            fsio::create_dir_with_mode(&staging.join(dir), mode)?;
        }
        for file in &bundle.files {
            fsio::write_new_unflushed(&staging.join(&file.path), &file.contents, file.mode)?;
        }
        // The marker last; one flush then makes all of it durable before the rename
        // below can make the directory visible.
        let marker_json = serde_json::to_vec_pretty(marker).expect("a marker always serializes");
        fsio::write_new_unflushed(&staging.join(MARKER), &marker_json, MODE_PUBLIC)?;
        fsio::sync_filesystem(&staging)?;

        let target = self.host_dir(&bundle.host);
        if replace {
            let old = self
                .staging_root()
                .join(format!("{}{OLD_SUFFIX}", bundle.host));
            fs::rename(&target, &old).map_err(io_error("move aside", &target))?;
            fs::rename(&staging, &target).map_err(io_error("rename into place", &staging))?;
            sync_dir(&self.root);
            remove_tree(&old)?;
        } else {
            fs::rename(&staging, &target).map_err(io_error("rename into place", &staging))?;
            sync_dir(&self.root);
        }
        Ok(())
    }

    /// Removes the (then empty) staging directory at the end of a run.
    pub fn finish(&self) {
        let _ = fs::remove_dir(self.staging_root());
    }
}

fn remove_tree(path: &Path) -> Result<(), StateError> {
    fs::remove_dir_all(path).map_err(io_error("remove", path))
}

/// Flushes a directory's entries so renames survive a power cut (best effort).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(host: &str) -> Vec<u8> {
        serde_json::to_vec(&Marker {
            host: host.into(),
            subject: format!("CN={host}"),
            serial: "01".into(),
            not_after: "2030-01-01 00:00:00 UTC".into(),
            key_type: "EC P-256".into(),
            ca_sha256: "00".into(),
        })
        .unwrap()
    }

    #[test]
    fn recovery_restores_an_interrupted_renewal_and_drops_half_written_hosts() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::create(dir.path()).unwrap();
        let staging = dir.path().join(STAGING);
        // A renewal died after moving db1 aside and before renaming the new one in.
        fs::create_dir_all(staging.join("db1.old")).unwrap();
        fs::write(staging.join("db1.old").join(MARKER), marker("db1")).unwrap();
        fs::create_dir_all(staging.join("db1")).unwrap();
        // A first issue of db2 died half-way.
        fs::create_dir_all(staging.join("db2/wallet")).unwrap();
        fs::write(staging.join("db2/wallet/ewallet.p12"), b"half").unwrap();

        let recovery = out.recover().unwrap();
        assert_eq!(recovery.restored, ["db1"]);
        assert_eq!(recovery.discarded, ["db1", "db2"]);
        assert!(matches!(out.host_state("db1"), HostState::Complete(m) if m.host == "db1"));
        assert!(matches!(out.host_state("db2"), HostState::Missing));
        assert_eq!(fs::read_dir(&staging).unwrap().count(), 0);
    }

    #[test]
    fn a_directory_without_marker_is_not_taken_for_complete() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::create(dir.path()).unwrap();
        fs::create_dir_all(dir.path().join("db3")).unwrap();
        assert!(matches!(out.host_state("db3"), HostState::Foreign(_)));
        fs::write(dir.path().join("db3").join(MARKER), b"{not json").unwrap();
        assert!(
            matches!(out.host_state("db3"), HostState::Foreign(why) if why.contains("unreadable"))
        );
    }
}
