//! Integration tests: one test binary, one module per area. Every test drives the real
//! `orakit` binary or feeds its output to an independent reader (openssl, keytool,
//! walletcheck.py, the real Oracle fixtures).

mod support;

mod cli_basics;

mod net_check;
mod net_generate;
mod net_parser;
mod net_update;
