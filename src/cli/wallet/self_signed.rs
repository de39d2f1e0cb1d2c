//! `orakit wallet add-self-signed` (orapki `wallet add -dn DN -self_signed`): a new key
//! and a self-signed certificate for it inside the wallet, laid out as orapki does: the
//! key and its request (kinds 1 and 2), the certificate as a trusted certificate
//! (kind 3; friendlyName "ALIAS 1" when an alias is given, as orapki 23ai names it) and
//! again as the key's user certificate.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use der::{Decode, Encode};
use serde::Serialize;
use x509_cert::serial_number::SerialNumber;

use super::{WalletArg, open_for_change, save};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{KeyType, print_json};
use crate::pki::csr::create_csr;
use crate::pki::key::PrivateKey;
use crate::pki::name::parse_dn;
use crate::pki::san::SanEntry;
use crate::pki::self_signed::{SelfSignedSpec, create_self_signed, parse_key_usage};
use crate::pki::serial::parse_serial;
use crate::pki::signer::SignatureDigest;
use crate::wallet::certs;
use crate::wallet::model::DEFAULT_KEY_NAME;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignatureAlgorithm {
    /// SHA-256 (RSA PKCS#1 v1.5 or ECDSA): orapki sha256 / ecdsasha256.
    Sha256,
    /// SHA-384: orapki sha384 / ecdsasha384.
    Sha384,
    /// SHA-512: orapki sha512 / ecdsasha512.
    Sha512,
}

#[derive(Debug, Args)]
#[command(
    group(clap::ArgGroup::new("validity").required(true).args(["days", "valid_from"])),
    after_help = "Without any of --ski, --key-usage, --ca/--path-len and --san the certificate \
    is X.509 v1 without extensions, exactly as orapki makes it; `orakit csr sign` accepts such \
    a root.\n\n\
    EXAMPLES:\n  \
    orakit wallet add-self-signed --wallet DIR --subject \"CN=db1.example.com\" --days 365\n  \
    orakit wallet add-self-signed --wallet DIR --subject \"CN=Example Root,O=Example\" \\\n      \
    --days 3650 --ca --path-len 1 --key-usage keyCertSign,cRLSign --ski --key-type p384"
)]
pub struct AddSelfSignedArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Subject (and issuer) DN, most specific first, as orapki's -dn.
    #[arg(long, value_name = "DN")]
    pub subject: String,
    /// Key type: rsa2048 (default), rsa3072, rsa4096, p256, p384, p521.
    #[arg(long, value_enum, value_name = "TYPE", default_value_t = KeyType::Rsa2048, hide_default_value = true, hide_possible_values = true)]
    pub key_type: KeyType,
    #[command(flatten)]
    pub validity: crate::cli::validity::ValidityArgs,
    /// Serial number, decimal as orapki's -serial_num (4660) or hexadecimal with 0x
    /// (0x1234); default: random 128 bits.
    #[arg(long, value_name = "N")]
    pub serial: Option<String>,
    /// Add subjectKeyIdentifier and authorityKeyIdentifier (orapki -addext_ski).
    #[arg(long)]
    pub ski: bool,
    /// keyUsage bits, critical (orapki -addext_ku): digitalSignature, nonRepudiation,
    /// keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign,
    /// encipherOnly, decipherOnly, comma-separated.
    #[arg(long, value_name = "LIST")]
    pub key_usage: Option<String>,
    /// basicConstraints CA:TRUE, critical (orapki -addext_basic_cons CA).
    #[arg(long)]
    pub ca: bool,
    /// basicConstraints CA:TRUE with this path length (orapki -addext_basic_cons -pathLen N).
    #[arg(long, value_name = "N")]
    pub path_len: Option<u8>,
    /// A subject alternative name (DNS name or IP address); may be repeated (orapki -addext_san).
    #[arg(long, value_name = "NAME")]
    pub san: Vec<String>,
    /// Hash of the signature (orapki -sign_alg); default SHA-256 for RSA and P-256,
    /// SHA-384 for P-384, SHA-512 for P-521.
    #[arg(long, value_enum)]
    pub signature_algorithm: Option<SignatureAlgorithm>,
    /// Friendly name of the key (orapki -alias) [default: orakey].
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
    /// Print a JSON report on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Serialize)]
struct Report<'a> {
    wallet: &'a std::path::Path,
    subject: String,
    key: String,
    friendly_name: &'a str,
    version: u8,
    serial: String,
    not_before: String,
    not_after: String,
    sha256_fingerprint: String,
}

pub fn add_self_signed(args: &AddSelfSignedArgs) -> Result<Outcome> {
    let subject = parse_dn(&args.subject).context("--subject")?;
    let sans = args
        .san
        .iter()
        .map(|s| SanEntry::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .context("--san")?;
    // orapki's -self_signed starts at this second.
    let (not_before, not_after) = args.validity.resolve(Duration::ZERO)?;
    let serial = match &args.serial {
        Some(text) => {
            let mut bytes = parse_serial(text)?;
            if bytes[0] & 0x80 != 0 {
                bytes.insert(0, 0);
            }
            Some(SerialNumber::new(&bytes).map_err(|e| anyhow!("--serial {text}: {e}"))?)
        }
        None => None,
    };
    let key_usage = args
        .key_usage
        .as_deref()
        .map(parse_key_usage)
        .transpose()
        .context("--key-usage")?;
    let name = args.alias.as_deref().unwrap_or(DEFAULT_KEY_NAME);
    if name.is_empty() {
        return Err(UsageError("--alias needs a name".into()).into());
    }
    let spec = SelfSignedSpec {
        subject: subject.clone(),
        not_before,
        not_after,
        serial,
        key_identifiers: args.ski,
        key_usage,
        ca: (args.ca || args.path_len.is_some()).then_some(args.path_len),
        sans: sans.clone(),
        digest: args.signature_algorithm.map(|a| match a {
            SignatureAlgorithm::Sha256 => SignatureDigest::Sha256,
            SignatureAlgorithm::Sha384 => SignatureDigest::Sha384,
            SignatureAlgorithm::Sha512 => SignatureDigest::Sha512,
        }),
    };

    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let wanted = certs::dn_rfc2253(&subject);
    let existing =
        wallet
            .user_cert_indices()
            .into_iter()
            .find_map(|i| match &wallet.entries[i].item {
                crate::wallet::model::Item::Certificate(d)
                    if certs::dn_matches(&certs::subject_of(d), &wanted) =>
                {
                    Some(d.clone())
                }
                _ => None,
            });
    if let Some(existing) = existing {
        // A rerun: the certificate asked for is there (same subject, key type,
        // extensions and validity); nothing is made again. Anything else is refused.
        let dir = &edit.opened.paths.dir;
        if let Some(difference) = self_signed_difference(&wallet, &existing, args, &spec, name)? {
            bail!(
                "{} already holds a user certificate for {wanted}, not the one asked for: {difference}; remove it first with `orakit wallet remove --subject {wanted:?} --kind user`",
                dir.display()
            );
        }
        let details = certs::details(&existing)?;
        eprintln!(
            "{} already holds the self-signed certificate asked for {wanted} (serial {}, valid until {}); nothing changed",
            dir.display(),
            details.serial,
            details.not_after
        );
        if args.json {
            let version = if details_has_extensions(&existing) {
                3
            } else {
                1
            };
            print_json(&Report {
                wallet: dir,
                subject: wanted,
                key: args.key_type.spec().description(),
                friendly_name: name,
                version,
                serial: details.serial,
                not_before: details.not_before,
                not_after: details.not_after,
                sha256_fingerprint: details.sha256_fingerprint,
            })?;
        }
        return Ok(Outcome::Success);
    }
    let key = PrivateKey::generate(args.key_type.spec())?;
    let cert = create_self_signed(&key, &spec)?;
    let cert_der = cert.to_der()?;
    let csr = create_csr(&key, &subject, &sans)?;
    wallet.add_key_with_request(&key.to_pkcs8_der()?, csr.der(), name)?;
    wallet.add_trusted(&cert_der)?;
    if args.alias.is_some()
        && let Some(entry) = wallet.entries.iter_mut().find(
            |e| matches!(&e.item, crate::wallet::model::Item::Certificate(d) if *d == cert_der),
        )
    {
        entry.friendly_name = Some(format!("{name} 1"));
    }
    wallet.install_user_certificate(&cert_der)?;
    save(&edit, &wallet)?;
    let details = certs::details(&cert_der)?;
    let version = if cert.tbs_certificate().extensions().is_some() {
        3
    } else {
        1
    };
    eprintln!(
        "added {} key and a self-signed X.509 v{version} certificate for {wanted} (serial {}, valid until {}) to {}",
        crate::text::with_article(&key.description()),
        details.serial,
        details.not_after,
        edit.opened.paths.dir.display()
    );
    if args.json {
        print_json(&Report {
            wallet: &edit.opened.paths.dir,
            subject: wanted,
            key: key.description(),
            friendly_name: name,
            version,
            serial: details.serial,
            not_before: details.not_before,
            not_after: details.not_after,
            sha256_fingerprint: details.sha256_fingerprint,
        })?;
    }
    Ok(Outcome::Success)
}

/// Why the user certificate `existing` (of the subject asked for) is not the one this
/// command would make: another key type, alias, extensions, signature algorithm, serial
/// (when `--serial` was given) or validity, or not self-signed by its key.
fn self_signed_difference(
    wallet: &crate::wallet::model::Wallet,
    existing: &[u8],
    args: &AddSelfSignedArgs,
    spec: &SelfSignedSpec,
    name: &str,
) -> Result<Option<String>> {
    use crate::pki::rerun::{Compare, Dates, certificate_difference};
    use crate::wallet::model::Item;
    let existing = x509_cert::Certificate::from_der(existing)?;
    let spki = existing
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()?;
    let Some(k) = wallet.key_for_public_key(&spki) else {
        return Ok(Some("its private key is not in the wallet".into()));
    };
    let Item::PrivateKey(pkcs8) = &wallet.entries[k].item else {
        return Ok(Some("its private key is not in the wallet".into()));
    };
    let key = PrivateKey::from_pem_or_der(pkcs8, None)?;
    let asked = args.key_type.spec();
    if key.spec() != asked {
        return Ok(Some(format!("{} key, not {asked}", key.spec())));
    }
    let alias = wallet.entries[k].friendly_name.as_deref();
    if alias.is_some_and(|a| a != name) {
        return Ok(Some(format!(
            "its key is named {:?}, not {name:?}",
            alias.unwrap_or("")
        )));
    }
    let planned = create_self_signed(&key, spec)?;
    let dates = if args.validity.valid_from.is_some() {
        Dates::Exact
    } else {
        Dates::Length
    };
    Ok(certificate_difference(
        &existing,
        &planned,
        Compare {
            signer: &planned,
            dates,
            serial: args.serial.is_some(),
        },
    ))
}

fn details_has_extensions(der: &[u8]) -> bool {
    x509_cert::Certificate::from_der(der).is_ok_and(|c| c.tbs_certificate().extensions().is_some())
}
