//! Date expressions in zh/es/en, normalised to ISO 8601 at the precision stated, with relative
//! expressions ("earlier this year", "el año pasado", 今年初) resolved against the article date.
//!
//! [`DateRecognizer`] produces `DATE` spans whose canonical id is the ISO value (`2022`, `2022-02`,
//! `2022-02-14`). A relative expression in an article without a date is not reported.

use outpost_core::{Doc, Label, Recognizer, Span};
use regex::Regex;

const EN_MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const ES_MONTHS: &[&str] = &[
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    if w == "setiembre" {
        return Some(9);
    }
    for (i, m) in EN_MONTHS.iter().enumerate() {
        if w == *m || (w.len() >= 3 && m.starts_with(w) && w != "mar" || w == "mar" && i == 2) {
            return Some(i as u32 + 1);
        }
    }
    ES_MONTHS
        .iter()
        .position(|m| w == *m || (w.len() >= 3 && m.starts_with(w)))
        .map(|i| i as u32 + 1)
}

/// Recognises date expressions; see the module documentation.
pub struct DateRecognizer {
    patterns: Vec<(Regex, Kind)>,
}

#[derive(Clone, Copy)]
enum Kind {
    /// groups: day?, month word, year
    DayMonthYearEn,
    MonthDayYearEn,
    DayMonthYearEs,
    MonthYear,
    Zh,
    Iso,
    YearOnly,
    RelativeThisYear,
    RelativeLastYear,
}

impl Default for DateRecognizer {
    fn default() -> Self {
        Self::new()
    }
}

impl DateRecognizer {
    /// Builds the recognizer (compiles its patterns).
    pub fn new() -> Self {
        let month_en = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
        let month_es = r"(?i:(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre))";
        let p = |s: &str| Regex::new(s).ok();
        let list = [
            (
                p(&format!(r"\b(\d{{1,2}}) {month_en},? ((?:19|20)\d\d)\b")),
                Kind::DayMonthYearEn,
            ),
            (
                p(&format!(r"\b{month_en} (\d{{1,2}}),? ((?:19|20)\d\d)\b")),
                Kind::MonthDayYearEn,
            ),
            (
                p(&format!(
                    r"\b(\d{{1,2}}) de {month_es}(?: de(?:l)?)? ((?:19|20)\d\d)\b"
                )),
                Kind::DayMonthYearEs,
            ),
            (
                p(&format!(
                    r"\b(?:{month_en}|{month_es})(?: de(?:l)?)?,? ((?:19|20)\d\d)\b"
                )),
                Kind::MonthYear,
            ),
            (
                p(r"((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?"),
                Kind::Zh,
            ),
            (
                p(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?\b"),
                Kind::Iso,
            ),
            (
                p(r"(?i)\b(?:in|since|by|en|desde|durante|de) ((?:19|20)\d\d)\b"),
                Kind::YearOnly,
            ),
            (
                p(
                    r"(?i)\b(?:earlier|early|later|late) this year\b|\bthis year\b|\b(?:a )?principios de (?:este|ese) año\b|\beste año\b|今年(?:初|年初|以来)?",
                ),
                Kind::RelativeThisYear,
            ),
            (
                p(r"(?i)\blast year\b|\bel año pasado\b|\bel pasado año\b|去年"),
                Kind::RelativeLastYear,
            ),
        ];
        Self {
            patterns: list
                .into_iter()
                .filter_map(|(r, k)| r.map(|r| (r, k)))
                .collect(),
        }
    }

    /// Finds date expressions in `text`; `article_date` (ISO, any precision) resolves relative
    /// ones. Returns (byte range, ISO value) pairs, non-overlapping, in text order.
    pub fn find(
        &self,
        text: &str,
        article_date: Option<&str>,
    ) -> Vec<(std::ops::Range<usize>, String)> {
        let year: Option<i32> = article_date
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        let mut found: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (re, kind) in &self.patterns {
            for c in re.captures_iter(text) {
                let Some(m) = c.get(0) else { continue };
                if found
                    .iter()
                    .any(|(r, _)| r.start < m.end() && m.start() < r.end)
                {
                    continue;
                }
                let g = |i: usize| c.get(i).map(|m| m.as_str());
                let value = match kind {
                    Kind::DayMonthYearEn | Kind::DayMonthYearEs => {
                        match (
                            g(1).and_then(|d| d.parse::<u32>().ok()),
                            g(2).and_then(month_of),
                            g(3),
                        ) {
                            (Some(d), Some(mo), Some(y)) if (1..=31).contains(&d) => {
                                Some(format!("{y}-{mo:02}-{d:02}"))
                            }
                            _ => None,
                        }
                    }
                    Kind::MonthDayYearEn => {
                        match (
                            g(1).and_then(month_of),
                            g(2).and_then(|d| d.parse::<u32>().ok()),
                            g(3),
                        ) {
                            (Some(mo), Some(d), Some(y)) if (1..=31).contains(&d) => {
                                Some(format!("{y}-{mo:02}-{d:02}"))
                            }
                            _ => None,
                        }
                    }
                    Kind::MonthYear => {
                        let mo = g(1).or(g(2)).and_then(month_of);
                        match (mo, g(3)) {
                            (Some(mo), Some(y)) => Some(format!("{y}-{mo:02}")),
                            _ => None,
                        }
                    }
                    Kind::Zh => {
                        let y = g(1).unwrap_or_default();
                        match (
                            g(2).and_then(|m| m.parse::<u32>().ok()),
                            g(3).and_then(|d| d.parse::<u32>().ok()),
                        ) {
                            (Some(mo), Some(d))
                                if (1..=12).contains(&mo) && (1..=31).contains(&d) =>
                            {
                                Some(format!("{y}-{mo:02}-{d:02}"))
                            }
                            (Some(mo), None) if (1..=12).contains(&mo) => {
                                Some(format!("{y}-{mo:02}"))
                            }
                            _ => Some(y.to_string()),
                        }
                    }
                    Kind::Iso => match (g(1), g(2), g(3)) {
                        (Some(y), Some(m), Some(d)) => Some(format!("{y}-{m}-{d}")),
                        (Some(y), Some(m), None) => Some(format!("{y}-{m}")),
                        _ => None,
                    },
                    Kind::YearOnly => g(1).map(str::to_string),
                    Kind::RelativeThisYear => year.map(|y| y.to_string()),
                    Kind::RelativeLastYear => year.map(|y| (y - 1).to_string()),
                };
                if let Some(v) = value {
                    found.push((m.start()..m.end(), v));
                }
            }
        }
        found.sort_by_key(|(r, _)| r.start);
        found
    }
}

/// Cue words that say what a date is about: (cue, lower case; kind). Kinds: `opened`, `closed`.
const KIND_CUES: &[(&str, &str)] = &[
    ("opened", "opened"),
    ("open ", "opened"),
    ("set up", "opened"),
    ("established", "opened"),
    ("launched", "opened"),
    ("inaugurat", "opened"),
    ("founded", "opened"),
    ("began operat", "opened"),
    ("started operat", "opened"),
    ("abrió", "opened"),
    ("abierta", "opened"),
    ("abierto", "opened"),
    ("inaugur", "opened"),
    ("estableci", "opened"),
    ("instalad", "opened"),
    ("instaló", "opened"),
    ("fundad", "opened"),
    ("creada", "opened"),
    ("creado", "opened"),
    ("puso en marcha", "opened"),
    ("成立", "opened"),
    ("揭牌", "opened"),
    ("设立", "opened"),
    ("設立", "opened"),
    ("开设", "opened"),
    ("開設", "opened"),
    ("开业", "opened"),
    ("開業", "opened"),
    ("启用", "opened"),
    ("啟用", "opened"),
    ("挂牌", "opened"),
    ("掛牌", "opened"),
    ("建立", "opened"),
    ("closed", "closed"),
    ("close ", "closed"),
    ("shut", "closed"),
    ("ceased", "closed"),
    ("cerró", "closed"),
    ("cerrad", "closed"),
    ("cierre", "closed"),
    ("clausur", "closed"),
    ("关闭", "closed"),
    ("關閉", "closed"),
    ("关停", "closed"),
    ("關停", "closed"),
    ("停止运作", "closed"),
    ("停止運作", "closed"),
    ("撤销", "closed"),
    ("撤銷", "closed"),
];

/// The kind of a date from the words of its clause: `opened` (成立, 揭牌, 设立, opened, set up,
/// inaugurada, abrió …) or `closed` (关闭, closed, shut, cerrada …), whichever cue is nearest to the
/// date within `before` (the text before the date, same sentence) and `after` (the text after it);
/// the clause ends at `;`, `；`, `。`, `.` followed by a space, and at 40 characters. `event` when
/// no cue is found.
pub fn date_kind(before: &str, after: &str) -> &'static str {
    let stop = |c: char| matches!(c, ';' | '；' | '。' | '\n');
    let b: String = {
        let rev: Vec<char> = before
            .chars()
            .rev()
            .take_while(|c| !stop(*c))
            .take(40)
            .collect();
        rev.into_iter().rev().collect::<String>().to_lowercase()
    };
    let a: String = after
        .chars()
        .take_while(|c| !stop(*c))
        .take(40)
        .collect::<String>()
        .to_lowercase();
    let mut best: Option<(usize, &'static str)> = None;
    for (cue, kind) in KIND_CUES {
        if let Some(p) = b.rfind(cue) {
            let d = b.len() - p - cue.len();
            if best.map(|(bd, _)| d < bd).unwrap_or(true) {
                best = Some((d, kind));
            }
        }
        if let Some(p) = a.find(cue) {
            if best.map(|(bd, _)| p < bd).unwrap_or(true) {
                best = Some((p, kind));
            }
        }
    }
    best.map(|(_, k)| k).unwrap_or("event")
}

impl Recognizer for DateRecognizer {
    fn name(&self) -> &str {
        "dates"
    }

    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        self.find(doc.text(), doc.document.date.as_deref())
            .into_iter()
            .map(|(r, v)| {
                doc.span_from_bytes(r.start, r.end, Label::Date, "dates")
                    .with_canonical(v)
                    .with_score(0.9)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, date: Option<&str>) -> Vec<String> {
        DateRecognizer::new()
            .find(text, date)
            .into_iter()
            .map(|(_, v)| v)
            .collect()
    }

    #[test]
    fn absolute_dates_in_three_languages() {
        assert_eq!(
            values(
                "It opened in February 2022 and closed on October 27, 2022.",
                None
            ),
            vec!["2022-02", "2022-10-27"]
        );
        assert_eq!(
            values("Abrió el 3 de marzo de 2022, cerró en mayo de 2023.", None),
            vec!["2022-03-03", "2023-05"]
        );
        assert_eq!(
            values("该站于2022年3月设立,2022年10月27日关闭。", None),
            vec!["2022-03", "2022-10-27"]
        );
        assert_eq!(
            values("Since 2018 the bureau has expanded.", None),
            vec!["2018"]
        );
    }

    #[test]
    fn kinds_from_cue_words() {
        assert_eq!(date_kind("The station ", " opened in Dublin"), "opened");
        assert_eq!(date_kind("It opened in ", ""), "opened");
        assert_eq!(date_kind("and it was closed on ", "."), "closed");
        assert_eq!(date_kind("该站于", "揭牌成立"), "opened");
        assert_eq!(date_kind("", "關閉"), "closed");
        assert_eq!(date_kind("fue inaugurada en ", ""), "opened");
        assert_eq!(date_kind("la comisaría fue cerrada en ", ""), "closed");
        assert_eq!(
            date_kind("Police said on ", " that they investigate"),
            "event"
        );
        // A cue in another clause does not apply.
        assert_eq!(
            date_kind("It opened in 2019; in ", " a report appeared"),
            "event"
        );
    }

    #[test]
    fn relative_dates_resolve_against_the_article_date() {
        assert_eq!(
            values("The station opened earlier this year.", Some("2022-10-27")),
            vec!["2022"]
        );
        assert_eq!(
            values("Abrió el año pasado.", Some("2023-01")),
            vec!["2022"]
        );
        assert_eq!(values("今年初设立。", Some("2022-04-08")), vec!["2022"]);
        assert!(values("It opened earlier this year.", None).is_empty());
    }
}
