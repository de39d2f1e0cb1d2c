//! Every JSON document orakit prints (and the JSON files it leaves on disk) validated
//! against its schema file in schemas/, with values the test knows checked against what
//! openssl reads from the same files, and each schema shown to reject a mutated document.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::contract_common::{json_of, rejects, rejects_mutations, report, validate};
use crate::probe_support::TlsServer;
use crate::support::{Fixture, openssl, orakit, run_ok, stdout, words};

const PW: &str = "Schemas1contract";

/// orakit in `dir` with `line`'s words, the wallet password in the environment, and --json.
fn cmd(dir: &Path, line: &str) -> Command {
    let mut cmd = orakit();
    cmd.current_dir(dir)
        .args(words(line))
        .arg("--json")
        .env("SCHEMA_PW", PW);
    cmd
}

/// What `openssl x509 -noout -OPTION` prints after the `=`, trimmed.
fn x509(dir: &Path, file: &str, option: &str) -> String {
    let out = run_ok(
        openssl()
            .current_dir(dir)
            .args(["x509", "-noout", "-in", file])
            .args(words(option)),
    );
    let text = stdout(&out);
    text.trim()
        .split_once('=')
        .map_or_else(|| text.trim().to_owned(), |(_, v)| v.to_owned())
}

/// openssl's SHA-256 fingerprint of `file`: `AB:CD:...`.
fn sha256_colons(dir: &Path, file: &str) -> String {
    x509(dir, file, "-fingerprint -sha256")
}

/// The same fingerprint as wallet display and the tcps documents write it: `abcd...`.
fn sha256_hex(dir: &Path, file: &str) -> String {
    sha256_colons(dir, file).replace(':', "").to_lowercase()
}

/// openssl's notAfter of `file` in the contract's date form.
fn not_after(dir: &Path, file: &str) -> String {
    x509(dir, file, "-enddate -dateopt iso_8601").replace(' ', "T")
}

/// A serial in one form for comparing: upper-case hex without separators or leading
/// zeros (openssl prints a DER sign byte `00`, orakit's hex forms may drop it).
fn serial_of(value: &Value) -> String {
    normal_serial(value.as_str().unwrap())
}

fn normal_serial(hex: &str) -> String {
    hex.replace(':', "")
        .to_uppercase()
        .trim_start_matches('0')
        .to_owned()
}

/// openssl's serial of `file`, in [`serial_of`]'s form.
fn openssl_serial(dir: &Path, file: &str) -> String {
    normal_serial(&x509(dir, file, "-serial"))
}

fn json_file(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn key_ca_csr_and_cert_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let doc = report(
        &mut cmd(d, "key generate --out k.pem --key-type p384"),
        true,
    );
    validate("key-generate", &doc);
    assert_eq!(
        doc["key"],
        serde_json::json!({"type": "ec", "curve": "P-384"})
    );
    let text = run_ok(
        openssl()
            .current_dir(d)
            .args(words("pkey -in k.pem -noout -text")),
    );
    assert!(stdout(&text).contains("secp384r1"), "{}", stdout(&text));
    // The rerun keeps the key: the document has the key's spec and no files.
    let again = report(
        &mut cmd(d, "key generate --out k.pem --key-type p384"),
        false,
    );
    validate("key-generate", &again);
    rejects("key-generate", &doc, "no key", |d| {
        d.as_object_mut().unwrap().remove("key");
    });
    rejects("key-generate", &doc, "an unknown curve", |d| {
        d["key"]["curve"] = "P-999".into();
    });

    let line = "ca init --subject CN=Schema-Root --key-type p256 --key-out ca.key --out ca.pem";
    let doc = report(&mut cmd(d, line), true);
    validate("ca-init", &doc);
    let ca = &doc["certificate"];
    assert_eq!(ca["subject"], "CN=Schema-Root");
    assert_eq!(ca["sha256_fingerprint"], sha256_colons(d, "ca.pem"));
    assert_eq!(ca["not_after"], not_after(d, "ca.pem"));
    rejects_mutations("ca-init", &doc, "certificate", "/certificate/not_after");
    rejects("ca-init", &doc, "a CA that is no CA", |d| {
        d["certificate"]["is_ca"] = false.into();
    });

    let line = "csr create --key-out s.key --key-type p256 --subject CN=schema-srv \
                --san schema.example.com --out s.csr";
    let doc = report(&mut cmd(d, line), true);
    validate("csr-create", &doc);
    assert_eq!(
        doc["request"]["subject_alt_names"],
        serde_json::json!(["DNS:schema.example.com"])
    );
    rejects("csr-create", &doc, "no request", |d| {
        d.as_object_mut().unwrap().remove("request");
    });
    rejects(
        "csr-create",
        &doc,
        "a request that calls itself a certificate",
        |d| {
            d["request"]["kind"] = "certificate".into();
        },
    );

    let line = "csr sign s.csr --ca-cert ca.pem --ca-key ca.key --out s.pem --profile server";
    let doc = report(&mut cmd(d, line), true);
    validate("csr-sign", &doc);
    let cert = &doc["certificate"];
    assert_eq!(cert["issuer"], "CN=Schema-Root");
    assert_eq!(serial_of(&cert["serial"]), openssl_serial(d, "s.pem"));
    assert_eq!(cert["not_after"], not_after(d, "s.pem"));
    rejects_mutations("csr-sign", &doc, "files", "/certificate/not_after");

    let doc = json_of(&mut cmd(d, "cert show s.pem"), 0);
    validate("cert-show", &doc);
    assert_eq!(
        doc["objects"][0]["sha256_fingerprint"],
        sha256_colons(d, "s.pem")
    );
    assert!(
        doc.get("changed").is_none(),
        "a read-only command reports no change"
    );
    rejects_mutations("cert-show", &doc, "objects", "/objects/0/not_before");

    let doc = json_of(&mut cmd(d, "cert display s.pem"), 0);
    validate("cert-display", &doc);
    let shown = &doc["certificates"][0];
    assert_eq!(shown["sha256_fingerprint"], sha256_hex(d, "s.pem"));
    assert_eq!(serial_of(&shown["serial"]), openssl_serial(d, "s.pem"));
    assert_eq!(shown["not_after"], not_after(d, "s.pem"));
    rejects_mutations(
        "cert-display",
        &doc,
        "certificates",
        "/certificates/0/not_after",
    );
}

#[test]
fn crl_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    Fixture::at(d)
        .key_type("p256")
        .ca("CN=Schema CRL CA")
        .server_named("a", "CN=revoked-a", &["a.example.com"])
        .server_named("b", "CN=revoked-b", &["b.example.com"])
        .server_named("c", "CN=kept-c", &["c.example.com"]);
    let ca = "--ca-cert ca.pem --ca-key ca.key";
    let made = json_of(
        &mut cmd(d, &format!("crl create {ca} --out crl.pem --next-update 7")),
        0,
    );
    validate("crl", &made);
    assert_eq!(made["revoked"], serde_json::json!([]));
    let line = format!("crl revoke {ca} --crl crl.pem --cert a.pem --cert b.pem");
    validate("crl", &json_of(&mut cmd(d, &line), 0));

    let shown = json_of(&mut cmd(d, "crl display --crl crl.pem --complete"), 0);
    validate("crl", &shown);
    assert_eq!(shown["issuer"], "CN=Schema CRL CA");
    let mut serials: Vec<String> = shown["revoked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| serial_of(&r["serial"]))
        .collect();
    serials.sort_unstable();
    let mut expected = [openssl_serial(d, "a.pem"), openssl_serial(d, "b.pem")];
    expected.sort_unstable();
    assert_eq!(serials, expected);
    let next = run_ok(openssl().current_dir(d).args(words(
        "crl -in crl.pem -noout -nextupdate -dateopt iso_8601",
    )));
    let next = stdout(&next);
    let next = next
        .trim()
        .trim_start_matches("nextUpdate=")
        .replace(' ', "T");
    assert_eq!(shown["next_update"], next.as_str());
    rejects_mutations("crl", &shown, "revoked", "/revoked/0/revocation_date");
    rejects_mutations("crl", &shown, "this_update", "/next_update");

    // status: revoked (exit 3) with the date display lists, and not revoked (exit 0).
    let status = json_of(&mut cmd(d, "crl status --crl crl.pem --cert a.pem"), 3);
    validate("crl-status", &status);
    assert_eq!(status["revoked"], true);
    assert_eq!(serial_of(&status["serial"]), openssl_serial(d, "a.pem"));
    let listed = shown["revoked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["serial"] == status["serial"])
        .unwrap();
    assert_eq!(status["revocation_date"], listed["revocation_date"]);
    rejects_mutations("crl-status", &status, "serial", "/revocation_date");
    let kept = json_of(&mut cmd(d, "crl status --crl crl.pem --cert c.pem"), 0);
    validate("crl-status", &kept);
    assert_eq!(kept["revocation_date"], Value::Null);
    rejects(
        "crl-status",
        &kept,
        "a date on a certificate not revoked",
        |d| {
            d["revocation_date"] = listed["revocation_date"].clone();
        },
    );

    let verified = json_of(&mut cmd(d, "crl verify --crl crl.pem --ca-cert ca.pem"), 0);
    validate("crl-verify", &verified);
    assert_eq!(verified["signature_valid"], true);
    assert_eq!(verified["ca"], "CN=Schema CRL CA");
    rejects("crl-verify", &verified, "no signature_valid", |d| {
        d.as_object_mut().unwrap().remove("signature_valid");
    });

    std::fs::create_dir(d.join("crls")).unwrap();
    let hashed = json_of(&mut cmd(d, "crl hash --crl crl.pem --dir crls"), 0);
    validate("crl-hash", &hashed);
    let openssl_hash = run_ok(
        openssl()
            .current_dir(d)
            .args(words("crl -in crl.pem -noout -hash")),
    );
    assert_eq!(
        hashed["openssl_name"],
        format!("{}.r0", stdout(&openssl_hash).trim())
    );
    rejects("crl-hash", &hashed, "no published", |d| {
        d.as_object_mut().unwrap().remove("published");
    });

    let listed = json_of(&mut cmd(d, "crl list --dir crls"), 0);
    validate("crl-list", &listed);
    let entry = &listed["result"][0];
    assert_eq!(entry["revoked"], 2);
    assert_eq!(entry["next_update"], next.as_str());
    assert_eq!(entry["issuer"], "CN=Schema CRL CA");
    rejects_mutations("crl-list", &listed, "result", "/result/0/next_update");

    let deleted = json_of(
        orakit()
            .current_dir(d)
            .args(words("crl delete --dir crls --json --issuer"))
            .arg("CN=Schema CRL CA"),
        0,
    );
    validate("crl-delete", &deleted);
    assert_eq!(deleted["result"], serde_json::json!([entry["path"]]));
    rejects("crl-delete", &deleted, "a path that is no string", |d| {
        d["result"][0] = 1.into();
    });
}

#[test]
fn doctor_and_probe_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // doctor on a sqlnet.ora whose wallet directory does not exist: the known problem.
    std::fs::create_dir(d.join("admin")).unwrap();
    let missing = d.join("no-wallet");
    std::fs::write(
        d.join("admin/sqlnet.ora"),
        format!(
            "WALLET_LOCATION = (SOURCE = (METHOD = FILE)(METHOD_DATA = (DIRECTORY = {})))\n",
            missing.display()
        ),
    )
    .unwrap();
    let doc = json_of(&mut cmd(d, "doctor --tns-admin admin"), 3);
    validate("doctor", &doc);
    assert_eq!(doc["problems"], 1, "{doc:#}");
    let finding = &doc["findings"][0];
    assert_eq!(finding["code"], "wallet-dir-missing");
    assert_eq!(finding["severity"], "problem");
    assert_eq!(finding["likely_error"], "ORA-28759");
    assert_eq!(finding["file"], missing.display().to_string());
    assert_eq!(doc["sqlnet_ora"], "admin/sqlnet.ora");
    rejects("doctor", &doc, "no findings", |d| {
        d.as_object_mut().unwrap().remove("findings");
    });
    rejects("doctor", &doc, "an unknown severity", |d| {
        d["findings"][0]["severity"] = "fatal".into();
    });
    rejects("doctor", &doc, "an unknown field", |d| {
        d["findings"][0]["hint"] = "x".into();
    });

    // probe against openssl s_server serving a certificate the test made.
    Fixture::at(d)
        .key_type("p256")
        .ca("CN=Schema Probe CA")
        .server("CN=localhost", &["localhost", "127.0.0.1"]);
    let server = TlsServer::start(d, "server.pem", "server.key", &["-tls1_2"]);
    let target = server.target("127.0.0.1");
    let doc = json_of(&mut cmd(d, &format!("probe {target} --ca-cert ca.pem")), 0);
    validate("probe", &doc);
    assert_eq!(
        doc["chain"][0]["sha256_fingerprint"],
        sha256_colons(d, "server.pem")
    );
    assert_eq!(doc["chain"][0]["not_after"], not_after(d, "server.pem"));
    assert_eq!(doc["handshake"]["version"], "TLS 1.2");
    assert_eq!(doc["server_dn"], "CN=localhost");
    assert_eq!(doc["mode"], "verify-full");
    assert_eq!(doc["mode_passes"], true);
    rejects_mutations("probe", &doc, "handshake", "/chain/0/not_after");
    rejects("probe", &doc, "an unknown verdict", |d| {
        d["modes"][0]["verdict"] = "maybe".into();
    });
}

#[test]
fn tcps_documents_and_their_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let pw = "--password-env SCHEMA_PW";
    let init = format!("tcps init --host db.schema.example --service ORCL --out out {pw}");
    let doc = report(&mut cmd(d, &init), true);
    validate("tcps-init", &doc);
    assert_eq!(doc["server"]["subject"], "CN=db.schema.example");
    assert_eq!(
        doc["server"]["not_after"],
        not_after(d, "out/server/server.pem")
    );
    assert_eq!(doc["ca"]["not_after"], not_after(d, "out/ca/ca.pem"));
    rejects_mutations("tcps-init", &doc, "server", "/server/not_after");
    // The summary on disk is the same set-up without the contract's fields.
    let disk = json_file(&d.join("out/orakit-tcps.json"));
    validate("tcps-summary", &disk);
    for (key, value) in disk.as_object().unwrap() {
        assert_eq!(&doc[key], value, "orakit-tcps.json {key}");
    }
    rejects_mutations("tcps-summary", &disk, "ca", "/ca/not_after");
    // A rerun of the same set-up: the short document.
    let again = report(&mut cmd(d, &init), false);
    validate("tcps-init", &again);
    assert!(again.get("server").is_none(), "{again:#}");

    let doc = json_of(&mut cmd(d, &format!("tcps renew out --force {pw}")), 0);
    validate("tcps-renew", &doc);
    validate("change-report", &doc);
    assert_eq!(doc["renewed"], true);
    assert_eq!(doc["key"], "kept");
    let renewed = &doc["renewed_certificate"];
    assert_eq!(
        renewed["sha256_fingerprint"],
        sha256_hex(d, "out/server/server.pem")
    );
    assert_eq!(
        serial_of(&renewed["serial"]),
        openssl_serial(d, "out/server/server.pem")
    );
    assert_eq!(renewed["not_after"], not_after(d, "out/server/server.pem"));
    assert_ne!(doc["current"]["serial"], renewed["serial"]);
    rejects_mutations(
        "tcps-renew",
        &doc,
        "current",
        "/renewed_certificate/not_after",
    );
    rejects(
        "tcps-renew",
        &doc,
        "a renewal without the new certificate",
        |d| {
            d.as_object_mut().unwrap().remove("renewed_certificate");
        },
    );

    std::fs::write(
        d.join("hosts.csv"),
        "host,sans,service,tcps_port,tcp_port\nh1.schema.example,,ORCL,2484,1521\n\
         h2.schema.example,,ORCL,2484,1521\n",
    )
    .unwrap();
    let issue = format!("tcps issue --ca-dir out/ca --hosts hosts.csv --out fleet {pw}");
    let doc = report(&mut cmd(d, &issue), true);
    validate("tcps-issue", &doc);
    assert_eq!(doc["issued"], 2);
    assert_eq!(doc["ca_sha256"], sha256_hex(d, "out/ca/ca.pem"));
    for host in doc["hosts"].as_array().unwrap() {
        let pem = format!("fleet/{}/server.pem", host["host"].as_str().unwrap());
        assert_eq!(host["status"], "issued");
        assert_eq!(serial_of(&host["serial"]), openssl_serial(d, &pem));
        assert_eq!(host["not_after"], not_after(d, &pem));
    }
    rejects_mutations("tcps-issue", &doc, "hosts", "/hosts/0/not_after");
    rejects(
        "tcps-issue",
        &doc,
        "an issued host without its serial",
        |d| {
            d["hosts"][0].as_object_mut().unwrap().remove("serial");
        },
    );
    let disk = json_file(&d.join("fleet/summary.json"));
    validate("fleet-summary", &disk);
    assert_eq!(disk["hosts"], doc["hosts"]);
    rejects_mutations("fleet-summary", &disk, "ca_sha256", "/hosts/1/not_after");
    // The rerun skips both hosts.
    let again = report(&mut cmd(d, &issue), false);
    validate("tcps-issue", &again);
    assert_eq!(again["skipped"], 2);

    let rotate = format!("tcps rotate-root out --phase trust {pw}");
    let doc = report(&mut cmd(d, &rotate), true);
    validate("tcps-rotate-root", &doc);
    assert_eq!(doc["kind"], "tcps-init");
    assert_eq!(
        doc["old_root"]["sha256_fingerprint"],
        sha256_hex(d, "out/ca/ca.pem")
    );
    assert_eq!(
        doc["new_root"]["sha256_fingerprint"],
        sha256_hex(d, "out/ca-new/ca.pem")
    );
    assert_eq!(
        doc["new_root"]["not_after"],
        not_after(d, "out/ca-new/ca.pem")
    );
    rejects_mutations("tcps-rotate-root", &doc, "steps", "/new_root/not_after");
    let state = json_file(&d.join("out/orakit-rotation.json"));
    validate("rotation-state", &state);
    assert_eq!(state["phase"], "trust");
    assert_eq!(state["complete"], true);
    assert_eq!(
        state["new_root"]["pem"],
        std::fs::read_to_string(d.join("out/ca-new/ca.pem")).unwrap()
    );
    rejects_mutations("rotation-state", &state, "old_root", "/old_root/not_after");
    rejects("rotation-state", &state, "an unknown phase", |d| {
        d["phase"] = "done".into();
    });
}

#[test]
fn wallet_lists_exports_and_net_check_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ossl = |line: &str| run_ok(openssl().current_dir(d).args(words(line)));
    ossl(
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=Schema-Chain-CA",
    );
    ossl(
        "req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr -subj /CN=schema-chain-srv",
    );
    ossl("x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -days 10 -set_serial 7 -out srv.pem");
    ossl(
        "pkcs12 -export -in srv.pem -inkey srv.key -certfile ca.pem -out id.p12 -passout pass:Pfx-pass1",
    );
    let w = "--wallet w --password-env SCHEMA_PW";
    report(&mut cmd(d, &format!("wallet create {w}")), true);
    let mut import = cmd(
        d,
        &format!("wallet import {w} --pkcs12 id.p12 --pkcs12-password-env PFX_PW"),
    );
    report(import.env("PFX_PW", "Pfx-pass1"), true);

    let line =
        format!("wallet export-key {w} --subject CN=schema-chain-srv --out k.pem --unencrypted");
    let doc = report(&mut cmd(d, &line), true);
    validate("export-key", &doc);
    assert_eq!(doc["user_certificate"], "CN=schema-chain-srv");
    assert_eq!(doc["key"], "EC P-256");
    assert_eq!(doc["encrypted"], false);
    // openssl finds the certificate's public key in the exported key.
    let key_pub = stdout(&ossl("pkey -in k.pem -pubout"));
    let cert_pub = stdout(&ossl("x509 -in srv.pem -noout -pubkey"));
    assert_eq!(key_pub, cert_pub);
    rejects("export-key", &doc, "no mode", |d| {
        d.as_object_mut().unwrap().remove("mode");
    });
    rejects("export-key", &doc, "a key file readable by others", |d| {
        d["mode"] = "0644".into();
    });

    let doc = report(
        &mut cmd(d, &format!("wallet export-chain {w} --out chain.pem")),
        true,
    );
    validate("export-chain", &doc);
    assert_eq!(
        doc["certificates"],
        serde_json::json!(["CN=Schema-Chain-CA"])
    );
    assert_eq!(
        x509(d, "chain.pem", "-subject -nameopt RFC2253"),
        "CN=Schema-Chain-CA"
    );
    rejects("export-chain", &doc, "an unknown format", |d| {
        d["format"] = "der".into();
    });

    let mut add = cmd(
        d,
        &format!(
            "wallet credential add {w} --connect-string orcl_tls --username app --secret-env DB_PW"
        ),
    );
    report(add.env("DB_PW", "db-Secret-9"), true);
    let mut add = cmd(
        d,
        &format!(
            "wallet user-credential add {w} --map schema.map --key k1 --user etl --secret-env DB_PW"
        ),
    );
    report(add.env("DB_PW", "etl-Secret-9"), true);

    let doc = json_of(&mut cmd(d, &format!("wallet credential list {w}")), 0);
    validate("credential-list", &doc);
    assert_eq!(
        doc["credentials"],
        serde_json::json!([{"index": 1, "connect_string": "orcl_tls", "username": "app"}])
    );
    let shown = json_of(
        &mut cmd(d, &format!("wallet credential list {w} --show-secrets")),
        0,
    );
    validate("credential-list", &shown);
    assert_eq!(shown["credentials"][0]["password"], "db-Secret-9");
    rejects("credential-list", &doc, "no username", |d| {
        d["credentials"][0]
            .as_object_mut()
            .unwrap()
            .remove("username");
    });

    let doc = json_of(&mut cmd(d, &format!("wallet secret list {w}")), 0);
    validate("secret-list", &doc);
    let aliases: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["alias"].as_str().unwrap())
        .collect();
    for alias in [
        "oracle.security.client.connect_string1",
        "oracle.security.client.username1",
        "oracle.security.client.password1",
    ] {
        assert!(aliases.contains(&alias), "{alias} not in {aliases:?}");
    }
    assert!(
        !doc.to_string().contains("db-Secret-9"),
        "a value without --show-secrets"
    );
    rejects("secret-list", &doc, "an alias that is no string", |d| {
        d["entries"][0]["alias"] = Value::Null;
    });

    let doc = json_of(&mut cmd(d, &format!("wallet user-credential list {w}")), 0);
    validate("user-credential-list", &doc);
    let cred = &doc["user_credentials"][0];
    assert_eq!(
        (&cred["map"], &cred["key"], &cred["username"]),
        (&"schema.map".into(), &"k1".into(), &"etl".into())
    );
    assert!(cred.get("password").is_none());
    rejects("user-credential-list", &doc, "no map", |d| {
        d["user_credentials"][0]
            .as_object_mut()
            .unwrap()
            .remove("map");
    });

    std::fs::write(d.join("sqlnet.ora"), "SSL_VERSION = 1.0\nBAD LINE (\n").unwrap();
    let doc = json_of(&mut cmd(d, "net check sqlnet.ora"), 3);
    validate("net-check", &doc);
    let syntax = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "syntax")
        .unwrap_or_else(|| panic!("no syntax finding: {doc:#}"));
    assert_eq!(
        (&syntax["line"], &syntax["severity"]),
        (&2.into(), &"error".into())
    );
    rejects("net-check", &doc, "an unknown code", |d| {
        d["findings"][0]["code"] = "nope".into();
    });
    rejects("net-check", &doc, "no findings", |d| {
        d.as_object_mut().unwrap().remove("findings");
    });
}
