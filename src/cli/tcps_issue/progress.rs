//! Progress of `tcps issue` on standard error: indicatif's bar redrawn in place on a
//! terminal (failures and warnings printed above it), one plain line per host otherwise
//! (logs, CI), where a bar would only be noise.

use std::io::Write;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::fleet::run::{HostReport, Status};

pub struct Progress {
    /// `None` when stderr is not a terminal: plain lines only.
    bar: Option<ProgressBar>,
    failed: usize,
}

impl Progress {
    pub fn new(total: usize, terminal: bool) -> Self {
        let bar = terminal.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "[{bar:30}] {pos}/{len} hosts{msg} ({elapsed} elapsed, ~{eta} left)",
                )
                .expect("the template is valid")
                .progress_chars("#>-"),
            );
            bar
        });
        Self { bar, failed: 0 }
    }

    pub fn host_done(&mut self, report: &HostReport) {
        let failed = report.status == Status::Failed;
        if failed {
            self.failed += 1;
        }
        match &self.bar {
            Some(bar) => {
                if failed || !report.warnings.is_empty() {
                    bar.println(line(report));
                }
                if self.failed > 0 {
                    bar.set_message(format!(", {} failed", self.failed));
                }
                bar.inc(1);
            }
            None => {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{}", line(report));
                let _ = err.flush();
            }
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}

/// `issued  db01 (serial 0a1b..., valid until ...)`, `FAILED  db03 (line 5): why`.
fn line(report: &HostReport) -> String {
    let mut text = match report.status {
        Status::Issued | Status::Renewed => format!(
            "{:<7} {} (serial {}, valid until {})",
            match (
                report.status == Status::Issued,
                crate::changes::check_mode()
            ) {
                (true, false) => "issued",
                (false, false) => "renewed",
                (true, true) => "would issue",
                (false, true) => "would renew",
            },
            report.host,
            report.serial.as_deref().unwrap_or("?"),
            report.not_after.as_deref().unwrap_or("?")
        ),
        Status::Skipped => format!(
            "{:<8}{} ({})",
            "skipped",
            report.host,
            report.detail.as_deref().unwrap_or("")
        ),
        Status::Failed => format!(
            "{:<8}{} (line {}): {}",
            "FAILED",
            report.host,
            report.line,
            report.detail.as_deref().unwrap_or("")
        ),
    };
    for warning in &report.warnings {
        text.push_str(&format!("\n        warning: {warning}"));
    }
    text
}
