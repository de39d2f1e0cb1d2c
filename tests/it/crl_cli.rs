//! `orakit crl ...` end to end, judged by OpenSSL: create from a `tcps init`-style CA
//! directory and from a wallet, revoke, display, verify, status, hash directories (list,
//! delete), the `net sqlnet` revocation lines, and bad input that changes nothing.

use std::path::Path;

use serde_json::Value;

use crate::pki_helpers::{ok, ossl};
use crate::support::Fixture;
use crate::support::{openssl, orakit, run, run_fails, run_ok, stdout};

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = run_ok(orakit().current_dir(dir).args(args).arg("--json"));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `dir/ca/ca.pem` + `dir/ca/ca.key` as `tcps init` lays them out, and two leaves.
fn setup(dir: &Path) {
    std::fs::create_dir(dir.join("ca")).unwrap();
    Fixture::at(dir)
        .key_type("p256")
        .ca_named("ca/ca", "CN=CRL Test Root,O=Example")
        .server_named("one", "CN=one,O=Example", &["one"])
        .server_named("two", "CN=two,O=Example", &["two"]);
}

fn serial_of(dir: &Path, cert: &str) -> String {
    let out = ossl(dir, &["x509", "-in", cert, "-noout", "-serial"]);
    out.trim().trim_start_matches("serial=").to_string()
}

#[test]
fn crl_from_a_ca_dir_revoke_status_and_openssl_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d);
    ok(
        d,
        &[
            "crl",
            "create",
            "--ca-dir",
            ".",
            "--next-update",
            "5",
            "--out",
            "ca.crl",
        ],
    );
    let text = ossl(d, &["crl", "-in", "ca.crl", "-noout", "-text"]);
    assert!(text.contains("Version 1 (0x0)"), "{text}");
    assert!(text.contains("No Revoked Certificates"), "{text}");
    ok(
        d,
        &[
            "crl", "revoke", "--crl", "ca.crl", "--cert", "one.pem", "--ca-dir", ".",
        ],
    );
    let report = json(d, &["crl", "display", "--crl", "ca.crl"]);
    assert_eq!(report["issuer"], "CN=CRL Test Root,O=Example");
    assert_eq!(report["revoked"][0]["serial"], serial_of(d, "one.pem"));
    assert_eq!(report["revoked"].as_array().unwrap().len(), 1);
    // OpenSSL: the signature verifies, the revoked leaf fails, the other passes.
    ossl(
        d,
        &[
            "crl",
            "-in",
            "ca.crl",
            "-noout",
            "-verify",
            "-CAfile",
            "ca/ca.pem",
        ],
    );
    let revoked = run(openssl().current_dir(d).args([
        "verify",
        "-crl_check",
        "-CAfile",
        "ca/ca.pem",
        "-CRLfile",
        "ca.crl",
        "one.pem",
    ]));
    assert!(!revoked.status.success());
    ossl(
        d,
        &[
            "verify",
            "-crl_check",
            "-CAfile",
            "ca/ca.pem",
            "-CRLfile",
            "ca.crl",
            "two.pem",
        ],
    );
    // status: exit 3 for revoked, 0 for not; verify names the CA.
    run_fails(
        orakit()
            .current_dir(d)
            .args(["crl", "status", "--crl", "ca.crl", "--cert", "one.pem"]),
        3,
    );
    let out = run_ok(
        orakit()
            .current_dir(d)
            .args(["crl", "status", "--crl", "ca.crl", "--cert", "two.pem"]),
    );
    assert!(
        stdout(&out).starts_with("not revoked: two.pem"),
        "{}",
        stdout(&out)
    );
    // Mode 0644, PEM as orapki writes it.
    let bytes = std::fs::read(d.join("ca.crl")).unwrap();
    assert!(bytes.starts_with(b"-----BEGIN X509 CRL-----\n"));
    assert_eq!(crate::support::mode_of(&d.join("ca.crl")), 0o644);
    // A new nextUpdate moves thisUpdate too.
    ok(
        d,
        &[
            "crl",
            "revoke",
            "--crl",
            "ca.crl",
            "--cert",
            "two.pem",
            "--ca-dir",
            ".",
            "--next-update",
            "9",
        ],
    );
    let next = ossl(
        d,
        &[
            "crl",
            "-in",
            "ca.crl",
            "-noout",
            "-nextupdate",
            "-lastupdate",
        ],
    );
    let dates: Vec<&str> = next.lines().map(|l| l.split_once('=').unwrap().1).collect();
    let parse = |s: &str| {
        let out = run_ok(std::process::Command::new("date").args(["-u", "-d", s, "+%s"]));
        stdout(&out).trim().parse::<i64>().unwrap()
    };
    assert_eq!(parse(dates[0]) - parse(dates[1]), 9 * 86_400, "{next}");
}

#[test]
fn crl_hash_directory_list_and_delete_match_openssl() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d);
    ok(d, &["crl", "create", "--ca-dir", ".", "--out", "ca.crl"]);
    std::fs::create_dir(d.join("crls")).unwrap();
    ok(
        d,
        &[
            "crl",
            "hash",
            "--crl",
            "ca.crl",
            "--dir",
            "crls",
            "--openssl",
        ],
    );
    let new = ossl(d, &["crl", "-in", "ca.crl", "-noout", "-hash"]);
    let old = ossl(d, &["crl", "-in", "ca.crl", "-noout", "-hash_old"]);
    assert!(d.join("crls").join(format!("{}.r0", new.trim())).is_file());
    assert!(d.join("crls").join(format!("{}.rN", old.trim())).is_file());
    // A copy is DER, as orapki -copy writes; publishing again replaces it.
    std::fs::create_dir(d.join("copies")).unwrap();
    ok(
        d,
        &[
            "crl", "hash", "--crl", "ca.crl", "--dir", "copies", "--copy",
        ],
    );
    ok(
        d,
        &[
            "crl", "hash", "--crl", "ca.crl", "--dir", "copies", "--copy",
        ],
    );
    let copy = d.join("copies").join(format!("{}.rN", old.trim()));
    assert_eq!(std::fs::read(&copy).unwrap()[0], 0x30);
    // Something else under that name is not replaced without --force.
    std::fs::write(&copy, "unrelated\n").unwrap();
    let err = run_fails(
        orakit().current_dir(d).args([
            "crl", "hash", "--crl", "ca.crl", "--dir", "copies", "--copy",
        ]),
        1,
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), "unrelated\n");
    // list shows both names with the issuer; delete removes the links, not the CRL.
    // A list goes under "result" of the JSON document (docs/json.md).
    let doc = json(d, &["crl", "list", "--dir", "crls"]);
    assert_eq!(doc["schema_version"], 1);
    let rows = doc["result"]
        .as_array()
        .expect("crl list --json: a result list");
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row["issuer"], "CN=CRL Test Root,O=Example");
        assert_eq!(row["name_matches_issuer"], true);
    }
    let err = run_fails(
        orakit()
            .current_dir(d)
            .args(["crl", "delete", "--dir", "crls", "--issuer", "CN=Nobody"]),
        1,
    );
    assert!(err.contains("CN=CRL Test Root,O=Example"), "{err}");
    ok(
        d,
        &[
            "crl",
            "delete",
            "--dir",
            "crls",
            "--issuer",
            "CN=CRL Test Root, O=Example",
        ],
    );
    assert_eq!(std::fs::read_dir(d.join("crls")).unwrap().count(), 0);
    assert!(d.join("ca.crl").is_file());
}

#[test]
fn crl_from_a_wallet_ca_and_verify_against_the_wallet() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let pw = "CrlWallet2026pw#";
    let with_pw = |args: &[&str]| {
        run_ok(
            orakit()
                .current_dir(d)
                .env("PW", pw)
                .args(args)
                .args(["--password-env", "PW"]),
        )
    };
    with_pw(&["wallet", "create", "--wallet", "w"]);
    with_pw(&[
        "wallet",
        "add-self-signed",
        "--wallet",
        "w",
        "--subject",
        "CN=Wallet Root",
        "--ca",
        "--days",
        "365",
    ]);
    with_pw(&[
        "wallet",
        "export-cert",
        "--wallet",
        "w",
        "--subject",
        "CN=Wallet Root",
        "--out",
        "root.pem",
    ]);
    with_pw(&[
        "crl",
        "create",
        "--wallet",
        "w",
        "--out",
        "w.crl",
        "--sign-alg",
        "sha384",
    ]);
    let text = ossl(
        d,
        &[
            "crl", "-in", "w.crl", "-noout", "-text", "-verify", "-CAfile", "root.pem",
        ],
    );
    assert!(text.contains("Issuer: CN = Wallet Root"), "{text}");
    assert!(text.contains("sha384"), "{text}");
    with_pw(&["crl", "verify", "--crl", "w.crl", "--wallet", "w"]);
    // A wrong wallet password: one error, no file.
    let err = run_fails(
        orakit()
            .current_dir(d)
            .env("PW", "Wrong2026password")
            .args([
                "crl",
                "create",
                "--wallet",
                "w",
                "--out",
                "x.crl",
                "--password-env",
                "PW",
            ]),
        1,
    );
    assert!(
        err.contains("password") && err.trim().lines().count() == 1,
        "{err}"
    );
    assert!(!d.join("x.crl").exists());
    // An existing CRL that is not the one asked for (sha384, not the default sha256) is
    // not overwritten without --force.
    let before = std::fs::read(d.join("w.crl")).unwrap();
    let err = run_fails(
        orakit().current_dir(d).env("PW", pw).args([
            "crl",
            "create",
            "--wallet",
            "w",
            "--out",
            "w.crl",
            "--password-env",
            "PW",
        ]),
        1,
    );
    assert!(
        err.contains("another signature algorithm") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(d.join("w.crl")).unwrap(), before);
}

#[test]
fn crl_bad_input_names_the_file_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d);
    Fixture::at(d)
        .key_type("p256")
        .ca_named("other", "CN=Other Root");
    ok(
        d,
        &[
            "crl",
            "create",
            "--ca-cert",
            "other.pem",
            "--ca-key",
            "other.key",
            "--out",
            "other.crl",
        ],
    );
    // Signed by another CA: verify fails, revoke with our CA refuses and leaves it alone.
    let err = run_fails(
        orakit().current_dir(d).args([
            "crl",
            "verify",
            "--crl",
            "other.crl",
            "--ca-cert",
            "ca/ca.pem",
        ]),
        1,
    );
    assert!(
        err.contains("other.crl") && err.contains("another CA"),
        "{err}"
    );
    let before = std::fs::read(d.join("other.crl")).unwrap();
    let err = run_fails(
        orakit().current_dir(d).args([
            "crl",
            "revoke",
            "--crl",
            "other.crl",
            "--cert",
            "one.pem",
            "--ca-dir",
            ".",
        ]),
        1,
    );
    assert!(
        err.contains("other.crl") && err.contains("CN=Other Root"),
        "{err}"
    );
    assert_eq!(std::fs::read(d.join("other.crl")).unwrap(), before);
    // status on another issuer's CRL says it cannot tell (orapki says "not revoked").
    let err = run_fails(
        orakit()
            .current_dir(d)
            .args(["crl", "status", "--crl", "other.crl", "--cert", "one.pem"]),
        1,
    );
    assert!(err.contains("cannot say"), "{err}");
    // Malformed: one line naming the file.
    std::fs::write(
        d.join("bad.crl"),
        "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
    )
    .unwrap();
    for args in [
        vec!["crl", "display", "--crl", "bad.crl"],
        vec![
            "crl",
            "verify",
            "--crl",
            "bad.crl",
            "--ca-cert",
            "ca/ca.pem",
        ],
        vec![
            "crl", "revoke", "--crl", "bad.crl", "--cert", "one.pem", "--ca-dir", ".",
        ],
    ] {
        let err = run_fails(orakit().current_dir(d).args(&args), 1);
        assert!(
            err.contains("bad.crl") && err.trim().lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    assert!(
        std::fs::read_to_string(d.join("bad.crl"))
            .unwrap()
            .contains("AAAA")
    );
}

#[test]
fn net_sqlnet_writes_revocation_lines_by_release() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let out = run_ok(orakit().current_dir(d).args([
        "net",
        "sqlnet",
        "--role",
        "server",
        "--wallet-dir",
        "/w",
        "--client-auth",
        "--cert-revocation",
        "required",
        "--crl-path",
        "/u01/crl",
    ]));
    let text = stdout(&out);
    assert!(
        text.contains("SSL_CERT_REVOCATION = REQUIRED\nSSL_CRL_PATH = /u01/crl\n"),
        "{text}"
    );
    let out = run_ok(orakit().current_dir(d).args([
        "net",
        "sqlnet",
        "--role",
        "client",
        "--wallet-dir",
        "/w",
        "--target",
        "19.30",
        "--cert-revocation",
        "requested",
        "--crl-file",
        "/u01/ca.crl",
    ]));
    let text = stdout(&out);
    assert!(
        text.contains("TLS_CERT_REVOCATION = REQUESTED\nTLS_CRL_FILE = /u01/ca.crl\n"),
        "{text}"
    );
    // --update adds them to an existing file and keeps the rest.
    std::fs::write(d.join("sqlnet.ora"), "NAMES.DIRECTORY_PATH = (TNSNAMES)\n").unwrap();
    run_ok(orakit().current_dir(d).args([
        "net",
        "sqlnet",
        "--role",
        "client",
        "--wallet-dir",
        "/w",
        "--cert-revocation",
        "requested",
        "--crl-path",
        "/u01/crl",
        "--update",
        "sqlnet.ora",
    ]));
    let text = std::fs::read_to_string(d.join("sqlnet.ora")).unwrap();
    assert!(text.contains("NAMES.DIRECTORY_PATH = (TNSNAMES)"), "{text}");
    assert!(text.contains("SSL_CERT_REVOCATION = REQUESTED"), "{text}");
    assert!(text.contains("SSL_CRL_PATH = /u01/crl"), "{text}");
}

#[test]
fn crl_parallel_revokes_keep_every_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d);
    let mut fixture = Fixture::at(d).key_type("p256").signed_by("ca/ca");
    for name in ["three", "four"] {
        fixture = fixture.server_named(name, &format!("CN={name}"), &[name]);
    }
    ok(d, &["crl", "create", "--ca-dir", ".", "--out", "ca.crl"]);
    let children: Vec<_> = ["one", "two", "three", "four"]
        .iter()
        .map(|name| {
            orakit()
                .current_dir(d)
                .args(["crl", "revoke", "--crl", "ca.crl", "--ca-dir", "."])
                .args(["--cert", &format!("{name}.pem")])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let report = json(d, &["crl", "display", "--crl", "ca.crl"]);
    let mut serials: Vec<String> = report["revoked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["serial"].as_str().unwrap().to_string())
        .collect();
    serials.sort();
    let mut expected: Vec<String> = ["one", "two", "three", "four"]
        .iter()
        .map(|n| serial_of(d, &format!("{n}.pem")))
        .collect();
    expected.sort();
    assert_eq!(serials, expected);
}

/// Reruns of `crl create` and `crl revoke` that would make the same CRL change no byte
/// or mtime; another interval or a revoked entry is refused naming it; `--check` on a
/// revoke writes nothing. The revoked serials are read back with openssl.
#[test]
fn crl_create_and_revoke_reruns_change_nothing_and_check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d);
    let create = [
        "crl",
        "create",
        "--ca-dir",
        ".",
        "--next-update",
        "7",
        "--out",
        "ca.crl",
    ];
    ok(d, &create);
    let held = || {
        let p = d.join("ca.crl");
        (
            std::fs::read(&p).unwrap(),
            std::fs::metadata(&p).unwrap().modified().unwrap(),
        )
    };
    let first = held();
    let again = json(d, &create);
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(held(), first, "a crl create rerun rewrote the CRL");
    let other = run_fails(
        orakit().current_dir(d).args([
            "crl",
            "create",
            "--ca-dir",
            ".",
            "--next-update",
            "8",
            "--out",
            "ca.crl",
        ]),
        1,
    );
    assert!(other.contains("not 8 days after its thisUpdate"), "{other}");
    assert_eq!(held(), first);

    let revoke = [
        "crl", "revoke", "--crl", "ca.crl", "--cert", "one.pem", "--ca-dir", ".",
    ];
    let planned = json(d, &[&revoke[..], &["--check"]].concat());
    assert_eq!(planned["changed"], true, "{planned}");
    assert_eq!(held(), first, "crl revoke --check wrote");
    let done = json(d, &revoke);
    assert_eq!(done["changed"], true, "{done}");
    let revoked = held();
    let text = ossl(d, &["crl", "-in", "ca.crl", "-noout", "-text"]);
    let one = serial_of(d, "one.pem");
    assert!(
        text.contains(&format!("Serial Number: {one}")),
        "{one}\n{text}"
    );
    let again = json(d, &revoke);
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(
        held(),
        revoked,
        "revoking the same certificate again re-signed the CRL"
    );
    // The created file is no longer a fresh CRL: a create over it is refused.
    let listed = run_fails(orakit().current_dir(d).args(create), 1);
    assert!(
        listed.contains("it lists 1 revoked certificate"),
        "{listed}"
    );
}
