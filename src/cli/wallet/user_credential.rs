//! `orakit wallet user-credential ...`: mkstore's -createUserCredential,
//! -modifyUserCredential and -deleteUserCredential (and a listing mkstore has no command
//! for: `mkstore -list` shows only the `<map>@#3#@<key>` aliases). The stored password
//! comes from `--secret-file` / `--secret-env` / a prompt, never the command line.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::open_to_read;
use super::secret::SecretArgs;
use super::{WalletArg, open_for_change, save};
use crate::cli::exit::Outcome;
use crate::cli::password::PasswordArgs;
use crate::wallet::user_credential::{self, UserCredentialError};

#[derive(Debug, Subcommand)]
pub enum UserCredentialCommand {
    /// Store a user and password under a map and key (mkstore -createUserCredential).
    Add(AddArgs),
    /// List the stored user credentials; passwords only with --json --show-secrets.
    List(ListArgs),
    /// Change the password (and optionally the user) of a map and key (mkstore -modifyUserCredential).
    Modify(ModifyArgs),
    /// Delete the user credential of a map and key (mkstore -deleteUserCredential).
    Delete(DeleteArgs),
}

/// The map and key naming one user credential.
#[derive(Debug, Args)]
pub struct MapKey {
    /// The credential map (mkstore's `map`).
    #[arg(long, value_name = "MAP")]
    pub map: String,
    /// The key inside the map (mkstore's `key`).
    #[arg(long, value_name = "KEY")]
    pub key: String,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub at: MapKey,
    /// The user name to store.
    #[arg(long, value_name = "USER")]
    pub user: String,
    /// The password to store.
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
    #[command(flatten)]
    pub at: MapKey,
    /// A new user name (default: keep the stored one).
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// The new password to store.
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
    #[command(flatten)]
    pub at: MapKey,
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
    /// Print JSON instead of one `map key user` line per credential.
    #[arg(long)]
    pub json: bool,
    /// Include the passwords in the JSON.
    #[arg(long, requires = "json")]
    pub show_secrets: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
}

pub fn run(command: &UserCredentialCommand) -> Result<Outcome> {
    match command {
        UserCredentialCommand::Add(a) => add(a),
        UserCredentialCommand::List(a) => list(a),
        UserCredentialCommand::Modify(a) => modify(a),
        UserCredentialCommand::Delete(a) => delete(a),
    }
}

fn add(args: &AddArgs) -> Result<Outcome> {
    args.secret.check_sources(&args.password)?;
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let (map, key) = (&args.at.map, &args.at.key);
    // The same user and password already stored: nothing to do (a rerun); anything else
    // under that map and key (or no password to read) is refused (`modify` changes it).
    if let Some(stored) = user_credential::find(&wallet, map, key) {
        let same = !args.secret.refuse_existing
            && stored.username == args.user
            && args
                .secret
                .read("the password to store", &args.password)
                .is_ok_and(|secret| stored.password.as_str() == secret.as_str());
        if same {
            eprintln!(
                "user credential {map} {key} already stores {} with that password; nothing changed",
                args.user
            );
            return Ok(Outcome::Success);
        }
        return Err(UserCredentialError::Exists(map.clone(), key.clone()).into());
    }
    let secret = args.secret.read("the password to store", &args.password)?;
    user_credential::add(&mut wallet, map, key, &args.user, secret.as_str())?;
    save(&edit, &wallet)?;
    eprintln!("stored user credential {map} {key}: {}", args.user);
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct Report {
    map: String,
    key: String,
    username: String,
    expiry: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

fn list(args: &ListArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let stored = user_credential::user_credentials(opened.wallet());
    if args.json {
        let report: Vec<Report> = stored
            .iter()
            .map(|c| Report {
                map: c.map.clone(),
                key: c.key.clone(),
                username: c.username.clone(),
                expiry: c.expiry.clone(),
                password: args.show_secrets.then(|| c.password.to_string()),
            })
            .collect();
        let doc = serde_json::json!({ "user_credentials": report });
        crate::cli::output::print_json(&doc)?;
    } else {
        println!("List user credential (map key username)");
        for c in &stored {
            println!("{} {} {}", c.map, c.key, c.username);
        }
    }
    Ok(Outcome::Success)
}

fn modify(args: &ModifyArgs) -> Result<Outcome> {
    args.secret.check_sources(&args.password)?;
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let (map, key) = (&args.at.map, &args.at.key);
    if user_credential::find(&wallet, map, key).is_none() {
        return Err(UserCredentialError::NotFound(map.clone(), key.clone()).into());
    }
    let secret = args
        .secret
        .read("the new password to store", &args.password)?;
    user_credential::modify(&mut wallet, map, key, args.user.as_deref(), secret.as_str())?;
    save(&edit, &wallet)?;
    eprintln!("modified user credential {map} {key}");
    Ok(Outcome::Success)
}

fn delete(args: &DeleteArgs) -> Result<Outcome> {
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    user_credential::delete(&mut wallet, &args.at.map, &args.at.key)?;
    save(&edit, &wallet)?;
    eprintln!("deleted user credential {} {}", args.at.map, args.at.key);
    Ok(Outcome::Success)
}
