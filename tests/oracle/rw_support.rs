//! Helpers of the "Oracle writes / Oracle changes" ring cases: an openssl CA, fingerprints
//! computed by openssl, and orakit's JSON views of a wallet file.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{orakit, run_ok, stdout};

pub const PWD: &str = "RingPassw0rd2026xyz";
pub const NEW_PWD: &str = "RingNewPassw0rd2026q";

/// Runs openssl, panicking with its stderr on failure.
pub fn openssl(args: &[&str]) -> String {
    stdout(&run_ok(Command::new("openssl").args(args)))
}

/// A CA made by openssl (RSA 2048), able to sign requests.
pub struct Ca {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub subject: String,
}

impl Ca {
    /// A self-signed root CA with basicConstraints CA:TRUE. `subj` is openssl's `/CN=../O=..`.
    pub fn new(dir: &Path, name: &str, subj: &str) -> Ca {
        let cert = dir.join(format!("{name}.pem"));
        let key = dir.join(format!("{name}.key"));
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key.to_str().unwrap(),
            "-out",
            cert.to_str().unwrap(),
            "-subj",
            subj,
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:true",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        Ca {
            cert,
            key,
            subject: subj.to_owned(),
        }
    }

    /// Signs a PEM request; returns the certificate file.
    pub fn sign(&self, csr: &Path, out: &Path) -> PathBuf {
        openssl(&[
            "x509",
            "-req",
            "-in",
            csr.to_str().unwrap(),
            "-CA",
            self.cert.to_str().unwrap(),
            "-CAkey",
            self.key.to_str().unwrap(),
            "-set_serial",
            "4242",
            "-days",
            "30",
            "-out",
            out.to_str().unwrap(),
        ]);
        out.to_path_buf()
    }
}

/// SHA-256 fingerprint of a PEM certificate as openssl prints it, lower-case hex, no colons.
pub fn fingerprint(cert: &Path) -> String {
    let text = openssl(&[
        "x509",
        "-in",
        cert.to_str().unwrap(),
        "-noout",
        "-fingerprint",
        "-sha256",
    ]);
    let hex = text.split('=').nth(1).unwrap_or_default();
    hex.trim().replace(':', "").to_ascii_lowercase()
}

/// DER of a PEM request or certificate (`kind` = `req` or `x509`), as openssl re-encodes it.
pub fn der_of(kind: &str, pem: &Path) -> Vec<u8> {
    let out = run_ok(Command::new("openssl").args([
        kind,
        "-in",
        pem.to_str().unwrap(),
        "-outform",
        "DER",
    ]));
    out.stdout
}

/// `orakit wallet ARGS --wallet FILE`, with the wallet password in `PW` when given.
pub fn orakit_at(args: &[&str], wallet: &Path, password: Option<&str>) -> std::process::Output {
    let mut cmd = orakit();
    cmd.arg("wallet").args(args).arg("--wallet").arg(wallet);
    if let Some(pw) = password {
        cmd.args(["--password-env", "PW"]).env("PW", pw);
    }
    run_ok(&mut cmd)
}

/// orakit's `display --json` of one wallet file.
pub fn report(wallet_file: &Path, password: Option<&str>) -> Value {
    let out = orakit_at(&["display", "--json"], wallet_file, password);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (subject, sha256) of the certificates of a report section.
pub fn certs(report: &Value, section: &str) -> Vec<(String, String)> {
    report[section]
        .as_array()
        .unwrap_or_else(|| panic!("no {section} in {report}"))
        .iter()
        .map(|c| {
            (
                c["subject"].as_str().unwrap_or_default().to_owned(),
                c["sha256_fingerprint"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

/// Whether a report section holds a certificate with this fingerprint.
pub fn holds(report: &Value, section: &str, sha256: &str) -> bool {
    certs(report, section).iter().any(|(_, f)| f == sha256)
}

/// The trust flags orakit reports for the certificate with this fingerprint.
pub fn flags_of(report: &Value, sha256: &str) -> Vec<String> {
    for section in ["trusted_certificates", "user_certificates"] {
        for c in report[section].as_array().unwrap() {
            if c["sha256_fingerprint"] == sha256 {
                return c["trust_flags"]
                    .as_array()
                    .map(|a| a.iter().map(|f| f.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default();
            }
        }
    }
    panic!("no certificate {sha256} in {report}")
}

/// orakit's `credential list --json --show-secrets`: (connect string, user, password).
pub fn credentials(wallet_file: &Path, password: Option<&str>) -> Vec<(String, String, String)> {
    let out = orakit_at(
        &["credential", "list", "--json", "--show-secrets"],
        wallet_file,
        password,
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["connect_string"].as_str().unwrap().to_owned(),
                c["username"].as_str().unwrap().to_owned(),
                c["password"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// orakit's `secret view`: the value of one entry.
pub fn secret(wallet_file: &Path, password: Option<&str>, alias: &str) -> String {
    let out = orakit_at(&["secret", "view", "--alias", alias], wallet_file, password);
    let text = stdout(&out);
    let line = text.lines().next().unwrap_or_default();
    line.split_once(" = ")
        .map(|(_, v)| v.to_owned())
        .unwrap_or_else(|| panic!("no `alias = value` in {text:?}"))
}

/// A directory holding only `cwallet.sso` copied from `wallet`: orapki must open the sso.
pub fn sso_only(wallet: &Path, into: &Path) -> PathBuf {
    std::fs::create_dir_all(into).unwrap();
    std::fs::copy(wallet.join("cwallet.sso"), into.join("cwallet.sso")).unwrap();
    into.to_path_buf()
}

/// The first 16 bytes of a wallet's cwallet.sso, as hex.
pub fn sso_head(wallet: &Path) -> String {
    hex::encode(&std::fs::read(wallet.join("cwallet.sso")).unwrap()[..16])
}

/// One certificate as `orapki wallet display -complete` lists it.
#[derive(Debug, Clone, Default)]
pub struct OrapkiCert {
    /// `requested`, `user` or `trusted`.
    pub section: String,
    pub subject: String,
    /// SHA-1 digest, lower-case hex without colons (19c: `SHA digest:`, 23ai: `SHA-1 digest:`).
    pub sha1: String,
    pub trust_flags: Option<String>,
}

/// Parses orapki's `display` output (any mode) into its certificates.
pub fn orapki_certs(text: &str) -> Vec<OrapkiCert> {
    let mut out: Vec<OrapkiCert> = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        let value = |prefix: &str| line.strip_prefix(prefix).map(|v| v.trim().to_owned());
        if line.starts_with("Requested Certificates:") {
            section = "requested".into();
        } else if line.starts_with("User Certificates:") {
            section = "user".into();
        } else if line.starts_with("Trusted Certificates:") {
            section = "trusted".into();
        } else if let Some(subject) = value("Subject:") {
            out.push(OrapkiCert {
                section: section.clone(),
                subject,
                ..OrapkiCert::default()
            });
        } else if let Some(d) = value("SHA-1 digest:").or_else(|| value("SHA digest:")) {
            if let Some(last) = out.last_mut() {
                last.sha1 = d.replace(':', "").to_ascii_lowercase();
            }
        } else if let Some(f) = value("Trust Flags:")
            && let Some(last) = out.last_mut()
        {
            last.trust_flags = Some(f);
        }
    }
    out
}

/// SHA-1 fingerprint of a PEM certificate by openssl, lower-case hex.
pub fn sha1_of(cert: &Path) -> String {
    let text = openssl(&[
        "x509",
        "-in",
        cert.to_str().unwrap(),
        "-noout",
        "-fingerprint",
        "-sha1",
    ]);
    text.split('=')
        .nth(1)
        .unwrap_or_default()
        .trim()
        .replace(':', "")
        .to_ascii_lowercase()
}

/// The orapki certificate of `section` with this SHA-1, if listed.
pub fn orapki_has<'a>(
    listed: &'a [OrapkiCert],
    section: &str,
    sha1: &str,
) -> Option<&'a OrapkiCert> {
    listed
        .iter()
        .find(|c| c.section == section && c.sha1 == sha1)
}
