//! Issue 14 (CRLs) and issue 15 (`orapki crl` drop-in) against Oracle's orapki.
//!
//! On a CA wallet made by orapki (`wallet add -self_signed`) and one made by orakit, orapki
//! and orakit each create a CRL and revoke a certificate of known serial; each tool then
//! displays, verifies and status-checks the other's CRL, and OpenSSL (`crl -verify`,
//! `verify -crl_check`, `crl -hash` / `-hash_old`) judges both. The drop-in `orakit
//! orapki crl ...` runs the same command lines as orapki on identical inputs and must
//! print the same (dates masked) with the same exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::peers::{Release, orapki};
use crate::support::{openssl, orakit, run, run_fails, run_ok, stdout};

const PWD: &str = "CrlRing2026pwd#x";
const CA_DN: &str = "CN=Ring CRL Root,O=Orakit Test";
/// Serials the test chooses: 0x1234 (revoked) and 0x174876E7FF (not revoked).
const REVOKED_SERIAL: &str = "4660";
const KEPT_SERIAL: &str = "99999999999";

fn orapki_ok(release: Release, args: &[&str]) -> String {
    let run = orapki(release, args).ok();
    run.body().to_string()
}

fn p(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// An orapki CA wallet with its certificate exported, and two leaves it signed with the
/// serials above (orapki cert create).
struct OrapkiCa {
    dir: PathBuf,
    wallet: String,
    ca_pem: String,
    revoked: String,
    kept: String,
}

fn orapki_ca(root: &Path, release: Release) -> OrapkiCa {
    let wallet = p(root, "ca_wallet");
    orapki_ok(
        release,
        &[
            "wallet", "create", "-wallet", &wallet, "-pwd", PWD, "-nologo",
        ],
    );
    orapki_ok(
        release,
        &[
            "wallet",
            "add",
            "-wallet",
            &wallet,
            "-dn",
            CA_DN,
            "-keysize",
            "2048",
            "-self_signed",
            "-validity",
            "365",
            "-pwd",
            PWD,
            "-nologo",
        ],
    );
    let ca_pem = p(root, "ca.pem");
    orapki_ok(
        release,
        &[
            "wallet", "export", "-wallet", &wallet, "-dn", CA_DN, "-cert", &ca_pem, "-pwd", PWD,
            "-nologo",
        ],
    );
    let mut leaves = Vec::new();
    for (name, serial) in [("revoked", REVOKED_SERIAL), ("kept", KEPT_SERIAL)] {
        let csr = p(root, &format!("{name}.csr"));
        run_ok(openssl().args([
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &p(root, &format!("{name}.key")),
            "-subj",
            &format!("/CN={name}/O=Orakit Test"),
            "-out",
            &csr,
        ]));
        let cert = p(root, &format!("{name}.pem"));
        orapki_ok(
            release,
            &[
                "cert",
                "create",
                "-wallet",
                &wallet,
                "-request",
                &csr,
                "-cert",
                &cert,
                "-validity",
                "30",
                "-serial_num",
                serial,
                "-pwd",
                PWD,
                "-nologo",
            ],
        );
        leaves.push(cert);
    }
    OrapkiCa {
        dir: root.to_path_buf(),
        wallet,
        ca_pem,
        kept: leaves.pop().unwrap(),
        revoked: leaves.pop().unwrap(),
    }
}

fn native(args: &[&str]) -> Command {
    let mut cmd = orakit();
    cmd.arg("crl").args(args).env("CA_PWD", PWD);
    cmd
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

/// orapki's `Last Date:` / `Next Update:` lines, parsed, must be `days` apart.
fn assert_orapki_days(display: &str, days: i64) {
    let date = |label: &str| {
        let line = display
            .lines()
            .find_map(|l| l.strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label} in\n{display}"));
        let format = time::macros::format_description!(
            "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
        );
        time::PrimitiveDateTime::parse(line.trim(), &format)
            .unwrap_or_else(|e| panic!("{line}: {e}"))
    };
    let gap = date("Next Update:") - date("Last Date:");
    assert_eq!(gap.whole_days(), days, "{display}");
}

fn openssl_stdout(args: &[&str]) -> String {
    stdout(&run_ok(openssl().args(args))).trim().to_string()
}

/// openssl verify -crl_check: the revoked leaf fails with "certificate revoked", the other passes.
fn assert_openssl_judges(crl: &str, ca: &OrapkiCa) {
    let verify = |leaf: &str| {
        run(openssl().args([
            "verify",
            "-crl_check",
            "-CAfile",
            &ca.ca_pem,
            "-CRLfile",
            crl,
            leaf,
        ]))
    };
    let revoked = verify(&ca.revoked);
    assert!(!revoked.status.success());
    assert!(
        String::from_utf8_lossy(&revoked.stdout).contains("certificate revoked")
            || String::from_utf8_lossy(&revoked.stderr).contains("certificate revoked"),
        "{revoked:?}"
    );
    assert!(verify(&ca.kept).status.success(), "{crl}");
    assert_eq!(
        openssl_stdout(&[
            "crl", "-in", crl, "-noout", "-verify", "-CAfile", &ca.ca_pem
        ]),
        "",
        "openssl crl -verify printed something on stdout"
    );
    run_ok(openssl().args([
        "crl", "-in", crl, "-noout", "-verify", "-CAfile", &ca.ca_pem,
    ]));
}

#[test]
fn crl_ring_orapki_wallet_both_tools_read_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let r = Release::R23ai;
    let ca = orapki_ca(tmp.path(), r);
    let by_orapki = p(&ca.dir, "orapki.crl");
    let by_orakit = p(&ca.dir, "orakit.crl");

    // orapki creates and revokes.
    let out = orapki_ok(
        r,
        &[
            "crl",
            "create",
            "-crl",
            &by_orapki,
            "-wallet",
            &ca.wallet,
            "-nextupdate",
            "7",
            "-pwd",
            PWD,
            "-nologo",
        ],
    );
    assert_eq!(out.trim(), format!("Created CRL at : {by_orapki}"));
    orapki_ok(
        r,
        &[
            "crl",
            "revoke",
            "-crl",
            &by_orapki,
            "-wallet",
            &ca.wallet,
            "-cert",
            &ca.revoked,
            "-pwd",
            PWD,
            "-nologo",
        ],
    );
    // orakit creates and revokes on the same orapki wallet.
    run_ok(&mut native(&[
        "create",
        "--wallet",
        &ca.wallet,
        "--password-env",
        "CA_PWD",
        "--next-update",
        "7",
        "--out",
        &by_orakit,
    ]));
    run_ok(&mut native(&[
        "revoke",
        "--crl",
        &by_orakit,
        "--cert",
        &ca.revoked,
        "--wallet",
        &ca.wallet,
        "--password-env",
        "CA_PWD",
    ]));

    // orapki reads orakit's CRL.
    let shown = orapki_ok(
        r,
        &["crl", "display", "-crl", &by_orakit, "-complete", "-nologo"],
    );
    assert!(
        shown.contains(&format!("Issuer:         {CA_DN}")),
        "{shown}"
    );
    assert!(shown.contains("  Serial Number: 12:34\n"), "{shown}");
    assert!(!shown.contains("17:48:76:e7:ff"), "{shown}");
    assert_orapki_days(&shown, 7);
    let verified = orapki_ok(
        r,
        &[
            "crl", "verify", "-crl", &by_orakit, "-cert", &ca.ca_pem, "-nologo",
        ],
    );
    assert_eq!(verified.trim(), "Successfully verified CRL signature.");
    let status = orapki_ok(
        r,
        &[
            "crl",
            "status",
            "-crl",
            &by_orakit,
            "-cert",
            &ca.revoked,
            "-nologo",
        ],
    );
    assert_eq!(status.trim(), "The certificate has been revoked.");
    let kept = orapki(
        r,
        &[
            "crl", "status", "-crl", &by_orakit, "-cert", &ca.kept, "-nologo",
        ],
    );
    assert_eq!(kept.body().trim(), "The certificate is not revoked.");
    assert_eq!(kept.code, 255);

    // orakit reads orapki's CRL.
    let report = json_of(&run_ok(&mut native(&[
        "display", "--crl", &by_orapki, "--json",
    ])));
    assert_eq!(report["issuer"], CA_DN);
    assert_eq!(report["version"], 1);
    assert_eq!(report["revoked"][0]["serial"], "1234");
    assert_eq!(report["revoked"].as_array().unwrap().len(), 1);
    let this = time::OffsetDateTime::parse(
        report["this_update"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let next = time::OffsetDateTime::parse(
        report["next_update"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!((next - this).whole_days(), 7);
    run_ok(&mut native(&[
        "verify",
        "--crl",
        &by_orapki,
        "--ca-cert",
        &ca.ca_pem,
    ]));
    run_ok(&mut native(&[
        "verify",
        "--crl",
        &by_orapki,
        "--wallet",
        &ca.wallet,
        "--password-env",
        "CA_PWD",
    ]));
    run_fails(
        &mut native(&["status", "--crl", &by_orapki, "--cert", &ca.revoked]),
        3,
    );
    run_ok(&mut native(&[
        "status", "--crl", &by_orapki, "--cert", &ca.kept,
    ]));
    // orakit's display text is orapki's for the same CRL.
    let ours = stdout(&run_ok(&mut native(&[
        "display",
        "--crl",
        &by_orapki,
        "--complete",
    ])));
    let theirs = orapki_ok(
        r,
        &["crl", "display", "-crl", &by_orapki, "-complete", "-nologo"],
    );
    assert_eq!(ours.trim_end(), theirs.trim_end());

    // OpenSSL judges both CRLs alike.
    for crl in [&by_orapki, &by_orakit] {
        assert_openssl_judges(crl, &ca);
    }

    // Hash names: orapki's = openssl -hash_old, ours print both; links land under them.
    let old = openssl_stdout(&["crl", "-in", &by_orakit, "-noout", "-hash_old"]);
    let new = openssl_stdout(&["crl", "-in", &by_orakit, "-noout", "-hash"]);
    let hashed = orapki_ok(r, &["crl", "hash", "-crl", &by_orakit, "-nologo"]);
    assert!(
        hashed.contains(&format!("Hash:           {old}.rN")),
        "{hashed}"
    );
    let ours = json_of(&run_ok(&mut native(&[
        "hash", "--crl", &by_orapki, "--json",
    ])));
    assert_eq!(ours["orapki_name"], format!("{old}.rN"));
    assert_eq!(ours["openssl_name"], format!("{new}.r0"));
    let dir = ca.dir.join("crl_dir");
    std::fs::create_dir(&dir).unwrap();
    run_ok(&mut native(&[
        "hash",
        "--crl",
        &by_orakit,
        "--dir",
        &dir.to_string_lossy(),
        "--openssl",
    ]));
    assert!(dir.join(format!("{old}.rN")).is_file());
    // openssl -CApath finds the CRL under OpenSSL's name in the directory.
    let capath = run(openssl().args([
        "verify",
        "-crl_check",
        "-CAfile",
        &ca.ca_pem,
        "-CApath",
        &dir.to_string_lossy(),
        &ca.revoked,
    ]));
    assert!(
        !capath.status.success(),
        "revoked leaf accepted with -CApath"
    );
    run_ok(openssl().args([
        "verify",
        "-crl_check",
        "-CAfile",
        &ca.ca_pem,
        "-CApath",
        &dir.to_string_lossy(),
        &ca.kept,
    ]));
}

#[test]
fn crl_ring_orakit_ec_wallet_signs_for_orapki() {
    let tmp = tempfile::tempdir().unwrap();
    let r = Release::R23ai;
    let root = tmp.path();
    let wallet = p(root, "orakit_ca");
    run_ok(orakit().env("CA_PWD", PWD).args([
        "wallet",
        "create",
        "--wallet",
        &wallet,
        "--password-env",
        "CA_PWD",
    ]));
    run_ok(orakit().env("CA_PWD", PWD).args([
        "wallet",
        "add-self-signed",
        "--wallet",
        &wallet,
        "--subject",
        CA_DN,
        "--ca",
        "--days",
        "365",
        // An EC CA: both tools sign and verify ECDSA CRLs.
        "--key-type",
        "p256",
        "--password-env",
        "CA_PWD",
    ]));
    let ca_pem = p(root, "ca.pem");
    run_ok(orakit().env("CA_PWD", PWD).args([
        "wallet",
        "export-cert",
        "--wallet",
        &wallet,
        "--subject",
        CA_DN,
        "--out",
        &ca_pem,
        "--password-env",
        "CA_PWD",
    ]));
    // orapki signs a CRL with the CA orakit put in the wallet; orakit checks it.
    let by_orapki = p(root, "orapki.crl");
    orapki_ok(
        r,
        &[
            "crl",
            "create",
            "-crl",
            &by_orapki,
            "-wallet",
            &wallet,
            "-nextupdate",
            "3",
            "-pwd",
            PWD,
            "-nologo",
        ],
    );
    run_ok(&mut native(&[
        "verify",
        "--crl",
        &by_orapki,
        "--ca-cert",
        &ca_pem,
    ]));
    let report = json_of(&run_ok(&mut native(&[
        "display", "--crl", &by_orapki, "--json",
    ])));
    assert_eq!(report["issuer"], CA_DN);
    // orakit signs with the same wallet; orapki of both releases verifies it.
    let by_orakit = p(root, "orakit.crl");
    run_ok(&mut native(&[
        "create",
        "--wallet",
        &wallet,
        "--password-env",
        "CA_PWD",
        "--next-update",
        "3",
        "--out",
        &by_orakit,
    ]));
    let text = openssl_stdout(&[
        "crl", "-in", &by_orakit, "-noout", "-text", "-verify", "-CAfile", &ca_pem,
    ]);
    assert!(text.contains("ecdsa-with-SHA256"), "{text}");
    for release in [Release::R19c, Release::R23ai] {
        let verified = orapki_ok(
            release,
            &[
                "crl", "verify", "-crl", &by_orakit, "-cert", &ca_pem, "-nologo",
            ],
        );
        assert_eq!(
            verified.trim(),
            "Successfully verified CRL signature.",
            "{release:?}"
        );
    }
    let shown = orapki_ok(
        Release::R19c,
        &["crl", "display", "-crl", &by_orakit, "-complete", "-nologo"],
    );
    assert!(
        shown.contains("There are no Revoked Certificates."),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("Issuer:         {CA_DN}")),
        "{shown}"
    );
    // The drop-in told it is 19c prints 19c's text (`Date:` for 23ai's `Last Date:`).
    let ours = run_ok(orakit().env("ORAKIT_ORAPKI_RELEASE", "19c").args([
        "orapki",
        "crl",
        "display",
        "-crl",
        &by_orakit,
        "-complete",
        "-nologo",
    ]));
    assert_eq!(stdout(&ours).trim_end(), shown.trim_end());
}

#[test]
fn crl_ring_bad_input_is_refused_by_both() {
    let tmp = tempfile::tempdir().unwrap();
    let r = Release::R23ai;
    let ca = orapki_ca(tmp.path(), r);
    // Another CA's CRL.
    let other = p(&ca.dir, "other.crl");
    run_ok(orakit().args([
        "ca",
        "init",
        "--subject",
        "CN=Other Root",
        "--key-out",
        &p(&ca.dir, "other.key"),
        "--out",
        &p(&ca.dir, "other.pem"),
    ]));
    run_ok(&mut native(&[
        "create",
        "--ca-cert",
        &p(&ca.dir, "other.pem"),
        "--ca-key",
        &p(&ca.dir, "other.key"),
        "--out",
        &other,
    ]));
    let theirs = orapki(
        r,
        &[
            "crl", "verify", "-crl", &other, "-cert", &ca.ca_pem, "-nologo",
        ],
    );
    assert_eq!(theirs.body().trim(), "Failed to Verify CRL signature.");
    let err = run_fails(
        &mut native(&["verify", "--crl", &other, "--ca-cert", &ca.ca_pem]),
        1,
    );
    assert!(err.contains(&other) && err.contains("another CA"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // Revoking on it with this CA's wallet changes nothing.
    let before = std::fs::read(&other).unwrap();
    let err = run_fails(
        &mut native(&[
            "revoke",
            "--crl",
            &other,
            "--cert",
            &ca.revoked,
            "--wallet",
            &ca.wallet,
            "--password-env",
            "CA_PWD",
        ]),
        1,
    );
    assert!(err.contains(&other), "{err}");
    assert_eq!(std::fs::read(&other).unwrap(), before);
    let theirs = orapki(
        r,
        &[
            "crl",
            "revoke",
            "-crl",
            &other,
            "-wallet",
            &ca.wallet,
            "-cert",
            &ca.revoked,
            "-pwd",
            PWD,
            "-nologo",
        ],
    );
    assert_eq!(theirs.code, 255, "{}", theirs.stdout);
    // A wrong wallet password: no CRL written by either tool.
    let out = p(&ca.dir, "never.crl");
    let err = run_fails(
        orakit().env("BAD", "Wrong2026pwd#x").args([
            "crl",
            "create",
            "--wallet",
            &ca.wallet,
            "--password-env",
            "BAD",
            "--out",
            &out,
        ]),
        1,
    );
    assert!(err.contains("password"), "{err}");
    assert!(!Path::new(&out).exists());
    let theirs = orapki(
        r,
        &[
            "crl",
            "create",
            "-crl",
            &out,
            "-wallet",
            &ca.wallet,
            "-pwd",
            "Wrong2026pwd#x",
            "-nologo",
        ],
    );
    assert!(
        theirs.body().contains("incorrect password"),
        "{}",
        theirs.stdout
    );
    assert!(!Path::new(&out).exists());
    // A malformed CRL: one line naming the file.
    let bad = p(&ca.dir, "bad.crl");
    std::fs::write(&bad, "not a crl\n").unwrap();
    let err = run_fails(&mut native(&["display", "--crl", &bad]), 1);
    assert!(
        err.contains(&bad) && err.trim().lines().count() == 1,
        "{err}"
    );
    let theirs = orapki(r, &["crl", "display", "-crl", &bad, "-nologo"]);
    assert_eq!(
        theirs.body().trim(),
        format!("PKI-05001: Unable to read CRL at: {bad}")
    );
}

/// Runs the same `orapki crl ...` line with Oracle's orapki and with `orakit orapki`, each
/// in its own copy of the inputs.
struct Twin {
    oracle: PathBuf,
    ours: PathBuf,
}

fn mask(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        // Java Date.toString(): "Wed Dec 02 02:10:22 UTC 2026".
        let masked = match line.find(" UTC ") {
            Some(at) if at >= 19 && line.len() >= at + 9 => {
                format!("{}DATE{}", &line[..at - 19], &line[at + 9..])
            }
            _ => line.to_string(),
        };
        out.push_str(&masked);
        out.push('\n');
    }
    out
}

impl Twin {
    fn check(&self, args: &[&str]) -> (i32, String) {
        let oracle = {
            let mut c = crate::peers::java();
            c.arg("-cp")
                .arg(Release::R23ai.classpath())
                .arg("oracle.security.pki.textui.OraclePKITextUI")
                .args(args)
                .arg("-nologo")
                .current_dir(&self.oracle)
                .stdin(Stdio::null());
            c.output().unwrap()
        };
        let ours = orakit()
            .arg("orapki")
            .args(args)
            .arg("-nologo")
            .env("ORAKIT_DROPIN_QUIET", "1")
            .current_dir(&self.ours)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = |o: &Output| {
            mask(&format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ))
        };
        assert_eq!(
            (ours.status.code(), text(&ours)),
            (oracle.status.code(), text(&oracle)),
            "orapki {}",
            args.join(" ")
        );
        (oracle.status.code().unwrap_or(-1), text(&oracle))
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn crl_dropin_answers_as_orapki() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = tmp.path().join("seed");
    std::fs::create_dir(&seed).unwrap();
    let ca = orapki_ca(&seed, Release::R23ai);
    std::fs::write(seed.join("bad.crl"), "junk\n").unwrap();
    std::fs::create_dir(seed.join("hashdir")).unwrap();
    // Relative paths, so both tools print the same names.
    for f in ["ca.pem", "revoked.pem", "kept.pem"] {
        assert!(ca.dir.join(f).is_file());
    }
    let twin = Twin {
        oracle: tmp.path().join("oracle"),
        ours: tmp.path().join("ours"),
    };
    copy_dir(&seed, &twin.oracle);
    copy_dir(&seed, &twin.ours);
    let w = "ca_wallet";
    let lines: Vec<Vec<&str>> = vec![
        vec![
            "crl",
            "create",
            "-crl",
            "n.crl",
            "-wallet",
            w,
            "-nextupdate",
            "10",
            "-pwd",
            PWD,
        ],
        vec![
            "crl",
            "create",
            "-crl",
            "n.crl",
            "-wallet",
            w,
            "-nextupdate",
            "10",
            "-pwd",
            PWD,
        ],
        vec![
            "crl",
            "create",
            "-crl",
            "x.crl",
            "-wallet",
            w,
            "-pwd",
            "Wrong2026pwd#x",
        ],
        vec![
            "crl",
            "create",
            "-crl",
            "x.crl",
            "-wallet",
            "missing_dir",
            "-pwd",
            PWD,
        ],
        vec!["crl", "create", "-crl", "x.crl", "-pwd", PWD],
        vec!["crl", "create", "-wallet", w, "-pwd", PWD],
        vec![
            "crl",
            "revoke",
            "-wallet",
            w,
            "-cert",
            "revoked.pem",
            "-pwd",
            PWD,
        ],
        vec!["crl", "revoke", "-crl", "n.crl", "-wallet", w, "-pwd", PWD],
        vec![
            "crl",
            "revoke",
            "-crl",
            "n.crl",
            "-cert",
            "revoked.pem",
            "-pwd",
            PWD,
        ],
        vec![
            "crl",
            "revoke",
            "-crl",
            "n.crl",
            "-wallet",
            w,
            "-cert",
            "revoked.pem",
            "-pwd",
            PWD,
        ],
        vec![
            "crl",
            "revoke",
            "-crl",
            "bad.crl",
            "-wallet",
            w,
            "-cert",
            "revoked.pem",
            "-pwd",
            PWD,
        ],
        vec!["crl", "display", "-crl", "n.crl"],
        vec!["crl", "display", "-crl", "n.crl", "-summary"],
        vec!["crl", "display", "-crl", "n.crl", "-complete"],
        vec![
            "crl",
            "display",
            "-crl",
            "n.crl",
            "-complete",
            "-wallet",
            w,
            "-pwd",
            PWD,
        ],
        vec!["crl", "display", "-crl", "bad.crl"],
        vec!["crl", "display", "-crl", "n.crl", "-bogus"],
        vec!["crl", "verify", "-crl", "n.crl", "-cert", "ca.pem"],
        vec!["crl", "verify", "-crl", "n.crl", "-cert", "revoked.pem"],
        vec!["crl", "verify", "-crl", "n.crl"],
        vec!["crl", "status", "-crl", "n.crl", "-cert", "revoked.pem"],
        vec!["crl", "status", "-crl", "n.crl", "-cert", "kept.pem"],
        vec!["crl", "status", "-crl", "bad.crl", "-cert", "kept.pem"],
        vec!["crl", "hash", "-crl", "n.crl"],
        vec!["crl", "hash", "-crl", "n.crl", "-symlink", "hashdir"],
        vec!["crl", "hash", "-crl", "n.crl", "-copy", "no_such_dir"],
        vec!["crl", "help"],
        vec!["crl", "bogus"],
        vec!["crl", "list"],
    ];
    for line in &lines {
        twin.check(line);
    }
    // The link names the same hash in both directories.
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d.join("hashdir"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&twin.ours), names(&twin.oracle));
    assert_eq!(names(&twin.ours).len(), 1);
}
