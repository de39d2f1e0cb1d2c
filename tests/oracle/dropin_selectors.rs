//! Issue 14/15: orapki's `-issuer_dn` / `-serial_num` selectors of `export` and `remove`
//! and `remove -trusted_cert_all`, run by orapki 23ai and by orakit's front end on the same
//! wallets (see dropin.rs for the comparison), then the wallets read back by both.

use crate::dropin::{Item, PWD, Runner, differential, orapki, pair, read_back};
use crate::peers::Release;
use crate::support::{openssl, run_ok};

/// The serial of `pem` as openssl prints it (upper-case hex, no colons).
fn serial_of(pem: &std::path::Path) -> String {
    let out = run_ok(
        openssl()
            .args(["x509", "-noout", "-serial", "-in"])
            .arg(pem),
    );
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    text.split_once('=').unwrap().1.to_string()
}

#[test]
fn issuer_serial_and_trusted_cert_all_answer_as_orapki_does() {
    let pair = pair();
    // A root whose serial is all decimal digits in hex (0x1234 = 4660): orapki reads
    // `-serial_num 4660` as decimal.
    let tmp = tempfile::tempdir().unwrap();
    run_ok(openssl().current_dir(tmp.path()).args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/CN=Dec Root",
        "-set_serial",
        "4660",
        "-keyout",
        "dec.key",
        "-out",
        "dec.pem",
    ]));
    for dir in [&pair.oracle, &pair.orakit] {
        std::fs::copy(tmp.path().join("dec.pem"), dir.join("dec.pem")).unwrap();
    }
    let ca_serial = serial_of(&pair.oracle.join("ca.pem"));
    let other_serial = serial_of(&pair.oracle.join("other-ca.pem"));
    let ca_lower = ca_serial.to_ascii_lowercase();
    let ca = "'O=Example,CN=DropIn Root CA'";
    let other = "'O=Example,CN=Other Root'";
    let p = format!("-pwd {PWD} -nologo");
    let lines = [
        format!("wallet create -wallet w {p}"),
        format!("wallet add -wallet w -trusted_cert -cert ca.pem {p}"),
        format!("wallet add -wallet w -trusted_cert -cert other-ca.pem {p}"),
        format!("wallet add -wallet w -trusted_cert -cert dec.pem {p}"),
        format!("wallet add -wallet w -dn CN=user1 -keysize 2048 -self_signed -validity 365 {p}"),
        // Without -dn or -alias orapki refuses, whatever -issuer_dn/-serial_num say.
        format!(
            "wallet remove -wallet w -trusted_cert -issuer_dn {ca} -serial_num {ca_serial} {p}"
        ),
        format!("wallet export -wallet w -issuer_dn {ca} -serial_num {ca_serial} -cert e0.pem {p}"),
        // export honours both; a serial of decimal digits matches read either way.
        format!("wallet export -wallet w -dn {ca} -issuer_dn {other} -cert e1.pem {p}"),
        format!(
            "wallet export -wallet w -dn {ca} -issuer_dn {ca} -serial_num {ca_serial} -cert e2.pem {p}"
        ),
        format!("wallet export -wallet w -dn {ca} -serial_num 12 -cert e3.pem {p}"),
        format!("wallet export -wallet w -dn 'CN=Dec Root' -serial_num 1234 -cert d1.pem {p}"),
        format!("wallet export -wallet w -dn 'CN=Dec Root' -serial_num 4660 -cert d2.pem {p}"),
        // remove reads decimal digits as decimal only, and a serial with colons as none.
        format!("wallet remove -wallet w -trusted_cert -dn 'CN=Dec Root' -serial_num 1234 {p}"),
        format!("wallet remove -wallet w -trusted_cert -dn 'CN=Dec Root' -serial_num 12:34 {p}"),
        // remove honours both with -dn: a wrong issuer or serial is no match; with -alias
        // orapki selects by the alias alone (Other Root goes despite -serial_num 1).
        format!(
            "wallet remove -wallet w -trusted_cert -dn {ca} -issuer_dn {other} -serial_num {ca_serial} {p}"
        ),
        format!("wallet remove -wallet w -trusted_cert -dn {ca} -serial_num {other_serial} {p}"),
        format!("wallet remove -wallet w -trusted_cert -alias 'CN=Other Root' -serial_num 1 {p}"),
        format!("wallet remove -wallet w -trusted_cert -dn 'CN=Dec Root' -serial_num 4660 {p}"),
        format!(
            "wallet remove -wallet w -trusted_cert -dn {ca} -issuer_dn {ca} -serial_num {ca_lower} {p}"
        ),
        format!("wallet display -wallet w -complete {p}"),
        // Every trusted certificate at once (here Other Root and the self-signed copy).
        format!("wallet create -wallet all {p}"),
        format!("wallet add -wallet all -trusted_cert -cert ca.pem {p}"),
        format!("wallet add -wallet all -trusted_cert -cert other-ca.pem {p}"),
        format!("wallet add -wallet all -dn CN=user2 -keysize 2048 -self_signed -validity 365 {p}"),
        format!("wallet remove -wallet all -trusted_cert_all {p}"),
        format!("wallet remove -wallet all -trusted_cert_all {p}"),
        format!("wallet display -wallet all {p}"),
    ];
    let items: Vec<Item> = lines.iter().map(|l| Item::Run(orapki(l))).collect();
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    // What orapki itself sees in each side's wallets afterwards.
    let w = read_back(&pair, Release::R23ai, "w", Some(PWD));
    // -alias with a wrong -serial_num still removed Other Root: orapki ignores the serial there.
    assert!(
        w.contains("Subject:        CN=user1") && !w.contains("CN=Other Root"),
        "{w}"
    );
    assert!(
        !w.contains("CN=DropIn Root CA") && !w.contains("CN=Dec Root"),
        "{w}"
    );
    let all = read_back(&pair, Release::R23ai, "all", Some(PWD));
    let trusted = all.split("Trusted Certificates:").nth(1).unwrap_or("");
    assert!(!trusted.contains("Subject:"), "{all}");
    assert!(all.contains("Subject:        CN=user2"), "{all}");
    for dir in [&pair.oracle, &pair.orakit] {
        let exported = std::fs::read_to_string(dir.join("e2.pem")).unwrap();
        let ca_pem = std::fs::read_to_string(dir.join("ca.pem")).unwrap();
        assert_eq!(exported.trim(), ca_pem.trim(), "{}", dir.display());
        let dec = std::fs::read_to_string(dir.join("dec.pem")).unwrap();
        for found in ["d1.pem", "d2.pem"] {
            let text = std::fs::read_to_string(dir.join(found)).unwrap();
            assert_eq!(text.trim(), dec.trim(), "{found} in {}", dir.display());
        }
        for missing in ["e0.pem", "e1.pem", "e3.pem"] {
            assert!(
                !dir.join(missing).exists(),
                "{missing} in {}",
                dir.display()
            );
        }
    }
}
