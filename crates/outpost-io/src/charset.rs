//! Character-set detection and decoding of web pages (encoding_rs + chardetng).
//!
//! The order follows the HTML standard's encoding sniffing, simplified: a byte-order mark wins,
//! then the charset of the HTTP `Content-Type` header (from a WARC response, when known), then a
//! `<meta charset>` / `<meta http-equiv="Content-Type">` declaration in the first 4 KiB, then a
//! guess. The guess is UTF-8 when the bytes are valid UTF-8, and otherwise chardetng's.

use encoding_rs::Encoding;
use std::borrow::Cow;

/// How the encoding of a page was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type` header.
    Http,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` declaration.
    Meta,
    /// No declaration: valid UTF-8, or chardetng's guess.
    Guess,
}

/// A decoded page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with malformed byte sequences replaced by U+FFFD.
    pub text: String,
    /// The encoding used (its WHATWG name, e.g. `GBK`, `Big5`, `windows-1252`, `UTF-8`).
    pub encoding: &'static str,
    /// How the encoding was decided.
    pub source: CharsetSource,
    /// Whether malformed sequences were replaced.
    pub had_errors: bool,
}

/// How many leading bytes chardetng looks at for its guess.
const GUESS_PREFIX: usize = 64 << 10;

/// How many leading bytes are scanned for a `<meta>` declaration.
const META_PRESCAN: usize = 4096;

/// The encoding named by the `charset` parameter of a `Content-Type` value
/// (`text/html; charset=GBK`), or `None` when absent or not a known label.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let i = lower.find("charset")?;
    let rest = lower[i + 7..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(&rest.as_bytes()[..end])
}

/// The encoding declared by a `<meta charset=..>` or `<meta http-equiv="Content-Type"
/// content="..; charset=..">` in the first 4 KiB of `bytes`, or `None` when there is none or the
/// label is unknown. A declared UTF-16 means UTF-8 (as browsers do: the bytes were readable as ASCII).
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_PRESCAN)].to_ascii_lowercase();
    let mut pos = 0;
    while let Some(i) = memchr::memmem::find(&head[pos..], b"<meta") {
        let start = pos + i + 5;
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |j| start + j);
        let tag = String::from_utf8_lossy(&head[start..end]);
        pos = end;
        let label = if let Some(k) = tag.find("charset") {
            let rest = tag[k + 7..].trim_start();
            match rest.strip_prefix('=') {
                Some(r) => {
                    let r = r.trim_start().trim_start_matches(['"', '\'']);
                    let e = r
                        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
                        .unwrap_or(r.len());
                    r[..e].to_string()
                }
                None => continue,
            }
        } else {
            continue;
        };
        if let Some(enc) = Encoding::for_label(label.as_bytes()) {
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return Some(encoding_rs::UTF_8);
            }
            return Some(enc);
        }
    }
    None
}

/// Decodes a web page. `content_type` is the HTTP `Content-Type` header when known; `tld` the
/// top-level domain of its URL (e.g. `b"cn"`), a hint for the guess. Never fails: malformed
/// sequences become U+FFFD and `had_errors` is set.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>, tld: Option<&[u8]>) -> Decoded {
    let (text, encoding, source, had_errors) = decode_html_cow(bytes, content_type, tld);
    Decoded {
        text: text.into_owned(),
        encoding,
        source,
        had_errors,
    }
}

/// As [`decode_html`], borrowing `bytes` when they are the text as is (valid UTF-8 read as UTF-8,
/// or ASCII in an ASCII-compatible encoding): the text, the encoding's name, how it was decided,
/// and whether malformed sequences were replaced.
pub(crate) fn decode_html_cow<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    tld: Option<&[u8]>,
) -> (Cow<'a, str>, &'static str, CharsetSource, bool) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..], CharsetSource::Bom);
    }
    if let Some(enc) = content_type.and_then(charset_from_content_type) {
        return finish(enc, bytes, CharsetSource::Http);
    }
    if let Some(enc) = meta_charset(bytes) {
        return finish(enc, bytes, CharsetSource::Meta);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (
            Cow::Borrowed(s),
            encoding_rs::UTF_8.name(),
            CharsetSource::Guess,
            false,
        );
    }
    // chardetng asserts a lower-case ASCII TLD without periods; anything else is no hint.
    let tld = tld
        .filter(|t| !t.is_empty() && t.iter().all(u8::is_ascii_alphabetic))
        .map(<[u8]>::to_ascii_lowercase);
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(&bytes[..bytes.len().min(GUESS_PREFIX)], true);
    let enc = det.guess(tld.as_deref(), chardetng::Utf8Detection::Allow);
    finish(enc, bytes, CharsetSource::Guess)
}

fn finish<'a>(
    enc: &'static Encoding,
    bytes: &'a [u8],
    source: CharsetSource,
) -> (Cow<'a, str>, &'static str, CharsetSource, bool) {
    if enc == encoding_rs::UTF_8 {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return (Cow::Borrowed(s), enc.name(), source, false);
        }
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    (text, enc.name(), source, had_errors)
}

/// The top-level domain of a URL (`https://www.example.cn/x` → `cn`), for chardetng's guess.
pub fn url_tld(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphabetic())).then_some(tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str, meta: &str) -> String {
        format!("<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>")
    }

    const ZH: &str = "福州市公安局在海外设立警务服务站，引起多国关注。当地华人社团表示不知情。";
    const ZH_HANT: &str =
        "溫州市公安局在海外設立警務服務站，引起多國關注。當地華人社團表示不知情。";
    const ES: &str = "La comisaría china de Madrid, según la policía española, operaba en un almacén. Añaden que el señor Núñez declaró ayer.";

    #[test]
    fn gbk_page_without_declaration_is_guessed() {
        let html = page(&ZH.repeat(3), "");
        let (bytes, _, _) = encoding_rs::GBK.encode(&html);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode_html(&bytes, None, None);
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.source, CharsetSource::Guess);
        assert!(d.text.contains(ZH), "{}", d.text);
    }

    #[test]
    fn big5_page_with_meta_is_decoded() {
        let html = page(
            ZH_HANT,
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">",
        );
        let (bytes, _, _) = encoding_rs::BIG5.encode(&html);
        let d = decode_html(&bytes, None, None);
        assert_eq!((d.encoding, d.source), ("Big5", CharsetSource::Meta));
        assert!(d.text.contains(ZH_HANT));
        // Undeclared Big5 is guessed too.
        let html = page(&ZH_HANT.repeat(3), "");
        let (bytes, _, _) = encoding_rs::BIG5.encode(&html);
        let d = decode_html(&bytes, None, Some(b"tw"));
        assert_eq!(d.encoding, "Big5");
        assert!(d.text.contains(ZH_HANT));
    }

    #[test]
    fn latin1_page_http_header_wins_over_meta() {
        let html = page(ES, "<meta charset=\"utf-8\">");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
        let d = decode_html(&bytes, Some("text/html; charset=ISO-8859-1"), None);
        assert_eq!(
            (d.encoding, d.source),
            ("windows-1252", CharsetSource::Http)
        );
        assert!(d.text.contains(ES));
        // Without the header, the (wrong) meta declaration is followed, with replacement chars.
        let d = decode_html(&bytes, None, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.had_errors);
        // With neither, chardetng guesses a Latin encoding.
        let plain = page(ES, "");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&plain);
        let d = decode_html(&bytes, None, Some(b"es"));
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains(ES));
    }

    #[test]
    fn bom_wins_and_utf8_passes_through() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(page(ZH, "<meta charset=gbk>").as_bytes());
        let d = decode_html(&bytes, Some("text/html; charset=big5"), None);
        assert_eq!((d.encoding, d.source), ("UTF-8", CharsetSource::Bom));
        assert!(d.text.contains(ZH));
        let d = decode_html(page(ES, "").as_bytes(), None, None);
        assert_eq!((d.encoding, d.had_errors), ("UTF-8", false));
    }

    #[test]
    fn labels_and_tlds() {
        assert_eq!(
            charset_from_content_type("text/html;charset=\"gb2312\"").map(|e| e.name()),
            Some("GBK")
        );
        assert_eq!(charset_from_content_type("text/html"), None);
        assert_eq!(charset_from_content_type("text/html; charset=bogus"), None);
        assert_eq!(url_tld("https://user@news.example.cn:8080/a?b"), Some("cn"));
        assert_eq!(url_tld("http://127.0.0.1/"), None);
    }
}
