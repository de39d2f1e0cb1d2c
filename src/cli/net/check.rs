//! `orakit net check`: lint an existing Oracle Net file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{CheckArgs, RoleArg, key_family};
use crate::cli::exit::Outcome;
use crate::net::check::{CheckContext, Finding, Role, Severity, check_text};
use crate::net::tls::KeyType;

pub(super) fn check(args: &CheckArgs) -> Result<Outcome> {
    let file = &args.file;
    let bytes = crate::limits::read_file(file, crate::limits::MAX_ORA_FILE, "Oracle Net files")
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut ctx = CheckContext {
        wallet_key_type: args.key_type.map(key_family),
        role: args.role.map(|r| match r {
            RoleArg::Server => Role::Server,
            RoleArg::Client => Role::Client,
        }),
        oracle_home: std::env::var_os("ORACLE_HOME").map(PathBuf::from),
        base_dir: file.parent().map(Path::to_path_buf),
    };
    let findings = match String::from_utf8(bytes) {
        Ok(text) => {
            if ctx.wallet_key_type.is_none() {
                ctx.wallet_key_type = wallet_key_type(&text, &ctx);
            }
            check_text(&text, &ctx)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, column) = crate::net::parse::line_column(&prefix, valid);
            vec![Finding {
                severity: Severity::Error,
                code: "syntax",
                line,
                column,
                message: "not UTF-8 text; Oracle Net files must be plain ASCII".into(),
            }]
        }
    };
    if args.json {
        let report = serde_json::json!({
            "file": file.display().to_string(),
            "findings": findings,
        });
        crate::cli::output::print_json(&report)?;
    } else {
        for f in &findings {
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            println!(
                "{}:{}:{}: {severity}[{}]: {}",
                file.display(),
                f.line,
                f.column,
                f.code,
                f.message
            );
        }
    }
    if findings.is_empty() {
        eprintln!("{}: no problems found", file.display());
        Ok(Outcome::Success)
    } else {
        eprintln!(
            "{}: {} found",
            file.display(),
            crate::text::count(findings.len(), "problem")
        );
        Ok(Outcome::ProblemsFound)
    }
}

/// The key type of the user certificate in the wallet the file points at, when that
/// wallet opens without a password (auto-login); `None` otherwise. `--key-type` wins.
fn wallet_key_type(text: &str, ctx: &CheckContext) -> Option<KeyType> {
    use crate::wallet::model::Item;
    for dir in crate::net::check::wallet_directories(text, ctx) {
        let Ok(source) = crate::wallet::store::open_sso(&dir.join("cwallet.sso"), None) else {
            continue;
        };
        let wallet = &source.pkcs12.wallet;
        for i in wallet.user_cert_indices() {
            let Item::Certificate(der) = &wallet.entries[i].item else {
                continue;
            };
            let Ok(cert) = <x509_cert::Certificate as der::Decode>::from_der(der) else {
                continue;
            };
            let spki = cert.tbs_certificate().subject_public_key_info();
            if let Ok(spec) = crate::pki::key::spec_of_public_key(spki) {
                return Some(crate::tcps::server::net_key_type(spec));
            }
        }
    }
    None
}
