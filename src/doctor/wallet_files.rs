//! The wallet directory as Oracle meets it: does it exist, can this user list it and read
//! its files, does it hold an auto-login wallet, and can the wallet be decoded.
//!
//! Readability is tested by really opening and reading each file, not by looking at
//! permission bits, so ACLs, SELinux and root all give the true answer.

use std::fs;
use std::path::{Path, PathBuf};

use super::Report;
use super::finding::{Finding, LikelyError};
use crate::secret::Password;
use crate::wallet::foreign::{self, Form};
use crate::wallet::model::{Item, Wallet};
use crate::wallet::p12::P12Error;
use crate::wallet::sso::SsoKind;
use crate::wallet::store::{self, P12_NAME, SSO_NAME, StoreError, WalletPaths};

/// Checks the wallet in `dir`; returns its decoded contents, and the file they came
/// from, when they could be read.
pub fn check(
    dir: &Path,
    password: Option<&Password>,
    report: &mut Report,
) -> Option<(Wallet, PathBuf)> {
    let findings = &mut report.findings;
    let problem =
        |code, error, message: String| Finding::problem(code, Some(error), Some(dir), message);
    if !dir.exists() {
        findings.push(problem(
            "wallet-dir-missing",
            LikelyError::Ora28759,
            format!(
                "the wallet directory {} does not exist; create the wallet there \
                 (`orakit wallet create --wallet {} --auto-login`) or fix WALLET_LOCATION",
                dir.display(),
                dir.display()
            ),
        ));
        return None;
    }
    if !dir.is_dir() {
        // A wallet zip, ewallet.pem or JKS named directly: Oracle Net still fails, but
        // its certificates are checked so the fix does not uncover a second problem.
        let bytes = crate::limits::read_file(dir, crate::limits::MAX_WALLET_FILE, "wallet files");
        let form = bytes.as_deref().ok().and_then(foreign::detect);
        let what = form.map_or("a file", Form::describe);
        let fix = if form == Some(Form::AdbZip) {
            format!(
                "unzip it (`unzip {} -d DIR`) and set DIRECTORY to DIR",
                dir.display()
            )
        } else {
            "name the directory that holds it".to_owned()
        };
        findings.push(problem(
            "wallet-dir-not-a-directory",
            LikelyError::Ora28759,
            format!(
                "WALLET_LOCATION must name a directory, but {} is {what}; {fix}",
                dir.display()
            ),
        ));
        return match (form, bytes) {
            (Some(form), Ok(bytes)) => open_foreign(dir, &bytes, form, password, findings),
            _ => None,
        };
    }
    if let Err(e) = fs::read_dir(dir) {
        findings.push(problem(
            "wallet-dir-unreadable",
            LikelyError::Ora28759,
            format!(
                "this user cannot list {}: {e}; give the database or client OS user read and \
                 execute permission on it",
                dir.display()
            ),
        ));
        return None;
    }
    let paths = WalletPaths::in_dir(dir);
    let sso = read_wallet_file(&paths.sso, true, findings);
    // With a readable cwallet.sso Oracle never opens ewallet.p12: then only worth a note.
    let p12_readable = read_wallet_file(&paths.p12, sso.is_none(), findings).is_some();
    if !paths.sso.exists() && !paths.p12.exists() {
        if let Some(found) = thin_only_wallet(dir, password, findings) {
            return found;
        }
        findings.push(problem(
            "wallet-empty",
            LikelyError::Ora28759,
            format!(
                "{} holds no {SSO_NAME} or {P12_NAME}; create one with `orakit wallet create`",
                dir.display()
            ),
        ));
        return None;
    }
    report.wallet_type = paths.existing_type().ok().flatten();
    let local = sso.as_deref().and_then(|b| b.get(3)) == Some(&SsoKind::Local.byte());
    match (&sso, p12_readable) {
        (Some(_), _) if local => {
            findings.push(Finding::note(
                "wallet-local-auto-login",
                Some(&paths.sso),
                format!(
                    "{} is a local auto-login wallet: it opens only for the host and OS user it \
                     was made for, so copying it elsewhere gives ORA-28759",
                    paths.sso.display()
                ),
            ));
        }
        (Some(_), _) => {
            return decode(
                store::open_sso(&paths.sso, None),
                &paths.sso,
                false,
                findings,
            );
        }
        (None, true) if !paths.sso.exists() => {
            findings.push(problem(
                "wallet-no-auto-login",
                LikelyError::Ora28759,
                format!(
                    "{} has {P12_NAME} but no {SSO_NAME}: Oracle Net opens a wallet without a \
                     password only through {SSO_NAME}; add one with \
                     `orakit wallet convert --wallet {} --to auto-login`",
                    dir.display(),
                    dir.display()
                ),
            ));
        }
        _ => return None, // an unreadable file was reported above
    }
    if !p12_readable {
        return None;
    }
    let Some(password) = password else {
        findings.push(Finding::note(
            "wallet-contents-unchecked",
            Some(&paths.p12),
            format!(
                "certificates in {} were not checked: give --password-file or --password-env to open it",
                paths.p12.display()
            ),
        ));
        return None;
    };
    decode(
        store::open_p12(&paths.p12, password),
        &paths.p12,
        true,
        findings,
    )
}

/// Reads a wallet file if it is there; a file that is there but cannot be read is a
/// finding (a problem when Oracle needs the file, a note otherwise).
fn read_wallet_file(path: &Path, needed: bool, findings: &mut Vec<Finding>) -> Option<Vec<u8>> {
    if !path.exists() {
        return None;
    }
    // One bounded reader for every file: a FIFO or a device there fails at once.
    let result = crate::limits::read_file(path, crate::limits::MAX_WALLET_FILE, "wallet files");
    match result {
        Ok(bytes) => Some(bytes),
        Err(e) if needed => {
            findings.push(Finding::problem(
                "wallet-file-unreadable",
                Some(LikelyError::Ora28759),
                Some(path),
                format!(
                    "this user cannot read {}: {e}; Oracle fails to open the wallet. It must be \
                     a regular file readable by the OS user running the client or database",
                    path.display()
                ),
            ));
            None
        }
        Err(e) => {
            findings.push(Finding::note(
                "wallet-file-unreadable",
                Some(path),
                format!(
                    "this user cannot read {} ({e}); Oracle uses cwallet.sso here, but tools \
                     that change the wallet need it",
                    path.display()
                ),
            ));
            None
        }
    }
}

fn decode(
    opened: Result<store::Source, StoreError>,
    path: &Path,
    with_password: bool,
    findings: &mut Vec<Finding>,
) -> Option<(Wallet, PathBuf)> {
    match opened {
        Ok(source) => Some((source.pkcs12.wallet, source.file)),
        // Oracle's orapki opens such a file with any password: it works, but nothing
        // protects what is in it.
        Err(StoreError::NoMac(file)) => {
            findings.push(Finding::problem(
                "wallet-no-mac",
                None,
                Some(path),
                format!(
                    "{} has no MAC: nothing protects its contents (orapki opens it with any \
                     password), so anyone who could write it may have added a CA. If you trust \
                     it, re-protect it with `orakit wallet change-password --wallet {} \
                     --allow-no-mac`; otherwise re-create it",
                    file.display(),
                    file.parent()
                        .map_or_else(|| ".".into(), |d| d.display().to_string())
                ),
            ));
            None
        }
        Err(StoreError::P12 {
            source: P12Error::MacMismatch | P12Error::DecryptFailed,
            ..
        }) if with_password => {
            findings.push(Finding::problem(
                "wallet-password-wrong",
                None,
                Some(path),
                format!(
                    "{} does not open with the password given: a wrong password, or the file \
                     was changed or damaged",
                    path.display()
                ),
            ));
            None
        }
        Err(e) => {
            findings.push(Finding::problem(
                "wallet-corrupt",
                Some(LikelyError::Ora29106),
                Some(path),
                format!(
                    "{e}; Oracle cannot import a wallet it cannot parse. Re-create it (or restore \
                     it from a copy) with `orakit wallet create` / `orakit wallet convert`"
                ),
            ));
            None
        }
    }
}

/// A directory with no cwallet.sso / ewallet.p12 but the forms thin drivers read: an
/// ewallet.pem (JDBC thin 23ai, python-oracledb thin) or a JKS pair (JDBC thin through
/// ojdbc.properties). `None` when it holds neither; otherwise a warning that Oracle's C
/// client cannot use it, and the contents when they open.
fn thin_only_wallet(
    dir: &Path,
    password: Option<&Password>,
    findings: &mut Vec<Finding>,
) -> Option<Option<(Wallet, PathBuf)>> {
    let pem = dir.join("ewallet.pem");
    let keystore = dir.join("keystore.jks");
    let truststore = dir.join("truststore.jks");
    let files: Vec<&PathBuf> = [&pem, &keystore, &truststore]
        .into_iter()
        .filter(|p| p.is_file())
        .collect();
    let first = (*files.first()?).clone();
    let names: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    findings.push(Finding {
        severity: super::Severity::Warning,
        code: "wallet-thin-only",
        likely_error: Some(LikelyError::Ora28759),
        file: Some(dir.to_path_buf()),
        message: format!(
            "{} holds only {} and no {SSO_NAME} / {P12_NAME}: thin drivers (JDBC thin, \
             python-oracledb thin) read it, but Oracle's C client (OCI, SQL*Plus, the database) \
             fails with ORA-28759; for those add an auto-login wallet with `orakit wallet \
             import` and `orakit wallet convert --to auto-login`",
            dir.display(),
            names.join(" and ")
        ),
    });
    let read = |path: &Path, findings: &mut Vec<Finding>| {
        let bytes = read_wallet_file(path, true, findings)?;
        let form = foreign::detect(&bytes).unwrap_or(Form::Pem);
        open_foreign(path, &bytes, form, password, findings)
    };
    if first == pem {
        return Some(read(&pem, findings));
    }
    // JDBC reads the key store for its certificate and the trust store for the CAs.
    let mut opened = read(&first, findings);
    if first == keystore
        && truststore.is_file()
        && let (Some((wallet, _)), Some((trust, _))) =
            (opened.as_mut(), read(&truststore, findings))
    {
        for i in trust.trusted_indices() {
            if let Item::Certificate(der) = &trust.entries[i].item {
                let _ = wallet.add_trusted(der);
            }
        }
    }
    Some(opened)
}

/// Opens a read-only wallet form through `wallet::foreign`; a finding when it cannot.
fn open_foreign(
    path: &Path,
    bytes: &[u8],
    form: Form,
    password: Option<&Password>,
    findings: &mut Vec<Finding>,
) -> Option<(Wallet, PathBuf)> {
    if password.is_none() && form.needs_password(bytes) {
        findings.push(Finding::note(
            "wallet-contents-unchecked",
            Some(path),
            format!(
                "certificates in {} ({}) were not checked: give --password-file or \
                 --password-env to open it",
                path.display(),
                form.describe()
            ),
        ));
        return None;
    }
    match foreign::open(path, bytes, form, password) {
        Ok(opened) => Some((opened.source.pkcs12.wallet, path.to_path_buf())),
        Err(e) => {
            findings.push(Finding::problem(
                "wallet-corrupt",
                Some(LikelyError::Ora29106),
                Some(path),
                format!(
                    "{} ({}) cannot be read: {e}; replace it with a good copy (or re-create it)",
                    path.display(),
                    form.describe()
                ),
            ));
            None
        }
    }
}
