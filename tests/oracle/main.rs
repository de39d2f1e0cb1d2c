//! The Oracle interop ring (issue 12): orakit's files meet Oracle's own orapki, mkstore and
//! JDBC thin driver, both ways, for each release in `peers::RELEASES`. One test binary so
//! `cargo test` prints the ring's case count and pass count on a line of its own. Peers come
//! from `scripts/oracle-peers.sh`; a missing peer fails, never skips.

#[path = "../it/support.rs"]
mod support;

mod oracle_view;
mod peers;
mod rw_support;
mod tls_support;

mod contract;
mod display;
mod dropin;
mod edits;
mod formats;
mod lifecycle;
mod locking;
mod oracle_changes;
mod oracle_writes;
mod orakit_writes;
mod parity;
mod same_structure;
mod smoke;
mod tls_jdbc;
