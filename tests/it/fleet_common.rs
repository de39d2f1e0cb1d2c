//! Shared setup for the `tcps issue` tests: an openssl-made CA (so the CA is not our
//! own output), a host file, and the command line.

#![allow(dead_code)]

use crate::support::words;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::support::{openssl, orakit, run_ok};

pub const PASSWORD: &str = "Fleet-Pass-2026";
pub const HEADER: &str = "host,sans,service,tcps_port,tcp_port\n";

/// Makes `dir/ca/ca.pem` + `dir/ca/ca.key` (EC P-256) with openssl, and the password file.
pub fn setup(dir: &Path) {
    std::fs::create_dir_all(dir.join("ca")).unwrap();
    run_ok(openssl().current_dir(dir).args([
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca/ca.key",
        "-out",
        "ca/ca.pem",
        "-days",
        "3650",
        "-subj",
        "/O=Fleet Test/CN=Fleet Test Root",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]));
    std::fs::write(dir.join("pw"), format!("{PASSWORD}\n")).unwrap();
}

/// `orakit tcps issue --ca-dir ca --hosts FILE --out OUT --password-file pw` in `dir`.
pub fn issue(dir: &Path, hosts: &str, out: &str) -> Command {
    let mut cmd = orakit();
    cmd.current_dir(dir).args([
        "tcps",
        "issue",
        "--ca-dir",
        "ca",
        "--hosts",
        hosts,
        "--out",
        out,
        "--password-file",
        "pw",
    ]);
    cmd
}

/// A host file of `n` hosts `hNN.example.com` with no extra SANs.
pub fn numbered_hosts(n: usize) -> String {
    let mut text = HEADER.to_owned();
    for i in 0..n {
        text.push_str(&format!("h{i:02}.example.com,,SVC{i},2484,1521\n"));
    }
    text
}

/// Host directories holding the completion marker.
pub fn complete_hosts(out: &Path) -> Vec<String> {
    let mut hosts: Vec<String> = std::fs::read_dir(out)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().join(".orakit-complete").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    hosts.sort();
    hosts
}

/// Every file below `dir` with its bytes and modification time.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    crate::support::list_files(dir)
        .into_iter()
        .map(|rel| {
            let path = dir.join(&rel);
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            (rel, (std::fs::read(&path).unwrap(), modified))
        })
        .collect()
}

/// The public key (PEM) openssl reads from a certificate file.
pub fn cert_public_key(cert: &Path) -> String {
    let out = run_ok(
        openssl()
            .args(["x509", "-in"])
            .arg(cert)
            .args(["-noout", "-pubkey"]),
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The public key (PEM) of the private key openssl finds in an `ewallet.p12` (3DES:
/// `-legacy`).
pub fn wallet_public_key(p12: &Path) -> String {
    let key = run_ok(
        openssl()
            .args(words("pkcs12 -legacy -nocerts -nodes -in"))
            .arg(p12)
            .args(["-passin", &format!("pass:{PASSWORD}")]),
    );
    let mut child = openssl()
        .args(["pkey", "-pubout"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&key.stdout).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "openssl pkey failed");
    String::from_utf8(out.stdout).unwrap()
}
