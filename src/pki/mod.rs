//! Keys, distinguished names, certificates, CSRs and signing: everything OpenSSL does in
//! the self-signed Oracle TLS workflow.
//!
//! The API, in the order of that workflow:
//!
//! - [`key::PrivateKey`]: `generate(KeySpec)`, `from_pem_or_der(&[u8], Option<&Password>)`
//!   (PKCS#8 plain or encrypted, PKCS#1, SEC1; PEM or DER), `is_encrypted(&[u8])`,
//!   `to_pkcs8_der()`, `to_pkcs8_pem(Option<&Password>)`, `public_key_info()`, `spec()`,
//!   `description()`, `matches(&spki)`, `signer()`.
//! - [`name::parse_dn`] (`CN=host, OU=Unit, O=Company, C=US`, RFC 4514 escapes) and
//!   [`name::to_rfc2253`] (how orapki prints names).
//! - [`san::SanEntry::parse`] (`DNS:x`, `IP:x`, or bare).
//! - [`ca::create_self_signed_ca`]`(&PrivateKey, &Name, days) -> Certificate`.
//! - [`csr::create_csr`]`(&PrivateKey, &Name, &[SanEntry]) -> Csr`,
//!   [`csr::Csr::from_pem_or_der`], [`csr::Csr::verify`] / [`csr::verify_csr`].
//! - [`issue::issue_certificate`]`(&IssueRequest) -> Issued { certificate, warnings, .. }`.
//! - [`cert::read_certificates`] / [`cert::read_certificate`] / [`cert::to_pem`].
//! - [`serial`]: random serials and OpenSSL-style serial files.
//! - [`show`]: the data `orakit cert show` prints.
//! - [`signer::KeySigner`]: the one signing abstraction, usable with x509-cert builders.
//!
//! Errors are [`Error`]; messages never name files (the caller adds that) and never
//! contain a password.
//!
//! ```
//! use orakit::pki::{ca, csr, issue, key, name, profile, san};
//!
//! let ca_key = key::PrivateKey::generate(key::KeySpec::Ec { curve: key::Curve::P256 })?;
//! let ca_cert = ca::create_self_signed_ca(&ca_key, &name::parse_dn("CN=Example Root CA, O=Example")?, 3650)?;
//! let server_key = key::PrivateKey::generate(key::KeySpec::Ec { curve: key::Curve::P256 })?;
//! let request = csr::create_csr(
//!     &server_key,
//!     &name::parse_dn("CN=db1.example.com, O=Example")?,
//!     &[san::SanEntry::parse("db1.example.com")?],
//! )?;
//! let issued = issue::issue_certificate(&issue::IssueRequest {
//!     csr: &request,
//!     ca_cert: &ca_cert,
//!     ca_key: &ca_key,
//!     profile: profile::Profile::Server,
//!     extra_sans: &[],
//!     days: 365,
//!     serial: None,
//! })?;
//! assert!(issued.warnings.is_empty());
//! # Ok::<(), orakit::pki::Error>(())
//! ```

pub mod ca;
pub mod cert;
pub mod cert_create;
pub mod crl;
pub mod crl_build;
pub mod crl_hash;
pub mod crl_text;
pub mod csr;
pub mod decimal;
mod error;
pub mod issue;
pub mod jks;
pub mod key;
pub mod name;
pub(crate) mod oid;
pub mod orapki_serial;
pub mod orapki_text;
pub(crate) mod pem;
pub mod pkcs7;
pub mod profile;
mod raw;
pub mod rerun;
pub mod san;
pub mod self_signed;
pub mod serial;
pub mod show;
pub mod signer;

pub use error::{Error, Result};
pub use x509_cert::Certificate;
pub use x509_cert::name::Name;
