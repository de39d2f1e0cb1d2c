//! `tcps init`: the layout, modes and wallet kinds, independent readers (walletcheck.py,
//! openssl pkcs12), the Oracle Net files (net check, round trip), and the all-or-nothing
//! rules (refuse a rerun without --force, no partial DIR after a failure).

use crate::support::words;
use std::path::Path;

use crate::support::{list_files, mode_of, openssl, orakit, run, run_fails, run_ok, walletcheck};
use crate::tcps_common::{PASSWORD, init};

#[test]
fn init_writes_the_whole_layout_with_the_right_modes_and_wallet_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &["--host", "db.example.com", "--json"]);
    let expected = [
        "ca/ca.key",
        "ca/ca.pem",
        "client/network/sqlnet.ora",
        "client/network/tnsnames.ora",
        "client/wallet/cwallet.sso",
        "client/wallet/ewallet.pem",
        "orakit-tcps.json",
        "server/network/listener.ora",
        "server/network/sqlnet.ora",
        "server/server.pem",
        "server/wallet/cwallet.sso",
        "server/wallet/ewallet.p12",
    ];
    let files: Vec<String> = list_files(&out)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(files, expected);
    for secret in [
        "ca/ca.key",
        "server/wallet/ewallet.p12",
        "server/wallet/cwallet.sso",
        "client/wallet/cwallet.sso",
    ] {
        assert_eq!(mode_of(&out.join(secret)), 0o600, "{secret}");
    }
    assert_eq!(mode_of(&out.join("ca/ca.pem")), 0o644);
    assert_eq!(mode_of(&out), 0o700);
    // Kind byte at offset 3: 0x36 beside an ewallet.p12, 0x37 for the upload wallet.
    assert_eq!(
        std::fs::read(out.join("server/wallet/cwallet.sso")).unwrap()[3],
        0x36
    );
    assert_eq!(
        std::fs::read(out.join("client/wallet/cwallet.sso")).unwrap()[3],
        0x37
    );

    // openssl reads the server certificate: SANs for every host and address, signed by the CA.
    let text = run_ok(
        openssl()
            .args(words(
                "x509 -noout -ext subjectAltName,extendedKeyUsage -subject -in",
            ))
            .arg(out.join("server/server.pem")),
    );
    let text = String::from_utf8_lossy(&text.stdout);
    for want in [
        "DNS:localhost",
        "DNS:db.example.com",
        "IP Address:127.0.0.1",
        "TLS Web Server Authentication",
        "CN = localhost",
    ] {
        assert!(text.contains(want), "{want} missing in {text}");
    }
    let verified = run(openssl()
        .args(["verify", "-x509_strict", "-CAfile"])
        .arg(out.join("ca/ca.pem"))
        .arg(out.join("server/server.pem")));
    assert!(verified.status.success());

    // openssl opens ewallet.p12 with the password and finds the server key matching the certificate.
    let key = run_ok(
        openssl()
            .args(words("pkcs12 -legacy -nocerts -nodes -passin env:PW -in"))
            .arg(out.join("server/wallet/ewallet.p12"))
            .env("PW", PASSWORD),
    );
    let key_path = dir.path().join("k.pem");
    std::fs::write(&key_path, &key.stdout).unwrap();
    let from_key = run_ok(openssl().args(["pkey", "-pubout", "-in"]).arg(&key_path)).stdout;
    let from_cert = run_ok(
        openssl()
            .args(words("x509 -noout -pubkey -in"))
            .arg(out.join("server/server.pem")),
    )
    .stdout;
    assert_eq!(from_key, from_cert);
}

#[test]
fn every_generated_wallet_passes_walletcheck_strict() {
    let Some(checker) = walletcheck() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &["--encryption", "aes256"]);
    for wallet in ["server/wallet", "client/wallet"] {
        let result = run(std::process::Command::new("python3")
            .arg(&checker)
            .arg(out.join(wallet))
            .args(["--strict", "--password-env", "PW"])
            .env("PW", PASSWORD));
        let text = String::from_utf8_lossy(&result.stdout);
        assert!(result.status.success(), "{wallet}: {text}");
        assert!(text.contains("RESULT: ok"), "{wallet}: {text}");
        assert!(!text.contains("skipped"), "{wallet}: {text}");
    }
}

#[test]
fn the_oracle_net_files_pass_net_check_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(
        dir.path(),
        "tcps",
        &["--key-type", "p256", "--target", "23ai"],
    );
    for file in [
        "server/network/sqlnet.ora",
        "server/network/listener.ora",
        "client/network/sqlnet.ora",
        "client/network/tnsnames.ora",
    ] {
        let path = out.join(file);
        let checked = run(orakit().args(["net", "check", "--json"]).arg(&path));
        let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
        assert_eq!(report["findings"], serde_json::json!([]), "{file}");
        assert_eq!(checked.status.code(), Some(0), "{file}");
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = orakit::net::Document::parse(&text).unwrap();
        assert_eq!(doc.print(), text, "{file} does not round-trip");
    }
    // The EC server files name ECDSA suites; checked against the wallet's RSA key they
    // would be flagged, which shows that net check read the EC key from the wallet.
    let sqlnet = std::fs::read_to_string(out.join("server/network/sqlnet.ora")).unwrap();
    assert!(sqlnet.contains("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
    let mismatched = run_fails(
        orakit()
            .args(words("net check --key-type rsa2048"))
            .arg(out.join("server/network/sqlnet.ora")),
        3,
    );
    assert!(mismatched.contains("problem"), "{mismatched}");
    let rsa_files = out.join("server/network/sqlnet-rsa.ora");
    std::fs::write(&rsa_files, sqlnet.replace("ECDSA", "RSA")).unwrap();
    run_fails(orakit().args(["net", "check"]).arg(&rsa_files), 3);
}

#[test]
fn a_rerun_refuses_without_force_and_force_replaces_the_whole_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &[]);
    let old_ca = std::fs::read(out.join("ca/ca.pem")).unwrap();
    let err = run_fails(
        orakit()
            .args(words(
                "tcps init --host localhost --service S --generate-password --out",
            ))
            .arg(&out),
        1,
    );
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("ca/ca.pem")).unwrap(), old_ca);

    init(dir.path(), "tcps", &["--force"]);
    assert_ne!(std::fs::read(out.join("ca/ca.pem")).unwrap(), old_ca);
    let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(
        siblings.len(),
        1,
        "no staging or old copy is left beside DIR"
    );

    // --force never replaces a directory that is not a tcps init output.
    let foreign = dir.path().join("home");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "keep").unwrap();
    let err = run_fails(
        orakit()
            .args(words(
                "tcps init --host localhost --service S --generate-password --force --out",
            ))
            .arg(&foreign),
        1,
    );
    assert!(err.contains("not an earlier"), "{err}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "keep"
    );
}

fn assert_only(dir: &Path, names: &[&str]) {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, names);
}

#[test]
fn a_failure_half_way_leaves_no_directory() {
    let dir = tempfile::tempdir().unwrap();
    // Fails after every key, certificate and wallet is made and staged: the generated
    // password cannot be written to a file that already exists.
    let taken = dir.path().join("password.txt");
    std::fs::write(&taken, "old").unwrap();
    let out = dir.path().join("tcps");
    let err = run_fails(
        orakit()
            .args(words("tcps init --host localhost --service S --generate-password --generated-password-file"))
            .arg(&taken)
            .arg("--out")
            .arg(&out),
        1,
    );
    assert!(err.contains("password.txt"), "{err}");
    assert_only(dir.path(), &["password.txt"]);
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "old");

    // An invalid CA subject, an invalid alias, or a parent that is a file: nothing either.
    for (bad, named) in [
        (["--ca-subject", "CN=ok,BOGUS"], "BOGUS"),
        (["--alias", "has space"], "has space"),
    ] {
        let err = run_fails(minimal_init(&out).args(bad), 1);
        assert!(
            err.contains(named),
            "the error should name {named:?}: {err}"
        );
        assert_only(dir.path(), &["password.txt"]);
    }
    let err = run_fails(&mut minimal_init(&taken.join("sub")), 1);
    assert!(
        err.contains("does not exist") || err.contains("not a directory"),
        "{err}"
    );
    assert_only(dir.path(), &["password.txt"]);
}

#[test]
fn a_generated_password_goes_to_a_private_file_and_opens_the_wallet() {
    let dir = tempfile::tempdir().unwrap();
    let pw_file = dir.path().join("pw");
    let out = dir.path().join("tcps");
    let result = run_ok(
        orakit()
            .args(words("tcps init --host localhost --service S --generate-password --generated-password-file"))
            .arg(&pw_file)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(mode_of(&pw_file), 0o600);
    let password = std::fs::read_to_string(&pw_file)
        .unwrap()
        .trim_end()
        .to_owned();
    assert!(password.len() >= 16);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        !stderr.contains(&password),
        "the password must not be shown when it goes to a file"
    );
    run_ok(
        openssl()
            .args(words("pkcs12 -legacy -noout -passin env:PW -in"))
            .arg(out.join("server/wallet/ewallet.p12"))
            .env("PW", &password),
    );
    // Without a file it is shown once on stderr, and never in the JSON on stdout.
    let out2 = dir.path().join("tcps2");
    let result = run_ok(
        orakit()
            .args(words(
                "tcps init --host localhost --service S --generate-password --json --out",
            ))
            .arg(&out2),
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    let shown = stderr.lines().last().unwrap().trim().to_owned();
    let json: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert!(!String::from_utf8_lossy(&result.stdout).contains(&shown));
    assert!(
        json["dms"]["import_command"]
            .as_str()
            .unwrap()
            .contains("fileb://")
    );
    assert!(json["server"]["not_after"].as_str().unwrap().ends_with('Z'));
    run_ok(
        openssl()
            .args(words("pkcs12 -legacy -noout -passin env:PW -in"))
            .arg(out2.join("server/wallet/ewallet.p12"))
            .env("PW", &shown),
    );
}

#[test]
fn a_sid_only_tcps_only_setup_and_a_missing_password() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sid");
    run_ok(
        orakit()
            .args(words("tcps init --host db1.example.com --sid ORCL --oracle-home /u01/app/oracle/product/19c/dbhome_1"))
            .args(words("--no-tcp --tcps-port 2485 --generate-password --out"))
            .arg(&out),
    );
    let listener = std::fs::read_to_string(out.join("server/network/listener.ora")).unwrap();
    assert!(
        listener.contains("SID_LIST_LISTENER") && listener.contains("(SID_NAME = ORCL)"),
        "{listener}"
    );
    assert!(!listener.contains("PROTOCOL = TCP)"), "{listener}");
    assert!(listener.contains("(PORT = 2485)"));
    let tns = std::fs::read_to_string(out.join("client/network/tnsnames.ora")).unwrap();
    assert!(
        tns.contains("ORCL =") && tns.contains("(SID = ORCL)"),
        "{tns}"
    );
    for file in ["server/network/listener.ora", "client/network/tnsnames.ora"] {
        // The default install directories do not exist here; only that may be reported.
        let checked = run(orakit()
            .args(["net", "check", "--json"])
            .arg(out.join(file)));
        let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
        for finding in report["findings"].as_array().unwrap() {
            assert_eq!(finding["code"], "wallet-missing", "{file}: {finding}");
        }
    }

    // No password source and no terminal: a usage error that names the options, nothing written.
    let err = run_fails(
        orakit()
            .args(words("tcps init --host localhost --service S --out"))
            .arg(dir.path().join("nopw"))
            .stdin(std::process::Stdio::null()),
        2,
    );
    assert!(err.contains("--generate-password"), "{err}");
    assert!(!dir.path().join("nopw").exists());
}

/// `orakit tcps init` for localhost with a generated password, writing to `out`.
fn minimal_init(out: &std::path::Path) -> std::process::Command {
    let mut cmd = orakit();
    cmd.args(words("tcps init --host localhost --service S"))
        .args(["--generate-password", "--out"])
        .arg(out);
    cmd
}
