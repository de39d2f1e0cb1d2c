//! orapki's Java key store commands: `jks_to_pkcs12` (native `wallet import --jks`) and
//! `pkcs12_to_jks` (native `wallet to-jks`), answered with orapki 23ai's texts (observed).

use super::*;

/// orapki's answers for a key store it cannot open (Java's exception texts, as it prints them).
const TAMPERED: &str =
    "Exception : java.io.IOException: Keystore was tampered with, or password was incorrect";
const NOT_JKS: &str = "Exception : java.io.IOException: Invalid keystore format";

/// JCEKS's magic number: orapki opens key stores as "JKS", which refuses JCEKS.
const JCEKS_MAGIC: [u8; 4] = [0xCE, 0xCE, 0xCE, 0xCE];

impl Cx {
    pub(super) fn jks_to_pkcs12(&self) -> Step {
        let Some(keystore) = self.opts.value("keystore") else {
            return Err(Failure(
                "PKI-01001: Missing arguments in the command: -keystore".into(),
            ));
        };
        if !Path::new(&self.dir).is_dir() {
            return Err(Failure(format!(
                "PKI-02006: The specified directory does not exist: {}",
                self.dir
            )));
        }
        let Ok(head) = std::fs::read(keystore) else {
            return Err(Failure(
                "PKI-02020: Incorrect path for JKS keystore.".into(),
            ));
        };
        let jks_password = match self.opts.value("jkspwd") {
            Some(p) => Password::new(p.into()),
            None => prompt::ask("Enter Key store password:").unwrap_or_default(),
        };
        if head.starts_with(&JCEKS_MAGIC) {
            return Err(Failure(NOT_JKS.into()));
        }
        let password = self.wallet_password()?;
        // `-aliases a:b` imports the named entries only, one native import each.
        let aliases: Vec<Option<&str>> = match self.opts.value("aliases") {
            Some(list) => list
                .split(':')
                .filter(|a| !a.is_empty())
                .map(Some)
                .collect(),
            None => vec![None],
        };
        for alias in aliases {
            let mut args = vec![
                "--jks".to_string(),
                keystore.into(),
                "--jks-password-env".into(),
                OTHER_PW.into(),
            ];
            if let Some(a) = alias {
                args.extend(["--jks-alias".into(), a.into()]);
            }
            let mut argv: Vec<String> = vec![
                "wallet".into(),
                "import".into(),
                "--wallet".into(),
                self.dir.clone(),
                // orapki refuses an alias the wallet already has (PKI-04008), no rerun no-op.
                "--refuse-held".into(),
            ];
            argv.extend(args);
            let mut secrets = vec![(OTHER_PW, &jks_password)];
            if let Some(p) = &password {
                argv.extend(["--password-env".into(), WALLET_PW.into()]);
                secrets.push((WALLET_PW, p));
            }
            let run = native::run(&argv, &secrets);
            if !run.ok {
                let text = run.error_text();
                if text.contains("key store password is wrong") {
                    return Err(Failure(TAMPERED.into()));
                }
                if text.contains("not a Java key store") {
                    return Err(Failure(NOT_JKS.into()));
                }
                if let Some(a) = alias
                    && text.contains("no entry named")
                {
                    return Err(Failure(format!("Invalid alias : {a}")));
                }
                if text.contains("already holds this private key")
                    || (text.contains("friendly name") && text.contains("already"))
                {
                    return Err(Failure(format!(
                        "PKI-04008: An entry with the specified alias already exists in the wallet. {}",
                        alias.unwrap_or("")
                    )));
                }
                return Err(self.failure(&run));
            }
        }
        println!("{SUCCESS}");
        Ok(())
    }

    pub(super) fn pkcs12_to_jks(&self) -> Step {
        let keystore = self.opts.value("jksKeyStoreLoc");
        let truststore = self.opts.value("jksTrustStoreLoc");
        let mut warned = false;
        // Each store's password obeys orapki's rule for new passwords; a prompted one that
        // fails it is reported with orapki's "Unable to perform operation :" prefix.
        let mut store_password =
            |given: Option<&str>, prompt_text: &str| -> Result<Password, Failure> {
                let (password, prompted) = match given {
                    Some(p) => (Password::new(p.into()), false),
                    None => (prompt::ask(prompt_text).unwrap_or_default(), true),
                };
                match check_store_password(&password, &mut warned) {
                    Ok(()) => Ok(password),
                    Err(Failure(text)) if prompted => {
                        Err(Failure(format!("Unable to perform operation :{text}")))
                    }
                    Err(f) => Err(f),
                }
            };
        let ks_password = match keystore {
            Some(_) => Some(store_password(
                self.opts.value("jksKeyStorepwd"),
                "Enter Key store password:",
            )?),
            None => None,
        };
        let ts_password = match truststore {
            Some(_) => Some(store_password(
                self.opts.value("jksTrustStorepwd"),
                "Enter Trust store password:",
            )?),
            None => None,
        };
        let (Some(keystore), Some(ks_password)) = (keystore, ks_password) else {
            return Err(Failure(
                "PKI-07013: Unable to migrate to jks. Key store location is required".into(),
            ));
        };
        let password = self.wallet_password()?;
        let mut argv: Vec<String> = vec![
            "wallet".into(),
            "to-jks".into(),
            "--wallet".into(),
            self.dir.clone(),
            "--keystore".into(),
            keystore.into(),
            "--jks-password-env".into(),
            OTHER_PW.into(),
            // orapki replaces existing files without asking.
            "--force".into(),
        ];
        let mut secrets = vec![(OTHER_PW, &ks_password)];
        if let (Some(ts), Some(p)) = (truststore, ts_password.as_ref()) {
            argv.extend([
                "--truststore".into(),
                ts.into(),
                "--truststore-password-env".into(),
                NEW_PW.into(),
            ]);
            secrets.push((NEW_PW, p));
        }
        if let Some(p) = &password {
            argv.extend(["--password-env".into(), WALLET_PW.into()]);
            secrets.push((WALLET_PW, p));
        }
        let run = native::run(&argv, &secrets);
        if !run.ok {
            if run.error_text().contains("wrong password") {
                return Err(Failure(
                    "Unable to perform operation :Invalid padding string (or incorrect password)"
                        .into(),
                ));
            }
            return Err(self.failure(&run));
        }
        println!("{SUCCESS}");
        Ok(())
    }
}

/// orapki's rule for a new key store password (the wallet rule); the under-16 warning is
/// printed once however many passwords are short (observed).
fn check_store_password(password: &Password, warned: &mut bool) -> Step {
    if password.char_count() >= 8 && password.char_count() < 16 && *warned {
        // Already warned: check the rest of the rule without printing the warning again.
        let text = password.as_str();
        let ok = text.chars().any(char::is_alphabetic) && text.chars().any(|c| !c.is_alphabetic());
        return if ok {
            Ok(())
        } else {
            check_new_password(password)
        };
    }
    let short = password.char_count() < 16;
    check_new_password(password)?;
    *warned |= short;
    Ok(())
}
