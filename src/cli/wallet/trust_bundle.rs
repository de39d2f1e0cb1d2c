//! `wallet create --trust-bundle [FILE|system]`: a new trust-only wallet filled from a PEM
//! bundle of CA certificates, for the database's outbound HTTPS (UTL_HTTP, APEX,
//! DBMS_CLOUD). The sorting is [`crate::wallet::trust_bundle`]'s; this file finds the
//! bundle, reads it before anything is written and prints one summary line (or, with
//! --json, every certificate added and skipped).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Result, anyhow};
use clap::Args;
use serde::Serialize;

use crate::cli::exit::UsageError;
use crate::cli::pki_io::{in_file, print_json, read_input};
use crate::wallet::certs;
use crate::wallet::store::WalletType;
use crate::wallet::trust_bundle::{Keep, Selection, select};

/// Where distributions keep the system's CA bundle, the first found is taken.
const SYSTEM_BUNDLES: [&str; 5] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Trust bundle (outbound HTTPS: UTL_HTTP, APEX, DBMS_CLOUD)")]
pub struct TrustBundleArgs {
    /// Fill the new wallet with the CA certificates of a PEM bundle: FILE, or `system`
    /// (the default when no value is given) for the system's bundle
    /// (/etc/ssl/certs/ca-certificates.crt and its equivalents). Needs --auto-login-only
    /// or --auto-login: the database opens these wallets without a password.
    #[arg(long, value_name = "FILE|system", num_args = 0..=1, default_missing_value = "system")]
    pub trust_bundle: Option<PathBuf>,
    /// With --trust-bundle: keep expired certificates too.
    #[arg(long, requires = "trust_bundle")]
    pub keep_expired: bool,
    /// With --trust-bundle: keep certificates that are not CAs too.
    #[arg(long, requires = "trust_bundle")]
    pub keep_non_ca: bool,
}

/// What `--json` prints.
#[derive(Serialize)]
struct Report<'a> {
    wallet: &'a Path,
    bundle: &'a Path,
    summary: String,
    #[serde(flatten)]
    selection: &'a Selection,
}

/// The bundle read and sorted, before any file is written.
pub struct ReadBundle {
    pub path: PathBuf,
    pub selection: Selection,
}

impl TrustBundleArgs {
    /// Reads the bundle, if one is asked for. `wallet_type` must be one the database opens
    /// without a password.
    pub fn read(&self, wallet_type: WalletType) -> Result<Option<ReadBundle>> {
        let Some(asked) = &self.trust_bundle else {
            return Ok(None);
        };
        if !matches!(
            wallet_type,
            WalletType::AutoLogin | WalletType::AutoLoginOnly
        ) {
            return Err(UsageError(
                "--trust-bundle makes the wallet UTL_HTTP, APEX and DBMS_CLOUD open without a password: add --auto-login-only (no password at all) or --auto-login".into(),
            )
            .into());
        }
        let path = if asked.as_os_str() == "system" {
            SYSTEM_BUNDLES
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
                .ok_or_else(|| {
                    anyhow!(
                        "no system CA bundle found (looked for {}); give the bundle's path: --trust-bundle FILE",
                        SYSTEM_BUNDLES.join(", ")
                    )
                })?
        } else {
            asked.clone()
        };
        let bytes = read_input(&path, "CA bundle")?;
        let ders = certs::read_certificates(&bytes).map_err(in_file("CA bundle", &path))?;
        if ders.is_empty() {
            return Err(anyhow!(
                "{}: holds no certificate (a PEM bundle has -----BEGIN CERTIFICATE----- blocks); nothing was written",
                path.display()
            ));
        }
        let keep = Keep {
            expired: self.keep_expired,
            non_ca: self.keep_non_ca,
        };
        let selection = select(&ders, SystemTime::now(), keep)
            .map_err(|e| anyhow!("{}: {e}; nothing was written", path.display()))?;
        if selection.added.is_empty() {
            return Err(anyhow!(
                "{}: {}, so the wallet would trust nothing; nothing was written (--keep-expired / --keep-non-ca keep those)",
                path.display(),
                selection
                    .summary_line()
                    .replacen("added 0 trusted certificates; ", "", 1)
            ));
        }
        Ok(Some(ReadBundle { path, selection }))
    }

    /// The summary line on standard error, and the JSON report when asked for.
    pub fn report(&self, bundle: &ReadBundle, wallet_dir: &Path, json: bool) -> Result<()> {
        let summary = bundle.selection.summary_line();
        eprintln!("{summary} (from {})", bundle.path.display());
        if json {
            print_json(&Report {
                wallet: wallet_dir,
                bundle: &bundle.path,
                summary,
                selection: &bundle.selection,
            })?;
        }
        Ok(())
    }
}
