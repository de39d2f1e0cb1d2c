//! Shared by the scripting-contract tests: running a command with --json, validating its
//! document against the schema files in schemas/, and snapshots of every file's bytes and
//! mtime to prove a rerun touched nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use serde_json::Value;

/// Every file under `root` (recursively) with its bytes and mtime.
pub type Snapshot = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

pub fn snapshot(root: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.clone(),
                    (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

/// Asserts two snapshots are equal, naming the first file that differs.
pub fn assert_untouched(before: &Snapshot, after: &Snapshot, what: &str) {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "{what}: the set of files changed"
    );
    for (path, (bytes, mtime)) in before {
        let (b, m) = &after[path];
        assert!(
            bytes == b,
            "{what}: the bytes of {} changed",
            path.display()
        );
        assert_eq!(mtime, m, "{what}: the mtime of {} changed", path.display());
    }
}

/// Runs `cmd`, expects exit `code`, and returns its stdout parsed as one JSON document.
pub fn json_of(cmd: &mut Command, code: i32) -> Value {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{cmd:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{cmd:?}: stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Validates `doc` against `schemas/NAME.schema.json` with the jsonschema crate.
pub fn validate(name: &str, doc: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(format!("{name}.schema.json"));
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("{} is not a valid schema: {e}", path.display()));
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "document does not match {name}: {errors:#?}\n{doc:#}"
    );
}

/// The change report of a writer, validated, with `changed` as expected.
pub fn report(cmd: &mut Command, changed: bool) -> Value {
    let doc = json_of(cmd, 0);
    validate("change-report", &doc);
    assert_eq!(doc["changed"], changed, "{cmd:?}: {doc:#}");
    assert_eq!(
        doc["changes"].as_array().unwrap().is_empty(),
        !changed,
        "{cmd:?}: changed and changes disagree: {doc:#}"
    );
    doc
}

/// The `(type, action, path-or-name)` of every change, for assertions on what a test knows.
pub fn change_list(doc: &Value) -> Vec<(String, String, String)> {
    doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let what = if c["type"] == "entry" {
                format!(
                    "{} {}",
                    c["kind"].as_str().unwrap(),
                    c["name"].as_str().unwrap()
                )
            } else {
                c["path"].as_str().unwrap().to_owned()
            };
            (
                c["type"].as_str().unwrap().to_owned(),
                c["action"].as_str().unwrap().to_owned(),
                what,
            )
        })
        .collect()
}

pub fn triple(kind: &str, action: &str, what: impl AsRef<str>) -> (String, String, String) {
    (kind.to_owned(), action.to_owned(), what.as_ref().to_owned())
}
