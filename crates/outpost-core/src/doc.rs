//! [`Doc`]: a document under analysis, with its language and spans.

use crate::text::{sentences, CharIndex};
use crate::{Document, Label, Span};
use std::ops::Range;

/// A document being analysed: the input [`Document`], the detected language, the sentence
/// boundaries and the spans found so far.
///
/// Create it once per document; every component reads it and the pipeline appends their spans with
/// [`Doc::add_spans`].
#[derive(Debug, Clone)]
pub struct Doc {
    /// The input document.
    pub document: Document,
    /// Detected language (ISO 639-1, `zh` for Chinese), when detection ran.
    pub lang: Option<String>,
    /// Confidence of the language detection in [0, 1].
    pub lang_confidence: f32,
    /// Spans produced so far, in the order components added them.
    pub spans: Vec<Span>,
    index: CharIndex,
    sentences: Vec<Range<usize>>,
}

impl Doc {
    /// Wraps a document: builds its offset index and splits its sentences.
    pub fn new(document: Document) -> Self {
        let index = CharIndex::new(&document.text);
        let sentences = sentences(&document.text);
        Self {
            document,
            lang: None,
            lang_confidence: 0.0,
            spans: Vec::new(),
            index,
            sentences,
        }
    }

    /// The document text.
    pub fn text(&self) -> &str {
        &self.document.text
    }

    /// The document id.
    pub fn id(&self) -> &str {
        &self.document.id
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.index.char_len()
    }

    /// Sentence byte ranges (internal; use [`Doc::sentence_chars`] for reporting).
    pub fn sentence_bytes(&self) -> &[Range<usize>] {
        &self.sentences
    }

    /// Sentence code-point ranges.
    pub fn sentence_chars(&self) -> Vec<Range<usize>> {
        self.sentences
            .iter()
            .map(|r| self.char_of_byte(r.start)..self.char_of_byte(r.end))
            .collect()
    }

    /// Index of the sentence that contains code point `ch`, if any.
    pub fn sentence_of_char(&self, ch: usize) -> Option<usize> {
        let b = self.byte_of_char(ch);
        let k = self.sentences.partition_point(|r| r.end <= b);
        (k < self.sentences.len() && self.sentences[k].start <= b).then_some(k)
    }

    /// Code-point offset of a byte offset.
    pub fn char_of_byte(&self, byte: usize) -> usize {
        self.index.char_of_byte(&self.document.text, byte)
    }

    /// Byte offset of a code-point offset.
    pub fn byte_of_char(&self, ch: usize) -> usize {
        self.index.byte_of_char(&self.document.text, ch)
    }

    /// The text of a code-point range (clamped to the text).
    pub fn slice_chars(&self, range: Range<usize>) -> &str {
        let b0 = self.byte_of_char(range.start);
        let b1 = self.byte_of_char(range.end.max(range.start));
        &self.document.text[b0..b1]
    }

    /// Makes a span from a byte range (clamped to the text and widened to character boundaries);
    /// score 1.0, no canonical id.
    pub fn span_from_bytes(&self, start: usize, end: usize, label: Label, source: &str) -> Span {
        let s = self.char_of_byte(start);
        let mut e = self.char_of_byte(end);
        if end < self.document.text.len() && !self.document.text.is_char_boundary(end) {
            e += 1;
        }
        self.span_from_chars(s, e.max(s), label, source)
    }

    /// Makes a span from a code-point range (clamped to the text); score 1.0, no canonical id.
    pub fn span_from_chars(&self, start: usize, end: usize, label: Label, source: &str) -> Span {
        let n = self.char_len();
        let start = start.min(n);
        let end = end.clamp(start, n);
        Span {
            start,
            end,
            text: self.slice_chars(start..end).to_string(),
            label,
            canonical: None,
            score: 1.0,
            source: source.to_string(),
        }
    }

    /// Appends spans produced by a component.
    pub fn add_spans(&mut self, spans: impl IntoIterator<Item = Span>) {
        self.spans.extend(spans);
    }

    /// The spans with a given label.
    pub fn spans_with(&self, label: Label) -> impl Iterator<Item = &Span> {
        self.spans.iter().filter(move |s| s.label == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_slice_back_to_their_text() {
        let text = "Ｘ 👩‍👩‍👧 e\u{0301}l 福州市公安局 in Prato 🚓.";
        let doc = Doc::new(Document::new("t", text));
        for needle in ["福州市公安局", "Prato", "👩‍👩‍👧", "e\u{0301}l", "🚓"] {
            let b = text.find(needle).unwrap();
            let span = doc.span_from_bytes(b, b + needle.len(), Label::Misc, "t");
            assert_eq!(span.text, needle);
            let via_chars: String = text.chars().skip(span.start).take(span.len()).collect();
            assert_eq!(via_chars, needle);
        }
    }

    #[test]
    fn sentence_lookup() {
        let doc = Doc::new(Document::new("t", "One here. Two 福州. 三。"));
        let s = doc.sentence_chars();
        assert_eq!(s.len(), 3);
        assert_eq!(doc.sentence_of_char(15), Some(1));
        assert_eq!(doc.slice_chars(s[2].clone()), "三。");
    }
}
