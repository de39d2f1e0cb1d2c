//! `orakit doctor` on broken wallet directories, each broken for real: missing, empty,
//! an unreadable file, a damaged auto-login file, a password-only wallet.

use crate::doctor_setup::*;
use crate::pki_helpers::scratch;
use crate::support::words;

#[test]
fn a_missing_wallet_directory_is_ora_28759() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    std::fs::remove_dir_all(dir.join("w")).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "wallet-dir-missing");
    assert_eq!(error, "ORA-28759");
    assert!(
        message.contains(dir.join("w").to_str().unwrap()),
        "{message}"
    );
}

#[test]
fn a_directory_without_wallet_files_is_ora_28759() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    for f in std::fs::read_dir(dir.join("w")).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap();
    }
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(problem(&json, "wallet-empty").0, "ORA-28759");
}

/// A directory where cwallet.sso should be: unreadable as a file for every user, root
/// included, so this case runs everywhere.
#[test]
fn a_wallet_file_that_cannot_be_read_is_ora_28759() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let sso = dir.join("w/cwallet.sso");
    std::fs::remove_file(&sso).unwrap();
    std::fs::create_dir(&sso).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "wallet-file-unreadable");
    assert_eq!(error, "ORA-28759");
    assert!(message.contains("cwallet.sso"), "{message}");
}

/// chmod 000 stops every user but root; as root the case is skipped with a notice (the
/// directory case above covers unreadability there).
#[test]
fn a_wallet_file_without_read_permission_is_ora_28759() {
    if running_as_root() {
        eprintln!("skipping: running as root, where chmod 000 does not stop reads");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let sso = dir.join("w/cwallet.sso");
    std::fs::set_permissions(&sso, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, json) = doctor(dir, &[]);
    std::fs::set_permissions(&sso, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "wallet-file-unreadable");
    assert_eq!(error, "ORA-28759");
    assert!(
        message.to_lowercase().contains("permission denied"),
        "{message}"
    );
}

#[test]
fn a_damaged_auto_login_file_is_ora_29106() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    let sso = dir.join("w/cwallet.sso");
    let mut bytes = std::fs::read(&sso).unwrap();
    // Keep the header, damage the encrypted PKCS#12 behind it.
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 32] {
        *b ^= 0x5a;
    }
    std::fs::write(&sso, &bytes).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, message) = problem(&json, "wallet-corrupt");
    assert_eq!(error, "ORA-29106");
    assert!(message.contains("cwallet.sso"), "{message}");
}

#[test]
fn a_password_only_wallet_lacks_auto_login_and_opens_with_the_password() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    std::fs::remove_dir_all(dir.join("w")).unwrap();
    let mut create = crate::support::orakit();
    create
        .current_dir(dir)
        .env("DOCTOR_TEST_PW", WALLET_PASSWORD)
        .args(words(
            "wallet create --wallet w --password-env DOCTOR_TEST_PW",
        ));
    crate::support::run_ok(&mut create);
    let mut add = crate::support::orakit();
    add.current_dir(dir)
        .env("DOCTOR_TEST_PW", WALLET_PASSWORD)
        .args(words("wallet add-trusted --wallet w --cert ca.pem"))
        .args(["--password-env", "DOCTOR_TEST_PW"]);
    crate::support::run_ok(&mut add);

    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(problem(&json, "wallet-no-auto-login").0, "ORA-28759");
    assert_eq!(json["certificates_checked"], 0);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "wallet-contents-unchecked")
    );

    let (code, json) = doctor_with(
        crate::support::orakit()
            .current_dir(dir)
            .env("DOCTOR_TEST_PW", WALLET_PASSWORD)
            .args(words(
                "doctor --tns-admin admin --password-env DOCTOR_TEST_PW",
            )),
    );
    assert_eq!(code, 3, "still no cwallet.sso: {json:#}");
    assert_eq!(json["certificates_checked"], 1);

    // After `wallet convert --to auto-login` the setup is clean.
    let mut convert = crate::support::orakit();
    convert
        .current_dir(dir)
        .env("DOCTOR_TEST_PW", WALLET_PASSWORD)
        .args(words("wallet convert --wallet w --to auto-login"))
        .args(["--password-env", "DOCTOR_TEST_PW"]);
    crate::support::run_ok(&mut convert);
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 0, "{json:#}");
}

#[test]
fn no_sqlnet_ora_and_no_wallet_location_are_named() {
    let tmp = scratch();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("admin")).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(problem(&json, "sqlnet-missing").0, "ORA-28759");

    std::fs::write(dir.join("admin/sqlnet.ora"), "SSL_SERVER_DN_MATCH = YES\n").unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    assert_eq!(problem(&json, "wallet-location-missing").0, "ORA-28759");
}

/// Beside a readable cwallet.sso Oracle never opens ewallet.p12: unreadable, it is a note.
#[test]
fn an_unreadable_ewallet_p12_beside_cwallet_sso_is_only_a_note() {
    let tmp = scratch();
    let dir = tmp.path();
    server_setup(dir, "ca");
    let p12 = dir.join("sw/ewallet.p12");
    std::fs::remove_file(&p12).unwrap();
    std::fs::create_dir(&p12).unwrap();
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 0, "{json:#}");
    let note = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "wallet-file-unreadable")
        .unwrap_or_else(|| panic!("no note in {json:#}"));
    assert_eq!(note["severity"], "note");
    assert_eq!(json["certificates_checked"], 2);
}

/// `wallet create` without `add-trusted`: nothing to verify a server with.
#[test]
fn a_wallet_without_any_ca_is_ora_29024() {
    let tmp = scratch();
    let dir = tmp.path();
    client_setup(dir);
    std::fs::remove_dir_all(dir.join("w")).unwrap();
    crate::pki_helpers::ok(
        dir,
        &crate::support::words("wallet create --wallet w --auto-login-only"),
    );
    let (code, json) = doctor(dir, &[]);
    assert_eq!(code, 3, "{json:#}");
    let (error, _) = problem(&json, "no-certificates");
    assert_eq!(error, "ORA-29024");
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "no-certificates")
        .unwrap();
    assert!(finding["file"].as_str().unwrap().ends_with("w/cwallet.sso"));
}
