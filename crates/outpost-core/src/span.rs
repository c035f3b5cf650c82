//! [`Span`] and [`Label`]: what every recognizer produces.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of thing a [`Span`] covers.
///
/// Entity labels (`Per`, `Org`, `Loc`, `Gov`, `Address`) are the tagger's common set; the others are
/// produced by the matchers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Label {
    /// A person.
    Per,
    /// An organisation (association, company, chamber of commerce, NGO).
    Org,
    /// A place that is not resolved further (region, landmark).
    Loc,
    /// A government body (public security bureau, ministry, embassy).
    Gov,
    /// A postal address or part of one.
    Address,
    /// A country, canonical id = ISO 3166-1 alpha-2.
    Country,
    /// A city, canonical id = GeoNames id (or Chinese adcode).
    City,
    /// A Chinese public security bureau, canonical id = bureau key.
    Bureau,
    /// A term naming an overseas police service station.
    StationTerm,
    /// A look-alike of a station term that is not a station (joint patrol, liaison officer, hotline).
    LookAlike,
    /// A date or time expression.
    Date,
    /// Anything else a component wants to mark.
    Misc,
}

impl Label {
    /// The label's wire name, e.g. `"STATION_TERM"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Org => "ORG",
            Label::Loc => "LOC",
            Label::Gov => "GOV",
            Label::Address => "ADDRESS",
            Label::Country => "COUNTRY",
            Label::City => "CITY",
            Label::Bureau => "BUREAU",
            Label::StationTerm => "STATION_TERM",
            Label::LookAlike => "LOOK_ALIKE",
            Label::Date => "DATE",
            Label::Misc => "MISC",
        }
    }

    /// Parses a wire name (case-insensitive); `None` for an unknown name.
    pub fn parse(name: &str) -> Option<Label> {
        let all = [
            Label::Per,
            Label::Org,
            Label::Loc,
            Label::Gov,
            Label::Address,
            Label::Country,
            Label::City,
            Label::Bureau,
            Label::StationTerm,
            Label::LookAlike,
            Label::Date,
            Label::Misc,
        ];
        all.into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A labelled stretch of a document's text.
///
/// `start` and `end` are **Unicode code-point offsets** into the document text (end exclusive), so
/// `text.chars().skip(start).take(end - start)` equals [`Span::text`]. Spans are created through
/// [`crate::Doc::span_from_bytes`] or [`crate::Doc::span_from_chars`], which fill `text` from the
/// document, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    /// First code point (inclusive).
    pub start: usize,
    /// Last code point (exclusive).
    pub end: usize,
    /// The covered text, exactly as in the document.
    pub text: String,
    /// What the span is.
    pub label: Label,
    /// Canonical id where one exists (ISO country code, GeoNames id, bureau key, station-term key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// Confidence in [0, 1].
    pub score: f32,
    /// Name of the component that produced the span.
    pub source: String,
}

impl Span {
    /// Sets the canonical id (builder style).
    pub fn with_canonical(mut self, id: impl Into<String>) -> Self {
        self.canonical = Some(id.into());
        self
    }

    /// Sets the score, clamped to [0, 1] (NaN becomes 0).
    pub fn with_score(mut self, score: f32) -> Self {
        self.score = if score.is_nan() {
            0.0
        } else {
            score.clamp(0.0, 1.0)
        };
        self
    }

    /// True when the two spans share at least one code point.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Number of code points covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}
