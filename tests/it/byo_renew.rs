//! `tcps renew` on a `tcps init` output made from a brought certificate: without a new
//! certificate one message saying how; with one (PEM, PKCS#12, TLS secret) the server
//! wallet, server.pem and the summary take it — checked with openssl against the files
//! the corporate CA (openssl) made — while the client wallet and the .ora files keep
//! their bytes and mtimes; a rerun changes nothing; another root is refused.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::byo_chain::{Corp, PFX_PASSWORD, corporate_chain, renewed};
use crate::contract_common::validate;
use crate::lifecycle_common::snapshot;
use crate::support::{Fixture, orakit, run, run_fails, run_ok, words};

const PW: &str = "Byo-wallet-2026";

fn renew(out: &Path, source: &[&str]) -> Command {
    let mut cmd = orakit();
    cmd.arg("tcps")
        .arg("renew")
        .arg(out)
        .args(words(
            "--password-env BYO_PW --pkcs12-password-env BYO_PFX_PW --json",
        ))
        .args(source)
        .env("BYO_PW", PW)
        .env("BYO_PFX_PW", PFX_PASSWORD);
    cmd
}

fn sha256(pem: &Path) -> String {
    let out = run_ok(
        Command::new("openssl")
            .args(words("x509 -noout -fingerprint -sha256 -in"))
            .arg(pem),
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn public_key(file: &Path) -> String {
    let o = run_ok(
        Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(file),
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The wallet's key, exported by orakit.
fn wallet_public_key(fx: &Fixture, out: &Path) -> String {
    let exported = fx.path("export.pem");
    let _ = fs::remove_file(&exported);
    run_ok(
        orakit()
            .args(words("wallet export-pem --unencrypted-key --wallet"))
            .arg(out.join("server/wallet/cwallet.sso"))
            .arg("--out")
            .arg(&exported),
    );
    public_key(&exported)
}

/// The client's files and the .ora files: what a renewal must not touch.
fn untouched(out: &Path) -> Vec<(std::path::PathBuf, (Vec<u8>, std::time::SystemTime))> {
    snapshot(out)
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("client") || rel.extension().is_some_and(|e| e == "ora"))
        .collect()
}

fn init_from_pfx(fx: &Fixture, corp: &Corp) -> std::path::PathBuf {
    let out = fx.path("out");
    run_ok(
        orakit()
            .args(words("tcps init --host localhost --service ORCLPDB1"))
            .args(words(
                "--password-env BYO_PW --pkcs12-password-env BYO_PFX_PW --pkcs12",
            ))
            .arg(&corp.pfx)
            .arg("--out")
            .arg(&out)
            .env("BYO_PW", PW)
            .env("BYO_PFX_PW", PFX_PASSWORD),
    );
    out
}

#[test]
fn byo_renew_replaces_the_brought_certificate_and_leaves_the_clients_alone() {
    let fx = Fixture::new();
    let corp = corporate_chain(fx.dir());
    let out = init_from_pfx(&fx, &corp);
    let clients = untouched(&out);

    // Without a new certificate: one message saying it was brought and how to renew.
    let before = snapshot(&out);
    let err = run_fails(
        orakit()
            .args(["tcps", "renew"])
            .arg(&out)
            .args(words("--password-env BYO_PW"))
            .env("BYO_PW", PW),
        1,
    );
    assert!(err.contains("was brought from"), "{err}");
    assert!(err.contains(corp.pfx.to_str().unwrap()), "{err}");
    assert!(err.contains("--pkcs12 FILE"), "{err}");
    assert!(!err.contains("ca.key"), "{err}");
    assert_eq!(snapshot(&out), before);

    // The same key, a new certificate (PEM key + certificate + chain).
    let (cert2, key2) = renewed(&corp, "renewed", 8194, false);
    let pem_source = |cert: &Path, key: &Path| -> Vec<String> {
        vec![
            "--key".into(),
            key.display().to_string(),
            "--cert".into(),
            cert.display().to_string(),
            "--chain".into(),
            corp.chain.display().to_string(),
        ]
    };
    let args = pem_source(&cert2, &key2);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // --check: what would change, nothing changed.
    let mut check = renew(&out, &args);
    check.arg("--check");
    let planned: serde_json::Value = serde_json::from_slice(&run_ok(&mut check).stdout).unwrap();
    assert_eq!(planned["changed"], true, "{planned}");
    assert_eq!(planned["check"], true);
    assert_eq!(snapshot(&out), before);

    let done: serde_json::Value =
        serde_json::from_slice(&run_ok(&mut renew(&out, &args)).stdout).unwrap();
    assert_eq!(done["changed"], true, "{done}");
    validate("tcps-renew", &done);
    assert_eq!(done["renewed"], true);
    assert_eq!(done["key"], "kept");
    assert_eq!(done["renewed_certificate"]["serial"], "2002", "{done}");
    let changed: Vec<&str> = done["files_changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        changed,
        [
            "server/wallet/ewallet.p12",
            "server/wallet/cwallet.sso",
            "server/server.pem",
            "orakit-tcps.json"
        ]
    );
    assert_eq!(sha256(&out.join("server/server.pem")), sha256(&cert2));
    assert_eq!(wallet_public_key(&fx, &out), public_key(&corp.server_key));
    assert_eq!(untouched(&out), clients);
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("orakit-tcps.json")).unwrap()).unwrap();
    validate("tcps-summary", &summary);
    assert_eq!(
        summary["ca"]["server_certificate_source"],
        cert2.display().to_string()
    );
    let enddate = run_ok(
        Command::new("openssl")
            .args(words("x509 -noout -enddate -in"))
            .arg(&cert2),
    );
    let year = String::from_utf8_lossy(&enddate.stdout)
        .trim()
        .rsplit(' ')
        .nth(1)
        .unwrap()
        .to_owned();
    assert!(
        summary["server"]["not_after"]
            .as_str()
            .unwrap()
            .contains(&year),
        "{summary}"
    );

    // Again with the same files: nothing changes, not even an mtime.
    let after = snapshot(&out);
    let again: serde_json::Value =
        serde_json::from_slice(&run_ok(&mut renew(&out, &args)).stdout).unwrap();
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(again["renewed"], false);
    assert_eq!(snapshot(&out), after);

    // A new key, from a Kubernetes TLS secret: key and certificate replaced.
    let (cert3, key3) = renewed(&corp, "rekeyed", 8195, true);
    let secret = corp.dir.join("rekeyed-secret");
    let done: serde_json::Value = serde_json::from_slice(
        &run_ok(&mut renew(
            &out,
            &["--tls-secret", secret.to_str().unwrap()],
        ))
        .stdout,
    )
    .unwrap();
    assert_eq!(done["changed"], true, "{done}");
    assert_eq!(done["key"], "new");
    assert_eq!(sha256(&out.join("server/server.pem")), sha256(&cert3));
    assert_eq!(wallet_public_key(&fx, &out), public_key(&key3));
    assert_ne!(public_key(&key3), public_key(&corp.server_key));
    assert_eq!(untouched(&out), clients);
    // One key, one user certificate: the old pair is gone.
    let shown: serde_json::Value = serde_json::from_slice(
        &run_ok(
            orakit()
                .args(words("wallet display --json --wallet"))
                .arg(out.join("server/wallet/cwallet.sso")),
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(shown["counts"]["trusted_certificates"], 2, "{shown}");
    assert_eq!(shown["counts"]["user_certificates"], 1, "{shown}");

    // The renewed server still serves TLS the unchanged client wallet trusts.
    let chained = fx.write(
        "served-chain.pem",
        fs::read_to_string(&corp.issuing).unwrap(),
    );
    let port = crate::tcps_common::free_port();
    let mut child = Command::new("timeout")
        .args([
            "20", "openssl", "s_server", "-quiet", "-naccept", "1", "-accept",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(&cert3)
        .arg("-key")
        .arg(&key3)
        .arg("-cert_chain")
        .arg(&chained)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
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
            .arg(out.join("client/wallet/ewallet.pem"))
            .stdin(std::process::Stdio::null()));
        verified = String::from_utf8_lossy(&o.stdout).into_owned();
        if verified.contains("Verify return code") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        verified.contains("Verify return code: 0 (ok)"),
        "{verified}"
    );
}

#[test]
fn byo_renew_refuses_another_root_a_wrong_key_and_a_broken_chain() {
    let fx = Fixture::new();
    let corp = corporate_chain(fx.dir());
    let out = init_from_pfx(&fx, &corp);
    let before = snapshot(&out);

    // Another corporate chain: same names, another root key.
    let elsewhere = fx.path("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let other = corporate_chain(&elsewhere);
    let err = run_fails(
        &mut renew(&out, &["--pkcs12", other.pfx.to_str().unwrap()]),
        1,
    );
    assert!(err.contains("does not trust"), "{err}");
    assert!(err.contains("tcps rotate-root"), "{err}");
    assert!(err.contains(other.pfx.to_str().unwrap()), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(snapshot(&out), before);

    // A key that is not the certificate's.
    let (cert2, _) = renewed(&corp, "renewed", 8194, false);
    let err = run_fails(
        &mut renew(
            &out,
            &[
                "--key",
                corp.other_key.to_str().unwrap(),
                "--cert",
                cert2.to_str().unwrap(),
                "--chain",
                corp.chain.to_str().unwrap(),
            ],
        ),
        1,
    );
    assert!(err.contains(cert2.to_str().unwrap()), "{err}");
    assert!(err.contains("does not match"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(snapshot(&out), before);

    // The root without the issuing CA: the missing issuer is named.
    let err = run_fails(
        &mut renew(
            &out,
            &[
                "--key",
                corp.server_key.to_str().unwrap(),
                "--cert",
                cert2.to_str().unwrap(),
                "--chain",
                corp.root.to_str().unwrap(),
            ],
        ),
        1,
    );
    assert!(err.contains("Corp Issuing CA 1"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(snapshot(&out), before);
}
