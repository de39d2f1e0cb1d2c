//! The identity a local auto-login (kind 0x38) wallet is bound to: `--local-host` /
//! `--local-user` / `--local-machine-id`, or this machine's short host name, the effective
//! user's name and `/etc/machine-id`, as Oracle's Java code takes them (host name,
//! `user.name`, machine id for the version-7 header).

use std::ffi::CStr;

use anyhow::{Result, bail};
use clap::Args;

use crate::cli::exit::UsageError;
use crate::secret::Password;
use crate::wallet::sso::{self, LocalBinding, LocalFormat, LocalIdentity, SsoError};
use crate::wallet::store::{self, Opened, StoreError, WalletPaths, WalletType};

const LOCAL_HEADING: &str = "Local auto-login binding";

/// Flags naming the host and user of a local auto-login wallet. Under their own help
/// heading, after the options most users need.
#[derive(Debug, Clone, Default, Args)]
pub struct LocalArgs {
    /// Host name a local auto-login (0x38) wallet is bound to (default: this machine's).
    #[arg(long, value_name = "HOST", help_heading = LOCAL_HEADING)]
    pub local_host: Option<String>,
    /// OS user a local auto-login (0x38) wallet is bound to (default: the current user).
    #[arg(long, value_name = "USER", help_heading = LOCAL_HEADING)]
    pub local_user: Option<String>,
    /// Machine id (/etc/machine-id) a version-7 local wallet is bound to (default: this
    /// machine's, unless --local-host or --local-user names another machine).
    #[arg(long, value_name = "ID", help_heading = LOCAL_HEADING)]
    pub local_machine_id: Option<String>,
}

impl LocalArgs {
    pub fn is_given(&self) -> bool {
        self.local_host.is_some() || self.local_user.is_some() || self.local_machine_id.is_some()
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
        // Another machine's host or user: this machine's id would be wrong for it.
        let names_another = self.local_host.is_some() || self.local_user.is_some();
        let machine_id = match &self.local_machine_id {
            Some(id) if id.trim().is_empty() => bail!("--local-machine-id must not be empty"),
            Some(id) => Some(id.trim().to_ascii_lowercase()),
            None if names_another => None,
            None => machine_id(),
        };
        Ok(LocalIdentity {
            host,
            user,
            machine_id,
        })
    }

    /// The binding of a new local wallet: version 7 as orapki 19.33 / 23.26 write it, or
    /// version 6 with `compat_lsso_v6` (orapki 19.33's `-compat_lsso_v6`).
    pub fn new_binding(&self, compat_lsso_v6: bool) -> Result<LocalBinding> {
        let identity = self.resolve()?;
        let format = if compat_lsso_v6 {
            LocalFormat::V6
        } else {
            LocalFormat::newest()
        };
        if format != LocalFormat::V6 && identity.machine_id.is_none() {
            return Err(UsageError(
                "a version-7 local auto-login wallet (what orapki 19.33 and 23.26 write) is bound to the machine id too: give --local-machine-id (the content of /etc/machine-id on that machine), or --compat-lsso-v6 for the version-6 header bound to host and user only".into(),
            )
            .into());
        }
        Ok(LocalBinding { identity, format })
    }
}

/// This machine's id as oraclepki reads it: /etc/machine-id, else /var/lib/dbus/machine-id.
fn machine_id() -> Option<String> {
    ["/etc/machine-id", "/var/lib/dbus/machine-id"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| {
            text.lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .find(|id| !id.is_empty())
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
    compat_lsso_v6: bool,
) -> Result<Option<LocalBinding>> {
    if wallet_type == WalletType::LocalAutoLogin {
        return Ok(Some(args.new_binding(compat_lsso_v6)?));
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
    Ok(binding_for(paths, args)?.map(|b| b.identity))
}

/// Like [`identity_for`], with the header version the wallet has, so that a change writes
/// it again as it was (a version-7 wallet stays 7 with the same bound values).
pub fn binding_for(paths: &WalletPaths, args: &LocalArgs) -> Result<Option<LocalBinding>> {
    if !paths.is_host_bound()? {
        return Ok(None);
    }
    let bytes =
        crate::limits::read_file(&paths.sso, crate::limits::MAX_WALLET_FILE, "wallet files")
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", paths.sso.display()))?;
    let header = sso::parse_header(&bytes).map_err(|source| StoreError::Sso {
        path: paths.sso.clone(),
        source,
    })?;
    Ok(Some(LocalBinding {
        identity: args.resolve()?,
        format: LocalFormat::of(&header),
    }))
}

/// What to tell the user when a local wallet refuses the identity it was given.
pub fn explain(error: StoreError, args: &LocalArgs) -> anyhow::Error {
    let wrong_identity = matches!(
        &error,
        StoreError::Sso {
            source: SsoError::LocalWrongIdentity { .. }
                | SsoError::LocalWrongMachine { .. }
                | SsoError::LocalNeedsIdentity,
            ..
        }
    );
    if !wrong_identity {
        return error.into();
    }
    let hint = if args.is_given() {
        "check --local-host, --local-user and --local-machine-id: they must name the host, OS user and machine id the wallet was made for"
    } else {
        "it was tried with this machine's host name, user and machine id; pass --local-host HOST --local-user USER (and --local-machine-id ID for a version-7 wallet) to name the ones it was made for"
    };
    anyhow::anyhow!("{error}; {hint}")
}

/// [`store::open`] with the local identity resolved from the flags or the machine, and
/// a clear message when a local wallet does not open with it.
pub fn open(paths: &WalletPaths, password: Option<&Password>, args: &LocalArgs) -> Result<Opened> {
    let identity = identity_for(paths, args)?;
    store::open(paths, password, identity.as_ref()).map_err(|e| explain(e, args))
}
