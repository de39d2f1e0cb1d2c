//! `orakit wallet export-key` (orapki `wallet export_private_key`) and
//! `orakit wallet export-chain` (orapki `wallet export_trust_chain`).

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::other_passwords::{KeyPasswordArgs, require_named};
use super::{WalletArg, open_to_read};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::print_json;
use crate::fsio::{self, MODE_PUBLIC, MODE_SECRET, Overwrite};
use crate::pki::key::PrivateKey;
use crate::wallet::certs;
use crate::wallet::chain::{self, Chain};
use crate::wallet::model::{Item, Wallet};

/// Which key (and user certificate) a command means.
#[derive(Debug, Clone, Args)]
pub struct KeySelector {
    /// Subject DN of the key's user certificate, as `display` prints it.
    #[arg(long, value_name = "DN", conflicts_with = "alias")]
    pub subject: Option<String>,
    /// Friendly name of the key (orapki -alias; `orakey` unless chosen otherwise).
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportKeyArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub key: KeySelector,
    /// Output file: PKCS#8 PEM, mode 0600.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Write the key in clear (`PRIVATE KEY`) instead of encrypted with PBES2 AES-256.
    #[arg(long, conflicts_with_all = ["key_password_file", "key_password_env"])]
    pub unencrypted: bool,
    /// The password that encrypts the exported key.
    #[command(flatten)]
    pub key_password: KeyPasswordArgs,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON report on standard output.
    #[arg(long)]
    pub json: bool,
    /// The wallet's password.
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChainFormat {
    /// PEM certificates, one after the other (what OpenSSL's -CAfile and thin drivers read).
    Pem,
    /// One PKCS#7 certificates-only SignedData, PEM (`-----BEGIN PKCS7-----`), as orapki writes.
    Pkcs7,
}

#[derive(Debug, Args)]
pub struct ExportChainArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub key: KeySelector,
    /// Output file (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// pem (a bundle) or pkcs7.
    #[arg(long, value_enum, default_value = "pem")]
    pub format: ChainFormat,
    /// Put the user certificate itself first (orapki writes only its CA certificates).
    #[arg(long)]
    pub include_user_cert: bool,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON report on standard output (needs --out).
    #[arg(long, requires = "out")]
    pub json: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

/// The chosen key: its entry index and its user certificate's, if it has one.
pub(crate) struct Chosen {
    pub key: usize,
    pub user_cert: Option<usize>,
}

pub(crate) fn user_cert_of(wallet: &Wallet, key: usize) -> Option<usize> {
    let id = wallet.entries[key].local_key_id.as_ref()?;
    (0..wallet.entries.len()).find(|&i| {
        // same_id: in a trust-flag wallet the user certificate's id carries USER_CERT.
        wallet.is_user_certificate(i)
            && crate::wallet::model::same_id(
                wallet.entries[i].local_key_id.as_deref(),
                Some(id.as_slice()),
            )
    })
}

fn describe(wallet: &Wallet, key: usize) -> String {
    let name = wallet.entries[key]
        .friendly_name
        .as_deref()
        .unwrap_or("(no name)");
    match user_cert_of(wallet, key).map(|i| &wallet.entries[i].item) {
        Some(Item::Certificate(d)) => format!("{name:?} ({})", certs::subject_of(d)),
        _ => format!("{name:?} (no certificate yet)"),
    }
}

/// Picks a key by user-certificate subject, by friendly name, or the only one.
pub(crate) fn choose_key(wallet: &Wallet, selector: &KeySelector, dir: &Path) -> Result<Chosen> {
    let keys = wallet.indices_where(|item| matches!(item, Item::PrivateKey(_)));
    let hits: Vec<usize> = keys
        .iter()
        .copied()
        .filter(|&k| match (&selector.subject, &selector.alias) {
            (Some(dn), _) => {
                user_cert_of(wallet, k).is_some_and(|c| match &wallet.entries[c].item {
                    Item::Certificate(d) => certs::dn_matches(&certs::subject_of(d), dn),
                    _ => false,
                })
            }
            (None, Some(alias)) => wallet.entries[k].friendly_name.as_deref() == Some(alias),
            (None, None) => true,
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(Chosen {
            key: *one,
            user_cert: user_cert_of(wallet, *one),
        }),
        [] if keys.is_empty() => bail!("{} holds no private key", dir.display()),
        [] => bail!(
            "no key in {} matches; it has: {}",
            dir.display(),
            keys.iter().map(|&k| describe(wallet, k)).collect::<Vec<_>>().join(", ")
        ),
        many => Err(UsageError(format!(
            "{} holds {} keys that match: {}; choose one with --subject DN (its certificate's subject)",
            dir.display(),
            many.len(),
            many.iter().map(|&k| describe(wallet, k)).collect::<Vec<_>>().join(", ")
        ))
        .into()),
    }
}

#[derive(Serialize)]
struct KeyReport<'a> {
    file: &'a Path,
    mode: &'static str,
    key: String,
    friendly_name: Option<&'a str>,
    user_certificate: Option<String>,
    encrypted: bool,
}

pub fn export_key(args: &ExportKeyArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let wallet = opened.wallet();
    let chosen = choose_key(wallet, &args.key, &opened.paths.dir)?;
    let Item::PrivateKey(pkcs8) = &wallet.entries[chosen.key].item else {
        bail!("internal error: the chosen entry is not a key");
    };
    let key = PrivateKey::from_pem_or_der(pkcs8, None)
        .map_err(|e| anyhow!("the wallet's private key cannot be used: {e}"))?;
    let password = if args.unencrypted {
        None
    } else {
        let what = format!("a password for the exported key {}", args.out.display());
        Some(require_named(
            &args.key_password.sources(),
            &what,
            Prompt::Confirm,
            "--key-password-file PATH or --key-password-env VAR (or --unencrypted)",
        )?)
    };
    let user_certificate = chosen
        .user_cert
        .and_then(|i| match &wallet.entries[i].item {
            Item::Certificate(d) => Some(certs::subject_of(d)),
            _ => None,
        });
    let report = KeyReport {
        file: &args.out,
        mode: "0600",
        key: key.description(),
        friendly_name: wallet.entries[chosen.key].friendly_name.as_deref(),
        user_certificate: user_certificate.clone(),
        encrypted: password.is_some(),
    };
    if !args.force && args.out.symlink_metadata().is_ok() {
        // A rerun: OUT holds this key already, encrypted with this password (or in clear
        // as asked). It is compared decrypted, never rewritten (new salts would change
        // its bytes).
        if let Some(difference) = exported_key_difference(&args.out, &key, password.as_ref())? {
            return Err(crate::cli::pki_io::refuse_different(&args.out, &difference));
        }
        eprintln!(
            "{} already holds the {} key{} as asked; nothing changed",
            args.out.display(),
            key.description(),
            user_certificate
                .as_ref()
                .map(|s| format!(" of {s}"))
                .unwrap_or_default(),
        );
        if args.json {
            print_json(&report)?;
        }
        return Ok(Outcome::Success);
    }
    let pem = key.to_pkcs8_pem(password.as_ref())?;
    fsio::write_atomic(
        &args.out,
        pem.as_bytes(),
        MODE_SECRET,
        Overwrite::from_force(args.force),
    )?;
    eprintln!(
        "{} the {} key{} to {} ({}, mode 0600)",
        crate::cli::output::verb("wrote", "would write"),
        key.description(),
        user_certificate
            .as_ref()
            .map(|s| format!(" of {s}"))
            .unwrap_or_default(),
        args.out.display(),
        if password.is_some() {
            "PKCS#8 encrypted with PBES2 AES-256-CBC"
        } else {
            "PKCS#8 in clear"
        }
    );
    if args.json {
        print_json(&report)?;
    }
    Ok(Outcome::Success)
}

/// Why `out` (which exists) does not hold `key` as export-key writes it: PKCS#8 PEM,
/// mode 0600, encrypted with `password` (or in clear without one).
fn exported_key_difference(
    out: &Path,
    key: &PrivateKey,
    password: Option<&crate::secret::Password>,
) -> Result<Option<String>> {
    let meta = out.symlink_metadata()?;
    if !meta.is_file() {
        return Ok(Some("not a regular file".into()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.mode() & 0o7777 != MODE_SECRET {
            return Ok(Some(format!("mode {:04o}, not 0600", meta.mode() & 0o7777)));
        }
    }
    let Ok(bytes) =
        crate::limits::read_file_no_link(out, crate::limits::MAX_PKI_FILE, "keys and certificates")
    else {
        return Ok(Some("it cannot be read".into()));
    };
    let bytes = zeroize::Zeroizing::new(bytes);
    let label = if password.is_some() {
        "-----BEGIN ENCRYPTED PRIVATE KEY-----"
    } else {
        "-----BEGIN PRIVATE KEY-----"
    };
    if !bytes.starts_with(label.as_bytes()) {
        return Ok(Some(
            if PrivateKey::is_encrypted(&bytes) == password.is_some() {
                "not a PKCS#8 PEM key".into()
            } else if password.is_some() {
                "the key in it is in clear, not encrypted".into()
            } else {
                "the key in it is encrypted, not in clear".into()
            },
        ));
    }
    let Ok(held) = PrivateKey::from_pem_or_der(&bytes, password) else {
        return Ok(Some("it does not open with the password given".into()));
    };
    if *held.to_pkcs8_der()? != *key.to_pkcs8_der()? {
        return Ok(Some("another private key".into()));
    }
    Ok(None)
}

#[derive(Serialize)]
struct ChainReport<'a> {
    file: &'a Path,
    format: &'static str,
    user_certificate: String,
    /// Subjects in file order (PEM) or the set (PKCS#7).
    certificates: Vec<String>,
}

pub fn export_chain(args: &ExportChainArgs) -> Result<Outcome> {
    if let Some(out) = &args.out
        && !args.force
        && out.symlink_metadata().is_ok()
    {
        return Err(fsio::WriteError::Exists(out.clone()).into());
    }
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let wallet = opened.wallet();
    let dir = &opened.paths.dir;
    let chosen = choose_key(wallet, &args.key, dir)?;
    let Some(Item::Certificate(user)) = chosen.user_cert.map(|i| &wallet.entries[i].item) else {
        bail!(
            "the key {} has no user certificate yet, so it has no chain; install one with `orakit wallet add-user-cert`",
            describe(wallet, chosen.key)
        );
    };
    let pool: Vec<Vec<u8>> = wallet
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Certificate(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    let issuers = match chain::build(user, &pool)? {
        Chain::Complete(issuers) => issuers,
        Chain::Missing {
            subject, issuer, ..
        } => bail!(
            "the chain of {} is incomplete in {}: the certificate of \"{issuer}\" (which issued \"{subject}\") is missing; add it with `orakit wallet add-trusted`",
            certs::subject_of(user),
            dir.display()
        ),
    };
    let mut list: Vec<Vec<u8>> = Vec::new();
    if args.include_user_cert {
        list.push(user.clone());
    }
    list.extend(issuers);
    if list.is_empty() {
        // A self-signed user certificate is its own chain.
        list.push(user.clone());
    }
    let text = match args.format {
        ChainFormat::Pem => list.iter().map(|d| certs::to_pem(d)).collect::<String>(),
        ChainFormat::Pkcs7 => {
            let der = crate::pki::pkcs7::certs_only(&list)?;
            der::pem::encode_string("PKCS7", der::pem::LineEnding::LF, &der)
                .map_err(|e| anyhow!("cannot encode the PKCS#7 bundle: {e}"))?
        }
    };
    let subjects: Vec<String> = list.iter().map(|d| certs::subject_of(d)).collect();
    match &args.out {
        Some(out) => {
            fsio::write_atomic(
                out,
                text.as_bytes(),
                MODE_PUBLIC,
                Overwrite::from_force(args.force),
            )?;
            eprintln!(
                "wrote the chain of {} ({}) to {}",
                certs::subject_of(user),
                crate::text::count(list.len(), "certificate"),
                out.display()
            );
            if args.json {
                print_json(&ChainReport {
                    file: out,
                    format: match args.format {
                        ChainFormat::Pem => "pem",
                        ChainFormat::Pkcs7 => "pkcs7",
                    },
                    user_certificate: certs::subject_of(user),
                    certificates: subjects,
                })?;
            }
        }
        None => print!("{text}"),
    }
    Ok(Outcome::Success)
}
