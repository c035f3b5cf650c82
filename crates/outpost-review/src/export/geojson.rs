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

/// Writes linked stations (`stations.jsonl` objects) as a FeatureCollection: coordinates from
/// top-level `lat`/`lon` or `city.lat`/`city.lon`; properties are the station's scalar fields plus
/// `city` (its `name_en` or `as_written` when `city` is an object). Stations without valid
/// coordinates are skipped and counted. The error is a message.
pub fn write_stations(
    stations: &[serde_json::Map<String, Value>],
    out: &mut Vec<u8>,
) -> Result<ExportSummary, String> {
    let mut features = Vec::new();
    let mut without = 0;
    for s in stations {
        let num = |v: Option<&Value>| v.and_then(Value::as_f64);
        let city = s.get("city");
        let lat = num(s.get("lat")).or_else(|| num(city.and_then(|c| c.get("lat"))));
        let lon = num(s.get("lon")).or_else(|| num(city.and_then(|c| c.get("lon"))));
        let (lat, lon) = match (lat, lon) {
            (Some(a), Some(o)) if a.abs() <= 90.0 && o.abs() <= 180.0 => (a, o),
            _ => {
                without += 1;
                continue;
            }
        };
        let mut props: serde_json::Map<String, Value> = s
            .iter()
            .filter(|(_, v)| !v.is_object() && !v.is_array())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(Value::Object(c)) = city {
            let name = c.get("name_en").or_else(|| c.get("as_written")).cloned();
            props.insert("city".into(), name.unwrap_or(Value::Null));
        }
        let id = s.get("station_id").or_else(|| s.get("id")).cloned();
        let mut f = json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props,
        });
        if let Some(id) = id.filter(|v| v.is_string() || v.is_number()) {
            f["id"] = id;
        }
        features.push(f);
    }
    let written = features.len();
    serde_json::to_writer(
        &mut *out,
        &json!({"type": "FeatureCollection", "features": features}),
    )
    .map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(ExportSummary {
        written,
        without_coordinates: without,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stations_become_lon_lat_points() {
        let st: Vec<serde_json::Map<String, Value>> = [
            r#"{"station_id":"st-1","country":"NL","city":{"as_written":"鹿特丹","name_en":"Rotterdam","lat":51.9,"lon":4.5},"sources":[1]}"#,
            r#"{"station_id":"st-2","country":"ES","lat":40.4,"lon":-3.7}"#,
            r#"{"station_id":"st-3","country":"IT"}"#,
        ]
        .iter()
        .map(|s| serde_json::from_str(s).expect("json"))
        .collect();
        let mut out = Vec::new();
        let sum = write_stations(&st, &mut out).expect("write");
        assert_eq!((sum.written, sum.without_coordinates), (2, 1));
        let v: Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(
            v["features"][0]["geometry"]["coordinates"],
            json!([4.5, 51.9])
        );
        assert_eq!(v["features"][0]["properties"]["city"], "Rotterdam");
        assert_eq!(v["features"][0]["id"], "st-1");
        assert!(v["features"][0]["properties"].get("sources").is_none());
        assert_eq!(
            v["features"][1]["geometry"]["coordinates"],
            json!([-3.7, 40.4])
        );
    }
}
