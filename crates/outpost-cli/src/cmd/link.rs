//! `outpost link`: merges candidate records from many runs into station entities.

use anyhow::Context;
use clap::Args;
use outpost_extract::link::{link, match_registry, RegistryEntry};
use std::path::PathBuf;

/// Arguments of `outpost link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Run output directories or candidates.jsonl files.
    #[arg(required = true)]
    pub candidates: Vec<PathBuf>,
    /// Output file (JSON Lines, one station per line).
    #[arg(short = 'o', long)]
    pub out: PathBuf,
    /// A registry (JSON Lines with id, country, city) to flag each station known or new.
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// Records below this confidence are left out.
    #[arg(long, default_value_t = 0.5)]
    pub min_confidence: f32,
}

/// Runs `outpost link`.
pub fn run(a: LinkArgs) -> anyhow::Result<()> {
    let mut records = Vec::new();
    for p in &a.candidates {
        let (recs, _) = outpost_eval::load_predictions(p)
            .with_context(|| format!("reading candidates from {}", p.display()))?;
        records.extend(recs);
    }
    let mut stations = link(&records, a.min_confidence);
    if let Some(reg) = &a.registry {
        let text = std::fs::read_to_string(reg)
            .with_context(|| format!("reading registry {}", reg.display()))?;
        let entries = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str::<RegistryEntry>(l)
                    .with_context(|| format!("{}:{}: not a registry entry", reg.display(), i + 1))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        match_registry(&mut stations, &entries);
    }
    let mut f = outpost_io::AtomicFile::create(&a.out)?;
    for s in &stations {
        f.write_json_line(s)?;
    }
    f.commit()?;
    let known = stations.iter().filter(|s| s.known == Some(true)).count();
    eprintln!(
        "outpost link: {} records -> {} stations ({} known in the registry) -> {}",
        records.len(),
        stations.len(),
        known,
        a.out.display()
    );
    Ok(())
}
