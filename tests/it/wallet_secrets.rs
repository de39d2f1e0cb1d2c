//! Secrets on the terminal and generic secret-store entries (mkstore -createEntry,
//! -viewEntry, -modifyEntry, -deleteEntry, -list), checked with walletcheck.py.

use crate::support::{self, run, run_fails, run_ok, stdout};
use crate::wallet_credentials::{DB_PW, PW, add_credential, alias_values, cmd, wc_bags, with_pw};

#[test]
fn secrets_never_reach_the_terminal_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    run_ok(&mut with_pw(cmd(&["create"], &dir), PW));
    add_credential(&dir, Some(PW), "hr_db", "hr", DB_PW);
    let mut c = with_pw(
        cmd(
            &[
                "secret",
                "create",
                "--alias",
                "app.token",
                "--secret-env",
                "ORAKIT_DBPW",
            ],
            &dir,
        ),
        PW,
    );
    c.env("ORAKIT_DBPW", "tok-SECRET-123");
    let mut outputs = vec![run_ok(&mut c)];
    let mut m = with_pw(
        cmd(
            &[
                "credential",
                "modify",
                "--connect-string",
                "hr_db",
                "--secret-env",
                "ORAKIT_DBPW",
            ],
            &dir,
        ),
        PW,
    );
    m.env("ORAKIT_DBPW", DB_PW);
    outputs.push(run_ok(&mut m));
    for args in [
        &["credential", "list"][..],
        &["credential", "list", "--json"],
        &["secret", "list"],
        &["secret", "list", "--json"],
        &["display"],
        &["display", "--json"],
    ] {
        outputs.push(run_ok(&mut with_pw(cmd(args, &dir), PW)));
    }
    // A failing command does not echo the secret either.
    let mut dup = with_pw(
        cmd(
            &[
                "credential",
                "add",
                "--connect-string",
                "hr_db",
                "--username",
                "hr",
                "--secret-env",
                "ORAKIT_DBPW",
            ],
            &dir,
        ),
        PW,
    );
    dup.env("ORAKIT_DBPW", DB_PW);
    outputs.push(run(&mut dup));
    for out in &outputs {
        for secret in [DB_PW, "tok-SECRET-123", PW] {
            assert!(!stdout(out).contains(secret), "stdout: {}", stdout(out));
            assert!(
                !support::stderr(out).contains(secret),
                "stderr: {}",
                support::stderr(out)
            );
        }
    }
    // Asked for: the JSON carries them.
    let out = run_ok(&mut with_pw(
        cmd(&["credential", "list", "--json", "--show-secrets"], &dir),
        PW,
    ));
    assert!(stdout(&out).contains(DB_PW));
    let out = run_ok(&mut with_pw(
        cmd(&["secret", "view", "--alias", "app.token"], &dir),
        PW,
    ));
    assert_eq!(stdout(&out), "app.token = tok-SECRET-123\n");
    // --show-secrets without --json is a usage error, not a plain-text dump.
    run_fails(
        &mut with_pw(cmd(&["credential", "list", "--show-secrets"], &dir), PW),
        2,
    );
}

#[test]
fn generic_entries_create_modify_delete() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    run_ok(&mut cmd(&["create", "--auto-login-only"], &dir));
    let secret_file = tmp.path().join("s.txt");
    std::fs::write(&secret_file, "first value\n").unwrap();
    run_ok(
        cmd(
            &[
                "secret",
                "create",
                "--alias",
                "ORACLE.SECURITY.DN",
                "--secret-file",
            ],
            &dir,
        )
        .arg(&secret_file),
    );
    std::fs::write(&secret_file, "cn=orcladmin\n").unwrap();
    run_ok(
        cmd(
            &[
                "secret",
                "modify",
                "--alias",
                "ORACLE.SECURITY.DN",
                "--secret-file",
            ],
            &dir,
        )
        .arg(&secret_file),
    );
    run_ok(
        cmd(
            &["secret", "create", "--alias", "other", "--secret-file"],
            &dir,
        )
        .arg(&secret_file),
    );
    run_ok(&mut cmd(&["secret", "delete", "--alias", "other"], &dir));
    let Some(bags) = wc_bags(&dir.join("cwallet.sso"), None) else {
        return;
    };
    assert_eq!(
        alias_values(&bags),
        vec![("ORACLE.SECURITY.DN".to_owned(), "cn=orcladmin".to_owned())]
    );
    assert_eq!(bags[0]["local_key_id_fields"]["kind"], 6);
    let err = run_fails(&mut cmd(&["secret", "view", "--alias", "other"], &dir), 1);
    assert!(err.contains("\"other\""), "{err}");
}
