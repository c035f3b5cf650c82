//! # outpost-io
//!
//! Getting documents in and results out, without losing any:
//!
//! * [`read`]: readers for JSON Lines articles (plain, `.gz`, `.zst`; field names mappable with
//!   [`FieldMap`]), WARC / WARC.gz files, HTML and text files, directory trees and globs of these,
//!   and standard input. Every input record comes out as `Ok(Document)` or as `Err(ErrorEntry)`
//!   naming the file and line or record: nothing is dropped.
//! * [`warc`]: streaming WARC reader and writer ([`warc::WarcWriter`]).
//! * [`pages`]: HTML pages and WARC records into documents (charset, main text, title, URL, date).
//! * [`charset`]: charset detection and decoding (BOM, HTTP header, `<meta>`, chardetng).
//! * [`extract`]: main-text extraction behind the [`TextExtractor`] trait (dom_smoothie by
//!   default, the minimal [`html::html_to_text`] as baseline).
//! * [`html`]: a minimal HTML-to-text conversion (title, body text, scripts and styles removed).
//! * [`write`]: [`AtomicFile`] (written under a temporary name, renamed when complete) and JSON
//!   Lines.
//! * [`checkpoint`]: [`checkpoint::PartialRun`], output files committed at durable checkpoints so an
//!   interrupted run can resume (`outpost run --resume`) with byte-identical results.
//! * [`batch`]: an ordered, bounded-memory parallel map over a document stream (rayon), so output is
//!   byte-identical for any thread count and one panicking document never stops the batch.
//!
//! ```
//! use outpost_io::read::{read_jsonl, FieldMap};
//! let input = "{\"id\":\"a\",\"text\":\"hola\"}\nnot json\n";
//! let items: Vec<_> = read_jsonl(input.as_bytes(), "mem.jsonl", &FieldMap::default()).collect();
//! assert!(items[0].is_ok());
//! let err = items[1].as_ref().unwrap_err();
//! assert_eq!(err.location.line, Some(2));
//! ```

pub mod batch;
pub mod charset;
pub mod checkpoint;
pub mod error;
pub mod extract;
pub mod html;
pub mod pages;
pub mod read;
pub mod warc;
pub mod write;

pub use error::IoError;
pub use extract::{default_extractor, Extracted, TextExtractor};
pub use pages::SkipCounts;
pub use read::{FieldMap, InputItem, Inputs};
pub use write::AtomicFile;
