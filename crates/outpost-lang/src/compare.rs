//! Comparison detectors and generators that need the `compare` feature: lingua (high- and
//! low-accuracy mode, restricted to the same languages) and the Traditional Chinese test set made
//! with a pure-Rust OpenCC port.

use crate::error::LangError;
use crate::eval::{Case, TextDetector};
use crate::lang::Lang;
use std::path::Path;

/// lingua's language for one of ours.
pub fn lingua_language(lang: Lang) -> lingua::Language {
    use lingua::Language as L;
    match lang {
        Lang::Zh => L::Chinese,
        Lang::Es => L::Spanish,
        Lang::En => L::English,
        Lang::Pt => L::Portuguese,
        Lang::Ca => L::Catalan,
        Lang::It => L::Italian,
        Lang::Fr => L::French,
        Lang::De => L::German,
        Lang::Nl => L::Dutch,
        Lang::Ja => L::Japanese,
        Lang::Ko => L::Korean,
        Lang::Ru => L::Russian,
        Lang::Ar => L::Arabic,
        Lang::Vi => L::Vietnamese,
        Lang::Id => L::Indonesian,
        Lang::Tr => L::Turkish,
        Lang::Pl => L::Polish,
        Lang::Ro => L::Romanian,
    }
}

/// lingua restricted to a language set, models preloaded.
pub struct Lingua {
    name: &'static str,
    det: lingua::LanguageDetector,
    map: Vec<(lingua::Language, Lang)>,
}

impl Lingua {
    /// lingua over `langs`; `low_accuracy` selects its low-accuracy (trigram-only) mode.
    pub fn new(langs: &[Lang], low_accuracy: bool) -> Self {
        let ll: Vec<lingua::Language> = langs.iter().map(|l| lingua_language(*l)).collect();
        let mut b = lingua::LanguageDetectorBuilder::from_languages(&ll);
        b.with_preloaded_language_models();
        if low_accuracy {
            b.with_low_accuracy_mode();
        }
        Self {
            name: if low_accuracy {
                "lingua-low"
            } else {
                "lingua-high"
            },
            det: b.build(),
            map: langs.iter().map(|l| (lingua_language(*l), *l)).collect(),
        }
    }
}

impl TextDetector for Lingua {
    fn name(&self) -> &str {
        self.name
    }
    fn detect_tag(&self, text: &str) -> String {
        self.det
            .detect_language_of(text)
            .and_then(|g| {
                self.map
                    .iter()
                    .find(|(x, _)| *x == g)
                    .map(|(_, l)| l.code().to_string())
            })
            .unwrap_or_else(|| "und".into())
    }
}

/// Traditional Chinese: every shared Chinese sentence converted with OpenCC's `s2t` configuration.
pub fn zh_hant(data: &Path) -> Result<Vec<Case>, LangError> {
    let cc = ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2t)
        .map_err(|e| LangError::Model(format!("OpenCC s2t: {e}")))?;
    let cases = crate::eval::load_shared(data, "sentences", &[Lang::Zh])?;
    Ok(cases
        .into_iter()
        .map(|c| Case {
            expected: "zh-Hant".into(),
            text: cc.convert(&c.text),
            minority: Vec::new(),
        })
        .collect())
}
