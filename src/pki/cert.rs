//! Reading certificates: one DER certificate, or every certificate of a PEM file/bundle.

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};

use super::error::{Error, Result};
use super::oid;
use super::pem::{self, Input};

/// Reads every certificate in `input` (PEM with one or more `CERTIFICATE` blocks, text
/// around them allowed, or a single DER certificate). Other PEM blocks (a key in an
/// `ewallet.pem`) are skipped, but input with no certificate at all is an error that
/// says what it holds instead.
pub fn read_certificates(input: &[u8]) -> Result<Vec<Certificate>> {
    match pem::classify(input)? {
        Input::Der(der) => Certificate::from_der(der)
            .map(|c| vec![c])
            .map_err(|e| pem::der_error("a certificate", der, hint_for_der(der), e)),
        Input::Pem(blocks) => {
            let mut certs = Vec::new();
            for block in blocks.iter().filter(|b| is_certificate_label(&b.label)) {
                let cert = Certificate::from_der(&block.der).map_err(|e| {
                    Error::Unreadable(format!(
                        "certificate {} in the file is damaged ({e})",
                        certs.len() + 1
                    ))
                })?;
                certs.push(cert);
            }
            if certs.is_empty() {
                let label = &blocks[0].label;
                return Err(Error::WrongKind {
                    expected: "a certificate",
                    found: pem::describe_label(label),
                    hint: hint_for_label(label),
                });
            }
            Ok(certs)
        }
    }
}

/// [`read_certificates`], giving each certificate's bytes exactly as read. Re-encoding a
/// parsed certificate changes one that is not strict DER (the system bundle's "Certum
/// Trusted Network CA 2" has GeneralizedTime dates before 2050, which come back as
/// UTCTime), and that breaks its signature and its fingerprint.
pub fn read_certificate_ders(input: &[u8]) -> Result<Vec<Vec<u8>>> {
    // The parse checks every certificate and gives the messages.
    read_certificates(input)?;
    Ok(match pem::classify(input)? {
        Input::Der(der) => vec![der.to_vec()],
        Input::Pem(blocks) => blocks
            .iter()
            .filter(|b| is_certificate_label(&b.label))
            .map(|b| b.der.to_vec())
            .collect(),
    })
}

/// Reads exactly one certificate (a CA certificate, for instance).
pub fn read_certificate(input: &[u8]) -> Result<Certificate> {
    let mut certs = read_certificates(input)?;
    if certs.len() > 1 {
        return Err(Error::Unreadable(format!(
            "it holds {} certificates where one is expected; split the bundle",
            certs.len()
        )));
    }
    Ok(certs.remove(0))
}

fn is_certificate_label(label: &str) -> bool {
    matches!(label, "CERTIFICATE" | "X509 CERTIFICATE")
}

fn hint_for_label(label: &str) -> &'static str {
    match label {
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            "; sign the request with `orakit csr sign` to get a certificate"
        }
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
            "; give the certificate file here and the key where a key is asked for"
        }
        _ => "",
    }
}

fn hint_for_der(der: &[u8]) -> &'static str {
    match pem::describe_der(der) {
        Some("a certificate request (CSR)") => hint_for_label("CERTIFICATE REQUEST"),
        Some("a private key") => hint_for_label("PRIVATE KEY"),
        _ => "",
    }
}

/// Encodes a certificate as PEM.
pub fn to_pem(cert: &Certificate) -> Result<String> {
    let der = cert
        .to_der()
        .map_err(|e| Error::internal("encoding the certificate", e))?;
    pem::encode("CERTIFICATE", &der)
}

/// The extension with `id`, if present.
pub fn find_extension<'c>(
    cert: &'c Certificate,
    id: &der::asn1::ObjectIdentifier,
) -> Option<&'c Extension> {
    cert.tbs_certificate()
        .extensions()
        .and_then(|exts| exts.iter().find(|e| e.extn_id == *id))
}

/// The certificate's basicConstraints, if present and well-formed.
pub fn basic_constraints(cert: &Certificate) -> Option<BasicConstraints> {
    find_extension(cert, &oid::BASIC_CONSTRAINTS)
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
}

/// The certificate's keyUsage, if present and well-formed.
pub fn key_usage(cert: &Certificate) -> Option<KeyUsage> {
    find_extension(cert, &oid::KEY_USAGE)
        .and_then(|e| KeyUsage::from_der(e.extn_value.as_bytes()).ok())
}

/// Checks that the certificate `cert_der` was signed with the key of `issuer` (the
/// signature over its exact to-be-signed bytes, as read). Names are not compared here.
pub fn verify_issued_by(cert_der: &[u8], issuer: &Certificate) -> Result<()> {
    let cert = Certificate::from_der(cert_der)
        .map_err(|e| Error::Unreadable(format!("not a certificate ({e})")))?;
    let tbs_raw = super::raw::sequence_elements(cert_der)?[0];
    super::signer::verify_signature(
        issuer.tbs_certificate().subject_public_key_info(),
        cert.signature_algorithm(),
        tbs_raw,
        cert.signature().raw_bytes(),
    )
}
