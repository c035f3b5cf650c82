//! [`NgramModel`]: a compact character n-gram model (orders 1..=5) with per-language log
//! probabilities, scored with stupid backoff.
//!
//! The table is derived from lingua's language models (see `models/README.md` and
//! module `train`, feature `compare`); this module only loads and scores it, so the default build needs no lingua.
//!
//! File format (little endian): magic `OPNGRAM1`, `u8` column count, that many 2-byte ISO codes,
//! `u8` max order, two `f32` calibration constants (temperature `t0` and
//! exponent `alpha`: posteriors use `T = t0 * chars^alpha`), `u32` entry count, then per entry a `u64` n-gram hash, a `u32`
//! column mask and one quantised log-probability byte per set bit.

use crate::error::LangError;
use crate::lang::Lang;

const MAGIC: &[u8; 8] = b"OPNGRAM2";
/// Log-probability quantisation: `ln p = (q - 255) / QSCALE` for `q` in 1..=255 (0 = absent).
const QSCALE: f32 = 16.0;
/// Penalty for each backoff step (stupid backoff, ln 0.4).
const BACKOFF: f32 = -0.916;
/// Score of a character no n-gram of the language covers (below the lowest storable value).
const FLOOR: f32 = -20.0;

/// Hash of an n-gram: FNV-1a over the code points plus a final avalanche; never 0.
pub fn ngram_hash(chars: &[char]) -> u64 {
    let mut h = FNV_BASIS;
    for &c in chars {
        h = fnv_step(h, c);
    }
    finish_hash(h, chars.len())
}

const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(0x0000_0100_0000_01b3)
}

/// The last steps of [`ngram_hash`] on the FNV state of an n-gram of `len` code points.
fn finish_hash(h: u64, len: usize) -> u64 {
    let h = mix(h ^ len as u64);
    if h == 0 {
        1
    } else {
        h
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Quantises a natural-log probability to the stored byte (1..=255).
pub fn quantise(ln_p: f64) -> u8 {
    (255.0 + ln_p * QSCALE as f64).round().clamp(1.0, 255.0) as u8
}

fn dequantise(q: u8) -> f32 {
    (q as f32 - 255.0) / QSCALE
}

/// `dequantise(q) + BACKOFF * b` for every byte `q` and backoff count `b` in 0..8.
fn backoff_table() -> Box<[[f32; 256]; 8]> {
    let mut t = Box::new([[0f32; 256]; 8]);
    for (b, row) in t.iter_mut().enumerate() {
        for (q, v) in row.iter_mut().enumerate() {
            *v = dequantise(q as u8) + BACKOFF * b as f32;
        }
    }
    t
}

/// One entry of a model being written: n-gram hash and `(column, ln p)` pairs.
#[derive(Debug, Clone)]
pub struct Entry {
    /// [`ngram_hash`] of the n-gram.
    pub hash: u64,
    /// Quantised log-probability per column (0 = absent).
    pub values: Vec<u8>,
}

/// Serialises a model (used by the model builder). `entries[i].values` must have one byte per
/// language in `langs`.
pub fn write_model(
    langs: &[Lang],
    max_order: u8,
    calibration: [f32; 2],
    entries: &[Entry],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + entries.len() * 16);
    out.extend_from_slice(MAGIC);
    out.push(langs.len() as u8);
    for l in langs {
        out.extend_from_slice(l.code().as_bytes());
    }
    out.push(max_order);
    out.extend_from_slice(&calibration[0].to_le_bytes());
    out.extend_from_slice(&calibration[1].to_le_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    // Entries in table-slot order, so that loading fills the table front to back.
    let mask = capacity(entries.len()) - 1;
    let mut order: Vec<&Entry> = entries.iter().collect();
    order.sort_by_key(|e| ((e.hash as usize) & mask, e.hash));
    for e in order {
        out.extend_from_slice(&e.hash.to_le_bytes());
        let mut mask = 0u32;
        for (i, &v) in e.values.iter().enumerate() {
            if v != 0 {
                mask |= 1 << i;
            }
        }
        out.extend_from_slice(&mask.to_le_bytes());
        out.extend(e.values.iter().copied().filter(|&v| v != 0));
    }
    out
}

/// Table slots for `n` entries (load factor at most 3/4).
fn capacity(n: usize) -> usize {
    (n * 4 / 3 + 1).next_power_of_two().max(16)
}

/// Overwrites the calibration constants in serialised model bytes; [`LangError::Model`] when the
/// bytes are not a model.
pub fn patch_calibration(bytes: &mut [u8], calibration: [f32; 2]) -> Result<(), LangError> {
    if bytes.len() < 9 || &bytes[..8] != MAGIC {
        return Err(LangError::Model("n-gram model: bad magic".into()));
    }
    let at = 8 + 1 + 2 * bytes[8] as usize + 1;
    let dst = bytes
        .get_mut(at..at + 8)
        .ok_or_else(|| LangError::Model("n-gram model: truncated header".into()))?;
    dst[..4].copy_from_slice(&calibration[0].to_le_bytes());
    dst[4..].copy_from_slice(&calibration[1].to_le_bytes());
    Ok(())
}

/// Letters of a word whose n-grams are hashed (and their table lines fetched) in one go.
const CHUNK: usize = 16;

/// Bytes of a table row: room for the most columns a model may have (18).
const ROW: usize = 20;

/// One table slot: the n-gram hash (0 = empty), its row and the set of its non-zero columns, in
/// one 32-byte, 32-aligned block so that a lookup touches a single cache line (the key and its
/// row used to live in two arrays).
#[derive(Debug, Clone, Copy)]
#[repr(C, align(32))]
struct Slot {
    key: u64,
    row: [u8; ROW],
    /// Bit `c` set when `row[c] != 0`.
    nonzero: u32,
}

/// A loaded n-gram model: an open-addressing table (linear probing) from n-gram hash to one byte
/// per language.
#[derive(Debug, Clone)]
pub struct NgramModel {
    /// Column of each [`Lang`] (by [`Lang::index`]), if the model has it.
    col_of: [Option<u8>; 18],
    ncols: usize,
    max_order: usize,
    calibration: [f32; 2],
    slots: Vec<Slot>,
    mask: usize,
    /// `deq[b][q]`: the log probability of byte `q` after `b` backoff steps,
    /// `dequantise(q) + BACKOFF * b` (computed once, the same floats).
    deq: Box<[[f32; 256]; 8]>,
}

/// Log-likelihood of a text under each language of a model.
#[derive(Debug, Clone, Copy)]
pub struct Scores {
    /// Summed log probability per [`Lang::index`] (only candidates are filled).
    pub log_prob: [f32; 18],
    /// Number of characters scored.
    pub chars: usize,
}

impl NgramModel {
    /// Parses a model file; [`LangError::Model`] when the bytes are not a model or are truncated.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, LangError> {
        let bad = |what: &str| LangError::Model(format!("n-gram model: {what}"));
        let mut r = Reader { b: bytes, at: 0 };
        if r.take(8).ok_or_else(|| bad("truncated header"))? != MAGIC {
            return Err(bad("bad magic"));
        }
        let ncols = r.u8().ok_or_else(|| bad("truncated header"))? as usize;
        if ncols > 18 {
            return Err(bad("too many columns"));
        }
        let mut col_of = [None; 18];
        for i in 0..ncols {
            let code = r.take(2).ok_or_else(|| bad("truncated header"))?;
            let code = std::str::from_utf8(code).map_err(|_| bad("bad language code"))?;
            let lang = Lang::from_code(code).ok_or_else(|| bad("unknown language code"))?;
            col_of[lang.index()] = Some(i as u8);
        }
        let max_order = r.u8().ok_or_else(|| bad("truncated header"))? as usize;
        let t0 = r.f32().ok_or_else(|| bad("truncated header"))?;
        let alpha = r.f32().ok_or_else(|| bad("truncated header"))?;
        let n = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        let cap = capacity(n);
        let mut slots = vec![
            Slot {
                key: 0,
                row: [0; ROW],
                nonzero: 0,
            };
            cap
        ];
        let mask = cap - 1;
        for _ in 0..n {
            let h = r.u64().ok_or_else(|| bad("truncated entry"))?;
            let m = r.u32().ok_or_else(|| bad("truncated entry"))?;
            let mut slot = (h as usize) & mask;
            while slots[slot].key != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot].key = h;
            if m >> ncols != 0 {
                return Err(bad("column mask out of range"));
            }
            let vals = r
                .take(m.count_ones() as usize)
                .ok_or_else(|| bad("truncated entry"))?;
            let s = &mut slots[slot];
            let mut bits = m;
            for &v in vals {
                s.row[bits.trailing_zeros() as usize] = v;
                bits &= bits - 1;
            }
            // From the row itself (a stored zero byte is no value).
            s.nonzero = s
                .row
                .iter()
                .enumerate()
                .filter(|(_, q)| **q != 0)
                .fold(0, |m, (c, _)| m | 1 << c);
        }
        Ok(Self {
            col_of,
            ncols,
            max_order,
            calibration: [t0, alpha],
            slots,
            mask,
            deq: backoff_table(),
        })
    }

    /// True when the model has a column for `lang`.
    pub fn has(&self, lang: Lang) -> bool {
        self.col_of[lang.index()].is_some()
    }

    /// Highest n-gram order stored.
    pub fn max_order(&self) -> usize {
        self.max_order
    }

    /// Calibration `[t0, alpha]` fitted when the model was built: the softmax temperature for a
    /// text of `n` scored characters is `t0 * n^alpha`.
    pub fn calibration(&self) -> [f32; 2] {
        self.calibration
    }

    /// Replaces the calibration (used while fitting it).
    pub fn set_calibration(&mut self, calibration: [f32; 2]) {
        self.calibration = calibration;
    }

    /// Number of bytes the table occupies in memory.
    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>()
    }

    /// The row of the n-gram with hash `h` (never 0), `None` when the table does not hold it.
    #[inline]
    fn row(&self, h: u64) -> Option<&Slot> {
        let mut slot = (h as usize) & self.mask;
        loop {
            let s = &self.slots[slot];
            if s.key == h {
                return Some(s);
            }
            if s.key == 0 {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Starts loading the home slot of hash `h` into the cache (a hint: no effect on results).
    #[inline(always)]
    fn prefetch_slot(&self, h: u64) {
        let slot = &self.slots[(h as usize) & self.mask];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint that never faults, and `slot` is a live element.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (slot as *const Slot).cast(),
            );
        }
        #[cfg(not(target_arch = "x86_64"))]
        // Elsewhere a plain load: it does not stall the independent work after it.
        std::hint::black_box(slot.key);
    }

    /// The table in the layout of the first versions (a key array and a row array of `ncols`
    /// bytes per slot, same slots), for [`crate::reference`].
    pub(crate) fn split_table(&self) -> (Vec<u64>, Vec<u8>, usize, usize) {
        let keys = self.slots.iter().map(|s| s.key).collect();
        let rows = self
            .slots
            .iter()
            .flat_map(|s| s.row[..self.ncols].iter().copied())
            .collect();
        (keys, rows, self.ncols, self.mask)
    }

    /// Column of `lang` in the table, if the model has it.
    pub(crate) fn column_of(&self, lang: Lang) -> Option<u8> {
        self.col_of[lang.index()]
    }

    /// Adds the log-likelihood of one word (lowercase letters of one script) to `scores`, for the
    /// candidate languages `cands` (those without a column are skipped). `order` caps the n-gram
    /// order (at most [`NgramModel::max_order`]).
    pub fn score_word(&self, word: &[char], cands: &[Lang], order: usize, scores: &mut Scores) {
        let cols = self.columns(cands);
        self.score_word_in(word, &cols, order, scores);
    }

    /// The table columns of the candidate languages `cands` that the model has, for
    /// [`NgramModel::score_word_in`] (compute once per text, not once per word).
    pub fn columns(&self, cands: &[Lang]) -> Columns {
        let mut cols = Columns {
            pairs: [(0, 0); 18],
            len: 0,
        };
        for l in cands {
            if let Some(c) = self.col_of[l.index()] {
                if cols.len < cols.pairs.len() {
                    cols.pairs[cols.len] = (l.index() as u8, c);
                    cols.len += 1;
                }
            }
        }
        cols
    }

    /// [`NgramModel::score_word`] with the candidates' columns computed beforehand by
    /// [`NgramModel::columns`].
    ///
    /// Each letter scores, per column, the longest n-gram ending at it that the column has
    /// (stupid backoff). The rows are looked up lazily from the longest order down and the
    /// lookups stop as soon as every column has its value: a column's value only depends on the
    /// rows down to its first non-zero byte, so this equals looking every order up.
    pub fn score_word_in(&self, word: &[char], cols: &Columns, order: usize, scores: &mut Scores) {
        let order = order.min(self.max_order).clamp(1, 7);
        let cols = &cols.pairs[..cols.len];
        // The candidates' table columns as a bit set.
        let all: u32 = cols.iter().fold(0, |m, &(_, c)| m | 1 << c);
        // Running sums per column, added to in the same order as before (so the same floats).
        let mut acc = [0f32; 18];
        for (j, &(li, _)) in cols.iter().enumerate() {
            acc[j] = scores.log_prob[li as usize];
        }
        if order == 1 {
            // Unigrams only (Han and kana letters): one row per letter, nothing to back off to.
            let deq = &self.deq[0];
            for &ch in word {
                let row = self.row(finish_hash(fnv_step(FNV_BASIS, ch), 1));
                for (j, &(_, c)) in cols.iter().enumerate() {
                    let q = row.map_or(0, |r| r.row[c as usize]);
                    acc[j] += if q != 0 { deq[q as usize] } else { FLOOR };
                }
            }
            for (j, &(li, _)) in cols.iter().enumerate() {
                scores.log_prob[li as usize] = acc[j];
            }
            scores.chars += word.len();
            return;
        }
        // FNV states of the n-grams ending at the current letter, by length (the same hashes as
        // `ngram_hash` of each, computed incrementally).
        let mut state = [FNV_BASIS; 8];
        let mut hashes = [[0u64; 8]; CHUNK];
        for (c, chunk) in word.chunks(CHUNK).enumerate() {
            // First every n-gram's hash, prefetching its home slot: the table lines load
            // together instead of one after the other in the lazy pass.
            for (j, &ch) in chunk.iter().enumerate() {
                let kmax = order.min(c * CHUNK + j + 1);
                for k in (1..=kmax).rev() {
                    state[k] = fnv_step(state[k - 1], ch);
                    let h = finish_hash(state[k], k);
                    hashes[j][k] = h;
                    self.prefetch_slot(h);
                }
            }
            for (j, hs) in hashes[..chunk.len()].iter().enumerate() {
                let kmax = order.min(c * CHUNK + j + 1);
                // Values by table column; `pending` holds the candidate columns without one yet.
                let mut vals = [FLOOR; 32];
                let mut pending = all;
                for k in (1..=kmax).rev() {
                    let Some(slot) = self.row(hs[k]) else {
                        continue;
                    };
                    let mut hit = pending & slot.nonzero;
                    pending &= !hit;
                    let deq = &self.deq[kmax - k];
                    while hit != 0 {
                        let c = hit.trailing_zeros() as usize;
                        hit &= hit - 1;
                        vals[c & 31] = deq[slot.row[c] as usize];
                    }
                    if pending == 0 {
                        break;
                    }
                }
                for (a, &(_, c)) in acc.iter_mut().zip(cols) {
                    *a += vals[c as usize & 31];
                }
            }
        }
        for (j, &(li, _)) in cols.iter().enumerate() {
            scores.log_prob[li as usize] = acc[j];
        }
        scores.chars += word.len();
    }
}

/// Candidate languages' (language index, table column) pairs; see [`NgramModel::columns`].
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    pairs: [(u8, u8); 18],
    len: usize,
}

impl Scores {
    /// Empty scores.
    pub fn new() -> Self {
        Self {
            log_prob: [0.0; 18],
            chars: 0,
        }
    }
}

impl Default for Scores {
    fn default() -> Self {
        Self::new()
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at + n)?;
        self.at += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|s| s[0])
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .and_then(|s| s.try_into().ok())
            .map(u32::from_le_bytes)
    }
    fn f32(&mut self) -> Option<f32> {
        self.take(4)
            .and_then(|s| s.try_into().ok())
            .map(f32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .and_then(|s| s.try_into().ok())
            .map(u64::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn written_model_scores_its_own_ngrams_higher() {
        let langs = [Lang::Es, Lang::Pt];
        let mut entries = Vec::new();
        for (g, es, pt) in [
            ("c", -3.0, -3.0),
            ("ã", -12.0, -4.0),
            ("ó", -5.0, -9.0),
            ("ci", -2.0, -2.5),
            ("ció", -0.5, -8.0),
        ] {
            entries.push(Entry {
                hash: ngram_hash(&chars(g)),
                values: vec![quantise(es), quantise(pt)],
            });
        }
        let bytes = write_model(&langs, 3, [0.5, 0.0], &entries);
        let m = NgramModel::from_bytes(&bytes).unwrap();
        assert!(m.has(Lang::Es) && !m.has(Lang::En));
        let mut s = Scores::new();
        m.score_word(&chars("ció"), &[Lang::Es, Lang::Pt, Lang::En], 5, &mut s);
        assert!(s.log_prob[Lang::Es.index()] > s.log_prob[Lang::Pt.index()]);
        assert_eq!(s.log_prob[Lang::En.index()], 0.0);
        let mut s = Scores::new();
        m.score_word(&chars("ã"), &[Lang::Es, Lang::Pt], 5, &mut s);
        assert!(s.log_prob[Lang::Pt.index()] > s.log_prob[Lang::Es.index()]);
    }

    #[test]
    fn truncated_model_is_an_error() {
        let bytes = write_model(
            &[Lang::En],
            1,
            [1.0, 0.0],
            &[Entry {
                hash: 7,
                values: vec![200],
            }],
        );
        assert!(NgramModel::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(NgramModel::from_bytes(b"nonsense").is_err());
        let mut bytes = bytes;
        patch_calibration(&mut bytes, [2.0, 0.5]).unwrap();
        assert_eq!(
            NgramModel::from_bytes(&bytes).unwrap().calibration(),
            [2.0, 0.5]
        );
    }
}
