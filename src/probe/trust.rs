//! The trust material a probe checks the chain against: a CA file (PEM bundle or DER), or
//! the trusted certificates of any wallet orakit reads (`cwallet.sso`, `ewallet.p12`, or a
//! thin driver's `ewallet.pem`).

use std::io;
use std::path::{Path, PathBuf};

use crate::secret::Password;
use crate::wallet::certs::read_certificates;
use crate::wallet::model::Item;
use crate::wallet::store::{self, StoreError, WalletPaths};

pub const PEM_WALLET_NAME: &str = "ewallet.pem";

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{}: {source}", path.display())]
    Certificates {
        path: PathBuf,
        source: crate::pki::Error,
    },
    #[error(transparent)]
    Wallet(#[from] StoreError),
    #[error("{}: {source}", path.display())]
    Foreign {
        path: PathBuf,
        source: crate::wallet::foreign::ForeignError,
    },
    #[error(
        "{} holds no trusted certificate to verify the server with (add the CA with `orakit wallet add-trusted`)",
        .0.display()
    )]
    NoTrusted(PathBuf),
}

/// Certificates to trust, and where they came from (for the report).
#[derive(Debug, Clone)]
pub struct TrustAnchors {
    pub source: PathBuf,
    /// DER certificates.
    pub certificates: Vec<Vec<u8>>,
}

/// Every certificate in a PEM bundle or DER file.
pub fn from_ca_file(path: &Path) -> Result<TrustAnchors, TrustError> {
    let bytes = crate::limits::read_file(path, crate::limits::MAX_PKI_FILE, "certificate files")
        .map_err(|source| TrustError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let certificates = read_certificates(&bytes).map_err(|source| TrustError::Certificates {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(TrustAnchors {
        source: path.to_path_buf(),
        certificates,
    })
}

/// The trusted certificates of the wallet in `dir` (or the wallet file `dir` names).
/// A password-only wallet needs `password`; auto-login wallets open without one.
pub fn from_wallet(dir: &Path, password: Option<&Password>) -> Result<TrustAnchors, TrustError> {
    if let Some(opened) = open_foreign(dir, password)? {
        return anchors_of(opened);
    }
    let paths = WalletPaths::locate(dir)?;
    let pem = paths.dir.join(PEM_WALLET_NAME);
    if paths.named_file.is_none() && paths.existing_type()?.is_none() && pem.is_file() {
        let mut anchors = from_ca_file(&pem)?;
        anchors.source = pem;
        return Ok(anchors);
    }
    anchors_of(store::open(&paths, password, None)?)
}

/// A wallet zip, a Java key store or a file named ewallet.pem, read in place
/// (read-only) as `wallet display` reads them; `None` for anything else.
fn open_foreign(
    path: &Path,
    password: Option<&Password>,
) -> Result<Option<store::Opened>, TrustError> {
    use crate::wallet::foreign::{self, Form};
    let oracle_name = path
        .file_name()
        .is_some_and(|n| n == "ewallet.p12" || n == "cwallet.sso");
    if oracle_name || !path.is_file() {
        return Ok(None);
    }
    let bytes = crate::limits::read_file(path, crate::limits::MAX_WALLET_FILE, "wallet file")
        .map_err(|source| TrustError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let Some(form) = foreign::detect(&bytes) else {
        return Ok(None);
    };
    // Any other PEM file is a CA file (--ca-cert), not a wallet.
    if form == Form::Pem && path.file_name().is_none_or(|n| n != PEM_WALLET_NAME) {
        return Ok(None);
    }
    foreign::open(path, &bytes, form, password)
        .map(Some)
        .map_err(|source| TrustError::Foreign {
            path: path.to_path_buf(),
            source,
        })
}

fn anchors_of(opened: store::Opened) -> Result<TrustAnchors, TrustError> {
    let wallet = opened.wallet();
    let certificates: Vec<Vec<u8>> = wallet
        .trusted_indices()
        .into_iter()
        .filter_map(|i| match &wallet.entries[i].item {
            Item::Certificate(der) => Some(der.clone()),
            _ => None,
        })
        .collect();
    if certificates.is_empty() {
        return Err(TrustError::NoTrusted(opened.source.file));
    }
    Ok(TrustAnchors {
        source: opened.source.file,
        certificates,
    })
}
