//! Password options for the second secret some wallet commands need besides the wallet
//! password: the PKCS#12 file's (`--pkcs12-password-*`) and a PEM key's (`--key-password-*`).
//! Same sources as every password: a file, an environment variable or a prompt.

use std::path::PathBuf;

use clap::Args;

use crate::cli::exit::UsageError;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::secret::Password;

/// The password of a PKCS#12 / PFX file to import.
#[derive(Debug, Clone, Default, Args)]
pub struct Pkcs12PasswordArgs {
    /// Read the PKCS#12 password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "pkcs12_password_env")]
    pub pkcs12_password_file: Option<PathBuf>,
    /// Read the PKCS#12 password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub pkcs12_password_env: Option<String>,
}

impl Pkcs12PasswordArgs {
    pub fn sources(&self) -> PasswordArgs {
        PasswordArgs {
            password_file: self.pkcs12_password_file.clone(),
            password_env: self.pkcs12_password_env.clone(),
        }
    }
}

/// The password of a PEM private key: to decrypt one read, or to encrypt one written.
#[derive(Debug, Clone, Default, Args)]
pub struct KeyPasswordArgs {
    /// Read the private key's password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "key_password_env")]
    pub key_password_file: Option<PathBuf>,
    /// Read the private key's password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub key_password_env: Option<String>,
}

impl KeyPasswordArgs {
    pub fn sources(&self) -> PasswordArgs {
        PasswordArgs {
            password_file: self.key_password_file.clone(),
            password_env: self.key_password_env.clone(),
        }
    }
}

/// The password from `sources`, or a prompt on a terminal; without either, a usage error
/// that names the options (`flags`) this secret is given with.
pub fn require_named(
    sources: &PasswordArgs,
    what: &str,
    prompt: Prompt,
    flags: &str,
) -> anyhow::Result<Password> {
    if !sources.is_given() && !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Err(UsageError(format!(
            "{what} is needed and there is no terminal to ask on: give {flags}"
        ))
        .into());
    }
    sources.require(what, prompt)
}
