//! Renewing a server certificate that was brought from elsewhere ([`super::byo`]): there
//! is no CA of ours to sign a new one, so the renewed certificate is brought too (from the
//! same sources as `tcps init`) and put in the old one's place.
//!
//! [`replace_identity`] is the one place a brought key and certificate replace a server
//! wallet's identity in place (the certificate entry keeps its position, localKeyId and
//! friendly name when the key is the same; a new key replaces the old key, its request
//! and certificate; everything else the wallet holds stays). `tcps renew` uses it here,
//! `tcps issue --bring` for a host whose brought certificate changed.
//!
//! What the clients trust does not change: a certificate whose chain ends in a root the
//! client wallet does not hold is refused (moving the clients to another root is
//! `tcps rotate-root`'s work). The `.ora` files and the client wallet are never written.

use std::fs;
use std::path::Path;

use der::Encode;
use x509_cert::Certificate;

use super::byo::{self, BroughtCertificate};
use super::renew::{RenewReport, facts, server_identity, updated_summary};
use super::{Error, Result, layout};
use crate::fsio::{MODE_PUBLIC, PlannedFile};
use crate::pki::cert;
use crate::secret::Password;
use crate::wallet::certs::subject_of;
use crate::wallet::import;
use crate::wallet::model::{DEFAULT_KEY_NAME, Item, Wallet};
use crate::wallet::store::{self, WalletPaths, WalletType};

/// Whether `tcps init` made `dir` from a brought certificate (its summary names where
/// the certificate came from, and there is no CA key).
pub fn is_brought(dir: &Path) -> bool {
    fs::read(dir.join(layout::MARKER))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|summary| summary["ca"]["server_certificate_source"].is_string())
}

/// The message for `tcps renew DIR` on a brought-certificate output without a new one.
pub fn needs_new_certificate(dir: &Path) -> Error {
    let source = fs::read(dir.join(layout::MARKER))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|summary| {
            summary["ca"]["server_certificate_source"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "elsewhere".to_owned());
    Error::Invalid(format!(
        "the server certificate of {} was brought from {source}, not issued by a CA of orakit's, \
         so orakit cannot renew it: have its CA renew it, then give the new one with \
         `orakit tcps renew {} --pkcs12 FILE` (or --key FILE --cert FILE [--chain FILE], or \
         --tls-secret DIR); nothing was written",
        dir.display(),
        dir.display()
    ))
}

/// What [`replace_identity`] did.
pub struct Replacement {
    pub certificate: Certificate,
    /// The brought key differs from the wallet's (by public key).
    pub key_changed: bool,
    /// DER of the brought chain's root.
    pub root_der: Vec<u8>,
    pub warnings: Vec<String>,
}

/// Puts `brought` (checked as `tcps init` checks it) in the place of the server identity
/// of `wallet` (read from `p12`, for messages). A wallet already holding exactly that
/// certificate is left as it is.
pub fn replace_identity(
    wallet: &mut Wallet,
    p12: &Path,
    brought: &BroughtCertificate,
) -> Result<Replacement> {
    let checked = byo::check(brought, wallet.profile)?;
    let (key_index, user_index, current) = server_identity(wallet, p12)?;
    let new_der = brought.identity.certificate.clone();
    let key_changed = current.tbs_certificate().subject_public_key_info()
        != checked
            .certificate
            .tbs_certificate()
            .subject_public_key_info();
    if key_changed {
        // orapki's import layout for the new key (with its request for PEM sources), in
        // place of the old key, its request and its certificate.
        let doomed = wallet.removal_set(&[key_index]);
        wallet.remove(&doomed);
        // The request `check` made for a PEM source (none for a PKCS#12 file).
        let request = checked.wallet.entries.iter().find_map(|e| match &e.item {
            Item::CertificateRequest(der) => Some(der.clone()),
            _ => None,
        });
        import::import(
            wallet,
            &brought.identity,
            request.as_deref(),
            DEFAULT_KEY_NAME,
        )
        .map_err(|e| Error::Invalid(format!("{}: {e}; nothing was written", brought.source)))?;
    } else {
        let same = current.to_der().is_ok_and(|der| der == new_der);
        if !same {
            wallet.entries[user_index].item = Item::Certificate(new_der);
        }
        for trusted in checked
            .wallet
            .trusted_indices()
            .into_iter()
            .filter_map(|i| match &checked.wallet.entries[i].item {
                Item::Certificate(der) => Some(der.clone()),
                _ => None,
            })
        {
            wallet.add_trusted(&trusted)?;
        }
    }
    Ok(Replacement {
        certificate: checked.certificate,
        key_changed,
        root_der: checked.root_der,
        warnings: checked.warnings,
    })
}

/// The roots a trust-only client wallet (`cwallet.sso`) holds, DER.
pub fn trusted_by(client_sso: &Path) -> Result<Vec<Vec<u8>>> {
    let wallet = store::open_sso(client_sso, None)?.pkcs12.wallet;
    Ok(wallet
        .trusted_indices()
        .into_iter()
        .filter_map(|i| match &wallet.entries[i].item {
            Item::Certificate(der) => Some(der.clone()),
            _ => None,
        })
        .collect())
}

/// `tcps renew DIR --pkcs12 | --key --cert | --tls-secret`: the brought certificate
/// replaces the server's (see the module documentation). `check` plans only.
pub fn renew_brought(
    dir: &Path,
    password: &Password,
    brought: &BroughtCertificate,
    check: bool,
    now_unix: i64,
) -> Result<RenewReport> {
    if !dir.join(layout::MARKER).is_file() {
        return Err(Error::Layout(format!(
            "{} is not a `tcps init` output (it has no {}); give the directory `tcps init --out` wrote",
            dir.display(),
            layout::MARKER
        )));
    }
    let wallet_dir = dir.join(layout::SERVER_WALLET);
    let preview = {
        let _shared = store::read_lock(&wallet_dir)?;
        pass(dir, password, brought, true, now_unix)?
    };
    if check || !preview.changed {
        return Ok(RenewReport { check, ..preview });
    }
    let _exclusive = store::lock(&wallet_dir)?;
    pass(dir, password, brought, false, now_unix)
}

fn pass(
    dir: &Path,
    password: &Password,
    brought: &BroughtCertificate,
    check: bool,
    now: i64,
) -> Result<RenewReport> {
    let paths = WalletPaths::in_dir(&dir.join(layout::SERVER_WALLET));
    let wallet_type = match paths.existing_type()? {
        Some(t @ (WalletType::AutoLogin | WalletType::Password)) => t,
        _ => {
            return Err(Error::Invalid(format!(
                "{} holds no server wallet (ewallet.p12); tcps renew needs the server wallet \
                 `tcps init` wrote",
                paths.dir.display()
            )));
        }
    };
    let opened = store::open_p12(&paths.p12, password)?;
    let before = opened.pkcs12.wallet.clone();
    let mut wallet = before.clone();
    let (_, _, current) = server_identity(&wallet, &paths.p12)?;
    let replaced = replace_identity(&mut wallet, &paths.p12, brought)?;

    let client_sso = dir.join(layout::CLIENT_WALLET).join(store::SSO_NAME);
    let roots = trusted_by(&client_sso)?;
    if !roots.contains(&replaced.root_der) {
        let trusted: Vec<String> = roots
            .iter()
            .map(|d| format!("\"{}\"", subject_of(d)))
            .collect();
        return Err(Error::Invalid(format!(
            "{}: the new certificate's chain ends in the root \"{}\", which the client wallet {} \
             does not trust (it trusts {}): clients would refuse the server. Bring a certificate \
             from the same root, or move the clients to the new root first with `orakit tcps \
             rotate-root`; nothing was written",
            brought.source,
            subject_of(&replaced.root_der),
            client_sso.display(),
            if trusted.is_empty() {
                "nothing".to_owned()
            } else {
                trusted.join(", ")
            }
        )));
    }

    let certificate_changed = current.to_der().ok() != replaced.certificate.to_der().ok();
    let wallet_changed =
        !store::save_would_change_nothing(&paths, &wallet, wallet_type, Some(password), None);
    let mut report = RenewReport {
        dir: dir.to_path_buf(),
        changed: false,
        check,
        renewed: certificate_changed,
        reason: if certificate_changed {
            format!(
                "the brought certificate from {} replaces the server certificate",
                brought.source
            )
        } else {
            format!(
                "the server wallet already holds the certificate from {}",
                brought.source
            )
        },
        key: certificate_changed.then_some(if replaced.key_changed { "new" } else { "kept" }),
        current: facts(&current, now),
        renewed_certificate: certificate_changed.then(|| facts(&replaced.certificate, now)),
        files_changed: Vec::new(),
        warnings: replaced.warnings,
    };
    if wallet_changed {
        report
            .files_changed
            .push(format!("{}/ewallet.p12", layout::SERVER_WALLET));
        if wallet_type == WalletType::AutoLogin {
            report
                .files_changed
                .push(format!("{}/cwallet.sso", layout::SERVER_WALLET));
        }
    }
    let server_pem = cert::to_pem(&replaced.certificate)?;
    let summary = summary_with_source(
        &updated_summary(&dir.join(layout::MARKER), &replaced.certificate)?,
        &brought.source,
    )?;
    let mut derived = Vec::new();
    for (relative, bytes) in [
        (layout::SERVER_CERT, server_pem.into_bytes()),
        (layout::MARKER, summary),
    ] {
        let path = dir.join(relative);
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            continue;
        }
        report.files_changed.push(relative.to_owned());
        derived.push(PlannedFile::new(path, bytes, MODE_PUBLIC));
    }
    report.changed = !report.files_changed.is_empty();
    if check {
        return Ok(report);
    }
    let wallet_to_save = wallet_changed.then_some((&wallet, wallet_type, password));
    super::renew::commit(&paths, wallet_to_save, &derived)?;
    Ok(report)
}

/// The summary with `ca.server_certificate_source` set to where the certificate in
/// force came from.
fn summary_with_source(summary: &[u8], source: &str) -> Result<Vec<u8>> {
    let mut value: serde_json::Value =
        serde_json::from_slice(summary).map_err(|e| Error::Invalid(format!("internal: {e}")))?;
    if let Some(ca) = value.get_mut("ca").and_then(|c| c.as_object_mut()) {
        ca.insert(
            "server_certificate_source".into(),
            serde_json::Value::String(source.to_owned()),
        );
    }
    let mut out = serde_json::to_string_pretty(&value)
        .map_err(|e| Error::Invalid(format!("internal: {e}")))?;
    out.push('\n');
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_summary_gets_the_source() {
        let out = super::summary_with_source(br#"{"ca":{"subject":"CN=x"}}"#, "new.p12").unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["ca"]["server_certificate_source"], "new.p12");
        assert_eq!(value["ca"]["subject"], "CN=x");
    }
}
