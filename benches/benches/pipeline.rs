//! Whole-pipeline throughput (harness benchmark): builds a synthetic corpus of at least
//! `OUTPOST_BENCH_MB` (default 100) MB from the shared data's sentences (NER train splits in zh/es/en,
//! with station-report sentences of the dev articles planted in 1 article of 50), then runs the
//! standard pipeline over it on 1 and 2 threads and prints MB/s and articles/s for each, the median
//! of `OUTPOST_BENCH_RUNS` (default 3) runs, and the 2-thread/1-thread ratio.
//!
//! `cargo bench -p outpost-benches --bench pipeline`

use outpost_core::Document;
use outpost_extract::standard;
use rayon::prelude::*;
use std::path::Path;
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
        } else if let Some(tok) = line.split('\t').next() {
            cur.push(tok.to_string());
        }
    }
    out
}

fn main() {
    let Some(data) = outpost_benches::shared_data() else {
        eprintln!("notice: ../shared/data not found; pipeline bench skipped");
        return;
    };
    let target_mb: usize = std::env::var("OUTPOST_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let runs: usize = std::env::var("OUTPOST_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let pools: Vec<(Vec<String>, &str)> = vec![
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
    let planted: Vec<String> = std::fs::read_to_string(data.join("stations/articles.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let mut docs = Vec::new();
    let mut bytes = 0usize;
    let mut i = 0usize;
    while bytes < target_mb * 1_000_000 {
        let (pool, lang) = &pools[i % pools.len()];
        let mut text = String::new();
        for k in 0..12 {
            if let Some(s) = pool.get((i * 13 + k * 7919) % pool.len().max(1)) {
                text.push_str(s);
                text.push_str(if *lang == "zh" { "。" } else { ". " });
            }
        }
        if i.is_multiple_of(50) && !planted.is_empty() {
            text.push('\n');
            text.push_str(&planted[i / 50 % planted.len()]);
        }
        bytes += text.len();
        docs.push(Document::new(format!("b{i}"), text));
        i += 1;
    }
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let pipeline = match standard::build(&models, standard::Options::default()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot build pipeline: {e}");
            return;
        }
    };
    println!(
        "corpus: {} articles, {:.1} MB",
        docs.len(),
        bytes as f64 / 1e6
    );
    let mut medians = Vec::new();
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let mut times = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let records: usize = pool.install(|| {
                docs.par_iter()
                    .map(|d| pipeline.process(d.clone()).records.len())
                    .sum()
            });
            times.push(t.elapsed().as_secs_f64());
            std::hint::black_box(records);
        }
        times.sort_by(f64::total_cmp);
        let med = times[times.len() / 2];
        medians.push(med);
        println!(
            "threads {threads}: median {:.2} s over {runs} runs = {:.1} MB/s, {:.0} articles/s",
            med,
            bytes as f64 / 1e6 / med,
            docs.len() as f64 / med
        );
    }
    println!("2-thread speed-up: {:.2}x", medians[0] / medians[1]);
}
