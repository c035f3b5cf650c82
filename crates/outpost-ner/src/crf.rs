//! Linear-chain CRF training (Lafferty et al. 2001) over the same hashed features as the
//! perceptron: stochastic gradient ascent on the conditional log-likelihood with an L2 penalty
//! (applied lazily through a global weight scale), a learning rate decaying as `η₀ / (1 + epoch)`,
//! gradients from scaled forward-backward node and edge marginals under the BILOU constraints.
//! The pass with the best dev F1 is kept, as for the perceptron.

use crate::decode::{bio_mask, exp_transitions};
use crate::train::{dev_f1, emissions, Prepared, Run, TrainConfig};
use crate::TagSet;
use std::time::Instant;

/// Node marginals (`n × t`) and the expected transition counts (`(t+1) × (t+1)`, added into
/// `edge`) of the distribution proportional to `exp(score)`.
fn forward_backward(
    em: &[f32],
    n: usize,
    t: usize,
    et: &[f64],
    mask: &[bool],
    node: &mut Vec<f64>,
    edge: &mut [f64],
) {
    let w = t + 1;
    let ee = crate::decode::exp_emissions(em, n, t, 1.0);
    // scaled forward: alpha_i sums to 1, c[i] its normaliser; c[n] the end normaliser
    let mut alpha = vec![0f64; n * t];
    let mut c = vec![1f64; n + 1];
    let norm = |v: &mut [f64]| -> f64 {
        let s: f64 = v.iter().sum();
        if s > 0.0 && s.is_finite() {
            v.iter_mut().for_each(|x| *x /= s);
            s
        } else {
            1.0
        }
    };
    for y in 0..t {
        alpha[y] = et[t * w + y] * ee[y];
    }
    c[0] = norm(&mut alpha[..t]);
    for i in 1..n {
        let (prev, cur) = alpha.split_at_mut(i * t);
        let prev = &prev[(i - 1) * t..];
        let cur = &mut cur[..t];
        for y in 0..t {
            let mut s = 0.0;
            for p in 0..t {
                if mask[p * w + y] {
                    s += prev[p] * et[p * w + y];
                }
            }
            cur[y] = s * ee[i * t + y];
        }
        c[i] = norm(cur);
    }
    let last = &alpha[(n - 1) * t..];
    let zend: f64 = (0..t).map(|y| last[y] * et[y * w + t]).sum();
    c[n] = if zend > 0.0 { zend } else { 1.0 };
    let mut beta = vec![0f64; n * t];
    for y in 0..t {
        beta[(n - 1) * t + y] = et[y * w + t] / c[n];
    }
    for i in (0..n - 1).rev() {
        for y in 0..t {
            let mut s = 0.0;
            for z in 0..t {
                if mask[y * w + z] {
                    s += et[y * w + z] * ee[(i + 1) * t + z] * beta[(i + 1) * t + z];
                }
            }
            beta[i * t + y] = s / c[i + 1];
        }
    }
    node.clear();
    node.extend(alpha.iter().zip(&beta).map(|(a, b)| a * b));
    for y in 0..t {
        edge[t * w + y] += node[y];
        edge[y * w + t] += node[(n - 1) * t + y];
    }
    for i in 1..n {
        for p in 0..t {
            let a = alpha[(i - 1) * t + p];
            if a == 0.0 {
                continue;
            }
            for y in 0..t {
                if mask[p * w + y] {
                    edge[p * w + y] += a * et[p * w + y] * ee[i * t + y] * beta[i * t + y] / c[i];
                }
            }
        }
    }
}

/// One CRF run with a shuffling seed; keeps the weights of the best dev pass.
#[allow(clippy::too_many_arguments)]
pub(crate) fn crf_run(
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
    let mut ws = vec![0f32; rows * t];
    let mut scale = 1f64;
    let mut trans = vec![0f32; tw];
    let ns = tr.feats.len().max(1);
    let lambda = cfg.l2 as f64 / ns as f64;
    let mut best = (f64::NEG_INFINITY, 0usize, Vec::new(), Vec::new());
    let mut order: Vec<usize> = (0..ns.min(tr.feats.len())).collect();
    let mut rng = seed | 1;
    let (mut em, mut node) = (Vec::new(), Vec::new());
    let mut edge = vec![0f64; tw];
    let mut epochs_run = 0;
    let (mut avg_w, mut avg_t) = (Vec::new(), Vec::new());
    for epoch in 0..cfg.epochs.max(1) {
        epochs_run = epoch + 1;
        crate::train::shuffle(&mut order, &mut rng);
        let eta = cfg.crf_rate as f64 / (1.0 + epoch as f64);
        let mut loglik = 0.0f64;
        for &s in &order {
            let f = &tr.feats[s];
            let gold = &tr.gold[s];
            let n = f.len();
            if n == 0 {
                continue;
            }
            emissions(&ws, f, t, &mut em);
            em.iter_mut().for_each(|x| *x = (*x as f64 * scale) as f32);
            let et = exp_transitions(&trans, &mask, 1.0);
            edge.iter_mut().for_each(|x| *x = 0.0);
            forward_backward(&em, n, t, &et, &mask, &mut node, &mut edge);
            loglik += (0..n)
                .map(|i| node[i * t + gold[i]].max(1e-12).ln())
                .sum::<f64>();
            // lazy L2: shrink every weight through the scale
            scale *= 1.0 - eta * lambda;
            if scale < 1e-6 {
                ws.iter_mut().for_each(|x| *x = (*x as f64 * scale) as f32);
                scale = 1.0;
            }
            let step = (eta / scale) as f32;
            for i in 0..n {
                let p = &node[i * t..(i + 1) * t];
                for (y, &py) in p.iter().enumerate() {
                    let g = (gold[i] == y) as u8 as f64 - py;
                    if g.abs() < 1e-4 {
                        continue;
                    }
                    let d = step * g as f32;
                    for &r in f.token(i) {
                        ws[r as usize * t + y] += d;
                    }
                }
            }
            // transitions (not regularised): observed minus expected counts
            let w = t + 1;
            let mut obs = |a: usize, b: usize| trans[a * w + b] += eta as f32;
            obs(t, gold[0]);
            for i in 1..n {
                obs(gold[i - 1], gold[i]);
            }
            obs(gold[n - 1], t);
            for (x, (e, &ok)) in trans.iter_mut().zip(edge.iter().zip(&mask)) {
                if ok {
                    *x -= (eta * e) as f32;
                }
            }
        }
        // average of the weights at the end of each pass after the first (damps the SGD noise)
        let k = epoch.max(1) as f32;
        let mix_in = |acc: &mut Vec<f32>, x: &[f32], first: bool| {
            if first {
                acc.clear();
                acc.extend_from_slice(x);
            } else {
                acc.iter_mut().zip(x).for_each(|(a, &b)| *a += (b - *a) / k);
            }
        };
        let now: Vec<f32> = ws.iter().map(|&x| (x as f64 * scale) as f32).collect();
        mix_in(&mut avg_w, &now, epoch <= 1);
        mix_in(&mut avg_t, &trans, epoch <= 1);
        let eff = avg_w.clone();
        let f1 = if dv.feats.is_empty() {
            epoch as f64
        } else {
            dev_f1(&eff, &avg_t, &mask, t, dv, tagset)
        };
        if cfg.verbose {
            eprintln!(
                "crf pass {epochs_run}: log-likelihood/token {:.4}, dev F1 {f1:.2}, {:.1}s",
                loglik / tr.feats.iter().map(|f| f.len()).sum::<usize>().max(1) as f64,
                started.elapsed().as_secs_f64()
            );
        }
        if f1 > best.0 {
            best = (f1, epochs_run, eff, avg_t.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marginals_sum_to_one_and_edges_match_nodes() {
        let t = 5; // O + one type in BILOU
        let mask = bio_mask(t);
        let n = 4;
        let em: Vec<f32> = (0..n * t).map(|k| ((k * 7) % 5) as f32 * 0.3).collect();
        let trans: Vec<f32> = (0..(t + 1) * (t + 1))
            .map(|k| ((k * 3) % 4) as f32 * 0.2)
            .collect();
        let et = exp_transitions(&trans, &mask, 1.0);
        let mut node = Vec::new();
        let mut edge = vec![0f64; (t + 1) * (t + 1)];
        forward_backward(&em, n, t, &et, &mask, &mut node, &mut edge);
        for i in 0..n {
            let s: f64 = node[i * t..(i + 1) * t].iter().sum();
            assert!((s - 1.0).abs() < 1e-9, "token {i}: {s}");
        }
        // n - 1 inner transitions plus start and end
        let total: f64 = edge.iter().sum();
        assert!((total - (n as f64 + 1.0)).abs() < 1e-9, "{total}");
        let marg = crate::decode::marginals(&em, n, t, &trans, &mask, 1.0);
        for (a, b) in marg.iter().zip(&node) {
            assert!((*a as f64 - b).abs() < 1e-5);
        }
    }
}
