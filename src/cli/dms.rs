//! `orakit dms wallet`: the auto-login-only wallet AWS DMS takes for an Oracle endpoint
//! with SSL mode verify-ca, from a CA bundle whose chain is checked first.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::net::TargetArg;
use crate::cli::pki_io::{in_file, read_input};
use crate::cli::wallet::Encryption;
use crate::fsio::{self, Overwrite};
use crate::tcps::chain::check_chain;
use crate::tcps::client::trust_only_wallet;
use crate::wallet::certs;
use crate::wallet::store::{self, WalletPaths, WalletType};

#[derive(Debug, Subcommand)]
pub enum DmsCommand {
    /// Make the wallet to upload to AWS DMS from a CA bundle (PEM or DER).
    ///
    /// Every certificate's issuer must be in the bundle (same name, and its key verifies
    /// the signature), ending at a self-signed root: the "entire certificate chain as a
    /// single .PEM file" DMS asks for. The result is DIR/cwallet.sso, auto-login-only
    /// (kind 0x37, no password, opens anywhere). orakit never writes a local auto-login
    /// (0x38) wallet here: it opens only on the host that made it, so DMS cannot read it.
    Wallet(WalletArgs),
}

#[derive(Debug, Args)]
pub struct WalletArgs {
    /// The CA certificate(s): the root and every intermediate; may be repeated.
    #[arg(long = "ca-cert", alias = "ca", value_name = "FILE", required = true)]
    pub ca: Vec<PathBuf>,
    /// Directory for cwallet.sso (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Wallet encryption: 3des or aes256 [default: what --target's orapki writes, else
    /// 3des, which every Oracle release reads].
    #[arg(long, value_enum)]
    pub encryption: Option<Encryption>,
    /// Write the wallet as orapki of this release writes it (19c and 23ai: AES-256,
    /// 11g and 12c: 3DES).
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// Replace a wallet already in DIR.
    #[arg(long)]
    pub force: bool,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

pub fn run(command: &DmsCommand) -> Result<Outcome> {
    match command {
        DmsCommand::Wallet(args) => wallet(args),
    }
}

fn wallet(args: &WalletArgs) -> Result<Outcome> {
    let mut ders = Vec::new();
    for file in &args.ca {
        let bytes = read_input(file, "CA certificate file")?;
        let found =
            certs::read_certificates(&bytes).map_err(in_file("CA certificate file", file))?;
        ders.extend(found);
    }
    let names: Vec<String> = args.ca.iter().map(|p| p.display().to_string()).collect();
    let chain = check_chain(&ders).with_context(|| names.join(", "))?;
    if args.out.exists() && !args.out.is_dir() {
        return Err(UsageError(format!(
            "{} is a file; --out takes a directory",
            args.out.display()
        ))
        .into());
    }
    let paths = WalletPaths::in_dir(&args.out);
    let wallet = trust_only_wallet(
        &chain.certificates,
        Encryption::resolve(args.encryption, args.target).profile(),
    )?;
    // The same wallet again (a rerun) changes nothing; another one needs --force.
    let exists = paths.existing_type()?.is_some();
    if exists
        && store::save_would_change_nothing(&paths, &wallet, WalletType::AutoLoginOnly, None, None)
    {
        eprintln!(
            "{} already holds this auto-login-only wallet; nothing changed",
            paths.sso.display()
        );
        return Ok(Outcome::Success);
    }
    if !args.force && exists {
        bail!(
            "{} already holds a wallet; pass --force to replace it",
            args.out.display()
        );
    }
    let created = !args.out.exists();
    if created {
        fsio::create_dir_with_mode(&args.out, 0o755)?;
    }
    // `save` also removes an ewallet.p12 that --force leaves behind, so the directory
    // holds one consistent auto-login-only wallet.
    let written = store::lock_for(&args.out, WalletType::AutoLoginOnly).and_then(|_lock| {
        store::save(
            &paths,
            &wallet,
            WalletType::AutoLoginOnly,
            None,
            Overwrite::from_force(args.force),
        )
    });
    if let Err(e) = written {
        if created {
            let _ = std::fs::remove_dir_all(&args.out);
        }
        return Err(e.into());
    }
    eprintln!(
        "wrote {} (auto-login-only) trusting {}, chain complete:",
        paths.sso.display(),
        crate::text::count(chain.certificates.len(), "certificate")
    );
    for subject in &chain.subjects {
        eprintln!("  {subject}");
    }
    let absolute = std::path::absolute(&paths.sso).unwrap_or_else(|_| paths.sso.clone());
    eprintln!(
        "upload it with:\n  aws dms import-certificate --certificate-identifier <name> --certificate-wallet fileb://{}\nthen use SSL mode verify-ca on the Oracle endpoint",
        absolute.display()
    );
    Ok(Outcome::Success)
}
