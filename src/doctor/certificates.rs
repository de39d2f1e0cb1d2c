//! The certificates inside the wallet: each valid now, each user certificate's chain
//! complete up to a self-signed root inside the wallet, signatures matching, and a
//! warning (with the days left) for each that ends soon.
//!
//! An expired trusted certificate is a problem only when it matters: when a user
//! certificate chains through it, or when the wallet trusts nothing else that is still
//! valid. An expired root that nothing uses (old roots in a CA bundle wallet) is a note.

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
pub fn check(
    wallet: &Wallet,
    file: &Path,
    now_unix: u64,
    warn_within_days: u32,
    findings: &mut Vec<Finding>,
) -> usize {
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
    // The certificates some user certificate's chain runs through (DER).
    let mut used: Vec<Vec<u8>> = Vec::new();
    for (is_user, cert) in &all {
        if *is_user || !self_issued(cert) {
            let path = chain(
                cert,
                if *is_user { "user" } else { "trusted" },
                &certs,
                findings,
            );
            if *is_user {
                used.extend(path);
            }
        }
    }
    let has_user = all.iter().any(|(is_user, _)| *is_user);
    let valid_trusted = all
        .iter()
        .filter(|(is_user, c)| !*is_user && !expired(c, now_unix) && !not_yet_valid(c, now_unix))
        .count();
    let window_end = now_unix.saturating_add(u64::from(warn_within_days) * 86_400);
    let trusted_past_window = all
        .iter()
        .filter(|(is_user, c)| !*is_user && !expired(c, window_end) && !not_yet_valid(c, now_unix))
        .count();
    for (is_user, cert) in &all {
        let role = if *is_user { "user" } else { "trusted" };
        let on_a_chain = cert.to_der().is_ok_and(|d| used.contains(&d));
        // What a certificate's expiry breaks: a user certificate and the CAs its chain
        // needs always; in a trust-only wallet, a root when nothing else is trusted (now,
        // or after the warning window).
        let needed = *is_user || on_a_chain;
        let matters = Matters {
            expired: needed || (!has_user && valid_trusted == 0),
            soon: needed || (!has_user && trusted_past_window == 0),
        };
        validity(cert, role, matters, now_unix, warn_within_days, findings);
    }
    for f in &mut findings[first_new..] {
        f.file = Some(file.to_path_buf());
    }
    all.len()
}

fn expired(cert: &Certificate, now: u64) -> bool {
    now > cert
        .tbs_certificate()
        .validity()
        .not_after
        .to_unix_duration()
        .as_secs()
}

fn not_yet_valid(cert: &Certificate, now: u64) -> bool {
    now < cert
        .tbs_certificate()
        .validity()
        .not_before
        .to_unix_duration()
        .as_secs()
}

/// Whether a certificate's end breaks TLS: once it has expired, and when it ends soon.
#[derive(Clone, Copy)]
struct Matters {
    expired: bool,
    soon: bool,
}

fn validity(
    cert: &Certificate,
    role: &str,
    matters: Matters,
    now: u64,
    warn_within_days: u32,
    findings: &mut Vec<Finding>,
) {
    let tbs = cert.tbs_certificate();
    let subject = to_rfc2253(tbs.subject());
    let v = tbs.validity();
    let end = i64::try_from(v.not_after.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    let now_signed = i64::try_from(now).unwrap_or(i64::MAX);
    let left = crate::expiry::days_left(end, now_signed);
    let ends = crate::expiry::rfc3339(end);
    if expired(cert, now) && matters.expired {
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
    } else if expired(cert, now) {
        findings.push(Finding::note(
            "cert-expired-unused",
            None,
            format!(
                "the trusted certificate \"{subject}\" expired on {ends}; no user certificate in \
                 the wallet chains to it and other trusted certificates are valid, so it breaks \
                 nothing (remove it with `orakit wallet remove` to tidy up)"
            ),
        ));
    } else if not_yet_valid(cert, now) {
        findings.push(Finding::problem(
            "cert-not-yet-valid",
            Some(LikelyError::Ora29024),
            None,
            format!(
                "the {role} certificate \"{subject}\" is not valid before {} (check the clock)",
                v.not_before
            ),
        ));
    } else if crate::expiry::ends_within(end, now_signed, warn_within_days) {
        let advice = if role == "user" {
            "renew it (`orakit tcps renew DIR` for a `tcps init` set-up, else `orakit wallet replace`)"
        } else {
            "add its successor with `orakit wallet add-trusted` before it ends"
        };
        let message = format!(
            "the {role} certificate \"{subject}\" expires on {ends}: {} left; {advice}",
            crate::text::count(left, "day")
        );
        findings.push(if matters.soon {
            Finding::warning("cert-expires-soon", None, message)
        } else {
            Finding::note("cert-expires-soon-unused", None, message)
        });
    }
}

/// Walks issuer links inside the wallet up to a self-issued certificate; returns the DER
/// of the issuers it went through.
fn chain(
    start: &Certificate,
    role: &str,
    certs: &[&Certificate],
    findings: &mut Vec<Finding>,
) -> Vec<Vec<u8>> {
    let start_subject = to_rfc2253(start.tbs_certificate().subject());
    let mut current = start;
    let mut path = Vec::new();
    for _ in 0..=certs.len() {
        if self_issued(current) {
            return path;
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
            return path;
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
            Some(c) => {
                current = c;
                path.extend(c.to_der().ok());
            }
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
                return path;
            }
        }
    }
    path
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
