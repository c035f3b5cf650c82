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

/// Whether `s` starts with the word(s) `w`: no word character follows it.
pub(crate) fn word_at_start(s: &str, w: &str) -> bool {
    s.starts_with(w) && s[w.len()..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// Whether `s` ends with the word(s) `w`: no word character precedes it.
pub(crate) fn word_at_end(s: &str, w: &str) -> bool {
    s.ends_with(w)
        && s[..s.len() - w.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c))
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

/// The character at byte `i` of `t` (a character boundary below its length) and its length;
/// three-byte characters (CJK) are decoded directly.
#[inline]
fn char_at(t: &str, i: usize) -> (char, usize) {
    let b = t.as_bytes();
    let x = b[i];
    if x < 0x80 {
        return (char::from(x), 1);
    }
    if (0xE0..0xF0).contains(&x) && i + 2 < b.len() {
        let u = (u32::from(x) & 0x0F) << 12
            | (u32::from(b[i + 1]) & 0x3F) << 6
            | (u32::from(b[i + 2]) & 0x3F);
        return (char::from_u32(u).unwrap_or(' '), 3);
    }
    let c = t[i..].chars().next().unwrap_or(' ');
    (c, c.len_utf8())
}

/// End byte of the word (run of word characters) that starts at byte `s` of `t`; ASCII letters
/// and digits are skipped eight bytes at a time.
#[inline(always)]
fn word_end(t: &str, s: usize) -> usize {
    let b = t.as_bytes();
    let mut i = s;
    loop {
        if i + 8 <= b.len() {
            let stop = !alnum_mask(load8(b, i)) & HIGH;
            if stop == 0 {
                i += 8;
                continue;
            }
            i += (stop.trailing_zeros() / 8) as usize;
        } else {
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
        }
        if i < b.len() && b[i] >= 0x80 {
            let (c, n) = char_at(t, i);
            if is_word_char(c) {
                i += n;
                continue;
            }
        }
        return i;
    }
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
    /// The table of the word keys `keys` (key, pattern index), in pattern order.
    fn new(keys: &[(String, u32)]) -> Self {
        let mut t = WordTable::default();
        for (key, i) in keys {
            t.mark(key.split(' ').next().unwrap_or(""));
            for (j, _) in key.match_indices(' ') {
                t.keys.entry(key[..j].into()).or_insert((NONE, true)).1 = true;
            }
            let e = t.keys.entry(key.as_str().into()).or_insert((NONE, false));
            if e.0 == NONE {
                e.0 = *i;
            }
        }
        t
    }

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

const HIGH: u64 = 0x8080_8080_8080_8080;

/// `x` in every byte.
const fn bytes8(x: u8) -> u64 {
    0x0101_0101_0101_0101 * x as u64
}

/// Up to eight bytes of `b` from `i` (`r` of them, 1..=8, all inside `b`), zero-extended,
/// little-endian.
#[inline]
fn load_partial(b: &[u8], i: usize, r: usize) -> u64 {
    if i + 8 <= b.len() {
        load8(b, i) & (u64::MAX >> (8 * (8 - r)))
    } else if i + r >= 8 {
        load8(b, i + r - 8) >> (8 * (8 - r))
    } else {
        let mut x = [0u8; 8];
        x[..r].copy_from_slice(&b[i..i + r]);
        u64::from_le_bytes(x)
    }
}

/// The eight bytes of `b` at `i` (which must have eight bytes), little-endian.
#[inline]
fn load8(b: &[u8], i: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(x)
}

/// 0x80 in every byte of `x` that is an ASCII letter or digit, 0 elsewhere.
#[inline]
fn alnum_mask(x: u64) -> u64 {
    let ascii = !x & HIGH;
    let v = x & !HIGH;
    // Bit 7 of (v + (0x80 - lo)) is set when v >= lo; of (v + (0x7F - hi)) when v > hi.
    let within = |v: u64, lo: u8, hi: u8| (v + bytes8(0x80 - lo)) & !(v + bytes8(0x7F - hi)) & HIGH;
    ascii & (within(v, b'0', b'9') | within(v | bytes8(0x20), b'a', b'z'))
}

/// A bit filter of the pairs of characters that patterns start with.
#[derive(Clone, Default)]
struct PairFilter {
    /// 2^16 bits.
    bits: Vec<u64>,
    /// Set when some pattern is shorter than two characters: then every position is a
    /// candidate.
    all: bool,
}

impl PairFilter {
    fn new<'a>(patterns: impl Iterator<Item = &'a String>) -> Self {
        let mut f = PairFilter {
            bits: vec![0; 1 << 10],
            all: false,
        };
        for p in patterns {
            let mut cs = p.chars();
            match (cs.next(), cs.next()) {
                (Some(a), Some(b)) => {
                    let k = Self::slot(a, b);
                    f.bits[k >> 6] |= 1 << (k & 63);
                }
                _ => f.all = true,
            }
        }
        f
    }

    #[inline]
    fn slot(a: char, b: char) -> usize {
        let h = (a as u32).wrapping_mul(0x9E37_79B1) ^ (b as u32).wrapping_mul(0x85EB_CA77);
        (h.wrapping_mul(0xC2B2_AE3D) >> 16) as usize
    }

    /// Whether a pattern may start with `a` followed by `b`.
    #[inline]
    fn has(&self, a: char, b: char) -> bool {
        let k = Self::slot(a, b);
        self.bits
            .get(k >> 6)
            .is_some_and(|x| x & (1 << (k & 63)) != 0)
    }
}

/// A word of text as a hashable key: its first eight bytes (zero-padded, little-endian), its
/// length, and a 64-bit hash of all its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WordKey {
    k0: u64,
    len: u32,
    hash: u64,
}

impl WordKey {
    /// The key of `b[s..e]` (`s < e <= b.len()`).
    #[inline(always)]
    fn of(b: &[u8], s: usize, e: usize) -> Self {
        let n = e - s;
        let k0 = load_partial(b, s, n.min(8));
        let mut h = mix((n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15), k0);
        let mut i = s + 8;
        while i < e {
            h = mix(h, load_partial(b, i, (e - i).min(8)));
            i += 8;
        }
        WordKey {
            k0,
            len: n as u32,
            hash: finish_hash(h),
        }
    }

    /// The length (capped at 255) in the top byte, 24 bits of the hash below: with `k0`, this
    /// identifies a word of up to eight bytes exactly.
    #[inline]
    fn meta(&self) -> u32 {
        self.len.min(255) << 24 | (self.hash >> 40) as u32
    }
}

#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x)
        .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
        .rotate_left(23)
}

#[inline]
fn finish_hash(h: u64) -> u64 {
    let h = (h ^ (h >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 29)
}

/// Bits of the first-word and edge filters of a [`WordTrie`] (2^20 bits, 128 KiB each).
const TRIE_FILTER_BITS: u32 = 20;

/// The edge-filter bit of (node, hash of the next word).
#[inline]
fn edge_slot(node: u32, h: u64) -> usize {
    ((h ^ u64::from(node).wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
        >> (64 - TRIE_FILTER_BITS)) as usize
}

/// One slot of the word table of a [`WordTrie`] (16 bytes, so four share a cache line).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The word's first eight bytes, zero-padded.
    k0: u64,
    /// [`WordKey::meta`]: length and hash bits.
    meta: u32,
    /// Word id + 1; 0 = empty slot.
    id: u32,
}

/// The Latin-script half of a split dictionary as a trie over word ids: every word of every
/// pattern gets an id (an open-addressed table keyed by [`WordKey`], compared as integers); a
/// pattern is a path of word ids from the root. So each word of a text costs a filter bit test
/// and at most one table probe, and extending a match by a word one probe and one integer
/// look-up. Words that start a pattern have the lowest ids, each equal to the index of its
/// one-word node.
#[derive(Clone, Default)]
struct WordTrie {
    /// Open-addressed table of the words by [`WordKey`] hash; length a power of two.
    slots: Vec<Slot>,
    /// The bytes of every word, concatenated: word `i` is `pool[ends[i]..ends[i + 1]]` (only
    /// read for words longer than eight bytes).
    pool: Vec<u8>,
    ends: Vec<u32>,
    /// Bit filter of the first words of the patterns, indexed by the top bits of the hash.
    filter: Vec<u64>,
    /// Bit filter of the edges (node, hash of the next word), so that most failed extensions
    /// cost no look-up.
    edge_filter: Vec<u64>,
    /// Number of words that start a pattern (their ids and one-word nodes are `0..first`).
    first: u32,
    /// (node << 32 | word id) → child node.
    child: FxMap<u64, u32>,
    /// Node → (pattern index or `NONE`, whether the node has children).
    nodes: Vec<(u32, bool)>,
}

impl WordTrie {
    /// The trie of the patterns' word keys (`(key, pattern index)`, keys as [`word_key`] makes
    /// them); the first pattern given for a key wins.
    fn new(keys: &[(String, u32)]) -> Self {
        if keys.is_empty() {
            return WordTrie::default();
        }
        let mut t = WordTrie {
            filter: vec![0; 1 << (TRIE_FILTER_BITS - 6)],
            edge_filter: vec![0; 1 << (TRIE_FILTER_BITS - 6)],
            ends: vec![0],
            ..WordTrie::default()
        };
        let mut ids: FxMap<&str, u32> =
            FxMap::with_capacity_and_hasher(keys.len() + keys.len() / 4, Default::default());
        // First words get the lowest ids (= their one-word nodes), in order of appearance.
        let mut words: Vec<&str> = Vec::new();
        for pass in 0..2 {
            for (key, _) in keys {
                for (j, w) in key.split(' ').enumerate() {
                    if (pass == 0) == (j == 0) && !ids.contains_key(w) {
                        ids.insert(w, words.len() as u32);
                        words.push(w);
                    }
                }
            }
            if pass == 0 {
                t.first = words.len() as u32;
                t.nodes = vec![(NONE, false); words.len()];
            }
        }
        for w in &words {
            t.pool.extend_from_slice(w.as_bytes());
            t.ends.push(t.pool.len() as u32);
        }
        for (key, p) in keys {
            let mut node = NONE;
            for (j, w) in key.split(' ').enumerate() {
                let id = ids.get(w).copied().unwrap_or(NONE);
                node = if j == 0 {
                    let h = WordKey::of(w.as_bytes(), 0, w.len()).hash;
                    let k = (h >> (64 - TRIE_FILTER_BITS)) as usize;
                    t.filter[k >> 6] |= 1 << (k & 63);
                    id
                } else {
                    let k = edge_slot(node, WordKey::of(w.as_bytes(), 0, w.len()).hash);
                    t.edge_filter[k >> 6] |= 1 << (k & 63);
                    let edge = u64::from(node) << 32 | u64::from(id);
                    match t.child.get(&edge) {
                        Some(&n) => n,
                        None => {
                            let n = t.nodes.len() as u32;
                            t.nodes.push((NONE, false));
                            t.child.insert(edge, n);
                            t.nodes[node as usize].1 = true;
                            n
                        }
                    }
                };
            }
            if let Some(n) = t.nodes.get_mut(node as usize) {
                if n.0 == NONE {
                    n.0 = *p;
                }
            }
        }
        // Load factor at most 0.8, so that the table stays small (in cache).
        let cap = (words.len() * 3 / 2 + 1).next_power_of_two().max(16);
        t.slots = vec![Slot::default(); cap];
        for (id, w) in words.iter().enumerate() {
            if w.is_empty() {
                continue;
            }
            let key = WordKey::of(w.as_bytes(), 0, w.len());
            let mut k = key.hash as usize & (cap - 1);
            while t.slots[k].id != 0 {
                k = (k + 1) & (cap - 1);
            }
            t.slots[k] = Slot {
                k0: key.k0,
                meta: key.meta(),
                id: id as u32 + 1,
            };
        }
        t
    }

    /// True when no pattern was added.
    fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether the word with hash `h` may start a pattern.
    #[inline]
    fn may_start(&self, h: u64) -> bool {
        let k = (h >> (64 - TRIE_FILTER_BITS)) as usize;
        self.filter
            .get(k >> 6)
            .is_some_and(|x| x & (1 << (k & 63)) != 0)
    }

    /// Whether node `node` may have a child by the word with hash `h`.
    #[inline]
    fn may_follow(&self, node: u32, h: u64) -> bool {
        let k = edge_slot(node, h);
        self.edge_filter
            .get(k >> 6)
            .is_some_and(|x| x & (1 << (k & 63)) != 0)
    }

    /// The id of the word `w` with key `key`, or `NONE`.
    #[inline(always)]
    fn id(&self, key: &WordKey, w: &[u8]) -> u32 {
        let mask = self.slots.len().wrapping_sub(1);
        let meta = key.meta();
        let mut k = key.hash as usize & mask;
        while let Some(slot) = self.slots.get(k) {
            if slot.id == 0 {
                return NONE;
            }
            if slot.k0 == key.k0 && slot.meta == meta {
                let i = (slot.id - 1) as usize;
                if key.len <= 8
                    || self
                        .pool
                        .get(self.ends[i] as usize..self.ends[i + 1] as usize)
                        .is_some_and(|p| p.get(8..) == w.get(8..))
                {
                    return slot.id - 1;
                }
            }
            k = (k + 1) & mask;
        }
        NONE
    }

    /// The node reached from `node` by word `id` (`node == NONE`: from the root), or `NONE`.
    #[inline]
    fn step(&self, node: u32, id: u32) -> u32 {
        if node == NONE {
            return if id < self.first { id } else { NONE };
        }
        if id == NONE {
            return NONE;
        }
        self.child
            .get(&(u64::from(node) << 32 | u64::from(id)))
            .copied()
            .unwrap_or(NONE)
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

    fn finish(self, ac: Option<CharwiseDoubleArrayAhoCorasick<u32>>, split: bool) -> Dict<T> {
        let edges = self.edges();
        let fingerprint = self.fingerprint();
        let latin_keys: Vec<(String, u32)> = if split {
            self.patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| is_latin_pattern(p))
                .map(|(i, p)| (word_key(p), i as u32))
                .collect()
        } else {
            Vec::new()
        };
        let trie = WordTrie::new(&latin_keys);
        let cjk_starts = if split {
            PairFilter::new(self.patterns.iter().filter(|p| is_cjk_pattern(p)))
        } else {
            PairFilter::default()
        };
        Dict {
            ac,
            edges,
            trie,
            latin_keys,
            words: std::sync::OnceLock::new(),
            cjk_starts,
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
    /// The Latin-script patterns for [`Dict::find`].
    trie: WordTrie,
    /// The Latin-script patterns' word keys with their pattern indices, in pattern order.
    latin_keys: Vec<(String, u32)>,
    /// The same patterns as a string-keyed table, for [`Dict::find_reference`] (built on its
    /// first use, so loading does not pay for it).
    words: std::sync::OnceLock<WordTable>,
    /// The CJK patterns' first two characters, for skipping CJK text no pattern starts in.
    cjk_starts: PairFilter,
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
    /// One pass over the text: a Latin word costs a bit-filter test (and a probe of the word
    /// table only when it may start a pattern; a match grows word by word through the trie); a
    /// CJK run goes to the automaton. Same hits as [`Dict::find_reference`].
    pub fn find(&self, folded: &str) -> Vec<Hit> {
        if !self.split {
            return self.find_whole(folded);
        }
        let b = folded.as_bytes();
        let mut out = Vec::new();
        let latin = !self.trie.is_empty();
        // Words looked up while extending the last match attempt: (start byte, word id).
        let mut chain: Vec<(usize, u32)> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            let e = if x < 0x80 {
                if !x.is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                word_end(folded, i)
            } else {
                let (c, n) = char_at(folded, i);
                if is_cjk(c) {
                    // The run, and where the first pair of characters that can start a
                    // pattern begins: no hit starts before it, so the automaton starts there.
                    let mut from = if self.cjk_starts.all { i } else { usize::MAX };
                    let (mut prev, mut prev_at) = (c, i);
                    i += n;
                    while i < b.len() {
                        let (c, n) = char_at(folded, i);
                        if !(is_cjk(c) || is_cjk_joiner(c)) {
                            break;
                        }
                        if from == usize::MAX && self.cjk_starts.has(prev, c) {
                            from = prev_at;
                        }
                        (prev, prev_at) = (c, i);
                        i += n;
                    }
                    if let (Some(ac), Some(run)) = (&self.ac, folded.get(from..i)) {
                        for m in ac.leftmost_find_iter(run) {
                            out.push(Hit {
                                start: from + m.start(),
                                end: from + m.end(),
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
                word_end(folded, i)
            };
            // A word starts at i.
            if latin {
                if let Some((end, p)) = self.match_words(folded, i, e, &mut chain) {
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
    /// between them): (end byte, pattern). `chain` holds the words looked up by the previous
    /// call (a word is looked up once even when it is tried again as a first word) and is
    /// refilled.
    #[inline]
    fn match_words(
        &self,
        folded: &str,
        s: usize,
        e: usize,
        chain: &mut Vec<(usize, u32)>,
    ) -> Option<(usize, u32)> {
        let b = folded.as_bytes();
        let id = match chain.iter().find(|x| x.0 == s) {
            Some(&(_, id)) => id,
            None => {
                let key = WordKey::of(b, s, e);
                if !self.trie.may_start(key.hash) {
                    return None;
                }
                self.trie.id(&key, &b[s..e])
            }
        };
        let mut node = self.trie.step(NONE, id);
        let &(p, mut more) = self.trie.nodes.get(node as usize)?;
        let mut best = (p != NONE).then_some((e, p));
        chain.clear();
        let mut pos = e;
        while more {
            let Some((a, z)) = next_word(folded, pos) else {
                break;
            };
            let key = WordKey::of(b, a, z);
            if !self.trie.may_follow(node, key.hash) {
                break;
            }
            let id = self.trie.id(&key, &b[a..z]);
            chain.push((a, id));
            node = self.trie.step(node, id);
            let Some(&(p, m)) = self.trie.nodes.get(node as usize) else {
                break;
            };
            if p != NONE {
                best = Some((z, p));
            }
            more = m;
            pos = z;
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
        let table = self.words.get_or_init(|| WordTable::new(&self.latin_keys));
        if table.keys.is_empty() {
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
            if !table.maybe(first) {
                i += 1;
                continue;
            }
            let Some(&(p1, more)) = table.keys.get(first) else {
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
                    match table.keys.get(key.as_str()) {
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
    fn alnum_mask_marks_exactly_ascii_letters_and_digits() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                // The byte at `pos` among neighbours that exercise carries and borrows.
                for fill in [0u8, b' ', b'z', 0xff, b'0', b'@'] {
                    let mut w = [fill; 8];
                    w[pos] = b;
                    let m = alnum_mask(u64::from_le_bytes(w));
                    for (k, &x) in w.iter().enumerate() {
                        let bit = (m >> (8 * k)) & 0xff;
                        assert_eq!(bit == 0x80, x.is_ascii_alphanumeric(), "{w:?} byte {k}");
                        assert!(bit == 0 || bit == 0x80);
                    }
                }
            }
        }
    }

    #[test]
    fn word_keys_read_in_text_equal_keys_of_the_word_alone() {
        let text = "a bc def ghij klmnopq rstuvwxyz internationalisation x1 ñandú 9".as_bytes();
        for s in 0..text.len() {
            for e in s + 1..=text.len() {
                let alone = text[s..e].to_vec();
                assert_eq!(
                    WordKey::of(text, s, e),
                    WordKey::of(&alone, 0, alone.len()),
                    "{s}..{e}"
                );
            }
        }
    }

    #[test]
    fn word_table_tells_apart_long_words_with_the_same_first_eight_bytes() {
        // Ten words of fifteen bytes that agree on their first eight, in a table of 16 slots,
        // so look-ups walk past slots with equal first bytes and equal length.
        let words: Vec<String> = (0..10u8)
            .map(|k| format!("internationa{}{}", char::from(b'a' + k), "xy"))
            .collect();
        let keys: Vec<(String, u32)> = words.iter().map(|w| (w.clone(), 0)).collect();
        let t = WordTrie::new(&keys);
        assert_eq!(t.slots.len(), 16);
        for w in &words {
            let b = w.as_bytes();
            let id = t.id(&WordKey::of(b, 0, b.len()), b);
            assert_ne!(id, NONE, "{w}");
            let i = id as usize;
            assert_eq!(&t.pool[t.ends[i] as usize..t.ends[i + 1] as usize], b);
        }
        for k in 0..26u8 {
            let w = format!("internationa{}zz", char::from(b'a' + k));
            let b = w.as_bytes();
            assert_eq!(t.id(&WordKey::of(b, 0, b.len()), b), NONE, "{w}");
        }
    }

    /// Long words that share their first eight bytes, patterns that extend other patterns by
    /// several words, words that only continue patterns, a one-character CJK pattern (so the
    /// CJK pair filter is off) and CJK text at the very end of the text.
    #[test]
    fn one_pass_search_agrees_with_reference_on_long_and_shared_words() {
        let patterns = [
            "international",
            "internationale",
            "internationalisation",
            "internat",
            "inter",
            "international airport",
            "international airport city",
            "airport city",
            "la",
            "la paz",
            "la paz de ayacucho",
            "paz",
            "city",
            "the hague",
            "of",
            "san jose del cabo",
            "新",
            "新西兰",
            "西兰",
        ];
        let pieces = [
            "international",
            "internationale",
            "internationalisation",
            "internationalisations",
            "internat",
            "inter",
            "intern",
            "airport",
            "city",
            "la",
            "paz",
            "de",
            "ayacucho",
            "the",
            "hague",
            "of",
            "san",
            "jose",
            "del",
            "cabo",
            "新",
            "西兰",
            "新西",
            "兰",
            " ",
            " ",
            ", ",
            "-",
            "é",
            "x",
        ];
        for cjk_one in [true, false] {
            let mut b = DictBuilder::new();
            for (i, p) in patterns.iter().enumerate() {
                if cjk_one || *p != "新" {
                    b.add(p, i as u32);
                }
            }
            let d = b.build().unwrap();
            assert!(d.split);
            assert_eq!(d.cjk_starts.all, cjk_one);
            let mut state = 0x9e37_79b9_7f4a_7c15u64;
            for _ in 0..4000 {
                let mut t = String::new();
                for _ in 0..(state % 16) {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    t.push_str(pieces[(state % pieces.len() as u64) as usize]);
                }
                state = state.wrapping_add(0x2545_f491);
                assert_eq!(d.find(&t), d.find_reference(&t), "{t:?}");
            }
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
