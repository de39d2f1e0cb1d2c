//! A wallet on disk: a directory with `ewallet.p12` and/or `cwallet.sso` (a path to
//! either file is accepted too). Opening picks the right file; saving rewrites every file
//! of the wallet together, atomically, mode 0600, while an exclusive lock is held on the
//! `ewallet.p12.lck` / `cwallet.sso.lck` files orapki uses.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::commit;
use super::model::Wallet;
use super::p12::{self, Decoded, P12Error};
use super::sameness;
use super::sso::{self, Header, LocalBinding, LocalIdentity, Mapping, SsoError, SsoKind};
use crate::changes::{self, FileAction};
use crate::filelock;
use crate::fsio::{MODE_SECRET, Overwrite, PlannedFile, WriteError};
use crate::secret::Password;

pub const P12_NAME: &str = "ewallet.p12";
pub const SSO_NAME: &str = "cwallet.sso";
pub const LOCK_NAMES: [&str; 2] = ["ewallet.p12.lck", "cwallet.sso.lck"];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{} holds no wallet: neither {P12_NAME} nor {SSO_NAME} is there (create one with `orakit wallet create`)", .0.display())]
    NoWallet(PathBuf),
    #[error("{} does not exist", .0.display())]
    NotFound(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{} needs the wallet password (give --password-file or --password-env)", .0.display())]
    PasswordRequired(PathBuf),
    #[error("cannot open {}: {source}", path.display())]
    Sso { path: PathBuf, source: SsoError },
    #[error("cannot open {}: {source}", path.display())]
    P12 { path: PathBuf, source: P12Error },
    #[error("{0}")]
    Write(#[from] WriteError),
    #[error("cannot lock the wallet in {}: {source}", path.display())]
    Lock { path: PathBuf, source: io::Error },
    #[error(
        "{} is a local auto-login wallet (kind 0x38): writing it needs the host name and OS user it is bound to",
        .0.display()
    )]
    LocalIdentityRequired(PathBuf),
    #[error("cannot remove {}: {source}", path.display())]
    Remove { path: PathBuf, source: io::Error },
    #[error(
        "{} has no MAC: the file has no integrity protection, so any password opens it and anyone who could write it may have changed its certificates; nothing was read. If you trust the file, open it with --allow-no-mac (a change then writes it back with a MAC)",
        .0.display()
    )]
    NoMac(PathBuf),
    #[error(
        "refusing to change the wallet in {}: other users may write to it (mode {:04o}) and could swap its files; run `chmod go-w {}` first",
        .0.display(), .1, .0.display()
    )]
    SharedDirectory(PathBuf, u32),
    #[error(
        "{} is a PEM file ({}), not a wallet: give the wallet directory or its ewallet.p12 / cwallet.sso{}",
        .path.display(), .what, .hint
    )]
    PemNotWallet {
        path: PathBuf,
        what: &'static str,
        hint: String,
    },
}

/// How a wallet is protected, orapki's four kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WalletType {
    /// `ewallet.p12` only.
    Password,
    /// `ewallet.p12` + `cwallet.sso` (0x36).
    AutoLogin,
    /// `cwallet.sso` only (0x37).
    AutoLoginOnly,
    /// `ewallet.p12` + a host-bound `cwallet.sso` (0x38, orapki `-auto_login_local`).
    /// Such a wallet opens only on one host for one OS user: it must not travel.
    LocalAutoLogin,
}

impl WalletType {
    /// Whether the wallet opens without a password only on the host and for the OS user
    /// it was made for (callers that ship wallets elsewhere refuse these).
    pub fn is_host_bound(self) -> bool {
        self == Self::LocalAutoLogin
    }
    pub fn has_p12(self) -> bool {
        !matches!(self, Self::AutoLoginOnly)
    }
    pub fn has_sso(self) -> bool {
        !matches!(self, Self::Password)
    }
}

/// Where a wallet's files are.
#[derive(Clone, Debug)]
pub struct WalletPaths {
    pub dir: PathBuf,
    pub p12: PathBuf,
    pub sso: PathBuf,
    /// The single file the user named, when a file path (not a directory) was given.
    pub named_file: Option<PathBuf>,
    /// Open an `ewallet.p12` that has no MAC (no integrity protection) with a password;
    /// refused unless set (`--allow-no-mac`).
    pub allow_no_mac: bool,
}

impl WalletPaths {
    /// The paths of a wallet in `dir` (which need not exist yet).
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            p12: dir.join(P12_NAME),
            sso: dir.join(SSO_NAME),
            named_file: None,
            allow_no_mac: false,
        }
    }

    /// A wallet directory, or one of its files.
    pub fn locate(path: &Path) -> Result<Self, StoreError> {
        if path.is_dir() {
            return Ok(Self::in_dir(path));
        }
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut paths = Self::in_dir(&dir);
        let bytes = read_file(path)?;
        // Said before any password is asked: a PEM file never opens as a wallet.
        if let Some(what) = pem_kind(&bytes) {
            let hint = match what {
                "a certificate" | "a certificate request" => format!(
                    " (to read {what}, run `orakit cert show {}`)",
                    path.display()
                ),
                _ => String::new(),
            };
            return Err(StoreError::PemNotWallet {
                path: path.to_path_buf(),
                what,
                hint,
            });
        }
        if is_sso_file(path, &bytes) {
            paths.sso = path.to_path_buf();
        } else {
            paths.p12 = path.to_path_buf();
        }
        paths.named_file = Some(path.to_path_buf());
        Ok(paths)
    }

    /// Whether the wallet's `cwallet.sso` is a local auto-login (0x38) one, with or
    /// without an `ewallet.p12` beside it.
    pub fn is_host_bound(&self) -> Result<bool, StoreError> {
        if !self.sso.is_file() {
            return Ok(false);
        }
        Ok(read_file(&self.sso)?.get(3) == Some(&SsoKind::Local.byte()))
    }

    /// The wallet type the files on disk make up, or `None` when there are none.
    pub fn existing_type(&self) -> Result<Option<WalletType>, StoreError> {
        let p12 = self.p12.is_file();
        let sso = self.sso.is_file();
        Ok(match (p12, sso) {
            (false, false) => None,
            (true, false) => Some(WalletType::Password),
            (false, true) => Some(WalletType::AutoLoginOnly),
            (true, true) => {
                let bytes = read_file(&self.sso)?;
                if bytes.get(3) == Some(&SsoKind::Local.byte()) {
                    Some(WalletType::LocalAutoLogin)
                } else {
                    Some(WalletType::AutoLogin)
                }
            }
        })
    }
}

/// What a PEM file holds, from its first `-----BEGIN` line; `None` when the bytes are
/// not PEM.
fn pem_kind(bytes: &[u8]) -> Option<&'static str> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let label = bytes[start..].strip_prefix(b"-----BEGIN ")?;
    Some(
        if label.starts_with(b"CERTIFICATE REQUEST")
            || label.starts_with(b"NEW CERTIFICATE REQUEST")
        {
            "a certificate request"
        } else if label.starts_with(b"CERTIFICATE") || label.starts_with(b"TRUSTED CERTIFICATE") {
            "a certificate"
        } else if label.starts_with(b"PKCS7") {
            "a PKCS#7 bundle"
        } else if label.windows(11).take(40).any(|w| w == b"PRIVATE KEY") {
            "a private key"
        } else {
            "PEM data"
        },
    )
}

fn is_sso_file(path: &Path, bytes: &[u8]) -> bool {
    bytes.starts_with(&sso::MAGIC) || path.file_name().is_some_and(|n| n == SSO_NAME)
}

fn read_file(path: &Path) -> Result<Vec<u8>, StoreError> {
    crate::limits::read_file(path, crate::limits::MAX_WALLET_FILE, "wallet files").map_err(
        |source| StoreError::Read {
            path: path.to_path_buf(),
            source,
        },
    )
}

/// Which file a wallet was read from and what its container said.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: PathBuf,
    pub size: usize,
    /// The sso header when the wallet was read from a `cwallet.sso`.
    pub sso_header: Option<Header>,
    /// For a local auto-login sso: the identity and byte mapping that opened it.
    pub local: Option<(LocalIdentity, Mapping)>,
    pub pkcs12: Decoded,
}

/// An opened wallet.
#[derive(Clone, Debug)]
pub struct Opened {
    pub paths: WalletPaths,
    /// `None` when a single file was named and the type of the whole wallet is unknown.
    pub wallet_type: Option<WalletType>,
    pub source: Source,
}

impl Opened {
    pub fn wallet(&self) -> &Wallet {
        &self.source.pkcs12.wallet
    }
}

/// Reads `ewallet.p12` with the password (when one is given and the file exists),
/// otherwise `cwallet.sso`. A named file is read as it is.
pub fn open(
    paths: &WalletPaths,
    password: Option<&Password>,
    local: Option<&LocalIdentity>,
) -> Result<Opened, StoreError> {
    if commit::interrupted(&paths.dir) {
        // A writer was killed after its commit point: finish its change first, so this
        // read sees both files in step.
        recover_for_reader(&paths.dir)?;
    }
    let wallet_type = if paths.named_file.is_some() {
        None
    } else {
        paths.existing_type()?
    };
    let read_p12 = match &paths.named_file {
        Some(named) => *named == paths.p12,
        None => match wallet_type {
            None => return Err(StoreError::NoWallet(paths.dir.clone())),
            Some(WalletType::Password) => true,
            Some(WalletType::AutoLoginOnly) => false,
            Some(_) => password.is_some(),
        },
    };
    let source = if read_p12 {
        let password = password.ok_or_else(|| StoreError::PasswordRequired(paths.p12.clone()))?;
        open_p12_with(&paths.p12, password, paths.allow_no_mac)?
    } else {
        open_sso(&paths.sso, local)?
    };
    Ok(Opened {
        paths: paths.clone(),
        wallet_type,
        source,
    })
}

/// Reads an `ewallet.p12` file; one without a MAC is refused ([`StoreError::NoMac`]).
pub fn open_p12(path: &Path, password: &Password) -> Result<Source, StoreError> {
    open_p12_with(path, password, false)
}

/// Reads an `ewallet.p12` file, accepting one without a MAC when `allow_no_mac` is set.
/// Without a MAC the password proves nothing: an unencrypted safe opens with any.
pub fn open_p12_with(
    path: &Path,
    password: &Password,
    allow_no_mac: bool,
) -> Result<Source, StoreError> {
    let bytes = read_file(path)?;
    if bytes.is_empty() {
        return Err(StoreError::P12 {
            path: path.to_path_buf(),
            source: P12Error::Malformed("the file is empty".into()),
        });
    }
    let pkcs12 = p12::read(&bytes, password.as_bytes()).map_err(|source| StoreError::P12 {
        path: path.to_path_buf(),
        source,
    })?;
    if pkcs12.mac.is_none() && !allow_no_mac {
        return Err(StoreError::NoMac(path.to_path_buf()));
    }
    Ok(Source {
        file: path.to_path_buf(),
        size: bytes.len(),
        sso_header: None,
        local: None,
        pkcs12,
    })
}

/// Reads a `cwallet.sso` file.
pub fn open_sso(path: &Path, local: Option<&LocalIdentity>) -> Result<Source, StoreError> {
    let bytes = read_file(path)?;
    let decoded = sso::read(&bytes, local).map_err(|source| StoreError::Sso {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Source {
        file: path.to_path_buf(),
        size: bytes.len(),
        sso_header: Some(decoded.header),
        local: decoded.local,
        pkcs12: decoded.pkcs12,
    })
}

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
    let check = changes::check_mode();
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

/// The bytes of every file of a wallet of `wallet_type` (not a local one: see
/// [`encode_with_identity`]).
pub fn encode(
    paths: &WalletPaths,
    wallet: &Wallet,
    wallet_type: WalletType,
    password: Option<&Password>,
) -> Result<Vec<PlannedFile>, StoreError> {
    encode_with_identity(paths, wallet, wallet_type, password, None)
}

/// Like [`encode`]; `local` is the identity a [`WalletType::LocalAutoLogin`] wallet is
/// bound to and its header version (ignored for the other types).
pub fn encode_with_identity(
    paths: &WalletPaths,
    wallet: &Wallet,
    wallet_type: WalletType,
    password: Option<&Password>,
    local: Option<&LocalBinding>,
) -> Result<Vec<PlannedFile>, StoreError> {
    let mut files = Vec::new();
    let mac_salt = crate::pbe::random_bytes(wallet.profile.writable().mac_salt_length);
    let identity = match (wallet_type, local) {
        (WalletType::LocalAutoLogin, None) => {
            return Err(StoreError::LocalIdentityRequired(paths.sso.clone()));
        }
        (WalletType::LocalAutoLogin, Some(identity)) => Some(identity),
        _ => None,
    };
    if wallet_type.has_p12() {
        let password = password.ok_or_else(|| StoreError::PasswordRequired(paths.p12.clone()))?;
        let bytes =
            p12::write_with_mac_salt(wallet, password.as_bytes(), &mac_salt).map_err(|source| {
                StoreError::P12 {
                    path: paths.p12.clone(),
                    source,
                }
            })?;
        files.push(PlannedFile::new(&paths.p12, bytes, MODE_SECRET));
    }
    if wallet_type.has_sso() {
        let kind = if wallet_type == WalletType::AutoLogin {
            SsoKind::AutoLogin
        } else {
            SsoKind::AutoLoginOnly
        };
        let bytes = match identity {
            Some(binding) => {
                sso::write_local(wallet, &binding.identity, &binding.format, Some(&mac_salt))
            }
            None => sso::write(wallet, kind, Some(&mac_salt)),
        }
        .map_err(|source| StoreError::Sso {
            path: paths.sso.clone(),
            source,
        })?;
        files.push(PlannedFile::new(&paths.sso, bytes, MODE_SECRET));
    }
    Ok(files)
}

/// Writes every file of the wallet together (all or nothing), then removes the file a
/// type change made obsolete (for example `ewallet.p12` after a convert to
/// auto-login-only). The caller holds the [`lock`]. Not for local wallets: see
/// [`save_with_identity`].
pub fn save(
    paths: &WalletPaths,
    wallet: &Wallet,
    wallet_type: WalletType,
    password: Option<&Password>,
    overwrite: Overwrite,
) -> Result<(), StoreError> {
    save_with_identity(paths, wallet, wallet_type, password, None, overwrite)
}

/// Like [`save`]; `local` is the identity a [`WalletType::LocalAutoLogin`] wallet is
/// bound to and its header version.
pub fn save_with_identity(
    paths: &WalletPaths,
    wallet: &Wallet,
    wallet_type: WalletType,
    password: Option<&Password>,
    local: Option<&LocalBinding>,
    overwrite: Overwrite,
) -> Result<(), StoreError> {
    let obsolete: Vec<PathBuf> = [
        (!wallet_type.has_p12()).then_some(&paths.p12),
        (!wallet_type.has_sso()).then_some(&paths.sso),
    ]
    .into_iter()
    .flatten()
    .filter(|path| path.symlink_metadata().is_ok())
    .cloned()
    .collect();
    // A wallet that already holds what would be written is left as it is: no new salts,
    // no new bytes, no new mtime (see `sameness`).
    let on_disk = compare_with_disk(paths, wallet, wallet_type, password, local);
    if on_disk.all_same && obsolete.is_empty() {
        return Ok(());
    }
    if overwrite == Overwrite::Refuse
        && let Some(existing) = on_disk.existing.first()
    {
        return Err(WriteError::Exists(existing.clone()).into());
    }
    let files = encode_with_identity(paths, wallet, wallet_type, password, local)?;
    sameness::record_entry_changes(&paths.dir, on_disk.before.as_ref(), wallet);
    for file in &files {
        let action = if on_disk.existing.contains(&file.path) {
            FileAction::Modified
        } else {
            FileAction::Created
        };
        changes::file(&file.path, action);
    }
    for path in &obsolete {
        changes::file(path, FileAction::Removed);
    }
    if changes::check_mode() {
        return Ok(());
    }
    // Both files and the removal as one step that survives a kill (see `commit`).
    commit::replace(&paths.dir, &files, &obsolete)?;
    // A removed wallet file takes its orapki lock file with it (the lock stays held
    // through the open descriptor until the caller drops it).
    for path in &obsolete {
        let mut lck = path.as_os_str().to_owned();
        lck.push(".lck");
        let _ = std::fs::remove_file(PathBuf::from(lck));
    }
    Ok(())
}

/// Whether saving `wallet` as `wallet_type` would leave the files on disk as they are
/// (what `wallet create` on an existing, identical wallet checks).
pub fn save_would_change_nothing(
    paths: &WalletPaths,
    wallet: &Wallet,
    wallet_type: WalletType,
    password: Option<&Password>,
    local: Option<&LocalBinding>,
) -> bool {
    let stray = (!wallet_type.has_p12() && paths.p12.symlink_metadata().is_ok())
        || (!wallet_type.has_sso() && paths.sso.symlink_metadata().is_ok());
    !stray && compare_with_disk(paths, wallet, wallet_type, password, local).all_same
}

/// Whether the wallet on disk is the one `wallet create` asks for, whatever entries were
/// added to it since: the same type, password, encryption parameters, auto-login kind and
/// binding, and the same configuration marker (trust flags, compat_v12). A playbook that
/// creates a wallet and then fills it runs again without its create step failing.
pub fn is_created_as(
    paths: &WalletPaths,
    asked: &Wallet,
    wallet_type: WalletType,
    password: Option<&Password>,
    local: Option<&LocalBinding>,
) -> bool {
    let current = match password {
        Some(password) if wallet_type.has_p12() => {
            open_p12(&paths.p12, password).map(|s| s.pkcs12.wallet)
        }
        _ => open_sso(&paths.sso, local.map(|b| &b.identity)).map(|s| s.pkcs12.wallet),
    };
    let Ok(current) = current else {
        return false;
    };
    let marker = |w: &Wallet| super::config_marker::find(w).map(|(_, config)| config);
    if marker(&current) != marker(asked) {
        return false;
    }
    let candidate = Wallet {
        entries: current.entries,
        profile: asked.profile,
    };
    save_would_change_nothing(paths, &candidate, wallet_type, password, local)
}

/// How the wallet files on disk compare with what a save would write.
struct OnDisk {
    /// Every file of `wallet_type` is there and already holds the wallet.
    all_same: bool,
    /// The files of `wallet_type` that exist now.
    existing: Vec<PathBuf>,
    /// What the wallet held before, when a file of it opened.
    before: Option<Wallet>,
}

fn compare_with_disk(
    paths: &WalletPaths,
    wallet: &Wallet,
    wallet_type: WalletType,
    password: Option<&Password>,
    local: Option<&LocalBinding>,
) -> OnDisk {
    let mut all_same = true;
    let mut existing = Vec::new();
    let mut before = None;
    if wallet_type.has_p12() {
        let exists = paths.p12.symlink_metadata().is_ok();
        let (same, held) = match (exists, password) {
            (true, Some(password)) => sameness::p12_matches(&paths.p12, wallet, password),
            _ => (false, None),
        };
        if exists {
            existing.push(paths.p12.clone());
        }
        all_same &= same;
        before = before.or(held);
    }
    if wallet_type.has_sso() {
        let exists = paths.sso.symlink_metadata().is_ok();
        let kind = match wallet_type {
            WalletType::AutoLogin => SsoKind::AutoLogin,
            WalletType::LocalAutoLogin => SsoKind::Local,
            _ => SsoKind::AutoLoginOnly,
        };
        let (same, held) = if exists {
            sameness::sso_matches(&paths.sso, wallet, kind, local)
        } else {
            (false, None)
        };
        if exists {
            existing.push(paths.sso.clone());
        }
        all_same &= same;
        before = before.or(held);
    }
    if before.is_none() {
        // A type change: the wallet's entries are in the file about to go.
        before = match password {
            Some(password) if paths.p12.is_file() => open_p12_with(&paths.p12, password, true)
                .ok()
                .map(|s| s.pkcs12.wallet),
            _ if paths.sso.is_file() => open_sso(&paths.sso, local.map(|b| &b.identity))
                .ok()
                .map(|s| s.pkcs12.wallet),
            _ => None,
        };
    }
    OnDisk {
        all_same,
        existing,
        before,
    }
}

/// orapki's rule for new wallet passwords: at least 8 characters, letters combined with
/// digits or special characters. Returns what is wrong.
pub fn check_new_password(password: &Password) -> Result<(), &'static str> {
    let text = password.as_str();
    if password.char_count() < 8 {
        return Err("a wallet password needs at least 8 characters (orapki's rule)");
    }
    let letters = text.chars().any(char::is_alphabetic);
    let others = text.chars().any(|c| !c.is_alphabetic());
    if !(letters && others) {
        return Err(
            "a wallet password must combine letters with digits or special characters (orapki's rule)",
        );
    }
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

    #[test]
    fn orapki_password_rules() {
        assert!(check_new_password(&Password::new("short1".into())).is_err());
        assert!(check_new_password(&Password::new("onlyletters".into())).is_err());
        assert!(check_new_password(&Password::new("letters4and".into())).is_ok());
    }
}
