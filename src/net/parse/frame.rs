//! The structure rules of a value: what may follow what inside a group or a parameter's
//! value (`KEYWORD = ...`, a keyless word list, nested groups), checked as each meaningful
//! piece arrives so a mistake is reported where it starts.

use super::{Parser, SyntaxError, SyntaxErrorKind};
use crate::net::syntax::Group;
use crate::net::syntax::Piece;

/// What a container (a group, or a parameter's value) has seen so far; used to reject
/// malformed structure as soon as it appears.
#[derive(Default)]
pub(super) struct Frame {
    pub(super) offset: usize,
    pub(super) pieces: Vec<Piece>,
    pub(super) is_group: bool,
    /// Groups only: nothing meaningful yet / one word (key or list) / past that.
    pub(super) phase: Phase,
    pub(super) keyed: bool,
    pub(super) first_word: Option<(String, usize)>,
    pub(super) atoms: bool,
    pub(super) keyed_groups: bool,
    /// A keyless child group and the end of its first word: a `(KEY value)` missing its `=`.
    pub(super) list_child: Option<(String, usize)>,
    pub(super) eq_offset: usize,
}

#[derive(Default, PartialEq, Eq, Clone, Copy)]
pub(super) enum Phase {
    #[default]
    Start,
    FirstWord,
    Value,
}

pub(super) enum Meaningful {
    Atom,
    Comma,
    Equals,
    Open,
}

impl Parser<'_> {
    /// Checks that a meaningful piece may come next in the innermost container.
    pub(super) fn note(
        &self,
        stack: &mut [Frame],
        what: Meaningful,
        at: usize,
    ) -> Result<(), SyntaxError> {
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
    pub(super) fn close(
        &self,
        frame: Frame,
    ) -> Result<(Group, Option<(String, usize)>), SyntaxError> {
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
