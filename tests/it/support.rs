//! Shared helpers for the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::cargo_bin;

/// The `orakit` binary under test, with a clean environment for password variables.
pub fn orakit() -> Command {
    let mut cmd = Command::new(cargo_bin("orakit"));
    cmd.env_remove("TNS_ADMIN");
    cmd
}

/// Runs a command and returns its output, whatever the exit code.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Runs a command that must succeed; panics with its stderr otherwise.
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "command failed: {cmd:?}\nstatus: {}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a command that must fail with `code`; returns its stderr.
pub fn run_fails(cmd: &mut Command, code: i32) -> String {
    let out = run(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code} from {cmd:?}\nstdout: {}\nstderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `openssl` with the given arguments.
pub fn openssl() -> Command {
    Command::new("openssl")
}

/// The folder of real Oracle-made files, `../shared/oracle-fixtures` beside the project.
/// Under CI a missing folder fails the test; elsewhere the caller skips with a notice.
pub fn oracle_fixtures() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Beside the project, or beside the folder of a worktree (`wt/NAME`).
    let dir = root.join("../shared/oracle-fixtures");
    if dir.is_dir() {
        return Some(dir);
    }
    let from_worktree = root.join("../../shared/oracle-fixtures");
    if from_worktree.is_dir() {
        return Some(from_worktree);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing and CI is set", dir.display());
    }
    eprintln!("skipping: {} not found", dir.display());
    None
}

/// `../shared/tools/walletcheck.py`, the independent wallet decoder.
pub fn walletcheck() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/walletcheck.py");
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing and CI is set", path.display());
    }
    eprintln!("skipping: {} not found", path.display());
    None
}

/// The permission bits of a file.
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every file below `dir`, relative, sorted: to assert that a failed command wrote nothing.
pub fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// A command line written as one string, split at spaces (for arguments without spaces):
/// `ok(d, &words("ca init --key-type p256 --out ca.pem"))`.
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// The set-up the tests share, made step by step in one folder so a test says only what
/// it tests: `Fixture::new().ca("CN=Root").server("CN=db1.example.com", &["db1.example.com"])`
/// leaves `ca.key`, `ca.pem`, `server.key`, `server.csr` and `server.pem` (signed by the CA,
/// server profile). Keys and certificates come from orakit's own commands, except
/// [`openssl_root`](Self::openssl_root) for a certificate orakit did not make; every step
/// must succeed. Each step writes files named after it, in the folder of [`dir`](Self::dir).
pub struct Fixture {
    _temp: Option<tempfile::TempDir>,
    dir: PathBuf,
    key_type: Option<String>,
    ca: String,
    password: String,
}

impl Fixture {
    /// A fresh scratch folder, removed when the fixture drops.
    pub fn new() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let mut fixture = Self::at(temp.path());
        fixture._temp = Some(temp);
        fixture
    }

    /// Steps in a folder the caller owns.
    pub fn at(dir: &Path) -> Self {
        Self {
            _temp: None,
            dir: dir.to_path_buf(),
            key_type: None,
            ca: "ca".to_owned(),
            password: "Fixture-pw-2026".to_owned(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes `bytes` to `name` in the folder; returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `orakit ARGS` in the folder; it must succeed.
    pub fn orakit(&self, args: &[&str]) -> Output {
        run_ok(orakit().current_dir(&self.dir).args(args))
    }

    /// The key type (`--key-type`: `p256`, `p384`, `rsa2048`, ...) of the keys the next
    /// steps make; without it orakit's default (RSA 2048).
    pub fn key_type(mut self, key_type: &str) -> Self {
        self.key_type = Some(key_type.to_owned());
        self
    }

    /// A root CA by `orakit ca init`: `ca.key`, `ca.pem`; it signs the next servers.
    pub fn ca(self, subject: &str) -> Self {
        self.ca_named("ca", subject)
    }

    /// A root CA `NAME.key`, `NAME.pem`; it signs the next servers.
    pub fn ca_named(mut self, name: &str, subject: &str) -> Self {
        let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
        let mut args = vec!["ca", "init", "--subject", subject];
        if let Some(key_type) = &self.key_type {
            args.extend(["--key-type", key_type]);
        }
        args.extend(["--key-out", &key, "--out", &pem]);
        self.orakit(&args);
        self.ca = name.to_owned();
        self
    }

    /// Which CA (`NAME.key`, `NAME.pem`, already in the folder) signs the next servers.
    pub fn signed_by(mut self, ca: &str) -> Self {
        self.ca = ca.to_owned();
        self
    }

    /// A key and a request by `orakit csr create`: `NAME.key`, `NAME.csr`.
    pub fn csr_named(self, name: &str, subject: &str, sans: &[&str]) -> Self {
        let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
        let mut args = vec!["csr", "create", "--key-out", &key];
        if let Some(key_type) = &self.key_type {
            args.extend(["--key-type", key_type]);
        }
        args.extend(["--subject", subject]);
        for san in sans {
            args.extend(["--san", san]);
        }
        args.extend(["--out", &csr]);
        self.orakit(&args);
        self
    }

    /// A server key and certificate signed by the CA: `server.key`, `server.csr`,
    /// `server.pem`.
    pub fn server(self, subject: &str, sans: &[&str]) -> Self {
        self.server_named("server", subject, sans)
    }

    /// A server key and certificate `NAME.key`, `NAME.csr`, `NAME.pem`, signed by the CA
    /// with `orakit csr sign --profile server`.
    pub fn server_named(self, name: &str, subject: &str, sans: &[&str]) -> Self {
        let this = self.csr_named(name, subject, sans);
        let (csr, pem) = (format!("{name}.csr"), format!("{name}.pem"));
        let (ca_cert, ca_key) = (format!("{}.pem", this.ca), format!("{}.key", this.ca));
        this.orakit(&[
            "csr",
            "sign",
            &csr,
            "--ca-cert",
            &ca_cert,
            "--ca-key",
            &ca_key,
            "--out",
            &pem,
            "--profile",
            "server",
        ]);
        this
    }

    /// A self-signed certificate made by openssl (not by orakit), valid 30 days: `NAME.key`,
    /// `NAME.pem`; an EC P-256 key with [`key_type`](Self::key_type) `p256`, else RSA 2048.
    /// `subject` in openssl's form, `/CN=Root/O=Example`.
    pub fn openssl_root(self, name: &str, subject: &str) -> Self {
        let (key, pem) = (
            self.path(&format!("{name}.key")),
            self.path(&format!("{name}.pem")),
        );
        let new_key = if self.key_type.as_deref() == Some("p256") {
            "-newkey ec -pkeyopt ec_paramgen_curve:P-256"
        } else {
            "-newkey rsa:2048"
        };
        run_ok(
            openssl()
                .args(["req", "-x509"])
                .args(words(new_key))
                .args(words("-nodes -days 30 -subj"))
                .arg(subject)
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&pem),
        );
        self
    }

    /// `openssl x509 -req`: signs the request `req` with the openssl-made CA `ca`
    /// ([`openssl_root`](Self::openssl_root)) into `out`, valid 10 days, serial `serial`.
    pub fn openssl_sign(self, ca: &str, req: &str, out: &str, serial: u32) -> Self {
        run_ok(openssl().current_dir(&self.dir).args(words(&format!(
            "x509 -req -in {req} -CA {ca}.pem -CAkey {ca}.key -days 10 -set_serial {serial} -out {out}"
        ))));
        self
    }

    /// The password of the wallets the next steps make and change (default
    /// `Fixture-pw-2026`); the steps pass it in an environment variable.
    pub fn password(mut self, password: &str) -> Self {
        self.password = password.to_owned();
        self
    }

    /// `orakit wallet ARGS --wallet WALLET MORE --password-env` with the fixture's password.
    fn wallet_step(&self, args: &[&str], wallet: &str, more: &[&str]) {
        run_ok(
            orakit()
                .current_dir(&self.dir)
                .args(args)
                .args(["--wallet", wallet])
                .args(more)
                .args(["--password-env", "ORAKIT_FIXTURE_PW"])
                .env("ORAKIT_FIXTURE_PW", &self.password),
        );
    }

    /// A password + auto-login wallet in the folder `NAME` (`wallet create --auto-login`).
    pub fn wallet(self, name: &str) -> Self {
        self.wallet_step(&["wallet", "create"], name, &["--auto-login"]);
        self
    }

    /// A new key in `wallet` for `subject` (`wallet add-key`, of the key type set by
    /// [`key_type`](Self::key_type)) and its request written to `req` (`wallet
    /// export-request`).
    pub fn wallet_request(self, wallet: &str, subject: &str, req: &str) -> Self {
        let mut add = vec!["--subject", subject];
        if let Some(key_type) = &self.key_type {
            add.extend(["--key-type", key_type]);
        }
        self.wallet_step(&["wallet", "add-key"], wallet, &add);
        self.wallet_step(&["wallet", "export-request"], wallet, &["--out", req]);
        self
    }

    /// `wallet add-trusted --cert CERT`.
    pub fn trusted(self, wallet: &str, cert: &str) -> Self {
        self.wallet_step(&["wallet", "add-trusted"], wallet, &["--cert", cert]);
        self
    }

    /// `wallet add-user-cert --cert CERT`.
    pub fn user_cert(self, wallet: &str, cert: &str) -> Self {
        self.wallet_step(&["wallet", "add-user-cert"], wallet, &["--cert", cert]);
        self
    }
}

/// A self-signed EC P-256 certificate made by openssl in `dir/NAME.pem` (key `NAME.key`),
/// `subject` in openssl's form: [`Fixture::openssl_root`] for a test that needs only the path.
pub fn openssl_self_signed(dir: &Path, name: &str, subject: &str) -> PathBuf {
    Fixture::at(dir)
        .key_type("p256")
        .openssl_root(name, subject)
        .path(&format!("{name}.pem"))
}

/// openssl's SHA-256 fingerprint of the certificate in `pem`, as lowercase hex without
/// colons (the form orakit's JSON reports).
pub fn openssl_sha256(pem: &Path) -> String {
    let out = run_ok(
        openssl()
            .args(words("x509 -noout -fingerprint -sha256 -in"))
            .arg(pem),
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .replace(':', "")
        .to_lowercase()
}
