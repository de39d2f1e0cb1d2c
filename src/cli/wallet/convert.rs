//! `orakit wallet convert` and `orakit wallet change-password`.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use super::{Encryption, WalletArg, bound_to, local, new_password, open_for_change, type_name};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::net::TargetArg;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::fsio::Overwrite;
use crate::wallet::store::{self, Opened, WalletType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetType {
    /// ewallet.p12 only.
    Password,
    /// ewallet.p12 + cwallet.sso.
    AutoLogin,
    /// cwallet.sso only.
    AutoLoginOnly,
    /// ewallet.p12 + a cwallet.sso bound to this host and OS user (or --local-host /
    /// --local-user).
    AutoLoginLocal,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// New wallet type.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub to: Option<TargetType>,
    /// New encryption.
    #[arg(long, value_enum)]
    pub encryption: Option<Encryption>,
    /// Rewrite the wallet as orapki of this release rewrites it (19c and 23ai: AES-256,
    /// 11g and 12c: 3DES); --encryption wins over it.
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// With --to auto-login-local: write the version-6 header (host and user only) instead
    /// of version 7 (orapki 19.33 -compat_lsso_v6).
    #[arg(long)]
    pub compat_lsso_v6: bool,
    /// The wallet password; for a conversion from auto-login-only, the new one.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

/// Where the new password comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct NewPasswordArgs {
    /// Read the new password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "new_password_env")]
    pub new_password_file: Option<PathBuf>,
    /// Read the new password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub new_password_env: Option<String>,
}

#[derive(Debug, Args)]
pub struct ChangePasswordArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub new_password: NewPasswordArgs,
    /// Also re-encrypt as orapki of this release does on change_pwd (19c and 23ai:
    /// AES-256, 11g and 12c: 3DES). Without it the wallet keeps its encryption.
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

pub(super) fn convert(args: &ConvertArgs) -> Result<Outcome> {
    if args.to.is_none() && args.encryption.is_none() && args.target.is_none() {
        return Err(UsageError(
            "nothing to convert: give --to TYPE and/or --encryption 3des|aes256 (or --target RELEASE)".into(),
        )
        .into());
    }
    let mut paths = args.wallet.locate()?;
    paths.named_file = None;
    let Some(current) = paths.existing_type()? else {
        return Err(store::StoreError::NoWallet(paths.dir.clone()).into());
    };
    let target = match args.to {
        None => current,
        Some(TargetType::Password) => WalletType::Password,
        Some(TargetType::AutoLogin) => WalletType::AutoLogin,
        Some(TargetType::AutoLoginOnly) => WalletType::AutoLoginOnly,
        Some(TargetType::AutoLoginLocal) => WalletType::LocalAutoLogin,
    };
    if args.wallet.local.is_given()
        && target != WalletType::LocalAutoLogin
        && current != WalletType::LocalAutoLogin
        && !paths.is_host_bound()?
    {
        return Err(UsageError(
            "--local-host / --local-user apply only to local auto-login wallets (--to auto-login-local)".into(),
        )
        .into());
    }
    if args.compat_lsso_v6 && target != WalletType::LocalAutoLogin {
        return Err(UsageError(
            "--compat-lsso-v6 applies only to local auto-login wallets (--to auto-login-local)"
                .into(),
        )
        .into());
    }
    // A local wallet converted to local again keeps its header version (unless asked).
    let identity = match target {
        WalletType::LocalAutoLogin => match local::binding_for(&paths, &args.wallet.local)? {
            Some(existing) if !args.compat_lsso_v6 => Some(existing),
            _ => Some(args.wallet.local.new_binding(args.compat_lsso_v6)?),
        },
        _ => None,
    };
    let _lock = store::lock_for(&paths.dir, target)?;
    // Another change may have finished while this one waited for the lock.
    let Some(current) = paths.existing_type()? else {
        return Err(store::StoreError::NoWallet(paths.dir.clone()).into());
    };
    let target = if args.to.is_none() { current } else { target };
    // Read: with the password when there is an ewallet.p12, else from the sso.
    let (opened, password) = if current.has_p12() && current != WalletType::LocalAutoLogin {
        let password = args.password.require("the wallet password", Prompt::Once)?;
        (store::open(&paths, Some(&password), None)?, Some(password))
    } else if current.has_p12() {
        let password = args.password.require("the wallet password", Prompt::Once)?;
        let source = store::open_p12_with(&paths.p12, &password, paths.allow_no_mac)?;
        (
            Opened {
                paths: paths.clone(),
                wallet_type: Some(current),
                source,
            },
            Some(password),
        )
    } else {
        (local::open(&paths, None, &args.wallet.local)?, None)
    };
    super::warn_if_no_mac(&opened, true);
    let password = if target.has_p12() && password.is_none() {
        Some(new_password(&args.password, "the new wallet password")?)
    } else if target.has_p12() {
        password
    } else {
        None
    };
    let mut wallet = opened.wallet().clone();
    if args.encryption.is_some() || args.target.is_some() {
        wallet.profile = Encryption::resolve(args.encryption, args.target).profile();
    }
    store::save_with_identity(
        &paths,
        &wallet,
        target,
        password.as_ref(),
        identity.as_ref(),
        Overwrite::Allow,
    )?;
    eprintln!(
        "{} is now {} wallet{}",
        paths.dir.display(),
        type_name(target),
        bound_to(identity.as_ref())
    );
    Ok(Outcome::Success)
}

pub(super) fn change_password(args: &ChangePasswordArgs) -> Result<Outcome> {
    let edit = open_for_change(&args.wallet, &args.password)?;
    if !edit.wallet_type.has_p12() {
        bail!(
            "{} is an auto-login-only wallet and has no password; use `orakit wallet convert --to auto-login` to add one",
            edit.opened.paths.dir.display()
        );
    }
    let new_args = PasswordArgs {
        password_file: args.new_password.new_password_file.clone(),
        password_env: args.new_password.new_password_env.clone(),
    };
    let new = new_password(&new_args, "the new wallet password")?;
    let mut wallet = edit.opened.wallet().clone();
    // A new password is the moment to drop weak parameters too: the file is re-encrypted
    // with --target's profile, or orakit's defaults for its algorithm (10000 iterations),
    // never with a weak source file's (one iteration).
    wallet.profile = match args.target {
        Some(_) => Encryption::resolve(None, args.target).profile(),
        None => wallet.profile.defaults_of_family(),
    };
    store::save_with_identity(
        &edit.opened.paths,
        &wallet,
        edit.wallet_type,
        Some(&new),
        edit.local.as_ref(),
        Overwrite::Allow,
    )?;
    eprintln!(
        "changed the password of {}",
        edit.opened.paths.dir.display()
    );
    Ok(Outcome::Success)
}
