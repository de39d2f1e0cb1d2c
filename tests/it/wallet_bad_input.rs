//! Damaged or wrong input: one clear error naming the file, exit 1, wallet untouched.
//! And the readers never panic, whatever the bytes (property tests).

use crate::support::words;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::support::openssl_self_signed;
use crate::support::{self, orakit, run_fails};
use crate::wallet_common::password_file;

const PW: &str = "Welcome#2026";

/// One way of damaging a file's bytes.
type Damage = Box<dyn Fn(&mut Vec<u8>)>;

/// A fresh auto-login wallet with one trusted certificate, in `tmp/w`.
fn wallet(tmp: &Path) -> PathBuf {
    let dir = tmp.join("w");
    let pwfile = password_file(tmp, PW);
    crate::support::run_ok(
        orakit()
            .args(words("wallet create --auto-login --wallet"))
            .arg(&dir)
            .arg("--password-file")
            .arg(&pwfile),
    );
    let cert = openssl_self_signed(tmp, "t", "/CN=Tamper Test");
    crate::support::run_ok(
        orakit()
            .args(["wallet", "add-trusted", "--wallet"])
            .arg(&dir)
            .arg("--cert")
            .arg(&cert)
            .arg("--password-file")
            .arg(&pwfile),
    );
    dir
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    support::list_files(dir)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(dir.join(&p)).unwrap()))
        .collect()
}

/// Damages `file` with `damage`, then checks display and add-trusted both fail cleanly.
fn assert_rejected(tmp: &Path, file: &str, damage: impl Fn(&mut Vec<u8>), expect: &str) {
    let dir = wallet(tmp);
    let path = dir.join(file);
    let mut bytes = std::fs::read(&path).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    let before = snapshot(&dir);
    let pwfile = tmp.join(".pw");
    let mut display = orakit();
    display.args(["wallet", "display", "--wallet"]).arg(&path);
    if file == "ewallet.p12" {
        display.arg("--password-file").arg(&pwfile);
    }
    let err = run_fails(&mut display, 1);
    assert!(
        err.contains(&path.display().to_string()),
        "{file}/{expect}: the error must name the file: {err}"
    );
    assert!(
        err.contains(expect),
        "{file}: expected {expect:?} in: {err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    let cert = tmp.join("t.pem");
    eprintln!("case: {file} {expect}");
    let err = run_fails(
        orakit()
            .args(["wallet", "add-trusted", "--wallet"])
            .arg(&dir)
            .arg("--cert")
            .arg(&cert)
            .arg("--password-file")
            .arg(&pwfile),
        1,
    );
    assert!(err.contains(file), "{err}");
    let mut after = snapshot(&dir);
    after.retain(|(p, _)| !p.to_string_lossy().ends_with(".lck"));
    let mut before = before;
    before.retain(|(p, _)| !p.to_string_lossy().ends_with(".lck"));
    assert_eq!(after, before, "{file}: the wallet was changed");
}

#[test]
fn tampered_sso_files_are_rejected() {
    let cases: Vec<(&str, Damage)> = vec![
        (
            "not an auto-login wallet",
            Box::new(|b: &mut Vec<u8>| b[0] ^= 0x01),
        ),
        (
            "unknown auto-login kind byte 0x39",
            Box::new(|b: &mut Vec<u8>| b[3] = 0x39),
        ),
        (
            "unsupported auto-login header version",
            Box::new(|b: &mut Vec<u8>| b[7] = 5),
        ),
        (
            "unknown password-wrapping scheme",
            Box::new(|b: &mut Vec<u8>| b[12] = 0x05),
        ),
        (
            "MAC check failed",
            Box::new(|b: &mut Vec<u8>| b[20] ^= 0x40),
        ),
        (
            "MAC check failed",
            Box::new(|b: &mut Vec<u8>| {
                let n = b.len();
                b[n - 20] ^= 0x01
            }),
        ),
        (
            "MAC check failed",
            Box::new(|b: &mut Vec<u8>| {
                let n = b.len();
                b[n / 2] ^= 0x01
            }),
        ),
        (
            "not a PKCS#12 file",
            Box::new(|b: &mut Vec<u8>| b.truncate(b.len() - 100)),
        ),
        ("too short", Box::new(|b: &mut Vec<u8>| b.truncate(8))),
        ("the file is empty", Box::new(|b: &mut Vec<u8>| b.clear())),
    ];
    for (expect, damage) in cases {
        let tmp = tempfile::tempdir().unwrap();
        assert_rejected(tmp.path(), "cwallet.sso", damage, expect);
    }
}

#[test]
fn tampered_p12_files_and_wrong_passwords_are_rejected() {
    let cases: Vec<(&str, Damage)> = vec![
        (
            "not a PKCS#12 file",
            Box::new(|b: &mut Vec<u8>| b[0] = 0x31),
        ),
        (
            "MAC check failed",
            Box::new(|b: &mut Vec<u8>| {
                let n = b.len();
                b[n - 20] ^= 0x01
            }),
        ),
        (
            "MAC check failed",
            Box::new(|b: &mut Vec<u8>| {
                let n = b.len();
                b[n / 2] ^= 0x01
            }),
        ),
        (
            "not a PKCS#12 file",
            Box::new(|b: &mut Vec<u8>| b.truncate(b.len() / 2)),
        ),
        ("the file is empty", Box::new(|b: &mut Vec<u8>| b.clear())),
    ];
    for (expect, damage) in cases {
        let tmp = tempfile::tempdir().unwrap();
        assert_rejected(tmp.path(), "ewallet.p12", damage, expect);
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = wallet(tmp.path());
    let wrong = tmp.path().join("wrong.pw");
    std::fs::write(&wrong, "Wrong#Pass99\n").unwrap();
    let err = run_fails(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(dir.join("ewallet.p12"))
            .arg("--password-file")
            .arg(&wrong),
        1,
    );
    assert!(
        err.contains("ewallet.p12") && err.contains("wrong password"),
        "{err}"
    );
}

#[test]
fn a_directory_without_a_wallet_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let err = run_fails(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(tmp.path()),
        1,
    );
    assert!(
        err.contains(&tmp.path().display().to_string()) && err.contains("holds no wallet"),
        "{err}"
    );
    let missing = tmp.path().join("nope");
    let err = run_fails(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&missing),
        1,
    );
    assert!(err.contains("does not exist"), "{err}");
    assert!(support::list_files(tmp.path()).is_empty());
}

#[test]
fn an_absurd_iteration_count_is_a_clear_error_not_a_hang() {
    use orakit::wallet::model::{Profile, Wallet};
    let mut profile = Profile::three_des();
    profile.mac_iterations = 2_000_000_000;
    let err = orakit::wallet::p12::write(&Wallet::new(profile), b"pw").unwrap_err();
    assert!(err.to_string().contains("beyond the limit"), "{err}");
}

fn real_sso() -> Option<Vec<u8>> {
    let root = support::oracle_fixtures()?;
    Some(std::fs::read(root.join("rds-trust/creazer-I-amazon-root-ca1/cwallet.sso")).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn readers_never_panic_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = orakit::wallet::sso::read(&bytes, None);
        let _ = orakit::wallet::p12::read(&bytes, b"pw");
        let mut with_magic = vec![0xA1, 0xF8, 0x4E, 0x36, 0, 0, 0, 6, 0, 0, 0, 0x21, 6];
        with_magic.extend_from_slice(&bytes);
        let _ = orakit::wallet::sso::read(&with_magic, None);
    }

    #[test]
    fn readers_never_panic_on_a_damaged_real_wallet(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4), cut in any::<prop::sample::Index>(), truncate in any::<bool>()) {
        let Some(mut bytes) = real_sso() else { return Ok(()) };
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let _ = orakit::wallet::sso::read(&bytes, None);
        if bytes.len() > 45 {
            let _ = orakit::wallet::p12::read(&bytes[45..], b"pw");
        }
    }
}
