//! Fleet issuing (`orakit tcps issue`): one server wallet, certificate and Oracle Net
//! snippets per host of a CSV file, all signed by one CA, built in parallel, resumable.
//!
//! - [`hosts_csv`]: the host list, checked completely before any work starts.
//! - [`host_bundle`]: the pure per-host builder (key, CSR, certificate, wallet bytes,
//!   `.ora` text); no filesystem access, so hosts build in parallel.
//! - [`layout`]: the names orakit reserves in the output directory (summary, marker...).
//! - [`state`]: what is on disk: complete hosts, staged half-written ones, commits.
//! - [`brought`]: hosts with a certificate issued elsewhere (`--bring`).
//! - [`drift`]: a complete host against the host file now, and the CA that issued it.
//! - [`renew`]: which certificates expire soon, and the key a renewal keeps.
//! - [`run`]: the scheduler that spreads hosts over threads and streams results back.
//! - [`summary`]: `summary.json`, spooled to disk host by host.

pub mod brought;
pub mod drift;
pub mod host_bundle;
pub mod hosts_csv;
pub mod layout;
pub mod renew;
pub mod run;
pub mod state;
pub mod summary;
