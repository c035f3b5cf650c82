//! [`NerError`]: everything the tagger can fail with.

use std::path::PathBuf;
use thiserror::Error;

/// Errors raised while reading data, training, saving or loading a model.
#[derive(Debug, Error)]
pub enum NerError {
    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A malformed line in a CoNLL or gazetteer file.
    #[error("{path}:{line}: {msg}")]
    Format {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// A model file that is not an outpost NER model, or is truncated or corrupt.
    #[error("{path}: not a valid outpost NER model: {msg}")]
    BadModel {
        /// The file involved.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// An unsupported language code.
    #[error("unsupported language {0:?} (expected zh, es or en)")]
    Lang(String),
    /// Training was asked to run on no sentences or on sentences without any entity type.
    #[error("cannot train: {0}")]
    Train(String),
    /// An error of the transformer backend.
    #[error("transformer backend: {0}")]
    Transformer(String),
}

impl NerError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        NerError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, NerError>;
