//! Language detection on the shared sentences: outpost-lang against plain whatlang and lingua
//! (high- and low-accuracy mode), all restricted to the same 18 languages, on the same inputs.
//!
//! Run: `cargo bench -p outpost-benches --features compare --bench langid` (without the feature
//! only outpost and whatlang run). Prints texts/s per detector and the
//! ratios the issue sets (outpost <= 2x whatlang's time, >= 10x faster than lingua high).
//!
//! A second group times the scoring paths against `outpost_lang::reference` (the detector's
//! scoring before the lazy n-gram lookups and the allocation-free quick path; identical results):
//! the pipeline's quick detection (first 400 characters, 24-nat margin) of article-like texts
//! (eight consecutive test sentences of one language) and `detect` on the sentences.

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
    let quick_ref = outpost_lang::reference::ReferenceDetector::new(&outpost);
    let quick_det = outpost.clone();
    // Article-like texts: eight consecutive sentences of one language, cut as detect_quick does.
    let articles: Vec<String> = cases
        .chunk_by(|a, b| a.expected == b.expected)
        .flat_map(|run| run.chunks(8))
        .map(|c| {
            c.iter()
                .map(|x| x.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let heads: Vec<&str> = articles
        .iter()
        .map(|a| outpost_core::text::char_prefix(a, outpost_extract::lang::QUICK_CHARS))
        .collect();
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
    quick_versus_reference(&mut c, &quick_det, &quick_ref, &heads, &texts);
}

/// The new scoring paths against the reference ones (same detections), criterion and a plain
/// timed pass each.
fn quick_versus_reference(
    c: &mut Criterion,
    det: &Detector,
    reference: &outpost_lang::reference::ReferenceDetector,
    heads: &[&str],
    sentences: &[&str],
) {
    let margin = outpost_extract::lang::QUICK_MARGIN;
    let mut group = c.benchmark_group("langid_scoring");
    group.bench_function("quick/outpost", |b| {
        b.iter(|| {
            heads
                .iter()
                .for_each(|t| drop(black_box(det.detect_until_margin(t, margin))))
        })
    });
    group.bench_function("quick/reference", |b| {
        b.iter(|| {
            heads
                .iter()
                .for_each(|t| drop(black_box(reference.detect_until_margin(t, margin))))
        })
    });
    group.bench_function("detect/outpost", |b| {
        b.iter(|| {
            sentences
                .iter()
                .for_each(|t| drop(black_box(det.detect(t))))
        })
    });
    group.bench_function("detect/reference", |b| {
        b.iter(|| {
            sentences
                .iter()
                .for_each(|t| drop(black_box(reference.detect(t))))
        })
    });
    group.finish();
    let rate = |f: &dyn Fn(&str), texts: &[&str]| {
        let t0 = Instant::now();
        let mut n = 0;
        while t0.elapsed() < Duration::from_secs(2) {
            texts.iter().for_each(|t| f(t));
            n += texts.len();
        }
        n as f64 / t0.elapsed().as_secs_f64()
    };
    let q_new = rate(
        &|t| drop(black_box(det.detect_until_margin(t, margin))),
        heads,
    );
    let q_ref = rate(
        &|t| drop(black_box(reference.detect_until_margin(t, margin))),
        heads,
    );
    let d_new = rate(&|t| drop(black_box(det.detect(t))), sentences);
    let d_ref = rate(&|t| drop(black_box(reference.detect(t))), sentences);
    println!(
        "quick detection ({} article heads): outpost {q_new:.0}/s, reference {q_ref:.0}/s, speed-up {:.2}x",
        heads.len(),
        q_new / q_ref
    );
    println!(
        "detect ({} sentences): outpost {d_new:.0}/s, reference {d_ref:.0}/s, speed-up {:.2}x",
        sentences.len(),
        d_new / d_ref
    );
}
