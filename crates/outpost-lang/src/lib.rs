//! # outpost-lang
//!
//! Language identification for outpost: as fast as whatlang, more accurate than lingua on the
//! project's languages, with Simplified/Traditional Chinese told apart and mixed-language documents
//! split into segments.
//!
//! ```
//! use outpost_lang::{Detector, Lang};
//! let detector = Detector::new().unwrap();
//! let r = detector.detect("La policía investiga una comisaría en Madrid.");
//! assert_eq!(r.lang, Some(Lang::Es));
//! assert_eq!(detector.detect("海外警務服務站").tag(), "zh-Hant");
//! let a = detector.analyze("El empresario Wang Wei (王伟) dijo que la asociación de Prato no es una comisaría.");
//! assert_eq!(a.primary.tag(), "es");
//! assert!(a.languages.iter().any(|s| s.tag == "zh-Hans"));
//! ```
//!
//! How it works: the script of the letters picks the candidate languages (Cyrillic, Arabic, hangul
//! decide alone; kana makes Han text Japanese); among several candidates a compact character
//! n-gram model (orders 1..=5, stupid backoff) derived from lingua's language models, with
//! accent-stripped text mixed into every Latin-script language (archives lose diacritics: URLs,
//! headlines, OCR, ASCII-only feeds; see `train::mix_stripped`, feature `compare`), picks one, and
//! its posterior, with a softmax temperature fitted on training text, is the confidence. Chinese
//! results carry `zh-Hans`/`zh-Hant` from OpenCC's variant characters.
//!
//! whatlang is not a stage of the detector: measured on the shared sentences, the n-gram stage
//! alone is faster than whatlang (about 0.6x its time) and more accurate on every granularity, so a
//! whatlang first pass would only add time and its confident mistakes. whatlang stays the speed and
//! accuracy baseline in [`eval`] and in the `langid` bench.
//!
//! Module [`mod@reference`] keeps the earlier scoring path (before the lazy n-gram lookups and the
//! cache-friendly table) as the oracle of the exactness tests (`tests/same_detections.rs`) and the
//! baseline of the `langid` bench: every detection of the current code equals it bit for bit.
//!
//! Feature `compare` adds lingua (as a baseline), the Traditional-Chinese test-set generator and the
//! builder of the shipped tables (module `train`); the default build needs neither lingua nor OpenCC.

pub mod detector;
pub mod error;
pub mod hanzi;
pub mod lang;
pub mod ngram;
pub mod reference;
pub mod script;
pub mod segment;
pub mod text;
#[cfg(feature = "compare")]
pub mod train;

pub use detector::{Detection, Detector, DetectorBuilder};
pub use error::LangError;
pub use hanzi::{HanVariants, ZhVariant};
pub use lang::Lang;
pub use script::Script;
pub use segment::{Analysis, LanguageShare, Segment};
#[cfg(feature = "compare")]
pub mod compare;
pub mod eval;
