//! `orakit wallet ...`: create, inspect and change Oracle wallets.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::cli::exit::{Outcome, UsageError};
use crate::cli::net::TargetArg;
use crate::cli::output::CheckArg;
use crate::cli::password::{PasswordArgs, Prompt};
use crate::cli::pki_io::in_file;
use crate::fsio::{self, MODE_PUBLIC, Overwrite};
use crate::net::tls::Target;
use crate::secret::Password;
use crate::wallet::certs;
use crate::wallet::display;
use crate::wallet::model::{Added, Item, Profile, Wallet};
use crate::wallet::sso::LocalBinding;
use crate::wallet::store::{self, Opened, WalletPaths, WalletType};

mod convert;
mod credential;
mod local;
mod open;
mod remove;
mod secret;
mod select;
pub use convert::{ChangePasswordArgs, ConvertArgs, NewPasswordArgs, TargetType};
pub use credential::CredentialCommand;
pub use local::LocalArgs;
pub use secret::{SecretArgs, SecretCommand};
mod export;
pub(crate) mod import;
mod jks;
mod keys;
pub(crate) mod other_passwords;
mod pem;
mod replace;
mod self_signed;
mod trust_bundle;
mod trust_flags;
mod user_credential;
pub use export::{ChainFormat, ExportChainArgs, ExportKeyArgs, KeySelector};
pub use import::ImportArgs;
pub use jks::{JksPasswordArgs, ToJksArgs};
pub use keys::{AddKeyArgs, AddUserCertArgs, ExportRequestArgs};
pub use other_passwords::{KeyPasswordArgs, Pkcs12PasswordArgs};
pub use pem::ExportPemArgs;
pub use replace::{ReplaceArgs, ReplaceKind};
pub use self_signed::{AddSelfSignedArgs, SignatureAlgorithm};
pub use trust_flags::TrustFlagsArgs;
pub use user_credential::UserCredentialCommand;

pub(crate) use open::open_to_read;
use open::{open_for_change, save};
use remove::remove;
use select::{describe_selector, select};

#[derive(Debug, Subcommand)]
pub enum WalletCommand {
    // In the order a user meets them: make a wallet, fill it, read it, change it; the
    // mkstore stores last. `wallet --help` lists them in this order.
    /// Create an empty wallet (orapki wallet create).
    Create(CreateArgs),
    /// Add every certificate of a PEM or DER file or bundle as trusted (orapki wallet add -trusted_cert).
    AddTrusted(AddTrustedArgs),
    /// Generate a key and its certificate request inside the wallet (orapki wallet add -dn -keysize).
    AddKey(AddKeyArgs),
    /// Write a pending certificate request as PEM (orapki wallet export -request).
    ExportRequest(ExportRequestArgs),
    /// Install a signed certificate on its request's key (orapki wallet add -user_cert).
    AddUserCert(AddUserCertArgs),
    /// Bring in a key, its certificate and CA chain from a PKCS#12/PFX or PEM files
    /// (orapki wallet import_pkcs12 / import_private_key).
    Import(Box<ImportArgs>),
    /// List the wallet's certificates like orapki wallet display, or everything with --json.
    Display(DisplayArgs),
    /// Write a trusted or user certificate as PEM (orapki wallet export -cert).
    ExportCert(ExportCertArgs),
    /// Write a user certificate's CA chain as PEM or PKCS#7 (orapki wallet export_trust_chain).
    ExportChain(ExportChainArgs),
    /// Write a private key as PKCS#8 PEM, encrypted unless --unencrypted (orapki wallet export_private_key).
    ExportKey(ExportKeyArgs),
    /// Write ewallet.pem for python-oracledb / node-oracledb thin mode.
    ExportPem(ExportPemArgs),
    /// Install a renewed certificate in place of the one it renews (orapki wallet replace).
    Replace(ReplaceArgs),
    /// Remove trusted certificates, user certificates (with their key) or pending requests.
    Remove(RemoveArgs),
    /// Change the wallet type (password / auto-login / auto-login-only) or its encryption.
    Convert(ConvertArgs),
    /// Change the wallet password (orapki wallet change_pwd).
    ChangePassword(ChangePasswordArgs),
    /// Enable trust flags or assign them to a certificate (orapki enable_trust_flags /
    /// assign_trust_flags).
    TrustFlags(TrustFlagsArgs),
    /// Generate a key and a self-signed certificate in the wallet (orapki wallet add -self_signed).
    AddSelfSigned(Box<AddSelfSignedArgs>),
    /// Write the key and chain and/or the trusted certificates as Java key stores (orapki wallet pkcs12_to_jks).
    ToJks(Box<ToJksArgs>),
    /// Stored database credentials for `/@alias` logins (mkstore -createCredential etc.).
    #[command(subcommand)]
    Credential(Box<CredentialCommand>),
    /// User credentials under a map and key (mkstore -createUserCredential etc.).
    #[command(subcommand)]
    UserCredential(Box<UserCredentialCommand>),
    /// Generic secret-store entries (mkstore -createEntry, -viewEntry, -list etc.).
    #[command(subcommand)]
    Secret(Box<SecretCommand>),
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

    /// What orapki of `target` writes for every new or rewritten wallet. orapki 19c (from
    /// 19.22; 19.33 checked) and 23ai write PBES2 / AES-256 (tests/oracle/same_structure.rs);
    /// 11g and 12c orapki wrote 3DES.
    pub(crate) fn of_target(target: Target) -> Self {
        match target {
            Target::Oracle11g | Target::Oracle12c => Self::TripleDes,
            Target::Oracle19c | Target::Oracle19_30 | Target::Oracle23ai => Self::Aes256,
        }
    }

    /// The encryption a command writes: `--encryption` when given, else what `--target`'s
    /// orapki writes, else 3DES, which every Oracle release reads.
    pub(crate) fn resolve(given: Option<Self>, target: Option<TargetArg>) -> Self {
        given
            .or_else(|| target.map(|t| Self::of_target(t.into())))
            .unwrap_or(Self::TripleDes)
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
    /// Open an ewallet.p12 that has no MAC (no integrity protection: any password opens
    /// it). Refused without this flag; a change writes the file back with a MAC.
    #[arg(long)]
    pub allow_no_mac: bool,
}

impl WalletArg {
    /// The wallet's paths, with this command's MAC policy.
    pub(crate) fn locate(&self) -> Result<WalletPaths> {
        let mut paths = WalletPaths::locate(&self.wallet)?;
        paths.allow_no_mac = self.allow_no_mac;
        Ok(paths)
    }
}

/// Says that a wallet was opened without integrity protection (only with --allow-no-mac).
pub(crate) fn warn_if_no_mac(opened: &Opened, changing: bool) {
    if opened.source.sso_header.is_none() && opened.source.pkcs12.mac.is_none() {
        eprintln!(
            "warning: {} has no MAC: no integrity protection; check its certificates{}",
            opened.source.file.display(),
            if changing {
                " (it is written back with a MAC now)"
            } else {
                ""
            }
        );
    }
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
    /// Encryption of the PKCS#12 contents [default: what --target's orapki writes, else
    /// 3des, which every Oracle release reads].
    #[arg(long, value_enum)]
    pub encryption: Option<Encryption>,
    /// Write the wallet as orapki of this release writes it: 19c (as its release updates
    /// since 19.22 write), 19.30 and 23ai use AES-256 (PBES2); 11g and 12c 3DES.
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// Write the version-6 local auto-login header (bound to host and user only) instead of
    /// version 7 (also bound to the machine id), as orapki 19.33 -compat_lsso_v6.
    #[arg(long, requires = "auto_login_local")]
    pub compat_lsso_v6: bool,
    /// Enable trust flags (orapki -with_trust_flags): each trusted certificate then says
    /// what it is trusted for (SERVER_AUTH, CLIENT_AUTH, VALID_PEER, NULL).
    #[arg(long)]
    pub with_trust_flags: bool,
    /// Record orapki's -compat_v12 in the wallet's configuration marker.
    #[arg(long)]
    pub compat_v12: bool,
    /// Replace an existing wallet in the directory.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub trust_bundle: trust_bundle::TrustBundleArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: CheckArg,
}

#[derive(Debug, Args)]
pub struct AddTrustedArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// PEM or DER file with one or more certificates; may be repeated.
    #[arg(long, value_name = "FILE", required = true)]
    pub cert: Vec<PathBuf>,
    /// Trust flags for the added certificates in a trust-flag wallet (orapki add
    /// -trust_flags): SERVER_AUTH, CLIENT_AUTH, SERVER_AUTH,CLIENT_AUTH, VALID_PEER or NULL.
    /// Without it a trust-flag wallet gives what orapki gives: SERVER_AUTH to a self-issued
    /// certificate, NULL to another CA certificate, VALID_PEER to an end-entity one.
    #[arg(long, value_name = "FLAGS", value_parser = trust_flags::parse_flags)]
    pub trust_flags: Option<crate::wallet::local_key_id::TrustFlags>,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: CheckArg,
}

#[derive(Debug, Args)]
pub struct DisplayArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    /// Print a JSON report with every detail instead of orapki's listing.
    #[arg(long, conflicts_with_all = ["summary", "complete"])]
    pub json: bool,
    /// Include secret-store values in the JSON report.
    #[arg(long, requires = "json")]
    pub show_secrets: bool,
    /// orapki's -summary listing (the default): one Subject line per entry.
    #[arg(long, conflicts_with = "complete")]
    pub summary: bool,
    /// orapki's -complete listing: issuer, validity, serial, key length and digests too.
    #[arg(long)]
    pub complete: bool,
    /// The orapki release whose display text to reproduce byte for byte.
    #[arg(long, value_enum, default_value = "23ai")]
    pub target: DisplayTarget,
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// orapki releases `wallet display` can imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DisplayTarget {
    #[value(name = "19c")]
    V19c,
    #[value(name = "23ai")]
    V23ai,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntryKind {
    /// A trusted (CA) certificate.
    Trusted,
    /// A user certificate, with the private key it belongs to (needs --yes).
    User,
    /// A pending certificate request (not yet signed), with its key.
    Request,
    /// A private key with everything on it: its user certificate and request (needs --yes).
    Key,
}

/// Which certificate(s) a command means: one of --subject, --alias, --fingerprint or
/// --issuer with --serial; --issuer and --serial may also narrow --subject or --alias
/// (orapki's `-dn`/`-alias` with `-issuer_dn`/`-serial_num`).
#[derive(Debug, Clone, Default, Args)]
pub struct Selector {
    /// Subject DN as `display` prints it (RFC 2253 order, e.g. "CN=Root CA,O=Example,C=US").
    #[arg(long, value_name = "DN")]
    pub subject: Option<String>,
    /// The alias `display --complete` shows: the friendly name, else orapki's own
    /// (`CN=<common name>`; `orakey` for keys orapki made).
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
    /// SHA-256 or SHA-1 fingerprint in hex (colons allowed), as `display --json` prints it.
    #[arg(long, value_name = "HEX")]
    pub fingerprint: Option<String>,
    /// Issuer DN of the certificate (with --serial, or narrowing --subject/--alias).
    #[arg(long, value_name = "DN")]
    pub issuer: Option<String>,
    /// Serial number in hex as `display` prints it (colons and 0x allowed), with --issuer.
    #[arg(long, value_name = "HEX")]
    pub serial: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[command(flatten)]
    pub wallet: WalletArg,
    #[command(flatten)]
    pub selector: Selector,
    /// Remove every trusted certificate, in one write (orapki `-trusted_cert_all`).
    #[arg(long, conflicts_with_all = ["subject", "alias", "fingerprint", "issuer", "serial", "kind", "missing_ok"])]
    pub all_trusted: bool,
    /// Only consider entries of this kind (needed when the selector matches several kinds).
    #[arg(long, value_enum)]
    pub kind: Option<EntryKind>,
    /// Confirm removing a private key that carries a user certificate (`--kind key` or
    /// `--kind user`); without it the command lists what would go and changes nothing.
    #[arg(long)]
    pub yes: bool,
    /// Print what was removed as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub check: CheckArg,
    /// Nothing matching is not an error: exit 0 with nothing changed (for reruns).
    #[arg(long)]
    pub missing_ok: bool,
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
    /// Print what changed as JSON on standard output (docs/json.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub check: CheckArg,
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
        WalletCommand::UserCredential(c) => user_credential::run(c),
        WalletCommand::Secret(c) => secret::run(c),
        WalletCommand::AddKey(a) => keys::add_key(a),
        WalletCommand::ExportRequest(a) => keys::export_request(a),
        WalletCommand::AddUserCert(a) => keys::add_user_cert(a),
        WalletCommand::ExportPem(a) => pem::export_pem(a),
        WalletCommand::TrustFlags(a) => trust_flags::run(a),
        WalletCommand::Import(a) => import::import_identity(a),
        WalletCommand::ExportKey(a) => export::export_key(a),
        WalletCommand::ExportChain(a) => export::export_chain(a),
        WalletCommand::Replace(a) => replace::replace(a),
        WalletCommand::AddSelfSigned(a) => self_signed::add_self_signed(a),
        WalletCommand::ToJks(a) => jks::to_jks(a),
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
    let bundle = args.trust_bundle.read(wallet_type)?;
    let paths = WalletPaths::in_dir(dir);
    let exists = paths.existing_type()?.is_some();
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
    let identity = local::identity_for_type(wallet_type, &args.wallet.local, args.compat_lsso_v6)?;
    let mut wallet = Wallet::new(Encryption::resolve(args.encryption, args.target).profile());
    if args.with_trust_flags || args.compat_v12 {
        crate::wallet::config_marker::enable(
            &mut wallet,
            crate::wallet::config_marker::WalletConfig {
                compat_v12: args.compat_v12,
                trust_flags: args.with_trust_flags,
            },
        )
        .context("writing the wallet's configuration marker")?;
    }
    if let Some(b) = &bundle {
        b.selection.add_to(&mut wallet)?;
    }
    // An existing wallet that is already the one asked for (same type, password and
    // settings; whatever entries it holds now) is a rerun: nothing to do. Any other is
    // replaced only with --force.
    // With a trust bundle the entries are what was asked for too.
    let same = exists
        && if bundle.is_some() {
            store::save_would_change_nothing(
                &paths,
                &wallet,
                wallet_type,
                password.as_ref(),
                identity.as_ref(),
            )
        } else {
            store::is_created_as(
                &paths,
                &wallet,
                wallet_type,
                password.as_ref(),
                identity.as_ref(),
            )
        };
    if exists && !args.force && !same {
        bail!(
            "{} already holds a wallet; pass --force to replace it",
            dir.display()
        );
    }
    if same {
        eprintln!(
            "{} already holds {} wallet as asked; nothing changed",
            dir.display(),
            type_name(wallet_type)
        );
        return Ok(Outcome::Success);
    }
    if !dir.exists() {
        fsio::create_dir_with_mode(dir, 0o700)?;
    }
    let _lock = store::lock_for(dir, wallet_type)?;
    store::save_with_identity(
        &paths,
        &wallet,
        wallet_type,
        password.as_ref(),
        identity.as_ref(),
        Overwrite::from_force(args.force),
    )?;
    eprintln!(
        "{} {} wallet in {}{}",
        crate::cli::output::verb("created", "would create"),
        type_name(wallet_type),
        dir.display(),
        bound_to(identity.as_ref())
    );
    if let Some(b) = &bundle {
        args.trust_bundle.report(b, dir, args.json)?;
    }
    Ok(Outcome::Success)
}

/// `, bound to host H and user U` (and the machine id, for version 7) for a local wallet.
fn bound_to(binding: Option<&LocalBinding>) -> String {
    binding.map_or_else(String::new, |b| {
        let i = &b.identity;
        match (&b.format, &i.machine_id) {
            (crate::wallet::sso::LocalFormat::V7(_), Some(id)) => format!(
                ", bound to host {} and user {} and machine id {id} (header version 7)",
                i.short_host(),
                i.user
            ),
            _ => format!(
                ", bound to host {} and user {} (header version 6)",
                i.short_host(),
                i.user
            ),
        }
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
        let outcome = wallet
            .add_trusted_with_flags(der, args.trust_flags)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: {e}; nothing was changed",
                    edit.opened.paths.dir.display()
                )
            })?;
        match outcome {
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
        "{} {}{}",
        crate::cli::output::verb("added", "would add"),
        crate::text::count(added, "trusted certificate"),
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
        crate::cli::output::print_json(&report)?;
    } else {
        if let Some((identity, _)) = &opened.source.local {
            // On stderr: stdout is orapki's text, byte for byte.
            eprintln!(
                "Local auto-login wallet bound to host {} and user {}",
                identity.short_host(),
                identity.user
            );
        }
        let release = match args.target {
            DisplayTarget::V19c => display::Release::R19c,
            DisplayTarget::V23ai => display::Release::R23ai,
        };
        let detail = if args.complete {
            display::Detail::Complete
        } else {
            display::Detail::Summary
        };
        print!("{}", display::text(opened.wallet(), release, detail));
    }
    Ok(Outcome::Success)
}

fn export_cert(args: &ExportCertArgs) -> Result<Outcome> {
    args.selector.check()?;
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
    // A self-signed certificate in the wallet as user certificate and as trusted
    // certificate (what add-self-signed and orapki write) is one certificate: written once,
    // so `csr sign --ca-cert` and other readers of the file see one.
    let mut written: Vec<&[u8]> = Vec::new();
    for &i in &hits {
        if let Item::Certificate(der) = &wallet.entries[i].item
            && !written.contains(&der.as_slice())
        {
            written.push(der);
        }
    }
    let pem: String = written.iter().map(|der| certs::to_pem(der)).collect();
    match &args.out {
        Some(out) => {
            fsio::write_atomic(
                out,
                pem.as_bytes(),
                MODE_PUBLIC,
                Overwrite::from_force(args.force),
            )?;
            eprintln!(
                "wrote {} to {}",
                crate::text::count(written.len(), "certificate"),
                out.display()
            );
        }
        None => print!("{pem}"),
    }
    Ok(Outcome::Success)
}
