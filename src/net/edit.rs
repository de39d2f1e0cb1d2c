//! Semantic access to a parsed file: find parameters by name (ASCII case ignored), read a
//! value as a plain tree, and replace, insert or delete parameters and nested values while
//! every byte outside the edited piece stays as it was.

use serde::Serialize;
use thiserror::Error;

use super::parse::SyntaxError;
use super::syntax::{Document, Group, Item, Parameter, Piece, groups_of, unescape, unquote};

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum EditError {
    #[error("the replacement text is not valid Oracle Net syntax: {0}")]
    Syntax(#[from] SyntaxError),
    #[error("the replacement text must hold exactly one parameter, found {0}")]
    NotOneParameter(usize),
    #[error("no parameter named {0}")]
    NoParameter(String),
    #[error("{name} has no ({path}) group")]
    NoPath { name: String, path: String },
}

/// A value read as a plain tree, trivia and quoting dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    /// `(KEY = value)`.
    Pair { key: String, value: Vec<Node> },
    /// A keyless list such as `(A, B)`.
    List(Vec<String>),
    /// A word or quoted string, unquoted.
    Atom(String),
}

/// What [`Document::upsert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Replaced,
    Inserted,
}

fn nodes_of(pieces: &[Piece]) -> Vec<Node> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Word(w) => Some(Node::Atom(unescape(w))),
            Piece::Quoted(q) => Some(Node::Atom(unquote(q))),
            Piece::Group(g) => Some(g.tree()),
            Piece::Trivia(_) | Piece::Punct(_) => None,
        })
        .collect()
}

impl Group {
    /// The group as a plain tree.
    pub fn tree(&self) -> Node {
        match self.key() {
            Some(key) => Node::Pair {
                key: key.to_owned(),
                value: nodes_of(self.value()),
            },
            None => Node::List(self.list_items()),
        }
    }
}

impl Parameter {
    /// The value as a plain tree.
    pub fn tree(&self) -> Vec<Node> {
        nodes_of(self.value())
    }

    /// Parses text holding exactly one parameter (comments and blank lines around it allowed).
    pub fn parse_one(text: &str) -> Result<Parameter, EditError> {
        let doc = Document::parse(text)?;
        let count = doc.parameters().count();
        let param = doc.items.into_iter().find_map(|item| match item {
            Item::Parameter(p) => Some(p),
            Item::Trivia(_) => None,
        });
        match param {
            Some(p) if count == 1 => Ok(p),
            _ => Err(EditError::NotOneParameter(count)),
        }
    }

    /// The first group reached by following `path` (keywords, ASCII case ignored) from the value.
    pub fn group_at(&self, path: &[&str]) -> Option<&Group> {
        let (first, rest) = path.split_first()?;
        let mut group = self.groups().find(|g| g.has_key(first))?;
        for key in rest {
            group = group.child(key)?;
        }
        Some(group)
    }

    fn group_at_mut(&mut self, path: &[&str]) -> Option<&mut Group> {
        let (first, rest) = path.split_first()?;
        let mut group = self.value.iter_mut().find_map(|p| match p {
            Piece::Group(g) if g.has_key(first) => Some(g),
            _ => None,
        })?;
        for key in rest {
            let start = group.value_start();
            let end = group.value_end();
            group = group.inner[start..end].iter_mut().find_map(|p| match p {
                Piece::Group(g) if g.has_key(key) => Some(g),
                _ => None,
            })?;
        }
        Some(group)
    }

    /// The names part of the head (names and commas, without the trivia before `=`).
    fn names_prefix(&self) -> &[Piece] {
        let last_name = self
            .head
            .iter()
            .rposition(|p| matches!(p, Piece::Word(_)))
            .map_or(0, |i| i + 1);
        &self.head[..last_name]
    }
}

/// The value pieces of `text` read as the value of a throwaway parameter.
fn value_pieces(text: &str) -> Result<Vec<Piece>, EditError> {
    Ok(Parameter::parse_one(&format!("X = {text}\n"))?.value)
}

impl Document {
    /// The first parameter with this name (any of its aliases; ASCII case ignored).
    pub fn find(&self, name: &str) -> Option<&Parameter> {
        self.parameters().find(|p| p.is_named(name))
    }

    fn find_mut(&mut self, name: &str) -> Option<&mut Parameter> {
        self.items.iter_mut().find_map(|item| match item {
            Item::Parameter(p) if p.is_named(name) => Some(p),
            _ => None,
        })
    }

    /// The line break the file uses: `"\r\n"` when its first line ends that way.
    pub fn line_break(&self) -> &'static str {
        let text = self.print();
        match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// Removes every parameter with this name; returns how many were removed.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.items.len();
        self.items
            .retain(|item| !matches!(item, Item::Parameter(p) if p.is_named(name)));
        before - self.items.len()
    }

    /// Replaces the first parameter sharing a name with `param` (keeping the names as the
    /// file spells them, aliases included), or appends `param` after a blank line.
    pub fn upsert(&mut self, mut param: Parameter) -> Upserted {
        let names: Vec<String> = param.names().iter().map(|n| n.to_string()).collect();
        let existing = self.items.iter_mut().find_map(|item| match item {
            Item::Parameter(p) if names.iter().any(|n| p.is_named(n)) => Some(p),
            _ => None,
        });
        if let Some(old) = existing {
            let mut head = old.names_prefix().to_vec();
            let keep_from = param
                .head
                .iter()
                .rposition(|p| matches!(p, Piece::Word(_)))
                .map_or(0, |i| i + 1);
            head.extend(param.head.drain(keep_from..));
            param.head = head;
            param.offset = old.offset;
            *old = param;
            return Upserted::Replaced;
        }
        self.append(param);
        Upserted::Inserted
    }

    /// Appends a parameter at the end, separated from what is there by one blank line.
    pub fn append(&mut self, param: Parameter) {
        self.append_with(param, true);
    }

    /// Appends a parameter on a new line, after a blank line when `blank_line` is set.
    fn append_with(&mut self, param: Parameter, blank_line: bool) {
        let newline = self.line_break();
        let text = self.print();
        if !text.is_empty() {
            if !text.ends_with('\n') {
                self.push_trivia(newline);
            }
            let text = self.print();
            let trimmed = text.trim_end_matches(['\r', '\n']);
            let blank_line_at_end = text[trimmed.len()..].matches('\n').count() >= 2;
            if blank_line && !blank_line_at_end {
                self.push_trivia(newline);
            }
        }
        self.items.push(Item::Parameter(param));
    }

    fn push_trivia(&mut self, text: &str) {
        match self.items.last_mut() {
            Some(Item::Trivia(t)) => t.push_str(text),
            Some(Item::Parameter(p)) => p.tail.push(Piece::Trivia(text.to_owned())),
            None => self.items.push(Item::Trivia(text.to_owned())),
        }
    }

    /// Parses `text` (generated entries) and upserts each parameter in it, converting its
    /// line breaks to the file's. Parameters appended one after the other keep the blank
    /// lines the snippet has between them (its comments are not copied). Returns each name
    /// with what was done.
    pub fn upsert_text(&mut self, text: &str) -> Result<Vec<(String, Upserted)>, EditError> {
        let text = if self.line_break() == "\r\n" {
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            text.to_owned()
        };
        let snippet = Document::parse(&text)?;
        let mut done = Vec::new();
        let mut blank_before = false;
        let mut last_appended = false;
        for item in snippet.items {
            let param = match item {
                Item::Trivia(t) => {
                    blank_before |= t.lines().any(|l| l.trim().is_empty());
                    continue;
                }
                Item::Parameter(p) => p,
            };
            let name = param
                .names()
                .first()
                .map(|n| n.to_string())
                .unwrap_or_default();
            let exists = param.names().iter().any(|n| self.find(n).is_some());
            if exists {
                done.push((name, self.upsert(param)));
                last_appended = false;
            } else {
                self.append_with(param, blank_before || !last_appended);
                done.push((name, Upserted::Inserted));
                last_appended = true;
            }
            blank_before = false;
        }
        Ok(done)
    }

    /// Replaces the value of parameter `name`, keeping its names, spacing and trailing comment.
    pub fn set_value(&mut self, name: &str, value: &str) -> Result<(), EditError> {
        let pieces = value_pieces(value)?;
        let param = self
            .find_mut(name)
            .ok_or_else(|| EditError::NoParameter(name.to_owned()))?;
        param.value = pieces;
        Ok(())
    }

    /// Replaces the value of the `(KEY = ...)` group at `path` inside parameter `name`:
    /// `set_nested("ORCL", &["DESCRIPTION", "ADDRESS", "PORT"], "2484")`.
    pub fn set_nested(&mut self, name: &str, path: &[&str], value: &str) -> Result<(), EditError> {
        let pieces = value_pieces(value)?;
        let group = self.nested_mut(name, path)?;
        let (start, end) = (group.value_start(), group.value_end());
        group.inner.splice(start..end, pieces);
        Ok(())
    }

    /// Appends `(KEY = value)` text as the last child of the group at `path`, on its own
    /// line with the previous child's indentation when the children are one per line.
    pub fn insert_nested(
        &mut self,
        name: &str,
        path: &[&str],
        group_text: &str,
    ) -> Result<(), EditError> {
        let new: Vec<Piece> = value_pieces(group_text)?;
        let group = self.nested_mut(name, path)?;
        let end = group.value_end();
        let indent = group.inner[..end]
            .iter()
            .rev()
            .skip(1)
            .find_map(|p| match p {
                Piece::Trivia(t) if t.contains('\n') => t.rfind('\n').map(|i| t[i..].to_owned()),
                _ => None,
            })
            .filter(|_| groups_of(group.value()).count() > 0);
        let mut insert = Vec::new();
        if let Some(indent) = indent {
            insert.push(Piece::Trivia(indent));
        }
        insert.extend(new);
        group.inner.splice(end..end, insert);
        Ok(())
    }

    /// Deletes the group at `path` (and the line it stood on, when it stood alone).
    pub fn remove_nested(&mut self, name: &str, path: &[&str]) -> Result<(), EditError> {
        let (parent_path, last) = match path.split_last() {
            Some((last, parent)) if !parent.is_empty() => (parent, *last),
            _ => {
                return Err(EditError::NoPath {
                    name: name.to_owned(),
                    path: path.join(" / "),
                });
            }
        };
        let not_found = || EditError::NoPath {
            name: name.to_owned(),
            path: path.join(" / "),
        };
        let parent = self.nested_mut(name, parent_path)?;
        let index = parent
            .inner
            .iter()
            .position(|p| matches!(p, Piece::Group(g) if g.has_key(last)))
            .ok_or_else(not_found)?;
        parent.inner.remove(index);
        if index > 0
            && let Some(Piece::Trivia(t)) = parent.inner.get_mut(index - 1)
            && t.trim().is_empty()
            && let Some(i) = t.rfind('\n')
        {
            t.truncate(i);
        }
        Ok(())
    }

    fn nested_mut(&mut self, name: &str, path: &[&str]) -> Result<&mut Group, EditError> {
        let param = self
            .find_mut(name)
            .ok_or_else(|| EditError::NoParameter(name.to_owned()))?;
        param.group_at_mut(path).ok_or_else(|| EditError::NoPath {
            name: name.to_owned(),
            path: path.join(" / "),
        })
    }
}
