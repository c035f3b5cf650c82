//! # outpost-corpus
//!
//! Synthetic corpora for scale tests and benchmarks. Articles are built from sentences of the shared
//! NER training splits (zh / es / en, see `../shared/data/ner/README.md`); a known fraction of them
//! carries a planted station report, a sentence built from templates written for this crate and
//! names from the shared gazetteer (host city and country, issuing bureau). The ids of the planted
//! articles go to a sidecar file, so recall can be measured on any corpus size.
//!
//! * [`sources`]: [`Sources::load`] reads the sentences and names from the data folder.
//! * [`generate`]: [`Generator`], a deterministic (seeded) endless stream of [`Article`]s.
//! * [`output`]: [`write_corpus`] writes `--size` bytes of them as JSONL, JSONL.gz or WARC.gz, with
//!   the planted sidecar.
//!
//! ```no_run
//! use outpost_corpus::{Generator, Options, Sources};
//! let sources = Sources::load(std::path::Path::new("../shared/data")).unwrap();
//! let first = Generator::new(&sources, Options::default()).next().unwrap();
//! assert!(!first.text.is_empty());
//! ```

pub mod error;
pub mod generate;
pub mod output;
mod rng;
pub mod sources;
mod templates;
mod warc;

pub use error::CorpusError;
pub use generate::{Article, Generator, Options, Plant};
pub use output::{parse_size, write_corpus, Format, Summary};
pub use sources::Sources;
