//! Everything one host gets, built in memory: a key (new, or the one a renewal keeps), a
//! CSR, a server certificate signed by the CA, an auto-login wallet holding key,
//! certificate and CA, and the host's `listener.ora`, `sqlnet.ora` and client
//! `tnsnames.ora`. No filesystem access: hosts build in parallel, and the caller decides
//! where and how the files land ([`crate::fleet::state`]).

use std::path::{Path, PathBuf};

use thiserror::Error;
use zeroize::Zeroizing;

use super::hosts_csv::HostSpec;
use crate::fsio::{MODE_PUBLIC, MODE_SECRET};
use crate::net::layout::GenerateError;
use crate::net::listener::ListenerSpec;
use crate::net::sqlnet::ServerSqlnet;
use crate::net::tls::{ServerTls, Target};
use crate::net::tnsnames::{ConnectTo, TnsSpec};
use crate::pki::cert;
use crate::pki::key::{KeySpec, PrivateKey};
use crate::pki::name::{parse_dn, to_rfc2253};
use crate::pki::show::format_time;
use crate::secret::Password;
use crate::tcps::server::{issue_server_identity, net_key_type};
use crate::wallet::model::Profile as WalletProfile;
use crate::wallet::store::{self, StoreError, WalletPaths, WalletType};

/// The placeholder in [`IssueOptions::subject`] and [`IssueOptions::wallet_location`].
pub const HOST_PLACEHOLDER: &str = "{host}";

/// Paths inside a host's directory.
pub const WALLET_DIR: &str = "wallet";
pub const CERT_FILE: &str = "server.pem";
pub const NETWORK_DIR: &str = "network";

/// The signing CA (the same type `tcps init` signs with): the CA file's certificates all
/// become trusted certificates in each wallet.
pub use crate::tcps::server::CaMaterial;

/// What is the same for every host of a run.
pub struct IssueOptions {
    /// Key type of new keys (a renewal keeps each host's key, whatever its type).
    pub key_spec: KeySpec,
    /// Validity of each certificate in days (clamped to the CA's).
    pub days: u32,
    /// Subject DN with [`HOST_PLACEHOLDER`], e.g. `CN={host}` or `CN={host},O=Example`.
    pub subject: String,
    /// The ewallet.p12 password (the same for every host of the run).
    pub wallet_password: Password,
    pub wallet_profile: WalletProfile,
    /// Oracle release the `.ora` entries are written for.
    pub target: Target,
    /// Where each wallet will live on its host, for `WALLET_LOCATION`; may hold
    /// [`HOST_PLACEHOLDER`].
    pub wallet_location: String,
}

/// One output file, relative to the host's directory.
pub struct BundleFile {
    pub path: PathBuf,
    pub contents: Zeroizing<Vec<u8>>,
    pub mode: u32,
}

/// Everything built for one host.
pub struct HostBundle {
    pub host: String,
    pub files: Vec<BundleFile>,
    pub subject: String,
    /// Serial number, lower-case hex.
    pub serial: String,
    /// `2027-11-27T21:40:00Z` (RFC 3339, UTC).
    pub not_after: String,
    pub key_type: String,
    /// What the certificate issuer reported (validity clamped to the CA's, ...).
    pub warnings: Vec<String>,
}

#[derive(Debug, Error)]
pub enum BundleError {
    #[error("subject {subject:?}: {source}")]
    Subject {
        subject: String,
        source: crate::pki::Error,
    },
    #[error(transparent)]
    Pki(#[from] crate::pki::Error),
    #[error(transparent)]
    Issue(#[from] crate::tcps::Error),
    #[error("encoding the wallet: {0}")]
    Store(#[from] StoreError),
    #[error("Oracle Net entries: {0}")]
    Net(#[from] GenerateError),
}

/// Builds a host's bundle with a new key of `options.key_spec`.
pub fn build(
    ca: &CaMaterial,
    host: &HostSpec,
    options: &IssueOptions,
) -> Result<HostBundle, BundleError> {
    let key = PrivateKey::generate(options.key_spec)?;
    build_with_key(ca, host, options, &key)
}

/// Builds a host's bundle around an existing key (renewal keeps the host's key).
pub fn build_with_key(
    ca: &CaMaterial,
    host: &HostSpec,
    options: &IssueOptions,
    key: &PrivateKey,
) -> Result<HostBundle, BundleError> {
    let subject_text = options.subject.replace(HOST_PLACEHOLDER, &host.host);
    let subject = parse_dn(&subject_text).map_err(|source| BundleError::Subject {
        subject: subject_text.clone(),
        source,
    })?;
    let identity = issue_server_identity(
        ca,
        key,
        &subject,
        &host.sans,
        options.days,
        options.wallet_profile,
    )?;
    let certificate = identity.certificate;
    let wallet_files = store::encode(
        &WalletPaths::in_dir(Path::new(WALLET_DIR)),
        &identity.wallet,
        WalletType::AutoLogin,
        Some(&options.wallet_password),
    )?;

    let mut files: Vec<BundleFile> = wallet_files
        .into_iter()
        .map(|f| BundleFile {
            path: f.path,
            contents: Zeroizing::new(f.contents),
            mode: f.mode,
        })
        .collect();
    let public = |path: PathBuf, text: String| BundleFile {
        path,
        contents: Zeroizing::new(text.into_bytes()),
        mode: MODE_PUBLIC,
    };
    files.push(public(CERT_FILE.into(), cert::to_pem(&certificate)?));
    let subject_dn = to_rfc2253(certificate.tbs_certificate().subject());
    for (name, text) in net_files(host, options, key.spec(), &subject_dn)? {
        files.push(public(Path::new(NETWORK_DIR).join(name), text));
    }
    debug_assert!(
        files
            .iter()
            .all(|f| f.mode == MODE_PUBLIC || f.mode == MODE_SECRET)
    );

    let tbs = certificate.tbs_certificate();
    Ok(HostBundle {
        host: host.host.clone(),
        files,
        subject: subject_dn,
        serial: hex::encode(tbs.serial_number().as_bytes()),
        not_after: format_time(&tbs.validity().not_after),
        key_type: key.spec().description(),
        warnings: identity.warnings,
    })
}

/// The server's `listener.ora` and `sqlnet.ora` and a client `tnsnames.ora` entry.
pub(crate) fn net_files(
    host: &HostSpec,
    options: &IssueOptions,
    key_spec: KeySpec,
    subject_dn: &str,
) -> Result<Vec<(&'static str, String)>, GenerateError> {
    let wallet_dir = options
        .wallet_location
        .replace(HOST_PLACEHOLDER, &host.host);
    let tls = ServerTls {
        target: options.target,
        key_type: net_key_type(key_spec),
        client_auth: false,
        legacy_seed: false,
    };
    let listener = ListenerSpec {
        name: "LISTENER".into(),
        host: host.host.clone(),
        tcp_port: host.tcp_port,
        tcps_port: host.tcps_port,
        ipc_key: None,
        static_sid: None,
        wallet_dir: wallet_dir.clone(),
        tls: tls.clone(),
    }
    .render()?;
    let sqlnet = ServerSqlnet { wallet_dir, tls }.render()?;
    let tnsnames = TnsSpec {
        alias: host.service.clone(),
        host: host.host.clone(),
        tcp_port: host.tcp_port,
        tcps_port: host.tcps_port,
        connect_to: ConnectTo::Service(host.service.clone()),
        server_dn: Some(subject_dn.to_owned()),
        wallet_dir: None,
        tls_suffix: "_SSL".into(),
    }
    .render()?;
    Ok(vec![
        ("listener.ora", listener),
        ("sqlnet.ora", sqlnet),
        ("tnsnames.ora", tnsnames),
    ])
}
