//! What `wallet display` shows: orapki's text layout, byte for byte (the JSON report is
//! [`super::report`]).

use super::certs;
use super::keys;
use super::model::{Item, Wallet};

mod order;

use order::{Listed, collation, orapki_order};

/// The orapki release whose `wallet display` layout to reproduce. Both print the same
/// summary; `-complete` differs (23ai adds aliases and validity dates, 19c prints one
/// SHA-1 line and `Key Length` without a colon).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    R19c,
    R23ai,
}

/// orapki's `-summary` (the default) or `-complete`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Summary,
    Complete,
}

/// `orapki wallet display -nologo` text of `release`, byte for byte: requested, user and
/// trusted certificates and secret-store aliases, in the order orapki lists them.
pub fn text(wallet: &Wallet, release: Release, detail: Detail) -> String {
    let listed = orapki_order(wallet);
    let complete = detail == Detail::Complete;
    let mut out = String::new();
    out.push_str("Requested Certificates: \n");
    for entry in &listed {
        let Listed::Identity {
            key: Some(_),
            cert: None,
            request: Some(r),
        } = entry.what
        else {
            continue;
        };
        let Item::CertificateRequest(der) = &wallet.entries[r].item else {
            continue;
        };
        subject_line(&mut out, &certs::request_subject(der));
        if complete {
            let bits = x509_cert::request::CertReq::try_from(der.as_slice())
                .ok()
                .and_then(|req| keys::describe_spki(&req.info.public_key).1)
                .unwrap_or(0);
            out.push_str(&format!("Key Length:     {bits}\n\n"));
        }
    }
    out.push_str("User Certificates:\n");
    for entry in &listed {
        if let Listed::Identity { cert: Some(c), .. } = entry.what {
            certificate(&mut out, wallet, c, &entry.alias, release, complete, false);
        }
    }
    let mut aliases: Vec<&str> = wallet
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Secret { alias, .. } => Some(alias.as_str()),
            _ => None,
        })
        .collect();
    if !aliases.is_empty() {
        aliases.sort_by(|a, b| collation::compare(a, b));
        aliases.dedup();
        out.push_str("Oracle Secret Store entries: \n");
        for alias in aliases {
            out.push_str(alias);
            out.push('\n');
        }
    }
    out.push_str("Trusted Certificates: \n");
    for entry in &listed {
        if let Listed::Trusted(c) = entry.what {
            certificate(&mut out, wallet, c, &entry.alias, release, complete, true);
        }
    }
    out
}

fn subject_line(out: &mut String, dn: &str) {
    out.push_str("Subject:        ");
    out.push_str(dn);
    out.push('\n');
}

/// One user or trusted certificate: its subject, and with `-complete` what each release
/// prints after it.
fn certificate(
    out: &mut String,
    wallet: &Wallet,
    index: usize,
    alias: &str,
    release: Release,
    complete: bool,
    trusted: bool,
) {
    let Item::Certificate(der) = &wallet.entries[index].item else {
        return;
    };
    if complete && release == Release::R23ai {
        out.push_str(&format!("Alias:          {alias}\n"));
    }
    subject_line(out, &certs::subject_of(der));
    // orapki prints a trusted certificate's flags (never a user certificate's): 19c and
    // every summary right after the subject, 23ai's -complete after the details' blank line.
    let flags = if trusted {
        trust_flags_line(wallet, index)
    } else {
        String::new()
    };
    let flags_after_details = complete && release == Release::R23ai;
    if !flags_after_details {
        out.push_str(&flags);
    }
    if !complete {
        return;
    }
    let Some(info) = orapki_details(der) else {
        out.push_str(if flags_after_details { &flags } else { "" });
        return;
    };
    match release {
        Release::R23ai => {
            out.push_str(&format!("Issuer:         {}\n", info.issuer));
            out.push_str(&format!("Not Before:     {}\n", info.not_before));
            out.push_str(&format!("Not After:      {}\n", info.not_after));
            out.push_str(&format!("Serial Number:  {}\n", info.serial));
            out.push_str(&format!("Key Length:     {}\n", info.key_length));
            out.push_str(&format!("MD5 digest:     {}\n", info.md5));
            out.push_str(&format!("SHA-256 digest: {}\n", info.sha256));
            out.push_str(&format!("SHA-1 digest:   {}\n", info.sha1));
        }
        Release::R19c => {
            out.push_str(&format!("Issuer:         {}\n", info.issuer));
            out.push_str(&format!("Serial Number:  {}\n", info.serial));
            out.push_str(&format!("Key Length      {}\n", info.key_length));
            out.push_str(&format!("MD5 digest:     {}\n", info.md5));
            out.push_str(&format!("SHA digest:     {}\n", info.sha1));
        }
    }
    out.push('\n');
    if flags_after_details {
        out.push_str(&flags);
    }
}

/// `Trust Flags:    SERVER_AUTH,CLIENT_AUTH` for a trusted certificate whose localKeyId
/// carries flags; empty without flags (orapki looks the flags up for certificate entries
/// only, never for a user certificate, and skips an empty value).
fn trust_flags_line(wallet: &Wallet, index: usize) -> String {
    let flags = wallet.entries[index].trust_flags();
    if flags.is_empty() {
        return String::new();
    }
    format!("Trust Flags:    {}\n", flags.orapki_text())
}

/// A certificate's fields in orapki's `-complete` spelling.
struct OrapkiDetails {
    issuer: String,
    not_before: String,
    not_after: String,
    serial: String,
    key_length: u32,
    md5: String,
    sha256: String,
    sha1: String,
}

fn orapki_details(der_bytes: &[u8]) -> Option<OrapkiDetails> {
    use der::Decode;
    use sha2::Digest as _;
    let cert = x509_cert::Certificate::from_der(der_bytes).ok()?;
    let tbs = cert.tbs_certificate();
    let validity = tbs.validity();
    Some(OrapkiDetails {
        issuer: crate::pki::name::to_rfc2253(tbs.issuer()),
        not_before: java_date(&validity.not_before),
        not_after: java_date(&validity.not_after),
        serial: colon_hex(tbs.serial_number().as_bytes()),
        key_length: keys::describe_spki(tbs.subject_public_key_info())
            .1
            .unwrap_or(0),
        md5: colon_hex(&<md5::Md5 as md5::Digest>::digest(der_bytes)),
        sha256: colon_hex(&sha2::Sha256::digest(der_bytes)),
        sha1: colon_hex(&sha1::Sha1::digest(der_bytes)),
    })
}

/// Upper-case hex pairs joined by colons: `08:3B:E0`.
fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Java's `Date.toString()` in UTC, which orapki prints: `Thu Dec 26 02:26:19 UTC 2019`.
/// (orapki 23ai sets its time zone to UTC; 19c uses the JVM's, UTC on servers set so.)
fn java_date(time: &x509_cert::time::Time) -> String {
    let secs = time.to_unix_duration().as_secs() as i64;
    let format = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
    );
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| time.to_string())
}

/// What an alias orapki displays stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasTarget {
    /// A key (or a request without one) with its user certificate and request.
    Identity {
        key: Option<usize>,
        cert: Option<usize>,
        request: Option<usize>,
    },
    Trusted(usize),
}

/// Every alias orapki lists for `wallet` (`display -complete`), with what it stands for.
pub fn aliases(wallet: &Wallet) -> Vec<(String, AliasTarget)> {
    order::orapki_order(wallet)
        .into_iter()
        .map(|e| {
            let target = match e.what {
                Listed::Identity { key, cert, request } => {
                    AliasTarget::Identity { key, cert, request }
                }
                Listed::Trusted(c) => AliasTarget::Trusted(c),
            };
            (e.alias, target)
        })
        .collect()
}

/// Requests whose key has no user certificate yet (orapki lists only those).
pub fn pending_requests(wallet: &Wallet) -> Vec<usize> {
    wallet
        .indices_where(|item| matches!(item, Item::CertificateRequest(_)))
        .into_iter()
        .filter(|&i| {
            let Some(spki) = (match &wallet.entries[i].item {
                Item::CertificateRequest(d) => super::model::request_spki(d),
                _ => None,
            }) else {
                return true;
            };
            !wallet
                .user_cert_indices()
                .iter()
                .any(|&u| match &wallet.entries[u].item {
                    Item::Certificate(der) => cert_spki(der).as_deref() == Some(&spki[..]),
                    _ => false,
                })
        })
        .collect()
}

fn cert_spki(der_bytes: &[u8]) -> Option<Vec<u8>> {
    use der::{Decode, Encode};
    x509_cert::Certificate::from_der(der_bytes)
        .ok()?
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .ok()
}

// The JSON report (`wallet display --json`) lives in its own file.
pub use super::report::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hex_are_orapkis() {
        use der::Decode;
        // UTCTime 191226022619Z, as in raghuthota-adb-2019's user certificate.
        let t = x509_cert::time::Time::from_der(
            &hex::decode("170d3139313232363032323631395a").unwrap(),
        )
        .unwrap();
        assert_eq!(java_date(&t), "Thu Dec 26 02:26:19 UTC 2019");
        assert_eq!(colon_hex(&[0x08, 0x3b, 0x00]), "08:3B:00");
        assert_eq!(colon_hex(&[0]), "00");
    }
}
