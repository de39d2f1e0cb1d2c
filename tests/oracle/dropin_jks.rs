//! Issue 15 / 14: the drop-in front end's Java key store commands (`pkcs12_to_jks`,
//! `jks_to_pkcs12`), export_private_key's key password prompt, mkstore's user credentials
//! and the commands orakit refuses (LDAP, PKCS#11), each run by Oracle's tool and by
//! `orakit orapki|mkstore` on identical inputs (see dropin.rs for the comparison). The JKS
//! files both tools write are opened by keytool (`-storetype JKS`) and must list the same
//! entries: the aliases orapki gives and the certificates' SHA-256 fingerprints computed by
//! openssl; and each tool's JKS is read by the other tool's jks_to_pkcs12.

use std::path::Path;
use std::process::Command;

use crate::dropin::{
    Item, PWD, Runner, differential, make_user_material, mkstore, orapki, pair, read_back, typed,
};
use crate::peers::Release;
use crate::support::{openssl, orakit, run_ok};

const KS_PW: &str = "Jks2026pwd#x";
const TS_PW: &str = "Trust2026pwd#xyzw";
const KEY_PW: &str = "Key2026pwd#xKey2026";

/// keytool's `(alias, entry type, SHA-256)` of each entry of a JKS file, sorted.
fn keytool_entries(store: &Path, password: &str) -> Vec<(String, String, String)> {
    let out = Command::new("keytool")
        .args(["-list", "-storetype", "JKS", "-keystore"])
        .arg(store)
        .args(["-storepass", password])
        .output()
        .expect("keytool (from the JDK the Oracle peers run on) must be installed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "keytool -list {}: {text}",
        store.display()
    );
    let lines: Vec<&str> = text.lines().collect();
    let mut entries: Vec<(String, String, String)> = lines
        .windows(2)
        .filter_map(|w| {
            let fp = w[1].strip_prefix("Certificate fingerprint (SHA-256): ")?;
            let alias = w[0].split(", ").next()?.to_owned();
            let kind = w[0].split(", ").find(|p| p.ends_with("Entry"))?.to_owned();
            Some((alias, kind, fp.to_owned()))
        })
        .collect();
    entries.sort();
    entries
}

fn fingerprint(cert: &Path) -> String {
    let out = run_ok(
        openssl()
            .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
            .arg(cert),
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .to_uppercase()
}

/// A JCEKS store with a key pair and an AES secret key (keytool), which orapki's
/// jks_to_pkcs12 does not open.
fn make_jceks(dir: &Path) {
    for args in [
        vec![
            "-genkeypair",
            "-alias",
            "mykey",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=jceks.example.com",
            "-validity",
            "30",
        ],
        vec![
            "-genseckey",
            "-alias",
            "mysecret",
            "-keyalg",
            "AES",
            "-keysize",
            "128",
        ],
    ] {
        let out = Command::new("keytool")
            .current_dir(dir)
            .args(&args)
            .args(["-storetype", "JCEKS", "-keystore", "s.jceks"])
            .args(["-storepass", KS_PW, "-keypass", KS_PW])
            .output()
            .expect("keytool");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A second user key and certificate from the test CA, as `v.p12`.
fn make_second_user(dir: &Path) {
    let o = |args: &[&str]| {
        run_ok(openssl().current_dir(dir).args(args));
    };
    o(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "v.key",
        "-out",
        "v.csr",
        "-subj",
        "/CN=v.example.com",
    ]);
    o(&[
        "x509",
        "-req",
        "-in",
        "v.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "v.crt",
        "-days",
        "30",
        "-sha256",
    ]);
    o(&[
        "pkcs12",
        "-export",
        "-in",
        "v.crt",
        "-inkey",
        "v.key",
        "-certfile",
        "ca.pem",
        "-out",
        "v.p12",
        "-passout",
        "pass:Pfx2026pwd#x",
    ]);
}

fn materials(dir: &Path) {
    make_user_material(dir);
    make_second_user(dir);
    make_jceks(dir);
}

#[test]
fn pkcs12_to_jks_and_back_with_orapkis_texts() {
    let pair = pair();
    let p = format!("-pwd {PWD} -nologo");
    let lines = [
        format!("wallet create -wallet w {p}"),
        format!("wallet import_pkcs12 -wallet w -pkcs12file u.p12 -pkcs12pwd Pfx2026pwd#x {p}"),
        // Both stores, each with its own password (one under 16 characters: one warning).
        format!(
            "wallet pkcs12_to_jks -wallet w -jksKeyStoreLoc ks.jks -jksKeyStorepwd {KS_PW} -jksTrustStoreLoc ts.jks -jksTrustStorepwd {TS_PW} {p}"
        ),
        // The key store alone carries the trusted certificates too; an existing file is replaced.
        format!(
            "wallet pkcs12_to_jks -wallet w -jksKeyStoreLoc all.jks -jksKeyStorepwd {TS_PW} {p}"
        ),
        format!(
            "wallet pkcs12_to_jks -wallet w -jksKeyStoreLoc all.jks -jksKeyStorepwd {TS_PW} {p}"
        ),
        // No key store location; a password orapki's rule refuses.
        format!(
            "wallet pkcs12_to_jks -wallet w -jksTrustStoreLoc t2.jks -jksTrustStorepwd {TS_PW} {p}"
        ),
        format!("wallet pkcs12_to_jks -wallet w -jksKeyStoreLoc bad.jks -jksKeyStorepwd short {p}"),
        // Back: the key by alias, an unknown alias, a wrong store password, no -keystore,
        // a missing file, a missing wallet directory, a JCEKS store.
        format!("wallet create -wallet back {p}"),
        format!(
            "wallet jks_to_pkcs12 -wallet back -keystore ks.jks -jkspwd {KS_PW} -aliases orakey0 {p}"
        ),
        format!(
            "wallet jks_to_pkcs12 -wallet back -keystore ks.jks -jkspwd {KS_PW} -aliases orakey0 {p}"
        ),
        format!(
            "wallet jks_to_pkcs12 -wallet back -keystore ks.jks -jkspwd {KS_PW} -aliases nosuch {p}"
        ),
        format!("wallet jks_to_pkcs12 -wallet back -keystore ks.jks -jkspwd Wrong2026pwd#x {p}"),
        format!("wallet jks_to_pkcs12 -wallet back {p}"),
        format!("wallet jks_to_pkcs12 -wallet back -keystore none.jks -jkspwd {KS_PW} {p}"),
        format!("wallet jks_to_pkcs12 -wallet nowhere -keystore ks.jks -jkspwd {KS_PW} {p}"),
        format!("wallet jks_to_pkcs12 -wallet back -keystore s.jceks -jkspwd {KS_PW} {p}"),
        format!("wallet display -wallet back {p}"),
        // A trust store (as ADB ships truststore.jks) makes a trust-only wallet.
        format!("wallet create -wallet trust {p}"),
        format!("wallet jks_to_pkcs12 -wallet trust -keystore ts.jks -jkspwd {TS_PW} {p}"),
        format!("wallet display -wallet trust {p}"),
        // Two keys: both go to the key store (orakey0, orakey1) and both come back.
        format!("wallet create -wallet two {p}"),
        format!("wallet import_pkcs12 -wallet two -pkcs12file u.p12 -pkcs12pwd Pfx2026pwd#x {p}"),
        format!("wallet import_pkcs12 -wallet two -pkcs12file v.p12 -pkcs12pwd Pfx2026pwd#x {p}"),
        format!(
            "wallet pkcs12_to_jks -wallet two -jksKeyStoreLoc two.jks -jksKeyStorepwd {KS_PW} {p}"
        ),
        format!("wallet create -wallet many {p}"),
        format!("wallet jks_to_pkcs12 -wallet many -keystore two.jks -jkspwd {KS_PW} {p}"),
        format!("wallet display -wallet many -complete {p}"),
        // A trust-only wallet to JKS: an empty key store beside the trust store.
        format!(
            "wallet pkcs12_to_jks -wallet trust -jksKeyStoreLoc tk.jks -jksKeyStorepwd {KS_PW} -jksTrustStoreLoc tt.jks -jksTrustStorepwd {TS_PW} {p}"
        ),
    ];
    let mut items = vec![Item::Do(materials)];
    items.extend(lines.iter().map(|l| Item::Run(orapki(l))));
    // Prompted store passwords (no -jksKeyStorepwd / -jkspwd).
    let prompted_ks = format!("wallet pkcs12_to_jks -wallet w -jksKeyStoreLoc p.jks {p}");
    let prompted_back = format!("wallet jks_to_pkcs12 -wallet trust -keystore p.jks {p}");
    items.push(Item::Run(typed(orapki(&prompted_ks), &[TS_PW])));
    items.push(Item::Run(typed(orapki(&prompted_back), &[TS_PW])));
    differential(&pair, Release::R23ai, &Runner::Orakit, items);

    // A wrong wallet password: orapki prints the Java exception of the failed decryption,
    // which varies with the bytes ("Invalid padding string (or incorrect password)",
    // "Length is too big: takes 27 bytes"), so only its fixed part is compared.
    let wrong = crate::dropin::split(
        "wallet pkcs12_to_jks -wallet w -jksKeyStoreLoc bad.jks -jksKeyStorepwd Jks2026pwd#x -pwd Wrong2026pwd#x -nologo",
    );
    let a = Runner::Oracle(Release::R23ai).run(&pair.oracle, "orapki", &wrong, "");
    let b = Runner::Orakit.run(&pair.orakit, "orapki", &wrong, "");
    for answer in [&a, &b] {
        assert_eq!(answer.code, 255, "{}", answer.text);
        assert!(
            answer.text.contains("\nUnable to perform operation :"),
            "{}",
            answer.text
        );
    }
    assert!(!pair.orakit.join("bad.jks").exists() && !pair.oracle.join("bad.jks").exists());

    // keytool opens every JKS either tool wrote, and both list the same entries: orapki's
    // aliases, the fingerprints openssl computes.
    // (Each side made its own user key and certificate: u.crt is per side.)
    let ca = pair.ca_sha256.to_uppercase();
    let ca_entry = (
        "cn=dropin root ca".to_string(),
        "trustedCertEntry".to_string(),
        ca,
    );
    for dir in [&pair.oracle, &pair.orakit] {
        let user = fingerprint(&dir.join("u.crt"));
        let key_entry = ("orakey0".to_string(), "PrivateKeyEntry".to_string(), user);
        for (file, pw, want) in [
            ("ks.jks", KS_PW, vec![key_entry.clone()]),
            ("ts.jks", TS_PW, vec![ca_entry.clone()]),
            ("all.jks", TS_PW, vec![ca_entry.clone(), key_entry.clone()]),
            ("p.jks", TS_PW, vec![ca_entry.clone(), key_entry.clone()]),
            ("tk.jks", KS_PW, vec![]),
            ("tt.jks", TS_PW, vec![ca_entry.clone()]),
        ] {
            let mut want = want;
            want.sort();
            assert_eq!(
                keytool_entries(&dir.join(file), pw),
                want,
                "{file} in {}",
                dir.display()
            );
        }
    }
    // The key store orakit wrote holds the key and chain: keytool shows a chain of 2.
    let verbose = Command::new("keytool")
        .args(["-list", "-v", "-storetype", "JKS", "-keystore"])
        .arg(pair.orakit.join("ks.jks"))
        .args(["-storepass", KS_PW])
        .output()
        .unwrap();
    let verbose = String::from_utf8_lossy(&verbose.stdout);
    assert!(verbose.contains("Certificate chain length: 2"), "{verbose}");

    let back = read_back(&pair, Release::R23ai, "back", Some(PWD));
    assert!(back.contains("Subject:        CN=u.example.com"), "{back}");
    let many = read_back(&pair, Release::R23ai, "many", Some(PWD));
    assert!(
        many.contains("Alias:          orakey0") && many.contains("Alias:          orakey1"),
        "{many}"
    );
    let trust = read_back(&pair, Release::R23ai, "trust", Some(PWD));
    assert!(
        trust.contains("Subject:        O=Example,CN=DropIn Root CA"),
        "{trust}"
    );

    // Each tool reads the other's JKS: Oracle's orapki imports orakit's key store, orakit's
    // front end imports Oracle's, and the wallets read the same.
    let cross = |dir: &Path, store: &Path, runner: &Runner| {
        let create = format!("wallet create -wallet cross {p}");
        let import = format!(
            "wallet jks_to_pkcs12 -wallet cross -keystore {} -jkspwd {KS_PW} {p}",
            store.display()
        );
        for line in [create, import] {
            let args = crate::dropin::split(&line);
            let a = runner.run(dir, "orapki", &args, "");
            assert_eq!(a.code, 0, "{line}: {}", a.text);
        }
    };
    cross(
        &pair.oracle,
        &pair.orakit.join("ks.jks"),
        &Runner::Oracle(Release::R23ai),
    );
    cross(&pair.orakit, &pair.oracle.join("ks.jks"), &Runner::Orakit);
    let crossed = read_back(&pair, Release::R23ai, "cross", Some(PWD));
    assert!(
        crossed.contains("Subject:        CN=u.example.com"),
        "{crossed}"
    );
}

#[test]
fn export_private_key_asks_for_the_key_password_as_orapki_does() {
    let pair = pair();
    let p = format!("-pwd {PWD} -nologo");
    let create = format!("wallet create -wallet pfx {p}");
    let import =
        format!("wallet import_pkcs12 -wallet pfx -pkcs12file u.p12 -pkcs12pwd Pfx2026pwd#x {p}");
    let export =
        format!("wallet export_private_key -wallet pfx -pvtkeyfile k.pem -alias orakey0 {p}");
    let no_alias = format!("wallet export_private_key -wallet pfx -pvtkeyfile k2.pem {p}");
    let weak =
        format!("wallet export_private_key -wallet pfx -pvtkeyfile k3.pem -alias orakey0 {p}");
    let items = vec![
        Item::Do(make_user_material),
        Item::Run(orapki(&create)),
        Item::Run(orapki(&import)),
        Item::Run(typed(orapki(&export), &[KEY_PW, KEY_PW])),
        Item::Run(typed(orapki(&no_alias), &[KEY_PW, KEY_PW])),
        Item::Run(typed(orapki(&weak), &["short", "short"])),
    ];
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    // Both wrote an encrypted PKCS#8 key that openssl opens with the typed password, and it
    // is the key of u.crt.
    let modulus = |args: &[&str], dir: &Path| {
        let out = run_ok(openssl().current_dir(dir).args(args));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for dir in [&pair.oracle, &pair.orakit] {
        let want = modulus(&["x509", "-in", "u.crt", "-noout", "-modulus"], dir);
        let pem = std::fs::read_to_string(dir.join("k.pem")).unwrap();
        assert!(
            pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            "{pem}"
        );
        let got = modulus(
            &[
                "rsa",
                "-in",
                "k.pem",
                "-passin",
                &format!("pass:{KEY_PW}"),
                "-noout",
                "-modulus",
            ],
            dir,
        );
        assert_eq!(got, want);
        assert!(!dir.join("k2.pem").exists() && !dir.join("k3.pem").exists());
    }
}

#[test]
fn mkstore_user_credential_life_cycle() {
    let pair = pair();
    let create = format!("wallet create -wallet w -pwd {PWD} -nologo");
    let items = vec![
        Item::Run(orapki(&create)),
        Item::Run(mkstore(
            "-wrl w -createUserCredential appmap k1 scott tiger2x -nologo",
            &[PWD],
        )),
        // The password prompted for (mkstore asks for it before the wallet password).
        Item::Run(mkstore(
            "-wrl w -createUserCredential appmap k2 adams",
            &["wood2026x", "wood2026x", PWD],
        )),
        Item::Run(mkstore(
            "-wrl w -createUserCredential appmap k1 scott tiger2x -nologo",
            &[PWD],
        )),
        Item::Run(mkstore(
            "-wrl w -modifyUserCredential appmap k1 scott2 tiger3x -nologo",
            &[PWD],
        )),
        // -modifyUserCredential of a missing entry creates it.
        Item::Run(mkstore(
            "-wrl w -modifyUserCredential appmap k9 blake lion2x -nologo",
            &[PWD],
        )),
        Item::Run(mkstore(
            "-wrl w -deleteUserCredential appmap nokey -nologo",
            &[PWD],
        )),
        Item::Run(mkstore(
            "-wrl w -deleteUserCredential appmap k2 -nologo",
            &[PWD],
        )),
        // Not mkstore 23ai commands / too few words.
        Item::Run(mkstore("-wrl w -listUserCredential -nologo", &[PWD])),
        Item::Run(mkstore(
            "-wrl w -createUserCredential appmap k5 -nologo",
            &[PWD],
        )),
        Item::Run(mkstore("-wrl w -list -nologo", &[PWD])),
    ];
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    // Both wallets hold what the test stored, read by orakit's native reader, and Oracle's
    // mkstore lists orakit's wallet as it lists its own.
    for dir in [&pair.oracle, &pair.orakit] {
        let out = run_ok(
            orakit()
                .current_dir(dir)
                .env("WP", PWD)
                .args(["wallet", "user-credential", "list", "--wallet", "w"])
                .args(["--password-env", "WP", "--json", "--show-secrets"]),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for want in ["scott2", "tiger3x", "blake", "lion2x"] {
            assert!(text.contains(want), "{}: {text}", dir.display());
        }
        assert!(
            !text.contains("adams") && !text.contains("tiger2x"),
            "{text}"
        );
    }
    let theirs = Runner::Oracle(Release::R23ai);
    let list = |dir: &Path| {
        let a = theirs.run(
            dir,
            "mkstore",
            &["-wrl", "w", "-list", "-nologo"],
            &format!("{PWD}\n"),
        );
        assert_eq!(a.code, 0, "{}", a.text);
        crate::dropin::mask(&a.text)
    };
    let listed = list(&pair.orakit);
    assert!(listed.contains("appmap@#3#@k9"), "{listed}");
    assert_eq!(list(&pair.oracle), listed);
}

/// upload/download (LDAP) and p11_add/p11_verify (PKCS#11) are refused by name with exit
/// 255 (docs/drop-in.md says why); what orapki answers is checked too, so the documented
/// difference stays true: "Upload wallet failed : REASON" with exit 0, Oracle's native
/// library missing for p11_*.
#[test]
fn ldap_and_pkcs11_commands_are_refused_by_name() {
    let pair = pair();
    let p = format!("-pwd {PWD} -nologo");
    let create = format!("wallet create -wallet w {p}");
    let theirs = Runner::Oracle(Release::R23ai);
    for runner in [&theirs, &Runner::Orakit] {
        let dir = if matches!(runner, Runner::Orakit) {
            &pair.orakit
        } else {
            &pair.oracle
        };
        assert_eq!(
            runner
                .run(dir, "orapki", &crate::dropin::split(&create), "")
                .code,
            0
        );
    }
    let before = std::fs::read(pair.orakit.join("w/ewallet.p12")).unwrap();
    for (line, oracle_says, oracle_code) in [
        (
            format!("wallet upload -wallet w -ldap 127.0.0.1:9 -user cn=orcladmin -userpwd x {p}"),
            "Upload wallet failed : ",
            Some(0),
        ),
        (
            format!(
                "wallet download -wallet w -ldap 127.0.0.1:9 -user cn=orcladmin -userpwd x {p}"
            ),
            "Download wallet failed : ",
            Some(0),
        ),
        (
            format!(
                "wallet p11_add -wallet w -p11_lib /nonexistent/libpkcs11.so -p11_tokenlabel t -p11_tokenpw x -p11_certlabel c {p}"
            ),
            // orapki records the token's library, labels and passphrase in the wallet
            // without opening the token, silently, exit 0 (checked below).
            "",
            Some(0),
        ),
        (format!("wallet p11_verify -wallet w {p}"), "owm2", None),
    ] {
        let args = crate::dropin::split(&line);
        let a = theirs.run(&pair.oracle, "orapki", &args, "");
        assert!(a.text.contains(oracle_says), "orapki {line}: {}", a.text);
        if let Some(code) = oracle_code {
            assert_eq!(a.code, code, "orapki {line}");
        }
        let b = Runner::Orakit.run(&pair.orakit, "orapki", &args, "");
        assert_eq!(b.code, 255, "{line}: {}", b.text);
        assert!(
            b.text.contains("is not offered") && b.text.contains("docs/drop-in.md"),
            "{line}: {}",
            b.text
        );
    }
    let shown = theirs.run(
        &pair.oracle,
        "orapki",
        &crate::dropin::split(&format!("wallet display -wallet w {p}")),
        "",
    );
    assert!(
        shown.text.contains("PKCS11 token information:"),
        "{}",
        shown.text
    );
    // A misspelt option of these commands still gets orapki's usage answer.
    let bad = crate::dropin::split("wallet upload -wallet w -ldapp h:1 -nologo");
    let a = theirs.run(&pair.oracle, "orapki", &bad, "");
    let b = Runner::Orakit.run(&pair.orakit, "orapki", &bad, "");
    assert_eq!((a.code, a.text), (b.code, b.text));
    assert_eq!(
        std::fs::read(pair.orakit.join("w/ewallet.p12")).unwrap(),
        before
    );
}

/// With `ORAKIT_ORAPKI_RELEASE=19c` the front end answers with orapki 19c's texts: its
/// usage (no `secretstore`, `-compat_v11`), its help, its PKI-01002 (eight characters) and
/// no sixteen-character warning; the wallets are 19c's, read back by orapki 19c.
#[test]
fn nineteen_c_texts_when_asked_for() {
    let pair = pair();
    let lines = [
        "-nologo".to_string(),
        "help -nologo".to_string(),
        "wallet crate -wallet w -nologo".to_string(),
        "wallet create -wallet w -autologin -nologo".to_string(),
        "wallet create -wallet w -pwd short1 -nologo".to_string(),
        "wallet create -wallet w -pwd abcdefghijkl -nologo".to_string(),
        "wallet create -wallet w -pwd Welcome123 -auto_login -nologo".to_string(),
        "wallet add -wallet w -trusted_cert -cert ca.pem -pwd Welcome123 -nologo".to_string(),
        "wallet display -wallet w -pwd Welcome123 -nologo".to_string(),
    ];
    let mut items: Vec<Item> = lines.iter().map(|l| Item::Run(orapki(l))).collect();
    items.push(Item::Run(mkstore(
        "-wrl w -createCredential db19 scott tiger2x -nologo",
        &["Welcome123"],
    )));
    items.push(Item::Run(mkstore(
        "-wrl w -listCredential -nologo",
        &["Welcome123"],
    )));
    differential(&pair, Release::R19c, &Runner::Orakit19c, items);
    let shown = read_back(&pair, Release::R19c, "w", Some("Welcome123"));
    assert!(shown.contains("CN=DropIn Root CA"), "{shown}");
}
