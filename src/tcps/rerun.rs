//! Whether `tcps init` is being run again on its own output: the same set-up asked for
//! twice. Keys and certificates are new on every plan, so "the same" is judged on what the
//! options decide: the Oracle Net files byte for byte and the subjects and SANs of the CA
//! and server certificates. Such a rerun changes nothing (`--force` makes a new set-up).

use std::path::Path;

use super::init::InitPlan;
use super::layout::MARKER;

/// Whether `out` already holds a `tcps init` output that `planned` would reproduce but for
/// its new keys, certificates and dates.
pub fn already_set_up(out: &Path, planned: &InitPlan) -> bool {
    let Ok(marker) = std::fs::read(out.join(MARKER)) else {
        return false;
    };
    let Ok(existing) = serde_json::from_slice::<serde_json::Value>(&marker) else {
        return false;
    };
    let same_names = existing["ca"]["subject"] == planned.summary.ca.subject.as_str()
        && existing["server"]["subject"] == planned.summary.server.subject.as_str()
        && existing["server"]["subject_alt_names"]
            == serde_json::json!(planned.summary.server.subject_alt_names);
    same_names
        && planned
            .files
            .iter()
            .filter(|f| f.relative.ends_with(".ora"))
            .all(|f| std::fs::read(out.join(&f.relative)).is_ok_and(|bytes| bytes == f.contents))
}
