//! `dms wallet`: the chain in the bundle is checked (names and signatures) before the
//! auto-login-only upload wallet is written; a gap is named.

use crate::support::words;
use std::path::Path;

use crate::support::{openssl, orakit, run_fails, run_ok, walletcheck};

/// A root made by orakit and an intermediate signed by it (CA:TRUE, made by openssl,
/// as a CA outside orakit would), plus an unrelated root with the same name.
fn make_chain(dir: &Path) {
    let o = |args: &[&str]| run_ok(orakit().current_dir(dir).args(args));
    o(&[
        "ca",
        "init",
        "--subject",
        "CN=Test Root CA,O=Example",
        "--key-type",
        "p256",
        "--key-out",
        "root.key",
        "--out",
        "root.pem",
    ]);
    o(&["key", "generate", "--key-type", "p256", "--out", "int.key"]);
    o(&[
        "csr",
        "create",
        "--key",
        "int.key",
        "--subject",
        "CN=Test Issuing CA,O=Example",
        "--out",
        "int.csr",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
    )
    .unwrap();
    run_ok(openssl().current_dir(dir).args(words("x509 -req -in int.csr -CA root.pem -CAkey root.key -set_serial 7 -days 100 -sha256 -extfile ext.cnf -out int.pem")));
    o(&[
        "ca",
        "init",
        "--subject",
        "CN=Test Root CA,O=Example",
        "--key-type",
        "p256",
        "--key-out",
        "impostor.key",
        "--out",
        "impostor.pem",
    ]);
    let bundle = [
        std::fs::read_to_string(dir.join("int.pem")).unwrap(),
        std::fs::read_to_string(dir.join("root.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(dir.join("bundle.pem"), bundle).unwrap();
}

#[test]
fn a_complete_chain_becomes_an_auto_login_only_wallet() {
    let dir = tempfile::tempdir().unwrap();
    make_chain(dir.path());
    let out = dir.path().join("dms");
    let result = run_ok(
        orakit()
            .args(["dms", "wallet", "--ca-cert"])
            .arg(dir.path().join("bundle.pem"))
            .arg("--out")
            .arg(&out),
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("fileb://"), "{stderr}");
    let sso = std::fs::read(out.join("cwallet.sso")).unwrap();
    assert_eq!(sso[3], 0x37, "auto-login-only, never local (0x38)");
    assert!(!out.join("ewallet.p12").exists());
    if let Some(checker) = walletcheck() {
        let checked = run_ok(
            std::process::Command::new("python3")
                .arg(checker)
                .args(["--strict", "--json"])
                .arg(out.join("cwallet.sso")),
        );
        let text = String::from_utf8_lossy(&checked.stdout);
        assert!(
            text.contains("CN=Test Root CA") && text.contains("CN=Test Issuing CA"),
            "{text}"
        );
    }
    // Running it again with the same chain changes nothing; another chain there is
    // refused without --force; --force replaces.
    let before = std::fs::read(out.join("cwallet.sso")).unwrap();
    run_ok(
        orakit()
            .args(["dms", "wallet", "--ca-cert"])
            .arg(dir.path().join("bundle.pem"))
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(std::fs::read(out.join("cwallet.sso")).unwrap(), before);
    let err = run_fails(
        orakit()
            .args(["dms", "wallet", "--ca-cert"])
            .arg(dir.path().join("root.pem"))
            .arg("--out")
            .arg(&out),
        1,
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(out.join("cwallet.sso")).unwrap(), before);
    run_ok(
        orakit()
            .args(words("dms wallet --force --ca"))
            .arg(dir.path().join("bundle.pem"))
            .arg("--out")
            .arg(&out),
    );
    // Over a password wallet, --force leaves one consistent auto-login-only wallet.
    let pw_wallet = dir.path().join("pw");
    run_ok(
        orakit()
            .args(words("wallet create --password-env PW --wallet"))
            .arg(&pw_wallet)
            .env("PW", "Passw0rd-x"),
    );
    run_ok(
        orakit()
            .args(words("dms wallet --force --ca"))
            .arg(dir.path().join("bundle.pem"))
            .arg("--out")
            .arg(&pw_wallet),
    );
    assert!(!pw_wallet.join("ewallet.p12").exists());
    assert_eq!(
        std::fs::read(pw_wallet.join("cwallet.sso")).unwrap()[3],
        0x37
    );
}

#[test]
fn a_missing_intermediate_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    make_chain(dir.path());
    let leaf_dir = dir.path();
    // A server certificate issued by the intermediate, bundled with the root only.
    run_ok(orakit().current_dir(leaf_dir).args(words(
        "csr create --key-out srv.key --key-type p256 --subject CN=db1 --san db1 --out srv.csr",
    )));
    run_ok(orakit().current_dir(leaf_dir).args(words(
        "csr sign srv.csr --ca-cert int.pem --ca-key int.key --out srv.pem",
    )));
    let bundle = [
        std::fs::read_to_string(dir.path().join("srv.pem")).unwrap(),
        std::fs::read_to_string(dir.path().join("root.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(dir.path().join("gap.pem"), bundle).unwrap();
    let out = dir.path().join("dms");
    let err = run_fails(
        orakit()
            .args(["dms", "wallet", "--ca-cert"])
            .arg(dir.path().join("gap.pem"))
            .arg("--out")
            .arg(&out),
        1,
    );
    assert!(err.contains("CN=Test Issuing CA,O=Example"), "{err}");
    assert!(err.contains("missing"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_top_that_is_not_self_signed_or_a_same_name_impostor_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    make_chain(dir.path());
    let out = dir.path().join("dms");
    // The intermediate alone: its issuer (the root) is missing.
    let err = run_fails(
        orakit()
            .args(["dms", "wallet", "--ca-cert"])
            .arg(dir.path().join("int.pem"))
            .arg("--out")
            .arg(&out),
        1,
    );
    assert!(err.contains("CN=Test Root CA,O=Example"), "{err}");
    // The intermediate with a different root of the same name: the signature check fails.
    let err = run_fails(
        orakit()
            .args(["dms", "wallet", "--ca-cert"])
            .arg(dir.path().join("int.pem"))
            .arg("--ca-cert")
            .arg(dir.path().join("impostor.pem"))
            .arg("--out")
            .arg(&out),
        1,
    );
    assert!(err.contains("does not verify"), "{err}");
    assert!(!out.exists());
}
