//! CSV export (RFC 4180): a header row, then one row per record; CRLF line ends, fields quoted
//! where needed with quotes doubled. Lists are joined with `; `.

use super::{reviewed_records, ExportOptions, ExportSummary};
use crate::decision::ReviewStatus;
use crate::page::{dates_text, people_text};
use crate::rundir::RunOutput;

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    "article_id",
    "record_key",
    "url",
    "language",
    "station_name",
    "bureau",
    "bureau_canonical",
    "bureau_adcode",
    "country",
    "city",
    "city_en",
    "geonames_id",
    "lat",
    "lon",
    "address",
    "host_org",
    "people",
    "dates",
    "status",
    "count",
    "confidence",
    "evidence",
    "review_status",
    "corrected_fields",
];

/// Writes the CSV into `out`; the error is a message.
pub fn write(
    run: &RunOutput,
    opts: &ExportOptions,
    out: &mut Vec<u8>,
) -> Result<ExportSummary, String> {
    let (recs, not_accepted, unmatched) = reviewed_records(run, opts);
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(&mut *out);
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    let opt = |s: Option<&str>| s.unwrap_or("").to_string();
    for rv in &recs {
        let r = &rv.record;
        let city = r.city.as_ref();
        let bureau = r.bureau.as_ref();
        let row: Vec<String> = vec![
            r.article_id.clone(),
            rv.key.clone(),
            opt(r.url.as_deref()),
            opt(r.language.as_deref()),
            opt(r.station_name.as_deref()),
            opt(bureau.map(|b| b.as_written.as_str())),
            opt(bureau.and_then(|b| b.canonical.as_deref())),
            opt(bureau.and_then(|b| b.adcode.as_deref())),
            r.country.clone(),
            opt(city.map(|c| c.as_written.as_str())),
            opt(city.and_then(|c| c.name_en.as_deref())),
            city.and_then(|c| c.geonames_id)
                .map(|g| g.to_string())
                .unwrap_or_default(),
            city.and_then(|c| c.lat)
                .map(|x| x.to_string())
                .unwrap_or_default(),
            city.and_then(|c| c.lon)
                .map(|x| x.to_string())
                .unwrap_or_default(),
            opt(r.address.as_ref().map(|a| a.raw.as_str())),
            opt(r.host_org.as_deref()),
            people_text(r),
            dates_text(r),
            r.status.join("; "),
            r.count.to_string(),
            format!("{:.4}", r.confidence),
            r.evidence
                .iter()
                .map(|e| e.text.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            match rv.status {
                ReviewStatus::Accepted => "accepted",
                ReviewStatus::Rejected => "rejected",
                ReviewStatus::Unreviewed => "",
            }
            .to_string(),
            rv.corrected.join("; "),
        ];
        let row: Vec<String> = if opts.spreadsheet_safe {
            row.into_iter().map(spreadsheet_safe).collect()
        } else {
            row
        };
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;
    Ok(ExportSummary {
        written: recs.len(),
        not_accepted,
        unmatched_decisions: unmatched,
        ..Default::default()
    })
}

/// Prefixes a cell that a spreadsheet would read as a formula with `'`. Numbers such as `-3.7`
/// are left alone.
fn spreadsheet_safe(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}
