//! The Latin-script (and Cyrillic, Greek, ...) address parser: comma segments, number shapes,
//! libpostal's alias dictionaries, region names, postcode shapes and GeoNames city names.

use crate::fold::fold;
use crate::tables::Tables;
use crate::ParsedAddress;

/// One whitespace-separated token.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// Byte range in the input.
    pub s: usize,
    pub e: usize,
    /// Folded text, trailing `.` and `:` removed.
    pub f: String,
    /// Comma segment index.
    pub seg: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum L {
    House,
    HouseNumber,
    Road,
    Unit,
    Level,
    PoBox,
    Postcode,
    Suburb,
    City,
    StateDistrict,
    State,
    Country,
}

impl L {
    fn name(self) -> &'static str {
        match self {
            L::House => "house",
            L::HouseNumber => "house_number",
            L::Road => "road",
            L::Unit => "unit",
            L::Level => "level",
            L::PoBox => "po_box",
            L::Postcode => "postcode",
            L::Suburb => "suburb",
            L::City => "city",
            L::StateDistrict => "state_district",
            L::State => "state",
            L::Country => "country",
        }
    }
}

/// Splits `input` into tokens and comma segments. Segment separators: `,` `;` newline, and a
/// lone `-` or `–` that is not between two numbers.
pub(crate) fn tokenize(input: &str) -> Vec<Tok> {
    let mut raw: Vec<(usize, usize, bool)> = Vec::new(); // (s, e, separator-after)
    let mut start: Option<usize> = None;
    for (i, c) in input.char_indices() {
        let sep = matches!(c, ',' | ';' | '\n' | '\r' | '|');
        if c.is_whitespace() || sep {
            if let Some(s) = start.take() {
                raw.push((s, i, false));
            }
            if sep {
                if let Some(last) = raw.last_mut() {
                    last.2 = true;
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        raw.push((s, input.len(), false));
    }
    // merge "3 - 02" into one token; a lone dash elsewhere separates segments
    let mut toks: Vec<Tok> = Vec::new();
    let mut seg = 0usize;
    let mut pending_sep = false;
    let mut i = 0;
    while i < raw.len() {
        let (s, e, sep_after) = raw[i];
        let text = &input[s..e];
        // a lone dash separates "Elm Road NE - Warren" (before any comma); after a comma it
        // belongs to a name ("labastida - bastida")
        if (text == "-" || text == "–") && !pending_sep && seg == 0 {
            let prev_num = toks.last().map(|t| is_digits(&t.f)).unwrap_or(false);
            let next_num = raw
                .get(i + 1)
                .map(|&(s2, e2, _)| is_digits(&input[s2..e2]))
                .unwrap_or(false);
            if prev_num && next_num {
                if let (Some(last), Some(&(_, e2, sep2))) = (toks.last_mut(), raw.get(i + 1)) {
                    last.e = e2;
                    last.f = key(&input[last.s..e2]);
                    i += 2;
                    pending_sep = sep2;
                    continue;
                }
            }
            pending_sep = true;
            i += 1;
            continue;
        }
        if pending_sep && !toks.is_empty() {
            seg += 1;
        }
        pending_sep = sep_after;
        toks.push(Tok {
            s,
            e,
            f: key(text),
            seg,
        });
        i += 1;
    }
    toks
}

/// Folded look-up key of a token: folded, trailing `.`/`:` removed.
fn key(s: &str) -> String {
    let f = fold(s);
    let t = f.trim_end_matches(['.', ':']);
    if t.is_empty() {
        f
    } else {
        t.to_string()
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// A house-number-like token: has a digit, only letters/digits/`-/.#`, at most 3 letters.
pub(crate) fn numberlike(s: &str) -> bool {
    let s = s.trim_start_matches('#');
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    digits > 0
        && letters <= 3
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.' | ' ' | '#'))
}

/// An ordinal like `32nd`, `3e`, `2da`, `1º`, `2031.`.
fn ordinal(s: &str) -> bool {
    let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if d.is_empty() {
        return false;
    }
    let rest = &s[d.len()..];
    matches!(
        rest,
        "st" | "nd"
            | "rd"
            | "th"
            | "e"
            | "er"
            | "re"
            | "eme"
            | "da"
            | "do"
            | "ra"
            | "ro"
            | "a"
            | "o"
            | "º"
            | "ª"
            | "°"
            | "te"
            | "ste"
            | "de"
            | "ème"
            | "."
    )
}

/// An ordinal whose suffix cannot be a house-number letter (`32nd`, `2da`, `2031.`; not `17a`).
fn ordinal_strict(s: &str) -> bool {
    ordinal(s) && !matches!(s.chars().last(), Some('a' | 'o' | 'e'))
        || s.ends_with("da")
        || s.ends_with("do")
}

/// The shape of a one-token postcode.
fn postcode1(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    let dig = |r: std::ops::Range<usize>| b[r].iter().all(|c| c.is_ascii_digit());
    let alp = |r: std::ops::Range<usize>| b[r].iter().all(|c| c.is_ascii_lowercase());
    (3..=9).contains(&n) && dig(0..n)
        || (n == 10 && dig(0..5) && b[5] == b'-' && dig(6..10))
        || (n == 6 && dig(0..4) && alp(4..6))
        || (n == 8 && alp(0..1) && dig(1..5) && alp(5..8))
        || (n == 6 && dig(0..2) && b[2] == b'-' && dig(3..6))
        || (n == 8 && dig(0..4) && b[4] == b'-' && dig(5..8))
        || (n == 9 && dig(0..5) && b[5] == b'-' && dig(6..9))
        || (n == 8 && dig(0..3) && b[3] == b'-' && dig(4..8))
        || (n == 6 && alp(0..1) && dig(1..2) && alp(2..3) && dig(3..4) && alp(4..5) && dig(5..6))
        || (n == 5 && alp(0..1) && dig(1..5))
}

/// First half of a two-token postcode (GB outward code, CA FSA, IE routing key, ...) and its
/// second half.
fn postcode2(a: &str, b: &str) -> bool {
    let ab = a.as_bytes();
    let bb = b.as_bytes();
    let gb_out = (2..=4).contains(&ab.len())
        && ab[0].is_ascii_lowercase()
        && ab.iter().any(|c| c.is_ascii_digit())
        && ab.iter().all(|c| c.is_ascii_alphanumeric())
        && ab[1..].iter().take(2).any(|c| c.is_ascii_digit());
    let gb_in = bb.len() == 3
        && bb[0].is_ascii_digit()
        && bb[1].is_ascii_lowercase()
        && bb[2].is_ascii_lowercase();
    let ca_in = bb.len() == 3
        && bb[0].is_ascii_digit()
        && bb[1].is_ascii_lowercase()
        && bb[2].is_ascii_digit();
    let ie_in = bb.len() == 4
        && bb.iter().all(|c| c.is_ascii_alphanumeric())
        && bb.iter().any(|c| c.is_ascii_digit())
        && bb.iter().any(|c| c.is_ascii_lowercase());
    let num_pair = ab.len() == 3
        && bb.len() == 2
        && ab.iter().all(|c| c.is_ascii_digit())
        && bb.iter().all(|c| c.is_ascii_digit());
    (gb_out && (gb_in || ca_in || (ab.len() == 3 && ie_in))) || num_pair
}

/// Endings of one-word street names in German, Dutch, Nordic and Central European languages.
const COMPOUND_STREET: &[&str] = &[
    "strasse", "straße", "str.", "weg", "allee", "platz", "gasse", "damm", "chaussee", "ufer",
    "straat", "laan", "plein", "gracht", "kade", "singel", "dreef", "steeg", "vej", "gade",
    "gatan", "vagen", "vägen", "veien", "gata", "utca", "ulica", "ulice", "gränd", "torget",
];

const STOP_TAIL: &[&str] = &[
    "de", "del", "la", "el", "los", "las", "am", "an", "der", "di", "da", "do", "dos", "das", "le",
    "les", "upon", "on", "by", "sur", "in", "im", "bei", "y", "and", "&", "of", "the", "van",
    "von", "aan", "op", "ter", "a", "en", "st", "saint", "san", "santa", "sao", "new", "north",
    "south", "east", "west", "upper", "lower", "great", "little", "fort", "port", "mount", "lake",
    "bad", "neu", "alt", "gross", "klein", "nieuw", "nowa", "nowy", "stary", "stara", "nove",
    "novy", "stare", "novo", "nova", "sankt", "ciudad", "villa", "puerto", "general", "la", "le",
    "mc", "royal", "old", "ste", "st.", "sainte", "santo", "bahia", "cabo", "isla",
];

struct Parser<'a> {
    t: &'a Tables,
    input: &'a str,
    toks: Vec<Tok>,
    lab: Vec<Option<L>>,
    cc: Option<String>,
}

/// Parses a Latin-script address. Never fails; unrecognised parts are left out.
pub fn parse(t: &Tables, input: &str) -> ParsedAddress {
    let toks = tokenize(input);
    let n = toks.len();
    let mut p = Parser {
        t,
        input,
        toks,
        lab: vec![None; n],
        cc: None,
    };
    if n == 0 {
        return ParsedAddress::default();
    }
    p.run();
    p.finish()
}

impl<'a> Parser<'a> {
    fn nseg(&self) -> usize {
        self.toks.last().map(|t| t.seg + 1).unwrap_or(0)
    }

    fn seg_range(&self, seg: usize) -> std::ops::Range<usize> {
        let s = self.toks.iter().position(|t| t.seg == seg).unwrap_or(0);
        let e = self
            .toks
            .iter()
            .rposition(|t| t.seg == seg)
            .map(|i| i + 1)
            .unwrap_or(s);
        s..e
    }

    fn phrase(&self, r: std::ops::Range<usize>) -> String {
        self.toks[r]
            .iter()
            .map(|t| t.f.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn set(&mut self, r: std::ops::Range<usize>, l: L) {
        for i in r {
            self.lab[i] = Some(l);
        }
    }

    fn is_street_type(&self, f: &str) -> bool {
        self.t.street_types.contains(f) || self.t.street_types.contains(f.trim_end_matches('.'))
    }

    /// A street type or a compound street name ("dorfstraße", "rembrandtplein", "tiendeweg").
    fn is_streetish(&self, f: &str) -> bool {
        self.is_street_type(f)
            || (f.chars().count() >= 6 && COMPOUND_STREET.iter().any(|suf| f.ends_with(suf)))
    }

    fn run(&mut self) {
        self.country();
        self.split_trailing_zip();
        self.split_trailing_city();
        let street = match self.street_segment() {
            Some(s) => s,
            None => {
                // no street at all ("Springdale, AR 72762"): an empty segment 0 stands for it
                for t in &mut self.toks {
                    t.seg += 1;
                }
                0
            }
        };
        // segments before the street segment: unit / level / po box, else house (venue)
        for seg in 0..street {
            let r = self.seg_range(seg);
            // "Kolín, Pražská 3": a known city before the street
            if !r.is_empty() && self.t.is_city(&self.phrase(r.clone())) {
                self.set(r, L::City);
                continue;
            }
            if !self.markers(r.clone()) {
                for i in r {
                    if self.lab[i].is_none() {
                        self.lab[i] = Some(L::House);
                    }
                }
            }
        }
        // "21, Kingswood Road": a bare number right before the street segment
        if street > 0 {
            let r = self.seg_range(street - 1);
            if r.len() == 1 && self.is_hn(&self.toks[r.start].f) {
                let rs = self.seg_range(street);
                if !self.is_hn(&self.toks[rs.start].f) {
                    self.lab[r.start] = Some(L::HouseNumber);
                }
            }
        }
        self.street(street);
        for seg in street + 1..self.nseg() {
            let r = self.seg_range(seg);
            if self.lab[r.start].is_none() {
                if let Some((l, w)) = self.marker_at(r.start) {
                    let e = (r.start + w).min(r.end);
                    self.set(r.start..e, l);
                }
            }
        }
        self.postcodes(street);
        self.states(street);
        self.localities(street);
    }

    /// Country at the end: a whole trailing phrase naming a country, or a trailing ISO code.
    fn country(&mut self) {
        let n = self.toks.len();
        let last_seg = self.toks[n - 1].seg;
        for w in (1..=self.t.max_words.min(5)).rev() {
            if w > n {
                continue;
            }
            let r = n - w..n;
            if self.toks[r.start].seg != last_seg {
                continue;
            }
            let ph = self.phrase(r.clone());
            let Some(cc) = self.t.countries.get(&ph) else {
                continue;
            };
            let whole_seg = r.start == 0 || self.toks[r.start - 1].seg != last_seg;
            if w == 1 && ph.chars().count() <= 3 {
                // a bare code: "de", "us", "cl"; clash with a US/CA/AU region abbreviation?
                let region_clash = self.t.regions.contains_key(&ph);
                let after_postcode = r.start > 0 && postcode1(&self.toks[r.start - 1].f);

                let first_seg_bare = last_seg == 0 && !self.postcode_before_in_seg(r.start);
                let orig = &self.input[self.toks[r.start].s..self.toks[r.start].e];
                let upper_state = region_clash
                    && whole_seg
                    && !orig.chars().any(|c| c.is_lowercase())
                    && !(0..r.start).any(|i| postcode1(&self.toks[i].f) && self.toks[i].seg > 0);
                if upper_state {
                    continue;
                }
                if (n == 1 || first_seg_bare || (region_clash && !whole_seg && !after_postcode))
                    && !(region_clash && r.start > 0 && self.postcode_before_in_seg(r.start))
                {
                    continue;
                }
            }
            self.set(r, L::Country);
            self.cc = Some(cc.clone());
            return;
        }
    }

    fn postcode_before_in_seg(&self, i: usize) -> bool {
        let seg = self.toks[i].seg;
        (0..i)
            .rev()
            .take_while(|&j| self.toks[j].seg == seg)
            .any(|j| postcode1(&self.toks[j].f) && self.toks[j].f.len() >= 4)
    }

    /// "981 CATHAY CIR HUNTINGTON BH CA 92646-4817": a trailing postcode (5+ characters or two
    /// parts) and the region before it get segments of their own.
    /// "Rue du Capitaine Galinat Marseille", "Königsallee Düsseldorf": on a one-segment
    /// address, a known city name at the end (after a street word or a number) starts the
    /// locality.
    fn split_trailing_city(&mut self) {
        let open: Vec<usize> = (0..self.toks.len())
            .filter(|&i| self.lab[i].is_none())
            .collect();
        let (Some(&first), Some(&last)) = (open.first(), open.last()) else {
            return;
        };
        if self.toks[first].seg != self.toks[last].seg || last - first < 1 {
            return;
        }
        for w in (1..=3).rev() {
            if last + 1 < first + w + 1 {
                continue;
            }
            let s0 = last + 1 - w;
            let ph = self.phrase(s0..last + 1);
            let prev = &self.toks[s0 - 1].f;
            let streetish_before = (first..s0).any(|i| self.is_streetish(&self.toks[i].f))
                || (first..s0).any(|i| numberlike(&self.toks[i].f));
            if ph.chars().count() >= 4
                && self.t.is_city(&ph)
                && streetish_before
                && !STOP_TAIL.contains(&prev.as_str())
                && !self.is_street_type(&self.toks[last].f)
            {
                // a postcode right before the city goes with it ("75005 Paris")
                let cut = if postcode1(prev) && s0 - 1 > first {
                    s0 - 1
                } else {
                    s0
                };
                self.split_seg_at(cut);
                return;
            }
        }
    }

    fn split_trailing_zip(&mut self) {
        let n = self.toks.len();
        let Some(last_tok) = (0..n).rev().find(|&i| self.lab[i].is_none()) else {
            return;
        };
        // every segment's end, last segment first
        let mut ends: Vec<usize> = (0..n)
            .filter(|&i| i + 1 == n || self.toks[i + 1].seg != self.toks[i].seg)
            .filter(|&i| i <= last_tok && self.lab[i].is_none())
            .collect();
        ends.reverse();
        for last in ends {
            self.split_zip_at_end(last);
        }
    }

    fn split_zip_at_end(&mut self, last: usize) {
        let seg = self.toks[last].seg;
        let r = self.seg_range(seg);
        let f = self.toks[last].f.clone();
        let mut p = if last >= 1 && postcode2(&self.toks[last - 1].f, &f) {
            last - 1
        } else if postcode1(&f)
            && f.chars().any(|c| c.is_ascii_digit())
            && (f.len() >= 5
                || (last > r.start
                    && self.toks[last - 1].f.chars().count() <= 4
                    && self.t.regions.contains_key(&self.toks[last - 1].f)))
        {
            last
        } else {
            return;
        };
        if p <= r.start {
            return;
        }
        self.split_seg_at(p);
        // the region right before it
        for w in (1..=3).rev() {
            if p < r.start + 1 + w {
                continue;
            }
            let ph = self.phrase(p - w..p);
            if self.t.regions.contains_key(&ph)
                && !STOP_TAIL[..27].contains(&self.toks[p - w - 1].f.as_str())
            {
                p -= w;
                self.split_seg_at(p);
                break;
            }
        }
    }

    /// Index of the segment holding road and house number; `None` when no segment looks like a
    /// street.
    fn street_segment(&self) -> Option<usize> {
        let nseg = self.nseg();
        let mut type_only: Option<usize> = None;
        for seg in 0..nseg {
            let r = self.seg_range(seg);
            let toks = &self.toks[r.clone()];
            if r.clone().all(|i| self.lab[i].is_some()) {
                continue;
            }
            // a 5+ character postcode-shaped number counts unless it opens the segment
            let seg_has_type = toks.iter().any(|t| self.is_streetish(&t.f));
            let in_pair = |k: usize| {
                (k + 1 < toks.len() && postcode2(&toks[k].f, &toks[k + 1].f))
                    || (k > 0 && postcode2(&toks[k - 1].f, &toks[k].f))
            };
            let has_num = toks.iter().enumerate().any(|(k, t)| {
                numberlike(&t.f)
                    && !in_pair(k)
                    && (!(postcode1(&t.f) && t.f.len() >= 5) || (k == 0 && seg_has_type))
            });
            let all_regions = !has_num
                && toks.iter().enumerate().all(|(k, t)| {
                    self.t.regions.contains_key(&t.f)
                        || self.t.countries.contains_key(&t.f)
                        || postcode1(&t.f)
                        || in_pair(k)
                });
            if all_regions {
                continue;
            }
            let has_word = toks
                .iter()
                .any(|t| !numberlike(&t.f) && t.f.chars().any(|c| c.is_alphabetic()));
            let has_type = toks.iter().any(|t| self.is_streetish(&t.f));
            // a street type at the edge of the name: "Vista Street", "Rue Jean Jaurès",
            // "Main St SE" (not "St George Motor Boat Club")
            let words: Vec<&Tok> = toks.iter().filter(|t| !numberlike(&t.f)).collect();
            let type_edge = words
                .first()
                .map(|t| self.is_street_type(&t.f))
                .unwrap_or(false)
                && words.len() >= 2
                || words
                    .last()
                    .map(|t| self.is_streetish(&t.f))
                    .unwrap_or(false)
                || (words.len() >= 2
                    && self.is_street_type(&words[words.len() - 2].f)
                    && self.t.directionals.contains(&words[words.len() - 1].f));
            let first_marker = self.marker_at(r.start).is_some();
            if first_marker && (!has_type || toks.len() <= 3) {
                continue;
            }
            if has_num && has_word {
                // "Atrium Mall, 640 Arthur Kill Rd": a numbered street wins over an earlier
                // venue whose name has a street type; a road-only segment right before a
                // numbered one does not ("LÓPEZ MATEOS, 106")
                return Some(seg);
            }
            // "106" after a road-only segment: the previous segment is the street
            if has_num && !has_word && seg > 0 && type_only.is_none() {
                return Some(seg - 1);
            }
            if has_num && !has_word && type_only.is_some() {
                return type_only;
            }
            if type_edge && type_only.is_none() {
                type_only = Some(seg);
            }
            if seg >= 2 && type_only.is_some() {
                break;
            }
        }
        if type_only.is_some() {
            return type_only;
        }
        None
    }

    /// A unit / level / po-box marker starting at token `i`: returns (label, tokens consumed).
    fn marker_at(&self, i: usize) -> Option<(L, usize)> {
        let n = self.toks.len();
        let f = self.toks[i].f.as_str();
        let seg = self.toks[i].seg;
        // "FL 34731": a region before a postcode, not a floor
        if i + 1 < n && self.t.regions.contains_key(f) && postcode1(&self.toks[i + 1].f) {
            return None;
        }
        let next_ok = |j: usize| j < n && self.toks[j].seg == seg;
        // "#100", "#01-172" (but "Cra 18 #63-64" is the Colombian house number)
        if f.starts_with('#') && f.len() > 1 {
            let colombian = i >= 2
                && self.toks[i - 1].seg == seg
                && numberlike(&self.toks[i - 1].f)
                && self.is_street_type(&self.toks[i - 2].f);
            if !colombian {
                return Some((L::Unit, 1));
            }
        }
        // po box: up to three words
        for w in (1..=3).rev() {
            if i + w <= n && self.toks[i + w - 1].seg == seg {
                let ph = self.phrase(i..i + w);
                if self.t.po_box.contains(&ph) && next_ok(i + w) {
                    return Some((L::PoBox, w + 1));
                }
            }
        }
        // "6th floor", "2nd fl"
        if ordinal(f) && next_ok(i + 1) && self.t.level_types.contains(&self.toks[i + 1].f) {
            return Some((L::Level, 2));
        }
        if next_ok(i + 1) {
            let nx = &self.toks[i + 1].f;
            let num_next = numberlike(nx) || nx.chars().count() == 1;
            if self.t.level_types.contains(f) && num_next && f != "l" {
                return Some((L::Level, 2));
            }
            let seg_start = i == 0 || self.toks[i - 1].seg != seg;
            if self.t.unit_types.contains(f)
                && num_next
                && (!self.is_street_type(f) || (seg_start && numberlike(nx)))
            {
                return Some((L::Unit, 2));
            }
            // "Apt No. 456", "Suite # 5"
            if self.t.unit_types.contains(f)
                && matches!(nx.as_str(), "no" | "#" | "nº" | "n°")
                && next_ok(i + 2)
                && numberlike(&self.toks[i + 2].f)
            {
                return Some((L::Unit, 3));
            }
        }
        None
    }

    /// Labels the markers in a range. Returns true when the whole range was consumed (ignoring
    /// tokens already labelled).
    fn markers(&mut self, r: std::ops::Range<usize>) -> bool {
        let mut i = r.start;
        let mut any = false;
        while i < r.end {
            if self.lab[i].is_none() {
                if let Some((l, w)) = self.marker_at(i) {
                    let e = (i + w).min(r.end);
                    self.set(i..e, l);
                    any = true;
                    i = e;
                    continue;
                }
            }
            i += 1;
        }
        any && r.clone().all(|i| self.lab[i].is_some())
    }

    /// Starts a new segment at token `j` (renumbers the following segments).
    fn split_seg_at(&mut self, j: usize) {
        if j == 0 || j >= self.toks.len() || self.toks[j].seg != self.toks[j - 1].seg {
            return;
        }
        for t in &mut self.toks[j..] {
            t.seg += 1;
        }
    }

    /// True when no segment after `seg` holds an unlabelled word (only postcode, country, ...).
    fn last_open_seg(&self, seg: usize) -> bool {
        !self.toks.iter().enumerate().any(|(i, t)| {
            t.seg > seg
                && self.lab[i].is_none()
                && !postcode1(&t.f)
                && !self.t.regions.contains_key(&t.f)
                && !(i + 1 < self.toks.len() && postcode2(&t.f, &self.toks[i + 1].f))
                && !(i > 0 && postcode2(&self.toks[i - 1].f, &t.f))
        })
    }

    fn is_hn(&self, f: &str) -> bool {
        (numberlike(f) && !ordinal_strict(f)) || self.t.no_number.contains(f)
    }

    /// Road, house number and trailing unit / level inside the street segment.
    fn street(&mut self, seg: usize) {
        let mut r = self.seg_range(seg);
        self.markers(r.clone());
        // "2633 Camino Ramon Ste. 400 San Ramon": words after a unit marker are the locality
        if let Some(m) = r.clone().find(|&i| i > r.start && self.lab[i].is_some()) {
            if let Some(j) = (m..r.end).find(|&j| self.lab[j].is_none()) {
                if self.lab[j - 1].is_some() && (r.start..m).any(|i| self.lab[i].is_none()) {
                    self.split_seg_at(j);
                    r = self.seg_range(seg);
                }
            }
        }
        // the core: tokens of the segment not yet labelled, up to the first labelled one
        let core: Vec<usize> = r.clone().filter(|&i| self.lab[i].is_none()).collect();
        if core.is_empty() {
            return;
        }
        // house-number-first: "660 Nostrand Ave", "No. 22 The Light", "One Baylor Plaza"
        let f0 = self.toks[core[0]].f.clone();
        let last = *core.last().unwrap_or(&core[0]);
        let last_f = self.toks[last].f.clone();
        let last_is_hn = core.len() >= 2 && self.is_hn(&last_f);
        let first_is_hn = core.len() >= 2
            && self.is_hn(&f0)
            && !f0.ends_with('.')
            && !self.toks[core[1]].f.starts_with('-');
        let first_is_word_number = core.len() >= 3 && matches!(f0.as_str(), "one" | "two");
        let no_marker = matches!(f0.as_str(), "no" | "nº" | "n°" | "nr" | "num")
            && core.len() >= 3
            && self.is_hn(&self.toks[core[1]].f);
        if no_marker {
            self.set(core[0]..core[1] + 1, L::HouseNumber);
            self.road_tail(&core[2..]);
            return;
        }
        let second_is_de =
            core.len() >= 3 && matches!(self.toks[core[1]].f.as_str(), "de" | "del" | "of");
        if (first_is_hn && !(last_is_hn && (ordinal(&f0) || second_is_de))) || first_is_word_number
        {
            self.lab[core[0]] = Some(L::HouseNumber);
            self.road_tail(&core[1..]);
            return;
        }
        // venue before a number-first street: "Black Alliance ... 660 Nostrand Ave"
        for k in 1..core.len().saturating_sub(1) {
            let f = &self.toks[core[k]].f;
            if is_digits(f)
                && !self.is_street_type(&self.toks[core[k - 1]].f)
                && core[k + 1..]
                    .iter()
                    .any(|&j| self.is_street_type(&self.toks[j].f))
                && !core[k + 1..].iter().any(|&j| is_digits(&self.toks[j].f))
            {
                for &j in &core[..k] {
                    self.lab[j] = Some(L::House);
                }
                self.lab[core[k]] = Some(L::HouseNumber);
                self.road_tail(&core[k + 1..]);
                return;
            }
        }
        // road first: "calle costa de almería 63 1", "Cra 18 #63-64", "calle 11 18-33"
        let Some(k) = (1..core.len())
            .rev()
            .find(|&k| self.is_hn(&self.toks[core[k]].f))
        else {
            for &j in &core {
                self.lab[j] = Some(L::Road);
            }
            // "Paseo de la Castellana, 185 - 5º", "LÓPEZ MATEOS, 106, 21840"
            let nx = r.end;
            if nx < self.toks.len() && self.lab[nx].is_none() {
                let f = self.toks[nx].f.clone();
                if self.is_hn(&f) && f.chars().filter(|c| c.is_ascii_digit()).count() <= 4 {
                    self.lab[nx] = Some(L::HouseNumber);
                    let seg2 = self.toks[nx].seg;
                    // "185 - 5º": a floor ordinal after the number, same segment
                    let mut k = nx + 1;
                    if k < self.toks.len() && self.toks[k].seg == seg2 && self.toks[k].f == "-" {
                        k += 1;
                    }
                    if k < self.toks.len()
                        && self.toks[k].seg == seg2
                        && self.lab[k].is_none()
                        && ordinal(&self.toks[k].f)
                        && !postcode1(&self.toks[k].f)
                    {
                        self.lab[k] = Some(L::Level);
                    }
                }
            }
            return;
        };
        let mut hn = k;
        let mut after: Vec<usize> = core[k + 1..].to_vec();
        if k >= 2 && self.is_hn(&self.toks[core[k - 1]].f) {
            let before = &self.toks[core[k - 2]].f;
            if !self.is_street_type(before) {
                hn = k - 1;
                after = core[k..].to_vec();
            }
        }
        // "nº 532", "no. 532" markers join the number
        let mut hn_start = hn;
        if hn >= 2
            && matches!(
                self.toks[core[hn - 1]].f.as_str(),
                "no" | "nº" | "n°" | "nr" | "num" | "numero" | "n" | "km"
            )
        {
            hn_start = hn - 1;
        }
        for &j in &core[..hn_start] {
            self.lab[j] = Some(L::Road);
        }
        for &j in &core[hn_start..=hn] {
            self.lab[j] = Some(L::HouseNumber);
        }
        // "Cra 18 #63-64 de Bogotá": words after the number start the locality
        if let Some(p) = after.iter().position(|&j| {
            let f = &self.toks[j].f;
            f.chars().count() > 1
                && f.chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
                && self.marker_at(j).is_none()
        }) {
            if p > 0 || !after.is_empty() {
                let j = after[p];
                self.trailing(&after[..p]);
                self.split_seg_at(j);
                return;
            }
        }
        // "Triftstraße 67 13353 Berlin": the locality follows in the same segment
        if let Some(p) = after.iter().position(|&j| {
            let f = &self.toks[j].f;
            (postcode1(f) && f.len() >= 4)
                || (j + 1 < self.toks.len() && postcode2(f, &self.toks[j + 1].f))
        }) {
            let j = after[p];
            self.trailing(&after[..p]);
            self.split_seg_at(j);
            return;
        }
        self.trailing(&after);
    }

    /// After a house number that came first: the road, then a trailing level/unit number or
    /// locality words.
    fn road_tail(&mut self, core: &[usize]) {
        if core.is_empty() {
            return;
        }
        // road ends at the last street type (+ directional) when locality words follow in the
        // same segment and no comma separates them ("2222 WASHINGTON PK SUITE 401 BRIDGEVILLE")
        let mut end = core.len();
        let seg = self.toks[core[0]].seg;
        if self.last_open_seg(seg) {
            if let Some(p) = core
                .iter()
                .rposition(|&j| self.is_street_type(&self.toks[j].f))
            {
                let mut q = p + 1;
                if q < core.len() && self.t.directionals.contains(&self.toks[core[q]].f) {
                    q += 1;
                }
                let rest_words = core[q..].iter().any(|&j| !numberlike(&self.toks[j].f));
                if q < core.len() && rest_words && core[q] == core[q - 1] + 1 && p > 0 {
                    self.split_seg_at(core[q]);
                    end = q;
                }
            }
        }
        let last_f = &self.toks[core[end - 1]].f;
        if end >= 2 && numberlike(last_f) && !ordinal(last_f) {
            let prev = &self.toks[core[end - 2]].f;
            let digits = last_f.chars().filter(|c| c.is_ascii_digit()).count();
            let part_of_road = self.is_street_type(prev) && digits >= 2 && is_digits(last_f);
            if !part_of_road {
                end -= 1;
                let l = if is_digits(last_f) { L::Level } else { L::Unit };
                self.lab[core[end]] = Some(l);
            }
        }
        for &j in &core[..end] {
            self.lab[j] = Some(L::Road);
        }
    }

    /// Tokens after a road-first house number: a bare number is a level (digits) or unit.
    fn trailing(&mut self, after: &[usize]) {
        for (k, &j) in after.iter().enumerate() {
            let f = &self.toks[j].f;
            // "1700 (n)": a side / orientation mark belongs to the number
            if k == 0 && f.starts_with('(') && f.ends_with(')') && f.chars().count() <= 4 {
                self.lab[j] = Some(L::HouseNumber);
                continue;
            }
            if f.chars().count() == 1 && f.chars().all(|c| c.is_alphabetic()) {
                self.lab[j] = Some(L::Unit);
            } else if numberlike(f) {
                let l = if is_digits(f) { L::Level } else { L::Unit };
                self.lab[j] = Some(l);
            }
        }
    }

    /// Postcodes in the segments after the street segment (and trailing ones in it).
    fn postcodes(&mut self, street: usize) {
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            if self.lab[i].is_some() || self.toks[i].seg < street {
                i += 1;
                continue;
            }
            let seg = self.toks[i].seg;
            let in_street = seg == street;
            let f = self.toks[i].f.clone();
            let seg_r = self.seg_range(seg);
            let at_edge = i == seg_r.start || i + 1 == seg_r.end;
            if i + 1 < n
                && self.toks[i + 1].seg == seg
                && self.lab[i + 1].is_none()
                && postcode2(&f, &self.toks[i + 1].f)
            {
                self.set(i..i + 2, L::Postcode);
                i += 2;
                continue;
            }
            let numeric = is_digits(&f);
            if postcode1(&f) && !in_street && (!numeric || at_edge || f.len() >= 5) {
                // a leading 1-3 digit number of the first locality segment is a unit/level
                if numeric && f.len() <= 3 && i == seg_r.start && i + 1 < seg_r.end {
                    self.lab[i] = Some(L::Level);
                } else {
                    self.lab[i] = Some(L::Postcode);
                }
            } else if !in_street && numeric && f.len() <= 2 && i == seg_r.start && i + 1 < seg_r.end
            {
                self.lab[i] = Some(L::Level);
            }
            i += 1;
        }
    }

    /// First-level regions at the end of the locality.
    fn states(&mut self, street: usize) {
        let n = self.toks.len();
        // candidate end: the last unlabelled locality token
        let Some(end) = (0..n)
            .rev()
            .find(|&i| self.lab[i].is_none() && self.toks[i].seg > street)
        else {
            return;
        };
        let seg = self.toks[end].seg;
        let seg_r = self.seg_range(seg);
        let open: Vec<usize> = (0..n)
            .filter(|&i| self.lab[i].is_none() && self.toks[i].seg > street)
            .collect();
        for w in (1..=self.t.max_words.min(6)).rev() {
            if w > end + 1 {
                continue;
            }
            let s = end + 1 - w;
            if self.toks[s].seg != seg || (s..=end).any(|i| self.lab[i].is_some()) {
                continue;
            }
            let ph = self.phrase(s..end + 1).replace('-', " ");
            let Some(ccs) = self.t.regions.get(&ph) else {
                continue;
            };
            let rest = open.iter().filter(|&&i| i < s).count();
            if s > seg_r.start && STOP_TAIL[..27].contains(&self.toks[s - 1].f.as_str()) {
                continue;
            }
            let whole_seg = s == seg_r.start;
            if rest == 0 {
                // nothing left for the city: keep it as the city unless it has its own segment
                // after another locality segment
                continue;
            }
            let abbrev = ph.chars().count() <= 4 && !ph.contains(' ');
            if abbrev {
                let orig = &self.input[self.toks[s].s..self.toks[end].e];
                let upper = orig.chars().any(|c| c.is_uppercase())
                    && !orig.chars().any(|c| c.is_lowercase());
                let next_post = end + 1 < n && self.lab[end + 1] == Some(L::Postcode);
                let us_like = ccs.iter().any(|c| c == "US" || c == "CA" || c == "AU");
                let cc_ok = self.cc.as_deref().map(|c| ccs.iter().any(|x| x == c));
                let at_end = (end + 1..n).all(|i| self.lab[i] == Some(L::Country));
                if !(us_like && (upper || next_post || whole_seg || at_end || cc_ok == Some(true)))
                    || cc_ok == Some(false)
                {
                    continue;
                }
            }
            // "temuco temuco", "arequipa arequipa": the repeated name is the city
            self.set(s..end + 1, L::State);
            if self.cc.is_none() && ccs.len() == 1 {
                self.cc = Some(ccs[0].clone());
            }
            return;
        }
    }

    /// City, suburb and state district from the unlabelled locality tokens.
    fn localities(&mut self, street: usize) {
        let n = self.toks.len();
        // runs of unlabelled tokens after the street segment, split at segment boundaries
        let mut runs: Vec<Vec<usize>> = Vec::new();
        for i in 0..n {
            if self.lab[i].is_some() || self.toks[i].seg <= street {
                continue;
            }
            match runs.last_mut() {
                Some(run)
                    if run
                        .last()
                        .map(|&j| j + 1 == i && self.toks[j].seg == self.toks[i].seg)
                        == Some(true) =>
                {
                    run.push(i)
                }
                _ => runs.push(vec![i]),
            }
        }
        // "de Bogotá", "in Markham": a leading preposition is not part of the name
        for run in runs.iter_mut() {
            while run.len() > 1
                && matches!(
                    self.toks[run[0]].f.as_str(),
                    "de" | "en" | "in" | "at" | "del"
                )
            {
                run.remove(0);
            }
        }
        let Some(city_run) = runs.pop() else {
            return;
        };
        for (k, run) in runs.iter().enumerate() {
            let l = if k == 0 { L::Suburb } else { L::StateDistrict };
            for &j in run {
                self.lab[j] = Some(l);
            }
        }
        let m = city_run.len();
        let whole = self.phrase(city_run[0]..city_run[m - 1] + 1);
        if m >= 2 && m % 2 == 0 {
            let h = m / 2;
            let a = self.phrase(city_run[0]..city_run[h - 1] + 1);
            let b = self.phrase(city_run[h]..city_run[m - 1] + 1);
            if a == b {
                for &j in &city_run[..h] {
                    self.lab[j] = Some(L::City);
                }
                for &j in &city_run[h..] {
                    self.lab[j] = Some(L::StateDistrict);
                }
                return;
            }
        }
        let anglo_state = self
            .cc
            .as_deref()
            .map(|c| c == "US" || c == "CA")
            .unwrap_or(false);
        if m >= 2 && !self.t.is_city(&whole) && !anglo_state {
            for k in 1..m {
                let pre_last = &self.toks[city_run[k - 1]].f;
                if STOP_TAIL.contains(&pre_last.as_str()) {
                    continue;
                }
                let suf = self.phrase(city_run[k]..city_run[m - 1] + 1);
                if suf.chars().count() >= 4 && self.t.is_city(&suf) {
                    for &j in &city_run[..k] {
                        self.lab[j] = Some(if runs.is_empty() {
                            L::Suburb
                        } else {
                            L::StateDistrict
                        });
                    }
                    for &j in &city_run[k..] {
                        self.lab[j] = Some(L::City);
                    }
                    return;
                }
            }
        }
        for &j in &city_run {
            self.lab[j] = Some(L::City);
        }
    }

    fn finish(self) -> ParsedAddress {
        let mut out = ParsedAddress {
            country_code: self.cc.clone(),
            ..Default::default()
        };
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            let Some(l) = self.lab[i] else {
                i += 1;
                continue;
            };
            let mut j = i;
            while j + 1 < n && self.lab[j + 1] == Some(l) {
                j += 1;
            }
            let v = self.input[self.toks[i].s..self.toks[j].e]
                .trim_matches(|c: char| c == ',' || c.is_whitespace())
                .to_string();
            if v.chars().any(|c| c.is_alphanumeric()) {
                out.components.push((l.name(), v));
            }
            i = j + 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_segments() {
        let t = tokenize("carrera 3 3 - 02, gámeza 152020");
        let f: Vec<&str> = t.iter().map(|t| t.f.as_str()).collect();
        assert_eq!(f, ["carrera", "3", "3 - 02", "gameza", "152020"]);
        assert_eq!(t[3].seg, 1);
        let t = tokenize("2590 Elm Road NE - Warren, OH");
        assert_eq!(t[4].seg, 1);
    }

    #[test]
    fn shapes() {
        assert!(postcode1("06773"));
        assert!(postcode1("2023ds"));
        assert!(postcode1("n3300lqk"));
        assert!(postcode1("60-185"));
        assert!(postcode2("nn8", "1ey"));
        assert!(postcode2("b3m", "4v7"));
        assert!(postcode2("p17", "vn80"));
        assert!(!postcode2("road", "1ey"));
        assert!(ordinal("32nd") && ordinal("3e") && !ordinal("6325f"));
        assert!(numberlike("31oc-10") && numberlike("e1-45") && !numberlike("road"));
    }
}
