//! Certificate revocation lists (RFC 5280 section 5): reading one, checking its signature,
//! asking whether a certificate is on it.
//!
//! orapki writes version 1 CRLs: no `version` field, no extensions. `x509_cert::crl`'s
//! `TbsCertList` makes `version` mandatory and so cannot decode them; the structure here
//! is the same with `version` optional. Entries and names are `x509_cert`'s own types.

use std::time::SystemTime;

use der::asn1::BitString;
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::Version;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::time::Time;

use super::error::{Error, Result};
use super::pem::{self, Input};
use super::raw::sequence_elements;
use super::signer::verify_signature;

/// PEM label of a CRL.
pub const PEM_LABEL: &str = "X509 CRL";

/// `TBSCertList` with `version` optional (absent in version 1 CRLs).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TbsCrl {
    pub version: Option<Version>,
    pub signature: AlgorithmIdentifierOwned,
    pub issuer: Name,
    pub this_update: Time,
    pub next_update: Option<Time>,
    pub revoked_certificates: Option<Vec<RevokedCert>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub crl_extensions: Option<Extensions>,
}

/// `CertificateList`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CrlAsn1 {
    pub tbs: TbsCrl,
    pub signature_algorithm: AlgorithmIdentifierOwned,
    pub signature: BitString,
}

/// A CRL as read: the decoded structure and the DER it came from (the signature covers
/// the to-be-signed bytes exactly as they were written).
#[derive(Clone, Debug)]
pub struct Crl {
    pub asn1: CrlAsn1,
    pub der: Vec<u8>,
}

/// Whether a certificate is on a CRL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Revoked { date: SystemTime },
    NotRevoked,
}

impl Crl {
    /// Reads a CRL from PEM (`X509 CRL`) or DER.
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self> {
        let der = match pem::classify(input)? {
            Input::Der(der) => der.to_vec(),
            Input::Pem(blocks) => {
                let block = blocks
                    .iter()
                    .find(|b| b.label == PEM_LABEL)
                    .ok_or_else(|| {
                        let found = blocks
                            .first()
                            .map(|b| pem::describe_label(&b.label))
                            .unwrap_or_else(|| "no PEM block".into());
                        Error::WrongKind {
                            expected: "a CRL (-----BEGIN X509 CRL-----)",
                            found,
                            hint: "",
                        }
                    })?;
                block.der.to_vec()
            }
        };
        Self::from_der(der)
    }

    /// Decodes DER.
    pub fn from_der(der: Vec<u8>) -> Result<Self> {
        let asn1 = CrlAsn1::from_der(&der).map_err(|e| pem::der_error("a CRL", &der, "", e))?;
        Ok(Self { asn1, der })
    }

    /// The DER of the to-be-signed part, as written.
    pub fn tbs_der(&self) -> Result<&[u8]> {
        Ok(sequence_elements(&self.der)?[0])
    }

    pub fn issuer(&self) -> &Name {
        &self.asn1.tbs.issuer
    }

    pub fn this_update(&self) -> SystemTime {
        self.asn1.tbs.this_update.to_system_time()
    }

    pub fn next_update(&self) -> Option<SystemTime> {
        self.asn1.tbs.next_update.map(|t| t.to_system_time())
    }

    /// The revoked entries, in the order of the list.
    pub fn revoked(&self) -> &[RevokedCert] {
        self.asn1.tbs.revoked_certificates.as_deref().unwrap_or(&[])
    }

    /// Checks the CRL's signature with the key of `ca`.
    pub fn verify_signed_by(&self, ca: &Certificate) -> Result<()> {
        verify_signature(
            ca.tbs_certificate().subject_public_key_info(),
            &self.asn1.signature_algorithm,
            self.tbs_der()?,
            self.asn1.signature.raw_bytes(),
        )
        .map_err(|e| match e {
            Error::CsrSignatureInvalid => Error::Unreadable(format!(
                "its signature does not verify with the key of {}: it was signed by another CA or altered",
                super::name::to_rfc2253(ca.tbs_certificate().subject())
            )),
            other => other,
        })
    }

    /// Whether `cert` (by serial number) is on the list. Like orapki, the issuer is not
    /// compared here: callers that know both check it with [`Crl::covers`].
    pub fn status_of(&self, cert: &Certificate) -> Status {
        let serial = cert.tbs_certificate().serial_number().as_bytes();
        self.revoked()
            .iter()
            .find(|r| r.serial_number.as_bytes() == serial)
            .map_or(Status::NotRevoked, |r| Status::Revoked {
                date: r.revocation_date.to_system_time(),
            })
    }

    /// Whether the CRL's issuer is the issuer of `cert` (same DER name).
    pub fn covers(&self, cert: &Certificate) -> bool {
        same_name(self.issuer(), cert.tbs_certificate().issuer())
    }

    /// Whether `nextUpdate` is before `now` (a CRL without one never goes stale).
    pub fn is_stale(&self, now: SystemTime) -> bool {
        self.next_update().is_some_and(|next| next < now)
    }

    /// PEM text as orapki writes it (64-column base64, no newline after the END line).
    pub fn to_pem(&self) -> Result<String> {
        let text = pem::encode(PEM_LABEL, &self.der)?;
        Ok(text.trim_end().to_owned())
    }
}

/// Two names equal as DER.
pub fn same_name(a: &Name, b: &Name) -> bool {
    match (a.to_der(), b.to_der()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1 CRL written by orapki 23ai `crl create` (no version field).
    const ORAPKI_V1: &str = "-----BEGIN X509 CRL-----
MIIBaDBSMA0GCSqGSIb3DQEBCwUAMCMxDTALBgNVBAoTBEFjbWUxEjAQBgNVBAMT
CVRlc3QgUm9vdBcNMjYxMjAyMDIxMDEwWhcNMjcwMTAxMDIxMDEwWjANBgkqhkiG
9w0BAQsFAAOCAQEAYSabyK8v0PyLeTQhngqwdKRyS3kqdBisYWKYIDMhEpawd1TU
eqKUy3CrijE8JMbNGqsW/l7HSI1aQqIFXkzMDO3l4Y5g41WFWF0pc20si4CvBt84
9KiCW8PK00aBwY+IN7xu4kbkocO/QK08qojz4t+gl3M09MvsXukcfJhT4akWQNEy
bogz60YTSbGQ7V/UlQArFbhYfBCg1KCwvVSbSsjyC6cZpEDhUlhfk8tVEIuBegBU
XKF+C/99d7uExXlsNTvp/PctU/0o6lCTVaNSarH4nZb5vh8c6e/djoqLQv3xn2iU
o3F+esg2taTglVirqJHLFp4sdWUoFJS/hZXhTQ==
-----END X509 CRL-----";

    #[test]
    fn a_version_1_crl_from_orapki_is_read_where_x509_cert_refuses_it() {
        let crl = Crl::from_pem_or_der(ORAPKI_V1.as_bytes()).unwrap();
        assert_eq!(crl.asn1.tbs.version, None);
        assert_eq!(
            super::super::name::to_rfc2253(crl.issuer()),
            "CN=Test Root,O=Acme"
        );
        assert!(crl.revoked().is_empty());
        assert!(crl.next_update().unwrap() > crl.this_update());
        // Why this module has its own TbsCrl: x509-cert 0.3 requires the version.
        assert!(
            x509_cert::crl::CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&crl.der)
                .is_err()
        );
        // Re-encoding gives the same bytes (the signature covers them).
        assert_eq!(crl.asn1.to_der().unwrap(), crl.der);
        assert_eq!(crl.to_pem().unwrap(), ORAPKI_V1);
    }

    #[test]
    fn garbage_is_not_a_crl() {
        let err = Crl::from_pem_or_der(b"junk\n").unwrap_err();
        assert!(err.to_string().contains("neither PEM"), "{err}");
        let err = Crl::from_pem_or_der(b"\x30\x03\x02\x01\x05").unwrap_err();
        assert!(err.to_string().contains("CRL"), "{err}");
    }
}
