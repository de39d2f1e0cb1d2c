//! What `tcps init` made, when it expires, and what to do next: a serializable report
//! (`--json`) and its text form (printed on standard error).

use serde::Serialize;

/// The whole report. Never holds a password.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub out_dir: String,
    pub ca: CaSummary,
    pub server: ServerSummary,
    pub client: ClientSummary,
    pub dms: DmsSummary,
    /// `--client-auth`: the client identities (mutual TLS), each with its wallet and the
    /// database user that logs in with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub client_identities: Vec<super::client_auth::ClientIdentitySummary>,
    pub warnings: Vec<String>,
    pub next_steps: Vec<Step>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaSummary {
    pub subject: String,
    pub key_type: String,
    pub not_after: String,
    /// `None` when the server certificate was brought from elsewhere: no CA of ours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
    pub certificate_file: String,
    /// Where a brought server certificate came from (`--pkcs12`, `--key`, `--tls-secret`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_certificate_source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServerSummary {
    pub subject: String,
    pub subject_alt_names: Vec<String>,
    pub key_type: String,
    pub not_after: String,
    /// The wallet in the output directory.
    pub wallet_dir: String,
    /// Where the .ora files expect it on the database host.
    pub install_dir: String,
    pub wallet_type: &'static str,
    pub wallet_encryption: &'static str,
    pub listener_host: String,
    pub tcps_port: u16,
    pub tcp_port: Option<u16>,
    pub network_dir: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientSummary {
    pub wallet_dir: String,
    pub install_dir: String,
    pub wallet_type: &'static str,
    pub network_dir: String,
    pub alias: String,
    pub easy_connect: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DmsSummary {
    /// The file to upload: the client wallet's auto-login-only cwallet.sso.
    pub wallet_file: String,
    pub import_command: String,
    pub ssl_mode: &'static str,
}

/// One next step: what to do and the commands for it.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub title: String,
    pub commands: Vec<String>,
}

impl Summary {
    /// The report as text for a person.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let s = &self.server;
        let check = crate::changes::check_mode();
        if check {
            // --check: nothing is written; keys, serials and dates below are samples.
            out.push_str(&format!(
                "TCPS set-up that would be written to {} (--check: nothing written; keys and dates are samples)\n\n",
                self.out_dir
            ));
        } else {
            out.push_str(&format!("TCPS set-up written to {}\n\n", self.out_dir));
        }
        match (&self.ca.key_file, &self.ca.server_certificate_source) {
            (Some(key_file), _) => out.push_str(&format!(
                "  root CA      {}\n               {}, expires {}\n               key {} (0600: keep it offline), certificate {}\n",
                self.ca.subject, self.ca.key_type, self.ca.not_after, key_file, self.ca.certificate_file
            )),
            (None, source) => out.push_str(&format!(
                "  root CA      {} (the root of the server certificate's chain; no CA was made)\n               {}, expires {}\n               certificate {}{}\n",
                self.ca.subject,
                self.ca.key_type,
                self.ca.not_after,
                self.ca.certificate_file,
                source.as_ref().map(|s| format!(", server certificate from {s}")).unwrap_or_default()
            )),
        }
        out.push_str(&format!(
            "  server       {}\n               SANs {}\n               {}, expires {}\n               wallet {} ({}, {}), install in {}\n               Oracle Net files in {}\n",
            s.subject,
            s.subject_alt_names.join(", "),
            s.key_type,
            s.not_after,
            s.wallet_dir,
            s.wallet_type,
            s.wallet_encryption,
            s.install_dir,
            s.network_dir
        ));
        let c = &self.client;
        out.push_str(&format!(
            "  client       wallet {} ({} cwallet.sso + ewallet.pem), install in {}\n               Oracle Net files in {} (alias {})\n",
            c.wallet_dir, c.wallet_type, c.install_dir, c.network_dir, c.alias
        ));
        if let Some(ez) = &c.easy_connect {
            out.push_str(&format!("               Easy Connect: {ez}\n"));
        }
        out.push_str(&format!(
            "  AWS DMS      upload {} (SSL mode {})\n",
            self.dms.wallet_file, self.dms.ssl_mode
        ));
        if !self.client_identities.is_empty() {
            out.push_str("  mutual TLS   the listener requires a client certificate (SSL_CLIENT_AUTHENTICATION = TRUE)\n");
        }
        for c in &self.client_identities {
            out.push_str(&format!(
                "  client {:<6}{}\n               {}, expires {}\n               wallet {} (auto-login-only cwallet.sso + ewallet.pem)\n               database user: {}\n                              {}\n",
                c.name, c.subject, c.key_type, c.not_after, c.wallet_dir, c.create_user, c.grant
            ));
        }
        for w in &self.warnings {
            out.push_str(&format!("\nwarning: {w}\n"));
        }
        out.push_str(if check {
            "\nNext steps, once it is written (run again without --check):\n"
        } else {
            "\nNext steps:\n"
        });
        for (i, step) in self.next_steps.iter().enumerate() {
            out.push_str(&format!("\n{}. {}\n", i + 1, step.title));
            for cmd in &step.commands {
                out.push_str(&format!("     {cmd}\n"));
            }
        }
        out
    }
}
