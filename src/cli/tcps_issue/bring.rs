//! `tcps issue --bring DIR`: server certificates issued elsewhere for some (or all) hosts
//! of the host file, one entry of DIR per host, in the forms `tcps init` takes:
//!
//! ```text
//! DIR/<host>/            a Kubernetes TLS secret: tls.crt, tls.key, ca.crt (cert-manager)
//! DIR/<host>.p12         a PKCS#12 / PFX file (or DIR/<host>.pfx)
//! DIR/<host>.key + DIR/<host>.crt [+ DIR/<host>.chain.pem]   PEM key, certificate, chain
//! ```
//!
//! Each entry is read by [`ByoArgs::read`] (the code of `tcps init --tls-secret /
//! --pkcs12 / --key --cert --chain`) and checked by [`crate::tcps::byo::check`] before
//! any host is written; every bad entry is reported with its host, and nothing is written.
//! After the run, the client (AWS DMS) wallet `OUT/client-wallet` trusts every root the
//! fleet's servers chain to ([`write_client_wallet`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use clap::Args;
use serde::Serialize;

use crate::cli::tcps_byo::ByoArgs;
use crate::cli::wallet::other_passwords::{KeyPasswordArgs, Pkcs12PasswordArgs};
use crate::fleet::hosts_csv::HostSpec;
use crate::fleet::layout::CLIENT_WALLET;
use crate::fleet::run::BroughtHosts;
use crate::fleet::state::OutDir;
use crate::fsio::{self, MODE_PUBLIC, Overwrite};
use crate::tcps::byo;
use crate::wallet::certs::subject_of;
use crate::wallet::model::{Profile, sha256_hex};
use crate::wallet::pem::trust_pem;
use crate::wallet::store::{self, WalletPaths, WalletType};

/// The suffixes of a host's files in the --bring directory.
const FILE_SUFFIXES: [&str; 5] = [".p12", ".pfx", ".key", ".crt", ".chain.pem"];

#[derive(Debug, Args)]
#[command(next_help_heading = "Bring your own server certificates (issued elsewhere)")]
pub struct BringArgs {
    /// Server certificates issued elsewhere, one entry per host: DIR/<host>/ (tls.crt,
    /// tls.key, ca.crt, as a Kubernetes TLS secret), DIR/<host>.p12 (or .pfx), or
    /// DIR/<host>.key + DIR/<host>.crt [+ DIR/<host>.chain.pem]. Hosts without an entry
    /// are issued by the CA; the client wallet OUT/client-wallet trusts every root.
    #[arg(long, value_name = "DIR")]
    pub bring: Option<PathBuf>,
    /// One password for every PKCS#12 file of --bring.
    #[command(flatten)]
    pub pkcs12_password: Pkcs12PasswordArgs,
    /// One password for every encrypted PEM key of --bring.
    #[command(flatten)]
    pub key_password: KeyPasswordArgs,
}

impl BringArgs {
    /// Reads and checks every brought certificate (none without --bring). All problems
    /// are reported together, each naming its host and file.
    pub fn read(&self, hosts: &[HostSpec], profile: Profile) -> Result<BroughtHosts> {
        let mut found = BroughtHosts::new();
        let Some(dir) = &self.bring else {
            return Ok(found);
        };
        if !dir.is_dir() {
            return Err(anyhow!(
                "--bring {}: not a directory; give the directory holding one entry per host \
                 (<host>/ with tls.crt and tls.key, <host>.p12, or <host>.key + <host>.crt)",
                dir.display()
            ));
        }
        let mut problems = stray_entries(dir, hosts)?;
        for host in hosts {
            match self.entry(dir, &host.host) {
                Ok(None) => {}
                Ok(Some(args)) => match args
                    .read()
                    .and_then(|b| b.ok_or_else(|| anyhow!("nothing to read")))
                {
                    Ok(brought) => match byo::check(&brought, profile) {
                        Ok(_) => {
                            found.insert(host.host.clone(), brought);
                        }
                        Err(e) => {
                            problems.push(format!("host {} (line {}): {e}", host.host, host.line))
                        }
                    },
                    Err(e) => {
                        problems.push(format!("host {} (line {}): {e:#}", host.host, host.line))
                    }
                },
                Err(problem) => problems.push(format!(
                    "host {} (line {}): {problem}",
                    host.host, host.line
                )),
            }
        }
        match problems.as_slice() {
            [] => Ok(found),
            [one] => Err(anyhow!("--bring {}: {one}", dir.display())),
            many => Err(anyhow!(
                "--bring {}: {} entries are wrong; nothing was written:\n{}",
                dir.display(),
                many.len(),
                many.join("\n")
            )),
        }
    }

    /// The `tcps init` options that read `host`'s entry, or `None` without one.
    fn entry(&self, dir: &Path, host: &str) -> Result<Option<ByoArgs>, String> {
        let at = |suffix: &str| dir.join(format!("{host}{suffix}"));
        let secret = dir.join(host);
        let pkcs12: Vec<PathBuf> = [".p12", ".pfx"]
            .iter()
            .map(|s| at(s))
            .filter(|p| p.is_file())
            .collect();
        let (key, cert, chain) = (at(".key"), at(".crt"), at(".chain.pem"));
        let pem = key.is_file() || cert.is_file();
        let forms = usize::from(secret.is_dir()) + pkcs12.len() + usize::from(pem);
        if forms > 1 {
            return Err(format!(
                "{} holds more than one certificate for it (a <host>/ secret, <host>.p12/.pfx, \
                 <host>.key + <host>.crt); keep one",
                dir.display()
            ));
        }
        let mut args = ByoArgs {
            pkcs12: None,
            pkcs12_alias: None,
            pkcs12_password: self.pkcs12_password.clone(),
            key: None,
            cert: None,
            chain: Vec::new(),
            key_password: self.key_password.clone(),
            tls_secret: None,
        };
        if secret.is_dir() {
            args.tls_secret = Some(secret);
        } else if let Some(file) = pkcs12.into_iter().next() {
            args.pkcs12 = Some(file);
        } else if pem {
            if !key.is_file() || !cert.is_file() {
                let (have, missing) = if key.is_file() {
                    (&key, &cert)
                } else {
                    (&cert, &key)
                };
                return Err(format!(
                    "{} has no {} beside it; a PEM entry is <host>.key with <host>.crt \
                     (and optionally <host>.chain.pem); nothing was written",
                    have.display(),
                    missing.display()
                ));
            }
            args.key = Some(key);
            args.cert = Some(cert);
            if chain.is_file() {
                args.chain.push(chain);
            }
        } else {
            return Ok(None);
        }
        Ok(Some(args))
    }
}

/// Entries of the --bring directory that belong to no host of the host file (a typo would
/// otherwise issue that host from the CA without a word).
fn stray_entries(dir: &Path, hosts: &[HostSpec]) -> Result<Vec<String>> {
    let known: HashSet<String> = hosts.iter().map(|h| h.host.to_ascii_lowercase()).collect();
    let mut problems = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read --bring {}", dir.display()))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let host = if entry.path().is_dir() {
            Some(name.as_str())
        } else {
            FILE_SUFFIXES.iter().find_map(|s| name.strip_suffix(s))
        };
        if let Some(host) = host
            && !name.starts_with('.')
            && !known.contains(&host.to_ascii_lowercase())
        {
            problems.push(format!(
                "{} is for host {host:?}, which the host file does not list; rename it after \
                 its host or move it away",
                entry.path().display()
            ));
        }
    }
    Ok(problems)
}

/// The client wallet's facts in the summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClientWalletFacts {
    pub wallet_dir: String,
    pub trusted: Vec<TrustedRoot>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrustedRoot {
    pub subject: String,
    pub sha256: String,
}

/// Writes OUT/client-wallet (auto-login-only cwallet.sso, the AWS DMS upload, and
/// ewallet.pem) trusting `ca_chain` (when some host is the CA's) and every brought root,
/// in that order. A wallet that already trusts exactly those is left as it is. Returns
/// the facts and whether a file changed.
pub fn write_client_wallet(
    out: &OutDir,
    hosts: &[HostSpec],
    brought: &BroughtHosts,
    ca_chain: &[Vec<u8>],
    profile: Profile,
) -> Result<(ClientWalletFacts, bool)> {
    let mut roots: Vec<Vec<u8>> = Vec::new();
    if hosts.iter().any(|h| !brought.contains_key(&h.host)) {
        roots.extend(ca_chain.iter().cloned());
    }
    for host in hosts {
        if let Some(b) = brought.get(&host.host) {
            let root = byo::check(b, profile)?.root_der;
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
    }
    let dir = out.root().join(CLIENT_WALLET);
    let facts = ClientWalletFacts {
        wallet_dir: std::path::absolute(&dir)
            .unwrap_or_else(|_| dir.clone())
            .display()
            .to_string(),
        trusted: roots
            .iter()
            .map(|der| TrustedRoot {
                subject: subject_of(der),
                sha256: sha256_hex(der),
            })
            .collect(),
    };
    let wallet = crate::tcps::client::trust_only_wallet(&roots, profile)?;
    let paths = WalletPaths::in_dir(&dir);
    let pem = trust_pem(&roots);
    let pem_path = dir.join("ewallet.pem");
    let changed =
        !store::save_would_change_nothing(&paths, &wallet, WalletType::AutoLoginOnly, None, None)
            || std::fs::read(&pem_path).ok().as_deref() != Some(pem.as_bytes());
    if !changed {
        return Ok((facts, false));
    }
    if out.dir().lstat(CLIENT_WALLET)?.is_none() && !crate::changes::check_mode() {
        out.dir()
            .create_dir(CLIENT_WALLET, 0o755)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    store::save(
        &paths,
        &wallet,
        WalletType::AutoLoginOnly,
        None,
        Overwrite::Allow,
    )
    .with_context(|| format!("cannot write the client wallet {}", dir.display()))?;
    fsio::write_atomic(&pem_path, pem.as_bytes(), MODE_PUBLIC, Overwrite::Allow)?;
    Ok((facts, true))
}
