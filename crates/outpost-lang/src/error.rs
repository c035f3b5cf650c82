//! [`LangError`]: what can go wrong in outpost-lang.

/// Errors of the language detector and its evaluation.
#[derive(Debug, thiserror::Error)]
pub enum LangError {
    /// A shipped model table could not be parsed.
    #[error("bad model: {0}")]
    Model(String),
    /// A language code the detector does not know.
    #[error("unknown language code {0:?}")]
    UnknownLanguage(String),
    /// The builder was given no language.
    #[error("the detector needs at least one language")]
    NoLanguages,
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A file's content is malformed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}
