//! The one error type of the PKI module.
//!
//! Messages say what is wrong and how to fix it, but never name files: the caller knows
//! which file it read and adds that. No variant ever carries a password or key bytes.

use thiserror::Error;

/// Everything that can go wrong in [`crate::pki`].
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is neither PEM nor DER of the expected kind.
    #[error("{0}")]
    Unreadable(String),

    /// The input holds a different kind of object than the one asked for
    /// (a certificate where a key was expected, ...).
    #[error("it holds {found}, not {expected}{hint}")]
    WrongKind {
        expected: &'static str,
        found: String,
        hint: &'static str,
    },

    /// The private key is encrypted and no password was given.
    #[error("the private key is encrypted: a password is needed to read it")]
    PasswordNeeded,

    /// Decryption failed: wrong password or a damaged file.
    #[error("cannot decrypt the private key: wrong password, or the file is damaged")]
    WrongPassword,

    /// A key type or parameter orakit does not handle.
    #[error("unsupported key: {0}")]
    UnsupportedKey(String),

    /// A signature algorithm orakit does not handle.
    #[error("unsupported signature algorithm: {0}")]
    UnsupportedSignature(String),

    /// A distinguished name that cannot be parsed.
    #[error("invalid distinguished name {dn:?}: {reason}")]
    InvalidDn { dn: String, reason: String },

    /// A subject alternative name that cannot be used.
    #[error("invalid subject alternative name {value:?}: {reason}")]
    InvalidSan { value: String, reason: String },

    /// The CSR's signature does not verify with the key it carries.
    #[error("its signature does not verify: the request was altered or damaged; make a new one")]
    CsrSignatureInvalid,

    /// The issuer certificate may not sign certificates.
    #[error("the issuer certificate {subject} is not a CA: {reason}")]
    NotACa { subject: String, reason: String },

    /// The CA key is not the key of the CA certificate.
    #[error(
        "the CA key does not match the CA certificate {subject}: give the key the certificate was made from"
    )]
    CaKeyMismatch { subject: String },

    /// The CA certificate has expired (or is not valid yet).
    #[error("the CA certificate {subject} {reason}")]
    CaNotValid { subject: String, reason: String },

    /// A validity period that cannot be made.
    #[error("invalid validity: {0}")]
    InvalidValidity(String),

    /// A serial number (or serial file content) that cannot be used.
    #[error("invalid serial number: {0}")]
    InvalidSerial(String),

    /// Encoding or signing failed inside a library (a bug or resource problem, not bad input).
    #[error("internal error while {context}: {detail}")]
    Internal {
        context: &'static str,
        detail: String,
    },

    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Random,
}

/// Result alias for the PKI module.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Wraps a library error that is not the user's fault.
    pub(crate) fn internal(context: &'static str, detail: impl std::fmt::Display) -> Self {
        Self::Internal {
            context,
            detail: detail.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_message() {
        let all = [
            Error::Unreadable("the file is empty".into()),
            Error::WrongKind {
                expected: "a private key",
                found: "a certificate".into(),
                hint: "",
            },
            Error::PasswordNeeded,
            Error::WrongPassword,
            Error::UnsupportedKey("x".into()),
            Error::UnsupportedSignature("x".into()),
            Error::InvalidDn {
                dn: "x".into(),
                reason: "y".into(),
            },
            Error::InvalidSan {
                value: "x".into(),
                reason: "y".into(),
            },
            Error::CsrSignatureInvalid,
            Error::NotACa {
                subject: "CN=x".into(),
                reason: "y".into(),
            },
            Error::CaKeyMismatch {
                subject: "CN=x".into(),
            },
            Error::CaNotValid {
                subject: "CN=x".into(),
                reason: "expired".into(),
            },
            Error::InvalidValidity("x".into()),
            Error::InvalidSerial("x".into()),
            Error::internal("testing", "x"),
            Error::Random,
        ];
        for e in all {
            assert!(e.to_string().len() > 10, "{e:?}");
        }
    }
}
