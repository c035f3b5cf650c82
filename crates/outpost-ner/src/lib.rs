//! # outpost-ner
//!
//! A compact entity tagger for zh, es and en, trained by outpost: a structured averaged perceptron
//! over hashed features (word shape, affixes, character n-grams, segmenter word boundaries for
//! Chinese, gazetteer membership, distributional word clusters) with BIO-constrained Viterbi
//! decoding and per-entity confidences from forward-backward marginals.
//!
//! * [`tokenize()`]: per-language tokenisation with byte ranges ([`tokenize::char_offsets`] for
//!   code points).
//! * [`train()`] → [`Model`] (perceptron by default; `TrainConfig::crf` trains a linear-chain
//!   CRF by SGD, `TrainConfig::crf_mix` adds a CRF ensemble to the perceptron's);
//!   [`Model::save`] / [`Model::load`]; [`Model::entities`] and [`Model::tag_text`].
//! * [`Scorer`]: conlleval strict F1 plus nervaluate partial/type.
//! * [`NerRecognizer`]: the [`outpost_core::Recognizer`] that maps the model's types onto
//!   PER/ORG/LOC/GOV/ADDRESS.
//! * `transformer` feature: [`transformer::TransformerRecognizer`], a rust-bert token-classification
//!   backend.
//!
//! ```no_run
//! use outpost_core::{Doc, Document, Recognizer};
//! let ner = outpost_ner::NerRecognizer::load_default()?;
//! let mut doc = Doc::new(Document::new("a", "Police in Prato said on Monday ..."));
//! doc.lang = Some("en".into());
//! for span in ner.recognize(&doc) {
//!     println!("{} {} {:.2}", span.label, span.text, span.score);
//! }
//! # Ok::<(), outpost_ner::NerError>(())
//! ```

#![warn(missing_docs)]

pub mod clusters;
mod codec;
pub mod conll;
pub mod context;
mod crf;
pub mod decode;
pub mod error;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod lang;
pub mod model;
pub mod recognizer;
pub mod score;
pub mod tags;
pub mod tokenize;
pub mod train;
#[cfg(feature = "transformer")]
pub mod transformer;

pub use conll::{read_conll, Sentence};
pub use error::NerError;
pub use features::Resources;
pub use gazetteer::Gazetteer;
pub use lang::Lang;
pub use model::{Model, TextEntity, TokenEntity};
pub use recognizer::{default_model_dir, NerRecognizer};
pub use score::{EvalReport, Scorer};
pub use tags::{LabelScheme, TagSet};
pub use tokenize::tokenize;
pub use train::{train, TrainConfig, TrainReport};

/// The shared data folder: `$OUTPOST_DATA` when set, else `../shared/data` beside the workspace
/// root this crate was built in.
pub fn data_dir() -> std::path::PathBuf {
    match std::env::var_os("OUTPOST_DATA") {
        Some(p) => p.into(),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}
