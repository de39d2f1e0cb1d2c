//! The `tcps init` (and, for the brought certificate, `tcps renew`) options of the two variants in [`crate::tcps::byo`] and
//! [`crate::tcps::client_auth`]: a server certificate brought from elsewhere (the same
//! `--pkcs12` / `--key` + `--cert` + `--chain` and password options as `wallet import`, or
//! `--tls-secret DIR`) and mutual TLS (`--client-auth --client NAME[=DN]`). Reading the
//! files and the passwords happens here; the checks are the library's.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::Args;

use crate::cli::exit::UsageError;
use crate::cli::password::Prompt;
use crate::cli::pki_io::{in_file, read_input};
use crate::cli::wallet::import::from_pem;
use crate::cli::wallet::other_passwords::{KeyPasswordArgs, Pkcs12PasswordArgs, require_named};
use crate::pki::key::KeySpec;
use crate::tcps::byo::BroughtCertificate;
use crate::tcps::client_auth::{ClientAuthSpec, ClientIdentity};
use crate::wallet::{certs, import};

/// The options that bring a certificate; `tcps init`'s options for what it makes itself
/// (key type, subjects, validity) conflict with them, as does `tcps renew --new-key`.
pub const BRING_OPTIONS: [&str; 3] = ["pkcs12", "key", "tls_secret"];

/// The server certificate from elsewhere (no CA is made).
#[derive(Debug, Args)]
#[command(next_help_heading = "Bring your own server certificate (issued elsewhere)")]
pub struct ByoArgs {
    /// The server's key and certificate (with its CA chain) in a PKCS#12 / PFX file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["key", "cert", "tls_secret"])]
    pub pkcs12: Option<PathBuf>,
    /// Which key of the PKCS#12 file, by friendly name (when it holds several).
    #[arg(long, value_name = "NAME", requires = "pkcs12")]
    pub pkcs12_alias: Option<String>,
    #[command(flatten)]
    pub pkcs12_password: Pkcs12PasswordArgs,
    /// The server's private key, PEM or DER (with --cert).
    #[arg(
        long,
        value_name = "FILE",
        requires = "cert",
        conflicts_with = "tls_secret"
    )]
    pub key: Option<PathBuf>,
    /// The server certificate (a bundle may follow it with its CA certificates).
    #[arg(
        long,
        value_name = "FILE",
        requires = "key",
        conflicts_with = "tls_secret"
    )]
    pub cert: Option<PathBuf>,
    /// CA certificates of the server certificate's chain (PEM bundle or DER); may be
    /// repeated.
    #[arg(long, value_name = "FILE")]
    pub chain: Vec<PathBuf>,
    #[command(flatten)]
    pub key_password: KeyPasswordArgs,
    /// A Kubernetes TLS secret as files (tls.crt, tls.key, and ca.crt as cert-manager
    /// writes it), e.g. the secret's volume mount.
    #[arg(long, value_name = "DIR")]
    pub tls_secret: Option<PathBuf>,
}

impl ByoArgs {
    pub fn is_given(&self) -> bool {
        self.pkcs12.is_some() || self.key.is_some() || self.tls_secret.is_some()
    }

    /// Reads the brought certificate, or `None` when none is given. Every problem names the
    /// file and is raised before anything is written.
    pub fn read(&self) -> Result<Option<BroughtCertificate>> {
        let mut brought = if let Some(file) = &self.pkcs12 {
            let bytes = read_input(file, "PKCS#12 file")?;
            let password = require_named(
                &self.pkcs12_password.sources(),
                &format!("the password of {}", file.display()),
                Prompt::Once,
                "--pkcs12-password-file PATH or --pkcs12-password-env VAR",
            )?;
            let identity =
                import::from_pkcs12(&bytes, password.as_bytes(), self.pkcs12_alias.as_deref())
                    .map_err(|e| anyhow!("{}: {e}; nothing was written", file.display()))?;
            BroughtCertificate {
                identity,
                with_request: false,
                source: file.display().to_string(),
            }
        } else if let (Some(key), Some(cert)) = (&self.key, &self.cert) {
            BroughtCertificate {
                identity: from_pem(key, cert, &self.key_password.sources())?,
                with_request: true,
                source: cert.display().to_string(),
            }
        } else if let Some(dir) = &self.tls_secret {
            self.read_tls_secret(dir)?
        } else if !self.chain.is_empty() {
            return Err(UsageError(
                "--chain completes a server certificate brought with --key/--cert, --pkcs12 or --tls-secret; give one of those".into(),
            )
            .into());
        } else {
            return Ok(None);
        };
        for file in &self.chain {
            let bytes = read_input(file, "chain file")?;
            brought
                .identity
                .others
                .extend(certs::read_certificates(&bytes).map_err(in_file("chain file", file))?);
        }
        Ok(Some(brought))
    }

    /// `tls.key` + `tls.crt` (the certificate, then any intermediates) + an optional
    /// `ca.crt` (cert-manager's issuing CA; empty for some issuers).
    fn read_tls_secret(&self, dir: &Path) -> Result<BroughtCertificate> {
        if !dir.is_dir() {
            return Err(anyhow!(
                "{}: not a directory; --tls-secret takes the directory a Kubernetes TLS secret is mounted in (tls.crt, tls.key, ca.crt)",
                dir.display()
            ));
        }
        for name in ["tls.crt", "tls.key"] {
            if !dir.join(name).is_file() {
                return Err(anyhow!(
                    "{}: the secret has no {name}; a Kubernetes TLS secret (type kubernetes.io/tls) holds tls.crt and tls.key: mount the whole secret, or write it with `kubectl get secret NAME -o jsonpath='{{.data.{}}}' | base64 -d > {}`; nothing was written",
                    dir.display(),
                    name.replace('.', "\\."),
                    dir.join(name).display()
                ));
            }
        }
        let mut identity = from_pem(
            &dir.join("tls.key"),
            &dir.join("tls.crt"),
            &self.key_password.sources(),
        )?;
        let ca = dir.join("ca.crt");
        if ca.is_file() {
            let bytes = read_input(&ca, "CA certificate")?;
            if !bytes.iter().all(u8::is_ascii_whitespace) {
                let found =
                    certs::read_certificates(&bytes).map_err(in_file("CA certificate", &ca))?;
                for der in found {
                    if !identity.others.contains(&der) && der != identity.certificate {
                        identity.others.push(der);
                    }
                }
            }
        }
        Ok(BroughtCertificate {
            identity,
            with_request: true,
            source: format!("the TLS secret in {}", dir.display()),
        })
    }
}

/// Mutual TLS.
#[derive(Debug, Args)]
#[command(next_help_heading = "Mutual TLS (client certificates)")]
pub struct ClientAuthArgs {
    /// Require a client certificate (SSL_CLIENT_AUTHENTICATION = TRUE) and allow
    /// certificate logins (SQLNET.AUTHENTICATION_SERVICES with TCPS); give the clients with
    /// --client.
    #[arg(long, requires = "clients")]
    pub client_auth: bool,
    /// A client identity: NAME (subject CN=NAME) or NAME=DN; may be repeated. Each gets a
    /// key, a clientAuth certificate and its own wallet in clients/NAME/wallet.
    #[arg(long = "client", value_name = "NAME[=DN]", requires = "client_auth")]
    pub clients: Vec<String>,
}

impl ClientAuthArgs {
    pub fn spec(&self, key_spec: KeySpec, days: u32) -> Result<Option<ClientAuthSpec>> {
        if !self.client_auth {
            return Ok(None);
        }
        let identities = self
            .clients
            .iter()
            .map(|c| ClientIdentity::parse(c))
            .collect::<Result<Vec<_>, _>>()?;
        let spec = ClientAuthSpec {
            identities,
            key_spec,
            days,
        };
        spec.check()?;
        Ok(Some(spec))
    }
}
