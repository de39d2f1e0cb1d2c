//! What the TLS cases of the ring need: the small Java peers of `tests/oracle/java`
//! (compiled once per source and classpath), `openssl s_server` and the Java SSO-KeyStore
//! server with bounded lives, and the JDBC thin client run for a batch of attempts.

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::peers::{Release, java};
use crate::support::{orakit, run, run_ok, words};

/// The server wallet password `tcps init` is given.
pub const INIT_PASSWORD: &str = "Tcps-ring-2026pw";

/// `tcps init --host HOST --ip 127.0.0.1 --service ORCLPDB1` into `dir/name` with `extra`.
pub fn tcps_init(dir: &Path, name: &str, host: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    run_ok(
        orakit()
            .args(["tcps", "init", "--host", host, "--ip", "127.0.0.1"])
            .args(words(
                "--service ORCLPDB1 --password-env RING_TCPS_PW --out",
            ))
            .arg(&out)
            .args(extra)
            .env("RING_TCPS_PW", INIT_PASSWORD),
    );
    out
}

/// The server's key + certificate of a `tcps init` output, exported from its auto-login
/// wallet by orakit, for `openssl s_server -key`.
pub fn server_key_pem(init: &Path) -> PathBuf {
    let dest = init.join("server-key.pem");
    run_ok(
        orakit()
            .args(words("wallet export-pem --unencrypted-key --wallet"))
            .arg(init.join("server/wallet"))
            .arg("--out")
            .arg(&dest),
    );
    dest
}

/// The SHA-256 fingerprint of a PEM certificate as openssl computes it: upper-case hex, no
/// colons.
pub fn openssl_sha256(cert_pem: &Path) -> String {
    let out = run_ok(
        Command::new("openssl")
            .args(words("x509 -noout -fingerprint -sha256 -in"))
            .arg(cert_pem),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let hex = text.trim().rsplit('=').next().unwrap().replace(':', "");
    assert_eq!(hex.len(), 64, "openssl printed {text}");
    hex
}

// ---------------------------------------------------------------------------------------
// The Java peers, compiled once

/// The directory holding the compiled `tests/oracle/java` classes for `release`'s classpath:
/// `target/oracle-java/<hash of the sources and the classpath>`, built by `javac` when
/// missing (into a scratch directory renamed into place, so parallel tests never see half
/// a build).
pub fn java_classes(release: Release) -> PathBuf {
    static BUILD: Mutex<()> = Mutex::new(());
    let _one_at_a_time = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    let src_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/java");
    let mut sources: Vec<PathBuf> = fs::read_dir(&src_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "java"))
        .collect();
    sources.sort();
    let classpath = compile_classpath(release);
    let mut hasher = Sha256::new();
    for src in &sources {
        hasher.update(src.file_name().unwrap().as_encoded_bytes());
        hasher.update([0]);
        hasher.update(fs::read(src).unwrap());
        hasher.update([0]);
    }
    hasher.update(classpath.as_bytes());
    let key = hex::encode(hasher.finalize());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-java");
    let dir = root.join(format!("{}-{}", release.name(), &key[..16]));
    if dir.join("done").is_file() {
        return dir;
    }
    fs::create_dir_all(&root).unwrap();
    let scratch = tempfile::tempdir_in(&root).unwrap();
    let out = run(Command::new("javac")
        .args(["-encoding", "UTF-8", "-cp", &classpath, "-d"])
        .arg(scratch.path())
        .args(&sources));
    assert!(
        out.status.success(),
        "javac failed on tests/oracle/java for {}:\n{}{}",
        release.name(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    fs::write(scratch.path().join("done"), "").unwrap();
    let built = scratch.keep();
    if fs::rename(&built, &dir).is_err() {
        // Another test binary got there first; its build is as good.
        let _ = fs::remove_dir_all(&built);
    }
    assert!(
        dir.join("done").is_file(),
        "{} was not built",
        dir.display()
    );
    dir
}

/// oraclepki + osdt of the release and the JDBC driver that goes with it.
fn compile_classpath(release: Release) -> String {
    format!("{}:{}", release.classpath(), release.jdbc_jar().display())
}

/// `java -cp <classes>:<Oracle's jars>` for `release`.
fn java_peer(release: Release) -> Command {
    let mut cmd = java();
    cmd.arg("-cp").arg(format!(
        "{}:{}",
        java_classes(release).display(),
        compile_classpath(release)
    ));
    cmd
}

// ---------------------------------------------------------------------------------------
// JDBC thin client

/// One connection attempt of the JDBC thin driver: the URL and connection properties.
pub struct Attempt {
    pub label: String,
    pub url: String,
    pub props: Vec<(String, String)>,
}

impl Attempt {
    /// `jdbc:oracle:thin:@tcps://localhost:PORT/ORCLPDB1` with short timeouts.
    pub fn ezconnect(label: &str, port: u16) -> Attempt {
        Attempt::url(
            label,
            &format!("jdbc:oracle:thin:@tcps://localhost:{port}/ORCLPDB1"),
        )
    }

    /// The same endpoint as a full connect descriptor.
    pub fn descriptor(label: &str, port: u16) -> Attempt {
        Attempt::url(
            label,
            &format!(
                "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=localhost)\
                 (PORT={port}))(CONNECT_DATA=(SERVICE_NAME=ORCLPDB1)))"
            ),
        )
    }

    fn url(label: &str, url: &str) -> Attempt {
        Attempt {
            label: label.to_owned(),
            url: url.to_owned(),
            props: Vec::new(),
        }
        .prop("user", "nobody")
        .prop("password", "not-a-password")
        .prop("oracle.net.CONNECT_TIMEOUT", "5000")
        .prop("oracle.jdbc.ReadTimeout", "2000")
    }

    pub fn prop(mut self, key: &str, value: &str) -> Attempt {
        self.props.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The wallet directory by `oracle.net.wallet_location`.
    pub fn wallet(self, dir: &Path) -> Attempt {
        let location = format!(
            "(SOURCE=(METHOD=FILE)(METHOD_DATA=(DIRECTORY={})))",
            dir.display()
        );
        self.prop("oracle.net.wallet_location", &location)
    }

    /// The wallet's `cwallet.sso` as the JSSE trust store, of Oracle's type `SSO`.
    pub fn trust_store_sso(self, sso: &Path) -> Attempt {
        self.prop("javax.net.ssl.trustStore", &sso.display().to_string())
            .prop("javax.net.ssl.trustStoreType", "SSO")
    }

    /// The wallet's `cwallet.sso` as the JSSE key store, of Oracle's type `SSO`.
    pub fn key_store_sso(self, sso: &Path) -> Attempt {
        self.prop("javax.net.ssl.keyStore", &sso.display().to_string())
            .prop("javax.net.ssl.keyStoreType", "SSO")
    }
}

/// What the driver said for one attempt: the exception chain, outermost first.
#[derive(Debug)]
pub struct Outcome {
    pub label: String,
    pub connected: bool,
    pub causes: Vec<String>,
}

impl Outcome {
    /// The innermost cause (`class: message`).
    pub fn inner(&self) -> &str {
        self.causes.last().map(String::as_str).unwrap_or("")
    }

    pub fn chain(&self) -> String {
        self.causes.join("\n  <- ")
    }

    /// The handshake finished and the driver then waited for the database's answer to its
    /// connect packet: `s_server` never answers, so the driver's read timeout fires.
    pub fn assert_read_timeout(&self, release: Release) {
        assert!(
            !self.connected
                && [
                    // 23.x: the socket's own timeout; 19.x stops at the driver's wrapper.
                    "java.net.SocketTimeoutException: Read timed out",
                    "oracle.net.nt.TimeoutInterruptHandler$IOReadTimeoutException: Socket read timed out",
                ]
                .contains(&self.inner()),
            "{}/{}: expected the handshake to finish and the read to time out; got:\n  {}",
            release.name(),
            self.label,
            self.chain()
        );
        self.assert_no_tls_failure(release);
    }

    /// The handshake finished and the server (the Java SSO server, which reads the connect
    /// packet and hangs up) closed the connection.
    pub fn assert_closed_by_server(&self, release: Release) {
        assert!(
            !self.connected && self.inner().ends_with("Read error 'CLOSED'"),
            "{}/{}: expected the handshake to finish and the server to hang up; got:\n  {}",
            release.name(),
            self.label,
            self.chain()
        );
        self.assert_no_tls_failure(release);
    }

    fn assert_no_tls_failure(&self, release: Release) {
        let text = self.chain();
        for bad in ["SSLHandshakeException", "PKIX", "certificate", "ORA-179"] {
            assert!(
                !text.contains(bad),
                "{}/{}: {bad} in\n  {text}",
                release.name(),
                self.label
            );
        }
    }

    /// The attempt failed with `needle` in its innermost cause (or, where the driver
    /// raises its own error without a cause, in the outermost one).
    pub fn assert_refused(&self, release: Release, needle: &str) {
        assert!(
            !self.connected && self.causes.iter().any(|c| c.contains(needle)),
            "{}/{}: expected a failure naming {needle:?}; got:\n  {}",
            release.name(),
            self.label,
            self.chain()
        );
    }
}

/// Runs every attempt in one JVM of `release`'s JDBC driver, in order.
pub fn jdbc(release: Release, scratch: &Path, attempts: &[Attempt]) -> Vec<Outcome> {
    let mut files = Vec::new();
    for (i, a) in attempts.iter().enumerate() {
        let mut text = format!("url={}\n", escape(&a.url));
        for (k, v) in &a.props {
            text.push_str(&format!("{k}={}\n", escape(v)));
        }
        let file = scratch.join(format!("jdbc-{}-{i}.properties", release.name()));
        fs::write(&file, text).unwrap();
        files.push(file);
    }
    let out = run(java_peer(release)
        .arg("JdbcTcpsClient")
        .args(&files)
        .stdin(Stdio::null()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "JdbcTcpsClient[{}] exited {}:\n{stdout}\n{}",
        release.name(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut outcomes = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("ATTEMPT ") {
            let label = attempts[outcomes.len()].label.clone();
            outcomes.push(Outcome {
                label,
                connected: false,
                causes: Vec::new(),
            });
        } else if let Some(rest) = line.strip_prefix("CAUSE ") {
            let cause = rest.split_once(' ').map(|(_, c)| c).unwrap_or(rest);
            outcomes.last_mut().unwrap().causes.push(cause.to_owned());
        } else if line == "END connected" {
            outcomes.last_mut().unwrap().connected = true;
        }
    }
    assert_eq!(
        outcomes.len(),
        attempts.len(),
        "JdbcTcpsClient[{}] printed:\n{stdout}",
        release.name()
    );
    outcomes
}

/// A java.util.Properties value: backslashes are escapes there.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\")
}

// ---------------------------------------------------------------------------------------
// Servers

/// `openssl s_server` on 127.0.0.1, alive until dropped and never longer than 120 s. Its
/// standard input stays open (s_server hangs up after a handshake once it sees end of input),
/// and what clients send lands in a log: a JDBC client's connect packet there proves the
/// handshake finished.
pub struct OpenSslServer {
    child: Child,
    _stdin: ChildStdin,
    pub port: u16,
    out: PathBuf,
    err: PathBuf,
}

impl OpenSslServer {
    /// Serves `cert` + `key` with extra s_server options, on a free port (another port is
    /// tried when a parallel test took it first).
    pub fn start(dir: &Path, cert: &Path, key: &Path, extra: &[&str]) -> OpenSslServer {
        for _ in 0..5 {
            let port = free_port();
            let out = dir.join(format!("s_server-{port}.out"));
            let err = dir.join(format!("s_server-{port}.err"));
            let mut child = Command::new("timeout")
                .args(["120", "openssl", "s_server", "-quiet"])
                .args(["-accept", &format!("127.0.0.1:{port}"), "-cert"])
                .arg(cert)
                .arg("-key")
                .arg(key)
                .args(extra)
                .stdin(Stdio::piped())
                .stdout(fs::File::create(&out).unwrap())
                .stderr(fs::File::create(&err).unwrap())
                .spawn()
                .expect("cannot start openssl s_server");
            let stdin = child.stdin.take().unwrap();
            let mut server = OpenSslServer {
                child,
                _stdin: stdin,
                port,
                out,
                err,
            };
            if server.listening() {
                return server;
            }
        }
        panic!("openssl s_server could not bind a free port in five tries");
    }

    /// Waits until s_server accepts connections; false when it could not bind.
    fn listening(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.log().contains("unable to bind") || self.child.try_wait().unwrap().is_some() {
                return false;
            }
            // A listening socket shows in /proc/net/tcp before any connection is made, so
            // readiness costs no connection (which s_server would log as a failed handshake).
            if listens(self.port) {
                // The listener may be someone else's that took the port first: s_server
                // reports a failed bind at once, so look again a moment later.
                std::thread::sleep(Duration::from_millis(100));
                return !self.log().contains("unable to bind")
                    && self.child.try_wait().unwrap().is_none();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("openssl s_server did not listen: {}", self.log());
    }

    /// What clients sent (s_server writes received application data to stdout).
    pub fn received(&self) -> String {
        String::from_utf8_lossy(&fs::read(&self.out).unwrap_or_default()).into_owned()
    }

    /// s_server's own messages (verify results, errors).
    pub fn log(&self) -> String {
        fs::read_to_string(&self.err).unwrap_or_default()
    }
}

impl Drop for OpenSslServer {
    fn drop(&mut self) {
        // SIGTERM to `timeout` is passed on to s_server; then reap.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// Whether something listens on 127.0.0.1:port (from /proc/net/tcp, state 0A = LISTEN).
fn listens(port: u16) -> bool {
    let want = format!("0100007F:{port:04X}");
    fs::read_to_string("/proc/net/tcp").is_ok_and(|t| {
        t.lines().any(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            cols.len() > 3 && cols[1] == want && cols[3] == "0A"
        })
    })
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

/// The Java TLS server of `tests/oracle/java/SsoTlsServer.java`: Oracle's SSO KeyStore
/// loaded from a `cwallet.sso`, serving `connections` connections one at a time, exiting by
/// itself after 90 s at most. It binds its own free port.
pub struct SsoServer {
    child: Child,
    pub port: u16,
    lines: std::sync::mpsc::Receiver<String>,
}

/// One connection as the Java SSO server saw it.
#[derive(Debug)]
pub struct Served {
    /// `HANDSHAKE OK ...` or `HANDSHAKE FAILED ...`.
    pub handshake: String,
    /// What the client sent after the handshake (printable characters).
    pub received: String,
}

impl Served {
    pub fn assert_connect_packet(&self, release: Release, what: &str) {
        assert!(
            self.handshake.starts_with("HANDSHAKE OK") && self.received.contains("(DESCRIPTION="),
            "{}/{what}: the SSO server saw {self:?}",
            release.name()
        );
    }

    /// The `key=` / `sha256=` / `peer=` field of a completed handshake.
    pub fn field(&self, name: &str) -> &str {
        let tag = format!("{name}=");
        let at = self
            .handshake
            .find(&tag)
            .unwrap_or_else(|| panic!("no {tag} in {}", self.handshake));
        let rest = &self.handshake[at + tag.len()..];
        // peer= comes last: the rest of the line is the DN.
        if name == "peer" {
            rest
        } else {
            rest.split_whitespace().next().unwrap()
        }
    }
}

impl SsoServer {
    pub fn start(release: Release, sso: &Path, need_client_auth: bool, connections: u32) -> Self {
        let mut child = java_peer(release)
            .arg("SsoTlsServer")
            .arg(sso)
            .args([
                need_client_auth.to_string(),
                "90".into(),
                connections.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start java SsoTlsServer");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("SsoTlsServer[{}] did not start", release.name()));
        let port = first
            .strip_prefix("LISTENING ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("SsoTlsServer[{}] said {first}", release.name()));
        SsoServer { child, port, lines }
    }

    /// The next connection's record (waits up to 20 s for it).
    pub fn next(&self) -> Served {
        let handshake = self.line();
        let received = if handshake.starts_with("HANDSHAKE OK") {
            let r = self.line();
            r.strip_prefix("RECEIVED ").unwrap_or(&r).to_owned()
        } else {
            String::new()
        };
        Served {
            handshake,
            received,
        }
    }

    fn line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(20))
            .expect("the SSO server reported no connection")
    }
}

impl Drop for SsoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// Certificates and wallets the cases need

/// `{name}.pem`: a certificate for `key_pem`'s key with subject CN=localhost and SAN
/// localhost, signed by the `tcps init` CA in `init/ca`, valid only in 2020. orakit cannot
/// back-date a certificate on purpose, so `openssl ca` with explicit dates makes it; openssl
/// confirms it has expired.
pub fn expired_server_cert(dir: &Path, init: &Path, key_pem: &Path, name: &str) -> PathBuf {
    let db = dir.join(format!("{name}-ca-db"));
    fs::create_dir_all(&db).unwrap();
    fs::write(db.join("index.txt"), "").unwrap();
    fs::write(db.join("serial"), "01\n").unwrap();
    fs::write(
        db.join("ca.cnf"),
        "[ca]\ndefault_ca = past\n[past]\ndatabase = index.txt\nnew_certs_dir = .\n\
         serial = serial\ndefault_md = sha256\npolicy = any\ncopy_extensions = copy\n\
         unique_subject = no\n[any]\ncommonName = supplied\n",
    )
    .unwrap();
    let csr = dir.join(format!("{name}.csr"));
    run_ok(
        Command::new("openssl")
            .args(words("req -new -subj /CN=localhost"))
            .args(["-addext", "subjectAltName=DNS:localhost", "-key"])
            .arg(key_pem)
            .arg("-out")
            .arg(&csr),
    );
    let pem = dir.join(format!("{name}.pem"));
    run_ok(
        Command::new("openssl")
            .args(words("ca -batch -notext -config ca.cnf"))
            .args(words(
                "-startdate 20200101000000Z -enddate 20201231000000Z -cert",
            ))
            .arg(init.join("ca/ca.pem"))
            .arg("-keyfile")
            .arg(init.join("ca/ca.key"))
            .arg("-in")
            .arg(&csr)
            .arg("-out")
            .arg(&pem)
            .current_dir(&db),
    );
    let check = run(Command::new("openssl")
        .args(words("x509 -noout -checkend 0 -in"))
        .arg(&pem));
    assert!(!check.status.success(), "{} has not expired", pem.display());
    pem
}

/// The password of the user-certificate client wallet.
pub const CLIENT_PASSWORD: &str = "Client-ring-2026pw";

/// A client wallet (password + auto-login) holding a clientAuth user certificate for
/// `subject`, made the way a DBA would with orakit alone: `wallet create`, `add-trusted` of
/// the init's CA, `add-key`, `export-request`, `csr sign --profile client` with the init's
/// CA, `add-user-cert`.
pub fn client_cert_wallet(dir: &Path, init: &Path, subject: &str) -> PathBuf {
    let wallet = dir.join("client-cert-wallet");
    let csr = dir.join("client.csr");
    let cert = dir.join("client.pem");
    let w = wallet.display().to_string();
    let pw = |cmd: &mut Command| {
        run_ok(
            cmd.args(["--password-env", "RING_CLIENT_PW"])
                .env("RING_CLIENT_PW", CLIENT_PASSWORD),
        );
    };
    pw(orakit().args(["wallet", "create", "--auto-login", "--wallet", &w]));
    pw(orakit()
        .args(["wallet", "add-trusted", "--wallet", &w, "--cert"])
        .arg(init.join("ca/ca.pem")));
    pw(orakit().args([
        "wallet",
        "add-key",
        "--wallet",
        &w,
        "--subject",
        subject,
        "--key-type",
        "rsa2048",
    ]));
    pw(orakit()
        .args(["wallet", "export-request", "--wallet", &w, "--out"])
        .arg(&csr));
    run_ok(
        orakit()
            .args([
                "csr",
                "sign",
                "--profile",
                "client",
                "--days",
                "30",
                "--ca-cert",
            ])
            .arg(init.join("ca/ca.pem"))
            .arg("--ca-key")
            .arg(init.join("ca/ca.key"))
            .arg("--out")
            .arg(&cert)
            .arg(&csr),
    );
    pw(orakit()
        .args(["wallet", "add-user-cert", "--wallet", &w, "--cert"])
        .arg(&cert));
    wallet
}

/// python-oracledb in thin mode (`tests/e2e/thin_connect.py`) against localhost:port with
/// `wallet_dir` (its ewallet.pem): the error text. The ring never skips: a missing
/// python-oracledb fails.
pub fn python_thin(port: u16, wallet_dir: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/thin_connect.py");
    let out = run(Command::new("python3")
        .arg(script)
        .args(["localhost", &port.to_string(), "ORCLPDB1"])
        .arg(wallet_dir));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let json: serde_json::Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "python-oracledb thin did not run ({e}): {text}{}\n(install it: python3 -m pip \
             install oracledb; the ring never skips)",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(json["connected"], false, "no database is behind the server");
    json["error"].as_str().unwrap().to_owned()
}

/// `openssl s_client -verify_return_error -CAfile ca` against 127.0.0.1:port, checking the
/// host name too: (verified, SHA-256 fingerprint of the certificate the server presented).
pub fn s_client(dir: &Path, port: u16, ca: &Path, host: &str) -> (bool, String, String) {
    let out = run(Command::new("timeout")
        .args(words("20 openssl s_client -connect"))
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", host, "-verify_hostname", host])
        .args(["-verify_return_error", "-CAfile"])
        .arg(ca)
        .stdin(Stdio::null()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let presented = dir.join(format!("presented-{port}.pem"));
    let pem = text.find("-----BEGIN CERTIFICATE-----").and_then(|a| {
        text[a..]
            .find("-----END CERTIFICATE-----")
            .map(|b| &text[a..a + b + 25])
    });
    let fingerprint = match pem {
        Some(pem) => {
            fs::write(&presented, pem).unwrap();
            openssl_sha256(&presented)
        }
        None => String::new(),
    };
    let verified = out.status.success() && text.contains("Verify return code: 0 (ok)");
    (verified, fingerprint, text)
}
