//! End-to-end: `outpost review` and `outpost export` on a synthetic run directory, including bad
//! input that must be reported with file and line and leave no output behind.

use outpost_review::fixture::{write_run, Fixture};
use std::path::Path;
use std::process::{Command, Output};

fn outpost(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outpost"))
        .args(args)
        .output()
        .expect("run outpost")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn review_and_export_a_run_and_report_bad_input() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = tmp.path().join("run");
    write_run(&run, &Fixture::synthetic(20)).expect("fixture");

    let page = tmp.path().join("review.html");
    let o = outpost(&["review", s(&run), "-o", s(&page)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&page).expect("page");
    assert!(html.contains("id=\"outpost-data\"") && html.contains("Content-Security-Policy"));

    let geo = tmp.path().join("x.geojson");
    let o = outpost(&["export", s(&run), "--format", "geojson", "-o", s(&geo)]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("18 features, 2 records without coordinates skipped"),
        "{err}"
    );

    // A decisions file: accept one record, then export only accepted records as CSV.
    let decisions = tmp.path().join("decisions.jsonl");
    let first = std::fs::read_to_string(run.join("candidates.jsonl")).expect("candidates");
    let rec: serde_json::Value =
        serde_json::from_str(first.lines().next().expect("line")).expect("json");
    let key = format!(
        "{}/{}",
        rec["country"].as_str().expect("country"),
        rec["city"]["name_en"].as_str().expect("city")
    );
    let line = serde_json::json!({"article_id": rec["article_id"], "record_key": key, "decision": "accept"});
    std::fs::write(&decisions, format!("{line}\n")).expect("write");
    let csv = tmp.path().join("acc.csv");
    let o = outpost(&[
        "export",
        s(&run),
        "--format",
        "csv",
        "-o",
        s(&csv),
        "--decisions",
        s(&decisions),
        "--accepted-only",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&csv).expect("csv");
    assert_eq!(text.lines().count(), 2, "header + the accepted record");
    assert!(text.contains(",accepted,"));

    // A bad decisions line names the file and line; no output file appears.
    std::fs::write(
        &decisions,
        format!("{line}\n{{\"article_id\":\"a\",\"record_key\":\"k\",\"decision\":\"maybe\"}}\n"),
    )
    .expect("write");
    let csv2 = tmp.path().join("never.csv");
    let o = outpost(&[
        "export",
        s(&run),
        "--format",
        "csv",
        "-o",
        s(&csv2),
        "--decisions",
        s(&decisions),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("decisions.jsonl:2:"));
    assert!(!csv2.exists());

    // A malformed candidates line: error with file and line, no page written.
    let cands = run.join("candidates.jsonl");
    std::fs::write(&cands, format!("{first}{{not json\n")).expect("write");
    let page2 = tmp.path().join("never.html");
    let o = outpost(&["review", s(&run), "-o", s(&page2)]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("candidates.jsonl:21:"));
    assert!(!page2.exists());

    // --accepted-only needs --decisions.
    let o = outpost(&[
        "export",
        s(&run),
        "--format",
        "csv",
        "-o",
        s(&csv2),
        "--accepted-only",
    ]);
    assert!(!o.status.success());
}
