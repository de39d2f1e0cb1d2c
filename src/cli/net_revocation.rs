//! The `net sqlnet` options for certificate revocation: `--cert-revocation`,
//! `--crl-path`, `--crl-file` (src/net/revocation.rs writes the lines).

use clap::{Args, ValueEnum};

use crate::net::revocation::{Revocation, RevocationMode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RevocationArg {
    /// No check (Oracle's default).
    None,
    /// Check when a CRL is found.
    Requested,
    /// Refuse a certificate without a CRL.
    Required,
}

/// Where CRLs are and whether Oracle must check them.
#[derive(Debug, Clone, Default, Args)]
pub struct RevocationArgs {
    /// SSL_CERT_REVOCATION (TLS_CERT_REVOCATION from 19.30): check peer certificates against CRLs.
    #[arg(long, value_enum, value_name = "MODE")]
    pub cert_revocation: Option<RevocationArg>,
    /// SSL_CRL_PATH: a directory of hash-named CRLs (publish them with `orakit crl hash --dir`).
    #[arg(long, value_name = "DIR")]
    pub crl_path: Option<String>,
    /// SSL_CRL_FILE: one file of concatenated PEM CRLs.
    #[arg(long, value_name = "FILE")]
    pub crl_file: Option<String>,
}

impl RevocationArgs {
    pub fn model(&self) -> Revocation {
        Revocation {
            mode: self.cert_revocation.map(|m| match m {
                RevocationArg::None => RevocationMode::None,
                RevocationArg::Requested => RevocationMode::Requested,
                RevocationArg::Required => RevocationMode::Required,
            }),
            crl_path: self.crl_path.clone(),
            crl_file: self.crl_file.clone(),
        }
    }
}
