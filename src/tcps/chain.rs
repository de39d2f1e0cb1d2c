//! Checking that a CA bundle is a complete chain: every certificate's issuer is in the
//! bundle (same name, and its key verifies the signature), ending at a self-signed
//! root. AWS DMS wants "the entire certificate chain as a single .PEM file"; a bundle
//! with a gap uploads fine and fails only at connection time, so the gap is named here.

use der::{Decode, Encode};
use x509_cert::Certificate;

use crate::pki::cert::verify_issued_by;
use crate::pki::name::to_rfc2253;

#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("holds no certificate")]
    Empty,
    #[error("certificate {index} cannot be read: {reason}")]
    Unreadable { index: usize, reason: String },
    #[error(
        "the chain is incomplete: the issuer of \"{subject}\" is missing: \"{issuer}\"; add that CA certificate (PEM) to the bundle"
    )]
    MissingIssuer { subject: String, issuer: String },
    #[error(
        "\"{subject}\" names \"{issuer}\" as its issuer, but its signature does not verify with the key of that certificate in the bundle; the bundle holds a different CA with the same name"
    )]
    WrongIssuerKey { subject: String, issuer: String },
    #[error(
        "\"{subject}\" is self-issued but its signature does not verify with its own key; it is not a usable root"
    )]
    RootNotSelfSigned { subject: String },
}

/// A bundle whose chains were checked, roots first.
#[derive(Debug, Clone)]
pub struct CheckedChain {
    /// DER of every certificate, each root before the certificates it issued.
    pub certificates: Vec<Vec<u8>>,
    /// Subject DNs (RFC 2253) in the same order.
    pub subjects: Vec<String>,
    /// How many of them are self-signed roots.
    pub roots: usize,
}

/// Checks every certificate of `ders` (see the module documentation) and orders them.
pub fn check_chain(ders: &[Vec<u8>]) -> Result<CheckedChain, ChainError> {
    if ders.is_empty() {
        return Err(ChainError::Empty);
    }
    let certs = ders
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Certificate::from_der(d).map_err(|e| ChainError::Unreadable {
                index: i + 1,
                reason: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let name_der = |n: &x509_cert::name::Name| n.to_der().unwrap_or_default();
    // parent[i]: the index of the certificate that issued certificate i (i for a root).
    let mut parent = Vec::with_capacity(certs.len());
    for (i, cert) in certs.iter().enumerate() {
        let tbs = cert.tbs_certificate();
        let subject = to_rfc2253(tbs.subject());
        let issuer_name = name_der(tbs.issuer());
        if name_der(tbs.subject()) == issuer_name {
            if verify_issued_by(&ders[i], cert).is_err() {
                return Err(ChainError::RootNotSelfSigned { subject });
            }
            parent.push(i);
            continue;
        }
        let candidates: Vec<usize> = (0..certs.len())
            .filter(|&j| j != i && name_der(certs[j].tbs_certificate().subject()) == issuer_name)
            .collect();
        let issuer = to_rfc2253(tbs.issuer());
        if candidates.is_empty() {
            return Err(ChainError::MissingIssuer { subject, issuer });
        }
        match candidates
            .into_iter()
            .find(|&j| verify_issued_by(&ders[i], &certs[j]).is_ok())
        {
            Some(j) => parent.push(j),
            None => return Err(ChainError::WrongIssuerKey { subject, issuer }),
        }
    }
    // Depth from the root; a loop of cross-signed names without a root counts as missing.
    let mut depth = vec![0usize; certs.len()];
    for (i, d) in depth.iter_mut().enumerate() {
        let mut at = i;
        let mut steps = 0;
        while parent[at] != at {
            at = parent[at];
            steps += 1;
            if steps > certs.len() {
                let tbs = certs[i].tbs_certificate();
                return Err(ChainError::MissingIssuer {
                    subject: to_rfc2253(tbs.subject()),
                    issuer: "a self-signed root (the names form a loop)".into(),
                });
            }
        }
        *d = steps;
    }
    let mut order: Vec<usize> = (0..certs.len()).collect();
    order.sort_by_key(|&i| depth[i]);
    let mut out_ders: Vec<Vec<u8>> = Vec::new();
    let mut subjects = Vec::new();
    for i in order {
        if out_ders.contains(&ders[i]) {
            continue; // the same certificate twice in the bundle
        }
        out_ders.push(ders[i].clone());
        subjects.push(to_rfc2253(certs[i].tbs_certificate().subject()));
    }
    Ok(CheckedChain {
        roots: depth.iter().filter(|&&d| d == 0).count(),
        certificates: out_ders,
        subjects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::ca::create_self_signed_ca;
    use crate::pki::key::{Curve, KeySpec, PrivateKey};
    use crate::pki::name::parse_dn;

    fn root(name: &str) -> Vec<u8> {
        let key = PrivateKey::generate(KeySpec::Ec { curve: Curve::P256 }).unwrap();
        create_self_signed_ca(&key, &parse_dn(name).unwrap(), 10)
            .unwrap()
            .to_der()
            .unwrap()
    }

    #[test]
    fn roots_pass_and_an_empty_bundle_fails() {
        let checked = check_chain(&[root("CN=A"), root("CN=B")]).unwrap();
        assert_eq!(checked.roots, 2);
        assert_eq!(checked.subjects, ["CN=A", "CN=B"]);
        assert!(matches!(check_chain(&[]), Err(ChainError::Empty)));
    }

    #[test]
    fn a_tampered_root_is_not_self_signed() {
        let mut der = root("CN=A");
        let last = der.len() - 1;
        der[last] ^= 1;
        assert!(matches!(
            check_chain(&[der]),
            Err(ChainError::RootNotSelfSigned { .. }) | Err(ChainError::Unreadable { .. })
        ));
    }
}
