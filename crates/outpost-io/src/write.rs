//! Writers: [`AtomicFile`] (complete or absent), JSON Lines, and the CSV form of station records.

use crate::IoError;
use outpost_core::StationRecord;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file written under a temporary name in the same directory and renamed into place by
/// [`AtomicFile::commit`]. Dropped without commit, the temporary file is removed, so readers never
/// see a half-written output.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the temporary file for `path` (its directory must exist).
    pub fn create(path: impl AsRef<Path>) -> Result<Self, IoError> {
        let path = path.as_ref().to_path_buf();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(|source| IoError::Write {
            path: tmp.clone(),
            source,
        })?;
        Ok(Self {
            path,
            tmp,
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one value as a JSON line.
    pub fn write_json_line<T: Serialize>(&mut self, value: &T) -> Result<(), IoError> {
        let path = self.path.clone();
        let w = self.writer_mut()?;
        serde_json::to_writer(&mut *w, value)
            .map_err(|source| IoError::Serialise { path, source })?;
        w.write_all(b"\n").map_err(|source| IoError::Write {
            path: PathBuf::new(),
            source,
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), IoError> {
        let w = self.writer.take();
        if let Some(w) = w {
            let file = w.into_inner().map_err(|e| IoError::Write {
                path: self.tmp.clone(),
                source: e.into_error(),
            })?;
            file.sync_all().map_err(|source| IoError::Write {
                path: self.tmp.clone(),
                source,
            })?;
        }
        std::fs::rename(&self.tmp, &self.path).map_err(|source| IoError::Write {
            path: self.path.clone(),
            source,
        })
    }

    fn writer_mut(&mut self) -> Result<&mut BufWriter<File>, IoError> {
        let path = self.path.clone();
        self.writer.as_mut().ok_or(IoError::Write {
            path,
            source: std::io::Error::other("file already committed"),
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `value` as pretty JSON to `path` atomically.
pub fn write_json_file<T: Serialize>(path: &Path, value: &T) -> Result<(), IoError> {
    let mut f = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(&mut f, value).map_err(|source| IoError::Serialise {
        path: path.to_path_buf(),
        source,
    })?;
    f.write_all(b"\n").map_err(|source| IoError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    f.commit()
}

/// Column names of the CSV form of a station record, in order.
pub const RECORD_CSV_COLUMNS: &[&str] = &[
    "article_id",
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
];

/// Flattens a record into CSV cells matching [`RECORD_CSV_COLUMNS`]. Lists are joined with `; `.
pub fn record_csv_row(r: &StationRecord) -> Vec<String> {
    let opt = |o: Option<&str>| o.unwrap_or("").to_string();
    let num = |o: Option<f64>| o.map(|v| v.to_string()).unwrap_or_default();
    vec![
        r.article_id.clone(),
        opt(r.url.as_deref()),
        opt(r.language.as_deref()),
        opt(r.station_name.as_deref()),
        opt(r.bureau.as_ref().map(|b| b.as_written.as_str())),
        opt(r.bureau.as_ref().and_then(|b| b.canonical.as_deref())),
        opt(r.bureau.as_ref().and_then(|b| b.adcode.as_deref())),
        r.country.clone(),
        opt(r.city.as_ref().map(|c| c.as_written.as_str())),
        opt(r.city.as_ref().and_then(|c| c.name_en.as_deref())),
        r.city
            .as_ref()
            .and_then(|c| c.geonames_id)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        num(r.city.as_ref().and_then(|c| c.lat)),
        num(r.city.as_ref().and_then(|c| c.lon)),
        opt(r.address.as_ref().map(|a| a.raw.as_str())),
        opt(r.host_org.as_deref()),
        r.people
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        r.dates
            .iter()
            .map(|d| format!("{}:{}", d.kind, d.value))
            .collect::<Vec<_>>()
            .join("; "),
        r.status.join("; "),
        r.count.to_string(),
        format!("{:.4}", r.confidence),
        r.evidence
            .iter()
            .map(|e| e.text.as_str())
            .collect::<Vec<_>>()
            .join(" […] "),
    ]
}

/// Writes records as RFC 4180 CSV (header row first) to `path`, atomically.
pub fn write_records_csv<'a>(
    path: &Path,
    records: impl IntoIterator<Item = &'a StationRecord>,
) -> Result<(), IoError> {
    let file = AtomicFile::create(path)?;
    let mut w = csv::Writer::from_writer(file);
    let csv_err = |source| IoError::Csv {
        path: path.to_path_buf(),
        source,
    };
    w.write_record(RECORD_CSV_COLUMNS).map_err(csv_err)?;
    for r in records {
        w.write_record(record_csv_row(r)).map_err(csv_err)?;
    }
    let file = w.into_inner().map_err(|e| IoError::Write {
        path: path.to_path_buf(),
        source: e.into_error(),
    })?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.jsonl");
        {
            let mut f = AtomicFile::create(&p).expect("create");
            f.write_json_line(&serde_json::json!({"a":1}))
                .expect("write");
        }
        assert!(!p.exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
        let mut f = AtomicFile::create(&p).expect("create");
        f.write_json_line(&serde_json::json!({"a":1}))
            .expect("write");
        f.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "{\"a\":1}\n");
    }
}
