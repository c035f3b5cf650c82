//! `outpost corpus generate`: synthetic scale corpora with station reports planted at a known rate
//! (see the `outpost-corpus` crate).

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use outpost_corpus::{parse_size, write_corpus, Format, Generator, Options, Sources};
use std::path::PathBuf;

/// `outpost corpus ...`.
#[derive(Debug, Subcommand)]
pub enum CorpusCmd {
    /// Write a synthetic corpus of a given size, plus FILE.planted.jsonl listing the planted articles.
    Generate(GenerateArgs),
}

/// Arguments of `outpost corpus generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Uncompressed size to reach: `100MB`, `1GB`, `500kB` or bytes (decimal units).
    #[arg(long, default_value = "100MB")]
    pub size: String,
    /// Fraction of articles with a planted station report.
    #[arg(long, default_value_t = 0.02)]
    pub rate: f64,
    /// Fraction of articles with one sentence of ordinary police news (a Chinese public security
    /// bureau in crime or traffic reporting, no station term): they pass the pre-filter on the
    /// bureau name, as real news that mentions 公安 does, but are not relevant. 0 (the default)
    /// leaves the corpus as without this option.
    #[arg(long, default_value_t = 0.0)]
    pub police_rate: f64,
    /// Seed (same seed, same corpus).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format: jsonl, jsonl.gz or warc.gz.
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// Mean sentences per article.
    #[arg(long, default_value_t = 12)]
    pub sentences: usize,
    /// Output file.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Shared data folder (default: $OUTPOST_DATA, else ../shared/data).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

fn data_dir(flag: Option<PathBuf>) -> PathBuf {
    if let Some(p) = flag {
        return p;
    }
    if let Some(p) = std::env::var_os("OUTPOST_DATA") {
        return PathBuf::from(p);
    }
    let local = PathBuf::from("../shared/data");
    if local.is_dir() {
        return local;
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

/// Runs `outpost corpus`.
pub fn run(cmd: CorpusCmd) -> anyhow::Result<()> {
    match cmd {
        CorpusCmd::Generate(a) => generate(a),
    }
}

fn generate(a: GenerateArgs) -> anyhow::Result<()> {
    let Some(size) = parse_size(&a.size) else {
        bail!(
            "--size {:?}: expected a size such as 100MB, 1GB or 500kB",
            a.size
        );
    };
    let Some(format) = Format::parse(&a.format) else {
        bail!(
            "--format {:?}: expected jsonl, jsonl.gz or warc.gz",
            a.format
        );
    };
    if !(0.0..=1.0).contains(&a.rate) {
        bail!("--rate {}: expected a fraction between 0 and 1", a.rate);
    }
    if !(0.0..=1.0).contains(&a.police_rate) {
        bail!(
            "--police-rate {}: expected a fraction between 0 and 1",
            a.police_rate
        );
    }
    let data = data_dir(a.data);
    let sources = Sources::load(&data)
        .with_context(|| format!("cannot load the corpus sources from {}", data.display()))?;
    if let Some(parent) = a.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let options = Options {
        rate: a.rate,
        seed: a.seed,
        sentences: a.sentences,
        police_rate: a.police_rate,
    };
    let summary = write_corpus(
        Generator::new(&sources, options),
        a.seed,
        size,
        format,
        &a.out,
    )?;
    eprintln!(
        "outpost: {} articles ({} planted, {} with police news), {:.1} MB uncompressed, {:.1} MB of text -> {} (+ {})",
        summary.articles,
        summary.planted,
        summary.police,
        summary.bytes as f64 / 1e6,
        summary.text_bytes as f64 / 1e6,
        summary.path.display(),
        summary.planted_path.display()
    );
    Ok(())
}
