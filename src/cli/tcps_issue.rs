//! `orakit tcps issue`: server wallets, certificates and Oracle Net files for every host
//! of a CSV file, signed by one CA, on all cores, resumable, with progress and a JSON
//! summary. The work itself is [`crate::fleet`].

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use clap::Args;
use der::Encode;
use serde::Serialize;

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::net::TargetArg;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::{KeyType, in_file, load_key, read_input};
use crate::cli::wallet::Encryption;
use crate::fleet::host_bundle::{self, CaMaterial, HOST_PLACEHOLDER, IssueOptions};
use crate::fleet::hosts_csv::{self, HostSpec};
use crate::fleet::run::{self, RunConfig};
use crate::fleet::state::OutDir;
use crate::fleet::summary::{Counts, SummarySpool};
use crate::pki::cert;
use crate::pki::key::{Curve, KeySpec, PrivateKey};
use crate::pki::name::to_rfc2253;
use crate::wallet::model::sha256_hex;
use crate::wallet::store::check_new_password;

mod bring;
mod progress;
use bring::{BringArgs, ClientWalletFacts};
use progress::Progress;

#[derive(Debug, Args)]
#[command(after_long_help = "\
The host file is CSV with a header line naming the columns host, sans, service, \
tcps_port and tcp_port (see docs/fleet.md). Each host gets OUT/<host>/wallet/ \
{ewallet.p12,cwallet.sso}, OUT/<host>/server.pem and OUT/<host>/network/{listener.ora, \
sqlnet.ora,tnsnames.ora}. A host directory appears only when complete; running the same \
command again skips complete hosts and redoes any a killed run left half-written. \
OUT/summary.json lists every host; the exit status is 1 if any host failed. One password \
(--password-file or --password-env, or a prompt) protects every ewallet.p12 of the run; \
--renew-within needs the same password to read each host's key back. \
--bring DIR gives hosts a certificate issued elsewhere (DIR/<host>/ as a Kubernetes TLS \
secret, DIR/<host>.p12, or DIR/<host>.key + .crt [+ .chain.pem]) and writes the client \
wallet OUT/client-wallet trusting every root (see docs/fleet.md).")]
pub struct IssueArgs {
    /// Directory holding the CA as ca.pem (certificate) and ca.key (private key).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["ca_cert", "ca_key"])]
    pub ca_dir: Option<PathBuf>,
    /// The CA certificate (PEM or DER; further certificates in the file are its issuers).
    #[arg(long, value_name = "FILE", requires = "ca_key")]
    pub ca_cert: Option<PathBuf>,
    /// The CA private key.
    #[arg(long, value_name = "FILE", requires = "ca_cert")]
    pub ca_key: Option<PathBuf>,
    /// Read the CA key's password from this file (when the key is encrypted).
    #[arg(long, value_name = "PATH", conflicts_with = "ca_key_password_env")]
    pub ca_key_password_file: Option<PathBuf>,
    /// Read the CA key's password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub ca_key_password_env: Option<String>,
    /// The host list (CSV: host,sans,service,tcps_port,tcp_port).
    #[arg(long, value_name = "FILE")]
    pub hosts: PathBuf,
    /// Output directory; one subdirectory per host.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Key type of new host keys: rsa2048 (default), rsa3072, rsa4096, p256, p384, p521.
    #[arg(
        long,
        value_enum,
        value_name = "TYPE",
        default_value_t = KeyType::Rsa2048,
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub key_type: KeyType,
    /// Certificate validity in days (never past the CA's).
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    pub days: u32,
    /// Subject DN of each certificate; {host} is replaced by the host name.
    #[arg(long, value_name = "DN", default_value = "CN={host}")]
    pub subject: String,
    /// Renewal: re-issue the certificates of complete hosts that expire within DAYS days,
    /// keeping each host's key; other complete hosts are left untouched.
    #[arg(long, value_name = "DAYS")]
    pub renew_within: Option<u32>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// Wallet encryption: 3des or aes256 [default: what an explicit --target's orapki
    /// writes, else 3des, which every Oracle release reads].
    #[arg(long, value_enum)]
    pub encryption: Option<Encryption>,
    /// Oracle release the listener.ora / sqlnet.ora entries and, when given, the wallets
    /// (19c and 23ai: AES-256 as their orapki writes) are for [default: 19c, with 3DES
    /// wallets].
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// The wallet directory as each database host will see it, for WALLET_LOCATION
    /// ({host} is replaced by the host name). Default: /u01/app/oracle/wallet/tls, where
    /// `tcps init` installs the server wallet (not this machine's OUT directory).
    #[arg(long, value_name = "PATH", alias = "wallet-location")]
    pub server_wallet_dir: Option<String>,
    /// Re-issue (same key) complete hosts whose files no longer match the host file or
    /// the options (a SAN added, a port or the wallet location changed). Without it such
    /// "drift" is reported and the host is left as it is.
    #[arg(long)]
    pub reissue_drifted: bool,
    /// Let --renew-within / --reissue-drifted re-sign a host whose certificate another CA
    /// issued under this run's CA. Without it such a host fails and is left unchanged:
    /// its clients (and AWS DMS) may not trust the new CA.
    #[arg(long)]
    pub allow_ca_change: bool,
    /// Also print the summary (JSON) on standard output.
    #[arg(long)]
    pub json: bool,
    /// The ewallet.p12 password, one for every wallet of the run (a prompt on a terminal).
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub bring: BringArgs,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

/// The fields of summary.json before its `hosts` list.
#[derive(Serialize)]
struct SummaryHead {
    schema_version: u32,
    out: String,
    ca_subject: String,
    ca_sha256: String,
    key_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    renew_within_days: Option<u32>,
    jobs: usize,
    elapsed_seconds: f64,
    /// With --bring: the client wallet and the roots it trusts.
    #[serde(skip_serializing_if = "Option::is_none")]
    client_wallet: Option<ClientWalletFacts>,
    #[serde(flatten)]
    counts: Counts,
}

pub fn issue(args: &IssueArgs) -> Result<Outcome> {
    // Everything that can be wrong with the inputs is found before any host is issued.
    let hosts_text = String::from_utf8(read_input(&args.hosts, "host file")?)
        .map_err(|_| anyhow!("host file {}: it is not UTF-8 text", args.hosts.display()))?;
    let hosts = hosts_csv::parse(&hosts_text)
        .map_err(|e| anyhow!("host file {}:\n{e}", args.hosts.display()))?;
    drop(hosts_text);
    if !args.subject.contains(HOST_PLACEHOLDER) {
        return Err(UsageError(format!(
            "--subject {:?} has no {HOST_PLACEHOLDER}: every host would get the same subject",
            args.subject
        ))
        .into());
    }
    let ca = load_ca(args)?;
    let wallet_password = args.password.require(
        "the password for the new wallets (ewallet.p12)",
        Prompt::Confirm,
    )?;
    if let Err(rule) = check_new_password(&wallet_password) {
        return Err(UsageError(format!("wallet password: {rule}")).into());
    }
    let out_abs = std::path::absolute(&args.out)
        .with_context(|| format!("cannot resolve {}", args.out.display()))?;
    let wallet_location = args
        .server_wallet_dir
        .clone()
        .unwrap_or_else(|| crate::cli::tcps::DEFAULT_SERVER_WALLET_DIR.to_owned());
    let options = IssueOptions {
        key_spec: args.key_type.spec(),
        days: args.days,
        subject: args.subject.clone(),
        wallet_password,
        wallet_profile: Encryption::resolve(args.encryption, args.target).profile(),
        target: args.target.unwrap_or(TargetArg::V19c).into(),
        wallet_location,
    };
    preflight(&ca, &hosts[0], &options)?;
    let brought = args.bring.read(&hosts, options.wallet_profile)?;

    let check = crate::changes::check_mode();
    // --check on an output directory that does not exist yet plans against an empty
    // stand-in of our own (every host would be issued); nothing is written to either.
    let stand_in = if check && std::fs::symlink_metadata(&args.out).is_err() {
        Some(CheckStandIn::create()?)
    } else {
        None
    };
    let out_path = stand_in
        .as_ref()
        .map_or(args.out.as_path(), |s| s.path.as_path());
    let out = OutDir::create(out_path)
        .with_context(|| format!("cannot prepare output directory {}", args.out.display()))?;
    let recovery = if check {
        // --check cleans nothing up: interrupted hosts show as to be issued again.
        crate::fleet::state::Recovery::default()
    } else {
        out.recover()
            .context("cannot clean up after an earlier run")?
    };
    if !recovery.discarded.is_empty() {
        eprintln!(
            "An earlier run was interrupted: {} will be redone.",
            crate::text::count(recovery.discarded.len(), "half-written host")
        );
    }
    if !recovery.restored.is_empty() {
        eprintln!(
            "An earlier renewal was interrupted: restored the previous files of {}.",
            recovery.restored.join(", ")
        );
    }

    let jobs = args.jobs.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let config = RunConfig {
        jobs,
        renew_within: args.renew_within,
        reissue_drifted: args.reissue_drifted,
        allow_ca_change: args.allow_ca_change,
    };
    let started = Instant::now();
    let mut progress = Progress::new(hosts.len(), std::io::stderr().is_terminal());
    let mut spool = SummarySpool::create(&out).context("cannot start the run summary")?;
    let mut spool_error = None;
    run::run(&out, &ca, &hosts, &options, &brought, config, |report| {
        progress.host_done(&report);
        if let Err(e) = spool.add(&report)
            && spool_error.is_none()
        {
            spool_error = Some(e);
        }
    });
    progress.finish();
    if let Some(e) = spool_error {
        return Err(e).context("cannot write the run summary (the hosts were issued)");
    }

    let client_wallet = match &args.bring.bring {
        Some(_) => Some(bring::write_client_wallet(
            &out,
            &hosts,
            &brought,
            &ca.chain_der,
            options.wallet_profile,
        )?),
        None => None,
    };
    let client_changed = client_wallet.as_ref().is_some_and(|(_, changed)| *changed);
    let counts = spool.counts();
    let first_failed = spool.first_failed().to_vec();
    let ca_der = ca
        .certificate
        .to_der()
        .context("encoding the CA certificate")?;
    let head = SummaryHead {
        schema_version: 1,
        out: out_abs.display().to_string(),
        ca_subject: to_rfc2253(ca.certificate.tbs_certificate().subject()),
        ca_sha256: sha256_hex(&ca_der),
        key_type: options.key_spec.description(),
        renew_within_days: args.renew_within,
        jobs: jobs.min(hosts.len()),
        elapsed_seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        client_wallet: client_wallet.map(|(facts, _)| facts),
        counts,
    };
    let summary_path = args.out.join(crate::fleet::layout::SUMMARY);
    // A run that issued, renewed and failed nothing, over the hosts and CA the summary on
    // disk already describes, leaves it as it is (it records the last run that changed
    // something): a rerun changes no file.
    let unchanged = check
        || (counts.issued + counts.renewed + counts.failed == 0
            && !client_changed
            && summary_still_holds(&summary_path, &head, &hosts));
    let rendered = if unchanged {
        let bytes = spool
            .finish_unwritten(&out, &head)
            .context("cannot prepare the run summary")?;
        String::from_utf8(bytes).context("cannot prepare the run summary")?
    } else {
        spool
            .finish(&out, &head)
            .context("cannot write the run summary")?;
        String::new()
    };
    out.finish();
    drop(stand_in);
    if check && !args.json {
        // The hosts a real run would issue or renew, for the check report's "would" lines.
        if let Ok(summary) = serde_json::from_str::<serde_json::Value>(&rendered) {
            crate::cli::output::record_fleet_hosts(&summary, &out_abs);
        }
    }
    if args.json {
        // The summary with the scripting contract's fields (changed, changes).
        let text = if unchanged {
            rendered
        } else {
            std::fs::read_to_string(&summary_path)
                .with_context(|| format!("cannot read {}", summary_path.display()))?
        };
        let mut summary: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("cannot read {}", summary_path.display()))?;
        // The fleet writes through directory handles (fleet/state.rs), not fsio: its
        // changes are the hosts it issued or renewed (skipped hosts are untouched).
        crate::cli::output::record_fleet_hosts(&summary, &out_abs);
        if counts.issued + counts.renewed > 0 || client_changed {
            summary["changed"] = true.into();
        }
        crate::cli::output::print_json(&summary)?;
    }
    if check {
        eprintln!(
            "check: {} would be issued, {} renewed, {} skipped, {} failed ({}); no summary written",
            counts.issued,
            counts.renewed,
            counts.skipped,
            counts.failed,
            crate::text::count(counts.total, "host"),
        );
    } else {
        eprintln!(
            "{} issued, {} renewed, {} skipped, {} failed ({}, {}, {:.1} s); summary in {}",
            counts.issued,
            counts.renewed,
            counts.skipped,
            counts.failed,
            crate::text::count(counts.total, "host"),
            crate::text::count(head.jobs, "job"),
            head.elapsed_seconds,
            summary_path.display()
        );
    }
    if counts.failed > 0 {
        let more = if counts.failed > first_failed.len() {
            ", ..."
        } else {
            ""
        };
        return Err(anyhow!(
            "{} of {} failed ({}{more}); the others are complete. Fix the cause and run \
             the same command again to finish them",
            counts.failed,
            crate::text::count(counts.total, "host"),
            first_failed.join(", ")
        ));
    }
    Ok(Outcome::Success)
}

/// Whether `path` is a summary of a run without failures for exactly these hosts, this
/// CA (by its certificate's SHA-256) and this client wallet.
fn summary_still_holds(path: &std::path::Path, head: &SummaryHead, hosts: &[HostSpec]) -> bool {
    let ca_sha256 = head.ca_sha256.as_str();
    let Ok(text) = std::fs::read(path) else {
        return false;
    };
    let Ok(summary) = serde_json::from_slice::<serde_json::Value>(&text) else {
        return false;
    };
    if summary["failed"].as_u64() != Some(0) || summary["ca_sha256"].as_str() != Some(ca_sha256) {
        return false;
    }
    let client_wallet = serde_json::to_value(&head.client_wallet).unwrap_or_default();
    if summary
        .get("client_wallet")
        .unwrap_or(&serde_json::Value::Null)
        != &client_wallet
    {
        return false;
    }
    let Some(listed) = summary["hosts"].as_array() else {
        return false;
    };
    let mut on_disk: Vec<&str> = listed.iter().filter_map(|h| h["host"].as_str()).collect();
    let mut asked: Vec<&str> = hosts.iter().map(|h| h.host.as_str()).collect();
    on_disk.sort_unstable();
    asked.sort_unstable();
    on_disk.len() == listed.len() && on_disk == asked
}

/// The CA certificate(s) and key, from --ca-dir or --ca-cert/--ca-key.
fn load_ca(args: &IssueArgs) -> Result<CaMaterial> {
    let (cert_path, key_path) = match (&args.ca_dir, &args.ca_cert, &args.ca_key) {
        (Some(dir), _, _) => (dir.join("ca.pem"), dir.join("ca.key")),
        (None, Some(cert), Some(key)) => (cert.clone(), key.clone()),
        _ => {
            return Err(UsageError(
                "give the CA: --ca-dir DIR (holding ca.pem and ca.key), or --ca-cert FILE \
                 and --ca-key FILE"
                    .into(),
            )
            .into());
        }
    };
    let cert_bytes = read_input(&cert_path, "CA certificate")?;
    let certificates =
        cert::read_certificates(&cert_bytes).map_err(in_file("CA certificate", &cert_path))?;
    let mut chain_der = Vec::new();
    for certificate in &certificates {
        chain_der.push(
            certificate
                .to_der()
                .context("encoding the CA certificate")?,
        );
    }
    let ca_passwords = PasswordArgs {
        password_file: args.ca_key_password_file.clone(),
        password_env: args.ca_key_password_env.clone(),
    };
    let key = load_key(&key_path, "CA key", &ca_passwords)?;
    key.signer().map_err(in_file("CA key", &key_path))?;
    let certificate = certificates
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("CA certificate {}: no certificate", cert_path.display()))?;
    if !key
        .matches(certificate.tbs_certificate().subject_public_key_info())
        .map_err(in_file("CA key", &key_path))?
    {
        return Err(anyhow!(
            "CA key {} does not belong to the CA certificate {} ({}); give the key the \
             certificate was made from",
            key_path.display(),
            cert_path.display(),
            to_rfc2253(certificate.tbs_certificate().subject())
        ));
    }
    Ok(CaMaterial {
        certificate,
        chain_der,
        key,
    })
}

/// Builds the first host once in memory with a throwaway EC key, so a CA that cannot
/// sign (not a CA, expired), a bad --subject or a bad --server-wallet-dir fails the run
/// before any host is written, instead of failing every host one by one.
fn preflight(ca: &CaMaterial, first: &HostSpec, options: &IssueOptions) -> Result<()> {
    let probe_key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 })?;
    host_bundle::build_with_key(ca, first, options, &probe_key)
        .map(drop)
        .map_err(|e| {
            anyhow!(
                "cannot issue for {} (checked before starting): {e}",
                first.host
            )
        })
}

/// An empty private directory standing in for an output directory that does not exist
/// yet, so `tcps issue --check` can plan a first run. Made by one mkdir (0700, random
/// name: never an existing path) and removed when dropped.
struct CheckStandIn {
    path: std::path::PathBuf,
}

impl CheckStandIn {
    fn create() -> Result<Self> {
        use std::os::unix::fs::DirBuilderExt;
        let name: String = crate::random::bytes(12)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let path = std::env::temp_dir().join(format!("orakit-check-{name}"));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .with_context(|| format!("cannot create {} for --check", path.display()))?;
        Ok(Self { path })
    }
}

impl Drop for CheckStandIn {
    fn drop(&mut self) {
        // Empty: --check writes nothing into it.
        let _ = std::fs::remove_dir(&self.path);
    }
}
