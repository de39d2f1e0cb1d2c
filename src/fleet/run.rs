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

use super::brought;
use super::drift;
use super::host_bundle::{self, CaMaterial, HostBundle, IssueOptions};
use super::hosts_csv::HostSpec;
use super::renew;
use super::state::{HostState, Marker, OutDir};
use crate::pki::name::to_rfc2253;
use crate::pki::show::format_time;
use crate::tcps::byo::BroughtCertificate;
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
    /// Where the host's brought certificate came from (`tcps issue --bring`); absent for
    /// hosts this run's CA issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brought: Option<String>,
}

/// The brought certificates of a run, by host name (`tcps issue --bring`).
pub type BroughtHosts = std::collections::HashMap<String, BroughtCertificate>;

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
    brought: &'a BroughtHosts,
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
    brought: &BroughtHosts,
    config: RunConfig,
    mut on_report: impl FnMut(HostReport),
) {
    let ca_der = ca.certificate.to_der().unwrap_or_default();
    let job = Job {
        out,
        ca,
        ca_sha256: sha256_hex(&ca_der),
        options,
        brought,
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
        HostState::Missing => match job.brought.get(&host.host) {
            Some(b) => match brought::build(host, job.options, b) {
                Ok((bundle, root)) => {
                    let root_sha256 = brought::root_sha256(&root);
                    commit_as(
                        job,
                        host,
                        &bundle,
                        false,
                        Status::Issued,
                        &root_sha256,
                        Some(b),
                    )
                }
                Err(e) => report(host, Status::Failed).detail(e.to_string()),
            },
            None => match host_bundle::build(job.ca, host, job.options) {
                Ok(bundle) => commit(job, host, &bundle, false, Status::Issued),
                Err(e) => report(host, Status::Failed).detail(e.to_string()),
            },
        },
        HostState::Complete(marker) => match (job.brought.get(&host.host), &marker.brought) {
            (Some(b), _) => complete_brought(job, host, &marker, b),
            (None, Some(source)) => brought_earlier(job, host, &marker, source),
            (None, None) => complete(job, host, &marker),
        },
    }
}

/// A complete host given a brought certificate: skipped when its wallet holds that
/// certificate already, else the brought one replaces it (`renewed`).
fn complete_brought(
    job: &Job<'_>,
    host: &HostSpec,
    marker: &Marker,
    b: &BroughtCertificate,
) -> HostReport {
    let dir = job.out.host_dir(&host.host);
    let current = match renew::read_host_certificate(&dir) {
        Ok(c) => c,
        Err(e) => return report(host, Status::Failed).detail(e.to_string()),
    };
    if brought::holds(&current, b) && marker.brought.is_some() {
        let mut r = report(host, Status::Skipped).detail(format!(
            "already holds the brought certificate from {}",
            b.source
        ));
        r.serial = Some(marker.serial.clone());
        r.not_after = Some(format_time(&current.tbs_certificate().validity().not_after));
        r.brought = Some(b.source.clone());
        return r;
    }
    match brought::replaced(&dir, host, b, &job.options.wallet_password) {
        Ok((bundle, root)) => {
            let root_sha256 = brought::root_sha256(&root);
            commit_as(
                job,
                host,
                &bundle,
                true,
                Status::Renewed,
                &root_sha256,
                Some(b),
            )
        }
        Err(e) => report(host, Status::Failed).detail(e.to_string()),
    }
}

/// A complete host whose certificate was brought in an earlier run and is not given
/// this time: left as it is (this run's CA did not issue it and cannot renew it).
fn brought_earlier(job: &Job<'_>, host: &HostSpec, marker: &Marker, source: &str) -> HostReport {
    let mut r = report(host, Status::Skipped).detail(format!(
        "its certificate was brought (from {source}); give its directory with --bring to replace it"
    ));
    r.serial = Some(marker.serial.clone());
    r.not_after = Some(marker.not_after.clone());
    r.brought = Some(source.to_owned());
    if let Some(days) = job.config.renew_within
        && let Ok(current) = renew::read_host_certificate(&job.out.host_dir(&host.host))
        && renew::expires_within(&current, days, job.now)
    {
        r.warnings.push(format!(
            "its brought certificate ends {}, within {days} days; this run's CA does not renew it: \
             bring the renewed certificate with --bring",
            marker.not_after
        ));
    }
    r
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
    commit_as(job, host, bundle, replace, status, &job.ca_sha256, None)
}

/// [`commit`] with the marker's CA fingerprint given (a brought host's is its chain's
/// root) and the brought certificate, if any.
fn commit_as(
    job: &Job<'_>,
    host: &HostSpec,
    bundle: &HostBundle,
    replace: bool,
    status: Status,
    ca_sha256: &str,
    brought: Option<&BroughtCertificate>,
) -> HostReport {
    if crate::changes::check_mode() {
        // --check: the host as it would be written; nothing is.
        let mut r = report(host, status);
        r.serial = Some(bundle.serial.clone());
        r.not_after = Some(bundle.not_after.clone());
        r.warnings = bundle.warnings.clone();
        r.brought = brought.map(|b| b.source.clone());
        return r;
    }
    let marker = Marker {
        host: bundle.host.clone(),
        subject: bundle.subject.clone(),
        serial: bundle.serial.clone(),
        not_after: bundle.not_after.clone(),
        key_type: bundle.key_type.clone(),
        ca_sha256: ca_sha256.to_owned(),
        brought: brought.map(|b| b.source.clone()),
    };
    match job.out.commit(bundle, &marker, replace) {
        Ok(()) => {
            let mut r = report(host, status);
            r.serial = Some(bundle.serial.clone());
            r.not_after = Some(bundle.not_after.clone());
            r.warnings = bundle.warnings.clone();
            r.brought = brought.map(|b| b.source.clone());
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
        brought: None,
    }
}

impl HostReport {
    fn detail(mut self, detail: String) -> Self {
        self.detail = Some(detail);
        self
    }
}
