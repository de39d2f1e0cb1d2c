//! Whole-file locks that Oracle's tools see. orapki and mkstore (Java `FileChannel.lock`)
//! take POSIX record locks with `fcntl(F_SETLK)` on the whole of `ewallet.p12.lck` /
//! `cwallet.sso.lck` (`F_WRLCK` to change a wallet, `F_RDLCK` to read one; seen with
//! `strace -f -e trace=flock,fcntl,openat`). `flock(2)` locks do not conflict with those
//! on Linux, so orakit takes open-file-description locks (`F_OFD_SETLKW`): they conflict
//! with POSIX record locks, and unlike those they belong to the open file, not to the
//! process, so two threads or two handles in one orakit exclude each other too.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

/// Shared (read) or exclusive (write).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shared,
    Exclusive,
}

fn request(file: &File, kind: Kind, wait: bool) -> io::Result<bool> {
    let lock = libc::flock {
        l_type: match kind {
            Kind::Shared => libc::F_RDLCK,
            Kind::Exclusive => libc::F_WRLCK,
        } as _,
        l_whence: libc::SEEK_SET as _,
        l_start: 0,
        l_len: 0, // to the end of the file, however it grows
        l_pid: 0, // must be 0 for OFD locks
    };
    let command = if wait {
        libc::F_OFD_SETLKW
    } else {
        libc::F_OFD_SETLK
    };
    loop {
        // SAFETY: valid descriptor and a fully initialised lock description.
        if unsafe { libc::fcntl(file.as_raw_fd(), command, &lock) } == 0 {
            return Ok(true);
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EAGAIN | libc::EACCES) if !wait => return Ok(false),
            _ => return Err(e),
        }
    }
}

/// Waits for and takes the lock; it is released when `file` is closed.
pub fn lock(file: &File, kind: Kind) -> io::Result<()> {
    request(file, kind, true).map(|_| ())
}

/// Takes the lock if no one holds a conflicting one; `false` otherwise.
pub fn try_lock(file: &File, kind: Kind) -> io::Result<bool> {
    request(file, kind, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_conflict_between_handles_of_one_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lck");
        let a = File::create(&path).unwrap();
        let b = File::options().read(true).write(true).open(&path).unwrap();
        lock(&a, Kind::Exclusive).unwrap();
        assert!(!try_lock(&b, Kind::Shared).unwrap());
        drop(a);
        assert!(try_lock(&b, Kind::Shared).unwrap());
        let c = File::open(&path).unwrap();
        assert!(try_lock(&c, Kind::Shared).unwrap(), "readers share");
        assert!(
            !try_lock(
                &File::options().write(true).open(&path).unwrap(),
                Kind::Exclusive
            )
            .unwrap()
        );
    }
}
