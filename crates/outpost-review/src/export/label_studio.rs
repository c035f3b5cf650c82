//! Label Studio export: one JSON array of tasks, importable as it is into a project whose labeling
//! config is [`LABEL_CONFIG`].
//!
//! With `documents.jsonl`, each document is a task: `data.text` is the article text and the
//! prediction's results are the document's spans. Without it, each evidence sentence of each record
//! is a task, its results the record's values found verbatim in the sentence (`data.offset` gives
//! the sentence's start in the article). Offsets are Unicode code points, Label Studio's
//! convention; every result's `text` is re-read from the task text at its offsets and a span whose
//! text differs is left out and counted ([`super::ExportSummary::bad_spans`]).

use super::{ExportOptions, ExportSummary};
use crate::rundir::RunOutput;
use outpost_core::text::char_slice;
use outpost_core::Label;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The Label Studio labeling config the tasks fit (`from_name` = `label`, `to_name` = `text`).
pub const LABEL_CONFIG: &str = r##"<View>
  <Labels name="label" toName="text">
    <Label value="STATION_TERM" background="#ffa94d"/>
    <Label value="BUREAU" background="#ff8787"/>
    <Label value="GOV" background="#ffc9c9"/>
    <Label value="COUNTRY" background="#74c0fc"/>
    <Label value="CITY" background="#a5d8ff"/>
    <Label value="LOC" background="#d0ebff"/>
    <Label value="ADDRESS" background="#8ce99a"/>
    <Label value="ORG" background="#b197fc"/>
    <Label value="PER" background="#ffe066"/>
    <Label value="DATE" background="#ced4da"/>
    <Label value="LOOK_ALIKE" background="#e9ecef"/>
    <Label value="MISC" background="#f1f3f5"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>
"##;

/// A candidate result: code-point offsets, the text claimed for them, label, score.
struct Candidate<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    label: &'a str,
    score: f32,
}

/// Builds the `result` array of a prediction, keeping only spans whose claimed text equals the
/// task text at their offsets. Returns the results and how many spans were dropped.
fn results(task_id: usize, text: &str, cands: &[Candidate<'_>]) -> (Vec<Value>, usize) {
    let mut out = Vec::new();
    let mut bad = 0;
    for (n, c) in cands.iter().enumerate() {
        match char_slice(text, c.start, c.end) {
            Some(s) if s == c.text && c.start < c.end => out.push(json!({
                "id": format!("t{task_id}-s{n}"),
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "origin": "prediction",
                "score": c.score,
                "value": {"start": c.start, "end": c.end, "text": s, "labels": [c.label]},
            })),
            _ => bad += 1,
        }
    }
    (out, bad)
}

/// Writes the task array into `out`; the error is a message.
pub fn write(
    run: &RunOutput,
    opts: &ExportOptions,
    out: &mut Vec<u8>,
) -> Result<ExportSummary, String> {
    let mut tasks: Vec<Value> = Vec::new();
    let mut summary = ExportSummary::default();
    let model_version = if opts.model_version.is_empty() {
        format!("outpost-{}", env!("CARGO_PKG_VERSION"))
    } else {
        opts.model_version.clone()
    };
    let relevance: BTreeMap<&str, f32> = run
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.relevance))
        .collect();
    let mut best: BTreeMap<&str, (f32, usize)> = BTreeMap::new();
    for r in &run.records {
        let e = best.entry(r.article_id.as_str()).or_insert((0.0, 0));
        e.0 = e.0.max(r.confidence);
        e.1 += 1;
    }
    if !run.documents.is_empty() {
        for (n, d) in run.documents.values().enumerate() {
            let id = n + 1;
            let cands: Vec<Candidate<'_>> = d
                .spans
                .iter()
                .map(|s| Candidate {
                    start: s.start,
                    end: s.end,
                    text: &s.text,
                    label: s.label.as_str(),
                    score: s.score,
                })
                .collect();
            let (result, bad) = results(id, &d.text, &cands);
            summary.bad_spans += bad;
            summary.spans += result.len();
            let (conf, nrec) = best.get(d.id.as_str()).copied().unwrap_or((0.0, 0));
            let score = relevance.get(d.id.as_str()).copied().unwrap_or(conf);
            tasks.push(json!({
                "id": id,
                "data": {
                    "text": d.text,
                    "article_id": d.id,
                    "url": d.url,
                    "title": d.title,
                    "date": d.date,
                    "lang": d.lang,
                    "records": nrec,
                    "max_record_confidence": conf,
                },
                "predictions": [{"model_version": model_version, "score": score, "result": result}],
            }));
        }
    } else {
        for r in &run.records {
            let needles = record_needles(r);
            for ev in &r.evidence {
                let id = tasks.len() + 1;
                let mut cands = Vec::new();
                for (needle, label) in &needles {
                    if needle.trim().is_empty() {
                        continue;
                    }
                    for (b, m) in ev.text.match_indices(needle.as_str()) {
                        let start = ev.text[..b].chars().count();
                        cands.push(Candidate {
                            start,
                            end: start + m.chars().count(),
                            text: m,
                            label,
                            score: r.confidence,
                        });
                    }
                }
                let (result, bad) = results(id, &ev.text, &cands);
                summary.bad_spans += bad;
                summary.spans += result.len();
                tasks.push(json!({
                    "id": id,
                    "data": {
                        "text": ev.text,
                        "article_id": r.article_id,
                        "offset": ev.start,
                        "url": r.url,
                        "lang": r.language,
                        "country": r.country,
                    },
                    "predictions": [{"model_version": model_version, "score": r.confidence, "result": result}],
                }));
            }
        }
    }
    summary.written = tasks.len();
    serde_json::to_writer(&mut *out, &tasks).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(summary)
}

fn record_needles(r: &outpost_core::StationRecord) -> Vec<(String, &'static str)> {
    let mut n = Vec::new();
    let mut add = |s: Option<&str>, l: Label| {
        if let Some(s) = s {
            n.push((s.to_string(), l.as_str()));
        }
    };
    add(r.station_name.as_deref(), Label::StationTerm);
    add(
        r.bureau.as_ref().map(|b| b.as_written.as_str()),
        Label::Bureau,
    );
    add(r.city.as_ref().map(|c| c.as_written.as_str()), Label::City);
    add(r.address.as_ref().map(|a| a.raw.as_str()), Label::Address);
    add(r.host_org.as_deref(), Label::Org);
    for p in &r.people {
        add(Some(&p.name), Label::Per);
    }
    n
}
