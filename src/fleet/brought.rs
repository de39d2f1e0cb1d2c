//! Hosts of a fleet whose server certificate was issued elsewhere (`tcps issue --bring`):
//! their wallet holds the brought key, certificate and chain, laid out and checked by the
//! code of `tcps init --pkcs12/--key/--tls-secret` ([`crate::tcps::byo`]); their `.ora`
//! files are those of an issued host (`host_bundle::net_files`). A complete host whose
//! brought certificate changed has it replaced in its wallet in place, by the code of
//! `tcps renew --pkcs12/...` ([`renew_brought::replace_identity`]), every other file of
//! the host kept byte for byte.

use std::path::{Path, PathBuf};

use der::Encode;
use zeroize::Zeroizing;

use super::host_bundle::{
    BundleError, BundleFile, CERT_FILE, HostBundle, IssueOptions, NETWORK_DIR, WALLET_DIR,
    net_files,
};
use super::hosts_csv::HostSpec;
use super::renew::{RenewError, keep_other_files, open_host_wallet};
use crate::fsio::MODE_PUBLIC;
use crate::pki::Certificate;
use crate::pki::cert;
use crate::pki::name::to_rfc2253;
use crate::pki::san::SanEntry;
use crate::pki::show::format_time;
use crate::secret::Password;
use crate::tcps::byo::{self, BroughtCertificate};
use crate::tcps::renew_brought;
use crate::wallet::model::{Wallet, sha256_hex};
use crate::wallet::store::{self, WalletPaths, WalletType};

/// A new host's bundle from its brought certificate, and the DER of its chain's root.
pub fn build(
    host: &HostSpec,
    options: &IssueOptions,
    brought: &BroughtCertificate,
) -> Result<(HostBundle, Vec<u8>), BundleError> {
    let checked = byo::check(brought, options.wallet_profile)?;
    let mut files = wallet_files(&checked.wallet, &options.wallet_password)?;
    let certificate = checked.certificate;
    files.push(public(CERT_FILE.into(), cert::to_pem(&certificate)?));
    let subject_dn = to_rfc2253(certificate.tbs_certificate().subject());
    for (name, text) in net_files(host, options, brought.identity.key.spec(), &subject_dn)? {
        files.push(public(Path::new(NETWORK_DIR).join(name), text));
    }
    let mut warnings = unnamed(host, &certificate);
    warnings.extend(checked.warnings);
    Ok((facts(host, files, &certificate, warnings), checked.root_der))
}

/// Whether the complete host in `host_dir` already holds `brought`'s certificate.
pub fn holds(current: &Certificate, brought: &BroughtCertificate) -> bool {
    current
        .to_der()
        .is_ok_and(|der| der == brought.identity.certificate)
}

/// A complete host with `brought` in its wallet's place of the old identity (see the
/// module documentation), and the DER of the brought chain's root.
pub fn replaced(
    host_dir: &Path,
    host: &HostSpec,
    brought: &BroughtCertificate,
    password: &Password,
) -> Result<(HostBundle, Vec<u8>), RenewError> {
    let (p12, mut wallet) = open_host_wallet(host_dir, password)?;
    let replacement = renew_brought::replace_identity(&mut wallet, &p12, brought)?;
    let mut files = wallet_files(&wallet, password).map_err(|e| match e {
        BundleError::Store(s) => RenewError::Store(s),
        other => RenewError::Renew(crate::tcps::Error::Invalid(other.to_string())),
    })?;
    let pem = cert::to_pem(&replacement.certificate).map_err(|source| RenewError::Certificate {
        path: host_dir.join(CERT_FILE),
        source,
    })?;
    files.push(public(CERT_FILE.into(), pem));
    let kept: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    keep_other_files(host_dir, Path::new(""), &kept, &mut files)?;
    let mut warnings = unnamed(host, &replacement.certificate);
    warnings.extend(replacement.warnings);
    Ok((
        facts(host, files, &replacement.certificate, warnings),
        replacement.root_der,
    ))
}

/// The marker's `ca_sha256` of a brought host: its chain's root.
pub fn root_sha256(root_der: &[u8]) -> String {
    sha256_hex(root_der)
}

fn wallet_files(wallet: &Wallet, password: &Password) -> Result<Vec<BundleFile>, BundleError> {
    Ok(store::encode(
        &WalletPaths::in_dir(Path::new(WALLET_DIR)),
        wallet,
        WalletType::AutoLogin,
        Some(password),
    )?
    .into_iter()
    .map(|f| BundleFile {
        path: f.path,
        contents: Zeroizing::new(f.contents),
        mode: f.mode,
    })
    .collect())
}

fn public(path: PathBuf, text: String) -> BundleFile {
    BundleFile {
        path,
        contents: Zeroizing::new(text.into_bytes()),
        mode: MODE_PUBLIC,
    }
}

/// A warning for each name of the host's row the brought certificate does not carry.
fn unnamed(host: &HostSpec, certificate: &Certificate) -> Vec<String> {
    let mut names = Vec::new();
    let mut ips = Vec::new();
    for san in &host.sans {
        match san {
            SanEntry::Ip(ip) => ips.push(*ip),
            SanEntry::Dns(name) => names.push(name.clone()),
        }
    }
    let sans = byo::certificate_sans(certificate);
    byo::unnamed_hosts(&names, &ips, &sans, certificate)
}

fn facts(
    host: &HostSpec,
    files: Vec<BundleFile>,
    certificate: &Certificate,
    warnings: Vec<String>,
) -> HostBundle {
    let tbs = certificate.tbs_certificate();
    HostBundle {
        host: host.host.clone(),
        files,
        subject: to_rfc2253(tbs.subject()),
        serial: hex::encode(tbs.serial_number().as_bytes()),
        not_after: format_time(&tbs.validity().not_after),
        key_type: crate::pki::key::spec_of_public_key(tbs.subject_public_key_info())
            .map(|s| s.description())
            .unwrap_or_default(),
        warnings,
    }
}
