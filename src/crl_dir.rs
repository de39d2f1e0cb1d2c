//! A CRL directory as Oracle Net's `SSL_CRL_PATH` reads it: each CRL under the name of
//! its issuer's hash (orapki `crl hash -symlink|-copy`), listed and removed by issuer.
//!
//! orapki's own `crl list` / `crl delete` work on CRLs in an LDAP directory (Oracle
//! Internet Directory); these are their counterparts for the local directory.

use std::io;
use std::path::{Path, PathBuf};

use crate::fsio::{self, MODE_PUBLIC, Overwrite, WriteError};
use crate::limits;
use crate::pki::crl::{Crl, same_name};
use crate::pki::crl_hash;
use crate::pki::name::to_rfc2253;

/// Largest CRL file orakit reads (a CRL of a big public CA is a few MB).
pub const MAX_CRL_FILE: u64 = 64 * 1024 * 1024;

/// How a CRL is put into the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    /// A symbolic link to the CRL file, by its absolute path (orapki `-symlink`).
    Symlink,
    /// A DER copy of the CRL (orapki `-copy` writes DER whatever the input was).
    Copy,
}

/// Reads a CRL file; the error names the file and the fix.
pub fn read_crl(path: &Path) -> Result<Crl, String> {
    let bytes = limits::read_file(path, MAX_CRL_FILE, "CRL files")
        .map_err(|e| format!("cannot read the CRL {}: {e}", path.display()))?;
    Crl::from_pem_or_der(&bytes).map_err(|e| {
        format!(
            "{} is not a readable CRL: {e}; give a CRL in PEM (-----BEGIN X509 CRL-----) or DER",
            path.display()
        )
    })
}

/// Whether `name` has the shape of a hash-named CRL entry: eight hex digits, `.r`, and
/// orapki's literal `N` or OpenSSL's sequence digits.
pub fn is_hash_name(name: &str) -> bool {
    let Some((hash, suffix)) = name.split_once(".r") else {
        return false;
    };
    hash.len() == 8
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
        && (suffix == "N" || (!suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit())))
}

/// What [`publish`] wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Published {
    pub path: PathBuf,
    pub replaced: bool,
}

/// Puts `crl` (read from `source`) into `dir` under orapki's name and, with `openssl`,
/// also under OpenSSL's (`<hash>.r0`, for `openssl verify -CApath`). An existing entry
/// of the same name is replaced when it holds a CRL of the same issuer (a new edition
/// of the list) or `force` is given; anything else there is refused.
pub fn publish(
    crl: &Crl,
    source: &Path,
    dir: &Path,
    how: Publish,
    openssl: bool,
    force: bool,
) -> Result<Vec<Published>, String> {
    if !dir.is_dir() {
        return Err(format!(
            "the CRL directory {} does not exist; create it first (mkdir)",
            dir.display()
        ));
    }
    let internal = |e: crate::pki::Error| e.to_string();
    let mut names = vec![crl_hash::orapki_file_name(crl.issuer()).map_err(internal)?];
    if openssl {
        names.push(crl_hash::openssl_file_name(crl.issuer()).map_err(internal)?);
    }
    let target = std::fs::canonicalize(source)
        .map_err(|e| format!("cannot resolve {}: {e}", source.display()))?;
    let mut done = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let replaced = match path.symlink_metadata() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(format!("cannot check {}: {e}", path.display())),
            Ok(_) => {
                let same_issuer = read_crl(&path)
                    .map(|old| same_name(old.issuer(), crl.issuer()))
                    .unwrap_or(false);
                if !same_issuer && !force {
                    return Err(format!(
                        "{} exists and is not a CRL of {}; remove it or pass --force",
                        path.display(),
                        to_rfc2253(crl.issuer())
                    ));
                }
                true
            }
        };
        match how {
            // Replaced by rename, never written through: an old entry may be a link
            // to the CRL file someone else keeps (orapki -copy writes through it).
            Publish::Copy => fsio::write_atomic(&path, &crl.der, MODE_PUBLIC, Overwrite::Allow)
                .map_err(|e: WriteError| e.to_string())?,
            Publish::Symlink => replace_symlink(&target, &path)?,
        }
        done.push(Published { path, replaced });
    }
    Ok(done)
}

/// Makes `link` point to `target`, replacing what was there in one rename.
fn replace_symlink(target: &Path, link: &Path) -> Result<(), String> {
    let dir = link.parent().unwrap_or(Path::new("."));
    let name = link.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.orakit-{}", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    std::os::unix::fs::symlink(target, &temp)
        .map_err(|e| format!("cannot create a link in {}: {e}", dir.display()))?;
    std::fs::rename(&temp, link).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("cannot create {}: {e}", link.display())
    })
}

/// One hash-named entry of a CRL directory.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    /// Where a symbolic link points.
    pub link_target: Option<PathBuf>,
    pub issuer: Option<String>,
    /// Whether the name is the issuer's orapki or OpenSSL hash.
    pub name_matches_issuer: bool,
    #[serde(serialize_with = "rfc3339")]
    pub next_update: Option<std::time::SystemTime>,
    pub revoked: usize,
    /// Why the entry cannot be read as a CRL.
    pub problem: Option<String>,
}

/// `next_update` in the one date form of orakit's JSON (docs/json.md).
fn rfc3339<S: serde::Serializer>(
    t: &Option<std::time::SystemTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&t.map(crate::pki::crl_text::rfc3339), s)
}

/// The hash-named entries of `dir`, sorted by name (other files are not CRL entries).
pub fn list(dir: &Path) -> Result<Vec<Entry>, String> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the CRL directory {}: {e}", dir.display()))?;
    let mut entries = Vec::new();
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if !is_hash_name(&name) {
            continue;
        }
        let path = item.path();
        let link_target = std::fs::read_link(&path).ok();
        let mut entry = Entry {
            name: name.clone(),
            path: path.clone(),
            link_target,
            issuer: None,
            name_matches_issuer: false,
            next_update: None,
            revoked: 0,
            problem: None,
        };
        match read_crl(&path) {
            Ok(crl) => {
                let hash = &name[..8];
                entry.name_matches_issuer = crl_hash::orapki_hash(crl.issuer()).ok().as_deref()
                    == Some(hash)
                    || crl_hash::openssl_hash(crl.issuer()).ok().as_deref() == Some(hash);
                entry.issuer = Some(to_rfc2253(crl.issuer()));
                entry.next_update = crl.next_update();
                entry.revoked = crl.revoked().len();
            }
            Err(e) => entry.problem = Some(e),
        }
        entries.push(entry);
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// Removes the hash-named entries of `dir` whose CRL is issued by `issuer` (an RFC 2253
/// DN, compared without regard to case). Links are removed, never the files they point
/// to. Returns the removed paths; none found is an error that lists what is there.
pub fn delete(dir: &Path, issuer: &str) -> Result<Vec<PathBuf>, String> {
    let wanted = crate::pki::name::parse_dn(issuer).map_err(|e| format!("--issuer: {e}"))?;
    let entries = list(dir)?;
    let mut removed = Vec::new();
    for entry in &entries {
        let Ok(crl) = read_crl(&entry.path) else {
            continue;
        };
        if same_name(crl.issuer(), &wanted)
            || to_rfc2253(crl.issuer()).eq_ignore_ascii_case(issuer.trim())
        {
            std::fs::remove_file(&entry.path)
                .map_err(|e| format!("cannot remove {}: {e}", entry.path.display()))?;
            removed.push(entry.path.clone());
        }
    }
    if removed.is_empty() {
        let present: Vec<String> = entries.iter().filter_map(|e| e.issuer.clone()).collect();
        return Err(format!(
            "{} holds no CRL issued by {issuer} (it holds CRLs of: {})",
            dir.display(),
            if present.is_empty() {
                "none".to_owned()
            } else {
                present.join("; ")
            }
        ));
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_names() {
        assert!(is_hash_name("3945e8cf.rN"));
        assert!(is_hash_name("4f6554f2.r0"));
        assert!(is_hash_name("4f6554f2.r12"));
        assert!(!is_hash_name("4f6554f2.0"));
        assert!(!is_hash_name("crl.pem"));
        assert!(!is_hash_name("4f6554f.r0"));
        assert!(!is_hash_name("4f6554f2.r"));
    }
}
