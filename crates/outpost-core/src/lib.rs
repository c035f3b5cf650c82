//! # outpost-core
//!
//! The types every part of outpost shares, and nothing else:
//!
//! * [`Document`]: one input article (id, text, url, title, date, language hint and the
//!   [`SourceLocation`] it was read from).
//! * [`Doc`]: a document being analysed: the [`Document`], its detected language and the
//!   [`Span`]s that earlier components produced (spaCy's `Doc`).
//! * [`Span`]: a labelled stretch of text with **Unicode code-point offsets** into the document text
//!   (the convention of spaCy, Stanza and Label Studio). Byte offsets stay internal.
//! * [`Recognizer`]: the one seam between components: a document in, spans out. The pipeline composes
//!   recognizers the way ripgrep composes `Matcher` and `Sink`.
//! * [`StationRecord`]: a candidate record of an overseas police station, with a JSON Schema generated
//!   from the Rust types ([`record::station_record_schema`]).
//! * [`text`]: offset maps, sentence splitting and [`text::FoldedText`], a normalised copy of a text that
//!   keeps an alignment back to the original so matches on folded text report original offsets.
//!
//! ```
//! use outpost_core::{Document, Doc, Label, Span};
//! let doc = Doc::new(Document::new("a1", "警察 🚓 in Dublin"));
//! let start = doc.text().find("Dublin").unwrap();
//! let span = doc.span_from_bytes(start, start + 6, Label::City, "example");
//! assert_eq!((span.start, span.end), (8, 14));
//! assert_eq!(span.text, "Dublin");
//! ```

pub mod doc;
pub mod document;
pub mod error;
pub mod paths;
pub mod recognizer;
pub mod record;
pub mod span;
pub mod text;

pub use doc::Doc;
pub use document::{Document, SourceLocation};
pub use error::CoreError;
pub use recognizer::Recognizer;
pub use record::{
    Address, ArticleSummary, Bureau, City, DateMention, ErrorEntry, Evidence, Person, StationRecord,
};
pub use span::{Label, Span};
