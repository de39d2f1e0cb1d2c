//! Oracle wallets: `ewallet.p12`, `cwallet.sso` and the directory that holds them.
//!
//! - [`model`]: what a wallet holds (entries in file order, encryption profile).
//! - [`p12`]: the PKCS#12 reader and Oracle-layout writer; its cryptography is [`crate::pbe`].
//! - [`sso`]: the auto-login container around a PKCS#12.
//! - [`store`]: a wallet directory: open, lock, write both files together.
//! - [`display`]: the orapki-like text listing and the JSON report.
//! - [`credential`]: mkstore's stored database credentials (secret-store entries).
//! - [`pem`]: `ewallet.pem` for thin-mode drivers.

pub mod asn1;
pub mod certs;
pub mod chain;
pub mod commit;
pub mod config_marker;
pub mod credential;
pub mod display;
pub mod foreign;
pub mod import;
pub mod keys;
pub mod local_key_id;
pub mod model;
pub mod p12;
pub mod pem;
pub mod report;
pub mod sameness;
pub mod sso;
pub mod store;
pub mod trust;
pub mod user_credential;
