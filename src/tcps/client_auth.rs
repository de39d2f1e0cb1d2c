//! Mutual TLS for `tcps init --client-auth`: one key and client certificate
//! (extendedKeyUsage clientAuth, signed by the set-up's CA) per client identity, each in its
//! own wallet (`clients/NAME/wallet`: an auto-login-only `cwallet.sso`, like the AWS DMS
//! client wallet, and an `ewallet.pem` for thin drivers), and the database user that logs
//! in with it: `CREATE USER ... IDENTIFIED EXTERNALLY AS '<DN>'`, the DN spelled as the
//! database compares it, RFC 2253 order (most specific first, `CN=...` first), no spaces
//! after the commas, as orapki displays subjects and Oracle reports the authenticated
//! identity.

use std::path::Path;

use der::Encode;
use serde::Serialize;
use x509_cert::name::Name;

use super::layout::OutFile;
use super::server::CaMaterial;
use super::{Error, Result};
use crate::fsio::{MODE_PUBLIC, MODE_SECRET};
use crate::pki::csr::create_csr;
use crate::pki::issue::{IssueRequest, issue_certificate};
use crate::pki::key::{KeySpec, PrivateKey};
use crate::pki::name::{parse_dn, to_rfc2253};
use crate::pki::profile::Profile as CertProfile;
use crate::pki::show::format_time;
use crate::wallet::model::{DEFAULT_KEY_NAME, Profile, Wallet};
use crate::wallet::pem::ewallet_pem;
use crate::wallet::store::{self, WalletPaths, WalletType};

/// Where client identity NAME goes in the output directory.
pub fn client_dir(name: &str) -> String {
    format!("clients/{name}")
}

/// One client identity: its directory name and its certificate's subject.
#[derive(Debug, Clone)]
pub struct ClientIdentity {
    pub name: String,
    pub subject: Name,
}

impl ClientIdentity {
    /// `NAME` (subject `CN=NAME`) or `NAME=DN`, as `--client` takes it.
    pub fn parse(text: &str) -> Result<Self> {
        let (name, dn) = match text.split_once('=') {
            // `CN=x` alone is a DN, not NAME=DN: the name part would be an attribute type.
            Some((name, dn)) if !dn.is_empty() => (name.trim(), Some(dn.trim())),
            _ => (text.trim(), None),
        };
        check_name(name)?;
        let subject = match dn {
            Some(dn) => {
                parse_dn(dn).map_err(|e| Error::Invalid(format!("--client {name}={dn}: {e}")))?
            }
            None => parse_dn(&format!("CN={name}"))?,
        };
        if subject.is_empty() {
            return Err(Error::Invalid(format!(
                "--client {name}: the certificate needs a subject DN, e.g. --client {name}=CN={name},O=Example"
            )));
        }
        Ok(Self {
            name: name.to_owned(),
            subject,
        })
    }
}

/// A name usable as a directory (and, upper-cased, usually as the database user).
fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !name.starts_with(['.', '-']);
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "--client {name:?}: a client name is 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-' (it names the directory clients/NAME); give the DN after '=': --client app1=CN=app1,O=Example"
        )))
    }
}

/// What `--client-auth` takes.
#[derive(Debug, Clone)]
pub struct ClientAuthSpec {
    pub identities: Vec<ClientIdentity>,
    pub key_spec: KeySpec,
    pub days: u32,
}

impl ClientAuthSpec {
    /// Refuses no identity, a name twice or a DN twice (two users the database could not
    /// tell apart).
    pub fn check(&self) -> Result<()> {
        if self.identities.is_empty() {
            return Err(Error::Invalid(
                "--client-auth needs at least one client identity: --client NAME or --client NAME=DN".into(),
            ));
        }
        for (i, a) in self.identities.iter().enumerate() {
            for b in &self.identities[..i] {
                if a.name.eq_ignore_ascii_case(&b.name) {
                    return Err(Error::Invalid(format!(
                        "--client {} is given twice",
                        a.name
                    )));
                }
                if a.subject == b.subject {
                    return Err(Error::Invalid(format!(
                        "--client {} and --client {} have the same DN {}: the database could not tell their logins apart",
                        b.name,
                        a.name,
                        to_rfc2253(&a.subject)
                    )));
                }
            }
        }
        Ok(())
    }
}

/// What the summary says about one client identity.
#[derive(Debug, Clone, Serialize)]
pub struct ClientIdentitySummary {
    pub name: String,
    /// The certificate's subject as the database matches it.
    pub subject: String,
    pub key_type: String,
    pub not_after: String,
    pub wallet_dir: String,
    pub certificate_file: String,
    /// The SQL that makes the database user that logs in with this certificate.
    pub create_user: String,
    pub grant: String,
}

/// The client identities' files (relative to the output directory) and their summaries.
pub fn build_identities(
    ca: &CaMaterial,
    spec: &ClientAuthSpec,
    profile: Profile,
    out_dir: &Path,
) -> Result<(Vec<OutFile>, Vec<ClientIdentitySummary>)> {
    spec.check()?;
    let mut files = Vec::new();
    let mut summaries = Vec::new();
    for identity in &spec.identities {
        let key = PrivateKey::generate(spec.key_spec)?;
        let csr = create_csr(&key, &identity.subject, &[])?;
        let issued = issue_certificate(&IssueRequest {
            csr: &csr,
            ca_cert: &ca.certificate,
            ca_key: &ca.key,
            profile: CertProfile::Client,
            extra_sans: &[],
            days: spec.days,
            serial: None,
        })?;
        let cert_der = issued
            .certificate
            .to_der()
            .map_err(|e| Error::Invalid(format!("cannot encode the certificate: {e}")))?;
        // orapki's order, as for the server: trusted CA certificates, the key with its
        // request, then the user certificate.
        let mut wallet = Wallet::new(profile);
        for ca_der in &ca.chain_der {
            wallet.add_trusted(ca_der)?;
        }
        wallet.add_key_with_request(&key.to_pkcs8_der()?, csr.der(), DEFAULT_KEY_NAME)?;
        wallet.install_user_certificate(&cert_der)?;
        let encoded = store::encode(
            &WalletPaths::in_dir(Path::new("")),
            &wallet,
            WalletType::AutoLoginOnly,
            None,
        )?;
        let [sso] = encoded.as_slice() else {
            return Err(Error::Invalid(
                "internal: an auto-login-only wallet is one file".into(),
            ));
        };
        // Like cwallet.sso, which opens without a password, the PEM key is unencrypted:
        // both files are the client's secret and are written 0600.
        let pem = ewallet_pem(&wallet, None).map_err(|e| Error::Invalid(e.to_string()))?;
        let dir = client_dir(&identity.name);
        let file = |relative: String, contents: &[u8], mode: u32| OutFile {
            relative,
            contents: contents.to_vec(),
            mode,
        };
        files.push(file(
            format!("{dir}/wallet/cwallet.sso"),
            &sso.contents,
            MODE_SECRET,
        ));
        files.push(file(
            format!("{dir}/wallet/ewallet.pem"),
            pem.as_bytes(),
            MODE_SECRET,
        ));
        let cert_pem = crate::pki::cert::to_pem(&issued.certificate)?;
        files.push(file(
            format!("{dir}/client.pem"),
            cert_pem.as_bytes(),
            MODE_PUBLIC,
        ));
        let subject = to_rfc2253(&identity.subject);
        let user = database_user(&identity.name);
        summaries.push(ClientIdentitySummary {
            name: identity.name.clone(),
            create_user: format!(
                "CREATE USER {user} IDENTIFIED EXTERNALLY AS '{}';",
                subject.replace('\'', "''")
            ),
            grant: format!("GRANT CREATE SESSION TO {user};"),
            subject,
            key_type: spec.key_spec.description(),
            not_after: format_time(&issued.certificate.tbs_certificate().validity().not_after),
            wallet_dir: out_dir.join(&dir).join("wallet").display().to_string(),
            certificate_file: out_dir.join(&dir).join("client.pem").display().to_string(),
        });
    }
    Ok((files, summaries))
}

/// The database user for client NAME: upper-cased when it is a plain Oracle identifier
/// (a letter, then letters, digits, `_`, `$`, `#`), otherwise a quoted identifier.
pub fn database_user(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_$#".contains(c));
    if plain {
        name.to_ascii_uppercase()
    } else {
        format!("\"{name}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_arguments_give_a_name_and_a_dn() {
        let plain = ClientIdentity::parse("app1").unwrap();
        assert_eq!(plain.name, "app1");
        assert_eq!(to_rfc2253(&plain.subject), "CN=app1");
        let with_dn = ClientIdentity::parse("etl=CN=etl,OU=Batch,O=Example").unwrap();
        assert_eq!(with_dn.name, "etl");
        assert_eq!(to_rfc2253(&with_dn.subject), "CN=etl,OU=Batch,O=Example");
        assert!(ClientIdentity::parse("../x").is_err());
        assert!(ClientIdentity::parse("").is_err());
    }

    #[test]
    fn database_users_are_upper_cased_or_quoted() {
        assert_eq!(database_user("app1"), "APP1");
        assert_eq!(database_user("etl-batch"), "\"etl-batch\"");
        assert_eq!(database_user("1app"), "\"1app\"");
    }

    #[test]
    fn a_dn_or_name_given_twice_is_refused() {
        let spec = |ids: &[&str]| ClientAuthSpec {
            identities: ids
                .iter()
                .map(|i| ClientIdentity::parse(i).unwrap())
                .collect(),
            key_spec: KeySpec::Ec {
                curve: crate::pki::key::Curve::P256,
            },
            days: 30,
        };
        assert!(spec(&["a", "b"]).check().is_ok());
        assert!(spec(&["a", "A"]).check().is_err());
        assert!(spec(&["a=CN=x", "b=CN=x"]).check().is_err());
        assert!(spec(&[]).check().is_err());
    }
}
