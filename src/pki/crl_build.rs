//! Signing CRLs: a new, empty one (orapki `crl create`) and one with a certificate added
//! (orapki `crl revoke`).
//!
//! A new CRL has orapki's layout: version 1, no extensions, `thisUpdate` now and
//! `nextUpdate` a number of days later. Revoking keeps what the CRL had (version,
//! extensions, the other entries) and, as orapki does, its `thisUpdate`/`nextUpdate`
//! unless new dates are asked for.

use std::time::{Duration, SystemTime};

use der::Encode;
use der::asn1::BitString;
use x509_cert::Certificate;
use x509_cert::crl::RevokedCert;

use super::ca::to_time;
use super::crl::{Crl, CrlAsn1, TbsCrl, same_name};
use super::error::{Error, Result};
use super::key::PrivateKey;
use super::name::to_rfc2253;
use super::signer::{KeySigner, SignatureDigest};

/// Longest `nextUpdate` distance orakit writes, in days (ten years).
pub const MAX_NEXT_UPDATE_DAYS: u32 = 3650;

/// The CA that signs: its certificate and key, checked to belong together.
pub struct CrlSigner<'a> {
    pub cert: &'a Certificate,
    pub key: &'a PrivateKey,
    /// Hash other than the key's default (orapki `-sign_alg`).
    pub digest: Option<SignatureDigest>,
}

impl CrlSigner<'_> {
    fn signer(&self) -> Result<KeySigner<'_>> {
        let spki = self.cert.tbs_certificate().subject_public_key_info();
        if !self.key.matches(spki)? {
            return Err(Error::CaKeyMismatch {
                subject: to_rfc2253(self.cert.tbs_certificate().subject()),
            });
        }
        match self.digest {
            Some(d) => self.key.signer_with(d),
            None => self.key.signer(),
        }
    }
}

/// Makes an empty CRL issued by `ca`, valid from now for `next_update_days` (0 gives a
/// `nextUpdate` equal to `thisUpdate`, as orapki writes without `-nextupdate`).
pub fn create(ca: &CrlSigner<'_>, next_update_days: u32, now: SystemTime) -> Result<Crl> {
    check_days(next_update_days)?;
    let signer = ca.signer()?;
    let tbs = TbsCrl {
        version: None,
        signature: signer.algorithm(),
        issuer: ca.cert.tbs_certificate().subject().clone(),
        this_update: to_time(now)?,
        next_update: Some(to_time(now + days(next_update_days))?),
        revoked_certificates: None,
        crl_extensions: None,
    };
    sign(tbs, &signer)
}

/// What [`revoke`] did.
pub struct Revoked {
    pub crl: Crl,
    /// False when the certificate was on the list already (the CRL is still re-signed).
    pub added: bool,
}

/// Adds `cert` to `crl` and signs it again with `ca`. `new_validity` (days) moves
/// `thisUpdate` to now and `nextUpdate` that many days on; `None` keeps both.
pub fn revoke(
    crl: &Crl,
    cert: &Certificate,
    ca: &CrlSigner<'_>,
    new_validity: Option<u32>,
    now: SystemTime,
) -> Result<Revoked> {
    let ca_subject = ca.cert.tbs_certificate().subject();
    if !same_name(crl.issuer(), ca_subject) {
        return Err(Error::Unreadable(format!(
            "the CRL is issued by {}, not by the signing CA {}",
            to_rfc2253(crl.issuer()),
            to_rfc2253(ca_subject)
        )));
    }
    // The CRL must already be this CA's: a list signed by another key is not re-signed.
    crl.verify_signed_by(ca.cert)?;
    if !same_name(cert.tbs_certificate().issuer(), ca_subject) {
        return Err(Error::Unreadable(format!(
            "the certificate {} was issued by {}, not by the CRL's CA {}",
            to_rfc2253(cert.tbs_certificate().subject()),
            to_rfc2253(cert.tbs_certificate().issuer()),
            to_rfc2253(ca_subject)
        )));
    }
    let signer = ca.signer()?;
    let mut tbs = crl.asn1.tbs.clone();
    let serial = cert.tbs_certificate().serial_number().clone();
    let entries = tbs.revoked_certificates.get_or_insert_with(Vec::new);
    let added = !entries.iter().any(|r| r.serial_number == serial);
    if added {
        entries.push(RevokedCert {
            serial_number: serial,
            revocation_date: to_time(now)?,
            crl_entry_extensions: None,
        });
    }
    if let Some(d) = new_validity {
        check_days(d)?;
        tbs.this_update = to_time(now)?;
        tbs.next_update = Some(to_time(now + days(d))?);
    }
    tbs.signature = signer.algorithm();
    Ok(Revoked {
        crl: sign(tbs, &signer)?,
        added,
    })
}

fn sign(tbs: TbsCrl, signer: &KeySigner<'_>) -> Result<Crl> {
    let tbs_der = tbs
        .to_der()
        .map_err(|e| Error::internal("encoding the CRL", e))?;
    let signature = signer.sign_bytes(&tbs_der)?;
    let asn1 = CrlAsn1 {
        tbs,
        signature_algorithm: signer.algorithm(),
        signature: BitString::from_bytes(&signature)
            .map_err(|e| Error::internal("encoding the CRL signature", e))?,
    };
    let der = asn1
        .to_der()
        .map_err(|e| Error::internal("encoding the CRL", e))?;
    Crl::from_der(der)
}

fn days(n: u32) -> Duration {
    Duration::from_secs(u64::from(n) * 86_400)
}

fn check_days(n: u32) -> Result<()> {
    if n > MAX_NEXT_UPDATE_DAYS {
        return Err(Error::InvalidValidity(format!(
            "next update in {n} days: choose between 0 and {MAX_NEXT_UPDATE_DAYS}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::crl::Status;
    use crate::pki::key::{Curve, KeySpec};
    use crate::pki::{ca, csr, issue, name, profile};

    fn ca_pair(dn: &str) -> (PrivateKey, Certificate) {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let cert = ca::create_self_signed_ca(&key, &name::parse_dn(dn).unwrap(), 30).unwrap();
        (key, cert)
    }

    fn leaf(ca_key: &PrivateKey, ca_cert: &Certificate, cn: &str) -> Certificate {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let request = csr::create_csr(&key, &name::parse_dn(cn).unwrap(), &[]).unwrap();
        issue::issue_certificate(&issue::IssueRequest {
            csr: &request,
            ca_cert,
            ca_key,
            profile: profile::Profile::Server,
            extra_sans: &[],
            days: 10,
            serial: None,
        })
        .unwrap()
        .certificate
    }

    #[test]
    fn create_revoke_status_and_another_cas_key() {
        let (key, cert) = ca_pair("CN=Root A");
        let signer = CrlSigner {
            cert: &cert,
            key: &key,
            digest: None,
        };
        let now = SystemTime::now();
        let crl = create(&signer, 7, now).unwrap();
        crl.verify_signed_by(&cert).unwrap();
        let next = crl.next_update().unwrap();
        let seconds = next.duration_since(crl.this_update()).unwrap().as_secs();
        assert_eq!(seconds, 7 * 86_400);
        let one = leaf(&key, &cert, "CN=one");
        let two = leaf(&key, &cert, "CN=two");
        let revoked = revoke(&crl, &one, &signer, None, now).unwrap();
        assert!(revoked.added);
        let crl2 = revoked.crl;
        crl2.verify_signed_by(&cert).unwrap();
        assert!(matches!(crl2.status_of(&one), Status::Revoked { .. }));
        assert_eq!(crl2.status_of(&two), Status::NotRevoked);
        assert_eq!(crl2.this_update(), crl.this_update());
        // Twice: no second entry.
        let again = revoke(&crl2, &one, &signer, None, now).unwrap();
        assert!(!again.added);
        assert_eq!(again.crl.revoked().len(), 1);

        let (other_key, other_cert) = ca_pair("CN=Root B");
        let err = crl2.verify_signed_by(&other_cert).unwrap_err();
        assert!(err.to_string().contains("another CA"), "{err}");
        let other = CrlSigner {
            cert: &other_cert,
            key: &other_key,
            digest: None,
        };
        assert!(revoke(&crl2, &two, &other, None, now).is_err());
        // The right CA name with the wrong key is refused before signing.
        let wrong_key = CrlSigner {
            cert: &cert,
            key: &other_key,
            digest: None,
        };
        assert!(matches!(
            create(&wrong_key, 1, now),
            Err(Error::CaKeyMismatch { .. })
        ));
    }
}
