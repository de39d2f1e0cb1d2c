//! `orakit wallet export-pem`: the `ewallet.pem` python-oracledb and node-oracledb read in
//! thin mode.
//!
//! Key protection, in this order: `--pem-password-file` / `--pem-password-env` encrypt the
//! key with that password; `--unencrypted-key` writes it in clear (file mode 0600);
//! otherwise the wallet password is reused when the wallet was opened with one (the
//! convention of Oracle's own downloads, where the driver's `wallet_password` opens
//! both), and a terminal is asked for a new one when it was not. A wallet without a key
//! gives a PEM of its CA certificates and needs none of this.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::WalletArg;
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::{PasswordArgs, Prompt, read_password_file};
use crate::fsio::{self, MODE_PUBLIC, MODE_SECRET, Overwrite};
use crate::secret::Password;
use crate::wallet::pem::{PemContent, content_of, ewallet_pem};

#[derive(Debug, Args)]
pub struct ExportPemArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Output file, usually DIR/ewallet.pem.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Encrypt the key with the password in this file (first line).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["pem_password_env", "unencrypted_key"])]
    pub pem_password_file: Option<PathBuf>,
    /// Encrypt the key with the password in this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "unencrypted_key")]
    pub pem_password_env: Option<String>,
    /// Write the private key unencrypted (the file is still 0600).
    #[arg(long)]
    pub unencrypted_key: bool,
    /// The wallet password (needed for a password-only wallet).
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

pub fn export_pem(args: &ExportPemArgs) -> Result<Outcome> {
    let (opened, wallet_password) = super::open_to_read(&args.wallet, &args.password)?;
    let wallet = opened.wallet();
    let content = content_of(wallet)?;
    let key_password = match content {
        PemContent::TrustOnly => None,
        PemContent::Identity => key_password(args, wallet_password)?,
    };
    let pem = ewallet_pem(wallet, key_password.as_ref())?;
    let mode = if content == PemContent::Identity {
        MODE_SECRET
    } else {
        MODE_PUBLIC
    };
    fsio::write_atomic(
        &args.out,
        pem.as_bytes(),
        mode,
        Overwrite::from_force(args.force),
    )?;
    let what = match (content, &key_password) {
        (PemContent::TrustOnly, _) => "the CA certificates",
        (PemContent::Identity, Some(_)) => {
            "the encrypted key (PBES2/AES-256), its certificate and the CA certificates"
        }
        (PemContent::Identity, None) => {
            "the UNENCRYPTED key, its certificate and the CA certificates"
        }
    };
    eprintln!("wrote {what} to {}", args.out.display());
    Ok(Outcome::Success)
}

fn key_password(
    args: &ExportPemArgs,
    wallet_password: Option<Password>,
) -> Result<Option<Password>> {
    if args.unencrypted_key {
        return Ok(None);
    }
    if let Some(path) = &args.pem_password_file {
        return read_password_file(path).map(Some);
    }
    if let Some(var) = &args.pem_password_env {
        let pem_args = PasswordArgs {
            password_file: None,
            password_env: Some(var.clone()),
        };
        return pem_args.resolve("the PEM password", Prompt::Never);
    }
    if let Some(p) = wallet_password {
        return Ok(Some(p));
    }
    if std::io::stdin().is_terminal() {
        let asked =
            PasswordArgs::default().require("a password for the PEM key", Prompt::Confirm)?;
        return Ok(Some(asked));
    }
    Err(UsageError(
        "the wallet holds a private key: give --pem-password-file or --pem-password-env to encrypt it, the wallet password (--password-file/--password-env) to reuse it, or --unencrypted-key".into(),
    )
    .into())
}
