//! The JKS trust store orakit's drop-in `orapki wallet pkcs12_to_jks` writes serves the
//! JDBC thin driver of both releases as its `javax.net.ssl.trustStore` (type JKS): the
//! handshake with a server whose certificate the wallet's CA signed completes (the driver
//! sends its connect packet), and a trust store of another CA is refused by the driver.

use std::path::Path;

use crate::peers::RELEASES;
use crate::support::{orakit, run_ok};
use crate::tls_support::*;

const WALLET_PW: &str = "JdbcJks2026pwd#xy";
const STORE_PW: &str = "JdbcTrust2026pwd#x";

/// A password wallet trusting `ca`, turned into `ts.jks` by the drop-in front end.
fn trust_store(dir: &Path, name: &str, ca: &Path) -> std::path::PathBuf {
    let wallet = dir.join(name);
    let store = dir.join(format!("{name}.jks"));
    let orapki = |args: &[&str]| {
        run_ok(
            orakit()
                .arg("orapki")
                .args(args)
                .env("ORAKIT_DROPIN_QUIET", "1"),
        );
    };
    let w = wallet.to_str().unwrap();
    orapki(&[
        "wallet", "create", "-wallet", w, "-pwd", WALLET_PW, "-nologo",
    ]);
    orapki(&[
        "wallet",
        "add",
        "-wallet",
        w,
        "-trusted_cert",
        "-cert",
        ca.to_str().unwrap(),
        "-pwd",
        WALLET_PW,
        "-nologo",
    ]);
    orapki(&[
        "wallet",
        "pkcs12_to_jks",
        "-wallet",
        w,
        "-pwd",
        WALLET_PW,
        "-jksKeyStoreLoc",
        dir.join(format!("{name}-keys.jks")).to_str().unwrap(),
        "-jksKeyStorepwd",
        STORE_PW,
        "-jksTrustStoreLoc",
        store.to_str().unwrap(),
        "-jksTrustStorepwd",
        STORE_PW,
        "-nologo",
    ]);
    store
}

#[test]
fn jdbc_trusts_the_jks_trust_store_of_the_drop_in_pkcs12_to_jks() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let init = tcps_init(dir, "srv", "localhost", &[]);
    let other = tcps_init(dir, "other", "localhost", &[]);
    let good = trust_store(dir, "good", &init.join("ca/ca.pem"));
    let wrong = trust_store(dir, "wrong", &other.join("ca/ca.pem"));
    let cert = init.join("server/server.pem");
    let key = server_key_pem(&init);
    for release in RELEASES {
        let trusted = OpenSslServer::start(dir, &cert, &key, &[]);
        let refused = OpenSslServer::start(dir, &cert, &key, &[]);
        let jks = |label: &str, port: u16, store: &Path| {
            Attempt::ezconnect(label, port)
                .prop("javax.net.ssl.trustStore", &store.display().to_string())
                .prop("javax.net.ssl.trustStoreType", "JKS")
                .prop("javax.net.ssl.trustStorePassword", STORE_PW)
        };
        let outcomes = jdbc(
            release,
            dir,
            &[
                jks("JKS trust store of the server's CA", trusted.port, &good),
                jks("JKS trust store of another CA", refused.port, &wrong),
            ],
        );
        outcomes[0].assert_read_timeout(release);
        let got = trusted.received();
        assert!(
            got.contains("(DESCRIPTION=") && got.contains("(SERVICE_NAME=ORCLPDB1)"),
            "{}: s_server received no connect packet: {got:?}",
            release.name()
        );
        outcomes[1].assert_refused(release, "PKIX path");
    }
}
