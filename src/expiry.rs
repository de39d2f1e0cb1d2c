//! `orakit expiry`: every certificate under some paths (wallets, PEM/DER files and
//! bundles, directories walked recursively) with its not-after date and the days left.
//!
//! Days left are whole days until not-after, rounded down: 0 means it ends within the
//! next 24 hours, -1 that it ended within the last 24 hours. A certificate "expires
//! within N days" when its not-after is at most N×24 hours from now (so an expired one
//! always does), the same rule `tcps issue --renew-within` uses.
//!
//! The walk never follows a symbolic link that leads out of the directory tree it was
//! given (unless `follow_symlinks`), never enters a directory twice, and notes each
//! thing it could not read instead of stopping.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use der::{Decode, Encode};
use serde::Serialize;
use x509_cert::Certificate;

use crate::limits::{self, MAX_PKI_FILE};
use crate::pki::name::to_rfc2253;
use crate::secret::Password;
use crate::text::count;
use crate::wallet::model::{Item, Wallet, sha256_hex};
use crate::wallet::store::{self, P12_NAME, SSO_NAME};

/// Where to look and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Opens `ewallet.p12` files; without it a wallet is read from its `cwallet.sso`.
    pub password: Option<Password>,
    /// Follow symbolic links that lead out of the tree being walked.
    pub follow_symlinks: bool,
    /// Seconds since the Unix epoch at which days left are counted.
    pub now_unix: i64,
    /// A certificate ending within this many days counts as expiring.
    pub within_days: u32,
}

/// One certificate found.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub subject: String,
    pub issuer: String,
    /// The file it is in.
    pub file: PathBuf,
    /// Inside a wallet: `user` (it has its private key there) or `trusted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_role: Option<&'static str>,
    /// Its position in the file (1 = first certificate).
    pub position: usize,
    pub serial: String,
    pub not_after: String,
    pub days_left: i64,
    pub expired: bool,
    /// Ends within `within_days` (or has ended).
    pub expiring: bool,
    pub sha256_fingerprint: String,
}

/// Something that was not read, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub now: String,
    pub within_days: u32,
    pub certificates: Vec<Found>,
    pub expiring: usize,
    pub expired: usize,
    pub skipped: Vec<Skipped>,
}

/// Looks at every path (a file or a directory) and lists the certificates found, soonest
/// to expire first.
pub fn scan(paths: &[PathBuf], options: &ScanOptions) -> Report {
    let mut walk = Walk {
        options,
        found: Vec::new(),
        skipped: Vec::new(),
        visited: HashSet::new(),
    };
    for path in paths {
        walk.top(path);
    }
    let mut certificates = walk.found;
    certificates.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.position.cmp(&b.position))
    });
    Report {
        now: rfc3339(options.now_unix),
        within_days: options.within_days,
        expiring: certificates.iter().filter(|c| c.expiring).count(),
        expired: certificates.iter().filter(|c| c.expired).count(),
        certificates,
        skipped: walk.skipped,
    }
}

/// Whole days from `now_unix` to `not_after_unix`, rounded down.
pub fn days_left(not_after_unix: i64, now_unix: i64) -> i64 {
    (not_after_unix - now_unix).div_euclid(86_400)
}

/// Whether a certificate ending at `not_after_unix` ends within `days` days of now.
pub fn ends_within(not_after_unix: i64, now_unix: i64, days: u32) -> bool {
    not_after_unix <= now_unix + i64::from(days) * 86_400
}

/// `2026-11-27T21:40:00Z`.
pub fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The not-after of a certificate in seconds since the epoch (dates before 1970 are 0).
pub fn not_after_unix(cert: &Certificate) -> i64 {
    let secs = cert
        .tbs_certificate()
        .validity()
        .not_after
        .to_unix_duration()
        .as_secs();
    i64::try_from(secs).unwrap_or(i64::MAX)
}

struct Walk<'a> {
    options: &'a ScanOptions,
    found: Vec<Found>,
    skipped: Vec<Skipped>,
    /// Canonical directories already walked (a link loop ends here).
    visited: HashSet<PathBuf>,
}

impl Walk<'_> {
    fn skip(&mut self, path: &Path, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: reason.into(),
        });
    }

    /// A path the user named: followed even when it is a link.
    fn top(&mut self, path: &Path) {
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let root = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                self.dir(path, &root);
            }
            Ok(m) if m.is_file() => self.file(path, true),
            Ok(_) => self.skip(path, "not a regular file or directory"),
            Err(e) => self.skip(path, format!("cannot read it: {e}")),
        }
    }

    fn dir(&mut self, dir: &Path, root: &Path) {
        let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.insert(canonical) {
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.skip(dir, format!("cannot list the directory: {e}")),
        };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        // A wallet directory is read as one wallet (ewallet.p12 with a password, else
        // cwallet.sso), not file by file.
        let p12 = dir.join(P12_NAME);
        let sso = dir.join(SSO_NAME);
        let is_wallet = p12.is_file() || sso.is_file();
        if is_wallet {
            self.wallet_dir(dir);
        }
        for path in names {
            let Ok(meta) = fs::symlink_metadata(&path) else {
                self.skip(&path, "cannot read it");
                continue;
            };
            if is_wallet && (path == p12 || path == sso) {
                continue;
            }
            let target_meta = if meta.file_type().is_symlink() {
                match self.link_allowed(&path, root) {
                    Ok(m) => m,
                    Err(reason) => {
                        self.skip(&path, reason);
                        continue;
                    }
                }
            } else {
                meta
            };
            if target_meta.is_dir() {
                self.dir(&path, root);
            } else if target_meta.is_file() {
                self.file(&path, false);
            }
        }
    }

    /// The metadata a link leads to, when the walk may follow it.
    fn link_allowed(&self, link: &Path, root: &Path) -> Result<fs::Metadata, String> {
        let target = fs::canonicalize(link)
            .map_err(|e| format!("a symbolic link that leads nowhere readable: {e}"))?;
        if !self.options.follow_symlinks && !target.starts_with(root) {
            return Err(format!(
                "a symbolic link out of the tree (to {}); not followed (--follow-symlinks follows it)",
                target.display()
            ));
        }
        fs::metadata(&target).map_err(|e| format!("cannot read the link's target: {e}"))
    }

    fn wallet_dir(&mut self, dir: &Path) {
        let p12 = dir.join(P12_NAME);
        let sso = dir.join(SSO_NAME);
        match (&self.options.password, p12.is_file(), sso.is_file()) {
            (Some(_), true, _) => self.p12_file(&p12),
            (_, _, true) => self.sso_file(&sso),
            _ => self.skip(
                &p12,
                "a password-protected wallet: give --password-env or --password-file to read it",
            ),
        }
    }

    fn file(&mut self, path: &Path, named: bool) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".sso") {
            return self.sso_file(path);
        }
        if lower.ends_with(".p12") || lower.ends_with(".pfx") {
            if self.options.password.is_some() {
                return self.p12_file(path);
            }
            return self.skip(
                path,
                "a PKCS#12 file: give --password-env or --password-file to read it",
            );
        }
        let bytes = match limits::read_file(path, MAX_PKI_FILE, "certificates") {
            Ok(b) => b,
            Err(e) => return self.skip(path, format!("cannot read it: {e}")),
        };
        if self.foreign_wallet(path, &bytes, named) {
            return;
        }
        match crate::wallet::certs::read_certificates(&bytes) {
            Ok(ders) if !ders.is_empty() => {
                for (i, der) in ders.iter().enumerate() {
                    self.add(path, i + 1, None, der);
                }
            }
            // In a directory walk most files are not certificates (.ora files, keys);
            // only a file the user named is worth a note.
            _ if named => self.skip(path, "holds no certificate orakit can read"),
            _ => {}
        }
    }

    /// An ADB wallet zip, a Java key store or an ewallet.pem, read as the wallet it is
    /// (user and trusted certificates), read-only. `false` when `bytes` is none of them.
    fn foreign_wallet(&mut self, path: &Path, bytes: &[u8], named: bool) -> bool {
        use crate::wallet::foreign::{self, ForeignError, Form};
        let Some(form) = foreign::detect(bytes) else {
            return false;
        };
        // A PEM file is a wallet only as ewallet.pem; other PEM files are certificates.
        if form == Form::Pem && path.file_name().is_none_or(|n| n != "ewallet.pem") {
            return false;
        }
        match foreign::open(path, bytes, form, self.options.password.as_ref()) {
            Ok(opened) => self.wallet(path, opened.wallet()),
            Err(ForeignError::PasswordNeeded) => self.skip(
                path,
                format!(
                    "{} needs its password: give --password-env or --password-file to read it",
                    form.describe()
                ),
            ),
            // Any zip met in a directory walk is tried; only a named one is worth a note.
            Err(ForeignError::Zip(_)) if !named => {}
            Err(e) => self.skip(path, format!("{}: {e}", form.describe())),
        }
        true
    }

    fn p12_file(&mut self, path: &Path) {
        let Some(password) = self.options.password.clone() else {
            return;
        };
        match store::open_p12(path, &password) {
            Ok(source) => self.wallet(path, &source.pkcs12.wallet),
            Err(e) => self.skip(path, e.to_string()),
        }
    }

    fn sso_file(&mut self, path: &Path) {
        match store::open_sso(path, None) {
            Ok(source) => self.wallet(path, &source.pkcs12.wallet),
            Err(e) => self.skip(path, e.to_string()),
        }
    }

    fn wallet(&mut self, path: &Path, wallet: &Wallet) {
        let user = wallet.user_cert_indices();
        let mut position = 0;
        for (i, entry) in wallet.entries.iter().enumerate() {
            if let Item::Certificate(der) = &entry.item {
                position += 1;
                let role = if user.contains(&i) { "user" } else { "trusted" };
                self.add(path, position, Some(role), der);
            }
        }
    }

    fn add(&mut self, path: &Path, position: usize, role: Option<&'static str>, der: &[u8]) {
        let cert = match Certificate::from_der(der) {
            Ok(c) => c,
            Err(e) => {
                return self.skip(
                    path,
                    format!("certificate {position} cannot be parsed: {e}"),
                );
            }
        };
        let tbs = cert.tbs_certificate();
        let end = not_after_unix(&cert);
        let now = self.options.now_unix;
        let serial = hex::encode(tbs.serial_number().as_bytes());
        self.found.push(Found {
            subject: to_rfc2253(tbs.subject()),
            issuer: to_rfc2253(tbs.issuer()),
            file: path.to_path_buf(),
            wallet_role: role,
            position,
            serial: serial.trim_start_matches('0').to_owned(),
            not_after: rfc3339(end),
            days_left: days_left(end, now),
            expired: end < now,
            expiring: ends_within(end, now, self.options.within_days),
            sha256_fingerprint: sha256_hex(&cert.to_der().unwrap_or_else(|_| der.to_vec())),
        });
    }
}

impl Report {
    /// The report as text: one line per certificate, then what was skipped.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for c in &self.certificates {
            let state = if c.expired {
                format!("EXPIRED on {}", c.not_after)
            } else if c.expiring {
                format!("expires in {}", count(c.days_left, "day"))
            } else {
                format!("{} left", count(c.days_left, "day"))
            };
            let place = match c.wallet_role {
                Some(role) => format!("{} ({role} certificate {})", c.file.display(), c.position),
                None => format!("{} (certificate {})", c.file.display(), c.position),
            };
            let _ = writeln!(out, "{:>6}  {}  {}", c.days_left, c.not_after, c.subject);
            let _ = writeln!(out, "        {place}: {state}");
        }
        for s in &self.skipped {
            let _ = writeln!(out, "note: skipped {}: {}", s.path.display(), s.reason);
        }
        let _ = writeln!(
            out,
            "{}; {} expire within {} ({} already expired)",
            count(self.certificates.len(), "certificate"),
            self.expiring,
            count(self.within_days, "day"),
            self.expired
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_798_761_599), "2026-12-31T23:59:59Z");
    }

    #[test]
    fn days_left_rounds_down() {
        assert_eq!(days_left(86_400 * 10 + 5, 0), 10);
        assert_eq!(days_left(86_400 * 10 - 5, 0), 9);
        assert_eq!(days_left(-5, 0), -1);
        assert_eq!(days_left(-86_400 * 3 - 1, 0), -4);
        assert!(ends_within(86_400 * 30, 0, 30));
        assert!(!ends_within(86_400 * 30 + 1, 0, 30));
    }
}
