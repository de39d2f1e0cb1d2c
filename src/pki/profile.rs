//! Extension policy: which extensions a CA and a leaf certificate get.
//!
//! - CA (`ca init`): basicConstraints CA:TRUE (critical), keyUsage keyCertSign + cRLSign
//!   (critical), subjectKeyIdentifier.
//! - Leaf (`csr sign`): basicConstraints CA:FALSE (critical), keyUsage digitalSignature +
//!   keyEncipherment for RSA or digitalSignature for EC (critical), extendedKeyUsage
//!   serverAuth or clientAuth, subjectAltName, authorityKeyIdentifier, subjectKeyIdentifier.
//!
//! Nothing else is copied from a CSR: only its SANs (see [`crate::pki::issue`]).
//! Key identifiers are RFC 5280 §4.2.1.2 method 1, the SHA-1 of the public key bits, as
//! OpenSSL computes them.

use der::Encode;
use der::asn1::OctetString;
use serde::Serialize;
use sha1::Digest;
use spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::Name;

use super::error::{Error, Result};
use super::key::KeySpec;
use super::oid;

/// What a leaf certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// A TLS server (a listener): extendedKeyUsage serverAuth.
    Server,
    /// A TLS client (mutual TLS): extendedKeyUsage clientAuth.
    Client,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Self::Server => "server",
            Self::Client => "client",
        }
    }
}

/// SHA-1 over the subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1).
pub fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    sha1::Sha1::digest(spki.subject_public_key.raw_bytes()).to_vec()
}

fn extension<T: Encode>(
    id: der::asn1::ObjectIdentifier,
    critical: bool,
    value: &T,
) -> Result<Extension> {
    let der = value
        .to_der()
        .map_err(|e| Error::internal("encoding an extension", e))?;
    Ok(Extension {
        extn_id: id,
        critical,
        extn_value: OctetString::new(der)
            .map_err(|e| Error::internal("encoding an extension", e))?,
    })
}

fn octets(bytes: Vec<u8>) -> Result<OctetString> {
    OctetString::new(bytes).map_err(|e| Error::internal("encoding a key identifier", e))
}

/// The extensions of a self-signed root CA.
pub fn ca_extensions(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<Extension>> {
    Ok(vec![
        extension(
            oid::BASIC_CONSTRAINTS,
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: None,
            },
        )?,
        extension(
            oid::KEY_USAGE,
            true,
            &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        )?,
        extension(
            oid::SUBJECT_KEY_ID,
            false,
            &SubjectKeyIdentifier(octets(key_identifier(spki))?),
        )?,
    ])
}

/// The extensions of a leaf certificate.
pub fn leaf_extensions(
    profile: Profile,
    subject_key: &SubjectPublicKeyInfoOwned,
    subject_key_spec: KeySpec,
    authority_key_id: Vec<u8>,
    sans: &[GeneralName],
    subject_is_empty: bool,
) -> Result<Vec<Extension>> {
    let usage = match subject_key_spec {
        // RSA key exchange (TLS 1.2 RSA suites) encrypts to the key: keyEncipherment.
        KeySpec::Rsa { .. } => KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment,
        KeySpec::Ec { .. } => KeyUsages::DigitalSignature.into(),
    };
    let purpose = match profile {
        Profile::Server => oid::KP_SERVER_AUTH,
        Profile::Client => oid::KP_CLIENT_AUTH,
    };
    let mut extensions = vec![
        extension(
            oid::BASIC_CONSTRAINTS,
            true,
            &BasicConstraints {
                ca: false,
                path_len_constraint: None,
            },
        )?,
        extension(oid::KEY_USAGE, true, &KeyUsage(usage))?,
        extension(oid::EXT_KEY_USAGE, false, &ExtendedKeyUsage(vec![purpose]))?,
    ];
    if !sans.is_empty() {
        // RFC 5280 §4.2.1.6: with an empty subject the SAN carries the identity; critical.
        extensions.push(extension(
            oid::SUBJECT_ALT_NAME,
            subject_is_empty,
            &SubjectAltName(sans.to_vec()),
        )?);
    }
    extensions.push(extension(
        oid::AUTHORITY_KEY_ID,
        false,
        &AuthorityKeyIdentifier {
            key_identifier: Some(octets(authority_key_id)?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        },
    )?);
    extensions.push(extension(
        oid::SUBJECT_KEY_ID,
        false,
        &SubjectKeyIdentifier(octets(key_identifier(subject_key))?),
    )?);
    Ok(extensions)
}

/// A builder profile with everything decided up front: the issuer name (copied from the
/// CA certificate), the subject and the extension list.
pub(crate) struct FixedProfile {
    pub issuer: Name,
    pub subject: Name,
    pub extensions: Vec<Extension>,
}

impl x509_cert::builder::profile::BuilderProfile for FixedProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}
