//! `orakit doctor`: where Oracle finds sqlnet.ora, and what in it and in the wallet it
//! points to would break TLS. The environment is read here and handed to the library.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use crate::cli::exit::Outcome;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::print_json;
use crate::doctor::{DoctorInput, Report, SearchContext, Severity, diagnose};
use crate::text::count;

#[derive(Debug, Args)]
#[command(after_help = "\
Search order for sqlnet.ora: --tns-admin DIR (only that directory when given), else
$TNS_ADMIN, $ORACLE_BASE_HOME/network/admin, $ORACLE_HOME/network/admin, /etc,
/var/opt/oracle. The first directory holding sqlnet.ora is the one Oracle reads.
Exit 0 when no problem was found (warnings, such as a certificate that ends within
--within DAYS, do not change it), 3 when problems were found.

EXAMPLES:
  orakit doctor
  TNS_ADMIN=/opt/oracle/network/admin orakit doctor --json
  orakit doctor --tns-admin ./admin --password-env WALLET_PASSWORD
  orakit doctor --tns-admin Wallet_mydb.zip")]
pub struct DoctorArgs {
    /// Look for sqlnet.ora only in this directory (instead of TNS_ADMIN and the usual places),
    /// or in this ADB Wallet_*.zip, checked with its own wallet without unzipping it.
    #[arg(long, value_name = "DIR|ZIP")]
    pub tns_admin: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Warn about certificates that end within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub within: u32,
    /// Opens a password-only wallet so its certificates can be checked too.
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Serialize)]
struct DoctorOutput<'a> {
    #[serde(flatten)]
    report: &'a Report,
    problems: usize,
    warnings: usize,
}

pub fn run(args: &DoctorArgs) -> Result<Outcome> {
    let input = DoctorInput {
        search: search_context(args),
        now_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("the system clock is before 1970")?
            .as_secs(),
        warn_within_days: args.within,
        password: args
            .password
            .resolve("the wallet password", Prompt::Never)?,
    };
    let report = diagnose(&input);
    let problems = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Problem)
        .count();
    let warnings = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    if args.json {
        print_json(&DoctorOutput {
            report: &report,
            problems,
            warnings,
        })?;
    } else {
        print!("{}", text(&report, problems, warnings));
    }
    Ok(if report.has_problems() {
        Outcome::ProblemsFound
    } else {
        Outcome::Success
    })
}

fn search_context(args: &DoctorArgs) -> SearchContext {
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    SearchContext {
        tns_admin_flag: args.tns_admin.clone(),
        tns_admin_env: env_dir("TNS_ADMIN"),
        oracle_base_home: env_dir("ORACLE_BASE_HOME"),
        oracle_home: env_dir("ORACLE_HOME"),
        global_dirs: if cfg!(unix) {
            vec![PathBuf::from("/etc"), PathBuf::from("/var/opt/oracle")]
        } else {
            Vec::new()
        },
    }
}

fn text(r: &Report, problems: usize, warnings: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Searched for sqlnet.ora:");
    for c in &r.searched {
        let mark = if c.has_sqlnet_ora { "found" } else { "-" };
        let _ = writeln!(out, "  {:<6} {} ({})", mark, c.dir.display(), c.why);
    }
    let show = |p: &Option<PathBuf>| {
        p.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "-".into())
    };
    let _ = writeln!(out, "sqlnet.ora:    {}", show(&r.sqlnet_ora));
    let _ = writeln!(out, "tnsnames.ora:  {}", show(&r.tnsnames_ora));
    let _ = writeln!(out, "wallet:        {}", show(&r.wallet_dir));
    if let Some(t) = r.wallet_type {
        let _ = writeln!(
            out,
            "wallet type:   {}",
            serde_json::to_value(t)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(out, "certificates:  {} checked", r.certificates_checked);
    let _ = writeln!(out);
    for f in &r.findings {
        let label = match (f.severity, f.likely_error) {
            (Severity::Problem, Some(e)) => format!("PROBLEM [{}, likely {}]", f.code, e.code()),
            (Severity::Problem, None) => format!("PROBLEM [{}]", f.code),
            (Severity::Warning, _) => format!("WARNING [{}]", f.code),
            (Severity::Note, _) => format!("note [{}]", f.code),
        };
        let _ = writeln!(out, "{label}: {}", f.message);
        if let Some(e) = f.likely_error {
            let _ = writeln!(out, "    ({}: {})", e.code(), e.meaning());
        }
    }
    match (problems, warnings) {
        (0, 0) => {
            let _ = writeln!(out, "No problems found.");
        }
        (0, w) => {
            let _ = writeln!(
                out,
                "No problems found yet; {} to act on.",
                count(w, "warning")
            );
        }
        (p, 0) => {
            let _ = writeln!(out, "{} found.", count(p, "problem"));
        }
        (p, w) => {
            let _ = writeln!(
                out,
                "{} and {} found.",
                count(p, "problem"),
                count(w, "warning")
            );
        }
    }
    out
}
