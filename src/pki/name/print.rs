//! Printing names as RFC 2253, the way orapki does.

use std::fmt::Write as _;

use der::asn1::Any;
use der::{Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

use super::ATTRIBUTES;

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

/// The attribute types RFC 2253 §2.3 gives a keyword. Others print as a dotted OID, as
/// python-cryptography and Java's RFC 2253 form do, so a DN copied from `display` matches
/// what those readers show.
const RFC2253_KEYWORDS: &[&str] = &["CN", "L", "ST", "O", "OU", "C", "STREET", "DC", "UID"];

fn write_ava(out: &mut String, ava: &AttributeTypeAndValue) {
    let oid_text = ava.oid.to_string();
    let keyword = ATTRIBUTES
        .iter()
        .find(|t| t.oid == oid_text && RFC2253_KEYWORDS.contains(&t.keyword))
        .map(|t| t.keyword);
    out.push_str(keyword.unwrap_or(&oid_text));
    out.push('=');
    match value_text(&ava.value) {
        Some(text) => escape_into(out, &text),
        None => {
            // RFC 2253 §2.4: a value that is not a string is written as #hex of its DER.
            out.push('#');
            if let Ok(der) = ava.value.to_der() {
                out.push_str(&hex::encode(der));
            }
        }
    }
}

/// The text of a directory string value, whatever string type encodes it.
fn value_text(value: &Any) -> Option<String> {
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
