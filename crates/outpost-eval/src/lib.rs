//! # outpost-eval
//!
//! Measures outpost against gold data. [`stations`] scores candidate station records against gold
//! station records (`../shared/data/stations/gold.jsonl` format): article relevance, record
//! precision/recall/F1 (a predicted record matches a gold record of the same article with the same
//! country and the same normalised city), field accuracy over matched records, and calibration of
//! record confidence (ECE over 10 bins, Brier score, a reliability table). [`calibration`] holds the
//! calibration metrics, [`prf`] the precision/recall/F1 arithmetic.

pub mod calibration;
pub mod prf;
pub mod stations;

pub use prf::Prf;
pub use stations::{evaluate, load_gold, load_predictions, EvalError, GoldArticle, StationEval};
