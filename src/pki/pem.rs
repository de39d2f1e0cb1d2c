//! Reading PEM text and telling PEM from DER.
//!
//! A tolerant reader on purpose: files people hand to orakit often carry text around the
//! blocks (`openssl x509 -text` output, "Bag Attributes" lines from `openssl pkcs12`),
//! several blocks (bundles, `ewallet.pem`), CRLF line ends or long base64 lines. Each
//! block's label decides what it is; the base64 body is decoded strictly.

use base64ct::{Base64, Encoding};
use der::Decode;
use zeroize::Zeroizing;

use super::error::{Error, Result};

/// One `-----BEGIN LABEL-----` ... `-----END LABEL-----` block.
pub struct PemBlock {
    pub label: String,
    /// Whether the block had RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`):
    /// OpenSSL's legacy encrypted key format.
    pub has_headers: bool,
    /// The decoded body. Zeroized on drop since it may be a private key.
    pub der: Zeroizing<Vec<u8>>,
}

/// What the input bytes turned out to be.
pub enum Input<'a> {
    Pem(Vec<PemBlock>),
    Der(&'a [u8]),
}

/// Splits input into PEM blocks, or returns it as DER when it has no PEM armour.
pub fn classify(input: &[u8]) -> Result<Input<'_>> {
    let text = match std::str::from_utf8(input) {
        Ok(t) if t.contains("-----BEGIN ") => t,
        _ => {
            if input.is_empty() {
                return Err(Error::Unreadable("the file is empty".into()));
            }
            // DER always starts with a SEQUENCE tag for everything orakit reads.
            if input[0] == 0x30 {
                return Ok(Input::Der(input));
            }
            return Err(Error::Unreadable(
                "it is neither PEM (no -----BEGIN line) nor DER (it does not start with an ASN.1 SEQUENCE)"
                    .into(),
            ));
        }
    };
    parse_blocks(text).map(Input::Pem)
}

fn parse_blocks(text: &str) -> Result<Vec<PemBlock>> {
    let mut blocks = Vec::new();
    // A byte-order mark (Windows editors) is not part of the first line.
    let mut lines = text
        .lines()
        .map(|l| l.trim().trim_start_matches('\u{feff}'));
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        // Sized for the whole text up front: growing would free unwiped copies of a key.
        let mut body = Zeroizing::new(String::with_capacity(text.len()));
        let mut has_headers = false;
        let mut closed = false;
        for line in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            if line.starts_with("-----") {
                return Err(Error::Unreadable(format!(
                    "the PEM block {label} is not closed: found {line:?} before its END line"
                )));
            }
            if line.contains(':') {
                has_headers = true;
                continue;
            }
            body.push_str(line);
        }
        if !closed {
            return Err(Error::Unreadable(format!(
                "the PEM block {label} is truncated: its -----END {label}----- line is missing"
            )));
        }
        let der = Base64::decode_vec(&body).map_err(|_| {
            Error::Unreadable(format!(
                "the PEM block {label} is damaged: its body is not valid base64"
            ))
        })?;
        if der.is_empty() {
            return Err(Error::Unreadable(format!("the PEM block {label} is empty")));
        }
        blocks.push(PemBlock {
            label: label.to_owned(),
            has_headers,
            der: Zeroizing::new(der),
        });
    }
    if blocks.is_empty() {
        return Err(Error::Unreadable(
            "it has a -----BEGIN marker but no complete PEM block".into(),
        ));
    }
    Ok(blocks)
}

/// Encodes DER as PEM with LF line ends and 64-column lines.
pub fn encode(label: &str, der: &[u8]) -> Result<String> {
    der::pem::encode_string(label, der::pem::LineEnding::LF, der)
        .map_err(|e| Error::internal("encoding PEM", e))
}

/// What a PEM label means, for messages ("it holds a certificate, not ...").
pub fn describe_label(label: &str) -> String {
    match label {
        "CERTIFICATE" | "X509 CERTIFICATE" => "a certificate".into(),
        "TRUSTED CERTIFICATE" => "an OpenSSL 'TRUSTED CERTIFICATE'".into(),
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => "a certificate request (CSR)".into(),
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
            "a private key".into()
        }
        "PUBLIC KEY" | "RSA PUBLIC KEY" => "a public key".into(),
        "X509 CRL" => "a certificate revocation list".into(),
        "PKCS7" | "CMS" => "a PKCS#7 bundle".into(),
        other => format!("a PEM block labelled {other:?}"),
    }
}

/// Guesses what a DER blob is, for messages when it is not what was asked for.
pub fn describe_der(der: &[u8]) -> Option<&'static str> {
    if x509_cert::Certificate::from_der(der).is_ok() {
        Some("a certificate")
    } else if x509_cert::request::CertReq::from_der(der).is_ok() {
        Some("a certificate request (CSR)")
    } else if pkcs8::PrivateKeyInfoRef::from_der(der).is_ok()
        || pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).is_ok()
        || pkcs1::RsaPrivateKeyRef::from_der(der).is_ok()
        || sec1::EcPrivateKey::from_der(der).is_ok()
    {
        Some("a private key")
    } else {
        None
    }
}

/// The error for DER that does not decode as the expected kind.
pub fn der_error(expected: &'static str, der: &[u8], hint: &'static str, err: der::Error) -> Error {
    if let der::ErrorKind::TrailingData { decoded, remaining } = err.kind() {
        return Error::Unreadable(format!(
            "it is {expected} followed by {} after byte {decoded}: the file was damaged or \
             something was appended to it",
            crate::text::count(u32::from(remaining), "stray byte")
        ));
    }
    match describe_der(der) {
        Some(found) => Error::WrongKind {
            expected,
            found: found.into(),
            hint,
        },
        None => Error::Unreadable(format!(
            "it is not {expected}: the DER data is truncated or damaged ({err})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_among_text_crlf_and_a_bom() {
        let der = [0x30u8, 0x03, 0x02, 0x01, 0x05];
        let body = Base64::encode_string(&der);
        let text = format!(
            "\u{feff}Bag Attributes\r\n    friendlyName: x\r\n-----BEGIN CERTIFICATE-----\r\n{body}\r\n\
             -----END CERTIFICATE-----\r\nsome text\r\n-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n"
        );
        let Input::Pem(blocks) = classify(text.as_bytes()).unwrap() else {
            panic!("not PEM");
        };
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].der.as_slice(), der);
        assert_eq!(blocks[1].label, "PRIVATE KEY");
    }

    #[test]
    fn an_unclosed_block_is_reported() {
        let err = classify(b"-----BEGIN CERTIFICATE-----\nMAMCAQU=\n")
            .err()
            .unwrap();
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}
