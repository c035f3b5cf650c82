//! Review decisions: the JSON Lines file the review page downloads, and the reader that
//! `outpost link`, `outpost eval` and `outpost export` use to read it back.
//!
//! # Format (`decisions.jsonl`, version 1)
//!
//! One JSON object per line:
//!
//! ```json
//! {"article_id":"a17","record_key":"ES/Madrid","decision":"accept"}
//! {"article_id":"a17","record_key":"IT/Prato","decision":"reject"}
//! {"article_id":"a17","record_key":"NL/Rotterdam","decision":"correct","field":"city_en","value":"Amsterdam"}
//! {"station_id":"st-4f2a","record_key":"st-4f2a","decision":"accept"}
//! ```
//!
//! * `article_id` + `record_key` name a record of `candidates.jsonl` (see [`crate::key`] for keys).
//!   When the page reviewed linked stations (`stations.jsonl`), `station_id` names the station
//!   instead and `record_key` repeats it.
//! * `decision` is `accept`, `reject` or `correct`.
//! * `correct` carries `field` (one of [`CORRECTABLE_FIELDS`]) and `value`: the corrected value as a
//!   string (`null` or `""` clears the field). `people` and `status` take `;`-separated lists,
//!   people as `Name (role)`; `count` an integer; `city_lat` / `city_lon` a decimal number.
//! * Optional: `at` (ISO 8601 time the decision was made), `reviewer`, `note`.
//!
//! # Meaning
//!
//! Per record, the last `accept` or `reject` line wins. A record with corrections and no
//! `accept`/`reject` counts as accepted (the reviewer judged it real but fixed a field). Corrections
//! apply in file order; the last one per field wins. Accepted records, with their corrections, are
//! what feeds a registry ([`apply_decisions`]).

use crate::error::{Result, ReviewError};
use outpost_core::{Address, Bureau, City, Person, StationRecord};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// Fields a `correct` decision may name.
pub const CORRECTABLE_FIELDS: &[&str] = &[
    "station_name",
    "country",
    "city",
    "city_en",
    "city_lat",
    "city_lon",
    "bureau",
    "bureau_canonical",
    "address",
    "host_org",
    "people",
    "status",
    "count",
];

/// What the reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The record is a real station report.
    Accept,
    /// The record is wrong (not a station, or not this location).
    Reject,
    /// One field is wrong; `field` and `value` say how to fix it.
    Correct,
}

/// One line of a decisions file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Article of the record (absent for station decisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
    /// Linked station id (only for station decisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_id: Option<String>,
    /// Key of the record within its article (see [`crate::key`]); the station id for stations.
    pub record_key: String,
    /// The decision.
    pub decision: Verdict,
    /// For `correct`: the field corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For `correct`: the new value (`None` clears the field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// When the decision was made (ISO 8601), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Who made it, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// Free-text note, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Decision {
    /// Checks the invariants of the format; the message says what is wrong.
    pub fn validate(&self) -> std::result::Result<(), String> {
        match (&self.article_id, &self.station_id) {
            (None, None) => return Err("needs `article_id` (or `station_id`)".into()),
            (Some(_), Some(_)) => {
                return Err("has both `article_id` and `station_id`; give one".into())
            }
            _ => {}
        }
        if self.record_key.is_empty() {
            return Err("empty `record_key`".into());
        }
        match (self.decision, &self.field) {
            (Verdict::Correct, None) => Err("`correct` needs a `field`".into()),
            (Verdict::Correct, Some(f)) if !CORRECTABLE_FIELDS.contains(&f.as_str()) => Err(
                format!("unknown field `{f}` (expected one of {CORRECTABLE_FIELDS:?})"),
            ),
            (Verdict::Correct, Some(f)) => check_value(f, self.value.as_deref()),
            (_, Some(_)) => Err("`field` is only allowed with `correct`".into()),
            _ => Ok(()),
        }
    }
}

fn check_value(field: &str, value: Option<&str>) -> std::result::Result<(), String> {
    let v = value.map(str::trim).unwrap_or("");
    match field {
        "count" if !v.is_empty() => v
            .parse::<u32>()
            .map(|_| ())
            .map_err(|_| format!("`count` must be a whole number, got {v:?}")),
        "city_lat" | "city_lon" if !v.is_empty() => {
            let limit = if field == "city_lat" { 90.0 } else { 180.0 };
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x.abs() <= limit => Ok(()),
                _ => Err(format!(
                    "`{field}` must be a number within ±{limit}, got {v:?}"
                )),
            }
        }
        "country" if !v.is_empty() => {
            if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(())
            } else {
                Err(format!(
                    "`country` must be an ISO 3166-1 alpha-2 code, got {v:?}"
                ))
            }
        }
        _ => Ok(()),
    }
}

/// Reads a decisions file. Blank lines are skipped.
///
/// Returns [`ReviewError::BadLine`] naming the file and line for a line that is not JSON, not a
/// decision, or breaks the format's rules (see [`Decision::validate`]).
pub fn read_decisions(path: &Path) -> Result<Vec<Decision>> {
    let file = std::fs::File::open(path).map_err(|e| ReviewError::io(path, e))?;
    parse_decisions(BufReader::new(file), path)
}

/// Parses decisions from a reader; `path` only names the source in errors.
pub fn parse_decisions(reader: impl BufRead, path: &Path) -> Result<Vec<Decision>> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| ReviewError::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| ReviewError::BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let d: Decision = serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
        d.validate().map_err(bad)?;
        out.push(d);
    }
    Ok(out)
}

/// Where a record stands after review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// Accepted, explicitly or through a correction.
    Accepted,
    /// Rejected.
    Rejected,
    /// No decision.
    Unreviewed,
}

/// A record after its decisions were applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed {
    /// The record with its corrections applied.
    pub record: StationRecord,
    /// The record's key within its article.
    pub key: String,
    /// Accepted, rejected or unreviewed.
    pub status: ReviewStatus,
    /// Fields that were corrected.
    pub corrected: Vec<String>,
}

/// Applies decisions to records (`keys` from [`crate::key::record_keys`], same order).
///
/// Station decisions (`station_id`) are ignored here. Decisions naming records that are not in
/// `records` are returned in the second element so callers can warn about them.
pub fn apply_decisions(
    records: &[StationRecord],
    keys: &[String],
    decisions: &[Decision],
) -> (Vec<Reviewed>, Vec<Decision>) {
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, (r, k)) in records.iter().zip(keys).enumerate() {
        index.insert((r.article_id.as_str(), k.as_str()), i);
    }
    let mut out: Vec<Reviewed> = records
        .iter()
        .zip(keys)
        .map(|(r, k)| Reviewed {
            record: r.clone(),
            key: k.clone(),
            status: ReviewStatus::Unreviewed,
            corrected: Vec::new(),
        })
        .collect();
    let mut verdicts: Vec<Option<Verdict>> = vec![None; records.len()];
    let mut unmatched = Vec::new();
    for d in decisions {
        let Some(article) = d.article_id.as_deref() else {
            continue;
        };
        let Some(&i) = index.get(&(article, d.record_key.as_str())) else {
            unmatched.push(d.clone());
            continue;
        };
        match d.decision {
            Verdict::Accept | Verdict::Reject => verdicts[i] = Some(d.decision),
            Verdict::Correct => {
                if let Some(field) = d.field.as_deref() {
                    set_field(&mut out[i].record, field, d.value.as_deref());
                    if !out[i].corrected.iter().any(|f| f == field) {
                        out[i].corrected.push(field.to_string());
                    }
                }
            }
        }
    }
    for (r, v) in out.iter_mut().zip(verdicts) {
        r.status = match v {
            Some(Verdict::Reject) => ReviewStatus::Rejected,
            Some(_) => ReviewStatus::Accepted,
            None if !r.corrected.is_empty() => ReviewStatus::Accepted,
            None => ReviewStatus::Unreviewed,
        };
    }
    (out, unmatched)
}

/// The records accepted by `decisions`, with their corrections applied, in input order: what
/// `outpost link` feeds into a registry. Keys are computed from `records` as
/// [`crate::key::record_keys`] does.
pub fn accepted_records(records: &[StationRecord], decisions: &[Decision]) -> Vec<StationRecord> {
    let keys = crate::key::record_keys(records);
    let (reviewed, _) = apply_decisions(records, &keys, decisions);
    reviewed
        .into_iter()
        .filter(|r| r.status == ReviewStatus::Accepted)
        .map(|r| r.record)
        .collect()
}

/// Counts of a review, for `outpost eval`: how many records were accepted, rejected, corrected
/// or left unreviewed, and the precision reviewers found among the records they judged.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ReviewStats {
    /// Records accepted (explicitly or through a correction).
    pub accepted: usize,
    /// Records rejected.
    pub rejected: usize,
    /// Records with at least one corrected field.
    pub corrected: usize,
    /// Records without a decision.
    pub unreviewed: usize,
    /// accepted / (accepted + rejected); `None` when nothing was judged.
    pub precision: Option<f64>,
}

impl ReviewStats {
    /// Counts `reviewed` (from [`apply_decisions`]).
    pub fn of(reviewed: &[Reviewed]) -> Self {
        let mut s = ReviewStats::default();
        for r in reviewed {
            match r.status {
                ReviewStatus::Accepted => s.accepted += 1,
                ReviewStatus::Rejected => s.rejected += 1,
                ReviewStatus::Unreviewed => s.unreviewed += 1,
            }
            if !r.corrected.is_empty() {
                s.corrected += 1;
            }
        }
        let judged = s.accepted + s.rejected;
        s.precision = (judged > 0).then(|| s.accepted as f64 / judged as f64);
        s
    }
}

/// Sets one correctable field of a record from its string value (`None`/empty clears it).
/// Values that do not parse (validated by [`Decision::validate`]) leave the field unchanged.
pub fn set_field(r: &mut StationRecord, field: &str, value: Option<&str>) {
    let v = value.map(str::trim).filter(|s| !s.is_empty());
    let owned = v.map(str::to_string);
    match field {
        "station_name" => r.station_name = owned,
        "country" => {
            if let Some(c) = v {
                r.country = c.to_uppercase();
            }
        }
        "city" => match (v, r.city.as_mut()) {
            (None, _) => r.city = None,
            (Some(c), Some(city)) => city.as_written = c.to_string(),
            (Some(c), None) => r.city = Some(new_city(c)),
        },
        "city_en" => match (v, r.city.as_mut()) {
            (_, Some(city)) => city.name_en = owned,
            (Some(c), None) => {
                let mut city = new_city(c);
                city.name_en = owned;
                r.city = Some(city);
            }
            (None, None) => {}
        },
        "city_lat" | "city_lon" => {
            let x = v.and_then(|s| s.parse::<f64>().ok());
            if v.is_some() && x.is_none() {
                return;
            }
            if let Some(city) = r.city.as_mut() {
                if field == "city_lat" {
                    city.lat = x;
                } else {
                    city.lon = x;
                }
            }
        }
        "bureau" => match (v, r.bureau.as_mut()) {
            (None, _) => r.bureau = None,
            (Some(b), Some(bureau)) => bureau.as_written = b.to_string(),
            (Some(b), None) => {
                r.bureau = Some(Bureau {
                    as_written: b.to_string(),
                    canonical: None,
                    adcode: None,
                })
            }
        },
        "bureau_canonical" => match (v, r.bureau.as_mut()) {
            (_, Some(bureau)) => bureau.canonical = owned,
            (Some(b), None) => {
                r.bureau = Some(Bureau {
                    as_written: b.to_string(),
                    canonical: owned,
                    adcode: None,
                })
            }
            (None, None) => {}
        },
        "address" => {
            r.address = v.map(|a| Address {
                raw: a.to_string(),
                components: Default::default(),
            })
        }
        "host_org" => r.host_org = owned,
        "people" => r.people = v.map(parse_people).unwrap_or_default(),
        "status" => r.status = v.map(split_list).unwrap_or_default(),
        "count" => {
            if let Some(n) = v.and_then(|s| s.parse::<u32>().ok()) {
                r.count = n;
            }
        }
        _ => {}
    }
}

fn new_city(as_written: &str) -> City {
    City {
        as_written: as_written.to_string(),
        name_en: None,
        geonames_id: None,
        lat: None,
        lon: None,
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses `Name (role); Name2` into people.
fn parse_people(s: &str) -> Vec<Person> {
    split_list(s)
        .into_iter()
        .map(
            |p| match p.strip_suffix(')').and_then(|q| q.rsplit_once('(')) {
                Some((name, role)) if !name.trim().is_empty() => Person {
                    name: name.trim().to_string(),
                    role: Some(role.trim().to_string()).filter(|r| !r.is_empty()),
                },
                _ => Person {
                    name: p,
                    role: None,
                },
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::record;
    use crate::key::record_keys;

    #[test]
    fn reads_valid_lines_and_names_bad_ones() {
        let ok = "{\"article_id\":\"a\",\"record_key\":\"ES/Madrid\",\"decision\":\"accept\"}\n\n\
                  {\"article_id\":\"a\",\"record_key\":\"ES/Madrid\",\"decision\":\"correct\",\"field\":\"count\",\"value\":\"3\"}\n\
                  {\"station_id\":\"st-1\",\"record_key\":\"st-1\",\"decision\":\"reject\",\"at\":\"2026-11-26T20:00:00Z\"}\n";
        let d = parse_decisions(ok.as_bytes(), Path::new("d.jsonl")).expect("valid");
        assert_eq!(d.len(), 3);
        assert_eq!(d[2].station_id.as_deref(), Some("st-1"));
        assert_eq!(d[1].decision, Verdict::Correct);

        for (bad, why) in [
            ("{\"article_id\":\"a\",\"record_key\":\"k\",\"decision\":\"maybe\"}", "unknown variant"),
            ("{\"record_key\":\"k\",\"decision\":\"accept\"}", "article_id"),
            ("{\"article_id\":\"a\",\"record_key\":\"k\",\"decision\":\"correct\"}", "needs a `field`"),
            ("{\"article_id\":\"a\",\"record_key\":\"k\",\"decision\":\"correct\",\"field\":\"zzz\"}", "unknown field"),
            ("{\"article_id\":\"a\",\"record_key\":\"k\",\"decision\":\"correct\",\"field\":\"count\",\"value\":\"x\"}", "whole number"),
            ("{\"article_id\":\"a\",\"record_key\":\"k\",\"decision\":\"accept\",\"field\":\"city\"}", "only allowed"),
            ("not json", "expected"),
        ] {
            let text = format!("{}\n{bad}\n", ok.lines().next().unwrap_or_default());
            let err = parse_decisions(text.as_bytes(), Path::new("d.jsonl"))
                .expect_err(bad)
                .to_string();
            assert!(err.starts_with("d.jsonl:2:"), "{err}");
            assert!(err.contains(why), "{err} lacks {why}");
        }
    }

    #[test]
    fn applies_verdicts_and_corrections() {
        let recs = vec![
            record("a1", "ES", Some("Madrid"), 0.9),
            record("a1", "IT", Some("Prato"), 0.8),
            record("a2", "NL", Some("Rotterdam"), 0.7),
            record("a3", "FR", Some("Paris"), 0.6),
        ];
        let keys = record_keys(&recs);
        let text = [
            r#"{"article_id":"a1","record_key":"ES/Madrid","decision":"reject"}"#,
            r#"{"article_id":"a1","record_key":"ES/Madrid","decision":"accept"}"#,
            r#"{"article_id":"a1","record_key":"IT/Prato","decision":"reject"}"#,
            r#"{"article_id":"a2","record_key":"NL/Rotterdam","decision":"correct","field":"city_en","value":"Amsterdam"}"#,
            r#"{"article_id":"a2","record_key":"NL/Rotterdam","decision":"correct","field":"people","value":"Wang Li (operator); 李明"}"#,
            r#"{"article_id":"zz","record_key":"NL/Rotterdam","decision":"accept"}"#,
        ]
        .join("\n");
        let ds = parse_decisions(text.as_bytes(), Path::new("d")).expect("valid");
        let (out, unmatched) = apply_decisions(&recs, &keys, &ds);
        let status: Vec<_> = out.iter().map(|r| r.status).collect();
        assert_eq!(
            status,
            [
                ReviewStatus::Accepted,
                ReviewStatus::Rejected,
                ReviewStatus::Accepted,
                ReviewStatus::Unreviewed
            ]
        );
        let city = out[2]
            .record
            .city
            .as_ref()
            .and_then(|c| c.name_en.as_deref());
        assert_eq!(city, Some("Amsterdam"));
        assert_eq!(out[2].record.people.len(), 2);
        assert_eq!(out[2].record.people[0].role.as_deref(), Some("operator"));
        assert_eq!(out[2].record.people[1].name, "李明");
        assert_eq!(out[2].corrected, ["city_en", "people"]);
        assert_eq!(unmatched.len(), 1);
        let stats = ReviewStats::of(&out);
        assert_eq!(
            (
                stats.accepted,
                stats.rejected,
                stats.corrected,
                stats.unreviewed
            ),
            (2, 1, 1, 1)
        );
        assert_eq!(stats.precision, Some(2.0 / 3.0));
        let acc = accepted_records(&recs, &ds);
        assert_eq!(acc.len(), 2);
        assert_eq!(acc[1].people.len(), 2);
    }
}
