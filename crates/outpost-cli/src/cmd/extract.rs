//! `outpost extract show|eval`: HTML main-text extraction (the readers' [`TextExtractor`]s).
//!
//! `eval` scores every extractor on a folder of pages with their expected main text
//! (`index.jsonl` lines `{"page","expected","lang","title"?,"date"?}`), all in the same run:
//! token- and character-level precision/recall/F1 (micro over all pages, and the mean per-page F1),
//! title and date accuracy, pages/s and MB/s.

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use outpost_io::charset::decode_html;
use outpost_io::extract::{
    char_overlap, extractor_by_name, token_overlap, Overlap, EXTRACTOR_NAMES,
};
use outpost_io::read::expand_inputs;
use outpost_io::{FieldMap, Inputs};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// The `outpost extract` verbs.
#[derive(Debug, Subcommand)]
pub enum ExtractCommand {
    /// Read HTML / WARC / JSONL inputs and print the documents (id, url, title, date, text) as JSON lines.
    Show(ShowArgs),
    /// Score the extractors on pages with known main text (precision/recall/F1, pages/s).
    Eval(EvalArgs),
}

/// Arguments of `outpost extract show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Inputs, as for `outpost run` (files, directories, globs).
    pub inputs: Vec<PathBuf>,
    /// Extractor: readability (default) or baseline.
    #[arg(long, default_value = "default")]
    pub extractor: String,
}

/// Arguments of `outpost extract eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Folder with `index.jsonl`, the pages and their expected texts (e.g. corpora/html-extract).
    pub dir: PathBuf,
    /// Extractors to compare, comma-separated.
    #[arg(long, default_value = "readability,baseline")]
    pub extractors: String,
    /// Minimum seconds to spend timing each extractor (the pages are extracted repeatedly).
    #[arg(long, default_value_t = 1.0)]
    pub min_seconds: f64,
    /// Print one JSON object only.
    #[arg(long)]
    pub json: bool,
}

/// Runs an `outpost extract` verb.
pub fn run(cmd: ExtractCommand) -> anyhow::Result<()> {
    match cmd {
        ExtractCommand::Show(a) => show(a),
        ExtractCommand::Eval(a) => eval(a),
    }
}

fn show(args: ShowArgs) -> anyhow::Result<()> {
    let extractor = extractor_by_name(&args.extractor).with_context(|| {
        format!(
            "unknown extractor `{}` (known: {})",
            args.extractor,
            EXTRACTOR_NAMES.join(", ")
        )
    })?;
    if args.inputs.is_empty() {
        bail!("no input given");
    }
    let (sources, _) = expand_inputs(&args.inputs);
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for item in Inputs::new(sources, FieldMap::default()).with_extractor(extractor) {
        let line = match item {
            Ok(d) => serde_json::to_value(&d)?,
            Err(e) => json!({"error": e}),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

struct Page {
    name: String,
    lang: String,
    html: String,
    expected: String,
    title: Option<String>,
    date: Option<String>,
}

fn date_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).take(8).collect()
}

fn prf(o: &Overlap) -> Value {
    json!({"precision": o.precision(), "recall": o.recall(), "f1": o.f1()})
}

fn eval(args: EvalArgs) -> anyhow::Result<()> {
    let index_path = args.dir.join("index.jsonl");
    let index = std::fs::read_to_string(&index_path)
        .with_context(|| format!("cannot read {}", index_path.display()))?;
    let mut pages = Vec::new();
    for (i, line) in index.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: malformed JSON", index_path.display(), i + 1))?;
        let field = |k: &str| v[k].as_str().map(str::to_string);
        let (Some(page), Some(expected)) = (field("page"), field("expected")) else {
            bail!(
                "{}:{}: needs `page` and `expected`",
                index_path.display(),
                i + 1
            );
        };
        let bytes = std::fs::read(args.dir.join(&page))
            .with_context(|| format!("cannot read page {page}"))?;
        let expected_text = std::fs::read_to_string(args.dir.join(&expected))
            .with_context(|| format!("cannot read expected text {expected}"))?;
        pages.push(Page {
            name: page,
            lang: field("lang").unwrap_or_default(),
            html: decode_html(&bytes, None, None).text,
            expected: expected_text,
            title: field("title"),
            date: field("date"),
        });
    }
    if pages.is_empty() {
        bail!("{} lists no pages", index_path.display());
    }
    let total_bytes: usize = pages.iter().map(|p| p.html.len()).sum();
    let mut results = BTreeMap::new();
    let mut order = Vec::new();
    for name in args
        .extractors
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let ex = extractor_by_name(name).with_context(|| {
            format!(
                "unknown extractor `{name}` (known: {})",
                EXTRACTOR_NAMES.join(", ")
            )
        })?;
        let mut tok = Overlap::default();
        let mut chr = Overlap::default();
        let mut by_lang: BTreeMap<String, (Overlap, Overlap, usize)> = BTreeMap::new();
        let mut f1_sum = 0.0;
        let mut titles = (0usize, 0usize);
        let mut dates = (0usize, 0usize);
        let mut per_page = Vec::new();
        for p in &pages {
            let e = ex.extract(&p.html, None);
            let t = token_overlap(&p.expected, &e.text);
            let c = char_overlap(&p.expected, &e.text);
            tok.add(&t);
            chr.add(&c);
            f1_sum += t.f1();
            let l = by_lang.entry(p.lang.clone()).or_default();
            l.0.add(&t);
            l.1.add(&c);
            l.2 += 1;
            if let Some(want) = &p.title {
                titles.1 += 1;
                if e.title
                    .as_deref()
                    .is_some_and(|g| g.contains(want.as_str()))
                {
                    titles.0 += 1;
                }
            }
            if let Some(want) = &p.date {
                dates.1 += 1;
                if e.date
                    .as_deref()
                    .is_some_and(|g| date_digits(g) == date_digits(want))
                {
                    dates.0 += 1;
                }
            }
            per_page.push(json!({
                "page": p.name,
                "token_precision": t.precision(),
                "token_recall": t.recall(),
                "token_f1": t.f1(),
            }));
        }
        // Speed: extract every page repeatedly for at least `min_seconds`.
        let started = Instant::now();
        let mut rounds = 0u64;
        let mut sink = 0usize;
        while rounds < 2 || started.elapsed().as_secs_f64() < args.min_seconds {
            for p in &pages {
                sink += ex.extract(&p.html, None).text.len();
            }
            rounds += 1;
        }
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        std::hint::black_box(sink);
        let n = pages.len() as f64;
        let langs: BTreeMap<String, Value> = by_lang
            .into_iter()
            .map(|(k, (t, c, count))| {
                (
                    k,
                    json!({"pages": count, "token": prf(&t), "char": prf(&c)}),
                )
            })
            .collect();
        let acc = |(a, b): (usize, usize)| {
            if b == 0 {
                Value::Null
            } else {
                json!(a as f64 / b as f64)
            }
        };
        results.insert(
            ex.name().to_string(),
            json!({
                "token": prf(&tok),
                "char": prf(&chr),
                "token_f1_mean_per_page": f1_sum / n,
                "by_lang": langs,
                "title_accuracy": acc(titles),
                "date_accuracy": acc(dates),
                "pages_per_second": rounds as f64 * n / secs,
                "mb_per_second": rounds as f64 * total_bytes as f64 / 1e6 / secs,
                "pages": per_page,
            }),
        );
        order.push(ex.name().to_string());
    }
    let report = json!({
        "corpus": args.dir,
        "pages": pages.len(),
        "html_bytes": total_bytes,
        "extractors": results,
    });
    if args.json {
        println!("{report}");
        return Ok(());
    }
    println!(
        "{} pages ({} bytes of HTML) in {}",
        pages.len(),
        total_bytes,
        args.dir.display()
    );
    println!("extractor     token P/R/F1           char P/R/F1            title  date   pages/s");
    for name in order {
        let r = &report["extractors"][&name];
        let f = |k: &str, m: &str| r[k][m].as_f64().unwrap_or(f64::NAN);
        println!(
            "{name:<12}  {:.3}/{:.3}/{:.3}    {:.3}/{:.3}/{:.3}    {:.2}   {:.2}   {:.0}",
            f("token", "precision"),
            f("token", "recall"),
            f("token", "f1"),
            f("char", "precision"),
            f("char", "recall"),
            f("char", "f1"),
            r["title_accuracy"].as_f64().unwrap_or(f64::NAN),
            r["date_accuracy"].as_f64().unwrap_or(f64::NAN),
            r["pages_per_second"].as_f64().unwrap_or(0.0),
        );
        if let Some(langs) = r["by_lang"].as_object() {
            for (l, v) in langs {
                println!(
                    "  {l:<10}  token F1 {:.3}  char F1 {:.3}",
                    v["token"]["f1"].as_f64().unwrap_or(f64::NAN),
                    v["char"]["f1"].as_f64().unwrap_or(f64::NAN)
                );
            }
        }
    }
    Ok(())
}
