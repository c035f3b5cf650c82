//! Output records: [`StationRecord`] (one candidate station per article and location),
//! [`ArticleSummary`] (one line per input article) and [`ErrorEntry`] (one line per input record that
//! could not be processed). Their JSON Schemas are generated from these types.

use crate::SourceLocation;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the record format; bumped on any incompatible change.
pub const RECORD_FORMAT_VERSION: &str = "1";

/// A candidate record of an overseas police station, as reported by one article.
///
/// One record per distinct station location the article states (per host country and city).
/// Every `*as_written` field is a verbatim substring of the article text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StationRecord {
    /// Id of the article the record comes from.
    pub article_id: String,
    /// URL of the article, when known.
    #[serde(default)]
    pub url: Option<String>,
    /// Language of the article (ISO 639-1).
    #[serde(default)]
    pub language: Option<String>,
    /// The station's name or the term naming it, as written (e.g. `福州警侨事务海外服务站`,
    /// `Fuzhou Police Service Overseas Station`, `comisaría secreta`).
    #[serde(default)]
    pub station_name: Option<String>,
    /// The issuing public security bureau, when the article ties one to this station.
    #[serde(default)]
    pub bureau: Option<Bureau>,
    /// Host country, ISO 3166-1 alpha-2 (upper case).
    pub country: String,
    /// Host city, when stated.
    #[serde(default)]
    pub city: Option<City>,
    /// Street address, when stated.
    #[serde(default)]
    pub address: Option<Address>,
    /// Host organisation (association, business) as written.
    #[serde(default)]
    pub host_org: Option<String>,
    /// People the article links to running or hosting the station.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Dates about the station (opened, reported, closed).
    #[serde(default)]
    pub dates: Vec<DateMention>,
    /// Status words (e.g. `ordered closed`, `investigated`, `denied`, `operators arrested`).
    #[serde(default)]
    pub status: Vec<String>,
    /// Number of stations at this location ("three in Madrid" gives 3).
    pub count: u32,
    /// Evidence sentences with code-point offsets into the article text.
    pub evidence: Vec<Evidence>,
    /// Probability in [0, 1] that this record is a real station report.
    pub confidence: f32,
    /// Confidence per field that has a value (`station_name`, `bureau`, `country`, `city`,
    /// `address`, `host_org`, `people`, `dates`, `status`, `count`), each in [0, 1]: the score of
    /// the component that found the value (matcher, tagger or cue rule) times how directly the text
    /// ties it to this station (1 in a sentence naming the place, 0.8 next to the evidence, 0.5
    /// elsewhere in the article); `people` and `dates` average over their items. A ranking score
    /// for review, not a calibrated probability (only `confidence` is calibrated).
    #[serde(default)]
    pub field_confidence: BTreeMap<String, f32>,
}

impl StationRecord {
    /// A bare record of `article_id` in `country` with the given city and confidence, every other
    /// field empty and `count` 1: the starting point for readers that build records themselves
    /// (importers, tests).
    ///
    /// ```
    /// use outpost_core::{City, StationRecord};
    /// let r = StationRecord::new("a1", "ES", Some(City::named("Madrid", "Madrid")), 0.9);
    /// assert_eq!(r.count, 1);
    /// assert!(r.people.is_empty());
    /// ```
    pub fn new(
        article_id: impl Into<String>,
        country: impl Into<String>,
        city: Option<City>,
        confidence: f32,
    ) -> Self {
        Self {
            article_id: article_id.into(),
            url: None,
            language: None,
            station_name: None,
            bureau: None,
            country: country.into(),
            city,
            address: None,
            host_org: None,
            people: Vec::new(),
            dates: Vec::new(),
            status: Vec::new(),
            count: 1,
            evidence: Vec::new(),
            confidence,
            field_confidence: BTreeMap::new(),
        }
    }
}

/// An issuing bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Bureau {
    /// As written in the article.
    pub as_written: String,
    /// Canonical short name of the city or county whose bureau it is (e.g. `Fuzhou`, `Qingtian`).
    #[serde(default)]
    pub canonical: Option<String>,
    /// Chinese administrative division code (6 digits) of the bureau's area.
    #[serde(default)]
    pub adcode: Option<String>,
}

/// A host city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct City {
    /// As written in the article (e.g. `曼哈顿`, `Guayquil`).
    pub as_written: String,
    /// Normalised English name (e.g. `New York`, `São Paulo`).
    #[serde(default)]
    pub name_en: Option<String>,
    /// GeoNames id.
    #[serde(default)]
    pub geonames_id: Option<u64>,
    /// Latitude (WGS 84 degrees).
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude (WGS 84 degrees).
    #[serde(default)]
    pub lon: Option<f64>,
}

impl City {
    /// A city known only by name: as written and its English name, no GeoNames id or coordinates.
    pub fn named(as_written: impl Into<String>, name_en: impl Into<String>) -> Self {
        Self {
            as_written: as_written.into(),
            name_en: Some(name_en.into()),
            geonames_id: None,
            lat: None,
            lon: None,
        }
    }
}

/// A street address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Address {
    /// As written in the article.
    pub raw: String,
    /// Parsed components under libpostal's label names (`road`, `house_number`, `city`, ...).
    #[serde(default)]
    pub components: BTreeMap<String, String>,
}

/// A person linked to a station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    /// Name as written, in the article's script.
    pub name: String,
    /// Role where stated, normalised to English from a cue word in the clause around the name
    /// (`head` from 负责人 / "in charge of" / encargado, `head of station` from 站长, `director`
    /// from 主任 / director, `president` from 主席 / 会长 / presidente, `operator` from "who runs",
    /// `secretary-general`, `representative`, `founder`, `owner`, `community leader` …).
    #[serde(default)]
    pub role: Option<String>,
}

/// A date about a station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DateMention {
    /// What happened: `opened` or `closed` (from a cue word in the date's clause: 成立, 揭牌, 设立,
    /// opened, inaugurada / 关闭, closed, cerrada), `reported` (the article's own date, from its
    /// metadata) or `event` (a date in the evidence with no such cue).
    pub kind: String,
    /// ISO 8601 value at the precision stated (`2022`, `2022-02`, `2022-02-14`).
    pub value: String,
    /// The expression as written.
    pub as_written: String,
}

/// An evidence sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// The sentence, verbatim.
    pub text: String,
    /// First code point of the sentence in the article text.
    pub start: usize,
    /// End code point (exclusive).
    pub end: usize,
}

/// One line of `articles.jsonl`: every input article, with its relevance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleSummary {
    /// Article id.
    pub id: String,
    /// Detected language (ISO 639-1), `null` when undetermined.
    pub lang: Option<String>,
    /// Probability in [0, 1] that the article reports or discusses overseas police stations.
    pub relevance: f32,
    /// Number of station records the article yielded.
    pub records: usize,
}

/// One line of `errors.jsonl`: an input record that could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorEntry {
    /// Where the record was read from (file, line or record number).
    #[serde(flatten)]
    pub location: SourceLocation,
    /// The record's id when it could be read.
    #[serde(default)]
    pub id: Option<String>,
    /// What went wrong.
    pub reason: String,
}

/// The JSON Schema of [`StationRecord`], as a pretty JSON string.
pub fn station_record_schema() -> String {
    let schema = schemars::schema_for!(StationRecord);
    serde_json::to_string_pretty(&schema).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_documents_every_field() {
        let schema: serde_json::Value =
            serde_json::from_str(&station_record_schema()).expect("schema is JSON");
        let props = schema["properties"].as_object().expect("properties");
        for f in [
            "article_id",
            "url",
            "language",
            "station_name",
            "bureau",
            "country",
            "city",
            "address",
            "host_org",
            "people",
            "dates",
            "evidence",
            "confidence",
        ] {
            assert!(props.contains_key(f), "missing {f}");
        }
        assert!(props["country"]["description"]
            .as_str()
            .unwrap_or("")
            .contains("3166"));
    }
}
