//! Errors of corpus generation.

use std::path::PathBuf;
use thiserror::Error;

/// Why a corpus could not be generated.
#[derive(Debug, Error)]
pub enum CorpusError {
    /// A data file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A data file holds nothing usable (no sentences, no cities).
    #[error("{path}: {what}")]
    Empty {
        /// The file.
        path: PathBuf,
        /// What is missing.
        what: String,
    },
    /// The output could not be written.
    #[error(transparent)]
    Write(#[from] outpost_io::IoError),
    /// A bad argument (size, rate, format).
    #[error("{0}")]
    Invalid(String),
}
