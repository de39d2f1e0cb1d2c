//! `orapki crl ...`: Oracle's crl command lines run by the native `orakit crl` commands,
//! answered in orapki 23ai's words (observed texts; errors on stdout, exit 255).
//!
//! `crl upload`, `list` and `delete` work on Oracle Internet Directory over LDAP, which
//! orakit does not offer: they get orapki's usage when arguments are missing, else one
//! line naming the local-directory form (`orakit crl list|delete --dir`).

use std::path::Path;

use serde_json::Value;

use super::super::native::{self, NativeRun, WALLET_PW};
use super::super::options::{self, OptionError, Options};
use super::super::usage::{ORAPKI_CRL, ORAPKI_CRL_SHORT};
use super::super::{ORACLE_FAILED, prompt, warn_password_on_argv};
use super::RELEASE_ENV;
use crate::secret::Password;

/// What orapki prints before it exits, and the exit code.
struct Answer(String, u8);

fn fail(text: impl Into<String>) -> Answer {
    Answer(text.into(), ORACLE_FAILED)
}

fn usage(invalid: Option<&str>, short: bool) -> Answer {
    let text = if short { ORAPKI_CRL_SHORT } else { ORAPKI_CRL };
    match invalid {
        Some(word) => fail(format!("Invalid command: {word}\n{text}")),
        None => fail(text),
    }
}

pub(super) fn run(words: &[&str]) -> u8 {
    let answer = match words {
        [] | ["help", ..] => usage(None, false),
        [verb, rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
            verb_answer(verb, &rest)
        }
    };
    // Usage texts end with their own newline; one-line answers get one.
    if answer.0.ends_with('\n') {
        print!("{}", answer.0);
    } else if !answer.0.is_empty() {
        println!("{}", answer.0);
    }
    answer.1
}

fn verb_answer(verb: &str, rest: &[String]) -> Answer {
    // display, hash and the LDAP commands answer an unknown option with the older text.
    let (valued, switches, short): (&[&str], &[&str], bool) = match verb {
        "create" => (
            &[
                "crl",
                "wallet",
                "issuer",
                "issuersissuer",
                "serial_num",
                "nextupdate",
                "pwd",
                "sign_alg",
            ],
            &[],
            false,
        ),
        "revoke" => (&["crl", "wallet", "cert", "pwd", "sign_alg"], &[], false),
        "verify" | "status" => (&["crl", "cert"], &[], false),
        "display" => (&["crl", "wallet", "pwd"], &["summary", "complete"], true),
        "hash" => (
            &["crl", "wallet", "symlink", "copy", "pwd"],
            &["summary"],
            true,
        ),
        "upload" => (
            &["crl", "ldap", "user", "wallet", "pwd", "ldappwd"],
            &["summary"],
            true,
        ),
        "list" => (&["ldap"], &[], true),
        "delete" => (&["issuer", "ldap", "user"], &["summary"], true),
        other => return usage(Some(other), false),
    };
    let opts = match options::parse(rest, valued, switches) {
        Ok(o) => o,
        Err(OptionError::Unknown(word)) => return usage(Some(&word), short),
        Err(OptionError::MissingValue(_)) => return usage(None, false),
    };
    if opts.value("pwd").is_some() {
        warn_password_on_argv(&format!(
            "orakit crl {verb} --wallet DIR --password-env VAR (or --password-file PATH)"
        ));
    }
    let cx = Cx { opts };
    match verb {
        "create" => cx.create(),
        "revoke" => cx.revoke(),
        "verify" => cx.verify(),
        "status" => cx.status(),
        "display" => cx.display(),
        "hash" => cx.hash(),
        ldap => cx.ldap(ldap),
    }
}

struct Cx {
    opts: Options,
}

/// orapki's words for a file it cannot open (Java's `FileNotFoundException` text).
fn io_detail(path: &str) -> Option<String> {
    match std::fs::metadata(path) {
        Err(_) => Some(format!("{path} (No such file or directory)")),
        Ok(m) if m.is_dir() => Some(format!("{path} (Is a directory)")),
        Ok(_) => None,
    }
}

fn readable_crl(path: &str) -> bool {
    crate::crl_dir::read_crl(Path::new(path)).is_ok()
}

fn json(run: &NativeRun) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or(Value::Null)
}

impl Cx {
    fn value(&self, name: &str) -> Option<&str> {
        self.opts.value(name)
    }

    /// `-pwd`, else orapki's prompt; `None` when nothing was typed.
    fn password(&self) -> Option<Password> {
        match self.value("pwd") {
            Some(p) => Some(Password::new(p.to_string())),
            None => prompt::ask(prompt::WALLET_PASSWORD),
        }
    }

    /// `orakit crl ARGS` with the wallet password handed over in the environment.
    fn native(&self, args: &[&str], password: Option<&Password>) -> NativeRun {
        let mut argv: Vec<String> = std::iter::once("crl")
            .chain(args.iter().copied())
            .map(str::to_string)
            .collect();
        let mut secrets = Vec::new();
        if let Some(p) = password {
            argv.extend(["--password-env".into(), WALLET_PW.into()]);
            secrets.push((WALLET_PW, p));
        }
        native::run(&argv, &secrets)
    }

    /// `-sign_alg` as the native hash; the algorithms orakit does not sign with are named.
    fn sign_alg(&self) -> Result<Option<&'static str>, String> {
        let Some(alg) = self.value("sign_alg") else {
            return Ok(None);
        };
        match alg.to_ascii_lowercase().as_str() {
            "sha256" | "ecdsasha256" => Ok(Some("sha256")),
            "sha384" | "ecdsasha384" => Ok(Some("sha384")),
            "sha512" | "ecdsasha512" => Ok(Some("sha512")),
            other => Err(format!(
                "orakit signs CRLs with SHA-256, SHA-384 or SHA-512, not {other}"
            )),
        }
    }

    /// The native failure in orapki's words for a wallet that signs. A certificate of
    /// another CA keeps orakit's own message: orapki 23ai adds it to the list (observed),
    /// orakit refuses, since such an entry revokes nothing.
    fn signing_failure(run: &NativeRun, prefix: &str) -> Answer {
        let text = run.error_text();
        if text.contains("wrong password") || text.contains("cannot decrypt") {
            return fail(format!(
                "{prefix}Invalid padding string (or incorrect password)"
            ));
        }
        if text.contains("holds no")
            || text.contains("not by the signing CA")
            || text.contains("another CA")
        {
            return fail(format!(
                "{prefix}PKI-04002: No valid key or certificate in the wallet. "
            ));
        }
        fail(format!("{prefix}{text}"))
    }

    fn wallet_dir_missing(&self, wallet: &str, prefix: &str) -> Option<Answer> {
        (!Path::new(wallet).is_dir()).then(|| {
            fail(format!(
                "{prefix}PKI-02006: The specified directory does not exist: {wallet}"
            ))
        })
    }

    fn create(&self) -> Answer {
        const PREFIX: &str = "Could not create CRL : ";
        // orapki 23ai's answers, observed: no -wallet, then no -crl.
        let Some(wallet) = self.value("wallet") else {
            return fail("PKI-01001: Missing arguments in the command: -wallet");
        };
        let Some(crl) = self.value("crl") else {
            return fail(format!("{PREFIX}null"));
        };
        if Path::new(crl).symlink_metadata().is_ok() {
            return fail("PKI-05007: Given CRL already Exists.");
        }
        if let Some(a) = self.wallet_dir_missing(wallet, PREFIX) {
            return a;
        }
        let sign_alg = match self.sign_alg() {
            Ok(a) => a,
            Err(e) => return fail(format!("{PREFIX}{e}")),
        };
        let Some(password) = self.password().filter(|p| !p.as_str().is_empty()) else {
            return fail(format!("{PREFIX}Password must not be null or empty."));
        };
        let days = self.value("nextupdate").unwrap_or("0");
        let mut args = vec![
            "create",
            "--out",
            crl,
            "--wallet",
            wallet,
            "--next-update",
            days,
        ];
        if let Some(issuer) = self.value("issuer") {
            args.extend(["--subject", issuer]);
        }
        if let Some(alg) = sign_alg {
            args.extend(["--sign-alg", alg]);
        }
        let run = self.native(&args, Some(&password));
        if !run.ok {
            return Self::signing_failure(&run, PREFIX);
        }
        Answer(format!("Created CRL at : {crl}"), 0)
    }

    fn revoke(&self) -> Answer {
        const PREFIX: &str = "Could not revoke a certificate : ";
        // orapki 23ai's answers, observed: no -crl, no -cert, then no -wallet.
        let Some(crl) = self.value("crl") else {
            return fail(format!("{PREFIX}null"));
        };
        let Some(cert) = self.value("cert") else {
            return usage(Some("option -cert not provided"), false);
        };
        let Some(wallet) = self.value("wallet") else {
            return fail(format!("{PREFIX}No wallet location specified. "));
        };
        if let Some(detail) = io_detail(crl).or_else(|| io_detail(cert)) {
            return fail(format!("{PREFIX}{detail}"));
        }
        if !readable_crl(crl) {
            return fail(format!("{PREFIX}null"));
        }
        if let Some(a) = self.wallet_dir_missing(wallet, PREFIX) {
            return a;
        }
        let sign_alg = match self.sign_alg() {
            Ok(a) => a,
            Err(e) => return fail(format!("{PREFIX}{e}")),
        };
        let Some(password) = self.password().filter(|p| !p.as_str().is_empty()) else {
            return fail(format!("{PREFIX}Password must not be null or empty."));
        };
        let mut args = vec!["revoke", "--crl", crl, "--cert", cert, "--wallet", wallet];
        if let Some(alg) = sign_alg {
            args.extend(["--sign-alg", alg]);
        }
        let run = self.native(&args, Some(&password));
        if !run.ok {
            return Self::signing_failure(&run, PREFIX);
        }
        Answer(
            format!("Revoked certificate and updated the CRL at : {crl}"),
            0,
        )
    }

    fn crl_and_cert(&self) -> Result<(&str, &str), Answer> {
        match (self.value("crl"), self.value("cert")) {
            (Some(crl), Some(cert)) => Ok((crl, cert)),
            _ => Err(usage(
                Some("Certificate or crl cannot be null or empty."),
                false,
            )),
        }
    }

    fn verify(&self) -> Answer {
        const PREFIX: &str = "Could not verify CRL signature : ";
        let (crl, cert) = match self.crl_and_cert() {
            Ok(pair) => pair,
            Err(a) => return a,
        };
        if let Some(detail) = io_detail(crl).or_else(|| io_detail(cert)) {
            return fail(format!("{PREFIX}{detail}"));
        }
        if !readable_crl(crl) {
            return fail(format!("{PREFIX}null"));
        }
        let run = self.native(&["verify", "--crl", crl, "--ca-cert", cert], None);
        if run.ok {
            return Answer("Successfully verified CRL signature.".into(), 0);
        }
        if run.error_text().contains("CA certificate") {
            return fail(format!("{PREFIX}null"));
        }
        fail("Failed to Verify CRL signature.")
    }

    fn status(&self) -> Answer {
        const PREFIX: &str = "Failed with exception : ";
        let (crl, cert) = match self.crl_and_cert() {
            Ok(pair) => pair,
            Err(a) => return a,
        };
        if let Some(detail) = io_detail(crl).or_else(|| io_detail(cert)) {
            return fail(format!("{PREFIX}{detail}"));
        }
        if !readable_crl(crl) {
            return fail(format!("{PREFIX}null"));
        }
        let run = self.native(&["status", "--crl", crl, "--cert", cert, "--json"], None);
        match json(&run).get("revoked").and_then(Value::as_bool) {
            Some(true) => Answer("The certificate has been revoked.".into(), 0),
            Some(false) => fail("The certificate is not revoked."),
            // A CRL of another issuer: orapki compares serials only and finds none.
            None if run.error_text().contains("cannot say") => {
                fail("The certificate is not revoked.")
            }
            None => fail(format!("{PREFIX}null")),
        }
    }

    fn display(&self) -> Answer {
        let Some(crl) = self.value("crl") else {
            return usage(None, false);
        };
        if !readable_crl(crl) {
            return fail(format!("PKI-05001: Unable to read CRL at: {crl}"));
        }
        let mut args = vec!["display", "--crl", crl];
        if self.opts.has("complete") {
            args.push("--complete");
        }
        let run = self.native(&args, None);
        if !run.ok {
            return fail(format!("PKI-05001: Unable to read CRL at: {crl}"));
        }
        let mut text = run.stdout;
        if std::env::var(RELEASE_ENV).is_ok_and(|r| r.starts_with("19")) {
            // orapki 19c labels thisUpdate `Date:`.
            text = text.replacen("Last Date:      ", "Date:           ", 1);
        }
        let Some(wallet) = self.value("wallet") else {
            return Answer(text, 0);
        };
        let has_sso = Path::new(wallet).join("cwallet.sso").is_file();
        let password = match self.value("pwd") {
            Some(p) => Some(Password::new(p.to_string())),
            None if has_sso => None,
            None => prompt::ask(prompt::WALLET_PASSWORD),
        };
        let check = self.native(
            &["verify", "--crl", crl, "--wallet", wallet, "--json"],
            password.as_ref(),
        );
        let fresh = json(&check).get("stale").and_then(Value::as_bool) == Some(false);
        if check.ok && fresh {
            text.push_str("CRL is valid\n");
            return Answer(text, 0);
        }
        text.push_str("PKI-05003: Untrusted or expired CRL \n");
        Answer(text, ORACLE_FAILED)
    }

    fn hash(&self) -> Answer {
        let Some(crl) = self.value("crl") else {
            return usage(None, false);
        };
        if !readable_crl(crl) {
            return fail(format!("PKI-05001: Unable to read CRL at: {crl}"));
        }
        let (dir, copy) = match (self.value("symlink"), self.value("copy")) {
            (Some(d), _) => (Some(d), false),
            (None, Some(d)) => (Some(d), true),
            (None, None) => (None, false),
        };
        let mut args = vec!["hash", "--crl", crl, "--json"];
        if let Some(d) = dir {
            if !Path::new(d).is_dir() {
                return fail(format!(
                    "PKI-02006: The specified directory does not exist: {d}"
                ));
            }
            // orapki 23ai replaces an entry of the same name.
            args.extend(["--dir", d, "--force"]);
            if copy {
                args.push("--copy");
            }
        }
        let run = self.native(&args, None);
        if !run.ok {
            return fail(run.error_text());
        }
        let report = json(&run);
        let field = |k: &str| report.get(k).and_then(Value::as_str).unwrap_or("");
        if dir.is_some() && !self.opts.has("summary") {
            return Answer(String::new(), 0);
        }
        Answer(
            format!(
                "Issuer:         {}\nHash:           {}",
                field("issuer"),
                field("orapki_name")
            ),
            0,
        )
    }

    fn ldap(&self, verb: &str) -> Answer {
        let needed: &[&str] = match verb {
            "list" => &["ldap"],
            "delete" => &["issuer", "ldap"],
            _ => &["crl", "ldap"],
        };
        if needed.iter().any(|n| self.value(n).is_none()) {
            return usage(None, false);
        }
        let native = match verb {
            "list" => "orakit crl list --dir DIR",
            "delete" => "orakit crl delete --dir DIR --issuer DN",
            _ => "orakit crl hash --crl FILE --dir DIR",
        };
        fail(format!(
            "orakit: orapki crl {verb} works on CRLs in an LDAP directory (Oracle Internet \
             Directory), which orakit does not offer; for a local CRL directory (SSL_CRL_PATH) \
             use `{native}` (docs/crl.md)"
        ))
    }
}
