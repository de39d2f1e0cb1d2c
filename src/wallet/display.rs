//! What `wallet display` shows: orapki's text layout, byte for byte (the JSON report is
//! [`super::report`]).

use super::certs;
use super::keys;
use super::model::{Item, Wallet};

/// The orapki release whose `wallet display` layout to reproduce. Both print the same
/// summary; `-complete` differs (23ai adds aliases and validity dates, 19c prints one
/// SHA-1 line and `Key Length` without a colon).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    R19c,
    R23ai,
}

/// orapki's `-summary` (the default) or `-complete`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Summary,
    Complete,
}

/// `orapki wallet display -nologo` text of `release`, byte for byte: requested, user and
/// trusted certificates and secret-store aliases, in the order orapki lists them.
pub fn text(wallet: &Wallet, release: Release, detail: Detail) -> String {
    let listed = orapki_order(wallet);
    let complete = detail == Detail::Complete;
    let mut out = String::new();
    out.push_str("Requested Certificates: \n");
    for entry in &listed {
        let Listed::Identity {
            key: Some(_),
            cert: None,
            request: Some(r),
        } = entry.what
        else {
            continue;
        };
        let Item::CertificateRequest(der) = &wallet.entries[r].item else {
            continue;
        };
        subject_line(&mut out, &certs::request_subject(der));
        if complete {
            let bits = x509_cert::request::CertReq::try_from(der.as_slice())
                .ok()
                .and_then(|req| keys::describe_spki(&req.info.public_key).1)
                .unwrap_or(0);
            out.push_str(&format!("Key Length:     {bits}\n\n"));
        }
    }
    out.push_str("User Certificates:\n");
    for entry in &listed {
        if let Listed::Identity { cert: Some(c), .. } = entry.what {
            certificate(&mut out, wallet, c, &entry.alias, release, complete, false);
        }
    }
    let mut aliases: Vec<&str> = wallet
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Secret { alias, .. } => Some(alias.as_str()),
            _ => None,
        })
        .collect();
    if !aliases.is_empty() {
        aliases.sort_by(|a, b| collation::compare(a, b));
        aliases.dedup();
        out.push_str("Oracle Secret Store entries: \n");
        for alias in aliases {
            out.push_str(alias);
            out.push('\n');
        }
    }
    out.push_str("Trusted Certificates: \n");
    for entry in &listed {
        if let Listed::Trusted(c) = entry.what {
            certificate(&mut out, wallet, c, &entry.alias, release, complete, true);
        }
    }
    out
}

fn subject_line(out: &mut String, dn: &str) {
    out.push_str("Subject:        ");
    out.push_str(dn);
    out.push('\n');
}

/// One user or trusted certificate: its subject, and with `-complete` what each release
/// prints after it.
fn certificate(
    out: &mut String,
    wallet: &Wallet,
    index: usize,
    alias: &str,
    release: Release,
    complete: bool,
    trusted: bool,
) {
    let Item::Certificate(der) = &wallet.entries[index].item else {
        return;
    };
    if complete && release == Release::R23ai {
        out.push_str(&format!("Alias:          {alias}\n"));
    }
    subject_line(out, &certs::subject_of(der));
    // orapki prints a trusted certificate's flags (never a user certificate's): 19c and
    // every summary right after the subject, 23ai's -complete after the details' blank line.
    let flags = if trusted {
        trust_flags_line(wallet, index)
    } else {
        String::new()
    };
    let flags_after_details = complete && release == Release::R23ai;
    if !flags_after_details {
        out.push_str(&flags);
    }
    if !complete {
        return;
    }
    let Some(info) = orapki_details(der) else {
        out.push_str(if flags_after_details { &flags } else { "" });
        return;
    };
    match release {
        Release::R23ai => {
            out.push_str(&format!("Issuer:         {}\n", info.issuer));
            out.push_str(&format!("Not Before:     {}\n", info.not_before));
            out.push_str(&format!("Not After:      {}\n", info.not_after));
            out.push_str(&format!("Serial Number:  {}\n", info.serial));
            out.push_str(&format!("Key Length:     {}\n", info.key_length));
            out.push_str(&format!("MD5 digest:     {}\n", info.md5));
            out.push_str(&format!("SHA-256 digest: {}\n", info.sha256));
            out.push_str(&format!("SHA-1 digest:   {}\n", info.sha1));
        }
        Release::R19c => {
            out.push_str(&format!("Issuer:         {}\n", info.issuer));
            out.push_str(&format!("Serial Number:  {}\n", info.serial));
            out.push_str(&format!("Key Length      {}\n", info.key_length));
            out.push_str(&format!("MD5 digest:     {}\n", info.md5));
            out.push_str(&format!("SHA digest:     {}\n", info.sha1));
        }
    }
    out.push('\n');
    if flags_after_details {
        out.push_str(&flags);
    }
}

/// `Trust Flags:    SERVER_AUTH,CLIENT_AUTH` for a trusted certificate whose localKeyId
/// carries flags; empty without flags (orapki looks the flags up for certificate entries
/// only, never for a user certificate, and skips an empty value).
fn trust_flags_line(wallet: &Wallet, index: usize) -> String {
    let flags = wallet.entries[index].trust_flags();
    if flags.is_empty() {
        return String::new();
    }
    format!("Trust Flags:    {}\n", flags.orapki_text())
}

/// A certificate's fields in orapki's `-complete` spelling.
struct OrapkiDetails {
    issuer: String,
    not_before: String,
    not_after: String,
    serial: String,
    key_length: u32,
    md5: String,
    sha256: String,
    sha1: String,
}

fn orapki_details(der_bytes: &[u8]) -> Option<OrapkiDetails> {
    use der::Decode;
    use sha2::Digest as _;
    let cert = x509_cert::Certificate::from_der(der_bytes).ok()?;
    let tbs = cert.tbs_certificate();
    let validity = tbs.validity();
    Some(OrapkiDetails {
        issuer: crate::pki::name::to_rfc2253(tbs.issuer()),
        not_before: java_date(&validity.not_before),
        not_after: java_date(&validity.not_after),
        serial: colon_hex(tbs.serial_number().as_bytes()),
        key_length: keys::describe_spki(tbs.subject_public_key_info())
            .1
            .unwrap_or(0),
        md5: colon_hex(&<md5::Md5 as md5::Digest>::digest(der_bytes)),
        sha256: colon_hex(&sha2::Sha256::digest(der_bytes)),
        sha1: colon_hex(&sha1::Sha1::digest(der_bytes)),
    })
}

/// Upper-case hex pairs joined by colons: `08:3B:E0`.
fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Java's `Date.toString()` in UTC, which orapki prints: `Thu Dec 26 02:26:19 UTC 2019`.
/// (orapki 23ai sets its time zone to UTC; 19c uses the JVM's, UTC on servers set so.)
fn java_date(time: &x509_cert::time::Time) -> String {
    let secs = time.to_unix_duration().as_secs() as i64;
    let format = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
    );
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| time.to_string())
}

/// What an alias of orapki's key store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Listed {
    /// A private key (or a request without one) with its user certificate and request.
    Identity {
        key: Option<usize>,
        cert: Option<usize>,
        request: Option<usize>,
    },
    Trusted(usize),
}

struct AliasEntry {
    alias: String,
    what: Listed,
}

/// The wallet's entries in the order orapki lists them, with orapki's aliases.
///
/// orapki keeps a wallet's entries in a `java.util.Hashtable` keyed by alias (the
/// friendlyName, else `CN=<common name>`) sized keys + certificates, filled keys first,
/// then requests without a key, then trusted certificates, and lists them in that
/// table's iteration order. [`JavaHashtable`] reproduces that order.
fn orapki_order(wallet: &Wallet) -> Vec<AliasEntry> {
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
                && super::model::same_id(
                    other.local_key_id.as_deref(),
                    entry.local_key_id.as_deref(),
                );
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
mod collation {
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

/// Requests whose key has no user certificate yet (orapki lists only those).
pub fn pending_requests(wallet: &Wallet) -> Vec<usize> {
    wallet
        .indices_where(|item| matches!(item, Item::CertificateRequest(_)))
        .into_iter()
        .filter(|&i| {
            let Some(spki) = (match &wallet.entries[i].item {
                Item::CertificateRequest(d) => super::model::request_spki(d),
                _ => None,
            }) else {
                return true;
            };
            !wallet
                .user_cert_indices()
                .iter()
                .any(|&u| match &wallet.entries[u].item {
                    Item::Certificate(der) => cert_spki(der).as_deref() == Some(&spki[..]),
                    _ => false,
                })
        })
        .collect()
}

fn cert_spki(der_bytes: &[u8]) -> Option<Vec<u8>> {
    use der::{Decode, Encode};
    x509_cert::Certificate::from_der(der_bytes)
        .ok()?
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .ok()
}

// The JSON report (`wallet display --json`) lives in its own file.
pub use super::report::*;

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

    #[test]
    fn dates_and_hex_are_orapkis() {
        use der::Decode;
        // UTCTime 191226022619Z, as in raghuthota-adb-2019's user certificate.
        let t = x509_cert::time::Time::from_der(
            &hex::decode("170d3139313232363032323631395a").unwrap(),
        )
        .unwrap();
        assert_eq!(java_date(&t), "Thu Dec 26 02:26:19 UTC 2019");
        assert_eq!(colon_hex(&[0x08, 0x3b, 0x00]), "08:3B:00");
        assert_eq!(colon_hex(&[0]), "00");
    }
}
