//! Issue 12, 2d: the same logical content made by orapki/mkstore of each release and by
//! orakit with `--target` of that release has the same structure, as the independent
//! decoder walletcheck.py sees it (not orakit's reader): bag types and order, friendlyName
//! and localKeyId bytes, other attributes, MAC and PBE parameters, safe content types, the
//! sso header. Compared after each step: trusted certificates, a pending request, the user
//! certificate installed, a stored credential. The differences that remain are in
//! docs/oracle-interop.md ("Same structure"); the one this test allows is named below.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::oracle_view::{PWD, chain, openssl_in, orakit_in, s};
use crate::peers::{RELEASES, Release, mkstore, orapki};

/// `shared/tools/walletcheck.py` beside the project (a clone) or two levels up (a git
/// worktree under `wt/`). The ring never skips: a missing decoder fails.
fn walletcheck_path() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        "../shared/tools/walletcheck.py",
        "../../shared/tools/walletcheck.py",
    ]
    .iter()
    .map(|rel| root.join(rel))
    .find(|p| p.is_file())
    .unwrap_or_else(|| {
        panic!(
            "walletcheck.py not found beside {}: the ring needs it",
            root.display()
        )
    })
}

/// walletcheck.py --json of a wallet directory (both files).
fn walletcheck(dir: &Path) -> Value {
    let tool = walletcheck_path();
    let out = Command::new("python3")
        .arg(tool)
        .args(["--json", "--password-env", "PW"])
        .arg(dir)
        .env("PW", PWD)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "walletcheck {}: {e}\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        report["ok"],
        true,
        "walletcheck {}: {report:#}",
        dir.display()
    );
    report
}

/// What must be equal between orapki's and orakit's file: everything but salts, IVs,
/// MAC values, key material and the per-wallet certificate (a user certificate is made
/// for each tool's own key; its subject and issuer are compared).
fn structure(report: &Value) -> Value {
    let files = report["files"].as_array().unwrap();
    let mut out = serde_json::Map::new();
    for f in files {
        let name = Path::new(f["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let p = &f["pkcs12"];
        let safes: Vec<Value> = p["safes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| json!({"content_type": s["content_type"], "encryption": s["encryption"], "bags": s["bag_count"]}))
            .collect();
        let mut secrets = Vec::new();
        let mut bags = Vec::new();
        for b in p["bags"].as_array().unwrap() {
            let secret_alias = &b["secret"]["alias"];
            if !secret_alias.is_null() {
                // mkstore's secret order (and so their index) follows a hash table: compared
                // as a set, and where they sit.
                secrets.push(secret_alias.as_str().unwrap().to_string());
                bags.push(json!({"type": b["type"], "secret": "secret-store",
                    "lkid_kind": b["local_key_id_fields"]["kind"], "lkid_tail": b["local_key_id_fields"]["tail"],
                    "friendly_name": b["friendly_name"]}));
                continue;
            }
            bags.push(json!({
                "type": b["type"],
                "friendly_name": b["friendly_name"],
                "local_key_id": b["local_key_id"],
                "other_attributes": b["other_attributes"],
                "secret_kind": b["secret"]["kind"],
                "request_subject": b["secret"]["request_subject"],
                "cert_subject": b["cert"]["subject"],
                "cert_issuer": b["cert"]["issuer"],
                "cert_role": b["cert"]["role"],
                "key": [b["key"]["key_type"].clone(), b["key"]["key_size"].clone()],
            }));
        }
        secrets.sort();
        let sso = &f["sso"];
        let header = if sso.is_null() {
            Value::Null
        } else {
            json!({"kind": sso["kind"], "version": sso["header_version"], "n": sso["n"], "scheme": sso["scheme"]})
        };
        out.insert(
            name,
            json!({
                "sso_header": header,
                "pfx_version": p["version"],
                "auth_safe_type": p["auth_safe_type"],
                "mac": {"algorithm": p["mac"]["algorithm"], "iterations": p["mac"]["iterations"], "salt_length": p["mac"]["salt_length"]},
                "safes": safes,
                "bags": bags,
                "secret_aliases": secrets,
            }),
        );
    }
    Value::Object(out)
}

fn snapshot(dir: &Path, name: &str) -> std::path::PathBuf {
    let to = dir.parent().unwrap().join(name);
    let st = Command::new("cp")
        .arg("-r")
        .arg(dir)
        .arg(&to)
        .status()
        .unwrap();
    assert!(st.success());
    to
}

fn assert_same(release: Release, step: &str, oracle: &Path, ours: &Path) {
    let a = structure(&walletcheck(oracle));
    let b = structure(&walletcheck(ours));
    if let Some(diff) = first_difference(&a, &b, "") {
        panic!(
            "{} after {step}: orakit --target {} differs from orapki at {diff}\norapki: {a:#}\norakit: {b:#}",
            release.name(),
            release.target()
        );
    }
}

/// The first place where two structures differ, as `path: orapki X, orakit Y`.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| {
                let null = Value::Null;
                first_difference(
                    x.get(k).unwrap_or(&null),
                    y.get(k).unwrap_or(&null),
                    &format!("{at}.{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}: orapki {a}, orakit {b}")),
    }
}

/// orapki `wallet create -auto_login`, `add -trusted_cert` x2, `add -dn -keysize 2048`,
/// `add -user_cert`, then mkstore `-createCredential`, against orakit `wallet create
/// --auto-login --target R`, `add-trusted`, `add-key`, `add-user-cert`, `credential add`.
#[test]
fn orakit_with_target_writes_orapkis_structure() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    chain(d);
    for release in RELEASES {
        let r = release.name();
        let ora = d.join(format!("{r}-orapki"));
        let ours = d.join(format!("{r}-orakit"));
        let (o, k) = (s(&ora).to_string(), s(&ours).to_string());
        // Step 1: an auto-login wallet with two trusted certificates.
        orapki(
            release,
            &[
                "wallet",
                "create",
                "-wallet",
                &o,
                "-pwd",
                PWD,
                "-auto_login",
                "-nologo",
            ],
        )
        .ok();
        for cert in ["root.pem", "int.pem"] {
            let cert = d.join(cert);
            orapki(
                release,
                &[
                    "wallet",
                    "add",
                    "-wallet",
                    &o,
                    "-pwd",
                    PWD,
                    "-trusted_cert",
                    "-cert",
                    s(&cert),
                    "-nologo",
                ],
            )
            .ok();
        }
        orakit_in(
            d,
            &[
                "wallet",
                "create",
                "--auto-login",
                "--password-env",
                "PW",
                "--target",
                release.target(),
                "--wallet",
                &k,
            ],
        );
        orakit_in(
            d,
            &[
                "wallet",
                "add-trusted",
                "--password-env",
                "PW",
                "--wallet",
                &k,
                "--cert",
                "root.pem",
                "--cert",
                "int.pem",
            ],
        );
        assert_same(
            release,
            "create + 2 trusted",
            &snapshot(&ora, &format!("{r}-o1")),
            &snapshot(&ours, &format!("{r}-k1")),
        );

        // Step 2: a key and its pending request.
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                &o,
                "-pwd",
                PWD,
                "-dn",
                "CN=db.ring.example",
                "-keysize",
                "2048",
                "-nologo",
            ],
        )
        .ok();
        orakit_in(
            d,
            &[
                "wallet",
                "add-key",
                "--password-env",
                "PW",
                "--wallet",
                &k,
                "--subject",
                "CN=db.ring.example",
            ],
        );
        assert_same(
            release,
            "a pending request",
            &snapshot(&ora, &format!("{r}-o2")),
            &snapshot(&ours, &format!("{r}-k2")),
        );

        // Step 3: each request signed by the intermediate (openssl) and installed.
        let (ocsr, kcsr) = (d.join(format!("{r}-o.csr")), d.join(format!("{r}-k.csr")));
        orapki(
            release,
            &[
                "wallet",
                "export",
                "-wallet",
                &o,
                "-pwd",
                PWD,
                "-dn",
                "CN=db.ring.example",
                "-request",
                s(&ocsr),
                "-nologo",
            ],
        )
        .ok();
        orakit_in(
            d,
            &[
                "wallet",
                "export-request",
                "--password-env",
                "PW",
                "--wallet",
                &k,
                "--out",
                s(&kcsr),
            ],
        );
        for (csr, pem) in [(&ocsr, format!("{r}-o.pem")), (&kcsr, format!("{r}-k.pem"))] {
            openssl_in(
                d,
                &[
                    "x509",
                    "-req",
                    "-in",
                    s(csr),
                    "-CA",
                    "int.pem",
                    "-CAkey",
                    "int.key",
                    "-set_serial",
                    "77",
                    "-days",
                    "30",
                    "-out",
                    &pem,
                ],
            );
        }
        let (opem, kpem) = (d.join(format!("{r}-o.pem")), d.join(format!("{r}-k.pem")));
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                &o,
                "-pwd",
                PWD,
                "-user_cert",
                "-cert",
                s(&opem),
                "-nologo",
            ],
        )
        .ok();
        orakit_in(
            d,
            &[
                "wallet",
                "add-user-cert",
                "--password-env",
                "PW",
                "--wallet",
                &k,
                "--cert",
                s(&kpem),
            ],
        );
        assert_same(
            release,
            "the user certificate",
            &snapshot(&ora, &format!("{r}-o3")),
            &snapshot(&ours, &format!("{r}-k3")),
        );

        // Step 3b: a second pair, P-256 (orapki names it orakey1).
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                &o,
                "-pwd",
                PWD,
                "-dn",
                "CN=ec.ring.example",
                "-asym_alg",
                "ECC",
                "-eccurve",
                "p256",
                "-nologo",
            ],
        )
        .ok();
        orakit_in(
            d,
            &[
                "wallet",
                "add-key",
                "--password-env",
                "PW",
                "--wallet",
                &k,
                "--subject",
                "CN=ec.ring.example",
                "--key-type",
                "p256",
            ],
        );
        assert_same(
            release,
            "a P-256 pending request",
            &snapshot(&ora, &format!("{r}-o4")),
            &snapshot(&ours, &format!("{r}-k4")),
        );

        // Step 4: a stored credential (mkstore puts the secret store before every bag).
        mkstore(
            release,
            &[
                "-wrl",
                &o,
                "-nologo",
                "-createCredential",
                "ring_db1",
                "scott",
            ],
            &format!("Tiger#Ring2026\nTiger#Ring2026\n{PWD}\n"),
        )
        .ok();
        crate::support::run_ok(
            crate::support::orakit()
                .current_dir(d)
                .args([
                    "wallet",
                    "credential",
                    "add",
                    "--password-env",
                    "PW",
                    "--wallet",
                    &k,
                ])
                .args([
                    "--connect-string",
                    "ring_db1",
                    "--username",
                    "scott",
                    "--secret-env",
                    "SEC",
                ])
                .env("PW", PWD)
                .env("SEC", "Tiger#Ring2026"),
        );
        assert_same(release, "a credential", &ora, &ours);
    }
}

/// An auto-login-only wallet (cwallet.sso, kind 0x37) with a trusted certificate:
/// orapki `create -auto_login_only` + `add -trusted_cert -auto_login_only` against orakit
/// `create --auto-login-only --target R` + `add-trusted`.
#[test]
fn auto_login_only_wallets_have_orapkis_structure() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    chain(d);
    let root = d.join("root.pem");
    for release in RELEASES {
        let r = release.name();
        let ora = d.join(format!("{r}-orapki"));
        let ours = d.join(format!("{r}-orakit"));
        orapki(
            release,
            &[
                "wallet",
                "create",
                "-wallet",
                s(&ora),
                "-auto_login_only",
                "-nologo",
            ],
        )
        .ok();
        orapki(
            release,
            &[
                "wallet",
                "add",
                "-wallet",
                s(&ora),
                "-auto_login_only",
                "-trusted_cert",
                "-cert",
                s(&root),
                "-nologo",
            ],
        )
        .ok();
        orakit_in(
            d,
            &[
                "wallet",
                "create",
                "--auto-login-only",
                "--target",
                release.target(),
                "--wallet",
                s(&ours),
            ],
        );
        orakit_in(
            d,
            &[
                "wallet",
                "add-trusted",
                "--wallet",
                s(&ours),
                "--cert",
                "root.pem",
            ],
        );
        assert_same(release, "auto-login-only create + trusted", &ora, &ours);
    }
}

/// What orapki of each release writes for a new wallet, asserted on its own (the facts the
/// `--target` table in src/cli/wallet.rs rests on): PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC
/// with a 16-byte salt, keyLength 32 and 10000 iterations, one encryptedData safe, an
/// HMAC-SHA1 MAC with an 8-byte salt and 10000 iterations, sso header version 6.
#[test]
fn what_orapki_writes_for_a_new_wallet() {
    let tmp = tempfile::tempdir().unwrap();
    for release in RELEASES {
        let w = tmp.path().join(release.name());
        orapki(
            release,
            &[
                "wallet",
                "create",
                "-wallet",
                s(&w),
                "-pwd",
                PWD,
                "-auto_login",
                "-nologo",
            ],
        )
        .ok();
        let st = structure(&walletcheck(&w));
        for file in ["ewallet.p12", "cwallet.sso"] {
            let f = &st[file];
            assert_eq!(
                f["safes"],
                json!([{"content_type": "encryptedData", "bags": 0, "encryption": {
                    "algorithm": "PBES2", "oid": "1.2.840.113549.1.5.13", "kdf": "PBKDF2",
                    "prf": "hmacWithSHA256", "cipher": "aes256-CBC", "salt_length": 16,
                    "iterations": 10000, "key_length": 32, "iv_length": 16}}]),
                "{} {file}",
                release.name()
            );
            assert_eq!(
                f["mac"],
                json!({"algorithm": "hmacWithSHA1", "iterations": 10000, "salt_length": 8})
            );
        }
        assert_eq!(
            st["cwallet.sso"]["sso_header"]["version"],
            6,
            "{}",
            release.name()
        );
    }
}

/// `--target` and `--encryption` pick the profile of the release (no Oracle call: the
/// profiles themselves are compared with orapki's above): 19c, 19.30 and 23ai write what
/// `what_orapki_writes_for_a_new_wallet` asserts, 11g and 12c and no flag write 3DES,
/// `--encryption` wins over `--target`.
#[test]
fn target_and_encryption_pick_the_release_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases: [(&[&str], &str, u64); 7] = [
        (&[], "pbeWithSHAAnd3-KeyTripleDES-CBC", 8),
        (&["--target", "11g"], "pbeWithSHAAnd3-KeyTripleDES-CBC", 8),
        (&["--target", "12c"], "pbeWithSHAAnd3-KeyTripleDES-CBC", 8),
        (&["--target", "19c"], "PBES2", 16),
        (&["--target", "19.30"], "PBES2", 16),
        (&["--target", "23ai"], "PBES2", 16),
        (
            &["--target", "23ai", "--encryption", "3des"],
            "pbeWithSHAAnd3-KeyTripleDES-CBC",
            8,
        ),
    ];
    for (i, (flags, algorithm, salt)) in cases.iter().enumerate() {
        let name = format!("w{i}");
        let mut args = vec![
            "wallet",
            "create",
            "--password-env",
            "PW",
            "--wallet",
            &name,
        ];
        args.extend(*flags);
        orakit_in(d, &args);
        let report = walletcheck(&d.join(&name));
        let enc = &report["files"][0]["pkcs12"]["safes"][0]["encryption"];
        assert_eq!(enc["algorithm"], *algorithm, "{flags:?}: {enc}");
        assert_eq!(enc["salt_length"], *salt, "{flags:?}: {enc}");
        assert_eq!(enc["iterations"], 10000, "{flags:?}: {enc}");
    }
}
