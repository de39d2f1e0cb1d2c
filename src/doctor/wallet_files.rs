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
use crate::wallet::model::Wallet;
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
        findings.push(problem(
            "wallet-dir-not-a-directory",
            LikelyError::Ora28759,
            format!(
                "WALLET_LOCATION must name a directory, but {} is a file; name the directory that holds it",
                dir.display()
            ),
        ));
        return None;
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
        let pem = if dir.join("ewallet.pem").is_file() {
            " (only ewallet.pem, which thin drivers read but Oracle's C client does not)"
        } else {
            ""
        };
        findings.push(problem(
            "wallet-empty",
            LikelyError::Ora28759,
            format!(
                "{} holds no {SSO_NAME} or {P12_NAME}{pem}; create one with `orakit wallet create`",
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
