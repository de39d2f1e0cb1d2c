//! The odd CA bundle of the trust-bundle tests (`tests/it/trust_bundle.rs` and the ring's
//! `tests/oracle/trust_bundle.rs`), made with openssl: two current CAs, an expired CA, a
//! certificate that is no CA.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::run_ok;

fn openssl(dir: &Path, args: &[&str]) {
    run_ok(Command::new("openssl").args(args).current_dir(dir));
}

/// The test's certificates, each a PEM file.
pub struct OddBundle {
    pub dir: PathBuf,
    pub current_cas: Vec<PathBuf>,
    pub expired_ca: PathBuf,
    pub not_ca: PathBuf,
}

impl OddBundle {
    /// The bundle text: the current CAs (the first twice), the expired CA, the non-CA.
    pub fn text(&self) -> String {
        let read = |p: &PathBuf| fs::read_to_string(p).unwrap();
        let mut text = String::new();
        for ca in &self.current_cas {
            text.push_str(&read(ca));
        }
        text.push_str(&read(&self.current_cas[0]));
        text.push_str(&read(&self.expired_ca));
        text.push_str(&read(&self.not_ca));
        text
    }
}

/// Makes the certificates in `dir/bundle`. The expired CA is made by `openssl ca` with
/// explicit 2020 dates (openssl 3.0's `req -x509` cannot back-date).
pub fn odd_bundle(dir: &Path) -> OddBundle {
    let d = dir.join("bundle");
    fs::create_dir_all(&d).unwrap();
    let mut current = Vec::new();
    for (i, cn) in ["Bundle Root A", "Bundle Root B"].iter().enumerate() {
        let name = format!("ca{i}.pem");
        openssl(
            &d,
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &format!("ca{i}.key"),
                "-out",
                &name,
                "-days",
                "365",
                "-subj",
                &format!("/O=Bundle/CN={cn}"),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
            ],
        );
        current.push(d.join(name));
    }
    openssl(
        &d,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.pem",
            "-days",
            "365",
            "-subj",
            "/CN=www.bundle.test",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ],
    );
    fs::write(d.join("index.txt"), "").unwrap();
    fs::write(d.join("serial"), "01\n").unwrap();
    fs::write(
        d.join("ca.cnf"),
        "[ca]\ndefault_ca = past\n[past]\ndatabase = index.txt\nnew_certs_dir = .\n\
         serial = serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n\
         x509_extensions = v3ca\n[any]\ncommonName = supplied\norganizationName = optional\n\
         [v3ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n",
    )
    .unwrap();
    openssl(
        &d,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "old.key",
            "-out",
            "old.csr",
            "-subj",
            "/O=Bundle/CN=Bundle Old Root",
        ],
    );
    openssl(
        &d,
        &[
            "ca",
            "-batch",
            "-notext",
            "-config",
            "ca.cnf",
            "-selfsign",
            "-keyfile",
            "old.key",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20201231000000Z",
            "-in",
            "old.csr",
            "-out",
            "old.pem",
        ],
    );
    OddBundle {
        current_cas: current,
        expired_ca: d.join("old.pem"),
        not_ca: d.join("leaf.pem"),
        dir: d,
    }
}
