//! What `orakit cert show` reports about a certificate or a CSR, as plain data
//! (serializable for `--json`).

use der::{Decode, Encode};
use serde::Serialize;
use sha1::Digest;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::time::Time;

use super::csr::Csr;
use super::error::{Error, Result};
use super::key::{KeySpec, spec_of_public_key};
use super::name::to_rfc2253;
use super::oid;
use super::pem::{self, Input};
use super::san::describe_general_name;

/// One certificate or CSR, described.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectReport {
    /// `certificate` or `certificate request`.
    pub kind: &'static str,
    /// RFC 2253, the way orapki prints it.
    pub subject: String,
    pub issuer: Option<String>,
    /// Colon-separated hex, as OpenSSL and orapki print it.
    pub serial: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    /// `RSA 2048-bit`, `EC P-256`, or the algorithm when orakit does not know it.
    pub key: String,
    pub key_spec: Option<KeySpec>,
    pub signature_algorithm: String,
    pub self_signed: bool,
    pub is_ca: bool,
    pub subject_alt_names: Vec<String>,
    pub extensions: Vec<ExtensionReport>,
    /// For a CSR: whether its signature verifies (`valid`) or why not.
    pub signature_check: Option<String>,
    pub sha256_fingerprint: Option<String>,
    pub sha1_fingerprint: Option<String>,
}

/// One extension, decoded where orakit knows it.
#[derive(Debug, Clone, Serialize)]
pub struct ExtensionReport {
    pub name: String,
    pub oid: String,
    pub critical: bool,
    pub value: String,
}

/// Describes every certificate and CSR in `input` (PEM bundle or one DER object).
/// Key blocks are skipped (their count is returned); a file with nothing to show is an error.
pub fn describe_all(input: &[u8]) -> Result<(Vec<ObjectReport>, usize)> {
    match pem::classify(input)? {
        Input::Der(der) => {
            let as_certificate = Certificate::from_der(der);
            if let Ok(cert) = as_certificate {
                Ok((vec![describe_certificate(&cert)?], 0))
            } else if let Ok(csr) = Csr::from_pem_or_der(der) {
                Ok((vec![describe_csr(&csr)?], 0))
            } else if let Err(e) = as_certificate
                && matches!(e.kind(), der::ErrorKind::TrailingData { .. })
            {
                Err(pem::der_error("a certificate", der, "", e))
            } else {
                Err(match pem::describe_der(der) {
                    Some(found) => Error::WrongKind {
                        expected: "a certificate or certificate request",
                        found: found.into(),
                        hint: "",
                    },
                    None => Error::Unreadable(
                        "it is not a certificate or request: the DER data is truncated or damaged"
                            .into(),
                    ),
                })
            }
        }
        Input::Pem(blocks) => {
            let mut reports = Vec::new();
            let mut skipped = 0;
            for block in &blocks {
                match block.label.as_str() {
                    "CERTIFICATE" | "X509 CERTIFICATE" => {
                        let cert = Certificate::from_der(&block.der).map_err(|e| {
                            Error::Unreadable(format!(
                                "PEM block {} (a certificate) is damaged ({e})",
                                reports.len() + skipped + 1
                            ))
                        })?;
                        reports.push(describe_certificate(&cert)?);
                    }
                    "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
                        let csr = Csr::from_pem_or_der(&block.der)?;
                        reports.push(describe_csr(&csr)?);
                    }
                    _ => skipped += 1,
                }
            }
            if reports.is_empty() {
                return Err(Error::WrongKind {
                    expected: "a certificate or certificate request",
                    found: pem::describe_label(&blocks[0].label),
                    hint: "",
                });
            }
            Ok((reports, skipped))
        }
    }
}

/// Describes one certificate.
pub fn describe_certificate(cert: &Certificate) -> Result<ObjectReport> {
    let tbs = cert.tbs_certificate();
    let der = cert
        .to_der()
        .map_err(|e| Error::internal("encoding the certificate", e))?;
    let (key, key_spec) = describe_key(tbs.subject_public_key_info());
    let extensions: Vec<Extension> = tbs.extensions().map(|e| e.to_vec()).unwrap_or_default();
    let subject = to_rfc2253(tbs.subject());
    let issuer = to_rfc2253(tbs.issuer());
    Ok(ObjectReport {
        kind: "certificate",
        self_signed: tbs.subject() == tbs.issuer(),
        subject,
        issuer: Some(issuer),
        serial: Some(colon_hex(tbs.serial_number().as_bytes())),
        not_before: Some(format_time(&tbs.validity().not_before)),
        not_after: Some(format_time(&tbs.validity().not_after)),
        key,
        key_spec,
        signature_algorithm: oid::name(&cert.signature_algorithm().oid),
        is_ca: is_ca(&extensions),
        subject_alt_names: sans_of(&extensions),
        extensions: extensions.iter().map(describe_extension).collect(),
        signature_check: None,
        sha256_fingerprint: Some(colon_hex(&sha2::Sha256::digest(&der))),
        sha1_fingerprint: Some(colon_hex(&sha1::Sha1::digest(&der))),
    })
}

/// Describes one CSR, including whether its signature verifies.
pub fn describe_csr(csr: &Csr) -> Result<ObjectReport> {
    let (key, key_spec) = describe_key(csr.public_key_info());
    let extensions = csr.requested_extensions()?;
    let signature_check = match csr.verify() {
        Ok(()) => "valid".to_owned(),
        Err(e) => e.to_string(),
    };
    Ok(ObjectReport {
        kind: "certificate request",
        subject: to_rfc2253(csr.subject()),
        issuer: None,
        serial: None,
        not_before: None,
        not_after: None,
        key,
        key_spec,
        signature_algorithm: oid::name(&csr.request().algorithm.oid),
        self_signed: false,
        is_ca: is_ca(&extensions),
        subject_alt_names: sans_of(&extensions),
        extensions: extensions.iter().map(describe_extension).collect(),
        signature_check: Some(signature_check),
        sha256_fingerprint: None,
        sha1_fingerprint: None,
    })
}

fn describe_key(spki: &spki::SubjectPublicKeyInfoOwned) -> (String, Option<KeySpec>) {
    match spec_of_public_key(spki) {
        Ok(spec) => (spec.description(), Some(spec)),
        Err(_) => (oid::name(&spki.algorithm.oid), None),
    }
}

fn is_ca(extensions: &[Extension]) -> bool {
    extensions
        .iter()
        .find(|e| e.extn_id == oid::BASIC_CONSTRAINTS)
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|bc| bc.ca)
}

pub(crate) fn sans_of(extensions: &[Extension]) -> Vec<String> {
    extensions
        .iter()
        .filter(|e| e.extn_id == oid::SUBJECT_ALT_NAME)
        .filter_map(|e| SubjectAltName::from_der(e.extn_value.as_bytes()).ok())
        .flat_map(|san| san.0.iter().map(describe_general_name).collect::<Vec<_>>())
        .collect()
}

fn describe_extension(ext: &Extension) -> ExtensionReport {
    let bytes = ext.extn_value.as_bytes();
    let value = match ext.extn_id {
        id if id == oid::BASIC_CONSTRAINTS => {
            BasicConstraints::from_der(bytes)
                .ok()
                .map(|bc| match (bc.ca, bc.path_len_constraint) {
                    (true, Some(n)) => format!("CA:TRUE, pathlen:{n}"),
                    (true, None) => "CA:TRUE".to_owned(),
                    (false, _) => "CA:FALSE".to_owned(),
                })
        }
        id if id == oid::KEY_USAGE => KeyUsage::from_der(bytes).ok().map(|ku| {
            let names = [
                (ku.digital_signature(), "digitalSignature"),
                (ku.non_repudiation(), "nonRepudiation"),
                (ku.key_encipherment(), "keyEncipherment"),
                (ku.data_encipherment(), "dataEncipherment"),
                (ku.key_agreement(), "keyAgreement"),
                (ku.key_cert_sign(), "keyCertSign"),
                (ku.crl_sign(), "cRLSign"),
                (ku.encipher_only(), "encipherOnly"),
                (ku.decipher_only(), "decipherOnly"),
            ];
            names
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, n)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        }),
        id if id == oid::EXT_KEY_USAGE => ExtendedKeyUsage::from_der(bytes)
            .ok()
            .map(|eku| eku.0.iter().map(oid::name).collect::<Vec<_>>().join(", ")),
        id if id == oid::SUBJECT_ALT_NAME => SubjectAltName::from_der(bytes).ok().map(|san| {
            san.0
                .iter()
                .map(describe_general_name)
                .collect::<Vec<_>>()
                .join(", ")
        }),
        id if id == oid::SUBJECT_KEY_ID => SubjectKeyIdentifier::from_der(bytes)
            .ok()
            .map(|ski| colon_hex(ski.0.as_bytes())),
        id if id == oid::AUTHORITY_KEY_ID => {
            AuthorityKeyIdentifier::from_der(bytes)
                .ok()
                .map(|aki| match aki.key_identifier {
                    Some(id) => format!("keyid:{}", colon_hex(id.as_bytes())),
                    None => "(no key identifier)".to_owned(),
                })
        }
        _ => None,
    };
    ExtensionReport {
        name: oid::name(&ext.extn_id),
        oid: ext.extn_id.to_string(),
        critical: ext.critical,
        value: value.unwrap_or_else(|| format!("{} bytes", bytes.len())),
    }
}

/// `AB:CD:EF`.
pub fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// `2026-11-27T21:40:00Z`: RFC 3339 in UTC, the one date format of orakit's JSON (docs/json.md).
pub fn format_time(t: &Time) -> String {
    let dt = t.to_date_time();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minutes(),
        dt.seconds()
    )
}
