//! The little the wallet needs to know about private keys: the public key that belongs
//! to a PKCS#8 key (to pair a signed certificate with it) and a short description.

use der::Decode;
use pkcs8::DecodePrivateKey;
use spki::EncodePublicKey;

const RSA: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("1.3.132.0.34");
const P521: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// The SubjectPublicKeyInfo DER of the public half of a PKCS#8 private key
/// (RSA, EC P-256/P-384/P-521), or `None` for other or unreadable keys.
pub fn public_key_der(pkcs8_der: &[u8]) -> Option<Vec<u8>> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(pkcs8_der).ok()?;
    let spki = if info.algorithm.oid == RSA {
        rsa::PrivateKey::from_pkcs8_der(pkcs8_der)
            .ok()?
            .to_public_key()
            .to_public_key_der()
            .ok()?
    } else if info.algorithm.oid == EC {
        match info.algorithm.parameters_oid().ok()? {
            P256 => p256::SecretKey::from_pkcs8_der(pkcs8_der)
                .ok()?
                .public_key()
                .to_public_key_der()
                .ok()?,
            P384 => p384::SecretKey::from_pkcs8_der(pkcs8_der)
                .ok()?
                .public_key()
                .to_public_key_der()
                .ok()?,
            P521 => p521::SecretKey::from_pkcs8_der(pkcs8_der)
                .ok()?
                .public_key()
                .to_public_key_der()
                .ok()?,
            _ => return None,
        }
    } else {
        return None;
    };
    Some(spki.as_bytes().to_vec())
}

/// "RSA 2048", "EC P-256", or the algorithm OID, for a SubjectPublicKeyInfo.
pub fn describe_spki(spki: &spki::SubjectPublicKeyInfoOwned) -> (String, Option<u32>) {
    if spki.algorithm.oid == RSA {
        let bits = spki
            .subject_public_key
            .as_bytes()
            .and_then(|b| pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(b).ok())
            .map(|k| {
                let m = k.modulus.as_bytes();
                let lead = m.iter().take_while(|&&b| b == 0).count();
                let m = &m[lead..];
                m.first().map_or(0, |&top| {
                    (m.len() as u32 - 1) * 8 + (8 - top.leading_zeros())
                })
            });
        return ("RSA".into(), bits);
    }
    if spki.algorithm.oid == EC {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok());
        return match curve {
            Some(P256) => ("EC P-256".into(), Some(256)),
            Some(P384) => ("EC P-384".into(), Some(384)),
            Some(P521) => ("EC P-521".into(), Some(521)),
            Some(other) => (format!("EC {other}"), None),
            None => ("EC".into(), None),
        };
    }
    (spki.algorithm.oid.to_string(), None)
}

/// Describes the key of a PKCS#8 PrivateKeyInfo (type and size).
pub fn describe_private_key(pkcs8_der: &[u8]) -> (String, Option<u32>) {
    match public_key_der(pkcs8_der).and_then(|d| spki::SubjectPublicKeyInfoOwned::from_der(&d).ok())
    {
        Some(spki) => describe_spki(&spki),
        None => match pkcs8::PrivateKeyInfoRef::from_der(pkcs8_der) {
            Ok(info) => (info.algorithm.oid.to_string(), None),
            Err(_) => ("unreadable".into(), None),
        },
    }
}
