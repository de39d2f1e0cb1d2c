//! The scripting contract (docs/json.md): every JSON document orakit prints carries
//! `"schema_version": 1`; a command that writes adds `"changed"`, `"check"` and the
//! `"changes"` it made (or, with `--check`, would make); with `--json` an error is a JSON
//! document on standard output too. Dates in JSON are RFC 3339 in UTC
//! (`2026-12-02T03:04:05Z`, see [`rfc3339`]).
//!
//! A command that writes takes `--check` ([`CheckArg`]); main reads it (and `--json`)
//! from the parsed command line, so a command file only flattens the argument and prints
//! its JSON through [`print_json`].

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::changes::{self, Change};

/// The version of every JSON document's shape. Raised only when a field changes meaning
/// or goes away; new fields may appear without it.
pub const SCHEMA_VERSION: u32 = 1;

/// `--check` for a command that writes.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct CheckArg {
    /// Show what would change and change nothing (exit 0); with --json, "changed" says
    /// what a real run would do.
    #[arg(long)]
    pub check: bool,
}

static JSON: AtomicBool = AtomicBool::new(false);
static WRITER: AtomicBool = AtomicBool::new(false);
static PRINTED: AtomicBool = AtomicBool::new(false);

/// What main learnt from the command line before running the command.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// `--json` was given.
    pub json: bool,
    /// The command writes (it takes `--check`).
    pub writer: bool,
    /// `--check` was given.
    pub check: bool,
}

/// Reads `--json` and `--check` from the innermost subcommand's parsed arguments.
pub fn mode_of(matches: &clap::ArgMatches) -> Mode {
    let mut m = matches;
    while let Some((_, sub)) = m.subcommand() {
        m = sub;
    }
    let flag = |id: &str| m.try_get_one::<bool>(id).ok().flatten().copied();
    let check = flag("check");
    Mode {
        json: flag("json").unwrap_or(false),
        writer: check.is_some(),
        check: check.unwrap_or(false),
    }
}

/// Sets the run's mode: check mode reaches the write layers ([`crate::changes`]).
pub fn begin(mode: Mode) {
    JSON.store(mode.json, Ordering::SeqCst);
    WRITER.store(mode.writer, Ordering::SeqCst);
    changes::set_check_mode(mode.check);
}

/// Whether errors are to be printed as JSON too: with `--json`, unless the command
/// already printed its document (`tcps issue` prints its summary, then fails for the
/// hosts that failed: one document on standard output, never two).
pub fn json_mode() -> bool {
    JSON.load(Ordering::SeqCst) && !PRINTED.load(Ordering::SeqCst)
}

/// Whether `--json` appears among `args` (before a `--`): for errors clap reports before
/// anything is parsed.
pub fn json_in_args(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json")
}

/// Whether anything was (or in check mode would be) changed.
pub fn changed() -> bool {
    !changes::recorded().is_empty()
}

/// The contract's fields for the document of a command that writes.
fn contract_fields() -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("schema_version".into(), SCHEMA_VERSION.into());
    if WRITER.load(Ordering::SeqCst) {
        let recorded: Vec<Change> = changes::recorded();
        fields.insert("changed".into(), (!recorded.is_empty()).into());
        fields.insert("check".into(), changes::check_mode().into());
        fields.insert(
            "changes".into(),
            serde_json::to_value(&recorded).unwrap_or(Value::Array(Vec::new())),
        );
    }
    fields
}

/// The document `value` with the contract's fields. A value that is not an object (a
/// list) goes under `"result"`.
pub fn document<T: Serialize>(value: &T) -> Result<Value> {
    let value = serde_json::to_value(value).context("cannot encode the JSON output")?;
    let mut out = match value {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("result".into(), other);
            map
        }
    };
    // A command that decides `changed` itself (tcps renew: a renewal that is due is a
    // change even when --check wrote nothing) keeps its word; the record can only add.
    let own_changed = out.get("changed").and_then(Value::as_bool).unwrap_or(false);
    for (key, field) in contract_fields() {
        out.insert(key, field);
    }
    if own_changed {
        out.insert("changed".into(), true.into());
    }
    Ok(Value::Object(out))
}

/// Prints a command's JSON document with the contract's fields on standard output.
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let doc = document(value)?;
    let text = serde_json::to_string_pretty(&doc).context("cannot encode the JSON output")?;
    println!("{text}");
    PRINTED.store(true, Ordering::SeqCst);
    Ok(())
}

/// Records the host directories a `tcps issue` run issued (created) or renewed
/// (modified), from its summary's `hosts` list.
pub fn record_fleet_hosts(summary: &Value, out: &std::path::Path) {
    let Some(hosts) = summary["hosts"].as_array() else {
        return;
    };
    for host in hosts {
        let (Some(name), Some(status)) = (host["host"].as_str(), host["status"].as_str()) else {
            continue;
        };
        let action = match status {
            "issued" => changes::FileAction::Created,
            "renewed" => changes::FileAction::Modified,
            _ => continue,
        };
        changes::directory_action(&out.join(name), action);
    }
}

/// After a command that writes ran to the end: with `--json` and no document of its own,
/// the contract's document alone; in text, what `--check` found.
pub fn finish() {
    if !WRITER.load(Ordering::SeqCst) {
        return;
    }
    if JSON.load(Ordering::SeqCst) {
        if !PRINTED.load(Ordering::SeqCst) {
            let _ = print_json(&Map::new());
        }
        return;
    }
    let recorded = changes::recorded();
    if changes::check_mode() {
        if recorded.is_empty() {
            eprintln!("check: nothing would change");
        }
        for change in &recorded {
            eprintln!("check: would {}", describe(change));
        }
        eprintln!("check: nothing was written");
    }
}

/// `create /w/ewallet.p12`, `add trusted-certificate CN=Root to /w`, ...
fn describe(change: &Change) -> String {
    match change {
        Change::File { path, action, what } => {
            let verb = match action {
                changes::FileAction::Created => "create",
                changes::FileAction::Modified => "modify",
                changes::FileAction::Removed => "remove",
            };
            format!("{verb} {what} {}", path.display())
        }
        Change::Entry {
            path,
            action,
            kind,
            name,
        } => {
            let (verb, prep) = match action {
                changes::EntryAction::Added => ("add", "to"),
                changes::EntryAction::Removed => ("remove", "from"),
                changes::EntryAction::Modified => ("modify", "in"),
            };
            format!("{verb} {kind} {name} {prep} {}", path.display())
        }
    }
}

/// The error document: `{"schema_version":1,"error":{"message","kind","exit_code"}}`.
pub fn print_error(message: &str, kind: &str, exit_code: u8) {
    let doc = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "error": { "message": message, "kind": kind, "exit_code": exit_code },
    });
    if let Ok(text) = serde_json::to_string_pretty(&doc) {
        println!("{text}");
    }
}

/// The one date format of orakit's JSON: RFC 3339, UTC, whole seconds
/// (`2026-12-02T03:04:05Z`), from seconds since the Unix epoch.
pub fn rfc3339(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The verb of a text message: `done` ("added") after a real run, `would` ("would add")
/// under `--check`, where nothing was written.
pub fn verb(done: &'static str, would: &'static str) -> &'static str {
    if changes::check_mode() { would } else { done }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // `date -u -d @1796094245 +%FT%TZ`
        assert_eq!(rfc3339(1_796_094_245), "2026-12-01T03:04:05Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }
}
