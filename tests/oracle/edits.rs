//! Issue 13 item 1 against Oracle's orapki: a second certificate for a key that already
//! has one. orapki refuses it (PKI-04004); orakit refuses it too and changes nothing. The
//! wallet the old orakit wrote (two user certificates on one key) is rebuilt here with
//! the library, to show what Oracle's tools make of it.

use std::path::Path;

use crate::peers::{RELEASES, orapki};
use crate::support::{Fixture, openssl, orakit, run_fails, run_ok, words};

const PWD: &str = "RingPassw0rd2026xyz";

fn w(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = orakit();
    cmd.current_dir(dir).args(args).env("PW", PWD);
    cmd
}

/// Wallet `w` (orakit) whose key carries `srv1.pem`; `srv2.pem` is another certificate
/// for the same key, from the same openssl CA.
fn certified(d: &Path) {
    Fixture::at(d)
        .password(PWD)
        .wallet("w")
        .wallet_request("w", "CN=ring-edit.example.com,O=Ring", "req.pem")
        .openssl_root("ca", "/CN=Ring-Edit-CA")
        .openssl_sign("ca", "req.pem", "srv1.pem", 4097)
        .openssl_sign("ca", "req.pem", "srv2.pem", 8193)
        .trusted("w", "ca.pem")
        .user_cert("w", "srv1.pem");
}

#[test]
fn a_second_user_certificate_on_one_key_is_refused_by_orapki_and_by_orakit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certified(d);
    let wallet = d.join("w");
    let before = std::fs::read(wallet.join("ewallet.p12")).unwrap();
    let err = run_fails(
        &mut w(
            d,
            &words("wallet add-user-cert --wallet w --cert srv2.pem --password-env PW"),
        ),
        1,
    );
    assert!(
        err.contains("orakit wallet replace --wallet w --cert srv2.pem"),
        "{err}"
    );
    assert_eq!(std::fs::read(wallet.join("ewallet.p12")).unwrap(), before);
    let wallet_s = wallet.to_str().unwrap();
    let srv2 = d.join("srv2.pem");
    for release in RELEASES {
        // orapki reads orakit's wallet: the user certificate is there, on its key ...
        let shown = orapki(
            release,
            &words(&format!("wallet display -wallet {wallet_s} -pwd {PWD}")),
        )
        .ok();
        let user_section = shown.body().split("Trusted Certificates:").next().unwrap();
        assert!(
            user_section.contains("CN=ring-edit.example.com,O=Ring"),
            "{}",
            shown.body()
        );
        // ... and it refuses the second certificate with PKI-04004, changing nothing.
        let refused = orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                wallet_s,
                "-user_cert",
                "-cert",
                srv2.to_str().unwrap(),
                "-pwd",
                PWD,
            ],
        );
        assert!(
            refused
                .stdout
                .contains("PKI-04004: The user certificate is already installed in the wallet."),
            "{}",
            refused.stdout
        );
        assert_eq!(refused.code, 255, "{}", refused.stdout);
        assert_eq!(std::fs::read(wallet.join("ewallet.p12")).unwrap(), before);
    }

    // The wallet the old add-user-cert wrote: a second certificate with the key's id.
    let bad = d.join("bad");
    std::fs::create_dir(&bad).unwrap();
    for f in ["ewallet.p12", "cwallet.sso"] {
        std::fs::copy(wallet.join(f), bad.join(f)).unwrap();
    }
    let paths = orakit::wallet::store::WalletPaths::in_dir(&bad);
    let password = orakit::secret::Password::new(PWD.to_owned());
    let opened = orakit::wallet::store::open(&paths, Some(&password), None).unwrap();
    let mut doubled = opened.wallet().clone();
    let first = doubled.user_cert_indices()[0];
    let mut second = doubled.entries[first].clone();
    let pem = std::fs::read(&srv2).unwrap();
    let der = orakit::wallet::certs::read_certificates(&pem)
        .unwrap()
        .remove(0);
    second.item = orakit::wallet::model::Item::Certificate(der);
    doubled.entries.push(second);
    orakit::wallet::store::save(
        &paths,
        &doubled,
        orakit::wallet::store::WalletType::AutoLogin,
        Some(&password),
        orakit::fsio::Overwrite::Allow,
    )
    .unwrap();
    let bad_s = bad.to_str().unwrap();
    let shown = orapki(
        RELEASES[0],
        &words(&format!("wallet display -wallet {bad_s} -pwd {PWD}")),
    );
    let body = shown.body();
    let (users, trusted) = body.split_once("Trusted Certificates:").unwrap();
    // What a listener would lose: Oracle sees no user certificate any more.
    assert!(
        !users.contains("CN=ring-edit.example.com"),
        "orapki still shows a user certificate:\n{body}"
    );
    assert!(trusted.contains("CN=ring-edit.example.com"), "{body}");
}

/// Item 11 against orapki: Oracle's tool opens a PKCS#12 without a MAC with any password
/// (so the file protects nothing); orakit refuses it unless --allow-no-mac is given.
#[test]
fn orapki_opens_a_pkcs12_without_a_mac_with_any_password_orakit_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(openssl().current_dir(d).args(words(
        "req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 30 -subj /CN=Planted-CA",
    )));
    std::fs::create_dir(d.join("w")).unwrap();
    run_ok(openssl().current_dir(d).args(words(&format!(
        "pkcs12 -export -inkey k.pem -in c.pem -passout pass:{PWD} -out w/ewallet.p12 -nomac -keypbe NONE -certpbe NONE"
    ))));
    let w_s = d.join("w");
    let w_s = w_s.to_str().unwrap();
    for release in RELEASES {
        let shown = orapki(
            release,
            &words(&format!(
                "wallet display -wallet {w_s} -pwd Not-the-password-1"
            )),
        )
        .ok();
        assert!(shown.body().contains("CN=Planted-CA"), "{}", shown.body());
    }
    let err = run_fails(
        &mut w(d, &words("wallet display --wallet w --password-env PW")),
        1,
    );
    assert!(err.contains("no integrity protection"), "{err}");
}
