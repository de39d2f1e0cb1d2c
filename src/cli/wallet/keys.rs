//! `orakit wallet add-key | export-request | add-user-cert`: orapki's
//! `wallet add -dn -keysize|-asym_alg ECC`, `wallet export -request` and
//! `wallet add -user_cert`, for a CA outside the wallet to sign the key's request.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use der::{Decode, Encode};
use x509_cert::Certificate;

use super::open_to_read;
use super::{WalletArg, open_for_change, save};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{KeyType, in_file, read_input};
use crate::fsio::{self, MODE_PUBLIC, Overwrite};
use crate::pki::cert::verify_issued_by;
use crate::pki::csr::{Csr, create_csr};
use crate::pki::key::PrivateKey;
use crate::pki::name::parse_dn;
use crate::pki::san::SanEntry;
use crate::wallet::certs;
use crate::wallet::model::{DEFAULT_KEY_NAME, Item, ModelError, Wallet};

#[derive(Debug, Args)]
pub struct AddKeyArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Subject DN of the request, most specific first (e.g. "CN=db1.example.com,O=Example").
    #[arg(long, value_name = "DN")]
    pub subject: String,
    /// Key type: rsa2048 (default), rsa3072, rsa4096, p256, p384, p521.
    #[arg(long, value_enum, value_name = "TYPE", default_value_t = KeyType::Rsa2048, hide_default_value = true, hide_possible_values = true)]
    pub key_type: KeyType,
    /// A subject alternative name to request (host name or IP address); may be repeated.
    #[arg(long, value_name = "NAME")]
    pub san: Vec<String>,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct ExportRequestArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Subject DN of the pending request (may be left out when there is only one).
    #[arg(long, value_name = "DN")]
    pub subject: Option<String>,
    /// Output file (PEM); default standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Debug, Args)]
pub struct AddUserCertArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// The signed certificate (PEM or DER) for a key whose request is in the wallet.
    #[arg(long, value_name = "FILE")]
    pub cert: PathBuf,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

pub fn add_key(args: &AddKeyArgs) -> Result<Outcome> {
    let subject = parse_dn(&args.subject).context("--subject")?;
    let sans = args
        .san
        .iter()
        .map(|s| SanEntry::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .context("--san")?;
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let wanted = certs::dn_rfc2253(&subject);
    let spec = args.key_type.spec();
    // A rerun: a key of the asked type for this subject, its request pending or already
    // signed (a user certificate on it), is what this command makes: nothing to do.
    let pending: Vec<&Vec<u8>> = wallet
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::CertificateRequest(d)
                if certs::dn_matches(&certs::request_subject(d), &wanted) =>
            {
                Some(d)
            }
            _ => None,
        })
        .collect();
    let signed =
        wallet
            .user_cert_indices()
            .into_iter()
            .find_map(|i| match &wallet.entries[i].item {
                Item::Certificate(c) if certs::dn_matches(&certs::subject_of(c), &wanted) => {
                    Some(c)
                }
                _ => None,
            });
    let same_kind = |spki: Option<Vec<u8>>| spki.is_some_and(|d| spki_is(&d, spec));
    let already = pending
        .iter()
        .any(|d| same_kind(crate::wallet::model::request_spki(d)))
        || (pending.is_empty() && signed.is_some_and(|c| same_kind(cert_spki(c))));
    if already {
        eprintln!(
            "{} already holds {} key for {wanted}; nothing changed",
            edit.opened.paths.dir.display(),
            crate::text::with_article(&spec.description())
        );
        return Ok(Outcome::Success);
    }
    if !pending.is_empty() {
        bail!(
            "{} already holds a key and request for {wanted}; remove it first with `orakit wallet remove --subject {wanted:?} --kind request` (`--kind key --yes` when it was signed)",
            edit.opened.paths.dir.display()
        );
    }
    let key = PrivateKey::generate(args.key_type.spec())?;
    let csr = create_csr(&key, &subject, &sans)?;
    wallet.add_key_with_request(&key.to_pkcs8_der()?, csr.der(), DEFAULT_KEY_NAME)?;
    save(&edit, &wallet)?;
    eprintln!(
        "added {} key and a request for {wanted}; export it with `orakit wallet export-request`",
        crate::text::with_article(&key.description())
    );
    Ok(Outcome::Success)
}

/// Whether the SubjectPublicKeyInfo `spki_der` is a key of type `spec`.
fn spki_is(spki_der: &[u8], spec: crate::pki::key::KeySpec) -> bool {
    use crate::pki::key::KeySpec;
    let Ok(spki) = spki::SubjectPublicKeyInfoOwned::from_der(spki_der) else {
        return false;
    };
    let (kind, bits) = crate::wallet::keys::describe_spki(&spki);
    match spec {
        KeySpec::Rsa { bits: want } => kind == "RSA" && bits == Some(want),
        KeySpec::Ec { curve } => kind == format!("EC {}", curve.name()),
    }
}

/// The SubjectPublicKeyInfo DER of a certificate.
fn cert_spki(cert_der: &[u8]) -> Option<Vec<u8>> {
    Certificate::from_der(cert_der)
        .ok()?
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .ok()
}

pub fn export_request(args: &ExportRequestArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let requests: Vec<&Vec<u8>> = opened
        .wallet()
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::CertificateRequest(d) => Some(d),
            _ => None,
        })
        .filter(|d| {
            args.subject
                .as_ref()
                .is_none_or(|dn| certs::dn_matches(&certs::request_subject(d), dn))
        })
        .collect();
    let der = match (requests.as_slice(), &args.subject) {
        ([one], _) => *one,
        ([], Some(dn)) => bail!(
            "no pending request in {} has the subject {dn:?}; `orakit wallet display` lists them",
            opened.paths.dir.display()
        ),
        ([], None) => bail!(
            "{} holds no certificate request; make one with `orakit wallet add-key`",
            opened.paths.dir.display()
        ),
        (_, _) => {
            return Err(UsageError(format!(
                "{} holds {} requests; choose one with --subject",
                opened.paths.dir.display(),
                requests.len()
            ))
            .into());
        }
    };
    let pem = Csr::from_pem_or_der(der)
        .and_then(|c| c.to_pem())
        .context("the wallet's request cannot be read")?;
    match &args.out {
        Some(out) => {
            fsio::write_atomic(
                out,
                pem.as_bytes(),
                MODE_PUBLIC,
                Overwrite::from_force(args.force),
            )?;
            eprintln!("wrote the request to {}", out.display());
        }
        None => print!("{pem}"),
    }
    Ok(Outcome::Success)
}

pub fn add_user_cert(args: &AddUserCertArgs) -> Result<Outcome> {
    let file = &args.cert;
    let bytes = read_input(file, "certificate file")?;
    let found = certs::read_certificates(&bytes).map_err(in_file("certificate file", file))?;
    let [cert_der] = found.as_slice() else {
        return Err(UsageError(format!(
            "{} holds {} certificates; give the signed certificate alone and add its CA certificates first with `orakit wallet add-trusted`",
            file.display(),
            found.len()
        ))
        .into());
    };
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    if let Some(issuer) = wallet.missing_issuer(cert_der)? {
        bail!(
            "{}: its issuer \"{issuer}\" is not in the wallet; add that CA certificate first with `orakit wallet add-trusted --cert CA.pem` (orapki needs the whole chain too)",
            file.display()
        );
    }
    check_signature(&wallet, cert_der).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    // A rerun: this very certificate is already the user certificate of its key.
    if wallet.holds_certificate(cert_der, true) {
        eprintln!(
            "the user certificate {} is already installed on its key",
            certs::subject_of(cert_der)
        );
        return Ok(Outcome::Success);
    }
    match wallet.install_user_certificate(cert_der) {
        Ok(_) => {}
        // Renewal is `replace`: installing a second certificate beside the first would
        // leave the key with none in Oracle's eyes. Refused, nothing written.
        Err(e @ ModelError::KeyAlreadyCertified { .. }) => bail!(
            "{}: {e}; nothing was changed. To install the renewed certificate {} on its key, run `orakit wallet replace --wallet {} --cert {}`",
            edit.opened.paths.dir.display(),
            file.display(),
            edit.opened.paths.dir.display(),
            file.display()
        ),
        Err(e) => return Err(anyhow!(e).context(format!("{}", file.display()))),
    }
    save(&edit, &wallet)?;
    eprintln!(
        "{} the user certificate {} on its key",
        crate::cli::output::verb("installed", "would install"),
        certs::subject_of(cert_der)
    );
    Ok(Outcome::Success)
}

/// The certificate's signature must verify with the key of a wallet certificate that
/// carries its issuer's name (or its own key, when it is self-signed).
fn check_signature(wallet: &Wallet, cert_der: &[u8]) -> Result<()> {
    let cert = Certificate::from_der(cert_der)?;
    let tbs = cert.tbs_certificate();
    let issuer = tbs.issuer().to_der()?;
    let mut candidates: Vec<Certificate> = wallet
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Certificate(d) => Certificate::from_der(d).ok(),
            _ => None,
        })
        .filter(|c| c.tbs_certificate().subject().to_der().ok().as_deref() == Some(&issuer[..]))
        .collect();
    if tbs.subject().to_der()? == issuer {
        candidates.push(cert.clone());
    }
    if candidates
        .iter()
        .any(|c| verify_issued_by(cert_der, c).is_ok())
    {
        return Ok(());
    }
    bail!(
        "its signature does not verify with the key of \"{}\" in the wallet: it was signed by a different CA of the same name; add the right CA certificate",
        certs::dn_rfc2253(tbs.issuer())
    )
}
