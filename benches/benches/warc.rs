//! WARC.gz reading throughput (harness benchmark). Builds a `.warc.gz` in memory of about
//! `OUTPOST_BENCH_WARC_MB` (default 40) MB of uncompressed WARC: news-like HTML pages (menus,
//! related links, comments around an article of sentences from the shared NER train splits, en/es/zh,
//! with one zh page in four GBK-encoded and one es page in four windows-1252, declared only in the
//! HTTP header or a `<meta>`), each preceded by its `request` record, as crawlers write them.
//! Then, in one run, it measures
//!
//! * (a) gunzip + WARC record parsing only,
//! * (b) reading into `Document`s: (a) + HTTP parsing, charset detection and decoding, main-text
//!   extraction with the default extractor (dom_smoothie), title/URL/date,
//! * (b') the same with the baseline `html_to_text` extractor,
//!
//! * (c) reading as `outpost run` does: (a) + HTTP, charset, the whole-page text screened by the
//!   standard pipeline's pre-filter, Readability main text only for pages that pass
//!   (`ScreenedExtractor`),
//!   (also on 2 threads: the reader converts batches of records in parallel, while gunzip is one
//!   stream),
//! * (d) (c) + the whole standard pipeline (language, recognizers, records) on every document,
//!
//! and prints MB/s (of uncompressed WARC) for each, the ratios to (a), all on one
//! thread; then (b) again on a 2-thread rayon pool (the reader converts batches of records in
//! parallel). For reference it also prints the speed of gunzip alone. Each figure is the median of
//! `OUTPOST_BENCH_RUNS` (default 3) runs.
//!
//! The 1-thread figures are printed twice: by wall time, and by the CPU time of the thread that
//! does the work (Linux `/proc/thread-self/stat`, 10 ms ticks), since on a shared, loaded machine
//! the wall-clock ratios between phases measured seconds apart swing by ±0.1.
//!
//! `cargo bench -p outpost-benches --bench warc`

use flate2::read::MultiGzDecoder;
use outpost_io::extract::{BaselineExtractor, ScreenedExtractor, TextExtractor};
use outpost_io::pages::{SkipCounts, WarcDocuments};
use outpost_io::warc::{WarcReader, WarcWriter};
use outpost_match::eval::thread_cpu_seconds;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn conll_sentences(path: &Path, cjk: bool) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join(if cjk { "" } else { " " }));
                cur.clear();
            }
        } else if let Some(tok) = line.split(['\t', ' ']).next() {
            cur.push(tok.to_string());
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One page: boilerplate (taken from other sentences of the pool, as real menus and comments are
/// text too) around an article of 8-15 sentences.
fn page(pool: &[String], lang: &str, i: usize, charset_meta: Option<&str>) -> String {
    let s = |k: usize| -> &str { &pool[(i * 7919 + k * 104_729) % pool.len()] };
    let sep = if lang == "zh" { "" } else { " " };
    let mut h = String::with_capacity(8 << 10);
    h.push_str(&format!("<!DOCTYPE html><html lang=\"{lang}\"><head>"));
    if let Some(cs) = charset_meta {
        h.push_str(&format!("<meta charset=\"{cs}\">"));
    }
    h.push_str(&format!(
        "<title>{} | Site {}</title><meta property=\"article:published_time\" content=\"2022-{:02}-{:02}\">\
         <script>var dl=[];function t(){{}}</script><style>.nav{{display:flex}}</style></head><body>",
        esc(s(0)),
        i % 17,
        i % 12 + 1,
        i % 28 + 1
    ));
    h.push_str("<div class=\"cookie-banner\">We use cookies. <button>OK</button></div><nav class=\"menu\"><ul>");
    for k in 0..8 {
        h.push_str(&format!("<li><a href=\"/s/{k}\">Section {k}</a></li>"));
    }
    h.push_str("</ul></nav><main><article><h1>");
    h.push_str(&esc(s(0)));
    h.push_str("</h1><p class=\"byline\">Staff reporter</p>");
    let n = 8 + i % 8;
    for k in 1..=n {
        if k % 3 == 1 {
            h.push_str("<p>");
        }
        h.push_str(&esc(s(k)));
        h.push_str(sep);
        if k % 3 == 0 || k == n {
            h.push_str("</p>");
        }
    }
    h.push_str("</article><div class=\"related\"><h3>Related</h3><ul>");
    for k in 0..5 {
        h.push_str(&format!(
            "<li><a href=\"/r/{}\">{}</a></li>",
            i + k,
            esc(s(100 + k))
        ));
    }
    h.push_str("</ul></div><section id=\"comments\"><h3>Comments</h3>");
    for k in 0..3 {
        h.push_str(&format!(
            "<div class=\"comment\"><span class=\"author\">user{k}</span><p>{}</p></div>",
            esc(s(200 + k))
        ));
    }
    h.push_str("</section></main><footer>© News site. Privacy · Terms</footer></body></html>");
    h
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let data = std::env::var_os("OUTPOST_DATA")
        .map(std::path::PathBuf::from)
        .filter(|p| p.exists())
        .or_else(outpost_benches::shared_data);
    let Some(data) = data else {
        eprintln!("notice: ../shared/data not found; warc bench skipped");
        return;
    };
    let target_mb: usize = std::env::var("OUTPOST_BENCH_WARC_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let runs: usize = std::env::var("OUTPOST_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let pools = [
        (
            conll_sentences(&data.join("ner/conll2003_en/train.conll"), false),
            "en",
        ),
        (
            conll_sentences(&data.join("ner/conll2002_es/train.conll"), false),
            "es",
        ),
        (
            conll_sentences(&data.join("ner/cluener2020/train.conll"), true),
            "zh",
        ),
    ];
    if pools.iter().any(|(p, _)| p.is_empty()) {
        eprintln!("notice: NER train splits missing; warc bench skipped");
        return;
    }

    // Build the WARC.gz.
    let started = Instant::now();
    let mut w = WarcWriter::gzip(Vec::new());
    if let Err(e) = w.write_warcinfo(
        "2022-10-05T00:00:00Z",
        "bench.warc.gz",
        "software: outpost bench\r\n",
    ) {
        eprintln!("cannot write WARC: {e}");
        return;
    }
    let mut raw_bytes = 0usize;
    let mut pages = 0usize;
    while raw_bytes < target_mb * 1_000_000 {
        let (pool, lang) = &pools[pages % 3];
        let url = format!("https://news{}.example/{lang}/{pages}", pages % 17);
        let date = format!("2022-10-05T{:02}:{:02}:00Z", pages / 60 % 24, pages % 60);
        let variant = pages / 3 % 4;
        let (payload, ct) = match (*lang, variant) {
            ("zh", 0) => {
                let html = page(pool, lang, pages, None);
                let (b, _, _) = encoding_rs::GBK.encode(&html);
                (b.into_owned(), "text/html; charset=GBK")
            }
            ("es", 0) => {
                let html = page(pool, lang, pages, Some("windows-1252"));
                let (b, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
                (b.into_owned(), "text/html")
            }
            _ => (
                page(pool, lang, pages, Some("utf-8")).into_bytes(),
                "text/html; charset=utf-8",
            ),
        };
        let ok = w
            .write_request(&url, &date)
            .and_then(|_| w.write_response(&url, &date, ct, &payload));
        if let Err(e) = ok {
            eprintln!("cannot write WARC: {e}");
            return;
        }
        raw_bytes += payload.len() + 600;
        pages += 1;
    }
    let gz = match w.finish() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot write WARC: {e}");
            return;
        }
    };
    eprintln!(
        "built {pages} pages, {:.1} MB gzip, in {:.1}s",
        gz.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    // Reference: gunzip alone.
    let mut g_speeds = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let n = std::io::copy(&mut MultiGzDecoder::new(&gz[..]), &mut std::io::sink()).unwrap_or(0);
        g_speeds.push(n as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    let g = median(g_speeds);

    // (a) gunzip + WARC parsing.
    let mut warc_bytes = 0u64;
    let mut a_speeds = Vec::new();
    let mut a_cpu = Vec::new();
    for _ in 0..runs {
        let c0 = thread_cpu_seconds();
        let t = Instant::now();
        let mut reader = WarcReader::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(&gz[..]),
        ));
        let mut records = 0usize;
        let mut body = 0usize;
        for r in reader.by_ref() {
            match r {
                Ok(rec) => {
                    records += 1;
                    body += rec.body.len();
                }
                Err(e) => eprintln!("unexpected error: {e}"),
            }
        }
        std::hint::black_box((records, body));
        warc_bytes = reader.bytes_read();
        a_speeds.push(warc_bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
        a_cpu.push(cpu_speed(warc_bytes, c0));
    }
    let a = median(a_speeds);
    let a_cpu = median(a_cpu);

    // MB/s by wall time and, on one thread, by the CPU time of the measuring thread.
    let measure = |extractor: Arc<dyn TextExtractor>| -> (Speed, usize, usize) {
        let mut speeds = Vec::new();
        let mut cpu = Vec::new();
        let mut docs = 0;
        let mut text = 0;
        for _ in 0..runs {
            let c0 = thread_cpu_seconds();
            let t = Instant::now();
            let reader = WarcReader::new(BufReader::with_capacity(
                1 << 16,
                MultiGzDecoder::new(&gz[..]),
            ));
            let (mut d, mut tx) = (0usize, 0usize);
            for item in WarcDocuments::new(
                reader,
                "bench.warc.gz",
                extractor.clone(),
                SkipCounts::default(),
            ) {
                match item {
                    Ok(doc) => {
                        d += 1;
                        tx += doc.text.len();
                    }
                    Err(e) => eprintln!("unexpected error: {}", e.reason),
                }
            }
            speeds.push(warc_bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
            cpu.push(cpu_speed(warc_bytes, c0));
            docs = d;
            text = tx;
        }
        (
            Speed {
                wall: median(speeds),
                cpu: median(cpu),
            },
            docs,
            text,
        )
    };
    let pool = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| eprintln!("cannot build a thread pool: {e}"))
    };
    let (Ok(one), Ok(two)) = (pool(1), pool(2)) else {
        return;
    };
    let (
        Speed {
            wall: b,
            cpu: b_cpu,
        },
        docs,
        text_b,
    ) = one.install(|| measure(outpost_io::default_extractor()));
    let (
        Speed {
            wall: b0,
            cpu: b0_cpu,
        },
        _,
        text_b0,
    ) = one.install(|| measure(Arc::new(BaselineExtractor)));
    let (Speed { wall: b2, .. }, _, _) = two.install(|| measure(outpost_io::default_extractor()));

    // (c) as `outpost run` reads web pages: screened on the whole text by the pipeline's
    // pre-filter, main text extracted only for pages that pass; (d) (c) + the whole pipeline.
    let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let pipeline = match outpost_extract::standard::build(
        &models,
        outpost_extract::standard::Options::default(),
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("notice: cannot build the pipeline ({e}); (c) and (d) skipped");
            return;
        }
    };
    let Some(check) = pipeline.prefilter_check() else {
        eprintln!("notice: the standard pipeline has no pre-filter; (c) and (d) skipped");
        return;
    };
    let screened: Arc<dyn TextExtractor> = Arc::new(ScreenedExtractor::new(
        check.clone(),
        outpost_io::default_extractor(),
    ));
    let (
        Speed {
            wall: c,
            cpu: c_cpu,
        },
        _,
        text_c,
    ) = one.install(|| measure(screened.clone()));
    let (Speed { wall: c2, .. }, _, _) = two.install(|| measure(screened.clone()));
    let passed = {
        let reader = WarcReader::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(&gz[..]),
        ));
        WarcDocuments::new(
            reader,
            "bench.warc.gz",
            screened.clone(),
            SkipCounts::default(),
        )
        .filter_map(Result::ok)
        .filter(|d| check(&d.text))
        .count()
    };
    let mut d_speeds = Vec::new();
    let mut d_cpu = Vec::new();
    let mut relevant = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let reader = WarcReader::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(&gz[..]),
        ));
        let docs = WarcDocuments::new(
            reader,
            "bench.warc.gz",
            screened.clone(),
            SkipCounts::default(),
        );
        let (n, cpu) = one.install(|| {
            let c0 = thread_cpu_seconds();
            let n = docs
                .filter_map(Result::ok)
                .map(|doc| pipeline.process(doc))
                .filter(|o| o.summary.relevance >= 0.5)
                .count();
            (n, cpu_speed(warc_bytes, c0))
        });
        relevant = n;
        d_speeds.push(warc_bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
        d_cpu.push(cpu);
    }
    let d = median(d_speeds);
    let d_cpu = median(d_cpu);
    println!(
        "warc.gz: {pages} pages, {:.1} MB uncompressed WARC, {:.1} MB gzip; {runs} runs, median, 1 thread",
        warc_bytes as f64 / 1e6,
        gz.len() as f64 / 1e6
    );
    println!("     gunzip alone (reference):                   {g:8.1} MB/s");
    println!("(a)  gunzip + WARC parse:                        {a:8.1} MB/s");
    let ratio = |x: f64| x / a;
    println!(
        "(b)  + HTTP, charset, readability extraction:    {b:8.1} MB/s  ({docs} documents, {:.1} MB text)  (b)/(a) = {:.3}",
        text_b as f64 / 1e6,
        ratio(b)
    );
    println!(
        "(b') + HTTP, charset, baseline html_to_text:     {b0:8.1} MB/s  ({:.1} MB text)  (b')/(a) = {:.3}",
        text_b0 as f64 / 1e6,
        ratio(b0)
    );
    println!(
        "(c)  + HTTP, charset, screened readability:      {c:8.1} MB/s  ({passed} of {docs} pages pass the pre-filter, {:.1} MB text)  (c)/(a) = {:.3}",
        text_c as f64 / 1e6,
        ratio(c)
    );
    println!(
        "(c)  on 2 threads:                               {c2:8.1} MB/s  (c, 2 threads)/(a, 1 thread) = {:.3}",
        c2 / a
    );
    println!(
        "(d)  (c) + the whole pipeline (outpost run):     {d:8.1} MB/s  ({relevant} relevant)  (d)/(a) = {:.3}",
        ratio(d)
    );
    println!(
        "(b)  on 2 threads:                               {b2:8.1} MB/s  (b, 2 threads)/(a, 1 thread) = {:.3}; 2 threads / 1 thread = {:.2}x",
        b2 / a,
        b2 / b
    );
    println!(
        "by CPU time of the measuring thread (1 thread; robust to other load on the machine, 10 ms ticks):"
    );
    println!(
        "     (a) {a_cpu:.1} MB/s; (b) {b_cpu:.1}, (b)/(a) = {:.3}; (b') {b0_cpu:.1}, {:.3}; **(c) {c_cpu:.1}, (c)/(a) = {:.3}**; (d) {d_cpu:.1}, {:.3}",
        b_cpu / a_cpu,
        b0_cpu / a_cpu,
        c_cpu / a_cpu,
        d_cpu / a_cpu
    );
}

/// A speed in MB/s, by wall time and by the CPU time of the measuring thread.
struct Speed {
    wall: f64,
    cpu: f64,
}

/// MB/s of `bytes` over the CPU time this thread used since `start` (NaN where unreadable).
fn cpu_speed(bytes: u64, start: Option<f64>) -> f64 {
    match (start, thread_cpu_seconds()) {
        (Some(a), Some(b)) if b > a => bytes as f64 / 1e6 / (b - a),
        _ => f64::NAN,
    }
}
