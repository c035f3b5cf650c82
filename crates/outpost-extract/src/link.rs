//! Linking: merges candidate records from many articles into station entities.
//!
//! 1. Records are grouped by (country, city key), the city key being the romanised, folded English
//!    name (or, without one, the name as written): 福州 / Fuzhou and 曼哈顿 / Manhattan (resolved
//!    to New York by the matcher) agree ([`crate::names`]).
//! 2. Groups of one country are joined when their city keys are the same under the fuzzy rule
//!    (Guayquil / Guayaquil), and a country-level group (no city) joins the one city group of that
//!    country with which it shares a person (卢建旺 / 盧建旺 / Lu Jianwang, Wang Yinle / Wang Yunle),
//!    a host organisation (长乐公会 / America ChangLe Association) or an address.
//! 3. Within a station, people, host organisations and addresses written differently are merged
//!    the same way; each keeps every written form in `aliases`.
//!
//! The station id is derived from the canonical fields (`st-us-new-york`: country and the city of
//! the largest group, ties by name), never from run order, so it is stable across runs and
//! archives. Every source record is kept with its evidence.

use crate::names::{
    address_key, city_key, keys_overlap, org_key, person_key, same_city, same_person,
};
use outpost_core::{Bureau, City, Evidence, StationRecord};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
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
    /// Every written form of the people, host organisations and addresses above that were written
    /// more than one way (cross-script or misspelt), keyed by the form shown above.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
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

fn record_city_key(r: &StationRecord) -> String {
    r.city
        .as_ref()
        .map(|c| city_key(c.name_en.as_deref().unwrap_or(&c.as_written)))
        .unwrap_or_default()
}

fn city_slug(r: &StationRecord) -> Option<String> {
    let c = r.city.as_ref()?;
    let slug = match &c.name_en {
        Some(en) => fold(en),
        None => city_key(&c.as_written),
    };
    (!slug.is_empty()).then_some(slug)
}

/// The stable station id for a record on its own (`st-es-madrid`, `st-rs` for country level).
pub fn station_id(r: &StationRecord) -> String {
    let cc = r.country.to_lowercase();
    match city_slug(r) {
        Some(slug) => format!("st-{cc}-{slug}"),
        None => format!("st-{cc}"),
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        // The smaller index stays the root, so the result does not depend on call order.
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        parent[hi] = lo;
    }
}

/// Clusters written values with `same`, in a fixed order; returns (shown form, all forms) per
/// cluster. The shown form is the most frequent Latin-script form (else the most frequent form),
/// ties by text.
fn cluster(values: &[String], same: &dyn Fn(&str, &str) -> bool) -> Vec<(String, Vec<String>)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v.as_str()).or_default() += 1;
    }
    let distinct: Vec<&str> = counts.keys().copied().collect();
    let mut parent: Vec<usize> = (0..distinct.len()).collect();
    for i in 0..distinct.len() {
        for j in i + 1..distinct.len() {
            if same(distinct[i], distinct[j]) {
                union(&mut parent, i, j);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (i, d) in distinct.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(d);
    }
    groups
        .into_values()
        .map(|forms| {
            let shown = forms
                .iter()
                .max_by(|a, b| {
                    let latin = |s: &str| s.chars().all(|c| c < '\u{2e80}');
                    (latin(a), counts[*a], std::cmp::Reverse(*a)).cmp(&(
                        latin(b),
                        counts[*b],
                        std::cmp::Reverse(*b),
                    ))
                })
                .map(|s| s.to_string())
                .unwrap_or_default();
            (shown, forms.into_iter().map(str::to_string).collect())
        })
        .collect()
}

fn same_org(a: &str, b: &str) -> bool {
    keys_overlap(&org_key(a), &org_key(b))
}

fn same_address(a: &str, b: &str) -> bool {
    keys_overlap(&address_key(a), &address_key(b))
}

/// True when two groups of records share a person, a host organisation or an address.
fn share_entity(a: &[&StationRecord], b: &[&StationRecord]) -> bool {
    let people = |g: &[&StationRecord]| -> Vec<String> {
        g.iter()
            .flat_map(|r| r.people.iter().map(|p| p.name.clone()))
            .collect()
    };
    let orgs = |g: &[&StationRecord]| -> Vec<String> {
        g.iter().filter_map(|r| r.host_org.clone()).collect()
    };
    let addrs = |g: &[&StationRecord]| -> Vec<String> {
        g.iter()
            .filter_map(|r| r.address.as_ref().map(|a| a.raw.clone()))
            .collect()
    };
    let any = |x: Vec<String>, y: Vec<String>, f: &dyn Fn(&str, &str) -> bool| {
        x.iter().any(|p| y.iter().any(|q| f(p, q)))
    };
    any(people(a), people(b), &|p, q| {
        person_key(p).chars().count() >= 4 && same_person(p, q)
    }) || any(orgs(a), orgs(b), &same_org)
        || any(addrs(a), addrs(b), &same_address)
}

/// Merges records into stations, ordered by id; see the module documentation. Records below
/// `min_confidence` are left out. The result does not depend on the order of `records`.
pub fn link(records: &[StationRecord], min_confidence: f32) -> Vec<Station> {
    // 1. Groups by (country, city key).
    let mut groups: BTreeMap<(String, String), Vec<&StationRecord>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.confidence >= min_confidence) {
        groups
            .entry((r.country.to_ascii_uppercase(), record_city_key(r)))
            .or_default()
            .push(r);
    }
    let keys: Vec<(String, String)> = groups.keys().cloned().collect();
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    // 2a. Fuzzy city names within a country.
    for i in 0..keys.len() {
        for j in i + 1..keys.len() {
            if keys[i].0 == keys[j].0 && same_city(&keys[i].1, &keys[j].1) {
                union(&mut parent, i, j);
            }
        }
    }
    // 2b. A country-level group joins the one city group of its country it shares an entity with.
    for i in (0..keys.len()).filter(|&i| keys[i].1.is_empty()) {
        let hits: BTreeSet<usize> = (0..keys.len())
            .filter(|&j| keys[j].0 == keys[i].0 && !keys[j].1.is_empty())
            .filter(|&j| share_entity(&groups[&keys[i]], &groups[&keys[j]]))
            .map(|j| find(&mut parent, j))
            .collect();
        if hits.len() == 1 {
            if let Some(&j) = hits.iter().next() {
                union(&mut parent, i, j);
            }
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..keys.len() {
        let r = find(&mut parent, i);
        sets.entry(r).or_default().push(i);
    }
    let mut stations: Vec<Station> = sets
        .into_values()
        .map(|members| {
            // The id comes from the largest city group of the set (ties: smallest key).
            let lead = members
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    let size = |k: usize| (!keys[k].1.is_empty(), groups[&keys[k]].len());
                    size(a).cmp(&size(b)).then_with(|| keys[b].cmp(&keys[a]))
                })
                .unwrap_or(members[0]);
            let mut rs: Vec<&StationRecord> = members
                .iter()
                .flat_map(|k| groups[&keys[*k]].iter().copied())
                .collect();
            rs.sort_by(|a, b| {
                b.confidence
                    .total_cmp(&a.confidence)
                    .then_with(|| a.article_id.cmp(&b.article_id))
                    .then_with(|| {
                        a.evidence
                            .first()
                            .map(|e| e.start)
                            .cmp(&b.evidence.first().map(|e| e.start))
                    })
            });
            let lead_best = groups[&keys[lead]]
                .iter()
                .copied()
                .max_by(|a, b| {
                    a.confidence
                        .total_cmp(&b.confidence)
                        .then_with(|| b.article_id.cmp(&a.article_id))
                })
                .unwrap_or(rs[0]);
            build_station(station_id(lead_best), lead_best, &rs)
        })
        .collect();
    stations.sort_by(|a, b| a.station_id.cmp(&b.station_id));
    stations
}

fn build_station(id: String, best: &StationRecord, rs: &[&StationRecord]) -> Station {
    let mut bureau_votes: BTreeMap<String, (usize, &Bureau)> = BTreeMap::new();
    for r in rs {
        if let Some(b) = &r.bureau {
            let key = b.canonical.clone().unwrap_or_else(|| fold(&b.as_written));
            bureau_votes.entry(key).or_insert((0, b)).0 += 1;
        }
    }
    let bureau = bureau_votes
        .values()
        .max_by_key(|(n, _)| *n)
        .map(|(_, b)| (*b).clone());
    let mut aliases = BTreeMap::new();
    let mut merged = |values: Vec<String>, same: &dyn Fn(&str, &str) -> bool| -> Vec<String> {
        cluster(&values, same)
            .into_iter()
            .map(|(shown, forms)| {
                if forms.len() > 1 {
                    aliases.insert(shown.clone(), forms);
                }
                shown
            })
            .collect()
    };
    let addresses = merged(
        rs.iter()
            .filter_map(|r| r.address.as_ref().map(|a| a.raw.clone()))
            .collect(),
        &same_address,
    );
    let host_orgs = merged(
        rs.iter().filter_map(|r| r.host_org.clone()).collect(),
        &same_org,
    );
    let people = merged(
        rs.iter()
            .flat_map(|r| r.people.iter().map(|p| p.name.clone()))
            .collect(),
        &same_person,
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
        aliases,
    }
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
    /// Host organisation as the registry writes it.
    #[serde(default)]
    pub host_org: Option<String>,
    /// Address as the registry writes it.
    #[serde(default)]
    pub address: Option<String>,
}

/// Flags each station known or new. Known: a registry entry of the same country whose city
/// contains the station's city name (folded, or romanised for Chinese script), or whose host
/// organisation or address is the same as one of the station's ([`crate::names`]); for a
/// country-level station, any entry of that country.
pub fn match_registry(stations: &mut [Station], registry: &[RegistryEntry]) {
    for s in stations.iter_mut() {
        let city = s.city.as_ref().map(|c| {
            fold(&crate::names::romanise(
                c.name_en.as_deref().unwrap_or(&c.as_written),
            ))
        });
        // Only a named host organisation identifies a station ("a restaurant" does not).
        let named = |h: &&String| {
            let l = h.to_lowercase();
            !["a ", "an ", "the ", "un ", "una ", "el ", "la "]
                .iter()
                .any(|a| l.starts_with(a))
        };
        let shares = |e: &RegistryEntry| {
            e.host_org
                .as_deref()
                .is_some_and(|o| s.host_orgs.iter().filter(named).any(|h| same_org(h, o)))
                || e.address
                    .as_deref()
                    .is_some_and(|a| s.addresses.iter().any(|x| same_address(x, a)))
        };
        let hit = registry.iter().find(|e| {
            e.country.eq_ignore_ascii_case(&s.country)
                && (shares(e)
                    || match (&city, e.city.as_deref()) {
                        (None, _) => true,
                        (Some(c), Some(rc)) => {
                            let rc = fold(rc);
                            !c.is_empty() && (rc.contains(c.as_str()) || c.contains(rc.as_str()))
                        }
                        (Some(_), None) => false,
                    })
        });
        s.known = Some(hit.is_some());
        s.registry_id = hit.map(|e| e.id.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(article: &str, cc: &str, written: &str, en: &str, conf: f32) -> StationRecord {
        StationRecord::new(article, cc, Some(City::named(written, en)), conf)
    }

    fn with_people(mut r: StationRecord, people: &[&str]) -> StationRecord {
        r.people = people
            .iter()
            .map(|n| outpost_core::Person {
                name: (*n).into(),
                role: None,
            })
            .collect();
        r
    }

    #[test]
    fn people_orgs_and_cities_link_across_scripts_and_spellings() {
        let mut country_level = with_people(rec("z", "US", "x", "x", 0.7), &["盧建旺"]);
        country_level.city = None;
        let mut a = with_people(
            rec("a", "US", "Manhattan", "New York", 0.9),
            &["Lu Jianwang", "Chen Jinping"],
        );
        a.host_org = Some("America ChangLe Association".into());
        let mut b = with_people(
            rec("b", "US", "曼哈顿", "New York", 0.8),
            &["卢建旺", "陈金平"],
        );
        b.host_org = Some("美国长乐公会".into());
        let c = with_people(
            rec("c", "CL", "Viña del Mar", "Viña del Mar", 0.8),
            &["Wang Yinle"],
        );
        let d = with_people(
            rec("d", "CL", "Viña del Mar", "Viña del Mar", 0.8),
            &["Wang Yunle"],
        );
        let mut e = rec("e", "EC", "Guayquil", "", 0.8);
        if let Some(city) = e.city.as_mut() {
            city.name_en = None;
        }
        let f = rec("f", "EC", "Guayaquil", "Guayaquil", 0.8);
        let no_en = |mut r: StationRecord| {
            if let Some(city) = r.city.as_mut() {
                city.name_en = None;
            }
            r
        };
        let g = no_en(rec("g", "CN", "福州", "", 0.8));
        let h = no_en(rec("h", "CN", "Fuzhou", "", 0.8));
        let recs = vec![country_level, a, b, c, d, e, f, g, h];
        let st = link(&recs, 0.5);
        let ids: Vec<&str> = st.iter().map(|s| s.station_id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "st-cl-vina-del-mar",
                "st-cn-fuzhou",
                "st-ec-guayaquil",
                "st-us-new-york"
            ]
        );
        let ny = &st[3];
        assert_eq!(
            ny.sources.len(),
            3,
            "the country-level record sharing 盧建旺 joins New York"
        );
        assert_eq!(ny.people, vec!["Chen Jinping", "Lu Jianwang"]);
        assert_eq!(
            ny.aliases["Lu Jianwang"],
            vec!["Lu Jianwang", "卢建旺", "盧建旺"]
        );
        assert_eq!(ny.host_orgs, vec!["America ChangLe Association"]);
        assert_eq!(
            st[0].people.len(),
            1,
            "Wang Yinle / Wang Yunle are one person"
        );
        let mut reversed = recs.clone();
        reversed.reverse();
        assert_eq!(link(&reversed, 0.5), st);
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
            host_org: None,
            address: None,
        }];
        let mut st = st;
        match_registry(&mut st, &registry);
        assert_eq!(st[0].known, Some(false));
        assert_eq!(st[1].registry_id.as_deref(), Some("US-NYC-1"));
    }
}
