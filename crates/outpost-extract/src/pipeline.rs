//! The [`Pipeline`]: language detection, recognizers in order, record assembly.

use crate::assemble::{assemble_with_features, PlaceInfo, PlaceLookup};
use crate::logistic::Logistic;
use outpost_core::{ArticleSummary, Doc, Document, Recognizer, Span, StationRecord};
use std::collections::BTreeMap;
use std::sync::Arc;

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
    /// True when the pre-filter ruled the article out: no recognizer ran, relevance is 0 and the
    /// language came from the pre-filter's quick detector (see [`PipelineBuilder::prefilter`]).
    pub screened_out: bool,
}

/// A language detector: text in, ISO 639-1 code (or `None`) and confidence out.
pub type LanguageFn = dyn Fn(&str) -> (Option<String>, f32) + Send + Sync;

/// A pre-filter: article text in, `true` when the article could report a station (so the
/// recognizers must run), `false` when it certainly cannot.
pub type PrefilterFn = dyn Fn(&str) -> bool + Send + Sync;

/// A pre-filter and the cheaper language detector used on the articles it rejects.
struct Screen {
    check: Arc<PrefilterFn>,
    detector: Box<LanguageFn>,
}

struct NoPlaces;
impl PlaceLookup for NoPlaces {
    fn place(&self, _id: &str) -> Option<PlaceInfo> {
        None
    }
}

/// Builds a [`Pipeline`]. Defaults: outpost-lang language detection ([`crate::lang::detect`]), no
/// pre-filter, no recognizers, no place lookup.
pub struct PipelineBuilder {
    recognizers: Vec<Box<dyn Recognizer>>,
    places: Box<dyn PlaceLookup>,
    versions: BTreeMap<String, String>,
    detector: Box<LanguageFn>,
    scorer: Option<Logistic>,
    screen: Option<Screen>,
}

impl PipelineBuilder {
    /// Sets a pre-filter. Articles it rejects skip every recognizer and assembly: they get
    /// relevance 0, no records, and the language `quick_detector` gives (language detection is
    /// the costliest step left for them, so a cheaper detector may serve, e.g. one reading only
    /// the start of the text). The pre-filter must accept every article that could yield a
    /// station-term span, or records are lost.
    pub fn prefilter(
        mut self,
        check: impl Fn(&str) -> bool + Send + Sync + 'static,
        quick_detector: impl Fn(&str) -> (Option<String>, f32) + Send + Sync + 'static,
    ) -> Self {
        self.screen = Some(Screen {
            check: Arc::new(check),
            detector: Box::new(quick_detector),
        });
        self
    }

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
            screen: self.screen,
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
    screen: Option<Screen>,
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
            screen: None,
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

    /// Whether a pre-filter is set.
    pub fn has_prefilter(&self) -> bool {
        self.screen.is_some()
    }

    /// The pre-filter's check, when one is set, e.g. to screen web pages on their whole text
    /// before the costly main-text extraction (`outpost_io::extract::ScreenedExtractor`).
    pub fn prefilter_check(&self) -> Option<Arc<PrefilterFn>> {
        self.screen.as_ref().map(|s| s.check.clone())
    }

    /// Detects the language of `text`, falling back to the document's own hint when the detector
    /// is unsure or disagrees weakly.
    fn language(detector: &LanguageFn, text: &str, hint: Option<&str>) -> (Option<String>, f32) {
        let (lang, conf) = detector(text);
        let lang = match (lang, hint) {
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
        (lang, conf)
    }

    /// Runs the pipeline on one document. Never fails; an empty text gives no spans and no records.
    /// With a pre-filter, a document its reader marked `screened_out` (the same pre-filter already
    /// ruled this text out) is not checked again.
    pub fn process(&self, document: Document) -> DocOutput {
        if let Some(screen) = &self.screen {
            // A reader that ran this pre-filter on this very text already said no.
            if document.screened_out || !(screen.check)(&document.text) {
                let (lang, _) = Self::language(
                    screen.detector.as_ref(),
                    &document.text,
                    document.lang.as_deref(),
                );
                let summary = ArticleSummary {
                    id: document.id.clone(),
                    lang,
                    relevance: 0.0,
                    records: 0,
                };
                return DocOutput {
                    document,
                    summary,
                    records: Vec::new(),
                    spans: Vec::new(),
                    features: Vec::new(),
                    screened_out: true,
                };
            }
        }
        let mut doc = Doc::new(document);
        let (lang, conf) = Self::language(
            self.detector.as_ref(),
            doc.text(),
            doc.document.lang.as_deref(),
        );
        doc.lang = lang;
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
            screened_out: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::{Label, Span};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Marks every occurrence of "comisaría" as a station term and counts its calls.
    struct Counting(Arc<AtomicUsize>);
    impl Recognizer for Counting {
        fn name(&self) -> &str {
            "counting"
        }
        fn recognize(&self, doc: &Doc) -> Vec<Span> {
            self.0.fetch_add(1, Ordering::SeqCst);
            doc.text()
                .match_indices("comisaría")
                .map(|(b, m)| {
                    let mut s = doc.span_from_bytes(b, b + m.len(), Label::StationTerm, "counting");
                    s.score = 0.9;
                    s
                })
                .collect()
        }
    }

    #[test]
    fn prefilter_skips_recognizers_and_keeps_the_language() {
        let calls = Arc::new(AtomicUsize::new(0));
        let p = Pipeline::builder()
            .recognizer(Counting(calls.clone()))
            .prefilter(|t: &str| t.contains("comisar"), crate::lang::detect)
            .build();
        assert!(p.has_prefilter());
        let out = p.process(Document::new(
            "neg",
            "El Real Madrid ganó el partido de anoche en el estadio.",
        ));
        assert!(out.screened_out);
        assert_eq!(out.summary.relevance, 0.0);
        assert_eq!(out.summary.lang.as_deref(), Some("es"));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        let out = p.process(Document::new(
            "pos",
            "La policía investiga una comisaría china en Madrid.",
        ));
        assert!(!out.screened_out);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(out.summary.relevance >= 0.5);
        // A reader's verdict on the same text is trusted (no second check) when a pre-filter is
        // set, and ignored without one.
        let mut marked = Document::new(
            "marked",
            "La policía investiga una comisaría china en Madrid.",
        );
        marked.screened_out = true;
        let out = p.process(marked.clone());
        assert!(out.screened_out);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let plain = Pipeline::builder()
            .recognizer(Counting(calls.clone()))
            .build();
        assert!(!plain.process(marked).screened_out);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
