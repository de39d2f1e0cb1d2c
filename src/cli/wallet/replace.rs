//! `orakit wallet replace` (orapki `wallet replace`): puts a renewed certificate in the
//! place of the one it renews, keeping the entry's position, localKeyId and friendly name.
//!
//! - A user certificate goes on the private key whose public key it carries, replacing
//!   that key's certificate. orapki finds the key through its pending certificate request
//!   (`PKI-04005: No matching certificate request in the wallet.` for an imported key);
//!   orakit matches the key itself, so imported keys can be renewed too.
//! - A trusted certificate replaces the one chosen by `--issuer` + `--serial` (orapki
//!   `-issuer_dn -serial_num`) or by subject (default: the new certificate's own).

use std::path::Path;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use der::{Decode, Encode};
use serde::Serialize;
use x509_cert::Certificate;

use super::{WalletArg, open_for_change, save};
use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{in_file, print_json, read_input};
use crate::pki::serial::parse_serial;
use crate::wallet::certs;
use crate::wallet::chain::{self, Chain};
use crate::wallet::model::{Item, Wallet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplaceKind {
    /// The certificate of a private key in the wallet (orapki -user_cert).
    User,
    /// A trusted CA certificate (orapki -trusted_cert).
    Trusted,
}

#[derive(Debug, Args)]
#[command(after_help = "EXAMPLES:\n  \
    orakit wallet replace --wallet DIR --cert renewed.pem\n  \
    orakit wallet replace --wallet DIR --cert new-root.pem --kind trusted \\\n      \
    --issuer \"CN=Old Root,O=Example\" --serial 4660")]
pub struct ReplaceArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// The new certificate (PEM or DER, one certificate).
    #[arg(long, value_name = "FILE")]
    pub cert: std::path::PathBuf,
    /// What to replace; by default a user certificate when the wallet holds the
    /// certificate's key, otherwise a trusted one.
    #[arg(long, value_enum)]
    pub kind: Option<ReplaceKind>,
    /// Trusted certificate to replace: its issuer DN (with --serial).
    #[arg(
        long,
        value_name = "DN",
        requires = "serial",
        conflicts_with = "subject"
    )]
    pub issuer: Option<String>,
    /// Trusted certificate to replace: its serial, decimal as orapki takes it (4660) or
    /// hexadecimal with 0x or colons (0x1234, 12:34).
    #[arg(long, value_name = "N", requires = "issuer")]
    pub serial: Option<String>,
    /// Trusted certificate to replace: its subject DN (default: the new certificate's subject).
    #[arg(long, value_name = "DN")]
    pub subject: Option<String>,
    /// Print a JSON report on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Serialize)]
struct CertSummary {
    subject: String,
    issuer: String,
    serial: String,
    not_after: String,
    sha256_fingerprint: String,
}

fn summary(der_bytes: &[u8]) -> CertSummary {
    match certs::details(der_bytes) {
        Ok(d) => CertSummary {
            subject: d.subject,
            issuer: d.issuer,
            serial: d.serial,
            not_after: d.not_after,
            sha256_fingerprint: d.sha256_fingerprint,
        },
        Err(_) => CertSummary {
            subject: certs::subject_of(der_bytes),
            issuer: String::new(),
            serial: String::new(),
            not_after: String::new(),
            sha256_fingerprint: String::new(),
        },
    }
}

#[derive(Serialize)]
struct Report<'a> {
    wallet: &'a Path,
    kind: ReplaceKind,
    replaced: CertSummary,
    installed: CertSummary,
}

fn cert_der_of(wallet: &Wallet, i: usize) -> &[u8] {
    match &wallet.entries[i].item {
        Item::Certificate(d) => d,
        _ => &[],
    }
}

fn user_cert_of_key(wallet: &Wallet, key: usize) -> Option<usize> {
    let id = wallet.entries[key].local_key_id.as_ref()?;
    (0..wallet.entries.len()).find(|&i| {
        wallet.is_user_certificate(i)
            && crate::wallet::model::same_id(
                wallet.entries[i].local_key_id.as_deref(),
                Some(id.as_slice()),
            )
    })
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let lead = bytes.iter().take_while(|&&b| b == 0).count();
    if lead == bytes.len() {
        &bytes[bytes.len().saturating_sub(1)..]
    } else {
        &bytes[lead..]
    }
}

pub fn replace(args: &ReplaceArgs) -> Result<Outcome> {
    let file = &args.cert;
    let bytes = read_input(file, "certificate file")?;
    let found = certs::read_certificates(&bytes).map_err(in_file("certificate file", file))?;
    let [new_der] = found.as_slice() else {
        return Err(UsageError(format!(
            "{} holds {} certificates; give the new certificate alone (add CA certificates with `orakit wallet add-trusted`)",
            file.display(),
            found.len()
        ))
        .into());
    };
    let new_cert = Certificate::from_der(new_der)?;
    let spki = new_cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()?;
    let serial = args.serial.as_deref().map(parse_serial).transpose()?;

    let edit = open_for_change(&args.wallet, &args.password)?;
    let dir = edit.opened.paths.dir.clone();
    let mut wallet = edit.opened.wallet().clone();
    let key = wallet.key_for_public_key(&spki);
    let trusted_selector_given = args.issuer.is_some() || args.subject.is_some();
    let kind = match (args.kind, key) {
        (Some(k), _) => k,
        (None, Some(_)) if !trusted_selector_given => ReplaceKind::User,
        (None, _) if trusted_selector_given => ReplaceKind::Trusted,
        (None, _) => {
            let subject = certs::subject_of(new_der);
            let same_subject = wallet
                .trusted_indices()
                .into_iter()
                .any(|i| certs::subject_of(cert_der_of(&wallet, i)) == subject);
            if same_subject {
                ReplaceKind::Trusted
            } else {
                bail!(
                    "{}: the certificate's public key belongs to no private key in {} (and no trusted certificate has its subject {subject}); replace installs a renewed certificate on the key it was issued for; nothing was changed",
                    file.display(),
                    dir.display()
                );
            }
        }
    };
    let old_index = match kind {
        ReplaceKind::User => {
            let Some(key) = key else {
                bail!(
                    "{}: the certificate's public key belongs to no private key in {}; a user certificate can only replace the certificate of its own key; nothing was changed",
                    file.display(),
                    dir.display()
                );
            };
            let Some(old) = user_cert_of_key(&wallet, key) else {
                bail!(
                    "{}: its key in {} has no certificate yet; install it with `orakit wallet add-user-cert --wallet {} --cert {}`",
                    file.display(),
                    dir.display(),
                    dir.display(),
                    file.display()
                );
            };
            // The renewed certificate's chain must be in the wallet, as for add-user-cert.
            let pool: Vec<Vec<u8>> = (0..wallet.entries.len())
                .filter(|&i| i != old)
                .map(|i| cert_der_of(&wallet, i).to_vec())
                .filter(|d| !d.is_empty())
                .collect();
            if let Chain::Missing {
                subject, issuer, ..
            } = chain::build(new_der, &pool)?
            {
                bail!(
                    "{}: the chain is incomplete: the certificate of \"{issuer}\" (which issued \"{subject}\") is not in the wallet; add it first with `orakit wallet add-trusted`; nothing was changed",
                    file.display()
                );
            }
            old
        }
        ReplaceKind::Trusted => {
            let wanted_subject = args
                .subject
                .clone()
                .unwrap_or_else(|| certs::subject_of(new_der));
            let hits: Vec<usize> = wallet
                .trusted_indices()
                .into_iter()
                .filter(|&i| {
                    let Ok(c) = Certificate::from_der(cert_der_of(&wallet, i)) else {
                        return false;
                    };
                    let tbs = c.tbs_certificate();
                    match (&args.issuer, &serial) {
                        (Some(dn), Some(sn)) => {
                            certs::dn_matches(&certs::dn_rfc2253(tbs.issuer()), dn)
                                && strip_zeros(tbs.serial_number().as_bytes()) == &sn[..]
                        }
                        _ => certs::dn_matches(&certs::dn_rfc2253(tbs.subject()), &wanted_subject),
                    }
                })
                .collect();
            match hits.as_slice() {
                [one] => *one,
                [] => bail!(
                    "no trusted certificate in {} matches {}; `orakit wallet display --json` lists issuers and serials; nothing was changed",
                    dir.display(),
                    match &args.issuer {
                        Some(dn) => format!(
                            "issuer {dn:?} and serial {}",
                            args.serial.as_deref().unwrap_or("")
                        ),
                        None => format!("subject {wanted_subject:?}"),
                    }
                ),
                many => {
                    return Err(UsageError(format!(
                        "{} trusted certificates in {} have the subject {wanted_subject:?}; choose one with --issuer DN --serial N",
                        many.len(),
                        dir.display()
                    ))
                    .into());
                }
            }
        }
    };
    let old_der = cert_der_of(&wallet, old_index).to_vec();
    if old_der == *new_der {
        bail!(
            "{}: the wallet already holds this very certificate; nothing was changed",
            file.display()
        );
    }
    // Only this entry changes. For a self-signed user certificate the trusted copy
    // orapki -self_signed made stays as it was, as orapki replace leaves it (23.26).
    wallet.entries[old_index].item = Item::Certificate(new_der.clone());
    save(&edit, &wallet)?;
    eprintln!(
        "replaced the {} certificate {} (serial {}) with the one of serial {}",
        match kind {
            ReplaceKind::User => "user",
            ReplaceKind::Trusted => "trusted",
        },
        certs::subject_of(&old_der),
        summary(&old_der).serial,
        summary(new_der).serial
    );
    if args.json {
        print_json(&Report {
            wallet: &dir,
            kind,
            replaced: summary(&old_der),
            installed: summary(new_der),
        })?;
    }
    Ok(Outcome::Success)
}
