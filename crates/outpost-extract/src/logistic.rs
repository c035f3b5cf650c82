//! A small logistic-regression model: the learned, calibrated part of record and relevance scoring.
//!
//! Features are standardised with the training mean and deviation stored in the model, weights are
//! fitted by full-batch gradient descent on the L2-regularised log loss (deterministic: same data,
//! same model), and the model is saved as JSON with its feature names so a model and a feature
//! extractor that disagree are refused at load time.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Errors loading or using a model.
#[derive(Debug, Error)]
pub enum ModelError {
    /// The model file could not be read.
    #[error("cannot read model {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The model file is not a valid model.
    #[error("invalid model {path}: {reason}")]
    Invalid {
        /// The path.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// A fitted logistic-regression model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    /// Feature names, in order.
    pub features: Vec<String>,
    /// Mean of each feature over the training data.
    pub mean: Vec<f64>,
    /// Standard deviation of each feature (1 where it was 0).
    pub scale: Vec<f64>,
    /// One weight per standardised feature.
    pub weights: Vec<f64>,
    /// Intercept.
    pub bias: f64,
    /// Free-form notes: training data, regularisation, cross-validation figures.
    #[serde(default)]
    pub notes: serde_json::Value,
}

/// Training options.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// L2 penalty on the weights (not the bias).
    pub l2: f64,
    /// Gradient-descent iterations.
    pub iterations: usize,
    /// Step size.
    pub learning_rate: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            l2: 0.5,
            iterations: 3000,
            learning_rate: 0.5,
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Logistic {
    /// Fits a model to rows `x` (each of `features.len()` values) and 0/1 labels `y`.
    /// Rows of the wrong width are ignored; with no rows the model predicts the prior 0.5.
    pub fn train(features: &[&str], x: &[Vec<f64>], y: &[bool], opt: TrainOptions) -> Self {
        let d = features.len();
        let rows: Vec<(&Vec<f64>, f64)> = x
            .iter()
            .zip(y)
            .filter(|(r, _)| r.len() == d)
            .map(|(r, &l)| (r, if l { 1.0 } else { 0.0 }))
            .collect();
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0.0; d];
        for (r, _) in &rows {
            for j in 0..d {
                mean[j] += r[j] / n;
            }
        }
        let mut scale = vec![0.0; d];
        for (r, _) in &rows {
            for j in 0..d {
                scale[j] += (r[j] - mean[j]).powi(2) / n;
            }
        }
        let scale: Vec<f64> = scale
            .into_iter()
            .map(|v| if v > 1e-12 { v.sqrt() } else { 1.0 })
            .collect();
        let z: Vec<(Vec<f64>, f64)> = rows
            .iter()
            .map(|(r, l)| ((0..d).map(|j| (r[j] - mean[j]) / scale[j]).collect(), *l))
            .collect();
        let mut w = vec![0.0; d];
        let mut b = 0.0;
        for _ in 0..opt.iterations {
            let mut gw = vec![0.0; d];
            let mut gb = 0.0;
            for (r, l) in &z {
                let p = sigmoid(b + r.iter().zip(&w).map(|(a, c)| a * c).sum::<f64>());
                let e = p - l;
                gb += e;
                for j in 0..d {
                    gw[j] += e * r[j];
                }
            }
            b -= opt.learning_rate * gb / n;
            for j in 0..d {
                w[j] -= opt.learning_rate * (gw[j] / n + opt.l2 * w[j]);
            }
        }
        Self {
            features: features.iter().map(|s| s.to_string()).collect(),
            mean,
            scale,
            weights: w,
            bias: b,
            notes: serde_json::Value::Null,
        }
    }

    /// The probability of the positive class for one feature row. A row of the wrong width scores
    /// as if missing features were at their training mean.
    pub fn predict(&self, row: &[f64]) -> f64 {
        let mut z = self.bias;
        for j in 0..self.weights.len() {
            let v = row.get(j).copied().unwrap_or(self.mean[j]);
            z += self.weights[j] * (v - self.mean[j]) / self.scale[j];
        }
        sigmoid(z)
    }

    /// Loads a model from JSON and checks it was trained on `expected` features.
    pub fn load_json(text: &str, path: &str, expected: &[&str]) -> Result<Self, ModelError> {
        let m: Logistic = serde_json::from_str(text).map_err(|e| ModelError::Invalid {
            path: path.to_string(),
            reason: e.to_string(),
        })?;
        let d = m.features.len();
        if m.mean.len() != d || m.scale.len() != d || m.weights.len() != d {
            return Err(ModelError::Invalid {
                path: path.to_string(),
                reason: "vector lengths disagree with the feature list".into(),
            });
        }
        if m.features
            .iter()
            .map(String::as_str)
            .ne(expected.iter().copied())
        {
            return Err(ModelError::Invalid {
                path: path.to_string(),
                reason: format!(
                    "trained on features {:?}, this build extracts {:?}: retrain with `outpost train scorer`",
                    m.features, expected
                ),
            });
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_rule_and_round_trips() {
        let x: Vec<Vec<f64>> = (0..200)
            .map(|i| vec![(i % 10) as f64, ((i * 7) % 3) as f64])
            .collect();
        let y: Vec<bool> = x.iter().map(|r| r[0] >= 5.0).collect();
        let opt = TrainOptions {
            l2: 0.01,
            ..TrainOptions::default()
        };
        let m = Logistic::train(&["a", "b"], &x, &y, opt);
        assert!(m.predict(&[9.0, 1.0]) > 0.9);
        assert!(m.predict(&[0.0, 1.0]) < 0.1);
        let json = serde_json::to_string(&m).expect("json");
        let back = Logistic::load_json(&json, "m.json", &["a", "b"]).expect("loads");
        assert_eq!(back.features, m.features);
        assert!((back.predict(&[3.0, 2.0]) - m.predict(&[3.0, 2.0])).abs() < 1e-12);
        assert!(Logistic::load_json(&json, "m.json", &["a"]).is_err());
    }
}

#[cfg(test)]
mod shipped {
    use super::*;

    #[test]
    fn shipped_scorer_matches_this_build() {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/scorer.json");
        let Ok(text) = std::fs::read_to_string(&p) else {
            eprintln!("notice: {} missing; test skipped", p.display());
            return;
        };
        let m = Logistic::load_json(&text, "scorer.json", crate::assemble::FEATURES)
            .expect("shipped scorer loads with this build's features");
        // A place in a station-term sentence must outscore one far from any station term.
        let near = [
            1.0, 1.0, 0.9, 0.7, 1.0, 1.1, 0.95, 0.2, 0.7, 1.0, 0.0, 0.0, 0.8, 1.0, 0.0,
        ];
        let far = [
            0.0, 0.0, 0.6, 0.7, 1.0, 1.1, 0.95, 0.8, 0.7, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ];
        assert!(m.predict(&near) > m.predict(&far));
    }
}
