//! Builds the document pipeline from the shipped models.

use outpost_extract::{standard, Pipeline};
use std::path::Path;

/// Builds the standard pipeline with every shipped component, loading tables from `models`.
pub fn build_pipeline(models: &Path) -> anyhow::Result<Pipeline> {
    Ok(standard::build(models, standard::Options::default())?)
}
