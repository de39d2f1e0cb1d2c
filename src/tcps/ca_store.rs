//! A CA directory as `tcps init` writes it: `ca.pem` (the CA certificate, then any of its
//! issuers) and `ca.key` (PKCS#8 PEM, unencrypted or encrypted with PBES2 / AES-256-CBC).
//! Every command that signs with such a CA (`tcps init --ca-dir`, `tcps renew`,
//! `tcps rotate-root`) reads it here, so an encrypted key and a wrong password give the
//! same one message everywhere. Nothing here prompts: the caller asks
//! [`key_is_encrypted`] and passes the password.

use std::path::{Path, PathBuf};

use der::Encode;

use super::server::CaMaterial;
use super::{Error, Result};
use crate::pki::cert;
use crate::pki::key::PrivateKey;
use crate::secret::Password;

/// File names inside a CA directory.
pub const CERT_NAME: &str = "ca.pem";
pub const KEY_NAME: &str = "ca.key";

/// A CA read from a directory, with the key file's bytes as they were (so a copy keeps
/// its encryption).
pub struct StoredCa {
    pub material: CaMaterial,
    pub key_path: PathBuf,
    pub key_file: zeroize::Zeroizing<Vec<u8>>,
    pub encrypted: bool,
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    crate::limits::read_file(path, crate::limits::MAX_PKI_FILE, what)
        .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", path.display())))
}

/// Whether the CA key in `dir` is encrypted (the caller then needs its password).
pub fn key_is_encrypted(dir: &Path) -> Result<bool> {
    let key_path = dir.join(KEY_NAME);
    let bytes = zeroize::Zeroizing::new(read(&key_path, "CA key")?);
    Ok(PrivateKey::is_encrypted(&bytes))
}

/// Reads the CA of `dir` (`ca.pem` + `ca.key`); `password` opens an encrypted key.
pub fn read_ca_dir(dir: &Path, password: Option<&Password>) -> Result<StoredCa> {
    let cert_path = dir.join(CERT_NAME);
    let key_path = dir.join(KEY_NAME);
    let certificates = cert::read_certificates(&read(&cert_path, "CA certificate")?)
        .map_err(|e| Error::Invalid(format!("{}: {e}", cert_path.display())))?;
    let Some(certificate) = certificates.first().cloned() else {
        return Err(Error::Invalid(format!(
            "{} holds no certificate",
            cert_path.display()
        )));
    };
    let key_file = zeroize::Zeroizing::new(read(&key_path, "CA key")?);
    let encrypted = PrivateKey::is_encrypted(&key_file);
    let key = open_key(&key_path, &key_file, password)?;
    if !key.matches(certificate.tbs_certificate().subject_public_key_info())? {
        return Err(Error::Invalid(format!(
            "{} is not the key of the CA certificate {}; put the CA's own key back",
            key_path.display(),
            cert_path.display()
        )));
    }
    let mut chain_der = Vec::new();
    for c in &certificates {
        chain_der.push(
            c.to_der()
                .map_err(|e| Error::Invalid(format!("{}: {e}", cert_path.display())))?,
        );
    }
    Ok(StoredCa {
        material: CaMaterial {
            key,
            certificate,
            chain_der,
        },
        key_path,
        key_file,
        encrypted,
    })
}

/// Opens a CA key file; the one message for a missing or wrong password.
fn open_key(path: &Path, bytes: &[u8], password: Option<&Password>) -> Result<PrivateKey> {
    PrivateKey::from_pem_or_der(bytes, password).map_err(|e| match e {
        crate::pki::Error::PasswordNeeded => Error::Invalid(format!(
            "the CA key {} is encrypted: give its password with --ca-key-password-env VAR \
             or --ca-key-password-file PATH (or answer the prompt on a terminal)",
            path.display()
        )),
        crate::pki::Error::WrongPassword => Error::Invalid(format!(
            "the CA key {} does not open with the password given (wrong password, or the \
             file is damaged); nothing was written. Give the password the key was encrypted \
             with",
            path.display()
        )),
        other => Error::Invalid(format!("{}: {other}", path.display())),
    })
}

/// The bytes of `ca.key` for `key`: encrypted PKCS#8 PEM (PBES2, PBKDF2-SHA256,
/// AES-256-CBC, as `openssl pkey` reads) when `password` is given, else plain PKCS#8 PEM.
pub fn key_file_bytes(
    key: &PrivateKey,
    password: Option<&Password>,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let pem = key.to_pkcs8_pem(password)?;
    Ok(zeroize::Zeroizing::new(pem.as_bytes().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::key::{Curve, KeySpec};
    use crate::pki::name::parse_dn;

    fn write_ca(dir: &Path, password: Option<&Password>) {
        let ca = CaMaterial::generate(
            KeySpec::Ec { curve: Curve::P256 },
            &parse_dn("CN=Store Test Root").unwrap(),
            30,
        )
        .unwrap();
        std::fs::write(dir.join(CERT_NAME), cert::to_pem(&ca.certificate).unwrap()).unwrap();
        std::fs::write(
            dir.join(KEY_NAME),
            key_file_bytes(&ca.key, password).unwrap().as_slice(),
        )
        .unwrap();
    }

    #[test]
    fn an_encrypted_ca_opens_with_its_password_only() {
        let dir = tempfile::tempdir().unwrap();
        let password = Password::new("Ca-store-2026".into());
        write_ca(dir.path(), Some(&password));
        assert!(key_is_encrypted(dir.path()).unwrap());
        let stored = read_ca_dir(dir.path(), Some(&password)).unwrap();
        assert!(stored.encrypted);
        let wrong = read_ca_dir(dir.path(), Some(&Password::new("nope".into())))
            .err()
            .unwrap()
            .to_string();
        assert!(wrong.contains("does not open with the password"), "{wrong}");
        let missing = read_ca_dir(dir.path(), None).err().unwrap().to_string();
        assert!(missing.contains("--ca-key-password-env"), "{missing}");
    }

    #[test]
    fn a_plain_ca_needs_no_password() {
        let dir = tempfile::tempdir().unwrap();
        write_ca(dir.path(), None);
        assert!(!key_is_encrypted(dir.path()).unwrap());
        assert!(!read_ca_dir(dir.path(), None).unwrap().encrypted);
    }
}
