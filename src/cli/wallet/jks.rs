//! Java key stores and wallets: `orakit wallet to-jks` (orapki `wallet pkcs12_to_jks`) and
//! the JKS / JCEKS source of `orakit wallet import --jks` (orapki `wallet jks_to_pkcs12`).

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::Args;
use der::Decode;

use super::export::{KeySelector, choose_key, user_cert_of};
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
use crate::wallet::model::{Item, Wallet};

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

/// The trust store's own password (orapki -jksTrustStorepwd); the key store's when not given.
#[derive(Debug, Clone, Default, Args)]
pub struct TrustStorePasswordArgs {
    /// Read the trust store's password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "truststore_password_env")]
    pub truststore_password_file: Option<PathBuf>,
    /// Read the trust store's password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub truststore_password_env: Option<String>,
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
    #[command(flatten)]
    pub truststore_password: TrustStorePasswordArgs,
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
    let trusted = trusted_entries(wallet);
    if let Some(path) = &args.keystore {
        let keys = key_entries(wallet, &args.key, dir)?;
        // orapki pkcs12_to_jks: without a trust store the key store carries the trusted
        // certificates as well (observed with 23ai); with one they go there only.
        let with_trusted = args.truststore.is_none();
        let mut entries: Vec<NewEntry> = keys
            .iter()
            .map(|k| NewEntry::PrivateKey {
                alias: &k.alias,
                pkcs8: &k.pkcs8,
                chain: &k.chain,
            })
            .collect();
        if with_trusted {
            entries.extend(
                trusted
                    .iter()
                    .map(|(alias, der)| NewEntry::TrustedCert { alias, der }),
            );
        }
        if keys.is_empty() {
            // orapki writes the key store all the same (empty, or the trusted certificates).
            eprintln!(
                "note: {} holds no private key with a user certificate; {} gets {}",
                dir.display(),
                path.display(),
                if with_trusted && !trusted.is_empty() {
                    "the trusted certificates only"
                } else {
                    "no entry"
                }
            );
        }
        let bytes = jks::write(&entries, store_password.as_str(), created)?;
        files.push(PlannedFile::new(path.clone(), bytes, MODE_SECRET));
        let mut what: Vec<String> = keys
            .iter()
            .map(|k| {
                format!(
                    "key {:?} with {}",
                    k.alias,
                    crate::text::count(k.chain.len(), "certificate")
                )
            })
            .collect();
        if with_trusted && !trusted.is_empty() {
            what.push(crate::text::count(trusted.len(), "trusted certificate"));
        }
        if what.is_empty() {
            what.push("no entry".into());
        }
        summary.push(format!("{}: {}", path.display(), what.join(", ")));
    }
    if let Some(path) = &args.truststore {
        if trusted.is_empty() {
            bail!(
                "{} holds no trusted certificate for --truststore",
                dir.display()
            );
        }
        let entries: Vec<NewEntry> = trusted
            .iter()
            .map(|(alias, der)| NewEntry::TrustedCert { alias, der })
            .collect();
        let own = &args.truststore_password;
        let trust_password =
            if own.truststore_password_env.is_some() || own.truststore_password_file.is_some() {
                require_named(
                    &PasswordArgs {
                        password_file: own.truststore_password_file.clone(),
                        password_env: own.truststore_password_env.clone(),
                    },
                    "a password for the Java trust store",
                    Prompt::Confirm,
                    "--truststore-password-file PATH or --truststore-password-env VAR",
                )?
            } else {
                store_password.clone()
            };
        let bytes = jks::write(&entries, trust_password.as_str(), created)?;
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

/// A key of the wallet as a key store entry: its alias, PKCS#8 DER and chain, leaf first.
struct KeyEntry {
    alias: String,
    pkcs8: zeroize::Zeroizing<Vec<u8>>,
    chain: Vec<Vec<u8>>,
}

/// The keys that go into a key store: the one chosen by `selector`, or (none chosen) every
/// key that has a user certificate, as orapki pkcs12_to_jks writes them all.
fn key_entries(wallet: &Wallet, selector: &KeySelector, dir: &Path) -> Result<Vec<KeyEntry>> {
    let keys: Vec<usize> = if selector.subject.is_some() || selector.alias.is_some() {
        vec![choose_key(wallet, selector, dir)?.key]
    } else {
        wallet
            .indices_where(|item| matches!(item, Item::PrivateKey(_)))
            .into_iter()
            .filter(|&k| user_cert_of(wallet, k).is_some())
            .collect()
    };
    let pool: Vec<Vec<u8>> = wallet
        .trusted_indices()
        .into_iter()
        .filter_map(|i| match &wallet.entries[i].item {
            Item::Certificate(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (n, k) in keys.into_iter().enumerate() {
        let Item::PrivateKey(pkcs8) = &wallet.entries[k].item else {
            bail!("internal error: the chosen entry is not a key");
        };
        let Some(Item::Certificate(user)) =
            user_cert_of(wallet, k).map(|i| &wallet.entries[i].item)
        else {
            bail!(
                "the key has no user certificate yet: a Java key store entry needs one; install it with `orakit wallet add-user-cert`"
            );
        };
        let mut chain = vec![user.clone()];
        match chain::build(user, &pool)? {
            Chain::Complete(issuers) => chain.extend(issuers),
            // Java accepts a partial chain; orapki writes what the wallet has.
            Chain::Missing { found, .. } => chain.extend(found),
        }
        let alias = wallet.entries[k]
            .friendly_name
            .clone()
            .unwrap_or_else(|| format!("orakey{n}"));
        out.push(KeyEntry {
            alias,
            pkcs8: pkcs8.clone(),
            chain,
        });
    }
    Ok(out)
}

/// The wallet's trusted certificates with orapki's aliases, unique as a key store needs
/// them (repeats get " 1", " 2"...).
fn trusted_entries(wallet: &Wallet) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for i in wallet.trusted_indices() {
        let Item::Certificate(der) = &wallet.entries[i].item else {
            continue;
        };
        let base = cert_alias(der).to_lowercase();
        let mut candidate = base.clone();
        let mut n = 1;
        while out.iter().any(|(a, _)| *a == candidate) {
            candidate = format!("{base} {n}");
            n += 1;
        }
        out.push((candidate, der.clone()));
    }
    out
}

/// What a Java key store brings into a wallet.
pub enum FromJks {
    /// A key store: the key (by alias, else the only one) and its chain, plus the store's
    /// trusted certificates, which orapki jks_to_pkcs12 adds as trusted too.
    Key {
        identity: Box<Identity>,
        trusted: Vec<(String, Vec<u8>)>,
    },
    /// A trust store (no private key, as ADB's truststore.jks): its trusted certificates
    /// (only the one named by alias when one is given).
    TrustOnly(Vec<(String, Vec<u8>)>),
    /// A key store with several keys and no alias chosen: all of them.
    Keys {
        identities: Vec<Identity>,
        trusted: Vec<(String, Vec<u8>)>,
    },
}

/// Opens a JKS / JCEKS file and picks what goes into the wallet; refuses a store with
/// JCEKS secret-key entries (a wallet has no place for a raw symmetric key, and orapki's
/// jks_to_pkcs12 does not read JCEKS at all), naming them, so nothing is silently dropped.
pub fn read_jks_for_import(
    file: &Path,
    passwords: &JksPasswordArgs,
    alias: Option<&str>,
) -> Result<FromJks> {
    let bytes = read_input(file, "Java key store")?;
    let what = format!("the store password of {}", file.display());
    let password = passwords.require(&what, Prompt::Once)?;
    let store = jks::read(&bytes, password.as_str())
        .map_err(|e| anyhow!("{}: {e}; nothing was changed", file.display()))?;
    let secrets: Vec<String> = store
        .entries
        .iter()
        .filter(|e| matches!(e, JksEntry::SecretKey { .. }))
        .map(|e| format!("{:?}", e.alias()))
        .collect();
    if !secrets.is_empty() {
        bail!(
            "{}: holds the JCEKS secret key entry {} (and possibly more after it): a wallet keeps no symmetric keys, so orakit does not import it; copy the store without it (keytool -importkeystore -srcalias NAME for each key and certificate) and import that; nothing was changed",
            file.display(),
            secrets.join(", ")
        );
    }
    let names = || {
        store
            .entries
            .iter()
            .map(|e| format!("{:?}", e.alias()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let trusted_of = |wanted: Option<&str>| -> Vec<(String, Vec<u8>)> {
        store
            .entries
            .iter()
            .filter(|e| wanted.is_none_or(|a| e.alias().eq_ignore_ascii_case(a)))
            .filter_map(|e| match e {
                JksEntry::TrustedCert { alias, der, .. } => Some((alias.clone(), der.clone())),
                _ => None,
            })
            .collect()
    };
    let keys: Vec<&JksEntry> = store
        .entries
        .iter()
        .filter(|e| matches!(e, JksEntry::PrivateKey { .. }))
        .filter(|e| alias.is_none_or(|a| e.alias().eq_ignore_ascii_case(a)))
        .collect();
    if keys.is_empty() {
        let trusted = trusted_of(alias);
        if trusted.is_empty() {
            match alias {
                Some(a) => bail!(
                    "{}: no entry named {a:?} (entries: {}); nothing was changed",
                    file.display(),
                    names()
                ),
                None => bail!(
                    "{}: holds no private key and no trusted certificate; nothing was changed",
                    file.display()
                ),
            }
        }
        return Ok(FromJks::TrustOnly(trusted));
    }
    let all_trusted: Vec<Vec<u8>> = trusted_of(None).into_iter().map(|(_, der)| der).collect();
    let mut identities = Vec::new();
    for key in keys {
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
        others.extend(all_trusted.iter().cloned());
        identities.push(Identity {
            key: private,
            certificate: certificate.clone(),
            others,
            source_name: Some(key_alias.clone()),
        });
    }
    // An alias names one entry; without one the whole store comes in, as orapki brings it.
    let trusted = if alias.is_some() {
        Vec::new()
    } else {
        trusted_of(None)
    };
    if identities.len() == 1 {
        let identity = Box::new(identities.pop().expect("one"));
        return Ok(FromJks::Key { identity, trusted });
    }
    Ok(FromJks::Keys {
        identities,
        trusted,
    })
}

/// `wallet import --jks` of a key store with several keys and no `--jks-alias`: every key
/// (each keeping its JKS alias) and the store's trusted certificates, in one write, as
/// orapki jks_to_pkcs12 imports them all (observed).
pub fn import_key_store(
    args: &super::import::ImportArgs,
    file: &Path,
    identities: &[Identity],
    trusted: &[(String, Vec<u8>)],
) -> Result<Outcome> {
    let edit = super::open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let mut names = Vec::new();
    for identity in identities {
        let name = identity
            .source_name
            .clone()
            .unwrap_or_else(|| "orakey".into());
        let mut imported = crate::wallet::import::import(&mut wallet, identity, None, &name)
            .map_err(|e| anyhow!("{}: key {name:?}: {e}; nothing was changed", file.display()))?;
        add_store_trusted(&mut wallet, trusted, &mut imported)?;
        names.push(format!("{name:?}"));
    }
    super::save(&edit, &wallet)?;
    eprintln!(
        "imported the keys {} with their certificates and the trusted certificates of {} into {}",
        names.join(", "),
        file.display(),
        edit.opened.paths.dir.display()
    );
    Ok(Outcome::Success)
}

/// Adds a key store's trusted entries to the wallet (orapki jks_to_pkcs12 brings them all),
/// counting them in the import report; those the chain already brought stay as they are.
pub fn add_store_trusted(
    wallet: &mut Wallet,
    trusted: &[(String, Vec<u8>)],
    imported: &mut crate::wallet::import::Imported,
) -> Result<()> {
    for (alias, der) in trusted {
        let subject = crate::wallet::certs::subject_of(der);
        if add_named_trusted(wallet, alias, der)? {
            imported.trusted_added.push(subject.clone());
        } else if imported.trusted_added.contains(&subject) {
            // The key's chain brought it in just now: it takes the store's alias too, as
            // orapki names it (observed: `cn=dropin root ca`).
            name_trusted(wallet, alias, der);
        }
        imported.ignored.retain(|s| *s != subject);
    }
    Ok(())
}

/// Gives the trusted certificate `der` the friendly name `alias`.
fn name_trusted(wallet: &mut Wallet, alias: &str, der: &[u8]) {
    let found = wallet
        .trusted_indices()
        .into_iter()
        .find(|&i| matches!(&wallet.entries[i].item, Item::Certificate(d) if d.as_slice() == der));
    if let Some(i) = found {
        wallet.entries[i].friendly_name = Some(alias.to_owned());
    }
}

/// Adds a trusted certificate under its key store alias, which orapki jks_to_pkcs12 keeps
/// as the certificate's friendly name (observed: `cn=dropin root ca`, as JKS spells it).
/// Returns whether it was new.
fn add_named_trusted(wallet: &mut Wallet, alias: &str, der: &[u8]) -> Result<bool> {
    match wallet.add_trusted(der)? {
        crate::wallet::model::Added::Added => {
            name_trusted(wallet, alias, der);
            Ok(true)
        }
        crate::wallet::model::Added::AlreadyPresent => Ok(false),
    }
}

/// `wallet import --jks` of a trust store: its certificates become trusted certificates
/// of the wallet (a trust-only wallet when it had nothing else), as orapki jks_to_pkcs12.
pub fn import_trust_store(
    args: &super::import::ImportArgs,
    file: &Path,
    certs: &[(String, Vec<u8>)],
) -> Result<Outcome> {
    let edit = super::open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let (mut added, mut present) = (Vec::new(), Vec::new());
    for (alias, der) in certs {
        let subject = crate::wallet::certs::subject_of(der);
        if add_named_trusted(&mut wallet, alias, der)
            .map_err(|e| anyhow!("{}: {e}; nothing was changed", file.display()))?
        {
            added.push(subject);
        } else {
            present.push(subject);
        }
    }
    super::save(&edit, &wallet)?;
    eprintln!(
        "imported {} from the trust store {} into {}{}",
        crate::text::count(added.len(), "trusted certificate"),
        file.display(),
        edit.opened.paths.dir.display(),
        if present.is_empty() {
            String::new()
        } else {
            format!(" ({} already there)", present.len())
        }
    );
    if args.json {
        crate::cli::pki_io::print_json(&serde_json::json!({
            "wallet": edit.opened.paths.dir,
            "source": file,
            "trusted_added": added,
            "trusted_present": present,
        }))?;
    }
    Ok(Outcome::Success)
}
