//! Gazetteer scan benchmark for outpost-match.
//!
//! Builds ~4 MB of news-like text at run time from `../shared/data` (the dev articles and the
//! language-id sentences in en/es/zh, interleaved; nothing is copied into the repo) and times, per
//! core (criterion runs one thread; the printed figures are MB per CPU-second of the bench thread,
//! so they hold on a loaded machine):
//!
//! * `gazetteer_scan`: fold (core `Folder`) + place dictionary pass, target ≥ 200 MB/s; baseline =
//!   the same fold + the reference search (`Dict::find_reference`, the previous scan: all words
//!   listed and looked up as strings, then the automaton over every CJK run) — both find the same
//!   hits (asserted on the whole text before timing). The one-pass search looks Latin words up
//!   in a trie over word ids (one integer-compared probe per word that may start a name, bit
//!   filters for first words and for extensions) and starts the CJK automaton at the first pair
//!   of characters that can begin a name;
//! * `recognize_all`: all three recognizers (station terms, bureaus, places) with resolution;
//! * `load`: `Matchers::load` of the compiled tables (target ≤ 200 ms);
//! * the pre-filter (`Prefilter::check`, and its stage-1 anchor scan alone) over the same articles.
//!
//! Figures (2026-11-27, the previous code run just before on the same machine, two pairs of
//! runs at load 1.5–2.5 on 2 cores): fold + scan 216–241 MB/s (before: 92–97; the reference
//! search with the new fold 109–120); fold alone 1,387–1,518 MB/s (before: 252–285); scan of
//! folded text alone 252–294 MB/s (before: 137–154); pre-filter check 233–254 MB/s (before:
//! 162–179; stage 1 alone 643–711 both times); load 108–129 ms in the quieter run (before
//! 98–102).
//!
//! Pre-filter with station terms looked for in windows around the anchors and bureaus without
//! spans (2026-11-27 05:01–05:05, load 0.9–1.5, the previous code run in between): check 357 MB/s
//! (before: 230); stage 1 alone 653–663 MB/s.
//!
//! Run: `cargo bench -p outpost-benches --bench match`. Skips with a notice when the shared data
//! or the compiled tables are missing.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use outpost_core::{Doc, Document, Recognizer};
use outpost_match::eval::thread_cpu_seconds;
use outpost_match::Matchers;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

const TARGET_BYTES: usize = 4 << 20;

fn models_dir() -> PathBuf {
    match std::env::var_os("OUTPOST_MODELS") {
        Some(m) => PathBuf::from(m).join("match"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models/match"),
    }
}

fn corpus() -> Option<Vec<String>> {
    let data = match std::env::var_os("OUTPOST_DATA") {
        Some(d) => PathBuf::from(d),
        None => outpost_benches::shared_data()?,
    };
    let mut pieces: Vec<String> = Vec::new();
    let articles = std::fs::read_to_string(data.join("stations/articles.jsonl")).ok()?;
    for line in articles.lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            if let Some(t) = v["text"].as_str() {
                pieces.push(t.to_string());
            }
        }
    }
    for lang in ["en", "es", "zh"] {
        if let Ok(t) = std::fs::read_to_string(data.join(format!("langid/sentences/{lang}.txt"))) {
            // Paragraphs of 8 sentences.
            let lines: Vec<&str> = t.lines().collect();
            for chunk in lines.chunks(8) {
                pieces.push(chunk.join(" "));
            }
        }
    }
    if pieces.is_empty() {
        return None;
    }
    let mut docs = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while total < TARGET_BYTES {
        let p = &pieces[(i * 7919) % pieces.len()];
        total += p.len();
        docs.push(p.clone());
        i += 1;
    }
    Some(docs)
}

fn bench(c: &mut Criterion) {
    let Some(docs) = corpus() else {
        eprintln!("match bench: ../shared/data not found, skipping");
        return;
    };
    let t0 = Instant::now();
    let m = match Matchers::load(&models_dir()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("match bench: cannot load models/match ({e}), skipping");
            return;
        }
    };
    println!(
        "match bench: Matchers::load took {:?} (target <= 200 ms)",
        t0.elapsed()
    );
    let bytes: usize = docs.iter().map(String::len).sum();
    let text = docs.join("\n");
    let fast = m.folder().clone();
    let places = m.places().tables();

    // Repeated passes for at least 2 s of wall time; MB/s per second of this thread's CPU time
    // (falls back to wall time where CPU time cannot be read).
    let mbps = |f: &dyn Fn()| {
        f();
        let t = Instant::now();
        let c0 = thread_cpu_seconds();
        let mut n = 0;
        while t.elapsed().as_secs_f64() < 2.0 {
            f();
            n += 1;
        }
        let wall = t.elapsed().as_secs_f64();
        let cpu = match (c0, thread_cpu_seconds()) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => wall,
        };
        (bytes * n) as f64 / cpu / 1e6
    };
    let base = mbps(&|| {
        let f = fast.fold(&text);
        black_box(places.scan_reference(&f.folded));
    });
    let ours = mbps(&|| {
        let f = fast.fold(&text);
        black_box(places.scan(&f.folded));
    });
    let fold_only = mbps(&|| {
        black_box(fast.fold(&text).folded.len());
    });
    let (scan_only, scan_ref_only) = {
        let f = fast.fold(&text);
        assert_eq!(
            places.hits(&f.folded),
            places.hits_reference(&f.folded),
            "the one-pass scan and the reference scan disagree"
        );
        (
            mbps(&|| {
                black_box(places.scan(&f.folded));
            }),
            mbps(&|| {
                black_box(places.scan_reference(&f.folded));
            }),
        )
    };
    // The pre-filter over the same text, article by article, and stage 1 alone.
    let pre = match outpost_match::Prefilter::from_matchers(&m) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("match bench: cannot build the pre-filter ({e}), skipping");
            return;
        }
    };
    let passed = docs.iter().filter(|d| pre.check(d)).count();
    let pre_all = mbps(&|| {
        black_box(docs.iter().filter(|d| pre.check(d)).count());
    });
    let pre_stage1 = mbps(&|| {
        black_box(
            docs.iter()
                .filter(|d| {
                    let (a, b) = pre.anchors_in(d);
                    a || b
                })
                .count(),
        );
    });
    println!(
        "match bench: pre-filter check {pre_all:.0} MB/s (stage 1 anchors alone {pre_stage1:.0} MB/s; \
         target >= 1000 on negatives); {passed}/{} articles passed",
        docs.len()
    );
    let doc_objs: Vec<Doc> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Doc::new(Document::new(format!("d{i}"), d.as_str())))
        .collect();
    let all = mbps(&|| {
        for d in &doc_objs {
            black_box(m.recognize(d));
        }
    });
    println!(
        "match bench ({:.1} MB news-like zh/es/en, 1 thread, MB per CPU-second): gazetteer scan (fold+dictionary) \
         baseline (reference search) {base:.0} MB/s, one-pass search {ours:.0} MB/s (target >= 200); \
         of which fold alone {fold_only:.0} MB/s, scan of folded text alone {scan_only:.0} MB/s \
         (reference {scan_ref_only:.0} MB/s); \
         all recognizers incl. resolution {all:.0} MB/s",
        bytes as f64 / 1e6
    );

    let mut g = c.benchmark_group("match");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("gazetteer_scan/baseline_reference_search", |b| {
        b.iter(|| {
            let f = fast.fold(&text);
            places.scan_reference(&f.folded)
        })
    });
    g.bench_function("gazetteer_scan/one_pass_search", |b| {
        b.iter(|| {
            let f = fast.fold(&text);
            places.scan(&f.folded)
        })
    });
    g.bench_function("recognize_all", |b| {
        b.iter(|| doc_objs.iter().map(|d| m.recognize(d).len()).sum::<usize>())
    });
    g.finish();
    let mut g = c.benchmark_group("match_load");
    g.sample_size(10);
    g.bench_function("Matchers::load", |b| {
        b.iter(|| Matchers::load(&models_dir()).map(|m| m.places().tables().pattern_count()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
