//! A directory held open by its descriptor, and the few operations orakit does inside
//! one (`openat`, `mkdirat`, `renameat`, `unlinkat`), none of which follows a symbolic
//! link. Once a directory is opened and checked, another user who can rename things
//! around it cannot redirect what orakit writes into it: every later step names entries
//! relative to the descriptor, never by a path that is looked up again.
//!
//! Linux/Unix only (the `*at` calls of POSIX.1-2008).

use std::ffi::{CStr, CString, OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// An open directory and the path it was opened as (for messages only).
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    path: PathBuf,
}

/// What `fstat`/`fstatat` says about an entry, the fields orakit looks at.
#[derive(Debug, Clone, Copy)]
pub struct Stat {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
}

impl Stat {
    fn of(st: libc::stat) -> Self {
        Self {
            mode: st.st_mode,
            uid: st.st_uid,
            gid: st.st_gid,
            dev: st.st_dev,
            ino: st.st_ino,
            size: st.st_size as u64,
        }
    }
    pub fn is_dir(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFDIR
    }
    pub fn is_file(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFREG
    }
    pub fn is_symlink(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFLNK
    }
    pub fn permissions(&self) -> u32 {
        self.mode & 0o7777
    }
}

fn cstr(name: &OsStr) -> io::Result<CString> {
    CString::new(name.as_bytes()).map_err(|_| io::Error::other("a file name holds a NUL byte"))
}

/// A single entry name: no `/`, not `.` or `..` (so `*at` cannot leave the directory).
fn entry_name(name: &OsStr) -> io::Result<CString> {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.contains(&b'/') || bytes == b"." || bytes == b".." {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{:?} is not a plain file name", name),
        ));
    }
    cstr(name)
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// `fstat` of any descriptor.
pub fn fstat(fd: RawFd) -> io::Result<Stat> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `st` is written by fstat before it is read.
    check(unsafe { libc::fstat(fd, st.as_mut_ptr()) })?;
    Ok(Stat::of(unsafe { st.assume_init() }))
}

/// `lstat` of a path: the entry itself, not what a link points to; `None` when absent.
pub fn lstat(path: &Path) -> io::Result<Option<Stat>> {
    let c = cstr(path.as_os_str())?;
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `c` is NUL-terminated, `st` is written before it is read.
    match check(unsafe { libc::lstat(c.as_ptr(), st.as_mut_ptr()) }) {
        Ok(_) => Ok(Some(Stat::of(unsafe { st.assume_init() }))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The effective user id of this process.
pub fn euid() -> u32 {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}

/// Why a directory is unsafe to write into, or `None`: it must belong to the user running
/// orakit and be writable by nobody else (no group or world write bit). Root-owned
/// directories are trusted too (only root could have made them).
pub fn not_private(st: &Stat) -> Option<String> {
    let me = euid();
    if st.uid != me && st.uid != 0 {
        return Some(format!(
            "it belongs to user id {}, not to the user running orakit (id {me})",
            st.uid
        ));
    }
    if st.permissions() & 0o022 != 0 {
        return Some(format!(
            "other users may write to it (mode {:04o})",
            st.permissions()
        ));
    }
    None
}

impl Dir {
    /// Opens a directory; a symbolic link as the last component is refused (`ELOOP`).
    pub fn open(path: &Path) -> io::Result<Self> {
        let c = cstr(path.as_os_str())?;
        // SAFETY: `c` is NUL-terminated; the returned descriptor is owned below.
        let fd = check(unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            )
        })?;
        Ok(Self {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second descriptor of the same directory.
    pub fn try_clone(&self) -> io::Result<Dir> {
        Ok(Dir {
            fd: self.fd.try_clone()?,
            path: self.path.clone(),
        })
    }

    pub fn stat(&self) -> io::Result<Stat> {
        fstat(self.fd.as_raw_fd())
    }

    /// Opens the subdirectory `name` (never through a link).
    pub fn open_dir(&self, name: impl AsRef<OsStr>) -> io::Result<Dir> {
        let name = name.as_ref();
        let c = entry_name(name)?;
        // SAFETY: valid descriptor and NUL-terminated name.
        let fd = check(unsafe {
            libc::openat(
                self.fd.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            )
        })?;
        Ok(Dir {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            path: self.path.join(name),
        })
    }

    /// Creates the subdirectory `name` with exactly `mode` and opens it. An existing
    /// entry of that name (directory, link or anything else) is an `AlreadyExists` error:
    /// a directory someone else made is never taken for ours.
    pub fn create_dir(&self, name: impl AsRef<OsStr>, mode: u32) -> io::Result<Dir> {
        let name = name.as_ref();
        let c = entry_name(name)?;
        // SAFETY: valid descriptor and NUL-terminated name.
        check(unsafe { libc::mkdirat(self.fd.as_raw_fd(), c.as_ptr(), 0o700) })?;
        let dir = self.open_dir(name)?;
        let st = dir.stat()?;
        if st.uid != euid() {
            return Err(io::Error::other(format!(
                "{} changed hands while it was being created",
                dir.path.display()
            )));
        }
        // SAFETY: valid descriptor.
        check(unsafe { libc::fchmod(dir.fd.as_raw_fd(), mode as libc::mode_t) })?;
        Ok(dir)
    }

    /// Creates the new regular file `name` (refusing anything already there, a link
    /// included) with exactly `mode`; the returned handle is the only way it is written.
    pub fn create_file(&self, name: impl AsRef<OsStr>, mode: u32) -> io::Result<File> {
        let c = entry_name(name.as_ref())?;
        // SAFETY: valid descriptor and NUL-terminated name.
        let fd = check(unsafe {
            libc::openat(
                self.fd.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                0o600 as libc::c_uint,
            )
        })?;
        let file = unsafe { File::from_raw_fd(fd) };
        // SAFETY: valid descriptor. The umask narrowed the mode; set it exactly.
        check(unsafe { libc::fchmod(file.as_raw_fd(), mode as libc::mode_t) })?;
        Ok(file)
    }

    /// Opens the existing regular file `name` for reading, never through a link, without
    /// blocking on a FIFO.
    pub fn open_file(&self, name: impl AsRef<OsStr>) -> io::Result<File> {
        let name = name.as_ref();
        let c = entry_name(name)?;
        // SAFETY: valid descriptor and NUL-terminated name.
        let fd = check(unsafe {
            libc::openat(
                self.fd.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
            )
        })?;
        let file = unsafe { File::from_raw_fd(fd) };
        if !fstat(file.as_raw_fd())?.is_file() {
            return Err(not_regular());
        }
        Ok(file)
    }

    /// What is at `name` itself (a link is not followed); `None` when nothing is.
    pub fn lstat(&self, name: impl AsRef<OsStr>) -> io::Result<Option<Stat>> {
        let c = entry_name(name.as_ref())?;
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: valid descriptor, NUL-terminated name, `st` written before it is read.
        let ret = unsafe {
            libc::fstatat(
                self.fd.as_raw_fd(),
                c.as_ptr(),
                st.as_mut_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        };
        match check(ret) {
            Ok(_) => Ok(Some(Stat::of(unsafe { st.assume_init() }))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Renames `from` in this directory to `to` in `target` (which may be this one).
    pub fn rename(
        &self,
        from: impl AsRef<OsStr>,
        target: &Dir,
        to: impl AsRef<OsStr>,
    ) -> io::Result<()> {
        let from = entry_name(from.as_ref())?;
        let to = entry_name(to.as_ref())?;
        // SAFETY: valid descriptors and NUL-terminated names.
        check(unsafe {
            libc::renameat(
                self.fd.as_raw_fd(),
                from.as_ptr(),
                target.fd.as_raw_fd(),
                to.as_ptr(),
            )
        })?;
        Ok(())
    }

    /// Removes the file, link or empty directory `name`.
    fn unlink(&self, name: &OsStr, dir: bool) -> io::Result<()> {
        let c = entry_name(name)?;
        let flags = if dir { libc::AT_REMOVEDIR } else { 0 };
        // SAFETY: valid descriptor and NUL-terminated name.
        check(unsafe { libc::unlinkat(self.fd.as_raw_fd(), c.as_ptr(), flags) })?;
        Ok(())
    }

    /// Removes the file `name` (a link is removed, not what it points to).
    pub fn remove_file(&self, name: impl AsRef<OsStr>) -> io::Result<()> {
        self.unlink(name.as_ref(), false)
    }

    /// Removes the empty directory `name`.
    pub fn remove_dir(&self, name: impl AsRef<OsStr>) -> io::Result<()> {
        self.unlink(name.as_ref(), true)
    }

    /// Removes `name` and, when it is a directory, everything in it. Links are removed
    /// themselves and never followed, so nothing outside this directory is touched.
    pub fn remove_tree(&self, name: impl AsRef<OsStr>) -> io::Result<()> {
        let name = name.as_ref();
        match self.lstat(name)? {
            None => Ok(()),
            Some(st) if st.is_dir() => {
                let sub = self.open_dir(name)?;
                for entry in sub.entries()? {
                    sub.remove_tree(&entry)?;
                }
                self.unlink(name, true)
            }
            Some(_) => self.unlink(name, false),
        }
    }

    /// The names in the directory, without `.` and `..`.
    pub fn entries(&self) -> io::Result<Vec<OsString>> {
        // SAFETY: dup gives fdopendir a descriptor of its own, which closedir closes.
        let dup = check(unsafe { libc::fcntl(self.fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) })?;
        let stream = unsafe { libc::fdopendir(dup) };
        if stream.is_null() {
            let e = io::Error::last_os_error();
            unsafe { libc::close(dup) };
            return Err(e);
        }
        // The duplicate shares the read position: start from the beginning.
        unsafe { libc::rewinddir(stream) };
        let mut names = Vec::new();
        loop {
            // SAFETY: `stream` is a valid DIR*; the entry is copied before the next call.
            let entry = unsafe { libc::readdir(stream) };
            if entry.is_null() {
                break;
            }
            let name = unsafe { CStr::from_ptr((*entry).d_name.as_ptr()) }.to_bytes();
            if name != b"." && name != b".." {
                names.push(OsString::from_vec(name.to_vec()));
            }
        }
        unsafe { libc::closedir(stream) };
        names.sort();
        Ok(names)
    }

    /// Flushes the directory's entries (renames) to disk; best effort.
    pub fn sync(&self) {
        // SAFETY: valid descriptor.
        unsafe { libc::fsync(self.fd.as_raw_fd()) };
    }

    /// Flushes the whole filesystem holding this directory (`syncfs`).
    pub fn sync_filesystem(&self) -> io::Result<()> {
        // SAFETY: valid descriptor.
        check(unsafe { libc::syncfs(self.fd.as_raw_fd()) })?;
        Ok(())
    }
}

pub fn not_regular() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "it is not a regular file (a directory, FIFO, device or socket)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn nothing_is_created_or_removed_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep"), b"keep").unwrap();
        let work = tmp.path().join("work");
        std::fs::create_dir(&work).unwrap();
        std::os::unix::fs::symlink(&outside, work.join("link")).unwrap();
        std::os::unix::fs::symlink(outside.join("new"), work.join("file-link")).unwrap();
        let dir = Dir::open(&work).unwrap();
        assert!(
            Dir::open(&work.join("link")).is_err(),
            "a link is not opened"
        );
        assert!(dir.open_dir("link").is_err());
        assert_eq!(
            dir.create_dir("link", 0o700).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert!(dir.create_file("file-link", 0o600).is_err());
        assert!(!outside.join("new").exists());
        dir.remove_tree("link").unwrap();
        assert_eq!(std::fs::read(outside.join("keep")).unwrap(), b"keep");
        let sub = dir.create_dir("sub", 0o750).unwrap();
        sub.create_file("f", 0o640)
            .unwrap()
            .write_all(b"x")
            .unwrap();
        assert_eq!(dir.lstat("sub").unwrap().unwrap().permissions(), 0o750);
        assert_eq!(sub.entries().unwrap(), [OsString::from("f")]);
        dir.remove_tree("sub").unwrap();
        assert!(dir.lstat("sub").unwrap().is_none());
        assert!(dir.entries().unwrap().len() == 1, "only file-link is left");
    }
}
