//! `tcps init` planned in memory: a root CA, one server bundle (via
//! [`build_server_bundle`]), the client bundle, and the summary. [`plan`] touches no file;
//! [`super::layout::publish`] writes the result.

use std::net::IpAddr;
use std::path::Path;

use x509_cert::name::Name;

use super::client::{ClientSpec, build_client_bundle};
use super::layout::{self, OutFile};
use super::server::{CaMaterial, ListenerSettings, ServerSpec, build_server_bundle};
use super::summary::{CaSummary, ClientSummary, DmsSummary, ServerSummary, Step, Summary};
use super::{Error, Result};
use crate::fsio::{MODE_PUBLIC, MODE_SECRET};
use crate::net::listener::StaticSid;
use crate::net::tls::Target;
use crate::net::tnsnames::ConnectTo;
use crate::pbe::Algorithm;
use crate::pki::key::KeySpec;
use crate::pki::name::to_rfc2253;
use crate::pki::show::format_time;
use crate::secret::Password;
use crate::wallet::model::Profile;

/// Every choice `tcps init` takes.
#[derive(Debug, Clone)]
pub struct InitSpec {
    pub hosts: Vec<String>,
    pub ips: Vec<IpAddr>,
    /// The service clients connect to; `None` when only a SID is given.
    pub service: Option<String>,
    pub sid: Option<String>,
    /// With `sid`: register the SID statically in listener.ora.
    pub oracle_home: Option<String>,
    pub tcps_port: u16,
    pub tcp_port: Option<u16>,
    pub key_spec: KeySpec,
    pub ca_subject: Name,
    pub server_subject: Name,
    pub days: u32,
    pub ca_days: u32,
    pub wallet_profile: Profile,
    pub server_wallet_password: Password,
    pub server_wallet_dir: String,
    pub client_wallet_dir: String,
    pub target: Target,
    /// The tnsnames.ora alias; defaults to the service (or SID).
    pub alias: Option<String>,
    /// A server certificate from elsewhere ([`super::byo`]): no CA is made.
    pub brought: Option<super::byo::BroughtCertificate>,
    /// Mutual TLS with these client identities ([`super::client_auth`]).
    pub client_auth: Option<super::client_auth::ClientAuthSpec>,
    /// An existing CA to sign with (`--ca-dir`) instead of a new root.
    pub existing_ca: Option<CaMaterial>,
    /// Encrypt DIR/ca/ca.key with this password (see [`super::ca_store`]).
    pub ca_key_password: Option<Password>,
}

/// The files and the summary, ready to publish.
#[derive(Debug)]
pub struct InitPlan {
    pub files: Vec<OutFile>,
    pub summary: Summary,
}

/// Makes everything in memory. `out` is only used to name paths in the summary.
pub fn plan(spec: &InitSpec, out: &Path) -> Result<InitPlan> {
    let connect_to = match (&spec.service, &spec.sid) {
        (Some(service), _) => ConnectTo::Service(service.clone()),
        (None, Some(sid)) => ConnectTo::Sid(sid.clone()),
        (None, None) => {
            return Err(Error::Invalid(
                "clients need a service name (--service) or a SID (--sid)".into(),
            ));
        }
    };
    let alias = match (&spec.alias, &connect_to) {
        (Some(a), _) => a.clone(),
        (None, ConnectTo::Service(s) | ConnectTo::Sid(s)) => s.clone(),
    };
    let static_sid = match (&spec.sid, &spec.oracle_home) {
        (Some(sid), Some(home)) => Some(StaticSid {
            sid: sid.clone(),
            oracle_home: home.clone(),
            global_dbname: spec.service.clone(),
        }),
        (None, Some(_)) => {
            return Err(Error::Invalid(
                "--oracle-home is for static registration and needs --sid".into(),
            ));
        }
        _ => None,
    };
    if spec.hosts.is_empty() {
        return Err(Error::Invalid("give at least one --host".into()));
    }
    let client_spec = ClientSpec {
        alias: alias.clone(),
        host: spec.hosts[0].clone(),
        tcps_port: spec.tcps_port,
        connect_to,
        wallet_install_dir: spec.client_wallet_dir.clone(),
        target: spec.target,
    };
    // Check the client's text before making keys: a bad alias fails fast.
    build_client_bundle(&[], spec.wallet_profile, &client_spec)?;
    if let Some(auth) = &spec.client_auth {
        auth.check()?;
    }

    let server_spec = ServerSpec {
        hosts: spec.hosts.clone(),
        ips: spec.ips.clone(),
        subject: spec.server_subject.clone(),
        key_spec: spec.key_spec,
        days: spec.days,
        wallet_profile: spec.wallet_profile,
        wallet_password: spec.server_wallet_password.clone(),
        wallet_install_dir: spec.server_wallet_dir.clone(),
        listener: ListenerSettings {
            tcp_port: spec.tcp_port,
            tcps_port: spec.tcps_port,
            static_sid,
            target: spec.target,
        },
    };
    // Our own CA, or (a certificate brought from elsewhere) none, and the root clients trust.
    let (ca, mut server, root, trust_der) = match &spec.brought {
        None => {
            let ca = match &spec.existing_ca {
                Some(existing) => existing.clone(),
                None => CaMaterial::generate(spec.key_spec, &spec.ca_subject, spec.ca_days)?,
            };
            let server = build_server_bundle(&ca, &server_spec)?;
            let (root, trust_der) = (ca.certificate.clone(), ca.chain_der.clone());
            (Some(ca), server, root, trust_der)
        }
        Some(brought) => {
            if spec.client_auth.is_some() {
                return Err(Error::Invalid(
                    "--client-auth issues client certificates from the CA `tcps init` makes; with a server certificate from elsewhere, have your CA issue the client certificates (profile clientAuth) and put each in a wallet with `orakit wallet import`".into(),
                ));
            }
            if spec.existing_ca.is_some() {
                return Err(Error::Invalid(
                    "--ca-dir signs with a CA of yours; a server certificate from elsewhere (--pkcs12, --key/--cert, --tls-secret) needs no CA: give one or the other".into(),
                ));
            }
            let byo = super::byo::build_server_bundle(brought, &server_spec, false)?;
            (None, byo.bundle, byo.root, vec![byo.root_der])
        }
    };
    let mut client = build_client_bundle(&trust_der, spec.wallet_profile, &client_spec)?;
    let mut identity_files = Vec::new();
    let mut identities = Vec::new();
    if let (Some(auth), Some(ca)) = (&spec.client_auth, &ca) {
        let key_type = super::server::net_key_type(spec.key_spec);
        (server.sqlnet_ora, server.listener_ora) =
            super::server_net::render(&server_spec, key_type, true)?;
        client.sqlnet_ora = super::server_net::render_client(&crate::net::sqlnet::ClientSqlnet {
            wallet_dir: spec.client_wallet_dir.clone(),
            target: spec.target,
            wallet_override: false,
        })?;
        let out_abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        (identity_files, identities) =
            super::client_auth::build_identities(ca, auth, spec.wallet_profile, &out_abs)?;
        server.warnings.push(format!(
            "the listener now requires a client certificate: {} (the AWS DMS upload) holds none, so a connection with it is refused; clients use their wallet under clients/NAME",
            layout::CLIENT_WALLET
        ));
    }

    let ca_pem = crate::pki::cert::to_pem(&root)?;
    let server_pem = crate::pki::cert::to_pem(&server.certificate)?;
    let file = |relative: &str, contents: &[u8], mode: u32| OutFile {
        relative: relative.to_owned(),
        contents: contents.to_vec(),
        mode,
    };
    let mut summary = summarize(spec, out, ca.as_ref(), &root, &server, &client, &alias);
    if !identities.is_empty() {
        summary.next_steps.push(Step {
            title: "Mutual TLS: on the database, create a user for each client certificate (as a DBA), then give each client its wallet from clients/NAME/wallet and connect with `sqlplus /@ALIAS`".into(),
            commands: identities
                .iter()
                .flat_map(|c| [c.create_user.clone(), c.grant.clone()])
                .collect(),
        });
    }
    summary.client_identities = identities;
    let summary_json = serde_json::to_string_pretty(&summary)
        .map_err(|e| Error::Invalid(format!("internal: {e}")))?;
    let mut files = Vec::new();
    if let Some(ca) = &ca {
        let ca_key_pem = super::ca_store::key_file_bytes(&ca.key, spec.ca_key_password.as_ref())?;
        files.push(file(layout::CA_KEY, &ca_key_pem, MODE_SECRET));
    }
    files.extend(identity_files);
    files.extend([
        file(layout::CA_CERT, ca_pem.as_bytes(), MODE_PUBLIC),
        file(
            &format!("{}/ewallet.p12", layout::SERVER_WALLET),
            &server.ewallet_p12,
            MODE_SECRET,
        ),
        file(
            &format!("{}/cwallet.sso", layout::SERVER_WALLET),
            &server.cwallet_sso,
            MODE_SECRET,
        ),
        file(layout::SERVER_CERT, server_pem.as_bytes(), MODE_PUBLIC),
        file(
            layout::SERVER_SQLNET,
            server.sqlnet_ora.as_bytes(),
            MODE_PUBLIC,
        ),
        file(
            layout::SERVER_LISTENER,
            server.listener_ora.as_bytes(),
            MODE_PUBLIC,
        ),
        // The client wallet holds only public certificates, but Oracle and DMS expect
        // wallet files private; 0600 like orapki writes them.
        file(
            &format!("{}/cwallet.sso", layout::CLIENT_WALLET),
            &client.cwallet_sso,
            MODE_SECRET,
        ),
        file(
            &format!("{}/ewallet.pem", layout::CLIENT_WALLET),
            client.ewallet_pem.as_bytes(),
            MODE_PUBLIC,
        ),
        file(
            layout::CLIENT_SQLNET,
            client.sqlnet_ora.as_bytes(),
            MODE_PUBLIC,
        ),
        file(
            layout::CLIENT_TNSNAMES,
            client.tnsnames_ora.as_bytes(),
            MODE_PUBLIC,
        ),
        file(
            layout::MARKER,
            format!("{summary_json}\n").as_bytes(),
            MODE_PUBLIC,
        ),
    ]);
    Ok(InitPlan { files, summary })
}

/// An AWS DMS certificate identifier for a host's root: it must start with a letter and
/// hold only letters, digits and single hyphens, not ending with one.
fn dms_certificate_identifier(host: &str) -> String {
    let mut id = String::from("tcps-root-");
    for c in host.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(c == '-' && id.ends_with('-')) {
            id.push(c);
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// Quotes a path or value for a POSIX shell when it needs it.
fn sh(value: &str) -> String {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:=@,+".contains(c))
    {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

fn encryption_name(profile: &Profile) -> &'static str {
    match profile.encryption.algorithm {
        Algorithm::Pbe3Des => "3DES",
        _ => "AES-256",
    }
}

fn summarize(
    spec: &InitSpec,
    out: &Path,
    ca: Option<&CaMaterial>,
    root: &x509_cert::Certificate,
    server: &super::server::ServerBundle,
    client: &super::client::ClientBundle,
    alias: &str,
) -> Summary {
    let out_dir = std::path::absolute(out)
        .unwrap_or_else(|_| out.to_path_buf())
        .display()
        .to_string();
    let p = |rel: &str| format!("{out_dir}/{rel}");
    let ca_tbs = root.tbs_certificate();
    let server_tbs = server.certificate.tbs_certificate();
    let host = &spec.hosts[0];
    let server_wallet = p(layout::SERVER_WALLET);
    let client_wallet = p(layout::CLIENT_WALLET);
    let dms_file = format!("{client_wallet}/cwallet.sso");
    let identifier = dms_certificate_identifier(host);
    let import_command = format!(
        "aws dms import-certificate --certificate-identifier {} --certificate-wallet fileb://{}",
        sh(&identifier),
        sh(&dms_file)
    );
    let sw = sh(&spec.server_wallet_dir);
    let cw = sh(&spec.client_wallet_dir);
    let next_steps = vec![
        Step {
            title: format!(
                "Install the server wallet on {host} as the Oracle software owner (files stay 0600)"
            ),
            commands: vec![
                format!("ssh oracle@{host} 'mkdir -p -m 700 {sw}'"),
                format!(
                    "scp -p {} {} oracle@{host}:{sw}/",
                    sh(&format!("{server_wallet}/ewallet.p12")),
                    sh(&format!("{server_wallet}/cwallet.sso"))
                ),
            ],
        },
        Step {
            title: format!(
                "Merge {} and {} into $ORACLE_HOME/network/admin (or $TNS_ADMIN) on {host}: `orakit net sqlnet --role server --wallet-dir ... --update FILE` and `orakit net listener ... --update FILE` do it with a backup",
                p(layout::SERVER_SQLNET),
                p(layout::SERVER_LISTENER)
            ),
            commands: vec![],
        },
        Step {
            title: "Restart the listener and look for the TCPS endpoint".into(),
            commands: vec![
                "lsnrctl stop".into(),
                "lsnrctl start".into(),
                "lsnrctl status   # shows (PROTOCOL=tcps)(HOST=...)(PORT=...)".into(),
            ],
        },
        Step {
            title: format!(
                "On a client: install {client_wallet} in {} and the files of {} in $TNS_ADMIN, then test",
                spec.client_wallet_dir,
                p("client/network")
            ),
            commands: vec![
                format!("mkdir -p {cw} && cp -p {} {} {cw}/", sh(&format!("{client_wallet}/cwallet.sso")), sh(&format!("{client_wallet}/ewallet.pem"))),
                format!("sqlplus USER@{alias}"),
                "SELECT SYS_CONTEXT('USERENV', 'NETWORK_PROTOCOL') FROM dual;   -- tcps".into(),
            ],
        },
        Step {
            title: "AWS DMS: import the client wallet, then create the Oracle endpoint with SSL mode verify-ca and that certificate".into(),
            commands: vec![
                import_command.clone(),
                format!(
                    "aws dms create-endpoint --endpoint-identifier ... --endpoint-type source --engine-name oracle --server-name {host} --port {} --database-name {} --ssl-mode verify-ca --certificate-arn <CertificateArn from the import> --username ... --password ...",
                    spec.tcps_port,
                    sh(spec.service.as_deref().or(spec.sid.as_deref()).unwrap_or(alias))
                ),
            ],
        },
    ];
    Summary {
        out_dir: out_dir.clone(),
        ca: CaSummary {
            subject: to_rfc2253(ca_tbs.subject()),
            key_type: crate::pki::key::spec_of_public_key(ca_tbs.subject_public_key_info())
                .map_or_else(|_| "unknown key".to_owned(), |k| k.description()),
            not_after: format_time(&ca_tbs.validity().not_after),
            key_file: ca.map(|_| p(layout::CA_KEY)),
            certificate_file: p(layout::CA_CERT),
            server_certificate_source: spec.brought.as_ref().map(|b| b.source.clone()),
        },
        server: ServerSummary {
            subject: to_rfc2253(server_tbs.subject()),
            subject_alt_names: server.sans.clone(),
            key_type: server.key.description(),
            not_after: format_time(&server_tbs.validity().not_after),
            wallet_dir: server_wallet,
            install_dir: spec.server_wallet_dir.clone(),
            wallet_type: "auto-login",
            wallet_encryption: encryption_name(&spec.wallet_profile),
            listener_host: host.clone(),
            tcps_port: spec.tcps_port,
            tcp_port: spec.tcp_port,
            network_dir: p("server/network"),
        },
        client: ClientSummary {
            wallet_dir: client_wallet,
            install_dir: spec.client_wallet_dir.clone(),
            wallet_type: "auto-login-only",
            network_dir: p("client/network"),
            alias: alias.to_owned(),
            easy_connect: client.easy_connect.clone(),
        },
        dms: DmsSummary {
            wallet_file: dms_file,
            import_command,
            ssl_mode: "verify-ca",
        },
        client_identities: Vec::new(),
        warnings: server.warnings.clone(),
        next_steps,
    }
}

/// A new random wallet password: 20 characters from letters and digits (about 119
/// bits), always with at least one letter and one digit, so orapki's rule holds.
pub fn generate_wallet_password() -> Result<Password> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    loop {
        let mut raw = zeroize::Zeroizing::new([0u8; 64]);
        getrandom::fill(raw.as_mut_slice())
            .map_err(|e| Error::Invalid(format!("the system random generator failed: {e}")))?;
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        let text: String = raw
            .iter()
            .filter(|&&b| (b as usize) < limit)
            .map(|&b| ALPHABET[b as usize % ALPHABET.len()] as char)
            .take(20)
            .collect();
        let password = Password::new(text);
        if password.char_count() == 20
            && password.as_str().chars().any(|c| c.is_ascii_digit())
            && password.as_str().chars().any(|c| c.is_ascii_alphabetic())
        {
            return Ok(password);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::store::check_new_password;

    #[test]
    fn generated_passwords_meet_orapkis_rule_and_differ() {
        let a = generate_wallet_password().unwrap();
        let b = generate_wallet_password().unwrap();
        assert!(check_new_password(&a).is_ok());
        assert_eq!(a.char_count(), 20);
        assert_ne!(a, b);
    }

    #[test]
    fn dms_identifiers_follow_the_aws_rule() {
        assert_eq!(
            dms_certificate_identifier("db1.example.com"),
            "tcps-root-db1-example-com"
        );
        assert_eq!(dms_certificate_identifier("10.0.0.5"), "tcps-root-10-0-0-5");
        assert_eq!(dms_certificate_identifier("::1"), "tcps-root-1");
    }

    #[test]
    fn shell_quoting_leaves_plain_paths_alone() {
        assert_eq!(sh("/u01/app/oracle/wallet"), "/u01/app/oracle/wallet");
        assert_eq!(sh("/tmp/my dir/it's"), r"'/tmp/my dir/it'\''s'");
    }
}
