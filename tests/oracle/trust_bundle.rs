//! Outbound HTTPS wallets (issue 16): `wallet create --auto-login-only --trust-bundle` from
//! the system CA bundle plus the test's odd certificates (an expired CA, a non-CA, a
//! duplicate). orapki of both releases displays the wallet; its trusted certificates are
//! exactly the bundle's current CA certificates as the test computes them with openssl
//! (`x509 -checkend 0` and `basicConstraints CA:TRUE`), each once. The bundle holds a
//! certificate that is not strict DER ("Certum Trusted Network CA 2", GeneralizedTime before
//! 2050): orapki's digest of it shows it went into the wallet byte for byte.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use crate::oracle_view::{Shown, s};
use crate::peers::{RELEASES, Release, orapki};
use crate::support::{orakit, run, run_ok, stderr, words};
use crate::trust_bundle_certs::odd_bundle;

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

#[test]
fn orapki_trusts_exactly_the_current_ca_certificates_of_the_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let odd = odd_bundle(dir);
    let system = fs::read_to_string(SYSTEM_BUNDLE)
        .unwrap_or_else(|e| panic!("{SYSTEM_BUNDLE}: {e} (install ca-certificates)"));
    let bundle = dir.join("bundle.pem");
    fs::write(&bundle, system + &odd.text()).unwrap();

    // The bundle's certificates one per file, sorted by openssl.
    let text = fs::read_to_string(&bundle).unwrap();
    let split = dir.join("split");
    fs::create_dir_all(&split).unwrap();
    let (mut current_cas, mut expired, mut not_ca) = (Vec::<(String, String)>::new(), 0, 0);
    let mut seen = BTreeSet::new();
    let mut duplicates = 0;
    for (i, block) in text
        .split_inclusive("-----END CERTIFICATE-----")
        .enumerate()
    {
        let Some(at) = block.find("-----BEGIN CERTIFICATE-----") else {
            continue;
        };
        let pem = &block[at..];
        if !seen.insert(pem.to_owned()) {
            duplicates += 1;
            continue;
        }
        let file = split.join(format!("{i:04}.pem"));
        fs::write(&file, format!("{pem}\n")).unwrap();
        // One openssl run per certificate: its exit code says whether it expired, its
        // output the basic constraints and the SHA-1 fingerprint (19c's digest).
        let out = run(Command::new("openssl")
            .args(words(
                "x509 -noout -checkend 0 -ext basicConstraints -fingerprint -sha1 -in",
            ))
            .arg(&file));
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        match (out.status.success(), said.contains("CA:TRUE")) {
            (false, _) => expired += 1,
            (true, false) => not_ca += 1,
            (true, true) => {
                let sha1 = said
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_uppercase()
                            .strip_prefix("SHA1 FINGERPRINT=")
                            .map(str::to_owned)
                    })
                    .unwrap_or_else(|| panic!("no fingerprint in {said}"))
                    .to_owned();
                let sha256 = run_ok(
                    Command::new("openssl")
                        .args(words("x509 -noout -fingerprint -sha256 -in"))
                        .arg(&file),
                );
                let sha256 = String::from_utf8_lossy(&sha256.stdout)
                    .trim()
                    .rsplit('=')
                    .next()
                    .unwrap()
                    .to_owned();
                current_cas.push((sha1, sha256));
            }
        }
    }
    assert!(expired >= 1 && not_ca == 1 && duplicates == 1);

    let wallet = dir.join("https-wallet");
    let done = run_ok(
        orakit()
            .args(words("wallet create --auto-login-only --wallet"))
            .arg(&wallet)
            .arg("--trust-bundle")
            .arg(&bundle),
    );
    let line = format!(
        "added {} trusted certificates; skipped {expired} expired, 1 not a CA, 1 duplicate",
        current_cas.len()
    );
    assert!(stderr(&done).contains(&line), "{}", stderr(&done));

    for release in RELEASES {
        let shown = orapki(
            release,
            &["wallet", "display", "-wallet", s(&wallet), "-complete"],
        )
        .ok();
        let shown = Shown::parse(release, shown.body());
        assert!(shown.user.is_empty() && shown.requested.is_empty());
        assert_eq!(shown.trusted.len(), current_cas.len(), "{}", release.name());
        let expected: BTreeSet<String> = current_cas
            .iter()
            .map(|(sha1, sha256)| match release {
                Release::R19c => sha1.clone(),
                Release::R23ai => sha256.clone(),
            })
            .collect();
        assert_eq!(
            Shown::digests(&shown.trusted),
            expected,
            "{}",
            release.name()
        );
    }
}
