//! Certificates and keys from real Oracle-made wallets (extracted by OpenSSL) read by
//! orakit; OpenSSL gives the expected values.

use std::path::Path;

use crate::pki_helpers::*;
use crate::support::*;

/// (fixture folder, wallet password) from PROVENANCE.md.
const WALLETS: &[(&str, &str)] = &[
    ("darkathena-dbms-cloud", "asdf1234"),
    ("liaartem-xe21c", "34534kjhsdffkjsdfgalfgb###"),
    ("liaartem-free23c", "34534kjhsdffkjsdfgalfgb###"),
    ("raghuthota-adb-2019", "Sunil1240@rtx112"),
    ("orapki-23ai-howto", "WElcome##123456"),
];

/// Runs `openssl pkcs12` on a fixture wallet with the password in an environment variable.
fn extract(dir: &Path, wallet: &Path, password: &str, what: &[&str], out: &str) {
    let mut cmd = openssl();
    cmd.current_dir(dir)
        .env("WALLET_PW", password)
        .args(["pkcs12", "-legacy", "-in"])
        .arg(wallet)
        .args(["-passin", "env:WALLET_PW", "-out", out])
        .args(what);
    run_ok(&mut cmd);
}

/// The PEM certificates of a bundle, one string each.
fn split_bundle(text: &str) -> Vec<String> {
    text.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .map(|rest| {
            let body = rest.split("-----END CERTIFICATE-----").next().unwrap();
            format!("-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----\n")
        })
        .collect()
}

#[test]
fn certificates_from_oracle_wallets_are_shown_as_openssl_sees_them() {
    let Some(fixtures) = oracle_fixtures() else {
        return;
    };
    let dir = scratch();
    let d = dir.path();
    for (folder, password) in WALLETS {
        let bundle = format!("{folder}.pem");
        extract(
            d,
            &fixtures.join(folder).join("ewallet.p12"),
            password,
            &["-nokeys"],
            &bundle,
        );
        let out = run_ok(orakit_in(d).args(["cert", "show", "--json", &bundle]));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let objects = json["objects"].as_array().unwrap();
        let certs = split_bundle(&std::fs::read_to_string(d.join(&bundle)).unwrap());
        assert_eq!(objects.len(), certs.len(), "{folder}");
        for (i, pem) in certs.iter().enumerate() {
            let one = format!("{folder}-{i}.pem");
            std::fs::write(d.join(&one), pem).unwrap();
            let fp = ossl(
                d,
                &["x509", "-in", &one, "-noout", "-fingerprint", "-sha256"],
            );
            assert_eq!(
                fp.trim().trim_start_matches("sha256 Fingerprint="),
                objects[i]["sha256_fingerprint"].as_str().unwrap(),
                "{folder} #{i}"
            );
            let subject = ossl(
                d,
                &[
                    "x509", "-in", &one, "-noout", "-subject", "-nameopt", "RFC2253",
                ],
            );
            assert_eq!(
                rfc2253_keywords_only(subject.trim().trim_start_matches("subject="))
                    .to_ascii_lowercase(),
                objects[i]["subject"].as_str().unwrap().to_ascii_lowercase(),
                "{folder} #{i}"
            );
        }
    }
}

#[test]
fn the_private_key_of_an_adb_wallet_is_read_and_matches_its_certificate() {
    let Some(fixtures) = oracle_fixtures() else {
        return;
    };
    let dir = scratch();
    let d = dir.path();
    let wallet = fixtures.join("raghuthota-adb-2019/ewallet.p12");
    // OpenSSL writes "Bag Attributes" text before the PEM block; orakit must skip it.
    extract(
        d,
        &wallet,
        "Sunil1240@rtx112",
        &["-nocerts", "-nodes"],
        "adb.key",
    );
    extract(
        d,
        &wallet,
        "Sunil1240@rtx112",
        &["-nokeys"],
        "adb-certs.pem",
    );
    // The user certificate is the one Oracle tagged with the key's friendlyName `orakey`.
    let certs = std::fs::read_to_string(d.join("adb-certs.pem")).unwrap();
    let user_bag = certs
        .split("Bag Attributes")
        .find(|bag| bag.contains("friendlyName: orakey") && bag.contains("BEGIN CERTIFICATE"))
        .expect("a certificate bag named orakey");
    std::fs::write(d.join("adb-user.pem"), &split_bundle(user_bag)[0]).unwrap();
    ok(
        d,
        &[
            "csr",
            "create",
            "--key",
            "adb.key",
            "--subject",
            "CN=adb check",
            "--out",
            "adb.csr",
        ],
    );
    assert!(ossl(d, &words("req -verify -in adb.csr -noout")).contains("verify OK"));
    let csr_key = ossl(d, &words("req -in adb.csr -noout -pubkey"));
    let cert_key = ossl(d, &words("x509 -in adb-user.pem -noout -pubkey"));
    assert_eq!(csr_key, cert_key);
}

/// OpenSSL's RFC 2253 output uses its own short names for types RFC 2253 gives no
/// keyword (dnQualifier, emailAddress, serialNumber); orakit prints orapki's keywords for
/// them (`orapki wallet display` prints DNQ=, EMAIL=, SERIALNUMBER=).
fn rfc2253_keywords_only(openssl_dn: &str) -> String {
    openssl_dn
        .replace("dnQualifier=", "DNQ=")
        .replace("emailAddress=", "EMAIL=")
        .replace("serialNumber=", "SERIALNUMBER=")
}
