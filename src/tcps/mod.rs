//! The self-signed TCPS workflow (the AWS DMS "SSL support for an Oracle endpoint"
//! procedure) as library functions, none of which prints, prompts or reads the
//! environment:
//!
//! - [`server`]: one host's server material from a CA, with no file system access:
//!   [`server::issue_server_identity`] (key → signed certificate in a wallet), shared by
//!   `tcps init` ([`server::build_server_bundle`]) and `tcps issue` (`crate::fleet`).
//! - [`client`]: the trust-only client wallet (auto-login-only `cwallet.sso` plus
//!   `ewallet.pem`) and the client's `sqlnet.ora` / `tnsnames.ora`.
//! - [`chain`]: ordering and checking a CA bundle (names and signatures) for `dms wallet`.
//! - [`init`]: everything `tcps init` makes, planned in memory.
//! - [`layout`]: the output directory, written to a sibling temporary directory and
//!   renamed into place so a failure never leaves a partial directory.
//! - [`summary`]: what was made, expiry dates and the next steps.
//! - [`renew`]: a new server certificate for an existing output (`tcps renew`); its
//!   pieces are shared by `tcps issue --renew-within` and [`rotate`].
//! - [`ca_store`]: a CA directory (`ca.pem`, `ca.key` plain or encrypted), read and written.
//! - [`rotate`]: the phased root rotation (`tcps rotate-root`), editing trust with
//!   [`trust_edit`].
//! - [`byo`]: `tcps init` and `tcps issue --bring` with a server certificate issued
//!   elsewhere (no CA of ours); [`renew_brought`] puts a new brought one in its place.
//! - [`client_auth`]: mutual TLS, client identities and their wallets (`--client-auth`).
//! - [`server_net`]: the server's `.ora` files for those two.

pub mod byo;
pub mod ca_store;
pub mod chain;
pub mod client;
pub mod client_auth;
pub mod init;
pub mod layout;
pub mod renew;
pub mod renew_brought;
pub mod rerun;
pub mod rotate;
pub mod server;
pub mod server_net;
pub mod summary;
pub mod trust_edit;

use crate::fsio::WriteError;
use crate::net::GenerateError;
use crate::wallet::model::ModelError;
use crate::wallet::store::StoreError;

/// Everything that can go wrong in [`crate::tcps`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Pki(#[from] crate::pki::Error),
    #[error("building the wallet: {0}")]
    Wallet(#[from] ModelError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Net(#[from] GenerateError),
    #[error("{0}")]
    Write(#[from] WriteError),
    #[error("{0}")]
    Chain(#[from] chain::ChainError),
    #[error("{0}")]
    Layout(String),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
