//! How a wallet command opens the wallet it names: for reading (also a wallet zip, an
//! `ewallet.pem` or a Java key store, read-only), or for a change (locked, its type read
//! under the lock, the password and local binding kept to write it back with).

use anyhow::{Context, Result, bail};

use super::{WalletArg, local, warn_if_no_mac};
use crate::cli::password::{PasswordArgs, Prompt};
use crate::fsio::Overwrite;
use crate::secret::Password;
use crate::wallet::model::Wallet;
use crate::wallet::sso::LocalBinding;
use crate::wallet::store::{self, Opened, WalletType};

/// An opened wallet ready to change: its type and the password (and, for a local
/// auto-login wallet, the host and user) to write it with.
pub(super) struct Editable {
    pub(super) opened: Opened,
    pub(super) wallet_type: WalletType,
    pub(super) password: Option<Password>,
    pub(super) local: Option<LocalBinding>,
    pub(super) _lock: store::WalletLock,
}

/// Locks the wallet directory and reads the wallet for a change: with the password when
/// it has an ewallet.p12, without one when it is auto-login-only.
/// Opens a wallet for reading. The password is asked for (or taken from its source) only
/// when the wallet has no cwallet.sso to open from, or the ewallet.p12 itself was named.
/// The password is handed back for commands that reuse it (export-pem).
pub(crate) fn open_to_read(
    wallet: &WalletArg,
    password_args: &PasswordArgs,
) -> Result<(Opened, Option<Password>)> {
    if let Some((bytes, form)) = foreign_form(&wallet.wallet)? {
        let prompt = if form.needs_password(&bytes) {
            Prompt::Once
        } else {
            Prompt::Never
        };
        let password = password_args.resolve("the wallet password", prompt)?;
        let opened = crate::wallet::foreign::open(&wallet.wallet, &bytes, form, password.as_ref())
            .map_err(|e| {
                anyhow::anyhow!("{} ({}): {e}", wallet.wallet.display(), form.describe())
            })?;
        return Ok((opened, password));
    }
    let paths = wallet.locate()?;
    let needs_password = match &paths.named_file {
        Some(named) => *named == paths.p12,
        None => paths.existing_type()? == Some(WalletType::Password),
    };
    let prompt = if needs_password {
        Prompt::Once
    } else {
        Prompt::Never
    };
    let password = password_args.resolve("the wallet password", prompt)?;
    // Shared locks on the lock files that exist (none is created): orapki rewrites
    // wallet files in place, so a read waits for an orapki change to finish.
    // (An interrupted change is finished first, under the exclusive lock.)
    store::recover_for_reader(&paths.dir)?;
    let _shared = store::read_lock(&paths.dir)?;
    let opened = local::open(&paths, password.as_ref(), &wallet.local)?;
    warn_if_no_mac(&opened, false);
    Ok((opened, password))
}

/// The contents and form of `path` when it is a file orakit reads but does not change in
/// place (a wallet zip, an ewallet.pem, a Java key store).
pub(super) fn foreign_form(
    path: &std::path::Path,
) -> Result<Option<(Vec<u8>, crate::wallet::foreign::Form)>> {
    let oracle_name = path
        .file_name()
        .is_some_and(|n| n == "ewallet.p12" || n == "cwallet.sso");
    if oracle_name || !path.is_file() {
        return Ok(None);
    }
    let bytes = crate::limits::read_file(path, crate::limits::MAX_WALLET_FILE, "wallet file")
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let form = crate::wallet::foreign::detect(&bytes);
    // PEM text is a wallet only as `ewallet.pem`; any other PEM file (a certificate, a
    // key, a bundle) given as the wallet is named for what it is further on.
    let is_ewallet_pem = path.file_name().is_some_and(|n| n == "ewallet.pem");
    if form == Some(crate::wallet::foreign::Form::Pem) && !is_ewallet_pem {
        return Ok(None);
    }
    Ok(form.map(|form| (bytes, form)))
}

pub(super) fn open_for_change(
    wallet: &WalletArg,
    password_args: &PasswordArgs,
) -> Result<Editable> {
    if let Some((_, form)) = foreign_form(&wallet.wallet)? {
        bail!(
            "{} is {}: orakit reads it (wallet display, export-cert, export-key, export-chain, export-pem) but does not change it; make a wallet directory from it first (unzip it; `orakit wallet import --wallet DIR --jks FILE` or `--key FILE --cert FILE`) and change that",
            wallet.wallet.display(),
            form.describe()
        );
    }
    let mut paths = wallet.locate()?;
    paths.named_file = None;
    if paths.existing_type()?.is_none() {
        return Err(store::StoreError::NoWallet(paths.dir.clone()).into());
    }
    // The type is read under the lock: a `convert` that held it may have changed it.
    let lock = store::lock(&paths.dir)?;
    let Some(wallet_type) = paths.existing_type()? else {
        return Err(store::StoreError::NoWallet(paths.dir.clone()).into());
    };
    if wallet_type == WalletType::AutoLoginOnly && paths.is_host_bound()? {
        bail!(
            "{} holds only a local auto-login cwallet.sso (kind 0x38) and no ewallet.p12; orakit changes such a wallet only after `orakit wallet convert --to auto-login-only`",
            paths.dir.display()
        );
    }
    let local = local::binding_for(&paths, &wallet.local)?;
    let password = if wallet_type.has_p12() {
        Some(password_args.require("the wallet password", Prompt::Once)?)
    } else {
        None
    };
    let opened = store::open(&paths, password.as_ref(), None)?;
    warn_if_no_mac(&opened, true);
    match wallet_type {
        // Never paper over a damaged cwallet.sso by rewriting it silently; `convert`
        // (which reads only ewallet.p12) is the way to rebuild it.
        WalletType::AutoLogin => {
            store::open_sso(&paths.sso, None).context(
                "the auto-login file is damaged; nothing was changed (rebuild it with `orakit wallet convert --to auto-login`)",
            )?;
        }
        // A local wallet is rewritten for the same host and user, so they must open it.
        WalletType::LocalAutoLogin => {
            if let Err(e) = store::open_sso(&paths.sso, local.as_ref().map(|b| &b.identity)) {
                bail!("{}; nothing was changed", local::explain(e, &wallet.local));
            }
        }
        _ => {}
    }
    Ok(Editable {
        opened,
        wallet_type,
        password,
        local,
        _lock: lock,
    })
}

pub(super) fn save(edit: &Editable, wallet: &Wallet) -> Result<()> {
    store::save_with_identity(
        &edit.opened.paths,
        wallet,
        edit.wallet_type,
        edit.password.as_ref(),
        edit.local.as_ref(),
        Overwrite::Allow,
    )?;
    Ok(())
}
