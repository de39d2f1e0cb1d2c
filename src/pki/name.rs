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

use std::fmt::Write as _;

use der::asn1::{Any, Ia5StringRef, ObjectIdentifier, PrintableStringRef, Utf8StringRef};
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

use super::error::{Error, Result};

/// How an attribute's value is encoded and how long it may be (X.520 upper bounds).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Utf8,
    Printable,
    Ia5,
    Country,
}

struct AttributeType {
    keyword: &'static str,
    aliases: &'static [&'static str],
    oid: &'static str,
    syntax: Syntax,
    max_len: Option<usize>,
}

const ATTRIBUTES: &[AttributeType] = &[
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

const KNOWN_TYPES: &str = "CN, OU, O, L, ST, C, STREET, DC, UID, EMAILADDRESS, SERIALNUMBER, \
                           T, GN, SN, INITIALS, DNQUALIFIER, PSEUDONYM, POSTALCODE or a dotted OID";

/// Parses a DN written most-specific-first (`CN=host, O=Company, C=US`).
pub fn parse_dn(input: &str) -> Result<Name> {
    let invalid = |reason: String| Error::InvalidDn {
        dn: input.to_owned(),
        reason,
    };
    let text = input.trim();
    if text.is_empty() {
        return Err(invalid(
            "it is empty; write it like CN=host, O=Company, C=US".into(),
        ));
    }
    if text.starts_with('/') {
        return Err(invalid(format!(
            "this is OpenSSL's -subj syntax; orakit takes the most specific part first, \
             separated by commas: {}",
            openssl_to_rfc4514(text)
        )));
    }
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let mut rdns_in_text_order = Vec::new();
    let mut avas = Vec::new();
    loop {
        let (oid_text, value) = parser.attribute().map_err(&invalid)?;
        avas.push(encode_ava(&oid_text, value).map_err(&invalid)?);
        let separator = parser.separator();
        if separator == Some('+') {
            continue;
        }
        let rdn = RelativeDistinguishedName::try_from(std::mem::take(&mut avas))
            .map_err(|_| invalid("a multi-valued RDN repeats the same attribute".into()))?;
        rdns_in_text_order.push(rdn);
        if separator.is_none() {
            break;
        }
    }
    // RFC 4514 §2.1: the text lists the RDNs in reverse of the DER order.
    rdns_in_text_order.reverse();
    let sequence = RdnSequence::from(rdns_in_text_order);
    let der = sequence
        .to_der()
        .map_err(|e| invalid(format!("it cannot be encoded ({e})")))?;
    Name::from_der(&der).map_err(|e| invalid(format!("it cannot be encoded ({e})")))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// A parsed value: text, or raw DER from the `#hex` form.
enum Value {
    Text(String),
    Der(Vec<u8>),
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
    }

    /// Consumes a `,` or `+` (with surrounding spaces) and returns it; `None` at the end.
    fn separator(&mut self) -> Option<char> {
        self.skip_spaces();
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn attribute(&mut self) -> std::result::Result<(String, Value), String> {
        self.skip_spaces();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '=' {
                break;
            }
            if c == ',' || c == '+' {
                let part: String = self.chars[start..self.pos].iter().collect();
                return Err(missing_equals(&part));
            }
            self.pos += 1;
        }
        let attr: String = self.chars[start..self.pos].iter().collect();
        let attr = attr.trim().to_owned();
        if self.at_end() {
            return Err(if attr.is_empty() {
                "it ends with a separator; remove the trailing comma".into()
            } else {
                missing_equals(&attr)
            });
        }
        if attr.is_empty() {
            return Err("an attribute type is missing before '='".into());
        }
        self.pos += 1; // '='
        self.skip_spaces();
        let oid = resolve_type(&attr)?;
        let value = match self.peek() {
            Some('#') => self.hex_value(&attr)?,
            Some('"') => self.quoted_value(&attr)?,
            _ => self.plain_value(&attr)?,
        };
        Ok((oid, value))
    }

    fn plain_value(&mut self, attr: &str) -> std::result::Result<Value, String> {
        let mut bytes = Vec::new();
        // Length of `bytes` up to the last escaped character: trailing spaces after it are
        // the user's padding, escaped ones are data.
        let mut keep = 0;
        while let Some(c) = self.peek() {
            match c {
                ',' | '+' => break,
                '\\' => {
                    self.pos += 1;
                    self.escape(attr, &mut bytes)?;
                    keep = bytes.len();
                }
                _ => {
                    let mut buf = [0u8; 4];
                    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    self.pos += 1;
                    if c != ' ' {
                        keep = bytes.len();
                    }
                }
            }
        }
        bytes.truncate(keep);
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("the value of {attr} has \\XX escapes that are not UTF-8"))?;
        if text.is_empty() {
            return Err(format!("{attr} has an empty value"));
        }
        Ok(Value::Text(text))
    }

    fn escape(&mut self, attr: &str, bytes: &mut Vec<u8>) -> std::result::Result<(), String> {
        let Some(c) = self.peek() else {
            return Err(format!(
                "the value of {attr} ends with a lone backslash; write \\\\ for a backslash"
            ));
        };
        if c.is_ascii_hexdigit() {
            let next = self.chars.get(self.pos + 1).copied();
            match next {
                Some(d) if d.is_ascii_hexdigit() => {
                    let pair: String = [c, d].iter().collect();
                    bytes.push(u8::from_str_radix(&pair, 16).expect("two hex digits"));
                    self.pos += 2;
                    return Ok(());
                }
                _ => {
                    return Err(format!(
                        "the value of {attr} has an incomplete \\XX hex escape at \\{c}"
                    ));
                }
            }
        }
        if matches!(
            c,
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=' | '#' | ' '
        ) {
            bytes.push(c as u8);
            self.pos += 1;
            Ok(())
        } else {
            Err(format!(
                "the value of {attr} has an unknown escape \\{c}; only , + \" \\ < > ; = # space \
                 and \\XX hex pairs can be escaped"
            ))
        }
    }

    fn quoted_value(&mut self, attr: &str) -> std::result::Result<Value, String> {
        self.pos += 1; // opening quote
        let mut bytes = Vec::new();
        loop {
            match self.peek() {
                None => return Err(format!("the quoted value of {attr} has no closing quote")),
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    self.escape(attr, &mut bytes)?;
                }
                Some(c) => {
                    let mut buf = [0u8; 4];
                    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    self.pos += 1;
                }
            }
        }
        self.skip_spaces();
        if !matches!(self.peek(), None | Some(',') | Some('+')) {
            return Err(format!(
                "unexpected text after the quoted value of {attr}; separate parts with commas"
            ));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("the value of {attr} has \\XX escapes that are not UTF-8"))?;
        if text.is_empty() {
            return Err(format!("{attr} has an empty value"));
        }
        Ok(Value::Text(text))
    }

    fn hex_value(&mut self, attr: &str) -> std::result::Result<Value, String> {
        self.pos += 1; // '#'
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_hexdigit()) {
            self.pos += 1;
        }
        let hex_text: String = self.chars[start..self.pos].iter().collect();
        self.skip_spaces();
        if !matches!(self.peek(), None | Some(',') | Some('+')) {
            return Err(format!(
                "the #hex value of {attr} has non-hex characters; escape a leading # as \\#"
            ));
        }
        let der = hex::decode(&hex_text)
            .map_err(|_| format!("the #hex value of {attr} is not whole hex pairs"))?;
        Ok(Value::Der(der))
    }
}

fn missing_equals(part: &str) -> String {
    format!("{part:?} has no '='; each part must be TYPE=value, like CN=host")
}

fn resolve_type(attr: &str) -> std::result::Result<String, String> {
    let upper = attr.to_ascii_uppercase();
    if let Some(t) = ATTRIBUTES
        .iter()
        .find(|t| t.keyword == upper || t.aliases.contains(&upper.as_str()))
    {
        return Ok(t.oid.to_owned());
    }
    let dotted = upper.strip_prefix("OID.").unwrap_or(&upper);
    if dotted.starts_with(|c: char| c.is_ascii_digit()) && ObjectIdentifier::new(dotted).is_ok() {
        return Ok(dotted.to_owned());
    }
    Err(format!(
        "unknown attribute type {attr:?}; use one of {KNOWN_TYPES}"
    ))
}

fn encode_ava(oid_text: &str, value: Value) -> std::result::Result<AttributeTypeAndValue, String> {
    let oid = ObjectIdentifier::new(oid_text).map_err(|_| format!("bad OID {oid_text}"))?;
    let known = ATTRIBUTES.iter().find(|t| t.oid == oid_text);
    let label = known.map(|t| t.keyword).unwrap_or(oid_text);
    let any = match value {
        Value::Der(der) => Any::from_der(&der)
            .map_err(|_| format!("the #hex value of {label} is not one DER value"))?,
        Value::Text(text) => {
            let syntax = known.map(|t| t.syntax).unwrap_or(Syntax::Utf8);
            if let Some(max) = known.and_then(|t| t.max_len) {
                let len = text.chars().count();
                if len > max && syntax != Syntax::Country {
                    return Err(format!(
                        "{label} is {len} characters long; X.509 allows at most {max}{}",
                        if label == "CN" {
                            " (put long host names in --san)"
                        } else {
                            ""
                        }
                    ));
                }
            }
            encode_text(label, syntax, &text)?
        }
    };
    Ok(AttributeTypeAndValue { oid, value: any })
}

fn encode_text(label: &str, syntax: Syntax, text: &str) -> std::result::Result<Any, String> {
    let encoded = match syntax {
        Syntax::Country => {
            if text.len() != 2 || !text.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(format!(
                    "C={text} is not a two-letter ISO 3166 country code like US or DE"
                ));
            }
            PrintableStringRef::new(text).and_then(|s| Any::encode_from(&s))
        }
        Syntax::Printable => {
            let s = PrintableStringRef::new(text).map_err(|_| {
                format!("{label} may only hold letters, digits, spaces and ' ( ) + , - . / : = ?")
            })?;
            Any::encode_from(&s)
        }
        Syntax::Ia5 => {
            let s = Ia5StringRef::new(text)
                .map_err(|_| format!("{label} may only hold ASCII characters"))?;
            Any::encode_from(&s)
        }
        Syntax::Utf8 => Utf8StringRef::new(text).and_then(|s| Any::encode_from(&s)),
    };
    encoded.map_err(|e| format!("the value of {label} cannot be encoded ({e})"))
}

/// Rewrites `/C=US/O=X/CN=y` as `CN=y, O=X, C=US` for the error message.
fn openssl_to_rfc4514(text: &str) -> String {
    let parts: Vec<&str> = text.split('/').filter(|p| !p.is_empty()).collect();
    parts
        .iter()
        .rev()
        .map(|p| p.replace(',', "\\,"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prints a name as RFC 2253, the way `orapki wallet display` does:
/// `CN=host,OU=Unit,O=Company,C=US`.
pub fn to_rfc2253(name: &Name) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter_rdn().collect::<Vec<_>>().iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, ava) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            write_ava(&mut out, ava);
        }
    }
    out
}

fn write_ava(out: &mut String, ava: &AttributeTypeAndValue) {
    let oid_text = ava.oid.to_string();
    let known = ATTRIBUTES.iter().find(|t| t.oid == oid_text);
    let text = known.and_then(|_| value_text(&ava.value));
    match (known, text) {
        (Some(t), Some(text)) => {
            out.push_str(t.keyword);
            out.push('=');
            escape_into(out, &text);
        }
        _ => {
            // RFC 2253 §2.4: types without a keyword carry their value as #hex DER.
            out.push_str(&oid_text);
            out.push_str("=#");
            if let Ok(der) = ava.value.to_der() {
                out.push_str(&hex::encode(der));
            }
        }
    }
}

/// The text of a directory string value, whatever string type encodes it.
pub(crate) fn value_text(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::VisibleString => {
            String::from_utf8(bytes.to_vec()).ok()
        }
        Tag::NumericString => String::from_utf8(bytes.to_vec()).ok(),
        // T.61 in practice carries Latin-1.
        Tag::TeletexString => Some(bytes.iter().map(|&b| b as char).collect()),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

fn escape_into(out: &mut String, text: &str) {
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// The first common name, if the name has one that is text.
pub fn common_name(name: &Name) -> Option<String> {
    name.iter()
        .find(|ava| ava.oid.to_string() == "2.5.4.3")
        .and_then(|ava| value_text(&ava.value))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
