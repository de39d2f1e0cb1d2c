//! The scripting contract on wallet, net and read-only commands: each mutating command run
//! twice reports `changed: false` the second time and leaves every file's bytes and mtime;
//! `--check` on a change reports it and touches nothing; JSON errors; every document
//! validated against schemas/*.schema.json.

use std::path::Path;
use std::process::Command;

use crate::contract_common::{
    assert_untouched, change_list, json_of, report, snapshot, triple, validate,
};
use crate::support::orakit;
use crate::wallet_common::openssl_cert;

const PW: &str = "Contract1pw";

fn wallet(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = orakit();
    cmd.arg("wallet")
        .args(args)
        .arg("--wallet")
        .arg(dir)
        .args(["--password-env", "CONTRACT_PW", "--json"])
        .env("CONTRACT_PW", PW);
    cmd
}

fn with(mut cmd: Command, extra: &[&str]) -> Command {
    cmd.args(extra);
    cmd
}

#[test]
fn wallet_writers_rerun_unchanged_and_check_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("w");
    let ca = openssl_cert(tmp.path(), "ca", "/O=Contract/CN=Contract Root");
    let p12 = w.join("ewallet.p12").display().to_string();
    let sso = w.join("cwallet.sso").display().to_string();

    // create --check on nothing: says what it would create, creates nothing (not even w).
    let doc = report(
        &mut wallet(&w, &["create", "--auto-login", "--check"]),
        true,
    );
    assert_eq!(doc["check"], true);
    assert!(!w.exists(), "--check created the wallet directory");
    let doc = report(&mut wallet(&w, &["create", "--auto-login"]), true);
    assert_eq!(doc["check"], false);
    assert_eq!(
        change_list(&doc),
        [
            triple("file", "created", w.display().to_string()),
            triple("file", "created", &p12),
            triple("file", "created", &sso),
        ]
    );
    let created = snapshot(&w);
    report(&mut wallet(&w, &["create", "--auto-login"]), false);
    assert_untouched(&created, &snapshot(&w), "create again");

    // add-trusted: --check names the certificate, then the real run, then a no-op rerun.
    let cert = ca.display().to_string();
    let doc = report(
        &mut with(wallet(&w, &["add-trusted", "--cert", &cert]), &["--check"]),
        true,
    );
    assert_eq!(
        change_list(&doc),
        [
            triple(
                "entry",
                "added",
                "trusted-certificate CN=Contract Root,O=Contract"
            ),
            triple("file", "modified", &p12),
            triple("file", "modified", &sso),
        ]
    );
    assert_untouched(&created, &snapshot(&w), "add-trusted --check");
    report(&mut wallet(&w, &["add-trusted", "--cert", &cert]), true);
    let added = snapshot(&w);
    report(&mut wallet(&w, &["add-trusted", "--cert", &cert]), false);
    assert_untouched(&added, &snapshot(&w), "add-trusted again");

    // A stored credential: again with the same user and password is a no-op.
    let cred = |w: &Path| {
        let mut cmd = wallet(
            w,
            &[
                "credential",
                "add",
                "--connect-string",
                "orcl_tls",
                "--username",
                "app",
                "--secret-env",
                "CONTRACT_DB",
            ],
        );
        cmd.env("CONTRACT_DB", "db-Secret-1");
        cmd
    };
    let doc = report(&mut cred(&w), true);
    let secrets: Vec<_> = change_list(&doc)
        .into_iter()
        .filter(|c| c.0 == "entry")
        .collect();
    assert!(
        !secrets.is_empty()
            && secrets
                .iter()
                .all(|c| c.1 == "added" && c.2.starts_with("secret oracle.security.client.")),
        "{doc:#}"
    );
    assert!(
        !doc.to_string().contains("db-Secret-1"),
        "a secret value in the report"
    );
    let stored = snapshot(&w);
    report(&mut cred(&w), false);
    assert_untouched(&stored, &snapshot(&w), "credential add again");

    // export-cert to a file, twice.
    let out = tmp.path().join("exported.pem");
    let export = |w: &Path| {
        with(
            wallet(
                w,
                &["export-cert", "--subject", "CN=Contract Root,O=Contract"],
            ),
            &["--out", out.to_str().unwrap()],
        )
    };
    let doc = report(&mut export(&w), true);
    assert_eq!(
        change_list(&doc),
        [triple("file", "created", out.display().to_string())]
    );
    let exported = snapshot(tmp.path());
    report(&mut export(&w), false);
    assert_untouched(&exported, &snapshot(tmp.path()), "export-cert again");

    // remove --check, remove, and remove again: an error document, nothing touched.
    let remove = |w: &Path, extra: &[&str]| {
        with(
            wallet(w, &["remove", "--subject", "CN=Contract Root,O=Contract"]),
            extra,
        )
    };
    let doc = report(&mut remove(&w, &["--check"]), true);
    validate("wallet-remove", &doc);
    assert_untouched(&exported, &snapshot(tmp.path()), "remove --check");
    let doc = report(&mut remove(&w, &[]), true);
    validate("wallet-remove", &doc);
    assert_eq!(doc["removed"][0]["subject"], "CN=Contract Root,O=Contract");
    assert_eq!(
        change_list(&doc)[0],
        triple(
            "entry",
            "removed",
            "trusted-certificate CN=Contract Root,O=Contract"
        )
    );
    let removed = snapshot(tmp.path());
    let err = json_of(&mut remove(&w, &[]), 1);
    validate("error", &err);
    assert_eq!(err["error"]["exit_code"], 1);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("CN=Contract Root,O=Contract")
    );
    assert_untouched(&removed, &snapshot(tmp.path()), "a failed remove");
}

#[test]
fn net_update_rerun_is_unchanged_and_errors_are_json() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("sqlnet.ora");
    std::fs::write(&file, "# kept\nNAMES.DIRECTORY_PATH = (TNSNAMES)\n").unwrap();
    let update = || {
        let mut cmd = orakit();
        cmd.args([
            "net",
            "sqlnet",
            "--role",
            "server",
            "--wallet-dir",
            "/u01/wallet",
        ])
        .arg("--update")
        .arg(&file)
        .arg("--json");
        cmd
    };
    let before = snapshot(tmp.path());
    let doc = report(&mut with(update(), &["--check"]), true);
    assert_eq!(
        change_list(&doc)
            .iter()
            .map(|c| c.2.clone())
            .collect::<Vec<_>>()
            .last()
            .unwrap(),
        &file.display().to_string()
    );
    assert_untouched(&before, &snapshot(tmp.path()), "net update --check");
    let doc = report(&mut update(), true);
    assert!(
        change_list(&doc).contains(&triple("file", "modified", file.display().to_string())),
        "{doc:#}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("# kept\n") && text.contains("/u01/wallet"),
        "{text}"
    );
    let updated = snapshot(tmp.path());
    report(&mut update(), false);
    report(&mut with(update(), &["--check"]), false);
    assert_untouched(&updated, &snapshot(tmp.path()), "net update again");

    // A usage error (clap's) and a command error, both as JSON with their exit codes.
    let err = json_of(
        orakit().args([
            "net",
            "sqlnet",
            "--role",
            "nope",
            "--wallet-dir",
            "x",
            "--json",
        ]),
        2,
    );
    validate("error", &err);
    assert_eq!(err["error"]["kind"], "usage");
    let err = json_of(
        orakit()
            .args([
                "wallet",
                "add-trusted",
                "--cert",
                "/nonexistent/c.pem",
                "--json",
            ])
            .arg("--wallet")
            .arg(tmp.path().join("none")),
        1,
    );
    validate("error", &err);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/c.pem")
    );
}

#[test]
fn expiry_json_carries_the_schema_version_and_rfc3339_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = openssl_cert(tmp.path(), "ca", "/CN=Expiry Contract");
    let doc = json_of(orakit().args(["expiry", "--json"]).arg(&ca), 3);
    validate("expiry", &doc);
    assert_eq!(doc["certificates"][0]["subject"], "CN=Expiry Contract");
    assert_eq!(doc["certificates"].as_array().unwrap().len(), 1);
    assert!(
        doc.get("changed").is_none(),
        "a read-only command reports no change"
    );
    // The date openssl reads from the certificate, in the contract's one format.
    let end = crate::support::run_ok(
        crate::support::openssl()
            .args(["x509", "-noout", "-enddate", "-dateopt", "iso_8601", "-in"])
            .arg(&ca),
    );
    let end = String::from_utf8_lossy(&end.stdout);
    let iso = end.trim().trim_start_matches("notAfter=").replace(' ', "T");
    assert_eq!(doc["certificates"][0]["not_after"], iso.as_str());
}
