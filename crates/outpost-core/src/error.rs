//! Errors of the core types.

use thiserror::Error;

/// Errors raised by core helpers.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CoreError {
    /// A byte offset did not fall on a UTF-8 character boundary of the text.
    #[error("byte offset {offset} is not on a character boundary (text length {len} bytes)")]
    NotCharBoundary {
        /// The offending byte offset.
        offset: usize,
        /// The text length in bytes.
        len: usize,
    },
    /// A code-point range lies outside the text or is reversed.
    #[error("code-point range {start}..{end} is invalid for a text of {len} code points")]
    BadRange {
        /// Start offset (code points).
        start: usize,
        /// End offset (code points).
        end: usize,
        /// Text length in code points.
        len: usize,
    },
}
