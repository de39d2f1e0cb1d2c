//! The concrete syntax tree of an Oracle Net parameter file (`sqlnet.ora`, `listener.ora`,
//! `tnsnames.ora`, `cman.ora`, `ldap.ora`) and its printer.
//!
//! Grammar (spec `oracle-cli-and-net.md` §3.1), as this module reads it:
//!
//! ```text
//! file      = { trivia-line | parameter }
//! parameter = NAME { "," NAME } "=" value          NAME starts in column 1
//! value     = group { group } | atom { atom | "," }
//! group     = "(" [ KEYWORD "=" ] value ")"        keyword group or a plain list
//! atom      = WORD | "..." | '...'                 backslash escapes the next character
//! trivia    = spaces, tabs, CR, LF, "#" comments up to the end of the line
//! ```
//!
//! A line that starts in column 1 (not with `#`) starts a new parameter unless parentheses
//! are still open; an indented line continues the parameter above it. Every byte of the
//! input lives in exactly one leaf of the tree (trivia included), so printing an unmodified
//! tree gives the input back byte for byte.
//!
//! The parser (`super::parse`) is iterative; nesting deeper than [`MAX_NESTING`] levels is
//! an error rather than a stack overflow, which also bounds the recursion of everything
//! that walks a tree (printing, dropping, lookups).

use std::fmt;

/// Deepest parenthesis nesting accepted. Real descriptors use about six levels; 200 leaves
/// ample room while keeping recursive walks of a tree far from any stack limit.
pub const MAX_NESTING: usize = 200;

/// A whole parameter file: top-level trivia (comments, blank lines) and parameters, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub(crate) items: Vec<Item>,
}

/// One top-level piece of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Comment lines, blank lines and a byte-order mark: kept verbatim.
    Trivia(String),
    Parameter(Parameter),
}

/// `NAME = value`, from the first byte of its name to the end of its last line
/// (the line break included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Byte offset of the name in the text it was parsed from.
    pub(crate) offset: usize,
    /// Names, commas, whitespace, the `=` and the trivia before the value.
    pub(crate) head: Vec<Piece>,
    /// The value: groups or atoms with the trivia between them (never leading or trailing trivia).
    pub(crate) value: Vec<Piece>,
    /// Trivia after the value up to and including the line break that ends the parameter.
    pub(crate) tail: Vec<Piece>,
}

/// A leaf or a parenthesised group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Whitespace, line breaks and comments.
    Trivia(String),
    /// A bare word, backslash escapes kept as written.
    Word(String),
    /// A quoted string including its quotes, as written.
    Quoted(String),
    /// `=` or `,`.
    Punct(char),
    Group(Group),
}

/// `( ... )`: the parentheses, the optional `KEYWORD =` and the value, with all trivia.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub(crate) offset: usize,
    /// Everything between `(` and `)`.
    pub(crate) inner: Vec<Piece>,
}

impl Document {
    /// The file text, byte for byte as parsed when nothing was changed.
    pub fn print(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            match item {
                Item::Trivia(text) => out.push_str(text),
                Item::Parameter(p) => p.print_into(&mut out),
            }
        }
        out
    }

    /// The top-level items in file order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The parameters in file order.
    pub fn parameters(&self) -> impl Iterator<Item = &Parameter> {
        self.items.iter().filter_map(|item| match item {
            Item::Parameter(p) => Some(p),
            Item::Trivia(_) => None,
        })
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.print())
    }
}

impl Parameter {
    /// Byte offset of the parameter's first name in the text it was parsed from.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Every name of the parameter (`a, b.world = ...` has two), as written.
    pub fn names(&self) -> Vec<&str> {
        self.head
            .iter()
            .filter_map(|p| match p {
                Piece::Word(w) => Some(w.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether one of the names equals `name`, ignoring ASCII case.
    pub fn is_named(&self, name: &str) -> bool {
        self.names().iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// The value pieces (no leading or trailing trivia).
    pub fn value(&self) -> &[Piece] {
        &self.value
    }

    /// The parameter text as written.
    pub fn print(&self) -> String {
        let mut out = String::new();
        self.print_into(&mut out);
        out
    }

    pub(crate) fn print_into(&self, out: &mut String) {
        print_pieces(&self.head, out);
        print_pieces(&self.value, out);
        print_pieces(&self.tail, out);
    }

    /// The groups directly in the value (`LISTENER = (DESCRIPTION_LIST = ...)` has one).
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        groups_of(&self.value)
    }

    /// The atoms of a word-valued parameter, unquoted: `SSL_VERSION = 1.2` gives `["1.2"]`.
    /// For a list value such as `(A, B)` use [`Parameter::list_items`].
    pub fn atoms(&self) -> Vec<String> {
        atoms_of(&self.value)
    }

    /// The items of a value, flattening one level of a keyless list:
    /// `(TNSNAMES, EZCONNECT)`, `TNSNAMES, EZCONNECT` and `NONE` all give their words.
    pub fn list_items(&self) -> Vec<String> {
        list_items_of(&self.value)
    }
}

impl Group {
    /// Byte offset of the `(` in the text it was parsed from.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The keyword before `=`, or `None` for a plain list such as `(A, B)`.
    pub fn key(&self) -> Option<&str> {
        let mut meaningful = self.inner.iter().filter(|p| !matches!(p, Piece::Trivia(_)));
        match (meaningful.next(), meaningful.next()) {
            (Some(Piece::Word(k)), Some(Piece::Punct('='))) => Some(k.as_str()),
            _ => None,
        }
    }

    /// Whether the keyword equals `key`, ignoring ASCII case.
    pub fn has_key(&self, key: &str) -> bool {
        self.key().is_some_and(|k| k.eq_ignore_ascii_case(key))
    }

    /// Index in `inner` where the value starts (after `KEY =` and its trivia).
    pub(crate) fn value_start(&self) -> usize {
        if self.key().is_none() {
            return 0;
        }
        let eq = self
            .inner
            .iter()
            .position(|p| matches!(p, Piece::Punct('=')))
            .unwrap_or(0);
        let mut i = eq + 1;
        while matches!(self.inner.get(i), Some(Piece::Trivia(_))) {
            i += 1;
        }
        i
    }

    /// Index in `inner` one past the value's last meaningful piece.
    pub(crate) fn value_end(&self) -> usize {
        let mut end = self.inner.len();
        while end > 0 && matches!(self.inner[end - 1], Piece::Trivia(_)) {
            end -= 1;
        }
        end.max(self.value_start())
    }

    /// The value pieces (after `KEY =`; the whole content for a plain list).
    pub fn value(&self) -> &[Piece] {
        &self.inner[self.value_start()..self.value_end()]
    }

    /// The keyword groups nested directly in the value.
    pub fn children(&self) -> impl Iterator<Item = &Group> {
        groups_of(self.value())
    }

    /// The first direct child whose keyword is `key` (ASCII case ignored).
    pub fn child(&self, key: &str) -> Option<&Group> {
        self.children().find(|g| g.has_key(key))
    }

    /// Every group below this one (depth first, this one excluded) whose keyword is `key`.
    pub fn descendants(&self, key: &str) -> Vec<&Group> {
        let mut found = Vec::new();
        let mut stack: Vec<&Group> = self.children().collect();
        stack.reverse();
        while let Some(g) = stack.pop() {
            if g.has_key(key) {
                found.push(g);
            }
            let mut kids: Vec<&Group> = g.children().collect();
            kids.reverse();
            stack.extend(kids);
        }
        found
    }

    /// The single atom of `(KEY = value)`, unquoted; `None` when the value is a group or a list.
    pub fn scalar(&self) -> Option<String> {
        let atoms = atoms_of(self.value());
        let only_atoms = self.value().iter().all(|p| {
            matches!(
                p,
                Piece::Word(_) | Piece::Quoted(_) | Piece::Trivia(_) | Piece::Punct(',')
            )
        });
        (only_atoms && atoms.len() == 1).then(|| atoms.into_iter().next().unwrap_or_default())
    }

    /// The items of the value, flattening one keyless list level (see [`Parameter::list_items`]).
    pub fn list_items(&self) -> Vec<String> {
        list_items_of(self.value())
    }

    /// Whether the value is (or holds) a keyless list group such as `(A, B)`.
    pub fn has_list_value(&self) -> bool {
        groups_of(self.value()).any(|g| g.key().is_none())
    }

    /// The group text as written, parentheses included.
    pub fn print(&self) -> String {
        let mut out = String::new();
        print_group(self, &mut out);
        out
    }
}

pub(crate) fn groups_of(pieces: &[Piece]) -> impl Iterator<Item = &Group> {
    pieces.iter().filter_map(|p| match p {
        Piece::Group(g) => Some(g),
        _ => None,
    })
}

fn atoms_of(pieces: &[Piece]) -> Vec<String> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Word(w) => Some(unescape(w)),
            Piece::Quoted(q) => Some(unquote(q)),
            _ => None,
        })
        .collect()
}

fn list_items_of(pieces: &[Piece]) -> Vec<String> {
    let mut items = atoms_of(pieces);
    for g in groups_of(pieces).filter(|g| g.key().is_none()) {
        items.extend(atoms_of(&g.inner));
    }
    items
}

/// A bare word with its backslash escapes resolved. Only a backslash before a reserved
/// character (`( ) = , # " ' \`, a space or a tab) is an escape: netca writes Windows paths
/// such as `c:\Oracle\19c` unescaped, and those backslashes are part of the value.
pub fn unescape(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(next) = chars.next_if(|n| "()=,#\"'\\ \t".contains(*n))
        {
            out.push(next);
            continue;
        }
        out.push(c);
    }
    out
}

/// A quoted string without its quotes; backslash-escaped quotes resolved.
pub fn unquote(quoted: &str) -> String {
    let inner = quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default();
    let quote = quoted.chars().next().unwrap_or('"');
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| *n == quote || *n == '\\') {
            out.push(chars.next().unwrap_or(quote));
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn print_pieces(pieces: &[Piece], out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Trivia(t) | Piece::Word(t) | Piece::Quoted(t) => out.push_str(t),
            Piece::Punct(c) => out.push(*c),
            Piece::Group(g) => print_group(g, out),
        }
    }
}

fn print_group(group: &Group, out: &mut String) {
    out.push('(');
    print_pieces(&group.inner, out);
    out.push(')');
}
