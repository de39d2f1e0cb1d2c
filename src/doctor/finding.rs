//! One thing the doctor found, and the Oracle error it usually shows up as.

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks or weakens TLS; `doctor` exits 3.
    Problem,
    /// Will break TLS unless acted on (a certificate that expires soon); `doctor` still
    /// exits 0, and says so instead of "No problems found".
    Warning,
    /// Worth knowing, not an error (for example: what could not be checked).
    Note,
}

/// The Oracle error a problem most likely surfaces as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LikelyError {
    /// Failure to open file: no wallet, wrong directory, unreadable files.
    #[serde(rename = "ORA-28759")]
    Ora28759,
    /// Certificate validation failure: incomplete chain, expired certificate, missing CA.
    #[serde(rename = "ORA-29024")]
    Ora29024,
    /// Fatal SSL error: no common protocol version or cipher suite.
    #[serde(rename = "ORA-28860")]
    Ora28860,
    /// Cannot import PKCS#12 wallet: a wallet file Oracle cannot parse.
    #[serde(rename = "ORA-29106")]
    Ora29106,
}

impl LikelyError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ora28759 => "ORA-28759",
            Self::Ora29024 => "ORA-29024",
            Self::Ora28860 => "ORA-28860",
            Self::Ora29106 => "ORA-29106",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Self::Ora28759 => "failure to open file",
            Self::Ora29024 => "certificate validation failure",
            Self::Ora28860 => "fatal SSL error",
            Self::Ora29106 => "cannot import PKCS#12 wallet",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier for scripts, e.g. `wallet-dir-missing`, `cert-expired`.
    pub code: &'static str,
    pub likely_error: Option<LikelyError>,
    pub file: Option<PathBuf>,
    pub message: String,
}

impl Finding {
    pub fn problem(
        code: &'static str,
        likely_error: Option<LikelyError>,
        file: Option<&Path>,
        message: String,
    ) -> Self {
        Self {
            severity: Severity::Problem,
            code,
            likely_error,
            file: file.map(Path::to_path_buf),
            message,
        }
    }

    pub fn warning(code: &'static str, file: Option<&Path>, message: String) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            likely_error: Some(LikelyError::Ora29024),
            file: file.map(Path::to_path_buf),
            message,
        }
    }

    pub fn note(code: &'static str, file: Option<&Path>, message: String) -> Self {
        Self {
            severity: Severity::Note,
            code,
            likely_error: None,
            file: file.map(Path::to_path_buf),
            message,
        }
    }
}
