//! Passwords as orapki and mkstore ask for them when `-pwd` is not given: a prompt on
//! standard output, the answer read from the terminal without echo, or one line of
//! standard input when that is a pipe (scripts feed `printf 'pw\npw\n' | orapki ...`).

use std::io::{BufRead, IsTerminal, Write};

use crate::secret::Password;

/// orapki's prompt for an existing wallet's password.
pub const WALLET_PASSWORD: &str = "Enter wallet password:";
/// orapki's prompts for a new password (create, change_pwd's new password).
pub const NEW_PASSWORD: &str = "Enter password:";
pub const NEW_PASSWORD_AGAIN: &str = "Enter password again:";

/// Prints `prompt` and reads one password; `None` at end of input.
pub fn ask(prompt: &str) -> Option<Password> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("{prompt} "))
            .ok()
            .map(Password::new);
    }
    print!("{prompt} ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line).ok()?;
    println!();
    if read == 0 {
        return None;
    }
    let trimmed = line.trim_end_matches(['\n', '\r']).to_string();
    line.clear();
    Some(Password::new(trimmed))
}
