//! Renewal of a complete host (`tcps issue --renew-within`, and the reissue phase of
//! `tcps rotate-root` on a fleet), with the code of `tcps renew`
//! ([`crate::tcps::renew`]): the same due rule ([`renew::is_due`]), the same reading of
//! the wallet's one certified key ([`renew::server_identity`]) and the same re-issue in
//! place ([`renew::reissue`]: subject and SANs of the current certificate, same key, the
//! wallet's other entries kept — a second root trusted during a rotation stays). The key
//! is read back from the host's own `ewallet.p12`, so it never exists anywhere else.
//! What differs is only where the result lands: a host directory is replaced whole
//! ([`super::state::OutDir::commit`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use der::Encode;
use thiserror::Error;
use zeroize::Zeroizing;

use super::host_bundle::{BundleFile, CERT_FILE, CaMaterial, HostBundle, WALLET_DIR};
use super::layout::MARKER;
use crate::pki::key::PrivateKey;
use crate::pki::name::to_rfc2253;
use crate::pki::show::format_time;
use crate::pki::{Certificate, cert};
use crate::secret::Password;
use crate::tcps::renew;
use crate::wallet::model::Item;
use crate::wallet::store::{self, StoreError, WalletPaths, WalletType};

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
    #[error("{0}; give the password the wallets were issued with")]
    Wallet(StoreError),
    #[error(
        "{} holds no private key for the certificate in {}; issue this host afresh \
         (move its directory away)", wallet.display(), cert.display()
    )]
    NoKey { wallet: PathBuf, cert: PathBuf },
    #[error("{0}")]
    Renew(#[from] crate::tcps::Error),
    #[error("encoding the wallet: {0}")]
    Store(StoreError),
}

/// Seconds since 1970 of `now`, as [`renew::is_due`] takes it.
pub fn unix_seconds(now: SystemTime) -> i64 {
    now.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Whether `certificate` ends within `days` days of `now` (or has already ended): the
/// rule of `tcps renew --within`.
pub fn expires_within(certificate: &Certificate, days: u32, now: SystemTime) -> bool {
    renew::is_due(certificate, unix_seconds(now), days)
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

pub(crate) fn open_host_wallet(
    host_dir: &Path,
    password: &Password,
) -> Result<(PathBuf, crate::wallet::model::Wallet), RenewError> {
    let p12 = host_dir.join(WALLET_DIR).join(store::P12_NAME);
    let source = store::open_p12(&p12, password).map_err(RenewError::Wallet)?;
    Ok((p12, source.pkcs12.wallet))
}

/// The private key of `certificate`, read from the host's `ewallet.p12` (for a re-issue
/// that rebuilds the host's files around its key: `--reissue-drifted`).
pub fn read_host_key(
    host_dir: &Path,
    certificate: &Certificate,
    password: &Password,
) -> Result<PrivateKey, RenewError> {
    let (p12, wallet) = open_host_wallet(host_dir, password)?;
    let no_key = || RenewError::NoKey {
        wallet: p12.clone(),
        cert: host_dir.join(CERT_FILE),
    };
    let (key_index, _, in_wallet) = renew::server_identity(&wallet, &p12)?;
    if in_wallet.to_der().ok() != certificate.to_der().ok() {
        return Err(no_key());
    }
    let Item::PrivateKey(pkcs8) = &wallet.entries[key_index].item else {
        return Err(no_key());
    };
    let key =
        PrivateKey::from_pem_or_der(pkcs8, None).map_err(|source| RenewError::Certificate {
            path: p12.clone(),
            source,
        })?;
    match key.matches(certificate.tbs_certificate().subject_public_key_info()) {
        Ok(true) => Ok(key),
        _ => Err(no_key()),
    }
}

/// A complete host renewed by `ca` for `days`, built in memory: its wallet with the new
/// certificate in place of the old (re-encoded as the auto-login wallet it is), the new
/// `server.pem`, and every other file of the host directory as it is (`network/*.ora`
/// and anything the operator put there). The caller commits it with `replace`.
pub fn renewed_bundle(
    host_dir: &Path,
    host: &str,
    ca: &CaMaterial,
    days: u32,
    password: &Password,
) -> Result<HostBundle, RenewError> {
    let (p12, mut wallet) = open_host_wallet(host_dir, password)?;
    let (key_index, user_index, current) = renew::server_identity(&wallet, &p12)?;
    let (issued, warnings) = renew::reissue(
        ca,
        &current,
        &mut wallet,
        key_index,
        user_index,
        days,
        false,
    )?;
    let wallet_files = store::encode(
        &WalletPaths::in_dir(Path::new(WALLET_DIR)),
        &wallet,
        WalletType::AutoLogin,
        Some(password),
    )
    .map_err(RenewError::Store)?;
    let mut files: Vec<BundleFile> = wallet_files
        .into_iter()
        .map(|f| BundleFile {
            path: f.path,
            contents: Zeroizing::new(f.contents),
            mode: f.mode,
        })
        .collect();
    let pem = cert::to_pem(&issued).map_err(|source| RenewError::Certificate {
        path: host_dir.join(CERT_FILE),
        source,
    })?;
    files.push(BundleFile {
        path: CERT_FILE.into(),
        contents: Zeroizing::new(pem.into_bytes()),
        mode: crate::fsio::MODE_PUBLIC,
    });
    let replaced: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    keep_other_files(host_dir, Path::new(""), &replaced, &mut files)?;
    let tbs = issued.tbs_certificate();
    Ok(HostBundle {
        host: host.to_owned(),
        files,
        subject: to_rfc2253(tbs.subject()),
        serial: hex::encode(tbs.serial_number().as_bytes()),
        not_after: format_time(&tbs.validity().not_after),
        key_type: crate::pki::key::spec_of_public_key(tbs.subject_public_key_info())
            .map(|s| s.description())
            .unwrap_or_default(),
        warnings,
    })
}

/// Adds every regular file below `dir/relative` (but the marker and the files being
/// replaced) to `files` with its bytes and mode, so a renewal loses nothing of the host.
pub(crate) fn keep_other_files(
    dir: &Path,
    relative: &Path,
    replaced: &[PathBuf],
    files: &mut Vec<BundleFile>,
) -> Result<(), RenewError> {
    use std::os::unix::fs::PermissionsExt;
    let here = dir.join(relative);
    let read_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RenewError::Read { path, source }
    };
    for entry in fs::read_dir(&here).map_err(read_error(&here))? {
        let entry = entry.map_err(read_error(&here))?;
        let rel = relative.join(entry.file_name());
        let meta = entry.metadata().map_err(read_error(&entry.path()))?;
        if meta.is_dir() {
            keep_other_files(dir, &rel, replaced, files)?;
        } else if meta.is_file() && rel != Path::new(MARKER) && !replaced.contains(&rel) {
            let bytes = fs::read(entry.path()).map_err(read_error(&entry.path()))?;
            files.push(BundleFile {
                path: rel,
                contents: Zeroizing::new(bytes),
                mode: meta.permissions().mode() & 0o777,
            });
        }
    }
    Ok(())
}
