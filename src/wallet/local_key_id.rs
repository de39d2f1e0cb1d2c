//! Oracle's structured 24-byte localKeyId: six big-endian u32 words
//! `E6B652DD 00000004 00000000 kind index tail` (wallet-formats.md §3.4).
//! Readers check only the magic and kind; writers produce the exact table values.
//!
//! Trust flags (orapki `-with_trust_flags`, 19.x and 23ai) live in the third byte of the
//! kind word (byte 14 of the id): kind 0x103 is a trusted certificate with SERVER_AUTH.
//! Oracle's own kind checks ignore that byte for keys/user certificates (1) and trusted
//! certificates (3), so [`LocalKeyId::base_kind`] is what identifies an entry.

/// The four kinds Oracle uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// A private key and its user certificate (they share the id).
    KeyAndUserCert = 1,
    /// A pending certificate request.
    Request = 2,
    /// A trusted certificate.
    Trusted = 3,
    /// A secret-store entry.
    Secret = 6,
    /// orapki's wallet-configuration marker secret bag (see `config_marker`).
    ConfigMarker = 11,
}

impl IdKind {
    fn tail(self) -> u32 {
        match self {
            Self::KeyAndUserCert | Self::Request => 1,
            Self::Trusted => 4,
            Self::Secret | Self::ConfigMarker => 0,
        }
    }
}

pub const MAGIC: u32 = 0xE6B6_52DD;

/// The trust-flag bits of byte 14 (oraclepki's `TrustFlags`, same bits in 19.x and 23ai).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrustFlags(pub u8);

impl TrustFlags {
    pub const SERVER_AUTH: u8 = 0x01;
    pub const CLIENT_AUTH: u8 = 0x02;
    pub const VALID_PEER: u8 = 0x04;
    pub const USER_CERT: u8 = 0x08;
    pub const NULL: u8 = 0x10;
    pub const TRUSTED: u8 = 0x20;
    pub const NONE: u8 = 0x40;
    /// orapki's names, in the order orapki prints them.
    const NAMES: [(u8, &'static str); 7] = [
        (Self::SERVER_AUTH, "SERVER_AUTH"),
        (Self::CLIENT_AUTH, "CLIENT_AUTH"),
        (Self::VALID_PEER, "VALID_PEER"),
        (Self::USER_CERT, "USER_CERT"),
        (Self::NULL, "NULL"),
        (Self::TRUSTED, "TRUSTED"),
        (Self::NONE, "NONE"),
    ];

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// The flags with orapki's exact spelling, e.g. `["SERVER_AUTH", "CLIENT_AUTH"]`
    /// (unknown bits as `0xNN`).
    pub fn names(self) -> Vec<String> {
        let mut out: Vec<String> = Self::NAMES
            .iter()
            .filter(|(bit, _)| self.0 & bit != 0)
            .map(|(_, name)| (*name).to_owned())
            .collect();
        let unknown = self.0 & !Self::NAMES.iter().fold(0, |acc, (bit, _)| acc | bit);
        if unknown != 0 {
            out.push(format!("0x{unknown:02x}"));
        }
        out
    }

    /// orapki's spelling as one string: `SERVER_AUTH,CLIENT_AUTH`.
    pub fn orapki_text(self) -> String {
        self.names().join(",")
    }

    /// Parses what `orapki ... -trust_flags` accepts: `SERVER_AUTH`, `CLIENT_AUTH`,
    /// `SERVER_AUTH,CLIENT_AUTH`, `VALID_PEER` or `NULL` (VALID_PEER and NULL alone).
    pub fn parse_assignable(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let mut bits = 0u8;
        for part in &parts {
            bits |= match *part {
                "SERVER_AUTH" => Self::SERVER_AUTH,
                "CLIENT_AUTH" => Self::CLIENT_AUTH,
                "VALID_PEER" if parts.len() == 1 => Self::VALID_PEER,
                "NULL" if parts.len() == 1 => Self::NULL,
                _ => {
                    return Err(format!(
                        "invalid trust flags {text:?}: give SERVER_AUTH, CLIENT_AUTH, SERVER_AUTH,CLIENT_AUTH, VALID_PEER or NULL"
                    ));
                }
            };
        }
        Ok(Self(bits))
    }
}

/// A parsed Oracle localKeyId.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalKeyId {
    pub word1: u32,
    pub word2: u32,
    pub kind: u32,
    pub index: u32,
    pub tail: u32,
}

impl LocalKeyId {
    /// The id orakit writes for a new entry of `kind` at `index`.
    pub fn new(kind: IdKind, index: u32) -> Self {
        Self {
            word1: 4,
            word2: 0,
            kind: kind as u32,
            index,
            tail: kind.tail(),
        }
    }

    /// Parses 24 bytes that start with Oracle's magic; anything else is not Oracle's.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 24 {
            return None;
        }
        let word = |i: usize| {
            u32::from_be_bytes([
                bytes[i * 4],
                bytes[i * 4 + 1],
                bytes[i * 4 + 2],
                bytes[i * 4 + 3],
            ])
        };
        if word(0) != MAGIC {
            return None;
        }
        Some(Self {
            word1: word(1),
            word2: word(2),
            kind: word(3),
            index: word(4),
            tail: word(5),
        })
    }

    /// The kind without the trust-flag byte: 1, 2, 3, 6, 11 ...
    pub fn base_kind(&self) -> u32 {
        self.kind & !0xFF00
    }

    /// The trust flags held in the kind word's third byte.
    pub fn trust_flags(&self) -> TrustFlags {
        TrustFlags(((self.kind >> 8) & 0xFF) as u8)
    }

    pub fn with_trust_flags(mut self, flags: TrustFlags) -> Self {
        self.kind = self.base_kind() | (u32::from(flags.0) << 8);
        self
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        [
            MAGIC, self.word1, self.word2, self.kind, self.index, self.tail,
        ]
        .iter()
        .flat_map(|w| w.to_be_bytes())
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_ids_in_real_adb_wallets() {
        // Values printed by walletcheck.py for raghuthota-adb-2019 (key, request, 2nd trusted cert).
        let key = hex::decode("e6b652dd0000000400000000000000010000000000000001").unwrap();
        let req = hex::decode("e6b652dd0000000400000000000000020000000000000001").unwrap();
        let trusted = hex::decode("e6b652dd0000000400000000000000030000000100000004").unwrap();
        assert_eq!(LocalKeyId::new(IdKind::KeyAndUserCert, 0).to_bytes(), key);
        assert_eq!(LocalKeyId::new(IdKind::Request, 0).to_bytes(), req);
        assert_eq!(LocalKeyId::new(IdKind::Trusted, 1).to_bytes(), trusted);
        assert_eq!(LocalKeyId::parse(&trusted).unwrap().index, 1);
        assert!(LocalKeyId::parse(&[0u8; 20]).is_none());
    }

    #[test]
    fn trust_flags_sit_in_byte_14() {
        // Ids orapki 23ai's `-with_trust_flags` wallets hold (DESIGN.md, observed).
        let server = hex::decode("e6b652dd0000000400000000000001030000000000000004").unwrap();
        let both = hex::decode("e6b652dd0000000400000000000003030000000100000004").unwrap();
        let peer = hex::decode("e6b652dd0000000400000000000004030000000200000004").unwrap();
        let s = LocalKeyId::parse(&server).unwrap();
        assert_eq!(
            (s.base_kind(), s.trust_flags().orapki_text()),
            (3, "SERVER_AUTH".into())
        );
        let b = LocalKeyId::parse(&both).unwrap();
        assert_eq!(b.trust_flags().orapki_text(), "SERVER_AUTH,CLIENT_AUTH");
        assert_eq!(
            LocalKeyId::parse(&peer).unwrap().trust_flags().names(),
            ["VALID_PEER"]
        );
        let set = LocalKeyId::new(IdKind::Trusted, 1)
            .with_trust_flags(TrustFlags::parse_assignable("SERVER_AUTH,CLIENT_AUTH").unwrap());
        assert_eq!(set.to_bytes(), both);
        assert!(TrustFlags::parse_assignable("VALID_PEER,SERVER_AUTH").is_err());
        assert!(TrustFlags::parse_assignable("TRUSTED").is_err());
        assert_eq!(TrustFlags::parse_assignable("NULL").unwrap().0, 0x10);
    }
}
