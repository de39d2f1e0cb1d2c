//! `orakit net sqlnet | listener | tnsnames | check`: write Oracle Net entries for a TCPS
//! listener and its clients, upsert them into existing files, and lint existing files.
//!
//! Output goes to stdout by default (valid `.ora` text; extra information such as the
//! Easy Connect string appears there as `#` comments). `--out FILE` writes a new file
//! (refusing to replace one without `--force`); `--update FILE` replaces or appends only
//! the generated parameters in an existing file, keeps a backup of the old version as
//! `FILE.bak` (or `FILE.bak.1`, `FILE.bak.2`, ... when that exists: a backup is never
//! replaced), and writes atomically.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::pki_io::KeyType as KeyTypeArg;
use crate::fsio::{self, MODE_PUBLIC, Overwrite, PlannedFile};
use crate::net::check::{CheckContext, Finding, Role, Severity, check_text};
use crate::net::listener::{ListenerSpec, StaticSid};
use crate::net::sqlnet::{ClientSqlnet, ServerSqlnet};
use crate::net::tls::{KeyType, ServerTls, Target};
use crate::net::tnsnames::{ConnectTo, TnsSpec};
use crate::net::{Document, Merged};

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
    let text = match args.role {
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
    emit(&text, &[], &args.output, args.tls.target.into())
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

/// Prints, writes or upserts generated text. `notes` go to stdout as `#` comments after
/// the header line, or to stderr when the text goes to a file.
fn emit(text: &str, notes: &[String], output: &OutputArgs, target: Target) -> Result<Outcome> {
    if let Some(file) = &output.update {
        update(file, text, target)?;
        for note in notes {
            eprintln!("{note}");
        }
    } else if let Some(file) = &output.out {
        fsio::write_atomic(
            file,
            text.as_bytes(),
            MODE_PUBLIC,
            Overwrite::from_force(output.force),
        )?;
        eprintln!("wrote {}", file.display());
        for note in notes {
            eprintln!("{note}");
        }
    } else {
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let mut out = format!("{first}\n");
        for note in notes {
            out.push_str(&format!("# {note}\n"));
        }
        out.push_str(rest);
        print!("{out}");
    }
    Ok(Outcome::Success)
}

/// Parses the bytes of a parameter file, refusing anything but UTF-8 text.
fn parse_document(file: &Path, bytes: Vec<u8>) -> Result<(String, Document)> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = crate::net::parse::line_column(&prefix, valid);
        anyhow::anyhow!(
            "{}:{line}:{column}: not UTF-8 text; Oracle Net files must be plain ASCII",
            file.display()
        )
    })?;
    let doc = Document::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}:{e}; the file was not changed", file.display()))?;
    Ok((text, doc))
}

fn update(file: &Path, generated: &str, target: Target) -> Result<()> {
    // Update the file a symbolic link points to rather than replacing the link, but only
    // a link of the user running orakit (or root): see `resolve_link`.
    let resolved = resolve_link(file)?;
    let file = resolved.as_path();
    let (handle, meta) = lock_for_update(file)?;
    let bytes =
        crate::limits::read_bounded(&handle, crate::limits::MAX_ORA_FILE, "Oracle Net files")
            .with_context(|| format!("cannot read {}", file.display()))?;
    let (before, mut doc) = parse_document(file, bytes)?;
    let done = doc
        .merge_text(generated)
        .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was changed", file.display()))?;
    let mut after = doc.print();
    // A file without a final line break keeps it that way, as every other byte.
    if !before.is_empty() && !before.ends_with('\n') {
        let trimmed = after.trim_end_matches(['\r', '\n']).len();
        after.truncate(trimmed);
    }
    warn_about_shadowed_names(file, &doc, &done, target);
    // Freed before the check below parses the result again: peak memory stays one tree.
    drop(doc);
    // The result must read back as a valid file before it replaces the old one.
    Document::parse(&after).map_err(|e| {
        anyhow::anyhow!(
            "internal error: the updated file does not parse ({e}); {} was not changed",
            file.display()
        )
    })?;
    if after == before {
        eprintln!("{} is already up to date", file.display());
        return Ok(());
    }
    let mode = permission_bits(&meta);
    let backup = backup_path(file);
    // Both files get the owner of the old one (running as root on an `oracle`-owned
    // file), set before each is renamed into place.
    use std::os::unix::fs::MetadataExt;
    let owned = |path: &Path, text: &str| {
        PlannedFile::new(path, text.as_bytes().to_vec(), mode).with_owner(meta.uid(), meta.gid())
    };
    fsio::write_all_atomic(&[owned(&backup, &before)], Overwrite::Refuse).with_context(|| {
        format!(
            "cannot keep a backup of {}; nothing was changed",
            file.display()
        )
    })?;
    fsio::write_all_atomic(&[owned(file, &after)], Overwrite::Allow)?;
    // The lock is held until the new file is in place.
    drop(handle);
    let summary: Vec<String> = done
        .iter()
        .filter_map(|(name, what)| match what {
            Merged::Changed(notes) => Some(format!("{name}: {}", notes.join(", "))),
            Merged::Added => Some(format!("added {name}")),
            Merged::Unchanged => None,
        })
        .collect();
    eprintln!(
        "updated {} (everything else kept as it was): {}; the previous version is in {}",
        file.display(),
        summary.join(", "),
        backup.display()
    );
    Ok(())
}

/// 19.30+ ignores `SSL_X` when `TLS_X` is present; say so when the file mixes them.
fn warn_about_shadowed_names(
    file: &Path,
    doc: &Document,
    done: &[(String, Merged)],
    target: Target,
) {
    for (name, _) in done {
        let upper = name.to_ascii_uppercase();
        let other = if let Some(rest) = upper.strip_prefix("SSL_") {
            format!("TLS_{rest}")
        } else if let Some(rest) = upper.strip_prefix("TLS_") {
            format!("SSL_{rest}")
        } else {
            continue;
        };
        if doc.find(&other).is_some() {
            let note = if target.uses_tls_names() {
                format!("{other} is left in place but ignored by 19.30+ now that {upper} is set")
            } else {
                format!(
                    "{other} takes precedence over {upper} on 19.30+; remove it if {upper} should apply"
                )
            };
            eprintln!("warning: {}: {note}", file.display());
        }
    }
}

fn permission_bits(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        MODE_PUBLIC
    }
}

/// Follows a symbolic link at `file` (hop by hop) only while every link belongs to the
/// user running orakit or to root. A link another user made (the owner of a
/// network/admin directory, say) could point at any file, which root would then rewrite.
fn resolve_link(file: &Path) -> Result<PathBuf> {
    let mut path = file.to_path_buf();
    for _ in 0..40 {
        let st = crate::fsdir::lstat(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let Some(st) = st else {
            bail!(
                "{} does not exist or is not a file; use --out to create a new file",
                path.display()
            );
        };
        if !st.is_symlink() {
            if !st.is_file() {
                bail!(
                    "{} does not exist or is not a file; use --out to create a new file",
                    path.display()
                );
            }
            return Ok(path);
        }
        let me = crate::fsdir::euid();
        if st.uid != me && st.uid != 0 {
            bail!(
                "{} is a symbolic link owned by user id {}, not by you (id {me}) or root; orakit does not follow it, since that user could point it at any file. Give the path of the file itself",
                path.display(),
                st.uid
            );
        }
        let target = fs::read_link(&path)
            .with_context(|| format!("cannot read the link {}", path.display()))?;
        path = match path.parent() {
            Some(parent) if target.is_relative() => parent.join(target),
            _ => target,
        };
    }
    bail!("{}: too many levels of symbolic links", file.display())
}

/// Opens `file` (not through a link) and takes an exclusive lock on it, so two updates of
/// the same file run one after the other and neither loses the other's change. The
/// update replaces the file by rename, so a waiter then holds the lock of the old file:
/// it checks that the path still names the file it locked, and starts again if not.
fn lock_for_update(file: &Path) -> Result<(fs::File, fs::Metadata)> {
    use std::os::unix::fs::MetadataExt;
    for _ in 0..1000 {
        let handle = crate::limits::open_regular(file, true)
            .with_context(|| format!("cannot read {}", file.display()))?;
        // flock(2): it works on a read-only descriptor (the update writes a new file, so
        // it needs no write access to this one); only orakit locks Oracle Net files.
        handle
            .lock()
            .with_context(|| format!("cannot lock {}", file.display()))?;
        let meta = handle
            .metadata()
            .with_context(|| format!("cannot read {}", file.display()))?;
        let now =
            crate::fsdir::lstat(file).with_context(|| format!("cannot read {}", file.display()))?;
        if now.is_some_and(|st| st.dev == meta.dev() && st.ino == meta.ino()) {
            return Ok((handle, meta));
        }
    }
    bail!(
        "{} keeps being replaced while orakit waits to update it",
        file.display()
    )
}

/// `FILE.bak`, or the first free `FILE.bak.N`.
fn backup_path(file: &Path) -> PathBuf {
    let base = format!("{}.bak", file.display());
    let first = PathBuf::from(&base);
    if first.symlink_metadata().is_err() {
        return first;
    }
    (1u32..)
        .map(|n| PathBuf::from(format!("{base}.{n}")))
        .find(|p| p.symlink_metadata().is_err())
        .unwrap_or(first)
}

fn check(args: &CheckArgs) -> Result<Outcome> {
    let file = &args.file;
    let bytes = crate::limits::read_file(file, crate::limits::MAX_ORA_FILE, "Oracle Net files")
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut ctx = CheckContext {
        wallet_key_type: args.key_type.map(key_family),
        role: args.role.map(|r| match r {
            RoleArg::Server => Role::Server,
            RoleArg::Client => Role::Client,
        }),
        oracle_home: std::env::var_os("ORACLE_HOME").map(PathBuf::from),
        base_dir: file.parent().map(Path::to_path_buf),
    };
    let findings = match String::from_utf8(bytes) {
        Ok(text) => {
            if ctx.wallet_key_type.is_none() {
                ctx.wallet_key_type = wallet_key_type(&text, &ctx);
            }
            check_text(&text, &ctx)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, column) = crate::net::parse::line_column(&prefix, valid);
            vec![Finding {
                severity: Severity::Error,
                code: "syntax",
                line,
                column,
                message: "not UTF-8 text; Oracle Net files must be plain ASCII".into(),
            }]
        }
    };
    if args.json {
        let report = serde_json::json!({
            "file": file.display().to_string(),
            "findings": findings,
        });
        crate::cli::output::print_json(&report)?;
    } else {
        for f in &findings {
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            println!(
                "{}:{}:{}: {severity}[{}]: {}",
                file.display(),
                f.line,
                f.column,
                f.code,
                f.message
            );
        }
    }
    if findings.is_empty() {
        eprintln!("{}: no problems found", file.display());
        Ok(Outcome::Success)
    } else {
        eprintln!("{}: {} problem(s) found", file.display(), findings.len());
        Ok(Outcome::ProblemsFound)
    }
}

/// The key type of the user certificate in the wallet the file points at, when that
/// wallet opens without a password (auto-login); `None` otherwise. `--key-type` wins.
fn wallet_key_type(text: &str, ctx: &CheckContext) -> Option<KeyType> {
    use crate::wallet::model::Item;
    for dir in crate::net::check::wallet_directories(text, ctx) {
        let Ok(source) = crate::wallet::store::open_sso(&dir.join("cwallet.sso"), None) else {
            continue;
        };
        let wallet = &source.pkcs12.wallet;
        for i in wallet.user_cert_indices() {
            let Item::Certificate(der) = &wallet.entries[i].item else {
                continue;
            };
            let Ok(cert) = <x509_cert::Certificate as der::Decode>::from_der(der) else {
                continue;
            };
            let spki = cert.tbs_certificate().subject_public_key_info();
            if let Ok(spec) = crate::pki::key::spec_of_public_key(spki) {
                return Some(crate::tcps::server::net_key_type(spec));
            }
        }
    }
    None
}
