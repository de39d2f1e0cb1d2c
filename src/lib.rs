//! orakit: Oracle wallets, certificates and Oracle Net TLS (TCPS) configuration in one
//! static binary, without orapki, mkstore, openssl or a JVM.
//!
//! The library does the work and never prints, prompts, reads environment variables or
//! exits; the `orakit` binary (`src/main.rs` and [`cli`]) does all of that.
//!
//! - [`pki`]: keys, distinguished names, certificates, CSRs and signing.
//! - [`wallet`]: Oracle wallets (`ewallet.p12`, `cwallet.sso`, `ewallet.pem`).
//! - [`pbe`]: password-based encryption (PBES2, PKCS#12 PBE and MAC) for wallets and key files.
//! - [`net`]: Oracle Net parameter files (`sqlnet.ora`, `listener.ora`, `tnsnames.ora`).
//! - [`probe`]: a live TLS handshake with a TCPS listener and the DMS SSL-mode verdicts.
//! - [`doctor`]: what in an Oracle Net setup and its wallet would break TLS, and why.
//! - [`fleet`]: server wallets for many hosts from one CA (`tcps issue`).
//! - [`secret`]: the zeroized, redacted [`secret::Password`] type.
//! - [`fsio`]: atomic, permission-exact file writing.

pub mod changes;
pub mod cli;
pub mod doctor;
pub mod expiry;
pub mod filelock;
pub mod fleet;
pub mod fsdir;
pub mod fsio;
pub mod limits;
pub mod net;
pub mod pbe;
pub mod pki;
pub mod probe;
pub mod sameness;
pub mod secret;
pub mod tcps;
pub mod text;
pub mod wallet;
