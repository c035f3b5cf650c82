//! [`Document`]: one input article as read, and where it came from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a document was read from: a file plus a line number (JSON Lines), a record number
/// (archives) or neither (one file is one document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct SourceLocation {
    /// Path of the input file as given on the command line, or `-` for standard input.
    pub file: String,
    /// 1-based line number for JSON Lines inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based record number for record-oriented inputs (e.g. WARC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl SourceLocation {
    /// A location naming a whole file.
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            record: None,
        }
    }

    /// A location naming one line of a file.
    pub fn line(file: impl Into<String>, line: u64) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            record: None,
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(r) = self.record {
            write!(f, "#{r}")?;
        }
        Ok(())
    }
}

/// One input article.
///
/// `text` is the article body as Unicode text. All offsets that outpost reports about a document
/// are code-point offsets into this `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Identifier, unique within a run (taken from the input, or derived from file and line).
    pub id: String,
    /// Article body.
    pub text: String,
    /// Source URL, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Publication date as given by the input (ideally ISO 8601, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Language hint from the input (ISO 639-1), not trusted over detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Where the document was read from.
    #[serde(default)]
    pub source: SourceLocation,
    /// True when the reader already ran the pipeline's pre-filter on exactly this `text` and it
    /// ruled the article out (`outpost_io::extract::ScreenedExtractor`); a pipeline with a
    /// pre-filter then skips its own check. Never read from or written to JSON: input cannot set it.
    #[serde(skip)]
    #[schemars(skip)]
    pub screened_out: bool,
}

impl Document {
    /// A document with just an id and a text; every other field empty.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            text: text.into(),
            url: None,
            title: None,
            date: None,
            lang: None,
            source: SourceLocation::default(),
            screened_out: false,
        }
    }
}
