//! Permissions and secrets: keys 0600 and certificates 0644 even under umask 000, no
//! password flag that takes a value, no password in error messages.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

use crate::pki_helpers::*;
use crate::support::*;

/// orakit run through `sh` with umask 000, in `dir`.
fn under_umask_000(dir: &Path, args: &[&str]) {
    let mut cmd = Command::new("sh");
    cmd.current_dir(dir)
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(cargo_bin("orakit"))
        .args(args);
    run_ok(&mut cmd);
}

#[test]
fn keys_are_0600_and_certificates_0644_under_umask_000() {
    let dir = scratch();
    let d = dir.path();
    under_umask_000(
        d,
        &["key", "generate", "--key-type", "p256", "--out", "a.key"],
    );
    under_umask_000(
        d,
        &[
            "ca",
            "init",
            "--subject",
            "CN=Root",
            "--key-type",
            "p256",
            "--key-out",
            "ca.key",
            "--out",
            "ca.pem",
        ],
    );
    under_umask_000(
        d,
        &[
            "csr",
            "create",
            "--key-out",
            "s.key",
            "--key-type",
            "p256",
            "--subject",
            "CN=s",
            "--out",
            "s.csr",
        ],
    );
    under_umask_000(
        d,
        &[
            "csr",
            "sign",
            "s.csr",
            "--ca-cert",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--serial-file",
            "ca.srl",
            "--out",
            "s.pem",
        ],
    );
    for key in ["a.key", "ca.key", "s.key"] {
        assert_eq!(mode_of(&d.join(key)), 0o600, "{key}");
    }
    for public in ["ca.pem", "s.csr", "s.pem", "ca.srl"] {
        assert_eq!(mode_of(&d.join(public)), 0o644, "{public}");
    }
    // --force replaces a world-readable key file with a 0600 one.
    std::fs::write(d.join("old.key"), "x").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join("old.key"), std::fs::Permissions::from_mode(0o666)).unwrap();
    under_umask_000(
        d,
        &[
            "key",
            "generate",
            "--key-type",
            "p256",
            "--out",
            "old.key",
            "--force",
        ],
    );
    assert_eq!(mode_of(&d.join("old.key")), 0o600);
}

#[test]
fn help_offers_no_flag_that_takes_a_password_value() {
    for sub in [
        vec!["key", "generate"],
        vec!["ca", "init"],
        vec!["csr", "create"],
        vec!["csr", "sign"],
        vec!["cert", "show"],
    ] {
        let mut args = sub.clone();
        args.push("--help");
        let help = stdout(&run_ok(orakit().args(&args)));
        for word in help.split_whitespace() {
            let flag = word.trim_end_matches([',', '.']);
            if flag.starts_with("--") && (flag.contains("pass") || flag.contains("pw")) {
                assert!(
                    flag.ends_with("-file") || flag.ends_with("-env"),
                    "{sub:?} --help offers {flag}:\n{help}"
                );
            }
        }
    }
}

#[test]
fn a_password_is_never_echoed_in_errors() {
    let dir = scratch();
    let d = dir.path();
    let secret = "Tr0ub4dor&3-very-secret";
    let mut keygen = orakit_in(d);
    keygen.env("PW", secret).args(words(
        "key generate --key-type p256 --password-env PW --out k.key",
    ));
    run_ok(&mut keygen);
    // Wrong password from a file, then a key that is not encrypted with a password given,
    // then an output that already exists: none of the messages may carry a password.
    std::fs::write(d.join("pw.txt"), "another-secret-xyz\n").unwrap();
    for (env, args) in [
        (
            None,
            vec![
                "csr",
                "create",
                "--key",
                "k.key",
                "--password-file",
                "pw.txt",
                "--subject",
                "CN=a",
                "--out",
                "a.csr",
            ],
        ),
        (
            Some(secret),
            vec!["key", "generate", "--password-env", "PW", "--out", "k.key"],
        ),
        (
            Some(secret),
            vec![
                "csr",
                "create",
                "--key",
                "k.key",
                "--password-env",
                "PW",
                "--subject",
                "XX=1",
                "--out",
                "b.csr",
            ],
        ),
    ] {
        let mut cmd = orakit_in(d);
        if let Some(v) = env {
            cmd.env("PW", v);
        }
        cmd.args(&args);
        let out = run(&mut cmd);
        assert!(!out.status.success(), "{args:?}");
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            !text.contains(secret) && !text.contains("another-secret-xyz"),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn an_unset_password_variable_is_named_without_a_value() {
    let dir = scratch();
    let d = dir.path();
    let mut cmd = orakit_in(d);
    cmd.env_remove("NO_SUCH_PW")
        .args(words("key generate --password-env NO_SUCH_PW --out k.key"));
    let err = run_fails(&mut cmd, 1);
    assert!(err.contains("NO_SUCH_PW is not set"), "{err}");
    assert!(list_files(d).is_empty());
}
