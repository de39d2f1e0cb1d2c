//! `HOST:PORT` as given on the command line.

use super::ProbeError;

/// The listener to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or IP address, without IPv6 brackets.
    pub host: String,
    pub port: u16,
}

impl Target {
    /// Parses `host:port`, `1.2.3.4:port` or `[::1]:port`.
    pub fn parse(text: &str) -> Result<Self, ProbeError> {
        let bad = || ProbeError::BadTarget(text.to_owned());
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or_else(bad)?;
            (host, after.strip_prefix(':').ok_or_else(bad)?)
        } else {
            let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
            if host.contains(':') {
                return Err(bad());
            }
            (host, port)
        };
        let port: u16 = port.parse().map_err(|_| bad())?;
        if host.is_empty() || port == 0 {
            return Err(bad());
        }
        Ok(Self {
            host: host.to_owned(),
            port,
        })
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_ipv4_and_bracketed_ipv6() {
        assert_eq!(Target::parse("db.example.com:2484").unwrap().port, 2484);
        assert_eq!(Target::parse("10.0.0.1:1").unwrap().host, "10.0.0.1");
        let v6 = Target::parse("[::1]:2484").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 2484));
        assert_eq!(v6.to_string(), "[::1]:2484");
    }

    #[test]
    fn rejects_missing_or_bad_ports() {
        for bad in [
            "db",
            "db:",
            ":2484",
            "db:0",
            "db:99999",
            "::1:2484",
            "[::1]2484",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
