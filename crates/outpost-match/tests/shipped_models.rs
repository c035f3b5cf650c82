//! Loads the compiled tables shipped in `models/match/` and checks them on sentences written for
//! this test; runs the dev-set evaluation when `../shared/data` is present (skips with a notice
//! otherwise).

use outpost_core::{Doc, Document, Label, Recognizer};
use outpost_match::Matchers;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load() -> Option<Matchers> {
    let dir = root().join("models/match");
    if !dir.join(outpost_match::tables::CITIES).exists() {
        eprintln!("models/match not found: skipping");
        return None;
    }
    Some(Matchers::load(&dir).expect("shipped tables load"))
}

fn labelled(m: &Matchers, text: &str, label: Label) -> Vec<(String, String, f32)> {
    m.recognize(&Doc::new(Document::new("t", text)))
        .into_iter()
        .filter(|s| s.label == label && s.score >= 0.5)
        .map(|s| (s.text, s.canonical.unwrap_or_default(), s.score))
        .collect()
}

#[test]
fn shipped_tables_recognise_written_examples() {
    let Some(m) = load() else { return };
    let b = labelled(
        &m,
        "青田县公安局与溫州市公安局、福建省公安厅的通报。",
        Label::Bureau,
    );
    let keys: Vec<&str> = b.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(keys, ["qingtian", "wenzhou", "fujian"], "{b:?}");
    let info = m.bureaus().info("qingtian").expect("qingtian");
    assert_eq!(info.adcode, "331121");
    assert_eq!(m.bureaus().name_en("changzhi").as_deref(), Some("Changzhi"));

    let c = labelled(
        &m,
        "Residents of Manhattan and of São Paulo, Brazil.",
        Label::City,
    );
    let names: Vec<String> = c
        .iter()
        .filter_map(|x| m.places().place_info(&x.1))
        .map(|p| p.name_en)
        .collect();
    assert_eq!(names, ["New York", "São Paulo"], "{c:?}");
    let zh = labelled(&m, "约翰内斯堡和紐約的华人社团", Label::City);
    let names: Vec<String> = zh
        .iter()
        .filter_map(|x| m.places().place_info(&x.1))
        .map(|p| p.name_en)
        .collect();
    assert_eq!(names, ["Johannesburg", "New York"], "{zh:?}");
    let k = labelled(
        &m,
        "Se reunieron en Irlanda y en los Países Bajos.",
        Label::Country,
    );
    assert_eq!(
        k.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        ["IE", "NL"]
    );
}

#[test]
fn continents_built_on_america_name_no_country_or_city() {
    let Some(m) = load() else { return };
    let places = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = labelled(&m, t, Label::Country)
            .into_iter()
            .chain(labelled(&m, t, Label::City))
            .map(|x| x.1)
            .collect();
        v.sort();
        v
    };
    for t in [
        "Investigations across Europe and North America.",
        "Stations in Latin America and South-America, and in Central America.",
        "Hay oficinas en América Latina, en América del Sur y en América do Sul.",
    ] {
        assert_eq!(places(t), Vec::<String>::new(), "{t}");
    }
    // "America" alone is still the United States, and a country after the continent still counts
    assert_eq!(places("A station in America."), ["US"]);
    assert_eq!(places("In Latin America, Chile opened an inquiry."), ["CL"]);
}

#[test]
fn place_names_inside_news_outlet_names_are_not_places() {
    let Some(m) = load() else { return };
    let places = |t: &str| -> Vec<String> {
        labelled(&m, t, Label::Country)
            .into_iter()
            .chain(labelled(&m, t, Label::City))
            .map(|x| x.1)
            .collect()
    };
    for t in [
        "The New York Times and the Washington Post reported it, as did Agence France-Presse.",
        "据《纽约时报》和美国之音报道，英国广播公司和德國之聲也证实。",
        "It was reported by the Voice of America.",
    ] {
        assert_eq!(places(t), Vec::<String>::new(), "{t}");
    }
    // the same names as places still count
    assert_eq!(
        places("A station in New York, and another in 纽约市."),
        ["5128581", "5128581"]
    );
}

#[test]
fn dev_set_evaluation_runs() {
    let Some(m) = load() else { return };
    let data = std::env::var_os("OUTPOST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    let a = data.join("stations/articles.jsonl");
    let g = data.join("stations/gold.jsonl");
    if !a.exists() || !g.exists() {
        eprintln!("shared data not found: skipping the dev-set evaluation");
        return;
    }
    let (r, _) = outpost_match::eval::evaluate(&m, &a, &g).expect("evaluation");
    assert!(r.articles > 0);
    for v in [r.country_recall, r.city_recall, r.bureau_recall] {
        assert!((0.0..=1.0).contains(&v));
    }
}

/// The dev articles' texts and the language-id sentence files of every language (whole, or as
/// paragraphs of `chunk` sentences); `None` when the shared data is absent.
fn shared_texts(chunk: Option<usize>) -> Option<Vec<String>> {
    let data = std::env::var_os("OUTPOST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    let articles = std::fs::read_to_string(data.join("stations/articles.jsonl")).ok()?;
    let mut texts: Vec<String> = articles
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    if let Ok(dir) = std::fs::read_dir(data.join("langid/sentences")) {
        for e in dir.flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                match chunk {
                    Some(n) => {
                        let lines: Vec<&str> = t.lines().collect();
                        texts.extend(lines.chunks(n).map(|c| c.join(" ")));
                    }
                    None => texts.push(t),
                }
            }
        }
    }
    Some(texts)
}

/// The one-pass place search finds exactly the hits of the reference search on every dev article
/// and on the language-id sentences of every language (the zh/es/en ones are the text the scan
/// benchmark runs over).
#[test]
fn one_pass_place_search_agrees_with_reference_on_shared_data() {
    let Some(m) = load() else { return };
    let Some(texts) = shared_texts(None) else {
        eprintln!("shared data not found: skipping the search agreement check");
        return;
    };
    let places = m.places().tables();
    let mut hits = 0;
    for t in &texts {
        let f = m.folder().fold(t);
        let got = places.hits(&f.folded);
        assert_eq!(got, places.hits_reference(&f.folded));
        hits += got.len();
    }
    assert!(hits > 1000, "only {hits} place hits");
}

/// The NER train sentences of every language (CoNLL, one token per line), joined into articles of
/// `n` sentences (CJK tokens without spaces), with a newline between sentences in every other
/// article; empty when the shared data is absent.
fn ner_articles(n: usize) -> Vec<String> {
    let data = std::env::var_os("OUTPOST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir(data.join("ner")) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for d in dirs {
        let Ok(t) = std::fs::read_to_string(d.join("train.conll")) else {
            continue;
        };
        let mut sents: Vec<String> = Vec::new();
        let mut cur: Vec<&str> = Vec::new();
        for line in t.lines().chain(std::iter::once("")) {
            if line.trim().is_empty() {
                if !cur.is_empty() {
                    let cjk = cur.iter().all(|w| w.chars().count() == 1 && !w.is_ascii());
                    sents.push(cur.join(if cjk { "" } else { " " }));
                    cur.clear();
                }
            } else if let Some(tok) = line.split(['\t', ' ']).next() {
                cur.push(tok);
            }
        }
        for (k, c) in sents.chunks(n).enumerate() {
            out.push(c.join(if k % 2 == 0 { " " } else { "\n" }));
        }
    }
    out
}

/// The fast pre-filter check (station terms looked for only in windows around the station
/// anchors, bureaus without spans) gives the same answer as the staged report (`hits`, which
/// runs the station-term recognizer on the whole text and the bureau recognizer in full) on
/// every dev article, on paragraphs of eight language-id sentences of every language, and on
/// the NER train sentences of every corpus joined into articles; and the same answer as the
/// pipeline's matcher run over the whole text.
#[test]
fn prefilter_check_agrees_with_full_report_on_shared_data() {
    let Some(m) = load() else { return };
    let Some(mut texts) = shared_texts(Some(8)) else {
        eprintln!("shared data not found: skipping the pre-filter agreement check");
        return;
    };
    texts.extend(ner_articles(20));
    let pre = outpost_match::Prefilter::from_matchers(&m).expect("pre-filter");
    let (mut passed, mut anchored) = (0, 0);
    for t in &texts {
        let fast = pre.check(t);
        let full = pre.hits(t);
        assert_eq!(fast, full.passed(), "{}", &t[..t.len().min(200)]);
        // And the pipeline's own matcher over the whole text.
        let doc = Doc::new(Document::new("t", t.as_str()));
        let whole = m.recognize(&doc).iter().any(|s| {
            matches!(s.label, Label::StationTerm | Label::Bureau)
                && s.score >= outpost_match::PREFILTER_MIN_SCORE
        });
        assert_eq!(fast, whole, "{}", &t[..t.len().min(200)]);
        passed += usize::from(fast);
        anchored += usize::from(full.station_anchor);
    }
    assert!(
        passed > 20 && passed < texts.len() && anchored > 300,
        "{passed} passed, {anchored} with a station anchor, of {}",
        texts.len()
    );
}
