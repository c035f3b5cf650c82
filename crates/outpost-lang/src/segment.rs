//! [`Analysis`]: the languages of a mixed-language document, with code-point spans and shares.

use crate::detector::{tag_of, Detection, Detector};
use crate::lang::Lang;
use crate::script::Script;
use crate::text::{words, Word};

/// Pieces with fewer weighted letters than this take the language of their neighbours.
const MIN_PIECE: f32 = 12.0;

/// A stretch of the text in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// First code point (inclusive).
    pub start: usize,
    /// Last code point (exclusive).
    pub end: usize,
    /// The language (`None` when unknown).
    pub lang: Option<Lang>,
    /// Tag as in [`Detection::tag`] (`zh-Hans`, `es`, `und`).
    pub tag: String,
    /// Confidence in [0, 1].
    pub confidence: f32,
    /// Weighted letters in the segment (Han letters count 2.5, see [`Script::weight`]).
    pub weight: f32,
}

/// One language of a document with its share of the (weighted) letters and its spans.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageShare {
    /// The language (`None` for the unknown parts).
    pub lang: Option<Lang>,
    /// Tag as in [`Detection::tag`].
    pub tag: String,
    /// Share of the weighted letters in [0, 1].
    pub share: f32,
    /// Code-point ranges `(start, end)`.
    pub spans: Vec<(usize, usize)>,
}

/// The languages of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The document's language, as [`Detector::detect`] gives it.
    pub primary: Detection,
    /// Segments in text order; adjacent segments differ in language.
    pub segments: Vec<Segment>,
    /// Every language present, largest share first.
    pub languages: Vec<LanguageShare>,
}

fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | ';'
            | ':'
            | '。'
            | '！'
            | '？'
            | '；'
            | '：'
            | '"'
            | '“'
            | '”'
            | '«'
            | '»'
            | '„'
            | '「'
            | '」'
            | '『'
            | '』'
            | '('
            | ')'
            | '（'
            | '）'
            | '\n'
    )
}

fn script_group(s: Script) -> u8 {
    match s {
        Script::Han | Script::Kana => 1,
        other => other as u8 + 10,
    }
}

impl Detector {
    /// Splits a document into language segments: runs of one script, cut further at sentence ends,
    /// quotation marks and brackets; pieces too short to judge take their neighbours' language.
    /// Returns the primary detection, the segments and each language's share and spans.
    pub fn analyze(&self, text: &str) -> Analysis {
        let w = words(text);
        let primary = self.detect_words(&w, &w.words);
        let cps: Vec<char> = text.chars().collect();
        // Pieces: ranges of word indices.
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for i in 1..=w.words.len() {
            let cut = i == w.words.len() || {
                let (a, b) = (&w.words[i - 1], &w.words[i]);
                script_group(a.script) != script_group(b.script)
                    || cps[a.cp_end..b.cp_start].iter().any(|&c| is_boundary(c))
            };
            if cut {
                pieces.push((start, i));
                start = i;
            }
        }
        let weight = |ws: &[Word]| -> f32 {
            ws.iter()
                .map(|x| (x.end - x.start) as f32 * x.script.weight())
                .sum()
        };
        // Detect long pieces; short ones wait.
        let mut det: Vec<Option<Detection>> = pieces
            .iter()
            .map(|&(a, b)| {
                let ws = &w.words[a..b];
                (weight(ws) >= MIN_PIECE).then(|| self.detect_words(&w, ws))
            })
            .collect();
        // Short pieces: the nearest detected piece of the same script group, else the whole run.
        for i in 0..pieces.len() {
            if det[i].is_some() {
                continue;
            }
            let g = script_group(w.words[pieces[i].0].script);
            let same = |j: usize| script_group(w.words[pieces[j].0].script) == g;
            let mut found = None;
            let mut j = i;
            while j > 0 && same(j - 1) {
                j -= 1;
                if let Some(d) = &det[j] {
                    found = Some(d.clone());
                    break;
                }
            }
            if found.is_none() {
                let mut j = i + 1;
                while j < pieces.len() && same(j) {
                    if let Some(d) = &det[j] {
                        found = Some(d.clone());
                        break;
                    }
                    j += 1;
                }
            }
            if found.is_none() {
                // The whole run of this script is short: judge it as one.
                let mut a = i;
                while a > 0 && same(a - 1) {
                    a -= 1;
                }
                let mut b = i + 1;
                while b < pieces.len() && same(b) {
                    b += 1;
                }
                let d = self.detect_words(&w, &w.words[pieces[a].0..pieces[b - 1].1]);
                for slot in det[a..b].iter_mut().filter(|s| s.is_none()) {
                    *slot = Some(d.clone());
                }
                continue;
            }
            det[i] = found;
        }
        let mut segments: Vec<Segment> = Vec::new();
        for (k, &(a, b)) in pieces.iter().enumerate() {
            let Some(d) = det[k].as_ref() else { continue };
            let ws = &w.words[a..b];
            let seg = Segment {
                start: ws[0].cp_start,
                end: ws[ws.len() - 1].cp_end,
                lang: d.lang,
                tag: tag_of(d.lang, d.variant),
                confidence: d.confidence,
                weight: weight(ws),
            };
            match segments.last_mut() {
                Some(last) if last.tag == seg.tag => {
                    let total = last.weight + seg.weight;
                    last.confidence = (last.confidence * last.weight + seg.confidence * seg.weight)
                        / total.max(1e-6);
                    last.end = seg.end;
                    last.weight = total;
                }
                _ => segments.push(seg),
            }
        }
        let total: f32 = segments.iter().map(|s| s.weight).sum();
        let mut languages: Vec<LanguageShare> = Vec::new();
        for s in &segments {
            match languages.iter_mut().find(|l| l.tag == s.tag) {
                Some(l) => {
                    l.share += s.weight / total;
                    l.spans.push((s.start, s.end));
                }
                None => languages.push(LanguageShare {
                    lang: s.lang,
                    tag: s.tag.clone(),
                    share: s.weight / total,
                    spans: vec![(s.start, s.end)],
                }),
            }
        }
        languages.sort_by(|a, b| b.share.total_cmp(&a.share));
        Analysis {
            primary,
            segments,
            languages,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Detector;

    #[test]
    fn finds_the_minority_language_with_offsets() {
        let d = Detector::new().unwrap();
        let text = "The mayor said: «La oficina de Prato no tiene ningún permiso para operar en la ciudad». He then left the meeting early, and the city council has not answered any of the questions we sent about the office since then.";
        let a = d.analyze(text);
        assert_eq!(a.primary.tag(), "en");
        let es = a
            .languages
            .iter()
            .find(|l| l.tag == "es")
            .expect("es segment");
        let (s, e) = es.spans[0];
        let seg: String = text.chars().skip(s).take(e - s).collect();
        assert!(
            seg.starts_with("La oficina") && seg.ends_with("ciudad"),
            "{seg}"
        );
        assert!(a.languages[0].share > 0.4);
        let total: f32 = a.languages.iter().map(|l| l.share).sum();
        assert!((total - 1.0).abs() < 1e-3);
    }

    #[test]
    fn han_names_in_spanish_are_a_zh_segment() {
        let d = Detector::new().unwrap();
        let text =
            "El empresario Wang Wei (王伟) dijo que la asociación de Prato no es una comisaría.";
        let a = d.analyze(text);
        assert_eq!(a.primary.tag(), "es");
        let zh = a
            .languages
            .iter()
            .find(|l| l.tag.starts_with("zh"))
            .expect("zh");
        assert_eq!(zh.spans, vec![(24, 26)]);
        assert_eq!(a.languages[0].tag, "es");
    }
}
