//! Renewal: which hosts' certificates expire soon, and the key a renewal keeps (read
//! back from the host's own `ewallet.p12`, so the key never exists anywhere else).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use der::Encode;
use thiserror::Error;

use super::host_bundle::{CERT_FILE, WALLET_DIR};
use crate::pki::key::PrivateKey;
use crate::pki::{Certificate, cert};
use crate::secret::Password;
use crate::wallet::model::Item;
use crate::wallet::p12;
use crate::wallet::store::P12_NAME;

#[derive(Debug, Error)]
pub enum RenewError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Certificate {
        path: PathBuf,
        source: crate::pki::Error,
    },
    #[error("{}: {source}; give the password the wallets were issued with", path.display())]
    Wallet {
        path: PathBuf,
        source: p12::P12Error,
    },
    #[error(
        "{} holds no private key for the certificate in {}; issue this host afresh \
         (move its directory away)", wallet.display(), cert.display()
    )]
    NoKey { wallet: PathBuf, cert: PathBuf },
    #[error(
        "{} has no MAC (no integrity protection): it was not written by orakit and is not \
         renewed; issue this host afresh (move its directory away)", .0.display()
    )]
    NoMac(PathBuf),
    #[error("{}: the private key cannot be used: {source}", path.display())]
    Key {
        path: PathBuf,
        source: crate::pki::Error,
    },
}

/// Whether `certificate` ends within `days` days of `now` (or has already ended).
pub fn expires_within(certificate: &Certificate, days: u32, now: SystemTime) -> bool {
    let not_after = certificate
        .tbs_certificate()
        .validity()
        .not_after
        .to_system_time();
    not_after <= now + Duration::from_secs(u64::from(days) * 86_400)
}

/// Reads a complete host's certificate (`server.pem`).
pub fn read_host_certificate(host_dir: &Path) -> Result<Certificate, RenewError> {
    let path = host_dir.join(CERT_FILE);
    let bytes = fs::read(&path).map_err(|source| RenewError::Read {
        path: path.clone(),
        source,
    })?;
    cert::read_certificate(&bytes).map_err(|source| RenewError::Certificate { path, source })
}

/// The private key of `certificate`, read from the host's `ewallet.p12`.
pub fn read_host_key(
    host_dir: &Path,
    certificate: &Certificate,
    password: &Password,
) -> Result<PrivateKey, RenewError> {
    let wallet_path = host_dir.join(WALLET_DIR).join(P12_NAME);
    let bytes =
        zeroize::Zeroizing::new(fs::read(&wallet_path).map_err(|source| RenewError::Read {
            path: wallet_path.clone(),
            source,
        })?);
    let decoded = p12::read(&bytes, password.as_bytes()).map_err(|source| RenewError::Wallet {
        path: wallet_path.clone(),
        source,
    })?;
    if decoded.mac.is_none() {
        return Err(RenewError::NoMac(wallet_path));
    }
    let no_key = || RenewError::NoKey {
        wallet: wallet_path.clone(),
        cert: host_dir.join(CERT_FILE),
    };
    let spki = certificate
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|_| no_key())?;
    let index = decoded
        .wallet
        .key_for_public_key(&spki)
        .ok_or_else(no_key)?;
    let Item::PrivateKey(pkcs8) = &decoded.wallet.entries[index].item else {
        return Err(no_key());
    };
    let key = PrivateKey::from_pem_or_der(pkcs8, None).map_err(|source| RenewError::Key {
        path: wallet_path.clone(),
        source,
    })?;
    // The wallet found the key through its request; make sure it really is this one.
    match key.matches(certificate.tbs_certificate().subject_public_key_info()) {
        Ok(true) => Ok(key),
        _ => Err(no_key()),
    }
}
