//! The rotation's record, `DIR/orakit-rotation.json`: the phase last started, whether it
//! finished, both roots and where the new CA is; and which phase may run next.

use std::fs;
use std::path::{Path, PathBuf};

use der::Encode;
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

use crate::fsio::{self, MODE_PUBLIC, Overwrite};
use crate::pki::cert;
use crate::pki::name::to_rfc2253;
use crate::pki::show::format_time;
use crate::tcps::{Error, Result};
use crate::wallet::model::sha256_hex;

/// The rotation's record in the directory rotated.
pub const STATE_FILE: &str = "orakit-rotation.json";
pub const SCHEMA_VERSION: u32 = 1;

/// The three phases, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Trust,
    Reissue,
    Retire,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Trust => "trust",
            Phase::Reissue => "reissue",
            Phase::Retire => "retire",
        }
    }
    pub(super) fn number(self) -> u8 {
        self as u8 + 1
    }
    pub(super) fn next(self) -> Option<Phase> {
        match self {
            Phase::Trust => Some(Phase::Reissue),
            Phase::Reissue => Some(Phase::Retire),
            Phase::Retire => None,
        }
    }
}

/// A root as the record and the report name it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RootRecord {
    pub subject: String,
    pub sha256_fingerprint: String,
    pub not_after: String,
    /// The certificate (PEM), so phase 3 knows what to remove whatever happens to files.
    pub pem: String,
}

/// `orakit-rotation.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    pub schema_version: u32,
    /// The phase last started.
    pub phase: Phase,
    /// Whether that phase finished (the next one may run).
    pub complete: bool,
    pub old_root: RootRecord,
    pub new_root: RootRecord,
    /// The directory holding the new CA (ca.pem, ca.key).
    pub new_ca_dir: PathBuf,
    /// A fleet's client wallets (directories or PEM files) rotated with it.
    #[serde(default)]
    pub client_wallets: Vec<PathBuf>,
    /// The rotations finished before this one, oldest first: a `--phase trust` after a
    /// completed phase 3 moves the record of that rotation here and starts the next.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<PastRotation>,
}

/// A rotation that ran to its end (phase 3 done).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PastRotation {
    pub old_root: RootRecord,
    pub new_root: RootRecord,
    /// Where its new CA ended up (DIR/ca for a `tcps init` output).
    pub new_ca_dir: PathBuf,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_wallets: Vec<PathBuf>,
}

impl State {
    /// Whether this rotation ran to its end: the next `--phase trust` starts another.
    pub fn finished(&self) -> bool {
        self.phase == Phase::Retire && self.complete
    }

    /// The history a rotation started after this finished one carries.
    pub(super) fn archived(&self) -> Vec<PastRotation> {
        let mut history = self.history.clone();
        history.push(PastRotation {
            old_root: self.old_root.clone(),
            new_root: self.new_root.clone(),
            new_ca_dir: self.new_ca_dir.clone(),
            client_wallets: self.client_wallets.clone(),
        });
        history
    }
}

pub(super) fn record(certificate: &Certificate) -> Result<RootRecord> {
    let der = certificate
        .to_der()
        .map_err(|e| Error::Invalid(format!("cannot encode a certificate: {e}")))?;
    let tbs = certificate.tbs_certificate();
    Ok(RootRecord {
        subject: to_rfc2253(tbs.subject()),
        sha256_fingerprint: sha256_hex(&der),
        not_after: format_time(&tbs.validity().not_after),
        pem: cert::to_pem(certificate)?,
    })
}

impl RootRecord {
    pub(super) fn der(&self) -> Result<Vec<u8>> {
        let c = cert::read_certificate(self.pem.as_bytes())?;
        c.to_der()
            .map_err(|e| Error::Invalid(format!("cannot encode a certificate: {e}")))
    }
}

pub(super) fn read_state(dir: &Path) -> Result<Option<State>> {
    let path = dir.join(STATE_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = crate::limits::read_file(&path, crate::limits::MAX_PKI_FILE, "rotation state")
        .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        Error::Invalid(format!(
            "{} is not the rotation record orakit writes ({e}); put the original back",
            path.display()
        ))
    })
}

pub(super) fn state_bytes(state: &State) -> Result<Vec<u8>> {
    let mut text = serde_json::to_string_pretty(state)
        .map_err(|e| Error::Invalid(format!("internal: {e}")))?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// Writes the state when its bytes change; returns whether it did.
pub(super) fn write_state(dir: &Path, state: &State) -> Result<bool> {
    let path = dir.join(STATE_FILE);
    let bytes = state_bytes(state)?;
    if fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    fsio::write_atomic(&path, &bytes, MODE_PUBLIC, Overwrite::Allow)?;
    Ok(true)
}

/// The phase a run may start now.
pub(super) fn needed_phase(state: Option<&State>) -> Option<Phase> {
    match state {
        None => Some(Phase::Trust),
        Some(s) if !s.complete => Some(s.phase),
        // After phase 3, phase 1 of the next rotation.
        Some(s) => s.phase.next().or(Some(Phase::Trust)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_run_in_order() {
        assert_eq!(needed_phase(None), Some(Phase::Trust));
        let root = RootRecord {
            subject: "CN=a".into(),
            sha256_fingerprint: "00".into(),
            not_after: String::new(),
            pem: String::new(),
        };
        let mut s = State {
            schema_version: 1,
            phase: Phase::Trust,
            complete: false,
            old_root: root.clone(),
            new_root: root,
            new_ca_dir: PathBuf::new(),
            client_wallets: vec![],
            history: vec![],
        };
        assert_eq!(needed_phase(Some(&s)), Some(Phase::Trust));
        s.complete = true;
        assert_eq!(needed_phase(Some(&s)), Some(Phase::Reissue));
        s.phase = Phase::Retire;
        assert_eq!(needed_phase(Some(&s)), Some(Phase::Trust));
        assert!(s.finished());
    }
}
