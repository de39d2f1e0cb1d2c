//! The library functions the key commands build on: a key with its pending request,
//! installing the signed certificate on it, secrets. Material made by openssl; results
//! checked by walletcheck.py, openssl and the oracledb-protocol reader.

use crate::support::words;
use std::path::Path;

use orakit::wallet::display;
use orakit::wallet::model::{ModelError, Profile, Wallet};
use orakit::wallet::store::{self, WalletPaths, WalletType};

use crate::support::openssl_self_signed;
use crate::support::{self, run, run_ok};
use crate::wallet_common::{walletcheck, wc_file};

fn openssl(dir: &Path, args: &[&str]) {
    run_ok(support::openssl().current_dir(dir).args(args));
}

fn der_of(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

/// EC key (PKCS#8 DER), its CSR (DER), a CA, and the CA-signed certificate (DER).
fn material(dir: &Path, keyalg: &[&str]) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut genkey = vec!["genpkey", "-out", "key.pem"];
    genkey.extend_from_slice(keyalg);
    openssl(dir, &genkey);
    openssl(
        dir,
        &[
            "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "key.pem",
            "-subj",
            "/O=Example/CN=db.example.com",
            "-outform",
            "DER",
            "-out",
            "req.der",
        ],
    );
    let ca = openssl_self_signed(dir, "ca", "/O=Example/CN=Example Root CA");
    openssl(
        dir,
        &[
            "x509", "-req", "-inform", "DER", "-in", "req.der", "-CA", "ca.pem", "-CAkey",
            "ca.key", "-days", "10", "-outform", "DER", "-out", "user.der",
        ],
    );
    let ca_der = orakit::wallet::certs::read_certificates(&std::fs::read(ca).unwrap())
        .unwrap()
        .remove(0);
    (
        der_of(dir, "key.der"),
        der_of(dir, "req.der"),
        ca_der,
        der_of(dir, "user.der"),
    )
}

#[test]
fn a_key_and_request_become_a_user_certificate_that_independent_readers_see() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, req, ca, user) = material(
        tmp.path(),
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    );
    let mut wallet = Wallet::new(Profile::three_des());
    wallet.add_trusted(&ca).unwrap();
    assert_eq!(
        wallet.add_key_with_request(&key, &req, "orakey").unwrap(),
        0
    );
    assert_eq!(
        display::text(&wallet, display::Release::R23ai, display::Detail::Summary),
        "Requested Certificates: \nSubject:        CN=db.example.com,O=Example\nUser Certificates:\nTrusted Certificates: \nSubject:        CN=Example Root CA,O=Example\n"
    );
    // A certificate for some other key is refused.
    let stranger = openssl_self_signed(tmp.path(), "stranger", "/CN=Stranger");
    let stranger = orakit::wallet::certs::read_certificates(&std::fs::read(stranger).unwrap())
        .unwrap()
        .remove(0);
    assert!(matches!(
        wallet.install_user_certificate(&stranger),
        Err(ModelError::NoMatchingKey)
    ));
    // The user certificate's issuer chain is complete only once the CA is in the wallet.
    let mut without_ca = Wallet::new(Profile::three_des());
    assert_eq!(
        without_ca.missing_issuer(&user).unwrap().as_deref(),
        Some("CN=Example Root CA,O=Example")
    );
    without_ca.add_trusted(&ca).unwrap();
    assert_eq!(without_ca.missing_issuer(&user).unwrap(), None);
    wallet.install_user_certificate(&user).unwrap();
    assert_eq!(
        display::text(&wallet, display::Release::R23ai, display::Detail::Summary),
        "Requested Certificates: \nUser Certificates:\nSubject:        CN=db.example.com,O=Example\nTrusted Certificates: \nSubject:        CN=Example Root CA,O=Example\n"
    );
    wallet
        .add_secret("oracle.security.client.connect_string1", "db_tls")
        .unwrap();
    assert!(matches!(
        wallet.add_secret("oracle.security.client.connect_string1", "x"),
        Err(ModelError::DuplicateSecret(_))
    ));

    let dir = tmp.path().join("w");
    std::fs::create_dir(&dir).unwrap();
    let pw = orakit::secret::Password::new("Keys#2026x".into());
    store::save(
        &WalletPaths::in_dir(&dir),
        &wallet,
        WalletType::AutoLogin,
        Some(&pw),
        orakit::fsio::Overwrite::Refuse,
    )
    .unwrap();

    // walletcheck: Oracle conventions hold, the key matches the user certificate.
    if let Some((report, code)) =
        walletcheck(&dir.join("ewallet.p12"), Some(pw.as_bytes()), &["--strict"])
    {
        assert_eq!(code, 0, "{report}");
        let bags = wc_file(&report)["pkcs12"]["bags"]
            .as_array()
            .unwrap()
            .clone();
        let types: Vec<&str> = bags.iter().map(|b| b["type"].as_str().unwrap()).collect();
        // orapki's order (tests/oracle/same_structure.rs): mkstore's secrets first, then
        // every other bag in the order it was added.
        assert_eq!(
            types,
            ["secretBag", "certBag", "keyBag", "secretBag", "certBag"]
        );
        assert_eq!(bags[2]["key"]["matches_cert"], 4);
        assert_eq!(bags[3]["secret"]["kind"], "certificate-request");
        assert_eq!(bags[4]["cert"]["role"], "user");
        assert_eq!(bags[2]["friendly_name"], "orakey");
        assert_eq!(
            bags[2]["local_key_id"],
            "e6b652dd0000000400000000000000010000000000000001"
        );
        assert_eq!(
            bags[0]["secret"]["alias"],
            "oracle.security.client.connect_string1"
        );
    }
    // openssl: the key in the wallet is the key openssl generated.
    let out = run(support::openssl()
        .args(words("pkcs12 -legacy -nocerts -nodes -passin env:P -in"))
        .arg(dir.join("ewallet.p12"))
        .env("P", "Keys#2026x"));
    assert!(out.status.success(), "{}", support::stderr(&out));
    std::fs::write(tmp.path().join("fromwallet.pem"), &out.stdout).unwrap();
    openssl(
        tmp.path(),
        &["pkey", "-in", "fromwallet.pem", "-pubout", "-out", "a.pub"],
    );
    openssl(
        tmp.path(),
        &["pkey", "-in", "key.pem", "-pubout", "-out", "b.pub"],
    );
    assert_eq!(
        std::fs::read(tmp.path().join("a.pub")).unwrap(),
        std::fs::read(tmp.path().join("b.pub")).unwrap()
    );
    // The peer reader finds the client identity in the sso.
    let peer = oracledb_protocol::tls::sso::parse_cwallet_sso(
        &std::fs::read(dir.join("cwallet.sso")).unwrap(),
    )
    .unwrap();
    assert!(peer.has_client_identity());
    // It lists every certificate, in bag order, as the chain.
    assert_eq!(peer.client_cert_chain, [ca, user]);
}

#[test]
fn public_keys_derived_from_private_keys_match_openssl() {
    for alg in [
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"][..],
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let mut genkey = vec!["genpkey", "-out", "key.pem"];
        genkey.extend_from_slice(alg);
        openssl(tmp.path(), &genkey);
        openssl(
            tmp.path(),
            &[
                "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out",
                "key.der",
            ],
        );
        openssl(
            tmp.path(),
            &[
                "pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der",
            ],
        );
        let ours = orakit::wallet::keys::public_key_der(&der_of(tmp.path(), "key.der")).unwrap();
        assert_eq!(ours, der_of(tmp.path(), "pub.der"), "{alg:?}");
    }
}

#[test]
fn a_self_signed_certificate_can_be_user_and_trusted_like_orapki_self_signed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "key.pem",
        ],
    );
    openssl(
        dir,
        &[
            "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "key.pem",
            "-subj",
            "/CN=selfsigned",
            "-outform",
            "DER",
            "-out",
            "req.der",
        ],
    );
    openssl(
        dir,
        &[
            "x509", "-req", "-inform", "DER", "-in", "req.der", "-key", "key.pem", "-days", "5",
            "-outform", "DER", "-out", "self.der",
        ],
    );
    let cert = der_of(dir, "self.der");
    let mut wallet = Wallet::new(Profile::three_des());
    wallet
        .add_key_with_request(&der_of(dir, "key.der"), &der_of(dir, "req.der"), "orakey")
        .unwrap();
    wallet.install_user_certificate(&cert).unwrap();
    assert_eq!(wallet.missing_issuer(&cert).unwrap(), None);
    assert_eq!(
        wallet.add_trusted(&cert).unwrap(),
        orakit::wallet::model::Added::Added
    );
    assert_eq!(
        wallet.add_trusted(&cert).unwrap(),
        orakit::wallet::model::Added::AlreadyPresent
    );
    assert!(matches!(
        wallet.install_user_certificate(&cert),
        Err(ModelError::DuplicateCertificate(_))
    ));
    assert_eq!(
        display::text(&wallet, display::Release::R23ai, display::Detail::Summary),
        "Requested Certificates: \nUser Certificates:\nSubject:        CN=selfsigned\nTrusted Certificates: \nSubject:        CN=selfsigned\n"
    );
    let path = dir.join("ewallet.p12");
    std::fs::write(
        &path,
        orakit::wallet::p12::write(&wallet, b"Self#Signed1").unwrap(),
    )
    .unwrap();
    // walletcheck decodes it (MAC, bags). Its --strict convention check pairs by public
    // key, so it counts the trusted copy as a user certificate and flags its kind-3 id.
    // orapki appends a certificate added after the user certificate, so the trusted copy
    // comes last here (orapki's own -self_signed writes it first: `wallet add-self-signed`).
    if let Some((report, code)) = walletcheck(&path, Some(b"Self#Signed1"), &[]) {
        assert_eq!(code, 0, "{report}");
        let kinds: Vec<_> = wc_file(&report)["pkcs12"]["bags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["type"] == "certBag")
            .map(|b| b["local_key_id_fields"]["kind"].clone())
            .collect();
        assert_eq!(kinds, [1, 3]);
    }
}

/// Where new bags go and what they are called, as orapki 19c / 23ai and mkstore write them
/// (observed in tests/oracle/same_structure.rs): each new bag is appended, even after the
/// user certificate; the first secret goes before every other bag; the second key pair is
/// `orakey1`; AES-256 wallets use a 16-byte PBKDF2 salt.
#[test]
fn new_bags_go_where_orapki_puts_them() {
    use orakit::wallet::model::Item;
    let tmp = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let ec = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
    let (key, req, ca, user) = material(tmp.path(), &ec);
    let (key2, req2, _, _) = material(second.path(), &ec);
    let other = openssl_self_signed(tmp.path(), "other", "/CN=Other Root");
    let other = orakit::wallet::certs::read_certificates(&std::fs::read(other).unwrap())
        .unwrap()
        .remove(0);

    let mut wallet = Wallet::new(Profile::aes256());
    assert_eq!(wallet.profile.encryption.salt_length, 16);
    wallet.add_trusted(&ca).unwrap();
    wallet.add_key_with_request(&key, &req, "orakey").unwrap();
    wallet.install_user_certificate(&user).unwrap();
    wallet.add_trusted(&other).unwrap();
    assert_eq!(
        wallet.add_key_with_request(&key2, &req2, "orakey").unwrap(),
        1
    );
    wallet.add_secret("ring.alias", "value").unwrap();

    let kinds: Vec<&str> = wallet
        .entries
        .iter()
        .map(|e| match &e.item {
            Item::Certificate(d) if *d == ca => "ca",
            Item::Certificate(d) if *d == user => "user",
            Item::Certificate(d) if *d == other => "other",
            Item::PrivateKey(_) => "key",
            Item::CertificateRequest(_) => "request",
            Item::Secret { .. } => "secret",
            _ => "?",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "secret", "ca", "key", "request", "user", "other", "key", "request"
        ]
    );
    let names: Vec<Option<&str>> = wallet
        .entries
        .iter()
        .map(|e| e.friendly_name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            None,
            None,
            Some("orakey"),
            Some("orakey"),
            Some("orakey"),
            None,
            Some("orakey1"),
            Some("orakey1")
        ]
    );
}
