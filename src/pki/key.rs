//! Private keys: generate, read in every format OpenSSL and orapki users have, write PKCS#8.
//!
//! Reading accepts PKCS#8 (`PRIVATE KEY`), encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`,
//! any PBES2 scheme the `pkcs5` crate decrypts, and the PKCS#12 PBE schemes such as
//! `pbeWithSHAAnd3-KeyTripleDES-CBC` that Java tools and `openssl pkcs8 -v1 PBE-SHA1-3DES`
//! write, decrypted by the wallet's own PBE code), PKCS#1 (`RSA PRIVATE KEY`, what
//! `openssl genrsa -traditional` and older OpenSSL write) and SEC1 (`EC PRIVATE KEY`),
//! as PEM or DER. Writing is always PKCS#8; encrypted keys use PBES2 with
//! PBKDF2-HMAC-SHA256 and AES-256-CBC, a random 16-byte salt and IV.
//!
//! This file holds what a key is, how it is made and written; the readers of each input
//! format are in `key/decode.rs`.

use std::fmt;

use der::{Decode, Encode};
use p256::elliptic_curve::Generate;
use pkcs8::{EncodePrivateKey, EncodePublicKey, PrivateKeyInfoRef};
use rsa::traits::PublicKeyParts;
use serde::Serialize;
use spki::SubjectPublicKeyInfoOwned;
use zeroize::Zeroizing;

use super::error::{Error, Result};
use super::oid;
use super::pem;
use crate::secret::Password;

mod decode;

pub use decode::MAX_PBKDF2_ITERATIONS;

/// PBKDF2 iterations for keys orakit encrypts. OpenSSL 3 uses 2048 by default; this is
/// fifty times that, which still unlocks a key in well under a second.
pub const PBKDF2_ITERATIONS: u32 = 100_000;

/// RSA sizes orakit generates. Other sizes (1024, 8192, ...) can still be read.
pub const RSA_SIZES: [u32; 3] = [2048, 3072, 4096];

/// A named elliptic curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Curve {
    #[serde(rename = "P-256")]
    P256,
    #[serde(rename = "P-384")]
    P384,
    #[serde(rename = "P-521")]
    P521,
}

impl Curve {
    /// NIST name: `P-256`.
    pub fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        }
    }

    /// Name OpenSSL prints (`ASN1 OID: prime256v1`).
    pub fn openssl_name(self) -> &'static str {
        match self {
            Self::P256 => "prime256v1",
            Self::P384 => "secp384r1",
            Self::P521 => "secp521r1",
        }
    }

    pub fn oid(self) -> der::asn1::ObjectIdentifier {
        match self {
            Self::P256 => oid::SECP256R1,
            Self::P384 => oid::SECP384R1,
            Self::P521 => oid::SECP521R1,
        }
    }

    pub fn from_oid(curve: &der::asn1::ObjectIdentifier) -> Option<Self> {
        [Self::P256, Self::P384, Self::P521]
            .into_iter()
            .find(|c| c.oid() == *curve)
    }

    /// Size of the curve's field in bits (256, 384, 521).
    pub fn bits(self) -> u32 {
        match self {
            Self::P256 => 256,
            Self::P384 => 384,
            Self::P521 => 521,
        }
    }
}

/// The kind and size of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum KeySpec {
    Rsa { bits: u32 },
    Ec { curve: Curve },
}

impl KeySpec {
    /// RSA-2048: orakit's default, read by Oracle clients of every release.
    pub const DEFAULT: Self = Self::Rsa { bits: 2048 };

    /// `RSA 2048-bit`, `EC P-384`.
    pub fn description(&self) -> String {
        match self {
            Self::Rsa { bits } => format!("RSA {bits}-bit"),
            Self::Ec { curve } => format!("EC {}", curve.name()),
        }
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description())
    }
}

/// The key material itself; each variant zeroizes on drop.
#[derive(Clone)]
pub(crate) enum KeyMaterial {
    Rsa(rsa::PrivateKey),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
}

/// A private key orakit can sign with. `Debug` shows only the key type.
#[derive(Clone)]
pub struct PrivateKey {
    pub(crate) material: KeyMaterial,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({}, <redacted>)", self.spec())
    }
}

impl PrivateKey {
    /// Generates a new key from the operating system's random number generator.
    pub fn generate(spec: KeySpec) -> Result<Self> {
        let mut rng = getrandom::SysRng;
        let material = match spec {
            KeySpec::Rsa { bits } => {
                if !RSA_SIZES.contains(&bits) {
                    return Err(Error::UnsupportedKey(format!(
                        "RSA {bits}-bit: orakit generates RSA keys of 2048, 3072 or 4096 bits"
                    )));
                }
                KeyMaterial::Rsa(
                    rsa::PrivateKey::new(&mut rng, bits as usize)
                        .map_err(|e| Error::internal("generating an RSA key", e))?,
                )
            }
            KeySpec::Ec { curve: Curve::P256 } => KeyMaterial::P256(
                p256::SecretKey::try_generate_from_rng(&mut rng).map_err(|_| Error::Random)?,
            ),
            KeySpec::Ec { curve: Curve::P384 } => KeyMaterial::P384(
                p384::SecretKey::try_generate_from_rng(&mut rng).map_err(|_| Error::Random)?,
            ),
            KeySpec::Ec { curve: Curve::P521 } => KeyMaterial::P521(
                p521::SecretKey::try_generate_from_rng(&mut rng).map_err(|_| Error::Random)?,
            ),
        };
        Ok(Self { material })
    }

    /// Kind and size.
    pub fn spec(&self) -> KeySpec {
        match &self.material {
            KeyMaterial::Rsa(k) => KeySpec::Rsa {
                bits: (k.size() * 8) as u32,
            },
            KeyMaterial::P256(_) => KeySpec::Ec { curve: Curve::P256 },
            KeyMaterial::P384(_) => KeySpec::Ec { curve: Curve::P384 },
            KeyMaterial::P521(_) => KeySpec::Ec { curve: Curve::P521 },
        }
    }

    /// `RSA 2048-bit`, `EC P-256`.
    pub fn description(&self) -> String {
        self.spec().description()
    }

    /// The unencrypted PKCS#8 `PrivateKeyInfo` DER (for wallets' key bags).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let doc = match &self.material {
            KeyMaterial::Rsa(k) => k.to_pkcs8_der(),
            KeyMaterial::P256(k) => k.to_pkcs8_der(),
            KeyMaterial::P384(k) => k.to_pkcs8_der(),
            KeyMaterial::P521(k) => k.to_pkcs8_der(),
        }
        .map_err(|e| Error::internal("encoding the key as PKCS#8", e))?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// PKCS#8 PEM: `PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` (PBES2, PBKDF2-HMAC-SHA256,
    /// AES-256-CBC) when a password is given.
    pub fn to_pkcs8_pem(&self, password: Option<&Password>) -> Result<Zeroizing<String>> {
        let der = self.to_pkcs8_der()?;
        let Some(password) = password else {
            return pem::encode("PRIVATE KEY", &der).map(Zeroizing::new);
        };
        let encrypted = encrypt_pkcs8(&der, password)?;
        pem::encode("ENCRYPTED PRIVATE KEY", &encrypted).map(Zeroizing::new)
    }

    /// The public half as a `SubjectPublicKeyInfo`.
    pub fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned> {
        let doc = match &self.material {
            KeyMaterial::Rsa(k) => k.to_public_key().to_public_key_der(),
            KeyMaterial::P256(k) => k.public_key().to_public_key_der(),
            KeyMaterial::P384(k) => k.public_key().to_public_key_der(),
            KeyMaterial::P521(k) => k.public_key().to_public_key_der(),
        }
        .map_err(|e| Error::internal("encoding the public key", e))?;
        SubjectPublicKeyInfoOwned::from_der(doc.as_bytes())
            .map_err(|e| Error::internal("decoding the public key", e))
    }

    /// Whether `spki` is this key's public key (a certificate or CSR made for this key).
    pub fn matches(&self, spki: &SubjectPublicKeyInfoOwned) -> Result<bool> {
        let ours = self.public_key_info()?;
        let a = ours.to_der().map_err(|e| Error::internal("encoding", e))?;
        let b = spki.to_der().map_err(|e| Error::internal("encoding", e))?;
        Ok(a == b)
    }

    /// Refuses keys too weak to sign with (RSA below 2048 bits).
    pub(crate) fn check_signing_strength(&self) -> Result<()> {
        match self.spec() {
            KeySpec::Rsa { bits } if bits < 2048 => Err(Error::UnsupportedKey(format!(
                "RSA {bits}-bit is too short to sign with: use a key of 2048 bits or more"
            ))),
            _ => Ok(()),
        }
    }
}

fn encrypt_pkcs8(der: &[u8], password: &Password) -> Result<Vec<u8>> {
    let salt = crate::random::bytes(16);
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&crate::random::bytes(16));
    let params =
        pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, iv)
            .map_err(|e| Error::internal("setting up key encryption", e))?;
    let info =
        PrivateKeyInfoRef::from_der(der).map_err(|e| Error::internal("re-reading the key", e))?;
    let doc = info
        .encrypt_with_params(params, password.as_bytes())
        .map_err(|e| Error::internal("encrypting the key", e))?;
    Ok(doc.as_bytes().to_vec())
}

pub(super) fn unsupported_curve(curve: &der::asn1::ObjectIdentifier) -> Error {
    Error::UnsupportedKey(format!(
        "EC curve {curve}: orakit handles P-256, P-384 and P-521"
    ))
}

pub(super) fn unsupported_algorithm(algorithm: &der::asn1::ObjectIdentifier) -> Error {
    let hint = if *algorithm == oid::RSASSA_PSS {
        "; make a plain RSA key (openssl genrsa) instead of an RSA-PSS key"
    } else {
        "; orakit handles RSA and EC (P-256, P-384, P-521) keys, which every Oracle release reads"
    };
    Error::UnsupportedKey(format!("{} key{hint}", oid::name(algorithm)))
}

/// The named curve in an EC key's algorithm parameters (the only form orakit reads).
pub(super) fn named_curve(
    parameters: Option<der::AnyRef<'_>>,
) -> Result<der::asn1::ObjectIdentifier> {
    parameters
        .ok_or(())
        .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().map_err(|_| ()))
        .map_err(|_| Error::UnsupportedKey("an EC key without a named curve".into()))
}

/// Bits of an RSA public key or the curve of an EC one, from a `SubjectPublicKeyInfo`.
pub fn spec_of_public_key(spki: &SubjectPublicKeyInfoOwned) -> Result<KeySpec> {
    let algorithm = spki.algorithm.oid;
    if algorithm == oid::RSA_ENCRYPTION {
        let der = spki.to_der().map_err(|e| Error::internal("encoding", e))?;
        let key = <rsa::PublicKey as pkcs8::DecodePublicKey>::from_public_key_der(&der)
            .map_err(|e| Error::Unreadable(format!("the RSA public key is damaged ({e})")))?;
        Ok(KeySpec::Rsa {
            bits: (key.size() * 8) as u32,
        })
    } else if algorithm == oid::EC_PUBLIC_KEY {
        let curve = named_curve(spki.algorithm.parameters.as_ref().map(der::AnyRef::from))?;
        Curve::from_oid(&curve)
            .map(|curve| KeySpec::Ec { curve })
            .ok_or_else(|| unsupported_curve(&curve))
    } else {
        Err(unsupported_algorithm(&algorithm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ec_keys_round_trip_through_encrypted_pkcs8() {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P384 }).unwrap();
        let password = Password::new("correct horse".into());
        let pem = key.to_pkcs8_pem(Some(&password)).unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assert!(PrivateKey::is_encrypted(pem.as_bytes()));
        let back = PrivateKey::from_pem_or_der(pem.as_bytes(), Some(&password)).unwrap();
        assert_eq!(back.spec(), key.spec());
        assert!(back.matches(&key.public_key_info().unwrap()).unwrap());
        let wrong = Password::new("wrong".into());
        assert!(matches!(
            PrivateKey::from_pem_or_der(pem.as_bytes(), Some(&wrong)),
            Err(Error::WrongPassword)
        ));
        assert!(matches!(
            PrivateKey::from_pem_or_der(pem.as_bytes(), None),
            Err(Error::PasswordNeeded)
        ));
    }

    #[test]
    fn debug_does_not_show_key_material() {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        let shown = format!("{key:?}");
        assert_eq!(shown, "PrivateKey(EC P-256, <redacted>)");
    }

    #[test]
    fn unsupported_rsa_sizes_are_refused() {
        let err = PrivateKey::generate(KeySpec::Rsa { bits: 1024 }).unwrap_err();
        assert!(err.to_string().contains("2048, 3072 or 4096"), "{err}");
    }
}
