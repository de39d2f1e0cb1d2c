//! Bring your own certificate: `tcps init` with a server key and certificate issued
//! elsewhere (a corporate CA, cert-manager, a public CA) instead of a CA of ours.
//!
//! The key, its certificate and the CA certificates that came with them are checked and
//! laid out as orapki lays out an import ([`crate::wallet::import`]: `import_pkcs12` for a
//! PKCS#12 file, `import_private_key`, with a certificate request, for PEM files), so the
//! server wallet is what a DBA would have made with orapki. The client (AWS DMS) wallet
//! trusts the root of that chain: the certificate every client must already hold to trust
//! the server.

use std::time::SystemTime;

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectAltName;

use super::server::{ServerBundle, ServerSpec, encode_auto_login, net_key_type};
use super::{Error, Result, server_net};
use crate::pki::oid;
use crate::pki::san::{SanEntry, describe_general_name};
use crate::pki::show::format_time;
use crate::wallet::certs::subject_of;
use crate::wallet::chain::{self, Chain};
use crate::wallet::import::{self, Identity};
use crate::wallet::model::{DEFAULT_KEY_NAME, Wallet};
use crate::wallet::store;

/// A server key and certificate from elsewhere, read by the caller.
pub struct BroughtCertificate {
    pub identity: Identity,
    /// PEM sources get a certificate request beside the key, as orapki
    /// `import_private_key` adds one; a PKCS#12 file does not (`import_pkcs12`).
    pub with_request: bool,
    /// What it was read from, for messages (`server.pfx`, `the secret in DIR`).
    pub source: String,
}

impl Clone for BroughtCertificate {
    fn clone(&self) -> Self {
        let i = &self.identity;
        Self {
            identity: Identity {
                key: i.key.clone(),
                certificate: i.certificate.clone(),
                others: i.others.clone(),
                source_name: i.source_name.clone(),
            },
            with_request: self.with_request,
            source: self.source.clone(),
        }
    }
}

impl std::fmt::Debug for BroughtCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("BroughtCertificate")
            .field("source", &self.source)
            .field("certificate", &subject_of(&self.identity.certificate))
            .finish_non_exhaustive()
    }
}

/// The server bundle made from a brought certificate, and the root its chain ends in.
#[derive(Debug)]
pub struct ByoServer {
    pub bundle: ServerBundle,
    /// DER of the chain's root (the server certificate itself when it is self-signed).
    pub root_der: Vec<u8>,
    pub root: Certificate,
}

/// A brought certificate that passed the checks: its key matches, its chain reaches a
/// root, it has not expired.
pub struct Checked {
    pub certificate: Certificate,
    /// The wallet orapki's import would make of it (key, request for PEM sources,
    /// certificate, chain as trusted).
    pub wallet: Wallet,
    /// DER of the chain's root (the server certificate itself when it is self-signed).
    pub root_der: Vec<u8>,
    /// Certificates that came with it but are not in its chain, as warnings.
    pub warnings: Vec<String>,
}

/// Checks `brought` (key match, complete chain with the missing issuer named, not
/// expired) and lays it out as orapki's import does, in a new wallet of `profile`. Every
/// message names the source; `tcps init`, `tcps renew` and `tcps issue --bring` use it.
pub fn check(
    brought: &BroughtCertificate,
    profile: crate::wallet::model::Profile,
) -> Result<Checked> {
    let fail = |problem: String| {
        Error::Invalid(format!(
            "{}: {problem}; nothing was written",
            brought.source
        ))
    };
    let identity = &brought.identity;
    let certificate = Certificate::from_der(&identity.certificate)
        .map_err(|e| fail(format!("the certificate cannot be read: {e}")))?;
    let not_after = certificate.tbs_certificate().validity().not_after;
    if not_after.to_system_time() < SystemTime::now() {
        return Err(fail(format!(
            "the certificate \"{}\" expired on {}; bring a current one",
            subject_of(&identity.certificate),
            format_time(&not_after)
        )));
    }
    let request = if brought.with_request {
        let csr = crate::pki::csr::create_csr(
            &identity.key,
            certificate.tbs_certificate().subject(),
            &[],
        )?;
        Some(csr.der().to_vec())
    } else {
        None
    };
    // The key must match and the chain reach a root; import names what is wrong.
    let mut wallet = Wallet::new(profile);
    let imported = import::import(&mut wallet, identity, request.as_deref(), DEFAULT_KEY_NAME)
        .map_err(|e| fail(e.to_string()))?;
    let root_der = match chain::build(&identity.certificate, &identity.others)
        .map_err(|e| fail(e.to_string()))?
    {
        Chain::Complete(issuers) => issuers
            .last()
            .cloned()
            .unwrap_or_else(|| identity.certificate.clone()),
        Chain::Missing {
            subject, issuer, ..
        } => {
            return Err(fail(format!(
                "the chain of \"{subject}\" is incomplete: the certificate of its issuer \"{issuer}\" is missing"
            )));
        }
    };
    let warnings = imported
        .ignored
        .iter()
        .map(|ignored| {
            format!(
                "{}: \"{ignored}\" is not in the server certificate's chain and was left out of the wallets",
                brought.source
            )
        })
        .collect();
    Ok(Checked {
        certificate,
        wallet,
        root_der,
        warnings,
    })
}

/// Checks the brought certificate and builds the server wallet and `.ora` files from it.
/// `spec`'s subject, key type and validity are not used: they are the certificate's.
pub fn build_server_bundle(
    brought: &BroughtCertificate,
    spec: &ServerSpec,
    client_auth: bool,
) -> Result<ByoServer> {
    if let Err(rule) = store::check_new_password(&spec.wallet_password) {
        return Err(Error::Invalid(rule.into()));
    }
    let checked = check(brought, spec.wallet_profile)?;
    let certificate = checked.certificate;
    let root = Certificate::from_der(&checked.root_der)
        .map_err(|e| Error::Invalid(format!("{}: {e}", brought.source)))?;

    let key_spec = brought.identity.key.spec();
    let (sqlnet_ora, listener_ora) = server_net::render(spec, net_key_type(key_spec), client_auth)?;
    let sans = certificate_sans(&certificate);
    let mut warnings = unnamed_hosts(&spec.hosts, &spec.ips, &sans, &certificate);
    warnings.extend(checked.warnings);
    let (ewallet_p12, cwallet_sso) = encode_auto_login(&checked.wallet, &spec.wallet_password)?;
    let certificate_der = certificate
        .to_der()
        .map_err(|e| Error::Invalid(format!("cannot encode the certificate: {e}")))?;
    Ok(ByoServer {
        bundle: ServerBundle {
            key: brought.identity.key.clone(),
            certificate,
            certificate_der,
            sans,
            ewallet_p12,
            cwallet_sso,
            sqlnet_ora,
            listener_ora,
            warnings,
        },
        root_der: checked.root_der,
        root,
    })
}

/// The certificate's SANs as `DNS:x` / `IP:x`.
pub(crate) fn certificate_sans(certificate: &Certificate) -> Vec<String> {
    crate::pki::cert::find_extension(certificate, &oid::SUBJECT_ALT_NAME)
        .and_then(|e| SubjectAltName::from_der(e.extn_value.as_bytes()).ok())
        .map(|san| san.0.iter().map(describe_general_name).collect())
        .unwrap_or_default()
}

/// A warning for each --host / --ip the certificate does not name: clients that match the
/// host name (python-oracledb, JDBC, 19.23+ OCI) refuse the server under that name.
pub(crate) fn unnamed_hosts(
    hosts: &[String],
    ips: &[std::net::IpAddr],
    sans: &[String],
    certificate: &Certificate,
) -> Vec<String> {
    let common_name = crate::pki::name::common_name(certificate.tbs_certificate().subject());
    let mut warnings = Vec::new();
    let wanted = hosts
        .iter()
        .filter_map(|h| SanEntry::parse(h).ok())
        .chain(ips.iter().map(|ip| SanEntry::Ip(*ip)));
    for entry in wanted {
        let shown = entry.to_string();
        let named = sans.iter().any(|s| s.eq_ignore_ascii_case(&shown))
            || matches!(&entry, SanEntry::Dns(h) if common_name.as_deref().is_some_and(|cn| cn.eq_ignore_ascii_case(h)))
            || matches!(&entry, SanEntry::Dns(h) if sans.iter().any(|s| wildcard_matches(s, h)));
        if !named {
            warnings.push(format!(
                "the server certificate does not name {shown} (it has {}): clients that check the host name will refuse the server under that name",
                if sans.is_empty() { "no SANs".to_owned() } else { sans.join(", ") }
            ));
        }
    }
    warnings
}

/// `DNS:*.example.com` covers `db1.example.com` (one label, as RFC 6125 says).
fn wildcard_matches(san: &str, host: &str) -> bool {
    let Some(suffix) = san.strip_prefix("DNS:*.") else {
        return false;
    };
    host.split_once('.')
        .is_some_and(|(label, rest)| !label.is_empty() && rest.eq_ignore_ascii_case(suffix))
}

#[cfg(test)]
mod tests {
    use super::wildcard_matches;

    #[test]
    fn a_wildcard_covers_one_label() {
        assert!(wildcard_matches("DNS:*.example.com", "db1.example.com"));
        assert!(!wildcard_matches("DNS:*.example.com", "a.db1.example.com"));
        assert!(!wildcard_matches("DNS:*.example.com", "example.com"));
        assert!(!wildcard_matches("DNS:db1.example.com", "db1.example.com"));
    }
}
