//! Helpers for the life-cycle tests: certificates openssl makes with exact not-after
//! dates (`openssl ca -startdate -enddate`), and snapshots of a directory's bytes and
//! mtimes to prove a run changed nothing.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::support::{list_files, openssl, run_ok, words};

pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `YYYYMMDDHHMMSSZ` (openssl ca's date form) of a Unix time, by date(1).
pub fn asn1_date(unix: i64) -> String {
    let out = run_ok(std::process::Command::new("date").args([
        "-u",
        "-d",
        &format!("@{unix}"),
        "+%Y%m%d%H%M%SZ",
    ]));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A throwaway CA run by `openssl ca`, in `dir`.
pub struct OpensslCa {
    pub dir: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl OpensslCa {
    pub fn new(dir: &Path, cn: &str) -> Self {
        fs::create_dir_all(dir).unwrap();
        let cert = dir.join("ca.pem");
        let key = dir.join("ca.key");
        fs::write(dir.join("index.txt"), "").unwrap();
        fs::write(dir.join("serial"), "1000\n").unwrap();
        fs::write(
            dir.join("ca.cnf"),
            format!(
                "[ca]\ndefault_ca = d\n[d]\ndir = {}\ndatabase = $dir/index.txt\nserial = $dir/serial\n\
                 new_certs_dir = $dir\ndefault_md = sha256\npolicy = p\nunique_subject = no\n\
                 copy_extensions = none\nx509_extensions = leaf\n[p]\ncommonName = supplied\n\
                 [leaf]\nbasicConstraints = CA:FALSE\n[root]\nbasicConstraints = critical,CA:TRUE\n\
                 keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n",
                dir.display()
            ),
        )
        .unwrap();
        run_ok(
            openssl()
                .args(words("req -x509 -newkey rsa:2048 -nodes -days 3650 -subj"))
                .arg(format!("/CN={cn}"))
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&cert),
        );
        Self {
            dir: dir.to_path_buf(),
            cert,
            key,
        }
    }

    /// A certificate for `cn` valid from `start` to `end` (Unix times), written to `out`.
    /// With `self_signed` it is a root of its own (openssl ca -selfsign) instead.
    pub fn issue(&self, cn: &str, start: i64, end: i64, out: &Path, self_signed: bool) {
        let key = out.with_extension("key");
        let csr = out.with_extension("csr");
        run_ok(
            openssl()
                .args(words("req -new -newkey rsa:2048 -nodes -subj"))
                .arg(format!("/CN={cn}"))
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&csr),
        );
        let mut cmd = openssl();
        cmd.args(words("ca -batch -notext -config"))
            .arg(self.dir.join("ca.cnf"))
            .args(["-startdate", &asn1_date(start), "-enddate", &asn1_date(end)])
            .arg("-in")
            .arg(&csr)
            .arg("-out")
            .arg(out);
        if self_signed {
            cmd.args(["-selfsign", "-extensions", "root", "-keyfile"])
                .arg(&key);
        } else {
            cmd.arg("-cert")
                .arg(&self.cert)
                .arg("-keyfile")
                .arg(&self.key);
        }
        run_ok(&mut cmd);
    }
}

/// Every file below `dir` with its bytes and mtime.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let path = dir.join(&rel);
            let bytes = fs::read(&path).unwrap();
            let mtime = fs::metadata(&path).unwrap().modified().unwrap();
            (rel, (bytes, mtime))
        })
        .collect()
}

/// The not-after of a PEM certificate as openssl prints it, as a Unix time (by date(1)).
pub fn openssl_not_after(cert: &Path) -> i64 {
    let out = run_ok(openssl().args(words("x509 -noout -enddate -in")).arg(cert));
    let text = String::from_utf8_lossy(&out.stdout);
    let date = text.trim().trim_start_matches("notAfter=");
    let out = run_ok(std::process::Command::new("date").args(["-u", "-d", date, "+%s"]));
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}
