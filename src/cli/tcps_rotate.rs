//! `orakit tcps rotate-root DIR --phase trust|reissue|retire`: the phased root rotation of
//! a `tcps init` output or a `tcps issue` fleet. The work is in [`crate::tcps::rotate`];
//! this file reads the options, the clock and the passwords.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use crate::cli::ca_password::CaKeyPasswordArgs;
use crate::cli::exit::Outcome;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::{KeyType, print_json};
use crate::tcps::rotate::{self, NewRoot, Phase, RotateSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PhaseArg {
    /// 1: make (or take) the new root and trust it beside the old in every wallet.
    Trust,
    /// 2: re-issue every server certificate under the new root.
    Reissue,
    /// 3: remove the old root from every wallet.
    Retire,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Phases run in order, each after the wallets of the one before are deployed:
  trust    a new root (made in DIR/ca-new, or taken from --new-ca-dir) is trusted beside
           the old one in the server wallet(s) and the client / AWS DMS wallets
  reissue  each server certificate is re-issued under the new root (same key, subject
           and SANs); clients deployed after phase 1 trust it
  retire   the old root is removed from every wallet; a tcps init output's DIR/ca becomes
           the new CA (the old one is kept in DIR/ca-retired)
The state is kept in DIR/orakit-rotation.json: a phase that is not due is refused with
the phase to run. A rerun of a phase writes nothing and says so; --check prints the plan
and writes nothing. See docs/lifecycle.md.

EXAMPLES:
  orakit tcps rotate-root ./tcps-out --phase trust --password-env WALLET_PASSWORD --check
  orakit tcps rotate-root ./tcps-out --phase trust --password-env WALLET_PASSWORD
  orakit tcps rotate-root ./fleet --phase trust --ca-dir ./ca --new-ca-dir ./ca-2027 \\
      --client-wallet ./clients/wallet --password-env WALLET_PASSWORD")]
pub struct RotateArgs {
    /// A `tcps init --out` directory or a `tcps issue --out` fleet directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The phase to run.
    #[arg(long, value_enum)]
    pub phase: PhaseArg,
    /// Show the plan and change nothing.
    #[arg(long)]
    pub check: bool,
    /// Print a JSON report (with "changed": true|false) on standard output.
    #[arg(long)]
    pub json: bool,
    /// Phase trust, fleet: the CA the fleet was issued with (its ca.pem).
    #[arg(long, value_name = "DIR")]
    pub ca_dir: Option<PathBuf>,
    /// Phase trust: the new CA (ca.pem + ca.key); a directory without one gets a new
    /// root. Default for a tcps init output: DIR/ca-new (a given CA is copied there).
    #[arg(long, value_name = "DIR")]
    pub new_ca_dir: Option<PathBuf>,
    /// Phase trust, new root: its subject [default: the old root's with " G2" added to
    /// the CN, or its G number counted up].
    #[arg(long, value_name = "DN")]
    pub new_ca_subject: Option<String>,
    /// Phase trust, new root: validity in days.
    #[arg(long, value_name = "DAYS", default_value_t = 3650)]
    pub new_ca_days: u32,
    /// Phase trust, new root: key type [default: the old root's].
    #[arg(long, value_enum, value_name = "TYPE", hide_possible_values = true)]
    pub new_ca_key_type: Option<KeyType>,
    /// Phase trust, fleet: a trust-only client wallet (directory with cwallet.sso and/or
    /// ewallet.pem, or a PEM file) to rotate with the fleet; may be repeated.
    #[arg(long, value_name = "PATH")]
    pub client_wallet: Vec<PathBuf>,
    /// Phase reissue: validity of the re-issued server certificates in days.
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    pub days: u32,
    /// The server ewallet.p12 password (every host's, for a fleet; or a prompt).
    #[command(flatten)]
    pub password: PasswordArgs,
    /// The password of encrypted CA keys (old and new); a new root's key is written
    /// encrypted with it.
    #[command(flatten)]
    pub ca_password: CaKeyPasswordArgs,
}

pub fn run(args: &RotateArgs) -> Result<Outcome> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs();
    let phase = match args.phase {
        PhaseArg::Trust => Phase::Trust,
        PhaseArg::Reissue => Phase::Reissue,
        PhaseArg::Retire => Phase::Retire,
    };
    let server_password = args
        .password
        .require("the server wallet password", Prompt::Once)?;
    let ca_password = ca_password(args, phase)?;
    let spec = RotateSpec {
        phase,
        check: args.check,
        server_password,
        ca_password,
        new_ca_dir: args.new_ca_dir.clone(),
        old_ca_dir: args.ca_dir.clone(),
        new_root: NewRoot {
            subject: args.new_ca_subject.clone(),
            days: args.new_ca_days,
            key_spec: args.new_ca_key_type.map(KeyType::spec),
        },
        client_wallets: args.client_wallet.clone(),
        days: args.days,
        now_unix: i64::try_from(now).unwrap_or(i64::MAX),
    };
    let report = rotate::rotate(&args.dir, &spec)?;
    eprint!("{}", report.text());
    if args.json {
        print_json(&report)?;
    }
    Ok(Outcome::Success)
}

/// The CA key password a phase needs: to open an encrypted CA key it signs with, and to
/// encrypt a new root's key like the old one (a tcps init output's DIR/ca/ca.key).
fn ca_password(args: &RotateArgs, phase: Phase) -> Result<Option<crate::secret::Password>> {
    if args.ca_password.is_given() {
        return args
            .ca_password
            .for_reading_any("the password of the CA keys")
            .map(Some);
    }
    if phase == Phase::Retire {
        return Ok(None);
    }
    let mut dirs = rotate::ca_key_dirs(&args.dir);
    dirs.extend(args.new_ca_dir.clone());
    for dir in dirs {
        if dir.join(crate::tcps::ca_store::KEY_NAME).is_file()
            && let Some(p) = args.ca_password.for_reading(&dir)?
        {
            return Ok(Some(p));
        }
    }
    Ok(None)
}
