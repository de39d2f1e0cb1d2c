//! Issuing a certificate from a CSR with a CA certificate and key.
//!
//! The certificate gets: the issuer name of the CA certificate's subject (the same
//! encoding, so chains build in every verifier), the CSR's subject and public key, the
//! CSR's SANs plus any extra ones, the leaf extensions of [`Profile`], a random 128-bit
//! serial (or the one given), and a validity that never ends after the CA's (a shorter
//! validity is reported as a warning, not an error).
//!
//! Before signing it checks the CSR's signature, that the issuer is a CA, that the CA
//! key belongs to the CA certificate and that the CA is valid now. After signing it
//! re-reads the result and checks issuer, subject, key and signature once more.

use std::fmt;
use std::time::{Duration, SystemTime};

use der::Encode;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

use super::ca::{CLOCK_SKEW, check_days, to_time};
use super::cert::{basic_constraints, find_extension, key_usage};
use super::csr::Csr;
use super::error::{Error, Result};
use super::key::{KeySpec, PrivateKey, spec_of_public_key};
use super::name::to_rfc2253;
use super::oid;
use super::profile::{FixedProfile, Profile, key_identifier, leaf_extensions};
use super::raw;
use super::san::{SanEntry, describe_general_name};
use super::serial::random_serial;
use super::show::format_time;
use super::signer::{SignatureBytes, verify_signature};

/// Everything needed to issue one certificate.
#[derive(Debug)]
pub struct IssueRequest<'a> {
    pub csr: &'a Csr,
    pub ca_cert: &'a Certificate,
    pub ca_key: &'a PrivateKey,
    pub profile: Profile,
    /// SANs to add to the ones the CSR asks for.
    pub extra_sans: &'a [SanEntry],
    /// Validity in days from now (clamped to the CA's notAfter).
    pub days: u32,
    /// `None`: a random 128-bit serial.
    pub serial: Option<SerialNumber>,
}

/// Something the caller should tell the user, though the certificate was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueWarning {
    /// The requested validity ran past the CA's; the certificate ends with the CA.
    ValidityClamped {
        requested: String,
        ca_not_after: String,
    },
    /// A server certificate without any SAN: thin drivers and hostname checks fail.
    NoSubjectAltName,
}

impl fmt::Display for IssueWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ValidityClamped {
                requested,
                ca_not_after,
            } => write!(
                f,
                "the requested validity (until {requested}) ends after the CA certificate; \
                 the certificate ends with the CA on {ca_not_after}"
            ),
            Self::NoSubjectAltName => f.write_str(
                "the certificate has no subject alternative name: clients that check host names \
                 (python-oracledb, JDBC thin) will refuse it; add --san HOST",
            ),
        }
    }
}

/// The result of [`issue_certificate`].
#[derive(Debug)]
pub struct Issued {
    pub certificate: Certificate,
    pub warnings: Vec<IssueWarning>,
    /// SANs copied from the CSR, as `DNS:x` / `IP:x`.
    pub sans_from_csr: Vec<String>,
    /// SANs added by the caller that the CSR did not already have.
    pub sans_added: Vec<String>,
}

/// Issues a certificate (see the module documentation for the rules).
pub fn issue_certificate(request: &IssueRequest<'_>) -> Result<Issued> {
    let csr = request.csr;
    let ca = request.ca_cert;
    let ca_tbs = ca.tbs_certificate();
    let ca_name = to_rfc2253(ca_tbs.subject());

    csr.verify()?;
    let subject_spec = spec_of_public_key(csr.public_key_info())?;
    if let KeySpec::Rsa { bits } = subject_spec
        && bits < 2048
    {
        return Err(Error::UnsupportedKey(format!(
            "the request is for an RSA {bits}-bit key; orakit certifies RSA keys of 2048 bits or more"
        )));
    }
    check_is_ca(ca, &ca_name)?;
    if !request.ca_key.matches(ca_tbs.subject_public_key_info())? {
        return Err(Error::CaKeyMismatch { subject: ca_name });
    }
    check_days(request.days)?;

    let mut warnings = Vec::new();
    let now = SystemTime::now();
    let ca_not_before = ca_tbs.validity().not_before.to_system_time();
    let ca_not_after = ca_tbs.validity().not_after.to_system_time();
    if ca_not_after <= now {
        return Err(Error::CaNotValid {
            subject: ca_name,
            reason: format!(
                "expired on {}; make a new CA",
                format_time(&ca_tbs.validity().not_after)
            ),
        });
    }
    if ca_not_before > now {
        return Err(Error::CaNotValid {
            subject: ca_name,
            reason: format!(
                "is not valid until {}; check the clock",
                format_time(&ca_tbs.validity().not_before)
            ),
        });
    }
    let not_before = (now - CLOCK_SKEW).max(ca_not_before);
    let mut not_after = now + Duration::from_secs(u64::from(request.days) * 86_400);
    if not_after > ca_not_after {
        warnings.push(IssueWarning::ValidityClamped {
            requested: format_time(&to_time(not_after)?),
            ca_not_after: format_time(&ca_tbs.validity().not_after),
        });
        not_after = ca_not_after;
    }
    let validity = Validity::new(to_time(not_before)?, to_time(not_after)?);

    let from_csr = csr.requested_sans()?;
    let mut sans: Vec<GeneralName> = from_csr.clone();
    let mut sans_added = Vec::new();
    for extra in request.extra_sans {
        let name = extra.to_general_name()?;
        if !sans.contains(&name) {
            sans_added.push(describe_general_name(&name));
            sans.push(name);
        }
    }
    if sans.is_empty() && csr.subject().is_empty() {
        return Err(Error::InvalidSan {
            value: String::new(),
            reason: "the request has an empty subject and no SANs, so the certificate would \
                     name nobody; give at least one --san"
                .into(),
        });
    }
    if sans.is_empty() && request.profile == Profile::Server {
        warnings.push(IssueWarning::NoSubjectAltName);
    }

    let authority_key_id = find_extension(ca, &oid::SUBJECT_KEY_ID)
        .and_then(|e| <SubjectKeyIdentifier as der::Decode>::from_der(e.extn_value.as_bytes()).ok())
        .map(|ski| ski.0.as_bytes().to_vec())
        .unwrap_or_else(|| key_identifier(ca_tbs.subject_public_key_info()));
    let profile = FixedProfile {
        issuer: ca_tbs.subject().clone(),
        subject: csr.subject().clone(),
        extensions: leaf_extensions(
            request.profile,
            csr.public_key_info(),
            subject_spec,
            authority_key_id,
            &sans,
            csr.subject().is_empty(),
        )?,
    };
    let serial = match &request.serial {
        Some(s) => s.clone(),
        None => random_serial()?,
    };
    let signer = request.ca_key.signer()?;
    let certificate =
        CertificateBuilder::new(profile, serial, validity, csr.public_key_info().clone())
            .map_err(|e| Error::internal("preparing the certificate", e))?
            .build::<_, SignatureBytes>(&signer)
            .map_err(|e| Error::internal("signing the certificate", e))?;
    self_check(&certificate, request)?;
    Ok(Issued {
        certificate,
        warnings,
        sans_from_csr: from_csr.iter().map(describe_general_name).collect(),
        sans_added,
    })
}

pub(super) fn check_is_ca(ca: &Certificate, ca_name: &str) -> Result<()> {
    let not_ca = |reason: &str| Error::NotACa {
        subject: ca_name.to_owned(),
        reason: reason.to_owned(),
    };
    match basic_constraints(ca) {
        // orapki `wallet add -self_signed` without -addext_* options makes an X.509 v1
        // root: v1 has no extensions, so no basicConstraints. A self-signed v1
        // certificate is a CA (RFC 5280 §6.1.4 (k) leaves v1 roots to local policy;
        // OpenSSL and Java accept them as trust anchors).
        None if is_self_signed_v1(ca) => {}
        None => {
            return Err(not_ca(
                "it has no basicConstraints extension saying CA:TRUE; use a CA certificate \
                 (orakit ca init makes one)",
            ));
        }
        Some(bc) if !bc.ca => {
            return Err(not_ca(
                "its basicConstraints says CA:FALSE (it is a leaf certificate); give the CA \
                 certificate that issued it",
            ));
        }
        Some(_) => {}
    }
    if let Some(ku) = key_usage(ca)
        && !ku.key_cert_sign()
    {
        return Err(not_ca("its keyUsage does not include keyCertSign"));
    }
    Ok(())
}

fn is_self_signed_v1(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    tbs.version() == x509_cert::certificate::Version::V1
        && tbs.subject() == tbs.issuer()
        && der::Encode::to_der(cert)
            .ok()
            .is_some_and(|der| super::cert::verify_issued_by(&der, cert).is_ok())
}

/// Re-reads what was signed: an error here is a bug, never a certificate handed out.
fn self_check(cert: &Certificate, request: &IssueRequest<'_>) -> Result<()> {
    let enc = |v: &dyn Fn() -> der::Result<Vec<u8>>| {
        v().map_err(|e| Error::internal("checking the certificate", e))
    };
    let tbs = cert.tbs_certificate();
    let ca_tbs = request.ca_cert.tbs_certificate();
    let same_issuer = enc(&|| tbs.issuer().to_der())? == enc(&|| ca_tbs.subject().to_der())?;
    let same_subject = enc(&|| tbs.subject().to_der())? == enc(&|| request.csr.subject().to_der())?;
    let same_key = enc(&|| tbs.subject_public_key_info().to_der())?
        == enc(&|| request.csr.public_key_info().to_der())?;
    let der = enc(&|| cert.to_der())?;
    let tbs_raw = raw::sequence_elements(&der)?[0];
    let signed = verify_signature(
        ca_tbs.subject_public_key_info(),
        cert.signature_algorithm(),
        tbs_raw,
        cert.signature().raw_bytes(),
    )
    .is_ok();
    if same_issuer && same_subject && same_key && signed {
        Ok(())
    } else {
        Err(Error::internal(
            "checking the issued certificate",
            "issuer, subject, key or signature do not match; nothing was written",
        ))
    }
}
