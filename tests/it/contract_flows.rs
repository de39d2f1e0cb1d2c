//! The scripting contract on the flows: `tcps init`, `dms wallet`, `wallet import` and
//! `wallet add-user-cert` run twice change nothing the second time; `--check` of a new
//! set-up names every file it would write and writes none.

use std::path::Path;
use std::process::Command;

use crate::contract_common::{assert_untouched, change_list, report, snapshot, triple};
use crate::support::{openssl, orakit, run_ok, words};

const PW: &str = "Flows1contract";

fn with_pw(mut cmd: Command) -> Command {
    cmd.env("CONTRACT_PW", PW)
        .args(["--password-env", "CONTRACT_PW", "--json"]);
    cmd
}

fn init(d: &Path, out: &str, extra: &[&str]) -> Command {
    init_for(d, "db.contract.example", out, extra)
}

fn init_for(d: &Path, host: &str, out: &str, extra: &[&str]) -> Command {
    let mut cmd = orakit();
    cmd.current_dir(d)
        .args(["tcps", "init", "--host", host, "--service", "ORCL"])
        .args(["--out", out])
        .args(extra);
    with_pw(cmd)
}

#[test]
fn tcps_init_rerun_and_check() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // --check lists the whole set-up and writes nothing.
    let doc = report(&mut init(d, "out", &["--check"]), true);
    let paths: Vec<String> = change_list(&doc).into_iter().map(|c| c.2).collect();
    for rel in [
        "out/ca/ca.key",
        "out/server/wallet/ewallet.p12",
        "out/server/wallet/cwallet.sso",
        "out/server/network/sqlnet.ora",
        "out/client/wallet/cwallet.sso",
        "out/client/network/tnsnames.ora",
        "out/orakit-tcps.json",
    ] {
        assert!(paths.iter().any(|p| p == rel), "{rel} not in {paths:?}");
    }
    assert_eq!(std::fs::read_dir(d).unwrap().count(), 0, "--check wrote");

    let doc = report(&mut init(d, "out", &[]), true);
    assert!(change_list(&doc).contains(&triple("file", "created", "out/server/server.pem")));
    let made = snapshot(&d.join("out"));
    report(&mut init(d, "out", &[]), false);
    report(&mut init(d, "out", &["--check"]), false);
    assert_untouched(&made, &snapshot(&d.join("out")), "tcps init again");
    // Another host is another set-up: refused without --force, nothing touched.
    let out = init_for(d, "other.contract.example", "out", &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_untouched(&made, &snapshot(&d.join("out")), "a refused tcps init");
}

#[test]
fn dms_import_and_user_cert_reruns_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ossl = |line: &str| run_ok(openssl().current_dir(d).args(words(line)));
    ossl(
        "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=Flows-CA",
    );
    ossl("req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=flows-srv");
    ossl("x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -days 10 -set_serial 77 -out srv.pem");
    ossl(
        "pkcs12 -export -in srv.pem -inkey srv.key -certfile ca.pem -out id.p12 -passout pass:Pfx-pass1",
    );

    // dms wallet twice.
    let dms = || {
        let mut cmd = orakit();
        cmd.current_dir(d)
            .args(words("dms wallet --ca-cert ca.pem --out dms --json"));
        cmd
    };
    let doc = report(&mut dms(), true);
    assert!(change_list(&doc).contains(&triple(
        "entry",
        "added",
        "trusted-certificate CN=Flows-CA"
    )));
    let made = snapshot(&d.join("dms"));
    report(&mut dms(), false);
    assert_untouched(&made, &snapshot(&d.join("dms")), "dms wallet again");

    // import of a PKCS#12 twice.
    let wallet = |line: &str| {
        let mut cmd = orakit();
        cmd.current_dir(d)
            .args(words(line))
            .env("PFX_PW", "Pfx-pass1");
        with_pw(cmd)
    };
    report(&mut wallet("wallet create --wallet w --auto-login"), true);
    let import = "wallet import --wallet w --pkcs12 id.p12 --pkcs12-password-env PFX_PW";
    let doc = report(&mut wallet(import), true);
    let entries: Vec<_> = change_list(&doc)
        .into_iter()
        .filter(|c| c.0 == "entry")
        .collect();
    for expected in [
        triple("entry", "added", "user-certificate CN=flows-srv"),
        triple("entry", "added", "private-key CN=flows-srv"),
        triple("entry", "added", "trusted-certificate CN=Flows-CA"),
    ] {
        assert!(
            entries.contains(&expected),
            "{expected:?} not in {entries:?}"
        );
    }
    let imported = snapshot(&d.join("w"));
    report(&mut wallet(import), false);
    report(&mut wallet(&format!("{import} --check")), false);
    // The certificate is already the key's user certificate: add-user-cert is a rerun too.
    report(
        &mut wallet("wallet add-user-cert --wallet w --cert srv.pem"),
        false,
    );
    assert_untouched(&imported, &snapshot(&d.join("w")), "import again");

    // credential delete / remove of what is not there, with --missing-ok.
    report(
        &mut wallet("wallet credential delete --wallet w --connect-string nope --missing-ok"),
        false,
    );
    report(
        &mut wallet("wallet remove --wallet w --subject CN=Nope --missing-ok"),
        false,
    );
    assert_untouched(&imported, &snapshot(&d.join("w")), "--missing-ok");
}

#[test]
fn key_generate_rerun_keeps_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let gen_key = |kind: &str| {
        let mut cmd = orakit();
        cmd.current_dir(d).args([
            "key",
            "generate",
            "--out",
            "k.pem",
            "--key-type",
            kind,
            "--json",
        ]);
        cmd
    };
    let doc = report(&mut gen_key("p256"), true);
    assert_eq!(change_list(&doc), [triple("file", "created", "k.pem")]);
    let made = snapshot(d);
    report(&mut gen_key("p256"), false);
    assert_untouched(&made, &snapshot(d), "key generate again");
    // openssl reads the kept key as the P-256 key asked for.
    let text = run_ok(
        openssl()
            .current_dir(d)
            .args(words("pkey -in k.pem -noout -text")),
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("prime256v1"));
    // Another key type there is an overwrite: refused, as JSON, nothing touched.
    let err = crate::contract_common::json_of(&mut gen_key("rsa2048"), 1);
    crate::contract_common::validate("error", &err);
    assert_eq!(err["error"]["kind"], "exists");
    assert_untouched(&made, &snapshot(d), "a refused key generate");
}
