//! The HTML page of a generated article, for WARC output (written by `outpost_io::warc::WarcWriter`:
//! one `warcinfo` record, then one `response` record per article, each its own gzip member, the
//! layout of Common Crawl's `.warc.gz` files).

use crate::generate::Article;
use outpost_core::text::html_escape;

/// The HTML page of an article: navigation and footer around an `<article>` with one `<p>` per
/// paragraph.
pub(crate) fn html_page(a: &Article) -> String {
    let mut h = String::with_capacity(a.text.len() + 512);
    h.push_str("<!DOCTYPE html>\n<html lang=\"");
    h.push_str(a.lang);
    h.push_str("\"><head><meta charset=\"utf-8\"><title>");
    h.push_str(&html_escape(&a.title));
    h.push_str("</title></head>\n<body><nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav>\n<article><h1>");
    h.push_str(&html_escape(&a.title));
    h.push_str("</h1>\n");
    for p in a.text.split('\n') {
        h.push_str("<p>");
        h.push_str(&html_escape(p));
        h.push_str("</p>\n");
    }
    h.push_str("</article>\n<footer>corpus.outpost.invalid</footer></body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_escapes_the_title_and_has_one_paragraph_per_line() {
        let a = Article {
            id: "s1-0".into(),
            lang: "en",
            title: "A <b> & c".into(),
            url: "https://corpus.outpost.invalid/en/s1-0.html".into(),
            date: "2023-02-03".into(),
            text: "One.\nTwo.".into(),
            plant: None,
            police: None,
        };
        let page = html_page(&a);
        assert!(page.contains("<title>A &lt;b&gt; &amp; c</title>"));
        assert!(page.contains("<p>One.</p>\n<p>Two.</p>"));
    }
}
