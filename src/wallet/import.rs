//! Bringing a key and its certificate from elsewhere into a wallet: from a PKCS#12/PFX
//! of any common layout (OpenSSL, Windows, Java keytool, orapki's own `ewallet.p12`) or
//! from a PEM key + certificate + chain, laid out as orapki lays them out.
//!
//! orapki's layouts (observed with orapki 19.33 and 23.26 on the same inputs):
//! - `import_pkcs12`: the keyBag (kind 1), the CA certificates as trusted certificates
//!   (kind 3, no friendlyName, root first), then the user certificate (sharing the key's
//!   id and friendlyName). No certificate request.
//! - `import_private_key`: the same plus a certificate request (kind 2) for the key, so
//!   orapki `replace -user_cert` (which looks for a request) works on it later.
//!
//! Before anything changes: the key must match the certificate, and the chain must reach
//! a self-signed root among the file's certificates, the extra chain files and the
//! wallet's own certificates; otherwise the missing issuer is named.

use der::Decode;
use x509_cert::Certificate;
use zeroize::Zeroizing;

use super::certs::{dn_rfc2253, subject_of};
use super::chain::{self, Chain, ChainError};
use super::local_key_id::{IdKind, LocalKeyId};
use super::model::{Added, Entry, Item, ModelError, Wallet};
use super::p12::{self, P12Error};
use crate::pki::key::PrivateKey;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    P12(#[from] P12Error),
    #[error(
        "it holds no private key (a truststore or a certificate bundle); import needs a key and its certificate"
    )]
    NoKey,
    #[error("it holds {count} private keys ({names}); choose one with --pkcs12-alias")]
    SeveralKeys { count: usize, names: String },
    #[error("it holds no private key with the friendly name {0:?} (it has: {1})")]
    NoSuchAlias(String, String),
    #[error("its private key cannot be used: {0}")]
    BadKey(String),
    #[error("it holds no certificate for its private key; give the certificate with --cert")]
    NoCertificate,
    #[error(
        "the private key does not match the certificate \"{0}\": the certificate was issued for another key"
    )]
    KeyMismatch(String),
    #[error(
        "the chain of \"{subject}\" is incomplete: the certificate of its issuer \"{issuer}\" is missing; give it with --chain FILE (a PEM bundle of the CA certificates)"
    )]
    IncompleteChain { subject: String, issuer: String },
    #[error("{0}")]
    Chain(#[from] ChainError),
    #[error(
        "the wallet already holds this private key (user certificate \"{0}\"); to install a renewed certificate use `orakit wallet replace`"
    )]
    KeyAlreadyThere(String),
    #[error("{0}")]
    Model(#[from] ModelError),
}

/// A key and its certificate, with the other certificates that came with them.
pub struct Identity {
    pub key: PrivateKey,
    pub certificate: Vec<u8>,
    /// Every other certificate of the source (CA certificates, usually).
    pub others: Vec<Vec<u8>>,
    /// The friendly name the key had in the source, if any.
    pub source_name: Option<String>,
}

/// Picks the key (by `alias` when given, else the only one) and its certificate (the one
/// carrying the key's public key) out of a PKCS#12 file.
pub fn from_pkcs12(
    bytes: &[u8],
    password: &[u8],
    alias: Option<&str>,
) -> Result<Identity, ImportError> {
    let decoded = p12::read(bytes, password)?;
    let entries = decoded.wallet.entries;
    let keys: Vec<&Entry> = entries
        .iter()
        .filter(|e| matches!(e.item, Item::PrivateKey(_)))
        .collect();
    let names = || {
        keys.iter()
            .map(|e| format!("{:?}", e.friendly_name.as_deref().unwrap_or("(no name)")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match (alias, keys.as_slice()) {
        (_, []) => return Err(ImportError::NoKey),
        (Some(a), _) => *keys
            .iter()
            .find(|e| e.friendly_name.as_deref() == Some(a))
            .ok_or_else(|| ImportError::NoSuchAlias(a.to_owned(), names()))?,
        (None, [one]) => *one,
        (None, many) => {
            return Err(ImportError::SeveralKeys {
                count: many.len(),
                names: names(),
            });
        }
    };
    let Item::PrivateKey(pkcs8) = &chosen.item else {
        return Err(ImportError::NoKey);
    };
    let key =
        PrivateKey::from_pem_or_der(pkcs8, None).map_err(|e| ImportError::BadKey(e.to_string()))?;
    let certs: Vec<Vec<u8>> = entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Certificate(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    let certificate = certs
        .iter()
        .find(|d| {
            Certificate::from_der(d).is_ok_and(|c| {
                key.matches(c.tbs_certificate().subject_public_key_info())
                    .unwrap_or(false)
            })
        })
        .cloned()
        .ok_or(ImportError::NoCertificate)?;
    let others = certs.into_iter().filter(|d| *d != certificate).collect();
    Ok(Identity {
        key,
        certificate,
        others,
        source_name: chosen.friendly_name.clone(),
    })
}

/// What an import changes, for the caller's report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Imported {
    pub user_certificate: String,
    pub key: String,
    pub friendly_name: String,
    /// Subjects of the CA certificates added as trusted, root first.
    pub trusted_added: Vec<String>,
    /// Subjects of chain certificates the wallet already trusted.
    pub trusted_present: Vec<String>,
    /// Subjects of certificates in the input that are not in the chain (not imported).
    pub ignored: Vec<String>,
    pub request_added: bool,
}

/// Checks the identity against the wallet and, when all is well, adds it: the key (with
/// a request when `request_der` is given), the missing chain certificates as trusted
/// (root first) and the user certificate. On error `wallet` is unchanged.
pub fn import(
    wallet: &mut Wallet,
    identity: &Identity,
    request_der: Option<&[u8]>,
    friendly_name: &str,
) -> Result<Imported, ImportError> {
    let cert = Certificate::from_der(&identity.certificate)
        .map_err(|e| ModelError::BadCertificate(e.to_string()))?;
    let tbs = cert.tbs_certificate();
    let subject = dn_rfc2253(tbs.subject());
    if !identity
        .key
        .matches(tbs.subject_public_key_info())
        .map_err(|e| ImportError::BadKey(e.to_string()))?
    {
        return Err(ImportError::KeyMismatch(subject));
    }
    let pkcs8 = identity
        .key
        .to_pkcs8_der()
        .map_err(|e| ImportError::BadKey(e.to_string()))?;
    let spki = super::keys::public_key_der(&pkcs8)
        .ok_or_else(|| ImportError::BadKey("its public key cannot be computed".into()))?;
    if let Some(i) = wallet.key_for_public_key(&spki) {
        let id = wallet.entries[i].local_key_id.clone();
        let shown = wallet
            .entries
            .iter()
            .enumerate()
            .find(|(j, e)| {
                wallet.is_user_certificate(*j)
                    && super::model::same_id(e.local_key_id.as_deref(), id.as_deref())
            })
            .map_or_else(
                || "none yet".to_owned(),
                |(_, e)| match &e.item {
                    Item::Certificate(d) => subject_of(d),
                    _ => String::new(),
                },
            );
        return Err(ImportError::KeyAlreadyThere(shown));
    }
    let mut pool = identity.others.clone();
    pool.extend(wallet.entries.iter().filter_map(|e| match &e.item {
        Item::Certificate(d) => Some(d.clone()),
        _ => None,
    }));
    let issuers = match chain::build(&identity.certificate, &pool)? {
        Chain::Complete(issuers) => issuers,
        Chain::Missing {
            subject, issuer, ..
        } => return Err(ImportError::IncompleteChain { subject, issuer }),
    };
    let ignored = identity
        .others
        .iter()
        .filter(|d| !issuers.contains(d))
        .map(|d| subject_of(d))
        .collect();

    let mut changed = wallet.clone();
    // orapki lays an import out as key (and request), CA certificates, user certificate;
    // new bags are appended, so the key goes in first.
    match request_der {
        Some(request) => {
            changed.add_key_with_request(&pkcs8, request, friendly_name)?;
        }
        None => add_key(&mut changed, &pkcs8, friendly_name),
    }
    let (mut trusted_added, mut trusted_present) = (Vec::new(), Vec::new());
    // Root first, as orapki import_pkcs12 orders them. A self-signed certificate is its
    // own root and is trusted too, as orapki `add -self_signed` keeps it.
    let mut to_trust: Vec<&Vec<u8>> = issuers.iter().rev().collect();
    if issuers.is_empty() {
        to_trust.push(&identity.certificate);
    }
    for ca in to_trust {
        match changed.add_trusted(ca)? {
            Added::Added => trusted_added.push(subject_of(ca)),
            Added::AlreadyPresent => trusted_present.push(subject_of(ca)),
        }
    }
    changed.install_user_certificate(&identity.certificate)?;
    *wallet = changed;
    Ok(Imported {
        user_certificate: subject,
        key: identity.key.description(),
        friendly_name: friendly_name.to_owned(),
        trusted_added,
        trusted_present,
        ignored,
        request_added: request_der.is_some(),
    })
}

/// A keyBag (kind 1) without a request, after the wallet's other keys and requests.
fn add_key(wallet: &mut Wallet, pkcs8: &[u8], friendly_name: &str) {
    let index = wallet.next_index(&[IdKind::KeyAndUserCert, IdKind::Request]);
    let entry = Entry {
        item: Item::PrivateKey(Zeroizing::new(pkcs8.to_vec())),
        friendly_name: Some(friendly_name.to_owned()),
        local_key_id: Some(LocalKeyId::new(IdKind::KeyAndUserCert, index).to_bytes()),
        other_attributes: Vec::new(),
    };
    let at = wallet
        .entries
        .iter()
        .take_while(|e| matches!(e.item, Item::PrivateKey(_) | Item::CertificateRequest(_)))
        .count();
    wallet.entries.insert(at, entry);
}
