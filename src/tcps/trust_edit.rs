//! One root certificate added to, or removed from, what a wallet trusts — the unit of
//! work of a root rotation ([`super::rotate`]). Each edit is planned first (does the
//! wallet already hold the root, or no longer hold it?) and written only when needed, so a
//! rerun writes nothing: no new salts, no new bytes, no new mtime.
//!
//! Three kinds of holder:
//! - a server wallet directory (`ewallet.p12` + `cwallet.sso`, opened with its password;
//!   both files written together),
//! - a trust-only wallet directory (`cwallet.sso` auto-login-only: the client and AWS DMS
//!   wallet),
//! - a PEM file of CA certificates (the client's `ewallet.pem`, for thin drivers).

use std::path::{Path, PathBuf};

use der::Encode;

use super::{Error, Result};
use crate::fsio::{self, MODE_PUBLIC, Overwrite};
use crate::pki::cert;
use crate::secret::Password;
use crate::wallet::model::{Item, Wallet};
use crate::wallet::pem::trust_pem;
use crate::wallet::store::{self, WalletPaths, WalletType};

/// Something that trusts roots.
#[derive(Debug, Clone)]
pub enum Holder {
    /// A wallet directory: a server wallet (with `ewallet.p12`, needs the password) or
    /// a trust-only `cwallet.sso`.
    Wallet(PathBuf),
    /// A PEM file of CA certificates.
    Pem(PathBuf),
}

/// What to do with a root (its DER).
#[derive(Debug, Clone, Copy)]
pub enum Edit<'a> {
    Add(&'a [u8]),
    Remove(&'a [u8]),
}

impl Holder {
    pub fn path(&self) -> &Path {
        match self {
            Holder::Wallet(p) | Holder::Pem(p) => p,
        }
    }

    /// The files an edit of this holder writes.
    pub fn files(&self) -> Result<Vec<PathBuf>> {
        match self {
            Holder::Pem(p) => Ok(vec![p.clone()]),
            Holder::Wallet(dir) => {
                let paths = WalletPaths::in_dir(dir);
                let t = wallet_type(&paths)?;
                let mut out = Vec::new();
                if t.has_p12() {
                    out.push(paths.p12.clone());
                }
                if t.has_sso() {
                    out.push(paths.sso.clone());
                }
                Ok(out)
            }
        }
    }

    /// Whether `edit` would change this holder (the root is missing, or still there).
    pub fn needs(&self, edit: Edit<'_>, password: Option<&Password>) -> Result<bool> {
        match self {
            Holder::Pem(path) => Ok(pem_edited(&read_pem(path)?, edit).is_some()),
            Holder::Wallet(dir) => {
                let _shared = store::read_lock(dir)?;
                let (wallet, _) = open_wallet(dir, password)?;
                Ok(wallet_needs(&wallet, edit))
            }
        }
    }

    /// Makes `edit` when it is needed; returns whether anything was written.
    pub fn apply(&self, edit: Edit<'_>, password: Option<&Password>) -> Result<bool> {
        match self {
            Holder::Pem(path) => match pem_edited(&read_pem(path)?, edit) {
                None => Ok(false),
                Some(ders) => {
                    fsio::write_atomic(
                        path,
                        trust_pem(&ders).as_bytes(),
                        MODE_PUBLIC,
                        Overwrite::Allow,
                    )?;
                    Ok(true)
                }
            },
            Holder::Wallet(dir) => {
                if !self.needs(edit, password)? {
                    return Ok(false);
                }
                let _exclusive = store::lock(dir)?;
                let (mut wallet, wallet_type) = open_wallet(dir, password)?;
                if !wallet_needs(&wallet, edit) {
                    return Ok(false);
                }
                match edit {
                    Edit::Add(der) => {
                        wallet.add_trusted(der)?;
                    }
                    Edit::Remove(der) => {
                        let doomed = trusted_copies(&wallet, der);
                        wallet.remove(&doomed);
                    }
                }
                store::save(
                    &WalletPaths::in_dir(dir),
                    &wallet,
                    wallet_type,
                    password,
                    Overwrite::Allow,
                )?;
                Ok(true)
            }
        }
    }
}

fn wallet_type(paths: &WalletPaths) -> Result<WalletType> {
    match paths.existing_type()? {
        Some(t @ (WalletType::AutoLogin | WalletType::Password | WalletType::AutoLoginOnly)) => {
            Ok(t)
        }
        Some(WalletType::LocalAutoLogin) => Err(Error::Invalid(format!(
            "{} is a local auto-login wallet (bound to one host); a rotation does not \
             rewrite it: change it on its host with `orakit wallet add-trusted`/`remove`",
            paths.dir.display()
        ))),
        None => Err(Error::Invalid(format!(
            "{} holds no wallet (no ewallet.p12 or cwallet.sso)",
            paths.dir.display()
        ))),
    }
}

fn open_wallet(dir: &Path, password: Option<&Password>) -> Result<(Wallet, WalletType)> {
    let paths = WalletPaths::in_dir(dir);
    let wallet_type = wallet_type(&paths)?;
    if wallet_type.has_p12() && password.is_none() {
        return Err(Error::Invalid(format!(
            "{} is a password wallet; a rotation of it needs the password \
             (--password-env/--password-file)",
            paths.p12.display()
        )));
    }
    let opened = store::open(&paths, password.filter(|_| wallet_type.has_p12()), None)?;
    Ok((opened.source.pkcs12.wallet, wallet_type))
}

/// Indices of the trusted entries holding `der`.
fn trusted_copies(wallet: &Wallet, der: &[u8]) -> Vec<usize> {
    wallet
        .trusted_indices()
        .into_iter()
        .filter(|&i| matches!(&wallet.entries[i].item, Item::Certificate(d) if d == der))
        .collect()
}

fn wallet_needs(wallet: &Wallet, edit: Edit<'_>) -> bool {
    match edit {
        Edit::Add(der) => trusted_copies(wallet, der).is_empty(),
        Edit::Remove(der) => !trusted_copies(wallet, der).is_empty(),
    }
}

fn read_pem(path: &Path) -> Result<Vec<Vec<u8>>> {
    let bytes = crate::limits::read_file(path, crate::limits::MAX_PKI_FILE, "PEM file")
        .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", path.display())))?;
    let certificates = cert::read_certificates(&bytes)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    certificates
        .iter()
        .map(|c| {
            c.to_der()
                .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
        })
        .collect()
}

/// The certificates after `edit`, or `None` when it changes nothing.
fn pem_edited(ders: &[Vec<u8>], edit: Edit<'_>) -> Option<Vec<Vec<u8>>> {
    match edit {
        Edit::Add(der) if ders.iter().any(|d| d == der) => None,
        Edit::Add(der) => {
            let mut out = ders.to_vec();
            out.push(der.to_vec());
            Some(out)
        }
        Edit::Remove(der) if ders.iter().all(|d| d != der) => None,
        Edit::Remove(der) => Some(ders.iter().filter(|d| *d != der).cloned().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_edits_are_idempotent() {
        let a = vec![1u8, 2];
        let b = vec![3u8];
        let ders = vec![a.clone()];
        let added = pem_edited(&ders, Edit::Add(&b)).unwrap();
        assert_eq!(added, vec![a.clone(), b.clone()]);
        assert!(pem_edited(&added, Edit::Add(&b)).is_none());
        let removed = pem_edited(&added, Edit::Remove(&a)).unwrap();
        assert_eq!(removed, vec![b.clone()]);
        assert!(pem_edited(&removed, Edit::Remove(&a)).is_none());
    }
}
