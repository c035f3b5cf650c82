//! The self-contained review page: one HTML file with inline CSS and JavaScript, the data embedded
//! as script-safe JSON, a strict Content-Security-Policy (no network, only the page's own script
//! and style run), and no external assets.
//!
//! All untrusted text reaches the page only as JSON data, and the script renders it with
//! `textContent` (never `innerHTML`); links are made only for `http:`/`https:` URLs.

use crate::key::record_keys;
use crate::rundir::{DocumentText, RunOutput};
use crate::safe::{csp_hash, script_json, sha256_hex, web_url};
use outpost_core::text::CharIndex;
use outpost_core::{Evidence, Label, StationRecord};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const CSS: &str = include_str!("../assets/review.css");
const JS: &str = include_str!("../assets/review.js");
const LAND: &str = include_str!("../assets/land.txt");

/// Options of the review page.
#[derive(Debug, Clone)]
pub struct PageOptions {
    /// Code points of article text shown before and after each evidence sentence (when
    /// `documents.jsonl` gives the text).
    pub context_chars: usize,
    /// Records shown per page of the list.
    pub page_size: usize,
    /// Leave out records below this confidence.
    pub min_confidence: f32,
    /// Keep at most this many records (the most confident); `None` keeps all.
    pub limit: Option<usize>,
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions {
            context_chars: 120,
            page_size: 50,
            min_confidence: 0.0,
            limit: None,
        }
    }
}

/// One highlighted stretch of evidence: the text and its kind (`""` sentence text, `"c"` context
/// around the sentence, otherwise a span label such as `CITY`).
type Segment = (String, String);

/// Builds the review page for the records of a run, ranked by confidence (highest first; ties by
/// article id then key). Never fails: missing documents fall back to the evidence sentences.
pub fn render_records(run: &RunOutput, opts: &PageOptions) -> String {
    let keys = record_keys(&run.records);
    let mut order: Vec<usize> = (0..run.records.len())
        .filter(|&i| conf(run.records[i].confidence) >= f64::from(opts.min_confidence))
        .collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&run.records[a], &run.records[b]);
        conf(rb.confidence)
            .total_cmp(&conf(ra.confidence))
            .then_with(|| ra.article_id.cmp(&rb.article_id))
            .then_with(|| keys[a].cmp(&keys[b]))
    });
    if let Some(n) = opts.limit {
        order.truncate(n);
    }
    let indexes: BTreeMap<&str, CharIndex> = run
        .documents
        .iter()
        .map(|(id, d)| (id.as_str(), CharIndex::new(&d.text)))
        .collect();
    let items: Vec<Value> = order
        .iter()
        .map(|&i| {
            let r = &run.records[i];
            let doc = run
                .documents
                .get(&r.article_id)
                .and_then(|d| indexes.get(r.article_id.as_str()).map(|ix| (d, ix)));
            record_item(r, &keys[i], doc, opts)
        })
        .collect();
    let dataset = sha256_hex(keys.join("\n").as_bytes());
    let payload = json!({
        "mode": "records",
        "fieldNames": RECORD_FIELDS,
        "dataset": &dataset[..16],
        "pageSize": opts.page_size,
        "documents": !run.documents.is_empty(),
        "items": items,
        "land": LAND.trim(),
    });
    page(&payload, order.len())
}

/// Builds the review page for linked stations (`stations.jsonl` of `outpost link`): every
/// top-level field is shown; `id`/`station_id`, `confidence`, `country`, `city`, `bureau`,
/// `lat`/`lon` and `evidence` (or `sources[].evidence`) are used where present.
pub fn render_stations(stations: &[Map<String, Value>], opts: &PageOptions) -> String {
    let mut items: Vec<Value> = stations
        .iter()
        .enumerate()
        .map(|(i, s)| station_item(i, s))
        .collect();
    items.sort_by(|a, b| {
        let ca = a["confidence"].as_f64().unwrap_or(0.0);
        let cb = b["confidence"].as_f64().unwrap_or(0.0);
        cb.total_cmp(&ca)
            .then_with(|| a["key"].as_str().cmp(&b["key"].as_str()))
    });
    let keys: Vec<&str> = items.iter().filter_map(|i| i["key"].as_str()).collect();
    let dataset = sha256_hex(keys.join("\n").as_bytes());
    let payload = json!({
        "mode": "stations",
        "dataset": &dataset[..16],
        "pageSize": opts.page_size,
        "documents": false,
        "items": items,
        "land": LAND.trim(),
    });
    page(&payload, stations.len())
}

fn conf(c: f32) -> f64 {
    if c.is_nan() {
        0.0
    } else {
        round4(f64::from(c))
    }
}

/// Rounds to 4 decimals (keeps the page small; more precision means nothing to a reviewer).
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

fn page(payload: &Value, n: usize) -> String {
    let data = script_json(payload);
    let csp = format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; img-src data: blob:; \
         base-uri 'none'; form-action 'none'",
        csp_hash(JS),
        csp_hash(CSS)
    );
    let mut out = String::with_capacity(data.len() + JS.len() + CSS.len() + 4096);
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"");
    out.push_str(&csp);
    out.push_str("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str(&format!("<title>outpost review ({n})</title>\n<style>"));
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(BODY);
    out.push_str("<script type=\"application/json\" id=\"outpost-data\">");
    out.push_str(&data);
    out.push_str("</script>\n<script>");
    out.push_str(JS);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

const BODY: &str = r#"<header>
<h1>outpost review</h1>
<span id="summary" aria-live="polite"></span>
<span class="spacer"></span>
<button id="btn-download" title="Download decisions as JSON Lines (d)">Download decisions</button>
<label class="button" title="Load a decisions file to continue a review">Import<input id="import" type="file" accept=".jsonl,.json,application/json" hidden></label>
<button id="btn-help" title="Keyboard shortcuts (?)">?</button>
</header>
<section id="filters">
<label>Country <select id="f-country"></select></label>
<label>Bureau <select id="f-bureau"></select></label>
<label>Language <select id="f-lang"></select></label>
<label>Confidence <input id="f-min" type="number" min="0" max="1" step="0.05" value="0"> – <input id="f-max" type="number" min="0" max="1" step="0.05" value="1"></label>
<label>Decision <select id="f-status"><option value="">all</option><option value="none">undecided</option><option value="accept">accepted</option><option value="reject">rejected</option><option value="correct">corrected</option></select></label>
<label>Search <input id="f-text" type="search" placeholder="city, article, name… (/)"></label>
<label>Sort <select id="f-sort"><option value="desc">confidence ↓</option><option value="asc">confidence ↑</option></select></label>
<span id="f-point" hidden></span>
<button id="btn-reset">Reset filters</button>
</section>
<section id="mapwrap"><svg id="map" viewBox="-180 -90 360 180" preserveAspectRatio="xMidYMid meet" role="img" aria-label="Map of resolved locations"></svg></section>
<nav id="pager"><button id="btn-prev">← previous (p)</button><span id="pageinfo"></span><button id="btn-next">next (n) →</button></nav>
<main id="list" tabindex="-1"></main>
<div id="help" hidden>
<h2>Keyboard shortcuts</h2>
<dl>
<dt>j / ↓</dt><dd>next record</dd><dt>k / ↑</dt><dd>previous record</dd>
<dt>a</dt><dd>accept the selected record (and move on)</dd>
<dt>r</dt><dd>reject the selected record (and move on)</dd>
<dt>c</dt><dd>correct a field of the selected record</dd>
<dt>u</dt><dd>undo: clear the selected record's decisions</dd>
<dt>n / →</dt><dd>next page</dd><dt>p / ←</dt><dd>previous page</dd>
<dt>/</dt><dd>search</dd><dt>m</dt><dd>show or hide the map</dd>
<dt>d</dt><dd>download decisions (JSON Lines)</dd><dt>?</dt><dd>this help</dd><dt>Esc</dt><dd>close</dd>
</dl>
<p>Decisions are kept in this browser (local storage) until you download them.</p>
</div>
"#;

/// Names of the display fields of a record, in the order the page carries their values.
/// Correctable ones use the names of [`crate::decision::CORRECTABLE_FIELDS`].
pub const RECORD_FIELDS: &[&str] = &[
    "station_name",
    "country",
    "city",
    "city_en",
    "geonames_id",
    "city_lat",
    "city_lon",
    "bureau",
    "bureau_canonical",
    "bureau_adcode",
    "address",
    "address_components",
    "host_org",
    "people",
    "dates",
    "status",
    "count",
];

/// A display field: name, value (empty when absent), field confidence.
type Field = (&'static str, String, Option<f64>);

/// The display fields of a record, in the order of [`RECORD_FIELDS`].
fn record_fields(r: &StationRecord) -> Vec<Field> {
    let fc = |name: &str| r.field_confidence.get(name).map(|&c| round4(f64::from(c)));
    let mut f: Vec<Field> = Vec::new();
    let mut push = |name: &'static str, value: Option<String>, conf: Option<f64>| {
        f.push((name, value.unwrap_or_default(), conf));
    };
    push("station_name", r.station_name.clone(), fc("station_name"));
    push("country", Some(r.country.clone()), fc("country"));
    let city = r.city.as_ref();
    push("city", city.map(|c| c.as_written.clone()), fc("city"));
    push("city_en", city.and_then(|c| c.name_en.clone()), None);
    push(
        "geonames_id",
        city.and_then(|c| c.geonames_id).map(|g| g.to_string()),
        None,
    );
    push(
        "city_lat",
        city.and_then(|c| c.lat).map(|x| x.to_string()),
        None,
    );
    push(
        "city_lon",
        city.and_then(|c| c.lon).map(|x| x.to_string()),
        None,
    );
    let bureau = r.bureau.as_ref();
    push("bureau", bureau.map(|b| b.as_written.clone()), fc("bureau"));
    push(
        "bureau_canonical",
        bureau.and_then(|b| b.canonical.clone()),
        None,
    );
    push("bureau_adcode", bureau.and_then(|b| b.adcode.clone()), None);
    push(
        "address",
        r.address.as_ref().map(|a| a.raw.clone()),
        fc("address"),
    );
    push(
        "address_components",
        r.address
            .as_ref()
            .filter(|a| !a.components.is_empty())
            .map(|a| {
                a.components
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
        None,
    );
    push("host_org", r.host_org.clone(), fc("host_org"));
    push("people", Some(people_text(r)), fc("people"));
    push("dates", Some(dates_text(r)), fc("dates"));
    push("status", Some(r.status.join("; ")), fc("status"));
    push("count", Some(r.count.to_string()), None);
    f
}

/// `Name (role); Name2` for a record's people.
pub(crate) fn people_text(r: &StationRecord) -> String {
    r.people
        .iter()
        .map(|p| match &p.role {
            Some(role) => format!("{} ({role})", p.name),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `kind=value (as written); ...` for a record's dates.
pub(crate) fn dates_text(r: &StationRecord) -> String {
    r.dates
        .iter()
        .map(|d| format!("{}={} ({})", d.kind, d.value, d.as_written))
        .collect::<Vec<_>>()
        .join("; ")
}

fn record_item(
    r: &StationRecord,
    key: &str,
    doc: Option<(&DocumentText, &CharIndex)>,
    opts: &PageOptions,
) -> Value {
    let evidence: Vec<Value> = r
        .evidence
        .iter()
        .map(|ev| {
            let segs = doc
                .and_then(|(d, ix)| doc_segments(d, ix, ev, opts.context_chars))
                .unwrap_or_else(|| needle_segments(&ev.text, &record_needles(r)));
            json!(segs)
        })
        .collect();
    let city = r.city.as_ref();
    let coords = city.and_then(|c| match (c.lat, c.lon) {
        (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Some([lat, lon]),
        _ => None,
    });
    let fields = record_fields(r);
    let fconf: Map<String, Value> = fields
        .iter()
        .filter_map(|(n, _, c)| c.map(|c| ((*n).to_string(), json!(c))))
        .collect();
    let url = r
        .url
        .clone()
        .or_else(|| doc.and_then(|(d, _)| d.url.clone()));
    json!({
        "key": key,
        "article": r.article_id,
        "url": url,
        "link": url.as_deref().and_then(web_url).is_some(),
        "title": doc.and_then(|(d, _)| d.title.clone()),
        "date": doc.and_then(|(d, _)| d.date.clone()),
        "lang": r.language.clone().or_else(|| doc.and_then(|(d, _)| d.lang.clone())),
        "confidence": conf(r.confidence),
        "country": r.country,
        "city": city.map(|c| c.name_en.clone().unwrap_or_else(|| c.as_written.clone())),
        "bureau": r.bureau.as_ref().map(|b| b.canonical.clone().unwrap_or_else(|| b.as_written.clone())),
        "pt": coords,
        "fields": fields.iter().map(|f| &f.1).collect::<Vec<_>>(),
        "fconf": fconf,
        "evidence": evidence,
    })
}

/// Verbatim strings of a record to highlight in evidence when no document spans are available.
fn record_needles(r: &StationRecord) -> Vec<(String, &'static str)> {
    let mut n: Vec<(String, &'static str)> = Vec::new();
    if let Some(s) = &r.station_name {
        n.push((s.clone(), Label::StationTerm.as_str()));
    }
    if let Some(b) = &r.bureau {
        n.push((b.as_written.clone(), Label::Bureau.as_str()));
    }
    if let Some(c) = &r.city {
        n.push((c.as_written.clone(), Label::City.as_str()));
    }
    if let Some(a) = &r.address {
        n.push((a.raw.clone(), Label::Address.as_str()));
    }
    if let Some(o) = &r.host_org {
        n.push((o.clone(), Label::Org.as_str()));
    }
    for p in &r.people {
        n.push((p.name.clone(), Label::Per.as_str()));
    }
    for d in &r.dates {
        n.push((d.as_written.clone(), Label::Date.as_str()));
    }
    n
}

/// Splits `text` into segments highlighting every occurrence of the needles (longest first where
/// they overlap).
fn needle_segments(text: &str, needles: &[(String, &'static str)]) -> Vec<Segment> {
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for (needle, label) in needles {
        if needle.trim().is_empty() {
            continue;
        }
        for (b, m) in text.match_indices(needle.as_str()) {
            hits.push((b, b + m.len(), label));
        }
    }
    hits.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))));
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e, label) in hits {
        if s < pos {
            continue;
        }
        if s > pos {
            out.push((text[pos..s].to_string(), String::new()));
        }
        out.push((text[s..e].to_string(), label.to_string()));
        pos = e;
    }
    if pos < text.len() || out.is_empty() {
        out.push((text[pos..].to_string(), String::new()));
    }
    out
}

/// Segments of an evidence sentence in its document: context before, the sentence with the
/// document's spans highlighted, context after. `None` when the evidence offsets do not match the
/// document text (the caller then falls back to the evidence text alone).
fn doc_segments(
    d: &DocumentText,
    ix: &CharIndex,
    ev: &Evidence,
    ctx: usize,
) -> Option<Vec<Segment>> {
    if ev.end > ix.char_len() || ev.start > ev.end {
        return None;
    }
    let b = |ch: usize| ix.byte_of_char(&d.text, ch);
    let (s0, s1) = (b(ev.start), b(ev.end));
    if d.text.get(s0..s1)? != ev.text {
        return None;
    }
    let c0 = ev.start.saturating_sub(ctx);
    let c1 = (ev.end + ctx).min(ix.char_len());
    let mut out: Vec<Segment> = Vec::new();
    if c0 < ev.start {
        let mut t = String::from(if c0 > 0 { "…" } else { "" });
        t.push_str(&d.text[b(c0)..s0]);
        out.push((t, "c".into()));
    }
    let mut spans: Vec<_> = d
        .spans
        .iter()
        .filter(|s| s.start < ev.end && s.end > ev.start && s.start < s.end)
        .collect();
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.len().cmp(&a.len())));
    let mut pos = ev.start;
    for s in spans {
        let (a, e) = (s.start.max(ev.start), s.end.min(ev.end));
        if a < pos {
            continue;
        }
        if a > pos {
            out.push((d.text[b(pos)..b(a)].to_string(), String::new()));
        }
        out.push((d.text[b(a)..b(e)].to_string(), s.label.as_str().to_string()));
        pos = e;
    }
    if pos < ev.end || ev.start == ev.end {
        out.push((d.text[b(pos)..s1].to_string(), String::new()));
    }
    if ev.end < c1 {
        let mut t = d.text[s1..b(c1)].to_string();
        if c1 < ix.char_len() {
            t.push('…');
        }
        out.push((t, "c".into()));
    }
    Some(out)
}

/// Text of a JSON value for display: strings as they are, arrays of strings joined with `; `,
/// anything else as compact JSON.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(t) => t.clone(),
        Value::Null => String::new(),
        Value::Array(a) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// At most 600 code points of `t`, with `…` when cut.
fn clip(t: &str) -> String {
    if t.chars().count() > 600 {
        t.chars().take(600).chain(std::iter::once('…')).collect()
    } else {
        t.to_string()
    }
}

/// A station of `stations.jsonl` as a page item.
fn station_item(i: usize, s: &Map<String, Value>) -> Value {
    let text_of = |v: Option<&Value>, keys: &[&str]| -> Option<String> {
        match v? {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => keys
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_string)),
            _ => None,
        }
    };
    let key = text_of(s.get("station_id"), &[])
        .or_else(|| text_of(s.get("id"), &[]))
        .unwrap_or_else(|| format!("station-{}", i + 1));
    let confidence = s.get("confidence").and_then(Value::as_f64).unwrap_or(0.0);
    let city_obj = s.get("city");
    let num = |v: Option<&Value>| v.and_then(Value::as_f64);
    let lat = num(s.get("lat")).or_else(|| num(city_obj.and_then(|c| c.get("lat"))));
    let lon = num(s.get("lon")).or_else(|| num(city_obj.and_then(|c| c.get("lon"))));
    let pt = match (lat, lon) {
        (Some(a), Some(o)) if a.abs() <= 90.0 && o.abs() <= 180.0 => Some([a, o]),
        _ => None,
    };
    let city = text_of(city_obj, &["name_en", "as_written"]);
    let mut fields: Vec<Value> = Vec::new();
    for (k, v) in s.iter().filter(|(k, _)| k.as_str() != "evidence") {
        match (k.as_str(), v) {
            ("sources", Value::Array(src)) => {
                let ids: Vec<&str> = src
                    .iter()
                    .filter_map(|x| x.get("article_id").and_then(Value::as_str))
                    .collect();
                let text = format!("{} ({})", src.len(), ids.join(", "));
                fields.push(json!([k, clip(&text), null]));
            }
            (_, Value::Object(o)) => {
                for (sub, sv) in o {
                    fields.push(json!([format!("{k}.{sub}"), clip(&scalar_text(sv)), null]));
                }
            }
            _ => fields.push(json!([k, clip(&scalar_text(v)), null])),
        }
    }
    let mut needles: Vec<(String, &'static str)> = Vec::new();
    if let Some(c) = city_obj
        .and_then(|c| c.get("as_written"))
        .and_then(Value::as_str)
    {
        needles.push((c.to_string(), Label::City.as_str()));
    }
    let mut evidence = Vec::new();
    let mut add_ev = |v: &Value| {
        if let Some(arr) = v.as_array() {
            for e in arr {
                let t = e.get("text").and_then(Value::as_str).or_else(|| e.as_str());
                if let Some(t) = t {
                    evidence.push(json!(needle_segments(t, &needles)));
                }
            }
        }
    };
    if let Some(ev) = s.get("evidence") {
        add_ev(ev);
    }
    if let Some(Value::Array(sources)) = s.get("sources") {
        for src in sources {
            if let Some(ev) = src.get("evidence") {
                add_ev(ev);
            }
        }
    }
    let url = s.get("url").and_then(Value::as_str).map(str::to_string);
    json!({
        "key": key,
        "article": Value::Null,
        "url": url,
        "link": url.as_deref().and_then(web_url).is_some(),
        "title": Value::Null,
        "date": Value::Null,
        "lang": s.get("language").or_else(|| s.get("lang")).and_then(Value::as_str),
        "confidence": confidence,
        "country": s.get("country").and_then(Value::as_str).unwrap_or(""),
        "city": city,
        "bureau": text_of(s.get("bureau"), &["canonical", "as_written"]),
        "pt": pt,
        "fields": fields,
        "evidence": evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{write_run, Fixture};

    fn data_of(html: &str) -> Value {
        let start = html
            .find("<script type=\"application/json\" id=\"outpost-data\">")
            .map(|i| i + 50)
            .expect("data script");
        let end = start + html[start..].find("</script>").expect("end");
        serde_json::from_str(&html[start..end]).expect("JSON data")
    }

    #[test]
    fn hostile_text_stays_inside_the_data_script() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_run(dir.path(), &Fixture::hostile()).expect("write");
        let run = RunOutput::read(dir.path()).expect("read");
        let html = render_records(&run, &PageOptions::default());
        // Exactly two script elements: the data and the page's own code.
        assert_eq!(html.matches("<script").count(), 2, "extra script tags");
        assert!(!html.contains("<img"));
        // Outside the data script nothing of the data appears.
        let start = html.find("id=\"outpost-data\">").expect("data");
        let end = start + html[start..].find("</script>").expect("end");
        let outside = format!("{}{}", &html[..start], &html[end..]);
        assert!(!outside.contains("__pwned"));
        assert!(html.contains("script-src 'sha256-"));
        let data = data_of(&html);
        let items = data["items"].as_array().expect("items");
        assert_eq!(items.len(), 5);
        // No item gets a clickable link: every URL of the hostile fixture is a script/data URL.
        assert!(items.iter().all(|i| i["link"] == false));
        // The hostile strings survive unchanged as data.
        let text = data.to_string();
        assert!(text.contains("<script>window.__pwned='script'</script>"));
        assert!(text.contains("javascript:window.__pwned='href'"));
    }

    #[test]
    fn records_are_ranked_and_evidence_highlighted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fx = Fixture::synthetic(30);
        write_run(dir.path(), &fx).expect("write");
        let run = RunOutput::read(dir.path()).expect("read");
        let data = data_of(&render_records(&run, &PageOptions::default()));
        let items = data["items"].as_array().expect("items");
        assert_eq!(items.len(), 30);
        let confs: Vec<f64> = items
            .iter()
            .filter_map(|i| i["confidence"].as_f64())
            .collect();
        assert!(
            confs.windows(2).all(|w| w[0] >= w[1]),
            "sorted by confidence"
        );
        for it in items {
            let ev = it["evidence"].as_array().expect("evidence");
            assert!(!ev.is_empty());
            let segs = ev[0].as_array().expect("segments");
            // The sentence's city is highlighted, and context surrounds the sentence.
            assert!(segs.iter().any(|s| s[1] == "CITY"), "{segs:?}");
            assert!(segs.iter().any(|s| s[1] == "c"));
            assert_eq!(it["link"], true);
            assert_eq!(
                it["fields"].as_array().map(Vec::len),
                Some(RECORD_FIELDS.len())
            );
        }

        // Without documents.jsonl the record's own values are highlighted in the sentence.
        std::fs::remove_file(dir.path().join("documents.jsonl")).expect("rm");
        let run = RunOutput::read(dir.path()).expect("read");
        let data = data_of(&render_records(&run, &PageOptions::default()));
        let items = data["items"].as_array().expect("items");
        for it in items {
            let segs = it["evidence"][0].as_array().expect("segments");
            assert!(segs.iter().any(|s| s[1] == "CITY"), "{segs:?}");
            assert!(!segs.iter().any(|s| s[1] == "c"));
            let joined: String = segs.iter().filter_map(|s| s[0].as_str()).collect();
            let key = it["key"].as_str().unwrap_or_default();
            assert!(!joined.is_empty(), "{key}");
        }
    }

    #[test]
    fn limit_and_threshold_keep_the_most_confident_and_stable_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fx = Fixture::synthetic(30);
        write_run(dir.path(), &fx).expect("write");
        let run = RunOutput::read(dir.path()).expect("read");
        let all = data_of(&render_records(&run, &PageOptions::default()));
        let opts = PageOptions {
            min_confidence: 0.3,
            limit: Some(5),
            ..PageOptions::default()
        };
        let some = data_of(&render_records(&run, &opts));
        let items = some["items"].as_array().expect("items");
        assert_eq!(items.len(), 5);
        assert_eq!(items[..], all["items"].as_array().expect("items")[..5]);
        let opts = PageOptions {
            min_confidence: 0.5,
            ..PageOptions::default()
        };
        let high = data_of(&render_records(&run, &opts));
        let n = fx.records.iter().filter(|r| r.confidence >= 0.5).count();
        assert_eq!(high["items"].as_array().map(Vec::len), Some(n));
    }

    #[test]
    fn record_fields_follow_the_declared_names() {
        let r = crate::fixture::Fixture::synthetic(1).records.remove(0);
        let names: Vec<&str> = record_fields(&r).iter().map(|f| f.0).collect();
        assert_eq!(names, RECORD_FIELDS);
        for f in crate::decision::CORRECTABLE_FIELDS {
            assert!(RECORD_FIELDS.contains(f), "{f} is shown");
        }
    }

    #[test]
    fn evidence_that_does_not_match_its_document_falls_back_to_the_sentence() {
        let mut fx = Fixture::synthetic(1);
        fx.documents[0].text = format!("Inserted prefix. {}", fx.documents[0].text);
        let dir = tempfile::tempdir().expect("tempdir");
        write_run(dir.path(), &fx).expect("write");
        let run = RunOutput::read(dir.path()).expect("read");
        let data = data_of(&render_records(&run, &PageOptions::default()));
        let segs = data["items"][0]["evidence"][0]
            .as_array()
            .expect("segments")
            .clone();
        let joined: String = segs.iter().filter_map(|s| s[0].as_str()).collect();
        assert_eq!(joined, fx.records[0].evidence[0].text);
        assert!(segs.iter().any(|s| s[1] == "CITY"));
    }

    #[test]
    fn needle_segments_cover_the_text_exactly() {
        let text = "在鹿特丹设立“警侨事务海外服务站”🚓，鹿特丹。";
        let segs = needle_segments(
            text,
            &[
                ("鹿特丹".into(), "CITY"),
                ("警侨事务海外服务站".into(), "STATION_TERM"),
            ],
        );
        let joined: String = segs.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(segs.iter().filter(|s| s.1 == "CITY").count(), 2);
    }

    #[test]
    fn stations_page_uses_generic_fields() {
        let s: Map<String, Value> = serde_json::from_str(
            r#"{"station_id":"st-1","confidence":0.8,"country":"NL","city":{"as_written":"鹿特丹","name_en":"Rotterdam","lat":51.9,"lon":4.5},
                "sources":[{"article_id":"a","evidence":[{"text":"在鹿特丹设站","start":0,"end":6}]}]}"#,
        )
        .expect("json");
        let data = data_of(&render_stations(&[s], &PageOptions::default()));
        let it = &data["items"][0];
        assert_eq!(it["key"], "st-1");
        assert_eq!(it["city"], "Rotterdam");
        assert_eq!(it["pt"][0], 51.9);
        assert!(it["evidence"][0].to_string().contains("CITY"));
        let fields = it["fields"].to_string();
        assert!(
            fields.contains(r#"["city.name_en","Rotterdam",null]"#),
            "{fields}"
        );
        assert!(fields.contains(r#"["sources","1 (a)",null]"#), "{fields}");
    }
}
