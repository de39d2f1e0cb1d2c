//! Integration tests: one test binary, one module per area. Every test drives the real
//! `orakit` binary or feeds its output to an independent reader (openssl, keytool,
//! walletcheck.py, the real Oracle fixtures).

mod support;

mod cli_basics;
mod cli_names;
mod dms_wallet;
mod doctor_certs;
mod doctor_clean;
mod doctor_setup;
mod doctor_wallet;
mod edits_keep_data;
mod fleet_common;
mod fleet_interop;
mod fleet_renew;
mod fleet_resume;
mod fsattack;
mod harden_bad_inputs;
mod harden_bad_inputs_net;
mod harden_concurrency;
mod harden_crash;
mod harden_fuzz_regressions;
mod harden_limits;
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
mod probe_modes;
mod probe_support;
mod probe_thin_interop;
mod tcps_common;
mod tcps_init;
mod tcps_tls;
mod wallet_bad_input;
mod wallet_cli;
mod wallet_common;
mod wallet_credentials;
mod wallet_first_use;
mod wallet_fixtures;
mod wallet_foreign;
mod wallet_interop;
mod wallet_keys;
mod wallet_local;
mod wallet_local_write;
mod wallet_pem;
mod wallet_roundtrip;
mod wallet_secrets;
