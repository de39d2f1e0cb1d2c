//! Secrets in memory: passwords that are wiped on drop and never printed.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

/// A password or passphrase.
///
/// The bytes are wiped when the value is dropped, and `Debug` never shows them, so a
/// `Password` can sit inside any struct that derives `Debug` without leaking into logs.
/// Where it came from (prompt, file, environment variable) is the binary's business:
/// the library only ever receives a finished `Password`.
#[derive(Clone, Default)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps a password. The caller's `String` is moved in, so no other copy remains.
    pub fn new(password: String) -> Self {
        Self(Zeroizing::new(password))
    }

    /// Builds a password from bytes that must be UTF-8 (every Oracle wallet password is).
    /// On failure the bytes are wiped before the error is returned.
    pub fn from_utf8(bytes: Vec<u8>) -> Result<Self, NotUtf8> {
        String::from_utf8(bytes).map(Self::new).map_err(|e| {
            e.into_bytes().zeroize();
            NotUtf8
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of characters (not bytes), as password rules count them.
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A password that is not valid UTF-8. It carries no bytes of the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the password is not valid UTF-8")]
pub struct NotUtf8;

impl PartialEq for Password {
    /// Constant-time in the length of the shorter input is not needed here: passwords are
    /// compared only to confirm a prompt, never to authenticate anyone.
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes() == other.0.as_bytes()
    }
}

impl Eq for Password {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_contains_the_password() {
        let p = Password::new("hunter2-secret".to_owned());
        let shown = format!("{p:?} {:?}", Some(&p));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn invalid_utf8_is_rejected_without_echoing_the_bytes() {
        let err = Password::from_utf8(vec![b's', 0xff, b'x']).unwrap_err();
        assert_eq!(err, NotUtf8);
    }
}
