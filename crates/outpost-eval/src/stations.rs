//! Station records against gold.
//!
//! Gold format: one JSON object per line, `{"article_id","relevant","records":[{"bureau",
//! "bureau_norm","country","city","city_en","address","host_org","people","date","status","count",
//! "evidence"}]}` (see `../shared/data/stations/README.md`).
//!
//! Matching: a predicted record matches a gold record of the same article with the same country and
//! the same normalised city (`city_en` against the record's `city.name_en`, compared after folding
//! case and accents; a country-level record has no city on either side). Each gold record matches at
//! most one prediction, most confident first. Only predictions with confidence ≥ the threshold count.

use crate::calibration::{calibration, Calibration};
use crate::Prf;
use outpost_core::{ArticleSummary, StationRecord};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

/// Errors reading gold or predictions.
#[derive(Debug, Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line could not be parsed.
    #[error("{path}:{line}: {reason}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        reason: String,
    },
}

/// One gold article.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GoldArticle {
    /// The article id.
    pub article_id: String,
    /// Whether the article reports overseas police stations.
    pub relevant: bool,
    /// Gold station records.
    #[serde(default)]
    pub records: Vec<GoldRecord>,
}

/// One gold station record.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct GoldRecord {
    /// Bureau as written.
    #[serde(default)]
    pub bureau: Option<String>,
    /// Bureau normalised: Fuzhou / Qingtian / Wenzhou / Nantong.
    #[serde(default)]
    pub bureau_norm: Option<String>,
    /// ISO country code.
    pub country: String,
    /// City as written.
    #[serde(default)]
    pub city: Option<String>,
    /// Normalised English city name.
    #[serde(default)]
    pub city_en: Option<String>,
    /// Address as written.
    #[serde(default)]
    pub address: Option<String>,
    /// Host organisation as written.
    #[serde(default)]
    pub host_org: Option<String>,
    /// People as written.
    #[serde(default)]
    pub people: Vec<String>,
    /// Date (ISO, any precision).
    #[serde(default)]
    pub date: Option<String>,
    /// Count of stations at the location.
    #[serde(default)]
    pub count: Option<u32>,
}

fn read_lines(path: &Path) -> Result<Vec<(usize, String)>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect())
}

fn parse_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, EvalError> {
    read_lines(path)?
        .into_iter()
        .map(|(line, l)| {
            serde_json::from_str(&l).map_err(|e| EvalError::Parse {
                path: path.to_path_buf(),
                line,
                reason: e.to_string(),
            })
        })
        .collect()
}

/// Reads a gold file. Errors name the file and line.
pub fn load_gold(path: &Path) -> Result<Vec<GoldArticle>, EvalError> {
    parse_lines(path)
}

/// Reads predictions: a run's output directory (its `candidates.jsonl` and, when present,
/// `articles.jsonl`) or a `candidates.jsonl` file (an `articles.jsonl` beside it is used too).
pub fn load_predictions(
    path: &Path,
) -> Result<(Vec<StationRecord>, Option<Vec<ArticleSummary>>), EvalError> {
    let (cands, dir) = if path.is_dir() {
        (path.join("candidates.jsonl"), path.to_path_buf())
    } else {
        (
            path.to_path_buf(),
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
        )
    };
    let records = parse_lines(&cands)?;
    let arts = dir.join("articles.jsonl");
    let articles = if arts.exists() {
        Some(parse_lines(&arts)?)
    } else {
        None
    };
    Ok((records, articles))
}

/// Folds a name for comparison: NFKD, accents removed, lower case, punctuation and spaces dropped.
pub fn fold_name(s: &str) -> String {
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The forms a gold value can be matched in: the value itself and, when it carries a bracketed
/// gloss ("Andywei Travel (agencia de viajes)", "长乐公会 (美国长乐公会)", "卡佩爾街(Capel Street)"),
/// the value without the gloss and the gloss alone.
fn gold_forms(gold: &str) -> Vec<String> {
    let mut forms = vec![gold.to_string()];
    let open = |c: char| matches!(c, '(' | '（');
    let close = |c: char| matches!(c, ')' | '）');
    if let (Some(a), Some(b)) = (gold.find(open), gold.rfind(close)) {
        if a < b {
            let inner_start = a + gold[a..].chars().next().map_or(1, char::len_utf8);
            forms.push(format!("{}{}", &gold[..a], &gold[b + 1..]));
            forms.push(gold[inner_start..b].to_string());
        }
    }
    forms
}

/// Field comparison: after [`fold_name`], the prediction contains the gold value or the gold value
/// contains the prediction, for the gold value or one of its [`gold_forms`].
fn loose_match(pred: &str, gold: &str) -> bool {
    let p = fold_name(pred);
    !p.is_empty()
        && gold_forms(gold).iter().any(|g| {
            let g = fold_name(g);
            !g.is_empty() && (p.contains(&g) || g.contains(&p))
        })
}

/// Accuracy of one field over the matched records where the gold states it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct FieldScore {
    /// Share of matched records (with a gold value) whose prediction agrees.
    pub accuracy: f64,
    /// Number of matched records with a gold value.
    pub support: usize,
}

/// Field accuracies over matched records.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FieldScores {
    /// Bureau: predicted canonical bureau equals gold `bureau_norm` (case-insensitive).
    pub bureau: FieldScore,
    /// Address: predicted and gold addresses contain one another after folding.
    pub address: FieldScore,
    /// Host organisation: same containment rule.
    pub host_org: FieldScore,
    /// People: share of gold names found among predicted people (containment).
    pub people: FieldScore,
    /// Date: a predicted date stated in the text (any kind but `reported`, which is the article's
    /// own date) equals the gold date or starts with it.
    pub date: FieldScore,
}

/// Counts on the negative (irrelevant) gold articles.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Negatives {
    /// Number of negative articles.
    pub articles: usize,
    /// Negative articles with at least one counted candidate.
    pub with_candidates: usize,
    /// Counted candidates on negative articles.
    pub candidates: usize,
    /// Negative articles scored relevant (relevance ≥ 0.5).
    pub scored_relevant: usize,
}

/// The full evaluation, serialised as `outpost eval --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StationEval {
    /// Article relevance (from `articles.jsonl` relevance ≥ 0.5, else "has a counted record").
    pub relevance: Prf,
    /// Record matching.
    pub records: Prf,
    /// Field accuracies over matched records.
    pub fields: FieldScores,
    /// Calibration of record confidence (all predicted records of gold articles; outcome = matched).
    pub calibration: Calibration,
    /// Record scores per article language.
    pub per_language: BTreeMap<String, Prf>,
    /// Counts on the negative articles.
    pub negatives: Negatives,
    /// The confidence threshold records had to reach to count.
    pub threshold: f64,
}

/// True when a predicted record and a gold record share country and normalised city (the matching
/// rule of [`evaluate`]).
pub fn same_key(p: &StationRecord, g: &GoldRecord) -> bool {
    if !p.country.eq_ignore_ascii_case(&g.country) {
        return false;
    }
    let pc = p
        .city
        .as_ref()
        .and_then(|c| c.name_en.clone().or_else(|| Some(c.as_written.clone())));
    match (pc, g.city_en.as_deref()) {
        (None, None) => true,
        (Some(p), Some(g)) => fold_name(&p) == fold_name(g),
        _ => false,
    }
}

/// Evaluates predictions against gold. Predictions for articles absent from the gold are ignored.
pub fn evaluate(
    gold: &[GoldArticle],
    records: &[StationRecord],
    articles: Option<&[ArticleSummary]>,
    threshold: f64,
) -> StationEval {
    let gold_ids: BTreeSet<&str> = gold.iter().map(|g| g.article_id.as_str()).collect();
    let mut by_article: BTreeMap<&str, Vec<&StationRecord>> = BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| gold_ids.contains(r.article_id.as_str()))
    {
        by_article.entry(r.article_id.as_str()).or_default().push(r);
    }
    let summaries: BTreeMap<&str, &ArticleSummary> = articles
        .unwrap_or(&[])
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();

    let mut calib_pairs = Vec::new();
    let (mut tp, mut npred, mut ngold) = (0, 0, 0);
    let mut lang_counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut fields = [(0usize, 0.0f64); 5];
    let (mut rel_tp, mut rel_pred, mut rel_gold) = (0, 0, 0);
    let mut neg = Negatives::default();

    for g in gold {
        let preds = by_article
            .get(g.article_id.as_str())
            .cloned()
            .unwrap_or_default();
        let lang = summaries
            .get(g.article_id.as_str())
            .and_then(|s| s.lang.clone())
            .or_else(|| preds.iter().find_map(|p| p.language.clone()))
            .unwrap_or_else(|| "unknown".to_string());
        let mut counted: Vec<&StationRecord> = preds
            .iter()
            .copied()
            .filter(|p| p.confidence as f64 >= threshold)
            .collect();
        counted.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        let predicted_relevant = match summaries.get(g.article_id.as_str()) {
            Some(s) => s.relevance >= 0.5,
            None => !counted.is_empty(),
        };
        if predicted_relevant {
            rel_pred += 1;
        }
        if g.relevant {
            rel_gold += 1;
            if predicted_relevant {
                rel_tp += 1;
            }
        } else {
            neg.articles += 1;
            neg.candidates += counted.len();
            neg.with_candidates += usize::from(!counted.is_empty());
            neg.scored_relevant += usize::from(predicted_relevant);
        }
        // Greedy matching, most confident prediction first.
        let mut used = vec![false; g.records.len()];
        let mut matched_pred: BTreeSet<*const StationRecord> = BTreeSet::new();
        for p in &counted {
            if let Some(k) = (0..g.records.len()).find(|&k| !used[k] && same_key(p, &g.records[k]))
            {
                used[k] = true;
                matched_pred.insert(*p as *const _);
                tp += 1;
                score_fields(p, &g.records[k], &mut fields);
            }
        }
        let lc = lang_counts.entry(lang).or_default();
        lc.0 += matched_pred.len();
        lc.1 += counted.len();
        lc.2 += g.records.len();
        npred += counted.len();
        ngold += g.records.len();
        // Calibration over all predictions of the article (not only the counted ones).
        let mut used_all = vec![false; g.records.len()];
        let mut all = preds.clone();
        all.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        for p in all {
            let hit = (0..g.records.len()).find(|&k| !used_all[k] && same_key(p, &g.records[k]));
            if let Some(k) = hit {
                used_all[k] = true;
            }
            calib_pairs.push((p.confidence as f64, hit.is_some()));
        }
    }
    let fs = |i: usize| FieldScore {
        support: fields[i].0,
        accuracy: if fields[i].0 == 0 {
            0.0
        } else {
            fields[i].1 / fields[i].0 as f64
        },
    };
    StationEval {
        relevance: Prf::from_counts(rel_tp, rel_pred, rel_gold),
        records: Prf::from_counts(tp, npred, ngold),
        fields: FieldScores {
            bureau: fs(0),
            address: fs(1),
            host_org: fs(2),
            people: fs(3),
            date: fs(4),
        },
        calibration: calibration(&calib_pairs, 10),
        per_language: lang_counts
            .into_iter()
            .map(|(l, (t, p, g))| (l, Prf::from_counts(t, p, g)))
            .collect(),
        negatives: neg,
        threshold,
    }
}

fn score_fields(p: &StationRecord, g: &GoldRecord, fields: &mut [(usize, f64); 5]) {
    if let Some(norm) = g.bureau_norm.as_deref() {
        let ok = p
            .bureau
            .as_ref()
            .and_then(|b| b.canonical.as_deref())
            .map(|c| fold_name(c) == fold_name(norm))
            .unwrap_or(false);
        fields[0].0 += 1;
        fields[0].1 += f64::from(u8::from(ok));
    }
    if let Some(addr) = g.address.as_deref() {
        let ok = p
            .address
            .as_ref()
            .map(|a| loose_match(&a.raw, addr))
            .unwrap_or(false);
        fields[1].0 += 1;
        fields[1].1 += f64::from(u8::from(ok));
    }
    if let Some(org) = g.host_org.as_deref() {
        let ok = p
            .host_org
            .as_deref()
            .map(|h| loose_match(h, org))
            .unwrap_or(false);
        fields[2].0 += 1;
        fields[2].1 += f64::from(u8::from(ok));
    }
    if !g.people.is_empty() {
        let found = g
            .people
            .iter()
            .filter(|name| p.people.iter().any(|q| loose_match(&q.name, name)))
            .count();
        fields[3].0 += 1;
        fields[3].1 += found as f64 / g.people.len() as f64;
    }
    if let Some(date) = g.date.as_deref() {
        let ok = p
            .dates
            .iter()
            .filter(|d| d.kind != "reported")
            .any(|d| d.value.starts_with(date));
        fields[4].0 += 1;
        fields[4].1 += f64::from(u8::from(ok));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::City;

    fn rec(article: &str, country: &str, city: Option<&str>, conf: f32) -> StationRecord {
        let mut r = StationRecord::new(article, country, city.map(|c| City::named(c, c)), conf);
        r.language = Some("en".into());
        r
    }

    fn gold(id: &str, relevant: bool, recs: &[(&str, Option<&str>)]) -> GoldArticle {
        GoldArticle {
            article_id: id.into(),
            relevant,
            records: recs
                .iter()
                .map(|(c, city)| GoldRecord {
                    country: (*c).into(),
                    city_en: city.map(str::to_string),
                    ..GoldRecord::default()
                })
                .collect(),
        }
    }

    #[test]
    fn field_values_match_with_or_without_a_bracketed_gloss() {
        assert!(loose_match(
            "Andywei Travel",
            "Andywei Travel (agencia de viajes)"
        ));
        assert!(loose_match(
            "agencia de viajes",
            "Andywei Travel (agencia de viajes)"
        ));
        assert!(loose_match("美国长乐公会", "长乐公会 (美国长乐公会)"));
        assert!(loose_match(
            "都柏林市中心卡佩爾街的一棟辦公樓",
            "都柏林市中心卡佩爾街(Capel Street)的一棟辦公樓"
        ));
        assert!(!loose_match(
            "Hotel Quito",
            "Andywei Travel (agencia de viajes)"
        ));
        assert!(!loose_match("", "x"));
    }

    #[test]
    fn matches_on_country_and_folded_city() {
        let g = vec![
            gold("a", true, &[("BR", Some("São Paulo")), ("ES", None)]),
            gold("n", false, &[]),
        ];
        let p = vec![
            rec("a", "BR", Some("Sao Paulo"), 0.9),
            rec("a", "ES", Some("Madrid"), 0.8),
            rec("a", "FR", None, 0.2),
            rec("n", "IT", Some("Rome"), 0.7),
            rec("zz", "IT", Some("Rome"), 0.7),
        ];
        let e = evaluate(&g, &p, None, 0.5);
        assert_eq!(
            (e.records.tp, e.records.predicted, e.records.gold),
            (1, 3, 2)
        );
        assert_eq!(e.negatives.candidates, 1);
        assert_eq!(e.relevance.tp, 1);
        assert_eq!(e.relevance.predicted, 2);
        assert_eq!(e.calibration.n, 4);
    }
}
