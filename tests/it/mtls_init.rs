//! `tcps init --client-auth --client NAME[=DN]`: per-client wallets holding a clientAuth
//! certificate from the set-up's CA, the .ora lines of mutual TLS, and the exact
//! `CREATE USER ... IDENTIFIED EXTERNALLY AS '<DN>'`; checked with openssl (extensions,
//! subject, issuer, keys) and a handshake with `openssl s_server -Verify` that succeeds with
//! a client's certificate and fails without one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{mode_of, orakit, run, run_fails, run_ok, words};

const PW: &str = "Mtls-wallet-2026";

fn init_mtls(dir: &Path, extra: &[&str]) -> (PathBuf, serde_json::Value) {
    let out = dir.join("mtls");
    let done = run_ok(
        orakit()
            .args(words(
                "tcps init --host localhost --service ORCLPDB1 --json --password-env MTLS_PW --client-auth --out",
            ))
            .arg(&out)
            .args(extra)
            .env("MTLS_PW", PW),
    );
    (out, serde_json::from_slice(&done.stdout).unwrap())
}

fn openssl_text(args: &[&str], file: &Path) -> String {
    let o = run_ok(Command::new("openssl").args(args).arg(file));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn each_client_gets_a_client_auth_certificate_in_its_own_wallet_and_its_create_user_line() {
    let tmp = tempfile::tempdir().unwrap();
    // The wallet installed where the output puts it, so `net check` can look at it.
    let wallet_dir = tmp.path().join("mtls/server/wallet");
    let (out, json) = init_mtls(
        tmp.path(),
        &[
            "--client",
            "app1",
            "--client",
            "etl=CN=etl,OU=Batch,O=Example",
            "--server-wallet-dir",
            wallet_dir.to_str().unwrap(),
        ],
    );
    let clients = json["client_identities"].as_array().unwrap();
    assert_eq!(clients.len(), 2);
    assert_eq!(
        clients[0]["create_user"],
        "CREATE USER APP1 IDENTIFIED EXTERNALLY AS 'CN=app1';"
    );
    assert_eq!(
        clients[1]["create_user"],
        "CREATE USER ETL IDENTIFIED EXTERNALLY AS 'CN=etl,OU=Batch,O=Example';"
    );
    assert_eq!(clients[1]["grant"], "GRANT CREATE SESSION TO ETL;");
    // The text summary carries the same lines.
    let marker = fs::read_to_string(out.join("orakit-tcps.json")).unwrap();
    assert!(marker.contains("IDENTIFIED EXTERNALLY AS 'CN=etl,OU=Batch,O=Example'"));

    for (name, openssl_subject) in [
        ("app1", "CN = app1"),
        ("etl", "O = Example, OU = Batch, CN = etl"),
    ] {
        let dir = out.join("clients").join(name);
        let cert = dir.join("client.pem");
        let text = openssl_text(
            &[
                "x509",
                "-noout",
                "-subject",
                "-issuer",
                "-ext",
                "extendedKeyUsage",
                "-in",
            ],
            &cert,
        );
        assert!(
            text.contains(&format!("subject={openssl_subject}")),
            "{text}"
        );
        assert!(
            text.contains("issuer=CN = localhost TCPS Root CA"),
            "{text}"
        );
        assert!(text.contains("TLS Web Client Authentication"), "{text}");
        assert!(!text.contains("TLS Web Server Authentication"), "{text}");
        let verify = run(Command::new("openssl")
            .args(["verify", "-purpose", "sslclient", "-CAfile"])
            .arg(out.join("ca/ca.pem"))
            .arg(&cert));
        assert!(
            verify.status.success(),
            "{}",
            String::from_utf8_lossy(&verify.stdout)
        );
        // ewallet.pem: the client's key (matching its certificate), the certificate, the CA.
        let pem = dir.join("wallet/ewallet.pem");
        assert_eq!(mode_of(&pem), 0o600);
        assert_eq!(mode_of(&dir.join("wallet/cwallet.sso")), 0o600);
        assert_eq!(
            openssl_text(&["pkey", "-pubout", "-in"], &pem),
            openssl_text(&["x509", "-noout", "-pubkey", "-in"], &cert)
        );
        // The auto-login-only wallet (0x37) holds the same certificate.
        assert_eq!(fs::read(dir.join("wallet/cwallet.sso")).unwrap()[3], 0x37);
    }

    let server_sqlnet = fs::read_to_string(out.join("server/network/sqlnet.ora")).unwrap();
    assert!(
        server_sqlnet.contains("SSL_CLIENT_AUTHENTICATION = TRUE\n"),
        "{server_sqlnet}"
    );
    assert!(server_sqlnet.contains("SQLNET.AUTHENTICATION_SERVICES = (BEQ, TCPS)\n"));
    let listener = fs::read_to_string(out.join("server/network/listener.ora")).unwrap();
    assert!(
        listener.contains("SSL_CLIENT_AUTHENTICATION = TRUE\n"),
        "{listener}"
    );
    let client_sqlnet = fs::read_to_string(out.join("client/network/sqlnet.ora")).unwrap();
    assert!(client_sqlnet.contains("SQLNET.AUTHENTICATION_SERVICES = (TCPS)\n"));
    assert!(client_sqlnet.contains("SSL_SERVER_DN_MATCH = YES\n"));
    // orakit's own lint accepts what it wrote.
    run_ok(
        orakit()
            .args(words("net check --role server --key-type rsa2048"))
            .arg(out.join("server/network/sqlnet.ora")),
    );
}

/// One `openssl s_client` handshake against `port`, presenting `cert_key` when given.
fn s_client(port: u16, ca: &Path, cert_key: Option<&Path>) -> String {
    let mut cmd = Command::new("timeout");
    cmd.args(["10", "openssl", "s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-verify_return_error", "-CAfile"])
        .arg(ca);
    if let Some(f) = cert_key {
        cmd.arg("-cert").arg(f).arg("-key").arg(f);
    }
    // Send a line so TLS 1.3's post-handshake alert from the server is read.
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        let _ = stdin.write_all(b"hello\n");
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let o = child.wait_with_output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_server_requiring_client_certificates_accepts_the_client_wallet_and_refuses_none() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, _) = init_mtls(tmp.path(), &["--client", "app1=CN=app1,O=Ring"]);
    let server_pem = out.join("server-export.pem");
    run_ok(
        orakit()
            .args(words("wallet export-pem --unencrypted-key --wallet"))
            .arg(out.join("server/wallet"))
            .arg("--out")
            .arg(&server_pem),
    );
    let ca = out.join("ca/ca.pem");
    let client = out.join("clients/app1/wallet/ewallet.pem");
    for (cert_key, expect_ok) in [(Some(client.as_path()), true), (None, false)] {
        let port = crate::tcps_common::free_port();
        let log = tmp.path().join(format!("s_server-{port}.log"));
        let mut server = Command::new("timeout")
            .args(["30", "openssl", "s_server", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&server_pem)
            .arg("-key")
            .arg(&server_pem)
            .args(["-Verify", "1", "-verify_return_error", "-CAfile"])
            .arg(&ca)
            .stdin(Stdio::piped())
            .stdout(fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
        let said = s_client(port, &ca, cert_key);
        let _ = server.kill();
        let _ = server.wait();
        let served = fs::read_to_string(&log).unwrap_or_default();
        if expect_ok {
            assert!(said.contains("Verify return code: 0 (ok)"), "{said}");
            assert!(served.contains("hello"), "s_server got no data: {served}");
        } else {
            assert!(
                said.contains("alert certificate required")
                    || said.contains("alert handshake failure"),
                "{said}"
            );
            assert!(!served.contains("hello"), "{served}");
        }
    }
}

#[test]
fn bad_client_identities_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let base = |extra: &[&str]| {
        let mut cmd = orakit();
        cmd.args(words(
            "tcps init --host localhost --service ORCLPDB1 --password-env MTLS_PW --out",
        ))
        .arg(&out)
        .args(extra)
        .env("MTLS_PW", PW);
        cmd
    };
    let e = run_fails(&mut base(&["--client-auth"]), 2);
    assert!(e.contains("--client"), "{e}");
    let e = run_fails(&mut base(&["--client", "a"]), 2);
    assert!(e.contains("--client-auth"), "{e}");
    let e = run_fails(
        &mut base(&["--client-auth", "--client", "a=CN=x", "--client", "b=CN=x"]),
        1,
    );
    assert!(e.contains("same DN CN=x"), "{e}");
    let e = run_fails(&mut base(&["--client-auth", "--client", "../up"]), 1);
    assert!(e.contains("a client name is"), "{e}");
    assert!(!out.exists());
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}
