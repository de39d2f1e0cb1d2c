//! `orapki wallet ...` and `orapki help`: Oracle's command lines translated to the native
//! `orakit wallet ...` commands, answered in orapki's words (orapki 23ai's texts).
//!
//! orapki prints its errors on standard output and exits 255; so does this front end.

use std::path::Path;

use super::native::{self, NEW_PW, NativeRun, OTHER_PW, WALLET_PW};
use super::options::{self, OptionError, Options};
use super::prompt;
use super::usage;
use super::{ORACLE_FAILED, Tool, banner, warn_password_on_argv};
use crate::secret::Password;

mod cert;
mod crl;
mod exchange;
mod jks;

const SUCCESS: &str = "Operation is successfully completed.";
/// The orapki release whose layout the native commands write, whose display text they
/// print and whose usage and password texts the front end prints.
use super::usage::RELEASE_ENV;

/// A failure already reduced to what orapki prints (on stdout) before it exits 255.
struct Failure(String);

type Step = Result<(), Failure>;

pub fn run(args: &[String]) -> u8 {
    if !options::nologo(args) {
        banner(Tool::Orapki);
    }
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "-nologo")
        .collect();
    match words.as_slice() {
        [] => {
            print!("{}", usage::orapki_top());
            1
        }
        ["help", ..] => {
            print!("{}", usage::orapki_help());
            0
        }
        ["wallet", command, rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
            wallet(command, &rest)
        }
        ["wallet"] => wallet_usage(None),
        ["crl", rest @ ..] => crl::run(rest),
        ["cert", rest @ ..] => cert::run(rest),
        [other, ..] if !other.starts_with('-') && ["secretstore"].contains(other) => {
            println!(
                "orakit: orapki {other} is not part of the drop-in front end; see docs/drop-in.md"
            );
            ORACLE_FAILED
        }
        _ => {
            print!("{}", usage::orapki_top());
            1
        }
    }
}

/// orapki's answer to an unknown subcommand or option: the word, then the wallet usage.
fn wallet_usage(invalid: Option<&str>) -> u8 {
    if let Some(word) = invalid {
        println!("Invalid command: {word}");
    }
    print!("{}", usage::orapki_wallet());
    ORACLE_FAILED
}

const PWD: &str = "pwd";

fn wallet(command: &str, rest: &[String]) -> u8 {
    let (valued, switches): (&[&str], &[&str]) = match command {
        "create" => (
            &["wallet", PWD],
            &[
                "auto_login",
                "auto_login_local",
                "auto_login_only",
                "with_trust_flags",
                "compat_v12",
                "compat_lsso_v6",
            ],
        ),
        "display" => (&["wallet", PWD], &["summary", "complete", "details"]),
        "add" => (
            &[
                "wallet",
                PWD,
                "dn",
                "alias",
                "asym_alg",
                "keysize",
                "eccurve",
                "validity",
                "valid_from",
                "valid_until",
                "serial_file",
                "serial_num",
                "addext_ku",
                "addext_san",
                "pathLen",
                "cert",
                "sign_alg",
                "trust_flags",
                "cert_validation_mode",
            ],
            &[
                "self_signed",
                "addext_ski",
                "addext_basic_cons",
                "trusted_cert",
                "user_cert",
                "auto_login_only",
            ],
        ),
        "remove" => (
            &[
                "wallet",
                PWD,
                "dn",
                "alias",
                "issuer_dn",
                "serial_num",
                "cert_validation_mode",
            ],
            &[
                "trusted_cert_all",
                "trusted_cert",
                "user_cert",
                "cert_req",
                "auto_login_only",
            ],
        ),
        "export" => (
            &[
                "wallet",
                PWD,
                "dn",
                "alias",
                "cert",
                "request",
                "issuer_dn",
                "serial_num",
            ],
            &[],
        ),
        "export_trust_chain" => (
            &[
                "wallet",
                PWD,
                "certchain",
                "dn",
                "alias",
                "issuer_dn",
                "serial_num",
            ],
            &[],
        ),
        "export_private_key" => (
            &["wallet", PWD, "pvtkeyfile", "alias", "pvtkeypwd", "salt"],
            &[],
        ),
        "import_private_key" => (
            &[
                "wallet",
                PWD,
                "alias",
                "pvtkeyfile",
                "pvtkeypwd",
                "salt",
                "cert",
                "cacert",
                "cert_validation_mode",
            ],
            &[],
        ),
        "import_pkcs12" => (
            &[
                "wallet",
                PWD,
                "pkcs12file",
                "pkcs12pwd",
                "cert_validation_mode",
            ],
            &["auto_login_only"],
        ),
        "change_pwd" => (&["wallet", "oldpwd", "newpwd"], &[]),
        "convert" => (&["wallet", PWD], &["auto_login_only", "compat_v12"]),
        "replace" => (
            &[
                "wallet",
                PWD,
                "issuer_dn",
                "serial_num",
                "alias",
                "cert",
                "cert_validation_mode",
                "trust_flags",
            ],
            &["trusted_cert", "user_cert"],
        ),
        "enable_trust_flags" => (&["wallet", PWD], &["auto_login_only", "untrust_all"]),
        "assign_trust_flags" => (
            &["wallet", PWD, "trust_flags", "dn", "issuer", "serial_num"],
            &[],
        ),
        "jks_to_pkcs12" => (&["wallet", PWD, "keystore", "jkspwd", "aliases"], &[]),
        "pkcs12_to_jks" => (
            &[
                "wallet",
                PWD,
                "jksKeyStoreLoc",
                "jksKeyStorepwd",
                "jksTrustStoreLoc",
                "jksTrustStorepwd",
            ],
            &[],
        ),
        "upload" | "download" => (&["wallet", "ldap", "user", "userpwd", PWD], &[]),
        "p11_add" => (
            &[
                "wallet",
                "p11_lib",
                "p11_tokenlabel",
                "p11_tokenpw",
                "p11_certlabel",
                PWD,
            ],
            &[],
        ),
        "p11_verify" => (&["wallet", PWD], &[]),
        "help" => return wallet_usage(None),
        other => return wallet_usage(Some(other)),
    };
    let opts = match options::parse(rest, valued, switches) {
        Ok(opts) => opts,
        Err(OptionError::Unknown(word)) => {
            let code = wallet_usage(Some(&word));
            // orapki 23ai answers upload/download's unknown options with exit 0 (observed).
            return if matches!(command, "upload" | "download") {
                0
            } else {
                code
            };
        }
        Err(OptionError::MissingValue(_)) => return wallet_usage(None),
    };
    if let Some(text) = not_offered(command) {
        println!("{text}");
        return ORACLE_FAILED;
    }
    let Some(dir) = opts.value("wallet").map(str::to_string) else {
        return wallet_usage(None);
    };
    let on_argv: Vec<&str> = [
        "pwd",
        "oldpwd",
        "newpwd",
        "pvtkeypwd",
        "pkcs12pwd",
        "jkspwd",
        "jksKeyStorepwd",
        "jksTrustStorepwd",
    ]
    .into_iter()
    .filter(|p| opts.value(p).is_some())
    .collect();
    if !on_argv.is_empty() {
        warn_password_on_argv(&native_form(command, &dir));
    }
    let cx = Cx {
        opts,
        dir,
        release: std::env::var(RELEASE_ENV).unwrap_or_else(|_| "23ai".to_string()),
    };
    let step = match command {
        "create" => cx.create(),
        "display" => cx.display(),
        "add" => cx.add(),
        "remove" => cx.remove(),
        "export" => cx.export(),
        "export_trust_chain" => cx.export_trust_chain(),
        "export_private_key" => cx.export_private_key(),
        "import_private_key" => cx.import_private_key(),
        "import_pkcs12" => cx.import_pkcs12(),
        "change_pwd" => cx.change_pwd(),
        "convert" => cx.convert(),
        "replace" => cx.replace(),
        "enable_trust_flags" => cx.enable_trust_flags(),
        "assign_trust_flags" => cx.assign_trust_flags(),
        "jks_to_pkcs12" => cx.jks_to_pkcs12(),
        "pkcs12_to_jks" => cx.pkcs12_to_jks(),
        _ => unreachable!("every listed command has a handler"),
    };
    match step {
        Ok(()) => 0,
        Err(Failure(text)) => {
            // Empty when the text already went out (orapki's MaxRetryException line).
            if !text.is_empty() {
                println!("{text}");
            }
            ORACLE_FAILED
        }
    }
}

/// The native command that does what `orapki wallet COMMAND` does, with the password kept
/// off the command line.
fn native_form(command: &str, dir: &str) -> String {
    let native = match command {
        "create" => "create",
        "display" => "display",
        "add" => "add-trusted|add-key|add-user-cert|add-self-signed",
        "remove" => "remove",
        "export" => "export-cert|export-request",
        "export_trust_chain" => "export-chain",
        "export_private_key" => "export-key",
        "import_private_key" | "import_pkcs12" => "import",
        "change_pwd" => "change-password",
        "convert" => "convert",
        "replace" => "replace",
        "jks_to_pkcs12" => {
            return format!(
                "orakit wallet import --wallet {dir} --jks FILE --jks-password-env VAR --password-env VAR"
            );
        }
        "pkcs12_to_jks" => {
            return format!(
                "orakit wallet to-jks --wallet {dir} --keystore FILE --jks-password-env VAR --password-env VAR"
            );
        }
        _ => "trust-flags",
    };
    format!("orakit wallet {native} --wallet {dir} --password-env VAR (or --password-file PATH)")
}

/// orakit's refusal of the orapki commands it does not offer (after their options were
/// read, so a misspelt option still gets orapki's usage). orapki's own answers here would
/// mislead: `upload`/`download` print "Upload wallet failed : HOST" and exit 0 (a network
/// failure orakit never had), `p11_*` die in Oracle's native library (libowm2). A script
/// must see that the step did not happen, so the answer is a failure (exit 255) that says why.
fn not_offered(command: &str) -> Option<String> {
    let what = match command {
        "upload" => "upload (to an LDAP directory)",
        "download" => "download (from an LDAP directory)",
        "p11_add" | "p11_verify" => "p11_add / p11_verify (PKCS#11 hardware tokens)",
        _ => return None,
    };
    Some(format!(
        "orakit: orapki wallet {what} is not offered: orakit does not talk to LDAP directories or PKCS#11 tokens; nothing was changed. See docs/drop-in.md (\"What orakit does not do\")."
    ))
}

/// orapki 23ai's rule for a new wallet password: at least 8 characters with letters and a
/// digit or special character; under 16 only warns.
fn check_new_password(password: &Password) -> Step {
    const WARNING: &str =
        "Warning: For security reasons, passwords must have at least 16 characters.";
    let invalid = usage::invalid_password();
    let text = password.as_str();
    let count = password.char_count();
    if count < 8 {
        return Err(Failure(invalid.to_string()));
    }
    // 19c has no sixteen-character warning (observed).
    if count < 16 && !usage::is_19c() {
        println!("{WARNING}");
    }
    let letters = text.chars().any(char::is_alphabetic);
    let others = text.chars().any(|c| !c.is_alphabetic());
    if letters && others {
        Ok(())
    } else {
        Err(Failure(invalid.to_string()))
    }
}

struct Cx {
    opts: Options,
    dir: String,
    release: String,
}

impl Cx {
    fn p12(&self) -> bool {
        Path::new(&self.dir).join("ewallet.p12").is_file()
    }

    fn sso(&self) -> bool {
        Path::new(&self.dir).join("cwallet.sso").is_file()
    }

    /// The wallet password: `-pwd`, else none for `-auto_login_only` or a wallet with only
    /// cwallet.sso, else orapki's prompt.
    fn wallet_password(&self) -> Result<Option<Password>, Failure> {
        if let Some(p) = self.opts.value(PWD)
            && !self.opts.has("auto_login_only")
        {
            if !self.p12() {
                return Err(self.unable_to_load_missing());
            }
            return Ok(Some(Password::new(p.to_string())));
        }
        if self.opts.has("auto_login_only") || (!self.p12() && self.sso()) {
            return Ok(None);
        }
        if !self.p12() {
            return Err(self.unable_to_load_missing());
        }
        Ok(prompt::ask(prompt::WALLET_PASSWORD))
    }

    fn unable_to_load_missing(&self) -> Failure {
        Failure(format!(
            "PKI-02003: Unable to load the wallet at: {dir} ( detail = {dir}/ewallet.p12 (No such file or directory) )",
            dir = self.dir
        ))
    }

    /// Runs `orakit wallet SUB --wallet DIR ARGS` with the wallet password handed over.
    fn native(&self, sub: &[&str], args: &[String], password: Option<&Password>) -> NativeRun {
        let mut argv: Vec<String> = ["wallet"]
            .iter()
            .chain(sub)
            .map(|s| s.to_string())
            .collect();
        argv.push("--wallet".into());
        argv.push(self.dir.clone());
        argv.extend(args.iter().cloned());
        let mut secrets = Vec::new();
        if let Some(p) = password {
            native::password_flag(&mut argv, "--password-env", WALLET_PW, true);
            secrets.push((WALLET_PW, p));
        }
        native::run(&argv, &secrets)
    }

    /// Turns a native failure into orapki's text (the known ones) or the native message.
    fn failure(&self, run: &NativeRun) -> Failure {
        let text = run.error_text();
        if text.contains("wrong password") {
            return Failure(format!(
                "PKI-02003: Unable to load the wallet at: {} ( detail = Invalid padding string (or incorrect password) )",
                self.dir
            ));
        }
        if text.contains("does not exist") && !self.p12() && !self.sso() {
            return self.unable_to_load_missing();
        }
        Failure(text)
    }

    /// Runs a changing native command and prints orapki's success line.
    fn change(&self, sub: &[&str], args: &[String]) -> Step {
        let password = self.wallet_password()?;
        self.change_with(sub, args, password.as_ref())
    }

    fn change_with(&self, sub: &[&str], args: &[String], password: Option<&Password>) -> Step {
        let run = self.native(sub, args, password);
        if !run.ok {
            return Err(self.failure(&run));
        }
        println!("{SUCCESS}");
        Ok(())
    }

    fn target(&self) -> Vec<String> {
        vec!["--target".into(), self.release.clone()]
    }

    fn create(&self) -> Step {
        let mut args = self.target();
        for (oracle, ours) in [
            ("with_trust_flags", "--with-trust-flags"),
            ("compat_v12", "--compat-v12"),
            ("compat_lsso_v6", "--compat-lsso-v6"),
        ] {
            if self.opts.has(oracle) {
                args.push(ours.into());
            }
        }
        if self.opts.has("auto_login_only") {
            if let Some(p) = self.opts.value(PWD) {
                // `-pwd` and `-auto_login_only` exclude each other: orapki checks the
                // password, then answers with its usage.
                check_new_password(&Password::new(p.to_string()))?;
                return Err(Failure(wallet_usage_text()));
            }
            if self.sso() {
                // orapki leaves an existing wallet as it is and reports success.
                println!("{SUCCESS}");
                return Ok(());
            }
            args.push("--auto-login-only".into());
            return self.change_with(&["create"], &args, None);
        }
        let password = match self.opts.value(PWD) {
            Some(p) => {
                let p = Password::new(p.to_string());
                check_new_password(&p)?;
                p
            }
            None => {
                let first = prompt::ask(prompt::NEW_PASSWORD)
                    .ok_or_else(|| Failure("PKI-01002: Invalid password.".into()))?;
                check_new_password(&first)?;
                let again = prompt::ask(prompt::NEW_PASSWORD_AGAIN).unwrap_or_default();
                if again != first {
                    return Err(Failure("PKI-01003: Passwords did not match.".into()));
                }
                first
            }
        };
        if self.p12() {
            // orapki 23ai keeps an existing wallet's contents and reports success
            // (observed: a second `create` on a filled wallet changes nothing).
            println!("{SUCCESS}");
            return Ok(());
        }
        if self.opts.has("auto_login") {
            args.push("--auto-login".into());
        }
        if self.opts.has("auto_login_local") {
            args.push("--auto-login-local".into());
        }
        self.change_with(&["create"], &args, Some(&password))
    }

    fn display(&self) -> Step {
        let mut args = self.target();
        // -details is laid out from the summary (see `details_layout`).
        let details = self.opts.has("details") && !self.opts.has("complete");
        args.push(if self.opts.has("complete") {
            "--complete".into()
        } else {
            "--summary".into()
        });
        if !self.p12() && !self.sso() {
            return Err(Failure(format!("ewallet.p12 not present at {}", self.dir)));
        }
        let password = match self.opts.value(PWD) {
            Some(p) => Some(Password::new(p.to_string())),
            None if self.sso() => None,
            None => prompt::ask(prompt::WALLET_PASSWORD),
        };
        let mut run = self.native(&["display"], &args, password.as_ref());
        if !run.ok
            && password.is_some()
            && self.sso()
            && run.error_text().contains("wrong password")
        {
            // orapki falls back to the auto-login file when -pwd does not open ewallet.p12.
            println!("Found Auto Login (AL) wallet.");
            println!("Option -pwd is not recognized and ignored.");
            run = self.native(&["display"], &args, None);
        }
        if !run.ok {
            if run.error_text().contains("wrong password") {
                return Err(Failure(
                    "Invalid padding string (or incorrect password)".into(),
                ));
            }
            return Err(self.failure(&run));
        }
        if details {
            print!("{}", details_layout(&run.stdout));
        } else {
            print!("{}", run.stdout);
        }
        Ok(())
    }

    fn key_type(&self) -> Result<Option<String>, Failure> {
        if let Some(curve) = self.opts.value("eccurve") {
            return Ok(Some(curve.to_ascii_lowercase()));
        }
        if let Some(size) = self.opts.value("keysize") {
            return Ok(Some(format!("rsa{size}")));
        }
        if self
            .opts
            .value("asym_alg")
            .is_some_and(|a| a.eq_ignore_ascii_case("ECC"))
        {
            return Ok(Some("p256".into()));
        }
        Ok(None)
    }

    fn add(&self) -> Step {
        let cert = self.opts.value("cert");
        if self.opts.has("trusted_cert") || self.opts.has("user_cert") {
            let Some(cert) = cert else {
                return Err(Failure(wallet_usage_text()));
            };
            if std::fs::metadata(cert)
                .map(|m| !m.is_file())
                .unwrap_or(true)
            {
                return Err(Failure(format!("Unable to read certificate at {cert}")));
            }
            let mut args = vec!["--cert".to_string(), cert.to_string()];
            if self.opts.has("trusted_cert") {
                if let Some(flags) = self.opts.value("trust_flags") {
                    args.extend(["--trust-flags".into(), flags.into()]);
                }
                let password = self.wallet_password()?;
                let run = self.native(&["add-trusted"], &args, password.as_ref());
                if !run.ok {
                    return Err(self.failure(&run));
                }
                if run.stderr.contains("added 0 trusted") {
                    return Err(Failure(format!(
                        "Could not install trusted cert at {cert}\nPKI-04003: The trusted certificate is already present in the wallet. "
                    )));
                }
                println!("{SUCCESS}");
                return Ok(());
            }
            return self.change(&["add-user-cert"], &args);
        }
        let Some(dn) = self.opts.value("dn") else {
            return Err(Failure(wallet_usage_text()));
        };
        let mut args = vec!["--subject".to_string(), dn.to_string()];
        if let Some(kt) = self.key_type()? {
            args.extend(["--key-type".into(), kt]);
        }
        if self.opts.has("self_signed") {
            for (oracle, ours) in [
                ("validity", "--days"),
                ("valid_from", "--valid-from"),
                ("valid_until", "--valid-until"),
                ("serial_num", "--serial"),
                ("addext_ku", "--key-usage"),
                ("pathLen", "--path-len"),
                ("alias", "--alias"),
            ] {
                if let Some(v) = self.opts.value(oracle) {
                    args.extend([ours.to_string(), v.to_string()]);
                }
            }
            if let Some(sans) = self.opts.value("addext_san") {
                for san in sans.split(',') {
                    let value = san.split_once(':').map_or(san, |(_, v)| v);
                    args.extend(["--san".to_string(), value.to_string()]);
                }
            }
            if let Some(alg) = self.opts.value("sign_alg") {
                let alg = alg.trim_start_matches("ecdsa");
                args.extend(["--signature-algorithm".into(), alg.to_string()]);
            }
            if self.opts.has("addext_ski") {
                args.push("--ski".into());
            }
            if self.opts.has("addext_basic_cons") {
                args.push("--ca".into());
            }
            return self.change(&["add-self-signed"], &args);
        }
        self.change(&["add-key"], &args)
    }

    /// `-dn` (or `-alias`) as the native selector.
    fn selector(&self) -> Vec<String> {
        match self.opts.value("dn") {
            Some(dn) => vec!["--subject".into(), dn.into()],
            None => Vec::new(),
        }
    }

    /// `-alias NAME` (without `-dn`) as the native `--fingerprint` of the certificate orapki
    /// shows under that alias (its friendly name, else `CN=<common name>` as orapki's
    /// display names it); `Ok(None)` when there is no `-alias` or nothing matches.
    fn alias_selector(
        &self,
        kind: Option<&str>,
        password: Option<&Password>,
    ) -> Result<Option<Vec<String>>, Failure> {
        let Some(alias) = self.opts.value("alias") else {
            return Ok(None);
        };
        if self.opts.value("dn").is_some() {
            return Ok(None);
        }
        let run = self.native(&["display"], &["--json".into()], password);
        if !run.ok {
            return Err(self.failure(&run));
        }
        let report: serde_json::Value =
            serde_json::from_str(&run.stdout).map_err(|e| Failure(e.to_string()))?;
        let sections: &[&str] = match kind {
            Some("trusted") => &["trusted_certificates"],
            Some("user") => &["user_certificates"],
            _ => &["user_certificates", "trusted_certificates"],
        };
        let shown_alias = |c: &serde_json::Value| -> String {
            if let Some(name) = c["friendly_name"].as_str() {
                return name.to_string();
            }
            let subject = c["subject"].as_str().unwrap_or("");
            subject
                .split(',')
                .find(|part| part.trim_start().to_ascii_uppercase().starts_with("CN="))
                .map(|cn| cn.trim().to_string())
                .unwrap_or_else(|| subject.to_string())
        };
        let found = sections
            .iter()
            .flat_map(|s| report[*s].as_array().into_iter().flatten())
            .find(|c| shown_alias(c).eq_ignore_ascii_case(alias))
            .and_then(|c| c["sha256_fingerprint"].as_str());
        Ok(found.map(|fp| vec!["--fingerprint".into(), fp.into()]))
    }

    fn remove(&self) -> Step {
        let password = self.wallet_password()?;
        if self.opts.has("trusted_cert_all") {
            return self.remove_all_trusted(password.as_ref());
        }
        let kind = if self.opts.has("trusted_cert") {
            "trusted"
        } else if self.opts.has("user_cert") {
            "user"
        } else if self.opts.has("cert_req") {
            "request"
        } else {
            return Err(Failure(wallet_usage_text()));
        };
        if self.opts.value("dn").is_none() && self.opts.value("alias").is_none() {
            return Err(Failure("Please provide DN or alias".into()));
        }
        let mut args = match self.alias_selector(Some(kind), password.as_ref())? {
            Some(_) => vec![
                "--alias".into(),
                self.opts.value("alias").unwrap_or("").into(),
            ],
            None if self.opts.value("alias").is_some() && self.opts.value("dn").is_none() => {
                return Err(Failure(match kind {
                    "trusted" => "No trusted cert in wallet with matching DN.".into(),
                    _ => "PKI-04007: No matching certificate in the wallet ".into(),
                }));
            }
            None => self.selector(),
        };
        // remove reads a serial with a colon as no serial at all: nothing matches; with
        // -alias it selects by the alias alone (both observed, 23ai).
        let by_dn = self.opts.value("dn").is_some();
        if by_dn
            && self
                .opts
                .value("serial_num")
                .is_some_and(|s| s.contains(':'))
        {
            return Err(Failure(
                "PKI-04007: No matching certificate in the wallet ".into(),
            ));
        }
        if by_dn {
            args.extend(self.issuer_serial(SerialReading::AsTyped));
        }
        args.extend(["--kind".into(), kind.into()]);
        if kind == "user" {
            args.push("--yes".into());
        }
        let run = self.native(&["remove"], &args, password.as_ref());
        if !run.ok {
            if run.error_text().contains("matches") {
                return Err(Failure(
                    "PKI-04007: No matching certificate in the wallet ".into(),
                ));
            }
            return Err(self.failure(&run));
        }
        println!("{SUCCESS}");
        Ok(())
    }

    /// `-trusted_cert_all`: every trusted certificate, in one native write.
    fn remove_all_trusted(&self, password: Option<&Password>) -> Step {
        let run = self.native(&["remove"], &["--all-trusted".into()], password);
        self.finish(run)
    }

    /// orapki's `-issuer_dn` and `-serial_num` (read as `serial`) as the native
    /// `--issuer`/`--serial`.
    pub(super) fn issuer_serial(&self, serial: SerialReading) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(issuer) = self.opts.value("issuer_dn") {
            args.extend(["--issuer".into(), issuer.into()]);
        }
        if let Some(hex) = self.opts.value("serial_num").and_then(|s| serial.hex(s)) {
            args.extend(["--serial".into(), hex]);
        }
        args
    }

    fn finish(&self, run: NativeRun) -> Step {
        if !run.ok {
            return Err(self.failure(&run));
        }
        println!("{SUCCESS}");
        Ok(())
    }

    fn change_pwd(&self) -> Step {
        if !self.p12() {
            return Err(self.unable_to_load_missing());
        }
        let old = match self.opts.value("oldpwd") {
            Some(p) => Password::new(p.into()),
            None => prompt::ask("Enter wallet password:").unwrap_or_default(),
        };
        let new = match self.opts.value("newpwd") {
            Some(p) => Password::new(p.into()),
            None => {
                let first = prompt::ask("Enter New Wallet Password:").unwrap_or_default();
                let again = prompt::ask("Confirm Wallet Password:").unwrap_or_default();
                if first != again {
                    return Err(Failure("PKI-01003: Passwords did not match.".into()));
                }
                first
            }
        };
        check_new_password(&new)?;
        let mut argv: Vec<String> = vec![
            "wallet".into(),
            "change-password".into(),
            "--wallet".into(),
            self.dir.clone(),
            "--password-env".into(),
            WALLET_PW.into(),
            "--new-password-env".into(),
            NEW_PW.into(),
        ];
        argv.extend(self.target());
        let run = native::run(&argv, &[(WALLET_PW, &old), (NEW_PW, &new)]);
        if !run.ok {
            return Err(self.failure(&run));
        }
        println!("Wallet password has been changed.");
        Ok(())
    }

    /// orapki converts only to the 12c-compatible encryption (`-compat_v12`, 3DES), keeping
    /// the wallet's type; without it, or with both `-pwd` and `-auto_login_only`, it answers
    /// with its usage (observed with 23ai).
    fn convert(&self) -> Step {
        if !self.opts.has("compat_v12")
            || (self.opts.value(PWD).is_some() && self.opts.has("auto_login_only"))
        {
            return Err(Failure(wallet_usage_text()));
        }
        let to = match (self.p12(), self.sso()) {
            (false, true) => "auto-login-only",
            (true, true) => "auto-login",
            _ => "password",
        };
        let args = vec![
            "--to".to_string(),
            to.into(),
            "--encryption".into(),
            "3des".into(),
        ];
        self.change(&["convert"], &args)
    }
}

/// orapki 23ai's `display -details` layout of the summary (observed): each non-empty
/// section under a `===` ruled title, each certificate under a `---` ruled
/// `<Kind> Certificate [n]` title; empty sections left out.
fn details_layout(summary: &str) -> String {
    let ruled = |title: &str, rule: char, out: &mut String| {
        let line: String = std::iter::repeat_n(rule, title.chars().count()).collect();
        out.push_str(&format!("{line}\n{title}\n{line}\n"));
    };
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in summary.lines() {
        let trimmed = line.trim_end();
        if trimmed.ends_with(':') && !line.starts_with(' ') && !trimmed.starts_with("Subject:") {
            sections.push((line.to_string(), Vec::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line.to_string());
        }
    }
    let mut out = String::new();
    for (header, body) in sections {
        if body.is_empty() {
            continue;
        }
        let is_secrets = header.starts_with("Oracle Secret Store");
        let title = if is_secrets {
            header.clone()
        } else {
            header.trim_end().to_string()
        };
        ruled(&title, '=', &mut out);
        let kind = title
            .trim_end()
            .trim_end_matches(':')
            .trim_end_matches('s')
            .to_string();
        let mut n = 0;
        for line in body {
            if !is_secrets && line.starts_with("Subject:") {
                n += 1;
                ruled(&format!("{kind} [{n}]"), '-', &mut out);
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The wallet usage as a failure text (orapki answers an incomplete command with it).
fn wallet_usage_text() -> String {
    let text = usage::orapki_wallet();
    text.strip_suffix('\n').unwrap_or(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_layout_is_orapkis() {
        let summary = "Requested Certificates: \nSubject:        CN=req\nUser Certificates:\nOracle Secret Store entries: \noracle.security.client.username1\nTrusted Certificates: \nSubject:        O=Ex,CN=Root\n";
        assert_eq!(
            details_layout(summary),
            "=======================\nRequested Certificates:\n=======================\n\
             -------------------------\nRequested Certificate [1]\n-------------------------\n\
             Subject:        CN=req\n\
             =============================\nOracle Secret Store entries: \n=============================\n\
             oracle.security.client.username1\n\
             =====================\nTrusted Certificates:\n=====================\n\
             -----------------------\nTrusted Certificate [1]\n-----------------------\n\
             Subject:        O=Ex,CN=Root\n"
        );
    }

    #[test]
    fn new_password_rule_is_orapki_23ais() {
        assert!(check_new_password(&Password::new("short1".into())).is_err());
        assert!(check_new_password(&Password::new("abcdefghijk".into())).is_err());
        assert!(check_new_password(&Password::new("Welcome123".into())).is_ok());
        assert!(check_new_password(&Password::new("Welcome123Welcome123".into())).is_ok());
    }
}

/// How orapki reads a `-serial_num` (observed, 23ai): `remove` takes decimal digits as
/// decimal and anything else as hex; `export` matches a certificate whose serial is the
/// value read either way (so `4660` and `1234` both find serial 0x1234).
#[derive(Clone, Copy)]
pub(super) enum SerialReading {
    AsTyped,
    Hex,
}

impl SerialReading {
    /// The serial in the hex the native `--serial` takes.
    fn hex(self, serial: &str) -> Option<String> {
        let digits = !serial.is_empty() && serial.bytes().all(|b| b.is_ascii_digit());
        match self {
            SerialReading::AsTyped if digits => crate::pki::serial::parse_serial(serial)
                .ok()
                .map(hex::encode),
            _ => Some(serial.to_string()),
        }
    }
}
