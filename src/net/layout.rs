//! Writing new entries in the layout Oracle's own tools (netca, netmgr) use: one
//! `(KEYWORD = value)` per line, two spaces per level, addresses on one line, and values
//! double-quoted only when they need it.

use thiserror::Error;

/// A value the generators cannot write into a parameter file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum GenerateError {
    #[error("{what} {value:?} {reason}")]
    InvalidValue {
        what: &'static str,
        value: String,
        reason: &'static str,
    },
}

/// A node of an entry to be written.
#[derive(Debug, Clone)]
pub enum Tree {
    /// `(KEY = value)` with an already formatted atom or list value.
    Pair(String, String),
    /// `(KEY =` children one per line `)`.
    Block(String, Vec<Tree>),
    /// `(KEY = (A = 1)(B = 2))` on one line.
    Inline(String, Vec<Tree>),
}

impl Tree {
    pub fn pair(key: &str, value: impl Into<String>) -> Tree {
        Tree::Pair(key.to_owned(), value.into())
    }
    pub fn block(key: &str, children: Vec<Tree>) -> Tree {
        Tree::Block(key.to_owned(), children)
    }
    pub fn inline(key: &str, children: Vec<Tree>) -> Tree {
        Tree::Inline(key.to_owned(), children)
    }

    /// Multi-line text starting at `indent` spaces (the first line is not indented).
    pub fn pretty(&self, indent: usize) -> String {
        match self {
            Tree::Pair(k, v) => format!("({k} = {v})"),
            Tree::Inline(k, kids) => {
                let inner: String = kids.iter().map(|c| c.pretty(0)).collect();
                format!("({k} = {inner})")
            }
            Tree::Block(k, kids) => {
                let pad = " ".repeat(indent + 2);
                let mut out = format!("({k} =\n");
                for kid in kids {
                    out.push_str(&pad);
                    out.push_str(&kid.pretty(indent + 2));
                    out.push('\n');
                }
                out.push_str(&" ".repeat(indent));
                out.push(')');
                out
            }
        }
    }

    /// One-line text without spaces around `=`, as used in connect strings.
    pub fn compact(&self) -> String {
        match self {
            Tree::Pair(k, v) => format!("({k}={v})"),
            Tree::Inline(k, kids) | Tree::Block(k, kids) => {
                let inner: String = kids.iter().map(Tree::compact).collect();
                format!("({k}={inner})")
            }
        }
    }
}

/// `NAME =` + the tree on the next line, indented by two, + a line break.
pub fn entry(name: &str, tree: &Tree) -> String {
    format!("{name} =\n  {}\n", tree.pretty(2))
}

/// `NAME = value` + a line break.
pub fn line(name: &str, value: &str) -> String {
    format!("{name} = {value}\n")
}

/// Characters that end a bare word or cannot appear in one unescaped.
fn needs_quotes(value: &str) -> bool {
    value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || "()='#,\"".contains(c))
}

/// A value as a bare word, or double-quoted when it holds spaces or reserved characters.
/// Values with `"`, line breaks or control characters cannot be written.
pub fn atom(what: &'static str, value: &str) -> Result<String, GenerateError> {
    let invalid = |reason| GenerateError::InvalidValue {
        what,
        value: value.to_owned(),
        reason,
    };
    if value.is_empty() {
        return Err(invalid("is empty"));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(invalid("contains a line break or control character"));
    }
    if value.ends_with('\\') || value.contains("\\\\") {
        return Err(invalid(
            "ends with a backslash or holds a doubled one, which would escape the next character; remove it",
        ));
    }
    if value.contains('"') {
        return Err(invalid(
            "contains a double quote, which an Oracle Net value cannot hold",
        ));
    }
    Ok(if needs_quotes(value) {
        format!("\"{value}\"")
    } else {
        value.to_owned()
    })
}

/// A value that is always double-quoted (distinguished names: spec §3.5 — thin drivers
/// understand only double quotes).
pub fn quoted(what: &'static str, value: &str) -> Result<String, GenerateError> {
    let plain = atom(what, value)?;
    Ok(if plain.starts_with('"') {
        plain
    } else {
        format!("\"{plain}\"")
    })
}

/// A net service, listener or SID name: a letter, then letters, digits, `_`, `.`, `-`, `$`, `#`.
pub fn name(what: &'static str, value: &str) -> Result<String, GenerateError> {
    let ok = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-$".contains(c));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(GenerateError::InvalidValue {
            what,
            value: value.to_owned(),
            reason: "must start with a letter and hold only letters, digits, `_`, `.`, `-` or `$`",
        })
    }
}

/// A host name or IP address: no spaces or reserved characters.
pub fn host(value: &str) -> Result<String, GenerateError> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:[]%".contains(c));
    // (`_` is not valid in DNS names but appears in Windows host names netca writes.)
    if ok {
        Ok(value.to_owned())
    } else {
        Err(GenerateError::InvalidValue {
            what: "host",
            value: value.to_owned(),
            reason: "is not a host name or IP address",
        })
    }
}

/// The `WALLET_LOCATION` value for a wallet directory.
pub fn wallet_location(dir: &str) -> Result<Tree, GenerateError> {
    Ok(Tree::block(
        "SOURCE",
        vec![
            Tree::pair("METHOD", "FILE"),
            Tree::block(
                "METHOD_DATA",
                vec![Tree::pair("DIRECTORY", atom("wallet directory", dir)?)],
            ),
        ],
    ))
}

/// The first comment line of a generated file.
pub fn header(file: &str, detail: &str) -> String {
    format!(
        "# {file} generated by orakit {}{detail}\n",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::Document;

    /// Writes a WALLET_LOCATION for `dir`, parses it back and returns the DIRECTORY value.
    fn directory_round_trip(dir: &str) -> String {
        let text = entry("WALLET_LOCATION", &wallet_location(dir).unwrap());
        let doc = Document::parse(&text).unwrap();
        assert_eq!(doc.print(), text);
        doc.find("WALLET_LOCATION")
            .and_then(|p| p.group_at(&["SOURCE", "METHOD_DATA", "DIRECTORY"]))
            .and_then(|g| g.scalar())
            .unwrap()
    }

    #[test]
    fn values_read_back_as_written() {
        for dir in [
            "/u01/app/oracle/wallet",
            "/opt/my wallet",
            r"C:\app\oracle\wallet",
            r"C:\Program Files\wallet",
            "/w/a=b,c#d(e)'f",
        ] {
            assert_eq!(directory_round_trip(dir), dir);
        }
        assert_eq!(atom("x", r"C:\app\w").unwrap(), r"C:\app\w");
        assert_eq!(atom("x", "/my dir").unwrap(), "\"/my dir\"");
        for bad in ["", "a\"b", "line\nbreak", r"C:\w\", r"a\\b"] {
            assert!(atom("wallet directory", bad).is_err(), "{bad:?}");
        }
        assert_eq!(quoted("dn", "CN=h").unwrap(), "\"CN=h\"");
        assert!(name("alias", "9x").is_err() && name("alias", "ORCL_ssl.world").is_ok());
        assert!(host("a b").is_err() && host("db-1.example.com").is_ok() && host("::1").is_ok());
    }
}
