//! Self-signed certificates with the extensions chosen one by one, as orapki
//! `wallet add -self_signed` makes them (`-addext_ski`, `-addext_ku`, `-addext_basic_cons`,
//! `-addext_san`, `-sign_alg`, `-serial_num`, `-validity` or `-valid_from/-valid_until`).
//!
//! Like orapki, a certificate asked for without any extension is an X.509 v1 certificate
//! (the builder writes v1 when there are no extensions); with extensions it is v3, in
//! orapki's order: subjectKeyIdentifier, authorityKeyIdentifier, keyUsage (critical),
//! basicConstraints (critical), subjectAltName. Key identifiers are RFC 5280 method 1
//! (SHA-1 of the key bits, as OpenSSL); orapki hashes the whole SubjectPublicKeyInfo.
//! Either is valid: identifiers are matched, never recomputed.

use std::time::SystemTime;

use der::asn1::OctetString;
use der::flagset::FlagSet;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

use super::ca::to_time;
use super::error::{Error, Result};
use super::key::PrivateKey;
use super::oid;
use super::profile::{FixedProfile, key_identifier};
use super::san::SanEntry;
use super::serial::random_serial;
use super::signer::{SignatureBytes, SignatureDigest};

/// What the certificate says besides its subject and key.
#[derive(Debug, Clone)]
pub struct SelfSignedSpec {
    pub subject: Name,
    pub not_before: SystemTime,
    pub not_after: SystemTime,
    /// `None`: a random 128-bit serial.
    pub serial: Option<SerialNumber>,
    /// subjectKeyIdentifier and authorityKeyIdentifier (orapki adds both for `-addext_ski`).
    pub key_identifiers: bool,
    /// keyUsage bits, critical.
    pub key_usage: Option<FlagSet<KeyUsages>>,
    /// basicConstraints, critical: `Some(None)` is CA:TRUE without a path length.
    pub ca: Option<Option<u8>>,
    pub sans: Vec<SanEntry>,
    /// `None`: the key's default hash.
    pub digest: Option<SignatureDigest>,
}

/// The keyUsage names orapki's `-addext_ku` takes (RFC 5280 spelling).
pub const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

/// Parses `keyCertSign,cRLSign` (names compared without case).
pub fn parse_key_usage(list: &str) -> Result<FlagSet<KeyUsages>> {
    let mut bits = FlagSet::<KeyUsages>::default();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        bits |= match name.to_ascii_lowercase().as_str() {
            "digitalsignature" => KeyUsages::DigitalSignature,
            "nonrepudiation" | "contentcommitment" => KeyUsages::NonRepudiation,
            "keyencipherment" => KeyUsages::KeyEncipherment,
            "dataencipherment" => KeyUsages::DataEncipherment,
            "keyagreement" => KeyUsages::KeyAgreement,
            "keycertsign" => KeyUsages::KeyCertSign,
            "crlsign" => KeyUsages::CRLSign,
            "encipheronly" => KeyUsages::EncipherOnly,
            "decipheronly" => KeyUsages::DecipherOnly,
            _ => {
                return Err(Error::Unreadable(format!(
                    "unknown key usage {name:?}: use {}",
                    KEY_USAGE_NAMES.join(", ")
                )));
            }
        };
    }
    if bits.is_empty() {
        return Err(Error::Unreadable(format!(
            "no key usage given: use {}",
            KEY_USAGE_NAMES.join(", ")
        )));
    }
    Ok(bits)
}

fn extension<T: der::Encode>(
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

/// Makes and signs the certificate.
pub fn create_self_signed(key: &PrivateKey, spec: &SelfSignedSpec) -> Result<Certificate> {
    if spec.subject.is_empty() {
        return Err(Error::InvalidDn {
            dn: String::new(),
            reason: "a self-signed certificate needs a subject, like CN=db1.example.com".into(),
        });
    }
    if spec.not_after <= spec.not_before {
        return Err(Error::InvalidValidity(
            "the end of the validity must come after its start".into(),
        ));
    }
    let signer = match spec.digest {
        Some(d) => key.signer_with(d)?,
        None => key.signer()?,
    };
    let spki = key.public_key_info()?;
    let mut extensions = Vec::new();
    if spec.key_identifiers {
        let id = OctetString::new(key_identifier(&spki))
            .map_err(|e| Error::internal("encoding a key identifier", e))?;
        extensions.push(extension(
            oid::SUBJECT_KEY_ID,
            false,
            &SubjectKeyIdentifier(id.clone()),
        )?);
        extensions.push(extension(
            oid::AUTHORITY_KEY_ID,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(id),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?);
    }
    if let Some(bits) = spec.key_usage {
        extensions.push(extension(oid::KEY_USAGE, true, &KeyUsage(bits))?);
    }
    if let Some(path_len) = spec.ca {
        extensions.push(extension(
            oid::BASIC_CONSTRAINTS,
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: path_len,
            },
        )?);
    }
    if !spec.sans.is_empty() {
        let names = spec
            .sans
            .iter()
            .map(SanEntry::to_general_name)
            .collect::<Result<Vec<_>>>()?;
        extensions.push(extension(
            oid::SUBJECT_ALT_NAME,
            false,
            &SubjectAltName(names),
        )?);
    }
    let validity = Validity::new(to_time(spec.not_before)?, to_time(spec.not_after)?);
    let profile = FixedProfile {
        issuer: spec.subject.clone(),
        subject: spec.subject.clone(),
        extensions,
    };
    let serial = match &spec.serial {
        Some(s) => s.clone(),
        None => random_serial()?,
    };
    CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|e| Error::internal("preparing the certificate", e))?
        .build::<_, SignatureBytes>(&signer)
        .map_err(|e| Error::internal("signing the certificate", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::key::{Curve, KeySpec};
    use crate::pki::{csr, issue, name, profile};
    use std::time::Duration;
    use x509_cert::certificate::Version;

    fn spec(subject: &str) -> SelfSignedSpec {
        let now = SystemTime::now();
        SelfSignedSpec {
            subject: name::parse_dn(subject).unwrap(),
            not_before: now,
            not_after: now + Duration::from_secs(86_400),
            serial: None,
            key_identifiers: false,
            key_usage: None,
            ca: None,
            sans: Vec::new(),
            digest: None,
        }
    }

    #[test]
    fn without_extensions_it_is_v1_like_orapki_and_csr_sign_takes_it_as_a_root() {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let root = create_self_signed(&key, &spec("CN=v1 root")).unwrap();
        assert_eq!(root.tbs_certificate().version(), Version::V1);
        let leaf_key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let request = csr::create_csr(
            &leaf_key,
            &name::parse_dn("CN=leaf").unwrap(),
            &[SanEntry::parse("leaf").unwrap()],
        )
        .unwrap();
        let issued = issue::issue_certificate(&issue::IssueRequest {
            csr: &request,
            ca_cert: &root,
            ca_key: &key,
            profile: profile::Profile::Server,
            extra_sans: &[],
            days: 1,
            serial: None,
        });
        assert!(issued.is_ok(), "{:?}", issued.err());
    }

    #[test]
    fn extensions_make_v3_in_orapki_order_with_the_chosen_hash() {
        let key = PrivateKey::generate(KeySpec::Rsa { bits: 2048 }).unwrap();
        let mut s = spec("CN=v3 root");
        s.key_identifiers = true;
        s.key_usage = Some(parse_key_usage("keyCertSign, cRLSign").unwrap());
        s.ca = Some(Some(1));
        s.sans = vec![SanEntry::parse("root.example").unwrap()];
        s.digest = Some(SignatureDigest::Sha384);
        let cert = create_self_signed(&key, &s).unwrap();
        let tbs = cert.tbs_certificate();
        assert_eq!(tbs.version(), Version::V3);
        let order: Vec<_> = tbs
            .extensions()
            .unwrap()
            .iter()
            .map(|e| e.extn_id)
            .collect();
        assert_eq!(
            order,
            [
                oid::SUBJECT_KEY_ID,
                oid::AUTHORITY_KEY_ID,
                oid::KEY_USAGE,
                oid::BASIC_CONSTRAINTS,
                oid::SUBJECT_ALT_NAME
            ]
        );
        assert_eq!(cert.signature_algorithm().oid, oid::SHA384_WITH_RSA);
        assert!(parse_key_usage("keyCertSign,bogus").is_err());
    }
}
