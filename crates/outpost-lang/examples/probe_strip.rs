// Temporary probe (not committed): build table with a stripped share, eval on es dev (NER) stripped.
use outpost_lang::{train, Detector, Lang};
use std::path::Path;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let share: f64 = args[1].parse().unwrap();
    let out = &args[2];
    let opencc = train::find_registry_package("ferrous-opencc-0.4.0").unwrap();
    let variants = train::build_variants(&opencc.join("assets").join("dictionaries")).unwrap();
    let (mut bytes, stats) = train::build_table(
        &train::modelled_languages(),
        train::DEFAULT_LIMITS,
        &variants,
        share,
    )
    .unwrap();
    let ner = Path::new("/work/shared/data/ner");
    let cases = train::calibration_cases(ner).unwrap();
    let det = Detector::builder().build_with_model(&bytes).unwrap();
    let (cal, b, a) = train::fit_calibration(&det, &cases);
    outpost_lang::ngram::patch_calibration(&mut bytes, cal).unwrap();
    eprintln!("cal {cal:?} {b} {a}; entries {}", stats.entries);
    std::fs::write(out, &bytes).unwrap();
    let det = Detector::builder().build_with_model(&bytes).unwrap();
    let sents = train::conll_sentences(&ner.join("conll2002_es/dev.conll"), " ").unwrap();
    for mode in 0..3 {
        let mut ok = 0;
        let mut n = 0;
        let mut conf = std::collections::HashMap::new();
        for s in &sents {
            if s.chars().filter(|c| c.is_alphabetic()).count() < 20 {
                continue;
            }
            let t: String = match mode {
                0 => s.clone(),
                1 => s
                    .chars()
                    .map(|c| train::bare_letter(c).unwrap_or(c))
                    .collect(),
                _ => s
                    .chars()
                    .filter(|&c| train::bare_letter(c).is_none())
                    .collect(),
            };
            let d = det.detect(&t);
            n += 1;
            if d.best == Some(Lang::Es) {
                ok += 1
            } else {
                *conf.entry(format!("{:?}", d.best)).or_insert(0) += 1;
            }
        }
        println!(
            "share {share} mode {mode}: {ok}/{n} = {:.4} {conf:?}",
            ok as f64 / n as f64
        );
    }
}
