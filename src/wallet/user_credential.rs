//! mkstore's user credentials (`-createUserCredential map key username password`,
//! `-modifyUserCredential`, `-deleteUserCredential`; 19.x and 23ai alike): one secret-store
//! entry per map and key, as mkstore writes it:
//!
//! - alias `<map>@#3#@<key>`
//! - value `{pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@<username>@#111#@<password>`
//!
//! (observed with both releases' mkstore: `-viewEntry 'mapA@#3#@keyA'` prints
//! `mapA@#3#@keyA = {pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@scott@#111#@tiger123`). New
//! entries get the next kind-6 localKeyId and go in front of the other secrets, as
//! mkstore's; a change touches only its own entry.

use zeroize::Zeroizing;

use super::model::{Item, ModelError, Wallet};

const MAP_KEY_SEPARATOR: &str = "@#3#@";
const TYPE_PREFIX: &str = "{pwd_cred_type}@#4#@";
const EXPIRY_SEPARATOR: &str = "@#5#@";
const PASSWORD_SEPARATOR: &str = "@#111#@";
/// The only expiry mkstore writes.
const NEVER_EXPIRE: &str = "NEVER_EXPIRE";

#[derive(Debug, thiserror::Error)]
pub enum UserCredentialError {
    #[error(
        "a user credential for map {0:?} and key {1:?} already exists; change it with `orakit wallet user-credential modify`"
    )]
    Exists(String, String),
    #[error(
        "no user credential for map {0:?} and key {1:?}; `orakit wallet user-credential list` shows the stored ones"
    )]
    NotFound(String, String),
    #[error("the {0} must not be empty")]
    Empty(&'static str),
    #[error("the {0} must not contain mkstore's separator {1:?}")]
    Separator(&'static str, &'static str),
    #[error("{0}")]
    Model(#[from] ModelError),
}

/// One stored user credential. The password is zeroized on drop and redacted from Debug.
#[derive(Clone)]
pub struct UserCredential {
    pub map: String,
    pub key: String,
    pub username: String,
    /// `NEVER_EXPIRE` for every entry mkstore writes.
    pub expiry: String,
    pub password: Zeroizing<String>,
}

impl std::fmt::Debug for UserCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCredential")
            .field("map", &self.map)
            .field("key", &self.key)
            .field("username", &self.username)
            .field("expiry", &self.expiry)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The secret-store alias of a map and key.
pub fn alias(map: &str, key: &str) -> String {
    format!("{map}{MAP_KEY_SEPARATOR}{key}")
}

fn value(username: &str, password: &str) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "{TYPE_PREFIX}{NEVER_EXPIRE}{EXPIRY_SEPARATOR}{username}{PASSWORD_SEPARATOR}{password}"
    ))
}

/// Reads one entry; `None` when the alias or value is not a user credential.
fn parse(alias: &str, value: &str) -> Option<UserCredential> {
    let (map, key) = alias.split_once(MAP_KEY_SEPARATOR)?;
    let rest = value.strip_prefix(TYPE_PREFIX)?;
    let (expiry, rest) = rest.split_once(EXPIRY_SEPARATOR)?;
    let (username, password) = rest.split_once(PASSWORD_SEPARATOR)?;
    Some(UserCredential {
        map: map.to_owned(),
        key: key.to_owned(),
        username: username.to_owned(),
        expiry: expiry.to_owned(),
        password: Zeroizing::new(password.to_owned()),
    })
}

/// The stored user credentials, in bag order.
pub fn user_credentials(wallet: &Wallet) -> Vec<UserCredential> {
    wallet
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Secret { alias, value, .. } => parse(alias, value),
            _ => None,
        })
        .collect()
}

/// The stored credential for this map and key.
pub fn find(wallet: &Wallet, map: &str, key: &str) -> Option<UserCredential> {
    let wanted = alias(map, key);
    wallet.secret(&wanted).and_then(|v| parse(&wanted, v))
}

fn check(map: &str, key: &str, username: &str, password: &str) -> Result<(), UserCredentialError> {
    for (what, text) in [
        ("map", map),
        ("key", key),
        ("user name", username),
        ("password", password),
    ] {
        if text.is_empty() {
            return Err(UserCredentialError::Empty(what));
        }
    }
    if map.contains(MAP_KEY_SEPARATOR) || key.contains(MAP_KEY_SEPARATOR) {
        let what = if map.contains(MAP_KEY_SEPARATOR) {
            "map"
        } else {
            "key"
        };
        return Err(UserCredentialError::Separator(what, MAP_KEY_SEPARATOR));
    }
    // The user name ends at the first separator when mkstore reads the value back.
    if username.contains(PASSWORD_SEPARATOR) {
        return Err(UserCredentialError::Separator(
            "user name",
            PASSWORD_SEPARATOR,
        ));
    }
    Ok(())
}

/// Stores a new user credential (mkstore `-createUserCredential`).
pub fn add(
    wallet: &mut Wallet,
    map: &str,
    key: &str,
    username: &str,
    password: &str,
) -> Result<(), UserCredentialError> {
    check(map, key, username, password)?;
    let alias = alias(map, key);
    if wallet.secret(&alias).is_some() {
        return Err(UserCredentialError::Exists(map.to_owned(), key.to_owned()));
    }
    wallet.add_secret(&alias, &value(username, password))?;
    Ok(())
}

/// Replaces the user name (when given) and the password of a stored user credential
/// (mkstore `-modifyUserCredential`). mkstore creates the entry when it is missing;
/// orakit refuses instead, so a mistyped map or key is not stored silently.
pub fn modify(
    wallet: &mut Wallet,
    map: &str,
    key: &str,
    username: Option<&str>,
    password: &str,
) -> Result<(), UserCredentialError> {
    let current = find(wallet, map, key)
        .ok_or_else(|| UserCredentialError::NotFound(map.to_owned(), key.to_owned()))?;
    let username = username.unwrap_or(&current.username);
    check(map, key, username, password)?;
    wallet.set_secret(&alias(map, key), &value(username, password));
    Ok(())
}

/// Removes a stored user credential (mkstore `-deleteUserCredential`).
pub fn delete(wallet: &mut Wallet, map: &str, key: &str) -> Result<(), UserCredentialError> {
    if find(wallet, map, key).is_none() {
        return Err(UserCredentialError::NotFound(
            map.to_owned(),
            key.to_owned(),
        ));
    }
    wallet.remove_secret(&alias(map, key));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::model::Profile;

    #[test]
    fn reads_the_value_mkstore_wrote() {
        // `mkstore -viewEntry` of an entry `-createUserCredential mapA keyA scott tiger123` made.
        let c = parse(
            "mapA@#3#@keyA",
            "{pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@scott@#111#@tiger123",
        )
        .unwrap();
        assert_eq!(
            (c.map.as_str(), c.key.as_str(), c.username.as_str()),
            ("mapA", "keyA", "scott")
        );
        assert_eq!(
            (c.expiry.as_str(), c.password.as_str()),
            ("NEVER_EXPIRE", "tiger123")
        );
        assert!(parse("oracle.security.client.password1", "x").is_none());
        assert!(parse("a@#3#@b", "plain secret").is_none());
    }

    #[test]
    fn add_modify_delete_touch_one_entry() {
        let mut w = Wallet::new(Profile::three_des());
        add(&mut w, "m", "k", "scott", "p1").unwrap();
        assert_eq!(
            w.secret("m@#3#@k"),
            Some("{pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@scott@#111#@p1")
        );
        assert!(matches!(
            add(&mut w, "m", "k", "x", "y"),
            Err(UserCredentialError::Exists(..))
        ));
        modify(&mut w, "m", "k", None, "p2").unwrap();
        let c = find(&w, "m", "k").unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("scott", "p2"));
        assert!(matches!(
            modify(&mut w, "m", "other", None, "p"),
            Err(UserCredentialError::NotFound(..))
        ));
        assert!(add(&mut w, "m@#3#@x", "k", "u", "p").is_err());
        delete(&mut w, "m", "k").unwrap();
        assert!(user_credentials(&w).is_empty());
        assert!(delete(&mut w, "m", "k").is_err());
    }
}
