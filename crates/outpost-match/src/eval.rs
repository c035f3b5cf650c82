//! `outpost match eval`: recall of gold countries, cities and bureaus in their articles, and
//! station-term hits on negative articles.
//!
//! A gold record's country counts as found when a `COUNTRY` span with that ISO code, or a `CITY`
//! span resolved to a place in that country, scored ≥ [`THRESHOLD`], is in its article; its city (where the gold has `city_en`) when a `CITY` span of the
//! same country, scored ≥ [`THRESHOLD`], resolves to a place whose English name or one of whose
//! names folds to the gold `city_en`; its bureau (where the gold has `bureau_norm`) when a `BUREAU`
//! span scored ≥ [`THRESHOLD`] has that English short name.

use crate::{MatchError, Matchers};
use outpost_core::{Doc, Document, Label, Recognizer, Span};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Score from which a span counts.
pub const THRESHOLD: f32 = 0.5;

/// The figures `outpost match eval --json` prints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalReport {
    /// Share of gold records whose country is found.
    pub country_recall: f64,
    /// Share of gold records with a city whose city is found.
    pub city_recall: f64,
    /// Share of gold records with a `bureau_norm` whose bureau is found.
    pub bureau_recall: f64,
    /// Station-term spans scored ≥ 0.5 in articles the gold marks `relevant: false`.
    pub negative_station_hits: usize,
    /// Articles evaluated (those present in both files).
    pub articles: usize,
}

/// One miss, for the human-readable output.
#[derive(Debug, Clone)]
pub struct Miss {
    /// Article id.
    pub article: String,
    /// `country`, `city`, `bureau` or `negative`.
    pub what: &'static str,
    /// The gold value (or the offending span text).
    pub value: String,
}

fn read_jsonl(path: &Path) -> Result<Vec<(usize, Value)>, MatchError> {
    let text = std::fs::read_to_string(path).map_err(|e| MatchError::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| MatchError::bad(path, i + 1, format!("invalid JSON: {e}")))?;
        out.push((i + 1, v));
    }
    Ok(out)
}

fn fold_name(m: &Matchers, s: &str) -> String {
    m.folder().fold_str(s).replace(['-', '\''], " ")
}

/// Runs the matchers over the articles and scores them against the gold.
pub fn evaluate(
    m: &Matchers,
    articles: &Path,
    gold: &Path,
) -> Result<(EvalReport, Vec<Miss>), MatchError> {
    let mut docs: HashMap<String, Doc> = HashMap::new();
    for (line, v) in read_jsonl(articles)? {
        let id = v["id"]
            .as_str()
            .ok_or_else(|| MatchError::bad(articles, line, "missing \"id\""))?;
        let text = v["text"]
            .as_str()
            .ok_or_else(|| MatchError::bad(articles, line, "missing \"text\""))?;
        let mut d = Document::new(id, text);
        d.lang = v["lang"].as_str().map(str::to_string);
        let mut doc = Doc::new(d);
        doc.lang = v["lang"].as_str().map(str::to_string);
        docs.insert(id.to_string(), doc);
    }
    let (mut c_hit, mut c_all, mut y_hit, mut y_all, mut b_hit, mut b_all) = (0, 0, 0, 0, 0, 0);
    let mut negative_hits = 0;
    let mut n_articles = 0;
    let mut misses = Vec::new();
    for (line, g) in read_jsonl(gold)? {
        let id = g["article_id"]
            .as_str()
            .ok_or_else(|| MatchError::bad(gold, line, "missing \"article_id\""))?;
        let Some(doc) = docs.get(id) else { continue };
        n_articles += 1;
        let spans: Vec<Span> = m
            .recognize(doc)
            .into_iter()
            .filter(|s| s.score >= THRESHOLD)
            .collect();
        if g["relevant"] == Value::Bool(false) {
            for s in spans.iter().filter(|s| s.label == Label::StationTerm) {
                negative_hits += 1;
                misses.push(Miss {
                    article: id.into(),
                    what: "negative",
                    value: s.text.clone(),
                });
            }
        }
        let records = g["records"].as_array().cloned().unwrap_or_default();
        for r in &records {
            let Some(country) = r["country"].as_str() else {
                continue;
            };
            c_all += 1;
            let found = spans.iter().any(|s| match s.label {
                Label::Country => s.canonical.as_deref() == Some(country),
                Label::City => s
                    .canonical
                    .as_deref()
                    .and_then(|c| m.places().place_info(c))
                    .is_some_and(|p| p.country == country),
                _ => false,
            });
            if found {
                c_hit += 1;
            } else {
                misses.push(Miss {
                    article: id.into(),
                    what: "country",
                    value: country.into(),
                });
            }
            if let Some(city) = r["city_en"].as_str() {
                y_all += 1;
                let want = fold_name(m, city);
                let found = spans.iter().any(|s| {
                    s.label == Label::City
                        && s.canonical
                            .as_deref()
                            .and_then(|c| m.places().place_info(c))
                            .is_some_and(|p| {
                                p.country == country
                                    && (fold_name(m, &p.name_en) == want
                                        || m.places()
                                            .tables()
                                            .city_names(p.geonames_id)
                                            .iter()
                                            .any(|n| fold_name(m, n) == want))
                            })
                });
                if found {
                    y_hit += 1;
                } else {
                    misses.push(Miss {
                        article: id.into(),
                        what: "city",
                        value: format!("{city} ({country})"),
                    });
                }
            }
            if let Some(b) = r["bureau_norm"].as_str() {
                b_all += 1;
                let want = fold_name(m, b);
                let found = spans.iter().any(|s| {
                    s.label == Label::Bureau
                        && s.canonical
                            .as_deref()
                            .and_then(|k| m.bureaus().name_en(k))
                            .is_some_and(|n| fold_name(m, &n) == want)
                });
                if found {
                    b_hit += 1;
                } else {
                    misses.push(Miss {
                        article: id.into(),
                        what: "bureau",
                        value: b.into(),
                    });
                }
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Ok((
        EvalReport {
            country_recall: ratio(c_hit, c_all),
            city_recall: ratio(y_hit, y_all),
            bureau_recall: ratio(b_hit, b_all),
            negative_station_hits: negative_hits,
            articles: n_articles,
        },
        misses,
    ))
}
