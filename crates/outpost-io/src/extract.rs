//! Main-text extraction from HTML pages, behind the [`TextExtractor`] trait so the extractor can be
//! swapped.
//!
//! * [`ReadabilityExtractor`] (the default, cargo feature `readability`): dom_smoothie, a Rust port
//!   of Mozilla's Readability. It keeps the article body and drops menus, related-link lists,
//!   cookie banners and comment sections. When it finds no article, the whole visible text is
//!   returned instead (as the baseline would), so no page comes out empty because of it.
//! * [`BaselineExtractor`]: the minimal [`html_to_text`] conversion (all visible text).
//!
//! `outpost extract eval corpora/html-extract` scores both on pages written for the project.

use crate::html::{html_to_text, meta_date};
use std::sync::Arc;

/// What an extractor takes from one page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// The page or article title, trimmed; `None` when absent.
    pub title: Option<String>,
    /// The main text, one block (paragraph, heading, list item) per line.
    pub text: String,
    /// The publication date from the page's metadata, as written; `None` when absent.
    pub date: Option<String>,
    /// The language declared by the page (`<html lang>`), when present.
    pub lang: Option<String>,
    /// True when a [`ScreenedExtractor`]'s screen ruled the page out: `text` is then the whole
    /// visible text that the screen read and rejected.
    pub screened_out: bool,
}

/// Takes the main text and metadata out of an HTML page (already decoded to a string).
///
/// Implementations never fail: markup they cannot make sense of degrades to text.
pub trait TextExtractor: Send + Sync {
    /// A short name for reports (`readability`, `baseline`).
    fn name(&self) -> &str;
    /// Extracts the title, main text, date and language hint of `html`; `url` is the page's
    /// address when known (used to resolve relative links; ignored when not absolute).
    fn extract(&self, html: &str, url: Option<&str>) -> Extracted;
}

/// The baseline: every visible text block of the page ([`html_to_text`]), with the `<title>`,
/// `<html lang>` and the metadata date.
#[derive(Debug, Clone, Copy, Default)]
pub struct BaselineExtractor;

impl TextExtractor for BaselineExtractor {
    fn name(&self) -> &str {
        "baseline"
    }

    fn extract(&self, html: &str, _url: Option<&str>) -> Extracted {
        let page = html_to_text(html);
        Extracted {
            title: page.title,
            text: page.text,
            date: meta_date(html),
            lang: page.lang,
            screened_out: false,
        }
    }
}

/// The default extractor: dom_smoothie (Readability) main-text extraction, with the baseline's
/// whole-page text when no article is found.
#[cfg(feature = "readability")]
#[derive(Debug, Clone)]
pub struct ReadabilityExtractor {
    config: dom_smoothie::Config,
}

#[cfg(feature = "readability")]
impl Default for ReadabilityExtractor {
    fn default() -> Self {
        Self {
            config: dom_smoothie::Config {
                text_mode: dom_smoothie::TextMode::Formatted,
                // Pages with more elements than this are not news articles; the baseline reads them.
                max_elements_to_parse: 200_000,
                ..dom_smoothie::Config::default()
            },
        }
    }
}

#[cfg(feature = "readability")]
impl TextExtractor for ReadabilityExtractor {
    fn name(&self) -> &str {
        "readability"
    }

    fn extract(&self, html: &str, url: Option<&str>) -> Extracted {
        let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        // Scripts, styles and comments are dropped before building the DOM (Readability would
        // drop them anyway); on real pages they are often most of the bytes.
        let lean = crate::html::strip_non_content(html);
        let lean: &str = &lean;
        let parsed = dom_smoothie::Readability::new(lean, url, Some(self.config.clone()))
            .or_else(|_| dom_smoothie::Readability::new(lean, None, Some(self.config.clone())))
            .and_then(|mut r| r.parse());
        let fallback = || BaselineExtractor.extract(html, None);
        match parsed {
            Ok(article) => {
                let text = tidy_lines(&article.text_content);
                if text.is_empty() {
                    return fallback();
                }
                let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
                let date = meta_date(html).or_else(|| {
                    article
                        .published_time
                        .map(|d| d.trim().to_string())
                        .filter(|d| !d.is_empty())
                });
                let (title, lang) = if title.is_none() || article.lang.is_none() {
                    let page = html_to_text(html);
                    (title.or(page.title), article.lang.or(page.lang))
                } else {
                    (title, article.lang)
                };
                Extracted {
                    title,
                    text,
                    date,
                    lang,
                    screened_out: false,
                }
            }
            Err(_) => fallback(),
        }
    }
}

/// Collapses runs of whitespace inside lines and drops empty lines.
#[cfg(feature = "readability")]
fn tidy_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let mut first = true;
        for w in line.split_whitespace() {
            if first {
                if !out.is_empty() {
                    out.push('\n');
                }
                first = false;
            } else {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

/// The names [`extractor_by_name`] accepts, the default first.
pub const EXTRACTOR_NAMES: &[&str] = &[
    #[cfg(feature = "readability")]
    "readability",
    "baseline",
];

/// The extractor with the given name (`readability`, `baseline`; `default` is the default one), or
/// `None` for an unknown name (or `readability` when built without that feature).
pub fn extractor_by_name(name: &str) -> Option<Arc<dyn TextExtractor>> {
    match name {
        #[cfg(feature = "readability")]
        "readability" | "default" => Some(Arc::new(ReadabilityExtractor::default())),
        #[cfg(not(feature = "readability"))]
        "default" => Some(Arc::new(BaselineExtractor)),
        "baseline" => Some(Arc::new(BaselineExtractor)),
        _ => None,
    }
}

/// A screen over a page's whole text: `true` when the page could matter (so its main text must be
/// extracted), `false` when it certainly cannot.
pub type ScreenFn = dyn Fn(&str) -> bool + Send + Sync;

/// Main-text extraction only where it can matter: every page is first reduced to its whole visible
/// text by the fast [`BaselineExtractor`]; pages whose title and text pass `screen` (e.g. the
/// pipeline's pre-filter for station reports) then get the `full` extractor's main text, the others
/// keep the whole-page text, title and `<html lang>` but no date (a pipeline with the same
/// pre-filter rules them out without reading more than their language, so their metadata date is
/// not looked for).
///
/// Sound when the screen only looks for terms that occur in the main text as written (the main
/// text is part of the whole text), which is what a pre-filter does; it is the costly DOM parse of
/// Readability-style extraction that is skipped for the other pages. Pages ruled out are marked
/// ([`Extracted::screened_out`], carried to `Document::screened_out`), and a pipeline with a
/// pre-filter trusts the mark instead of checking the text again: screen with that pipeline's own
/// pre-filter (`outpost_extract::Pipeline::prefilter_check`).
///
/// ```
/// use outpost_io::extract::{BaselineExtractor, ScreenedExtractor, TextExtractor};
/// use std::sync::Arc;
/// let e = ScreenedExtractor::new(Arc::new(|t: &str| t.contains("comisaría")), Arc::new(BaselineExtractor));
/// let page = e.extract("<title>Deportes</title><p>El Madrid ganó.</p>", None);
/// assert_eq!(page.text, "El Madrid ganó.");
/// ```
pub struct ScreenedExtractor {
    screen: Arc<ScreenFn>,
    full: Arc<dyn TextExtractor>,
}

impl ScreenedExtractor {
    /// Screens with `screen`; pages that pass are extracted by `full`.
    pub fn new(screen: Arc<ScreenFn>, full: Arc<dyn TextExtractor>) -> Self {
        Self { screen, full }
    }
}

impl std::fmt::Debug for ScreenedExtractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreenedExtractor")
            .field("full", &self.full.name())
            .finish()
    }
}

impl TextExtractor for ScreenedExtractor {
    fn name(&self) -> &str {
        self.full.name()
    }

    fn extract(&self, html: &str, url: Option<&str>) -> Extracted {
        let page = html_to_text(html);
        let title_passes = page.title.as_deref().is_some_and(|t| (self.screen)(t));
        if title_passes || (self.screen)(&page.text) {
            self.full.extract(html, url)
        } else {
            Extracted {
                title: page.title,
                text: page.text,
                date: None,
                lang: page.lang,
                screened_out: true,
            }
        }
    }
}

/// The default extractor: [`ReadabilityExtractor`], or [`BaselineExtractor`] when built without
/// the `readability` feature.
pub fn default_extractor() -> Arc<dyn TextExtractor> {
    #[cfg(feature = "readability")]
    {
        Arc::new(ReadabilityExtractor::default())
    }
    #[cfg(not(feature = "readability"))]
    {
        Arc::new(BaselineExtractor)
    }
}

/// Precision, recall and F1 of extracted text against the expected text, over a bag of units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Overlap {
    /// Units in both (multiset intersection).
    pub common: u64,
    /// Units in the extracted text.
    pub extracted: u64,
    /// Units in the expected text.
    pub expected: u64,
}

impl Overlap {
    /// `common / extracted` (1 when nothing was extracted and nothing expected, else 0 when empty).
    pub fn precision(&self) -> f64 {
        ratio(self.common, self.extracted, self.expected == 0)
    }

    /// `common / expected` (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.common, self.expected, true)
    }

    /// The harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds another page's counts (for micro-averages).
    pub fn add(&mut self, o: &Overlap) {
        self.common += o.common;
        self.extracted += o.extracted;
        self.expected += o.expected;
    }
}

fn ratio(a: u64, b: u64, empty: bool) -> f64 {
    if b == 0 {
        if empty {
            1.0
        } else {
            0.0
        }
    } else {
        a as f64 / b as f64
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// Word tokens for scoring: maximal runs of letters/digits, lower-cased, except that each CJK
/// character is a token of its own.
pub fn score_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn bag_overlap<T: std::hash::Hash + Eq>(
    expected: impl Iterator<Item = T>,
    got: impl Iterator<Item = T>,
) -> Overlap {
    let mut counts: std::collections::HashMap<T, i64> = std::collections::HashMap::new();
    let mut o = Overlap::default();
    for t in expected {
        *counts.entry(t).or_insert(0) += 1;
        o.expected += 1;
    }
    for t in got {
        o.extracted += 1;
        if let Some(n) = counts.get_mut(&t) {
            if *n > 0 {
                *n -= 1;
                o.common += 1;
            }
        }
    }
    o
}

/// Token-level overlap ([`score_tokens`]) of `got` against `expected`.
pub fn token_overlap(expected: &str, got: &str) -> Overlap {
    bag_overlap(
        score_tokens(expected).into_iter(),
        score_tokens(got).into_iter(),
    )
}

/// Character-level overlap (every non-whitespace character) of `got` against `expected`.
pub fn char_overlap(expected: &str, got: &str) -> Overlap {
    bag_overlap(
        expected.chars().filter(|c| !c.is_whitespace()),
        got.chars().filter(|c| !c.is_whitespace()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts its calls and marks its output.
    struct Marking(std::sync::atomic::AtomicUsize);
    impl TextExtractor for Marking {
        fn name(&self) -> &str {
            "marking"
        }
        fn extract(&self, html: &str, url: Option<&str>) -> Extracted {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut e = BaselineExtractor.extract(html, url);
            e.text = format!("FULL {}", e.text);
            e
        }
    }

    #[test]
    fn screened_extractor_runs_the_full_extractor_only_on_pages_that_pass() {
        let full = Arc::new(Marking(std::sync::atomic::AtomicUsize::new(0)));
        let e = ScreenedExtractor::new(
            Arc::new(|t: &str| t.contains("comisaría") || t.contains("警务")),
            full.clone(),
        );
        let out = e.extract(
            "<nav>Inicio</nav><p>Una comisaría china en Madrid.</p>",
            None,
        );
        assert_eq!(out.text, "FULL Inicio\nUna comisaría china en Madrid.");
        let out = e.extract("<title>海外警务服务站</title><p>内容</p>", None);
        assert!(out.text.starts_with("FULL"));
        assert!(!out.screened_out);
        let out = e.extract("<title>Deportes</title><p>El Madrid ganó.</p>", None);
        assert_eq!(out.text, "El Madrid ganó.");
        assert!(out.screened_out);
        assert_eq!(out.title.as_deref(), Some("Deportes"));
        assert_eq!(full.0.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert_eq!(e.name(), "marking");
    }

    const PAGE: &str = r##"<!doctype html><html lang="es"><head><title>Cierran la comisaría | Diario</title>
<meta property="article:published_time" content="2022-12-06"></head><body>
<nav><ul><li><a href="/">Portada</a></li><li><a href="/m">Mundo</a></li><li><a href="/d">Deportes</a></li></ul></nav>
<div class="cookie-banner">Usamos cookies para mejorar su experiencia. <a href="#">Aceptar</a></div>
<article><h1>Cierran la comisaría</h1>
<p>La policía española cerró ayer un local que funcionaba como comisaría china en el centro de la ciudad, según fuentes del ministerio del Interior consultadas por este diario.</p>
<p>Los vecinos del barrio aseguraron que el local abría solo por las mañanas y que allí se tramitaban carnés de conducir y otros documentos de ciudadanos chinos residentes.</p>
<p>La investigación sigue abierta y el juez ha pedido a la embajada que explique la naturaleza de la oficina y quién la financiaba desde su apertura.</p>
</article>
<aside><h3>Relacionadas</h3><ul><li><a href="/a">Otra noticia</a></li><li><a href="/b">Una más</a></li></ul></aside>
<footer>© Diario</footer></body></html>"##;

    #[test]
    fn baseline_keeps_everything() {
        let e = BaselineExtractor.extract(PAGE, None);
        assert!(e.text.contains("Portada"));
        assert!(e.text.contains("comisaría china"));
        assert_eq!(e.date.as_deref(), Some("2022-12-06"));
        assert_eq!(e.lang.as_deref(), Some("es"));
    }

    #[cfg(feature = "readability")]
    #[test]
    fn readability_drops_menus_and_banners() {
        let e = ReadabilityExtractor::default().extract(PAGE, Some("https://diario.example/a"));
        assert!(
            e.text.contains("comisaría china en el centro"),
            "{}",
            e.text
        );
        assert!(e.text.contains("quién la financiaba"), "{}", e.text);
        assert!(!e.text.contains("Portada"), "{}", e.text);
        assert!(!e.text.contains("cookies"), "{}", e.text);
        assert!(!e.text.contains("Otra noticia"), "{}", e.text);
        assert!(e.title.as_deref().is_some_and(|t| t.contains("Cierran")));
        assert_eq!(e.date.as_deref(), Some("2022-12-06"));
        assert_eq!(e.lang.as_deref(), Some("es"));
    }

    #[test]
    fn overlap_scores() {
        assert_eq!(
            score_tokens("Año 2022: 海外警务 OK"),
            ["año", "2022", "海", "外", "警", "务", "ok"]
        );
        let o = token_overlap("a b c d", "a b x");
        assert_eq!((o.common, o.extracted, o.expected), (2, 3, 4));
        assert!((o.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((o.recall() - 0.5).abs() < 1e-9);
        assert!((o.f1() - 4.0 / 7.0).abs() < 1e-9);
        let o = char_overlap("警务站", "警 务");
        assert_eq!((o.common, o.recall()), (2, 2.0 / 3.0));
        assert_eq!(token_overlap("a", "").f1(), 0.0);
    }

    #[cfg(feature = "readability")]
    #[test]
    fn readability_falls_back_on_tiny_pages() {
        let e = ReadabilityExtractor::default().extract("<p>Hola</p>", Some("not a url"));
        assert_eq!(e.text, "Hola");
        assert_eq!(
            extractor_by_name("nope").map(|e| e.name().to_string()),
            None
        );
        assert_eq!(default_extractor().name(), "readability");
    }
}
