//! # outpost-match
//!
//! Bureau, station-term and place matching for outpost, as [`Recognizer`]s:
//!
//! * [`StationTermRecognizer`]: `STATION_TERM` spans (海外警务服务站, 警侨驿站, "110 Overseas",
//!   "comisarías clandestinas" …) with a score of how surely they name an overseas police station;
//!   look-alikes (joint patrols, liaison officers, the 海外110 hotline, 派出所, help centres) come out
//!   as `LOOK_ALIKE` spans or score below 0.5. Canonical id = a stable term key.
//! * [`BureauRecognizer`]: `BUREAU` spans, canonical id = bureau key (`fuzhou`), with
//!   [`BureauRecognizer::info`] for the adcode and English short name.
//! * [`PlaceRecognizer`]: `COUNTRY` spans (canonical = ISO alpha-2) and `CITY` spans (canonical =
//!   GeoNames id), with [`PlaceRecognizer::place_info`] for name, country and coordinates.
//!
//! All three match on folded text ([`outpost_core::text::Folder`]: NFKC-style compatibility folding, case
//! and accent folding, Traditional→Simplified) with Aho–Corasick and report code-point offsets in
//! the original text. [`Matchers::load`] reads the compiled tables from `models/match/`;
//! [`compile::compile`] builds them from `../shared/data/gazetteer/`.
//!
//! ```no_run
//! use outpost_core::{Doc, Document, Recognizer};
//! let m = outpost_match::Matchers::load(std::path::Path::new("models/match")).unwrap();
//! let doc = Doc::new(Document::new("a", "福州市公安局在都柏林设立海外警务服务站。"));
//! for span in m.recognize(&doc) {
//!     println!("{} {} {:?} {}", span.label, span.text, span.canonical, span.score);
//! }
//! ```

pub mod bureaus;
pub mod compile;
pub mod error;
pub mod eval;
pub mod fuzzy;
pub mod pinyin;
pub mod places;
pub mod prefilter;
pub mod scan;
pub mod stations;
pub mod tables;

pub use bureaus::{BureauInfo, BureauRecognizer};
pub use error::MatchError;
pub use places::{PlaceInfo, PlaceRecognizer};
pub use prefilter::{Prefilter, PrefilterHits, PREFILTER_MIN_SCORE};
pub use stations::StationTermRecognizer;

use outpost_core::{Doc, Recognizer, Span};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Serialised automata, as stored in `models/match/` (each `None` = build it).
#[derive(Debug, Clone, Default)]
pub struct Automata {
    /// The place automaton.
    pub places: Option<Vec<u8>>,
    /// The Chinese bureau automaton.
    pub bureau_zh: Option<Vec<u8>>,
    /// The Latin-script bureau automaton.
    pub bureau_latin: Option<Vec<u8>>,
}

/// Component name of the combined matcher.
pub const MATCH_SOURCE: &str = "match";

/// The document's language: the detected one, else the input's hint.
pub(crate) fn doc_lang(doc: &Doc) -> Option<&str> {
    doc.lang.as_deref().or(doc.document.lang.as_deref())
}

/// The default location of the compiled tables: `$OUTPOST_MODELS/match`, else the first
/// `models/match` found from the current directory upwards, then from the running executable's
/// folder upwards (`target/release/outpost` inside a checkout), else `models/match`.
pub fn default_models_dir() -> PathBuf {
    outpost_core::paths::find_models_subdir("match", tables::CITIES)
        .unwrap_or_else(|| PathBuf::from("models/match"))
}

/// All three recognizers, loaded once from the compiled tables and sharing one folder.
///
/// `Matchers` is itself a [`Recognizer`] that folds the text once and returns the spans of all
/// three; use [`Matchers::places`], [`Matchers::bureaus`] and [`Matchers::stations`] to run them
/// one by one.
#[derive(Debug, Clone)]
pub struct Matchers {
    places: PlaceRecognizer,
    bureaus: BureauRecognizer,
    stations: StationTermRecognizer,
    folder: Arc<Folder>,
}

use outpost_core::text::Folder;

impl Matchers {
    /// Loads the tables from `dir` (e.g. `models/match`) and builds the automata. Fails with the
    /// file name on a missing or malformed table.
    pub fn load(dir: &Path) -> Result<Self, MatchError> {
        let t2s = tables::read_t2s(&dir.join(tables::T2S))?;
        let folder = Arc::new(Folder::new().with_char_map(t2s));
        let countries = tables::read_rows(&dir.join(tables::COUNTRIES), tables::CountryRow::parse)?;
        let cities = tables::read_rows(&dir.join(tables::CITIES), tables::CityRow::parse)?;
        let bureaus = tables::read_rows(&dir.join(tables::BUREAUS), tables::BureauRow::parse)?;
        let mut stored = Automata::default();
        for (name, slot) in [
            (tables::PLACES_AUTOMATON, &mut stored.places),
            (tables::BUREAU_ZH_AUTOMATON, &mut stored.bureau_zh),
            (tables::BUREAU_LATIN_AUTOMATON, &mut stored.bureau_latin),
        ] {
            let p = dir.join(name);
            if p.exists() {
                *slot = Some(tables::read_gz_bytes(&p)?);
            }
        }
        Self::from_rows(folder, countries, cities, bureaus, &stored)
    }

    /// Writes the serialised automata next to the tables, so that [`Matchers::load`] need not
    /// build them. Files are written completely or not at all.
    pub fn save_automata(&self, dir: &Path) -> Result<(), MatchError> {
        let (zh, latin) = self.bureaus.tables.serialize_automata();
        tables::write_gz_bytes(
            &dir.join(tables::PLACES_AUTOMATON),
            &self.places.tables.serialize_automaton(),
        )?;
        tables::write_gz_bytes(&dir.join(tables::BUREAU_ZH_AUTOMATON), &zh)?;
        tables::write_gz_bytes(&dir.join(tables::BUREAU_LATIN_AUTOMATON), &latin)
    }

    /// Builds the matchers from table rows already in memory (used by [`Matchers::load`] and by
    /// tests that write their own small tables). Automata in `stored` are used when they match
    /// the patterns; the others are built. The place and bureau tables are built in parallel.
    pub fn from_rows(
        folder: Arc<Folder>,
        countries: Vec<tables::CountryRow>,
        cities: Vec<tables::CityRow>,
        bureaus: Vec<tables::BureauRow>,
        stored: &Automata,
    ) -> Result<Self, MatchError> {
        let (places, bureaus) = std::thread::scope(|s| {
            let f = &folder;
            let p = s.spawn(move || {
                places::PlaceTables::new(countries, cities, f, stored.places.as_deref())
            });
            let b = bureaus::BureauTables::new(
                bureaus,
                f,
                stored.bureau_zh.as_deref(),
                stored.bureau_latin.as_deref(),
            );
            let p = p.join().unwrap_or_else(|_| {
                Err(MatchError::Automaton("place table build panicked".into()))
            });
            (p, b)
        });
        let places = PlaceRecognizer {
            tables: Arc::new(places?),
            folder: folder.clone(),
        };
        let bureaus = BureauRecognizer {
            tables: Arc::new(bureaus?),
            folder: folder.clone(),
        };
        let stations = StationTermRecognizer {
            tables: Arc::new(stations::StationTables::new(&folder)?),
            folder: folder.clone(),
        };
        Ok(Self {
            places,
            bureaus,
            stations,
            folder,
        })
    }

    /// The place recognizer (countries and cities).
    pub fn places(&self) -> &PlaceRecognizer {
        &self.places
    }

    /// The bureau recognizer.
    pub fn bureaus(&self) -> &BureauRecognizer {
        &self.bureaus
    }

    /// The station-term recognizer.
    pub fn stations(&self) -> &StationTermRecognizer {
        &self.stations
    }

    /// The folder the tables were built with.
    pub fn folder(&self) -> &Folder {
        &self.folder
    }
}

impl Recognizer for Matchers {
    fn name(&self) -> &str {
        MATCH_SOURCE
    }

    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        let folded = self.folder.fold(doc.text());
        let mut out = self.stations.recognize_folded(doc, &folded);
        out.extend(self.bureaus.recognize_folded(doc, &folded));
        out.extend(self.places.recognize_folded(doc, &folded));
        out.sort_by_key(|s| (s.start, s.end, s.label));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::{Document, Label};
    use tables::{BureauRow, CityRow, CountryRow};

    fn country(a2: &str, en: &str, names: &[&str], dem: &[&str]) -> CountryRow {
        CountryRow {
            alpha2: a2.into(),
            name_en: en.into(),
            names: names.iter().map(|s| s.to_string()).collect(),
            demonyms: dem.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn city(id: u32, en: &str, cc: &str, pop: u32, names: &[&str]) -> CityRow {
        CityRow {
            id,
            name_en: en.into(),
            country: cc.into(),
            lat: 0.0,
            lon: 0.0,
            population: pop,
            names: names.iter().map(|s| s.to_string()).collect(),
            alternates: vec![],
            common: vec![],
        }
    }

    fn bureau(
        key: &str,
        code: &str,
        level: &str,
        name: &str,
        short: &str,
        en: &str,
        parent: &str,
    ) -> BureauRow {
        BureauRow {
            key: key.into(),
            adcode: code.into(),
            level: level.into(),
            name: name.into(),
            short: short.into(),
            name_en: en.into(),
            parent: parent.into(),
            aliases: vec![],
        }
    }

    /// Small hand-made tables (facts, not copied text).
    fn matchers() -> Matchers {
        let t2s = [
            ('溫', '温'),
            ('約', '约'),
            ('紐', '纽'),
            ('僑', '侨'),
            ('務', '务'),
            ('務', '务'),
            ('處', '处'),
            ('點', '点'),
            ('服', '服'),
            ('國', '国'),
            ('報', '报'),
            ('臺', '台'),
            ('長', '长'),
            ('開', '开'),
            ('頓', '顿'),
            ('聯', '联'),
            ('邏', '逻'),
        ]
        .into_iter()
        .collect();
        let folder = Arc::new(Folder::new().with_char_map(t2s));
        let countries = vec![
            country(
                "ES",
                "Spain",
                &["Spain", "España", "西班牙"],
                &["Spanish", "español"],
            ),
            country("VE", "Venezuela", &["Venezuela", "委内瑞拉"], &[]),
            country(
                "NL",
                "Netherlands",
                &["Netherlands", "the Netherlands", "荷兰"],
                &["Dutch"],
            ),
            country("EC", "Ecuador", &["Ecuador", "厄瓜多尔"], &[]),
            country(
                "US",
                "United States",
                &["United States", "美国"],
                &["American"],
            ),
            country(
                "CN",
                "China",
                &["China", "中国"],
                &["Chinese", "chino", "china"],
            ),
        ];
        let cities = vec![
            city(1, "Valencia", "ES", 800_000, &["Valencia"]),
            city(2, "Valencia", "VE", 1_600_000, &["Valencia"]),
            city(3, "Guayaquil", "EC", 2_700_000, &["Guayaquil", "瓜亚基尔"]),
            city(
                4,
                "New York",
                "US",
                8_800_000,
                &["New York City", "New York", "Manhattan", "纽约", "曼哈顿"],
            ),
            city(5, "Fuzhou", "CN", 3_000_000, &["Fuzhou", "福州"]),
        ];
        let bureaus = vec![
            bureau(
                "fujian",
                "350000",
                "province",
                "福建省",
                "福建",
                "Fujian",
                "",
            ),
            bureau(
                "fuzhou",
                "350100",
                "prefecture",
                "福州市",
                "福州",
                "Fuzhou",
                "350000",
            ),
            bureau(
                "changle",
                "350112",
                "county",
                "长乐区",
                "长乐",
                "Changle",
                "350100",
            ),
            bureau(
                "wenzhou",
                "330300",
                "prefecture",
                "温州市",
                "温州",
                "Wenzhou",
                "330000",
            ),
            bureau(
                "qingtian",
                "331121",
                "county",
                "青田县",
                "青田",
                "Qingtian",
                "331100",
            ),
        ];
        Matchers::from_rows(folder, countries, cities, bureaus, &Automata::default()).unwrap()
    }

    fn doc(text: &str, lang: &str) -> Doc {
        let mut d = Doc::new(Document::new("t", text));
        d.lang = Some(lang.into());
        d
    }

    fn spans(m: &Matchers, text: &str, lang: &str, label: Label) -> Vec<Span> {
        m.recognize(&doc(text, lang))
            .into_iter()
            .filter(|s| s.label == label)
            .collect()
    }

    #[test]
    fn a_name_with_a_lower_case_article_is_found() {
        let m = matchers();
        let c = spans(
            &m,
            "Two stations were found in the Netherlands last year.",
            "en",
            Label::Country,
        );
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].canonical.as_deref(), Some("NL"));
        let none = spans(&m, "the netherlands", "en", Label::Country);
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn station_terms_and_look_alikes() {
        let m = matchers();
        let s = spans(
            &m,
            "据报道,「福州警僑事務海外服務站」设在该楼。",
            "zh",
            Label::StationTerm,
        );
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].text,
            "福州警僑事務海外服務站".chars().skip(2).collect::<String>()
        );
        assert!(s[0].score >= 0.9);
        let l = spans(
            &m,
            "市民可拨打海外110报警服务台求助。",
            "zh",
            Label::LookAlike,
        );
        assert_eq!(l.len(), 1);
        assert!(spans(
            &m,
            "市民可拨打海外110报警服务台求助。",
            "zh",
            Label::StationTerm
        )
        .is_empty());
        let en = spans(
            &m,
            "Activists say Chinese 'police stations' operate abroad.",
            "en",
            Label::StationTerm,
        );
        assert!(en.iter().any(|s| s.score >= 0.5), "{en:?}");
        let town = spans(
            &m,
            "The council approved the new Police Station downtown.",
            "en",
            Label::StationTerm,
        );
        assert!(town.iter().all(|s| s.score < 0.5), "{town:?}");
        let patrol = spans(
            &m,
            "Officers began joint patrols near the cathedral.",
            "en",
            Label::LookAlike,
        );
        assert_eq!(patrol.len(), 1);
        let es = spans(
            &m,
            "La ONG denunció comisarías clandestinas chinas en varias ciudades.",
            "es",
            Label::StationTerm,
        );
        assert!(es.iter().any(|s| s.score >= 0.85), "{es:?}");
        let local = spans(
            &m,
            "El gobernador inauguró una comisaría en el barrio.",
            "es",
            Label::StationTerm,
        );
        assert!(local.iter().all(|s| s.score < 0.5), "{local:?}");
        // plural "estaciones policiales" and "puestos de policía" count when China is named,
        // not otherwise; 海外警站 and 中共…秘密警局 are station terms
        for (text, lang, relevant) in [
            (
                "La policía china abrió estaciones policiales en Madrid.",
                "es",
                true,
            ),
            ("Hay puestos de policía chinos en Madrid.", "es", true),
            ("La estación policial de Lima fue atacada.", "es", false),
            ("Un puesto de policía en Quito.", "es", false),
            ("中國在荷蘭設立海外警站。", "zh", true),
            ("中共在海外设立秘密警局。", "zh", true),
        ] {
            let s = spans(&m, text, lang, Label::StationTerm);
            assert_eq!(s.iter().any(|s| s.score >= 0.5), relevant, "{text}: {s:?}");
        }
    }

    #[test]
    fn bureaus_in_three_scripts() {
        let m = matchers();
        let key = |text: &str, lang: &str| -> Vec<(String, String, f32)> {
            spans(&m, text, lang, Label::Bureau)
                .into_iter()
                .map(|s| (s.text, s.canonical.unwrap_or_default(), s.score))
                .collect()
        };
        let zh = key("溫州市公安局和福州警方联合发布通报。", "zh");
        assert_eq!(zh[0].0, "溫州市公安局");
        assert_eq!(zh[0].1, "wenzhou");
        assert_eq!(zh[1].1, "fuzhou");
        let branch = key("福州市公安局长乐分局民警", "zh");
        assert_eq!(branch[0].1, "changle", "{branch:?}");
        let en = key(
            "A notice from the Fuzhou Municipal PSB and Qingtian County police.",
            "en",
        );
        assert_eq!(
            en.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
            ["fuzhou", "qingtian"]
        );
        let es = key("Según la Policía de Qingtian, la oficina cerró.", "es");
        assert_eq!(es[0].1, "qingtian");
        let fuzzy = key("Officers of the Fozhou police were named.", "en");
        assert_eq!(fuzzy[0].1, "fuzhou");
        assert!(fuzzy[0].2 < 0.9 && fuzzy[0].2 >= 0.5, "{fuzzy:?}");
        // A bare city name is not a bureau.
        assert!(key("Fuzhou is a city in Fujian.", "en").is_empty());
        let info = m.bureaus().info("fuzhou").unwrap();
        assert_eq!(
            (info.adcode.as_str(), info.name_en.as_str()),
            ("350100", "Fuzhou")
        );
        assert!(m.bureaus().info("nowhere").is_none());
    }

    #[test]
    fn places_resolve_with_context_and_offsets() {
        let m = matchers();
        let es = spans(
            &m,
            "🚓 Hay dos oficinas en Valencia, España.",
            "es",
            Label::City,
        );
        assert_eq!(es[0].canonical.as_deref(), Some("1"));
        assert_eq!(es[0].text, "Valencia");
        assert_eq!((es[0].start, es[0].end), (22, 30));
        let ve = spans(&m, "Two offices in Valencia, Venezuela.", "en", Label::City);
        assert_eq!(ve[0].canonical.as_deref(), Some("2"));
        let ny = spans(
            &m,
            "An office in Manhattan; 紐約華埠也有一處。",
            "en",
            Label::City,
        );
        assert!(
            ny.iter().all(|s| s.canonical.as_deref() == Some("4")),
            "{ny:?}"
        );
        assert_eq!(ny.len(), 2);
        let typo = spans(
            &m,
            "The site in Guayquil, Ecuador, was closed.",
            "en",
            Label::City,
        );
        assert_eq!(typo[0].canonical.as_deref(), Some("3"));
        assert!(typo[0].score >= 0.5);
        let c = spans(
            &m,
            "Spanish and Chinese officials met.",
            "en",
            Label::Country,
        );
        assert_eq!(
            c.iter()
                .map(|s| s.canonical.clone().unwrap_or_default())
                .collect::<Vec<_>>(),
            ["ES", "CN"]
        );
        let info = m.places().place_info("5").unwrap();
        assert_eq!(
            (info.name_en.as_str(), info.country.as_str()),
            ("Fuzhou", "CN")
        );
        assert!(m.places().place_info("x").is_none());
        // Not inside other words.
        assert!(spans(&m, "Valenciano cooking", "en", Label::City).is_empty());
    }

    #[test]
    fn automata_round_trip_and_stale_ones_are_rebuilt() {
        let m = matchers();
        let bytes = m.places().tables().serialize_automaton();
        let mut b = scan::DictBuilder::new();
        b.add("纽约", 1u32);
        b.add("new york", 2u32);
        let fresh = b.build().unwrap().serialize();
        let mut b2 = scan::DictBuilder::new();
        b2.add("纽约", 1u32);
        b2.add("new york", 2u32);
        let loaded = b2.load_or_build(Some(&fresh)).unwrap();
        assert_eq!(loaded.find("在纽约 and new  york").len(), 2);
        // Bytes of another dictionary are not used.
        let mut b3 = scan::DictBuilder::new();
        b3.add("纽约", 1u32);
        b3.add("new york", 2u32);
        let rebuilt = b3.load_or_build(Some(&bytes)).unwrap();
        assert_eq!(rebuilt.find("在纽约 and new york").len(), 2);
    }
}
