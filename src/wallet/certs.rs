//! Certificates as the wallet shows them: reading PEM/DER files and bundles, printing
//! distinguished names the way orapki does (RFC 2253 order, no spaces after commas),
//! and the details `display --json` reports.

use der::{Decode, Encode};
use serde::Serialize;
use sha1::Digest as _;
use x509_cert::Certificate;
use x509_cert::name::Name;

/// Every certificate in a PEM bundle (any number of CERTIFICATE blocks, other blocks
/// skipped) or a single DER certificate, as DER. The reading and its messages are
/// [`crate::pki::cert::read_certificates`]'s; wallets keep certificates as bytes.
pub fn read_certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, crate::pki::Error> {
    // The bytes as read: a re-encoded certificate may no longer match its signature.
    crate::pki::cert::read_certificate_ders(bytes)
}

/// PEM text of one certificate (64-character lines, LF).
pub fn to_pem(der_bytes: &[u8]) -> String {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der_bytes)
        .expect("PEM encoding of bytes cannot fail")
}

/// A distinguished name in RFC 2253 order (most specific RDN first), comma-separated
/// without spaces, multi-valued RDNs joined with `+`, as orapki prints subjects.
pub fn dn_rfc2253(name: &Name) -> String {
    crate::pki::name::to_rfc2253(name)
}

/// What `display --json` reports for a certificate.
#[derive(Clone, Debug, Serialize)]
pub struct CertDetails {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub key_type: String,
    pub key_size: Option<u32>,
    pub signature_algorithm: String,
    pub sha1_fingerprint: String,
    pub sha256_fingerprint: String,
    pub self_signed: bool,
}

/// Parses a certificate and collects its details.
pub fn details(cert_der: &[u8]) -> Result<CertDetails, der::Error> {
    let cert = Certificate::from_der(cert_der)?;
    let tbs = cert.tbs_certificate();
    let (key_type, key_size) = super::keys::describe_spki(tbs.subject_public_key_info());
    let serial = hex::encode(tbs.serial_number().as_bytes());
    let serial = serial.trim_start_matches('0');
    Ok(CertDetails {
        subject: dn_rfc2253(tbs.subject()),
        issuer: dn_rfc2253(tbs.issuer()),
        serial: if serial.is_empty() {
            "0".into()
        } else {
            serial.to_owned()
        },
        not_before: rfc3339(&tbs.validity().not_before),
        not_after: rfc3339(&tbs.validity().not_after),
        key_type,
        key_size,
        signature_algorithm: signature_name(&cert.signature_algorithm().oid),
        sha1_fingerprint: hex::encode(sha1::Sha1::digest(cert_der)),
        sha256_fingerprint: hex::encode(sha2::Sha256::digest(cert_der)),
        self_signed: tbs.subject().to_der().ok() == tbs.issuer().to_der().ok(),
    })
}

fn rfc3339(time: &x509_cert::time::Time) -> String {
    let secs = time.to_unix_duration().as_secs() as i64;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| time.to_string())
}

fn signature_name(oid: &der::asn1::ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption".into(),
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption".into(),
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption".into(),
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption".into(),
        "1.2.840.113549.1.1.10" => "rsassaPss".into(),
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256".into(),
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384".into(),
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512".into(),
        other => other.to_owned(),
    }
}

/// The subject of a certificate DER (RFC 2253), or a placeholder when unreadable.
pub fn subject_of(cert_der: &[u8]) -> String {
    Certificate::from_der(cert_der)
        .map(|c| dn_rfc2253(c.tbs_certificate().subject()))
        .unwrap_or_else(|_| "<unreadable certificate>".into())
}

/// The subject of a PKCS#10 request DER (RFC 2253).
pub fn request_subject(req_der: &[u8]) -> String {
    x509_cert::request::CertReq::from_der(req_der)
        .map(|r| dn_rfc2253(&r.info.subject))
        .unwrap_or_else(|_| "<unreadable request>".into())
}

/// Compares two DNs the way users type them: ignoring spaces after separators and case,
/// and reading every spelling of an attribute type as the one `display` prints
/// (`DNQ=`, `DNQUALIFIER=`, `2.5.4.46=`).
pub fn dn_matches(shown: &str, typed: &str) -> bool {
    let attribute = |part: &str| {
        let part = part.trim();
        match part.split_once('=') {
            Some((t, v)) => {
                let t = t.trim();
                let t = crate::pki::name::printed_type(t).unwrap_or(t);
                format!("{t}={}", v.trim()).to_ascii_lowercase()
            }
            None => part.to_ascii_lowercase(),
        }
    };
    let norm = |s: &str| {
        s.split(',')
            .map(|rdn| rdn.split('+').map(attribute).collect::<Vec<_>>().join("+"))
            .collect::<Vec<_>>()
            .join(",")
    };
    norm(shown) == norm(typed)
}
