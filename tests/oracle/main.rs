//! The Oracle interop ring (issue 12): orakit's files meet Oracle's own orapki, mkstore and
//! JDBC thin driver, both ways, for each release in `peers::RELEASES`. One test binary so
//! `cargo test` prints the ring's case count and pass count on a line of its own. Peers come
//! from `scripts/oracle-peers.sh`; a missing peer fails, never skips.

#[path = "../it/support.rs"]
mod support;

mod peers;

mod smoke;

mod tls_jdbc;
mod tls_support;
