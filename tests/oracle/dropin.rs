//! Issue 15: the drop-in front ends against Oracle's own tools. Each case is a real-world
//! orapki / mkstore sequence run twice on identical inputs, in two directories with the same
//! layout: once with Oracle's orapki / mkstore (the ring's peers) and once with
//! `orakit orapki ...` / `orakit mkstore ...` (one case through a link named `orapki`).
//! Compared per step: exit code, stdout + stderr after masking (banners, dates, serials and
//! digests of freshly generated keys). Then every resulting wallet is read back by BOTH
//! tools (`orapki wallet display -complete`) and the two tools' wallets must read the same.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::peers::{Release, java};
use crate::support::{openssl, orakit, run_ok};

pub(super) const PWD: &str = "DropIn2026pwd#x";

/// Who runs the Oracle command lines.
#[derive(Clone)]
pub(super) enum Runner {
    Oracle(Release),
    /// `orakit orapki ...` / `orakit mkstore ...`.
    Orakit,
    /// The same, standing in for the 19c tools (`ORAKIT_ORAPKI_RELEASE=19c`).
    Orakit19c,
    /// A symlink named `orapki` (and `mkstore`) to the orakit binary.
    Linked(PathBuf),
}

/// One command line and what it answered.
pub(super) struct Answer {
    pub(super) code: i32,
    pub(super) text: String,
}

impl Runner {
    pub(super) fn run(&self, root: &Path, tool: &str, args: &[&str], stdin: &str) -> Answer {
        let mut cmd = match self {
            Runner::Oracle(release) => {
                let mut c = java();
                let class = if tool == "orapki" {
                    "oracle.security.pki.textui.OraclePKITextUI"
                } else {
                    "oracle.security.pki.OracleSecretStoreTextUI"
                };
                c.arg("-cp").arg(release.classpath()).arg(class);
                c
            }
            Runner::Orakit => {
                let mut c = orakit();
                c.arg(tool).env("ORAKIT_DROPIN_QUIET", "1");
                c
            }
            Runner::Orakit19c => {
                let mut c = orakit();
                c.arg(tool)
                    .env("ORAKIT_DROPIN_QUIET", "1")
                    .env("ORAKIT_ORAPKI_RELEASE", "19c");
                c
            }
            Runner::Linked(dir) => {
                let mut c = Command::new(dir.join(tool));
                c.env("ORAKIT_DROPIN_QUIET", "1");
                c
            }
        };
        cmd.args(args)
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start the tool");
        use std::io::Write;
        // A tool that exits without reading its input (a usage answer) closes the pipe.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        let out = child.wait_with_output().unwrap();
        Answer {
            code: out.status.code().unwrap_or(-1),
            text: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
}

/// What may differ between two runs of the same line: Oracle's banner (copyright lines)
/// and orakit's, trailing blanks (orapki pads its prompts), and the values that are new
/// for every generated key or certificate.
pub(super) fn mask(text: &str) -> String {
    const FRESH: [&str; 6] = [
        "Not Before:",
        "Not After:",
        "Serial Number:",
        "MD5 digest:",
        "SHA-256 digest:",
        "SHA-1 digest:",
    ];
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        // orapki pads and backspaces over its prompts.
        let line = line.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{8}');
        let banner = line.starts_with("Oracle PKI Tool Release")
            || line.starts_with("Oracle Secret Store Tool Release")
            || line.starts_with("Version ")
            || line.starts_with("Copyright (c)")
            || (line.starts_with("orakit ") && line.contains("drop-in"));
        if banner {
            if (line.starts_with("Copyright") || line.starts_with("orakit "))
                && lines.peek().is_some_and(|l| l.trim().is_empty())
            {
                lines.next();
            }
            continue;
        }
        match FRESH.iter().find(|f| line.starts_with(*f)) {
            Some(field) => out.push(format!("{field} <masked>")),
            None => out.push(line.to_string()),
        }
    }
    out.join("\n")
}

/// One step: the tool, its arguments, what to type at its prompts.
pub(super) struct Step<'a> {
    tool: &'a str,
    args: Vec<&'a str>,
    stdin: String,
}

pub(super) fn orapki<'a>(line: &'a str) -> Step<'a> {
    Step {
        tool: "orapki",
        args: split(line),
        stdin: String::new(),
    }
}

pub(super) fn typed<'a>(mut step: Step<'a>, answers: &[&str]) -> Step<'a> {
    step.stdin = answers.iter().map(|a| format!("{a}\n")).collect();
    step
}

pub(super) fn mkstore<'a>(line: &'a str, answers: &[&str]) -> Step<'a> {
    typed(
        Step {
            tool: "mkstore",
            args: split(line),
            stdin: String::new(),
        },
        answers,
    )
}

/// Splits on blanks; `'...'` keeps a DN with blanks in one word.
pub(super) fn split(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find('\'').expect("closing quote");
            out.push(&quoted[..end]);
            rest = quoted[end + 1..].trim_start();
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// A step between tool calls that both sides do the same way (the CA signs a request).
pub(super) type Between = fn(&Path);

/// Two working directories with the same inputs: `ca.pem` / `ca.key` (a root CA made once
/// by openssl for both) and `other-ca.pem`.
pub(super) struct Pair {
    _tmp: tempfile::TempDir,
    pub(super) oracle: PathBuf,
    pub(super) orakit: PathBuf,
    pub(super) ca_sha256: String,
}

pub(super) fn pair() -> Pair {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    for (name, subject) in [
        ("ca", "/CN=DropIn Root CA/O=Example"),
        ("other-ca", "/CN=Other Root/O=Example"),
    ] {
        run_ok(openssl().current_dir(&inputs).args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-days",
            "365",
            "-subj",
            subject,
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
        ]));
    }
    let fp = run_ok(openssl().current_dir(&inputs).args([
        "x509",
        "-in",
        "ca.pem",
        "-noout",
        "-fingerprint",
        "-sha256",
    ]));
    let ca_sha256 = String::from_utf8_lossy(&fp.stdout)
        .trim()
        .split_once('=')
        .unwrap()
        .1
        .to_string();
    let mut sides = Vec::new();
    for side in ["oracle", "orakit"] {
        let dir = tmp.path().join(side);
        std::fs::create_dir(&dir).unwrap();
        for f in ["ca.pem", "ca.key", "other-ca.pem"] {
            std::fs::copy(inputs.join(f), dir.join(f)).unwrap();
        }
        sides.push(dir);
    }
    let orakit_dir = sides.pop().unwrap();
    let oracle_dir = sides.pop().unwrap();
    Pair {
        _tmp: tmp,
        oracle: oracle_dir,
        orakit: orakit_dir,
        ca_sha256,
    }
}

/// The seed's step 10: the CA signs the exported request.
fn sign_request(dir: &Path) {
    run_ok(openssl().current_dir(dir).args([
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "365",
        "-sha256",
    ]));
}

pub(super) enum Item<'a> {
    Run(Step<'a>),
    Do(Between),
}

/// Runs the sequence on both sides, comparing every answer.
pub(super) fn differential(pair: &Pair, release: Release, ours: &Runner, items: Vec<Item>) {
    let theirs = Runner::Oracle(release);
    for item in items {
        match item {
            Item::Do(f) => {
                f(&pair.oracle);
                f(&pair.orakit);
            }
            Item::Run(step) => {
                let a = theirs.run(&pair.oracle, step.tool, &step.args, &step.stdin);
                let b = ours.run(&pair.orakit, step.tool, &step.args, &step.stdin);
                let line = format!("{} {}", step.tool, step.args.join(" "));
                assert_eq!(
                    (a.code, mask(&a.text)),
                    (b.code, mask(&b.text)),
                    "`{line}` answered differently (left: Oracle {}, right: orakit)\nOracle said:\n{}\norakit said:\n{}",
                    release.name(),
                    a.text,
                    b.text
                );
            }
        }
    }
}

/// Each wallet, read back by Oracle's orapki and by orakit's front end, must read the same
/// whoever wrote it; returns Oracle's reading of orakit's wallet.
pub(super) fn read_back(pair: &Pair, release: Release, wallet: &str, pwd: Option<&str>) -> String {
    read_back_by(pair, release, wallet, pwd, true)
}

/// `read_back` where `orakit_reads` false leaves orakit's reader out (for what orakit's
/// display does not print yet: Trust Flags lines).
pub(super) fn read_back_by(
    pair: &Pair,
    release: Release,
    wallet: &str,
    pwd: Option<&str>,
    orakit_reads: bool,
) -> String {
    let mut args = vec![
        "wallet",
        "display",
        "-wallet",
        wallet,
        "-complete",
        "-nologo",
    ];
    if let Some(p) = pwd {
        args.extend(["-pwd", p]);
    }
    let mut readers = vec![Runner::Oracle(release)];
    if orakit_reads {
        // orakit reads as the release it stands in for (19c's display text for 19c).
        readers.push(if matches!(release, Release::R19c) {
            Runner::Orakit19c
        } else {
            Runner::Orakit
        });
    }
    let mut seen = Vec::new();
    for reader in &readers {
        for dir in [&pair.oracle, &pair.orakit] {
            let a = reader.run(dir, "orapki", &args, "");
            assert_eq!(
                a.code,
                0,
                "reading {wallet} in {}: {}",
                dir.display(),
                a.text
            );
            seen.push(mask(&a.text));
        }
    }
    for (i, text) in seen.iter().enumerate().skip(1) {
        assert_eq!(
            &seen[0], text,
            "{wallet} reads differently (reading {i}: 0/1 Oracle reads Oracle's/orakit's, 2/3 orakit reads them)"
        );
    }
    let raw = Runner::Oracle(release).run(&pair.orakit, "orapki", &args, "");
    raw.text
}

#[test]
fn seed_self_signed_procedure_as_written_through_a_link_named_orapki() {
    let pair = pair();
    let links = tempfile::tempdir().unwrap();
    let exe = assert_cmd::cargo::cargo_bin("orakit");
    for name in ["orapki", "mkstore"] {
        std::os::unix::fs::symlink(&exe, links.path().join(name)).unwrap();
    }
    let ours = Runner::Linked(links.path().to_path_buf());
    // docs/workflow.md steps 4-12 and 20-22, the passwords typed at orapki's prompts.
    let items = vec![
        Item::Run(typed(
            orapki("wallet create -wallet server -auto_login_local"),
            &[PWD, PWD],
        )),
        Item::Run(typed(
            orapki("wallet add -wallet server -trusted_cert -cert ca.pem"),
            &[PWD],
        )),
        Item::Run(orapki("wallet display -wallet server")),
        Item::Run(typed(
            orapki("wallet add -wallet server -dn CN=dms -keysize 2048 -sign_alg sha256"),
            &[PWD],
        )),
        Item::Run(orapki("wallet display -wallet server")),
        Item::Run(typed(
            orapki("wallet export -wallet server -dn CN=dms -request server.csr"),
            &[PWD],
        )),
        Item::Do(sign_request),
        Item::Run(typed(
            orapki("wallet add -wallet server -user_cert -cert server.crt"),
            &[PWD],
        )),
        Item::Run(orapki("wallet display -wallet server")),
        Item::Run(orapki("wallet create -wallet client -auto_login_only")),
        Item::Run(orapki(
            "wallet add -wallet client -trusted_cert -cert ca.pem -auto_login_only",
        )),
        Item::Run(orapki("wallet display -wallet client")),
    ];
    differential(&pair, Release::R23ai, &ours, items);
    let server = read_back(&pair, Release::R23ai, "server", Some(PWD));
    assert!(server.contains("Subject:        CN=dms"), "{server}");
    let client = read_back(&pair, Release::R23ai, "client", None);
    assert!(client.contains(&pair.ca_sha256), "{client}");
}

#[test]
fn server_and_client_bundle_with_passwords_on_the_line() {
    for release in [Release::R23ai, Release::R19c] {
        let pair = pair();
        let p = format!("-pwd {PWD}");
        let lines: Vec<String> = [
            "wallet create -wallet server -auto_login P",
            "wallet add -wallet server -trusted_cert -cert ca.pem P",
            "wallet add -wallet server -dn 'CN=db.example.com,O=Example' -keysize 2048 P",
            "wallet export -wallet server -dn 'CN=db.example.com,O=Example' -request server.csr P",
        ]
        .iter()
        .map(|l| l.replace(" P", &format!(" {p} -nologo")))
        .collect();
        let tail: Vec<String> = [
            "wallet add -wallet server -user_cert -cert server.crt P",
            "wallet create -wallet client -auto_login P",
            "wallet add -wallet client -trusted_cert -cert ca.pem P",
            "wallet export -wallet client -dn 'O=Example,CN=DropIn Root CA' -cert exported.pem P",
            "wallet display -wallet server -complete P",
        ]
        .iter()
        .map(|l| l.replace(" P", &format!(" {p} -nologo")))
        .collect();
        let mut items: Vec<Item> = lines.iter().map(|l| Item::Run(orapki(l))).collect();
        items.push(Item::Do(sign_request));
        items.extend(tail.iter().map(|l| Item::Run(orapki(l))));
        if release == Release::R23ai {
            differential(&pair, release, &Runner::Orakit, items);
            read_back(&pair, release, "server", Some(PWD));
            read_back(&pair, release, "client", Some(PWD));
        } else {
            // 19c prints its own texts; its readings of orakit's 23ai-layout wallets are
            // what matters there.
            for item in items {
                match item {
                    Item::Run(step) => {
                        let b = Runner::Orakit.run(&pair.orakit, step.tool, &step.args, "");
                        assert_eq!(b.code, 0, "{}", b.text);
                    }
                    Item::Do(f) => f(&pair.orakit),
                }
            }
            let args = [
                "wallet",
                "display",
                "-wallet",
                "server",
                "-complete",
                "-pwd",
                PWD,
                "-nologo",
            ];
            let seen = Runner::Oracle(release).run(&pair.orakit, "orapki", &args, "");
            assert_eq!(seen.code, 0, "{}", seen.text);
            // 19c prints the subject in the order given and no SHA-256 digest.
            assert!(
                seen.text
                    .contains("Subject:        CN=db.example.com,O=Example"),
                "{}",
                seen.text
            );
            assert!(
                seen.text
                    .contains("Issuer:         O=Example,CN=DropIn Root CA"),
                "{}",
                seen.text
            );
        }
        let exported = std::fs::read_to_string(pair.orakit.join("exported.pem")).unwrap();
        assert!(exported.contains("BEGIN CERTIFICATE"), "{exported}");
    }
}

#[test]
fn apex_utl_http_root_ca_trust_wallet() {
    let pair = pair();
    let p = format!("-pwd {PWD} -nologo");
    let lines = [
        format!("wallet create -wallet apex {p}"),
        format!("wallet add -wallet apex -trusted_cert -cert ca.pem {p}"),
        format!("wallet add -wallet apex -trusted_cert -cert other-ca.pem {p}"),
        // The same root again: orapki refuses with PKI-04003, exit 255.
        format!("wallet add -wallet apex -trusted_cert -cert ca.pem {p}"),
        format!("wallet display -wallet apex -summary {p}"),
        format!("wallet remove -wallet apex -trusted_cert -dn 'O=Example,CN=Other Root' {p}"),
        format!("wallet remove -wallet apex -trusted_cert -dn 'CN=No Such' {p}"),
        format!("wallet display -wallet apex {p}"),
        "wallet display -wallet apex -pwd Wrong2026pwd#x -nologo".to_string(),
    ];
    let items = lines.iter().map(|l| Item::Run(orapki(l))).collect();
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    let seen = read_back(&pair, Release::R23ai, "apex", Some(PWD));
    assert!(seen.contains(&pair.ca_sha256), "{seen}");
    assert!(!seen.contains("Other Root"), "{seen}");
}

#[test]
fn mkstore_credential_life_cycle() {
    let pair = pair();
    let items = vec![
        Item::Run(mkstore("-wrl creds -create -nologo", &[PWD, PWD])),
        Item::Run(mkstore(
            "-wrl creds -createCredential db1 scott tiger1x -nologo",
            &[PWD],
        )),
        Item::Run(mkstore(
            "-wrl creds -createCredential db2 hr hrpass22 -nologo",
            &[PWD],
        )),
        Item::Run(mkstore("-wrl creds -listCredential -nologo", &[PWD])),
        Item::Run(mkstore(
            "-wrl creds -modifyCredential db1 scott tiger2x -nologo",
            &[PWD],
        )),
        Item::Run(mkstore(
            "-wrl creds -createEntry app.secret s3cr3t -nologo",
            &[PWD],
        )),
        Item::Run(mkstore("-wrl creds -list -nologo", &[PWD])),
        Item::Run(mkstore("-wrl creds -viewEntry app.secret -nologo", &[PWD])),
        Item::Run(mkstore(
            "-wrl creds -modifyEntry app.secret n3w -nologo",
            &[PWD],
        )),
        Item::Run(mkstore("-wrl creds -viewEntry app.secret -nologo", &[PWD])),
        Item::Run(mkstore(
            "-wrl creds -deleteEntry app.secret -nologo",
            &[PWD],
        )),
        // A secret left off the line: mkstore asks for it (twice) before the wallet
        // password, and a script pipes the answers in that order.
        Item::Run(mkstore(
            "-wrl creds -createEntry app.prompted -nologo",
            &["pr0mpted", "pr0mpted", PWD],
        )),
        Item::Run(mkstore(
            "-wrl creds -createCredential db3 app -nologo",
            &["apppw333", "apppw333", PWD],
        )),
        Item::Run(mkstore(
            "-wrl creds -viewEntry app.prompted -nologo",
            &[PWD],
        )),
        Item::Run(mkstore("-wrl creds -deleteCredential db3 -nologo", &[PWD])),
        Item::Run(mkstore("-wrl creds -deleteCredential db2 -nologo", &[PWD])),
        Item::Run(mkstore("-wrl creds -listCredential -nologo", &[PWD])),
        Item::Run(mkstore("-wrl creds -list -nologo", &["Wrong2026pwd#x"])),
        Item::Run(mkstore("-wrl creds -deleteSSO -nologo", &[PWD])),
        Item::Run(mkstore("-wrl creds -createSSO -nologo", &[PWD])),
        Item::Run(mkstore("-wrl gone -create -nologo", &[PWD, PWD])),
        Item::Run(mkstore("-wrl gone -delete -nologo", &[PWD])),
        Item::Run(mkstore("-nologo -listCredential", &[])),
        Item::Run(mkstore("-help -nologo", &[])),
    ];
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    // mkstore -delete leaves cwallet.sso behind; orakit does the same.
    let left = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir.join("gone"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lck"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(left(&pair.oracle), vec!["cwallet.sso".to_string()]);
    assert_eq!(left(&pair.orakit), left(&pair.oracle));
    // Oracle's mkstore reads orakit's store: db1 with the modified password.
    let seen = Runner::Oracle(Release::R23ai).run(
        &pair.orakit,
        "mkstore",
        &[
            "-wrl",
            "creds",
            "-viewEntry",
            "oracle.security.client.password1",
            "-nologo",
        ],
        &format!("{PWD}\n"),
    );
    assert!(
        seen.text
            .contains("oracle.security.client.password1 = tiger2x"),
        "{}",
        seen.text
    );
}

#[test]
fn one_case_per_option() {
    let pair = pair();
    let p = format!("-pwd {PWD} -nologo");
    let lines = [
        // Usage answers: misspelt subcommand, unknown option, missing value, help.
        "wallet crate -wallet w -nologo".to_string(),
        "wallet create -wallet w -autologin -nologo".to_string(),
        "wallet create -wallet -nologo".to_string(),
        "help -nologo".to_string(),
        "wallet help -nologo".to_string(),
        // orapki 23ai's password rule.
        "wallet create -wallet weak -pwd short1 -nologo".to_string(),
        "wallet create -wallet weak -pwd abcdefghijkl -nologo".to_string(),
        // Missing wallet, missing certificate, -pwd for an auto-login-only wallet.
        "wallet display -wallet nowhere -nologo".to_string(),
        "wallet create -wallet alo -auto_login_only -nologo".to_string(),
        "wallet add -wallet alo -trusted_cert -cert missing.pem -auto_login_only -nologo"
            .to_string(),
        format!("wallet add -wallet alo -trusted_cert -cert ca.pem {p}"),
        // -with_trust_flags with -trust_flags, -compat_v12, a second create on a wallet.
        format!("wallet create -wallet tf -with_trust_flags {p}"),
        format!("wallet add -wallet tf -trusted_cert -cert ca.pem -trust_flags SERVER_AUTH {p}"),
        format!("wallet create -wallet v12 -compat_v12 -auto_login {p}"),
        format!("wallet create -wallet v12 -auto_login {p}"),
        // change_pwd, convert, remove -trusted_cert_all.
        format!("wallet add -wallet v12 -trusted_cert -cert ca.pem {p}"),
        format!("wallet change_pwd -wallet v12 -oldpwd {PWD} -newpwd New2026pwd#xyz1 -nologo"),
        "wallet display -wallet v12 -pwd New2026pwd#xyz1 -nologo".to_string(),
        "wallet remove -wallet v12 -trusted_cert_all -pwd New2026pwd#xyz1 -nologo".to_string(),
        "wallet display -wallet v12 -pwd New2026pwd#xyz1 -nologo".to_string(),
        format!("wallet convert -wallet tf -auto_login_only {p}"),
        format!("wallet convert -wallet tf {p}"),
        format!("wallet convert -wallet tf -compat_v12 {p}"),
        format!("wallet create -wallet both -auto_login_only {p}"),
        // (displaying tf is left to read_back: orakit's display prints no Trust Flags
        // lines yet, see docs/drop-in.md)
    ];
    let items = lines.iter().map(|l| Item::Run(orapki(l))).collect();
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    read_back(&pair, Release::R23ai, "alo", None);
    let tf = read_back_by(&pair, Release::R23ai, "tf", Some(PWD), false);
    assert!(tf.contains("Trust Flags:    SERVER_AUTH"), "{tf}");
}

#[test]
fn a_password_on_the_line_warns_once_naming_the_native_form() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_ok(
        orakit()
            .current_dir(tmp.path())
            .env_remove("ORAKIT_DROPIN_QUIET")
            .args([
                "orapki", "wallet", "create", "-wallet", "w", "-pwd", PWD, "-nologo",
            ]),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("orakit wallet create --wallet w --password-env"),
        "{err}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Warning: For security reasons, passwords must have at least 16 characters.\nOperation is successfully completed.\n"
    );
    // Without -nologo: orakit's own one-line banner, never Oracle's copyright lines.
    let out = run_ok(
        orakit()
            .current_dir(tmp.path())
            .env("ORAKIT_DROPIN_QUIET", "1")
            .args(["orapki", "wallet", "display", "-wallet", "w", "-pwd", PWD]),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("orakit ") && !text.contains("Copyright"),
        "{text}"
    );
    assert!(out.stderr.is_empty());
}

/// A key, its certificate from the test CA, a PKCS#12 of both with the CA, and the key as
/// encrypted and as plain PKCS#8 (import_pkcs12 / import_private_key inputs).
pub(super) fn make_user_material(dir: &Path) {
    let o = |args: &[&str]| {
        run_ok(openssl().current_dir(dir).args(args));
    };
    o(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "u.key",
        "-out",
        "u.csr",
        "-subj",
        "/CN=u.example.com",
    ]);
    o(&[
        "x509",
        "-req",
        "-in",
        "u.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "u.crt",
        "-days",
        "30",
        "-sha256",
    ]);
    o(&[
        "pkcs12",
        "-export",
        "-in",
        "u.crt",
        "-inkey",
        "u.key",
        "-certfile",
        "ca.pem",
        "-out",
        "u.p12",
        "-passout",
        "pass:Pfx2026pwd#x",
    ]);
    o(&[
        "pkcs8",
        "-topk8",
        "-in",
        "u.key",
        "-out",
        "ue.key",
        "-passout",
        "pass:Key2026pwd#x",
        "-v2",
        "aes256",
    ]);
}

#[test]
fn import_export_self_signed_and_trust_flag_commands() {
    let pair = pair();
    let p = format!("-pwd {PWD} -nologo");
    let lines = [
        format!("wallet create -wallet pfx {p}"),
        format!("wallet import_pkcs12 -wallet pfx -pkcs12file u.p12 -pkcs12pwd Pfx2026pwd#x {p}"),
        format!("wallet display -wallet pfx {p}"),
        format!(
            "wallet export_trust_chain -wallet pfx -certchain chain.pem -dn CN=u.example.com {p}"
        ),
        format!(
            "wallet export_private_key -wallet pfx -pvtkeyfile k.pem -pvtkeypwd Key2026pwd#x {p}"
        ),
        format!("wallet create -wallet pk {p}"),
        format!(
            "wallet import_private_key -wallet pk -pvtkeyfile u.key -pvtkeypwd Key2026pwd#x -cert u.crt -cacert ca.pem {p}"
        ),
        format!(
            "wallet import_private_key -wallet pk -pvtkeyfile ue.key -pvtkeypwd Key2026pwd#x -cert u.crt -cacert ca.pem {p}"
        ),
        format!("wallet display -wallet pk {p}"),
        format!("wallet create -wallet ss {p}"),
        format!(
            "wallet add -wallet ss -dn CN=self.example.com -keysize 2048 -self_signed -validity 30 {p}"
        ),
        format!("wallet create -wallet flags {p}"),
        format!("wallet add -wallet flags -trusted_cert -cert ca.pem {p}"),
        format!("wallet enable_trust_flags -wallet flags {p}"),
        format!(
            "wallet assign_trust_flags -wallet flags -trust_flags CLIENT_AUTH -dn 'O=Example,CN=DropIn Root CA' {p}"
        ),
    ];
    let mut items = vec![Item::Do(make_user_material)];
    items.extend(lines.iter().map(|l| Item::Run(orapki(l))));
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    read_back(&pair, Release::R23ai, "pk", Some(PWD));
    let ss = read_back(&pair, Release::R23ai, "ss", Some(PWD));
    assert!(ss.contains("Issuer:         CN=self.example.com"), "{ss}");
    let flags = read_back_by(&pair, Release::R23ai, "flags", Some(PWD), false);
    assert!(flags.contains("Trust Flags:    CLIENT_AUTH"), "{flags}");
    // orapki's chain file (a PKCS#7 under a CERTIFICATE label) and orakit's hold the same CA.
    let certs_in = |dir: &Path| {
        let text = std::fs::read_to_string(dir.join("chain.pem")).unwrap();
        let der = text.replace("CERTIFICATE", "PKCS7");
        let mut child = openssl()
            .args(["pkcs7", "-print_certs", "-noout"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(der.as_bytes())
            .unwrap();
        String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).into_owned()
    };
    let (theirs, ours) = (certs_in(&pair.oracle), certs_in(&pair.orakit));
    assert!(theirs.contains("CN = DropIn Root CA"), "{theirs}");
    assert_eq!(theirs, ours);
}
