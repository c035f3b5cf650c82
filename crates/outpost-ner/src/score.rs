//! Scoring: conlleval's strict span F1 (exact boundaries and type, per type) plus nervaluate's
//! `partial` (boundary overlap, half credit, type ignored) and `type` (overlap with the right type)
//! schemes.

use crate::tags::Chunk;
use serde::Serialize;
use std::collections::BTreeMap;

/// Precision, recall and F1 in percent (conlleval's convention), with the counts behind them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// Precision × 100.
    pub precision: f64,
    /// Recall × 100.
    pub recall: f64,
    /// F1 × 100.
    pub f1: f64,
    /// Number of gold chunks.
    pub support: usize,
}

fn prf(correct: f64, predicted: f64, gold: f64) -> (f64, f64, f64) {
    let p = if predicted > 0.0 {
        correct / predicted
    } else {
        0.0
    };
    let r = if gold > 0.0 { correct / gold } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (100.0 * p, 100.0 * r, 100.0 * f)
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    correct: usize,
    predicted: usize,
    gold: usize,
}

/// nervaluate counts for one scheme.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct NervalCounts {
    /// Correct.
    pub correct: usize,
    /// Incorrect.
    pub incorrect: usize,
    /// Partial.
    pub partial: usize,
    /// Missed (gold without a matching prediction).
    pub missed: usize,
    /// Spurious (prediction overlapping no gold).
    pub spurious: usize,
}

impl NervalCounts {
    fn f1(&self, partial_weight: f64) -> f64 {
        let act = (self.correct + self.incorrect + self.partial + self.spurious) as f64;
        let pos = (self.correct + self.incorrect + self.partial + self.missed) as f64;
        let score = self.correct as f64 + partial_weight * self.partial as f64;
        prf(score, act, pos).2
    }
}

/// Accumulates scores over sentences.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    total: Counts,
    per_type: BTreeMap<String, Counts>,
    partial: NervalCounts,
    typed: NervalCounts,
    tokens: usize,
}

/// The scores of a run, in the shape `outpost ner eval --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Strict (conlleval) F1 × 100.
    pub f1: f64,
    /// Strict precision × 100.
    pub precision: f64,
    /// Strict recall × 100.
    pub recall: f64,
    /// Strict scores per entity type.
    pub per_type: BTreeMap<String, Prf>,
    /// nervaluate `partial` scheme F1 × 100 (boundary overlap earns half credit; type ignored).
    pub partial_f1: f64,
    /// nervaluate `type` scheme F1 × 100 (any overlap with the right type is correct).
    pub type_f1: f64,
    /// Tokens scored.
    pub tokens: usize,
    /// Tagging throughput on one thread (set by the caller; 0 when not measured).
    pub tokens_per_second: f64,
}

impl Scorer {
    /// A scorer with no sentences.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one sentence of `n_tokens` tokens: gold and predicted chunks.
    pub fn add(&mut self, n_tokens: usize, gold: &[Chunk], pred: &[Chunk]) {
        self.tokens += n_tokens;
        for g in gold {
            self.total.gold += 1;
            self.per_type.entry(g.ty.clone()).or_default().gold += 1;
        }
        for p in pred {
            self.total.predicted += 1;
            let c = self.per_type.entry(p.ty.clone()).or_default();
            c.predicted += 1;
            if gold.contains(p) {
                c.correct += 1;
                self.total.correct += 1;
            }
        }
        // nervaluate
        let mut matched = vec![false; gold.len()];
        for p in pred {
            if let Some(k) = gold.iter().position(|g| g == p) {
                matched[k] = true;
                self.partial.correct += 1;
                self.typed.correct += 1;
                continue;
            }
            if let Some(k) = gold
                .iter()
                .position(|g| g.start == p.start && g.end == p.end)
            {
                matched[k] = true;
                self.partial.correct += 1;
                self.typed.incorrect += 1;
                continue;
            }
            match gold.iter().position(|g| g.start < p.end && p.start < g.end) {
                Some(k) => {
                    matched[k] = true;
                    self.partial.partial += 1;
                    if gold[k].ty == p.ty {
                        self.typed.correct += 1;
                    } else {
                        self.typed.incorrect += 1;
                    }
                }
                None => {
                    self.partial.spurious += 1;
                    self.typed.spurious += 1;
                }
            }
        }
        let missed = matched.iter().filter(|m| !**m).count();
        self.partial.missed += missed;
        self.typed.missed += missed;
    }

    /// The report (tokens_per_second left at 0).
    pub fn report(&self) -> EvalReport {
        let (precision, recall, f1) = prf(
            self.total.correct as f64,
            self.total.predicted as f64,
            self.total.gold as f64,
        );
        let per_type = self
            .per_type
            .iter()
            .map(|(k, c)| {
                let (precision, recall, f1) =
                    prf(c.correct as f64, c.predicted as f64, c.gold as f64);
                (
                    k.clone(),
                    Prf {
                        precision,
                        recall,
                        f1,
                        support: c.gold,
                    },
                )
            })
            .collect();
        EvalReport {
            f1,
            precision,
            recall,
            per_type,
            partial_f1: self.partial.f1(0.5),
            type_f1: self.typed.f1(0.0),
            tokens: self.tokens,
            tokens_per_second: 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::chunks;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn strict_scores_on_a_hand_made_example() {
        // gold: PER(0..2) LOC(3..4) ORG(5..6); pred: PER(0..2) ok, LOC(3..5) wrong boundary,
        // MISC(6..7) spurious; ORG missed.
        let gold = chunks(&["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "O"]);
        let pred = chunks(&["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "B-MISC"]);
        let mut s = Scorer::new();
        s.add(7, &gold, &pred);
        let r = s.report();
        assert!(close(r.precision, 100.0 / 3.0));
        assert!(close(r.recall, 100.0 / 3.0));
        assert!(close(r.f1, 100.0 / 3.0));
        assert!(close(r.per_type["PER"].f1, 100.0));
        assert!(close(r.per_type["LOC"].f1, 0.0));
        assert_eq!(r.per_type["ORG"].support, 1);
        // partial: COR=1 PAR=1 SPU=1 MIS=1 -> P = 1.5/3, R = 1.5/3
        assert!(close(r.partial_f1, 50.0));
        // type: COR=2 (PER exact, LOC overlap same type) SPU=1 MIS=1 -> P=R=2/3
        assert!(close(r.type_f1, 200.0 / 3.0));
        assert_eq!(r.tokens, 7);
    }

    #[test]
    fn perfect_and_empty() {
        let gold = chunks(&["B-X", "I-X"]);
        let mut s = Scorer::new();
        s.add(2, &gold, &gold);
        assert!(close(s.report().f1, 100.0));
        let mut s = Scorer::new();
        s.add(2, &gold, &[]);
        let r = s.report();
        assert!(close(r.f1, 0.0) && close(r.precision, 0.0));
    }
}
