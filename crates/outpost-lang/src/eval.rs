//! Scoring detectors on the shared language-ID test data and on the sets the project generates
//! from it (Traditional Chinese, kanji-heavy Japanese, code-switched documents).
//!
//! Test files: `<data>/<granularity>/<iso>.txt`, one text per line. These are test data: they are
//! read for reporting only, never for building or tuning a model.

use crate::detector::Detector;
use crate::error::LangError;
use crate::lang::Lang;
use crate::script::Script;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Something that labels a text with a language tag (`zh-Hans`, `es`, `und`, ...).
pub trait TextDetector {
    /// Name used in reports (`outpost`, `whatlang`, `lingua-high`, `lingua-low`).
    fn name(&self) -> &str;
    /// The tag of the most likely language (`und` when the detector gives none).
    fn detect_tag(&self, text: &str) -> String;
    /// The tag and the detector's confidence in it, where it gives one (used for calibration
    /// figures; `None` when it has none).
    fn detect_with_confidence(&self, text: &str) -> (String, Option<f32>) {
        (self.detect_tag(text), None)
    }
    /// True when the detector tells `zh-Hans` from `zh-Hant`; otherwise Chinese is scored as `zh`.
    fn variant_aware(&self) -> bool {
        false
    }
    /// Code-point spans `(start, end, tag)` of the languages in a mixed document; empty when the
    /// detector cannot segment.
    fn segments(&self, _text: &str) -> Vec<(usize, usize, String)> {
        Vec::new()
    }
}

impl TextDetector for Detector {
    fn name(&self) -> &str {
        "outpost"
    }
    fn detect_tag(&self, text: &str) -> String {
        self.detect(text).best_tag()
    }
    fn detect_with_confidence(&self, text: &str) -> (String, Option<f32>) {
        let r = self.detect(text);
        (r.best_tag(), Some(r.confidence))
    }
    fn variant_aware(&self) -> bool {
        true
    }
    fn segments(&self, text: &str) -> Vec<(usize, usize, String)> {
        self.analyze(text)
            .segments
            .into_iter()
            .map(|s| (s.start, s.end, s.tag))
            .collect()
    }
}

/// Plain whatlang, restricted to the same languages.
pub struct Whatlang(whatlang::Detector);

impl Whatlang {
    /// whatlang with an allowlist of `langs`.
    pub fn new(langs: &[Lang]) -> Self {
        Self(whatlang::Detector::with_allowlist(
            langs.iter().map(|l| l.whatlang()).collect(),
        ))
    }
}

impl TextDetector for Whatlang {
    fn name(&self) -> &str {
        "whatlang"
    }
    fn detect_with_confidence(&self, text: &str) -> (String, Option<f32>) {
        match self.0.detect(text) {
            Some(info) => (
                Lang::from_whatlang(info.lang())
                    .map(|l| l.code().to_string())
                    .unwrap_or_else(|| "und".into()),
                Some(info.confidence() as f32),
            ),
            None => ("und".into(), None),
        }
    }
    fn detect_tag(&self, text: &str) -> String {
        self.0
            .detect_lang(text)
            .and_then(Lang::from_whatlang)
            .map(|l| l.code().to_string())
            .unwrap_or_else(|| "und".into())
    }
}

/// One test case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Expected tag (`zh-Hans`, `zh-Hant`, `es`, ...).
    pub expected: String,
    /// The text.
    pub text: String,
    /// For code-switched documents: code-point spans `(start, end, base language code)` of the
    /// inserted minority-language parts.
    pub minority: Vec<(usize, usize, String)>,
}

/// The granularities `eval` knows: the three shared ones and the generated sets.
pub const GRANULARITIES: [&str; 7] = [
    "sentences",
    "word-pairs",
    "single-words",
    "zh-hant",
    "ja-kanji",
    "ja-kanji-only",
    "code-switched",
];

fn read_lines(path: &Path) -> Result<Vec<String>, LangError> {
    let text = std::fs::read_to_string(path).map_err(|e| LangError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok(text
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect())
}

fn expected_tag(lang: Lang) -> String {
    if lang == Lang::Zh {
        "zh-Hans".into()
    } else {
        lang.code().into()
    }
}

/// Loads the cases of one shared granularity for `langs` (a missing file is an error naming it).
pub fn load_shared(data: &Path, granularity: &str, langs: &[Lang]) -> Result<Vec<Case>, LangError> {
    let mut out = Vec::new();
    for &l in langs {
        let path = data.join(granularity).join(format!("{}.txt", l.code()));
        for text in read_lines(&path)? {
            out.push(Case {
                expected: expected_tag(l),
                text,
                minority: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// Kanji-heavy Japanese: the Japanese sentences in which Han characters are at least half of the
/// Han+kana letters. With `strip_kana`, the same sentences with their kana removed (headline-style
/// all-kanji text, the hardest case: only the characters themselves tell it from Chinese).
pub fn ja_kanji(data: &Path, strip_kana: bool) -> Result<Vec<Case>, LangError> {
    let mut out = Vec::new();
    for text in read_lines(&data.join("sentences").join("ja.txt"))? {
        let han = text
            .chars()
            .filter(|&c| Script::of(c) == Some(Script::Han))
            .count();
        let kana = text
            .chars()
            .filter(|&c| Script::of(c) == Some(Script::Kana))
            .count();
        if han > 0 && han * 2 >= han + kana {
            let text = if strip_kana {
                text.chars()
                    .filter(|&c| Script::of(c) != Some(Script::Kana))
                    .collect()
            } else {
                text
            };
            out.push(Case {
                expected: "ja".into(),
                text,
                minority: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// Person names from a CoNLL file (`token<TAB>tag`, BIO). `label` is the tag suffix (`PER`,
/// `name`); `join` is put between tokens (" " for English, "" for Chinese).
pub fn conll_names(path: &Path, label: &str, join: &str) -> Result<Vec<String>, LangError> {
    let text = std::fs::read_to_string(path).map_err(|e| LangError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let flush = |cur: &mut Vec<String>, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(cur.join(join));
            cur.clear();
        }
    };
    for line in text.lines() {
        let (tok, tag) = line.split_once('\t').unwrap_or(("", ""));
        if tag == format!("B-{label}") {
            flush(&mut cur, &mut out);
            cur.push(tok.to_string());
        } else if tag == format!("I-{label}") && !cur.is_empty() {
            cur.push(tok.to_string());
        } else {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out.sort();
    out.dedup();
    Ok(out)
}

/// A small deterministic generator (SplitMix64) so that generated sets are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Inserts `piece` into `base` before code point `at`, recording its span.
fn insert(
    base: &str,
    at: usize,
    piece: &str,
    spans: &mut Vec<(usize, usize, String)>,
    code: &str,
) -> String {
    let chars: Vec<char> = base.chars().collect();
    let at = at.min(chars.len());
    let mut s: String = chars[..at].iter().collect();
    let start = at;
    s.push_str(piece);
    let len = piece.chars().count();
    for sp in spans.iter_mut() {
        if sp.0 >= at {
            sp.0 += len;
            sp.1 += len;
        }
    }
    spans.push((start, start + len, code.to_string()));
    s.extend(chars[at..].iter());
    s
}

/// Code points right after a word boundary (a space, or any position in Han text after
/// punctuation or between characters).
fn boundaries(text: &str, han: bool) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len())
        .filter(|&i| {
            if han {
                Script::of(chars[i - 1]) == Some(Script::Han) || chars[i - 1] == '，'
            } else {
                chars[i - 1] == ' '
            }
        })
        .collect()
}

/// Code-switched documents built from the shared sentences and names from the NER train splits
/// under `ner` (the names are not test data): Chinese sentences with 1-2 English names (wikiann_en
/// PER), Spanish sentences with 1-2 Chinese names in Han characters (cluener2020 `name`), and
/// English text (two sentences) quoting a shorter Spanish sentence. `per_kind` documents of each.
pub fn code_switched(data: &Path, ner: &Path, per_kind: usize) -> Result<Vec<Case>, LangError> {
    let zh = read_lines(&data.join("sentences").join("zh.txt"))?;
    let es = read_lines(&data.join("sentences").join("es.txt"))?;
    let en = read_lines(&data.join("sentences").join("en.txt"))?;
    let en_names: Vec<String> =
        conll_names(&ner.join("wikiann_en").join("train.conll"), "PER", " ")?
            .into_iter()
            .filter(|n| {
                n.contains(' ') && n.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '.')
            })
            .collect();
    let zh_names: Vec<String> =
        conll_names(&ner.join("cluener2020").join("train.conll"), "name", "")?
            .into_iter()
            .filter(|n| {
                (2..=4).contains(&n.chars().count())
                    && n.chars().all(|c| Script::of(c) == Some(Script::Han))
            })
            .collect();
    if en_names.is_empty() || zh_names.is_empty() || zh.is_empty() || es.is_empty() || en.len() < 2
    {
        return Err(LangError::Model("code-switched: empty source lists".into()));
    }
    let mut rng = Rng(0x5eed_0003);
    let mut out = Vec::new();
    for i in 0..per_kind {
        // zh with English names.
        let base = &zh[i % zh.len()];
        let mut spans = Vec::new();
        let mut text = base.clone();
        for _ in 0..1 + rng.below(2) {
            let b = boundaries(&text, true);
            let at = if b.is_empty() {
                0
            } else {
                b[rng.below(b.len())]
            };
            let name = &en_names[rng.below(en_names.len())];
            if spans
                .iter()
                .any(|s: &(usize, usize, String)| at > s.0 && at < s.1)
            {
                continue;
            }
            text = insert(&text, at, name, &mut spans, "en");
        }
        out.push(Case {
            expected: "zh-Hans".into(),
            text,
            minority: spans,
        });
        // es with Chinese names (in Han characters, after a romanised-looking mention or alone).
        let base = &es[i % es.len()];
        let mut spans = Vec::new();
        let mut text = base.clone();
        for _ in 0..1 + rng.below(2) {
            let b = boundaries(&text, false);
            let at = if b.is_empty() {
                0
            } else {
                b[rng.below(b.len())]
            };
            if spans
                .iter()
                .any(|s: &(usize, usize, String)| at > s.0 && at <= s.1)
            {
                continue;
            }
            let name = &zh_names[rng.below(zh_names.len())];
            let piece = format!("({name}) ");
            let chars_before = at + 1;
            text = insert(&text, at, &piece, &mut spans, "zh");
            // Record the name only, not the brackets.
            if let Some(last) = spans.last_mut() {
                *last = (
                    chars_before,
                    chars_before + name.chars().count(),
                    "zh".into(),
                );
            }
        }
        out.push(Case {
            expected: "es".into(),
            text,
            minority: spans,
        });
        // en quoting a shorter es sentence.
        let a = &en[(2 * i) % en.len()];
        let b = &en[(2 * i + 1) % en.len()];
        let en_len = a.chars().count() + b.chars().count();
        let mut q = rng.below(es.len());
        let mut tries = 0;
        while es[q].chars().count() * 10 > en_len * 8 && tries < 50 {
            q = rng.below(es.len());
            tries += 1;
        }
        let quote = &es[q];
        let prefix = format!("{a} They said: \"");
        let start = prefix.chars().count();
        let text = format!("{prefix}{quote}\" {b}");
        out.push(Case {
            expected: "en".into(),
            text,
            minority: vec![(start, start + quote.chars().count(), "es".into())],
        });
    }
    Ok(out)
}

/// Accuracy and speed of one detector on one set.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvalResult {
    /// Detector name.
    pub detector: String,
    /// Granularity (set) name.
    pub granularity: String,
    /// Mean of the per-language accuracies.
    pub mean_accuracy: f64,
    /// Accuracy per expected language (by base ISO code).
    pub per_language: BTreeMap<String, f64>,
    /// Seconds spent detecting (building excluded).
    pub seconds: f64,
    /// Texts per second.
    pub texts_per_second: f64,
    /// Number of texts.
    pub texts: usize,
    /// Share of texts labelled `und`.
    pub unknown_rate: f64,
    /// Whether `zh-Hans`/`zh-Hant` were required (only for variant-aware detectors).
    pub variant_aware: bool,
    /// Expected calibration error of the confidence (10 equal-width bins; `null` when the detector
    /// gives no confidence): the mean gap between confidence and accuracy, weighted by bin size.
    pub ece: Option<f64>,
    /// Mean confidence (`null` when the detector gives none).
    pub mean_confidence: Option<f64>,
    /// Code-switched sets: share of inserted minority spans covered at least half by a segment of
    /// the right language (`null` when the detector cannot segment or the set has none).
    pub segment_recall: Option<f64>,
    /// Code-switched sets: [`EvalResult::segment_recall`] per minority language.
    pub segment_recall_per_language: BTreeMap<String, f64>,
    /// Code-switched sets: share of minority spans at least half covered by segments *not* in the
    /// document's language (found as foreign, whatever language or `und` they got).
    pub segment_separation: Option<f64>,
}

fn base(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Runs `det` over `cases` once and scores it.
pub fn evaluate(det: &dyn TextDetector, granularity: &str, cases: &[Case]) -> EvalResult {
    let aware = det.variant_aware();
    let t0 = Instant::now();
    let got: Vec<String> = cases.iter().map(|c| det.detect_tag(&c.text)).collect();
    let seconds = t0.elapsed().as_secs_f64();
    // Confidence in a second, untimed pass.
    let conf: Vec<Option<f32>> = cases
        .iter()
        .map(|c| det.detect_with_confidence(&c.text).1)
        .collect();
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unknown = 0;
    let mut bins = [(0f64, 0f64, 0usize); 10];
    for ((c, g), p) in cases.iter().zip(&got).zip(&conf) {
        let ok = if aware {
            *g == c.expected
        } else {
            base(g) == base(&c.expected)
        };
        if let Some(p) = p {
            let b = ((p.clamp(0.0, 1.0) * 10.0) as usize).min(9);
            bins[b].0 += *p as f64;
            bins[b].1 += ok as u8 as f64;
            bins[b].2 += 1;
        }
        if g == "und" {
            unknown += 1;
        }
        let e = per.entry(base(&c.expected).to_string()).or_default();
        e.0 += ok as usize;
        e.1 += 1;
    }
    let per_language: BTreeMap<String, f64> = per
        .iter()
        .map(|(k, (ok, n))| (k.clone(), *ok as f64 / *n as f64))
        .collect();
    let mean = if per_language.is_empty() {
        0.0
    } else {
        per_language.values().sum::<f64>() / per_language.len() as f64
    };
    let with_minority: Vec<&Case> = cases.iter().filter(|c| !c.minority.is_empty()).collect();
    let mut segment_recall = None;
    let mut segment_separation = None;
    let mut segment_recall_per_language = BTreeMap::new();
    if !with_minority.is_empty() {
        let mut hit = 0usize;
        let mut separated = 0usize;
        let mut total = 0usize;
        let mut per_code: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut any = false;
        for c in with_minority {
            let segs = det.segments(&c.text);
            any |= !segs.is_empty();
            for (s, e, code) in &c.minority {
                total += 1;
                let overlap = |g: &(usize, usize, String)| g.1.min(*e).saturating_sub(g.0.max(*s));
                let covered: usize = segs
                    .iter()
                    .filter(|g| base(&g.2) == code)
                    .map(overlap)
                    .sum();
                let foreign: usize = segs
                    .iter()
                    .filter(|g| base(&g.2) != base(&c.expected))
                    .map(overlap)
                    .sum();
                let ok = covered * 2 >= e - s;
                hit += ok as usize;
                separated += (foreign * 2 >= e - s) as usize;
                let pc = per_code.entry(code.clone()).or_default();
                pc.0 += ok as usize;
                pc.1 += 1;
            }
        }
        if any {
            segment_recall = Some(hit as f64 / total.max(1) as f64);
            segment_separation = Some(separated as f64 / total.max(1) as f64);
            segment_recall_per_language = per_code
                .into_iter()
                .map(|(k, (h, n))| (k, h as f64 / n.max(1) as f64))
                .collect();
        }
    }
    let n_conf: usize = bins.iter().map(|b| b.2).sum();
    let (ece, mean_confidence) = if n_conf == 0 {
        (None, None)
    } else {
        let ece = bins.iter().map(|b| (b.0 - b.1).abs()).sum::<f64>() / n_conf as f64;
        let mean = bins.iter().map(|b| b.0).sum::<f64>() / n_conf as f64;
        (Some(ece), Some(mean))
    };
    EvalResult {
        ece,
        mean_confidence,
        detector: det.name().to_string(),
        granularity: granularity.to_string(),
        mean_accuracy: mean,
        per_language,
        seconds,
        texts_per_second: cases.len() as f64 / seconds.max(1e-9),
        texts: cases.len(),
        unknown_rate: unknown as f64 / cases.len().max(1) as f64,
        variant_aware: aware,
        segment_recall,
        segment_recall_per_language,
        segment_separation,
    }
}

/// The shared data folder: `$OUTPOST_DATA` or `<workspace>/../shared/data`.
pub fn default_data_root() -> PathBuf {
    std::env::var_os("OUTPOST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_shifts_later_spans() {
        let mut spans = Vec::new();
        let s = insert("abcdef", 4, "XY", &mut spans, "en");
        let s = insert(&s, 1, "Z", &mut spans, "zh");
        assert_eq!(s, "aZbcdXYef");
        assert_eq!(spans[0], (5, 7, "en".into()));
        assert_eq!(spans[1], (1, 2, "zh".into()));
    }

    #[test]
    fn scores_a_detector_on_generated_cases() {
        let d = Detector::new().unwrap();
        let cases = vec![
            Case {
                expected: "es".into(),
                text: "La policía de Madrid cerró la comisaría ilegal.".into(),
                minority: vec![],
            },
            Case {
                expected: "zh-Hant".into(),
                text: "警方關閉了非法的海外警務站".into(),
                minority: vec![],
            },
        ];
        let r = evaluate(&d, "t", &cases);
        assert_eq!(r.texts, 2);
        assert_eq!(r.mean_accuracy, 1.0);
        let w = Whatlang::new(&Lang::ALL);
        let r = evaluate(&w, "t", &cases);
        assert!(!r.variant_aware);
    }

    #[test]
    fn generated_sets_from_shared_data() {
        let root = default_data_root();
        let data = root.join("langid");
        if !data.exists() {
            eprintln!("skipping: {} not found", data.display());
            return;
        }
        let ja = ja_kanji(&data, false).unwrap();
        assert!(ja.len() >= 20);
        let stripped = ja_kanji(&data, true).unwrap();
        assert_eq!(stripped.len(), ja.len());
        assert!(stripped.iter().all(|c| c
            .text
            .chars()
            .all(|ch| Script::of(ch) != Some(Script::Kana))));
        let cs = code_switched(&data, &root.join("ner"), 20).unwrap();
        assert_eq!(cs.len(), 60);
        for c in &cs {
            for (s, e, code) in &c.minority {
                let piece: String = c.text.chars().skip(*s).take(e - s).collect();
                assert!(!piece.is_empty());
                if code == "zh" {
                    assert!(
                        piece.chars().all(|ch| Script::of(ch) == Some(Script::Han)),
                        "{piece}"
                    );
                }
            }
        }
    }
}
