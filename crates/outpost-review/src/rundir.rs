//! Reading an `outpost run` output directory: `candidates.jsonl` (required), `articles.jsonl`,
//! `documents.jsonl` and `manifest.json` (optional), and an optional `stations.jsonl` from
//! `outpost link`.

use crate::error::{Result, ReviewError};
use outpost_core::{ArticleSummary, Span, StationRecord};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// One line of `documents.jsonl`: an input article's text and the spans found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentText {
    /// Article id.
    pub id: String,
    /// Source URL, when known.
    #[serde(default)]
    pub url: Option<String>,
    /// Title, when known.
    #[serde(default)]
    pub title: Option<String>,
    /// Publication date, when known.
    #[serde(default)]
    pub date: Option<String>,
    /// Language (ISO 639-1), when known.
    #[serde(default)]
    pub lang: Option<String>,
    /// The article text; span offsets are code points into it.
    pub text: String,
    /// Spans found in the text (code-point offsets).
    #[serde(default)]
    pub spans: Vec<Span>,
}

/// Everything the review page and the exports read from a run.
#[derive(Debug, Clone, Default)]
pub struct RunOutput {
    /// The directory read.
    pub dir: PathBuf,
    /// Records of `candidates.jsonl`, in file order.
    pub records: Vec<StationRecord>,
    /// Lines of `articles.jsonl` (empty when absent).
    pub articles: Vec<ArticleSummary>,
    /// Lines of `documents.jsonl` by article id (empty when absent).
    pub documents: BTreeMap<String, DocumentText>,
    /// `manifest.json`, when present and valid JSON.
    pub manifest: Option<serde_json::Value>,
}

/// Which lines of `documents.jsonl` to keep in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentSet {
    /// Every document (Label Studio export).
    All,
    /// Only documents of articles that have records (review page).
    ForRecords,
    /// None: `documents.jsonl` is not read (CSV, GeoJSON, JSON Lines exports).
    Skip,
}

impl RunOutput {
    /// Reads a run directory, or a `candidates.jsonl` file with its siblings, keeping every
    /// document. See [`RunOutput::read_with`].
    pub fn read(path: &Path) -> Result<Self> {
        Self::read_with(path, DocumentSet::All)
    }

    /// Reads a run directory, or a `candidates.jsonl` file with its siblings, keeping the
    /// documents `docs` asks for (documents are streamed, so skipped ones never sit in memory).
    ///
    /// Errors: [`ReviewError::Missing`] when there is no `candidates.jsonl`,
    /// [`ReviewError::BadLine`] naming file and line for a malformed line, [`ReviewError::Io`].
    /// A duplicate id in `documents.jsonl` is a bad line too.
    pub fn read_with(path: &Path, docs: DocumentSet) -> Result<Self> {
        let (dir, candidates) = if path.is_file() {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (dir, path.to_path_buf())
        } else {
            (path.to_path_buf(), path.join("candidates.jsonl"))
        };
        if !candidates.is_file() {
            return Err(ReviewError::Missing { path: candidates });
        }
        let records = read_jsonl::<StationRecord>(&candidates)?;
        let articles_path = dir.join("articles.jsonl");
        let articles = if articles_path.is_file() {
            read_jsonl(&articles_path)?
        } else {
            Vec::new()
        };
        let docs_path = dir.join("documents.jsonl");
        let mut documents = BTreeMap::new();
        let wanted: std::collections::HashSet<&str> =
            records.iter().map(|r| r.article_id.as_str()).collect();
        let mut seen = std::collections::HashSet::new();
        if docs_path.is_file() && docs != DocumentSet::Skip {
            for_each_jsonl::<DocumentText>(&docs_path, |line, d| {
                if !seen.insert(d.id.clone()) {
                    return Err(ReviewError::BadLine {
                        path: docs_path.clone(),
                        line,
                        message: format!("duplicate document id {:?}", d.id),
                    });
                }
                if docs == DocumentSet::All || wanted.contains(d.id.as_str()) {
                    documents.insert(d.id.clone(), d);
                }
                Ok(())
            })?;
        }
        let manifest_path = dir.join("manifest.json");
        let manifest = std::fs::read_to_string(&manifest_path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok());
        Ok(RunOutput {
            dir,
            records,
            articles,
            documents,
            manifest,
        })
    }
}

/// Reads linked stations (`outpost link` output): one JSON object per line, kept as JSON so the
/// page shows every field the linker writes.
///
/// Errors: [`ReviewError::BadLine`] for a line that is not a JSON object.
pub fn read_stations(path: &Path) -> Result<Vec<serde_json::Map<String, serde_json::Value>>> {
    read_jsonl(path)
}

/// Reads a JSON Lines file into values of `T`, skipping blank lines.
///
/// Errors: [`ReviewError::BadLine`] naming the file and 1-based line, [`ReviewError::Io`].
pub fn read_jsonl<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for_each_jsonl(path, |_, v| {
        out.push(v);
        Ok(())
    })?;
    Ok(out)
}

fn for_each_jsonl<T: DeserializeOwned>(
    path: &Path,
    mut f: impl FnMut(usize, T) -> Result<()>,
) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| ReviewError::io(path, e))?;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| ReviewError::BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.to_string(),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(&line).map_err(|e| ReviewError::BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.to_string(),
        })?;
        f(i + 1, v)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{write_run, Fixture};

    #[test]
    fn reads_a_fixture_run_and_names_bad_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fx = Fixture::mixed();
        write_run(dir.path(), &fx).expect("write");
        let run = RunOutput::read(dir.path()).expect("read");
        assert_eq!(run.records, fx.records);
        assert_eq!(run.documents.len(), fx.documents.len());
        assert_eq!(run.articles.len(), fx.articles.len());
        // The candidates file itself works too.
        let run2 = RunOutput::read(&dir.path().join("candidates.jsonl")).expect("read file");
        assert_eq!(run2.documents.len(), fx.documents.len());
        // The mixed fixture has one relevant article without records.
        let for_records = RunOutput::read_with(dir.path(), DocumentSet::ForRecords).expect("read");
        assert_eq!(for_records.documents.len(), fx.documents.len() - 1);
        assert!(!for_records.documents.contains_key("net-001"));
        let skip = RunOutput::read_with(dir.path(), DocumentSet::Skip).expect("read");
        assert!(skip.documents.is_empty());

        let cands = dir.path().join("candidates.jsonl");
        let mut text = std::fs::read_to_string(&cands).expect("read");
        text.push_str("{\"article_id\": 3}\n");
        std::fs::write(&cands, text).expect("write");
        let err = RunOutput::read(dir.path())
            .expect_err("bad line")
            .to_string();
        let n = fx.records.len() + 1;
        assert!(err.contains(&format!("candidates.jsonl:{n}:")), "{err}");

        let empty = tempfile::tempdir().expect("tempdir");
        let err = RunOutput::read(empty.path())
            .expect_err("missing")
            .to_string();
        assert!(err.contains("candidates.jsonl: missing"), "{err}");
    }
}
