//! What a parse failure says: the [`SyntaxError`] with its line, column and offset, and
//! the kinds of mistake the grammar names.

use thiserror::Error;

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

impl SyntaxError {
    pub(super) fn at(src: &str, offset: usize, kind: SyntaxErrorKind) -> Self {
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
