//! Text helpers that keep offsets honest.
//!
//! * [`CharIndex`] converts byte offsets to code-point offsets and back in O(log n).
//! * [`sentences`] splits a text into sentence byte ranges (zh/es/en punctuation, newlines,
//!   common abbreviations).
//! * [`FoldedText`] is a normalised copy of a text (compatibility decomposition, accents removed,
//!   lower case, width folding, quotes and dashes unified, whitespace runs collapsed, plus an optional
//!   per-character map such as Traditional→Simplified) that remembers, for every byte of the folded
//!   text, which code point of the original it came from. Match on the folded text, then report
//!   original code-point offsets with [`FoldedText::original_range`], as HF tokenizers do.

use std::collections::HashMap;
use std::ops::Range;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

const CHECKPOINT: usize = 64;

/// Byte ↔ code-point offset conversion for one text.
///
/// Memory is one `usize` per 64 code points (none for ASCII text); each lookup is a binary search
/// plus a scan of at most 64 code points.
#[derive(Debug, Clone)]
pub struct CharIndex {
    ascii: bool,
    /// Byte offset of every CHECKPOINT-th code point.
    checkpoints: Vec<usize>,
    byte_len: usize,
    char_len: usize,
}

impl CharIndex {
    /// Builds the index for `text`.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self {
                ascii: true,
                checkpoints: Vec::new(),
                byte_len: text.len(),
                char_len: text.len(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut n = 0;
        for (b, _) in text.char_indices() {
            if n % CHECKPOINT == 0 {
                checkpoints.push(b);
            }
            n += 1;
        }
        Self {
            ascii: false,
            checkpoints,
            byte_len: text.len(),
            char_len: n,
        }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Code-point offset of byte offset `byte` in `text` (the same text the index was built from).
    /// A byte offset inside a character maps to that character; offsets past the end map to the
    /// code-point length.
    pub fn char_of_byte(&self, text: &str, byte: usize) -> usize {
        if self.ascii {
            return byte.min(self.char_len);
        }
        if byte >= self.byte_len {
            return self.char_len;
        }
        let k = match self.checkpoints.binary_search(&byte) {
            Ok(k) => return k * CHECKPOINT,
            Err(k) => k - 1,
        };
        let base = self.checkpoints[k];
        let mut n = k * CHECKPOINT;
        for (b, _) in text[base..].char_indices() {
            if base + b >= byte {
                if base + b > byte {
                    n -= 1;
                }
                return n;
            }
            n += 1;
        }
        self.char_len
    }

    /// Byte offset of code point `ch` in `text`; `ch` past the end maps to the byte length.
    pub fn byte_of_char(&self, text: &str, ch: usize) -> usize {
        if self.ascii {
            return ch.min(self.byte_len);
        }
        if ch >= self.char_len {
            return self.byte_len;
        }
        let k = ch / CHECKPOINT;
        let base = self.checkpoints[k];
        let skip = ch - k * CHECKPOINT;
        text[base..]
            .char_indices()
            .nth(skip)
            .map(|(b, _)| base + b)
            .unwrap_or(self.byte_len)
    }
}

fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '」' | '』' | '》' | '）' | ')' | ']' | '»' | '】'
    )
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "sra", "srta", "st", "av", "avda", "no", "nº", "núm",
    "num", "vs", "etc", "inc", "ltd", "co", "corp", "jr", "gen", "gov", "sen", "rep", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ene",
    "abr", "ago", "dic", "pág", "p", "pp", "ca", "approx", "e.g", "i.e", "u.s", "u.k", "ee.uu",
    "dña", "d", "lic", "ing", "arq", "mt",
];

/// Splits `text` into sentences and returns their byte ranges, trimmed of surrounding whitespace.
/// Empty sentences are skipped. Never fails; a text without terminators is one sentence.
///
/// Splits after `. ! ?` followed by whitespace (unless the word before the period is a known
/// abbreviation or a single letter), after `。！？；…` (and any closing quotes), and at every newline.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut iter = text.char_indices().peekable();
    let push = |out: &mut Vec<Range<usize>>, s: usize, e: usize| {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if s + lead < e - trail {
            out.push(s + lead..e - trail);
        }
    };
    while let Some((b, c)) = iter.next() {
        if c == '\n' || c == '\r' {
            push(&mut out, start, b);
            start = b + c.len_utf8();
            continue;
        }
        let cjk = is_cjk_terminator(c);
        let latin = matches!(c, '.' | '!' | '?');
        if !cjk && !latin {
            continue;
        }
        // Swallow repeated terminators and closing quotes/brackets.
        let mut end = b + c.len_utf8();
        while let Some(&(b2, c2)) = iter.peek() {
            if is_closer(c2) || matches!(c2, '.' | '!' | '?') || is_cjk_terminator(c2) {
                end = b2 + c2.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        if latin {
            // Needs whitespace after it.
            match iter.peek() {
                Some(&(_, n)) if n.is_whitespace() => {}
                None => {}
                _ => continue,
            }
            if c == '.' {
                let before = &text[start..b];
                let word: String = before
                    .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                let letters = word.chars().filter(|ch| ch.is_alphabetic()).count();
                if letters == 1 || ABBREVIATIONS.contains(&word.as_str()) {
                    continue;
                }
                if word.chars().all(|ch| ch.is_ascii_digit()) && !word.is_empty() {
                    // "1. " list numbers and "3." ordinals stay with their sentence.
                    if word.len() <= 2 {
                        continue;
                    }
                }
            }
        }
        push(&mut out, start, end);
        start = end;
    }
    push(&mut out, start, text.len());
    out
}

/// A folded copy of a text with an alignment back to the original code points.
#[derive(Debug, Clone)]
pub struct FoldedText {
    /// The folded text: match on this.
    pub folded: String,
    /// Which code point of the original every byte of `folded` came from, as segments.
    align: Align,
    /// For each collapsed space of `folded` that stands for more than one whitespace character:
    /// (its byte offset, the exclusive end code point of the whitespace run), by offset. Every
    /// other byte ends at its origin + 1.
    space_ends: Vec<(u32, u32)>,
    original_chars: usize,
}

/// The alignment of folded bytes to original code points, stored as segments in which every
/// original code point gave the same number of folded bytes (1 for ASCII and accented Latin, 3 for
/// CJK ideographs): a few entries per paragraph instead of one per byte.
#[derive(Debug, Clone, Default)]
struct Align {
    /// (first folded byte, its original code point, folded bytes per code point), by byte.
    segs: Vec<(u32, u32, u32)>,
    next_byte: u32,
    next_char: u32,
    stride: u32,
}

impl Align {
    /// Records that original code point `ch` gave the `k` (≥ 1) folded bytes starting at `byte`.
    #[inline]
    fn emit(&mut self, byte: u32, ch: u32, k: u32) {
        if byte != self.next_byte
            || ch != self.next_char
            || k != self.stride
            || self.segs.is_empty()
        {
            self.segs.push((byte, ch, k));
            self.stride = k;
        }
        self.next_byte = byte + k;
        self.next_char = ch + 1;
    }

    /// The original code point of folded byte `b` (which must be below the folded length).
    #[inline]
    fn origin(&self, b: u32) -> u32 {
        let k = self.segs.partition_point(|s| s.0 <= b).saturating_sub(1);
        match self.segs.get(k) {
            Some(&(fb, ch, stride)) => ch + (b - fb) / stride.max(1),
            None => 0,
        }
    }
}

/// First and last (exclusive) code point of the flat character-map table: the CJK blocks
/// (Extension A and the unified ideographs), where Traditional→Simplified maps live.
const TABLE_START: u32 = 0x3400;
const TABLE_END: u32 = 0xA000;

/// Options and tables for folding text ([`Folder::fold`]).
///
/// Folding: compatibility decomposition (NFKC-like: full-width forms, ligatures, circled digits),
/// accents (combining marks) dropped, lower case, quotes and dashes unified, whitespace runs
/// collapsed to one space, plus an optional per-character map applied first (e.g.
/// Traditional → Simplified Chinese). ASCII and CJK ideographs take fast paths; the character map
/// is a flat table for the CJK blocks, so folding runs at several hundred MB/s.
#[derive(Debug, Clone)]
pub struct Folder {
    /// Map entries outside the CJK table (and all of them, for [`Folder::char_map`]).
    char_map: HashMap<char, char>,
    /// Map for U+3400..U+9FFF: 0 = unchanged. Empty when the map has no entry there.
    table: Vec<u32>,
    /// Whether the map has an ASCII key (then ASCII takes the general path).
    ascii_mapped: bool,
    /// Whether the map has an entry outside the table.
    other_mapped: bool,
    keep_case: bool,
    /// Precomputed folds of the common non-ASCII characters outside the CJK table
    /// ([`CACHED_RANGES`]).
    cache: FoldCache,
}

/// Code-point ranges whose folds [`FoldCache`] precomputes: Latin-1 and Latin Extended-A/B
/// (Spanish accents), combining accents, general punctuation (quotes, dashes), CJK symbols and
/// punctuation (。、「」), full-width and half-width forms (，：（）).
const CACHED_RANGES: [(u32, u32); 5] = [
    (0x80, 0x250),
    (0x300, 0x370),
    (0x2000, 0x2070),
    (0x3000, 0x3040),
    (0xFF00, 0xFFF0),
];

/// Marks a [`FoldCache`] entry whose character must take the general path (it folds to
/// whitespace).
const UNCACHED: u32 = u32::MAX;

/// The folded form of every character of [`CACHED_RANGES`] (after the character map), so that
/// folding one costs a table look-up instead of a decomposition.
#[derive(Debug, Clone, Default)]
struct FoldCache {
    /// For each cached code point: (start << 8 | length) of its fold in `pool`, or [`UNCACHED`].
    entries: Vec<u32>,
    /// The folds, concatenated.
    pool: String,
}

impl FoldCache {
    /// Index of `u` in `entries`, if it lies in a cached range.
    #[inline]
    fn index(u: u32) -> Option<usize> {
        let mut base = 0;
        for &(a, z) in &CACHED_RANGES {
            if u < z {
                return u.checked_sub(a).map(|k| base + k as usize);
            }
            base += (z - a) as usize;
        }
        None
    }

    /// The fold of `u`, when cached.
    #[inline]
    fn get(&self, u: u32) -> Option<&str> {
        let e = *self.entries.get(Self::index(u)?)?;
        if e == UNCACHED {
            return None;
        }
        let start = (e >> 8) as usize;
        self.pool.get(start..start + (e & 0xFF) as usize)
    }
}

#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

#[inline]
fn unify_punct(d: char) -> char {
    match d {
        '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』' => '"',
        '‘' | '’' | '‚' | '′' => '\'',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '－' => '-',
        '·' | '・' | '•' => '·',
        d => d,
    }
}

impl Default for Folder {
    /// The same as [`Folder::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl Folder {
    /// The default folding: compatibility decomposition, accents dropped, lower case.
    pub fn new() -> Self {
        Self {
            char_map: HashMap::new(),
            table: Vec::new(),
            ascii_mapped: false,
            other_mapped: false,
            keep_case: false,
            cache: FoldCache::default(),
        }
        .with_cache()
    }

    /// Rebuilds the fold cache for the current map and case option.
    fn with_cache(mut self) -> Self {
        let mut cache = FoldCache::default();
        let mut buf = String::new();
        for &(a, z) in &CACHED_RANGES {
            for u in a..z {
                let folded = char::from_u32(u).and_then(|c0| {
                    let c = self.map(c0);
                    if is_fold_space(c) {
                        return None;
                    }
                    buf.clear();
                    self.fold_char(c, &mut buf);
                    (buf.len() < 256).then_some(buf.as_str())
                });
                match folded {
                    Some(f) => {
                        cache
                            .entries
                            .push(((cache.pool.len() as u32) << 8) | f.len() as u32);
                        cache.pool.push_str(f);
                    }
                    None => cache.entries.push(UNCACHED),
                }
            }
        }
        self.cache = cache;
        self
    }

    /// Appends the fold of one (already mapped) character that is not whitespace: a CJK
    /// ideograph as it is; anything else decomposed (compatibility), combining marks dropped,
    /// punctuation unified, lower-cased unless case is kept. May append nothing.
    #[inline]
    fn fold_char(&self, c: char, out: &mut String) {
        if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
            out.push(c);
            return;
        }
        let keep_case = self.keep_case;
        decompose_compatible(c, |d: char| {
            let d = unify_punct(d);
            if is_combining_mark(d) {
                return;
            }
            if keep_case {
                out.push(d);
            } else if d.is_ascii() {
                out.push(d.to_ascii_lowercase());
            } else {
                for l in d.to_lowercase() {
                    out.push(l);
                }
            }
        });
    }

    /// Adds a per-character map applied before folding (e.g. Traditional → Simplified Chinese).
    pub fn with_char_map(mut self, map: HashMap<char, char>) -> Self {
        let mut table = Vec::new();
        let mut ascii_mapped = false;
        let mut other_mapped = false;
        for (&k, &v) in &map {
            let u = k as u32;
            if (TABLE_START..TABLE_END).contains(&u) {
                if table.is_empty() {
                    table = vec![0u32; (TABLE_END - TABLE_START) as usize];
                }
                table[(u - TABLE_START) as usize] = v as u32;
            } else {
                ascii_mapped |= k.is_ascii();
                other_mapped = true;
            }
        }
        self.char_map = map;
        self.table = table;
        self.ascii_mapped = ascii_mapped;
        self.other_mapped = other_mapped;
        self.with_cache()
    }

    /// Keeps letter case (still folds width and accents).
    pub fn keep_case(mut self, keep: bool) -> Self {
        self.keep_case = keep;
        self.with_cache()
    }

    /// The per-character map given to [`Folder::with_char_map`] (empty by default).
    pub fn char_map(&self) -> &HashMap<char, char> {
        &self.char_map
    }

    /// Folds one string without alignment (for building dictionaries).
    pub fn fold_str(&self, s: &str) -> String {
        self.fold(s).folded
    }

    /// Maps one character through the character map.
    #[inline]
    fn map(&self, c: char) -> char {
        let u = c as u32;
        if (TABLE_START..TABLE_END).contains(&u) {
            if let Some(&m) = self.table.get((u - TABLE_START) as usize) {
                if m != 0 {
                    return char::from_u32(m).unwrap_or(c);
                }
            }
            return c;
        }
        if self.other_mapped {
            return self.char_map.get(&c).copied().unwrap_or(c);
        }
        c
    }

    /// Copies (mapped) the run of three-byte CJK ideographs starting at byte `i` of `text` into
    /// `out`, stopping before any character that is not one or maps to one that is not. Returns
    /// the byte after the run and the number of characters copied.
    #[inline]
    fn cjk_run(&self, text: &str, i: usize, out: &mut String) -> (usize, usize) {
        let bytes = text.as_bytes();
        let mut j = i;
        let mut copy_from = i;
        let mut count = 0;
        while j + 3 <= bytes.len() && (0xE3..=0xE9).contains(&bytes[j]) {
            let u = (u32::from(bytes[j]) & 0x0F) << 12
                | (u32::from(bytes[j + 1]) & 0x3F) << 6
                | (u32::from(bytes[j + 2]) & 0x3F);
            if !matches!(u, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
                break;
            }
            let m = self
                .table
                .get((u - TABLE_START) as usize)
                .copied()
                .unwrap_or(0);
            if m != 0 {
                let Some(mc) =
                    char::from_u32(m).filter(|_| matches!(m, 0x3400..=0x4DBF | 0x4E00..=0x9FFF))
                else {
                    break;
                };
                out.push_str(&text[copy_from..j]);
                out.push(mc);
                copy_from = j + 3;
            }
            j += 3;
            count += 1;
        }
        out.push_str(&text[copy_from..j]);
        (j, count)
    }

    /// Folds `text`, keeping the alignment. Never fails; the empty text folds to the empty text.
    ///
    /// Runs of printable ASCII (without doubled spaces) are copied and lower-cased in bulk, runs
    /// of CJK ideographs go through the flat character-map table, and the common non-ASCII
    /// characters (accented Latin, CJK and full-width punctuation) through the fold cache; only
    /// the rest is decomposed character by character.
    pub fn fold(&self, text: &str) -> FoldedText {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len() + 8);
        let mut align = Align::default();
        let mut space_ends: Vec<(u32, u32)> = Vec::new();
        let mut last_space = true;
        let mut n = 0u32;
        let mut i = 0;
        let ascii_fast = !self.ascii_mapped;
        let lower = !self.keep_case;
        // Extends the collapsed space that ends the output over whitespace character `ch`.
        let extend = |space_ends: &mut Vec<(u32, u32)>, len: usize, ch: u32| {
            let at = (len - 1) as u32;
            match space_ends.last_mut() {
                Some(e) if e.0 == at => e.1 = ch + 1,
                _ => space_ends.push((at, ch + 1)),
            }
        };
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 && ascii_fast {
                let j = ascii_run(bytes, i, last_space);
                if j > i {
                    // Printable ASCII, one byte per code point, no space to collapse.
                    let at = out.len();
                    out.push_str(&text[i..j]);
                    if lower {
                        out[at..].make_ascii_lowercase();
                    }
                    let len = (j - i) as u32;
                    align.emit(at as u32, n, 1);
                    align.next_byte = at as u32 + len;
                    align.next_char = n + len;
                    n += len;
                    last_space = bytes[j - 1] == b' ';
                    i = j;
                    continue;
                }
                if is_ascii_space(b) {
                    if !last_space {
                        align.emit(out.len() as u32, n, 1);
                        out.push(' ');
                        last_space = true;
                    } else if !out.is_empty() {
                        extend(&mut space_ends, out.len(), n);
                    }
                } else {
                    align.emit(out.len() as u32, n, 1);
                    out.push(char::from(if lower { b.to_ascii_lowercase() } else { b }));
                    last_space = false;
                }
                n += 1;
                i += 1;
                continue;
            }
            if (0xE3..=0xE9).contains(&b) {
                // A run of CJK ideographs (three bytes each) that stay ideographs after the map.
                let at = out.len();
                let (j, count) = self.cjk_run(text, i, &mut out);
                if count > 0 {
                    align.emit(at as u32, n, 3);
                    align.next_byte = (at + 3 * count) as u32;
                    align.next_char = n + count as u32;
                    n += count as u32;
                    last_space = false;
                    i = j;
                    continue;
                }
            }
            let Some(c0) = text[i..].chars().next() else {
                break;
            };
            let w = c0.len_utf8();
            let idx = n;
            n += 1;
            i += w;
            let at = out.len();
            if let Some(f) = self.cache.get(c0 as u32) {
                // Accented Latin, punctuation, full-width forms: precomputed.
                out.push_str(f);
                if out.len() > at {
                    align.emit(at as u32, idx, (out.len() - at) as u32);
                }
                last_space = false;
                continue;
            }
            let c = self.map(c0);
            if is_fold_space(c) {
                if !last_space {
                    align.emit(at as u32, idx, 1);
                    out.push(' ');
                    last_space = true;
                } else if !out.is_empty() {
                    extend(&mut space_ends, out.len(), idx);
                }
                continue;
            }
            self.fold_char(c, &mut out);
            if out.len() > at {
                align.emit(at as u32, idx, (out.len() - at) as u32);
            }
            last_space = false;
        }
        FoldedText {
            folded: out,
            align,
            space_ends,
            original_chars: n as usize,
        }
    }
}

/// True for the characters folding collapses into one space.
#[inline]
fn is_fold_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{00a0}' || c == '\u{3000}'
}

/// End of the run of bytes from `i` that fold to themselves (lower-cased) one for one: printable
/// ASCII (0x20..=0x7F) in which no space follows a space (the byte before `i` counts as a space
/// when `space_before`). Eight bytes at a time while they qualify, then byte by byte.
#[inline]
fn ascii_run(bytes: &[u8], i: usize, space_before: bool) -> usize {
    const ONES_20: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut j = i;
    let mut prev_space = space_before;
    while let Some(chunk) = bytes.get(j..j + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // A byte >= 0x80 or < 0x20 sets its high bit here (borrows only follow such a byte).
        let odd = (x | x.wrapping_sub(ONES_20)) & HIGH;
        // 0x80 exactly at the space bytes.
        let y = x ^ ONES_20;
        let spaces = !(((y & LOW7) + LOW7) | y | LOW7);
        let doubled = spaces & ((spaces << 8) | (u64::from(prev_space) << 7));
        if odd | doubled != 0 {
            break;
        }
        prev_space = spaces >> 63 != 0;
        j += 8;
    }
    while let Some(&b) = bytes.get(j) {
        if !(0x20..0x80).contains(&b) {
            break;
        }
        let space = b == b' ';
        if space && prev_space {
            break;
        }
        prev_space = space;
        j += 1;
    }
    j
}

impl FoldedText {
    /// Maps a byte range of the folded text to a code-point range of the original text.
    /// Ranges past the end are clamped; an empty range maps to an empty range at its position.
    /// A range that ends on a collapsed space ends after the whole whitespace run it stands for.
    pub fn original_range(&self, folded: Range<usize>) -> Range<usize> {
        let len = self.folded.len();
        if len == 0 {
            return 0..0;
        }
        let s = folded.start.min(len);
        let e = folded.end.min(len);
        if s >= e {
            if s < len {
                let p = self.align.origin(s as u32) as usize;
                return p..p;
            }
            return self.original_chars..self.original_chars;
        }
        let start = self.align.origin(s as u32) as usize;
        let last = (e - 1) as u32;
        let end = match self.space_ends.binary_search_by_key(&last, |x| x.0) {
            Ok(k) => self.space_ends[k].1 as usize,
            Err(_) => self.align.origin(last) as usize + 1,
        };
        start..end.max(start)
    }

    /// Number of code points in the original text.
    pub fn original_chars(&self) -> usize {
        self.original_chars
    }
}

/// Escapes text for HTML element content and quoted attribute values (`&`, `<`, `>`, `"`, `'`):
/// untrusted text (articles, names) goes through this before it is written into any HTML.
///
/// ```
/// assert_eq!(outpost_core::text::html_escape("<b>\"A&B\"</b>"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;");
/// ```
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Returns the first `n` code points of `text` (all of it when shorter).
///
/// ```
/// assert_eq!(outpost_core::text::char_prefix("福州市公安局", 2), "福州");
/// assert_eq!(outpost_core::text::char_prefix("abc", 10), "abc");
/// ```
pub fn char_prefix(text: &str, n: usize) -> &str {
    if text.len() <= n {
        return text;
    }
    // Count code points by their first bytes (every byte that is not a continuation byte).
    let mut seen = 0;
    for (b, &byte) in text.as_bytes().iter().enumerate() {
        if (byte as i8) >= -0x40 {
            if seen == n {
                return &text[..b];
            }
            seen += 1;
        }
    }
    text
}

/// Returns the code-point slice `start..end` of `text`, or `None` when the range is invalid.
pub fn char_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let mut it = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let b0 = it.nth(start)?;
    let b1 = if end == start {
        b0
    } else {
        it.nth(end - start - 1)?
    };
    Some(&text[b0..b1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_prefix_counts_code_points() {
        for text in [
            "",
            "abc",
            "福州市公安局",
            "a福b州c🙂d",
            "ñandú 110 海外",
            "🙂🙂🙂",
        ] {
            for n in 0..12 {
                let want = match text.char_indices().nth(n) {
                    Some((b, _)) => &text[..b],
                    None => text,
                };
                assert_eq!(char_prefix(text, n), want, "{text:?} {n}");
            }
        }
    }

    #[test]
    fn char_index_round_trips_on_mixed_text() {
        let text = "A🚓é\u{0301}福州 x".repeat(40);
        let idx = CharIndex::new(&text);
        for (n, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_of_byte(&text, b), n);
            assert_eq!(idx.byte_of_char(&text, n), b);
        }
        assert_eq!(idx.char_of_byte(&text, text.len()), text.chars().count());
    }

    #[test]
    fn char_slice_handles_emoji_and_combining_marks() {
        let t = "e\u{0301}🚓福州";
        assert_eq!(char_slice(t, 2, 3), Some("🚓"));
        assert_eq!(char_slice(t, 3, 5), Some("福州"));
        assert_eq!(char_slice(t, 5, 5), Some(""));
        assert_eq!(char_slice(t, 4, 9), None);
    }

    #[test]
    fn sentences_split_zh_es_en() {
        let t = "Mr. Lu opened it in Feb. 2022. It closed!\n福州警方设立服务站。随后关闭。 ¿Dónde está? Aquí.";
        let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            got,
            vec![
                "Mr. Lu opened it in Feb. 2022.",
                "It closed!",
                "福州警方设立服务站。",
                "随后关闭。",
                "¿Dónde está?",
                "Aquí."
            ]
        );
    }

    #[test]
    fn folding_keeps_alignment_to_original_code_points() {
        let text = "La  POLICÍA de Ｆｕｚｈｏｕ 🚓 “station”";
        let f = Folder::new().fold(text);
        assert_eq!(f.folded, "la policia de fuzhou 🚓 \"station\"");
        let b = f.folded.find("fuzhou").unwrap();
        let r = f.original_range(b..b + 6);
        assert_eq!(char_slice(text, r.start, r.end), Some("Ｆｕｚｈｏｕ"));
        let b = f.folded.find("policia").unwrap();
        let r = f.original_range(b..b + 7);
        assert_eq!(char_slice(text, r.start, r.end), Some("POLICÍA"));
        let b = f.folded.find("station").unwrap();
        let r = f.original_range(b - 1..b + 8);
        assert_eq!(char_slice(text, r.start, r.end), Some("“station”"));
    }

    /// The previous, straightforward implementation of [`Folder::fold`] (one character at a time,
    /// a hash-map look-up per character, an explicit end code point per byte), kept as the oracle
    /// the fast implementation must agree with: (folded text, origin per byte, end per byte).
    fn reference_fold(
        map: &HashMap<char, char>,
        keep_case: bool,
        text: &str,
    ) -> (String, Vec<u32>, Vec<u32>) {
        let mut folded = String::new();
        let mut origin = Vec::new();
        let mut origin_end: Vec<u32> = Vec::new();
        let mut last_space = true;
        for (i, c) in text.chars().enumerate() {
            let i = i as u32;
            let c = map.get(&c).copied().unwrap_or(c);
            if c.is_whitespace() || c == '\u{00a0}' || c == '\u{3000}' {
                if !last_space {
                    folded.push(' ');
                    origin.push(i);
                    origin_end.push(i + 1);
                    last_space = true;
                } else if let Some(e) = origin_end.last_mut() {
                    *e = i + 1;
                }
                continue;
            }
            let mut emit = |d: char| {
                let d = unify_punct(d);
                if is_combining_mark(d) {
                    return;
                }
                let ls: Vec<char> = if keep_case {
                    vec![d]
                } else {
                    d.to_lowercase().collect()
                };
                for l in ls {
                    folded.push(l);
                    for _ in 0..l.len_utf8() {
                        origin.push(i);
                        origin_end.push(i + 1);
                    }
                }
            };
            decompose_compatible(c, &mut emit);
            last_space = false;
        }
        (folded, origin, origin_end)
    }

    /// A small deterministic generator (xorshift) for the agreement test.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn fast_fold_agrees_with_reference_implementation() {
        let alphabet: Vec<char> = "aZ9 \t\n\r\u{0b}\u{0c}.,'\"-_éÉñÑüçØßİıΣσς\u{0301}\u{0308}ﬁ½Ⅻ①ＡＺａ１　\u{00a0}\u{2009}\u{2028}“”«»‘’–—―·・•「」『』溫紐約福州警務僑務海外服務站国國𠀀😀\u{fa0c}\u{2f00}ǅẞ"
            .chars()
            .collect();
        let t2s: HashMap<char, char> = [
            ('溫', '温'),
            ('務', '务'),
            ('僑', '侨'),
            ('紐', '纽'),
            ('約', '约'),
            ('國', '国'),
        ]
        .into_iter()
        .collect();
        let mut odd = t2s.clone();
        // Keys outside the CJK table, ASCII keys, and a key that maps to whitespace.
        odd.insert('x', 'y');
        odd.insert('Z', 'ß');
        odd.insert('é', '\u{3000}');
        odd.insert('😀', '国');
        let maps = [HashMap::new(), t2s, odd];
        let mut fixed: Vec<String> = vec![
            String::new(),
            " ".into(),
            "   ".into(),
            "La  POLICÍA de Ｆｕｚｈｏｕ 🚓 “station” — in São Paulo\n\n and 紐約".into(),
            "  leading\tspaces  and ﬁ ligature, Ⅻ, ½, e\u{0301}l, İstanbul ΣΑΣ  ".into(),
            "溫州警務 「福州警僑事務海外服務站」 ‘x’ – y · z\u{3000}end \u{00a0}\n".into(),
            " \u{0301} \u{0301}x".into(),
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..400 {
            let len = (xorshift(&mut state) % 24) as usize;
            fixed.push(
                (0..len)
                    .map(|_| alphabet[(xorshift(&mut state) % alphabet.len() as u64) as usize])
                    .collect(),
            );
        }
        for map in &maps {
            for keep in [false, true] {
                let f = Folder::new().with_char_map(map.clone()).keep_case(keep);
                for s in &fixed {
                    let (want, origin, origin_end) = reference_fold(map, keep, s);
                    let got = f.fold(s);
                    assert_eq!(got.folded, want, "folded text differs for {s:?}");
                    assert_eq!(got.original_chars(), s.chars().count());
                    let bounds: Vec<usize> = (0..=want.len())
                        .filter(|&b| want.is_char_boundary(b))
                        .collect();
                    for (k, &a) in bounds.iter().enumerate() {
                        for &e in &bounds[k..] {
                            let expect = if origin.is_empty() {
                                0..0
                            } else if a >= e {
                                let p = origin.get(a).map_or(s.chars().count(), |&p| p as usize);
                                p..p
                            } else {
                                let st = origin[a] as usize;
                                st..(origin_end[e - 1] as usize).max(st)
                            };
                            assert_eq!(got.original_range(a..e), expect, "{s:?} {a}..{e}");
                        }
                    }
                }
            }
        }
    }

    /// The bulk ASCII path (eight bytes at a time) against the reference on long, mostly ASCII
    /// texts: doubled spaces, tabs and newlines at every position of an eight-byte chunk, runs
    /// that end in a space, control characters, and non-ASCII characters between runs.
    #[test]
    fn bulk_ascii_fold_agrees_with_reference_implementation() {
        let pieces = [
            "a", "Zq", "The", "POLICE", "x9", " ", "  ", "   ", "\t", "\n", "\r\n", ".", ",", "\"",
            "\u{7f}", "\u{1}", "é", "Ñ", "，", "。", "福州", "“", "\u{00a0}", "\u{0301}", "ﬁ",
        ];
        let map: HashMap<char, char> = [('溫', '温')].into_iter().collect();
        let folders = [
            (Folder::new(), false),
            (Folder::new().keep_case(true), true),
            (Folder::new().with_char_map(map.clone()), false),
        ];
        let mut state = 0x1234_5678_9abc_def1u64;
        for round in 0..3000 {
            let mut s = String::new();
            let len = xorshift(&mut state) % 60;
            for _ in 0..len {
                // Mostly ASCII words and single spaces.
                let r = xorshift(&mut state) % 100;
                let p = if r < 45 {
                    pieces[(r % 4) as usize]
                } else if r < 80 {
                    " "
                } else {
                    pieces[(xorshift(&mut state) % pieces.len() as u64) as usize]
                };
                s.push_str(p);
            }
            let (f, keep) = &folders[round % folders.len()];
            let m = if round % folders.len() == 2 {
                map.clone()
            } else {
                HashMap::new()
            };
            let (want, origin, origin_end) = reference_fold(&m, *keep, &s);
            let got = f.fold(&s);
            assert_eq!(got.folded, want, "folded text differs for {s:?}");
            assert_eq!(got.original_chars(), s.chars().count());
            for a in (0..want.len()).filter(|&b| want.is_char_boundary(b)) {
                let e = want[a..].chars().next().map_or(a, |c| a + c.len_utf8());
                let st = origin[a] as usize;
                assert_eq!(
                    got.original_range(a..e),
                    st..(origin_end[e - 1] as usize).max(st),
                    "{s:?} {a}..{e}"
                );
            }
        }
    }

    #[test]
    fn folding_applies_char_map() {
        let map: HashMap<char, char> = [('溫', '温'), ('務', '务')].into_iter().collect();
        let f = Folder::new().with_char_map(map).fold("溫州警務");
        assert_eq!(f.folded, "温州警务");
        assert_eq!(f.original_range(0..6), 0..2);
    }
}
