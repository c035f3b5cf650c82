//! Web pages into documents: HTML files and the records of WARC files, decoded
//! ([`crate::charset`]) and reduced to their main text by a [`TextExtractor`].

use crate::charset::{decode_html_cow, url_tld};
use crate::extract::{Extracted, TextExtractor};
use crate::read::InputItem;
use crate::warc::{http_parts, open_warc, WarcReader, WarcRecord, WarcStream};
use outpost_core::{Document, ErrorEntry, SourceLocation};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The largest decompressed HTTP body read from one WARC record.
const MAX_HTTP_BODY: u64 = 64 << 20;

/// Counts of input records that were read but are not documents by design (WARC `request`,
/// `metadata`, `warcinfo` records, non-HTML or non-2xx responses), by reason. Shared between the
/// readers of a run and whoever reports on it; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct SkipCounts(Arc<Mutex<BTreeMap<String, u64>>>);

impl SkipCounts {
    /// Adds one skipped record under `reason`.
    pub fn add(&self, reason: &str) {
        if let Ok(mut m) = self.0.lock() {
            *m.entry(reason.to_string()).or_insert(0) += 1;
        }
    }

    /// The counts so far, by reason (empty if a reader panicked while holding the lock).
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The total number of skipped records.
    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }
}

/// Runs the extractor, turning a panic inside it into an error message.
pub(crate) fn extract_guarded(
    extractor: &dyn TextExtractor,
    html: &str,
    url: Option<&str>,
) -> Result<Extracted, String> {
    catch_unwind(AssertUnwindSafe(|| extractor.extract(html, url))).map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!("HTML extraction failed: {msg}")
    })
}

/// Builds a document from an HTML page's bytes: charset detection (BOM, `content_type`'s charset,
/// `<meta>`, guess), then main-text extraction. `date` is used when the page declares none.
/// Returns an error entry (with `location`) only when the extractor panics.
pub fn html_document(
    bytes: &[u8],
    id: String,
    url: Option<String>,
    content_type: Option<&str>,
    date: Option<String>,
    location: SourceLocation,
    extractor: &dyn TextExtractor,
) -> InputItem {
    let tld = url.as_deref().and_then(url_tld).map(str::as_bytes);
    let (text, ..) = decode_html_cow(bytes, content_type, tld);
    let page = match extract_guarded(extractor, &text, url.as_deref()) {
        Ok(p) => p,
        Err(reason) => {
            return Err(ErrorEntry {
                location,
                id: Some(id),
                reason,
            })
        }
    };
    Ok(Document {
        id,
        text: page.text,
        url,
        title: page.title,
        date: page.date.or(date),
        lang: page.lang,
        source: location,
        screened_out: page.screened_out,
    })
}

/// Reads an HTML file into one document (id as given, charset detected, main text extracted).
/// Returns an error entry naming the file when it cannot be read.
pub fn read_html_file(path: &Path, id: String, extractor: &dyn TextExtractor) -> InputItem {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ErrorEntry {
        location: SourceLocation::file(&name),
        id: None,
        reason: format!("cannot read: {e}"),
    })?;
    html_document(
        &bytes,
        id,
        None,
        None,
        None,
        SourceLocation::file(name),
        extractor,
    )
}

fn is_html_type(ct: &str) -> bool {
    let ct = ct.trim_start().to_ascii_lowercase();
    ct.starts_with("text/html") || ct.starts_with("application/xhtml")
}

fn is_text_type(ct: &str) -> bool {
    ct.trim_start()
        .to_ascii_lowercase()
        .starts_with("text/plain")
}

/// Records read ahead and converted in parallel (on the current rayon pool) per batch.
const BATCH_RECORDS: usize = 64;
/// Content bytes that end a batch early.
const BATCH_BYTES: usize = 16 << 20;

/// Documents from a WARC stream: one per `response` record with an HTML payload (2xx status) and
/// per `resource` / `conversion` record holding HTML or plain text. Other records are counted in
/// [`SkipCounts`] and not yielded; a malformed record is an error entry naming the file, the record
/// number and its byte offset.
///
/// Records are read in batches of up to 64 (or 16 MiB) and converted (charset, extraction) in
/// parallel on the current rayon pool, in file order: so extraction scales with `--jobs` although
/// the file is read by one thread, and memory stays bounded by one batch.
pub struct WarcDocuments<R: std::io::BufRead> {
    reader: WarcReader<R>,
    conv: Converter,
    ready: std::collections::VecDeque<InputItem>,
    exhausted: bool,
}

/// What turns records into documents (shared by the parallel workers).
struct Converter {
    name: String,
    extractor: Arc<dyn TextExtractor>,
    skips: SkipCounts,
}

impl<R: std::io::BufRead> WarcDocuments<R> {
    /// Documents from `reader`; `name` is the file name used in ids and locations.
    pub fn new(
        reader: WarcReader<R>,
        name: &str,
        extractor: Arc<dyn TextExtractor>,
        skips: SkipCounts,
    ) -> Self {
        Self {
            reader,
            conv: Converter {
                name: name.to_string(),
                extractor,
                skips,
            },
            ready: std::collections::VecDeque::new(),
            exhausted: false,
        }
    }

    /// Reads the next batch and converts it in parallel; false when the stream is exhausted.
    fn refill(&mut self) -> bool {
        use rayon::prelude::*;
        let mut batch = Vec::with_capacity(BATCH_RECORDS);
        let mut bytes = 0usize;
        while batch.len() < BATCH_RECORDS && bytes < BATCH_BYTES {
            match self.reader.next() {
                Some(r) => {
                    bytes += r.as_ref().map_or(0, |rec| rec.body.len());
                    batch.push(r);
                }
                None => {
                    self.exhausted = true;
                    break;
                }
            }
        }
        if batch.is_empty() {
            return false;
        }
        let this = &self.conv;
        let converted: Vec<Option<InputItem>> =
            batch.into_par_iter().map(|r| this.convert_any(r)).collect();
        self.ready.extend(converted.into_iter().flatten());
        true
    }
}

impl Converter {
    fn convert_any(&self, r: Result<WarcRecord, crate::warc::WarcError>) -> Option<InputItem> {
        match r {
            Ok(rec) => self.convert(rec),
            Err(e) => Some(Err(ErrorEntry {
                location: self.location(e.number),
                id: None,
                reason: format!("malformed WARC record at byte {}: {}", e.offset, e.reason),
            })),
        }
    }

    fn location(&self, number: u64) -> SourceLocation {
        SourceLocation {
            file: self.name.clone(),
            line: None,
            record: Some(number),
        }
    }

    fn convert(&self, rec: WarcRecord) -> Option<InputItem> {
        let location = self.location(rec.number);
        let id = rec
            .record_id()
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}#{}", self.name, rec.number));
        let url = rec.target_uri().map(str::to_string);
        let warc_date = rec.header("WARC-Date").map(str::to_string);
        let kind = rec.record_type().unwrap_or("").to_ascii_lowercase();
        let err = |reason: String| {
            Some(Err(ErrorEntry {
                location: location.clone(),
                id: Some(id.clone()),
                reason: format!("{reason} (record {} at byte {})", rec.number, rec.offset),
            }))
        };
        match kind.as_str() {
            "response" => {
                let wct = rec.header("Content-Type").unwrap_or("");
                if !wct.to_ascii_lowercase().starts_with("application/http") {
                    self.skips.add("response (not HTTP)");
                    return None;
                }
                let payload = match http_parts(&rec.body, MAX_HTTP_BODY) {
                    Ok(p) => p,
                    Err(reason) => return err(reason),
                };
                if !(200..300).contains(&payload.status) {
                    self.skips.add("response (status not 2xx)");
                    return None;
                }
                let html = match payload.content_type.as_deref() {
                    Some(ct) => is_html_type(ct),
                    None => sniff_html(&payload.body),
                };
                if !html {
                    self.skips.add("response (not HTML)");
                    return None;
                }
                Some(html_document(
                    &payload.body,
                    id,
                    url,
                    payload.content_type.as_deref(),
                    warc_date,
                    location,
                    self.extractor.as_ref(),
                ))
            }
            "resource" | "conversion" => {
                let ct = rec.header("Content-Type").unwrap_or("");
                if is_html_type(ct) || (ct.is_empty() && sniff_html(&rec.body)) {
                    Some(html_document(
                        &rec.body,
                        id,
                        url,
                        Some(ct),
                        warc_date,
                        location,
                        self.extractor.as_ref(),
                    ))
                } else if is_text_type(ct) || ct.is_empty() {
                    let tld = url.as_deref().and_then(url_tld).map(str::as_bytes);
                    let decoded = crate::charset::decode_html(&rec.body, Some(ct), tld);
                    Some(Ok(Document {
                        id,
                        text: decoded.text,
                        url,
                        title: None,
                        date: warc_date,
                        lang: rec
                            .header("WARC-Identified-Content-Language")
                            .and_then(|l| l.split(',').next().map(|s| s.trim().to_string())),
                        source: location,
                        screened_out: false,
                    }))
                } else {
                    self.skips.add(&format!("{kind} (not text)"));
                    None
                }
            }
            "" => err("record without WARC-Type".into()),
            other => {
                self.skips.add(other);
                None
            }
        }
    }
}

/// Whether a body without a `Content-Type` looks like HTML.
fn sniff_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let lower = head[start..].to_ascii_lowercase();
    lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || memchr::memmem::find(&lower, b"<head").is_some()
        || memchr::memmem::find(&lower, b"<body").is_some()
}

impl<R: std::io::BufRead> Iterator for WarcDocuments<R> {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.exhausted || !self.refill() {
                return None;
            }
        }
    }
}

/// Opens a `.warc` / `.warc.gz` file as a stream of documents. Returns an error entry naming the
/// file when it cannot be opened.
pub fn read_warc_file(
    path: &Path,
    extractor: Arc<dyn TextExtractor>,
    skips: SkipCounts,
) -> Result<WarcDocuments<WarcStream>, ErrorEntry> {
    let name = path.display().to_string();
    let reader = open_warc(path).map_err(|e| ErrorEntry {
        location: SourceLocation::file(&name),
        id: None,
        reason: format!("cannot open: {e}"),
    })?;
    Ok(WarcDocuments::new(reader, &name, extractor, skips))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{default_extractor, BaselineExtractor};
    use crate::warc::WarcWriter;

    fn article(title: &str, body: &str, meta: &str) -> String {
        format!(
            "<!doctype html><html lang=\"zh\"><head>{meta}<title>{title}</title></head><body>\
             <nav><a href=\"/\">首页</a> <a href=\"/g\">国际</a></nav><article><h1>{title}</h1>\
             <p>{body}</p><p>{body}</p></article></body></html>"
        )
    }

    const ZH: &str = "福州市公安局在海外设立所谓警务服务站的消息传出后，当地华人社团表示毫不知情，并要求有关部门尽快说明情况。";

    #[test]
    fn warc_gz_records_become_documents_with_metadata() {
        let mut w = WarcWriter::gzip(Vec::new());
        w.write_warcinfo("2022-10-05T00:00:00Z", "t.warc.gz", "x: y\r\n")
            .expect("w");
        w.write_request("https://news.example.cn/a", "2022-10-05T00:00:01Z")
            .expect("w");
        let gbk = article("海外警务服务站", ZH, "<meta charset=\"gb2312\">");
        let (gbk_bytes, _, _) = encoding_rs::GBK.encode(&gbk);
        let id_a = w
            .write_response(
                "https://news.example.cn/a",
                "2022-10-05T00:00:01Z",
                "text/html",
                &gbk_bytes,
            )
            .expect("w");
        // HTTP charset header, and a page date that wins over WARC-Date.
        let page = article("標題", ZH, "<meta name=\"pubdate\" content=\"2022-09-30\">");
        let (big5, _, _) = encoding_rs::BIG5.encode(&page);
        w.write_response(
            "https://news.example.tw/b",
            "2022-10-05T00:00:02Z",
            "text/html; charset=big5",
            &big5,
        )
        .expect("w");
        w.write_response(
            "https://news.example.cn/logo.png",
            "2022-10-05T00:00:03Z",
            "image/png",
            b"\x89PNG",
        )
        .expect("w");
        w.write_record(
            "resource",
            &[
                ("WARC-Target-URI", "file:///notes.txt"),
                ("Content-Type", "text/plain; charset=utf-8"),
            ],
            "Una comisaría.".as_bytes(),
        )
        .expect("w");
        w.write_record("metadata", &[("WARC-Target-URI", "x")], b"a: b")
            .expect("w");
        let bytes = w.finish().expect("finish");
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("t.warc.gz");
        std::fs::write(&path, bytes).expect("write");
        let skips = SkipCounts::default();
        let items: Vec<InputItem> = read_warc_file(&path, default_extractor(), skips.clone())
            .expect("opens")
            .collect();
        assert_eq!(items.len(), 3);
        let a = items[0].as_ref().expect("gbk doc");
        assert_eq!(a.id, id_a.trim_matches(['<', '>']));
        assert_eq!(a.url.as_deref(), Some("https://news.example.cn/a"));
        assert_eq!(a.title.as_deref(), Some("海外警务服务站"));
        assert_eq!(a.date.as_deref(), Some("2022-10-05T00:00:01Z"));
        assert_eq!(a.source.record, Some(3));
        assert!(a.text.contains(ZH), "{}", a.text);
        let b = items[1].as_ref().expect("big5 doc");
        assert_eq!(b.title.as_deref(), Some("標題"));
        assert_eq!(b.date.as_deref(), Some("2022-09-30"));
        assert!(b.text.contains(ZH));
        let c = items[2].as_ref().expect("resource");
        assert_eq!(c.text, "Una comisaría.");
        let s = skips.snapshot();
        assert_eq!(s.get("warcinfo"), Some(&1));
        assert_eq!(s.get("request"), Some(&1));
        assert_eq!(s.get("metadata"), Some(&1));
        assert_eq!(s.get("response (not HTML)"), Some(&1));
        assert_eq!(skips.total(), 4);
    }

    #[test]
    fn malformed_record_is_an_error_entry_and_reading_goes_on() {
        let mut w = WarcWriter::new(Vec::new());
        w.write_response("https://a.example/1", "2022", "text/html", b"<p>uno</p>")
            .expect("w");
        let mut bytes = w.finish().expect("finish");
        let bad_at = bytes.len();
        bytes.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: x\r\n\r\n");
        let mut w = WarcWriter::new(Vec::new()).seed(1);
        w.write_response("https://a.example/2", "2022", "text/html", b"<p>dos</p>")
            .expect("w");
        w.write_record(
            "response",
            &[("Content-Type", "application/http")],
            b"no headers end",
        )
        .expect("w");
        bytes.extend(w.finish().expect("finish"));
        let reader = WarcReader::new(&bytes[..]);
        let items: Vec<InputItem> = WarcDocuments::new(
            reader,
            "m.warc",
            Arc::new(BaselineExtractor),
            SkipCounts::default(),
        )
        .collect();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].as_ref().map(|d| d.text.as_str()), Ok("uno"));
        let e = items[1].as_ref().unwrap_err();
        assert_eq!(e.location.file, "m.warc");
        assert_eq!(e.location.record, Some(2));
        assert!(e.reason.contains(&format!("byte {bad_at}")), "{}", e.reason);
        assert_eq!(items[2].as_ref().map(|d| d.text.as_str()), Ok("dos"));
        let e = items[3].as_ref().unwrap_err();
        assert!(e.reason.contains("HTTP headers"), "{}", e.reason);
        assert_eq!(e.location.record, Some(4));
    }

    #[test]
    fn parallel_conversion_keeps_file_order() {
        let mut w = WarcWriter::new(Vec::new());
        for i in 0..150 {
            let url = format!("https://a.example/{i}");
            w.write_request(&url, "2022").expect("w");
            w.write_response(
                &url,
                "2022",
                "text/html",
                format!("<p>doc {i}</p>").as_bytes(),
            )
            .expect("w");
        }
        let bytes = w.finish().expect("finish");
        let run = |threads: usize| -> Vec<String> {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            pool.install(|| {
                WarcDocuments::new(
                    WarcReader::new(&bytes[..]),
                    "p.warc",
                    Arc::new(BaselineExtractor),
                    SkipCounts::default(),
                )
                .map(|d| d.map(|d| d.text).unwrap_or_default())
                .collect()
            })
        };
        let one = run(1);
        assert_eq!(one.len(), 150);
        assert_eq!(one[149], "doc 149");
        assert_eq!(one, run(2));
    }

    /// An extractor that notes which pool thread ran it.
    struct Spy(std::sync::Mutex<std::collections::BTreeSet<usize>>);

    impl TextExtractor for Spy {
        fn name(&self) -> &str {
            "spy"
        }
        fn extract(&self, html: &str, url: Option<&str>) -> Extracted {
            std::thread::sleep(std::time::Duration::from_millis(2));
            if let (Ok(mut s), Some(i)) = (self.0.lock(), rayon::current_thread_index()) {
                s.insert(i);
            }
            BaselineExtractor.extract(html, url)
        }
    }

    #[test]
    fn records_are_converted_on_several_threads() {
        let mut w = WarcWriter::new(Vec::new());
        for i in 0..64 {
            let url = format!("https://a.example/{i}");
            w.write_response(&url, "2022", "text/html", b"<p>x</p>")
                .expect("w");
        }
        let bytes = w.finish().expect("finish");
        let spy = Arc::new(Spy(Default::default()));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        let n = pool.install(|| {
            WarcDocuments::new(
                WarcReader::new(&bytes[..]),
                "p.warc",
                spy.clone(),
                SkipCounts::default(),
            )
            .count()
        });
        assert_eq!(n, 64);
        assert_eq!(spy.0.lock().map(|s| s.len()).unwrap_or(0), 2);
    }
}
