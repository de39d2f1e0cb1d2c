//! Integration tests: one test binary, one module per area. Every test drives the real
//! `orakit` binary or feeds its output to an independent reader (openssl, keytool,
//! walletcheck.py, the real Oracle fixtures).

mod support;

mod cli_basics;
mod fleet_common;
mod fleet_interop;
mod fleet_renew;
mod fleet_resume;
mod net_check;
mod net_generate;
mod net_parser;
mod net_update;
mod pki_errors;
mod pki_helpers;
mod pki_interop;
mod pki_openssl_inputs;
mod pki_oracle_fixtures;
mod pki_secrets;
mod pki_show;
mod wallet_bad_input;
mod wallet_cli;
mod wallet_common;
mod wallet_credentials;
mod wallet_fixtures;
mod wallet_foreign;
mod wallet_interop;
mod wallet_keys;
mod wallet_local;
mod wallet_local_write;
mod wallet_roundtrip;
mod wallet_secrets;
