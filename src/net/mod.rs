//! Oracle Net parameter files: a lossless parser and printer ([`syntax`], [`parse`]),
//! semantic lookups and edits ([`edit`]), generators for a TCPS listener and its clients
//! ([`sqlnet`], [`listener`], [`tnsnames`], with release-specific TLS settings in [`tls`])
//! and a lint ([`check`]).

pub mod check;
pub mod edit;
pub mod layout;
pub mod listener;
pub mod merge;
pub mod parse;
pub mod revocation;
pub mod sqlnet;
pub mod syntax;
pub mod tls;
pub mod tnsnames;

pub use edit::{EditError, Node, Upserted};
pub use layout::GenerateError;
pub use merge::{MergeError, Merged};
pub use parse::{SyntaxError, SyntaxErrorKind};
pub use syntax::{Document, Group, Item, MAX_NESTING, Parameter, Piece};
pub use tls::{KeyType, Target};
