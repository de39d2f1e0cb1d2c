//! A server certificate verifier that accepts every chain and keeps a copy of it.
//!
//! A probe must see the chain even when it would not verify (wrong CA, expired,
//! wrong name): that is exactly when users need it. The handshake signatures are still
//! checked, so a completed handshake proves the server holds the leaf's private key.
//! [`ClientAuthRecorder`] likewise notes a request for a client certificate.

use std::sync::{Arc, Mutex};

use rustls::client::ResolvesClientCert;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, Error, SignatureScheme};

#[derive(Debug)]
pub struct ChainRecorder {
    chain: Mutex<Vec<Vec<u8>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ChainRecorder {
    pub fn new(algorithms: WebPkiSupportedAlgorithms) -> Self {
        Self {
            chain: Mutex::new(Vec::new()),
            algorithms,
        }
    }

    /// The certificates the server sent, leaf first, as DER.
    pub fn chain(&self) -> Vec<Vec<u8>> {
        self.chain.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl ServerCertVerifier for ChainRecorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.as_ref().to_vec())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A client certificate "resolver" that has no certificate to offer but notes that the
/// server asked for one (Oracle's SSL_CLIENT_AUTHENTICATION = TRUE) and which CAs it named.
#[derive(Debug, Default)]
pub struct ClientAuthRecorder {
    requested: Mutex<Option<Vec<Vec<u8>>>>,
}

impl ClientAuthRecorder {
    /// `Some(acceptable CA names as DER Name)` when the server requested a certificate.
    pub fn requested(&self) -> Option<Vec<Vec<u8>>> {
        self.requested.lock().ok().and_then(|r| r.clone())
    }
}

impl ResolvesClientCert for ClientAuthRecorder {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        if let Ok(mut requested) = self.requested.lock() {
            *requested = Some(root_hint_subjects.iter().map(|s| s.to_vec()).collect());
        }
        None
    }

    fn has_certs(&self) -> bool {
        false
    }
}
