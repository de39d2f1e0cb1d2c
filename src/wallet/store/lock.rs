//! How a wallet directory is locked against other orakit, orapki and mkstore runs: a lock
//! on the directory itself, orapki's `ewallet.p12.lck` / `cwallet.sso.lck` files, shared
//! for a read and exclusive for a change, and the recovery of an interrupted change.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::{LOCK_NAMES, P12_NAME, SSO_NAME, StoreError, WalletType};
use crate::filelock;
use crate::fsio::MODE_SECRET;
use crate::wallet::commit;

/// A lock on a wallet directory, released on drop.
#[derive(Debug)]
pub struct WalletLock {
    _files: Vec<File>,
}

/// Opens a lock file without following a link planted in its place (`ELOOP`), creating
/// it (empty, 0600, as orapki does) when `create`. `None` when absent and not created.
fn open_lock_file(path: &Path, create: bool) -> Result<Option<File>, StoreError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = OpenOptions::new();
    options
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .mode(MODE_SECRET)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    match options.open(path) {
        Ok(file) => {
            let regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
            if !regular {
                return Err(StoreError::Lock {
                    path: path.to_path_buf(),
                    source: crate::fsdir::not_regular(),
                });
            }
            Ok(Some(file))
        }
        Err(e) if !create && e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(StoreError::Lock {
            path: path.to_path_buf(),
            source: io::Error::other(
                "it is a symbolic link; orakit never follows one there (remove it)",
            ),
        }),
        Err(source) => Err(StoreError::Lock {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn take(files: &[File], names: &[PathBuf], kind: filelock::Kind) -> Result<(), StoreError> {
    for (file, path) in files.iter().zip(names) {
        filelock::lock(file, kind).map_err(|source| StoreError::Lock {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

/// Refuses to change a wallet in a directory other users may write to (they could swap
/// its files between orakit's steps); warns when the directory belongs to another user
/// (root changing `oracle`'s wallet is normal, but that user can still replace the files).
fn check_directory(dir: &Path) -> Result<(), StoreError> {
    let st = crate::fsdir::Dir::open(dir)
        .and_then(|d| d.stat())
        .map_err(|source| StoreError::Lock {
            path: dir.to_path_buf(),
            source,
        })?;
    if st.permissions() & 0o022 != 0 {
        return Err(StoreError::SharedDirectory(
            dir.to_path_buf(),
            st.permissions(),
        ));
    }
    let me = crate::fsdir::euid();
    if st.uid != me && st.uid != 0 {
        eprintln!(
            "warning: the wallet directory {} belongs to user id {}, not to the user running orakit (id {me}); that user can replace the wallet files at any time",
            dir.display(),
            st.uid
        );
    }
    Ok(())
}

/// Locks the wallet in `dir` for a change of the files it has now: see [`lock_for`].
pub fn lock(dir: &Path) -> Result<WalletLock, StoreError> {
    lock_files(dir, [false, false])
}

/// Locks the wallet in `dir` for a change that leaves it of type `after`. The directory
/// must not be writable by others (see `check_directory`). orakit first takes a lock on the
/// directory itself (so two orakit runs exclude each other whatever files exist), then
/// the lock orapki takes ([`filelock`]) on `X.lck` for each wallet file X that exists or
/// that the change writes: empty, 0600, never through a link, as orapki makes them. A
/// `.lck` file is never made for a wallet file that does not exist. Waits for another
/// orakit, orapki or mkstore holding them, then finishes an interrupted change.
pub fn lock_for(dir: &Path, after: WalletType) -> Result<WalletLock, StoreError> {
    lock_files(dir, [after.has_p12(), after.has_sso()])
}

fn lock_files(dir: &Path, writes: [bool; 2]) -> Result<WalletLock, StoreError> {
    // `--check` creates nothing, not even a lock file (or, in a directory still to be
    // made, anything to lock).
    let check = crate::changes::check_mode();
    if check && !dir.is_dir() {
        return Ok(WalletLock { _files: Vec::new() });
    }
    check_directory(dir)?;
    let mut held = Vec::new();
    // Best effort: some file systems (NFS emulates flock with POSIX locks, which need a
    // descriptor open for writing) refuse a lock on a directory; the .lck files remain.
    if let Ok(whole) = File::open(dir)
        && whole.lock().is_ok()
    {
        held.push(whole);
    }
    let wallet_files = [P12_NAME, SSO_NAME];
    let mut files = Vec::new();
    let mut names = Vec::new();
    for (i, name) in LOCK_NAMES.into_iter().enumerate() {
        let path = dir.join(name);
        let exists = dir.join(wallet_files[i]).symlink_metadata().is_ok();
        // An interrupted commit may be about to bring the file back: lock what is there.
        if !(exists || writes[i] || path.symlink_metadata().is_ok()) {
            continue;
        }
        if let Some(file) = open_lock_file(&path, !check)? {
            files.push(file);
            names.push(path);
        }
    }
    take(&files, &names, filelock::Kind::Exclusive)?;
    if !check {
        commit::recover(dir)?;
    }
    files.extend(held);
    Ok(WalletLock { _files: files })
}

/// Takes shared locks for a read, on the `.lck` files that exist (a read creates none):
/// orapki rewrites wallet files in place under its lock, so a reader waits for it.
pub fn read_lock(dir: &Path) -> Result<WalletLock, StoreError> {
    let mut files = Vec::new();
    let mut names = Vec::new();
    for name in LOCK_NAMES {
        let path = dir.join(name);
        // A link or an unreadable lock file only means no lock for this read.
        if let Ok(Some(file)) = open_lock_file(&path, false) {
            files.push(file);
            names.push(path);
        }
    }
    take(&files, &names, filelock::Kind::Shared)?;
    Ok(WalletLock { _files: files })
}

/// A reader that finds the journal of an interrupted change finishes it (so it sees both
/// files in step), under the exclusive lock, when the lock files are there: the writer
/// that wrote the journal made them first. A journal alone is litter and is ignored.
pub fn recover_for_reader(dir: &Path) -> Result<(), StoreError> {
    if !commit::interrupted(dir) {
        return Ok(());
    }
    let names: Vec<PathBuf> = LOCK_NAMES.iter().map(|n| dir.join(n)).collect();
    let mut files = Vec::new();
    for path in &names {
        match open_lock_file(path, false)? {
            Some(file) => files.push(file),
            None => return Ok(()),
        }
    }
    take(&files, &names, filelock::Kind::Exclusive)?;
    commit::recover(dir)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_files_are_created_and_held_exclusively() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_for(dir.path(), WalletType::AutoLogin).unwrap();
        for name in LOCK_NAMES {
            let other = File::open(dir.path().join(name)).unwrap();
            let free = filelock::try_lock(&other, filelock::Kind::Shared).unwrap();
            assert!(!free, "{name} must be locked");
        }
        drop(held);
        let other = File::open(dir.path().join(LOCK_NAMES[0])).unwrap();
        assert!(filelock::try_lock(&other, filelock::Kind::Shared).unwrap());
    }
}
