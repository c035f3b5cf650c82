//! Builds outpost's shipped tables (feature `compare`): the compact n-gram table from lingua's
//! language models and the Simplified/Traditional character table from OpenCC's dictionaries.
//!
//! Both sources are Apache-2.0 registry packages that `cargo fetch` puts under
//! `$CARGO_HOME/registry/src/*/`: `lingua-<language>-language-model-1.3.0/models/ngrams.fst` (a map
//! from n-gram to `ln` of its conditional probability) and
//! `ferrous-opencc-0.4.0/assets/dictionaries/{TS,ST}Characters.txt`.

use crate::error::LangError;
use crate::hanzi::HanVariants;
use crate::lang::Lang;
use crate::ngram::{ngram_hash, quantise, write_model, Entry};
use crate::script::Script;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How many n-grams of each order (1..=5) to keep per language, by joint frequency.
pub const DEFAULT_LIMITS: [usize; 5] = [usize::MAX, usize::MAX, usize::MAX, 24_000, 24_000];

/// Default share of accent-stripped text assumed in a Latin-script language's text, split evenly
/// between the two ways archives lose diacritics: replaced by the bare letter (`educacion`: URLs,
/// headlines, ASCII-only feeds) and dropped (`educacin`: text that went through a lossy encoding).
pub const DEFAULT_STRIPPED_SHARE: f64 = 0.25;

/// A Latin letter with diacritics as its bare ASCII letter (`é` -> `e`, `ñ` -> `n`); `None` for
/// every other character (ASCII letters, `ß`, `ł`, `ı`, non-Latin scripts).
pub fn bare_letter(c: char) -> Option<char> {
    if c.is_ascii() {
        return None;
    }
    let mut base = None;
    let mut marks = 0;
    let mut other = false;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if d.is_ascii_alphabetic() && base.is_none() {
            base = Some(d);
        } else if unicode_normalization::char::is_combining_mark(d) {
            marks += 1;
        } else {
            other = true;
        }
    });
    match base {
        Some(b) if marks > 0 && !other => Some(b),
        _ => None,
    }
}

/// The two accent-stripped forms of an n-gram: letters replaced by their bare letter, and letters
/// dropped. The dropped form is `None` when the n-gram begins or ends with a dropped letter (its
/// mass is counted by the shorter n-gram that begins and ends with kept letters) or has no
/// letter left; both are `None` when the n-gram has no letter with diacritics.
fn stripped_forms(g: &[char]) -> Option<(Vec<char>, Option<Vec<char>>)> {
    let bare: Vec<Option<char>> = g.iter().map(|&c| bare_letter(c)).collect();
    if bare.iter().all(Option::is_none) {
        return None;
    }
    let replaced = g.iter().zip(&bare).map(|(&c, b)| b.unwrap_or(c)).collect();
    let ends_kept =
        bare.first().is_some_and(Option::is_none) && bare.last().is_some_and(Option::is_none);
    let dropped = ends_kept.then(|| {
        g.iter()
            .zip(&bare)
            .filter(|(_, b)| b.is_none())
            .map(|(&c, _)| c)
            .collect()
    });
    Some((replaced, dropped))
}

/// Mixes accent-stripped text into a language's n-gram distribution: with `joint` the log joint
/// probability of each n-gram (by code points), returns the log joint probabilities of
/// `(1 - 2 share) * original + share * replaced + share * dropped`, where "replaced" and "dropped"
/// are the n-gram distributions of the same text with every letter with diacritics replaced by its
/// bare letter or deleted (see [`stripped_forms`]). A language without such letters is unchanged.
pub fn mix_stripped(joint: &HashMap<Vec<char>, f64>, share: f64) -> HashMap<Vec<char>, f64> {
    if share <= 0.0 {
        return joint.clone();
    }
    let keep = (1.0 - 2.0 * share).max(1e-9).ln();
    let part = share.ln();
    let mut out: HashMap<Vec<char>, f64> = HashMap::with_capacity(joint.len() * 5 / 4);
    let mut add = |g: &[char], lp: f64| {
        match out.get_mut(g) {
            Some(v) => *v = log_sum_exp(*v, lp),
            None => {
                out.insert(g.to_vec(), lp);
            }
        };
    };
    for (g, &j) in joint {
        match stripped_forms(g) {
            None => add(g, j), // (1 - 2 share) + share + share: unchanged
            Some((replaced, dropped)) => {
                add(g, keep + j);
                add(&replaced, part + j);
                if let Some(d) = dropped {
                    add(&d, part + j);
                }
            }
        }
    }
    out
}

/// The languages whose n-grams the table holds: those that share a script with another language
/// (the others are told apart by script alone).
pub fn modelled_languages() -> Vec<Lang> {
    Lang::ALL
        .into_iter()
        .filter(|l| !matches!(l, Lang::Ko | Lang::Ru | Lang::Ar))
        .collect()
}

/// lingua's English name of a language, as used in its model crate names.
pub fn lingua_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "chinese",
        Lang::Es => "spanish",
        Lang::En => "english",
        Lang::Pt => "portuguese",
        Lang::Ca => "catalan",
        Lang::It => "italian",
        Lang::Fr => "french",
        Lang::De => "german",
        Lang::Nl => "dutch",
        Lang::Ja => "japanese",
        Lang::Ko => "korean",
        Lang::Ru => "russian",
        Lang::Ar => "arabic",
        Lang::Vi => "vietnamese",
        Lang::Id => "indonesian",
        Lang::Tr => "turkish",
        Lang::Pl => "polish",
        Lang::Ro => "romanian",
    }
}

/// Finds an unpacked registry package `name` (e.g. `lingua-english-language-model-1.3.0`) under
/// `$CARGO_HOME/registry/src/*/` (default `~/.cargo`); `None` when it is not there (run
/// `cargo fetch` with feature `compare` first).
pub fn find_registry_package(name: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let src = home.join("registry").join("src");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&src)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join(name)))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn io_err(path: &Path, source: std::io::Error) -> LangError {
    LangError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Reads OpenCC's `TSCharacters.txt` and `STCharacters.txt` from `dicts` into the variant table.
pub fn build_variants(dicts: &Path) -> Result<HanVariants, LangError> {
    let read = |name: &str| -> Result<Vec<(char, Vec<char>)>, LangError> {
        let path = dicts.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (k, v) = line.split_once('\t').ok_or_else(|| LangError::Parse {
                path: path.display().to_string(),
                line: i + 1,
                message: "expected key<TAB>values".into(),
            })?;
            let mut kc = k.chars();
            let (Some(key), None) = (kc.next(), kc.next()) else {
                continue;
            };
            let vals: Vec<char> = v.split(' ').filter_map(|s| s.chars().next()).collect();
            out.push((key, vals));
        }
        Ok(out)
    };
    let mut t2s = Vec::new();
    for (t, vals) in read("TSCharacters.txt")? {
        if !vals.contains(&t) && !vals.is_empty() {
            t2s.push((t, vals[0]));
        }
    }
    let mut simp_only = Vec::new();
    for (s, vals) in read("STCharacters.txt")? {
        if !vals.contains(&s) {
            simp_only.push(s);
        }
    }
    Ok(HanVariants::from_parts(t2s, simp_only))
}

/// Statistics of a built table.
#[derive(Debug, Clone, Default)]
pub struct TableStats {
    /// Per language: n-grams read per order and n-grams kept per order.
    pub per_language: Vec<(Lang, [usize; 5], [usize; 5])>,
    /// Distinct n-grams in the table.
    pub entries: usize,
}

/// Reads one lingua model: n-gram -> ln conditional probability.
fn read_lingua(lang: Lang) -> Result<HashMap<String, f64>, LangError> {
    use fst::Streamer;
    let pkg = format!("lingua-{}-language-model-1.3.0", lingua_name(lang));
    let dir = find_registry_package(&pkg).ok_or_else(|| {
        LangError::Model(format!(
            "registry package {pkg} not found under $CARGO_HOME/registry/src: run `cargo fetch` with feature compare"
        ))
    })?;
    let path = dir.join("models").join("ngrams.fst");
    let bytes = std::fs::read(&path).map_err(|e| io_err(&path, e))?;
    let map =
        fst::Map::new(bytes).map_err(|e| LangError::Model(format!("{}: {e}", path.display())))?;
    let mut out = HashMap::with_capacity(map.len());
    let mut stream = map.stream();
    while let Some((k, v)) = stream.next() {
        if let Ok(s) = std::str::from_utf8(k) {
            out.insert(s.to_string(), f64::from_bits(v));
        }
    }
    Ok(out)
}

fn log_sum_exp(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// Builds the n-gram table for `langs` from lingua's models, keeping `limits[n-1]` n-grams of order
/// `n` per language (by joint frequency). Han characters are folded to Simplified with `variants`
/// first, so that Traditional Chinese is scored like Simplified and zh/ja are told apart by the
/// characters and words that really differ. Latin-script languages get `stripped_share` of
/// accent-stripped text mixed in (see [`mix_stripped`]; 0 keeps lingua's probabilities).
pub fn build_table(
    langs: &[Lang],
    limits: [usize; 5],
    variants: &HanVariants,
    stripped_share: f64,
) -> Result<(Vec<u8>, TableStats), LangError> {
    let mut stats = TableStats::default();
    let mut table: HashMap<Vec<char>, Vec<u8>> = HashMap::new();
    for (col, &lang) in langs.iter().enumerate() {
        let model = read_lingua(lang)?;
        // Joint log probability: sum of the conditional log probabilities of all prefixes.
        let mut joint: HashMap<Vec<char>, f64> = HashMap::with_capacity(model.len());
        for g in model.keys() {
            let chars: Vec<char> = g.chars().collect();
            let n = chars.len();
            if n == 0 || n > 5 {
                continue;
            }
            let mut sum = 0.0;
            let mut ok = true;
            for k in 1..=n {
                let prefix: String = chars[..k].iter().collect();
                match model.get(&prefix) {
                    Some(v) => sum += v,
                    None => ok = false,
                }
            }
            if ok {
                joint.insert(chars, sum);
            }
        }
        if lang.writes(Script::Latin) {
            joint = mix_stripped(&joint, stripped_share);
        }
        let mut by_order: [Vec<(Vec<char>, f64, f64)>; 5] = Default::default();
        for (chars, &j) in &joint {
            let n = chars.len();
            // Conditional log probability of the last character given the others.
            let lp = if n == 1 {
                j
            } else {
                match joint.get(&chars[..n - 1]) {
                    Some(p) => j - p,
                    None => continue,
                }
            };
            let chars: Vec<char> = chars.iter().map(|&c| variants.fold(c)).collect();
            by_order[n - 1].push((chars, lp, j));
        }
        let mut read = [0usize; 5];
        let mut kept = [0usize; 5];
        for (o, list) in by_order.iter_mut().enumerate() {
            read[o] = list.len();
            // Fold variants: the same folded n-gram may occur twice; merge probabilities.
            let mut merged: HashMap<Vec<char>, (f64, f64)> = HashMap::new();
            for (g, lp, joint) in list.drain(..) {
                merged
                    .entry(g)
                    .and_modify(|e| *e = (log_sum_exp(e.0, lp), log_sum_exp(e.1, joint)))
                    .or_insert((lp, joint));
            }
            let mut v: Vec<(Vec<char>, f64, f64)> =
                merged.into_iter().map(|(g, (lp, j))| (g, lp, j)).collect();
            v.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
            v.truncate(limits[o]);
            kept[o] = v.len();
            for (g, lp, _) in v {
                let row = table.entry(g).or_insert_with(|| vec![0; langs.len()]);
                row[col] = quantise(lp.min(0.0));
            }
        }
        stats.per_language.push((lang, read, kept));
    }
    let mut entries: Vec<(Vec<char>, Vec<u8>)> = table.into_iter().collect();
    entries.sort();
    stats.entries = entries.len();
    let entries: Vec<Entry> = entries
        .into_iter()
        .map(|(g, values)| Entry {
            hash: ngram_hash(&g),
            values,
        })
        .collect();
    Ok((write_model(langs, 5, [1.0, 0.0], &entries), stats))
}

/// Sentences of a CoNLL file (`token<TAB>tag`, blank line between sentences), tokens joined with
/// `join`.
pub fn conll_sentences(path: &Path, join: &str) -> Result<Vec<String>, LangError> {
    let text = std::fs::read_to_string(path).map_err(|e| io_err(path, e))?;
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join(join));
                cur.clear();
            }
        } else {
            cur.push(line.split('\t').next().unwrap_or(""));
        }
    }
    Ok(out)
}

/// Calibration texts from the NER **train** splits under `ner` (never the language-ID test data):
/// Spanish (wikiann_es, conll2002_es), English (wikiann_en, conll2003_en) and Chinese
/// (cluener2020), cut into snippets of 1, 2 and 4 words (Chinese: 1, 2 and 8 characters) and whole
/// sentences, so that the confidence is calibrated for short and long texts alike.
pub fn calibration_cases(ner: &Path) -> Result<Vec<(Lang, String)>, LangError> {
    let sources = [
        (Lang::Es, "wikiann_es", " "),
        (Lang::Es, "conll2002_es", " "),
        (Lang::En, "wikiann_en", " "),
        (Lang::En, "conll2003_en", " "),
        (Lang::Zh, "cluener2020", ""),
    ];
    let mut out = Vec::new();
    for (lang, dir, join) in sources {
        let sents = conll_sentences(&ner.join(dir).join("train.conll"), join)?;
        for (k, s) in sents.iter().step_by(7).take(1500).enumerate() {
            if lang == Lang::Zh {
                let chars: Vec<char> = s.chars().collect();
                for n in [1usize, 2, 8] {
                    if chars.len() >= n {
                        let at = (k * 31) % (chars.len() + 1 - n);
                        out.push((lang, chars[at..at + n].iter().collect()));
                    }
                }
            } else {
                let words: Vec<&str> = s
                    .split(' ')
                    .filter(|w| w.chars().any(char::is_alphabetic))
                    .collect();
                for n in [1usize, 2, 4] {
                    if words.len() >= n {
                        let at = (k * 31) % (words.len() + 1 - n);
                        out.push((lang, words[at..at + n].join(" ")));
                    }
                }
            }
            out.push((lang, s.clone()));
        }
    }
    Ok(out)
}

/// A calibration case scored: true language, raw scores, scored characters.
type Scored = (Lang, Vec<(Lang, f32)>, usize);

/// Fits the calibration `[t0, alpha]` (softmax temperature `t0 * chars^alpha`) by minimising the
/// mean negative log-likelihood of the true language over `cases`, on a grid. Returns the constants
/// and the mean NLL at `[1, 0]` and at the optimum.
pub fn fit_calibration(det: &crate::Detector, cases: &[(Lang, String)]) -> ([f32; 2], f64, f64) {
    let scored: Vec<Scored> = cases
        .iter()
        .filter_map(|(l, t)| det.calibration_scores(t).map(|(raw, n)| (*l, raw, n)))
        .collect();
    let nll = |c: [f32; 2]| -> f64 {
        let mut sum = 0.0;
        for (l, raw, n) in &scored {
            let post = crate::detector::posterior(raw, *n, c);
            let p = post.iter().find(|p| p.0 == *l).map(|p| p.1).unwrap_or(0.0);
            sum -= (p.max(1e-6) as f64).ln();
        }
        sum / scored.len().max(1) as f64
    };
    let base = nll([1.0, 0.0]);
    let mut best = ([1.0, 0.0], base);
    for ai in 0..=10 {
        let alpha = ai as f32 * 0.1;
        for ti in 0..=40 {
            let t0 = 0.25 * 1.12f32.powi(ti);
            let v = nll([t0, alpha]);
            if v < best.1 {
                best = ([t0, alpha], v);
            }
        }
    }
    (best.0, base, best.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn bare_letters_of_latin_diacritics_only() {
        assert_eq!(bare_letter('é'), Some('e'));
        assert_eq!(bare_letter('ñ'), Some('n'));
        assert_eq!(bare_letter('Ç'), Some('C'));
        assert_eq!(bare_letter('a'), None);
        assert_eq!(bare_letter('ß'), None);
        assert_eq!(bare_letter('ł'), None);
        assert_eq!(bare_letter('警'), None);
    }

    #[test]
    fn stripped_text_gets_mass_and_plain_ngrams_keep_theirs() {
        let mut joint = HashMap::new();
        joint.insert(g("ci"), (0.02f64).ln());
        joint.insert(g("ció"), (0.015f64).ln());
        joint.insert(g("ción"), (0.014f64).ln());
        joint.insert(g("cin"), (0.0001f64).ln());
        joint.insert(g("the"), (0.03f64).ln());
        let mixed = mix_stripped(&joint, 0.25);
        // an n-gram without diacritics and no stripped look-alike is unchanged
        assert!((mixed[&g("the")] - joint[&g("the")]).abs() < 1e-12);
        // ción -> cion (replaced) and cin (dropped)
        let cion = mixed[&g("cion")].exp();
        assert!((cion - 0.25 * 0.014).abs() < 1e-12);
        let cin = mixed[&g("cin")].exp();
        assert!((cin - (0.0001 + 0.25 * 0.014)).abs() < 1e-9, "{cin}");
        // the accented original keeps half its mass
        assert!((mixed[&g("ción")].exp() - 0.5 * 0.014).abs() < 1e-12);
        // ció ends with a dropped letter: its dropped form is counted by "ci" itself
        assert!((mixed[&g("cio")].exp() - 0.25 * 0.015).abs() < 1e-12);
        assert!((mixed[&g("ci")].exp() - 0.02).abs() < 1e-12);
        assert_eq!(mix_stripped(&joint, 0.0), joint);
    }
}
