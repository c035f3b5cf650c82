//! Linking: merges candidate records from many articles into station entities.
//!
//! Records are grouped by (country, normalised English city name); a country-level record (no city)
//! joins the country's country-level entity. Because cities are resolved to one English name by the
//! matcher, 福州 / Fuzhou or 曼哈顿 / Manhattan / New York City already agree. The station id is
//! derived from those canonical fields (`st-us-new-york`), never from run order, so it is stable
//! across runs and archives. Every source record is kept with its evidence.

use outpost_core::{Bureau, City, Evidence, StationRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// One source of a station: the article and the record's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Article id.
    pub article_id: String,
    /// Article URL.
    pub url: Option<String>,
    /// The record's confidence.
    pub confidence: f32,
    /// Evidence sentences.
    pub evidence: Vec<Evidence>,
}

/// A station entity merged from one or more records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// Stable id derived from country and city (`st-es-madrid`, `st-rs` for country level).
    pub station_id: String,
    /// Probability that at least one source is a real report: 1 − Π(1 − confidence).
    pub confidence: f32,
    /// ISO country code.
    pub country: String,
    /// The city (names as written in the most confident source).
    pub city: Option<City>,
    /// The bureau named most often (ties: most confident source).
    pub bureau: Option<Bureau>,
    /// Addresses as written, distinct.
    pub addresses: Vec<String>,
    /// Host organisations as written, distinct.
    pub host_orgs: Vec<String>,
    /// People as written, distinct.
    pub people: Vec<String>,
    /// Largest count any source states.
    pub count: u32,
    /// Whether a registry entry matches (only when a registry was given).
    pub known: Option<bool>,
    /// Id of the matching registry entry.
    pub registry_id: Option<String>,
    /// Every source record.
    pub sources: Vec<Source>,
}

fn fold(s: &str) -> String {
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stable station id for a record.
pub fn station_id(r: &StationRecord) -> String {
    let cc = r.country.to_lowercase();
    match r
        .city
        .as_ref()
        .map(|c| c.name_en.clone().unwrap_or_else(|| c.as_written.clone()))
    {
        Some(name) if !fold(&name).is_empty() => format!("st-{cc}-{}", fold(&name)),
        _ => format!("st-{cc}"),
    }
}

/// Merges records into stations, ordered by id. Records below `min_confidence` are left out.
pub fn link(records: &[StationRecord], min_confidence: f32) -> Vec<Station> {
    let mut groups: BTreeMap<String, Vec<&StationRecord>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.confidence >= min_confidence) {
        groups.entry(station_id(r)).or_default().push(r);
    }
    groups
        .into_iter()
        .map(|(id, mut rs)| {
            rs.sort_by(|a, b| {
                b.confidence
                    .total_cmp(&a.confidence)
                    .then_with(|| a.article_id.cmp(&b.article_id))
            });
            let best = rs[0];
            let mut bureau_votes: BTreeMap<String, (usize, &Bureau)> = BTreeMap::new();
            for r in &rs {
                if let Some(b) = &r.bureau {
                    let key = b.canonical.clone().unwrap_or_else(|| fold(&b.as_written));
                    bureau_votes.entry(key).or_insert((0, b)).0 += 1;
                }
            }
            let bureau = bureau_votes
                .values()
                .max_by_key(|(n, _)| *n)
                .map(|(_, b)| (*b).clone());
            let distinct = |it: &mut dyn Iterator<Item = String>| {
                let mut seen = BTreeMap::new();
                for s in it {
                    seen.entry(fold(&s)).or_insert(s);
                }
                seen.into_values().collect::<Vec<_>>()
            };
            let addresses = distinct(
                &mut rs
                    .iter()
                    .filter_map(|r| r.address.as_ref().map(|a| a.raw.clone())),
            );
            let host_orgs = distinct(&mut rs.iter().filter_map(|r| r.host_org.clone()));
            let people = distinct(
                &mut rs
                    .iter()
                    .flat_map(|r| r.people.iter().map(|p| p.name.clone())),
            );
            let confidence = 1.0 - rs.iter().map(|r| 1.0 - r.confidence).product::<f32>();
            Station {
                station_id: id,
                confidence,
                country: best.country.clone(),
                city: best.city.clone(),
                bureau,
                addresses,
                host_orgs,
                people,
                count: rs.iter().map(|r| r.count).max().unwrap_or(1),
                known: None,
                registry_id: None,
                sources: rs
                    .iter()
                    .map(|r| Source {
                        article_id: r.article_id.clone(),
                        url: r.url.clone(),
                        confidence: r.confidence,
                        evidence: r.evidence.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// One registry entry as far as matching needs it (`../shared/data/stations/registry.jsonl`).
#[derive(Debug, Clone, Deserialize)]
pub struct RegistryEntry {
    /// Registry id.
    pub id: String,
    /// ISO country code.
    pub country: String,
    /// City as the registry writes it (may carry a note in brackets).
    #[serde(default)]
    pub city: Option<String>,
}

/// Flags each station known (a registry entry of the same country whose city contains the
/// station's city name, or, for country-level stations, any entry of that country) or new.
pub fn match_registry(stations: &mut [Station], registry: &[RegistryEntry]) {
    for s in stations.iter_mut() {
        let city = s
            .city
            .as_ref()
            .map(|c| fold(c.name_en.as_deref().unwrap_or(&c.as_written)));
        let hit = registry.iter().find(|e| {
            e.country.eq_ignore_ascii_case(&s.country)
                && match (&city, e.city.as_deref()) {
                    (None, _) => true,
                    (Some(c), Some(rc)) => {
                        let rc = fold(rc);
                        !c.is_empty() && (rc.contains(c.as_str()) || c.contains(rc.as_str()))
                    }
                    (Some(_), None) => false,
                }
        });
        s.known = Some(hit.is_some());
        s.registry_id = hit.map(|e| e.id.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(article: &str, cc: &str, written: &str, en: &str, conf: f32) -> StationRecord {
        StationRecord {
            article_id: article.into(),
            url: None,
            language: None,
            station_name: None,
            bureau: None,
            country: cc.into(),
            city: Some(City {
                as_written: written.into(),
                name_en: Some(en.into()),
                geonames_id: None,
                lat: None,
                lon: None,
            }),
            address: None,
            host_org: None,
            people: vec![],
            dates: vec![],
            status: vec![],
            count: 1,
            evidence: vec![],
            confidence: conf,
            field_confidence: Default::default(),
        }
    }

    #[test]
    fn cross_script_records_merge_with_stable_ids() {
        let recs = vec![
            rec("b", "US", "曼哈顿", "New York", 0.8),
            rec("a", "US", "Manhattan", "New York", 0.6),
            rec("c", "ES", "Madrid", "Madrid", 0.9),
            rec("d", "ES", "Sevilla", "Seville", 0.2),
        ];
        let st = link(&recs, 0.5);
        assert_eq!(st.len(), 2);
        assert_eq!(st[0].station_id, "st-es-madrid");
        assert_eq!(st[1].station_id, "st-us-new-york");
        assert_eq!(st[1].sources.len(), 2);
        assert!((st[1].confidence - 0.92).abs() < 1e-6);
        let mut reversed = recs.clone();
        reversed.reverse();
        assert_eq!(link(&reversed, 0.5), st);
        let registry = vec![RegistryEntry {
            id: "US-NYC-1".into(),
            country: "US".into(),
            city: Some("New York (Manhattan Chinatown)".into()),
        }];
        let mut st = st;
        match_registry(&mut st, &registry);
        assert_eq!(st[0].known, Some(false));
        assert_eq!(st[1].registry_id.as_deref(), Some("US-NYC-1"));
    }
}
