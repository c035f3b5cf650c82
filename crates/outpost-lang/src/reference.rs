//! [`ReferenceDetector`]: the detector's scoring path as it was before the fast paths of the
//! fifth round (n-gram rows looked up for every order of every letter from a key array and a
//! separate row array, a `Vec` of candidates and of words per call, the whole text split into
//! words), kept unchanged as the oracle of the exactness tests and as the baseline of the
//! `langid` bench's quick-detection case. It reads the same table as the [`Detector`] it is built
//! from, so any difference in a detection comes from the scoring code.

use crate::detector::{group, posterior, with_kana_prior, Detection, Detector, SCRIPT_OF_GROUP};
use crate::lang::Lang;
use crate::ngram::Scores;
use crate::script::Script;
use crate::text::{url_mask, Word, Words};

/// Highest n-gram order used for Latin text.
const LATIN_ORDER: usize = 5;
const QSCALE: f32 = 16.0;
const BACKOFF: f32 = -0.916;
const FLOOR: f32 = -20.0;
const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(0x0000_0100_0000_01b3)
}

fn finish_hash(h: u64, len: usize) -> u64 {
    let mut z = h ^ len as u64;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let h = z ^ (z >> 31);
    if h == 0 {
        1
    } else {
        h
    }
}

fn dequantise(q: u8) -> f32 {
    (q as f32 - 255.0) / QSCALE
}

/// The reference detector: same languages, threshold, table and Han variants as the
/// [`Detector`] it was built from, scored by the earlier code.
#[derive(Debug, Clone)]
pub struct ReferenceDetector {
    det: Detector,
    keys: Vec<u64>,
    rows: Vec<u8>,
    ncols: usize,
    mask: usize,
    max_order: usize,
}

impl ReferenceDetector {
    /// The reference twin of `det` (copies its table into the earlier layout).
    pub fn new(det: &Detector) -> Self {
        let (keys, rows, ncols, mask) = det.model().split_table();
        Self {
            det: det.clone(),
            keys,
            rows,
            ncols,
            mask,
            max_order: det.model().max_order(),
        }
    }

    /// As [`Detector::detect`], by the earlier code.
    pub fn detect(&self, text: &str) -> Detection {
        let w = words(text);
        self.detect_words_opt(&w, &w.words, None)
    }

    /// As [`Detector::detect_until_margin`], by the earlier code.
    pub fn detect_until_margin(&self, text: &str, margin: f32) -> Detection {
        let w = words(text);
        let stop = (margin > 0.0 && margin.is_finite()).then_some(margin);
        self.detect_words_opt(&w, &w.words, stop)
    }

    fn row(&self, h: u64) -> Option<&[u8]> {
        let mut slot = (h as usize) & self.mask;
        loop {
            let k = self.keys[slot];
            if k == h {
                return Some(&self.rows[slot * self.ncols..(slot + 1) * self.ncols]);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    fn columns(&self, cands: &[Lang]) -> Vec<(u8, u8)> {
        cands
            .iter()
            .filter_map(|l| self.det.model().column_of(*l).map(|c| (l.index() as u8, c)))
            .take(18)
            .collect()
    }

    fn score_word_in(&self, word: &[char], cols: &[(u8, u8)], order: usize, scores: &mut Scores) {
        let order = order.min(self.max_order).clamp(1, 7);
        let mut rows: [Option<&[u8]>; 8] = [None; 8];
        let mut state = [FNV_BASIS; 8];
        for (i, &ch) in word.iter().enumerate() {
            let kmax = order.min(i + 1);
            for k in (1..=kmax).rev() {
                state[k] = fnv_step(state[k - 1], ch);
                rows[k] = self.row(finish_hash(state[k], k));
            }
            for &(li, c) in cols {
                let mut s = FLOOR;
                for k in (1..=kmax).rev() {
                    if let Some(row) = rows[k] {
                        let q = row[c as usize];
                        if q != 0 {
                            s = dequantise(q) + BACKOFF * (kmax - k) as f32;
                            break;
                        }
                    }
                }
                scores.log_prob[li as usize] += s;
            }
        }
        scores.chars += word.len();
    }

    fn has(&self, l: Lang) -> bool {
        self.det.model().has(l)
    }

    fn detect_words_opt(&self, w: &Words, list: &[Word], stop: Option<f32>) -> Detection {
        let mut weight = [0f32; 7];
        for x in list {
            let g = group(x.script);
            weight[g as usize] += (x.end - x.start) as f32 * x.script.weight();
        }
        let Some((gi, _)) = weight
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0.0)
            .max_by(|a, b| a.1.total_cmp(b.1))
        else {
            return Detection::unknown();
        };
        let script = SCRIPT_OF_GROUP[gi];
        let cands: Vec<Lang> = self
            .det
            .languages()
            .iter()
            .copied()
            .filter(|l| l.writes(script) || (script == Script::Han && l.writes(Script::Kana)))
            .collect();
        let in_group: Vec<&Word> = list
            .iter()
            .filter(|x| group(x.script) as usize == gi)
            .collect();
        let mut det = if cands.is_empty() {
            Detection {
                script: Some(script),
                ..Detection::unknown()
            }
        } else if cands.len() == 1 || cands.iter().all(|l| !self.has(*l)) {
            let letters: usize = in_group.iter().map(|x| x.end - x.start).sum();
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
            self.score(w, &in_group, &cands, script, stop)
        };
        if det.best == Some(Lang::Zh) {
            let mut counts = crate::hanzi::VariantCounts::default();
            for x in &in_group {
                for &c in w.letters(x) {
                    if self.det.variants().is_traditional(c) {
                        counts.traditional += 1;
                    } else if self.det.variants().is_simplified(c) {
                        counts.simplified += 1;
                    }
                }
            }
            det.variant = Some(counts.variant());
        }
        if det.confidence >= self.det.min_confidence() {
            det.lang = det.best;
        }
        det
    }

    fn raw_scores(
        &self,
        w: &Words,
        list: &[&Word],
        cands: &[Lang],
        script: Script,
        stop: Option<f32>,
    ) -> (Vec<(Lang, f32)>, usize) {
        let mut scores = Scores::new();
        let mut buf: Vec<char> = Vec::new();
        let cols = self.columns(cands);
        let mut list = list;
        let mut han_read = 0usize;
        for (i, x) in list.iter().enumerate() {
            if let Some(margin) = stop {
                if scores.chars >= 16
                    && self.leads_by(&scores, han_read, i - han_read, cands, script, margin)
                {
                    list = &list[..i];
                    break;
                }
            }
            let letters = w.letters(x);
            if matches!(x.script, Script::Han | Script::Kana) {
                buf.clear();
                buf.extend(letters.iter().map(|&c| self.det.variants().fold(c)));
                self.score_word_in(&buf, &cols, 1, &mut scores);
            } else {
                self.score_word_in(letters, &cols, LATIN_ORDER, &mut scores);
            }
            if x.script == Script::Han {
                han_read += 1;
            }
        }
        let log_prob = with_kana_prior(&scores, han_read, list.len() - han_read, cands, script);
        let raw = cands
            .iter()
            .filter(|l| self.has(**l))
            .map(|l| (*l, log_prob[l.index()]))
            .collect();
        (raw, scores.chars)
    }

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
        for l in cands.iter().filter(|l| self.has(**l)) {
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

    fn score(
        &self,
        w: &Words,
        list: &[&Word],
        cands: &[Lang],
        script: Script,
        stop: Option<f32>,
    ) -> Detection {
        let (raw, chars) = self.raw_scores(w, list, cands, script, stop);
        let mut post = posterior(&raw, chars, self.det.model().calibration());
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

/// The earlier [`crate::text::words`].
pub(crate) fn words(text: &str) -> Words {
    let has_url_hint = text.contains("://") || text.contains("www.") || text.contains('@');
    let mask = if has_url_hint {
        let cps: Vec<char> = text.chars().collect();
        url_mask(&cps)
    } else {
        Vec::new()
    };
    let mut out = Words {
        chars: Vec::with_capacity(text.len()),
        words: Vec::new(),
        cp_len: 0,
    };
    let mut cur: Option<Word> = None;
    let mut n = 0;
    for (i, c) in text.chars().enumerate() {
        n = i + 1;
        let script = if mask.get(i).copied().unwrap_or(false) {
            None
        } else {
            Script::of(c)
        };
        let single = matches!(script, Some(Script::Han | Script::Kana));
        match (script, cur.as_mut()) {
            (Some(s), Some(w)) if w.script == s && !single => {
                push_lower(&mut out.chars, c);
                w.end = out.chars.len();
                w.cp_end = i + 1;
            }
            (Some(s), _) => {
                if let Some(w) = cur.take() {
                    out.words.push(w);
                }
                let start = out.chars.len();
                push_lower(&mut out.chars, c);
                cur = Some(Word {
                    script: s,
                    start,
                    end: out.chars.len(),
                    cp_start: i,
                    cp_end: i + 1,
                });
            }
            (None, _) => {
                if let Some(w) = cur.take() {
                    out.words.push(w);
                }
            }
        }
    }
    if let Some(w) = cur.take() {
        out.words.push(w);
    }
    out.cp_len = n;
    out
}

fn push_lower(buf: &mut Vec<char>, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        let c = match c as u32 {
            u @ (0xFF21..=0xFF3A | 0xFF41..=0xFF5A) => char::from_u32(u - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        buf.extend(c.to_lowercase());
    }
}
