//! Whether a planned file would change what is on disk: the test that lets a rerun of a
//! command leave every byte and mtime alone.

use std::fs;
use std::io::Read;

use crate::fsio::PlannedFile;

/// How a planned file compares with its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileState {
    /// Nothing is there (a dangling link counts as something: writing replaces it).
    Absent,
    /// A regular file with exactly these bytes, this mode and (when one is asked for)
    /// this owner.
    Same,
    /// Anything else.
    Differs,
}

/// Compares `file` with its target without following a link at the target.
pub fn file_state(file: &PlannedFile) -> FileState {
    let Ok(meta) = file.path.symlink_metadata() else {
        return FileState::Absent;
    };
    if !meta.is_file() || meta.len() != file.contents.len() as u64 {
        return FileState::Differs;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.mode() & 0o7777 != file.mode {
            return FileState::Differs;
        }
        if let Some((uid, gid)) = file.owner
            && (meta.uid(), meta.gid()) != (uid, gid)
        {
            return FileState::Differs;
        }
    }
    if same_bytes(&file.path, &file.contents) {
        FileState::Same
    } else {
        FileState::Differs
    }
}

/// Whether the file at `path` holds exactly `expected` (read in pieces: the file may be a
/// wallet or a key, so no copy of it outlives the comparison).
fn same_bytes(path: &std::path::Path, expected: &[u8]) -> bool {
    let Ok(mut handle) = fs::File::open(path) else {
        return false;
    };
    let mut buffer = zeroize::Zeroizing::new(vec![0u8; 64 * 1024]);
    let mut offset = 0usize;
    loop {
        let n = match handle.read(&mut buffer) {
            Ok(0) => return offset == expected.len(),
            Ok(n) => n,
            Err(_) => return false,
        };
        let end = offset + n;
        if end > expected.len() || buffer[..n] != expected[offset..end] {
            return false;
        }
        offset = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsio::{MODE_PUBLIC, MODE_SECRET};

    #[test]
    fn same_bytes_and_mode_are_same_anything_else_differs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pem");
        let planned = PlannedFile::new(&path, b"abc".to_vec(), MODE_PUBLIC);
        assert_eq!(file_state(&planned), FileState::Absent);
        crate::fsio::write_atomic(&path, b"abc", MODE_PUBLIC, crate::fsio::Overwrite::Refuse)
            .unwrap();
        assert_eq!(file_state(&planned), FileState::Same);
        let other_mode = PlannedFile::new(&path, b"abc".to_vec(), MODE_SECRET);
        assert_eq!(file_state(&other_mode), FileState::Differs);
        let other_bytes = PlannedFile::new(&path, b"abd".to_vec(), MODE_PUBLIC);
        assert_eq!(file_state(&other_bytes), FileState::Differs);
        let longer = PlannedFile::new(&path, b"abcd".to_vec(), MODE_PUBLIC);
        assert_eq!(file_state(&longer), FileState::Differs);
    }
}
