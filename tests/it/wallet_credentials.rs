//! Stored credentials and secret entries (mkstore's secure external password store).
//! Expected values come from PROVENANCE.md (the mkstore-made `dotnet-mkstore` wallet) and
//! from walletcheck.py, which decodes our files independently. oracledb-protocol 0.9.1's
//! wallet reader exposes no secret-store entries (its `WalletContents` holds only
//! certificates and a key), so it is used here only to show a driver still opens a
//! wallet that carries credentials.

use crate::support::words;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::openssl_self_signed;
use crate::support::{self, oracle_fixtures, orakit, run_fails, run_ok, stdout};
use crate::wallet_common::{password_file, walletcheck, wc_file};

pub const PW: &str = "Welcome#2026";
pub const DB_PW: &str = "Tiger!Pass#77";
pub const MKSTORE_PW: &str = "123Wallet";

/// `orakit wallet SUBCOMMAND... --wallet DIR OPTIONS...` (so a trailing option can take
/// a value appended with `.arg()`).
pub fn cmd(args: &[&str], dir: &Path) -> Command {
    let split = args
        .iter()
        .position(|a| a.starts_with("--"))
        .unwrap_or(args.len());
    let mut c = orakit();
    c.arg("wallet")
        .args(&args[..split])
        .arg("--wallet")
        .arg(dir)
        .args(&args[split..]);
    c
}

pub fn with_pw(mut c: Command, pw: &str) -> Command {
    c.env("ORAKIT_WPW", pw)
        .args(["--password-env", "ORAKIT_WPW"]);
    c
}

pub fn add_credential(dir: &Path, wallet_pw: Option<&str>, alias: &str, user: &str, secret: &str) {
    let mut c = cmd(
        &[
            "credential",
            "add",
            "--connect-string",
            alias,
            "--username",
            user,
        ],
        dir,
    );
    c.env("ORAKIT_DBPW", secret)
        .args(["--secret-env", "ORAKIT_DBPW"]);
    if let Some(pw) = wallet_pw {
        c = with_pw(c, pw);
    }
    run_ok(&mut c);
}

/// The fixture copied to a temporary directory (tests that change it).
pub fn mkstore_copy(tmp: &Path) -> Option<PathBuf> {
    let root = oracle_fixtures()?;
    let dir = tmp.join("mk");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(
        root.join("dotnet-mkstore/ewallet.p12"),
        dir.join("ewallet.p12"),
    )
    .unwrap();
    Some(dir)
}

/// walletcheck's bags of a file: (alias, value, localKeyId hex) of every secret bag,
/// plus the whole bag JSON for comparisons.
pub fn wc_bags(path: &Path, pw: Option<&str>) -> Option<Vec<Value>> {
    let (report, code) = walletcheck(path, pw.map(str::as_bytes), &["--show-secrets", "--strict"])?;
    assert_eq!(code, 0, "walletcheck --strict: {report}");
    Some(
        wc_file(&report)["pkcs12"]["bags"]
            .as_array()
            .unwrap()
            .clone(),
    )
}

pub fn alias_values(bags: &[Value]) -> Vec<(String, String)> {
    bags.iter()
        .map(|b| {
            (
                b["secret"]["alias"].as_str().unwrap().to_owned(),
                b["secret"]["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A bag as walletcheck sees it, without its position in the file.
pub fn bag_identity(bag: &Value) -> Value {
    let mut b = bag.clone();
    b.as_object_mut().unwrap().remove("index");
    b
}

#[test]
fn the_mkstore_fixture_lists_its_credential_and_its_generic_entry() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let dir = root.join("dotnet-mkstore");
    let out = run_ok(&mut with_pw(cmd(&["credential", "list"], &dir), MKSTORE_PW));
    assert_eq!(
        stdout(&out),
        "List credential (index: connect_string username)\n1: a_prod_db a_test_user\n"
    );
    assert!(!stdout(&out).contains("potatos"));

    let out = run_ok(&mut with_pw(
        cmd(&["credential", "list", "--json"], &dir),
        MKSTORE_PW,
    ));
    assert!(!stdout(&out).contains("potatos"), "{}", stdout(&out));
    let out = run_ok(&mut with_pw(
        cmd(&["credential", "list", "--json", "--show-secrets"], &dir),
        MKSTORE_PW,
    ));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let creds = json["credentials"].as_array().unwrap();
    assert_eq!(creds.len(), 1);
    assert_eq!(creds[0]["index"], 1);
    assert_eq!(creds[0]["connect_string"], "a_prod_db");
    assert_eq!(creds[0]["username"], "a_test_user");
    assert_eq!(creds[0]["password"], "potatos are tasty");

    // All four entries, in the file's order, the user credential among them as generic.
    let out = run_ok(&mut with_pw(cmd(&["secret", "list"], &dir), MKSTORE_PW));
    assert_eq!(
        stdout(&out),
        "Oracle Secret Store entries:\n\
         oracle.security.client.connect_string1\n\
         a@#3#@b\n\
         oracle.security.client.username1\n\
         oracle.security.client.password1\n"
    );
    let out = run_ok(&mut with_pw(
        cmd(&["secret", "list", "--json"], &dir),
        MKSTORE_PW,
    ));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = json["entries"].as_array().unwrap();
    let summary: Vec<(String, Value, Value)> = entries
        .iter()
        .map(|e| {
            (
                e["alias"].as_str().unwrap().to_owned(),
                e["local_key_id_index"].clone(),
                e["credential"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "oracle.security.client.connect_string1".into(),
                3.into(),
                1.into()
            ),
            ("a@#3#@b".into(), 2.into(), Value::Null),
            (
                "oracle.security.client.username1".into(),
                1.into(),
                1.into()
            ),
            (
                "oracle.security.client.password1".into(),
                0.into(),
                1.into()
            ),
        ]
    );
    assert!(entries.iter().all(|e| e.get("value").is_none()));
    let out = run_ok(&mut with_pw(
        cmd(&["secret", "view", "--alias", "a@#3#@b"], &dir),
        MKSTORE_PW,
    ));
    assert_eq!(
        stdout(&out),
        "a@#3#@b = {pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@c@#111#@d\n"
    );

    // The library function the sqlnet.ora generator uses.
    let opened = orakit::wallet::store::open(
        &orakit::wallet::store::WalletPaths::in_dir(&dir),
        Some(&orakit::secret::Password::new(MKSTORE_PW.into())),
        None,
    )
    .unwrap();
    assert!(orakit::wallet::credential::has_credentials(opened.wallet()));
    let trust_only = orakit::wallet::store::open(
        &orakit::wallet::store::WalletPaths::in_dir(&root.join("boomi-trust")),
        None,
        None,
    )
    .unwrap();
    assert!(!orakit::wallet::credential::has_credentials(
        trust_only.wallet()
    ));
}

#[test]
fn credentials_round_trip_in_oracles_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let pwfile = password_file(tmp.path(), PW);
    run_ok(cmd(&["create", "--auto-login", "--password-file"], &dir).arg(&pwfile));
    let ca = openssl_self_signed(tmp.path(), "ca", "/CN=Cred Test CA");
    run_ok(
        with_pw(cmd(&["add-trusted"], &dir), PW)
            .arg("--cert")
            .arg(&ca),
    );
    add_credential(&dir, Some(PW), "sales_tls", "scott", DB_PW);
    // The database password from standard input this time.
    let mut c = cmd(
        &[
            "credential",
            "add",
            "--connect-string",
            "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=hr)))",
            "--username",
            "hr",
            "--secret-file",
            "-",
            "--password-file",
        ],
        &dir,
    );
    c.arg(&pwfile).stdin(std::process::Stdio::piped());
    c.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"h r pass\xc3\xa9 1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));

    // walletcheck (strict: kind-6 ids, tail 0) reads both files the same.
    let Some(bags) = wc_bags(&dir.join("ewallet.p12"), Some(PW)) else {
        return;
    };
    let secrets: Vec<&Value> = bags.iter().filter(|b| b["type"] == "secretBag").collect();
    let got: Vec<(String, String)> =
        alias_values(&secrets.iter().map(|b| (*b).clone()).collect::<Vec<_>>());
    assert_eq!(
        got,
        vec![
            (
                "oracle.security.client.connect_string2".to_owned(),
                "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=hr)))".to_owned()
            ),
            ("oracle.security.client.username2".into(), "hr".into()),
            ("oracle.security.client.password2".into(), "h r passé 1".into()),
            ("oracle.security.client.connect_string1".into(), "sales_tls".into()),
            ("oracle.security.client.username1".into(), "scott".into()),
            ("oracle.security.client.password1".into(), DB_PW.into()),
        ]
    );
    // Descending kind-6 indices in bag order, as mkstore writes them; tail 0.
    let ids: Vec<(u64, u64, u64)> = secrets
        .iter()
        .map(|b| {
            let f = &b["local_key_id_fields"];
            (
                f["kind"].as_u64().unwrap(),
                f["index"].as_u64().unwrap(),
                f["tail"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            (6, 5, 0),
            (6, 4, 0),
            (6, 3, 0),
            (6, 2, 0),
            (6, 1, 0),
            (6, 0, 0)
        ]
    );
    assert!(
        secrets
            .iter()
            .all(|b| b["secret"]["type_id"] == "1.2.840.113549.1.16.12.12")
    );
    let sso_bags = wc_bags(&dir.join("cwallet.sso"), None).unwrap();
    assert_eq!(
        sso_bags.iter().map(bag_identity).collect::<Vec<_>>(),
        bags.iter().map(bag_identity).collect::<Vec<_>>()
    );
    // The directory cross-check (same bags in both files) passes too.
    let (report, code) = walletcheck(&dir, Some(PW.as_bytes()), &["--strict"]).unwrap();
    assert_eq!(code, 0, "{report}");

    // orakit reads back what walletcheck saw.
    let out = run_ok(&mut cmd(&["credential", "list"], &dir));
    assert_eq!(
        stdout(&out),
        "List credential (index: connect_string username)\n1: sales_tls scott\n\
         2: (DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=hr))) hr\n"
    );

    // A driver's wallet reader still opens the wallet and finds its trust anchor.
    let peer = oracledb_protocol::tls::wallet::parse_ewallet_p12(
        &std::fs::read(dir.join("ewallet.p12")).unwrap(),
        Some(PW),
    )
    .unwrap();
    assert_eq!(peer.ca_certificates.len(), 1);
    let peer = oracledb_protocol::tls::sso::parse_cwallet_sso(
        &std::fs::read(dir.join("cwallet.sso")).unwrap(),
    )
    .unwrap();
    assert_eq!(peer.ca_certificates.len(), 1);
}

#[test]
fn numbers_reach_two_digits_and_reuse_the_lowest_free_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    run_ok(&mut cmd(&["create", "--auto-login-only"], &dir));
    let mut wallet = orakit::wallet::store::open(
        &orakit::wallet::store::WalletPaths::in_dir(&dir),
        None,
        None,
    )
    .unwrap()
    .wallet()
    .clone();
    for i in 1..=10 {
        orakit::wallet::credential::add(&mut wallet, &format!("db{i}"), "u", "p").unwrap();
    }
    orakit::wallet::store::save(
        &orakit::wallet::store::WalletPaths::in_dir(&dir),
        &wallet,
        orakit::wallet::store::WalletType::AutoLoginOnly,
        None,
        orakit::fsio::Overwrite::Allow,
    )
    .unwrap();
    // No wallet password: the wallet is auto-login-only.
    add_credential(&dir, None, "eleventh", "u11", "p11");
    run_ok(&mut cmd(
        &["credential", "delete", "--connect-string", "db4"],
        &dir,
    ));
    add_credential(&dir, None, "fourth-again", "u4", "p4");
    let Some(bags) = wc_bags(&dir.join("cwallet.sso"), None) else {
        return;
    };
    let pairs = alias_values(&bags);
    assert!(pairs.contains(&(
        "oracle.security.client.connect_string11".into(),
        "eleventh".into()
    )));
    assert!(pairs.contains(&("oracle.security.client.password11".into(), "p11".into())));
    assert!(pairs.contains(&(
        "oracle.security.client.connect_string4".into(),
        "fourth-again".into()
    )));
    assert_eq!(bags.len(), 33);
    let indices: Vec<u64> = bags
        .iter()
        .map(|b| b["local_key_id_fields"]["index"].as_u64().unwrap())
        .collect();
    assert!(indices.windows(2).all(|w| w[0] > w[1]), "{indices:?}");
}

#[test]
fn modify_and_delete_leave_every_other_entry_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = mkstore_copy(tmp.path()) else {
        return;
    };
    let p12 = dir.join("ewallet.p12");
    let Some(before) = wc_bags(&p12, Some(MKSTORE_PW)) else {
        return;
    };
    add_credential(&dir, Some(MKSTORE_PW), "second_db", "u2", "pw2");
    let mut c = with_pw(
        cmd(
            &[
                "credential",
                "modify",
                "--connect-string",
                "a_prod_db",
                "--username",
                "new_user",
            ],
            &dir,
        ),
        MKSTORE_PW,
    );
    c.env("ORAKIT_DBPW", "fresh potatoes")
        .args(["--secret-env", "ORAKIT_DBPW"]);
    run_ok(&mut c);
    let after = wc_bags(&p12, Some(MKSTORE_PW)).unwrap();
    let pairs = alias_values(&after);
    assert!(pairs.contains(&("oracle.security.client.username1".into(), "new_user".into())));
    assert!(pairs.contains(&(
        "oracle.security.client.password1".into(),
        "fresh potatoes".into()
    )));
    // The connect string and the user-credential entry are untouched (ids included);
    // the modified entries keep their localKeyIds.
    let untouched = |bags: &[Value], alias: &str| -> Value {
        bag_identity(
            bags.iter()
                .find(|b| b["secret"]["alias"] == alias)
                .unwrap_or_else(|| panic!("{alias} missing")),
        )
    };
    for alias in ["oracle.security.client.connect_string1", "a@#3#@b"] {
        assert_eq!(untouched(&before, alias), untouched(&after, alias));
    }
    for alias in [
        "oracle.security.client.username1",
        "oracle.security.client.password1",
    ] {
        let find = |bags: &[Value]| {
            bags.iter().find(|b| b["secret"]["alias"] == alias).unwrap()["local_key_id"].clone()
        };
        assert_eq!(find(&before), find(&after));
    }

    run_ok(&mut with_pw(
        cmd(
            &["credential", "delete", "--connect-string", "second_db"],
            &dir,
        ),
        MKSTORE_PW,
    ));
    run_ok(&mut with_pw(
        cmd(
            &["credential", "delete", "--connect-string", "a_prod_db"],
            &dir,
        ),
        MKSTORE_PW,
    ));
    let last = wc_bags(&p12, Some(MKSTORE_PW)).unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(untouched(&before, "a@#3#@b"), untouched(&last, "a@#3#@b"));
    let out = run_ok(&mut with_pw(cmd(&["credential", "list"], &dir), MKSTORE_PW));
    assert_eq!(
        stdout(&out),
        "List credential (index: connect_string username)\n"
    );
}

#[test]
fn duplicates_and_unknown_connect_strings_fail_without_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(dir) = mkstore_copy(tmp.path()) else {
        return;
    };
    let p12 = dir.join("ewallet.p12");
    let original = std::fs::read(&p12).unwrap();
    let mut c = with_pw(
        cmd(
            &[
                "credential",
                "add",
                "--connect-string",
                "a_prod_db",
                "--username",
                "x",
                "--secret-env",
                "ORAKIT_DBPW",
            ],
            &dir,
        ),
        MKSTORE_PW,
    );
    c.env("ORAKIT_DBPW", DB_PW);
    let err = run_fails(&mut c, 1);
    assert!(
        err.contains("a_prod_db") && err.contains("credential modify"),
        "{err}"
    );
    for sub in ["modify", "delete"] {
        let mut c = with_pw(
            cmd(
                &[
                    "credential",
                    sub,
                    "--connect-string",
                    "nope",
                    "--secret-env",
                    "ORAKIT_DBPW",
                ][..if sub == "modify" { 6 } else { 4 }],
                &dir,
            ),
            MKSTORE_PW,
        );
        c.env("ORAKIT_DBPW", DB_PW);
        let err = run_fails(&mut c, 1);
        assert!(
            err.contains("\"nope\"") && err.contains("credential list"),
            "{err}"
        );
    }
    let err = run_fails(
        &mut with_pw(
            cmd(
                &[
                    "secret",
                    "create",
                    "--alias",
                    "a@#3#@b",
                    "--secret-env",
                    "X",
                ],
                &dir,
            ),
            MKSTORE_PW,
        ),
        1,
    );
    assert!(err.contains("secret modify"), "{err}");
    // Both secrets from standard input cannot work.
    let err = run_fails(
        &mut cmd(
            &[
                "secret",
                "create",
                "--alias",
                "k",
                "--secret-file",
                "-",
                "--password-file",
                "-",
            ],
            &dir,
        ),
        2,
    );
    assert!(err.contains("standard input"), "{err}");
    // Wrong wallet password: nothing read, nothing written.
    let err = run_fails(&mut with_pw(cmd(&["credential", "list"], &dir), "wrong"), 1);
    assert!(err.contains("MAC"), "{err}");
    assert_eq!(std::fs::read(&p12).unwrap(), original);
}

#[test]
fn client_sqlnet_turns_on_wallet_override_when_the_wallet_holds_credentials() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("client");
    run_ok(&mut cmd(&["create", "--auto-login-only"], &dir));
    let sqlnet = |dir: &Path| {
        let out = run_ok(
            orakit()
                .args(words("net sqlnet --role client --wallet-dir"))
                .arg(dir),
        );
        let text = stdout(&out);
        // Read the value back with the project's parser, which holds every fixture byte-exact.
        let doc = orakit::net::Document::parse(&text).unwrap();
        doc.find("SQLNET.WALLET_OVERRIDE")
            .map(|p| p.atoms().join(" ").to_ascii_uppercase())
    };
    assert_eq!(
        sqlnet(&dir),
        None,
        "a wallet without credentials needs no override"
    );
    add_credential(&dir, None, "sales", "scott", DB_PW);
    assert_eq!(sqlnet(&dir).as_deref(), Some("TRUE"));
}
