//! `tcps init` with a server certificate issued elsewhere (openssl's corporate chain of
//! `byo_chain`): a PKCS#12 file, PEM key + certificate + chain, a Kubernetes TLS secret.
//! Checked with openssl: the server wallet holds that key and certificate and the whole
//! chain, the client wallet exactly the root, no CA key is written, and a TLS handshake
//! served from the wallet's key verifies against the client's ewallet.pem. Bad input gets
//! one message and leaves nothing behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::byo_chain::{Corp, PFX_PASSWORD, corporate_chain};
use crate::support::{mode_of, orakit, run, run_fails, run_ok, words};

const PW: &str = "Byo-wallet-2026";

fn init(dir: &Path, name: &str, source: &[&str]) -> (PathBuf, serde_json::Value) {
    let out = dir.join(name);
    let done = run_ok(
        orakit()
            .args(words(
                "tcps init --host localhost --service ORCLPDB1 --json",
            ))
            .args([
                "--password-env",
                "BYO_PW",
                "--pkcs12-password-env",
                "BYO_PFX_PW",
            ])
            .arg("--out")
            .arg(&out)
            .args(source)
            .env("BYO_PW", PW)
            .env("BYO_PFX_PW", PFX_PASSWORD),
    );
    let json = serde_json::from_slice(&done.stdout).unwrap();
    (out, json)
}

fn sha256(pem: &Path) -> String {
    let out = run_ok(
        Command::new("openssl")
            .args(words("x509 -noout -fingerprint -sha256 -in"))
            .arg(pem),
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .to_owned()
}

/// The SHA-256 fingerprints of every certificate in a PEM file, in order.
fn fingerprints_in(dir: &Path, pem: &Path) -> Vec<String> {
    let text = fs::read_to_string(pem).unwrap();
    let mut found = Vec::new();
    for (i, block) in text
        .split_inclusive("-----END CERTIFICATE-----\n")
        .enumerate()
    {
        let Some(at) = block.find("-----BEGIN CERTIFICATE-----") else {
            continue;
        };
        let file = dir.join(format!("fp-{i}.pem"));
        fs::write(&file, &block[at..]).unwrap();
        found.push(sha256(&file));
    }
    found
}

/// The checks every variant must pass.
fn check_output(dir: &Path, corp: &Corp, out: &Path, json: &serde_json::Value, request: bool) {
    // No CA of ours: no key; ca/ca.pem is the corporate root.
    assert!(!out.join("ca/ca.key").exists());
    assert!(json["ca"].get("key_file").is_none(), "{json}");
    assert_eq!(json["ca"]["subject"], "CN=Corp Root CA,O=Corp,C=US");
    assert_eq!(sha256(&out.join("ca/ca.pem")), sha256(&corp.root));
    assert_eq!(
        sha256(&out.join("server/server.pem")),
        sha256(&corp.server_cert)
    );
    assert_eq!(json["server"]["subject"], "CN=localhost,O=Corp");
    assert_eq!(
        json["server"]["subject_alt_names"],
        serde_json::json!(["DNS:localhost", "IP:127.0.0.1"])
    );
    // The client (DMS) wallet trusts the root and only the root.
    let client_pem = out.join("client/wallet/ewallet.pem");
    assert_eq!(fingerprints_in(dir, &client_pem), [sha256(&corp.root)]);
    for f in [
        "server/wallet/ewallet.p12",
        "server/wallet/cwallet.sso",
        "client/wallet/cwallet.sso",
    ] {
        assert_eq!(mode_of(&out.join(f)), 0o600, "{f}");
    }

    // The server wallet, exported by orakit and read by openssl: the brought key (same
    // public key as the corporate key file), its certificate, the chain.
    let exported = out.join("server-export.pem");
    run_ok(
        orakit()
            .args(words("wallet export-pem --unencrypted-key --wallet"))
            .arg(out.join("server/wallet"))
            .arg("--out")
            .arg(&exported),
    );
    let pubkey = |file: &Path| {
        let o = run_ok(
            Command::new("openssl")
                .args(["pkey", "-pubout", "-in"])
                .arg(file),
        );
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(pubkey(&exported), pubkey(&corp.server_key));
    let mut in_wallet = fingerprints_in(dir, &exported);
    in_wallet.sort();
    let mut expected = vec![
        sha256(&corp.server_cert),
        sha256(&corp.issuing),
        sha256(&corp.root),
    ];
    expected.sort();
    assert_eq!(in_wallet, expected);

    // orapki import_private_key (PEM) leaves a request for the key; import_pkcs12 none.
    let shown = run_ok(
        orakit()
            .args(words("wallet display --json --wallet"))
            .arg(out.join("server/wallet/cwallet.sso")),
    );
    let display: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    // key, issuing CA, root, user certificate (+ request)
    let bags = if request { 5 } else { 4 };
    assert_eq!(display["counts"]["total_bags"], bags, "{display}");
    assert_eq!(display["counts"]["trusted_certificates"], 2, "{display}");

    // A handshake served with the wallet's key and chain verifies against the client's
    // ewallet.pem, host name included.
    let port = crate::tcps_common::free_port();
    let mut server = Command::new("timeout")
        .args(["30", "openssl", "s_server", "-quiet", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(&exported)
        .arg("-key")
        .arg(&exported)
        .arg("-cert_chain")
        .arg(&exported)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut verified = String::new();
    for _ in 0..50 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let o = run(Command::new("timeout")
            .args(["10", "openssl", "s_client", "-connect"])
            .arg(format!("127.0.0.1:{port}"))
            .args([
                "-verify_hostname",
                "localhost",
                "-verify_return_error",
                "-CAfile",
            ])
            .arg(&client_pem)
            .stdin(Stdio::null()));
        verified = String::from_utf8_lossy(&o.stdout).into_owned();
        if verified.contains("Verify return code") {
            break;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        verified.contains("Verify return code: 0 (ok)"),
        "{verified}"
    );
}

#[test]
fn a_pkcs12_file_becomes_the_server_wallet_and_its_root_the_client_wallet() {
    let tmp = tempfile::tempdir().unwrap();
    let corp = corporate_chain(tmp.path());
    let pfx = corp.pfx.to_str().unwrap();
    let (out, json) = init(tmp.path(), "pfx", &["--pkcs12", pfx]);
    assert_eq!(json["ca"]["server_certificate_source"], pfx);
    check_output(tmp.path(), &corp, &out, &json, false);
}

#[test]
fn pem_files_and_a_kubernetes_tls_secret_become_the_server_wallet() {
    let tmp = tempfile::tempdir().unwrap();
    let corp = corporate_chain(tmp.path());
    let (out, json) = init(
        tmp.path(),
        "pem",
        &[
            "--key",
            corp.server_key.to_str().unwrap(),
            "--cert",
            corp.server_cert.to_str().unwrap(),
            "--chain",
            corp.chain.to_str().unwrap(),
        ],
    );
    check_output(tmp.path(), &corp, &out, &json, true);
    let (out, json) = init(
        tmp.path(),
        "k8s",
        &["--tls-secret", corp.k8s.to_str().unwrap()],
    );
    check_output(tmp.path(), &corp, &out, &json, true);
}

/// Runs a bad `tcps init` and checks that it failed with one message naming `file` and
/// containing `needle`, and wrote nothing (no output, no staging directory).
fn refused(dir: &Path, source: &[&str], pfx_password: &str, file: &Path, needle: &str) {
    let before: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let out = dir.join("refused");
    let err = run_fails(
        orakit()
            .args(words("tcps init --host localhost --service ORCLPDB1"))
            .args([
                "--password-env",
                "BYO_PW",
                "--pkcs12-password-env",
                "BYO_PFX_PW",
            ])
            .arg("--out")
            .arg(&out)
            .args(source)
            .env("BYO_PW", PW)
            .env("BYO_PFX_PW", pfx_password),
        1,
    );
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    assert!(!out.exists());
    let after: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before, after, "something was left behind");
}

#[test]
fn a_wrong_key_a_gap_in_the_chain_a_wrong_password_or_a_secret_without_tls_key_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let corp = corporate_chain(tmp.path());
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    refused(
        tmp.path(),
        &[
            "--key",
            &s(&corp.other_key),
            "--cert",
            &s(&corp.server_cert),
            "--chain",
            &s(&corp.chain),
        ],
        PFX_PASSWORD,
        &corp.other_key,
        "does not match the certificate \"CN=localhost,O=Corp\"",
    );
    // Only the root: the issuing CA between it and the server certificate is missing.
    refused(
        tmp.path(),
        &[
            "--key",
            &s(&corp.server_key),
            "--cert",
            &s(&corp.server_cert),
            "--chain",
            &s(&corp.root),
        ],
        PFX_PASSWORD,
        &corp.server_cert,
        "its issuer \"CN=Corp Issuing CA 1,O=Corp\" is missing",
    );
    refused(
        tmp.path(),
        &["--pkcs12", &s(&corp.pfx)],
        "not-the-password",
        &corp.pfx,
        "password",
    );
    fs::remove_file(corp.k8s.join("tls.key")).unwrap();
    refused(
        tmp.path(),
        &["--tls-secret", &s(&corp.k8s)],
        PFX_PASSWORD,
        &corp.k8s,
        "the secret has no tls.key",
    );
    // Choices that belong to a CA of ours cannot go with a brought certificate.
    let base = || {
        let mut cmd = orakit();
        cmd.args(words("tcps init --host localhost --service ORCLPDB1"))
            .args([
                "--password-env",
                "BYO_PW",
                "--pkcs12-password-env",
                "BYO_PFX_PW",
            ])
            .arg("--out")
            .arg(tmp.path().join("refused"))
            .args(["--pkcs12", &s(&corp.pfx)])
            .env("BYO_PW", PW)
            .env("BYO_PFX_PW", PFX_PASSWORD);
        cmd
    };
    let e = run_fails(base().args(["--days", "30"]), 2);
    assert!(e.contains("--days"), "{e}");
    let e = run_fails(base().args(["--client-auth", "--client", "app1"]), 1);
    assert!(
        e.contains("--client-auth issues client certificates"),
        "{e}"
    );
    let e = run_fails(
        orakit()
            .args(words(
                "tcps init --host localhost --service ORCLPDB1 --password-env BYO_PW",
            ))
            .arg("--out")
            .arg(tmp.path().join("refused"))
            .args(["--chain", &s(&corp.chain)])
            .env("BYO_PW", PW),
        2,
    );
    assert!(e.contains("--chain completes"), "{e}");
    assert!(!tmp.path().join("refused").exists());
}
