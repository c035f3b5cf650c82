//! Feature extraction: hashed feature ids per token.
//!
//! en/es (per word): word and lower-cased word in a ±2 window, word bigrams, word shape (long and
//! short) in a ±1 window, prefixes and suffixes up to 4 characters, character trigrams, sentence
//! position, an all-caps-sentence flag (headlines), gazetteer membership (country/city, B/I) in a ±1
//! window, and distributional word clusters at three granularities in a ±1 window. With a lexicon
//! (the training data's own entities, jackknifed, or names from other corpora via
//! [`crate::gazetteer::Lexicon::from_conll`]): its longest matches and the words' name-part bits.
//! A two-stage model adds the context codes of [`crate::context`] ([`extract_with`]).
//!
//! zh (per character): characters in a ±2 window, character bigrams, trigrams and 4-grams around
//! the character, character classes, the segmenter's word containing the character with its
//! position (B/M/E/S) and length, the neighbouring words, gazetteer membership (province,
//! prefecture, county, town, country, city; B/M/E/S), and with clusters
//! ([`crate::clusters::induce_zh`]) the character's clusters at three granularities and its
//! neighbours' finest clusters.

use crate::context::Codes;
use crate::gazetteer::{unit_key, Gazetteer, Lexicon};
use crate::hash::{hash_str, mix, BuildIdentity};
use crate::lang::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Word clusters: lower-cased word hash → cluster ids at three granularities, then the casing
/// profile bin (0 unseen, 1 always lower, 2 mostly lower, 3 mixed, 4 always capitalised).
pub type Clusters = HashMap<u64, [u16; 4], BuildIdentity>;

/// What a model needs besides its weights to compute features: its gazetteer and word clusters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resources {
    /// Names matched as features.
    pub gazetteer: Gazetteer,
    /// Word clusters (empty when none were induced).
    pub clusters: Clusters,
    /// Entity strings of the training data (empty when not built).
    pub lexicon: Lexicon,
}

/// Per-unit lexicon codes: type bits and position (1 B, 2 I, 3 L, 4 U); 0 outside any match.
fn lexicon_codes(lexicon: &Lexicon, keys: &[u64]) -> Vec<u64> {
    let mut out = vec![0u64; keys.len()];
    for (s, e, k) in lexicon.find(keys) {
        for (i, o) in out.iter_mut().enumerate().take(e).skip(s) {
            let pos = if e - s == 1 {
                4
            } else if i == s {
                1
            } else if i + 1 == e {
                3
            } else {
                2
            };
            *o = (k as u64) << 3 | pos;
        }
    }
    out
}

/// Feature ids of one sentence: token `i` owns `ids[offs[i]..offs[i+1]]`.
#[derive(Debug, Clone, Default)]
pub struct SentFeats {
    /// Feature hashes reduced to rows of the weight table.
    pub ids: Vec<u32>,
    /// Offsets into `ids`, one more than the number of tokens.
    pub offs: Vec<u32>,
}

impl SentFeats {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.offs.len().saturating_sub(1)
    }

    /// True for an empty sentence.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The features of token `i`.
    pub fn token(&self, i: usize) -> &[u32] {
        &self.ids[self.offs[i] as usize..self.offs[i + 1] as usize]
    }
}

const BOS: u64 = 0x5eed_0000_0000_0001;
const EOS: u64 = 0x5eed_0000_0000_0002;

/// The shared jieba segmenter (its dictionary loads once, on first use).
pub(crate) fn jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

/// Word shape: `Xxxx` style with runs kept (`long`) or collapsed (`short`).
fn shapes(w: &str) -> (u64, u64) {
    let mut long = String::with_capacity(w.len());
    let mut short = String::with_capacity(8);
    for c in w.chars().take(24) {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            'c'
        } else {
            c
        };
        long.push(s);
        if !short.ends_with(s) {
            short.push(s);
        }
    }
    (hash_str(&long), hash_str(&short))
}

fn char_class(c: char) -> u64 {
    match c {
        '0'..='9' | '０'..='９' => 1,
        'a'..='z' | 'A'..='Z' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' => 2,
        '一'..='鿿' | '㐀'..='䶿' => 3,
        c if c.is_alphabetic() => 4,
        c if c.is_numeric() => 1,
        _ => 5,
    }
}

/// Reduces a feature hash to a row of a table with `2^bits` rows.
#[inline]
fn row(h: u64, bits: u32) -> u32 {
    (mix(h, 0x0f0f) >> (64 - bits)) as u32
}

/// The row of the feature every token has (its weights are the per-tag bias).
pub(crate) fn bias_row(bits: u32) -> u32 {
    row(mix(1, 0), bits)
}

/// Computes the features of a sentence given as tokens.
pub fn extract(lang: Lang, res: &Resources, bits: u32, tokens: &[&str]) -> SentFeats {
    extract_with(lang, res, bits, tokens, None)
}

/// Computes the features of a sentence, adding non-local features from first-pass context codes
/// (one [`Codes`] per token; codes beyond the sentence length are ignored, missing ones read as 0).
pub fn extract_with(
    lang: Lang,
    res: &Resources,
    bits: u32,
    tokens: &[&str],
    ctx: Option<&[Codes]>,
) -> SentFeats {
    let mut f = match lang {
        Lang::Zh => extract_zh(res, bits, tokens),
        Lang::Es | Lang::En => extract_words(res, bits, tokens),
    };
    if let Some(ctx) = ctx {
        add_context(&mut f, bits, tokens, ctx);
    }
    f
}

/// Appends the non-local features of [`crate::context`] to each token's features.
fn add_context(f: &mut SentFeats, bits: u32, tokens: &[&str], ctx: &[Codes]) {
    let n = f.len();
    let code = |i: isize, k: usize| -> u64 {
        if i < 0 || i as usize >= n {
            0xffff
        } else {
            ctx.get(i as usize).map_or(0, |c| c[k])
        }
    };
    let mut ids = Vec::with_capacity(f.ids.len() + n * 12);
    let mut offs = Vec::with_capacity(n + 1);
    offs.push(0u32);
    for (i, tok) in tokens.iter().enumerate().take(n) {
        ids.extend_from_slice(f.token(i));
        let ii = i as isize;
        let sh = shapes(tok).1;
        let first = (i == 0) as u64;
        let hs = [
            mix(70, code(ii, 0)),
            mix(mix(71, code(ii, 0)), sh),
            mix(72, code(ii, 1)),
            mix(73, code(ii, 2)),
            mix(mix(74, code(ii, 2)), sh),
            mix(mix(75, code(ii, 2)), first),
            mix(76, code(ii, 3)),
            mix(77, code(ii, 4)),
            mix(mix(78, code(ii, 4)), first),
            mix(79, code(ii - 1, 2)),
            mix(80, code(ii + 1, 2)),
            mix(mix(81, code(ii, 2)), code(ii, 0)),
        ];
        ids.extend(hs.iter().map(|&h| row(h, bits)));
        offs.push(ids.len() as u32);
    }
    f.ids = ids;
    f.offs = offs;
}

fn extract_words(res: &Resources, bits: u32, tokens: &[&str]) -> SentFeats {
    let n = tokens.len();
    let lower: Vec<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
    let lw: Vec<u64> = lower.iter().map(|t| hash_str(t)).collect();
    let rw: Vec<u64> = tokens.iter().map(|t| hash_str(t)).collect();
    let sh: Vec<(u64, u64)> = tokens.iter().map(|t| shapes(t)).collect();
    let keys: Vec<u64> = tokens.iter().map(|t| unit_key(t)).collect();
    let mut gaz = vec![0u64; n];
    for (s, e, k) in res.gazetteer.find(&keys) {
        for (i, g) in gaz.iter_mut().enumerate().take(e).skip(s) {
            *g = (k as u64) << 2 | if i == s { 1 } else { 2 };
        }
    }
    let lex = lexicon_codes(&res.lexicon, &keys);
    let clusters: Vec<[u64; 4]> = lw
        .iter()
        .map(|h| match res.clusters.get(h) {
            Some(c) => [
                c[0] as u64 + 1,
                c[1] as u64 + 1,
                c[2] as u64 + 1,
                c[3] as u64,
            ],
            None => [0; 4],
        })
        .collect();
    let (mut letters, mut upper) = (0usize, 0usize);
    for t in tokens {
        for c in t.chars() {
            if c.is_alphabetic() {
                letters += 1;
                upper += c.is_uppercase() as usize;
            }
        }
    }
    let all_caps = letters >= 8 && upper * 10 >= letters * 9;
    let at = |v: &[u64], i: isize| -> u64 {
        if i < 0 {
            BOS
        } else if i as usize >= n {
            EOS
        } else {
            v[i as usize]
        }
    };
    let shs: Vec<u64> = sh.iter().map(|s| s.1).collect();
    let mut out = SentFeats {
        ids: Vec::with_capacity(n * 48),
        offs: Vec::with_capacity(n + 1),
    };
    out.offs.push(0);
    let mut hs: Vec<u64> = Vec::with_capacity(64);
    for i in 0..n {
        hs.clear();
        let ii = i as isize;
        hs.push(mix(1, 0));
        hs.push(mix(2, rw[i]));
        hs.push(mix(3, lw[i]));
        hs.push(mix(4, at(&lw, ii - 1)));
        hs.push(mix(5, at(&lw, ii + 1)));
        hs.push(mix(6, at(&lw, ii - 2)));
        hs.push(mix(7, at(&lw, ii + 2)));
        hs.push(mix(8, at(&rw, ii - 1)));
        hs.push(mix(mix(9, at(&lw, ii - 1)), lw[i]));
        hs.push(mix(mix(10, lw[i]), at(&lw, ii + 1)));
        hs.push(mix(11, sh[i].0));
        hs.push(mix(12, sh[i].1));
        hs.push(mix(13, at(&shs, ii - 1)));
        hs.push(mix(14, at(&shs, ii + 1)));
        hs.push(mix(
            mix(mix(15, at(&shs, ii - 1)), shs[i]),
            at(&shs, ii + 1),
        ));
        hs.push(mix(mix(16, at(&lw, ii - 1)), shs[i]));
        hs.push(mix(mix(17, shs[i]), at(&lw, ii + 1)));
        hs.push(mix(18, at(&lw, ii - 3)));
        hs.push(mix(18, at(&lw, ii + 3)));
        hs.push(mix(mix(19, at(&lw, ii - 2)), at(&lw, ii - 1)));
        hs.push(mix(mix(39, at(&lw, ii + 1)), at(&lw, ii + 2)));
        let w: Vec<char> = tokens[i].chars().collect();
        let m = w.len();
        for k in 1..=5.min(m) {
            let pre: String = w[..k].iter().collect();
            let suf: String = w[m - k..].iter().collect();
            hs.push(mix(20 + k as u64, hash_str(&pre)));
            hs.push(mix(30 + k as u64, hash_str(&suf)));
        }
        if m > 2 && m <= 20 {
            let lc: Vec<char> = std::iter::once('^')
                .chain(lower[i].chars())
                .chain(std::iter::once('$'))
                .collect();
            for tri in lc.windows(3) {
                let t = (tri[0] as u64) << 42 | (tri[1] as u64) << 21 | tri[2] as u64;
                hs.push(mix(40, t));
            }
        }
        if i == 0 {
            hs.push(mix(41, shs[i]));
            hs.push(mix(42, lw[i]));
        }
        if all_caps {
            hs.push(mix(43, shs[i]));
            hs.push(mix(44, lw[i]));
        }
        hs.push(mix(45, gaz[i]));
        hs.push(mix(46, at(&gaz, ii - 1)));
        hs.push(mix(47, at(&gaz, ii + 1)));
        hs.push(mix(mix(48, gaz[i]), shs[i]));
        if !res.lexicon.is_empty() {
            hs.push(mix(49, lex[i]));
            hs.push(mix(mix(65, lex[i]), shs[i]));
            hs.push(mix(66, at(&lex, ii - 1)));
            hs.push(mix(67, at(&lex, ii + 1)));
            let part = |j: isize| -> u64 {
                if j < 0 || j as usize >= n {
                    0xffff_ffff
                } else {
                    res.lexicon.part_bits(keys[j as usize]) as u64
                }
            };
            let p0 = part(ii);
            hs.push(mix(84, p0));
            hs.push(mix(mix(85, p0), shs[i]));
            hs.push(mix(mix(86, part(ii - 1)), p0));
            hs.push(mix(mix(87, p0), part(ii + 1)));
        }
        if !res.clusters.is_empty() {
            #[allow(clippy::needless_range_loop)]
            for g in 0..3 {
                let c0 = clusters[i][g];
                let cp = if i > 0 { clusters[i - 1][g] } else { BOS };
                let cn = if i + 1 < n { clusters[i + 1][g] } else { EOS };
                let t = 50 + 4 * g as u64;
                hs.push(mix(t, c0));
                hs.push(mix(t + 1, cp));
                hs.push(mix(t + 2, cn));
                hs.push(mix(mix(t + 3, c0), shs[i]));
            }
            let case = |j: isize| {
                if j < 0 || j as usize >= n {
                    9
                } else {
                    clusters[j as usize][3]
                }
            };
            hs.push(mix(mix(62, case(ii)), shs[i]));
            hs.push(mix(mix(mix(63, case(ii)), shs[i]), (i == 0) as u64));
            hs.push(mix(mix(64, case(ii - 1)), case(ii + 1)));
        }
        out.ids.extend(hs.iter().map(|&h| row(h, bits)));
        out.offs.push(out.ids.len() as u32);
    }
    out
}

fn extract_zh(res: &Resources, bits: u32, tokens: &[&str]) -> SentFeats {
    let n = tokens.len();
    let cs: Vec<u64> = tokens.iter().map(|t| unit_key(t)).collect();
    let cls: Vec<u64> = tokens
        .iter()
        .map(|t| t.chars().next().map_or(0, char_class))
        .collect();
    // segmenter words over the concatenated sentence
    let joined: String = tokens.concat();
    let mut word_of = vec![(0u64, 0u64, 0u64); n]; // (word hash, pos code, word index)
    let mut words: Vec<u64> = Vec::new();
    {
        let mut tok_end = Vec::with_capacity(n);
        let mut acc = 0;
        for t in tokens {
            acc += t.len();
            tok_end.push(acc);
        }
        let mut ti = 0;
        let mut byte = 0;
        for tok in jieba().cut(&joined, false) {
            let w = tok.word;
            let wend = byte + w.len();
            let first = ti;
            while ti < n && tok_end[ti] <= wend {
                ti += 1;
            }
            let len = ti - first;
            let wh = hash_str(w);
            let widx = words.len() as u64;
            words.push(wh);
            for (k, slot) in word_of.iter_mut().enumerate().take(ti).skip(first) {
                let pos = if len == 1 {
                    0
                } else if k == first {
                    1
                } else if k + 1 == ti {
                    3
                } else {
                    2
                };
                *slot = (wh, pos | (len.min(6) as u64) << 2, widx);
            }
            byte = wend;
        }
    }
    let mut gaz = vec![0u64; n];
    for (s, e, k) in res.gazetteer.find(&cs) {
        for (i, g) in gaz.iter_mut().enumerate().take(e).skip(s) {
            let pos = if i == s {
                1
            } else if i + 1 == e {
                3
            } else {
                2
            };
            *g = (k as u64) << 2 | pos;
        }
    }
    let lex = lexicon_codes(&res.lexicon, &cs);
    // distributional character clusters (3 granularities; 0 for unseen characters)
    let with_clusters = !res.clusters.is_empty();
    let char_cl: Vec<[u64; 3]> = if with_clusters {
        tokens
            .iter()
            .map(|t| {
                let key = if t.chars().any(char::is_uppercase) {
                    crate::clusters::zh_char_key(&t.to_lowercase())
                } else {
                    crate::clusters::zh_char_key(t)
                };
                res.clusters.get(&key).map_or([0; 3], |c| {
                    [c[0] as u64 + 1, c[1] as u64 + 1, c[2] as u64 + 1]
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let char_fine: Vec<u64> = char_cl.iter().map(|c| c[0]).collect();
    let at = |v: &[u64], i: isize| -> u64 {
        if i < 0 {
            BOS
        } else if i as usize >= n {
            EOS
        } else {
            v[i as usize]
        }
    };
    let mut out = SentFeats {
        ids: Vec::with_capacity(n * 40),
        offs: Vec::with_capacity(n + 1),
    };
    out.offs.push(0);
    let mut hs: Vec<u64> = Vec::with_capacity(48);
    for i in 0..n {
        hs.clear();
        let ii = i as isize;
        let c = |d: isize| at(&cs, ii + d);
        hs.push(mix(1, 0));
        hs.push(mix(2, c(0)));
        hs.push(mix(3, c(-1)));
        hs.push(mix(4, c(1)));
        hs.push(mix(5, c(-2)));
        hs.push(mix(6, c(2)));
        hs.push(mix(mix(7, c(-2)), c(-1)));
        hs.push(mix(mix(8, c(-1)), c(0)));
        hs.push(mix(mix(9, c(0)), c(1)));
        hs.push(mix(mix(10, c(1)), c(2)));
        hs.push(mix(mix(11, c(-1)), c(1)));
        hs.push(mix(mix(mix(12, c(-2)), c(-1)), c(0)));
        hs.push(mix(mix(mix(13, c(-1)), c(0)), c(1)));
        hs.push(mix(mix(mix(14, c(0)), c(1)), c(2)));
        hs.push(mix(mix(mix(mix(15, c(-3)), c(-2)), c(-1)), c(0)));
        hs.push(mix(mix(mix(mix(16, c(0)), c(1)), c(2)), c(3)));
        let k = |d: isize| at(&cls, ii + d);
        hs.push(mix(mix(mix(17, k(-1)), k(0)), k(1)));
        let (wh, pos, widx) = word_of[i];
        hs.push(mix(20, wh));
        hs.push(mix(21, pos));
        hs.push(mix(mix(22, wh), pos));
        hs.push(mix(mix(23, c(0)), pos));
        let prevw = if widx > 0 {
            words[widx as usize - 1]
        } else {
            BOS
        };
        let nextw = words.get(widx as usize + 1).copied().unwrap_or(EOS);
        hs.push(mix(24, prevw));
        hs.push(mix(25, nextw));
        hs.push(mix(mix(26, prevw), wh));
        hs.push(mix(mix(27, wh), nextw));
        hs.push(mix(28, c(-3)));
        hs.push(mix(29, c(3)));
        hs.push(mix(mix(34, nextw), pos));
        hs.push(mix(30, gaz[i]));
        hs.push(mix(31, at(&gaz, ii - 1)));
        hs.push(mix(32, at(&gaz, ii + 1)));
        hs.push(mix(mix(33, gaz[i]), c(0)));
        if !res.lexicon.is_empty() {
            hs.push(mix(35, lex[i]));
            hs.push(mix(36, at(&lex, ii - 1)));
            hs.push(mix(37, at(&lex, ii + 1)));
            hs.push(mix(mix(38, lex[i]), c(0)));
        }
        if with_clusters {
            // the character's clusters at three granularities, its neighbours' finest
            for (g, &cl) in char_cl[i].iter().enumerate() {
                hs.push(mix(90 + g as u64, cl));
            }
            hs.push(mix(96, at(&char_fine, ii - 1)));
            hs.push(mix(97, at(&char_fine, ii + 1)));
        }
        out.ids.extend(hs.iter().map(|&h| row(h, bits)));
        out.offs.push(out.ids.len() as u32);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_feature_group_per_token_and_deterministic() {
        let res = Resources::default();
        let toks = ["Peter", "Blackburn", "visited", "Madrid", "."];
        let a = extract(Lang::En, &res, 18, &toks);
        let b = extract(Lang::En, &res, 18, &toks);
        assert_eq!(a.len(), 5);
        assert_eq!(a.ids, b.ids);
        assert!(a.ids.iter().all(|&r| r < 1 << 18));
        let zh = ["福", "州", "市", "公", "安", "局"];
        let f = extract(Lang::Zh, &res, 18, &zh);
        assert_eq!(f.len(), 6);
        assert!(!f.token(5).is_empty());
    }

    #[test]
    fn zh_character_clusters_add_features() {
        let toks = ["福", "州", "市", "公", "安", "局"];
        let plain = extract(Lang::Zh, &Resources::default(), 20, &toks);
        let mut res = Resources::default();
        res.clusters
            .insert(crate::clusters::zh_char_key("公"), [3, 1, 0, 0]);
        let with = extract(Lang::Zh, &res, 20, &toks);
        assert!(with.token(3).len() > plain.token(3).len());
        assert!(with.token(3).starts_with(plain.token(3)));
        // the neighbours see the character's cluster
        let mut other = Resources::default();
        other
            .clusters
            .insert(crate::clusters::zh_char_key("公"), [5, 1, 0, 0]);
        let moved = extract(Lang::Zh, &other, 20, &toks);
        assert_ne!(with.token(2), moved.token(2));
        assert_eq!(with.token(0), moved.token(0));
    }

    #[test]
    fn gazetteer_changes_features() {
        let mut res = Resources::default();
        let toks = ["in", "Prato", "today"];
        let before = extract(Lang::En, &res, 20, &toks);
        res.gazetteer
            .add("Prato", Lang::En, crate::gazetteer::kind::CITY);
        let after = extract(Lang::En, &res, 20, &toks);
        assert_ne!(before.token(1), after.token(1));
    }

    #[test]
    fn lexicon_parts_and_context_codes_add_features() {
        let toks = ["dijo", "Ramírez", "ayer"];
        let plain = extract(Lang::Es, &Resources::default(), 20, &toks);
        let data = vec![crate::conll::Sentence {
            tokens: vec!["Juan".into(), "Ramírez".into()],
            tags: vec!["B-PER".into(), "I-PER".into()],
        }];
        let res = Resources {
            lexicon: Lexicon::from_conll(&data, Lang::Es),
            ..Resources::default()
        };
        let with_lex = extract(Lang::Es, &res, 20, &toks);
        assert_ne!(with_lex.token(1), plain.token(1));
        let ctx = vec![[0u64; crate::context::CODES]; 3];
        let with_ctx = extract_with(Lang::Es, &res, 20, &toks, Some(&ctx));
        assert_eq!(with_ctx.len(), 3);
        assert!(with_ctx.token(1).len() > with_lex.token(1).len());
        assert!(with_ctx.token(1).starts_with(with_lex.token(1)));
    }
}
