//! [`Dict`]: exact multi-pattern search over folded text with word-boundary checks.
//!
//! Patterns are folded names; each maps to a list of payloads (several entries can share a name:
//! Valencia ES and Valencia VE). The search is leftmost-longest (a double-array Aho–Corasick
//! automaton, daachorse); a hit whose Latin edges touch a letter or digit is rejected and the
//! search resumes one character later, so "Rome" is not found in "Romero" while
//! "Santiago de Compostela" beats "Santiago".
//!
//! Dictionaries whose patterns are each either all Latin-script (words) or all CJK are searched in
//! two parts, which is several times faster on large dictionaries: Latin-script patterns by hashing
//! word n-grams that start at a known first word (one hash look-up per word of text), CJK patterns
//! by the automaton over the CJK runs of the text only. Other dictionaries (mixed patterns such as
//! 海外110服务站) run the automaton over the whole text. Both give the same hits.
//!
//! Building the automaton for tens of thousands of names takes a few hundred milliseconds, so
//! `outpost match compile` stores it serialised next to the tables ([`Dict::serialize`]) and
//! [`DictBuilder::load_or_build`] reads it back when its fingerprint (a hash of the pattern list)
//! matches, and builds it otherwise.

use crate::MatchError;
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

/// True for characters that make up Latin-script (or digit) words; CJK ideographs are not word
/// characters here, because Chinese is written without spaces.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !is_cjk(c) && c.is_alphanumeric()
}

/// True for CJK ideographs and kana.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// FxHash (as in rustc): a fast, non-cryptographic hash for short keys.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // Fold the well-mixed high bits into the low bits the table indexes by.
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// The words (maximal runs of word characters) of `s`, each with its byte range and whether a
/// CJK character lies between it and the previous word.
fn words(s: &str) -> Vec<(u32, u32, bool)> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 5);
    let mut i = 0;
    let mut start: Option<usize> = None;
    let mut brk = false;
    while i < b.len() {
        let (is_word, cjk, n) = if b[i] < 0x80 {
            (b[i].is_ascii_alphanumeric(), false, 1)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            (is_word_char(c), is_cjk(c), c.len_utf8())
        };
        if is_word {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(st) = start.take() {
                out.push((st as u32, i as u32, brk));
                brk = false;
            }
            brk |= cjk;
        }
        i += n;
    }
    if let Some(st) = start {
        out.push((st as u32, b.len() as u32, brk));
    }
    out
}

/// The word key of a Latin-script pattern: its words joined by single spaces.
fn word_key(p: &str) -> String {
    let w = words(p);
    let mut k = String::with_capacity(p.len());
    for (j, &(a, e, _)) in w.iter().enumerate() {
        if j > 0 {
            k.push(' ');
        }
        k.push_str(&p[a as usize..e as usize]);
    }
    k
}

/// End byte of the word (run of word characters) that starts at byte `s` of `t`.
#[inline]
fn word_end(t: &str, s: usize) -> usize {
    let b = t.as_bytes();
    let mut i = s;
    while i < b.len() {
        if b[i] < 0x80 {
            if !b[i].is_ascii_alphanumeric() {
                break;
            }
            i += 1;
        } else {
            let c = t[i..].chars().next().unwrap_or(' ');
            if !is_word_char(c) {
                break;
            }
            i += c.len_utf8();
        }
    }
    i
}

/// The next word at or after byte `from` of `t`, unless a CJK character comes first.
#[inline]
fn next_word(t: &str, from: usize) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    let mut i = from;
    while i < b.len() {
        if b[i] < 0x80 {
            if b[i].is_ascii_alphanumeric() {
                return Some((i, word_end(t, i)));
            }
            i += 1;
        } else {
            let c = t[i..].chars().next().unwrap_or(' ');
            if is_cjk(c) {
                return None;
            }
            if is_word_char(c) {
                return Some((i, word_end(t, i)));
            }
            i += c.len_utf8();
        }
    }
    None
}

/// Characters that may join CJK characters inside a name (中·国, 萊塞斯-恩戈爾達, 刚果(金)).
fn is_cjk_joiner(c: char) -> bool {
    matches!(c, '·' | '-' | '(' | ')' | '/' | '、')
}

fn is_cjk_pattern(p: &str) -> bool {
    p.chars().next().is_some_and(is_cjk) && p.chars().all(|c| is_cjk(c) || is_cjk_joiner(c))
}

fn is_latin_pattern(p: &str) -> bool {
    !p.chars().any(is_cjk) && p.chars().any(is_word_char)
}

/// The Latin-script half of a split dictionary.
#[derive(Clone, Default)]
struct WordTable {
    /// Word key → (pattern index, or `NONE` when the key is only a prefix; whether some longer
    /// pattern starts with the key: "santiago" and "santiago de" for "santiago de compostela").
    /// A match can only grow through prefixes, so most words of a text cost one look-up.
    keys: FxMap<Box<str>, (u32, bool)>,
    /// A 2^20-bit (128 KiB) filter of the first words of all keys (by length, first two and last byte), so
    /// most words of a text are dismissed without hashing.
    filter: Vec<u64>,
}

const NONE: u32 = u32::MAX;

/// The filter slot of a word: 20 bits from its length and first, second and last bytes.
#[inline]
fn filter_slot(w: &[u8]) -> usize {
    let n = w.len();
    let (a, b, z) = (w[0] as u32, w[n.min(2) - 1] as u32, w[n - 1] as u32);
    let h =
        (a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77) ^ z.wrapping_mul(0xC2B2_AE3D))
            .wrapping_add((n as u32).wrapping_mul(0x27D4_EB2F));
    (h >> 12) as usize
}

impl WordTable {
    fn mark(&mut self, w: &str) {
        if self.filter.is_empty() {
            self.filter = vec![0; 1 << 14];
        }
        if !w.is_empty() {
            let k = filter_slot(w.as_bytes());
            self.filter[k >> 6] |= 1 << (k & 63);
        }
    }

    #[inline]
    fn maybe(&self, w: &str) -> bool {
        if self.filter.is_empty() || w.is_empty() {
            return false;
        }
        let k = filter_slot(w.as_bytes());
        self.filter[k >> 6] & (1 << (k & 63)) != 0
    }
}

/// The text the automaton runs over: the folded text with every character that is neither a word
/// character nor CJK replaced by spaces (byte for byte, so offsets are unchanged), behind one
/// leading space. Latin patterns are stored with a leading space, so they can only match at the
/// start of a word and the automaton never reports hits inside words.
fn scan_view(folded: &str) -> String {
    let mut v: Vec<u8> = Vec::with_capacity(folded.len() + 1);
    v.push(b' ');
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            v.push(if b.is_ascii_alphanumeric() { b } else { b' ' });
            i += 1;
            continue;
        }
        let c = folded[i..].chars().next().unwrap_or(' ');
        let n = c.len_utf8();
        if is_word_char(c) || is_cjk(c) {
            v.extend_from_slice(&bytes[i..i + n]);
        } else {
            v.extend(std::iter::repeat_n(b' ', n));
        }
        i += n;
    }
    // Only ASCII spaces replaced whole characters, so the bytes are still UTF-8.
    String::from_utf8(v).unwrap_or_default()
}

/// Version of [`pattern_key`]'s format, part of every fingerprint.
const KEY_FORMAT: &str = "split-words-cjk-charwise-v1";

/// A pattern as stored in the automaton: mapped like [`scan_view`], with a leading space when it
/// starts with a word character.
fn pattern_key(folded: &str) -> String {
    let mut v = scan_view(folded);
    if !folded.chars().next().is_some_and(is_word_char) {
        v.remove(0);
    }
    v
}

/// One accepted hit: a byte range of the folded text and the pattern index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Start byte in the folded text.
    pub start: usize,
    /// End byte (exclusive) in the folded text.
    pub end: usize,
    /// Index of the pattern (see [`Dict::payloads`]).
    pub pattern: usize,
}

/// Collects patterns and payloads, then builds a [`Dict`].
#[derive(Debug)]
pub struct DictBuilder<T> {
    index: FxMap<String, usize>,
    patterns: Vec<String>,
    payloads: Vec<Vec<T>>,
}

impl<T: PartialEq> Default for DictBuilder<T> {
    fn default() -> Self {
        Self {
            index: FxMap::default(),
            patterns: Vec::new(),
            payloads: Vec::new(),
        }
    }
}

impl<T: PartialEq> DictBuilder<T> {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an already folded pattern with a payload. Empty patterns are ignored; a payload
    /// already present for the pattern is not added twice. A Latin-script pattern is stored as its
    /// words joined by single spaces ("st. louis" = "st louis"), so punctuation and spacing in the
    /// text do not matter.
    pub fn add(&mut self, folded: &str, payload: T) {
        let key;
        let folded = if is_latin_pattern(folded) {
            key = word_key(folded);
            key.as_str()
        } else {
            folded.trim()
        };
        if folded.is_empty() {
            return;
        }
        let i = match self.index.get(folded) {
            Some(&i) => i,
            None => {
                let i = self.patterns.len();
                self.index.insert(folded.to_string(), i);
                self.patterns.push(folded.to_string());
                self.payloads.push(Vec::new());
                i
            }
        };
        if !self.payloads[i].contains(&payload) {
            self.payloads[i].push(payload);
        }
    }

    /// Number of distinct patterns so far.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when no pattern was added.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// A 64-bit FNV-1a hash of the pattern list, in order: identifies the automaton.
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        // The key format version comes first, so automata stored by an older format are rebuilt.
        for p in std::iter::once(&KEY_FORMAT.to_string()).chain(&self.patterns) {
            for &b in p.as_bytes().iter().chain(std::iter::once(&0u8)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }

    fn edges(&self) -> Vec<(bool, bool)> {
        self.patterns
            .iter()
            .map(|p| {
                let first = p.chars().next().is_some_and(is_word_char);
                let last = p.chars().next_back().is_some_and(is_word_char);
                (first, last)
            })
            .collect()
    }

    /// True when every pattern is either Latin-script words or CJK only.
    fn splittable(&self) -> bool {
        self.patterns
            .iter()
            .all(|p| is_cjk_pattern(p) || is_latin_pattern(p))
    }

    /// The patterns that go into the automaton (all of them unless split), with their indices.
    fn automaton_keys(&self, split: bool) -> Vec<(String, u32)> {
        self.patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| !split || is_cjk_pattern(p))
            .map(|(i, p)| {
                let k = if split { p.clone() } else { pattern_key(p) };
                (k, i as u32)
            })
            .collect()
    }

    fn word_table(&self) -> WordTable {
        let mut t = WordTable::default();
        for (i, p) in self.patterns.iter().enumerate() {
            if !is_latin_pattern(p) {
                continue;
            }
            let key = word_key(p);
            t.mark(key.split(' ').next().unwrap_or(""));
            for (j, _) in key.match_indices(' ') {
                t.keys.entry(key[..j].into()).or_insert((NONE, true)).1 = true;
            }
            let e = t.keys.entry(key.into_boxed_str()).or_insert((NONE, false));
            if e.0 == NONE {
                e.0 = i as u32;
            }
        }
        t
    }

    fn finish(self, ac: Option<CharwiseDoubleArrayAhoCorasick<u32>>, split: bool) -> Dict<T> {
        let edges = self.edges();
        let fingerprint = self.fingerprint();
        let words = if split {
            self.word_table()
        } else {
            WordTable::default()
        };
        Dict {
            ac,
            edges,
            words,
            split,
            payloads: self.payloads,
            fingerprint,
        }
    }

    /// Builds the automaton.
    pub fn build(self) -> Result<Dict<T>, MatchError> {
        let split = self.splittable();
        let keys = self.automaton_keys(split);
        let ac = if keys.is_empty() {
            None
        } else {
            Some(
                CharwiseDoubleArrayAhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build_with_values(keys)
                    .map_err(|e| MatchError::Automaton(e.to_string()))?,
            )
        };
        Ok(self.finish(ac, split))
    }

    /// Uses a serialised automaton (from [`Dict::serialize`]) when it was built from exactly these
    /// patterns, and builds a fresh one otherwise (missing, stale or corrupt bytes).
    pub fn load_or_build(self, stored: Option<&[u8]>) -> Result<Dict<T>, MatchError> {
        let fingerprint = self.fingerprint();
        if let Some(bytes) = stored {
            if bytes.len() >= 16 {
                let fp = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
                let n = u64::from_le_bytes(bytes[8..16].try_into().unwrap_or_default());
                if fp == fingerprint && n == self.patterns.len() as u64 {
                    let split = self.splittable();
                    if bytes.len() == 16 {
                        return Ok(self.finish(None, split));
                    }
                    if let Ok((ac, _)) =
                        CharwiseDoubleArrayAhoCorasick::<u32>::deserialize(&bytes[16..])
                    {
                        return Ok(self.finish(Some(ac), split));
                    }
                }
            }
        }
        self.build()
    }
}

/// A compiled dictionary.
#[derive(Clone)]
pub struct Dict<T> {
    ac: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    edges: Vec<(bool, bool)>,
    words: WordTable,
    split: bool,
    payloads: Vec<Vec<T>>,
    fingerprint: u64,
}

impl<T> std::fmt::Debug for Dict<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dict")
            .field("patterns", &self.payloads.len())
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl<T> Dict<T> {
    /// The automaton as bytes, prefixed with the pattern-list fingerprint and count, for
    /// [`DictBuilder::load_or_build`].
    pub fn serialize(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.extend_from_slice(&(self.payloads.len() as u64).to_le_bytes());
        if let Some(ac) = &self.ac {
            out.extend_from_slice(&ac.serialize());
        }
        out
    }

    /// The payloads of pattern `i` (empty for an unknown index).
    pub fn payloads(&self, i: usize) -> &[T] {
        self.payloads.get(i).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.payloads.len()
    }

    /// True when the dictionary has no pattern.
    pub fn is_empty(&self) -> bool {
        self.payloads.is_empty()
    }

    /// Finds the non-overlapping leftmost-longest hits in `folded` whose Latin edges fall on word
    /// boundaries, in text order.
    ///
    /// One pass over the text: a Latin word costs a bit-filter test (and a hash look-up only when
    /// its first word may start a pattern); a CJK run goes to the automaton. Same hits as
    /// [`Dict::find_reference`].
    pub fn find(&self, folded: &str) -> Vec<Hit> {
        if !self.split {
            return self.find_whole(folded);
        }
        let b = folded.as_bytes();
        let mut out = Vec::new();
        let latin = !self.words.keys.is_empty();
        let mut key = String::new();
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            if x < 0x80 {
                if !x.is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
            } else {
                let c = folded[i..].chars().next().unwrap_or(' ');
                let n = c.len_utf8();
                if is_cjk(c) {
                    let run_start = i;
                    i += n;
                    while i < b.len() {
                        let c = folded[i..].chars().next().unwrap_or(' ');
                        if !(is_cjk(c) || is_cjk_joiner(c)) {
                            break;
                        }
                        i += c.len_utf8();
                    }
                    if let Some(ac) = &self.ac {
                        for m in ac.leftmost_find_iter(&folded[run_start..i]) {
                            out.push(Hit {
                                start: run_start + m.start(),
                                end: run_start + m.end(),
                                pattern: m.value() as usize,
                            });
                        }
                    }
                    continue;
                }
                if !is_word_char(c) {
                    i += n;
                    continue;
                }
            }
            // A word starts at i.
            let e = word_end(folded, i);
            if latin {
                if let Some((end, p)) = self.match_words(folded, i, e, &mut key) {
                    out.push(Hit {
                        start: i,
                        end,
                        pattern: p as usize,
                    });
                    i = end;
                    continue;
                }
            }
            i = e;
        }
        out
    }

    /// The longest Latin pattern made of the word `s..e` and the words after it (no CJK text
    /// between them): (end byte, pattern).
    #[inline]
    fn match_words(
        &self,
        folded: &str,
        s: usize,
        e: usize,
        key: &mut String,
    ) -> Option<(usize, u32)> {
        let first = &folded[s..e];
        if !self.words.maybe(first) {
            return None;
        }
        let &(p1, more) = self.words.keys.get(first)?;
        let mut best = (p1 != NONE).then_some((e, p1));
        if more {
            key.clear();
            key.push_str(first);
            let mut pos = e;
            while let Some((a, z)) = next_word(folded, pos) {
                key.push(' ');
                key.push_str(&folded[a..z]);
                match self.words.keys.get(key.as_str()) {
                    Some(&(p, more)) => {
                        if p != NONE {
                            best = Some((z, p));
                        }
                        if !more {
                            break;
                        }
                    }
                    None => break,
                }
                pos = z;
            }
        }
        best
    }

    /// The straightforward search: all words of the text listed first, then the automaton over
    /// every CJK run, hits merged. Slower than [`Dict::find`], with the same hits; kept as the
    /// reference the tests and the benchmark compare against.
    pub fn find_reference(&self, folded: &str) -> Vec<Hit> {
        if !self.split {
            return self.find_whole(folded);
        }
        let mut out = self.find_words(folded);
        if let Some(ac) = &self.ac {
            let b = folded.as_bytes();
            let mut i = 0;
            let before = out.len();
            while i < b.len() {
                if b[i] < 0x80 {
                    i += 1;
                    continue;
                }
                let c = folded[i..].chars().next().unwrap_or(' ');
                if !is_cjk(c) {
                    i += c.len_utf8();
                    continue;
                }
                let run_start = i;
                while i < b.len() {
                    let c = folded[i..].chars().next().unwrap_or(' ');
                    if !(is_cjk(c) || is_cjk_joiner(c)) {
                        break;
                    }
                    i += c.len_utf8();
                }
                for m in ac.leftmost_find_iter(&folded[run_start..i]) {
                    out.push(Hit {
                        start: run_start + m.start(),
                        end: run_start + m.end(),
                        pattern: m.value() as usize,
                    });
                }
            }
            if out.len() > before && before > 0 {
                out.sort_by_key(|h| h.start);
            }
        }
        out
    }

    /// Latin-script patterns: word n-grams that start at a known first word, longest first.
    fn find_words(&self, folded: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        if self.words.keys.is_empty() {
            return out;
        }
        let w = words(folded);
        let mut key = String::new();
        let mut i = 0;
        // Longest pattern so far at word i: (number of words, pattern).
        let mut best: Option<(usize, u32)>;
        while i < w.len() {
            let (s0, e0, _) = w[i];
            let first = &folded[s0 as usize..e0 as usize];
            if !self.words.maybe(first) {
                i += 1;
                continue;
            }
            let Some(&(p1, more)) = self.words.keys.get(first) else {
                i += 1;
                continue;
            };
            best = (p1 != NONE).then_some((1, p1));
            if more {
                key.clear();
                key.push_str(first);
                let mut k = 1;
                while i + k < w.len() && !w[i + k].2 {
                    let (a, e, _) = w[i + k];
                    key.push(' ');
                    key.push_str(&folded[a as usize..e as usize]);
                    k += 1;
                    match self.words.keys.get(key.as_str()) {
                        Some(&(p, more)) => {
                            if p != NONE {
                                best = Some((k, p));
                            }
                            if !more {
                                break;
                            }
                        }
                        None => break,
                    }
                }
            }
            match best {
                Some((k, p)) => {
                    out.push(Hit {
                        start: s0 as usize,
                        end: w[i + k - 1].1 as usize,
                        pattern: p as usize,
                    });
                    i += k;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The automaton over the whole text (dictionaries with mixed patterns).
    fn find_whole(&self, folded: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let Some(ac) = &self.ac else {
            return out;
        };
        let view = scan_view(folded);
        let n = view.len();
        let mut pos = 0;
        'outer: while pos < n {
            for m in ac.leftmost_find_iter(&view[pos..]) {
                // `pos` is always on a character boundary of the view.
                let pattern = m.value() as usize;
                let (first, last) = self.edges[pattern];
                // Positions in the view are one byte ahead of the folded text; a Latin pattern's
                // leading space is not part of the hit.
                let s = (pos + m.start() + usize::from(first)).saturating_sub(1);
                let e = pos + m.end() - 1;
                let ok_right = !last || folded[e..].chars().next().is_none_or(|c| !is_word_char(c));
                if ok_right {
                    out.push(Hit {
                        start: s,
                        end: e,
                        pattern,
                    });
                } else {
                    // Resume one character after the rejected hit's start (view coordinates).
                    pos = s + 1 + folded[s..].chars().next().map_or(1, char::len_utf8);
                    continue 'outer;
                }
            }
            break;
        }
        out
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> Dict<u32> {
        let mut b = DictBuilder::new();
        b.add("rome", 1);
        b.add("santiago", 2);
        b.add("santiago de compostela", 3);
        b.add("纽约", 4);
        b.add("rome", 5);
        b.build().unwrap()
    }

    #[test]
    fn respects_word_boundaries_and_prefers_longest() {
        let d = dict();
        let t = "romero in rome; santiago de compostela, santiago. 在纽约市";
        let hits = d.find(t);
        let got: Vec<(&str, &[u32])> = hits
            .iter()
            .map(|h| (&t[h.start..h.end], d.payloads(h.pattern)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("rome", &[1, 5][..]),
                ("santiago de compostela", &[3][..]),
                ("santiago", &[2][..]),
                ("纽约", &[4][..]),
            ]
        );
    }

    #[test]
    fn one_pass_search_agrees_with_reference_search() {
        let mut b = DictBuilder::new();
        for (i, p) in [
            "rome",
            "santiago",
            "santiago de compostela",
            "san jose",
            "san",
            "new york",
            "new york city",
            "york",
            "st louis",
            "sao paulo",
            "øresund",
            "纽约",
            "纽约市",
            "中·国",
            "刚果(金)",
            "福州",
            "福州市公安局",
            "长乐",
        ]
        .iter()
        .enumerate()
        {
            b.add(p, i as u32);
        }
        let d = b.build().unwrap();
        assert!(d.split);
        let pieces = [
            "rome",
            "romero",
            " ",
            "  ",
            ", ",
            ". ",
            "santiago",
            "de",
            "compostela",
            "san",
            "jose",
            "new",
            "york",
            "city",
            "st.",
            "louis",
            "sao",
            "paulo",
            "øresund",
            "ß",
            "纽约",
            "市",
            "中",
            "·",
            "国",
            "刚果",
            "(",
            "金",
            ")",
            "福州",
            "公安局",
            "长乐",
            "-",
            "x1",
            "9",
            "é",
            "。",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                t.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_add(0x9e37_79b9);
            assert_eq!(d.find(&t), d.find_reference(&t), "{t:?}");
        }
    }

    #[test]
    fn a_rejected_long_hit_does_not_hide_a_later_one() {
        let mut b = DictBuilder::new();
        b.add("ab", 1);
        b.add("b c", 2);
        let d = b.build().unwrap();
        // "ab" sits inside "xab", rejected; the search resumes and still finds "b c".
        let hits = d.find("xab b c");
        assert_eq!(hits.len(), 1);
        assert_eq!(d.payloads(hits[0].pattern), &[2]);
    }
}
