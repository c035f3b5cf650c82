//! [`write_corpus`]: writes generated articles to a file in one of the [`Format`]s until a size is
//! reached, plus the sidecar `<FILE>.planted.jsonl` listing the planted articles. Both files are
//! written under temporary names and renamed when complete.

use crate::generate::{Article, Generator};
use crate::warc;
use crate::CorpusError;
use flate2::write::GzEncoder;
use flate2::Compression;
use outpost_io::warc::WarcWriter;
use outpost_io::{AtomicFile, IoError};
use serde::Serialize;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines `{"id","url","lang","date","title","text"}`.
    Jsonl,
    /// The same, gzip-compressed.
    JsonlGz,
    /// WARC/1.1 response records holding HTML pages, one gzip member per record.
    WarcGz,
}

impl Format {
    /// Parses `jsonl`, `jsonl.gz` or `warc.gz`; `None` otherwise.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "jsonl" => Some(Self::Jsonl),
            "jsonl.gz" => Some(Self::JsonlGz),
            "warc.gz" => Some(Self::WarcGz),
            _ => None,
        }
    }
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The corpus file.
    pub path: PathBuf,
    /// The sidecar with the planted articles.
    pub planted_path: PathBuf,
    /// Articles written.
    pub articles: u64,
    /// Articles with a planted report.
    pub planted: u64,
    /// Articles with a police-news sentence ([`crate::Options::police_rate`]).
    pub police: u64,
    /// Uncompressed bytes of the records (JSON lines, or WARC records).
    pub bytes: u64,
    /// Bytes of article text (UTF-8).
    pub text_bytes: u64,
}

/// Parses a size such as `100MB`, `1GB`, `512kB`, `1.5GB` or `2000000` (decimal units: 1 MB =
/// 10^6 bytes). Returns `None` for anything else.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let (num, mult) = [
        ("GB", 1e9),
        ("MB", 1e6),
        ("KB", 1e3),
        ("G", 1e9),
        ("M", 1e6),
        ("K", 1e3),
        ("B", 1.0),
    ]
    .iter()
    .find_map(|(suf, m)| upper.strip_suffix(suf).map(|n| (n.trim().to_string(), *m)))
    .unwrap_or((upper.clone(), 1.0));
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v >= 0.0).then(|| (v * mult).round() as u64)
}

/// The sidecar path of a corpus file: `<FILE>.planted.jsonl`.
pub fn planted_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".planted.jsonl");
    path.with_file_name(name)
}

fn write_err(path: &Path, source: std::io::Error) -> CorpusError {
    CorpusError::Write(IoError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes articles from `generator` to `path` in `format` until at least `size` uncompressed bytes
/// are written, and the sidecar `<path>.planted.jsonl` (`{"id","url","lang","city","country",
/// "bureau","sentence"}` per planted article). Nothing is left at either path on error.
pub fn write_corpus(
    generator: Generator<'_>,
    seed: u64,
    size: u64,
    format: Format,
    path: &Path,
) -> Result<Summary, CorpusError> {
    let sidecar_path = planted_path(path);
    let mut sidecar = AtomicFile::create(&sidecar_path)?;
    let file = AtomicFile::create(path)?;
    let mut summary = Summary {
        path: path.to_path_buf(),
        planted_path: sidecar_path.clone(),
        articles: 0,
        planted: 0,
        police: 0,
        bytes: 0,
        text_bytes: 0,
    };
    let mut out = match format {
        Format::Jsonl => Out::Plain(file),
        Format::JsonlGz => Out::Gz(GzEncoder::new(file, Compression::fast())),
        Format::WarcGz => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut w = WarcWriter::gzip(file).level(1).seed(seed);
            let fields = format!(
                "software: outpost-corpus {}\r\nformat: WARC File Format 1.1\r\ndescription: synthetic corpus, seed {seed}\r\n",
                env!("CARGO_PKG_VERSION")
            );
            w.write_warcinfo("2024-01-01T00:00:00Z", &name, &fields)
                .map_err(|e| write_err(path, e))?;
            summary.bytes = w.uncompressed_bytes();
            Out::Warc(w)
        }
    };
    for a in generator {
        if summary.bytes >= size {
            break;
        }
        let rec = match &mut out {
            Out::Warc(w) => {
                let before = w.uncompressed_bytes();
                w.write_response(
                    &a.url,
                    &format!("{}T00:00:00Z", a.date),
                    "text/html; charset=utf-8",
                    warc::html_page(&a).as_bytes(),
                )
                .map_err(|e| write_err(path, e))?;
                (w.uncompressed_bytes() - before) as usize
            }
            Out::Plain(f) => write_line(f, &a, path)?,
            Out::Gz(g) => write_line(g, &a, path)?,
        };
        summary.bytes += rec as u64;
        summary.articles += 1;
        summary.text_bytes += a.text.len() as u64;
        summary.police += u64::from(a.police.is_some());
        if let Some(p) = &a.plant {
            summary.planted += 1;
            sidecar.write_json_line(&json!({
                "id": a.id, "url": a.url, "lang": a.lang, "city": p.city, "country": p.country,
                "bureau": p.bureau, "sentence": p.sentence,
            }))?;
        }
    }
    let file = match out {
        Out::Plain(f) => f,
        Out::Gz(g) => g.finish().map_err(|e| write_err(path, e))?,
        Out::Warc(w) => w.finish().map_err(|e| write_err(path, e))?,
    };
    file.commit()?;
    sidecar.commit()?;
    Ok(summary)
}

/// Writes one article as a JSON line; returns the bytes written.
fn write_line(w: &mut dyn Write, a: &Article, path: &Path) -> Result<usize, CorpusError> {
    let mut line = serde_json::to_vec(&json!({
        "id": a.id, "url": a.url, "lang": a.lang, "date": a.date,
        "title": a.title, "text": a.text,
    }))
    .map_err(|source| IoError::Serialise {
        path: path.to_path_buf(),
        source,
    })?;
    line.push(b'\n');
    w.write_all(&line).map_err(|e| write_err(path, e))?;
    Ok(line.len())
}

/// The corpus file being written.
enum Out {
    Plain(AtomicFile),
    Gz(GzEncoder<AtomicFile>),
    Warc(WarcWriter<AtomicFile>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::tests::tiny_sources;
    use crate::Options;
    use std::io::Read;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("100MB"), Some(100_000_000));
        assert_eq!(parse_size("1.5GB"), Some(1_500_000_000));
        assert_eq!(parse_size("512kB"), Some(512_000));
        assert_eq!(parse_size("42"), Some(42));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("-3MB"), None);
    }

    #[test]
    fn formats_hold_the_same_articles_and_the_sidecar_lists_plants() {
        let s = tiny_sources();
        let dir = tempfile::tempdir().expect("tempdir");
        let opts = Options {
            rate: 0.2,
            seed: 9,
            sentences: 4,
            police_rate: 0.1,
        };
        let plain = dir.path().join("c.jsonl");
        let sum = write_corpus(Generator::new(&s, opts), 9, 20_000, Format::Jsonl, &plain)
            .expect("jsonl");
        let text = std::fs::read_to_string(&plain).expect("read");
        assert_eq!(text.len() as u64, sum.bytes);
        assert!(sum.bytes >= 20_000);
        assert_eq!(text.lines().count() as u64, sum.articles);
        let side = std::fs::read_to_string(planted_path(&plain)).expect("sidecar");
        assert_eq!(side.lines().count() as u64, sum.planted);
        assert!(sum.planted > 0);
        assert!(
            sum.police > 0 && sum.police < sum.articles,
            "{}",
            sum.police
        );
        for l in side.lines() {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            let id = v["id"].as_str().expect("id");
            let line = text
                .lines()
                .find(|l| l.contains(&format!("\"id\":\"{id}\"")))
                .expect("planted id in corpus");
            assert!(line.contains(v["city"].as_str().expect("city")));
        }

        let gz = dir.path().join("c.jsonl.gz");
        write_corpus(Generator::new(&s, opts), 9, 20_000, Format::JsonlGz, &gz).expect("gz");
        let mut back = String::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&gz).expect("open"))
            .read_to_string(&mut back)
            .expect("gunzip");
        assert_eq!(back, text);

        let w = dir.path().join("c.warc.gz");
        let ws =
            write_corpus(Generator::new(&s, opts), 9, 20_000, Format::WarcGz, &w).expect("warc");
        let mut back = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&w).expect("open"))
            .read_to_end(&mut back)
            .expect("gunzip");
        assert_eq!(back.len() as u64, ws.bytes);
        let back = String::from_utf8(back).expect("utf8");
        assert_eq!(
            back.matches("WARC-Type: response").count() as u64,
            ws.articles
        );
        assert_eq!(back.matches("WARC/1.1\r\n").count() as u64, ws.articles + 1);
        assert!(dir.path().join("c.warc.gz.planted.jsonl").exists());
    }
}
