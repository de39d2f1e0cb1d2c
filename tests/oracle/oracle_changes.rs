//! Ring 2b, Oracle changes orakit's wallets: orakit makes them; orapki (`add -trusted_cert`,
//! `add -user_cert`, `change_pwd`, `convert`, `remove`) and mkstore (create / modify /
//! delete credential) change them; orakit reads every file of the result and changes it
//! again; Oracle reads that.

use crate::oracle_writes::{pki, s, wrl};
use crate::peers::{RELEASES, mkstore};
use crate::rw_support::*;
use crate::support::{orakit, run_ok, words};

#[test]
fn orapki_and_mkstore_change_an_orakit_wallet_and_orakit_changes_it_again() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let w = d.join("w");
        let name = release.name();
        // orakit makes an AES-256 auto-login wallet with a key, its request and a CA.
        let mut cmd = orakit();
        cmd.args(words(
            "wallet create --auto-login --encryption aes256 --password-env PW --wallet",
        ))
        .arg(&w)
        .env("PW", PWD);
        run_ok(&mut cmd);
        let dn = "CN=changes.ring.example,O=Ring";
        orakit_at(&["add-key", "--subject", dn], &w, Some(PWD));
        let csr = d.join("req.pem");
        orakit_at(&["export-request", "--out", s(&csr)], &w, Some(PWD));
        let ca = Ca::new(d, "ca", "/CN=RingChangesCA/O=Ring");
        let ca2 = Ca::new(d, "ca2", "/CN=RingOracleAddedCA/O=Ring");
        let ca3 = Ca::new(d, "ca3", "/CN=RingThirdCA/O=Ring");
        let user = ca.sign(&csr, &d.join("user.pem"));
        orakit_at(&["add-trusted", "--cert", s(&ca.cert)], &w, Some(PWD));

        // Oracle changes it.
        pki(
            release,
            &format!("wallet add -pwd {PWD} -trusted_cert -cert {}", s(&ca2.cert)),
            &w,
        );
        pki(
            release,
            &format!("wallet add -pwd {PWD} -user_cert -cert {}", s(&user)),
            &w,
        );
        let stdin = format!("{PWD}\n");
        mkstore(
            release,
            &wrl(&w, "-createCredential db1 scott Tiger4Ring"),
            &stdin,
        )
        .ok();
        mkstore(
            release,
            &wrl(&w, "-createCredential db2 hr Hr4RingPw"),
            &stdin,
        )
        .ok();
        mkstore(
            release,
            &wrl(&w, "-modifyCredential db1 scott Tiger5Ring"),
            &stdin,
        )
        .ok();
        mkstore(release, &wrl(&w, "-deleteCredential db2"), &stdin).ok();
        pki(
            release,
            &format!("wallet change_pwd -oldpwd {PWD} -newpwd {NEW_PWD}"),
            &w,
        );

        // orakit reads every file and sees old and new contents.
        let (user_fp, ca_fp, ca2_fp) = (
            fingerprint(&user),
            fingerprint(&ca.cert),
            fingerprint(&ca2.cert),
        );
        for (file, pw) in [("ewallet.p12", Some(NEW_PWD)), ("cwallet.sso", None)] {
            let f = w.join(file);
            let r = report(&f, pw);
            let at = format!("{name} {file}");
            assert!(holds(&r, "user_certificates", &user_fp), "{at}: {r}");
            assert!(holds(&r, "trusted_certificates", &ca_fp), "{at}: {r}");
            assert!(holds(&r, "trusted_certificates", &ca2_fp), "{at}: {r}");
            assert_eq!(r["private_keys"][0]["has_user_certificate"], true, "{at}");
            assert_eq!(
                credentials(&f, pw),
                [("db1".into(), "scott".into(), "Tiger5Ring".into())],
                "{at}"
            );
        }
        // The old password no longer opens ewallet.p12.
        let mut cmd = orakit();
        cmd.args(words("wallet display --password-env PW --wallet"))
            .arg(w.join("ewallet.p12"))
            .env("PW", PWD);
        assert!(!cmd.output().unwrap().status.success(), "{name}");

        // orakit changes it again; Oracle reads that.
        orakit_at(&["add-trusted", "--cert", s(&ca3.cert)], &w, Some(NEW_PWD));
        let mut cmd = orakit();
        cmd.args(words(
            "wallet credential add --connect-string db3 --username system --password-env PW --secret-env S --wallet",
        ))
        .arg(&w)
        .env("PW", NEW_PWD)
        .env("S", "System4Ring");
        run_ok(&mut cmd);
        let shown = pki(
            release,
            &format!("wallet display -pwd {NEW_PWD} -complete"),
            &w,
        );
        let listed = orapki_certs(&shown);
        for (section, cert) in [
            ("user", &user),
            ("trusted", &ca.cert),
            ("trusted", &ca2.cert),
            ("trusted", &ca3.cert),
        ] {
            assert!(
                orapki_has(&listed, section, &sha1_of(cert)).is_some(),
                "{name}: {section} {} missing in\n{shown}",
                cert.display()
            );
        }
        let creds = mkstore(
            release,
            &wrl(&w, "-listCredential"),
            &format!("{NEW_PWD}\n"),
        )
        .ok();
        assert!(
            creds.stdout.contains("db1 scott") && creds.stdout.contains("db3 system"),
            "{name}: {}",
            creds.stdout
        );
        assert!(!creds.stdout.contains("db2"), "{name}: {}", creds.stdout);

        // orapki removes what orakit added and converts (-compat_v12: orapki's convert
        // re-saves the wallet with the configuration marker); orakit reads the result.
        pki(
            release,
            &format!("wallet remove -pwd {NEW_PWD} -trusted_cert -dn O=Ring,CN=RingThirdCA"),
            &w,
        );
        let line = format!("wallet convert -pwd {NEW_PWD} -compat_v12");
        let mut convert = words(&line);
        convert.extend(["-wallet", s(&w)]);
        crate::peers::orapki(release, &convert).ok();
        for (file, pw) in [("ewallet.p12", Some(NEW_PWD)), ("cwallet.sso", None)] {
            let r = report(&w.join(file), pw);
            let at = format!("{name} {file}");
            assert!(
                !holds(&r, "trusted_certificates", &fingerprint(&ca3.cert)),
                "{at}"
            );
            assert!(holds(&r, "trusted_certificates", &ca2_fp), "{at}");
            assert!(holds(&r, "user_certificates", &user_fp), "{at}");
            assert_eq!(r["configuration"]["compat_v12"], true, "{at}: {r}");
        }
        // ... and orakit changes it once more: the marker stays, Oracle reads it.
        orakit_at(
            &["remove", "--subject", "O=Ring,CN=RingOracleAddedCA"],
            &w,
            Some(NEW_PWD),
        );
        let r = report(&w.join("ewallet.p12"), Some(NEW_PWD));
        assert_eq!(r["configuration"]["compat_v12"], true, "{name}");
        let listed = orapki_certs(&pki(release, "wallet display -complete", &w));
        assert!(
            orapki_has(&listed, "trusted", &sha1_of(&ca2.cert)).is_none(),
            "{name}"
        );
        assert!(
            orapki_has(&listed, "user", &sha1_of(&user)).is_some(),
            "{name}"
        );
    }
}

#[test]
fn orapki_rewrites_orakits_local_wallets_as_version_7_and_orakit_keeps_7() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let name = release.name();
        let ca = Ca::new(d, "ca", "/CN=RingLocalCA/O=Ring");
        let ca2 = Ca::new(d, "ca2", "/CN=RingLocalSecondCA/O=Ring");
        let ca3 = Ca::new(d, "ca3", "/CN=RingLocalThirdCA/O=Ring");
        // orakit's version-6 local wallet: orapki's change_pwd rewrites it as version 7.
        let v6 = d.join("v6");
        let mut cmd = orakit();
        cmd.args(words(
            "wallet create --auto-login-local --compat-lsso-v6 --password-env PW --wallet",
        ))
        .arg(&v6)
        .env("PW", PWD);
        run_ok(&mut cmd);
        assert_eq!(&sso_head(&v6)[..16], "a1f84e3800000006", "{name}");
        orakit_at(&["add-trusted", "--cert", s(&ca.cert)], &v6, Some(PWD));
        pki(
            release,
            &format!("wallet change_pwd -oldpwd {PWD} -newpwd {NEW_PWD}"),
            &v6,
        );
        assert_eq!(sso_head(&v6), "a1f84e38000000070000006400000013", "{name}");
        let r = report(&v6.join("cwallet.sso"), None);
        assert!(
            holds(&r, "trusted_certificates", &fingerprint(&ca.cert)),
            "{name}: {r}"
        );

        // orakit's version-7 local wallet (its default): orapki adds, orakit adds again
        // and keeps version 7, orapki reads the sso alone.
        let v7 = d.join("v7");
        let mut cmd = orakit();
        cmd.args(words(
            "wallet create --auto-login-local --password-env PW --wallet",
        ))
        .arg(&v7)
        .env("PW", PWD);
        run_ok(&mut cmd);
        assert_eq!(sso_head(&v7), "a1f84e38000000070000006400000013", "{name}");
        orakit_at(&["add-trusted", "--cert", s(&ca.cert)], &v7, Some(PWD));
        pki(
            release,
            &format!("wallet add -pwd {PWD} -trusted_cert -cert {}", s(&ca2.cert)),
            &v7,
        );
        for (file, pw) in [("ewallet.p12", Some(PWD)), ("cwallet.sso", None)] {
            let r = report(&v7.join(file), pw);
            assert!(
                holds(&r, "trusted_certificates", &fingerprint(&ca.cert)),
                "{name}"
            );
            assert!(
                holds(&r, "trusted_certificates", &fingerprint(&ca2.cert)),
                "{name}"
            );
        }
        orakit_at(&["add-trusted", "--cert", s(&ca3.cert)], &v7, Some(PWD));
        assert_eq!(sso_head(&v7), "a1f84e38000000070000006400000013", "{name}");
        let alone = sso_only(&v7, &d.join("v7-sso"));
        let listed = orapki_certs(&pki(release, "wallet display -complete", &alone));
        for cert in [&ca.cert, &ca2.cert, &ca3.cert] {
            assert!(
                orapki_has(&listed, "trusted", &sha1_of(cert)).is_some(),
                "{name}: {}",
                cert.display()
            );
        }
    }
}

#[test]
fn orapki_honours_the_trust_flags_of_an_orakit_trust_flag_wallet() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let name = release.name();
        let ca = Ca::new(d, "ca", "/CN=RingTfCA/O=Ring");
        let ca2 = Ca::new(d, "ca2", "/CN=RingTfSecondCA/O=Ring");
        let w = d.join("tf");
        let mut cmd = orakit();
        cmd.args(words(
            "wallet create --auto-login --with-trust-flags --encryption aes256 --password-env PW --wallet",
        ))
        .arg(&w)
        .env("PW", PWD);
        run_ok(&mut cmd);
        orakit_at(&["add-trusted", "--cert", s(&ca.cert)], &w, Some(PWD));
        // orapki sees the marker orakit wrote: it gives its own add SERVER_AUTH and
        // accepts -trust_flags (PKI-02015 otherwise).
        pki(
            release,
            &format!("wallet add -pwd {PWD} -trusted_cert -cert {}", s(&ca2.cert)),
            &w,
        );
        pki(
            release,
            &format!(
                "wallet assign_trust_flags -pwd {PWD} -dn O=Ring,CN=RingTfCA -trust_flags CLIENT_AUTH"
            ),
            &w,
        );
        let listed = orapki_certs(&pki(release, "wallet display -complete", &w));
        let flags = |c: &std::path::Path| {
            orapki_has(&listed, "trusted", &sha1_of(c))
                .and_then(|c| c.trust_flags.clone())
                .unwrap_or_else(|| panic!("{name}: no flags for {}", c.display()))
        };
        assert_eq!(flags(&ca.cert), "CLIENT_AUTH", "{name}");
        assert_eq!(flags(&ca2.cert), "SERVER_AUTH", "{name}");
        for (file, pw) in [("ewallet.p12", Some(PWD)), ("cwallet.sso", None)] {
            let r = report(&w.join(file), pw);
            assert_eq!(
                flags_of(&r, &fingerprint(&ca.cert)),
                ["CLIENT_AUTH"],
                "{name} {file}"
            );
            assert_eq!(
                flags_of(&r, &fingerprint(&ca2.cert)),
                ["SERVER_AUTH"],
                "{name} {file}"
            );
            assert_eq!(r["configuration"]["trust_flags"], true, "{name} {file}");
        }
    }
}
