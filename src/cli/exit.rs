//! Exit codes and how errors reach the user.

use std::process::ExitCode;

/// 0: the command did what was asked.
pub const OK: u8 = 0;
/// 1: the command failed (bad input, I/O error, verification failure).
pub const FAILED: u8 = 1;
/// 2: the command line was wrong (clap uses 2 for its own usage errors too).
pub const USAGE: u8 = 2;
/// 3: a check ran and found problems (`net check`, `doctor`, `probe`).
pub const PROBLEMS: u8 = 3;

/// How a command that ran to the end turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// A check ran and reported problems; the report itself has been printed.
    ProblemsFound,
}

/// An error in how the command was called that clap could not catch on its own
/// (for example two options that only conflict for some inputs). Exits with 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Prints the error as one line — each cause after the context it explains, joined
/// with `: ` like other Unix tools — and picks the exit code.
pub fn report(error: &anyhow::Error) -> ExitCode {
    let mut message = format!("error: {error}");
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        // Context layers often repeat the inner message; print each distinct text once.
        if !message.contains(&text) {
            message.push_str(&format!(": {text}"));
        }
    }
    eprintln!("{message}");
    let code = if error.downcast_ref::<UsageError>().is_some() {
        USAGE
    } else {
        FAILED
    };
    if crate::cli::output::json_mode() {
        let text = message.strip_prefix("error: ").unwrap_or(&message);
        crate::cli::output::print_error(text, error_kind(error), code);
    }
    ExitCode::from(code)
}

/// The `kind` of the JSON error document (docs/json.md lists them).
fn error_kind(error: &anyhow::Error) -> &'static str {
    use crate::fsio::WriteError;
    use crate::wallet::store::StoreError;
    if error.downcast_ref::<UsageError>().is_some() {
        return "usage";
    }
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<WriteError>() {
            return match e {
                WriteError::Exists(_) => "exists",
                _ => "io",
            };
        }
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            return match e {
                StoreError::NoWallet(_) | StoreError::NotFound(_) => "not-found",
                StoreError::PasswordRequired(_) => "password-required",
                StoreError::Write(WriteError::Exists(_)) => "exists",
                StoreError::Read { .. } | StoreError::Write(_) | StoreError::Remove { .. } => "io",
                StoreError::Lock { .. } | StoreError::SharedDirectory(..) => "lock",
                _ => "wallet",
            };
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return "io";
        }
    }
    "failed"
}

pub fn from_outcome(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Success => ExitCode::from(OK),
        Outcome::ProblemsFound => ExitCode::from(PROBLEMS),
    }
}
