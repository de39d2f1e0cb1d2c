//! `orakit probe`: a live TLS handshake with a TCPS listener, and what the four AWS DMS
//! SSL modes (`none`, `require`, `verify-ca`, `verify-full`) would make of it.
//!
//! The handshake accepts any certificate so that the chain is captured even when it would
//! not verify ([`recorder`]); the verdicts are worked out afterwards ([`modes`]) with the
//! same webpki checks rustls itself uses. Network I/O happens here; printing does not.

pub mod dn_match;
pub mod handshake;
pub mod modes;
pub mod recorder;
pub mod target;
pub mod trust;

pub use handshake::{FailureKind, Handshake, HandshakeFailure, run_handshake};
pub use modes::{Expectations, ModeResult, SslMode, Verdict, evaluate};
pub use target::Target;

use std::io;

/// Why a probe could not even start a handshake.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("{0:?} is not HOST:PORT (write an IPv6 address as [ADDR]:PORT)")]
    BadTarget(String),
    #[error("cannot resolve {host}: {source}")]
    Resolve { host: String, source: io::Error },
    #[error("{host} resolves to no address")]
    NoAddress { host: String },
    #[error("cannot connect to {target}: {source} (is the listener up and the port right?)")]
    Connect { target: String, source: io::Error },
    #[error("{0:?} cannot be used as a TLS server name")]
    ServerName(String),
    #[error("cannot set up TLS: {0}")]
    Tls(#[from] rustls::Error),
}
