//! Writers: [`AtomicFile`] (complete or absent) and JSON Lines. (The CSV, GeoJSON and Label Studio
//! forms of records are written by `outpost-review`'s exporters.)

use crate::IoError;
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
        serde_json::to_writer(&mut *w, value).map_err(|source| IoError::Serialise {
            path: path.clone(),
            source,
        })?;
        w.write_all(b"\n")
            .map_err(|source| IoError::Write { path, source })
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
