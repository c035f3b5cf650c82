//! [`Dict`]: exact multi-pattern search over folded text with word-boundary checks.
//!
//! Patterns are folded names; each maps to a list of payloads (several entries can share a name:
//! Valencia ES and Valencia VE). The search is leftmost-longest (a double-array Aho–Corasick
//! automaton, daachorse); a hit whose Latin edges touch a letter or digit is rejected and the
//! search resumes one character later, so "Rome" is not found in "Romero" while
//! "Santiago de Compostela" beats "Santiago".
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
    c.is_alphanumeric() && !is_cjk(c)
}

/// True for CJK ideographs and kana.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
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
const KEY_FORMAT: &str = "leading-space-charwise-v1";

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
    index: HashMap<String, usize>,
    patterns: Vec<String>,
    payloads: Vec<Vec<T>>,
}

impl<T: PartialEq> Default for DictBuilder<T> {
    fn default() -> Self {
        Self {
            index: HashMap::new(),
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
    /// already present for the pattern is not added twice.
    pub fn add(&mut self, folded: &str, payload: T) {
        let folded = folded.trim();
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

    fn keys(&self) -> Vec<String> {
        self.patterns.iter().map(|p| pattern_key(p)).collect()
    }

    /// Builds the automaton.
    pub fn build(self) -> Result<Dict<T>, MatchError> {
        let edges = self.edges();
        let fingerprint = self.fingerprint();
        let ac = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(
                self.keys()
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| (p, i as u32)),
            )
            .map_err(|e| MatchError::Automaton(e.to_string()))?;
        Ok(Dict {
            ac,
            edges,
            payloads: self.payloads,
            fingerprint,
        })
    }

    /// Uses a serialised automaton (from [`Dict::serialize`]) when it was built from exactly these
    /// patterns, and builds a fresh one otherwise (missing, stale or corrupt bytes).
    pub fn load_or_build(self, stored: Option<&[u8]>) -> Result<Dict<T>, MatchError> {
        let fingerprint = self.fingerprint();
        if let Some(bytes) = stored {
            if bytes.len() > 16 {
                let fp = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
                let n = u64::from_le_bytes(bytes[8..16].try_into().unwrap_or_default());
                if fp == fingerprint && n == self.patterns.len() as u64 {
                    if let Ok((ac, _)) = CharwiseDoubleArrayAhoCorasick::<u32>::deserialize(&bytes[16..]) {
                        let edges = self.edges();
                        return Ok(Dict {
                            ac,
                            edges,
                            payloads: self.payloads,
                            fingerprint,
                        });
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
    ac: CharwiseDoubleArrayAhoCorasick<u32>,
    edges: Vec<(bool, bool)>,
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
        out.extend_from_slice(&self.ac.serialize());
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
    /// boundaries.
    pub fn find(&self, folded: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        let view = scan_view(folded);
        let n = view.len();
        let mut pos = 0;
        'outer: while pos < n {
            for m in self.ac.leftmost_find_iter(&view[pos..]) {
                // `pos` is always on a character boundary of the view.
                let pattern = m.value() as usize;
                let (first, last) = self.edges[pattern];
                // Positions in the view are one byte ahead of the folded text; a Latin pattern's
                // leading space is not part of the hit.
                let s = (pos + m.start() + usize::from(first)).saturating_sub(1);
                let e = pos + m.end() - 1;
                let ok_right =
                    !last || folded[e..].chars().next().is_none_or(|c| !is_word_char(c));
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
