//! The new root of a rotation: made (or copied) in phase 1, loaded to sign in phase 2,
//! and in a `tcps init` output made `DIR/ca` in phase 3.

use std::fs;
use std::path::Path;

use der::Encode;
use x509_cert::Certificate;

use crate::fsio::{self, MODE_PUBLIC, MODE_SECRET, Overwrite};
use crate::pki::cert;
use crate::pki::key::{PrivateKey, spec_of_public_key};
use crate::pki::name::{parse_dn, to_rfc2253};
use crate::pki::show::format_time;
use crate::tcps::ca_store::{self, CERT_NAME, KEY_NAME};
use crate::tcps::server::CaMaterial;
use crate::tcps::{Error, Result, layout};
use crate::wallet::model::sha256_hex;

use super::state::State;
use super::{RotateReport, RotateSpec, Step, label};

/// Where a `tcps init` output keeps the new CA until phase 3 makes it `ca/`.
pub const NEW_CA_DIR: &str = "ca-new";
/// Where phase 3 keeps the old CA of a `tcps init` output.
pub const RETIRED_CA_DIR: &str = "ca-retired";

/// The first certificate of `dir/ca.pem`.
pub(super) fn read_ca_cert(dir: &Path) -> Result<Certificate> {
    let path = dir.join(CERT_NAME);
    let bytes = crate::limits::read_file(&path, crate::limits::MAX_PKI_FILE, "CA certificate")
        .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", path.display())))?;
    cert::read_certificates(&bytes)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Invalid(format!("{} holds no certificate", path.display())))
}

/// The default subject of the next root: the CN with " G2" appended, or its " G<n>"
/// counted up.
pub(super) fn next_subject(old: &str) -> Result<String> {
    let Some(rest) = old.strip_prefix("CN=") else {
        return Err(Error::Invalid(format!(
            "the old root's subject \"{old}\" does not start with CN=; give the new root's \
             subject with --new-ca-subject"
        )));
    };
    let (cn, tail) = match rest.find(',') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let bumped = match cn.rsplit_once(" G") {
        Some((base, n)) if n.parse::<u32>().is_ok() => {
            format!("{base} G{}", n.parse::<u32>().unwrap_or(1) + 1)
        }
        _ => format!("{cn} G2"),
    };
    Ok(format!("CN={bumped}{tail}"))
}

pub(super) fn write_ca_dir(dir: &Path, cert_pem: &[u8], key_file: &[u8]) -> Result<()> {
    fsio::create_dir_with_mode(dir, 0o700)?;
    fsio::write_atomic(
        &dir.join(KEY_NAME),
        key_file,
        MODE_SECRET,
        Overwrite::Refuse,
    )?;
    fsio::write_atomic(
        &dir.join(CERT_NAME),
        cert_pem,
        MODE_PUBLIC,
        Overwrite::Refuse,
    )?;
    Ok(())
}

pub(super) fn make_new_ca(
    dir: &Path,
    new_ca_dir: &Path,
    old: &Certificate,
    spec: &RotateSpec,
    report: &mut RotateReport,
) -> Result<Certificate> {
    let old_subject = to_rfc2253(old.tbs_certificate().subject());
    let subject_text = match &spec.new_root.subject {
        Some(s) => s.clone(),
        None => next_subject(&old_subject)?,
    };
    let subject = parse_dn(&subject_text)?;
    let key_spec = match spec.new_root.key_spec {
        Some(k) => k,
        None => spec_of_public_key(old.tbs_certificate().subject_public_key_info())?,
    };
    let key = PrivateKey::generate(key_spec)?;
    let certificate = crate::pki::ca::create_self_signed_ca(&key, &subject, spec.new_root.days)?;
    report.steps.push(Step {
        target: label(dir, new_ca_dir),
        action: format!(
            "make the new root \"{}\" ({}, {} days{})",
            to_rfc2253(certificate.tbs_certificate().subject()),
            key_spec.description(),
            spec.new_root.days,
            if spec.ca_password.is_some() {
                ", key encrypted"
            } else {
                ""
            }
        ),
        needed: true,
    });
    report.files_changed.extend([
        format!("{}/{CERT_NAME}", label(dir, new_ca_dir)),
        format!("{}/{KEY_NAME}", label(dir, new_ca_dir)),
    ]);
    if !spec.check {
        let key_file = ca_store::key_file_bytes(&key, spec.ca_password.as_ref())?;
        write_ca_dir(
            new_ca_dir,
            cert::to_pem(&certificate)?.as_bytes(),
            &key_file,
        )?;
    }
    Ok(certificate)
}

pub(super) fn load_new_ca(state: &State, spec: &RotateSpec) -> Result<CaMaterial> {
    let stored = ca_store::read_ca_dir(&state.new_ca_dir, spec.ca_password.as_ref())?;
    let der = stored
        .material
        .certificate
        .to_der()
        .map_err(|e| Error::Invalid(format!("cannot encode a certificate: {e}")))?;
    if sha256_hex(&der) != state.new_root.sha256_fingerprint {
        return Err(Error::Invalid(format!(
            "{} is not the new root this rotation trusted in phase 1 (\"{}\", SHA-256 {}); \
             put it back",
            state.new_ca_dir.display(),
            state.new_root.subject,
            state.new_root.sha256_fingerprint
        )));
    }
    Ok(stored.material)
}

/// Whether DIR/ca already is the new root.
pub(super) fn ca_swapped(dir: &Path, state: &State) -> Result<bool> {
    let ca = dir.join("ca");
    if !ca.join(CERT_NAME).is_file() {
        return Ok(false);
    }
    let c = read_ca_cert(&ca)?;
    let der = c
        .to_der()
        .map_err(|e| Error::Invalid(format!("cannot encode a certificate: {e}")))?;
    Ok(sha256_hex(&der) == state.new_root.sha256_fingerprint)
}

/// DIR/ca → DIR/ca-retired, DIR/ca-new → DIR/ca, and the summary's `ca` section. Each
/// step is a rename, and a rerun after a kill takes up where it stopped.
pub(super) fn swap_ca(dir: &Path, state: &State) -> Result<()> {
    let ca = dir.join("ca");
    let new = dir.join(NEW_CA_DIR);
    let io = |what: String| move |e: std::io::Error| Error::Layout(format!("{what}: {e}"));
    if ca.exists() && !ca_swapped(dir, state)? {
        let mut retired = dir.join(RETIRED_CA_DIR);
        if retired.exists() {
            retired = dir.join(format!(
                "{RETIRED_CA_DIR}-{}",
                &state.old_root.sha256_fingerprint[..12]
            ));
        }
        fs::rename(&ca, &retired).map_err(io(format!(
            "cannot move {} to {}",
            ca.display(),
            retired.display()
        )))?;
    }
    if !ca.exists() {
        fs::rename(&new, &ca).map_err(io(format!(
            "cannot move {} to {}",
            new.display(),
            ca.display()
        )))?;
    }
    // The summary names the CA in force.
    let path = dir.join(layout::MARKER);
    let text = fs::read(&path).map_err(io(format!("cannot read {}", path.display())))?;
    let mut value: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
        Error::Invalid(format!(
            "{} is not the JSON `tcps init` wrote: {e}",
            path.display()
        ))
    })?;
    let certificate = read_ca_cert(&ca)?;
    if let Some(section) = value.get_mut("ca").and_then(|s| s.as_object_mut()) {
        let tbs = certificate.tbs_certificate();
        section.insert("subject".into(), to_rfc2253(tbs.subject()).into());
        section.insert(
            "not_after".into(),
            format_time(&tbs.validity().not_after).into(),
        );
        if let Ok(spec) = spec_of_public_key(tbs.subject_public_key_info()) {
            section.insert("key_type".into(), spec.description().into());
        }
    }
    let mut out = serde_json::to_string_pretty(&value)
        .map_err(|e| Error::Invalid(format!("internal: {e}")))?;
    out.push('\n');
    if out.as_bytes() != text.as_slice() {
        fsio::write_atomic(&path, out.as_bytes(), MODE_PUBLIC, Overwrite::Allow)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_root_gets_a_generation_number() {
        assert_eq!(
            next_subject("CN=db1 TCPS Root CA").unwrap(),
            "CN=db1 TCPS Root CA G2"
        );
        assert_eq!(
            next_subject("CN=Root G2,O=Example").unwrap(),
            "CN=Root G3,O=Example"
        );
        assert!(next_subject("O=Example").is_err());
    }
}
