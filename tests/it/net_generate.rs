//! `orakit net sqlnet | listener | tnsnames`: generated files parse and print back
//! identically, reproduce the AWS DMS seed entries from flags, respect the thin-driver
//! constraints (spec §3.5), and are read correctly by python-oracledb (an independent
//! Oracle Net parser).

use std::path::Path;
use std::process::Command;

use orakit::net::{Document, Group, Piece};

use crate::support::*;

fn generate(args: &[&str]) -> String {
    let out = run_ok(orakit().arg("net").args(args));
    stdout(&out)
}

fn parse(text: &str) -> Document {
    let doc = Document::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        doc.print(),
        text,
        "generated text must print back identically"
    );
    doc
}

fn scalar(doc: &Document, name: &str, path: &[&str]) -> Option<String> {
    doc.find(name)?.group_at(path)?.scalar()
}

/// `(PROTOCOL, HOST or KEY, PORT)` of every ADDRESS under a parameter.
fn addresses(doc: &Document, name: &str) -> Vec<(String, String, String)> {
    let param = doc.find(name).unwrap_or_else(|| panic!("no {name}"));
    param
        .groups()
        .flat_map(|g| g.descendants("ADDRESS"))
        .map(|a: &Group| {
            let get = |k: &str| a.child(k).and_then(Group::scalar).unwrap_or_default();
            let host_or_key = if a.child("KEY").is_some() {
                get("KEY")
            } else {
                get("HOST")
            };
            (get("PROTOCOL"), host_or_key, get("PORT"))
        })
        .collect()
}

/// python-oracledb in thin mode, or `None` outside CI when it is not installed.
pub fn python_oracledb() -> Option<()> {
    let ok = Command::new("python3")
        .args(["-c", "import oracledb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(());
    }
    if std::env::var_os("CI").is_some() {
        panic!("python3 with oracledb is required under CI");
    }
    eprintln!("skipping: python3 -c 'import oracledb' failed");
    None
}

/// Resolves `alias` through python-oracledb with `dir` as its config_dir and returns
/// `protocol host port service sid dn dn_match wallet`, one per line.
fn oracledb_resolve(dir: &Path, alias: &str) -> String {
    let script = r#"
import sys, oracledb
p = oracledb.ConnectParams(config_dir=sys.argv[1])
p.parse_connect_string(sys.argv[2])
for v in (p.protocol, p.host, p.port, p.service_name, p.sid, p.ssl_server_cert_dn, p.ssl_server_dn_match, p.wallet_location):
    print(v)
"#;
    let out = run_ok(
        Command::new("python3")
            .args(["-c", script])
            .arg(dir)
            .arg(alias),
    );
    stdout(&out)
}

#[test]
fn the_seed_listener_is_reproducible_from_flags() {
    let text = generate(&[
        "listener",
        "--host",
        "db.example.com",
        "--tcp-port",
        "1521",
        "--tcps-port",
        "1522",
        "--ipc-key",
        "EXTPROC1521",
        "--sid",
        "ORCL",
        "--oracle-home",
        "/u01/app/oracle/product/19.0.0/dbhome_1",
        "--wallet-dir",
        "/u01/app/oracle/wallet",
    ]);
    let doc = parse(&text);
    assert_eq!(
        addresses(&doc, "LISTENER"),
        [
            ("TCP".into(), "db.example.com".into(), "1521".into()),
            ("TCPS".into(), "db.example.com".into(), "1522".into()),
            ("IPC".into(), "EXTPROC1521".into(), String::new()),
        ]
    );
    let sid = |k: &str| scalar(&doc, "SID_LIST_LISTENER", &["SID_LIST", "SID_DESC", k]);
    assert_eq!(sid("SID_NAME").as_deref(), Some("ORCL"));
    assert_eq!(
        sid("ORACLE_HOME").as_deref(),
        Some("/u01/app/oracle/product/19.0.0/dbhome_1")
    );
    assert_eq!(
        scalar(
            &doc,
            "WALLET_LOCATION",
            &["SOURCE", "METHOD_DATA", "DIRECTORY"]
        )
        .as_deref(),
        Some("/u01/app/oracle/wallet")
    );
    assert_eq!(
        doc.find("SSL_CLIENT_AUTHENTICATION").unwrap().atoms(),
        ["FALSE"]
    );
    assert_eq!(doc.find("SSL_VERSION").unwrap().atoms(), ["1.2"]);
    assert_eq!(
        doc.find("SSL_CIPHER_SUITES").unwrap().list_items(),
        [
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        ]
    );
    // A named listener suffixes SID_LIST; TCPS-only drops the TCP address.
    let named = parse(&generate(&[
        "listener",
        "--host",
        "h",
        "--no-tcp",
        "--listener-name",
        "LSNR2",
        "--sid",
        "X",
        "--oracle-home",
        "/oh",
        "--wallet-dir",
        "/w",
    ]));
    assert_eq!(
        addresses(&named, "LSNR2"),
        [("TCPS".into(), "h".into(), "2484".into())]
    );
    assert!(named.find("SID_LIST_LSNR2").is_some());
}

#[test]
fn python_oracledb_reads_the_generated_listener_file() {
    let Some(()) = python_oracledb() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Thin mode knows no IPC, so this listener has TCP and TCPS only; the whole file
    // (SID_LIST, WALLET_LOCATION, suite list) must still read as a valid parameter file.
    let text = generate(&[
        "listener",
        "--host",
        "db.example.com",
        "--tcps-port",
        "1522",
        "--sid",
        "ORCL",
        "--oracle-home",
        "/oh",
        "--wallet-dir",
        "/w",
    ]);
    std::fs::write(dir.path().join("tnsnames.ora"), &text).unwrap();
    let script = r#"
import sys, oracledb
p = oracledb.ConnectParams(config_dir=sys.argv[1])
p.parse_connect_string("listener")
print(p.protocol, p.host, p.port)
"#;
    let out = run_ok(Command::new("python3").args(["-c", script]).arg(dir.path()));
    assert_eq!(
        stdout(&out).trim(),
        "['tcp', 'tcps'] ['db.example.com', 'db.example.com'] [1521, 1522]"
    );
}

#[test]
fn the_target_picks_names_versions_and_suites() {
    let expect = [
        (
            "11g",
            "rsa",
            "SSL_",
            vec!["1.2"],
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        ),
        (
            "12c",
            "ec",
            "SSL_",
            vec!["1.2"],
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        ),
        (
            "19c",
            "rsa",
            "SSL_",
            vec!["1.2"],
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        ),
        (
            "19.30",
            "ec",
            "TLS_",
            vec!["1.2", "or", "1.3"],
            "TLS_AES_256_GCM_SHA384",
        ),
        (
            "23ai",
            "rsa",
            "SSL_",
            vec!["1.2", "or", "1.3"],
            "TLS_AES_256_GCM_SHA384",
        ),
    ];
    for (target, key, prefix, version, first_suite) in expect {
        let doc = parse(&generate(&[
            "sqlnet",
            "--role",
            "server",
            "--wallet-dir",
            "/w",
            "--target",
            target,
            "--key-type",
            key,
        ]));
        let v = doc
            .find(&format!("{prefix}VERSION"))
            .unwrap_or_else(|| panic!("{target}"));
        assert_eq!(v.list_items(), version, "{target}");
        let suites = doc
            .find(&format!("{prefix}CIPHER_SUITES"))
            .unwrap()
            .list_items();
        assert_eq!(suites[0], first_suite, "{target}");
        let other = if key == "rsa" { "_ECDSA_" } else { "_RSA_" };
        assert!(
            suites
                .iter()
                .all(|s| !s.contains(other) && s.contains("GCM")),
            "{target}: {suites:?}"
        );
        assert_eq!(
            doc.find(&format!("{prefix}CLIENT_AUTHENTICATION"))
                .unwrap()
                .atoms(),
            ["FALSE"]
        );
        let client = parse(&generate(&[
            "sqlnet",
            "--role",
            "client",
            "--wallet-dir",
            "/w",
            "--target",
            target,
        ]));
        assert_eq!(
            client
                .find(&format!("{prefix}SERVER_DN_MATCH"))
                .unwrap()
                .atoms(),
            ["YES"]
        );
        assert!(client.find("WALLET_LOCATION").is_some());
    }
}

#[test]
fn seed_values_only_behind_a_flag_and_with_a_warning() {
    let out = run_ok(orakit().args(words(
        "net sqlnet --role server --wallet-dir /w --legacy-seed",
    )));
    let doc = parse(&stdout(&out));
    assert_eq!(doc.find("SSL_VERSION").unwrap().atoms(), ["1.0"]);
    assert_eq!(
        doc.find("SSL_CIPHER_SUITES").unwrap().list_items(),
        ["SSL_RSA_WITH_AES_256_CBC_SHA"]
    );
    assert!(stderr(&out).contains("warning"), "{}", stderr(&out));
    let default = generate(&["sqlnet", "--role", "server", "--wallet-dir", "/w"]);
    assert!(
        !default.contains("= 1.0") && !default.contains("CBC"),
        "{default}"
    );
    let err = run_fails(
        orakit().args(words(
            "net sqlnet --role server --wallet-dir /w --legacy-seed --key-type p256",
        )),
        2,
    );
    assert!(err.contains("an EC --key-type"), "{err}");
}

/// Every `(KEY = value)` inside SECURITY has a single atom (no lists), and DNs are written
/// in double quotes (spec §3.5).
fn assert_thin_safe(doc: &Document) {
    for param in doc.parameters() {
        for security in param.groups().flat_map(|g| g.descendants("SECURITY")) {
            for setting in security.children() {
                assert!(
                    setting.scalar().is_some(),
                    "not a single value: {}",
                    setting.print()
                );
                assert!(
                    setting.children().next().is_none(),
                    "nested: {}",
                    setting.print()
                );
                if setting
                    .key()
                    .unwrap()
                    .to_ascii_uppercase()
                    .ends_with("_CERT_DN")
                {
                    let quoted = setting
                        .value()
                        .iter()
                        .any(|p| matches!(p, Piece::Quoted(q) if q.starts_with('"')));
                    assert!(quoted, "DN not double-quoted: {}", setting.print());
                }
            }
        }
    }
}

#[test]
fn the_seed_tnsnames_aliases_are_reproducible_and_thin_safe() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(orakit().args([
        "net",
        "tnsnames",
        "--alias",
        "ORCL",
        "--host",
        "db.example.com",
        "--port",
        "1521",
        "--tcps-port",
        "1522",
        "--sid",
        "ORCL",
        "--tls-suffix",
        "_ssl",
        "--server-dn",
        "CN=db.example.com, O=Example Corp, C=US",
    ]));
    let text = stdout(&out);
    let doc = parse(&text);
    assert_thin_safe(&doc);
    assert!(doc.find("orcl").is_some() && doc.find("ORCL_SSL").is_some());
    assert_eq!(
        addresses(&doc, "ORCL"),
        [("TCP".into(), "db.example.com".into(), "1521".into())]
    );
    assert_eq!(
        addresses(&doc, "orcl_ssl"),
        [("TCPS".into(), "db.example.com".into(), "1522".into())]
    );
    let Some(()) = python_oracledb() else { return };
    std::fs::write(dir.path().join("tnsnames.ora"), &text).unwrap();
    let tls = oracledb_resolve(dir.path(), "orcl_ssl");
    let lines: Vec<&str> = tls.lines().collect();
    assert_eq!(
        lines,
        [
            "tcps",
            "db.example.com",
            "1522",
            "None",
            "ORCL",
            "CN=db.example.com, O=Example Corp, C=US",
            "True",
            "None"
        ]
    );
    let plain = oracledb_resolve(dir.path(), "ORCL");
    assert_eq!(
        plain.lines().take(5).collect::<Vec<_>>(),
        ["tcp", "db.example.com", "1521", "None", "ORCL"]
    );
}

#[test]
fn easy_connect_and_jdbc_strings_describe_the_same_connection() {
    let out = run_ok(orakit().args(words("net tnsnames --alias APP --host db.example.com --service orclpdb1.example.com --server-dn CN=db.example.com,O=Example,C=US --my-wallet-dir /home/app/wallet")));
    let text = stdout(&out);
    let doc = parse(&text);
    assert_thin_safe(&doc);
    let comment = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in {text}"))
            .to_owned()
    };
    let ez = comment("# Easy Connect Plus: ");
    let jdbc = comment("# JDBC URL: ");
    assert!(
        ez.starts_with("tcps://db.example.com:2484/orclpdb1.example.com?"),
        "{ez}"
    );
    let descriptor = jdbc.strip_prefix("jdbc:oracle:thin:@").expect(&jdbc);
    let Some(()) = python_oracledb() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tnsnames.ora"), &text).unwrap();
    let expected = [
        "tcps",
        "db.example.com",
        "2484",
        "orclpdb1.example.com",
        "None",
        "CN=db.example.com,O=Example,C=US",
        "True",
        "/home/app/wallet",
    ];
    for connect in ["APP_SSL", ez.as_str(), descriptor] {
        let got = oracledb_resolve(dir.path(), connect);
        assert_eq!(got.lines().collect::<Vec<_>>(), expected, "{connect}");
    }
}

#[test]
fn out_writes_a_new_file_and_refuses_to_replace_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("listener.ora");
    let args = [
        "net",
        "listener",
        "--host",
        "h",
        "--wallet-dir",
        "/w",
        "--out",
    ];
    run_ok(orakit().args(args).arg(&file));
    assert_eq!(mode_of(&file), 0o644);
    let first = std::fs::read_to_string(&file).unwrap();
    parse(&first);
    let err = run_fails(
        orakit().args(args).arg(&file).args(["--tcps-port", "9999"]),
        1,
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    run_ok(
        orakit()
            .args(args)
            .arg(&file)
            .args(["--tcps-port", "9999", "--force"]),
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("(PORT = 9999)")
    );
}

#[test]
fn values_that_cannot_be_written_are_refused() {
    let err = run_fails(
        orakit().args([
            "net",
            "tnsnames",
            "--alias",
            "A",
            "--host",
            "h",
            "--service",
            "s",
            "--server-dn",
            "CN=\"x\"",
        ]),
        1,
    );
    assert!(err.contains("double quote"), "{err}");
    let err = run_fails(
        orakit().args(words("net tnsnames --alias 1bad --host h --service s")),
        1,
    );
    assert!(err.contains("alias") && err.contains("1bad"), "{err}");
    let err = run_fails(
        orakit().args(["net", "listener", "--host", "a b", "--wallet-dir", "/w"]),
        1,
    );
    assert!(err.contains("host"), "{err}");
}
