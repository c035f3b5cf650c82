//! Gazetteer membership: country, city and Chinese administrative-division names, stored as hashes
//! of token (en/es) or character (zh) sequences so that a model carries them without the source
//! text, and matched longest-first over a sentence.

use crate::error::{NerError, Result};
use crate::hash::{hash_str, mix, BuildIdentity};
use crate::lang::Lang;
use crate::tokenize::tokenize;
use std::collections::HashMap;
use std::path::Path;

/// Kind bits of a gazetteer entry.
pub mod kind {
    /// A country or territory.
    pub const COUNTRY: u8 = 1;
    /// A city (GeoNames, population ≥ 15,000) or capital.
    pub const CITY: u8 = 2;
    /// A Chinese province-level division.
    pub const PROVINCE: u8 = 4;
    /// A Chinese prefecture-level division.
    pub const PREFECTURE: u8 = 8;
    /// A Chinese county-level division.
    pub const COUNTY: u8 = 16;
    /// A Chinese township-level division (乡/镇/街道).
    pub const TOWN: u8 = 32;
}

const SEED: u64 = 0x6761_7a65_7474_6565;

/// A set of names (as sequence hashes) with kind bits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gazetteer {
    pub(crate) entries: HashMap<u64, u8, BuildIdentity>,
    pub(crate) max_len: usize,
}

/// Key of a sequence of units: the unit keys chained from [`SEED`] (the same chaining
/// [`longest_matches`] extends one unit at a time).
/// The entry key of a word's entity-part bits (kept apart from sequence keys by a salt).
fn part_key(key: u64) -> u64 {
    mix(key ^ 0x7061_7274_5f6b_6579, 0x7061)
}

fn sequence_key<'a>(units: impl Iterator<Item = &'a str>) -> u64 {
    units.fold(SEED, |h, u| mix(h, unit_key(u)))
}

/// Longest-first, left-to-right matches of sequence keys in `entries` over `keys` (unit keys),
/// trying lengths up to `max_len`: `(start, end, value)` per match.
fn longest_matches<B: Copy>(
    entries: &HashMap<u64, B, BuildIdentity>,
    max_len: usize,
    keys: &[u64],
) -> Vec<(usize, usize, B)> {
    let mut out = Vec::new();
    if entries.is_empty() {
        return out;
    }
    let mut i = 0;
    while i < keys.len() {
        let mut h = SEED;
        let mut best = None;
        for l in 1..=max_len.min(keys.len() - i) {
            h = mix(h, keys[i + l - 1]);
            if let Some(&k) = entries.get(&h) {
                best = Some((l, k));
            }
        }
        match best {
            Some((l, k)) => {
                out.push((i, i + l, k));
                i += l;
            }
            None => i += 1,
        }
    }
    out
}

/// Key of one unit (token or character) of a name.
#[inline]
pub fn unit_key(unit: &str) -> u64 {
    hash_str(unit)
}

impl Gazetteer {
    /// An empty gazetteer (matches nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no names.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a name (split into units the way `lang` tokenises) with kind bits. Names of one unit are
    /// skipped for zh (single characters are too ambiguous); longer than 12 units are skipped.
    pub fn add(&mut self, name: &str, lang: Lang, kinds: u8) {
        let units: Vec<&str> = tokenize(name, lang).into_iter().map(|r| &name[r]).collect();
        let min = if lang == Lang::Zh { 2 } else { 1 };
        if units.len() < min || units.len() > 12 {
            return;
        }
        let h = sequence_key(units.iter().copied());
        *self.entries.entry(h).or_insert(0) |= kinds;
        self.max_len = self.max_len.max(units.len());
    }

    /// Longest-first, left-to-right matches over unit keys: `(start, end, kinds)` per match.
    pub fn find(&self, keys: &[u64]) -> Vec<(usize, usize, u8)> {
        longest_matches(&self.entries, self.max_len, keys)
    }

    /// Builds the gazetteer for `lang` from the files in `dir` (`shared/data/gazetteer`). Returns
    /// [`NerError::Io`] for a missing file and [`NerError::Format`] for a malformed row.
    pub fn from_dir(dir: &Path, lang: Lang) -> Result<Self> {
        let mut g = Gazetteer::new();
        match lang {
            Lang::Zh => {
                for_rows(&dir.join("china_admin_divisions.tsv"), |row| {
                    let k = match row.get("level") {
                        "province" => kind::PROVINCE,
                        "prefecture" => kind::PREFECTURE,
                        _ => kind::COUNTY,
                    };
                    let name = row.get("name");
                    if !matches!(name, "市辖区" | "县") {
                        g.add(name, lang, k);
                        g.add(row.get("short_name"), lang, k);
                    }
                })?;
                for_rows(&dir.join("china_towns.tsv"), |row| {
                    g.add(row.get("name"), lang, kind::TOWN)
                })?;
                for_rows(&dir.join("countries_names_stefangabos.tsv"), |row| {
                    g.add(row.get("name_zh"), lang, kind::COUNTRY)
                })?;
                for_rows(&dir.join("countries_names_cldr_umpirsky.tsv"), |row| {
                    g.add(row.get("name_zh_Hans"), lang, kind::COUNTRY)
                })?;
                for_rows(&dir.join("cities15000_geonames.tsv"), |row| {
                    for n in row.get("han_names").split('|') {
                        g.add(n, lang, kind::CITY);
                    }
                })?;
            }
            Lang::Es | Lang::En => {
                let code = lang.code();
                for_rows(&dir.join("countries_names_stefangabos.tsv"), |row| {
                    g.add(row.get(&format!("name_{code}")), lang, kind::COUNTRY)
                })?;
                for_rows(&dir.join("countries_names_cldr_umpirsky.tsv"), |row| {
                    g.add(row.get(&format!("name_{code}")), lang, kind::COUNTRY);
                    if lang == Lang::Es {
                        g.add(row.get("name_es_419"), lang, kind::COUNTRY);
                    }
                })?;
                for_rows(&dir.join("countries_geonames.tsv"), |row| {
                    g.add(row.get("name"), lang, kind::COUNTRY);
                    g.add(row.get("capital"), lang, kind::CITY);
                })?;
                for_rows(&dir.join("cities15000_geonames.tsv"), |row| {
                    g.add(row.get("name"), lang, kind::CITY);
                    let pop: u64 = row.get("population").parse().unwrap_or(0);
                    if pop >= 500_000 {
                        for n in row.get("latin_alternate_names").split('|') {
                            g.add(n, lang, kind::CITY);
                        }
                    }
                })?;
            }
        }
        Ok(g)
    }
}

/// Entity strings seen in training data, as unit-sequence hashes with type bits (bit `k` = the
/// tag set's type `k`). Built by the trainer (with jackknifing, so that training sentences never see
/// their own entities) and matched longest-first like [`Gazetteer`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    pub(crate) entries: HashMap<u64, u16, BuildIdentity>,
    pub(crate) max_len: usize,
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds an entity given as units (tokens or characters) with its type index (0..16; larger
    /// indices are ignored). Sequences longer than 12 units are skipped.
    pub fn add(&mut self, units: &[&str], ty: usize) {
        if units.is_empty() || units.len() > 12 || ty >= 16 {
            return;
        }
        let h = sequence_key(units.iter().copied());
        *self.entries.entry(h).or_insert(0) |= 1 << ty;
        self.max_len = self.max_len.max(units.len());
    }

    /// Adds the entity made of `tokens` under type `ty` when it has at least `min` tokens (see
    /// [`Lexicon::add`]); returns the tokens as string slices.
    pub fn add_entity<'a>(&mut self, tokens: &'a [String], ty: usize, min: usize) -> Vec<&'a str> {
        let units: Vec<&str> = tokens.iter().map(String::as_str).collect();
        if units.len() >= min {
            self.add(&units, ty);
        }
        units
    }

    /// The entity strings of labelled sentences (for zh, of at least two characters), each type
    /// numbered in order of first appearance (at most 16 types; later ones are ignored). Empty
    /// input gives an empty lexicon.
    pub fn from_conll(data: &[crate::conll::Sentence], lang: crate::lang::Lang) -> Self {
        let min = if lang == crate::lang::Lang::Zh { 2 } else { 1 };
        let mut types: Vec<String> = Vec::new();
        let mut lx = Self::new();
        for s in data {
            for c in crate::tags::chunks(&s.tags) {
                let ty = match types.iter().position(|t| *t == c.ty) {
                    Some(k) => k,
                    None => {
                        types.push(c.ty.clone());
                        types.len() - 1
                    }
                };
                let units = lx.add_entity(&s.tokens[c.start..c.end], ty, min);
                if min == 1 && units.len() > 1 {
                    for (k, u) in units.iter().enumerate() {
                        lx.add_part(u, ty, k == 0);
                    }
                }
            }
        }
        lx
    }

    /// Records that the capitalised word `unit` occurs inside a multi-word entity of type `ty`
    /// (first word or not); other words and types ≥ 8 are ignored.
    fn add_part(&mut self, unit: &str, ty: usize, first: bool) {
        let mut cs = unit.chars();
        if ty >= 8 || !cs.next().is_some_and(char::is_uppercase) || cs.next().is_none() {
            return;
        }
        let bit = 2 * ty + (!first) as usize;
        *self.entries.entry(part_key(unit_key(unit))).or_insert(0) |= 1 << bit;
    }

    /// Bits of the multi-word entities a word (its unit key) was seen in: bit `2·type` as the
    /// first word, `2·type + 1` as a later word; 0 when never.
    pub fn part_bits(&self, key: u64) -> u16 {
        self.entries.get(&part_key(key)).copied().unwrap_or(0)
    }

    /// Longest-first, left-to-right matches: `(start, end, type bits)`.
    pub fn find(&self, keys: &[u64]) -> Vec<(usize, usize, u16)> {
        longest_matches(&self.entries, self.max_len, keys)
    }
}

/// One row of a TSV file with named columns.
struct Row<'a> {
    header: &'a [&'a str],
    cells: Vec<&'a str>,
}

impl Row<'_> {
    fn get(&self, col: &str) -> &str {
        self.header
            .iter()
            .position(|h| *h == col)
            .and_then(|k| self.cells.get(k).copied())
            .unwrap_or("")
    }
}

fn for_rows(path: &Path, mut f: impl FnMut(&Row<'_>)) -> Result<()> {
    let text = std::fs::read_to_string(path).map_err(|e| NerError::io(path, e))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .ok_or_else(|| NerError::Format {
            path: path.to_path_buf(),
            line: 1,
            msg: "empty file (expected a header row)".into(),
        })?
        .split('\t')
        .collect();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let row = Row {
            header: &header,
            cells: line.split('\t').collect(),
        };
        f(&row);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_from_conll_keeps_names_and_name_parts() {
        let s = |toks: &[&str], tags: &[&str]| crate::conll::Sentence {
            tokens: toks.iter().map(|t| t.to_string()).collect(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        };
        let data = vec![
            s(&["Juan", "Ramírez", "vive"], &["B-PER", "I-PER", "O"]),
            s(&["en", "Prato"], &["O", "B-LOC"]),
        ];
        let lx = Lexicon::from_conll(&data, Lang::Es);
        let k = keys(&["ayer", "Juan", "Ramírez", "y", "Prato"]);
        assert_eq!(lx.find(&k), vec![(1, 3, 0b01), (4, 5, 0b10)]);
        // parts: Juan first word of a PER (type 0), Ramírez a later word; Prato alone is no part
        assert_eq!(lx.part_bits(unit_key("Juan")), 0b01);
        assert_eq!(lx.part_bits(unit_key("Ramírez")), 0b10);
        assert_eq!(lx.part_bits(unit_key("Prato")), 0);
        assert!(Lexicon::from_conll(&[], Lang::Es).is_empty());
    }

    fn keys(units: &[&str]) -> Vec<u64> {
        units.iter().map(|u| unit_key(u)).collect()
    }

    #[test]
    fn longest_match_first() {
        let mut g = Gazetteer::new();
        g.add("New York", Lang::En, kind::CITY);
        g.add("York", Lang::En, kind::CITY);
        g.add("United States", Lang::En, kind::COUNTRY);
        let m = g.find(&keys(&[
            "in", "New", "York", "and", "York", "United", "States",
        ]));
        assert_eq!(
            m,
            vec![
                (1, 3, kind::CITY),
                (4, 5, kind::CITY),
                (5, 7, kind::COUNTRY)
            ]
        );
    }

    #[test]
    fn lexicon_keeps_type_bits() {
        let mut lx = Lexicon::new();
        lx.add(&["New", "York"], 2);
        lx.add(&["New", "York"], 0);
        lx.add(&["Bob"], 1);
        let m = lx.find(&keys(&["Bob", "in", "New", "York"]));
        assert_eq!(m, vec![(0, 1, 0b10), (2, 4, 0b101)]);
    }

    #[test]
    fn chinese_by_character() {
        let mut g = Gazetteer::new();
        g.add("温州市", Lang::Zh, kind::PREFECTURE);
        g.add("温", Lang::Zh, kind::CITY); // single characters are skipped
        let m = g.find(&keys(&["在", "温", "州", "市"]));
        assert_eq!(m, vec![(1, 4, kind::PREFECTURE)]);
        assert_eq!(g.len(), 1);
    }
}
