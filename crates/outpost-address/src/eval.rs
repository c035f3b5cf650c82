//! Scoring a parser against a labelled JSONL suite (`{"input", "expected", "country"}` records of
//! `shared/data/address/`).
//!
//! **Full parse failure** of a case: at least one expected component is missing from the parse or
//! has a different value, where two values are equal when their [`compare_key`]s are equal (NFKC,
//! lower case, letters and digits only: case, whitespace and punctuation are ignored). Extra
//! components the parser returns do not make a case fail; they count against that label's
//! precision. When the parser returns a label twice, the values are joined (as the suites join an
//! expected label that occurs twice).

use crate::fold::compare_key;
use crate::{AddressError, AddressParser, ParsedAddress};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// One labelled case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The address string.
    pub input: String,
    /// Expected `(label, value)` pairs.
    pub expected: Vec<(String, String)>,
    /// ISO alpha-2 of the case, when known.
    pub country: Option<String>,
}

/// Per-country figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CountryScore {
    /// Cases of this country.
    pub cases: usize,
    /// Share of them with a full parse failure, in percent.
    pub failure: f64,
}

/// Per-label figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LabelScore {
    /// Predicted values of this label that are right / all predicted.
    pub precision: f64,
    /// Expected values found / all expected.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
    /// Cases whose value for this label is right, counting "absent in both" as right, over all
    /// cases.
    pub accuracy: f64,
    /// Cases expecting this label.
    pub support: usize,
}

/// The report of `outpost address eval`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalReport {
    /// Cases scored (records with a component object).
    pub cases: usize,
    /// Percent of cases with a full parse failure.
    pub full_parse_failure: f64,
    /// Per country (cases without a country under `"??"`).
    pub per_country: BTreeMap<String, CountryScore>,
    /// Per expected label.
    pub per_label: BTreeMap<String, LabelScore>,
    /// Single-thread parse throughput over the suite.
    pub addresses_per_second: f64,
    /// Records skipped because they have no component object (detection cases).
    pub skipped: usize,
}

/// Reads a JSONL suite. Records whose `expected` is null are skipped (and counted).
///
/// Errors: unreadable file, or a line that is not a JSON object with a string `input` (named by
/// file and line).
pub fn load_cases(path: &Path) -> Result<(Vec<Case>, usize), AddressError> {
    let text = crate::tables::read(path)?;
    let mut cases = Vec::new();
    let mut skipped = 0;
    for (ln, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |m: String| AddressError::Format {
            path: path.display().to_string(),
            line: ln + 1,
            message: m,
        };
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        let input = v
            .get("input")
            .and_then(|x| x.as_str())
            .ok_or_else(|| bad("missing string field `input`".into()))?;
        let Some(exp) = v.get("expected").and_then(|x| x.as_object()) else {
            skipped += 1;
            continue;
        };
        let expected = exp
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect();
        cases.push(Case {
            input: input.to_string(),
            expected,
            country: v
                .get("country")
                .and_then(|x| x.as_str())
                .map(|s| s.to_string()),
        });
    }
    Ok((cases, skipped))
}

/// Joined values per label of a parse.
pub fn by_label(p: &ParsedAddress) -> BTreeMap<&'static str, String> {
    let mut m: BTreeMap<&'static str, String> = BTreeMap::new();
    for (l, v) in &p.components {
        m.entry(l)
            .and_modify(|s| {
                s.push_str(" | ");
                s.push_str(v)
            })
            .or_insert_with(|| v.clone());
    }
    m
}

/// True when the parse has every expected component (see the module doc).
pub fn case_ok(case: &Case, parse: &ParsedAddress) -> bool {
    let got = by_label(parse);
    case.expected
        .iter()
        .all(|(l, v)| label_ok(&got, parse, l, v))
}

/// True when the parse has label `l` with value `v`: the surface value matches, or (Chinese) the
/// official name of the division resolved at that level does (the README of the suites asks
/// scorers to accept official names, since cpca / JioNLP expect them).
pub fn label_ok(
    got: &BTreeMap<&'static str, String>,
    parse: &ParsedAddress,
    l: &str,
    v: &str,
) -> bool {
    let k = compare_key(v);
    got.get(l).map(|g| compare_key(g) == k).unwrap_or(false)
        || parse
            .official
            .iter()
            .any(|(ol, name)| *ol == l && compare_key(name) == k)
}

/// Scores `parser` on `cases`.
pub fn evaluate(parser: &AddressParser, cases: &[Case], skipped: usize) -> EvalReport {
    let t0 = Instant::now();
    let parses: Vec<ParsedAddress> = cases.iter().map(|c| parser.parse(&c.input)).collect();
    let secs = t0.elapsed().as_secs_f64();
    let mut report = EvalReport {
        cases: cases.len(),
        skipped,
        addresses_per_second: if secs > 0.0 {
            cases.len() as f64 / secs
        } else {
            0.0
        },
        ..Default::default()
    };
    let mut fails = 0usize;
    let mut per_cc: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let labels: std::collections::BTreeSet<String> = cases
        .iter()
        .flat_map(|c| c.expected.iter().map(|(l, _)| l.clone()))
        .collect();
    // label -> (true positives, predicted, expected, right cases)
    let mut lab: BTreeMap<String, (usize, usize, usize, usize)> =
        labels.iter().map(|l| (l.clone(), (0, 0, 0, 0))).collect();
    for (case, parse) in cases.iter().zip(&parses) {
        let ok = case_ok(case, parse);
        if !ok {
            fails += 1;
        }
        let e = per_cc
            .entry(case.country.clone().unwrap_or_else(|| "??".into()))
            .or_default();
        e.0 += 1;
        if !ok {
            e.1 += 1;
        }
        let got = by_label(parse);
        for (l, s) in lab.iter_mut() {
            let g = got.get(l.as_str());
            let x = case.expected.iter().find(|(k, _)| k == l).map(|(_, v)| v);
            let hit = x.map(|v| label_ok(&got, parse, l, v)).unwrap_or(false);
            s.1 += usize::from(g.is_some());
            s.2 += usize::from(x.is_some());
            s.0 += usize::from(g.is_some() && hit);
            s.3 += usize::from(hit || (g.is_none() && x.is_none()));
        }
    }
    for (l, (tp, pred, gold, right)) in lab {
        let p = if pred > 0 {
            tp as f64 / pred as f64
        } else {
            0.0
        };
        let r = if gold > 0 {
            tp as f64 / gold as f64
        } else {
            0.0
        };
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        report.per_label.insert(
            l,
            LabelScore {
                precision: round4(p),
                recall: round4(r),
                f1: round4(f1),
                accuracy: round4(right as f64 / cases.len().max(1) as f64),
                support: gold,
            },
        );
    }
    report.full_parse_failure = round4(100.0 * fails as f64 / cases.len().max(1) as f64);
    for (cc, (n, f)) in per_cc {
        report.per_country.insert(
            cc,
            CountryScore {
                cases: n,
                failure: round4(100.0 * f as f64 / n.max(1) as f64),
            },
        );
    }
    report.addresses_per_second = report.addresses_per_second.round();
    report
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}
