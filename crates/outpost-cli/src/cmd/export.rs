//! `outpost export OUT_DIR --format jsonl|csv|geojson|label-studio -o FILE`.

use anyhow::Context;
use clap::{Args, ValueEnum};
use outpost_review::export::{geojson, label_studio::LABEL_CONFIG, write_atomic};
use outpost_review::{
    export, read_decisions, read_stations, DocumentSet, ExportOptions, Format, RunOutput,
};
use std::path::PathBuf;

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One station record per line.
    Jsonl,
    /// One row per record (RFC 4180).
    Csv,
    /// FeatureCollection of stations (RFC 7946, lon/lat).
    Geojson,
    /// Label Studio tasks with predictions.
    LabelStudio,
}

/// Export a run's records as JSON Lines, CSV, GeoJSON or Label Studio tasks.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output directory of `outpost run` (or its candidates.jsonl).
    pub out_dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Review decisions (decisions.jsonl from the review page) to apply: corrections are applied
    /// and the review status is recorded (CSV, GeoJSON).
    #[arg(long)]
    pub decisions: Option<PathBuf>,
    /// Keep only records accepted in --decisions.
    #[arg(long, requires = "decisions")]
    pub accepted_only: bool,
    /// CSV: prefix cells that look like spreadsheet formulas with `'`.
    #[arg(long)]
    pub spreadsheet_safe: bool,
    /// Label Studio: model_version of the predictions (default outpost-<version>).
    #[arg(long, default_value = "")]
    pub model_version: String,
    /// GeoJSON: export these linked stations (`outpost link` output) instead of the run's records.
    #[arg(long)]
    pub stations: Option<PathBuf>,
    /// Label Studio: also write the matching labeling config (XML) to this file.
    #[arg(long)]
    pub label_config: Option<PathBuf>,
}

/// Runs the export and prints what was written (and left out) to stderr.
pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.stations {
        anyhow::ensure!(
            matches!(args.format, ExportFormat::Geojson),
            "--stations is supported with --format geojson only"
        );
        let stations = read_stations(path)?;
        let mut buf = Vec::new();
        let s = geojson::write_stations(&stations, &mut buf)
            .map_err(|m| anyhow::anyhow!("{}: {m}", args.output.display()))?;
        write_atomic(&args.output, &buf)
            .with_context(|| format!("writing {}", args.output.display()))?;
        eprintln!(
            "wrote {} ({} stations, {} without coordinates skipped)",
            args.output.display(),
            s.written,
            s.without_coordinates
        );
        return Ok(());
    }
    let docs = match args.format {
        ExportFormat::LabelStudio => DocumentSet::All,
        _ => DocumentSet::Skip,
    };
    let run = RunOutput::read_with(&args.out_dir, docs)?;
    let decisions = match &args.decisions {
        Some(p) => Some(read_decisions(p)?),
        None => None,
    };
    let format = match args.format {
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Geojson => Format::Geojson,
        ExportFormat::LabelStudio => Format::LabelStudio,
    };
    let opts = ExportOptions {
        decisions,
        accepted_only: args.accepted_only,
        spreadsheet_safe: args.spreadsheet_safe,
        model_version: args.model_version.clone(),
    };
    let s = export(&run, format, &args.output, &opts)?;
    let mut msg = format!("wrote {} ({} ", args.output.display(), s.written);
    msg.push_str(match format {
        Format::Geojson => "features",
        Format::LabelStudio => "tasks",
        _ => "records",
    });
    if format == Format::LabelStudio {
        msg.push_str(&format!(", {} spans", s.spans));
        if s.bad_spans > 0 {
            msg.push_str(&format!(
                ", {} spans left out: text does not match the document at their offsets",
                s.bad_spans
            ));
        }
    }
    if format == Format::Geojson {
        msg.push_str(&format!(
            ", {} records without coordinates skipped",
            s.without_coordinates
        ));
    }
    if args.accepted_only {
        msg.push_str(&format!(", {} not accepted left out", s.not_accepted));
    }
    if s.unmatched_decisions > 0 {
        msg.push_str(&format!(
            ", {} decisions matched no record",
            s.unmatched_decisions
        ));
    }
    msg.push(')');
    eprintln!("{msg}");
    if let Some(path) = &args.label_config {
        write_atomic(path, LABEL_CONFIG.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
