//! `orakit csr create` and `orakit csr sign`.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::cli::exit::Outcome;
use crate::cli::output::verb;
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{
    KeyChoice, NewKeyArgs, WrittenFile, existing_certificate, existing_request, in_file, load_key,
    obtain_key, print_json, read_input, refuse_different, refuse_existing, rerun_key,
    write_outputs,
};
use crate::fsio::{MODE_PUBLIC, PlannedFile};
use crate::pki::csr::{Csr, create_csr};
use crate::pki::issue::{IssueRequest, issue_certificate};
use crate::pki::profile::Profile;
use crate::pki::rerun::{Compare, Dates, certificate_difference, request_difference};
use crate::pki::san::SanEntry;
use crate::pki::show::{ObjectReport, describe_certificate, describe_csr};
use crate::pki::{cert, name, serial};

/// Default validity of an issued certificate: one year.
pub const DEFAULT_LEAF_DAYS: u32 = 365;

#[derive(Debug, Args)]
pub struct CsrArgs {
    #[command(subcommand)]
    pub command: CsrCommand,
}

#[derive(Debug, Subcommand)]
pub enum CsrCommand {
    /// Make a PKCS#10 certificate request for a key, a subject and SANs.
    #[command(after_help = "EXAMPLES:\n  \
        orakit csr create --key server.key --subject \"CN=db1.example.com, O=Example\" \\\n      \
        --san db1.example.com --san 10.0.0.5 --out server.csr\n  \
        orakit csr create --key-out server.key --key-type p256 --subject \"CN=db1\" --out server.csr")]
    Create(CreateArgs),
    /// Issue a certificate from a request with a CA certificate and key.
    #[command(
        after_help = "The certificate keeps the request's subject, key and SANs (plus any --san), \
        gets the extensions of --profile (basicConstraints CA:FALSE, keyUsage, extendedKeyUsage, \
        authority and subject key identifiers) and never outlives the CA. Nothing else is copied \
        from the request.\n\n\
        EXAMPLES:\n  \
        orakit csr sign server.csr --ca-cert ca.pem --ca-key ca.key --out server.pem\n  \
        orakit csr sign client.csr --profile client --ca-cert ca.pem --ca-key ca.key \\\n      \
        --serial-file ca.srl --days 730 --out client.pem"
    )]
    Sign(SignArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Subject, most specific first: "CN=db1.example.com, O=Example, C=US".
    #[arg(long, value_name = "DN")]
    pub subject: String,
    /// Subject alternative name: a DNS name or IP address (DNS:/IP: prefixes optional). Repeatable.
    #[arg(long, value_name = "NAME")]
    pub san: Vec<String>,
    /// Where to write the request (PEM, mode 0644).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// The key to make the request for (PKCS#8, PKCS#1 or SEC1; PEM or DER).
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
    /// Replace existing output files.
    #[arg(long, short_alias = 'f')]
    pub force: bool,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

/// The certificate profile, as a command-line value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// TLS server (a listener): extendedKeyUsage serverAuth.
    Server,
    /// TLS client: extendedKeyUsage clientAuth.
    Client,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The certificate request (PEM or DER).
    #[arg(value_name = "CSR")]
    pub csr: PathBuf,
    /// The CA certificate.
    #[arg(long, value_name = "PATH")]
    pub ca_cert: PathBuf,
    /// The CA private key.
    #[arg(long, value_name = "PATH")]
    pub ca_key: PathBuf,
    /// Read the CA key's password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "ca_key_password_env")]
    pub ca_key_password_file: Option<PathBuf>,
    /// Read the CA key's password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub ca_key_password_env: Option<String>,
    /// Where to write the certificate (PEM, mode 0644).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// What the certificate is for.
    #[arg(long, value_enum, default_value = "server")]
    pub profile: ProfileArg,
    /// Add a subject alternative name to those of the request. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub san: Vec<String>,
    /// Validity in days (cut to the CA's end date, with a warning).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LEAF_DAYS)]
    pub days: u32,
    /// Take the serial from this hex file, add one and write it back, like OpenSSL's
    /// -CAserial/-CAcreateserial; a missing file starts from a random serial.
    #[arg(long, value_name = "PATH")]
    pub serial_file: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long, short_alias = 'f')]
    pub force: bool,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Serialize)]
struct CsrResult {
    request: ObjectReport,
    files: Vec<WrittenFile>,
}

#[derive(Serialize)]
struct SignResult {
    certificate: ObjectReport,
    sans_from_request: Vec<String>,
    sans_added: Vec<String>,
    warnings: Vec<String>,
    files: Vec<WrittenFile>,
}

pub fn run(args: &CsrArgs) -> Result<Outcome> {
    match &args.command {
        CsrCommand::Create(a) => create(a),
        CsrCommand::Sign(a) => sign(a),
    }
}

fn parse_sans(values: &[String]) -> Result<Vec<SanEntry>> {
    values
        .iter()
        .map(|v| SanEntry::parse(v).map_err(|e| anyhow!("--san: {e}")))
        .collect()
}

fn create(args: &CreateArgs) -> Result<Outcome> {
    let subject = name::parse_dn(&args.subject)?;
    let sans = parse_sans(&args.san)?;
    let choice = KeyChoice {
        existing: args.key.as_deref(),
        new_out: args.key_out.as_deref(),
        password: &args.password,
        new_key: &args.new_key,
        label: "key",
        missing_hint: "give --key PATH for an existing key, or --key-out PATH to generate one",
    };
    if !args.force && args.out.symlink_metadata().is_ok() {
        return create_again(args, &subject, &sans, &choice);
    }
    let mut outputs = vec![args.out.as_path()];
    if let Some(key_out) = &args.key_out {
        outputs.push(key_out);
    }
    refuse_existing(&outputs, args.force)?;

    let mut files = Vec::new();
    let mut written = Vec::new();
    let (key, key_note) = obtain_key(&choice, &mut files, &mut written)?;
    let csr = create_csr(&key, &subject, &sans)?;
    files.insert(
        0,
        PlannedFile::new(&args.out, csr.to_pem()?.into_bytes(), MODE_PUBLIC),
    );
    written.insert(
        0,
        WrittenFile::new(&args.out, MODE_PUBLIC, "certificate request"),
    );
    write_outputs(files, args.force)?;

    let report = describe_csr(&csr)?;
    eprintln!(
        "{} certificate request {} (mode 0644)\n  subject:   {}\n  SANs:      {}",
        verb("Wrote", "Would write"),
        args.out.display(),
        report.subject,
        list_or_none(&report.subject_alt_names)
    );
    if let Some(note) = key_note {
        eprintln!("{note}");
    }
    if args.json {
        print_json(&CsrResult {
            request: report,
            files: written,
        })?;
    }
    Ok(Outcome::Success)
}

fn sign(args: &SignArgs) -> Result<Outcome> {
    let sans = parse_sans(&args.san)?;
    let csr_bytes = read_input(&args.csr, "certificate request")?;
    let csr =
        Csr::from_pem_or_der(&csr_bytes).map_err(in_file("certificate request", &args.csr))?;
    csr.verify()
        .map_err(in_file("certificate request", &args.csr))?;
    let ca_bytes = read_input(&args.ca_cert, "CA certificate")?;
    let ca_cert =
        cert::read_certificate(&ca_bytes).map_err(in_file("CA certificate", &args.ca_cert))?;
    let ca_passwords = PasswordArgs {
        password_file: args.ca_key_password_file.clone(),
        password_env: args.ca_key_password_env.clone(),
    };
    let ca_key = load_key(&args.ca_key, "CA key", &ca_passwords)?;
    // A CA key too weak to sign with is the CA key's fault, whatever else is wrong.
    ca_key.signer().map_err(in_file("CA key", &args.ca_key))?;
    let profile = match args.profile {
        ProfileArg::Server => Profile::Server,
        ProfileArg::Client => Profile::Client,
    };
    let request = IssueRequest {
        csr: &csr,
        ca_cert: &ca_cert,
        ca_key: &ca_key,
        profile,
        extra_sans: &sans,
        days: args.days,
        serial: None,
    };
    if !args.force && args.out.symlink_metadata().is_ok() {
        return sign_again(args, &request);
    }

    // Held until the next serial is written: parallel signers with one serial file
    // take turns, so no two certificates get the same serial.
    let _serial_lock = match &args.serial_file {
        Some(path) => Some(lock_serial_file(path)?),
        None => None,
    };
    let (serial, serial_file_update) = match &args.serial_file {
        Some(path) => {
            let (serial, next) = read_serial_file(path)?;
            (Some(serial), Some((path, next)))
        }
        None => (None, None),
    };
    let issued = issue_certificate(&IssueRequest { serial, ..request })
        .map_err(|e| issue_error(args, &csr, e))?;

    let mut files = vec![PlannedFile::new(
        &args.out,
        cert::to_pem(&issued.certificate)?.into_bytes(),
        MODE_PUBLIC,
    )];
    let mut written = vec![WrittenFile::new(&args.out, MODE_PUBLIC, "certificate")];
    if let Some((path, next)) = serial_file_update {
        files.push(PlannedFile::new(path, next.into_bytes(), MODE_PUBLIC));
        written.push(WrittenFile::new(path, MODE_PUBLIC, "serial file"));
    }
    // The serial file is a counter that is always rewritten; the certificate was checked
    // for --force above, so the group can be written with overwriting allowed.
    write_outputs(files, true)?;

    for warning in &issued.warnings {
        eprintln!("warning: {warning}");
    }
    let report = describe_certificate(&issued.certificate)?;
    eprintln!(
        "{} certificate {} (mode 0644)\n  subject:   {}\n  issuer:    {}\n  serial:    {}\n  \
         valid to:  {}\n  SANs:      {}\n  profile:   {}",
        verb("Wrote", "Would write"),
        args.out.display(),
        report.subject,
        report.issuer.as_deref().unwrap_or("?"),
        report.serial.as_deref().unwrap_or("?"),
        report.not_after.as_deref().unwrap_or("?"),
        list_or_none(&report.subject_alt_names),
        profile.name()
    );
    if args.json {
        print_json(&SignResult {
            certificate: report,
            sans_from_request: issued.sans_from_csr.clone(),
            sans_added: issued.sans_added.clone(),
            warnings: issued.warnings.iter().map(ToString::to_string).collect(),
            files: written,
        })?;
    }
    Ok(Outcome::Success)
}

/// `csr create` again: OUT is a request for this key (the one `--key` names or
/// `--key-out` holds, of the type asked for) with the subject and SANs asked for. Nothing
/// is written; anything else is refused, naming the difference.
fn create_again(
    args: &CreateArgs,
    subject: &x509_cert::name::Name,
    sans: &[SanEntry],
    choice: &KeyChoice<'_>,
) -> Result<Outcome> {
    let existing = existing_request(&args.out).map_err(|d| refuse_different(&args.out, &d))?;
    let key = rerun_key(choice)?.map_err(|d| refuse_different(&args.out, &d))?;
    let planned = create_csr(&key, subject, sans)?;
    if let Some(difference) = request_difference(&existing, &planned) {
        return Err(refuse_different(&args.out, &difference));
    }
    let report = describe_csr(&existing)?;
    eprintln!(
        "{} already holds the certificate request asked for ({}, SANs {}); nothing changed",
        args.out.display(),
        report.subject,
        list_or_none(&report.subject_alt_names)
    );
    if args.json {
        print_json(&CsrResult {
            request: report,
            files: Vec::new(),
        })?;
    }
    Ok(Outcome::Success)
}

/// `csr sign` again: OUT is already this CA's signature over this request's subject,
/// key and the extensions the profile and SANs give, with the validity length asked for
/// (or ending with the CA), and not expired. Nothing is written and the serial file is
/// not advanced; anything else is refused, naming the difference.
fn sign_again(args: &SignArgs, request: &IssueRequest<'_>) -> Result<Outcome> {
    let existing = existing_certificate(&args.out).map_err(|d| refuse_different(&args.out, &d))?;
    let planned = issue_certificate(request).map_err(|e| issue_error(args, request.csr, e))?;
    let compare = Compare {
        signer: request.ca_cert,
        dates: Dates::Length,
        serial: false,
    };
    if let Some(difference) = certificate_difference(&existing, &planned.certificate, compare) {
        return Err(refuse_different(&args.out, &difference));
    }
    let report = describe_certificate(&existing)?;
    eprintln!(
        "{} already holds this CA's certificate for the request ({}, serial {}, valid to {}); nothing changed",
        args.out.display(),
        report.subject,
        report.serial.as_deref().unwrap_or("?"),
        report.not_after.as_deref().unwrap_or("?"),
    );
    if args.json {
        print_json(&SignResult {
            certificate: report,
            sans_from_request: planned.sans_from_csr.clone(),
            sans_added: planned.sans_added.clone(),
            warnings: Vec::new(),
            files: Vec::new(),
        })?;
    }
    Ok(Outcome::Success)
}

/// An issuing error, naming the input at fault.
fn issue_error(args: &SignArgs, csr: &Csr, e: crate::pki::Error) -> anyhow::Error {
    use crate::pki::Error as E;
    match e {
        E::CsrSignatureInvalid | E::UnsupportedSignature(_) | E::UnsupportedKey(_) => {
            in_file("certificate request", &args.csr)(e)
        }
        E::InvalidSan { .. } if csr.subject().is_empty() => {
            in_file("certificate request", &args.csr)(e)
        }
        E::CaKeyMismatch { .. } => in_file("CA key", &args.ca_key)(e),
        E::NotACa { .. } | E::CaNotValid { .. } => in_file("CA certificate", &args.ca_cert)(e),
        other => anyhow::Error::new(other),
    }
}

/// An exclusive lock (flock) on the directory holding the serial file: the serial file
/// is replaced by rename and may not exist yet, so it cannot carry the lock itself, and a
/// lock file beside it would be litter. Released when dropped.
fn lock_serial_file(path: &Path) -> Result<std::fs::File> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let handle = std::fs::File::open(dir)
        .map_err(|e| anyhow!("cannot lock the serial file {}: {e}", path.display()))?;
    handle
        .lock()
        .map_err(|e| anyhow!("cannot lock the serial file {}: {e}", path.display()))?;
    Ok(handle)
}

fn read_serial_file(path: &Path) -> Result<(x509_cert::serial_number::SerialNumber, String)> {
    let content = match crate::limits::read_text(path, 4096, "serial files") {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow!("cannot read serial file {}: {e}", path.display())),
    };
    serial::next_from_serial_file(content.as_deref()).map_err(in_file("serial file", path))
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}
