//! Exactness guard for the detector's fast paths: every detection (language, best guess, variant,
//! script, confidence and candidate probabilities, compared bit for bit) over every language-ID
//! test sentence, word pair and single word in `../shared/data/langid/`, the dev station articles
//! and seeded random mixtures of them must hash to the digest recorded with the reference code.
//!
//! The digests below were computed by this very test (`OUTPOST_PRINT_DIGEST=1 cargo test -p
//! outpost-lang --test same_detections -- --nocapture`) on commit 0ea4c7a's detector (before the
//! lazy n-gram lookups, the one-line table slots and the allocation-free quick path), and the
//! test was committed before those changes. Any change to a detection changes the digest.

use outpost_lang::reference::ReferenceDetector;
use outpost_lang::{Detection, Detector};
use std::path::PathBuf;

/// FNV-1a over the bytes fed in.
struct Digest(u64);

impl Digest {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 = (self.0 ^ x as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn detection(&mut self, d: &outpost_lang::Detection) {
        self.bytes(d.tag().as_bytes());
        self.bytes(d.best_tag().as_bytes());
        self.bytes(format!("{:?}{:?}", d.variant, d.script).as_bytes());
        self.bytes(&d.confidence.to_bits().to_le_bytes());
        for (l, p) in &d.candidates {
            self.bytes(l.code().as_bytes());
            self.bytes(&p.to_bits().to_le_bytes());
        }
        self.bytes(b"|");
    }
}

fn data_root() -> PathBuf {
    std::env::var_os("OUTPOST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// The first `n` code points of `s`.
fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map(|(b, _)| &s[..b]).unwrap_or(s)
}

/// All lines of the langid test files, in a fixed order (granularity, then file name).
fn langid_lines(root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for g in ["sentences", "word-pairs", "single-words"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("langid").join(g))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            out.extend(text.lines().map(str::to_string));
        }
    }
    out
}

fn article_texts(root: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("stations/articles.jsonl")).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect()
}

/// Seeded random articles: sentences of random languages (mostly one per article, as in news),
/// with URLs, e-mail addresses, digits and full-width letters mixed in, cut at random lengths.
fn mixtures(sentences: &[String], articles: &[String], n: usize) -> Vec<String> {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let noise = [
        " https://www.example.com/news/2022/10/a?b=c ",
        " info@police.example.org ",
        " www.test.org ",
        " 2022年10月27日 ",
        " ＡＢＣ警察 ",
        " (EFE) — ",
        " «Safeguard Defenders» ",
        " ÀÉÎÕÜ ß İstanbul ",
    ];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut t = String::new();
        let main = (next() % sentences.len() as u64) as usize;
        let parts = 1 + (next() % 12) as usize;
        for _ in 0..parts {
            match next() % 10 {
                0 => t.push_str(&sentences[(next() % sentences.len() as u64) as usize]),
                1 => t.push_str(noise[(next() % noise.len() as u64) as usize]),
                2 if !articles.is_empty() => {
                    let a = &articles[(next() % articles.len() as u64) as usize];
                    t.push_str(prefix(a, (next() % 600) as usize));
                }
                _ => {
                    let i = (main + (next() % 50) as usize) % sentences.len();
                    t.push_str(&sentences[i]);
                }
            }
            t.push(' ');
        }
        if next() % 3 == 0 {
            let cut = (next() % 500) as usize;
            t = prefix(&t, cut).to_string();
        }
        out.push(t);
    }
    out
}

/// Digest of `detect`, the pipeline's quick detection (400 code points, margin 24), two other
/// margins and `analyze` over `texts`.
fn digest(d: &Detector, texts: &[String]) -> u64 {
    let mut h = Digest::new();
    for t in texts {
        h.detection(&d.detect(t));
        h.detection(&d.detect_until_margin(prefix(t, 400), 24.0));
        h.detection(&d.detect_until_margin(t, 6.0));
        h.detection(&d.detect_until_margin(t, 0.0));
        // Segments: Debug prints every f32 in its shortest round-trip form, so exactly.
        h.bytes(format!("{:?}", d.analyze(t)).as_bytes());
    }
    h.0
}

/// The inputs both tests compare on: every langid line, the dev articles and 3,000 mixtures of
/// them; `None` (with a notice) when the shared data is absent.
fn inputs() -> Option<(Vec<String>, Vec<String>, Vec<String>)> {
    let root = data_root();
    let lines = langid_lines(&root);
    let articles = article_texts(&root);
    if lines.is_empty() || articles.is_empty() {
        eprintln!("skipping: shared data not found under {}", root.display());
        return None;
    }
    let sentences: Vec<String> = lines.iter().take(18_000).cloned().collect();
    let mixed = mixtures(&sentences, &articles, 3000);
    Some((lines, articles, mixed))
}

#[test]
fn detections_match_the_reference_digests() {
    let Some((lines, articles, mixed)) = inputs() else {
        return;
    };
    let d = Detector::new().unwrap();
    let got = [
        (lines.len(), digest(&d, &lines)),
        (articles.len(), digest(&d, &articles)),
        (mixed.len(), digest(&d, &mixed)),
    ];
    if std::env::var_os("OUTPOST_PRINT_DIGEST").is_some() {
        println!("{got:#x?}");
    }
    // (texts, digest) for the langid lines, the dev articles and the mixtures.
    let want: [(usize, u64); 3] = [
        (51_790, 0x06bd_c0f8_70e5_a33a),
        (46, 0x9482_3aa4_f32d_e848),
        (3000, 0xde35_10e9_7c24_7713),
    ];
    assert_eq!(got, want);
}

/// The fields of a detection with every probability as its bits.
fn bits(d: &Detection) -> (String, String, String, u32, Vec<(String, u32)>) {
    (
        d.tag(),
        d.best_tag(),
        format!("{:?}{:?}", d.variant, d.script),
        d.confidence.to_bits(),
        d.candidates
            .iter()
            .map(|(l, p)| (l.code().to_string(), p.to_bits()))
            .collect(),
    )
}

#[test]
fn detections_equal_the_reference_detectors() {
    let Some((lines, articles, mixed)) = inputs() else {
        return;
    };
    let d = Detector::new().unwrap();
    let r = ReferenceDetector::new(&d);
    let traditional = to_traditional(&lines);
    assert!(traditional.len() > 1000, "{}", traditional.len());
    let hant = traditional
        .iter()
        .filter(|t| d.detect(t).tag() == "zh-Hant")
        .count();
    assert!(
        hant * 2 > traditional.len(),
        "{hant} of {}",
        traditional.len()
    );
    let mut compared = 0;
    for t in lines
        .iter()
        .chain(&articles)
        .chain(&mixed)
        .chain(&traditional)
    {
        let quick = prefix(t, 400);
        assert_eq!(bits(&d.detect(t)), bits(&r.detect(t)), "detect: {t}");
        for (text, margin) in [(quick, 24.0), (t.as_str(), 6.0), (t.as_str(), 0.0)] {
            assert_eq!(
                bits(&d.detect_until_margin(text, margin)),
                bits(&r.detect_until_margin(text, margin)),
                "margin {margin}: {text}"
            );
        }
        compared += 1;
    }
    assert_eq!(
        compared,
        lines.len() + articles.len() + mixed.len() + traditional.len()
    );
}

/// The lines with Han characters, written in Traditional characters (each Simplified character
/// of the shipped variant table replaced by its first Traditional form), for the variant path.
fn to_traditional(lines: &[String]) -> Vec<String> {
    let table = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/zh-variants.tsv"),
    )
    .unwrap_or_default();
    let mut s2t = std::collections::BTreeMap::new();
    for line in table.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if let ["T", t, s] = f.as_slice() {
            if let (Some(t), Some(s)) = (t.chars().next(), s.chars().next()) {
                s2t.entry(s).or_insert(t);
            }
        }
    }
    lines
        .iter()
        .filter(|l| l.chars().any(|c| s2t.contains_key(&c)))
        .map(|l| l.chars().map(|c| *s2t.get(&c).unwrap_or(&c)).collect())
        .collect()
}
