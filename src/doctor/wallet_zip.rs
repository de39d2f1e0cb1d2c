//! `doctor --tns-admin Wallet_x.zip`: an Autonomous Database wallet download checked
//! as it is, without the user unzipping it.
//!
//! The checks read Oracle Net files by path, so the zip's known members (and only those,
//! by file name: no member path is ever used, so nothing can land outside) are copied
//! into a fresh 0700 directory this process creates and removes when done. Every member
//! is read through the bounded reader of `wallet::foreign`; the paths in the report are
//! then written back as `Wallet_x.zip/<member>`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::wallet::foreign::{self, Form};

/// The members of an ADB wallet zip the doctor reads (Oracle Net files and every wallet
/// form the download ships).
const MEMBERS: [&str; 9] = [
    "sqlnet.ora",
    "tnsnames.ora",
    "listener.ora",
    "cwallet.sso",
    "ewallet.p12",
    "ewallet.pem",
    "keystore.jks",
    "truststore.jks",
    "ojdbc.properties",
];

/// The zip's members in a private directory, removed on drop.
#[derive(Debug)]
pub struct Unpacked {
    pub dir: PathBuf,
}

impl Drop for Unpacked {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Whether `path` is a file that starts like a zip archive.
pub fn is_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && foreign::detect(&head) == Some(Form::AdbZip)
}

/// Reads the zip at `path` and copies its known members into a fresh 0700 directory.
/// `Err` is one sentence naming the file, the problem and the fix.
pub fn unpack(path: &Path) -> Result<Unpacked, String> {
    let bytes = crate::limits::read_file(path, crate::limits::MAX_WALLET_FILE, "wallet zips")
        .map_err(|e| format!("cannot read the wallet zip {}: {e}", path.display()))?;
    let unreadable = |e: foreign::ForeignError| {
        format!(
            "{} is not a readable wallet zip ({e}); download the wallet again (ADB console: \
             Database connection > Download wallet) or give the unzipped directory",
            path.display()
        )
    };
    let mut found = Vec::new();
    for name in MEMBERS {
        if let Some(member) = foreign::zip_member(&bytes, name).map_err(unreadable)? {
            found.push((name, member));
        }
    }
    if !found.iter().any(|(n, _)| *n == "sqlnet.ora") {
        return Err(format!(
            "the zip {} holds no sqlnet.ora, so it is not an Oracle wallet download; give \
             --tns-admin the directory (or zip) that holds sqlnet.ora",
            path.display()
        ));
    }
    let dir = private_dir().map_err(|e| {
        format!(
            "cannot create a private directory to read {} from: {e}; set TMPDIR to a \
             writable directory",
            path.display()
        )
    })?;
    let unpacked = Unpacked { dir };
    for (name, member) in found {
        write_private(&unpacked.dir.join(name), &member).map_err(|e| {
            format!(
                "cannot copy {name} out of {}: {e}; set TMPDIR to a writable directory",
                path.display()
            )
        })?;
    }
    Ok(unpacked)
}

/// A new directory only this user can enter; `create_dir` fails on any existing name, so
/// a planted directory or link is never reused.
fn private_dir() -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir();
    let mut last = None;
    for _ in 0..8 {
        let dir = base.join(format!(
            "orakit-doctor-{}",
            hex::encode(crate::random::bytes(8))
        ));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no directory name was free")))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}
