//! Round trip of every real Oracle wallet: read, write back with the same profile, read
//! again; and the ASN.1 skeleton of what we write (bag types, attributes, localKeyIds,
//! safe structure, encryption and MAC parameters, sso header) equals the real file's,
//! both decoded by the independent walletcheck.py.

use std::path::Path;

use orakit::wallet::model::{Item, Wallet};
use orakit::wallet::{p12, sso};
use serde_json::{Value, json};

use crate::support::oracle_fixtures;
use crate::wallet_common::{fixtures, walletcheck, wc_file};

/// What must be equal between Oracle's file and ours, as walletcheck reports it.
fn skeleton(report: &Value) -> Value {
    let file = wc_file(report);
    let p = &file["pkcs12"];
    let safes: Vec<Value> = p["safes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let e = &s["encryption"];
            json!([
                s["content_type"],
                s["bag_count"],
                e["algorithm"],
                e["kdf"],
                e["prf"],
                e["cipher"],
                e["salt_length"],
                e["iterations"],
                e["key_length"],
                e["iv_length"]
            ])
        })
        .collect();
    let bags: Vec<Value> = p["bags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let content = if !b["cert"].is_null() {
                json!([b["cert"]["sha256"], b["cert"]["role"]])
            } else if !b["key"].is_null() {
                json!([
                    b["key"]["key_type"],
                    b["key"]["key_size"],
                    b["key"]["matches_cert"]
                ])
            } else {
                let s = &b["secret"];
                json!([
                    s["type_id_der_hex"],
                    s["kind"],
                    s["request_subject"],
                    s["alias"],
                    s["value_length"]
                ])
            };
            json!([
                b["type"],
                b["friendly_name"],
                b["local_key_id"],
                b["other_attributes"],
                content
            ])
        })
        .collect();
    let sso = &file["sso"];
    let sso = if sso.is_null() {
        Value::Null
    } else {
        json!([
            sso["magic"],
            sso["kind"],
            sso["header_version"],
            sso["n"],
            sso["scheme"],
            sso["password_length"],
            sso["password_bytes_1_127"],
            sso["pfx_ends_at_eof"]
        ])
    };
    let conventions: Vec<Value> = file["oracle_conventions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!([c["id"], c["status"]]))
        .collect();
    json!({
        "status": file["status"],
        "version": p["version"],
        "auth_safe_type": p["auth_safe_type"],
        "mac": [p["mac"]["algorithm"], p["mac"]["iterations"], p["mac"]["salt_length"], p["mac"]["verified"]],
        "safes": safes,
        "bags": bags,
        "sso": sso,
        "conventions": conventions,
    })
}

/// Entries compared through our own reader (content and attributes).
fn entries(wallet: &Wallet) -> Vec<String> {
    wallet
        .entries
        .iter()
        .map(|e| {
            let item = match &e.item {
                Item::PrivateKey(d) => format!("key {}", hex::encode(&d[..])),
                Item::Certificate(d) => format!("cert {}", hex::encode(d)),
                Item::CertificateRequest(d) => format!("req {}", hex::encode(d)),
                Item::Secret {
                    type_id,
                    alias,
                    value,
                } => format!("secret {type_id} {alias} {}", value.as_str()),
                Item::Opaque { bag_id, value } => format!("opaque {bag_id} {}", hex::encode(value)),
            };
            format!(
                "{item} {:?} {:?} {:?}",
                e.friendly_name, e.local_key_id, e.other_attributes
            )
        })
        .collect()
}

fn compare_with_walletcheck(original: &Path, ours: &Path, password: Option<&[u8]>, label: &str) {
    let Some((theirs, code)) = walletcheck(original, password, &[]) else {
        return;
    };
    assert_eq!(code, 0, "{label}: walletcheck rejects the real file");
    let Some((mine, code)) = walletcheck(ours, password, &[]) else {
        return;
    };
    assert_eq!(code, 0, "{label}: walletcheck rejects our file: {mine}");
    assert_eq!(
        skeleton(&mine),
        skeleton(&theirs),
        "{label}: skeleton differs"
    );
}

#[test]
fn every_fixture_round_trips_with_the_same_skeleton() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for fx in fixtures() {
        let dir = fx.path(&root);
        if fx.has_p12 {
            let pw = fx.password.unwrap().as_bytes();
            let original = dir.join("ewallet.p12");
            let first = p12::read(&std::fs::read(&original).unwrap(), pw).unwrap();
            let bytes = p12::write(&first.wallet, pw).unwrap();
            let again = p12::read(&bytes, pw).unwrap();
            assert_eq!(
                entries(&again.wallet),
                entries(&first.wallet),
                "{}: p12 entries",
                fx.dir
            );
            assert_eq!(
                again.wallet.profile, first.wallet.profile,
                "{}: p12 profile",
                fx.dir
            );
            let ours = tmp.path().join(format!("{}.p12", fx.dir.replace('/', "_")));
            std::fs::write(&ours, &bytes).unwrap();
            compare_with_walletcheck(
                &original,
                &ours,
                Some(pw),
                &format!("{} ewallet.p12", fx.dir),
            );
        }
        if fx.has_sso {
            let original = dir.join("cwallet.sso");
            let raw = std::fs::read(&original).unwrap();
            let first = sso::read(&raw, None).unwrap();
            let kind = sso::SsoKind::from_byte(first.header.kind_byte).unwrap();
            let bytes = sso::write(&first.pkcs12.wallet, kind, None).unwrap();
            let again = sso::read(&bytes, None).unwrap();
            assert_eq!(
                entries(&again.pkcs12.wallet),
                entries(&first.pkcs12.wallet),
                "{}: sso entries",
                fx.dir
            );
            assert_eq!(
                again.pkcs12.wallet.profile, first.pkcs12.wallet.profile,
                "{}: sso profile",
                fx.dir
            );
            assert_eq!(
                again.header.pfx_offset, 45,
                "{}: AES header is 45 bytes",
                fx.dir
            );
            let ours = tmp.path().join(format!("{}.sso", fx.dir.replace('/', "_")));
            std::fs::write(&ours, &bytes).unwrap();
            compare_with_walletcheck(&original, &ours, None, &format!("{} cwallet.sso", fx.dir));
        }
    }
}

#[test]
fn sso_and_p12_we_write_for_one_wallet_pass_walletchecks_cross_check() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let dir = root.join("raghuthota-adb-2019");
    let pw = orakit::secret::Password::new("Sunil1240@rtx112".into());
    let opened = orakit::wallet::store::open_p12(&dir.join("ewallet.p12"), &pw).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let paths = orakit::wallet::store::WalletPaths::in_dir(tmp.path());
    orakit::wallet::store::save(
        &paths,
        &opened.pkcs12.wallet,
        orakit::wallet::store::WalletType::AutoLogin,
        Some(&pw),
        orakit::fsio::Overwrite::Refuse,
    )
    .unwrap();
    let Some((report, code)) = walletcheck(tmp.path(), Some(pw.as_bytes()), &["--strict"]) else {
        return;
    };
    assert_eq!(code, 0, "{report}");
    let items = report["cross_check"]["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["status"] != "fail"), "{items:?}");
    // Oracle's rule: the two files differ by exactly the 45-byte sso header.
    let p12_len = std::fs::metadata(&paths.p12).unwrap().len();
    let sso_len = std::fs::metadata(&paths.sso).unwrap().len();
    assert_eq!(sso_len - p12_len, 45);
}
