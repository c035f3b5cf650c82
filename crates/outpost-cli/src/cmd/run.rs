//! `outpost run`: the whole pipeline over corpora, in parallel, streaming.
//!
//! Directory mode (`-o OUT_DIR`) writes `candidates.jsonl`, `articles.jsonl`, `documents.jsonl`
//! (text and spans of the articles that yielded records or scored relevant), `errors.jsonl` and
//! `manifest.json`. While it runs they grow under `OUT_DIR/.partial/`, synced to disk at
//! checkpoints (every `--checkpoint-secs`); complete, they are renamed into place. A run killed
//! mid-way continues with `--resume` (same inputs and options) and ends with the same files as an
//! uninterrupted run; without `--resume`, a checkpointed leftover is refused, never overwritten
//! (delete `OUT_DIR/.partial` to start over). Stream mode
//! (`--stdin --stdout` or `-`) reads JSON Lines on stdin and writes exactly one JSON line per input
//! record on stdout.

use super::{paths, setup};
use anyhow::{bail, Context};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use outpost_core::SourceLocation;
use outpost_extract::DocOutput;
use outpost_io::batch::{run_ordered, ChunkLimits, Outcome};
use outpost_io::checkpoint::{CheckpointError, PartialRun};
use outpost_io::read::{expand_inputs, SourceKind};
use outpost_io::write::write_json_file;
use outpost_io::{FieldMap, Inputs};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The main-text extractor for web pages (`outpost run --extractor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractorChoice {
    /// Readability (dom_smoothie): the article's text without menus, related links, comments.
    Readability,
    /// Every visible text block of the page.
    Baseline,
}

impl ExtractorChoice {
    fn extractor(self) -> std::sync::Arc<dyn outpost_io::extract::TextExtractor> {
        match self {
            ExtractorChoice::Readability => outpost_io::extract::default_extractor(),
            ExtractorChoice::Baseline => {
                std::sync::Arc::new(outpost_io::extract::BaselineExtractor)
            }
        }
    }
}

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
    /// Run every recognizer on every article, without the pre-filter (same records; slower; the
    /// language of every article then comes from the full detector).
    #[arg(long)]
    pub no_prefilter: bool,
    /// Main-text extractor for HTML files and WARC pages: `readability` (dom_smoothie; menus,
    /// related links and comments dropped) or `baseline` (all visible text). With the pre-filter
    /// on, every page is screened on its whole text first and only pages that pass are extracted.
    #[arg(long, value_enum, default_value_t = ExtractorChoice::Readability)]
    pub extractor: ExtractorChoice,
    /// Continue the interrupted run whose checkpoint is in OUT_DIR/.partial (same inputs and options
    /// required); starts afresh when there is none.
    #[arg(long)]
    pub resume: bool,
    /// Seconds between checkpoints of directory mode (output synced to disk so a killed run can
    /// resume from there).
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub checkpoint_secs: f64,
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

/// Running totals of directory mode (saved in checkpoints, so a resumed run's manifest matches).
#[derive(Default, Serialize, Deserialize)]
struct Counts {
    read: u64,
    processed: u64,
    failed: u64,
    candidates: u64,
    relevant: u64,
    bytes: u64,
    /// Articles the pre-filter ruled out (no recognizer ran on them).
    #[serde(default)]
    screened_out: u64,
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
    if let (false, false, Some(out)) = (stream, args.resume, args.out.as_ref()) {
        // Fail fast, before loading the models, when an interrupted run is in the way.
        if let (Some(consumed), false) = (
            PartialRun::pending(out),
            inputs.iter().any(|p| p.as_os_str() == "-"),
        ) {
            return Err(CheckpointError::Interrupted {
                dir: out.join(outpost_io::checkpoint::PARTIAL_DIR),
                consumed,
            }
            .into());
        }
    }
    let models = paths::models_dir(args.models.clone());
    let pipeline = setup::build_pipeline(&models, !args.no_prefilter)?;
    let (sources, skipped) = expand_inputs(&inputs);
    let mut extractor = args.extractor.extractor();
    let extractor_name = extractor.name().to_string();
    if let Some(check) = pipeline.prefilter_check() {
        // Pages the pre-filter rules out are never main-text extracted (the DOM parse is most of
        // the cost of reading web archives); see `ScreenedExtractor`.
        extractor = std::sync::Arc::new(outpost_io::extract::ScreenedExtractor::new(
            check, extractor,
        ));
    }
    let items = Inputs::new(sources.clone(), args.fields()).with_extractor(extractor);
    let skipped_records = items.skip_counts();
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
    let reads_stdin = sources.iter().any(|s| matches!(s, SourceKind::Stdin));
    if args.resume && reads_stdin {
        bail!("--resume cannot continue a run that reads standard input: name the input files instead");
    }
    let fingerprint = fingerprint(
        &inputs,
        &sources,
        &args.fields(),
        &models,
        &pipeline,
        &extractor_name,
    );
    let every = Duration::from_secs_f64(args.checkpoint_secs.max(0.0));
    let mut partial = match PartialRun::open(
        &out_dir,
        &OUTPUT_FILES,
        fingerprint.clone(),
        args.resume,
        every,
    ) {
        Err(CheckpointError::Interrupted { .. }) if reads_stdin => {
            // A run over standard input cannot be resumed: its leftovers are only in the way.
            let dir = out_dir.join(outpost_io::checkpoint::PARTIAL_DIR);
            eprintln!(
                "outpost: discarding {} (a run over standard input cannot be resumed)",
                dir.display()
            );
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
            PartialRun::open(&out_dir, &OUTPUT_FILES, fingerprint, false, every)?
        }
        other => other?,
    };
    let mut items = items;
    let mut last: Option<SourceLocation> = None;
    if let Some(r) = partial.resumed().cloned() {
        counts = serde_json::from_value(r.state.clone()).with_context(|| {
            format!(
                "cannot read the counters of the checkpoint in {}",
                partial.dir().display()
            )
        })?;
        skip_consumed(&mut items, r.consumed, r.last.as_ref())
            .with_context(|| format!("cannot resume the run in {}", partial.dir().display()))?;
        last = r.last;
        eprintln!(
            "outpost: resuming after {} input records ({} candidates so far)",
            r.consumed, counts.candidates
        );
    }
    let bar = if !args.no_progress && std::io::stderr().is_terminal() {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {pos} articles {per_sec} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b.set_position(counts.read);
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
                        counts.screened_out += u64::from(d.screened_out);
                        if d.summary.relevance >= 0.5 {
                            counts.relevant += 1;
                        }
                        for r in &d.records {
                            partial.write_json_line(CANDIDATES, r)?;
                        }
                        partial.write_json_line(ARTICLES, &d.summary)?;
                        if d.summary.relevance >= 0.5 || !d.records.is_empty() {
                            partial.write_json_line(
                                DOCUMENTS,
                                &json!({
                                    "id": d.document.id,
                                    "url": d.document.url,
                                    "title": d.document.title,
                                    "date": d.document.date,
                                    "lang": d.summary.lang,
                                    "text": d.document.text,
                                    "spans": d.spans,
                                }),
                            )?;
                        }
                        last = Some(d.document.source);
                    }
                    Err(e) => {
                        counts.failed += 1;
                        partial.write_json_line(ERRORS, &e)?;
                        last = Some(e.location);
                    }
                }
                partial.maybe_checkpoint(counts.read, last.as_ref(), &counts)?;
                Ok::<(), anyhow::Error>(())
            },
        )
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let seconds = partial.seconds();
    let segments = partial.segments();
    let finished = partial.finish(counts.read, last.as_ref(), &counts)?;
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
            "screened_out": counts.screened_out,
        },
        "components": pipeline.components(),
        "models": pipeline.versions(),
        "models_dir": models,
        "jobs": jobs,
        "timings": {
            "seconds": seconds,
            "segments": segments,
            "articles_per_second": counts.processed as f64 / seconds.max(1e-9),
            "mb_per_second": counts.bytes as f64 / 1e6 / seconds.max(1e-9),
        },
    });
    write_json_file(&out_dir.join("manifest.json"), &manifest)?;
    finished.clear()?;
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

/// The output files of directory mode, in the order of the indices below.
const OUTPUT_FILES: [&str; 4] = [
    "candidates.jsonl",
    "articles.jsonl",
    "documents.jsonl",
    "errors.jsonl",
];
const CANDIDATES: usize = 0;
const ARTICLES: usize = 1;
const DOCUMENTS: usize = 2;
const ERRORS: usize = 3;

/// What a resumed run must match: the inputs (names, sizes, modification times), field names,
/// models and versions. (`--jobs` is left out: the output does not depend on it.)
fn fingerprint(
    inputs: &[PathBuf],
    sources: &[SourceKind],
    fields: &FieldMap,
    models: &Path,
    pipeline: &outpost_extract::Pipeline,
    extractor: &str,
) -> serde_json::Value {
    let files: Vec<serde_json::Value> = sources
        .iter()
        .map(|s| {
            let name = source_name(s);
            let meta = std::fs::metadata(&name).ok();
            let modified = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos().to_string());
            json!({"name": name, "bytes": meta.map(|m| m.len()), "modified_ns": modified})
        })
        .collect();
    json!({
        "outpost_version": env!("CARGO_PKG_VERSION"),
        "record_format": outpost_core::record::RECORD_FORMAT_VERSION,
        "inputs": inputs,
        "sources": files,
        "fields": [&fields.id, &fields.text, &fields.url, &fields.title, &fields.date, &fields.lang],
        "models_dir": models,
        "models": pipeline.versions(),
        "components": pipeline.components(),
        "extractor": extractor,
    })
}

/// Skips the `n` input items an interrupted run consumed (reading, not processing them) and checks
/// that the last one is where the checkpoint says it was.
fn skip_consumed(items: &mut Inputs, n: u64, last: Option<&SourceLocation>) -> anyhow::Result<()> {
    let mut location = None;
    for i in 0..n {
        let Some(item) = items.next() else {
            bail!("the inputs end after {i} records, but the interrupted run had consumed {n}");
        };
        if i + 1 == n {
            location = Some(match item {
                Ok(d) => d.source,
                Err(e) => e.location,
            });
        }
    }
    if let (Some(want), Some(got)) = (last, location.as_ref()) {
        if want != got {
            bail!(
                "record {n} of the inputs is at {got}, but the interrupted run's was at {want}: the inputs changed"
            );
        }
    }
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
