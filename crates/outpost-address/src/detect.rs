//! The address detector: finds address spans in running text.

use crate::fold::fold;
use crate::{china, latin, AddressParser, ParsedAddress};
use outpost_core::{Doc, Label, Recognizer, Span};

/// An address found in text, with its parse.
#[derive(Debug, Clone)]
pub struct FoundAddress {
    /// Byte range in the text.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// Confidence in [0, 1].
    pub score: f32,
    /// The parse of the span.
    pub parse: ParsedAddress,
}

/// Finds addresses in zh/es/en text. Implements [`Recognizer`] (label `ADDRESS`, no canonical id).
#[derive(Debug, Clone)]
pub struct AddressDetector {
    parser: AddressParser,
    /// Spans scoring below this are dropped (default 0.5).
    pub threshold: f32,
}

impl AddressDetector {
    /// Wraps a parser.
    pub fn new(parser: AddressParser) -> Self {
        Self {
            parser,
            threshold: 0.5,
        }
    }

    /// The parser.
    pub fn parser(&self) -> &AddressParser {
        &self.parser
    }

    /// Finds address spans in `text` (byte offsets), in text order, non-overlapping, each scoring
    /// at least [`AddressDetector::threshold`]. Never fails; empty text gives nothing.
    pub fn find(&self, text: &str) -> Vec<FoundAddress> {
        let mut out = self.find_latin(text);
        out.extend(self.find_chinese(text));
        out.retain(|f| f.score >= self.threshold);
        out.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
        let mut kept: Vec<FoundAddress> = Vec::new();
        for f in out {
            if kept.last().map(|k| f.start < k.end).unwrap_or(false) {
                continue;
            }
            kept.push(f);
        }
        kept
    }

    fn word_kind(&self, w: &str, lower_mode: bool) -> Kind {
        let t = self.parser.tables();
        let core = w.trim_matches(|c: char| ",;()\"'“”«»*".contains(c));
        if core.is_empty() || !core.chars().any(|c| c.is_alphanumeric()) {
            return Kind::Glue;
        }
        let f = fold(core);
        let f = f.trim_end_matches(['.', ':']).to_string();
        if f.is_empty() {
            return Kind::Other;
        }
        if t.po_box.contains(&f) || f == "p.o" || f == "p.o. box" {
            return Kind::PoBox;
        }
        if latin::numberlike(&f) || f == "s/n" || f == "s/nº" || f == "one" {
            return Kind::Number;
        }
        if matches!(
            f.as_str(),
            "de" | "del" | "la" | "las" | "los" | "el" | "of" | "the" | "and" | "y"
        ) {
            return Kind::Glue;
        }
        let capital = core
            .chars()
            .next()
            .map(|c| c.is_uppercase())
            .unwrap_or(false);
        // in prose, a lower-case street word counts only when it is unambiguous ("calle",
        // "avenue"); a capitalised one unless it is a function word or a title ("For", "Sr.")
        let is_type = if capital {
            t.street_types.contains(&f) && !NOT_STREET.contains(&f.as_str())
        } else {
            PREFIX_TYPES.contains(&f.as_str()) || SUFFIX_TYPES.contains(&f.as_str())
        };
        if is_type {
            return Kind::StreetType;
        }
        if t.countries.contains_key(&f) && f.chars().count() > 3 {
            return Kind::Country;
        }
        if t.regions.contains_key(&f) && core.chars().all(|c| !c.is_lowercase()) {
            return Kind::Region;
        }
        if t.unit_types.contains(&f) || t.level_types.contains(&f) {
            return Kind::Unit;
        }
        if t.directionals.contains(&f)
            && core
                .chars()
                .next()
                .map(|c| c.is_uppercase())
                .unwrap_or(false)
        {
            return Kind::Word;
        }
        if matches!(
            f.as_str(),
            "de" | "del"
                | "la"
                | "las"
                | "los"
                | "el"
                | "of"
                | "the"
                | "and"
                | "y"
                | "di"
                | "da"
                | "du"
                | "von"
                | "van"
                | "-"
                | "&"
                | "one"
        ) {
            return Kind::Glue;
        }
        if lower_mode
            || core
                .chars()
                .next()
                .map(|c| c.is_uppercase())
                .unwrap_or(false)
        {
            return Kind::Word;
        }
        Kind::Other
    }

    fn find_latin(&self, text: &str) -> Vec<FoundAddress> {
        // words with byte offsets
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() || c == ',' || china::is_han(c) || "()（）。，、".contains(c)
            {
                if let Some(s) = start.take() {
                    words.push((s, i));
                }
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        let lower_mode = !text.chars().any(|c| c.is_uppercase());
        let mut kinds: Vec<Kind> = words
            .iter()
            .map(|&(s, e)| self.word_kind(&text[s..e], lower_mode))
            .collect();
        // a street word after a capitalised name with a house number before it ("01 Brett
        // mall", "742 FORSYTHIA DR", "1 MEGA CENTER,"), even when lower-case or listed as a
        // title / common word
        for k in 2..kinds.len() {
            if kinds[k] == Kind::StreetType || kinds[k - 1] != Kind::Word {
                continue;
            }
            let w = fold(text[words[k].0..words[k].1].trim_matches(|c: char| !c.is_alphanumeric()));
            let numbered = (k.saturating_sub(4)..k).any(|j| kinds[j] == Kind::Number);
            let comma_after = text[words[k].1..]
                .trim_start_matches(' ')
                .starts_with([',', '\n']);
            let next_is_word = kinds.get(k + 1) == Some(&Kind::Word) && !comma_after;
            if numbered && !next_is_word && self.parser.tables().street_types.contains(&w) {
                kinds[k] = Kind::StreetType;
            }
        }
        // a lower-case region abbreviation right before a postcode ("Austin Tx 78755")
        for k in 0..kinds.len().saturating_sub(1) {
            let w = fold(text[words[k].0..words[k].1].trim_matches(|c: char| !c.is_alphanumeric()));
            let next =
                text[words[k + 1].0..words[k + 1].1].trim_matches(|c: char| !c.is_alphanumeric());
            let zip = next.len() >= 5 && next.chars().take(5).all(|c| c.is_ascii_digit());
            if kinds[k] != Kind::Region
                && w.chars().count() == 2
                && self.parser.tables().regions.contains_key(&w)
                && zip
            {
                kinds[k] = Kind::Region;
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if kinds[i] == Kind::Other {
                i += 1;
                continue;
            }
            // a run of address-like words, broken at sentence ends
            let mut j = i;
            while j < words.len() && kinds[j] != Kind::Other {
                let w = &text[words[j].0..words[j].1];
                j += 1;
                let abbreviation = w.trim_end_matches(['.', ',']).chars().count() <= 4;
                if sentence_end(w)
                    && !(abbreviation
                        && matches!(kinds[j - 1], Kind::StreetType | Kind::Unit | Kind::PoBox))
                {
                    break;
                }
            }
            if let Some(f) = self.score_run(text, &words[i..j], &kinds[i..j]) {
                out.push(f);
            }
            i = j.max(i + 1);
        }
        out
    }

    fn score_run(
        &self,
        text: &str,
        words: &[(usize, usize)],
        kinds: &[Kind],
    ) -> Option<FoundAddress> {
        let has = |k: Kind| kinds.contains(&k);
        // start: the first house number followed by a word, a po box, or the first word before a
        // street type
        let first_num = (0..kinds.len()).find(|&k| {
            kinds[k] == Kind::Number
                && kinds[k + 1..]
                    .iter()
                    .find(|n| **n != Kind::Number)
                    .map(|n| {
                        matches!(
                            n,
                            Kind::Word | Kind::StreetType | Kind::Glue | Kind::Unit | Kind::Region
                        )
                    })
                    .unwrap_or(false)
        });
        let first_type = kinds.iter().position(|k| *k == Kind::StreetType);
        let first_box = kinds.iter().position(|k| *k == Kind::PoBox);
        let start = match (first_num, first_type, first_box) {
            (_, _, Some(b)) if first_num.map(|n| b < n).unwrap_or(true) => {
                let mut s = b;
                while s > 0 && matches!(kinds[s - 1], Kind::Word) && b - s < 2 {
                    s -= 1;
                }
                s
            }
            (Some(n), Some(t), _) if t < n => {
                // "Av. Corrientes 1234", "calle Von Schroeders 12"
                t
            }
            (Some(n), _, _) => n,
            (None, Some(t), _) => {
                // words right before a street type belong to the street name ("SHEPPEY WAY")
                let mut s = t;
                while s > 0 && matches!(kinds[s - 1], Kind::Word) && t - s < 3 {
                    s -= 1;
                }
                s
            }
            _ => return None,
        };
        // "Mz. 4 Lote 5", "Suite 5, 20 Main St": a unit word before the number
        let start = if start > 0 && kinds[start - 1] == Kind::Unit {
            start - 1
        } else {
            start
        };
        let end_kinds = |k: Kind| {
            matches!(
                k,
                Kind::Number
                    | Kind::Region
                    | Kind::Country
                    | Kind::Word
                    | Kind::StreetType
                    | Kind::Unit
            )
        };
        let mut end = kinds.len();
        while end > start + 1 && !end_kinds(kinds[end - 1]) {
            end -= 1;
        }
        if end <= start {
            return None;
        }
        let ks = &kinds[start..end];
        if ks.len() < 2
            || !ks
                .iter()
                .any(|k| matches!(k, Kind::Word | Kind::StreetType))
        {
            return None;
        }
        // a postcode counts next to a place name, in a span of three words or more (not a
        // lone year)
        let post = ks.len() >= 3
            && (start..end).any(|k| {
                looks_postcode(&text[words[k].0..words[k].1])
                    && !looks_year(&text[words[k].0..words[k].1])
                    && ((k > start && matches!(kinds[k - 1], Kind::Word | Kind::Region))
                        || (k + 1 < end && matches!(kinds[k + 1], Kind::Word | Kind::Region)))
            });
        let mut score: f32 = 0.2;
        let units = ks.iter().filter(|k| **k == Kind::Unit).count();
        if ks.contains(&Kind::StreetType) || units >= 2 {
            score += 0.3;
        }
        let unit_number = ks.len() >= 2 && ks[0] == Kind::Unit && ks[1] == Kind::Number;
        if ks.first() == Some(&Kind::Number) || ks.contains(&Kind::PoBox) || unit_number {
            score += 0.2;
        }
        if post {
            score += 0.2;
        }
        if ks.contains(&Kind::Region) {
            score += 0.15;
        }
        if ks.contains(&Kind::Country) {
            score += 0.05;
        }
        if ks.contains(&Kind::Unit) {
            score += 0.05;
        }
        if !ks.contains(&Kind::StreetType) && !post && !ks.contains(&Kind::PoBox) && units < 2 {
            score = score.min(0.45);
        }
        // a street type alone ("took place") needs a name next to it or a number
        let named_type = (0..ks.len()).any(|k| {
            if ks[k] != Kind::StreetType {
                return false;
            }
            let w = fold(
                text[words[start + k].0..words[start + k].1]
                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '/'),
            );
            let prefix = PREFIX_TYPES.contains(&w.as_str());
            let after = ks[k + 1..]
                .iter()
                .find(|x| **x != Kind::Glue)
                .map(|x| matches!(x, Kind::Word | Kind::Number))
                .unwrap_or(false);
            (prefix && after) || (k > 0 && ks[k - 1] == Kind::Word)
        });
        if ks.first() != Some(&Kind::Number)
            && !post
            && !ks.contains(&Kind::PoBox)
            && !named_type
            && units < 2
        {
            score = score.min(0.45);
        }
        let _ = has;
        let (b0, b1) = (words[start].0, words[end - 1].1);
        let b1 = b0
            + text[b0..b1]
                .trim_end_matches(|c: char| {
                    ",;.:)\"'”»".contains(c) && !text[b0..b1].ends_with("St.")
                })
                .len();
        Some(FoundAddress {
            start: b0,
            end: b1,
            score: score.min(1.0),
            parse: self.parser.parse(&text[b0..b1]),
        })
    }

    fn find_chinese(&self, text: &str) -> Vec<FoundAddress> {
        let g = self.parser.china();
        let mut out = Vec::new();
        let mut pos = 0usize;
        while pos < text.len() {
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            if !china::is_han(c) {
                pos += c.len_utf8();
                continue;
            }
            // administrative prefix
            let mut p = pos;
            let mut last = None;
            let mut levels = 0;
            while let Some((idx, len, _)) = g.match_at(text, p, last) {
                last = Some(idx);
                levels += 1;
                p += len;
            }
            // detail: up to 30 characters of Han / digits / letters, ending at a number suffix
            let detail_start = p;
            let mut q = p;
            let mut best_end = None;
            let mut road = false;
            let mut n = 0;
            let mut prev_digit = false;
            for (i, ch) in text[p..].char_indices() {
                if n >= 30
                    || "的在于和与及是为位，。".contains(ch)
                    || !(china::is_han(ch)
                        || ch.is_ascii_alphanumeric()
                        || "-－#之".contains(ch)
                        || ('０'..='９').contains(&ch))
                {
                    break;
                }
                n += 1;
                q = p + i + ch.len_utf8();
                if "路街道巷弄".contains(ch) && n >= 2 && (levels > 0 || n <= 12) {
                    road = true;
                    if best_end.is_none() {
                        best_end = Some(q);
                    }
                }
                if prev_digit && "号號室楼樓层層栋幢座弄".contains(ch) {
                    best_end = Some(q);
                }
                prev_digit = ch.is_ascii_digit()
                    || ('０'..='９').contains(&ch)
                    || "一二三四五六七八九十".contains(ch);
            }
            let _ = q;
            let end = best_end.unwrap_or(detail_start);
            let number = text[detail_start..end]
                .chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
            let mut score: f32 = 0.15 * levels.min(3) as f32;
            if road {
                score += 0.25;
            }
            if number {
                score += 0.3;
            }
            if levels == 0 && !(road && number) {
                score = 0.0;
            }
            if end > pos && score > 0.0 {
                out.push(FoundAddress {
                    start: pos,
                    end,
                    score: score.min(1.0),
                    parse: self.parser.parse(&text[pos..end]),
                });
                pos = end;
            } else {
                pos += c.len_utf8();
            }
        }
        out
    }
}

/// Street words that come before the name ("calle Von Schroeders", "Avenida Rivadavia").
const PREFIX_TYPES: &[&str] = &[
    "calle",
    "avenida",
    "avda",
    "av",
    "carrera",
    "cra",
    "kr",
    "jiron",
    "jr",
    "pasaje",
    "psje",
    "paseo",
    "calzada",
    "camino",
    "carretera",
    "diagonal",
    "transversal",
    "ronda",
    "rambla",
    "travesia",
    "boulevard",
    "bulevar",
    "blvd",
    "rua",
    "via",
    "viale",
    "rue",
    "avenue",
    "plaza",
    "c/",
    "cl",
    "cll",
];
/// Street words that come after the name ("Capel Street", "Royal Crest Court").
const SUFFIX_TYPES: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "drive",
    "dr",
    "boulevard",
    "blvd",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "broadway",
];
/// Capitalised words that the dictionaries list as street types but that open sentences or
/// name people in news text.
const NOT_STREET: &[&str] = &[
    "for", "all", "part", "end", "con", "pro", "se", "sr", "sra", "srta", "mr", "mrs", "ms", "dr",
    "h.e", "en", "in", "on", "at", "by", "to", "de", "da", "do", "la", "le", "el", "a", "an", "as",
    "is", "it", "no", "so", "un", "una", "uno", "al", "o", "u", "e", "i", "cuenta", "local", "rio",
    "commons", "center", "centre", "network", "common", "follow", "released",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    StreetType,
    Unit,
    PoBox,
    Region,
    Country,
    Word,
    Glue,
    Other,
}

fn sentence_end(w: &str) -> bool {
    let core = w.trim_end_matches(['"', '\'', '”', ')']);
    (core.ends_with('.') || core.ends_with('!') || core.ends_with('?'))
        && core.chars().filter(|c| c.is_alphabetic()).count() > 3
}

fn looks_year(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.len() == 4
        && (w.starts_with("19") || w.starts_with("20"))
        && w.chars().all(|c| c.is_ascii_digit())
}

fn looks_postcode(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    let digits = w.chars().filter(|c| c.is_ascii_digit()).count();
    let n = w.chars().count();
    (digits == n && (4..=6).contains(&n))
        || (n == 10 && digits == 9)
        || ((2..=4).contains(&n)
            && digits >= 1
            && w.chars()
                .next()
                .map(|c| c.is_ascii_uppercase())
                .unwrap_or(false)
            && w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
}

impl Recognizer for AddressDetector {
    fn name(&self) -> &str {
        "address"
    }

    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        self.find(doc.text())
            .into_iter()
            .map(|f| {
                doc.span_from_bytes(f.start, f.end, Label::Address, "address")
                    .with_score(f.score)
            })
            .collect()
    }
}

/// Detection figures on pyap-style cases.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DetectReport {
    /// Cases that contain an address.
    pub positives: usize,
    /// Of those, cases where a found span covers the address.
    pub found: usize,
    /// found / positives.
    pub recall: f64,
    /// Cases without an address.
    pub negatives: usize,
    /// Of those, cases where something was found anyway.
    pub false_alarms: usize,
    /// Each positive case: the input, the found span and its parse.
    pub parses: Vec<serde_json::Value>,
}

/// Scores the detector on pyap.jsonl: positives are `is_full_address: true` records (the whole
/// string is the address; found = a span covering at least 80% of its non-space characters),
/// `extract ...` records with an `expected_match` or `expected` object (found = a span covering
/// the match / containing the expected house number and road). Errors: unreadable file or a
/// malformed line.
pub fn evaluate_pyap(
    det: &AddressDetector,
    path: &std::path::Path,
) -> Result<DetectReport, crate::AddressError> {
    let text = crate::tables::read(path)?;
    let mut rep = DetectReport::default();
    for (ln, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| crate::AddressError::Format {
                path: path.display().to_string(),
                line: ln + 1,
                message: format!("invalid JSON: {e}"),
            })?;
        let input = v.get("input").and_then(|x| x.as_str()).unwrap_or("");
        let found = det.find(input);
        let target: Option<String> =
            if let Some(b) = v.get("is_full_address").and_then(|x| x.as_bool()) {
                b.then(|| input.to_string())
            } else if let Some(m) = v.get("expected_match").and_then(|x| x.as_str()) {
                Some(m.to_string())
            } else if let Some(e) = v.get("expected").and_then(|x| x.as_object()) {
                let hn = e.get("house_number").and_then(|x| x.as_str()).unwrap_or("");
                let road = e.get("road").and_then(|x| x.as_str()).unwrap_or("");
                Some(format!("{hn} {road}"))
            } else {
                None
            };
        match target {
            None => {
                rep.negatives += 1;
                if !found.is_empty() {
                    rep.false_alarms += 1;
                }
            }
            Some(t) => {
                rep.positives += 1;
                let best = found.iter().max_by_key(|f| coverage(input, f, &t));
                let ok = best.map(|f| coverage(input, f, &t) >= 80).unwrap_or(false);
                if ok {
                    rep.found += 1;
                }
                rep.parses.push(serde_json::json!({
                    "input": input,
                    "found": ok,
                    "span": best.map(|f| &input[f.start..f.end]),
                    "score": best.map(|f| f.score),
                    "components": best.map(|f| f.parse.components.clone()),
                }));
            }
        }
    }
    rep.recall = if rep.positives > 0 {
        (rep.found as f64 / rep.positives as f64 * 10000.0).round() / 10000.0
    } else {
        0.0
    };
    Ok(rep)
}

/// Percent of the target's non-space characters inside the found span (the target is located in
/// the input by its first occurrence; when it is not a substring, its words are looked up).
fn coverage(input: &str, f: &FoundAddress, target: &str) -> usize {
    let span = &input[f.start..f.end];
    let words: Vec<&str> = target.split_whitespace().collect();
    if words.is_empty() {
        return 0;
    }
    let total: usize = words.iter().map(|w| w.len()).sum();
    if let Some(p) = input.find(target) {
        let (a, b) = (p, p + target.len());
        let lo = a.max(f.start);
        let hi = b.min(f.end);
        if hi <= lo {
            return 0;
        }
        let inside: usize = input[lo..hi]
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.len_utf8())
            .sum();
        return inside * 100 / total.max(1);
    }
    let inside: usize = words
        .iter()
        .filter(|w| span.contains(**w))
        .map(|w| w.len())
        .sum();
    inside * 100 / total.max(1)
}
