//! `outpost match find|eval|compile`: the bureau, station-term and place matchers.

use anyhow::Context;
use clap::{Args, Subcommand};
use outpost_core::{Doc, Document, Recognizer};
use outpost_match::Matchers;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The `outpost match` verbs.
#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Print the spans (station terms, bureaus, countries, cities) found in text, files or JSONL.
    Find(FindArgs),
    /// Score the matchers against a gold file: country/city/bureau recall, negative station hits.
    Eval(EvalArgs),
    /// Build the compiled tables in models/match/ from the shared gazetteer data.
    Compile(CompileArgs),
    /// Measure the pre-filter: recall on the dev positives, pass rate on negatives and on
    /// ordinary news (CoNLL files joined into articles), throughput.
    PrefilterEval(PrefilterEvalArgs),
}

/// Arguments of `outpost match prefilter-eval`.
#[derive(Debug, Args)]
pub struct PrefilterEvalArgs {
    /// Articles (JSONL with `id`, `text`).
    #[arg(long)]
    pub articles: PathBuf,
    /// Gold records (JSONL with `article_id`, `relevant`, `records`).
    #[arg(long)]
    pub gold: PathBuf,
    /// CoNLL files of ordinary news (`token<TAB>tag`), each joined into articles of 20
    /// sentences, for the pass rate on text that reports no station (repeatable).
    #[arg(long)]
    pub news: Vec<PathBuf>,
    /// Folder of the compiled tables (default: models/match).
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Print one JSON object only.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `outpost match find`.
#[derive(Debug, Args)]
pub struct FindArgs {
    /// Text to scan (instead of files).
    #[arg(long)]
    pub text: Option<String>,
    /// Files to scan: `.jsonl` files are read as one article per line (`id`, `text`, `lang`?),
    /// others as one document each. Without files and --text, reads JSONL from stdin.
    pub files: Vec<PathBuf>,
    /// Folder of the compiled tables (default: models/match).
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Only print spans scored at least this.
    #[arg(long, default_value_t = 0.0)]
    pub min_score: f32,
}

/// Arguments of `outpost match eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Articles (JSONL with `id`, `text`, `lang`).
    #[arg(long)]
    pub articles: PathBuf,
    /// Gold records (JSONL with `article_id`, `relevant`, `records`).
    #[arg(long)]
    pub gold: PathBuf,
    /// Folder of the compiled tables (default: models/match).
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Print one JSON object only.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `outpost match compile`.
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// Shared data folder (default: $OUTPOST_DATA or ../shared/data).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// OpenCC `TSCharacters.txt` for the Traditional→Simplified map (kept from the output folder
    /// when omitted).
    #[arg(long)]
    pub t2s: Option<PathBuf>,
    /// Output folder (default: models/match).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn models(dir: &Option<PathBuf>) -> PathBuf {
    dir.clone()
        .unwrap_or_else(outpost_match::default_models_dir)
}

fn load(dir: &Option<PathBuf>) -> anyhow::Result<Matchers> {
    let d = models(dir);
    Matchers::load(&d).with_context(|| format!("loading match tables from {}", d.display()))
}

/// Runs a `match` verb.
pub fn run(cmd: MatchCommand) -> anyhow::Result<()> {
    match cmd {
        MatchCommand::Find(a) => find(a),
        MatchCommand::Eval(a) => eval(a),
        MatchCommand::Compile(a) => compile(a),
        MatchCommand::PrefilterEval(a) => prefilter_eval(a),
    }
}

fn print_doc(m: &Matchers, doc: &Doc, min: f32, out: &mut impl Write) -> anyhow::Result<()> {
    let spans: Vec<_> = m
        .recognize(doc)
        .into_iter()
        .filter(|s| s.score >= min)
        .collect();
    let line = serde_json::json!({"id": doc.id(), "spans": spans});
    writeln!(out, "{line}")?;
    Ok(())
}

fn jsonl_docs(name: &str, reader: impl BufRead) -> anyhow::Result<Vec<Doc>> {
    let mut docs = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{name}:{}", i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{name}:{}: invalid JSON", i + 1))?;
        let text = v["text"]
            .as_str()
            .with_context(|| format!("{name}:{}: missing \"text\"", i + 1))?;
        let id = v["id"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("{name}:{}", i + 1));
        let mut d = Document::new(id, text);
        d.lang = v["lang"].as_str().map(str::to_string);
        docs.push(Doc::new(d));
    }
    Ok(docs)
}

fn find(a: FindArgs) -> anyhow::Result<()> {
    let m = load(&a.models)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(t) = &a.text {
        print_doc(
            &m,
            &Doc::new(Document::new("text", t.as_str())),
            a.min_score,
            &mut out,
        )?;
    }
    for f in &a.files {
        let name = f.display().to_string();
        if f.extension().is_some_and(|e| e == "jsonl") {
            let file = std::fs::File::open(f).with_context(|| name.clone())?;
            for d in jsonl_docs(&name, std::io::BufReader::new(file))? {
                print_doc(&m, &d, a.min_score, &mut out)?;
            }
        } else {
            let text = std::fs::read_to_string(f).with_context(|| name.clone())?;
            print_doc(
                &m,
                &Doc::new(Document::new(name, text)),
                a.min_score,
                &mut out,
            )?;
        }
    }
    if a.text.is_none() && a.files.is_empty() {
        for d in jsonl_docs("-", std::io::stdin().lock())? {
            print_doc(&m, &d, a.min_score, &mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn eval(a: EvalArgs) -> anyhow::Result<()> {
    let m = load(&a.models)?;
    let (report, misses) = outpost_match::eval::evaluate(&m, &a.articles, &a.gold)?;
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    println!("articles               {}", report.articles);
    println!("country_recall         {:.3}", report.country_recall);
    println!(
        "country_recall (COUNTRY spans only) {:.3}",
        report.country_recall_country_spans
    );
    println!("city_recall            {:.3}", report.city_recall);
    println!("bureau_recall          {:.3}", report.bureau_recall);
    println!("negative_station_hits  {}", report.negative_station_hits);
    for miss in misses {
        println!(
            "  miss {:<8} {:<10} {}",
            miss.what, miss.article, miss.value
        );
    }
    Ok(())
}

fn prefilter_eval(a: PrefilterEvalArgs) -> anyhow::Result<()> {
    let d = models(&a.models);
    let t0 = std::time::Instant::now();
    let pre = outpost_match::Prefilter::load(&d)
        .with_context(|| format!("loading match tables from {}", d.display()))?;
    let load_ms = t0.elapsed().as_secs_f64() * 1e3;
    let r = outpost_match::eval::evaluate_prefilter(&pre, &a.articles, &a.gold, &a.news)?;
    if a.json {
        println!("{}", serde_json::to_string(&r)?);
        return Ok(());
    }
    println!(
        "load {load_ms:.0} ms; {} anchors, {} raw patterns",
        pre.anchor_words().len(),
        pre.pattern_count()
    );
    println!(
        "positives kept   {}/{} (recall {:.3})",
        r.kept, r.positives, r.recall
    );
    for id in &r.missed {
        println!("  dropped positive {id}");
    }
    println!(
        "negatives passed {}/{} ({:.3}; {:.3} had an anchor)",
        r.passed, r.negatives, r.pass_rate_negatives, r.anchor_rate_negatives
    );
    println!(
        "throughput       {:.0} MB/s all articles, {:.0} MB/s negatives (stage 1 alone {:.0} MB/s)",
        r.mb_per_second, r.mb_per_second_negatives, r.anchor_mb_per_second_negatives
    );
    if let Some(n) = &r.news {
        println!(
            "news             {}/{} passed ({:.4}; station term {}, bureau {}; anchor {:.3}), {:.1} MB at {:.0} MB/s (stage 1 alone {:.0} MB/s)",
            n.passed,
            n.articles,
            n.pass_rate,
            n.passed_station_term,
            n.passed_bureau,
            n.anchor_rate,
            n.megabytes,
            n.mb_per_second,
            n.anchor_mb_per_second
        );
        for (f, arts, p) in &n.files {
            println!("  {f}: {p}/{arts}");
        }
    }
    Ok(())
}

fn data_dir(d: &Option<PathBuf>) -> PathBuf {
    d.clone()
        .or_else(|| std::env::var_os("OUTPOST_DATA").map(PathBuf::from))
        .unwrap_or_else(|| Path::new("../shared/data").to_path_buf())
}

fn compile(a: CompileArgs) -> anyhow::Result<()> {
    let data = data_dir(&a.data);
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("models/match"));
    let report = outpost_match::compile::compile(&data, a.t2s.as_deref(), &out)?;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for (file, rows) in &report.rows {
        writeln!(w, "{}/{file}: {rows} rows", out.display())?;
    }
    writeln!(
        w,
        "pinyin check: {} divisions compared with GeoNames CN names, {} near-miss disagreements left",
        report.pinyin_checked,
        report.pinyin_disagreements.len()
    )?;
    for (name, ours, geo) in &report.pinyin_disagreements {
        writeln!(w, "  {name}\tours={ours}\tgeonames={geo}")?;
    }
    Ok(())
}
