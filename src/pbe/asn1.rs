//! The ASN.1 of password-based encryption: PKCS#12 PBE parameters, the PKCS#8
//! `EncryptedPrivateKeyInfo` and the OIDs of the schemes and MAC digests.

use der::Sequence;
use der::asn1::OctetString;

/// PKCS#12 PBE parameters: `SEQUENCE { salt OCTET STRING, iterations INTEGER }`.
/// Iterations are read as a u64 so a huge count is reported, not wrapped.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PbeParams {
    pub salt: OctetString,
    pub iterations: u64,
}

/// `EncryptedPrivateKeyInfo` of a pkcs8ShroudedKeyBag.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EncryptedPrivateKeyInfo {
    pub encryption_algorithm: spki::AlgorithmIdentifierOwned,
    pub encrypted_data: OctetString,
}

/// OIDs of the encryption schemes and digests.
pub mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    pub const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub const PBE_SHA1_3DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.3");
    pub const PBE_SHA1_2DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.4");
    pub const PBE_SHA1_RC2_128: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.5");
    pub const PBE_SHA1_RC2_40: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.6");
    pub const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
}
