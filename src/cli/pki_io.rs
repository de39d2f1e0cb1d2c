//! What the PKI commands share: key type choice, reading inputs with the file name in
//! every error, password sources for keys, writing outputs, the JSON envelope.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cli::exit::UsageError;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::fsio::{self, Overwrite, PlannedFile};
use crate::limits::MAX_PKI_FILE;
use crate::pki::key::{Curve, KeySpec, PrivateKey};
use crate::secret::Password;

/// Key type and size in one value: `rsa2048` is orakit's default because every Oracle
/// release reads it; EC keys need Oracle 12.2 or later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum KeyType {
    // `rsa` and `ec` are the old `net --key-type` spellings (docs/cli-names.md).
    #[default]
    #[value(alias = "rsa")]
    Rsa2048,
    Rsa3072,
    Rsa4096,
    #[value(alias = "ec")]
    P256,
    P384,
    P521,
}

impl KeyType {
    pub fn spec(self) -> KeySpec {
        match self {
            Self::Rsa2048 => KeySpec::Rsa { bits: 2048 },
            Self::Rsa3072 => KeySpec::Rsa { bits: 3072 },
            Self::Rsa4096 => KeySpec::Rsa { bits: 4096 },
            Self::P256 => KeySpec::Ec { curve: Curve::P256 },
            Self::P384 => KeySpec::Ec { curve: Curve::P384 },
            Self::P521 => KeySpec::Ec { curve: Curve::P521 },
        }
    }
}

/// `--key-type` and `--encrypt` for commands that may generate a key.
#[derive(Debug, Clone, Args)]
pub struct NewKeyArgs {
    /// Type and size of a new key: rsa2048 (default), rsa3072, rsa4096, p256, p384, p521.
    #[arg(
        long,
        value_enum,
        value_name = "TYPE",
        default_value_t = KeyType::Rsa2048,
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub key_type: KeyType,
    /// Encrypt the new key (PBES2, AES-256); asks for the password on a terminal unless
    /// --password-file or --password-env gives it.
    #[arg(long)]
    pub encrypt: bool,
}

/// Reads a file (or standard input for `-`), naming it in the error.
pub fn read_input(path: &Path, what: &str) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        return crate::limits::read_bounded(
            std::io::stdin(),
            MAX_PKI_FILE,
            "keys and certificates",
        )
        .with_context(|| format!("cannot read the {what} from standard input"));
    }
    crate::limits::read_file(path, MAX_PKI_FILE, "keys and certificates")
        .map_err(|e| anyhow!("cannot read {what} {}: {e}", path.display()))
}

/// Turns a PKI error into one line naming the file: `CA key ca.key: it holds ...`.
pub fn in_file(what: &str, path: &Path) -> impl FnOnce(crate::pki::Error) -> anyhow::Error {
    let prefix = format!("{what} {}", path.display());
    move |e| anyhow!("{prefix}: {e}")
}

/// Reads a private key, asking for its password only when it is encrypted.
pub fn load_key(path: &Path, what: &str, passwords: &PasswordArgs) -> Result<PrivateKey> {
    let bytes = zeroize::Zeroizing::new(read_input(path, what)?);
    let password = if PrivateKey::is_encrypted(&bytes) {
        let prompt_what = format!("the password of {what} {}", path.display());
        Some(passwords.require(&prompt_what, Prompt::Once)?)
    } else {
        None
    };
    PrivateKey::from_pem_or_der(&bytes, password.as_ref()).map_err(|e| {
        let hint = match e {
            crate::pki::Error::PasswordNeeded => "; give --password-file or --password-env",
            _ => "",
        };
        anyhow!("{what} {}: {e}{hint}", path.display())
    })
}

/// The password for a key orakit writes: given explicitly, or prompted for with
/// `--encrypt`; none means the key is written unencrypted.
pub fn new_key_password(
    passwords: &PasswordArgs,
    encrypt: bool,
    path: &Path,
) -> Result<Option<Password>> {
    if passwords.is_given() || encrypt {
        let what = format!("a password for the new key {}", path.display());
        passwords.resolve(&what, Prompt::Confirm)
    } else {
        Ok(None)
    }
}

/// Whether `path` already holds a private key of `spec` (opened with the password when
/// it is encrypted): what makes a rerun of a key-generating command a no-op.
pub fn holds_key_of(path: &Path, spec: crate::pki::key::KeySpec, passwords: &PasswordArgs) -> bool {
    path.is_file() && load_key(path, "key", passwords).is_ok_and(|key| key.spec() == spec)
}

/// Fails early, before any slow work, when an output exists and --force is not given.
pub fn refuse_existing(paths: &[&Path], force: bool) -> Result<()> {
    if !force {
        for path in paths {
            if path.symlink_metadata().is_ok() {
                return Err(fsio::WriteError::Exists(path.to_path_buf()).into());
            }
        }
    }
    Ok(())
}

/// Writes all outputs together (all of them or none), then wipes the buffers: some of
/// them hold private keys.
pub fn write_outputs(mut files: Vec<PlannedFile>, force: bool) -> Result<()> {
    let result = fsio::write_all_atomic(&files, Overwrite::from_force(force));
    for file in &mut files {
        zeroize::Zeroize::zeroize(&mut file.contents);
    }
    result?;
    Ok(())
}

/// A file a command wrote, for its status line and JSON.
#[derive(Debug, Serialize)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub mode: String,
    pub kind: &'static str,
}

impl WrittenFile {
    pub fn new(path: &Path, mode: u32, kind: &'static str) -> Self {
        Self {
            path: path.to_path_buf(),
            mode: format!("{mode:04o}"),
            kind,
        }
    }
}

/// Prints a JSON document to standard output, with the scripting contract's fields
/// (`schema_version`, and for a command that writes `changed` / `changes`: cli/output.rs).
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    crate::cli::output::print_json(value)
}

/// `unencrypted` / `encrypted with PBES2/AES-256`.
pub fn encryption_note(password: Option<&Password>) -> &'static str {
    if password.is_some() {
        "encrypted, PBES2 AES-256-CBC"
    } else {
        "unencrypted"
    }
}

/// Where a command's signing key comes from: an existing file (`--key`) or a new key
/// (`--key-out`), whose PEM joins the command's other outputs so all are written together.
pub struct KeyChoice<'a> {
    pub existing: Option<&'a Path>,
    pub new_out: Option<&'a Path>,
    pub password: &'a PasswordArgs,
    pub new_key: &'a NewKeyArgs,
    /// How messages name the key: "key", "CA key".
    pub label: &'a str,
    /// The usage error when neither `--key` nor `--key-out` was given.
    pub missing_hint: &'a str,
}

/// The loaded or generated key, plus a line for stderr when a new key file is queued.
pub fn obtain_key(
    choice: &KeyChoice<'_>,
    files: &mut Vec<PlannedFile>,
    written: &mut Vec<WrittenFile>,
) -> Result<(PrivateKey, Option<String>)> {
    match (choice.existing, choice.new_out) {
        (Some(path), _) => {
            let key = load_key(path, choice.label, choice.password)?;
            key.signer().map_err(in_file(choice.label, path))?;
            Ok((key, None))
        }
        (None, Some(key_out)) => {
            let password = new_key_password(choice.password, choice.new_key.encrypt, key_out)?;
            let key = PrivateKey::generate(choice.new_key.key_type.spec())?;
            let pem = key.to_pkcs8_pem(password.as_ref())?;
            files.push(PlannedFile::new(
                key_out,
                pem.as_bytes().to_vec(),
                fsio::MODE_SECRET,
            ));
            written.push(WrittenFile::new(key_out, fsio::MODE_SECRET, "private key"));
            let note = format!(
                "{} {} {} {} (mode 0600, {})",
                crate::cli::output::verb("Wrote", "Would write"),
                key.description(),
                // "key" -> "private key", "CA key" -> "CA private key"
                choice.label.replace("key", "private key"),
                key_out.display(),
                encryption_note(password.as_ref())
            );
            Ok((key, Some(note)))
        }
        (None, None) => Err(UsageError(choice.missing_hint.to_owned()).into()),
    }
}

/// Why `path`, which exists, cannot be read as a certificate: the difference a rerun
/// check reports.
pub fn existing_certificate(path: &Path) -> std::result::Result<x509_cert::Certificate, String> {
    let bytes = crate::limits::read_file_no_link(path, MAX_PKI_FILE, "keys and certificates")
        .map_err(|e| format!("cannot be read ({e})"))?;
    crate::pki::cert::read_certificate(&bytes).map_err(|e| format!("not a certificate ({e})"))
}

/// The request at `path` (which exists), or why it is not one.
pub fn existing_request(path: &Path) -> std::result::Result<crate::pki::csr::Csr, String> {
    let bytes = crate::limits::read_file_no_link(path, MAX_PKI_FILE, "keys and certificates")
        .map_err(|e| format!("cannot be read ({e})"))?;
    crate::pki::csr::Csr::from_pem_or_der(&bytes)
        .map_err(|e| format!("not a certificate request ({e})"))
}

/// The refusal of an output that exists and is not what was asked: the file, the
/// difference and the fix.
pub fn refuse_different(path: &Path, difference: &str) -> anyhow::Error {
    anyhow!(
        "{} already exists and is not what was asked: {difference}; pass --force to replace it",
        path.display()
    )
}

/// The key a rerun check compares with: `--key`, or the key `--key-out` already holds
/// (of the type asked for). `Err(difference)` when `--key-out` holds none.
pub fn rerun_key(choice: &KeyChoice<'_>) -> Result<std::result::Result<PrivateKey, String>> {
    match (choice.existing, choice.new_out) {
        (Some(path), _) => Ok(Ok(load_key(path, choice.label, choice.password)?)),
        (None, Some(key_out)) => {
            let spec = choice.new_key.key_type.spec();
            if key_out.symlink_metadata().is_err() {
                return Ok(Err(format!(
                    "the {} {} is not there",
                    choice.label,
                    key_out.display()
                )));
            }
            if !holds_key_of(key_out, spec, choice.password) {
                return Ok(Err(format!(
                    "the {} {} does not hold {} key",
                    choice.label,
                    key_out.display(),
                    crate::text::with_article(&spec.description())
                )));
            }
            Ok(Ok(load_key(key_out, choice.label, choice.password)?))
        }
        (None, None) => Err(UsageError(choice.missing_hint.to_owned()).into()),
    }
}
