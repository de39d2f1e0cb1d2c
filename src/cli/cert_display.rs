//! `orakit cert display` (orapki `cert display`): a certificate as orapki prints it,
//! byte for byte: `Subject:`/`Issuer:`/`Valid Until:` lines, or with `--complete`
//! orapki's one-line dump. (`orakit cert show` is orakit's own, fuller view.)

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args;
use serde::Serialize;

use crate::cli::exit::Outcome;
use crate::cli::pki_io::{print_json, read_input};
use crate::pki::orapki_text::{
    DetailsLayout, certificates_to_display, complete, complete_details, summary,
};
use crate::wallet::certs;

#[derive(Debug, Args)]
#[command(
    after_help = "orapki 23ai and 19c print the same text for both forms.\n\n\
    EXAMPLES:\n  orakit cert display db1.crt\n  orakit cert display --complete db1.crt"
)]
pub struct DisplayArgs {
    /// The certificate: DER, PEM (the first certificate of the file) or a DER PKCS#7
    /// (every certificate in it), as orapki -cert reads it (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// orapki's -summary (the default): subject, issuer and end of validity.
    #[arg(long, conflicts_with = "complete")]
    pub summary: bool,
    /// orapki's -complete: every field in orapki's one-line form.
    #[arg(long)]
    pub complete: bool,
    /// With --complete: orapki's `-complete -details` layout (numbered certificates,
    /// digests, key and extensions on lines of their own).
    #[arg(long, requires = "complete")]
    pub details: bool,
    /// Whose -details layout: 19c or 23ai (they differ in one line's spacing).
    #[arg(long, value_name = "RELEASE", default_value = "23ai", value_parser = ["19c", "23ai"])]
    pub target: String,
    /// Print a JSON report instead of orapki's text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report {
    certificates: Vec<certs::CertDetails>,
}

pub fn display(args: &DisplayArgs) -> Result<Outcome> {
    let bytes = read_input(&args.file, "certificate")?;
    let ders = certificates_to_display(&bytes).map_err(|e| {
        anyhow!(
            "{}: {e}; give a certificate (PEM or DER) or a DER PKCS#7 (orapki: Found invalid certificate at {})",
            args.file.display(),
            args.file.display()
        )
    })?;
    if args.json {
        let certificates = ders
            .iter()
            .map(|d| certs::details(d))
            .collect::<Result<Vec<_>, _>>()?;
        print_json(&Report { certificates })?;
        return Ok(Outcome::Success);
    }
    if args.details {
        let layout = if args.target == "19c" {
            DetailsLayout::R19c
        } else {
            DetailsLayout::R23ai
        };
        print!("{}", complete_details(&ders, layout)?);
        return Ok(Outcome::Success);
    }
    let mut out = String::new();
    for der in &ders {
        if args.complete {
            out.push_str(&complete(der)?);
        } else {
            let cert = crate::pki::cert::read_certificate(der)?;
            out.push_str(&summary(&cert));
        }
    }
    print!("{out}");
    Ok(Outcome::Success)
}
