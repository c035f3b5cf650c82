//! Precision, recall and F1 from counts.

use serde::Serialize;

/// Precision, recall and F1 with the counts they come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Prf {
    /// Precision (0 when nothing was predicted).
    pub precision: f64,
    /// Recall (0 when nothing was expected).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// True positives.
    pub tp: usize,
    /// Number predicted.
    pub predicted: usize,
    /// Number expected (gold).
    pub gold: usize,
}

impl Prf {
    /// Computes the scores from true positives and the predicted and gold totals.
    pub fn from_counts(tp: usize, predicted: usize, gold: usize) -> Self {
        let precision = if predicted == 0 {
            0.0
        } else {
            tp as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            tp as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Self {
            precision,
            recall,
            f1,
            tp,
            predicted,
            gold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let p = Prf::from_counts(3, 4, 6);
        assert!((p.precision - 0.75).abs() < 1e-12);
        assert!((p.recall - 0.5).abs() < 1e-12);
        assert!((p.f1 - 0.6).abs() < 1e-12);
        assert_eq!(Prf::from_counts(0, 0, 0).f1, 0.0);
    }
}
