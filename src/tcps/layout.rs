//! The `tcps init` output directory:
//!
//! ```text
//! DIR/orakit-tcps.json          the summary (also marks DIR as orakit's, for --force)
//! DIR/ca/ca.key  ca.pem         root key (0600) and certificate
//! DIR/server/wallet/            ewallet.p12 + cwallet.sso (0x36)
//! DIR/server/server.pem         the server certificate (public, for reference)
//! DIR/server/network/           sqlnet.ora, listener.ora
//! DIR/client/wallet/            cwallet.sso (0x37, the AWS DMS upload) + ewallet.pem
//! DIR/client/network/           sqlnet.ora, tnsnames.ora
//! ```
//!
//! It is written whole or not at all: every file goes into a sibling temporary directory,
//! which is renamed to DIR only when everything succeeded. With `--force` an earlier
//! output is moved aside, the new one renamed in, and the old one removed (moved back if
//! the rename fails), so DIR is never half old, half new.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Error, Result};
use crate::fsio::{self, Overwrite, PlannedFile};

pub const MARKER: &str = "orakit-tcps.json";
pub const CA_KEY: &str = "ca/ca.key";
pub const CA_CERT: &str = "ca/ca.pem";
pub const SERVER_WALLET: &str = "server/wallet";
pub const SERVER_CERT: &str = "server/server.pem";
pub const SERVER_SQLNET: &str = "server/network/sqlnet.ora";
pub const SERVER_LISTENER: &str = "server/network/listener.ora";
pub const CLIENT_WALLET: &str = "client/wallet";
pub const CLIENT_SQLNET: &str = "client/network/sqlnet.ora";
pub const CLIENT_TNSNAMES: &str = "client/network/tnsnames.ora";

/// Directories and their modes: private material 0700, the rest 0755.
const DIRS: [(&str, u32); 7] = [
    ("ca", 0o700),
    ("server", 0o755),
    ("server/wallet", 0o700),
    ("server/network", 0o755),
    ("client", 0o755),
    ("client/wallet", 0o755),
    ("client/network", 0o755),
];

/// One file of the output, relative to DIR.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub relative: String,
    pub contents: Vec<u8>,
    pub mode: u32,
}

impl Drop for OutFile {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.contents);
    }
}

/// Refuses an output directory that cannot be (re)placed, before any work is done.
pub fn check_target(out: &Path, force: bool) -> Result<()> {
    let parent = parent_of(out);
    if !parent.is_dir() {
        return Err(Error::Layout(format!(
            "cannot create {}: its parent directory {} does not exist; create it first",
            out.display(),
            parent.display()
        )));
    }
    if out.symlink_metadata().is_err() {
        return Ok(());
    }
    if !out.is_dir() || out.is_symlink() {
        return Err(Error::Layout(format!(
            "{} exists and is not a directory; choose another --out",
            out.display()
        )));
    }
    if is_empty_dir(out)? {
        return Ok(());
    }
    if !force {
        return Err(Error::Layout(format!(
            "{} already exists; pass --force to replace it (the old CA and wallets are deleted)",
            out.display()
        )));
    }
    if !out.join(MARKER).is_file() {
        return Err(Error::Layout(format!(
            "{} is not an earlier `orakit tcps init` output (it has no {MARKER}); refusing to replace it even with --force: choose another --out",
            out.display()
        )));
    }
    Ok(())
}

/// Writes `files` under `out` (see the module documentation). `before_publish` runs
/// after everything is staged and before the rename; its failure discards it all.
pub fn publish(
    out: &Path,
    files: &[OutFile],
    force: bool,
    before_publish: impl FnOnce() -> Result<()>,
) -> Result<()> {
    check_target(out, force)?;
    if crate::changes::check_mode() {
        // --check: what the rename would bring in, nothing staged.
        record_planned(out, files);
        return Ok(());
    }
    let parent = parent_of(out);
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Layout(format!("{} names no directory", out.display())))?;
    let staging = create_staging(&parent, &format!(".{name}.orakit-tmp"))?;
    let staged = stage(&staging, files).and_then(|()| before_publish());
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if let Err(e) = swap_in(&staging, out, &parent, &name) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if let Ok(handle) = fs::File::open(&parent) {
        let _ = handle.sync_all();
    }
    crate::changes::rename_recorded(&staging, out);
    Ok(())
}

/// Records (see [`crate::changes`]) every directory and file `publish` would bring in.
fn record_planned(out: &Path, files: &[OutFile]) {
    use crate::changes::{self, FileAction};
    if !out.exists() {
        changes::directory(out);
    }
    for (dir, _) in DIRS {
        if !out.join(dir).is_dir() {
            changes::directory(&out.join(dir));
        }
    }
    for file in files {
        let path = out.join(&file.relative);
        let action = if path.exists() {
            FileAction::Modified
        } else {
            FileAction::Created
        };
        changes::file(&path, action);
    }
}

fn stage(staging: &Path, files: &[OutFile]) -> Result<()> {
    for (dir, mode) in DIRS {
        fsio::create_dir_with_mode(&staging.join(dir), mode)?;
        set_mode(&staging.join(dir), mode)?;
    }
    let planned: Vec<PlannedFile> = files
        .iter()
        .map(|f| PlannedFile::new(staging.join(&f.relative), f.contents.clone(), f.mode))
        .collect();
    let result = fsio::write_all_atomic(&planned, Overwrite::Refuse);
    for mut p in planned {
        zeroize::Zeroize::zeroize(&mut p.contents);
    }
    result?;
    Ok(())
}

/// Renames the staged directory to `out`, moving an earlier output aside first.
fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<()> {
    let io_error = |what: &str, e: io::Error| Error::Layout(format!("{what}: {e}"));
    let existing = out.is_dir() && !is_empty_dir(out)?;
    if !existing {
        // rename(2) replaces an empty directory.
        return fs::rename(staging, out)
            .map_err(|e| io_error(&format!("cannot create {}", out.display()), e));
    }
    let aside = move_aside(out, parent, &format!(".{name}.orakit-old")).map_err(|e| {
        io_error(
            &format!("cannot move the earlier {} aside", out.display()),
            e,
        )
    })?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&aside, out);
        return Err(io_error(&format!("cannot replace {}", out.display()), e));
    }
    let _ = fs::remove_dir_all(&aside);
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|e| {
            Error::Layout(format!("cannot set the mode of {}: {e}", path.display()))
        })?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    let mut entries = fs::read_dir(dir)
        .map_err(|e| Error::Layout(format!("cannot read {}: {e}", dir.display())))?;
    Ok(entries.next().is_none())
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `STEM-<16 random hex digits>`: a name another user cannot guess in advance.
fn random_name(parent: &Path, stem: &str) -> PathBuf {
    let suffix = hex::encode(crate::pbe::random_bytes(8));
    parent.join(format!("{stem}-{suffix}"))
}

/// Creates a new private (0700) staging directory under a random name with one plain
/// `mkdir` (not recursive): an existing entry of that name, whoever made it, is never
/// used; another random name is tried instead.
fn create_staging(parent: &Path, stem: &str) -> Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    for _ in 0..16 {
        let path = random_name(parent, stem);
        match fs::DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Error::Layout(format!(
                    "cannot create a staging directory in {}: {e}",
                    parent.display()
                )));
            }
        }
    }
    Err(Error::Layout(format!(
        "cannot create a staging directory in {}: every name tried exists",
        parent.display()
    )))
}

/// Renames `out` to a new random name that must not exist (`RENAME_NOREPLACE`: a plain
/// rename would replace an empty directory someone planted under that name).
fn move_aside(out: &Path, parent: &Path, stem: &str) -> io::Result<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let from = std::ffi::CString::new(out.as_os_str().as_bytes()).map_err(io::Error::other)?;
    for _ in 0..16 {
        let aside = random_name(parent, stem);
        let to = std::ffi::CString::new(aside.as_os_str().as_bytes()).map_err(io::Error::other)?;
        // SAFETY: NUL-terminated paths relative to the working directory.
        let ret = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if ret == 0 {
            return Ok(aside);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::AlreadyExists {
            return Err(e);
        }
    }
    Err(io::Error::other("every name tried exists"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<OutFile> {
        vec![OutFile {
            relative: CA_CERT.into(),
            contents: b"cert".to_vec(),
            mode: 0o644,
        }]
    }

    #[test]
    fn a_failure_before_the_rename_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let failed = publish(&out, &files(), false, || {
            Err(Error::Invalid("late failure".into()))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// Issue 13 item 9: another user prepared every staging name the old code could pick
    /// (`.out.orakit-tmp-PID-0` to `-999` and the `-PID` fallback). The output must be a
    /// directory of ours, and none of theirs may be used or changed.
    #[test]
    fn an_existing_staging_directory_is_never_taken() {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            assert!(
                std::env::var_os("CI").is_none(),
                "must run as root under CI"
            );
            eprintln!("skipping: not root, cannot make directories of another user");
            return;
        }
        const OTHER: u32 = 54_321;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let pid = std::process::id();
        let mut planted = vec![dir.path().join(format!(".out.orakit-tmp-{pid}"))];
        planted.extend((0..1000).map(|n| dir.path().join(format!(".out.orakit-tmp-{pid}-{n}"))));
        for p in &planted {
            fs::create_dir(p).unwrap();
            std::os::unix::fs::chown(p, Some(OTHER), Some(OTHER)).unwrap();
        }
        publish(&out, &files(), false, || Ok(())).unwrap();
        let meta = fs::symlink_metadata(&out).unwrap();
        assert_eq!(meta.uid(), 0, "the output tree belongs to another user");
        assert!(out.join(CA_CERT).is_file());
        for p in &planted {
            let m = fs::symlink_metadata(p).unwrap();
            assert_eq!(m.uid(), OTHER);
            assert_eq!(
                fs::read_dir(p).unwrap().count(),
                0,
                "{} was written into",
                p.display()
            );
        }
    }

    #[test]
    fn force_replaces_only_an_earlier_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        publish(&out, &files(), false, || Ok(())).unwrap();
        assert!(publish(&out, &files(), false, || Ok(())).is_err());
        // Without the marker it is not ours: refused even with force.
        assert!(publish(&out, &files(), true, || Ok(())).is_err());
        fs::write(out.join(MARKER), "{}").unwrap();
        publish(&out, &files(), true, || Ok(())).unwrap();
        assert!(
            !out.join(MARKER).exists(),
            "the old directory was replaced whole"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
