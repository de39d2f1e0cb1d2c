//! Printing names exactly as `orapki wallet display` prints them (both releases).

use std::fmt::Write as _;

use der::asn1::Any;
use der::{Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

use super::ATTRIBUTES;

/// Prints a name the way `orapki wallet display` does: most specific RDN first, `,`
/// between RDNs and `+` inside one, orapki's keywords (dotted OIDs for the others),
/// orapki's escapes. `CN=host,OU=Unit,O=Company,C=US`.
pub fn to_rfc2253(name: &Name) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter_rdn().collect::<Vec<_>>().iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, ava) in rdn_attributes(rdn.iter()).iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            write_ava(&mut out, ava);
        }
    }
    out
}

/// The attributes of one RDN as orapki keeps them: in DER order, one per type (orapki
/// holds an RDN in a map keyed by type: a repeated type keeps its first place and its
/// last value).
fn rdn_attributes<'a>(
    avas: impl Iterator<Item = &'a AttributeTypeAndValue>,
) -> Vec<&'a AttributeTypeAndValue> {
    let mut kept: Vec<&AttributeTypeAndValue> = Vec::new();
    for ava in avas {
        match kept.iter_mut().find(|k| k.oid == ava.oid) {
            Some(slot) => *slot = ava,
            None => kept.push(ava),
        }
    }
    kept
}

fn write_ava(out: &mut String, ava: &AttributeTypeAndValue) {
    let oid_text = ava.oid.to_string();
    let keyword = ATTRIBUTES
        .iter()
        .find(|t| t.oid == oid_text)
        .and_then(|t| t.orapki);
    out.push_str(keyword.unwrap_or(&oid_text));
    out.push('=');
    match value_text(&ava.value) {
        Some(text) => escape_into(out, &text),
        None => {
            // A value that is not a string: `#` and the lower-case hex of its DER.
            out.push('#');
            if let Ok(der) = ava.value.to_der() {
                out.push_str(&hex::encode(der));
            }
        }
    }
}

/// The text of a directory string value, decoded as orapki decodes it: UTF8String as
/// UTF-8, BMPString as UTF-16, every other string type one byte per character (Latin-1).
fn value_text(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String => Some(String::from_utf8_lossy(bytes).into_owned()),
        Tag::PrintableString
        | Tag::TeletexString
        | Tag::VideotexString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString
        | Tag::GeneralString => Some(bytes.iter().map(|&b| b as char).collect()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    }
}

/// orapki's escapes: `\` before `, + = < > ; # \ "`; control characters, DEL and a
/// leading or trailing space as `\` and two lower-case hex digits; all else as it is.
fn escape_into(out: &mut String, text: &str) {
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        if (c as u32) < 0x20 || c == '\x7f' || (c == ' ' && (i == 0 || i == last)) {
            let _ = write!(out, "\\{:02x}", c as u32);
            continue;
        }
        if matches!(c, ',' | '+' | '=' | '<' | '>' | ';' | '#' | '\\' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The first common name, if the name has one that is text.
pub fn common_name(name: &Name) -> Option<String> {
    name.iter()
        .find(|ava| ava.oid.to_string() == "2.5.4.3")
        .and_then(|ava| value_text(&ava.value))
}

/// The name orapki gives an entry without a friendlyName: `CN=` and the most specific
/// common name, else `OU=` and the most specific unit (`OU=null` when neither exists).
pub fn orapki_alias(name: &Name) -> String {
    let last_text = |oid: &str| {
        name.iter_rdn()
            .flat_map(|rdn| rdn_attributes(rdn.iter()))
            .filter(|ava| ava.oid.to_string() == oid)
            .filter_map(|ava| value_text(&ava.value))
            .last()
    };
    match last_text("2.5.4.3") {
        Some(cn) => format!("CN={cn}"),
        None => format!("OU={}", last_text("2.5.4.11").as_deref().unwrap_or("null")),
    }
}
