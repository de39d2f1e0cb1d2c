//! orapki's trust-flag rules (oraclepki 19.33 and 23.26 behave the same), for wallets whose
//! configuration marker enables them ([`super::config_marker`]). The flags themselves sit in
//! the localKeyId ([`super::local_key_id::TrustFlags`]).
//!
//! - `add -trusted_cert` without `-trust_flags`: a self-issued certificate gets SERVER_AUTH,
//!   another CA certificate NULL, an end-entity certificate VALID_PEER.
//! - `-trust_flags` given (add, assign_trust_flags): VALID_PEER is refused on a CA
//!   certificate, SERVER_AUTH / CLIENT_AUTH on an end-entity one.
//! - `add -user_cert`: the user certificate's id gets USER_CERT.
//! - `enable_trust_flags`: every certificate is evaluated as below; `-untrust_all` gives
//!   every certificate NULL.
//!
//! "CA" is Java's `getBasicConstraints() != -1`: a basicConstraints extension with cA true.
//! "Self-issued" compares subject and issuer (orapki compares their string forms; orakit
//! compares the DER, which agrees for every certificate a CA tool writes).

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::BasicConstraints;

use super::local_key_id::TrustFlags;

/// Why a flag cannot go on a certificate (orapki's own messages).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TrustError {
    #[error("cannot assign the VALID_PEER flag to a CA certificate ({0})")]
    ValidPeerOnCa(String),
    #[error("cannot assign the CLIENT_AUTH or SERVER_AUTH flag to an end-entity certificate ({0})")]
    AuthOnEndEntity(String),
    #[error("not a certificate: {0}")]
    BadCertificate(String),
}

/// What the rules need to know about a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertFacts {
    pub self_issued: bool,
    pub is_ca: bool,
}

impl CertFacts {
    pub fn of(cert_der: &[u8]) -> Result<Self, TrustError> {
        let cert = Certificate::from_der(cert_der)
            .map_err(|e| TrustError::BadCertificate(e.to_string()))?;
        let tbs = cert.tbs_certificate();
        let self_issued = tbs.subject().to_der().ok() == tbs.issuer().to_der().ok();
        let is_ca = tbs
            .extensions()
            .into_iter()
            .flatten()
            .filter(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS)
            .filter_map(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
            .any(|bc| bc.ca);
        Ok(Self { self_issued, is_ca })
    }
}

/// The flags `add -trusted_cert` gives when none are asked for.
pub fn default_for_trusted(facts: CertFacts) -> TrustFlags {
    TrustFlags(if facts.self_issued {
        TrustFlags::SERVER_AUTH
    } else if facts.is_ca {
        TrustFlags::NULL
    } else {
        TrustFlags::VALID_PEER
    })
}

/// Checks flags asked for explicitly, as orapki does. `subject` names the certificate in
/// the message.
pub fn check_assignable(
    flags: TrustFlags,
    facts: CertFacts,
    subject: &str,
) -> Result<(), TrustError> {
    if flags.contains(TrustFlags::VALID_PEER) && facts.is_ca {
        return Err(TrustError::ValidPeerOnCa(subject.to_owned()));
    }
    let auth = TrustFlags::SERVER_AUTH | TrustFlags::CLIENT_AUTH;
    if flags.0 & auth != 0 && !facts.is_ca {
        return Err(TrustError::AuthOnEndEntity(subject.to_owned()));
    }
    Ok(())
}

/// The flags `enable_trust_flags` (without `-untrust_all`) gives a certificate.
pub fn evaluate_on_enable(facts: CertFacts, user: bool) -> TrustFlags {
    TrustFlags(match (facts.self_issued, user) {
        (true, false) if facts.is_ca => TrustFlags::SERVER_AUTH,
        (true, _) => TrustFlags::VALID_PEER,
        (false, true) => TrustFlags::USER_CERT,
        (false, false) if facts.is_ca => TrustFlags::NULL,
        (false, false) => TrustFlags::VALID_PEER,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: CertFacts = CertFacts {
        self_issued: true,
        is_ca: true,
    };
    const INTERMEDIATE: CertFacts = CertFacts {
        self_issued: false,
        is_ca: true,
    };
    const PEER: CertFacts = CertFacts {
        self_issued: false,
        is_ca: false,
    };
    const SELF_SIGNED_LEAF: CertFacts = CertFacts {
        self_issued: true,
        is_ca: false,
    };

    #[test]
    fn defaults_follow_what_orapki_add_gave_in_both_releases() {
        // Observed: root CA 0x103, intermediate CA 0x1003, self-signed leaf 0x103.
        assert_eq!(default_for_trusted(ROOT).orapki_text(), "SERVER_AUTH");
        assert_eq!(default_for_trusted(INTERMEDIATE).orapki_text(), "NULL");
        assert_eq!(
            default_for_trusted(SELF_SIGNED_LEAF).orapki_text(),
            "SERVER_AUTH"
        );
        assert_eq!(default_for_trusted(PEER).orapki_text(), "VALID_PEER");
        assert_eq!(evaluate_on_enable(PEER, true).orapki_text(), "USER_CERT");
        assert_eq!(
            evaluate_on_enable(SELF_SIGNED_LEAF, false).orapki_text(),
            "VALID_PEER"
        );
    }

    #[test]
    fn explicit_flags_are_checked_like_orapki() {
        let peer = TrustFlags(TrustFlags::VALID_PEER);
        let both = TrustFlags(TrustFlags::SERVER_AUTH | TrustFlags::CLIENT_AUTH);
        assert!(check_assignable(peer, ROOT, "CN=R").is_err());
        assert!(check_assignable(peer, PEER, "CN=P").is_ok());
        assert!(check_assignable(both, PEER, "CN=P").is_err());
        assert!(check_assignable(both, INTERMEDIATE, "CN=I").is_ok());
        assert!(check_assignable(TrustFlags(TrustFlags::NULL), PEER, "CN=P").is_ok());
    }
}
