//! Certificate revocation settings of `sqlnet.ora` (spec §3.2): `SSL_CERT_REVOCATION`
//! (`TLS_CERT_REVOCATION` from 19.30) and where the CRLs are, `SSL_CRL_FILE` (one file of
//! PEM CRLs) and `SSL_CRL_PATH` (a directory of hash-named CRLs, `orakit crl hash`).
//!
//! Oracle checks user certificates only: a server with client authentication checks its
//! clients', a client the server's.

use std::fmt;

use super::layout::{GenerateError, atom, line};
use super::tls::Target;

/// `SSL_CERT_REVOCATION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationMode {
    /// No revocation check (Oracle's default).
    None,
    /// Check when a CRL is found; connect anyway when none is.
    Requested,
    /// Refuse the connection when no CRL is found for the certificate.
    Required,
}

impl fmt::Display for RevocationMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "NONE",
            Self::Requested => "REQUESTED",
            Self::Required => "REQUIRED",
        })
    }
}

impl RevocationMode {
    /// Parses a `sqlnet.ora` value (any case).
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_uppercase().as_str() {
            "NONE" => Some(Self::None),
            "REQUESTED" => Some(Self::Requested),
            "REQUIRED" => Some(Self::Required),
            _ => None,
        }
    }
}

/// The revocation lines to write; all empty writes nothing.
#[derive(Debug, Clone, Default)]
pub struct Revocation {
    pub mode: Option<RevocationMode>,
    pub crl_path: Option<String>,
    pub crl_file: Option<String>,
}

impl Revocation {
    pub fn is_empty(&self) -> bool {
        self.mode.is_none() && self.crl_path.is_none() && self.crl_file.is_none()
    }

    /// The `NAME = value` lines with the names of `target`.
    pub fn render(&self, target: Target) -> Result<String, GenerateError> {
        let mut out = String::new();
        if let Some(mode) = self.mode {
            out.push_str(&line(&target.param("CERT_REVOCATION"), &mode.to_string()));
        }
        if let Some(path) = &self.crl_path {
            out.push_str(&line(
                &target.param("CRL_PATH"),
                &atom("CRL directory", path)?,
            ));
        }
        if let Some(file) = &self.crl_file {
            out.push_str(&line(&target.param("CRL_FILE"), &atom("CRL file", file)?));
        }
        Ok(out)
    }

    /// What the settings will not do as written (printed as notes by the generators).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let has_source = self.crl_path.is_some() || self.crl_file.is_some();
        match self.mode {
            None | Some(RevocationMode::None) if has_source => notes.push(
                "a CRL location has no effect while SSL_CERT_REVOCATION is NONE (the default); \
                 add --cert-revocation requested or required"
                    .into(),
            ),
            Some(RevocationMode::Required) if !has_source => notes.push(
                "SSL_CERT_REVOCATION = REQUIRED without --crl-path or --crl-file: Oracle then \
                 needs the CRL from LDAP or the certificate's CRL distribution point, and \
                 refuses the connection when it finds none"
                    .into(),
            ),
            _ => {}
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_release() {
        let r = Revocation {
            mode: Some(RevocationMode::Required),
            crl_path: Some("/u01/crl dir".into()),
            crl_file: None,
        };
        assert_eq!(
            r.render(Target::Oracle19c).unwrap(),
            "SSL_CERT_REVOCATION = REQUIRED\nSSL_CRL_PATH = \"/u01/crl dir\"\n"
        );
        assert!(
            r.render(Target::Oracle19_30)
                .unwrap()
                .starts_with("TLS_CERT_REVOCATION = REQUIRED\nTLS_CRL_PATH")
        );
        assert!(r.notes().is_empty());
        let lonely = Revocation {
            mode: Some(RevocationMode::Required),
            ..Default::default()
        };
        assert_eq!(lonely.notes().len(), 1);
        assert_eq!(
            RevocationMode::parse(" requested "),
            Some(RevocationMode::Requested)
        );
    }
}
