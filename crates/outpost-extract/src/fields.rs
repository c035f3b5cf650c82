//! Record fields read from the text around a station's mentions: host organisations, addresses
//! that are descriptions rather than postal addresses, and people's roles.
//!
//! All rules are general cue-word rules in zh/es/en; none names a particular article.

use regex::Regex;
use std::ops::Range;

/// A candidate value found in the text, with its byte range and a score in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Byte range in the document text.
    pub bytes: Range<usize>,
    /// The value, a verbatim substring of the text.
    pub text: String,
    /// How strongly the rule that found it indicates the field (0.5 generic description, 0.8 a
    /// named organisation with a host head word).
    pub score: f32,
}

/// Finds host organisations (associations, chambers of commerce, businesses) and station-address
/// descriptions ("the fourth floor of a building in …") in document text.
pub struct FieldFinder {
    named: Vec<Regex>,
    generic: Vec<Regex>,
    appositive: Option<Regex>,
    floors: Vec<Regex>,
}

impl Default for FieldFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// Leading words stripped from a Chinese organisation match (verbs and particles before the name).
const ZH_LEADERS: &[&str] = &[
    "曾任", "现任", "現任", "担任", "擔任", "前任", "就是", "是", "为", "為", "与", "與", "和",
    "在", "由", "的", "及", "设在", "設在", "位于", "位於",
];

impl FieldFinder {
    /// Compiles the patterns.
    pub fn new() -> Self {
        let r = |s: &str| Regex::new(s).ok();
        let named = [
            // "America ChangLe Association", "Chinese Science and Technology Entrepreneurs
            // Association Chamber of Commerce", "Fujian Chamber of Commerce".
            r(
                r"\b(?:[A-Z][\w'’-]*\s+(?:(?:and|of|for|in|de|del|la|y)\s+)?){1,7}(?:Association|Chamber of Commerce|Federation|Hometown Association|Benevolent Association|Society|Foundation|Council)\b(?:\s+Chamber of Commerce)?",
            ),
            // "Cámara del Comercio de China", "Asociación de Chinos en …".
            r(
                r"\b(?:Cámara|Camara|Asociación|Asociacion|Federación|Federacion|Fundación|Centro)\s+(?:(?:de|del|la|las|los|y)\s+|[A-ZÁÉÍÓÚÑ][\wáéíóúñü-]*\s*){1,8}",
            ),
            // 长乐公会, 福建同乡会, 爱尔兰福建商会, 华人华侨联合会.
            r(
                r"\p{Han}{1,10}?(?:同乡会|同鄉會|公会|公會|商会|商會|协会|協會|联合会|聯合會|总会|總會|会馆|會館|侨团|僑團)",
            ),
        ];
        let generic = [
            r(
                r"(?i)\b(?:an?|the)\s+(?:[\w'’-]+\s+){0,4}?(?:nonprofit|non-profit|association|restaurant|company|business|firm|agency|massage parlou?r|shop|store|supermarket|travel agency|office)\b",
            ),
            r(
                r"(?i)\b(?:una?|la|el)\s+(?:empresa|agencia de viajes|asociación|restaurante|tienda|organización|oficina)\b(?:\s+(?:china|chino|chinas|chinos|de la zona|local))*",
            ),
        ];
        Self {
            named: named.into_iter().flatten().collect(),
            generic: generic.into_iter().flatten().collect(),
            appositive: r(r"^\s+((?:[A-Z][\w-]*\s?){1,4})"),
            floors: [
                r(r"(?i)\b(?:the\s+)?(?:\w+|\d+(?:st|nd|rd|th)?)\s+floor\s+of\s+[^,.;:\n]+"),
                r(r"(?i)\b(?:la\s+|el\s+)?(?:planta|piso)\s+(?:baja|\w+)\s+(?:de|del)\s+[^,.;:\n]+"),
            ]
            .into_iter()
            .flatten()
            .collect(),
        }
    }

    /// Host organisation candidates in `text`, in text order. Named organisations score 0.8,
    /// generic descriptions ("a restaurant", "una empresa china") 0.5 (0.35 for a mere "office"); a generic noun followed by
    /// a capitalised name ("agencia de viajes Andywei Travel") gives the name, 0.7.
    pub fn host_orgs(&self, text: &str) -> Vec<Found> {
        let mut out: Vec<Found> = Vec::new();
        for re in &self.named {
            for m in re.find_iter(text) {
                let mut s = m.start();
                let mut t = m.as_str();
                // Cut after the last Chinese verb/particle before the name
                // ("盧建旺曾任長樂公會" → "長樂公會").
                if let Some(cut) = ZH_LEADERS
                    .iter()
                    .filter_map(|l| t.rfind(l).map(|p| p + l.len()))
                    .filter(|&p| t[p..].chars().count() >= 3)
                    .max()
                {
                    s += cut;
                    t = &t[cut..];
                }
                let t = t.trim_end();
                let t = t
                    .strip_suffix(" de")
                    .or_else(|| t.strip_suffix(" del"))
                    .or_else(|| t.strip_suffix(" en"))
                    .unwrap_or(t);
                if t.chars().count() < 3 || looks_like_authority(t) {
                    continue;
                }
                out.push(Found {
                    bytes: s..s + t.len(),
                    text: t.to_string(),
                    score: 0.8,
                });
            }
        }
        for re in &self.generic {
            for m in re.find_iter(text) {
                // "the activities of the office": the description starts at the last determiner
                // after a function word; a bare "the office" / "una oficina" names no host (it
                // is the station itself, or a room)
                let Some(r) = description(text, m.start()..m.end()) else {
                    continue;
                };
                let found = &text[r.clone()];
                if looks_like_authority(found) {
                    continue;
                }
                if out.iter().any(|f| overlaps(&f.bytes, &r)) {
                    continue;
                }
                // "the nonprofit group Safeguard Defenders": the description names an authority
                // or a reporting NGO that follows it.
                let next: String = text[r.end..]
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                if looks_like_authority(&next) {
                    continue;
                }
                if let Some(c) = self
                    .appositive
                    .as_ref()
                    .and_then(|a| a.captures(&text[r.end..]))
                {
                    if let Some(name) = c.get(1) {
                        let name_text = name.as_str().trim_end();
                        if name_text.len() > 2 && !looks_like_authority(name_text) {
                            let b = r.end + name.start();
                            out.push(Found {
                                bytes: b..b + name_text.len(),
                                text: name_text.to_string(),
                                score: 0.7,
                            });
                            continue;
                        }
                    }
                }
                // "office" says least about a host; the other head nouns name a kind of host.
                let lower = found.to_lowercase();
                let weak = lower.ends_with("office") || lower.ends_with("oficina");
                out.push(Found {
                    text: found.to_string(),
                    bytes: r,
                    score: if weak { 0.35 } else { 0.5 },
                });
            }
        }
        out.sort_by_key(|f| f.bytes.start);
        out
    }

    /// Descriptions of where in a building a station is ("the fourth floor of a building in
    /// Manhattan's Chinatown", "la planta baja del Hotel Quito"), score 0.5.
    pub fn floor_descriptions(&self, text: &str) -> Vec<Found> {
        let mut out = Vec::new();
        for re in &self.floors {
            for m in re.find_iter(text) {
                out.push(Found {
                    bytes: m.start()..m.end(),
                    text: m.as_str().trim_end().to_string(),
                    score: 0.5,
                });
            }
        }
        out.sort_by_key(|f| f.bytes.start);
        out
    }
}

/// A generic host description matched at byte range `r` of `text`, cut to start at its last
/// determiner when a function word ("of", "and", …) separates the first determiner from the head
/// noun ("the activities of the office" → "the office"). Returns the description's byte range;
/// `None` for a bare office ("an office", "la oficina"), which names no host.
fn description(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    // English descriptions end in their head noun; Spanish ones start with it ("una empresa
    // china de la zona"), so only English ones are cut
    const FUNCTION: &[&str] = &[
        "of", "and", "or", "in", "on", "at", "for", "to", "with", "by", "from", "that", "which",
        "who",
    ];
    const DETERMINERS: &[&str] = &["a", "an", "the"];
    let m = &text[r.clone()];
    // (byte offset in `m`, word)
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut rest = 0;
    for w in m.split_whitespace() {
        let at = rest + m[rest..].find(w).unwrap_or(0);
        words.push((at, w));
        rest = at + w.len();
    }
    let mut start = 0;
    if words.len() > 2
        && DETERMINERS.contains(&words[0].1.to_lowercase().as_str())
        && words[1..words.len() - 1]
            .iter()
            .any(|(_, w)| FUNCTION.contains(&w.to_lowercase().as_str()))
    {
        start = words
            .iter()
            .skip(1)
            .rev()
            .find(|(_, w)| DETERMINERS.contains(&w.to_lowercase().as_str()))
            .map(|(b, _)| *b)?;
    }
    let kept = &m[start..];
    let n = kept.split_whitespace().count();
    let lower = kept.to_lowercase();
    if n == 2 && (lower.ends_with(" office") || lower.ends_with(" oficina")) {
        return None;
    }
    Some(r.start + start..r.end)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// True for organisation names that are authorities, media or reporting NGOs rather than hosts
/// (police, ministries, embassies, governments, courts, parties, newspapers, agencies).
pub fn looks_like_authority(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "police",
        "polic",
        "ministr",
        "embass",
        "embajada",
        "government",
        "gobierno",
        "fbi",
        "department",
        "departamento",
        "court",
        "tribunal",
        "safeguard",
        "defenders",
        "newsweek",
        "reporters",
        "公安",
        "警",
        "使馆",
        "使館",
        "外交部",
        "政府",
        "bureau",
        "consulado",
        "consulate",
        "领事",
        "領事",
        "party",
        "partido",
        "times",
        "news",
        "press",
        "radio",
        "journal",
        "media",
        "network",
        "affairs",
        "university",
        "universidad",
        "parliament",
        "committee",
        "comité",
        "congress",
        "senate",
        "council of",
        "field office",
        "attorney",
        "fiscal",
        "reuters",
        "xinhua",
        "新华社",
        "新華社",
        "efe",
        "afp",
        "ap agency",
        "news agency",
        "共产党",
        "共產黨",
        "大学",
        "大學",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Role cue words: (cue as it may be written, lower case; normalised English role).
const ROLE_CUES: &[(&str, &str)] = &[
    ("who runs", "operator"),
    ("runs the", "operator"),
    ("ran the", "operator"),
    ("operator", "operator"),
    ("head of", "head"),
    ("in charge", "head"),
    ("director", "director"),
    ("president", "president"),
    ("chairman", "chairman"),
    ("chairwoman", "chairman"),
    ("secretary-general", "secretary-general"),
    ("secretary general", "secretary-general"),
    ("secretary", "secretary"),
    ("founder", "founder"),
    ("owner", "owner"),
    ("manager", "manager"),
    ("representative", "representative"),
    ("leader", "leader"),
    ("presidente", "president"),
    ("presidenta", "president"),
    ("directora", "director"),
    ("representante", "representative"),
    ("responsable", "head"),
    ("encargad", "head"),
    ("dueño", "owner"),
    ("propietari", "owner"),
    ("secretario", "secretary"),
    ("fundador", "founder"),
    ("líder", "leader"),
    ("负责人", "head"),
    ("負責人", "head"),
    ("站长", "head of station"),
    ("站長", "head of station"),
    ("主任", "director"),
    ("秘书长", "secretary-general"),
    ("秘書長", "secretary-general"),
    ("主席", "president"),
    ("会长", "president"),
    ("會長", "president"),
    ("理事长", "chairman"),
    ("理事長", "chairman"),
    ("创办人", "founder"),
    ("創辦人", "founder"),
    ("创始人", "founder"),
    ("創始人", "founder"),
    ("老板", "owner"),
    ("老闆", "owner"),
    ("侨领", "community leader"),
    ("僑領", "community leader"),
    ("代表", "representative"),
];

/// The role stated for a person whose name occupies `name` (byte range) in `sentence`, from the
/// nearest role cue word in the same clause (bounded by `;`, `；`, `。` and the other names in
/// `others`, byte ranges in the same sentence), at most 40 characters before or 60 after the name.
/// Returns the normalised English role (`president`, `head`, `operator`, …) or `None`.
pub fn role_near(
    sentence: &str,
    name: Range<usize>,
    others: &[Range<usize>],
) -> Option<&'static str> {
    let is_stop = |c: char| matches!(c, ';' | '；' | '。' | '\n');
    // Window before the name: back to a stop, another name or 40 characters.
    let mut lo = name.start;
    for (n, (b, c)) in sentence[..name.start].char_indices().rev().enumerate() {
        if n >= 40 || is_stop(c) || others.iter().any(|o| o.end > b && o.start <= b) {
            break;
        }
        lo = b;
    }
    let mut hi = name.end;
    for (n, (b, c)) in sentence[name.end..].char_indices().enumerate() {
        let b = name.end + b;
        if n >= 60 || is_stop(c) || others.iter().any(|o| o.start <= b && b < o.end) {
            break;
        }
        hi = b + c.len_utf8();
    }
    let before = sentence[lo..name.start].to_lowercase();
    let after = sentence[name.end..hi].to_lowercase();
    let mut best: Option<(usize, &'static str)> = None;
    for (cue, role) in ROLE_CUES {
        if let Some(p) = before.rfind(cue) {
            let d = before.len() - (p + cue.len());
            if best.map(|(bd, _)| d < bd).unwrap_or(true) {
                best = Some((d, role));
            }
        }
        if let Some(p) = after.find(cue) {
            if best.map(|(bd, _)| p < bd).unwrap_or(true) {
                best = Some((p, role));
            }
        }
    }
    best.map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: Vec<Found>) -> Vec<String> {
        v.into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn host_organisations_in_three_languages() {
        let f = FieldFinder::new();
        let t = "The building's owner is the America ChangLe Association, which denied it.";
        assert!(texts(f.host_orgs(t)).contains(&"America ChangLe Association".to_string()));
        let t = "Agents used a New York-based nonprofit to open the station.";
        assert_eq!(texts(f.host_orgs(t)), vec!["a New York-based nonprofit"]);
        let t =
            "So was that of a food-delivery business in south London and a restaurant in Glasgow.";
        assert_eq!(
            texts(f.host_orgs(t)),
            vec!["a food-delivery business", "a restaurant"]
        );
        let t = "estuvo domiciliada en la agencia de viajes Andywei Travel, que rentaba un local.";
        assert_eq!(texts(f.host_orgs(t)), vec!["Andywei Travel"]);
        let t = "pertenece a una empresa china de la zona.";
        assert_eq!(texts(f.host_orgs(t)), vec!["una empresa china de la zona"]);
        let t = "“soy el representante de la Cámara del Comercio de China en Valparaíso”";
        assert_eq!(texts(f.host_orgs(t)), vec!["Cámara del Comercio de China"]);
        let t = "盧建旺曾任長樂公會主席;美国长乐公会前主席卢建旺";
        assert_eq!(texts(f.host_orgs(t)), vec!["長樂公會", "美国长乐公会"]);
        // Authorities and media are not hosts.
        let t = "Before that, the nonprofit group Safeguard Defenders revealed it.";
        assert!(f.host_orgs(t).is_empty());
        let t = "said Michael Driscoll of the FBI's New York field office.";
        assert!(f.host_orgs(t).is_empty());
        // A description starts at its last determiner; a bare office names no host.
        let t = "The embassy said that the activities of the office have ceased.";
        assert!(f.host_orgs(t).is_empty());
        let t = "It opened in an office, then moved to the offices of a travel firm.";
        assert_eq!(texts(f.host_orgs(t)), vec!["a travel firm"]);
        let t = "It used a law office in Queens and una oficina en Madrid.";
        assert_eq!(texts(f.host_orgs(t)), vec!["a law office"]);
    }

    #[test]
    fn floor_descriptions() {
        let f = FieldFinder::new();
        let t = "the office, which is on the fourth floor of a building in Manhattan's Chinatown, on a street";
        assert_eq!(
            texts(f.floor_descriptions(t)),
            vec!["the fourth floor of a building in Manhattan's Chinatown"]
        );
    }

    #[test]
    fn roles_from_the_clause_around_the_name() {
        let s = "美国长乐公会前主席卢建旺和秘书长陈金平被指控。";
        let lu = s.find("卢建旺").unwrap_or(0);
        let chen = s.find("陈金平").unwrap_or(0);
        let lu_r = lu..lu + "卢建旺".len();
        let chen_r = chen..chen + "陈金平".len();
        assert_eq!(
            role_near(s, lu_r.clone(), std::slice::from_ref(&chen_r)),
            Some("president")
        );
        assert_eq!(role_near(s, chen_r, &[lu_r]), Some("secretary-general"));
        let s = "Wang Yunle, president of the chamber of commerce, denied it.";
        assert_eq!(role_near(s, 0..10, &[]), Some("president"));
        let s = "Lu Jianwang, 61, and Chen Jinping, 59, were arrested.";
        let others = std::iter::once(21..33).collect::<Vec<_>>();
        assert_eq!(role_near(s, 0..11, &others), None);
        let s = "El hombre que dirige la estación, el encargado Li Wei, habló.";
        let b = s.find("Li Wei").unwrap_or(0);
        assert_eq!(role_near(s, b..b + 6, &[]), Some("head"));
    }
}
