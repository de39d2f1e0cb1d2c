//! `orakit key generate`: a new private key as PKCS#8 PEM, mode 0600.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::exit::Outcome;
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::{
    NewKeyArgs, WrittenFile, encryption_note, new_key_password, print_json, refuse_existing,
    write_outputs,
};
use crate::fsio::{MODE_SECRET, PlannedFile};
use crate::pki::key::{KeySpec, PrivateKey};

#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub command: KeyCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Generate a private key (RSA or EC) and write it as PKCS#8 PEM, mode 0600.
    #[command(after_help = "EXAMPLES:\n  \
        orakit key generate --out server.key\n  \
        orakit key generate --key-type p256 --out server.key\n  \
        orakit key generate --key-type rsa3072 --password-file pw.txt --out ca.key")]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Where to write the key.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    #[command(flatten)]
    pub key: NewKeyArgs,
    /// Password that encrypts the key (implies encryption).
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Replace an existing output file.
    #[arg(long, short_alias = 'f')]
    pub force: bool,
    /// Print a JSON result on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

#[derive(Serialize)]
struct KeyResult {
    key: KeySpec,
    encrypted: bool,
    files: Vec<WrittenFile>,
}

pub fn run(args: &KeyArgs) -> Result<Outcome> {
    match &args.command {
        KeyCommand::Generate(a) => generate(a),
    }
}

fn generate(args: &GenerateArgs) -> Result<Outcome> {
    if !args.force
        && crate::cli::pki_io::holds_key_of(&args.out, args.key.key_type.spec(), &args.password)
    {
        // A rerun: the key asked for is there (same type and size); keys are never made
        // again without --force.
        eprintln!(
            "{} already holds the {} private key asked for; nothing changed",
            args.out.display(),
            args.key.key_type.spec().description()
        );
        if args.json {
            print_json(&serde_json::json!({ "key": args.key.key_type.spec() }))?;
        }
        return Ok(Outcome::Success);
    }
    refuse_existing(&[&args.out], args.force)?;
    let password = new_key_password(&args.password, args.key.encrypt, &args.out)?;
    let key = PrivateKey::generate(args.key.key_type.spec())?;
    let pem = key.to_pkcs8_pem(password.as_ref())?;
    write_outputs(
        vec![PlannedFile::new(
            &args.out,
            pem.as_bytes().to_vec(),
            MODE_SECRET,
        )],
        args.force,
    )?;
    eprintln!(
        "{} {} private key {} (mode 0600, {})",
        crate::cli::output::verb("Wrote", "Would write"),
        key.description(),
        args.out.display(),
        encryption_note(password.as_ref())
    );
    if args.json {
        print_json(&KeyResult {
            key: key.spec(),
            encrypted: password.is_some(),
            files: vec![WrittenFile::new(&args.out, MODE_SECRET, "private key")],
        })?;
    }
    Ok(Outcome::Success)
}
