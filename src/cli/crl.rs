//! `orakit crl ...`: certificate revocation lists (orapki `crl create|revoke|display|
//! verify|status|hash`, and `list`/`delete` over a local CRL directory instead of LDAP).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{in_file, load_key, print_json, read_input};
use crate::cli::wallet::{LocalArgs, WalletArg, open_to_read};
use crate::crl_dir::{self, Publish};
use crate::fsio::{self, MODE_PUBLIC, Overwrite};
use crate::pki::cert::read_certificate;
use crate::pki::crl::{Crl, Status};
use crate::pki::crl_build::{self, CrlSigner};
use crate::pki::crl_text::{self, java_date, openssl_serial};
use crate::pki::key::PrivateKey;
use crate::pki::name::to_rfc2253;
use crate::pki::signer::SignatureDigest;
use crate::pki::{Certificate, crl_hash};

const AFTER_HELP: &str = "orakit writes CRLs as orapki does: PEM, version 1, signed with the CA's \
key. Publish one for Oracle Net with `orakit crl hash --crl FILE --dir DIR` and \
SSL_CRL_PATH=DIR (docs/crl.md).";

#[derive(Debug, Subcommand)]
#[command(after_help = AFTER_HELP)]
pub enum CrlCommand {
    /// Make an empty CRL signed by a CA (orapki crl create).
    #[command(after_help = "EXAMPLES:\n  \
        orakit crl create --wallet ca_wallet --password-env CA_PWD --next-update 30 --out ca.crl\n  \
        orakit crl create --ca-dir tcps_out --next-update 7 --out ca.crl")]
    Create(CreateArgs),
    /// Add a certificate to a CRL and sign it again (orapki crl revoke).
    #[command(after_help = "EXAMPLES:\n  \
        orakit crl revoke --crl ca.crl --cert client.pem --wallet ca_wallet --password-env CA_PWD\n  \
        orakit crl revoke --crl ca.crl --cert client.pem --ca-dir tcps_out --next-update 30")]
    Revoke(RevokeArgs),
    /// Print a CRL as orapki crl display does (issuer, dates; --complete: revoked serials).
    Display(DisplayArgs),
    /// Check a CRL's signature against a CA certificate (orapki crl verify).
    Verify(VerifyArgs),
    /// Whether a certificate is on a CRL (orapki crl status). Exit 0: not revoked; 3: revoked.
    Status(StatusArgs),
    /// The issuer hash names of a CRL; with --dir, publish it there for SSL_CRL_PATH (orapki crl hash).
    Hash(HashArgs),
    /// The CRLs of a CRL directory (SSL_CRL_PATH): issuer, next update, revoked count.
    List(ListArgs),
    /// Remove the CRLs of one issuer from a CRL directory (links only, never their targets).
    Delete(DeleteArgs),
}

/// Where the signing CA comes from: a wallet holding its key, or a PEM key and certificate.
#[derive(Debug, Args)]
pub struct CaSource {
    /// Wallet holding the CA's key and certificate (orapki -wallet).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["ca_cert", "ca_key", "ca_dir"])]
    pub wallet: Option<PathBuf>,
    /// The CA's subject, when the wallet holds more than one CA.
    #[arg(long, value_name = "DN", requires = "wallet")]
    pub subject: Option<String>,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// The CA certificate (PEM or DER), with --ca-key.
    #[arg(
        long,
        value_name = "PATH",
        requires = "ca_key",
        conflicts_with = "ca_dir"
    )]
    pub ca_cert: Option<PathBuf>,
    /// The CA private key, with --ca-cert.
    #[arg(
        long,
        value_name = "PATH",
        requires = "ca_cert",
        conflicts_with = "ca_dir"
    )]
    pub ca_key: Option<PathBuf>,
    /// An output directory of `tcps init`: its ca/ca.pem and ca/ca.key.
    #[arg(long, value_name = "DIR")]
    pub ca_dir: Option<PathBuf>,
    /// Read the CA key's password from this file (first line; `-` reads standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "ca_key_password_env")]
    pub ca_key_password_file: Option<PathBuf>,
    /// Read the CA key's password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub ca_key_password_env: Option<String>,
    /// Signature hash (orapki -sign_alg); the default fits the key (SHA-256 for RSA).
    #[arg(long, value_enum, value_name = "HASH")]
    pub sign_alg: Option<SignAlg>,
    #[command(flatten)]
    pub local: LocalArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignAlg {
    Sha256,
    Sha384,
    Sha512,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Where to write the CRL (PEM, mode 0644).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Days until nextUpdate (orapki -nextupdate; 0, orapki's default, makes it equal to thisUpdate).
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub next_update: u32,
    #[command(flatten)]
    pub ca: CaSource,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON report of the new CRL on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The CRL to add to (rewritten in place, atomically).
    #[arg(long, value_name = "PATH")]
    pub crl: PathBuf,
    /// The certificate to revoke (PEM or DER). Repeatable.
    #[arg(long, value_name = "PATH", required = true)]
    pub cert: Vec<PathBuf>,
    /// Move thisUpdate to now and nextUpdate this many days on (orapki keeps both dates).
    #[arg(long, value_name = "DAYS")]
    pub next_update: Option<u32>,
    #[command(flatten)]
    pub ca: CaSource,
    /// Print a JSON report of the new CRL on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct DisplayArgs {
    /// The CRL (PEM or DER).
    #[arg(long, value_name = "PATH")]
    pub crl: PathBuf,
    /// Also the revoked serial numbers and dates (orapki -complete).
    #[arg(long)]
    pub complete: bool,
    /// orapki -summary (the default); accepted for symmetry.
    #[arg(long, conflicts_with = "complete")]
    pub summary: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The CRL (PEM or DER).
    #[arg(long, value_name = "PATH")]
    pub crl: PathBuf,
    /// The CA certificate that should have signed it.
    #[arg(long, value_name = "PATH", required_unless_present = "wallet")]
    pub ca_cert: Option<PathBuf>,
    /// Or a wallet: the CRL must be signed by a certificate it holds (orapki display -wallet).
    #[arg(long, value_name = "DIR", conflicts_with = "ca_cert")]
    pub wallet: Option<PathBuf>,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub local: LocalArgs,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The CRL (PEM or DER).
    #[arg(long, value_name = "PATH")]
    pub crl: PathBuf,
    /// The certificate to look up.
    #[arg(long, value_name = "PATH")]
    pub cert: PathBuf,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HashArgs {
    /// The CRL (PEM or DER).
    #[arg(long, value_name = "PATH")]
    pub crl: PathBuf,
    /// Publish the CRL in this directory under its hash name (a symbolic link, as orapki -symlink).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Write a DER copy instead of a link (orapki -copy).
    #[arg(long, requires = "dir")]
    pub copy: bool,
    /// Also publish under OpenSSL's name (<hash>.r0), for openssl verify -CApath.
    #[arg(long, requires = "dir")]
    pub openssl: bool,
    /// Replace an entry of the same name that is not a CRL of this issuer.
    #[arg(long, requires = "dir")]
    pub force: bool,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The CRL directory (what SSL_CRL_PATH names).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The CRL directory (what SSL_CRL_PATH names).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Issuer DN of the CRLs to remove (orapki -issuer), e.g. "CN=Example Root CA,O=Example".
    #[arg(long, value_name = "DN")]
    pub issuer: String,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: &CrlCommand) -> Result<Outcome> {
    match command {
        CrlCommand::Create(a) => create(a),
        CrlCommand::Revoke(a) => revoke(a),
        CrlCommand::Display(a) => display(a),
        CrlCommand::Verify(a) => verify(a),
        CrlCommand::Status(a) => status(a),
        CrlCommand::Hash(a) => hash(a),
        CrlCommand::List(a) => list(a),
        CrlCommand::Delete(a) => delete(a),
    }
}

/// The CA's certificate and key, loaded from whichever source was given.
fn load_ca(source: &CaSource) -> Result<(Certificate, PrivateKey)> {
    if let Some(wallet) = &source.wallet {
        let arg = WalletArg {
            wallet: wallet.clone(),
            local: source.local.clone(),
            allow_no_mac: false,
        };
        let (opened, _password) = open_to_read(&arg, &source.password)?;
        let ca = crate::wallet::signing_ca::find(opened.wallet(), source.subject.as_deref())
            .map_err(|e| anyhow!("{}: {e}", wallet.display()))?;
        let key = PrivateKey::from_pem_or_der(&ca.key_pkcs8, None)
            .map_err(|e| anyhow!("{}: the CA key: {e}", wallet.display()))?;
        return Ok((ca.cert, key));
    }
    let (cert_path, key_path) = match (&source.ca_cert, &source.ca_key, &source.ca_dir) {
        (Some(c), Some(k), _) => (c.clone(), k.clone()),
        (_, _, Some(dir)) => (
            dir.join(crate::tcps::layout::CA_CERT),
            dir.join(crate::tcps::layout::CA_KEY),
        ),
        _ => {
            return Err(UsageError(
                "name the signing CA: --wallet DIR, --ca-cert PATH --ca-key PATH, or --ca-dir DIR"
                    .into(),
            )
            .into());
        }
    };
    let bytes = read_input(&cert_path, "CA certificate")?;
    let cert = read_certificate(&bytes).map_err(in_file("CA certificate", &cert_path))?;
    let passwords = PasswordArgs {
        password_file: source.ca_key_password_file.clone(),
        password_env: source.ca_key_password_env.clone(),
    };
    let key = load_key(&key_path, "CA key", &passwords)?;
    Ok((cert, key))
}

fn digest(alg: Option<SignAlg>) -> Option<SignatureDigest> {
    alg.map(|a| match a {
        SignAlg::Sha256 => SignatureDigest::Sha256,
        SignAlg::Sha384 => SignatureDigest::Sha384,
        SignAlg::Sha512 => SignatureDigest::Sha512,
    })
}

fn ca_label(source: &CaSource) -> String {
    match (&source.wallet, &source.ca_cert, &source.ca_dir) {
        (Some(w), _, _) => format!("the CA of wallet {}", w.display()),
        (_, Some(c), _) => format!("the CA {}", c.display()),
        (_, _, Some(d)) => format!("the CA of {}", d.display()),
        _ => "the CA".into(),
    }
}

/// Reads a CRL file for the CLI: the error names the file.
pub(crate) fn read_crl(path: &Path) -> Result<Crl> {
    crl_dir::read_crl(path).map_err(|e| anyhow!(e))
}

fn read_cert(path: &Path, what: &str) -> Result<Certificate> {
    let bytes = read_input(path, what)?;
    read_certificate(&bytes).map_err(in_file(what, path))
}

fn create(args: &CreateArgs) -> Result<Outcome> {
    let rerun = !args.force && args.out.symlink_metadata().is_ok();
    let (cert, key) = load_ca(&args.ca)?;
    let signer = CrlSigner {
        cert: &cert,
        key: &key,
        digest: digest(args.ca.sign_alg),
    };
    let crl = crl_build::create(&signer, args.next_update, SystemTime::now())
        .map_err(|e| anyhow!("{}: {e}", ca_label(&args.ca)))?;
    if rerun {
        return create_again(args, &cert, &crl);
    }
    fsio::write_atomic(
        &args.out,
        crl.to_pem()?.as_bytes(),
        MODE_PUBLIC,
        Overwrite::from_force(args.force),
    )?;
    eprintln!(
        "Wrote CRL {} (mode 0644)\n  issuer:      {}\n  next update: {}",
        args.out.display(),
        to_rfc2253(crl.issuer()),
        crl.next_update().map(java_date).unwrap_or_default()
    );
    if args.json {
        print_json(&crl_text::report(&crl)?)?;
    }
    Ok(Outcome::Success)
}

/// The rerun of `crl create` over an existing file: left alone when it is a current CRL
/// of this CA with no revoked entries and the nextUpdate interval asked for (what a new
/// run would make, but for its dates); anything else is refused (pass --force).
fn create_again(args: &CreateArgs, ca: &Certificate, planned: &Crl) -> Result<Outcome> {
    let existing = read_crl(&args.out)
        .map_err(|e| anyhow!("{e}; pass --force to replace {}", args.out.display()))?;
    let interval = existing
        .next_update()
        .and_then(|next| next.duration_since(existing.this_update()).ok())
        .map(|d| d.as_secs());
    let difference = if existing.verify_signed_by(ca).is_err() {
        Some("a CRL of another CA".to_owned())
    } else if existing.asn1.signature_algorithm != planned.asn1.signature_algorithm {
        Some("another signature algorithm".to_owned())
    } else if !existing.revoked().is_empty() {
        Some(format!(
            "it lists {}",
            crate::text::count(existing.revoked().len(), "revoked certificate")
        ))
    } else if existing.is_stale(SystemTime::now()) {
        Some("its nextUpdate has passed".to_owned())
    } else if interval != Some(u64::from(args.next_update) * 86_400) {
        Some(format!(
            "its nextUpdate is not {} after its thisUpdate",
            crate::text::count(args.next_update as usize, "day")
        ))
    } else {
        None
    };
    if let Some(difference) = difference {
        return Err(crate::cli::pki_io::refuse_different(&args.out, &difference));
    }
    eprintln!(
        "{} already holds this CA's CRL (nothing revoked, next update {}); nothing changed",
        args.out.display(),
        existing.next_update().map(java_date).unwrap_or_default()
    );
    if args.json {
        print_json(&crl_text::report(&existing)?)?;
    }
    Ok(Outcome::Success)
}

fn revoke(args: &RevokeArgs) -> Result<Outcome> {
    // The file itself is rewritten, not a link to it (a hash directory may hold one).
    let path = std::fs::canonicalize(&args.crl)
        .map_err(|e| anyhow!("cannot read the CRL {}: {e}", args.crl.display()))?;
    // Two revokes of one CRL take turns, so neither loses the other's entry.
    let _lock = lock_dir_of(&path)?;
    let mut crl = read_crl(&path)?;
    let certs = args
        .cert
        .iter()
        .map(|p| read_cert(p, "certificate"))
        .collect::<Result<Vec<_>>>()?;
    let (ca_cert, key) = load_ca(&args.ca)?;
    let signer = CrlSigner {
        cert: &ca_cert,
        key: &key,
        digest: digest(args.ca.sign_alg),
    };
    let now = SystemTime::now();
    let mut lines = Vec::new();
    let mut added = false;
    for (cert, cert_path) in certs.iter().zip(&args.cert) {
        let done = crl_build::revoke(&crl, cert, &signer, args.next_update, now)
            .map_err(|e| anyhow!("{} ({}): {e}", args.crl.display(), cert_path.display()))?;
        let serial = openssl_serial(cert.tbs_certificate().serial_number().as_bytes());
        lines.push(if done.added {
            format!("  revoked:     {} (serial {serial})", cert_path.display())
        } else {
            format!(
                "  already on the list: {} (serial {serial})",
                cert_path.display()
            )
        });
        added |= done.added;
        crl = done.crl;
    }
    if !added && args.next_update.is_none() {
        // Every certificate was already on the list: the CRL on disk is the result, so it
        // is not re-signed (a rerun changes no byte).
        let unchanged = read_crl(&path)?;
        eprintln!(
            "CRL {} unchanged ({} revoked)\n{}",
            args.crl.display(),
            unchanged.revoked().len(),
            lines.join("\n")
        );
        if args.json {
            print_json(&crl_text::report(&unchanged)?)?;
        }
        return Ok(Outcome::Success);
    }
    fsio::write_atomic(
        &path,
        crl.to_pem()?.as_bytes(),
        MODE_PUBLIC,
        Overwrite::Allow,
    )?;
    eprintln!(
        "Updated CRL {} ({} revoked)\n{}",
        args.crl.display(),
        crl.revoked().len(),
        lines.join("\n")
    );
    if args.json {
        print_json(&crl_text::report(&crl)?)?;
    }
    Ok(Outcome::Success)
}

/// An exclusive lock (flock) on the directory holding `path`: the CRL is replaced by
/// rename, so the file itself cannot carry the lock. Released when dropped.
fn lock_dir_of(path: &Path) -> Result<std::fs::File> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let handle = std::fs::File::open(dir)
        .map_err(|e| anyhow!("cannot lock the CRL {}: {e}", path.display()))?;
    handle
        .lock()
        .map_err(|e| anyhow!("cannot lock the CRL {}: {e}", path.display()))?;
    Ok(handle)
}

fn display(args: &DisplayArgs) -> Result<Outcome> {
    let crl = read_crl(&args.crl)?;
    if args.json {
        print_json(&crl_text::report(&crl)?)?;
    } else {
        print!("{}", crl_text::display_text(&crl, args.complete));
    }
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct VerifyResult {
    crl: PathBuf,
    ca: String,
    signature_valid: bool,
    stale: bool,
}

fn verify(args: &VerifyArgs) -> Result<Outcome> {
    let crl = read_crl(&args.crl)?;
    let ca = match (&args.ca_cert, &args.wallet) {
        (Some(path), _) => {
            let ca = read_cert(path, "CA certificate")?;
            crl.verify_signed_by(&ca)
                .map_err(|e| anyhow!("{}: {e}", args.crl.display()))?;
            ca
        }
        (None, Some(wallet)) => signer_in_wallet(&crl, &args.crl, wallet, args)?,
        (None, None) => bail!(UsageError("give --ca-cert PATH or --wallet DIR".into())),
    };
    let stale = crl.is_stale(SystemTime::now());
    if args.json {
        print_json(&VerifyResult {
            crl: args.crl.clone(),
            ca: to_rfc2253(ca.tbs_certificate().subject()),
            signature_valid: true,
            stale,
        })?;
    } else {
        println!(
            "{}: signature verified with {}",
            args.crl.display(),
            to_rfc2253(ca.tbs_certificate().subject())
        );
    }
    if stale {
        eprintln!(
            "warning: its next update ({}) has passed: Oracle rejects a stale CRL; issue a new one",
            crl.next_update().map(java_date).unwrap_or_default()
        );
    }
    Ok(Outcome::Success)
}

/// The certificate in `wallet` that signed `crl`: one named as the CRL's issuer whose key
/// verifies its signature.
fn signer_in_wallet(
    crl: &Crl,
    crl_path: &Path,
    wallet: &Path,
    args: &VerifyArgs,
) -> Result<Certificate> {
    let arg = WalletArg {
        wallet: wallet.to_path_buf(),
        local: args.local.clone(),
        allow_no_mac: false,
    };
    let (opened, _password) = open_to_read(&arg, &args.password)?;
    let named = crate::wallet::signing_ca::certificates_named(opened.wallet(), crl.issuer());
    if named.is_empty() {
        bail!(
            "{}: the wallet {} holds no certificate of its issuer {}: add the CA with \
             `orakit wallet add-trusted`",
            crl_path.display(),
            wallet.display(),
            to_rfc2253(crl.issuer())
        );
    }
    named
        .into_iter()
        .find(|c| crl.verify_signed_by(c).is_ok())
        .ok_or_else(|| {
            anyhow!(
                "{}: its signature does not verify with the certificate of {} in the wallet {}: \
                 it was signed by another CA of that name or altered",
                crl_path.display(),
                to_rfc2253(crl.issuer()),
                wallet.display()
            )
        })
}

#[derive(Serialize)]
struct StatusResult {
    certificate: String,
    serial: String,
    revoked: bool,
    revocation_date: Option<String>,
}

fn status(args: &StatusArgs) -> Result<Outcome> {
    let crl = read_crl(&args.crl)?;
    let cert = read_cert(&args.cert, "certificate")?;
    if !crl.covers(&cert) {
        // orapki compares serials only and answers "not revoked"; a CRL of another CA
        // says nothing about this certificate.
        bail!(
            "{} is issued by {}, but {} is issued by {}: this CRL cannot say whether it is revoked",
            args.crl.display(),
            to_rfc2253(crl.issuer()),
            args.cert.display(),
            to_rfc2253(cert.tbs_certificate().issuer())
        );
    }
    let serial = openssl_serial(cert.tbs_certificate().serial_number().as_bytes());
    let state = crl.status_of(&cert);
    let date = match &state {
        Status::Revoked { date } => Some(*date),
        Status::NotRevoked => None,
    };
    if args.json {
        print_json(&StatusResult {
            certificate: to_rfc2253(cert.tbs_certificate().subject()),
            serial: serial.clone(),
            revoked: date.is_some(),
            revocation_date: date.map(crl_text::rfc3339),
        })?;
    } else if let Some(d) = date {
        println!(
            "revoked: {} (serial {serial}) since {}",
            args.cert.display(),
            java_date(d)
        );
    } else {
        println!("not revoked: {} (serial {serial})", args.cert.display());
    }
    Ok(if date.is_some() {
        Outcome::ProblemsFound
    } else {
        Outcome::Success
    })
}

#[derive(Serialize)]
struct HashResult {
    issuer: String,
    orapki_name: String,
    openssl_name: String,
    published: Vec<crl_dir::Published>,
}

fn hash(args: &HashArgs) -> Result<Outcome> {
    let crl = read_crl(&args.crl)?;
    let published = match &args.dir {
        Some(dir) => {
            let how = if args.copy {
                Publish::Copy
            } else {
                Publish::Symlink
            };
            crl_dir::publish(&crl, &args.crl, dir, how, args.openssl, args.force)
                .map_err(|e| anyhow!(e))?
        }
        None => Vec::new(),
    };
    let result = HashResult {
        issuer: to_rfc2253(crl.issuer()),
        orapki_name: crl_hash::orapki_file_name(crl.issuer())?,
        openssl_name: crl_hash::openssl_file_name(crl.issuer())?,
        published,
    };
    if args.json {
        print_json(&result)?;
    } else {
        println!("Issuer:         {}", result.issuer);
        println!("Hash:           {}", result.orapki_name);
        println!("OpenSSL hash:   {}", result.openssl_name);
        for p in &result.published {
            let verb = if p.replaced { "replaced" } else { "wrote" };
            eprintln!("{verb} {}", p.path.display());
        }
    }
    Ok(Outcome::Success)
}

fn list(args: &ListArgs) -> Result<Outcome> {
    let entries = crl_dir::list(&args.dir).map_err(|e| anyhow!(e))?;
    let now = SystemTime::now();
    if args.json {
        #[derive(Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            entry: &'a crl_dir::Entry,
            stale: bool,
        }
        let rows: Vec<Row> = entries
            .iter()
            .map(|e| Row {
                entry: e,
                stale: e.next_update.is_some_and(|n| n < now),
            })
            .collect();
        print_json(&rows)?;
        return Ok(Outcome::Success);
    }
    if entries.is_empty() {
        println!("{}: no hash-named CRLs", args.dir.display());
    }
    for e in &entries {
        match (&e.issuer, &e.problem) {
            (Some(issuer), _) => {
                let mut notes = Vec::new();
                if !e.name_matches_issuer {
                    notes.push("name does not match the issuer's hash");
                }
                if e.next_update.is_some_and(|n| n < now) {
                    notes.push("next update passed");
                }
                println!(
                    "{}  {issuer}  next update {}  {} revoked{}",
                    e.name,
                    e.next_update.map(java_date).unwrap_or_else(|| "-".into()),
                    e.revoked,
                    if notes.is_empty() {
                        String::new()
                    } else {
                        format!("  ({})", notes.join("; "))
                    }
                );
            }
            (None, Some(problem)) => println!("{}  unreadable: {problem}", e.name),
            (None, None) => {}
        }
    }
    Ok(Outcome::Success)
}

fn delete(args: &DeleteArgs) -> Result<Outcome> {
    let removed = crl_dir::delete(&args.dir, &args.issuer).map_err(|e| anyhow!(e))?;
    if args.json {
        print_json(&removed)?;
    } else {
        for p in &removed {
            eprintln!("removed {}", p.display());
        }
    }
    Ok(Outcome::Success)
}
