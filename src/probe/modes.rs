//! The four AWS DMS SSL modes and whether each would work against what the handshake saw.
//!
//! - `none`: plain Oracle Net, no TLS. Against a port that speaks TLS it fails.
//! - `require`: TLS, certificate not checked: works when the handshake completes.
//! - `verify-ca`: also the chain must lead to a trusted CA and be valid now.
//! - `verify-full`: also the certificate must name the host (SAN DNS/IP, as webpki and
//!   the thin drivers check it), or, when an expected DN is given, its subject must match
//!   that DN ([`super::dn_match`]) instead, as Oracle's `SSL_SERVER_CERT_DN` works.

use std::str::FromStr;
use std::time::Duration;

use der::Decode;
use rustls::RootCertStore;
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, Error as TlsError};
use serde::Serialize;
use x509_cert::Certificate;

use super::dn_match::{DnMatch, compare};
use super::handshake::{FailureKind, Handshake};
use crate::pki::name::{common_name, to_rfc2253};
use crate::pki::show::describe_certificate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    None,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub const ALL: [SslMode; 4] = [Self::None, Self::Require, Self::VerifyCa, Self::VerifyFull];

    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

impl FromStr for SslMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| format!("{s:?} is not one of none, require, verify-ca, verify-full"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Fail,
    /// The probe cannot tell (for `none`: the port does not speak TLS, and the probe does
    /// not speak plain Oracle Net).
    NotChecked,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModeResult {
    pub mode: SslMode,
    pub verdict: Verdict,
    pub reason: String,
}

/// What the client expects of the server.
#[derive(Debug, Clone)]
pub struct Expectations<'a> {
    /// The host name or IP address the client connects to.
    pub host: &'a str,
    /// Trusted certificates (DER), or `None` when no trust material was given.
    pub trusted: Option<&'a [Vec<u8>]>,
    /// `SSL_SERVER_CERT_DN`: when given, verify-full compares it instead of the host.
    pub server_dn: Option<&'a str>,
    /// Seconds since the Unix epoch at which validity is judged.
    pub now_unix: u64,
}

/// Judges all four modes.
pub fn evaluate(handshake: &Handshake, expect: &Expectations) -> Vec<ModeResult> {
    let ca = verify_ca(handshake, expect);
    let full = match &ca {
        Ok(_) => verify_full(&handshake.chain[0], expect),
        Err(reason) => Err(format!("verify-ca fails: {reason}")),
    };
    vec![
        none(handshake),
        require(handshake),
        result(SslMode::VerifyCa, ca),
        result(SslMode::VerifyFull, full),
    ]
}

fn result(mode: SslMode, outcome: Result<String, String>) -> ModeResult {
    match outcome {
        Ok(reason) => ModeResult {
            mode,
            verdict: Verdict::Pass,
            reason,
        },
        Err(reason) => ModeResult {
            mode,
            verdict: Verdict::Fail,
            reason,
        },
    }
}

fn none(handshake: &Handshake) -> ModeResult {
    let (verdict, reason) = match handshake.failure.as_ref().map(|f| f.kind) {
        None | Some(FailureKind::Alert) => (
            Verdict::Fail,
            "this port speaks TLS; plain Oracle Net is dropped by a TCPS listener \
             (use the TCP port, usually 1521, for mode none)"
                .to_owned(),
        ),
        Some(FailureKind::NotTls) => (
            Verdict::NotChecked,
            "the port does not answer in TLS, so it may be a plain TCP listener; \
             the probe does not speak plain Oracle Net"
                .to_owned(),
        ),
        Some(_) => (
            Verdict::NotChecked,
            "the TLS handshake did not complete; plain Oracle Net was not tried".to_owned(),
        ),
    };
    ModeResult {
        mode: SslMode::None,
        verdict,
        reason,
    }
}

fn require(handshake: &Handshake) -> ModeResult {
    let asked = handshake.client_certificate_requested.is_some();
    let outcome = match &handshake.failure {
        None => Ok(format!(
            "the handshake completed ({}, {}); the certificate is not checked{}",
            handshake.version.as_deref().unwrap_or("?"),
            handshake.cipher_suite.as_deref().unwrap_or("?"),
            if asked {
                "; the server asked for a client certificate but went on without one"
            } else {
                ""
            }
        )),
        Some(f) if f.kind == FailureKind::Alert && !asked => Err(format!(
            "{}; the server may allow only versions or suites this probe does not offer \
             (TLS 1.0/1.1, static RSA or CBC suites such as SSL_RSA_WITH_AES_256_CBC_SHA): \
             the usual cause of ORA-28860",
            f.detail
        )),
        Some(f) => Err(f.detail.clone()),
    };
    result(SslMode::Require, outcome)
}

fn verify_ca(handshake: &Handshake, expect: &Expectations) -> Result<String, String> {
    if let Some(f) = &handshake.failure {
        return Err(format!("the handshake failed: {}", f.detail));
    }
    let Some(trusted) = expect.trusted else {
        return Err("no CA given (use --wallet DIR or --ca-cert FILE)".into());
    };
    let Some(leaf) = handshake.chain.first() else {
        return Err("the server sent no certificate".into());
    };
    let mut roots = RootCertStore::empty();
    let mut unusable = Vec::new();
    for der in trusted {
        if roots.add(CertificateDer::from(der.clone())).is_err() {
            unusable.push(subject_of(der));
        }
    }
    if roots.is_empty() {
        return Err(format!(
            "none of the trusted certificates can be used as a trust anchor ({})",
            unusable.join("; ")
        ));
    }
    let leaf_der = CertificateDer::from(leaf.as_slice());
    let parsed = ParsedCertificate::try_from(&leaf_der)
        .map_err(|e| format!("the server certificate cannot be parsed: {e}"))?;
    let intermediates: Vec<CertificateDer> = handshake.chain[1..]
        .iter()
        .map(|c| CertificateDer::from(c.as_slice()))
        .collect();
    let now = UnixTime::since_unix_epoch(Duration::from_secs(expect.now_unix));
    let algorithms = rustls::crypto::ring::default_provider().signature_verification_algorithms;
    match verify_server_cert_signed_by_trust_anchor(
        &parsed,
        &roots,
        &intermediates,
        now,
        algorithms.all,
    ) {
        Ok(()) => Ok(format!(
            "the chain leads to a trusted CA ({} given)",
            crate::text::count(trusted.len(), "trusted certificate")
        )),
        Err(e) => Err(explain_chain_error(
            &e,
            &handshake.chain,
            trusted,
            expect.now_unix,
        )),
    }
}

fn verify_full(leaf: &[u8], expect: &Expectations) -> Result<String, String> {
    let cert = Certificate::from_der(leaf)
        .map_err(|e| format!("the server certificate cannot be parsed: {e}"))?;
    let subject = cert.tbs_certificate().subject();
    if let Some(dn) = expect.server_dn {
        return match compare(subject, dn) {
            Ok(DnMatch::Exact) => Ok("the server DN equals --server-dn".into()),
            Ok(DnMatch::SameAttributes) => Ok(
                "the server DN has the same attributes as --server-dn in another order \
                 (python-oracledb accepts this; Oracle's C client may not: paste the DN shown above)"
                    .into(),
            ),
            Ok(DnMatch::Different) => Err(format!(
                "the server DN \"{}\" does not match --server-dn \"{dn}\"",
                to_rfc2253(subject)
            )),
            Err(e) => Err(format!("--server-dn cannot be parsed: {e}")),
        };
    }
    let name = ServerName::try_from(expect.host)
        .map_err(|_| format!("{:?} is not a valid host name", expect.host))?;
    let leaf_der = CertificateDer::from(leaf);
    let parsed = ParsedCertificate::try_from(&leaf_der)
        .map_err(|e| format!("the server certificate cannot be parsed: {e}"))?;
    match verify_server_name(&parsed, &name) {
        Ok(()) if matches!(name, ServerName::IpAddress(_)) => Ok(format!(
            "the certificate has an IP address SAN {}; note that python-oracledb thin (26.1, \
             checked) still refuses IP hosts with DPY-6006: connect by a DNS name in the SAN",
            expect.host
        )),
        Ok(()) => Ok(format!(
            "the certificate's subject alternative names include {}",
            expect.host
        )),
        Err(_) => {
            let sans = describe_certificate(&cert)
                .map(|r| r.subject_alt_names)
                .unwrap_or_default();
            let mut reason = format!(
                "{} is not among the certificate's subject alternative names ({})",
                expect.host,
                if sans.is_empty() {
                    "it has none".to_owned()
                } else {
                    sans.join(", ")
                }
            );
            if common_name(subject).is_some_and(|cn| cn.eq_ignore_ascii_case(expect.host)) {
                reason.push_str(
                    "; the CN matches, which Oracle's C client accepts but thin drivers \
                     and DMS do not: reissue the certificate with the host in a SAN",
                );
            }
            Err(reason)
        }
    }
}

fn explain_chain_error(
    error: &TlsError,
    chain: &[Vec<u8>],
    trusted: &[Vec<u8>],
    now_unix: u64,
) -> String {
    let TlsError::InvalidCertificate(cert_error) = error else {
        return error.to_string();
    };
    match cert_error {
        CertificateError::Expired
        | CertificateError::ExpiredContext { .. }
        | CertificateError::NotValidYet
        | CertificateError::NotValidYetContext { .. } => {
            let dated = chain
                .iter()
                .chain(trusted)
                .filter_map(|der| out_of_date(der, now_unix))
                .collect::<Vec<_>>();
            if dated.is_empty() {
                "a certificate in the chain is outside its validity period".into()
            } else {
                dated.join("; ")
            }
        }
        CertificateError::UnknownIssuer => {
            let top = chain.last().map(|c| issuer_of(c)).unwrap_or_default();
            let names: Vec<String> = trusted.iter().map(|c| subject_of(c)).collect();
            format!(
                "the chain was issued by \"{top}\", which is not among the trusted certificates ({}); \
                 add that CA (and any intermediates) to the wallet",
                names.join("; ")
            )
        }
        CertificateError::BadSignature => "a signature in the chain does not verify: a trusted CA \
             has the issuer's name but not its key (a CA re-created with the same DN?)"
            .into(),
        other => format!("the chain does not verify: {other:?}"),
    }
}

/// "`CN=x` expired on 2024-01-01T00:00:00Z" when `der` is outside its validity at `now`.
fn out_of_date(der: &[u8], now_unix: u64) -> Option<String> {
    let cert = Certificate::from_der(der).ok()?;
    let validity = cert.tbs_certificate().validity();
    let subject = to_rfc2253(cert.tbs_certificate().subject());
    let not_after = validity.not_after.to_unix_duration().as_secs();
    let not_before = validity.not_before.to_unix_duration().as_secs();
    if now_unix > not_after {
        Some(format!("\"{subject}\" expired on {}", validity.not_after))
    } else if now_unix < not_before {
        Some(format!(
            "\"{subject}\" is not valid before {}",
            validity.not_before
        ))
    } else {
        None
    }
}

fn subject_of(der: &[u8]) -> String {
    Certificate::from_der(der)
        .map(|c| to_rfc2253(c.tbs_certificate().subject()))
        .unwrap_or_else(|_| "<unreadable certificate>".into())
}

fn issuer_of(der: &[u8]) -> String {
    Certificate::from_der(der)
        .map(|c| to_rfc2253(c.tbs_certificate().issuer()))
        .unwrap_or_else(|_| "<unreadable certificate>".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::handshake::HandshakeFailure;

    fn handshake(failure: Option<FailureKind>) -> Handshake {
        Handshake {
            peer: "127.0.0.1:2484".into(),
            chain: Vec::new(),
            version: failure.is_none().then(|| "TLS 1.2".into()),
            cipher_suite: failure
                .is_none()
                .then(|| "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384".into()),
            failure: failure.map(|kind| HandshakeFailure {
                kind,
                detail: "detail".into(),
            }),
            client_certificate_requested: None,
        }
    }

    fn verdicts(h: &Handshake, trusted: Option<&[Vec<u8>]>) -> Vec<Verdict> {
        let expect = Expectations {
            host: "db",
            trusted,
            server_dn: None,
            now_unix: 0,
        };
        evaluate(h, &expect)
            .into_iter()
            .map(|m| m.verdict)
            .collect()
    }

    #[test]
    fn mode_names_round_trip() {
        for m in SslMode::ALL {
            assert_eq!(m.name().parse::<SslMode>().unwrap(), m);
        }
        assert!("verify_full".parse::<SslMode>().is_err());
    }

    #[test]
    fn a_plain_tcp_port_leaves_none_unchecked_and_fails_the_rest() {
        use Verdict::*;
        let h = handshake(Some(FailureKind::NotTls));
        assert_eq!(verdicts(&h, None), [NotChecked, Fail, Fail, Fail]);
    }

    #[test]
    fn a_completed_handshake_without_a_certificate_fails_verification() {
        use Verdict::*;
        let h = handshake(None);
        assert_eq!(verdicts(&h, Some(&[])), [Fail, Pass, Fail, Fail]);
        assert_eq!(verdicts(&h, None), [Fail, Pass, Fail, Fail]);
    }
}
