//! Helpers for the tcps / dms / export-pem tests: running `tcps init`, and an
//! `openssl s_server` with a bounded lifetime that is killed when the guard drops.

#![allow(dead_code)]

use crate::support::words;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{orakit, run_ok};

/// Runs `tcps init --host localhost --ip 127.0.0.1 --service ORCLPDB1` into `dir/name`
/// with the wallets' install directories pointing at the generated ones, plus `extra`.
/// The server wallet password is `PASSWORD`.
pub fn init(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut cmd = orakit();
    cmd.args(words("tcps init --host localhost --ip 127.0.0.1"))
        .args(["--service", "ORCLPDB1", "--out"])
        .arg(&out)
        .arg("--server-wallet-dir")
        .arg(out.join("server/wallet"))
        .arg("--client-wallet-dir")
        .arg(out.join("client/wallet"))
        .args(["--password-env", "TCPS_TEST_PW"])
        .env("TCPS_TEST_PW", PASSWORD)
        .args(extra);
    run_ok(&mut cmd);
    out
}

pub const PASSWORD: &str = "Tcps-test-1234";

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `openssl s_server` on 127.0.0.1 with a bounded lifetime: it exits by itself after
/// `connections` accepted connections (one is the readiness probe below), and is killed
/// when the guard drops. Its standard input is empty, so it closes each connection right
/// after the handshake: a thin driver then reports DPY-4011 instead of waiting.
pub struct TlsServer {
    child: Child,
    pub port: u16,
}

impl TlsServer {
    /// Serves `cert` with `key` for `connections` client connections.
    pub fn start(cert: &Path, key: &Path, connections: u32) -> Self {
        let port = free_port();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-naccept"])
            .arg((connections + 1).to_string())
            .args(["-accept", &format!("127.0.0.1:{port}")])
            .arg("-cert")
            .arg(cert)
            .arg("-key")
            .arg(key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl s_server starts");
        let server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "openssl s_server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether python3 can import oracledb; under CI it must.
pub fn python_oracledb() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import oracledb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with oracledb is required under CI"
        );
        eprintln!("skipping: python3 cannot import oracledb");
    }
    ok
}

/// `tests/e2e/thin_connect.py` against 127.0.0.1:port with `wallet_dir`: the error text.
pub fn thin_connect(port: u16, wallet_dir: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/thin_connect.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["localhost", &port.to_string(), "ORCLPDB1"])
        .arg(wallet_dir)
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let json: serde_json::Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "thin_connect.py printed {text:?} ({e}); stderr {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(json["connected"], false, "s_server is no database");
    json["error"].as_str().unwrap().to_owned()
}
