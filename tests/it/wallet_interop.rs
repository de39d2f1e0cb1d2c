//! Independent readers accept what orakit writes: openssl, keytool, walletcheck.py
//! --strict and the oracledb-protocol crate's wallet readers.

use crate::support::words;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::support::openssl_self_signed;
use crate::support::{self, oracle_fixtures, orakit, run, run_ok, stdout};
use crate::wallet_common::{password_file, walletcheck, wc_file};

const PW: &str = "Interop#2026";

/// A wallet made through the CLI: create with `args`, add three openssl certificates.
fn make_wallet(dir: &Path, create_args: &[&str]) -> Vec<Vec<u8>> {
    let pwfile = password_file(dir.parent().unwrap(), PW);
    let mut create = orakit();
    create
        .args(["wallet", "create", "--wallet"])
        .arg(dir)
        .args(create_args);
    if !create_args.contains(&"--auto-login-only") {
        create.arg("--password-file").arg(&pwfile);
    }
    run_ok(&mut create);
    let certs_dir = dir.parent().unwrap();
    let mut bundle = String::new();
    let mut ders = Vec::new();
    for (i, cn) in ["Interop Root A", "Interop Root B", "Interop Root C"]
        .iter()
        .enumerate()
    {
        let pem = openssl_self_signed(
            certs_dir,
            &format!("c{i}"),
            &format!("/CN={cn}/O=orakit tests"),
        );
        let text = std::fs::read_to_string(&pem).unwrap();
        ders.push(
            orakit::wallet::certs::read_certificates(text.as_bytes())
                .unwrap()
                .remove(0),
        );
        bundle.push_str(&text);
    }
    let bundle_path = certs_dir.join("bundle.pem");
    std::fs::write(&bundle_path, bundle).unwrap();
    let mut add = orakit();
    add.args(["wallet", "add-trusted", "--wallet"])
        .arg(dir)
        .arg("--cert")
        .arg(&bundle_path);
    if !create_args.contains(&"--auto-login-only") {
        add.arg("--password-file").arg(&pwfile);
    }
    run_ok(&mut add);
    ders
}

fn openssl_info(p12: &Path, password: &[u8], legacy: bool) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut cmd = support::openssl();
    cmd.args(words("pkcs12 -info -nokeys -in"))
        .arg(p12)
        .args(["-passin", "env:OSSL_PW"]);
    cmd.env("OSSL_PW", std::ffi::OsStr::from_bytes(password));
    if legacy {
        cmd.arg("-legacy");
    }
    let out = run(&mut cmd);
    let all = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "openssl pkcs12 -info failed on {}: {all}",
        p12.display()
    );
    all
}

/// The inner PKCS#12 of an sso and its internal password, recovered by walletcheck.py.
fn sso_inner(sso_path: &Path) -> Option<(Vec<u8>, Vec<u8>)> {
    let (report, code) = walletcheck(sso_path, None, &["--show-secrets"])?;
    assert_eq!(code, 0, "{report}");
    let sso = &wc_file(&report)["sso"];
    let password = hex::decode(sso["password_hex"].as_str().unwrap()).unwrap();
    let offset = sso["pfx_offset"].as_u64().unwrap() as usize;
    Some((
        std::fs::read(sso_path).unwrap()[offset..].to_vec(),
        password,
    ))
}

#[test]
fn openssl_reads_our_p12_and_the_pkcs12_inside_our_sso() {
    for (encryption, legacy) in [("3des", true), ("aes256", false)] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("w");
        make_wallet(&dir, &["--auto-login", "--encryption", encryption]);
        let info = openssl_info(&dir.join("ewallet.p12"), PW.as_bytes(), legacy);
        assert!(info.contains("MAC: sha1"), "{info}");
        assert_eq!(
            info.matches("subject=CN = Interop Root").count(),
            3,
            "{info}"
        );
        if encryption == "aes256" {
            assert!(info.contains("PBES2, PBKDF2, AES-256-CBC"), "{info}");
        } else {
            assert!(info.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{info}");
        }
        let Some((inner, password)) = sso_inner(&dir.join("cwallet.sso")) else {
            return;
        };
        let inner_path = tmp.path().join("inner.p12");
        std::fs::write(&inner_path, inner).unwrap();
        let info = openssl_info(&inner_path, &password, legacy);
        assert_eq!(
            info.matches("subject=CN = Interop Root").count(),
            3,
            "{info}"
        );
    }
}

#[test]
fn walletcheck_strict_accepts_every_wallet_type_we_create() {
    for args in [
        &["--encryption", "3des"][..],
        &["--auto-login", "--encryption", "aes256"],
        &["--auto-login-only"],
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("w");
        make_wallet(&dir, args);
        let Some((report, code)) = walletcheck(&dir, Some(PW.as_bytes()), &["--strict"]) else {
            return;
        };
        assert_eq!(code, 0, "{args:?}: {report}");
        let files = report["files"].as_array().unwrap();
        assert!(
            files.iter().all(|f| f["status"] == "ok"),
            "{args:?}: {report}"
        );
        if args.contains(&"--auto-login-only") {
            assert_eq!(files[0]["sso"]["kind"], "0x37");
        }
        if args.contains(&"--auto-login") {
            let kinds: Vec<_> = files
                .iter()
                .filter(|f| !f["sso"].is_null())
                .map(|f| f["sso"]["kind"].clone())
                .collect();
            assert_eq!(kinds, ["0x36"]);
        }
    }
}

fn keytool_entries(p12: &Path, password: &str) -> Option<Vec<String>> {
    if Command::new("keytool").arg("-help").output().is_err() {
        if std::env::var_os("CI").is_some() {
            panic!("keytool is missing and CI is set");
        }
        eprintln!("skipping: keytool not found");
        return None;
    }
    let out = run_ok(
        Command::new("keytool")
            .args(words("-list -storetype PKCS12 -keystore"))
            .arg(p12)
            .args(["-storepass:env", "KT_PW"])
            .env("KT_PW", password),
    );
    let text = stdout(&out);
    // Entry lines look like "orakey, 21 Dec 2019, SecretKeyEntry,"; keep alias and type.
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| l.contains("Entry"))
        .map(|l| {
            let parts: Vec<&str> = l.split(", ").collect();
            format!(
                "{} {}",
                parts[0],
                parts.iter().find(|p| p.contains("Entry")).unwrap_or(&"")
            )
        })
        .collect();
    let count = text
        .lines()
        .find(|l| l.starts_with("Your keystore contains"))
        .unwrap_or_default()
        .to_owned();
    lines.insert(0, count);
    Some(lines)
}

#[test]
fn keytool_shows_our_rewrite_of_an_oracle_wallet_as_it_shows_the_real_one() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    for (fixture, password) in [
        ("raghuthota-adb-2019", "Sunil1240@rtx112"),
        ("darkathena-dbms-cloud", "asdf1234"),
    ] {
        let original = root.join(fixture).join("ewallet.p12");
        let decoded =
            orakit::wallet::p12::read(&std::fs::read(&original).unwrap(), password.as_bytes())
                .unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let ours = tmp.path().join("ewallet.p12");
        std::fs::write(
            &ours,
            orakit::wallet::p12::write(&decoded.wallet, password.as_bytes()).unwrap(),
        )
        .unwrap();
        let Some(real) = keytool_entries(&original, password) else {
            return;
        };
        let mine = keytool_entries(&ours, password).unwrap();
        assert_eq!(mine, real, "{fixture}");
    }
}

#[test]
fn oracledb_protocol_reads_our_sso_and_p12_with_the_same_certificates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let ders = make_wallet(&dir, &["--auto-login"]);
    let want: BTreeSet<Vec<u8>> = ders.into_iter().collect();
    let sso = oracledb_protocol::tls::sso::parse_cwallet_sso(
        &std::fs::read(dir.join("cwallet.sso")).unwrap(),
    )
    .unwrap();
    let p12 = oracledb_protocol::tls::wallet::parse_ewallet_p12(
        &std::fs::read(dir.join("ewallet.p12")).unwrap(),
        Some(PW),
    )
    .unwrap();
    assert_eq!(
        sso.ca_certificates.iter().cloned().collect::<BTreeSet<_>>(),
        want
    );
    assert_eq!(
        p12.ca_certificates.iter().cloned().collect::<BTreeSet<_>>(),
        want
    );
    assert!(!sso.has_client_identity());

    // A wallet with a key and a user certificate (the real ADB one, rewritten by us).
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let adb = root.join("raghuthota-adb-2019");
    let real = oracledb_protocol::tls::sso::parse_cwallet_sso(
        &std::fs::read(adb.join("cwallet.sso")).unwrap(),
    )
    .unwrap();
    let decoded =
        orakit::wallet::sso::read(&std::fs::read(adb.join("cwallet.sso")).unwrap(), None).unwrap();
    let ours = orakit::wallet::sso::write(
        &decoded.pkcs12.wallet,
        orakit::wallet::sso::SsoKind::AutoLogin,
        None,
    )
    .unwrap();
    let peer = oracledb_protocol::tls::sso::parse_cwallet_sso(&ours).unwrap();
    assert_eq!(peer.ca_certificates, real.ca_certificates);
    assert_eq!(peer.client_cert_chain, real.client_cert_chain);
    assert_eq!(peer.client_private_key, real.client_private_key);
    assert!(peer.has_client_identity());
    let p12 = orakit::wallet::p12::write(&decoded.pkcs12.wallet, b"Sunil1240@rtx112").unwrap();
    let peer =
        oracledb_protocol::tls::wallet::parse_ewallet_p12(&p12, Some("Sunil1240@rtx112")).unwrap();
    assert_eq!(peer.client_cert_chain, real.client_cert_chain);
    assert_eq!(peer.ca_certificates, real.ca_certificates);
}
