//! Java key stores: Sun's JKS (magic `FEEDFEED`) read and written, JCEKS (`CECECECE`) read.
//!
//! Layout (big-endian): magic u32, version u32 (2), entry count u32, the entries, then a
//! SHA-1 over `password (UTF-16BE) || "Mighty Aphrodite" || everything before it`.
//! An entry is a tag u32 (1 private key, 2 trusted certificate, 3 JCEKS secret key),
//! an alias and a creation time (ms since 1970, u64); a private key then holds an
//! EncryptedPrivateKeyInfo DER and its certificate chain, a trusted certificate one
//! certificate. Strings are Java's `writeUTF` (u16 length + modified UTF-8), certificates
//! a type string (`X.509`) and u32 length + DER.
//!
//! Key protection: JKS uses Sun's `KeyProtector` (OID 1.3.6.1.4.1.42.2.17.1.1): 20-byte
//! salt, key stream `SHA-1(pw || salt)`, `SHA-1(pw || previous)`..., XOR, then a check
//! digest `SHA-1(pw || plaintext)`; pw as UTF-16BE. JCEKS uses PBEWithMD5AndTripleDES
//! (OID 1.3.6.1.4.1.42.2.19.1; 8-byte salt and an iteration count).

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

const JKS_MAGIC: u32 = 0xFEED_FEED;
const JCEKS_MAGIC: u32 = 0xCECE_CECE;
const WHITENER: &[u8] = b"Mighty Aphrodite";
const SUN_KEY_PROTECTOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.42.2.17.1.1");
const PBE_MD5_TRIPLE_DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.42.2.19.1");

#[derive(Debug, thiserror::Error)]
pub enum JksError {
    #[error(
        "not a Java key store (JKS or JCEKS): the file does not start with FEEDFEED or CECECECE"
    )]
    NotAKeyStore,
    #[error(
        "the key store password is wrong, or the file was changed (its SHA-1 integrity check fails)"
    )]
    WrongPassword,
    #[error("the key store is cut short or malformed: {0}")]
    Malformed(String),
    #[error(
        "the private key {0:?} cannot be decrypted with the key store password (keytool -keypass differs from -storepass?)"
    )]
    KeyPassword(String),
    #[error("the private key {0:?} is protected with an unsupported algorithm {1}")]
    UnsupportedProtection(String, String),
}

/// JKS or JCEKS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum StoreKind {
    Jks,
    Jceks,
}

/// One entry of a key store.
pub enum JksEntry {
    /// A private key (PKCS#8 DER, decrypted) with its chain, leaf first.
    PrivateKey {
        alias: String,
        created_ms: u64,
        pkcs8: Zeroizing<Vec<u8>>,
        chain: Vec<Vec<u8>>,
    },
    TrustedCert {
        alias: String,
        created_ms: u64,
        der: Vec<u8>,
    },
    /// A JCEKS secret key (a serialized Java object orakit does not open).
    SecretKey { alias: String },
}

impl JksEntry {
    pub fn alias(&self) -> &str {
        match self {
            Self::PrivateKey { alias, .. }
            | Self::TrustedCert { alias, .. }
            | Self::SecretKey { alias } => alias,
        }
    }
}

pub struct KeyStore {
    pub kind: StoreKind,
    pub entries: Vec<JksEntry>,
}

/// Whether `bytes` start like a JKS or JCEKS file.
pub fn is_key_store(bytes: &[u8]) -> bool {
    bytes.len() >= 4
        && matches!(
            u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
            JKS_MAGIC | JCEKS_MAGIC
        )
}

fn utf16be(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(password.encode_utf16().flat_map(u16::to_be_bytes).collect())
}

fn integrity(password: &str, data: &[u8]) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(utf16be(password).as_slice());
    h.update(WHITENER);
    h.update(data);
    h.finalize().into()
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], JksError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let end =
            end.ok_or_else(|| JksError::Malformed(format!("{n} bytes missing at {}", self.at)))?;
        let out = &self.data[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u16(&mut self) -> Result<u16, JksError> {
        Ok(u16::from_be_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, JksError> {
        Ok(u32::from_be_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> Result<u64, JksError> {
        Ok(u64::from_be_bytes(self.take(8)?.try_into().unwrap()))
    }
    /// Java's `readUTF` (modified UTF-8; aliases are plain text in practice).
    fn utf(&mut self) -> Result<String, JksError> {
        let n = self.u16()? as usize;
        let bytes = self.take(n)?;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }
    fn blob(&mut self) -> Result<&'a [u8], JksError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn cert(&mut self) -> Result<Vec<u8>, JksError> {
        let kind = self.utf()?;
        if kind != "X.509" {
            return Err(JksError::Malformed(format!("certificate type {kind:?}")));
        }
        Ok(self.blob()?.to_vec())
    }
}

/// EncryptedPrivateKeyInfo with the algorithm's parameters kept as raw DER.
#[derive(Sequence)]
struct EncryptedKey {
    algorithm: spki::AlgorithmIdentifierOwned,
    data: OctetString,
}

/// JCEKS's `PBEParameter ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`.
#[derive(Sequence)]
struct PbeParameter {
    salt: OctetString,
    iterations: u32,
}

/// Opens a JKS or JCEKS file with its store password (keys protected with the same one).
pub fn read(bytes: &[u8], password: &str) -> Result<KeyStore, JksError> {
    if !is_key_store(bytes) || bytes.len() < 32 {
        return Err(JksError::NotAKeyStore);
    }
    let (body, digest) = bytes.split_at(bytes.len() - 20);
    if integrity(password, body) != digest {
        return Err(JksError::WrongPassword);
    }
    let mut r = Reader { data: body, at: 0 };
    let kind = match r.u32()? {
        JKS_MAGIC => StoreKind::Jks,
        _ => StoreKind::Jceks,
    };
    let version = r.u32()?;
    if version != 2 {
        return Err(JksError::Malformed(format!("version {version}")));
    }
    let count = r.u32()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let tag = r.u32()?;
        let alias = r.utf()?;
        let created_ms = r.u64()?;
        match tag {
            1 => {
                let protected = r.blob()?;
                let n = r.u32()?;
                let chain = (0..n).map(|_| r.cert()).collect::<Result<Vec<_>, _>>()?;
                let pkcs8 = unprotect(protected, password, &alias)?;
                entries.push(JksEntry::PrivateKey {
                    alias,
                    created_ms,
                    pkcs8,
                    chain,
                });
            }
            2 => entries.push(JksEntry::TrustedCert {
                alias,
                created_ms,
                der: r.cert()?,
            }),
            3 if kind == StoreKind::Jceks => {
                // A serialized javax.crypto.SealedObject: no length prefix, so nothing after
                // it can be read.
                entries.push(JksEntry::SecretKey { alias });
                break;
            }
            other => return Err(JksError::Malformed(format!("entry tag {other}"))),
        }
    }
    Ok(KeyStore { kind, entries })
}

fn unprotect(
    protected: &[u8],
    password: &str,
    alias: &str,
) -> Result<Zeroizing<Vec<u8>>, JksError> {
    let info = EncryptedKey::from_der(protected)
        .map_err(|e| JksError::Malformed(format!("key {alias:?}: {e}")))?;
    let data = info.data.as_bytes();
    if info.algorithm.oid == SUN_KEY_PROTECTOR {
        if data.len() < 40 {
            return Err(JksError::Malformed(format!("key {alias:?} too short")));
        }
        let (salt, rest) = data.split_at(20);
        let (encrypted, check) = rest.split_at(rest.len() - 20);
        let pw = utf16be(password);
        let mut plain = Zeroizing::new(encrypted.to_vec());
        xor_stream(&pw, salt, &mut plain);
        let mut h = Sha1::new();
        h.update(pw.as_slice());
        h.update(plain.as_slice());
        if h.finalize().as_slice() != check {
            return Err(JksError::KeyPassword(alias.to_owned()));
        }
        Ok(plain)
    } else if info.algorithm.oid == PBE_MD5_TRIPLE_DES {
        let params = info
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<PbeParameter>().ok())
            .ok_or_else(|| JksError::Malformed(format!("key {alias:?}: PBE parameters")))?;
        let plain =
            md5_triple_des_decrypt(password, params.salt.as_bytes(), params.iterations, data)
                .ok_or_else(|| JksError::KeyPassword(alias.to_owned()))?;
        // The plaintext is a PKCS#8 PrivateKeyInfo; a wrong password gives garbage.
        if pkcs8::PrivateKeyInfoRef::try_from(plain.as_slice()).is_err() {
            return Err(JksError::KeyPassword(alias.to_owned()));
        }
        Ok(plain)
    } else {
        Err(JksError::UnsupportedProtection(
            alias.to_owned(),
            info.algorithm.oid.to_string(),
        ))
    }
}

/// XORs `data` with Sun's key stream `SHA-1(pw || salt)`, `SHA-1(pw || d1)`, ...
fn xor_stream(pw: &[u8], salt: &[u8], data: &mut [u8]) {
    let mut digest: [u8; 20] = salt.try_into().expect("20-byte salt");
    for chunk in data.chunks_mut(20) {
        let mut h = Sha1::new();
        h.update(pw);
        h.update(digest);
        digest = h.finalize().into();
        for (b, k) in chunk.iter_mut().zip(digest.iter()) {
            *b ^= k;
        }
    }
}

/// SunJCE's PBEWithMD5AndTripleDES: key and IV from two MD5 chains over the salt halves.
fn md5_triple_des_decrypt(
    password: &str,
    salt: &[u8],
    iterations: u32,
    data: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
    use md5::Digest as _;
    if salt.len() != 8 {
        return None;
    }
    let mut salt: [u8; 8] = salt.try_into().ok()?;
    // SunJCE inverts the first half when both halves are equal.
    if salt[..4] == salt[4..] {
        salt[..4].reverse();
    }
    // Java takes each password char's low byte.
    let pw: Zeroizing<Vec<u8>> = Zeroizing::new(password.chars().map(|c| c as u32 as u8).collect());
    let mut derived = Zeroizing::new([0u8; 32]);
    for half in 0..2 {
        let mut block = salt[half * 4..half * 4 + 4].to_vec();
        for _ in 0..iterations.max(1) {
            let mut md = md5::Md5::new();
            md.update(&block);
            md.update(pw.as_slice());
            block = md.finalize().to_vec();
        }
        derived[half * 16..half * 16 + 16].copy_from_slice(&block);
    }
    let (key, iv) = derived.split_at(24);
    let plain = cbc::Decryptor::<des::TdesEde3>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded_vec::<cbc::cipher::block_padding::Pkcs7>(data)
        .ok()?;
    Some(Zeroizing::new(plain))
}

/// What a JKS to write holds: keys (PKCS#8 DER + chain) and trusted certificates.
pub enum NewEntry<'a> {
    PrivateKey {
        alias: &'a str,
        pkcs8: &'a [u8],
        chain: &'a [Vec<u8>],
    },
    TrustedCert {
        alias: &'a str,
        der: &'a [u8],
    },
}

fn put_utf(out: &mut Vec<u8>, s: &str) {
    out.extend((s.len() as u16).to_be_bytes());
    out.extend(s.as_bytes());
}

fn put_cert(out: &mut Vec<u8>, der: &[u8]) {
    put_utf(out, "X.509");
    out.extend((der.len() as u32).to_be_bytes());
    out.extend(der);
}

/// A JKS file (what keytool `-storetype JKS` and orapki `pkcs12_to_jks` write): keys
/// protected with the store password, aliases in lower case as Java's JKS keeps them.
pub fn write(entries: &[NewEntry], password: &str, created_ms: u64) -> Result<Vec<u8>, JksError> {
    let mut out = Vec::new();
    out.extend(JKS_MAGIC.to_be_bytes());
    out.extend(2u32.to_be_bytes());
    out.extend((entries.len() as u32).to_be_bytes());
    for e in entries {
        match e {
            NewEntry::PrivateKey {
                alias,
                pkcs8,
                chain,
            } => {
                out.extend(1u32.to_be_bytes());
                put_utf(&mut out, &alias.to_lowercase());
                out.extend(created_ms.to_be_bytes());
                let protected = protect(pkcs8, password)?;
                out.extend((protected.len() as u32).to_be_bytes());
                out.extend(&protected);
                out.extend((chain.len() as u32).to_be_bytes());
                for c in chain.iter() {
                    put_cert(&mut out, c);
                }
            }
            NewEntry::TrustedCert { alias, der } => {
                out.extend(2u32.to_be_bytes());
                put_utf(&mut out, &alias.to_lowercase());
                out.extend(created_ms.to_be_bytes());
                put_cert(&mut out, der);
            }
        }
    }
    let digest = integrity(password, &out);
    out.extend(digest);
    Ok(out)
}

fn protect(pkcs8: &[u8], password: &str) -> Result<Vec<u8>, JksError> {
    let mut salt = [0u8; 20];
    getrandom::fill(&mut salt).map_err(|e| JksError::Malformed(format!("no randomness: {e}")))?;
    let pw = utf16be(password);
    let mut encrypted = pkcs8.to_vec();
    xor_stream(&pw, &salt, &mut encrypted);
    let mut h = Sha1::new();
    h.update(pw.as_slice());
    h.update(pkcs8);
    let check: [u8; 20] = h.finalize().into();
    let mut data = salt.to_vec();
    data.extend(&encrypted);
    data.extend(check);
    let info = EncryptedKey {
        algorithm: spki::AlgorithmIdentifierOwned {
            oid: SUN_KEY_PROTECTOR,
            parameters: Some(der::asn1::Any::null()),
        },
        data: OctetString::new(data).map_err(|e| JksError::Malformed(e.to_string()))?,
    };
    info.to_der()
        .map_err(|e| JksError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_store_reads_back_and_refuses_another_password() {
        let pkcs8 = crate::pki::key::PrivateKey::generate(crate::pki::key::KeySpec::Ec {
            curve: crate::pki::key::Curve::P256,
        })
        .unwrap()
        .to_pkcs8_der()
        .unwrap();
        let chain = vec![vec![0x30, 0x00]];
        let bytes = write(
            &[
                NewEntry::PrivateKey {
                    alias: "OraKey",
                    pkcs8: &pkcs8,
                    chain: &chain,
                },
                NewEntry::TrustedCert {
                    alias: "ca",
                    der: &[0x30, 0x00],
                },
            ],
            "storepass1",
            1,
        )
        .unwrap();
        assert_eq!(&bytes[..4], &[0xFE, 0xED, 0xFE, 0xED]);
        let store = read(&bytes, "storepass1").unwrap();
        assert_eq!(store.entries.len(), 2);
        assert_eq!(store.entries[0].alias(), "orakey");
        match &store.entries[0] {
            JksEntry::PrivateKey { pkcs8: got, .. } => assert_eq!(got.as_slice(), pkcs8.as_slice()),
            _ => panic!("first entry is the key"),
        }
        assert!(matches!(
            read(&bytes, "other"),
            Err(JksError::WrongPassword)
        ));
    }

    /// What the fuzz target does, bounded: every truncation and every single-byte change
    /// of a real store's body, resealed so the integrity check passes, reads as a store or
    /// an error, never a panic (lengths and counts come from the input).
    #[test]
    fn resealed_damaged_stores_never_panic() {
        let pkcs8 = crate::pki::key::PrivateKey::generate(crate::pki::key::KeySpec::Ec {
            curve: crate::pki::key::Curve::P256,
        })
        .unwrap()
        .to_pkcs8_der()
        .unwrap();
        let chain = vec![vec![0x30, 0x03, 0x02, 0x01, 0x01]];
        let bytes = write(
            &[
                NewEntry::PrivateKey {
                    alias: "k",
                    pkcs8: &pkcs8,
                    chain: &chain,
                },
                NewEntry::TrustedCert {
                    alias: "ca",
                    der: &[0x30, 0x00],
                },
            ],
            "pw",
            1,
        )
        .unwrap();
        let body = &bytes[..bytes.len() - 20];
        let seal = |b: &[u8]| {
            let mut out = b.to_vec();
            out.extend(integrity("pw", b));
            out
        };
        for n in 0..body.len() {
            let _ = read(&seal(&body[..n]), "pw");
            for value in [0x00, 0xFF, 0x7F] {
                let mut changed = body.to_vec();
                changed[n] = value;
                let _ = read(&seal(&changed), "pw");
            }
        }
        // The same body under JCEKS's magic reads as well (JCEKS may hold JKS-protected keys).
        let mut jceks = body.to_vec();
        jceks[..4].copy_from_slice(&JCEKS_MAGIC.to_be_bytes());
        assert!(read(&seal(&jceks), "pw").is_ok());
    }
}
