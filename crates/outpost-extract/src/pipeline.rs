//! The [`Pipeline`]: language detection, recognizers in order, record assembly.

use crate::assemble::{assemble_with_features, PlaceInfo, PlaceLookup};
use crate::logistic::Logistic;
use outpost_core::{ArticleSummary, Doc, Document, Recognizer, Span, StationRecord};
use std::collections::BTreeMap;

/// Everything the pipeline produced for one document.
#[derive(Debug, Clone)]
pub struct DocOutput {
    /// The input document (text included), for writers that need it.
    pub document: Document,
    /// The line for `articles.jsonl`.
    pub summary: ArticleSummary,
    /// Candidate records.
    pub records: Vec<StationRecord>,
    /// All spans the recognizers produced, in component order.
    pub spans: Vec<Span>,
    /// One feature row per record (see [`crate::assemble::FEATURES`]), for training the scorer.
    pub features: Vec<Vec<f64>>,
}

/// A language detector: text in, ISO 639-1 code (or `None`) and confidence out.
pub type LanguageFn = dyn Fn(&str) -> (Option<String>, f32) + Send + Sync;

struct NoPlaces;
impl PlaceLookup for NoPlaces {
    fn place(&self, _id: &str) -> Option<PlaceInfo> {
        None
    }
}

/// Builds a [`Pipeline`]. Defaults: whatlang language detection, no recognizers, no place lookup.
pub struct PipelineBuilder {
    recognizers: Vec<Box<dyn Recognizer>>,
    places: Box<dyn PlaceLookup>,
    versions: BTreeMap<String, String>,
    detector: Box<LanguageFn>,
    scorer: Option<Logistic>,
}

impl PipelineBuilder {
    /// Sets the learned record scorer (its probability becomes each record's confidence).
    pub fn scorer(mut self, model: Logistic) -> Self {
        self.scorer = Some(model);
        self
    }

    /// Appends a recognizer; recognizers run in the order added and each sees earlier spans.
    pub fn recognizer(mut self, r: impl Recognizer + 'static) -> Self {
        self.recognizers.push(Box::new(r));
        self
    }

    /// Appends a boxed recognizer.
    pub fn boxed_recognizer(mut self, r: Box<dyn Recognizer>) -> Self {
        self.recognizers.push(r);
        self
    }

    /// Sets the place lookup used to resolve city ids.
    pub fn places(mut self, p: impl PlaceLookup + 'static) -> Self {
        self.places = Box::new(p);
        self
    }

    /// Replaces the language detector (text → ISO 639-1 code and confidence).
    pub fn detector(
        mut self,
        d: impl Fn(&str) -> (Option<String>, f32) + Send + Sync + 'static,
    ) -> Self {
        self.detector = Box::new(d);
        self
    }

    /// Records a model/table version for the manifest.
    pub fn model_version(mut self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.versions.insert(name.into(), version.into());
        self
    }

    /// Finishes the pipeline.
    pub fn build(self) -> Pipeline {
        Pipeline {
            recognizers: self.recognizers,
            places: self.places,
            versions: self.versions,
            detector: self.detector,
            scorer: self.scorer,
        }
    }
}

/// The document pipeline, built once and shared by all worker threads.
pub struct Pipeline {
    recognizers: Vec<Box<dyn Recognizer>>,
    places: Box<dyn PlaceLookup>,
    versions: BTreeMap<String, String>,
    detector: Box<LanguageFn>,
    scorer: Option<Logistic>,
}

impl Pipeline {
    /// A builder with defaults.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder {
            recognizers: Vec::new(),
            places: Box::new(NoPlaces),
            versions: BTreeMap::new(),
            detector: Box::new(crate::lang::detect),
            scorer: None,
        }
    }

    /// Names of the recognizers in run order.
    pub fn components(&self) -> Vec<String> {
        self.recognizers
            .iter()
            .map(|r| r.name().to_string())
            .collect()
    }

    /// Model and table versions, for the manifest.
    pub fn versions(&self) -> &BTreeMap<String, String> {
        &self.versions
    }

    /// Runs the pipeline on one document. Never fails; an empty text gives no spans and no records.
    pub fn process(&self, document: Document) -> DocOutput {
        let mut doc = Doc::new(document);
        let (lang, conf) = (self.detector)(doc.text());
        doc.lang = match (lang, doc.document.lang.as_deref()) {
            (Some(l), Some(hint)) if conf < 0.5 => {
                if l == hint {
                    Some(l)
                } else {
                    Some(hint.to_string())
                }
            }
            (Some(l), _) => Some(l),
            (None, hint) => hint.map(str::to_string),
        };
        doc.lang_confidence = conf;
        for r in &self.recognizers {
            let spans = r.recognize(&doc);
            doc.add_spans(spans);
        }
        let (relevance, mut records, features) = assemble_with_features(&doc, self.places.as_ref());
        if let Some(m) = &self.scorer {
            for (r, f) in records.iter_mut().zip(&features) {
                r.confidence = m.predict(f) as f32;
            }
        }
        let summary = ArticleSummary {
            id: doc.id().to_string(),
            lang: doc.lang.clone(),
            relevance,
            records: records.len(),
        };
        let Doc {
            document, spans, ..
        } = doc;
        DocOutput {
            document,
            summary,
            records,
            spans,
            features,
        }
    }
}
