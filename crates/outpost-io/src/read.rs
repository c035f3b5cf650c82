//! Readers: JSON Lines articles (plain, gzip or zstd), HTML pages, WARC files, plain text,
//! directory trees and globs of all of these, and standard input.
//!
//! Every input record becomes one [`InputItem`]: `Ok(Document)` or `Err(ErrorEntry)` with the file
//! and line or record number (or the file alone) and a reason. Blank lines in JSON Lines are not
//! records and are skipped, and so are WARC records that are not pages (`request`, `metadata`, ...:
//! counted in [`SkipCounts`]); everything else is accounted for.

use crate::extract::{default_extractor, TextExtractor};
use crate::pages::{read_html_file, read_warc_file, SkipCounts};
use outpost_core::{Document, ErrorEntry, SourceLocation};
use serde_json::Value;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One input record: a document, or the error that stopped it from being read.
pub type InputItem = Result<Document, ErrorEntry>;

/// Which JSON field holds which document attribute (`outpost run --text-field body`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// Field holding the id (default `id`); when absent the id is `FILE:LINE`.
    pub id: String,
    /// Field holding the text (default `text`); required.
    pub text: String,
    /// Field holding the URL (default `url`).
    pub url: String,
    /// Field holding the title (default `title`).
    pub title: String,
    /// Field holding the date (default `date`).
    pub date: String,
    /// Field holding the language hint (default `lang`).
    pub lang: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        Self {
            id: "id".into(),
            text: "text".into(),
            url: "url".into(),
            title: "title".into(),
            date: "date".into(),
            lang: "lang".into(),
        }
    }
}

fn error(location: SourceLocation, id: Option<String>, reason: impl Into<String>) -> ErrorEntry {
    ErrorEntry {
        location,
        id,
        reason: reason.into(),
    }
}

fn opt_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses one JSON Lines record (already decoded) into a document.
///
/// Returns an error entry when the line is not a JSON object, or the text field is missing or not a
/// string. A missing id becomes `FILE:LINE`.
pub fn parse_record(line: &str, location: SourceLocation, fields: &FieldMap) -> InputItem {
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Err(error(location, None, format!("malformed JSON: {e}"))),
    };
    let Value::Object(map) = value else {
        return Err(error(location, None, "record is not a JSON object"));
    };
    let id = opt_string(map.get(&fields.id));
    let text = match map.get(&fields.text) {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(error(
                location,
                id,
                format!("field `{}` is not a string", fields.text),
            ))
        }
        None => {
            return Err(error(
                location,
                id,
                format!("missing field `{}`", fields.text),
            ))
        }
    };
    let id = id.unwrap_or_else(|| location.to_string());
    Ok(Document {
        id,
        text,
        url: opt_string(map.get(&fields.url)),
        title: opt_string(map.get(&fields.title)),
        date: opt_string(map.get(&fields.date)),
        lang: opt_string(map.get(&fields.lang)),
        source: location,
        screened_out: false,
    })
}

/// Reads JSON Lines from any reader; `name` is the file name used in locations.
///
/// Yields one item per non-blank line. Invalid UTF-8, malformed JSON and missing text become error
/// entries for that line; a read error of the underlying stream ends the iteration with one error entry.
pub fn read_jsonl<R: Read>(
    reader: R,
    name: &str,
    fields: &FieldMap,
) -> impl Iterator<Item = InputItem> {
    JsonlIter {
        reader: BufReader::with_capacity(1 << 16, reader),
        name: name.to_string(),
        fields: fields.clone(),
        line: 0,
        done: false,
        buf: Vec::new(),
    }
}

struct JsonlIter<R: Read> {
    reader: BufReader<R>,
    name: String,
    fields: FieldMap,
    line: u64,
    done: bool,
    buf: Vec<u8>,
}

impl<R: Read> Iterator for JsonlIter<R> {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    self.line += 1;
                    return Some(Err(error(
                        SourceLocation::line(&self.name, self.line),
                        None,
                        format!("read error: {e}"),
                    )));
                }
            }
            self.line += 1;
            let loc = SourceLocation::line(&self.name, self.line);
            let mut bytes: &[u8] = &self.buf;
            while let Some((&last, rest)) = bytes.split_last() {
                if last == b'\n' || last == b'\r' {
                    bytes = rest;
                } else {
                    break;
                }
            }
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    return Some(Err(error(
                        loc,
                        None,
                        format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
                    )))
                }
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            return Some(parse_record(text, loc, &self.fields));
        }
    }
}

/// How a JSON Lines file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip (`.gz`; several concatenated members are read as one stream).
    Gzip,
    /// Zstandard (`.zst`, `.zstd`).
    Zstd,
}

/// The kind of an input source, decided by extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// Standard input, JSON Lines.
    Stdin,
    /// A JSON Lines file (`.jsonl`, `.ndjson`, `.json`).
    Jsonl(PathBuf),
    /// A compressed JSON Lines file (`.jsonl.gz`, `.ndjson.gz`, `.json.gz`, `.jsonl.zst`, ...).
    CompressedJsonl(PathBuf, Compression),
    /// A WARC file, plain or gzip-compressed (`.warc`, `.warc.gz`).
    Warc(PathBuf),
    /// A plain-text file: one document; the second field is its id (the path relative to the
    /// directory given on the command line, or the path as given).
    Text(PathBuf, String),
    /// An HTML file: one document, with its id as for `Text`.
    Html(PathBuf, String),
    /// A path that could not be read (missing, permission denied), or a glob that matched nothing;
    /// the second field says why.
    Unreadable(PathBuf, String),
}

impl SourceKind {
    /// The path of the source (`-` for standard input).
    pub fn path(&self) -> PathBuf {
        match self {
            SourceKind::Stdin => PathBuf::from("-"),
            SourceKind::Jsonl(p)
            | SourceKind::CompressedJsonl(p, _)
            | SourceKind::Warc(p)
            | SourceKind::Text(p, _)
            | SourceKind::Html(p, _)
            | SourceKind::Unreadable(p, _) => p.clone(),
        }
    }
}

/// Whether a command-line input is a glob pattern (contains `*`, `?` or `[`) rather than a path.
fn is_glob(p: &Path) -> bool {
    let s = p.to_string_lossy();
    s.contains(['*', '?', '['])
}

/// Expands command-line inputs into sources: `-` is standard input; a path containing `*`, `?` or
/// `[` that does not exist as written is a glob (`**` matches any depth) whose matches are taken in
/// sorted order; directories (given or matched) are walked recursively in sorted order, taking the
/// supported kinds (`.jsonl`, `.ndjson`, `.json`, their `.gz` / `.zst` forms, `.warc`, `.warc.gz`,
/// `.txt`, `.html`, `.htm`) and returning other files in the second vector as skipped; files named
/// directly are classified by extension (unknown extension: plain text). A missing path, a bad
/// pattern or a glob that matches no supported file becomes a `SourceKind::Unreadable` saying so.
pub fn expand_inputs(paths: &[PathBuf]) -> (Vec<SourceKind>, Vec<PathBuf>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(SourceKind::Stdin);
        } else if p.is_dir() {
            walk(p, p, &mut out, &mut skipped);
        } else if is_glob(p) && !p.exists() {
            expand_glob(p, &mut out, &mut skipped);
        } else {
            match std::fs::metadata(p) {
                Ok(_) => out.push(
                    classify(p, p)
                        .unwrap_or_else(|| SourceKind::Text(p.clone(), p.display().to_string())),
                ),
                Err(e) => out.push(SourceKind::Unreadable(p.clone(), e.to_string())),
            }
        }
    }
    (out, skipped)
}

fn expand_glob(pattern: &Path, out: &mut Vec<SourceKind>, skipped: &mut Vec<PathBuf>) {
    let text = pattern.to_string_lossy();
    let paths = match glob::glob(&text) {
        Ok(paths) => paths,
        Err(e) => {
            out.push(SourceKind::Unreadable(
                pattern.to_path_buf(),
                format!("bad glob pattern: {e}"),
            ));
            return;
        }
    };
    let before = out.len();
    let mut matches = Vec::new();
    for m in paths {
        match m {
            Ok(p) => matches.push(p),
            Err(e) => out.push(SourceKind::Unreadable(
                e.path().to_path_buf(),
                e.error().to_string(),
            )),
        }
    }
    matches.sort();
    for p in matches {
        if p.is_dir() {
            walk(&p, &p, out, skipped);
        } else if let Some(kind) = classify(&p, &p) {
            out.push(kind);
        } else {
            skipped.push(p);
        }
    }
    if out.len() == before {
        out.push(SourceKind::Unreadable(
            pattern.to_path_buf(),
            "glob pattern matched no input file".into(),
        ));
    }
}

fn classify(p: &Path, root: &Path) -> Option<SourceKind> {
    let id = if p == root {
        p.display().to_string()
    } else {
        p.strip_prefix(root)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    let name = p.file_name()?.to_str()?.to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.')?;
    let inner = stem.rsplit_once('.').map(|(_, e)| e);
    let jsonl = |e: Option<&str>| matches!(e, Some("jsonl" | "ndjson" | "json"));
    match ext {
        "jsonl" | "ndjson" | "json" => Some(SourceKind::Jsonl(p.to_path_buf())),
        "gz" if jsonl(inner) => Some(SourceKind::CompressedJsonl(
            p.to_path_buf(),
            Compression::Gzip,
        )),
        "zst" | "zstd" if jsonl(inner) => Some(SourceKind::CompressedJsonl(
            p.to_path_buf(),
            Compression::Zstd,
        )),
        "gz" if inner == Some("warc") => Some(SourceKind::Warc(p.to_path_buf())),
        "warc" => Some(SourceKind::Warc(p.to_path_buf())),
        "txt" | "text" => Some(SourceKind::Text(p.to_path_buf(), id)),
        "html" | "htm" | "xhtml" => Some(SourceKind::Html(p.to_path_buf(), id)),
        _ => None,
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceKind>, skipped: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            out.push(SourceKind::Unreadable(dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(root, &p, out, skipped);
        } else if let Some(kind) = classify(&p, root) {
            out.push(kind);
        } else {
            skipped.push(p);
        }
    }
}

fn read_whole(path: &Path) -> Result<String, ErrorEntry> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        error(
            SourceLocation::file(&name),
            None,
            format!("cannot read: {e}"),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        error(
            SourceLocation::file(&name),
            None,
            format!(
                "invalid UTF-8 at byte {} of the file",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Reads one whole-file source (text or HTML) into a document whose id is the path, with the
/// default HTML extractor. See [`read_file_document_with`].
pub fn read_file_document(kind: &SourceKind) -> InputItem {
    read_file_document_with(kind, default_extractor().as_ref())
}

/// Reads one whole-file source into a document whose id is the path: a text file must be UTF-8; an
/// HTML file is decoded (charset detected) and its main text taken by `extractor`. Returns an error
/// entry naming the file when it cannot be read, or when `kind` is not a whole-file source.
pub fn read_file_document_with(kind: &SourceKind, extractor: &dyn TextExtractor) -> InputItem {
    match kind {
        SourceKind::Text(p, id) => {
            let text = read_whole(p)?;
            let name = p.display().to_string();
            let mut doc = Document::new(id.clone(), text);
            doc.source = SourceLocation::file(name);
            Ok(doc)
        }
        SourceKind::Html(p, id) => read_html_file(p, id.clone(), extractor),
        SourceKind::Unreadable(p, why) => Err(error(
            SourceLocation::file(p.display().to_string()),
            None,
            format!("cannot read: {why}"),
        )),
        other => Err(error(
            SourceLocation::file(other.path().display().to_string()),
            None,
            "internal: not a whole-file source",
        )),
    }
}

/// Opens a compressed JSON Lines file as a decompressed byte stream.
fn open_compressed(p: &Path, c: Compression) -> std::io::Result<Box<dyn Read + Send>> {
    let f = BufReader::with_capacity(1 << 16, File::open(p)?);
    Ok(match c {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(f)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(f)?),
    })
}

/// A stream of input items over many sources, read lazily one source at a time (memory stays
/// bounded by the largest single record).
pub struct Inputs {
    sources: VecDeque<SourceKind>,
    current: Option<Box<dyn Iterator<Item = InputItem> + Send>>,
    fields: FieldMap,
    extractor: Arc<dyn TextExtractor>,
    skips: SkipCounts,
}

impl Inputs {
    /// A stream over the given sources, with the default HTML extractor.
    pub fn new(sources: Vec<SourceKind>, fields: FieldMap) -> Self {
        Self {
            sources: sources.into(),
            current: None,
            fields,
            extractor: default_extractor(),
            skips: SkipCounts::default(),
        }
    }

    /// Uses `extractor` for HTML files and WARC pages.
    pub fn with_extractor(mut self, extractor: Arc<dyn TextExtractor>) -> Self {
        self.extractor = extractor;
        self
    }

    /// A handle on the counts of records skipped by design (WARC `request`, `metadata`, ...
    /// records); it stays valid while and after the stream is consumed.
    pub fn skip_counts(&self) -> SkipCounts {
        self.skips.clone()
    }
}

impl Iterator for Inputs {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if let Some(it) = self.current.as_mut() {
                if let Some(item) = it.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let src = self.sources.pop_front()?;
            let cannot_open = |p: &Path, e: std::io::Error| {
                Some(Err(error(
                    SourceLocation::file(p.display().to_string()),
                    None,
                    format!("cannot open: {e}"),
                )))
            };
            match &src {
                SourceKind::Stdin => {
                    self.current = Some(Box::new(read_jsonl(std::io::stdin(), "-", &self.fields)));
                }
                SourceKind::Jsonl(p) => match File::open(p) {
                    Ok(f) => {
                        let name = p.display().to_string();
                        self.current = Some(Box::new(read_jsonl(f, &name, &self.fields)));
                    }
                    Err(e) => return cannot_open(p, e),
                },
                SourceKind::CompressedJsonl(p, c) => match open_compressed(p, *c) {
                    Ok(r) => {
                        let name = p.display().to_string();
                        self.current = Some(Box::new(read_jsonl(r, &name, &self.fields)));
                    }
                    Err(e) => return cannot_open(p, e),
                },
                SourceKind::Warc(p) => {
                    match read_warc_file(p, self.extractor.clone(), self.skips.clone()) {
                        Ok(docs) => self.current = Some(Box::new(docs)),
                        Err(e) => return Some(Err(e)),
                    }
                }
                other => return Some(read_file_document_with(other, self.extractor.as_ref())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_reports_each_bad_line_and_keeps_going() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"a\",\"text\":\"uno\"}\n");
        input.extend_from_slice(b"{\"id\":\"b\",\"text\":\"\xff\xfe\"}\n");
        input.extend_from_slice(b"{\"id\":\"c\"}\n");
        input.extend_from_slice(b"\n");
        input.extend_from_slice(b"{broken\n");
        input.extend_from_slice(b"[1,2]\r\n");
        input.extend_from_slice(b"{\"text\":\"sin id\",\"date\":2022}");
        let items: Vec<InputItem> =
            read_jsonl(&input[..], "x.jsonl", &FieldMap::default()).collect();
        assert_eq!(items.len(), 6);
        assert_eq!(items[0].as_ref().map(|d| d.id.as_str()), Ok("a"));
        let e = items[1].as_ref().unwrap_err();
        assert_eq!(e.location.line, Some(2));
        assert!(e.reason.contains("UTF-8"), "{}", e.reason);
        let e = items[2].as_ref().unwrap_err();
        assert_eq!(e.id.as_deref(), Some("c"));
        assert!(e.reason.contains("missing field `text`"));
        assert_eq!(items[3].as_ref().unwrap_err().location.line, Some(5));
        assert!(items[4]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("not a JSON object"));
        let d = items[5].as_ref().expect("last line parses");
        assert_eq!(d.id, "x.jsonl:7");
        assert_eq!(d.date.as_deref(), Some("2022"));
    }

    #[test]
    fn field_map_renames_fields() {
        let fields = FieldMap {
            text: "body".into(),
            id: "doc_id".into(),
            ..FieldMap::default()
        };
        let items: Vec<InputItem> =
            read_jsonl(&b"{\"doc_id\":7,\"body\":\"hi\"}"[..], "m", &fields).collect();
        let d = items[0].as_ref().expect("parses");
        assert_eq!((d.id.as_str(), d.text.as_str()), ("7", "hi"));
    }

    #[test]
    fn directory_walk_is_sorted_and_reports_skips() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("b.txt"), "bee").expect("write");
        std::fs::write(
            dir.path().join("a.html"),
            "<title>T</title><p>A &amp; b</p>",
        )
        .expect("write");
        std::fs::write(dir.path().join("c.bin"), [0u8, 1]).expect("write");
        std::fs::write(dir.path().join("d.txt"), [0xffu8, 0x00]).expect("write");
        let (sources, skipped) = expand_inputs(&[dir.path().to_path_buf()]);
        assert_eq!(skipped.len(), 1);
        let items: Vec<InputItem> = Inputs::new(sources, FieldMap::default()).collect();
        assert_eq!(items.len(), 3);
        let a = items[0].as_ref().expect("html reads");
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.id, "a.html");
        assert_eq!(a.text.trim(), "A & b");
        assert_eq!(items[1].as_ref().map(|d| d.text.as_str()), Ok("bee"));
        assert!(items[2].as_ref().unwrap_err().reason.contains("UTF-8"));
    }

    #[test]
    fn missing_file_is_an_error_entry() {
        let (sources, _) = expand_inputs(&[PathBuf::from("/nonexistent/x.jsonl")]);
        let items: Vec<InputItem> = Inputs::new(sources, FieldMap::default()).collect();
        assert_eq!(items.len(), 1);
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .location
            .file
            .contains("x.jsonl"));
    }

    #[test]
    fn compressed_jsonl_keeps_line_numbers() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tempdir");
        let body = "{\"id\":\"a\",\"text\":\"uno\"}\n\n{broken\n{\"id\":\"c\",\"text\":\"tres\"}\n";
        // Two gzip members, as `cat a.gz b.gz` gives.
        let mut gz = Vec::new();
        for part in [&body[..22], &body[22..]] {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(part.as_bytes()).expect("gz");
            gz.extend(e.finish().expect("gz"));
        }
        std::fs::write(dir.path().join("a.jsonl.gz"), gz).expect("write");
        let zst = zstd::stream::encode_all(body.as_bytes(), 3).expect("zstd");
        std::fs::write(dir.path().join("b.ndjson.zst"), zst).expect("write");
        std::fs::write(dir.path().join("c.json.gz"), b"not gzip").expect("write");
        let (sources, skipped) = expand_inputs(&[dir.path().to_path_buf()]);
        assert!(skipped.is_empty());
        assert_eq!(
            sources[0],
            SourceKind::CompressedJsonl(dir.path().join("a.jsonl.gz"), Compression::Gzip)
        );
        let items: Vec<InputItem> = Inputs::new(sources, FieldMap::default()).collect();
        assert_eq!(items.len(), 7, "{items:?}");
        for k in [0, 3] {
            assert_eq!(items[k].as_ref().map(|d| d.text.as_str()), Ok("uno"));
            assert_eq!(items[k + 1].as_ref().unwrap_err().location.line, Some(3));
            let c = items[k + 2].as_ref().expect("line 4");
            assert_eq!((c.id.as_str(), c.source.line), ("c", Some(4)));
        }
        let e = items[6].as_ref().unwrap_err();
        assert!(e.location.file.ends_with("c.json.gz"));
        assert!(e.reason.contains("read error"), "{}", e.reason);
    }

    #[test]
    fn globs_expand_sorted_and_report_no_match() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("2022").join("10");
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(sub.join("b.warc.gz"), b"").expect("write");
        std::fs::write(sub.join("a.warc"), b"").expect("write");
        std::fs::write(dir.path().join("x.jsonl"), b"").expect("write");
        std::fs::write(dir.path().join("y.bin"), b"").expect("write");
        let pat = |s: &str| PathBuf::from(format!("{}/{s}", dir.path().display()));
        let (sources, _) = expand_inputs(&[pat("**/*.warc*")]);
        assert_eq!(
            sources,
            vec![
                SourceKind::Warc(sub.join("a.warc")),
                SourceKind::Warc(sub.join("b.warc.gz"))
            ]
        );
        let (sources, skipped) = expand_inputs(&[pat("[xy].*"), pat("20?2")]);
        assert_eq!(sources.len(), 3, "{sources:?}");
        assert_eq!(sources[0], SourceKind::Jsonl(dir.path().join("x.jsonl")));
        assert_eq!(skipped, vec![dir.path().join("y.bin")]);
        let (sources, _) = expand_inputs(&[pat("*.nothing"), pat("[")]);
        assert_eq!(sources.len(), 2);
        let items: Vec<InputItem> = Inputs::new(sources, FieldMap::default()).collect();
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("matched no input file"));
        assert!(items[1].as_ref().unwrap_err().reason.contains("bad glob"));
    }

    #[test]
    fn html_files_are_decoded_and_extracted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let html = "<html><head><title>港口</title></head><body><p>福州市公安局在海外设立警务服务站的消息引起关注，当地华人社团表示并不知情。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(html);
        std::fs::write(dir.path().join("p.htm"), &gbk).expect("write");
        let (sources, _) = expand_inputs(&[dir.path().join("p.htm")]);
        let items: Vec<InputItem> = Inputs::new(sources, FieldMap::default()).collect();
        let d = items[0].as_ref().expect("decoded");
        assert_eq!(d.title.as_deref(), Some("港口"));
        assert!(d.text.contains("警务服务站"), "{}", d.text);
    }
}
