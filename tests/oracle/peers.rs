//! Oracle's own tools as test peers: orapki and mkstore of two releases (the Java classes in
//! Maven Central's `oraclepki` jars) and the JDBC thin drivers, fetched by
//! `scripts/oracle-peers.sh` into `target/oracle-peers` (or `$ORAKIT_ORACLE_PEERS`).
//!
//! A missing peer fails the test that needs it, with the command that installs it: the ring
//! never skips (issue 12), on CI or anywhere else.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// An orapki / mkstore release the ring runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// oraclepki 19.x with osdt_core / osdt_cert 19.x.
    R19c,
    /// oraclepki 23.26.x (self-contained).
    R23ai,
}

/// Both releases, oldest first: ring cases loop over this.
pub const RELEASES: [Release; 2] = [Release::R19c, Release::R23ai];

impl Release {
    /// The folder name under the peers directory, also the `--target` orakit takes.
    pub fn name(self) -> &'static str {
        match self {
            Release::R19c => "19c",
            Release::R23ai => "23ai",
        }
    }

    /// The `--target` value that asks orakit for this release's layout.
    pub fn target(self) -> &'static str {
        self.name()
    }

    /// oraclepki + osdt jars of this release, as a Java classpath.
    pub fn classpath(self) -> String {
        let dir = peers_dir().join(self.name());
        let jars: Vec<String> = ["oraclepki", "osdt_core", "osdt_cert"]
            .iter()
            .map(|j| require(&dir.join(format!("{j}.jar"))).display().to_string())
            .collect();
        jars.join(":")
    }

    /// The JDBC thin driver that goes with this release: ojdbc8 19.x, ojdbc11 23.x.
    pub fn jdbc_jar(self) -> PathBuf {
        let name = match self {
            Release::R19c => "ojdbc8.jar",
            Release::R23ai => "ojdbc11.jar",
        };
        require(&peers_dir().join("jdbc").join(name))
    }
}

/// Where `scripts/oracle-peers.sh` put the jars.
pub fn peers_dir() -> PathBuf {
    match std::env::var_os("ORAKIT_ORACLE_PEERS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-peers"),
    }
}

fn require(path: &Path) -> PathBuf {
    if !path.is_file() {
        panic!(
            "Oracle peer {} is missing: run scripts/oracle-peers.sh (it fetches orapki, mkstore \
             and the JDBC thin drivers from Maven Central); the Oracle interop ring never skips",
            path.display()
        );
    }
    path.to_path_buf()
}

/// `java` with flags that make a short-lived JVM start fast (C1 only, serial GC, CDS).
pub fn java() -> Command {
    let mut cmd = Command::new("java");
    cmd.args([
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Xshare:auto",
        "-Djava.security.egd=file:/dev/./urandom",
    ]);
    cmd.env_remove("TNS_ADMIN").env_remove("JAVA_TOOL_OPTIONS");
    cmd
}

/// What an Oracle tool printed and returned.
#[derive(Debug)]
pub struct ToolRun {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub line: String,
}

impl ToolRun {
    fn from(line: String, out: Output) -> ToolRun {
        ToolRun {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            line,
        }
    }

    /// Panics with everything the tool said unless it reported success. orapki prints
    /// errors on stdout and exits 255 (sometimes 0 with a PKI- message), so both are checked.
    pub fn ok(self) -> ToolRun {
        let failed = self.code != 0
            || self.stdout.contains("PKI-")
            || self.stdout.contains("Exception")
            || self.stderr.contains("Exception");
        if failed {
            panic!(
                "Oracle tool failed: {}\nexit {}\nstdout:\n{}\nstderr:\n{}",
                self.line, self.code, self.stdout, self.stderr
            );
        }
        self
    }

    /// stdout without the banner (the lines up to and including the copyright line).
    pub fn body(&self) -> &str {
        match self.stdout.find("All rights reserved.") {
            Some(at) => {
                let rest = &self.stdout[at..];
                match rest.find('\n') {
                    Some(nl) => rest[nl + 1..].trim_start_matches('\n'),
                    None => "",
                }
            }
            None => &self.stdout,
        }
    }
}

/// Runs orapki of `release` with `args`.
pub fn orapki(release: Release, args: &[&str]) -> ToolRun {
    let mut cmd = java();
    cmd.arg("-cp")
        .arg(release.classpath())
        .arg("oracle.security.pki.textui.OraclePKITextUI")
        .args(args)
        .stdin(Stdio::null());
    let line = format!("orapki[{}] {}", release.name(), args.join(" "));
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot start java for {line}: {e}"));
    ToolRun::from(line, out)
}

/// Runs mkstore of `release` with `args`, feeding `stdin` (mkstore reads passwords there).
pub fn mkstore(release: Release, args: &[&str], stdin: &str) -> ToolRun {
    let mut cmd = java();
    cmd.arg("-cp")
        .arg(release.classpath())
        .arg("oracle.security.pki.OracleSecretStoreTextUI")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let line = format!("mkstore[{}] {}", release.name(), args.join(" "));
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start java for {line}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    ToolRun::from(line, out)
}

/// The SHA-256 of a file, as lower-case hex (to assert a tool left a file alone).
pub fn sha256_file(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}
