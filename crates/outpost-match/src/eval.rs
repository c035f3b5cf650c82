//! `outpost match eval`: recall of gold countries, cities and bureaus in their articles, and
//! station-term hits on negative articles.
//!
//! `country_recall_country_spans` counts only `COUNTRY` spans (scored ≥ [`THRESHOLD`]) with the
//! gold ISO code. A gold record's country counts as found (`country_recall`) when a `COUNTRY` span with that ISO code, or a `CITY`
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
    /// Share of gold records whose country is found (by a `COUNTRY` span or a `CITY` span
    /// resolved to a place in that country).
    pub country_recall: f64,
    /// Share of gold records whose country is named by a `COUNTRY` span itself (name, demonym),
    /// cities not counted.
    pub country_recall_country_spans: f64,
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

/// One article of a station-articles file.
struct Article {
    id: String,
    text: String,
    lang: Option<String>,
}

/// Reads `{"id","text","lang"?}` lines; a line without an id or text is an error naming it.
fn read_articles(articles: &Path) -> Result<Vec<Article>, MatchError> {
    let mut out = Vec::new();
    for (line, v) in read_jsonl(articles)? {
        let field = |name: &str| {
            v[name]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| MatchError::bad(articles, line, format!("missing \"{name}\"")))
        };
        out.push(Article {
            id: field("id")?,
            text: field("text")?,
            lang: v["lang"].as_str().map(str::to_string),
        });
    }
    Ok(out)
}

/// Runs the matchers over the articles and scores them against the gold.
pub fn evaluate(
    m: &Matchers,
    articles: &Path,
    gold: &Path,
) -> Result<(EvalReport, Vec<Miss>), MatchError> {
    let mut docs: HashMap<String, Doc> = HashMap::new();
    for a in read_articles(articles)? {
        let mut d = Document::new(a.id.clone(), a.text);
        d.lang = a.lang.clone();
        let mut doc = Doc::new(d);
        doc.lang = a.lang;
        docs.insert(a.id, doc);
    }
    let (mut c_hit, mut c_all, mut y_hit, mut y_all, mut b_hit, mut b_all) = (0, 0, 0, 0, 0, 0);
    let mut c_span_hit = 0;
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
            if spans
                .iter()
                .any(|s| s.label == Label::Country && s.canonical.as_deref() == Some(country))
            {
                c_span_hit += 1;
            } else {
                misses.push(Miss {
                    article: id.into(),
                    what: "country-span",
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
            country_recall_country_spans: ratio(c_span_hit, c_all),
            city_recall: ratio(y_hit, y_all),
            bureau_recall: ratio(b_hit, b_all),
            negative_station_hits: negative_hits,
            articles: n_articles,
        },
        misses,
    ))
}

/// The figures `outpost match prefilter-eval --json` prints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PrefilterReport {
    /// Articles with a gold record or marked relevant.
    pub positives: usize,
    /// Positives the pre-filter lets through.
    pub kept: usize,
    /// `kept / positives`.
    pub recall: f64,
    /// The other articles of the gold file.
    pub negatives: usize,
    /// Negatives the pre-filter lets through.
    pub passed: usize,
    /// `passed / negatives`.
    pub pass_rate_negatives: f64,
    /// Throughput of [`crate::Prefilter::check`] over all the articles, MB (10^6 bytes) per second
    /// of this thread's time, one thread.
    pub mb_per_second: f64,
    /// The same over the negatives only.
    pub mb_per_second_negatives: f64,
    /// Share of negatives with a stage-1 anchor (that go on to the recognizers).
    pub anchor_rate_negatives: f64,
    /// Throughput of stage 1 alone ([`crate::Prefilter::anchors_in`]) over the negatives, MB/s.
    pub anchor_mb_per_second_negatives: f64,
    /// Positive article ids the pre-filter drops.
    pub missed: Vec<String>,
    /// Non-station news (`--news`), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub news: Option<NewsReport>,
}

/// Pass rate of the pre-filter on ordinary news that does not report stations.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NewsReport {
    /// Articles built (every [`NEWS_SENTENCES`] sentences of each file make one).
    pub articles: usize,
    /// Megabytes of text.
    pub megabytes: f64,
    /// Articles the pre-filter lets through.
    pub passed: usize,
    /// `passed / articles`.
    pub pass_rate: f64,
    /// Share of articles with a stage-1 anchor.
    pub anchor_rate: f64,
    /// Passes per kind: station term, bureau.
    pub passed_station_term: usize,
    /// Articles passed because of a bureau (with or without a station term).
    pub passed_bureau: usize,
    /// Throughput of [`crate::Prefilter::check`] over these articles, MB per second, one thread.
    pub mb_per_second: f64,
    /// Throughput of stage 1 alone over these articles, MB per second.
    pub anchor_mb_per_second: f64,
    /// Per input file: (file, articles, passed).
    pub files: Vec<(String, usize, usize)>,
}

/// Sentences per article when CoNLL files are joined into articles.
pub const NEWS_SENTENCES: usize = 20;

/// Reads a CoNLL file (`token<TAB>tag`, blank line between sentences) and joins every
/// [`NEWS_SENTENCES`] sentences into one article; tokens are joined with spaces, except between
/// two CJK characters. Fails with the file name on I/O errors.
pub fn conll_articles(path: &Path) -> Result<Vec<String>, MatchError> {
    let text = std::fs::read_to_string(path).map_err(|e| MatchError::io(path, e))?;
    let mut articles = Vec::new();
    let mut cur = String::new();
    let mut sentences = 0;
    let mut in_sentence = false;
    for line in text.lines() {
        let tok = line.split('\t').next().unwrap_or("").trim();
        if tok.is_empty() {
            if in_sentence {
                sentences += 1;
                in_sentence = false;
                if sentences % NEWS_SENTENCES == 0 {
                    articles.push(std::mem::take(&mut cur));
                } else {
                    cur.push('\n');
                }
            }
            continue;
        }
        let cjk = |c: Option<char>| c.is_some_and(crate::scan::is_cjk);
        if in_sentence && !(cjk(cur.chars().next_back()) && cjk(tok.chars().next())) {
            cur.push(' ');
        }
        cur.push_str(tok);
        in_sentence = true;
    }
    if !cur.trim().is_empty() {
        articles.push(cur);
    }
    Ok(articles)
}

/// CPU seconds of the calling thread where the platform reports them (Linux
/// `/proc/thread-self/stat`, clock ticks of 10 ms), else `None`: lets throughput per core be read
/// on a shared, loaded machine.
pub fn thread_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// MB per second of `check` over `texts`, repeated for at least one second (CPU time of this
/// thread where readable, else wall time).
fn throughput(pre: &crate::Prefilter, texts: &[&str], stage1_only: bool) -> f64 {
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    if bytes == 0 {
        return 0.0;
    }
    let t = std::time::Instant::now();
    let c0 = thread_cpu_seconds();
    let mut rounds = 0usize;
    let mut sink = 0usize;
    while rounds == 0 || t.elapsed().as_secs_f64() < 1.0 {
        sink += if stage1_only {
            texts
                .iter()
                .filter(|x| {
                    let (a, b) = pre.anchors_in(x);
                    a || b
                })
                .count()
        } else {
            texts.iter().filter(|x| pre.check(x)).count()
        };
        rounds += 1;
    }
    std::hint::black_box(sink);
    let wall = t.elapsed().as_secs_f64();
    let secs = match (c0, thread_cpu_seconds()) {
        (Some(a), Some(b)) if b > a + 0.2 => b - a,
        _ => wall,
    };
    (bytes * rounds) as f64 / secs / 1e6
}

/// Runs the pre-filter over the dev articles (positives = articles with a gold record or marked
/// relevant) and, when `news` is not empty, over CoNLL files joined into articles.
pub fn evaluate_prefilter(
    pre: &crate::Prefilter,
    articles: &Path,
    gold: &Path,
    news: &[std::path::PathBuf],
) -> Result<PrefilterReport, MatchError> {
    let texts: HashMap<String, String> = read_articles(articles)?
        .into_iter()
        .map(|a| (a.id, a.text))
        .collect();
    let (mut positives, mut kept, mut negatives, mut passed, mut anchored) = (0, 0, 0, 0, 0);
    let mut missed = Vec::new();
    let mut all: Vec<&str> = Vec::new();
    let mut neg: Vec<&str> = Vec::new();
    for (line, g) in read_jsonl(gold)? {
        let id = g["article_id"]
            .as_str()
            .ok_or_else(|| MatchError::bad(gold, line, "missing \"article_id\""))?;
        let Some(text) = texts.get(id) else { continue };
        let positive = g["relevant"] == Value::Bool(true)
            || g["records"].as_array().is_some_and(|r| !r.is_empty());
        let ok = pre.check(text);
        all.push(text);
        if positive {
            positives += 1;
            if ok {
                kept += 1;
            } else {
                missed.push(id.to_string());
            }
        } else {
            negatives += 1;
            neg.push(text);
            passed += usize::from(ok);
            let (s, b) = pre.anchors_in(text);
            anchored += usize::from(s || b);
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let news = if news.is_empty() {
        None
    } else {
        let mut arts: Vec<String> = Vec::new();
        let mut files = Vec::new();
        let mut n_pass = 0;
        let (mut st, mut bu, mut an) = (0, 0, 0);
        for f in news {
            let a = conll_articles(f)?;
            let mut p = 0;
            for t in &a {
                let h = pre.hits(t);
                p += usize::from(h.passed());
                st += usize::from(h.station_term);
                bu += usize::from(h.bureau);
                an += usize::from(h.station_anchor || h.bureau_anchor);
            }
            n_pass += p;
            files.push((f.display().to_string(), a.len(), p));
            arts.extend(a);
        }
        let refs: Vec<&str> = arts.iter().map(String::as_str).collect();
        Some(NewsReport {
            articles: arts.len(),
            megabytes: arts.iter().map(String::len).sum::<usize>() as f64 / 1e6,
            passed: n_pass,
            pass_rate: ratio(n_pass, arts.len()),
            anchor_rate: ratio(an, arts.len()),
            passed_station_term: st,
            passed_bureau: bu,
            mb_per_second: throughput(pre, &refs, false),
            anchor_mb_per_second: throughput(pre, &refs, true),
            files,
        })
    };
    Ok(PrefilterReport {
        positives,
        kept,
        recall: ratio(kept, positives),
        negatives,
        passed,
        pass_rate_negatives: ratio(passed, negatives),
        mb_per_second: throughput(pre, &all, false),
        mb_per_second_negatives: throughput(pre, &neg, false),
        anchor_mb_per_second_negatives: throughput(pre, &neg, true),
        anchor_rate_negatives: ratio(anchored, negatives),
        missed,
        news,
    })
}
