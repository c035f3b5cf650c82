//! Record assembly: from the spans of one document to candidate station records.
//!
//! The rule set (the foundation's baseline; later steps refine it behind the same function):
//!
//! * The article is **relevant** when it has a station term (`STATION_TERM` span) scoring ≥ 0.5;
//!   its relevance is the best such score. An irrelevant article yields no record.
//! * Every foreign place mention (`CITY` or `COUNTRY` span whose country is not CN, HK or MO)
//!   proposes a record keyed by (country, normalised city); mentions of the same key merge. A
//!   mention that names where the reporting group is based ("the Spain-based NGO"), a news
//!   outlet's or group's nationality ("the British newspaper", "la ONG española") or a language
//!   ("en inglés") proposes nothing; nor does a place whose every mention says it is not a
//!   station's location (a region, a capital named for its government, where someone lives, an
//!   embassy's seat, a dateline). A country mentioned without any city of that country gives a
//!   country-level record (city `null`).
//! * Confidence is higher when the mention shares a sentence with a station term (or is next to
//!   one) than when it only occurs somewhere in a relevant article.
//! * The record's station name, bureau and evidence come from the mention's sentence (bureau only
//!   when it sits in that sentence or in the neighbouring station-term sentence).

use crate::dates::date_kind;
use crate::fields::looks_like_authority;
use outpost_core::{
    Address, Bureau, City, DateMention, Doc, Evidence, Label, Person, Span, StationRecord,
};
use std::collections::{BTreeMap, BTreeSet};

/// What the assembler needs to know about a place id (a span's canonical id).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceInfo {
    /// Normalised English name (`New York`, `São Paulo`).
    pub name_en: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// GeoNames id when the place is a GeoNames city.
    pub geonames_id: Option<u64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
}

/// Resolves the canonical id of a `CITY` span to its [`PlaceInfo`].
pub trait PlaceLookup: Send + Sync {
    /// The place for a canonical id, `None` when unknown.
    fn place(&self, id: &str) -> Option<PlaceInfo>;
}

/// English names of GeoNames "cities" that name a kind of neighbourhood, not a host city.
const NOT_CITIES: &[&str] = &["chinatown"];

/// Country codes of the issuing side: mainland China and its special administrative regions (Hong
/// Kong, Macau). Places there propose no record.
const HOME: &[&str] = &["CN", "HK", "MO"];

/// Station-term score at or above which an article counts as relevant.
pub const RELEVANT: f32 = 0.5;

struct Proposal {
    country: String,
    city: Option<(String, PlaceInfo)>,
    first: usize,
    sentences: BTreeSet<usize>,
    near_station: bool,
    same_sentence: bool,
    mentions: usize,
    score: f32,
    /// Smallest gap in code points between a mention and a station term of the same sentence.
    station_gap: Option<usize>,
    /// Some mention follows a locative word ("in", "en", 在, 位于).
    locative: bool,
    /// Mentions whose context says the place is not the station's location (a region, a capital
    /// named for its government, where a person lives, an embassy's seat, a dateline).
    not_host_mentions: usize,
    /// Code-point ranges of every mention.
    at: Vec<(usize, usize)>,
}

/// Names of the features [`assemble`] computes for each record, in order (the record scorer's
/// inputs).
pub const FEATURES: &[&str] = &[
    "near_station_term",
    "same_sentence_station_term",
    "place_score",
    "log_mentions",
    "is_city",
    "log_station_terms",
    "relevance",
    "first_mention_position",
    "log_places_in_sentence",
    "bureau_in_sentence",
    "lang_zh",
    "lang_es",
    "station_term_gap",
    "locative_before",
    "not_host_share",
];

/// Assembles records for `doc` from its spans. Returns the article relevance in [0, 1] and the
/// records, ordered by first mention.
pub fn assemble(doc: &Doc, places: &dyn PlaceLookup) -> (f32, Vec<StationRecord>) {
    let (r, recs, _) = assemble_with_features(doc, places);
    (r, recs)
}

/// As [`assemble`], plus one feature row per record (see [`FEATURES`]); the records' confidence is
/// the rule-based one, for a learned scorer to replace.
pub fn assemble_with_features(
    doc: &Doc,
    places: &dyn PlaceLookup,
) -> (f32, Vec<StationRecord>, Vec<Vec<f64>>) {
    let station: Vec<&Span> = doc
        .spans_with(Label::StationTerm)
        .filter(|s| s.score >= RELEVANT)
        .collect();
    let relevance = station.iter().map(|s| s.score).fold(0.0f32, f32::max);
    if station.is_empty() {
        return (relevance, Vec::new(), Vec::new());
    }
    let station_sents: BTreeSet<usize> = station
        .iter()
        .filter_map(|s| doc.sentence_of_char(s.start))
        .collect();
    let near = |k: usize| {
        station_sents.contains(&k)
            || (k > 0 && station_sents.contains(&(k - 1)))
            || station_sents.contains(&(k + 1))
    };

    let persons: Vec<&Span> = doc
        .spans_with(Label::Per)
        .filter(|s| s.score >= 0.5)
        .collect();
    let inside_person = |span: &Span| {
        persons
            .iter()
            .any(|p| p.overlaps(span) && p.len() > span.len())
    };
    let mut proposals: BTreeMap<(String, String), Proposal> = BTreeMap::new();
    let mut add = |key: (String, String), p: Proposal| {
        proposals
            .entry(key)
            .and_modify(|q| {
                q.sentences.extend(p.sentences.iter().copied());
                q.near_station |= p.near_station;
                q.same_sentence |= p.same_sentence;
                q.mentions += p.mentions;
                q.score = q.score.max(p.score);
                q.first = q.first.min(p.first);
                q.station_gap = match (q.station_gap, p.station_gap) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                q.locative |= p.locative;
                q.not_host_mentions += p.not_host_mentions;
                q.at.extend(p.at.iter().copied());
            })
            .or_insert(p);
    };
    for span in doc.spans.iter().filter(|s| s.score >= 0.5) {
        let sent = doc.sentence_of_char(span.start);
        let near_station = sent.map(near).unwrap_or(false);
        let same_sentence = sent.map(|k| station_sents.contains(&k)).unwrap_or(false);
        let (country, city) = match span.label {
            Label::City => {
                let Some(info) = span.canonical.as_deref().and_then(|id| places.place(id)) else {
                    continue;
                };
                // A neighbourhood type is not a host city, and a place name inside a person's
                // name ("Carolina Tohá") is not a place.
                if NOT_CITIES.contains(&info.name_en.to_lowercase().as_str()) || inside_person(span)
                {
                    continue;
                }
                (info.country.clone(), Some((span.text.clone(), info)))
            }
            Label::Country => match span.canonical.as_deref() {
                Some(c) => (c.to_ascii_uppercase(), None),
                None => continue,
            },
            _ => continue,
        };
        // China's own territory, the special administrative regions included, hosts no
        // "overseas" station
        if HOME.contains(&country.as_str()) {
            continue;
        }
        let station_gap = sent.and_then(|k| {
            station
                .iter()
                .filter(|s| doc.sentence_of_char(s.start) == Some(k))
                .map(|s| {
                    s.start
                        .saturating_sub(span.end)
                        .max(span.start.saturating_sub(s.end))
                })
                .min()
        });
        let around = Around::of(doc, span);
        if seat_medium_or_language(span, &around) {
            continue;
        }
        let (locative, not_host) = mention_context(doc, span, &around);
        let city_key = city
            .as_ref()
            .map(|(_, i)| i.name_en.to_lowercase())
            .unwrap_or_default();
        add(
            (country.clone(), city_key),
            Proposal {
                country,
                city,
                first: span.start,
                sentences: sent.into_iter().collect(),
                near_station,
                same_sentence,
                mentions: 1,
                score: span.score,
                station_gap,
                locative,
                not_host_mentions: usize::from(not_host),
                at: vec![(span.start, span.end)],
            },
        );
    }
    // A place whose every mention says it is not a station's location (a region, an embassy's
    // seat, where someone lives) gets no record.
    proposals.retain(|_, p| p.not_host_mentions < p.mentions);
    let countries_with_city: BTreeSet<String> = proposals
        .values()
        .filter(|p| p.city.is_some())
        .map(|p| p.country.clone())
        .collect();
    let mut kept: Vec<Proposal> = proposals
        .into_values()
        .filter(|p| p.city.is_some() || !countries_with_city.contains(&p.country))
        .collect();
    kept.sort_by_key(|p| p.first);

    let sentence_ranges = doc.sentence_chars();
    let n_chars = doc.char_len().max(1) as f64;
    let place_sents: Vec<usize> = doc
        .spans
        .iter()
        .filter(|s| matches!(s.label, Label::City | Label::Country) && s.score >= 0.5)
        .filter_map(|s| doc.sentence_of_char(s.start))
        .collect();
    let bureau_sents: BTreeSet<usize> = doc
        .spans_with(Label::Bureau)
        .filter(|s| s.score >= 0.5)
        .filter_map(|s| doc.sentence_of_char(s.start))
        .collect();
    let lang = doc.lang.clone().unwrap_or_default();
    // The article's bureau when it names exactly one (by canonical key).
    let article_bureau = {
        let bureaus: Vec<&Span> = doc
            .spans_with(Label::Bureau)
            .filter(|s| s.score >= 0.5)
            .collect();
        let keys: BTreeSet<&str> = bureaus
            .iter()
            .filter_map(|s| s.canonical.as_deref())
            .collect();
        (keys.len() == 1).then(|| bureaus[0])
    };
    let place_spans: Vec<&Span> = doc
        .spans
        .iter()
        .filter(|s| matches!(s.label, Label::City | Label::Country | Label::Bureau))
        .collect();
    // People: names with trailing/leading punctuation trimmed ("Harry)"), never a place name.
    let person_spans: Vec<Span> = doc
        .spans_with(Label::Per)
        .filter(|s| s.score >= 0.2)
        .filter(|s| !place_spans.iter().any(|p| p.overlaps(s)))
        .filter_map(|s| {
            let lead = s.text.chars().take_while(|c| !c.is_alphanumeric()).count();
            let name = s.text.trim_matches(|c: char| !c.is_alphanumeric());
            // A Latin-script name needs a given name and a surname ("Wang" alone or "Harry" is
            // not enough to identify anyone); authorities and media tagged as people are dropped.
            let latin = name.chars().all(|c| c < '\u{2e80}');
            let ok = name.chars().count() >= 2
                && (!latin || name.split_whitespace().count() >= 2)
                && !looks_like_authority(name)
                // A Chinese "name" starting with a function word is a tagging slip (為哈利).
                && !name.starts_with(['为', '為', '的', '被', '是', '在', '和', '与', '與', '及']);
            ok.then(|| {
                let mut t = s.clone();
                t.start += lead;
                t.end = t.start + name.chars().count();
                t.text = name.to_string();
                t
            })
        })
        .collect();
    let role_of = |s: &Span| -> Option<&'static str> {
        let k = doc.sentence_of_char(s.start)?;
        let r = doc.sentence_bytes().get(k)?.clone();
        let sentence = doc.text().get(r.clone())?;
        let rel = |sp: &Span| {
            doc.byte_of_char(sp.start).saturating_sub(r.start)
                ..doc.byte_of_char(sp.end).saturating_sub(r.start)
        };
        let others: Vec<std::ops::Range<usize>> = person_spans
            .iter()
            .filter(|o| o.start != s.start && doc.sentence_of_char(o.start) == Some(k))
            .map(rel)
            .collect();
        crate::fields::role_near(sentence, rel(s), &others)
    };
    let finder = field_finder();
    let to_cand = |f: crate::fields::Found| Cand {
        start: doc.char_of_byte(f.bytes.start),
        end: doc.char_of_byte(f.bytes.end),
        text: f.text,
        score: f.score,
        owner: 0,
    };
    // A name holding a station term is the station's own name, not its host's.
    let mut host_candidates: Vec<Cand> = finder
        .host_orgs(doc.text())
        .into_iter()
        .map(to_cand)
        .filter(|c| !station.iter().any(|s| s.start < c.end && c.start < s.end))
        .collect();
    for s in doc.spans_with(Label::Org).filter(|s| s.score >= 0.3) {
        let multiword = s.text.split_whitespace().count() >= 2
            || (s.text.chars().all(|c| c > '\u{2e80}') && s.text.chars().count() >= 3);
        if !multiword
            || looks_like_authority(&s.text)
            || place_spans.iter().any(|p| p.overlaps(s))
            || station.iter().any(|t| t.overlaps(s))
            || host_candidates
                .iter()
                .any(|c| c.start < s.end && s.start < c.end)
        {
            continue;
        }
        host_candidates.push(Cand {
            start: s.start,
            end: s.end,
            text: s.text.clone(),
            score: s.score.min(0.6),
            owner: 0,
        });
    }
    let mut address_candidates: Vec<Cand> = doc
        .spans_with(Label::Address)
        .filter(|a| a.score >= 0.25)
        .filter(|a| {
            !place_spans
                .iter()
                .any(|p| p.start <= a.start && a.end <= p.end)
        })
        .filter(|a| {
            !a.text.chars().any(|c| c > '\u{2e80}')
                || a.text.chars().any(|c| c.is_ascii_digit())
                || ZH_ADDRESS_MARKS.iter().any(|m| a.text.contains(m))
        })
        .map(|a| Cand {
            start: a.start,
            end: a.end,
            text: a.text.clone(),
            score: a.score.min(1.0),
            owner: 0,
        })
        .collect();
    for f in finder.floor_descriptions(doc.text()) {
        let c = to_cand(f);
        if !address_candidates
            .iter()
            .any(|a| a.start < c.end && c.start < a.end)
        {
            address_candidates.push(c);
        }
    }
    // Each candidate belongs to the record with the nearest mention.
    for c in host_candidates
        .iter_mut()
        .chain(address_candidates.iter_mut())
    {
        c.owner = kept
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| {
                p.at.iter()
                    .map(|&(s, e)| s.saturating_sub(c.end).max(c.start.saturating_sub(e)))
                    .min()
                    .unwrap_or(usize::MAX)
            })
            .map(|(k, _)| k)
            .unwrap_or(0);
    }
    let city_records = kept.iter().filter(|p| p.city.is_some()).count();
    let mut features = Vec::new();
    let records = kept
        .into_iter()
        .enumerate()
        .map(|(k_rec, p)| {
            let first_sent = p.sentences.iter().next().copied().unwrap_or(0);
            let places_in_sentence = place_sents.iter().filter(|&&k| k == first_sent).count();
            features.push(vec![
                f64::from(u8::from(p.near_station)),
                f64::from(u8::from(p.same_sentence)),
                f64::from(p.score),
                (1.0 + p.mentions as f64).ln(),
                f64::from(u8::from(p.city.is_some())),
                (1.0 + station.len() as f64).ln(),
                f64::from(relevance),
                p.first as f64 / n_chars,
                (1.0 + places_in_sentence as f64).ln(),
                f64::from(u8::from(
                    p.sentences.iter().any(|k| bureau_sents.contains(k)),
                )),
                f64::from(u8::from(lang == "zh")),
                f64::from(u8::from(lang == "es")),
                // 1 right next to a station term, falling towards 0 with the distance; 0 when none
                // shares the sentence.
                p.station_gap
                    .map(|g| 1.0 / (1.0 + g as f64 / 20.0))
                    .unwrap_or(0.0),
                f64::from(u8::from(p.locative)),
                p.not_host_mentions as f64 / p.mentions.max(1) as f64,
            ]);
            let sents: Vec<usize> = {
                let mut v: Vec<usize> = p.sentences.iter().copied().filter(|&k| near(k)).collect();
                if v.is_empty() {
                    v = p.sentences.iter().copied().collect();
                }
                v.truncate(3);
                v
            };
            let evidence: Vec<Evidence> = sents
                .iter()
                .filter_map(|&k| sentence_ranges.get(k))
                .map(|r| Evidence {
                    text: doc.slice_chars(r.clone()).to_string(),
                    start: r.start,
                    end: r.end,
                })
                .collect();
            let in_sents = |s: &Span| {
                doc.sentence_of_char(s.start)
                    .map(|k| sents.iter().any(|&e| e == k || e + 1 == k || k + 1 == e))
                    .unwrap_or(false)
            };
            let station_name = station
                .iter()
                .find(|s| in_sents(s))
                .or_else(|| station.first())
                .map(|s| s.text.clone());
            let bureau = doc
                .spans_with(Label::Bureau)
                .filter(|s| s.score >= 0.5)
                .find(|s| in_sents(s))
                .map(|s| (s, 0.7f32))
                .or_else(|| article_bureau.map(|s| (s, 0.4f32)))
                .map(|(s, c)| {
                    (
                        Bureau {
                            as_written: s.text.clone(),
                            canonical: s.canonical.clone(),
                            adcode: None,
                        },
                        c,
                    )
                });
            let in_window = |s: &&Span| in_sents(s) && s.score >= 0.5;
            // How directly the text ties a value at code point `at` to this record: 1 in a sentence
            // that mentions the place, 0.8 next to the evidence, 0.5 elsewhere.
            let mention_sents: BTreeSet<usize> = p.sentences.iter().copied().collect();
            let support = |at: usize| match doc.sentence_of_char(at) {
                Some(k) if mention_sents.contains(&k) => 1.0f32,
                Some(k)
                    if sents
                        .iter()
                        .chain(mention_sents.iter())
                        .any(|&e| e == k || e + 1 == k || k + 1 == e) =>
                {
                    0.8
                }
                _ => 0.5,
            };
            let mut field_confidence = BTreeMap::new();
            let people: Vec<Person> = {
                let mut seen = BTreeSet::new();
                let mut confs = Vec::new();
                let people: Vec<Person> = person_spans
                    .iter()
                    .filter(|s| in_sents(s))
                    .filter(|s| {
                        !host_candidates
                            .iter()
                            .any(|c| c.start < s.end && s.start < c.end)
                    })
                    .filter_map(|s| {
                        let role = role_of(s);
                        (s.score >= 0.5 || (s.score >= 0.2 && role.is_some())).then_some((s, role))
                    })
                    .filter(|(s, _)| seen.insert(s.text.clone()))
                    .map(|(s, role)| {
                        confs.push(
                            s.score.max(if role.is_some() { 0.6 } else { 0.0 }) * support(s.start),
                        );
                        Person {
                            name: s.text.clone(),
                            role: role.map(str::to_string),
                        }
                    })
                    .collect();
                if !confs.is_empty() {
                    field_confidence.insert(
                        "people".to_string(),
                        confs.iter().sum::<f32>() / confs.len() as f32,
                    );
                }
                people
            };
            let in_sents_at = |at: usize| support(at) > 0.5;
            // A named host organisation far from the evidence still belongs to the record when the
            // article locates at most two stations.
            let host_eligible =
                |c: &Cand| in_sents_at(c.start) || (city_records <= 2 && c.score >= 0.7);
            let host_org =
                best_for(k_rec, &host_candidates, &host_eligible, &support).map(|(c, conf)| {
                    field_confidence.insert("host_org".to_string(), conf);
                    c.text.clone()
                });
            // A street address far from the evidence still belongs to the record when the article
            // locates at most two stations.
            let address_eligible = |c: &Cand| in_sents_at(c.start) || city_records <= 2;
            let address = best_for(k_rec, &address_candidates, &address_eligible, &support).map(
                |(c, conf)| {
                    field_confidence.insert("address".to_string(), conf);
                    Address {
                        raw: c.text.clone(),
                        components: Default::default(),
                    }
                },
            );
            let mut dates: Vec<DateMention> = Vec::new();
            let mut date_conf: Vec<f32> = Vec::new();
            for s in doc.spans_with(Label::Date).filter(in_window) {
                let Some(value) = s.canonical.clone() else {
                    continue;
                };
                let kind = doc
                    .sentence_of_char(s.start)
                    .and_then(|k| sentence_ranges.get(k))
                    .map(|r| {
                        date_kind(
                            doc.slice_chars(r.start..s.start),
                            doc.slice_chars(s.end..r.end),
                        )
                    })
                    .unwrap_or("event");
                date_conf
                    .push(s.score * support(s.start) * if kind == "event" { 0.8 } else { 1.0 });
                dates.push(DateMention {
                    kind: kind.to_string(),
                    value,
                    as_written: s.text.clone(),
                });
            }
            if !date_conf.is_empty() {
                field_confidence.insert(
                    "dates".to_string(),
                    date_conf.iter().sum::<f32>() / date_conf.len() as f32,
                );
            }
            if let Some(d) = doc
                .document
                .date
                .as_deref()
                .filter(|d| !d.trim().is_empty())
            {
                dates.push(DateMention {
                    kind: "reported".to_string(),
                    value: d.trim().to_string(),
                    as_written: d.trim().to_string(),
                });
            }
            let status = status_words(&evidence);
            let count = count_near(&evidence, p.city.as_ref().map(|(w, _)| w.as_str()));
            let confidence = if p.near_station { 0.75 } else { 0.35 } * p.score.max(0.5);
            field_confidence.insert("country".to_string(), p.score);
            if let Some(name) = &station_name {
                let sc = station
                    .iter()
                    .find(|s| &s.text == name)
                    .map(|s| s.score * support(s.start))
                    .unwrap_or(0.5);
                field_confidence.insert("station_name".to_string(), sc);
            }
            field_confidence.insert("count".to_string(), if count > 1 { 0.8 } else { 0.9 });
            if !status.is_empty() {
                field_confidence.insert("status".to_string(), 0.6);
            }
            let city = p.city.map(|(written, info)| {
                field_confidence.insert("city".to_string(), p.score);
                City {
                    as_written: written,
                    name_en: Some(info.name_en),
                    geonames_id: info.geonames_id,
                    lat: info.lat,
                    lon: info.lon,
                }
            });
            let bureau = bureau.map(|(b, c)| {
                field_confidence.insert("bureau".to_string(), c);
                b
            });
            StationRecord {
                article_id: doc.id().to_string(),
                url: doc.document.url.clone(),
                language: doc.lang.clone(),
                station_name,
                bureau,
                country: p.country,
                city,
                address,
                host_org,
                people,
                dates,
                status,
                count,
                evidence,
                confidence,
                field_confidence,
            }
        })
        .collect();
    (relevance, records, features)
}

/// Marks of a Chinese street address or building (a bare division name such as 福建 is not one).
const ZH_ADDRESS_MARKS: &[&str] = &[
    "街", "路", "道", "巷", "号", "號", "楼", "樓", "层", "層", "埠", "厦", "廈", "室", "弄",
];

/// A host-organisation or address candidate: code-point range, text, rule score, owning record.
struct Cand {
    start: usize,
    end: usize,
    text: String,
    score: f32,
    owner: usize,
}

/// The shared field finder (patterns compiled once per process).
fn field_finder() -> &'static crate::fields::FieldFinder {
    static F: std::sync::OnceLock<crate::fields::FieldFinder> = std::sync::OnceLock::new();
    F.get_or_init(crate::fields::FieldFinder::new)
}

/// The best candidate owned by record `k` and eligible by position: highest rule score × support,
/// then earliest. Returns it with its field confidence (score × support).
fn best_for<'a>(
    k: usize,
    cands: &'a [Cand],
    eligible: &dyn Fn(&Cand) -> bool,
    support: &dyn Fn(usize) -> f32,
) -> Option<(&'a Cand, f32)> {
    cands
        .iter()
        .filter(|c| c.owner == k && eligible(c))
        .map(|c| (c, (c.score * support(c.start)).clamp(0.0, 1.0)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.start.cmp(&a.0.start)))
}

/// The lower-cased text around a place mention: 48 code points before it, 40 after.
struct Around {
    before: String,
    after: String,
}

impl Around {
    fn of(doc: &Doc, span: &Span) -> Self {
        Self {
            before: doc
                .slice_chars(span.start.saturating_sub(48)..span.start)
                .to_lowercase(),
            after: doc
                .slice_chars(span.end..(span.end + 40).min(doc.char_len()))
                .to_lowercase(),
        }
    }
}

/// The context of one place mention: whether a locative word comes right before it ("in", "en",
/// "at", 在, 位于, optionally with an article), and whether the words around it say the place is not
/// where a station is (a region or province, a capital named for its government, where a person
/// lives, the seat of an embassy: "lives in New York", "región de Valparaíso", "the Valparaiso
/// region", "the Chilean capital, Santiago", 驻爱尔兰). Where a reporting group is based is
/// [`seat_medium_or_language`]'s.
fn mention_context(doc: &Doc, span: &Span, around: &Around) -> (bool, bool) {
    let (before, after) = (&around.before, &around.after);
    let b = before.trim_end();
    let words: Vec<&str> = b
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = |n: usize| words.iter().rev().take(n).copied().collect::<Vec<_>>();
    let tail = last(2);
    let locative = matches!(
        tail.first().copied(),
        Some("in" | "en" | "at" | "near" | "inside" | "within")
    ) || (tail.len() == 2
        && matches!(tail[0], "the" | "el" | "la" | "los" | "las" | "del" | "de")
        && matches!(tail[1], "in" | "en" | "at"))
        || ["在", "于", "於", "位于", "位於", "设在", "設在"]
            .iter()
            .any(|w| b.ends_with(w));
    let not_host_before = [
        "lives in",
        "living in",
        "live in",
        "capital,",
        "capital",
        "embassy in",
        "consulate in",
        "embajada en",
        "embajada de china en",
        "consulado en",
        "región de",
        "region of",
        "province of",
        "provincia de",
        "comunidad de",
        "驻",
        "駐",
    ]
    .iter()
    .any(|w| b.ends_with(w));
    let a = after.trim_start();
    let not_host_after = [
        "region",
        "región",
        "province",
        "provincia",
        "state",
        "大使馆",
        "大使館",
        "领事馆",
        "領事館",
    ]
    .iter()
    .any(|w| a.starts_with(w));
    (
        locative,
        not_host_before || not_host_after || dateline(doc, span),
    )
}

/// Whether a place mention is a dateline, which says where the report was filed: an all-capital
/// place name opening a paragraph ("BUDAPEST -- …", "MADRID, 24 oct (EFE) -") or a place followed
/// by a day and 电/電 ("…台北5日電").
fn dateline(doc: &Doc, span: &Span) -> bool {
    let line_start = doc
        .slice_chars(span.start.saturating_sub(40)..span.start)
        .rsplit('\n')
        .next()
        .is_some_and(|b| b.trim().is_empty());
    // Latin capitals only: Han characters have no case
    let capitals = span.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && span
            .text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if line_start && capitals {
        return true;
    }
    let after: String = doc
        .slice_chars(span.end..(span.end + 6).min(doc.char_len()))
        .chars()
        .collect();
    let day = after.trim_start_matches(|c: char| c.is_ascii_digit());
    day.len() < after.len() && (day.starts_with("日电") || day.starts_with("日電"))
}

/// No letter or digit at this side of a match: `c` is the character next to it, if any.
fn boundary(c: Option<char>) -> bool {
    !c.is_some_and(char::is_alphanumeric)
}

/// Whether `w` occurs in `t` as whole words (no letter or digit right before or after it):
/// "ngo" is in "the ngo said", not in "congo".
fn has_word(t: &str, w: &str) -> bool {
    t.match_indices(w).any(|(i, _)| {
        boundary(t[..i].chars().next_back()) && boundary(t[i + w.len()..].chars().next())
    })
}

/// Whether a place mention names where a group is based, the nationality of a news outlet or a
/// group, or a language, rather than anywhere a station could be: "the Spain-based NGO",
/// "a rights group based in Spain", "con sede en España", 总部位于西班牙的, 西班牙人权组织, "the
/// British newspaper", "la revista estadounidense", "la ONG española", "(en inglés)". Such a
/// mention proposes no record (the place may still get one from its other mentions).
fn seat_medium_or_language(span: &Span, around: &Around) -> bool {
    let (before, after) = (&around.before, &around.after);
    let b = before.trim_end_matches(|c: char| c.is_whitespace() || c == '(');
    let a = after.trim_start();
    let word_at_end =
        |w: &str| b.ends_with(w) && boundary(b[..b.len() - w.len()].chars().next_back());
    let word_at_start = |w: &str| a.starts_with(w) && boundary(a[w.len()..].chars().next());
    // "based in" says where the reporting group sits only when such a group is named (a human
    // rights group, an NGO, a watchdog): a station, or the association hosting it ("a New
    // York-based nonprofit", "a Toronto-based association"), can be "based in" its host city too
    let group = |t: &str| {
        [
            "rights group",
            "human rights",
            "human-rights",
            "ngo",
            "watchdog",
            "defenders",
            "ong",
            "derechos humanos",
            "no gubernamental",
        ]
        .iter()
        .any(|w| has_word(t, w))
    };
    let seat = ([
        "based in",
        "headquartered in",
        "sede en",
        "afincada en",
        "afincado en",
        "radicada en",
        "radicado en",
    ]
    .iter()
    .any(|w| word_at_end(w))
        && group(b))
        || [
            "总部位于",
            "总部设在",
            "总部在",
            "總部位於",
            "總部設在",
            "總部在",
        ]
        .iter()
        .any(|w| b.ends_with(w))
        || ((a.starts_with("-based") || word_at_start("based"))
            && !a.contains("based on")
            && !a.contains("based upon")
            && group(a));
    // an outlet's or group's nationality: the demonym before (en) or after (es) the noun
    let medium = [
        "newspaper",
        "magazine",
        "broadcaster",
        "daily",
        "outlet",
        "news agency",
        "tabloid",
        "ngo",
        "rights group",
        "human rights group",
        "human-rights group",
        "think tank",
        "organisation",
        "organization",
    ]
    .iter()
    .any(|w| word_at_start(w))
        || [
            "人权组织",
            "人權組織",
            "的人权组织",
            "的人權組織",
            "非政府组织",
            "非政府組織",
            "的非政府组织",
            "的非政府組織",
            "媒体",
            "媒體",
        ]
        .iter()
        .any(|w| a.starts_with(w))
        || [
            "revista",
            "cadena",
            "diario",
            "periódico",
            "agencia",
            "medio",
            "medios",
            "televisión",
            "emisora",
            "rotativo",
            "ong",
            "organización",
        ]
        .iter()
        .any(|w| word_at_end(w));
    const LANGUAGES: &[&str] = &[
        "inglés",
        "español",
        "francés",
        "alemán",
        "italiano",
        "portugués",
        "neerlandés",
        "holandés",
        "english",
        "spanish",
        "french",
        "german",
        "italian",
        "portuguese",
        "dutch",
    ];
    let language = LANGUAGES.contains(&span.text.to_lowercase().as_str())
        && ["en", "in", "del", "from", "into", "al"]
            .iter()
            .any(|w| word_at_end(w));
    seat || medium || language
}

/// Status words found in the evidence sentences (closed, investigated, denied, arrested).
fn status_words(evidence: &[Evidence]) -> Vec<String> {
    let text = evidence
        .iter()
        .map(|e| e.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let table: &[(&str, &[&str])] = &[
        (
            "ordered closed",
            &[
                "ordered to close",
                "ordered to shut",
                "ordered the closure",
                "ordenó el cierre",
                "要求关闭",
                "要求關閉",
                "责令关闭",
            ],
        ),
        (
            "closed",
            &[
                "closed",
                "ceased",
                "cerrad",
                "cierre",
                "关闭",
                "關閉",
                "停止运作",
                "停止運作",
            ],
        ),
        (
            "under investigation",
            &[
                "investigat",
                "investigación",
                "investiga",
                "调查",
                "調查",
                "probe",
            ],
        ),
        (
            "denied",
            &[
                "denied",
                "deny",
                "denies",
                "negó",
                "niega",
                "desmint",
                "否认",
                "否認",
                "不存在",
            ],
        ),
        (
            "operators arrested",
            &["arrested", "detenid", "逮捕", "charged", "起诉", "起訴"],
        ),
        ("raided", &["raided", "searched", "搜查", "allanad"]),
    ];
    table
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|(s, _)| s.to_string())
        .collect()
}

/// A count of stations stated before the city in its sentence: "three in Madrid", "three alleged
/// Chinese police stations in the Toronto area", "tres comisarías en Madrid", "3个在多伦多",
/// "多伦多有3个"; 1 when none is stated. Only small counts (2–9) in words or digits are read, and
/// only when the words between the count and the city end in "in"/"en"/"在" (a count of something
/// else further back does not apply).
fn count_near(evidence: &[Evidence], city: Option<&str>) -> u32 {
    let Some(city) = city else { return 1 };
    let words: &[(&str, u32)] = &[
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("dos", 2),
        ("tres", 3),
        ("cuatro", 4),
        ("cinco", 5),
        ("seis", 6),
        ("siete", 7),
        ("ocho", 8),
        ("nueve", 9),
    ];
    let c = city.to_lowercase();
    for e in evidence {
        let t = e.text.to_lowercase();
        let Some(pos) = t.find(&c) else { continue };
        if c.chars().any(|ch| ch > '\u{2e80}') {
            // Chinese: "3个在多伦多" / "三个在多伦多" / "多伦多有3个".
            let before: String = t[..pos]
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = t[pos + c.len()..].chars().take(4).collect();
            for (k, ch) in ["两", "兩", "二", "三", "四", "五", "六", "七", "八", "九"]
                .iter()
                .enumerate()
            {
                let n = if k < 2 { 2 } else { k as u32 };
                if before.contains(&format!("{ch}个"))
                    || before.contains(&format!("{ch}個"))
                    || after.contains(&format!("有{ch}"))
                {
                    return n;
                }
            }
            for d in 2..=9u32 {
                if before.contains(&format!("{d}个"))
                    || before.contains(&format!("{d}個"))
                    || after.contains(&format!("有{d}"))
                {
                    return d;
                }
            }
            continue;
        }
        let before = &t[..pos];
        let toks: Vec<&str> = before
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let tail: Vec<&str> = toks.iter().rev().take(7).rev().copied().collect();
        let Some(prep) = tail.iter().rposition(|w| matches!(*w, "in" | "en")) else {
            continue;
        };
        if tail.len() - prep > 2 {
            continue; // "in" is not right before the city ("in the", "en la" allowed)
        }
        for w in tail[..prep].iter().rev() {
            if matches!(*w, "in" | "en" | "and" | "y") {
                break;
            }
            if let Some((_, n)) = words.iter().find(|(x, _)| x == w) {
                return *n;
            }
            if let Ok(n) = w.parse::<u32>() {
                if (2..=9).contains(&n) {
                    return n;
                }
                break;
            }
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::Document;

    struct Places;
    impl PlaceLookup for Places {
        fn place(&self, id: &str) -> Option<PlaceInfo> {
            let (name, cc) = match id {
                "1" => ("Dublin", "IE"),
                "2" => ("Fuzhou", "CN"),
                _ => return None,
            };
            Some(PlaceInfo {
                name_en: name.into(),
                country: cc.into(),
                geonames_id: id.parse().ok(),
                lat: None,
                lon: None,
            })
        }
    }

    fn doc_with(text: &str, marks: &[(&str, Label, &str, f32)]) -> Doc {
        let mut doc = Doc::new(Document::new("t", text));
        let spans: Vec<Span> = marks
            .iter()
            .map(|(needle, label, id, score)| {
                let b = text.find(needle).expect("needle in text");
                doc.span_from_bytes(b, b + needle.len(), *label, "test")
                    .with_canonical(*id)
                    .with_score(*score)
            })
            .collect();
        doc.add_spans(spans);
        doc
    }

    #[test]
    fn records_per_foreign_place_near_station_terms() {
        let text = "The Fuzhou police opened a police service station in Dublin. Ireland closed it. Spain said nothing.";
        let doc = doc_with(
            text,
            &[
                ("police service station", Label::StationTerm, "st", 0.9),
                ("Fuzhou police", Label::Bureau, "fuzhou", 0.9),
                ("Dublin", Label::City, "1", 0.9),
                ("Ireland", Label::Country, "IE", 0.9),
                ("Spain", Label::Country, "ES", 0.9),
            ],
        );
        let (rel, recs) = assemble(&doc, &Places);
        assert!(rel >= 0.9);
        assert_eq!(recs.len(), 2, "{recs:#?}");
        assert_eq!(recs[0].country, "IE");
        assert_eq!(
            recs[0].city.as_ref().and_then(|c| c.name_en.as_deref()),
            Some("Dublin")
        );
        assert_eq!(
            recs[0].bureau.as_ref().map(|b| b.as_written.as_str()),
            Some("Fuzhou police")
        );
        assert_eq!(
            recs[0].evidence[0].text,
            "The Fuzhou police opened a police service station in Dublin."
        );
        assert_eq!(recs[1].country, "ES");
        assert!(recs[1].city.is_none());
        assert!(recs[0].confidence > recs[1].confidence);
    }

    #[test]
    fn counts_before_the_city() {
        let ev = |t: &str| {
            vec![Evidence {
                text: t.into(),
                start: 0,
                end: 0,
            }]
        };
        assert_eq!(
            count_near(
                &ev(
                    "Police investigate three alleged Chinese police stations in the Toronto area."
                ),
                Some("Toronto")
            ),
            3
        );
        assert_eq!(
            count_near(
                &ev("nine in Spain: three in Madrid, two in Valencia"),
                Some("Valencia")
            ),
            2
        );
        assert_eq!(
            count_near(
                &ev("Hay tres comisarías clandestinas en Madrid."),
                Some("Madrid")
            ),
            3
        );
        assert_eq!(
            count_near(&ev("其中1个在纽约,3个在多伦多。"), Some("多伦多")),
            3
        );
        assert_eq!(
            count_near(&ev("One of 54 stations opened in Dublin."), Some("Dublin")),
            1
        );
        assert_eq!(
            count_near(
                &ev("Three men met in London with officials in Dublin."),
                Some("Dublin")
            ),
            1
        );
    }

    #[test]
    fn no_station_term_no_record() {
        let doc = doc_with(
            "Joint patrols in Dublin.",
            &[("Dublin", Label::City, "1", 0.9)],
        );
        let (rel, recs) = assemble(&doc, &Places);
        assert_eq!(rel, 0.0);
        assert!(recs.is_empty());
    }

    #[test]
    fn group_seats_outlet_nationalities_and_languages_propose_no_record() {
        let station = ("police service station", Label::StationTerm, "st", 0.9);
        let cases: &[(&str, &str, &str)] = &[
            (
                "The Spain-based NGO found a police service station.",
                "Spain",
                "ES",
            ),
            (
                "A rights group based in Spain found a police service station.",
                "Spain",
                "ES",
            ),
            (
                "The British newspaper saw a police service station.",
                "British",
                "GB",
            ),
            (
                "La revista estadounidense vio la police service station.",
                "estadounidense",
                "US",
            ),
            (
                "La ONG española halló una police service station.",
                "española",
                "ES",
            ),
            (
                "El informe (en inglés) cita una police service station.",
                "inglés",
                "GB",
            ),
        ];
        for (text, needle, cc) in cases {
            let doc = doc_with(text, &[station, (needle, Label::Country, cc, 0.9)]);
            assert!(assemble(&doc, &Places).1.is_empty(), "{text}");
        }
        // the same countries as places still propose records ("ong" and "ngo" are whole words)
        for (text, needle, cc) in [
            (
                "Among others, a police service station based in Spain.",
                "Spain",
                "ES",
            ),
            (
                "Spain-based police service stations, as in Congo.",
                "Spain",
                "ES",
            ),
            (
                "A New York-based association ran a police service station.",
                "New York",
                "US",
            ),
            ("Spain hosts a police service station.", "Spain", "ES"),
            ("A police service station based in Spain.", "Spain", "ES"),
            (
                "Two police service stations in Spain based on lists.",
                "Spain",
                "ES",
            ),
            (
                "A police service station in Spain, based on a report.",
                "Spain",
                "ES",
            ),
            (
                "Una police service station española, según el diario.",
                "española",
                "ES",
            ),
        ] {
            let doc = doc_with(text, &[station, (needle, Label::Country, cc, 0.9)]);
            assert_eq!(assemble(&doc, &Places).1.len(), 1, "{text}");
        }
        let doc = doc_with(
            "西班牙人权组织说，police service station。",
            &[station, ("西班牙", Label::Country, "ES", 0.9)],
        );
        assert!(assemble(&doc, &Places).1.is_empty());
        let doc = doc_with(
            "总部位于西班牙的组织说，police service station。",
            &[station, ("西班牙", Label::Country, "ES", 0.9)],
        );
        assert!(assemble(&doc, &Places).1.is_empty());
    }

    #[test]
    fn places_only_named_as_regions_seats_or_homes_get_no_record() {
        let station = ("police service station", Label::StationTerm, "st", 0.9);
        for text in [
            "A police service station opened. The embassy in Dublin denied it.",
            "A police service station opened. Zhou now lives in Dublin.",
            "A police service station opened in the Dublin region.",
        ] {
            let doc = doc_with(text, &[station, ("Dublin", Label::City, "1", 0.9)]);
            assert!(assemble(&doc, &Places).1.is_empty(), "{text}");
        }
        // one mention as a location is enough
        let doc = doc_with(
            "A police service station opened in Dublin; the embassy in Dublin denied it.",
            &[station, ("Dublin", Label::City, "1", 0.9)],
        );
        assert_eq!(assemble(&doc, &Places).1.len(), 1);
    }

    #[test]
    fn a_name_holding_a_station_term_is_not_the_host() {
        let text = "The Centro de Servicio de la Estación Qiao opened in Dublin.";
        let doc = doc_with(
            text,
            &[
                ("Estación Qiao", Label::StationTerm, "st", 0.9),
                (
                    "Centro de Servicio de la Estación Qiao",
                    Label::Org,
                    "",
                    0.9,
                ),
                ("Dublin", Label::City, "1", 0.9),
            ],
        );
        let recs = assemble(&doc, &Places).1;
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].host_org, None);
    }

    #[test]
    fn a_place_named_only_in_the_dateline_gets_no_record() {
        let station = ("police service station", Label::StationTerm, "st", 0.9);
        for (text, needle) in [
            (
                "DUBLIN -- A police service station opened in Rome.",
                "DUBLIN",
            ),
            (
                "Intro.\nDUBLIN (Reuters) - A police service station opened.",
                "DUBLIN",
            ),
            (
                "（中央社記者都柏林5日電）police service station。",
                "都柏林",
            ),
        ] {
            let doc = doc_with(text, &[station, (needle, Label::City, "1", 0.9)]);
            assert!(assemble(&doc, &Places).1.is_empty(), "{text}");
        }
        // a capitalised name inside the text, a name in lower case or in Han characters opening a
        // paragraph still count
        for (text, needle) in [
            ("A police service station opened in DUBLIN.", "DUBLIN"),
            ("Dublin -- a police service station opened.", "Dublin"),
            ("前言。\n都柏林的police service station。", "都柏林"),
        ] {
            let doc = doc_with(text, &[station, (needle, Label::City, "1", 0.9)]);
            assert_eq!(assemble(&doc, &Places).1.len(), 1, "{text}");
        }
    }

    #[test]
    fn chinese_home_cities_are_not_hosts() {
        let doc = doc_with(
            "福州设立海外警务服务站。",
            &[
                ("海外警务服务站", Label::StationTerm, "st", 0.95),
                ("福州", Label::City, "2", 0.9),
            ],
        );
        assert!(assemble(&doc, &Places).1.is_empty());
        let doc = doc_with(
            "香港和澳门的报道说，海外警务服务站在爱尔兰。",
            &[
                ("海外警务服务站", Label::StationTerm, "st", 0.95),
                ("香港", Label::Country, "HK", 0.9),
                ("澳门", Label::Country, "MO", 0.9),
                ("爱尔兰", Label::Country, "IE", 0.9),
            ],
        );
        let recs = assemble(&doc, &Places).1;
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].country, "IE");
    }
}
