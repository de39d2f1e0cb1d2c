//! Comparing the server certificate's subject with the DN a client expects
//! (`SSL_SERVER_CERT_DN`, `--server-dn`).
//!
//! Two rules, the strict one first: the same attributes in the same order (Oracle's C
//! client), and the same set of attributes in any order (what python-oracledb accepts, so
//! a DN written in OpenSSL's or LDAP's order still matches). Attribute types compare by
//! keyword, values ignoring ASCII case and the spaces around separators.

use serde::Serialize;
use x509_cert::name::Name;

use crate::pki::name::{parse_dn, to_rfc2253};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DnMatch {
    /// Same attributes, same order.
    Exact,
    /// Same attributes, different order.
    SameAttributes,
    Different,
}

/// Compares a certificate subject with a DN as a user writes it.
pub fn compare(subject: &Name, expected: &str) -> Result<DnMatch, crate::pki::Error> {
    let expected = parse_dn(expected)?;
    let have = attributes(&to_rfc2253(subject));
    let want = attributes(&to_rfc2253(&expected));
    if have == want {
        return Ok(DnMatch::Exact);
    }
    let (mut have, mut want) = (have, want);
    have.sort();
    want.sort();
    Ok(if have == want {
        DnMatch::SameAttributes
    } else {
        DnMatch::Different
    })
}

/// Splits an RFC 2253 string at unescaped `,` and `+`, normalised for comparison.
fn attributes(rfc2253: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in rfc2253.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == ',' || c == '+' {
            parts.push(normalise(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    parts.push(normalise(&current));
    parts
}

fn normalise(attribute: &str) -> String {
    match attribute.split_once('=') {
        Some((t, v)) => format!(
            "{}={}",
            t.trim().to_ascii_uppercase(),
            v.trim().to_ascii_lowercase()
        ),
        None => attribute.trim().to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> Name {
        parse_dn("CN=db.example.com,OU=DBA,O=Example Corp,C=US").unwrap()
    }

    #[test]
    fn same_order_is_exact_ignoring_case_and_spaces() {
        let m = compare(
            &subject(),
            "cn=DB.example.com, OU=DBA, O=Example Corp, C=US",
        )
        .unwrap();
        assert_eq!(m, DnMatch::Exact);
    }

    #[test]
    fn reversed_order_matches_as_a_set() {
        let m = compare(&subject(), "C=US,O=Example Corp,OU=DBA,CN=db.example.com").unwrap();
        assert_eq!(m, DnMatch::SameAttributes);
    }

    #[test]
    fn a_missing_or_changed_attribute_is_different() {
        for other in [
            "CN=db.example.com,O=Example Corp,C=US",
            "CN=db2.example.com,OU=DBA,O=Example Corp,C=US",
            "CN=db.example.com,OU=DBA,O=Example Corp,C=US,L=Paris",
        ] {
            assert_eq!(
                compare(&subject(), other).unwrap(),
                DnMatch::Different,
                "{other}"
            );
        }
    }

    #[test]
    fn an_escaped_comma_stays_inside_its_value() {
        let s = parse_dn("CN=db,O=Example\\, Inc.,C=US").unwrap();
        assert_eq!(
            compare(&s, "CN=db,O=Example\\, Inc.,C=US").unwrap(),
            DnMatch::Exact
        );
        assert_eq!(
            compare(&s, "CN=db,O=Example,C=US").unwrap(),
            DnMatch::Different
        );
    }
}
