//! The scheduler: hosts are handed out one at a time to `jobs` worker threads; each
//! worker builds a host's bundle, writes it ([`OutDir::commit`]) and sends back a small
//! [`HostReport`]. Nothing per host outlives its worker step, so memory stays flat
//! however long the host list is; the caller sees reports as they come (progress, the
//! summary) on its own thread.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::SystemTime;

use der::Encode;
use serde::Serialize;

use super::drift;
use super::host_bundle::{self, CaMaterial, HostBundle, IssueOptions};
use super::hosts_csv::HostSpec;
use super::renew;
use super::state::{HostState, Marker, OutDir};
use crate::pki::name::to_rfc2253;
use crate::pki::show::format_time;
use crate::wallet::model::sha256_hex;

/// What happened to one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A new key, certificate and wallet were written.
    Issued,
    /// The certificate was re-issued for the host's existing key.
    Renewed,
    /// The host was already complete (and, when renewing, not expiring soon).
    Skipped,
    Failed,
}

/// One host's line of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct HostReport {
    pub host: String,
    /// The line of the host file it came from.
    pub line: usize,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// Why the host was skipped or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// How a run goes.
#[derive(Debug, Clone, Copy)]
pub struct RunConfig {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Renewal mode: re-issue complete hosts whose certificate ends within this many
    /// days, keeping their keys.
    pub renew_within: Option<u32>,
    /// Re-issue (same key) complete hosts whose files no longer match the host file or
    /// the options ("drift"); without it drift is only reported.
    pub reissue_drifted: bool,
    /// Let a renewal or re-issue move a host whose certificate another CA issued to this
    /// run's CA; without it such a host fails and nothing of it changes.
    pub allow_ca_change: bool,
}

/// Everything a worker needs, shared read-only between threads.
struct Job<'a> {
    out: &'a OutDir,
    ca: &'a CaMaterial,
    ca_sha256: String,
    options: &'a IssueOptions,
    config: RunConfig,
    now: SystemTime,
}

/// Issues (or skips, or renews) every host, calling `on_report` on the caller's thread
/// as each host finishes, in completion order. A host that fails does not stop the
/// others.
pub fn run(
    out: &OutDir,
    ca: &CaMaterial,
    hosts: &[HostSpec],
    options: &IssueOptions,
    config: RunConfig,
    mut on_report: impl FnMut(HostReport),
) {
    let ca_der = ca.certificate.to_der().unwrap_or_default();
    let job = Job {
        out,
        ca,
        ca_sha256: sha256_hex(&ca_der),
        options,
        config,
        now: SystemTime::now(),
    };
    let jobs = config.jobs.clamp(1, hosts.len().max(1));
    let next = AtomicUsize::new(0);
    // A bounded channel: workers wait rather than pile reports up.
    let (sender, receiver) = mpsc::sync_channel::<HostReport>(jobs * 4);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let sender = sender.clone();
            let (job, next) = (&job, &next);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(host) = hosts.get(index) else { break };
                    let report = process_guarded(job, host);
                    if sender.send(report).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for report in receiver {
            on_report(report);
        }
    });
}

/// A panic while building one host is that host's failure, not the run's.
fn process_guarded(job: &Job<'_>, host: &HostSpec) -> HostReport {
    match catch_unwind(AssertUnwindSafe(|| process(job, host))) {
        Ok(report) => report,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            report(host, Status::Failed).detail(format!("internal error: {message}"))
        }
    }
}

fn process(job: &Job<'_>, host: &HostSpec) -> HostReport {
    match job.out.host_state(&host.host) {
        HostState::Foreign(why) => report(host, Status::Failed).detail(format!(
            "{why}; move it away or choose another --out directory"
        )),
        HostState::Missing => match host_bundle::build(job.ca, host, job.options) {
            Ok(bundle) => commit(job, host, &bundle, false, Status::Issued),
            Err(e) => report(host, Status::Failed).detail(e.to_string()),
        },
        HostState::Complete(marker) => complete(job, host, &marker),
    }
}

/// A host that is already complete: skipped, renewed when due, re-issued on drift when
/// asked — and never moved to another CA unless `--allow-ca-change` says so.
fn complete(job: &Job<'_>, host: &HostSpec, marker: &Marker) -> HostReport {
    let dir = job.out.host_dir(&host.host);
    let certificate = match renew::read_host_certificate(&dir) {
        Ok(c) => c,
        Err(e) => return report(host, Status::Failed).detail(e.to_string()),
    };
    let config = job.config;
    let ca_changed = !drift::issued_by(&certificate, job.ca);
    let drift = drift::drift(&dir, host, &certificate, job.options);
    let expiring = config
        .renew_within
        .is_some_and(|days| renew::expires_within(&certificate, days, job.now));
    let due = expiring || (config.reissue_drifted && !drift.is_empty());
    if ca_changed && (due || config.renew_within.is_none()) && !config.allow_ca_change {
        return report(host, Status::Failed).detail(format!(
            "its certificate was issued by a different CA (\"{}\") than this run's (\"{}\"); \
             nothing of it was changed. Give the CA it was issued by, or move it to this CA \
             with --allow-ca-change (its clients must trust the new CA first)",
            drift::issuer_of(&certificate),
            to_rfc2253(job.ca.certificate.tbs_certificate().subject())
        ));
    }
    let drift_note = |host_name: &str| {
        drift
            .iter()
            .map(|d| format!("drift: {host_name}: {d}"))
            .collect::<Vec<_>>()
    };
    if !due {
        let not_after = format_time(&certificate.tbs_certificate().validity().not_after);
        let detail = match config.renew_within {
            Some(days) => format!("valid until {not_after}, beyond {days} days"),
            None => "already complete".to_owned(),
        };
        let mut r = report(host, Status::Skipped).detail(detail);
        r.serial = Some(marker.serial.clone());
        r.not_after = Some(not_after);
        r.warnings = drift_note(&host.host);
        if !drift.is_empty() {
            r.warnings
                .push("run again with --reissue-drifted to re-issue it (same key)".to_owned());
        }
        return r;
    }
    let rebuild = config.reissue_drifted && !drift.is_empty();
    let built = if rebuild {
        // Drift: the host's files are made again from the host file, around its key.
        renew::read_host_key(&dir, &certificate, &job.options.wallet_password)
            .map_err(|e| e.to_string())
            .and_then(|key| {
                host_bundle::build_with_key(job.ca, host, job.options, &key)
                    .map_err(|e| e.to_string())
            })
    } else {
        // Due: `tcps renew`'s re-issue in place; the rest of the host stays as it is.
        renew::renewed_bundle(
            &dir,
            &host.host,
            job.ca,
            job.options.days,
            &job.options.wallet_password,
        )
        .map_err(|e| e.to_string())
    };
    match built {
        Ok(bundle) => {
            let mut r = commit(job, host, &bundle, true, Status::Renewed);
            if r.status == Status::Renewed {
                r.warnings.extend(drift_note(&host.host));
                if ca_changed {
                    r.warnings.push(format!(
                        "moved from the CA \"{}\" to this run's CA",
                        drift::issuer_of(&certificate)
                    ));
                }
            }
            r
        }
        Err(e) => report(host, Status::Failed).detail(e),
    }
}

fn commit(
    job: &Job<'_>,
    host: &HostSpec,
    bundle: &HostBundle,
    replace: bool,
    status: Status,
) -> HostReport {
    let marker = Marker {
        host: bundle.host.clone(),
        subject: bundle.subject.clone(),
        serial: bundle.serial.clone(),
        not_after: bundle.not_after.clone(),
        key_type: bundle.key_type.clone(),
        ca_sha256: job.ca_sha256.clone(),
    };
    match job.out.commit(bundle, &marker, replace) {
        Ok(()) => {
            let mut r = report(host, status);
            r.serial = Some(bundle.serial.clone());
            r.not_after = Some(bundle.not_after.clone());
            r.warnings = bundle.warnings.clone();
            r
        }
        Err(e) => report(host, Status::Failed).detail(e.to_string()),
    }
}

fn report(host: &HostSpec, status: Status) -> HostReport {
    HostReport {
        host: host.host.clone(),
        line: host.line,
        status,
        serial: None,
        not_after: None,
        detail: None,
        warnings: Vec::new(),
    }
}

impl HostReport {
    fn detail(mut self, detail: String) -> Self {
        self.detail = Some(detail);
        self
    }
}
