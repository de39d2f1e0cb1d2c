//! `orakit tcps init`: the whole self-signed TCPS set-up (root CA, server wallet, client
//! wallet for AWS DMS and thin drivers, Oracle Net files) in one command. The work is in
//! [`crate::tcps`]; this file reads the options and the password and prints the summary.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::net::TargetArg;
use crate::cli::password::PasswordArgs;
use crate::cli::pki_io::KeyType;
use crate::cli::wallet::{Encryption, new_password};
use crate::fsio::{self, MODE_SECRET, Overwrite};
use crate::pki::name::parse_dn;
use crate::secret::Password;
use crate::tcps::init::{InitSpec, generate_wallet_password, plan};
use crate::tcps::layout;

/// Where the server's wallet goes on the database host unless --server-wallet-dir says.
pub const DEFAULT_SERVER_WALLET_DIR: &str = "/u01/app/oracle/wallet/tls";
/// Where a client's wallet goes unless --client-wallet-dir says.
pub const DEFAULT_CLIENT_WALLET_DIR: &str = "/opt/oracle/wallet/tls";

#[derive(Debug, Subcommand)]
pub enum TcpsCommand {
    /// Make a root CA, a server wallet, a client (AWS DMS) wallet and the Oracle Net files.
    ///
    /// Writes DIR/ca (root key 0600 + certificate), DIR/server/wallet (auto-login
    /// ewallet.p12 + cwallet.sso with the server key and certificate), DIR/server/network
    /// (sqlnet.ora, listener.ora), DIR/client/wallet (auto-login-only cwallet.sso with the
    /// root, the file to upload to AWS DMS, plus ewallet.pem for thin drivers) and
    /// DIR/client/network (sqlnet.ora, tnsnames.ora). DIR is written whole or not at all.
    /// No wallet is ever written as local auto-login (0x38): those open only on one host.
    /// With a server certificate from elsewhere (--pkcs12, --key/--cert, --tls-secret) no CA
    /// is made and the client wallet trusts that certificate's root; --client-auth adds
    /// client identities (mutual TLS) in DIR/clients/NAME.
    Init(Box<InitArgs>),
    /// Server wallets, certificates and listener/sqlnet files for many hosts from one CA
    /// (the CA of an earlier `tcps init`: --ca-dir DIR/ca).
    Issue(Box<crate::cli::tcps_issue::IssueArgs>),
    /// A new server certificate for a `tcps init` output (same CA, same key unless
    /// --new-key), put into the server wallet; only when due (--within), or --force.
    Renew(Box<crate::cli::tcps_renew::RenewArgs>),
    /// Rotate the root CA of a `tcps init` output or a `tcps issue` fleet in three
    /// phases: --phase trust (new root trusted beside the old), reissue (servers under
    /// the new root), retire (old root removed).
    RotateRoot(Box<crate::cli::tcps_rotate::RotateArgs>),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Host name (or address) clients connect to; repeat for more. The first is the
    /// listener's HOST; every one goes into the server certificate's SANs.
    #[arg(long = "host", value_name = "HOST", required = true)]
    pub hosts: Vec<String>,
    /// Another IP address for the server certificate's SANs; may be repeated.
    #[arg(long = "ip", value_name = "ADDRESS")]
    pub ips: Vec<IpAddr>,
    /// The database service clients connect to (tnsnames.ora SERVICE_NAME).
    #[arg(long, value_name = "NAME", required_unless_present = "sid")]
    pub service: Option<String>,
    /// The instance SID (used by tnsnames.ora when no --service is given).
    #[arg(long, value_name = "SID")]
    pub sid: Option<String>,
    /// With --sid: register the SID statically in listener.ora with this ORACLE_HOME.
    #[arg(long, value_name = "DIR", requires = "sid")]
    pub oracle_home: Option<String>,
    /// TCPS port of the listener.
    #[arg(long, value_name = "PORT", default_value_t = 2484)]
    pub tcps_port: u16,
    /// Plain TCP port the listener keeps.
    #[arg(long, value_name = "PORT", default_value_t = 1521)]
    pub tcp_port: u16,
    /// Write a TCPS-only listener (no TCP address).
    #[arg(long)]
    pub no_tcp: bool,
    /// Output directory (must not exist, or be empty, unless --force).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace an earlier `tcps init` output in DIR (its CA and wallets are deleted).
    #[arg(long)]
    pub force: bool,
    /// Key type of the CA and the server: rsa2048 (default), rsa3072, rsa4096, p256, p384, p521.
    #[arg(long, value_enum, value_name = "TYPE", default_value_t = KeyType::Rsa2048, hide_default_value = true, hide_possible_values = true, conflicts_with_all = crate::cli::tcps_byo::BRING_OPTIONS)]
    pub key_type: KeyType,
    /// Root CA subject [default: "CN=<first host> TCPS Root CA"].
    #[arg(long, value_name = "DN", conflicts_with_all = crate::cli::tcps_byo::BRING_OPTIONS)]
    pub ca_subject: Option<String>,
    /// Server certificate subject [default: "CN=<first host>"].
    #[arg(long, value_name = "DN", conflicts_with_all = crate::cli::tcps_byo::BRING_OPTIONS)]
    pub server_subject: Option<String>,
    /// Server certificate validity in days.
    #[arg(long, value_name = "DAYS", default_value_t = 365, conflicts_with_all = crate::cli::tcps_byo::BRING_OPTIONS)]
    pub days: u32,
    /// Root CA validity in days.
    #[arg(long, value_name = "DAYS", default_value_t = 3650, conflicts_with_all = crate::cli::tcps_byo::BRING_OPTIONS)]
    pub ca_days: u32,
    /// Sign with this existing CA (ca.pem + ca.key, plain or encrypted, as `tcps init`
    /// writes DIR/ca) instead of making a new root; it is copied to DIR/ca.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["ca_subject", "ca_days"])]
    pub ca_dir: Option<PathBuf>,
    /// Write DIR/ca/ca.key encrypted (PKCS#8, PBES2 AES-256); the password comes from
    /// --ca-key-password-env/--ca-key-password-file or a prompt. An encrypted --ca-dir
    /// key stays encrypted with its password.
    #[arg(long)]
    pub encrypt_ca_key: bool,
    #[command(flatten)]
    pub ca_password: crate::cli::ca_password::CaKeyPasswordArgs,
    /// Wallet encryption: 3des (every Oracle release) or aes256 (orapki 19.22+)
    /// [default: what an explicit --target's orapki writes, else 3des].
    #[arg(long, value_enum)]
    pub encryption: Option<Encryption>,
    /// Oracle release the .ora files (parameter names, TLS 1.3) and, when given, the
    /// wallets (19c and 23ai: AES-256 as their orapki writes) are for [default: 19c, with
    /// 3DES wallets].
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// Where the server wallet will be installed on the database host (goes into the
    /// server's sqlnet.ora and listener.ora).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_SERVER_WALLET_DIR)]
    pub server_wallet_dir: String,
    /// Where the client wallet will be installed on clients (client sqlnet.ora).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_CLIENT_WALLET_DIR)]
    pub client_wallet_dir: String,
    /// tnsnames.ora alias [default: the service name, or the SID].
    #[arg(long, value_name = "ALIAS")]
    pub alias: Option<String>,
    /// Also print the summary as JSON on standard output (it never holds the password).
    #[arg(long)]
    pub json: bool,
    /// The server ewallet.p12 password (or a prompt on a terminal).
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Generate a strong server wallet password and show it once on standard error
    /// (or write it to --generated-password-file).
    #[arg(long, conflicts_with_all = ["password_file", "password_env"])]
    pub generate_password: bool,
    /// With --generate-password: write the password to this new file (0600) instead of
    /// showing it.
    #[arg(long, value_name = "FILE", requires = "generate_password")]
    pub generated_password_file: Option<PathBuf>,
    #[command(flatten)]
    pub byo: crate::cli::tcps_byo::ByoArgs,
    #[command(flatten)]
    pub client_auth: crate::cli::tcps_byo::ClientAuthArgs,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

pub fn run(command: &TcpsCommand) -> Result<Outcome> {
    match command {
        TcpsCommand::Init(args) => init(args),
        TcpsCommand::Issue(args) => crate::cli::tcps_issue::issue(args),
        TcpsCommand::Renew(args) => crate::cli::tcps_renew::run(args),
        TcpsCommand::RotateRoot(args) => crate::cli::tcps_rotate::run(args),
    }
}

fn init(args: &InitArgs) -> Result<Outcome> {
    let first_host = &args.hosts[0];
    let ca_subject_text = args
        .ca_subject
        .clone()
        .unwrap_or_else(|| format!("CN={first_host} TCPS Root CA"));
    let server_subject_text = args
        .server_subject
        .clone()
        .unwrap_or_else(|| format!("CN={first_host}"));
    let ca_subject = parse_dn(&ca_subject_text).context("--ca-subject")?;
    let server_subject = parse_dn(&server_subject_text).context("--server-subject")?;
    if ca_subject == server_subject {
        return Err(UsageError(
            "--ca-subject and --server-subject are the same; the server certificate would look self-signed".into(),
        )
        .into());
    }
    // Refuse an existing DIR before asking for a password or making keys (an earlier
    // `tcps init` output may be this very set-up: a rerun, decided once it is planned).
    if !args.out.join(layout::MARKER).is_file() {
        layout::check_target(&args.out, args.force)?;
    }
    let brought = args.byo.read()?;
    let client_auth = args.client_auth.spec(args.key_type.spec(), args.days)?;
    let (existing_ca, ca_key_password) = crate::cli::ca_password::init_ca(
        args.ca_dir.as_deref(),
        args.encrypt_ca_key,
        &args.ca_password,
    )?;

    let password = if args.generate_password {
        generate_wallet_password()?
    } else if args.password.is_given() || std::io::stdin().is_terminal() {
        new_password(&args.password, "the server wallet password")?
    } else {
        return Err(UsageError(
            "the server wallet (ewallet.p12) needs a password: give --password-file or --password-env, or --generate-password".into(),
        )
        .into());
    };
    let spec = InitSpec {
        hosts: args.hosts.clone(),
        ips: args.ips.clone(),
        service: args.service.clone(),
        sid: args.sid.clone(),
        oracle_home: args.oracle_home.clone(),
        tcps_port: args.tcps_port,
        tcp_port: (!args.no_tcp).then_some(args.tcp_port),
        key_spec: args.key_type.spec(),
        ca_subject,
        server_subject,
        days: args.days,
        ca_days: args.ca_days,
        wallet_profile: Encryption::resolve(args.encryption, args.target).profile(),
        server_wallet_password: password.clone(),
        server_wallet_dir: args.server_wallet_dir.clone(),
        client_wallet_dir: args.client_wallet_dir.clone(),
        target: args.target.unwrap_or(TargetArg::V19c).into(),
        alias: args.alias.clone(),
        brought,
        client_auth,
        existing_ca,
        ca_key_password,
    };
    let planned = plan(&spec, &args.out)?;
    if !args.force && crate::tcps::rerun::already_set_up(&args.out, &planned) {
        eprintln!(
            "{} already holds this set-up; nothing changed (`orakit tcps renew` renews it, --force makes a new one)",
            args.out.display()
        );
        if args.json {
            crate::cli::output::print_json(&serde_json::json!({ "out_dir": args.out }))?;
        }
        return Ok(Outcome::Success);
    }
    let password_file = args
        .generated_password_file
        .as_ref()
        .filter(|_| args.generate_password);
    layout::publish(&args.out, &planned.files, args.force, || {
        if let Some(file) = password_file {
            let mut line =
                zeroize::Zeroizing::new(String::with_capacity(password.as_str().len() + 1));
            line.push_str(password.as_str());
            line.push('\n');
            fsio::write_atomic(file, line.as_bytes(), MODE_SECRET, Overwrite::Refuse)?;
        }
        Ok(())
    })?;
    eprint!("{}", planned.summary.text());
    if args.generate_password {
        show_generated(&password, password_file);
    }
    if args.json {
        crate::cli::output::print_json(&planned.summary)?;
    }
    Ok(Outcome::Success)
}

fn show_generated(password: &Password, file: Option<&PathBuf>) {
    match file {
        Some(f) => eprintln!(
            "\nThe server wallet password {} to {} (0600); it is not shown anywhere else.",
            crate::cli::output::verb("was written", "would be written"),
            f.display()
        ),
        None if crate::changes::check_mode() => eprintln!(
            "\nA server wallet password would be generated and shown once here (--check shows none)."
        ),
        None => {
            if !std::io::stderr().is_terminal() {
                // A CI job's log keeps whatever it is sent; say so where it lands.
                eprintln!(
                    "\nwarning: standard error is not a terminal, so the password below is recorded by whatever captures it (a CI log, a file); use --generated-password-file FILE to keep it out of logs"
                );
            }
            eprintln!(
                "\nServer wallet password (shown once; store it now, orakit keeps no copy):\n{}",
                password.as_str()
            )
        }
    }
}
