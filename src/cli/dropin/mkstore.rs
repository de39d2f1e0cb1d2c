//! `mkstore -wrl DIR -COMMAND ...`: Oracle's secret-store tool translated to the native
//! `orakit wallet create|convert|secret|credential ...` commands. mkstore reads the wallet
//! password from the terminal or standard input (it has no option for it), prints nothing
//! on success, and its errors on standard output with exit 255.

use std::path::Path;

use super::native::{self, NativeRun, WALLET_PW};
use super::prompt;
use super::usage;
use super::{ORACLE_FAILED, Tool, banner, warn_password_on_argv};
use crate::secret::Password;

/// One mkstore command and its positional words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Create,
    CreateSso,
    CreateLsso,
    CreateAlo,
    Delete,
    DeleteSso,
    List,
    CreateEntry(String, Option<String>),
    ViewEntry(String),
    ModifyEntry(String, Option<String>),
    DeleteEntry(String),
    CreateCredential(String, String, Option<String>),
    ListCredential,
    ModifyCredential(String, String, Option<String>),
    DeleteCredential(String),
    /// `-createUserCredential map key [username] [password]` (mkstore 23ai).
    CreateUserCredential(String, String, String, Option<String>),
    ModifyUserCredential(String, String, String, Option<String>),
    DeleteUserCredential(String, String),
}

/// What the command line says: the wallet location and the commands, in order.
#[derive(Debug, Default)]
struct Line {
    wrl: Option<String>,
    ops: Vec<Op>,
    help: bool,
}

/// Why a command line cannot be read.
#[derive(Debug, PartialEq, Eq)]
enum LineError {
    /// mkstore's usage answer (a missing value).
    Usage,
    /// A word that is no mkstore command: `Invalid command: WORD`.
    Invalid(String),
    /// Too few words after a command: `PKI-01001: Missing arguments in the command: WORD`.
    Missing(String),
}

/// Reads mkstore's command line.
fn parse(args: &[String]) -> Result<Line, LineError> {
    let mut line = Line::default();
    let mut i = 0;
    // The words after an option up to the next `-word`.
    let take = |i: &mut usize, max: usize| -> Vec<String> {
        let mut out = Vec::new();
        while out.len() < max && *i < args.len() && !args[*i].starts_with('-') {
            out.push(args[*i].clone());
            *i += 1;
        }
        out
    };
    while i < args.len() {
        let word = args[i].as_str();
        i += 1;
        let op = match word {
            "-nologo" => continue,
            "-help" => {
                line.help = true;
                continue;
            }
            "-wrl" => {
                line.wrl = Some(args.get(i).ok_or(LineError::Usage)?.clone());
                i += 1;
                continue;
            }
            "-create" => Op::Create,
            "-createSSO" => Op::CreateSso,
            "-createLSSO" => Op::CreateLsso,
            "-createALO" => Op::CreateAlo,
            "-delete" => Op::Delete,
            "-deleteSSO" => Op::DeleteSso,
            "-list" => Op::List,
            "-listCredential" => Op::ListCredential,
            "-createEntry" | "-modifyEntry" => {
                let w = take(&mut i, 2);
                let alias = w.first().ok_or(LineError::Usage)?.clone();
                let secret = w.get(1).cloned();
                if word == "-createEntry" {
                    Op::CreateEntry(alias, secret)
                } else {
                    Op::ModifyEntry(alias, secret)
                }
            }
            "-viewEntry" | "-deleteEntry" | "-deleteCredential" => {
                let alias = take(&mut i, 1).pop().ok_or(LineError::Usage)?;
                match word {
                    "-viewEntry" => Op::ViewEntry(alias),
                    "-deleteEntry" => Op::DeleteEntry(alias),
                    _ => Op::DeleteCredential(alias),
                }
            }
            "-createCredential" | "-modifyCredential" => {
                let w = take(&mut i, 3);
                if w.len() < 2 {
                    return Err(LineError::Usage);
                }
                let (cs, user, pw) = (w[0].clone(), w[1].clone(), w.get(2).cloned());
                if word == "-createCredential" {
                    Op::CreateCredential(cs, user, pw)
                } else {
                    Op::ModifyCredential(cs, user, pw)
                }
            }
            "-createUserCredential" | "-modifyUserCredential" => {
                let w = take(&mut i, 4);
                if w.len() < 3 {
                    // mkstore names the last word it got (observed: `map key` alone).
                    return Err(match w.last() {
                        Some(last) => LineError::Missing(last.clone()),
                        None => LineError::Usage,
                    });
                }
                let (map, key, user, pw) =
                    (w[0].clone(), w[1].clone(), w[2].clone(), w.get(3).cloned());
                if word == "-createUserCredential" {
                    Op::CreateUserCredential(map, key, user, pw)
                } else {
                    Op::ModifyUserCredential(map, key, user, pw)
                }
            }
            "-deleteUserCredential" => {
                let w = take(&mut i, 2);
                if w.len() < 2 {
                    return Err(match w.last() {
                        Some(last) => LineError::Missing(last.clone()),
                        None => LineError::Usage,
                    });
                }
                Op::DeleteUserCredential(w[0].clone(), w[1].clone())
            }
            other if other.starts_with('-') => return Err(LineError::Invalid(other.to_string())),
            _ => return Err(LineError::Usage),
        };
        line.ops.push(op);
    }
    Ok(line)
}

pub fn run(args: &[String]) -> u8 {
    if !args.iter().any(|a| a == "-nologo") {
        banner(Tool::Mkstore);
    }
    let line = match parse(args) {
        Ok(line) => line,
        Err(LineError::Invalid(word)) => {
            println!("Invalid command: {word}");
            return ORACLE_FAILED;
        }
        Err(LineError::Missing(word)) => {
            println!("PKI-01001: Missing arguments in the command: {word}");
            return ORACLE_FAILED;
        }
        Err(LineError::Usage) => {
            if !args.iter().any(|a| a == "-wrl") {
                println!("No wallet location specified. ");
            }
            print!("{}", usage::MKSTORE);
            return ORACLE_FAILED;
        }
    };
    if line.help {
        print!("{}", usage::MKSTORE);
        return 0;
    }
    let Some(wrl) = line.wrl else {
        println!("No wallet location specified. ");
        print!("{}", usage::MKSTORE);
        return ORACLE_FAILED;
    };
    if line.ops.is_empty() {
        print!("{}", usage::MKSTORE);
        return 0;
    }
    let on_argv = line.ops.iter().any(|op| {
        matches!(
            op,
            Op::CreateEntry(_, Some(_))
                | Op::ModifyEntry(_, Some(_))
                | Op::CreateCredential(_, _, Some(_))
                | Op::ModifyCredential(_, _, Some(_))
                | Op::CreateUserCredential(_, _, _, Some(_))
                | Op::ModifyUserCredential(_, _, _, Some(_))
        )
    });
    if on_argv {
        warn_password_on_argv(&format!(
            "orakit wallet credential|user-credential add|modify / secret create|modify --wallet {wrl} --secret-env VAR --password-env VAR"
        ));
    }
    let store = Store {
        dir: wrl,
        password: None,
    };
    let mut store = store;
    for op in &line.ops {
        if let Err(text) = store.apply(op) {
            println!("{text}");
            return ORACLE_FAILED;
        }
    }
    0
}

struct Store {
    dir: String,
    /// Asked once and reused by every command of the line, as mkstore does.
    password: Option<Password>,
}

impl Store {
    fn p12(&self) -> bool {
        Path::new(&self.dir).join("ewallet.p12").is_file()
    }

    fn sso(&self) -> bool {
        Path::new(&self.dir).join("cwallet.sso").is_file()
    }

    /// The wallet password, asked on first use; none for an auto-login-only wallet.
    fn password(&mut self) -> Option<Password> {
        if !self.p12() && self.sso() {
            return None;
        }
        if self.password.is_none() {
            self.password = prompt::ask(prompt::WALLET_PASSWORD);
        }
        self.password.clone()
    }

    fn native(
        &mut self,
        sub: &[&str],
        args: &[String],
        secret: Option<&Password>,
    ) -> Result<NativeRun, String> {
        let password = self.password();
        let run = native::secret_store(&self.dir, sub, args, password.as_ref(), secret);
        if run.ok {
            Ok(run)
        } else if run.error_text().contains("wrong password") {
            Err(native::WRONG_PASSWORD.into())
        } else {
            Err(run.error_text())
        }
    }

    /// A secret given on the line, else mkstore's prompt for it, asked again while the
    /// two answers differ (mkstore: `PKI-03003: Secrets did not match.`), three times at most.
    fn secret(given: &Option<String>) -> Password {
        if let Some(s) = given {
            return Password::new(s.clone());
        }
        println!("Your secret/Password is missing in the command line ");
        let mut first = Password::default();
        for _ in 0..3 {
            first = prompt::ask("Enter your secret/Password:").unwrap_or_default();
            let again = prompt::ask("Re-enter your secret/Password:").unwrap_or_default();
            if again == first {
                break;
            }
            println!("PKI-03003: Secrets did not match. ");
        }
        first
    }

    fn apply(&mut self, op: &Op) -> Result<(), String> {
        match op {
            Op::Create => {
                let first = prompt::ask(prompt::NEW_PASSWORD).unwrap_or_default();
                if first.char_count() < 16 && !usage::is_19c() {
                    println!(
                        "Warning: For security reasons, passwords must have at least 16 characters."
                    );
                }
                let again = prompt::ask(prompt::NEW_PASSWORD_AGAIN).unwrap_or_default();
                if first != again {
                    return Err("PKI-01003: Passwords did not match.".into());
                }
                self.password = Some(first.clone());
                let argv: Vec<String> = vec![
                    "wallet".into(),
                    "create".into(),
                    "--wallet".into(),
                    self.dir.clone(),
                    "--auto-login".into(),
                    "--target".into(),
                    usage::target(),
                    "--password-env".into(),
                    WALLET_PW.into(),
                ];
                let run = native::run(&argv, &[(WALLET_PW, &first)]);
                if run.ok {
                    Ok(())
                } else {
                    Err(run.error_text())
                }
            }
            Op::CreateAlo => {
                let argv: Vec<String> = vec![
                    "wallet".into(),
                    "create".into(),
                    "--wallet".into(),
                    self.dir.clone(),
                    "--auto-login-only".into(),
                    "--target".into(),
                    usage::target(),
                ];
                let run = native::run(&argv, &[]);
                if run.ok {
                    Ok(())
                } else {
                    Err(run.error_text())
                }
            }
            Op::CreateSso => self.convert("auto-login"),
            Op::CreateLsso => self.convert("auto-login-local"),
            Op::DeleteSso => self.convert("password"),
            Op::Delete => {
                // The password must open the wallet before it goes. mkstore 23ai deletes
                // ewallet.p12 only and leaves cwallet.sso (observed).
                self.native(&["secret", "list"], &[], None)?;
                let path = Path::new(&self.dir).join("ewallet.p12");
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))
            }
            Op::List => {
                // mkstore lists the aliases sorted, after its header line.
                let run = self.native(&["secret", "list"], &[], None)?;
                let mut lines = run.stdout.lines();
                if let Some(header) = lines.next() {
                    println!("{header}");
                }
                let mut aliases: Vec<&str> = lines.collect();
                aliases.sort_unstable();
                for alias in aliases {
                    println!("{alias}");
                }
                Ok(())
            }
            Op::ViewEntry(alias) => {
                let run = self.native(
                    &["secret", "view"],
                    &["--alias".into(), alias.clone()],
                    None,
                )?;
                print!("{}", run.stdout);
                Ok(())
            }
            Op::CreateEntry(alias, secret) | Op::ModifyEntry(alias, secret) => {
                let sub = if matches!(op, Op::CreateEntry(..)) {
                    "create"
                } else {
                    "modify"
                };
                // mkstore asks for a missing secret before the wallet password (observed).
                let secret = Self::secret(secret);
                self.native(
                    &["secret", sub],
                    &["--alias".into(), alias.clone()],
                    Some(&secret),
                )
                .map(drop)
            }
            Op::DeleteEntry(alias) => self
                .native(
                    &["secret", "delete"],
                    &["--alias".into(), alias.clone()],
                    None,
                )
                .map(drop),
            Op::CreateCredential(cs, user, pw) | Op::ModifyCredential(cs, user, pw) => {
                let sub = if matches!(op, Op::CreateCredential(..)) {
                    "add"
                } else {
                    "modify"
                };
                // mkstore asks for a missing secret before the wallet password (observed).
                let secret = Self::secret(pw);
                let args = vec![
                    "--connect-string".into(),
                    cs.clone(),
                    "--username".into(),
                    user.clone(),
                ];
                self.native(&["credential", sub], &args, Some(&secret))
                    .map(drop)
            }
            Op::ListCredential => {
                // mkstore 23ai lists the credentials last index first (observed).
                let run = self.native(&["credential", "list"], &[], None)?;
                let mut lines = run.stdout.lines();
                if let Some(header) = lines.next() {
                    println!("{header}");
                }
                for line in lines.rev() {
                    println!("{line}");
                }
                Ok(())
            }
            Op::CreateUserCredential(map, key, user, pw)
            | Op::ModifyUserCredential(map, key, user, pw) => {
                let sub = if matches!(op, Op::CreateUserCredential(..)) {
                    "add"
                } else {
                    "modify"
                };
                // mkstore asks for a missing secret before the wallet password (observed).
                let secret = Self::secret(pw);
                let args = vec![
                    "--map".into(),
                    map.clone(),
                    "--key".into(),
                    key.clone(),
                    "--user".into(),
                    user.clone(),
                ];
                let mut done = self.native(&["user-credential", sub], &args, Some(&secret));
                // mkstore 23ai's -modifyUserCredential creates a missing entry (observed).
                if sub == "modify"
                    && let Err(e) = &done
                    && user_credential_error(e, map, key).contains("PKI-03007")
                {
                    done = self.native(&["user-credential", "add"], &args, Some(&secret));
                }
                done.map(drop)
                    .map_err(|e| user_credential_error(&e, map, key))
            }
            Op::DeleteUserCredential(map, key) => self
                .native(
                    &["user-credential", "delete"],
                    &["--map".into(), map.clone(), "--key".into(), key.clone()],
                    None,
                )
                .map(drop)
                .map_err(|e| user_credential_error(&e, map, key)),
            Op::DeleteCredential(cs) => self
                .native(
                    &["credential", "delete"],
                    &["--connect-string".into(), cs.clone()],
                    None,
                )
                .map(drop),
        }
    }

    fn convert(&mut self, to: &str) -> Result<(), String> {
        self.native(
            &["convert"],
            &["--to".into(), to.into(), "--target".into(), usage::target()],
            None,
        )
        .map(drop)
    }
}

/// mkstore's texts for a user credential that is already there or missing.
fn user_credential_error(native: &str, map: &str, key: &str) -> String {
    let lower = native.to_ascii_lowercase();
    if lower.contains("already") {
        format!(
            "Secret Store error occurred: oracle.security.pki.exception.OracleSecretAlreadyExistsException: PKI-03006: An entry already exists for map {map} and key {key}"
        )
    } else if lower.contains("no user credential")
        || lower.contains("not found")
        || lower.contains("no such")
        || lower.contains("does not")
    {
        format!(
            "Secret Store error occurred: oracle.security.pki.exception.OracleSecretNotFoundException: PKI-03007: An entry does not exist for map {map} and key {key}"
        )
    } else {
        native.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn reads_mkstore_lines() {
        let line = parse(&words("-wrl /w -createCredential db1 scott tiger -nologo")).unwrap();
        assert_eq!(line.wrl.as_deref(), Some("/w"));
        assert_eq!(
            line.ops,
            vec![Op::CreateCredential(
                "db1".into(),
                "scott".into(),
                Some("tiger".into())
            )]
        );
        let line = parse(&words("-wrl /w -createEntry foo")).unwrap();
        assert_eq!(line.ops, vec![Op::CreateEntry("foo".into(), None)]);
        assert_eq!(
            parse(&words("-wrl /w -bogus")).unwrap_err(),
            LineError::Invalid("-bogus".into())
        );
        assert!(parse(&words("-wrl /w -deleteCredential")).is_err());
        let line = parse(&words("-wrl /w -createUserCredential m k scott")).unwrap();
        assert_eq!(
            line.ops,
            vec![Op::CreateUserCredential(
                "m".into(),
                "k".into(),
                "scott".into(),
                None
            )]
        );
        assert_eq!(
            parse(&words("-wrl /w -createUserCredential m k5")).unwrap_err(),
            LineError::Missing("k5".into())
        );
    }
}
