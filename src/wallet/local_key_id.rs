//! Oracle's structured 24-byte localKeyId: six big-endian u32 words
//! `E6B652DD 00000004 00000000 kind index tail` (wallet-formats.md §3.4).
//! Readers check only the magic and kind; writers produce the exact table values.

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
}

impl IdKind {
    fn tail(self) -> u32 {
        match self {
            Self::KeyAndUserCert | Self::Request => 1,
            Self::Trusted => 4,
            Self::Secret => 0,
        }
    }
}

pub const MAGIC: u32 = 0xE6B6_52DD;

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
}
