//! [`Dict`]: exact multi-pattern search over folded text with word-boundary checks.
//!
//! Patterns are folded names; each maps to a list of payloads (several entries can share a name:
//! Valencia ES and Valencia VE). The search is leftmost-longest (Aho–Corasick); a hit whose Latin
//! edges touch a letter or digit is rejected and the search resumes one character later, so
//! "Rome" is not found in "Romero" while "Santiago de Compostela" beats "Santiago".

use crate::MatchError;
use aho_corasick::{AhoCorasick, Input, MatchKind};
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

    /// Builds the automaton.
    pub fn build(self) -> Result<Dict<T>, MatchError> {
        let edges = self
            .patterns
            .iter()
            .map(|p| {
                let first = p.chars().next().is_some_and(is_word_char);
                let last = p.chars().next_back().is_some_and(is_word_char);
                (first, last)
            })
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&self.patterns)
            .map_err(|e| MatchError::Automaton(e.to_string()))?;
        Ok(Dict {
            ac,
            edges,
            payloads: self.payloads,
        })
    }
}

/// A compiled dictionary.
#[derive(Debug, Clone)]
pub struct Dict<T> {
    ac: AhoCorasick,
    edges: Vec<(bool, bool)>,
    payloads: Vec<Vec<T>>,
}

impl<T> Dict<T> {
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
        let n = folded.len();
        let mut pos = 0;
        while pos < n {
            let Some(m) = self.ac.find(Input::new(folded).span(pos..n)) else {
                break;
            };
            let (s, e) = (m.start(), m.end());
            let (first, last) = self.edges[m.pattern().as_usize()];
            let ok_left = !first
                || folded[..s]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_word_char(c));
            let ok_right = !last || folded[e..].chars().next().is_none_or(|c| !is_word_char(c));
            if ok_left && ok_right {
                out.push(Hit {
                    start: s,
                    end: e,
                    pattern: m.pattern().as_usize(),
                });
                pos = e;
            } else {
                pos = s + folded[s..].chars().next().map_or(1, char::len_utf8);
            }
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
