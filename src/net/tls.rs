//! Release-specific TLS settings: which parameter names, TLS versions and cipher suites to
//! write for a target Oracle release and certificate key type
//! (spec `oracle-cli-and-net.md` §3.2, §3.6, §3.8).

use std::fmt;
use std::str::FromStr;

/// The Oracle release the generated files are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Oracle11g,
    Oracle12c,
    Oracle19c,
    /// 19c from release update 19.30, which renamed every `SSL_*` parameter to `TLS_*`.
    Oracle19_30,
    Oracle23ai,
}

impl Target {
    pub const ALL: [Target; 5] = [
        Target::Oracle11g,
        Target::Oracle12c,
        Target::Oracle19c,
        Target::Oracle19_30,
        Target::Oracle23ai,
    ];

    /// Whether parameters are written with the `TLS_` prefix. Only 19.30 is documented to
    /// read them; 23ai release-update coverage is unverified (spec §7), so 23ai keeps the
    /// `SSL_` names every release reads.
    pub fn uses_tls_names(self) -> bool {
        self == Target::Oracle19_30
    }

    /// Whether TLS 1.3 is offered (next-generation TLS provider: 19.30 and 23ai).
    pub fn offers_tls13(self) -> bool {
        matches!(self, Target::Oracle19_30 | Target::Oracle23ai)
    }

    /// A parameter name with the prefix for this release: `param("VERSION")` is
    /// `SSL_VERSION` or `TLS_VERSION`.
    pub fn param(self, suffix: &str) -> String {
        let prefix = if self.uses_tls_names() { "TLS" } else { "SSL" };
        format!("{prefix}_{suffix}")
    }

    /// The value of `SSL_VERSION` / `TLS_VERSION`.
    pub fn version_value(self) -> &'static str {
        if self.offers_tls13() {
            "(1.2 or 1.3)"
        } else {
            "1.2"
        }
    }

    /// The cipher suites to allow for a certificate with this key type, strongest first.
    pub fn cipher_suites(self, key: KeyType) -> Vec<&'static str> {
        let mut suites = Vec::new();
        if self.offers_tls13() {
            // TLS 1.3 suites do not depend on the certificate's key type.
            suites.extend(["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"]);
        }
        suites.extend(match key {
            KeyType::Rsa => [
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            ],
            KeyType::Ec => [
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            ],
        });
        suites
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Target::Oracle11g => "11g",
            Target::Oracle12c => "12c",
            Target::Oracle19c => "19c",
            Target::Oracle19_30 => "19.30",
            Target::Oracle23ai => "23ai",
        })
    }
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.to_string().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown target {s:?}; expected 11g, 12c, 19c, 19.30 or 23ai"))
    }
}

/// The key type of the server certificate; ECDHE suites authenticate with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    Ec,
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyType::Rsa => "rsa",
            KeyType::Ec => "ec",
        })
    }
}

/// The outdated values of the AWS DMS seed text (spec §3.7), written only on request.
pub const SEED_VERSION: &str = "1.0";
pub const SEED_CIPHER_SUITE: &str = "SSL_RSA_WITH_AES_256_CBC_SHA";

/// Settings shared by the server-side generators.
#[derive(Debug, Clone)]
pub struct ServerTls {
    pub target: Target,
    pub key_type: KeyType,
    /// `SSL_CLIENT_AUTHENTICATION = TRUE` (mutual TLS) instead of one-way TLS.
    pub client_auth: bool,
    /// Write the seed's `SSL_VERSION = 1.0` and `SSL_RSA_WITH_AES_256_CBC_SHA`.
    pub legacy_seed: bool,
}

impl ServerTls {
    /// The client-authentication, version and cipher-suite lines (`NAME = value`).
    /// The seed values keep the seed's `SSL_*` names whatever the target.
    pub fn protocol_lines(&self) -> Vec<(String, String)> {
        let (version, suites, names) = if self.legacy_seed {
            (
                SEED_VERSION.to_owned(),
                vec![SEED_CIPHER_SUITE],
                Target::Oracle19c,
            )
        } else {
            (
                self.target.version_value().to_owned(),
                self.target.cipher_suites(self.key_type),
                self.target,
            )
        };
        vec![
            (
                names.param("CLIENT_AUTHENTICATION"),
                if self.client_auth { "TRUE" } else { "FALSE" }.to_owned(),
            ),
            (names.param("VERSION"), version),
            (
                names.param("CIPHER_SUITES"),
                format!("({})", suites.join(", ")),
            ),
        ]
    }
}

/// Suite classification used by the lint.
pub fn is_static_rsa(suite: &str) -> bool {
    let s = suite.to_ascii_uppercase();
    s.starts_with("TLS_RSA_WITH_") || s.starts_with("SSL_RSA_WITH_")
}

/// CBC with a SHA-1 MAC (`..._CBC_SHA`), or another suite no current stack accepts.
pub fn is_weak_cipher(suite: &str) -> bool {
    let s = suite.to_ascii_uppercase();
    (s.contains("_CBC_") && s.ends_with("_SHA"))
        || ["3DES", "RC4", "_NULL_", "_ANON_", "EXPORT", "_DES_", "MD5"]
            .iter()
            .any(|w| s.contains(w))
}

/// The key type a TLS 1.2 suite authenticates with; `None` for TLS 1.3 suites and unknown names.
pub fn suite_key_type(suite: &str) -> Option<KeyType> {
    let s = suite.to_ascii_uppercase();
    if s.contains("_ECDSA_") {
        Some(KeyType::Ec)
    } else if s.contains("_RSA_") {
        Some(KeyType::Rsa)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_versions_and_suites_follow_the_release() {
        assert_eq!(Target::Oracle19c.param("VERSION"), "SSL_VERSION");
        assert_eq!(Target::Oracle19_30.param("VERSION"), "TLS_VERSION");
        assert_eq!(Target::Oracle23ai.param("VERSION"), "SSL_VERSION");
        assert_eq!(Target::Oracle12c.version_value(), "1.2");
        assert_eq!(Target::Oracle23ai.version_value(), "(1.2 or 1.3)");
        for target in Target::ALL {
            for key in [KeyType::Rsa, KeyType::Ec] {
                for suite in target.cipher_suites(key) {
                    assert!(!is_static_rsa(suite) && !is_weak_cipher(suite), "{suite}");
                    assert!(suite.contains("GCM"), "{suite}");
                    if let Some(k) = suite_key_type(suite) {
                        assert_eq!(k, key, "{suite} for {target}");
                    }
                }
            }
        }
        assert_eq!("19.30".parse::<Target>(), Ok(Target::Oracle19_30));
        assert!("18c".parse::<Target>().is_err());
    }

    #[test]
    fn the_seed_suite_is_recognised_as_weak() {
        assert!(is_static_rsa(SEED_CIPHER_SUITE));
        assert!(is_weak_cipher(SEED_CIPHER_SUITE));
        assert!(!is_weak_cipher("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        assert!(is_weak_cipher("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
        assert!(!is_weak_cipher("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"));
        assert_eq!(suite_key_type("TLS_AES_128_GCM_SHA256"), None);
    }
}
