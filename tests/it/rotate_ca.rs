//! Reusing and protecting the CA, and the rotation's rules on a `tcps init` output:
//!
//! - `tcps init --encrypt-ca-key` writes `ca/ca.key` as an encrypted PKCS#8 PEM that
//!   `openssl pkey` opens with the password (and not with another), PBES2 / AES-256-CBC
//!   as `openssl asn1parse` shows; `ca init --encrypt` writes the same kind;
//! - every command that signs reads it: `tcps renew`, `tcps issue`, `csr sign`,
//!   `tcps init --ca-dir`, `tcps rotate-root --phase reissue`; a wrong password gives one
//!   message and changes no file;
//! - `tcps init --ca-dir` signs with the given CA (openssl verify) and its client wallet
//!   trusts that CA;
//! - `tcps rotate-root --check` writes nothing; the new root's key is encrypted like the
//!   old one's.

use std::path::Path;

use crate::lifecycle_common::{now_unix, openssl_not_after, snapshot};
use crate::support::{openssl, orakit, run, run_ok, stdout, words};

const PW: &str = "Tcps-ca-2026pw";
const CA_PW: &str = "Ca-Key-Secret-2026";

fn init(d: &Path, name: &str, extra: &[&str]) -> std::process::Output {
    run(orakit()
        .args(words("tcps init --host localhost --service ORCLPDB1"))
        .args(["--password-env", "T_PW", "--out"])
        .arg(d.join(name))
        .args(extra)
        .env("T_PW", PW)
        .env("T_CA_PW", CA_PW)
        .env("T_BAD", "not-the-password"))
}

fn opens_with(key: &Path, password: &str) -> bool {
    run(openssl()
        .args(words("pkey -noout -in"))
        .arg(key)
        .arg("-passin")
        .arg(format!("pass:{password}")))
    .status
    .success()
}

fn assert_pbes2_aes256(key: &Path) {
    let text = stdout(&run_ok(openssl().args(words("asn1parse -in")).arg(key)));
    for oid in ["PBES2", "PBKDF2", "aes-256-cbc"] {
        assert!(
            text.contains(oid),
            "{oid} not in {}:\n{text}",
            key.display()
        );
    }
}

#[test]
fn an_encrypted_ca_key_is_written_and_read_by_every_signer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = init(
        d,
        "enc",
        &["--encrypt-ca-key", "--ca-key-password-env", "T_CA_PW"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let enc = d.join("enc");
    let key = enc.join("ca/ca.key");
    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    );
    assert!(opens_with(&key, CA_PW));
    assert!(!opens_with(&key, "not-the-password"));
    assert_pbes2_aes256(&key);

    // tcps renew: the wrong password is one message and no change; the right one renews.
    let before = snapshot(&enc);
    let renew = |var: &str| {
        run(orakit()
            .args(["tcps", "renew"])
            .arg(&enc)
            .args([
                "--force",
                "--password-env",
                "T_PW",
                "--ca-key-password-env",
                var,
            ])
            .env("T_PW", PW)
            .env("T_CA_PW", CA_PW)
            .env("T_BAD", "not-the-password"))
    };
    let wrong = renew("T_BAD");
    assert!(!wrong.status.success());
    let message = String::from_utf8_lossy(&wrong.stderr);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("ca/ca.key") && message.contains("does not open with the password"),
        "{message}"
    );
    assert_eq!(snapshot(&enc), before);
    let right = renew("T_CA_PW");
    assert!(
        right.status.success(),
        "{}",
        String::from_utf8_lossy(&right.stderr)
    );
    run_ok(
        openssl()
            .args(words("verify -CAfile"))
            .arg(enc.join("ca/ca.pem"))
            .arg(enc.join("server/server.pem")),
    );

    // tcps init --ca-dir with the encrypted CA: signed by it, key still encrypted.
    let wrong = init(
        d,
        "reuse-bad",
        &[
            "--ca-dir",
            &enc.join("ca").display().to_string(),
            "--ca-key-password-env",
            "T_BAD",
        ],
    );
    assert!(!wrong.status.success());
    assert!(!d.join("reuse-bad").exists(), "a failed init left files");
    let reuse = init(
        d,
        "reuse",
        &[
            "--ca-dir",
            &enc.join("ca").display().to_string(),
            "--ca-key-password-env",
            "T_CA_PW",
        ],
    );
    assert!(
        reuse.status.success(),
        "{}",
        String::from_utf8_lossy(&reuse.stderr)
    );
    let reused = d.join("reuse");
    run_ok(
        openssl()
            .args(words("verify -CAfile"))
            .arg(enc.join("ca/ca.pem"))
            .arg(reused.join("server/server.pem")),
    );
    assert_eq!(
        std::fs::read(reused.join("ca/ca.pem")).unwrap(),
        std::fs::read(enc.join("ca/ca.pem")).unwrap()
    );
    assert!(opens_with(&reused.join("ca/ca.key"), CA_PW));
    assert_eq!(
        std::fs::read_to_string(reused.join("client/wallet/ewallet.pem")).unwrap(),
        std::fs::read_to_string(enc.join("ca/ca.pem")).unwrap()
    );

    // csr sign and tcps issue read the encrypted key as well.
    let server_key = d.join("s.key");
    run_ok(
        openssl()
            .args(words(
                "req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes",
            ))
            .args(["-subj", "/CN=signed.example.com", "-keyout"])
            .arg(&server_key)
            .arg("-out")
            .arg(d.join("s.csr")),
    );
    let sign = |var: &str| {
        run(orakit()
            .args(["csr", "sign"])
            .arg(d.join("s.csr"))
            .arg("--ca-cert")
            .arg(enc.join("ca/ca.pem"))
            .arg("--ca-key")
            .arg(&key)
            .args(["--ca-key-password-env", var, "--force", "--out"])
            .arg(d.join("s.pem"))
            .env("T_CA_PW", CA_PW)
            .env("T_BAD", "not-the-password"))
    };
    assert!(!sign("T_BAD").status.success());
    assert!(!d.join("s.pem").exists());
    assert!(sign("T_CA_PW").status.success());
    run_ok(
        openssl()
            .args(words("verify -CAfile"))
            .arg(enc.join("ca/ca.pem"))
            .arg(d.join("s.pem")),
    );
    std::fs::write(
        d.join("hosts.csv"),
        "host,sans,service,tcps_port,tcp_port\nh1.example.com,,S,2484,\n",
    )
    .unwrap();
    let fleet = run(orakit()
        .args(["tcps", "issue", "--ca-dir"])
        .arg(enc.join("ca"))
        .arg("--hosts")
        .arg(d.join("hosts.csv"))
        .arg("--out")
        .arg(d.join("fleet"))
        .args(["--password-env", "T_PW", "--ca-key-password-env", "T_CA_PW"])
        .env("T_PW", PW)
        .env("T_CA_PW", CA_PW));
    assert!(
        fleet.status.success(),
        "{}",
        String::from_utf8_lossy(&fleet.stderr)
    );

    // ca init --encrypt: the same kind of key.
    let ca_key = d.join("root.key");
    run_ok(
        orakit()
            .args(["ca", "init", "--subject", "CN=Encrypted Root", "--encrypt"])
            .args(["--password-env", "T_CA_PW", "--key-out"])
            .arg(&ca_key)
            .arg("--out")
            .arg(d.join("root.pem"))
            .env("T_CA_PW", CA_PW),
    );
    assert!(opens_with(&ca_key, CA_PW));
    assert_pbes2_aes256(&ca_key);
}

#[test]
fn a_rotation_of_an_encrypted_ca_plans_writes_and_signs_with_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = init(d, "rot", &["--ca-key-password-env", "T_CA_PW"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rot = d.join("rot");
    let rotate = |phase: &str, extra: &[&str]| {
        run(orakit()
            .args(["tcps", "rotate-root"])
            .arg(&rot)
            .args(["--phase", phase, "--json", "--password-env", "T_PW"])
            .args(extra)
            .env("T_PW", PW)
            .env("T_CA_PW", CA_PW)
            .env("T_BAD", "not-the-password"))
    };
    let before = snapshot(&rot);
    let check = rotate("trust", &["--check", "--ca-key-password-env", "T_CA_PW"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(plan["changed"], true);
    assert_eq!(plan["check"], true);
    assert!(
        plan["files_changed"].as_array().unwrap().len() >= 6,
        "{plan:#}"
    );
    assert_eq!(snapshot(&rot), before, "--check wrote");
    assert!(!rot.join("ca-new").exists());

    let trust = rotate("trust", &["--ca-key-password-env", "T_CA_PW"]);
    assert!(
        trust.status.success(),
        "{}",
        String::from_utf8_lossy(&trust.stderr)
    );
    assert!(opens_with(&rot.join("ca-new/ca.key"), CA_PW));
    assert!(!opens_with(&rot.join("ca-new/ca.key"), "not-the-password"));
    let subject = stdout(&run_ok(
        openssl()
            .args(words("x509 -noout -subject -in"))
            .arg(rot.join("ca-new/ca.pem")),
    ));
    assert!(subject.contains("localhost TCPS Root CA G2"), "{subject}");

    let before = snapshot(&rot);
    let wrong = rotate("reissue", &["--ca-key-password-env", "T_BAD"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("does not open with the password"));
    assert_eq!(snapshot(&rot), before, "a wrong password changed files");
    let reissue = rotate("reissue", &["--ca-key-password-env", "T_CA_PW"]);
    assert!(
        reissue.status.success(),
        "{}",
        String::from_utf8_lossy(&reissue.stderr)
    );
    run_ok(
        openssl()
            .args(words("verify -CAfile"))
            .arg(rot.join("ca-new/ca.pem"))
            .arg(rot.join("server/server.pem")),
    );
    // tcps renew between phases 2 and 3 signs with the new root and leaves the clients'
    // two roots alone.
    let client_pem = std::fs::read(rot.join("client/wallet/ewallet.pem")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&client_pem)
            .matches("BEGIN CERTIFICATE")
            .count(),
        2
    );
    let mid = run(orakit()
        .args(["tcps", "renew"])
        .arg(&rot)
        .args([
            "--force",
            "--password-env",
            "T_PW",
            "--ca-key-password-env",
            "T_CA_PW",
        ])
        .env("T_PW", PW)
        .env("T_CA_PW", CA_PW));
    assert!(
        mid.status.success(),
        "{}",
        String::from_utf8_lossy(&mid.stderr)
    );
    run_ok(
        openssl()
            .args(words("verify -CAfile"))
            .arg(rot.join("ca-new/ca.pem"))
            .arg(rot.join("server/server.pem")),
    );
    assert_eq!(
        std::fs::read(rot.join("client/wallet/ewallet.pem")).unwrap(),
        client_pem
    );
    let check = rotate("retire", &["--check"]);
    assert!(check.status.success());
    let settled = snapshot(&rot);
    assert!(rot.join("ca-new").exists());
    let retire = rotate("retire", &[]);
    assert!(
        retire.status.success(),
        "{}",
        String::from_utf8_lossy(&retire.stderr)
    );
    assert_ne!(snapshot(&rot), settled);
    // DIR/ca is the new CA; tcps renew signs with it.
    let renewed = run(orakit()
        .args(["tcps", "renew"])
        .arg(&rot)
        .args([
            "--force",
            "--password-env",
            "T_PW",
            "--ca-key-password-env",
            "T_CA_PW",
        ])
        .env("T_PW", PW)
        .env("T_CA_PW", CA_PW));
    assert!(
        renewed.status.success(),
        "{}",
        String::from_utf8_lossy(&renewed.stderr)
    );
    run_ok(
        openssl()
            .args(words("verify -CAfile"))
            .arg(rot.join("ca/ca.pem"))
            .arg(rot.join("server/server.pem")),
    );
}

/// `wallet display --json` gives each certificate's days left (orapki's text views stay
/// orapki's): the user certificate's, against the not-after openssl reads.
#[test]
fn wallet_display_json_shows_days_left() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = init(d, "days", &["--days", "45"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(
        &run_ok(
            orakit()
                .args(["wallet", "display", "--json", "--wallet"])
                .arg(d.join("days/server/wallet")),
        )
        .stdout,
    )
    .unwrap();
    let user = &json["user_certificates"][0];
    let expected =
        (openssl_not_after(&d.join("days/server/server.pem")) - now_unix()).div_euclid(86_400);
    let days = user["days_left"].as_i64().unwrap();
    assert!(
        // One day either way: the two clocks are read a moment apart.
        (expected - 1..=expected + 1).contains(&days),
        "{days} vs {expected}: {user:#}"
    );
    assert!((43..=45).contains(&days), "{days}");
    assert!(user["not_before"].is_string() && user["not_after"].is_string());
    let root = &json["trusted_certificates"][0];
    assert!(root["days_left"].as_i64().unwrap() > 3000, "{root:#}");
}

/// The subjects (RFC 2253) of the certificates in a PEM text, as openssl reads them.
fn pem_subjects(dir: &Path, pem: &str) -> Vec<String> {
    let mut subjects: Vec<String> = pem
        .split_inclusive("-----END CERTIFICATE-----")
        .filter(|b| b.contains("BEGIN CERTIFICATE"))
        .map(|block| {
            let file = dir.join("one.pem");
            std::fs::write(&file, block.trim_start()).unwrap();
            let text = stdout(&run_ok(
                openssl()
                    .args(words("x509 -noout -subject -nameopt RFC2253 -in"))
                    .arg(&file),
            ));
            text.trim().trim_start_matches("subject=").to_owned()
        })
        .collect();
    subjects.sort();
    subjects
}

/// The roots the server wallet (every certificate openssl reads from ewallet.p12 but the
/// server's own) and the client's ewallet.pem hold.
fn roots_held(rot: &Path, scratch: &Path) -> (Vec<String>, Vec<String>) {
    let server = stdout(&run_ok(
        openssl()
            .args(words("pkcs12 -nokeys -passin env:T_PW -in"))
            .arg(rot.join("server/wallet/ewallet.p12"))
            .env("T_PW", PW),
    ));
    let client = std::fs::read_to_string(rot.join("client/wallet/ewallet.pem")).unwrap();
    let own = subject_of(&rot.join("server/server.pem"));
    let mut server = pem_subjects(scratch, &server);
    assert!(server.contains(&own), "{server:?}");
    server.retain(|s| *s != own);
    (server, pem_subjects(scratch, &client))
}

fn subject_of(pem: &Path) -> String {
    let text = stdout(&run_ok(
        openssl()
            .args(words("x509 -noout -subject -nameopt RFC2253 -in"))
            .arg(pem),
    ));
    text.trim().trim_start_matches("subject=").to_owned()
}

fn verifies(ca: &Path, cert: &Path) -> bool {
    run(openssl().args(words("verify -CAfile")).arg(ca).arg(cert))
        .status
        .success()
}

/// Two rotations in a row on one `tcps init` output: after the first one's phase 3,
/// `--phase trust` starts the second (the first goes into the record's history); each of
/// its phases leaves the wallets holding exactly the expected roots (openssl reads them)
/// and runs a second time without changing a byte or mtime; another new CA while it is
/// under way is refused naming the phase to finish.
#[test]
fn a_second_rotation_starts_after_the_first_is_retired() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = init(d, "rot", &["--key-type", "p256"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rot = d.join("rot");
    let rotate = |phase: &str, extra: &[&str]| {
        let out = run(orakit()
            .args(["tcps", "rotate-root"])
            .arg(&rot)
            .args(["--phase", phase, "--json", "--password-env", "T_PW"])
            .args(extra)
            .env("T_PW", PW));
        assert!(
            out.status.success(),
            "{phase}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // Each phase, then the same again: nothing changes.
    let twice = |phase: &str| {
        assert_eq!(rotate(phase, &[])["changed"], true, "{phase}");
        let before = snapshot(&rot);
        let again = rotate(phase, &[]);
        assert_eq!(again["changed"], false, "{phase} again: {again:#}");
        assert_eq!(snapshot(&rot), before, "{phase} again wrote");
    };
    let first = subject_of(&rot.join("ca/ca.pem"));
    for phase in ["trust", "reissue", "retire"] {
        twice(phase);
    }
    let g2 = subject_of(&rot.join("ca/ca.pem"));
    assert!(g2.contains("G2"), "{g2}");
    assert_eq!(roots_held(&rot, d), (vec![g2.clone()], vec![g2.clone()]));

    // The second rotation: phase 1 trusts G3 beside G2.
    twice("trust");
    let g3 = subject_of(&rot.join("ca-new/ca.pem"));
    assert!(g3.contains("G3"), "{g3}");
    let both = {
        let mut v = vec![g2.clone(), g3.clone()];
        v.sort();
        v
    };
    assert_eq!(roots_held(&rot, d), (both.clone(), both.clone()));
    assert!(verifies(
        &rot.join("ca/ca.pem"),
        &rot.join("server/server.pem")
    ));
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rot.join("orakit-rotation.json")).unwrap()).unwrap();
    assert_eq!(record["history"].as_array().unwrap().len(), 1, "{record:#}");
    assert_eq!(record["history"][0]["old_root"]["subject"], first.as_str());
    assert_eq!(record["history"][0]["new_root"]["subject"], g2.as_str());
    assert_eq!(record["new_root"]["subject"], g3.as_str());

    // Another new CA while this one is under way: refused, nothing written.
    std::fs::create_dir(d.join("other")).unwrap();
    run_ok(orakit().current_dir(d).args(words(
        "ca init --subject CN=Other --key-type p256 --key-out other/ca.key --out other/ca.pem",
    )));
    let before = snapshot(&rot);
    let refused = run(orakit()
        .args(["tcps", "rotate-root"])
        .arg(&rot)
        .args(["--phase", "trust", "--password-env", "T_PW", "--new-ca-dir"])
        .arg(d.join("other"))
        .env("T_PW", PW));
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("phase 1 (trust, done)") && message.contains("--phase reissue"),
        "{message}"
    );
    assert_eq!(snapshot(&rot), before, "a refused rotation wrote");

    twice("reissue");
    assert!(verifies(
        &rot.join("ca-new/ca.pem"),
        &rot.join("server/server.pem")
    ));
    assert!(!verifies(
        &rot.join("ca/ca.pem"),
        &rot.join("server/server.pem")
    ));
    assert_eq!(roots_held(&rot, d), (both.clone(), both));

    twice("retire");
    assert_eq!(subject_of(&rot.join("ca/ca.pem")), g3);
    assert!(verifies(
        &rot.join("ca/ca.pem"),
        &rot.join("server/server.pem")
    ));
    assert_eq!(roots_held(&rot, d), (vec![g3.clone()], vec![g3]));
    assert!(rot.join("ca-retired/ca.pem").is_file());
    let kept: Vec<String> = std::fs::read_dir(&rot)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ca-retired-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
}
