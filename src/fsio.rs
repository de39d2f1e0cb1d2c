//! The one way orakit writes files: to a temporary file in the target directory, flushed
//! to disk, then renamed over the target. A reader sees the old file or the new one,
//! never a mix, and a failed command leaves nothing behind.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Permission bits for files holding private keys or wallets.
pub const MODE_SECRET: u32 = 0o600;
/// Permission bits for public material: certificates, CSRs, Oracle Net files.
pub const MODE_PUBLIC: u32 = 0o644;

/// Whether an existing target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse when the target exists (the default everywhere).
    Refuse,
    /// Replace the target (`--force`, or an in-place update of a file the user named).
    Allow,
}

impl Overwrite {
    pub fn from_force(force: bool) -> Self {
        if force { Self::Allow } else { Self::Refuse }
    }
}

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{} already exists; pass --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {}: its directory {} does not exist", path.display(), dir.display())]
    NoDirectory { path: PathBuf, dir: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    fn io(path: &Path, source: io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// One file to be written: where, what, and with which permission bits.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    pub path: PathBuf,
    pub contents: Vec<u8>,
    pub mode: u32,
    /// Owner and group to give the file, set on the temporary file before it is renamed
    /// into place (never by path afterwards, when another user could have swapped it).
    pub owner: Option<(u32, u32)>,
}

impl PlannedFile {
    pub fn new(path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>, mode: u32) -> Self {
        Self {
            path: path.into(),
            contents: contents.into(),
            mode,
            owner: None,
        }
    }

    pub fn with_owner(mut self, uid: u32, gid: u32) -> Self {
        self.owner = Some((uid, gid));
        self
    }
}

/// Writes one file atomically with exactly `mode` (the umask does not apply).
pub fn write_atomic(
    path: &Path,
    contents: &[u8],
    mode: u32,
    overwrite: Overwrite,
) -> Result<(), WriteError> {
    write_all_atomic(
        &[PlannedFile::new(path, contents.to_vec(), mode)],
        overwrite,
    )
}

/// Like [`write_atomic`] for output too large to build in memory first: `fill` writes the
/// contents into the temporary file, which is then flushed and renamed over `path`.
pub fn write_atomic_streamed(
    path: &Path,
    mode: u32,
    overwrite: Overwrite,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    if crate::changes::check_mode() {
        // Nothing may be written: build the contents in memory to say what would change.
        let mut contents = Vec::new();
        fill(&mut contents).map_err(|e| WriteError::io(path, e))?;
        return write_all_atomic(&[PlannedFile::new(path, contents, mode)], overwrite);
    }
    let existed = path.symlink_metadata().is_ok();
    if overwrite == Overwrite::Refuse && path.symlink_metadata().is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = parent_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "orakit".to_owned());
    remove_stale_temps(&dir, &name);
    let temp = dir.join(format!(".{name}.orakit-tmp-{}-s", std::process::id()));
    let _ = fs::remove_file(&temp);
    let result = (|| {
        write_new_unflushed(&temp, &[], mode)?;
        let file = OpenOptions::new()
            .write(true)
            .open(&temp)
            .map_err(|e| WriteError::io(path, e))?;
        let mut writer = io::BufWriter::new(file);
        fill(&mut writer).map_err(|e| WriteError::io(path, e))?;
        let file = writer
            .into_inner()
            .map_err(|e| WriteError::io(path, e.into_error()))?;
        file.sync_all().map_err(|e| WriteError::io(path, e))?;
        fs::rename(&temp, path).map_err(|e| WriteError::io(path, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    } else {
        sync_dir(&dir);
        let action = if existed {
            crate::changes::FileAction::Modified
        } else {
            crate::changes::FileAction::Created
        };
        crate::changes::file(path, action);
    }
    result
}

/// Writes several files as one step as far as a filesystem allows: every file is first
/// written and flushed under a temporary name, and only when all of them succeeded are
/// they renamed into place, one after the other. Nothing is left behind on failure.
///
/// A file whose target already holds exactly these bytes with this mode (and owner) is
/// not written at all: its bytes and mtime stay, and nothing is recorded for it (see
/// [`crate::changes`]). When `overwrite` is `Refuse`, every other target is checked
/// before anything is written. In check mode nothing is written; what would be is
/// recorded.
pub fn write_all_atomic(files: &[PlannedFile], overwrite: Overwrite) -> Result<(), WriteError> {
    let mut pending: Vec<(&PlannedFile, crate::changes::FileAction)> = Vec::new();
    for file in files {
        match crate::sameness::file_state(file) {
            crate::sameness::FileState::Same => {}
            crate::sameness::FileState::Absent => {
                pending.push((file, crate::changes::FileAction::Created))
            }
            crate::sameness::FileState::Differs => {
                if overwrite == Overwrite::Refuse {
                    return Err(WriteError::Exists(file.path.clone()));
                }
                pending.push((file, crate::changes::FileAction::Modified));
            }
        }
    }
    if !crate::changes::check_mode() {
        let to_write: Vec<PlannedFile> = pending.iter().map(|(f, _)| (*f).clone()).collect();
        let result = write_all_unrecorded(&to_write);
        // The copies may hold private keys.
        for mut file in to_write {
            zeroize::Zeroize::zeroize(&mut file.contents);
        }
        result?;
    }
    for (file, action) in pending {
        crate::changes::file(&file.path, action);
    }
    Ok(())
}

/// [`write_all_atomic`] without the comparison, the record or check mode: for the
/// wallet commit's pending files and journal, which its caller accounts for.
pub(crate) fn write_atomic_unrecorded(
    path: &Path,
    contents: &[u8],
    mode: u32,
) -> Result<(), WriteError> {
    write_all_unrecorded(&[PlannedFile::new(path, contents.to_vec(), mode)])
}

fn write_all_unrecorded(files: &[PlannedFile]) -> Result<(), WriteError> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    let result = (|| {
        for file in files {
            let temp = stage(file)?;
            staged.push((temp, &file.path));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    for (i, (temp, target)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(temp, target) {
            for (left, _) in &staged[i..] {
                let _ = fs::remove_file(left);
            }
            return Err(WriteError::io(target, e));
        }
    }
    for dir in parent_dirs(files) {
        sync_dir(&dir);
    }
    Ok(())
}

/// Writes a new file inside a staging directory that no reader sees until the whole
/// directory is renamed into place (fleet issuing): the directory rename is the atomic
/// step, so no temporary name is needed, and instead of flushing file by file the caller
/// flushes once with [`sync_filesystem`] before that rename. Exact `mode`; refuses to
/// replace anything.
pub fn write_new_unflushed(path: &Path, contents: &[u8], mode: u32) -> Result<(), WriteError> {
    crate::changes::file(path, crate::changes::FileAction::Created);
    if crate::changes::check_mode() {
        return Ok(());
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    let mut handle = options.open(path).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => WriteError::Exists(path.to_path_buf()),
        _ => WriteError::io(path, e),
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        handle
            .set_permissions(fs::Permissions::from_mode(mode))
            .map_err(|e| WriteError::io(path, e))?;
    }
    handle
        .write_all(contents)
        .map_err(|e| WriteError::io(path, e))
}

/// Flushes everything written to the filesystem holding `path` (one `syncfs(2)` instead
/// of one `fsync` per file; on other systems, `fsync` of `path` itself).
pub fn sync_filesystem(path: &Path) -> Result<(), WriteError> {
    let handle = File::open(path).map_err(|e| WriteError::io(path, e))?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is open for the duration of the call.
        if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
            return Err(WriteError::io(path, io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    handle.sync_all().map_err(|e| WriteError::io(path, e))
}

/// Writes `file` under a unique temporary name beside its target and flushes it.
fn stage(file: &PlannedFile) -> Result<PathBuf, WriteError> {
    let dir = parent_of(&file.path);
    if !dir.is_dir() {
        return Err(WriteError::NoDirectory {
            path: file.path.clone(),
            dir,
        });
    }
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "orakit".to_owned());
    remove_stale_temps(&dir, &name);
    for attempt in 0..100u32 {
        let temp = dir.join(format!(
            ".{name}.orakit-tmp-{}-{attempt}",
            std::process::id()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(file.mode);
        }
        let mut handle = match options.open(&temp) {
            Ok(h) => h,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(WriteError::io(&file.path, e)),
        };
        let written = set_owner(&handle, file.owner)
            .and_then(|()| write_and_sync(&mut handle, &file.contents, file.mode));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(WriteError::io(&file.path, e));
        }
        return Ok(temp);
    }
    Err(WriteError::io(
        &file.path,
        io::Error::other("could not create a temporary file beside it"),
    ))
}

/// Removes what a killed orakit left while writing `name` or a file named after it (its
/// backups `NAME.bak.N`) in `dir`: temporary files `.NAME*.orakit-tmp-PID-*` whose process
/// no longer exists. A temporary file of a live process (another orakit writing the same
/// file right now) is left alone.
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((_, tail)) = rest.rsplit_once(".orakit-tmp-") else {
            continue;
        };
        let pid = tail.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_exists(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id exists (on other systems: assume it does).
fn process_exists(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        if pid <= 0 {
            return false;
        }
        // SAFETY: signal 0 only checks that the process exists and may be signalled.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        alive || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// `fchown` of the still-unnamed-for-readers temporary file (a no-op when it already has
/// that owner; only root may give a file away).
fn set_owner(handle: &File, owner: Option<(u32, u32)>) -> io::Result<()> {
    let Some((uid, gid)) = owner else {
        return Ok(());
    };
    use std::os::unix::fs::MetadataExt;
    let meta = handle.metadata()?;
    if (meta.uid(), meta.gid()) == (uid, gid) {
        return Ok(());
    }
    std::os::unix::fs::fchown(handle, Some(uid), Some(gid))
}

fn write_and_sync(handle: &mut File, contents: &[u8], mode: u32) -> io::Result<()> {
    // The umask may have narrowed or the mode; set it explicitly so 0600 and 0644 hold.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        handle.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    handle.write_all(contents)?;
    handle.sync_all()
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn parent_dirs(files: &[PlannedFile]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = files.iter().map(|f| parent_of(&f.path)).collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Flushes a directory entry so a completed rename survives a power cut. Best effort:
/// not every filesystem lets a directory be opened for syncing.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Creates a directory (and its parents) with the given mode for the last component.
pub fn create_dir_with_mode(path: &Path, mode: u32) -> Result<(), WriteError> {
    if path.is_dir() {
        return Ok(());
    }
    // Every missing component is a directory this run creates.
    let mut missing = Vec::new();
    let mut at = Some(path);
    while let Some(dir) = at {
        if dir.as_os_str().is_empty() || dir.exists() {
            break;
        }
        missing.push(dir.to_path_buf());
        at = dir.parent();
    }
    for dir in missing.iter().rev() {
        crate::changes::directory(dir);
    }
    if crate::changes::check_mode() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder.create(path).map_err(|e| WriteError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_with_the_exact_mode_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        write_atomic(&path, b"one", MODE_SECRET, Overwrite::Refuse).unwrap();
        assert_eq!(mode_of(&path), 0o600);
        let err = write_atomic(&path, b"two", MODE_SECRET, Overwrite::Refuse).unwrap_err();
        assert!(matches!(err, WriteError::Exists(_)));
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"three", MODE_PUBLIC, Overwrite::Allow).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        assert_eq!(mode_of(&path), 0o644);
    }

    #[test]
    fn a_group_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a");
        let existing = dir.path().join("b");
        fs::write(&existing, b"keep").unwrap();
        let files = [
            PlannedFile::new(&first, b"new-a".to_vec(), MODE_SECRET),
            PlannedFile::new(&existing, b"new-b".to_vec(), MODE_SECRET),
        ];
        assert!(write_all_atomic(&files, Overwrite::Refuse).is_err());
        assert!(!first.exists());
        assert_eq!(fs::read(&existing).unwrap(), b"keep");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn temporary_files_of_dead_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // pid 0x7ffffffe is above Linux's pid_max limit (2^22), so no process has it.
        let dead = d.join(".tnsnames.ora.orakit-tmp-2147483646-0");
        let dead_backup = d.join(".tnsnames.ora.bak.3.orakit-tmp-2147483646-0");
        let live = d.join(format!(".tnsnames.ora.orakit-tmp-{}-7", std::process::id()));
        let other_file = d.join(".sqlnet.ora.orakit-tmp-2147483646-0");
        let not_ours = d.join(".tnsnames.ora.orakit-tmp-notapid");
        for path in [&dead, &dead_backup, &live, &other_file, &not_ours] {
            fs::write(path, b"x").unwrap();
        }
        write_atomic(&d.join("tnsnames.ora"), b"new\n", 0o644, Overwrite::Allow).unwrap();
        assert!(!dead.exists() && !dead_backup.exists());
        assert!(live.exists() && other_file.exists() && not_ours.exists());
    }

    #[test]
    fn a_missing_directory_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("x.pem");
        let err = write_atomic(&path, b"x", MODE_PUBLIC, Overwrite::Refuse).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }
}
