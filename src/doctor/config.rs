//! Reading `sqlnet.ora` for the wallet directory, and the `net check` lint on it (and on
//! `listener.ora`) with its findings mapped to the Oracle error they cause.

use std::path::{Path, PathBuf};

use super::finding::{Finding, LikelyError};
use super::locate::SearchContext;
use crate::net::Document;
use crate::net::check::{CheckContext, Severity as LintSeverity, check_text};
use crate::net::tls::KeyType;

/// What the doctor needs from sqlnet.ora.
#[derive(Debug, Clone)]
pub struct Settings {
    /// WALLET_LOCATION's directory, `?` and relative paths resolved; `None` when absent
    /// or not checkable (a finding says why).
    pub wallet_dir: Option<PathBuf>,
    /// WALLET_LOCATION's directory as written, when there is one.
    pub location: Option<String>,
}

/// Reads and parses sqlnet.ora. `None` (with a finding) when it cannot be read or parsed.
pub fn read(path: &Path, search: &SearchContext, findings: &mut Vec<Finding>) -> Option<Settings> {
    let text = match crate::limits::read_text(path, crate::limits::MAX_ORA_FILE, "Oracle Net files")
    {
        Ok(text) => text,
        Err(e) => {
            findings.push(Finding::problem(
                "sqlnet-unreadable",
                Some(LikelyError::Ora28759),
                Some(path),
                format!(
                    "cannot read {}: {e}; Oracle then runs without its WALLET_LOCATION",
                    path.display()
                ),
            ));
            return None;
        }
    };
    let doc = match Document::parse(&text) {
        Ok(doc) => doc,
        Err(e) => {
            findings.push(Finding::problem(
                "sqlnet-syntax",
                None,
                Some(path),
                format!(
                    "{} line {}, column {}: {}; Oracle stops reading the file there",
                    path.display(),
                    e.line,
                    e.column,
                    e.kind
                ),
            ));
            return None;
        }
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let Some(value) = wallet_directory_value(&doc) else {
        findings.push(Finding::problem(
            "wallet-location-missing",
            Some(LikelyError::Ora28759),
            Some(path),
            format!(
                "{} sets no WALLET_LOCATION, so Oracle looks for the wallet in a default place \
                 that rarely holds one; add it with `orakit net sqlnet --wallet-dir DIR --update {}`",
                path.display(),
                path.display()
            ),
        ));
        return Some(Settings {
            wallet_dir: None,
            location: None,
        });
    };
    let wallet_dir = match resolve(&value, base, search) {
        Ok(dir) => Some(dir),
        Err(reason) => {
            findings.push(Finding::note(
                "wallet-location-unchecked",
                Some(path),
                reason,
            ));
            None
        }
    };
    Some(Settings {
        wallet_dir,
        location: Some(value),
    })
}

/// WALLET_LOCATION = (SOURCE = (METHOD = FILE)(METHOD_DATA = (DIRECTORY = ...))), or the
/// short form WALLET_LOCATION = /dir.
fn wallet_directory_value(doc: &Document) -> Option<String> {
    let param = doc.find("WALLET_LOCATION")?;
    for group in param.groups() {
        let mut dirs = group.descendants("DIRECTORY");
        if group.has_key("DIRECTORY") {
            dirs.insert(0, group);
        }
        if let Some(value) = dirs.iter().find_map(|d| d.scalar()) {
            return Some(value);
        }
    }
    match param.atoms().as_slice() {
        [value] => Some(value.clone()),
        _ => None,
    }
}

fn resolve(value: &str, base: &Path, search: &SearchContext) -> Result<PathBuf, String> {
    if value.eq_ignore_ascii_case("SYSTEM") {
        return Err("WALLET_LOCATION is SYSTEM (the operating system's store); not checked".into());
    }
    if value.contains('$') || value.contains('%') {
        return Err(format!(
            "WALLET_LOCATION {value} holds a variable that only the shell or a deployment resolves; \
             not checked"
        ));
    }
    let path = match value.strip_prefix('?') {
        Some(rest) => match &search.oracle_home {
            Some(home) => home.join(rest.trim_start_matches(['/', '\\'])),
            None => {
                return Err(format!(
                    "WALLET_LOCATION {value} starts with ?, which stands for ORACLE_HOME, and \
                     ORACLE_HOME is not set; set it to check the wallet"
                ));
            }
        },
        None => PathBuf::from(value),
    };
    Ok(if path.is_relative() {
        base.join(path)
    } else {
        path
    })
}

/// Runs `net check` on an Oracle Net file. Cipher and version findings become problems
/// likely to surface as ORA-28860; the rest are notes (the wallet itself is checked
/// separately and more thoroughly).
pub fn lint(
    path: &Path,
    wallet_key_type: Option<KeyType>,
    search: &SearchContext,
    findings: &mut Vec<Finding>,
) {
    let Ok(text) = crate::limits::read_text(path, crate::limits::MAX_ORA_FILE, "Oracle Net files")
    else {
        return;
    };
    let ctx = CheckContext {
        wallet_key_type,
        role: None,
        oracle_home: search.oracle_home.clone(),
        base_dir: path.parent().map(Path::to_path_buf),
    };
    for f in check_text(&text, &ctx) {
        let where_ = format!("{} line {}: {}", path.display(), f.line, f.message);
        match f.code {
            "tls-version" | "static-rsa" | "weak-cipher" | "suite-key-mismatch" => findings.push(
                Finding::problem(f.code, Some(LikelyError::Ora28860), Some(path), where_),
            ),
            // sqlnet.ora's wallet was checked in depth already.
            "wallet-missing" | "wallet-empty" if path.ends_with("sqlnet.ora") => {}
            "wallet-missing" | "wallet-empty" => findings.push(Finding::problem(
                f.code,
                Some(LikelyError::Ora28759),
                Some(path),
                where_,
            )),
            _ if f.severity == LintSeverity::Error => {
                findings.push(Finding::problem(f.code, None, Some(path), where_))
            }
            _ => findings.push(Finding::note(f.code, Some(path), where_)),
        }
    }
}
