//! Size limits on the files orakit reads whole. Real inputs are tiny (a wallet or a
//! certificate is a few kilobytes, a large tnsnames.ora a few megabytes); a file far over
//! these is the wrong file or a hostile one, and is refused from its size before any of
//! it is read, so memory stays bounded whatever is given.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

const MIB: u64 = 1024 * 1024;

/// Certificates, bundles, keys, CSRs: the largest public CA bundles are under 1 MiB.
pub const MAX_PKI_FILE: u64 = 16 * MIB;
/// `ewallet.p12` / `cwallet.sso`: Oracle's own wallets are a few kilobytes.
pub const MAX_WALLET_FILE: u64 = 16 * MIB;
/// Oracle Net parameter files: 100 000 tnsnames.ora aliases are about 14 MiB; parsing
/// takes 25 to 70 bytes of memory per byte of file (measured: docs/reliability.md), so
/// this caps an Oracle Net command near 1 GiB.
pub const MAX_ORA_FILE: u64 = 16 * MIB;

/// Reads the whole file at `path`, refusing (without reading it) a file over `max` bytes.
/// The error reads `it is N bytes, more than the M MiB limit for WHAT; is it the right
/// file?` and is an ordinary [`io::Error`] so callers name the file as they already do.
///
/// Only a regular file is read: a FIFO, a device (`/dev/zero`), a socket or a directory
/// is refused at once. The file is opened with `O_NONBLOCK`, so opening a FIFO nobody
/// writes to does not hang, and checked with `fstat` on the opened descriptor.
pub fn read_file(path: &Path, max: u64, what: &str) -> io::Result<Vec<u8>> {
    read_opened(open_regular(path, false)?, max, what)
}

/// Like [`read_file`], but a symbolic link at `path` is refused instead of followed (for
/// orakit's own bookkeeping files, which are never links).
pub fn read_file_no_link(path: &Path, max: u64, what: &str) -> io::Result<Vec<u8>> {
    read_opened(open_regular(path, true)?, max, what)
}

/// [`read_file`] for text: the bytes must be UTF-8.
pub fn read_text(path: &Path, max: u64, what: &str) -> io::Result<String> {
    String::from_utf8(read_file(path, max, what)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

fn read_opened(file: File, max: u64, what: &str) -> io::Result<Vec<u8>> {
    let size = file.metadata()?.len();
    if size > max {
        return Err(too_large(size, max, what));
    }
    // Sized for the whole file (and the one byte that tells it grew): the buffer never
    // reallocates, so a key file read here leaves no unwiped copy in freed memory once
    // the caller wipes the result.
    let capacity = usize::try_from(size.saturating_add(1)).unwrap_or(usize::MAX);
    read_into(file, Vec::with_capacity(capacity), max, what)
}

/// Opens `path` for reading without blocking on a FIFO and checks it is a regular file.
pub fn open_regular(path: &Path, no_link: bool) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC;
    if no_link {
        flags |= libc::O_NOFOLLOW;
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                io::Error::other("it is a symbolic link, which orakit does not follow here")
            } else {
                e
            }
        })?;
    if !file.metadata()?.is_file() {
        return Err(crate::fsdir::not_regular());
    }
    Ok(file)
}

/// Reads `reader` to its end (standard input, a pipe), refusing more than `max` bytes.
pub fn read_bounded(reader: impl Read, max: u64, what: &str) -> io::Result<Vec<u8>> {
    read_into(reader, Vec::new(), max, what)
}

fn read_into(reader: impl Read, mut bytes: Vec<u8>, max: u64, what: &str) -> io::Result<Vec<u8>> {
    // One byte more than allowed tells "exactly max" from "too much" (a file can grow
    // between the size check and the read; a pipe has no size).
    reader.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64, max, what));
    }
    Ok(bytes)
}

fn too_large(size: u64, max: u64, what: &str) -> io::Error {
    let shown = if size > max && size == max + 1 {
        format!("over {max} bytes")
    } else {
        format!("{size} bytes")
    };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "it is {shown}, more than the {} MiB limit for {what}; is it the right file?",
            max / MIB
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let file = File::create(&path).unwrap();
        file.set_len(3 * MIB).unwrap(); // sparse: nothing is really written or read
        let err = read_file(&path, 2 * MIB, "a test file").unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is 3145728 bytes, more than the 2 MiB limit for a test file; is it the right file?"
        );
        assert_eq!(
            read_file(&path, 3 * MIB, "x").unwrap().len() as u64,
            3 * MIB
        );
    }

    #[test]
    fn only_regular_files_are_read_and_a_fifo_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        for path in [fifo.as_path(), Path::new("/dev/zero"), dir.path()] {
            let err = read_file(path, MIB, "x").unwrap_err();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
        let link = dir.path().join("link");
        std::fs::write(dir.path().join("real"), b"r").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), &link).unwrap();
        assert_eq!(read_file(&link, MIB, "x").unwrap(), b"r");
        assert!(read_file_no_link(&link, MIB, "x").is_err());
    }

    #[test]
    fn a_stream_over_the_limit_is_refused() {
        let err = read_bounded(&[0u8; 10][..], 9, "input").unwrap_err();
        assert!(err.to_string().contains("over 9 bytes"), "{err}");
        assert_eq!(read_bounded(&[0u8; 9][..], 9, "input").unwrap().len(), 9);
    }
}
