//! The parser behind [`Document::parse`]: one pass over the text, an explicit stack for
//! open parentheses (no recursion), every byte placed in the tree of [`super::syntax`].

use thiserror::Error;

use super::syntax::{Document, Group, Item, MAX_NESTING, Parameter, Piece};

/// A file that does not follow the Oracle Net grammar: where, and what is wrong.
/// `Display` gives `LINE:COLUMN: message`; callers prefix the file name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{line}:{column}: {kind}")]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters (a tab is one).
    pub column: usize,
    /// Byte offset into the text.
    pub offset: usize,
    pub kind: SyntaxErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    #[error("expected a parameter name at the start of the line, found `{found}`")]
    ExpectedName { found: String },
    #[error("expected `=` after `{name}` (write `{name} = value`)")]
    MissingEquals { name: String },
    #[error("`{name} =` has no value")]
    MissingValue { name: String },
    #[error("this `(` is never closed; add the missing `)`")]
    UnclosedParen,
    #[error("`)` without a matching `(`; remove it or add the missing `(`")]
    StrayCloseParen,
    #[error("unterminated quoted string; close it with the same quote on this line")]
    UnterminatedQuote,
    #[error("unexpected `=`; values containing `=` must be quoted with \"...\"")]
    UnexpectedEquals,
    #[error("expected a keyword before `=`")]
    MissingKeyword,
    #[error("a group without `KEYWORD =` may hold only words; expected `(KEYWORD = ...)`")]
    ListHoldsGroup,
    #[error("words and parenthesised groups mixed in one value; quote the words or remove them")]
    MixedValue,
    #[error("empty parentheses `()`")]
    EmptyGroup,
    #[error("parentheses nested deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error(
        "indented text outside any parameter; a parameter name must start in column 1 and a continuation line must follow its parameter"
    )]
    StrayIndented,
}

impl Document {
    /// Parses a whole parameter file. Never panics; any input either parses (and then
    /// prints back identically) or gives one [`SyntaxError`].
    pub fn parse(text: &str) -> Result<Document, SyntaxError> {
        Parser { src: text, pos: 0 }.document()
    }
}

impl SyntaxError {
    fn at(src: &str, offset: usize, kind: SyntaxErrorKind) -> Self {
        let offset = offset.min(src.len());
        let (line, column) = line_column(src, offset);
        Self {
            line,
            column,
            offset,
            kind,
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b'=' | b',' | b'#' | b'"' | b'\''
    )
}

fn is_inline_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

/// What a container (a group, or a parameter's value) has seen so far; used to reject
/// malformed structure as soon as it appears.
#[derive(Default)]
struct Frame {
    offset: usize,
    pieces: Vec<Piece>,
    is_group: bool,
    /// Groups only: nothing meaningful yet / one word (key or list) / past that.
    phase: Phase,
    keyed: bool,
    first_word: Option<(String, usize)>,
    atoms: bool,
    keyed_groups: bool,
    /// A keyless child group and the end of its first word: a `(KEY value)` missing its `=`.
    list_child: Option<(String, usize)>,
    eq_offset: usize,
}

#[derive(Default, PartialEq, Eq, Clone, Copy)]
enum Phase {
    #[default]
    Start,
    FirstWord,
    Value,
}

enum Meaningful {
    Atom,
    Comma,
    Equals,
    Open,
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, offset: usize, kind: SyntaxErrorKind) -> SyntaxError {
        SyntaxError::at(self.src, offset, kind)
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.src.as_bytes().get(i).copied()
    }

    fn line_end(&self, from: usize) -> usize {
        self.src[from..]
            .find('\n')
            .map_or(self.src.len(), |i| from + i + 1)
    }

    fn document(mut self) -> Result<Document, SyntaxError> {
        let mut items = Vec::new();
        let mut trivia = String::new();
        if self.src.starts_with('\u{feff}') {
            // A byte-order mark: keep it and read the rest of the line as if it started there.
            trivia.push('\u{feff}');
            self.pos = '\u{feff}'.len_utf8();
        }
        while self.pos < self.src.len() {
            let start = self.pos;
            let end = self.line_end(start);
            let line = &self.src[start..end];
            let content = line.trim_start_matches([' ', '\t', '\r']);
            let first = line.as_bytes()[0];
            if first == b'#' || first == b'\n' || is_inline_space(first) {
                if content.is_empty() || content.starts_with('\n') || content.starts_with('#') {
                    trivia.push_str(line);
                    self.pos = end;
                    continue;
                }
                let at = start + (line.len() - content.len());
                return Err(self.err(at, SyntaxErrorKind::StrayIndented));
            }
            if !trivia.is_empty() {
                items.push(Item::Trivia(std::mem::take(&mut trivia)));
            }
            items.push(Item::Parameter(self.parameter()?));
        }
        if !trivia.is_empty() {
            items.push(Item::Trivia(trivia));
        }
        Ok(Document { items })
    }

    fn skip_inline_space(&mut self, into: &mut Vec<Piece>) {
        let start = self.pos;
        while self.byte(self.pos).is_some_and(is_inline_space) {
            self.pos += 1;
        }
        if self.pos > start {
            into.push(Piece::Trivia(self.src[start..self.pos].to_owned()));
        }
    }

    fn word(&mut self) -> &'a str {
        let start = self.pos;
        while let Some(b) = self.byte(self.pos) {
            if b == b'\\' {
                self.pos += 1;
                match self.src[self.pos..].chars().next() {
                    Some(c) if c != '\n' => self.pos += c.len_utf8(),
                    _ => {}
                }
            } else if is_delimiter(b) {
                break;
            } else {
                self.pos += 1;
            }
        }
        &self.src[start..self.pos]
    }

    fn found_at(&self, at: usize) -> String {
        self.src[at..].chars().next().map_or_else(
            || "end of file".to_owned(),
            |c| match c {
                '\n' | '\r' => "end of line".to_owned(),
                c => c.to_string(),
            },
        )
    }

    /// `NAME {, NAME} =`: the parameter head. Starts at column 1.
    fn parameter(&mut self) -> Result<Parameter, SyntaxError> {
        let offset = self.pos;
        let mut head = Vec::new();
        let mut last_name;
        loop {
            let at = self.pos;
            let name = self.word();
            if name.is_empty() {
                return Err(self.err(
                    at,
                    SyntaxErrorKind::ExpectedName {
                        found: self.found_at(at),
                    },
                ));
            }
            last_name = name.to_owned();
            head.push(Piece::Word(last_name.clone()));
            self.skip_inline_space(&mut head);
            if self.byte(self.pos) == Some(b',') {
                head.push(Piece::Punct(','));
                self.pos += 1;
                self.skip_inline_space(&mut head);
                continue;
            }
            break;
        }
        if self.byte(self.pos) != Some(b'=') {
            return Err(self.err(self.pos, SyntaxErrorKind::MissingEquals { name: last_name }));
        }
        let eq_offset = self.pos;
        head.push(Piece::Punct('='));
        self.pos += 1;
        let (value, tail) = self.value(&last_name, eq_offset)?;
        // Trivia between `=` and the value belongs to the head.
        let mut value = value;
        let lead = value
            .iter()
            .position(|p| !matches!(p, Piece::Trivia(_)))
            .unwrap_or(value.len());
        head.extend(value.drain(..lead));
        Ok(Parameter {
            offset,
            head,
            value,
            tail,
        })
    }

    /// Is the line starting at `from` (and the lines after it) a continuation? Skips blank
    /// and comment lines; returns where the continued content's line starts, or `None`
    /// when the next meaningful line starts in column 1 with a name (a new parameter) or the
    /// file ends. A parenthesis in column 1 cannot start a parameter, so it continues one.
    fn continuation_ahead(&self, mut from: usize) -> Option<usize> {
        while from < self.src.len() {
            let end = self.line_end(from);
            let line = &self.src[from..end];
            let content = line.trim_start_matches([' ', '\t', '\r']);
            if content.is_empty() || content.starts_with('\n') || content.starts_with('#') {
                from = end;
                continue;
            }
            let paren = content.starts_with(['(', ')']);
            return (content.len() < line.len() || paren).then_some(from);
        }
        None
    }

    /// The value after `=`, up to the line break that ends the parameter.
    /// Returns (value pieces with leading trivia, tail trivia).
    fn value(
        &mut self,
        name: &str,
        eq_offset: usize,
    ) -> Result<(Vec<Piece>, Vec<Piece>), SyntaxError> {
        let mut stack: Vec<Frame> = vec![Frame {
            offset: eq_offset,
            phase: Phase::Value,
            keyed: true,
            eq_offset,
            ..Frame::default()
        }];
        let mut started = false;
        loop {
            let Some(b) = self.byte(self.pos) else {
                if stack.len() > 1 {
                    let open = stack.last().map_or(0, |f| f.offset);
                    return Err(self.err(open, SyntaxErrorKind::UnclosedParen));
                }
                break;
            };
            let depth = stack.len() - 1;
            let start = self.pos;
            match b {
                b' ' | b'\t' | b'\r' => {
                    let mut space = Vec::new();
                    self.skip_inline_space(&mut space);
                    for piece in space {
                        push(&mut stack, piece);
                    }
                }
                b'#' => {
                    let end = self.src[start..]
                        .find('\n')
                        .map_or(self.src.len(), |i| start + i);
                    self.pos = end;
                    push(&mut stack, Piece::Trivia(self.src[start..end].to_owned()));
                }
                b'\n' => {
                    self.pos += 1;
                    if depth > 0 {
                        // Inside parentheses a line may start anywhere, but a word in
                        // column 1 is a new parameter: the open group was never closed.
                        if self.byte(self.pos).is_some_and(|n| {
                            !matches!(n, b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'(' | b')')
                        }) {
                            let open = stack.last().map_or(0, |f| f.offset);
                            return Err(self.err(open, SyntaxErrorKind::UnclosedParen));
                        }
                        push(&mut stack, Piece::Trivia("\n".to_owned()));
                        continue;
                    }
                    match self.continuation_ahead(self.pos) {
                        Some(next) => {
                            self.pos = next;
                            push(&mut stack, Piece::Trivia(self.src[start..next].to_owned()));
                        }
                        None if started => {
                            let mut value = stack.pop().map(|f| f.pieces).unwrap_or_default();
                            let mut tail = split_trailing_trivia(&mut value);
                            tail.push(Piece::Trivia("\n".to_owned()));
                            return Ok((value, tail));
                        }
                        None => {
                            return Err(self.err(
                                eq_offset,
                                SyntaxErrorKind::MissingValue {
                                    name: name.to_owned(),
                                },
                            ));
                        }
                    }
                }
                b'(' => {
                    if stack.len() > MAX_NESTING {
                        return Err(
                            self.err(start, SyntaxErrorKind::TooDeep { limit: MAX_NESTING })
                        );
                    }
                    self.note(&mut stack, Meaningful::Open, start)?;
                    started = true;
                    self.pos += 1;
                    stack.push(Frame {
                        offset: start,
                        is_group: true,
                        ..Frame::default()
                    });
                }
                b')' => {
                    if depth == 0 {
                        return Err(self.err(start, SyntaxErrorKind::StrayCloseParen));
                    }
                    let frame = stack.pop().unwrap_or_default();
                    let closed = self.close(frame)?;
                    self.pos += 1;
                    let parent = stack
                        .last_mut()
                        .ok_or_else(|| self.err(start, SyntaxErrorKind::StrayCloseParen))?;
                    let (group, list_word) = closed;
                    match list_word {
                        Some(word) => parent.list_child = parent.list_child.take().or(Some(word)),
                        None => parent.keyed_groups = true,
                    }
                    if parent.keyed_groups
                        && let Some((name, at)) = parent.list_child.clone()
                    {
                        return Err(self.err(at, SyntaxErrorKind::MissingEquals { name }));
                    }
                    parent.pieces.push(Piece::Group(group));
                }
                b'=' => {
                    self.note(&mut stack, Meaningful::Equals, start)?;
                    self.pos += 1;
                    push(&mut stack, Piece::Punct('='));
                }
                b',' => {
                    self.note(&mut stack, Meaningful::Comma, start)?;
                    started = true;
                    self.pos += 1;
                    push(&mut stack, Piece::Punct(','));
                }
                b'"' | b'\'' => {
                    let text = self.quoted(b)?;
                    self.note(&mut stack, Meaningful::Atom, start)?;
                    started = true;
                    push(&mut stack, Piece::Quoted(text.to_owned()));
                }
                _ => {
                    let word = self.word();
                    if word.is_empty() {
                        // Only reachable for a delimiter not handled above; never loop forever.
                        return Err(self.err(start, SyntaxErrorKind::UnexpectedEquals));
                    }
                    let word = word.to_owned();
                    if let Some(top) = stack.last_mut()
                        && top.is_group
                        && top.phase == Phase::Start
                    {
                        top.first_word = Some((word.clone(), self.pos));
                    }
                    self.note(&mut stack, Meaningful::Atom, start)?;
                    started = true;
                    push(&mut stack, Piece::Word(word));
                }
            }
        }
        if !started {
            return Err(self.err(
                eq_offset,
                SyntaxErrorKind::MissingValue {
                    name: name.to_owned(),
                },
            ));
        }
        let mut value = stack.pop().map(|f| f.pieces).unwrap_or_default();
        let tail = split_trailing_trivia(&mut value);
        Ok((value, tail))
    }

    fn quoted(&mut self, quote: u8) -> Result<&'a str, SyntaxError> {
        let start = self.pos;
        let mut i = start + 1;
        loop {
            match self.byte(i) {
                None | Some(b'\n') => {
                    return Err(self.err(start, SyntaxErrorKind::UnterminatedQuote));
                }
                Some(b'\\') => match self.src[i + 1..].chars().next() {
                    Some(c) if c != '\n' => i += 1 + c.len_utf8(),
                    _ => i += 1,
                },
                Some(b) if b == quote => {
                    self.pos = i + 1;
                    return Ok(&self.src[start..self.pos]);
                }
                Some(_) => i += 1,
            }
        }
    }

    /// Checks that a meaningful piece may come next in the innermost container.
    fn note(&self, stack: &mut [Frame], what: Meaningful, at: usize) -> Result<(), SyntaxError> {
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        match (top.phase, what) {
            (Phase::Start, Meaningful::Atom) if top.first_word.is_some() => {
                top.phase = Phase::FirstWord;
            }
            (Phase::Start, Meaningful::Atom | Meaningful::Comma) => {
                top.phase = Phase::Value;
                top.atoms = true;
            }
            (Phase::Start, Meaningful::Equals) => {
                return Err(self.err(at, SyntaxErrorKind::MissingKeyword));
            }
            (Phase::Start, Meaningful::Open) => {
                return Err(self.err(at, SyntaxErrorKind::ListHoldsGroup));
            }
            (Phase::FirstWord, Meaningful::Equals) => {
                top.phase = Phase::Value;
                top.keyed = true;
                top.eq_offset = at;
            }
            (Phase::FirstWord, Meaningful::Atom | Meaningful::Comma) => {
                top.phase = Phase::Value;
                top.atoms = true;
            }
            (Phase::FirstWord, Meaningful::Open) => {
                let (name, end) = top.first_word.clone().unwrap_or_default();
                return Err(self.err(end, SyntaxErrorKind::MissingEquals { name }));
            }
            (Phase::Value, Meaningful::Equals) => {
                return Err(self.err(at, SyntaxErrorKind::UnexpectedEquals));
            }
            (Phase::Value, Meaningful::Open) => {
                if !top.keyed {
                    return Err(self.err(at, SyntaxErrorKind::ListHoldsGroup));
                }
                if top.atoms {
                    return Err(self.err(at, SyntaxErrorKind::MixedValue));
                }
            }
            (Phase::Value, Meaningful::Atom | Meaningful::Comma) => {
                if top.keyed_groups || top.list_child.is_some() {
                    return Err(self.err(at, SyntaxErrorKind::MixedValue));
                }
                top.atoms = true;
            }
        }
        Ok(())
    }

    /// Finishes a group at its `)`; returns it and, for a keyless list, its first word.
    #[allow(clippy::type_complexity)]
    fn close(&self, frame: Frame) -> Result<(Group, Option<(String, usize)>), SyntaxError> {
        let list_word = match frame.phase {
            Phase::Start => return Err(self.err(frame.offset, SyntaxErrorKind::EmptyGroup)),
            Phase::FirstWord => frame.first_word.clone(),
            Phase::Value if frame.keyed => {
                if !frame.atoms && !frame.keyed_groups && frame.list_child.is_none() {
                    let name = frame.first_word.clone().unwrap_or_default().0;
                    return Err(self.err(frame.eq_offset, SyntaxErrorKind::MissingValue { name }));
                }
                None
            }
            // A list starting with a quoted string: point at its first character.
            Phase::Value => Some(
                frame
                    .first_word
                    .clone()
                    .unwrap_or_else(|| ("(".to_owned(), frame.offset + 1)),
            ),
        };
        let group = Group {
            offset: frame.offset,
            inner: frame.pieces,
        };
        Ok((group, list_word))
    }
}

/// Adds a piece to the innermost container; adjacent trivia is kept as one piece so a
/// line break and the next line's indentation read as one.
fn push(stack: &mut [Frame], piece: Piece) {
    let Some(top) = stack.last_mut() else {
        return;
    };
    if let (Some(Piece::Trivia(last)), Piece::Trivia(more)) = (top.pieces.last_mut(), &piece) {
        last.push_str(more);
        return;
    }
    top.pieces.push(piece);
}

fn split_trailing_trivia(value: &mut Vec<Piece>) -> Vec<Piece> {
    let keep = value
        .iter()
        .rposition(|p| !matches!(p, Piece::Trivia(_)))
        .map_or(0, |i| i + 1);
    value.split_off(keep)
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
