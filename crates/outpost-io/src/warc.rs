//! WARC (ISO 28500, versions 1.0 and 1.1) reading and writing, streaming.
//!
//! * [`WarcReader`] iterates the records of an uncompressed WARC stream; [`open_warc`] opens a
//!   `.warc` or `.warc.gz` file (gzip detected from the magic bytes; multi-member gzip, one member
//!   per record as crawlers write it, or one member for the whole file). Only one record is held
//!   in memory at a time, never the whole file.
//! * [`WarcWriter`] writes records (`warcinfo`, `request`, `response`, `resource`, ...), plain or
//!   with one gzip member per record, e.g. to build test or scale corpora.
//! * [`http_payload`] splits the HTTP message of a `response` record into its headers and its
//!   (de-chunked, decompressed) body.
//!
//! A malformed record is an `Err(WarcError)` with its record number and byte offset; the reader
//! then looks for the next `WARC/` version line and goes on, so one damaged record does not lose
//! the rest of the file. A truncated file or a corrupt gzip stream ends the iteration with one
//! error.

use flate2::read::{MultiGzDecoder, ZlibDecoder};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use thiserror::Error;

/// The default cap on one record's content: larger records are skipped with an error.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 << 20;

/// The longest header block read before a record is declared malformed.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// One WARC record: its header fields and its content block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// 1-based number of the record in the file (malformed records are numbered too).
    pub number: u64,
    /// Byte offset of the record's version line in the (uncompressed) WARC stream.
    pub offset: u64,
    /// The version line, e.g. `WARC/1.1`.
    pub version: String,
    /// Header fields in file order, names as written.
    pub headers: Vec<(String, String)>,
    /// The content block (`Content-Length` bytes).
    pub body: Vec<u8>,
}

impl WarcRecord {
    /// The value of the first header field named `name` (case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `WARC-Type` (`response`, `request`, `warcinfo`, `resource`, ...), lower-cased by the
    /// caller if needed; `None` when the header is missing.
    pub fn record_type(&self) -> Option<&str> {
        self.header("WARC-Type")
    }

    /// `WARC-Record-ID` without its angle brackets (`urn:uuid:...`).
    pub fn record_id(&self) -> Option<&str> {
        self.header("WARC-Record-ID").map(strip_angles)
    }

    /// `WARC-Target-URI` without angle brackets (WARC 1.0 writers sometimes add them).
    pub fn target_uri(&self) -> Option<&str> {
        self.header("WARC-Target-URI").map(strip_angles)
    }
}

fn strip_angles(s: &str) -> &str {
    s.strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(s)
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("WARC record {number} at byte {offset}: {reason}")]
pub struct WarcError {
    /// 1-based number of the record in the file.
    pub number: u64,
    /// Byte offset (in the uncompressed stream) where the record started.
    pub offset: u64,
    /// What was wrong.
    pub reason: String,
}

/// Streaming reader of WARC records from an uncompressed byte stream.
///
/// Yields `Ok(record)` per record and `Err(WarcError)` per malformed one; after a malformed header
/// or a missing `Content-Length` it resynchronises on the next line starting with `WARC/`. Read
/// errors of the stream (a corrupt gzip member) and truncated content end the iteration.
pub struct WarcReader<R: BufRead> {
    reader: R,
    offset: u64,
    number: u64,
    max_record: u64,
    pending: Option<(u64, Vec<u8>)>,
    line: Vec<u8>,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    /// A reader over `reader` (already decompressed), with the default record size cap.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            offset: 0,
            number: 0,
            max_record: DEFAULT_MAX_RECORD_BYTES,
            pending: None,
            line: Vec::with_capacity(256),
            done: false,
        }
    }

    /// Sets the largest content block read into memory; larger records are skipped (read past
    /// without being stored) and reported as errors.
    pub fn max_record_bytes(mut self, n: u64) -> Self {
        self.max_record = n;
        self
    }

    /// Bytes consumed so far (of the uncompressed stream).
    pub fn bytes_read(&self) -> u64 {
        self.offset
    }

    fn read_line(&mut self) -> io::Result<usize> {
        self.line.clear();
        let n = self.reader.read_until(b'\n', &mut self.line)?;
        self.offset += n as u64;
        Ok(n)
    }

    /// Skips lines until one starts with `WARC/`, which is kept for the next record.
    fn resync(&mut self) -> io::Result<()> {
        loop {
            let at = self.offset;
            if self.read_line()? == 0 {
                self.done = true;
                return Ok(());
            }
            if self.line.starts_with(b"WARC/") {
                self.pending = Some((at, std::mem::take(&mut self.line)));
                return Ok(());
            }
        }
    }

    fn fail(&mut self, number: u64, offset: u64, reason: String, resync: bool) -> WarcError {
        if resync {
            if let Err(e) = self.resync() {
                self.done = true;
                return WarcError {
                    number,
                    offset,
                    reason: format!("{reason}; then read error: {e}"),
                };
            }
        } else {
            self.done = true;
        }
        WarcError {
            number,
            offset,
            reason,
        }
    }

    fn next_record(&mut self) -> Option<Result<WarcRecord, WarcError>> {
        if self.done {
            return None;
        }
        // The version line: skip the blank lines that end the previous record.
        let (start, version_line) = match self.pending.take() {
            Some(p) => p,
            None => loop {
                let at = self.offset;
                match self.read_line() {
                    Ok(0) => {
                        self.done = true;
                        return None;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.done = true;
                        return Some(Err(WarcError {
                            number: self.number + 1,
                            offset: at,
                            reason: format!("read error: {e}"),
                        }));
                    }
                }
                if self.line.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                break (at, std::mem::take(&mut self.line));
            },
        };
        self.number += 1;
        let number = self.number;
        if !version_line.starts_with(b"WARC/") {
            let shown = String::from_utf8_lossy(&version_line[..version_line.len().min(40)])
                .trim_end()
                .to_string();
            return Some(Err(self.fail(
                number,
                start,
                format!("expected a `WARC/` version line, found {shown:?}"),
                true,
            )));
        }
        let version = String::from_utf8_lossy(&version_line).trim().to_string();
        let mut headers: Vec<(String, String)> = Vec::with_capacity(12);
        let mut header_bytes = 0usize;
        loop {
            let n = match self.read_line() {
                Ok(n) => n,
                Err(e) => {
                    return Some(Err(self.fail(
                        number,
                        start,
                        format!("read error in headers: {e}"),
                        false,
                    )))
                }
            };
            if n == 0 {
                return Some(Err(self.fail(
                    number,
                    start,
                    "file ends inside the record headers".into(),
                    false,
                )));
            }
            header_bytes += n;
            let line = trim_eol(&self.line);
            if line.is_empty() {
                break;
            }
            if header_bytes > MAX_HEADER_BYTES {
                return Some(Err(self.fail(
                    number,
                    start,
                    "header block longer than 1 MiB".into(),
                    true,
                )));
            }
            if line.starts_with(b"WARC/") {
                // A new record began before this one's headers ended.
                self.pending = Some((self.offset - n as u64, self.line.clone()));
                return Some(Err(WarcError {
                    number,
                    offset: start,
                    reason: "headers not terminated by a blank line".into(),
                }));
            }
            if matches!(line[0], b' ' | b'\t') {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(String::from_utf8_lossy(line).trim());
                    continue;
                }
            }
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                let shown = String::from_utf8_lossy(&line[..line.len().min(40)]).to_string();
                return Some(Err(self.fail(
                    number,
                    start,
                    format!("malformed header line {shown:?}"),
                    true,
                )));
            };
            let name = String::from_utf8_lossy(&line[..colon]).trim().to_string();
            let value = String::from_utf8_lossy(&line[colon + 1..])
                .trim()
                .to_string();
            headers.push((name, value));
        }
        let len = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v.trim().parse::<u64>());
        let len = match len {
            Some(Ok(l)) => l,
            Some(Err(_)) => {
                return Some(Err(self.fail(
                    number,
                    start,
                    "invalid Content-Length".into(),
                    true,
                )))
            }
            None => {
                return Some(Err(self.fail(
                    number,
                    start,
                    "missing Content-Length".into(),
                    true,
                )))
            }
        };
        if len > self.max_record {
            return match io::copy(&mut (&mut self.reader).take(len), &mut io::sink()) {
                Ok(n) => {
                    self.offset += n;
                    if n < len {
                        self.done = true;
                    }
                    Some(Err(WarcError {
                        number,
                        offset: start,
                        reason: format!(
                            "record of {len} bytes is larger than the {} byte limit; skipped",
                            self.max_record
                        ),
                    }))
                }
                Err(e) => Some(Err(self.fail(
                    number,
                    start,
                    format!("read error in content: {e}"),
                    false,
                ))),
            };
        }
        let mut body = Vec::with_capacity(len as usize);
        match (&mut self.reader).take(len).read_to_end(&mut body) {
            Ok(n) => {
                self.offset += n as u64;
                if (n as u64) < len {
                    return Some(Err(self.fail(
                        number,
                        start,
                        format!("truncated: Content-Length {len} but only {n} bytes left"),
                        false,
                    )));
                }
            }
            Err(e) => {
                return Some(Err(self.fail(
                    number,
                    start,
                    format!("read error in content: {e}"),
                    false,
                )))
            }
        }
        Some(Ok(WarcRecord {
            number,
            offset: start,
            version,
            headers,
            body,
        }))
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<WarcRecord, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let mut l = line;
    while let Some((&last, rest)) = l.split_last() {
        if last == b'\n' || last == b'\r' {
            l = rest;
        } else {
            break;
        }
    }
    l
}

/// A boxed, buffered byte stream (a WARC file, decompressed when needed).
pub type WarcStream = Box<dyn BufRead + Send>;

/// Opens a `.warc` or `.warc.gz` file for [`WarcReader`]: gzip (one or many members) is detected
/// from the magic bytes, whatever the extension. Returns the I/O error when the file cannot be
/// opened or read.
pub fn open_warc(path: &Path) -> io::Result<WarcReader<WarcStream>> {
    let file = File::open(path)?;
    let mut buffered = BufReader::with_capacity(1 << 16, file);
    let gz = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let stream: WarcStream = if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
    Ok(WarcReader::new(stream))
}

/// The HTTP message of a `response` record, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpPayload {
    /// The status code (200, 404, ...), 0 when the status line is unreadable.
    pub status: u16,
    /// The `Content-Type` header, when present.
    pub content_type: Option<String>,
    /// The entity body: de-chunked and decompressed (gzip, deflate, br, zstd) when the headers say so.
    pub body: Vec<u8>,
}

/// Splits an HTTP response message (the content of a WARC `response` record) into status,
/// content type and body; chunked transfer coding and gzip/deflate/br/zstd content coding are undone.
///
/// Returns an error message when the headers do not end, the chunking is broken, the body does not
/// decompress, or the content coding is unsupported (e.g. `br`).
pub fn http_payload(message: &[u8], max_body: u64) -> Result<HttpPayload, String> {
    http_parts(message, max_body).map(|p| HttpPayload {
        status: p.status,
        content_type: p.content_type,
        body: p.body.into_owned(),
    })
}

/// [`HttpPayload`] with the body borrowed from the message when it needs no decoding.
pub(crate) struct HttpParts<'a> {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: std::borrow::Cow<'a, [u8]>,
}

/// As [`http_payload`], without copying a body that is neither chunked nor compressed.
pub(crate) fn http_parts(message: &[u8], max_body: u64) -> Result<HttpParts<'_>, String> {
    let (head_end, body_start) = match memchr::memmem::find(message, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => match memchr::memmem::find(message, b"\n\n") {
            Some(i) => (i, i + 2),
            None => return Err("HTTP headers do not end".into()),
        },
    };
    let head = String::from_utf8_lossy(&message[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .unwrap_or(0);
    let mut content_type = None;
    let mut chunked = false;
    let mut coding: Option<String> = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("content-encoding") {
            let v = value.to_ascii_lowercase();
            if v != "identity" && !v.is_empty() {
                coding = Some(v);
            }
        }
    }
    let raw = &message[body_start..];
    let body: std::borrow::Cow<'_, [u8]> = if chunked {
        std::borrow::Cow::Owned(dechunk(raw)?)
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    let raw: &[u8] = &body;
    let decoded = match coding.as_deref() {
        None => {
            return Ok(HttpParts {
                status,
                content_type,
                body,
            })
        }
        Some("gzip") | Some("x-gzip") => inflate(MultiGzDecoder::new(raw), max_body)?,
        Some("deflate") => inflate(ZlibDecoder::new(raw), max_body)?,
        Some("br") => inflate(
            brotli_decompressor::Decompressor::new(raw, 1 << 16),
            max_body,
        )?,
        Some("zstd") => inflate(
            zstd::stream::read::Decoder::new(raw)
                .map_err(|e| format!("HTTP body does not decompress: {e}"))?,
            max_body,
        )?,
        Some(other) => return Err(format!("unsupported Content-Encoding `{other}`")),
    };
    Ok(HttpParts {
        status,
        content_type,
        body: std::borrow::Cow::Owned(decoded),
    })
}

fn inflate<R: Read>(r: R, max: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("HTTP body does not decompress: {e}"))?;
    if out.len() as u64 > max {
        return Err(format!("decompressed HTTP body larger than {max} bytes"));
    }
    Ok(out)
}

fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(raw.len());
    loop {
        let Some(eol) = memchr::memchr(b'\n', raw) else {
            // Some crawlers cut the final zero chunk; keep what was read.
            return Ok(out);
        };
        let size_line = String::from_utf8_lossy(&raw[..eol]);
        let size_hex = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| format!("bad chunk size {size_hex:?}"))?;
        raw = &raw[eol + 1..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size {
            out.extend_from_slice(raw);
            return Ok(out);
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size..];
        raw = raw
            .strip_prefix(b"\r\n")
            .or_else(|| raw.strip_prefix(b"\n"))
            .unwrap_or(raw);
    }
}

/// Writes WARC/1.1 records, plain (`.warc`) or one gzip member per record (`.warc.gz`, as
/// crawlers write them, so each record can be read on its own).
///
/// Record ids are `<urn:uuid:..>` values derived deterministically from a seed, the record count and
/// the target URI, so the same calls give byte-identical files; use [`WarcWriter::seed`] to keep
/// files written separately from sharing ids.
///
/// ```
/// use outpost_io::warc::{WarcReader, WarcWriter};
/// let mut w = WarcWriter::new(Vec::new());
/// w.write_response("https://example.org/a", "2022-10-05T08:00:00Z", "text/html; charset=utf-8",
///     b"<html><title>A</title><p>Hi</p></html>").unwrap();
/// let bytes = w.finish().unwrap();
/// let records: Vec<_> = WarcReader::new(&bytes[..]).collect();
/// assert_eq!(records.len(), 1);
/// ```
pub struct WarcWriter<W: Write> {
    out: W,
    gzip: bool,
    level: u32,
    count: u64,
    seed: u64,
    raw_bytes: u64,
}

impl<W: Write> WarcWriter<W> {
    /// A writer of an uncompressed WARC.
    pub fn new(out: W) -> Self {
        Self {
            out,
            gzip: false,
            level: 6,
            count: 0,
            seed: 0,
            raw_bytes: 0,
        }
    }

    /// A writer of a `.warc.gz`: each record is its own gzip member (compression level 6).
    pub fn gzip(out: W) -> Self {
        Self {
            gzip: true,
            ..Self::new(out)
        }
    }

    /// Sets the gzip compression level (0-9; higher values are clamped to 9).
    pub fn level(mut self, level: u32) -> Self {
        self.level = level.min(9);
        self
    }

    /// Sets the seed mixed into record ids.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Records written so far.
    pub fn records_written(&self) -> u64 {
        self.count
    }

    /// Bytes of WARC written so far, before compression.
    pub fn uncompressed_bytes(&self) -> u64 {
        self.raw_bytes
    }

    fn next_id(&mut self, uri: &str) -> String {
        let mut h = 0xcbf2_9ce4_8422_2325u64 ^ self.seed;
        for b in uri.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        let a = splitmix(h ^ self.count.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let b = splitmix(a ^ self.seed);
        format!(
            "<urn:uuid:{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}>",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a as u16) & 0x0fff,
            ((b >> 48) as u16 & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// Writes one record of type `record_type` with the given extra header fields and content
    /// block. `WARC-Type`, `WARC-Record-ID` (unless given) and `Content-Length` are added. Returns
    /// the record id, or the I/O error of the underlying writer.
    pub fn write_record(
        &mut self,
        record_type: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<String> {
        let uri = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("WARC-Target-URI"))
            .map_or("", |(_, v)| *v);
        let id = match headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("WARC-Record-ID"))
        {
            Some((_, v)) => v.to_string(),
            None => self.next_id(uri),
        };
        self.count += 1;
        let mut head = String::with_capacity(256);
        head.push_str("WARC/1.1\r\n");
        head.push_str(&format!("WARC-Type: {record_type}\r\n"));
        head.push_str(&format!("WARC-Record-ID: {id}\r\n"));
        for (n, v) in headers {
            if n.eq_ignore_ascii_case("WARC-Record-ID") || n.eq_ignore_ascii_case("Content-Length")
            {
                continue;
            }
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        self.raw_bytes += (head.len() + body.len() + 4) as u64;
        if self.gzip {
            let mut gz =
                flate2::write::GzEncoder::new(&mut self.out, flate2::Compression::new(self.level));
            gz.write_all(head.as_bytes())?;
            gz.write_all(body)?;
            gz.write_all(b"\r\n\r\n")?;
            gz.finish()?;
        } else {
            self.out.write_all(head.as_bytes())?;
            self.out.write_all(body)?;
            self.out.write_all(b"\r\n\r\n")?;
        }
        Ok(id)
    }

    /// Writes a `warcinfo` record whose content is `fields` (`key: value` lines).
    pub fn write_warcinfo(
        &mut self,
        date: &str,
        filename: &str,
        fields: &str,
    ) -> io::Result<String> {
        self.write_record(
            "warcinfo",
            &[
                ("WARC-Date", date),
                ("WARC-Filename", filename),
                ("Content-Type", "application/warc-fields"),
            ],
            fields.as_bytes(),
        )
    }

    /// Writes a `request` record for a GET of `url`.
    pub fn write_request(&mut self, url: &str, date: &str) -> io::Result<String> {
        let (host, path) = split_url(url);
        let msg = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: outpost\r\n\r\n");
        self.write_record(
            "request",
            &[
                ("WARC-Target-URI", url),
                ("WARC-Date", date),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            msg.as_bytes(),
        )
    }

    /// Writes a `response` record: a `200 OK` HTTP response for `url` with the given
    /// `Content-Type` header and payload bytes (already encoded in the charset it names).
    pub fn write_response(
        &mut self,
        url: &str,
        date: &str,
        content_type: &str,
        payload: &[u8],
    ) -> io::Result<String> {
        let mut msg = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            payload.len()
        )
        .into_bytes();
        msg.extend_from_slice(payload);
        self.write_record(
            "response",
            &[
                ("WARC-Target-URI", url),
                ("WARC-Date", date),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            &msg,
        )
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(gzip: bool) -> Vec<u8> {
        let mut w = if gzip {
            WarcWriter::gzip(Vec::new())
        } else {
            WarcWriter::new(Vec::new())
        };
        w.write_warcinfo("2022-10-05T00:00:00Z", "x.warc", "software: outpost\r\n")
            .expect("w");
        w.write_request("https://a.example/n/1", "2022-10-05T00:00:01Z")
            .expect("w");
        w.write_response(
            "https://a.example/n/1",
            "2022-10-05T00:00:01Z",
            "text/html",
            b"<p>uno</p>",
        )
        .expect("w");
        w.write_response(
            "https://a.example/n/2",
            "2022-10-05T00:00:02Z",
            "text/html",
            b"<p>dos</p>",
        )
        .expect("w");
        w.finish().expect("finish")
    }

    #[test]
    fn writes_and_reads_back_plain_and_gzip() {
        let plain = sample(false);
        let recs: Vec<WarcRecord> = WarcReader::new(&plain[..])
            .collect::<Result<_, _>>()
            .expect("reads");
        assert_eq!(recs.len(), 4);
        assert_eq!(recs[0].record_type(), Some("warcinfo"));
        assert_eq!(recs[2].target_uri(), Some("https://a.example/n/1"));
        assert!(recs[2]
            .record_id()
            .is_some_and(|i| i.starts_with("urn:uuid:")));
        assert_ne!(recs[2].record_id(), recs[3].record_id());
        assert_eq!(recs[3].number, 4);
        let p = http_payload(&recs[3].body, 1 << 20).expect("http");
        assert_eq!((p.status, p.body.as_slice()), (200, &b"<p>dos</p>"[..]));
        assert_eq!(p.content_type.as_deref(), Some("text/html"));

        let gz = sample(true);
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("s.warc.gz");
        std::fs::write(&path, &gz).expect("write");
        let recs2: Vec<WarcRecord> = open_warc(&path)
            .expect("open")
            .collect::<Result<_, _>>()
            .expect("reads");
        assert_eq!(recs, recs2);
        // Deterministic.
        assert_eq!(sample(true), gz);
    }

    #[test]
    fn malformed_records_are_reported_and_skipped() {
        let good = sample(false);
        let mut bad = Vec::new();
        bad.extend_from_slice(&good[..]);
        // A record without Content-Length, then garbage, then a good record again.
        bad.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n<p>lost</p>\r\n\r\n");
        bad.extend_from_slice(b"garbage line\r\nmore\r\n");
        let tail_offset = bad.len() as u64;
        bad.extend_from_slice(&good[..]);
        // A bad Content-Length at the very end: truncated.
        bad.extend_from_slice(
            b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 99\r\n\r\nshort",
        );
        let items: Vec<_> = WarcReader::new(&bad[..]).collect();
        let oks = items.iter().filter(|r| r.is_ok()).count();
        assert_eq!(oks, 8);
        let errs: Vec<&WarcError> = items.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].number, 5);
        assert_eq!(errs[0].offset, good.len() as u64);
        assert!(errs[0].reason.contains("Content-Length"));
        assert!(errs[1].reason.contains("truncated"), "{}", errs[1].reason);
        let resumed = items[5].as_ref().expect("resynchronised");
        assert_eq!(resumed.offset, tail_offset);
        assert_eq!(resumed.number, 6);
    }

    #[test]
    fn http_chunked_and_gzip_bodies() {
        let msg = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html; charset=gbk\r\n\r\n4\r\n<p>h\r\n5;x=y\r\nola</\r\n2\r\np>\r\n0\r\n\r\n";
        let p = http_payload(msg, 1 << 20).expect("chunked");
        assert_eq!(p.body, b"<p>hola</p>");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>comprimido</p>").expect("gz");
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        msg.extend(gz.finish().expect("gz"));
        assert_eq!(
            http_payload(&msg, 1 << 20).expect("gz").body,
            b"<p>comprimido</p>"
        );
        assert!(http_payload(&msg, 4).is_err());
        // Brotli: a stream of one uncompressed meta-block (window bits 16, MLEN-1 in four nibbles,
        // ISUNCOMPRESSED) and an empty last meta-block, built by hand (RFC 7932 section 9.2).
        let body = b"<p>comprimido</p>";
        let header = ((body.len() as u32 - 1) << 4) | (1 << 20);
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n".to_vec();
        msg.extend(&header.to_le_bytes()[..3]);
        msg.extend(body);
        msg.push(0x03);
        assert_eq!(http_payload(&msg, 1 << 20).expect("br").body, body);
        let br = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
        assert!(http_payload(br, 1 << 20)
            .unwrap_err()
            .contains("decompress"));
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\n\r\n".to_vec();
        msg.extend(zstd::encode_all(&body[..], 3).expect("zstd"));
        assert_eq!(http_payload(&msg, 1 << 20).expect("zstd").body, body);
        let odd = b"HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\n\r\nxx";
        assert!(http_payload(odd, 1 << 20).unwrap_err().contains("compress"));
        assert!(http_payload(b"HTTP/1.1 200 OK\r\nX: y", 10).is_err());
    }

    #[test]
    fn oversized_record_is_skipped_not_loaded() {
        let good = sample(false);
        let items: Vec<_> = WarcReader::new(&good[..]).max_record_bytes(60).collect();
        assert_eq!(items.len(), 4);
        assert!(items
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| e.reason.contains("limit")));
        assert!(items.iter().any(|r| r.is_ok()));
    }
}
