//! The hosts of the TCPS aliases in tnsnames.ora, and whether the wallet's server
//! certificates name them (SAN DNS names, one-label wildcards, IP addresses).

use std::net::IpAddr;
use std::path::Path;

use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{ExtendedKeyUsage, SubjectAltName};

use super::finding::Finding;
use crate::net::Document;
use crate::pki::cert::find_extension;
use crate::pki::name::to_rfc2253;
use crate::wallet::model::{Item, Wallet};

const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");

/// A TCPS address of a tnsnames.ora alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpsHost {
    pub alias: String,
    pub host: String,
}

/// Every (alias, host) with PROTOCOL = TCPS in the file.
pub fn tcps_hosts(path: &Path, findings: &mut Vec<Finding>) -> Vec<TcpsHost> {
    let text = match crate::limits::read_text(path, crate::limits::MAX_ORA_FILE, "Oracle Net files")
    {
        Ok(t) => t,
        Err(e) => {
            findings.push(Finding::problem(
                "tnsnames-unreadable",
                None,
                Some(path),
                format!("cannot read {}: {e}", path.display()),
            ));
            return Vec::new();
        }
    };
    // A syntax error is reported by the lint that runs on the same file.
    let Ok(doc) = Document::parse(&text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for param in doc.parameters() {
        let alias = param
            .names()
            .first()
            .copied()
            .unwrap_or_default()
            .to_owned();
        for group in param.groups() {
            let mut addresses = group.descendants("ADDRESS");
            if group.has_key("ADDRESS") {
                addresses.push(group);
            }
            for address in addresses {
                let tcps = address
                    .child("PROTOCOL")
                    .and_then(|p| p.scalar())
                    .is_some_and(|p| p.eq_ignore_ascii_case("TCPS"));
                if let (true, Some(host)) = (tcps, address.child("HOST").and_then(|h| h.scalar())) {
                    let entry = TcpsHost {
                        alias: alias.clone(),
                        host,
                    };
                    if !found.contains(&entry) {
                        found.push(entry);
                    }
                }
            }
        }
    }
    found
}

/// For a wallet that holds server certificates (user certificates with EKU serverAuth):
/// each TCPS host must appear in one of their SANs.
pub fn check_sans(
    wallet: &Wallet,
    hosts: &[TcpsHost],
    tnsnames: &Path,
    findings: &mut Vec<Finding>,
) {
    if hosts.is_empty() {
        return;
    }
    let servers: Vec<Certificate> = wallet
        .user_cert_indices()
        .into_iter()
        .filter_map(|i| match &wallet.entries[i].item {
            Item::Certificate(der) => Certificate::from_der(der).ok(),
            _ => None,
        })
        .filter(is_server_certificate)
        .collect();
    if servers.is_empty() {
        findings.push(Finding::note(
            "sans-unchecked",
            Some(tnsnames),
            "the wallet holds no server certificate (user certificate with serverAuth), so \
             the TCPS hosts were not compared with one; `orakit probe HOST:PORT` checks a live server"
                .into(),
        ));
        return;
    }
    for TcpsHost { alias, host } in hosts {
        if servers
            .iter()
            .any(|c| sans(c).iter().any(|n| covers(n, host)))
        {
            continue;
        }
        let names: Vec<String> = servers
            .iter()
            .map(|c| {
                format!(
                    "\"{}\" has {}",
                    to_rfc2253(c.tbs_certificate().subject()),
                    describe(&sans(c))
                )
            })
            .collect();
        findings.push(Finding::problem(
            "san-host-mismatch",
            None,
            Some(tnsnames),
            format!(
                "alias {alias} connects over TCPS to {host}, which no server certificate names \
                 ({}); clients that match host names (thin drivers, SSL_SERVER_DN_MATCH without a \
                 DN, DMS verify-full) refuse it. Reissue the certificate with --san {host}",
                names.join("; ")
            ),
        ));
    }
}

fn is_server_certificate(cert: &Certificate) -> bool {
    find_extension(cert, &EXT_KEY_USAGE)
        .and_then(|e| ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|eku| eku.0.contains(&SERVER_AUTH))
}

fn sans(cert: &Certificate) -> Vec<GeneralName> {
    find_extension(cert, &SUBJECT_ALT_NAME)
        .and_then(|e| SubjectAltName::from_der(e.extn_value.as_bytes()).ok())
        .map(|s| s.0)
        .unwrap_or_default()
}

fn covers(name: &GeneralName, host: &str) -> bool {
    match name {
        GeneralName::DnsName(dns) => dns_matches(dns.as_str(), host),
        GeneralName::IpAddress(ip) => {
            let bytes = ip.as_bytes();
            match host.parse::<IpAddr>() {
                Ok(IpAddr::V4(v4)) => bytes == v4.octets(),
                Ok(IpAddr::V6(v6)) => bytes == v6.octets(),
                Err(_) => false,
            }
        }
        _ => false,
    }
}

/// Case-insensitive; `*.example.com` covers exactly one label.
fn dns_matches(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

fn describe(names: &[GeneralName]) -> String {
    let shown: Vec<String> = names
        .iter()
        .filter_map(|n| match n {
            GeneralName::DnsName(d) => Some(format!("DNS:{}", d.as_str())),
            GeneralName::IpAddress(ip) => match ip.as_bytes().len() {
                4 => <[u8; 4]>::try_from(ip.as_bytes())
                    .ok()
                    .map(|b| format!("IP:{}", IpAddr::from(b))),
                16 => <[u8; 16]>::try_from(ip.as_bytes())
                    .ok()
                    .map(|b| format!("IP:{}", IpAddr::from(b))),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if shown.is_empty() {
        "no DNS or IP SAN".into()
    } else {
        format!("SANs {}", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::dns_matches;

    #[test]
    fn wildcards_cover_one_label_only() {
        assert!(dns_matches("*.example.com", "db.example.com"));
        assert!(dns_matches("DB.Example.com", "db.example.COM"));
        assert!(!dns_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_matches("*.example.com", "example.com"));
        assert!(!dns_matches("db1.example.com", "db2.example.com"));
    }
}
