//! # outpost-review
//!
//! Human review of outpost's output and exports for the tools reviewers and registries already use.
//!
//! * [`rundir::RunOutput::read`] reads an `outpost run` directory (`candidates.jsonl`, plus
//!   `articles.jsonl`, `documents.jsonl`, `manifest.json` when present);
//!   [`rundir::read_stations`] reads `outpost link`'s `stations.jsonl`.
//! * [`page::render_records`] / [`page::render_stations`] build the self-contained review page
//!   (inline CSS/JS, strict CSP, no network, data as script-safe JSON rendered with `textContent`).
//! * [`decision`] defines the review-decision JSON Lines format the page downloads, its reader
//!   ([`decision::read_decisions`]) and [`decision::apply_decisions`], which turns decisions into
//!   accepted / rejected / corrected records; [`key`] defines the record keys decisions use.
//! * [`export::export`] writes JSON Lines, CSV (RFC 4180), GeoJSON (RFC 7946) or Label Studio tasks.
//! * [`fixture`] builds synthetic run outputs (mixed scripts, hostile markup) for tests and the
//!   browser test.

#![warn(missing_docs)]

pub mod decision;
pub mod error;
pub mod export;
pub mod fixture;
pub mod key;
pub mod page;
pub mod rundir;
pub mod safe;

pub use decision::{
    accepted_records, apply_decisions, read_decisions, Decision, ReviewStats, ReviewStatus,
    Reviewed, Verdict,
};
pub use error::{Result, ReviewError};
pub use export::{export, ExportOptions, ExportSummary, Format};
pub use key::{record_keys, RecordKey};
pub use page::{render_records, render_stations, PageOptions};
pub use rundir::{read_stations, DocumentSet, DocumentText, RunOutput};
