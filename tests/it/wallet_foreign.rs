//! PKCS#12 files made by other tools open too: openssl's default (PBES2/AES, a plain
//! certificate safe and a shrouded key), openssl -legacy (RC2-40 + 3DES), keytool's, and
//! odd parameters (16-byte salts, 100000 iterations, SHA-256 MAC).

use crate::support::words;
use std::path::Path;
use std::process::Command;

use crate::support::{self, run_ok};
use crate::wallet_common::{display_json, walletcheck, wc_file};

const PW: &str = "Foreign#2026";

fn openssl_identity(dir: &Path) {
    run_ok(support::openssl().current_dir(dir).args(words("req -x509 -newkey rsa:2048 -nodes -days 5 -subj /O=Foreign/CN=foreign.example -keyout k.pem -out c.pem")));
}

fn check_identity(report: &serde_json::Value, label: &str) {
    assert_eq!(report["counts"]["private_keys"], 1, "{label}");
    assert_eq!(report["counts"]["user_certificates"], 1, "{label}");
    assert_eq!(
        report["user_certificates"][0]["subject"], "CN=foreign.example,O=Foreign",
        "{label}"
    );
    assert_eq!(report["private_keys"][0]["key_type"], "RSA", "{label}");
    assert_eq!(report["private_keys"][0]["key_size"], 2048, "{label}");
}

#[test]
fn openssl_made_pkcs12_files_open() {
    let tmp = tempfile::tempdir().unwrap();
    openssl_identity(tmp.path());
    let variants: [(&str, &[&str]); 4] = [
        ("default.p12", &[]),
        ("legacy.p12", &["-legacy"]),
        (
            "aes-sha256mac.p12",
            &[
                "-keypbe",
                "AES-128-CBC",
                "-certpbe",
                "AES-192-CBC",
                "-macalg",
                "sha256",
                "-iter",
                "2048",
            ],
        ),
        (
            "3des-sha512mac.p12",
            &[
                "-keypbe",
                "PBE-SHA1-3DES",
                "-certpbe",
                "PBE-SHA1-3DES",
                "-macalg",
                "sha512",
            ],
        ),
    ];
    for (name, extra) in variants {
        run_ok(
            support::openssl()
                .current_dir(tmp.path())
                .args([
                    "pkcs12", "-export", "-inkey", "k.pem", "-in", "c.pem", "-out", name,
                    "-passout", "env:P",
                ])
                .args(extra)
                .env("P", PW),
        );
        let report = display_json(&tmp.path().join(name), Some(PW));
        check_identity(&report, name);
        assert_eq!(
            report["safes"].as_array().unwrap().len(),
            2,
            "{name}: openssl writes two safes"
        );
        if name == "legacy.p12" {
            assert_eq!(
                report["encryption"]["algorithm"],
                "pbeWithSHAAnd40BitRC2-CBC"
            );
        }
    }
}

#[test]
fn keytool_made_pkcs12_files_open() {
    if Command::new("keytool").arg("-help").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "keytool is missing and CI is set"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("ks.p12");
    run_ok(
        Command::new("keytool")
            .args(words("-genkeypair -alias db -keyalg RSA -keysize 2048 -dname CN=foreign.example,O=Foreign"))
            .args(words("-validity 5 -storetype PKCS12 -keystore"))
            .arg(&store)
            .args(words("-storepass:env P -keypass:env P"))
            .env("P", PW),
    );
    check_identity(&display_json(&store, Some(PW)), "keytool");
}

#[test]
fn long_salts_and_high_iteration_counts_are_read_and_kept() {
    use orakit::wallet::model::{Profile, Wallet};
    let Some(root) = support::oracle_fixtures() else {
        return;
    };
    let real = orakit::wallet::sso::read(
        &std::fs::read(root.join("boomi-trust/cwallet.sso")).unwrap(),
        None,
    )
    .unwrap();
    let mut profile = Profile::three_des();
    profile.encryption.salt_length = 16;
    profile.encryption.iterations = 100_000;
    profile.mac_salt_length = 16;
    profile.mac_iterations = 100_000;
    let mut wallet = Wallet::new(profile);
    wallet.entries = real.pkcs12.wallet.entries;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("ewallet.p12");
    std::fs::write(
        &path,
        orakit::wallet::p12::write(&wallet, PW.as_bytes()).unwrap(),
    )
    .unwrap();
    // The independent decoder sees the parameters we asked for ...
    if let Some((report, code)) = walletcheck(&path, Some(PW.as_bytes()), &[]) {
        assert_eq!(code, 0, "{report}");
        let p = &wc_file(&report)["pkcs12"];
        assert_eq!(p["mac"]["salt_length"], 16);
        assert_eq!(p["mac"]["iterations"], 100_000);
        assert_eq!(p["safes"][0]["encryption"]["salt_length"], 16);
        assert_eq!(p["safes"][0]["encryption"]["iterations"], 100_000);
    }
    // ... and so does display.
    let report = display_json(&path, Some(PW));
    assert_eq!(report["encryption"]["salt_length"], 16);
    assert_eq!(report["encryption"]["iterations"], 100_000);
    assert_eq!(report["mac"]["salt_length"], 16);
    assert_eq!(report["counts"]["trusted_certificates"], 2);
}
