//! A minimal WARC/1.1 writer for generated corpora: one `warcinfo` record, then one `response`
//! record (HTTP/1.1 200 with an HTML page) per article, each record its own gzip member (the
//! layout of Common Crawl's `.warc.gz` files). Private to this crate: the project's shared WARC
//! writer (`outpost_io::warc`) is meant to replace it.

use crate::generate::Article;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;

fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The HTML page of an article: navigation and footer around an `<article>` with one `<p>` per
/// paragraph.
pub(crate) fn html_page(a: &Article) -> String {
    let mut h = String::with_capacity(a.text.len() + 512);
    h.push_str("<!DOCTYPE html>\n<html lang=\"");
    h.push_str(a.lang);
    h.push_str("\"><head><meta charset=\"utf-8\"><title>");
    escape_html(&a.title, &mut h);
    h.push_str("</title></head>\n<body><nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav>\n<article><h1>");
    escape_html(&a.title, &mut h);
    h.push_str("</h1>\n");
    for p in a.text.split('\n') {
        h.push_str("<p>");
        escape_html(p, &mut h);
        h.push_str("</p>\n");
    }
    h.push_str("</article>\n<footer>corpus.outpost.invalid</footer></body></html>\n");
    h
}

/// A deterministic record id derived from the article number.
fn record_id(seed: u64, n: u64) -> String {
    format!(
        "<urn:uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}>",
        (seed & 0xffff_ffff) as u32,
        (n >> 48) & 0xffff,
        (n >> 36) & 0xfff,
        (n >> 24) & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

/// Bytes of one uncompressed WARC record with the given headers and block.
fn record(headers: &[(&str, String)], block: &[u8]) -> Vec<u8> {
    let mut r = Vec::with_capacity(block.len() + 400);
    r.extend_from_slice(b"WARC/1.1\r\n");
    for (k, v) in headers {
        r.extend_from_slice(k.as_bytes());
        r.extend_from_slice(b": ");
        r.extend_from_slice(v.as_bytes());
        r.extend_from_slice(b"\r\n");
    }
    r.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// The `warcinfo` record that opens the file.
pub(crate) fn warcinfo(seed: u64, filename: &str) -> Vec<u8> {
    let block = format!(
        "software: outpost-corpus {}\r\nformat: WARC File Format 1.1\r\ndescription: synthetic corpus, seed {seed}\r\n",
        env!("CARGO_PKG_VERSION")
    );
    record(
        &[
            ("WARC-Type", "warcinfo".into()),
            ("WARC-Record-ID", record_id(seed, u64::MAX)),
            ("WARC-Date", "2024-01-01T00:00:00Z".into()),
            ("WARC-Filename", filename.into()),
            ("Content-Type", "application/warc-fields".into()),
        ],
        block.as_bytes(),
    )
}

/// The `response` record of article number `n`.
pub(crate) fn response(a: &Article, seed: u64, n: u64) -> Vec<u8> {
    let page = html_page(a);
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        page.len()
    )
    .into_bytes();
    http.extend_from_slice(page.as_bytes());
    record(
        &[
            ("WARC-Type", "response".into()),
            ("WARC-Record-ID", record_id(seed, n)),
            ("WARC-Date", format!("{}T00:00:00Z", a.date)),
            ("WARC-Target-URI", a.url.clone()),
            ("Content-Type", "application/http; msgtype=response".into()),
        ],
        &http,
    )
}

/// Writes `record` to `out` as one gzip member.
pub(crate) fn write_member<W: Write>(out: &mut W, record: &[u8]) -> std::io::Result<()> {
    let mut gz = GzEncoder::new(out, Compression::fast());
    gz.write_all(record)?;
    gz.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_record_has_consistent_lengths() {
        let a = Article {
            id: "s1-0".into(),
            lang: "en",
            title: "A <b> & c".into(),
            url: "https://corpus.outpost.invalid/en/s1-0.html".into(),
            date: "2023-02-03".into(),
            text: "One.\nTwo.".into(),
            plant: None,
        };
        let r = response(&a, 1, 0);
        let s = String::from_utf8(r.clone()).expect("utf8");
        let (head, rest) = s.split_once("\r\n\r\n").expect("header end");
        assert!(head.starts_with("WARC/1.1\r\nWARC-Type: response"));
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|v| v.trim().parse().ok())
            .expect("length");
        assert_eq!(rest.len(), len + 4);
        assert!(rest.contains("<title>A &lt;b&gt; &amp; c</title>"));
        assert!(rest.contains("<p>Two.</p>"));
        let mut gz = Vec::new();
        write_member(&mut gz, &r).expect("gzip");
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .expect("gunzip");
        assert_eq!(back, r);
    }
}
