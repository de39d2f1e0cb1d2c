//! `orakit cert show` against what OpenSSL reports for the same files.

use crate::pki_helpers::*;

const CA_DN: &str = "CN=Test Root CA, OU=PKI, OU=Root, O=Example, DC=example, DC=com";

#[test]
fn cert_show_reports_what_openssl_reports() {
    let dir = scratch();
    let d = dir.path();
    Fixture::at(d)
        .ca(CA_DN)
        .key_type("p256")
        .csr_named("server", SERVER_DN, &["db1.example.com"]);
    ok(
        d,
        &words(
            "csr sign server.csr --ca-cert ca.pem --ca-key ca.key --san 10.1.2.3 --out server.pem",
        ),
    );
    let bundle = format!(
        "{}{}",
        std::fs::read_to_string(d.join("server.pem")).unwrap(),
        std::fs::read_to_string(d.join("ca.pem")).unwrap()
    );
    std::fs::write(d.join("bundle.pem"), bundle).unwrap();
    let out = crate::support::run_ok(orakit_in(d).args(words("cert show --json bundle.pem")));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let objects = json["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 2);
    for (i, file) in ["server.pem", "ca.pem"].iter().enumerate() {
        let fp = ossl(
            d,
            &["x509", "-in", file, "-noout", "-fingerprint", "-sha256"],
        );
        assert_eq!(
            fp.trim().trim_start_matches("sha256 Fingerprint="),
            objects[i]["sha256_fingerprint"].as_str().unwrap()
        );
        let fp1 = ossl(d, &["x509", "-in", file, "-noout", "-fingerprint", "-sha1"]);
        assert_eq!(
            fp1.trim().trim_start_matches("sha1 Fingerprint="),
            objects[i]["sha1_fingerprint"].as_str().unwrap()
        );
        let serial = ossl(d, &["x509", "-in", file, "-noout", "-serial"]);
        let ours = objects[i]["serial"].as_str().unwrap().replace(':', "");
        assert_eq!(serial.trim().trim_start_matches("serial="), ours);
    }
    let subject = ossl(
        d,
        &words("x509 -in ca.pem -noout -subject -nameopt RFC2253"),
    );
    assert_eq!(
        format!("subject={}", objects[1]["subject"].as_str().unwrap()),
        subject.trim()
    );
    assert_eq!(
        objects[0]["subject_alt_names"],
        serde_json::json!(["DNS:db1.example.com", "IP:10.1.2.3"])
    );
    assert_eq!(objects[0]["key"], "EC P-256");
    assert_eq!(objects[1]["key"], "RSA 2048-bit");
    assert_eq!(objects[1]["is_ca"], true);

    // Text output, and a CSR.
    let text = crate::support::stdout(&crate::support::run_ok(orakit_in(d).args([
        "cert",
        "show",
        "server.csr",
    ])));
    assert!(text.contains("Certificate request"), "{text}");
    assert!(text.contains("Signature check:    valid"), "{text}");
    assert!(text.contains("CN=db1.example.com,O=Example"), "{text}");
}
