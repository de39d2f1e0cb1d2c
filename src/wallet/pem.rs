//! `ewallet.pem` for thin-mode drivers (wallet-formats.md §4): the private key as PKCS#8
//! (encrypted with PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC, random salt and IV, when a
//! password is given), then the user certificate, then the CA certificates. python-oracledb
//! trusts every certificate in the file and takes the first key and certificate as its
//! own identity, so a file of CA certificates alone serves one-way TLS.

use zeroize::Zeroizing;

use super::certs;
use super::model::{Item, Wallet};
use crate::pki::key::PrivateKey;
use crate::secret::Password;

#[derive(Debug, thiserror::Error)]
pub enum PemError {
    #[error("the wallet holds no certificate, so there is nothing to put in ewallet.pem")]
    Empty,
    #[error(
        "the wallet holds {0} user certificates with keys; ewallet.pem carries one: remove the others first"
    )]
    SeveralIdentities(usize),
    #[error("the wallet's private key cannot be used: {0}")]
    Key(#[from] crate::pki::Error),
}

/// What an `ewallet.pem` will contain, before the key is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PemContent {
    /// A private key, its certificate and the CA certificates.
    Identity,
    /// CA certificates only (a trust-only wallet).
    TrustOnly,
}

/// Whether the wallet has a key with a user certificate (needs a key-protection choice).
pub fn content_of(wallet: &Wallet) -> Result<PemContent, PemError> {
    match wallet.user_cert_indices().len() {
        0 if wallet.trusted_indices().is_empty() => Err(PemError::Empty),
        0 => Ok(PemContent::TrustOnly),
        1 => Ok(PemContent::Identity),
        n => Err(PemError::SeveralIdentities(n)),
    }
}

/// The `ewallet.pem` text of `wallet`. `key_password` encrypts the key; `None` writes it
/// unencrypted (`BEGIN PRIVATE KEY`). A trust-only wallet gives its CA certificates.
pub fn ewallet_pem(
    wallet: &Wallet,
    key_password: Option<&Password>,
) -> Result<Zeroizing<String>, PemError> {
    // Sized up front (PEM is 4/3 of the DER plus line breaks and labels): growing the
    // buffer would free unwiped copies of the key's PEM.
    let der_len: usize = wallet
        .entries
        .iter()
        .map(|e| match &e.item {
            Item::PrivateKey(d) => d.len() * 2,
            Item::Certificate(d) => d.len(),
            _ => 0,
        })
        .sum();
    let mut out = Zeroizing::new(String::with_capacity(der_len * 2 + 1024));
    if content_of(wallet)? == PemContent::Identity {
        let cert_index = wallet.user_cert_indices()[0];
        let id = wallet.entries[cert_index].local_key_id.clone();
        let key_der = wallet.entries.iter().find_map(|e| match &e.item {
            // A trust-flag wallet's user certificate id carries USER_CERT; the key's not.
            Item::PrivateKey(der)
                if super::model::same_id(e.local_key_id.as_deref(), id.as_deref()) =>
            {
                Some(der)
            }
            _ => None,
        });
        if let (Some(der), Item::Certificate(cert)) = (key_der, &wallet.entries[cert_index].item) {
            let key = PrivateKey::from_pem_or_der(der, None)?;
            out.push_str(&key.to_pkcs8_pem(key_password)?);
            out.push_str(&certs::to_pem(cert));
        }
    }
    for i in wallet.trusted_indices() {
        if let Item::Certificate(der) = &wallet.entries[i].item {
            out.push_str(&certs::to_pem(der));
        }
    }
    Ok(out)
}

/// An `ewallet.pem` of CA certificates only.
pub fn trust_pem(ca_ders: &[Vec<u8>]) -> String {
    ca_ders.iter().map(|d| certs::to_pem(d)).collect()
}
