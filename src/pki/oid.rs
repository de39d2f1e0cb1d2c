//! The object identifiers orakit reads and writes, named once.

use der::asn1::ObjectIdentifier as Oid;

// Key algorithms and curves.
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
pub const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
pub const ED448: Oid = Oid::new_unwrap("1.3.101.113");
pub const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
pub const SECP521R1: Oid = Oid::new_unwrap("1.3.132.0.35");

// Signature algorithms.
pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
pub const MD5_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.4");
pub const ECDSA_WITH_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
pub const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
pub const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");

// Extensions and request attributes.
pub const EXTENSION_REQUEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.14");
pub const SUBJECT_KEY_ID: Oid = Oid::new_unwrap("2.5.29.14");
pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
pub const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
pub const AUTHORITY_KEY_ID: Oid = Oid::new_unwrap("2.5.29.35");
pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
pub const KP_SERVER_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.1");
pub const KP_CLIENT_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.2");

/// A readable name for the algorithms and extensions orakit knows, the dotted OID otherwise.
pub fn name(oid: &Oid) -> String {
    let known = [
        (RSA_ENCRYPTION, "rsaEncryption"),
        (RSASSA_PSS, "RSASSA-PSS"),
        (EC_PUBLIC_KEY, "id-ecPublicKey"),
        (ED25519, "Ed25519"),
        (ED448, "Ed448"),
        (DSA, "DSA"),
        (SHA1_WITH_RSA, "sha1WithRSAEncryption"),
        (SHA256_WITH_RSA, "sha256WithRSAEncryption"),
        (SHA384_WITH_RSA, "sha384WithRSAEncryption"),
        (SHA512_WITH_RSA, "sha512WithRSAEncryption"),
        (MD5_WITH_RSA, "md5WithRSAEncryption"),
        (ECDSA_WITH_SHA1, "ecdsa-with-SHA1"),
        (ECDSA_WITH_SHA256, "ecdsa-with-SHA256"),
        (ECDSA_WITH_SHA384, "ecdsa-with-SHA384"),
        (ECDSA_WITH_SHA512, "ecdsa-with-SHA512"),
        (SUBJECT_KEY_ID, "subjectKeyIdentifier"),
        (KEY_USAGE, "keyUsage"),
        (SUBJECT_ALT_NAME, "subjectAltName"),
        (BASIC_CONSTRAINTS, "basicConstraints"),
        (AUTHORITY_KEY_ID, "authorityKeyIdentifier"),
        (EXT_KEY_USAGE, "extendedKeyUsage"),
        (KP_SERVER_AUTH, "serverAuth"),
        (KP_CLIENT_AUTH, "clientAuth"),
        (Oid::new_unwrap("1.3.6.1.5.5.7.3.3"), "codeSigning"),
        (Oid::new_unwrap("1.3.6.1.5.5.7.3.4"), "emailProtection"),
        (Oid::new_unwrap("1.3.6.1.5.5.7.3.8"), "timeStamping"),
        (Oid::new_unwrap("1.3.6.1.5.5.7.3.9"), "OCSPSigning"),
        (Oid::new_unwrap("2.5.29.31"), "cRLDistributionPoints"),
        (Oid::new_unwrap("2.5.29.32"), "certificatePolicies"),
        (Oid::new_unwrap("2.5.29.30"), "nameConstraints"),
        (Oid::new_unwrap("1.3.6.1.5.5.7.1.1"), "authorityInfoAccess"),
        (Oid::new_unwrap("2.16.840.1.113730.1.1"), "nsCertType"),
        (Oid::new_unwrap("2.16.840.1.113730.1.13"), "nsComment"),
    ];
    known
        .iter()
        .find(|(o, _)| o == oid)
        .map(|(_, n)| (*n).to_owned())
        .unwrap_or_else(|| oid.to_string())
}
