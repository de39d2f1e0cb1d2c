//! Subject alternative names: the host names and addresses a certificate is valid for.
//!
//! `DNS:` and `IP:` prefixes are optional on input: a bare value that parses as an IPv4
//! or IPv6 address is an address, anything else must be a DNS name.

use std::fmt;
use std::net::IpAddr;

use der::asn1::Ia5String;
use serde::Serialize;
use x509_cert::ext::pkix::name::GeneralName;

use super::error::{Error, Result};
use super::name;

/// One SAN entry orakit writes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", content = "value")]
pub enum SanEntry {
    #[serde(rename = "DNS")]
    Dns(String),
    #[serde(rename = "IP")]
    Ip(IpAddr),
}

impl SanEntry {
    /// Parses `DNS:db1.example.com`, `IP:10.0.0.5`, or a bare name or address.
    pub fn parse(input: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::InvalidSan {
            value: input.to_owned(),
            reason: reason.to_owned(),
        };
        let text = input.trim();
        let (kind, value) = match text.split_once(':') {
            Some((k, v)) if k.eq_ignore_ascii_case("DNS") => (Some("DNS"), v.trim()),
            Some((k, v)) if k.eq_ignore_ascii_case("IP") => (Some("IP"), v.trim()),
            _ => (None, text),
        };
        match kind {
            Some("IP") => value
                .parse::<IpAddr>()
                .map(Self::Ip)
                .map_err(|_| invalid("it is not an IPv4 or IPv6 address")),
            Some(_) => check_dns_name(value)
                .map(Self::Dns)
                .map_err(|r| invalid(&r)),
            None => match value.parse::<IpAddr>() {
                Ok(ip) => Ok(Self::Ip(ip)),
                Err(_) => check_dns_name(value)
                    .map(Self::Dns)
                    .map_err(|r| invalid(&r)),
            },
        }
    }

    /// The X.509 `GeneralName`.
    pub fn to_general_name(&self) -> Result<GeneralName> {
        match self {
            Self::Dns(name) => Ia5String::new(name)
                .map(GeneralName::DnsName)
                .map_err(|e| Error::internal("encoding a DNS name", e)),
            Self::Ip(ip) => Ok(GeneralName::from(*ip)),
        }
    }
}

impl fmt::Display for SanEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(n) => write!(f, "DNS:{n}"),
            Self::Ip(ip) => write!(f, "IP:{ip}"),
        }
    }
}

/// Accepts LDH host names, a leading `*.` wildcard and underscores (common in internal
/// names). A trailing dot is removed.
fn check_dns_name(value: &str) -> std::result::Result<String, String> {
    let name = value.strip_suffix('.').unwrap_or(value);
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if !name.is_ascii() {
        return Err(
            "DNS names must be ASCII; write internationalized names in punycode (xn--...)".into(),
        );
    }
    if name.len() > 253 {
        return Err("a DNS name is at most 253 characters".into());
    }
    let body = name.strip_prefix("*.").unwrap_or(name);
    for label in body.split('.') {
        if label.is_empty() {
            return Err("it has an empty label (two dots in a row)".into());
        }
        if label.len() > 63 {
            return Err("a DNS label is at most 63 characters".into());
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a DNS label cannot start or end with '-'".into());
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(format!(
                "{c:?} is not allowed in a DNS name, which holds letters, digits, '-', '_' and '.'"
            ));
        }
    }
    Ok(name.to_owned())
}

/// How a `GeneralName` reads in messages and `cert show`: `DNS:x`, `IP:x`, `email:x`, ...
pub fn describe_general_name(name: &GeneralName) -> String {
    match name {
        GeneralName::DnsName(n) => format!("DNS:{}", n.as_str()),
        GeneralName::IpAddress(octets) => {
            let b = octets.as_bytes();
            match b.len() {
                4 => format!("IP:{}", std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3])),
                16 => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(b);
                    format!("IP:{}", std::net::Ipv6Addr::from(a))
                }
                _ => format!("IP:<{} bytes>", b.len()),
            }
        }
        GeneralName::Rfc822Name(n) => format!("email:{}", n.as_str()),
        GeneralName::UniformResourceIdentifier(n) => format!("URI:{}", n.as_str()),
        GeneralName::DirectoryName(dn) => format!("DirName:{}", name::to_rfc2253(dn)),
        GeneralName::RegisteredId(oid) => format!("RID:{oid}"),
        GeneralName::OtherName(other) => format!("othername:{}", other.type_id),
        GeneralName::EdiPartyName(_) => "EdiPartyName".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_values_are_addresses_when_they_parse_as_one() {
        assert_eq!(
            SanEntry::parse("10.0.0.5").unwrap(),
            SanEntry::Ip("10.0.0.5".parse().unwrap())
        );
        assert_eq!(
            SanEntry::parse("::1").unwrap(),
            SanEntry::Ip("::1".parse().unwrap())
        );
        assert_eq!(
            SanEntry::parse("db1.example.com").unwrap(),
            SanEntry::Dns("db1.example.com".into())
        );
        assert_eq!(
            SanEntry::parse("DNS:*.example.com").unwrap(),
            SanEntry::Dns("*.example.com".into())
        );
        assert_eq!(
            SanEntry::parse("ip:fe80::1").unwrap(),
            SanEntry::Ip("fe80::1".parse().unwrap())
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            "IP:db1",
            "DNS:a..b",
            "DNS:-a.com",
            "host name",
            "DNS:",
            "bücher.de",
        ] {
            assert!(SanEntry::parse(bad).is_err(), "{bad}");
        }
    }
}
