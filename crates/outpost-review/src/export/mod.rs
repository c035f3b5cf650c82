//! Exports of a run's records to formats other tools read as they are: JSON Lines, CSV
//! (RFC 4180), GeoJSON (RFC 7946) and Label Studio tasks.
//!
//! Every export is written to a temporary file beside the target and renamed into place when
//! complete, so a failed export leaves no partial file.

pub mod csv;
pub mod geojson;
pub mod jsonl;
pub mod label_studio;

use crate::decision::{apply_decisions, Decision, ReviewStatus, Reviewed};
use crate::error::{Result, ReviewError};
use crate::key::record_keys;
use crate::rundir::RunOutput;
use std::io::Write;
use std::path::Path;

/// Output formats of `outpost export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One `StationRecord` JSON object per line.
    Jsonl,
    /// One row per record, RFC 4180 (CRLF line ends, quotes doubled).
    Csv,
    /// A GeoJSON FeatureCollection of Point features, `[lon, lat]`.
    Geojson,
    /// A JSON array of Label Studio tasks with predictions.
    LabelStudio,
}

impl Format {
    /// Parses `jsonl`, `csv`, `geojson` or `label-studio`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "jsonl" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "geojson" => Some(Format::Geojson),
            "label-studio" => Some(Format::LabelStudio),
            _ => None,
        }
    }
}

/// Options shared by the exports.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Review decisions to apply first (corrections applied, status recorded).
    pub decisions: Option<Vec<Decision>>,
    /// Keep only records accepted in `decisions`.
    pub accepted_only: bool,
    /// Prefix CSV cells that start with `=`, `+`, `-`, `@`, tab or CR with `'`, so spreadsheet
    /// programs do not evaluate untrusted text as formulas.
    pub spreadsheet_safe: bool,
    /// `model_version` of Label Studio predictions.
    pub model_version: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Records, features or tasks written.
    pub written: usize,
    /// Records left out because they have no (valid) coordinates (GeoJSON).
    pub without_coordinates: usize,
    /// Records left out by `accepted_only`.
    pub not_accepted: usize,
    /// Label Studio spans left out because their text does not match the document at their offsets.
    pub bad_spans: usize,
    /// Label Studio spans written.
    pub spans: usize,
    /// Decisions that named no record of the run.
    pub unmatched_decisions: usize,
}

/// The run's records with keys and review status, after applying `opts.decisions` and
/// `opts.accepted_only`. The second value counts records dropped as not accepted, the third the
/// decisions that matched no record.
pub fn reviewed_records(run: &RunOutput, opts: &ExportOptions) -> (Vec<Reviewed>, usize, usize) {
    let keys = record_keys(&run.records);
    let (all, unmatched) = apply_decisions(
        &run.records,
        &keys,
        opts.decisions.as_deref().unwrap_or(&[]),
    );
    let before = all.len();
    let kept: Vec<Reviewed> = all
        .into_iter()
        .filter(|r| !opts.accepted_only || r.status == ReviewStatus::Accepted)
        .collect();
    let dropped = before - kept.len();
    (kept, dropped, unmatched.len())
}

/// Writes `run` in `format` to `out`.
///
/// Errors: [`ReviewError::Io`] / [`ReviewError::Export`] naming `out`. Nothing is left at `out`
/// on error.
pub fn export(
    run: &RunOutput,
    format: Format,
    out: &Path,
    opts: &ExportOptions,
) -> Result<ExportSummary> {
    let mut buf: Vec<u8> = Vec::new();
    let summary = match format {
        Format::Jsonl => jsonl::write(run, opts, &mut buf),
        Format::Csv => csv::write(run, opts, &mut buf),
        Format::Geojson => geojson::write(run, opts, &mut buf),
        Format::LabelStudio => label_studio::write(run, opts, &mut buf),
    }
    .map_err(|message| ReviewError::Export {
        path: out.to_path_buf(),
        message,
    })?;
    write_atomic(out, &buf)?;
    Ok(summary)
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
///
/// Errors: [`ReviewError::Io`] naming `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| ReviewError::io(path, e))?;
    tmp.write_all(bytes).map_err(|e| ReviewError::io(path, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| ReviewError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| ReviewError::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::parse_decisions;
    use crate::fixture::{write_run, Fixture};
    use serde_json::Value;

    fn run_of(fx: &Fixture) -> (tempfile::TempDir, RunOutput) {
        let dir = tempfile::tempdir().expect("tempdir");
        write_run(dir.path(), fx).expect("write");
        let run = RunOutput::read(dir.path()).expect("read");
        (dir, run)
    }

    /// Code-point slice computed independently of the code under test.
    fn cp_slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn csv_is_rfc4180_and_round_trips_hostile_text() {
        let fx = Fixture::hostile();
        let (dir, run) = run_of(&fx);
        let out = dir.path().join("out.csv");
        let s = export(&run, Format::Csv, &out, &ExportOptions::default()).expect("csv");
        assert_eq!(s.written, fx.records.len());
        let bytes = std::fs::read(&out).expect("read");
        let text = String::from_utf8(bytes).expect("utf8");
        assert!(text.contains("\r\n"));
        // Every line break outside quoted fields is CRLF.
        let mut rdr = ::csv::Reader::from_path(&out).expect("reader");
        let headers = rdr.headers().expect("headers").clone();
        assert_eq!(headers.len(), csv::COLUMNS.len());
        let rows: Vec<::csv::StringRecord> = rdr
            .records()
            .collect::<std::result::Result<_, _>>()
            .expect("rows");
        assert_eq!(rows.len(), fx.records.len());
        let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
        for (row, rec) in rows.iter().zip(&fx.records) {
            assert_eq!(&row[col("article_id")], rec.article_id);
            assert_eq!(&row[col("host_org")], rec.host_org.as_deref().unwrap_or(""));
            assert_eq!(&row[col("evidence")], rec.evidence[0].text);
        }
        // Spreadsheet-safe mode neutralises formula-looking cells but keeps negative numbers.
        let mut fx2 = Fixture::synthetic(3);
        fx2.records[0].host_org = Some("=HYPERLINK(\"http://x\")".into());
        let (dir2, run2) = run_of(&fx2);
        let out2 = dir2.path().join("safe.csv");
        let opts = ExportOptions {
            spreadsheet_safe: true,
            ..Default::default()
        };
        export(&run2, Format::Csv, &out2, &opts).expect("csv");
        let mut rdr = ::csv::Reader::from_path(&out2).expect("reader");
        let rows: Vec<::csv::StringRecord> = rdr
            .records()
            .collect::<std::result::Result<_, _>>()
            .expect("rows");
        assert!(rows
            .iter()
            .any(|r| r[col("host_org")].starts_with("'=HYPERLINK")));
        assert!(
            rows.iter().any(|r| r[col("lon")].starts_with('-')),
            "negative longitude kept"
        );
    }

    #[test]
    fn geojson_is_lon_lat_and_counts_records_without_coordinates() {
        let fx = Fixture::synthetic(40);
        let (dir, run) = run_of(&fx);
        let out = dir.path().join("out.geojson");
        let s = export(&run, Format::Geojson, &out, &ExportOptions::default()).expect("geojson");
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
        assert_eq!(v["type"], "FeatureCollection");
        let feats = v["features"].as_array().expect("features");
        assert_eq!(feats.len(), s.written);
        assert!(s.without_coordinates > 0);
        assert_eq!(s.written + s.without_coordinates, fx.records.len());
        for f in feats {
            let key = f["properties"]["record_key"].as_str().expect("key");
            let art = f["properties"]["article_id"].as_str().expect("article");
            let rec = fx
                .records
                .iter()
                .zip(crate::key::record_keys(&fx.records))
                .find(|(r, k)| r.article_id == art && k == key)
                .map(|(r, _)| r)
                .expect("record");
            let city = rec.city.as_ref().expect("city");
            assert_eq!(f["geometry"]["coordinates"][0].as_f64(), city.lon);
            assert_eq!(f["geometry"]["coordinates"][1].as_f64(), city.lat);
        }
    }

    #[test]
    fn label_studio_span_text_matches_code_point_offsets() {
        let mut fx = Fixture::mixed();
        fx.documents.extend(Fixture::hostile().documents);
        // Corrupt one span: its claimed text no longer matches its offsets.
        fx.documents[0].spans[0].start += 1;
        let (dir, run) = run_of(&fx);
        let out = dir.path().join("ls.json");
        let s = export(&run, Format::LabelStudio, &out, &ExportOptions::default()).expect("ls");
        assert_eq!(s.bad_spans, 1);
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
        let tasks = v.as_array().expect("array");
        assert_eq!(tasks.len(), fx.documents.len());
        let mut checked = 0;
        let mut astral = false;
        for t in tasks {
            let text = t["data"]["text"].as_str().expect("text");
            let p = &t["predictions"][0];
            assert!(p["model_version"]
                .as_str()
                .is_some_and(|m| m.starts_with("outpost-")));
            assert!(p["score"].as_f64().is_some());
            for r in p["result"].as_array().expect("result") {
                let (a, b) = (
                    r["value"]["start"].as_u64().expect("s") as usize,
                    r["value"]["end"].as_u64().expect("e") as usize,
                );
                assert_eq!(
                    cp_slice(text, a, b),
                    r["value"]["text"].as_str().expect("t")
                );
                assert_eq!(r["from_name"], "label");
                assert_eq!(r["to_name"], "text");
                astral |= text.chars().take(a).any(|c| c as u32 > 0xFFFF);
                checked += 1;
            }
        }
        assert_eq!(checked, s.spans);
        assert!(
            astral,
            "some span sits after an emoji, so UTF-16 offsets would differ"
        );
        assert!(checked > 20);

        // Without documents.jsonl: one task per evidence sentence.
        std::fs::remove_file(dir.path().join("documents.jsonl")).expect("rm");
        let run = RunOutput::read(dir.path()).expect("read");
        let s = export(&run, Format::LabelStudio, &out, &ExportOptions::default()).expect("ls");
        assert_eq!(s.bad_spans, 0);
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
        for t in v.as_array().expect("array") {
            let text = t["data"]["text"].as_str().expect("text");
            let res = t["predictions"][0]["result"].as_array().expect("result");
            assert!(!res.is_empty());
            for r in res {
                let (a, b) = (
                    r["value"]["start"].as_u64().expect("s") as usize,
                    r["value"]["end"].as_u64().expect("e") as usize,
                );
                assert_eq!(
                    cp_slice(text, a, b),
                    r["value"]["text"].as_str().expect("t")
                );
            }
        }
    }

    #[test]
    fn decisions_filter_and_correct_exports_and_failures_leave_no_file() {
        let fx = Fixture::synthetic(6);
        let (dir, run) = run_of(&fx);
        let keys = record_keys(&fx.records);
        let lines = format!(
            "{{\"article_id\":\"{a0}\",\"record_key\":\"{k0}\",\"decision\":\"accept\"}}\n\
             {{\"article_id\":\"{a1}\",\"record_key\":\"{k1}\",\"decision\":\"reject\"}}\n\
             {{\"article_id\":\"{a2}\",\"record_key\":\"{k2}\",\"decision\":\"correct\",\"field\":\"host_org\",\"value\":\"Fixed Org\"}}\n",
            a0 = fx.records[0].article_id, k0 = keys[0],
            a1 = fx.records[1].article_id, k1 = keys[1],
            a2 = fx.records[2].article_id, k2 = keys[2],
        );
        let ds = parse_decisions(lines.as_bytes(), Path::new("d")).expect("decisions");
        let opts = ExportOptions {
            decisions: Some(ds),
            accepted_only: true,
            ..Default::default()
        };
        let out = dir.path().join("acc.jsonl");
        let s = export(&run, Format::Jsonl, &out, &opts).expect("jsonl");
        assert_eq!((s.written, s.not_accepted), (2, 4));
        let text = std::fs::read_to_string(&out).expect("read");
        let recs: Vec<outpost_core::StationRecord> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("record"))
            .collect();
        assert_eq!(recs[0], fx.records[0]);
        assert_eq!(recs[1].host_org.as_deref(), Some("Fixed Org"));

        let bad = dir.path().join("no-such-dir").join("x.csv");
        assert!(export(&run, Format::Csv, &bad, &ExportOptions::default()).is_err());
        assert!(!bad.exists());
        assert_eq!(Format::parse("label-studio"), Some(Format::LabelStudio));
        assert_eq!(Format::parse("xml"), None);
    }
}
