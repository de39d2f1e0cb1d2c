//! The order and the aliases in which orapki lists a wallet's entries: the iteration order
//! of the `java.util.Hashtable` orapki keeps them in, and the `java.text.Collator` order of
//! secret-store aliases, reproduced so `wallet display` prints what orapki prints.

use super::cert_spki;
use crate::wallet::keys;
use crate::wallet::model::{self, Item, Wallet};

/// What an alias of orapki's key store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Listed {
    /// A private key (or a request without one) with its user certificate and request.
    Identity {
        key: Option<usize>,
        cert: Option<usize>,
        request: Option<usize>,
    },
    Trusted(usize),
}

pub(super) struct AliasEntry {
    pub(super) alias: String,
    pub(super) what: Listed,
}

/// The wallet's entries in the order orapki lists them, with orapki's aliases.
///
/// orapki keeps a wallet's entries in a `java.util.Hashtable` keyed by alias (the
/// friendlyName, else `CN=<common name>`) sized keys + certificates, filled keys first,
/// then requests without a key, then trusted certificates, and lists them in that
/// table's iteration order. [`JavaHashtable`] reproduces that order.
pub(super) fn orapki_order(wallet: &Wallet) -> Vec<AliasEntry> {
    let of = |pred: fn(&Item) -> bool| wallet.indices_where(pred);
    let keys = of(|i| matches!(i, Item::PrivateKey(_)));
    let mut certs_left = of(|i| matches!(i, Item::Certificate(_)));
    let mut requests_left = of(|i| matches!(i, Item::CertificateRequest(_)));
    let mut table = JavaHashtable::new(keys.len() + certs_left.len());
    for &k in &keys {
        let entry = &wallet.entries[k];
        let public = match &entry.item {
            Item::PrivateKey(der) => keys::public_key_der(der),
            _ => None,
        };
        let cert_at = certs_left.iter().position(|&c| {
            let other = &wallet.entries[c];
            // A trust-flag wallet's user certificate carries USER_CERT in its id; the key not.
            let same_id = other.local_key_id.is_some()
                && model::same_id(other.local_key_id.as_deref(), entry.local_key_id.as_deref());
            let same_key = public.is_some() && cert_spki(cert_der(wallet, c)) == public;
            (same_id && (same_key || public.is_none())) || (same_key && entry.oracle_id().is_none())
        });
        let cert = cert_at.map(|at| certs_left.remove(at));
        let request_at = requests_left.iter().position(|&r| {
            let (a, b) = (wallet.entries[r].oracle_id(), entry.oracle_id());
            matches!((a, b), (Some(a), Some(b)) if a.index == b.index && a.kind == 2 && b.kind == 1)
        });
        let request = request_at.map(|at| requests_left.remove(at));
        let alias = match &entry.friendly_name {
            Some(name) => name.clone(),
            None => {
                let base = cert.map(|c| cert_alias(wallet, c)).unwrap_or_default();
                let mut alias = base;
                let mut n = 1;
                while table.contains(&alias) {
                    alias = format!("{alias} {n}");
                    n += 1;
                }
                alias
            }
        };
        table.put(
            alias,
            Listed::Identity {
                key: Some(k),
                cert,
                request,
            },
        );
    }
    for &r in &requests_left {
        let alias = match &wallet.entries[r].friendly_name {
            Some(name) => name.clone(),
            None => {
                let mut alias = String::new();
                let mut n = 1;
                while table.contains(&alias) {
                    alias = format!("{alias} {n}");
                    n += 1;
                }
                alias
            }
        };
        table.put(
            alias,
            Listed::Identity {
                key: None,
                cert: None,
                request: Some(r),
            },
        );
    }
    for &c in &certs_left {
        let alias = match &wallet.entries[c].friendly_name {
            Some(name) => name.clone(),
            None => {
                let base = cert_alias(wallet, c);
                let mut alias = base.clone();
                let mut n = 1;
                while table.contains(&alias) {
                    alias = format!("{base} {n}");
                    n += 1;
                }
                alias
            }
        };
        table.put(alias, Listed::Trusted(c));
    }
    table.into_entries()
}

fn cert_der(wallet: &Wallet, i: usize) -> &[u8] {
    match &wallet.entries[i].item {
        Item::Certificate(der) => der,
        _ => &[],
    }
}

/// orapki's alias for a certificate without a friendlyName.
fn cert_alias(wallet: &Wallet, i: usize) -> String {
    use der::Decode;
    x509_cert::Certificate::from_der(cert_der(wallet, i))
        .map(|c| crate::pki::name::orapki_alias(c.tbs_certificate().subject()))
        .unwrap_or_default()
}

/// Java's `Hashtable<String, _>`: buckets by `String.hashCode() % capacity`, new entries
/// at the head of their bucket, rehash to `2n+1` at 75 % load, iteration from the last
/// bucket to the first.
struct JavaHashtable {
    buckets: Vec<Vec<AliasEntry>>,
    count: usize,
    threshold: usize,
}

impl JavaHashtable {
    fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            buckets: (0..capacity).map(|_| Vec::new()).collect(),
            count: 0,
            threshold: (capacity as f32 * 0.75) as usize,
        }
    }

    fn bucket(&self, alias: &str) -> usize {
        (java_hash(alias) & 0x7FFF_FFFF) as usize % self.buckets.len()
    }

    fn contains(&self, alias: &str) -> bool {
        self.buckets[self.bucket(alias)]
            .iter()
            .any(|e| e.alias == alias)
    }

    /// Adds or replaces (in place, as `Hashtable.put` does) the entry for `alias`.
    fn put(&mut self, alias: String, what: Listed) {
        let b = self.bucket(&alias);
        if let Some(e) = self.buckets[b].iter_mut().find(|e| e.alias == alias) {
            e.what = what;
            return;
        }
        if self.count >= self.threshold {
            self.rehash();
        }
        let b = self.bucket(&alias);
        // Index 0 is the head of the bucket's chain.
        self.buckets[b].insert(0, AliasEntry { alias, what });
        self.count += 1;
    }

    fn rehash(&mut self) {
        let capacity = self.buckets.len() * 2 + 1;
        let old = std::mem::replace(
            &mut self.buckets,
            (0..capacity).map(|_| Vec::new()).collect(),
        );
        self.threshold = (capacity as f32 * 0.75) as usize;
        // Hashtable.rehash walks the old buckets from the last, each chain from its head,
        // and pushes every entry onto the head of its new chain.
        for chain in old.into_iter().rev() {
            for entry in chain {
                let b = self.bucket(&entry.alias);
                self.buckets[b].insert(0, entry);
            }
        }
    }

    fn into_entries(self) -> Vec<AliasEntry> {
        self.buckets.into_iter().rev().flatten().collect()
    }
}

/// Java's `String.hashCode()` over UTF-16 code units.
fn java_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(unit as i32))
}

/// `java.text.Collator.getInstance()` (English) order, in which orapki lists secret-store
/// aliases: punctuation before digits before letters, letters compared without case
/// first, then lower case before upper case.
pub(super) mod collation {
    use std::cmp::Ordering;

    /// Printable ASCII in the Collator's primary order (read from a JVM); a letter's two
    /// cases share one weight.
    const ORDER: &str = " -_,;:!?/.`^~'\"()[]{}@$*\\&#%+<=>|0123456789abcdefghijklmnopqrstuvwxyz";

    fn primary(c: char) -> u32 {
        let lower = c.to_ascii_lowercase();
        match ORDER.find(lower) {
            Some(at) => at as u32,
            None => 0x100 + c as u32,
        }
    }

    pub fn compare(a: &str, b: &str) -> Ordering {
        let weights = |s: &str| s.chars().map(primary).collect::<Vec<_>>();
        weights(a)
            .cmp(&weights(b))
            .then_with(|| {
                let case = |s: &str| {
                    s.chars()
                        .map(|c| c.is_ascii_uppercase())
                        .collect::<Vec<_>>()
                };
                case(a).cmp(&case(b))
            })
            .then_with(|| a.cmp(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Orders printed by a JVM for `new Hashtable<>(n)`, `put` in this order, then
    /// `new Vector<>(table.keySet())` (the way orapki enumerates aliases).
    #[test]
    fn the_hashtable_iterates_in_the_jvm_order() {
        let mut aliases = vec!["orakey".to_owned()];
        aliases.extend((1..=10).map(|i| format!("CN=Root {i}")));
        let mut table = JavaHashtable::new(3);
        for (i, a) in aliases.iter().enumerate() {
            table.put(a.clone(), Listed::Trusted(i));
        }
        let order: Vec<String> = table.into_entries().into_iter().map(|e| e.alias).collect();
        assert_eq!(
            order.join("|"),
            "CN=Root 8|CN=Root 7|orakey|CN=Root 6|CN=Root 5|CN=Root 4|CN=Root 3|CN=Root 2|\
             CN=Root 1|CN=Root 10|CN=Root 9"
        );
        let mut small = JavaHashtable::new(0);
        for a in ["CN=b", "CN=a", "CN=a 1"] {
            small.put(a.into(), Listed::Trusted(0));
        }
        let order: Vec<String> = small.into_entries().into_iter().map(|e| e.alias).collect();
        assert_eq!(order, ["CN=b", "CN=a", "CN=a 1"]);
    }

    #[test]
    fn string_hashes_are_javas() {
        // "...".hashCode() printed by a JVM.
        assert_eq!(java_hash("CN=DigiCert Global Root CA"), -370598622);
        assert_eq!(java_hash("orakey"), -1008854335);
        assert_eq!(java_hash("CN=café"), 1625658963);
    }

    #[test]
    fn a_replaced_alias_keeps_its_place() {
        let mut table = JavaHashtable::new(4);
        table.put("a".into(), Listed::Trusted(1));
        table.put("b".into(), Listed::Trusted(2));
        table.put("a".into(), Listed::Trusted(3));
        let entries = table.into_entries();
        assert_eq!(entries.len(), 2);
        assert!(
            entries
                .iter()
                .any(|e| e.alias == "a" && e.what == Listed::Trusted(3))
        );
    }

    #[test]
    fn secret_aliases_sort_as_javas_collator() {
        // Sorted by java.text.Collator.getInstance() (en) on a JVM.
        let mut v = vec!["ab", "Ab", "a_b", "a.b", "b", "A", "a1"];
        v.sort_by(|a, b| collation::compare(a, b));
        assert_eq!(v, ["A", "a_b", "a.b", "a1", "ab", "Ab", "b"]);
    }
}
