//! The server's `sqlnet.ora` and `listener.ora` for the two variants [`super::server`] does
//! not write itself: a server certificate brought from elsewhere ([`super::byo`]) and mutual
//! TLS ([`super::client_auth`]), which adds `SSL_CLIENT_AUTHENTICATION = TRUE` to both files
//! and, for certificate logins, `SQLNET.AUTHENTICATION_SERVICES = (BEQ, TCPS)`.

use super::Result;
use super::server::ServerSpec;
use crate::net::layout::line;
use crate::net::listener::ListenerSpec;
use crate::net::sqlnet::{ClientSqlnet, ServerSqlnet};
use crate::net::tls::{KeyType, ServerTls};

/// `SQLNET.AUTHENTICATION_SERVICES` on the server with certificate logins: TCPS for the
/// `IDENTIFIED EXTERNALLY` users, BEQ so `sqlplus / as sysdba` keeps working on the host.
pub const SERVER_AUTHENTICATION_SERVICES: &str = "(BEQ, TCPS)";
/// The client's: log in with the certificate of its wallet (`sqlplus /@alias`).
pub const CLIENT_AUTHENTICATION_SERVICES: &str = "(TCPS)";

/// The server's `(sqlnet.ora, listener.ora)` for `spec`, a certificate of `key_type`, one-way
/// TLS or (with `client_auth`) mutual TLS with certificate logins.
pub fn render(spec: &ServerSpec, key_type: KeyType, client_auth: bool) -> Result<(String, String)> {
    let Some(host) = spec.hosts.first() else {
        return Err(super::Error::Invalid(
            "a server needs at least one host name (--host)".into(),
        ));
    };
    let tls = ServerTls {
        target: spec.listener.target,
        key_type,
        client_auth,
        legacy_seed: false,
    };
    let mut sqlnet = ServerSqlnet {
        wallet_dir: spec.wallet_install_dir.clone(),
        tls: tls.clone(),
    }
    .render()?;
    if client_auth {
        sqlnet.push_str(&line(
            "SQLNET.AUTHENTICATION_SERVICES",
            SERVER_AUTHENTICATION_SERVICES,
        ));
    }
    let listener = ListenerSpec {
        name: "LISTENER".into(),
        host: host.clone(),
        tcp_port: spec.listener.tcp_port,
        tcps_port: spec.listener.tcps_port,
        ipc_key: None,
        static_sid: spec.listener.static_sid.clone(),
        wallet_dir: spec.wallet_install_dir.clone(),
        tls,
    }
    .render()?;
    Ok((sqlnet, listener))
}

/// The client's `sqlnet.ora` for mutual TLS: its wallet (now holding its own key and
/// certificate) and certificate logins.
pub fn render_client(spec: &ClientSqlnet) -> Result<String> {
    let mut text = spec.render()?;
    text.push_str(&line(
        "SQLNET.AUTHENTICATION_SERVICES",
        CLIENT_AUTHENTICATION_SERVICES,
    ));
    Ok(text)
}
