//! Issue 13, edits that lost data: each case reproduces what a user lost and checks that
//! orakit now refuses (one message, exit 1, nothing changed) or changes only what it must.
//! Material is made by openssl; results are read back by openssl and by byte comparison.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fleet_common::{HEADER, issue, setup};
use crate::support::{Fixture, openssl, orakit, run, run_fails, run_ok, stderr, stdout, words};

const PW: &str = "Wallet-pw-42";

fn w(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = orakit();
    cmd.current_dir(dir)
        .args(args)
        .env("PW", PW)
        .env("NEWPW", "Other-pw-2026");
    cmd
}

/// Every file of a directory with its bytes (lock files included: a refusal writes nothing).
fn bytes_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let b = fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    all.sort();
    all
}

fn serial_of(cert: &Path) -> String {
    let out = stdout(&run_ok(
        openssl().args(words("x509 -noout -serial -in")).arg(cert),
    ));
    out.trim()
        .trim_start_matches("serial=")
        .trim_start_matches('0')
        .to_ascii_lowercase()
}

/// A password + auto-login wallet `w` whose key carries the certificate `srv1.pem`
/// (issued by `ca.pem`); `srv2.pem` is a second certificate for the same key.
fn certified_wallet(d: &Path) {
    Fixture::at(d)
        .password(PW)
        .key_type("p256")
        .wallet("w")
        .wallet_request("w", "CN=db1.example.com,O=Example", "req.pem")
        .openssl_root("ca", "/CN=Edit-Root")
        .openssl_sign("ca", "req.pem", "srv1.pem", 4097)
        .openssl_sign("ca", "req.pem", "srv2.pem", 8193)
        .trusted("w", "ca.pem")
        .user_cert("w", "srv1.pem");
}

/// Item 1: the renewal a user tries first (sign the same request again, add-user-cert)
/// used to leave two user certificates on one key.
#[test]
fn add_user_cert_on_a_key_that_has_its_certificate_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certified_wallet(d);
    let before = bytes_of(&d.join("w"));
    let err = run_fails(
        &mut w(
            d,
            &words("wallet add-user-cert --wallet w --cert srv2.pem --password-env PW"),
        ),
        1,
    );
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    let serial = serial_of(&d.join("srv1.pem"));
    assert_eq!(serial, "1001");
    for needle in [
        "w:",
        "already has its certificate",
        "CN=db1.example.com,O=Example",
        "serial 1001",
        "orakit wallet replace --wallet w --cert srv2.pem",
    ] {
        assert!(err.contains(needle), "{needle:?} missing from: {err}");
    }
    assert_eq!(bytes_of(&d.join("w")), before, "the wallet was changed");
    // Still one user certificate, the first one.
    let json: serde_json::Value = serde_json::from_slice(
        &run_ok(&mut w(d, &words("wallet display --wallet w --json"))).stdout,
    )
    .unwrap();
    let text = json.to_string();
    assert_eq!(text.matches("\"serial\":\"1001\"").count(), 1, "{text}");
    assert!(!text.contains("\"serial\":\"2001\""), "{text}");
}

/// Item 2: `--kind request` on a signed request removed the key and its certificate.
#[test]
fn remove_kind_request_never_takes_a_signed_key_and_a_key_needs_yes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certified_wallet(d);
    let before = bytes_of(&d.join("w"));
    let remove = |extra: &[&str]| {
        let mut cmd = w(
            d,
            &[
                "wallet",
                "remove",
                "--wallet",
                "w",
                "--subject",
                "CN=db1.example.com,O=Example",
                "--password-env",
                "PW",
            ],
        );
        cmd.args(extra);
        cmd
    };
    let err = run_fails(&mut remove(&["--kind", "request"]), 1);
    assert!(
        err.contains("nothing removed") && err.contains("--kind key --yes"),
        "{err}"
    );
    assert_eq!(bytes_of(&d.join("w")), before);
    // The key (and the user certificate on it) goes only with --yes; without it the
    // command lists what would go and changes nothing.
    for kind in ["key", "user"] {
        let err = run_fails(&mut remove(&["--kind", kind]), 1);
        assert!(
            err.contains("--yes")
                && err.contains("private key")
                && err.contains("user certificate"),
            "{err}"
        );
        assert_eq!(bytes_of(&d.join("w")), before);
    }
    let out = run_ok(&mut remove(&["--kind", "key", "--yes", "--json"]));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = report["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["private-key", "request", "user-certificate"],
        "{report}"
    );
    assert!(stderr(&out).contains("removing"), "{}", stderr(&out));
    // The trusted CA stays.
    let shown = stdout(&run_ok(&mut w(d, &words("wallet display --wallet w"))));
    assert!(shown.contains("CN=Edit-Root"), "{shown}");
    assert!(!shown.contains("db1.example.com"), "{shown}");
}

/// The ADDRESS groups of every parameter, as (parameter, normalised text).
fn addresses(text: &str) -> Vec<String> {
    let doc = orakit::net::Document::parse(text).unwrap();
    let mut all = Vec::new();
    for p in doc.parameters() {
        for g in p.groups() {
            for a in g.descendants("ADDRESS") {
                let flat: String = a.print().split_whitespace().collect();
                all.push(format!(
                    "{}:{}",
                    p.names()[0].to_ascii_uppercase(),
                    flat.to_ascii_uppercase()
                ));
            }
        }
    }
    all
}

fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim_end()))
        .collect()
}

const NETCA_LISTENER: &str = "# listener.ora Network Configuration File: /u01/app/oracle/product/19.0.0/dbhome_1/network/admin/listener.ora
# Generated by Oracle configuration tools.

LISTENER =
  (DESCRIPTION_LIST =
    (DESCRIPTION =
      (ADDRESS = (PROTOCOL = TCP)(HOST = db1.example.com)(PORT = 1521))
      (ADDRESS = (PROTOCOL = IPC)(KEY = EXTPROC1521))
    )
  )

ADR_BASE_LISTENER = /u01/app/oracle   # netca
";

/// Item 3: `net listener --update` on netca's file dropped the IPC address.
#[test]
fn listener_update_keeps_every_address_parameter_and_comment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("listener.ora");
    fs::write(&file, NETCA_LISTENER).unwrap();
    let out = run_ok(
        orakit()
            .args(words(
                "net listener --host db1.example.com --wallet-dir /u01/app/oracle/wallet/tls --update",
            ))
            .arg(&file),
    );
    let after = fs::read_to_string(&file).unwrap();
    for kept in addresses(NETCA_LISTENER) {
        assert!(addresses(&after).contains(&kept), "lost {kept}:\n{after}");
    }
    assert!(
        addresses(&after).contains(
            &"LISTENER:(ADDRESS=(PROTOCOL=TCPS)(HOST=DB1.EXAMPLE.COM)(PORT=2484))".to_owned()
        ),
        "{after}"
    );
    assert_eq!(addresses(&after).len(), 3, "{after}");
    assert!(after.starts_with(&NETCA_LISTENER[..NETCA_LISTENER.find("LISTENER =").unwrap()]));
    for c in comments(NETCA_LISTENER) {
        assert!(
            comments(&after).contains(&c),
            "lost comment {c:?}:\n{after}"
        );
    }
    assert!(after.contains("ADR_BASE_LISTENER = /u01/app/oracle   # netca\n"));
    assert!(after.contains("WALLET_LOCATION"), "{after}");
    assert!(stderr(&out).contains("TCPS"), "{}", stderr(&out));
    // Run again: nothing to change.
    let again = run_ok(
        orakit()
            .args(words(
                "net listener --host db1.example.com --wallet-dir /u01/app/oracle/wallet/tls --update",
            ))
            .arg(&file),
    );
    assert!(
        stderr(&again).contains("already up to date"),
        "{}",
        stderr(&again)
    );
}

/// Item 3 on the real listener.ora files: every address they had survives.
#[test]
fn listener_update_of_every_real_fixture_keeps_their_addresses() {
    let Some(root) = crate::support::oracle_fixtures() else {
        panic!("the Oracle fixtures are missing");
    };
    let mut seen = 0;
    for rel in [
        "kamalamay-11g/listener.ora",
        "renenyffenegger-win19c/listener.ora",
        "wanghy-hs-gateway/listener.ora",
        "phjrdla-dg/listener.ora",
        "zvlad-adm/listener.ora",
    ] {
        let src = root.join(rel);
        let before = fs::read_to_string(&src).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("listener.ora");
        fs::write(&file, &before).unwrap();
        let out = run(orakit()
            .args(words(
                "net listener --host db1.example.com --wallet-dir /w --update",
            ))
            .arg(&file));
        let after = fs::read_to_string(&file).unwrap();
        if out.status.success() {
            for kept in addresses(&before) {
                assert!(
                    addresses(&after).contains(&kept),
                    "{rel}: lost {kept}:\n{after}"
                );
            }
            for c in comments(&before) {
                assert!(comments(&after).contains(&c), "{rel}: lost comment {c:?}");
            }
            seen += 1;
        } else {
            // A refusal names what would be lost and leaves the file as it was.
            assert_eq!(after, before, "{rel}");
            assert!(
                stderr(&out).contains("nothing was changed"),
                "{rel}: {}",
                stderr(&out)
            );
        }
    }
    assert!(seen >= 4, "only {seen} fixtures updated");
}

/// Item 3 for tnsnames: an alias with failover, a second address and CONNECT_DATA extras.
#[test]
fn tnsnames_update_keeps_failover_addresses_and_connect_data_extras() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tnsnames.ora");
    let before = "ORCL =
  (DESCRIPTION =
    (FAILOVER = ON)
    (ADDRESS = (PROTOCOL = TCP)(HOST = db1.example.com)(PORT = 1521))
    (ADDRESS = (PROTOCOL = TCP)(HOST = db2.example.com)(PORT = 1521)) # standby
    (CONNECT_DATA =
      (SERVER = DEDICATED)
      (SERVICE_NAME = orcl)
    )
  )
";
    fs::write(&file, before).unwrap();
    run_ok(
        orakit()
            .args(words(
                "net tnsnames --alias ORCL --host db1.example.com --port 1522 --service orcl --update",
            ))
            .arg(&file),
    );
    let after = fs::read_to_string(&file).unwrap();
    // An alias that connects by SID cannot silently gain a SERVICE_NAME as well.
    let sid_file = dir.path().join("sid.ora");
    let sid_text = "ORCL = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)(HOST = db1.example.com)(PORT = 1521))(CONNECT_DATA = (SID = ORCL)))\n";
    fs::write(&sid_file, sid_text).unwrap();
    let err = run_fails(
        orakit()
            .args(words(
                "net tnsnames --alias ORCL --host db1.example.com --service orcl --update",
            ))
            .arg(&sid_file),
        1,
    );
    assert!(
        err.contains("(SID = ORCL)") && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&sid_file).unwrap(), sid_text);
    for needle in [
        "(FAILOVER = ON)",
        "(HOST = db2.example.com)(PORT = 1521)) # standby",
        "(SERVER = DEDICATED)",
        "(HOST = db1.example.com)(PORT = 1522)",
        "ORCL_SSL",
    ] {
        assert!(after.contains(needle), "{needle:?} lost:\n{after}");
    }
}

/// Item 6: the sqlnet update added a final newline the file did not have, and a
/// trailing comment on a replaced line disappeared.
#[test]
fn sqlnet_update_keeps_a_missing_final_newline_and_line_comments() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sqlnet.ora");
    let before = "NAMES.DIRECTORY_PATH = (TNSNAMES, EZCONNECT)\nSSL_VERSION = 1.0 # old seed\nSQLNET.EXPIRE_TIME = 10";
    fs::write(&file, before).unwrap();
    run_ok(
        orakit()
            .args(words(
                "net sqlnet --role server --wallet-dir /u01/wallet --update",
            ))
            .arg(&file),
    );
    let after = fs::read_to_string(&file).unwrap();
    assert!(
        !after.ends_with('\n'),
        "a final newline was added: {after:?}"
    );
    assert!(after.contains("SSL_VERSION = 1.2 # old seed\n"), "{after}");
    assert!(after.contains("SQLNET.EXPIRE_TIME = 10\n"), "{after}");
}

fn lock_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lck"))
        .collect();
    names.sort();
    names
}

/// Item 6: create and convert left `.lck` files beside wallet files that do not exist.
#[test]
fn create_and_convert_leave_no_lock_file_for_a_missing_wallet_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(&mut w(
        d,
        &words("wallet create --wallet pw --password-env PW"),
    ));
    assert_eq!(lock_files(&d.join("pw")), ["ewallet.p12.lck"]);
    run_ok(&mut w(
        d,
        &words("wallet create --wallet alo --auto-login-only"),
    ));
    assert_eq!(lock_files(&d.join("alo")), ["cwallet.sso.lck"]);
    run_ok(&mut w(
        d,
        &words("wallet convert --wallet pw --to auto-login-only --password-env PW"),
    ));
    assert!(!d.join("pw/ewallet.p12").exists());
    assert_eq!(lock_files(&d.join("pw")), ["cwallet.sso.lck"]);
}

/// A CA made by openssl, and `ewallet.p12` holding it as a trusted certificate.
fn openssl_p12(d: &Path, extra: &str) -> PathBuf {
    run_ok(openssl().current_dir(d).args(words(
        "req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 30 -subj /CN=Planted-CA",
    )));
    fs::create_dir_all(d.join("w")).unwrap();
    run_ok(openssl().current_dir(d).args(words(&format!(
        "pkcs12 -export -inkey k.pem -in c.pem -passout pass:{PW} -out w/ewallet.p12 {extra}"
    ))));
    d.join("w/ewallet.p12")
}

/// Item 11: a PKCS#12 without a MAC opened with any password, and the next change wrote
/// it back with the victim's MAC.
#[test]
fn a_pkcs12_without_a_mac_is_refused_unless_allowed_and_never_laundered_silently() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p12 = openssl_p12(d, "-nomac -keypbe NONE -certpbe NONE");
    let before = fs::read(&p12).unwrap();
    let err = run_fails(
        &mut w(d, &words("wallet display --wallet w --password-env PW")),
        1,
    );
    assert!(
        err.contains("ewallet.p12")
            && err.contains("no integrity protection")
            && err.contains("--allow-no-mac"),
        "{err}"
    );
    // doctor names it.
    fs::write(
        d.join("sqlnet.ora"),
        format!(
            "WALLET_LOCATION = (SOURCE = (METHOD = FILE)(METHOD_DATA = (DIRECTORY = {})))\n",
            d.join("w").display()
        ),
    )
    .unwrap();
    let doctor = run(&mut w(d, &words("doctor --tns-admin . --password-env PW")));
    assert_eq!(doctor.status.code(), Some(3));
    assert!(
        stdout(&doctor).contains("[wallet-no-mac]"),
        "{}",
        stdout(&doctor)
    );
    // A change is refused the same way, and the file stays as it was.
    fs::write(d.join("extra.pem"), fs::read(d.join("c.pem")).unwrap()).unwrap();
    let err = run_fails(
        &mut w(
            d,
            &words("wallet change-password --wallet w --password-env PW --new-password-env NEWPW"),
        ),
        1,
    );
    assert!(err.contains("no integrity protection"), "{err}");
    assert_eq!(fs::read(&p12).unwrap(), before);
    // Allowed by name: it opens; a change writes a MAC and says so.
    let shown = run_ok(&mut w(
        d,
        &words("wallet display --wallet w --password-env PW --allow-no-mac"),
    ));
    assert!(
        stderr(&shown).contains("no integrity protection"),
        "{}",
        stderr(&shown)
    );
    let changed = run_ok(&mut w(
        d,
        &words(
            "wallet change-password --wallet w --password-env PW --new-password-env NEWPW --allow-no-mac",
        ),
    ));
    assert!(stderr(&changed).contains("MAC"), "{}", stderr(&changed));
    let info = run_ok(
        openssl()
            .args([
                "pkcs12",
                "-noout",
                "-info",
                "-passin",
                "pass:Other-pw-2026",
                "-in",
            ])
            .arg(&p12),
    );
    assert!(
        stderr(&info).contains("MAC: sha1, Iteration 10000"),
        "{}",
        stderr(&info)
    );
}

/// Item 14: change-password kept a weak source file's parameters (1 iteration).
#[test]
fn change_password_re_encrypts_a_one_iteration_wallet_with_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p12 = openssl_p12(
        d,
        "-noiter -nomaciter -macalg sha1 -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES",
    );
    let info = run_ok(
        openssl()
            .args([
                "pkcs12",
                "-noout",
                "-info",
                "-passin",
                &format!("pass:{PW}"),
                "-in",
            ])
            .arg(&p12),
    );
    assert!(
        stderr(&info).contains("MAC: sha1, Iteration 1\n"),
        "{}",
        stderr(&info)
    );
    run_ok(&mut w(
        d,
        &words("wallet change-password --wallet w --password-env PW --new-password-env NEWPW"),
    ));
    let info = stderr(&run_ok(
        openssl()
            .args([
                "pkcs12",
                "-noout",
                "-info",
                "-passin",
                "pass:Other-pw-2026",
                "-in",
            ])
            .arg(&p12),
    ));
    assert!(info.contains("MAC: sha1, Iteration 10000"), "{info}");
    assert!(!info.contains("Iteration 1\n"), "{info}");
    assert!(
        info.contains("pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 10000"),
        "{info}"
    );
}

/// Item 14: the process holds keys with core dumps off (a crash must not write them to disk).
#[test]
fn core_dumps_are_off_while_orakit_runs() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut cmd = orakit();
    // Start it with core files allowed (soft limit = hard limit), as a shell may.
    // SAFETY: only async-signal-safe libc calls between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            let mut l = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::getrlimit(libc::RLIMIT_CORE, &mut l);
            l.rlim_cur = l.rlim_max;
            libc::setrlimit(libc::RLIMIT_CORE, &l);
            Ok(())
        });
    }
    let mut child = cmd
        .args(["probe", &format!("127.0.0.1:{port}"), "--timeout", "5"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _conn = listener.accept().unwrap();
    let limits = fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(words(core)[4..6], ["0", "0"], "{core}");
}

fn fleet_hosts(d: &Path, rows: &str) {
    fs::write(d.join("hosts.csv"), format!("{HEADER}{rows}")).unwrap();
}

/// Item 4: a wrong --ca-dir in a renewal job moved hosts to a CA nobody trusts.
#[test]
fn renewal_under_a_different_ca_is_refused_unless_allowed_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    fleet_hosts(d, "a.example.com,,S,2484,\n");
    run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256 --days 10")));
    let cert = d.join("out/a.example.com/server.pem");
    let old = fs::read(&cert).unwrap();
    // Another CA with the same name in another directory.
    let other = d.join("other");
    fs::create_dir_all(&other).unwrap();
    setup(&other);
    fs::rename(other.join("ca"), d.join("ca2")).unwrap();
    let mut cmd = issue(d, "hosts.csv", "out");
    cmd.args(words("--renew-within 30 --days 365"));
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut renew = orakit();
    renew
        .current_dir(d)
        .args(args.iter().map(|a| if a == "ca" { "ca2" } else { a }));
    let err = run_fails(&mut renew, 1);
    assert!(
        err.contains("different CA") && err.contains("--allow-ca-change"),
        "{err}"
    );
    assert_eq!(
        fs::read(&cert).unwrap(),
        old,
        "the certificate was replaced"
    );
    run_ok(renew.arg("--allow-ca-change"));
    let issuer_check = run(openssl()
        .args(["verify", "-CAfile"])
        .arg(d.join("ca2/ca.pem"))
        .arg(&cert));
    assert!(issuer_check.status.success(), "{}", stdout(&issuer_check));
}

/// Item 5: WALLET_LOCATION named the admin machine's output path, and a changed row of
/// the host file was skipped as "already complete".
#[test]
fn issue_writes_the_install_location_and_reports_and_fixes_drift() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    fleet_hosts(d, "a.example.com,,S,2484,\n");
    run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256")));
    let listener = fs::read_to_string(d.join("out/a.example.com/network/listener.ora")).unwrap();
    assert!(
        listener.contains("(DIRECTORY = /u01/app/oracle/wallet/tls)"),
        "{listener}"
    );
    assert!(!listener.contains(d.to_str().unwrap()), "{listener}");
    let sqlnet = fs::read_to_string(d.join("out/a.example.com/network/sqlnet.ora")).unwrap();
    assert!(sqlnet.contains("/u01/app/oracle/wallet/tls"), "{sqlnet}");

    // A new SAN in the host file: reported as drift, left alone without the flag.
    fleet_hosts(d, "a.example.com,a2.example.com,S,2484,\n");
    let cert = d.join("out/a.example.com/server.pem");
    let old = fs::read(&cert).unwrap();
    let out = run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256")));
    assert!(
        stderr(&out).contains("drift: a.example.com: SAN a2.example.com added"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("--reissue-drifted"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(&cert).unwrap(), old);
    let out = run_ok(
        issue(d, "hosts.csv", "out").args(words("--key-type p256 --reissue-drifted --json")),
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["renewed"].as_u64(), Some(1), "{summary}");
    let text = stdout(&run_ok(
        openssl()
            .args(words("x509 -noout -ext subjectAltName -in"))
            .arg(&cert),
    ));
    assert!(text.contains("DNS:a2.example.com"), "{text}");
    // Now in step: nothing reported.
    let out = run_ok(issue(d, "hosts.csv", "out").args(words("--key-type p256")));
    assert!(!stderr(&out).contains("drift"), "{}", stderr(&out));
}
