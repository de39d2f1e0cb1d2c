//! Where passwords come from: `--password-file PATH|-`, `--password-env VAR`, or a prompt
//! on a terminal. Never from the command line itself, where `ps` and shell history see it.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::cli::exit::UsageError;
use crate::secret::Password;

/// The password options shared by every command that needs one secret.
#[derive(Debug, Clone, Default, Args)]
pub struct PasswordArgs {
    /// Read the password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "password_env")]
    pub password_file: Option<PathBuf>,
    /// Read the password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
}

/// What to do when no source was given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Ask once (opening something that exists).
    Once,
    /// Ask twice and compare (creating something new).
    Confirm,
    /// Do not prompt; no source means no password.
    Never,
}

impl PasswordArgs {
    pub fn is_given(&self) -> bool {
        self.password_file.is_some() || self.password_env.is_some()
    }

    /// Resolves the password, or `None` when no source was given and `prompt` is `Never`.
    pub fn resolve(&self, what: &str, prompt: Prompt) -> Result<Option<Password>> {
        if let Some(path) = &self.password_file {
            return read_password_file(path).map(Some);
        }
        if let Some(var) = &self.password_env {
            return read_password_env(var).map(Some);
        }
        match prompt {
            Prompt::Never => Ok(None),
            Prompt::Once => prompt_for(what, false).map(Some),
            Prompt::Confirm => prompt_for(what, true).map(Some),
        }
    }

    /// Like [`resolve`](Self::resolve) but a password is required.
    pub fn require(&self, what: &str, prompt: Prompt) -> Result<Password> {
        match self.resolve(what, prompt)? {
            Some(p) => Ok(p),
            None => Err(UsageError(format!(
                "{what} is needed: give --password-file PATH or --password-env VAR"
            ))
            .into()),
        }
    }
}

/// Reads a password file: the first line, without its line ending. `-` is standard input.
pub fn read_password_file(path: &PathBuf) -> Result<Password> {
    // One buffer, sized before reading and never grown (a reallocation would leave an
    // unwiped copy of the password in freed memory); only the first line is used, so
    // reading stops at MAX_PASSWORD_FILE bytes.
    const MAX_PASSWORD_FILE: usize = 64 * 1024;
    let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(MAX_PASSWORD_FILE));
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_PASSWORD_FILE as u64)
            .read_to_end(&mut bytes)
            .context("cannot read the password from standard input")?;
    } else {
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot read password file {}", path.display()))?;
        file.take(MAX_PASSWORD_FILE as u64)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read password file {}", path.display()))?;
    }
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let mut line = bytes[..line_end].to_vec();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    let source = if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        format!("password file {}", path.display())
    };
    if line.is_empty() {
        bail!("{source} is empty: put the password on its first line");
    }
    Password::from_utf8(line).with_context(|| format!("{source} is not valid UTF-8 text"))
}

fn read_password_env(var: &str) -> Result<Password> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Ok(Password::new(value)),
        Ok(_) => bail!("environment variable {var} is empty: set it to the password"),
        Err(std::env::VarError::NotPresent) => {
            bail!("environment variable {var} is not set: export it, or use --password-file")
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("environment variable {var} is not valid UTF-8 text")
        }
    }
}

fn prompt_for(what: &str, confirm: bool) -> Result<Password> {
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(format!(
            "{what} is needed and there is no terminal to ask on: \
             give --password-file PATH (or -) or --password-env VAR"
        ))
        .into());
    }
    let first = Password::new(
        rpassword::prompt_password(format!("Enter {what}: "))
            .context("cannot read the password from the terminal")?,
    );
    if first.is_empty() {
        bail!("the password is empty");
    }
    if confirm {
        let second = Password::new(
            rpassword::prompt_password(format!("Enter {what} again: "))
                .context("cannot read the password from the terminal")?,
        );
        if first != second {
            bail!("the two passwords differ; nothing was written");
        }
    }
    Ok(first)
}
