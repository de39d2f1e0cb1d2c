//! The parser behind [`Document::parse`]: one pass over the text, an explicit stack for
//! open parentheses (no recursion), every byte placed in the tree of [`super::syntax`].

mod error;
mod frame;

pub use error::{SyntaxError, SyntaxErrorKind, line_column};
use frame::{Frame, Meaningful, Phase};

use super::syntax::{Document, Item, MAX_NESTING, Parameter, Piece};

impl Document {
    /// Parses a whole parameter file. Never panics; any input either parses (and then
    /// prints back identically) or gives one [`SyntaxError`].
    pub fn parse(text: &str) -> Result<Document, SyntaxError> {
        Parser { src: text, pos: 0 }.document()
    }
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
