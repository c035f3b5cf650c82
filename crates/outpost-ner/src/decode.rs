//! Linear-chain decoding: Viterbi under BIO constraints, and forward-backward marginals for
//! confidences.
//!
//! Scores: `em[i * t + y]` is the emission score of tag `y` at token `i`; `trans` is a
//! `(t + 1) × (t + 1)` matrix where row `t` is the sentence start and column `t` the sentence end.

use crate::tags::TagSet;

/// Allowed-transition mask of size `(t + 1) × (t + 1)` for a BILOU tag set of `t` tags.
pub fn bio_mask(t: usize) -> Vec<bool> {
    let mut m = vec![false; (t + 1) * (t + 1)];
    for prev in 0..=t {
        for cur in 0..=t {
            let p = (prev < t).then_some(prev);
            let c = (cur < t).then_some(cur);
            m[prev * (t + 1) + cur] = (p.is_some() || c.is_some()) && TagSet::allowed(p, c);
        }
    }
    m
}

/// For every tag, the tags allowed before it.
fn prev_lists(t: usize, mask: &[bool]) -> Vec<Vec<usize>> {
    (0..t)
        .map(|y| (0..t).filter(|&p| mask[p * (t + 1) + y]).collect())
        .collect()
}

/// The best tag sequence for `n` tokens.
pub fn viterbi(em: &[f32], n: usize, t: usize, trans: &[f32], mask: &[bool]) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let w = t + 1;
    let mut score = vec![f32::NEG_INFINITY; n * t];
    let mut back = vec![0u16; n * t];
    for y in 0..t {
        if mask[t * w + y] {
            score[y] = trans[t * w + y] + em[y];
        }
    }
    let prevs = prev_lists(t, mask);
    for i in 1..n {
        let (prev, cur) = score.split_at_mut(i * t);
        let prev = &prev[(i - 1) * t..];
        for y in 0..t {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for &p in &prevs[y] {
                let s = prev[p] + trans[p * w + y];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            cur[y] = best + em[i * t + y];
            back[i * t + y] = arg as u16;
        }
    }
    let mut best = f32::NEG_INFINITY;
    let mut arg = 0;
    for y in 0..t {
        if !mask[y * w + t] {
            continue;
        }
        let s = score[(n - 1) * t + y] + trans[y * w + t];
        if s > best {
            best = s;
            arg = y;
        }
    }
    let mut out = vec![0; n];
    out[n - 1] = arg;
    for i in (1..n).rev() {
        out[i - 1] = back[i * t + out[i]] as usize;
    }
    out
}

/// `exp((trans - max) / temperature)` with disallowed transitions at 0: the transition factors of
/// [`marginals_with`]. A non-positive temperature is treated as 1.
pub fn exp_transitions(trans: &[f32], mask: &[bool], temperature: f32) -> Vec<f64> {
    let temp = if temperature > 0.0 { temperature } else { 1.0 } as f64;
    let tmax = trans.iter().cloned().fold(f32::NEG_INFINITY, f32::max) as f64;
    trans
        .iter()
        .zip(mask)
        .map(|(&s, &ok)| {
            if ok {
                ((s as f64 - tmax) / temp).exp()
            } else {
                0.0
            }
        })
        .collect()
}

/// Posterior marginals `p(y_i = y)` (row-major `n × t`) of the distribution proportional to
/// `exp(score / temperature)`, computed with scaled forward-backward. A non-positive temperature
/// is treated as 1.
pub fn marginals(
    em: &[f32],
    n: usize,
    t: usize,
    trans: &[f32],
    mask: &[bool],
    temperature: f32,
) -> Vec<f32> {
    let et = exp_transitions(trans, mask, temperature);
    marginals_with(em, n, t, &et, mask, temperature)
}

/// [`marginals`] with the transition factors precomputed by [`exp_transitions`].
pub fn marginals_with(
    em: &[f32],
    n: usize,
    t: usize,
    et: &[f64],
    mask: &[bool],
    temperature: f32,
) -> Vec<f32> {
    if n == 0 {
        return Vec::new();
    }
    let temp = if temperature > 0.0 { temperature } else { 1.0 } as f64;
    let w = t + 1;
    let ee = exp_emissions(em, n, t, temp);
    let mut alpha = vec![0f64; n * t];
    for y in 0..t {
        alpha[y] = et[t * w + y] * ee[y];
    }
    normalise(&mut alpha[..t]);
    let prevs = prev_lists(t, mask);
    let nexts: Vec<Vec<usize>> = (0..t)
        .map(|p| (0..t).filter(|&y| mask[p * w + y]).collect())
        .collect();
    for i in 1..n {
        for y in 0..t {
            let mut s = 0.0;
            for &p in &prevs[y] {
                s += alpha[(i - 1) * t + p] * et[p * w + y];
            }
            alpha[i * t + y] = s * ee[i * t + y];
        }
        normalise(&mut alpha[i * t..(i + 1) * t]);
    }
    let mut beta = vec![0f64; n * t];
    for y in 0..t {
        beta[(n - 1) * t + y] = et[y * w + t];
    }
    normalise(&mut beta[(n - 1) * t..]);
    for i in (0..n - 1).rev() {
        for y in 0..t {
            let mut s = 0.0;
            for &q in &nexts[y] {
                s += et[y * w + q] * ee[(i + 1) * t + q] * beta[(i + 1) * t + q];
            }
            beta[i * t + y] = s;
        }
        normalise(&mut beta[i * t..(i + 1) * t]);
    }
    let mut out = vec![0f32; n * t];
    for i in 0..n {
        let mut z = 0.0;
        for y in 0..t {
            z += alpha[i * t + y] * beta[i * t + y];
        }
        if z > 0.0 {
            for y in 0..t {
                out[i * t + y] = (alpha[i * t + y] * beta[i * t + y] / z) as f32;
            }
        }
    }
    out
}

fn normalise(v: &mut [f64]) {
    let s: f64 = v.iter().sum();
    if s > 0.0 && s.is_finite() {
        for x in v {
            *x /= s;
        }
    }
}

/// `exp((em[i][y] - max_y em[i][y]) / temp)` for the `n` tokens of the `n * t` emission matrix
/// `em`: each token's scores shifted by their maximum so the exponentials cannot overflow (the
/// forward-backward recursions normalise per token anyway). `temp` must be positive.
pub(crate) fn exp_emissions(em: &[f32], n: usize, t: usize, temp: f64) -> Vec<f64> {
    let mut ee = vec![0f64; n * t];
    for i in 0..n {
        let row = &em[i * t..(i + 1) * t];
        let m = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max) as f64;
        for y in 0..t {
            ee[i * t + y] = ((row[y] as f64 - m) / temp).exp();
        }
    }
    ee
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_respects_bilou_and_marginals_sum_to_one() {
        // tags: O, B-X, I-X, L-X, U-X; token 0 prefers I-X (forbidden at start), token 1 prefers
        // I-X (forbidden at the end): best valid path is B-X L-X
        let t = 5;
        let em = [0.0, 1.0, 5.0, 0.0, 0.0, 0.0, 0.0, 3.0, 1.0, 0.0];
        let trans = vec![0.0; 36];
        let mask = bio_mask(t);
        let path = viterbi(&em, 2, t, &trans, &mask);
        assert_eq!(path, vec![1, 3]);
        let m = marginals(&em, 2, t, &trans, &mask, 1.0);
        for i in 0..2 {
            let s: f32 = m[i * t..(i + 1) * t].iter().sum();
            assert!((s - 1.0).abs() < 1e-5);
        }
        assert_eq!(m[2], 0.0, "I-X at the start has no mass");
        assert_eq!(m[t + 2], 0.0, "I-X at the end has no mass");
        assert!(m[1] > 0.5);
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn brute_force_marginals_match() {
        let t = 5;
        let em: Vec<f32> = (0..15).map(|k| (k as f32 * 0.71).cos()).collect();
        let trans: Vec<f32> = (0..36).map(|k| (k as f32 * 0.37).sin()).collect();
        let mask = bio_mask(t);
        let m = marginals(&em, 3, t, &trans, &mask, 2.0);
        let mut z = 0.0f64;
        let mut p1 = [0.0f64; 5];
        for a in 0..t {
            for b in 0..t {
                for c in 0..t {
                    let path = [a, b, c];
                    let mut prev = t;
                    let mut s = 0.0f32;
                    let mut ok = true;
                    for (i, &y) in path.iter().enumerate() {
                        ok &= mask[prev * 6 + y];
                        s += trans[prev * 6 + y] + em[i * t + y];
                        prev = y;
                    }
                    ok &= mask[prev * 6 + t];
                    s += trans[prev * 6 + t];
                    if ok {
                        let e = ((s / 2.0) as f64).exp();
                        z += e;
                        p1[b] += e;
                    }
                }
            }
        }
        for y in 0..t {
            assert!((m[t + y] as f64 - p1[y] / z).abs() < 1e-5, "{y}");
        }
    }
}
