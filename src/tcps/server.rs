//! One database host's TCPS server material, made from a CA without touching the file
//! system: a new key, its certificate (SANs = every host name and address), the
//! auto-login wallet (`ewallet.p12` + `cwallet.sso` kind 0x36, holding the key, the
//! certificate and the CA as trusted) and the `sqlnet.ora` / `listener.ora` text.
//!
//! [`issue_server_identity`] is the one place a server key becomes a signed certificate
//! inside a wallet: `tcps init` reaches it through [`build_server_bundle`], `tcps issue`
//! (fleet) through [`crate::fleet::host_bundle`], each adding its own files around it.

use std::net::IpAddr;
use std::path::Path;

use der::Encode;
use x509_cert::Certificate;
use x509_cert::name::Name;

use super::{Error, Result};
use crate::net::listener::{ListenerSpec, StaticSid};
use crate::net::sqlnet::ServerSqlnet;
use crate::net::tls::{KeyType, ServerTls, Target};
use crate::pki::ca::create_self_signed_ca;
use crate::pki::csr::create_csr;
use crate::pki::issue::{IssueRequest, issue_certificate};
use crate::pki::key::{KeySpec, PrivateKey};
use crate::pki::profile::Profile as CertProfile;
use crate::pki::san::SanEntry;
use crate::secret::Password;
use crate::wallet::model::{DEFAULT_KEY_NAME, Profile, Wallet};
use crate::wallet::store::{self, P12_NAME, SSO_NAME, WalletPaths, WalletType};

/// A CA that signs server certificates: its key, its certificate, and the certificates
/// every server wallet trusts.
#[derive(Debug, Clone)]
pub struct CaMaterial {
    pub key: PrivateKey,
    pub certificate: Certificate,
    /// DER of the certificates each server wallet holds as trusted: the signing CA's
    /// first, then any of its own issuers that came in the same file.
    pub chain_der: Vec<Vec<u8>>,
}

impl CaMaterial {
    /// A new root CA with a new key of `key_spec`.
    pub fn generate(key_spec: KeySpec, subject: &Name, days: u32) -> Result<Self> {
        let key = PrivateKey::generate(key_spec)?;
        let certificate = create_self_signed_ca(&key, subject, days)?;
        let der = certificate
            .to_der()
            .map_err(|e| Error::Invalid(format!("cannot encode the CA certificate: {e}")))?;
        Ok(Self {
            key,
            certificate,
            chain_der: vec![der],
        })
    }

    /// The signing CA's certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.chain_der[0]
    }

    /// Whether this CA issued `certificate`: its issuer name is the CA's subject and its
    /// signature verifies with the CA's key (a CA certificate re-made with the same name
    /// and key counts as the same CA; one with the same name and another key does not).
    /// `tcps issue` (drift) and `tcps renew` both decide with this.
    pub fn issued(&self, certificate: &Certificate) -> bool {
        let same_name =
            certificate.tbs_certificate().issuer() == self.certificate.tbs_certificate().subject();
        same_name
            && certificate.to_der().is_ok_and(|der| {
                crate::pki::cert::verify_issued_by(&der, &self.certificate).is_ok()
            })
    }
}

/// A server's signed certificate and the wallet that holds it, made from its key.
pub struct ServerIdentity {
    pub certificate: Certificate,
    pub certificate_der: Vec<u8>,
    /// orapki's order: the trusted CA certificates, the key with its request, then the
    /// signed user certificate.
    pub wallet: Wallet,
    /// What the issuer reported (validity clamped to the CA's, ...).
    pub warnings: Vec<String>,
}

/// Signs a server certificate for `key` (server profile, `subject`, `sans`) with the CA and
/// puts key, request, certificate and the CA chain into a wallet of `wallet_profile`.
pub fn issue_server_identity(
    ca: &CaMaterial,
    key: &PrivateKey,
    subject: &Name,
    sans: &[SanEntry],
    days: u32,
    wallet_profile: Profile,
) -> Result<ServerIdentity> {
    let csr = create_csr(key, subject, sans)?;
    let issued = issue_certificate(&IssueRequest {
        csr: &csr,
        ca_cert: &ca.certificate,
        ca_key: &ca.key,
        profile: CertProfile::Server,
        extra_sans: &[],
        days,
        serial: None,
    })?;
    let certificate_der = issued
        .certificate
        .to_der()
        .map_err(|e| Error::Invalid(format!("cannot encode the certificate: {e}")))?;
    let mut wallet = Wallet::new(wallet_profile);
    for ca_der in &ca.chain_der {
        wallet.add_trusted(ca_der)?;
    }
    wallet.add_key_with_request(&key.to_pkcs8_der()?, csr.der(), DEFAULT_KEY_NAME)?;
    wallet.install_user_certificate(&certificate_der)?;
    Ok(ServerIdentity {
        certificate: issued.certificate,
        certificate_der,
        wallet,
        warnings: issued.warnings.iter().map(ToString::to_string).collect(),
    })
}

/// What the listener side listens on (for `listener.ora`).
#[derive(Debug, Clone)]
pub struct ListenerSettings {
    pub tcp_port: Option<u16>,
    pub tcps_port: u16,
    pub static_sid: Option<StaticSid>,
    pub target: Target,
}

/// Everything that describes one server.
#[derive(Debug, Clone)]
pub struct ServerSpec {
    /// Host names and/or addresses clients connect to; the first is the listener's HOST.
    /// Each becomes a SAN (an address as an IP SAN).
    pub hosts: Vec<String>,
    /// Further addresses for the SAN (not used as the listener's HOST).
    pub ips: Vec<IpAddr>,
    /// The certificate's subject (`CN=<first host>` is the usual choice).
    pub subject: Name,
    pub key_spec: KeySpec,
    /// Certificate validity in days (never past the CA's).
    pub days: u32,
    /// Wallet encryption.
    pub wallet_profile: Profile,
    /// The `ewallet.p12` password (checked against orapki's rule).
    pub wallet_password: Password,
    /// Where the wallet will be installed on the host (written into the .ora files).
    pub wallet_install_dir: String,
    pub listener: ListenerSettings,
}

/// One server's material, in memory.
#[derive(Debug)]
pub struct ServerBundle {
    pub key: PrivateKey,
    pub certificate: Certificate,
    pub certificate_der: Vec<u8>,
    /// The SANs the certificate carries, as `DNS:x` / `IP:x`.
    pub sans: Vec<String>,
    pub ewallet_p12: Vec<u8>,
    pub cwallet_sso: Vec<u8>,
    pub sqlnet_ora: String,
    pub listener_ora: String,
    /// Things to tell the user (validity clamped to the CA's, ...).
    pub warnings: Vec<String>,
}

/// The SAN entries for `hosts` and `ips`, each once, in the order given.
pub fn san_entries(hosts: &[String], ips: &[IpAddr]) -> Result<Vec<SanEntry>> {
    let mut sans: Vec<SanEntry> = Vec::new();
    for host in hosts {
        let entry = SanEntry::parse(host)?;
        if !sans.contains(&entry) {
            sans.push(entry);
        }
    }
    for ip in ips {
        let entry = SanEntry::Ip(*ip);
        if !sans.contains(&entry) {
            sans.push(entry);
        }
    }
    Ok(sans)
}

/// The key type the Oracle Net cipher suites must match.
pub fn net_key_type(spec: KeySpec) -> KeyType {
    match spec {
        KeySpec::Rsa { .. } => KeyType::Rsa,
        KeySpec::Ec { .. } => KeyType::Ec,
    }
}

/// Makes one server's key, certificate, wallet files and Oracle Net text.
pub fn build_server_bundle(ca: &CaMaterial, spec: &ServerSpec) -> Result<ServerBundle> {
    let Some(listener_host) = spec.hosts.first() else {
        return Err(Error::Invalid(
            "a server needs at least one host name (--host)".into(),
        ));
    };
    if let Err(rule) = store::check_new_password(&spec.wallet_password) {
        return Err(Error::Invalid(rule.into()));
    }
    let sans = san_entries(&spec.hosts, &spec.ips)?;
    let tls = ServerTls {
        target: spec.listener.target,
        key_type: net_key_type(spec.key_spec),
        client_auth: false,
        legacy_seed: false,
    };
    // The text first: a bad directory or host name fails before any key is made.
    let sqlnet_ora = ServerSqlnet {
        wallet_dir: spec.wallet_install_dir.clone(),
        tls: tls.clone(),
    }
    .render()?;
    let listener_ora = ListenerSpec {
        name: "LISTENER".into(),
        host: listener_host.clone(),
        tcp_port: spec.listener.tcp_port,
        tcps_port: spec.listener.tcps_port,
        ipc_key: None,
        static_sid: spec.listener.static_sid.clone(),
        wallet_dir: spec.wallet_install_dir.clone(),
        tls,
    }
    .render()?;

    let key = PrivateKey::generate(spec.key_spec)?;
    let identity = issue_server_identity(
        ca,
        &key,
        &spec.subject,
        &sans,
        spec.days,
        spec.wallet_profile,
    )?;
    let (ewallet_p12, cwallet_sso) = encode_auto_login(&identity.wallet, &spec.wallet_password)?;

    Ok(ServerBundle {
        key,
        certificate: identity.certificate,
        certificate_der: identity.certificate_der,
        sans: sans.iter().map(ToString::to_string).collect(),
        ewallet_p12,
        cwallet_sso,
        sqlnet_ora,
        listener_ora,
        warnings: identity.warnings,
    })
}

/// The `ewallet.p12` and `cwallet.sso` (0x36) bytes of an auto-login wallet.
pub(super) fn encode_auto_login(
    wallet: &Wallet,
    password: &Password,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let files = store::encode(
        &WalletPaths::in_dir(Path::new("")),
        wallet,
        WalletType::AutoLogin,
        Some(password),
    )?;
    let take = |name: &str| {
        files
            .iter()
            .find(|f| f.path.file_name().is_some_and(|n| n == name))
            .map(|f| f.contents.clone())
            .ok_or_else(|| Error::Invalid(format!("internal: {name} was not encoded")))
    };
    Ok((take(P12_NAME)?, take(SSO_NAME)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::key::Curve;
    use crate::pki::name::parse_dn;
    use crate::wallet::{p12, sso};

    fn spec(hosts: &[&str]) -> ServerSpec {
        ServerSpec {
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            ips: vec!["10.0.0.5".parse().unwrap()],
            subject: parse_dn("CN=db1.example.com").unwrap(),
            key_spec: KeySpec::Ec { curve: Curve::P256 },
            days: 30,
            wallet_profile: Profile::three_des(),
            wallet_password: Password::new("Bundle-pw-1".into()),
            wallet_install_dir: "/u01/app/oracle/wallet/tls".into(),
            listener: ListenerSettings {
                tcp_port: None,
                tcps_port: 2484,
                static_sid: None,
                target: Target::Oracle19c,
            },
        }
    }

    #[test]
    fn a_bundle_holds_the_key_its_certificate_and_the_ca_in_both_wallet_files() {
        let ca = CaMaterial::generate(
            KeySpec::Ec { curve: Curve::P256 },
            &parse_dn("CN=Unit Root").unwrap(),
            60,
        )
        .unwrap();
        let bundle = build_server_bundle(&ca, &spec(&["db1.example.com", "db1"])).unwrap();
        assert_eq!(
            bundle.sans,
            ["DNS:db1.example.com", "DNS:db1", "IP:10.0.0.5"]
        );
        assert!(bundle.listener_ora.contains("(HOST = db1.example.com)"));
        assert!(bundle.sqlnet_ora.contains("ECDSA"));
        assert_eq!(bundle.cwallet_sso[3], 0x36);
        let from_p12 = p12::read(&bundle.ewallet_p12, b"Bundle-pw-1")
            .unwrap()
            .wallet;
        let from_sso = sso::read(&bundle.cwallet_sso, None).unwrap().pkcs12.wallet;
        for wallet in [from_p12, from_sso] {
            assert_eq!(wallet.trusted_indices().len(), 1);
            let user = wallet.user_cert_indices();
            assert_eq!(user.len(), 1);
            assert!(matches!(&wallet.entries[user[0]].item,
                crate::wallet::model::Item::Certificate(d) if *d == bundle.certificate_der));
        }
    }

    #[test]
    fn a_weak_password_or_no_host_is_refused_before_any_key_is_made() {
        let ca = CaMaterial::generate(
            KeySpec::Ec { curve: Curve::P256 },
            &parse_dn("CN=Unit Root").unwrap(),
            60,
        )
        .unwrap();
        let mut weak = spec(&["db1"]);
        weak.wallet_password = Password::new("short".into());
        assert!(build_server_bundle(&ca, &weak).is_err());
        assert!(build_server_bundle(&ca, &spec(&[])).is_err());
    }
}
