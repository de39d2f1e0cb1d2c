//! `orakit net check`: findings on real Oracle-made files (expected lines read from the
//! fixtures themselves), on the DMS seed values, JSON output and exit codes.

use std::fs;

use crate::support::*;

fn check(file: &std::path::Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = run(orakit()
        .env_remove("ORACLE_HOME")
        .args(["net", "check"])
        .arg(file)
        .args(extra));
    (out.status.code(), stdout(&out))
}

/// `(line, code)` pairs from the JSON report.
fn findings(file: &std::path::Path, extra: &[&str]) -> (Option<i32>, Vec<(u64, String)>) {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    let (code, out) = check(file, &args);
    let report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(report["file"], file.display().to_string());
    let list = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f["column"].as_u64().unwrap() >= 1);
            assert!(!f["message"].as_str().unwrap().is_empty());
            (
                f["line"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (code, list)
}

#[test]
fn real_files_get_the_warnings_their_content_calls_for() {
    let Some(dir) = oracle_fixtures() else {
        return;
    };
    // Line 9: `SQLNET.AUTHENTICATION_SERVICES=NONE` (bare, not parenthesised).
    let (code, got) = findings(&dir.join("kamalamay-11g/sqlnet.ora"), &[]);
    assert_eq!((code, got), (Some(3), vec![(9, "auth-none".to_owned())]));
    let (code, got) = findings(&dir.join("kamalamay-11g/sqlnet.ora"), &["--role", "client"]);
    assert_eq!((code, got.len()), (Some(0), 0));
    // ADB aliases carry ssl_server_cert_dn except simba_newlow (line 7) and simba_verylow
    // (line 9, which only sets MY_WALLET_DIRECTORY = /root: no wallet there).
    let (code, got) = findings(
        &dir.join("adb-ora-history/vijaybalebail-2021/tnsnames.ora"),
        &[],
    );
    assert_eq!(code, Some(3));
    let lines: Vec<u64> = got.iter().map(|f| f.0).collect();
    assert!(lines.iter().all(|l| *l == 7 || *l == 9), "{got:?}");
    assert!(got.contains(&(7, "no-dn-match".to_owned())), "{got:?}");
    assert!(got.contains(&(9, "no-dn-match".to_owned())), "{got:?}");
    assert!(
        got.iter().any(|f| f.0 == 9 && f.1.starts_with("wallet-")),
        "{got:?}"
    );
    // `?/network/admin` cannot be resolved without ORACLE_HOME: nothing to report.
    let (code, got) = findings(&dir.join("raghuthota-adb-2019/sqlnet.ora"), &[]);
    assert_eq!((code, got.len()), (Some(0), 0));
    // Plain TCP aliases: nothing to report; text output says so on stderr.
    let out = run(orakit()
        .args(["net", "check"])
        .arg(dir.join("liaartem-free23c/tnsnames.ora")));
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("no problems found"));
}

#[test]
fn the_dms_seed_values_are_flagged_and_generated_defaults_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    let wallet = dir.path().join("wallet");
    fs::create_dir(&wallet).unwrap();
    let wallet_arg = wallet.to_str().unwrap();
    let seed = dir.path().join("seed-sqlnet.ora");
    run_ok(
        orakit()
            .args([
                "net",
                "sqlnet",
                "--role",
                "server",
                "--legacy-seed",
                "--wallet-dir",
                wallet_arg,
                "--out",
            ])
            .arg(&seed),
    );
    let (code, got) = findings(&seed, &[]);
    assert_eq!(code, Some(3));
    let codes: Vec<&str> = got.iter().map(|f| f.1.as_str()).collect();
    for expected in ["tls-version", "static-rsa", "weak-cipher", "wallet-empty"] {
        assert!(
            codes.contains(&expected),
            "{expected} missing from {codes:?}"
        );
    }
    // A wallet in place and modern defaults: clean, for both key types.
    fs::write(wallet.join("cwallet.sso"), b"not inspected").unwrap();
    for key in ["rsa2048", "p256"] {
        let file = dir.path().join(format!("{key}-listener.ora"));
        run_ok(
            orakit()
                .args([
                    "net",
                    "listener",
                    "--host",
                    "h",
                    "--wallet-dir",
                    wallet_arg,
                    "--key-type",
                    key,
                    "--out",
                ])
                .arg(&file),
        );
        let (code, got) = findings(&file, &["--key-type", key]);
        assert_eq!((code, got), (Some(0), vec![]), "{key}");
        let other = if key == "rsa2048" { "p256" } else { "rsa2048" };
        let (code, got) = findings(&file, &["--key-type", other]);
        assert_eq!(code, Some(3));
        assert!(
            !got.is_empty() && got.iter().all(|f| f.1 == "suite-key-mismatch"),
            "{got:?}"
        );
    }
    let tns = dir.path().join("tnsnames.ora");
    run_ok(
        orakit()
            .args(words("net tnsnames --alias A --host h --service s --out"))
            .arg(&tns),
    );
    let (code, got) = findings(&tns, &[]);
    assert_eq!((code, got), (Some(0), vec![]));
}

#[test]
fn text_output_is_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sqlnet.ora");
    fs::write(&file, "# x\nSSL_VERSION = 1.1\n").unwrap();
    let (code, out) = check(&file, &[]);
    assert_eq!(code, Some(3));
    assert!(
        out.starts_with(&format!("{}:2:1: warning[tls-version]:", file.display())),
        "{out}"
    );
    fs::write(&file, b"A = \xff\n").unwrap();
    let (code, out) = check(&file, &[]);
    assert_eq!(code, Some(3));
    assert!(out.contains(":1:5: error[syntax]"), "{out}");
    let err = run_fails(
        orakit()
            .args(["net", "check"])
            .arg(dir.path().join("missing.ora")),
        1,
    );
    assert!(err.contains("missing.ora"), "{err}");
}

/// What `thin-list` and `thin-quote` warn about is what python-oracledb (thin mode) really
/// does: it rejects a list inside SECURITY (DPY-4017) and keeps single quotes in the DN.
#[test]
fn thin_driver_warnings_match_python_oracledb() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tnsnames.ora");
    let text = "LISTED =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))\n    (CONNECT_DATA = (SERVICE_NAME = s))\n    (SECURITY = (SSL_SERVER_DN_MATCH = YES)(SSL_CIPHER_SUITES = (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)))\n  )\n\nSINGLE =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))\n    (CONNECT_DATA = (SERVICE_NAME = s))\n    (SECURITY = (SSL_SERVER_CERT_DN = 'CN=h'))\n  )\n";
    fs::write(&file, text).unwrap();
    let (code, got) = findings(&file, &[]);
    assert_eq!(code, Some(3));
    assert_eq!(
        got,
        [(5, "thin-list".to_owned()), (12, "thin-quote".to_owned())]
    );
    let Some(()) = crate::net_generate::python_oracledb() else {
        return;
    };
    let script = r#"
import sys, oracledb
for alias in ("LISTED", "SINGLE"):
    try:
        p = oracledb.ConnectParams(config_dir=sys.argv[1])
        p.parse_connect_string(alias)
        print(alias, p.ssl_server_cert_dn)
    except Exception as e:
        print(alias, str(e).split(":")[0])
"#;
    let out = run_ok(
        std::process::Command::new("python3")
            .args(["-c", script])
            .arg(dir.path()),
    );
    assert_eq!(stdout(&out), "LISTED DPY-4017\nSINGLE 'CN=h'\n");
}
