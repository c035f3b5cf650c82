//! [`NerRecognizer`]: the tagger behind outpost's [`Recognizer`] trait.

use crate::error::Result;
use crate::lang::Lang;
use crate::model::Model;
use crate::tags::label_of;
use crate::tokenize::tokenize;
use outpost_core::{Doc, Label, Recognizer, Span};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The shipped models folder: `$OUTPOST_MODELS/ner` when `OUTPOST_MODELS` is set, else
/// `models/ner` of the workspace this crate was built in.
pub fn default_model_dir() -> PathBuf {
    match std::env::var_os("OUTPOST_MODELS") {
        Some(p) => PathBuf::from(p).join("ner"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ner"),
    }
}

/// Head words that make an en/es `ORG` a government body (CoNLL has no GOV type): matched as whole
/// lower-cased words of the span.
const GOV_HEADS: &[&str] = &[
    "police",
    "ministry",
    "bureau",
    "embassy",
    "consulate",
    "government",
    "parliament",
    "congress",
    "senate",
    "army",
    "navy",
    "prosecutor",
    "prosecutors",
    "court",
    "cabinet",
    "policía",
    "policia",
    "ministerio",
    "embajada",
    "consulado",
    "gobierno",
    "ayuntamiento",
    "congreso",
    "senado",
    "fiscalía",
    "fiscalia",
    "juzgado",
    "tribunal",
    "ejército",
    "ejercito",
    "comisaría",
    "guardia",
    "mossos",
    "ertzaintza",
    "carabinieri",
    "polizia",
    "questura",
];

/// True when an en/es organisation name contains a government head word.
pub fn is_government_name(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| !w.is_empty() && GOV_HEADS.contains(&w.to_lowercase().as_str()))
}

/// Finds PER/ORG/LOC/GOV/ADDRESS spans (and MISC when asked) with one model per language, chosen
/// by the document's language. The sentences of a document are tagged as one run (a two-stage
/// model sees how the other sentences were tagged); spans carry
/// code-point offsets into the document text and the entity confidence as score. For en/es,
/// whose training data has no GOV type, an `ORG` whose name contains a government head word
/// (police, ministry, bureau, embassy, policía, ministerio, embajada, …) is reported as `GOV`.
#[derive(Debug, Clone)]
pub struct NerRecognizer {
    models: HashMap<Lang, Arc<Model>>,
    keep_misc: bool,
}

impl NerRecognizer {
    /// A recognizer with the given models (one per language; a later model replaces an earlier one
    /// of the same language).
    pub fn new(models: impl IntoIterator<Item = Model>) -> Self {
        Self {
            models: models
                .into_iter()
                .map(|m| (m.lang(), Arc::new(m)))
                .collect(),
            keep_misc: false,
        }
    }

    /// Loads `zh.bin`, `es.bin` and `en.bin` from `dir`, skipping missing files. Returns an error for
    /// a file that exists but cannot be read as a model.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let mut models = Vec::new();
        for lang in [Lang::Zh, Lang::Es, Lang::En] {
            let p = dir.join(format!("{}.bin", lang.code()));
            if p.exists() {
                models.push(Model::load(&p)?);
            }
        }
        Ok(Self::new(models))
    }

    /// Loads the shipped models from [`default_model_dir`].
    pub fn load_default() -> Result<Self> {
        Self::load_dir(&default_model_dir())
    }

    /// Also report MISC spans (titles, works, products, nationalities), off by default.
    pub fn with_misc(mut self, keep: bool) -> Self {
        self.keep_misc = keep;
        self
    }

    /// The languages with a model.
    pub fn languages(&self) -> Vec<Lang> {
        let mut v: Vec<Lang> = self.models.keys().copied().collect();
        v.sort_by_key(|l| l.code());
        v
    }

    fn model_for(&self, doc: &Doc) -> Option<&Model> {
        let lang = doc
            .lang
            .as_deref()
            .or(doc.document.lang.as_deref())
            .and_then(|l| l.parse::<Lang>().ok());
        match lang {
            Some(l) => self.models.get(&l).map(|m| m.as_ref()),
            None if self.models.len() == 1 => self.models.values().next().map(|m| m.as_ref()),
            None => None,
        }
    }
}

impl Recognizer for NerRecognizer {
    fn name(&self) -> &str {
        "ner"
    }

    /// Tags every sentence with the model of the document's language (`doc.lang`, else the
    /// document's language hint); a document in a language without a model yields no spans.
    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        let Some(model) = self.model_for(doc) else {
            return Vec::new();
        };
        let text = doc.text();
        // tokens of every sentence (byte ranges into the document), tagged as one run so that a
        // two-stage model sees the whole document
        let mut sents: Vec<Vec<Range<usize>>> = Vec::new();
        for range in doc.sentence_bytes() {
            let Some(sentence) = text.get(range.clone()) else {
                continue;
            };
            let toks: Vec<Range<usize>> = tokenize(sentence, model.lang())
                .into_iter()
                .map(|r| range.start + r.start..range.start + r.end)
                .collect();
            if !toks.is_empty() {
                sents.push(toks);
            }
        }
        let words: Vec<Vec<&str>> = sents
            .iter()
            .map(|s| s.iter().map(|r| &text[r.clone()]).collect())
            .collect();
        let mut out = Vec::new();
        for (toks, ents) in sents.iter().zip(model.entities_doc(&words)) {
            for e in ents {
                let (b0, b1) = (toks[e.start].start, toks[e.end - 1].end);
                let mut label = label_of(&e.ty);
                if label == Label::Misc && !self.keep_misc {
                    continue;
                }
                if label == Label::Org
                    && model.lang() != Lang::Zh
                    && is_government_name(&text[b0..b1])
                {
                    label = Label::Gov;
                }
                let span = doc
                    .span_from_bytes(b0, b1, label, self.name())
                    .with_score(e.score);
                out.push(span);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll::Sentence;
    use crate::features::Resources;
    use crate::train::{train, TrainConfig};
    use outpost_core::Document;

    fn tiny_model() -> Model {
        let names = ["Ana", "Luis", "Marta", "Pablo"];
        let places = ["Madrid", "Prato", "Lima", "Quito"];
        let mut data = Vec::new();
        for n in names {
            for p in places {
                data.push(Sentence {
                    tokens: vec![n.into(), "vive".into(), "en".into(), p.into(), ".".into()],
                    tags: vec![
                        "B-PER".into(),
                        "O".into(),
                        "O".into(),
                        "B-LOC".into(),
                        "O".into(),
                    ],
                });
            }
        }
        let cfg = TrainConfig {
            epochs: 5,
            bits: 14,
            ..TrainConfig::default()
        };
        train(Lang::Es, &data, &data[..4], Resources::default(), &cfg)
            .unwrap()
            .0
    }

    #[test]
    fn spans_have_code_point_offsets_into_the_document() {
        let rec = NerRecognizer::new([tiny_model()]);
        let text = "¡Olé! 👩‍👩‍👧 José. Marta vive en Quito.";
        let mut doc = Doc::new(Document::new("d", text));
        doc.lang = Some("es".into());
        let spans = rec.recognize(&doc);
        let found: Vec<(&str, Label)> = spans.iter().map(|s| (s.text.as_str(), s.label)).collect();
        assert!(found.contains(&("Marta", Label::Per)), "{found:?}");
        assert!(found.contains(&("Quito", Label::Loc)), "{found:?}");
        for s in &spans {
            let via: String = text.chars().skip(s.start).take(s.end - s.start).collect();
            assert_eq!(via, s.text);
            assert!(s.score > 0.0 && s.score <= 1.0);
            assert_eq!(s.source, "ner");
        }
        // a language without a model yields nothing
        doc.lang = Some("zh".into());
        assert!(rec.recognize(&doc).is_empty());
        // empty and blank documents are fine
        for t in ["", "   \n\t "] {
            let mut d = Doc::new(Document::new("e", t));
            d.lang = Some("es".into());
            assert!(rec.recognize(&d).is_empty());
        }
    }

    #[test]
    fn shipped_models_load_and_tag() {
        let dir = default_model_dir();
        if !dir.join("en.bin").exists() {
            eprintln!("no shipped models in {}: skipping", dir.display());
            return;
        }
        let rec = NerRecognizer::new([Model::load(&dir.join("en.bin")).unwrap()]);
        let mut doc = Doc::new(Document::new(
            "d",
            "The police in Madrid said on Monday that John Smith had left for Germany.",
        ));
        doc.lang = Some("en".into());
        let spans = rec.recognize(&doc);
        let texts: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
        assert!(texts.contains(&"Madrid"), "{texts:?}");
        assert!(is_government_name("Fuzhou Public Security Bureau"));
        assert!(is_government_name("Policía Nacional"));
        assert!(!is_government_name("Safeguard Defenders"));
        assert!(texts.contains(&"John Smith"), "{texts:?}");
    }
}
