//! One signing abstraction over the key types orakit holds, and signature verification.
//!
//! [`KeySigner`] implements the `signature`/`spki` traits the x509-cert builders need
//! (`Signer`, `Keypair`, `DynSignatureAlgorithmIdentifier`), so certificates and CSRs are
//! built the same way whatever the key. Algorithms: RSA keys sign with PKCS#1 v1.5 and
//! SHA-256; ECDSA keys with the hash that matches the curve (P-256/SHA-256,
//! P-384/SHA-384, P-521/SHA-512), as RFC 5480 recommends and OpenSSL does.

use der::asn1::{Any, BitString};
use der::{Document, Encode};
use signature::hazmat::PrehashVerifier;
use signature::{Keypair, RandomizedSigner};
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey,
    SignatureBitStringEncoding, SubjectPublicKeyInfoOwned,
};

use super::error::{Error, Result};
use super::key::{Curve, KeyMaterial, PrivateKey};
use super::oid;

/// A signature as the bytes that go into a BIT STRING.
#[derive(Debug, Clone)]
pub struct SignatureBytes(pub Vec<u8>);

impl SignatureBitStringEncoding for SignatureBytes {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.0)
    }
}

/// A public key as its `SubjectPublicKeyInfo`, for the builders' `Keypair` bound.
#[derive(Debug, Clone)]
pub struct PublicKeyInfo(pub SubjectPublicKeyInfoOwned);

impl EncodePublicKey for PublicKeyInfo {
    fn to_public_key_der(&self) -> spki::Result<Document> {
        Ok(Document::encode_msg(&self.0)?)
    }
}

/// Signs with a [`PrivateKey`] using the algorithm that fits it.
pub struct KeySigner<'k> {
    key: &'k PrivateKey,
    public: PublicKeyInfo,
    /// The hash asked for; `None` is the key's default (see the module documentation).
    digest: Option<SignatureDigest>,
}

/// A hash to sign with other than the key's default (orapki `-sign_alg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureDigest {
    Sha256,
    Sha384,
    Sha512,
}

impl SignatureDigest {
    fn hash(self) -> Hash {
        match self {
            Self::Sha256 => Hash::Sha256,
            Self::Sha384 => Hash::Sha384,
            Self::Sha512 => Hash::Sha512,
        }
    }
}

impl PrivateKey {
    /// A signer usable with `x509_cert` builders. Refuses RSA keys below 2048 bits.
    pub fn signer(&self) -> Result<KeySigner<'_>> {
        self.check_signing_strength()?;
        Ok(KeySigner {
            key: self,
            public: PublicKeyInfo(self.public_key_info()?),
            digest: None,
        })
    }

    /// Like [`signer`](Self::signer), signing with `digest` instead of the default hash.
    pub fn signer_with(&self, digest: SignatureDigest) -> Result<KeySigner<'_>> {
        let mut signer = self.signer()?;
        signer.digest = Some(digest);
        Ok(signer)
    }
}

impl KeySigner<'_> {
    /// The `AlgorithmIdentifier` of the signatures this signer makes.
    pub fn algorithm(&self) -> AlgorithmIdentifierOwned {
        if let Some(digest) = self.digest {
            return match (&self.key.material, digest) {
                (KeyMaterial::Rsa(_), d) => AlgorithmIdentifierOwned {
                    oid: match d {
                        SignatureDigest::Sha256 => oid::SHA256_WITH_RSA,
                        SignatureDigest::Sha384 => oid::SHA384_WITH_RSA,
                        SignatureDigest::Sha512 => oid::SHA512_WITH_RSA,
                    },
                    parameters: Some(Any::null()),
                },
                (_, SignatureDigest::Sha256) => ecdsa_algorithm(oid::ECDSA_WITH_SHA256),
                (_, SignatureDigest::Sha384) => ecdsa_algorithm(oid::ECDSA_WITH_SHA384),
                (_, SignatureDigest::Sha512) => ecdsa_algorithm(oid::ECDSA_WITH_SHA512),
            };
        }
        match &self.key.material {
            KeyMaterial::Rsa(_) => AlgorithmIdentifierOwned {
                oid: oid::SHA256_WITH_RSA,
                // RFC 4055: the parameters of the PKCS#1 v1.5 algorithms are an explicit NULL.
                parameters: Some(Any::null()),
            },
            KeyMaterial::P256(_) => ecdsa_algorithm(oid::ECDSA_WITH_SHA256),
            KeyMaterial::P384(_) => ecdsa_algorithm(oid::ECDSA_WITH_SHA384),
            KeyMaterial::P521(_) => ecdsa_algorithm(oid::ECDSA_WITH_SHA512),
        }
    }

    /// Signs `message`, returning the signature bytes (DER `ECDSA-Sig-Value` for EC).
    pub fn sign_bytes(&self, message: &[u8]) -> Result<Vec<u8>> {
        let failed = |e: signature::Error| Error::internal("signing", e);
        if let Some(digest) = self.digest {
            return self.sign_with_digest(digest, message);
        }
        match &self.key.material {
            KeyMaterial::Rsa(k) => {
                // The randomized path blinds the RSA operation against timing attacks.
                let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone());
                let sig = signer
                    .try_sign_with_rng(&mut getrandom::SysRng, message)
                    .map_err(failed)?;
                Ok(signature::SignatureEncoding::to_vec(&sig))
            }
            KeyMaterial::P256(k) => {
                let signer = p256::ecdsa::SigningKey::from(k);
                let sig: p256::ecdsa::Signature =
                    signature::Signer::try_sign(&signer, message).map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            KeyMaterial::P384(k) => {
                let signer = p384::ecdsa::SigningKey::from(k);
                let sig: p384::ecdsa::Signature =
                    signature::Signer::try_sign(&signer, message).map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            KeyMaterial::P521(k) => {
                let signer = p521::ecdsa::SigningKey::from(k);
                let sig: p521::ecdsa::Signature =
                    signature::Signer::try_sign(&signer, message).map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

impl KeySigner<'_> {
    /// Signs with a chosen hash: RSA PKCS#1 v1.5, or ECDSA over the prehashed message.
    fn sign_with_digest(&self, digest: SignatureDigest, message: &[u8]) -> Result<Vec<u8>> {
        use signature::hazmat::PrehashSigner;
        let failed = |e: signature::Error| Error::internal("signing", e);
        let hashed = digest.hash().digest(message);
        let mut rng = getrandom::SysRng;
        match &self.key.material {
            KeyMaterial::Rsa(k) => {
                let sig = match digest {
                    SignatureDigest::Sha256 => {
                        rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone())
                            .try_sign_with_rng(&mut rng, message)
                    }
                    SignatureDigest::Sha384 => {
                        rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(k.clone())
                            .try_sign_with_rng(&mut rng, message)
                    }
                    SignatureDigest::Sha512 => {
                        rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(k.clone())
                            .try_sign_with_rng(&mut rng, message)
                    }
                }
                .map_err(failed)?;
                Ok(signature::SignatureEncoding::to_vec(&sig))
            }
            KeyMaterial::P256(k) => {
                let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(k)
                    .sign_prehash(&hashed)
                    .map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            KeyMaterial::P384(k) => {
                let sig: p384::ecdsa::Signature = p384::ecdsa::SigningKey::from(k)
                    .sign_prehash(&hashed)
                    .map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            KeyMaterial::P521(k) => {
                let sig: p521::ecdsa::Signature = p521::ecdsa::SigningKey::from(k)
                    .sign_prehash(&hashed)
                    .map_err(failed)?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

fn ecdsa_algorithm(algorithm: der::asn1::ObjectIdentifier) -> AlgorithmIdentifierOwned {
    // RFC 5758: the ecdsa-with-SHA* identifiers have absent parameters.
    AlgorithmIdentifierOwned {
        oid: algorithm,
        parameters: None,
    }
}

impl signature::Signer<SignatureBytes> for KeySigner<'_> {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<SignatureBytes, signature::Error> {
        self.sign_bytes(message)
            .map(SignatureBytes)
            .map_err(signature::Error::from_source)
    }
}

impl Keypair for KeySigner<'_> {
    type VerifyingKey = PublicKeyInfo;

    fn verifying_key(&self) -> PublicKeyInfo {
        self.public.clone()
    }
}

impl DynSignatureAlgorithmIdentifier for KeySigner<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.algorithm())
    }
}

/// Which hash a signature algorithm uses.
#[derive(Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn digest(self, message: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Self::Sha256 => sha2::Sha256::digest(message).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(message).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }
}

/// Verifies `signature` over `message` with the public key `spki`, for the algorithms
/// orakit accepts: RSA PKCS#1 v1.5 with SHA-256/384/512 and ECDSA (P-256, P-384, P-521)
/// with SHA-256/384/512 in any combination. SHA-1, MD5 and RSA-PSS are refused.
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let bad = || Error::CsrSignatureInvalid;
    let alg = algorithm.oid;
    let rsa_hash = [
        (oid::SHA256_WITH_RSA, Hash::Sha256),
        (oid::SHA384_WITH_RSA, Hash::Sha384),
        (oid::SHA512_WITH_RSA, Hash::Sha512),
    ];
    let ecdsa_hash = [
        (oid::ECDSA_WITH_SHA256, Hash::Sha256),
        (oid::ECDSA_WITH_SHA384, Hash::Sha384),
        (oid::ECDSA_WITH_SHA512, Hash::Sha512),
    ];
    if let Some((_, hash)) = rsa_hash.iter().find(|(o, _)| *o == alg) {
        require_key(spki, oid::RSA_ENCRYPTION, alg)?;
        let der = spki.to_der().map_err(|e| Error::internal("encoding", e))?;
        let key = <rsa::PublicKey as pkcs8::DecodePublicKey>::from_public_key_der(&der)
            .map_err(|e| Error::Unreadable(format!("the RSA public key is damaged ({e})")))?;
        let sig = rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| bad())?;
        let digest = hash.digest(message);
        let ok =
            match hash {
                Hash::Sha256 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                    .verify_prehash(&digest, &sig),
                Hash::Sha384 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key)
                    .verify_prehash(&digest, &sig),
                Hash::Sha512 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key)
                    .verify_prehash(&digest, &sig),
            };
        return ok.map_err(|_| bad());
    }
    if let Some((_, hash)) = ecdsa_hash.iter().find(|(o, _)| *o == alg) {
        require_key(spki, oid::EC_PUBLIC_KEY, alg)?;
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .ok_or(())
            .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().map_err(|_| ()))
            .ok()
            .and_then(|c| Curve::from_oid(&c))
            .ok_or_else(|| {
                Error::UnsupportedKey("an EC key on a curve other than P-256/384/521".into())
            })?;
        let point = spki.subject_public_key.raw_bytes();
        let digest = hash.digest(message);
        let ok = match curve {
            Curve::P256 => verify_p256(point, signature, &digest),
            Curve::P384 => verify_p384(point, signature, &digest),
            Curve::P521 => verify_p521(point, signature, &digest),
        };
        return if ok { Ok(()) } else { Err(bad()) };
    }
    let why = if alg == oid::RSASSA_PSS {
        "RSASSA-PSS is not supported; sign the request with PKCS#1 v1.5 (OpenSSL's default)"
    } else if [oid::SHA1_WITH_RSA, oid::MD5_WITH_RSA, oid::ECDSA_WITH_SHA1].contains(&alg) {
        "SHA-1 and MD5 signatures are refused; sign the request with SHA-256"
    } else {
        "orakit verifies RSA PKCS#1 v1.5 and ECDSA signatures with SHA-256/384/512"
    };
    Err(Error::UnsupportedSignature(format!(
        "{}: {why}",
        oid::name(&alg)
    )))
}

fn require_key(
    spki: &SubjectPublicKeyInfoOwned,
    expected: der::asn1::ObjectIdentifier,
    alg: der::asn1::ObjectIdentifier,
) -> Result<()> {
    if spki.algorithm.oid == expected {
        Ok(())
    } else {
        Err(Error::UnsupportedSignature(format!(
            "{} signature with {} key",
            oid::name(&alg),
            crate::text::with_article(&oid::name(&spki.algorithm.oid))
        )))
    }
}

/// ECDSA verification over a precomputed digest, one function per curve crate.
macro_rules! verify_ecdsa_with {
    ($name:ident, $curve:ident) => {
        fn $name(point: &[u8], signature: &[u8], digest: &[u8]) -> bool {
            let Ok(key) = $curve::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return false;
            };
            let Ok(sig) = $curve::ecdsa::DerSignature::from_bytes(signature) else {
                return false;
            };
            let Ok(sig) = $curve::ecdsa::Signature::try_from(sig) else {
                return false;
            };
            key.verify_prehash(digest, &sig).is_ok()
        }
    };
}

verify_ecdsa_with!(verify_p256, p256);
verify_ecdsa_with!(verify_p384, p384);
verify_ecdsa_with!(verify_p521, p521);
