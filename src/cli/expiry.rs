//! `orakit expiry PATH...`: what expires when, across wallets, certificate files and
//! directories. The walk is in [`crate::expiry`]; this file reads the options, the clock
//! and the password, prints, and picks the exit code (3 when anything expires soon).

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::Args;

use crate::cli::exit::Outcome;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::print_json;
use crate::expiry::{ScanOptions, scan};

#[derive(Debug, Args)]
#[command(after_help = "\
Reads wallets (a directory holding ewallet.p12 and/or cwallet.sso: ewallet.p12 with
--password-env/--password-file, else cwallet.sso), ADB Wallet_*.zip files, Java key stores
(with the password), ewallet.pem files, PEM or DER certificate files and bundles, and
directories, recursively. Symbolic links that lead out of a directory
given are not followed unless --follow-symlinks. Days left are whole days rounded down:
negative once expired.
Exit 0 when nothing expires within --within DAYS, 3 when something does, 1 on error.

EXAMPLES:
  orakit expiry /u01/app/oracle/wallet/tls
  orakit expiry --within 60 --json ./tcps-out
  orakit expiry --password-env WALLET_PASSWORD server/wallet/ewallet.p12 ca.pem")]
pub struct ExpiryArgs {
    /// Wallet directories, wallet files, certificate files or directories to search.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Count a certificate as expiring when it ends within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub within: u32,
    /// Follow symbolic links that lead out of the directories given.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Opens ewallet.p12 files (without it a wallet is read from its cwallet.sso).
    #[command(flatten)]
    pub password: PasswordArgs,
}

pub fn run(args: &ExpiryArgs) -> Result<Outcome> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs();
    let options = ScanOptions {
        password: args
            .password
            .resolve("the wallet password", Prompt::Never)?,
        follow_symlinks: args.follow_symlinks,
        now_unix: i64::try_from(now).unwrap_or(i64::MAX),
        within_days: args.within,
    };
    let report = scan(&args.paths, &options);
    if args.json {
        print_json(&report)?;
    } else {
        print!("{}", report.text());
    }
    Ok(if report.expiring > 0 {
        Outcome::ProblemsFound
    } else {
        Outcome::Success
    })
}
