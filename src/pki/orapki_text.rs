//! How orapki `cert display` prints a certificate, byte for byte (orapki 23ai and 19c
//! print the same `-summary` and `-complete` text; `-complete -details` differs a little,
//! see [`complete_details`]).
//!
//! - `-summary` (the default): `Subject:`, `Issuer:` and `Valid Until:` lines.
//! - `-complete`: one line, the `toString()` of orapki's certificate class: the MD5
//!   fingerprint in lower-case hex, the dates as Java prints a `Date` (UTC), the names in
//!   RFC 2253 order, the serial in decimal, Java's signature algorithm name, an RSA key's
//!   modulus and exponent in decimal (nothing for an EC key) and each extension in
//!   orapki's words. Its brace layout is orapki's own: the key's brace is closed only when
//!   there are no extensions.
//!
//! Extensions orapki names (keyUsage, basicConstraints, subjectAltName, extendedKeyUsage,
//! authorityKeyIdentifier, subjectKeyIdentifier) are printed as orapki prints them; any
//! other extension as orapki prints an extension it has no class for (OID, critical,
//! value in hex). orapki has classes of its own for a few more (CRL distribution points,
//! authority information access, certificate policies, name constraints, policy
//! constraints, issuerAltName, Netscape cert type) whose text is not reproduced.

use der::Decode;
use der::asn1::ObjectIdentifier;
use md5::Digest as _;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};

use super::decimal::to_decimal;
use super::error::{Error, Result};
use super::name::to_rfc2253;
use super::oid;
use super::pem::{self, Input};

/// The certificates orapki `cert display -cert FILE` shows: a DER certificate, the first
/// PEM `CERTIFICATE` block, or every certificate of a DER PKCS#7 (orapki does not read a
/// `-----BEGIN PKCS7-----` file). Each as its DER bytes.
pub fn certificates_to_display(input: &[u8]) -> Result<Vec<Vec<u8>>> {
    let invalid = || Error::Unreadable("it holds no certificate orapki reads".into());
    match pem::classify(input).map_err(|_| invalid())? {
        Input::Der(der) => {
            if Certificate::from_der(der).is_ok() {
                return Ok(vec![der.to_vec()]);
            }
            // Validated by the typed reader; taken from the bytes, since decoding re-sorts
            // the SET OF certificates and orapki lists them in file order.
            super::pkcs7::certificates(der).map_err(|_| invalid())?;
            let certs = pkcs7_certificates_in_file_order(der).ok_or_else(invalid)?;
            if certs.is_empty() {
                return Err(invalid());
            }
            Ok(certs)
        }
        Input::Pem(blocks) => {
            let block = blocks
                .iter()
                .find(|b| b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE")
                .ok_or_else(invalid)?;
            Certificate::from_der(&block.der).map_err(|_| invalid())?;
            Ok(vec![block.der.to_vec()])
        }
    }
}

/// ContentInfo { contentType, [0] { SignedData { version, digestAlgorithms,
/// encapContentInfo, [0] IMPLICIT certificates, ... } } }: the certificates' bytes.
fn pkcs7_certificates_in_file_order(der: &[u8]) -> Option<Vec<Vec<u8>>> {
    use super::raw::constructed_elements;
    let info = constructed_elements(der).ok()?;
    let explicit = constructed_elements(info.get(1)?).ok()?;
    let signed = constructed_elements(explicit.first()?).ok()?;
    let Some(set) = signed.iter().skip(3).find(|e| e.first() == Some(&0xa0)) else {
        return Some(Vec::new());
    };
    let certs = constructed_elements(set).ok()?;
    Some(
        certs
            .iter()
            .filter(|c| c.first() == Some(&0x30))
            .map(|c| c.to_vec())
            .collect(),
    )
}

/// orapki's `-summary` lines of one certificate.
pub fn summary(cert: &Certificate) -> String {
    let tbs = cert.tbs_certificate();
    format!(
        "Subject:        {}\nIssuer:         {}\nValid Until:    {}\n",
        to_rfc2253(tbs.subject()),
        to_rfc2253(tbs.issuer()),
        java_date(&tbs.validity().not_after)
    )
}

/// orapki's `-complete` line of one certificate (with its newline).
pub fn complete(der_bytes: &[u8]) -> Result<String> {
    let cert = Certificate::from_der(der_bytes)
        .map_err(|e| Error::Unreadable(format!("not a certificate ({e})")))?;
    let tbs = cert.tbs_certificate();
    let mut s = String::new();
    s.push_str("{ fingerprint = ");
    s.push_str(&hex::encode(md5::Md5::digest(der_bytes)));
    s.push_str(&format!(
        ", notBefore = {}, notAfter = {}",
        java_date(&tbs.validity().not_before),
        java_date(&tbs.validity().not_after)
    ));
    s.push_str(&format!(
        ", holder = {}, issuer = {}",
        to_rfc2253(tbs.subject()),
        to_rfc2253(tbs.issuer())
    ));
    s.push_str(&format!(
        ", serialNo = {}",
        to_decimal(tbs.serial_number().as_bytes())
    ));
    s.push_str(&format!(
        ", sigAlgOID = {}",
        java_signature_name(&cert.signature_algorithm().oid)
    ));
    s.push_str(", key = ");
    let spki = tbs.subject_public_key_info();
    if spki.algorithm.oid == oid::RSA_ENCRYPTION
        && let Some(bits) = spki.subject_public_key.as_bytes()
        && let Ok(rsa) = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(bits)
    {
        s.push_str(&format!(
            "{{ modulus = {}, exponent = {}",
            to_decimal(rsa.modulus.as_bytes()),
            to_decimal(rsa.public_exponent.as_bytes())
        ));
    }
    if let Some(exts) = tbs.extensions().filter(|e| !e.is_empty()) {
        s.push_str(", extensions = {");
        let texts: Vec<String> = exts.iter().map(extension).collect();
        s.push_str(&texts.join(", "));
        s.push_str(" }");
    }
    s.push_str(" }\n");
    Ok(s)
}

/// The orapki release whose `-complete -details` layout to print (the only text of
/// `cert display` that differs between them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetailsLayout {
    R19c,
    R23ai,
}

/// orapki's `-complete -details` text of the certificates (the `Certificates:` banner
/// once, then each certificate under its own numbered heading).
pub fn complete_details(ders: &[Vec<u8>], layout: DetailsLayout) -> Result<String> {
    use sha2::Digest as _;
    let colon = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    let mut s = String::from("=============\nCertificates:\n=============\n");
    for (i, der_bytes) in ders.iter().enumerate() {
        let cert = Certificate::from_der(der_bytes)
            .map_err(|e| Error::Unreadable(format!("not a certificate ({e})")))?;
        let tbs = cert.tbs_certificate();
        let version = match tbs.version() {
            x509_cert::certificate::Version::V1 => 1,
            x509_cert::certificate::Version::V2 => 2,
            x509_cert::certificate::Version::V3 => 3,
        };
        let md5 = colon(&md5::Md5::digest(der_bytes));
        let heading = format!("Certificate [{}]", i + 1);
        let rule = "-".repeat(heading.len());
        // 23ai numbers only the first certificate of a PKCS#7 (its heading is printed
        // once, before the loop); 19c numbers each.
        if i == 0 || layout == DetailsLayout::R19c {
            s.push_str(&format!("{rule}\n{heading}\n{rule}\n"));
        }
        s.push_str(&format!("Version:              {version}\n"));
        s.push_str(&format!(
            "Subject:              {}\n",
            to_rfc2253(tbs.subject())
        ));
        s.push_str(&format!(
            "Issuer:               {}\n",
            to_rfc2253(tbs.issuer())
        ));
        s.push_str(&format!(
            "Serial Number:        {}\n",
            colon(tbs.serial_number().as_bytes())
        ));
        s.push_str(&format!(
            "Not Before:           {}\n",
            java_date(&tbs.validity().not_before)
        ));
        s.push_str(&format!(
            "Not After:            {}\n",
            java_date(&tbs.validity().not_after)
        ));
        s.push_str(&format!("Fingerprint:          {md5}\n"));
        s.push_str(&format!(
            "Signature Algorithm:  {}\n",
            java_signature_name(&cert.signature_algorithm().oid)
        ));
        s.push_str(&format!("MD5 digest:           {md5}\n"));
        s.push_str(&format!(
            "SHA-256 digest:       {}\n",
            colon(&sha2::Sha256::digest(der_bytes))
        ));
        s.push_str(&format!(
            "SHA-1 digest:           {}\n",
            colon(&sha1::Sha1::digest(der_bytes))
        ));
        s.push_str("Subject Public Key Information:\n");
        let spki = tbs.subject_public_key_info();
        let (algorithm, bits, data) = if spki.algorithm.oid == oid::RSA_ENCRYPTION {
            let rsa = spki
                .subject_public_key
                .as_bytes()
                .and_then(|b| pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(b).ok());
            match rsa {
                Some(rsa) => {
                    let n = rsa.modulus.as_bytes();
                    let bits = n
                        .iter()
                        .position(|b| *b != 0)
                        .map_or(0, |at| (n.len() - at) * 8 - n[at].leading_zeros() as usize);
                    (
                        "RSA".to_owned(),
                        bits,
                        format!(
                            "{{ modulus = {}, exponent = {}}}",
                            to_decimal(n),
                            to_decimal(rsa.public_exponent.as_bytes())
                        ),
                    )
                }
                None => ("RSA".to_owned(), 0, String::new()),
            }
        } else if spki.algorithm.oid == oid::EC_PUBLIC_KEY {
            let bits = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .and_then(|c| super::key::Curve::from_oid(&c))
                .map_or(0, |c| c.bits() as usize);
            ("EC".to_owned(), bits, String::new())
        } else {
            (spki.algorithm.oid.to_string(), 0, String::new())
        };
        // 23ai: four spaces after `Key Algorithm:` and a space after each extension's
        // number; 19c: eight spaces and none.
        let (pad, number_gap) = match layout {
            DetailsLayout::R19c => ("        ", ""),
            DetailsLayout::R23ai => ("    ", " "),
        };
        s.push_str(&format!("Key Algorithm:{pad}{algorithm}\n"));
        s.push_str(&format!("Key Length:           ({bits} bit)\n"));
        s.push_str(&format!("\tKey Data:           {data}\n"));
        if let Some(exts) = tbs.extensions().filter(|e| !e.is_empty()) {
            s.push_str("Extensions:\n");
            for (n, ext) in exts.iter().enumerate() {
                s.push_str(&format!("\t{}.{number_gap}{}\n", n + 1, extension(ext)));
            }
        }
    }
    Ok(s)
}

/// Java's names of the signature algorithms (`CryptoUtils.getSignatureAlg`); any other
/// as its OID.
fn java_signature_name(id: &ObjectIdentifier) -> String {
    let known = [
        (oid::MD5_WITH_RSA, "MD5withRSA"),
        (oid::SHA1_WITH_RSA, "SHA1withRSA"),
        (oid::SHA256_WITH_RSA, "SHA256withRSA"),
        (oid::SHA384_WITH_RSA, "SHA384withRSA"),
        (oid::SHA512_WITH_RSA, "SHA512withRSA"),
        (oid::ECDSA_WITH_SHA1, "SHA1withECDSA"),
        (oid::ECDSA_WITH_SHA256, "SHA256withECDSA"),
        (oid::ECDSA_WITH_SHA384, "SHA384withECDSA"),
        (oid::ECDSA_WITH_SHA512, "SHA512withECDSA"),
    ];
    known
        .iter()
        .find(|(o, _)| o == id)
        .map_or_else(|| id.to_string(), |(_, n)| (*n).to_owned())
}

const KEY_USAGE_NAMES: [&str; 9] = [
    "DIGITAL SIGNATURE",
    "NON REPUDIATION",
    "KEY ENCIPHERMENT",
    "DATA ENCIPHERMENT",
    "KEY AGREEMENT",
    "KEY CERT_SIGN",
    "CRL SIGN",
    "ENCIPHER ONLY",
    "DECIPHER ONLY",
];

/// One extension as orapki's extension classes print it.
fn extension(ext: &Extension) -> String {
    let value = ext.extn_value.as_bytes();
    let head = |name: &str| {
        format!(
            "{name} {{oid = {}, critical = {}, value = ",
            ext.extn_id, ext.critical
        )
    };
    let id = ext.extn_id;
    if id == oid::KEY_USAGE
        && let Ok(ku) = KeyUsage::from_der(value)
    {
        let bits = ku.0.bits();
        let names: Vec<&str> = KEY_USAGE_NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect();
        return format!("{}[{}]}}", head("keyUsageExtension"), names.join(", "));
    }
    if id == oid::BASIC_CONSTRAINTS
        && let Ok(bc) = BasicConstraints::from_der(value)
    {
        let path = bc
            .path_len_constraint
            .map(|p| format!(", pathLen = {p}"))
            .unwrap_or_default();
        return format!(
            "{}[ CA = {}{path}]}}",
            head("basicConstraintsExtension"),
            bc.ca
        );
    }
    if id == oid::SUBJECT_ALT_NAME
        && let Ok(san) = SubjectAltName::from_der(value)
    {
        let names: Vec<String> = san.0.iter().map(general_name).collect();
        return format!(
            "{}[subjectAltNames = {{{}}}]}}",
            head("subjectAltNameExtension"),
            names.join(", ")
        );
    }
    if id == oid::EXT_KEY_USAGE
        && let Ok(eku) = ExtendedKeyUsage::from_der(value)
    {
        let oids: Vec<String> = eku
            .0
            .iter()
            .map(|o| format!("OBJECT IDENTIFIER {{{o}}}"))
            .collect();
        return format!(
            "{}[OIDs of key usage = {{{}}}]}}",
            head("extKeyUsageExtension"),
            oids.join(", ")
        );
    }
    if id == oid::AUTHORITY_KEY_ID
        && let Ok(aki) = AuthorityKeyIdentifier::from_der(value)
    {
        let mut parts = Vec::new();
        if let Some(kid) = &aki.key_identifier {
            parts.push(format!("keyID = {}", hex::encode(kid.as_bytes())));
        }
        if let Some(serial) = &aki.authority_cert_serial_number {
            parts.push(format!("serialNo = {}", to_decimal(serial.as_bytes())));
        }
        if let Some(issuer) = &aki.authority_cert_issuer {
            let names: Vec<String> = issuer.iter().map(general_name).collect();
            parts.push(format!("issuer = {{{}}}", names.join(", ")));
        }
        return format!(
            "{}[{}]}}",
            head("authorityKeyIDExtension"),
            parts.join(", ")
        );
    }
    if id == oid::SUBJECT_KEY_ID
        && let Ok(ski) = SubjectKeyIdentifier::from_der(value)
    {
        return format!(
            "{}{}}}",
            head("subjectKeyIDExtension"),
            hex::encode(ski.0.as_bytes())
        );
    }
    // orapki's generic extension: no name and no closing brace of its own.
    format!(
        "oid = OBJECT IDENTIFIER {{{}}}, critical = {}, value = {}",
        ext.extn_id,
        ext.critical,
        hex::encode(value)
    )
}

/// A general name as orapki prints it: `{ dNSName: IA5String "host" }`,
/// `{ iPAddress: 10.0.0.5 }`.
fn general_name(name: &GeneralName) -> String {
    match name {
        GeneralName::DnsName(n) => format!("{{ dNSName: IA5String \"{}\" }}", n.as_str()),
        GeneralName::Rfc822Name(n) => {
            format!("{{ rfc822Name: IA5String \"{}\" }}", n.as_str())
        }
        GeneralName::UniformResourceIdentifier(n) => {
            format!(
                "{{ uniformResourceIdentifier: IA5String \"{}\" }}",
                n.as_str()
            )
        }
        GeneralName::IpAddress(ip) => {
            let b = ip.as_bytes();
            let text = match b.len() {
                4 => format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]),
                16 => b
                    .chunks(2)
                    .map(|p| format!("{:02x}{:02x}", p[0], p[1]))
                    .collect::<Vec<_>>()
                    .join(":"),
                _ => hex::encode(b),
            };
            format!("{{ iPAddress: {text} }}")
        }
        GeneralName::DirectoryName(n) => format!("{{ directoryName: {} }}", to_rfc2253(n)),
        GeneralName::RegisteredId(o) => format!("{{ registeredID: {o} }}"),
        GeneralName::OtherName(_) => "{ otherName: }".to_owned(),
        GeneralName::EdiPartyName(_) => "{ ediPartyName: }".to_owned(),
    }
}

/// Java's `Date.toString()` in UTC, as orapki prints dates: `Thu Dec 02 02:10:07 UTC 2027`.
pub fn java_date(time: &x509_cert::time::Time) -> String {
    let secs = time.to_unix_duration().as_secs() as i64;
    let format = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
    );
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| time.to_string())
}
