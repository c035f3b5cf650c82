//! The [`Recognizer`] trait: the seam between outpost's components.

use crate::{Doc, Span};

/// A component that finds spans in a document.
///
/// Every detector (station terms, places, bureaus, entities, addresses, dates) implements this one
/// trait, so the pipeline can compose them by name in any order, the way ripgrep composes `Matcher`
/// and `Sink`. A recognizer sees the [`Doc`] with the spans of the components that ran before it
/// (e.g. an address detector may use the tagger's `LOC` spans) and returns its own; the pipeline adds
/// them to the `Doc`.
///
/// Implementations must be cheap to share across threads (`Send + Sync`) and must not panic on any
/// input text; the pipeline still catches a panic and turns it into an error entry for that one
/// document.
///
/// ```
/// use outpost_core::{Doc, Document, Label, Recognizer, Span};
/// struct Shouting;
/// impl Recognizer for Shouting {
///     fn name(&self) -> &str { "shouting" }
///     fn recognize(&self, doc: &Doc) -> Vec<Span> {
///         doc.text().match_indices("POLICE")
///             .map(|(b, m)| doc.span_from_bytes(b, b + m.len(), Label::Misc, self.name()))
///             .collect()
///     }
/// }
/// let doc = Doc::new(Document::new("x", "¡POLICE!"));
/// let spans = Shouting.recognize(&doc);
/// assert_eq!((spans[0].start, spans[0].end), (1, 7));
/// ```
pub trait Recognizer: Send + Sync {
    /// Stable component name, written into every span's `source`.
    fn name(&self) -> &str;

    /// Finds spans in `doc`. Returns an empty vector when there is nothing to report.
    fn recognize(&self, doc: &Doc) -> Vec<Span>;
}

impl<R: Recognizer + ?Sized> Recognizer for Box<R> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        (**self).recognize(doc)
    }
}

impl<R: Recognizer + ?Sized> Recognizer for std::sync::Arc<R> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        (**self).recognize(doc)
    }
}
