//! Certificates-only PKCS#7 / CMS SignedData ("degenerate" SignedData, RFC 5652 §5 with
//! no signers), the form orapki `wallet export_trust_chain` writes: version 1, no digest
//! algorithms, an empty `data` content, the certificates, no signerInfos.

use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{CertificateSet, EncapsulatedContentInfo, SignedData, SignerInfos};
use der::asn1::SetOfVec;
use der::{Any, Decode, Encode};
use x509_cert::Certificate;

use super::error::{Error, Result};

const ID_DATA: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// The DER of a certificates-only SignedData holding `certs` (each DER).
pub fn certs_only(certs: &[Vec<u8>]) -> Result<Vec<u8>> {
    let fail = |e: der::Error| Error::internal("encoding the PKCS#7 bundle", e);
    let choices = certs
        .iter()
        .map(|d| {
            Certificate::from_der(d)
                .map(CertificateChoices::Certificate)
                .map_err(|e| Error::Unreadable(format!("not a certificate ({e})")))
        })
        .collect::<Result<Vec<_>>>()?;
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::new(),
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(SetOfVec::try_from(choices).map_err(fail)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::new()),
    };
    let info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed).map_err(fail)?,
    };
    info.to_der().map_err(fail)
}

/// The certificates (DER) of a PKCS#7 SignedData, in file order.
pub fn certificates(der_bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
    let bad = |e: der::Error| Error::Unreadable(format!("not a PKCS#7 certificate bundle ({e})"));
    let info = ContentInfo::from_der(der_bytes).map_err(bad)?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(Error::Unreadable(format!(
            "a PKCS#7 {} object, not SignedData with certificates",
            info.content_type
        )));
    }
    let signed: SignedData = info.content.decode_as().map_err(bad)?;
    let mut out = Vec::new();
    for choice in signed
        .certificates
        .map(|s| s.0.into_vec())
        .unwrap_or_default()
    {
        if let CertificateChoices::Certificate(c) = choice {
            out.push(c.to_der().map_err(bad)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_holds_what_was_put_in() {
        let key = crate::pki::key::PrivateKey::generate(crate::pki::key::KeySpec::Ec {
            curve: crate::pki::key::Curve::P256,
        })
        .unwrap();
        let a = crate::pki::ca::create_self_signed_ca(
            &key,
            &crate::pki::name::parse_dn("CN=A").unwrap(),
            5,
        )
        .unwrap()
        .to_der()
        .unwrap();
        let b = crate::pki::ca::create_self_signed_ca(
            &key,
            &crate::pki::name::parse_dn("CN=B").unwrap(),
            5,
        )
        .unwrap()
        .to_der()
        .unwrap();
        let bundle = certs_only(&[a.clone(), b.clone()]).unwrap();
        let mut back = certificates(&bundle).unwrap();
        back.sort();
        let mut want = vec![a, b];
        want.sort();
        assert_eq!(back, want);
    }
}
