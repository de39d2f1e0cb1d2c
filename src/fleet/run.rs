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

use super::host_bundle::{self, CaMaterial, HostBundle, IssueOptions};
use super::hosts_csv::HostSpec;
use super::renew;
use super::state::{HostState, Marker, OutDir};
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
        HostState::Complete(marker) => match job.config.renew_within {
            Some(days) => renew_if_due(job, host, days),
            None if marker.ca_sha256 != job.ca_sha256 => report(host, Status::Failed).detail(
                "its certificate was issued by a different CA than this run's; \
                 use a new --out directory for a new CA"
                    .to_owned(),
            ),
            None => {
                let mut r = report(host, Status::Skipped).detail("already complete".to_owned());
                r.serial = Some(marker.serial);
                r.not_after = Some(marker.not_after);
                r
            }
        },
    }
}

fn renew_if_due(job: &Job<'_>, host: &HostSpec, days: u32) -> HostReport {
    let dir = job.out.host_dir(&host.host);
    let result = (|| {
        let certificate = renew::read_host_certificate(&dir)?;
        if !renew::expires_within(&certificate, days, job.now) {
            return Ok(Err(certificate));
        }
        let key = renew::read_host_key(&dir, &certificate, &job.options.wallet_password)?;
        Ok::<_, renew::RenewError>(Ok(key))
    })();
    match result {
        Err(e) => report(host, Status::Failed).detail(e.to_string()),
        Ok(Err(certificate)) => {
            let not_after = format_time(&certificate.tbs_certificate().validity().not_after);
            let mut r = report(host, Status::Skipped)
                .detail(format!("valid until {not_after}, beyond {days} days"));
            r.serial = Some(hex::encode(
                certificate.tbs_certificate().serial_number().as_bytes(),
            ));
            r.not_after = Some(not_after);
            r
        }
        Ok(Ok(key)) => match host_bundle::build_with_key(job.ca, host, job.options, &key) {
            Ok(bundle) => commit(job, host, &bundle, true, Status::Renewed),
            Err(e) => report(host, Status::Failed).detail(e.to_string()),
        },
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
