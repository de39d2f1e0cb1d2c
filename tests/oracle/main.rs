//! The Oracle interop ring (issue 12): orakit's files meet Oracle's own orapki, mkstore and
//! JDBC thin driver, both ways, for each release in `peers::RELEASES`. One test binary so
//! `cargo test` prints the ring's case count and pass count on a line of its own. Peers come
//! from `scripts/oracle-peers.sh`; a missing peer fails, never skips.

#[path = "../it/byo_chain.rs"]
mod byo_chain;
#[path = "../it/support.rs"]
mod support;
#[path = "../it/trust_bundle_certs.rs"]
mod trust_bundle_certs;

mod oracle_view;
mod peers;
mod rw_support;
mod tls_support;

mod byo;
mod cert_create;
mod contract;
mod crl;
mod display;
mod dropin;
mod dropin_jdbc;
mod dropin_jks;
mod dropin_options;
mod dropin_secretstore;
mod dropin_selectors;
mod edits;
mod formats;
mod lifecycle;
mod locking;
mod mtls;
mod oracle_changes;
mod oracle_writes;
mod orakit_writes;
mod parity;
mod rotate;
mod same_structure;
mod smoke;
mod tls_jdbc;
mod trust_bundle;
