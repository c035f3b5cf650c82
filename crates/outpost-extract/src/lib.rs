//! # outpost-extract
//!
//! Turns one [`outpost_core::Document`] into candidate [`outpost_core::StationRecord`]s.
//!
//! Data flows one way: detect the language → run the [`outpost_core::Recognizer`]s in order (each
//! sees the spans of those before it) → [`assemble`] records from the spans. The [`Pipeline`] is
//! built once and shared by all threads; [`Pipeline::process`] handles one document.
//!
//! ```
//! use outpost_extract::{Pipeline, PlaceLookup, PlaceInfo};
//! struct NoPlaces;
//! impl PlaceLookup for NoPlaces {
//!     fn place(&self, _id: &str) -> Option<PlaceInfo> { None }
//! }
//! let pipeline = Pipeline::builder().places(NoPlaces).build();
//! let out = pipeline.process(outpost_core::Document::new("a", "Nothing to see here."));
//! assert!(out.records.is_empty());
//! assert_eq!(out.summary.lang.as_deref(), Some("en"));
//! ```

pub mod assemble;
pub mod dates;
pub mod fields;
pub mod lang;
pub mod link;
pub mod logistic;
pub mod names;
pub mod pipeline;
pub mod standard;

pub use assemble::{assemble, PlaceInfo, PlaceLookup};
pub use pipeline::{DocOutput, Pipeline, PipelineBuilder};
