//! Where `net sqlnet | listener | tnsnames` put their text: stdout, a new file (`--out`),
//! or an upsert into an existing file (`--update`) with a backup, under a lock.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::OutputArgs;
use crate::cli::exit::Outcome;
use crate::fsio::{self, MODE_PUBLIC, Overwrite, PlannedFile};
use crate::net::tls::Target;
use crate::net::{Document, Merged};

/// Prints, writes or upserts generated text. `notes` go to stdout as `#` comments after
/// the header line, or to stderr when the text goes to a file.
pub(super) fn emit(
    text: &str,
    notes: &[String],
    output: &OutputArgs,
    target: Target,
) -> Result<Outcome> {
    if let Some(file) = &output.update {
        update(file, text, target)?;
        for note in notes {
            eprintln!("{note}");
        }
    } else if let Some(file) = &output.out {
        fsio::write_atomic(
            file,
            text.as_bytes(),
            MODE_PUBLIC,
            Overwrite::from_force(output.force),
        )?;
        if crate::cli::output::changed() {
            eprintln!(
                "{} {}",
                crate::cli::output::verb("wrote", "would write"),
                file.display()
            );
        } else {
            eprintln!(
                "{} already holds this text; nothing written",
                file.display()
            );
        }
        for note in notes {
            eprintln!("{note}");
        }
    } else {
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let mut out = format!("{first}\n");
        for note in notes {
            out.push_str(&format!("# {note}\n"));
        }
        out.push_str(rest);
        print!("{out}");
    }
    Ok(Outcome::Success)
}

/// Parses the bytes of a parameter file, refusing anything but UTF-8 text.
pub(super) fn parse_document(file: &Path, bytes: Vec<u8>) -> Result<(String, Document)> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = crate::net::parse::line_column(&prefix, valid);
        anyhow::anyhow!(
            "{}:{line}:{column}: not UTF-8 text; Oracle Net files must be plain ASCII",
            file.display()
        )
    })?;
    let doc = Document::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}:{e}; the file was not changed", file.display()))?;
    Ok((text, doc))
}

fn update(file: &Path, generated: &str, target: Target) -> Result<()> {
    // Update the file a symbolic link points to rather than replacing the link, but only
    // a link of the user running orakit (or root): see `resolve_link`.
    let resolved = resolve_link(file)?;
    let file = resolved.as_path();
    let (handle, meta) = lock_for_update(file)?;
    let bytes =
        crate::limits::read_bounded(&handle, crate::limits::MAX_ORA_FILE, "Oracle Net files")
            .with_context(|| format!("cannot read {}", file.display()))?;
    let (before, mut doc) = parse_document(file, bytes)?;
    let done = doc
        .merge_text(generated)
        .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was changed", file.display()))?;
    let mut after = doc.print();
    // A file without a final line break keeps it that way, as every other byte.
    if !before.is_empty() && !before.ends_with('\n') {
        let trimmed = after.trim_end_matches(['\r', '\n']).len();
        after.truncate(trimmed);
    }
    warn_about_shadowed_names(file, &doc, &done, target);
    // Freed before the check below parses the result again: peak memory stays one tree.
    drop(doc);
    // The result must read back as a valid file before it replaces the old one.
    Document::parse(&after).map_err(|e| {
        anyhow::anyhow!(
            "internal error: the updated file does not parse ({e}); {} was not changed",
            file.display()
        )
    })?;
    if after == before {
        eprintln!("{} is already up to date", file.display());
        return Ok(());
    }
    let mode = permission_bits(&meta);
    let backup = backup_path(file);
    // Both files get the owner of the old one (running as root on an `oracle`-owned
    // file), set before each is renamed into place.
    use std::os::unix::fs::MetadataExt;
    let owned = |path: &Path, text: &str| {
        PlannedFile::new(path, text.as_bytes().to_vec(), mode).with_owner(meta.uid(), meta.gid())
    };
    fsio::write_all_atomic(&[owned(&backup, &before)], Overwrite::Refuse).with_context(|| {
        format!(
            "cannot keep a backup of {}; nothing was changed",
            file.display()
        )
    })?;
    fsio::write_all_atomic(&[owned(file, &after)], Overwrite::Allow)?;
    // The lock is held until the new file is in place.
    drop(handle);
    let summary: Vec<String> = done
        .iter()
        .filter_map(|(name, what)| match what {
            Merged::Changed(notes) => Some(format!("{name}: {}", notes.join(", "))),
            Merged::Added => Some(format!("added {name}")),
            Merged::Unchanged => None,
        })
        .collect();
    eprintln!(
        "{} {} (everything else kept as it was): {}; the previous version is in {}",
        crate::cli::output::verb("updated", "would update"),
        file.display(),
        summary.join(", "),
        backup.display()
    );
    Ok(())
}

/// 19.30+ ignores `SSL_X` when `TLS_X` is present; say so when the file mixes them.
fn warn_about_shadowed_names(
    file: &Path,
    doc: &Document,
    done: &[(String, Merged)],
    target: Target,
) {
    for (name, _) in done {
        let upper = name.to_ascii_uppercase();
        let other = if let Some(rest) = upper.strip_prefix("SSL_") {
            format!("TLS_{rest}")
        } else if let Some(rest) = upper.strip_prefix("TLS_") {
            format!("SSL_{rest}")
        } else {
            continue;
        };
        if doc.find(&other).is_some() {
            let note = if target.uses_tls_names() {
                format!("{other} is left in place but ignored by 19.30+ now that {upper} is set")
            } else {
                format!(
                    "{other} takes precedence over {upper} on 19.30+; remove it if {upper} should apply"
                )
            };
            eprintln!("warning: {}: {note}", file.display());
        }
    }
}

fn permission_bits(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        MODE_PUBLIC
    }
}

/// Follows a symbolic link at `file` (hop by hop) only while every link belongs to the
/// user running orakit or to root. A link another user made (the owner of a
/// network/admin directory, say) could point at any file, which root would then rewrite.
fn resolve_link(file: &Path) -> Result<PathBuf> {
    let mut path = file.to_path_buf();
    for _ in 0..40 {
        let st = crate::fsdir::lstat(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let Some(st) = st else {
            bail!(
                "{} does not exist or is not a file; use --out to create a new file",
                path.display()
            );
        };
        if !st.is_symlink() {
            if !st.is_file() {
                bail!(
                    "{} does not exist or is not a file; use --out to create a new file",
                    path.display()
                );
            }
            return Ok(path);
        }
        let me = crate::fsdir::euid();
        if st.uid != me && st.uid != 0 {
            bail!(
                "{} is a symbolic link owned by user id {}, not by you (id {me}) or root; orakit does not follow it, since that user could point it at any file. Give the path of the file itself",
                path.display(),
                st.uid
            );
        }
        let target = fs::read_link(&path)
            .with_context(|| format!("cannot read the link {}", path.display()))?;
        path = match path.parent() {
            Some(parent) if target.is_relative() => parent.join(target),
            _ => target,
        };
    }
    bail!("{}: too many levels of symbolic links", file.display())
}

/// Opens `file` (not through a link) and takes an exclusive lock on it, so two updates of
/// the same file run one after the other and neither loses the other's change. The
/// update replaces the file by rename, so a waiter then holds the lock of the old file:
/// it checks that the path still names the file it locked, and starts again if not.
fn lock_for_update(file: &Path) -> Result<(fs::File, fs::Metadata)> {
    use std::os::unix::fs::MetadataExt;
    for _ in 0..1000 {
        let handle = crate::limits::open_regular(file, true)
            .with_context(|| format!("cannot read {}", file.display()))?;
        // flock(2): it works on a read-only descriptor (the update writes a new file, so
        // it needs no write access to this one); only orakit locks Oracle Net files.
        handle
            .lock()
            .with_context(|| format!("cannot lock {}", file.display()))?;
        let meta = handle
            .metadata()
            .with_context(|| format!("cannot read {}", file.display()))?;
        let now =
            crate::fsdir::lstat(file).with_context(|| format!("cannot read {}", file.display()))?;
        if now.is_some_and(|st| st.dev == meta.dev() && st.ino == meta.ino()) {
            return Ok((handle, meta));
        }
    }
    bail!(
        "{} keeps being replaced while orakit waits to update it",
        file.display()
    )
}

/// `FILE.bak`, or the first free `FILE.bak.N`.
fn backup_path(file: &Path) -> PathBuf {
    let base = format!("{}.bak", file.display());
    let first = PathBuf::from(&base);
    if first.symlink_metadata().is_err() {
        return first;
    }
    (1u32..)
        .map(|n| PathBuf::from(format!("{base}.{n}")))
        .find(|p| p.symlink_metadata().is_err())
        .unwrap_or(first)
}
