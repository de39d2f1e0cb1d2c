//! `orakit wallet trust-flags`: orapki's `enable_trust_flags` and `assign_trust_flags`.

use anyhow::{Result, bail};
use clap::Args;

use super::{WalletArg, open_for_change, save};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::PasswordArgs;
use crate::wallet::certs;
use crate::wallet::local_key_id::TrustFlags;
use crate::wallet::model::{Item, Wallet};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["enable", "set"])))]
pub struct TrustFlagsArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Turn trust flags on for a wallet without them (orapki enable_trust_flags): every
    /// certificate gets the flags orapki evaluates for it.
    #[arg(long)]
    pub enable: bool,
    /// With --enable: give every certificate NULL instead (orapki -untrust_all).
    #[arg(long, requires = "enable")]
    pub untrust_all: bool,
    /// Flags to assign (orapki assign_trust_flags): SERVER_AUTH, CLIENT_AUTH,
    /// SERVER_AUTH,CLIENT_AUTH, VALID_PEER or NULL.
    #[arg(long, value_name = "FLAGS", value_parser = parse_flags, requires = "subject_or_fingerprint")]
    pub set: Option<TrustFlags>,
    /// Subject DN of the certificate to assign flags to.
    #[arg(long, value_name = "DN", group = "subject_or_fingerprint")]
    pub subject: Option<String>,
    /// With --subject: the issuer DN, when several certificates share the subject.
    #[arg(long, value_name = "DN", requires = "subject")]
    pub issuer: Option<String>,
    /// With --subject: the serial number in hex (as `display --json` prints it).
    #[arg(long, value_name = "HEX", requires = "subject")]
    pub serial: Option<String>,
    /// SHA-256 or SHA-1 fingerprint of the certificate instead of its names.
    #[arg(long, value_name = "HEX", group = "subject_or_fingerprint")]
    pub fingerprint: Option<String>,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

/// `--trust-flags` / `--set` values, checked as orapki checks `-trust_flags`.
pub fn parse_flags(text: &str) -> Result<TrustFlags, String> {
    TrustFlags::parse_assignable(text)
}

fn hex_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect::<String>()
        .to_ascii_lowercase()
        .trim_start_matches('0')
        .to_owned()
}

/// Certificates (trusted or user) the selection names.
fn matching(wallet: &Wallet, args: &TrustFlagsArgs) -> Vec<usize> {
    wallet
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match &e.item {
            Item::Certificate(der) => certs::details(der).ok().map(|d| (i, d)),
            _ => None,
        })
        .filter(|(_, d)| match (&args.subject, &args.fingerprint) {
            (Some(dn), _) => {
                certs::dn_matches(&d.subject, dn)
                    && args
                        .issuer
                        .as_ref()
                        .is_none_or(|issuer| certs::dn_matches(&d.issuer, issuer))
                    && args
                        .serial
                        .as_ref()
                        .is_none_or(|s| hex_digits(s) == hex_digits(&d.serial))
            }
            (None, Some(fp)) => {
                let want = hex_digits(fp);
                hex_digits(&d.sha256_fingerprint) == want || hex_digits(&d.sha1_fingerprint) == want
            }
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

pub(super) fn run(args: &TrustFlagsArgs) -> Result<Outcome> {
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let dir = edit.opened.paths.dir.display().to_string();
    let in_dir =
        |e: crate::wallet::model::ModelError| anyhow::anyhow!("{dir}: {e}; nothing was changed");
    if args.enable {
        if !wallet
            .enable_trust_flags(args.untrust_all)
            .map_err(in_dir)?
        {
            bail!("{dir} already uses trust flags; nothing was changed (assign them with --set)");
        }
        save(&edit, &wallet)?;
        eprintln!("enabled trust flags in {dir}");
        return Ok(Outcome::Success);
    }
    let Some(flags) = args.set else {
        return Err(UsageError("give --enable or --set FLAGS".into()).into());
    };
    let hits = matching(&wallet, args);
    let &[index] = hits.as_slice() else {
        if hits.is_empty() {
            bail!("no certificate in {dir} matches; `orakit wallet display` lists the subjects");
        }
        return Err(UsageError(format!(
            "{} certificates match; add --issuer and --serial (or give --fingerprint) to name one",
            hits.len()
        ))
        .into());
    };
    wallet.assign_trust_flags(index, flags).map_err(in_dir)?;
    save(&edit, &wallet)?;
    let subject = match &wallet.entries[index].item {
        Item::Certificate(der) => certs::subject_of(der),
        _ => String::new(),
    };
    eprintln!("set trust flags {} on {subject}", flags.orapki_text());
    Ok(Outcome::Success)
}
