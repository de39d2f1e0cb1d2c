//! Merging generated entries into a file a user already has (`net ... --update`): a
//! generated parameter changes only the values it sets and adds the groups it brings;
//! every other address, description, parameter and comment of the existing one stays as
//! written. When the existing parameter has a shape the generated one cannot be merged
//! into, the merge refuses and says what a replacement would lose.

use thiserror::Error;

use super::edit::EditError;
use super::syntax::{Document, Group, Item, Parameter, Piece};

#[derive(Debug, Error)]
pub enum MergeError {
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(
        "{name}: {why}; replacing it would lose {lost}. Add the generated entry by hand (print it without --update)"
    )]
    Conflict {
        name: String,
        why: String,
        lost: String,
    },
}

/// What a merge did to one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// The parameter was new and appended.
    Added,
    /// The existing parameter was changed as each note says.
    Changed(Vec<String>),
    /// The existing parameter already said what was generated.
    Unchanged,
}

/// A group's text on one line, spaces squeezed, for messages and comparisons.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn value_text(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Trivia(_) => out.push(' '),
            Piece::Word(w) | Piece::Quoted(w) => out.push_str(w),
            Piece::Punct(c) => out.push(*c),
            Piece::Group(g) => out.push_str(&g.print()),
        }
    }
    flat(&out)
}

/// Index in `pieces` of each keyword group, with its key.
fn child_indices(pieces: &[Piece], from: usize, to: usize) -> Vec<usize> {
    (from..to)
        .filter(|&i| matches!(&pieces[i], Piece::Group(g) if g.key().is_some()))
        .collect()
}

fn group(pieces: &[Piece], i: usize) -> &Group {
    match &pieces[i] {
        Piece::Group(g) => g,
        _ => unreachable!("child_indices returns groups only"),
    }
}

fn scalar_of(g: &Group, key: &str) -> Option<String> {
    g.child(key).and_then(Group::scalar)
}

/// `ADDRESS (PROTOCOL = TCPS)`, `SID_DESC (SID_NAME = ORCL)`: how a note names a group.
fn label(g: &Group) -> String {
    let key = g.key().unwrap_or_default().to_ascii_uppercase();
    for id in ["PROTOCOL", "SID_NAME"] {
        if let Some(v) = scalar_of(g, id) {
            return format!("{key} ({id} = {v})");
        }
    }
    key
}

/// Which existing child a generated child `new` updates, among the `candidates` with its
/// key. `None`: it is new and is added.
fn pick(name: &str, candidates: &[&Group], new: &Group) -> Result<Option<usize>, MergeError> {
    let key = new.key().unwrap_or_default();
    let same = |g: &Group, k: &str| {
        let (a, b) = (scalar_of(g, k), scalar_of(new, k));
        a.is_some() && a.map(|s| s.to_ascii_uppercase()) == b.map(|s| s.to_ascii_uppercase())
    };
    if key.eq_ignore_ascii_case("ADDRESS") {
        let protocol: Vec<usize> = (0..candidates.len())
            .filter(|&i| same(candidates[i], "PROTOCOL"))
            .collect();
        if let Some(&i) = protocol.iter().find(|&&i| same(candidates[i], "HOST")) {
            return Ok(Some(i));
        }
        return match protocol.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            several => Err(MergeError::Conflict {
                name: name.to_owned(),
                why: format!(
                    "it has {} {} addresses and none for the generated host",
                    several.len(),
                    scalar_of(new, "PROTOCOL").unwrap_or_default()
                ),
                lost: "the choice of which one to change".into(),
            }),
        };
    }
    if key.eq_ignore_ascii_case("SID_DESC") {
        return Ok((0..candidates.len()).find(|&i| same(candidates[i], "SID_NAME")));
    }
    if key.eq_ignore_ascii_case("DESCRIPTION") && candidates.len() > 1 {
        // The description that already listens on TCPS, else the one for this host.
        let holds =
            |g: &Group, f: &dyn Fn(&Group) -> bool| g.descendants("ADDRESS").into_iter().any(f);
        let tcps =
            |a: &Group| scalar_of(a, "PROTOCOL").is_some_and(|p| p.eq_ignore_ascii_case("TCPS"));
        let new_host: Vec<String> = new
            .descendants("ADDRESS")
            .into_iter()
            .filter_map(|a| scalar_of(a, "HOST"))
            .collect();
        let host = |a: &Group| {
            scalar_of(a, "HOST")
                .is_some_and(|h| new_host.iter().any(|n| n.eq_ignore_ascii_case(&h)))
        };
        let found = (0..candidates.len())
            .find(|&i| holds(candidates[i], &tcps))
            .or_else(|| (0..candidates.len()).find(|&i| holds(candidates[i], &host)));
        return Ok(Some(found.unwrap_or(0)));
    }
    Ok((!candidates.is_empty()).then_some(0))
}

/// Merges generated group `new` into `old` (same keyword). Notes say what changed.
fn merge_group(
    name: &str,
    old: &mut Group,
    new: &Group,
    notes: &mut Vec<String>,
) -> Result<(), MergeError> {
    let new_children: Vec<&Group> = new.children().filter(|g| g.key().is_some()).collect();
    let (start, end) = (old.value_start(), old.value_end());
    let old_children = child_indices(&old.inner, start, end);
    if new_children.is_empty() {
        if value_text(old.value()) != value_text(new.value()) {
            if !old_children.is_empty() {
                return Err(MergeError::Conflict {
                    name: name.to_owned(),
                    why: format!("its {} holds groups where a value is generated", label(old)),
                    lost: flat(&old.print()),
                });
            }
            notes.push(format!(
                "{} = {} (was {})",
                old.key().unwrap_or_default(),
                value_text(new.value()),
                value_text(old.value())
            ));
            old.inner.splice(start..end, new.value().iter().cloned());
        }
        return Ok(());
    }
    if old_children.is_empty() && !old.value().is_empty() {
        return Err(MergeError::Conflict {
            name: name.to_owned(),
            why: format!(
                "its {} holds a value where groups are generated",
                label(old)
            ),
            lost: flat(&old.print()),
        });
    }
    for child in new_children {
        let key = child.key().unwrap_or_default();
        let (start, end) = (old.value_start(), old.value_end());
        let same_key: Vec<usize> = child_indices(&old.inner, start, end)
            .into_iter()
            .filter(|&i| group(&old.inner, i).has_key(key))
            .collect();
        // An address may sit in an ADDRESS_LIST: merge it there.
        if same_key.is_empty() && key.eq_ignore_ascii_case("ADDRESS") {
            let lists: Vec<usize> = child_indices(&old.inner, start, end)
                .into_iter()
                .filter(|&i| group(&old.inner, i).has_key("ADDRESS_LIST"))
                .collect();
            if let Some(&list) = lists.first() {
                let Piece::Group(list) = &mut old.inner[list] else {
                    unreachable!()
                };
                let mut wrapper = list.clone();
                // Merge into a copy holding only this child, then keep the copy.
                let lone = lone_group("ADDRESS_LIST", child);
                merge_group(name, &mut wrapper, &lone, notes)?;
                *list = wrapper;
                continue;
            }
        }
        let candidates: Vec<&Group> = same_key.iter().map(|&i| group(&old.inner, i)).collect();
        match pick(name, &candidates, child)? {
            Some(k) => {
                let Piece::Group(target) = &mut old.inner[same_key[k]] else {
                    unreachable!()
                };
                let before = notes.len();
                merge_group(name, target, child, notes)?;
                let what = label(target);
                for note in &mut notes[before..] {
                    *note = format!("{note} in {what}");
                }
            }
            None => {
                // SID and SERVICE_NAME name the database two ways: both would be ambiguous.
                let other = match key.to_ascii_uppercase().as_str() {
                    "SID" => Some("SERVICE_NAME"),
                    "SERVICE_NAME" => Some("SID"),
                    _ => None,
                };
                if let Some(other) = other.and_then(|o| old.child(o)) {
                    return Err(MergeError::Conflict {
                        name: name.to_owned(),
                        why: format!(
                            "it connects by {} where {key} is generated",
                            other.key().unwrap_or_default()
                        ),
                        lost: flat(&other.print()),
                    });
                }
                let all = child_indices(&old.inner, start, end);
                // A new address goes right after the TCP/TCPS ones (before an IPC one).
                let network = same_key.iter().rev().find(|&&i| {
                    scalar_of(group(&old.inner, i), "PROTOCOL")
                        .is_some_and(|p| p.to_ascii_uppercase().starts_with("TCP"))
                });
                let anchor = network.or(same_key.last()).or(all.last()).copied();
                insert_after(old, anchor, child.clone());
                notes.push(format!("added {}", flat(&child.print())));
            }
        }
    }
    Ok(())
}

/// `(KEY = child)` as a group, to reuse [`merge_group`] one level down.
fn lone_group(key: &str, child: &Group) -> Group {
    Group {
        offset: child.offset,
        inner: vec![
            Piece::Word(key.to_owned()),
            Piece::Trivia(" ".into()),
            Piece::Punct('='),
            Piece::Trivia(" ".into()),
            Piece::Group(child.clone()),
        ],
    }
}

/// Puts `new` after the child at `anchor` (or at the end of the value), on its own line
/// with the anchor's indentation when the children stand one per line.
fn insert_after(parent: &mut Group, anchor: Option<usize>, new: Group) {
    let end = parent.value_end();
    let at = anchor.map_or(end, |i| i + 1);
    let separator = anchor
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| match &parent.inner[i] {
            // The line break as the file writes it (CRLF stays CRLF) and the indentation.
            Piece::Trivia(t) if t.contains('\n') => t.rfind('\n').map(|n| {
                let from = if t[..n].ends_with('\r') { n - 1 } else { n };
                t[from..].to_owned()
            }),
            Piece::Trivia(t) if i >= parent.value_start() => Some(t.clone()),
            _ => None,
        });
    let mut pieces = Vec::new();
    if let Some(sep) = separator {
        pieces.push(Piece::Trivia(sep));
    }
    pieces.push(Piece::Group(new));
    parent.inner.splice(at..at, pieces);
}

/// The single group a value holds (trivia aside), if that is all it holds.
fn only_group(pieces: &mut [Piece]) -> Option<&mut Group> {
    let mut groups = pieces.iter_mut().filter(|p| !matches!(p, Piece::Trivia(_)));
    match (groups.next(), groups.next()) {
        (Some(Piece::Group(g)), None) => Some(g),
        _ => None,
    }
}

/// Merges one generated parameter into the existing one of the same name.
fn merge_parameter(old: &mut Parameter, new: &Parameter) -> Result<Vec<String>, MergeError> {
    let name = old
        .names()
        .first()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let mut notes = Vec::new();
    let mut new_value = new.value.clone();
    let mut old_value = old.value.clone();
    let keyed = |g: &Option<&mut Group>| g.as_ref().is_some_and(|g| g.key().is_some());
    let (o, n) = (only_group(&mut old_value), only_group(&mut new_value));
    match (keyed(&o), keyed(&n)) {
        (true, true) => {
            let (Some(o), Some(n)) = (o, n) else {
                unreachable!("both are keyed groups")
            };
            let n = n.clone();
            if o.has_key(n.key().unwrap_or_default()) {
                merge_group(&name, o, &n, &mut notes)?;
            } else if let Some(inner) = n
                .children()
                .find(|c| c.has_key(o.key().unwrap_or_default()))
            {
                // `LISTENER = (DESCRIPTION = ...)` without a DESCRIPTION_LIST.
                let inner = inner.clone();
                merge_group(&name, o, &inner, &mut notes)?;
            } else {
                return Err(MergeError::Conflict {
                    name: name.clone(),
                    why: format!(
                        "it is a ({}) where a ({}) is generated",
                        o.key().unwrap_or_default(),
                        n.key().unwrap_or_default()
                    ),
                    lost: flat(&o.print()),
                });
            }
            old.value = old_value;
        }
        (false, false) => {
            if value_text(&old.value) != value_text(&new.value) {
                notes.push(format!(
                    "{} (was {})",
                    value_text(&new.value),
                    value_text(&old.value)
                ));
                // The names, the spacing before the value and the line's comment stay.
                old.value = new.value.clone();
            }
        }
        _ => {
            return Err(MergeError::Conflict {
                name: name.clone(),
                why: "its value has a different form from the generated one".into(),
                lost: value_text(&old.value),
            });
        }
    }
    Ok(notes)
}

impl Document {
    /// Merges generated entries (`text`) into the file: a parameter the file lacks is
    /// appended (as [`Document::upsert_text`] does), one it has is merged into
    /// ([`Merged`]). Line breaks of `text` become the file's. Nothing is changed when an
    /// entry cannot be merged.
    pub fn merge_text(&mut self, text: &str) -> Result<Vec<(String, Merged)>, MergeError> {
        let text = if self.line_break() == "\r\n" {
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            text.to_owned()
        };
        let snippet = Document::parse(&text).map_err(EditError::from)?;
        let mut work = self.clone();
        let mut done = Vec::new();
        let mut to_append = String::new();
        let mut pending_trivia = String::new();
        for item in snippet.items {
            let param = match item {
                Item::Trivia(t) => {
                    pending_trivia.push_str(&t);
                    continue;
                }
                Item::Parameter(p) => p,
            };
            let name = param
                .names()
                .first()
                .map(|n| n.to_string())
                .unwrap_or_default();
            let existing = work.items.iter_mut().find_map(|item| match item {
                Item::Parameter(p) if param.names().iter().any(|n| p.is_named(n)) => Some(p),
                _ => None,
            });
            match existing {
                Some(old) => {
                    let notes = merge_parameter(old, &param)?;
                    done.push((
                        name,
                        if notes.is_empty() {
                            Merged::Unchanged
                        } else {
                            Merged::Changed(notes)
                        },
                    ));
                }
                None => {
                    to_append.push_str(&pending_trivia);
                    to_append.push_str(&param.print());
                    done.push((name, Merged::Added));
                }
            }
            pending_trivia.clear();
        }
        if !to_append.is_empty() {
            work.upsert_text(&to_append)?;
        }
        *self = work;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TCPS: &str = "L =\n  (DESCRIPTION_LIST =\n    (DESCRIPTION =\n      (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))\n    )\n  )\n";

    #[test]
    fn an_address_is_added_beside_the_others_with_their_indentation_and_line_breaks() {
        let text = "L =\r\n  (DESCRIPTION_LIST =\r\n    (DESCRIPTION =\r\n      (ADDRESS = (PROTOCOL = TCP)(HOST = h)(PORT = 1521))\r\n      (ADDRESS = (PROTOCOL = IPC)(KEY = X))\r\n    )\r\n  )\r\n";
        let mut doc = Document::parse(text).unwrap();
        let done = doc.merge_text(TCPS).unwrap();
        assert!(matches!(&done[0].1, Merged::Changed(n) if n[0].starts_with("added (ADDRESS")));
        assert_eq!(
            doc.print(),
            text.replace(
                "(PORT = 1521))\r\n",
                "(PORT = 1521))\r\n      (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))\r\n"
            )
        );
        // Merging again changes nothing.
        let again = doc.merge_text(TCPS).unwrap();
        assert_eq!(again[0].1, Merged::Unchanged);
    }

    #[test]
    fn two_tcps_addresses_for_other_hosts_are_refused_and_nothing_changes() {
        let text = "L = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = a)(PORT = 1))(ADDRESS = (PROTOCOL = TCPS)(HOST = b)(PORT = 2)))\nW = 1\n";
        let mut doc = Document::parse(text).unwrap();
        let err = doc.merge_text(&format!("{TCPS}W = 2\n")).unwrap_err();
        assert!(err.to_string().contains("2 TCPS addresses"), "{err}");
        assert_eq!(doc.print(), text);
    }
}
