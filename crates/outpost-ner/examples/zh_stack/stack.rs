//! Stage 2: a multiclass averaged perceptron over span features (type or `none`).
use super::*;
use outpost_ner::tags::{tag_of, Part};
use std::collections::HashMap;

/// One stage-1 span with its features and (for training) its gold class.
struct Cand {
    sent: usize,
    start: usize,
    end: usize,
    t1: usize,
    orig: bool,
    feats: Vec<u32>,
    gold: usize,
}

const BITS: u32 = 20;

fn h(s: &str) -> u32 {
    let mut x: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        x ^= b as u64;
        x = x.wrapping_mul(0x100000001b3);
    }
    (x ^ (x >> 29)) as u32 & ((1 << BITS) - 1)
}

/// Log-space forward-backward over `exp(score / temp)`: (alpha, beta, log Z).
fn fb(
    em: &[f32],
    n: usize,
    t: usize,
    tr: &[f32],
    mask: &[bool],
    temp: f32,
) -> (Vec<f64>, Vec<f64>, f64) {
    let w = t + 1;
    let ni = f64::NEG_INFINITY;
    let tt = |p: usize, y: usize| -> f64 {
        if mask[p * w + y] {
            tr[p * w + y] as f64 / temp as f64
        } else {
            ni
        }
    };
    let lse = |v: &mut dyn Iterator<Item = f64>| -> f64 {
        let xs: Vec<f64> = v.collect();
        let m = xs.iter().cloned().fold(ni, f64::max);
        if m == ni {
            return ni;
        }
        m + xs.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
    };
    let mut a = vec![ni; n * t];
    for y in 0..t {
        a[y] = tt(t, y) + em[y] as f64 / temp as f64;
    }
    for i in 1..n {
        for y in 0..t {
            let v = lse(&mut (0..t).map(|p| a[(i - 1) * t + p] + tt(p, y)));
            a[i * t + y] = v + em[i * t + y] as f64 / temp as f64;
        }
    }
    let mut b = vec![ni; n * t];
    for y in 0..t {
        b[(n - 1) * t + y] = tt(y, t);
    }
    for i in (0..n.saturating_sub(1)).rev() {
        for y in 0..t {
            b[i * t + y] = lse(&mut (0..t)
                .map(|c| tt(y, c) + em[(i + 1) * t + c] as f64 / temp as f64 + b[(i + 1) * t + c]));
        }
    }
    let z = lse(&mut (0..t).map(|y| a[(n - 1) * t + y] + tt(y, t)));
    (a, b, z)
}

fn pbucket(p: f64) -> i32 {
    match p {
        x if x > 0.95 => 7,
        x if x > 0.8 => 6,
        x if x > 0.6 => 5,
        x if x > 0.4 => 4,
        x if x > 0.2 => 3,
        x if x > 0.05 => 2,
        x if x > 0.01 => 1,
        _ => 0,
    }
}

fn cands(model: &Model, s: &Sentence, sent: usize, types: &[String], variants: bool) -> Vec<Cand> {
    let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
    let f = model.features(&toks);
    let em = model.emissions(&f);
    let t = model.tagset().len();
    let n = f.len();
    if n == 0 {
        return Vec::new();
    }
    let tr = model.transitions();
    let w = t + 1;
    let mask = outpost_ner::decode::bio_mask(t);
    let temp = model.temperature().max(1e-3);
    let (al, be, z) = fb(&em, n, t, tr, &mask, temp);
    let ents = model.entities(&toks);
    let gold: HashMap<(usize, usize), String> = chunks(&s.tags)
        .into_iter()
        .map(|c| ((c.start, c.end), c.ty))
        .collect();
    let chars = &s.tokens;
    let text = |a: usize, b: usize| -> String { chars[a.min(n)..b.min(n)].concat() };
    // log P(tokens a..b form exactly one entity of type k)
    let span_lp = |a: usize, b: usize, k: usize| -> f64 {
        let tag = |i: usize| {
            if b - a == 1 {
                tag_of(k, Part::U)
            } else if i == a {
                tag_of(k, Part::B)
            } else if i + 1 == b {
                tag_of(k, Part::L)
            } else {
                tag_of(k, Part::I)
            }
        };
        let tt = |p: usize, y: usize| -> f64 {
            if mask[p * w + y] {
                tr[p * w + y] as f64 / temp as f64
            } else {
                f64::NEG_INFINITY
            }
        };
        let y0 = tag(a);
        let mut lp = if a == 0 {
            tt(t, y0)
        } else {
            let xs: Vec<f64> = (0..t).map(|p| al[(a - 1) * t + p] + tt(p, y0)).collect();
            let m = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            if m == f64::NEG_INFINITY {
                return m;
            }
            m + xs.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
        };
        let mut prev = None;
        for i in a..b {
            let y = tag(i);
            lp += em[i * t + y] as f64 / temp as f64;
            if let Some(p) = prev {
                lp += tt(p, y);
            }
            prev = Some(y);
        }
        lp + be[(b - 1) * t + tag(b - 1)] - z
    };
    let mut spans: Vec<(usize, usize, usize, i32, i32, f32)> = Vec::new(); // a, b, t1, ds, de, conf
    for e in &ents {
        let Some(t1) = types.iter().position(|x| *x == e.ty) else {
            continue;
        };
        spans.push((e.start, e.end, t1, 0, 0, e.score));
        if variants {
            for ds in -2i32..=2 {
                for de in -2i32..=2 {
                    if ds == 0 && de == 0 {
                        continue;
                    }
                    let a = e.start as i32 + ds;
                    let b = e.end as i32 + de;
                    if a < 0 || b > n as i32 || b <= a {
                        continue;
                    }
                    spans.push((a as usize, b as usize, t1, ds, de, e.score));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (a, b, t1, ds, de, conf) in spans {
        let ps: Vec<f64> = (0..types.len()).map(|k| span_lp(a, b, k).exp()).collect();
        let ty = &types[t1];
        let w = text(a, b);
        let wc: Vec<char> = w.chars().collect();
        let last = |k: usize| -> String { wc[wc.len().saturating_sub(k)..].iter().collect() };
        let first = |k: usize| -> String { wc[..k.min(wc.len())].iter().collect() };
        let l1 = text(a.saturating_sub(1), a);
        let l2 = text(a.saturating_sub(2), a);
        let r1 = text(b, b + 1);
        let r2 = text(b, b + 2);
        let len = (b - a).min(12);
        let conf = (conf * 10.0) as i32;
        let mut fs = vec![
            "bias".to_string(),
            format!("t1={ty}"),
            format!("c={ty}:{conf}"),
            format!("v={ds}:{de}"),
            format!("vt={ty}:{ds}:{de}"),
            format!("w={w}"),
            format!("h1={}", last(1)),
            format!("h2={}", last(2)),
            format!("h3={}", last(3)),
            format!("t1h1={ty}:{}", last(1)),
            format!("t1h2={ty}:{}", last(2)),
            format!("f1={}", first(1)),
            format!("f2={}", first(2)),
            format!("len={len}"),
            format!("t1len={ty}:{len}"),
            format!("l1={l1}"),
            format!("l2={l2}"),
            format!("r1={r1}"),
            format!("r2={r2}"),
            format!("lr={l1}|{r1}"),
        ];
        let tot: f64 = ps.iter().sum();
        fs.push(format!("pnone={}", pbucket(1.0 - tot)));
        for (k, &p) in ps.iter().enumerate() {
            fs.push(format!("p={}:{}", types[k], pbucket(p)));
            fs.push(format!("pt1={ty}:{}:{}", types[k], pbucket(p)));
        }
        let gold_class = match gold.get(&(a, b)) {
            Some(g) => types.iter().position(|x| x == g).unwrap_or(types.len()),
            None => types.len(),
        };
        out.push(Cand {
            sent,
            start: a,
            end: b,
            t1,
            orig: ds == 0 && de == 0,
            feats: fs.iter().map(|x| h(x)).collect(),
            gold: gold_class,
        });
    }
    out
}

struct Perceptron {
    k: usize,
    w: Vec<f32>,
    acc: Vec<f32>,
    stamp: Vec<u32>,
    c: u32,
}

impl Perceptron {
    fn new(k: usize) -> Self {
        let n = (1usize << BITS) * k;
        Self {
            k,
            w: vec![0.0; n],
            acc: vec![0.0; n],
            stamp: vec![0; n],
            c: 1,
        }
    }
    fn scores(&self, f: &[u32], w: &[f32]) -> Vec<f32> {
        let mut s = vec![0f32; self.k];
        for &x in f {
            for (c, v) in s.iter_mut().enumerate() {
                *v += w[x as usize * self.k + c];
            }
        }
        s
    }
    fn upd(&mut self, f: &[u32], c: usize, d: f32) {
        for &x in f {
            let i = x as usize * self.k + c;
            self.acc[i] += (self.c - self.stamp[i]) as f32 * self.w[i];
            self.stamp[i] = self.c;
            self.w[i] += d;
        }
    }
    fn train(&mut self, data: &[Cand], epochs: usize) {
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = 0x9e3779b97f4a7c15u64;
        for _ in 0..epochs {
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &i in &order {
                let d = &data[i];
                let s = self.scores(&d.feats, &self.w);
                let p = argmax(&s);
                if p != d.gold {
                    self.upd(&d.feats, d.gold, 1.0);
                    self.upd(&d.feats, p, -1.0);
                }
                self.c += 1;
            }
        }
        for i in 0..self.w.len() {
            self.acc[i] += (self.c - self.stamp[i]) as f32 * self.w[i];
            self.acc[i] /= self.c as f32;
        }
    }
    fn predict(&self, f: &[u32]) -> Vec<f32> {
        self.scores(f, &self.acc)
    }
}

fn argmax(s: &[f32]) -> usize {
    let mut b = 0;
    for i in 1..s.len() {
        if s[i] > s[b] {
            b = i;
        }
    }
    b
}

fn report(name: &str, ho: &[Sentence], pred: &[Vec<Chunk>]) {
    let mut sc = outpost_ner::Scorer::new();
    for (s, p) in ho.iter().zip(pred) {
        sc.add(s.tokens.len(), &chunks(&s.tags), p);
    }
    let r = sc.report();
    let g = |ty: &str| r.per_type.get(ty).map_or(0.0, |p| p.f1);
    println!(
        "{name:28} overall {:.2} P {:.2} R {:.2} | gov {:.2} addr {:.2} org {:.2} comp {:.2}",
        r.f1,
        r.precision,
        r.recall,
        g("government"),
        g("address"),
        g("organization"),
        g("company")
    );
}

pub fn eval(
    fold: usize,
    of: usize,
    tr: &[Sentence],
    ho: &[Sentence],
) -> Result<(), Box<dyn std::error::Error>> {
    let variants = std::env::var("VARIANTS").is_ok();
    let full = Model::load(&path(fold, "full"))?;
    let types: Vec<String> = full.tagset().types().to_vec();
    let mut train_c = Vec::new();
    for p in 0..of {
        let m = Model::load(&path(fold, &p.to_string()))?;
        let (a, b) = block(tr.len(), of, p);
        for (i, s) in tr.iter().enumerate().take(b).skip(a) {
            train_c.extend(cands(&m, s, i, &types, variants));
        }
    }
    let test_c: Vec<Cand> = ho
        .iter()
        .enumerate()
        .flat_map(|(i, s)| cands(&full, s, i, &types, variants))
        .collect();
    let none = types.len();
    let acc1 = train_c.iter().filter(|c| c.gold == c.t1).count() as f64 / train_c.len() as f64;
    let nn = train_c.iter().filter(|c| c.gold == none).count();
    println!(
        "train cands {} (stage-1 type right {:.3}, none {}), test cands {}",
        train_c.len(),
        acc1,
        nn,
        test_c.len()
    );
    // stage 1 alone
    let stage1: Vec<Vec<Chunk>> = {
        let mut v = vec![Vec::new(); ho.len()];
        for c in test_c.iter().filter(|c| c.orig) {
            v[c.sent].push(Chunk {
                start: c.start,
                end: c.end,
                ty: types[c.t1].clone(),
            });
        }
        v
    };
    report("stage 1", ho, &stage1);
    breakdown("government", ho, &stage1);
    let oracle: Vec<Vec<Chunk>> = {
        let mut v = vec![Vec::new(); ho.len()];
        for c in test_c.iter().filter(|c| c.gold != none) {
            v[c.sent].push(Chunk {
                start: c.start,
                end: c.end,
                ty: types[c.gold].clone(),
            });
        }
        v
    };
    report("oracle retype+drop", ho, &oracle);
    let epochs: usize = std::env::var("EPOCHS")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(10);
    let mut pc = Perceptron::new(types.len() + 1);
    pc.train(&train_c, epochs);
    // groups of candidates (one stage-1 span and its variants)
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, c) in test_c.iter().enumerate() {
        if c.orig {
            groups.push(vec![i]);
        } else if let Some(g) = groups.last_mut() {
            g.push(i);
        }
    }
    let scored: Vec<Vec<f32>> = test_c.iter().map(|c| pc.predict(&c.feats)).collect();
    for theta in [-2.0f32, -1.0, 0.0, 1.0, 2.0] {
        for drop in [true, false] {
            let mut chosen: Vec<(f32, &Cand, usize)> = Vec::new();
            for g in &groups {
                let mut best: Option<(f32, usize, usize)> = None;
                for &i in g {
                    let s = &scored[i];
                    let k = argmax(&s[..none]);
                    let m = s[k] - s[none];
                    if best.is_none_or(|b| m > b.0) {
                        best = Some((m, i, k));
                    }
                }
                let Some((m, i, k)) = best else { continue };
                let o = &test_c[g[0]];
                if m > theta {
                    chosen.push((m, &test_c[i], k));
                } else if !drop {
                    chosen.push((f32::NEG_INFINITY, o, o.t1));
                }
            }
            chosen.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut v: Vec<Vec<Chunk>> = vec![Vec::new(); ho.len()];
            for (_, c, k) in chosen {
                if v[c.sent].iter().any(|x| x.start < c.end && c.start < x.end) {
                    continue;
                }
                v[c.sent].push(Chunk {
                    start: c.start,
                    end: c.end,
                    ty: types[k].clone(),
                });
            }
            for x in v.iter_mut() {
                x.sort_by_key(|c| c.start);
            }
            report(&format!("stack th{theta} drop {drop}"), ho, &v);
            if theta == 0.0 && drop {
                breakdown("government", ho, &v);
            }
        }
    }
    Ok(())
}

fn breakdown(ty: &str, ho: &[Sentence], pred: &[Vec<Chunk>]) {
    let ov = |a: &Chunk, b: &Chunk| a.start < b.end && b.start < a.end;
    let mut miss: HashMap<&str, usize> = HashMap::new();
    let mut fals: HashMap<&str, usize> = HashMap::new();
    for (s, p) in ho.iter().zip(pred) {
        let g = chunks(&s.tags);
        for x in g.iter().filter(|c| c.ty == ty) {
            if p.contains(x) {
                continue;
            }
            let k = if p.iter().any(|y| y.start == x.start && y.end == x.end) {
                "same span, other type"
            } else if p.iter().any(|y| y.ty == ty && ov(x, y)) {
                "boundary"
            } else if p.iter().any(|y| ov(x, y)) {
                "boundary+type"
            } else {
                "not found"
            };
            *miss.entry(k).or_default() += 1;
        }
        for y in p.iter().filter(|c| c.ty == ty) {
            if g.contains(y) {
                continue;
            }
            let k = if g.iter().any(|x| y.start == x.start && y.end == x.end) {
                "same span, other type"
            } else if g.iter().any(|x| x.ty == ty && ov(x, y)) {
                "boundary"
            } else if g.iter().any(|x| ov(x, y)) {
                "boundary+type"
            } else {
                "spurious"
            };
            *fals.entry(k).or_default() += 1;
        }
    }
    println!("{ty} missed: {miss:?}");
    println!("{ty} false: {fals:?}");
}
