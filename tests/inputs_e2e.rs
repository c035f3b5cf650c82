//! End-to-end test of `outpost run` on the web inputs: a WARC.gz (with request/metadata records and
//! one malformed record), an undeclared GBK HTML page and a zstd-compressed JSON Lines file, named
//! by a glob. Every input record must be accounted for, and titles, URLs and dates carried.

use outpost_io::warc::WarcWriter;
use std::io::Write;
use std::path::Path;
use std::process::Command;

fn read_lines(p: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(p)
        .unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

const EN: &str = "<!DOCTYPE html><html lang=\"en\"><head><title>Police station row | The Courier</title>\
<meta property=\"article:published_time\" content=\"2022-10-28\"></head><body>\
<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav>\
<article><h1>Police station row</h1>\
<p>The Fuzhou public security bureau opened an overseas police service station in Dublin, Ireland, according to a report by Safeguard Defenders published this month.</p>\
<p>Irish officials said the overseas police service station on Capel Street had been told to close, and that the Department of Foreign Affairs had raised the matter with the Chinese embassy.</p>\
<p>The station offered to renew Chinese driving licences, the report said, but it was also accused of pressuring people to return to China.</p>\
</article><div class=\"related\"><h3>Related</h3><ul><li><a href=\"/a\">Ferry fares rise</a></li></ul></div>\
<section id=\"comments\"><p>Great reporting as always.</p></section></body></html>";

const ES: &str = "<html lang=\"es\"><head><title>Comisaría china en Madrid</title></head><body>\
<article><p>La Policía investiga una supuesta comisaría china en Madrid vinculada a la oficina de seguridad pública de Qingtian, según la organización Safeguard Defenders.</p>\
<p>El Ministerio del Interior confirmó que agentes visitaron el local, que ofrecía trámites como la renovación del permiso de conducir chino.</p></article></body></html>";

const ZH: &str = "<html><head><title>海外警务服务站引发关注</title></head><body><div class=\"nav\">首页 国际 财经</div>\
<article><p>据报道，福州市公安局在爱尔兰都柏林设立了海外警务服务站，爱尔兰外交部已要求该站点关闭。</p>\
<p>人权组织保护卫士发布报告称，这些海外警务服务站以代办驾照换证等业务为名，对当地华人施加压力。</p></article></body></html>";

#[test]
fn warc_gbk_and_zstd_inputs_are_all_accounted_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");

    // WARC.gz: warcinfo, request + response (UTF-8), a malformed record, request + response
    // (windows-1252, declared in the HTTP header only), a metadata record.
    let mut w = WarcWriter::gzip(Vec::new());
    w.write_warcinfo("2022-11-01T00:00:00Z", "news.warc.gz", "software: test\r\n")
        .expect("w");
    let url_en = "https://courier.example/world/police-station";
    w.write_request(url_en, "2022-11-01T10:00:00Z").expect("w");
    let id_en = w
        .write_response(
            url_en,
            "2022-11-01T10:00:00Z",
            "text/html; charset=utf-8",
            EN.as_bytes(),
        )
        .expect("w");
    let mut bytes = w.finish().expect("finish");
    let mut bad = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    bad.write_all(
        b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\n<p>x</p>\r\n\r\n",
    )
    .expect("gz");
    bytes.extend(bad.finish().expect("gz"));
    let mut w = WarcWriter::gzip(Vec::new()).seed(7);
    let url_es = "https://diario.example.es/madrid/comisaria";
    w.write_request(url_es, "2022-12-05T09:00:00Z").expect("w");
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(ES);
    w.write_response(
        url_es,
        "2022-12-05T09:00:00Z",
        "text/html; charset=ISO-8859-1",
        &latin1,
    )
    .expect("w");
    w.write_record(
        "metadata",
        &[("WARC-Target-URI", url_es)],
        b"fetchTimeMs: 12\r\n",
    )
    .expect("w");
    bytes.extend(w.finish().expect("finish"));
    std::fs::write(inputs.join("news.warc.gz"), bytes).expect("write");

    // An HTML page in GBK with no charset declaration anywhere.
    let (gbk, _, _) = encoding_rs::GBK.encode(ZH);
    std::fs::write(inputs.join("zh.html"), &gbk).expect("write");

    // JSON Lines, zstd-compressed, with one broken line (line 2).
    let jsonl = "{\"id\":\"j1\",\"text\":\"Prato police said no overseas police station operated in the city.\",\"url\":\"https://x.example/j1\"}\n\
                 {broken\n\
                 {\"id\":\"j3\",\"text\":\"Los vecinos celebraron el Año Nuevo chino.\",\"date\":\"2023-01-22\"}\n";
    let zst = zstd::stream::encode_all(jsonl.as_bytes(), 3).expect("zstd");
    std::fs::write(inputs.join("more.jsonl.zst"), zst).expect("write");

    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_outpost"))
        .args(["run", "--no-progress", "--jobs", "2", "-o"])
        .arg(&out)
        .arg(format!("{}/*", inputs.display()))
        .arg(format!("{}/*.warc", inputs.display()))
        .status()
        .expect("runs");
    assert!(status.success());

    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("manifest.json")).expect("manifest"),
    )
    .expect("manifest JSON");
    let c = &manifest["counts"];
    let (read, processed, failed) = (
        c["read"].as_u64().unwrap_or(0),
        c["processed"].as_u64().unwrap_or(0),
        c["failed"].as_u64().unwrap_or(0),
    );
    assert_eq!(read, processed + failed);
    // WARC: 2 pages + 1 malformed; GBK page: 1; zst: 2 + 1 broken; glob `*.warc`: matches nothing.
    assert_eq!((read, processed, failed), (8, 5, 3), "{manifest}");
    let skipped = &manifest["skipped_records"];
    assert_eq!(skipped["request"], 2);
    assert_eq!(skipped["warcinfo"], 1);
    assert_eq!(skipped["metadata"], 1);

    let errors = read_lines(&out.join("errors.jsonl"));
    assert_eq!(errors.len(), 3);
    // Sources in sorted order: more.jsonl.zst, news.warc.gz, zh.html, then the empty glob.
    assert_eq!(errors[0]["line"], 2);
    assert!(errors[0]["file"]
        .as_str()
        .unwrap_or("")
        .ends_with("more.jsonl.zst"));
    let warc_err = &errors[1];
    assert!(warc_err["file"]
        .as_str()
        .unwrap_or("")
        .ends_with("news.warc.gz"));
    assert_eq!(warc_err["record"], 4);
    assert!(warc_err["reason"]
        .as_str()
        .unwrap_or("")
        .contains("Content-Length"));
    assert!(errors[2]["reason"]
        .as_str()
        .unwrap_or("")
        .contains("matched no input file"));

    let articles = read_lines(&out.join("articles.jsonl"));
    let ids: Vec<&str> = articles.iter().filter_map(|a| a["id"].as_str()).collect();
    let id_en = id_en.trim_matches(['<', '>']);
    assert_eq!(ids.len(), 5);
    assert!(ids.contains(&id_en) && ids.contains(&"j1") && ids.contains(&"j3"));
    assert!(ids.iter().any(|i| i.ends_with("zh.html")));

    // The station reports are relevant, so their documents carry the metadata.
    let docs = read_lines(&out.join("documents.jsonl"));
    let en = docs
        .iter()
        .find(|d| d["id"] == id_en)
        .expect("the English WARC page is relevant");
    assert_eq!(en["url"], url_en);
    assert_eq!(
        en["title"]
            .as_str()
            .map(|t| t.contains("Police station row")),
        Some(true)
    );
    assert_eq!(en["date"], "2022-10-28");
    let en_text = en["text"].as_str().unwrap_or("");
    assert!(en_text.contains("Capel Street"));
    assert!(!en_text.contains("Ferry fares"), "{en_text}");
    let es = docs
        .iter()
        .find(|d| d["url"] == url_es)
        .expect("the Spanish WARC page is relevant");
    assert!(es["text"]
        .as_str()
        .unwrap_or("")
        .contains("comisaría china"));
    assert_eq!(es["date"], "2022-12-05T09:00:00Z");
    let zh = docs
        .iter()
        .find(|d| d["id"].as_str().is_some_and(|i| i.ends_with("zh.html")))
        .expect("the GBK page is relevant");
    assert_eq!(zh["title"], "海外警务服务站引发关注");
    assert!(zh["text"].as_str().unwrap_or("").contains("福州市公安局"));

    // Screening pages on their whole text before main-text extraction changes no record: the same
    // run without the pre-filter (every page through Readability) gives the same candidates.
    let out2 = dir.path().join("out-no-prefilter");
    let status = Command::new(env!("CARGO_BIN_EXE_outpost"))
        .args([
            "run",
            "--no-progress",
            "--no-prefilter",
            "--jobs",
            "2",
            "-o",
        ])
        .arg(&out2)
        .arg(format!("{}/*", inputs.display()))
        .arg(format!("{}/*.warc", inputs.display()))
        .status()
        .expect("runs");
    assert!(status.success());
    let candidates = |d: &Path| std::fs::read_to_string(d.join("candidates.jsonl")).expect("read");
    assert!(!candidates(&out).is_empty());
    assert_eq!(candidates(&out), candidates(&out2));
}
