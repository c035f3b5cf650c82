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
//! All three match on folded text ([`fold::MatchFolder`]: NFKC-style compatibility folding, case
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
pub mod fold;
pub mod fuzzy;
pub mod pinyin;
pub mod places;
pub mod scan;
pub mod stations;
pub mod tables;

pub use bureaus::{BureauInfo, BureauRecognizer};
pub use error::MatchError;
pub use places::{PlaceInfo, PlaceRecognizer};
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

/// The default location of the compiled tables: `$OUTPOST_MODELS/match`, else `models/match`
/// under the workspace root (found from the current directory upwards), else `models/match`.
pub fn default_models_dir() -> PathBuf {
    if let Ok(m) = std::env::var("OUTPOST_MODELS") {
        return PathBuf::from(m).join("match");
    }
    if let Ok(mut d) = std::env::current_dir() {
        loop {
            let cand = d.join("models").join("match");
            if cand.join(tables::CITIES).exists() {
                return cand;
            }
            if !d.pop() {
                break;
            }
        }
    }
    PathBuf::from("models/match")
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
    folder: Arc<MatchFolder>,
}

use fold::MatchFolder;

impl Matchers {
    /// Loads the tables from `dir` (e.g. `models/match`) and builds the automata. Fails with the
    /// file name on a missing or malformed table.
    pub fn load(dir: &Path) -> Result<Self, MatchError> {
        let t2s = tables::read_t2s(&dir.join(tables::T2S))?;
        let folder = Arc::new(MatchFolder::new(t2s));
        let p = dir.join(tables::COUNTRIES);
        let countries = tables::read_gz(&p)?
            .into_iter()
            .map(|(l, c)| tables::CountryRow::parse(&p, l, &c))
            .collect::<Result<Vec<_>, _>>()?;
        let p = dir.join(tables::CITIES);
        let cities = tables::read_gz(&p)?
            .into_iter()
            .map(|(l, c)| tables::CityRow::parse(&p, l, &c))
            .collect::<Result<Vec<_>, _>>()?;
        let p = dir.join(tables::BUREAUS);
        let bureaus = tables::read_gz(&p)?
            .into_iter()
            .map(|(l, c)| tables::BureauRow::parse(&p, l, &c))
            .collect::<Result<Vec<_>, _>>()?;
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
        folder: Arc<MatchFolder>,
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
            let p = p
                .join()
                .unwrap_or_else(|_| Err(MatchError::Automaton("place table build panicked".into())));
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
    pub fn folder(&self) -> &MatchFolder {
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
        out.sort_by(|a, b| (a.start, a.end, a.label).cmp(&(b.start, b.end, b.label)));
        out
    }
}
