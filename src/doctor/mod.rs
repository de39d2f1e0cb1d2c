//! `orakit doctor`: finds the `sqlnet.ora` Oracle would read, follows its
//! `WALLET_LOCATION`, and explains what would break TLS (TCPS) there, naming the Oracle
//! error each problem usually surfaces as (ORA-28759, ORA-29024, ORA-28860, ORA-29106).
//!
//! The caller resolves the environment (TNS_ADMIN, ORACLE_HOME, ...) into a
//! [`locate::SearchContext`]; the library reads files but never the environment.

pub mod certificates;
pub mod config;
pub mod finding;
pub mod hosts;
pub mod locate;
pub mod revocation;
pub mod wallet_files;
pub mod wallet_zip;

pub use finding::{Finding, LikelyError, Severity};
pub use locate::{Candidate, SearchContext};

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::secret::Password;
use crate::wallet::store::WalletType;

/// Everything `diagnose` needs from outside.
#[derive(Debug, Clone)]
pub struct DoctorInput {
    pub search: SearchContext,
    /// Seconds since the Unix epoch at which certificate validity is judged.
    pub now_unix: u64,
    /// A certificate that ends within this many days is warned about.
    pub warn_within_days: u32,
    /// Opens a password-only wallet; auto-login wallets need none.
    pub password: Option<Password>,
}

/// What the doctor looked at and found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The directories searched for sqlnet.ora, in order, and why each was a candidate.
    pub searched: Vec<Candidate>,
    pub sqlnet_ora: Option<PathBuf>,
    pub tnsnames_ora: Option<PathBuf>,
    pub wallet_dir: Option<PathBuf>,
    pub wallet_type: Option<WalletType>,
    /// How many certificates were checked for validity and chains.
    pub certificates_checked: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn has_problems(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Problem)
    }
}

/// Runs every check and collects all findings (it does not stop at the first).
pub fn diagnose(input: &DoctorInput) -> Report {
    match &input.search.tns_admin_flag {
        Some(file) if file.is_file() => diagnose_zip(input, file),
        _ => diagnose_in(input, None),
    }
}

/// `--tns-admin Wallet_x.zip`: the zip's sqlnet.ora and tnsnames.ora, checked with the
/// zip's own wallet; the report names `Wallet_x.zip/<member>`.
fn diagnose_zip(input: &DoctorInput, zip: &Path) -> Report {
    let searched = vec![Candidate {
        dir: zip.to_path_buf(),
        why: "--tns-admin (wallet zip)",
        has_sqlnet_ora: false,
    }];
    let failed = |code, message| Report {
        searched: searched.clone(),
        sqlnet_ora: None,
        tnsnames_ora: None,
        wallet_dir: None,
        wallet_type: None,
        certificates_checked: 0,
        findings: vec![Finding::problem(code, None, Some(zip), message)],
    };
    if !wallet_zip::is_zip(zip) {
        return failed(
            "tns-admin-not-a-directory",
            format!(
                "--tns-admin names {}, a file that is neither a directory nor a wallet zip;                  give the directory (or the Wallet_*.zip) that holds sqlnet.ora",
                zip.display()
            ),
        );
    }
    let unpacked = match wallet_zip::unpack(zip) {
        Ok(unpacked) => unpacked,
        Err(message) => return failed("wallet-zip-unreadable", message),
    };
    let mut inner = input.clone();
    inner.search.tns_admin_flag = Some(unpacked.dir.clone());
    let mut report = diagnose_in(&inner, Some(&unpacked.dir));
    for c in &mut report.searched {
        c.dir = zip.to_path_buf();
        c.why = "--tns-admin (wallet zip)";
    }
    let inside = |p: &mut PathBuf| {
        if let Ok(rest) = p.strip_prefix(&unpacked.dir) {
            *p = if rest.as_os_str().is_empty() {
                zip.to_path_buf()
            } else {
                zip.join(rest)
            };
        }
    };
    for p in [
        &mut report.sqlnet_ora,
        &mut report.tnsnames_ora,
        &mut report.wallet_dir,
    ]
    .into_iter()
    .flatten()
    {
        inside(p);
    }
    let from = unpacked.dir.display().to_string();
    let to = zip.display().to_string();
    for f in &mut report.findings {
        if let Some(p) = &mut f.file {
            inside(p);
        }
        f.message = f.message.replace(&from, &to);
    }
    report
}

/// The checks on the first directory holding sqlnet.ora; `zip_wallet` is the unpacked
/// zip, whose own wallet stands in for whatever its WALLET_LOCATION names.
fn diagnose_in(input: &DoctorInput, zip_wallet: Option<&Path>) -> Report {
    let searched = input.search.candidates();
    let mut report = Report {
        searched: searched.clone(),
        sqlnet_ora: None,
        tnsnames_ora: None,
        wallet_dir: None,
        wallet_type: None,
        certificates_checked: 0,
        findings: Vec::new(),
    };
    let Some(dir) = locate::first_with_sqlnet(&searched) else {
        report.findings.push(Finding::problem(
            "sqlnet-missing",
            Some(LikelyError::Ora28759),
            None,
            format!(
                "no sqlnet.ora in any searched directory ({}); without one the client has no \
                 WALLET_LOCATION. Set TNS_ADMIN (or --tns-admin) to the directory that holds it, \
                 or create one with `orakit net sqlnet`",
                searched
                    .iter()
                    .map(|c| c.dir.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        return report;
    };
    let sqlnet = dir.join("sqlnet.ora");
    report.sqlnet_ora = Some(sqlnet.clone());
    let Some(settings) = config::read(&sqlnet, &input.search, &mut report.findings) else {
        return report;
    };
    let tnsnames = dir.join("tnsnames.ora");
    let tcps_hosts = if tnsnames.is_file() {
        report.tnsnames_ora = Some(tnsnames.clone());
        hosts::tcps_hosts(&tnsnames, &mut report.findings)
    } else {
        Vec::new()
    };
    let wallet_dir = match (zip_wallet, &settings.location) {
        (Some(unpacked), Some(value)) => {
            // `?` without ORACLE_HOME is the zip's normal case, not a reason to skip.
            report
                .findings
                .retain(|f| f.code != "wallet-location-unchecked");
            report.findings.push(Finding::note(
                "wallet-location-in-zip",
                Some(&sqlnet),
                format!(
                    "sqlnet.ora sets WALLET_LOCATION DIRECTORY=\"{value}\": the client resolves \
                     it where the zip is unzipped (`?` is ORACLE_HOME, so unzip into \
                     $ORACLE_HOME/network/admin, or unzip elsewhere, set TNS_ADMIN to that \
                     directory and DIRECTORY to it); the wallet inside the zip was checked in \
                     its place"
                ),
            ));
            Some(unpacked.to_path_buf())
        }
        _ => settings.wallet_dir.clone(),
    };
    let wallet = match &wallet_dir {
        Some(dir) => {
            report.wallet_dir = Some(dir.clone());
            wallet_files::check(dir, input.password.as_ref(), &mut report)
        }
        None => None,
    };
    let key_type = wallet
        .as_ref()
        .and_then(|(w, _)| certificates::user_key_type(w));
    config::lint(&sqlnet, key_type, &input.search, &mut report.findings);
    for other in [dir.join("listener.ora"), tnsnames.clone()] {
        if other.is_file() {
            config::lint(&other, key_type, &input.search, &mut report.findings);
        }
    }
    if let Some((wallet, file)) = &wallet {
        report.certificates_checked = certificates::check(
            wallet,
            file,
            input.now_unix,
            input.warn_within_days,
            &mut report.findings,
        );
        hosts::check_sans(wallet, &tcps_hosts, &tnsnames, &mut report.findings);
    }
    revocation::check(
        &sqlnet,
        wallet.as_ref().map(|(w, _)| w),
        wallet_dir.as_deref(),
        input.now_unix,
        &mut report.findings,
    );
    report
}
