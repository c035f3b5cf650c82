//! [`Detector`]: the language detector. Script first, then the compact n-gram model over the
//! languages that write that script; Chinese results carry the written variant.

use crate::error::LangError;
use crate::hanzi::{HanVariants, ZhVariant};
use crate::lang::Lang;
use crate::ngram::{NgramModel, Scores};
use crate::script::Script;
use crate::text::{words, Word, Words};

/// Highest n-gram order used for Latin text.
const LATIN_ORDER: usize = 5;

/// The result of detecting the language of one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The language, or `None` ("unknown") when there is no letter to judge or the confidence is
    /// below the detector's threshold.
    pub lang: Option<Lang>,
    /// The most likely language even when it is not reliable (`None` only without letters).
    pub best: Option<Lang>,
    /// For Chinese: Simplified or Traditional.
    pub variant: Option<ZhVariant>,
    /// The script the decision was made on.
    pub script: Option<Script>,
    /// Probability of `best` in [0, 1] (0 without letters).
    pub confidence: f32,
    /// Up to three candidates with their probabilities, best first.
    pub candidates: Vec<(Lang, f32)>,
}

impl Detection {
    pub(crate) fn unknown() -> Self {
        Self {
            lang: None,
            best: None,
            variant: None,
            script: None,
            confidence: 0.0,
            candidates: Vec::new(),
        }
    }

    /// Language tag: `zh-Hans`/`zh-Hant` for Chinese, the ISO 639-1 code otherwise, `und` when
    /// unknown.
    pub fn tag(&self) -> String {
        tag_of(self.lang, self.variant)
    }

    /// Tag of the best guess (as [`Detection::tag`] but ignoring the threshold).
    pub fn best_tag(&self) -> String {
        tag_of(self.best, self.variant)
    }
}

pub(crate) fn tag_of(lang: Option<Lang>, variant: Option<ZhVariant>) -> String {
    match (lang, variant) {
        (Some(Lang::Zh), Some(v)) => v.tag().to_string(),
        (Some(l), _) => l.code().to_string(),
        (None, _) => "und".to_string(),
    }
}

/// Builds a [`Detector`]: all languages and a confidence threshold of 0.5 by default.
#[derive(Debug, Clone)]
pub struct DetectorBuilder {
    langs: Vec<Lang>,
    min_confidence: f32,
}

impl Default for DetectorBuilder {
    fn default() -> Self {
        Self {
            langs: Lang::ALL.to_vec(),
            min_confidence: 0.5,
        }
    }
}

impl DetectorBuilder {
    /// Restricts the detector to these languages.
    pub fn languages(mut self, langs: &[Lang]) -> Self {
        self.langs = langs.to_vec();
        self.langs.sort();
        self.langs.dedup();
        self
    }

    /// Restricts the detector to languages given by ISO 639-1 code; [`LangError::UnknownLanguage`]
    /// for a code it does not know.
    pub fn language_codes<S: AsRef<str>>(self, codes: &[S]) -> Result<Self, LangError> {
        let langs = codes
            .iter()
            .map(|c| {
                Lang::from_code(c.as_ref())
                    .ok_or_else(|| LangError::UnknownLanguage(c.as_ref().to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.languages(&langs))
    }

    /// Below this confidence [`Detection::lang`] is `None` (clamped to [0, 1]).
    pub fn min_confidence(mut self, c: f32) -> Self {
        self.min_confidence = if c.is_nan() { 0.0 } else { c.clamp(0.0, 1.0) };
        self
    }

    /// Loads the shipped tables; [`LangError::NoLanguages`] for an empty language set,
    /// [`LangError::Model`] if a shipped table is corrupt.
    pub fn build(self) -> Result<Detector, LangError> {
        if self.langs.is_empty() {
            return Err(LangError::NoLanguages);
        }
        self.build_with_model(include_bytes!("../../../models/langid-ngrams.bin"))
    }

    /// Builds with another n-gram table (the model builder uses it while fitting calibration).
    pub fn build_with_model(self, model_bytes: &[u8]) -> Result<Detector, LangError> {
        if self.langs.is_empty() {
            return Err(LangError::NoLanguages);
        }
        let model = NgramModel::from_bytes(model_bytes)?;
        let variants = HanVariants::shipped()?;
        Ok(Detector {
            langs: self.langs,
            min_confidence: self.min_confidence,
            model,
            variants,
        })
    }
}

/// The language detector. Build it once ([`Detector::builder`] or [`Detector::new`]) and share it
/// (`&self` methods; it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Detector {
    langs: Vec<Lang>,
    min_confidence: f32,
    model: NgramModel,
    variants: HanVariants,
}

impl Detector {
    /// A builder with the default settings.
    pub fn builder() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    /// A detector for all languages with the default threshold.
    pub fn new() -> Result<Self, LangError> {
        Self::builder().build()
    }

    /// The languages this detector may return.
    pub fn languages(&self) -> &[Lang] {
        &self.langs
    }

    /// Bytes the n-gram table occupies in memory.
    pub fn model_bytes(&self) -> usize {
        self.model.heap_bytes()
    }

    /// The Han variant table.
    pub fn variants(&self) -> &HanVariants {
        &self.variants
    }

    /// The n-gram model.
    pub(crate) fn model(&self) -> &NgramModel {
        &self.model
    }

    /// Below this confidence [`Detection::lang`] is `None`.
    pub(crate) fn min_confidence(&self) -> f32 {
        self.min_confidence
    }

    /// Detects the language of a whole text: the script with the most weighted letters decides
    /// the candidates (kana makes Han text Japanese-leaning), then the n-gram model picks among
    /// them. Letters of other scripts (a Chinese article's English names) do not vote.
    pub fn detect(&self, text: &str) -> Detection {
        let w = words(text);
        self.detect_words(&w, &w.words)
    }

    /// As [`Detector::detect`], but reads the text's words in order and stops as soon as the
    /// leading language's log-likelihood leads the runner-up's by `margin` nats (after at least
    /// 16 letters): a sequential test, so a clear text costs a few dozen letters instead of all of
    /// them. For bulk labelling where a language per article is wanted cheaply (outpost's
    /// pre-filtered articles); the confidence is that of the letters read, so it is lower than
    /// `detect`'s on the whole text. A `margin` that is not positive and finite reads everything,
    /// like `detect`.
    ///
    /// ```
    /// let d = outpost_lang::Detector::new().unwrap();
    /// let text = "La policía investiga una comisaría china en Madrid. ".repeat(20);
    /// assert_eq!(d.detect_until_margin(&text, 20.0).tag(), "es");
    /// ```
    pub fn detect_until_margin(&self, text: &str, margin: f32) -> Detection {
        let w = words(text);
        let stop = (margin > 0.0 && margin.is_finite()).then_some(margin);
        self.detect_words_opt(&w, &w.words, stop)
    }

    /// Detects the language of the given words of `w` (all in one text).
    pub(crate) fn detect_words(&self, w: &Words, list: &[Word]) -> Detection {
        self.detect_words_opt(w, list, None)
    }

    /// [`Detector::detect_words`] with an optional early stop (see [`Detector::detect_until_sure`]).
    fn detect_words_opt(&self, w: &Words, list: &[Word], stop: Option<f32>) -> Detection {
        // Weighted letters per script group; Han and kana form one group.
        let weight = group_weights(w, list);
        let Some((gi, _)) = weight
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0.0)
            .max_by(|a, b| a.1.total_cmp(b.1))
        else {
            return Detection::unknown();
        };
        let script = SCRIPT_OF_GROUP[gi];
        // The candidates, on the stack (the languages are a set of at most 18).
        let mut cand_buf = [Lang::ALL[0]; 18];
        let mut n = 0;
        for l in self.langs.iter().copied() {
            if (l.writes(script) || (script == Script::Han && l.writes(Script::Kana)))
                && n < cand_buf.len()
            {
                cand_buf[n] = l;
                n += 1;
            }
        }
        let cands = &cand_buf[..n];
        let in_group = || list.iter().filter(move |x| group(x.script) as usize == gi);
        let mut det = if cands.is_empty() {
            Detection {
                script: Some(script),
                ..Detection::unknown()
            }
        } else if cands.len() == 1 || cands.iter().all(|l| !self.model.has(*l)) {
            // The script alone decides; confidence grows with the evidence.
            let letters: usize = in_group().map(|x| x.end - x.start).sum();
            let conf = 1.0 - 0.5f32.powi(letters as i32 + 1);
            Detection {
                lang: None,
                best: Some(cands[0]),
                variant: None,
                script: Some(script),
                confidence: conf,
                candidates: vec![(cands[0], conf)],
            }
        } else {
            self.score(w, list, gi, cands, script, stop)
        };
        if det.best == Some(Lang::Zh) {
            let mut counts = crate::hanzi::VariantCounts::default();
            for x in in_group() {
                for &c in w.letters(x) {
                    if self.variants.is_traditional(c) {
                        counts.traditional += 1;
                    } else if self.variants.is_simplified(c) {
                        counts.simplified += 1;
                    }
                }
            }
            det.variant = Some(counts.variant());
        }
        if det.confidence >= self.min_confidence {
            det.lang = det.best;
        }
        det
    }

    /// Raw log-likelihood per scored candidate (with the kana prior) and the number of scored
    /// characters, over the words of `list` in script group `gi`.
    fn raw_scores(
        &self,
        w: &Words,
        list: &[Word],
        gi: usize,
        cands: &[Lang],
        script: Script,
        stop: Option<f32>,
    ) -> (Vec<(Lang, f32)>, usize) {
        let mut scores = Scores::new();
        let mut buf: Vec<char> = Vec::new();
        let cols = self.model.columns(cands);
        let mut han_read = 0usize;
        // Words of the group read so far.
        let mut read = 0usize;
        for x in list.iter().filter(|x| group(x.script) as usize == gi) {
            if let Some(margin) = stop {
                if scores.chars >= 16
                    && self.leads_by(&scores, han_read, read - han_read, cands, script, margin)
                {
                    break;
                }
            }
            let letters = w.letters(x);
            if matches!(x.script, Script::Han | Script::Kana) {
                if let [c] = letters {
                    // A Han or kana word is one letter: fold it on the stack.
                    let one = [self.variants.fold(*c)];
                    self.model.score_word_in(&one, &cols, 1, &mut scores);
                } else {
                    buf.clear();
                    buf.extend(letters.iter().map(|&c| self.variants.fold(c)));
                    self.model.score_word_in(&buf, &cols, 1, &mut scores);
                }
            } else {
                self.model
                    .score_word_in(letters, &cols, LATIN_ORDER, &mut scores);
            }
            read += 1;
            if x.script == Script::Han {
                han_read += 1;
            }
        }
        (
            self.finish_scores(&scores, han_read, read - han_read, cands, script),
            scores.chars,
        )
    }

    /// The raw scores of `scores` with the kana prior applied (`han` Han words and `kana` kana
    /// words were read), for the candidates the model has.
    fn finish_scores(
        &self,
        scores: &Scores,
        han: usize,
        kana: usize,
        cands: &[Lang],
        script: Script,
    ) -> Vec<(Lang, f32)> {
        let log_prob = with_kana_prior(scores, han, kana, cands, script);
        cands
            .iter()
            .filter(|l| self.model.has(**l))
            .map(|l| (*l, log_prob[l.index()]))
            .collect()
    }

    /// Whether the leading language's log-likelihood over the words read so far (`han` of them
    /// Han, `kana` kana) leads the runner-up's by at least `margin`: the scores of
    /// [`Detector::finish_scores`] without building them.
    fn leads_by(
        &self,
        scores: &Scores,
        han: usize,
        kana: usize,
        cands: &[Lang],
        script: Script,
        margin: f32,
    ) -> bool {
        let log_prob = with_kana_prior(scores, han, kana, cands, script);
        let (mut first, mut second) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for l in cands.iter().filter(|l| self.model.has(**l)) {
            let v = log_prob[l.index()];
            if v > first {
                second = first;
                first = v;
            } else if v > second {
                second = v;
            }
        }
        first - second >= margin
    }

    /// Raw scores of a text's dominant-script letters, for fitting the calibration; `None` when
    /// fewer than two languages compete.
    #[cfg(feature = "compare")]
    pub(crate) fn calibration_scores(&self, text: &str) -> Option<(Vec<(Lang, f32)>, usize)> {
        let w = words(text);
        let script = w.words.first()?.script;
        let script = if script == Script::Kana {
            Script::Han
        } else {
            script
        };
        let cands: Vec<Lang> = self
            .langs
            .iter()
            .copied()
            .filter(|l| l.writes(script))
            .collect();
        let gi = group(script) as usize;
        let (raw, n) = self.raw_scores(&w, &w.words, gi, &cands, script, None);
        (raw.len() > 1).then_some((raw, n))
    }

    fn score(
        &self,
        w: &Words,
        list: &[Word],
        gi: usize,
        cands: &[Lang],
        script: Script,
        stop: Option<f32>,
    ) -> Detection {
        let (raw, chars) = self.raw_scores(w, list, gi, cands, script, stop);
        let mut post = posterior(&raw, chars, self.model.calibration());
        post.truncate(3);
        Detection {
            lang: None,
            best: post.first().map(|p| p.0),
            variant: None,
            script: Some(script),
            confidence: post.first().map(|p| p.1).unwrap_or(0.0),
            candidates: post,
        }
    }
}

/// Softmax of raw log-likelihoods with temperature `t0 * chars^alpha`, best first.
pub(crate) fn posterior(
    raw: &[(Lang, f32)],
    chars: usize,
    calibration: [f32; 2],
) -> Vec<(Lang, f32)> {
    let [t0, alpha] = calibration;
    let t = (t0 * (chars.max(1) as f32).powf(alpha)).max(1e-3);
    let max = raw.iter().map(|p| p.1).fold(f32::NEG_INFINITY, f32::max);
    let mut post: Vec<(Lang, f32)> = raw
        .iter()
        .map(|(l, s)| (*l, ((s - max) / t).exp()))
        .collect();
    let z: f32 = post.iter().map(|p| p.1).sum();
    for p in &mut post {
        p.1 /= z;
    }
    post.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    post
}

/// Log probability that a Japanese text of `han` letters has no kana at all: kanji are about 40%
/// of the letters of Japanese prose, floored at 5% (headlines and names are often all kanji).
fn no_kana_log_prior(han: usize) -> f32 {
    0.4f32.powi(han.min(16) as i32).max(0.05).ln()
}

/// `scores`' log-likelihoods with the kana prior applied: Japanese text almost always has kana, so
/// a Han-script text with none (`kana == 0`, `han` Han words) needs more evidence for Japanese.
pub(crate) fn with_kana_prior(
    scores: &Scores,
    han: usize,
    kana: usize,
    cands: &[Lang],
    script: Script,
) -> [f32; 18] {
    let mut log_prob = scores.log_prob;
    if script == Script::Han && cands.contains(&Lang::Ja) && kana == 0 {
        log_prob[Lang::Ja.index()] += no_kana_log_prior(han);
    }
    log_prob
}

/// Every script, in declaration order.
const SCRIPTS: [Script; 7] = [
    Script::Latin,
    Script::Han,
    Script::Kana,
    Script::Hangul,
    Script::Cyrillic,
    Script::Arabic,
    Script::Other,
];

/// Letters of the words of `list` (words of `w`) times their script's weight, summed per script
/// group. Every term is a multiple of 0.5, so below 2^23 every partial sum is exact in `f32` and
/// any order of summing gives the same floats: for texts of fewer than 2^18 letters the letters
/// are counted per script (18-bit fields of one `u128`, which no count can overflow) and weighted
/// once; longer texts sum word by word.
fn group_weights(w: &Words, list: &[Word]) -> [f32; 7] {
    const BITS: usize = 18;
    let mut weight = [0f32; 7];
    if w.chars.len() < 1 << BITS {
        let mut packed = 0u128;
        for x in list {
            packed += ((x.end - x.start) as u128) << (BITS * x.script as usize);
        }
        for (i, s) in SCRIPTS.iter().enumerate() {
            let n = (packed >> (BITS * i)) as u32 & ((1 << BITS) - 1);
            weight[group(*s) as usize] += n as f32 * s.weight();
        }
    } else {
        for x in list {
            let g = group(x.script);
            weight[g as usize] += (x.end - x.start) as f32 * x.script.weight();
        }
    }
    weight
}

/// Script groups: Han and kana share one.
pub(crate) fn group(s: Script) -> u8 {
    match s {
        Script::Latin => 0,
        Script::Han | Script::Kana => 1,
        Script::Hangul => 2,
        Script::Cyrillic => 3,
        Script::Arabic => 4,
        Script::Other => 5,
    }
}

pub(crate) const SCRIPT_OF_GROUP: [Script; 7] = [
    Script::Latin,
    Script::Han,
    Script::Hangul,
    Script::Cyrillic,
    Script::Arabic,
    Script::Other,
    Script::Other,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn det() -> Detector {
        Detector::new().unwrap()
    }

    #[test]
    fn detects_the_project_languages() {
        let d = det();
        let cases = [
            (
                "La policía investiga una comisaría china en Madrid que no tiene permiso.",
                "es",
            ),
            (
                "The police are investigating a Chinese station operating in Dublin.",
                "en",
            ),
            (
                "警方正在调查在马德里运营的一个中国海外警务服务站。",
                "zh-Hans",
            ),
            (
                "警方正在調查在馬德里運營的一個中國海外警務服務站。",
                "zh-Hant",
            ),
            ("警察はマドリードの中国の警察署を調べている。", "ja"),
            (
                "A polícia investiga uma esquadra chinesa em Lisboa que não tem licença.",
                "pt",
            ),
            (
                "La policia investiga una comissaria xinesa a Barcelona que no té permís.",
                "ca",
            ),
        ];
        for (text, want) in cases {
            let r = d.detect(text);
            assert_eq!(r.tag(), want, "{text}: {r:?}");
            assert!(r.confidence > 0.5 && r.confidence <= 1.0);
        }
    }

    #[test]
    fn unknown_without_letters_and_subset_respected() {
        let d = det();
        let r = d.detect("12345 !!! https://example.com");
        assert_eq!(r.lang, None);
        assert_eq!(r.tag(), "und");
        let d = Detector::builder()
            .languages(&[Lang::En, Lang::Es])
            .build()
            .unwrap();
        let r = d.detect("A polícia investiga uma esquadra chinesa em Lisboa.");
        assert!(matches!(r.best, Some(Lang::En | Lang::Es)));
        assert!(Detector::builder().languages(&[]).build().is_err());
        assert!(Detector::builder().language_codes(&["en", "xx"]).is_err());
    }

    #[test]
    fn script_counts_weigh_as_word_sums() {
        assert!(SCRIPTS.iter().enumerate().all(|(i, s)| *s as usize == i));
        let text = "据报道 Safeguard Defenders 发布报告称中国の警察 한국 текст عربي α ".repeat(5);
        let w = words(&text);
        let mut by_word = [0f32; 7];
        for x in &w.words {
            by_word[group(x.script) as usize] += (x.end - x.start) as f32 * x.script.weight();
        }
        assert_eq!(group_weights(&w, &w.words), by_word);
        assert_eq!(group_weights(&w, &w.words[3..9]), {
            let mut s = [0f32; 7];
            for x in &w.words[3..9] {
                s[group(x.script) as usize] += (x.end - x.start) as f32 * x.script.weight();
            }
            s
        });
    }

    #[test]
    fn minority_script_does_not_outvote() {
        let d = det();
        let r = d.detect("据报道，Safeguard Defenders 发布报告称 https://safeguarddefenders.com 中国在多国设立了警务站。");
        assert_eq!(r.tag(), "zh-Hans");
        let r = d.detect("El alcalde Wang Wei (王伟) dijo que la oficina de Prato no existe.");
        assert_eq!(r.tag(), "es");
    }
}
