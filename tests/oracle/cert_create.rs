//! Issue 14 "Certificates": `cert create` and `cert display`, orakit against orapki.
//!
//! The same requests (one made by orapki `wallet add -dn` + `export -request`, one made by
//! `orakit csr create`) are signed by orapki `cert create` and by `orakit cert create` from
//! the same CA wallet. Every certificate is read by openssl (names, serial, validity,
//! extensions, signature algorithm against the values this test chose), by orapki
//! `cert display` and by `orakit cert display` (the same text), and goes into the
//! requesting wallet with orapki `wallet add -user_cert` and `orakit wallet add-user-cert`.
//! Roots made by orapki `-self_signed` and by `orakit wallet add-self-signed` sign with
//! both tools and with `orakit csr sign`. Bad input leaves no file behind.

use std::path::Path;
use std::process::Command;

use crate::peers::{RELEASES, Release, orapki};
use crate::support::{openssl, orakit, run, run_ok, stdout};

const PWD: &str = "CertRing2026pwd#x";
const CA_DN: &str = "CN=Ring Root,O=Acme Ring";
const ORAPKI_REQ_DN: &str = "CN=db.ring.example,O=Acme Ring";
const ORAKIT_REQ_DN: &str = "CN=app.ring.example,O=Acme Ring";
const DAYS: u64 = 120;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok(release: Release, args: &[&str]) -> String {
    orapki(release, args).ok().body().to_string()
}

/// `orakit ARGS` with the wallet password in $PW.
fn k(args: &[&str]) -> std::process::Output {
    run_ok(orakit().args(args).env("PW", PWD))
}

fn ossl(args: &[&str]) -> String {
    stdout(&run_ok(openssl().args(args)))
}

/// `subject=...` / `issuer=...` in RFC 2253 order, as orapki prints names.
fn names(cert: &Path) -> (String, String) {
    let out = ossl(&[
        "x509",
        "-in",
        s(cert),
        "-noout",
        "-subject",
        "-issuer",
        "-nameopt",
        "RFC2253",
    ]);
    let mut lines = out.lines();
    (
        lines
            .next()
            .unwrap()
            .trim_start_matches("subject=")
            .to_string(),
        lines
            .next()
            .unwrap()
            .trim_start_matches("issuer=")
            .to_string(),
    )
}

fn serial(cert: &Path) -> String {
    ossl(&["x509", "-in", s(cert), "-noout", "-serial"])
        .trim()
        .trim_start_matches("serial=")
        .to_string()
}

/// The `X509v3 ...` headings of the certificate's extensions, in order.
fn extension_headings(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("X509v3 ") && !l.starts_with("X509v3 extensions"))
        .map(str::to_string)
        .collect()
}

fn hex_after(text: &str, heading: &str) -> String {
    let mut lines = text.lines().skip_while(|l| !l.contains(heading));
    lines.next();
    lines
        .next()
        .unwrap_or_default()
        .trim()
        .trim_start_matches("keyid:")
        .to_string()
}

/// The certificate is valid for `days` from about now: still valid an hour before the
/// end, expired an hour after it (openssl -checkend).
fn assert_valid_for_days(cert: &Path, days: u64) {
    let secs = days * 86_400;
    let check = |seconds: u64| {
        run(openssl().args([
            "x509",
            "-in",
            s(cert),
            "-noout",
            "-checkend",
            &seconds.to_string(),
        ]))
        .status
        .success()
    };
    assert!(
        check(secs - 3600),
        "{} ends before {days} days",
        cert.display()
    );
    assert!(
        !check(secs + 3600),
        "{} runs past {days} days",
        cert.display()
    );
}

fn signature_line(text: &str) -> String {
    text.lines()
        .find(|l| l.trim_start().starts_with("Signature Algorithm:"))
        .unwrap()
        .trim()
        .to_string()
}

/// orapki's and orakit's `cert display` text of `cert` (summary and -complete) are equal.
fn same_display(release: Release, cert: &Path) {
    let forms: [(&[&str], &[&str]); 3] = [
        (&["-summary"], &[]),
        (&["-complete"], &["--complete"]),
        (
            &["-complete", "-details"],
            &["--complete", "--details", "--target", release.target()],
        ),
    ];
    for (oracle_flags, orakit_flags) in forms {
        let mut theirs_args = vec!["cert", "display", "-cert", s(cert)];
        theirs_args.extend(oracle_flags);
        theirs_args.push("-nologo");
        let theirs = ok(release, &theirs_args);
        let mut args = vec!["cert", "display", s(cert)];
        args.extend(orakit_flags);
        let ours = stdout(&k(&args));
        assert_eq!(
            ours,
            theirs,
            "orakit cert display {orakit_flags:?} differs from orapki[{}] {oracle_flags:?} for {}",
            release.name(),
            cert.display()
        );
        // The drop-in prints the same body.
        let mut dropin_args = vec!["orapki"];
        dropin_args.extend(&theirs_args);
        let dropin = stdout(&run_ok(
            orakit()
                .args(&dropin_args)
                .env("ORAKIT_DROPIN_QUIET", "1")
                .env("ORAKIT_ORAPKI_RELEASE", release.target()),
        ));
        assert_eq!(dropin, theirs, "drop-in display differs");
    }
}

#[test]
fn orapki_and_orakit_sign_the_same_requests_from_one_ca_wallet() {
    for release in RELEASES {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let ca = d.join("ca");
        let req_wallet = d.join("req");
        // The CA: a v3 root with a subjectKeyIdentifier, made by orapki.
        ok(
            release,
            &[
                "wallet",
                "create",
                "-wallet",
                s(&ca),
                "-pwd",
                PWD,
                "-nologo",
            ],
        );
        ok(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                s(&ca),
                "-pwd",
                PWD,
                "-dn",
                CA_DN,
                "-keysize",
                "2048",
                "-self_signed",
                "-validity",
                "3650",
                "-addext_ski",
                "-addext_basic_cons",
                "CA",
                "-addext_ku",
                "keyCertSign,cRLSign",
                "-nologo",
            ],
        );
        let ca_cert = d.join("ca.crt");
        ok(
            release,
            &[
                "wallet",
                "export",
                "-wallet",
                s(&ca),
                "-pwd",
                PWD,
                "-dn",
                CA_DN,
                "-cert",
                s(&ca_cert),
                "-nologo",
            ],
        );
        // Request 1: orapki's (SAN and key usage requested).
        ok(
            release,
            &[
                "wallet",
                "create",
                "-wallet",
                s(&req_wallet),
                "-pwd",
                PWD,
                "-nologo",
            ],
        );
        ok(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                s(&req_wallet),
                "-pwd",
                PWD,
                "-dn",
                ORAPKI_REQ_DN,
                "-keysize",
                "2048",
                "-addext_san",
                "DNS:db.ring.example",
                "-addext_ku",
                "digitalSignature,keyEncipherment",
                "-nologo",
            ],
        );
        let req1 = d.join("req1.csr");
        ok(
            release,
            &[
                "wallet",
                "export",
                "-wallet",
                s(&req_wallet),
                "-pwd",
                PWD,
                "-dn",
                ORAPKI_REQ_DN,
                "-request",
                s(&req1),
                "-nologo",
            ],
        );
        // Request 2: orakit's (a P-256 key, one SAN).
        let req2 = d.join("req2.csr");
        let key2 = d.join("req2.key");
        k(&[
            "csr",
            "create",
            "--subject",
            ORAKIT_REQ_DN,
            "--san",
            "app.ring.example",
            "--key-type",
            "p256",
            "--out",
            s(&req2),
            "--key-out",
            s(&key2),
        ]);

        // Each request signed by both tools: serial 4660 on the command line for request 1,
        // from a serial file holding 99 for request 2 (both tools then use 100 and write it).
        let by = |who: &str, n: u8| d.join(format!("{who}{n}.crt"));
        ok(
            release,
            &[
                "cert",
                "create",
                "-wallet",
                s(&ca),
                "-pwd",
                PWD,
                "-request",
                s(&req1),
                "-cert",
                s(&by("orapki", 1)),
                "-validity",
                &DAYS.to_string(),
                "-serial_num",
                "4660",
                "-sign_alg",
                "sha384",
                "-nologo",
            ],
        );
        k(&[
            "cert",
            "create",
            "--wallet",
            s(&ca),
            "--password-env",
            "PW",
            "--request",
            s(&req1),
            "--out",
            s(&by("orakit", 1)),
            "--days",
            &DAYS.to_string(),
            "--serial",
            "4660",
            "--signature-algorithm",
            "sha384",
        ]);
        // orapki 19c reads a PEM request only with the `NEW CERTIFICATE REQUEST` label
        // (orapki's own); OpenSSL's and orakit's `CERTIFICATE REQUEST` it refuses, so it
        // gets the DER form of the same request.
        let req2_for_orapki = if release == Release::R19c {
            let refused = orapki(
                release,
                &[
                    "cert",
                    "create",
                    "-wallet",
                    s(&ca),
                    "-pwd",
                    PWD,
                    "-request",
                    s(&req2),
                    "-cert",
                    s(&d.join("refused.crt")),
                    "-validity",
                    "5",
                    "-nologo",
                ],
            );
            assert!(
                refused
                    .body()
                    .contains("Unable to read certificate request at"),
                "orapki 19c now reads a CERTIFICATE REQUEST PEM: {}",
                refused.stdout
            );
            let der = d.join("req2.der");
            run_ok(openssl().args(["req", "-in", s(&req2), "-outform", "DER", "-out", s(&der)]));
            der
        } else {
            req2.clone()
        };
        let serial_a = d.join("serial.a");
        let serial_b = d.join("serial.b");
        std::fs::write(&serial_a, "99").unwrap();
        std::fs::write(&serial_b, "99").unwrap();
        ok(
            release,
            &[
                "cert",
                "create",
                "-wallet",
                s(&ca),
                "-pwd",
                PWD,
                "-request",
                s(&req2_for_orapki),
                "-cert",
                s(&by("orapki", 2)),
                "-validity",
                &DAYS.to_string(),
                "-serial_file",
                s(&serial_a),
                "-nologo",
            ],
        );
        k(&[
            "cert",
            "create",
            "--wallet",
            s(&ca),
            "--password-env",
            "PW",
            "--request",
            s(&req2),
            "--out",
            s(&by("orakit", 2)),
            "--days",
            &DAYS.to_string(),
            "--serial-file",
            s(&serial_b),
        ]);
        assert_eq!(std::fs::read_to_string(&serial_a).unwrap(), "100");
        assert_eq!(std::fs::read_to_string(&serial_b).unwrap(), "100");

        let ca_text = ossl(&["x509", "-in", s(&ca_cert), "-noout", "-text"]);
        let ca_ski = hex_after(&ca_text, "X509v3 Subject Key Identifier");
        assert!(!ca_ski.is_empty(), "the orapki root has no SKI:\n{ca_text}");
        // A certificate without SAN (the v3 root: SKI, AKI, keyUsage, basicConstraints).
        same_display(release, &ca_cert);
        for (n, dn, want_serial, want_sig, want_exts) in [
            (
                1,
                ORAPKI_REQ_DN,
                "1234",
                "Signature Algorithm: sha384WithRSAEncryption",
                vec![
                    "X509v3 Key Usage: critical",
                    "X509v3 Subject Alternative Name:",
                    "X509v3 Authority Key Identifier:",
                ],
            ),
            (
                2,
                ORAKIT_REQ_DN,
                "64",
                "Signature Algorithm: sha256WithRSAEncryption",
                vec![
                    "X509v3 Subject Alternative Name:",
                    "X509v3 Authority Key Identifier:",
                ],
            ),
        ] {
            for who in ["orapki", "orakit"] {
                let cert = by(who, n);
                let what = format!("{who}[{}] certificate {n}", release.name());
                let (subject, issuer) = names(&cert);
                assert_eq!(subject, dn, "{what}: subject");
                assert_eq!(issuer, CA_DN, "{what}: issuer");
                assert_eq!(serial(&cert), want_serial, "{what}: serial");
                assert_valid_for_days(&cert, DAYS);
                let text = ossl(&["x509", "-in", s(&cert), "-noout", "-text"]);
                assert_eq!(signature_line(&text), want_sig, "{what}");
                assert!(text.contains("Version: 3 (0x2)"), "{what}: not v3:\n{text}");
                assert_eq!(extension_headings(&text), want_exts, "{what}: extensions");
                assert_eq!(
                    hex_after(&text, "X509v3 Authority Key Identifier"),
                    ca_ski,
                    "{what}: authorityKeyIdentifier is not the CA's SKI"
                );
                assert!(!text.contains("Basic Constraints"), "{what}: {text}");
                run_ok(openssl().args(["verify", "-CAfile", s(&ca_cert), s(&cert)]));
                same_display(release, &cert);
            }
        }

        // Into the requesting wallet: orapki installs orakit's certificate, orakit installs
        // orapki's (in a copy of the same wallet); each tool then reads the other's wallet.
        let copy = d.join("req_copy");
        std::fs::create_dir(&copy).unwrap();
        std::fs::copy(req_wallet.join("ewallet.p12"), copy.join("ewallet.p12")).unwrap();
        ok(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                s(&req_wallet),
                "-pwd",
                PWD,
                "-trusted_cert",
                "-cert",
                s(&ca_cert),
                "-nologo",
            ],
        );
        ok(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                s(&req_wallet),
                "-pwd",
                PWD,
                "-user_cert",
                "-cert",
                s(&by("orakit", 1)),
                "-nologo",
            ],
        );
        k(&[
            "wallet",
            "add-trusted",
            "--wallet",
            s(&copy),
            "--password-env",
            "PW",
            "--cert",
            s(&ca_cert),
        ]);
        k(&[
            "wallet",
            "add-user-cert",
            "--wallet",
            s(&copy),
            "--password-env",
            "PW",
            "--cert",
            s(&by("orapki", 1)),
        ]);
        for (wallet, installed) in [(&req_wallet, by("orakit", 1)), (&copy, by("orapki", 1))] {
            let shown = ok(
                release,
                &[
                    "wallet",
                    "display",
                    "-wallet",
                    s(wallet),
                    "-pwd",
                    PWD,
                    "-nologo",
                ],
            );
            let user = shown
                .split("User Certificates:")
                .nth(1)
                .and_then(|r| r.split("Trusted Certificates:").next())
                .unwrap_or_default();
            assert!(
                user.contains(&format!("Subject:        {ORAPKI_REQ_DN}")),
                "{shown}"
            );
            let exported = d.join("exported.crt");
            let _ = std::fs::remove_file(&exported);
            k(&[
                "wallet",
                "export-cert",
                "--wallet",
                s(wallet),
                "--password-env",
                "PW",
                "--subject",
                ORAPKI_REQ_DN,
                "--out",
                s(&exported),
            ]);
            assert_eq!(
                ossl(&[
                    "x509",
                    "-in",
                    s(&exported),
                    "-noout",
                    "-fingerprint",
                    "-sha256"
                ]),
                ossl(&[
                    "x509",
                    "-in",
                    s(&installed),
                    "-noout",
                    "-fingerprint",
                    "-sha256"
                ]),
                "the installed user certificate is not the signed one"
            );
        }

        // The drop-in, with orapki's defaults: serial 0, validity from this second.
        let dropin = by("dropin", 1);
        let out = run_ok(
            orakit()
                .args([
                    "orapki",
                    "cert",
                    "create",
                    "-wallet",
                    s(&ca),
                    "-pwd",
                    PWD,
                    "-request",
                    s(&req1),
                    "-cert",
                    s(&dropin),
                    "-validity",
                    "30",
                    "-nologo",
                ])
                .env("ORAKIT_DROPIN_QUIET", "1"),
        );
        assert_eq!(stdout(&out), "Operation is successfully completed.\n");
        let oracle_default = by("orapki", 3);
        ok(
            release,
            &[
                "cert",
                "create",
                "-wallet",
                s(&ca),
                "-pwd",
                PWD,
                "-request",
                s(&req1),
                "-cert",
                s(&oracle_default),
                "-validity",
                "30",
                "-nologo",
            ],
        );
        for cert in [&dropin, &oracle_default] {
            assert_eq!(serial(cert), "00", "{}", cert.display());
            assert_valid_for_days(cert, 30);
        }
    }
}

/// A v1 root (no extensions), made by orapki `-self_signed` or by `orakit wallet
/// add-self-signed`, signs with orapki cert create, orakit cert create and orakit csr sign.
#[test]
fn v1_roots_of_either_tool_sign_with_every_signer() {
    let release = Release::R23ai;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let req = d.join("leaf.csr");
    k(&[
        "csr",
        "create",
        "--subject",
        "CN=leaf.ring.example",
        "--san",
        "leaf.ring.example",
        "--out",
        s(&req),
        "--key-out",
        s(&d.join("leaf.key")),
    ]);
    let by_orapki = d.join("root_orapki");
    ok(
        release,
        &[
            "wallet",
            "create",
            "-wallet",
            s(&by_orapki),
            "-pwd",
            PWD,
            "-nologo",
        ],
    );
    ok(
        release,
        &[
            "wallet",
            "add",
            "-wallet",
            s(&by_orapki),
            "-pwd",
            PWD,
            "-dn",
            "CN=Orapki V1 Root",
            "-keysize",
            "2048",
            "-self_signed",
            "-validity",
            "365",
            "-nologo",
        ],
    );
    let by_orakit = d.join("root_orakit");
    k(&[
        "wallet",
        "create",
        "--wallet",
        s(&by_orakit),
        "--password-env",
        "PW",
    ]);
    k(&[
        "wallet",
        "add-self-signed",
        "--wallet",
        s(&by_orakit),
        "--password-env",
        "PW",
        "--subject",
        "CN=Orakit V1 Root",
        "--days",
        "365",
    ]);
    for (wallet, dn) in [
        (&by_orapki, "CN=Orapki V1 Root"),
        (&by_orakit, "CN=Orakit V1 Root"),
    ] {
        let root = d.join("root.crt");
        let root_key = d.join("root.key");
        let _ = std::fs::remove_file(&root);
        let _ = std::fs::remove_file(&root_key);
        k(&[
            "wallet",
            "export-cert",
            "--wallet",
            s(wallet),
            "--password-env",
            "PW",
            "--subject",
            dn,
            "--out",
            s(&root),
        ]);
        let root_text = ossl(&["x509", "-in", s(&root), "-noout", "-text"]);
        assert!(root_text.contains("Version: 1 (0x0)"), "{root_text}");
        // A v1 certificate without any extension.
        same_display(release, &root);
        let signed = [d.join("a.crt"), d.join("b.crt"), d.join("c.crt")];
        for f in &signed {
            let _ = std::fs::remove_file(f);
        }
        ok(
            release,
            &[
                "cert",
                "create",
                "-wallet",
                s(wallet),
                "-pwd",
                PWD,
                "-request",
                s(&req),
                "-cert",
                s(&signed[0]),
                "-validity",
                "30",
                "-nologo",
            ],
        );
        k(&[
            "cert",
            "create",
            "--wallet",
            s(wallet),
            "--password-env",
            "PW",
            "--request",
            s(&req),
            "--out",
            s(&signed[1]),
            "--days",
            "30",
        ]);
        k(&[
            "wallet",
            "export-key",
            "--wallet",
            s(wallet),
            "--password-env",
            "PW",
            "--out",
            s(&root_key),
            "--unencrypted",
        ]);
        k(&[
            "csr",
            "sign",
            s(&req),
            "--ca-cert",
            s(&root),
            "--ca-key",
            s(&root_key),
            "--out",
            s(&signed[2]),
            "--days",
            "30",
        ]);
        for cert in &signed {
            let (subject, issuer) = names(cert);
            assert_eq!(subject, "CN=leaf.ring.example");
            assert_eq!(issuer, dn);
            run_ok(openssl().args(["verify", "-CAfile", s(&root), s(cert)]));
        }
        same_display(release, &signed[1]);
    }
}

/// Bad input: one clear error, no certificate written, the serial file untouched.
#[test]
fn bad_requests_wallets_and_passwords_leave_nothing_behind() {
    let release = Release::R23ai;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ca = d.join("ca");
    k(&[
        "wallet",
        "create",
        "--wallet",
        s(&ca),
        "--password-env",
        "PW",
    ]);
    k(&[
        "wallet",
        "add-self-signed",
        "--wallet",
        s(&ca),
        "--password-env",
        "PW",
        "--subject",
        "CN=Bad Input Root",
        "--days",
        "365",
        "--ca",
        "--ski",
    ]);
    let good = d.join("good.csr");
    k(&[
        "csr",
        "create",
        "--subject",
        "CN=good.ring.example",
        "--out",
        s(&good),
        "--key-out",
        s(&d.join("good.key")),
    ]);
    // A request altered after signing: one byte of the subject changed.
    let good_der = d.join("good.der");
    run_ok(openssl().args([
        "req",
        "-in",
        s(&good),
        "-outform",
        "DER",
        "-out",
        s(&good_der),
    ]));
    let mut bytes = std::fs::read(&good_der).unwrap();
    let at = bytes.windows(4).position(|w| w == b"good").unwrap();
    bytes[at] = b'h';
    let tampered = d.join("tampered.der");
    std::fs::write(&tampered, &bytes).unwrap();
    // orapki signs it anyway (observed); orakit refuses.
    let oracle_out = d.join("oracle_tampered.crt");
    ok(
        release,
        &[
            "cert",
            "create",
            "-wallet",
            s(&ca),
            "-pwd",
            PWD,
            "-request",
            s(&tampered),
            "-cert",
            s(&oracle_out),
            "-validity",
            "30",
            "-nologo",
        ],
    );
    assert!(oracle_out.exists());

    let trusted_only = d.join("trusted_only");
    k(&[
        "wallet",
        "create",
        "--wallet",
        s(&trusted_only),
        "--password-env",
        "PW",
    ]);
    let root = d.join("root.crt");
    k(&[
        "wallet",
        "export-cert",
        "--wallet",
        s(&ca),
        "--password-env",
        "PW",
        "--subject",
        "CN=Bad Input Root",
        "--out",
        s(&root),
    ]);
    k(&[
        "wallet",
        "add-trusted",
        "--wallet",
        s(&trusted_only),
        "--password-env",
        "PW",
        "--cert",
        s(&root),
    ]);

    let serial_file = d.join("serial");
    std::fs::write(&serial_file, "7").unwrap();
    let out = d.join("out.crt");
    let cases: [(&str, &Path, &Path, &str, &str); 3] = [
        (
            "a request whose signature does not verify",
            &ca,
            &tampered,
            PWD,
            "signature does not verify",
        ),
        (
            "a CA wallet with no key",
            &trusted_only,
            &good,
            PWD,
            "holds no private key",
        ),
        (
            "a wrong password",
            &ca,
            &good,
            "Wrong2026password#x",
            "password",
        ),
    ];
    for (what, wallet, request, password, says) in cases {
        let result = run(orakit()
            .args([
                "cert",
                "create",
                "--wallet",
                s(wallet),
                "--password-env",
                "PW",
                "--request",
                s(request),
                "--out",
                s(&out),
                "--days",
                "30",
                "--serial-file",
                s(&serial_file),
            ])
            .env("PW", password));
        let err = String::from_utf8_lossy(&result.stderr).into_owned();
        assert!(!result.status.success(), "{what}: orakit succeeded");
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{what}: not one error:\n{err}");
        assert!(errors[0].contains(says), "{what}: {err}");
        assert!(!out.exists(), "{what}: a certificate was written");
        assert_eq!(
            std::fs::read_to_string(&serial_file).unwrap(),
            "7",
            "{what}: serial file changed"
        );
    }
    // The drop-in: orapki's answer for a wallet without a signing key and for a wrong
    // password, and orakit's refusal of the altered request.
    for (args, says) in [
        (
            vec![
                "-wallet",
                s(&trusted_only),
                "-pwd",
                PWD,
                "-request",
                s(&good),
            ],
            "PKI-04007: No matching certificate in the wallet",
        ),
        (
            vec![
                "-wallet",
                s(&ca),
                "-pwd",
                "Wrong2026password#x",
                "-request",
                s(&good),
            ],
            "PKI-02003: Unable to load the wallet at",
        ),
        (
            vec!["-wallet", s(&ca), "-pwd", PWD, "-request", s(&tampered)],
            "signature does not verify",
        ),
    ] {
        let mut full = vec!["orapki", "cert", "create"];
        full.extend(args);
        full.extend(["-cert", s(&out), "-validity", "30", "-nologo"]);
        let result = run(orakit().args(&full).env("ORAKIT_DROPIN_QUIET", "1"));
        assert_eq!(result.status.code(), Some(255), "{full:?}");
        assert!(
            stdout(&result).contains(says),
            "{full:?}: {}",
            stdout(&result)
        );
        assert!(!out.exists());
    }
}

/// "Read any wallet form": an orapki CA wallet zipped as an ADB download is, and the same
/// wallet as a JKS, sign with `orakit cert create` and are read by `orakit expiry` in
/// place; a command that changes a wallet refuses them with one message.
#[test]
fn a_wallet_zip_and_a_jks_sign_and_are_read_in_place() {
    let release = Release::R23ai;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ca = d.join("ca");
    ok(
        release,
        &[
            "wallet",
            "create",
            "-wallet",
            s(&ca),
            "-pwd",
            PWD,
            "-auto_login",
            "-nologo",
        ],
    );
    ok(
        release,
        &[
            "wallet",
            "add",
            "-wallet",
            s(&ca),
            "-pwd",
            PWD,
            "-dn",
            "CN=Zip Root,O=Acme Ring",
            "-keysize",
            "2048",
            "-self_signed",
            "-validity",
            "400",
            "-nologo",
        ],
    );
    let zip = d.join("Wallet_ring.zip");
    run_ok(Command::new("python3").args([
        "-c",
        "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\nfor f in sys.argv[3:]:\n    z.write(sys.argv[2] + '/' + f, f)\nz.close()",
        s(&zip),
        s(&ca),
        "cwallet.sso",
        "ewallet.p12",
    ]));
    let jks = d.join("ca.jks");
    k(&[
        "wallet",
        "to-jks",
        "--wallet",
        s(&ca),
        "--password-env",
        "PW",
        "--keystore",
        s(&jks),
        "--jks-password-env",
        "PW",
    ]);
    let req = d.join("leaf.csr");
    k(&[
        "csr",
        "create",
        "--subject",
        "CN=zip.ring.example",
        "--out",
        s(&req),
        "--key-out",
        s(&d.join("leaf.key")),
    ]);
    for (form, wallet, password) in [("zip", &zip, false), ("jks", &jks, true)] {
        let out = d.join(format!("{form}.crt"));
        let mut args = vec![
            "cert",
            "create",
            "--wallet",
            s(wallet),
            "--request",
            s(&req),
            "--out",
            s(&out),
            "--days",
            "30",
        ];
        if password {
            args.extend(["--password-env", "PW"]);
        }
        k(&args);
        assert_eq!(names(&out).1, "CN=Zip Root,O=Acme Ring", "{form}");
        let mut args = vec!["expiry", s(wallet)];
        if password {
            args.extend(["--password-env", "PW"]);
        }
        let report = stdout(&k(&args));
        assert!(
            report.contains("CN=Zip Root,O=Acme Ring"),
            "{form}: {report}"
        );
        assert!(report.contains("(user certificate"), "{form}: {report}");
    }
    let refused = run(orakit()
        .args([
            "wallet",
            "add-trusted",
            "--wallet",
            s(&zip),
            "--cert",
            s(&d.join("zip.crt")),
        ])
        .env("PW", PWD));
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("does not change it"), "{err}");
}
