//! `sqlnet.ora` for a TCPS server and for its clients (spec §3.2, §3.8).
//!
//! Server: `WALLET_LOCATION` (the server needs it beside the listener's or clients get
//! ORA-28865 after the handshake), one-way TLS, TLS 1.2 (+1.3 where the release has it) and
//! ECDHE-GCM suites for the certificate's key type. Client: `WALLET_LOCATION` and
//! `SSL_SERVER_DN_MATCH = YES`, optionally `SQLNET.WALLET_OVERRIDE = TRUE` for
//! credentials stored in the same wallet.

use super::layout::{GenerateError, entry, header, line, wallet_location};
use super::tls::{ServerTls, Target};

/// A database server's `sqlnet.ora` TLS entries.
#[derive(Debug, Clone)]
pub struct ServerSqlnet {
    pub wallet_dir: String,
    pub tls: ServerTls,
}

/// A client's `sqlnet.ora` TLS entries.
#[derive(Debug, Clone)]
pub struct ClientSqlnet {
    pub wallet_dir: String,
    pub target: Target,
    /// `SQLNET.WALLET_OVERRIDE = TRUE`: use credentials from the wallet for `/@alias` logins.
    pub wallet_override: bool,
}

impl ServerSqlnet {
    pub fn render(&self) -> Result<String, GenerateError> {
        let t = &self.tls;
        let mut out = header(
            "sqlnet.ora (server)",
            &format!(" for Oracle {}, {} certificate", t.target, t.key_type),
        );
        out.push_str(&entry(
            "WALLET_LOCATION",
            &wallet_location(&self.wallet_dir)?,
        ));
        out.push('\n');
        for (name, value) in t.protocol_lines() {
            out.push_str(&line(&name, &value));
        }
        Ok(out)
    }
}

impl ClientSqlnet {
    pub fn render(&self) -> Result<String, GenerateError> {
        let mut out = header(
            "sqlnet.ora (client)",
            &format!(" for Oracle {}", self.target),
        );
        out.push_str(&entry(
            "WALLET_LOCATION",
            &wallet_location(&self.wallet_dir)?,
        ));
        out.push('\n');
        out.push_str(&line(&self.target.param("SERVER_DN_MATCH"), "YES"));
        if self.wallet_override {
            out.push_str(&line("SQLNET.WALLET_OVERRIDE", "TRUE"));
        }
        Ok(out)
    }
}
