//! rust-bert token-classification backend (cargo feature `transformer`).
//!
//! Loads a local checkpoint folder, never a hub: `config.json` (with `model_type` and `id2label`),
//! `vocab.txt` or a WordPiece `tokenizer.json`, and `model.safetensors` (or `rust_model.ot`). Labels
//! are read as BIO (`B-PER`, `I-government`, …) and mapped onto outpost's labels like the native
//! tagger's types. Needs libtorch 2.4.0: see `scripts/transformer-env.sh`.

use crate::error::{NerError, Result};
use crate::tags::{chunks, label_of};
use outpost_core::{Doc, Label, Recognizer, Span};
use rust_bert::pipelines::common::{ModelResource, ModelType};
use rust_bert::pipelines::token_classification::{
    LabelAggregationOption, TokenClassificationConfig, TokenClassificationModel,
};
use rust_bert::resources::LocalResource;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A [`Recognizer`] backed by a transformer token-classification model.
pub struct TransformerRecognizer {
    model: Mutex<TokenClassificationModel>,
    keep_misc: bool,
}

impl std::fmt::Debug for TransformerRecognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransformerRecognizer")
            .finish_non_exhaustive()
    }
}

fn model_type(config: &Path) -> Result<(ModelType, bool)> {
    let text = std::fs::read_to_string(config).map_err(|e| NerError::io(config, e))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| NerError::Transformer(format!("{}: {e}", config.display())))?;
    let lower = v
        .get("do_lower_case")
        .and_then(|x| x.as_bool())
        .unwrap_or(false);
    let ty = match v
        .get("model_type")
        .and_then(|x| x.as_str())
        .unwrap_or("bert")
    {
        "bert" => ModelType::Bert,
        "distilbert" => ModelType::DistilBert,
        "electra" => ModelType::Electra,
        other => {
            return Err(NerError::Transformer(format!(
                "{}: model_type {other:?} is not supported (bert, distilbert, electra)",
                config.display()
            )))
        }
    };
    Ok((ty, lower))
}

/// Writes the WordPiece vocabulary of a `tokenizer.json` as `vocab.txt` (one token per line, line
/// number = id, unused ids as placeholders) into `out_dir`; returns its path.
fn vocab_from_tokenizer_json(tokenizer: &Path, out_dir: &Path) -> Result<PathBuf> {
    let text = std::fs::read_to_string(tokenizer).map_err(|e| NerError::io(tokenizer, e))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| NerError::Transformer(format!("{}: {e}", tokenizer.display())))?;
    let vocab = v
        .pointer("/model/vocab")
        .and_then(|x| x.as_object())
        .ok_or_else(|| {
            NerError::Transformer(format!(
                "{}: no WordPiece model.vocab map",
                tokenizer.display()
            ))
        })?;
    let mut items: Vec<(u64, &str)> = vocab
        .iter()
        .filter_map(|(k, id)| id.as_u64().map(|i| (i, k.as_str())))
        .collect();
    items.sort_unstable();
    // ids must stay line numbers: fill holes with placeholders
    let mut out = String::new();
    let mut next = 0u64;
    for (id, tok) in items {
        while next < id {
            out.push_str(&format!("[unused-{next}]\n"));
            next += 1;
        }
        if id == next {
            out.push_str(tok);
            out.push('\n');
            next += 1;
        }
    }
    let path = out_dir.join("vocab.txt");
    std::fs::write(&path, out).map_err(|e| NerError::io(&path, e))?;
    Ok(path)
}

impl TransformerRecognizer {
    /// Loads the checkpoint in `dir` on the CPU (or CUDA when libtorch sees a GPU). Returns
    /// [`NerError::Io`] for missing files and [`NerError::Transformer`] for an unsupported or
    /// broken checkpoint.
    pub fn load(dir: &Path) -> Result<Self> {
        let config = dir.join("config.json");
        let (ty, lower) = model_type(&config)?;
        let weights = ["model.safetensors", "rust_model.ot"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .ok_or_else(|| {
                NerError::Transformer(format!(
                    "{}: no model.safetensors or rust_model.ot",
                    dir.display()
                ))
            })?;
        let vocab = if dir.join("vocab.txt").exists() {
            dir.join("vocab.txt")
        } else {
            let cache = std::env::temp_dir().join(format!(
                "outpost-ner-vocab-{}",
                crate::hash::hash_str(&dir.display().to_string())
            ));
            std::fs::create_dir_all(&cache).map_err(|e| NerError::io(&cache, e))?;
            vocab_from_tokenizer_json(&dir.join("tokenizer.json"), &cache)?
        };
        let cfg = TokenClassificationConfig::new(
            ty,
            ModelResource::Torch(Box::new(LocalResource::from(weights))),
            LocalResource::from(config),
            LocalResource::from(vocab),
            None::<LocalResource>,
            lower,
            None,
            None,
            LabelAggregationOption::First,
        );
        let model = TokenClassificationModel::new(cfg)
            .map_err(|e| NerError::Transformer(format!("{}: {e}", dir.display())))?;
        Ok(Self {
            model: Mutex::new(model),
            keep_misc: false,
        })
    }

    /// Also report MISC spans, off by default.
    pub fn with_misc(mut self, keep: bool) -> Self {
        self.keep_misc = keep;
        self
    }

    /// Entities of one text: code-point ranges, the checkpoint's type name and the mean token score.
    pub fn entities(&self, text: &str) -> Vec<(usize, usize, String, f32)> {
        let Ok(model) = self.model.lock() else {
            return Vec::new();
        };
        let out = model.predict(&[text], true, false);
        let Some(tokens) = out.into_iter().next() else {
            return Vec::new();
        };
        let toks: Vec<_> = tokens.into_iter().filter(|t| t.offset.is_some()).collect();
        let tags: Vec<&str> = toks.iter().map(|t| t.label.as_str()).collect();
        chunks(&tags)
            .into_iter()
            .filter_map(|c| {
                let first = toks[c.start].offset?;
                let last = toks[c.end - 1].offset?;
                let score = toks[c.start..c.end].iter().map(|t| t.score).sum::<f64>()
                    / (c.end - c.start) as f64;
                Some((first.begin as usize, last.end as usize, c.ty, score as f32))
            })
            .collect()
    }
}

impl Recognizer for TransformerRecognizer {
    fn name(&self) -> &str {
        "ner-transformer"
    }

    /// Tags each sentence of the document; offsets are code points into the document text.
    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        let mut out = Vec::new();
        let text = doc.text();
        for range in doc.sentence_bytes() {
            let Some(sentence) = text.get(range.clone()) else {
                continue;
            };
            let base = doc.char_of_byte(range.start);
            for (s, e, ty, score) in self.entities(sentence) {
                let label = label_of(&ty);
                if label == Label::Misc && !self.keep_misc {
                    continue;
                }
                out.push(
                    doc.span_from_chars(base + s, base + e, label, self.name())
                        .with_score(score),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::Document;

    /// Needs a checkpoint made by `scripts/transformer-env.sh tiny-checkpoint DIR`, named by
    /// `OUTPOST_TINY_BERT`; skips otherwise.
    #[test]
    fn tiny_random_checkpoint_yields_well_formed_spans() {
        let Some(dir) = std::env::var_os("OUTPOST_TINY_BERT") else {
            eprintln!("OUTPOST_TINY_BERT not set: skipping the transformer test");
            return;
        };
        let rec = TransformerRecognizer::load(Path::new(&dir))
            .unwrap()
            .with_misc(true);
        let text = "Police in Prato said 福州市公安局 opened a station. Otra frase aquí.";
        let doc = Doc::new(Document::new("t", text));
        let spans = rec.recognize(&doc);
        for s in &spans {
            let via: String = text.chars().skip(s.start).take(s.end - s.start).collect();
            assert_eq!(via, s.text);
            assert!((0.0..=1.0).contains(&s.score));
        }
        // the checkpoint's weights are random, but it must tag every token of a text
        let model = rec.model.lock().unwrap();
        let tokens = &model.predict(&["Police in Prato said"], true, false)[0];
        assert_eq!(tokens.len(), 4, "{tokens:?}");
        assert!(tokens
            .iter()
            .all(|t| t.label.starts_with("B-") || t.label.starts_with("I-") || t.label == "O"));
        drop(model);
        // a folder with tokenizer.json instead of vocab.txt gives the same tags
        let alt = format!("{}-tokenizer-json", Path::new(&dir).display());
        if Path::new(&alt).exists() {
            let rec2 = TransformerRecognizer::load(Path::new(&alt))
                .unwrap()
                .with_misc(true);
            assert_eq!(rec2.recognize(&doc), spans);
        }
        let err = TransformerRecognizer::load(Path::new("/nonexistent")).unwrap_err();
        assert!(err.to_string().contains("nonexistent"));
    }
}
