//! Address parsing throughput (target: >= 30,000 addresses/s per thread).
//!
//! Baseline in the same run: a whitespace/comma tokeniser that only splits the input (the floor
//! any parser pays), so the figure shows what the parsing itself costs on top of reading the
//! strings. Inputs: the dev suites (libpostal, OpenCage, pelias, usaddress) and the unlabelled cpca
//! Chinese addresses. Skips with a notice when the data directory is absent.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use outpost_address::{tables::data_dir, AddressParser};
use std::hint::black_box;
use std::time::Instant;

fn inputs() -> Option<Vec<String>> {
    let dir = data_dir().join("address");
    let mut out = Vec::new();
    for f in [
        "libpostal.jsonl",
        "opencage_address_formatting.jsonl",
        "pelias_parser.jsonl",
        "usaddress.jsonl",
    ] {
        let text = std::fs::read_to_string(dir.join(f)).ok()?;
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(s) = v.get("input").and_then(|x| x.as_str()) {
                    out.push(s.to_string());
                }
            }
        }
    }
    let cpca = std::fs::read_to_string(dir.join("cpca_addr_unlabelled.csv")).ok()?;
    out.extend(
        cpca.lines()
            .skip(1)
            .take(3000)
            .filter_map(|l| l.split(',').next())
            .map(|s| s.to_string()),
    );
    Some(out)
}

fn bench(c: &mut Criterion) {
    let Some(addrs) = inputs() else {
        eprintln!(
            "address bench: data directory {} absent, skipping",
            data_dir().display()
        );
        return;
    };
    let parser = match AddressParser::load() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("address bench: cannot load tables ({e}), skipping");
            return;
        }
    };
    // plain figures first (one thread)
    let t0 = Instant::now();
    let mut n = 0usize;
    for _ in 0..3 {
        for a in &addrs {
            n += black_box(parser.parse(a)).components.len();
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let per_s = (3 * addrs.len()) as f64 / secs;
    let t1 = Instant::now();
    let mut m = 0usize;
    for _ in 0..3 {
        for a in &addrs {
            m += black_box(a.split([' ', ',']).count());
        }
    }
    let base = (3 * addrs.len()) as f64 / t1.elapsed().as_secs_f64();
    println!(
        "address parse: {per_s:.0} addresses/s per thread over {} inputs (target >= 30000: {}); tokenise-only baseline {base:.0}/s; tables ~{:.1} MB heap ({n} {m})",
        addrs.len(),
        if per_s >= 30000.0 { "met" } else { "MISSED" },
        parser.heap_bytes() as f64 / 1e6
    );
    let mut g = c.benchmark_group("address");
    g.throughput(Throughput::Elements(addrs.len() as u64));
    g.sample_size(10);
    g.bench_function("parse_dev_suites", |b| {
        b.iter(|| {
            for a in &addrs {
                black_box(parser.parse(a));
            }
        })
    });
    g.bench_function("baseline_tokenise_only", |b| {
        b.iter(|| {
            for a in &addrs {
                black_box(a.split([' ', ',']).count());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
