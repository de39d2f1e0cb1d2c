//! Reruns of the commands that write: the second run reports `changed: false` and no
//! file's bytes or mtime change (docs/json.md, "Reruns").

use crate::contract_common::{assert_untouched, snapshot};
use crate::fleet_common::{HEADER, issue, setup};
use crate::support::run_ok;

/// `tcps issue` over complete hosts leaves every file of OUT as it was, summary.json
/// included; a changed host set rewrites the summary.
#[test]
fn tcps_issue_rerun_touches_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d);
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}db01.example.com,,ORCL,2484,\n"),
    )
    .unwrap();
    let first = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let first: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(
        (first["issued"].as_u64(), first["changed"].as_bool()),
        (Some(1), Some(true))
    );
    let out = d.join("out");
    let before = snapshot(&out);
    assert!(before.contains_key(&out.join("summary.json")));

    let second = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let second: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(second["changed"], false, "{second:#}");
    assert_eq!(second["changes"], serde_json::json!([]), "{second:#}");
    assert_eq!(
        (second["skipped"].as_u64(), second["issued"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(second["hosts"][0]["status"], "skipped", "{second:#}");
    assert_untouched(&before, &snapshot(&out), "tcps issue rerun");

    // A second host: it is issued and the summary now lists both.
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}db01.example.com,,ORCL,2484,\ndb02.example.com,,ORCL,2484,\n"),
    )
    .unwrap();
    let third = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let third: serde_json::Value = serde_json::from_slice(&third.stdout).unwrap();
    assert_eq!(
        (third["issued"].as_u64(), third["skipped"].as_u64()),
        (Some(1), Some(1))
    );
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let mut listed: Vec<&str> = on_disk["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, ["db01.example.com", "db02.example.com"]);
    assert_eq!(on_disk["issued"], 1);
}

const PW: &str = "Reruns1pw";

/// `orakit wallet ARGS --wallet DIR --json`, the wallet password and the value to store
/// (`--secret-env`) from the environment.
fn wallet(dir: &std::path::Path, args: &[&str], secret: &str) -> std::process::Command {
    let mut cmd = crate::support::orakit();
    cmd.arg("wallet")
        .args(args)
        .arg("--wallet")
        .arg(dir)
        .args(["--password-env", "RERUNS_PW", "--json"])
        .env("RERUNS_PW", PW)
        .env("RERUNS_SECRET", secret);
    cmd
}

/// `user-credential add` and `secret create` of what is already stored: `changed: false`,
/// nothing written; another value under the same name is still refused, nothing written.
#[test]
fn stored_secrets_rerun_unchanged() {
    use crate::contract_common::report;
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("w");
    report(&mut wallet(&w, &["create", "--auto-login"], ""), true);
    let add = [
        "user-credential",
        "add",
        "--map",
        "dbmap",
        "--key",
        "app",
        "--user",
        "scott",
        "--secret-env",
        "RERUNS_SECRET",
    ];
    let create = [
        "secret",
        "create",
        "--alias",
        "app.token",
        "--secret-env",
        "RERUNS_SECRET",
    ];
    report(&mut wallet(&w, &add, "Tiger9stored"), true);
    report(&mut wallet(&w, &create, "Token7value"), true);
    let stored = snapshot(&w);

    report(&mut wallet(&w, &add, "Tiger9stored"), false);
    report(&mut wallet(&w, &create, "Token7value"), false);
    assert_untouched(
        &stored,
        &snapshot(&w),
        "user-credential add / secret create again",
    );

    // Another password or value is not a rerun: refused as before.
    let err = crate::support::run_fails(&mut wallet(&w, &add, "Other9password"), 1);
    assert!(
        err.contains("already exists") && err.contains("dbmap"),
        "{err}"
    );
    let err = crate::support::run_fails(&mut wallet(&w, &create, "Other7value"), 1);
    assert!(
        err.contains("already exists") && err.contains("app.token"),
        "{err}"
    );
    assert_untouched(&stored, &snapshot(&w), "refused duplicates");

    // The stored value is still the first one.
    let shown = crate::support::run_ok(&mut wallet(&w, &["secret", "list", "--show-secrets"], ""));
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let token = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["alias"] == "app.token")
        .unwrap();
    assert_eq!(token["value"], "Token7value");
}

/// `wallet add-key` of a subject whose key of that type is already pending: `changed:
/// false`, nothing written; another key type for that subject is still refused.
#[test]
fn add_key_rerun_unchanged() {
    use crate::contract_common::report;
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("w");
    report(&mut wallet(&w, &["create", "--auto-login"], ""), true);
    let add = |key_type: &str| {
        wallet(
            &w,
            &[
                "add-key",
                "--subject",
                "CN=db1.reruns.example,O=Reruns",
                "--key-type",
                key_type,
            ],
            "",
        )
    };
    report(&mut add("p256"), true);
    let added = snapshot(&w);
    report(&mut add("p256"), false);
    assert_untouched(&added, &snapshot(&w), "add-key again");
    let err = crate::support::run_fails(&mut add("p384"), 1);
    assert!(err.contains("already holds a key and request"), "{err}");
    assert_untouched(&added, &snapshot(&w), "add-key of another type");
    // The wallet still holds one request, with the P-256 key (openssl reads it).
    let request = tmp.path().join("req.pem");
    let out = request.display().to_string();
    crate::support::run_ok(&mut wallet(&w, &["export-request", "--out", &out], ""));
    let text = crate::support::stdout(&crate::support::run_ok(
        crate::support::openssl()
            .args(["req", "-noout", "-text", "-in"])
            .arg(&request),
    ));
    assert!(
        text.contains("prime256v1") || text.contains("P-256"),
        "{text}"
    );
    assert!(
        text.contains("CN = db1.reruns.example") || text.contains("CN=db1.reruns.example"),
        "{text}"
    );
}

/// `--check` in text: the messages say what would be done, and nothing is.
#[test]
fn check_in_text_says_would() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("w");
    let ca = crate::support::openssl_self_signed(tmp.path(), "ca", "/O=Reruns/CN=Reruns Root");
    let text = |args: &[&str]| {
        let mut cmd = crate::support::orakit();
        cmd.arg("wallet")
            .args(args)
            .arg("--wallet")
            .arg(&w)
            .args(["--password-env", "RERUNS_PW", "--check"])
            .env("RERUNS_PW", PW);
        let out = crate::support::run_ok(&mut cmd);
        assert!(
            out.stdout.is_empty(),
            "{args:?}: text mode printed on stdout"
        );
        String::from_utf8(out.stderr).unwrap()
    };
    let err = text(&["create", "--auto-login"]);
    assert!(
        err.contains("would create auto-login wallet") || err.contains("would create"),
        "{err}"
    );
    assert!(!err.contains("created"), "{err}");
    assert!(!w.exists(), "--check created the wallet");
    crate::contract_common::report(&mut wallet(&w, &["create", "--auto-login"], ""), true);
    let before = snapshot(&w);
    let err = text(&["add-trusted", "--cert", &ca.display().to_string()]);
    assert!(err.contains("would add 1 trusted certificate"), "{err}");
    assert!(
        !err.contains("\nadded") && !err.starts_with("added"),
        "{err}"
    );
    assert_untouched(&before, &snapshot(&w), "add-trusted --check");
}

/// `wallet display --json` matches schemas/wallet-display.schema.json and reports the
/// certificate openssl made (its SHA-256 fingerprint as openssl computes it).
#[test]
fn wallet_display_document_matches_its_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("w");
    let ca = crate::support::openssl_self_signed(tmp.path(), "ca", "/O=Reruns/CN=Display Root");
    crate::contract_common::report(&mut wallet(&w, &["create", "--auto-login"], ""), true);
    let cert = ca.display().to_string();
    crate::contract_common::report(&mut wallet(&w, &["add-trusted", "--cert", &cert], ""), true);
    let fp = crate::support::stdout(&crate::support::run_ok(
        crate::support::openssl()
            .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
            .arg(&ca),
    ));
    let fp: String = fp
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .replace(':', "")
        .to_lowercase();
    let doc = crate::contract_common::json_of(&mut wallet(&w, &["display"], ""), 0);
    crate::contract_common::validate("wallet-display", &doc);
    assert_eq!(doc["wallet_type"], "auto-login", "{doc:#}");
    assert_eq!(doc["counts"]["trusted_certificates"], 1, "{doc:#}");
    let trusted = &doc["trusted_certificates"][0];
    assert_eq!(trusted["subject"], "CN=Display Root,O=Reruns", "{doc:#}");
    assert_eq!(trusted["sha256_fingerprint"], fp.as_str(), "{doc:#}");
}

/// `orakit ARGS` in `dir` with `--json`.
fn pki(dir: &std::path::Path, args: &[&str]) -> std::process::Command {
    let mut cmd = crate::support::orakit();
    cmd.current_dir(dir).args(args).arg("--json");
    cmd
}

/// `orakit ARGS` in `dir`, in text, expected to fail: its standard error.
fn refused(dir: &std::path::Path, args: &[&str]) -> String {
    let mut cmd = crate::support::orakit();
    cmd.current_dir(dir).args(args);
    crate::support::run_fails(&mut cmd, 1)
}

/// `ca init`, `csr create` and `csr sign` run again with the same request: `changed:
/// false`, no byte or mtime changes (the serial file is not advanced); a request that
/// differs is refused naming the file and the difference; openssl still verifies the
/// certificate kept.
#[test]
fn ca_init_csr_create_and_sign_rerun_unchanged() {
    use crate::contract_common::report;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ca = [
        "ca",
        "init",
        "--subject",
        "CN=Reruns Root,O=Reruns",
        "--key-out",
        "ca.key",
        "--key-type",
        "p256",
        "--days",
        "30",
        "--out",
        "ca.pem",
    ];
    let csr = [
        "csr",
        "create",
        "--subject",
        "CN=db1.reruns.example,O=Reruns",
        "--san",
        "db1.reruns.example",
        "--key-out",
        "server.key",
        "--key-type",
        "p256",
        "--out",
        "server.csr",
    ];
    let sign = [
        "csr",
        "sign",
        "server.csr",
        "--ca-cert",
        "ca.pem",
        "--ca-key",
        "ca.key",
        "--serial-file",
        "ca.srl",
        "--days",
        "20",
        "--out",
        "server.pem",
    ];
    for args in [&ca[..], &csr, &sign] {
        report(&mut pki(d, args), true);
    }
    let made = snapshot(d);
    for args in [&ca[..], &csr, &sign] {
        let doc = report(&mut pki(d, args), false);
        assert_eq!(doc["files"], serde_json::json!([]), "{args:?}: {doc:#}");
    }
    assert_untouched(&made, &snapshot(d), "ca init / csr create / csr sign again");

    // The same with --check in text: "already", nothing would change.
    let mut cmd = crate::support::orakit();
    cmd.current_dir(d).args(sign).arg("--check");
    let err = String::from_utf8(crate::support::run_ok(&mut cmd).stderr).unwrap();
    assert!(
        err.contains("already holds this CA's certificate") && err.contains("nothing would change"),
        "{err}"
    );

    let with = |base: &[&str], from: &str, to: &str| -> Vec<String> {
        base.iter()
            .map(|a| {
                if *a == from {
                    to.to_owned()
                } else {
                    (*a).to_owned()
                }
            })
            .collect()
    };
    let cases = [
        (with(&ca, "30", "31"), "ca.pem", "valid from"),
        (
            with(&ca, "CN=Reruns Root,O=Reruns", "CN=Other Root"),
            "ca.pem",
            "subject CN=Reruns Root,O=Reruns, not CN=Other Root",
        ),
        (
            with(&ca, "p256", "p384"),
            "ca.pem",
            "does not hold an EC P-384 key",
        ),
        (
            with(&csr, "db1.reruns.example", "db2.reruns.example"),
            "server.csr",
            "other requested extensions",
        ),
        (with(&sign, "20", "10"), "server.pem", "valid from"),
        (
            with(&sign, "--days", "--san"),
            "server.pem",
            "other extensions",
        ),
    ];
    for (args, file, difference) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = refused(d, &args);
        assert!(
            err.contains(&format!("{file} already exists and is not what was asked"))
                && err.contains(difference)
                && err.contains("--force"),
            "{args:?}: {err}"
        );
    }
    assert_untouched(&made, &snapshot(d), "refused reruns");

    // The certificate kept is still the CA's: openssl verifies it for serverAuth.
    let out = crate::support::run_ok(crate::support::openssl().current_dir(d).args([
        "verify",
        "-purpose",
        "sslserver",
        "-CAfile",
        "ca.pem",
        "server.pem",
    ]));
    assert!(crate::support::stdout(&out).contains("server.pem: OK"));
}

/// `--check` of ca init, csr create and csr sign in text: every line says "would", no
/// file is written.
#[test]
fn pki_check_in_text_says_would() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let text = |args: &[&str]| {
        let mut cmd = crate::support::orakit();
        cmd.current_dir(d).args(args).arg("--check");
        String::from_utf8(crate::support::run_ok(&mut cmd).stderr).unwrap()
    };
    let err = text(&[
        "ca",
        "init",
        "--subject",
        "CN=Check Root",
        "--key-out",
        "ca.key",
        "--key-type",
        "p256",
        "--out",
        "ca.pem",
    ]);
    assert!(
        err.contains("Would write CA certificate ca.pem")
            && err.contains("Would write EC P-256 CA private key ca.key")
            && !err.contains("Wrote"),
        "{err}"
    );
    let err = text(&["key", "generate", "--key-type", "p256", "--out", "k.pem"]);
    assert!(
        err.contains("Would write EC P-256 private key k.pem"),
        "{err}"
    );
    assert!(!err.contains("Wrote"), "{err}");
    assert_eq!(
        std::fs::read_dir(d).unwrap().count(),
        0,
        "--check wrote a file"
    );
}

const KEY_PW: &str = "Export9key";

/// `wallet add-self-signed` and `wallet export-key` again: `changed: false`, nothing
/// written (the exported key is decrypted and compared, not rewritten); another key
/// type, validity, password or encryption is refused naming the difference.
#[test]
fn add_self_signed_and_export_key_rerun_unchanged() {
    use crate::contract_common::report;
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("w");
    report(&mut wallet(&w, &["create", "--auto-login"], ""), true);
    let subject = "CN=self.reruns.example,O=Reruns";
    let add = |days: &str, key_type: &str| {
        wallet(
            &w,
            &[
                "add-self-signed",
                "--subject",
                subject,
                "--days",
                days,
                "--key-type",
                key_type,
                "--ski",
            ],
            "",
        )
    };
    let key_out = tmp.path().join("key.pem");
    let out = key_out.display().to_string();
    let export = |pw: &str, extra: &[&str]| {
        let mut cmd = wallet(&w, &["export-key", "--subject", subject, "--out", &out], "");
        cmd.args(extra).env("RERUNS_KEY_PW", pw);
        cmd
    };
    let keypw = ["--key-password-env", "RERUNS_KEY_PW"];
    report(&mut add("30", "p256"), true);
    report(&mut export(KEY_PW, &keypw), true);
    let made = snapshot(tmp.path());
    let doc = report(&mut add("30", "p256"), false);
    assert_eq!(doc["subject"], subject, "{doc:#}");
    report(&mut export(KEY_PW, &keypw), false);
    assert_untouched(
        &made,
        &snapshot(tmp.path()),
        "add-self-signed / export-key again",
    );

    let err = crate::support::run_fails(&mut add("31", "p256"), 1);
    assert!(err.contains("not the one asked for: valid from"), "{err}");
    let err = crate::support::run_fails(&mut add("30", "rsa2048"), 1);
    assert!(err.contains("EC P-256 key, not RSA 2048-bit"), "{err}");
    let err = crate::support::run_fails(&mut export("Other9password", &keypw), 1);
    assert!(
        err.contains("key.pem already exists and is not what was asked")
            && err.contains("does not open with the password given"),
        "{err}"
    );
    let err = crate::support::run_fails(&mut export("", &["--unencrypted"]), 1);
    assert!(err.contains("encrypted, not in clear"), "{err}");
    assert_untouched(&made, &snapshot(tmp.path()), "refused reruns");

    // openssl opens the kept key with the password: the wallet's key, whose public key
    // is the one of the certificate the wallet exports.
    let pubkey = |args: &[&str]| {
        crate::support::stdout(&crate::support::run_ok(
            crate::support::openssl()
                .current_dir(tmp.path())
                .args(args)
                .env("RERUNS_KEY_PW", KEY_PW),
        ))
    };
    let cert = tmp.path().join("cert.pem").display().to_string();
    crate::support::run_ok(&mut wallet(
        &w,
        &["export-cert", "--subject", subject, "--out", &cert],
        "",
    ));
    let from_key = pubkey(&[
        "pkey",
        "-in",
        "key.pem",
        "-passin",
        "env:RERUNS_KEY_PW",
        "-pubout",
    ]);
    let from_cert = pubkey(&["x509", "-in", "cert.pem", "-noout", "-pubkey"]);
    assert!(from_key.contains("BEGIN PUBLIC KEY"), "{from_key}");
    assert_eq!(from_key, from_cert);
}

/// `tcps init --check` in text: the header, the password note and the next steps say
/// what would be written, and nothing is; `tcps issue --check` on an output directory
/// that does not exist yet says which hosts would be issued and writes nothing.
#[test]
fn tcps_check_in_text_says_would() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut cmd = crate::support::orakit();
    cmd.current_dir(d).args([
        "tcps",
        "init",
        "--host",
        "db1.example.com",
        "--service",
        "ORCL",
        "--out",
        "t",
        "--generate-password",
        "--generated-password-file",
        "pw.txt",
        "--check",
    ]);
    let err = String::from_utf8(crate::support::run_ok(&mut cmd).stderr).unwrap();
    assert!(
        err.contains("TCPS set-up that would be written to ")
            && err.contains("/t (--check: nothing written")
            && err.contains("Next steps, once it is written (run again without --check):")
            && err.contains("The server wallet password would be written to ")
            && !err.contains("set-up written")
            && !err.contains("password was written"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(d).unwrap().count(), 0, "--check wrote");

    setup(d);
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}db01.example.com,,ORCL,2484,\n"),
    )
    .unwrap();
    let before = snapshot(d);
    let err = String::from_utf8(
        crate::support::run_ok(issue(d, "hosts.csv", "out").arg("--check")).stderr,
    )
    .unwrap();
    assert!(
        err.contains("would issue db01.example.com (serial ")
            && err.contains("check: 1 would be issued, 0 renewed, 0 skipped, 0 failed")
            && err.contains("check: would create directory ")
            && err.contains("check: nothing was written")
            && !err.contains("summary in"),
        "{err}"
    );
    assert_untouched(&before, &snapshot(d), "tcps issue --check");
}
