//! A trust-only wallet from a PEM bundle of CA certificates (the system's
//! `ca-certificates.crt`, a corporate bundle): what the database's outbound HTTPS needs
//! (UTL_HTTP, APEX, DBMS_CLOUD). By default only certificates a TLS client can use as trust
//! anchors are taken: expired ones and ones that are not CAs are skipped (each can be kept
//! on request), and a certificate that appears twice is taken once.

use std::time::SystemTime;

use der::Decode;
use serde::Serialize;
use x509_cert::Certificate;

use super::certs;
use super::model::{Added, ModelError, Wallet};
use crate::text::count;

/// What to keep that is skipped by default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keep {
    pub expired: bool,
    pub non_ca: bool,
}

/// One certificate of the bundle, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct BundleCertificate {
    pub subject: String,
    pub sha256_fingerprint: String,
    pub not_after: String,
}

/// The bundle sorted into what goes into the wallet and what does not.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Selection {
    pub added: Vec<BundleCertificate>,
    pub skipped_expired: Vec<BundleCertificate>,
    pub skipped_not_ca: Vec<BundleCertificate>,
    /// How many certificates were in the bundle more than once (taken once).
    pub duplicates: usize,
    /// The certificates to add, in bundle order.
    #[serde(skip)]
    ders: Vec<Vec<u8>>,
    /// The skipped ones, so a second copy counts as a duplicate too.
    #[serde(skip)]
    seen: Vec<Vec<u8>>,
}

/// Whether a certificate can anchor trust: basicConstraints cA, or an old version 1
/// self-signed root (no extensions at all), which TLS libraries still accept as a CA.
fn is_ca(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    if let Some(bc) = crate::pki::cert::basic_constraints(cert) {
        return bc.ca;
    }
    tbs.version() == x509_cert::certificate::Version::V1 && tbs.subject() == tbs.issuer()
}

/// Sorts `ders` (in bundle order) at time `now`.
pub fn select(ders: &[Vec<u8>], now: SystemTime, keep: Keep) -> Result<Selection, ModelError> {
    let mut selection = Selection::default();
    for der in ders {
        if selection.ders.contains(der) || selection.seen.contains(der) {
            selection.duplicates += 1;
            continue;
        }
        let cert =
            Certificate::from_der(der).map_err(|e| ModelError::BadCertificate(e.to_string()))?;
        let details = certs::details(der).map_err(|e| ModelError::BadCertificate(e.to_string()))?;
        let listed = BundleCertificate {
            subject: details.subject,
            sha256_fingerprint: details.sha256_fingerprint,
            not_after: details.not_after,
        };
        let expired = cert.tbs_certificate().validity().not_after.to_system_time() < now;
        if expired && !keep.expired {
            selection.skipped_expired.push(listed);
            selection.seen.push(der.clone());
        } else if !is_ca(&cert) && !keep.non_ca {
            selection.skipped_not_ca.push(listed);
            selection.seen.push(der.clone());
        } else {
            selection.added.push(listed);
            selection.ders.push(der.clone());
        }
    }
    Ok(selection)
}

impl Selection {
    /// Adds the selected certificates to `wallet` as trusted; returns how many were new to
    /// it.
    pub fn add_to(&self, wallet: &mut Wallet) -> Result<usize, ModelError> {
        let mut added = 0;
        for der in &self.ders {
            if wallet.add_trusted(der)? == Added::Added {
                added += 1;
            }
        }
        Ok(added)
    }

    /// The one summary line: `added 140 trusted certificates; skipped 3 expired, 2 not
    /// CAs, 1 duplicate`.
    pub fn summary_line(&self) -> String {
        let mut skipped = Vec::new();
        if !self.skipped_expired.is_empty() {
            skipped.push(format!("{} expired", self.skipped_expired.len()));
        }
        if !self.skipped_not_ca.is_empty() {
            let n = self.skipped_not_ca.len();
            skipped.push(format!("{n} not {}", if n == 1 { "a CA" } else { "CAs" }));
        }
        if self.duplicates > 0 {
            skipped.push(count(self.duplicates, "duplicate"));
        }
        let mut line = format!("added {}", count(self.added.len(), "trusted certificate"));
        if !skipped.is_empty() {
            line.push_str(&format!("; skipped {}", skipped.join(", ")));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::key::{Curve, KeySpec, PrivateKey};
    use crate::pki::name::parse_dn;
    use der::Encode;

    fn ca(cn: &str, days: u32) -> Vec<u8> {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        crate::pki::ca::create_self_signed_ca(&key, &parse_dn(cn).unwrap(), days)
            .unwrap()
            .to_der()
            .unwrap()
    }

    #[test]
    fn expired_ones_are_skipped_duplicates_taken_once_and_the_line_counts_them() {
        let (a, b) = (ca("CN=A", 30), ca("CN=B", 1));
        // One day on, B has expired.
        let later = SystemTime::now() + std::time::Duration::from_secs(3 * 86_400);
        let bundle = [a.clone(), b.clone(), a.clone()];
        let s = select(&bundle, later, Keep::default()).unwrap();
        assert_eq!(s.added.len(), 1);
        assert_eq!(s.skipped_expired.len(), 1);
        assert_eq!(s.duplicates, 1);
        assert_eq!(
            s.summary_line(),
            "added 1 trusted certificate; skipped 1 expired, 1 duplicate"
        );
        let kept = select(
            &bundle,
            later,
            Keep {
                expired: true,
                non_ca: false,
            },
        )
        .unwrap();
        assert_eq!(kept.added.len(), 2);
        let mut wallet = Wallet::new(crate::wallet::model::Profile::three_des());
        assert_eq!(kept.add_to(&mut wallet).unwrap(), 2);
        assert_eq!(wallet.trusted_indices().len(), 2);
    }
}
