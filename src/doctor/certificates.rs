//! The certificates inside the wallet: each valid now, each user certificate's chain
//! complete up to a self-signed root inside the wallet, signatures matching.

use std::path::Path;

use der::{Decode, Encode};
use x509_cert::Certificate;

use super::finding::{Finding, LikelyError};
use crate::net::tls::KeyType;
use crate::pki::name::to_rfc2253;
use crate::pki::signer::verify_signature;
use crate::wallet::model::{Item, Wallet};

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// Checks every certificate in the wallet; returns how many were checked.
pub fn check(wallet: &Wallet, file: &Path, now_unix: u64, findings: &mut Vec<Finding>) -> usize {
    let first_new = findings.len();
    let user = wallet.user_cert_indices();
    let mut all = Vec::new();
    for (i, entry) in wallet.entries.iter().enumerate() {
        let Item::Certificate(der) = &entry.item else {
            continue;
        };
        match Certificate::from_der(der) {
            Ok(cert) => all.push((user.contains(&i), cert)),
            Err(e) => findings.push(Finding::problem(
                "cert-unparseable",
                Some(LikelyError::Ora29106),
                Some(file),
                format!(
                    "certificate entry {} of the wallet cannot be parsed: {e}",
                    i + 1
                ),
            )),
        }
    }
    if all.is_empty() {
        findings.push(Finding::problem(
            "no-certificates",
            Some(LikelyError::Ora29024),
            Some(file),
            "the wallet holds no certificate, so no server can be verified; add the CA with \
             `orakit wallet add-trusted`"
                .into(),
        ));
        return 0;
    }
    let certs: Vec<&Certificate> = all.iter().map(|(_, c)| c).collect();
    for (is_user, cert) in &all {
        let role = if *is_user { "user" } else { "trusted" };
        validity(cert, role, now_unix, findings);
        if *is_user || !self_issued(cert) {
            chain(cert, role, &certs, findings);
        }
    }
    for f in &mut findings[first_new..] {
        f.file = Some(file.to_path_buf());
    }
    all.len()
}

fn validity(cert: &Certificate, role: &str, now: u64, findings: &mut Vec<Finding>) {
    let tbs = cert.tbs_certificate();
    let subject = to_rfc2253(tbs.subject());
    let v = tbs.validity();
    if now > v.not_after.to_unix_duration().as_secs() {
        findings.push(Finding::problem(
            "cert-expired",
            Some(LikelyError::Ora29024),
            None,
            format!(
                "the {role} certificate \"{subject}\" expired on {}; replace it (and remove the old one \
                 with `orakit wallet remove`)",
                v.not_after
            ),
        ));
    } else if now < v.not_before.to_unix_duration().as_secs() {
        findings.push(Finding::problem(
            "cert-not-yet-valid",
            Some(LikelyError::Ora29024),
            None,
            format!(
                "the {role} certificate \"{subject}\" is not valid before {} (check the clock)",
                v.not_before
            ),
        ));
    }
}

/// Walks issuer links inside the wallet up to a self-issued certificate.
fn chain(start: &Certificate, role: &str, certs: &[&Certificate], findings: &mut Vec<Finding>) {
    let start_subject = to_rfc2253(start.tbs_certificate().subject());
    let mut current = start;
    for _ in 0..=certs.len() {
        if self_issued(current) {
            return;
        }
        let issuer = current.tbs_certificate().issuer();
        let issuer_der = issuer.to_der().ok();
        let candidates: Vec<&&Certificate> = certs
            .iter()
            .filter(|c| c.tbs_certificate().subject().to_der().ok() == issuer_der)
            .collect();
        if candidates.is_empty() {
            findings.push(Finding::problem(
                "chain-incomplete",
                Some(LikelyError::Ora29024),
                None,
                format!(
                    "the chain of the {role} certificate \"{start_subject}\" is incomplete: its \
                     issuer \"{}\" is not in the wallet; add that CA certificate (and any above it) \
                     with `orakit wallet add-trusted`",
                    to_rfc2253(issuer)
                ),
            ));
            return;
        }
        let verdicts: Vec<Option<bool>> =
            candidates.iter().map(|c| signed_by(current, c)).collect();
        let next = candidates
            .iter()
            .zip(&verdicts)
            .find(|(_, v)| **v == Some(true))
            .or_else(|| candidates.iter().zip(&verdicts).find(|(_, v)| v.is_none()))
            .map(|(c, _)| **c);
        match next {
            Some(c) => current = c,
            None => {
                findings.push(Finding::problem(
                    "chain-wrong-key",
                    Some(LikelyError::Ora29024),
                    None,
                    format!(
                        "the {role} certificate \"{start_subject}\" was not signed by the \
                         \"{}\" certificate in the wallet: a CA of the same name but another key \
                         (re-created?); add the CA that really issued it",
                        to_rfc2253(issuer)
                    ),
                ));
                return;
            }
        }
    }
}

/// `Some(true)`/`Some(false)` when orakit can check the signature, `None` when the
/// algorithm is one it does not verify (SHA-1 in old roots, for example).
fn signed_by(cert: &Certificate, issuer: &Certificate) -> Option<bool> {
    let tbs = cert.tbs_certificate().to_der().ok()?;
    let signature = cert.signature().as_bytes()?;
    match verify_signature(
        issuer.tbs_certificate().subject_public_key_info(),
        cert.signature_algorithm(),
        &tbs,
        signature,
    ) {
        Ok(()) => Some(true),
        Err(crate::pki::Error::CsrSignatureInvalid) => Some(false),
        Err(_) => None,
    }
}

fn self_issued(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    tbs.subject().to_der().ok() == tbs.issuer().to_der().ok()
}

/// The key type of the wallet's first user certificate (what cipher suites must match).
pub fn user_key_type(wallet: &Wallet) -> Option<KeyType> {
    wallet.user_cert_indices().into_iter().find_map(|i| {
        let Item::Certificate(der) = &wallet.entries[i].item else {
            return None;
        };
        let cert = Certificate::from_der(der).ok()?;
        match cert
            .tbs_certificate()
            .subject_public_key_info()
            .algorithm
            .oid
            .to_string()
            .as_str()
        {
            RSA_ENCRYPTION => Some(KeyType::Rsa),
            EC_PUBLIC_KEY => Some(KeyType::Ec),
            _ => None,
        }
    })
}
