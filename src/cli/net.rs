//! `orakit net sqlnet | listener | tnsnames | check`: write Oracle Net entries for a TCPS
//! listener and its clients, upsert them into existing files, and lint existing files.
//!
//! Output goes to stdout by default (valid `.ora` text; extra information such as the
//! Easy Connect string appears there as `#` comments). `--out FILE` writes a new file
//! (refusing to replace one without `--force`); `--update FILE` replaces or appends only
//! the generated parameters in an existing file, keeps a backup of the old version as
//! `FILE.bak` (or `FILE.bak.1`, `FILE.bak.2`, ... when that exists: a backup is never
//! replaced), and writes atomically.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::pki_io::KeyType as KeyTypeArg;
use crate::net::listener::{ListenerSpec, StaticSid};
use crate::net::sqlnet::{ClientSqlnet, ServerSqlnet};
use crate::net::tls::{KeyType, ServerTls, Target};
use crate::net::tnsnames::{ConnectTo, TnsSpec};

mod check;
mod output;

use check::check;
use output::{emit, parse_document};

#[derive(Debug, Args)]
pub struct NetArgs {
    #[command(subcommand)]
    pub command: NetCommand,
}

#[derive(Debug, Subcommand)]
pub enum NetCommand {
    /// sqlnet.ora TLS entries for a database server or a client.
    Sqlnet(SqlnetArgs),
    /// listener.ora with TCP and TCPS addresses, wallet and TLS settings.
    Listener(ListenerArgs),
    /// tnsnames.ora aliases (plain and TLS), plus an Easy Connect string and a JDBC URL.
    Tnsnames(TnsnamesArgs),
    /// Parse and lint an Oracle Net parameter file; exits 3 when it finds problems.
    Check(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    #[value(name = "11g")]
    V11g,
    #[value(name = "12c")]
    V12c,
    #[value(name = "19c")]
    V19c,
    #[value(name = "19.30")]
    V19_30,
    #[value(name = "23ai")]
    V23ai,
}

impl From<TargetArg> for Target {
    fn from(t: TargetArg) -> Self {
        match t {
            TargetArg::V11g => Target::Oracle11g,
            TargetArg::V12c => Target::Oracle12c,
            TargetArg::V19c => Target::Oracle19c,
            TargetArg::V19_30 => Target::Oracle19_30,
            TargetArg::V23ai => Target::Oracle23ai,
        }
    }
}

/// The suites follow the key's family (RSA or EC); `--key-type` takes the same values as
/// everywhere else, so the key a user made names the `.ora` they need.
fn key_family(key_type: KeyTypeArg) -> KeyType {
    crate::tcps::server::net_key_type(key_type.spec())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Server,
    Client,
}

/// Where generated entries go.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Replace or add the generated parameters in this existing file, keeping everything
    /// else byte for byte; the old file is kept as FILE.bak (FILE.bak.N if that exists).
    #[arg(long, value_name = "FILE", conflicts_with = "out")]
    pub update: Option<PathBuf>,
    /// Write a new file instead of printing to stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// With --out: replace an existing file.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: crate::cli::output::CheckArg,
}

/// Release and certificate settings of the server-side generators.
#[derive(Debug, Args)]
pub struct TlsArgs {
    /// Oracle release: picks SSL_* or TLS_* names (TLS_* from 19.30), TLS versions and suites.
    #[arg(long, value_enum, default_value = "19c")]
    pub target: TargetArg,
    /// Key type of the server certificate (rsa2048 ... p521, as `key generate`); the
    /// ECDHE suites must match its family, RSA or EC.
    #[arg(long, value_enum, value_name = "TYPE", default_value = "rsa2048")]
    pub key_type: KeyTypeArg,
    /// Mutual TLS: SSL_CLIENT_AUTHENTICATION = TRUE (default FALSE, one-way TLS).
    #[arg(long)]
    pub client_auth: bool,
    /// Write the outdated AWS DMS seed values SSL_VERSION = 1.0 and
    /// SSL_RSA_WITH_AES_256_CBC_SHA (TLS 1.0, no forward secrecy). Only to reproduce the seed.
    #[arg(long)]
    pub legacy_seed: bool,
}

impl TlsArgs {
    fn server_tls(&self) -> Result<ServerTls> {
        if self.legacy_seed {
            if key_family(self.key_type) == KeyType::Ec {
                return Err(UsageError(
                    "--legacy-seed writes an RSA-only cipher suite; it cannot be combined with an EC --key-type".into(),
                )
                .into());
            }
            eprintln!(
                "warning: --legacy-seed writes SSL_VERSION = 1.0 and SSL_RSA_WITH_AES_256_CBC_SHA, the outdated AWS DMS seed values: TLS 1.0 is deprecated and refused by current clients, and the suite has no forward secrecy. Use them only to reproduce the seed."
            );
        }
        Ok(ServerTls {
            target: self.target.into(),
            key_type: key_family(self.key_type),
            client_auth: self.client_auth,
            legacy_seed: self.legacy_seed,
        })
    }
}

#[derive(Debug, Args)]
pub struct SqlnetArgs {
    /// Server: wallet, client authentication, version, suites. Client: wallet, DN matching.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Directory holding the wallet (cwallet.sso / ewallet.p12).
    #[arg(long, value_name = "DIR")]
    pub wallet_dir: String,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Client: SQLNET.WALLET_OVERRIDE = TRUE, for credentials stored in the same wallet.
    #[arg(long)]
    pub wallet_override: bool,
    #[command(flatten)]
    pub revocation: crate::cli::net_revocation::RevocationArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ListenerArgs {
    /// Host name or IP address the listener binds to (the certificate's SAN should name it).
    #[arg(long)]
    pub host: String,
    /// Plain TCP port.
    #[arg(long, default_value_t = 1521, conflicts_with = "no_tcp")]
    pub tcp_port: u16,
    /// No plain TCP address (TCPS only).
    #[arg(long)]
    pub no_tcp: bool,
    /// TCPS port (2484 is the convention; the AWS DMS seed uses 1522).
    #[arg(long, default_value_t = 2484)]
    pub tcps_port: u16,
    /// Add an IPC address with this key, e.g. EXTPROC1521.
    #[arg(long, value_name = "KEY")]
    pub ipc_key: Option<String>,
    /// Register this SID statically (SID_LIST_<LISTENER>).
    #[arg(long, requires = "oracle_home")]
    pub sid: Option<String>,
    /// ORACLE_HOME of the statically registered SID.
    #[arg(long, value_name = "DIR", requires = "sid")]
    pub oracle_home: Option<String>,
    /// GLOBAL_DBNAME of the statically registered SID.
    #[arg(long, requires = "sid")]
    pub global_dbname: Option<String>,
    /// Listener name.
    #[arg(long, default_value = "LISTENER")]
    pub listener_name: String,
    /// Directory holding the listener's wallet.
    #[arg(long, value_name = "DIR")]
    pub wallet_dir: String,
    #[command(flatten)]
    pub tls: TlsArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("connect").required(true).args(["service", "sid"])))]
pub struct TnsnamesArgs {
    /// The plain alias; the TLS alias adds --tls-suffix.
    #[arg(long)]
    pub alias: String,
    /// Database host; must match the certificate's CN or SAN.
    #[arg(long)]
    pub host: String,
    /// TCP port of the plain alias.
    #[arg(long, default_value_t = 1521)]
    pub port: u16,
    /// TCPS port of the TLS alias.
    #[arg(long, default_value_t = 2484)]
    pub tcps_port: u16,
    /// Service name to connect to.
    #[arg(long)]
    pub service: Option<String>,
    /// SID to connect to (instead of a service name).
    #[arg(long)]
    pub sid: Option<String>,
    /// The server certificate's subject DN, for full DN matching (written double-quoted).
    #[arg(long, value_name = "DN")]
    pub server_dn: Option<String>,
    /// Per-connection wallet directory (MY_WALLET_DIRECTORY).
    #[arg(long, value_name = "DIR")]
    pub my_wallet_dir: Option<String>,
    /// Suffix of the TLS alias.
    #[arg(long, default_value = "_SSL")]
    pub tls_suffix: String,
    /// Write only the TLS alias.
    #[arg(long)]
    pub tls_only: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file to check (sqlnet.ora, listener.ora, tnsnames.ora, ...).
    pub file: PathBuf,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
    /// Key type of the wallet's certificate (rsa2048 ... p521); flags cipher suites that
    /// cannot match its family.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub key_type: Option<KeyTypeArg>,
    /// client: skip server-only warnings (SQLNET.AUTHENTICATION_SERVICES = (NONE)).
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,
}

pub fn run(args: &NetArgs) -> Result<Outcome> {
    match &args.command {
        NetCommand::Sqlnet(a) => sqlnet(a),
        NetCommand::Listener(a) => listener(a),
        NetCommand::Tnsnames(a) => tnsnames(a),
        NetCommand::Check(a) => check(a),
    }
}

fn sqlnet(args: &SqlnetArgs) -> Result<Outcome> {
    let mut text = match args.role {
        RoleArg::Server => {
            if args.wallet_override {
                return Err(UsageError("--wallet-override applies to --role client".into()).into());
            }
            ServerSqlnet {
                wallet_dir: args.wallet_dir.clone(),
                tls: args.tls.server_tls()?,
            }
            .render()?
        }
        RoleArg::Client => {
            if args.tls.client_auth || args.tls.legacy_seed {
                return Err(UsageError(
                    "--client-auth and --legacy-seed apply to --role server".into(),
                )
                .into());
            }
            let stored_credentials = wallet_holds_credentials(&args.wallet_dir);
            if stored_credentials && !args.wallet_override {
                eprintln!(
                    "note: the wallet in {} holds stored credentials; \
                     adding SQLNET.WALLET_OVERRIDE = TRUE",
                    args.wallet_dir
                );
            }
            ClientSqlnet {
                wallet_dir: args.wallet_dir.clone(),
                target: args.tls.target.into(),
                wallet_override: args.wallet_override || stored_credentials,
            }
            .render()?
        }
    };
    let revocation = args.revocation.model();
    text.push_str(&revocation.render(args.tls.target.into())?);
    emit(
        &text,
        &revocation.notes(),
        &args.output,
        args.tls.target.into(),
    )
}

/// Whether the wallet directory exists here and, opened without a password (auto-login),
/// holds mkstore-style credentials. A directory that is only a future install location,
/// or a wallet that needs a password, counts as "no": `--wallet-override` covers those.
fn wallet_holds_credentials(wallet_dir: &str) -> bool {
    let dir = std::path::Path::new(wallet_dir);
    if !dir.is_dir() {
        return false;
    }
    crate::wallet::store::open(&crate::wallet::store::WalletPaths::in_dir(dir), None, None)
        .map(|opened| crate::wallet::credential::has_credentials(opened.wallet()))
        .unwrap_or(false)
}

fn listener(args: &ListenerArgs) -> Result<Outcome> {
    let mut spec = ListenerSpec {
        name: args.listener_name.clone(),
        host: args.host.clone(),
        tcp_port: (!args.no_tcp).then_some(args.tcp_port),
        tcps_port: args.tcps_port,
        ipc_key: args.ipc_key.clone(),
        static_sid: match (&args.sid, &args.oracle_home) {
            (Some(sid), Some(home)) => Some(StaticSid {
                sid: sid.clone(),
                oracle_home: home.clone(),
                global_dbname: args.global_dbname.clone(),
            }),
            _ => None,
        },
        wallet_dir: args.wallet_dir.clone(),
        tls: args.tls.server_tls()?,
    };
    // An update of an existing listener adds or changes its TCPS address only: the
    // file's own TCP and IPC addresses stay exactly as they are.
    if let Some(file) = &args.output.update
        && file.is_file()
        && crate::limits::read_file(file, crate::limits::MAX_ORA_FILE, "Oracle Net files")
            .map_err(anyhow::Error::from)
            .and_then(|bytes| parse_document(file, bytes))
            .is_ok_and(|(_, doc)| doc.find(&args.listener_name).is_some())
    {
        spec.tcp_port = None;
        spec.ipc_key = None;
    }
    emit(&spec.render()?, &[], &args.output, args.tls.target.into())
}

fn tnsnames(args: &TnsnamesArgs) -> Result<Outcome> {
    let connect_to = match (&args.service, &args.sid) {
        (Some(service), None) => ConnectTo::Service(service.clone()),
        (None, Some(sid)) => ConnectTo::Sid(sid.clone()),
        _ => return Err(UsageError("give exactly one of --service and --sid".into()).into()),
    };
    let spec = TnsSpec {
        alias: args.alias.clone(),
        host: args.host.clone(),
        tcp_port: (!args.tls_only).then_some(args.port),
        tcps_port: args.tcps_port,
        connect_to,
        server_dn: args.server_dn.clone(),
        wallet_dir: args.my_wallet_dir.clone(),
        tls_suffix: args.tls_suffix.clone(),
    };
    let mut notes = Vec::new();
    match spec.easy_connect()? {
        Some(ez) => notes.push(format!("Easy Connect Plus: {ez}")),
        None => notes.push("Easy Connect Plus: not available for a SID; use the alias".into()),
    }
    notes.push(format!("JDBC URL: {}", spec.jdbc_url()?));
    emit(&spec.render()?, &notes, &args.output, Target::Oracle19c)
}
