//! `--ca-key-password-file` / `--ca-key-password-env`: the password of an encrypted CA key
//! (`ca/ca.key`), for the `tcps` commands that sign with or write a CA. The same names
//! `tcps issue` and `csr sign` use; `--ca-password-*` are accepted as aliases.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use crate::cli::exit::UsageError;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::secret::Password;
use crate::tcps::ca_store;

#[derive(Debug, Clone, Default, Args)]
pub struct CaKeyPasswordArgs {
    /// Read the CA key's password from this file (first line; `-` reads standard input).
    #[arg(
        long,
        value_name = "PATH",
        alias = "ca-password-file",
        conflicts_with = "ca_key_password_env"
    )]
    pub ca_key_password_file: Option<PathBuf>,
    /// Read the CA key's password from this environment variable.
    #[arg(long, value_name = "VAR", alias = "ca-password-env")]
    pub ca_key_password_env: Option<String>,
}

impl CaKeyPasswordArgs {
    fn as_password_args(&self) -> PasswordArgs {
        PasswordArgs {
            password_file: self.ca_key_password_file.clone(),
            password_env: self.ca_key_password_env.clone(),
        }
    }

    pub fn is_given(&self) -> bool {
        self.as_password_args().is_given()
    }

    /// The password to open the CA key in `ca_dir`: none when the key is not encrypted (or
    /// not there),
    /// else from the options or a prompt on a terminal.
    pub fn for_reading(&self, ca_dir: &Path) -> Result<Option<Password>> {
        // A missing key is reported by the command that reads it, in its context.
        if !ca_dir.join(ca_store::KEY_NAME).is_file() || !ca_store::key_is_encrypted(ca_dir)? {
            return Ok(None);
        }
        let what = format!(
            "the password of the CA key {}",
            ca_dir.join(ca_store::KEY_NAME).display()
        );
        self.resolve(&what, Prompt::Once).map(Some)
    }

    /// The password given by the options (or asked once on a terminal), whatever key it
    /// is for.
    pub fn for_reading_any(&self, what: &str) -> Result<Password> {
        self.resolve(what, Prompt::Once)
    }

    /// The password to encrypt a new CA key with (asked twice on a terminal).
    pub fn for_writing(&self, what: &str) -> Result<Password> {
        self.resolve(what, Prompt::Confirm)
    }

    fn resolve(&self, what: &str, prompt: Prompt) -> Result<Password> {
        if !self.is_given() && !std::io::stdin().is_terminal() {
            return Err(UsageError(format!(
                "{what} is needed and there is no terminal to ask on: give \
                 --ca-key-password-env VAR or --ca-key-password-file PATH"
            ))
            .into());
        }
        self.as_password_args().require(what, prompt)
    }
}

/// The CA `tcps init` signs with and the password DIR/ca/ca.key is written with: an
/// existing CA from `--ca-dir` (an encrypted key keeps its password), or none (a new
/// root); encrypted when `--encrypt-ca-key` (or a CA key password) is given.
pub fn init_ca(
    ca_dir: Option<&Path>,
    encrypt: bool,
    passwords: &CaKeyPasswordArgs,
) -> Result<(Option<crate::tcps::server::CaMaterial>, Option<Password>)> {
    match ca_dir {
        Some(dir) => {
            let opening = passwords.for_reading(dir)?;
            let stored = ca_store::read_ca_dir(dir, opening.as_ref())?;
            let writing = match opening {
                Some(p) => Some(p),
                None if encrypt || passwords.is_given() => {
                    Some(passwords.for_writing("a password for the CA key DIR/ca/ca.key")?)
                }
                None => None,
            };
            Ok((Some(stored.material), writing))
        }
        None if encrypt || passwords.is_given() => Ok((
            None,
            Some(passwords.for_writing("a password for the new CA key DIR/ca/ca.key")?),
        )),
        None => Ok((None, None)),
    }
}
