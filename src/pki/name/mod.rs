//! Distinguished names: parsing what Oracle users type, printing what orapki prints.
//!
//! Input syntax (RFC 4514 with the leniency of RFC 2253 readers): most specific first,
//! `CN=host, OU=Sample Department, O=Sample Company, L=NYC, ST=NY, C=US`.
//! - RDNs are separated by `,`; spaces around `,`, `+` and `=` are ignored.
//! - `+` joins attributes into one multi-valued RDN: `CN=a+UID=b`.
//! - Repeated attributes (`OU=A, OU=B`, `DC=example, DC=com`) are kept, in order.
//! - Escapes: `\,` `\+` `\"` `\\` `\<` `\>` `\;` `\=` `\#` `\ ` and `\XX` hex bytes (UTF-8).
//!   A value may also be double-quoted (`O="Acme, Inc."`) or `#`-hex DER.
//! - Types: CN, OU, O, L, ST (S), C, STREET, DC, UID, EMAILADDRESS (E, EMAIL),
//!   SERIALNUMBER, T (TITLE), GN (GIVENNAME), SN (SURNAME), INITIALS, GENERATIONQUALIFIER,
//!   DNQUALIFIER, PSEUDONYM, POSTALCODE, or a dotted OID.
//!
//! The DER order is the reverse of the text (RFC 4514 §2.1): `C=US` becomes the first RDN.
//! Values are encoded as OpenSSL does by default: `C`, `SERIALNUMBER` and `DNQUALIFIER` as
//! PrintableString, `DC` and `EMAILADDRESS` as IA5String, everything else as UTF8String.
//!
//! [`to_rfc2253`] prints a name the way `orapki wallet display` does: most specific first,
//! comma separated with no spaces, special characters backslash-escaped.

mod parse;
mod print;

pub use parse::parse_dn;
pub use print::{common_name, to_rfc2253};

/// How an attribute's value is encoded and how long it may be (X.520 upper bounds).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    Utf8,
    Printable,
    Ia5,
    Country,
}

pub(super) struct AttributeType {
    pub keyword: &'static str,
    pub aliases: &'static [&'static str],
    pub oid: &'static str,
    pub syntax: Syntax,
    pub max_len: Option<usize>,
}

pub(super) const ATTRIBUTES: &[AttributeType] = &[
    at("CN", &["COMMONNAME"], "2.5.4.3", Syntax::Utf8, Some(64)),
    at(
        "OU",
        &["ORGANIZATIONALUNITNAME"],
        "2.5.4.11",
        Syntax::Utf8,
        Some(64),
    ),
    at(
        "O",
        &["ORGANIZATIONNAME"],
        "2.5.4.10",
        Syntax::Utf8,
        Some(64),
    ),
    at("L", &["LOCALITYNAME"], "2.5.4.7", Syntax::Utf8, Some(128)),
    at(
        "ST",
        &["S", "STATEORPROVINCENAME"],
        "2.5.4.8",
        Syntax::Utf8,
        Some(128),
    ),
    at("C", &["COUNTRYNAME"], "2.5.4.6", Syntax::Country, Some(2)),
    at(
        "STREET",
        &["STREETADDRESS"],
        "2.5.4.9",
        Syntax::Utf8,
        Some(128),
    ),
    at(
        "DC",
        &["DOMAINCOMPONENT"],
        "0.9.2342.19200300.100.1.25",
        Syntax::Ia5,
        Some(63),
    ),
    at(
        "UID",
        &["USERID"],
        "0.9.2342.19200300.100.1.1",
        Syntax::Utf8,
        Some(256),
    ),
    at(
        "EMAILADDRESS",
        &["E", "EMAIL"],
        "1.2.840.113549.1.9.1",
        Syntax::Ia5,
        Some(255),
    ),
    at("SERIALNUMBER", &[], "2.5.4.5", Syntax::Printable, Some(64)),
    at("T", &["TITLE"], "2.5.4.12", Syntax::Utf8, Some(64)),
    at("GN", &["GIVENNAME"], "2.5.4.42", Syntax::Utf8, Some(32768)),
    at("SN", &["SURNAME"], "2.5.4.4", Syntax::Utf8, Some(32768)),
    at("INITIALS", &[], "2.5.4.43", Syntax::Utf8, Some(32768)),
    at(
        "GENERATIONQUALIFIER",
        &[],
        "2.5.4.44",
        Syntax::Utf8,
        Some(32768),
    ),
    at("DNQUALIFIER", &[], "2.5.4.46", Syntax::Printable, None),
    at("PSEUDONYM", &[], "2.5.4.65", Syntax::Utf8, Some(128)),
    at("POSTALCODE", &[], "2.5.4.17", Syntax::Utf8, Some(40)),
];

const fn at(
    keyword: &'static str,
    aliases: &'static [&'static str],
    oid: &'static str,
    syntax: Syntax,
    max_len: Option<usize>,
) -> AttributeType {
    AttributeType {
        keyword,
        aliases,
        oid,
        syntax,
        max_len,
    }
}

pub(super) const KNOWN_TYPES: &str = "CN, OU, O, L, ST, C, STREET, DC, UID, EMAILADDRESS, SERIALNUMBER, \
                           T, GN, SN, INITIALS, DNQUALIFIER, PSEUDONYM, POSTALCODE or a dotted OID";

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::name::Name;

    fn der_order_types(name: &Name) -> Vec<String> {
        name.iter_rdn()
            .map(|rdn| {
                rdn.iter()
                    .map(|a| {
                        let oid = a.oid.to_string();
                        ATTRIBUTES
                            .iter()
                            .find(|t| t.oid == oid)
                            .map(|t| t.keyword.to_owned())
                            .unwrap_or(oid)
                    })
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect()
    }

    #[test]
    fn oracle_style_dn_is_stored_least_specific_first() {
        let name = parse_dn("CN=host, OU=Sample Department, O=Sample Company, L=NYC, ST=NY, C=US")
            .unwrap();
        assert_eq!(der_order_types(&name), ["C", "ST", "L", "O", "OU", "CN"]);
        assert_eq!(
            to_rfc2253(&name),
            "CN=host,OU=Sample Department,O=Sample Company,L=NYC,ST=NY,C=US"
        );
    }

    #[test]
    fn repeated_and_multi_valued_attributes_are_kept_in_order() {
        let name = parse_dn("CN=a+UID=b, OU=Unit A, OU=Unit B, DC=example, DC=com").unwrap();
        assert_eq!(to_rfc2253(&name).matches("OU=").count(), 2);
        let printed = to_rfc2253(&name);
        assert!(
            printed.ends_with("OU=Unit A,OU=Unit B,DC=example,DC=com"),
            "{printed}"
        );
        assert_eq!(name.iter_rdn().count(), 5);
        assert_eq!(name.iter_rdn().last().unwrap().len(), 2);
    }

    #[test]
    fn escapes_and_quotes_are_decoded_and_printed_back() {
        let name = parse_dn(r#"CN=db\, primary, O="Entrust, Inc.", OU=caf\C3\A9"#).unwrap();
        assert_eq!(
            to_rfc2253(&name),
            r"CN=db\, primary,O=Entrust\, Inc.,OU=café"
        );
    }

    #[test]
    fn invalid_names_get_a_reason() {
        for (dn, needle) in [
            ("", "empty"),
            ("CN=host, ", "trailing comma"),
            ("CN=host, O", "no '='"),
            ("XX=1", "unknown attribute type"),
            ("CN=", "empty value"),
            ("C=USA", "two-letter"),
            ("CN=a\\", "lone backslash"),
            ("CN=a\\q", "unknown escape"),
            ("/C=US/CN=host", "CN=host, C=US"),
            ("CN=\"open", "closing quote"),
        ] {
            let err = parse_dn(dn).unwrap_err().to_string();
            assert!(err.contains(needle), "{dn:?}: {err}");
        }
    }

    #[test]
    fn long_common_names_are_refused() {
        let long = format!("CN={}", "a".repeat(65));
        let err = parse_dn(&long).unwrap_err().to_string();
        assert!(err.contains("at most 64"), "{err}");
    }

    proptest::proptest! {
        /// Whatever characters a value holds, printing and parsing again gives the same name.
        #[test]
        fn printing_then_parsing_gives_the_same_name(
            cn in "[ -~]{1,40}",
            ou in "[ -~éü]{1,30}",
        ) {
            let cn = cn.trim();
            let ou = ou.trim();
            proptest::prop_assume!(!cn.is_empty() && !ou.is_empty());
            let escape = |v: &str| {
                let mut out = String::new();
                for c in v.chars() {
                    if ",+\"\\<>;=#".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            };
            let dn = format!("CN={}, OU={}, OU=second, C=US", escape(cn), escape(ou));
            let name = parse_dn(&dn).unwrap();
            let printed = to_rfc2253(&name);
            let again = parse_dn(&printed).unwrap();
            proptest::prop_assert_eq!(der::Encode::to_der(&name).unwrap(), der::Encode::to_der(&again).unwrap());
            proptest::prop_assert_eq!(common_name(&again).unwrap(), cn);
        }
    }
}
