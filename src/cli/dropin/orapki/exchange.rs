//! orapki's commands that move keys and certificates in and out of a wallet: export,
//! export_trust_chain, export_private_key, import_private_key, import_pkcs12, replace,
//! and the trust-flag commands, each translated to its native `orakit wallet` command.

use super::*;

impl Cx {
    pub(super) fn export(&self) -> Step {
        let (sub, out) = match (self.opts.value("cert"), self.opts.value("request")) {
            (Some(out), None) => ("export-cert", out),
            (None, Some(out)) => ("export-request", out),
            _ => return Err(Failure(wallet_usage_text())),
        };
        // Reading only: orapki opens cwallet.sso without asking when there is one.
        let password = if self.opts.value(PWD).is_none() && self.sso() {
            None
        } else {
            self.wallet_password()?
        };
        let no_match =
            || Failure("Please check DN, could not found certificate with matching DN.".into());
        if sub == "export-cert"
            && self.opts.value("dn").is_none()
            && self.opts.value("alias").is_none()
        {
            return Err(Failure("Please provide DN or alias".into()));
        }
        let mut args = if sub == "export-cert" {
            match self.alias_selector(None, password.as_ref())? {
                Some(_) => vec![
                    "--alias".into(),
                    self.opts.value("alias").unwrap_or("").into(),
                ],
                None if self.opts.value("alias").is_some() && self.opts.value("dn").is_none() => {
                    return Err(no_match());
                }
                None => self.selector(),
            }
        } else {
            self.selector()
        };
        args.extend(["--out".into(), out.into(), "--force".into()]);
        let run = if sub == "export-cert" && self.opts.value("dn").is_some() {
            // -issuer_dn and -serial_num narrow the choice; a serial of decimal digits
            // matches read as decimal or as hex (observed, 23ai): the second reading is
            // tried when the first finds nothing.
            let first = [args.clone(), self.issuer_serial(SerialReading::AsTyped)].concat();
            let run = self.native(&[sub], &first, password.as_ref());
            let second = [args, self.issuer_serial(SerialReading::Hex)].concat();
            if !run.ok && run.error_text().contains("matches") && second != first {
                self.native(&[sub], &second, password.as_ref())
            } else {
                run
            }
        } else {
            self.native(&[sub], &args, password.as_ref())
        };
        if !run.ok {
            let text = run.error_text();
            if text.contains("matches") || text.contains("no pending request") {
                return Err(Failure(
                    "Please check DN, could not found certificate with matching DN.".into(),
                ));
            }
            return Err(self.failure(&run));
        }
        println!("{SUCCESS}");
        Ok(())
    }
    pub(super) fn export_trust_chain(&self) -> Step {
        let Some(out) = self.opts.value("certchain") else {
            return Err(Failure(wallet_usage_text()));
        };
        let mut args = self.selector();
        if let Some(alias) = self.opts.value("alias") {
            args.extend(["--alias".into(), alias.into()]);
        }
        args.extend([
            "--out".into(),
            out.into(),
            "--format".into(),
            "pkcs7".into(),
            "--force".into(),
        ]);
        let password = self.wallet_password()?;
        let run = self.native(&["export-chain"], &args, password.as_ref());
        if !run.ok {
            return Err(self.failure(&run));
        }
        relabel_pkcs7_as_certificate(Path::new(out)).map_err(Failure)?;
        println!("{SUCCESS}");
        Ok(())
    }
    pub(super) fn export_private_key(&self) -> Step {
        let Some(out) = self.opts.value("pvtkeyfile") else {
            return Err(Failure(wallet_usage_text()));
        };
        // orapki never writes the key unencrypted: without -pvtkeypwd it asks for a new
        // password (observed with 23ai), before it looks at -alias.
        let key_password = match self.opts.value("pvtkeypwd") {
            Some(p) => Password::new(p.into()),
            None => ask_new_key_password()?,
        };
        let Some(alias) = self.opts.value("alias") else {
            return Err(Failure(
                "PKI-07018: Operation is unsuccessful. Alias is missing.".into(),
            ));
        };
        let args = vec![
            "--out".to_string(),
            out.to_string(),
            "--force".into(),
            "--alias".into(),
            alias.into(),
            "--key-password-env".into(),
            OTHER_PW.into(),
        ];
        let password = self.wallet_password()?;
        let mut argv: Vec<String> = vec![
            "wallet".into(),
            "export-key".into(),
            "--wallet".into(),
            self.dir.clone(),
        ];
        argv.extend(args);
        let mut secrets = Vec::new();
        if let Some(p) = &password {
            argv.extend(["--password-env".into(), WALLET_PW.into()]);
            secrets.push((WALLET_PW, p));
        }
        secrets.push((OTHER_PW, &key_password));
        self.finish(native::run(&argv, &secrets))
    }
    pub(super) fn import_private_key(&self) -> Step {
        let (Some(key), Some(cert)) = (self.opts.value("pvtkeyfile"), self.opts.value("cert"))
        else {
            return Err(Failure(wallet_usage_text()));
        };
        // orapki imports only an encrypted PKCS#8 key (`ENCRYPTED PRIVATE KEY`).
        let encrypted = std::fs::read_to_string(key)
            .map(|t| t.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
            .unwrap_or(false);
        if !encrypted {
            return Err(Failure(
                "PKI-07014: Unable to import private key. Header not present in private key".into(),
            ));
        }
        let mut argv: Vec<String> = vec![
            "wallet".into(),
            "import".into(),
            "--wallet".into(),
            self.dir.clone(),
            "--key".into(),
            key.into(),
            "--cert".into(),
            cert.into(),
        ];
        if let Some(ca) = self.opts.value("cacert") {
            argv.extend(["--chain".into(), ca.into()]);
        }
        if let Some(alias) = self.opts.value("alias") {
            argv.extend(["--alias".into(), alias.into()]);
        }
        let password = self.wallet_password()?;
        let key_password = match self.opts.value("pvtkeypwd") {
            Some(p) => Some(Password::new(p.into())),
            None => prompt::ask("Enter private key password:"),
        };
        let mut secrets = Vec::new();
        if let Some(p) = &password {
            argv.extend(["--password-env".into(), WALLET_PW.into()]);
            secrets.push((WALLET_PW, p));
        }
        if let Some(k) = &key_password {
            argv.extend(["--key-password-env".into(), OTHER_PW.into()]);
            secrets.push((OTHER_PW, k));
        }
        self.finish(native::run(&argv, &secrets))
    }
    pub(super) fn import_pkcs12(&self) -> Step {
        let Some(file) = self.opts.value("pkcs12file") else {
            return Err(Failure(wallet_usage_text()));
        };
        let password = self.wallet_password()?;
        let pfx_password = match self.opts.value("pkcs12pwd") {
            Some(p) => Password::new(p.into()),
            None => prompt::ask("Enter pkcs12 password:").unwrap_or_default(),
        };
        let mut argv: Vec<String> = vec![
            "wallet".into(),
            "import".into(),
            "--wallet".into(),
            self.dir.clone(),
            "--pkcs12".into(),
            file.into(),
            "--pkcs12-password-env".into(),
            OTHER_PW.into(),
        ];
        // orapki names the imported key `orakey<N>`, N the keys the wallet held before
        // (observed: orakey0, then orakey1).
        let listing = self.native(&["display"], &["--json".into()], password.as_ref());
        if !listing.ok {
            return Err(self.failure(&listing));
        }
        let held = serde_json::from_str::<serde_json::Value>(&listing.stdout)
            .ok()
            .and_then(|r| r["private_keys"].as_array().map(Vec::len))
            .unwrap_or(0);
        argv.extend(["--alias".into(), format!("orakey{held}")]);
        let mut secrets = vec![(OTHER_PW, &pfx_password)];
        if let Some(p) = &password {
            argv.extend(["--password-env".into(), WALLET_PW.into()]);
            secrets.push((WALLET_PW, p));
        }
        let run = native::run(&argv, &secrets);
        if !run.ok {
            return Err(self.failure(&run));
        }
        println!("orapki command import_pkcs12 executed successfully.");
        Ok(())
    }
    pub(super) fn replace(&self) -> Step {
        let Some(cert) = self.opts.value("cert") else {
            return Err(Failure(wallet_usage_text()));
        };
        let kind = if self.opts.has("trusted_cert") {
            "trusted"
        } else {
            "user"
        };
        let mut args = vec![
            "--cert".to_string(),
            cert.into(),
            "--kind".into(),
            kind.into(),
        ];
        if let Some(issuer) = self.opts.value("issuer_dn") {
            args.extend(["--issuer".into(), issuer.into()]);
        }
        if let Some(serial) = self.opts.value("serial_num") {
            args.extend(["--serial".into(), serial.into()]);
        }
        self.change(&["replace"], &args)
    }
    pub(super) fn enable_trust_flags(&self) -> Step {
        let mut args = vec!["--enable".to_string()];
        if self.opts.has("untrust_all") {
            args.push("--untrust-all".into());
        }
        self.change(&["trust-flags"], &args)
    }
    pub(super) fn assign_trust_flags(&self) -> Step {
        let Some(flags) = self.opts.value("trust_flags") else {
            return Err(Failure(wallet_usage_text()));
        };
        let mut args = vec!["--set".to_string(), flags.into()];
        args.extend(self.selector());
        if let Some(issuer) = self.opts.value("issuer") {
            args.extend(["--issuer".into(), issuer.into()]);
        }
        if let Some(serial) = self.opts.value("serial_num") {
            args.extend(["--serial".into(), serial.into()]);
        }
        self.change(&["trust-flags"], &args)
    }
}

/// export_private_key's prompts for the new key password: orapki's rule for new passwords,
/// two tries, then its MaxRetryException line on standard error.
fn ask_new_key_password() -> Result<Password, Failure> {
    println!("Private key password:");
    for _ in 0..2 {
        let first = prompt::ask(prompt::NEW_PASSWORD).unwrap_or_default();
        if let Err(Failure(text)) = check_new_password(&first) {
            println!("{text}");
            continue;
        }
        let again = prompt::ask(prompt::NEW_PASSWORD_AGAIN).unwrap_or_default();
        if again != first {
            return Err(Failure("PKI-01003: Passwords did not match.".into()));
        }
        return Ok(first);
    }
    eprintln!("Caught MaxRetryException: Exceeded maximum allowed password retry limit");
    Err(Failure(String::new()))
}

/// orapki 23ai writes export_trust_chain's PKCS#7 under a `CERTIFICATE` PEM label (observed);
/// the native command writes the standard `PKCS7` label. Rewritten in place, atomically.
fn relabel_pkcs7_as_certificate(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let relabelled = text
        .replace("-----BEGIN PKCS7-----", "-----BEGIN CERTIFICATE-----")
        .replace("-----END PKCS7-----", "-----END CERTIFICATE-----");
    // The project's one atomic writer (random temporary name, fsync, rename): a fixed
    // staging name beside the output could be planted by another user.
    crate::fsio::write_atomic(
        path,
        relabelled.as_bytes(),
        crate::fsio::MODE_PUBLIC,
        crate::fsio::Overwrite::Allow,
    )
    .map_err(|e| e.to_string())
}
