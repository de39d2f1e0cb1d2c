//! orakit's keys, CSRs and certificates checked by OpenSSL.

use crate::pki_helpers::*;

const CA_DN: &str = "CN=Test Root CA, OU=PKI, OU=Root, O=Example, DC=example, DC=com";

#[test]
fn a_chain_made_by_orakit_verifies_in_openssl_with_the_extensions_we_set() {
    let dir = scratch();
    let d = dir.path();
    Fixture::at(d).ca(CA_DN);
    ok(d, &words("key generate --out server.key"));
    ok(
        d,
        &[
            "csr",
            "create",
            "--key",
            "server.key",
            "--subject",
            "CN=db1.example.com, OU=Sample Department, O=Sample Company, L=NYC, ST=NY, C=US",
            "--san",
            "db1.example.com",
            "--san",
            "10.0.0.5",
            "--out",
            "server.csr",
        ],
    );
    ok(
        d,
        &words(
            "csr sign server.csr --ca-cert ca.pem --ca-key ca.key --san DNS:db1 --out server.pem",
        ),
    );
    assert!(ossl(d, &words("verify -CAfile ca.pem server.pem")).contains("server.pem: OK"));

    let ca_text = ossl(d, &words("x509 -in ca.pem -noout -text"));
    assert!(
        ca_text.contains("X509v3 Basic Constraints: critical"),
        "{ca_text}"
    );
    assert!(ca_text.contains("CA:TRUE"), "{ca_text}");
    assert!(ca_text.contains("X509v3 Key Usage: critical"), "{ca_text}");
    assert!(ca_text.contains("Certificate Sign, CRL Sign"), "{ca_text}");
    assert!(
        ca_text.contains("X509v3 Subject Key Identifier"),
        "{ca_text}"
    );

    let text = ossl(d, &words("x509 -in server.pem -noout -text"));
    assert!(
        text.contains("X509v3 Basic Constraints: critical"),
        "{text}"
    );
    assert!(text.contains("CA:FALSE"), "{text}");
    assert!(text.contains("X509v3 Key Usage: critical"), "{text}");
    assert!(
        text.contains("Digital Signature, Key Encipherment"),
        "{text}"
    );
    assert!(text.contains("TLS Web Server Authentication"), "{text}");
    assert!(
        text.contains("DNS:db1.example.com, IP Address:10.0.0.5, DNS:db1"),
        "{text}"
    );
    assert!(text.contains("X509v3 Authority Key Identifier"), "{text}");
    assert!(
        text.contains("Signature Algorithm: sha256WithRSAEncryption"),
        "{text}"
    );

    // The leaf's issuer is the CA's subject, repeated OU and DC kept in order.
    let issuer = ossl(
        d,
        &words("x509 -in server.pem -noout -issuer -nameopt RFC2253"),
    );
    let subject = ossl(
        d,
        &words("x509 -in ca.pem -noout -subject -nameopt RFC2253"),
    );
    assert_eq!(
        issuer.trim(),
        "issuer=CN=Test Root CA,OU=PKI,OU=Root,O=Example,DC=example,DC=com"
    );
    assert_eq!(subject.trim().replace("subject=", "issuer="), issuer.trim());
    let leaf_subject = ossl(
        d,
        &words("x509 -in server.pem -noout -subject -nameopt RFC2253"),
    );
    assert_eq!(
        leaf_subject.trim(),
        "subject=CN=db1.example.com,OU=Sample Department,O=Sample Company,L=NYC,ST=NY,C=US"
    );
}

#[test]
fn client_profile_gets_client_auth() {
    let dir = scratch();
    let d = dir.path();
    Fixture::at(d)
        .key_type("p384")
        .ca("CN=EC Root")
        .key_type("p256")
        .csr_named("server", SERVER_DN, &["db1.example.com"]);
    ok(
        d,
        &words(
            "csr sign server.csr --profile client --ca-cert ca.pem --ca-key ca.key --out client.pem",
        ),
    );
    let text = ossl(d, &words("x509 -in client.pem -noout -text"));
    assert!(text.contains("TLS Web Client Authentication"), "{text}");
    assert!(!text.contains("TLS Web Server Authentication"), "{text}");
    // An EC leaf key: digitalSignature only. A P-384 CA signs with SHA-384.
    assert!(text.contains("Digital Signature\n"), "{text}");
    assert!(text.contains("ecdsa-with-SHA384"), "{text}");
    assert!(ossl(d, &words("verify -CAfile ca.pem client.pem")).contains("OK"));
}

#[test]
fn orakit_csrs_pass_openssl_req_verify() {
    let dir = scratch();
    let d = dir.path();
    for key_type in ["rsa2048", "p256", "p384", "p521"] {
        let key = format!("{key_type}.key");
        let csr = format!("{key_type}.csr");
        ok(
            d,
            &["key", "generate", "--key-type", key_type, "--out", &key],
        );
        ok(
            d,
            &[
                "csr",
                "create",
                "--key",
                &key,
                "--subject",
                "CN=multi+UID=42, OU=A, OU=B",
                "--san",
                "host.example.com",
                "--san",
                "::1",
                "--out",
                &csr,
            ],
        );
        let out = ossl(d, &["req", "-verify", "-in", &csr, "-noout", "-text"]);
        assert!(out.contains("verify OK"), "{key_type}: {out}");
        assert!(
            out.contains("DNS:host.example.com, IP Address:0:0:0:0:0:0:0:1"),
            "{out}"
        );
        let subject = ossl(
            d,
            &[
                "req", "-in", &csr, "-noout", "-subject", "-nameopt", "RFC2253",
            ],
        );
        // One multi-valued RDN; OpenSSL prints its members in reverse too.
        assert_eq!(
            subject.trim(),
            "subject=UID=42+CN=multi,OU=A,OU=B",
            "{key_type}"
        );
    }
}

#[test]
fn a_csr_without_sans_passes_openssl_req_verify() {
    let dir = scratch();
    let d = dir.path();
    ok(
        d,
        &words("csr create --key-out k.key --key-type p256 --subject CN=plain --out plain.csr"),
    );
    let out = ossl(d, &words("req -verify -in plain.csr -noout -text"));
    assert!(out.contains("verify OK"), "{out}");
    assert!(!out.contains("Subject Alternative Name"), "{out}");
}

#[test]
fn orakit_keys_plain_and_encrypted_load_in_openssl_pkey() {
    let dir = scratch();
    let d = dir.path();
    for (key_type, expect) in [
        ("rsa2048", "Private-Key: (2048 bit"),
        ("p256", "NIST CURVE: P-256"),
        ("p384", "NIST CURVE: P-384"),
        ("p521", "NIST CURVE: P-521"),
    ] {
        let key = format!("{key_type}.key");
        ok(
            d,
            &["key", "generate", "--key-type", key_type, "--out", &key],
        );
        let text = ossl(d, &["pkey", "-in", &key, "-noout", "-text"]);
        assert!(text.contains(expect), "{key_type}: {text}");
    }
    let enc = run_ok_env(
        d,
        &[
            "key",
            "generate",
            "--key-type",
            "p256",
            "--password-env",
            "KEYPW",
            "--out",
            "enc.key",
        ],
    );
    assert!(enc.contains("encrypted"), "{enc}");
    let pem = std::fs::read_to_string(d.join("enc.key")).unwrap();
    assert!(
        pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{pem}"
    );
    let mut cmd = crate::support::openssl();
    cmd.current_dir(d)
        .env("KEYPW", "s3cret pass")
        .args(words("pkey -in enc.key -passin env:KEYPW -noout -text"));
    let out = crate::support::run_ok(&mut cmd);
    assert!(crate::support::stdout(&out).contains("NIST CURVE: P-256"));
    // The encryption scheme, as OpenSSL reads it from the file.
    let asn1 = ossl(d, &["asn1parse", "-in", "enc.key"]);
    for alg in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(asn1.contains(alg), "{alg} missing in:\n{asn1}");
    }
    // And the wrong password is refused by OpenSSL too.
    let mut cmd = crate::support::openssl();
    cmd.current_dir(d)
        .env("KEYPW", "not it")
        .args(words("pkey -in enc.key -passin env:KEYPW -noout"));
    assert!(!crate::support::run(&mut cmd).status.success());
}

fn run_ok_env(dir: &std::path::Path, args: &[&str]) -> String {
    let mut cmd = orakit_in(dir);
    cmd.env("KEYPW", "s3cret pass").args(args);
    crate::support::stderr(&crate::support::run_ok(&mut cmd))
}

#[test]
fn validity_is_clamped_to_the_ca_with_a_warning() {
    let dir = scratch();
    let d = dir.path();
    ok(
        d,
        &[
            "ca",
            "init",
            "--subject",
            "CN=Short CA",
            "--key-type",
            "p256",
            "--days",
            "10",
            "--key-out",
            "ca.key",
            "--out",
            "ca.pem",
        ],
    );
    Fixture::at(d)
        .key_type("p256")
        .csr_named("server", SERVER_DN, &["db1.example.com"]);
    let err = ok(
        d,
        &words("csr sign server.csr --ca-cert ca.pem --ca-key ca.key --days 365 --out server.pem"),
    );
    assert!(
        err.contains("warning:") && err.contains("ends after the CA"),
        "{err}"
    );
    let ca_end = ossl(d, &words("x509 -in ca.pem -noout -enddate"));
    let leaf_end = ossl(d, &words("x509 -in server.pem -noout -enddate"));
    assert_eq!(ca_end, leaf_end);
    assert!(ossl(d, &words("verify -CAfile ca.pem server.pem")).contains(": OK"));
}

#[test]
fn a_serial_file_is_created_then_incremented() {
    let dir = scratch();
    let d = dir.path();
    Fixture::at(d).ca("CN=Root").key_type("p256").csr_named(
        "server",
        SERVER_DN,
        &["db1.example.com"],
    );
    for out in ["one.pem", "two.pem"] {
        ok(
            d,
            &[
                "csr",
                "sign",
                "server.csr",
                "--ca-cert",
                "ca.pem",
                "--ca-key",
                "ca.key",
                "--serial-file",
                "ca.srl",
                "--out",
                out,
            ],
        );
    }
    let serial_of = |f: &str| {
        let s = ossl(d, &["x509", "-in", f, "-noout", "-serial"]);
        u128::from_str_radix(s.trim().trim_start_matches("serial="), 16).unwrap()
    };
    let (one, two) = (serial_of("one.pem"), serial_of("two.pem"));
    assert_eq!(two, one + 1);
    let file = std::fs::read_to_string(d.join("ca.srl")).unwrap();
    assert_eq!(u128::from_str_radix(file.trim(), 16).unwrap(), two);
    // The serial file is what OpenSSL itself continues from.
    ossl(
        d,
        &words("x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAserial ca.srl -out three.pem"),
    );
    assert_eq!(serial_of("three.pem"), two + 1);
}

#[test]
fn an_encrypted_ca_key_is_opened_with_the_ca_key_password_flags() {
    let dir = scratch();
    let d = dir.path();
    std::fs::write(d.join("pw.txt"), "ca-pass-123\n").unwrap();
    ok(
        d,
        &[
            "ca",
            "init",
            "--subject",
            "CN=Locked CA",
            "--key-type",
            "p256",
            "--password-file",
            "pw.txt",
            "--key-out",
            "ca.key",
            "--out",
            "ca.pem",
        ],
    );
    Fixture::at(d)
        .key_type("p256")
        .csr_named("server", SERVER_DN, &["db1.example.com"]);
    ok(
        d,
        &words(
            "csr sign server.csr --ca-cert ca.pem --ca-key ca.key --ca-key-password-file pw.txt --out server.pem",
        ),
    );
    assert!(ossl(d, &words("verify -CAfile ca.pem server.pem")).contains(": OK"));
    let (ok_pkey, _) = ossl_try(d, &words("pkey -in ca.key -passin file:pw.txt -noout"));
    assert!(ok_pkey);
}

/// python-cryptography's verifier applies RFC 5280 and CA/Browser Forum profile rules
/// strictly (key identifiers, key usage, SAN matching): stricter than `openssl verify`.
const STRICT_VERIFY: &str = r#"
import sys
from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509 import DNSName, IPAddress
import ipaddress
ca = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
leaf = x509.load_pem_x509_certificate(open(sys.argv[2], "rb").read())
builder = PolicyBuilder().store(Store([ca]))
if sys.argv[3] == "client":
    verified = builder.build_client_verifier().verify(leaf, [])
    print("client ok", len(verified.chain))
else:
    name = sys.argv[3]
    try:
        subject = IPAddress(ipaddress.ip_address(name))
    except ValueError:
        subject = DNSName(name)
    chain = builder.build_server_verifier(subject).verify(leaf, [])
    print("server ok", len(chain))
"#;

fn strict_verify(dir: &std::path::Path, ca: &str, leaf: &str, purpose: &str) -> (bool, String) {
    let out = crate::support::run(
        std::process::Command::new("python3")
            .current_dir(dir)
            .args(["-c", STRICT_VERIFY, ca, leaf, purpose]),
    );
    (
        out.status.success(),
        format!(
            "{}{}",
            crate::support::stdout(&out),
            crate::support::stderr(&out)
        ),
    )
}

#[test]
fn chains_pass_the_strict_verifier_of_python_cryptography() {
    let dir = scratch();
    let d = dir.path();
    Fixture::at(d).ca(CA_DN);
    Fixture::at(d)
        .key_type("p256")
        .ca_named("ec-ca", "CN=EC Root, O=Example");
    ok(
        d,
        &words(
            "csr create --key-out s.key --subject CN=db1.example.com --san db1.example.com --san 10.0.0.5 --out s.csr",
        ),
    );
    for (ca, key) in [("ca.pem", "ca.key"), ("ec-ca.pem", "ec-ca.key")] {
        let server = format!("server-{ca}");
        let client = format!("client-{ca}");
        ok(
            d,
            &[
                "csr",
                "sign",
                "s.csr",
                "--ca-cert",
                ca,
                "--ca-key",
                key,
                "--out",
                &server,
            ],
        );
        ok(
            d,
            &[
                "csr",
                "sign",
                "s.csr",
                "--profile",
                "client",
                "--ca-cert",
                ca,
                "--ca-key",
                key,
                "--out",
                &client,
            ],
        );
        for name in ["db1.example.com", "10.0.0.5"] {
            let (passed, out) = strict_verify(d, ca, &server, name);
            assert!(passed && out.contains("server ok"), "{ca} {name}: {out}");
        }
        // The name check is real: a host the certificate does not name is refused.
        let (passed, _) = strict_verify(d, ca, &server, "other.example.com");
        assert!(!passed, "{ca}: other.example.com must not verify");
        let (passed, out) = strict_verify(d, ca, &client, "client");
        assert!(passed && out.contains("client ok"), "{ca}: {out}");
    }
}
