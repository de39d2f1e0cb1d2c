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
    if error.downcast_ref::<UsageError>().is_some() {
        ExitCode::from(USAGE)
    } else {
        ExitCode::from(FAILED)
    }
}

pub fn from_outcome(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Success => ExitCode::from(OK),
        Outcome::ProblemsFound => ExitCode::from(PROBLEMS),
    }
}
