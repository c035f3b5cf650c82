//! The standard pipeline: outpost's own detector, matchers, date recognizer, entity tagger and
//! address detector, loaded from the shipped models.

use crate::dates::DateRecognizer;
use crate::{Pipeline, PlaceInfo, PlaceLookup};
use outpost_core::{Doc, Recognizer, Span};
use outpost_match::Matchers;
use std::path::Path;
use std::sync::Arc;
use thiserror::Error;

/// Errors building the standard pipeline.
#[derive(Debug, Error)]
pub enum SetupError {
    /// The matcher tables could not be loaded.
    #[error("loading matcher tables from {dir}: {source}")]
    Match {
        /// The directory.
        dir: String,
        /// The cause.
        source: outpost_match::MatchError,
    },
    /// The language detector could not be built.
    #[error("loading the language detector: {0}")]
    Lang(String),
    /// The record scorer could not be loaded.
    #[error("loading the record scorer: {0}")]
    Scorer(String),
    /// The address parser's compiled tables could not be loaded.
    #[error("loading address tables from {dir}: {reason}")]
    Address {
        /// The directory.
        dir: String,
        /// The cause.
        reason: String,
    },
    /// The entity tagger models could not be loaded.
    #[error("loading entity tagger models from {dir}: {reason}")]
    Ner {
        /// The directory.
        dir: String,
        /// The cause.
        reason: String,
    },
}

/// Which optional components to include.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Use `models/scorer.json` when present (off when training it).
    pub scorer: bool,
    /// Run the entity tagger (people, organisations) on relevant articles.
    pub ner: bool,
    /// Run the address detector on relevant articles (tables from `models/address`).
    pub addresses: bool,
    /// Run [`outpost_match::Prefilter`] first: articles without a station term or a Chinese
    /// public-security bureau skip every recognizer (their output is the same: relevance 0, no
    /// records), and their language comes from the quick detector
    /// ([`crate::lang::ArticleLanguage::detect_quick`]).
    pub prefilter: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            scorer: true,
            ner: true,
            addresses: true,
            prefilter: true,
        }
    }
}

struct MatchPlaces(Arc<Matchers>);

impl PlaceLookup for MatchPlaces {
    fn place(&self, id: &str) -> Option<PlaceInfo> {
        self.0.places().place_info(id).map(|p| PlaceInfo {
            name_en: p.name_en,
            country: p.country,
            geonames_id: Some(u64::from(p.geonames_id)),
            lat: Some(f64::from(p.lat)),
            lon: Some(f64::from(p.lon)),
        })
    }
}

/// Runs an inner recognizer only on documents that already have a station term scoring ≥ 0.5
/// (the expensive taggers skip the vast majority of an archive that cannot report a station).
struct OnlyRelevant<R>(R);

impl<R: Recognizer> Recognizer for OnlyRelevant<R> {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        let relevant = doc
            .spans_with(outpost_core::Label::StationTerm)
            .any(|s| s.score >= 0.5);
        if relevant {
            self.0.recognize(doc)
        } else {
            Vec::new()
        }
    }
}

/// Builds the standard pipeline from `models` (the directory holding `match/`, `ner/` and the
/// language tables). Errors name the component and directory that failed.
pub fn build(models: &Path, opts: Options) -> Result<Pipeline, SetupError> {
    let match_dir = models.join("match");
    let matchers = Arc::new(
        Matchers::load(&match_dir).map_err(|source| SetupError::Match {
            dir: match_dir.display().to_string(),
            source,
        })?,
    );
    let language = crate::lang::ArticleLanguage::new().map_err(SetupError::Lang)?;
    let quick = language.clone();
    let mut b = Pipeline::builder()
        .detector(move |text: &str| language.detect(text))
        .recognizer(matchers.clone())
        .recognizer(DateRecognizer::new())
        .places(MatchPlaces(matchers.clone()))
        .model_version("langid", "outpost-lang n-gram (models/langid-ngrams.bin)")
        .model_version("match", "models/match");
    if opts.prefilter {
        let pre = outpost_match::Prefilter::from_matchers(&matchers).map_err(|source| {
            SetupError::Match {
                dir: match_dir.display().to_string(),
                source,
            }
        })?;
        b = b
            .prefilter(
                move |text: &str| pre.check(text),
                move |text: &str| quick.detect_quick(text),
            )
            .model_version("prefilter", "outpost-match Prefilter over models/match");
    }
    if opts.ner {
        let dir = models.join("ner");
        let ner = outpost_ner::NerRecognizer::load_dir(&dir).map_err(|e| SetupError::Ner {
            dir: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        b = b
            .recognizer(OnlyRelevant(ner))
            .model_version("ner", "models/ner/{zh,es,en}.bin");
    }
    if opts.addresses {
        let dir = models.join("address");
        let parser =
            outpost_address::AddressParser::load_dir(&dir).map_err(|e| SetupError::Address {
                dir: dir.display().to_string(),
                reason: e.to_string(),
            })?;
        b = b
            .recognizer(OnlyRelevant(outpost_address::AddressDetector::new(parser)))
            .model_version("address", "rules + models/address");
    }
    let scorer_path = models.join("scorer.json");
    if let Some(text) = opts
        .scorer
        .then(|| std::fs::read_to_string(&scorer_path).ok())
        .flatten()
    {
        let m = crate::logistic::Logistic::load_json(
            &text,
            &scorer_path.display().to_string(),
            crate::assemble::FEATURES,
        )
        .map_err(|e| SetupError::Scorer(e.to_string()))?;
        b = b.scorer(m).model_version("scorer", "models/scorer.json");
    }
    Ok(b.build())
}
