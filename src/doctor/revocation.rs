//! Certificate revocation in `sqlnet.ora`: `SSL_CERT_REVOCATION` (or `TLS_`), and the CRLs
//! of `SSL_CRL_PATH` / `SSL_CRL_FILE`. Each CRL must parse, carry its issuer's hash name
//! (in a directory), be current (nextUpdate not passed) and be signed by a CA the wallet
//! holds; REQUIRED with no CRL to be found refuses every connection.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::finding::{Finding, LikelyError};
use crate::crl_dir;
use crate::net::Document;
use crate::net::revocation::RevocationMode;
use crate::pki::crl::Crl;
use crate::pki::name::to_rfc2253;
use crate::pki::pem::{self, Input};
use crate::wallet::model::Wallet;

/// The revocation parameters as written (`TLS_` names win over `SSL_` ones, as in Oracle).
struct Settings {
    mode: Option<(String, String)>,
    crl_path: Option<PathBuf>,
    crl_file: Option<PathBuf>,
}

fn value_of(doc: &Document, suffix: &str) -> Option<(String, String)> {
    ["TLS_", "SSL_"].iter().find_map(|prefix| {
        let name = format!("{prefix}{suffix}");
        let p = doc.find(&name)?;
        let value = p.atoms().into_iter().next()?;
        Some((name, value))
    })
}

fn resolve(base: &Path, value: &str) -> PathBuf {
    let p = PathBuf::from(value);
    if p.is_relative() { base.join(p) } else { p }
}

/// Checks the revocation settings of `sqlnet` against the files and the wallet.
/// `wallet_dir` is where Oracle looks when `SSL_CRL_PATH` is not set.
pub fn check(
    sqlnet: &Path,
    wallet: Option<&Wallet>,
    wallet_dir: Option<&Path>,
    now_unix: u64,
    findings: &mut Vec<Finding>,
) {
    let Ok(text) =
        crate::limits::read_text(sqlnet, crate::limits::MAX_ORA_FILE, "Oracle Net files")
    else {
        return;
    };
    let Ok(doc) = Document::parse(&text) else {
        return;
    };
    let base = sqlnet.parent().unwrap_or(Path::new("."));
    let settings = Settings {
        mode: value_of(&doc, "CERT_REVOCATION"),
        crl_path: value_of(&doc, "CRL_PATH").map(|(_, v)| resolve(base, &v)),
        crl_file: value_of(&doc, "CRL_FILE").map(|(_, v)| resolve(base, &v)),
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now_unix);
    let mode = match &settings.mode {
        Some((name, value)) => match RevocationMode::parse(value) {
            Some(m) => Some(m),
            None => {
                findings.push(Finding::problem(
                    "cert-revocation-value",
                    None,
                    Some(sqlnet),
                    format!(
                        "{} sets {name} = {value}; Oracle knows NONE, REQUESTED and REQUIRED",
                        sqlnet.display()
                    ),
                ));
                return;
            }
        },
        None => None,
    };
    let checking = matches!(
        mode,
        Some(RevocationMode::Requested | RevocationMode::Required)
    );
    if !checking {
        if settings.crl_path.is_some() || settings.crl_file.is_some() {
            findings.push(Finding::note(
                "crl-unused",
                Some(sqlnet),
                format!(
                    "{} names CRLs but SSL_CERT_REVOCATION is NONE (the default), so Oracle \
                     does not read them; set it to REQUESTED or REQUIRED \
                     (`orakit net sqlnet --cert-revocation requested --update {}`)",
                    sqlnet.display(),
                    sqlnet.display()
                ),
            ));
        }
        return;
    }
    let mut crls: Vec<(PathBuf, Crl)> = Vec::new();
    if let Some(file) = &settings.crl_file {
        check_file(file, &mut crls, findings);
    }
    // Without SSL_CRL_PATH, Oracle looks in the wallet directory.
    let dir = settings
        .crl_path
        .clone()
        .or_else(|| wallet_dir.map(Path::to_path_buf));
    if let Some(dir) = &dir {
        check_dir(dir, settings.crl_path.is_some(), &mut crls, findings);
    }
    if crls.is_empty() && mode == Some(RevocationMode::Required) {
        findings.push(Finding::problem(
            "crl-required-none",
            Some(LikelyError::Ora29024),
            Some(sqlnet),
            format!(
                "{} sets SSL_CERT_REVOCATION = REQUIRED but no CRL is found ({}): Oracle refuses \
                 every peer certificate whose CRL it cannot find (unless LDAP or the \
                 certificate's CRL distribution point serves one); publish the CA's CRL with \
                 `orakit crl hash --crl FILE --dir DIR` and set SSL_CRL_PATH = DIR",
                sqlnet.display(),
                match &dir {
                    Some(d) => format!("no hash-named CRL in {}", d.display()),
                    None => "no SSL_CRL_PATH or SSL_CRL_FILE".into(),
                }
            ),
        ));
    }
    for (path, crl) in &crls {
        check_crl(path, crl, wallet, now, findings);
    }
}

fn check_file(file: &Path, crls: &mut Vec<(PathBuf, Crl)>, findings: &mut Vec<Finding>) {
    let bytes = match crate::limits::read_file(file, crl_dir::MAX_CRL_FILE, "CRL files") {
        Ok(b) => b,
        Err(e) => {
            findings.push(Finding::problem(
                "crl-file-missing",
                Some(LikelyError::Ora29024),
                Some(file),
                format!(
                    "SSL_CRL_FILE {} cannot be read ({e}); write the CA's CRL there \
                     (`orakit crl create`)",
                    file.display()
                ),
            ));
            return;
        }
    };
    // SSL_CRL_FILE holds one or more PEM CRLs one after another.
    let parsed: Result<Vec<Crl>, String> = match pem::classify(&bytes) {
        Ok(Input::Pem(blocks)) => blocks
            .iter()
            .filter(|b| b.label == crate::pki::crl::PEM_LABEL)
            .map(|b| Crl::from_der(b.der.to_vec()).map_err(|e| e.to_string()))
            .collect(),
        Ok(Input::Der(der)) => Crl::from_der(der.to_vec())
            .map(|c| vec![c])
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match parsed {
        Ok(list) if !list.is_empty() => {
            crls.extend(list.into_iter().map(|c| (file.to_path_buf(), c)));
        }
        Ok(_) => findings.push(Finding::problem(
            "crl-unreadable",
            Some(LikelyError::Ora29024),
            Some(file),
            format!(
                "SSL_CRL_FILE {} holds no -----BEGIN X509 CRL----- block",
                file.display()
            ),
        )),
        Err(e) => findings.push(Finding::problem(
            "crl-unreadable",
            Some(LikelyError::Ora29024),
            Some(file),
            format!("SSL_CRL_FILE {} is not a readable CRL: {e}", file.display()),
        )),
    }
}

fn check_dir(dir: &Path, named: bool, crls: &mut Vec<(PathBuf, Crl)>, findings: &mut Vec<Finding>) {
    if !dir.is_dir() {
        if named {
            findings.push(Finding::problem(
                "crl-path-missing",
                Some(LikelyError::Ora29024),
                Some(dir),
                format!(
                    "SSL_CRL_PATH {} is not a readable directory; create it and publish the \
                     CA's CRL there with `orakit crl hash --crl FILE --dir {}`",
                    dir.display(),
                    dir.display()
                ),
            ));
        }
        return;
    }
    let entries = match crl_dir::list(dir) {
        Ok(e) => e,
        Err(e) => {
            findings.push(Finding::problem(
                "crl-path-missing",
                Some(LikelyError::Ora29024),
                Some(dir),
                e,
            ));
            return;
        }
    };
    for entry in &entries {
        if let Some(problem) = &entry.problem {
            findings.push(Finding::problem(
                "crl-unreadable",
                Some(LikelyError::Ora29024),
                Some(&entry.path),
                problem.clone(),
            ));
            continue;
        }
        if !entry.name_matches_issuer {
            findings.push(Finding::problem(
                "crl-hash-mismatch",
                Some(LikelyError::Ora29024),
                Some(&entry.path),
                format!(
                    "{} is named for another issuer than its CRL's ({}): Oracle looks CRLs up \
                     by issuer hash and will not find it; publish it again with `orakit crl \
                     hash --crl FILE --dir {}`",
                    entry.path.display(),
                    entry.issuer.as_deref().unwrap_or("?"),
                    dir.display()
                ),
            ));
        }
        if let Ok(crl) = crl_dir::read_crl(&entry.path) {
            crls.push((entry.path.clone(), crl));
        }
    }
    if entries.is_empty() && named {
        let unhashed = unhashed_crls(dir);
        if !unhashed.is_empty() {
            findings.push(Finding::problem(
                "crl-not-hashed",
                Some(LikelyError::Ora29024),
                Some(dir),
                format!(
                    "SSL_CRL_PATH {} holds CRLs ({}) but none under its issuer's hash name, \
                     which is how Oracle finds them; run `orakit crl hash --crl FILE --dir {}` \
                     for each",
                    dir.display(),
                    unhashed.join(", "),
                    dir.display()
                ),
            ));
        }
    }
}

/// Files in `dir` that read as CRLs but do not carry a hash name.
fn unhashed_crls(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !crl_dir::is_hash_name(n))
        .filter(|n| crl_dir::read_crl(&dir.join(n)).is_ok())
        .collect();
    names.sort();
    names
}

fn check_crl(
    path: &Path,
    crl: &Crl,
    wallet: Option<&Wallet>,
    now: SystemTime,
    findings: &mut Vec<Finding>,
) {
    let issuer = to_rfc2253(crl.issuer());
    if crl.is_stale(now) {
        findings.push(Finding::problem(
            "crl-stale",
            Some(LikelyError::Ora29024),
            Some(path),
            format!(
                "the CRL of {issuer} in {} is out of date (next update {} has passed): Oracle \
                 rejects certificates it cannot check against a current CRL; issue a new one \
                 (`orakit crl create` / `orakit crl revoke --next-update DAYS`) and publish it",
                path.display(),
                crl.next_update()
                    .map(crate::pki::crl_text::java_date)
                    .unwrap_or_default()
            ),
        ));
    }
    let Some(wallet) = wallet else {
        return;
    };
    let named = crate::wallet::signing_ca::certificates_named(wallet, crl.issuer());
    if named.is_empty() {
        findings.push(Finding::problem(
            "crl-issuer-untrusted",
            Some(LikelyError::Ora29024),
            Some(path),
            format!(
                "the CRL in {} is issued by {issuer}, which the wallet does not hold: Oracle \
                 cannot check its signature; add the CA with `orakit wallet add-trusted`",
                path.display()
            ),
        ));
    } else if !named.iter().any(|c| crl.verify_signed_by(c).is_ok()) {
        findings.push(Finding::problem(
            "crl-signature",
            Some(LikelyError::Ora29024),
            Some(path),
            format!(
                "the CRL in {} names {issuer} as issuer but its signature does not verify with \
                 that CA's certificate in the wallet: it was signed by another CA or altered",
                path.display()
            ),
        ));
    }
}
