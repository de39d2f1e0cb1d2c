//! The lint behind `orakit net check`: syntax errors with line and column, and warnings
//! for settings that weaken or break TCPS (spec §3.2, §3.5, §3.6, §3.7).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::syntax::{Document, Group, Parameter};
use super::tls::{KeyType, is_static_rsa, is_weak_cipher, suite_key_type};

/// Which side of a connection a file configures, when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Server,
    Client,
}

/// What the lint needs beyond the file text.
#[derive(Debug, Clone, Default)]
pub struct CheckContext {
    /// Key type of the wallet's user certificate; suites for the other type are flagged.
    pub wallet_key_type: Option<KeyType>,
    /// `Some(Client)` silences server-only warnings.
    pub role: Option<Role>,
    /// What `?` in a wallet directory stands for.
    pub oracle_home: Option<PathBuf>,
    /// Relative wallet directories are resolved against this (the file's directory).
    pub base_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier: `syntax`, `tls-version`, `static-rsa`, `weak-cipher`,
    /// `auth-none`, `wallet-missing`, `wallet-empty`, `suite-key-mismatch`, `no-dn-match`,
    /// `thin-list`, `thin-quote`.
    pub code: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

struct Lint<'a> {
    text: &'a str,
    ctx: &'a CheckContext,
    findings: Vec<Finding>,
    lines: LineStarts,
}

/// The byte offset where each line starts, built once: locating a finding is then a
/// binary search, not a scan from the start of the file (which made a file with many
/// findings quadratic: 16 MiB took minutes).
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self(starts)
    }

    /// 1-based line and column (in characters) of `offset`, as `parse::line_column` gives.
    fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.0.partition_point(|&start| start <= offset);
        let start = self.0[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// Checks the text of one parameter file.
pub fn check_text(text: &str, ctx: &CheckContext) -> Vec<Finding> {
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            return vec![Finding {
                severity: Severity::Error,
                code: "syntax",
                line: e.line,
                column: e.column,
                message: e.kind.to_string(),
            }];
        }
    };
    let mut lint = Lint {
        text,
        ctx,
        findings: Vec::new(),
        lines: LineStarts::new(text),
    };
    for param in doc.parameters() {
        lint.parameter(param);
    }
    lint.findings.sort_by_key(|f| (f.line, f.column));
    lint.findings
}

/// The directory a `WALLET_LOCATION` / `DIRECTORY` value names, or `None` for `SYSTEM`,
/// a placeholder only the shell or deployment resolves, or `?` without an Oracle home.
pub fn resolve_wallet_dir(value: &str, ctx: &CheckContext) -> Option<PathBuf> {
    if value.eq_ignore_ascii_case("SYSTEM") || value.contains('$') || value.contains('%') {
        return None;
    }
    let path = match value.strip_prefix('?') {
        Some(rest) => ctx
            .oracle_home
            .as_ref()?
            .join(rest.trim_start_matches(['/', '\\'])),
        None => PathBuf::from(value),
    };
    Some(match (&ctx.base_dir, path.is_relative()) {
        (Some(base), true) => base.join(path),
        _ => path,
    })
}

/// Every wallet directory the file's `WALLET_LOCATION` parameters name, resolved.
pub fn wallet_directories(text: &str, ctx: &CheckContext) -> Vec<PathBuf> {
    let Ok(doc) = Document::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for param in doc.parameters() {
        let names = param.names();
        if !names
            .first()
            .is_some_and(|n| n.eq_ignore_ascii_case("WALLET_LOCATION"))
        {
            continue;
        }
        let mut values = Vec::new();
        for group in param.groups() {
            let mut dirs = group.descendants("DIRECTORY");
            if group.has_key("DIRECTORY") {
                dirs.push(group);
            }
            values.extend(dirs.iter().filter_map(|d| d.scalar()));
        }
        if let [value] = param.atoms().as_slice() {
            values.push(value.to_string());
        }
        found.extend(values.iter().filter_map(|v| resolve_wallet_dir(v, ctx)));
    }
    found
}

fn name_is(name: &str, suffix: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper == format!("SSL_{suffix}") || upper == format!("TLS_{suffix}")
}

fn truthy(value: &str) -> bool {
    matches!(value.to_ascii_lowercase().as_str(), "yes" | "on" | "true")
}

impl Lint<'_> {
    fn warn(&mut self, offset: usize, code: &'static str, message: String) {
        let (line, column) = self.lines.locate(self.text, offset);
        self.findings.push(Finding {
            severity: Severity::Warning,
            code,
            line,
            column,
            message,
        });
    }

    fn parameter(&mut self, param: &Parameter) {
        let names = param.names();
        let name = names.first().copied().unwrap_or_default();
        let at = param.offset();
        if name_is(name, "VERSION") {
            self.versions(at, name, &param.list_items());
        } else if name_is(name, "CIPHER_SUITES") {
            self.suites(at, name, &param.list_items());
        } else if name.eq_ignore_ascii_case("SQLNET.AUTHENTICATION_SERVICES") {
            let none = param
                .list_items()
                .iter()
                .any(|v| v.eq_ignore_ascii_case("NONE"));
            if none && self.ctx.role != Some(Role::Client) {
                self.warn(
                    at,
                    "auth-none",
                    format!(
                        "{name} = (NONE) disables OS authentication on a server (`sqlplus / as sysdba` stops working) and is not needed for TLS; remove it, or use (BEQ, TCPS) for certificate logins"
                    ),
                );
            }
        } else if name.eq_ignore_ascii_case("WALLET_LOCATION") {
            match param.groups().next() {
                Some(_) => {
                    for group in param.groups() {
                        let mut dirs = group.descendants("DIRECTORY");
                        if group.has_key("DIRECTORY") {
                            dirs.push(group);
                        }
                        for dir in dirs {
                            if let Some(value) = dir.scalar() {
                                self.wallet_dir(dir.offset(), name, &value);
                            }
                        }
                    }
                }
                None => {
                    if let [value] = param.atoms().as_slice() {
                        self.wallet_dir(at, name, value);
                    }
                }
            }
        }
        let is_alias = param
            .groups()
            .any(|g| g.has_key("CONNECT_DATA") || !g.descendants("CONNECT_DATA").is_empty());
        if is_alias {
            for group in param.groups() {
                let descriptions = if group.has_key("DESCRIPTION") {
                    vec![group]
                } else {
                    group.descendants("DESCRIPTION")
                };
                for description in descriptions {
                    self.descriptor(name, description);
                }
            }
        }
    }

    fn versions(&mut self, at: usize, name: &str, values: &[String]) {
        for value in values {
            let v = value.to_ascii_lowercase();
            let v = v.trim_start_matches("tlsv").trim_end_matches('+');
            if matches!(v, "1.0" | "1.1" | "3.0" | "1" | "2.0") {
                self.warn(
                    at,
                    "tls-version",
                    format!(
                        "{name} allows {value}: TLS 1.0/1.1 and SSL 3 are deprecated (RFC 8996) and refused by current clients; use 1.2 (or (1.2 or 1.3) where the release has TLS 1.3)"
                    ),
                );
            }
        }
    }

    fn suites(&mut self, at: usize, name: &str, suites: &[String]) {
        for suite in suites {
            if is_static_rsa(suite) {
                self.warn(
                    at,
                    "static-rsa",
                    format!(
                        "{name} lists {suite}: static-RSA key exchange has no forward secrecy; use TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (RSA certificate) or TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (EC certificate)"
                    ),
                );
            }
            if is_weak_cipher(suite) {
                self.warn(
                    at,
                    "weak-cipher",
                    format!(
                        "{name} lists {suite}: CBC with SHA-1 (or a broken cipher) is excluded by current TLS stacks (Python, Go) and fails the handshake; use an ECDHE ... GCM suite"
                    ),
                );
            }
            if let (Some(wallet), Some(suite_key)) =
                (self.ctx.wallet_key_type, suite_key_type(suite))
                && wallet != suite_key
            {
                self.warn(
                    at,
                    "suite-key-mismatch",
                    {
                        let (needed, held) = (suite_key.to_string().to_uppercase(), wallet.to_string().to_uppercase());
                        format!(
                            "{name} lists {suite}, which needs {} certificate, but the wallet's certificate has {} key; such a suite can never be negotiated",
                            crate::text::with_article(&needed),
                            crate::text::with_article(&held)
                        )
                    },
                );
            }
        }
    }

    fn wallet_dir(&mut self, at: usize, name: &str, value: &str) {
        let Some(path) = resolve_wallet_dir(value, self.ctx) else {
            return;
        };
        if !path.is_dir() {
            let what = if path.exists() {
                "which is not a directory"
            } else {
                "which does not exist"
            };
            self.warn(
                at,
                "wallet-missing",
                format!(
                    "{name} points to {}, {what}; Oracle fails with ORA-28759 (failure to open file). Create the wallet there or fix the path",
                    path.display()
                ),
            );
            return;
        }
        let has = |file: &str| Path::new(&path).join(file).is_file();
        if !has("ewallet.p12") && !has("cwallet.sso") {
            let pem_only = if has("ewallet.pem") {
                " (it holds only ewallet.pem, which only thin drivers read)"
            } else {
                ""
            };
            self.warn(
                at,
                "wallet-empty",
                format!(
                    "{name} points to {}, which holds no wallet (no ewallet.p12 or cwallet.sso){pem_only}",
                    path.display()
                ),
            );
        }
    }

    fn descriptor(&mut self, alias: &str, description: &Group) {
        let tcps = description
            .descendants("PROTOCOL")
            .iter()
            .any(|p| p.scalar().is_some_and(|v| v.eq_ignore_ascii_case("TCPS")));
        let security = description.child("SECURITY");
        let mut dn_checked = false;
        if let Some(security) = security {
            for setting in security.children() {
                let key = setting.key().unwrap_or_default();
                if setting.has_list_value() {
                    self.warn(
                        setting.offset(),
                        "thin-list",
                        format!(
                            "{alias}: ({key} = (...)) puts a list inside SECURITY, which thin drivers reject (DPY-4017); move it to sqlnet.ora"
                        ),
                    );
                }
                let raw = setting.print();
                let single_quoted = setting
                    .value()
                    .iter()
                    .any(|p| matches!(p, super::syntax::Piece::Quoted(q) if q.starts_with('\'')));
                if single_quoted {
                    self.warn(
                        setting.offset(),
                        "thin-quote",
                        format!(
                            "{alias}: {raw} is single-quoted; thin drivers keep single quotes as part of the value, so use double quotes"
                        ),
                    );
                }
                let value = setting.scalar().unwrap_or_default();
                if name_is(key, "SERVER_CERT_DN") && !value.is_empty() {
                    dn_checked = true;
                } else if name_is(key, "SERVER_DN_MATCH") {
                    dn_checked |= truthy(&value);
                } else if name_is(key, "VERSION") {
                    self.versions(setting.offset(), key, &setting.list_items());
                } else if name_is(key, "CIPHER_SUITES") {
                    self.suites(setting.offset(), key, &setting.list_items());
                } else if key.eq_ignore_ascii_case("MY_WALLET_DIRECTORY")
                    || key.eq_ignore_ascii_case("WALLET_LOCATION")
                {
                    self.wallet_dir(setting.offset(), key, &value);
                }
            }
        }
        if tcps && !dn_checked {
            self.warn(
                description.offset(),
                "no-dn-match",
                format!(
                    "{alias} connects over TCPS without checking the server's certificate name; add (SECURITY = (SSL_SERVER_DN_MATCH = YES)(SSL_SERVER_CERT_DN = \"...\")) unless the client's sqlnet.ora sets SSL_SERVER_DN_MATCH = YES"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::parse::line_column;

    fn codes(text: &str, ctx: &CheckContext) -> Vec<&'static str> {
        check_text(text, ctx).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn flags_the_dms_seed_values_on_their_lines() {
        let text = "# seed\nSQLNET.AUTHENTICATION_SERVICES = (NONE)\nSSL_VERSION = 1.0\nSSL_CIPHER_SUITES = (SSL_RSA_WITH_AES_256_CBC_SHA)\n";
        let findings = check_text(text, &CheckContext::default());
        let got: Vec<_> = findings.iter().map(|f| (f.code, f.line)).collect();
        assert_eq!(
            got,
            [
                ("auth-none", 2),
                ("tls-version", 3),
                ("static-rsa", 4),
                ("weak-cipher", 4)
            ]
        );
        let client = CheckContext {
            role: Some(Role::Client),
            ..CheckContext::default()
        };
        assert!(!codes(text, &client).contains(&"auth-none"));
    }

    #[test]
    fn suites_must_fit_the_wallet_key_type() {
        let text = "SSL_CIPHER_SUITES = (TLS_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)\n";
        assert!(codes(text, &CheckContext::default()).is_empty());
        let rsa = CheckContext {
            wallet_key_type: Some(KeyType::Rsa),
            ..CheckContext::default()
        };
        let findings = check_text(text, &rsa);
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0].message.contains("ECDSA"),
            "{}",
            findings[0].message
        );
        let ec = CheckContext {
            wallet_key_type: Some(KeyType::Ec),
            ..CheckContext::default()
        };
        let findings = check_text(text, &ec);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("ECDHE_RSA"));
    }

    #[test]
    fn wallet_directories_are_looked_at() {
        let dir = tempfile::tempdir().unwrap();
        let wallet = dir.path().join("w");
        let text = format!(
            "WALLET_LOCATION = (SOURCE = (METHOD = FILE)(METHOD_DATA = (DIRECTORY = {})))\n",
            wallet.display()
        );
        assert_eq!(codes(&text, &CheckContext::default()), ["wallet-missing"]);
        std::fs::create_dir(&wallet).unwrap();
        assert_eq!(codes(&text, &CheckContext::default()), ["wallet-empty"]);
        std::fs::write(wallet.join("cwallet.sso"), b"x").unwrap();
        assert!(codes(&text, &CheckContext::default()).is_empty());
        // `?` is the Oracle home; unresolved without one, resolved with one.
        let text =
            "WALLET_LOCATION = (SOURCE = (METHOD = FILE)(METHOD_DATA = (DIRECTORY = \"?/w\")))\n";
        assert!(codes(text, &CheckContext::default()).is_empty());
        let home = CheckContext {
            oracle_home: Some(dir.path().to_path_buf()),
            ..CheckContext::default()
        };
        assert!(codes(text, &home).is_empty());
        let elsewhere = CheckContext {
            oracle_home: Some(dir.path().join("nothing-here")),
            ..CheckContext::default()
        };
        assert_eq!(codes(text, &elsewhere), ["wallet-missing"]);
    }

    #[test]
    fn tcps_aliases_need_dn_matching_and_thin_safe_security() {
        let bare = "A = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))(CONNECT_DATA = (SERVICE_NAME = s)))\n";
        assert_eq!(codes(bare, &CheckContext::default()), ["no-dn-match"]);
        let matched = "A = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))(CONNECT_DATA = (SERVICE_NAME = s))(SECURITY = (SSL_SERVER_DN_MATCH = on)))\n";
        assert!(codes(matched, &CheckContext::default()).is_empty());
        let thin = "A = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))(CONNECT_DATA = (SERVICE_NAME = s))(SECURITY = (SSL_SERVER_CERT_DN = 'CN=h')(SSL_CIPHER_SUITES = (TLS_RSA_WITH_AES_128_CBC_SHA))))\n";
        assert_eq!(
            codes(thin, &CheckContext::default()),
            ["thin-quote", "thin-list", "static-rsa", "weak-cipher"]
        );
        // A listener's TCPS address is not an alias.
        let listener = "LISTENER = (DESCRIPTION_LIST = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))))\n";
        assert!(codes(listener, &CheckContext::default()).is_empty());
    }

    #[test]
    fn the_line_table_agrees_with_line_column() {
        let text = "a\n\nbé c\r\nlast";
        let lines = LineStarts::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                lines.locate(text, offset),
                line_column(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn syntax_errors_are_findings_with_a_position() {
        let findings = check_text("A = (B = 1\nC = 2\n", &CheckContext::default());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Error);
        assert_eq!((findings[0].line, findings[0].column), (1, 5));
    }
}
