//! orapki's `wallet create`, `display`, `add` and `remove`: the wallet itself and its
//! certificate entries, each translated to its native `orakit wallet` command.

use super::*;

impl Cx {
    pub(super) fn create(&self) -> Step {
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

    pub(super) fn display(&self) -> Step {
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

    pub(super) fn add(&self) -> Step {
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
    pub(super) fn selector(&self) -> Vec<String> {
        match self.opts.value("dn") {
            Some(dn) => vec!["--subject".into(), dn.into()],
            None => Vec::new(),
        }
    }

    /// `-alias NAME` (without `-dn`) as the native `--fingerprint` of the certificate orapki
    /// shows under that alias (its friendly name, else `CN=<common name>` as orapki's
    /// display names it); `Ok(None)` when there is no `-alias` or nothing matches.
    pub(super) fn alias_selector(
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

    pub(super) fn remove(&self) -> Step {
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
}
