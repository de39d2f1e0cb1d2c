//! `tnsnames.ora` aliases for a TCPS listener (spec §3.4), plus the same connection as an
//! Easy Connect Plus string and a JDBC URL.
//!
//! The `SECURITY` section holds only `(KEY = value)` pairs — DN matching, the server's
//! certificate DN (always double-quoted) and an optional wallet directory — because thin
//! drivers reject lists and `1.2`-style versions there (spec §3.5); versions and suites
//! belong in `sqlnet.ora`.

use super::layout::{GenerateError, Tree, atom, entry, header, host, name, quoted};

/// What the alias connects to.
#[derive(Debug, Clone)]
pub enum ConnectTo {
    Service(String),
    Sid(String),
}

#[derive(Debug, Clone)]
pub struct TnsSpec {
    /// The plain alias; the TLS alias is this plus [`TnsSpec::tls_suffix`].
    pub alias: String,
    pub host: String,
    /// TCP port of the plain alias; `None` writes only the TLS alias.
    pub tcp_port: Option<u16>,
    pub tcps_port: u16,
    pub connect_to: ConnectTo,
    /// The server certificate's subject DN for full DN matching.
    pub server_dn: Option<String>,
    /// A per-connection wallet (`MY_WALLET_DIRECTORY`).
    pub wallet_dir: Option<String>,
    /// `_SSL` by default.
    pub tls_suffix: String,
}

impl TnsSpec {
    pub fn tls_alias(&self) -> String {
        format!("{}{}", self.alias, self.tls_suffix)
    }

    fn connect_data(&self) -> Result<Tree, GenerateError> {
        let target = match &self.connect_to {
            ConnectTo::Service(s) => Tree::pair("SERVICE_NAME", name("service name", s)?),
            ConnectTo::Sid(s) => Tree::pair("SID", name("SID", s)?),
        };
        Ok(Tree::block(
            "CONNECT_DATA",
            vec![Tree::pair("SERVER", "DEDICATED"), target],
        ))
    }

    fn address(&self, protocol: &str, port: u16) -> Result<Tree, GenerateError> {
        Ok(Tree::inline(
            "ADDRESS",
            vec![
                Tree::pair("PROTOCOL", protocol),
                Tree::pair("HOST", host(&self.host)?),
                Tree::pair("PORT", port.to_string()),
            ],
        ))
    }

    /// The descriptor of the TLS alias.
    pub fn tls_descriptor(&self) -> Result<Tree, GenerateError> {
        let mut security = vec![Tree::pair("SSL_SERVER_DN_MATCH", "YES")];
        if let Some(dn) = &self.server_dn {
            security.push(Tree::pair(
                "SSL_SERVER_CERT_DN",
                quoted("server certificate DN", dn)?,
            ));
        }
        if let Some(dir) = &self.wallet_dir {
            security.push(Tree::pair(
                "MY_WALLET_DIRECTORY",
                atom("wallet directory", dir)?,
            ));
        }
        Ok(Tree::block(
            "DESCRIPTION",
            vec![
                self.address("TCPS", self.tcps_port)?,
                self.connect_data()?,
                Tree::block("SECURITY", security),
            ],
        ))
    }

    /// Both aliases in netca layout.
    pub fn render(&self) -> Result<String, GenerateError> {
        let alias = name("alias", &self.alias)?;
        let tls_alias = name("alias", &self.tls_alias())?;
        let mut out = header("tnsnames.ora", "");
        if let Some(port) = self.tcp_port {
            let plain = Tree::block(
                "DESCRIPTION",
                vec![self.address("TCP", port)?, self.connect_data()?],
            );
            out.push_str(&entry(&alias, &plain));
            out.push('\n');
        }
        out.push_str(&entry(&tls_alias, &self.tls_descriptor()?));
        Ok(out)
    }

    /// `tcps://host:port/service?ssl_server_dn_match=on&...` (Easy Connect Plus, 19c+);
    /// `None` for a SID, which Easy Connect cannot name.
    pub fn easy_connect(&self) -> Result<Option<String>, GenerateError> {
        let ConnectTo::Service(service) = &self.connect_to else {
            return Ok(None);
        };
        let mut url = format!(
            "tcps://{}:{}/{}?ssl_server_dn_match=on",
            host(&self.host)?,
            self.tcps_port,
            name("service name", service)?
        );
        if let Some(dn) = &self.server_dn {
            url.push_str(&format!(
                "&ssl_server_cert_dn={}",
                quoted("server certificate DN", dn)?
            ));
        }
        if let Some(dir) = &self.wallet_dir {
            url.push_str(&format!(
                "&wallet_location={}",
                atom("wallet directory", dir)?
            ));
        }
        Ok(Some(url))
    }

    /// `jdbc:oracle:thin:@(DESCRIPTION=...)`: the TLS descriptor on one line, which every
    /// JDBC thin driver release reads.
    pub fn jdbc_url(&self) -> Result<String, GenerateError> {
        Ok(format!(
            "jdbc:oracle:thin:@{}",
            self.tls_descriptor()?.compact()
        ))
    }
}
