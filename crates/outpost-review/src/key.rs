//! Record keys: a stable name for one record within its article, used by review decisions.
//!
//! A key is `CC/City`: the record's ISO country code, a slash and the city's normalised English name
//! (or the city as written when it has none, or nothing when the record has no city). When one
//! article yields several records with the same `CC/City`, the second gets `#2`, the third `#3`, in
//! the order they appear in `candidates.jsonl`. Keys therefore survive re-runs that keep the same
//! country and city, and an evaluator can match a decision to gold records on country and city
//! without the candidates file.

use outpost_core::StationRecord;
use std::collections::HashMap;
use std::fmt;

/// The parts of a record key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordKey {
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// Normalised English city name, or the city as written, or empty.
    pub city: String,
    /// 1 for the first record of the article with this country and city, 2 for the next, ...
    pub ordinal: u32,
}

impl RecordKey {
    /// The key of a record, with ordinal 1.
    pub fn of(record: &StationRecord) -> Self {
        let city = record
            .city
            .as_ref()
            .map(|c| {
                c.name_en
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or(&c.as_written)
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        RecordKey {
            country: record.country.trim().to_uppercase(),
            city,
            ordinal: 1,
        }
    }

    /// Parses a key written by [`fmt::Display`]; `None` when it has no `/`.
    ///
    /// A trailing `#N` (N ≥ 2, digits only) is read as the ordinal.
    pub fn parse(key: &str) -> Option<Self> {
        let (country, rest) = key.split_once('/')?;
        let (city, ordinal) = match rest.rsplit_once('#') {
            Some((c, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                match n.parse::<u32>() {
                    Ok(n) if n >= 2 => (c, n),
                    _ => (rest, 1),
                }
            }
            _ => (rest, 1),
        };
        Some(RecordKey {
            country: country.to_string(),
            city: city.to_string(),
            ordinal,
        })
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.country, self.city)?;
        if self.ordinal > 1 {
            write!(f, "#{}", self.ordinal)?;
        }
        Ok(())
    }
}

/// The keys of `records`, in order, with ordinals assigned per article in file order.
pub fn record_keys(records: &[StationRecord]) -> Vec<String> {
    let mut seen: HashMap<(String, RecordKey), u32> = HashMap::new();
    records
        .iter()
        .map(|r| {
            let mut key = RecordKey::of(r);
            let n = seen.entry((r.article_id.clone(), key.clone())).or_insert(0);
            *n += 1;
            key.ordinal = *n;
            key.to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::record;

    #[test]
    fn keys_are_country_city_with_ordinals_per_article() {
        let recs = vec![
            record("a1", "ES", Some("Madrid"), 0.9),
            record("a1", "ES", Some("Madrid"), 0.8),
            record("a2", "ES", Some("Madrid"), 0.7),
            record("a1", "it", None, 0.6),
        ];
        let keys = record_keys(&recs);
        assert_eq!(keys, vec!["ES/Madrid", "ES/Madrid#2", "ES/Madrid", "IT/"]);
        let k = RecordKey::parse(&keys[1]).expect("parses");
        assert_eq!(
            (k.country.as_str(), k.city.as_str(), k.ordinal),
            ("ES", "Madrid", 2)
        );
        assert_eq!(RecordKey::parse("IT/").map(|k| k.city), Some(String::new()));
        assert_eq!(RecordKey::parse("no slash"), None);
        // A '#' that is not a valid ordinal stays part of the city.
        assert_eq!(
            RecordKey::parse("US/Apt #1").map(|k| k.city),
            Some("Apt #1".into())
        );
    }
}
