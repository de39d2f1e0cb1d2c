//! Progress of `tcps issue` on standard error: a one-line bar redrawn in place on a
//! terminal (failures printed above it), one plain line per host otherwise (logs, CI).

use std::io::Write;
use std::time::{Duration, Instant};

use crate::fleet::run::{HostReport, Status};

const BAR_WIDTH: usize = 30;
/// Redraw at most this often; a fast run would otherwise spend time drawing.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    total: usize,
    done: usize,
    failed: usize,
    terminal: bool,
    started: Instant,
    last_draw: Option<Instant>,
}

impl Progress {
    pub fn new(total: usize, terminal: bool) -> Self {
        Self {
            total,
            done: 0,
            failed: 0,
            terminal,
            started: Instant::now(),
            last_draw: None,
        }
    }

    pub fn host_done(&mut self, report: &HostReport) {
        self.done += 1;
        let failed = report.status == Status::Failed;
        if failed {
            self.failed += 1;
        }
        let mut err = std::io::stderr().lock();
        if self.terminal {
            if failed || !report.warnings.is_empty() {
                let _ = write!(err, "\r\x1b[2K");
                let _ = writeln!(err, "{}", line(report));
                self.last_draw = None;
            }
            let due = self.last_draw.is_none_or(|t| t.elapsed() >= REDRAW_EVERY);
            if due || self.done == self.total {
                let _ = write!(err, "\r\x1b[2K{}", self.bar());
                self.last_draw = Some(Instant::now());
            }
        } else {
            let _ = writeln!(err, "{}", line(report));
        }
        let _ = err.flush();
    }

    pub fn finish(&mut self) {
        if self.terminal && self.done > 0 {
            let _ = writeln!(std::io::stderr());
        }
    }

    fn bar(&self) -> String {
        let filled = (self.done * BAR_WIDTH).checked_div(self.total).unwrap_or(0);
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = if elapsed > 0.0 {
            self.done as f64 / elapsed
        } else {
            0.0
        };
        let eta = if rate > 0.0 && self.done < self.total {
            format!(", ~{:.0} s left", (self.total - self.done) as f64 / rate)
        } else {
            String::new()
        };
        let failed = if self.failed > 0 {
            format!(", {} failed", self.failed)
        } else {
            String::new()
        };
        format!(
            "[{}{}] {}/{} hosts{failed} ({rate:.1}/s{eta})",
            "#".repeat(filled),
            " ".repeat(BAR_WIDTH - filled),
            self.done,
            self.total
        )
    }
}

/// `issued  db01 (serial 0a1b..., valid until ...)`, `FAILED  db03 (line 5): why`.
fn line(report: &HostReport) -> String {
    let mut text = match report.status {
        Status::Issued | Status::Renewed => format!(
            "{:<8}{} (serial {}, valid until {})",
            if report.status == Status::Issued {
                "issued"
            } else {
                "renewed"
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
