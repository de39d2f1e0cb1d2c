//! Issue 14's wallet forms and mkstore's user credentials, both ways with Oracle's tools:
//! mkstore `-createUserCredential` / `-modifyUserCredential` / `-deleteUserCredential`
//! against `orakit wallet user-credential add|list|modify|delete`.

use std::path::Path;

use crate::oracle_writes::wrl;
use crate::peers::{RELEASES, mkstore};
use crate::support::{orakit, run_fails, run_ok, stdout};

const PWD: &str = "RingFormats2026pwd#";

/// `orakit wallet user-credential list --json --show-secrets` of `file` (no password for
/// a cwallet.sso) as (map, key, user, password) tuples, sorted.
fn orakit_user_credentials(file: &Path, password: Option<&str>) -> Vec<[String; 4]> {
    let mut cmd = orakit();
    cmd.args([
        "wallet",
        "user-credential",
        "list",
        "--json",
        "--show-secrets",
    ])
    .arg("--wallet")
    .arg(file);
    if let Some(p) = password {
        cmd.args(["--password-env", "RING_PW"]).env("RING_PW", p);
    }
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run_ok(&mut cmd))).unwrap();
    let mut out: Vec<[String; 4]> = doc["user_credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["expiry"], "NEVER_EXPIRE");
            ["map", "key", "username", "password"].map(|f| c[f].as_str().unwrap().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn tuple(map: &str, key: &str, user: &str, password: &str) -> [String; 4] {
    [map, key, user, password].map(str::to_owned)
}

/// An orakit user-credential command on `w` with the stored password in `$RING_SECRET`.
fn kit(w: &Path, args: &[&str], secret: Option<&str>) -> std::process::Command {
    let mut cmd = orakit();
    cmd.args(["wallet", "user-credential"])
        .args(args)
        .arg("--wallet")
        .arg(w)
        .args(["--password-env", "RING_PW"])
        .env("RING_PW", PWD);
    if let Some(v) = secret {
        cmd.args(["--secret-env", "RING_SECRET"])
            .env("RING_SECRET", v);
    }
    cmd
}

#[test]
fn user_credentials_move_both_ways_between_mkstore_and_orakit() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let w = tmp.path().join("w");
        let pw = format!("{PWD}\n");
        mkstore(release, &wrl(&w, "-create"), &format!("{PWD}\n{PWD}\n")).ok();
        let ms = |line: &str| mkstore(release, &wrl(&w, line), &pw).ok().stdout;
        ms("-createUserCredential mapA keyA scott Tiger4Ring");
        ms("-createUserCredential mapB keyB hr Hr4RingPw");
        ms("-createCredential db1 system Sys4RingPw");

        // orakit reads what mkstore stored, from both files; connect-string credentials stay
        // apart.
        let expected = vec![
            tuple("mapA", "keyA", "scott", "Tiger4Ring"),
            tuple("mapB", "keyB", "hr", "Hr4RingPw"),
        ];
        assert_eq!(
            orakit_user_credentials(&w.join("ewallet.p12"), Some(PWD)),
            expected
        );
        assert_eq!(
            orakit_user_credentials(&w.join("cwallet.sso"), None),
            expected
        );

        // orakit changes them: mkstore sees exactly that.
        run_ok(&mut kit(
            &w,
            &[
                "modify", "--map", "mapA", "--key", "keyA", "--user", "adams",
            ],
            Some("New4RingPw"),
        ));
        run_ok(&mut kit(
            &w,
            &["delete", "--map", "mapB", "--key", "keyB"],
            None,
        ));
        run_ok(&mut kit(
            &w,
            &["add", "--map", "mapC", "--key", "keyC", "--user", "carl"],
            Some("Carl4RingPw"),
        ));
        let view = ms("-viewEntry mapA@#3#@keyA");
        assert!(
            view.contains(
                "mapA@#3#@keyA = {pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@adams@#111#@New4RingPw"
            ),
            "{view}"
        );
        let view = ms("-viewEntry mapC@#3#@keyC");
        assert!(
            view.contains(
                "mapC@#3#@keyC = {pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@carl@#111#@Carl4RingPw"
            ),
            "{view}"
        );
        let list = ms("-list");
        assert!(list.contains("mapA@#3#@keyA\n") && list.contains("mapC@#3#@keyC\n"));
        assert!(!list.contains("mapB@#3#@keyB"), "{list}");
        let creds = ms("-listCredential");
        assert!(creds.contains("1: db1 system"), "{creds}");

        // mkstore changes orakit's entries; orakit reads the result.
        ms("-modifyUserCredential mapC keyC carl2 Carl5RingPw");
        ms("-deleteUserCredential mapA keyA");
        assert_eq!(
            orakit_user_credentials(&w.join("cwallet.sso"), None),
            [tuple("mapC", "keyC", "carl2", "Carl5RingPw")]
        );

        // A duplicate or a missing entry: one error, nothing written.
        let before = std::fs::read(w.join("ewallet.p12")).unwrap();
        let dup = run_fails(
            &mut kit(
                &w,
                &["add", "--map", "mapC", "--key", "keyC", "--user", "x"],
                Some("X4RingPw"),
            ),
            1,
        );
        assert!(
            dup.contains("already exists") && dup.contains("mapC"),
            "{}: {dup}",
            release.name()
        );
        let missing = run_fails(
            &mut kit(&w, &["delete", "--map", "mapA", "--key", "keyA"], None),
            1,
        );
        assert!(missing.contains("no user credential"), "{missing}");
        assert_eq!(std::fs::read(w.join("ewallet.p12")).unwrap(), before);
    }
}
