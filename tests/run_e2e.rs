//! End-to-end tests of `outpost run`: accounting of every input record, bad input, determinism
//! across thread counts, stream mode.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn outpost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_outpost"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_lines(p: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(p)
        .unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn manifest_counts(dir: &Path) -> (u64, u64, u64) {
    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"),
    )
    .expect("manifest JSON");
    let c = &m["counts"];
    (
        c["read"].as_u64().unwrap_or(u64::MAX),
        c["processed"].as_u64().unwrap_or(u64::MAX),
        c["failed"].as_u64().unwrap_or(u64::MAX),
    )
}

#[test]
fn bad_input_is_accounted_for_and_the_batch_continues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    let mut f = std::fs::File::create(&input).expect("create");
    f.write_all(b"{\"id\":\"ok1\",\"text\":\"The Fuzhou police opened an overseas police service station in Dublin.\"}\n")
        .expect("w");
    f.write_all(b"{\"id\":\"bad-utf8\",\"text\":\"\xc3\x28\"}\n")
        .expect("w");
    f.write_all(b"{\"id\":\"broken\",\n").expect("w");
    f.write_all(b"{\"id\":\"no-text\",\"title\":\"x\"}\n")
        .expect("w");
    f.write_all(b"{\"id\":\"ok2\",\"text\":\"Una comisar\xc3\xada china en Madrid.\"}\n")
        .expect("w");
    drop(f);
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, b"").expect("write");
    // A 50 MB single document.
    let big = dir.path().join("big.jsonl");
    let sentence =
        "Los vecinos de Prato celebraron el A\u{f1}o Nuevo chino con farolillos y dragones. ";
    let body = sentence.repeat(50_000_000 / sentence.len() + 1);
    let line = serde_json::json!({"id": "big", "text": body});
    std::fs::write(&big, format!("{line}\n")).expect("write big");
    let out = dir.path().join("out");
    let status = outpost()
        .args(["run", "--no-progress", "-o"])
        .arg(&out)
        .arg(&input)
        .arg(&empty)
        .arg(&big)
        .arg(dir.path().join("missing.jsonl"))
        .status()
        .expect("runs");
    assert!(status.success());
    let (read, processed, failed) = manifest_counts(&out);
    assert_eq!(read, processed + failed);
    assert_eq!((read, processed, failed), (7, 3, 4));
    let errors = read_lines(&out.join("errors.jsonl"));
    assert_eq!(errors.len(), 4);
    let lines: Vec<u64> = errors.iter().filter_map(|e| e["line"].as_u64()).collect();
    assert_eq!(lines, vec![2, 3, 4]);
    assert!(errors[0]["reason"].as_str().unwrap_or("").contains("UTF-8"));
    assert!(errors[2]["reason"].as_str().unwrap_or("").contains("text"));
    assert!(errors[3]["file"]
        .as_str()
        .unwrap_or("")
        .contains("missing.jsonl"));
    let articles = read_lines(&out.join("articles.jsonl"));
    let ids: Vec<&str> = articles.iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(ids, vec!["ok1", "ok2", "big"]);
    // No temporary files left behind.
    for e in std::fs::read_dir(&out).expect("ls") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "leftover {name}");
    }
}

#[test]
fn output_is_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = repo().join("corpora/sample");
    let mut outs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("out{jobs}"));
        let status = outpost()
            .args(["run", "--no-progress", "--jobs", jobs, "-o"])
            .arg(&out)
            .arg(&sample)
            .status()
            .expect("runs");
        assert!(status.success());
        outs.push(out);
    }
    for f in [
        "candidates.jsonl",
        "articles.jsonl",
        "documents.jsonl",
        "errors.jsonl",
    ] {
        let a = std::fs::read(outs[0].join(f)).expect("read");
        let b = std::fs::read(outs[1].join(f)).expect("read");
        assert!(a == b, "{f} differs between --jobs 1 and --jobs 2");
    }
    let (read, processed, failed) = manifest_counts(&outs[0]);
    assert_eq!(read, processed + failed);
    assert!(read >= 10, "sample corpus has at least 10 articles");
}

#[test]
fn prefilter_changes_nothing_but_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = repo().join("corpora/sample");
    let mut outs = Vec::new();
    for flag in [None, Some("--no-prefilter")] {
        let out = dir.path().join(format!("out{}", outs.len()));
        let status = outpost()
            .args(["run", "--no-progress", "-o"])
            .arg(&out)
            .args(flag)
            .arg(&sample)
            .status()
            .expect("runs");
        assert!(status.success());
        outs.push(out);
    }
    let a = std::fs::read(outs[0].join("candidates.jsonl")).expect("read");
    let b = std::fs::read(outs[1].join("candidates.jsonl")).expect("read");
    assert!(!a.is_empty(), "the sample corpus yields candidates");
    assert!(a == b, "candidates differ with and without the pre-filter");
    let (with, without) = (
        read_lines(&outs[0].join("articles.jsonl")),
        read_lines(&outs[1].join("articles.jsonl")),
    );
    assert_eq!(with.len(), without.len());
    for (x, y) in with.iter().zip(&without) {
        assert_eq!(x["id"], y["id"]);
        assert_eq!(x["relevance"], y["relevance"]);
        assert_eq!(x["records"], y["records"]);
    }
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(outs[0].join("manifest.json")).expect("manifest"),
    )
    .expect("json");
    let screened = manifest["counts"]["screened_out"].as_u64().expect("count");
    assert!(screened >= 1, "the sample's negatives are screened out");
}

#[test]
fn stream_mode_gives_one_line_per_input_line() {
    let input = [
        r#"{"id":"s1","text":"Nada que ver aquí."}"#,
        "not json at all",
        r#"{"id":"s3","text":"福州市公安局在海外设立警务服务站。"}"#,
        r#"{"id":"s4"}"#,
    ]
    .join("\n");
    let lines = run_stream(&input);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "s1");
    assert!(lines[0]["error"].is_null());
    assert_eq!(lines[1]["error"]["line"], 2);
    assert_eq!(lines[2]["id"], "s3");
    assert_eq!(lines[3]["id"], "s4");
    assert!(lines[3]["error"]["reason"]
        .as_str()
        .unwrap_or("")
        .contains("text"));
}

/// Runs `outpost run -` (stream mode) on `input` and returns its output lines as JSON.
fn run_stream(input: &str) -> Vec<serde_json::Value> {
    let mut child = outpost()
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}

/// Runs `outpost run -` on one article and returns its candidates' (country, English city name).
fn candidates_of(text: &str, lang: &str) -> Vec<(String, Option<String>)> {
    let line = serde_json::json!({"id": "a", "lang": lang, "text": text}).to_string();
    let lines = run_stream(&line);
    assert_eq!(lines.len(), 1);
    lines[0]["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|r| {
            (
                r["country"].as_str().unwrap_or("").to_string(),
                r["city"]["name_en"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn outlets_reporting_groups_continents_and_embassies_are_not_station_places() {
    let en = "A Chinese police station operated in Dublin, the Spain-based NGO Safeguard Defenders \
              said. The New York Times and Voice of America also reported on the Chinese police \
              station. Investigations followed across Europe and North America, and a human \
              rights group based in Spain published the list. The Chinese embassy in Rome denied it.";
    assert_eq!(
        candidates_of(en, "en"),
        [("IE".to_string(), Some("Dublin".to_string()))]
    );
    let es = "Una comisaría china funcionaba en Dublín, según la ONG española Safeguard \
              Defenders, citada por la revista estadounidense Newsweek. El informe (en inglés) \
              abarca también América Latina.";
    assert_eq!(
        candidates_of(es, "es"),
        [("IE".to_string(), Some("Dublin".to_string()))]
    );
    let zh = "据《纽约时报》和美国之音报道，西班牙人权组织「保护卫士」称，福州市公安局在都柏林设立了海外警务服务站。";
    assert_eq!(
        candidates_of(zh, "zh"),
        [("IE".to_string(), Some("Dublin".to_string()))]
    );
}
