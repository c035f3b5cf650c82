//! Minimal HTML to text: enough to read saved article pages. Scripts, styles and comments are
//! removed, block elements become line breaks, character references are decoded, and the `<title>`
//! and `<html lang>` are kept. (Main-text extraction that drops menus and comments is a separate,
//! swappable step.)

/// Text and metadata taken from an HTML page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The `<title>` text, decoded and trimmed; `None` when absent or empty.
    pub title: Option<String>,
    /// The `lang` attribute of `<html>`, when present.
    pub lang: Option<String>,
    /// The visible text, one block per line.
    pub text: String,
}

/// Whether `name` (lower-case) is an element that starts a new line of text.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"div"
            | b"br"
            | b"li"
            | b"ul"
            | b"ol"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"tr"
            | b"table"
            | b"section"
            | b"article"
            | b"header"
            | b"footer"
            | b"nav"
            | b"aside"
            | b"blockquote"
            | b"pre"
            | b"hr"
            | b"main"
            | b"figure"
            | b"figcaption"
            | b"dd"
            | b"dt"
            | b"title"
    )
}

/// [`SPACE_CLASS`]: a byte that is no whitespace and starts none.
const PLAIN: u8 = 0;
/// [`SPACE_CLASS`]: ASCII whitespace (9-13, 32).
const ASCII_SPACE: u8 = 1;
/// [`SPACE_CLASS`]: a lead byte of the Unicode whitespace characters above ASCII (U+0085, U+00A0,
/// U+1680, U+2000-U+205F, U+3000).
const MAYBE_SPACE: u8 = 2;

/// Byte classes for collapsing whitespace (`char::is_whitespace`).
static SPACE_CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut k = 9;
    while k <= 13 {
        t[k] = ASCII_SPACE;
        k += 1;
    }
    t[32] = ASCII_SPACE;
    t[0xC2] = MAYBE_SPACE;
    t[0xE1] = MAYBE_SPACE;
    t[0xE2] = MAYBE_SPACE;
    t[0xE3] = MAYBE_SPACE;
    t
};

/// Whether `b` holds whitespace other than ASCII spaces, or a byte that may start such whitespace
/// (see [`SPACE_CLASS`]). Tested 32 bytes at a time so that the compiler vectorises it.
fn maybe_special_space(b: &[u8]) -> bool {
    #[inline(always)]
    fn special(x: u8) -> u8 {
        u8::from((x.wrapping_sub(9) < 5) | (x == 0xC2) | (x.wrapping_sub(0xE1) < 3))
    }
    let mut chunks = b.chunks_exact(32);
    for c in &mut chunks {
        let mut acc = 0u8;
        for &x in c {
            acc |= special(x);
        }
        if acc != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&x| special(x) != 0)
}

/// The page text as it is built, piece by piece: whitespace runs inside a line collapse to one
/// space, lines are trimmed, empty lines dropped, and each finished line that holds a `&` has its
/// character references decoded (after collapsing, as before).
struct Lines {
    text: String,
    /// Where the current line starts in `text`.
    line_start: usize,
    /// The current line has content.
    open: bool,
    /// Whitespace followed the last content of the current line.
    space: bool,
    /// The current line holds a `&`.
    amp: bool,
}

impl Lines {
    fn new(capacity: usize) -> Self {
        Self {
            text: String::with_capacity(capacity),
            line_start: 0,
            open: false,
            space: false,
            amp: false,
        }
    }

    /// A line break (a newline in the text, a block element).
    fn line_break(&mut self) {
        if self.open {
            if self.amp {
                let decoded = decode_entities(&self.text[self.line_start..]);
                self.text.truncate(self.line_start);
                self.text.push_str(&decoded);
                self.amp = false;
            }
            self.open = false;
        }
        self.space = false;
    }

    /// Content without whitespace.
    fn content(&mut self, s: &str) {
        if !self.open {
            if !self.text.is_empty() {
                self.text.push('\n');
            }
            self.line_start = self.text.len();
            self.open = true;
        } else if self.space {
            self.text.push(' ');
        }
        self.space = false;
        if !self.amp && memchr::memchr(b'&', s.as_bytes()).is_some() {
            self.amp = true;
        }
        self.text.push_str(s);
    }

    /// A piece of text as written between tags.
    fn push(&mut self, s: &str) {
        let b = s.as_bytes();
        // Fast path: the only whitespace is single spaces between words (and maybe spaces at the
        // ends). A branch-free test over all bytes, then one search for a double space.
        if !maybe_special_space(b) {
            let inner = s.trim_matches(' ');
            if inner.is_empty() {
                if self.open && !b.is_empty() {
                    self.space = true;
                }
                return;
            }
            if memchr::memmem::find(inner.as_bytes(), b"  ").is_none() {
                if self.open && b[0] == b' ' {
                    self.space = true;
                }
                self.content(inner);
                if b[b.len() - 1] == b' ' {
                    self.space = true;
                }
                return;
            }
        }
        self.push_slow(s);
    }

    /// [`Lines::push`] byte by byte.
    fn push_slow(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let ws = match SPACE_CLASS[c as usize] {
                PLAIN => 0,
                // A single space between two non-space bytes inside a run of content stays as
                // it is (it is what collapsing would write).
                ASCII_SPACE
                    if c == b' '
                        && i > run
                        && b.get(i + 1)
                            .is_some_and(|&n| SPACE_CLASS[n as usize] == PLAIN) =>
                {
                    0
                }
                ASCII_SPACE => 1,
                _ => match s[i..].chars().next() {
                    Some(ch) if ch.is_whitespace() => ch.len_utf8(),
                    _ => 0,
                },
            };
            if ws == 0 {
                i += 1;
                continue;
            }
            if run < i {
                self.content(&s[run..i]);
            }
            if c == b'\n' {
                self.line_break();
            } else if self.open {
                self.space = true;
            }
            i += ws;
            run = i;
        }
        if run < b.len() {
            self.content(&s[run..]);
        }
    }

    fn finish(mut self) -> String {
        self.line_break();
        self.text
    }
}

/// Converts an HTML page to text. Never fails: malformed markup degrades to text.
///
/// One pass over the bytes (memchr for `<`), no allocation per tag: fast enough to run on every
/// page of an archive before the costlier main-text extraction.
pub fn html_to_text(html: &str) -> Page {
    let b = html.as_bytes();
    let mut page = Page::default();
    let mut out = Lines::new(html.len() / 2);
    let mut title = String::new();
    let mut in_title = false;
    let mut i = 0;
    while i < b.len() {
        let Some(off) = memchr::memchr(b'<', &b[i..]) else {
            push_text(&mut out, &mut title, in_title, &html[i..]);
            break;
        };
        let lt = i + off;
        push_text(&mut out, &mut title, in_title, &html[i..lt]);
        if b[lt..].starts_with(b"<!--") {
            i = memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |k| lt + 4 + k + 3);
            continue;
        }
        let Some(g) = memchr::memchr(b'>', &b[lt..]) else {
            // A lone '<' is text.
            push_text(&mut out, &mut title, in_title, &html[lt..]);
            break;
        };
        let gt = lt + g;
        let tag = &html[lt + 1..gt];
        i = gt + 1;
        let tb = tag.as_bytes();
        let closing = tb.first() == Some(&b'/');
        let name_start = tb.iter().position(|&c| c != b'/').unwrap_or(tb.len());
        let name_len = tb[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        // Every name this function acts on has at most 10 letters.
        let mut buf = [0u8; 10];
        if name_len > buf.len() {
            continue;
        }
        let name = &mut buf[..name_len];
        name.copy_from_slice(&tb[name_start..name_start + name_len]);
        name.make_ascii_lowercase();
        let name: &[u8] = name;
        if !closing && matches!(name, b"script" | b"style" | b"noscript" | b"template") {
            i = skip_element(b, i, name);
            continue;
        }
        if name == b"html" && !closing {
            page.lang = attribute(tag, "lang");
        }
        if name == b"title" {
            in_title = !closing;
        }
        if is_block(name) {
            out.line_break();
        }
    }
    let title = decode_entities(&collapse(&title));
    page.title = (!title.is_empty()).then_some(title);
    page.text = out.finish();
    page
}

/// The byte offset just after the end tag of the raw-text element `name` (lowercase) whose start
/// tag ends before `from`: after the `>` following the first `</name` (any case), or the end of the
/// input when there is none.
fn skip_element(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut j = from;
    while let Some(k) = memchr::memchr(b'<', &b[j..]) {
        let at = j + k;
        let n = at + 2 + name.len();
        if b.get(at + 1) == Some(&b'/') && n <= b.len() && b[at + 2..n].eq_ignore_ascii_case(name) {
            return memchr::memchr(b'>', &b[at..]).map_or(b.len(), |g| at + g + 1);
        }
        j = at + 1;
    }
    b.len()
}

fn push_text(out: &mut Lines, title: &mut String, in_title: bool, s: &str) {
    if in_title {
        title.push_str(s);
    } else {
        out.push(s);
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let pat = format!("{name}=");
    let i = lower.match_indices(&pat).map(|(i, _)| i).find(|&i| {
        i == 0 || matches!(lower.as_bytes()[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b'/')
    })?;
    let v = &tag[i + name.len() + 1..];
    let v = v.trim_start();
    let (q, body) = match v.chars().next()? {
        '"' => ('"', &v[1..]),
        '\'' => ('\'', &v[1..]),
        _ => (' ', v),
    };
    let end = body.find(q).unwrap_or(body.len());
    let val = body[..end].trim().to_string();
    (!val.is_empty()).then_some(val)
}

/// Elements whose content is never article text.
const NON_CONTENT: &[&[u8]] = &[b"script", b"style", b"noscript", b"template", b"svg"];

/// The tag name at `b[at..]` (just after `<` or `</`) if it is `name`, case-insensitively and
/// followed by whitespace, `>` or `/`.
fn tag_is(b: &[u8], at: usize, name: &[u8]) -> bool {
    b.len() > at + name.len()
        && b[at..at + name.len()].eq_ignore_ascii_case(name)
        && matches!(
            b[at + name.len()],
            b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
        )
}

/// Removes comments and `<script>`, `<style>`, `<noscript>`, `<template>`, `<svg>` elements (with
/// their content) from a page, so a DOM-based extractor parses less. Returns the input unchanged
/// (borrowed) when there is nothing to remove; an unclosed element is removed to the end.
pub fn strip_non_content(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let pos = i + off;
        let end = if b[pos..].starts_with(b"<!--") {
            memchr::memmem::find(&b[pos + 4..], b"-->").map_or(b.len(), |k| pos + 4 + k + 3)
        } else if let Some(name) = NON_CONTENT.iter().find(|n| tag_is(b, pos + 1, n)) {
            let mut j = pos + 1 + name.len();
            loop {
                match memchr::memchr(b'<', &b[j..]) {
                    Some(k) => {
                        let at = j + k;
                        if b.get(at + 1) == Some(&b'/') && tag_is(b, at + 2, name) {
                            break memchr::memchr(b'>', &b[at..]).map_or(b.len(), |g| at + g + 1);
                        }
                        j = at + 1;
                    }
                    None => break b.len(),
                }
            }
        } else {
            i = pos + 1;
            continue;
        };
        out.push_str(&html[last..pos]);
        last = end;
        i = end;
        if i >= b.len() {
            break;
        }
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[last.min(html.len())..]);
    std::borrow::Cow::Owned(out)
}

/// `<meta>` names/properties that carry a publication date, most specific first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publication_date",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
];

/// The publication date declared in a page's metadata: a `<meta>` tag whose `name`, `property` or
/// `itemprop` is one of the usual date keys (`article:published_time`, `datePublished`, `pubdate`,
/// `date`, ...), else a JSON-LD `"datePublished"`, else the first `<time datetime>`. Only the first
/// 64 KiB are scanned. Returns the value as written (trimmed), or `None` when there is none.
pub fn meta_date(html: &str) -> Option<String> {
    let mut end = html.len().min(1 << 16);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let lower = head.to_ascii_lowercase();
    let mut best: Option<(usize, String)> = None;
    let mut pos = 0;
    while let Some(i) = lower[pos..].find("<meta") {
        let start = pos + i;
        let stop = lower[start..].find('>').map_or(lower.len(), |j| start + j);
        let tag = &head[start..stop];
        pos = stop;
        let key = attribute(tag, "property")
            .or_else(|| attribute(tag, "name"))
            .or_else(|| attribute(tag, "itemprop"))
            .map(|k| k.to_ascii_lowercase());
        let Some(rank) = key.and_then(|k| DATE_META.iter().position(|d| *d == k)) else {
            continue;
        };
        if let Some(v) = attribute(tag, "content") {
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, decode_entities(&v)));
            }
        }
    }
    if let Some((_, v)) = best {
        return Some(v);
    }
    if let Some(i) = head.find("\"datePublished\"") {
        let rest = head[i + 15..].trim_start().strip_prefix(':')?.trim_start();
        let rest = rest.strip_prefix('"')?;
        let v = &rest[..rest.find('"')?];
        if !v.trim().is_empty() {
            return Some(v.trim().to_string());
        }
    }
    let i = lower.find("<time")?;
    let stop = lower[i..].find('>').map_or(lower.len(), |j| i + j);
    attribute(&head[i..stop], "datetime")
}

/// Decodes HTML character references (`&amp;`, `&#233;`, `&#x4E2D;`, common named ones). Unknown
/// references are kept as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|j| j + 1).filter(|&j| j <= 12);
        let decoded = end.and_then(|j| {
            let name = &rest[1..j];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                named(name)
            };
            c.map(|c| (c, j))
        });
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "Ntilde" => 'Ñ',
        "uuml" => 'ü',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordm" => 'º',
        "ordf" => 'ª',
        "middot" => '·',
        "copy" => '©',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push_text(out: &mut String, title: &mut String, in_title: bool, s: &str) {
        if in_title {
            title.push_str(s);
        } else {
            out.push_str(s);
        }
    }

    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "blockquote",
        "pre",
        "hr",
        "main",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "title",
    ];

    /// The first, simplest implementation: the oracle for [`html_to_text`].
    fn reference(html: &str) -> Page {
        let mut page = Page::default();
        let mut out = String::with_capacity(html.len() / 2);
        let mut title = String::new();
        let mut in_title = false;
        let mut rest = html;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                push_text(&mut out, &mut title, in_title, rest);
                break;
            };
            push_text(&mut out, &mut title, in_title, &rest[..lt]);
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after.find("-->").map(|i| &after[i + 3..]).unwrap_or("");
                continue;
            }
            let Some(gt) = rest.find('>') else {
                // A lone '<' is text.
                push_text(&mut out, &mut title, in_title, rest);
                break;
            };
            let tag = &rest[1..gt];
            rest = &rest[gt + 1..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            if !closing && matches!(name.as_str(), "script" | "style" | "noscript" | "template") {
                let end = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&end) {
                    Some(i) => {
                        let after = &rest[i..];
                        after.find('>').map(|j| &after[j + 1..]).unwrap_or("")
                    }
                    None => "",
                };
                continue;
            }
            if name == "html" && !closing {
                page.lang = attribute(tag, "lang");
            }
            if name == "title" {
                in_title = !closing;
            }
            if BLOCKS.contains(&name.as_str()) && !out.ends_with('\n') && !out.is_empty() {
                out.push('\n');
            }
        }
        let title = decode_entities(&collapse(&title));
        page.title = (!title.is_empty()).then_some(title);
        let lines: Vec<String> = out
            .lines()
            .map(|l| decode_entities(&collapse(l)))
            .filter(|l| !l.is_empty())
            .collect();
        page.text = lines.join("\n");
        page
    }

    #[test]
    fn same_text_as_the_reference_implementation() {
        let pages = [
            "<html lang='es'><head><title>Comisar&iacute;a</title><style>p{}</style></head><body><script>alert('<p>x</p>')</script><p>Uno &amp; dos</p><!-- c --><div>Tres&#x4E2D;</div></body></html>",
            "a < b and &bogus; <p",
            "<HTML LANG=\"zh\"><TITLE> 海外 &amp; 警务 </TITLE><P>一</P><SCRIPT>x</Script  ><p>二\n\n 三</p><blockquote>四</BLOCKQUOTE>",
            "<//p>x<p/>y< p>z<!DOCTYPE html><verylongtagname>w</verylongtagname><figcaption>f</figcaption>",
            "<noscript>hidden<p>also</p></NOSCRIPT>after<template>t</template",
            "<style>unclosed",
            "<title>t1</title><title></title>text &nbsp; here<br>&#233;&#xe9;<br/>end<",
            "<p>Ünïcödé — “quotes” <b>bold</b>&lt;not a tag&gt;</p>\r\n<li>x\ty</li><scriptx>kept</scriptx>",
            "<!-- unclosed comment <p>x</p>",
            "",
        ];
        for p in pages {
            assert_eq!(html_to_text(p), reference(p), "{p:?}");
        }
        // Pseudo-random markup soup.
        let atoms = [
            "<p>",
            "</p>",
            "<script>",
            "</script>",
            "<SCRIPT>",
            "</scr",
            "<!--",
            "-->",
            "<",
            ">",
            "&amp;",
            "&#x4E2D;",
            " ",
            "\n",
            "警",
            "é",
            "a",
            "<title>",
            "</title>",
            "<html lang=en>",
            "<div class=x>",
            "<br/>",
            "</",
            "/",
            "\r\n",
            "\t",
            "\u{a0}",
            "\u{3000}",
            "\u{2009}",
            "\u{85}",
            "、",
            "&nbsp;",
            "&#32;",
            "&#10;",
            "&",
            "<b>",
            "</b>",
            "<li>",
            "\u{b}",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20000 {
            let mut h = String::new();
            for _ in 0..(x % 40) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                h.push_str(atoms[(x % atoms.len() as u64) as usize]);
            }
            x = x.wrapping_add(1);
            assert_eq!(html_to_text(&h), reference(&h), "{h:?}");
        }
    }

    #[test]
    fn same_text_as_the_reference_on_the_project_pages() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora/html-extract");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).expect("corpora/html-extract") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path).expect("page");
                assert_eq!(html_to_text(&html), reference(&html), "{}", path.display());
                // The same pages with more whitespace (tabs, no-break spaces).
                let v = html.replace('\n', "\n  \t").replace("  ", " \u{a0} ");
                assert_eq!(html_to_text(&v), reference(&v), "{}", path.display());
                n += 1;
            }
        }
        assert!(n >= 10, "{n} pages");
    }

    #[test]
    fn block_names() {
        for b in BLOCKS {
            assert!(is_block(b.as_bytes()), "{b}");
        }
        for n in ["b", "a", "span", "html", "body", "script", "h7", "d"] {
            assert!(!is_block(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn strips_scripts_and_keeps_blocks() {
        let p = html_to_text(
            "<html lang='es'><head><title>Comisar&iacute;a</title><style>p{}</style></head>\
             <body><script>alert('<p>x</p>')</script><p>Uno &amp; dos</p><!-- c --><div>Tres&#x4E2D;</div></body></html>",
        );
        assert_eq!(p.title.as_deref(), Some("Comisaría"));
        assert_eq!(p.lang.as_deref(), Some("es"));
        assert_eq!(p.text, "Uno & dos\nTres中");
    }

    #[test]
    fn malformed_markup_degrades_to_text() {
        let p = html_to_text("a < b and &bogus; <p");
        assert_eq!(p.text, "a < b and &bogus; <p");
    }

    #[test]
    fn non_content_is_stripped() {
        let h = "<p>a</p><SCRIPT type=x>if (a<b) {}</script ><!-- c --><svg><g></g></svg><scripts>k</scripts><style>p{}</style";
        assert_eq!(strip_non_content(h), "<p>a</p><scripts>k</scripts>");
        assert!(matches!(
            strip_non_content("<p>x</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(strip_non_content("<p>é</p><!-- open"), "<p>é</p>");
    }

    #[test]
    fn dates_from_metadata() {
        let h = "<head><meta name=\"date\" content=\"2022-01-01\"><meta property=\"article:published_time\" content=\"2022-10-05T08:00:00Z\"></head>";
        assert_eq!(meta_date(h).as_deref(), Some("2022-10-05T08:00:00Z"));
        let h = "<script type=\"application/ld+json\">{\"datePublished\": \"2023-03-02\"}</script>";
        assert_eq!(meta_date(h).as_deref(), Some("2023-03-02"));
        let h = "<p>Publicado <time datetime=\"2022-12-06\">6 dic</time></p>";
        assert_eq!(meta_date(h).as_deref(), Some("2022-12-06"));
        // `data-date=` is not `date=`; a meta without content gives nothing.
        assert_eq!(
            meta_date("<meta data-name=\"date\" content=\"x\"><meta name=date>"),
            None
        );
    }
}
