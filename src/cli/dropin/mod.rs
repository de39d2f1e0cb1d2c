//! Drop-in front ends: `orakit orapki ...` and `orakit mkstore ...` (or orakit run through a
//! link or copy named `orapki` / `mkstore`) accept Oracle's command lines and answer as
//! Oracle's tools do, so existing scripts run unchanged without a JVM.
//!
//! The front end only translates: it parses Oracle's single-dash options, reads or prompts
//! for passwords as orapki does, then runs the NATIVE `orakit wallet ...` command (this same
//! binary, as a child process, passwords handed over in its environment, never on argv) and
//! turns the native result into orapki's words and exit codes. There is no second wallet
//! code path.

mod java_order;
mod mkstore;
mod native;
mod options;
mod orapki;
mod prompt;
mod usage;

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;

/// Which Oracle tool the process stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Orapki,
    Mkstore,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Orapki => "orapki",
            Tool::Mkstore => "mkstore",
        }
    }
}

/// The tool argv[0] names (`orapki`, `mkstore`, with or without a directory or `.exe`),
/// or `None` for orakit itself.
pub fn invoked_as(argv0: &OsString) -> Option<Tool> {
    let name = Path::new(argv0).file_stem()?.to_str()?;
    match name {
        "orapki" => Some(Tool::Orapki),
        "mkstore" => Some(Tool::Mkstore),
        _ => None,
    }
}

/// Runs the front end on Oracle's arguments (everything after the tool's name).
pub fn run(tool: Tool, args: Vec<OsString>) -> ExitCode {
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let code = match tool {
        Tool::Orapki => orapki::run(&args),
        Tool::Mkstore => mkstore::run(&args),
    };
    ExitCode::from(code)
}

/// orapki's and mkstore's exit code for every failure.
pub const ORACLE_FAILED: u8 = 255;

/// orakit's own one-line banner (never Oracle's copyright lines), then a blank line as
/// Oracle's tools leave after theirs.
pub(crate) fn banner(tool: Tool) {
    println!(
        "orakit {} - drop-in {} (no JVM; native form: orakit wallet --help)",
        env!("CARGO_PKG_VERSION"),
        tool.name()
    );
    println!();
}

/// Environment variable that silences the password-on-argv warning.
pub const QUIET_ENV: &str = "ORAKIT_DROPIN_QUIET";

/// Says once, on stderr, that a password was on the command line, and which native form
/// keeps it off (other users can read argv through ps and /proc).
pub(crate) fn warn_password_on_argv(native_form: &str) {
    if std::env::var_os(QUIET_ENV).is_some_and(|v| !v.is_empty() && v != "0") {
        return;
    }
    eprintln!(
        "orakit: warning: a password on the command line is visible to other users (ps); \
         the native form keeps it off: {native_form} (set {QUIET_ENV}=1 to silence this)"
    );
}
