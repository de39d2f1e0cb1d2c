//! Integration tests: one test binary, one module per area. Every test drives the real
//! `orakit` binary or feeds its output to an independent reader (openssl, keytool,
//! walletcheck.py, the real Oracle fixtures).

mod support;

mod cli_basics;
mod pki_errors;
mod pki_helpers;
mod pki_interop;
mod pki_openssl_inputs;
mod pki_oracle_fixtures;
mod pki_secrets;
mod pki_show;
