//! `cwallet.sso`, the auto-login wallet (wallet-formats.md §2): a small header that holds
//! a random internal password, obfuscated under a key stored beside it, followed by a
//! complete PKCS#12 encrypted under that password.
//!
//! ```text
//! A1 F8 4E | kind (36/37/38) | u32 version = 6 | u32 N | scheme | N-1 bytes | PKCS#12 ...
//! scheme 06: 16-byte AES-128 key, then the password AES-128-CBC (fixed IV, no padding)
//! scheme 35: 16 hex chars of a DES key, then hex of DES-CBC(zero IV, PKCS#5) password (11g)
//! ```
//! For a version-6 kind 0x38 (local auto-login) the header holds a seed; the PKCS#12
//! password is derived from it with HMAC-SHA1 keyed by short host name + OS user name (§2.5).
//!
//! Version 7 is what orapki 19.33 and 23.26 write for every new local auto-login wallet and
//! for every rewrite of one (a version-6 0x38 becomes 7 when orapki saves it); 0x36 and 0x37
//! stay version 6. The spec (§2) knows only version 6. Layout, observed and read in
//! oraclepki's classes:
//! ```text
//! A1 F8 4E 38 | 00 00 00 07 | 00 00 00 64 (N = 100) | 00 00 | u16 SSV mask
//! | 32 random bytes K | 32 bytes MAC0 name (NUL-padded) | 32 bytes MAC1 name | PKCS#12 at 112
//! password = Base64(HMAC-SHA256(key K, SHA-256(SSV string)))   (44 ASCII characters)
//! SSV string = concatenation, in this order, of the values the mask names:
//!   0x001 short host name, 0x002 OS user name, 0x004 BIOS serial, 0x008 BIOS UUID,
//!   0x010 machine id (/etc/machine-id, else /var/lib/dbus/machine-id; trimmed, lower case),
//!   0x080 MAC address of interface MAC0, 0x100 of interface MAC1 (aa:bb:.. lower-case hex)
//! ```
//! orapki's default mask is 0x13 (host, user, machine id): such a wallet opens only on one
//! machine. 19.33 still writes version 6 with `-compat_lsso_v6`; 23.26 has no such option.

use cbc::cipher::{
    BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::NoPadding, block_padding::Pkcs7,
};
use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroizing;

use super::model::Wallet;
use super::p12::{self, Decoded, P12Error};

pub const MAGIC: [u8; 3] = [0xA1, 0xF8, 0x4E];
/// The fixed IV of the AES scheme.
const AES_IV: [u8; 16] = [
    0xC0, 0x34, 0xD8, 0x31, 0x1C, 0x02, 0xCE, 0xF8, 0x51, 0xF0, 0x14, 0x4B, 0x81, 0xED, 0x4B, 0xF2,
];
const VERSION: u32 = 6;
const VERSION_LOCAL_V7: u32 = 7;
/// N of a version-7 header and where its PKCS#12 starts.
const V7_N: u32 = 100;
const V7_PFX_OFFSET: usize = 112;
const V7_KEY_LEN: usize = 32;
const V7_NAME_LEN: usize = 32;
const SCHEME_AES: u8 = 0x06;
const SCHEME_DES_HEX: u8 = 0x35;
const PASSWORD_LEN: usize = 16;

/// The kind byte at offset 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SsoKind {
    /// 0x36: auto-login beside an `ewallet.p12`.
    AutoLogin,
    /// 0x37: auto-login only (no `ewallet.p12`).
    AutoLoginOnly,
    /// 0x38: local auto-login, bound to a host and OS user.
    Local,
}

impl SsoKind {
    pub fn byte(self) -> u8 {
        match self {
            Self::AutoLogin => 0x36,
            Self::AutoLoginOnly => 0x37,
            Self::Local => 0x38,
        }
    }

    pub fn from_byte(b: u8) -> Option<Self> {
        match b {
            0x36 => Some(Self::AutoLogin),
            0x37 => Some(Self::AutoLoginOnly),
            0x38 => Some(Self::Local),
            _ => None,
        }
    }
}

/// How the internal password is wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// Scheme byte 0x06 (12c and later).
    Aes,
    /// Scheme byte 0x35, hex text and single DES (11g).
    LegacyDes,
    /// Version-7 local header: no wrapped password, a key and the SSV mask.
    SsvHmacSha256,
}

/// The system-specific values a version-7 local wallet is bound to (orapki `-ssvs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ssvs {
    pub mask: u16,
    /// Interface names for the MAC-address values (empty when unused).
    pub mac0: String,
    pub mac1: String,
}

impl Ssvs {
    pub const HOST: u16 = 0x001;
    pub const USER: u16 = 0x002;
    pub const BIOS_SERIAL: u16 = 0x004;
    pub const BIOS_UUID: u16 = 0x008;
    pub const MACHINE_ID: u16 = 0x010;
    pub const MAC0: u16 = 0x080;
    pub const MAC1: u16 = 0x100;

    /// `SSV_ENV_HOSTNAME,SSV_ENV_USERNAME,SSV_MACHINE_ID`: what orapki writes by default.
    pub fn orapki_default() -> Self {
        Self {
            mask: Self::HOST | Self::USER | Self::MACHINE_ID,
            mac0: String::new(),
            mac1: String::new(),
        }
    }

    /// orapki's names of the values in the mask.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (Self::HOST, "SSV_ENV_HOSTNAME"),
            (Self::USER, "SSV_ENV_USERNAME"),
            (Self::BIOS_SERIAL, "SSV_BIOS_SERIAL_NUMBER"),
            (Self::BIOS_UUID, "SSV_BIOS_UUID"),
            (Self::MACHINE_ID, "SSV_MACHINE_ID"),
            (Self::MAC0, "SSV_MACNAME_0"),
            (Self::MAC1, "SSV_MACNAME_1"),
        ]
        .into_iter()
        .filter(|(bit, _)| self.mask & bit != 0)
        .map(|(_, name)| name)
        .collect()
    }
}

/// The header layout of a local auto-login wallet orakit writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalFormat {
    /// Version 6: seed + HMAC-SHA1(host + user) (orapki 19.33 `-compat_lsso_v6`, 12c-19.2x).
    V6,
    /// Version 7 bound to these values (what orapki 19.33 and 23.26 write).
    V7(Ssvs),
}

impl LocalFormat {
    /// What the newest orapki of both pinned releases writes for a new local wallet.
    pub fn newest() -> Self {
        Self::V7(Ssvs::orapki_default())
    }

    /// The format of an existing header, to write the wallet again as it was.
    pub fn of(header: &Header) -> Self {
        match &header.ssvs {
            Some(ssvs) => Self::V7(ssvs.clone()),
            None => Self::V6,
        }
    }

    pub fn version(&self) -> u32 {
        match self {
            Self::V6 => VERSION,
            Self::V7(_) => VERSION_LOCAL_V7,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is too short for an auto-login wallet header ({0} bytes)")]
    TooShort(usize),
    #[error("not an auto-login wallet: the file does not start with A1 F8 4E")]
    BadMagic,
    #[error("unknown auto-login kind byte 0x{0:02x} (expected 0x36, 0x37 or 0x38)")]
    UnknownKind(u8),
    #[error(
        "unsupported auto-login header version {0} (versions 6 and, for local auto-login, 7 are known; version 5 is a 10g wallet)"
    )]
    UnsupportedVersion(u32),
    #[error(
        "this local auto-login wallet (version 7) is bound to {0}, which orakit cannot read; it opens only with orapki on the machine it was made on"
    )]
    UnsupportedSsv(String),
    #[error(
        "this local auto-login wallet (version 7) is bound to the machine id too: give --local-machine-id (the content of /etc/machine-id on the machine it was made for)"
    )]
    LocalNeedsMachineId,
    #[error("unknown password-wrapping scheme 0x{0:02x} (expected 0x06 AES or 0x35 DES)")]
    UnknownScheme(u8),
    #[error("damaged auto-login header: {0}")]
    BadHeader(String),
    #[error(
        "this is a local auto-login wallet (kind 0x38): it opens only with the host name and OS user it was made for"
    )]
    LocalNeedsIdentity,
    #[error(
        "this is a local auto-login wallet (kind 0x38) and it does not open for host {host:?} and OS user {user:?}: it opens only with the short host name and OS user it was made for"
    )]
    LocalWrongIdentity { host: String, user: String },
    #[error(
        "this is a local auto-login wallet (kind 0x38, version 7) and it does not open for host {host:?}, OS user {user:?} and machine id {machine_id:?}: it opens only on the machine and for the OS user it was made for"
    )]
    LocalWrongMachine {
        host: String,
        user: String,
        machine_id: String,
    },
    #[error("the PKCS#12 inside the auto-login wallet: {0}")]
    P12(#[from] P12Error),
}

/// The machine identity a local auto-login wallet is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalIdentity {
    /// Host name; only the part before the first dot is used.
    pub host: String,
    pub user: String,
    /// The machine id (`/etc/machine-id`) a version-7 wallet may be bound to.
    pub machine_id: Option<String>,
}

impl LocalIdentity {
    /// The host name as it enters the derivation: up to, not including, the first dot.
    pub fn short_host(&self) -> &str {
        self.host.split('.').next().unwrap_or_default()
    }
}

/// Everything needed to write a local auto-login wallet: who it is bound to and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalBinding {
    pub identity: LocalIdentity,
    pub format: LocalFormat,
}

/// Which published byte mapping opened a local auto-login wallet (spec §2.5 step 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mapping {
    /// `((h mod 128) mod 127) + 1` (go-ora, from 19c); the one orakit writes.
    GoOra,
    /// `(h mod 128) + 1` (ssoDecrypt, from 11g).
    SsoDecrypt,
    /// Version 7: Base64 of HMAC-SHA256 over the SSV values.
    SsvV7,
}

/// What the header said.
#[derive(Clone, Debug)]
pub struct Header {
    pub kind_byte: u8,
    /// 6, or 7 for orapki's newer local auto-login header.
    pub version: u32,
    pub scheme: Scheme,
    pub n: u32,
    pub pfx_offset: usize,
    /// The recovered internal password (for 0x38: the seed; for version 7: the key K).
    pub password: Zeroizing<Vec<u8>>,
    /// For version 7: the values the wallet is bound to.
    pub ssvs: Option<Ssvs>,
}

/// A decoded `cwallet.sso`.
#[derive(Clone, Debug)]
pub struct SsoDecoded {
    pub header: Header,
    /// The password that opened the PKCS#12 (for 0x38, the derived one).
    pub pkcs12_password: Zeroizing<Vec<u8>>,
    pub pkcs12: Decoded,
    /// For kind 0x38: the identity and byte mapping that opened it.
    pub local: Option<(LocalIdentity, Mapping)>,
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Parses the header and recovers the internal password.
pub fn parse_header(bytes: &[u8]) -> Result<Header, SsoError> {
    if bytes.is_empty() {
        return Err(SsoError::Empty);
    }
    if bytes.len() < 13 {
        return Err(if bytes.starts_with(&MAGIC[..bytes.len().min(3)]) {
            SsoError::TooShort(bytes.len())
        } else {
            SsoError::BadMagic
        });
    }
    if bytes[..3] != MAGIC {
        return Err(SsoError::BadMagic);
    }
    let kind_byte = bytes[3];
    SsoKind::from_byte(kind_byte).ok_or(SsoError::UnknownKind(kind_byte))?;
    let version = read_u32(bytes, 4);
    if version == VERSION_LOCAL_V7 && kind_byte == SsoKind::Local.byte() {
        return parse_v7(bytes);
    }
    if version != VERSION {
        return Err(SsoError::UnsupportedVersion(version));
    }
    let n = read_u32(bytes, 8);
    let end = 12usize
        .checked_add(n as usize)
        // At least the scheme byte at offset 12 (a zero length once panicked here).
        .filter(|&e| e > 12 && e <= bytes.len())
        .ok_or_else(|| {
            SsoError::BadHeader(format!(
                "header length {n} does not fit the file ({} bytes)",
                bytes.len()
            ))
        })?;
    let body = &bytes[13..end];
    let (scheme, password) = match bytes[12] {
        SCHEME_AES => (Scheme::Aes, unwrap_aes(body)?),
        SCHEME_DES_HEX => (Scheme::LegacyDes, unwrap_des_hex(body)?),
        other => return Err(SsoError::UnknownScheme(other)),
    };
    Ok(Header {
        kind_byte,
        version,
        scheme,
        n,
        pfx_offset: end,
        password,
        ssvs: None,
    })
}

/// The version-7 local header (module docs).
fn parse_v7(bytes: &[u8]) -> Result<Header, SsoError> {
    let n = read_u32(bytes, 8);
    if n != V7_N || bytes.len() < V7_PFX_OFFSET {
        return Err(SsoError::BadHeader(format!(
            "a version-7 local header has length 100 and the PKCS#12 at offset 112; found length {n} in a file of {} bytes",
            bytes.len()
        )));
    }
    let name = |at: usize| {
        let raw = &bytes[at..at + V7_NAME_LEN];
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        String::from_utf8_lossy(&raw[..end]).into_owned()
    };
    let key_at = 16;
    Ok(Header {
        kind_byte: bytes[3],
        version: VERSION_LOCAL_V7,
        scheme: Scheme::SsvHmacSha256,
        n,
        pfx_offset: V7_PFX_OFFSET,
        password: Zeroizing::new(bytes[key_at..key_at + V7_KEY_LEN].to_vec()),
        ssvs: Some(Ssvs {
            mask: u16::from_be_bytes([bytes[14], bytes[15]]),
            mac0: name(key_at + V7_KEY_LEN),
            mac1: name(key_at + V7_KEY_LEN + V7_NAME_LEN),
        }),
    })
}

/// The PKCS#12 password of a version-7 local wallet: Base64(HMAC-SHA256(K, SHA-256(SSVs))).
pub fn v7_password(
    key: &[u8],
    ssvs: &Ssvs,
    identity: &LocalIdentity,
) -> Result<Zeroizing<Vec<u8>>, SsoError> {
    use base64ct::Encoding;
    use sha2::Digest;
    let unreadable = ssvs.mask & !(Ssvs::HOST | Ssvs::USER | Ssvs::MACHINE_ID);
    if unreadable != 0 {
        let names = Ssvs {
            mask: unreadable,
            ..ssvs.clone()
        }
        .names()
        .join(", ");
        return Err(SsoError::UnsupportedSsv(names));
    }
    let mut values = Zeroizing::new(Vec::new());
    if ssvs.mask & Ssvs::HOST != 0 {
        values.extend_from_slice(identity.short_host().as_bytes());
    }
    if ssvs.mask & Ssvs::USER != 0 {
        values.extend_from_slice(identity.user.as_bytes());
    }
    if ssvs.mask & Ssvs::MACHINE_ID != 0 {
        let id = identity
            .machine_id
            .as_deref()
            .ok_or(SsoError::LocalNeedsMachineId)?;
        values.extend_from_slice(id.trim().to_ascii_lowercase().as_bytes());
    }
    if values.is_empty() {
        return Err(SsoError::BadHeader(
            "the version-7 header binds the wallet to no value (SSV mask 0)".into(),
        ));
    }
    let digest = sha2::Sha256::digest(&values[..]);
    let mut mac =
        <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&digest);
    let tag = mac.finalize().into_bytes();
    Ok(Zeroizing::new(
        base64ct::Base64::encode_string(&tag).into_bytes(),
    ))
}

fn unwrap_aes(body: &[u8]) -> Result<Zeroizing<Vec<u8>>, SsoError> {
    if body.len() < 32 || !(body.len() - 16).is_multiple_of(16) {
        return Err(SsoError::BadHeader(format!(
            "AES scheme needs a 16-byte key and whole blocks, found {} bytes",
            body.len()
        )));
    }
    let (key, ciphertext) = body.split_at(16);
    let plain = cbc::Decryptor::<aes::Aes128>::new_from_slices(key, &AES_IV)
        .map_err(|e| SsoError::BadHeader(e.to_string()))?
        .decrypt_padded_vec::<NoPadding>(ciphertext)
        .map_err(|e| SsoError::BadHeader(e.to_string()))?;
    Ok(Zeroizing::new(plain))
}

fn unwrap_des_hex(body: &[u8]) -> Result<Zeroizing<Vec<u8>>, SsoError> {
    if body.len() < 32 {
        return Err(SsoError::BadHeader("DES scheme header too short".into()));
    }
    let (key_hex, ct_hex) = body.split_at(16);
    let key =
        hex::decode(key_hex).map_err(|_| SsoError::BadHeader("DES key is not hex text".into()))?;
    let ciphertext = Zeroizing::new(
        hex::decode(ct_hex)
            .map_err(|_| SsoError::BadHeader("DES ciphertext is not hex text".into()))?,
    );
    let plain = cbc::Decryptor::<des::Des>::new_from_slices(&key, &[0u8; 8])
        .map_err(|e| SsoError::BadHeader(e.to_string()))?
        .decrypt_padded_vec::<Pkcs7>(&ciphertext)
        .map_err(|_| SsoError::BadHeader("DES-wrapped password does not decrypt".into()))?;
    Ok(Zeroizing::new(plain))
}

/// Reads a `cwallet.sso`. `local` is needed only for kind 0x38.
pub fn read(bytes: &[u8], local: Option<&LocalIdentity>) -> Result<SsoDecoded, SsoError> {
    let header = parse_header(bytes)?;
    let pfx = &bytes[header.pfx_offset..];
    if header.kind_byte != SsoKind::Local.byte() {
        let pkcs12 = p12::read(pfx, &header.password)?;
        let pkcs12_password = header.password.clone();
        return Ok(SsoDecoded {
            header,
            pkcs12_password,
            pkcs12,
            local: None,
        });
    }
    let identity = local.ok_or(SsoError::LocalNeedsIdentity)?;
    if let Some(ssvs) = header.ssvs.clone() {
        let password = v7_password(&header.password, &ssvs, identity)?;
        return match p12::read(pfx, &password) {
            Ok(pkcs12) => Ok(SsoDecoded {
                header,
                pkcs12_password: password,
                pkcs12,
                local: Some((identity.clone(), Mapping::SsvV7)),
            }),
            Err(P12Error::MacMismatch) => Err(SsoError::LocalWrongMachine {
                host: identity.short_host().to_owned(),
                user: identity.user.clone(),
                machine_id: identity.machine_id.clone().unwrap_or_default(),
            }),
            Err(e) => Err(e.into()),
        };
    }
    for mapping in [Mapping::GoOra, Mapping::SsoDecrypt] {
        let password = local_password(&header.password, identity, mapping);
        match p12::read(pfx, &password) {
            Ok(pkcs12) => {
                return Ok(SsoDecoded {
                    header,
                    pkcs12_password: password,
                    pkcs12,
                    local: Some((identity.clone(), mapping)),
                });
            }
            Err(P12Error::MacMismatch) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Neither mapping verifies the MAC: with a sound file that means another host or user.
    Err(SsoError::LocalWrongIdentity {
        host: identity.short_host().to_owned(),
        user: identity.user.clone(),
    })
}

fn local_password(seed: &[u8], identity: &LocalIdentity, mapping: Mapping) -> Zeroizing<Vec<u8>> {
    let key = [identity.short_host().as_bytes(), identity.user.as_bytes()].concat();
    let mut mac =
        <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(seed);
    let h = mac.finalize().into_bytes();
    Zeroizing::new(
        h.iter()
            .take(PASSWORD_LEN)
            .map(|&b| match mapping {
                Mapping::SsoDecrypt => (b % 128) + 1,
                Mapping::GoOra | Mapping::SsvV7 => ((b % 128) % 127) + 1,
            })
            .collect(),
    )
}

/// The PKCS#12 password of a local auto-login wallet whose header holds `seed`, with the
/// go-ora byte mapping (the one the reader tries first; spec §2.5).
pub fn local_pkcs12_password(seed: &[u8], identity: &LocalIdentity) -> Zeroizing<Vec<u8>> {
    local_password(seed, identity, Mapping::GoOra)
}

/// A fresh internal password: 16 bytes in 1..=127.
fn new_internal_password() -> Zeroizing<Vec<u8>> {
    let raw = Zeroizing::new(crate::random::bytes(PASSWORD_LEN));
    Zeroizing::new(raw.iter().map(|&r| ((r % 128) % 127) + 1).collect())
}

/// Writes `wallet` as a `cwallet.sso` of `kind` 0x36 or 0x37 (a local 0x38 wallet is
/// written by [`write_local`], which needs the identity). `mac_salt` lets the caller
/// reuse the p12's MAC salt as Oracle does.
pub fn write(wallet: &Wallet, kind: SsoKind, mac_salt: Option<&[u8]>) -> Result<Vec<u8>, SsoError> {
    if kind == SsoKind::Local {
        return Err(SsoError::LocalNeedsIdentity);
    }
    let password = new_internal_password();
    assemble(wallet, kind, &password, &password, mac_salt)
}

/// Writes `wallet` as a local auto-login `cwallet.sso` (kind 0x38) bound to `identity`.
///
/// Version 6 (spec §2.5): a random seed S (bytes 1..127) sits in the header where an
/// ordinary wallet keeps its password, and the PKCS#12 is encrypted under the first 16 bytes
/// of HMAC-SHA1(short host + user, S) with the go-ora byte mapping.
/// Version 7 (module docs): a random key K and the SSV mask in a 112-byte header.
pub fn write_local(
    wallet: &Wallet,
    identity: &LocalIdentity,
    format: &LocalFormat,
    mac_salt: Option<&[u8]>,
) -> Result<Vec<u8>, SsoError> {
    let LocalFormat::V7(ssvs) = format else {
        let seed = new_internal_password();
        let password = local_password(&seed, identity, Mapping::GoOra);
        return assemble(wallet, SsoKind::Local, &seed, &password, mac_salt);
    };
    let key = Zeroizing::new(crate::random::bytes(V7_KEY_LEN));
    let password = v7_password(&key, ssvs, identity)?;
    let pfx = match mac_salt {
        Some(salt) => p12::write_with_mac_salt(wallet, &password, salt)?,
        None => p12::write(wallet, &password)?,
    };
    let padded = |name: &str| -> Result<Vec<u8>, SsoError> {
        if name.len() > V7_NAME_LEN {
            return Err(SsoError::BadHeader(format!(
                "interface name {name:?} is longer than 32 bytes"
            )));
        }
        let mut field = name.as_bytes().to_vec();
        field.resize(V7_NAME_LEN, 0);
        Ok(field)
    };
    let mut out = Vec::with_capacity(V7_PFX_OFFSET + pfx.len());
    out.extend_from_slice(&MAGIC);
    out.push(SsoKind::Local.byte());
    out.extend_from_slice(&VERSION_LOCAL_V7.to_be_bytes());
    out.extend_from_slice(&V7_N.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&ssvs.mask.to_be_bytes());
    out.extend_from_slice(&key);
    out.extend_from_slice(&padded(&ssvs.mac0)?);
    out.extend_from_slice(&padded(&ssvs.mac1)?);
    debug_assert_eq!(out.len(), V7_PFX_OFFSET);
    out.extend_from_slice(&pfx);
    Ok(out)
}

/// Header (kind, AES-wrapped `header_secret`) followed by the PKCS#12 under `pkcs12_password`.
fn assemble(
    wallet: &Wallet,
    kind: SsoKind,
    header_secret: &[u8],
    pkcs12_password: &[u8],
    mac_salt: Option<&[u8]>,
) -> Result<Vec<u8>, SsoError> {
    let key = crate::random::bytes(16);
    let wrapped = cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &AES_IV)
        .map_err(|e| SsoError::BadHeader(e.to_string()))?
        .encrypt_padded_vec::<NoPadding>(header_secret);
    let pfx = match mac_salt {
        Some(salt) => p12::write_with_mac_salt(wallet, pkcs12_password, salt)?,
        None => p12::write(wallet, pkcs12_password)?,
    };
    let n = (1 + key.len() + wrapped.len()) as u32;
    let mut out = Vec::with_capacity(12 + n as usize + pfx.len());
    out.extend_from_slice(&MAGIC);
    out.push(kind.byte());
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.push(SCHEME_AES);
    out.extend_from_slice(&key);
    out.extend_from_slice(&wrapped);
    out.extend_from_slice(&pfx);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_des_header_unwraps_hex_des() {
        // Hex-text DES key and ciphertext, zero IV, PKCS#5 padding (spec §2.4).
        let key = b"0123456789ABCDEF";
        let pw = [7u8; 16];
        let ct = cbc::Encryptor::<des::Des>::new_from_slices(&hex::decode(key).unwrap(), &[0u8; 8])
            .unwrap()
            .encrypt_padded_vec::<Pkcs7>(&pw);
        let body = [key.as_slice(), hex::encode_upper(&ct).as_bytes()].concat();
        assert_eq!(&unwrap_des_hex(&body).unwrap()[..], &pw);
    }

    #[test]
    fn a_local_wallet_keeps_its_seed_in_the_header_and_opens_only_for_its_identity() {
        let wallet = Wallet::new(super::super::model::Profile::three_des());
        let id = LocalIdentity {
            host: "db1.example.com".into(),
            user: "oracle".into(),
            machine_id: None,
        };
        let bytes = write_local(&wallet, &id, &LocalFormat::V6, None).unwrap();
        assert_eq!(&bytes[..4], &[0xA1, 0xF8, 0x4E, 0x38]);
        let header = parse_header(&bytes).unwrap();
        assert!(header.password.iter().all(|&b| (1..=127).contains(&b)));
        // The PKCS#12 opens under the derived password, not under the seed itself.
        let pfx = &bytes[header.pfx_offset..];
        assert!(p12::read(pfx, &header.password).is_err());
        assert!(p12::read(pfx, &local_pkcs12_password(&header.password, &id)).is_ok());
        let short = LocalIdentity {
            host: "db1".into(),
            user: "oracle".into(),
            machine_id: None,
        };
        let opened = read(&bytes, Some(&short)).unwrap();
        assert_eq!(opened.local.unwrap().1, Mapping::GoOra);
        let other = LocalIdentity {
            host: "db1".into(),
            user: "grid".into(),
            machine_id: None,
        };
        assert!(matches!(
            read(&bytes, Some(&other)),
            Err(SsoError::LocalWrongIdentity { .. })
        ));
        assert!(matches!(
            write(&wallet, SsoKind::Local, None),
            Err(SsoError::LocalNeedsIdentity)
        ));
    }

    /// A version-7 header laid out as orapki 23.26 wrote one (mask 0x13, no MAC names),
    /// with K = 00 01 .. 1f; the password was computed with Python's hashlib/hmac/base64 from
    /// the derivation in the module docs, for host "vm", user "root" and this machine id.
    #[test]
    fn version_7_password_matches_an_independent_derivation() {
        let key: Vec<u8> = (0..32u8).collect();
        let id = LocalIdentity {
            host: "vm.example.com".into(),
            user: "root".into(),
            machine_id: Some("3D1219C7C4C5404AAA1F6D2A48ADFDA4\n".into()),
        };
        let pw = v7_password(&key, &Ssvs::orapki_default(), &id).unwrap();
        assert_eq!(
            std::str::from_utf8(&pw).unwrap(),
            "avNvBbsYvAEwXYnNoiozVOlL6xrfEzAuLgpmg/UTkT8="
        );
        let no_machine = LocalIdentity {
            machine_id: None,
            ..id.clone()
        };
        assert!(matches!(
            v7_password(&key, &Ssvs::orapki_default(), &no_machine),
            Err(SsoError::LocalNeedsMachineId)
        ));
        let bios = Ssvs {
            mask: Ssvs::HOST | Ssvs::BIOS_UUID,
            ..Ssvs::orapki_default()
        };
        assert!(
            matches!(v7_password(&key, &bios, &id), Err(SsoError::UnsupportedSsv(n)) if n == "SSV_BIOS_UUID")
        );
    }

    #[test]
    fn a_version_7_wallet_is_read_and_written_again_as_version_7() {
        let wallet = Wallet::new(super::super::model::Profile::aes256());
        let id = LocalIdentity {
            host: "db1".into(),
            user: "oracle".into(),
            machine_id: Some("0123456789abcdef0123456789abcdef".into()),
        };
        let bytes = write_local(&wallet, &id, &LocalFormat::newest(), None).unwrap();
        assert_eq!(
            hex::encode(&bytes[..16]),
            "a1f84e38000000070000006400000013"
        );
        assert_eq!(&bytes[48..112], &[0u8; 64][..]);
        let opened = read(&bytes, Some(&id)).unwrap();
        assert_eq!(opened.header.pfx_offset, 112);
        assert_eq!(LocalFormat::of(&opened.header), LocalFormat::newest());
        let elsewhere = LocalIdentity {
            machine_id: Some("ffffffffffffffffffffffffffffffff".into()),
            ..id
        };
        assert!(matches!(
            read(&bytes, Some(&elsewhere)),
            Err(SsoError::LocalWrongMachine { .. })
        ));
    }

    #[test]
    fn internal_passwords_stay_in_1_to_127() {
        for _ in 0..50 {
            assert!(
                new_internal_password()
                    .iter()
                    .all(|&b| (1..=127).contains(&b))
            );
        }
    }
}
