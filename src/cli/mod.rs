//! The `orakit` command line: one file per command group, each with its clap arguments
//! and a `run` function. Everything user-facing (printing, prompting, environment
//! variables, exit codes) lives here, never in the library modules.

// clap turns the argument doc comments into `--help` text, where `<host>`, `[ADDR]` and
// `SID_LIST_<LISTENER>` are meant literally, not as HTML or rustdoc links.
#![allow(rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

pub mod ca;
pub mod ca_password;
pub mod cert;
pub mod cert_create;
pub mod cert_display;
pub mod completions;
pub mod crl;
pub mod csr;
pub mod dms;
pub mod doctor;
pub mod dropin;
pub mod exit;
pub mod expiry;
pub mod key;
pub mod man;
pub mod net;
pub mod net_revocation;
pub mod output;
pub mod password;
pub mod pki_io;
pub mod probe;
pub mod renames;
pub mod tcps;
pub mod tcps_byo;
pub mod tcps_issue;
pub mod tcps_renew;
pub mod tcps_rotate;
pub mod validity;
pub mod wallet;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use exit::Outcome;

/// Oracle wallets, certificates and TCPS configuration without orapki, mkstore or a JVM.
#[derive(Debug, Parser)]
#[command(name = "orakit", version = env!("ORAKIT_VERSION_LINE"), about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Private keys: generate RSA or EC keys.
    Key(key::KeyArgs),
    /// Certificate authorities: make a self-signed root CA.
    Ca(ca::CaArgs),
    /// Certificate requests: create one, or sign one with a CA.
    Csr(csr::CsrArgs),
    /// Certificates: inspect certificates, requests and bundles.
    Cert(cert::CertArgs),
    /// Certificate revocation lists: create, revoke, display, verify, status, hash directories.
    #[command(subcommand)]
    Crl(crl::CrlCommand),
    /// Write a shell completion script to standard output.
    Completions(completions::CompletionsArgs),
    /// Write man pages (one per command) generated from this binary's own help.
    Man(man::ManArgs),
    /// Create, inspect and change Oracle wallets (ewallet.p12, cwallet.sso).
    #[command(subcommand)]
    Wallet(wallet::WalletCommand),
    /// Oracle Net files: sqlnet.ora, listener.ora, tnsnames.ora (generate, update, check).
    Net(Box<net::NetArgs>),
    /// Live TLS check of a TCPS listener: chain, DN, negotiated suite, the four DMS SSL modes.
    Probe(probe::ProbeArgs),
    /// Find sqlnet.ora as Oracle does and explain what would break TLS there (ORA-28759, ORA-29024, ...).
    Doctor(doctor::DoctorArgs),
    /// Every certificate in wallets, PEM/DER files and directories with its days left; exit 3 when any expires soon.
    Expiry(expiry::ExpiryArgs),
    /// The whole self-signed TCPS set-up in one command (`tcps init`).
    #[command(subcommand)]
    Tcps(tcps::TcpsCommand),
    /// AWS DMS: the auto-login-only wallet to upload, from a checked CA chain.
    #[command(subcommand)]
    Dms(dms::DmsCommand),
    /// Drop-in orapki: Oracle's `orapki wallet ...` command lines, run natively (docs/drop-in.md).
    #[command(disable_help_flag = true)]
    Orapki(DropinArgs),
    /// Drop-in mkstore: Oracle's `mkstore -wrl DIR ...` command lines, run natively.
    #[command(disable_help_flag = true)]
    Mkstore(DropinArgs),
}

/// Oracle's arguments, passed through untouched (the front end parses them itself).
#[derive(Debug, clap::Args)]
pub struct DropinArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub args: Vec<std::ffi::OsString>,
}

/// Parses the command line, runs the command and turns the result into an exit code.
pub fn main() -> ExitCode {
    // A link or copy named orapki / mkstore, or `orakit orapki|mkstore ...`: Oracle's
    // command line goes to the drop-in front end before clap sees it.
    let mut argv = std::env::args_os();
    let argv0 = argv.next().unwrap_or_default();
    if let Some(tool) = dropin::invoked_as(&argv0) {
        return dropin::run(tool, argv.collect());
    }
    let rest: Vec<std::ffi::OsString> = argv.collect();
    match rest.first().and_then(|a| a.to_str()) {
        Some("orapki") => return dropin::run(dropin::Tool::Orapki, rest[1..].to_vec()),
        Some("mkstore") => return dropin::run(dropin::Tool::Mkstore, rest[1..].to_vec()),
        _ => {}
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    for note in renames::notes(&args) {
        eprintln!("{note}");
    }
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match run(&cli.command) {
        Ok(outcome) => {
            output::finish();
            exit::from_outcome(outcome)
        }
        Err(error) => exit::report(&error),
    }
}

/// Parses the command line and sets the run's `--json` / `--check` mode (cli/output.rs);
/// with `--json`, a usage error is a JSON document on standard output too.
fn parse(args: &[std::ffi::OsString]) -> std::result::Result<Cli, ExitCode> {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    match parsed {
        Ok((cli, matches)) => {
            output::begin(output::mode_of(&matches));
            Ok(cli)
        }
        Err(error) => {
            let informational = matches!(
                error.kind(),
                clap::error::ErrorKind::DisplayHelp
                    | clap::error::ErrorKind::DisplayVersion
                    | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if !informational && output::json_in_args(args) {
                let text = error.kind().as_str().unwrap_or("invalid command line");
                let first = error.to_string();
                let line = first
                    .lines()
                    .next()
                    .map_or(text, |l| l.trim_start_matches("error: "));
                output::print_error(line, "usage", exit::USAGE);
            }
            error.exit()
        }
    }
}

fn run(command: &Command) -> Result<Outcome> {
    match command {
        Command::Key(args) => key::run(args),
        Command::Ca(args) => ca::run(args),
        Command::Csr(args) => csr::run(args),
        Command::Cert(args) => cert::run(args),
        Command::Crl(command) => crl::run(command),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Wallet(command) => wallet::run(command),
        Command::Net(args) => net::run(args),
        Command::Probe(args) => probe::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::Expiry(args) => expiry::run(args),
        Command::Tcps(command) => tcps::run(command),
        Command::Dms(command) => dms::run(command),
        Command::Orapki(args) => Ok(dropin_exit(dropin::Tool::Orapki, args)),
        Command::Mkstore(args) => Ok(dropin_exit(dropin::Tool::Mkstore, args)),
    }
}

/// Only reached when clap parsed the line (main hands these commands over earlier).
fn dropin_exit(tool: dropin::Tool, args: &DropinArgs) -> Outcome {
    let code = dropin::run(tool, args.args.clone());
    if code == ExitCode::SUCCESS {
        Outcome::Success
    } else {
        std::process::exit(i32::from(dropin::ORACLE_FAILED))
    }
}
