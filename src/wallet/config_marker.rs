//! orapki's wallet-configuration marker: a secretBag of type 1.2.840.113549.1.12.0.0.0
//! whose value is a 4-byte OCTET STRING `[v12, trust_flags, 0, 0]`, localKeyId kind 11
//! (`E6B652DD 00000004 00000000 0000000B 00000000 00000000`) and friendlyName `secretNN`
//! (NN a random 0..99). oraclepki 19.33 and 23.26 write it for `wallet create -compat_v12`
//! (byte 0 = 1) and `-with_trust_flags` / `enable_trust_flags` (byte 1 = 1), and on every
//! later save merge the old and new flags and put the bag last again.
//!
//! Only byte 1 changes what orapki does: with it set, `add -trusted_cert`, `add -user_cert`
//! and `assign_trust_flags` keep trust flags in the localKeyIds ([`super::trust`]);
//! without it orapki refuses `-trust_flags`. Byte 0 records that `-compat_v12` was asked for;
//! neither pinned release writes the wallet differently because of it (both still use
//! PBES2/AES-256), so orakit keeps it and never acts on it.

use der::asn1::{ObjectIdentifier, OctetString};
use der::{AnyRef, Decode, Encode};

use super::asn1::{SecretBag, oid};
use super::local_key_id::{IdKind, LocalKeyId};
use super::model::{Entry, Item, Wallet};

pub const MARKER_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.0.0.0");

/// What the marker says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct WalletConfig {
    /// Byte 0: the wallet was made with `-compat_v12`.
    pub compat_v12: bool,
    /// Byte 1: trust flags are enabled (`-with_trust_flags`, `enable_trust_flags`).
    pub trust_flags: bool,
}

/// The value bytes of a marker entry, or `None` when `entry` is not a marker.
fn marker_value(entry: &Entry) -> Option<Vec<u8>> {
    let Item::Opaque { bag_id, value } = &entry.item else {
        return None;
    };
    if *bag_id != oid::SECRET_BAG {
        return None;
    }
    let bag = SecretBag::from_der(value).ok()?;
    if bag.secret_type_id != MARKER_TYPE {
        return None;
    }
    let os = bag.secret_value.decode_as::<OctetString>().ok()?;
    Some(os.as_bytes().to_vec())
}

/// The entry index of the marker and what it says.
pub fn find(wallet: &Wallet) -> Option<(usize, WalletConfig)> {
    wallet.entries.iter().enumerate().find_map(|(i, e)| {
        marker_value(e).map(|v| {
            (
                i,
                WalletConfig {
                    compat_v12: v.first() == Some(&1),
                    trust_flags: v.get(1) == Some(&1),
                },
            )
        })
    })
}

/// The index new entries go before: the marker's, so that it stays last as orapki keeps it.
pub fn insertion_end(wallet: &Wallet) -> usize {
    find(wallet).map_or(wallet.entries.len(), |(i, _)| i)
}

/// Sets the flags `config` turns on (orapki only ever adds flags). An existing marker is
/// updated in place, its other bytes and attributes kept; a new one is appended.
pub fn enable(wallet: &mut Wallet, config: WalletConfig) -> Result<(), der::Error> {
    let (at, mut bytes) = match find(wallet) {
        Some((i, _)) => (
            Some(i),
            marker_value(&wallet.entries[i]).unwrap_or_default(),
        ),
        None => (None, vec![0; 4]),
    };
    if bytes.len() < 2 {
        bytes.resize(4, 0);
    }
    if config.compat_v12 {
        bytes[0] = 1;
    }
    if config.trust_flags {
        bytes[1] = 1;
    }
    let value_der = OctetString::new(bytes)?.to_der()?;
    let bag = SecretBag {
        secret_type_id: MARKER_TYPE,
        secret_value: AnyRef::from_der(&value_der)?,
    };
    let item = Item::Opaque {
        bag_id: oid::SECRET_BAG,
        value: bag.to_der()?,
    };
    match at {
        Some(i) => wallet.entries[i].item = item,
        None => {
            let nn = crate::random::bytes(1)[0] % 100;
            wallet.entries.push(Entry {
                item,
                friendly_name: Some(format!("secret{nn}")),
                local_key_id: Some(LocalKeyId::new(IdKind::ConfigMarker, 0).to_bytes()),
                other_attributes: Vec::new(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::model::Profile;

    #[test]
    fn the_marker_is_written_as_orapki_writes_it_and_only_gains_flags() {
        let mut wallet = Wallet::new(Profile::aes256());
        assert!(find(&wallet).is_none());
        enable(
            &mut wallet,
            WalletConfig {
                trust_flags: true,
                compat_v12: false,
            },
        )
        .unwrap();
        let entry = &wallet.entries[0];
        // The id and value of orapki 23.26's `create -with_trust_flags` marker (observed).
        assert_eq!(
            hex::encode(entry.local_key_id.as_ref().unwrap()),
            "e6b652dd00000004000000000000000b0000000000000000"
        );
        assert_eq!(marker_value(entry).unwrap(), [0, 1, 0, 0]);
        let name = entry.friendly_name.as_deref().unwrap();
        assert!(name.starts_with("secret") && name[6..].parse::<u8>().unwrap() < 100);
        enable(
            &mut wallet,
            WalletConfig {
                compat_v12: true,
                trust_flags: false,
            },
        )
        .unwrap();
        assert_eq!(wallet.entries.len(), 1);
        assert_eq!(marker_value(&wallet.entries[0]).unwrap(), [1, 1, 0, 0]);
        assert_eq!(
            find(&wallet).unwrap().1,
            WalletConfig {
                compat_v12: true,
                trust_flags: true
            }
        );
        assert_eq!(insertion_end(&wallet), 0);
    }
}
