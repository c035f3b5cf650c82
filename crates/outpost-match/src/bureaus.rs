//! [`BureauRecognizer`]: Chinese public security bureaus named in zh (Simplified or Traditional),
//! pinyin/English and Spanish, resolved to a bureau key and an administrative code.
//!
//! Chinese forms are generated from every province-, prefecture- and county-level division
//! (福州市公安局, 福州公安, 福州警方, 福州市公安局长乐分局, 浙江省公安厅 …). Latin-script forms are a
//! division's English name (or an older romanisation) next to a police word: "Fuzhou Public
//! Security Bureau", "Fuzhou Municipal PSB", "Qingtian County police", "the city of Fuzhou's
//! security bureau", "Policía de Qingtian", "Oficina de Seguridad Pública de Fuzhou". Misspelt
//! names next to a police word ("Fozhou police") are found by fuzzy matching with a lower score.

use crate::fuzzy::FuzzyIndex;
use crate::scan::{is_cjk, is_word_char, word_at_start, Dict, DictBuilder};
use crate::tables::BureauRow;
use crate::MatchError;
use outpost_core::text::{FoldedText, Folder};
use outpost_core::{Doc, Label, Recognizer, Span};
use std::collections::HashMap;
use std::sync::Arc;

/// Component name written into spans.
pub const BUREAU_SOURCE: &str = "match.bureau";

/// Facts about a bureau key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BureauInfo {
    /// The key (`fuzhou`).
    pub key: String,
    /// 6-digit administrative code of the division (`350100`).
    pub adcode: String,
    /// `province`, `prefecture` or `county`.
    pub level: String,
    /// Chinese name of the division (福州市).
    pub name_zh: String,
    /// Canonical English short name (Fuzhou).
    pub name_en: String,
    /// Adcode of the parent division (empty for provinces).
    pub parent: String,
}

/// Bureau tables and automata.
#[derive(Debug)]
pub struct BureauTables {
    rows: Vec<BureauRow>,
    key_index: HashMap<String, u32>,
    zh: Dict<(u32, u8)>,
    latin: Dict<(u32, bool)>,
    fuzzy: FuzzyIndex,
}

/// The police words every Chinese bureau form contains (公安局, 公安厅, 警方, 警侨, 分局 …): the
/// pre-filter's anchors for Chinese bureaus. Every form generated in [`BureauTables::new`] ends in
/// or contains one of them.
pub(crate) const ZH_POLICE_WORDS: &[&str] = &["公安", "警方", "警侨", "分局"];

const MUNICIPALITIES: &[&str] = &["北京市", "天津市", "上海市", "重庆市"];

fn rank(row: &BureauRow) -> (u8, bool, &str) {
    let l = match row.level.as_str() {
        "prefecture" => 0,
        "province" => 1,
        _ => 2,
    };
    (l, row.key.contains('-'), row.adcode.as_str())
}

impl BureauTables {
    /// Builds the automata from the rows (names folded with `folder`); `stored_zh` and
    /// `stored_latin` may hold serialised automata (see [`crate::scan::Dict::serialize`]).
    pub fn new(
        rows: Vec<BureauRow>,
        folder: &Folder,
        stored_zh: Option<&[u8]>,
        stored_latin: Option<&[u8]>,
    ) -> Result<Self, MatchError> {
        let mut zh = DictBuilder::new();
        let mut latin = DictBuilder::new();
        let mut fuzzy = FuzzyIndex::new();
        let by_code: HashMap<&str, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.adcode.as_str(), i))
            .collect();
        for (i, r) in rows.iter().enumerate() {
            let i = i as u32;
            let mut add = |s: String, score: u8| zh.add(&folder.fold_str(&s), (i, score));
            let n = r.name.as_str();
            let mut shorts: Vec<&str> = vec![r.short.as_str()];
            for a in &r.aliases {
                if a.chars().all(is_cjk) {
                    shorts.push(a.as_str());
                }
            }
            let shorts: Vec<&str> = shorts
                .into_iter()
                .filter(|s| s.chars().count() >= 2)
                .collect();
            if r.level == "province" && !MUNICIPALITIES.contains(&n) {
                add(format!("{n}公安厅"), 95);
                add(format!("{n}警方"), 80);
                for s in &shorts {
                    add(format!("{s}公安厅"), 95);
                    add(format!("{s}省公安厅"), 95);
                    add(format!("{s}公安"), 80);
                    add(format!("{s}警方"), 80);
                }
            } else {
                add(format!("{n}公安局"), 95);
                add(format!("{n}公安分局"), 95);
                add(format!("{n}公安"), 85);
                add(format!("{n}警方"), 85);
                for s in &shorts {
                    add(format!("{s}公安局"), 95);
                    add(format!("{s}公安"), 85);
                    add(format!("{s}警方"), 85);
                    add(format!("{s}警侨"), 75);
                    match r.level.as_str() {
                        "prefecture" => add(format!("{s}市公安局"), 95),
                        "county" => {
                            add(format!("{s}县公安局"), 95);
                            add(format!("{s}区公安局"), 95);
                            add(format!("{s}分局"), 70);
                        }
                        _ => add(format!("{s}市公安局"), 95),
                    }
                }
                if r.level == "county" {
                    if let Some(&p) = by_code.get(r.parent.as_str()) {
                        let parent = &rows[p];
                        for s in &shorts {
                            add(format!("{}公安局{s}分局", parent.name), 95);
                            add(format!("{}公安局{s}分局", parent.short), 95);
                        }
                    }
                }
            }
            let mut latin_names = vec![(r.name_en.as_str(), false)];
            latin_names.extend(
                r.aliases
                    .iter()
                    .filter(|a| !a.chars().any(is_cjk))
                    .map(|a| (a.as_str(), true)),
            );
            for (name, alias) in latin_names {
                let f = folder.fold_str(name);
                if f.len() < 4 {
                    continue;
                }
                latin.add(&f, (i, alias));
                let plain: String = f.chars().filter(char::is_ascii_lowercase).collect();
                if plain.len() >= 5 && r.level != "province" {
                    fuzzy.insert(&plain, i);
                }
            }
        }
        let key_index = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i as u32))
            .collect();
        Ok(Self {
            rows,
            key_index,
            zh: zh.load_or_build(stored_zh)?,
            latin: latin.load_or_build(stored_latin)?,
            fuzzy,
        })
    }

    /// Facts about a bureau key; `None` for an unknown key.
    pub fn info(&self, key: &str) -> Option<BureauInfo> {
        let r = &self.rows[*self.key_index.get(key)? as usize];
        Some(BureauInfo {
            key: r.key.clone(),
            adcode: r.adcode.clone(),
            level: r.level.clone(),
            name_zh: r.name.clone(),
            name_en: r.name_en.clone(),
            parent: r.parent.clone(),
        })
    }

    /// The Chinese and Latin automata, serialised.
    pub fn serialize_automata(&self) -> (Vec<u8>, Vec<u8>) {
        (self.zh.serialize(), self.latin.serialize())
    }

    /// Number of patterns (Chinese + Latin).
    pub fn pattern_count(&self) -> usize {
        self.zh.len() + self.latin.len()
    }

    fn best(&self, ids: impl Iterator<Item = u32>) -> Option<(&BureauRow, usize)> {
        let v: Vec<&BureauRow> = ids.map(|i| &self.rows[i as usize]).collect();
        let n = v.len();
        v.into_iter()
            .min_by(|a, b| rank(a).cmp(&rank(b)))
            .map(|r| (r, n))
    }
}

/// Police words after a Latin name: (phrase, score in percent).
pub(crate) const AFTER: &[(&str, u8)] = &[
    ("public security bureau", 95),
    ("public security department", 95),
    ("public security", 90),
    ("psb", 95),
    ("police department", 90),
    ("police bureau", 90),
    ("police", 90),
    ("security bureau", 90),
    ("gong'an", 90),
    ("gongan", 90),
    ("authorities", 60),
];

/// Modifiers allowed between the name and the police word.
const MODIFIERS: &[&str] = &[
    "municipal",
    "city",
    "county",
    "provincial",
    "province",
    "prefectural",
    "prefecture",
    "district",
];

/// Police words before a Latin name (Spanish and "X of Name" forms).
pub(crate) const BEFORE: &[(&str, u8)] = &[
    ("seguridad publica de", 95),
    ("seguridad publica de la ciudad de", 95),
    ("public security bureau of", 95),
    ("public security department of", 95),
    ("policia de la ciudad de", 90),
    ("policia de la provincia de", 90),
    ("policia del condado de", 90),
    ("policia de", 90),
    ("policia", 85),
    ("police of", 85),
    ("autoridades de", 60),
];

/// Score of the police context right after a Latin name ending at `end`.
fn after_score(text: &str, end: usize) -> Option<u8> {
    let mut rest = &text[end..];
    for poss in ["'s ", "' s ", "s' "] {
        if let Some(r) = rest.strip_prefix(poss) {
            rest = r;
            break;
        }
    }
    let mut rest = rest.trim_start();
    for _ in 0..2 {
        let mut moved = false;
        for m in MODIFIERS {
            if word_at_start(rest, m) {
                rest = rest[m.len()..].trim_start();
                moved = true;
                break;
            }
        }
        if !moved {
            break;
        }
    }
    AFTER
        .iter()
        .find(|(p, _)| word_at_start(rest, p))
        .map(|&(_, s)| s)
}

/// Score of the police context right before a Latin name starting at `start`.
fn before_score(text: &str, start: usize) -> Option<u8> {
    let pre = text[..start].trim_end();
    BEFORE
        .iter()
        .filter(|(p, _)| {
            pre.ends_with(p)
                && pre[..pre.len() - p.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_word_char(c))
        })
        .map(|&(_, s)| s)
        .max()
}

/// Finds bureau mentions. Cheap to clone (shares its tables).
#[derive(Debug, Clone)]
pub struct BureauRecognizer {
    pub(crate) tables: Arc<BureauTables>,
    pub(crate) folder: Arc<Folder>,
}

impl BureauRecognizer {
    /// Facts about a bureau key (adcode, English short name …); `None` for an unknown key.
    pub fn info(&self, key: &str) -> Option<BureauInfo> {
        self.tables.info(key)
    }

    /// The canonical English short name of a bureau key (Fuzhou); `None` for an unknown key.
    pub fn name_en(&self, key: &str) -> Option<String> {
        self.tables.info(key).map(|i| i.name_en)
    }

    /// The administrative code of a bureau key; `None` for an unknown key.
    pub fn adcode(&self, key: &str) -> Option<String> {
        self.tables.info(key).map(|i| i.adcode)
    }

    /// The shared tables.
    pub fn tables(&self) -> &BureauTables {
        &self.tables
    }

    /// Recognises bureaus on an already folded copy of the document text.
    pub fn recognize_folded(&self, doc: &Doc, folded: &FoldedText) -> Vec<Span> {
        let mut spans = Vec::new();
        self.bureaus(
            folded,
            &|r| doc.slice_chars(r).starts_with(char::is_uppercase),
            &mut |r, key, s| {
                spans.push(
                    doc.span_from_chars(r.start, r.end, Label::Bureau, BUREAU_SOURCE)
                        .with_canonical(key.to_string())
                        .with_score(s),
                );
                false
            },
        );
        spans.sort_by_key(|s| (s.start, s.end));
        spans
    }

    /// True when [`BureauRecognizer::recognize_folded`] on `text` (folded as `folded`) would give
    /// a bureau scored at least `min`: the same bureaus and scores, without building a [`Doc`]
    /// or spans, stopping at the first.
    pub fn has_bureau(&self, text: &str, folded: &FoldedText, min: f32) -> bool {
        // The text's characters, decoded at the first question.
        let chars: std::cell::OnceCell<Vec<char>> = std::cell::OnceCell::new();
        let upper = |r: std::ops::Range<usize>| {
            r.end > r.start
                && chars
                    .get_or_init(|| text.chars().collect())
                    .get(r.start)
                    .is_some_and(|c| c.is_uppercase())
        };
        let mut hit = false;
        self.bureaus(folded, &upper, &mut |_, _, s| {
            hit = s >= min;
            hit
        });
        hit
    }

    /// Calls `found` with every bureau in the folded text (code-point range in the original
    /// text, key, score), in the order the recognizer finds them; stops when it returns true.
    /// `upper`: whether the original text's code points in a range start with a capital.
    fn bureaus(
        &self,
        folded: &FoldedText,
        upper: &dyn Fn(std::ops::Range<usize>) -> bool,
        found: &mut dyn FnMut(std::ops::Range<usize>, &str, f32) -> bool,
    ) {
        let t = &*self.tables;
        let text = &folded.folded;
        for h in t.zh.find(text) {
            let p = t.zh.payloads(h.pattern);
            let Some((row, n)) = t.best(p.iter().map(|x| x.0)) else {
                continue;
            };
            let score = p
                .iter()
                .find(|x| t.rows[x.0 as usize].key == row.key)
                .map_or(80, |x| x.1);
            let mut s = f32::from(score) / 100.0;
            if n > 1 {
                s -= 0.15;
            }
            if found(folded.original_range(h.start..h.end), &row.key, s) {
                return;
            }
        }
        let mut exact_latin: Vec<(usize, usize)> = Vec::new();
        for h in t.latin.find(text) {
            exact_latin.push((h.start, h.end));
            let r = folded.original_range(h.start..h.end);
            if !upper(r.clone()) {
                continue;
            }
            let Some(ctx) = after_score(text, h.end).or_else(|| before_score(text, h.start)) else {
                continue;
            };
            let p = t.latin.payloads(h.pattern);
            let Some((row, n)) = t.best(p.iter().map(|x| x.0)) else {
                continue;
            };
            let alias = p.iter().any(|x| x.1 && t.rows[x.0 as usize].key == row.key);
            let mut s = f32::from(ctx) / 100.0;
            if alias {
                s -= 0.05;
            }
            if n > 1 && row.level == "county" {
                s -= 0.15;
            }
            if found(r, &row.key, s) {
                return;
            }
        }
        self.fuzzy(folded, &exact_latin, upper, found);
    }

    /// Capitalised words next to a police word that are one edit away from a division's name.
    fn fuzzy(
        &self,
        folded: &FoldedText,
        exact: &[(usize, usize)],
        upper: &dyn Fn(std::ops::Range<usize>) -> bool,
        found: &mut dyn FnMut(std::ops::Range<usize>, &str, f32) -> bool,
    ) {
        let t = &*self.tables;
        let text = &folded.folded;
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < bytes.len() {
            if !bytes[i].is_ascii_lowercase() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
                i += 1;
                continue;
            }
            let mut e = i;
            while e < bytes.len() && bytes[e].is_ascii_lowercase() {
                e += 1;
            }
            let word = &text[i..e];
            let next_ok = e >= bytes.len() || !text[e..].starts_with(|c: char| is_word_char(c));
            if word.len() >= 5 && next_ok && !exact.iter().any(|&(s, x)| s < e && i < x) {
                // Both tests are pure; the cheaper one first.
                let r = folded.original_range(i..e);
                let ctx = if upper(r.clone()) {
                    after_score(text, e).or_else(|| before_score(text, i))
                } else {
                    None
                };
                if let Some(ctx) = ctx {
                    let hits = t.fuzzy.lookup(word);
                    if let Some((row, n)) = t.best(hits.iter().map(|h| h.1)) {
                        let mut s = f32::from(ctx) / 100.0 - 0.3;
                        if n > 1 {
                            s -= 0.1;
                        }
                        if found(r, &row.key, s) {
                            return;
                        }
                    }
                }
            }
            i = e.max(i + 1);
        }
    }
}

impl Recognizer for BureauRecognizer {
    fn name(&self) -> &str {
        BUREAU_SOURCE
    }

    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        let folded = self.folder.fold(doc.text());
        self.recognize_folded(doc, &folded)
    }
}
