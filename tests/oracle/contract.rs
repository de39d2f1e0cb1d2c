//! The scripting contract against Oracle's orapki: a wallet orakit filled (key, user
//! certificate, CA) is run through every step again; each rerun reports `changed: false`,
//! no file's bytes or mtime change, and orapki shows the very same wallet afterwards.

use std::path::Path;
use std::time::SystemTime;

use crate::peers::{RELEASES, orapki};
use crate::support::{openssl, orakit, run_ok, words};

const PWD: &str = "RingContract2026pw";

fn step(d: &Path, line: &str) -> std::process::Command {
    let mut cmd = orakit();
    cmd.current_dir(d)
        .args(words(line))
        .args(["--password-env", "PW", "--json"])
        .env("PW", PWD);
    cmd
}

fn changed(cmd: &mut std::process::Command) -> bool {
    let out = run_ok(cmd);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1, "{doc}");
    doc["changed"].as_bool().unwrap()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>, SystemTime)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
                meta.modified().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_wallet_after_no_op_reruns_opens_in_orapki_with_the_same_display() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(openssl().current_dir(d).args(words(
        "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj /O=Ring/CN=Contract-CA",
    )));
    let steps = [
        "wallet create --wallet w --auto-login",
        "wallet add-trusted --wallet w --cert ca.pem",
        "wallet add-key --wallet w --subject CN=contract.example.com,O=Ring",
    ];
    for line in steps {
        assert!(changed(&mut step(d, line)), "{line}: the first run changes");
    }
    run_ok(&mut step(
        d,
        "wallet export-request --wallet w --out req.pem",
    ));
    run_ok(openssl().current_dir(d).args(words(
        "x509 -req -in req.pem -CA ca.pem -CAkey ca.key -days 10 -set_serial 4242 -out srv.pem",
    )));
    assert!(changed(&mut step(
        d,
        "wallet add-user-cert --wallet w --cert srv.pem"
    )));
    let wallet = d.join("w");
    let w = wallet.to_str().unwrap();
    let shown_before: Vec<String> = RELEASES
        .iter()
        .map(|&release| {
            orapki(
                release,
                &words(&format!("wallet display -wallet {w} -pwd {PWD}")),
            )
            .ok()
            .body()
            .to_owned()
        })
        .collect();
    for shown in &shown_before {
        assert!(
            shown.contains("CN=contract.example.com,O=Ring")
                && shown.contains("CN=Contract-CA,O=Ring"),
            "{shown}"
        );
    }

    // Every step again (add-key excepted: a second key is a new key): nothing changes.
    let before = files(&wallet);
    for line in [
        steps[0],
        steps[1],
        "wallet add-user-cert --wallet w --cert srv.pem",
    ] {
        assert!(!changed(&mut step(d, line)), "{line}: a rerun changed");
        assert!(
            !changed(&mut step(d, &format!("{line} --check"))),
            "{line} --check"
        );
    }
    assert_eq!(files(&wallet), before, "a rerun touched a wallet file");

    // orapki sees the same wallet, through the password and through cwallet.sso.
    for (release, shown) in RELEASES.iter().zip(&shown_before) {
        let again = orapki(
            *release,
            &words(&format!("wallet display -wallet {w} -pwd {PWD}")),
        )
        .ok();
        assert_eq!(again.body(), shown, "orapki {}", release.name());
        let sso = orapki(*release, &words(&format!("wallet display -wallet {w}"))).ok();
        assert!(
            sso.body().contains("CN=contract.example.com,O=Ring"),
            "{}",
            sso.body()
        );
    }
}

/// `wallet add-self-signed` run again with the same request writes nothing, and both
/// orapki releases display the wallet exactly as after the first run (the certificate,
/// its serial and key unchanged).
#[test]
fn a_self_signed_wallet_after_a_no_op_rerun_displays_the_same_in_orapki() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = "wallet add-self-signed --wallet w --subject CN=self.contract.example.com,O=Ring \
               --days 30 --key-type p256 --ski";
    assert!(changed(&mut step(
        d,
        "wallet create --wallet w --auto-login"
    )));
    assert!(changed(&mut step(d, add)), "the first run changes");
    let wallet = d.join("w");
    let w = wallet.to_str().unwrap();
    let display = |release| {
        orapki(
            release,
            &words(&format!("wallet display -wallet {w} -pwd {PWD} -complete")),
        )
        .ok()
        .body()
        .to_owned()
    };
    let shown_before: Vec<String> = RELEASES.iter().map(|&r| display(r)).collect();
    for shown in &shown_before {
        assert!(
            shown.contains("CN=self.contract.example.com,O=Ring"),
            "{shown}"
        );
    }
    let before = files(&wallet);
    assert!(!changed(&mut step(d, add)), "a rerun changed");
    assert!(!changed(&mut step(d, &format!("{add} --check"))), "--check");
    assert_eq!(files(&wallet), before, "a rerun touched a wallet file");
    for (release, shown) in RELEASES.iter().zip(&shown_before) {
        assert_eq!(&display(*release), shown, "orapki {}", release.name());
    }
}
