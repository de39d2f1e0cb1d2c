//! The CA inside a wallet that signs (orapki `crl create -wallet`, `cert create -wallet`):
//! a user certificate that is a CA, with its private key.

use der::{Decode, Encode};
use x509_cert::Certificate;
use zeroize::Zeroizing;

use super::model::{Item, Wallet};
use crate::pki::name::to_rfc2253;

/// A CA's certificate and key (PKCS#8 DER, wiped on drop) taken from a wallet.
pub struct SigningCa {
    pub cert: Certificate,
    pub key_pkcs8: Zeroizing<Vec<u8>>,
}

/// The wallet's CA: the only user certificate that is a CA (basicConstraints CA:TRUE,
/// or a self-issued certificate without basicConstraints, as orapki `-self_signed`
/// writes without `-addext_basic_cons`), or the one whose subject is `subject` (RFC 2253,
/// as `wallet display` prints it). The error says what the wallet holds instead.
pub fn find(wallet: &Wallet, subject: Option<&str>) -> Result<SigningCa, String> {
    let mut candidates = Vec::new();
    let mut others = Vec::new();
    for i in wallet.user_cert_indices() {
        let Item::Certificate(der) = &wallet.entries[i].item else {
            continue;
        };
        let Ok(cert) = Certificate::from_der(der) else {
            continue;
        };
        let dn = to_rfc2253(cert.tbs_certificate().subject());
        if let Some(wanted) = subject
            && !dn.eq_ignore_ascii_case(wanted)
        {
            others.push(dn);
            continue;
        }
        if !may_sign(&cert) {
            others.push(format!("{dn} (not a CA)"));
            continue;
        }
        candidates.push((i, cert, dn));
    }
    match candidates.len() {
        0 => Err(if others.is_empty() {
            "the wallet holds no user certificate with its private key: add a CA with \
             `orakit wallet add-self-signed` or import one"
                .into()
        } else {
            format!(
                "the wallet holds no CA certificate{} with its private key (it holds {})",
                subject.map(|s| format!(" {s}")).unwrap_or_default(),
                others.join("; ")
            )
        }),
        1 => {
            let (i, cert, dn) = candidates.remove(0);
            let key_pkcs8 = key_of(wallet, i, &cert)
                .ok_or_else(|| format!("the private key of {dn} is not in the wallet"))?;
            Ok(SigningCa { cert, key_pkcs8 })
        }
        _ => Err(format!(
            "the wallet holds several CA certificates ({}): choose one with --subject",
            candidates
                .iter()
                .map(|(_, _, dn)| dn.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

fn may_sign(cert: &Certificate) -> bool {
    match crate::pki::cert::basic_constraints(cert) {
        Some(bc) => bc.ca,
        None => {
            let tbs = cert.tbs_certificate();
            tbs.subject().to_der().ok() == tbs.issuer().to_der().ok()
        }
    }
}

fn key_of(wallet: &Wallet, cert_index: usize, cert: &Certificate) -> Option<Zeroizing<Vec<u8>>> {
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .ok()?;
    let by_key = wallet.key_for_public_key(&spki);
    let index = by_key.or_else(|| {
        let id = wallet.entries[cert_index].local_key_id.as_deref()?;
        wallet.entries.iter().position(|e| {
            matches!(e.item, Item::PrivateKey(_)) && e.local_key_id.as_deref() == Some(id)
        })
    })?;
    match &wallet.entries[index].item {
        Item::PrivateKey(der) => Some(Zeroizing::new(der.to_vec())),
        _ => None,
    }
}

/// Every certificate in `wallet` (trusted or user) whose subject is `name` (as DER).
pub fn certificates_named(wallet: &Wallet, name: &x509_cert::name::Name) -> Vec<Certificate> {
    let Ok(wanted) = name.to_der() else {
        return Vec::new();
    };
    wallet
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            Item::Certificate(der) => Certificate::from_der(der).ok(),
            _ => None,
        })
        .filter(|c| c.tbs_certificate().subject().to_der().ok().as_deref() == Some(&wanted[..]))
        .collect()
}
