//! `wallet display --json`: everything orakit knows of a wallet — files, sso header,
//! MAC and PBE parameters, every entry with its ids, certificate details and trust flags.

use serde::Serialize;

use super::certs::{self, CertDetails};
use super::display::pending_requests;
use super::keys;
use super::local_key_id::LocalKeyId;
use super::model::Item;
use super::p12::{MacInfo, SafeInfo};
use super::sso::{Mapping, Scheme, SsoKind};
use super::store::{Opened, WalletType};
use crate::pbe::{Algorithm, EncryptionParams, Pbes2Cipher, Prf};

#[derive(Debug, Serialize)]
pub struct Report {
    pub file: String,
    pub file_size: usize,
    /// `password`, `auto-login`, `auto-login-only`, `local-auto-login`; null when one file was named.
    pub wallet_type: Option<WalletType>,
    pub container: &'static str,
    pub sso: Option<SsoReport>,
    pub encryption: Option<EncryptionReport>,
    pub safes: Vec<SafeReport>,
    pub mac: Option<MacInfo>,
    pub counts: Counts,
    /// orapki's configuration marker (`-with_trust_flags`, `-compat_v12`), when present.
    pub configuration: Option<super::config_marker::WalletConfig>,
    pub requested_certificates: Vec<RequestReport>,
    pub user_certificates: Vec<CertReport>,
    pub trusted_certificates: Vec<CertReport>,
    pub private_keys: Vec<KeyReport>,
    pub secrets: Vec<SecretReport>,
    pub other_bags: Vec<OtherReport>,
}

#[derive(Debug, Serialize)]
pub struct SsoReport {
    /// The kind byte as `0x36` / `0x37` / `0x38`.
    pub kind_byte: String,
    pub kind: &'static str,
    pub scheme: Scheme,
    /// 6, or 7 for orapki's newer local auto-login header.
    pub header_version: u32,
    /// Version 7: orapki's names of the values the wallet is bound to.
    pub local_ssvs: Option<Vec<&'static str>>,
    pub header_length: u32,
    pub pkcs12_offset: usize,
    /// For a local auto-login wallet: the short host name and OS user it opened with.
    pub local_host: Option<String>,
    pub local_user: Option<String>,
    /// For a local auto-login wallet: the byte mapping that verified the MAC.
    pub local_mapping: Option<Mapping>,
}

#[derive(Debug, Serialize)]
pub struct EncryptionReport {
    pub algorithm: &'static str,
    pub prf: Option<Prf>,
    pub cipher: Option<Pbes2Cipher>,
    pub salt_length: usize,
    pub iterations: u64,
}

impl From<&EncryptionParams> for EncryptionReport {
    fn from(p: &EncryptionParams) -> Self {
        let (prf, cipher) = match p.algorithm {
            Algorithm::Pbes2 { prf, cipher, .. } => (Some(prf), Some(cipher)),
            _ => (None, None),
        };
        Self {
            algorithm: p.algorithm.name(),
            prf,
            cipher,
            salt_length: p.salt_length,
            iterations: p.iterations,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SafeReport {
    pub content_type: &'static str,
    pub encryption: Option<EncryptionReport>,
    pub bag_count: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub private_keys: usize,
    pub user_certificates: usize,
    pub requested_certificates: usize,
    pub trusted_certificates: usize,
    pub secrets: usize,
    pub other_bags: usize,
    pub total_bags: usize,
}

#[derive(Debug, Serialize)]
pub struct EntryIds {
    pub friendly_name: Option<String>,
    pub local_key_id: Option<String>,
    /// `kind` and `index` of an Oracle-structured localKeyId.
    pub oracle_kind: Option<u32>,
    pub oracle_index: Option<u32>,
    /// Trust flags in orapki's spelling (`SERVER_AUTH`, ...), when the id holds any.
    pub trust_flags: Option<Vec<String>>,
}

fn ids(entry: &super::model::Entry) -> EntryIds {
    let parsed = entry.local_key_id.as_deref().and_then(LocalKeyId::parse);
    EntryIds {
        friendly_name: entry.friendly_name.clone(),
        local_key_id: entry.local_key_id.as_ref().map(hex::encode),
        oracle_kind: parsed.map(|p| p.kind),
        oracle_index: parsed.map(|p| p.index),
        trust_flags: parsed
            .map(|p| p.trust_flags())
            .filter(|f| !f.is_empty())
            .map(|f| f.names()),
    }
}

#[derive(Debug, Serialize)]
pub struct CertReport {
    #[serde(flatten)]
    pub ids: EntryIds,
    #[serde(flatten)]
    pub details: Option<CertDetails>,
    /// Whole days from now to `not_after`, rounded down (negative: expired), as
    /// `orakit expiry` counts them.
    pub days_left: Option<i64>,
    pub error: Option<String>,
}

/// Days left of a certificate at `now_unix`.
fn days_left_of(der: &[u8], now_unix: i64) -> Option<i64> {
    use der::Decode;
    let certificate = x509_cert::Certificate::from_der(der).ok()?;
    Some(crate::expiry::days_left(
        crate::expiry::not_after_unix(&certificate),
        now_unix,
    ))
}

#[derive(Debug, Serialize)]
pub struct RequestReport {
    #[serde(flatten)]
    pub ids: EntryIds,
    pub subject: String,
    pub key_type: Option<String>,
    pub key_size: Option<u32>,
    /// False once a user certificate for the request's key is in the wallet.
    pub pending: bool,
}

#[derive(Debug, Serialize)]
pub struct KeyReport {
    #[serde(flatten)]
    pub ids: EntryIds,
    pub key_type: String,
    pub key_size: Option<u32>,
    pub has_user_certificate: bool,
}

#[derive(Debug, Serialize)]
pub struct SecretReport {
    #[serde(flatten)]
    pub ids: EntryIds,
    pub type_id: String,
    pub alias: String,
    /// Characters in the value.
    pub value_length: usize,
    /// Only with `--show-secrets`.
    pub value: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OtherReport {
    #[serde(flatten)]
    pub ids: EntryIds,
    pub bag_id: String,
    pub value_length: usize,
}

/// Builds the JSON report of an opened wallet.
pub fn report(opened: &Opened, show_secrets: bool) -> Report {
    let src = &opened.source;
    let wallet = &src.pkcs12.wallet;
    let mut counts = Counts {
        total_bags: wallet.entries.len(),
        ..Counts::default()
    };
    let now_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let cert_report = |i: usize| {
        let entry = &wallet.entries[i];
        let Item::Certificate(der) = &entry.item else {
            unreachable!("only certificates are passed")
        };
        match certs::details(der) {
            Ok(d) => CertReport {
                ids: ids(entry),
                details: Some(d),
                days_left: days_left_of(der, now_unix),
                error: None,
            },
            Err(e) => CertReport {
                ids: ids(entry),
                details: None,
                days_left: None,
                error: Some(e.to_string()),
            },
        }
    };
    let user_certificates: Vec<_> = wallet
        .user_cert_indices()
        .into_iter()
        .map(cert_report)
        .collect();
    let trusted_certificates: Vec<_> = wallet
        .trusted_indices()
        .into_iter()
        .map(cert_report)
        .collect();
    let pending = pending_requests(wallet);
    let mut requested = Vec::new();
    let mut keys_out = Vec::new();
    let mut secrets = Vec::new();
    let mut other = Vec::new();
    for (i, entry) in wallet.entries.iter().enumerate() {
        match &entry.item {
            Item::CertificateRequest(der) => {
                let spki = x509_cert::request::CertReq::try_from(der.as_slice())
                    .ok()
                    .map(|r| keys::describe_spki(&r.info.public_key));
                requested.push(RequestReport {
                    ids: ids(entry),
                    subject: certs::request_subject(der),
                    key_type: spki.as_ref().map(|s| s.0.clone()),
                    key_size: spki.and_then(|s| s.1),
                    pending: pending.contains(&i),
                });
            }
            Item::PrivateKey(der) => {
                let (key_type, key_size) = keys::describe_private_key(der);
                let has_user_certificate = wallet.user_cert_indices().iter().any(|&u| {
                    super::model::same_id(
                        wallet.entries[u].local_key_id.as_deref(),
                        entry.local_key_id.as_deref(),
                    )
                });
                keys_out.push(KeyReport {
                    ids: ids(entry),
                    key_type,
                    key_size,
                    has_user_certificate,
                });
            }
            Item::Secret {
                type_id,
                alias,
                value,
            } => secrets.push(SecretReport {
                ids: ids(entry),
                type_id: type_id.to_string(),
                alias: alias.clone(),
                value_length: value.chars().count(),
                value: show_secrets.then(|| value.to_string()),
            }),
            Item::Opaque { bag_id, value } => other.push(OtherReport {
                ids: ids(entry),
                bag_id: bag_id.to_string(),
                value_length: value.len(),
            }),
            Item::Certificate(_) => {}
        }
    }
    counts.private_keys = keys_out.len();
    counts.user_certificates = user_certificates.len();
    counts.requested_certificates = requested.len();
    counts.trusted_certificates = trusted_certificates.len();
    counts.secrets = secrets.len();
    counts.other_bags = other.len();
    let sso = src.sso_header.as_ref().map(|h| SsoReport {
        kind_byte: format!("0x{:02x}", h.kind_byte),
        kind: match SsoKind::from_byte(h.kind_byte) {
            Some(SsoKind::AutoLogin) => "auto-login",
            Some(SsoKind::AutoLoginOnly) => "auto-login-only",
            _ => "local-auto-login",
        },
        scheme: h.scheme,
        header_version: h.version,
        local_ssvs: h.ssvs.as_ref().map(|s| s.names()),
        header_length: h.n,
        pkcs12_offset: h.pfx_offset,
        local_host: src.local.as_ref().map(|l| l.0.short_host().to_owned()),
        local_user: src.local.as_ref().map(|l| l.0.user.clone()),
        local_mapping: src.local.as_ref().map(|l| l.1),
    });
    let safes: Vec<SafeReport> = src
        .pkcs12
        .safes
        .iter()
        .map(|s: &SafeInfo| SafeReport {
            content_type: s.content_type,
            encryption: s.encryption.as_ref().map(EncryptionReport::from),
            bag_count: s.bag_count,
        })
        .collect();
    Report {
        file: src.file.display().to_string(),
        file_size: src.size,
        wallet_type: opened.wallet_type,
        container: if sso.is_some() {
            "cwallet.sso"
        } else {
            "pkcs12"
        },
        sso,
        encryption: src
            .pkcs12
            .safes
            .iter()
            .find_map(|s| s.encryption.as_ref())
            .map(EncryptionReport::from),
        safes,
        mac: src.pkcs12.mac.clone(),
        counts,
        configuration: super::config_marker::find(wallet).map(|(_, c)| c),
        requested_certificates: requested,
        user_certificates,
        trusted_certificates,
        private_keys: keys_out,
        secrets,
        other_bags: other,
    }
}
