//! Ring 2c, Oracle writes, orakit reads and changes: wallets orapki and mkstore make (every
//! `wallet create` flag, keys, user certificates, imports, trust flags, credentials and
//! entries), read by orakit from EVERY file (`ewallet.p12` with the password, `cwallet.sso`);
//! orakit's view equals what the test put in (fingerprints by openssl, DNs and secrets the
//! test chose); then orakit changes them and Oracle reads old and new contents.

use std::path::Path;

use crate::peers::{RELEASES, Release, mkstore, orapki};
use crate::rw_support::*;
use crate::support::{orakit, run_ok, words};

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// mkstore's `-wrl W -nologo` followed by `rest` (a line of words).
pub fn wrl<'a>(wallet: &'a Path, rest: &'a str) -> Vec<&'a str> {
    let mut a = vec!["-wrl", s(wallet), "-nologo"];
    a.extend(words(rest));
    a
}

/// orapki `wallet ARGS` (a line of words) with `-wallet W` appended.
pub fn pki(release: Release, line: &str, wallet: &Path) -> String {
    let mut args = words(line);
    args.extend(["-wallet", s(wallet), "-nologo"]);
    orapki(release, &args).ok().stdout
}

#[test]
fn orapki_keys_user_certificates_and_mkstore_entries_read_and_change_in_orakit() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let w = d.join("w");
        let rsa_dn = "CN=rsa.ring.example,O=Ring";
        let ecc_dn = "CN=ecc.ring.example,O=Ring";
        pki(
            release,
            &format!("wallet create -pwd {PWD} -auto_login"),
            &w,
        );
        pki(
            release,
            &format!("wallet add -pwd {PWD} -dn {rsa_dn} -keysize 2048"),
            &w,
        );
        pki(
            release,
            &format!("wallet add -pwd {PWD} -dn {ecc_dn} -asym_alg ECC -eccurve p256"),
            &w,
        );
        let rsa_csr = d.join("rsa.csr");
        pki(
            release,
            &format!(
                "wallet export -pwd {PWD} -dn {rsa_dn} -request {}",
                s(&rsa_csr)
            ),
            &w,
        );
        let ca = Ca::new(d, "ca", "/CN=RingWritesCA/O=Ring");
        let user = ca.sign(&rsa_csr, &d.join("user.pem"));
        pki(
            release,
            &format!("wallet add -pwd {PWD} -trusted_cert -cert {}", s(&ca.cert)),
            &w,
        );
        pki(
            release,
            &format!("wallet add -pwd {PWD} -user_cert -cert {}", s(&user)),
            &w,
        );

        mkstore(
            release,
            &wrl(&w, "-createCredential db1 scott Tiger4Ring"),
            &format!("{PWD}\n"),
        )
        .ok();
        mkstore(
            release,
            &wrl(&w, "-createEntry ring.alias RingValue42"),
            &format!("{PWD}\n"),
        )
        .ok();
        mkstore(
            release,
            &wrl(
                &w,
                "-createUserCredential ringmap ringkey appuser AppPw4Ring",
            ),
            &format!("{PWD}\n"),
        )
        .ok();

        // orakit reads each file on its own and sees what the test put in.
        let (user_fp, ca_fp) = (fingerprint(&user), fingerprint(&ca.cert));
        for (file, pw) in [("ewallet.p12", Some(PWD)), ("cwallet.sso", None)] {
            let f = w.join(file);
            let r = report(&f, pw);
            let at = format!("{} {file}", release.name());
            assert!(holds(&r, "user_certificates", &user_fp), "{at}: {r}");
            assert!(holds(&r, "trusted_certificates", &ca_fp), "{at}: {r}");
            let pending: Vec<&str> = r["requested_certificates"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|q| q["pending"] == true)
                .map(|q| q["subject"].as_str().unwrap())
                .collect();
            assert_eq!(pending, [ecc_dn], "{at}: {r}");
            let mut keys: Vec<&str> = r["private_keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["key_type"].as_str().unwrap())
                .collect();
            keys.sort_unstable();
            assert_eq!(keys, ["EC P-256", "RSA"], "{at}");
            assert!(
                credentials(&f, pw).contains(&("db1".into(), "scott".into(), "Tiger4Ring".into())),
                "{at}"
            );
            assert_eq!(secret(&f, pw, "ring.alias"), "RingValue42", "{at}");
            let user_cred = secret(&f, pw, "ringmap@#3#@ringkey");
            assert!(
                user_cred.ends_with("@#5#@appuser@#111#@AppPw4Ring"),
                "{at}: {user_cred}"
            );
        }
        // export-cert gives the certificate openssl signed; export-request the request
        // orapki itself exports.
        let out = d.join("exported.pem");
        let mut cmd = orakit();
        cmd.args(["wallet", "export-cert", "--subject", rsa_dn, "--out"])
            .arg(&out)
            .arg("--wallet")
            .arg(&w);
        run_ok(&mut cmd);
        assert_eq!(der_of("x509", &out), der_of("x509", &user));
        let (ours, theirs) = (d.join("ecc-orakit.csr"), d.join("ecc-orapki.csr"));
        let mut cmd = orakit();
        cmd.args(["wallet", "export-request", "--subject", ecc_dn, "--out"])
            .arg(&ours)
            .arg("--wallet")
            .arg(&w);
        run_ok(&mut cmd);
        pki(
            release,
            &format!(
                "wallet export -pwd {PWD} -dn {ecc_dn} -request {}",
                s(&theirs)
            ),
            &w,
        );
        assert_eq!(der_of("req", &ours), der_of("req", &theirs));

        // orakit changes it; Oracle sees the old and the new contents.
        let ca2 = Ca::new(d, "ca2", "/CN=RingAddedCA/O=Ring");
        let mut cmd = orakit();
        cmd.args(["wallet", "add-trusted", "--password-env", "PW", "--cert"])
            .arg(&ca2.cert)
            .arg("--wallet")
            .arg(&w)
            .env("PW", PWD);
        run_ok(&mut cmd);
        let mut cmd = orakit();
        cmd.args(words(
            "wallet credential add --connect-string db2 --username system --password-env PW --secret-env S --wallet",
        ))
        .arg(&w)
        .env("PW", PWD)
        .env("S", "Manager4Ring");
        run_ok(&mut cmd);
        let mut cmd = orakit();
        cmd.args(words(
            "wallet change-password --password-env PW --new-password-env NPW --wallet",
        ))
        .arg(&w)
        .env("PW", PWD)
        .env("NPW", NEW_PWD);
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
        ] {
            assert!(
                orapki_has(&listed, section, &sha1_of(cert)).is_some(),
                "{}: {section} {} missing in\n{shown}",
                release.name(),
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
            creds.stdout.contains("db1 scott") && creds.stdout.contains("db2 system"),
            "{}: {}",
            release.name(),
            creds.stdout
        );
        let entry = mkstore(
            release,
            &wrl(&w, "-viewEntry ring.alias"),
            &format!("{NEW_PWD}\n"),
        )
        .ok();
        assert!(
            entry.stdout.contains("ring.alias = RingValue42"),
            "{}",
            entry.stdout
        );
        // The rewritten cwallet.sso on its own.
        let alone = sso_only(&w, &d.join("sso-alone"));
        let listed = orapki_certs(&pki(release, "wallet display -complete", &alone));
        assert!(orapki_has(&listed, "trusted", &sha1_of(&ca2.cert)).is_some());
        assert!(orapki_has(&listed, "user", &sha1_of(&user)).is_some());
    }
}

#[test]
fn every_orapki_create_flag_opens_in_orakit_and_orakit_changes_it() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let ca = Ca::new(d, "ca", "/CN=RingFlagsCA/O=Ring");
        let ca2 = Ca::new(d, "ca2", "/CN=RingSecondCA/O=Ring");
        let (ca_fp, ca2_fp) = (fingerprint(&ca.cert), fingerprint(&ca2.cert));
        let name = release.name();

        // -auto_login_only: no password anywhere.
        let a = d.join("alo");
        pki(release, "wallet create -auto_login_only", &a);
        pki(
            release,
            &format!(
                "wallet add -auto_login_only -trusted_cert -cert {}",
                s(&ca.cert)
            ),
            &a,
        );
        assert!(holds(
            &report(&a.join("cwallet.sso"), None),
            "trusted_certificates",
            &ca_fp
        ));
        orakit_at(&["add-trusted", "--cert", s(&ca2.cert)], &a, None);
        let listed = orapki_certs(&pki(release, "wallet display -complete", &a));
        assert!(
            orapki_has(&listed, "trusted", &sha1_of(&ca.cert)).is_some(),
            "{name}"
        );
        assert!(
            orapki_has(&listed, "trusted", &sha1_of(&ca2.cert)).is_some(),
            "{name}"
        );

        // -auto_login_local: header version 7, read by orakit from both files, changed
        // by orakit as version 7 again, read by orapki from the sso alone.
        let l = d.join("local");
        pki(
            release,
            &format!("wallet create -pwd {PWD} -auto_login_local"),
            &l,
        );
        pki(
            release,
            &format!("wallet add -pwd {PWD} -trusted_cert -cert {}", s(&ca.cert)),
            &l,
        );
        assert_eq!(sso_head(&l), "a1f84e38000000070000006400000013", "{name}");
        let r = report(&l.join("cwallet.sso"), None);
        assert_eq!(r["sso"]["header_version"], 7, "{name}");
        assert_eq!(
            r["sso"]["local_ssvs"],
            serde_json::json!(["SSV_ENV_HOSTNAME", "SSV_ENV_USERNAME", "SSV_MACHINE_ID"])
        );
        assert!(holds(&r, "trusted_certificates", &ca_fp), "{name}: {r}");
        assert!(holds(
            &report(&l.join("ewallet.p12"), Some(PWD)),
            "trusted_certificates",
            &ca_fp
        ));
        orakit_at(&["add-trusted", "--cert", s(&ca2.cert)], &l, Some(PWD));
        assert_eq!(sso_head(&l), "a1f84e38000000070000006400000013", "{name}");
        let alone = sso_only(&l, &d.join("local-sso"));
        let listed = orapki_certs(&pki(release, "wallet display -complete", &alone));
        assert!(
            orapki_has(&listed, "trusted", &sha1_of(&ca.cert)).is_some(),
            "{name}"
        );
        assert!(
            orapki_has(&listed, "trusted", &sha1_of(&ca2.cert)).is_some(),
            "{name}"
        );

        // -compat_v12: the marker bag with byte 0 set; orakit keeps it, last.
        let v = d.join("v12");
        pki(
            release,
            &format!("wallet create -pwd {PWD} -compat_v12"),
            &v,
        );
        let r = report(&v.join("ewallet.p12"), Some(PWD));
        assert_eq!(
            r["configuration"],
            serde_json::json!({"compat_v12": true, "trust_flags": false}),
            "{name}"
        );
        orakit_at(&["add-trusted", "--cert", s(&ca.cert)], &v, Some(PWD));
        let r = report(&v.join("ewallet.p12"), Some(PWD));
        assert_eq!(r["configuration"]["compat_v12"], true, "{name}");
        assert_eq!(r["counts"]["total_bags"], 2);
        assert!(
            r["other_bags"][0]["friendly_name"]
                .as_str()
                .unwrap()
                .starts_with("secret")
        );
        // orakit enables trust flags on it (orapki enable_trust_flags): the CA gets
        // SERVER_AUTH and orapki then accepts -trust_flags on this wallet.
        orakit_at(&["trust-flags", "--enable"], &v, Some(PWD));
        let r = report(&v.join("ewallet.p12"), Some(PWD));
        assert_eq!(
            r["configuration"],
            serde_json::json!({"compat_v12": true, "trust_flags": true})
        );
        assert_eq!(flags_of(&r, &ca_fp), ["SERVER_AUTH"], "{name}");
        pki(
            release,
            &format!(
                "wallet add -pwd {PWD} -trusted_cert -trust_flags SERVER_AUTH,CLIENT_AUTH -cert {}",
                s(&ca2.cert)
            ),
            &v,
        );
        let listed = orapki_certs(&pki(
            release,
            &format!("wallet display -pwd {PWD} -complete"),
            &v,
        ));
        let flags = |c: &Path| {
            orapki_has(&listed, "trusted", &sha1_of(c))
                .and_then(|c| c.trust_flags.clone())
                .unwrap_or_default()
        };
        assert_eq!(flags(&ca.cert), "SERVER_AUTH", "{name}");
        assert_eq!(flags(&ca2.cert), "SERVER_AUTH,CLIENT_AUTH", "{name}");

        // -with_trust_flags: orapki's flags read by orakit; orakit's flags (its defaults
        // are orapki's) read by orapki; orapki's assign_trust_flags read by orakit.
        let t = d.join("tf");
        pki(
            release,
            &format!("wallet create -pwd {PWD} -auto_login -with_trust_flags"),
            &t,
        );
        pki(
            release,
            &format!("wallet add -pwd {PWD} -trusted_cert -cert {}", s(&ca.cert)),
            &t,
        );
        let int_csr = d.join("int.csr");
        let int_key = d.join("int.key");
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            s(&int_key),
            "-out",
            s(&int_csr),
            "-subj",
            "/CN=RingIntermediate/O=Ring",
        ]);
        let ext = d.join("ca.ext");
        std::fs::write(&ext, "basicConstraints=critical,CA:true\n").unwrap();
        let int = d.join("int.pem");
        openssl(&[
            "x509",
            "-req",
            "-in",
            s(&int_csr),
            "-CA",
            s(&ca.cert),
            "-CAkey",
            s(&ca.key),
            "-set_serial",
            "7",
            "-days",
            "30",
            "-extfile",
            s(&ext),
            "-out",
            s(&int),
        ]);
        let peer = ca.sign(&int_csr, &d.join("peer.pem"));
        let r = report(&t.join("cwallet.sso"), None);
        assert_eq!(r["configuration"]["trust_flags"], true, "{name}");
        assert_eq!(flags_of(&r, &ca_fp), ["SERVER_AUTH"], "{name}");
        orakit_at(&["add-trusted", "--cert", s(&int)], &t, Some(PWD));
        orakit_at(&["add-trusted", "--cert", s(&peer)], &t, Some(PWD));
        orakit_at(
            &[
                "add-trusted",
                "--trust-flags",
                "SERVER_AUTH,CLIENT_AUTH",
                "--cert",
                s(&ca2.cert),
            ],
            &t,
            Some(PWD),
        );
        orakit_at(
            &[
                "trust-flags",
                "--set",
                "CLIENT_AUTH",
                "--subject",
                "O=Ring,CN=RingFlagsCA",
            ],
            &t,
            Some(PWD),
        );
        let listed = orapki_certs(&pki(
            release,
            &format!("wallet display -pwd {PWD} -complete"),
            &t,
        ));
        let flags = |c: &Path| {
            orapki_has(&listed, "trusted", &sha1_of(c))
                .and_then(|c| c.trust_flags.clone())
                .unwrap_or_else(|| panic!("{name}: no flags for {}", c.display()))
        };
        assert_eq!(flags(&ca.cert), "CLIENT_AUTH", "{name}");
        assert_eq!(flags(&int), "NULL", "{name}");
        assert_eq!(flags(&peer), "VALID_PEER", "{name}");
        assert_eq!(flags(&ca2.cert), "SERVER_AUTH,CLIENT_AUTH", "{name}");
        pki(
            release,
            &format!(
                "wallet assign_trust_flags -pwd {PWD} -dn O=Ring,CN=RingSecondCA -trust_flags NULL"
            ),
            &t,
        );
        // orapki's user certificate in a trust-flag wallet has kind 0x801 (USER_CERT) while
        // its key keeps kind 1: orakit still pairs them (it listed it as trusted before).
        orakit_at(
            &["add-key", "--subject", "CN=tf-user.ring.example"],
            &t,
            Some(PWD),
        );
        let tf_csr = d.join("tf-user.csr");
        orakit_at(&["export-request", "--out", s(&tf_csr)], &t, Some(PWD));
        let tf_user = ca.sign(&tf_csr, &d.join("tf-user.pem"));
        pki(
            release,
            &format!("wallet add -pwd {PWD} -user_cert -cert {}", s(&tf_user)),
            &t,
        );
        for (file, pw) in [("ewallet.p12", Some(PWD)), ("cwallet.sso", None)] {
            let r = report(&t.join(file), pw);
            let user_fp = fingerprint(&tf_user);
            assert!(
                holds(&r, "user_certificates", &user_fp),
                "{name} {file}: {r}"
            );
            assert!(
                !holds(&r, "trusted_certificates", &user_fp),
                "{name} {file}"
            );
            assert_eq!(flags_of(&r, &user_fp), ["USER_CERT"], "{name} {file}");
            assert_eq!(flags_of(&r, &ca2_fp), ["NULL"], "{name} {file}");
            assert_eq!(
                flags_of(&r, &fingerprint(&peer)),
                ["VALID_PEER"],
                "{name} {file}"
            );
        }

        // enable_trust_flags by orapki, read by orakit.
        let e = d.join("enable");
        pki(release, &format!("wallet create -pwd {PWD}"), &e);
        pki(
            release,
            &format!("wallet add -pwd {PWD} -trusted_cert -cert {}", s(&int)),
            &e,
        );
        pki(
            release,
            &format!("wallet enable_trust_flags -pwd {PWD}"),
            &e,
        );
        let r = report(&e.join("ewallet.p12"), Some(PWD));
        // 19.33 gives the certificates their flags but writes no configuration marker
        // (its saveAs drops the trust-flag bit), so neither release then sees trust flags
        // enabled in that wallet; 23.26 writes the marker. orakit shows both as they are.
        let enabled = match release {
            Release::R19c => serde_json::Value::Null,
            Release::R23ai => serde_json::json!({"compat_v12": false, "trust_flags": true}),
        };
        assert_eq!(r["configuration"], enabled, "{name}");
        assert_eq!(flags_of(&r, &fingerprint(&int)), ["NULL"], "{name}");
    }
}

#[test]
fn orapki_self_signed_and_imported_keys_open_in_orakit() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let name = release.name();
        // -self_signed: the certificate is both user and trusted.
        let w = d.join("self");
        pki(
            release,
            &format!("wallet create -pwd {PWD} -auto_login"),
            &w,
        );
        pki(
            release,
            &format!(
                "wallet add -pwd {PWD} -dn CN=self.ring.example -keysize 2048 -self_signed -validity 30"
            ),
            &w,
        );
        let exported = d.join("self.pem");
        pki(
            release,
            &format!(
                "wallet export -pwd {PWD} -dn CN=self.ring.example -cert {}",
                s(&exported)
            ),
            &w,
        );
        let fp = fingerprint(&exported);
        for (file, pw) in [("ewallet.p12", Some(PWD)), ("cwallet.sso", None)] {
            let r = report(&w.join(file), pw);
            assert!(holds(&r, "user_certificates", &fp), "{name} {file}: {r}");
            assert!(holds(&r, "trusted_certificates", &fp), "{name} {file}: {r}");
        }

        // import_private_key: an openssl key (encrypted PKCS#8), its certificate and CA.
        let ca = Ca::new(d, "ca", "/CN=RingImportCA/O=Ring");
        let (key, csr) = (d.join("leaf.key"), d.join("leaf.csr"));
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            s(&key),
            "-out",
            s(&csr),
            "-subj",
            "/CN=leaf.ring.example",
        ]);
        let leaf = ca.sign(&csr, &d.join("leaf.pem"));
        let p8 = d.join("leaf.p8");
        openssl(&[
            "pkcs8",
            "-topk8",
            "-in",
            s(&key),
            "-out",
            s(&p8),
            "-passout",
            "pass:Key4RingPass",
            "-v2",
            "aes-256-cbc",
        ]);
        let i = d.join("import-key");
        pki(release, &format!("wallet create -pwd {PWD}"), &i);
        pki(
            release,
            &format!(
                "wallet import_private_key -pwd {PWD} -pvtkeyfile {} -pvtkeypwd Key4RingPass -cert {} -cacert {}",
                s(&p8),
                s(&leaf),
                s(&ca.cert)
            ),
            &i,
        );
        let r = report(&i.join("ewallet.p12"), Some(PWD));
        assert!(
            holds(&r, "user_certificates", &fingerprint(&leaf)),
            "{name}: {r}"
        );
        assert!(
            holds(&r, "trusted_certificates", &fingerprint(&ca.cert)),
            "{name}: {r}"
        );
        assert_eq!(r["private_keys"][0]["has_user_certificate"], true, "{name}");

        // import_pkcs12: a PKCS#12 openssl makes (its default PBES2/AES-256).
        let p12 = d.join("leaf.p12");
        openssl(&[
            "pkcs12",
            "-export",
            "-inkey",
            s(&key),
            "-in",
            s(&leaf),
            "-certfile",
            s(&ca.cert),
            "-out",
            s(&p12),
            "-passout",
            "pass:P12Ring4Pass",
            "-name",
            "leaf",
        ]);
        let p = d.join("import-p12");
        pki(
            release,
            &format!("wallet create -pwd {PWD} -auto_login"),
            &p,
        );
        pki(
            release,
            &format!(
                "wallet import_pkcs12 -pwd {PWD} -pkcs12file {} -pkcs12pwd P12Ring4Pass",
                s(&p12)
            ),
            &p,
        );
        for (file, pw) in [("ewallet.p12", Some(PWD)), ("cwallet.sso", None)] {
            let r = report(&p.join(file), pw);
            assert!(
                holds(&r, "user_certificates", &fingerprint(&leaf)),
                "{name} {file}: {r}"
            );
            assert!(
                holds(&r, "trusted_certificates", &fingerprint(&ca.cert)),
                "{name} {file}"
            );
        }
        // orakit converts it to auto-login-only; orapki reads the result.
        let mut cmd = orakit();
        cmd.args(words(
            "wallet convert --to auto-login-only --password-env PW --wallet",
        ))
        .arg(&p)
        .env("PW", PWD);
        run_ok(&mut cmd);
        assert!(!p.join("ewallet.p12").exists());
        let listed = orapki_certs(&pki(release, "wallet display -complete", &p));
        assert!(
            orapki_has(&listed, "user", &sha1_of(&leaf)).is_some(),
            "{name}"
        );
        assert!(
            orapki_has(&listed, "trusted", &sha1_of(&ca.cert)).is_some(),
            "{name}"
        );
    }
}
