//! `wallet remove`: one entry (what goes with a key is named first) or every trusted
//! certificate in one write (`--all-trusted`).

use super::*;

/// `remove --all-trusted`: every trusted certificate, one write.
fn remove_all_trusted(args: &RemoveArgs) -> Result<Outcome> {
    let edit = open_for_change(&args.wallet, &args.password)?;
    let dir = edit.opened.paths.dir.display().to_string();
    let mut wallet = edit.opened.wallet().clone();
    let indices: Vec<usize> = (0..wallet.entries.len())
        .filter(|&i| {
            matches!(wallet.entries[i].item, Item::Certificate(_)) && !wallet.is_user_certificate(i)
        })
        .collect();
    let report: Vec<serde_json::Value> = indices.iter().map(|&i| entry_json(&wallet, i)).collect();
    if indices.is_empty() {
        eprintln!("{dir} has no trusted certificate; nothing to remove");
    } else {
        for &i in &indices {
            eprintln!("removing: {}", describe_entry(&wallet, i));
        }
        wallet.remove(&indices);
        save(&edit, &wallet)?;
        eprintln!(
            "removed {} from {dir}",
            crate::text::count(indices.len(), "trusted certificate")
        );
    }
    if args.json {
        let out = serde_json::json!({ "wallet": dir, "removed": report });
        crate::cli::output::print_json(&out)?;
    }
    Ok(Outcome::Success)
}

pub(super) fn remove(args: &RemoveArgs) -> Result<Outcome> {
    if args.all_trusted {
        return remove_all_trusted(args);
    }
    args.selector.check()?;
    let edit = open_for_change(&args.wallet, &args.password)?;
    let dir = edit.opened.paths.dir.display().to_string();
    let mut wallet = edit.opened.wallet().clone();
    let mut hits = select(&wallet, &args.selector, args.kind);
    if hits.is_empty() && args.missing_ok {
        eprintln!(
            "no entry in {dir} matches {}; nothing to remove",
            describe_selector(&args.selector)
        );
        if args.json {
            let out = serde_json::json!({ "wallet": dir, "removed": [] });
            crate::cli::output::print_json(&out)?;
        }
        return Ok(Outcome::Success);
    }
    if hits.is_empty() {
        bail!(
            "no entry in {dir} matches {}; `orakit wallet display` lists the subjects",
            describe_selector(&args.selector)
        );
    }
    let first_kind = hits[0].1;
    if hits.iter().any(|h| h.1 != first_kind) {
        return Err(UsageError(format!(
            "{} matches entries of several kinds; add --kind trusted|user|request|key",
            describe_selector(&args.selector)
        ))
        .into());
    }
    // A request whose key already carries its certificate is not pending: `--kind
    // request` never takes a signed key with it.
    if first_kind == EntryKind::Request {
        let (pending, signed): (Vec<_>, Vec<_>) = hits
            .into_iter()
            .partition(|&(i, _)| !wallet.pair_is_certified(i));
        if pending.is_empty() {
            let certs: Vec<String> = signed
                .iter()
                .filter_map(|&(i, _)| wallet.certificate_of_pair(i))
                .map(|c| describe_entry(&wallet, c))
                .collect();
            bail!(
                "nothing removed: {dir} has no pending request for {}: it was signed, its key carries the {}; to remove the key with its certificate and request run again with --kind key --yes",
                describe_selector(&args.selector),
                certs.join(", ")
            );
        }
        hits = pending;
    }
    let indices: Vec<usize> = hits.iter().map(|h| h.0).collect();
    let doomed = wallet.removal_set(&indices);
    let takes_certified_key = doomed.iter().any(|&i| {
        matches!(wallet.entries[i].item, Item::PrivateKey(_))
            && wallet.certificate_of_pair(i).is_some()
    });
    let listed: Vec<String> = doomed.iter().map(|&i| describe_entry(&wallet, i)).collect();
    if takes_certified_key && !args.yes {
        bail!(
            "{dir}: this removes a private key and the user certificate on it ({}); nothing was changed; add --yes to remove them",
            listed.join("; ")
        );
    }
    for line in &listed {
        eprintln!("removing: {line}");
    }
    let report: Vec<serde_json::Value> = doomed.iter().map(|&i| entry_json(&wallet, i)).collect();
    wallet.remove(&indices);
    save(&edit, &wallet)?;
    eprintln!(
        "{} {} entr{} from {dir}",
        crate::cli::output::verb("removed", "would remove"),
        doomed.len(),
        if doomed.len() == 1 { "y" } else { "ies" }
    );
    if args.json {
        let out = serde_json::json!({ "wallet": dir, "removed": report });
        crate::cli::output::print_json(&out)?;
    }
    Ok(Outcome::Success)
}

/// The kind of entry `i` as the JSON report names it.
fn entry_kind_name(wallet: &Wallet, i: usize) -> &'static str {
    match &wallet.entries[i].item {
        Item::PrivateKey(_) => "private-key",
        Item::CertificateRequest(_) => "request",
        Item::Certificate(_) if wallet.is_user_certificate(i) => "user-certificate",
        Item::Certificate(_) => "trusted-certificate",
        Item::Secret { .. } => "secret",
        Item::Opaque { .. } => "other",
    }
}

/// The subject an entry shows: its own, or for a key that of its certificate or request.
fn entry_subject(wallet: &Wallet, i: usize) -> Option<String> {
    match &wallet.entries[i].item {
        Item::Certificate(der) => Some(certs::subject_of(der)),
        Item::CertificateRequest(der) => Some(certs::request_subject(der)),
        Item::PrivateKey(_) => wallet
            .certificate_of_pair(i)
            .or_else(|| wallet.request_of_pair(i))
            .and_then(|j| entry_subject(wallet, j)),
        _ => None,
    }
}

fn entry_serial(wallet: &Wallet, i: usize) -> Option<String> {
    match &wallet.entries[i].item {
        Item::Certificate(der) => certs::details(der).ok().map(|d| d.serial),
        _ => None,
    }
}

/// `user certificate CN=... (serial 1a2b)`, `private key of CN=...`, ...
fn describe_entry(wallet: &Wallet, i: usize) -> String {
    let kind = entry_kind_name(wallet, i).replace('-', " ");
    let subject = entry_subject(wallet, i).unwrap_or_default();
    match (&wallet.entries[i].item, entry_serial(wallet, i)) {
        (Item::PrivateKey(_), _) => format!("{kind} of {subject}"),
        (_, Some(serial)) => format!("{kind} {subject} (serial {serial})"),
        _ => format!("{kind} {subject}"),
    }
}

fn entry_json(wallet: &Wallet, i: usize) -> serde_json::Value {
    let mut v = serde_json::json!({
        "kind": entry_kind_name(wallet, i),
        "subject": entry_subject(wallet, i),
    });
    if let Some(serial) = entry_serial(wallet, i) {
        v["serial"] = serial.into();
    }
    v
}
