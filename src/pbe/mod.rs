//! Password-based encryption, below both the wallet (encrypted safes, shrouded keys)
//! and pki (encrypted PKCS#8 key files).
//!
//! - PKCS#12 PBE (RFC 7292 App. B/C): 3DES (read and write), 2-key 3DES and RC2-128/40
//!   (read only). Key and IV come from the PKCS#12 KDF over the BMP password.
//! - PBES2 (RFC 8018): PBKDF2 with HMAC-SHA1/224/256/384/512 and AES-128/192/256-CBC
//!   (or 3DES-CBC), through the `pkcs5` crate, over the raw password bytes.
//! - [`mac`] (in `pkcs12_mac.rs`): the PKCS#12 integrity MAC, HMAC with a key from the same KDF.
//! - [`asn1`]: the parameter structures and OIDs.
//!
//! Every iteration count is checked against [`MAX_ITERATIONS`] before any work starts,
//! so a hostile file cannot make a reader spin for hours.

use cbc::cipher::{
    BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyIvInit, block_padding::Pkcs7,
};
use der::{Decode, Encode};
use pkcs12::kdf::{Pkcs12KeyType, derive_key};
use serde::Serialize;
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

pub mod asn1;
mod pkcs12_mac;

use asn1::{PbeParams, oid};
pub use pkcs12_mac::{MacDigest, mac, mac_matches};

/// The highest iteration count a reader accepts (real wallets use 1024 to 100000).
pub const MAX_ITERATIONS: u64 = 10_000_000;

#[derive(Debug, thiserror::Error)]
pub enum PbeError {
    #[error("unsupported encryption algorithm {0}")]
    UnsupportedAlgorithm(String),
    #[error("unsupported MAC digest {0}")]
    UnsupportedDigest(String),
    #[error(
        "iteration count {0} is beyond the limit of {MAX_ITERATIONS}: the file is damaged or hostile"
    )]
    TooManyIterations(u64),
    #[error("iteration count 0 is invalid")]
    ZeroIterations,
    #[error("malformed encryption parameters: {0}")]
    BadParameters(String),
    #[error("decryption failed: wrong password or damaged data")]
    DecryptFailed,
    #[error("encryption failed: {0}")]
    EncryptFailed(String),
}

/// PBKDF2 pseudo-random function of a PBES2 wallet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prf {
    HmacSha1,
    HmacSha224,
    HmacSha256,
    HmacSha384,
    HmacSha512,
}

/// Block cipher of a PBES2 wallet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pbes2Cipher {
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
    DesEde3Cbc,
}

/// How a safe (or a shrouded key) is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "scheme")]
pub enum Algorithm {
    /// pbeWithSHAAnd3-KeyTripleDES-CBC: what Oracle wrote until 19.22.
    Pbe3Des,
    /// pbeWithSHAAnd2-KeyTripleDES-CBC (read only).
    Pbe2Des,
    /// pbeWithSHAAnd128BitRC2-CBC (read only).
    PbeRc2_128,
    /// pbeWithSHAAnd40BitRC2-CBC (read only; OpenSSL's legacy certificate safe).
    PbeRc2_40,
    /// PBES2 with PBKDF2; `key_length_present` records whether the optional keyLength
    /// field was written (orapki 23ai writes it).
    Pbes2 {
        prf: Prf,
        cipher: Pbes2Cipher,
        key_length_present: bool,
    },
}

impl Algorithm {
    /// The name tools such as OpenSSL print for it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Pbe3Des => "pbeWithSHAAnd3-KeyTripleDES-CBC",
            Self::Pbe2Des => "pbeWithSHAAnd2-KeyTripleDES-CBC",
            Self::PbeRc2_128 => "pbeWithSHAAnd128BitRC2-CBC",
            Self::PbeRc2_40 => "pbeWithSHAAnd40BitRC2-CBC",
            Self::Pbes2 { .. } => "PBES2",
        }
    }

    /// Whether orakit can write this algorithm (the rest are read only).
    pub fn is_writable(&self) -> bool {
        matches!(self, Self::Pbe3Des | Self::Pbes2 { .. })
    }
}

/// The parameters of one encryption as read from (or to be written into) a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EncryptionParams {
    pub algorithm: Algorithm,
    pub salt_length: usize,
    pub iterations: u64,
}

/// The PKCS#12 KDF input: the password as a BMPString with a two-byte terminator.
/// UTF-8 text maps char by char; other bytes (never seen in practice) map one to one.
pub fn bmp_password(password: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    match std::str::from_utf8(password) {
        Ok(text) => {
            for unit in text.encode_utf16() {
                out.extend_from_slice(&unit.to_be_bytes());
            }
        }
        Err(_) => {
            for &b in password {
                out.extend_from_slice(&[0, b]);
            }
        }
    }
    out.extend_from_slice(&[0, 0]);
    out
}

pub(crate) fn check_iterations(iterations: u64) -> Result<i32, PbeError> {
    if iterations == 0 {
        return Err(PbeError::ZeroIterations);
    }
    if iterations > MAX_ITERATIONS {
        return Err(PbeError::TooManyIterations(iterations));
    }
    Ok(iterations as i32)
}

fn kdf_sha1(
    password: &[u8],
    salt: &[u8],
    id: Pkcs12KeyType,
    rounds: i32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(derive_key::<sha1::Sha1>(
        &bmp_password(password),
        salt,
        id,
        rounds,
        len,
    ))
}

/// Reads the algorithm identifier of an encrypted safe or shrouded key.
pub fn describe(alg: &AlgorithmIdentifierOwned) -> Result<EncryptionParams, PbeError> {
    if alg.oid == oid::PBES2 {
        let scheme = pbes2_scheme(alg)?;
        let params = scheme
            .pbes2()
            .ok_or_else(|| PbeError::BadParameters("PBES2".into()))?;
        let pbkdf2 = params.kdf.pbkdf2().ok_or_else(|| {
            PbeError::UnsupportedAlgorithm("PBES2 with a KDF other than PBKDF2".into())
        })?;
        use pkcs5::pbes2::{EncryptionScheme as E, Pbkdf2Prf as P};
        let prf = match pbkdf2.prf {
            P::HmacWithSha1 => Prf::HmacSha1,
            P::HmacWithSha224 => Prf::HmacSha224,
            P::HmacWithSha256 => Prf::HmacSha256,
            P::HmacWithSha384 => Prf::HmacSha384,
            P::HmacWithSha512 => Prf::HmacSha512,
            _ => return Err(PbeError::UnsupportedAlgorithm("PBKDF2 PRF".into())),
        };
        let cipher = match params.encryption {
            E::Aes128Cbc { .. } => Pbes2Cipher::Aes128Cbc,
            E::Aes192Cbc { .. } => Pbes2Cipher::Aes192Cbc,
            E::Aes256Cbc { .. } => Pbes2Cipher::Aes256Cbc,
            E::DesEde3Cbc { .. } => Pbes2Cipher::DesEde3Cbc,
            other => {
                return Err(PbeError::UnsupportedAlgorithm(format!(
                    "PBES2 cipher {}",
                    other.oid()
                )));
            }
        };
        let iterations = u64::from(pbkdf2.iteration_count);
        return Ok(EncryptionParams {
            algorithm: Algorithm::Pbes2 {
                prf,
                cipher,
                key_length_present: pbkdf2.key_length.is_some(),
            },
            salt_length: pbkdf2.salt.as_ref().len(),
            iterations,
        });
    }
    let algorithm = match alg.oid {
        oid::PBE_SHA1_3DES => Algorithm::Pbe3Des,
        oid::PBE_SHA1_2DES => Algorithm::Pbe2Des,
        oid::PBE_SHA1_RC2_128 => Algorithm::PbeRc2_128,
        oid::PBE_SHA1_RC2_40 => Algorithm::PbeRc2_40,
        other => return Err(PbeError::UnsupportedAlgorithm(other.to_string())),
    };
    let params = pbe_params(alg)?;
    Ok(EncryptionParams {
        algorithm,
        salt_length: params.salt.as_bytes().len(),
        iterations: params.iterations,
    })
}

/// Whether `algorithm` is one of the PKCS#12 PBE schemes, 1.2.840.113549.1.12.1.x
/// (RFC 7292 appendix C), which [`decrypt`] reads besides PBES2.
pub fn is_pkcs12_pbe(algorithm: &der::asn1::ObjectIdentifier) -> bool {
    [
        oid::PBE_SHA1_3DES,
        oid::PBE_SHA1_2DES,
        oid::PBE_SHA1_RC2_128,
        oid::PBE_SHA1_RC2_40,
    ]
    .contains(algorithm)
}

fn pbe_params(alg: &AlgorithmIdentifierOwned) -> Result<PbeParams, PbeError> {
    let any = alg
        .parameters
        .as_ref()
        .ok_or_else(|| PbeError::BadParameters("missing PBE parameters".into()))?;
    let der = any
        .to_der()
        .map_err(|e| PbeError::BadParameters(e.to_string()))?;
    PbeParams::from_der(&der).map_err(|e| PbeError::BadParameters(e.to_string()))
}

fn pbes2_scheme(alg: &AlgorithmIdentifierOwned) -> Result<pkcs5::EncryptionScheme, PbeError> {
    let der = alg
        .to_der()
        .map_err(|e| PbeError::BadParameters(e.to_string()))?;
    pkcs5::EncryptionScheme::from_der(&der).map_err(|e| PbeError::BadParameters(e.to_string()))
}

/// Decrypts `data` encrypted under `alg` with `password`.
pub fn decrypt(
    alg: &AlgorithmIdentifierOwned,
    password: &[u8],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, PbeError> {
    let info = describe(alg)?;
    let rounds = check_iterations(info.iterations)?;
    if let Algorithm::Pbes2 { .. } = info.algorithm {
        let scheme = pbes2_scheme(alg)?;
        return scheme
            .decrypt(password, data)
            .map(Zeroizing::new)
            .map_err(|_| PbeError::DecryptFailed);
    }
    let params = pbe_params(alg)?;
    let salt = params.salt.as_bytes();
    let iv = kdf_sha1(password, salt, Pkcs12KeyType::Iv, rounds, 8);
    let plain = match info.algorithm {
        Algorithm::Pbe3Des => {
            let key = kdf_sha1(password, salt, Pkcs12KeyType::EncryptionKey, rounds, 24);
            cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .map_err(|_| PbeError::DecryptFailed)?
                .decrypt_padded_vec::<Pkcs7>(data)
        }
        Algorithm::Pbe2Des => {
            let key = kdf_sha1(password, salt, Pkcs12KeyType::EncryptionKey, rounds, 16);
            cbc::Decryptor::<des::TdesEde2>::new_from_slices(&key, &iv)
                .map_err(|_| PbeError::DecryptFailed)?
                .decrypt_padded_vec::<Pkcs7>(data)
        }
        Algorithm::PbeRc2_128 | Algorithm::PbeRc2_40 => {
            let bytes = if info.algorithm == Algorithm::PbeRc2_128 {
                16
            } else {
                5
            };
            let key = kdf_sha1(password, salt, Pkcs12KeyType::EncryptionKey, rounds, bytes);
            let cipher = rc2::Rc2::new_with_eff_key_len(&key, bytes * 8);
            let iv_arr = cbc::cipher::Iv::<cbc::Decryptor<rc2::Rc2>>::try_from(&iv[..])
                .map_err(|_| PbeError::DecryptFailed)?;
            cbc::Decryptor::<rc2::Rc2>::inner_iv_init(cipher, &iv_arr)
                .decrypt_padded_vec::<Pkcs7>(data)
        }
        Algorithm::Pbes2 { .. } => unreachable!("handled above"),
    };
    plain
        .map(Zeroizing::new)
        .map_err(|_| PbeError::DecryptFailed)
}

/// Encrypts `data` with a fresh random salt (and IV) under the given parameters.
/// Returns the algorithm identifier to store and the ciphertext.
pub fn encrypt(
    params: &EncryptionParams,
    password: &[u8],
    data: &[u8],
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), PbeError> {
    let rounds = check_iterations(params.iterations)?;
    let salt = crate::random::bytes(params.salt_length);
    match params.algorithm {
        Algorithm::Pbe3Des => {
            let key = kdf_sha1(password, &salt, Pkcs12KeyType::EncryptionKey, rounds, 24);
            let iv = kdf_sha1(password, &salt, Pkcs12KeyType::Iv, rounds, 8);
            let out = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .map_err(|e| PbeError::EncryptFailed(e.to_string()))?
                .encrypt_padded_vec::<Pkcs7>(data);
            let p = PbeParams {
                salt: der::asn1::OctetString::new(salt)
                    .map_err(|e| PbeError::EncryptFailed(e.to_string()))?,
                iterations: params.iterations,
            };
            let any =
                der::Any::encode_from(&p).map_err(|e| PbeError::EncryptFailed(e.to_string()))?;
            Ok((
                AlgorithmIdentifierOwned {
                    oid: oid::PBE_SHA1_3DES,
                    parameters: Some(any),
                },
                out,
            ))
        }
        Algorithm::Pbes2 {
            prf,
            cipher,
            key_length_present,
        } => {
            use pkcs5::pbes2::{EncryptionScheme as E, Kdf, Pbkdf2Params, Pbkdf2Prf as P, Salt};
            let mut iv = [0u8; 16];
            iv.copy_from_slice(&crate::random::bytes(16));
            let mut iv8 = [0u8; 8];
            iv8.copy_from_slice(&iv[..8]);
            let encryption = match cipher {
                Pbes2Cipher::Aes128Cbc => E::Aes128Cbc { iv },
                Pbes2Cipher::Aes192Cbc => E::Aes192Cbc { iv },
                Pbes2Cipher::Aes256Cbc => E::Aes256Cbc { iv },
                Pbes2Cipher::DesEde3Cbc => E::DesEde3Cbc { iv: iv8 },
            };
            let prf = match prf {
                Prf::HmacSha1 => P::HmacWithSha1,
                Prf::HmacSha224 => P::HmacWithSha224,
                Prf::HmacSha256 => P::HmacWithSha256,
                Prf::HmacSha384 => P::HmacWithSha384,
                Prf::HmacSha512 => P::HmacWithSha512,
            };
            let key_length = key_length_present.then(|| encryption.key_size() as u16);
            let kdf = Pbkdf2Params {
                salt: Salt::new(&salt).map_err(|e| PbeError::EncryptFailed(e.to_string()))?,
                iteration_count: params.iterations as u32,
                key_length,
                prf,
            };
            let scheme = pkcs5::EncryptionScheme::Pbes2(pkcs5::pbes2::Parameters {
                kdf: Kdf::Pbkdf2(kdf),
                encryption,
            });
            let out = scheme
                .encrypt(password, data)
                .map_err(|e| PbeError::EncryptFailed(e.to_string()))?;
            let der = scheme
                .to_der()
                .map_err(|e| PbeError::EncryptFailed(e.to_string()))?;
            let alg = AlgorithmIdentifierOwned::from_der(&der)
                .map_err(|e| PbeError::EncryptFailed(e.to_string()))?;
            Ok((alg, out))
        }
        other => Err(PbeError::UnsupportedAlgorithm(format!(
            "{} cannot be written",
            other.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bmp_password_has_a_terminator() {
        assert_eq!(&bmp_password(b"ab")[..], &[0, b'a', 0, b'b', 0, 0]);
    }

    #[test]
    fn three_des_and_aes_round_trip() {
        for algorithm in [
            Algorithm::Pbe3Des,
            Algorithm::Pbes2 {
                prf: Prf::HmacSha256,
                cipher: Pbes2Cipher::Aes256Cbc,
                key_length_present: true,
            },
            Algorithm::Pbes2 {
                prf: Prf::HmacSha1,
                cipher: Pbes2Cipher::Aes128Cbc,
                key_length_present: false,
            },
            Algorithm::Pbes2 {
                prf: Prf::HmacSha512,
                cipher: Pbes2Cipher::DesEde3Cbc,
                key_length_present: true,
            },
        ] {
            let params = EncryptionParams {
                algorithm,
                salt_length: 8,
                iterations: 10,
            };
            let (alg, ct) = encrypt(&params, b"pw", b"hello wallet").unwrap();
            assert_eq!(describe(&alg).unwrap(), params);
            assert_eq!(&decrypt(&alg, b"pw", &ct).unwrap()[..], b"hello wallet");
            assert!(
                decrypt(&alg, b"other", &ct)
                    .map(|p| p.to_vec() != b"hello wallet")
                    .unwrap_or(true)
            );
        }
    }

    #[test]
    fn absurd_iteration_counts_are_refused_before_any_work() {
        let params = EncryptionParams {
            algorithm: Algorithm::Pbe3Des,
            salt_length: 8,
            iterations: u64::from(u32::MAX),
        };
        assert!(matches!(
            encrypt(&params, b"pw", b"x"),
            Err(PbeError::TooManyIterations(_))
        ));
    }
}
