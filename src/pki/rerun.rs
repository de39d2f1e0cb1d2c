//! Whether a certificate or request already on disk is the one a command would make
//! again: what lets a rerun of `ca init`, `csr create`, `csr sign`, `cert create` and
//! `wallet add-self-signed` leave it alone (docs/json.md, "Reruns").
//!
//! Serials, signatures (ECDSA) and dates are new on every run, so "the same" is judged
//! against a certificate made now from the same inputs (the planned one): the same
//! subject, issuer, key, extensions and signature algorithm, a valid signature by the
//! issuer, not expired, and the same validity (its length, or the same dates when they
//! were given). The answer is the first difference, in words, for the refusal message.

use std::time::{Duration, SystemTime};

use der::Encode;
use x509_cert::Certificate;

use super::cert::verify_issued_by;
use super::csr::Csr;
use super::key::spec_of_public_key;
use super::name::to_rfc2253;
use super::show::format_time;

/// How the validity of the existing certificate is compared with the planned one's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dates {
    /// The same length (`--days N`), or the same end when both end with their CA.
    Length,
    /// The same start and end (`--valid-from` / `--valid-until` were given).
    Exact,
}

/// What to compare besides names, key and extensions.
#[derive(Clone, Copy, Debug)]
pub struct Compare<'a> {
    /// The certificate whose key must have signed the existing one (the CA, or for a
    /// self-signed certificate the planned certificate itself).
    pub signer: &'a Certificate,
    pub dates: Dates,
    /// Whether the serial was asked for (`--serial`) and so must be the same.
    pub serial: bool,
}

/// Two seconds of slack: both certificates' times are cut to whole seconds.
const SLACK: Duration = Duration::from_secs(2);

/// `None` when `existing` is what `planned` would be but for serial, signature bytes and
/// the moment it was made; else the first difference ("subject CN=A, not CN=B").
pub fn certificate_difference(
    existing: &Certificate,
    planned: &Certificate,
    compare: Compare<'_>,
) -> Option<String> {
    let (old, new) = (existing.tbs_certificate(), planned.tbs_certificate());
    if old.subject() != new.subject() {
        return Some(format!(
            "subject {}, not {}",
            to_rfc2253(old.subject()),
            to_rfc2253(new.subject())
        ));
    }
    if old.issuer() != new.issuer() {
        return Some(format!(
            "issued by {}, not {}",
            to_rfc2253(old.issuer()),
            to_rfc2253(new.issuer())
        ));
    }
    if old.subject_public_key_info() != new.subject_public_key_info() {
        return Some(key_difference(
            old.subject_public_key_info(),
            new.subject_public_key_info(),
        ));
    }
    if old.extensions() != new.extensions() {
        return Some("other extensions than those asked for".into());
    }
    if existing.signature_algorithm() != planned.signature_algorithm() {
        return Some("another signature algorithm".into());
    }
    if compare.serial && old.serial_number() != new.serial_number() {
        return Some(format!(
            "serial {}, not the one asked for",
            old.serial_number()
        ));
    }
    let signed = existing
        .to_der()
        .ok()
        .is_some_and(|der| verify_issued_by(&der, compare.signer).is_ok());
    if !signed {
        return Some("its signature is not by the key that would sign it".into());
    }
    validity_difference(existing, planned, compare.dates)
}

fn validity_difference(
    existing: &Certificate,
    planned: &Certificate,
    dates: Dates,
) -> Option<String> {
    let (old, new) = (
        existing.tbs_certificate().validity(),
        planned.tbs_certificate().validity(),
    );
    let old_end = old.not_after.to_system_time();
    if old_end <= SystemTime::now() {
        return Some(format!("expired on {}", format_time(&old.not_after)));
    }
    let close = |a: SystemTime, b: SystemTime| {
        a.duration_since(b)
            .or_else(|_| b.duration_since(a))
            .unwrap_or_default()
            <= SLACK
    };
    let same = match dates {
        Dates::Exact => {
            close(
                old.not_before.to_system_time(),
                new.not_before.to_system_time(),
            ) && close(old_end, new.not_after.to_system_time())
        }
        Dates::Length => {
            let length = |v: &x509_cert::time::Validity| {
                v.not_after
                    .to_system_time()
                    .duration_since(v.not_before.to_system_time())
                    .unwrap_or_default()
            };
            let (a, b) = (length(old), length(new));
            a.abs_diff(b) <= SLACK || old.not_after == new.not_after
        }
    };
    (!same).then(|| {
        format!(
            "valid from {} to {}, not as asked ({} to {} from now)",
            format_time(&old.not_before),
            format_time(&old.not_after),
            format_time(&new.not_before),
            format_time(&new.not_after)
        )
    })
}

/// `None` when `existing` asks for what `planned` asks for: the same subject, key and
/// attributes (requested extensions, SANs), with a valid signature.
pub fn request_difference(existing: &Csr, planned: &Csr) -> Option<String> {
    if existing.subject() != planned.subject() {
        return Some(format!(
            "subject {}, not {}",
            to_rfc2253(existing.subject()),
            to_rfc2253(planned.subject())
        ));
    }
    if existing.public_key_info() != planned.public_key_info() {
        return Some(key_difference(
            existing.public_key_info(),
            planned.public_key_info(),
        ));
    }
    if existing.request().info.attributes != planned.request().info.attributes {
        let sans = |csr: &Csr| {
            csr.requested_sans()
                .map(|names| names.len())
                .unwrap_or_default()
        };
        return Some(format!(
            "other requested extensions ({} subject alternative names, not {})",
            sans(existing),
            sans(planned)
        ));
    }
    if existing.verify().is_err() {
        return Some("its signature does not verify".into());
    }
    None
}

fn key_difference(
    old: &spki::SubjectPublicKeyInfoOwned,
    new: &spki::SubjectPublicKeyInfoOwned,
) -> String {
    match (spec_of_public_key(old), spec_of_public_key(new)) {
        (Ok(a), Ok(b)) if a != b => format!("{a} key, not {b}"),
        _ => "another key".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::ca::create_self_signed_ca;
    use crate::pki::key::{Curve, KeySpec, PrivateKey};
    use crate::pki::name::parse_dn;

    #[test]
    fn a_ca_made_again_is_the_same_another_subject_key_or_length_is_not() {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let subject = parse_dn("CN=Rerun Root,O=Reruns").unwrap();
        let existing = create_self_signed_ca(&key, &subject, 30).unwrap();
        let compare = |planned: &Certificate| {
            certificate_difference(
                &existing,
                planned,
                Compare {
                    signer: planned,
                    dates: Dates::Length,
                    serial: false,
                },
            )
        };
        let again = create_self_signed_ca(&key, &subject, 30).unwrap();
        assert_ne!(
            existing.tbs_certificate().serial_number(),
            again.tbs_certificate().serial_number()
        );
        assert_eq!(compare(&again), None);
        let other = parse_dn("CN=Other Root").unwrap();
        let named = create_self_signed_ca(&key, &other, 30).unwrap();
        assert_eq!(
            compare(&named).as_deref(),
            Some("subject CN=Rerun Root,O=Reruns, not CN=Other Root")
        );
        let longer = create_self_signed_ca(&key, &subject, 31).unwrap();
        assert!(compare(&longer).unwrap().starts_with("valid from"));
        let rsa = PrivateKey::generate(KeySpec::Rsa { bits: 2048 }).unwrap();
        let rekeyed = create_self_signed_ca(&rsa, &subject, 30).unwrap();
        assert_eq!(
            compare(&rekeyed).as_deref(),
            Some("EC P-256 key, not RSA 2048-bit")
        );
    }
}
