//! Errors of the I/O layer.

use std::path::PathBuf;
use thiserror::Error;

/// I/O errors that concern a whole file (per-record problems become `ErrorEntry`s instead).
#[derive(Debug, Error)]
pub enum IoError {
    /// A file or directory could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file could not be written or renamed into place.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A value could not be serialised.
    #[error("cannot serialise output for {path}: {source}")]
    Serialise {
        /// The output path.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
}
