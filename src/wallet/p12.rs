//! `ewallet.p12` (and the PKCS#12 inside `cwallet.sso`): reading any PKCS#12 a wallet
//! tool writes, and writing Oracle's exact layout.
//!
//! Reader: MAC verified first; `data` and `encryptedData` safes; keyBag and
//! pkcs8ShroudedKeyBag; certBags; Oracle's request secretBag and secret-store bags;
//! anything else kept as an opaque bag.
//!
//! Writer (wallet-formats.md §3.1/§3.3): ONE encryptedData safe holding every bag in
//! wallet order, plain keyBags, attributes friendlyName then localKeyId, HMAC MAC with
//! explicit iterations.

use cms::content_info::{CmsVersion, ContentInfo};
use cms::encrypted_data::EncryptedData;
use cms::enveloped_data::EncryptedContentInfo;
use der::asn1::{BmpString, OctetString, SetOfVec};
use der::{Any, AnyRef, Decode, Encode};
use pkcs12::{CertBag, DigestInfo, MacData, Pfx, pfx::Version};
use serde::Serialize;
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use zeroize::Zeroizing;

use super::asn1::{AttributeSet, SafeBag, SecretBag, SecretStoreValue, oid};
use super::model::{Entry, Item, Profile, Wallet};
use crate::pbe::asn1::EncryptedPrivateKeyInfo;
use crate::pbe::{self, EncryptionParams, MacDigest, PbeError};

#[derive(Debug, thiserror::Error)]
pub enum P12Error {
    #[error("not a PKCS#12 file: {0}")]
    Malformed(String),
    #[error("MAC check failed: wrong password, or the file was changed or damaged")]
    MacMismatch,
    #[error("cannot decrypt the wallet contents: wrong password or damaged data")]
    DecryptFailed,
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Pbe(#[from] PbeError),
    #[error("cannot encode the wallet: {0}")]
    Encode(String),
}

/// The label of the first PEM block when `bytes` is PEM text (a PEM file put where a
/// PKCS#12 belongs), so the error can say what the file is. DER input is never PEM: a
/// PKCS#12 may carry "-----BEGIN " inside a name or a secret.
fn pem_label(bytes: &[u8]) -> Option<String> {
    use crate::pki::pem::{Input, classify};
    if bytes.first() == Some(&0x30) {
        return None;
    }
    match classify(bytes) {
        Ok(Input::Pem(blocks)) => blocks.into_iter().next().map(|b| b.label),
        _ => None,
    }
}

fn malformed(e: impl std::fmt::Display) -> P12Error {
    P12Error::Malformed(e.to_string())
}

fn encode_err(e: impl std::fmt::Display) -> P12Error {
    P12Error::Encode(e.to_string())
}

/// One safe of the AuthenticatedSafe as found in the file.
#[derive(Clone, Debug, Serialize)]
pub struct SafeInfo {
    /// `data` or `encryptedData`.
    pub content_type: &'static str,
    pub encryption: Option<EncryptionParams>,
    pub bag_count: usize,
}

/// The MAC as found in the file.
#[derive(Clone, Debug, Serialize)]
pub struct MacInfo {
    pub digest: MacDigest,
    pub algorithm: &'static str,
    pub salt_length: usize,
    #[serde(skip)]
    pub salt: Vec<u8>,
    pub iterations: u64,
}

/// A decoded PKCS#12 file: the wallet plus how the file was laid out.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub wallet: Wallet,
    pub safes: Vec<SafeInfo>,
    pub mac: Option<MacInfo>,
}

/// Reads a PKCS#12 file with `password` (the user's, or an sso's internal one).
pub fn read(bytes: &[u8], password: &[u8]) -> Result<Decoded, P12Error> {
    if let Some(label) = pem_label(bytes) {
        return Err(P12Error::Malformed(format!(
            "it is PEM text (-----BEGIN {label}-----), not the binary PKCS#12 a wallet file \
             holds; add certificates to a wallet with `orakit wallet add-trusted --cert`"
        )));
    }
    let pfx = Pfx::from_der(bytes).map_err(malformed)?;
    if pfx.auth_safe.content_type != oid::DATA {
        return Err(P12Error::Unsupported(format!(
            "public-key integrity mode ({}) is not supported; only password-protected PKCS#12 files are",
            pfx.auth_safe.content_type
        )));
    }
    let auth_safe = pfx
        .auth_safe
        .content
        .decode_as::<OctetString>()
        .map_err(malformed)?;
    let auth_safe = auth_safe.as_bytes();
    let mut work = Work::default();
    let mac = match &pfx.mac_data {
        Some(mac_data) => {
            work.spend(u64::try_from(mac_data.iterations).unwrap_or(0))?;
            Some(verify_mac(mac_data, password, auth_safe)?)
        }
        None => None,
    };
    let infos = Vec::<ContentInfo>::from_der(auth_safe).map_err(malformed)?;
    let mut entries = Vec::new();
    let mut safes = Vec::new();
    for info in &infos {
        let (contents, encryption) = open_safe(info, password, &mut work)?;
        let bags = Vec::<SafeBag>::from_der(&contents).map_err(malformed)?;
        safes.push(SafeInfo {
            content_type: if encryption.is_some() {
                "encryptedData"
            } else {
                "data"
            },
            encryption,
            bag_count: bags.len(),
        });
        for bag in bags {
            entries.push(entry_from_bag(bag, password, &mut work)?);
        }
    }
    let defaults = Profile::three_des();
    let encryption = safes
        .iter()
        .find_map(|s| s.encryption)
        .unwrap_or(defaults.encryption);
    let profile = Profile {
        encryption,
        mac_digest: mac.as_ref().map_or(defaults.mac_digest, |m| m.digest),
        mac_salt_length: mac
            .as_ref()
            .map_or(defaults.mac_salt_length, |m| m.salt_length),
        mac_iterations: mac
            .as_ref()
            .map_or(defaults.mac_iterations, |m| m.iterations),
    };
    Ok(Decoded {
        wallet: Wallet { entries, profile },
        safes,
        mac,
    })
}

fn verify_mac(mac_data: &MacData, password: &[u8], auth_safe: &[u8]) -> Result<MacInfo, P12Error> {
    let digest = MacDigest::from_oid(&mac_data.mac.algorithm.oid)?;
    if mac_data.iterations < 1 {
        return Err(P12Error::Malformed(format!(
            "MAC iteration count {} is invalid",
            mac_data.iterations
        )));
    }
    let iterations = mac_data.iterations as u64;
    let salt = mac_data.mac_salt.as_bytes();
    let computed = pbe::mac(digest, password, salt, iterations, auth_safe)?;
    if !pbe::mac_matches(mac_data.mac.digest.as_bytes(), &computed) {
        return Err(P12Error::MacMismatch);
    }
    Ok(MacInfo {
        digest,
        algorithm: digest.name(),
        salt_length: salt.len(),
        salt: salt.to_vec(),
        iterations,
    })
}

/// The SafeContents DER of one ContentInfo, decrypted when needed.
/// The key-derivation iterations one file may ask for in all. Each derivation is capped
/// by [`pbe::MAX_ITERATIONS`]; without a total, a file with many encrypted bags at that cap
/// (an sso carries its own password, so its MAC verifies) would keep orakit busy for
/// hours. Oracle's wallets use 10 000 per derivation: this allows thousands of keys.
pub const MAX_TOTAL_ITERATIONS: u64 = 4 * pbe::MAX_ITERATIONS;

#[derive(Default)]
struct Work(u64);

impl Work {
    fn spend(&mut self, iterations: u64) -> Result<(), P12Error> {
        if iterations > pbe::MAX_ITERATIONS {
            // Refused on its own by the derivation, with the more precise message.
            return Ok(());
        }
        self.0 = self.0.saturating_add(iterations);
        if self.0 > MAX_TOTAL_ITERATIONS {
            return Err(P12Error::Unsupported(format!(
                "the file asks for more than {MAX_TOTAL_ITERATIONS} key-derivation iterations in all: it is damaged or hostile"
            )));
        }
        Ok(())
    }
}

fn open_safe(
    info: &ContentInfo,
    password: &[u8],
    work: &mut Work,
) -> Result<(Zeroizing<Vec<u8>>, Option<EncryptionParams>), P12Error> {
    if info.content_type == oid::DATA {
        let data = info
            .content
            .decode_as::<&der::asn1::OctetStringRef>()
            .map_err(malformed)?;
        return Ok((Zeroizing::new(data.as_bytes().to_vec()), None));
    }
    if info.content_type != oid::ENCRYPTED_DATA {
        return Err(P12Error::Unsupported(format!(
            "a safe of type {} (public-key privacy mode) is not supported",
            info.content_type
        )));
    }
    let data = info
        .content
        .decode_as::<EncryptedData>()
        .map_err(malformed)?;
    let alg = &data.enc_content_info.content_enc_alg;
    let params = pbe::describe(alg)?;
    work.spend(params.iterations)?;
    let Some(ciphertext) = &data.enc_content_info.encrypted_content else {
        return Ok((Zeroizing::new(vec![0x30, 0x00]), Some(params)));
    };
    let plain = pbe::decrypt(alg, password, ciphertext.as_bytes()).map_err(|e| match e {
        PbeError::DecryptFailed => P12Error::DecryptFailed,
        other => P12Error::Pbe(other),
    })?;
    Ok((plain, Some(params)))
}

fn entry_from_bag(bag: SafeBag<'_>, password: &[u8], work: &mut Work) -> Result<Entry, P12Error> {
    let mut friendly_name = None;
    let mut local_key_id = None;
    let mut other_attributes = Vec::new();
    for attr in bag.bag_attributes.map(|s| s.0).unwrap_or_default() {
        let first = attr.values.iter().next();
        match (attr.oid, first) {
            (oid::FRIENDLY_NAME, Some(v))
                if friendly_name.is_none() && v.decode_as::<BmpString>().is_ok() =>
            {
                friendly_name = v.decode_as::<BmpString>().ok().map(|s| s.to_string());
            }
            (oid::LOCAL_KEY_ID, Some(v))
                if local_key_id.is_none() && v.decode_as::<OctetString>().is_ok() =>
            {
                local_key_id = v
                    .decode_as::<OctetString>()
                    .ok()
                    .map(|s| s.as_bytes().to_vec());
            }
            _ => other_attributes.push(attr.to_der().map_err(malformed)?),
        }
    }
    let value = &bag.bag_value;
    let opaque = || -> Result<Item, P12Error> {
        Ok(Item::Opaque {
            bag_id: bag.bag_id,
            value: value.to_der().map_err(malformed)?,
        })
    };
    let item = match bag.bag_id {
        oid::KEY_BAG => Item::PrivateKey(Zeroizing::new(value.to_der().map_err(malformed)?)),
        oid::SHROUDED_KEY_BAG => {
            let epki = value
                .decode_as::<EncryptedPrivateKeyInfo>()
                .map_err(malformed)?;
            work.spend(pbe::describe(&epki.encryption_algorithm)?.iterations)?;
            let key = pbe::decrypt(
                &epki.encryption_algorithm,
                password,
                epki.encrypted_data.as_bytes(),
            )
            .map_err(|e| match e {
                PbeError::DecryptFailed => P12Error::DecryptFailed,
                other => P12Error::Pbe(other),
            })?;
            Item::PrivateKey(key)
        }
        oid::CERT_BAG => match value.decode_as::<CertBag>() {
            Ok(cb) if cb.cert_id == oid::X509_CERTIFICATE => {
                Item::Certificate(cb.cert_value.as_bytes().to_vec())
            }
            _ => opaque()?,
        },
        oid::SECRET_BAG => match value.decode_as::<SecretBag>() {
            Ok(sb) if sb.secret_type_id == oid::ORACLE_CERT_REQUEST => {
                match sb.secret_value.decode_as::<OctetString>() {
                    Ok(os) => Item::CertificateRequest(os.as_bytes().to_vec()),
                    Err(_) => opaque()?,
                }
            }
            Ok(sb)
                if sb.secret_type_id == oid::SECRET_STORE
                    || sb.secret_type_id == oid::SECRET_STORE_OLD =>
            {
                match secret_from(&sb) {
                    Some(item) => item,
                    None => opaque()?,
                }
            }
            _ => opaque()?,
        },
        _ => opaque()?,
    };
    Ok(Entry {
        item,
        friendly_name,
        local_key_id,
        other_attributes,
    })
}

fn secret_from(sb: &SecretBag<'_>) -> Option<Item> {
    let der = Zeroizing::new(sb.secret_value.to_der().ok()?);
    let v = SecretStoreValue::from_der(&der).ok()?;
    // Only take it apart when writing it back gives the very same bytes; otherwise the
    // caller keeps the whole bag opaque.
    let again = Zeroizing::new(v.to_der().ok()?);
    if again[..] != der[..] {
        return None;
    }
    Some(Item::Secret {
        type_id: sb.secret_type_id,
        alias: v.alias.as_str().to_owned(),
        value: Zeroizing::new(v.value.as_str().to_owned()),
    })
}

/// Writes `wallet` in Oracle's layout under `password`, with a fresh MAC salt.
pub fn write(wallet: &Wallet, password: &[u8]) -> Result<Vec<u8>, P12Error> {
    let mac_salt = crate::random::bytes(wallet.profile.mac_salt_length);
    write_with_mac_salt(wallet, password, &mac_salt)
}

/// Like [`write()`] with a given MAC salt (Oracle reuses one salt for the p12 and the sso).
pub fn write_with_mac_salt(
    wallet: &Wallet,
    password: &[u8],
    mac_salt: &[u8],
) -> Result<Vec<u8>, P12Error> {
    let profile = wallet.profile.writable();
    let owned = wallet
        .entries
        .iter()
        .map(bag_from_entry)
        .collect::<Result<Vec<_>, _>>()?;
    let bags = owned
        .iter()
        .map(OwnedBag::borrow)
        .collect::<Result<Vec<_>, _>>()?;
    let contents = Zeroizing::new(bags.to_der().map_err(encode_err)?);
    let (alg, ciphertext) = pbe::encrypt(&profile.encryption, password, &contents)?;
    let encrypted = EncryptedData {
        version: CmsVersion::V0,
        enc_content_info: EncryptedContentInfo {
            content_type: oid::DATA,
            content_enc_alg: alg,
            encrypted_content: Some(OctetString::new(ciphertext).map_err(encode_err)?),
        },
        unprotected_attrs: None,
    };
    let safe = ContentInfo {
        content_type: oid::ENCRYPTED_DATA,
        content: Any::encode_from(&encrypted).map_err(encode_err)?,
    };
    let auth_safe = vec![safe].to_der().map_err(encode_err)?;
    let digest = pbe::mac(
        profile.mac_digest,
        password,
        mac_salt,
        profile.mac_iterations,
        &auth_safe,
    )?;
    let mac_data = MacData {
        mac: DigestInfo {
            algorithm: AlgorithmIdentifierOwned {
                oid: profile.mac_digest.oid(),
                parameters: Some(Any::null()),
            },
            digest: OctetString::new(digest).map_err(encode_err)?,
        },
        mac_salt: OctetString::new(mac_salt).map_err(encode_err)?,
        iterations: i32::try_from(profile.mac_iterations).map_err(encode_err)?,
    };
    let auth = ContentInfo {
        content_type: oid::DATA,
        content: Any::encode_from(&OctetString::new(auth_safe).map_err(encode_err)?)
            .map_err(encode_err)?,
    };
    Pfx {
        version: Version::V3,
        auth_safe: auth,
        mac_data: Some(mac_data),
    }
    .to_der()
    .map_err(encode_err)
}

fn attribute(oid: der::asn1::ObjectIdentifier, value: Any) -> Result<Attribute, P12Error> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(encode_err)?;
    Ok(Attribute { oid, values })
}

/// A bag ready to encode: its value's DER kept in a buffer that is wiped on drop, for
/// [`SafeBag`] to borrow.
struct OwnedBag {
    bag_id: der::asn1::ObjectIdentifier,
    value: Zeroizing<Vec<u8>>,
    attributes: Option<AttributeSet>,
}

impl OwnedBag {
    fn borrow(&self) -> Result<SafeBag<'_>, P12Error> {
        Ok(SafeBag {
            bag_id: self.bag_id,
            bag_value: AnyRef::from_der(&self.value).map_err(encode_err)?,
            bag_attributes: self.attributes.clone(),
        })
    }
}

fn bag_from_entry(entry: &Entry) -> Result<OwnedBag, P12Error> {
    let mut attrs = Vec::new();
    if let Some(name) = &entry.friendly_name {
        let bmp = BmpString::from_utf8(name).map_err(encode_err)?;
        attrs.push(attribute(
            oid::FRIENDLY_NAME,
            Any::encode_from(&bmp).map_err(encode_err)?,
        )?);
    }
    if let Some(id) = &entry.local_key_id {
        let os = OctetString::new(id.clone()).map_err(encode_err)?;
        attrs.push(attribute(
            oid::LOCAL_KEY_ID,
            Any::encode_from(&os).map_err(encode_err)?,
        )?);
    }
    for raw in &entry.other_attributes {
        attrs.push(Attribute::from_der(raw).map_err(encode_err)?);
    }
    let (bag_id, bag_value) = match &entry.item {
        Item::PrivateKey(der) => (oid::KEY_BAG, Zeroizing::new(der.to_vec())),
        Item::Certificate(der) => {
            let cb = CertBag {
                cert_id: oid::X509_CERTIFICATE,
                cert_value: OctetString::new(der.clone()).map_err(encode_err)?,
            };
            (
                oid::CERT_BAG,
                Zeroizing::new(cb.to_der().map_err(encode_err)?),
            )
        }
        Item::CertificateRequest(der) => {
            let value = OctetString::new(der.clone())
                .and_then(|os| os.to_der())
                .map_err(encode_err)?;
            let sb = SecretBag {
                secret_type_id: oid::ORACLE_CERT_REQUEST,
                secret_value: AnyRef::from_der(&value).map_err(encode_err)?,
            };
            (
                oid::SECRET_BAG,
                Zeroizing::new(sb.to_der().map_err(encode_err)?),
            )
        }
        Item::Secret {
            type_id,
            alias,
            value,
        } => {
            let v = SecretStoreValue {
                alias: der::asn1::Utf8StringRef::new(alias).map_err(encode_err)?,
                value: der::asn1::Utf8StringRef::new(value).map_err(encode_err)?,
            };
            let v_der = Zeroizing::new(v.to_der().map_err(encode_err)?);
            let sb = SecretBag {
                secret_type_id: *type_id,
                secret_value: AnyRef::from_der(&v_der).map_err(encode_err)?,
            };
            (
                oid::SECRET_BAG,
                Zeroizing::new(sb.to_der().map_err(encode_err)?),
            )
        }
        Item::Opaque { bag_id, value } => (*bag_id, Zeroizing::new(value.clone())),
    };
    let attributes = (!attrs.is_empty()).then_some(AttributeSet(attrs));
    Ok(OwnedBag {
        bag_id,
        value: bag_value,
        attributes,
    })
}
