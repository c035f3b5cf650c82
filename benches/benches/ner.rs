//! Tagging throughput of the shipped NER models (`models/ner/<lang>.bin`) on the CoNLL/CLUENER
//! evaluation sentences, single thread, with confidences (Viterbi + forward-backward), against the
//! issue's floor of 100k tokens/s (spaCy's NER component alone was measured here at 10k tokens/s
//! for en and 25k for es).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use outpost_ner::{default_model_dir, read_conll, Lang, Model};
use std::time::Instant;

const FLOOR_TOKENS_PER_SECOND: f64 = 100_000.0;

fn bench(c: &mut Criterion) {
    let Some(data) = outpost_benches::shared_data() else {
        eprintln!("ner bench: shared data not found, skipping");
        return;
    };
    let sets = [
        (Lang::En, "ner/conll2003_en/test.conll"),
        (Lang::Es, "ner/conll2002_es/test.conll"),
        (Lang::Zh, "ner/cluener2020/dev.conll"),
    ];
    let mut group = c.benchmark_group("ner");
    group.sample_size(10);
    for (lang, file) in sets {
        let path = default_model_dir().join(format!("{}.bin", lang.code()));
        let Ok(model) = Model::load(&path) else {
            eprintln!("ner bench: no model at {}, skipping {lang}", path.display());
            continue;
        };
        let Ok(sents) = read_conll(&data.join(file)) else {
            eprintln!("ner bench: cannot read {file}, skipping {lang}");
            continue;
        };
        let sents: Vec<Vec<&str>> = sents
            .iter()
            .take(1000)
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect();
        let tokens: usize = sents.iter().map(Vec::len).sum();
        // warm up (the zh segmenter loads its dictionary on first use), then one timed pass with
        // the figure printed, then criterion's own measurement
        for s in sents.iter().take(50) {
            std::hint::black_box(model.entities(s));
        }
        let t0 = Instant::now();
        let mut found = 0;
        for s in &sents {
            found += model.entities(s).len();
        }
        let tps = tokens as f64 / t0.elapsed().as_secs_f64();
        println!(
            "ner {lang}: {tokens} tokens, {found} entities, {tps:.0} tokens/s with confidences \
             (floor {FLOOR_TOKENS_PER_SECOND:.0}: {}; {:.1}x)",
            if tps >= FLOOR_TOKENS_PER_SECOND {
                "met"
            } else {
                "MISSED"
            },
            tps / FLOOR_TOKENS_PER_SECOND
        );
        group.throughput(Throughput::Elements(tokens as u64));
        group.bench_function(format!("{lang}/entities"), |b| {
            b.iter(|| sents.iter().map(|s| model.entities(s).len()).sum::<usize>())
        });
        group.bench_function(format!("{lang}/viterbi_only"), |b| {
            b.iter(|| {
                sents
                    .iter()
                    .map(|s| model.tag_indices(s).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
