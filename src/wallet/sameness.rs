//! Whether a wallet on disk already holds what a command would write, and which entries a
//! change adds, removes or modifies.
//!
//! Every write of a PKCS#12 draws new salts, so two writes of the same wallet never have
//! the same bytes: sameness is decided on the decoded content instead. A file is the same
//! when it opens with the password (or, for `cwallet.sso`, as the same kind and binding),
//! has a MAC, was encrypted with the parameters the writer would use, and holds the same
//! entries, attributes and order. Such a file is not rewritten.

use std::path::Path;

use super::certs;
use super::model::{Entry, Item, Wallet};
use super::p12;
use super::sso::{self, LocalBinding, LocalFormat, SsoKind};
use crate::changes::{self, EntryAction};
use crate::secret::Password;

/// Whether `path` is an `ewallet.p12` that `password` opens and that holds `wallet` as a
/// write would leave it. Also gives back what it held, for the entry diff.
pub fn p12_matches(path: &Path, wallet: &Wallet, password: &Password) -> (bool, Option<Wallet>) {
    let Some(bytes) = read(path) else {
        return (false, None);
    };
    let Ok(decoded) = p12::read(&bytes, password.as_bytes()) else {
        return (false, None);
    };
    let same = decoded.mac.is_some()
        && decoded.wallet.profile == wallet.profile.writable()
        && same_entries(&decoded.wallet, wallet);
    (same, Some(decoded.wallet))
}

/// Whether `path` is a `cwallet.sso` of `kind` (bound to `local`'s identity in `local`'s
/// header format, for a local one) that holds the entries of `wallet`.
pub fn sso_matches(
    path: &Path,
    wallet: &Wallet,
    kind: SsoKind,
    local: Option<&LocalBinding>,
) -> (bool, Option<Wallet>) {
    let Some(bytes) = read(path) else {
        return (false, None);
    };
    let Ok(decoded) = sso::read(&bytes, local.map(|b| &b.identity)) else {
        return (false, None);
    };
    let format_same = match local {
        Some(binding) => LocalFormat::of(&decoded.header) == binding.format,
        None => true,
    };
    let same = decoded.header.kind_byte == kind.byte()
        && format_same
        && same_entries(&decoded.pkcs12.wallet, wallet);
    (same, Some(decoded.pkcs12.wallet))
}

fn read(path: &Path) -> Option<Vec<u8>> {
    if !path.symlink_metadata().ok()?.is_file() {
        return None;
    }
    crate::limits::read_file(path, crate::limits::MAX_WALLET_FILE, "wallet files").ok()
}

/// Same entries in the same order with the same attributes.
pub fn same_entries(a: &Wallet, b: &Wallet) -> bool {
    a.entries.len() == b.entries.len()
        && a.entries
            .iter()
            .zip(&b.entries)
            .all(|(x, y)| same_entry(x, y))
}

fn same_entry(a: &Entry, b: &Entry) -> bool {
    a.friendly_name == b.friendly_name
        && a.local_key_id == b.local_key_id
        && a.other_attributes == b.other_attributes
        && same_item(&a.item, &b.item)
}

fn same_item(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::PrivateKey(x), Item::PrivateKey(y)) => x.as_slice() == y.as_slice(),
        (Item::Certificate(x), Item::Certificate(y)) => x == y,
        (Item::CertificateRequest(x), Item::CertificateRequest(y)) => x == y,
        (
            Item::Secret {
                type_id: t1,
                alias: a1,
                value: v1,
            },
            Item::Secret {
                type_id: t2,
                alias: a2,
                value: v2,
            },
        ) => t1 == t2 && a1 == a2 && v1.as_str() == v2.as_str(),
        (
            Item::Opaque {
                bag_id: b1,
                value: v1,
            },
            Item::Opaque {
                bag_id: b2,
                value: v2,
            },
        ) => b1 == b2 && v1 == v2,
        _ => false,
    }
}

/// What identifies an entry across a change: the certificate, request or key itself, a
/// secret's alias (so a new value is a modification, not a removal and an addition).
fn identity(entry: &Entry) -> Vec<u8> {
    match &entry.item {
        Item::PrivateKey(der) => [b"k".as_slice(), der].concat(),
        Item::Certificate(der) => [b"c".as_slice(), der].concat(),
        Item::CertificateRequest(der) => [b"r".as_slice(), der].concat(),
        Item::Secret { alias, .. } => [b"s".as_slice(), alias.as_bytes()].concat(),
        Item::Opaque { bag_id, value } => [b"o".as_slice(), bag_id.as_bytes(), value].concat(),
    }
}

/// Records (see [`crate::changes`]) every entry `after` adds to `before`, removes from it
/// or holds changed (a secret's value, a certificate's trust flags or friendly name).
/// With no `before` (a new wallet) every entry is added.
pub fn record_entry_changes(dir: &Path, before: Option<&Wallet>, after: &Wallet) {
    let empty = Wallet::new(after.profile);
    let before = before.unwrap_or(&empty);
    let ids_before: Vec<Vec<u8>> = before.entries.iter().map(identity).collect();
    let ids_after: Vec<Vec<u8>> = after.entries.iter().map(identity).collect();
    for (i, id) in ids_before.iter().enumerate() {
        match ids_after.iter().position(|x| x == id) {
            None => {
                let (kind, name) = describe(before, i);
                changes::entry(dir, EntryAction::Removed, kind, name);
            }
            Some(j) if !same_entry(&before.entries[i], &after.entries[j]) => {
                let (kind, name) = describe(after, j);
                changes::entry(dir, EntryAction::Modified, kind, name);
            }
            Some(_) => {}
        }
    }
    for (j, id) in ids_after.iter().enumerate() {
        if !ids_before.contains(id) {
            let (kind, name) = describe(after, j);
            changes::entry(dir, EntryAction::Added, kind, name);
        }
    }
}

/// The kind of entry `i` and the name it is known by (never a secret value).
pub fn describe(wallet: &Wallet, i: usize) -> (&'static str, String) {
    match &wallet.entries[i].item {
        Item::Certificate(der) if wallet.is_user_certificate(i) => {
            ("user-certificate", certs::subject_of(der))
        }
        Item::Certificate(der) => ("trusted-certificate", certs::subject_of(der)),
        Item::CertificateRequest(der) => ("request", certs::request_subject(der)),
        Item::PrivateKey(_) => {
            let subject = wallet
                .certificate_of_pair(i)
                .or_else(|| wallet.request_of_pair(i))
                .and_then(|j| match &wallet.entries[j].item {
                    Item::Certificate(der) => Some(certs::subject_of(der)),
                    Item::CertificateRequest(der) => Some(certs::request_subject(der)),
                    _ => None,
                })
                .unwrap_or_default();
            ("private-key", subject)
        }
        Item::Secret { alias, .. } => ("secret", alias.clone()),
        Item::Opaque { bag_id, .. } => ("other", bag_id.to_string()),
    }
}
