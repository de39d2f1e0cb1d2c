//! A CRL as orapki 23ai `crl display` prints it, and the JSON report of `orakit crl display`.
//!
//! orapki's text (observed, 23ai; 19c prints `Date:` where 23ai prints `Last Date:`):
//! ```text
//! Issuer:         CN=Test Root,O=Acme
//! Last Date:      Wed Dec 02 02:10:22 UTC 2026
//! Next Update:    Wed Dec 09 02:10:22 UTC 2026
//! ```
//! and with `-complete` a blank line, `CRL Extensions:` when there are any, then
//! `Revoked Certificates:` with each serial as its DER bytes in hex joined by `:` (`1:23`,
//! `0:80`) and its revocation date, or `There are no Revoked Certificates.`.

use std::time::SystemTime;

use der::Decode;
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

use super::crl::Crl;
use super::crl_hash;
use super::name::to_rfc2253;
use super::oid;

const CRL_NUMBER: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("2.5.29.20");

/// A date as Java's `Date.toString()` writes it in the UTC zone.
pub fn java_date(t: SystemTime) -> String {
    let format = format_description!(
        "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
    );
    OffsetDateTime::from(t)
        .format(&format)
        .unwrap_or_else(|_| "?".into())
}

/// A serial number as orapki prints it: each byte of its DER value in hex, `:` between.
pub fn orapki_serial(der_bytes: &[u8]) -> String {
    der_bytes
        .iter()
        .map(|b| format!("{b:x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// orapki's `crl display` text; `complete` adds the extensions and revoked entries.
pub fn display_text(crl: &Crl, complete: bool) -> String {
    let mut out = format!(
        "Issuer:         {}\nLast Date:      {}\n",
        to_rfc2253(crl.issuer()),
        java_date(crl.this_update())
    );
    if let Some(next) = crl.next_update() {
        out.push_str(&format!("Next Update:    {}\n", java_date(next)));
    }
    if !complete {
        return out;
    }
    out.push('\n');
    if let Some(exts) = &crl.asn1.tbs.crl_extensions
        && !exts.is_empty()
    {
        out.push_str("CRL Extensions:\n");
        for ext in exts {
            out.push_str(&format!("    {}\n", extension_text(ext)));
        }
        out.push('\n');
    }
    if crl.revoked().is_empty() {
        out.push_str("There are no Revoked Certificates.\n");
        return out;
    }
    out.push_str("Revoked Certificates:\n");
    for entry in crl.revoked() {
        out.push_str(&format!(
            "  Serial Number: {}\n    Revocation Date: {}\n",
            orapki_serial(entry.serial_number.as_bytes()),
            java_date(entry.revocation_date.to_system_time())
        ));
    }
    out
}

/// orapki prints Java's `toString()` of each extension; the CRL number's is known
/// (`CRLNumberExtension {oid = 2.5.29.20, critical = false, value = 1}`), others are
/// written in the same shape with the OID's name.
fn extension_text(ext: &x509_cert::ext::Extension) -> String {
    if ext.extn_id == CRL_NUMBER
        && let Ok(n) = der::asn1::Uint::from_der(ext.extn_value.as_bytes())
    {
        return format!(
            "CRLNumberExtension {{oid = 2.5.29.20, critical = {}, value = {}}}",
            ext.critical,
            big_decimal(n.as_bytes())
        );
    }
    format!(
        "Extension {{oid = {}, critical = {}}}",
        ext.extn_id, ext.critical
    )
}

/// Unsigned big-endian bytes in decimal.
fn big_decimal(bytes: &[u8]) -> String {
    let mut digits = vec![0u8];
    for &b in bytes {
        let mut carry = u32::from(b);
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// The JSON report of `orakit crl display --json`.
#[derive(Debug, Serialize)]
pub struct CrlReport {
    pub issuer: String,
    pub version: u8,
    pub this_update: String,
    pub next_update: Option<String>,
    pub signature_algorithm: String,
    /// orapki's hash name (`crl hash`) and OpenSSL's (`openssl crl -hash`).
    pub orapki_hash: String,
    pub openssl_hash: String,
    pub revoked: Vec<RevokedReport>,
    pub extensions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct RevokedReport {
    /// Upper-case hex without separators, as `openssl x509 -serial` prints it.
    pub serial: String,
    pub revocation_date: String,
}

/// The date form of orakit's JSON (RFC 3339, UTC, whole seconds).
pub fn rfc3339(t: SystemTime) -> String {
    OffsetDateTime::from(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "?".into())
}

/// What `--json` prints about `crl`.
pub fn report(crl: &Crl) -> super::Result<CrlReport> {
    let tbs = &crl.asn1.tbs;
    Ok(CrlReport {
        issuer: to_rfc2253(crl.issuer()),
        version: tbs.version.map_or(1, |v| v as u8 + 1),
        this_update: rfc3339(crl.this_update()),
        next_update: crl.next_update().map(rfc3339),
        signature_algorithm: oid::name(&crl.asn1.signature_algorithm.oid),
        orapki_hash: crl_hash::orapki_hash(crl.issuer())?,
        openssl_hash: crl_hash::openssl_hash(crl.issuer())?,
        revoked: crl
            .revoked()
            .iter()
            .map(|r| RevokedReport {
                serial: openssl_serial(r.serial_number.as_bytes()),
                revocation_date: rfc3339(r.revocation_date.to_system_time()),
            })
            .collect(),
        extensions: tbs
            .crl_extensions
            .iter()
            .flatten()
            .map(extension_text)
            .collect(),
    })
}

/// `openssl x509 -serial` style: upper-case hex, leading zero bytes dropped (at least "00").
pub fn openssl_serial(der_bytes: &[u8]) -> String {
    let trimmed: Vec<u8> = der_bytes.iter().copied().skip_while(|&b| b == 0).collect();
    if trimmed.is_empty() {
        return "00".into();
    }
    hex::encode_upper(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_and_dates_as_orapki_prints_them() {
        assert_eq!(orapki_serial(&[0x01, 0x23]), "1:23");
        assert_eq!(orapki_serial(&[0x00, 0x80]), "0:80");
        assert_eq!(orapki_serial(&[0x00]), "0");
        assert_eq!(
            orapki_serial(&[0x17, 0x48, 0x76, 0xe7, 0xff]),
            "17:48:76:e7:ff"
        );
        assert_eq!(openssl_serial(&[0x00, 0x80]), "80");
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_796_177_422);
        assert_eq!(java_date(t), "Wed Dec 02 02:10:22 UTC 2026");
        assert_eq!(big_decimal(&[0x01, 0x00]), "256");
        assert_eq!(big_decimal(&[0x00]), "0");
    }
}
