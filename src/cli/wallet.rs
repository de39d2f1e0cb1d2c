//! `orakit wallet ...`: create, inspect and change Oracle wallets.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::in_file;
use crate::fsio::{self, MODE_PUBLIC, Overwrite};
use crate::secret::Password;
use crate::wallet::certs;
use crate::wallet::display;
use crate::wallet::model::{Added, Item, Profile, Wallet};
use crate::wallet::sso::LocalIdentity;
use crate::wallet::store::{self, Opened, WalletPaths, WalletType};

mod convert;
mod credential;
mod local;
mod secret;
pub use convert::{ChangePasswordArgs, ConvertArgs, NewPasswordArgs, TargetType};
pub use credential::CredentialCommand;
pub use local::LocalArgs;
pub use secret::{SecretArgs, SecretCommand};
mod keys;
mod pem;
pub use keys::{AddKeyArgs, AddUserCertArgs, ExportRequestArgs};
pub use pem::ExportPemArgs;

#[derive(Debug, Subcommand)]
pub enum WalletCommand {
    /// Create an empty wallet (orapki wallet create).
    Create(CreateArgs),
    /// Add every certificate of a PEM or DER file or bundle as trusted (orapki wallet add -trusted_cert).
    AddTrusted(AddTrustedArgs),
    /// List the wallet's certificates like orapki wallet display, or everything with --json.
    Display(DisplayArgs),
    /// Remove trusted certificates, user certificates (with their key) or pending requests.
    Remove(RemoveArgs),
    /// Write a trusted or user certificate as PEM (orapki wallet export -cert).
    ExportCert(ExportCertArgs),
    /// Change the wallet type (password / auto-login / auto-login-only) or its encryption.
    Convert(ConvertArgs),
    /// Change the wallet password (orapki wallet change_pwd).
    ChangePassword(ChangePasswordArgs),
    /// Stored database credentials for `/@alias` logins (mkstore -createCredential etc.).
    #[command(subcommand)]
    Credential(Box<CredentialCommand>),
    /// Generic secret-store entries (mkstore -createEntry, -viewEntry, -list etc.).
    #[command(subcommand)]
    Secret(Box<SecretCommand>),
    /// Generate a key and its certificate request inside the wallet (orapki wallet add -dn -keysize).
    AddKey(AddKeyArgs),
    /// Write a pending certificate request as PEM (orapki wallet export -request).
    ExportRequest(ExportRequestArgs),
    /// Install a signed certificate on its request's key (orapki wallet add -user_cert).
    AddUserCert(AddUserCertArgs),
    /// Write ewallet.pem for python-oracledb / node-oracledb thin mode.
    ExportPem(ExportPemArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Encryption {
    /// 3DES PBE, 10000 iterations: opens in every Oracle release.
    #[value(name = "3des")]
    TripleDes,
    /// PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC: orapki's default since 19.22.
    Aes256,
}

impl Encryption {
    pub(crate) fn profile(self) -> Profile {
        match self {
            Self::TripleDes => Profile::three_des(),
            Self::Aes256 => Profile::aes256(),
        }
    }
}

/// The wallet to work on.
#[derive(Debug, Clone, Args)]
pub struct WalletArg {
    /// Wallet directory (or the path of its ewallet.p12 / cwallet.sso).
    #[arg(long, value_name = "DIR")]
    pub wallet: PathBuf,
    #[command(flatten)]
    pub local: LocalArgs,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Also write cwallet.sso so software opens the wallet without the password.
    #[arg(long, conflicts_with_all = ["auto_login_only", "auto_login_local"])]
    pub auto_login: bool,
    /// Write only cwallet.sso; no password is asked or stored.
    #[arg(long, conflicts_with = "auto_login_local")]
    pub auto_login_only: bool,
    /// Also write a cwallet.sso that opens only on this host for this OS user (or the
    /// ones --local-host / --local-user name): orapki -auto_login_local.
    #[arg(long)]
    pub auto_login_local: bool,
    /// Encryption of the PKCS#12 contents.
    #[arg(long, value_enum, default_value = "3des")]
    pub encryption: Encryption,
    /// Replace an existing wallet in the directory.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Args)]
pub struct AddTrustedArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// PEM or DER file with one or more certificates; may be repeated.
    #[arg(long, value_name = "FILE", required = true)]
    pub cert: Vec<PathBuf>,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Args)]
pub struct DisplayArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Print a JSON report with every detail instead of orapki's listing.
    #[arg(long)]
    pub json: bool,
    /// Include secret-store values in the JSON report.
    #[arg(long, requires = "json")]
    pub show_secrets: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntryKind {
    Trusted,
    User,
    Request,
}

/// Which certificate(s) a command means.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct Selector {
    /// Subject DN as `display` prints it (RFC 2253 order, e.g. "CN=Root CA,O=Example,C=US").
    #[arg(long, value_name = "DN")]
    pub subject: Option<String>,
    /// SHA-256 or SHA-1 fingerprint in hex (colons allowed), as `display --json` prints it.
    #[arg(long, value_name = "HEX")]
    pub fingerprint: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub selector: Selector,
    /// Only consider entries of this kind (needed when the selector matches several kinds).
    #[arg(long, value_enum)]
    pub kind: Option<EntryKind>,
    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Args)]
pub struct ExportCertArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub selector: Selector,
    /// Output file (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
}

pub fn run(command: &WalletCommand) -> Result<Outcome> {
    match command {
        WalletCommand::Create(a) => create(a),
        WalletCommand::AddTrusted(a) => add_trusted(a),
        WalletCommand::Display(a) => display_wallet(a),
        WalletCommand::Remove(a) => remove(a),
        WalletCommand::ExportCert(a) => export_cert(a),
        WalletCommand::Convert(a) => convert::convert(a),
        WalletCommand::ChangePassword(a) => convert::change_password(a),
        WalletCommand::Credential(c) => credential::run(c),
        WalletCommand::Secret(c) => secret::run(c),
        WalletCommand::AddKey(a) => keys::add_key(a),
        WalletCommand::ExportRequest(a) => keys::export_request(a),
        WalletCommand::AddUserCert(a) => keys::add_user_cert(a),
        WalletCommand::ExportPem(a) => pem::export_pem(a),
    }
}

pub(crate) fn new_password(args: &PasswordArgs, what: &str) -> Result<Password> {
    let password = args.require(what, Prompt::Confirm)?;
    if let Err(rule) = store::check_new_password(&password) {
        bail!("{rule}; nothing was written");
    }
    Ok(password)
}

fn create(args: &CreateArgs) -> Result<Outcome> {
    // `--wallet DIR/ewallet.p12` (or cwallet.sso) names the directory too.
    let named = &args.wallet.wallet;
    let names_a_wallet_file = named
        .file_name()
        .is_some_and(|n| n == store::P12_NAME || n == store::SSO_NAME);
    let dir = match named.parent() {
        Some(parent) if names_a_wallet_file && !parent.as_os_str().is_empty() => parent,
        Some(_) if names_a_wallet_file => std::path::Path::new("."),
        _ => named.as_path(),
    };
    if dir.exists() && !dir.is_dir() {
        return Err(UsageError(format!(
            "{} is a file; --wallet takes a directory for create",
            dir.display()
        ))
        .into());
    }
    let wallet_type = if args.auto_login_only {
        WalletType::AutoLoginOnly
    } else if args.auto_login_local {
        WalletType::LocalAutoLogin
    } else if args.auto_login {
        WalletType::AutoLogin
    } else {
        WalletType::Password
    };
    let paths = WalletPaths::in_dir(dir);
    if !args.force && paths.existing_type()?.is_some() {
        bail!(
            "{} already holds a wallet; pass --force to replace it",
            dir.display()
        );
    }
    let password = if wallet_type.has_p12() {
        if args.password.is_given() || std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            Some(new_password(&args.password, "the new wallet password")?)
        } else {
            return Err(UsageError(
                "a wallet password is needed: give --password-file or --password-env, or use --auto-login-only".into(),
            )
            .into());
        }
    } else {
        if args.password.is_given() {
            return Err(UsageError(
                "an auto-login-only wallet has no password; drop --password-file/--password-env"
                    .into(),
            )
            .into());
        }
        None
    };
    let identity = local::identity_for_type(wallet_type, &args.wallet.local)?;
    if !dir.exists() {
        fsio::create_dir_with_mode(dir, 0o700)?;
    }
    let _lock = store::lock(dir)?;
    let wallet = Wallet::new(args.encryption.profile());
    store::save_with_identity(
        &paths,
        &wallet,
        wallet_type,
        password.as_ref(),
        identity.as_ref(),
        Overwrite::from_force(args.force),
    )?;
    eprintln!(
        "created {} wallet in {}{}",
        type_name(wallet_type),
        dir.display(),
        bound_to(identity.as_ref())
    );
    Ok(Outcome::Success)
}

/// `, bound to host H and user U` for a local wallet, with a note on how far the
/// format has been checked.
fn bound_to(identity: Option<&LocalIdentity>) -> String {
    identity.map_or_else(String::new, |i| {
        format!(
            ", bound to host {} and user {}\n\
             note: no Oracle-made local auto-login wallet was available to compare with; the \
             format follows go-ora's reading of oraclepki, so test it with your Oracle client",
            i.short_host(),
            i.user
        )
    })
}

fn type_name(t: WalletType) -> &'static str {
    match t {
        WalletType::Password => "a password-protected",
        WalletType::AutoLogin => "an auto-login",
        WalletType::AutoLoginOnly => "an auto-login-only",
        WalletType::LocalAutoLogin => "a local auto-login",
    }
}

/// An opened wallet ready to change: its type and the password (and, for a local
/// auto-login wallet, the host and user) to write it with.
struct Editable {
    opened: Opened,
    wallet_type: WalletType,
    password: Option<Password>,
    local: Option<LocalIdentity>,
    _lock: store::WalletLock,
}

/// Locks the wallet directory and reads the wallet for a change: with the password when
/// it has an ewallet.p12, without one when it is auto-login-only.
/// Opens a wallet for reading. The password is asked for (or taken from its source) only
/// when the wallet has no cwallet.sso to open from, or the ewallet.p12 itself was named.
/// The password is handed back for commands that reuse it (export-pem).
pub(crate) fn open_to_read(
    wallet: &WalletArg,
    password_args: &PasswordArgs,
) -> Result<(Opened, Option<Password>)> {
    let paths = WalletPaths::locate(&wallet.wallet)?;
    let needs_password = match &paths.named_file {
        Some(named) => *named == paths.p12,
        None => paths.existing_type()? == Some(WalletType::Password),
    };
    let prompt = if needs_password {
        Prompt::Once
    } else {
        Prompt::Never
    };
    let password = password_args.resolve("the wallet password", prompt)?;
    // Shared locks on the lock files that exist (none is created): orapki rewrites
    // wallet files in place, so a read waits for an orapki change to finish.
    // (An interrupted change is finished first, under the exclusive lock.)
    store::recover_for_reader(&paths.dir)?;
    let _shared = store::read_lock(&paths.dir)?;
    let opened = local::open(&paths, password.as_ref(), &wallet.local)?;
    Ok((opened, password))
}

fn open_for_change(wallet: &WalletArg, password_args: &PasswordArgs) -> Result<Editable> {
    let mut paths = WalletPaths::locate(&wallet.wallet)?;
    paths.named_file = None;
    if paths.existing_type()?.is_none() {
        return Err(store::StoreError::NoWallet(paths.dir.clone()).into());
    }
    // The type is read under the lock: a `convert` that held it may have changed it.
    let lock = store::lock(&paths.dir)?;
    let Some(wallet_type) = paths.existing_type()? else {
        return Err(store::StoreError::NoWallet(paths.dir.clone()).into());
    };
    if wallet_type == WalletType::AutoLoginOnly && paths.is_host_bound()? {
        bail!(
            "{} holds only a local auto-login cwallet.sso (kind 0x38) and no ewallet.p12; orakit changes such a wallet only after `orakit wallet convert --to auto-login-only`",
            paths.dir.display()
        );
    }
    let local = local::identity_for(&paths, &wallet.local)?;
    let password = if wallet_type.has_p12() {
        Some(password_args.require("the wallet password", Prompt::Once)?)
    } else {
        None
    };
    let opened = store::open(&paths, password.as_ref(), None)?;
    match wallet_type {
        // Never paper over a damaged cwallet.sso by rewriting it silently; `convert`
        // (which reads only ewallet.p12) is the way to rebuild it.
        WalletType::AutoLogin => {
            store::open_sso(&paths.sso, None).context(
                "the auto-login file is damaged; nothing was changed (rebuild it with `orakit wallet convert --to auto-login`)",
            )?;
        }
        // A local wallet is rewritten for the same host and user, so they must open it.
        WalletType::LocalAutoLogin => {
            if let Err(e) = store::open_sso(&paths.sso, local.as_ref()) {
                bail!("{}; nothing was changed", local::explain(e, &wallet.local));
            }
        }
        _ => {}
    }
    Ok(Editable {
        opened,
        wallet_type,
        password,
        local,
        _lock: lock,
    })
}

fn save(edit: &Editable, wallet: &Wallet) -> Result<()> {
    store::save_with_identity(
        &edit.opened.paths,
        wallet,
        edit.wallet_type,
        edit.password.as_ref(),
        edit.local.as_ref(),
        Overwrite::Allow,
    )?;
    Ok(())
}

fn add_trusted(args: &AddTrustedArgs) -> Result<Outcome> {
    let mut found = Vec::new();
    for file in &args.cert {
        let bytes = crate::limits::read_file(file, crate::limits::MAX_PKI_FILE, "certificates")
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        let ders = certs::read_certificates(&bytes).map_err(in_file("certificate file", file))?;
        found.extend(ders);
    }
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let (mut added, mut skipped) = (0, 0);
    for der in &found {
        let subject = certs::subject_of(der);
        match wallet.add_trusted(der)? {
            Added::Added => added += 1,
            Added::AlreadyPresent => {
                skipped += 1;
                eprintln!("already in the wallet, not added again: {subject}");
            }
        }
    }
    if added > 0 {
        save(&edit, &wallet)?;
    }
    eprintln!(
        "added {added} trusted certificate(s){}",
        if skipped > 0 {
            format!(", {skipped} already present")
        } else {
            String::new()
        }
    );
    Ok(Outcome::Success)
}

fn display_wallet(args: &DisplayArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    if args.json {
        let report = display::report(&opened, args.show_secrets);
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        if let Some((identity, _)) = &opened.source.local {
            println!(
                "Local auto-login wallet bound to host {} and user {}",
                identity.short_host(),
                identity.user
            );
        }
        print!("{}", display::text(opened.wallet()));
    }
    Ok(Outcome::Success)
}

fn normalize_fingerprint(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Indices of the entries `selector` picks, with their kind.
fn select(
    wallet: &Wallet,
    selector: &Selector,
    kind: Option<EntryKind>,
) -> Vec<(usize, EntryKind)> {
    let mut hits = Vec::new();
    for (i, entry) in wallet.entries.iter().enumerate() {
        let (this_kind, subject, der) = match &entry.item {
            Item::Certificate(der) => {
                let k = if wallet.is_user_certificate(i) {
                    EntryKind::User
                } else {
                    EntryKind::Trusted
                };
                (k, certs::subject_of(der), Some(der))
            }
            Item::CertificateRequest(der) => {
                (EntryKind::Request, certs::request_subject(der), None)
            }
            _ => continue,
        };
        if kind.is_some_and(|k| k != this_kind) {
            continue;
        }
        let matched = match (&selector.subject, &selector.fingerprint, der) {
            (Some(dn), _, _) => certs::dn_matches(&subject, dn),
            (None, Some(fp), Some(der)) => {
                let want = normalize_fingerprint(fp);
                let d = certs::details(der).ok();
                d.is_some_and(|d| d.sha256_fingerprint == want || d.sha1_fingerprint == want)
            }
            _ => false,
        };
        if matched {
            hits.push((i, this_kind));
        }
    }
    hits
}

fn describe_selector(selector: &Selector) -> String {
    match (&selector.subject, &selector.fingerprint) {
        (Some(dn), _) => format!("subject {dn:?}"),
        (_, Some(fp)) => format!("fingerprint {fp}"),
        _ => String::new(),
    }
}

fn remove(args: &RemoveArgs) -> Result<Outcome> {
    let edit = open_for_change(&args.wallet, &args.password)?;
    let mut wallet = edit.opened.wallet().clone();
    let hits = select(&wallet, &args.selector, args.kind);
    if hits.is_empty() {
        bail!(
            "no entry in {} matches {}; `orakit wallet display` lists the subjects",
            edit.opened.paths.dir.display(),
            describe_selector(&args.selector)
        );
    }
    let first_kind = hits[0].1;
    if hits.iter().any(|h| h.1 != first_kind) {
        return Err(UsageError(format!(
            "{} matches entries of several kinds; add --kind trusted|user|request",
            describe_selector(&args.selector)
        ))
        .into());
    }
    let indices: Vec<usize> = hits.iter().map(|h| h.0).collect();
    let before = wallet.entries.len();
    wallet.remove(&indices);
    save(&edit, &wallet)?;
    eprintln!(
        "removed {} entr{}",
        before - wallet.entries.len(),
        if before - wallet.entries.len() == 1 {
            "y"
        } else {
            "ies"
        }
    );
    Ok(Outcome::Success)
}

fn export_cert(args: &ExportCertArgs) -> Result<Outcome> {
    let (opened, _) = open_to_read(&args.wallet, &args.password)?;
    let wallet = opened.wallet();
    let hits: Vec<usize> = select(wallet, &args.selector, None)
        .into_iter()
        .filter(|h| h.1 != EntryKind::Request)
        .map(|h| h.0)
        .collect();
    if hits.is_empty() {
        bail!(
            "no certificate in {} matches {}",
            opened.source.file.display(),
            describe_selector(&args.selector)
        );
    }
    let pem: String = hits
        .iter()
        .filter_map(|&i| match &wallet.entries[i].item {
            Item::Certificate(der) => Some(certs::to_pem(der)),
            _ => None,
        })
        .collect();
    match &args.out {
        Some(out) => {
            fsio::write_atomic(
                out,
                pem.as_bytes(),
                MODE_PUBLIC,
                Overwrite::from_force(args.force),
            )?;
            eprintln!("wrote {} certificate(s) to {}", hits.len(), out.display());
        }
        None => print!("{pem}"),
    }
    Ok(Outcome::Success)
}
