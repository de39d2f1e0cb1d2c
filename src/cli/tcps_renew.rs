//! `orakit tcps renew DIR`: a new server certificate for a `tcps init` output. The work is
//! in [`crate::tcps::renew`] (and [`crate::tcps::renew_brought`] for a brought one); this file reads the options, the clock and the password.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::Args;

use crate::cli::ca_password::CaKeyPasswordArgs;
use crate::cli::exit::Outcome;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::print_json;
use crate::cli::tcps_byo::{BRING_OPTIONS, ByoArgs};
use crate::tcps::renew::{RenewSpec, renew};
use crate::tcps::renew_brought::{is_brought, needs_new_certificate, renew_brought};

#[derive(Debug, Args)]
#[command(after_help = "\
Renews only when the server certificate ends within --within DAYS (default 30), so a
second run (or a daily cron job) changes nothing; --force renews now. The new
certificate has the old one's subject and SANs, is signed by DIR/ca (a CA that did not
issue the current certificate is refused) and replaces it in the server wallet
(ewallet.p12 and cwallet.sso) on the same key (--new-key: a new key of the same type).
server/server.pem and the summary follow; the .ora files and the client wallet stay as
they are (the CA does not change).

A server certificate brought from elsewhere (`tcps init --pkcs12/--key/--tls-secret`)
has no CA in DIR: give its renewed certificate with the same options (--pkcs12 FILE,
--key FILE --cert FILE [--chain FILE], --tls-secret DIR). It replaces the server
certificate (and the key, when it is another) in the server wallet, server.pem and the
summary; its chain must end in the root the client wallet trusts (another root is
refused: see `tcps rotate-root`).

EXAMPLES:
  orakit tcps renew ./tcps-out --password-env WALLET_PASSWORD
  orakit tcps renew ./tcps-out --password-env WALLET_PASSWORD --check --json
  orakit tcps renew ./tcps-out --password-file pw.txt --force --new-key --days 730
  orakit tcps renew ./tcps-out --password-env WALLET_PASSWORD --tls-secret /run/secrets/db-tls")]
pub struct RenewArgs {
    /// The `tcps init --out` directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Validity of the new certificate in days (never past the CA's).
    #[arg(long, value_name = "DAYS", default_value_t = 365, conflicts_with_all = BRING_OPTIONS)]
    pub days: u32,
    /// Renew when the certificate ends within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub within: u32,
    /// Renew now, even when the certificate is not due.
    #[arg(long)]
    pub force: bool,
    /// Make a new key (same type) instead of keeping the current one.
    #[arg(long, conflicts_with_all = BRING_OPTIONS)]
    pub new_key: bool,
    /// Show what would change and change nothing.
    #[arg(long)]
    pub check: bool,
    /// Print a JSON report (with "changed": true|false) on standard output.
    #[arg(long)]
    pub json: bool,
    /// The server ewallet.p12 password (or a prompt on a terminal).
    #[command(flatten)]
    pub password: PasswordArgs,
    /// The password of an encrypted CA key (DIR/ca/ca.key).
    #[command(flatten)]
    pub ca_password: CaKeyPasswordArgs,
    /// The renewed certificate of a server certificate brought from elsewhere.
    #[command(flatten)]
    pub byo: ByoArgs,
}

pub fn run(args: &RenewArgs) -> Result<Outcome> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs();
    let password = args
        .password
        .require("the server wallet password", Prompt::Once)?;
    let spec = RenewSpec {
        days: args.days,
        within_days: args.within,
        force: args.force,
        new_key: args.new_key,
        check: args.check,
        now_unix: i64::try_from(now).unwrap_or(i64::MAX),
    };
    let report = if let Some(brought) = args.byo.read()? {
        renew_brought(&args.dir, &password, &brought, args.check, spec.now_unix)?
    } else if is_brought(&args.dir) {
        return Err(needs_new_certificate(&args.dir).into());
    } else {
        let ca_password = args.ca_password.for_reading(&args.dir.join("ca"))?;
        renew(&args.dir, &password, ca_password.as_ref(), &spec)?
    };
    eprint!("{}", report.text());
    if args.json {
        print_json(&report)?;
    }
    Ok(Outcome::Success)
}
