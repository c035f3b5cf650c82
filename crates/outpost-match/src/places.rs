//! [`PlaceRecognizer`]: countries (ISO alpha-2) and cities (GeoNames ids) in zh/es/en, with
//! ambiguous names decided from context.

use crate::fuzzy::FuzzyIndex;
use crate::scan::{is_cjk, word_at_end, word_at_start, Dict, DictBuilder};
use crate::tables::{CityRow, CountryRow};
use crate::{doc_lang, MatchError};
use outpost_core::text::{FoldedText, Folder};
use outpost_core::{Doc, Label, Recognizer, Span};
use std::collections::HashMap;
use std::sync::Arc;

/// Component name written into spans.
pub const PLACE_SOURCE: &str = "match.place";
/// Population from which a city takes part in fuzzy matching.
pub const FUZZY_MIN_POPULATION: u32 = 200_000;

/// What a place name can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceRef {
    /// Country index, and whether the name is a demonym.
    Country(u16, bool),
    /// City index, whether the name is an alternate (exonym), and whether it is also a common
    /// lower-case word.
    City(u32, bool, bool),
}

/// Facts about a city, for the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceInfo {
    /// Normalised English name (New York, São Paulo, Johannesburg).
    pub name_en: String,
    /// ISO 3166-1 alpha-2 code of its country (`CN` for Chinese home cities).
    pub country: String,
    /// Latitude, WGS-84 degrees.
    pub lat: f32,
    /// Longitude, WGS-84 degrees.
    pub lon: f32,
    /// GeoNames id.
    pub geonames_id: u32,
    /// Population (GeoNames).
    pub population: u32,
}

/// Country and city tables with their automaton.
#[derive(Debug)]
pub struct PlaceTables {
    countries: Vec<CountryRow>,
    country_index: HashMap<String, u16>,
    cities: Vec<CityRow>,
    city_index: HashMap<u32, u32>,
    dict: Dict<PlaceRef>,
    fuzzy: FuzzyIndex,
}

impl PlaceTables {
    /// Builds the automaton from the tables (names folded with `folder`).
    /// `stored` may hold the serialised automaton (see [`crate::scan::Dict::serialize`]).
    pub fn new(
        countries: Vec<CountryRow>,
        cities: Vec<CityRow>,
        folder: &Folder,
        stored: Option<&[u8]>,
    ) -> Result<Self, MatchError> {
        let mut b = DictBuilder::new();
        let mut fuzzy = FuzzyIndex::new();
        for (i, c) in countries.iter().enumerate() {
            for n in &c.names {
                b.add(&folder.fold_str(n), PlaceRef::Country(i as u16, false));
            }
            for n in &c.demonyms {
                b.add(&folder.fold_str(n), PlaceRef::Country(i as u16, true));
            }
        }
        for (i, c) in cities.iter().enumerate() {
            for n in &c.names {
                let f = folder.fold_str(n);
                if c.population >= FUZZY_MIN_POPULATION
                    && f.len() >= 7
                    && f.bytes().all(|x| x.is_ascii_lowercase() || x == b' ')
                {
                    fuzzy.insert(&f, i as u32);
                }
                b.add(&f, PlaceRef::City(i as u32, false, c.common.contains(n)));
            }
            for n in &c.alternates {
                let common = c.common.contains(n);
                b.add(&folder.fold_str(n), PlaceRef::City(i as u32, true, common));
            }
        }
        let country_index = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.alpha2.clone(), i as u16))
            .collect();
        let city_index = cities
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i as u32))
            .collect();
        Ok(Self {
            countries,
            country_index,
            cities,
            city_index,
            dict: b.load_or_build(stored)?,
            fuzzy,
        })
    }

    /// The raw automaton pass over folded text: the number of accepted hits (no resolution). This
    /// is what the gazetteer-scan benchmark times.
    pub fn scan(&self, folded: &str) -> usize {
        self.dict.find(folded).len()
    }

    /// The accepted hits of the automaton pass over folded text, in text order (no resolution).
    pub fn hits(&self, folded: &str) -> Vec<crate::scan::Hit> {
        self.dict.find(folded)
    }

    /// As [`PlaceTables::hits`], by the slower reference search (the oracle the one-pass search
    /// is checked against).
    pub fn hits_reference(&self, folded: &str) -> Vec<crate::scan::Hit> {
        self.dict.find_reference(folded)
    }

    /// As [`PlaceTables::scan`], by the slower reference search (the benchmark's baseline).
    pub fn scan_reference(&self, folded: &str) -> usize {
        self.dict.find_reference(folded).len()
    }

    /// The automaton, serialised.
    pub fn serialize_automaton(&self) -> Vec<u8> {
        self.dict.serialize()
    }

    /// Number of patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.dict.len()
    }

    /// Facts about a city by GeoNames id (as number or string); `None` for an unknown id.
    pub fn place_info(&self, id: &str) -> Option<PlaceInfo> {
        let id: u32 = id.trim().parse().ok()?;
        let c = &self.cities[*self.city_index.get(&id)? as usize];
        Some(PlaceInfo {
            name_en: c.name_en.clone(),
            country: c.country.clone(),
            lat: c.lat,
            lon: c.lon,
            geonames_id: c.id,
            population: c.population,
        })
    }

    /// The English name of a country by ISO alpha-2 code; `None` for an unknown code.
    pub fn country_name(&self, alpha2: &str) -> Option<&str> {
        let i = *self.country_index.get(&alpha2.to_ascii_uppercase())?;
        Some(self.countries[i as usize].name_en.as_str())
    }

    /// All names (as written in the table) of a city, for evaluation and review.
    pub fn city_names(&self, id: u32) -> Vec<&str> {
        self.city_index
            .get(&id)
            .map(|&i| {
                let c = &self.cities[i as usize];
                c.names
                    .iter()
                    .chain(&c.alternates)
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Finds countries and cities. Cheap to clone (shares its tables).
#[derive(Debug, Clone)]
pub struct PlaceRecognizer {
    pub(crate) tables: Arc<PlaceTables>,
    pub(crate) folder: Arc<Folder>,
}

const SPANISH_SPEAKING: &[&str] = &[
    "ES", "MX", "AR", "CL", "CO", "PE", "VE", "EC", "BO", "PY", "UY", "CU", "DO", "GT", "HN", "SV",
    "NI", "CR", "PA", "PR",
];

fn population_prior(pop: u32) -> f32 {
    let p = (pop.max(15_000) as f32 / 15_000.0).log10();
    (0.25 + 0.12 * p).min(0.6)
}

/// A raw hit with its candidates, before resolution.
struct Raw {
    start: usize,
    end: usize,
    sentence: Option<usize>,
    refs: Vec<PlaceRef>,
    fuzzy: bool,
}

/// Whether a name as written starts with a capital (or a CJK character, digit …). A leading
/// article is skipped, since names such as "the Netherlands" or "la India" keep it in lower case.
fn starts_upper(s: &str) -> bool {
    let mut s = s;
    for art in ["the ", "la ", "el ", "las ", "los ", "le ", "les "] {
        if let Some(rest) = s.strip_prefix(art) {
            s = rest.trim_start();
            break;
        }
    }
    s.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || is_cjk(c) || !c.is_alphabetic())
}

/// Words that make "America" a continent or region: before it (North America, Latin America) and
/// after it (América Latina, América del Sur, América do Sul), in folded text.
const AMERICA_BEFORE: &[&str] = &["north", "south", "central", "latin", "meso"];
const AMERICA_AFTER: &[&str] = &[
    "latina",
    "del sur",
    "del norte",
    "central",
    "do sul",
    "do norte",
    "meridional",
    "septentrional",
];

/// Folded byte ranges of continent and region names built on "America" (North America, América
/// Latina, América del Sur …): no country or city is named there, although the dictionary knows
/// "America" (the United States), "Latina" (Italy) and "Sur" (Oman). Returns the whole phrase of
/// every such "America" hit.
fn continent_phrases(folded: &str, hits: &[crate::scan::Hit]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for h in hits {
        if folded.get(h.start..h.end) != Some("america") {
            continue;
        }
        let before = folded[..h.start].trim_end_matches([' ', '-']);
        let prefix = AMERICA_BEFORE.iter().find(|w| word_at_end(before, w));
        if let Some(w) = prefix {
            out.push(before.len() - w.len()..h.end);
            continue;
        }
        let after = &folded[h.end..];
        if let Some(rest) = after.strip_prefix(' ') {
            if let Some(w) = AMERICA_AFTER.iter().find(|w| word_at_start(rest, w)) {
                out.push(h.start..h.end + 1 + w.len());
            }
        }
    }
    out
}

/// Words that, right after a place name, make it part of a news outlet's name (The New York Times,
/// Washington Post, Agence France-Presse; 纽约时报, 美国之音, 英国广播公司, 德国之声), in folded
/// text (Latin words after a space or hyphen, Chinese ones directly).
const MEDIA_AFTER: &[&str] = &[
    "times",
    "post",
    "herald",
    "tribune",
    "journal",
    "gazette",
    "chronicle",
    "presse",
];
const MEDIA_AFTER_ZH: &[&str] = &[
    "时报",
    "時報",
    "邮报",
    "郵報",
    "之音",
    "之声",
    "之聲",
    "广播公司",
    "廣播公司",
    "广播电台",
    "廣播電台",
    "国际广播电台",
    "國際廣播電台",
    "电视台",
    "電視台",
    "日报",
    "日報",
    "新闻社",
    "新聞社",
    "通讯社",
    "通訊社",
];

/// Folded byte ranges of place-name hits that are part of a news outlet's name (see
/// [`MEDIA_AFTER`]; also "Voice of America"): an outlet is not a place the article locates
/// anything in.
fn media_names(folded: &str, hits: &[crate::scan::Hit]) -> Vec<std::ops::Range<usize>> {
    hits.iter()
        .filter(|h| {
            let Some(after) = folded.get(h.end..) else {
                return false;
            };
            let latin = after
                .strip_prefix([' ', '-'])
                .is_some_and(|r| MEDIA_AFTER.iter().any(|w| word_at_start(r, w)));
            let zh = MEDIA_AFTER_ZH.iter().any(|w| after.starts_with(w));
            let voice = folded
                .get(..h.start)
                .is_some_and(|b| b.ends_with("voice of ") || b.ends_with("voice of the "));
            latin || zh || voice
        })
        .map(|h| h.start..h.end)
        .collect()
}

impl PlaceRecognizer {
    /// Facts about a city by GeoNames id; `None` for an unknown id.
    pub fn place_info(&self, id: &str) -> Option<PlaceInfo> {
        self.tables.place_info(id)
    }

    /// English name of a country by ISO code; `None` for an unknown code.
    pub fn country_name(&self, alpha2: &str) -> Option<&str> {
        self.tables.country_name(alpha2)
    }

    /// The shared tables.
    pub fn tables(&self) -> &PlaceTables {
        &self.tables
    }

    /// Recognises places on an already folded copy of the document text.
    pub fn recognize_folded(&self, doc: &Doc, folded: &FoldedText) -> Vec<Span> {
        let t = &*self.tables;
        let spanish = doc_lang(doc) == Some("es");
        let mut raws: Vec<Raw> = Vec::new();
        let hits = t.dict.find(&folded.folded);
        let mut regions = continent_phrases(&folded.folded, &hits);
        regions.extend(media_names(&folded.folded, &hits));
        for h in hits {
            if regions.iter().any(|r| r.start < h.end && h.start < r.end) {
                continue;
            }
            let r = folded.original_range(h.start..h.end);
            let orig = doc.slice_chars(r.clone());
            let upper = starts_upper(orig);
            let refs: Vec<PlaceRef> = t
                .dict
                .payloads(h.pattern)
                .iter()
                .copied()
                .filter(|p| match p {
                    // Latin names must be capitalised; Spanish demonyms are written in lower case.
                    PlaceRef::Country(_, true) => upper || spanish,
                    _ => upper,
                })
                .collect();
            if refs.is_empty() {
                continue;
            }
            // A country name beats a city of the same name (Panama, Singapore, Mexico).
            let has_country = refs.iter().any(|p| matches!(p, PlaceRef::Country(..)));
            let refs = if has_country {
                refs.into_iter()
                    .filter(|p| matches!(p, PlaceRef::Country(..)))
                    .collect()
            } else {
                refs
            };
            raws.push(Raw {
                start: r.start,
                end: r.end,
                sentence: doc.sentence_of_char(r.start),
                refs,
                fuzzy: false,
            });
        }
        self.fuzzy_hits(doc, folded, &mut raws);

        // Context: countries named in the document (weight by sentence) and unambiguous cities.
        let mut ctx_doc: HashMap<&str, f32> = HashMap::new();
        let mut ctx_sent: HashMap<(Option<usize>, &str), f32> = HashMap::new();
        for r in &raws {
            let mut add = |cc: &'static str, w: f32| {
                let e = ctx_doc.entry(cc).or_insert(0.0);
                *e = e.max(w);
                let e = ctx_sent.entry((r.sentence, cc)).or_insert(0.0);
                *e = e.max(w);
            };
            match r.refs.as_slice() {
                [PlaceRef::Country(i, dem)] => {
                    let cc = leak_cc(&t.countries[*i as usize].alpha2);
                    add(cc, if *dem { 0.6 } else { 1.0 });
                }
                [PlaceRef::City(i, false, false)] if !r.fuzzy => {
                    let c = &t.cities[*i as usize];
                    if c.population >= 500_000 {
                        add(leak_cc(&c.country), 0.7);
                    } else if c.population >= 100_000 {
                        add(leak_cc(&c.country), 0.4);
                    }
                }
                refs => {
                    // Several cities: a clear population leader still gives context.
                    let mut pops: Vec<(u32, &str)> = refs
                        .iter()
                        .filter_map(|p| match p {
                            PlaceRef::City(i, false, false) => {
                                let c = &t.cities[*i as usize];
                                Some((c.population, c.country.as_str()))
                            }
                            _ => None,
                        })
                        .collect();
                    pops.sort_by_key(|p| std::cmp::Reverse(p.0));
                    if let [(p0, cc), rest @ ..] = pops.as_slice() {
                        let runner = rest.first().map_or(0, |r| r.0);
                        if *p0 >= 500_000 && *p0 >= runner.saturating_mul(5) && !r.fuzzy {
                            add(leak_cc(cc), 0.7);
                        }
                    }
                }
            }
        }

        let mut spans = Vec::new();
        for r in &raws {
            let first = r.refs[0];
            if let PlaceRef::Country(i, dem) = first {
                let c = &t.countries[i as usize];
                let score = if dem { 0.7 } else { 0.95 };
                spans.push(
                    doc.span_from_chars(r.start, r.end, Label::Country, PLACE_SOURCE)
                        .with_canonical(c.alpha2.clone())
                        .with_score(score),
                );
                continue;
            }
            let mut scored: Vec<(f32, u32)> = r
                .refs
                .iter()
                .filter_map(|p| match p {
                    PlaceRef::City(i, alt, common) => {
                        let c = &t.cities[*i as usize];
                        let mut s = population_prior(c.population);
                        if !alt {
                            s += 0.1;
                        }
                        if r.end - r.start >= 10 {
                            // Long names (Santiago de Compostela) are specific.
                            s += 0.1;
                        }
                        let d = ctx_doc.get(c.country.as_str()).copied().unwrap_or(0.0);
                        let se = ctx_sent
                            .get(&(r.sentence, c.country.as_str()))
                            .copied()
                            .unwrap_or(0.0);
                        s += 0.12 * d + 0.2 * se;
                        if *common {
                            s -= if se > 0.0 { 0.3 } else { 0.45 };
                        }
                        if spanish && SPANISH_SPEAKING.contains(&c.country.as_str()) {
                            s += 0.05;
                        }
                        if r.fuzzy {
                            s -= if d > 0.0 { 0.15 } else { 0.4 };
                        }
                        Some((s, *i))
                    }
                    PlaceRef::Country(..) => None,
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let Some(&(best, idx)) = scored.first() else {
                continue;
            };
            let mut score = best;
            if let Some(&(second, _)) = scored.get(1) {
                if best - second < 0.05 {
                    score -= 0.1;
                }
            }
            let c = &t.cities[idx as usize];
            spans.push(
                doc.span_from_chars(r.start, r.end, Label::City, PLACE_SOURCE)
                    .with_canonical(c.id.to_string())
                    .with_score(score),
            );
        }
        spans
    }

    /// Capitalised Latin words (one or two) at edit distance 1 from a large city's name.
    fn fuzzy_hits(&self, doc: &Doc, folded: &FoldedText, raws: &mut Vec<Raw>) {
        let t = &*self.tables;
        if t.fuzzy.is_empty() {
            return;
        }
        let text = &folded.folded;
        // `raws` is sorted by start and non-overlapping: binary search for a covering hit.
        let covered = |s: usize, e: usize, raws: &[Raw]| {
            let k = raws.partition_point(|r| r.end <= s);
            raws.get(k).is_some_and(|r| r.start < e)
        };
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, ch) in text.char_indices() {
            if ch.is_ascii_lowercase() {
                if start.is_none() {
                    start = Some(i);
                }
            } else if let Some(s) = start.take() {
                words.push((s, i));
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        let mut found = Vec::new();
        for (k, &(s, e)) in words.iter().enumerate() {
            for span_end in [e, words.get(k + 1).map_or(e, |w| w.1)] {
                let q = &text[s..span_end];
                if q.len() < 7 || (span_end != e && text[e..words[k + 1].0].trim() != "") {
                    continue;
                }
                let r = folded.original_range(s..span_end);
                if !starts_upper(doc.slice_chars(r.start..r.start + 1))
                    || covered(r.start, r.end, raws)
                {
                    continue;
                }
                let hits = t.fuzzy.lookup(q);
                if hits.is_empty() {
                    continue;
                }
                found.push(Raw {
                    start: r.start,
                    end: r.end,
                    sentence: doc.sentence_of_char(r.start),
                    refs: hits
                        .into_iter()
                        .map(|(_, i)| PlaceRef::City(i, false, false))
                        .collect(),
                    fuzzy: true,
                });
                break;
            }
        }
        raws.extend(found);
        raws.sort_by_key(|r| (r.start, r.end));
    }
}

/// Interns a country code as `&'static str` for the context maps (codes are two ASCII letters;
/// unknown shapes map to "??").
fn leak_cc(cc: &str) -> &'static str {
    let b = cc.as_bytes();
    if b.len() != 2 || !b[0].is_ascii_uppercase() || !b[1].is_ascii_uppercase() {
        return "??";
    }
    static TABLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut v = Vec::with_capacity(26 * 26);
        for a in b'A'..=b'Z' {
            for c in b'A'..=b'Z' {
                v.push(String::from_utf8_lossy(&[a, c]).into_owned());
            }
        }
        v
    });
    let i = (b[0] - b'A') as usize * 26 + (b[1] - b'A') as usize;
    table[i].as_str()
}

impl Recognizer for PlaceRecognizer {
    fn name(&self) -> &str {
        PLACE_SOURCE
    }

    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        let folded = self.folder.fold(doc.text());
        self.recognize_folded(doc, &folded)
    }
}
