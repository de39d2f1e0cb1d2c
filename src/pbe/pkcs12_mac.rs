//! The PKCS#12 MAC (RFC 7292 App. B): HMAC with SHA-1 (what Oracle writes) or SHA-2
//! (read), its key derived from the password by the PKCS#12 KDF (ID 3).

use hmac::{Hmac, KeyInit, Mac};
use pkcs12::kdf::{Pkcs12KeyType, derive_key};
use serde::Serialize;
use zeroize::Zeroizing;

use super::asn1::oid;
use super::{PbeError, bmp_password, check_iterations};

/// MAC digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MacDigest {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl MacDigest {
    pub fn from_oid(o: &der::asn1::ObjectIdentifier) -> Result<Self, PbeError> {
        Ok(match *o {
            oid::SHA1 => Self::Sha1,
            oid::SHA224 => Self::Sha224,
            oid::SHA256 => Self::Sha256,
            oid::SHA384 => Self::Sha384,
            oid::SHA512 => Self::Sha512,
            _ => return Err(PbeError::UnsupportedDigest(o.to_string())),
        })
    }

    pub fn oid(&self) -> der::asn1::ObjectIdentifier {
        match self {
            Self::Sha1 => oid::SHA1,
            Self::Sha224 => oid::SHA224,
            Self::Sha256 => oid::SHA256,
            Self::Sha384 => oid::SHA384,
            Self::Sha512 => oid::SHA512,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Sha1 => "hmacWithSHA1",
            Self::Sha224 => "hmacWithSHA224",
            Self::Sha256 => "hmacWithSHA256",
            Self::Sha384 => "hmacWithSHA384",
            Self::Sha512 => "hmacWithSHA512",
        }
    }
}

/// Computes the PKCS#12 MAC over `data`.
pub fn mac(
    digest: MacDigest,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    data: &[u8],
) -> Result<Vec<u8>, PbeError> {
    let rounds = check_iterations(iterations)?;
    let bmp = bmp_password(password);
    macro_rules! hmac_with {
        ($d:ty, $len:expr) => {{
            let key = Zeroizing::new(derive_key::<$d>(
                &bmp,
                salt,
                Pkcs12KeyType::Mac,
                rounds,
                $len,
            ));
            let mut m =
                <Hmac<$d> as KeyInit>::new_from_slice(&key).map_err(|_| PbeError::DecryptFailed)?;
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }};
    }
    Ok(match digest {
        MacDigest::Sha1 => hmac_with!(sha1::Sha1, 20),
        MacDigest::Sha224 => hmac_with!(sha2::Sha224, 28),
        MacDigest::Sha256 => hmac_with!(sha2::Sha256, 32),
        MacDigest::Sha384 => hmac_with!(sha2::Sha384, 48),
        MacDigest::Sha512 => hmac_with!(sha2::Sha512, 64),
    })
}

/// Checks a MAC in constant time.
pub fn mac_matches(expected: &[u8], computed: &[u8]) -> bool {
    if expected.len() != computed.len() {
        return false;
    }
    expected
        .iter()
        .zip(computed)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}
