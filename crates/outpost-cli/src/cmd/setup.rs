//! Builds the document pipeline from the shipped models.

use outpost_extract::{standard, Pipeline};
use std::path::Path;

/// Builds the standard pipeline with every shipped component, loading tables from `models`;
/// `prefilter` puts outpost-match's pre-filter in front of the recognizers.
pub fn build_pipeline(models: &Path, prefilter: bool) -> anyhow::Result<Pipeline> {
    Ok(standard::build(
        models,
        standard::Options {
            prefilter,
            ..standard::Options::default()
        },
    )?)
}
