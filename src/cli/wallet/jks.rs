//! Java key stores and wallets: `orakit wallet to-jks` (orapki `wallet pkcs12_to_jks`) and
//! the JKS / JCEKS source of `orakit wallet import --jks` (orapki `wallet jks_to_pkcs12`).

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::Args;
use der::Decode;

use super::export::{KeySelector, choose_key};
use super::other_passwords::require_named;
use super::{WalletArg, open_to_read};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::read_input;
use crate::fsio::{self, MODE_SECRET, Overwrite, PlannedFile};
use crate::pki::jks::{self, JksEntry, NewEntry};
use crate::pki::key::PrivateKey;
use crate::wallet::chain::{self, Chain};
use crate::wallet::import::Identity;
use crate::wallet::model::Item;

/// The store password of a JKS / JCEKS file (also the key password, as orapki and
/// keytool's defaults use it).
#[derive(Debug, Clone, Default, Args)]
pub struct JksPasswordArgs {
    /// Read the Java key store password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "jks_password_env")]
    pub jks_password_file: Option<PathBuf>,
    /// Read the Java key store password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub jks_password_env: Option<String>,
}

impl JksPasswordArgs {
    pub fn sources(&self) -> PasswordArgs {
        PasswordArgs {
            password_file: self.jks_password_file.clone(),
            password_env: self.jks_password_env.clone(),
        }
    }

    fn require(&self, what: &str, prompt: Prompt) -> Result<crate::secret::Password> {
        require_named(
            &self.sources(),
            what,
            prompt,
            "--jks-password-file PATH or --jks-password-env VAR",
        )
    }
}

#[derive(Debug, Args)]
#[command(after_help = "EXAMPLES:\n  \
    orakit wallet to-jks --wallet DIR --keystore keystore.jks --truststore truststore.jks \\\n      \
    --jks-password-env JKS_PW --password-env WALLET_PW")]
pub struct ToJksArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub key: KeySelector,
    /// Write the key with its certificate chain to this JKS file (orapki -jksKeyStoreLoc).
    #[arg(long, value_name = "FILE", required_unless_present = "truststore")]
    pub keystore: Option<PathBuf>,
    /// Write every trusted certificate to this JKS file (orapki -jksTrustStoreLoc).
    #[arg(long, value_name = "FILE")]
    pub truststore: Option<PathBuf>,
    /// The store password of the files written (the key is protected with it too).
    #[command(flatten)]
    pub jks_password: JksPasswordArgs,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    /// The wallet's password.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// orapki's alias for a trusted certificate: `CN=<common name>` (JKS keeps it lower case).
fn cert_alias(der_bytes: &[u8]) -> String {
    x509_cert::Certificate::from_der(der_bytes)
        .map(|c| crate::pki::name::orapki_alias(c.tbs_certificate().subject()))
        .unwrap_or_else(|_| "certificate".into())
}

pub fn to_jks(args: &ToJksArgs) -> Result<Outcome> {
    let outputs: Vec<&PathBuf> = [&args.keystore, &args.truststore]
        .into_iter()
        .flatten()
        .collect();
    if args.keystore.is_some() && args.keystore == args.truststore {
        return Err(UsageError("--keystore and --truststore name the same file".into()).into());
    }
    if !args.force
        && let Some(existing) = outputs.iter().find(|p| p.symlink_metadata().is_ok())
    {
        return Err(fsio::WriteError::Exists((*existing).clone()).into());
    }
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let wallet = opened.wallet();
    let dir = &opened.paths.dir;
    let store_password = args
        .jks_password
        .require("a password for the Java key store", Prompt::Confirm)?;
    let created = now_ms();
    let mut files = Vec::new();
    let mut summary = Vec::new();
    if let Some(path) = &args.keystore {
        let chosen = choose_key(wallet, &args.key, dir)?;
        let Item::PrivateKey(pkcs8) = &wallet.entries[chosen.key].item else {
            bail!("internal error: the chosen entry is not a key");
        };
        let Some(Item::Certificate(user)) = chosen.user_cert.map(|i| &wallet.entries[i].item)
        else {
            bail!(
                "the key has no user certificate yet: a Java key store entry needs one; install it with `orakit wallet add-user-cert`"
            );
        };
        let pool: Vec<Vec<u8>> = wallet
            .trusted_indices()
            .into_iter()
            .filter_map(|i| match &wallet.entries[i].item {
                Item::Certificate(d) => Some(d.clone()),
                _ => None,
            })
            .collect();
        let mut chain_ders = vec![user.clone()];
        match chain::build(user, &pool)? {
            Chain::Complete(issuers) => chain_ders.extend(issuers),
            // Java accepts a partial chain; orapki writes what the wallet has.
            Chain::Missing { found, .. } => chain_ders.extend(found),
        }
        let alias = wallet.entries[chosen.key]
            .friendly_name
            .clone()
            .unwrap_or_else(|| "orakey".into());
        let bytes = jks::write(
            &[NewEntry::PrivateKey {
                alias: &alias,
                pkcs8,
                chain: &chain_ders,
            }],
            store_password.as_str(),
            created,
        )?;
        files.push(PlannedFile::new(path.clone(), bytes, MODE_SECRET));
        summary.push(format!(
            "{}: key {alias:?} with {}",
            path.display(),
            crate::text::count(chain_ders.len(), "certificate")
        ));
    }
    if let Some(path) = &args.truststore {
        let trusted: Vec<(String, Vec<u8>)> = wallet
            .trusted_indices()
            .into_iter()
            .filter_map(|i| match &wallet.entries[i].item {
                Item::Certificate(d) => Some((cert_alias(d), d.clone())),
                _ => None,
            })
            .collect();
        if trusted.is_empty() {
            bail!(
                "{} holds no trusted certificate for --truststore",
                dir.display()
            );
        }
        // Aliases must be unique in a key store: repeats get " 1", " 2"... as orapki's.
        let mut aliases: Vec<String> = Vec::new();
        for (alias, _) in &trusted {
            let mut candidate = alias.to_lowercase();
            let mut n = 1;
            while aliases.contains(&candidate) {
                candidate = format!("{} {n}", alias.to_lowercase());
                n += 1;
            }
            aliases.push(candidate);
        }
        let entries: Vec<NewEntry> = trusted
            .iter()
            .zip(&aliases)
            .map(|((_, der), alias)| NewEntry::TrustedCert { alias, der })
            .collect();
        let bytes = jks::write(&entries, store_password.as_str(), created)?;
        files.push(PlannedFile::new(path.clone(), bytes, MODE_SECRET));
        summary.push(format!(
            "{}: {}",
            path.display(),
            crate::text::count(entries.len(), "trusted certificate")
        ));
    }
    fsio::write_all_atomic(&files, Overwrite::from_force(args.force))?;
    for line in summary {
        eprintln!("wrote {line}");
    }
    Ok(Outcome::Success)
}

/// The key (by `alias`, else the only one) and its chain from a JKS / JCEKS file, plus
/// the store's trusted certificates as candidates for the chain.
pub fn identity_from_jks(
    file: &Path,
    passwords: &JksPasswordArgs,
    alias: Option<&str>,
) -> Result<Identity> {
    let bytes = read_input(file, "Java key store")?;
    let what = format!("the store password of {}", file.display());
    let password = passwords.require(&what, Prompt::Once)?;
    let store = jks::read(&bytes, password.as_str())
        .map_err(|e| anyhow!("{}: {e}; nothing was changed", file.display()))?;
    let keys: Vec<&JksEntry> = store
        .entries
        .iter()
        .filter(|e| matches!(e, JksEntry::PrivateKey { .. }))
        .filter(|e| alias.is_none_or(|a| e.alias().eq_ignore_ascii_case(a)))
        .collect();
    let names = || {
        store
            .entries
            .iter()
            .map(|e| format!("{:?}", e.alias()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let key = match keys.as_slice() {
        [one] => *one,
        [] => bail!(
            "{}: no private key entry{} (entries: {}); a trust store's certificates go in with `orakit wallet add-trusted`; nothing was changed",
            file.display(),
            alias.map(|a| format!(" named {a:?}")).unwrap_or_default(),
            names()
        ),
        _ => {
            return Err(UsageError(format!(
                "{} holds several private keys ({}); choose one with --jks-alias NAME",
                file.display(),
                names()
            ))
            .into());
        }
    };
    let JksEntry::PrivateKey {
        alias: key_alias,
        pkcs8,
        chain,
        ..
    } = key
    else {
        unreachable!("filtered to private keys")
    };
    let private = PrivateKey::from_pem_or_der(pkcs8, None).map_err(|e| {
        anyhow!(
            "{}: the key {key_alias:?} cannot be read: {e}",
            file.display()
        )
    })?;
    let Some((certificate, rest)) = chain.split_first() else {
        bail!(
            "{}: the key {key_alias:?} has no certificate",
            file.display()
        );
    };
    let mut others: Vec<Vec<u8>> = rest.to_vec();
    others.extend(store.entries.iter().filter_map(|e| match e {
        JksEntry::TrustedCert { der, .. } => Some(der.clone()),
        _ => None,
    }));
    Ok(Identity {
        key: private,
        certificate: certificate.clone(),
        others,
        source_name: Some(key_alias.clone()),
    })
}
