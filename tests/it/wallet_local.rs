//! Local auto-login (kind 0x38) reading. No real Oracle-made local wallet was available,
//! so this builds one by the published rules (spec §2.5) and checks that walletcheck.py,
//! an independent implementation of the same rules, derives the same password from the
//! same host and user; then that our reader opens it and refuses the wrong identity.

use crate::support::words;
use cbc::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::NoPadding};
use orakit::wallet::model::{Profile, Wallet};
use orakit::wallet::sso::{self, LocalIdentity, SsoError};

use crate::support::oracle_fixtures;
use crate::wallet_common::{walletcheck, wc_file};

const AES_IV: [u8; 16] = [
    0xC0, 0x34, 0xD8, 0x31, 0x1C, 0x02, 0xCE, 0xF8, 0x51, 0xF0, 0x14, 0x4B, 0x81, 0xED, 0x4B, 0xF2,
];

fn local_wallet(wallet: &Wallet, identity: &LocalIdentity) -> Vec<u8> {
    let seed: Vec<u8> = (0..16u8).map(|i| (i * 7) % 127 + 1).collect();
    let key = [0x42u8; 16];
    let wrapped = cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &AES_IV)
        .unwrap()
        .encrypt_padded_vec::<NoPadding>(&seed);
    let password = sso::local_pkcs12_password(&seed, identity);
    let pfx = orakit::wallet::p12::write(wallet, &password).unwrap();
    [
        &[0xA1, 0xF8, 0x4E, 0x38, 0, 0, 0, 6, 0, 0, 0, 33, 6][..],
        &key,
        &wrapped,
        &pfx,
    ]
    .concat()
}

#[test]
fn a_local_wallet_opens_only_for_its_host_and_user() {
    let Some(root) = oracle_fixtures() else {
        return;
    };
    let real = sso::read(
        &std::fs::read(root.join("rds-trust/creazer-I-amazon-root-ca1/cwallet.sso")).unwrap(),
        None,
    )
    .unwrap();
    let mut wallet = Wallet::new(Profile::three_des());
    wallet.entries = real.pkcs12.wallet.entries.clone();
    let identity = LocalIdentity {
        host: "dbhost.example.com".into(),
        user: "oracle".into(),
        machine_id: None,
    };
    let bytes = local_wallet(&wallet, &identity);

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("cwallet.sso");
    std::fs::write(&path, &bytes).unwrap();
    if let Some((report, code)) = walletcheck(
        &path,
        None,
        &["--local-host", "dbhost", "--local-user", "oracle"],
    ) {
        assert_eq!(code, 0, "{report}");
        assert_eq!(wc_file(&report)["sso"]["kind"], "0x38");
        assert_eq!(wc_file(&report)["pkcs12"]["mac"]["verified"], true);
    }

    // Through the command line: the identity comes from flags, never from the machine.
    let out = crate::support::run_ok(
        crate::support::orakit()
            .args(words("wallet display --json --local-host dbhost.example.com --local-user oracle --wallet"))
            .arg(&path),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sso"]["kind_byte"], "0x38");
    assert_eq!(report["counts"]["trusted_certificates"], 1);
    let err = crate::support::run_fails(
        crate::support::orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&path),
        1,
    );
    assert!(
        err.contains("cwallet.sso") && err.contains("local auto-login"),
        "{err}"
    );

    let opened = sso::read(&bytes, Some(&identity)).unwrap();
    assert_eq!(opened.pkcs12.wallet.entries.len(), 1);
    assert!(matches!(
        sso::read(&bytes, None),
        Err(SsoError::LocalNeedsIdentity)
    ));
    let other = LocalIdentity {
        host: "otherhost".into(),
        user: "oracle".into(),
        machine_id: None,
    };
    let err = sso::read(&bytes, Some(&other)).unwrap_err();
    assert!(
        matches!(&err, SsoError::LocalWrongIdentity { host, user } if host == "otherhost" && user == "oracle"),
        "{err}"
    );
}
