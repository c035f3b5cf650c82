//! `outpost eval`: station records against gold.

use anyhow::Context;
use clap::Args;
use outpost_eval::{evaluate, load_gold, load_predictions};
use std::path::PathBuf;

/// Arguments of `outpost eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold file (the format of ../shared/data/stations/gold.jsonl).
    #[arg(long)]
    pub gold: PathBuf,
    /// A run's output directory, or its candidates.jsonl.
    #[arg(long)]
    pub pred: PathBuf,
    /// Records below this confidence do not count.
    #[arg(long, default_value_t = 0.5)]
    pub threshold: f64,
    /// Print one JSON object on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `outpost eval`.
pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let gold = load_gold(&args.gold).context("reading gold")?;
    let (records, articles) = load_predictions(&args.pred).context("reading predictions")?;
    let e = evaluate(&gold, &records, articles.as_deref(), args.threshold);
    if args.json {
        println!("{}", serde_json::to_string(&e)?);
        return Ok(());
    }
    println!("threshold {:.2}", e.threshold);
    println!(
        "{:<12} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6}",
        "", "precision", "recall", "f1", "tp", "pred", "gold"
    );
    let row = |name: &str, p: &outpost_eval::Prf| {
        println!(
            "{:<12} {:>9.3} {:>9.3} {:>9.3} {:>6} {:>6} {:>6}",
            name, p.precision, p.recall, p.f1, p.tp, p.predicted, p.gold
        )
    };
    row("relevance", &e.relevance);
    row("records", &e.records);
    for (lang, p) in &e.per_language {
        row(&format!("  {lang}"), p);
    }
    println!("fields over matched records (accuracy, support):");
    for (name, f) in [
        ("bureau", e.fields.bureau),
        ("address", e.fields.address),
        ("host_org", e.fields.host_org),
        ("people", e.fields.people),
        ("date", e.fields.date),
    ] {
        println!("  {:<10} {:>6.3} {:>4}", name, f.accuracy, f.support);
    }
    println!(
        "negatives: {} articles, {} scored relevant, {} with candidates, {} candidates",
        e.negatives.articles,
        e.negatives.scored_relevant,
        e.negatives.with_candidates,
        e.negatives.candidates
    );
    println!(
        "calibration: ECE {:.3}, Brier {:.3}, n {}",
        e.calibration.ece, e.calibration.brier, e.calibration.n
    );
    println!("  bin        n  mean_conf  observed");
    for b in &e.calibration.bins {
        if b.count > 0 {
            println!(
                "  {:.1}-{:.1} {:>5} {:>10.3} {:>9.3}",
                b.lo, b.hi, b.count, b.mean_confidence, b.accuracy
            );
        }
    }
    Ok(())
}
