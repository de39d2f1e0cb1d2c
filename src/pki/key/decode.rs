//! Reading a private key in every format OpenSSL and orapki users have: PKCS#8 (plain or
//! encrypted with PBES2 or a PKCS#12 PBE scheme), PKCS#1 and SEC1, as PEM or DER.

use std::fmt;

use der::Decode;
use pkcs8::{DecodePrivateKey, PrivateKeyInfoRef};

use super::{
    Curve, KeyMaterial, PrivateKey, named_curve, unsupported_algorithm, unsupported_curve,
};
use crate::pbe::asn1::EncryptedPrivateKeyInfo;
use crate::pbe::{self, PbeError};
use crate::pki::error::{Error, Result};
use crate::pki::oid;
use crate::pki::pem::{self, Input};
use crate::secret::Password;

impl PrivateKey {
    /// Reads a key from PEM or DER in any supported format. `password` is used only when
    /// the key is encrypted; an encrypted key without one gives [`Error::PasswordNeeded`].
    /// In a PEM file with several blocks (an `ewallet.pem`), the first key block is used.
    pub fn from_pem_or_der(input: &[u8], password: Option<&Password>) -> Result<Self> {
        match pem::classify(input)? {
            Input::Pem(blocks) => {
                let Some(block) = blocks.iter().find(|b| is_key_label(&b.label)) else {
                    return Err(Error::WrongKind {
                        expected: "a private key",
                        found: pem::describe_label(&blocks[0].label),
                        hint: "",
                    });
                };
                if block.has_headers {
                    return Err(Error::UnsupportedKey(
                        "OpenSSL's legacy encrypted PEM (Proc-Type/DEK-Info headers); convert it with \
                         `openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW`"
                            .into(),
                    ));
                }
                match block.label.as_str() {
                    "PRIVATE KEY" => from_pkcs8(&block.der),
                    "ENCRYPTED PRIVATE KEY" => from_encrypted_pkcs8(&block.der, password),
                    "RSA PRIVATE KEY" => from_pkcs1(&block.der),
                    _ => from_sec1(&block.der),
                }
            }
            Input::Der(der) => {
                if PrivateKeyInfoRef::from_der(der).is_ok() {
                    from_pkcs8(der)
                } else if EncryptedPrivateKeyInfo::from_der(der).is_ok() {
                    from_encrypted_pkcs8(der, password)
                } else if pkcs1::RsaPrivateKeyRef::from_der(der).is_ok() {
                    from_pkcs1(der)
                } else if let Err(e) = sec1::EcPrivateKey::from_der(der) {
                    Err(pem::der_error("a private key", der, "", e))
                } else {
                    from_sec1(der)
                }
            }
        }
    }

    /// Whether `input` holds an encrypted private key (so the caller knows to ask for a
    /// password before calling [`from_pem_or_der`](Self::from_pem_or_der)).
    pub fn is_encrypted(input: &[u8]) -> bool {
        match pem::classify(input) {
            Ok(Input::Pem(blocks)) => blocks
                .iter()
                .find(|b| is_key_label(&b.label))
                .is_some_and(|b| b.label == "ENCRYPTED PRIVATE KEY"),
            Ok(Input::Der(der)) => {
                PrivateKeyInfoRef::from_der(der).is_err()
                    && EncryptedPrivateKeyInfo::from_der(der).is_ok()
            }
            Err(_) => false,
        }
    }
}

fn is_key_label(label: &str) -> bool {
    matches!(
        label,
        "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY"
    )
}

fn from_pkcs8(der: &[u8]) -> Result<PrivateKey> {
    let info = PrivateKeyInfoRef::from_der(der)
        .map_err(|e| pem::der_error("a PKCS#8 private key", der, "", e))?;
    let algorithm = info.algorithm.oid;
    let material = if algorithm == oid::RSA_ENCRYPTION {
        KeyMaterial::Rsa(rsa::PrivateKey::from_pkcs8_der(der).map_err(malformed)?)
    } else if algorithm == oid::EC_PUBLIC_KEY {
        let curve = named_curve(info.algorithm.parameters)?;
        match Curve::from_oid(&curve) {
            Some(Curve::P256) => {
                KeyMaterial::P256(p256::SecretKey::from_pkcs8_der(der).map_err(malformed)?)
            }
            Some(Curve::P384) => {
                KeyMaterial::P384(p384::SecretKey::from_pkcs8_der(der).map_err(malformed)?)
            }
            Some(Curve::P521) => {
                KeyMaterial::P521(p521::SecretKey::from_pkcs8_der(der).map_err(malformed)?)
            }
            None => return Err(unsupported_curve(&curve)),
        }
    } else {
        return Err(unsupported_algorithm(&algorithm));
    };
    Ok(PrivateKey { material })
}

fn from_encrypted_pkcs8(der: &[u8], password: Option<&Password>) -> Result<PrivateKey> {
    // The algorithm is read generically first: the `pkcs8` crate's own type only decodes
    // PBES1/PBES2 identifiers and would call a PKCS#12-PBE key "damaged".
    let generic = EncryptedPrivateKeyInfo::from_der(der)
        .map_err(|e| pem::der_error("an encrypted private key", der, "", e))?;
    if pbe::is_pkcs12_pbe(&generic.encryption_algorithm.oid) {
        let password = password.ok_or(Error::PasswordNeeded)?;
        return from_pkcs12_pbe(&generic, password);
    }
    let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).map_err(|e| {
        Error::UnsupportedKey(format!(
            "the key is encrypted with a scheme orakit does not read ({} with parameters it \
             cannot decode: {e}); re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`",
            scheme_name(&generic.encryption_algorithm.oid)
        ))
    })?;
    let password = password.ok_or(Error::PasswordNeeded)?;
    check_kdf_cost(&info.encryption_algorithm)?;
    let plain = info.decrypt(password.as_bytes()).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::NoPbes1CryptSupport) => {
            Error::UnsupportedKey(
                "the key is encrypted with an old PKCS#5 v1.5 scheme, which orakit cannot \
                 decrypt; re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`"
                    .into(),
            )
        }
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::UnsupportedAlgorithm { oid }) => {
            Error::UnsupportedKey(format!(
                "the key is encrypted with {oid}, which orakit cannot decrypt; re-encrypt it \
                     with `openssl pkcs8 -topk8 -v2 aes-256-cbc`"
            ))
        }
        _ => Error::WrongPassword,
    })?;
    // A wrong password passes the padding check about once in 256 tries; the DER then fails.
    from_pkcs8(plain.as_bytes()).map_err(|_| Error::WrongPassword)
}

fn scheme_name(algorithm: &der::asn1::ObjectIdentifier) -> String {
    if *algorithm == pbe::asn1::oid::PBES2 {
        "PBES2".into()
    } else {
        algorithm.to_string()
    }
}

/// Keys encrypted with a PKCS#12 PBE scheme: the same key derivation and ciphers as a
/// wallet's encrypted safe, with the same iteration limit.
fn from_pkcs12_pbe(info: &EncryptedPrivateKeyInfo, password: &Password) -> Result<PrivateKey> {
    let plain = pbe::decrypt(
        &info.encryption_algorithm,
        password.as_bytes(),
        info.encrypted_data.as_bytes(),
    )
    .map_err(|e| match e {
        PbeError::DecryptFailed => Error::WrongPassword,
        other => Error::UnsupportedKey(format!(
            "the key's PKCS#12 encryption cannot be used: {other}"
        )),
    })?;
    from_pkcs8(plain.as_slice()).map_err(|_| Error::WrongPassword)
}

/// The most PBKDF2 iterations an encrypted key may ask for: OpenSSL writes 2048, orakit
/// 100 000, the most careful tools a few million. The file states the count (up to
/// 2^32 - 1, hours of work), so it is checked before any work starts.
pub const MAX_PBKDF2_ITERATIONS: u32 = pbe::MAX_ITERATIONS as u32;

fn check_kdf_cost(scheme: &pkcs5::EncryptionScheme) -> Result<()> {
    if let pkcs5::EncryptionScheme::Pbes2(params) = scheme
        && let Some(kdf) = params.kdf.pbkdf2()
        && kdf.iteration_count > MAX_PBKDF2_ITERATIONS
    {
        return Err(Error::UnsupportedKey(format!(
            "the key's encryption asks for {} PBKDF2 iterations, beyond the limit of \
             {MAX_PBKDF2_ITERATIONS}: the file is damaged or hostile",
            kdf.iteration_count
        )));
    }
    Ok(())
}

fn from_pkcs1(der: &[u8]) -> Result<PrivateKey> {
    use pkcs1::DecodeRsaPrivateKey;
    let key = rsa::PrivateKey::from_pkcs1_der(der).map_err(|e| match e {
        pkcs1::Error::Version => {
            Error::UnsupportedKey("multi-prime RSA keys are not supported".into())
        }
        other => malformed(other),
    })?;
    Ok(PrivateKey {
        material: KeyMaterial::Rsa(key),
    })
}

fn from_sec1(der: &[u8]) -> Result<PrivateKey> {
    let parsed = sec1::EcPrivateKey::from_der(der)
        .map_err(|e| pem::der_error("an EC private key", der, "", e))?;
    let curve = parsed
        .parameters
        .and_then(|p| p.named_curve())
        .ok_or_else(|| {
            Error::UnsupportedKey(
                "an EC private key without its curve; convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt`"
                    .into(),
            )
        })?;
    let material = match Curve::from_oid(&curve) {
        Some(Curve::P256) => {
            KeyMaterial::P256(p256::SecretKey::from_sec1_der(der).map_err(malformed)?)
        }
        Some(Curve::P384) => {
            KeyMaterial::P384(p384::SecretKey::from_sec1_der(der).map_err(malformed)?)
        }
        Some(Curve::P521) => {
            KeyMaterial::P521(p521::SecretKey::from_sec1_der(der).map_err(malformed)?)
        }
        None => return Err(unsupported_curve(&curve)),
    };
    Ok(PrivateKey { material })
}

fn malformed(e: impl fmt::Display) -> Error {
    Error::Unreadable(format!("the private key is damaged or inconsistent ({e})"))
}
