//! `tcps rotate-root DIR --phase trust|reissue|retire`: moving a `tcps init` output or a
//! `tcps issue` fleet from its root CA to a new one without a moment in which a client
//! and a server disagree.
//!
//! 1. **trust**: a new root is made (or taken from `--new-ca-dir`) and added beside the
//!    old one to every server wallet and every client / AWS DMS wallet. Deploy the wallets;
//!    every client now trusts servers of either root.
//! 2. **reissue**: each server certificate is re-issued under the new root (same key,
//!    subject and SANs; [`super::renew`]'s code). Deploy the server wallets; clients
//!    deployed in phase 1 trust them.
//! 3. **retire**: the old root is removed from every wallet; in a `tcps init` output the
//!    new CA becomes `DIR/ca` (the old one is kept as `DIR/ca-retired`).
//!
//! The state is recorded in `DIR/orakit-rotation.json` (which phase, done or under way,
//! both roots), so a phase cannot run before the one it needs. Each phase plans first and
//! writes only what is missing: a rerun writes nothing and says so, and a run killed
//! half-way is finished by running the same phase again. `check` plans only.
//!
//! Here: the phases and what they act on; `state`: the record and the order of phases;
//! `new_ca`: the new root (made, copied, loaded, put in place); `report`: the plan and
//! what happened. The trust edits themselves are [`super::trust_edit`].

mod new_ca;
mod report;
mod start;
mod state;

use std::fs;
use std::path::{Path, PathBuf};

use der::Encode;
use serde::Serialize;

use super::ca_store::{self, CERT_NAME, KEY_NAME};
use super::renew::{self, Issuer, RenewSpec};
use super::server::CaMaterial;
use super::trust_edit::{Edit, Holder};
use super::{Error, Result, layout};
use crate::fleet::host_bundle::{CERT_FILE, WALLET_DIR};
use crate::fleet::state::{HostState, Marker, OutDir};
use crate::pki::cert;
use crate::pki::key::KeySpec;
use crate::secret::Password;
use crate::wallet::model::sha256_hex;
use crate::wallet::store::{P12_NAME, SSO_NAME};

pub use new_ca::{NEW_CA_DIR, RETIRED_CA_DIR};
use new_ca::{ca_swapped, load_new_ca, make_new_ca, read_ca_cert, swap_ca, write_ca_dir};
pub use report::{RootFacts, RotateReport, Step};
use start::{names_other_ca, start};
pub use state::{Phase, RootRecord, SCHEMA_VERSION, STATE_FILE, State};
use state::{needed_phase, read_state, record, state_bytes, write_state};

/// Which kind of directory is rotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DirKind {
    /// A `tcps init` output (`orakit-tcps.json`, `ca/`, `server/`, `client/`).
    TcpsInit,
    /// A `tcps issue` output (one directory per host with its completion marker).
    Fleet,
}

/// How a new root is made in phase 1 when `new_ca_dir` holds none.
#[derive(Debug, Clone)]
pub struct NewRoot {
    /// Subject [default: the old one's, its CN with " G2" (or the next number)].
    pub subject: Option<String>,
    pub days: u32,
    /// Key type [default: the old root's].
    pub key_spec: Option<KeySpec>,
}

/// Every choice of a run.
#[derive(Debug, Clone)]
pub struct RotateSpec {
    pub phase: Phase,
    pub check: bool,
    /// The server wallets' password (every host's, for a fleet).
    pub server_password: Password,
    /// The CA keys' password (old and new), when they are encrypted; a new CA key is
    /// written encrypted with it.
    pub ca_password: Option<Password>,
    /// Phase 1: where the new CA is (or is made). Default for a `tcps init` output:
    /// DIR/ca-new; a fleet must name it.
    pub new_ca_dir: Option<PathBuf>,
    /// Phase 1 of a fleet: the CA the fleet was issued with (its ca.pem).
    pub old_ca_dir: Option<PathBuf>,
    pub new_root: NewRoot,
    /// Phase 1 of a fleet: client wallets to rotate too.
    pub client_wallets: Vec<PathBuf>,
    /// Phase 2: validity of the re-issued certificates.
    pub days: u32,
    pub now_unix: i64,
}

/// The CA directories a rotation of `dir` may read a key from (its own CA, the new CA
/// its record names, DIR/ca-new), for the caller to ask for a password when one is
/// encrypted.
pub fn ca_key_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![dir.join("ca"), dir.join(NEW_CA_DIR)];
    if let Ok(Some(state)) = read_state(dir) {
        dirs.push(state.new_ca_dir);
    }
    dirs
}

/// Which kind of directory `dir` is.
pub fn kind_of(dir: &Path) -> Result<DirKind> {
    if dir.join(layout::MARKER).is_file() {
        return Ok(DirKind::TcpsInit);
    }
    if dir.join(crate::fleet::layout::SUMMARY).is_file() || !fleet_hosts(dir)?.is_empty() {
        return Ok(DirKind::Fleet);
    }
    Err(Error::Layout(format!(
        "{} is neither a `tcps init` output (no {}) nor a `tcps issue` output (no {} and \
         no host directory); give the directory `--out` named",
        dir.display(),
        layout::MARKER,
        crate::fleet::layout::SUMMARY
    )))
}

/// A fleet's complete hosts, by name, sorted.
fn fleet_hosts(dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(dir)
        .map_err(|e| Error::Layout(format!("cannot read {}: {e}", dir.display())))?;
    let mut hosts = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.')
            && entry.path().join(crate::fleet::layout::MARKER).is_file()
            && entry.path().is_dir()
        {
            hosts.push(name);
        }
    }
    hosts.sort();
    Ok(hosts)
}

/// Everything a run works on.
struct Scope {
    dir: PathBuf,
    /// Server wallet directories, with the label the plan prints.
    servers: Vec<(String, PathBuf)>,
    /// Client / DMS trust holders.
    clients: Vec<(String, Holder)>,
}

pub(super) fn label(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.display().to_string())
}

fn scope(dir: &Path, kind: DirKind, client_wallets: &[PathBuf]) -> Result<Scope> {
    let mut servers = Vec::new();
    let mut clients = Vec::new();
    match kind {
        DirKind::TcpsInit => {
            servers.push((
                layout::SERVER_WALLET.to_owned(),
                dir.join(layout::SERVER_WALLET),
            ));
            let client = dir.join(layout::CLIENT_WALLET);
            clients.push((
                format!("{}/{SSO_NAME} (client and AWS DMS)", layout::CLIENT_WALLET),
                Holder::Wallet(client.clone()),
            ));
            clients.push((
                format!("{}/ewallet.pem", layout::CLIENT_WALLET),
                Holder::Pem(client.join("ewallet.pem")),
            ));
        }
        DirKind::Fleet => {
            for host in fleet_hosts(dir)? {
                servers.push((
                    format!("{host}/{WALLET_DIR}"),
                    dir.join(&host).join(WALLET_DIR),
                ));
            }
        }
    }
    for path in client_wallets {
        if path.is_dir() {
            if path.join(P12_NAME).exists() {
                return Err(Error::Invalid(format!(
                    "{} holds an ewallet.p12 (a password wallet); a rotation rewrites \
                     trust-only client wallets (cwallet.sso, ewallet.pem): change this one \
                     with `orakit wallet add-trusted` and `orakit wallet remove`",
                    path.display()
                )));
            }
            let mut any = false;
            if path.join(SSO_NAME).is_file() {
                clients.push((
                    label(dir, &path.join(SSO_NAME)),
                    Holder::Wallet(path.clone()),
                ));
                any = true;
            }
            if path.join("ewallet.pem").is_file() {
                let pem = path.join("ewallet.pem");
                clients.push((label(dir, &pem), Holder::Pem(pem)));
                any = true;
            }
            if !any {
                return Err(Error::Invalid(format!(
                    "--client-wallet {} holds neither cwallet.sso nor ewallet.pem",
                    path.display()
                )));
            }
        } else if path.is_file() {
            clients.push((label(dir, path), Holder::Pem(path.clone())));
        } else {
            return Err(Error::Invalid(format!(
                "--client-wallet {} does not exist",
                path.display()
            )));
        }
    }
    Ok(Scope {
        dir: dir.to_path_buf(),
        servers,
        clients,
    })
}

/// Runs (or with `spec.check`, plans) one phase on `dir`.
pub fn rotate(dir: &Path, spec: &RotateSpec) -> Result<RotateReport> {
    let kind = kind_of(dir)?;
    let state = read_state(dir)?;
    let mut report = RotateReport {
        dir: dir.to_path_buf(),
        kind,
        phase: spec.phase,
        check: spec.check,
        changed: false,
        old_root: state.as_ref().map(|s| RootFacts::from(&s.old_root)),
        new_root: state.as_ref().map(|s| RootFacts::from(&s.new_root)),
        steps: Vec::new(),
        files_changed: Vec::new(),
        next: String::new(),
    };
    let needed = needed_phase(state.as_ref());
    if let Some(state) = &state
        && spec.phase == Phase::Trust
    {
        let other_ca = names_other_ca(spec, state)?;
        if state.finished() && spec.new_ca_dir.is_some() && !other_ca {
            // Phase 1 of the finished rotation again (its new CA named): a rerun.
            report.next = format!(
                "the rotation to \"{}\" is complete; nothing to do. To rotate again, run \
                 --phase trust with another new CA",
                state.new_root.subject
            );
            return Ok(report);
        }
        if !state.finished() && other_ca {
            return Err(Error::Invalid(format!(
                "{}: the rotation to \"{}\" is at phase {} ({}{}); finish it with `orakit \
                 tcps rotate-root {} --phase {}` (then --phase retire) before starting one \
                 to another CA",
                dir.display(),
                state.new_root.subject,
                state.phase.number(),
                state.phase.name(),
                if state.complete {
                    ", done"
                } else {
                    ", under way"
                },
                dir.display(),
                needed.map_or("retire", Phase::name)
            )));
        }
    }
    if let Some(state) = &state
        && spec.phase < state.phase
        && !(state.finished() && spec.phase == Phase::Trust)
    {
        report.next = format!(
            "phase {} ({}) was done earlier: the rotation is at phase {} ({}{}); nothing to do",
            spec.phase.number(),
            spec.phase.name(),
            state.phase.number(),
            state.phase.name(),
            if state.complete {
                ", done"
            } else {
                ", under way"
            }
        );
        return Ok(report);
    }
    let rerun = state.as_ref().is_some_and(|s| s.phase == spec.phase);
    if !rerun && Some(spec.phase) != needed {
        return Err(Error::Invalid(format!(
            "{}: phase {} ({}) cannot run yet: {}. Run `orakit tcps rotate-root {} --phase {}` first",
            dir.display(),
            spec.phase.number(),
            spec.phase.name(),
            match &state {
                None => "no rotation was started".to_owned(),
                Some(s) if !s.complete => format!(
                    "phase {} ({}) has not finished",
                    s.phase.number(),
                    s.phase.name()
                ),
                Some(s) => format!("the last phase done is {}", s.phase.name()),
            },
            dir.display(),
            needed.map_or("trust", Phase::name)
        )));
    }
    match spec.phase {
        Phase::Trust => trust(dir, kind, state, spec, &mut report)?,
        Phase::Reissue => reissue(dir, kind, state.expect("checked above"), spec, &mut report)?,
        Phase::Retire => retire(dir, kind, state.expect("checked above"), spec, &mut report)?,
    }
    report.changed = !report.files_changed.is_empty();
    Ok(report)
}

/// Edits every holder of `scope` with `edit`, planning first; with `check` only plans.
fn edit_all(
    scope: &Scope,
    edit: Edit<'_>,
    what: &str,
    spec: &RotateSpec,
    report: &mut RotateReport,
) -> Result<()> {
    let password = Some(&spec.server_password);
    let holders: Vec<(String, Holder, Option<&Password>)> = scope
        .servers
        .iter()
        .map(|(l, d)| (l.clone(), Holder::Wallet(d.clone()), password))
        .chain(
            scope
                .clients
                .iter()
                .map(|(l, h)| (l.clone(), h.clone(), None)),
        )
        .collect();
    for (target, holder, password) in holders {
        let needed = holder.needs(edit, password)?;
        report.steps.push(Step {
            target: target.clone(),
            action: what.to_owned(),
            needed,
        });
        if !needed {
            continue;
        }
        let files: Vec<String> = holder
            .files()?
            .iter()
            .map(|f| label(&scope.dir, f))
            .collect();
        if !spec.check {
            holder.apply(edit, password)?;
        }
        report.files_changed.extend(files);
    }
    Ok(())
}

fn trust(
    dir: &Path,
    kind: DirKind,
    state: Option<State>,
    spec: &RotateSpec,
    report: &mut RotateReport,
) -> Result<()> {
    let (state, sample) = match state {
        // The last rotation is finished: it goes into the record's history and the next
        // one starts from the CA it left in force.
        Some(done) if done.finished() => {
            let (next, sample) = start(dir, kind, spec, Some(&done.new_ca_dir), report)?;
            (
                State {
                    history: done.archived(),
                    client_wallets: done.client_wallets.clone(),
                    ..next
                },
                sample,
            )
        }
        Some(s) => (s, false),
        None => start(dir, kind, spec, None, report)?,
    };
    report.old_root = Some(RootFacts::from(&state.old_root));
    report.new_root = Some(RootFacts::from(&state.new_root));
    if sample && let Some(new) = &mut report.new_root {
        // --check made the new root in memory only; the real run makes another.
        new.sha256_fingerprint = String::new();
    }
    let mut clients = state.client_wallets.clone();
    for c in &spec.client_wallets {
        if !clients.contains(c) {
            clients.push(c.clone());
        }
    }
    let scope = scope(dir, kind, &clients)?;
    let new_der = state.new_root.der()?;
    let state = State {
        client_wallets: clients,
        ..state
    };
    let under_way = State {
        complete: false,
        ..state.clone()
    };
    if !spec.check && !state.complete && write_state(dir, &under_way)? {
        report.files_changed.push(STATE_FILE.to_owned());
    }
    edit_all(
        &scope,
        Edit::Add(&new_der),
        &format!("trust the new root \"{}\"", state.new_root.subject),
        spec,
        report,
    )?;
    let done = State {
        complete: true,
        ..state
    };
    finish_state(dir, &done, spec, report)?;
    report.next = format!(
        "deploy the wallets changed (server wallets to their hosts, client wallets to \
         clients, {}) — every client then trusts servers of either root; then run \
         --phase reissue",
        match kind {
            DirKind::TcpsInit => "client/wallet/cwallet.sso imported into AWS DMS",
            DirKind::Fleet => "the client wallets' cwallet.sso imported into AWS DMS",
        }
    );
    Ok(())
}

/// Writes the final state of a phase (when it changes), noting it in the report.
fn finish_state(
    dir: &Path,
    state: &State,
    spec: &RotateSpec,
    report: &mut RotateReport,
) -> Result<()> {
    let changes = fs::read(dir.join(STATE_FILE)).ok() != Some(state_bytes(state)?);
    if changes && !report.files_changed.iter().any(|f| f == STATE_FILE) {
        report.files_changed.push(STATE_FILE.to_owned());
    }
    if !spec.check {
        write_state(dir, state)?;
    }
    Ok(())
}

fn reissue(
    dir: &Path,
    kind: DirKind,
    state: State,
    spec: &RotateSpec,
    report: &mut RotateReport,
) -> Result<()> {
    let ca = load_new_ca(&state, spec)?;
    let under_way = State {
        phase: Phase::Reissue,
        complete: false,
        ..state.clone()
    };
    let subject = &state.new_root.subject;
    match kind {
        DirKind::TcpsInit => {
            let renew_spec = RenewSpec {
                days: spec.days,
                within_days: 0,
                force: false,
                new_key: false,
                check: spec.check,
                now_unix: spec.now_unix,
            };
            // Plan first: the record says "under way" only when something will change.
            let planned = renew::renew_with(
                dir,
                &spec.server_password,
                &ca,
                Issuer::Rotate,
                &RenewSpec {
                    check: true,
                    ..renew_spec.clone()
                },
            )?;
            report.steps.push(Step {
                target: layout::SERVER_WALLET.to_owned(),
                action: format!("re-issue the server certificate under \"{subject}\""),
                needed: planned.renewed,
            });
            if planned.changed && !spec.check {
                if write_state(dir, &under_way)? {
                    report.files_changed.push(STATE_FILE.to_owned());
                }
                let done = renew::renew_with(
                    dir,
                    &spec.server_password,
                    &ca,
                    Issuer::Rotate,
                    &renew_spec,
                )?;
                report.files_changed.extend(done.files_changed);
            } else {
                report.files_changed.extend(planned.files_changed);
            }
        }
        DirKind::Fleet => {
            let hosts = fleet_hosts(dir)?;
            let mut due = Vec::new();
            for host in &hosts {
                let certificate = crate::fleet::renew::read_host_certificate(&dir.join(host))
                    .map_err(|e| Error::Invalid(e.to_string()))?;
                let needed = !ca.issued(&certificate);
                report.steps.push(Step {
                    target: format!("{host}/{WALLET_DIR}"),
                    action: format!("re-issue the server certificate under \"{subject}\""),
                    needed,
                });
                if needed {
                    due.push(host.clone());
                    report.files_changed.extend([
                        format!("{host}/{WALLET_DIR}/{P12_NAME}"),
                        format!("{host}/{WALLET_DIR}/{SSO_NAME}"),
                        format!("{host}/{CERT_FILE}"),
                        format!("{host}/{}", crate::fleet::layout::MARKER),
                    ]);
                }
            }
            if !due.is_empty() && !spec.check {
                if write_state(dir, &under_way)? {
                    report.files_changed.insert(0, STATE_FILE.to_owned());
                }
                reissue_fleet(dir, &due, &ca, spec)?;
            }
        }
    }
    let done = State {
        phase: Phase::Reissue,
        complete: true,
        ..state
    };
    finish_state(dir, &done, spec, report)?;
    report.next = "deploy the server wallets changed to their hosts and restart their \
                   listeners (clients deployed after phase 1 trust them); when every server \
                   runs its new certificate, run --phase retire"
        .to_owned();
    Ok(())
}

/// Re-issues each host under `ca` with `tcps issue --renew-within`'s code, one host
/// directory replaced whole at a time.
fn reissue_fleet(dir: &Path, hosts: &[String], ca: &CaMaterial, spec: &RotateSpec) -> Result<()> {
    let out = OutDir::create(dir).map_err(|e| Error::Layout(e.to_string()))?;
    out.recover().map_err(|e| Error::Layout(e.to_string()))?;
    let ca_der = ca
        .certificate
        .to_der()
        .map_err(|e| Error::Invalid(format!("cannot encode a certificate: {e}")))?;
    for host in hosts {
        if !matches!(out.host_state(host), HostState::Complete(_)) {
            continue;
        }
        let bundle = crate::fleet::renew::renewed_bundle(
            &dir.join(host),
            host,
            ca,
            spec.days,
            &spec.server_password,
        )
        .map_err(|e| Error::Invalid(format!("{host}: {e}")))?;
        let marker = Marker {
            host: host.clone(),
            subject: bundle.subject.clone(),
            serial: bundle.serial.clone(),
            not_after: bundle.not_after.clone(),
            key_type: bundle.key_type.clone(),
            ca_sha256: sha256_hex(&ca_der),
            brought: None,
        };
        out.commit(&bundle, &marker, true)
            .map_err(|e| Error::Layout(format!("{host}: {e}")))?;
    }
    out.finish();
    Ok(())
}

fn retire(
    dir: &Path,
    kind: DirKind,
    state: State,
    spec: &RotateSpec,
    report: &mut RotateReport,
) -> Result<()> {
    let scope = scope(dir, kind, &state.client_wallets)?;
    // Every server must serve a certificate of the new root before the old one goes.
    let new_cert = cert::read_certificate(state.new_root.pem.as_bytes())?;
    let servers: Vec<(String, PathBuf)> = match kind {
        DirKind::TcpsInit => vec![("server".into(), dir.join(layout::SERVER_CERT))],
        DirKind::Fleet => fleet_hosts(dir)?
            .into_iter()
            .map(|h| (h.clone(), dir.join(&h).join(CERT_FILE)))
            .collect(),
    };
    for (name, pem) in &servers {
        let bytes = fs::read(pem)
            .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", pem.display())))?;
        let c = cert::read_certificate(&bytes)?;
        let ok = c.tbs_certificate().issuer() == new_cert.tbs_certificate().subject()
            && c.to_der()
                .is_ok_and(|d| cert::verify_issued_by(&d, &new_cert).is_ok());
        if !ok {
            return Err(Error::Invalid(format!(
                "{name}: its certificate {} is not from the new root \"{}\"; removing the old \
                 root now would break it. Run `orakit tcps rotate-root {} --phase reissue` \
                 again",
                pem.display(),
                state.new_root.subject,
                dir.display()
            )));
        }
    }
    let under_way = State {
        phase: Phase::Retire,
        complete: false,
        ..state.clone()
    };
    let old_der = state.old_root.der()?;
    // Plan (check) the removals first so the record is marked only when needed.
    let mut planned = report.clone();
    edit_all(
        &scope,
        Edit::Remove(&old_der),
        "",
        &RotateSpec {
            check: true,
            ..spec.clone()
        },
        &mut planned,
    )?;
    let swap_needed = kind == DirKind::TcpsInit && !ca_swapped(dir, &state)?;
    if !spec.check
        && (swap_needed || !planned.files_changed.is_empty())
        && write_state(dir, &under_way)?
    {
        report.files_changed.push(STATE_FILE.to_owned());
    }
    edit_all(
        &scope,
        Edit::Remove(&old_der),
        &format!("stop trusting the old root \"{}\"", state.old_root.subject),
        spec,
        report,
    )?;
    let mut new_ca_dir = state.new_ca_dir.clone();
    if kind == DirKind::TcpsInit {
        report.steps.push(Step {
            target: "ca".into(),
            action: format!("make the new CA DIR/ca (the old one kept as DIR/{RETIRED_CA_DIR})"),
            needed: swap_needed,
        });
        if swap_needed {
            report.files_changed.extend([
                format!("ca/{CERT_NAME}"),
                format!("ca/{KEY_NAME}"),
                layout::MARKER.to_owned(),
            ]);
            if !spec.check {
                swap_ca(dir, &state)?;
            }
        }
        new_ca_dir = dir.join("ca");
    }
    let done = State {
        phase: Phase::Retire,
        complete: true,
        new_ca_dir,
        ..state
    };
    finish_state(dir, &done, spec, report)?;
    report.next = match kind {
        DirKind::TcpsInit => "deploy the wallets changed (server and client wallets, the \
            client cwallet.sso to AWS DMS); the rotation is complete and DIR/ca is the new \
            root (tcps renew uses it)"
            .to_owned(),
        DirKind::Fleet => format!(
            "deploy the wallets changed; the rotation is complete: issue and renew this \
             fleet with --ca-dir {} from now on",
            done.new_ca_dir.display()
        ),
    };
    Ok(())
}
