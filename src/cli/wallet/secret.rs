//! `orakit wallet secret ...`: generic secret-store entries, mkstore's -createEntry,
//! -viewEntry, -modifyEntry, -deleteEntry and -list. Also where the value of a new
//! secret comes from (`--secret-file`, `--secret-env`, a prompt), shared with
//! `wallet credential`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::{WalletArg, open_for_change, open_to_read, save};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::{PasswordArgs, read_password_file};
use crate::secret::Password;
use crate::wallet::credential;
use crate::wallet::model::Item;

/// Where a secret to store (a database password, an entry's value) comes from. Never
/// the command line itself.
#[derive(Debug, Clone, Default, Args)]
pub struct SecretArgs {
    /// Read the secret to store (database password, entry value) from this file (first
    /// line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "secret_env")]
    pub secret_file: Option<PathBuf>,
    /// Read the secret to store from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// Refuse an entry that already exists even with the same value, instead of the no-op
    /// rerun (the mkstore front end: mkstore answers PKI-03001 / PKI-03006 there).
    #[arg(long, hide = true)]
    pub refuse_existing: bool,
}

impl SecretArgs {
    /// Refuses two secrets from standard input; call before anything is read.
    pub fn check_sources(&self, wallet_password: &PasswordArgs) -> Result<()> {
        let stdin = |p: &Option<PathBuf>| p.as_ref().is_some_and(|p| p.as_os_str() == "-");
        if stdin(&self.secret_file) && stdin(&wallet_password.password_file) {
            return Err(UsageError(
                "--secret-file - and --password-file - cannot both read standard input".into(),
            )
            .into());
        }
        Ok(())
    }

    /// Reads the secret; on a terminal with no source given, asks twice.
    pub fn read(&self, what: &str, wallet_password: &PasswordArgs) -> Result<Password> {
        self.check_sources(wallet_password)?;
        if let Some(path) = &self.secret_file {
            return read_password_file(path);
        }
        if let Some(var) = &self.secret_env {
            return match std::env::var(var) {
                Ok(value) if !value.is_empty() => Ok(Password::new(value)),
                Ok(_) => bail!("environment variable {var} is empty: set it to the secret"),
                Err(std::env::VarError::NotPresent) => {
                    bail!("environment variable {var} is not set: export it, or use --secret-file")
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    bail!("environment variable {var} is not valid UTF-8 text")
                }
            };
        }
        if !std::io::stdin().is_terminal() {
            return Err(UsageError(format!(
                "{what} is needed and there is no terminal to ask on: give --secret-file PATH (or -) or --secret-env VAR"
            ))
            .into());
        }
        let ask = |prompt: String| -> Result<Password> {
            Ok(Password::new(
                rpassword::prompt_password(prompt).context("cannot read from the terminal")?,
            ))
        };
        let first = ask(format!("Enter {what}: "))?;
        if first.is_empty() {
            bail!("{what} is empty; nothing was written");
        }
        if first != ask(format!("Enter {what} again: "))? {
            bail!("the two entries differ; nothing was written");
        }
        Ok(first)
    }
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// List every secret-store alias (mkstore -list); values only with --json --show-secrets.
    List(ListArgs),
    /// Store a new entry (mkstore -createEntry).
    Create(EntryValueArgs),
    /// Print one entry as `alias = value` (mkstore -viewEntry).
    View(EntryArgs),
    /// Replace an entry's value (mkstore -modifyEntry).
    Modify(EntryValueArgs),
    /// Delete an entry (mkstore -deleteEntry).
    Delete(EntryArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Print JSON: alias, localKeyId index and the credential each entry belongs to.
    #[arg(long)]
    pub json: bool,
    /// Include the values in the JSON.
    #[arg(long, requires = "json")]
    pub show_secrets: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Args)]
pub struct EntryArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// The entry's alias.
    #[arg(long)]
    pub alias: String,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct EntryValueArgs {
    #[command(flatten)]
    pub entry: EntryArgs,
    #[command(flatten)]
    pub secret: SecretArgs,
}

pub fn run(command: &SecretCommand) -> Result<Outcome> {
    match command {
        SecretCommand::List(a) => list(a),
        SecretCommand::Create(a) => create(a),
        SecretCommand::View(a) => view(a),
        SecretCommand::Modify(a) => modify(a),
        SecretCommand::Delete(a) => delete(a),
    }
}

#[derive(Serialize)]
struct EntryReport {
    alias: String,
    /// Index of the kind-6 localKeyId.
    local_key_id_index: Option<u32>,
    /// N when the entry is part of stored credential N.
    credential: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

fn list(args: &ListArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let entries: Vec<EntryReport> = opened
        .wallet()
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Secret { alias, value, .. } => Some(EntryReport {
                alias: alias.clone(),
                local_key_id_index: e.oracle_id().map(|id| id.index),
                credential: credential::credential_index(alias),
                value: args.show_secrets.then(|| value.to_string()),
            }),
            _ => None,
        })
        .collect();
    if args.json {
        let report = serde_json::json!({ "entries": entries });
        crate::cli::output::print_json(&report)?;
    } else {
        println!("Oracle Secret Store entries:");
        for e in &entries {
            println!("{}", e.alias);
        }
    }
    Ok(Outcome::Success)
}

fn view(args: &EntryArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    match opened.wallet().secret(&args.alias) {
        Some(value) => println!("{} = {value}", args.alias),
        None => bail!(
            "{} holds no secret-store entry {:?}; `orakit wallet secret list` shows the aliases",
            opened.source.file.display(),
            args.alias
        ),
    }
    Ok(Outcome::Success)
}

fn create(args: &EntryValueArgs) -> Result<Outcome> {
    let entry = &args.entry;
    args.secret.check_sources(&entry.password)?;
    let edit = open_for_change(&entry.wallet, &entry.password)?;
    let mut wallet = edit.opened.wallet().clone();
    // The same value already stored: nothing to do (a rerun); another value (or none to
    // read) is refused as a duplicate.
    if let Some(stored) = wallet.secret(&entry.alias) {
        let same = !args.secret.refuse_existing
            && args
                .secret
                .read("the secret", &entry.password)
                .is_ok_and(|value| value.as_str() == stored);
        if same {
            eprintln!(
                "the entry {} already holds that value; nothing changed",
                entry.alias
            );
            return Ok(Outcome::Success);
        }
        bail!(
            "the entry {:?} already exists; change it with `orakit wallet secret modify`",
            entry.alias
        );
    }
    let value = args.secret.read("the secret", &entry.password)?;
    wallet.add_secret(&entry.alias, value.as_str())?;
    save(&edit, &wallet)?;
    eprintln!("created entry {}", entry.alias);
    Ok(Outcome::Success)
}

fn modify(args: &EntryValueArgs) -> Result<Outcome> {
    let entry = &args.entry;
    args.secret.check_sources(&entry.password)?;
    let edit = open_for_change(&entry.wallet, &entry.password)?;
    let mut wallet = edit.opened.wallet().clone();
    if wallet.secret(&entry.alias).is_none() {
        bail!(
            "no entry {:?}; create it with `orakit wallet secret create`",
            entry.alias
        );
    }
    let value = args.secret.read("the new secret", &entry.password)?;
    wallet.set_secret(&entry.alias, value.as_str());
    save(&edit, &wallet)?;
    eprintln!("modified entry {}", entry.alias);
    Ok(Outcome::Success)
}

fn delete(args: &EntryArgs) -> Result<Outcome> {
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    if !wallet.remove_secret(&args.alias) {
        bail!(
            "no entry {:?}; `orakit wallet secret list` shows the aliases",
            args.alias
        );
    }
    save(&edit, &wallet)?;
    eprintln!("deleted entry {}", args.alias);
    Ok(Outcome::Success)
}
