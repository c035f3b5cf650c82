//! Whole-pipeline throughput (harness benchmark): builds a synthetic corpus of at least
//! `OUTPOST_BENCH_MB` (default 100) MB with `outpost-corpus` (sentences of the shared NER train
//! splits in zh/es/en, station reports planted in 1 article of 50), then runs the standard pipeline
//! over it on 1 and 2 threads and prints MB/s and articles/s for each, the median of
//! `OUTPOST_BENCH_RUNS` (default 3) runs, and the 2-thread/1-thread ratio. (`benches/scale.sh`
//! measures the same through `outpost run`, with reading, writing and peak memory.)
//!
//! `cargo bench -p outpost-benches --bench pipeline`

use outpost_corpus::{Generator, Options, Sources};
use outpost_extract::standard;
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

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
    let sources = match Sources::load(&data) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot load corpus sources: {e}");
            return;
        }
    };
    let options = Options {
        rate: 0.02,
        seed: 1,
        ..Options::default()
    };
    let mut docs = Vec::new();
    let mut bytes = 0usize;
    for article in Generator::new(&sources, options) {
        if bytes >= target_mb * 1_000_000 {
            break;
        }
        bytes += article.text.len();
        docs.push(article.into_document());
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
