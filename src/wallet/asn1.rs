//! Typed DER structures of the PKCS#12 parts Oracle uses that the `pkcs12` crate models
//! awkwardly or not at all. Everything else (Pfx, MacData, CertBag, EncryptedData) comes
//! from `pkcs12` / `cms` directly.
//!
//! Our own `SafeBag` avoids the `pkcs12::SafeBag` decode/encode asymmetry (its decoder
//! keeps the `[0]` wrapper, its encoder adds it again) and keeps the attribute SET in the
//! order the file has it, so a wallet read and written back keeps its attribute order.

use der::asn1::{ObjectIdentifier, Utf8StringRef};
use der::{AnyRef, Decode, Encode, Reader, Sequence, SliceReader};
use x509_cert::attr::Attribute;

/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF Attribute OPTIONAL }`.
/// The attributes are kept as the raw SET so their order survives a round trip.
/// The value is borrowed from the decrypted SafeContents (a `Zeroizing` buffer): an owned
/// `Any` would be one more copy of a private key that nothing wipes.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SafeBag<'a> {
    pub bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub bag_value: AnyRef<'a>,
    #[asn1(optional = "true")]
    pub bag_attributes: Option<AttributeSet>,
}

/// A SET OF Attribute kept in file order (DER would sort it; Oracle's order already is).
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AttributeSet(pub Vec<Attribute>);

impl<'a> der::DecodeValue<'a> for AttributeSet {
    type Error = der::Error;
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: der::Header) -> der::Result<Self> {
        let bytes = reader.read_vec(header.length())?;
        let mut inner = SliceReader::new(&bytes)?;
        let mut attrs = Vec::new();
        while !inner.is_finished() {
            attrs.push(Attribute::decode(&mut inner)?);
        }
        Ok(Self(attrs))
    }
}

impl der::EncodeValue for AttributeSet {
    fn value_len(&self) -> der::Result<der::Length> {
        self.0
            .iter()
            .try_fold(der::Length::ZERO, |acc, a| acc + a.encoded_len()?)
    }
    fn encode_value(&self, writer: &mut impl der::Writer) -> der::Result<()> {
        for attr in &self.0 {
            attr.encode(writer)?;
        }
        Ok(())
    }
}

impl der::FixedTag for AttributeSet {
    const TAG: der::Tag = der::Tag::Set;
}

/// `SafeContents ::= SEQUENCE OF SafeBag`.
pub type SafeContents<'a> = Vec<SafeBag<'a>>;

/// `SecretBag ::= SEQUENCE { secretTypeId OID, secretValue [0] EXPLICIT ANY }`.
/// Borrowed like [`SafeBag`]: a secret-store value is a password.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SecretBag<'a> {
    pub secret_type_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub secret_value: AnyRef<'a>,
}

/// The value of an mkstore secret-store entry: `SEQUENCE { UTF8String alias, UTF8String value }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SecretStoreValue<'a> {
    pub alias: Utf8StringRef<'a>,
    pub value: Utf8StringRef<'a>,
}

/// Well-known OIDs of the wallet format.
pub mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    pub const ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");
    pub const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
    pub const SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
    pub const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
    pub const SECRET_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.5");
    pub const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");
    pub const FRIENDLY_NAME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.20");
    pub const LOCAL_KEY_ID: Oid = Oid::new_unwrap("1.2.840.113549.1.9.21");
    /// Oracle's certificate-request secret type. Its DER content bytes are
    /// `16 48 81 06 81 77 0D 01 0A` (a mis-encoded PKCS arc that Oracle writes as is);
    /// read as an OID they are exactly `0.22.72.134.247.13.1.10`, which re-encodes to
    /// the same bytes.
    pub const ORACLE_CERT_REQUEST: Oid = Oid::new_unwrap("0.22.72.134.247.13.1.10");
    /// mkstore secret-store entries.
    pub const SECRET_STORE: Oid = Oid::new_unwrap("1.2.840.113549.1.16.12.12");
    /// The 10g-era secret-store type under Oracle's arc; read like the one above.
    pub const SECRET_STORE_OLD: Oid = Oid::new_unwrap("2.16.840.1.113894.2.99.300.1");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_oid_encodes_to_oracles_exact_bytes() {
        let der = oid::ORACLE_CERT_REQUEST.to_der().unwrap();
        assert_eq!(
            der,
            [
                0x06, 0x09, 0x16, 0x48, 0x81, 0x06, 0x81, 0x77, 0x0D, 0x01, 0x0A
            ]
        );
    }
}
