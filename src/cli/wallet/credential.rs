//! `orakit wallet credential ...`: mkstore's -createCredential, -listCredential,
//! -modifyCredential and -deleteCredential. The database password comes from
//! `--secret-file` / `--secret-env` / a prompt, never the command line.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::open_to_read;
use super::secret::SecretArgs;
use super::{WalletArg, open_for_change, save};
use crate::cli::exit::Outcome;
use crate::cli::password::PasswordArgs;
use crate::wallet::credential;

#[derive(Debug, Subcommand)]
pub enum CredentialCommand {
    /// Store a user and password for a connect string (mkstore -createCredential).
    Add(AddArgs),
    /// List the stored credentials (mkstore -listCredential); passwords only with --json --show-secrets.
    List(ListArgs),
    /// Change the password (and optionally the user) stored for a connect string (mkstore -modifyCredential).
    Modify(ModifyArgs),
    /// Delete the credential stored for a connect string (mkstore -deleteCredential).
    Delete(DeleteArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// The TNS alias or connect descriptor clients will connect with (`sqlplus /@ALIAS`).
    #[arg(long, value_name = "ALIAS")]
    pub connect_string: String,
    /// The database user.
    #[arg(long, value_name = "USER")]
    pub username: String,
    /// The database password.
    #[command(flatten)]
    pub secret: SecretArgs,
    /// The wallet password (not needed for an auto-login-only wallet).
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct ModifyArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// The connect string of the credential to change.
    #[arg(long, value_name = "ALIAS")]
    pub connect_string: String,
    /// A new database user (default: keep the stored one).
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,
    /// The new database password.
    #[command(flatten)]
    pub secret: SecretArgs,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// The connect string of the credential to delete.
    #[arg(long, value_name = "ALIAS")]
    pub connect_string: String,
    /// No such credential is not an error: exit 0 with nothing changed (for reruns).
    #[arg(long)]
    pub missing_ok: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Print JSON instead of mkstore's listing.
    #[arg(long)]
    pub json: bool,
    /// Include the passwords in the JSON.
    #[arg(long, requires = "json")]
    pub show_secrets: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
}

pub fn run(command: &CredentialCommand) -> Result<Outcome> {
    match command {
        CredentialCommand::Add(a) => add(a),
        CredentialCommand::List(a) => list(a),
        CredentialCommand::Modify(a) => modify(a),
        CredentialCommand::Delete(a) => delete(a),
    }
}

fn add(args: &AddArgs) -> Result<Outcome> {
    args.secret.check_sources(&args.password)?;
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    // A credential stored with this user is a rerun when the password is the same too
    // (nothing to write); any other duplicate is refused before the password is asked.
    let stored = credential::credentials(&wallet)
        .into_iter()
        .find(|c| c.connect_string == args.connect_string);
    if stored
        .as_ref()
        .is_some_and(|c| c.username != args.username || args.secret.refuse_existing)
    {
        return Err(credential::CredentialError::Exists(args.connect_string.clone()).into());
    }
    let secret = args.secret.read("the database password", &args.password)?;
    if let Some(c) = stored {
        if c.password.as_str() == secret.as_str() {
            eprintln!(
                "credential {} is already stored: {} {}",
                c.index, args.connect_string, args.username
            );
            return Ok(Outcome::Success);
        }
        return Err(credential::CredentialError::Exists(args.connect_string.clone()).into());
    }
    let index = credential::add(
        &mut wallet,
        &args.connect_string,
        &args.username,
        secret.as_str(),
    )?;
    save(&edit, &wallet)?;
    eprintln!(
        "{} credential {index}: {} {}",
        crate::cli::output::verb("stored", "would store"),
        args.connect_string,
        args.username
    );
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct CredentialReport {
    index: u32,
    connect_string: String,
    username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

fn list(args: &ListArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let stored = credential::credentials(opened.wallet());
    if args.json {
        let report: Vec<CredentialReport> = stored
            .iter()
            .map(|c| CredentialReport {
                index: c.index,
                connect_string: c.connect_string.clone(),
                username: c.username.clone(),
                password: args.show_secrets.then(|| c.password.to_string()),
            })
            .collect();
        let doc = serde_json::json!({ "credentials": report });
        crate::cli::output::print_json(&doc)?;
    } else {
        println!("List credential (index: connect_string username)");
        for c in &stored {
            println!("{}: {} {}", c.index, c.connect_string, c.username);
        }
    }
    Ok(Outcome::Success)
}

fn modify(args: &ModifyArgs) -> Result<Outcome> {
    args.secret.check_sources(&args.password)?;
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    if credential::find(&wallet, &args.connect_string).is_none() {
        return Err(credential::CredentialError::NotFound(args.connect_string.clone()).into());
    }
    let secret = args
        .secret
        .read("the new database password", &args.password)?;
    let index = credential::modify(
        &mut wallet,
        &args.connect_string,
        args.username.as_deref(),
        secret.as_str(),
    )?;
    save(&edit, &wallet)?;
    eprintln!(
        "{} credential {index}: {}",
        crate::cli::output::verb("modified", "would modify"),
        args.connect_string
    );
    Ok(Outcome::Success)
}

fn delete(args: &DeleteArgs) -> Result<Outcome> {
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    if args.missing_ok && credential::find(&wallet, &args.connect_string).is_none() {
        eprintln!(
            "no credential for {}; nothing to delete",
            args.connect_string
        );
        return Ok(Outcome::Success);
    }
    let index = credential::delete(&mut wallet, &args.connect_string)?;
    save(&edit, &wallet)?;
    eprintln!(
        "{} credential {index}: {}",
        crate::cli::output::verb("deleted", "would delete"),
        args.connect_string
    );
    Ok(Outcome::Success)
}
