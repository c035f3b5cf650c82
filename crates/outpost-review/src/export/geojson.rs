//! GeoJSON export (RFC 7946): a FeatureCollection with one Point feature per record that has
//! coordinates, `[longitude, latitude]` in that order. Records without valid coordinates are
//! skipped and counted.

use super::{reviewed_records, ExportOptions, ExportSummary};
use crate::decision::ReviewStatus;
use crate::page::people_text;
use crate::rundir::RunOutput;
use serde_json::{json, Value};

/// Writes the FeatureCollection into `out`; the error is a message.
pub fn write(
    run: &RunOutput,
    opts: &ExportOptions,
    out: &mut Vec<u8>,
) -> Result<ExportSummary, String> {
    let (recs, not_accepted, unmatched) = reviewed_records(run, opts);
    let mut features: Vec<Value> = Vec::new();
    let mut without = 0;
    for rv in &recs {
        let r = &rv.record;
        let city = r.city.as_ref();
        let (lat, lon) = match city.map(|c| (c.lat, c.lon)) {
            Some((Some(lat), Some(lon)))
                if lat.is_finite()
                    && lon.is_finite()
                    && lat.abs() <= 90.0
                    && lon.abs() <= 180.0 =>
            {
                (lat, lon)
            }
            _ => {
                without += 1;
                continue;
            }
        };
        features.push(json!({
            "type": "Feature",
            "id": format!("{}/{}", r.article_id, rv.key),
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "article_id": r.article_id,
                "record_key": rv.key,
                "url": r.url,
                "language": r.language,
                "station_name": r.station_name,
                "country": r.country,
                "city": city.map(|c| c.as_written.clone()),
                "city_en": city.and_then(|c| c.name_en.clone()),
                "geonames_id": city.and_then(|c| c.geonames_id),
                "bureau": r.bureau.as_ref().map(|b| b.as_written.clone()),
                "bureau_canonical": r.bureau.as_ref().and_then(|b| b.canonical.clone()),
                "address": r.address.as_ref().map(|a| a.raw.clone()),
                "host_org": r.host_org,
                "people": people_text(r),
                "status": r.status,
                "count": r.count,
                "confidence": r.confidence,
                "review_status": match rv.status {
                    ReviewStatus::Accepted => Some("accepted"),
                    ReviewStatus::Rejected => Some("rejected"),
                    ReviewStatus::Unreviewed => None,
                },
            }
        }));
    }
    let written = features.len();
    let fc = json!({"type": "FeatureCollection", "features": features});
    serde_json::to_writer(&mut *out, &fc).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(ExportSummary {
        written,
        without_coordinates: without,
        not_accepted,
        unmatched_decisions: unmatched,
        ..Default::default()
    })
}
