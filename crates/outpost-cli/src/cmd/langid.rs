//! `outpost langid`: detect languages (`detect`), score detectors (`eval`) and, with feature
//! `compare`, rebuild the shipped tables (`build-model`).

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use outpost_lang::eval::{self, Case, EvalResult, TextDetector};
use outpost_lang::{Detector, Lang};
use serde_json::json;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Language identification.
#[derive(Debug, Args)]
pub struct LangidArgs {
    #[command(subcommand)]
    cmd: LangidCmd,
}

#[derive(Debug, Subcommand)]
enum LangidCmd {
    /// Detect the language of texts given as arguments, of whole files (--file) or of a JSONL
    /// field (--jsonl); prints one JSON object per input.
    Detect {
        /// Texts to detect.
        texts: Vec<String>,
        /// Files whose whole content is one text.
        #[arg(long = "file")]
        files: Vec<PathBuf>,
        /// JSONL file: one object per line, the text in --field.
        #[arg(long)]
        jsonl: Option<PathBuf>,
        /// JSON field holding the text in --jsonl.
        #[arg(long, default_value = "text")]
        field: String,
        /// Also list segments and per-language shares.
        #[arg(long)]
        segments: bool,
        /// Comma-separated ISO 639-1 codes to restrict the detector to.
        #[arg(long)]
        languages: Option<String>,
        /// Below this confidence the language is reported as unknown.
        #[arg(long, default_value_t = 0.5)]
        min_confidence: f32,
        /// Print build time, first-call time and resident memory to stderr.
        #[arg(long)]
        timing: bool,
    },
    /// Score detectors on DATA_DIR/<granularity>/<iso>.txt (or a generated set).
    Eval {
        /// The language-ID data folder (../shared/data/langid).
        data_dir: PathBuf,
        /// sentences | word-pairs | single-words | zh-hant | ja-kanji | ja-kanji-only | code-switched.
        #[arg(long, default_value = "sentences")]
        granularity: String,
        /// outpost | whatlang | lingua-high | lingua-low, or a comma-separated list run in the same
        /// process on the same inputs.
        #[arg(long, default_value = "outpost")]
        detector: String,
        /// Print exactly one JSON object.
        #[arg(long)]
        json: bool,
        /// Code-switched documents per kind.
        #[arg(long, default_value_t = 300)]
        per_kind: usize,
    },
    /// Rebuild models/langid-ngrams.bin and models/zh-variants.tsv from the lingua and OpenCC
    /// registry packages (feature `compare`).
    #[cfg(feature = "compare")]
    BuildModel {
        /// Output folder.
        #[arg(long, default_value = "models")]
        out_dir: PathBuf,
        /// Share of accent-stripped text (half letters replaced, half dropped) mixed into each
        /// Latin-script language's n-gram distribution; 0 keeps lingua's probabilities.
        #[arg(long, default_value_t = outpost_lang::train::DEFAULT_STRIPPED_SHARE)]
        stripped_share: f64,
    },
}

/// Runs `outpost langid`.
pub fn run(args: LangidArgs) -> anyhow::Result<()> {
    match args.cmd {
        LangidCmd::Detect {
            texts,
            files,
            jsonl,
            field,
            segments,
            languages,
            min_confidence,
            timing,
        } => detect(
            texts,
            files,
            jsonl,
            &field,
            segments,
            languages,
            min_confidence,
            timing,
        ),
        LangidCmd::Eval {
            data_dir,
            granularity,
            detector,
            json,
            per_kind,
        } => run_eval(&data_dir, &granularity, &detector, json, per_kind),
        #[cfg(feature = "compare")]
        LangidCmd::BuildModel {
            out_dir,
            stripped_share,
        } => build_model(&out_dir, stripped_share),
    }
}

fn rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[allow(clippy::too_many_arguments)]
fn detect(
    texts: Vec<String>,
    files: Vec<PathBuf>,
    jsonl: Option<PathBuf>,
    field: &str,
    segments: bool,
    languages: Option<String>,
    min_confidence: f32,
    timing: bool,
) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let rss0 = rss_kib();
    let mut b = Detector::builder().min_confidence(min_confidence);
    if let Some(l) = &languages {
        let codes: Vec<&str> = l
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        b = b.language_codes(&codes)?;
    }
    let det = b.build()?;
    let built = t0.elapsed();
    let rss1 = rss_kib();
    let mut inputs: Vec<(String, String)> = texts
        .into_iter()
        .enumerate()
        .map(|(i, t)| (format!("arg:{}", i + 1), t))
        .collect();
    for f in files {
        let t = std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        inputs.push((f.display().to_string(), t));
    }
    if let Some(p) = jsonl {
        let file = std::fs::File::open(&p).with_context(|| format!("opening {}", p.display()))?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}: read error", p.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not JSON", p.display(), i + 1))?;
            let Some(t) = v.get(field).and_then(|x| x.as_str()) else {
                bail!("{}:{}: no string field {field:?}", p.display(), i + 1);
            };
            inputs.push((format!("{}:{}", p.display(), i + 1), t.to_string()));
        }
    }
    if inputs.is_empty() {
        bail!("nothing to detect: give texts, --file or --jsonl");
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    let mut first: Option<std::time::Duration> = None;
    for (src, text) in &inputs {
        let r = det.detect(text);
        let mut o = json!({
            "input": src,
            "tag": r.tag(),
            "lang": r.lang.map(|l| l.code()),
            "best": r.best_tag(),
            "script": r.script.map(|s| s.name()),
            "confidence": r.confidence,
            "candidates": r.candidates.iter().map(|(l, p)| json!([l.code(), p])).collect::<Vec<_>>(),
        });
        if segments {
            let a = det.analyze(text);
            o["languages"] = a
                .languages
                .iter()
                .map(|l| json!({"tag": l.tag, "share": l.share, "spans": l.spans}))
                .collect();
            o["segments"] = a
                .segments
                .iter()
                .map(|s| json!({"start": s.start, "end": s.end, "tag": s.tag, "confidence": s.confidence}))
                .collect();
        }
        first.get_or_insert_with(|| t0.elapsed());
        writeln!(out, "{o}")?;
    }
    if timing {
        eprintln!(
            "build_ms={:.2} first_result_ms={:.2} rss_before_kib={} rss_after_build_kib={} model_table_bytes={}",
            built.as_secs_f64() * 1e3,
            first.unwrap_or_default().as_secs_f64() * 1e3,
            rss0.unwrap_or(0),
            rss1.unwrap_or(0),
            det.model_bytes()
        );
    }
    Ok(())
}

fn load_cases(data: &Path, granularity: &str, per_kind: usize) -> anyhow::Result<Vec<Case>> {
    Ok(match granularity {
        "sentences" | "word-pairs" | "single-words" => {
            eval::load_shared(data, granularity, &Lang::ALL)?
        }
        "ja-kanji" => eval::ja_kanji(data, false)?,
        "ja-kanji-only" => eval::ja_kanji(data, true)?,
        "code-switched" => {
            let ner = data.parent().map(|p| p.join("ner")).unwrap_or_default();
            eval::code_switched(data, &ner, per_kind)?
        }
        #[cfg(feature = "compare")]
        "zh-hant" => outpost_lang::compare::zh_hant(data)?,
        #[cfg(not(feature = "compare"))]
        "zh-hant" => {
            bail!("--granularity zh-hant needs the OpenCC converter: build with --features compare")
        }
        other => bail!(
            "unknown granularity {other:?}; one of {:?}",
            eval::GRANULARITIES
        ),
    })
}

fn make_detector(name: &str) -> anyhow::Result<Box<dyn TextDetector>> {
    Ok(match name {
        "outpost" => Box::new(Detector::new()?),
        "whatlang" => Box::new(eval::Whatlang::new(&Lang::ALL)),
        #[cfg(feature = "compare")]
        "lingua-high" => Box::new(outpost_lang::compare::Lingua::new(&Lang::ALL, false)),
        #[cfg(feature = "compare")]
        "lingua-low" => Box::new(outpost_lang::compare::Lingua::new(&Lang::ALL, true)),
        #[cfg(not(feature = "compare"))]
        "lingua-high" | "lingua-low" => {
            bail!("lingua detectors need: cargo build --release -p outpost-cli --features compare")
        }
        other => {
            bail!("unknown detector {other:?}; one of outpost, whatlang, lingua-high, lingua-low")
        }
    })
}

fn run_eval(
    data: &Path,
    granularity: &str,
    detectors: &str,
    json: bool,
    per_kind: usize,
) -> anyhow::Result<()> {
    if !data.is_dir() {
        bail!(
            "{}: not a folder (expected ../shared/data/langid)",
            data.display()
        );
    }
    let cases = load_cases(data, granularity, per_kind)?;
    let mut results: Vec<(EvalResult, f64, Option<u64>)> = Vec::new();
    for name in detectors
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let rss0 = rss_kib();
        let t0 = Instant::now();
        let det = make_detector(name)?;
        let build_ms = t0.elapsed().as_secs_f64() * 1e3;
        let rss_mib = rss_kib().zip(rss0).map(|(a, b)| a.saturating_sub(b) / 1024);
        let r = eval::evaluate(det.as_ref(), granularity, &cases);
        results.push((r, build_ms, rss_mib));
    }
    if results.is_empty() {
        bail!("no detector given");
    }
    let obj = |(r, build_ms, rss): &(EvalResult, f64, Option<u64>)| {
        let mut v = serde_json::to_value(r).unwrap_or_default();
        v["build_ms"] = json!(build_ms);
        v["rss_delta_mib"] = json!(rss);
        v
    };
    if json {
        if results.len() == 1 {
            println!("{}", obj(&results[0]));
        } else {
            let list: Vec<_> = results.iter().map(obj).collect();
            println!(
                "{}",
                json!({"granularity": granularity, "texts": cases.len(), "results": list})
            );
        }
        return Ok(());
    }
    println!("{granularity}: {} texts", cases.len());
    for (r, build_ms, rss) in &results {
        let langs: Vec<String> = r
            .per_language
            .iter()
            .map(|(k, v)| format!("{k}={:.1}", v * 100.0))
            .collect();
        println!(
            "{:<12} mean={:.2}% {:>10.0} texts/s build={:.0}ms rss+={}MiB unknown={:.1}% ece={}{} | {}",
            r.detector,
            r.mean_accuracy * 100.0,
            r.texts_per_second,
            build_ms,
            rss.map(|x| x.to_string()).unwrap_or_else(|| "?".into()),
            r.unknown_rate * 100.0,
            r.ece.map(|e| format!("{e:.3}")).unwrap_or_else(|| "-".into()),
            r.segment_recall
                .map(|s| format!(
                    " segment_recall={:.1}% {:?} separated={:.1}%",
                    s * 100.0,
                    r.segment_recall_per_language,
                    r.segment_separation.unwrap_or(0.0) * 100.0
                ))
                .unwrap_or_default(),
            langs.join(" ")
        );
    }
    Ok(())
}

#[cfg(feature = "compare")]
fn build_model(out_dir: &Path, stripped_share: f64) -> anyhow::Result<()> {
    if !(0.0..0.5).contains(&stripped_share) {
        bail!("--stripped-share must be in [0, 0.5), got {stripped_share}");
    }
    use outpost_lang::train;
    let opencc = train::find_registry_package("ferrous-opencc-0.4.0").context(
        "ferrous-opencc-0.4.0 not under $CARGO_HOME/registry/src: run `cargo fetch` first",
    )?;
    let variants = train::build_variants(&opencc.join("assets").join("dictionaries"))?;
    let (mut bytes, stats) = train::build_table(
        &train::modelled_languages(),
        train::DEFAULT_LIMITS,
        &variants,
        stripped_share,
    )?;
    let ner = eval::default_data_root().join("ner");
    let cases = train::calibration_cases(&ner)?;
    let det = Detector::builder().build_with_model(&bytes)?;
    let (calibration, before, after) = train::fit_calibration(&det, &cases);
    outpost_lang::ngram::patch_calibration(&mut bytes, calibration)?;
    eprintln!(
        "calibration on {} NER-train snippets: t0={:.3} alpha={:.2}, mean NLL {before:.4} -> {after:.4}",
        cases.len(),
        calibration[0],
        calibration[1]
    );
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    write_atomic(
        &out_dir.join("zh-variants.tsv"),
        variants.to_text().as_bytes(),
    )?;
    write_atomic(&out_dir.join("langid-ngrams.bin"), &bytes)?;
    for (l, read, kept) in &stats.per_language {
        eprintln!("{l}: read {read:?} kept {kept:?}");
    }
    eprintln!("{} distinct n-grams, {} bytes", stats.entries, bytes.len());
    Ok(())
}

#[cfg(feature = "compare")]
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}
