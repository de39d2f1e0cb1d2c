//! What a complete host has on disk against what the host file and this run's options
//! now ask for (a SAN added to the CSV, a port changed, another wallet location), and
//! whether its certificate comes from this run's CA. A complete host is never skipped
//! silently when it no longer matches.

use std::fs;
use std::path::Path;

use super::host_bundle::{self, CaMaterial, IssueOptions, NETWORK_DIR};
use super::hosts_csv::HostSpec;
use crate::pki::Certificate;
use crate::pki::key::spec_of_public_key;
use crate::pki::name::{parse_dn, to_rfc2253};

/// Whether `certificate` was issued by this run's CA: its issuer name is the CA's subject
/// and its signature verifies with the CA's key (a CA certificate re-made with the same
/// name and key counts as the same CA; one with the same name and another key does not).
pub fn issued_by(certificate: &Certificate, ca: &CaMaterial) -> bool {
    ca.issued(certificate)
}

/// The issuer of a host's certificate, as messages name it.
pub fn issuer_of(certificate: &Certificate) -> String {
    to_rfc2253(certificate.tbs_certificate().issuer())
}

/// How a SAN reads in a drift note: `db1.example.com`, `IP:10.0.0.1`.
fn san_label(san: &str) -> &str {
    san.strip_prefix("DNS:").unwrap_or(san)
}

/// Every difference between the host on disk (`dir`, its `certificate`) and what the host
/// file row and the options would issue now, one note each ("SAN x added").
pub fn drift(
    dir: &Path,
    host: &HostSpec,
    certificate: &Certificate,
    options: &IssueOptions,
) -> Vec<String> {
    let mut notes = Vec::new();
    let tbs = certificate.tbs_certificate();
    let have: Vec<String> = tbs
        .extensions()
        .map(|e| crate::pki::show::sans_of(e))
        .unwrap_or_default();
    let want: Vec<String> = host.sans.iter().map(ToString::to_string).collect();
    for san in want.iter().filter(|s| !have.contains(s)) {
        notes.push(format!("SAN {} added", san_label(san)));
    }
    for san in have.iter().filter(|s| !want.contains(s)) {
        notes.push(format!("SAN {} removed", san_label(san)));
    }
    let subject_now = to_rfc2253(tbs.subject());
    let subject_text = options
        .subject
        .replace(host_bundle::HOST_PLACEHOLDER, &host.host);
    if let Ok(wanted) = parse_dn(&subject_text)
        && to_rfc2253(&wanted) != subject_now
    {
        notes.push(format!(
            "subject {subject_now} is now {}",
            to_rfc2253(&wanted)
        ));
    }
    // The .ora files as this run would write them for the host's existing key.
    if let Ok(spec) = spec_of_public_key(tbs.subject_public_key_info())
        && let Ok(files) = host_bundle::net_files(host, options, spec, &subject_now)
    {
        for (name, text) in files {
            let path = dir.join(NETWORK_DIR).join(name);
            if fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
                notes.push(format!(
                    "{NETWORK_DIR}/{name} differs from what the host file and options give"
                ));
            }
        }
    }
    notes
}
