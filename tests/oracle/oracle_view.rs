//! What the ring's wallet cases share: test material made with openssl (and orakit's CA
//! command, whose output openssl then reads), fingerprints computed by openssl, and a
//! reader for the text Oracle's tools print (orapki `wallet display`, mkstore).

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::peers::Release;
use crate::support::{orakit, run_ok, stdout};

/// The wallet password of the ring's wallets (orapki 23ai wants 8+ characters with letters
/// and digits or specials).
pub const PWD: &str = "RingWrite#2026pw";
/// The password orapki's `export_private_key` encrypts the key with (23ai: 16+ characters).
pub const KEY_PWD: &str = "RingKeyExport#2026pw";

/// `orakit ARGS` in `dir` with the wallet password in `PW`; must succeed.
pub fn orakit_in(dir: &Path, args: &[&str]) -> Output {
    run_ok(orakit().current_dir(dir).args(args).env("PW", PWD))
}

/// `openssl ARGS` in `dir`; must succeed. Returns stdout.
pub fn openssl_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// A root CA made by `orakit ca init` and an intermediate CA signed by it with openssl.
pub struct Chain {
    pub root: PathBuf,
    pub root_key: PathBuf,
    pub int: PathBuf,
    pub int_key: PathBuf,
}

pub fn chain(dir: &Path) -> Chain {
    orakit_in(
        dir,
        &[
            "ca",
            "init",
            "--subject",
            "CN=Ring Root",
            "--key-out",
            "root.key",
            "--out",
            "root.pem",
        ],
    );
    openssl_in(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "int.key",
            "-subj",
            "/CN=Ring Intermediate",
            "-out",
            "int.csr",
        ],
    );
    std::fs::write(
        dir.join("ca.ext"),
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
    )
    .unwrap();
    openssl_in(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "int.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-set_serial",
            "4242",
            "-days",
            "100",
            "-extfile",
            "ca.ext",
            "-out",
            "int.pem",
        ],
    );
    Chain {
        root: dir.join("root.pem"),
        root_key: dir.join("root.key"),
        int: dir.join("int.pem"),
        int_key: dir.join("int.key"),
    }
}

/// `n` self-signed P-256 certificates `CN=Ring Trust NN`, made by openssl.
pub fn trust_certs(dir: &Path, n: usize) -> Vec<PathBuf> {
    (1..=n)
        .map(|i| {
            let name = format!("trust{i:02}.pem");
            openssl_in(
                dir,
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    &format!("trust{i:02}.key"),
                    "-subj",
                    &format!("/CN=Ring Trust {i:02}"),
                    "-days",
                    "30",
                    "-out",
                    &name,
                ],
            );
            dir.join(name)
        })
        .collect()
}

/// The fingerprint orapki of `release` prints in `display -complete`, computed by openssl
/// from the certificate file: SHA-256 for 23ai, SHA-1 (its "SHA digest") for 19c.
pub fn fingerprint(release: Release, cert: &Path) -> String {
    let alg = match release {
        Release::R19c => "-sha1",
        Release::R23ai => "-sha256",
    };
    let text = openssl_in(
        Path::new("."),
        &[
            "x509",
            "-noout",
            "-fingerprint",
            alg,
            "-in",
            cert.to_str().unwrap(),
        ],
    );
    text.trim().rsplit('=').next().unwrap().to_ascii_uppercase()
}

pub fn fingerprints(release: Release, certs: &[&Path]) -> BTreeSet<String> {
    certs.iter().map(|c| fingerprint(release, c)).collect()
}

/// The SubjectPublicKeyInfo, as openssl prints it (PEM), of a certificate, a request or
/// a key (`kind` = "x509", "req" or "pkey"; `pass` decrypts a key).
pub fn public_key(kind: &str, file: &Path, pass: Option<&str>) -> String {
    let file = file.to_str().unwrap();
    let mut args: Vec<String> = match kind {
        "x509" => vec!["x509", "-noout", "-pubkey", "-in", file],
        "req" => vec!["req", "-noout", "-pubkey", "-in", file],
        _ => vec!["pkey", "-pubout", "-in", file],
    }
    .into_iter()
    .map(String::from)
    .collect();
    if let Some(p) = pass {
        args.extend(["-passin".into(), format!("pass:{p}")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    openssl_in(Path::new("."), &args)
}

/// SHA-256 fingerprints (openssl) of every certificate in a PKCS#7 file as orapki's
/// `export_trust_chain` writes it.
pub fn pkcs7_fingerprints(release: Release, p7: &Path, scratch: &Path) -> BTreeSet<String> {
    let text = openssl_in(
        scratch,
        &["pkcs7", "-print_certs", "-in", p7.to_str().unwrap()],
    );
    let mut found = BTreeSet::new();
    for (i, block) in text.split("-----END CERTIFICATE-----").enumerate() {
        let Some(at) = block.find("-----BEGIN CERTIFICATE-----") else {
            continue;
        };
        let file = scratch.join(format!("p7-{i}.pem"));
        std::fs::write(
            &file,
            format!("{}-----END CERTIFICATE-----\n", &block[at..]),
        )
        .unwrap();
        found.insert(fingerprint(release, &file));
    }
    found
}

/// One certificate or request as orapki `wallet display` lists it.
#[derive(Debug, Default, Clone)]
pub struct Listed {
    pub subject: String,
    pub key_length: Option<String>,
    pub digest: Option<String>,
    pub alias: Option<String>,
}

/// orapki `wallet display` (-summary or -complete), section by section.
#[derive(Debug, Default)]
pub struct Shown {
    pub requested: Vec<Listed>,
    pub user: Vec<Listed>,
    pub secrets: Vec<String>,
    pub trusted: Vec<Listed>,
}

impl Shown {
    pub fn parse(release: Release, body: &str) -> Shown {
        let digest_label = match release {
            Release::R19c => "SHA digest:",
            Release::R23ai => "SHA-256 digest:",
        };
        let mut shown = Shown::default();
        let mut section = "";
        let mut pending_alias = None;
        const HEADS: [&str; 4] = [
            "Requested Certificates:",
            "User Certificates:",
            "Oracle Secret Store entries:",
            "Trusted Certificates:",
        ];
        for line in body.lines() {
            let l = line.trim_end();
            if let Some(head) = HEADS.iter().find(|h| l.starts_with(**h)) {
                section = head;
                continue;
            }
            let list = match section {
                "Requested Certificates:" => &mut shown.requested,
                "User Certificates:" => &mut shown.user,
                "Trusted Certificates:" => &mut shown.trusted,
                "Oracle Secret Store entries:" => {
                    if !l.trim().is_empty() {
                        shown.secrets.push(l.trim().to_string());
                    }
                    continue;
                }
                _ => continue,
            };
            let value = |label: &str| l.strip_prefix(label).map(|v| v.trim().to_string());
            if let Some(a) = value("Alias:") {
                pending_alias = Some(a);
            } else if let Some(s) = value("Subject:") {
                list.push(Listed {
                    subject: s,
                    alias: pending_alias.take(),
                    ..Listed::default()
                });
            } else if let Some(k) = value("Key Length:").or_else(|| value("Key Length")) {
                if let Some(last) = list.last_mut() {
                    last.key_length = Some(k);
                }
            } else if let Some(d) = value(digest_label)
                && let Some(last) = list.last_mut()
            {
                last.digest = Some(d);
            }
        }
        shown
    }

    pub fn digests(list: &[Listed]) -> BTreeSet<String> {
        list.iter().filter_map(|l| l.digest.clone()).collect()
    }

    pub fn subjects(list: &[Listed]) -> BTreeSet<String> {
        list.iter().map(|l| l.subject.clone()).collect()
    }
}

/// A path as the &str orapki's argument list takes.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
