//! Bad input: each case exits 1 with one message naming the file and the problem, writes
//! nothing, and leaves an existing output untouched even with --force.

use std::path::Path;

use crate::pki_helpers::*;
use crate::support::*;

/// A CA and a server CSR, plus an existing `out.pem` holding "keep".
fn setup() -> tempfile::TempDir {
    let dir = scratch();
    let d = dir.path();
    ok(
        d,
        &words("ca init --subject CN=Root --key-type p256 --key-out ca.key --out ca.pem"),
    );
    make_server_csr(d);
    std::fs::write(d.join("out.pem"), "keep").unwrap();
    dir
}

fn sign(d: &Path, csr: &str, ca_cert: &str, ca_key: &str) -> std::process::Command {
    let mut cmd = orakit_in(d);
    cmd.args([
        "csr",
        "sign",
        csr,
        "--ca-cert",
        ca_cert,
        "--ca-key",
        ca_key,
        "--out",
        "out.pem",
        "--force",
    ]);
    cmd
}

#[test]
fn garbage_pem_as_ca_key() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(
        d.join("bad.key"),
        "-----BEGIN PRIVATE KEY-----\n!!not base64!!\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    fails_cleanly(
        d,
        &mut sign(d, "server.csr", "ca.pem", "bad.key"),
        &["CA key bad.key", "not valid base64"],
    );
}

#[test]
fn text_that_is_neither_pem_nor_der_as_csr() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("junk.csr"), "hello, I am not a request\n").unwrap();
    fails_cleanly(
        d,
        &mut sign(d, "junk.csr", "ca.pem", "ca.key"),
        &["certificate request junk.csr", "neither PEM", "nor DER"],
    );
}

#[test]
fn truncated_der_ca_certificate() {
    let dir = setup();
    let d = dir.path();
    ossl(d, &words("x509 -in ca.pem -outform DER -out ca.der"));
    let der = std::fs::read(d.join("ca.der")).unwrap();
    std::fs::write(d.join("cut.der"), &der[..der.len() / 2]).unwrap();
    std::fs::remove_file(d.join("ca.der")).unwrap();
    fails_cleanly(
        d,
        &mut sign(d, "server.csr", "cut.der", "ca.key"),
        &["CA certificate cut.der", "truncated or damaged"],
    );
}

#[test]
fn a_certificate_given_where_a_key_is_expected() {
    let dir = setup();
    let d = dir.path();
    fails_cleanly(
        d,
        &mut sign(d, "server.csr", "ca.pem", "ca.pem"),
        &["CA key ca.pem", "holds a certificate, not a private key"],
    );
}

#[test]
fn a_ca_key_that_does_not_match_the_ca_certificate() {
    let dir = setup();
    let d = dir.path();
    ok(d, &words("key generate --key-type p256 --out other.key"));
    fails_cleanly(
        d,
        &mut sign(d, "server.csr", "ca.pem", "other.key"),
        &[
            "CA key other.key",
            "does not match the CA certificate CN=Root",
        ],
    );
}

#[test]
fn a_non_ca_issuer() {
    let dir = setup();
    let d = dir.path();
    ok(
        d,
        &words("csr sign server.csr --ca-cert ca.pem --ca-key ca.key --out leaf.pem"),
    );
    fails_cleanly(
        d,
        &mut sign(d, "server.csr", "leaf.pem", "server.key"),
        &["CA certificate leaf.pem", "is not a CA", "CA:FALSE"],
    );
}

#[test]
fn a_csr_with_a_broken_signature() {
    let dir = setup();
    let d = dir.path();
    ossl(d, &words("req -in server.csr -outform DER -out server.der"));
    let mut der = std::fs::read(d.join("server.der")).unwrap();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    std::fs::write(d.join("broken.der"), &der).unwrap();
    std::fs::remove_file(d.join("server.der")).unwrap();
    // OpenSSL 3 exits 0 here but reports the failure in its output.
    let (_, verdict) = ossl_try(d, &words("req -verify -in broken.der -inform DER -noout"));
    assert!(verdict.contains("verify failure"), "{verdict}");
    fails_cleanly(
        d,
        &mut sign(d, "broken.der", "ca.pem", "ca.key"),
        &[
            "certificate request broken.der",
            "its signature does not verify",
        ],
    );
}

#[test]
fn an_invalid_dn() {
    let dir = setup();
    let d = dir.path();
    let mut cmd = orakit_in(d);
    cmd.args([
        "ca",
        "init",
        "--subject",
        "CN=host, XX=1",
        "--key-out",
        "new.key",
        "--out",
        "out.pem",
        "--force",
    ]);
    fails_cleanly(
        d,
        &mut cmd,
        &[
            "invalid distinguished name",
            "unknown attribute type \"XX\"",
        ],
    );
}

#[test]
fn a_wrong_key_password() {
    let dir = setup();
    let d = dir.path();
    let mut keygen = orakit_in(d);
    keygen.env("PW", "right-password-1").args(words(
        "key generate --key-type p256 --password-env PW --out locked.key",
    ));
    run_ok(&mut keygen);
    let mut cmd = orakit_in(d);
    cmd.env("PW", "Wrong-Password-987").args(words(
        "csr create --key locked.key --password-env PW --subject CN=x --out out.pem --force",
    ));
    let err = fails_cleanly(d, &mut cmd, &["key locked.key", "wrong password"]);
    assert!(
        !err.contains("Wrong-Password-987") && !err.contains("right-password-1"),
        "{err}"
    );
}

#[test]
fn an_unwritable_output_directory() {
    let dir = setup();
    let d = dir.path();
    // root may write anywhere on a normal filesystem; procfs refuses even root.
    let is_root = String::from_utf8(run(std::process::Command::new("id").arg("-u")).stdout)
        .unwrap()
        .trim()
        == "0";
    let target = if is_root {
        "/proc/1/orakit-test.pem".to_owned()
    } else {
        let ro = d.join("ro");
        std::fs::create_dir(&ro).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        ro.join("out.pem").display().to_string()
    };
    let mut cmd = orakit_in(d);
    cmd.args([
        "csr",
        "sign",
        "server.csr",
        "--ca-cert",
        "ca.pem",
        "--ca-key",
        "ca.key",
        "--out",
        &target,
    ]);
    fails_cleanly(d, &mut cmd, &["cannot write", &target]);
}

#[test]
fn an_existing_output_is_not_replaced_without_force() {
    let dir = setup();
    let d = dir.path();
    for args in [
        vec!["key", "generate", "--out", "out.pem"],
        vec![
            "ca",
            "init",
            "--subject",
            "CN=x",
            "--key-out",
            "new.key",
            "--out",
            "out.pem",
        ],
        vec![
            "csr",
            "create",
            "--key",
            "server.key",
            "--subject",
            "CN=x",
            "--out",
            "out.pem",
        ],
        vec![
            "csr",
            "sign",
            "server.csr",
            "--ca-cert",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--out",
            "out.pem",
        ],
    ] {
        let mut cmd = orakit_in(d);
        cmd.args(&args);
        fails_cleanly(d, &mut cmd, &["out.pem already exists", "--force"]);
    }
    // With --force it is replaced, with certificate permissions.
    ok(
        d,
        &words("csr sign server.csr --ca-cert ca.pem --ca-key ca.key --out out.pem --force"),
    );
    assert!(
        std::fs::read_to_string(d.join("out.pem"))
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
}

#[test]
fn cert_show_on_a_private_key_says_so() {
    let dir = setup();
    let d = dir.path();
    fails_cleanly(
        d,
        orakit_in(d).args(["cert", "show", "server.key"]),
        &["file server.key", "holds a private key"],
    );
}

#[test]
fn an_rsa_pss_signed_csr_is_refused_with_the_reason() {
    let dir = setup();
    let d = dir.path();
    ossl(
        d,
        &words(
            "req -new -newkey rsa:2048 -nodes -keyout pss.key -out pss.csr -subj /CN=pss -sigopt rsa_padding_mode:pss",
        ),
    );
    fails_cleanly(
        d,
        &mut sign(d, "pss.csr", "ca.pem", "ca.key"),
        &["certificate request pss.csr", "RSASSA-PSS is not supported"],
    );
}

#[test]
fn a_csr_for_a_1024_bit_rsa_key_is_refused() {
    let dir = setup();
    let d = dir.path();
    ossl(
        d,
        &words("req -new -newkey rsa:1024 -nodes -keyout weak.key -out weak.csr -subj /CN=weak"),
    );
    fails_cleanly(
        d,
        &mut sign(d, "weak.csr", "ca.pem", "ca.key"),
        &[
            "certificate request weak.csr",
            "RSA 1024-bit",
            "2048 bits or more",
        ],
    );
}

#[test]
fn a_1024_bit_rsa_ca_key_is_refused() {
    let dir = setup();
    let d = dir.path();
    ossl(d, &words("genrsa -out weak-ca.key 1024"));
    let mut cmd = orakit_in(d);
    cmd.args(words(
        "ca init --subject CN=Weak --key weak-ca.key --out out.pem --force",
    ));
    fails_cleanly(
        d,
        &mut cmd,
        &[
            "CA key weak-ca.key",
            "RSA 1024-bit is too short to sign with",
        ],
    );
}

#[test]
fn an_expired_ca_is_refused() {
    let dir = setup();
    let d = dir.path();
    // OpenSSL's req cannot back-date; python's cryptography makes a CA that ended in 2021.
    let script = r#"
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Old CA")])
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(7)
        .not_valid_before(datetime.datetime(2020, 1, 1))
        .not_valid_after(datetime.datetime(2021, 1, 1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
open("old-ca.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open("old-ca.key", "wb").write(key.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
"#;
    run_ok(
        std::process::Command::new("python3")
            .current_dir(d)
            .args(["-c", script]),
    );
    fails_cleanly(
        d,
        &mut sign(d, "server.csr", "old-ca.pem", "old-ca.key"),
        &[
            "CA certificate old-ca.pem",
            "expired on 2021-01-01T00:00:00Z",
        ],
    );
}
