//! Signing a certificate request as orapki `cert create` does, with a CA key and
//! certificate taken from a wallet.
//!
//! What orapki 23ai and 19c write (observed, and read in their classes):
//! - the request's subject and public key; the issuer is the CA certificate's subject;
//! - every extension the request asks for, copied as it is and in its order (orapki copies
//!   even basicConstraints CA:TRUE: a request can make itself a CA), then an
//!   authorityKeyIdentifier (key identifier only, not critical) when the CA certificate
//!   has a subjectKeyIdentifier. Nothing else: no subjectKeyIdentifier, no
//!   extendedKeyUsage of its own. Without any extension the certificate is X.509 v1;
//! - validity from now (not backdated) for the days asked, or the dates given, and not
//!   limited to the CA's own validity;
//! - serial 0 unless one is given (every certificate of a CA then has the same serial;
//!   the native command picks a random one instead, the drop-in keeps orapki's 0);
//! - the CA key's default signature hash (SHA-256 for RSA and P-256, SHA-384 for P-384)
//!   unless `-sign_alg` names another.
//!
//! orapki refuses a request for a CA certificate whose pathLen is not below the
//! issuing CA's pathLen (PKI-04028) in its `strict` mode (by default it issues it); this
//! module always refuses it. On top of orapki it checks the
//! request's own signature, that the key belongs to the CA certificate and that the CA
//! certificate is a CA, and re-checks the result's signature before handing it out.

use std::time::SystemTime;

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, SubjectKeyIdentifier};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

use super::ca::to_time;
use super::cert::{basic_constraints, find_extension};
use super::csr::Csr;
use super::error::{Error, Result};
use super::key::PrivateKey;
use super::name::to_rfc2253;
use super::oid;
use super::profile::FixedProfile;
use super::raw;
use super::signer::{SignatureBytes, SignatureDigest, verify_signature};

/// One `cert create`: the request, the CA and what the certificate says.
#[derive(Debug)]
pub struct CertCreate<'a> {
    pub csr: &'a Csr,
    pub ca_cert: &'a Certificate,
    pub ca_key: &'a PrivateKey,
    pub not_before: SystemTime,
    pub not_after: SystemTime,
    pub serial: SerialNumber,
    /// `None`: the CA key's default hash.
    pub digest: Option<SignatureDigest>,
}

/// The certificate, and what the caller should warn about.
#[derive(Debug)]
pub struct Created {
    pub certificate: Certificate,
    /// The request asked for basicConstraints CA:TRUE and got it (as orapki grants it).
    pub grants_ca: bool,
}

/// Signs the request (see the module documentation for what the certificate holds).
pub fn create_certificate(request: &CertCreate<'_>) -> Result<Created> {
    let csr = request.csr;
    let ca = request.ca_cert;
    let ca_tbs = ca.tbs_certificate();
    let ca_name = to_rfc2253(ca_tbs.subject());
    csr.verify()?;
    super::issue::check_is_ca(ca, &ca_name)?;
    if !request.ca_key.matches(ca_tbs.subject_public_key_info())? {
        return Err(Error::CaKeyMismatch { subject: ca_name });
    }
    if request.not_after <= request.not_before {
        return Err(Error::InvalidValidity(
            "the validity ends before it starts; give an end date after the start".into(),
        ));
    }

    let mut extensions = csr.requested_extensions()?;
    let requested_ca = extensions
        .iter()
        .find(|e| e.extn_id == oid::BASIC_CONSTRAINTS)
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .filter(|bc| bc.ca);
    check_path_length(ca, &ca_name, requested_ca.as_ref())?;
    if let Some(ski) = find_extension(ca, &oid::SUBJECT_KEY_ID)
        .and_then(|e| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
    {
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(ski.0),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        let ext = Extension {
            extn_id: oid::AUTHORITY_KEY_ID,
            critical: false,
            extn_value: der::asn1::OctetString::new(
                aki.to_der()
                    .map_err(|e| Error::internal("encoding the authority key identifier", e))?,
            )
            .map_err(|e| Error::internal("encoding the authority key identifier", e))?,
        };
        // orapki keeps extensions in an insertion-ordered map by OID: a request's own
        // authorityKeyIdentifier is replaced where it stands.
        match extensions
            .iter_mut()
            .find(|e| e.extn_id == oid::AUTHORITY_KEY_ID)
        {
            Some(existing) => *existing = ext,
            None => extensions.push(ext),
        }
    }

    let profile = FixedProfile {
        issuer: ca_tbs.subject().clone(),
        subject: csr.subject().clone(),
        extensions,
    };
    let validity = Validity::new(to_time(request.not_before)?, to_time(request.not_after)?);
    let signer = match request.digest {
        Some(d) => request.ca_key.signer_with(d)?,
        None => request.ca_key.signer()?,
    };
    let certificate = CertificateBuilder::new(
        profile,
        request.serial.clone(),
        validity,
        csr.public_key_info().clone(),
    )
    .map_err(|e| Error::internal("preparing the certificate", e))?
    .build::<_, SignatureBytes>(&signer)
    .map_err(|e| Error::internal("signing the certificate", e))?;
    self_check(&certificate, request)?;
    Ok(Created {
        certificate,
        grants_ca: requested_ca.is_some(),
    })
}

/// orapki's PKI-04028: a CA certificate asked for below a CA with a path length must
/// have a smaller one.
fn check_path_length(
    ca: &Certificate,
    ca_name: &str,
    requested: Option<&BasicConstraints>,
) -> Result<()> {
    let (Some(ca_bc), Some(req)) = (basic_constraints(ca), requested) else {
        return Ok(());
    };
    if let (true, Some(ca_len), Some(req_len)) =
        (ca_bc.ca, ca_bc.path_len_constraint, req.path_len_constraint)
        && req_len >= ca_len
    {
        return Err(Error::NotACa {
            subject: ca_name.to_owned(),
            reason: format!(
                "its pathLen {ca_len} allows CA certificates below it only with a smaller pathLen, and the request asks for pathLen {req_len} (orapki PKI-04028)"
            ),
        });
    }
    Ok(())
}

/// Re-reads what was signed: an error here is a bug, never a certificate handed out.
fn self_check(cert: &Certificate, request: &CertCreate<'_>) -> Result<()> {
    let der = cert
        .to_der()
        .map_err(|e| Error::internal("checking the certificate", e))?;
    let tbs_raw = raw::sequence_elements(&der)?[0];
    let tbs = cert.tbs_certificate();
    let same_key = tbs.subject_public_key_info() == request.csr.public_key_info();
    let signed = verify_signature(
        request.ca_cert.tbs_certificate().subject_public_key_info(),
        cert.signature_algorithm(),
        tbs_raw,
        cert.signature().raw_bytes(),
    )
    .is_ok();
    if same_key && signed && tbs.issuer() == request.ca_cert.tbs_certificate().subject() {
        Ok(())
    } else {
        Err(Error::internal(
            "checking the new certificate",
            "issuer, key or signature do not match; nothing was written",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::key::{Curve, KeySpec};
    use crate::pki::name::parse_dn;
    use crate::pki::san::SanEntry;
    use crate::pki::self_signed::{SelfSignedSpec, create_self_signed};
    use std::time::Duration;

    fn root(key: &PrivateKey, ski: bool, ca: Option<Option<u8>>) -> Certificate {
        let now = SystemTime::now();
        create_self_signed(
            key,
            &SelfSignedSpec {
                subject: parse_dn("CN=Unit Root").unwrap(),
                not_before: now,
                not_after: now + Duration::from_secs(86_400 * 30),
                serial: None,
                key_identifiers: ski,
                key_usage: None,
                ca,
                sans: Vec::new(),
                digest: None,
            },
        )
        .unwrap()
    }

    fn sign(csr: &Csr, ca: &Certificate, key: &PrivateKey) -> Result<Created> {
        let now = SystemTime::now();
        create_certificate(&CertCreate {
            csr,
            ca_cert: ca,
            ca_key: key,
            not_before: now,
            not_after: now + Duration::from_secs(86_400),
            serial: SerialNumber::new(&[0]).unwrap(),
            digest: None,
        })
    }

    #[test]
    fn a_request_without_extensions_gets_a_v1_certificate_and_the_aki_follows_the_ca() {
        let ca_key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let leaf_key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let bare =
            crate::pki::csr::create_csr(&leaf_key, &parse_dn("CN=bare").unwrap(), &[]).unwrap();
        let with_san = crate::pki::csr::create_csr(
            &leaf_key,
            &parse_dn("CN=san").unwrap(),
            &[SanEntry::parse("san.example").unwrap()],
        )
        .unwrap();
        // A v1 root (no SKI): no authorityKeyIdentifier; no extension asked: v1.
        let v1 = root(&ca_key, false, None);
        let cert = sign(&bare, &v1, &ca_key).unwrap().certificate;
        assert_eq!(
            cert.tbs_certificate().version(),
            x509_cert::certificate::Version::V1
        );
        let cert = sign(&with_san, &v1, &ca_key).unwrap().certificate;
        let ids: Vec<_> = cert
            .tbs_certificate()
            .extensions()
            .unwrap()
            .iter()
            .map(|e| e.extn_id)
            .collect();
        assert_eq!(ids, vec![oid::SUBJECT_ALT_NAME]);
        // A root with an SKI: its identifier comes last, as orapki appends it.
        let v3 = root(&ca_key, true, Some(None));
        let cert = sign(&with_san, &v3, &ca_key).unwrap().certificate;
        let ids: Vec<_> = cert
            .tbs_certificate()
            .extensions()
            .unwrap()
            .iter()
            .map(|e| e.extn_id)
            .collect();
        assert_eq!(ids, vec![oid::SUBJECT_ALT_NAME, oid::AUTHORITY_KEY_ID]);
    }

    #[test]
    fn a_leaf_ca_certificate_and_a_foreign_key_are_refused() {
        let ca_key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let other = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let csr = crate::pki::csr::create_csr(&other, &parse_dn("CN=x").unwrap(), &[]).unwrap();
        let ca = root(&ca_key, true, Some(Some(0)));
        assert!(matches!(
            sign(&csr, &ca, &other),
            Err(Error::CaKeyMismatch { .. })
        ));
        // A self-signed v3 certificate that is not a CA (no basicConstraints) cannot sign.
        let not_ca = root(&ca_key, true, None);
        assert!(matches!(
            sign(&csr, &not_ca, &ca_key),
            Err(Error::NotACa { .. })
        ));
    }
}
