//! Helpers for the probe and doctor tests: an `openssl s_server` on a free local port that
//! dies with its guard, and a CA + server certificate made with orakit's own commands.

#![allow(dead_code)]

use crate::support::words;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{orakit, run, run_ok, stdout};

/// A running `openssl s_server`, stopped when dropped. A small shell wrapper kills it as
/// soon as its stdin closes, which happens when the guard drops and also when the test
/// process dies without running destructors; `timeout 120` bounds it in any case.
pub struct TlsServer {
    child: Child,
    pub port: u16,
    log: PathBuf,
}

const WRAPPER: &str = r#"timeout 120 openssl s_server "$@" </dev/null >/dev/null 2>"$LOG" &
pid=$!
read -r _
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
exit 0"#;

impl TlsServer {
    /// Serves `cert` + `key` (files in `dir`) on 127.0.0.1 with extra s_server options.
    /// A port another test grabbed in the meantime is detected and another one tried.
    pub fn start(dir: &Path, cert: &str, key: &str, extra: &[&str]) -> Self {
        for _ in 0..5 {
            let server = Self::spawn(dir, cert, key, extra);
            if server.wait_until_listening() {
                return server;
            }
        }
        panic!("openssl s_server could not bind a free port in five tries");
    }

    fn spawn(dir: &Path, cert: &str, key: &str, extra: &[&str]) -> Self {
        let port = free_port();
        let accept = format!("127.0.0.1:{port}");
        let log = dir.join(format!("s_server-{port}.log"));
        let child = Command::new("sh")
            .args(["-c", WRAPPER, "s_server"])
            .args(["-accept", &accept, "-cert", cert, "-key", key, "-quiet"])
            .args(extra)
            .env("LOG", &log)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start openssl s_server");
        Self { child, port, log }
    }

    pub fn target(&self, host: &str) -> String {
        format!("{host}:{}", self.port)
    }

    /// `false` when s_server could not bind (the port was taken after all).
    fn wait_until_listening(&self) -> bool {
        let bind_failed =
            || std::fs::read_to_string(&self.log).is_ok_and(|l| l.contains("unable to bind"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if bind_failed() {
                return false;
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                // Whoever answered, s_server reports a failed bind right at start.
                std::thread::sleep(Duration::from_millis(100));
                return !bind_failed();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "openssl s_server did not listen on port {}: {}",
            self.port,
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        // Closing stdin makes the wrapper kill s_server; then reap the wrapper.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

/// Signs `{name}.csr` with the CA `{ca}` into `{name}.pem`, valid only in 2020, using
/// python `cryptography` (orakit cannot back-date on purpose). openssl confirms it expired.
pub fn make_expired_server(dir: &Path, ca: &str, name: &str) {
    let script = format!(
        r#"
import datetime
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
ca = x509.load_pem_x509_certificate(open("{ca}.pem", "rb").read())
ca_key = serialization.load_pem_private_key(open("{ca}.key", "rb").read(), None)
csr = x509.load_pem_x509_csr(open("{name}.csr", "rb").read())
san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
cert = (x509.CertificateBuilder()
    .subject_name(csr.subject).issuer_name(ca.subject).public_key(csr.public_key())
    .serial_number(x509.random_serial_number())
    .not_valid_before(datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    .not_valid_after(datetime.datetime(2020, 12, 31, tzinfo=datetime.timezone.utc))
    .add_extension(san, critical=False)
    .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    .sign(ca_key, hashes.SHA256()))
open("{name}.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
"#
    );
    run_ok(
        Command::new("python3")
            .arg("-c")
            .arg(script)
            .current_dir(dir),
    );
    let check = run(Command::new("openssl")
        .args(words("x509 -noout -checkend 0 -in"))
        .arg(format!("{name}.pem"))
        .current_dir(dir));
    assert!(
        !check.status.success(),
        "openssl says {name}.pem has not expired: {}",
        stdout(&check)
    );
}

/// `orakit probe` with `--json`, run from `dir`; returns (exit code, parsed JSON).
pub fn probe_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = run(orakit()
        .current_dir(dir)
        .arg("probe")
        .args(args)
        .arg("--json"));
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "probe {args:?} printed no JSON ({e}): {}{}",
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// The verdict and reason of one mode in a probe's JSON.
pub fn mode(json: &serde_json::Value, name: &str) -> (String, String) {
    let m = json["modes"]
        .as_array()
        .expect("modes")
        .iter()
        .find(|m| m["mode"] == name)
        .unwrap_or_else(|| panic!("no mode {name} in {json}"));
    (
        m["verdict"].as_str().unwrap().to_owned(),
        m["reason"].as_str().unwrap().to_owned(),
    )
}
