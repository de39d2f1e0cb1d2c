//! `orakit doctor` on setups made entirely by orakit reports no problems, and finds
//! sqlnet.ora the way Oracle does (TNS_ADMIN, then ORACLE_HOME/network/admin).

use crate::doctor_setup::*;
use crate::pki_helpers::scratch;
use crate::support::*;

#[test]
fn a_client_setup_made_by_orakit_is_clean() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["problems"], 0);
    assert_eq!(json["wallet_type"], "auto-login-only");
    assert_eq!(json["certificates_checked"], 1);
    assert!(
        json["sqlnet_ora"]
            .as_str()
            .unwrap()
            .ends_with("admin/sqlnet.ora")
    );

    let out = run_ok(
        orakit()
            .current_dir(dir)
            .args(["doctor", "--tns-admin", "admin"]),
    );
    assert!(
        stdout(&out).contains("No problems found."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_server_setup_made_by_orakit_is_clean_including_listener_and_sans() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["wallet_type"], "auto-login");
    assert_eq!(json["certificates_checked"], 2);
}

#[test]
fn tns_admin_from_the_environment_is_searched_first() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let admin = dir.join("admin");
    let (code, json) = doctor_with(
        orakit()
            .current_dir(dir)
            .env("TNS_ADMIN", &admin)
            .env_remove("ORACLE_BASE_HOME")
            .env("ORACLE_HOME", dir.join("no-such-home"))
            .arg("doctor"),
    );
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["searched"][0]["why"], "TNS_ADMIN");
    assert_eq!(json["searched"][0]["has_sqlnet_ora"], true);
    assert_eq!(json["searched"][1]["why"], "ORACLE_HOME/network/admin");
    assert_eq!(
        json["sqlnet_ora"],
        admin.join("sqlnet.ora").to_str().unwrap()
    );
}

/// The real Autonomous Database wallet download of 2019, found through
/// ORACLE_HOME/network/admin (a symlink to the fixture, read in place); its sqlnet.ora
/// says DIRECTORY="?/network/admin". PROVENANCE.md: the client certificate expired
/// 2021-12-25.
#[test]
fn the_real_adb_wallet_download_is_found_via_oracle_home_and_its_expired_client_cert_named() {
    let Some(fixtures) = oracle_fixtures() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("network")).unwrap();
    std::os::unix::fs::symlink(
        fixtures.join("raghuthota-adb-2019"),
        home.join("network/admin"),
    )
    .unwrap();
    let (code, json) = doctor_with(
        orakit()
            .env("ORACLE_HOME", &home)
            .env_remove("ORACLE_BASE_HOME")
            .arg("doctor"),
    );
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(json["searched"][0]["why"], "ORACLE_HOME/network/admin");
    assert_eq!(json["wallet_type"], "auto-login");
    let expired: Vec<_> = problems(&json)
        .into_iter()
        .filter(|(c, _, m)| c == "cert-expired" && m.contains("user certificate"))
        .collect();
    assert_eq!(expired.len(), 1, "{json:#}");
    assert_eq!(expired[0].1, "ORA-29024");
    assert!(expired[0].2.contains("2021-12-25"), "{}", expired[0].2);
}
