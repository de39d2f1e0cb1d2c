//! Phase 1 of a rotation: where it starts from (the old root and the new CA, made when
//! missing) and whether a `--new-ca-dir` names another CA than the rotation recorded.

use super::*;

/// Phase 1 of a new rotation: finds the old root and the new CA (made when missing).
/// Also says whether the new root is a sample (made by `--check`, never written).
/// `in_force`: the CA a finished rotation left a fleet with (its `--ca-dir` default).
pub(super) fn start(
    dir: &Path,
    kind: DirKind,
    spec: &RotateSpec,
    in_force: Option<&Path>,
    report: &mut RotateReport,
) -> Result<(State, bool)> {
    let old_ca_dir = match kind {
        DirKind::TcpsInit => dir.join("ca"),
        DirKind::Fleet => spec
            .old_ca_dir
            .clone()
            .or(in_force.map(Path::to_path_buf))
            .ok_or_else(|| {
                Error::Invalid(
                    "a fleet's rotation starts from the CA it was issued with: give --ca-dir DIR \
                 (its ca.pem)"
                        .into(),
                )
            })?,
    };
    let old = read_ca_cert(&old_ca_dir)?;
    if kind == DirKind::Fleet {
        // The root to retire must be the one the hosts chain to: a wrong --ca-dir would
        // leave their real root trusted after phase 3.
        for host in fleet_hosts(dir)? {
            let pem = dir.join(&host).join(CERT_FILE);
            let certificate = crate::fleet::renew::read_host_certificate(&dir.join(&host))
                .map_err(|e| Error::Invalid(e.to_string()))?;
            let from_old = certificate.tbs_certificate().issuer()
                == old.tbs_certificate().subject()
                && certificate
                    .to_der()
                    .is_ok_and(|d| cert::verify_issued_by(&d, &old).is_ok());
            if !from_old {
                return Err(Error::Invalid(format!(
                    "{}: its certificate {} was not issued by the CA of --ca-dir {} (\"{}\"); \
                     give the CA the fleet was issued with",
                    host,
                    pem.display(),
                    old_ca_dir.display(),
                    crate::pki::name::to_rfc2253(old.tbs_certificate().subject())
                )));
            }
        }
    }
    let old_root = record(&old)?;
    let new_ca_dir = match (kind, &spec.new_ca_dir) {
        (DirKind::TcpsInit, _) => dir.join(NEW_CA_DIR),
        (DirKind::Fleet, Some(d)) => std::path::absolute(d).unwrap_or_else(|_| d.clone()),
        (DirKind::Fleet, None) => {
            return Err(Error::Invalid(
                "a fleet's new root needs a home: give --new-ca-dir DIR (an existing CA \
                 directory with ca.pem and ca.key, or a new directory where the new root is \
                 made)"
                    .into(),
            ));
        }
    };
    let given = match (kind, &spec.new_ca_dir) {
        (DirKind::TcpsInit, Some(d)) if d.join(CERT_NAME).is_file() => Some(d.clone()),
        (DirKind::Fleet, Some(d)) if d.join(CERT_NAME).is_file() => Some(d.clone()),
        _ => None,
    };
    let mut sample = false;
    let new_cert = if new_ca_dir.join(CERT_NAME).is_file() {
        // Given, or made by an earlier, interrupted run: use it (its key must open).
        ca_store::read_ca_dir(&new_ca_dir, spec.ca_password.as_ref())?
            .material
            .certificate
    } else if let Some(source) = given {
        // A tcps init output keeps its CAs inside: the given one is copied to DIR/ca-new.
        let stored = ca_store::read_ca_dir(&source, spec.ca_password.as_ref())?;
        let certificate = stored.material.certificate.clone();
        report.steps.push(Step {
            target: NEW_CA_DIR.to_owned(),
            action: format!("copy the new CA from {}", source.display()),
            needed: true,
        });
        if !spec.check {
            let pem = fs::read(source.join(CERT_NAME))
                .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", source.display())))?;
            write_ca_dir(&new_ca_dir, &pem, &stored.key_file)?;
        }
        report.files_changed.extend([
            format!("{NEW_CA_DIR}/{CERT_NAME}"),
            format!("{NEW_CA_DIR}/{KEY_NAME}"),
        ]);
        certificate
    } else {
        sample = spec.check;
        make_new_ca(dir, &new_ca_dir, &old, spec, report)?
    };
    if new_cert.tbs_certificate().subject() == old.tbs_certificate().subject() {
        return Err(Error::Invalid(format!(
            "the new root has the old one's subject \"{}\"; wallets and TLS peers find a \
             chain by name, so both roots must differ: give --new-ca-subject",
            old_root.subject
        )));
    }
    let new_root = record(&new_cert)?;
    if new_root.sha256_fingerprint == old_root.sha256_fingerprint {
        return Err(Error::Invalid(
            "the new root is the old root; give another --new-ca-dir".into(),
        ));
    }
    Ok((
        State {
            schema_version: SCHEMA_VERSION,
            phase: Phase::Trust,
            complete: false,
            old_root,
            new_root,
            new_ca_dir,
            client_wallets: Vec::new(),
            history: Vec::new(),
        },
        sample,
    ))
}

/// Whether `--new-ca-dir` names another CA than the rotation `state` records: another
/// root certificate there, or (nothing there yet) another directory.
pub(super) fn names_other_ca(spec: &RotateSpec, state: &State) -> Result<bool> {
    let Some(given) = &spec.new_ca_dir else {
        return Ok(false);
    };
    if given.join(CERT_NAME).is_file() {
        let root = record(&read_ca_cert(given)?)?;
        return Ok(root.sha256_fingerprint != state.new_root.sha256_fingerprint);
    }
    let absolute = std::path::absolute(given).unwrap_or_else(|_| given.clone());
    Ok(absolute != state.new_ca_dir)
}
