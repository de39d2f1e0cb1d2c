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

/// Runs `cmd`, expects exit `code`, and returns its stdout parsed as one JSON document
/// that names `schema_version` exactly once (a parser keeps one of two equal keys, so the
/// text is counted).
pub fn json_of(cmd: &mut Command, code: i32) -> Value {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{cmd:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("\"schema_version\":").count(),
        1,
        "{cmd:?}: schema_version not exactly once:\n{text}"
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{cmd:?}: stdout is not one JSON document ({e}):\n{text}"))
}

/// The directory of the schema files.
fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// Resolves the schemas' references to one another (`defs.schema.json#/$defs/date`,
/// `change-report.schema.json`) from schemas/ instead of the network: every `$id` is
/// `https://orakit.invalid/schemas/NAME`.
struct SchemaFiles;

impl jsonschema::Retrieve for SchemaFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix("https://orakit.invalid/schemas/")
            .ok_or_else(|| format!("{} is not one of orakit's schema files", uri.as_str()))?;
        Ok(serde_json::from_slice(&std::fs::read(
            schema_dir().join(name),
        )?)?)
    }
}

/// The validator of `schemas/NAME.schema.json`. `format` is asserted, not only annotated
/// (draft 2020-12 makes it an annotation by default), so `"format": "date-time"` rejects
/// a date that matches the pattern but is not a date.
fn validator(name: &str) -> jsonschema::Validator {
    let path = schema_dir().join(format!("{name}.schema.json"));
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(SchemaFiles)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{} is not a valid schema: {e}", path.display()))
}

/// Validates `doc` against `schemas/NAME.schema.json` with the jsonschema crate.
pub fn validate(name: &str, doc: &Value) {
    let errors: Vec<String> = validator(name)
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "document does not match {name}: {errors:#?}\n{doc:#}"
    );
}

/// Asserts that `doc` changed by `mutate` (a field removed, a date in another format)
/// fails `schemas/NAME.schema.json`: the schema is not vacuous.
pub fn rejects(name: &str, doc: &Value, what: &str, mutate: impl FnOnce(&mut Value)) {
    let mut bad = doc.clone();
    mutate(&mut bad);
    assert_ne!(&bad, doc, "{name}: the mutation \"{what}\" changed nothing");
    assert!(
        !validator(name).is_valid(&bad),
        "{name} accepts a document with {what}:\n{bad:#}"
    );
}

/// The negative checks of a document family: without `field` (a required one), with a
/// field the schema does not define, and with the date at `date` (a JSON pointer) in
/// orapki's text form and as a non-date of the right shape (only `format` catches that).
pub fn rejects_mutations(name: &str, doc: &Value, field: &str, date: &str) {
    rejects(name, doc, &format!("no {field}"), |d| {
        d.as_object_mut().unwrap().remove(field);
    });
    rejects(name, doc, "an unknown field", |d| {
        d.as_object_mut()
            .unwrap()
            .insert("no_such_field".into(), true.into());
    });
    for bad in ["Wed Dec 02 06:37:22 UTC 2026", "2026-02-30T06:37:22Z"] {
        rejects(name, doc, &format!("{date} = {bad}"), |d| {
            *d.pointer_mut(date)
                .unwrap_or_else(|| panic!("{name}: no {date} in the document")) = bad.into();
        });
    }
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
