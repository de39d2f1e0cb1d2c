//! The run's summary without holding it in memory: each host's report is appended to a
//! spool file as it arrives, only counts are kept, and at the end `summary.json` is
//! written by streaming the spool into it. Memory stays the same for 10 hosts or 100 000.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::layout::{SPOOL, SUMMARY};
use super::run::{HostReport, Status};
use super::state::{OutDir, StateError};
use crate::fsio::MODE_PUBLIC;

/// How many failed host names are kept for the final message.
const FAILED_NAMES_KEPT: usize = 5;

#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    pub total: usize,
    pub issued: usize,
    pub renewed: usize,
    pub skipped: usize,
    pub failed: usize,
}

pub struct SummarySpool {
    path: PathBuf,
    writer: BufWriter<File>,
    counts: Counts,
    first_failed: Vec<String>,
}

fn spool_error(path: &std::path::Path) -> impl FnOnce(io::Error) -> StateError {
    let path = path.to_path_buf();
    move |source| StateError::Io {
        action: "write",
        path,
        source,
    }
}

impl SummarySpool {
    /// Starts an empty spool (a killed run's is discarded).
    pub fn create(out: &OutDir) -> Result<Self, StateError> {
        let path = out.root().join(SPOOL);
        let _ = out.dir().remove_file(SPOOL);
        // Written and read back through this one handle, never reopened by name.
        let file = out
            .dir()
            .create_file(SPOOL, MODE_PUBLIC)
            .map_err(spool_error(&path))?;
        Ok(Self {
            path,
            writer: BufWriter::new(file),
            counts: Counts::default(),
            first_failed: Vec::new(),
        })
    }

    pub fn add(&mut self, report: &HostReport) -> Result<(), StateError> {
        let counts = &mut self.counts;
        counts.total += 1;
        match report.status {
            Status::Issued => counts.issued += 1,
            Status::Renewed => counts.renewed += 1,
            Status::Skipped => counts.skipped += 1,
            Status::Failed => {
                counts.failed += 1;
                if self.first_failed.len() < FAILED_NAMES_KEPT {
                    self.first_failed.push(report.host.clone());
                }
            }
        }
        serde_json::to_writer(&mut self.writer, report)
            .map_err(io::Error::from)
            .and_then(|()| self.writer.write_all(b"\n"))
            .map_err(spool_error(&self.path))
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The first few failed hosts, in the order they failed.
    pub fn first_failed(&self) -> &[String] {
        &self.first_failed
    }

    /// Writes `summary.json`: the fields of `header` (a JSON object), then `hosts`, one
    /// report per line in the order the hosts finished. Removes the spool.
    pub fn finish(self, out: &OutDir, header: &impl Serialize) -> Result<PathBuf, StateError> {
        let target = out.root().join(SUMMARY);
        // A new temporary file in OUT, written through the handle that created it, then
        // renamed over summary.json.
        let temp = format!(
            ".{SUMMARY}.orakit-tmp-{}",
            hex::encode(crate::random::bytes(8))
        );
        let written = (|| -> Result<(), StateError> {
            let file = out
                .dir()
                .create_file(&temp, MODE_PUBLIC)
                .map_err(spool_error(&target))?;
            let file = self.render(header, BufWriter::new(file), &target)?;
            (|| {
                file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                out.dir().rename(&temp, out.dir(), SUMMARY)
            })()
            .map_err(spool_error(&target))
        })();
        if let Err(e) = written {
            let _ = out.dir().remove_file(&temp);
            let _ = out.dir().remove_file(SPOOL);
            return Err(e);
        }
        out.dir().sync();
        let _ = out.dir().remove_file(SPOOL);
        Ok(target)
    }

    /// The document `finish` would write, in memory, without writing `summary.json`: a
    /// run that changed nothing leaves the earlier summary as it is. Removes the spool.
    pub fn finish_unwritten(
        self,
        out: &OutDir,
        header: &impl Serialize,
    ) -> Result<Vec<u8>, StateError> {
        let target = out.root().join(SUMMARY);
        let rendered = self.render(header, Vec::new(), &target);
        let _ = out.dir().remove_file(SPOOL);
        rendered
    }

    /// Streams the document into `w`: the header's fields, then the spooled reports.
    fn render<W: Write>(
        mut self,
        header: &impl Serialize,
        mut w: W,
        target: &std::path::Path,
    ) -> Result<W, StateError> {
        self.writer.flush().map_err(spool_error(&self.path))?;
        let head = serde_json::to_string_pretty(header)
            .map_err(io::Error::from)
            .map_err(spool_error(&self.path))?;
        let head = head
            .trim_end()
            .strip_suffix('}')
            .unwrap_or(&head)
            .trim_end();
        let mut spool = self
            .writer
            .into_inner()
            .map_err(|e| e.into_error())
            .map_err(spool_error(&self.path))?;
        spool
            .seek(SeekFrom::Start(0))
            .map_err(spool_error(&self.path))?;
        (|| {
            w.write_all(head.as_bytes())?;
            w.write_all(b",\n  \"hosts\": [")?;
            for (i, line) in BufReader::new(spool).lines().enumerate() {
                w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
                w.write_all(line?.as_bytes())?;
            }
            w.write_all(b"\n  ]\n}\n")?;
            w.flush()
        })()
        .map_err(spool_error(target))?;
        Ok(w)
    }
}
