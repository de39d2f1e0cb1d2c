//! `tcps renew DIR`: a new server certificate for a `tcps init` output, signed by the
//! same CA (DIR/ca), on the same key unless a new one is asked for.
//!
//! The server wallet is the truth: its user certificate is the one being renewed, and
//! `server/server.pem`, the client's `ewallet.pem` (the CA, for thin drivers) and the
//! summary's `server.not_after` are derived from it and the CA. A run writes only the
//! files whose bytes would change, so a run with nothing due changes no byte and no
//! mtime, and a run interrupted after the wallet was written is finished by the next.
//! The `.ora` files and the client's `cwallet.sso` are never written: the CA does not
//! change, so neither does what clients trust.
//!
//! A CA that did not issue the certificate being renewed (another name, or the same
//! name with another key) is refused: its certificate would not chain to what the
//! clients trust.

use std::fs;
use std::path::{Path, PathBuf};

use der::{Decode, Encode};
use serde::Serialize;
use x509_cert::Certificate;

use super::layout;
use super::server::CaMaterial;
use super::{Error, Result, ca_store};
use crate::expiry::{days_left, ends_within, not_after_unix, rfc3339};
use crate::fsio::{self, MODE_PUBLIC, Overwrite, PlannedFile};
use crate::pki::cert;
use crate::pki::csr::create_csr;
use crate::pki::issue::{IssueRequest, issue_certificate};
use crate::pki::key::{PrivateKey, spec_of_public_key};
use crate::pki::name::to_rfc2253;
use crate::pki::profile::Profile as CertProfile;
use crate::pki::san::SanEntry;
use crate::pki::show::format_time;
use crate::secret::Password;
use crate::text::count;
use crate::wallet::model::{DEFAULT_KEY_NAME, Item, Wallet, sha256_hex};
use crate::wallet::pem::trust_pem;
use crate::wallet::store::{self, WalletPaths, WalletType};

/// When and how to renew.
#[derive(Debug, Clone)]
pub struct RenewSpec {
    /// Validity of the new certificate in days (never past the CA's).
    pub days: u32,
    /// Renew only when the certificate ends within this many days.
    pub within_days: u32,
    /// Renew even when it is not due.
    pub force: bool,
    /// A new key of the same type instead of the current one.
    pub new_key: bool,
    /// Plan and report only; write nothing.
    pub check: bool,
    pub now_unix: i64,
}

/// One certificate as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CertFacts {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_after: String,
    pub days_left: i64,
    pub sha256_fingerprint: String,
}

/// What a run did (or, with `check`, would do).
#[derive(Debug, Clone, Serialize)]
pub struct RenewReport {
    pub dir: PathBuf,
    /// Some file changed (with `check`: would change).
    pub changed: bool,
    pub check: bool,
    /// A new certificate was issued (with `check`: would be).
    pub renewed: bool,
    /// Why (or why not).
    pub reason: String,
    /// `kept` or `new` when renewed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'static str>,
    /// The certificate the wallet held.
    pub current: CertFacts,
    /// The certificate issued (absent with `check`, whose certificate is not made).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewed_certificate: Option<CertFacts>,
    /// The files written (or that would be), relative to `dir`.
    pub files_changed: Vec<String>,
    /// What the issuer reported (validity clamped to the CA's end, ...).
    pub warnings: Vec<String>,
}

pub(crate) fn facts(certificate: &Certificate, now: i64) -> CertFacts {
    let tbs = certificate.tbs_certificate();
    let end = not_after_unix(certificate);
    let serial = hex::encode(tbs.serial_number().as_bytes());
    CertFacts {
        subject: to_rfc2253(tbs.subject()),
        issuer: to_rfc2253(tbs.issuer()),
        serial: serial.trim_start_matches('0').to_owned(),
        not_after: rfc3339(end),
        days_left: days_left(end, now),
        sha256_fingerprint: sha256_hex(&certificate.to_der().unwrap_or_default()),
    }
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    crate::limits::read_file(path, crate::limits::MAX_PKI_FILE, what)
        .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", path.display())))
}

/// The CA of a `tcps init` output: DIR/ca/ca.pem and DIR/ca/ca.key (`ca_password` opens
/// an encrypted key).
pub fn read_ca(dir: &Path, ca_password: Option<&Password>) -> Result<CaMaterial> {
    Ok(ca_store::read_ca_dir(&dir.join("ca"), ca_password)?.material)
}

/// The wallet's single user certificate and the index of its private key: (key index,
/// certificate index, certificate). Shared with `tcps issue --renew-within` and
/// `tcps rotate-root`.
pub fn server_identity(wallet: &Wallet, p12: &Path) -> Result<(usize, usize, Certificate)> {
    let keys = wallet.indices_where(|item| matches!(item, Item::PrivateKey(_)));
    let with_cert: Vec<(usize, usize)> = keys
        .iter()
        .filter_map(|&k| wallet.user_certificate_of(k).map(|c| (k, c)))
        .collect();
    let [(key, user)] = with_cert.as_slice() else {
        return Err(Error::Invalid(format!(
            "{} holds {} certified keys; tcps renew renews a `tcps init` server wallet, which \
             holds one (use `orakit wallet replace` for other wallets)",
            p12.display(),
            with_cert.len()
        )));
    };
    let Item::Certificate(der) = &wallet.entries[*user].item else {
        unreachable!("user_certificate_of returns certificates")
    };
    let certificate = Certificate::from_der(der)
        .map_err(|e| Error::Invalid(format!("{}: its user certificate: {e}", p12.display())))?;
    Ok((*key, *user, certificate))
}

/// Renews (or, with `spec.check`, plans renewing) the server certificate of `dir`.
/// The plan is made under a shared lock, which creates no file; only a run that will
/// write takes the wallet's exclusive lock (creating orapki's `.lck` files as orapki
/// does) and plans again under it.
pub fn renew(
    dir: &Path,
    password: &Password,
    ca_password: Option<&Password>,
    spec: &RenewSpec,
) -> Result<RenewReport> {
    check_init_dir(dir)?;
    let mut ca = read_ca(dir, ca_password)?;
    // Between phases 2 and 3 of a root rotation the server certificate is from the new
    // root, which is still DIR/ca-new: renew with it.
    let new_ca = dir.join(super::rotate::NEW_CA_DIR);
    if new_ca.join(ca_store::CERT_NAME).is_file()
        && let Ok(pem) = fs::read(dir.join(layout::SERVER_CERT))
        && let Ok(current) = cert::read_certificate(&pem)
        && !ca.issued(&current)
    {
        let next = ca_store::read_ca_dir(&new_ca, ca_password)?.material;
        if next.issued(&current) {
            ca = next;
        }
    }
    renew_with(dir, password, &ca, Issuer::Same, spec)
}

/// Refuses a directory `tcps init` did not write.
fn check_init_dir(dir: &Path) -> Result<()> {
    if !dir.join(layout::MARKER).is_file() {
        return Err(Error::Layout(format!(
            "{} is not a `tcps init` output (it has no {}); give the directory `tcps init --out` wrote",
            dir.display(),
            layout::MARKER
        )));
    }
    Ok(())
}

/// Which CA the renewed certificate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// The CA that issued the current certificate (`tcps renew`); another is refused.
    Same,
    /// A new root (`tcps rotate-root --phase reissue`): due whenever the current
    /// certificate is not yet from it; the client's `ewallet.pem` is left to the rotation.
    Rotate,
}

/// [`renew`] with the CA given: the work of `tcps renew` and of the reissue phase of a
/// root rotation.
pub fn renew_with(
    dir: &Path,
    password: &Password,
    ca: &CaMaterial,
    issuer: Issuer,
    spec: &RenewSpec,
) -> Result<RenewReport> {
    let wallet_dir = dir.join(layout::SERVER_WALLET);
    let preview = {
        let _shared = if wallet_dir.is_dir() {
            Some(store::read_lock(&wallet_dir)?)
        } else {
            None
        };
        pass(dir, password, ca, issuer, spec, true)?
    };
    if spec.check || !preview.changed {
        return Ok(RenewReport {
            check: spec.check,
            ..preview
        });
    }
    let _exclusive = store::lock(&wallet_dir)?;
    pass(dir, password, ca, issuer, spec, false)
}

/// One planning (and, unless `check`, writing) pass; the caller holds the lock.
fn pass(
    dir: &Path,
    password: &Password,
    ca: &CaMaterial,
    issuer: Issuer,
    spec: &RenewSpec,
    check: bool,
) -> Result<RenewReport> {
    check_init_dir(dir)?;
    let paths = WalletPaths::in_dir(&dir.join(layout::SERVER_WALLET));
    let wallet_type = paths.existing_type()?;
    let wallet_type = match wallet_type {
        Some(t @ (WalletType::AutoLogin | WalletType::Password)) => t,
        Some(other) => {
            return Err(Error::Invalid(format!(
                "{} is a {other:?} wallet; tcps renew renews the auto-login server wallet \
                 (ewallet.p12 + cwallet.sso) `tcps init` wrote",
                paths.dir.display()
            )));
        }
        None => {
            return Err(Error::Invalid(format!(
                "{} holds no wallet (no ewallet.p12); tcps renew needs the server wallet \
                 `tcps init` wrote",
                paths.dir.display()
            )));
        }
    };
    let opened = store::open_p12(&paths.p12, password)?;
    let mut wallet = opened.pkcs12.wallet.clone();
    let (key_index, user_index, current) = server_identity(&wallet, &paths.p12)?;
    let from_this_ca = ca.issued(&current);
    if issuer == Issuer::Same && !from_this_ca {
        return Err(Error::Invalid(format!(
            "the server certificate in {} was issued by \"{}\", not by the CA in {} (\"{}\", \
             checked by name and signature); a certificate from this CA would not chain to \
             what the clients trust. Renew with the CA that issued it, or make a new set-up \
             with `tcps init`",
            paths.p12.display(),
            to_rfc2253(current.tbs_certificate().issuer()),
            dir.join("ca").display(),
            to_rfc2253(ca.certificate.tbs_certificate().subject())
        )));
    }
    let now = spec.now_unix;
    let current_facts = facts(&current, now);
    let due = match issuer {
        Issuer::Same => is_due(&current, now, spec.within_days),
        Issuer::Rotate => !from_this_ca,
    };
    let mut report = RenewReport {
        dir: dir.to_path_buf(),
        changed: false,
        check,
        renewed: false,
        reason: String::new(),
        key: None,
        current: current_facts.clone(),
        renewed_certificate: None,
        files_changed: Vec::new(),
        warnings: Vec::new(),
    };
    let mut write_wallet = false;
    let mut in_force = current.clone();
    if due || spec.force {
        report.renewed = true;
        report.reason = if issuer == Issuer::Rotate {
            format!(
                "the server certificate was issued by \"{}\"; it is re-issued under the new root \"{}\"",
                current_facts.issuer,
                to_rfc2253(ca.certificate.tbs_certificate().subject())
            )
        } else if due {
            format!(
                "the server certificate ends {} ({} left), within {}",
                current_facts.not_after,
                count(current_facts.days_left, "day"),
                count(spec.within_days, "day")
            )
        } else {
            format!(
                "renewal asked for (--force); the certificate had {} left",
                count(current_facts.days_left, "day")
            )
        };
        report.key = Some(if spec.new_key { "new" } else { "kept" });
        report.files_changed.extend([
            format!("{}/ewallet.p12", layout::SERVER_WALLET),
            format!("{}/cwallet.sso", layout::SERVER_WALLET),
        ]);
        report
            .files_changed
            .retain(|f| wallet_type == WalletType::AutoLogin || f.ends_with(".p12"));
        if !check {
            let (issued, warnings) = reissue(
                ca,
                &current,
                &mut wallet,
                key_index,
                user_index,
                spec.days,
                spec.new_key,
            )?;
            in_force = issued;
            report.warnings = warnings;
            report.renewed_certificate = Some(facts(&in_force, now));
            write_wallet = true;
        }
    } else if issuer == Issuer::Rotate {
        report.reason = format!(
            "the server certificate is already issued by the new root \"{}\"",
            current_facts.issuer
        );
    } else {
        report.reason = format!(
            "not due: the server certificate ends {} ({} left), after the {} of --within; \
             --force renews it now",
            current_facts.not_after,
            count(current_facts.days_left, "day"),
            count(spec.within_days, "day")
        );
    }
    // The files derived from the wallet's certificate and the CA.
    let mut derived: Vec<PlannedFile> = Vec::new();
    let server_pem = cert::to_pem(&in_force)?;
    let client_pem = trust_pem(&ca.chain_der);
    let summary = updated_summary(&dir.join(layout::MARKER), &in_force)?;
    let client_pem_file = format!("{}/ewallet.pem", layout::CLIENT_WALLET);
    let mut derived_files = vec![
        (layout::SERVER_CERT.to_owned(), server_pem.into_bytes()),
        (client_pem_file.clone(), client_pem.into_bytes()),
        (layout::MARKER.to_owned(), summary),
    ];
    if issuer == Issuer::Rotate || dir.join(super::rotate::STATE_FILE).is_file() {
        // Once a root rotation was started, the clients' roots are the rotation's to set
        // (both roots during it, the new one after it).
        derived_files.retain(|(relative, _)| *relative != client_pem_file);
    }
    for (relative, bytes) in derived_files {
        let path = dir.join(&relative);
        let same = fs::read(&path).is_ok_and(|old| old == bytes);
        // With --check no certificate is made, yet a due renewal changes server.pem and
        // the summary.
        let planned_change = check && report.renewed && relative != client_pem_file;
        if !same || planned_change {
            report.files_changed.push(relative);
        }
        if !same {
            derived.push(PlannedFile::new(path, bytes, MODE_PUBLIC));
        }
    }
    report.changed = !report.files_changed.is_empty();
    if check {
        return Ok(report);
    }
    let wallet_to_save = write_wallet.then_some((&wallet, wallet_type, password));
    commit(&paths, wallet_to_save, &derived)?;
    Ok(report)
}

/// Writes a renewal: the server wallet (p12 and sso together) when it changed, then the
/// files derived from it (server.pem, the summary, ...), each atomically. Shared by
/// `tcps renew` of an issued and of a brought certificate.
pub(crate) fn commit(
    paths: &WalletPaths,
    wallet: Option<(&Wallet, WalletType, &Password)>,
    derived: &[PlannedFile],
) -> Result<()> {
    if let Some((wallet, wallet_type, password)) = wallet {
        store::save(paths, wallet, wallet_type, Some(password), Overwrite::Allow)?;
    }
    for file in derived {
        fsio::write_atomic(&file.path, &file.contents, file.mode, Overwrite::Allow)?;
    }
    Ok(())
}

/// Whether `certificate` ends within `within_days` days of `now_unix` (or has ended):
/// the one rule of `tcps renew --within` and `tcps issue --renew-within`.
pub fn is_due(certificate: &Certificate, now_unix: i64, within_days: u32) -> bool {
    ends_within(not_after_unix(certificate), now_unix, within_days)
}

/// Issues the new certificate (the old one's subject and SANs, server profile, `days`)
/// and puts it in `wallet` in the place of the old one, on the same key unless
/// `new_key`; the CA's chain becomes trusted beside what the wallet trusts already.
/// Shared by `tcps renew`, `tcps issue --renew-within` and `tcps rotate-root`.
pub fn reissue(
    ca: &CaMaterial,
    current: &Certificate,
    wallet: &mut Wallet,
    key_index: usize,
    user_index: usize,
    days: u32,
    new_key: bool,
) -> Result<(Certificate, Vec<String>)> {
    let tbs = current.tbs_certificate();
    let Item::PrivateKey(pkcs8) = &wallet.entries[key_index].item else {
        unreachable!("key_index is a private key")
    };
    let key = if new_key {
        PrivateKey::generate(spec_of_public_key(tbs.subject_public_key_info())?)?
    } else {
        PrivateKey::from_pem_or_der(pkcs8, None)?
    };
    let sans: Vec<SanEntry> = tbs
        .extensions()
        .map(|e| crate::pki::show::sans_of(e))
        .unwrap_or_default()
        .iter()
        .map(|s| SanEntry::parse(s))
        .collect::<std::result::Result<_, _>>()?;
    let csr = create_csr(&key, tbs.subject(), &sans)?;
    let issued = issue_certificate(&IssueRequest {
        csr: &csr,
        ca_cert: &ca.certificate,
        ca_key: &ca.key,
        profile: CertProfile::Server,
        extra_sans: &[],
        days,
        serial: None,
    })?;
    let new_der = issued
        .certificate
        .to_der()
        .map_err(|e| Error::Invalid(format!("cannot encode the certificate: {e}")))?;
    if new_key {
        // The old key, its request and its certificate go; the new pair comes in
        // orapki's order (key with request, then the certificate).
        let doomed = wallet.removal_set(&[key_index]);
        wallet.remove(&doomed);
        wallet.add_key_with_request(&key.to_pkcs8_der()?, csr.der(), DEFAULT_KEY_NAME)?;
        wallet.install_user_certificate(&new_der)?;
    } else {
        // Same key: only the certificate entry changes, keeping its position,
        // localKeyId and friendly name (as `wallet replace` does).
        wallet.entries[user_index].item = Item::Certificate(new_der);
    }
    for ca_der in &ca.chain_der {
        wallet.add_trusted(ca_der)?;
    }
    let warnings = issued.warnings.iter().map(ToString::to_string).collect();
    Ok((issued.certificate, warnings))
}

/// The summary with `server.not_after` set to the certificate in force, as bytes; the
/// rest of the file as it was.
pub(crate) fn updated_summary(path: &Path, certificate: &Certificate) -> Result<Vec<u8>> {
    let text = read(path, "summary")?;
    let mut value: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
        Error::Invalid(format!(
            "{} is not the JSON `tcps init` wrote: {e}",
            path.display()
        ))
    })?;
    let before = value.clone();
    let not_after = format_time(&certificate.tbs_certificate().validity().not_after);
    match value.get_mut("server").and_then(|s| s.as_object_mut()) {
        Some(server) => {
            server.insert("not_after".into(), serde_json::Value::String(not_after));
        }
        None => {
            return Err(Error::Invalid(format!(
                "{} has no \"server\" section; it is not the summary `tcps init` wrote",
                path.display()
            )));
        }
    }
    if value == before {
        // Same content: keep the file's own bytes (tcps init writes its fields in struct
        // order, a re-serialised value would sort them and count as a change).
        return Ok(text);
    }
    let mut out = serde_json::to_string_pretty(&value)
        .map_err(|e| Error::Invalid(format!("internal: {e}")))?;
    out.push('\n');
    Ok(out.into_bytes())
}

impl RenewReport {
    /// The report as text for a person.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let verb = if self.check {
            "would change"
        } else {
            "changed"
        };
        out.push_str(&format!(
            "{}: {}\n",
            self.dir.display(),
            if self.renewed {
                if self.check {
                    "the server certificate would be renewed"
                } else {
                    "the server certificate was renewed"
                }
            } else {
                "nothing renewed"
            }
        ));
        out.push_str(&format!("  {}\n", self.reason));
        out.push_str(&format!(
            "  current   {} serial {} ends {} ({} left)\n",
            self.current.subject,
            self.current.serial,
            self.current.not_after,
            count(self.current.days_left, "day")
        ));
        if let Some(new) = &self.renewed_certificate {
            out.push_str(&format!(
                "  renewed   {} serial {} ends {} ({} left), key {}\n",
                new.subject,
                new.serial,
                new.not_after,
                count(new.days_left, "day"),
                self.key.unwrap_or("kept")
            ));
        }
        for w in &self.warnings {
            out.push_str(&format!("  warning: {w}\n"));
        }
        if self.files_changed.is_empty() {
            out.push_str("  no file changed\n");
        } else {
            for f in &self.files_changed {
                out.push_str(&format!("  {verb}: {f}\n"));
            }
        }
        if self.renewed && !self.check {
            out.push_str(
                "  install the new server wallet (ewallet.p12, cwallet.sso) on the database host; \
                 clients keep their wallets (the CA is the same)\n",
            );
        }
        out
    }
}
