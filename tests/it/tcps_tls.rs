//! End to end: what `tcps init` makes completes real TLS handshakes. `openssl s_server`
//! serves the server wallet's certificate and key (exported with `orakit wallet
//! export-pem`), and `openssl s_client` and python-oracledb in thin mode verify it with
//! the CA taken from the client wallet.

use crate::support::words;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{openssl, orakit, run, run_ok};
use crate::tcps_common::{TlsServer, init, python_oracledb, thin_connect};

/// The server's key and certificate, exported by orakit from the auto-login wallet.
fn export_server_pem(out: &Path, dest: &Path) {
    run_ok(
        orakit()
            .args(words("wallet export-pem --unencrypted-key --wallet"))
            .arg(out.join("server/wallet"))
            .arg("--out")
            .arg(dest),
    );
}

/// The root CA exported by orakit from the client wallet (auto-login-only).
fn export_client_ca(out: &Path, dest: &Path) {
    run_ok(
        orakit()
            .args([
                "wallet",
                "export-cert",
                "--subject",
                "CN=localhost TCPS Root CA",
                "--wallet",
            ])
            .arg(out.join("client/wallet"))
            .arg("--out")
            .arg(dest),
    );
}

fn s_client(port: u16, host: &str, ca: &Path) -> (bool, String) {
    let out = Command::new("timeout")
        .args(words("30 openssl s_client -connect"))
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", "localhost", "-verify_return_error"])
        .args(["-verify_hostname", host, "-CAfile"])
        .arg(ca)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn openssl_and_thin_clients_complete_the_handshake_with_the_generated_wallets() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &[]);
    let server_pem = dir.path().join("server.pem");
    let ca_pem = dir.path().join("ca-from-client-wallet.pem");
    export_server_pem(&out, &server_pem);
    export_client_ca(&out, &ca_pem);

    // openssl verify: the server certificate chains to the CA of the client wallet.
    let verified = run(openssl()
        .args(words("verify -x509_strict -purpose sslserver -CAfile"))
        .arg(&ca_pem)
        .arg(out.join("server/server.pem")));
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );

    let server = TlsServer::start(&server_pem, &server_pem, 4);
    let (ok, text) = s_client(server.port, "localhost", &ca_pem);
    assert!(ok, "s_client failed:\n{text}");
    assert!(text.contains("Verify return code: 0 (ok)"), "{text}");

    let (ok, text) = s_client(server.port, "wrong.example.com", &ca_pem);
    assert!(!ok, "a wrong host name must fail:\n{text}");
    assert!(text.contains("hostname mismatch"), "{text}");

    if !python_oracledb() {
        return;
    }
    // The generated client wallet dir holds ewallet.pem with the root: the handshake
    // succeeds and only the Oracle protocol fails (s_server is no database).
    let error = thin_connect(server.port, &out.join("client/wallet"));
    assert!(error.contains("DPY-4011"), "{error}");
    assert!(!error.contains("CERTIFICATE_VERIFY_FAILED"), "{error}");

    // A wallet with another CA (made by a second tcps init) is refused by the driver.
    let other = init(dir.path(), "other", &[]);
    let error = thin_connect(server.port, &other.join("client/wallet"));
    assert!(error.contains("CERTIFICATE_VERIFY_FAILED"), "{error}");
}

#[test]
fn an_ec_setup_serves_an_ecdsa_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "ec", &["--key-type", "p256"]);
    let server_pem = dir.path().join("server.pem");
    let ca_pem = dir.path().join("ca.pem");
    export_server_pem(&out, &server_pem);
    export_client_ca(&out, &ca_pem);
    let server = TlsServer::start(&server_pem, &server_pem, 1);
    let (ok, text) = s_client(server.port, "localhost", &ca_pem);
    assert!(ok, "{text}");
    assert!(text.contains("Peer signature type: ECDSA"), "{text}");
}
