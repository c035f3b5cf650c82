//! Span-level stacking and mention-replacement experiments on the CLUENER train hold-out (the
//! split of `zh_holdout`: sentence `i` held out when `i % 10 == FOLD`). Models go to
//! `/tmp/zhstack/FOLD_PART.bin`.
//!
//! ```sh
//! zh_stack train --fold F --part full [--augment N [--augment-types T,...]] [--dup-types T,...]
//!     [--tag NAME]
//! zh_stack train --fold F --part P --of K     # inner model without block P of K (P = 0..K-1)
//! zh_stack score --fold F --model full        # per-type strict F1 on the hold-out
//! [VARIANTS=1] [EPOCHS=10] zh_stack eval --fold F --of K
//! ```
//! `train` trains on the nine training tenths (`full`) or on them without one inner block, with
//! pass selection on the held-out tenth (as `zh_holdout`); `--augment N` adds N copies of every
//! sentence with each entity replaced by a random training mention of the same type (Dai & Adel
//! 2020), `--augment-types` limits that to sentences and entities of those types, and
//! `--dup-types` adds a second copy of every sentence holding an entity of those types. `eval`
//! trains a span classifier (a multiclass averaged perceptron over the span's characters, head
//! and context characters, stage-1 type and confidence, and the stage-1 posterior of the exact
//! span under every type) on the out-of-fold stage-1 spans of the training tenths (`VARIANTS=1`:
//! also every span with its start or end moved by up to two characters), and scores stage 1
//! alone, an oracle, and stage 1 + classifier at several thresholds on the hold-out.
use outpost_ner::tags::{chunks, Chunk};
use outpost_ner::{
    data_dir, read_conll, train, Gazetteer, Lang, Model, Resources, Sentence, TrainConfig,
};
use std::path::PathBuf;

fn split(fold: usize) -> Result<(Vec<Sentence>, Vec<Sentence>), Box<dyn std::error::Error>> {
    let all = read_conll(&data_dir().join("ner/cluener2020/train.conll"))?;
    let (mut tr, mut ho) = (Vec::new(), Vec::new());
    for (i, s) in all.into_iter().enumerate() {
        if i % 10 == fold {
            ho.push(s);
        } else {
            tr.push(s);
        }
    }
    Ok((tr, ho))
}

fn block(n: usize, k: usize, p: usize) -> (usize, usize) {
    (p * n / k, (p + 1) * n / k)
}

fn path(fold: usize, part: &str) -> PathBuf {
    PathBuf::from(format!("/tmp/zhstack/{fold}_{part}.bin"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let fold: usize = get("--fold").unwrap_or("9".into()).parse()?;
    let of: usize = get("--of").unwrap_or("5".into()).parse()?;
    let seeds: usize = get("--seeds").unwrap_or("3".into()).parse()?;
    let (tr, ho) = split(fold)?;
    match args.first().map(String::as_str) {
        Some("train") => {
            let part = get("--part").ok_or("--part")?;
            let data: Vec<Sentence> = if part == "full" {
                tr.clone()
            } else {
                let p: usize = part.parse()?;
                let (a, b) = block(tr.len(), of, p);
                tr[..a].iter().chain(&tr[b..]).cloned().collect()
            };
            let aug: usize = get("--augment").unwrap_or("0".into()).parse()?;
            let only: Option<String> = get("--augment-types");
            let mut data = data;
            if aug > 0 {
                let extra = augment(&data, aug, only.as_deref());
                eprintln!("augmented: {} + {}", data.len(), extra.len());
                data.extend(extra);
            }
            if let Some(types) = get("--dup-types") {
                let extra: Vec<Sentence> = data
                    .iter()
                    .filter(|s| {
                        chunks(&s.tags)
                            .iter()
                            .any(|c| types.split(',').any(|t| t == c.ty))
                    })
                    .cloned()
                    .collect();
                eprintln!("duplicated: {} + {}", data.len(), extra.len());
                data.extend(extra);
            }
            let tag = get("--tag").unwrap_or_default();
            let part = format!("{part}{tag}");
            let res = Resources {
                gazetteer: Gazetteer::from_dir(&data_dir().join("gazetteer"), Lang::Zh)?,
                ..Default::default()
            };
            let cfg = TrainConfig {
                epochs: 25,
                bits: 22,
                seeds,
                verbose: false,
                ..TrainConfig::default()
            };
            let (m, rep) = train(Lang::Zh, &data, &ho, res, &cfg)?;
            eprintln!("{part}: {}", serde_json::to_string(&rep)?);
            std::fs::create_dir_all("/tmp/zhstack")?;
            m.save(&path(fold, &part))?;
        }
        Some("score") => {
            let name = get("--model").ok_or("--model")?;
            let m = Model::load(&path(fold, &name))?;
            let mut sc = outpost_ner::Scorer::new();
            for x in &ho {
                let toks: Vec<&str> = x.tokens.iter().map(String::as_str).collect();
                let pred: Vec<Chunk> = m.entities(&toks).into_iter().map(Chunk::from).collect();
                sc.add(toks.len(), &chunks(&x.tags), &pred);
            }
            let r = sc.report();
            let g = |ty: &str| r.per_type.get(ty).map_or(0.0, |p| p.f1);
            println!(
                "fold {fold} {name}: overall {:.2} gov {:.2} addr {:.2} org {:.2} comp {:.2} pos {:.2} name {:.2}",
                r.f1, g("government"), g("address"), g("organization"), g("company"), g("position"), g("name")
            );
        }
        Some("eval") => stack::eval(fold, of, &tr, &ho)?,
        _ => return Err("train|eval".into()),
    }
    Ok(())
}

mod stack;

/// Mention replacement (Dai & Adel 2020): `n` copies of every sentence with entities, each entity
/// (of the listed types, or all) replaced by a random mention of the same type from `data`.
fn augment(data: &[Sentence], n: usize, only: Option<&str>) -> Vec<Sentence> {
    use std::collections::BTreeMap;
    let mut by_type: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for s in data {
        for c in chunks(&s.tags) {
            by_type
                .entry(c.ty.clone())
                .or_default()
                .push(s.tokens[c.start..c.end].to_vec());
        }
    }
    let mut rng = 0x2545f4914f6cdd1du64;
    let mut next = |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    let mut out = Vec::new();
    for _ in 0..n {
        for s in data {
            let cs = chunks(&s.tags);
            if !cs
                .iter()
                .any(|c| only.is_none_or(|o| o.split(',').any(|x| x == c.ty)))
            {
                continue;
            }
            let mut t = Sentence {
                tokens: Vec::new(),
                tags: Vec::new(),
            };
            let mut i = 0;
            for c in &cs {
                while i < c.start {
                    t.tokens.push(s.tokens[i].clone());
                    t.tags.push(s.tags[i].clone());
                    i += 1;
                }
                let pool = &by_type[&c.ty];
                let m = if only.is_none_or(|o| o.split(',').any(|x| x == c.ty)) {
                    pool[next(pool.len())].clone()
                } else {
                    s.tokens[c.start..c.end].to_vec()
                };
                for (j, tok) in m.into_iter().enumerate() {
                    t.tokens.push(tok);
                    t.tags
                        .push(format!("{}-{}", if j == 0 { "B" } else { "I" }, c.ty));
                }
                i = c.end;
            }
            while i < s.tokens.len() {
                t.tokens.push(s.tokens[i].clone());
                t.tags.push(s.tags[i].clone());
                i += 1;
            }
            out.push(t);
        }
    }
    out
}
