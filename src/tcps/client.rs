//! The client side: a trust-only wallet holding the CA certificate(s), as an
//! auto-login-only `cwallet.sso` (kind 0x37, no password, not bound to a host, so it can
//! travel: this is the file AWS DMS takes) and an `ewallet.pem` for thin drivers, plus the
//! client's `sqlnet.ora` and `tnsnames.ora`. Never a local auto-login (0x38) wallet: that
//! one opens only on the host and for the user that made it.

use std::path::Path;

use super::{Error, Result};
use crate::net::sqlnet::ClientSqlnet;
use crate::net::tls::Target;
use crate::net::tnsnames::{ConnectTo, TnsSpec};
use crate::wallet::model::{Profile, Wallet};
use crate::wallet::pem::trust_pem;
use crate::wallet::store::{self, WalletPaths, WalletType};

/// A wallet trusting `ca_ders`, in that order, with nothing else.
pub fn trust_only_wallet(ca_ders: &[Vec<u8>], profile: Profile) -> Result<Wallet> {
    let mut wallet = Wallet::new(profile);
    for der in ca_ders {
        wallet.add_trusted(der)?;
    }
    Ok(wallet)
}

/// The `cwallet.sso` (kind 0x37) bytes of a wallet trusting `ca_ders`.
pub fn trust_only_sso(ca_ders: &[Vec<u8>], profile: Profile) -> Result<Vec<u8>> {
    let wallet = trust_only_wallet(ca_ders, profile)?;
    let files = store::encode(
        &WalletPaths::in_dir(Path::new("")),
        &wallet,
        WalletType::AutoLoginOnly,
        None,
    )?;
    match files.as_slice() {
        [sso] => Ok(sso.contents.clone()),
        _ => Err(Error::Invalid(
            "internal: an auto-login-only wallet is one file".into(),
        )),
    }
}

/// How clients reach the database.
#[derive(Debug, Clone)]
pub struct ClientSpec {
    /// The tnsnames.ora alias (it connects over TCPS).
    pub alias: String,
    pub host: String,
    pub tcps_port: u16,
    pub connect_to: ConnectTo,
    /// Where the client wallet will be installed (written into the .ora files).
    pub wallet_install_dir: String,
    pub target: Target,
}

/// The client's files, in memory.
#[derive(Debug, Clone)]
pub struct ClientBundle {
    pub cwallet_sso: Vec<u8>,
    pub ewallet_pem: String,
    pub sqlnet_ora: String,
    pub tnsnames_ora: String,
    /// The same connection as an Easy Connect Plus string (`None` for a SID).
    pub easy_connect: Option<String>,
}

pub fn build_client_bundle(
    ca_ders: &[Vec<u8>],
    profile: Profile,
    spec: &ClientSpec,
) -> Result<ClientBundle> {
    let sqlnet_ora = ClientSqlnet {
        wallet_dir: spec.wallet_install_dir.clone(),
        target: spec.target,
        wallet_override: false,
    }
    .render()?;
    let tns = TnsSpec {
        alias: spec.alias.clone(),
        host: spec.host.clone(),
        tcp_port: None,
        tcps_port: spec.tcps_port,
        connect_to: spec.connect_to.clone(),
        server_dn: None,
        wallet_dir: None,
        tls_suffix: String::new(),
    };
    // The Easy Connect string names the wallet itself; the alias relies on sqlnet.ora.
    let easy_connect = TnsSpec {
        wallet_dir: Some(spec.wallet_install_dir.clone()),
        ..tns.clone()
    }
    .easy_connect()?;
    Ok(ClientBundle {
        cwallet_sso: trust_only_sso(ca_ders, profile)?,
        ewallet_pem: trust_pem(ca_ders),
        sqlnet_ora,
        tnsnames_ora: tns.render()?,
        easy_connect,
    })
}
