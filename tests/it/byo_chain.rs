//! A certificate "issued elsewhere", made with openssl alone, for the bring-your-own-
//! certificate tests (`byo_*` here and `tests/oracle/byo.rs`): a corporate root, an
//! issuing CA under it, and a server certificate for localhost from the issuing CA, as a
//! PEM key + certificate + chain, a PKCS#12 file and a Kubernetes TLS secret directory
//! (tls.crt = certificate + issuing CA, tls.key, ca.crt = root, as cert-manager writes it).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::run_ok;

/// The PKCS#12 file's password.
pub const PFX_PASSWORD: &str = "Corp-pfx-2026";

pub struct Corp {
    pub dir: PathBuf,
    pub root: PathBuf,
    pub issuing: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    /// issuing CA + root.
    pub chain: PathBuf,
    pub pfx: PathBuf,
    pub k8s: PathBuf,
    /// Another key, matching none of the certificates.
    pub other_key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    run_ok(Command::new("openssl").args(args).current_dir(dir));
}

/// Makes everything in `dir/corp`.
pub fn corporate_chain(dir: &Path) -> Corp {
    let d = dir.join("corp");
    fs::create_dir_all(&d).unwrap();
    fs::write(
        d.join("ca.ext"),
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    )
    .unwrap();
    fs::write(
        d.join("server.ext"),
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .unwrap();
    openssl(
        &d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "root.key",
            "-out",
            "root.pem",
            "-days",
            "3650",
            "-subj",
            "/C=US/O=Corp/CN=Corp Root CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl(
        &d,
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "issuing.key",
            "-out",
            "issuing.csr",
            "-subj",
            "/O=Corp/CN=Corp Issuing CA 1",
        ],
    );
    openssl(
        &d,
        &[
            "x509",
            "-req",
            "-in",
            "issuing.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-set_serial",
            "4097",
            "-days",
            "1825",
            "-extfile",
            "ca.ext",
            "-out",
            "issuing.pem",
        ],
    );
    openssl(
        &d,
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/O=Corp/CN=localhost",
        ],
    );
    openssl(
        &d,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "issuing.pem",
            "-CAkey",
            "issuing.key",
            "-set_serial",
            "8193",
            "-days",
            "365",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ],
    );
    openssl(
        &d,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "other.key",
        ],
    );
    let read = |n: &str| fs::read_to_string(d.join(n)).unwrap();
    fs::write(d.join("chain.pem"), read("issuing.pem") + &read("root.pem")).unwrap();
    openssl(
        &d,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "server.key",
            "-in",
            "server.pem",
            "-certfile",
            "chain.pem",
            "-name",
            "corp-server",
            "-passout",
            &format!("pass:{PFX_PASSWORD}"),
            "-out",
            "server.pfx",
        ],
    );
    let k8s = d.join("secret");
    fs::create_dir_all(&k8s).unwrap();
    fs::write(
        k8s.join("tls.crt"),
        read("server.pem") + &read("issuing.pem"),
    )
    .unwrap();
    fs::write(k8s.join("tls.key"), read("server.key")).unwrap();
    fs::write(k8s.join("ca.crt"), read("root.pem")).unwrap();
    Corp {
        root: d.join("root.pem"),
        issuing: d.join("issuing.pem"),
        server_cert: d.join("server.pem"),
        server_key: d.join("server.key"),
        chain: d.join("chain.pem"),
        pfx: d.join("server.pfx"),
        other_key: d.join("other.key"),
        k8s,
        dir: d,
    }
}

/// A renewed server certificate from the same issuing CA, as `NAME.pem` (+ `NAME.key`
/// when `new_key`, else the original key): what the corporate CA hands out at renewal.
/// Also `NAME-secret/` as a Kubernetes TLS secret and `NAME.pfx`.
pub fn renewed(corp: &Corp, name: &str, serial: u32, new_key: bool) -> (PathBuf, PathBuf) {
    let d = &corp.dir;
    let key = if new_key {
        let key = format!("{name}.key");
        openssl(
            d,
            &[
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &format!("{name}.csr"),
                "-subj",
                "/O=Corp/CN=localhost",
            ],
        );
        d.join(key)
    } else {
        openssl(
            d,
            &[
                "req",
                "-new",
                "-key",
                "server.key",
                "-out",
                &format!("{name}.csr"),
                "-subj",
                "/O=Corp/CN=localhost",
            ],
        );
        corp.server_key.clone()
    };
    let cert = format!("{name}.pem");
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "issuing.pem",
            "-CAkey",
            "issuing.key",
            "-set_serial",
            &serial.to_string(),
            "-days",
            "400",
            "-extfile",
            "server.ext",
            "-out",
            &cert,
        ],
    );
    let read = |p: &Path| fs::read_to_string(p).unwrap();
    let secret = d.join(format!("{name}-secret"));
    fs::create_dir_all(&secret).unwrap();
    fs::write(
        secret.join("tls.crt"),
        read(&d.join(&cert)) + &read(&corp.issuing),
    )
    .unwrap();
    fs::write(secret.join("tls.key"), read(&key)).unwrap();
    fs::write(secret.join("ca.crt"), read(&corp.root)).unwrap();
    openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            key.to_str().unwrap(),
            "-in",
            &cert,
            "-certfile",
            "chain.pem",
            "-name",
            "corp-server",
            "-passout",
            &format!("pass:{PFX_PASSWORD}"),
            "-out",
            &format!("{name}.pfx"),
        ],
    );
    (d.join(cert), key)
}
