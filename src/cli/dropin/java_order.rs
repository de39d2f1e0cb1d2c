//! The two orders in which orapki and mkstore list secret-store aliases (observed, 23ai):
//! sorted by Java's default `Collator` for the `en` locale (a `TreeSet`), or "unsorted",
//! which is the iteration order of the `java.util.Hashtable` orapki loads the entries into
//! (capacity = number of entries, filled in the wallet's file order). Both are reproduced
//! here so a script that reads the listing line by line sees the same lines in the same order.

use std::cmp::Ordering;

/// Java's `en` collation of printable ASCII (observed with `Collator.getInstance()`):
/// punctuation and symbols, then digits, then letters with case as a later difference.
/// Space and `-` carry no primary weight.
const PUNCTUATION_THEN_DIGITS: &str = "_,;:!?/.`^~'\"()[]{}@$*\\&#%+<=>|0123456789";

fn primary(c: char) -> Option<u32> {
    if c == ' ' || c == '-' {
        return None;
    }
    if let Some(at) = PUNCTUATION_THEN_DIGITS.find(c) {
        return Some(at as u32);
    }
    let letters = PUNCTUATION_THEN_DIGITS.len() as u32;
    if c.is_ascii_alphabetic() {
        return Some(letters + (c.to_ascii_lowercase() as u32 - 'a' as u32));
    }
    // Outside ASCII: after every ASCII letter, by code point (an approximation).
    Some(letters + 26 + c as u32)
}

fn secondary(c: char) -> u32 {
    match c {
        ' ' => 1,
        '-' => 2,
        _ => 0,
    }
}

fn tertiary(c: char) -> u32 {
    u32::from(c.is_uppercase())
}

/// Compares two aliases as orapki's sorted listing does: primary weights first, then the
/// blanks and hyphens, then case (lower before upper).
pub fn collate(a: &str, b: &str) -> Ordering {
    let primaries = |s: &str| s.chars().filter_map(primary).collect::<Vec<_>>();
    let secondaries = |s: &str| s.chars().map(secondary).collect::<Vec<_>>();
    let tertiaries = |s: &str| s.chars().map(tertiary).collect::<Vec<_>>();
    primaries(a)
        .cmp(&primaries(b))
        .then_with(|| secondaries(a).cmp(&secondaries(b)))
        .then_with(|| tertiaries(a).cmp(&tertiaries(b)))
        .then_with(|| a.cmp(b))
}

/// Java's `String.hashCode` (over UTF-16 code units, wrapping).
fn java_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

fn bucket(hash: i32, capacity: usize) -> usize {
    (hash & 0x7FFF_FFFF) as usize % capacity
}

/// The order a `java.util.Hashtable(aliases.len())` filled with `aliases` (in this order)
/// hands its keys out: buckets from the last to the first, each bucket newest first.
pub fn hashtable_order(aliases: &[String]) -> Vec<String> {
    let mut capacity = aliases.len().max(1);
    let threshold = |capacity: usize| (capacity as f64 * 0.75) as usize;
    let mut table: Vec<Vec<String>> = vec![Vec::new(); capacity];
    let mut count = 0;
    for alias in aliases {
        let hash = java_hash(alias);
        if table[bucket(hash, capacity)].contains(alias) {
            continue;
        }
        if count >= threshold(capacity) {
            // Hashtable.rehash: old buckets from the last, each chain from its head,
            // every entry pushed onto the head of its new chain.
            let new_capacity = capacity * 2 + 1;
            let mut grown: Vec<Vec<String>> = vec![Vec::new(); new_capacity];
            for chain in table.iter().rev() {
                for key in chain {
                    grown[bucket(java_hash(key), new_capacity)].insert(0, key.clone());
                }
            }
            table = grown;
            capacity = new_capacity;
        }
        table[bucket(hash, capacity)].insert(0, alias.clone());
        count += 1;
    }
    table.into_iter().rev().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sorted_as_javas_en_collator() {
        // The order Java 17's Collator.getInstance() (locale en) gave for these.
        let mut got = strings(&[
            "a-b", "ab", "a_b", "a.b", "aB", "Ab", "AB", "ab1", "a1b", "a b",
        ]);
        got.sort_by(|a, b| collate(a, b));
        assert_eq!(
            got,
            strings(&[
                "a_b", "a.b", "a1b", "ab", "aB", "Ab", "AB", "a b", "a-b", "ab1"
            ])
        );
    }

    #[test]
    fn unsorted_as_javas_hashtable() {
        // orapki 23ai's list_entries_unsorted of a wallet holding these, in this file order.
        let file_order = strings(&[
            "apple2",
            "00x",
            "alpha",
            "banana",
            "Cherry",
            "kiwi",
            "mango",
            "oracle.security.client.username1",
            "zeta",
        ]);
        assert_eq!(
            hashtable_order(&file_order),
            strings(&[
                "kiwi",
                "banana",
                "alpha",
                "mango",
                "Cherry",
                "oracle.security.client.username1",
                "zeta",
                "00x",
                "apple2",
            ])
        );
    }
}
