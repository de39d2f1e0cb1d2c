//! `orakit expiry` and the doctor's expiry findings, on certificates openssl made with
//! not-after dates the tests chose: days left are checked against those dates.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::lifecycle_common::{OpensslCa, now_unix, openssl_not_after};
use crate::support::{orakit, run, run_ok, words};
use crate::tcps_common::{PASSWORD, init};

const DAY: i64 = 86_400;

fn expiry_json(args: &[&str], paths: &[&Path]) -> (Option<i32>, Value) {
    let out = run(orakit()
        .arg("expiry")
        .args(args)
        .arg("--json")
        .args(paths)
        .env("TCPS_TEST_PW", PASSWORD));
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), json)
}

fn by_subject<'a>(report: &'a Value, subject: &str) -> Vec<&'a Value> {
    report["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["subject"] == subject)
        .collect()
}

#[test]
fn days_left_and_exit_code_follow_the_dates_openssl_set() {
    let dir = tempfile::tempdir().unwrap();
    let ca = OpensslCa::new(&dir.path().join("ca"), "Expiry Test CA");
    let now = now_unix();
    let tree = dir.path().join("tree");
    fs::create_dir_all(tree.join("nested/deeper")).unwrap();
    // 10.5 days, 3.5 days ago, 100.5 days: whole days rounded down are 10, -4 and 100.
    ca.issue(
        "soon",
        now - DAY,
        now + 10 * DAY + DAY / 2,
        &tree.join("soon.pem"),
        false,
    );
    ca.issue(
        "gone",
        now - 30 * DAY,
        now - 3 * DAY - DAY / 2,
        &tree.join("nested/gone.pem"),
        false,
    );
    let later = dir.path().join("later.pem");
    ca.issue("later", now - DAY, now + 100 * DAY + DAY / 2, &later, false);
    // A bundle of two (later + the CA) deep in the tree, DER elsewhere.
    let bundle = format!(
        "{}{}",
        fs::read_to_string(&later).unwrap(),
        fs::read_to_string(&ca.cert).unwrap()
    );
    fs::write(tree.join("nested/deeper/bundle.crt"), bundle).unwrap();
    run_ok(
        crate::support::openssl()
            .args(words("x509 -outform DER -in"))
            .arg(&later)
            .arg("-out")
            .arg(tree.join("later.der")),
    );
    fs::write(tree.join("notes.txt"), "not a certificate\n").unwrap();
    // A link out of the tree is not followed; one inside is (and is not counted twice
    // as a directory).
    std::os::unix::fs::symlink(&ca.dir, tree.join("out-link")).unwrap();
    std::os::unix::fs::symlink(tree.join("nested"), tree.join("in-link")).unwrap();

    let (code, report) = expiry_json(&[], &[&tree]);
    assert_eq!(code, Some(3), "{report:#}");
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["within_days"], 30);
    let soon = by_subject(&report, "CN=soon");
    assert_eq!(soon.len(), 1, "{report:#}");
    assert_eq!(soon[0]["days_left"], 10);
    assert_eq!(soon[0]["expiring"], true);
    assert_eq!(soon[0]["expired"], false);
    let gone = by_subject(&report, "CN=gone");
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0]["days_left"], -4);
    assert_eq!(gone[0]["expired"], true);
    let end = now - 3 * DAY - DAY / 2;
    let expected_date = String::from_utf8_lossy(
        &run_ok(std::process::Command::new("date").args([
            "-u",
            "-d",
            &format!("@{end}"),
            "+%Y-%m-%dT%H:%M:%SZ",
        ]))
        .stdout,
    )
    .trim()
    .to_owned();
    assert_eq!(gone[0]["not_after"], expected_date.as_str());
    // later.der and the bundle's first certificate; the CA in the bundle too.
    let later_found = by_subject(&report, "CN=later");
    assert_eq!(later_found.len(), 2, "{report:#}");
    assert!(later_found.iter().all(|c| c["days_left"] == 100));
    assert_eq!(by_subject(&report, "CN=Expiry Test CA").len(), 1);
    let skipped = report["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["path"].as_str().unwrap().ends_with("out-link")
                && s["reason"].as_str().unwrap().contains("out of the tree")),
        "{report:#}"
    );
    assert_eq!(report["expiring"], 2);
    assert_eq!(report["expired"], 1);

    // Only the 100-day certificate: 0 with the default window, 3 with --within 101.
    let (code, _) = expiry_json(&[], &[&later]);
    assert_eq!(code, Some(0));
    let (code, _) = expiry_json(&["--within", "101"], &[&later]);
    assert_eq!(code, Some(3));
    // --follow-symlinks reads the CA directory the link leads to.
    let (_, followed) = expiry_json(&["--follow-symlinks"], &[&tree]);
    assert_eq!(by_subject(&followed, "CN=Expiry Test CA").len(), 2);

    let text = run(orakit().arg("expiry").arg(&tree));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!("EXPIRED on {expected_date}")),
        "{text}"
    );
    assert!(text.contains("expires in 10 days"), "{text}");
}

#[test]
fn wallets_are_read_from_the_sso_or_with_the_password_from_the_p12() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &["--days", "20"]);
    let end = openssl_not_after(&out.join("server/server.pem"));
    let before = now_unix();
    let (code, sso) = expiry_json(&[], &[&out.join("server/wallet")]);
    let (_, p12) = expiry_json(
        &["--password-env", "TCPS_TEST_PW"],
        &[&out.join("server/wallet")],
    );
    let after = now_unix();
    assert_eq!(code, Some(3), "20 days is within the default 30");
    for (report, file) in [(&sso, "cwallet.sso"), (&p12, "ewallet.p12")] {
        let user = by_subject(report, "CN=localhost");
        assert_eq!(user.len(), 1, "{report:#}");
        assert!(user[0]["file"].as_str().unwrap().ends_with(file));
        assert_eq!(user[0]["wallet_role"], "user");
        let left = user[0]["days_left"].as_i64().unwrap();
        let expected = [
            (end - before).div_euclid(DAY),
            (end - after).div_euclid(DAY),
        ];
        assert!(expected.contains(&left), "{left} not in {expected:?}");
        let root = by_subject(report, "CN=localhost TCPS Root CA");
        assert_eq!(root[0]["wallet_role"], "trusted");
    }
    // A p12 named without a password is skipped with a note, not an error.
    let (code, report) = expiry_json(&[], &[&out.join("server/wallet/ewallet.p12")]);
    assert_eq!(code, Some(0));
    assert!(
        report["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("--password-env")
    );
}

fn doctor(tns_admin: &Path, extra: &[&str]) -> (Option<i32>, String, Value) {
    let text = run(orakit()
        .arg("doctor")
        .arg("--tns-admin")
        .arg(tns_admin)
        .args(extra));
    let json = run(orakit()
        .arg("doctor")
        .arg("--tns-admin")
        .arg(tns_admin)
        .args(extra)
        .arg("--json"));
    (
        text.status.code(),
        String::from_utf8_lossy(&text.stdout).into_owned(),
        serde_json::from_slice(&json.stdout).unwrap(),
    )
}

#[test]
fn doctor_warns_about_a_server_certificate_that_ends_in_10_days() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &["--days", "10"]);
    let end = openssl_not_after(&out.join("server/server.pem"));
    let left = (end - now_unix()).div_euclid(DAY);
    let (code, text, json) = doctor(&out.join("server/network"), &[]);
    assert_eq!(code, Some(0), "a warning is not a problem: {text}");
    assert!(!text.contains("No problems found."), "{text}");
    assert!(text.contains("WARNING [cert-expires-soon]"), "{text}");
    assert!(text.contains(&format!("{left} days left")), "{text}");
    assert_eq!(json["warnings"], 1, "{json:#}");
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "cert-expires-soon")
        .unwrap();
    assert_eq!(finding["severity"], "warning");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("CN=localhost")
    );
    // A window shorter than what is left: no warning.
    let (code, text, _) = doctor(&out.join("server/network"), &["--within", "5"]);
    assert_eq!(code, Some(0));
    assert!(text.contains("No problems found."), "{text}");
}

#[test]
fn an_expired_root_nothing_chains_to_is_a_note_and_one_in_use_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &[]);
    let ca = OpensslCa::new(&dir.path().join("ossl"), "Unused Issuer");
    let now = now_unix();
    let old_root = dir.path().join("old-root.pem");
    ca.issue(
        "Old Expired Root",
        now - 400 * DAY,
        now - 20 * DAY,
        &old_root,
        true,
    );
    for wallet in ["server/wallet", "client/wallet"] {
        run_ok(
            orakit()
                .args(words("wallet add-trusted --wallet"))
                .arg(out.join(wallet))
                .arg("--cert")
                .arg(&old_root)
                .args(["--password-env", "TCPS_TEST_PW"])
                .env("TCPS_TEST_PW", PASSWORD),
        );
    }
    for side in ["server/network", "client/network"] {
        let (code, text, json) = doctor(&out.join(side), &[]);
        assert_eq!(code, Some(0), "{side}: {text}");
        assert!(
            text.contains("note [cert-expired-unused]"),
            "{side}: {text}"
        );
        assert!(text.contains("CN=Old Expired Root"), "{text}");
        assert_eq!(json["problems"], 0);
    }
    // A client wallet that trusts only the expired root: that is a problem.
    let lone = dir.path().join("lone");
    fs::create_dir_all(&lone).unwrap();
    run_ok(
        orakit()
            .args(words("wallet create --auto-login-only --wallet"))
            .arg(&lone),
    );
    run_ok(
        orakit()
            .args(words("wallet add-trusted --wallet"))
            .arg(&lone)
            .arg("--cert")
            .arg(&old_root),
    );
    let admin = dir.path().join("admin");
    fs::create_dir_all(&admin).unwrap();
    fs::write(
        admin.join("sqlnet.ora"),
        format!(
            "WALLET_LOCATION = (SOURCE = (METHOD = FILE)(METHOD_DATA = (DIRECTORY = {})))\n",
            lone.display()
        ),
    )
    .unwrap();
    let (code, text, _) = doctor(&admin, &[]);
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("PROBLEM [cert-expired"), "{text}");
}

#[test]
fn doctor_warns_when_the_only_root_a_client_trusts_ends_soon() {
    let dir = tempfile::tempdir().unwrap();
    let out = init(dir.path(), "tcps", &["--ca-days", "12", "--days", "10"]);
    let end = openssl_not_after(&out.join("ca/ca.pem"));
    let left = (end - now_unix()).div_euclid(DAY);
    let (code, text, json) = doctor(&out.join("client/network"), &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("WARNING [cert-expires-soon]"), "{text}");
    assert!(
        text.contains("TCPS Root CA\" expires on") && text.contains(&format!("{left} days left")),
        "{text}"
    );
    assert_eq!(json["warnings"], 1, "{json:#}");
}
