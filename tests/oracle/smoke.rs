//! The ring's first cases: each tool opens a wallet the other made, for both releases.

use crate::peers::{RELEASES, mkstore, orapki};
use crate::support::{orakit, run_ok, stdout, words};

const PWD: &str = "RingPassw0rd2026xyz";

#[test]
fn orapki_self_signed_wallet_opens_in_orakit() {
    for release in RELEASES {
        let dir = tempfile::tempdir().unwrap();
        let w = dir.path().join("w");
        let w = w.to_str().unwrap();
        orapki(
            release,
            &words(&format!("wallet create -wallet {w} -pwd {PWD} -auto_login")),
        )
        .ok();
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                w,
                "-pwd",
                PWD,
                "-dn",
                "CN=ring.example.com,O=Ring",
                "-keysize",
                "2048",
                "-self_signed",
                "-validity",
                "30",
            ],
        )
        .ok();
        // orakit reads the auto-login file and the password file, each on its own.
        let sso = run_ok(
            orakit()
                .args(["wallet", "display", "--wallet"])
                .arg(format!("{w}/cwallet.sso")),
        );
        let text = stdout(&sso);
        assert!(
            text.contains("CN=ring.example.com"),
            "{}: {text}",
            release.name()
        );
        let p12 = run_ok(
            orakit()
                .args([
                    "wallet",
                    "display",
                    "--json",
                    "--password-env",
                    "PW",
                    "--wallet",
                ])
                .arg(format!("{w}/ewallet.p12"))
                .env("PW", PWD),
        );
        let json: serde_json::Value = serde_json::from_slice(&p12.stdout).unwrap();
        let dump = json.to_string();
        assert!(
            dump.contains("ring.example.com"),
            "{}: {dump}",
            release.name()
        );
    }
}

#[test]
fn orakit_wallet_opens_in_orapki_and_mkstore() {
    for release in RELEASES {
        let dir = tempfile::tempdir().unwrap();
        let w = dir.path().join("w");
        let w = w.to_str().unwrap();
        run_ok(
            orakit()
                .args(words(&format!(
                    "wallet create --auto-login --password-env PW --wallet {w}"
                )))
                .env("PW", PWD),
        );
        let shown = orapki(
            release,
            &words(&format!("wallet display -wallet {w} -pwd {PWD} -nologo")),
        )
        .ok();
        assert!(
            shown.stdout.contains("Trusted Certificates:"),
            "{}",
            shown.stdout
        );
        let listed = mkstore(
            release,
            &words(&format!("-wrl {w} -nologo -listCredential")),
            &format!("{PWD}\n"),
        )
        .ok();
        assert!(
            listed.stdout.contains("List credential"),
            "{}: {}",
            release.name(),
            listed.stdout
        );
    }
}
