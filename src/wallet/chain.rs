//! The chain of a certificate: its issuers, nearest first, up to a self-signed root,
//! found among a pool of certificates (a wallet's, a PKCS#12's, a PEM bundle's).
//!
//! A link is an issuer whose subject is the certificate's issuer name (as DER) and whose
//! key verifies the certificate's signature. The root's own signature is not checked:
//! a trust anchor is trusted for being there, and old roots are often SHA-1 signed.

use der::{Decode, Encode};
use x509_cert::Certificate;

use super::certs::dn_rfc2253;

/// How far a chain could be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chain {
    /// The issuers, nearest first, ending with the root (empty for a self-signed certificate).
    Complete(Vec<Vec<u8>>),
    /// `subject`'s issuer `issuer` is not in the pool; `found` are the links found so far.
    Missing {
        subject: String,
        issuer: String,
        found: Vec<Vec<u8>>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("not a certificate: {0}")]
    BadCertificate(String),
    #[error(
        "the signature of \"{subject}\" does not verify with the key of \"{issuer}\": it was signed by a different CA of the same name"
    )]
    WrongIssuerKey { subject: String, issuer: String },
    #[error("the signature of \"{subject}\" cannot be checked: {reason}")]
    Unverifiable { subject: String, reason: String },
}

fn parse(der_bytes: &[u8]) -> Result<Certificate, ChainError> {
    Certificate::from_der(der_bytes).map_err(|e| ChainError::BadCertificate(e.to_string()))
}

fn name_der(name: &x509_cert::name::Name) -> Vec<u8> {
    name.to_der().unwrap_or_default()
}

/// Whether a certificate names itself as its issuer.
pub fn is_self_issued(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    name_der(tbs.subject()) == name_der(tbs.issuer())
}

/// Builds the chain of `cert_der` from `pool` (which may contain the certificate itself
/// and unrelated certificates).
pub fn build(cert_der: &[u8], pool: &[Vec<u8>]) -> Result<Chain, ChainError> {
    let mut current_der = cert_der.to_vec();
    let mut current = parse(cert_der)?;
    let mut found: Vec<Vec<u8>> = Vec::new();
    // A chain longer than the pool would repeat a certificate: stop there.
    for _ in 0..=pool.len() {
        if is_self_issued(&current) {
            return Ok(Chain::Complete(found));
        }
        let issuer_name = name_der(current.tbs_certificate().issuer());
        let mut same_name = false;
        let mut next = None;
        for candidate_der in pool {
            let Ok(candidate) = Certificate::from_der(candidate_der) else {
                continue;
            };
            if name_der(candidate.tbs_certificate().subject()) != issuer_name
                || *candidate_der == current_der
            {
                continue;
            }
            same_name = true;
            match crate::pki::cert::verify_issued_by(&current_der, &candidate) {
                Ok(()) => {
                    next = Some((candidate_der.clone(), candidate));
                    break;
                }
                Err(crate::pki::Error::UnsupportedSignature(reason)) => {
                    return Err(ChainError::Unverifiable {
                        subject: dn_rfc2253(current.tbs_certificate().subject()),
                        reason,
                    });
                }
                Err(_) => {}
            }
        }
        match next {
            Some((d, c)) => {
                if found.contains(&d) {
                    break;
                }
                found.push(d.clone());
                current_der = d;
                current = c;
            }
            None if same_name => {
                return Err(ChainError::WrongIssuerKey {
                    subject: dn_rfc2253(current.tbs_certificate().subject()),
                    issuer: dn_rfc2253(current.tbs_certificate().issuer()),
                });
            }
            None => {
                return Ok(Chain::Missing {
                    subject: dn_rfc2253(current.tbs_certificate().subject()),
                    issuer: dn_rfc2253(current.tbs_certificate().issuer()),
                    found,
                });
            }
        }
    }
    // The issuers go round in a circle and never reach a root.
    Ok(Chain::Missing {
        subject: dn_rfc2253(current.tbs_certificate().subject()),
        issuer: dn_rfc2253(current.tbs_certificate().issuer()),
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::issue::{IssueRequest, issue_certificate};
    use crate::pki::key::{Curve, KeySpec, PrivateKey};
    use crate::pki::{ca, csr, name, profile, san};

    fn key() -> PrivateKey {
        PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap()
    }

    fn root(k: &PrivateKey) -> Certificate {
        ca::create_self_signed_ca(k, &name::parse_dn("CN=Chain Root").unwrap(), 5).unwrap()
    }

    fn leaf(ca_cert: &Certificate, ca_key: &PrivateKey) -> Vec<u8> {
        let k = key();
        let request = csr::create_csr(
            &k,
            &name::parse_dn("CN=leaf").unwrap(),
            &[san::SanEntry::parse("leaf").unwrap()],
        )
        .unwrap();
        issue_certificate(&IssueRequest {
            csr: &request,
            ca_cert,
            ca_key,
            profile: profile::Profile::Server,
            extra_sans: &[],
            days: 2,
            serial: None,
        })
        .unwrap()
        .certificate
        .to_der()
        .unwrap()
    }

    #[test]
    fn a_chain_ends_at_the_root_or_names_the_missing_issuer() {
        let root_key = key();
        let root_cert = root(&root_key);
        let root_der = root_cert.to_der().unwrap();
        let leaf_der = leaf(&root_cert, &root_key);
        assert_eq!(
            build(&leaf_der, &[leaf_der.clone(), root_der.clone()]).unwrap(),
            Chain::Complete(vec![root_der.clone()])
        );
        match build(&leaf_der, &[]).unwrap() {
            Chain::Missing {
                issuer, subject, ..
            } => {
                assert_eq!(issuer, "CN=Chain Root");
                assert_eq!(subject, "CN=leaf");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(build(&root_der, &[]).unwrap(), Chain::Complete(vec![]));
    }

    #[test]
    fn a_root_of_the_same_name_with_another_key_is_not_the_issuer() {
        let root_key = key();
        let leaf_der = leaf(&root(&root_key), &root_key);
        let impostor = root(&key()).to_der().unwrap();
        let err = build(&leaf_der, &[impostor]).unwrap_err();
        assert!(matches!(err, ChainError::WrongIssuerKey { .. }), "{err}");
    }
}
