//! The issuer-name hashes CRL directories are named by.
//!
//! Two conventions exist and they differ:
//! - orapki `crl hash` (19c and 23ai): the first four bytes of MD5 over the issuer name's
//!   DER, read little-endian — OpenSSL's *old* hash (`openssl crl -hash_old`). orapki
//!   names the link or copy `<hash>.rN`, with a literal `N`. This is the name the Oracle
//!   Net `SSL_CRL_PATH` directory is documented to hold (made by orapki).
//! - OpenSSL 1.0+ (`openssl crl -hash`, `-CApath`, `c_rehash`): the first four bytes of
//!   SHA-1 over the canonical form of the name, little-endian, named `<hash>.r0`.

use der::asn1::{Any, SetOfVec};
use der::{Encode, Tag, Tagged};
use md5::{Digest as _, Md5};
use sha1::Sha1;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

use super::error::{Error, Result};

/// orapki's hash of `name` (`openssl crl -hash_old`), eight hex digits.
pub fn orapki_hash(name: &Name) -> Result<String> {
    let der = name
        .to_der()
        .map_err(|e| Error::internal("encoding the issuer name", e))?;
    Ok(le_hex(&Md5::digest(&der)))
}

/// The name orapki gives a CRL in a hash directory: `<hash>.rN`.
pub fn orapki_file_name(name: &Name) -> Result<String> {
    Ok(format!("{}.rN", orapki_hash(name)?))
}

/// OpenSSL's hash of `name` (`openssl crl -hash`), eight hex digits.
pub fn openssl_hash(name: &Name) -> Result<String> {
    Ok(le_hex(&Sha1::digest(canonical_encoding(name)?)))
}

/// The name OpenSSL looks up in a `-CApath` directory: `<hash>.r0`.
pub fn openssl_file_name(name: &Name) -> Result<String> {
    Ok(format!("{}.r0", openssl_hash(name)?))
}

fn le_hex(digest: &[u8]) -> String {
    let v = u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]]);
    format!("{v:08x}")
}

/// OpenSSL's `x509_name_canon`: each RDN as a DER SET of its attributes, string values
/// turned into lower-case UTF8String with outer white space removed and inner runs of
/// white space made one space; the SETs concatenated without the outer SEQUENCE.
fn canonical_encoding(name: &Name) -> Result<Vec<u8>> {
    let internal = |e: der::Error| Error::internal("hashing the issuer name", e);
    let mut out = Vec::new();
    for rdn in name.iter_rdn() {
        let mut set = SetOfVec::new();
        for ava in rdn.iter() {
            let value = match canonical_text(&ava.value) {
                Some(text) => Any::new(Tag::Utf8String, text.into_bytes()).map_err(internal)?,
                None => ava.value.clone(),
            };
            set.insert(AttributeTypeAndValue {
                oid: ava.oid,
                value,
            })
            .map_err(internal)?;
        }
        set.encode_to_vec(&mut out).map_err(internal)?;
    }
    Ok(out)
}

/// The canonical text of a string-typed value; `None` for other types (kept as they are).
fn canonical_text(value: &Any) -> Option<String> {
    let bytes = value.value();
    let text = match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::TeletexString => String::from_utf8_lossy(bytes).into_owned(),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
    let mut canon = String::with_capacity(text.len());
    for word in text.split(is_space).filter(|w| !w.is_empty()) {
        if !canon.is_empty() {
            canon.push(' ');
        }
        canon.push_str(&word.to_ascii_lowercase());
    }
    Some(canon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;

    /// `O=Acme, CN=Test Root` (PrintableStrings) as orapki `wallet add -self_signed` writes it;
    /// `openssl crl -hash_old` gives 3945e8cf and `openssl crl -hash` 4f6554f2 for it.
    const ISSUER: &[u8] = &[
        0x30, 0x23, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x04, b'A', b'c',
        b'm', b'e', 0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x09, b'T', b'e',
        b's', b't', b' ', b'R', b'o', b'o', b't',
    ];

    #[test]
    fn both_hashes_match_what_orapki_and_openssl_print() {
        let name = Name::from_der(ISSUER).unwrap();
        assert_eq!(orapki_hash(&name).unwrap(), "3945e8cf");
        assert_eq!(orapki_file_name(&name).unwrap(), "3945e8cf.rN");
        assert_eq!(openssl_hash(&name).unwrap(), "4f6554f2");
        assert_eq!(openssl_file_name(&name).unwrap(), "4f6554f2.r0");
    }

    #[test]
    fn canonical_text_folds_case_and_white_space() {
        let v = Any::new(Tag::PrintableString, b"  Test \t  Root ".to_vec()).unwrap();
        assert_eq!(canonical_text(&v).unwrap(), "test root");
    }
}
