//! The CLUENER hold-out used to judge zh model changes without touching `dev`: sentences `i` of
//! `cluener2020/train.conll` with `i % 10 == FOLD` are held out, the model is trained on the other
//! nine tenths (pass selection on the held-out tenth, as `outpost ner train` does on dev), and the
//! held-out tenth is scored per type, then re-decoded with a per-type entity bias (the `--bias`
//! of `outpost ner train`) at a few values.
//!
//! ```sh
//! cargo run --release -p outpost-ner --example zh_holdout -- [--fold 9] [--seeds 3] [--bits 22]
//!     [--epochs 25] [--crf --l2 1 --rate 0.03] [--clusters 128 --cluster-text FILE...]
//!     [--gov-lexicon MIN] [--mix-crf]
//! ```
//! `--gov-lexicon MIN`: lexicon features of <division name><suffix> names (suffixes seen after a
//! division name in at least MIN government spans of the training part). `--mix-crf`: also trains
//! three CRF runs (L2 1, rate 0.03, 12 passes) and scores the perceptron + CRF sum at a few mix
//! factors (1 = both parts scaled to the same emission spread, as `--crf-mix 1`).
//! Cluster text given as `.conll` is read as raw sentences; the train file in `--cluster-text` is
//! filtered to the nine training tenths (never the held-out text).
use outpost_ner::decode::{bio_mask, viterbi};
use outpost_ner::tags::{chunks, tag_of, Part};
use outpost_ner::{data_dir, read_conll, train, Gazetteer, Lang, Resources, Scorer, TrainConfig};
use std::path::PathBuf;

struct Opts {
    fold: usize,
    cfg: TrainConfig,
    clusters: usize,
    cluster_text: Vec<PathBuf>,
    gov_lexicon: usize,
    mix_crf: bool,
}

fn parse() -> Result<Opts, String> {
    let mut o = Opts {
        fold: 9,
        cfg: TrainConfig {
            epochs: 25,
            bits: 22,
            seeds: 3,
            verbose: true,
            ..TrainConfig::default()
        },
        clusters: 0,
        cluster_text: Vec::new(),
        gov_lexicon: 0,
        mix_crf: false,
    };
    let mut args = std::env::args().skip(1).peekable();
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let num = |s: String| s.parse::<f64>().map_err(|e| format!("{a}: {e}"));
        match a.as_str() {
            "--fold" => o.fold = num(val(&a)?)? as usize % 10,
            "--seeds" => o.cfg.seeds = num(val(&a)?)? as usize,
            "--bits" => o.cfg.bits = num(val(&a)?)? as u32,
            "--epochs" => o.cfg.epochs = num(val(&a)?)? as usize,
            "--crf" => o.cfg.crf = true,
            "--l2" => o.cfg.l2 = num(val(&a)?)? as f32,
            "--rate" => o.cfg.crf_rate = num(val(&a)?)? as f32,
            "--mix-crf" => o.mix_crf = true,
            "--gov-lexicon" => o.gov_lexicon = num(val(&a)?)? as usize,
            "--clusters" => o.clusters = num(val(&a)?)? as usize,
            "--cluster-text" => {
                while let Some(f) = args.next_if(|x| !x.starts_with("--")) {
                    o.cluster_text.push(f.into());
                }
            }
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(o)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let o = parse()?;
    let train_file = data_dir().join("ner/cluener2020/train.conll");
    let all = read_conll(&train_file)?;
    let (mut tr, mut ho) = (Vec::new(), Vec::new());
    for (i, s) in all.into_iter().enumerate() {
        if i % 10 == o.fold {
            ho.push(s);
        } else {
            tr.push(s);
        }
    }
    let gazetteer = Gazetteer::from_dir(&data_dir().join("gazetteer"), Lang::Zh)?;
    let clusters = if o.clusters > 0 {
        let mut lines = Vec::new();
        for f in &o.cluster_text {
            if f.canonicalize().ok() == train_file.canonicalize().ok() {
                lines.extend(tr.iter().map(|s| s.tokens.concat()));
            } else {
                lines.extend(outpost_ner::clusters::read_lines_zh(f)?);
            }
        }
        let c = outpost_ner::clusters::induce_zh(&lines, o.clusters, 12);
        eprintln!(
            "clusters: {} characters from {} lines",
            c.len(),
            lines.len()
        );
        c
    } else {
        Default::default()
    };
    let lexicon = if o.gov_lexicon > 0 {
        gov_lexicon(&tr, o.gov_lexicon)?
    } else {
        Default::default()
    };
    let res = Resources {
        gazetteer,
        clusters,
        lexicon,
    };
    let second = if o.mix_crf {
        let cfg = TrainConfig {
            crf: true,
            epochs: 12,
            l2: 1.0,
            crf_rate: 0.03,
            ..o.cfg.clone()
        };
        Some(train(Lang::Zh, &tr, &ho, res.clone(), &cfg)?.0)
    } else {
        None
    };
    let (model, rep) = train(Lang::Zh, &tr, &ho, res, &o.cfg)?;
    eprintln!("{}", serde_json::to_string(&rep)?);
    if let Some(m2) = &second {
        let t = model.tagset().len();
        let mask = bio_mask(t);
        let feats: Vec<(Vec<f32>, Vec<f32>, usize)> = ho
            .iter()
            .map(|s| {
                let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
                let f = model.features(&toks);
                (model.emissions(&f), m2.emissions(&f), f.len())
            })
            .collect();
        let sd = |v: &mut dyn Iterator<Item = f32>| {
            let (mut s, mut s2, mut k) = (0f64, 0f64, 0f64);
            for x in v {
                s += x as f64;
                s2 += (x as f64).powi(2);
                k += 1.0;
            }
            (s2 / k - (s / k).powi(2)).sqrt()
        };
        let r = sd(&mut feats.iter().flat_map(|x| x.0.iter().copied()))
            / sd(&mut feats.iter().flat_map(|x| x.1.iter().copied()));
        println!("scale ratio perceptron/crf {r:.2}");
        for a in [0.0f32, 0.25, 0.5, 1.0, 2.0, 4.0, 1e3] {
            let alpha = a * r as f32;
            let trans: Vec<f32> = model
                .transitions()
                .iter()
                .zip(m2.transitions())
                .map(|(x, y)| x + alpha * y)
                .collect();
            let mut sc = Scorer::new();
            for ((e1, e2, n), s) in feats.iter().zip(&ho) {
                let em: Vec<f32> = e1.iter().zip(e2).map(|(x, y)| x + alpha * y).collect();
                let path = viterbi(&em, *n, t, &trans, &mask);
                let pred: Vec<String> = path.iter().map(|&y| model.tagset().name(y)).collect();
                sc.add(*n, &chunks(&s.tags), &chunks(&pred));
            }
            let r = sc.report();
            let g = |ty: &str| r.per_type.get(ty).map_or(0.0, |p| p.f1);
            println!(
                "mix crf x{a}: overall {:.2} government {:.2} address {:.2} organization {:.2}",
                r.f1,
                g("government"),
                g("address"),
                g("organization")
            );
        }
    }
    let t = model.tagset().len();
    let mask = bio_mask(t);
    let ems: Vec<(Vec<f32>, usize)> = ho
        .iter()
        .map(|s| {
            let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let f = model.features(&toks);
            (model.emissions(&f), f.len())
        })
        .collect();
    let score = |bias: Option<(usize, f32)>| {
        let mut sc = Scorer::new();
        for ((em, n), s) in ems.iter().zip(&ho) {
            let mut em = em.clone();
            if let Some((k, b)) = bias {
                for i in 0..*n {
                    em[i * t + tag_of(k, Part::B)] += b;
                    em[i * t + tag_of(k, Part::U)] += b;
                }
            }
            let path = viterbi(&em, *n, t, model.transitions(), &mask);
            let pred: Vec<String> = path.iter().map(|&y| model.tagset().name(y)).collect();
            sc.add(*n, &chunks(&s.tags), &chunks(&pred));
        }
        sc.report()
    };
    let r = score(None);
    println!(
        "fold {} overall {:.2} P {:.2} R {:.2}",
        o.fold, r.f1, r.precision, r.recall
    );
    for (ty, p) in &r.per_type {
        println!(
            "  {ty:14} {:.2} P {:.2} R {:.2} n {}",
            p.f1, p.precision, p.recall, p.support
        );
    }
    let types = model.tagset().types().to_vec();
    for ty in ["government", "organization", "address"] {
        let Some(k) = types.iter().position(|x| x == ty) else {
            continue;
        };
        let mut line = format!("bias {ty} (value→overall/{ty}):");
        for b in [-15.0f32, -8.0, -4.0, 4.0, 8.0, 12.0, 16.0, 24.0] {
            let r = score(Some((k, b)));
            let f = r.per_type.get(ty).map_or(0.0, |p| p.f1);
            line += &format!(" {b}→{:.2}/{f:.2}", r.f1);
        }
        println!("{line}");
    }
    Ok(())
}

/// Names of the form <Chinese administrative division><government suffix>, the suffixes being what
/// follows a division name in the training data's government spans (seen at least `min` times).
fn gov_lexicon(
    tr: &[outpost_ner::Sentence],
    min: usize,
) -> Result<outpost_ner::gazetteer::Lexicon, Box<dyn std::error::Error>> {
    use std::collections::{BTreeMap, BTreeSet};
    let path = data_dir().join("gazetteer/china_admin_divisions.tsv");
    let text = std::fs::read_to_string(&path)?;
    let mut admin: BTreeSet<String> = BTreeSet::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        for k in [2, 3] {
            if let Some(n) = cells.get(k).filter(|n| n.chars().count() >= 2) {
                admin.insert(n.to_string());
            }
        }
    }
    let mut suffixes: BTreeMap<String, usize> = BTreeMap::new();
    for s in tr {
        for c in chunks(&s.tags) {
            if c.ty != "government" {
                continue;
            }
            let span: String = s.tokens[c.start..c.end].concat();
            let cut = span
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(span.len()))
                .filter(|&b| b > 0 && admin.contains(&span[..b]))
                .max();
            if let Some(b) = cut.filter(|&b| b < span.len()) {
                *suffixes.entry(span[b..].to_string()).or_default() += 1;
            }
        }
    }
    suffixes.retain(|_, n| *n >= min);
    eprintln!(
        "gov lexicon: {} division names x {} suffixes",
        admin.len(),
        suffixes.len()
    );
    let mut lx = outpost_ner::gazetteer::Lexicon::new();
    for a in &admin {
        for x in suffixes.keys() {
            let name = format!("{a}{x}");
            let units: Vec<String> = name.chars().map(String::from).collect();
            let refs: Vec<&str> = units.iter().map(String::as_str).collect();
            lx.add(&refs, 0);
        }
    }
    Ok(lx)
}
