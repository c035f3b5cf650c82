//! The raw material of a synthetic corpus, read from the shared data folder: sentences of the NER
//! training splits (CoNLL 2003 en, CoNLL 2002 es, CLUENER 2020 zh), world cities with a Chinese
//! name (GeoNames, population ≥ 300,000, outside China), country names in the three languages
//! (CLDR) and the issuing bureaus' home places (Chinese administrative divisions).

use crate::CorpusError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A language of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Spanish.
    Es,
    /// Chinese.
    Zh,
}

impl Lang {
    /// All languages, in the order articles cycle through them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Zh];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Zh => "zh",
        }
    }
}

/// A host city: its English (GeoNames) and Chinese names, and its country's names.
#[derive(Debug, Clone)]
pub struct City {
    /// GeoNames name (used in en and es text).
    pub name: String,
    /// First Han-script alternate name (used in zh text).
    pub name_zh: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Country name in English.
    pub country_en: String,
    /// Country name in Spanish.
    pub country_es: String,
    /// Country name in Simplified Chinese.
    pub country_zh: String,
}

/// An issuing bureau's home place (a Chinese prefecture or county).
#[derive(Debug, Clone)]
pub struct Bureau {
    /// Full Chinese name, e.g. `青田县`.
    pub name_zh: String,
    /// Romanised short name, e.g. `Qingtian`.
    pub name_latin: String,
}

/// Everything a [`crate::Generator`] draws from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Sentences per language.
    pub sentences: HashMap<Lang, Vec<String>>,
    /// Host cities.
    pub cities: Vec<City>,
    /// Issuing bureaus.
    pub bureaus: Vec<Bureau>,
    /// Every Chinese prefecture and county (same shape as a bureau), for the police news of
    /// [`crate::Options::police_rate`].
    pub places: Vec<Bureau>,
}

/// Short names of the home places of the bureaus named in public reports on the stations.
const BUREAU_PLACES: [&str; 5] = ["福州", "青田", "温州", "南通", "丽水"];
const MIN_POPULATION: u64 = 300_000;

fn read(path: &Path) -> Result<String, CorpusError> {
    std::fs::read_to_string(path).map_err(|source| CorpusError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn empty(path: &Path, what: &str) -> CorpusError {
    CorpusError::Empty {
        path: path.to_path_buf(),
        what: what.to_string(),
    }
}

/// Sentences of a CoNLL file (token in the first column, blank line between sentences), tokens
/// joined with spaces, or with nothing for Chinese (one character per token).
pub fn conll_sentences(text: &str, cjk: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                let s = if cjk { cur.concat() } else { detokenise(&cur) };
                // Drop document separators and one-word fragments.
                if !s.starts_with("-DOCSTART-") && cur.len() >= 4 {
                    out.push(s);
                }
                cur.clear();
            }
        } else if let Some(tok) = line.split('\t').next() {
            cur.push(tok);
        }
    }
    out
}

/// Joins tokens with spaces except before closing punctuation and clitics and after opening
/// brackets (`Agassi 's draw .` -> `Agassi's draw.`).
fn detokenise(tokens: &[&str]) -> String {
    let mut s = String::new();
    let mut glue_next = false;
    for t in tokens {
        let closing = matches!(
            *t,
            "." | "," | ";" | ":" | "!" | "?" | ")" | "]" | "%" | "'s" | "n't" | "'"
        );
        if !s.is_empty() && !closing && !glue_next {
            s.push(' ');
        }
        s.push_str(t);
        glue_next = matches!(*t, "(" | "[" | "$");
    }
    s
}

fn tsv_rows(text: &str) -> (Vec<&str>, impl Iterator<Item = Vec<&str>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("").split('\t').collect();
    (header, lines.map(|l| l.split('\t').collect()))
}

fn column(header: &[&str], name: &str, path: &Path) -> Result<usize, CorpusError> {
    header
        .iter()
        .position(|h| *h == name)
        .ok_or_else(|| empty(path, &format!("no column `{name}`")))
}

impl Sources {
    /// Reads the sources from `data` (the shared data folder). Fails naming the file when one is
    /// missing, unreadable or yields nothing.
    pub fn load(data: &Path) -> Result<Self, CorpusError> {
        let mut sentences = HashMap::new();
        for (lang, rel, cjk) in [
            (Lang::En, "ner/conll2003_en/train.conll", false),
            (Lang::Es, "ner/conll2002_es/train.conll", false),
            (Lang::Zh, "ner/cluener2020/train.conll", true),
        ] {
            let path = data.join(rel);
            let s = conll_sentences(&read(&path)?, cjk);
            if s.is_empty() {
                return Err(empty(&path, "no sentences"));
            }
            sentences.insert(lang, s);
        }

        let cpath = data.join("gazetteer/countries_names_cldr_umpirsky.tsv");
        let ctext = read(&cpath)?;
        let (h, rows) = tsv_rows(&ctext);
        let (ia, ien, ies, izh) = (
            column(&h, "alpha2", &cpath)?,
            column(&h, "name_en", &cpath)?,
            column(&h, "name_es", &cpath)?,
            column(&h, "name_zh_Hans", &cpath)?,
        );
        let mut countries: HashMap<String, [String; 3]> = HashMap::new();
        for r in rows {
            if let (Some(a), Some(en), Some(es), Some(zh)) =
                (r.get(ia), r.get(ien), r.get(ies), r.get(izh))
            {
                countries.insert(
                    a.to_string(),
                    [en.to_string(), es.to_string(), zh.to_string()],
                );
            }
        }

        let gpath = data.join("gazetteer/cities15000_geonames.tsv");
        let gtext = read(&gpath)?;
        let (h, rows) = tsv_rows(&gtext);
        let (iname, icc, ipop, ihan) = (
            column(&h, "name", &gpath)?,
            column(&h, "country_code", &gpath)?,
            column(&h, "population", &gpath)?,
            column(&h, "han_names", &gpath)?,
        );
        let mut cities = Vec::new();
        for r in rows {
            let (Some(name), Some(cc), Some(pop), Some(han)) =
                (r.get(iname), r.get(icc), r.get(ipop), r.get(ihan))
            else {
                continue;
            };
            let pop: u64 = pop.parse().unwrap_or(0);
            let zh = han.split('|').next().unwrap_or("");
            if pop < MIN_POPULATION || *cc == "CN" || zh.is_empty() {
                continue;
            }
            let Some([en, es, czh]) = countries.get(*cc) else {
                continue;
            };
            cities.push(City {
                name: name.to_string(),
                name_zh: zh.to_string(),
                country: cc.to_string(),
                country_en: en.clone(),
                country_es: es.clone(),
                country_zh: czh.clone(),
            });
        }
        if cities.is_empty() {
            return Err(empty(&gpath, "no cities with a Chinese name"));
        }

        let bpath = data.join("gazetteer/china_admin_divisions.tsv");
        let btext = read(&bpath)?;
        let (h, rows) = tsv_rows(&btext);
        let (iname, ishort, ipin) = (
            column(&h, "name", &bpath)?,
            column(&h, "short_name", &bpath)?,
            column(&h, "short_name_pinyin", &bpath)?,
        );
        let ilevel = column(&h, "level", &bpath)?;
        let mut bureaus: Vec<Bureau> = Vec::new();
        let mut places: Vec<Bureau> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for r in rows {
            if let (Some(name), Some(short), Some(pin), Some(level)) =
                (r.get(iname), r.get(ishort), r.get(ipin), r.get(ilevel))
            {
                let place = Bureau {
                    name_zh: name.to_string(),
                    name_latin: pin.to_string(),
                };
                if BUREAU_PLACES.contains(short) && !bureaus.iter().any(|b| b.name_zh == *name) {
                    bureaus.push(place.clone());
                }
                if *level != "province" && !pin.is_empty() && seen.insert(name.to_string()) {
                    places.push(place);
                }
            }
        }
        if bureaus.is_empty() {
            return Err(empty(&bpath, "none of the bureau home places"));
        }
        if places.is_empty() {
            return Err(empty(&bpath, "no prefectures or counties"));
        }
        Ok(Self {
            sentences,
            cities,
            bureaus,
            places,
        })
    }

    /// The data folder: `$OUTPOST_DATA`, else `../shared/data` relative to `root`.
    pub fn data_dir(root: &Path) -> PathBuf {
        std::env::var_os("OUTPOST_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/data"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_sentences_join_tokens_and_drop_fragments() {
        let text = "-DOCSTART-\tO\n\nEU\tB-ORG\nrejects\tO\nGerman\tB-MISC\ncall\tO\n\nPeter\tB-PER\n\n中\tB\n国\tI\n人\tO\n民\tO\n";
        let s = conll_sentences(text, false);
        assert_eq!(
            s,
            vec![
                "EU rejects German call".to_string(),
                "中 国 人 民".to_string()
            ]
        );
        assert_eq!(
            conll_sentences("中\tB\n国\tI\n人\tO\n民\tO\n", true),
            vec!["中国人民"]
        );
    }

    #[test]
    fn loads_the_shared_data_when_present() {
        let data = Sources::data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."));
        if !data.join("ner").is_dir() {
            eprintln!(
                "notice: {} not found; shared-data test skipped",
                data.display()
            );
            return;
        }
        let s = Sources::load(&data).expect("loads");
        for lang in Lang::ALL {
            assert!(s.sentences[&lang].len() > 1000, "{lang:?}");
        }
        assert!(s.cities.len() > 100);
        assert!(s
            .cities
            .iter()
            .any(|c| c.name == "Madrid" && c.country_zh == "西班牙"));
        let names: Vec<&str> = s.bureaus.iter().map(|b| b.name_latin.as_str()).collect();
        assert!(
            names.contains(&"Qingtian") && names.contains(&"Fuzhou"),
            "{names:?}"
        );
        assert!(s.sentences[&Lang::En].iter().all(|x| !x.contains(" 's ")));
    }
}
