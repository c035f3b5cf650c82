//! [`ReviewError`]: everything that can go wrong while reading a run directory, reading decisions or
//! writing a page or an export.

use std::path::PathBuf;

/// An error of the review and export library. Every variant names the file (and line or record
/// where there is one) so a user can find the bad input.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A line of a JSON Lines file is not valid JSON of the expected shape.
    #[error("{path}:{line}: {message}")]
    BadLine {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A required file of the run directory is missing.
    #[error("{path}: missing (is this an `outpost run` output directory?)")]
    Missing {
        /// The file that was expected.
        path: PathBuf,
    },
    /// An export could not be produced (e.g. CSV encoding failed).
    #[error("{path}: {message}")]
    Export {
        /// The output file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl ReviewError {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ReviewError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, ReviewError>;
