//! Runs a native `orakit wallet ...` command for the front end: this same binary as a child
//! process, so the native command's own checks, locking and atomic writes do the work and
//! its messages can be turned into Oracle's. Passwords travel in the child's environment
//! (readable only by the same user), never on its argv.

use std::process::{Command, Stdio};

use crate::secret::Password;

/// The native command's result.
#[derive(Debug)]
pub struct NativeRun {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl NativeRun {
    /// The native error text without its `error: ` prefix (first error line).
    pub fn error_text(&self) -> String {
        self.stderr
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or_else(|| self.stderr.lines().last().unwrap_or(""))
            .to_string()
    }
}

/// Environment variable names the front end hands passwords over in.
pub const WALLET_PW: &str = "ORAKIT_DROPIN_WALLET_PASSWORD";
pub const NEW_PW: &str = "ORAKIT_DROPIN_NEW_PASSWORD";
pub const OTHER_PW: &str = "ORAKIT_DROPIN_OTHER_PASSWORD";
pub const SECRET: &str = "ORAKIT_DROPIN_SECRET";

/// Runs `orakit <args>` with the given secrets in the environment.
pub fn run(args: &[String], secrets: &[(&str, &Password)]) -> NativeRun {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            return NativeRun {
                ok: false,
                stdout: String::new(),
                stderr: format!("error: cannot find the orakit binary: {e}"),
            };
        }
    };
    let mut command = Command::new(exe);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, secret) in secrets {
        command.env(name, secret.as_str());
    }
    match command.output() {
        Ok(out) => NativeRun {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
        Err(e) => NativeRun {
            ok: false,
            stdout: String::new(),
            stderr: format!("error: cannot run the native orakit command: {e}"),
        },
    }
}

/// Runs `orakit wallet SUB --wallet DIR ARGS` for the secret-store front ends (mkstore,
/// orapki secretstore): the wallet password and a secret to store in the environment,
/// and `--refuse-existing` with a secret, since both Oracle tools refuse an entry that
/// exists whatever its value (no rerun no-op there).
pub fn secret_store(
    dir: &str,
    sub: &[&str],
    args: &[String],
    password: Option<&Password>,
    secret: Option<&Password>,
) -> NativeRun {
    let mut argv: Vec<String> = ["wallet"]
        .iter()
        .chain(sub)
        .map(|s| s.to_string())
        .collect();
    argv.extend(["--wallet".into(), dir.to_string()]);
    argv.extend(args.iter().cloned());
    let mut secrets = Vec::new();
    if let Some(p) = password {
        argv.extend(["--password-env".into(), WALLET_PW.into()]);
        secrets.push((WALLET_PW, p));
    }
    if let Some(s) = secret {
        argv.extend(["--secret-env".into(), SECRET.into()]);
        secrets.push((SECRET, s));
        argv.push("--refuse-existing".into());
    }
    run(&argv, &secrets)
}

/// Oracle's text for a wrong wallet password (both mkstore and orapki print it).
pub const WRONG_PASSWORD: &str = "Invalid padding string (or incorrect password)";

/// `--password-env VAR` when a password is handed over, else nothing.
pub fn password_flag(args: &mut Vec<String>, flag: &str, var: &str, given: bool) {
    if given {
        args.push(flag.to_string());
        args.push(var.to_string());
    }
}
