//! Parsing DNs written most specific first; see the module documentation.

use der::asn1::{Any, Ia5StringRef, ObjectIdentifier, PrintableStringRef, Utf8StringRef};
use der::{Decode, Encode};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

use super::{ATTRIBUTES, KNOWN_TYPES, Syntax};
use crate::pki::error::{Error, Result};

/// Parses a DN written most-specific-first (`CN=host, O=Company, C=US`).
pub fn parse_dn(input: &str) -> Result<Name> {
    let invalid = |reason: String| Error::InvalidDn {
        dn: input.to_owned(),
        reason,
    };
    let text = trim_unescaped(input);
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

    /// Consumes a `,`, `;` or `+` (with surrounding spaces) and returns it (`;` as `,`, the
    /// way orapki and RFC 2253 read it); `None` at the end.
    fn separator(&mut self) -> Option<char> {
        self.skip_spaces();
        let c = self.peek()?;
        self.pos += 1;
        Some(if c == ';' { ',' } else { c })
    }

    fn attribute(&mut self) -> std::result::Result<(String, Value), String> {
        self.skip_spaces();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '=' {
                break;
            }
            if c == ',' || c == '+' || c == ';' {
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
                ',' | '+' | ';' => break,
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
        if !matches!(self.peek(), None | Some(',') | Some('+') | Some(';')) {
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
        if !matches!(self.peek(), None | Some(',') | Some('+') | Some(';')) {
            return Err(format!(
                "the #hex value of {attr} has non-hex characters; escape a leading # as \\#"
            ));
        }
        let der = hex::decode(&hex_text)
            .map_err(|_| format!("the #hex value of {attr} is not whole hex pairs"))?;
        Ok(Value::Der(der))
    }
}

/// Trims surrounding spaces, but keeps a trailing `\ ` (an escaped space is data).
fn trim_unescaped(input: &str) -> &str {
    let start = input.trim_start();
    let trimmed = start.trim_end();
    let backslashes = trimmed.chars().rev().take_while(|&c| c == '\\').count();
    if backslashes % 2 == 1 && start[trimmed.len()..].starts_with(' ') {
        &start[..trimmed.len() + 1]
    } else {
        trimmed
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
            let syntax = known.map(|t| t.syntax).unwrap_or(Syntax::Directory);
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

/// The encodings `orapki wallet add -dn` writes (both releases; it prints the DN Java's
/// X500Principal read and parses that text again with its own parser, whose rule this
/// is, so a `\XX` escape changes nothing): PrintableString, or IA5String for EMAIL and
/// DC, when every character fits, else UTF8String.
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
        Syntax::Ia5 => match Ia5StringRef::new(text) {
            Ok(s) => Any::encode_from(&s),
            Err(_) => Utf8StringRef::new(text).and_then(|s| Any::encode_from(&s)),
        },
        Syntax::Directory => match PrintableStringRef::new(text) {
            Ok(s) => Any::encode_from(&s),
            Err(_) => Utf8StringRef::new(text).and_then(|s| Any::encode_from(&s)),
        },
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
