//! `orakit wallet import`: a key and its certificate (with the CA chain) from a PKCS#12 /
//! PFX file (orapki `wallet import_pkcs12`) or from PEM files (orapki
//! `wallet import_private_key`), checked first, in Oracle's layout.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::Args;
use der::Decode;
use serde::Serialize;
use x509_cert::Certificate;

use super::other_passwords::{KeyPasswordArgs, Pkcs12PasswordArgs, require_named};
use super::{WalletArg, open_for_change, save};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::{in_file, print_json, read_input};
use crate::pki::csr::create_csr;
use crate::pki::key::PrivateKey;
use crate::wallet::certs;
use crate::wallet::import::{self, Identity, Imported};
use crate::wallet::model::DEFAULT_KEY_NAME;

#[derive(Debug, Args)]
#[command(after_help = "EXAMPLES:\n  \
    orakit wallet import --wallet /etc/oracle/wallet --pkcs12 server.pfx \\\n      \
    --pkcs12-password-env PFX_PW --password-env WALLET_PW\n  \
    orakit wallet import --wallet DIR --key server.key --cert server.pem --chain ca-chain.pem \\\n      \
    --password-file wallet.pw")]
pub struct ImportArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// A PKCS#12 / PFX file (OpenSSL, Windows, Java keytool, another ewallet.p12).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["key", "cert", "jks"], required_unless_present_any = ["key", "jks"])]
    pub pkcs12: Option<PathBuf>,
    /// A Java key store (JKS or JCEKS, e.g. an ADB wallet's keystore.jks) holding the key
    /// and its chain (orapki wallet jks_to_pkcs12).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["key", "cert"])]
    pub jks: Option<PathBuf>,
    /// Which key of the Java key store to take, by alias (when it holds several).
    #[arg(long, value_name = "NAME", requires = "jks")]
    pub jks_alias: Option<String>,
    /// The private key (PEM or DER: PKCS#8 plain or encrypted, PKCS#1, SEC1).
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// The key's certificate (a bundle may follow it with its CA certificates).
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// CA certificates of the chain (PEM bundle or DER); may be repeated.
    #[arg(long, value_name = "FILE")]
    pub chain: Vec<PathBuf>,
    /// Which key of the PKCS#12 file to take, by its friendly name (when it holds several).
    #[arg(long, value_name = "NAME", requires = "pkcs12")]
    pub pkcs12_alias: Option<String>,
    /// Friendly name (orapki alias) of the key in the wallet [default: orakey].
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
    /// Print a JSON report of what was added on standard output.
    #[arg(long)]
    pub json: bool,
    /// Refuse a key the wallet already holds instead of treating the run as a no-op rerun
    /// (the drop-in's `jks_to_pkcs12`: orapki answers PKI-04008 there).
    #[arg(long, hide = true)]
    pub refuse_held: bool,
    #[command(flatten)]
    pub pkcs12_password: Pkcs12PasswordArgs,
    #[command(flatten)]
    pub key_password: KeyPasswordArgs,
    #[command(flatten)]
    pub jks_password: super::jks::JksPasswordArgs,
    /// The wallet's password.
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Serialize)]
struct Report<'a> {
    wallet: &'a Path,
    source: &'a Path,
    #[serde(flatten)]
    imported: &'a Imported,
}

fn read_certs(path: &Path, what: &str) -> Result<Vec<Vec<u8>>> {
    let bytes = read_input(path, what)?;
    certs::read_certificates(&bytes).map_err(in_file(what, path))
}

/// The key, its certificate and the other certificates, from PEM/DER files.
pub(crate) fn from_pem(
    key_path: &Path,
    cert_path: &Path,
    passwords: &PasswordArgs,
) -> Result<Identity> {
    let bytes = zeroize::Zeroizing::new(read_input(key_path, "private key")?);
    let password = if PrivateKey::is_encrypted(&bytes) {
        let what = format!("the password of the private key {}", key_path.display());
        Some(require_named(
            passwords,
            &what,
            Prompt::Once,
            "--key-password-file PATH or --key-password-env VAR",
        )?)
    } else {
        None
    };
    let key = PrivateKey::from_pem_or_der(&bytes, password.as_ref())
        .map_err(in_file("private key", key_path))?;
    let found = read_certs(cert_path, "certificate file")?;
    let position = found.iter().position(|d| {
        Certificate::from_der(d).is_ok_and(|c| {
            key.matches(c.tbs_certificate().subject_public_key_info())
                .unwrap_or(false)
        })
    });
    let Some(position) = position else {
        let subject = found
            .first()
            .map(|d| certs::subject_of(d))
            .unwrap_or_default();
        return Err(anyhow!(
            "{}: the private key {} does not match the certificate \"{subject}\": the certificate was issued for another key; nothing was changed",
            cert_path.display(),
            key_path.display()
        ));
    };
    let mut others = found;
    let certificate = others.remove(position);
    Ok(Identity {
        key,
        certificate,
        others,
        source_name: None,
    })
}

pub fn import_identity(args: &ImportArgs) -> Result<Outcome> {
    if args.alias.as_deref().is_some_and(str::is_empty) {
        return Err(UsageError("--alias needs a name".into()).into());
    }
    // A JKS key store's trusted entries, added as trusted beside the key's chain.
    let mut jks_trusted: Vec<(String, Vec<u8>)> = Vec::new();
    let (source, mut identity) = match (&args.pkcs12, &args.key, &args.cert) {
        _ if args.jks.is_some() => {
            let file = args.jks.as_deref().expect("checked");
            match super::jks::read_jks_for_import(
                file,
                &args.jks_password,
                args.jks_alias.as_deref(),
            )? {
                super::jks::FromJks::Key { identity, trusted } => {
                    jks_trusted = trusted;
                    (file, *identity)
                }
                super::jks::FromJks::TrustOnly(certs) => {
                    return super::jks::import_trust_store(args, file, &certs);
                }
                super::jks::FromJks::Keys {
                    identities,
                    trusted,
                } => {
                    return super::jks::import_key_store(args, file, &identities, &trusted);
                }
            }
        }
        (Some(file), _, _) => {
            let bytes = read_input(file, "PKCS#12 file")?;
            let what = format!("the password of {}", file.display());
            let password = require_named(
                &args.pkcs12_password.sources(),
                &what,
                Prompt::Once,
                "--pkcs12-password-file PATH or --pkcs12-password-env VAR",
            )?;
            let identity =
                import::from_pkcs12(&bytes, password.as_bytes(), args.pkcs12_alias.as_deref())
                    .map_err(|e| anyhow!("{}: {e}; nothing was changed", file.display()))?;
            (file.as_path(), identity)
        }
        (None, Some(key), Some(cert)) => (
            key.as_path(),
            from_pem(key, cert, &args.key_password.sources())?,
        ),
        _ => {
            return Err(
                UsageError("give --pkcs12 FILE, or --key FILE with --cert FILE".into()).into(),
            );
        }
    };
    for file in &args.chain {
        identity.others.extend(read_certs(file, "chain file")?);
    }
    // orapki import_private_key adds a request for the key; import_pkcs12 does not.
    let request = if args.pkcs12.is_none() && args.jks.is_none() {
        let cert = Certificate::from_der(&identity.certificate)?;
        let csr = create_csr(&identity.key, cert.tbs_certificate().subject(), &[])?;
        Some(csr.der().to_vec())
    } else {
        None
    };
    // From a Java key store the key keeps its alias, as orapki jks_to_pkcs12 names it.
    let jks_name = args.jks.as_ref().and(identity.source_name.clone());
    let name = args
        .alias
        .as_deref()
        .or(jks_name.as_deref())
        .unwrap_or(DEFAULT_KEY_NAME);
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    // A rerun: the certificate is already the user certificate of its key and every CA
    // certificate given is already trusted. Nothing to write.
    if !args.refuse_held
        && wallet.holds_certificate(&identity.certificate, true)
        && identity
            .others
            .iter()
            .all(|c| wallet.holds_certificate(c, false))
        && jks_trusted
            .iter()
            .all(|(_, der)| wallet.holds_certificate(der, false))
    {
        eprintln!(
            "{} already holds the key and user certificate {} and its CA certificates",
            edit.opened.paths.dir.display(),
            certs::subject_of(&identity.certificate)
        );
        if args.json {
            crate::cli::output::print_json(&serde_json::json!({
                "wallet": edit.opened.paths.dir,
                "source": source,
            }))?;
        }
        return Ok(Outcome::Success);
    }
    let mut imported = import::import(&mut wallet, &identity, request.as_deref(), name)
        .map_err(|e| anyhow!("{}: {e}; nothing was changed", source.display()))?;
    if !jks_trusted.is_empty() {
        super::jks::add_store_trusted(&mut wallet, &jks_trusted, &mut imported)?;
    }
    save(&edit, &wallet)?;
    eprintln!(
        "{} the {} key and the user certificate {} into {} ({} added as trusted{})",
        crate::cli::output::verb("imported", "would import"),
        imported.key,
        imported.user_certificate,
        edit.opened.paths.dir.display(),
        crate::text::count(imported.trusted_added.len(), "CA certificate"),
        if imported.trusted_present.is_empty() {
            String::new()
        } else {
            format!(", {} already there", imported.trusted_present.len())
        }
    );
    for ignored in &imported.ignored {
        eprintln!("not imported (not in the certificate's chain): {ignored}");
    }
    if args.json {
        print_json(&Report {
            wallet: &edit.opened.paths.dir,
            source,
            imported: &imported,
        })?;
    }
    Ok(Outcome::Success)
}
