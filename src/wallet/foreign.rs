//! Wallet forms orakit reads but never writes in place: an Autonomous Database
//! `Wallet_*.zip` (its `cwallet.sso` / `ewallet.p12`), an `ewallet.pem` (key and
//! certificates in PEM) and a Java key store (JKS / JCEKS, e.g. the zip's keystore.jks).
//! Each opens as an in-memory wallet for `display` and the `export-*` commands.

use std::io::Read;
use std::path::Path;

use super::import::{self, Identity};
use super::model::{Profile, Wallet};
use super::p12::Decoded;
use super::store::{Opened, Source, WalletPaths};
use crate::pki::jks::{self, JksEntry};
use crate::pki::key::PrivateKey;
use crate::secret::Password;

/// Which read-only form a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    AdbZip,
    Pem,
    JavaKeyStore,
}

impl Form {
    pub fn describe(self) -> &'static str {
        match self {
            Self::AdbZip => "a wallet zip (Autonomous Database Wallet_*.zip)",
            Self::Pem => "a PEM wallet (ewallet.pem)",
            Self::JavaKeyStore => "a Java key store (JKS / JCEKS)",
        }
    }

    /// Whether opening needs the password: a JKS and a PEM with an encrypted key do; a
    /// zip does only when it has no cwallet.sso.
    pub fn needs_password(self, bytes: &[u8]) -> bool {
        match self {
            Self::JavaKeyStore => true,
            Self::Pem => PrivateKey::is_encrypted(bytes),
            Self::AdbZip => zip_member(bytes, "cwallet.sso").ok().flatten().is_none(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ForeignError {
    #[error("{0}")]
    Zip(String),
    #[error("{0}")]
    Jks(#[from] jks::JksError),
    #[error("{0}")]
    Key(String),
    #[error("{0}")]
    Wallet(String),
    #[error("the password is needed to open it: give --password-env VAR or --password-file PATH")]
    PasswordNeeded,
}

/// The form of `bytes`, when it is one of the read-only ones.
pub fn detect(bytes: &[u8]) -> Option<Form> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(Form::AdbZip)
    } else if jks::is_key_store(bytes) {
        Some(Form::JavaKeyStore)
    } else if bytes.starts_with(b"-----BEGIN ")
        || bytes.windows(11).take(4096).any(|w| w == b"-----BEGIN ")
    {
        Some(Form::Pem)
    } else {
        None
    }
}

/// The contents of the member whose file name (in any folder) is `name`.
pub(crate) fn zip_member(bytes: &[u8], name: &str) -> Result<Option<Vec<u8>>, ForeignError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ForeignError::Zip(format!("not a readable zip archive: {e}")))?;
    for i in 0..archive.len() {
        let mut file = archive
            .by_index(i)
            .map_err(|e| ForeignError::Zip(format!("zip member {i}: {e}")))?;
        let full = file
            .name()
            .map_err(|e| ForeignError::Zip(format!("zip member {i}: {e}")))?
            .into_owned();
        let base = full.rsplit('/').next().unwrap_or_default().to_owned();
        if base == name && file.is_file() {
            // Wallet files are small; a bomb stops here.
            let limit = 16 << 20;
            let mut out = Vec::new();
            (&mut file)
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|e| ForeignError::Zip(format!("{name} in the zip: {e}")))?;
            if out.len() as u64 > limit {
                return Err(ForeignError::Zip(format!(
                    "{name} in the zip is larger than 16 MiB"
                )));
            }
            return Ok(Some(out));
        }
    }
    Ok(None)
}

/// Puts a key with its certificate and the other certificates into a fresh wallet.
fn wallet_of(
    identities: Vec<(String, Identity)>,
    trusted: &[Vec<u8>],
) -> Result<Wallet, ForeignError> {
    let mut wallet = Wallet::new(Profile::three_des());
    for (name, identity) in &identities {
        // A key whose chain is incomplete still shows: its certificates go in as trusted.
        if import::import(&mut wallet, identity, None, name).is_err() {
            for der in std::iter::once(&identity.certificate).chain(&identity.others) {
                let _ = wallet.add_trusted(der);
            }
        }
    }
    for der in trusted {
        wallet
            .add_trusted(der)
            .map_err(|e| ForeignError::Wallet(e.to_string()))?;
    }
    Ok(wallet)
}

/// Opens `path` (of form `form`, contents `bytes`) as a read-only wallet.
pub fn open(
    path: &Path,
    bytes: &[u8],
    form: Form,
    password: Option<&Password>,
) -> Result<Opened, ForeignError> {
    let mut source = Source {
        file: path.to_path_buf(),
        size: bytes.len(),
        sso_header: None,
        local: None,
        pkcs12: Decoded {
            wallet: Wallet::new(Profile::three_des()),
            safes: Vec::new(),
            mac: None,
        },
    };
    match form {
        Form::AdbZip => {
            let p12 = password
                .map(|_| zip_member(bytes, "ewallet.p12"))
                .transpose()?
                .flatten();
            if let (Some(p12), Some(pw)) = (p12, password) {
                source.pkcs12 = super::p12::read(&p12, pw.as_bytes())
                    .map_err(|e| ForeignError::Wallet(format!("ewallet.p12 in the zip: {e}")))?;
            } else if let Some(sso) = zip_member(bytes, "cwallet.sso")? {
                let decoded = super::sso::read(&sso, None)
                    .map_err(|e| ForeignError::Wallet(format!("cwallet.sso in the zip: {e}")))?;
                source.sso_header = Some(decoded.header);
                source.pkcs12 = decoded.pkcs12;
            } else if zip_member(bytes, "ewallet.p12")?.is_some() {
                return Err(ForeignError::PasswordNeeded);
            } else {
                return Err(ForeignError::Zip(
                    "the zip holds neither cwallet.sso nor ewallet.p12".into(),
                ));
            }
        }
        Form::JavaKeyStore => {
            let pw = password.ok_or(ForeignError::PasswordNeeded)?;
            let store = jks::read(bytes, pw.as_str())?;
            let mut identities = Vec::new();
            let mut trusted = Vec::new();
            for entry in store.entries {
                match entry {
                    JksEntry::PrivateKey {
                        alias,
                        pkcs8,
                        chain,
                        ..
                    } => {
                        let key = PrivateKey::from_pem_or_der(&pkcs8, None)
                            .map_err(|e| ForeignError::Key(format!("key {alias:?}: {e}")))?;
                        let Some((cert, rest)) = chain.split_first() else {
                            continue;
                        };
                        identities.push((
                            alias.clone(),
                            Identity {
                                key,
                                certificate: cert.clone(),
                                others: rest.to_vec(),
                                source_name: Some(alias),
                            },
                        ));
                    }
                    JksEntry::TrustedCert { der, .. } => trusted.push(der),
                    JksEntry::SecretKey { .. } => {}
                }
            }
            source.pkcs12.wallet = wallet_of(identities, &trusted)?;
        }
        Form::Pem => {
            let certs = super::certs::read_certificates(bytes)
                .map_err(|e| ForeignError::Wallet(e.to_string()))?;
            let key = match PrivateKey::from_pem_or_der(bytes, password) {
                Ok(k) => Some(k),
                Err(crate::pki::Error::WrongKind { .. }) => None,
                Err(e) => return Err(ForeignError::Key(e.to_string())),
            };
            let mut identities = Vec::new();
            let mut trusted = certs.clone();
            if let Some(key) = key {
                let at = certs.iter().position(|d| {
                    <x509_cert::Certificate as der::Decode>::from_der(d).is_ok_and(|c| {
                        key.matches(c.tbs_certificate().subject_public_key_info())
                            .unwrap_or(false)
                    })
                });
                if let Some(at) = at {
                    let cert = trusted.remove(at);
                    identities.push((
                        super::model::DEFAULT_KEY_NAME.to_owned(),
                        Identity {
                            key,
                            certificate: cert,
                            others: trusted.clone(),
                            source_name: None,
                        },
                    ));
                }
            }
            source.pkcs12.wallet = wallet_of(identities, &trusted)?;
        }
    }
    // Messages name the "wallet directory": here that is the file itself.
    let mut paths = WalletPaths::in_dir(path);
    paths.named_file = Some(path.to_path_buf());
    Ok(Opened {
        paths,
        wallet_type: None,
        source,
    })
}
