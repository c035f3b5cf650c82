//! `outpost review OUT_DIR -o review.html`: builds the self-contained review page.

use anyhow::Context;
use clap::Args;
use outpost_review::{
    export::write_atomic, read_stations, render_records, render_stations, DocumentSet, PageOptions,
    RunOutput,
};
use std::path::PathBuf;

/// Build a self-contained HTML page to review a run's candidate records (or linked stations).
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Output directory of `outpost run` (or its candidates.jsonl); not needed with --stations.
    #[arg(required_unless_present = "stations")]
    pub out_dir: Option<PathBuf>,
    /// Where to write the page.
    #[arg(short, long, default_value = "review.html")]
    pub output: PathBuf,
    /// Review linked stations from this `outpost link` output instead of the run's records.
    #[arg(long)]
    pub stations: Option<PathBuf>,
    /// Code points of article text shown around each evidence sentence.
    #[arg(long, default_value_t = 120)]
    pub context: usize,
    /// Records per page of the list.
    #[arg(long, default_value_t = 50)]
    pub page_size: usize,
    /// Leave out records below this confidence.
    #[arg(long, default_value_t = 0.0)]
    pub min_confidence: f32,
    /// Keep only the N most confident records (keeps very large runs to a page a browser opens).
    #[arg(long)]
    pub limit: Option<usize>,
}

/// Reads the run (or stations), writes the page atomically and prints a one-line summary to stderr.
pub fn run(args: ReviewArgs) -> anyhow::Result<()> {
    let opts = PageOptions {
        context_chars: args.context,
        page_size: args.page_size.max(1),
        min_confidence: args.min_confidence,
        limit: args.limit,
    };
    let (html, n, what) = match &args.stations {
        Some(path) => {
            let stations = read_stations(path)?;
            let n = stations.len();
            (render_stations(&stations, &opts), n, "stations".to_string())
        }
        None => {
            let dir = args
                .out_dir
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("give OUT_DIR (or --stations FILE)"))?;
            let run = RunOutput::read_with(dir, DocumentSet::ForRecords)?;
            let html = render_records(&run, &opts);
            let shown = run
                .records
                .iter()
                .filter(|r| r.confidence >= args.min_confidence)
                .count()
                .min(args.limit.unwrap_or(usize::MAX));
            let n = run.records.len();
            (
                html,
                shown,
                if shown == n {
                    "records".to_string()
                } else {
                    format!("of {n} records")
                },
            )
        }
    };
    write_atomic(&args.output, html.as_bytes())
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "wrote {} ({n} {what}, {:.1} MB)",
        args.output.display(),
        html.len() as f64 / 1e6
    );
    Ok(())
}
