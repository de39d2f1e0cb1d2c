//! Issue 12, 2a: orakit writes, Oracle reads. Every wallet orakit writes is opened by
//! orapki and mkstore of both releases, and what they report must be what the test put
//! in: fingerprints openssl computes from the input files, public keys openssl takes from
//! the requests and certificates, DNs and secrets the test chose. Each wallet is made
//! once and read by both releases (the writer does not depend on the reader).

use std::collections::BTreeSet;
use std::path::Path;

use crate::oracle_view::{
    KEY_PWD, PWD, Shown, chain, fingerprint, fingerprints, orakit_in, pkcs7_fingerprints,
    public_key, s, trust_certs,
};
use crate::peers::{RELEASES, Release, ToolRun, mkstore, orapki};

/// orapki `wallet display` of a wallet, with the password or (None) from its cwallet.sso.
fn display(release: Release, wallet: &Path, mode: &str, pwd: Option<&str>) -> (Shown, ToolRun) {
    let mut args = vec!["wallet", "display", "-wallet", s(wallet), mode, "-nologo"];
    if let Some(p) = pwd {
        args.extend(["-pwd", p]);
    }
    let run = orapki(release, &args).ok();
    (Shown::parse(release, run.body()), run)
}

fn set<const N: usize>(items: [&str; N]) -> BTreeSet<String> {
    items.iter().map(|i| i.to_string()).collect()
}

/// An auto-login wallet (default 3DES) with a root + intermediate chain, 20 more trusted
/// certificates, a key whose request orakit exported and an orakit CA signed, a stored
/// credential and a secret entry: orapki shows, exports and mkstore lists exactly that.
#[test]
fn a_full_auto_login_wallet_reads_back_in_orapki_and_mkstore() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ch = chain(d);
    let trust = trust_certs(d, 20);
    orakit_in(
        d,
        &[
            "wallet",
            "create",
            "--auto-login",
            "--password-env",
            "PW",
            "--wallet",
            "w",
        ],
    );
    let mut add = vec![
        "wallet",
        "add-trusted",
        "--password-env",
        "PW",
        "--wallet",
        "w",
    ];
    add.extend(["--cert", "root.pem", "--cert", "int.pem"]);
    for t in &trust {
        add.extend(["--cert", s(t)]);
    }
    orakit_in(d, &add);
    let w = "--wallet=w";
    orakit_in(
        d,
        &[
            "wallet",
            "add-key",
            w,
            "--password-env",
            "PW",
            "--subject",
            "CN=db.ring.example",
        ],
    );
    orakit_in(
        d,
        &[
            "wallet",
            "export-request",
            w,
            "--password-env",
            "PW",
            "--out",
            "db.csr",
        ],
    );
    orakit_in(
        d,
        &[
            "csr",
            "sign",
            "db.csr",
            "--ca-cert",
            "int.pem",
            "--ca-key",
            "int.key",
            "--out",
            "db.pem",
        ],
    );
    orakit_in(
        d,
        &[
            "wallet",
            "add-user-cert",
            w,
            "--password-env",
            "PW",
            "--cert",
            "db.pem",
        ],
    );
    // Credentials and secrets, each also modified and deleted: Oracle must see the end state.
    let with_secret = |args: &[&str], secret: Option<&str>| {
        let mut cmd = crate::support::orakit();
        cmd.current_dir(d)
            .args(args)
            .args([w, "--password-env", "PW"])
            .env("PW", PWD);
        if let Some(v) = secret {
            cmd.args(["--secret-env", "SEC"]).env("SEC", v);
        }
        crate::support::run_ok(&mut cmd);
    };
    fn credential<'a>(verb: &'a str, alias: &'a str) -> [&'a str; 5] {
        ["wallet", "credential", verb, "--connect-string", alias]
    }
    with_secret(
        &[&credential("add", "ring_db1")[..], &["--username", "scott"]].concat(),
        Some("Tiger#Ring2026"),
    );
    with_secret(
        &[&credential("add", "ring_db2")[..], &["--username", "alice"]].concat(),
        Some("Alice#Ring2026"),
    );
    with_secret(
        &[
            &credential("modify", "ring_db1")[..],
            &["--username", "scott2"],
        ]
        .concat(),
        Some("Tiger#Changed2026"),
    );
    with_secret(&credential("delete", "ring_db2"), None);
    let secret =
        |verb: &str, alias: &str| ["wallet", "secret", verb, "--alias", alias].map(String::from);
    for (args, value) in [
        (secret("create", "ring.app.token"), Some("Token value 42")),
        (secret("create", "ring.tmp"), Some("temporary")),
        (secret("modify", "ring.app.token"), Some("Token value 43")),
        (secret("delete", "ring.tmp"), None),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        with_secret(&args, value);
    }
    // A copy from which the user certificate (and so its key and request) is removed.
    let st = std::process::Command::new("cp")
        .args(["-r", "w", "w-rm"])
        .current_dir(d)
        .status()
        .unwrap();
    assert!(st.success());
    orakit_in(
        d,
        &[
            "wallet",
            "remove",
            "--wallet",
            "w-rm",
            "--password-env",
            "PW",
            "--subject",
            "CN=db.ring.example",
            "--kind",
            "user",
            "--yes",
        ],
    );
    let wallet = d.join("w");
    let user = d.join("db.pem");
    let mut all_trusted: Vec<&Path> = vec![&ch.root, &ch.int];
    all_trusted.extend(trust.iter().map(|p| p.as_path()));

    for release in RELEASES {
        let r = release.name();
        // -complete with the password: the exact certificates, by fingerprint.
        let (shown, run) = display(release, &wallet, "-complete", Some(PWD));
        assert_eq!(
            Shown::digests(&shown.trusted),
            fingerprints(release, &all_trusted),
            "{r}: trusted certificates\n{}",
            run.stdout
        );
        assert_eq!(shown.trusted.len(), 22, "{r}: {}", run.stdout);
        assert_eq!(
            Shown::digests(&shown.user),
            fingerprints(release, &[&user]),
            "{r}: user certificate"
        );
        assert_eq!(
            Shown::subjects(&shown.user),
            set(["CN=db.ring.example"]),
            "{r}"
        );
        assert!(
            shown.requested.is_empty() || shown.requested.len() == 1,
            "{r}"
        );
        assert_eq!(
            shown.secrets.iter().cloned().collect::<BTreeSet<_>>(),
            set([
                "oracle.security.client.connect_string1",
                "oracle.security.client.password1",
                "oracle.security.client.username1",
                "ring.app.token",
            ]),
            "{r}: secret store"
        );
        // The copy without its user certificate: no user certificate, no request, the
        // same 22 trusted certificates.
        let (rm, run) = display(release, &d.join("w-rm"), "-complete", Some(PWD));
        assert!(
            rm.user.is_empty() && rm.requested.is_empty(),
            "{r}: {}",
            run.stdout
        );
        assert_eq!(
            Shown::digests(&rm.trusted),
            fingerprints(release, &all_trusted),
            "{r}"
        );
        // -summary from cwallet.sso alone: the same subjects.
        let (summary, run) = display(release, &wallet, "-summary", None);
        let mut subjects: BTreeSet<String> =
            (1..=20).map(|i| format!("CN=Ring Trust {i:02}")).collect();
        subjects.extend([
            "CN=Ring Root".to_string(),
            "CN=Ring Intermediate".to_string(),
        ]);
        assert_eq!(
            Shown::subjects(&summary.trusted),
            subjects,
            "{r}: {}",
            run.stdout
        );
        assert_eq!(
            Shown::subjects(&summary.user),
            set(["CN=db.ring.example"]),
            "{r}"
        );

        // export -cert, export_trust_chain, export_private_key.
        let out = d.join(format!("{r}-user.pem"));
        orapki(
            release,
            &[
                "wallet",
                "export",
                "-wallet",
                s(&wallet),
                "-pwd",
                PWD,
                "-dn",
                "CN=db.ring.example",
                "-cert",
                s(&out),
            ],
        )
        .ok();
        assert_eq!(
            fingerprint(release, &out),
            fingerprint(release, &user),
            "{r}: export -cert"
        );
        let p7 = d.join(format!("{r}-chain.p7"));
        orapki(
            release,
            &[
                "wallet",
                "export_trust_chain",
                "-wallet",
                s(&wallet),
                "-pwd",
                PWD,
                "-dn",
                "CN=db.ring.example",
                "-certchain",
                s(&p7),
            ],
        )
        .ok();
        let chain_fps = pkcs7_fingerprints(release, &p7, d);
        assert!(
            chain_fps.is_superset(&fingerprints(release, &[&ch.root, &ch.int])),
            "{r}: export_trust_chain {chain_fps:?}"
        );
        let allowed = fingerprints(release, &[&ch.root, &ch.int, &user]);
        assert!(
            chain_fps.is_subset(&allowed),
            "{r}: export_trust_chain {chain_fps:?}"
        );
        let key = d.join(format!("{r}-key.pem"));
        orapki(
            release,
            &[
                "wallet",
                "export_private_key",
                "-wallet",
                s(&wallet),
                "-pwd",
                PWD,
                "-alias",
                "orakey",
                "-pvtkeypwd",
                KEY_PWD,
                "-pvtkeyfile",
                s(&key),
            ],
        )
        .ok();
        assert_eq!(
            public_key("pkey", &key, Some(KEY_PWD)),
            public_key("x509", &user, None),
            "{r}: export_private_key"
        );

        // mkstore: the credential and the secret entry with the values the test chose.
        let listed = mkstore(
            release,
            &["-wrl", s(&wallet), "-nologo", "-listCredential"],
            &format!("{PWD}\n"),
        )
        .ok();
        assert!(
            listed.stdout.contains("1: ring_db1 scott2"),
            "{r}: {}",
            listed.stdout
        );
        assert!(
            !listed.stdout.contains("ring_db2"),
            "{r}: {}",
            listed.stdout
        );
        let list = mkstore(
            release,
            &["-wrl", s(&wallet), "-nologo", "-list"],
            &format!("{PWD}\n"),
        )
        .ok();
        for alias in ["ring.app.token", "oracle.security.client.password1"] {
            assert!(list.stdout.contains(alias), "{r}: {}", list.stdout);
        }
        for gone in ["ring.tmp", "oracle.security.client.password2"] {
            assert!(!list.stdout.contains(gone), "{r}: {}", list.stdout);
        }
        let pw = mkstore(
            release,
            &[
                "-wrl",
                s(&wallet),
                "-nologo",
                "-viewEntry",
                "oracle.security.client.password1",
            ],
            &format!("{PWD}\n"),
        )
        .ok();
        assert!(
            pw.stdout
                .contains("oracle.security.client.password1 = Tiger#Changed2026"),
            "{r}: {}",
            pw.stdout
        );
        let token = mkstore(
            release,
            &[
                "-wrl",
                s(&wallet),
                "-nologo",
                "-viewEntry",
                "ring.app.token",
            ],
            &format!("{PWD}\n"),
        )
        .ok();
        assert!(
            token.stdout.contains("ring.app.token = Token value 43"),
            "{r}: {}",
            token.stdout
        );
    }
}

/// RSA 3072/4096 and P-256/384/521 keys from `wallet add-key`, each request exported by
/// orakit, signed by an orakit CA and installed, plus one request left pending, in an
/// AES-256 password wallet: orapki lists each certificate with its key length, exports the
/// pending request and the keys, and they carry the public keys of the requests.
#[test]
fn every_key_type_and_a_pending_request_read_back_in_orapki() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    chain(d);
    orakit_in(
        d,
        &[
            "wallet",
            "create",
            "--encryption",
            "aes256",
            "--password-env",
            "PW",
            "--wallet",
            "w",
        ],
    );
    orakit_in(
        d,
        &[
            "wallet",
            "add-trusted",
            "--wallet",
            "w",
            "--password-env",
            "PW",
            "--cert",
            "root.pem",
        ],
    );
    let types = [
        ("rsa3072", "3072"),
        ("rsa4096", "4096"),
        ("p256", "256"),
        ("p384", "384"),
        ("p521", "521"),
    ];
    for (kt, _) in types {
        let dn = format!("CN={kt}.ring.example");
        orakit_in(
            d,
            &[
                "wallet",
                "add-key",
                "--wallet",
                "w",
                "--password-env",
                "PW",
                "--key-type",
                kt,
                "--subject",
                &dn,
            ],
        );
        let csr = format!("{kt}.csr");
        orakit_in(
            d,
            &[
                "wallet",
                "export-request",
                "--wallet",
                "w",
                "--password-env",
                "PW",
                "--subject",
                &dn,
                "--out",
                &csr,
            ],
        );
        let pem = format!("{kt}.pem");
        orakit_in(
            d,
            &[
                "csr",
                "sign",
                &csr,
                "--ca-cert",
                "root.pem",
                "--ca-key",
                "root.key",
                "--out",
                &pem,
            ],
        );
        orakit_in(
            d,
            &[
                "wallet",
                "add-user-cert",
                "--wallet",
                "w",
                "--password-env",
                "PW",
                "--cert",
                &pem,
            ],
        );
    }
    orakit_in(
        d,
        &[
            "wallet",
            "add-key",
            "--wallet",
            "w",
            "--password-env",
            "PW",
            "--key-type",
            "p256",
            "--subject",
            "CN=pending.ring.example",
        ],
    );
    orakit_in(
        d,
        &[
            "wallet",
            "export-request",
            "--wallet",
            "w",
            "--password-env",
            "PW",
            "--subject",
            "CN=pending.ring.example",
            "--out",
            "pending.csr",
        ],
    );
    let wallet = d.join("w");
    for release in RELEASES {
        let r = release.name();
        let (shown, run) = display(release, &wallet, "-complete", Some(PWD));
        let user_pems: Vec<std::path::PathBuf> = types
            .iter()
            .map(|(kt, _)| d.join(format!("{kt}.pem")))
            .collect();
        let user_refs: Vec<&Path> = user_pems.iter().map(|p| p.as_path()).collect();
        assert_eq!(
            Shown::digests(&shown.user),
            fingerprints(release, &user_refs),
            "{r}: {}",
            run.stdout
        );
        for (kt, bits) in types {
            let listed = shown
                .user
                .iter()
                .find(|u| u.subject == format!("CN={kt}.ring.example"))
                .unwrap_or_else(|| panic!("{r}: {kt} not listed\n{}", run.stdout));
            assert_eq!(listed.key_length.as_deref(), Some(bits), "{r}: {kt}");
        }
        // orapki lists a request that has a certificate too; the pending one must be there.
        assert!(
            Shown::subjects(&shown.requested).contains("CN=pending.ring.example"),
            "{r}: {}",
            run.stdout
        );
        let req = d.join(format!("{r}-pending.csr"));
        orapki(
            release,
            &[
                "wallet",
                "export",
                "-wallet",
                s(&wallet),
                "-pwd",
                PWD,
                "-dn",
                "CN=pending.ring.example",
                "-request",
                s(&req),
            ],
        )
        .ok();
        assert_eq!(
            public_key("req", &req, None),
            public_key("req", &d.join("pending.csr"), None),
            "{r}: export -request"
        );
        let subject = crate::oracle_view::openssl_in(
            d,
            &["req", "-noout", "-subject", "-verify", "-in", s(&req)],
        );
        assert!(subject.contains("pending.ring.example"), "{r}: {subject}");
        // The keys of the largest RSA and EC pairs: orakey1 (rsa4096) and orakey4 (p521).
        for (alias, kt) in [("orakey1", "rsa4096"), ("orakey4", "p521")] {
            let key = d.join(format!("{r}-{alias}.pem"));
            orapki(
                release,
                &[
                    "wallet",
                    "export_private_key",
                    "-wallet",
                    s(&wallet),
                    "-pwd",
                    PWD,
                    "-alias",
                    alias,
                    "-pvtkeypwd",
                    KEY_PWD,
                    "-pvtkeyfile",
                    s(&key),
                ],
            )
            .ok();
            assert_eq!(
                public_key("pkey", &key, Some(KEY_PWD)),
                public_key("req", &d.join(format!("{kt}.csr")), None),
                "{r}: export_private_key {alias}"
            );
        }
    }
}

/// Every wallet type and both encryptions, and the outputs of convert, change-password
/// and remove: orapki opens each (from cwallet.sso where there is one, with the password
/// where there is only ewallet.p12) and lists exactly the trusted certificates put in.
#[test]
fn every_wallet_type_convert_change_password_and_remove_open_in_orapki() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ch = chain(d);
    let make = |name: &str, flags: &[&str]| {
        let mut args = vec!["wallet", "create", "--wallet", name];
        args.extend(flags);
        orakit_in(d, &args);
        let mut add = vec![
            "wallet",
            "add-trusted",
            "--wallet",
            name,
            "--cert",
            "root.pem",
            "--cert",
            "int.pem",
        ];
        if flags.contains(&"--password-env") {
            add.extend(["--password-env", "PW"]);
        }
        orakit_in(d, &add);
        d.join(name)
    };
    let password_aes = make("pw-aes", &["--password-env", "PW", "--target", "23ai"]);
    let only = make("only", &["--auto-login-only"]);
    let local = make("local", &["--auto-login-local", "--password-env", "PW"]);
    let auto_aes = make(
        "auto-aes",
        &[
            "--auto-login",
            "--password-env",
            "PW",
            "--encryption",
            "aes256",
        ],
    );
    // convert: password (3DES) -> auto-login AES-256 as 19c writes it; auto-login -> only.
    let converted = make("conv", &["--password-env", "PW"]);
    orakit_in(
        d,
        &[
            "wallet",
            "convert",
            "--wallet",
            "conv",
            "--password-env",
            "PW",
            "--to",
            "auto-login",
            "--target",
            "19c",
        ],
    );
    let to_only = make("conv-only", &["--auto-login", "--password-env", "PW"]);
    orakit_in(
        d,
        &[
            "wallet",
            "convert",
            "--wallet",
            "conv-only",
            "--password-env",
            "PW",
            "--to",
            "auto-login-only",
        ],
    );
    // change-password (re-encrypted as 23ai's orapki does): a new password orapki must
    // accept, and the old one no longer.
    let changed = make("chpw", &["--auto-login", "--password-env", "PW"]);
    const NEW: &str = "RingChanged#2026pw";
    crate::support::run_ok(
        crate::support::orakit()
            .current_dir(d)
            .args([
                "wallet",
                "change-password",
                "--wallet",
                "chpw",
                "--password-env",
                "PW",
                "--new-password-env",
                "NEW",
                "--target",
                "23ai",
            ])
            .env("PW", PWD)
            .env("NEW", NEW),
    );
    // remove: the intermediate goes, by its openssl SHA-256 fingerprint.
    let removed = make("rm", &["--auto-login", "--password-env", "PW"]);
    let int_sha256 = fingerprint(Release::R23ai, &ch.int);
    orakit_in(
        d,
        &[
            "wallet",
            "remove",
            "--wallet",
            "rm",
            "--password-env",
            "PW",
            "--fingerprint",
            &int_sha256,
        ],
    );

    for release in RELEASES {
        let r = release.name();
        let both = fingerprints(release, &[&ch.root, &ch.int]);
        let root_only = fingerprints(release, &[&ch.root]);
        // A 3DES ewallet.p12 opened with the password is the full wallet case's.
        let cases: [(&Path, Option<&str>, &BTreeSet<String>); 8] = [
            (&password_aes, Some(PWD), &both),
            (&only, None, &both),
            (&local, None, &both),
            (&auto_aes, None, &both),
            (&converted, None, &both),
            (&to_only, None, &both),
            (&changed, Some(NEW), &both),
            (&removed, Some(PWD), &root_only),
        ];
        for (wallet, pwd, expected) in cases {
            let (shown, run) = display(release, wallet, "-complete", pwd);
            assert_eq!(
                &Shown::digests(&shown.trusted),
                expected,
                "{r}: {}\n{}",
                wallet.display(),
                run.stdout
            );
        }
        // The old password no longer opens the changed wallet's ewallet.p12.
        let old = orapki(
            release,
            &[
                "wallet",
                "display",
                "-wallet",
                s(&changed.join("ewallet.p12")),
                "-pwd",
                PWD,
                "-nologo",
            ],
        );
        assert!(
            old.code != 0 || old.stdout.contains("PKI-"),
            "{r}: the old password still opens the changed wallet: {}",
            old.stdout
        );
    }
}

/// `tcps init` (with --target, so AES-256 wallets), `tcps issue` (a two-host fleet, default
/// 3DES) and `dms wallet`: orapki opens the server wallets with the password and from their
/// sso, the client and DMS wallets from cwallet.sso, and shows the certificates the
/// commands wrote beside them (server.pem, ca.pem) and the CA files the test gave.
#[test]
fn tcps_init_tcps_issue_and_dms_wallets_open_in_orapki() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ch = chain(d);
    orakit_in(
        d,
        &[
            "tcps",
            "init",
            "--host",
            "db.ring.example",
            "--service",
            "ORCL",
            "--out",
            "init",
            "--password-env",
            "PW",
            "--target",
            "23ai",
        ],
    );
    std::fs::write(
        d.join("hosts.csv"),
        "host,sans,service,tcps_port,tcp_port\ndb1.ring.example,db1,ORCL,2484,\ndb2.ring.example,,SALES,2484,1521\n",
    )
    .unwrap();
    // The intermediate CA's file carries its root after it, as tcps issue takes a chain.
    let bundle = [
        std::fs::read_to_string(&ch.int).unwrap(),
        std::fs::read_to_string(&ch.root).unwrap(),
    ]
    .concat();
    std::fs::write(d.join("int-chain.pem"), bundle).unwrap();
    orakit_in(
        d,
        &[
            "tcps",
            "issue",
            "--ca-cert",
            "int-chain.pem",
            "--ca-key",
            "int.key",
            "--hosts",
            "hosts.csv",
            "--out",
            "fleet",
            "--password-env",
            "PW",
            "--jobs",
            "1",
        ],
    );
    orakit_in(
        d,
        &[
            "dms",
            "wallet",
            "--ca-cert",
            "root.pem",
            "--ca-cert",
            "int.pem",
            "--out",
            "dms",
        ],
    );

    for release in RELEASES {
        let r = release.name();
        let init_ca = d.join("init/ca/ca.pem");
        let init_server = d.join("init/server/server.pem");
        for pwd in [Some(PWD), None] {
            let (shown, run) = display(release, &d.join("init/server/wallet"), "-complete", pwd);
            assert_eq!(
                Shown::digests(&shown.user),
                fingerprints(release, &[&init_server]),
                "{r}: {}",
                run.stdout
            );
            assert_eq!(
                Shown::digests(&shown.trusted),
                fingerprints(release, &[&init_ca]),
                "{r}: {}",
                run.stdout
            );
        }
        let (client, run) = display(release, &d.join("init/client/wallet"), "-complete", None);
        assert_eq!(
            Shown::digests(&client.trusted),
            fingerprints(release, &[&init_ca]),
            "{r}: {}",
            run.stdout
        );
        assert!(client.user.is_empty(), "{r}: {}", run.stdout);
        for host in ["db1.ring.example", "db2.ring.example"] {
            let dir = d.join("fleet").join(host);
            let (shown, run) = display(release, &dir.join("wallet"), "-complete", Some(PWD));
            assert_eq!(
                Shown::digests(&shown.user),
                fingerprints(release, &[&dir.join("server.pem")]),
                "{r} {host}: {}",
                run.stdout
            );
            assert_eq!(
                Shown::subjects(&shown.user),
                set([&*format!("CN={host}")]),
                "{r}"
            );
            assert_eq!(
                Shown::digests(&shown.trusted),
                fingerprints(release, &[&ch.root, &ch.int]),
                "{r} {host}: {}",
                run.stdout
            );
        }
        let (dms, run) = display(release, &d.join("dms"), "-complete", None);
        assert_eq!(
            Shown::digests(&dms.trusted),
            fingerprints(release, &[&ch.root, &ch.int]),
            "{r}: {}",
            run.stdout
        );
    }
}
