//! Language detection on the shared sentences: outpost-lang against plain whatlang and lingua
//! (high- and low-accuracy mode), all restricted to the same 18 languages, on the same inputs.
//!
//! Run: `cargo bench -p outpost-benches --features compare --bench langid` (without the feature
//! only outpost and whatlang run). Prints texts/s per detector and the
//! ratios the issue sets (outpost <= 2x whatlang's time, >= 10x faster than lingua high).

use criterion::{black_box, Criterion};
use outpost_lang::eval::{self, TextDetector};
use outpost_lang::{Detector, Lang};
use std::time::{Duration, Instant};

fn main() {
    let Some(data) = outpost_benches::shared_data() else {
        eprintln!("skipping langid bench: ../shared/data not found");
        return;
    };
    let cases = match eval::load_shared(&data.join("langid"), "sentences", &Lang::ALL) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skipping langid bench: {e}");
            return;
        }
    };
    // Every 10th sentence keeps a criterion iteration short (about 1,700 texts, all languages).
    let texts: Vec<&str> = cases.iter().step_by(10).map(|c| c.text.as_str()).collect();
    let outpost = match Detector::new() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("outpost detector failed to build: {e}");
            return;
        }
    };
    #[allow(unused_mut)]
    let mut detectors: Vec<Box<dyn TextDetector>> =
        vec![Box::new(outpost), Box::new(eval::Whatlang::new(&Lang::ALL))];
    #[cfg(feature = "compare")]
    {
        detectors.push(Box::new(outpost_lang::compare::Lingua::new(
            &Lang::ALL,
            false,
        )));
        detectors.push(Box::new(outpost_lang::compare::Lingua::new(
            &Lang::ALL,
            true,
        )));
    }
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("langid_sentences");
    for d in &detectors {
        group.bench_function(d.name(), |b| {
            b.iter(|| {
                for t in &texts {
                    black_box(d.detect_tag(black_box(t)));
                }
            })
        });
    }
    group.finish();
    // A plain timed pass for the summary (same inputs, same process).
    let mut rate = Vec::new();
    for d in &detectors {
        let t0 = Instant::now();
        let mut n = 0;
        while t0.elapsed() < Duration::from_secs(2) {
            for t in &texts {
                black_box(d.detect_tag(t));
            }
            n += texts.len();
        }
        let r = n as f64 / t0.elapsed().as_secs_f64();
        println!("langid {:<12} {:>10.0} sentences/s", d.name(), r);
        rate.push(r);
    }
    println!(
        "outpost time / whatlang time = {:.2} (target <= 2.0)",
        rate[1] / rate[0]
    );
    if rate.len() == 4 {
        println!(
            "outpost speed / lingua-high speed = {:.1}x (target >= 10); / lingua-low = {:.1}x",
            rate[0] / rate[2],
            rate[0] / rate[3]
        );
    } else {
        println!("(lingua not built: add --features compare)");
    }
}
