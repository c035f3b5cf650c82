//! `outpost train scorer`: fits the record scorer on gold station records, with cross-validation.

use super::paths;
use anyhow::Context;
use clap::{Args, Subcommand};
use outpost_eval::calibration::calibration;
use outpost_eval::stations::same_key;
use outpost_eval::{load_gold, Prf};
use outpost_extract::assemble::FEATURES;
use outpost_extract::logistic::{Logistic, TrainOptions};
use outpost_extract::standard;
use outpost_io::read::{expand_inputs, FieldMap};
use outpost_io::Inputs;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `outpost train ...`
#[derive(Debug, Subcommand)]
pub enum TrainCmd {
    /// Fit the record scorer (logistic regression) on gold records.
    Scorer(ScorerArgs),
}

/// Arguments of `outpost train scorer`.
#[derive(Debug, Args)]
pub struct ScorerArgs {
    /// Articles (JSON Lines) the gold refers to.
    #[arg(long)]
    pub articles: PathBuf,
    /// Gold records (the format of ../shared/data/stations/gold.jsonl).
    #[arg(long)]
    pub gold: PathBuf,
    /// Where to write the model.
    #[arg(short = 'o', long, default_value = "models/scorer.json")]
    pub out: PathBuf,
    /// Cross-validation folds (by article).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// L2 penalty on the weights (0.5 chosen by 5-fold cross-validation ECE over 0.05-3.0; above
    /// about 4 gradient descent with the default step does not converge).
    #[arg(long, default_value_t = 0.5)]
    pub l2: f64,
    /// Models directory for the other components.
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Also write the training rows (JSON Lines `{"article","features","label"}`) to this file,
    /// for inspecting the features.
    #[arg(long)]
    pub rows: Option<PathBuf>,
}

/// Runs `outpost train`.
pub fn run(cmd: TrainCmd) -> anyhow::Result<()> {
    let TrainCmd::Scorer(a) = cmd;
    let models = paths::models_dir(a.models.clone());
    let pipeline = standard::build(
        &models,
        standard::Options {
            scorer: false,
            ..standard::Options::default()
        },
    )?;
    let gold = load_gold(&a.gold).context("reading gold")?;
    let gold_by_id: BTreeMap<&str, _> = gold.iter().map(|g| (g.article_id.as_str(), g)).collect();
    let (sources, _) = expand_inputs(std::slice::from_ref(&a.articles));
    // (article index, features, label)
    let mut rows: Vec<(usize, Vec<f64>, bool)> = Vec::new();
    let mut article = 0usize;
    let mut missed_gold = 0usize;
    for item in Inputs::new(sources, FieldMap::default()) {
        let doc = item.map_err(|e| anyhow::anyhow!("{}: {}", e.location, e.reason))?;
        let Some(g) = gold_by_id.get(doc.id.as_str()) else {
            continue;
        };
        let out = pipeline.process(doc);
        let mut used = vec![false; g.records.len()];
        let mut order: Vec<usize> = (0..out.records.len()).collect();
        order.sort_by(|&x, &y| {
            out.records[y]
                .confidence
                .total_cmp(&out.records[x].confidence)
        });
        let mut labels = vec![false; out.records.len()];
        for i in order {
            if let Some(k) =
                (0..g.records.len()).find(|&k| !used[k] && same_key(&out.records[i], &g.records[k]))
            {
                used[k] = true;
                labels[i] = true;
            }
        }
        missed_gold += used.iter().filter(|u| !**u).count();
        for (f, l) in out.features.into_iter().zip(labels) {
            rows.push((article, f, l));
        }
        article += 1;
    }
    anyhow::ensure!(!rows.is_empty(), "no candidate records to train on");
    if let Some(path) = &a.rows {
        let mut f = outpost_io::AtomicFile::create(path)?;
        for (art, x, y) in &rows {
            f.write_json_line(&json!({"article": art, "features": x, "label": y}))?;
        }
        f.commit()?;
    }
    let opt = TrainOptions {
        l2: a.l2,
        ..TrainOptions::default()
    };
    // Cross-validation by article.
    let folds = a.folds.max(2);
    let mut pairs = Vec::new();
    let (mut tp, mut pred) = (0usize, 0usize);
    for f in 0..folds {
        let train: Vec<&(usize, Vec<f64>, bool)> =
            rows.iter().filter(|r| r.0 % folds != f).collect();
        let x: Vec<Vec<f64>> = train.iter().map(|r| r.1.clone()).collect();
        let y: Vec<bool> = train.iter().map(|r| r.2).collect();
        let m = Logistic::train(FEATURES, &x, &y, opt);
        for r in rows.iter().filter(|r| r.0 % folds == f) {
            let p = m.predict(&r.1);
            pairs.push((p, r.2));
            if p >= 0.5 {
                pred += 1;
                tp += usize::from(r.2);
            }
        }
    }
    let positives = rows.iter().filter(|r| r.2).count();
    let gold_total = positives + missed_gold;
    let cal = calibration(&pairs, 10);
    let cv = Prf::from_counts(tp, pred, gold_total);
    let x: Vec<Vec<f64>> = rows.iter().map(|r| r.1.clone()).collect();
    let y: Vec<bool> = rows.iter().map(|r| r.2).collect();
    let mut model = Logistic::train(FEATURES, &x, &y, opt);
    let notes = json!({
        "trained_on": a.gold.display().to_string(),
        "articles": article,
        "candidates": rows.len(),
        "positive_candidates": positives,
        "gold_records_without_candidate": missed_gold,
        "folds": folds,
        "cv_ece": cal.ece,
        "cv_brier": cal.brier,
        "cv_reliability": cal.bins,
        "cv_record_precision": cv.precision,
        "cv_record_recall": cv.recall,
        "cv_record_f1": cv.f1,
        "l2": opt.l2,
    });
    model.notes = notes.clone();
    let text = serde_json::to_string_pretty(&model)?;
    let mut f = outpost_io::AtomicFile::create(&a.out)?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    f.commit()?;
    println!("{}", serde_json::to_string(&notes)?);
    Ok(())
}
