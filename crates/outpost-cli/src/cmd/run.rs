//! `outpost run`: the whole pipeline over corpora, in parallel, streaming.
//!
//! Directory mode (`-o OUT_DIR`) writes `candidates.jsonl`, `articles.jsonl`, `documents.jsonl`
//! (text and spans of the articles that yielded records or scored relevant), `errors.jsonl` and
//! `manifest.json`, each under a temporary name renamed into place when complete. Stream mode
//! (`--stdin --stdout` or `-`) reads JSON Lines on stdin and writes exactly one JSON line per input
//! record on stdout.

use super::{paths, setup};
use anyhow::{bail, Context};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use outpost_core::ErrorEntry;
use outpost_extract::DocOutput;
use outpost_io::batch::{run_ordered, ChunkLimits, Outcome};
use outpost_io::read::{expand_inputs, SourceKind};
use outpost_io::write::write_json_file;
use outpost_io::{AtomicFile, FieldMap, Inputs};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `outpost run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Inputs: JSON Lines files (also .jsonl.gz/.jsonl.zst), WARC/WARC.gz, HTML and text files,
    /// directories or globs of these, or `-` for stdin (`outpost run -` alone is stream mode).
    pub inputs: Vec<PathBuf>,
    /// Output directory (created if missing).
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Read JSON Lines articles from standard input.
    #[arg(long)]
    pub stdin: bool,
    /// Stream mode output: one JSON line per input record on standard output.
    #[arg(long)]
    pub stdout: bool,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
    /// Models directory (default: ./models, or $OUTPOST_MODELS).
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// JSON field holding the article id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSON field holding the article text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSON field holding the URL.
    #[arg(long, default_value = "url")]
    pub url_field: String,
    /// JSON field holding the title.
    #[arg(long, default_value = "title")]
    pub title_field: String,
    /// JSON field holding the publication date.
    #[arg(long, default_value = "date")]
    pub date_field: String,
    /// JSON field holding the language hint.
    #[arg(long, default_value = "lang")]
    pub lang_field: String,
    /// Do not show a progress bar even when stderr is a terminal.
    #[arg(long)]
    pub no_progress: bool,
}

impl RunArgs {
    fn fields(&self) -> FieldMap {
        FieldMap {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
            url: self.url_field.clone(),
            title: self.title_field.clone(),
            date: self.date_field.clone(),
            lang: self.lang_field.clone(),
        }
    }
}

#[derive(Default)]
struct Counts {
    read: u64,
    processed: u64,
    failed: u64,
    candidates: u64,
    relevant: u64,
    bytes: u64,
}

/// Runs `outpost run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let stream_dash = args.inputs.len() == 1 && args.inputs[0].as_os_str() == "-";
    let stream = args.stdout || (stream_dash && args.out.is_none());
    let mut inputs = args.inputs.clone();
    if args.stdin && !inputs.iter().any(|p| p.as_os_str() == "-") {
        inputs.push(PathBuf::from("-"));
    }
    if inputs.is_empty() {
        bail!("no input given: name files or directories, or use --stdin / `-`");
    }
    if !stream && args.out.is_none() {
        bail!("no output: give -o OUT_DIR, or --stdout for stream mode");
    }
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .context("cannot start worker threads")?;
    let models = paths::models_dir(args.models.clone());
    let pipeline = setup::build_pipeline(&models)?;
    let (sources, skipped) = expand_inputs(&inputs);
    let items = Inputs::new(sources.clone(), args.fields());
    let skipped_records = items.skip_counts();
    let started = Instant::now();
    let mut counts = Counts::default();
    let process = |d| Ok::<DocOutput, String>(pipeline.process(d));

    if stream {
        let mut out = std::io::BufWriter::new(std::io::stdout());
        pool.install(|| {
            run_ordered(
                items,
                ChunkLimits::default(),
                process,
                |o: Outcome<DocOutput>| {
                    counts.read += 1;
                    let line = match o {
                        Ok(d) => {
                            counts.processed += 1;
                            json!({
                                "id": d.summary.id,
                                "lang": d.summary.lang,
                                "relevance": d.summary.relevance,
                                "records": d.summary.records,
                                "candidates": d.records,
                                "error": null,
                            })
                        }
                        Err(e) => {
                            counts.failed += 1;
                            json!({"id": e.id, "error": e})
                        }
                    };
                    serde_json::to_writer(&mut out, &line)?;
                    out.write_all(b"\n")?;
                    Ok::<(), anyhow::Error>(())
                },
            )
        })?;
        out.flush()?;
        eprintln!(
            "outpost: {} read, {} processed, {} failed",
            counts.read, counts.processed, counts.failed
        );
        return Ok(());
    }

    let out_dir = args.out.clone().unwrap_or_default();
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create output directory {}", out_dir.display()))?;
    let mut candidates = AtomicFile::create(out_dir.join("candidates.jsonl"))?;
    let mut articles = AtomicFile::create(out_dir.join("articles.jsonl"))?;
    let mut documents = AtomicFile::create(out_dir.join("documents.jsonl"))?;
    let mut errors = AtomicFile::create(out_dir.join("errors.jsonl"))?;
    let bar = if !args.no_progress && std::io::stderr().is_terminal() {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {pos} articles {per_sec} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Some(b)
    } else {
        None
    };
    pool.install(|| {
        run_ordered(
            items,
            ChunkLimits::default(),
            process,
            |o: Outcome<DocOutput>| {
                counts.read += 1;
                if let Some(b) = &bar {
                    b.inc(1);
                }
                match o {
                    Ok(d) => {
                        counts.processed += 1;
                        counts.bytes += d.document.text.len() as u64;
                        counts.candidates += d.records.len() as u64;
                        if d.summary.relevance >= 0.5 {
                            counts.relevant += 1;
                        }
                        for r in &d.records {
                            candidates.write_json_line(r)?;
                        }
                        articles.write_json_line(&d.summary)?;
                        if d.summary.relevance >= 0.5 || !d.records.is_empty() {
                            documents.write_json_line(&json!({
                                "id": d.document.id,
                                "url": d.document.url,
                                "title": d.document.title,
                                "date": d.document.date,
                                "lang": d.summary.lang,
                                "text": d.document.text,
                                "spans": d.spans,
                            }))?;
                        }
                    }
                    Err(e) => {
                        counts.failed += 1;
                        write_error(&mut errors, &e)?;
                    }
                }
                Ok::<(), anyhow::Error>(())
            },
        )
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let seconds = started.elapsed().as_secs_f64();
    candidates.commit()?;
    articles.commit()?;
    documents.commit()?;
    errors.commit()?;
    let manifest = json!({
        "outpost_version": env!("CARGO_PKG_VERSION"),
        "record_format": outpost_core::record::RECORD_FORMAT_VERSION,
        "inputs": inputs,
        "sources": sources.iter().map(source_name).collect::<Vec<_>>(),
        "skipped_files": skipped,
        "skipped_records": skipped_records.snapshot(),
        "counts": {
            "read": counts.read,
            "processed": counts.processed,
            "failed": counts.failed,
            "candidates": counts.candidates,
            "relevant_articles": counts.relevant,
        },
        "components": pipeline.components(),
        "models": pipeline.versions(),
        "models_dir": models,
        "jobs": jobs,
        "timings": {
            "seconds": seconds,
            "articles_per_second": counts.processed as f64 / seconds.max(1e-9),
            "mb_per_second": counts.bytes as f64 / 1e6 / seconds.max(1e-9),
        },
    });
    write_json_file(&out_dir.join("manifest.json"), &manifest)?;
    eprintln!(
        "outpost: {} read = {} processed + {} failed; {} candidates; {} relevant articles; {:.2}s -> {}",
        counts.read,
        counts.processed,
        counts.failed,
        counts.candidates,
        counts.relevant,
        seconds,
        out_dir.display()
    );
    Ok(())
}

fn write_error(f: &mut AtomicFile, e: &ErrorEntry) -> anyhow::Result<()> {
    f.write_json_line(e)?;
    Ok(())
}

fn source_name(s: &SourceKind) -> String {
    match s {
        SourceKind::Stdin => "-".to_string(),
        SourceKind::Jsonl(p)
        | SourceKind::CompressedJsonl(p, _)
        | SourceKind::Warc(p)
        | SourceKind::Text(p, _)
        | SourceKind::Html(p, _) => p.display().to_string(),
        SourceKind::Unreadable(p, _) => p.display().to_string(),
    }
}
