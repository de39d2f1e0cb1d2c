//! `orakit cert create` (orapki `cert create`): sign a certificate request with the CA
//! key and certificate held in a wallet.
//!
//! The certificate is what orapki writes (see [`crate::pki::cert_create`]), with two
//! safer defaults of orakit's own: a random 128-bit serial instead of orapki's 0 (orapki
//! gives every certificate of a CA serial 0, so issuer and serial no longer name one
//! certificate: revocation cannot tell them apart and NSS refuses a second one), and a
//! start five minutes in the past for clocks a little behind. The drop-in `orakit orapki
//! cert create` asks for orapki's serial 0 and start time explicitly.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use der::Encode;
use serde::Serialize;

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{WrittenFile, in_file, print_json, read_input, write_outputs};
use crate::cli::wallet::{SignatureAlgorithm, WalletArg, open_to_read};
use crate::fsio::{MODE_PUBLIC, PlannedFile};
use crate::pki::cert_create::{CertCreate, create_certificate};
use crate::pki::csr::Csr;
use crate::pki::key::PrivateKey;
use crate::pki::orapki_serial::{
    next_from_orapki_serial_file, parse_orapki_serial, serial_from_bytes,
};
use crate::pki::serial::random_serial;
use crate::pki::signer::SignatureDigest;
use crate::wallet::certs;
use crate::wallet::model::{Item, Wallet};

#[derive(Debug, Args)]
#[command(
    group(clap::ArgGroup::new("validity").required(true).args(["days", "valid_from"])),
    group(clap::ArgGroup::new("serial_source").args(["serial", "serial_file"])),
    after_help = "The certificate carries the request's subject, key and requested extensions \
    (copied as they are, as orapki does), an authorityKeyIdentifier when the CA certificate \
    has a subjectKeyIdentifier, and nothing else; without extensions it is X.509 v1.\n\n\
    EXAMPLES:\n  \
    orakit cert create --wallet ca_wallet --request db1.csr --out db1.crt --days 365\n  \
    orakit cert create --wallet ca_wallet --request db1.csr --out db1.crt --days 365 \\\n      \
    --serial-file ca.serial --password-env CA_WALLET_PW"
)]
pub struct CreateArgs {
    /// The CA's wallet: its private key and certificate sign (orapki -wallet). A wallet
    /// directory, an ewallet.p12/cwallet.sso, a wallet zip, an ewallet.pem or a JKS.
    #[command(flatten)]
    pub wallet: WalletArg,
    /// The certificate request, PEM or DER (orapki -request).
    #[arg(long, value_name = "FILE")]
    pub request: PathBuf,
    /// Where to write the certificate, PEM (orapki -cert).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub validity: crate::cli::validity::ValidityArgs,
    /// Serial number as orapki's -serial_num reads it: decimal (4660), or hexadecimal with
    /// 0x, colons or a letter a-f (0x1234, 12:34, 12ab); default: random 128 bits.
    #[arg(long, value_name = "N")]
    pub serial: Option<String>,
    /// orapki's serial file (-serial_file): it holds the last serial used; the
    /// certificate gets that number plus one, which is written back (decimal, as orapki
    /// writes it). The file must exist (put 0 in it to start at 1). Not OpenSSL's
    /// hexadecimal serial file (that one is `csr sign --serial-file`).
    #[arg(long, value_name = "FILE")]
    pub serial_file: Option<PathBuf>,
    /// Hash of the signature (orapki -sign_alg); default: SHA-256 for RSA and P-256,
    /// SHA-384 for P-384, SHA-512 for P-521 CA keys.
    #[arg(long, value_enum)]
    pub signature_algorithm: Option<SignatureAlgorithm>,
    /// Sign with the wallet key whose certificate has this subject (orapki
    /// -issuer_subject_dn); needed when the wallet holds more than one.
    #[arg(long, value_name = "DN")]
    pub issuer_subject: Option<String>,
    /// Sign with the wallet key whose certificate has this serial (orapki
    /// -issuer_serial_num).
    #[arg(long, value_name = "N")]
    pub issuer_serial: Option<String>,
    /// Replace an existing output file.
    #[arg(long, short_alias = 'f')]
    pub force: bool,
    /// Print a JSON report on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Serialize)]
struct Report {
    certificate: certs::CertDetails,
    version: u8,
    ca_wallet: PathBuf,
    files: Vec<WrittenFile>,
    warnings: Vec<String>,
}

pub fn create(args: &CreateArgs) -> Result<Outcome> {
    // An existing output without --force is a rerun: left alone when it is the
    // certificate this command would make, refused naming the difference otherwise.
    let rerun = !args.force && args.out.symlink_metadata().is_ok();
    let (not_before, not_after) = args.validity.resolve(crate::pki::ca::CLOCK_SKEW)?;
    let request_bytes = read_input(&args.request, "certificate request")?;
    let csr = Csr::from_pem_or_der(&request_bytes)
        .map_err(in_file("certificate request", &args.request))?;
    csr.verify().map_err(|e| {
        anyhow!(
            "certificate request {}: {e}; nothing was written",
            args.request.display()
        )
    })?;

    // The serial file is locked from reading it to writing it back, so two signers
    // never hand out the same number.
    let _serial_lock = match (&args.serial_file, rerun) {
        (Some(path), false) => Some(lock_dir_of(path)?),
        _ => None,
    };
    let (serial, serial_update) = match (&args.serial, &args.serial_file) {
        // A rerun never advances the serial file.
        (None, Some(_)) if rerun => (random_serial()?, None),
        (Some(text), _) => (
            serial_from_bytes(&parse_orapki_serial(text).context("--serial")?)?,
            None,
        ),
        (None, Some(path)) => {
            let content = crate::limits::read_text(path, 4096, "serial files").map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    anyhow!(
                        "serial file {} does not exist; create it holding the last serial used (0 to start at 1)",
                        path.display()
                    )
                } else {
                    anyhow!("cannot read serial file {}: {e}", path.display())
                }
            })?;
            let (serial, next) =
                next_from_orapki_serial_file(&content).map_err(in_file("serial file", path))?;
            (serial, Some((path.clone(), next)))
        }
        (None, None) => (random_serial()?, None),
    };

    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let wallet = opened.wallet();
    let dir = opened.paths.dir.clone();
    let (ca_key, ca_cert) = signer_of(wallet, args, &dir)?;
    let created = create_certificate(&CertCreate {
        csr: &csr,
        ca_cert: &ca_cert,
        ca_key: &ca_key,
        not_before,
        not_after,
        serial,
        digest: args.signature_algorithm.map(|a| match a {
            SignatureAlgorithm::Sha256 => SignatureDigest::Sha256,
            SignatureAlgorithm::Sha384 => SignatureDigest::Sha384,
            SignatureAlgorithm::Sha512 => SignatureDigest::Sha512,
        }),
    })
    .map_err(|e| anyhow!("{}: {e}; nothing was written", dir.display()))?;
    if rerun {
        return create_again(args, &created.certificate, &ca_cert, dir);
    }

    let pem = crate::pki::cert::to_pem(&created.certificate)?;
    let mut files = vec![PlannedFile::new(&args.out, pem.into_bytes(), MODE_PUBLIC)];
    let mut written = vec![WrittenFile::new(&args.out, MODE_PUBLIC, "certificate")];
    if let Some((path, next)) = serial_update {
        files.push(PlannedFile::new(&path, next.into_bytes(), MODE_PUBLIC));
        written.push(WrittenFile::new(&path, MODE_PUBLIC, "serial file"));
    }
    // --force was checked above; the serial file is a counter that is always rewritten.
    write_outputs(files, true)?;

    let mut warnings = Vec::new();
    if created.grants_ca {
        warnings.push(
            "the request asks for basicConstraints CA:TRUE and the certificate grants it, as orapki does: it can sign certificates itself; make sure that was meant".to_owned(),
        );
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let (details, version) = details_of(&created.certificate)?;
    eprintln!(
        "Wrote certificate {} (mode 0644): {} signed by {} (X.509 v{version}, serial {}, valid until {})",
        args.out.display(),
        details.subject,
        details.issuer,
        details.serial,
        details.not_after
    );
    if args.json {
        print_json(&Report {
            certificate: details,
            version,
            ca_wallet: dir,
            files: written,
            warnings,
        })?;
    }
    Ok(Outcome::Success)
}

/// The rerun of `cert create` over an existing output: nothing is written (the serial
/// file is not advanced) when it holds this CA's certificate for this request, with the
/// same validity (its length, or the dates given) and, when --serial was given, that
/// serial; anything else is refused, naming the difference.
fn create_again(
    args: &CreateArgs,
    planned: &x509_cert::Certificate,
    ca_cert: &x509_cert::Certificate,
    dir: PathBuf,
) -> Result<Outcome> {
    use crate::cli::pki_io::{existing_certificate, refuse_different};
    use crate::pki::rerun::{Compare, Dates, certificate_difference};
    let existing = existing_certificate(&args.out).map_err(|d| refuse_different(&args.out, &d))?;
    let compare = Compare {
        signer: ca_cert,
        dates: if args.validity.valid_from.is_some() {
            Dates::Exact
        } else {
            Dates::Length
        },
        serial: args.serial.is_some(),
    };
    if let Some(difference) = certificate_difference(&existing, planned, compare) {
        return Err(refuse_different(&args.out, &difference));
    }
    let (details, version) = details_of(&existing)?;
    eprintln!(
        "{} already holds this CA's certificate for the request ({}, serial {}, valid until {}); nothing changed",
        args.out.display(),
        details.subject,
        details.serial,
        details.not_after
    );
    if args.json {
        print_json(&Report {
            certificate: details,
            version,
            ca_wallet: dir,
            files: Vec::new(),
            warnings: Vec::new(),
        })?;
    }
    Ok(Outcome::Success)
}

/// The certificate's details for the report, and its X.509 version (v1 without
/// extensions, as orapki writes them).
fn details_of(certificate: &x509_cert::Certificate) -> Result<(certs::CertDetails, u8)> {
    let details = certs::details(&certificate.to_der()?)?;
    let version = if certificate.tbs_certificate().extensions().is_some() {
        3
    } else {
        1
    };
    Ok((details, version))
}

/// The wallet key that signs, with its certificate: the only key that has a certificate,
/// or the one `--issuer-subject` / `--issuer-serial` pick.
fn signer_of(
    wallet: &Wallet,
    args: &CreateArgs,
    dir: &Path,
) -> Result<(PrivateKey, x509_cert::Certificate)> {
    let wanted_serial = args
        .issuer_serial
        .as_deref()
        .map(parse_orapki_serial)
        .transpose()
        .context("--issuer-serial")?;
    let mut candidates = Vec::new();
    for k in wallet.indices_where(|item| matches!(item, Item::PrivateKey(_))) {
        let Some(c) = wallet.user_certificate_of(k) else {
            continue;
        };
        let Item::Certificate(cert_der) = &wallet.entries[c].item else {
            continue;
        };
        let cert = crate::pki::cert::read_certificate(cert_der)
            .map_err(|e| anyhow!("{}: a user certificate cannot be read: {e}", dir.display()))?;
        let subject = certs::subject_of(cert_der);
        if let Some(dn) = &args.issuer_subject
            && !certs::dn_matches(&subject, dn)
        {
            continue;
        }
        if let Some(serial) = &wanted_serial {
            let have = cert.tbs_certificate().serial_number().as_bytes();
            let trimmed: Vec<u8> = have.iter().copied().skip_while(|b| *b == 0).collect();
            let want: Vec<u8> = serial.iter().copied().skip_while(|b| *b == 0).collect();
            if trimmed != want {
                continue;
            }
        }
        candidates.push((k, cert, subject));
    }
    match candidates.len() {
        0 if args.issuer_subject.is_none() && wanted_serial.is_none() => bail!(
            "{} holds no private key with a certificate to sign with (orapki: PKI-04002); give the CA's wallet",
            dir.display()
        ),
        0 => bail!(
            "no key in {} has a certificate matching --issuer-subject/--issuer-serial (orapki: PKI-04007)",
            dir.display()
        ),
        1 => {
            let (k, cert, _) = candidates.remove(0);
            let Item::PrivateKey(pkcs8) = &wallet.entries[k].item else {
                bail!("internal error: the chosen entry is not a key");
            };
            let key = PrivateKey::from_pem_or_der(pkcs8, None).map_err(|e| {
                anyhow!(
                    "{}: the CA's private key cannot be used: {e}",
                    dir.display()
                )
            })?;
            Ok((key, cert))
        }
        _ => Err(UsageError(format!(
            "{} holds {} keys with certificates: {}; choose the CA with --issuer-subject DN",
            dir.display(),
            candidates.len(),
            candidates
                .iter()
                .map(|(_, _, s)| s.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ))
        .into()),
    }
}

/// An exclusive lock (flock) on the directory of the serial file, held while the serial
/// is read, used and written back.
fn lock_dir_of(path: &Path) -> Result<std::fs::File> {
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
