//! `--days N` or `--valid-from DATE --valid-until DATE`: the validity of a certificate orakit
//! makes itself (`cert create`, `wallet add-self-signed`, as orapki's `-validity` /
//! `-valid_from` / `-valid_until`).

use std::time::{Duration, SystemTime};

use anyhow::Result;
use clap::Args;

use crate::cli::exit::UsageError;

#[derive(Debug, Clone, Args)]
pub struct ValidityArgs {
    /// Valid for this many days from now (orapki -validity).
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// Start of validity: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or orapki's MM/DD/YYYY (UTC).
    #[arg(
        long,
        value_name = "DATE",
        requires = "valid_until",
        conflicts_with = "days"
    )]
    pub valid_from: Option<String>,
    /// End of validity, in the same forms.
    #[arg(long, value_name = "DATE", requires = "valid_from")]
    pub valid_until: Option<String>,
}

impl ValidityArgs {
    /// Not before and not after: `--days` from now (starting `early` before now, for clocks
    /// a little behind), or the two dates, the end after the start.
    pub fn resolve(&self, early: Duration) -> Result<(SystemTime, SystemTime)> {
        match (&self.days, &self.valid_from, &self.valid_until) {
            (Some(days), _, _) => {
                crate::pki::ca::check_days(*days)?;
                let now = SystemTime::now();
                Ok((
                    now - early,
                    now + Duration::from_secs(u64::from(*days) * 86_400),
                ))
            }
            (None, Some(from), Some(until)) => {
                let from = parse_date(from, "--valid-from")?;
                let until = parse_date(until, "--valid-until")?;
                if until <= from {
                    return Err(
                        UsageError("--valid-until must be after --valid-from".into()).into(),
                    );
                }
                Ok((from, until))
            }
            _ => Err(UsageError("give --days N, or --valid-from and --valid-until".into()).into()),
        }
    }
}

/// Parses a date in UTC: `2026-12-01`, `2026-12-01T10:00:00Z` or orapki's `12/01/2026`.
pub(crate) fn parse_date(text: &str, option: &str) -> Result<SystemTime> {
    use time::macros::format_description;
    let t = text.trim();
    let date_only = |d: time::Date| d.with_hms(0, 0, 0).map(|dt| dt.assume_utc());
    let parsed = if let Ok(dt) =
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
    {
        Some(dt)
    } else if let Ok(d) = time::Date::parse(t, format_description!("[year]-[month]-[day]")) {
        date_only(d).ok()
    } else if let Ok(d) = time::Date::parse(t, format_description!("[month]/[day]/[year]")) {
        date_only(d).ok()
    } else {
        None
    };
    parsed.map(SystemTime::from).ok_or_else(|| {
        UsageError(format!(
            "{option} {t:?}: give a date as YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or MM/DD/YYYY (UTC)"
        ))
        .into()
    })
}
