//! mkstore's secure external password store (wallet-formats.md §3.5): a stored database
//! credential N is three secret-store entries
//! `oracle.security.client.connect_string<N>`, `…username<N>` and `…password<N>`.
//!
//! N is the lowest number from 1 up that no credential alias uses yet, so it may have
//! several digits. New entries get the next kind-6 localKeyIds and go in front of the
//! existing secrets, which keeps the bag order descending by index as mkstore writes it
//! (connect string, user name, password). Changing or deleting a credential touches only
//! its own entries; every other bag is written back unchanged.

use zeroize::Zeroizing;

use super::model::{Item, ModelError, Wallet};

pub const CONNECT_STRING_PREFIX: &str = "oracle.security.client.connect_string";
pub const USERNAME_PREFIX: &str = "oracle.security.client.username";
pub const PASSWORD_PREFIX: &str = "oracle.security.client.password";

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "a credential for connect string {0:?} already exists; change it with `orakit wallet credential modify`"
    )]
    Exists(String),
    #[error(
        "no credential for connect string {0:?}; `orakit wallet credential list` shows the stored ones"
    )]
    NotFound(String),
    #[error("the {0} must not be empty")]
    Empty(&'static str),
    #[error("credential {index} is incomplete: its {missing} entry is missing")]
    Incomplete { index: u32, missing: &'static str },
    #[error("{0}")]
    Model(#[from] ModelError),
}

/// One stored credential. The password is zeroized on drop and redacted from Debug.
#[derive(Clone)]
pub struct Credential {
    /// N in the aliases.
    pub index: u32,
    pub connect_string: String,
    pub username: String,
    pub password: Zeroizing<String>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("index", &self.index)
            .field("connect_string", &self.connect_string)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

fn alias(prefix: &str, index: u32) -> String {
    format!("{prefix}{index}")
}

/// N when `alias` is `<prefix>N` with a decimal N (no sign, no leading zeros).
fn index_of(alias: &str, prefix: &str) -> Option<u32> {
    let digits = alias.strip_prefix(prefix)?;
    let valid = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'));
    if valid { digits.parse().ok() } else { None }
}

/// Which credential N an alias belongs to, if it is one of the three credential aliases.
pub fn credential_index(alias: &str) -> Option<u32> {
    [CONNECT_STRING_PREFIX, USERNAME_PREFIX, PASSWORD_PREFIX]
        .iter()
        .find_map(|p| index_of(alias, p))
}

fn secrets(wallet: &Wallet) -> impl Iterator<Item = (&str, &str)> {
    wallet.entries.iter().filter_map(|e| match &e.item {
        Item::Secret { alias, value, .. } => Some((alias.as_str(), value.as_str())),
        _ => None,
    })
}

/// The stored credentials, by N. An N with only some of its three entries is listed
/// with the parts it has (empty strings for the missing ones).
pub fn credentials(wallet: &Wallet) -> Vec<Credential> {
    let mut found: Vec<Credential> = Vec::new();
    for (alias, value) in secrets(wallet) {
        let Some(index) = credential_index(alias) else {
            continue;
        };
        let at = match found.iter().position(|c| c.index == index) {
            Some(at) => at,
            None => {
                found.push(Credential {
                    index,
                    connect_string: String::new(),
                    username: String::new(),
                    password: Zeroizing::new(String::new()),
                });
                found.len() - 1
            }
        };
        let c = &mut found[at];
        if index_of(alias, CONNECT_STRING_PREFIX).is_some() {
            c.connect_string = value.to_owned();
        } else if index_of(alias, USERNAME_PREFIX).is_some() {
            c.username = value.to_owned();
        } else {
            c.password = Zeroizing::new(value.to_owned());
        }
    }
    found.sort_by_key(|c| c.index);
    found
}

/// Whether the wallet holds at least one stored credential (a client `sqlnet.ora` then
/// needs `SQLNET.WALLET_OVERRIDE = TRUE` for `/@alias` logins to use it).
pub fn has_credentials(wallet: &Wallet) -> bool {
    secrets(wallet).any(|(alias, _)| index_of(alias, CONNECT_STRING_PREFIX).is_some())
}

/// N of the credential stored for exactly this connect string.
pub fn find(wallet: &Wallet, connect_string: &str) -> Option<u32> {
    secrets(wallet).find_map(|(alias, value)| {
        index_of(alias, CONNECT_STRING_PREFIX).filter(|_| value == connect_string)
    })
}

fn check_not_empty(
    connect_string: &str,
    username: &str,
    password: &str,
) -> Result<(), CredentialError> {
    if connect_string.is_empty() {
        return Err(CredentialError::Empty("connect string"));
    }
    if username.is_empty() {
        return Err(CredentialError::Empty("user name"));
    }
    if password.is_empty() {
        return Err(CredentialError::Empty("password"));
    }
    Ok(())
}

/// Stores a new credential (mkstore `-createCredential`); returns its N.
pub fn add(
    wallet: &mut Wallet,
    connect_string: &str,
    username: &str,
    password: &str,
) -> Result<u32, CredentialError> {
    check_not_empty(connect_string, username, password)?;
    if find(wallet, connect_string).is_some() {
        return Err(CredentialError::Exists(connect_string.to_owned()));
    }
    let used: Vec<u32> = secrets(wallet)
        .filter_map(|(alias, _)| credential_index(alias))
        .collect();
    let index = (1..=u32::MAX)
        .find(|n| !used.contains(n))
        .expect("fewer than u32::MAX credentials");
    // Each add goes in front of the secrets, so adding the password first leaves the
    // order connect string, user name, password with descending localKeyId indices.
    wallet.add_secret(&alias(PASSWORD_PREFIX, index), password)?;
    wallet.add_secret(&alias(USERNAME_PREFIX, index), username)?;
    wallet.add_secret(&alias(CONNECT_STRING_PREFIX, index), connect_string)?;
    Ok(index)
}

/// Replaces the user name (when given) and the password of the credential stored for
/// `connect_string` (mkstore `-modifyCredential`); returns its N.
pub fn modify(
    wallet: &mut Wallet,
    connect_string: &str,
    username: Option<&str>,
    password: &str,
) -> Result<u32, CredentialError> {
    check_not_empty(connect_string, username.unwrap_or("-"), password)?;
    let index = find(wallet, connect_string)
        .ok_or_else(|| CredentialError::NotFound(connect_string.to_owned()))?;
    let password_alias = alias(PASSWORD_PREFIX, index);
    let username_alias = alias(USERNAME_PREFIX, index);
    if wallet.secret(&password_alias).is_none() {
        return Err(CredentialError::Incomplete {
            index,
            missing: "password",
        });
    }
    if let Some(username) = username {
        if wallet.secret(&username_alias).is_none() {
            return Err(CredentialError::Incomplete {
                index,
                missing: "user name",
            });
        }
        wallet.set_secret(&username_alias, username);
    }
    wallet.set_secret(&password_alias, password);
    Ok(index)
}

/// Removes the credential stored for `connect_string` (mkstore `-deleteCredential`):
/// all three of its entries. Returns its N.
pub fn delete(wallet: &mut Wallet, connect_string: &str) -> Result<u32, CredentialError> {
    let index = find(wallet, connect_string)
        .ok_or_else(|| CredentialError::NotFound(connect_string.to_owned()))?;
    for prefix in [CONNECT_STRING_PREFIX, USERNAME_PREFIX, PASSWORD_PREFIX] {
        wallet.remove_secret(&alias(prefix, index));
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::model::Profile;

    #[test]
    fn aliases_parse_only_plain_decimal_suffixes() {
        assert_eq!(
            credential_index("oracle.security.client.password12"),
            Some(12)
        );
        assert_eq!(
            credential_index("oracle.security.client.username1"),
            Some(1)
        );
        assert_eq!(credential_index("oracle.security.client.username"), None);
        assert_eq!(credential_index("oracle.security.client.username01"), None);
        assert_eq!(
            credential_index("oracle.security.client.default_username"),
            None
        );
        assert_eq!(credential_index("a@#3#@b"), None);
    }

    #[test]
    fn the_next_number_is_the_lowest_free_one_and_may_have_two_digits() {
        let mut w = Wallet::new(Profile::three_des());
        for i in 1..=10 {
            assert_eq!(add(&mut w, &format!("db{i}"), "u", "p").unwrap(), i);
        }
        assert!(has_credentials(&w));
        assert_eq!(find(&w, "db10"), Some(10));
        delete(&mut w, "db3").unwrap();
        assert_eq!(add(&mut w, "again", "u", "p").unwrap(), 3);
        assert_eq!(add(&mut w, "eleven", "u", "p").unwrap(), 11);
        assert!(matches!(
            add(&mut w, "db1", "x", "y"),
            Err(CredentialError::Exists(_))
        ));
    }
}
