//! `orakit ca init`: a self-signed root CA from a new or an existing key.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::exit::Outcome;
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{
    KeyChoice, NewKeyArgs, WrittenFile, existing_certificate, obtain_key, print_json,
    refuse_different, refuse_existing, rerun_key, write_outputs,
};
use crate::fsio::{MODE_PUBLIC, PlannedFile};
use crate::pki::rerun::{Compare, Dates, certificate_difference};
use crate::pki::show::{ObjectReport, describe_certificate};
use crate::pki::{ca, cert, name};

/// Default CA validity: ten years.
pub const DEFAULT_CA_DAYS: u32 = 3650;

#[derive(Debug, Args)]
pub struct CaArgs {
    #[command(subcommand)]
    pub command: CaCommand,
}

#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Make a self-signed root CA certificate (basicConstraints CA:TRUE, keyUsage
    /// keyCertSign + cRLSign, subjectKeyIdentifier).
    #[command(after_help = "EXAMPLES:\n  \
        orakit ca init --subject \"CN=Example Root CA, O=Example, C=US\" --key-out ca.key --out ca.pem\n  \
        orakit ca init --subject \"CN=Example Root CA\" --key ca.key --days 7300 --out ca.pem\n\n\
        The subject is written most specific first, like orapki's -dn:\n  \
        CN=host, OU=Sample Department, O=Sample Company, L=NYC, ST=NY, C=US")]
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Subject of the CA, most specific first: "CN=Example Root CA, O=Example, C=US".
    #[arg(long, value_name = "DN")]
    pub subject: String,
    /// Where to write the CA certificate (PEM, mode 0644).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Use this existing private key (PKCS#8, PKCS#1 or SEC1; PEM or DER).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["key_out", "key_type", "encrypt"])]
    pub key: Option<PathBuf>,
    /// Generate a new key and write it here (PKCS#8 PEM, mode 0600).
    #[arg(long, value_name = "PATH")]
    pub key_out: Option<PathBuf>,
    #[command(flatten)]
    pub new_key: NewKeyArgs,
    /// Password of the key: decrypts --key, or encrypts the key written to --key-out.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Validity in days.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CA_DAYS)]
    pub days: u32,
    /// Replace existing output files.
    #[arg(long, short_alias = 'f')]
    pub force: bool,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Serialize)]
struct CaResult {
    certificate: ObjectReport,
    files: Vec<WrittenFile>,
}

pub fn run(args: &CaArgs) -> Result<Outcome> {
    match &args.command {
        CaCommand::Init(a) => init(a),
    }
}

fn init(args: &InitArgs) -> Result<Outcome> {
    let subject = name::parse_dn(&args.subject)?;
    let choice = KeyChoice {
        existing: args.key.as_deref(),
        new_out: args.key_out.as_deref(),
        password: &args.password,
        new_key: &args.new_key,
        label: "CA key",
        missing_hint: "give --key-out PATH to generate the CA key, or --key PATH to use an existing one",
    };
    if !args.force && args.out.symlink_metadata().is_ok() {
        return rerun(args, &subject, &choice);
    }
    let mut outputs = vec![args.out.as_path()];
    if let Some(key_out) = &args.key_out {
        outputs.push(key_out);
    }
    refuse_existing(&outputs, args.force)?;

    let mut files = Vec::new();
    let mut written = Vec::new();
    let (key, key_note) = obtain_key(&choice, &mut files, &mut written)?;
    let certificate = ca::create_self_signed_ca(&key, &subject, args.days)?;
    let pem = cert::to_pem(&certificate)?;
    files.insert(
        0,
        PlannedFile::new(&args.out, pem.into_bytes(), MODE_PUBLIC),
    );
    written.insert(
        0,
        WrittenFile::new(&args.out, MODE_PUBLIC, "CA certificate"),
    );
    write_outputs(files, args.force)?;

    let report = describe_certificate(&certificate)?;
    eprintln!(
        "{} CA certificate {} (mode 0644)\n  subject:   {}\n  valid to:  {}\n  SHA-256:   {}",
        crate::cli::output::verb("Wrote", "Would write"),
        args.out.display(),
        report.subject,
        report.not_after.as_deref().unwrap_or("?"),
        report.sha256_fingerprint.as_deref().unwrap_or("?"),
    );
    if let Some(note) = key_note {
        eprintln!("{note}");
    }
    if args.json {
        print_json(&CaResult {
            certificate: report,
            files: written,
        })?;
    }
    Ok(Outcome::Success)
}

/// `ca init` again on its own output: the CA certificate in OUT is this key's, with the
/// subject and validity length asked for, and not expired (its serial and dates are of
/// the first run). Then nothing is written; anything else is refused, naming the
/// difference.
fn rerun(
    args: &InitArgs,
    subject: &x509_cert::name::Name,
    choice: &KeyChoice<'_>,
) -> Result<Outcome> {
    let existing = existing_certificate(&args.out).map_err(|d| refuse_different(&args.out, &d))?;
    let key = rerun_key(choice)?.map_err(|d| refuse_different(&args.out, &d))?;
    let planned = ca::create_self_signed_ca(&key, subject, args.days)?;
    let compare = Compare {
        signer: &planned,
        dates: Dates::Length,
        serial: false,
    };
    if let Some(difference) = certificate_difference(&existing, &planned, compare) {
        return Err(refuse_different(&args.out, &difference));
    }
    let report = describe_certificate(&existing)?;
    eprintln!(
        "{} already holds the CA certificate asked for ({}, valid to {}); nothing changed",
        args.out.display(),
        report.subject,
        report.not_after.as_deref().unwrap_or("?"),
    );
    if args.json {
        print_json(&CaResult {
            certificate: report,
            files: Vec::new(),
        })?;
    }
    Ok(Outcome::Success)
}
