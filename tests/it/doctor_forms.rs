//! `orakit doctor` on the wallet forms beside cwallet.sso / ewallet.p12: an Autonomous
//! Database `Wallet_*.zip` given as `--tns-admin` (built here with the `zip` tool from an
//! orakit-made wallet and .ora files, and from the real 2019 ADB download read in place),
//! a malformed zip, a WALLET_LOCATION naming a zip, and an ewallet.pem-only wallet.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::doctor_setup::*;
use crate::pki_helpers::scratch;
use crate::probe_support::make_expired_server;
use crate::support::{oracle_fixtures, run_ok};

/// The sqlnet.ora an ADB wallet download ships (WALLET_LOCATION `?/network/admin`).
const ADB_SQLNET: &str = "WALLET_LOCATION = (SOURCE = (METHOD = file) (METHOD_DATA = \
                          (DIRECTORY=\"?/network/admin\")))\nSSL_SERVER_DN_MATCH=yes\n";

/// `zip -j zip_path files...`: every file at the top of the archive, as ADB ships it.
fn zip_files(zip_path: &Path, files: &[&Path]) {
    run_ok(Command::new("zip").arg("-qj").arg(zip_path).args(files));
}

/// An ADB-style zip in `dir/name` from `wallet_dir`'s files, `admin/tnsnames.ora` and the
/// ADB sqlnet.ora.
fn adb_zip(dir: &Path, name: &str, wallet_dir: &str) -> std::path::PathBuf {
    let stage = dir.join(format!("{name}.stage"));
    std::fs::create_dir(&stage).unwrap();
    std::fs::write(stage.join("sqlnet.ora"), ADB_SQLNET).unwrap();
    std::fs::copy(dir.join("admin/tnsnames.ora"), stage.join("tnsnames.ora")).unwrap();
    let mut files = vec![stage.join("sqlnet.ora"), stage.join("tnsnames.ora")];
    for f in std::fs::read_dir(dir.join(wallet_dir)).unwrap() {
        files.push(f.unwrap().path());
    }
    let zip = dir.join(name);
    zip_files(&zip, &files.iter().map(|p| p.as_path()).collect::<Vec<_>>());
    zip
}

/// `orakit doctor --json --tns-admin target` with TMPDIR in `tmpdir`.
fn doctor_at(target: &Path, tmpdir: &Path, extra: &[&str]) -> (i32, Value) {
    doctor_with(
        crate::support::orakit()
            .env("TMPDIR", tmpdir)
            .arg("doctor")
            .arg("--tns-admin")
            .arg(target)
            .args(extra),
    )
}

fn codes(json: &Value, severity: &str) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == severity)
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// TMPDIR after doctor ran: nothing left behind.
fn assert_empty(tmpdir: &Path) {
    let left: Vec<_> = std::fs::read_dir(tmpdir).unwrap().collect();
    assert!(
        left.is_empty(),
        "doctor left {left:?} in {}",
        tmpdir.display()
    );
}

#[test]
fn a_good_wallet_zip_has_no_problems_and_names_its_members() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let zip = adb_zip(dir, "Wallet_good.zip", "w");
    let tmpdir = dir.join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let (code, json) = doctor_at(&zip, &tmpdir, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(codes(&json, "problem").is_empty(), "{json:#}");
    assert_eq!(json["certificates_checked"], 1, "{json:#}");
    assert_eq!(json["wallet_type"], "auto-login-only", "{json:#}");
    let zip_str = zip.to_str().unwrap();
    assert_eq!(json["sqlnet_ora"], format!("{zip_str}/sqlnet.ora"));
    assert_eq!(json["tnsnames_ora"], format!("{zip_str}/tnsnames.ora"));
    assert_eq!(json["wallet_dir"], zip_str);
    let note = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "wallet-location-in-zip")
        .unwrap_or_else(|| panic!("no wallet-location-in-zip note: {json:#}"));
    let message = note["message"].as_str().unwrap();
    assert!(message.contains("?/network/admin"), "{message}");
    assert!(message.contains("unzip"), "{message}");
    // The temporary copy is private and gone afterwards; nothing names it.
    assert_empty(&tmpdir);
    assert!(!json.to_string().contains("orakit-doctor-"), "{json:#}");
}

/// Two problems planted in one download: an expired server certificate and a tnsnames
/// host that certificate does not name.
#[test]
fn a_wallet_zip_with_an_expired_certificate_and_an_unnamed_host_is_found() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    make_expired_server(dir, "ca", "server");
    server_wallet(dir, "server", "ca");
    tnsnames(dir, "db.example.com");
    let zip = adb_zip(dir, "Wallet_bad.zip", "sw");
    let tmpdir = dir.join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let (code, json) = doctor_at(&zip, &tmpdir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "cert-expired");
    assert_eq!(error, "ORA-29024");
    assert!(message.contains("CN=localhost,O=Example,C=US"), "{message}");
    assert!(message.contains("2020-12-31"), "{message}");
    let (_, message) = problem(&json, "san-host-mismatch");
    assert!(message.contains("db.example.com"), "{message}");
    assert_empty(&tmpdir);
}

#[test]
fn a_malformed_zip_is_one_clear_problem() {
    let tmp = scratch();
    let dir = tmp.path();
    let tmpdir = dir.join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    // Starts like a zip, ends before any directory: what a cut-off download looks like.
    let bad = dir.join("Wallet_cut.zip");
    std::fs::write(&bad, b"PK\x03\x04\x14\x00\x00\x00 cut off here").unwrap();
    let (code, json) = doctor_at(&bad, &tmpdir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let found = problems(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    let (c, _, message) = &found[0];
    assert_eq!(c, "wallet-zip-unreadable");
    assert!(message.contains(bad.to_str().unwrap()), "{message}");
    assert!(message.contains("download the wallet again"), "{message}");
    // A good zip that is no wallet download: also one problem, naming what is missing.
    let readme = dir.join("README");
    std::fs::write(&readme, "not a wallet\n").unwrap();
    let other = dir.join("other.zip");
    zip_files(&other, &[&readme]);
    let (code, json) = doctor_at(&other, &tmpdir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let found = problems(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    assert!(found[0].2.contains("no sqlnet.ora"), "{json:#}");
    assert_empty(&tmpdir);
}

/// A member named `../../sqlnet.ora` is read by its file name only: nothing is written
/// outside orakit's private directory.
#[test]
fn member_paths_in_a_zip_cannot_escape() {
    use std::io::Write;
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let tmpdir = dir.join("a/b/tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let zip_path = dir.join("Wallet_evil.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("../../sqlnet.ora", ADB_SQLNET.as_bytes().to_vec()),
        (
            "/abs/cwallet.sso",
            std::fs::read(dir.join("w/cwallet.sso")).unwrap(),
        ),
    ] {
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
    let (code, json) = doctor_at(&zip_path, &tmpdir, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["certificates_checked"], 1, "{json:#}");
    assert!(!dir.join("a/sqlnet.ora").exists());
    assert!(!dir.join("a/b/sqlnet.ora").exists());
    assert!(!Path::new("/abs").exists());
    assert_empty(&tmpdir);
}

/// The real 2019 ADB download, zipped from the fixture folder (read in place): its
/// client certificate expired 2021-12-25 (PROVENANCE.md).
#[test]
fn the_real_adb_download_as_a_zip_shows_its_expired_client_certificate() {
    let Some(fixtures) = oracle_fixtures() else {
        return;
    };
    let adb = fixtures.join("raghuthota-adb-2019");
    let tmp = scratch();
    let zip = tmp.path().join("Wallet_Demo.zip");
    let files: Vec<_> = std::fs::read_dir(&adb)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    zip_files(&zip, &files.iter().map(|p| p.as_path()).collect::<Vec<_>>());
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let (code, json) = doctor_at(&zip, &tmpdir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let expired: Vec<_> = problems(&json)
        .into_iter()
        .filter(|(c, _, _)| c == "cert-expired")
        .map(|(_, _, m)| m)
        .collect();
    assert!(
        expired.iter().any(|m| m.contains("user certificate")
            && m.contains("DNQ=V1")
            && m.contains("2021-12-25")),
        "{json:#}"
    );
    assert!(codes(&json, "note").contains(&"wallet-location-in-zip".to_owned()));
    assert_empty(&tmpdir);
}

/// WALLET_LOCATION naming the zip itself: Oracle Net needs a directory (a problem that
/// says to unzip it), and the certificates inside are still checked.
#[test]
fn a_wallet_location_naming_a_zip_says_unzip_and_checks_its_wallet() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let zip = dir.join("w.zip");
    zip_files(&zip, &[&dir.join("w/cwallet.sso")]);
    let text = std::fs::read_to_string(dir.join("admin/sqlnet.ora")).unwrap();
    let wallet = dir.join("w");
    let text = text.replace(wallet.to_str().unwrap(), zip.to_str().unwrap());
    assert!(text.contains("w.zip"), "{text}");
    std::fs::write(dir.join("admin/sqlnet.ora"), text).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "wallet-dir-not-a-directory");
    assert_eq!(error, "ORA-28759");
    assert!(message.contains("wallet zip"), "{message}");
    assert!(message.contains("unzip"), "{message}");
    assert_eq!(json["certificates_checked"], 1, "{json:#}");
}

/// A wallet directory holding only ewallet.pem, as thin-mode clients use: a warning that
/// Oracle's C client cannot read it, and its certificates checked (a good CA: no
/// problem; then an expired server certificate with its key: ORA-29024).
#[test]
fn an_ewallet_pem_only_wallet_is_checked() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    // A thin client's setup: no listener (a listener cannot use ewallet.pem, and says so).
    std::fs::remove_file(dir.join("admin/listener.ora")).unwrap();
    let wallet = dir.join("sw");
    std::fs::remove_dir_all(&wallet).unwrap();
    std::fs::create_dir(&wallet).unwrap();
    std::fs::copy(dir.join("ca.pem"), wallet.join("ewallet.pem")).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(
        codes(&json, "warning").contains(&"wallet-thin-only".to_owned()),
        "{json:#}"
    );
    assert_eq!(json["certificates_checked"], 1, "{json:#}");

    make_expired_server(dir, "ca", "server");
    let mut pem = std::fs::read(dir.join("server.key")).unwrap();
    pem.extend(std::fs::read(dir.join("server.pem")).unwrap());
    pem.extend(std::fs::read(dir.join("ca.pem")).unwrap());
    std::fs::write(wallet.join("ewallet.pem"), pem).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "cert-expired");
    assert_eq!(error, "ORA-29024");
    assert!(message.contains("user certificate"), "{message}");
    assert!(message.contains("CN=localhost,O=Example,C=US"), "{message}");
}

/// A wallet directory holding only truststore.jks (JDBC thin through ojdbc.properties),
/// written by `orakit wallet to-jks`: checked with the password, a note without it, one
/// problem with a wrong one.
#[test]
fn a_jks_only_wallet_is_checked_with_its_password() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    std::fs::create_dir(dir.join("j")).unwrap();
    run_ok(
        crate::support::orakit()
            .current_dir(dir)
            .env("JKS_PW", WALLET_PASSWORD)
            .args(crate::support::words(
                "wallet to-jks --wallet w --truststore j/truststore.jks \
                 --truststore-password-env JKS_PW --jks-password-env JKS_PW",
            )),
    );
    let text = std::fs::read_to_string(dir.join("admin/sqlnet.ora")).unwrap();
    let (w, j) = (dir.join("w"), dir.join("j"));
    std::fs::write(
        dir.join("admin/sqlnet.ora"),
        text.replace(w.to_str().unwrap(), j.to_str().unwrap()),
    )
    .unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(codes(&json, "warning").contains(&"wallet-thin-only".to_owned()));
    assert!(codes(&json, "note").contains(&"wallet-contents-unchecked".to_owned()));
    assert_eq!(json["certificates_checked"], 0, "{json:#}");

    let with = |pw: &str| {
        doctor_with(
            crate::support::orakit()
                .current_dir(dir)
                .env("JKS_PW", pw)
                .args(["doctor", "--tns-admin", "admin", "--password-env", "JKS_PW"]),
        )
    };
    let (code, json) = with(WALLET_PASSWORD);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["certificates_checked"], 1, "{json:#}");
    let (code, json) = with("not-the-password");
    assert_eq!(code, 3, "{json:#}");
    let found = problems(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    assert!(found[0].2.contains("truststore.jks"), "{json:#}");
}
