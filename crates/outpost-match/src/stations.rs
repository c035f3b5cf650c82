//! [`StationTermRecognizer`]: the terms that name overseas police service stations, in zh, en and
//! es, and their look-alikes (joint patrols, liaison officers, the 海外110 hotline, domestic police
//! stations, overseas-Chinese help centres), which come out as `LOOK_ALIKE` spans or as
//! `STATION_TERM` spans scored below 0.5.
//!
//! Chinese terms are matched on folded (Simplified) text with the automaton; English and Spanish
//! terms are matched as token sequences, so quotes, plural forms and case do not matter
//! ("Chinese 'police stations'" = "chinese police station"). Generic terms ("police station",
//! "comisaría") count only when their sentence speaks of China.

use crate::scan::{is_cjk, Dict, DictBuilder, FxMap};
use crate::MatchError;
use outpost_core::text::{FoldedText, Folder};
use outpost_core::{Doc, Document, Label, Recognizer, Span};
use std::sync::{Arc, OnceLock};

/// Component name written into spans.
pub const STATION_SOURCE: &str = "match.station";

/// How a term is scored.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A station term with a fixed score.
    Station(f32),
    /// A generic term: `(score with China in the sentence, score without)`.
    Generic(f32, f32),
    /// A look-alike with its (low) score.
    LookAlike(f32),
    /// 警侨事务 …: a station if 服务站/服务点 follows within a few characters.
    Prefix,
}

/// (term, key, kind). Chinese terms are written in Simplified script (Traditional is folded).
const ZH_TERMS: &[(&str, &str, Kind)] = &[
    (
        "海外警务服务站",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    (
        "警侨事务海外服务站",
        "police_overseas_chinese_affairs_station",
        Kind::Station(0.95),
    ),
    (
        "警侨事务海外服务点",
        "police_overseas_chinese_affairs_station",
        Kind::Station(0.95),
    ),
    (
        "涉侨事务海外服务站",
        "overseas_chinese_affairs_station",
        Kind::Station(0.9),
    ),
    (
        "海外警察服务站",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    (
        "警察海外服务站",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    ("海外警务站", "overseas_police_station", Kind::Station(0.9)),
    ("海外警察站", "overseas_police_station", Kind::Station(0.95)),
    ("海外警察局", "overseas_police_station", Kind::Station(0.9)),
    ("海外警局", "overseas_police_station", Kind::Station(0.9)),
    ("海外派出所", "overseas_police_station", Kind::Station(0.85)),
    ("秘密警察站", "secret_police_station", Kind::Station(0.9)),
    ("海外警站", "overseas_police_station", Kind::Station(0.9)),
    (
        "秘密警局",
        "secret_police_station",
        Kind::Generic(0.85, 0.45),
    ),
    ("非法警察站", "secret_police_station", Kind::Station(0.9)),
    ("中国警察站", "chinese_police_station", Kind::Station(0.9)),
    ("中共警察站", "chinese_police_station", Kind::Station(0.9)),
    (
        "中国警察服务站",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "中共警察服务站",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    ("警察服务站", "police_service_station", Kind::Station(0.8)),
    ("警务服务站", "police_service_station", Kind::Station(0.8)),
    ("警务服务点", "police_service_station", Kind::Station(0.75)),
    ("警察服务中心", "police_service_centre", Kind::Station(0.7)),
    (
        "海外警察服务中心",
        "overseas_police_service_station",
        Kind::Station(0.9),
    ),
    (
        "海外警务服务中心",
        "overseas_police_service_station",
        Kind::Station(0.9),
    ),
    ("秘密警察局", "secret_police_station", Kind::Station(0.85)),
    ("中国警察局", "chinese_police_station", Kind::Station(0.85)),
    (
        "警务办事处",
        "police_office_abroad",
        Kind::Generic(0.7, 0.4),
    ),
    ("警察站", "police_station_zh", Kind::Station(0.75)),
    (
        "警侨驿站",
        "police_overseas_chinese_post",
        Kind::Station(0.9),
    ),
    (
        "华侨服务站",
        "overseas_chinese_service_station",
        Kind::Generic(0.6, 0.55),
    ),
    ("海外110服务站", "overseas_110_station", Kind::Station(0.95)),
    (
        "海外110警务服务站",
        "overseas_110_station",
        Kind::Station(0.95),
    ),
    ("中国派出所", "chinese_police_station", Kind::Station(0.6)),
    (
        "警侨事务",
        "police_overseas_chinese_affairs_station",
        Kind::Prefix,
    ),
    // Look-alikes.
    ("海外110", "overseas_110_hotline", Kind::LookAlike(0.4)),
    ("海外110报警", "overseas_110_hotline", Kind::LookAlike(0.15)),
    (
        "海外110报警服务台",
        "overseas_110_hotline",
        Kind::LookAlike(0.1),
    ),
    (
        "海外110报警平台",
        "overseas_110_hotline",
        Kind::LookAlike(0.1),
    ),
    (
        "海外110报警专席",
        "overseas_110_hotline",
        Kind::LookAlike(0.1),
    ),
    (
        "海外110网络平台",
        "overseas_110_hotline",
        Kind::LookAlike(0.2),
    ),
    ("联合巡逻", "joint_patrol", Kind::LookAlike(0.05)),
    ("联合巡警", "joint_patrol", Kind::LookAlike(0.05)),
    (
        "警务联络官",
        "police_liaison_officer",
        Kind::LookAlike(0.05),
    ),
    ("派出所", "domestic_police_station", Kind::LookAlike(0.2)),
    (
        "警侨服务室",
        "domestic_police_overseas_chinese_office",
        Kind::LookAlike(0.2),
    ),
    (
        "警侨服务中心",
        "domestic_police_overseas_chinese_office",
        Kind::LookAlike(0.3),
    ),
    (
        "华助中心",
        "overseas_chinese_help_centre",
        Kind::LookAlike(0.15),
    ),
];

/// Latin-script terms as written (normalised into tokens when loaded).
const LATIN_TERMS: &[(&str, &str, Kind)] = &[
    // English.
    (
        "overseas police service station",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    (
        "police service overseas station",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    (
        "overseas police service center",
        "overseas_police_service_station",
        Kind::Station(0.9),
    ),
    (
        "overseas police service centre",
        "overseas_police_service_station",
        Kind::Station(0.9),
    ),
    (
        "overseas service station",
        "overseas_police_service_station",
        Kind::Station(0.85),
    ),
    (
        "overseas police station",
        "overseas_police_station",
        Kind::Station(0.9),
    ),
    (
        "overseas chinese police station",
        "overseas_police_station",
        Kind::Station(0.9),
    ),
    (
        "chinese police station",
        "chinese_police_station",
        Kind::Station(0.85),
    ),
    (
        "china police station",
        "chinese_police_station",
        Kind::Station(0.85),
    ),
    (
        "chinese overseas police station",
        "overseas_police_station",
        Kind::Station(0.9),
    ),
    (
        "unofficial chinese police station",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "secret chinese police station",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "secret police station",
        "secret_police_station",
        Kind::Generic(0.8, 0.45),
    ),
    (
        "undeclared police station",
        "secret_police_station",
        Kind::Generic(0.8, 0.45),
    ),
    (
        "illegal police station",
        "secret_police_station",
        Kind::Generic(0.75, 0.4),
    ),
    (
        "police service station",
        "police_service_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "police service center",
        "police_service_station",
        Kind::Generic(0.75, 0.35),
    ),
    (
        "police service centre",
        "police_service_station",
        Kind::Generic(0.75, 0.35),
    ),
    (
        "overseas police outpost",
        "overseas_police_station",
        Kind::Station(0.85),
    ),
    ("110 overseas", "overseas_110_station", Kind::Station(0.9)),
    ("police station", "police_station", Kind::Generic(0.6, 0.25)),
    (
        "service station",
        "police_service_station",
        Kind::Generic(0.55, 0.1),
    ),
    (
        "qiao station",
        "police_overseas_chinese_post",
        Kind::Station(0.8),
    ),
    (
        "overseas service centre",
        "overseas_police_service_station",
        Kind::Generic(0.8, 0.4),
    ),
    (
        "overseas service center",
        "overseas_police_service_station",
        Kind::Generic(0.8, 0.4),
    ),
    ("police outpost", "police_station", Kind::Generic(0.6, 0.25)),
    ("joint patrol", "joint_patrol", Kind::LookAlike(0.05)),
    ("joint police patrol", "joint_patrol", Kind::LookAlike(0.05)),
    (
        "police liaison officer",
        "police_liaison_officer",
        Kind::LookAlike(0.05),
    ),
    (
        "liaison officer",
        "police_liaison_officer",
        Kind::LookAlike(0.05),
    ),
    (
        "overseas 110 hotline",
        "overseas_110_hotline",
        Kind::LookAlike(0.1),
    ),
    (
        "overseas chinese service center",
        "overseas_chinese_help_centre",
        Kind::LookAlike(0.2),
    ),
    (
        "overseas chinese help center",
        "overseas_chinese_help_centre",
        Kind::LookAlike(0.15),
    ),
    (
        "overseas chinese help centre",
        "overseas_chinese_help_centre",
        Kind::LookAlike(0.15),
    ),
    // Spanish.
    (
        "comisaria china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "comisaria de policia china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "comisaria ilegal china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "comisaria secreta china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "comisaria clandestina china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "comisaria clandestina",
        "secret_police_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "comisaria secreta",
        "secret_police_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "comisaria ilegal",
        "secret_police_station",
        Kind::Generic(0.8, 0.4),
    ),
    (
        "comisaria encubierta",
        "secret_police_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "comisaria paralela",
        "secret_police_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "estacion secreta de policia",
        "secret_police_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "oficina de policia china",
        "chinese_police_station",
        Kind::Station(0.85),
    ),
    ("puesto policial", "police_station", Kind::Generic(0.6, 0.2)),
    (
        "delegacion policial",
        "police_station",
        Kind::Generic(0.6, 0.2),
    ),
    (
        "estacion de policia china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "estacion policial china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "estacion clandestina de la policia china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "estacion secreta de la policia china",
        "chinese_police_station",
        Kind::Station(0.9),
    ),
    (
        "estacion de servicio policial",
        "police_service_station",
        Kind::Station(0.85),
    ),
    (
        "estacion de servicio de policia",
        "police_service_station",
        Kind::Station(0.85),
    ),
    (
        "estacion de servicio de policia en el extranjero",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    (
        "estacion de servicio policial en el extranjero",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    (
        "estacion de servicio en el extranjero",
        "overseas_police_service_station",
        Kind::Station(0.85),
    ),
    (
        "centro de servicio policial en el extranjero",
        "overseas_police_service_station",
        Kind::Station(0.95),
    ),
    (
        "estacion qiao",
        "police_overseas_chinese_post",
        Kind::Station(0.8),
    ),
    (
        "centro de servicio policial",
        "police_service_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "centro de servicio de policia",
        "police_service_station",
        Kind::Generic(0.85, 0.45),
    ),
    (
        "centro policial",
        "police_service_station",
        Kind::Generic(0.7, 0.3),
    ),
    (
        "base policial",
        "police_service_station",
        Kind::Generic(0.65, 0.3),
    ),
    (
        "oficina policial",
        "police_service_station",
        Kind::Generic(0.65, 0.3),
    ),
    (
        "policia secreta china",
        "secret_police_station",
        Kind::Generic(0.6, 0.6),
    ),
    ("comisaria", "police_station", Kind::Generic(0.55, 0.2)),
    (
        "estacion de policia",
        "police_station",
        Kind::Generic(0.55, 0.2),
    ),
    (
        "estacion policial",
        "police_station",
        Kind::Generic(0.55, 0.2),
    ),
    (
        "puesto de policia",
        "police_station",
        Kind::Generic(0.6, 0.2),
    ),
    ("patrulla conjunta", "joint_patrol", Kind::LookAlike(0.05)),
    ("patrullaje conjunto", "joint_patrol", Kind::LookAlike(0.05)),
    ("patrulla mixta", "joint_patrol", Kind::LookAlike(0.05)),
    (
        "oficial de enlace",
        "police_liaison_officer",
        Kind::LookAlike(0.05),
    ),
    (
        "agregado policial",
        "police_liaison_officer",
        Kind::LookAlike(0.05),
    ),
    (
        "centro de servicio para la comunidad china",
        "overseas_chinese_help_centre",
        Kind::LookAlike(0.2),
    ),
    (
        "centro de ayuda",
        "overseas_chinese_help_centre",
        Kind::LookAlike(0.15),
    ),
];

/// What the pre-filter needs from the term tables: the Chinese terms (folded) and the Latin terms
/// as normalised token lists, of every kind that can give a `STATION_TERM` span (look-alikes
/// only ever lower a score, so they are left out).
pub(crate) fn station_capable_terms(folder: &Folder) -> (Vec<String>, Vec<Vec<String>>) {
    let zh = ZH_TERMS
        .iter()
        .filter(|t| !matches!(t.2, Kind::LookAlike(_)))
        .map(|t| folder.fold_str(t.0))
        .collect();
    let latin = LATIN_TERMS
        .iter()
        .filter(|t| !matches!(t.2, Kind::LookAlike(_)))
        .map(|t| {
            tokens(&folder.fold_str(t.0))
                .iter()
                .map(|k| k.norm.to_string())
                .collect()
        })
        .collect();
    (zh, latin)
}

/// Every term as written in the term lists (look-alikes included), for tests.
#[cfg(test)]
pub(crate) fn all_term_spellings() -> Vec<String> {
    ZH_TERMS
        .iter()
        .chain(LATIN_TERMS)
        .map(|t| t.0.to_string())
        .collect()
}

/// Every character of the folded Chinese terms (look-alikes included), and of the words the
/// 警侨事务 prefix looks for: a character outside this set never lies inside a Chinese match, so
/// the Chinese search is in step on both sides of it (the pre-filter cuts its windows there).
pub(crate) fn zh_term_chars(folder: &Folder) -> std::collections::HashSet<char> {
    ZH_TERMS
        .iter()
        .map(|t| folder.fold_str(t.0))
        .chain(["服务站".to_string(), "服务点".to_string()])
        .flat_map(|t| t.chars().collect::<Vec<_>>())
        .collect()
}

/// Words whose presence in a sentence makes a generic term (police station, comisaría) count.
const CHINA_WORDS: &[&str] = &[
    "china", "chinese", "chino", "chinos", "chinas", "prc", "beijing", "pekin", "ccp", "pcch",
    "fuzhou", "qingtian", "wenzhou", "nantong", "fujian", "zhejiang",
];
const CHINA_HAN: &[&str] = &["中国", "中共", "中國"];

/// Normalises a folded Latin token: plural `s` (and Spanish `-es` after `n`/`l`) removed.
fn norm_token(t: &str) -> &str {
    if t.len() > 5 && (t.ends_with("ones") || t.ends_with("les")) {
        &t[..t.len() - 2]
    } else if t.len() > 3 && t.ends_with('s') && !t.ends_with("ss") {
        &t[..t.len() - 1]
    } else {
        t
    }
}

/// One Latin token of the folded text.
struct Tok<'a> {
    start: usize,
    end: usize,
    norm: &'a str,
    /// A sentence break or CJK text lies between this token and the previous one.
    brk: bool,
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    // About one token in six bytes of Latin text: one allocation for a pre-filter window.
    let mut out = Vec::with_capacity((text.len() / 6 + 1).min(256));
    let mut brk = true;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            let s = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push(Tok {
                start: s,
                end: i,
                norm: norm_token(&text[s..i]),
                brk,
            });
            brk = false;
            continue;
        }
        if matches!(c, b'.' | b'!' | b'?' | b';' | b':' | b'(' | b')') || c >= 0x80 {
            brk = true;
        }
        i += 1;
    }
    out
}

/// The station-term tables.
#[derive(Debug)]
pub struct StationTables {
    zh: Dict<usize>,
    /// First token → phrases (token list, index into LATIN_TERMS), longest first.
    latin: FxMap<String, Vec<(Vec<String>, usize)>>,
}

impl StationTables {
    /// Builds the automaton and the phrase index (terms folded with `folder`).
    pub fn new(folder: &Folder) -> Result<Self, MatchError> {
        let mut b = DictBuilder::new();
        for (i, (term, _, _)) in ZH_TERMS.iter().enumerate() {
            b.add(&folder.fold_str(term), i);
        }
        let mut latin: FxMap<String, Vec<(Vec<String>, usize)>> = FxMap::default();
        for (i, (term, _, _)) in LATIN_TERMS.iter().enumerate() {
            let folded = folder.fold_str(term);
            let toks: Vec<String> = tokens(&folded).iter().map(|t| t.norm.to_string()).collect();
            if let Some(first) = toks.first() {
                latin.entry(first.clone()).or_default().push((toks, i));
            }
        }
        for v in latin.values_mut() {
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        }
        Ok(Self {
            zh: b.build()?,
            latin,
        })
    }
}

/// Finds station terms and their look-alikes. Cheap to clone (shares its tables).
#[derive(Debug, Clone)]
pub struct StationTermRecognizer {
    pub(crate) tables: Arc<StationTables>,
    pub(crate) folder: Arc<Folder>,
}

/// True when `text` may contain a sentence that [`sentence_speaks_of_china`]: one of
/// [`CHINA_WORDS`] (ASCII case ignored) or [`CHINA_HAN`] occurs in it as a substring, or a
/// character whose lower case is not itself but contains an ASCII letter (U+0130, U+212A). When
/// false, no sentence of the text speaks of China, so [`china_near`] is 0 everywhere in it.
/// One pass of a small automaton that stops at the first occurrence.
fn text_may_speak_of_china(text: &str) -> bool {
    static CUES: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let cues = CUES.get_or_init(|| {
        let pats: Vec<&str> = CHINA_WORDS
            .iter()
            .chain(CHINA_HAN)
            .copied()
            .chain(["\u{130}", "\u{212a}"])
            .collect();
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(pats)
            .ok()
    });
    cues.as_ref().is_none_or(|ac| ac.is_match(text))
}

fn sentence_speaks_of_china(s: &str) -> bool {
    let s = s.to_lowercase();
    CHINA_HAN.iter().any(|w| s.contains(w))
        || s.split(|c: char| !c.is_alphanumeric())
            .any(|w| CHINA_WORDS.contains(&w))
}

/// How closely China is mentioned around code point `ch`: 1.0 in its sentence, 0.5 within two
/// sentences before or one after, else 0.
fn china_near(doc: &Doc, ch: usize) -> f32 {
    let Some(k) = doc.sentence_of_char(ch) else {
        return 0.0;
    };
    let sents = doc.sentence_bytes();
    if sentence_speaks_of_china(&doc.text()[sents[k].clone()]) {
        return 1.0;
    }
    let lo = k.saturating_sub(2);
    let hi = (k + 1).min(sents.len() - 1);
    if (lo..=hi).any(|j| j != k && sentence_speaks_of_china(&doc.text()[sents[j].clone()])) {
        0.5
    } else {
        0.0
    }
}

/// The label and score of a term of kind `kind`, given how closely China is mentioned (only
/// read for generic terms).
fn label_score(kind: Kind, china: f32) -> (Label, f32) {
    match kind {
        Kind::Station(s) => (Label::StationTerm, s),
        Kind::Generic(with, without) => (Label::StationTerm, without + (with - without) * china),
        Kind::LookAlike(s) => (Label::LookAlike, s),
        Kind::Prefix => (Label::StationTerm, 0.45),
    }
}

fn make(doc: &Doc, r: std::ops::Range<usize>, key: &str, kind: Kind, china: f32) -> Span {
    let (label, score) = label_score(kind, china);
    doc.span_from_chars(r.start, r.end, label, STATION_SOURCE)
        .with_canonical(key)
        .with_score(score)
}

impl StationTermRecognizer {
    /// Calls `found` with every term in the folded text, in the order the recognizer reports
    /// them before sorting: (code-point range in the original text, key, kind). Stops early
    /// when `found` returns true.
    fn terms(
        &self,
        folded: &FoldedText,
        mut found: impl FnMut(std::ops::Range<usize>, &'static str, Kind) -> bool,
    ) {
        let t = &*self.tables;
        let text = &folded.folded;
        for h in t.zh.find(text) {
            let Some(&i) = t.zh.payloads(h.pattern).first() else {
                continue;
            };
            let (_, key, kind) = ZH_TERMS[i];
            let mut end = h.end;
            let mut kind = kind;
            if kind == Kind::Prefix {
                // 福州警侨事务XX服务站: a few characters, then 服务站 or 服务点.
                let look: String = text[h.end..].chars().take(8).collect();
                for word in ["服务站", "服务点"] {
                    if let Some(p) = look.find(word) {
                        let gap = &look[..p];
                        if gap.chars().all(is_cjk) {
                            end = h.end + p + word.len();
                            kind = Kind::Station(0.95);
                            break;
                        }
                    }
                }
            }
            if found(folded.original_range(h.start..end), key, kind) {
                return;
            }
        }
        let toks = tokens(text);
        let mut i = 0;
        while i < toks.len() {
            let mut matched = 0;
            if let Some(cands) = t.latin.get(toks[i].norm) {
                for (phrase, idx) in cands {
                    let n = phrase.len();
                    if i + n > toks.len() {
                        continue;
                    }
                    let ok = (0..n)
                        .all(|k| toks[i + k].norm == phrase[k] && (k == 0 || !toks[i + k].brk));
                    if ok {
                        let (_, key, kind) = LATIN_TERMS[*idx];
                        let r = folded.original_range(toks[i].start..toks[i + n - 1].end);
                        if found(r, key, kind) {
                            return;
                        }
                        matched = n;
                        break;
                    }
                }
            }
            i += matched.max(1);
        }
    }

    /// Recognises station terms on an already folded copy of the document text.
    pub fn recognize_folded(&self, doc: &Doc, folded: &FoldedText) -> Vec<Span> {
        let mut spans = Vec::new();
        self.terms(folded, |r, key, kind| {
            let china = if matches!(kind, Kind::Generic(..)) {
                china_near(doc, r.start)
            } else {
                0.0
            };
            spans.push(make(doc, r, key, kind, china));
            false
        });
        spans.sort_by_key(|s| (s.start, s.end));
        spans
    }

    /// True when [`StationTermRecognizer::recognize_folded`] on the whole of `text` would give a
    /// `STATION_TERM` span scored at least `min`, looking for terms only inside the byte ranges
    /// `windows` (in text order, not overlapping, on character boundaries; `[0..text.len()]` for
    /// the whole text), each folded on its own. No spans are built, the search stops at the first
    /// such term, and a generic term's sentence context is read from the whole text (split into
    /// sentences once, when the first generic term in a text with a China cue turns up).
    ///
    /// Gives the whole-text answer when every window is cut where the term search is in step
    /// (see the pre-filter's window cuts) and every term that counts lies in a window; out-of-range
    /// windows are skipped.
    pub fn has_station_term_in(
        &self,
        text: &str,
        windows: &[std::ops::Range<usize>],
        min: f32,
    ) -> bool {
        let mut doc: Option<Doc> = None;
        // Whether a sentence of `text` may speak of China (looked up at the first generic term).
        let mut cues: Option<bool> = None;
        // Code points of `text` before byte `counted`.
        let (mut counted, mut chars) = (0usize, 0usize);
        for w in windows {
            let Some(piece) = text.get(w.clone()) else {
                continue;
            };
            if w.start < counted {
                continue;
            }
            chars += text[counted..w.start].chars().count();
            counted = w.start;
            let base = chars;
            let folded = self.folder.fold(piece);
            let mut hit = false;
            self.terms(&folded, |r, _, kind| {
                let china = if !matches!(kind, Kind::Generic(..)) {
                    0.0
                } else if !*cues.get_or_insert_with(|| text_may_speak_of_china(text)) {
                    // No sentence speaks of China: `china_near` is 0 everywhere.
                    0.0
                } else {
                    let d = doc.get_or_insert_with(|| Doc::new(Document::new("prefilter", text)));
                    china_near(d, base + r.start)
                };
                let (label, score) = label_score(kind, china);
                hit = label == Label::StationTerm && score >= min;
                hit
            });
            if hit {
                return true;
            }
        }
        false
    }
}

impl Recognizer for StationTermRecognizer {
    fn name(&self) -> &str {
        STATION_SOURCE
    }

    fn recognize(&self, doc: &Doc) -> Vec<Span> {
        let folded = self.folder.fold(doc.text());
        self.recognize_folded(doc, &folded)
    }
}
