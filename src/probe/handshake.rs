//! The TLS handshake itself: TCP connect with a timeout, a rustls client (ring provider,
//! TLS 1.2 and 1.3) with the [`ChainRecorder`], and what was negotiated or why it failed.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, ProtocolVersion};
use serde::Serialize;

use super::recorder::ChainRecorder;
use super::{ProbeError, Target};

/// What a handshake showed.
#[derive(Debug, Clone, Serialize)]
pub struct Handshake {
    /// The IP address and port actually connected to.
    pub peer: String,
    /// The certificates the server sent, leaf first, as DER (empty if it sent none).
    #[serde(skip)]
    pub chain: Vec<Vec<u8>>,
    /// `TLS 1.2` or `TLS 1.3` when the handshake completed.
    pub version: Option<String>,
    /// The IANA name of the negotiated suite, e.g. `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`.
    pub cipher_suite: Option<String>,
    /// Why the handshake did not complete, if it did not.
    pub failure: Option<HandshakeFailure>,
}

impl Handshake {
    pub fn completed(&self) -> bool {
        self.failure.is_none()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HandshakeFailure {
    pub kind: FailureKind,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The peer answered with something that is not TLS (a plain TCP listener?).
    NotTls,
    /// The server refused with a TLS alert (no common version or suite, client
    /// certificate required, ...).
    Alert,
    /// The connection closed mid-handshake.
    Closed,
    /// No answer within the timeout.
    Timeout,
    Other,
}

/// Connects to `target` and runs one handshake. Errors are only for "could not connect";
/// a failed handshake is a result.
pub fn run_handshake(target: &Target, timeout: Duration) -> Result<Handshake, ProbeError> {
    let server_name = ServerName::try_from(target.host.clone())
        .map_err(|_| ProbeError::ServerName(target.host.clone()))?;
    let mut socket = connect(target, timeout)?;
    let peer = socket
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| target.to_string());

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(ChainRecorder::new(
        provider.signature_verification_algorithms,
    ));
    let config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let mut conn = ClientConnection::new(Arc::new(config), server_name)?;

    let mut failure = None;
    while conn.is_handshaking() {
        match conn.complete_io(&mut socket) {
            Ok((0, 0)) => {
                failure = Some(HandshakeFailure {
                    kind: FailureKind::Closed,
                    detail: "the server closed the connection during the handshake".into(),
                });
                break;
            }
            Ok(_) => {}
            Err(e) => {
                failure = Some(classify(&e));
                break;
            }
        }
    }
    let (version, cipher_suite) = if failure.is_none() {
        // Be polite; the probe has what it came for.
        conn.send_close_notify();
        let _ = conn.complete_io(&mut socket);
        (
            conn.protocol_version().map(version_name),
            conn.negotiated_cipher_suite()
                .map(|s| suite_name(s.suite())),
        )
    } else {
        (None, None)
    };
    Ok(Handshake {
        peer,
        chain: recorder.chain(),
        version,
        cipher_suite,
        failure,
    })
}

fn connect(target: &Target, timeout: Duration) -> Result<TcpStream, ProbeError> {
    let addrs: Vec<_> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|source| ProbeError::Resolve {
            host: target.host.clone(),
            source,
        })?
        .collect();
    let mut last_error = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(socket) => {
                let set = socket
                    .set_read_timeout(Some(timeout))
                    .and_then(|_| socket.set_write_timeout(Some(timeout)));
                if let Err(source) = set {
                    return Err(ProbeError::Connect {
                        target: target.to_string(),
                        source,
                    });
                }
                return Ok(socket);
            }
            Err(e) => last_error = Some(e),
        }
    }
    match last_error {
        Some(source) => Err(ProbeError::Connect {
            target: target.to_string(),
            source,
        }),
        None => Err(ProbeError::NoAddress {
            host: target.host.clone(),
        }),
    }
}

fn classify(error: &io::Error) -> HandshakeFailure {
    let tls = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let (kind, detail) = match (error.kind(), tls) {
        (_, Some(rustls::Error::AlertReceived(alert))) => (
            FailureKind::Alert,
            format!("the server refused the handshake with the TLS alert {alert:?}"),
        ),
        (_, Some(rustls::Error::InvalidMessage(m))) => (
            FailureKind::NotTls,
            format!("the server did not answer in TLS ({m:?}); is this a plain TCP port?"),
        ),
        (_, Some(rustls::Error::PeerIncompatible(p))) => (
            FailureKind::Alert,
            format!("the server offers nothing this client can use: {p:?}"),
        ),
        (_, Some(other)) => (FailureKind::Other, other.to_string()),
        (io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock, None) => (
            FailureKind::Timeout,
            "no answer from the server within the timeout".into(),
        ),
        (
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe,
            None,
        ) => (
            FailureKind::Closed,
            format!("the server closed the connection during the handshake ({error})"),
        ),
        (_, None) => (FailureKind::Other, error.to_string()),
    };
    HandshakeFailure { kind, detail }
}

fn version_name(version: ProtocolVersion) -> String {
    match version {
        ProtocolVersion::TLSv1_3 => "TLS 1.3".into(),
        ProtocolVersion::TLSv1_2 => "TLS 1.2".into(),
        other => format!("{other:?}"),
    }
}

/// rustls spells TLS 1.3 suites `TLS13_AES_...`; IANA and Oracle write `TLS_AES_...`.
fn suite_name(suite: rustls::CipherSuite) -> String {
    let name = format!("{suite:?}");
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name,
    }
}
