//! The identity a local auto-login (kind 0x38) wallet is bound to: `--local-host` /
//! `--local-user`, or this machine's short host name and the effective user's name, as
//! Oracle's Java code takes them (host name, `user.name`).

use std::ffi::CStr;

use anyhow::{Result, bail};
use clap::Args;

use crate::cli::exit::UsageError;
use crate::secret::Password;
use crate::wallet::sso::{LocalIdentity, SsoError};
use crate::wallet::store::{self, Opened, StoreError, WalletPaths, WalletType};

/// Flags naming the host and user of a local auto-login wallet.
#[derive(Debug, Clone, Default, Args)]
pub struct LocalArgs {
    /// Host name a local auto-login (0x38) wallet is bound to (default: this machine's).
    #[arg(long, value_name = "HOST")]
    pub local_host: Option<String>,
    /// OS user a local auto-login (0x38) wallet is bound to (default: the current user).
    #[arg(long, value_name = "USER")]
    pub local_user: Option<String>,
}

impl LocalArgs {
    pub fn is_given(&self) -> bool {
        self.local_host.is_some() || self.local_user.is_some()
    }

    /// The flags where given, this machine's host and user for the rest.
    pub fn resolve(&self) -> Result<LocalIdentity> {
        let host = match &self.local_host {
            Some(h) => h.clone(),
            None => machine_host()?,
        };
        let user = match &self.local_user {
            Some(u) => u.clone(),
            None => machine_user()?,
        };
        if host.split('.').next().unwrap_or_default().is_empty() {
            bail!("--local-host must name a host (its part before the first dot is used)");
        }
        if user.is_empty() {
            bail!("--local-user must not be empty");
        }
        Ok(LocalIdentity { host, user })
    }
}

/// The system host name (gethostname).
fn machine_host() -> Result<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that much.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        bail!(
            "cannot read this machine's host name ({}); give --local-host",
            std::io::Error::last_os_error()
        );
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    match String::from_utf8(buf[..end].to_vec()) {
        Ok(name) if !name.is_empty() => Ok(name),
        _ => bail!("this machine's host name is empty or not UTF-8; give --local-host"),
    }
}

/// The name of the effective user (getpwuid_r), else `$USER`.
fn machine_user() -> Result<String> {
    if let Some(name) = passwd_name() {
        return Ok(name);
    }
    match std::env::var("USER") {
        Ok(user) if !user.is_empty() => Ok(user),
        _ => bail!("cannot tell the current OS user name; give --local-user"),
    }
}

fn passwd_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: passwd is plain old data; getpwuid_r fills it and points its strings into
    // `buf`, which outlives every use below; `result` is checked before reading.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            libc::geteuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = CStr::from_ptr(pwd.pw_name).to_str().ok()?.to_owned();
        (!name.is_empty()).then_some(name)
    }
}

/// The identity a new wallet of `wallet_type` is written for: resolved for a local
/// auto-login wallet; for any other type the flags are a usage error.
pub fn identity_for_type(
    wallet_type: WalletType,
    args: &LocalArgs,
) -> Result<Option<LocalIdentity>> {
    if wallet_type == WalletType::LocalAutoLogin {
        return Ok(Some(args.resolve()?));
    }
    if args.is_given() {
        return Err(UsageError(
            "--local-host / --local-user apply only to local auto-login wallets (--auto-login-local)"
                .into(),
        )
        .into());
    }
    Ok(None)
}

/// The identity to open or write `paths` with: `None` unless its `cwallet.sso` is a
/// local auto-login one (so a machine without a readable host name can still open others).
pub fn identity_for(paths: &WalletPaths, args: &LocalArgs) -> Result<Option<LocalIdentity>> {
    if paths.is_host_bound()? {
        Ok(Some(args.resolve()?))
    } else {
        Ok(None)
    }
}

/// What to tell the user when a local wallet refuses the identity it was given.
pub fn explain(error: StoreError, args: &LocalArgs) -> anyhow::Error {
    let wrong_identity = matches!(
        &error,
        StoreError::Sso {
            source: SsoError::LocalWrongIdentity { .. } | SsoError::LocalNeedsIdentity,
            ..
        }
    );
    if !wrong_identity {
        return error.into();
    }
    let hint = if args.is_given() {
        "check --local-host and --local-user: they must name the host and OS user the wallet was made for"
    } else {
        "it was tried with this machine's host name and user; pass --local-host HOST --local-user USER to name the ones it was made for"
    };
    anyhow::anyhow!("{error}; {hint}")
}

/// [`store::open`] with the local identity resolved from the flags or the machine, and
/// a clear message when a local wallet does not open with it.
pub fn open(paths: &WalletPaths, password: Option<&Password>, args: &LocalArgs) -> Result<Opened> {
    let identity = identity_for(paths, args)?;
    store::open(paths, password, identity.as_ref()).map_err(|e| explain(e, args))
}
