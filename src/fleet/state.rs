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

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::host_bundle::HostBundle;
pub use super::layout::{MARKER, STAGING, SUMMARY};
use crate::fsdir::{self, Dir, Stat};
use crate::fsio::{self, MODE_PUBLIC, WriteError};

/// Suffix of a renewed host's previous directory while it is being replaced.
const OLD_SUFFIX: &str = ".old";

const MODE_DIR: u32 = 0o755;
const MODE_WALLET_DIR: u32 = 0o700;
/// The staging directory is private: no one else may even look at half-written hosts.
const MODE_STAGING: u32 = 0o700;
/// A marker is a few hundred bytes.
const MARKER_MAX: u64 = 64 * 1024;

/// What the marker records: enough to tell, without reading the wallet, which CA issued
/// the host's certificate and until when it is valid.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Marker {
    pub host: String,
    pub subject: String,
    pub serial: String,
    pub not_after: String,
    pub key_type: String,
    /// SHA-256 of the issuing CA certificate (DER), lower-case hex; for a brought
    /// certificate, of its chain's root.
    pub ca_sha256: String,
    /// Where a brought certificate came from (`tcps issue --bring`); absent when the
    /// run's CA issued the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brought: Option<String>,
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
    #[error(
        "refusing to write into {}: {why}. Use a directory of the user running orakit that no one else may write to",
        path.display()
    )]
    Unsafe { path: PathBuf, why: String },
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

/// The output directory of a run, held open by descriptor (see [`crate::fsdir`]): once
/// it is checked, every host, the staging directory and the summary are reached through
/// it, never through a path another user could redirect.
#[derive(Debug, Clone)]
pub struct OutDir {
    root: PathBuf,
    dir: Arc<Dir>,
    staging: Arc<Dir>,
}

/// A directory other users may change is refused: they could plant links or swap
/// entries between orakit's steps (and root's run would follow them).
fn refuse_unsafe(path: &Path, st: &Stat) -> Result<(), StateError> {
    match fsdir::not_private(st) {
        None => Ok(()),
        Some(why) => Err(StateError::Unsafe {
            path: path.to_path_buf(),
            why,
        }),
    }
}

impl OutDir {
    /// Creates the directory (and its staging directory) when missing. An existing OUT
    /// must be a real directory (not a link) of the user running orakit that no one else
    /// may write to; so must an existing staging directory (an earlier run's).
    pub fn create(root: &Path) -> Result<Self, StateError> {
        if fsdir::lstat(root)
            .map_err(io_error("read", root))?
            .is_none()
        {
            fsio::create_dir_with_mode(root, MODE_DIR)?;
        }
        let dir = Dir::open(root).map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                StateError::Unsafe {
                    path: root.to_path_buf(),
                    why: "it is a symbolic link; give the directory itself".into(),
                }
            } else {
                io_error("open", root)(e)
            }
        })?;
        refuse_unsafe(root, &dir.stat().map_err(io_error("read", root))?)?;
        let staging_path = root.join(STAGING);
        let staging = match dir
            .lstat(STAGING)
            .map_err(io_error("read", &staging_path))?
        {
            None => dir
                .create_dir(STAGING, MODE_STAGING)
                .map_err(io_error("create", &staging_path))?,
            Some(st) if st.is_dir() => {
                let staging = dir
                    .open_dir(STAGING)
                    .map_err(io_error("open", &staging_path))?;
                refuse_unsafe(
                    &staging_path,
                    &staging.stat().map_err(io_error("read", &staging_path))?,
                )?;
                staging
            }
            Some(st) => {
                let what = if st.is_symlink() {
                    "a symbolic link"
                } else {
                    "not a directory"
                };
                return Err(StateError::Unsafe {
                    path: staging_path,
                    why: format!("it is {what}, not orakit's staging directory; remove it"),
                });
            }
        };
        Ok(Self {
            root: root.to_path_buf(),
            dir: Arc::new(dir),
            staging: Arc::new(staging),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The output directory's descriptor, for the run summary.
    pub fn dir(&self) -> &Dir {
        &self.dir
    }

    pub fn host_dir(&self, host: &str) -> PathBuf {
        self.root.join(host)
    }

    fn staging_path(&self, name: &str) -> PathBuf {
        self.root.join(STAGING).join(name)
    }

    /// Undoes what an interrupted run left: puts back the old directory of a renewal
    /// that died between its two renames, and deletes every half-written host.
    pub fn recover(&self) -> Result<Recovery, StateError> {
        let mut recovery = Recovery::default();
        let staging_path = self.root.join(STAGING);
        let names: Vec<String> = self
            .staging
            .entries()
            .map_err(io_error("read", &staging_path))?
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        for name in &names {
            if let Some(host) = name.strip_suffix(OLD_SUFFIX)
                && !host.is_empty()
                && self
                    .dir
                    .lstat(host)
                    .map_err(io_error("read", &self.host_dir(host)))?
                    .is_none()
            {
                self.staging
                    .rename(name, &self.dir, host)
                    .map_err(io_error("restore", &self.staging_path(name)))?;
                recovery.restored.push(host.to_owned());
            }
        }
        for name in names {
            if self
                .staging
                .lstat(&name)
                .map_err(io_error("read", &self.staging_path(&name)))?
                .is_some()
            {
                self.staging
                    .remove_tree(&name)
                    .map_err(io_error("remove", &self.staging_path(&name)))?;
                if !name.ends_with(OLD_SUFFIX) {
                    recovery.discarded.push(name);
                }
            }
        }
        self.dir.sync();
        Ok(recovery)
    }

    /// Whether `host` is complete, missing, or something orakit did not write.
    pub fn host_state(&self, host: &str) -> HostState {
        let dir = self.host_dir(host);
        match self.dir.lstat(host) {
            Ok(None) => return HostState::Missing,
            Ok(Some(_)) => {}
            Err(e) => return HostState::Foreign(format!("cannot read {}: {e}", dir.display())),
        }
        let marker_path = dir.join(MARKER);
        let bytes = self
            .dir
            .open_dir(host)
            .and_then(|d| d.open_file(MARKER))
            .and_then(|f| crate::limits::read_bounded(f, MARKER_MAX, "completion markers"));
        match bytes {
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
        let host = bundle.host.as_str();
        let staging_path = self.staging_path(host);
        self.staging
            .remove_tree(host)
            .map_err(io_error("remove", &staging_path))?;
        let host_dir = self
            .staging
            .create_dir(host, MODE_DIR)
            .map_err(io_error("create", &staging_path))?;
        for file in &bundle.files {
            let path = staging_path.join(&file.path);
            let (parent, name) = match (file.path.parent(), file.path.file_name()) {
                (Some(parent), Some(name)) => (parent, name),
                _ => return Err(io_error("write", &path)(io::Error::other("no file name"))),
            };
            let dir = subdirectory(&host_dir, parent).map_err(io_error("create", &path))?;
            dir.create_file(name, file.mode)
                .and_then(|mut f| f.write_all(&file.contents))
                .map_err(|source| match source.kind() {
                    io::ErrorKind::AlreadyExists => WriteError::Exists(path.clone()).into(),
                    _ => io_error("write", &path)(source),
                })?;
        }
        // The marker last; one flush then makes all of it durable before the rename
        // below can make the directory visible.
        let marker_json = serde_json::to_vec_pretty(marker).expect("a marker always serializes");
        host_dir
            .create_file(MARKER, MODE_PUBLIC)
            .and_then(|mut f| f.write_all(&marker_json))
            .map_err(io_error("write", &staging_path.join(MARKER)))?;
        host_dir
            .sync_filesystem()
            .map_err(io_error("flush", &staging_path))?;

        let target = self.host_dir(host);
        if replace {
            let old = format!("{host}{OLD_SUFFIX}");
            self.dir
                .rename(host, &self.staging, &old)
                .map_err(io_error("move aside", &target))?;
            self.staging
                .rename(host, &self.dir, host)
                .map_err(io_error("rename into place", &staging_path))?;
            self.dir.sync();
            self.staging
                .remove_tree(&old)
                .map_err(io_error("remove", &self.staging_path(&old)))?;
        } else {
            self.staging
                .rename(host, &self.dir, host)
                .map_err(io_error("rename into place", &staging_path))?;
            self.dir.sync();
        }
        Ok(())
    }

    /// Removes the (then empty) staging directory at the end of a run.
    pub fn finish(&self) {
        let _ = self.dir.remove_dir(STAGING);
    }
}

/// Opens (creating when missing) the directory `relative` below `base`, one component at
/// a time and never through a link. The wallet directory is private (0700).
fn subdirectory(base: &Dir, relative: &Path) -> io::Result<Dir> {
    let mut dir = base.try_clone()?;
    let mut walked = PathBuf::new();
    for part in relative.components() {
        let std::path::Component::Normal(name) = part else {
            return Err(io::Error::other("not a plain relative path"));
        };
        walked.push(name);
        let mode = if walked == Path::new(super::host_bundle::WALLET_DIR) {
            MODE_WALLET_DIR
        } else {
            MODE_DIR
        };
        dir = match dir.lstat(name)? {
            None => dir.create_dir(name, mode)?,
            Some(_) => dir.open_dir(name)?,
        };
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn marker(host: &str) -> Vec<u8> {
        serde_json::to_vec(&Marker {
            host: host.into(),
            subject: format!("CN={host}"),
            serial: "01".into(),
            not_after: "2030-01-01T00:00:00Z".into(),
            key_type: "EC P-256".into(),
            ca_sha256: "00".into(),
            brought: None,
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
