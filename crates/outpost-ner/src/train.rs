//! Training: a structured averaged perceptron (Collins 2002) over hashed features, with BIO-
//! constrained Viterbi, model selection on the dev set by strict span F1, and confidence
//! calibration (softmax temperature chosen on the dev set by the Brier score of span correctness).

use crate::conll::Sentence;
use crate::context::{context_codes, Codes};
use crate::decode::{bio_mask, marginals, viterbi};
use crate::error::{NerError, Result};
use crate::features::{extract_with, Resources, SentFeats};
use crate::gazetteer::Lexicon;
use crate::lang::Lang;
use crate::model::{entities_of_path, Model};
use crate::score::Scorer;
use crate::tags::{chunks, common_tag, tag_of, LabelScheme, Part, TagSet};
use serde::Serialize;
use std::time::Instant;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Passes over the training data (the best pass on dev is kept).
    pub epochs: usize,
    /// log2 of the number of weight rows (feature hashing space).
    pub bits: u32,
    /// Keep the files' type names or map them onto the common set.
    pub scheme: LabelScheme,
    /// Seed of the shuffling between passes.
    pub seed: u64,
    /// Print one progress line per pass to stderr.
    pub verbose: bool,
    /// Stop after this many passes without a dev improvement.
    pub patience: usize,
    /// Add features from a lexicon of the training data's entity strings (jackknifed in training).
    pub lexicon: bool,
    /// Independent runs (different shuffles) whose selected weights are summed (an ensemble that
    /// costs nothing at tagging time).
    pub seeds: usize,
    /// Two-stage training when ≥ 2: a first-pass model is trained on all of `train`, the
    /// first-pass tags of the training sentences come from `folds` models each trained without
    /// one contiguous block (jackknifing), and the second model learns from context features
    /// ([`crate::context`]) of those tags. 0 or 1: one stage.
    pub folds: usize,
    /// Sentences on each side that count as context in a two-stage model.
    pub window: usize,
    /// Loss-augmented training: wrong tags get this bonus when decoding a training sentence
    /// (0: plain perceptron decoding).
    pub margin: f32,
    /// Passive-aggressive (PA-I) updates capped at this step (0: perceptron steps of 1).
    pub pa: f32,
    /// Train a linear-chain CRF instead of the averaged perceptron: SGD on the L2-regularised
    /// log-likelihood with forward-backward marginals, weights averaged over passes.
    pub crf: bool,
    /// CRF: L2 penalty on the feature weights (per corpus pass).
    pub l2: f32,
    /// CRF: initial learning rate (decays as `rate / (1 + pass)`).
    pub crf_rate: f32,
    /// CRF: most passes of each CRF run (with `crf` or `crf_mix`).
    pub crf_epochs: usize,
    /// When > 0 (and `crf` is off): also train `seeds` CRF runs and add their summed weights to
    /// the perceptron's, scaled so that both parts' emission scores have the same spread on the
    /// training data, times this factor (a two-learner ensemble with no tagging cost).
    pub crf_mix: f32,
    /// Per-type decoding bias added to the first tag (B or U) of every entity of that type, in the
    /// units of the final (summed) weights: > 0 favours the type, < 0 disfavours it.
    pub type_bias: Vec<(String, f32)>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 15,
            bits: 20,
            scheme: LabelScheme::Native,
            seed: 7,
            verbose: false,
            patience: 4,
            seeds: 1,
            lexicon: false,
            folds: 0,
            window: crate::context::DEFAULT_WINDOW,
            margin: 0.0,
            pa: 0.0,
            type_bias: Vec::new(),
            crf: false,
            l2: 1.0,
            crf_rate: 0.1,
            crf_epochs: 12,
            crf_mix: 0.0,
        }
    }
}

/// What happened during training.
#[derive(Debug, Clone, Serialize)]
pub struct TrainReport {
    /// Training sentences.
    pub train_sentences: usize,
    /// Training tokens.
    pub train_tokens: usize,
    /// Passes run (all runs together).
    pub epochs_run: usize,
    /// The pass whose averaged weights were kept (1-based; first run when several).
    pub best_epoch: usize,
    /// Strict F1 × 100 on dev of the kept weights (0 without dev data).
    pub dev_f1: f64,
    /// Calibrated softmax temperature.
    pub temperature: f32,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Maps a sentence's tags per the scheme.
pub fn scheme_tags(s: &Sentence, scheme: LabelScheme) -> Vec<String> {
    match scheme {
        LabelScheme::Native => s.tags.clone(),
        LabelScheme::Common => s.tags.iter().map(|t| common_tag(t)).collect(),
    }
}

/// Featurised sentences with their gold BILOU tag indices and BIO tag strings.
pub(crate) struct Prepared {
    pub(crate) feats: Vec<SentFeats>,
    pub(crate) gold: Vec<Vec<usize>>,
    pub(crate) tags: Vec<Vec<String>>,
}

/// Featurises `data`; sentence `k` uses `res[k % res.len()]` (jackknifed lexicons).
fn prepare(
    lang: Lang,
    res: &[&Resources],
    bits: u32,
    data: &[Sentence],
    tagset: &TagSet,
    scheme: LabelScheme,
    codes: Option<&[Vec<Codes>]>,
) -> Prepared {
    let mut p = Prepared {
        feats: Vec::with_capacity(data.len()),
        gold: Vec::with_capacity(data.len()),
        tags: Vec::with_capacity(data.len()),
    };
    for (k, s) in data.iter().enumerate() {
        let res = res[k % res.len()];
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let tags = scheme_tags(s, scheme);
        // conlleval chunks re-encoded as BILOU
        let mut gold = vec![0usize; tags.len()];
        for c in chunks(&tags) {
            let Some(k) = tagset.type_index(&c.ty) else {
                continue;
            };
            if c.end - c.start == 1 {
                gold[c.start] = tag_of(k, Part::U);
                continue;
            }
            gold[c.start] = tag_of(k, Part::B);
            for g in gold.iter_mut().take(c.end - 1).skip(c.start + 1) {
                *g = tag_of(k, Part::I);
            }
            gold[c.end - 1] = tag_of(k, Part::L);
        }
        let ctx = codes.and_then(|c| c.get(k)).map(Vec::as_slice);
        p.feats.push(extract_with(lang, res, bits, &toks, ctx));
        p.gold.push(gold);
        p.tags.push(tags);
    }
    p
}

/// Emission scores (`n × t`) of a featurised sentence under dense weights.
pub(crate) fn emissions(w: &[f32], f: &SentFeats, t: usize, em: &mut Vec<f32>) {
    let n = f.len();
    em.clear();
    em.resize(n * t, 0.0);
    for i in 0..n {
        let out = &mut em[i * t..(i + 1) * t];
        for &r in f.token(i) {
            let row = &w[r as usize * t..(r as usize + 1) * t];
            for (o, x) in out.iter_mut().zip(row) {
                *o += x;
            }
        }
    }
}

/// Strict span F1 on the prepared dev set under dense weights.
pub(crate) fn dev_f1(
    w: &[f32],
    trans: &[f32],
    mask: &[bool],
    t: usize,
    dev: &Prepared,
    tagset: &TagSet,
) -> f64 {
    let mut sc = Scorer::new();
    let mut em = Vec::new();
    for (f, gold) in dev.feats.iter().zip(&dev.tags) {
        emissions(w, f, t, &mut em);
        let path = viterbi(&em, f.len(), t, trans, mask);
        let pred: Vec<String> = path.iter().map(|&y| tagset.name(y)).collect();
        sc.add(f.len(), &chunks(gold), &chunks(&pred));
    }
    sc.report().f1
}

/// The kept weights of one training run.
pub(crate) struct Run {
    pub(crate) f1: f64,
    pub(crate) best_epoch: usize,
    pub(crate) epochs_run: usize,
    pub(crate) weights: Vec<f32>,
    pub(crate) trans: Vec<f32>,
}

/// Passive-aggressive step size (Crammer et al. 2006, PA-I): the smallest update that makes the
/// gold path beat the prediction by its Hamming loss, capped at `cfg.pa`. `em` may be
/// loss-augmented by `cfg.margin`; the raw score difference is recovered from it.
fn pa_step(
    em: &[f32],
    trans: &[f32],
    t: usize,
    f: &SentFeats,
    gold: &[usize],
    pred: &[usize],
    cfg: &TrainConfig,
) -> f32 {
    let n = gold.len();
    let score = |path: &[usize]| -> f32 {
        let mut s = 0.0;
        for i in 0..n {
            let aug = if path[i] != gold[i] { cfg.margin } else { 0.0 };
            s += em[i * t + path[i]] - aug;
            let prev = if i == 0 { t } else { path[i - 1] };
            s += trans[prev * (t + 1) + path[i]];
        }
        s + trans[path[n - 1] * (t + 1) + t]
    };
    let loss = gold.iter().zip(pred).filter(|(g, p)| g != p).count() as f32;
    let mut norm = 0.0f32;
    for i in 0..n {
        if gold[i] != pred[i] {
            norm += 2.0 * f.token(i).len() as f32 + 4.0;
        }
    }
    let diff = score(pred) - score(gold) + loss.sqrt();
    if norm <= 0.0 || diff <= 0.0 {
        return 0.0;
    }
    (diff / norm).min(cfg.pa)
}

/// Shuffles `order` in place (Fisher–Yates with xorshift64 state `rng`, advanced): the pass order
/// of both trainers, so a seed gives the same order in each.
pub(crate) fn shuffle(order: &mut [usize], rng: &mut u64) {
    for k in (1..order.len()).rev() {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        order.swap(k, (*rng % (k as u64 + 1)) as usize);
    }
}

/// One perceptron run with a shuffling seed; keeps the averaged weights of the best dev pass.
#[allow(clippy::too_many_arguments)]
fn perceptron(
    cfg: &TrainConfig,
    seed: u64,
    rows: usize,
    t: usize,
    tr: &Prepared,
    dv: &Prepared,
    tagset: &TagSet,
    started: &Instant,
) -> Run {
    let tw = (t + 1) * (t + 1);
    let mask = bio_mask(t);
    let mut w = vec![0f32; rows * t];
    let mut u = vec![0f32; rows * t];
    let mut trans = vec![0f32; tw];
    let mut utrans = vec![0f32; tw];
    let mut best = (f64::NEG_INFINITY, 0usize, Vec::new(), Vec::new());
    let mut avg = vec![0f32; rows * t];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..tr.feats.len()).collect();
    let mut rng = seed | 1;
    let mut em = Vec::new();
    let mut epochs_run = 0;
    for epoch in 0..cfg.epochs.max(1) {
        epochs_run = epoch + 1;
        shuffle(&mut order, &mut rng);
        let mut errors = 0usize;
        for &s in &order {
            let f = &tr.feats[s];
            let gold = &tr.gold[s];
            let n = f.len();
            emissions(&w, f, t, &mut em);
            if cfg.margin > 0.0 {
                // loss-augmented decoding: every wrong tag gets a head start of `margin`
                for (i, &g) in gold.iter().enumerate() {
                    em[i * t..(i + 1) * t]
                        .iter_mut()
                        .enumerate()
                        .filter(|(y, _)| *y != g)
                        .for_each(|(_, x)| *x += cfg.margin);
                }
            }
            let pred = viterbi(&em, n, t, &trans, &mask);
            if pred != *gold {
                errors += 1;
                let step = if cfg.pa > 0.0 {
                    pa_step(&em, &trans, t, f, gold, &pred, cfg)
                } else {
                    1.0
                };
                let cs = c * step;
                for i in 0..n {
                    let (g, p) = (gold[i], pred[i]);
                    if g != p {
                        for &r in f.token(i) {
                            let b = r as usize * t;
                            w[b + g] += step;
                            u[b + g] += cs;
                            w[b + p] -= step;
                            u[b + p] -= cs;
                        }
                    }
                    let gp = if i == 0 { t } else { gold[i - 1] };
                    let pp = if i == 0 { t } else { pred[i - 1] };
                    if (gp, g) != (pp, p) {
                        trans[gp * (t + 1) + g] += step;
                        utrans[gp * (t + 1) + g] += cs;
                        trans[pp * (t + 1) + p] -= step;
                        utrans[pp * (t + 1) + p] -= cs;
                    }
                }
                let (g, p) = (gold[n - 1], pred[n - 1]);
                if g != p {
                    trans[g * (t + 1) + t] += step;
                    utrans[g * (t + 1) + t] += cs;
                    trans[p * (t + 1) + t] -= step;
                    utrans[p * (t + 1) + t] -= cs;
                }
            }
            c += 1.0;
        }
        for ((a, &x), &y) in avg.iter_mut().zip(&w).zip(&u) {
            *a = x - y / c;
        }
        let atrans: Vec<f32> = trans.iter().zip(&utrans).map(|(x, y)| x - y / c).collect();
        let f1 = if dv.feats.is_empty() {
            epoch as f64
        } else {
            dev_f1(&avg, &atrans, &mask, t, dv, tagset)
        };
        if cfg.verbose {
            eprintln!(
                "pass {epochs_run}: {errors} sentences wrong, dev F1 {f1:.2}, {:.1}s",
                started.elapsed().as_secs_f64()
            );
        }
        if f1 > best.0 {
            best = (f1, epochs_run, std::mem::take(&mut avg), atrans);
            avg = vec![0f32; rows * t];
        } else if epochs_run - best.1 >= cfg.patience {
            break;
        }
    }
    Run {
        f1: best.0,
        best_epoch: best.1,
        epochs_run,
        weights: best.2,
        trans: best.3,
    }
}

/// Trains a model on `train`, selecting the pass and calibrating confidences on `dev` (may be
/// empty: then the last pass is kept and the temperature is 1). Returns [`NerError::Train`] when
/// `train` is empty or has no entity.
pub fn train(
    lang: Lang,
    train: &[Sentence],
    dev: &[Sentence],
    res: Resources,
    cfg: &TrainConfig,
) -> Result<(Model, TrainReport)> {
    if cfg.folds < 2 {
        return train_stage(lang, train, dev, res, cfg, None);
    }
    let started = Instant::now();
    let one = TrainConfig {
        folds: 0,
        ..cfg.clone()
    };
    let (first, r1) = train_stage(lang, train, dev, res.clone(), &one, None)?;
    if cfg.verbose {
        eprintln!("first stage: dev F1 {:.2}", r1.dev_f1);
    }
    let (train_refs, dev_refs) = (token_refs(train), token_refs(dev));
    // jackknifed first-pass tags of the training sentences
    let n = train.len();
    let k = cfg.folds.min(n);
    let mut paths: Vec<Vec<usize>> = vec![Vec::new(); n];
    for f in 0..k {
        let (a, b) = (f * n / k, (f + 1) * n / k);
        let rest: Vec<Sentence> = train[..a].iter().chain(&train[b..]).cloned().collect();
        let (mf, rf) = train_stage(lang, &rest, dev, res.clone(), &one, None)?;
        if mf.tagset() != first.tagset() {
            return Err(NerError::Train(format!(
                "fold {} lacks an entity type of the training data",
                f + 1
            )));
        }
        if cfg.verbose {
            eprintln!("fold {}/{k}: dev F1 {:.2}", f + 1, rf.dev_f1);
        }
        for (p, s) in paths[a..b].iter_mut().zip(&train_refs[a..b]) {
            *p = mf.tag_indices(s);
        }
    }
    let train_codes = context_codes(&train_refs, &paths, cfg.window);
    let dev_paths: Vec<Vec<usize>> = dev_refs.iter().map(|s| first.tag_indices(s)).collect();
    let dev_codes = context_codes(&dev_refs, &dev_paths, cfg.window);
    let (model, mut report) = train_stage(
        lang,
        train,
        dev,
        res,
        &one,
        Some((&train_codes, &dev_codes)),
    )?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok((model.with_stage1(first, cfg.window), report))
}

/// Context codes of each sentence of a run of sentences.
type DocCodes = Vec<Codes>;

fn token_refs(data: &[Sentence]) -> Vec<Vec<&str>> {
    data.iter()
        .map(|s| s.tokens.iter().map(String::as_str).collect())
        .collect()
}

/// One stage of training; `codes` are the context codes of the train and dev sentences for a
/// second stage.
fn train_stage(
    lang: Lang,
    train: &[Sentence],
    dev: &[Sentence],
    res: Resources,
    cfg: &TrainConfig,
    codes: Option<(&[DocCodes], &[DocCodes])>,
) -> Result<(Model, TrainReport)> {
    let started = Instant::now();
    let (tc, dc) = (codes.map(|c| c.0), codes.map(|c| c.1));
    if train.is_empty() {
        return Err(NerError::Train("no training sentences".into()));
    }
    let bits = cfg.bits.clamp(10, 24);
    let mut types: Vec<String> = train
        .iter()
        .flat_map(|s| scheme_tags(s, cfg.scheme))
        .filter_map(|t| t.get(2..).map(str::to_string))
        .collect();
    types.sort();
    types.dedup();
    if types.is_empty() {
        return Err(NerError::Train("the training data has no entity".into()));
    }
    let tagset = TagSet::new(&types);
    let t = tagset.len();
    let mut res = res;
    let (tr, dv) = if cfg.lexicon {
        // jackknife: even sentences see the lexicon of odd ones and vice versa; dev and the saved
        // model see the lexicon of all training sentences
        let min = if lang == Lang::Zh { 2 } else { 1 };
        let build = |keep: &dyn Fn(usize) -> bool| {
            let mut lx = Lexicon::new();
            for (k, s) in train.iter().enumerate().filter(|(k, _)| keep(*k)) {
                let tags = scheme_tags(s, cfg.scheme);
                for c in chunks(&tags) {
                    if let Some(ty) = tagset.type_index(&c.ty) {
                        lx.add_entity(&s.tokens[c.start..c.end], ty, min);
                    }
                }
                let _ = k;
            }
            lx
        };
        let even = Resources {
            lexicon: build(&|k| k % 2 == 1),
            ..res.clone()
        };
        let odd = Resources {
            lexicon: build(&|k| k % 2 == 0),
            ..res.clone()
        };
        res.lexicon = build(&|_| true);
        let tr = prepare(lang, &[&even, &odd], bits, train, &tagset, cfg.scheme, tc);
        let dv = prepare(lang, &[&res], bits, dev, &tagset, cfg.scheme, dc);
        (tr, dv)
    } else {
        // a lexicon given by the caller (built from other data) is kept as it is
        let tr = prepare(lang, &[&res], bits, train, &tagset, cfg.scheme, tc);
        let dv = prepare(lang, &[&res], bits, dev, &tagset, cfg.scheme, dc);
        (tr, dv)
    };
    let train_tokens: usize = tr.feats.iter().map(|f| f.len()).sum();
    if cfg.verbose {
        eprintln!(
            "features ready: {} sentences, {} tokens, {} types, {:.1}s",
            train.len(),
            train_tokens,
            types.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let rows = 1usize << bits;
    let mask = bio_mask(t);
    let seeds = cfg.seeds.max(1);
    let crf_cfg = TrainConfig {
        epochs: cfg.crf_epochs,
        ..cfg.clone()
    };
    let ensemble = |crf: bool| {
        let mut sum: Option<Run> = None;
        for k in 0..seeds {
            let seed = cfg.seed.wrapping_add(0x9E37_79B9 * k as u64);
            let run = if crf {
                crate::crf::crf_run(&crf_cfg, seed, rows, t, &tr, &dv, &tagset, &started)
            } else {
                perceptron(cfg, seed, rows, t, &tr, &dv, &tagset, &started)
            };
            if cfg.verbose && seeds > 1 {
                eprintln!(
                    "run {}: best pass {} dev F1 {:.2}",
                    k + 1,
                    run.best_epoch,
                    run.f1
                );
            }
            sum = Some(match sum {
                None => run,
                Some(mut acc) => {
                    add_scaled(&mut acc.weights, &run.weights, 1.0);
                    add_scaled(&mut acc.trans, &run.trans, 1.0);
                    acc.epochs_run += run.epochs_run;
                    acc
                }
            });
        }
        sum
    };
    let first = ensemble(cfg.crf).ok_or_else(|| NerError::Train("no training run".into()))?;
    let (mut epochs_run, best_epoch, first_f1) = (first.epochs_run, first.best_epoch, first.f1);
    let (mut weights, mut btrans) = (first.weights, first.trans);
    if cfg.crf_mix > 0.0 && !cfg.crf {
        let second = ensemble(true).ok_or_else(|| NerError::Train("no CRF run".into()))?;
        epochs_run += second.epochs_run;
        // the spread is measured on the dev sentences (no labels used), else on training ones
        let on = if dv.feats.is_empty() { &tr } else { &dv };
        let ratio = emission_spread(&weights, t, on) / emission_spread(&second.weights, t, on);
        let a = cfg.crf_mix * if ratio.is_finite() { ratio as f32 } else { 1.0 };
        if cfg.verbose {
            eprintln!("CRF part scaled by {a:.3}");
        }
        add_scaled(&mut weights, &second.weights, a);
        add_scaled(&mut btrans, &second.trans, a);
    }
    let bias = crate::features::bias_row(bits) as usize * t;
    for (ty, b) in &cfg.type_bias {
        let k = tagset
            .type_index(ty)
            .ok_or_else(|| NerError::Train(format!("--bias names an unknown type {ty}")))?;
        weights[bias + tag_of(k, Part::B)] += b;
        weights[bias + tag_of(k, Part::U)] += b;
    }
    let best_f1 = if (seeds == 1 && cfg.crf_mix <= 0.0) || dv.feats.is_empty() {
        first_f1
    } else {
        dev_f1(&weights, &btrans, &mask, t, &dv, &tagset)
    };
    let temperature = if dv.feats.is_empty() {
        1.0
    } else {
        calibrate(&weights, &btrans, &mask, t, &dv, &tagset)
    };
    let report = TrainReport {
        train_sentences: train.len(),
        train_tokens,
        epochs_run,
        best_epoch,
        dev_f1: if dv.feats.is_empty() { 0.0 } else { best_f1 },
        temperature,
        seconds: started.elapsed().as_secs_f64(),
    };
    let meta = serde_json::to_string(&report).unwrap_or_default();
    let model = Model::from_dense(
        lang,
        tagset,
        cfg.scheme,
        bits,
        res,
        &weights,
        btrans,
        temperature,
        meta,
    );
    Ok((model, report))
}

/// `dst += a * src`, element by element (runs summed into an ensemble; `a = 1` adds exactly).
fn add_scaled(dst: &mut [f32], src: &[f32], a: f32) {
    dst.iter_mut().zip(src).for_each(|(x, y)| *x += a * y);
}

/// Standard deviation of the emission scores of (at most 2,000) prepared sentences.
fn emission_spread(w: &[f32], t: usize, tr: &Prepared) -> f64 {
    let (mut s, mut s2, mut k) = (0f64, 0f64, 0f64);
    let mut em = Vec::new();
    for f in tr.feats.iter().take(2000) {
        emissions(w, f, t, &mut em);
        for &x in &em {
            s += x as f64;
            s2 += (x as f64) * (x as f64);
            k += 1.0;
        }
    }
    if k == 0.0 {
        return 1.0;
    }
    (s2 / k - (s / k) * (s / k)).max(0.0).sqrt()
}

/// Picks the temperature whose span confidences best predict span correctness on dev (Brier).
fn calibrate(
    w: &[f32],
    trans: &[f32],
    mask: &[bool],
    t: usize,
    dev: &Prepared,
    tagset: &TagSet,
) -> f32 {
    let mut em = Vec::new();
    let mut best = (f64::INFINITY, 1.0f32);
    let sample: Vec<usize> = (0..dev.feats.len())
        .step_by(1.max(dev.feats.len() / 1500))
        .collect();
    let mut cached: Vec<(Vec<f32>, Vec<usize>)> = Vec::new();
    for &s in &sample {
        let f = &dev.feats[s];
        emissions(w, f, t, &mut em);
        let path = viterbi(&em, f.len(), t, trans, mask);
        cached.push((em.clone(), path));
    }
    // wide enough for ensembles, whose summed weights grow with the number of runs
    for k in -4..=30 {
        let temp = 2f32.powf(k as f32 / 2.0);
        let (mut loss, mut count) = (0.0f64, 0usize);
        for (&s, (em, path)) in sample.iter().zip(&cached) {
            let n = path.len();
            let marg = marginals(em, n, t, trans, mask, temp);
            let gold = chunks(&dev.tags[s]);
            for e in entities_of_path(path, tagset, |i, y| marg[i * t + y]) {
                let ok = gold
                    .iter()
                    .any(|g| g.start == e.start && g.end == e.end && g.ty == e.ty);
                let d = e.score as f64 - if ok { 1.0 } else { 0.0 };
                loss += d * d;
                count += 1;
            }
        }
        let loss = loss / count.max(1) as f64;
        if loss < best.0 {
            best = (loss, temp);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(pairs: &[(&str, &str)]) -> Sentence {
        Sentence {
            tokens: pairs.iter().map(|p| p.0.to_string()).collect(),
            tags: pairs.iter().map(|p| p.1.to_string()).collect(),
        }
    }

    fn synthetic() -> Vec<Sentence> {
        let people = [
            "Alice Smith",
            "Bob Jones",
            "Carla Diaz",
            "Dan Brown",
            "Eve Stone",
        ];
        let places = ["Madrid", "Prato", "Dublin", "Toronto", "Rotterdam"];
        let mut out = Vec::new();
        for (k, p) in people.iter().enumerate() {
            for (j, l) in places.iter().enumerate() {
                let (first, last) = p.split_once(' ').unwrap_or((p, ""));
                let verb = ["visited", "left", "reached"][(k + j) % 3];
                out.push(sent(&[
                    (first, "B-PER"),
                    (last, "I-PER"),
                    (verb, "O"),
                    (l, "B-LOC"),
                    ("yesterday", "O"),
                    (".", "O"),
                ]));
            }
        }
        out
    }

    #[test]
    fn learns_a_tiny_synthetic_set_and_round_trips() {
        let data = synthetic();
        let (train, dev) = data.split_at(20);
        let cfg = TrainConfig {
            epochs: 8,
            bits: 14,
            lexicon: true,
            seeds: 2,
            ..TrainConfig::default()
        };
        let (model, report) = train_fn(train, dev, &cfg);
        assert!(!model.resources().lexicon.is_empty());
        assert!(report.dev_f1 > 90.0, "dev F1 {}", report.dev_f1);
        let toks = ["Eve", "Stone", "visited", "Dublin", "yesterday", "."];
        assert_eq!(
            model.tag_strings(&toks),
            vec!["B-PER", "I-PER", "O", "B-LOC", "O", "O"]
        );
        let ents = model.entities(&toks);
        assert_eq!(ents.len(), 2);
        assert!(ents.iter().all(|e| e.score > 0.0 && e.score <= 1.0));
        // save / load round trip gives the same tags and near-identical scores
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.bin");
        model.save(&path).unwrap();
        let back = Model::load(&path).unwrap();
        assert_eq!(back.tag_strings(&toks), model.tag_strings(&toks));
        assert_eq!(back.tagset(), model.tagset());
        assert_eq!(back.resources(), model.resources());
        for (a, b) in back.entities(&toks).iter().zip(&ents) {
            assert!((a.score - b.score).abs() < 1e-3);
        }
        // text tagging keeps byte offsets
        let text = "Bob  Jones reached Toronto yesterday.";
        let found = back.tag_text(text);
        let got: Vec<&str> = found.iter().map(|e| &text[e.bytes.clone()]).collect();
        assert_eq!(got, vec!["Bob  Jones", "Toronto"]);
    }

    #[test]
    fn two_stage_and_passive_aggressive_training_learn_and_round_trip() {
        let data = synthetic();
        let (train, dev) = data.split_at(20);
        let cfg = TrainConfig {
            epochs: 6,
            bits: 14,
            folds: 2,
            window: 2,
            pa: 1.0,
            margin: 0.5,
            ..TrainConfig::default()
        };
        let (model, report) = train_fn(train, dev, &cfg);
        assert!(report.dev_f1 > 90.0, "dev F1 {}", report.dev_f1);
        assert_eq!(model.stage1().map(|(_, w)| w), Some(2));
        let doc: Vec<Vec<&str>> = vec![
            vec!["Eve", "Stone", "visited", "Dublin", "yesterday", "."],
            vec!["Stone", "left", "Prato", "yesterday", "."],
        ];
        let found = model.entities_doc(&doc);
        assert_eq!(found.len(), 2);
        let types: Vec<&str> = found[0].iter().map(|e| e.ty.as_str()).collect();
        assert_eq!(types, vec!["PER", "LOC"]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.bin");
        model.save(&path).unwrap();
        let back = Model::load(&path).unwrap();
        assert!(back.stage1().is_some());
        assert_eq!(back.entities_doc(&doc), found);
        // too many folds for the data: a fold lacking a type is an error, not a panic
        let few = &data[..3];
        let cfg = TrainConfig { folds: 3, ..cfg };
        let _ = super::train(Lang::En, few, &[], Resources::default(), &cfg);
    }

    #[test]
    fn crf_training_learns_and_type_bias_shifts_decoding() {
        let data = synthetic();
        let (train, dev) = data.split_at(20);
        let cfg = TrainConfig {
            epochs: 8,
            bits: 14,
            crf: true,
            crf_rate: 0.2,
            ..TrainConfig::default()
        };
        let (model, report) = train_fn(train, dev, &cfg);
        assert!(report.dev_f1 > 90.0, "dev F1 {}", report.dev_f1);
        let toks = ["Eve", "Stone", "visited", "Dublin", "yesterday", "."];
        assert_eq!(
            model.tag_strings(&toks),
            vec!["B-PER", "I-PER", "O", "B-LOC", "O", "O"]
        );
        // perceptron + CRF ensemble
        let mixed = TrainConfig {
            crf: false,
            crf_mix: 1.0,
            seeds: 2,
            ..cfg.clone()
        };
        let (model, report) = train_fn(train, dev, &mixed);
        assert!(report.dev_f1 > 90.0, "dev F1 {}", report.dev_f1);
        assert_eq!(
            model.tag_strings(&toks),
            vec!["B-PER", "I-PER", "O", "B-LOC", "O", "O"]
        );
        // a large negative bias on LOC removes every LOC entity
        let biased = TrainConfig {
            type_bias: vec![("LOC".into(), -1e4)],
            ..cfg.clone()
        };
        let (model, _) = train_fn(train, dev, &biased);
        assert!(model.entities(&toks).iter().all(|e| e.ty != "LOC"));
        let unknown = TrainConfig {
            type_bias: vec![("NOPE".into(), 1.0)],
            ..cfg
        };
        assert!(super::train(Lang::En, train, dev, Resources::default(), &unknown).is_err());
    }

    fn train_fn(train: &[Sentence], dev: &[Sentence], cfg: &TrainConfig) -> (Model, TrainReport) {
        super::train(Lang::En, train, dev, Resources::default(), cfg).unwrap()
    }

    #[test]
    fn rejects_empty_or_entity_free_data() {
        let cfg = TrainConfig::default();
        assert!(super::train(Lang::En, &[], &[], Resources::default(), &cfg).is_err());
        let o = vec![sent(&[("a", "O")])];
        assert!(super::train(Lang::En, &o, &[], Resources::default(), &cfg).is_err());
    }

    #[test]
    fn corrupt_model_files_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.bin");
        std::fs::write(&p, b"not a model").unwrap();
        let e = Model::load(&p).unwrap_err().to_string();
        assert!(e.contains("bad.bin"), "{e}");
    }
}
