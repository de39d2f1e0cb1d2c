//! The names orakit keeps for itself at the top of a fleet's output directory. A leaf
//! module: the host list checks hosts against them, the state and summary write them.

/// The completion marker inside each complete host directory.
pub const MARKER: &str = ".orakit-complete";
/// Where hosts are written before they are renamed into place.
pub const STAGING: &str = ".orakit-staging";
/// The run's summary (JSON), rewritten at the end of every run; never a host's name.
pub const SUMMARY: &str = "summary.json";
/// The spool of host reports behind the summary (a dot name: never a host's).
pub const SPOOL: &str = ".orakit-reports.jsonl";
/// The client (AWS DMS) wallet of a run with brought certificates (`--bring`): it trusts
/// every root the fleet's servers chain to; never a host's name.
pub const CLIENT_WALLET: &str = "client-wallet";
