//! Which entries a command means: `--subject`, `--alias`, `--fingerprint`, `--issuer`
//! with `--serial` ([`Selector`]), checked for combinations that name nothing, and matched
//! against a wallet's entries.

use super::*;

fn normalize_fingerprint(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A serial typed in hex as `display` prints it (`09:37:FB`, `0x937fb`, `937FB`), in the
/// form `CertDetails::serial` has: lower case, no leading zeros.
fn normalize_serial(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let digits: String = t.chars().filter(|&c| c != ':').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0').to_ascii_lowercase();
    Some(if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed
    })
}

impl Selector {
    /// One clear usage error for a combination that names no entry or is ambiguous.
    pub(super) fn check(&self) -> Result<(), UsageError> {
        let fail = |text: &str| Err(UsageError(text.to_string()));
        let named = self.subject.is_some() || self.alias.is_some();
        if self.subject.is_some() && self.alias.is_some() {
            return fail("give --subject or --alias, not both");
        }
        if self.fingerprint.is_some() && (named || self.issuer.is_some() || self.serial.is_some()) {
            return fail("--fingerprint names one certificate by itself; drop the other selectors");
        }
        if !named && self.fingerprint.is_none() {
            match (&self.issuer, &self.serial) {
                (Some(_), Some(_)) => {}
                (None, None) => {
                    return fail(
                        "choose the entries with --subject DN, --alias NAME, --fingerprint HEX or --issuer DN --serial HEX",
                    );
                }
                _ => {
                    return fail("--issuer and --serial go together (or narrow --subject/--alias)");
                }
            }
        }
        if let Some(serial) = &self.serial
            && normalize_serial(serial).is_none()
        {
            return Err(UsageError(format!(
                "--serial {serial:?} is not a hexadecimal serial number (as `display` prints it, e.g. 09:37:FB or 0937FB)"
            )));
        }
        Ok(())
    }
}

/// The entries each alias orapki displays stands for: a key's user certificate (else its
/// request), or a trusted certificate.
fn alias_targets(wallet: &Wallet, alias: &str) -> Vec<usize> {
    display::aliases(wallet)
        .into_iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case(alias))
        .filter_map(|(_, listed)| match listed {
            display::AliasTarget::Identity { cert, request, .. } => cert.or(request),
            display::AliasTarget::Trusted(c) => Some(c),
        })
        .collect()
}

/// Indices of the entries `selector` picks, with their kind.
pub(super) fn select(
    wallet: &Wallet,
    selector: &Selector,
    kind: Option<EntryKind>,
) -> Vec<(usize, EntryKind)> {
    let by_alias = selector.alias.as_deref().map(|a| alias_targets(wallet, a));
    let serial = selector.serial.as_deref().and_then(normalize_serial);
    let mut hits = Vec::new();
    for (i, entry) in wallet.entries.iter().enumerate() {
        let (this_kind, subject, der) = match &entry.item {
            Item::Certificate(der) => {
                let k = if wallet.is_user_certificate(i) {
                    EntryKind::User
                } else {
                    EntryKind::Trusted
                };
                (k, certs::subject_of(der), Some(der))
            }
            Item::CertificateRequest(der) => {
                (EntryKind::Request, certs::request_subject(der), None)
            }
            _ => continue,
        };
        // A key has no subject of its own: it is picked through its request or certificate.
        let this_kind = match (kind, this_kind) {
            (Some(EntryKind::Key), EntryKind::User | EntryKind::Request) => EntryKind::Key,
            (_, k) => k,
        };
        if kind.is_some_and(|k| k != this_kind) {
            continue;
        }
        let details = der.and_then(|d| certs::details(d).ok());
        let mut matched = true;
        if let Some(dn) = &selector.subject {
            matched &= certs::dn_matches(&subject, dn);
        }
        if let Some(targets) = &by_alias {
            matched &= targets.contains(&i);
        }
        if let Some(fp) = &selector.fingerprint {
            let want = normalize_fingerprint(fp);
            matched &= details
                .as_ref()
                .is_some_and(|d| d.sha256_fingerprint == want || d.sha1_fingerprint == want);
        }
        if let Some(dn) = &selector.issuer {
            matched &= details
                .as_ref()
                .is_some_and(|d| certs::dn_matches(&d.issuer, dn));
        }
        if let Some(want) = &serial {
            matched &= details.as_ref().is_some_and(|d| &d.serial == want);
        }
        if matched {
            hits.push((i, this_kind));
        }
    }
    hits
}

pub(super) fn describe_selector(selector: &Selector) -> String {
    let mut parts = Vec::new();
    if let Some(dn) = &selector.subject {
        parts.push(format!("subject {dn:?}"));
    }
    if let Some(alias) = &selector.alias {
        parts.push(format!("alias {alias:?}"));
    }
    if let Some(fp) = &selector.fingerprint {
        parts.push(format!("fingerprint {fp}"));
    }
    if let Some(dn) = &selector.issuer {
        parts.push(format!("issuer {dn:?}"));
    }
    if let Some(serial) = &selector.serial {
        parts.push(format!("serial {serial}"));
    }
    parts.join(" and ")
}
