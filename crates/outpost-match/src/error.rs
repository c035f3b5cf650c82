//! Errors of the matcher crate.

use std::path::PathBuf;
use thiserror::Error;

/// Errors raised while compiling or loading the match tables, or reading evaluation files.
#[derive(Debug, Error)]
pub enum MatchError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A record of a table or input file is malformed.
    #[error("{path}:{line}: {reason}")]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The pattern automaton could not be built.
    #[error("building the pattern automaton failed: {0}")]
    Automaton(String),
}

impl MatchError {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        MatchError::Io {
            path: path.into(),
            source,
        }
    }

    /// A malformed record at `path:line`.
    pub fn bad(path: impl Into<PathBuf>, line: usize, reason: impl Into<String>) -> Self {
        MatchError::BadRecord {
            path: path.into(),
            line,
            reason: reason.into(),
        }
    }
}
