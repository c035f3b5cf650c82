//! Synthetic run outputs for tests, the browser test and size measurements.
//!
//! The texts are written for this project (no third-party text). They mix scripts on purpose
//! (CJK, emoji outside the BMP, combining marks) so code-point offsets are exercised, and
//! [`Fixture::hostile`] carries markup and `javascript:` URLs that a review page must neither run
//! nor make clickable. Every span and evidence offset is produced through
//! [`outpost_core::Doc`], so they are correct by construction.

use crate::error::{Result, ReviewError};
use crate::rundir::DocumentText;
use outpost_core::{
    Address, ArticleSummary, Bureau, City, DateMention, Doc, Document, Evidence, Label, Person,
    Span, StationRecord,
};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// A run output held in memory: records, article summaries and documents.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    /// Lines of `candidates.jsonl`.
    pub records: Vec<StationRecord>,
    /// Lines of `articles.jsonl`.
    pub articles: Vec<ArticleSummary>,
    /// Lines of `documents.jsonl`.
    pub documents: Vec<DocumentText>,
}

/// A minimal record (for unit tests): article, country, city (as written = English name) and
/// confidence; no evidence.
pub fn record(article: &str, country: &str, city: Option<&str>, confidence: f32) -> StationRecord {
    StationRecord::new(
        article,
        country,
        city.map(|c| City::named(c, c)),
        confidence,
    )
}

/// What to mark in an article: a verbatim needle and its label.
type Mark<'a> = (&'a str, Label);

/// One synthetic article and the record it yields.
struct Spec<'a> {
    id: String,
    lang: &'a str,
    url: Option<&'a str>,
    title: &'a str,
    text: String,
    marks: Vec<Mark<'a>>,
}

/// Builds the document (spans located through [`Doc`]) for a spec.
fn build_doc(spec: &Spec<'_>) -> (Doc, DocumentText) {
    let mut document = Document::new(spec.id.clone(), spec.text.clone());
    document.url = spec.url.map(str::to_string);
    document.lang = Some(spec.lang.into());
    let doc = Doc::new(document);
    let mut spans: Vec<Span> = Vec::new();
    for (needle, label) in &spec.marks {
        if needle.is_empty() {
            continue;
        }
        for (b, _) in doc.text().match_indices(needle) {
            let s = doc
                .span_from_bytes(b, b + needle.len(), *label, "fixture")
                .with_score(0.9);
            if !spans.iter().any(|o| o.overlaps(&s)) {
                spans.push(s);
            }
        }
    }
    spans.sort_by_key(|s| (s.start, s.end));
    let dt = DocumentText {
        id: spec.id.clone(),
        url: spec.url.map(str::to_string),
        title: Some(spec.title.into()),
        date: Some("2022-11-02".into()),
        lang: Some(spec.lang.into()),
        text: spec.text.clone(),
        spans,
    };
    (doc, dt)
}

/// The evidence sentence of `doc` containing `needle` (the first sentence when absent).
fn evidence(doc: &Doc, needle: &str) -> Vec<Evidence> {
    let b = doc.text().find(needle).unwrap_or(0);
    let ch = doc.char_of_byte(b);
    let sentences = doc.sentence_chars();
    let k = doc.sentence_of_char(ch).unwrap_or(0);
    sentences
        .get(k)
        .map(|r| Evidence {
            text: doc.slice_chars(r.clone()).to_string(),
            start: r.start,
            end: r.end,
        })
        .into_iter()
        .collect()
}

/// A place used by the synthetic generator: country, city as written per language, English
/// name, GeoNames id and coordinates.
struct Place {
    cc: &'static str,
    zh: &'static str,
    es: &'static str,
    en: &'static str,
    gid: u64,
    lat: f64,
    lon: f64,
}

const PLACES: &[Place] = &[
    Place {
        cc: "NL",
        zh: "鹿特丹",
        es: "Róterdam",
        en: "Rotterdam",
        gid: 2747891,
        lat: 51.922,
        lon: 4.479,
    },
    Place {
        cc: "ES",
        zh: "马德里",
        es: "Madrid",
        en: "Madrid",
        gid: 3117735,
        lat: 40.417,
        lon: -3.704,
    },
    Place {
        cc: "IT",
        zh: "普拉托",
        es: "Prato",
        en: "Prato",
        gid: 3169561,
        lat: 43.880,
        lon: 11.097,
    },
    Place {
        cc: "US",
        zh: "纽约",
        es: "Nueva York",
        en: "New York",
        gid: 5128581,
        lat: 40.714,
        lon: -74.006,
    },
    Place {
        cc: "GB",
        zh: "伦敦",
        es: "Londres",
        en: "London",
        gid: 2643743,
        lat: 51.509,
        lon: -0.126,
    },
    Place {
        cc: "CA",
        zh: "多伦多",
        es: "Toronto",
        en: "Toronto",
        gid: 6167865,
        lat: 43.701,
        lon: -79.416,
    },
    Place {
        cc: "BR",
        zh: "圣保罗",
        es: "São Paulo",
        en: "São Paulo",
        gid: 3448439,
        lat: -23.548,
        lon: -46.636,
    },
    Place {
        cc: "EC",
        zh: "瓜亚基尔",
        es: "Guayaquil",
        en: "Guayaquil",
        gid: 3657509,
        lat: -2.190,
        lon: -79.887,
    },
    Place {
        cc: "JP",
        zh: "东京",
        es: "Tokio",
        en: "Tokyo",
        gid: 1850147,
        lat: 35.690,
        lon: 139.692,
    },
    Place {
        cc: "AU",
        zh: "悉尼",
        es: "Sídney",
        en: "Sydney",
        gid: 2147714,
        lat: -33.868,
        lon: 151.207,
    },
    Place {
        cc: "ZA",
        zh: "约翰内斯堡",
        es: "Johannesburgo",
        en: "Johannesburg",
        gid: 993800,
        lat: -26.202,
        lon: 28.044,
    },
    Place {
        cc: "HU",
        zh: "布达佩斯",
        es: "Budapest",
        en: "Budapest",
        gid: 3054643,
        lat: 47.498,
        lon: 19.040,
    },
];

const BUREAUS: &[(&str, &str, &str, &str)] = &[
    (
        "福州市公安局",
        "Fuzhou Public Security Bureau",
        "Fuzhou",
        "350100",
    ),
    (
        "青田县公安局",
        "Qingtian Public Security Bureau",
        "Qingtian",
        "331121",
    ),
    (
        "温州市公安局",
        "Wenzhou Public Security Bureau",
        "Wenzhou",
        "330300",
    ),
    (
        "南通市公安局",
        "Nantong Public Security Bureau",
        "Nantong",
        "320600",
    ),
];

/// Text, station term, bureau as written, city as written, address, host organisation and
/// person for one synthetic article in `lang`.
fn synth_text(lang: &str, p: &Place, b: usize, n: usize) -> (String, Vec<(String, Label)>) {
    let (bz, ben, _, _) = BUREAUS[b % BUREAUS.len()];
    let house = 3 + n % 97;
    let (text, marks) = match lang {
        "zh" => {
            let term = "警侨事务海外服务站";
            let addr = format!("中央街{house}号");
            let org = "华侨华人联合会";
            let person = "王小明";
            (
                format!(
                    "【海外】据报道🚓，{bz}在{city}设立了“{term}”，地址位于{addr}。\
                     该站由当地{org}承办，负责人{person}称其只提供驾照更新等服务。\
                     当地警方表示已介入调查。",
                    city = p.zh
                ),
                vec![
                    (bz.to_string(), Label::Bureau),
                    (p.zh.to_string(), Label::City),
                    (term.to_string(), Label::StationTerm),
                    (addr, Label::Address),
                    (org.to_string(), Label::Org),
                    (person.to_string(), Label::Per),
                ],
            )
        }
        "es" => {
            let term = "comisaría china";
            let addr = format!("calle Pe\u{301}rez Galdós {house}");
            let org = "Asociación de Comerciantes Chinos";
            let person = "José Chen";
            (
                format!(
                    "La ONG denunció que una {term} operaba en {city} 🇪🇸 desde 2018. \
                     Según el informe, la oficina dependía de la {ben} y funcionaba en la {addr}, \
                     dentro de la sede de la {org}. Su presidente, {person}, negó cualquier actividad policial.",
                    city = p.es
                ),
                vec![
                    (term.to_string(), Label::StationTerm),
                    (p.es.to_string(), Label::City),
                    (ben.to_string(), Label::Bureau),
                    (addr, Label::Address),
                    (org.to_string(), Label::Org),
                    (person.to_string(), Label::Per),
                ],
            )
        }
        _ => {
            let term = "overseas police service station";
            let addr = format!("{house} Harbour Road");
            let org = "Overseas Chinese Friendship Association";
            let person = "Lu Jianwang";
            (
                format!(
                    "Investigators say an {term} 😀 run by the {ben} operated in {city}. \
                     The office at {addr} was hosted by the {org}; its head, {person}, was questioned. \
                     Officials in Beijing denied the claims.",
                    city = p.en
                ),
                vec![
                    (term.to_string(), Label::StationTerm),
                    (ben.to_string(), Label::Bureau),
                    (p.en.to_string(), Label::City),
                    (addr, Label::Address),
                    (org.to_string(), Label::Org),
                    (person.to_string(), Label::Per),
                ],
            )
        }
    };
    (text, marks)
}

fn find_mark(marks: &[(String, Label)], label: Label) -> Option<&str> {
    marks
        .iter()
        .find(|(_, l)| *l == label)
        .map(|(s, _)| s.as_str())
}

impl Fixture {
    /// A fixture of `n` records over about `n / 2` articles in zh/es/en, with bureaus, addresses,
    /// people, dates, coordinates for most records and confidences spread over [0.05, 0.99].
    /// Deterministic.
    pub fn synthetic(n: usize) -> Fixture {
        let mut fx = Fixture::default();
        let langs = ["zh", "es", "en"];
        let mut made = 0usize;
        let mut a = 0usize;
        while made < n {
            let lang = langs[a % 3];
            let per_article = if a % 4 == 3 { 1 } else { 2 }.min(n - made);
            let id = format!("syn-{a:06}");
            let p0 = &PLACES[(a * 7) % PLACES.len()];
            let (mut text, mut marks) = synth_text(lang, p0, a, a);
            // A second location in the same article when the article yields two records.
            let p1 = &PLACES[(a * 7 + 5) % PLACES.len()];
            if per_article == 2 {
                let (t2, m2) = synth_text(lang, p1, a + 1, a + 1);
                text.push('\n');
                text.push_str(&t2);
                marks.extend(m2);
            }
            let spec = Spec {
                id: id.clone(),
                lang,
                url: Some("https://news.example.org/world/2022/11/story.html"),
                title: "Synthetic report",
                text: text.clone(),
                marks: marks.iter().map(|(s, l)| (s.as_str(), *l)).collect(),
            };
            let (doc, mut dt) = build_doc(&spec);
            dt.url = Some(format!("https://news.example.org/{lang}/{a}"));
            for (k, p) in [p0, p1].into_iter().take(per_article).enumerate() {
                let (_, m) = synth_text(lang, p, a + k, a + k);
                let city_w = find_mark(&m, Label::City).unwrap_or(p.en);
                let (bz, ben, canon, adcode) = BUREAUS[(a + k) % BUREAUS.len()];
                // Confidence spread deterministically over [0.05, 0.99].
                let conf = 0.05 + 0.94 * (((made * 7919) % 1000) as f32 / 999.0);
                let mut fc = BTreeMap::new();
                fc.insert("country".into(), 0.95);
                fc.insert("city".into(), 0.9);
                let mut r = record(&id, p.cc, None, conf);
                r.url = dt.url.clone();
                r.language = Some(lang.into());
                r.station_name = find_mark(&m, Label::StationTerm).map(str::to_string);
                r.bureau = Some(Bureau {
                    as_written: if lang == "zh" { bz } else { ben }.into(),
                    canonical: Some(canon.into()),
                    adcode: Some(adcode.into()),
                });
                let has_coords = made % 10 != 9;
                r.city = Some(City {
                    as_written: city_w.into(),
                    name_en: Some(p.en.into()),
                    geonames_id: Some(p.gid),
                    lat: has_coords.then_some(p.lat),
                    lon: has_coords.then_some(p.lon),
                });
                r.address = find_mark(&m, Label::Address).map(|raw| Address {
                    raw: raw.into(),
                    components: BTreeMap::new(),
                });
                r.host_org = find_mark(&m, Label::Org).map(str::to_string);
                r.people = find_mark(&m, Label::Per)
                    .map(|n| Person {
                        name: n.into(),
                        role: Some("head".into()),
                    })
                    .into_iter()
                    .collect();
                r.dates = vec![DateMention {
                    kind: "reported".into(),
                    value: "2022-11".into(),
                    as_written: "2022".into(),
                }];
                r.status = if a.is_multiple_of(5) {
                    vec!["investigated".into()]
                } else {
                    Vec::new()
                };
                r.count = 1 + u32::from(a.is_multiple_of(7)) * 2;
                r.evidence = evidence(&doc, city_w);
                r.field_confidence = fc;
                fx.records.push(r);
                made += 1;
            }
            fx.articles.push(ArticleSummary {
                id: id.clone(),
                lang: Some(lang.into()),
                relevance: 0.9,
                records: per_article,
            });
            fx.documents.push(dt);
            a += 1;
        }
        fx
    }

    /// A small mixed fixture: three real-looking articles (zh, es with combining marks, en with
    /// emoji) yielding five records, plus one relevant article without records.
    pub fn mixed() -> Fixture {
        let mut fx = Fixture::synthetic(5);
        let spec = Spec {
            id: "net-001".into(),
            lang: "en",
            url: Some("https://news.example.org/analysis"),
            title: "Analysis of the network",
            text:
                "Rights groups counted more than 100 overseas police service stations 🌍 worldwide."
                    .into(),
            marks: vec![("overseas police service stations", Label::StationTerm)],
        };
        let (_, dt) = build_doc(&spec);
        fx.documents.push(dt);
        fx.articles.push(ArticleSummary {
            id: "net-001".into(),
            lang: Some("en".into()),
            relevance: 0.7,
            records: 0,
        });
        fx
    }

    /// Articles and records full of markup and script URLs: `<script>`, `<img onerror>`,
    /// `</script>` break-outs, `javascript:` / `data:` / `vbscript:` URLs in various spellings.
    /// Every payload sets `window.__pwned` if it ever runs.
    pub fn hostile() -> Fixture {
        let payloads: &[(&str, &str, &str)] = &[
            (
                "xss-script",
                "javascript:window.__pwned='href'",
                "Reporters found an overseas police service station <script>window.__pwned='script'</script> in Dublin. It was closed.",
            ),
            (
                "xss-img",
                " JaVaScRiPt:window.__pwned='href2'",
                "Una comisaría china <img src=x onerror=\"window.__pwned='img'\"> operaba en Madrid. Fue clausurada.",
            ),
            (
                "xss-breakout",
                "java\tscript:window.__pwned='href3'",
                "据报道，海外警务服务站</script><script>window.__pwned='breakout'</script>设在伦敦。警方已调查。",
            ),
            (
                "xss-svg",
                "data:text/html,<script>window.__pwned='data'</script>",
                "An overseas police service station <svg onload=\"window.__pwned='svg'\"></svg> in Prato & \"quotes\" 'here' <!-- comment. The office closed.",
            ),
            (
                "xss-entities",
                "vbscript:msgbox(1)",
                "A police station &lt;b&gt; overseas police service station {{constructor.constructor('window.__pwned=1')()}} in Toronto \u{2028} line. It closed.",
            ),
        ];
        let cities = [
            ("IE", "Dublin", "Dublin"),
            ("ES", "Madrid", "Madrid"),
            ("GB", "伦敦", "London"),
            ("IT", "Prato", "Prato"),
            ("CA", "Toronto", "Toronto"),
        ];
        let mut fx = Fixture::default();
        for (i, ((id, url, text), (cc, city, city_en))) in payloads.iter().zip(cities).enumerate() {
            let term = if text.contains("海外警务服务站") {
                "海外警务服务站"
            } else if text.contains("comisaría china") {
                "comisaría china"
            } else {
                "overseas police service station"
            };
            let spec = Spec {
                id: (*id).into(),
                lang: if i == 2 {
                    "zh"
                } else if i == 1 {
                    "es"
                } else {
                    "en"
                },
                url: Some(url),
                title: "<b onmouseover=\"window.__pwned='title'\">title</b>",
                text: (*text).into(),
                marks: vec![(term, Label::StationTerm), (city, Label::City)],
            };
            let (doc, mut dt) = build_doc(&spec);
            dt.title = Some(spec.title.into());
            let mut r = record(id, cc, None, 0.9 - i as f32 * 0.1);
            r.url = Some((*url).into());
            r.language = Some(spec.lang.into());
            r.station_name = Some(format!(
                "{term}<img src=x onerror=\"window.__pwned='name'\">"
            ));
            r.city = Some(City {
                as_written: city.into(),
                name_en: Some(format!("{city_en}<script>window.__pwned='city'</script>")),
                geonames_id: None,
                lat: Some(50.0 - i as f64 * 5.0),
                lon: Some(-5.0 + i as f64 * 5.0),
            });
            r.host_org = Some("</script><script>window.__pwned='org'</script>".into());
            r.bureau = Some(Bureau {
                as_written: "<a href=\"javascript:window.__pwned='bureau'\">bureau</a>".into(),
                canonical: Some("\"><img src=x onerror=window.__pwned='canon'>".into()),
                adcode: None,
            });
            r.people = vec![Person {
                name: "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>".into(),
                role: Some("<style>body{display:none}</style>".into()),
            }];
            r.status = vec!["javascript:window.__pwned='status'".into()];
            r.evidence = evidence(&doc, term);
            fx.records.push(r);
            fx.documents.push(dt);
            fx.articles.push(ArticleSummary {
                id: (*id).into(),
                lang: Some(spec.lang.into()),
                relevance: 0.8,
                records: 1,
            });
        }
        fx
    }
}

/// Writes a fixture as a run directory (`candidates.jsonl`, `articles.jsonl`, `documents.jsonl`,
/// `manifest.json`), creating the directory.
///
/// Errors: [`ReviewError::Io`] naming the file.
pub fn write_run(dir: &Path, fx: &Fixture) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| ReviewError::io(dir, e))?;
    fn lines<T: serde::Serialize>(path: &Path, items: &[T]) -> Result<()> {
        let mut buf = Vec::new();
        for item in items {
            serde_json::to_writer(&mut buf, item).map_err(|e| ReviewError::Export {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
            buf.push(b'\n');
        }
        let mut f = std::fs::File::create(path).map_err(|e| ReviewError::io(path, e))?;
        f.write_all(&buf).map_err(|e| ReviewError::io(path, e))
    }
    lines(&dir.join("candidates.jsonl"), &fx.records)?;
    lines(&dir.join("articles.jsonl"), &fx.articles)?;
    lines(&dir.join("documents.jsonl"), &fx.documents)?;
    let manifest = serde_json::json!({
        "fixture": true,
        "counts": {"read": fx.documents.len(), "processed": fx.documents.len(), "failed": 0},
        "records": fx.records.len(),
    });
    let mp = dir.join("manifest.json");
    std::fs::write(&mp, manifest.to_string()).map_err(|e| ReviewError::io(&mp, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::text::char_slice;

    #[test]
    fn fixture_offsets_slice_back_to_their_text() {
        for fx in [Fixture::synthetic(40), Fixture::mixed(), Fixture::hostile()] {
            let docs: BTreeMap<_, _> = fx.documents.iter().map(|d| (d.id.clone(), d)).collect();
            for d in &fx.documents {
                assert!(!d.spans.is_empty(), "{} has spans", d.id);
                for s in &d.spans {
                    assert_eq!(char_slice(&d.text, s.start, s.end), Some(s.text.as_str()));
                }
            }
            for r in &fx.records {
                let d = docs[&r.article_id];
                assert!(!r.evidence.is_empty());
                for e in &r.evidence {
                    assert_eq!(char_slice(&d.text, e.start, e.end), Some(e.text.as_str()));
                }
            }
        }
        let fx = Fixture::synthetic(40);
        assert_eq!(fx.records.len(), 40);
        // The texts really do exercise astral-plane and combining characters.
        let all: String = fx.documents.iter().map(|d| d.text.as_str()).collect();
        assert!(all.chars().any(|c| c as u32 > 0xFFFF));
        assert!(all.contains('\u{301}'));
        assert!(all.contains("警侨事务海外服务站"));
    }
}
