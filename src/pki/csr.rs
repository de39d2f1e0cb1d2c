//! PKCS#10 certificate requests: create, read, verify.
//!
//! x509-cert decodes requests but does not check their signatures; [`Csr::verify`] does,
//! over the request's original bytes, for RSA PKCS#1 v1.5 (SHA-256/384/512) and ECDSA
//! (P-256, P-384, P-521 with SHA-256/384/512). RSA-PSS and SHA-1 requests are refused
//! with a message saying so.

use der::asn1::{Any, BitString, SetOfVec};
use der::{Decode, Encode};
use x509_cert::attr::Attribute;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo, Version};

use super::error::{Error, Result};
use super::key::PrivateKey;
use super::oid;
use super::pem::{self, Input};
use super::raw;
use super::san::SanEntry;
use super::signer::verify_signature;

/// A certificate request together with the bytes it was read from.
#[derive(Debug, Clone)]
pub struct Csr {
    request: CertReq,
    der: Vec<u8>,
}

impl Csr {
    /// Reads a request from PEM (`CERTIFICATE REQUEST`) or DER.
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self> {
        let der: Vec<u8> = match pem::classify(input)? {
            Input::Der(der) => der.to_vec(),
            Input::Pem(blocks) => {
                let Some(block) = blocks.iter().find(|b| {
                    matches!(
                        b.label.as_str(),
                        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST"
                    )
                }) else {
                    let label = &blocks[0].label;
                    return Err(Error::WrongKind {
                        expected: "a certificate request (CSR)",
                        found: pem::describe_label(label),
                        hint: if label == "CERTIFICATE" {
                            "; it is already signed"
                        } else {
                            ""
                        },
                    });
                };
                block.der.to_vec()
            }
        };
        let request = CertReq::from_der(&der)
            .map_err(|e| pem::der_error("a certificate request (CSR)", &der, "", e))?;
        Ok(Self { request, der })
    }

    /// Wraps a request built in memory.
    pub fn from_request(request: CertReq) -> Result<Self> {
        let der = request
            .to_der()
            .map_err(|e| Error::internal("encoding the request", e))?;
        Ok(Self { request, der })
    }

    pub fn request(&self) -> &CertReq {
        &self.request
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn subject(&self) -> &Name {
        &self.request.info.subject
    }

    pub fn public_key_info(&self) -> &spki::SubjectPublicKeyInfoOwned {
        &self.request.info.public_key
    }

    /// `-----BEGIN CERTIFICATE REQUEST-----`.
    pub fn to_pem(&self) -> Result<String> {
        pem::encode("CERTIFICATE REQUEST", &self.der)
    }

    /// Checks the request's self-signature over its original bytes.
    pub fn verify(&self) -> Result<()> {
        let info = raw::sequence_elements(&self.der)?
            .first()
            .copied()
            .ok_or_else(|| Error::Unreadable("the request is empty".into()))?;
        verify_signature(
            &self.request.info.public_key,
            &self.request.algorithm,
            info,
            self.request.signature.raw_bytes(),
        )
    }

    /// The extensions the request asks for (its `extensionRequest` attribute).
    pub fn requested_extensions(&self) -> Result<Vec<Extension>> {
        let damaged = |e: der::Error| {
            Error::Unreadable(format!("the request's extensions are damaged ({e})"))
        };
        let mut all = Vec::new();
        for attribute in self.request.info.attributes.iter() {
            if attribute.oid != oid::EXTENSION_REQUEST {
                continue;
            }
            for value in attribute.values.iter() {
                let der = value.to_der().map_err(damaged)?;
                all.extend(Vec::<Extension>::from_der(&der).map_err(damaged)?);
            }
        }
        Ok(all)
    }

    /// Every name in the request's subjectAltName extension, in order.
    pub fn requested_sans(&self) -> Result<Vec<GeneralName>> {
        let mut names = Vec::new();
        for ext in self.requested_extensions()? {
            if ext.extn_id == oid::SUBJECT_ALT_NAME {
                let san = SubjectAltName::from_der(ext.extn_value.as_bytes()).map_err(|e| {
                    Error::Unreadable(format!("the request's subjectAltName is damaged ({e})"))
                })?;
                names.extend(san.0);
            }
        }
        Ok(names)
    }
}

/// Makes a request for `key` with `subject`, asking for `sans` (when not empty).
pub fn create_csr(key: &PrivateKey, subject: &Name, sans: &[SanEntry]) -> Result<Csr> {
    let signer = key.signer()?;
    let mut attributes = SetOfVec::new();
    if !sans.is_empty() {
        let names = sans
            .iter()
            .map(SanEntry::to_general_name)
            .collect::<Result<Vec<_>>>()?;
        let encode = |e: der::Error| Error::internal("encoding the request", e);
        let san_der = SubjectAltName(names).to_der().map_err(encode)?;
        let extensions = vec![Extension {
            extn_id: oid::SUBJECT_ALT_NAME,
            critical: subject.is_empty(),
            extn_value: der::asn1::OctetString::new(san_der).map_err(encode)?,
        }];
        let mut values = SetOfVec::new();
        values
            .insert(Any::encode_from(&extensions).map_err(encode)?)
            .map_err(encode)?;
        attributes
            .insert(Attribute {
                oid: oid::EXTENSION_REQUEST,
                values,
            })
            .map_err(encode)?;
    }
    let info = CertReqInfo {
        version: Version::V1,
        subject: subject.clone(),
        public_key: key.public_key_info()?,
        attributes,
    };
    let info_der = info
        .to_der()
        .map_err(|e| Error::internal("encoding the request", e))?;
    let signature = signer.sign_bytes(&info_der)?;
    let request = CertReq {
        info,
        algorithm: signer.algorithm(),
        signature: BitString::from_bytes(&signature)
            .map_err(|e| Error::internal("encoding the signature", e))?,
    };
    Csr::from_request(request)
}

/// Checks a request's signature (see [`Csr::verify`]).
pub fn verify_csr(csr: &Csr) -> Result<()> {
    csr.verify()
}
