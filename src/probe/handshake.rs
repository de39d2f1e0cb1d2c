//! The TLS handshake itself: TCP connect with a timeout, a rustls client (ring provider,
//! TLS 1.2 and 1.3) with the [`ChainRecorder`], and what was negotiated or why it failed.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, ProtocolVersion};
use serde::Serialize;

use super::recorder::{ChainRecorder, ClientAuthRecorder};
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
    /// `Some(CA names it accepts, RFC 2253)` when the server asked for a client
    /// certificate (SSL_CLIENT_AUTHENTICATION = TRUE). The probe sends none.
    pub client_certificate_requested: Option<Vec<String>>,
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
    // One deadline for the whole probe: a server that sends a byte now and then must
    // not keep it alive past --timeout (each read alone would stay under the timeout).
    let deadline = Instant::now() + timeout;
    let mut socket = DeadlineStream {
        inner: connect(target, timeout)?,
        deadline,
    };
    let peer = socket
        .inner
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| target.to_string());

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(ChainRecorder::new(
        provider.signature_verification_algorithms,
    ));
    let client_auth = Arc::new(ClientAuthRecorder::default());
    let config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_client_cert_resolver(client_auth.clone());
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
    let requested = client_auth.requested();
    if failure.is_none() && requested.is_some() {
        failure = rejected_after_handshake(&mut conn, &mut socket, timeout);
    }
    if let (Some(f), Some(_)) = (&mut failure, &requested)
        && f.kind == FailureKind::Alert
    {
        f.detail.push_str(
            " after asking for a client certificate, which the probe does not have: the server \
             requires client authentication (SSL_CLIENT_AUTHENTICATION = TRUE), so clients need \
             their own certificate in the wallet",
        );
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
        client_certificate_requested: requested
            .map(|names| names.iter().map(|der| dn_text(der)).collect()),
    })
}

/// In TLS 1.3 a server that insists on a client certificate says so only after the
/// client's side of the handshake is done: wait briefly for that alert.
fn rejected_after_handshake(
    conn: &mut ClientConnection,
    socket: &mut DeadlineStream,
    timeout: Duration,
) -> Option<HandshakeFailure> {
    // Flush our (empty) Certificate and Finished without reading anything yet.
    while conn.wants_write() {
        if conn.write_tls(socket).is_err() {
            return None;
        }
    }
    socket.deadline = socket
        .deadline
        .min(Instant::now() + timeout.min(Duration::from_secs(2)));
    loop {
        match conn.read_tls(socket) {
            Ok(0) | Err(_) => return None,
            Ok(_) => match conn.process_new_packets() {
                Err(rustls::Error::AlertReceived(alert)) => {
                    return Some(HandshakeFailure {
                        kind: FailureKind::Alert,
                        detail: format!(
                            "the server refused the connection with the TLS alert {alert:?}"
                        ),
                    });
                }
                Err(_) => return None,
                Ok(state) if state.plaintext_bytes_to_read() > 0 => return None,
                Ok(_) => {}
            },
        }
    }
}

/// A CA name from a CertificateRequest (DER, with or without the outer SEQUENCE).
fn dn_text(der: &[u8]) -> String {
    use der::Decode;
    let with_tag = |content: &[u8]| -> Option<Vec<u8>> {
        let mut out = vec![0x30];
        let len = content.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|b| *b == 0)
                .collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
        out.extend_from_slice(content);
        Some(out)
    };
    x509_cert::name::Name::from_der(der)
        .ok()
        .or_else(|| with_tag(der).and_then(|d| x509_cert::name::Name::from_der(&d).ok()))
        .map(|n| crate::pki::name::to_rfc2253(&n))
        .unwrap_or_else(|| format!("#{}", hex::encode(der)))
}

/// A socket whose reads and writes all end by one deadline: each call waits at most
/// until then, and after it fails with `TimedOut`.
struct DeadlineStream {
    inner: TcpStream,
    deadline: Instant,
}

impl DeadlineStream {
    fn remaining(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the probe's time is up",
            ));
        }
        Ok(left)
    }
}

impl io::Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.remaining()?;
        self.inner.set_read_timeout(Some(left))?;
        self.inner.read(buf)
    }
}

impl io::Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.remaining()?;
        self.inner.set_write_timeout(Some(left))?;
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
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
