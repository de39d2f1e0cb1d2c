//! What a phase did (or, with `--check`, would do): the plan step by step, the files,
//! what to deploy next; as JSON and as text.

use std::path::PathBuf;

use serde::Serialize;

use super::DirKind;
use super::state::{Phase, RootRecord};

/// One planned step.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// What it acts on (a path relative to DIR when inside it).
    pub target: String,
    pub action: String,
    /// Whether it is (or was) needed; `false`: already so.
    pub needed: bool,
}

/// What a run did (with `check`: would do).
#[derive(Debug, Clone, Serialize)]
pub struct RotateReport {
    pub dir: PathBuf,
    pub kind: DirKind,
    pub phase: Phase,
    pub check: bool,
    pub changed: bool,
    pub old_root: Option<RootFacts>,
    pub new_root: Option<RootFacts>,
    pub steps: Vec<Step>,
    pub files_changed: Vec<String>,
    /// What to deploy now and which phase comes next.
    pub next: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RootFacts {
    pub subject: String,
    pub sha256_fingerprint: String,
    pub not_after: String,
}

impl From<&RootRecord> for RootFacts {
    fn from(r: &RootRecord) -> Self {
        Self {
            subject: r.subject.clone(),
            sha256_fingerprint: r.sha256_fingerprint.clone(),
            not_after: r.not_after.clone(),
        }
    }
}

impl RotateReport {
    /// The plan and what happened, for a person.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{} ({}): phase {} of 3, {}{}\n",
            self.dir.display(),
            match self.kind {
                DirKind::TcpsInit => "a tcps init output",
                DirKind::Fleet => "a tcps issue fleet",
            },
            self.phase.number(),
            self.phase.name(),
            if self.check {
                " (--check: nothing is written)"
            } else {
                ""
            }
        );
        if let Some(old) = &self.old_root {
            out.push_str(&format!(
                "  old root  {} (SHA-256 {})\n",
                old.subject, old.sha256_fingerprint
            ));
        }
        if let Some(new) = &self.new_root {
            let facts = if new.sha256_fingerprint.is_empty() {
                "made when the phase runs".to_owned()
            } else {
                format!(
                    "SHA-256 {}, until {}",
                    new.sha256_fingerprint, new.not_after
                )
            };
            out.push_str(&format!("  new root  {} ({facts})\n", new.subject));
        }
        if !self.steps.is_empty() {
            out.push_str("  plan:\n");
        }
        for step in &self.steps {
            let mark = match (step.needed, self.check) {
                (false, _) => "already done",
                (true, true) => "to do",
                (true, false) => "done now",
            };
            out.push_str(&format!(
                "    {:<40} {} [{mark}]\n",
                step.target, step.action
            ));
        }
        if self.files_changed.is_empty() {
            out.push_str("  nothing to do: no file changed\n");
        } else {
            let verb = if self.check {
                "would change"
            } else {
                "changed"
            };
            for f in &self.files_changed {
                out.push_str(&format!("  {verb}: {f}\n"));
            }
        }
        out.push_str(&format!("  next: {}\n", self.next));
        out
    }
}
