//! `outpost ner`: train, run and score the entity tagger.

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use outpost_ner::tags::{chunks, Chunk};
use outpost_ner::{
    data_dir, default_model_dir, read_conll, train, Gazetteer, LabelScheme, Lang, Model, Resources,
    Scorer, TrainConfig,
};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `outpost ner` verbs.
#[derive(Debug, Subcommand)]
pub enum NerCmd {
    /// Train a model on CoNLL files (selects the pass and calibrates confidences on --dev).
    Train(TrainArgs),
    /// Tag text: arguments, --file (plain text) or --jsonl (objects with "text"); prints JSON lines.
    Tag(TagArgs),
    /// Score a model on CoNLL files (conlleval strict + nervaluate partial/type).
    Eval(EvalArgs),
}

/// Label scheme for training.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemeArg {
    /// Keep each file's type names.
    Native,
    /// Map types onto PER/ORG/LOC/GOV/ADDRESS/MISC.
    Common,
}

/// Arguments of `outpost ner train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Language: zh, es or en.
    #[arg(long)]
    lang: String,
    /// Training files (CoNLL).
    #[arg(long, num_args = 1.., required = true)]
    train: Vec<PathBuf>,
    /// Dev files (CoNLL) for model selection and calibration.
    #[arg(long, num_args = 1..)]
    dev: Vec<PathBuf>,
    /// Output model file.
    #[arg(short, long)]
    output: PathBuf,
    /// Maximum passes over the training data.
    #[arg(long, default_value_t = 15)]
    epochs: usize,
    /// log2 of the number of hashed feature rows.
    #[arg(long, default_value_t = 20)]
    bits: u32,
    /// Keep native type names or map them onto the common set.
    #[arg(long, value_enum, default_value_t = SchemeArg::Native)]
    scheme: SchemeArg,
    /// Gazetteer folder (default: $OUTPOST_DATA/gazetteer); `none` disables gazetteer features.
    #[arg(long)]
    gazetteer: Option<String>,
    /// Plain-text files (one sentence or paragraph per line, or CoNLL) to induce word clusters
    /// from (en/es: words; zh: characters); default: the --train files.
    #[arg(long, num_args = 1..)]
    cluster_text: Vec<PathBuf>,
    /// Add features from a (jackknifed) lexicon of the training data's entity strings.
    #[arg(long)]
    lexicon: bool,
    /// CoNLL files (other corpora's train/dev splits) whose entity strings become a lexicon of
    /// name features (cannot be combined with --lexicon).
    #[arg(long, num_args = 1.., conflicts_with = "lexicon")]
    lexicon_from: Vec<PathBuf>,
    /// Stop a run after this many passes without a dev improvement.
    #[arg(long, default_value_t = 4)]
    patience: usize,
    /// Independent training runs summed into one model (an ensemble with no tagging cost).
    #[arg(long, default_value_t = 1)]
    seeds: usize,
    /// Number of finest word clusters (0 disables clusters).
    #[arg(long, default_value_t = 0)]
    clusters: usize,
    /// Two-stage model when ≥ 2: jackknife the first-pass tags of --train over this many folds and
    /// train a second pass on context features (how nearby occurrences of a word were tagged).
    #[arg(long, default_value_t = 0)]
    folds: usize,
    /// Sentences on each side that count as context for a two-stage model.
    #[arg(long, default_value_t = outpost_ner::context::DEFAULT_WINDOW)]
    window: usize,
    /// Loss-augmented training: bonus of every wrong tag when decoding a training sentence.
    #[arg(long, default_value_t = 0.0)]
    margin: f32,
    /// Passive-aggressive (PA-I) updates capped at this step (0: perceptron updates).
    #[arg(long, default_value_t = 0.0)]
    pa: f32,
    /// Train a linear-chain CRF by SGD (L2-regularised log-likelihood) instead of the perceptron.
    #[arg(long)]
    crf: bool,
    /// CRF: L2 penalty.
    #[arg(long, default_value_t = 1.0)]
    l2: f32,
    /// CRF: initial learning rate (decays as rate / (1 + pass)).
    #[arg(long, default_value_t = 0.1)]
    crf_rate: f32,
    /// CRF: most passes of each CRF run.
    #[arg(long, default_value_t = 12)]
    crf_epochs: usize,
    /// Also train --seeds CRF runs and add their weights to the perceptron's, scaled to the same
    /// emission spread times this factor (0: perceptron only).
    #[arg(long, default_value_t = 0.0)]
    crf_mix: f32,
    /// Per-type decoding bias `TYPE=VALUE` added to each entity of that type (repeatable).
    #[arg(long, value_parser = parse_bias)]
    bias: Vec<(String, f32)>,
}

fn parse_bias(s: &str) -> Result<(String, f32), String> {
    let (ty, v) = s
        .split_once('=')
        .ok_or_else(|| format!("--bias {s}: expected TYPE=VALUE"))?;
    let v: f32 = v
        .parse()
        .map_err(|e| format!("--bias {s}: bad value: {e}"))?;
    Ok((ty.to_string(), v))
}

/// Arguments of `outpost ner tag`.
#[derive(Debug, Args)]
pub struct TagArgs {
    /// Language: zh, es or en (picks models/ner/<lang>.bin unless --model is given).
    #[arg(long)]
    lang: String,
    /// Model file.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Plain-text files to tag (each line tagged separately).
    #[arg(long, num_args = 1..)]
    file: Vec<PathBuf>,
    /// JSONL files: one object per line with a "text" field (and optionally "id").
    #[arg(long, num_args = 1..)]
    jsonl: Vec<PathBuf>,
    /// Texts to tag.
    text: Vec<String>,
}

/// Arguments of `outpost ner eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Language: zh, es or en.
    #[arg(long)]
    lang: String,
    /// Model file (default: models/ner/<lang>.bin).
    #[arg(long)]
    model: Option<PathBuf>,
    /// CoNLL files to score.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs a `ner` verb.
pub fn run(cmd: NerCmd) -> anyhow::Result<()> {
    match cmd {
        NerCmd::Train(a) => run_train(a),
        NerCmd::Tag(a) => run_tag(a),
        NerCmd::Eval(a) => run_eval(a),
    }
}

fn parse_lang(s: &str) -> anyhow::Result<Lang> {
    Ok(s.parse::<Lang>()?)
}

fn load_model(lang: Lang, path: Option<PathBuf>) -> anyhow::Result<Model> {
    let path = path.unwrap_or_else(|| default_model_dir().join(format!("{}.bin", lang.code())));
    let model = Model::load(&path).with_context(|| format!("loading model {}", path.display()))?;
    if model.lang() != lang {
        bail!(
            "{} is a {} model, not {}",
            path.display(),
            model.lang(),
            lang
        );
    }
    Ok(model)
}

fn read_all(files: &[PathBuf]) -> anyhow::Result<Vec<outpost_ner::Sentence>> {
    let mut out = Vec::new();
    for f in files {
        out.extend(read_conll(f)?);
    }
    Ok(out)
}

fn run_train(a: TrainArgs) -> anyhow::Result<()> {
    let lang = parse_lang(&a.lang)?;
    let train_data = read_all(&a.train)?;
    let dev_data = read_all(&a.dev)?;
    let gazetteer = match a.gazetteer.as_deref() {
        Some("none") => Gazetteer::new(),
        Some(dir) => Gazetteer::from_dir(Path::new(dir), lang)?,
        None => Gazetteer::from_dir(&data_dir().join("gazetteer"), lang)?,
    };
    eprintln!("gazetteer: {} names", gazetteer.len());
    let clusters = if a.clusters > 0 && lang == Lang::Zh {
        let mut lines: Vec<String> = Vec::new();
        if a.cluster_text.is_empty() {
            lines.extend(train_data.iter().map(|s| s.tokens.concat()));
        } else {
            for f in &a.cluster_text {
                lines.extend(outpost_ner::clusters::read_lines_zh(f)?);
            }
        }
        let c = outpost_ner::clusters::induce_zh(&lines, a.clusters, 12);
        eprintln!("clusters: {} characters and words", c.len());
        c
    } else if a.clusters > 0 {
        let mut sents: Vec<Vec<String>> = Vec::new();
        if a.cluster_text.is_empty() {
            sents.extend(train_data.iter().map(|s| s.tokens.clone()));
        } else {
            for f in &a.cluster_text {
                sents.extend(outpost_ner::clusters::read_text(f, lang)?);
            }
        }
        let c = outpost_ner::clusters::induce(&sents, a.clusters, 12);
        eprintln!("clusters: {} words", c.len());
        c
    } else {
        Default::default()
    };
    let cfg = TrainConfig {
        epochs: a.epochs,
        bits: a.bits,
        scheme: match a.scheme {
            SchemeArg::Native => LabelScheme::Native,
            SchemeArg::Common => LabelScheme::Common,
        },
        verbose: true,
        seeds: a.seeds,
        patience: a.patience,
        lexicon: a.lexicon,
        folds: a.folds,
        window: a.window,
        margin: a.margin,
        pa: a.pa,
        crf: a.crf,
        l2: a.l2,
        crf_rate: a.crf_rate,
        crf_epochs: a.crf_epochs,
        crf_mix: a.crf_mix,
        type_bias: a.bias,
        ..TrainConfig::default()
    };
    let lexicon = outpost_ner::gazetteer::Lexicon::from_conll(&read_all(&a.lexicon_from)?, lang);
    if !lexicon.is_empty() {
        eprintln!("lexicon: {} names", lexicon.len());
    }
    let res = Resources {
        gazetteer,
        clusters,
        lexicon,
    };
    let (model, report) = train(lang, &train_data, &dev_data, res, &cfg)?;
    model.save(&a.output)?;
    let size = std::fs::metadata(&a.output).map(|m| m.len()).unwrap_or(0);
    let mut j = serde_json::to_value(&report)?;
    j["model"] = a.output.display().to_string().into();
    j["model_bytes"] = size.into();
    j["active_features"] = model.active_features().into();
    println!("{j}");
    Ok(())
}

fn span_json(text: &str, e: &outpost_ner::TextEntity) -> serde_json::Value {
    let start = text[..e.bytes.start].chars().count();
    let end = start + text[e.bytes.clone()].chars().count();
    serde_json::json!({
        "start": start,
        "end": end,
        "text": &text[e.bytes.clone()],
        "label": outpost_ner::tags::label_of(&e.ty).as_str(),
        "type": e.ty,
        "score": (e.score * 1e4).round() / 1e4,
    })
}

fn run_tag(a: TagArgs) -> anyhow::Result<()> {
    let lang = parse_lang(&a.lang)?;
    let model = load_model(lang, a.model)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut emit = |id: serde_json::Value, text: &str| -> anyhow::Result<()> {
        let spans: Vec<_> = model
            .tag_text(text)
            .iter()
            .map(|e| span_json(text, e))
            .collect();
        writeln!(out, "{}", serde_json::json!({"id": id, "spans": spans}))?;
        Ok(())
    };
    for (k, t) in a.text.iter().enumerate() {
        emit(k.into(), t)?;
    }
    for f in &a.file {
        let file = std::fs::File::open(f).with_context(|| format!("opening {}", f.display()))?;
        for (k, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", f.display(), k + 1))?;
            emit(format!("{}:{}", f.display(), k + 1).into(), &line)?;
        }
    }
    for f in &a.jsonl {
        let file = std::fs::File::open(f).with_context(|| format!("opening {}", f.display()))?;
        for (k, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", f.display(), k + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: invalid JSON", f.display(), k + 1))?;
            let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
                bail!("{}:{}: no string field \"text\"", f.display(), k + 1);
            };
            let id = v
                .get("id")
                .cloned()
                .unwrap_or_else(|| format!("{}:{}", f.display(), k + 1).into());
            emit(id, text)?;
        }
    }
    Ok(())
}

fn score_sentence(
    scorer: &mut Scorer,
    model: &Model,
    s: &outpost_ner::Sentence,
    ents: Vec<outpost_ner::TokenEntity>,
) {
    let gold = outpost_ner::train::scheme_tags(s, model.scheme());
    let pred: Vec<Chunk> = ents.into_iter().map(Chunk::from).collect();
    scorer.add(s.tokens.len(), &chunks(&gold), &pred);
}

fn run_eval(a: EvalArgs) -> anyhow::Result<()> {
    let lang = parse_lang(&a.lang)?;
    let model = load_model(lang, a.model)?;
    let mut scorer = Scorer::new();
    let mut secs = 0.0;
    let mut tokens = 0usize;
    for f in &a.files {
        // each file is one run of consecutive sentences (a two-stage model sees its neighbours)
        let data = read_conll(f)?;
        let sents: Vec<Vec<&str>> = data
            .iter()
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect();
        let t0 = Instant::now();
        let found = model.entities_doc(&sents);
        secs += t0.elapsed().as_secs_f64();
        tokens += sents.iter().map(Vec::len).sum::<usize>();
        for (s, ents) in data.iter().zip(found) {
            score_sentence(&mut scorer, &model, s, ents);
        }
    }
    let mut report = scorer.report();
    report.tokens_per_second = if secs > 0.0 {
        (tokens as f64 / secs).round()
    } else {
        0.0
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
    } else {
        writeln!(
            out,
            "F1 {:.2}  P {:.2}  R {:.2}  partial F1 {:.2}  type F1 {:.2}  {} tokens, {:.0} tokens/s",
            report.f1,
            report.precision,
            report.recall,
            report.partial_f1,
            report.type_f1,
            report.tokens,
            report.tokens_per_second
        )?;
        for (ty, p) in &report.per_type {
            writeln!(
                out,
                "  {ty:<14} F1 {:6.2}  P {:6.2}  R {:6.2}  gold {}",
                p.f1, p.precision, p.recall, p.support
            )?;
        }
    }
    Ok(())
}
