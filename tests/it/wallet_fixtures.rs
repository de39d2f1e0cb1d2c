//! Every real Oracle wallet opens, and `wallet display --json` reports what
//! PROVENANCE.md states; the sso and the p12 of one wallet hold the same entries.

use crate::support::words;
use serde_json::Value;

use crate::support::{self, oracle_fixtures, run_ok, stdout};
use crate::wallet_common::{OracleWallet, display_json, fixtures};

fn check_report(fx: &OracleWallet, report: &Value, from_sso: bool) {
    let name = format!(
        "{} ({})",
        fx.dir,
        if from_sso {
            "cwallet.sso"
        } else {
            "ewallet.p12"
        }
    );
    let counts = &report["counts"];
    assert_eq!(
        counts["trusted_certificates"], fx.trusted,
        "{name}: trusted"
    );
    assert_eq!(counts["user_certificates"], fx.user, "{name}: user certs");
    assert_eq!(
        counts["requested_certificates"], fx.requests,
        "{name}: requests"
    );
    assert_eq!(counts["private_keys"], fx.keys, "{name}: keys");
    assert_eq!(counts["secrets"], fx.secrets, "{name}: secrets");
    assert_eq!(counts["other_bags"], 0, "{name}: unknown bags");
    let enc = &report["encryption"];
    if fx.pbes2 {
        assert_eq!(enc["algorithm"], "PBES2", "{name}");
        assert_eq!(enc["prf"], "hmac-sha256", "{name}");
        assert_eq!(enc["cipher"], "aes256-cbc", "{name}");
    } else {
        assert_eq!(
            enc["algorithm"], "pbeWithSHAAnd3-KeyTripleDES-CBC",
            "{name}"
        );
    }
    assert_eq!(
        enc["iterations"], fx.iterations,
        "{name}: encryption iterations"
    );
    assert_eq!(enc["salt_length"], 8, "{name}");
    assert_eq!(report["mac"]["algorithm"], "hmacWithSHA1", "{name}");
    assert_eq!(
        report["mac"]["iterations"], fx.mac_iterations,
        "{name}: MAC iterations"
    );
    assert_eq!(
        report["safes"].as_array().unwrap().len(),
        1,
        "{name}: one safe"
    );
    if from_sso {
        assert_eq!(
            report["sso"]["kind_byte"],
            fx.kind_byte.unwrap(),
            "{name}: kind byte"
        );
        assert_eq!(report["sso"]["scheme"], "aes", "{name}");
    } else {
        assert!(report["sso"].is_null());
    }
}

fn subjects(report: &Value, section: &str) -> Vec<String> {
    report[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap().to_owned())
        .collect()
}

/// The entries as a comparable list: certificate fingerprints, request subjects, aliases.
fn entry_summary(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for section in ["trusted_certificates", "user_certificates"] {
        for c in report[section].as_array().unwrap() {
            out.push(format!(
                "{section}:{}:{}",
                c["sha256_fingerprint"], c["local_key_id"]
            ));
        }
    }
    for r in report["requested_certificates"].as_array().unwrap() {
        out.push(format!("req:{}:{}", r["subject"], r["local_key_id"]));
    }
    for k in report["private_keys"].as_array().unwrap() {
        out.push(format!(
            "key:{}:{}:{}",
            k["key_type"], k["key_size"], k["local_key_id"]
        ));
    }
    for s in report["secrets"].as_array().unwrap() {
        out.push(format!("secret:{}:{}", s["alias"], s["local_key_id"]));
    }
    out
}

#[test]
fn every_fixture_wallet_displays_what_provenance_states() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    for fx in fixtures() {
        let dir = fx.path(&root);
        let mut reports = Vec::new();
        if fx.has_p12 {
            let r = display_json(&dir.join("ewallet.p12"), fx.password);
            check_report(&fx, &r, false);
            reports.push(r);
        }
        if fx.has_sso {
            let r = display_json(&dir.join("cwallet.sso"), None);
            check_report(&fx, &r, true);
            reports.push(r);
        }
        if let [p12, sso] = &reports[..] {
            assert_eq!(
                entry_summary(p12),
                entry_summary(sso),
                "{}: sso and p12 differ",
                fx.dir
            );
        }
    }
}

#[test]
fn subjects_and_secrets_named_in_provenance_are_listed() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let dark = display_json(&root.join("darkathena-dbms-cloud/cwallet.sso"), None);
    let dark_subjects = subjects(&dark, "trusted_certificates").join("\n");
    for needle in [
        "GlobalSign",
        "Baltimore",
        "DigiCert",
        "CN=Microsoft RSA TLS CA 01",
        "VeriSign Class 3 Public Primary Certification Authority - G5",
    ] {
        assert!(
            dark_subjects.contains(needle),
            "{needle} missing in {dark_subjects}"
        );
    }
    let rds = display_json(&root.join("rds-trust/creazer-v-rds-root-2019"), None);
    assert!(subjects(&rds, "trusted_certificates")[0].starts_with("CN=Amazon RDS Root 2019 CA,"));
    let amazon = display_json(&root.join("rds-trust/creazer-I-amazon-root-ca1"), None);
    assert_eq!(
        subjects(&amazon, "trusted_certificates"),
        ["CN=Amazon Root CA 1,O=Amazon,C=US"]
    );
    let basedb = display_json(
        &root.join("orapki-23ai-howto/ewallet.p12"),
        Some("WElcome##123456"),
    );
    assert_eq!(subjects(&basedb, "trusted_certificates"), ["CN=basedb23ai"]);
    // PROVENANCE.md says "one with an EC P-256 key"; the file holds two P-256 and one
    // P-521 certificate (walletcheck.py agrees), so assert what the file holds.
    let apex = display_json(&root.join("juliusbsimon-apex-trust/v2024-11-29"), None);
    let ec: Vec<_> = apex["trusted_certificates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["key_type"] == "EC P-256")
        .collect();
    assert!(!ec.is_empty(), "the EC P-256 certificate is listed");

    let adb = display_json(
        &root.join("raghuthota-adb-2019/ewallet.p12"),
        Some("Sunil1240@rtx112"),
    );
    assert_eq!(adb["private_keys"][0]["friendly_name"], "orakey");
    assert_eq!(adb["private_keys"][0]["has_user_certificate"], true);
    assert_eq!(
        adb["user_certificates"][0]["local_key_id"],
        adb["private_keys"][0]["local_key_id"]
    );
    assert_eq!(adb["requested_certificates"][0]["oracle_kind"], 2);

    let mk = crate::support::run_ok(
        crate::support::orakit()
            .args(words(
                "wallet display --json --show-secrets --password-env MKPW --wallet",
            ))
            .arg(root.join("dotnet-mkstore"))
            .env("MKPW", "123Wallet"),
    );
    let mk: Value = serde_json::from_slice(&mk.stdout).unwrap();
    let got: Vec<(String, String, u64)> = mk["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["alias"].as_str().unwrap().into(),
                s["value"].as_str().unwrap().into(),
                s["oracle_index"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("oracle.security.client.connect_string1", "a_prod_db", 3),
        (
            "a@#3#@b",
            "{pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@c@#111#@d",
            2,
        ),
        ("oracle.security.client.username1", "a_test_user", 1),
        ("oracle.security.client.password1", "potatos are tasty", 0),
    ];
    let want: Vec<(String, String, u64)> = want
        .iter()
        .map(|(a, v, i)| (a.to_string(), v.to_string(), *i))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn secret_values_are_hidden_unless_asked_for() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let report = display_json(&root.join("dotnet-mkstore"), Some("123Wallet"));
    let text = report.to_string();
    assert!(!text.contains("potatos are tasty"));
    assert_eq!(report["secrets"][3]["value_length"], 17);
}

#[test]
fn text_display_is_laid_out_like_orapki_and_subjects_match_walletcheck() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let dir = root.join("raghuthota-adb-2019");
    let out = run_ok(
        support::orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&dir),
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Requested Certificates: ");
    assert_eq!(lines[1], "User Certificates:");
    assert!(lines[2].starts_with("Subject:        CN=9FFB62BC126744679D3F821AE47015BC."));
    assert_eq!(lines[3], "Trusted Certificates: ");
    assert_eq!(lines.len(), 7);
    // Each subject as the independent decoder prints it (RFC 4514 order, no spaces), with
    // orapki's keywords where it prints dotted OIDs. The order is orapki's (its alias
    // table's, checked against orapki in tests/oracle/display.rs), not bag order.
    let Some((wc, 0)) = crate::wallet_common::walletcheck(&dir.join("cwallet.sso"), None, &[])
    else {
        return;
    };
    let bags = crate::wallet_common::wc_file(&wc)["pkcs12"]["bags"]
        .as_array()
        .unwrap()
        .clone();
    let trusted: Vec<String> = bags
        .iter()
        .filter(|b| b["cert"]["role"] == "trusted")
        .map(|b| {
            format!(
                "Subject:        {}",
                orapki_keywords(b["cert"]["subject"].as_str().unwrap())
            )
        })
        .collect();
    let mut shown: Vec<&str> = lines[4..].to_vec();
    let mut want: Vec<&str> = trusted.iter().map(String::as_str).collect();
    shown.sort_unstable();
    want.sort_unstable();
    assert_eq!(shown, want);
}

/// walletcheck (python-cryptography) prints the types RFC 4514 names no keyword for as
/// dotted OIDs; orakit, like `orapki wallet display`, prints orapki's keywords for them.
fn orapki_keywords(rfc4514: &str) -> String {
    rfc4514
        .replace("2.5.4.46=", "DNQ=")
        .replace("1.2.840.113549.1.9.1=", "EMAIL=")
        .replace("2.5.4.5=", "SERIALNUMBER=")
        .replace("2.5.4.12=", "TITLE=")
}

/// Every certificate's details agree with the independent decoder's.
#[test]
fn certificate_details_match_walletcheck_for_every_fixture() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    for fx in fixtures() {
        let dir = fx.path(&root);
        let (file, pw) = if fx.has_sso {
            (dir.join("cwallet.sso"), None)
        } else {
            (dir.join("ewallet.p12"), fx.password)
        };
        let ours = display_json(&file, pw);
        let Some((wc, code)) = crate::wallet_common::walletcheck(&file, pw.map(str::as_bytes), &[])
        else {
            return;
        };
        assert_eq!(code, 0, "{}: walletcheck failed", fx.dir);
        let theirs: Vec<Value> = crate::wallet_common::wc_file(&wc)["pkcs12"]["bags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["type"] == "certBag")
            .map(|b| {
                let c = &b["cert"];
                serde_json::json!([
                    c["role"],
                    orapki_keywords(c["subject"].as_str().unwrap_or_default()),
                    orapki_keywords(c["issuer"].as_str().unwrap_or_default()),
                    c["serial"],
                    c["not_before"],
                    c["not_after"],
                    c["key_size"],
                    c["sha256"],
                    b["local_key_id"]
                ])
            })
            .collect();
        let mut mine = Vec::new();
        for (section, role) in [
            ("trusted_certificates", "trusted"),
            ("user_certificates", "user"),
        ] {
            for c in ours[section].as_array().unwrap() {
                mine.push(serde_json::json!([
                    role,
                    c["subject"],
                    c["issuer"],
                    c["serial"],
                    c["not_before"],
                    c["not_after"],
                    c["key_size"],
                    c["sha256_fingerprint"],
                    c["local_key_id"]
                ]));
            }
        }
        let key = |v: &Value| v[7].as_str().unwrap().to_owned();
        let mut theirs_sorted = theirs.clone();
        theirs_sorted.sort_by_key(key);
        mine.sort_by_key(key);
        assert_eq!(mine, theirs_sorted, "{}", fx.dir);
    }
}
