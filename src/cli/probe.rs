//! `orakit probe HOST:PORT`: a live TLS handshake, the chain, what was negotiated, the DN
//! to paste into SSL_SERVER_CERT_DN, and the four DMS SSL modes.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::Args;
use der::Decode;
use serde::Serialize;
use x509_cert::Certificate;

use crate::cli::exit::Outcome;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::print_json;
use crate::pki::name::{parse_dn, to_rfc2253};
use crate::pki::show::{ObjectReport, describe_certificate};
use crate::probe::trust::{self, TrustAnchors};
use crate::probe::{
    Expectations, Handshake, ModeResult, SslMode, Target, Verdict, evaluate, run_handshake,
};

#[derive(Debug, Args)]
#[command(after_help = "\
The SSL modes are AWS DMS's: none (no TLS), require (TLS, certificate not checked),
verify-ca (chain to a trusted CA), verify-full (also the host name, or --server-dn).
Without --mode, verify-full is judged when --wallet or --ca-cert is given, require otherwise.
Exit 0 when that mode would work, 3 when it would not, 1 when no connection was made.

EXAMPLES:
  orakit probe db.example.com:2484 --wallet /u01/app/oracle/wallet
  orakit probe 10.0.0.5:2484 --ca-cert rds-ca.pem --server-dn \"CN=db,O=Example,C=US\"
  orakit probe db:2484 --mode require --json")]
pub struct ProbeArgs {
    /// The TCPS listener, HOST:PORT (an IPv6 address as [ADDR]:PORT).
    #[arg(value_name = "HOST:PORT")]
    pub target: String,
    /// Trust the trusted certificates of this wallet (cwallet.sso, ewallet.p12 or ewallet.pem;
    /// also a wallet zip or a Java key store, read in place).
    #[arg(long, value_name = "DIR", conflicts_with = "ca")]
    pub wallet: Option<PathBuf>,
    /// Trust the certificates in this file (PEM bundle or DER).
    #[arg(long = "ca-cert", alias = "ca", value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// The DN the client expects (SSL_SERVER_CERT_DN); verify-full compares it instead of the host.
    #[arg(long, value_name = "DN")]
    pub server_dn: Option<String>,
    /// The SSL mode whose verdict sets the exit code.
    #[arg(long, value_name = "MODE", value_parser = ["none", "require", "verify-ca", "verify-full"])]
    pub mode: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Seconds to wait for the connection and for each read.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
    /// For a password-only wallet (ewallet.p12 without cwallet.sso).
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Serialize)]
struct ProbeReport<'a> {
    target: String,
    handshake: &'a Handshake,
    chain: Vec<ObjectReport>,
    /// The leaf's subject, RFC 2253.
    server_dn: Option<String>,
    trust_source: Option<String>,
    modes: Vec<ModeResult>,
    mode: SslMode,
    mode_passes: bool,
}

pub fn run(args: &ProbeArgs) -> Result<Outcome> {
    let target = Target::parse(&args.target)?;
    if let Some(dn) = &args.server_dn {
        parse_dn(dn).context("--server-dn is not a DN")?;
    }
    let anchors = load_trust(args)?;
    let handshake = run_handshake(&target, Duration::from_secs(args.timeout))?;
    let now_unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs();
    let modes = evaluate(
        &handshake,
        &Expectations {
            host: &target.host,
            trusted: anchors.as_ref().map(|a| a.certificates.as_slice()),
            server_dn: args.server_dn.as_deref(),
            now_unix,
        },
    );
    let mode = match &args.mode {
        Some(m) => m.parse::<SslMode>().map_err(anyhow::Error::msg)?,
        None if anchors.is_some() => SslMode::VerifyFull,
        None => SslMode::Require,
    };
    let mode_passes = modes
        .iter()
        .any(|r| r.mode == mode && r.verdict == Verdict::Pass);
    let report = ProbeReport {
        target: target.to_string(),
        handshake: &handshake,
        chain: handshake
            .chain
            .iter()
            .map(|der| {
                Certificate::from_der(der)
                    .map_err(anyhow::Error::from)
                    .and_then(|c| describe_certificate(&c).map_err(anyhow::Error::from))
            })
            .collect::<Result<_>>()
            .context("the server sent a certificate orakit cannot parse")?,
        server_dn: handshake
            .chain
            .first()
            .and_then(|der| Certificate::from_der(der).ok())
            .map(|c| to_rfc2253(c.tbs_certificate().subject())),
        trust_source: anchors.as_ref().map(|a| a.source.display().to_string()),
        modes,
        mode,
        mode_passes,
    };
    if args.json {
        print_json(&report)?;
    } else {
        print!("{}", text(&report));
    }
    Ok(if mode_passes {
        Outcome::Success
    } else {
        Outcome::ProblemsFound
    })
}

fn load_trust(args: &ProbeArgs) -> Result<Option<TrustAnchors>> {
    if let Some(file) = &args.ca {
        return Ok(Some(trust::from_ca_file(file)?));
    }
    let Some(dir) = &args.wallet else {
        return Ok(None);
    };
    let password = args
        .password
        .resolve("the wallet password", Prompt::Never)?;
    Ok(Some(
        trust::from_wallet(dir, password.as_ref())
            .with_context(|| format!("cannot take trusted certificates from {}", dir.display()))?,
    ))
}

fn text(r: &ProbeReport) -> String {
    let mut out = String::new();
    let h = r.handshake;
    let _ = writeln!(out, "Probed {} ({})", r.target, h.peer);
    match (&h.failure, &h.version, &h.cipher_suite) {
        (Some(f), _, _) => {
            let _ = writeln!(out, "Handshake:    FAILED: {}", f.detail);
        }
        (None, v, s) => {
            let _ = writeln!(
                out,
                "Negotiated:   {}, {}",
                v.as_deref().unwrap_or("?"),
                s.as_deref().unwrap_or("?")
            );
        }
    }
    if let Some(cas) = &h.client_certificate_requested {
        let _ = writeln!(
            out,
            "Client auth:  the server asks for a client certificate{}",
            if cas.is_empty() {
                String::new()
            } else {
                format!(" issued by: {}", cas.join("; "))
            }
        );
    }
    let _ = writeln!(
        out,
        "\nCertificates sent by the server ({}):",
        r.chain.len()
    );
    for (i, c) in r.chain.iter().enumerate() {
        let _ = writeln!(out, "  [{i}] subject:  {}", c.subject);
        let _ = writeln!(
            out,
            "      issuer:   {}",
            c.issuer.as_deref().unwrap_or("?")
        );
        let _ = writeln!(
            out,
            "      valid:    {} to {}",
            c.not_before.as_deref().unwrap_or("?"),
            c.not_after.as_deref().unwrap_or("?")
        );
        let _ = writeln!(out, "      key:      {}", c.key);
        if !c.subject_alt_names.is_empty() {
            let _ = writeln!(out, "      SANs:     {}", c.subject_alt_names.join(", "));
        }
    }
    if let Some(dn) = &r.server_dn {
        let _ = writeln!(out, "\nServer DN, for tnsnames.ora or sqlnet.ora:");
        let _ = writeln!(out, "  (SECURITY=(SSL_SERVER_CERT_DN=\"{dn}\"))");
    }
    let _ = writeln!(
        out,
        "\nTrust:        {}",
        r.trust_source
            .as_deref()
            .unwrap_or("none given (--wallet DIR or --ca-cert FILE)")
    );
    let _ = writeln!(out, "\nAWS DMS SSL modes:");
    for m in &r.modes {
        let verdict = match m.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::NotChecked => "n/a",
        };
        let _ = writeln!(out, "  {:<12} {:<5} {}", m.mode.name(), verdict, m.reason);
    }
    let _ = writeln!(
        out,
        "\nMode {}: {}",
        r.mode.name(),
        if r.mode_passes {
            "would work"
        } else {
            "would FAIL"
        }
    );
    out
}
