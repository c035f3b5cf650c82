//! Calibration of probabilities: expected calibration error, Brier score, reliability table.

use serde::Serialize;

/// One bin of a reliability table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge of the bin (inclusive).
    pub lo: f64,
    /// Upper edge (exclusive, except 1.0 for the last bin).
    pub hi: f64,
    /// Number of predictions in the bin.
    pub count: usize,
    /// Mean predicted probability in the bin (0 when empty).
    pub mean_confidence: f64,
    /// Observed frequency of positives in the bin (0 when empty).
    pub accuracy: f64,
}

/// Calibration summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Expected calibration error over equal-width bins, weighted by bin size.
    pub ece: f64,
    /// Mean squared error of the probabilities against the 0/1 outcomes.
    pub brier: f64,
    /// Number of predictions.
    pub n: usize,
    /// The reliability table.
    pub bins: Vec<Bin>,
}

/// Computes ECE (with `bins` equal-width bins), Brier score and the reliability table from
/// (probability, outcome) pairs. Probabilities are clamped to [0, 1]; an empty input gives zeros.
pub fn calibration(pairs: &[(f64, bool)], bins: usize) -> Calibration {
    let bins = bins.max(1);
    let mut sum_p = vec![0.0; bins];
    let mut sum_y = vec![0.0; bins];
    let mut count = vec![0usize; bins];
    let mut brier = 0.0;
    for &(p, y) in pairs {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        let y = if y { 1.0 } else { 0.0 };
        let k = ((p * bins as f64) as usize).min(bins - 1);
        sum_p[k] += p;
        sum_y[k] += y;
        count[k] += 1;
        brier += (p - y) * (p - y);
    }
    let n = pairs.len();
    let mut ece = 0.0;
    let table = (0..bins)
        .map(|k| {
            let c = count[k];
            let (mc, acc) = if c == 0 {
                (0.0, 0.0)
            } else {
                (sum_p[k] / c as f64, sum_y[k] / c as f64)
            };
            if n > 0 {
                ece += (c as f64 / n as f64) * (mc - acc).abs();
            }
            Bin {
                lo: k as f64 / bins as f64,
                hi: (k + 1) as f64 / bins as f64,
                count: c,
                mean_confidence: mc,
                accuracy: acc,
            }
        })
        .collect();
    Calibration {
        ece,
        brier: if n == 0 { 0.0 } else { brier / n as f64 },
        n,
        bins: table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_overconfident() {
        let perfect: Vec<(f64, bool)> = (0..10)
            .map(|i| (0.95, i < 9))
            .chain((0..10).map(|i| (0.05, i == 0)))
            .collect();
        let c = calibration(&perfect, 10);
        assert!(c.ece < 0.06, "{}", c.ece);
        let over: Vec<(f64, bool)> = (0..10).map(|i| (0.95, i < 5)).collect();
        let c = calibration(&over, 10);
        assert!((c.ece - 0.45).abs() < 1e-9);
        assert!((c.brier - (0.5 * 0.05f64.powi(2) + 0.5 * 0.95f64.powi(2))).abs() < 1e-9);
    }
}
