//! JSON Lines export: one `StationRecord` per line, corrections applied.

use super::{reviewed_records, ExportOptions, ExportSummary};
use crate::rundir::RunOutput;

/// Writes the records as JSON Lines into `out`; the error is a message.
pub fn write(
    run: &RunOutput,
    opts: &ExportOptions,
    out: &mut Vec<u8>,
) -> Result<ExportSummary, String> {
    let (recs, not_accepted, unmatched) = reviewed_records(run, opts);
    for r in &recs {
        serde_json::to_writer(&mut *out, &r.record).map_err(|e| e.to_string())?;
        out.push(b'\n');
    }
    Ok(ExportSummary {
        written: recs.len(),
        not_accepted,
        unmatched_decisions: unmatched,
        ..Default::default()
    })
}
