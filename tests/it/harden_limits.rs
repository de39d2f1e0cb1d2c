//! Resource limits: oversized files, absurd iteration counts, deep nesting and a huge
//! tnsnames.ora are each refused with one clear error or processed within a bound.
//! Peak memory is measured with `/usr/bin/time -f %M` when it is installed (CI installs
//! it); the figures for a release build are in docs/reliability.md.

use crate::support::words;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{list_files, orakit, run};

const MIB: u64 = 1024 * 1024;

/// DER TLV with a definite length.
pub(crate) fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(body);
    out
}

const DATA_OID: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
];
const ENCRYPTED_DATA_OID: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x06,
];
const PBE_3DES_OID: &[u8] = &[
    0x06, 0x0A, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x03,
];
const SHA1_OID: &[u8] = &[0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A];
const SALT: [u8; 8] = [9, 8, 7, 6, 5, 4, 3, 2];

/// A PFX around `auth_safe` whose MAC uses `mac_iterations` (a DER INTEGER body) and,
/// when `mac` is given, that MAC value.
pub(crate) fn pfx(auth_safe: &[u8], mac_iterations: &[u8], mac: &[u8]) -> Vec<u8> {
    let content_info = tlv(
        0x30,
        &[DATA_OID, &tlv(0xA0, &tlv(0x04, auth_safe))].concat(),
    );
    let digest_alg = tlv(0x30, &[SHA1_OID, &[0x05, 0x00]].concat());
    let digest_info = tlv(0x30, &[digest_alg, tlv(0x04, mac)].concat());
    let mac_data = tlv(
        0x30,
        &[digest_info, tlv(0x04, &SALT), tlv(0x02, mac_iterations)].concat(),
    );
    tlv(
        0x30,
        &[vec![0x02, 0x01, 0x03], content_info, mac_data].concat(),
    )
}

/// A PFX with a correct one-iteration MAC for `password`.
pub(crate) fn pfx_with_valid_mac(auth_safe: &[u8], password: &[u8]) -> Vec<u8> {
    let mac =
        orakit::pbe::mac(orakit::pbe::MacDigest::Sha1, password, &SALT, 1, auth_safe).unwrap();
    pfx(auth_safe, &[0x01], &mac)
}

/// Runs `cmd` under `/usr/bin/time` when present; returns (exit code, stderr, peak RSS in
/// KiB, wall time).
fn measured(cmd: &mut Command) -> (i32, String, Option<u64>, Duration) {
    let timed = Path::new("/usr/bin/time").is_file();
    let start = Instant::now();
    let out = if timed {
        let mut wrapped = Command::new("/usr/bin/time");
        wrapped
            .args(["-f", "ORAKIT_MAXRSS=%M"])
            .arg(cmd.get_program());
        wrapped.args(cmd.get_args());
        if let Some(dir) = cmd.get_current_dir() {
            wrapped.current_dir(dir);
        }
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => wrapped.env(k, v),
                None => wrapped.env_remove(k),
            };
        }
        run(&mut wrapped)
    } else {
        run(cmd)
    };
    let elapsed = start.elapsed();
    let mut stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut rss = None;
    if let Some(pos) = stderr.find("ORAKIT_MAXRSS=") {
        rss = stderr[pos + 14..].trim().parse().ok();
        stderr.truncate(pos);
    }
    // /usr/bin/time adds its own line for a non-zero exit.
    let stderr = stderr
        .lines()
        .filter(|l| !l.starts_with("Command exited with non-zero status"))
        .collect::<Vec<_>>()
        .join("\n");
    (out.status.code().unwrap_or(-1), stderr, rss, elapsed)
}

fn assert_refused(cmd: &mut Command, needle: &str, max_rss_kib: u64) -> String {
    let (code, stderr, rss, elapsed) = measured(cmd);
    assert_eq!(code, 1, "{cmd:?}: {stderr}");
    assert!(stderr.contains(needle), "{cmd:?}: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    if let Some(rss) = rss {
        assert!(rss < max_rss_kib, "{cmd:?} peaked at {rss} KiB");
    }
    eprintln!(
        "{cmd:?}: {elapsed:?}, max RSS {rss:?} KiB: {}",
        stderr.trim()
    );
    stderr
}

#[test]
fn harden_a_50_mib_file_is_refused_by_its_size_as_every_kind_of_input() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let big = d.join("big.pem");
    // Sparse: the test costs no disk, and orakit must not read it to refuse it.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(50 * MIB)
        .unwrap();
    let pw = d.join("pw");
    std::fs::write(&pw, "Welcome1#\n").unwrap();
    let limit = "more than the 16 MiB limit";
    let rss_bound = 32 * 1024; // KiB: nothing of the file is held in memory
    assert_refused(orakit().args(["cert", "show"]).arg(&big), limit, rss_bound);
    assert_refused(
        orakit()
            .args(words("csr create --subject CN=x --out"))
            .arg(d.join("x.csr"))
            .arg("--key")
            .arg(&big),
        limit,
        rss_bound,
    );
    assert_refused(
        orakit()
            .args(["csr", "sign"])
            .arg(&big)
            .arg("--ca-cert")
            .arg(&big)
            .arg("--ca-key")
            .arg(&big)
            .arg("--out")
            .arg(d.join("x.pem")),
        limit,
        rss_bound,
    );
    assert_refused(
        orakit().args(["wallet", "display", "--wallet"]).arg(&big),
        limit,
        rss_bound,
    );
    let wallet = d.join("w");
    std::fs::create_dir(&wallet).unwrap();
    std::fs::File::create(wallet.join("cwallet.sso"))
        .unwrap()
        .set_len(50 * MIB)
        .unwrap();
    assert_refused(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&wallet),
        limit,
        rss_bound,
    );
    let good = d.join("good");
    crate::support::run_ok(
        orakit()
            .args(words("wallet create --auto-login --wallet"))
            .arg(&good)
            .arg("--password-file")
            .arg(&pw),
    );
    let before = std::fs::read(good.join("ewallet.p12")).unwrap();
    assert_refused(
        orakit()
            .args(["wallet", "add-trusted", "--wallet"])
            .arg(&good)
            .arg("--cert")
            .arg(&big)
            .arg("--password-file")
            .arg(&pw),
        limit,
        rss_bound,
    );
    assert_eq!(std::fs::read(good.join("ewallet.p12")).unwrap(), before);
    // Oracle Net files have their own limit (16 MiB).
    let ora = d.join("big.ora");
    std::fs::File::create(&ora)
        .unwrap()
        .set_len(50 * MIB)
        .unwrap();
    let (code, stderr, _, _) = measured(orakit().args(["net", "check"]).arg(&ora));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("more than the 16 MiB limit"), "{stderr}");
    assert!(
        !list_files(d)
            .iter()
            .any(|p| p.ends_with("x.csr") || p.ends_with("x.pem"))
    );
}

#[test]
fn harden_a_pkcs12_claiming_2_pow_31_iterations_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        // 2^31 does not fit the INTEGER PKCS#12 gives the count (an i32).
        (
            "mac-2pow31",
            pfx(&tlv(0x30, &[]), &[0x00, 0x80, 0x00, 0x00, 0x00], &[0; 20]),
            "not a PKCS#12 file",
        ),
        // 2^31 - 1, the largest count the format can state.
        (
            "mac-max",
            pfx(&tlv(0x30, &[]), &[0x7F, 0xFF, 0xFF, 0xFF], &[0; 20]),
            "iteration count 2147483647 is beyond the limit of 10000000",
        ),
        // A valid MAC, then an encrypted safe whose key derivation claims 2^31 - 1.
        (
            "safe-max",
            {
                let params = tlv(
                    0x30,
                    &[tlv(0x04, &SALT), tlv(0x02, &[0x7F, 0xFF, 0xFF, 0xFF])].concat(),
                );
                let alg = tlv(0x30, &[PBE_3DES_OID, &params].concat());
                let eci = tlv(0x30, &[DATA_OID, &alg, &tlv(0x80, &[0u8; 16])].concat());
                let encrypted_data = tlv(0x30, &[vec![0x02, 0x01, 0x00], eci].concat());
                let info = tlv(
                    0x30,
                    &[ENCRYPTED_DATA_OID, &tlv(0xA0, &encrypted_data)].concat(),
                );
                pfx_with_valid_mac(&tlv(0x30, &info), b"Welcome1#")
            },
            "iteration count 2147483647 is beyond the limit of 10000000",
        ),
    ];
    for (name, bytes, needle) in cases {
        let dir = d.join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("ewallet.p12"), &bytes).unwrap();
        let start = Instant::now();
        let stderr = assert_refused(
            orakit()
                .args(["wallet", "display", "--wallet"])
                .arg(&dir)
                .env("PW", "Welcome1#")
                .args(["--password-env", "PW"]),
            needle,
            64 * 1024,
        );
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{name} took {:?}: {stderr}",
            start.elapsed()
        );
    }
}

/// Each derivation is capped at 10 million iterations, and the whole file at 40 million:
/// a file with many encrypted parts at the per-derivation cap would otherwise take
/// 2.6 s (release build) for each of them. The safes here hold no ciphertext, so the
/// claimed work is counted without being done and the test is instant.
#[test]
fn harden_a_pkcs12_asking_for_too_much_work_in_all_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ten_million = [0x00, 0x98, 0x96, 0x80];
    let params = tlv(0x30, &[tlv(0x04, &SALT), tlv(0x02, &ten_million)].concat());
    let alg = tlv(0x30, &[PBE_3DES_OID, &params].concat());
    let eci = tlv(0x30, &[DATA_OID, &alg].concat());
    let encrypted_data = tlv(0x30, &[vec![0x02, 0x01, 0x00], eci].concat());
    let info = tlv(
        0x30,
        &[ENCRYPTED_DATA_OID, &tlv(0xA0, &encrypted_data)].concat(),
    );
    let dir = tmp.path().join("w");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("ewallet.p12"),
        pfx_with_valid_mac(&tlv(0x30, &info.repeat(5)), b"Welcome1#"),
    )
    .unwrap();
    assert_refused(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&dir)
            .env("PW", "Welcome1#")
            .args(["--password-env", "PW"]),
        "more than 40000000 key-derivation iterations in all",
        64 * 1024,
    );
}

/// An encrypted PKCS#8 key states its own PBKDF2 iteration count (up to 2^32 - 1: hours
/// of work before the password can even be found wrong); orakit refuses more than 10
/// million before deriving anything.
#[test]
fn harden_an_encrypted_key_claiming_2_pow_31_iterations_is_refused_at_once() {
    const PBES2: &[u8] = &[
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D,
    ];
    const PBKDF2: &[u8] = &[
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C,
    ];
    const HMAC_SHA256: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09];
    const AES256_CBC: &[u8] = &[
        0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A,
    ];
    let prf = tlv(0x30, &[HMAC_SHA256, &[0x05, 0x00]].concat());
    let kdf_params = tlv(
        0x30,
        &[tlv(0x04, &SALT), tlv(0x02, &[0x7F, 0xFF, 0xFF, 0xFF]), prf].concat(),
    );
    let kdf = tlv(0x30, &[PBKDF2, &kdf_params].concat());
    let cipher = tlv(0x30, &[AES256_CBC, &tlv(0x04, &[7u8; 16])].concat());
    let alg = tlv(0x30, &[PBES2, &tlv(0x30, &[kdf, cipher].concat())].concat());
    let key = tlv(0x30, &[alg, tlv(0x04, &[0u8; 48])].concat());
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("slow.der"), key).unwrap();
    let start = Instant::now();
    assert_refused(
        orakit()
            .current_dir(tmp.path())
            .args(words("csr create --subject CN=x --key slow.der"))
            .args(words("--out x.csr --password-env PW"))
            .env("PW", "Welcome1#"),
        "asks for 2147483647 PBKDF2 iterations, beyond the limit of 10000000",
        64 * 1024,
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(!tmp.path().join("x.csr").exists());
}

/// `depth` nested SEQUENCEs, innermost empty.
fn nested_sequences(depth: usize) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..depth {
        body = tlv(0x30, &body);
    }
    body
}

#[test]
fn harden_deeply_nested_asn1_is_an_error_not_a_stack_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let nested = d.join("nested.der");
    std::fs::write(&nested, nested_sequences(20_000)).unwrap();
    for args in [
        vec!["cert", "show"],
        vec!["csr", "create", "--subject", "CN=x", "--key"],
    ] {
        let mut cmd = orakit();
        cmd.args(&args).arg(&nested);
        if args[0] == "csr" {
            cmd.arg("--out").arg(d.join("x.csr"));
        }
        let (code, stderr, _, _) = measured(&mut cmd);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error:"), "{args:?}: {stderr}");
    }
    let wallet = d.join("w");
    std::fs::create_dir(&wallet).unwrap();
    std::fs::write(wallet.join("ewallet.p12"), nested_sequences(20_000)).unwrap();
    let (code, stderr, _, _) = measured(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&wallet)
            .env("PW", "Welcome1#")
            .args(["--password-env", "PW"]),
    );
    assert_eq!(code, 1, "{stderr}");
    // Nested inside an authenticated safe with a valid MAC, past the outer checks.
    std::fs::write(
        wallet.join("ewallet.p12"),
        pfx_with_valid_mac(&nested_sequences(20_000), b"Welcome1#"),
    )
    .unwrap();
    let (code, stderr, _, _) = measured(
        orakit()
            .args(["wallet", "display", "--wallet"])
            .arg(&wallet)
            .env("PW", "Welcome1#")
            .args(["--password-env", "PW"]),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("error: cannot open"), "{stderr}");
}

#[test]
fn harden_deeply_nested_parentheses_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ora = tmp.path().join("tnsnames.ora");
    let text = format!("A = {}x{}\n", "(B = ".repeat(100_000), ")".repeat(100_000));
    std::fs::write(&ora, &text).unwrap();
    let (code, stdout_and_err, _, _) = measured(orakit().args(["net", "check"]).arg(&ora));
    assert_eq!(code, 3, "{stdout_and_err}");
    let (code, stderr, _, _) = measured(
        orakit()
            .args(words("net tnsnames --alias X --host h"))
            .args(["--service", "s", "--update"])
            .arg(&ora),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("nested"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&ora).unwrap(), text);
}

/// 100 000 aliases: about 14 MiB. Checked and updated within a bound; the measured
/// figures (release build) are in docs/reliability.md.
#[test]
fn harden_a_100000_entry_tnsnames_is_processed() {
    let tmp = tempfile::tempdir().unwrap();
    let ora = tmp.path().join("tnsnames.ora");
    let mut text = String::new();
    for i in 0..100_000 {
        text.push_str(&format!(
            "ALIAS{i} = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)(HOST = host{i}.example.com)(PORT = 1521))(CONNECT_DATA = (SERVICE_NAME = svc{i})))\n"
        ));
    }
    std::fs::write(&ora, &text).unwrap();
    let (code, stderr, rss, elapsed) = measured(orakit().args(["net", "check"]).arg(&ora));
    assert_eq!(code, 0, "{stderr}");
    eprintln!("net check, 100 000 aliases: {elapsed:?}, max RSS {rss:?} KiB");
    // Bound: 40 bytes of memory per byte of file (debug or release build).
    if let Some(rss) = rss {
        assert!(rss * 1024 < 40 * text.len() as u64, "{rss} KiB");
    }
    let (code, stderr, rss, elapsed) = measured(
        orakit()
            .args(words("net tnsnames --alias NEW1 --host h"))
            .args(["--service", "s", "--update"])
            .arg(&ora),
    );
    assert_eq!(code, 0, "{stderr}");
    eprintln!("net tnsnames --update, 100 000 aliases: {elapsed:?}, max RSS {rss:?} KiB");
    if let Some(rss) = rss {
        assert!(rss * 1024 < 80 * text.len() as u64, "{rss} KiB");
    }
    let after = std::fs::read_to_string(&ora).unwrap();
    assert!(
        after.starts_with(&text),
        "the existing aliases are kept byte for byte"
    );
    assert!(after.contains("NEW1 ="));
}
