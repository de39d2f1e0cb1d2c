//! `listener.ora` for a TCPS listener (spec §3.3): TCP and TCPS addresses (IPC optional),
//! optional static registration (`SID_LIST_<LISTENER>`), and the same wallet, version and
//! cipher-suite lines as the server's `sqlnet.ora` (a listener has been seen to ignore the
//! `sqlnet.ora` copy, so they are repeated here).

use super::layout::{GenerateError, Tree, atom, entry, header, host, line, name, wallet_location};
use super::tls::ServerTls;

/// A static registration: `(SID_DESC = (GLOBAL_DBNAME = ...)(ORACLE_HOME = ...)(SID_NAME = ...))`.
#[derive(Debug, Clone)]
pub struct StaticSid {
    pub sid: String,
    pub oracle_home: String,
    pub global_dbname: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ListenerSpec {
    /// `LISTENER` unless several listeners share the file.
    pub name: String,
    pub host: String,
    /// Plain TCP port; `None` for a TCPS-only listener.
    pub tcp_port: Option<u16>,
    pub tcps_port: u16,
    /// `(ADDRESS = (PROTOCOL = IPC)(KEY = ...))`, e.g. `EXTPROC1521`.
    pub ipc_key: Option<String>,
    pub static_sid: Option<StaticSid>,
    pub wallet_dir: String,
    pub tls: ServerTls,
}

fn address(protocol: &str, host: &str, port: u16) -> Tree {
    Tree::inline(
        "ADDRESS",
        vec![
            Tree::pair("PROTOCOL", protocol),
            Tree::pair("HOST", host),
            Tree::pair("PORT", port.to_string()),
        ],
    )
}

impl ListenerSpec {
    pub fn render(&self) -> Result<String, GenerateError> {
        let listener = name("listener name", &self.name)?;
        let host = host(&self.host)?;
        let mut addresses = Vec::new();
        if let Some(port) = self.tcp_port {
            addresses.push(address("TCP", &host, port));
        }
        addresses.push(address("TCPS", &host, self.tcps_port));
        if let Some(key) = &self.ipc_key {
            addresses.push(Tree::inline(
                "ADDRESS",
                vec![
                    Tree::pair("PROTOCOL", "IPC"),
                    Tree::pair("KEY", name("IPC key", key)?),
                ],
            ));
        }
        let t = &self.tls;
        let mut out = header(
            "listener.ora",
            &format!(" for Oracle {}, {} certificate", t.target, t.key_type),
        );
        let description = Tree::block("DESCRIPTION", addresses);
        out.push_str(&entry(
            &listener,
            &Tree::block("DESCRIPTION_LIST", vec![description]),
        ));
        out.push('\n');
        if let Some(s) = &self.static_sid {
            let mut desc = Vec::new();
            if let Some(global) = &s.global_dbname {
                desc.push(Tree::pair(
                    "GLOBAL_DBNAME",
                    name("global database name", global)?,
                ));
            }
            desc.push(Tree::pair(
                "ORACLE_HOME",
                atom("Oracle home", &s.oracle_home)?,
            ));
            desc.push(Tree::pair("SID_NAME", name("SID", &s.sid)?));
            let list = Tree::block("SID_LIST", vec![Tree::block("SID_DESC", desc)]);
            out.push_str(&entry(&format!("SID_LIST_{listener}"), &list));
            out.push('\n');
        }
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
