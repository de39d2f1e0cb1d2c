//! The bad-input catalogue of docs/reliability.md, the cases no other test covers: each
//! bad key, certificate, CSR, DN, wallet, .ora file or argument gets one clear error
//! naming the problem, the documented exit code, no panic, and nothing written.
//! `cargo test --test it harden_bad_inputs -- --nocapture` prints each case's message.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Fixture, list_files, orakit, run, run_ok, words};

pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) cmd: Command,
    pub(crate) code: i32,
    /// Every one of these must be in the error.
    pub(crate) expect: &'static [&'static str],
}

fn setup() -> Fixture {
    let f = Fixture::new();
    f.write("pw", "Welcome1#\n");
    let ok = |args: &[&str]| {
        f.orakit(args);
    };
    ok(&["key", "generate", "--key-type", "p256", "--out", "ec.key"]);
    ok(&[
        "key",
        "generate",
        "--key-type",
        "p256",
        "--encrypt",
        "--password-file",
        "pw",
        "--out",
        "enc.key",
    ]);
    ok(&[
        "ca",
        "init",
        "--subject",
        "CN=Bad Input CA",
        "--key",
        "ec.key",
        "--out",
        "ca.pem",
    ]);
    ok(&[
        "csr",
        "create",
        "--subject",
        "CN=db",
        "--key",
        "ec.key",
        "--out",
        "db.csr",
    ]);
    ok(&[
        "wallet",
        "create",
        "--auto-login",
        "--wallet",
        "w",
        "--password-file",
        "pw",
    ]);
    f
}

pub(crate) fn cmd(f: &Fixture, args: &[&str]) -> Command {
    let mut c = orakit();
    c.current_dir(f.dir()).args(args);
    c
}

fn csr_with_key(f: &Fixture, key: &Path) -> Command {
    let mut c = cmd(f, &words("csr create --subject CN=x --out out.csr"));
    c.arg("--key").arg(key);
    c
}

fn sign(f: &Fixture, csr: &Path, ca_cert: &Path) -> Command {
    let mut c = cmd(f, &words("csr sign --ca-key ec.key --out out.pem"));
    c.arg(csr).arg("--ca-cert").arg(ca_cert);
    c
}

fn display(f: &Fixture, wallet: &Path, password: bool) -> Command {
    let mut c = cmd(f, &["wallet", "display", "--wallet"]);
    c.arg(wallet);
    if password {
        c.args(["--password-file", "pw"]);
    }
    c
}

fn wallet_dir_with(f: &Fixture, name: &str, file: &str, bytes: &[u8]) -> PathBuf {
    let dir = f.path(name);
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join(file), bytes).unwrap();
    dir
}

fn cases(f: &Fixture) -> Vec<Case> {
    let ec_key = std::fs::read_to_string(f.path("ec.key")).unwrap();
    let ca_pem = std::fs::read_to_string(f.path("ca.pem")).unwrap();
    let ca_der = {
        let out = run_ok(
            Command::new("openssl")
                .args(words("x509 -outform DER -in"))
                .arg(f.path("ca.pem")),
        );
        out.stdout
    };
    let key_der = {
        let out = run_ok(
            Command::new("openssl")
                .args(words("pkey -outform DER -in"))
                .arg(f.path("ec.key")),
        );
        out.stdout
    };
    let p12 = std::fs::read(f.path("w/ewallet.p12")).unwrap();
    let sso = std::fs::read(f.path("w/cwallet.sso")).unwrap();
    let mut c = Vec::new();
    let mut add = |name, cmd, code, expect| {
        c.push(Case {
            name,
            cmd,
            code,
            expect,
        })
    };

    // --- keys
    let k = f.write("empty.key", b"");
    add(
        "key: empty file",
        csr_with_key(f, &k),
        1,
        &["empty.key", "empty"],
    );
    let k = f.write("text.key", b"hello, this is not a key\n");
    add("key: plain text", csr_with_key(f, &k), 1, &["text.key"]);
    let k = f.write(
        "unterminated.key",
        ec_key.lines().take(3).collect::<Vec<_>>().join("\n"),
    );
    add(
        "key: PEM without END line",
        csr_with_key(f, &k),
        1,
        &["unterminated.key"],
    );
    let k = f.write(
        "badb64.key",
        "-----BEGIN PRIVATE KEY-----\n!!!not base64!!!\n-----END PRIVATE KEY-----\n",
    );
    add(
        "key: PEM with invalid base64",
        csr_with_key(f, &k),
        1,
        &["badb64.key"],
    );
    let k = f.write("half.der", &key_der[..key_der.len() / 2]);
    add("key: truncated DER", csr_with_key(f, &k), 1, &["half.der"]);
    let k = f.write(
        "random.key",
        (0..1024u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    add(
        "key: 1 KiB of binary noise",
        csr_with_key(f, &k),
        1,
        &["random.key"],
    );
    add(
        "key: a directory",
        csr_with_key(f, f.dir()),
        1,
        &["cannot read"],
    );
    add(
        "key: missing file",
        csr_with_key(f, &f.path("nope.key")),
        1,
        &["nope.key"],
    );
    let mut enc = csr_with_key(f, &f.path("enc.key"));
    enc.stdin(std::process::Stdio::null());
    add(
        "key: encrypted, no password and no terminal",
        enc,
        2,
        &["password"],
    );
    let k = f.write("csr-as.key", std::fs::read(f.path("db.csr")).unwrap());
    add(
        "key: a CSR given as the key",
        csr_with_key(f, &k),
        1,
        &["csr-as.key", "certificate request"],
    );

    // --- certificates
    let e = f.write("empty.pem", b"");
    add(
        "certificate: empty file",
        cmd(f, &["cert", "show", "empty.pem"]),
        1,
        &["empty.pem"],
    );
    let _ = e;
    f.write(
        "notcert.pem",
        "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n",
    );
    add(
        "certificate: PEM block holding no certificate",
        cmd(f, &["cert", "show", "notcert.pem"]),
        1,
        &["notcert.pem"],
    );
    f.write("trailing.der", [ca_der.as_slice(), b"JUNK"].concat());
    add(
        "certificate: DER with trailing bytes",
        cmd(f, &["cert", "show", "trailing.der"]),
        1,
        &["trailing.der", "followed by 4 stray bytes"],
    );
    f.write(
        "two-begins.pem",
        format!("{}{}", &ca_pem[..ca_pem.len() / 2], ca_pem),
    );
    add(
        "certificate: a torn PEM block before a good one",
        cmd(f, &["cert", "show", "two-begins.pem"]),
        1,
        &["two-begins.pem"],
    );
    let mut t = cmd(
        f,
        &words("wallet add-trusted --wallet w --password-file pw --cert ec.key"),
    );
    t.current_dir(f.dir());
    add(
        "certificate: add-trusted given a private key",
        t,
        1,
        &[
            "certificate file ec.key",
            "holds a private key, not a certificate",
        ],
    );
    let t = cmd(
        f,
        &words("wallet add-trusted --wallet w --password-file pw --cert missing.pem"),
    );
    add(
        "certificate: add-trusted of a missing file",
        t,
        1,
        &["missing.pem"],
    );

    // --- CSRs
    let r = f.write("empty.csr", b"");
    add(
        "CSR: empty file",
        sign(f, &r, &f.path("ca.pem")),
        1,
        &["empty.csr"],
    );
    add(
        "CSR: a certificate given as the CSR",
        sign(f, &f.path("ca.pem"), &f.path("ca.pem")),
        1,
        &["ca.pem", "certificate"],
    );
    let r = f.write("key-as.csr", ec_key.as_bytes());
    add(
        "CSR: a private key given as the CSR",
        sign(f, &r, &f.path("ca.pem")),
        1,
        &["key-as.csr"],
    );
    add(
        "CSR: CA certificate is a CSR",
        sign(f, &f.path("db.csr"), &f.path("db.csr")),
        1,
        &["db.csr"],
    );

    // --- distinguished names
    for (name, dn, expect) in [
        ("DN: empty", "", &["distinguished name"][..]),
        ("DN: no '='", "just words", &["distinguished name"][..]),
        (
            "DN: unterminated quote",
            "CN=\"open, O=x",
            &["distinguished name"][..],
        ),
        (
            "DN: trailing backslash",
            "CN=a\\",
            &["distinguished name"][..],
        ),
        (
            "DN: bad hex escape",
            "CN=a\\zz",
            &["distinguished name"][..],
        ),
        (
            "DN: empty attribute type",
            "=x, O=y",
            &["distinguished name"][..],
        ),
    ] {
        let mut c = cmd(f, &words("csr create --key ec.key --out dn.csr --subject"));
        c.arg(dn);
        add(name, c, 1, expect);
    }

    // --- wallets
    let w = wallet_dir_with(f, "w-empty-p12", "ewallet.p12", b"");
    add(
        "wallet: empty ewallet.p12",
        display(f, &w, true),
        1,
        &["ewallet.p12", "empty"],
    );
    let w = wallet_dir_with(f, "w-empty-sso", "cwallet.sso", b"");
    add(
        "wallet: empty cwallet.sso",
        display(f, &w, false),
        1,
        &["cwallet.sso"],
    );
    let w = wallet_dir_with(f, "w-half-p12", "ewallet.p12", &p12[..p12.len() / 2]);
    add(
        "wallet: truncated ewallet.p12",
        display(f, &w, true),
        1,
        &["ewallet.p12"],
    );
    let w = wallet_dir_with(f, "w-half-sso", "cwallet.sso", &sso[..sso.len() / 2]);
    add(
        "wallet: truncated cwallet.sso",
        display(f, &w, false),
        1,
        &["cwallet.sso"],
    );
    let mut zero_len = sso.clone();
    zero_len[8..12].copy_from_slice(&[0, 0, 0, 0]);
    let w = wallet_dir_with(f, "w-sso-n0", "cwallet.sso", &zero_len);
    add(
        "wallet: sso header length 0 (fuzz find)",
        display(f, &w, false),
        1,
        &["cwallet.sso", "header length 0"],
    );
    let mut huge_len = sso.clone();
    huge_len[8..12].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    let w = wallet_dir_with(f, "w-sso-nmax", "cwallet.sso", &huge_len);
    add(
        "wallet: sso header length 2^32-1",
        display(f, &w, false),
        1,
        &["cwallet.sso", "header length"],
    );
    let w = wallet_dir_with(f, "w-pem-as-p12", "ewallet.p12", ca_pem.as_bytes());
    add(
        "wallet: a PEM certificate named ewallet.p12",
        display(f, &w, true),
        1,
        &["ewallet.p12", "PEM text (-----BEGIN CERTIFICATE-----)"],
    );
    let w = wallet_dir_with(f, "w-no-pw", "ewallet.p12", &p12);
    let mut np = display(f, &w, false);
    np.stdin(std::process::Stdio::null());
    add(
        "wallet: password wallet opened without a password",
        np,
        2,
        &["password"],
    );
    add(
        "wallet: a certificate file given as the wallet",
        display(f, &f.path("ca.pem"), true),
        1,
        &["ca.pem", "is a PEM file (a certificate), not a wallet"],
    );
    let r = cmd(
        f,
        &words("wallet remove --wallet w --password-file pw --fingerprint zz"),
    );
    add("wallet: remove with a malformed fingerprint", r, 1, &["zz"]);

    c.extend(crate::harden_bad_inputs_net::net_and_cli_cases(f));
    c
}

/// Every file below `dir` but lock files, with its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    list_files(dir)
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".lck"))
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn harden_bad_inputs_each_give_one_clear_error_and_write_nothing() {
    let f = setup();
    let cases = cases(&f);
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let before = snapshot(f.dir());
    let mut failures = Vec::new();
    for mut case in cases {
        let out = run(&mut case.cmd);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let message = stderr.trim().to_owned();
        eprintln!(
            "| {} | {} | `{}` |",
            case.name,
            out.status.code().unwrap_or(-1),
            message.replace('\n', " / ")
        );
        let ok = out.status.code() == Some(case.code)
            && !stderr.contains("panicked")
            && case.expect.iter().all(|e| stderr.contains(e))
            && stderr.starts_with("error")
            // One message: usage errors (exit 2) come from clap with its usage lines;
            // every other error is a single line.
            && (case.code == 2 || message.lines().count() == 1);
        if !ok {
            failures.push(format!(
                "{}: exit {:?}: {message}",
                case.name,
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing written, nothing changed: every input and the wallet are as they were.
    assert_eq!(snapshot(f.dir()), before);
}

/// `orakit ... | head` with the reader gone before orakit writes: the process ends like
/// any Unix tool (SIGPIPE, or success if it wrote into the pipe first), never a panic.
#[test]
fn harden_a_closed_stdout_is_not_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    run_ok(
        orakit()
            .args(words("key generate --key-type p256 --out"))
            .arg(tmp.path().join("k.pem")),
    );
    run_ok(
        orakit()
            .args(words("ca init --subject CN=Pipe --key"))
            .arg(tmp.path().join("k.pem"))
            .arg("--out")
            .arg(tmp.path().join("ca.pem")),
    );
    for _ in 0..5 {
        let mut child = orakit()
            .args(["cert", "show", "--json"])
            .arg(tmp.path().join("ca.pem"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            out.status.success() || out.status.signal() == Some(13),
            "{:?}: {stderr}",
            out.status
        );
    }
}
