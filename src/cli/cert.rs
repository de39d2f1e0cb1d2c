//! `orakit cert show`: what a certificate, CSR or PEM bundle holds (`cert create` and
//! `cert display`, orapki's two cert commands, are in their own files).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::exit::Outcome;
use crate::cli::pki_io::{in_file, print_json, read_input};
use crate::pki::show::{ObjectReport, describe_all};

#[derive(Debug, Args)]
pub struct CertArgs {
    #[command(subcommand)]
    pub command: CertCommand,
}

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Show subject, issuer, serial, validity, key, SANs, extensions and fingerprints of
    /// every certificate and request in a file (PEM bundle or DER).
    #[command(
        after_help = "EXAMPLES:\n  orakit cert show server.pem\n  orakit cert show --json ca.pem | jq .objects[0].sha256_fingerprint"
    )]
    Show(ShowArgs),
    /// Sign a certificate request with the CA key and certificate in a wallet (orapki
    /// cert create).
    Create(Box<crate::cli::cert_create::CreateArgs>),
    /// Print a certificate as orapki cert display does, byte for byte.
    Display(crate::cli::cert_display::DisplayArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The file to inspect (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct ShowResult<'a> {
    objects: &'a [ObjectReport],
    skipped_blocks: usize,
}

pub fn run(args: &CertArgs) -> Result<Outcome> {
    match &args.command {
        CertCommand::Show(a) => show(a),
        CertCommand::Create(a) => crate::cli::cert_create::create(a),
        CertCommand::Display(a) => crate::cli::cert_display::display(a),
    }
}

fn show(args: &ShowArgs) -> Result<Outcome> {
    let bytes = read_input(&args.file, "file")?;
    let (reports, skipped) = describe_all(&bytes).map_err(in_file("file", &args.file))?;
    if args.json {
        print_json(&ShowResult {
            objects: &reports,
            skipped_blocks: skipped,
        })?;
    } else {
        let mut out = String::new();
        for (i, report) in reports.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            write_report(&mut out, report, i + 1, reports.len());
        }
        print!("{out}");
    }
    if skipped > 0 {
        eprintln!(
            "note: skipped {} that are neither certificates nor requests (keys are never shown)",
            crate::text::count(skipped, "PEM block")
        );
    }
    Ok(Outcome::Success)
}

fn write_report(out: &mut String, r: &ObjectReport, index: usize, total: usize) {
    let title = if r.kind == "certificate" {
        "Certificate"
    } else {
        "Certificate request"
    };
    if total > 1 {
        let _ = writeln!(out, "{title} {index} of {total}");
    } else {
        let _ = writeln!(out, "{title}");
    }
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "  {:<20}{value}", format!("{label}:"));
    };
    line("Subject", &r.subject);
    if let Some(issuer) = &r.issuer {
        line("Issuer", issuer);
    }
    if let Some(serial) = &r.serial {
        line("Serial", serial);
    }
    if let Some(nb) = &r.not_before {
        line("Not before", nb);
    }
    if let Some(na) = &r.not_after {
        line("Not after", na);
    }
    line("Key", &r.key);
    line("Signature", &r.signature_algorithm);
    if let Some(check) = &r.signature_check {
        line("Signature check", check);
    }
    if r.kind == "certificate" {
        let role = match (r.is_ca, r.self_signed) {
            (true, true) => "CA (self-signed root)",
            (true, false) => "CA (intermediate)",
            (false, true) => "self-signed, not a CA",
            (false, false) => "end entity",
        };
        line("Role", role);
    }
    let sans = if r.subject_alt_names.is_empty() {
        "(none)".to_owned()
    } else {
        r.subject_alt_names.join(", ")
    };
    line("SANs", &sans);
    if !r.extensions.is_empty() {
        let _ = writeln!(out, "  Extensions:");
        for ext in &r.extensions {
            let critical = if ext.critical { " (critical)" } else { "" };
            let _ = writeln!(out, "    {}{critical}: {}", ext.name, ext.value);
        }
    }
    if let Some(fp) = &r.sha256_fingerprint {
        let _ = writeln!(out, "  {:<20}{fp}", "SHA-256:");
    }
    if let Some(fp) = &r.sha1_fingerprint {
        let _ = writeln!(out, "  {:<20}{fp}", "SHA-1:");
    }
}
