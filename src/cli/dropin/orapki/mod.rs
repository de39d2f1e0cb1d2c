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
mod entries;
mod exchange;
mod jks;
mod secretstore;

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
        ["secretstore", rest @ ..] => secretstore::run(rest),
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

/// The wallet usage as a failure text (orapki answers an incomplete command with it).
fn wallet_usage_text() -> String {
    let text = usage::orapki_wallet();
    text.strip_suffix('\n').unwrap_or(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
