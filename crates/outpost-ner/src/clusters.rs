//! Distributional word clusters induced from unlabelled text: each frequent word is described by
//! the counts of its left and right neighbours (among the most frequent words), and spherical
//! k-means groups the words at three granularities (k, k/4, k/16). Each word also gets a casing
//! profile (how often it is capitalised away from the sentence start).
//!
//! zh ([`induce_zh`]): the same clustering over the characters of raw sentences, keyed by
//! [`zh_char_key`].

use crate::conll::read_conll;
use crate::error::{NerError, Result};
use crate::features::Clusters;
use crate::hash::{hash_str, mix};
use crate::lang::Lang;
use crate::tokenize::tokenize;
use std::collections::HashMap;
use std::path::Path;

/// Reads sentences of tokens from a file: CoNLL (`.conll`, first column) or plain text (one line
/// per sentence, tokenised for `lang`). Returns [`NerError::Io`] / [`NerError::Format`] on failure.
pub fn read_text(path: &Path, lang: Lang) -> Result<Vec<Vec<String>>> {
    if path.extension().is_some_and(|e| e == "conll") {
        return Ok(read_conll(path)?.into_iter().map(|s| s.tokens).collect());
    }
    let text = std::fs::read_to_string(path).map_err(|e| NerError::io(path, e))?;
    Ok(text
        .lines()
        .map(|l| {
            tokenize(l, lang)
                .into_iter()
                .map(|r| l[r].to_string())
                .collect()
        })
        .filter(|v: &Vec<String>| !v.is_empty())
        .collect())
}

/// Reads raw zh sentences from a file: CoNLL (`.conll`, the first column of each sentence joined)
/// or plain text (one sentence per line). Returns [`NerError::Io`] / [`NerError::Format`] on
/// failure.
pub fn read_lines_zh(path: &Path) -> Result<Vec<String>> {
    if path.extension().is_some_and(|e| e == "conll") {
        return Ok(read_conll(path)?
            .into_iter()
            .map(|s| s.tokens.concat())
            .collect());
    }
    let text = std::fs::read_to_string(path).map_err(|e| NerError::io(path, e))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

const ZH_CHAR: u64 = 0x00c4_a12c;

/// Key of a (lower-cased) character's entry in zh clusters, apart from one-character words.
#[inline]
pub fn zh_char_key(lower_char: &str) -> u64 {
    mix(hash_str(lower_char), ZH_CHAR)
}

/// Induces zh character clusters from raw sentences (characters seen at least twice, keyed by
/// [`zh_char_key`]; `k` finest clusters). Clusters of segmenter words were tried and lowered
/// held-out F1. Returns an empty map for empty input or fewer than `k` distinct characters.
pub fn induce_zh(lines: &[String], k: usize, iters: usize) -> Clusters {
    let chars: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            l.chars()
                .filter(|c| !c.is_whitespace())
                .map(String::from)
                .collect()
        })
        .collect();
    induce(&chars, k, iters)
        .into_iter()
        .map(|(h, v)| (mix(h, ZH_CHAR), v))
        .collect()
}

/// Induces clusters for words seen at least twice; `k` is the finest number of clusters (at least
/// 16), `iters` the k-means iterations. Returns an empty map for empty input.
pub fn induce(sentences: &[Vec<String>], k: usize, iters: usize) -> Clusters {
    let k = k.max(16);
    let mut freq: HashMap<String, usize> = HashMap::new();
    // casing profile: (lower-initial, upper-initial) counts away from the sentence start
    let mut casing: HashMap<String, (u32, u32)> = HashMap::new();
    for s in sentences {
        for (i, w) in s.iter().enumerate() {
            let lw = w.to_lowercase();
            if i > 0 {
                let c = casing.entry(lw.clone()).or_default();
                match w.chars().next() {
                    Some(ch) if ch.is_uppercase() => c.1 += 1,
                    Some(ch) if ch.is_lowercase() => c.0 += 1,
                    _ => {}
                }
            }
            *freq.entry(lw).or_default() += 1;
        }
    }
    let mut vocab: Vec<(String, usize)> = freq.into_iter().filter(|(_, c)| *c >= 2).collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    vocab.truncate(100_000);
    if vocab.len() < k {
        return Clusters::default();
    }
    let id: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i))
        .collect();
    let ctx_n = 2000.min(vocab.len());
    // sparse context vectors: dims 0..ctx_n left neighbour, ctx_n..2ctx_n right neighbour,
    // 2ctx_n / 2ctx_n+1 sentence boundary
    let mut rows: Vec<HashMap<u32, f32>> = vec![HashMap::new(); vocab.len()];
    for s in sentences {
        let ids: Vec<Option<usize>> = s
            .iter()
            .map(|w| id.get(w.to_lowercase().as_str()).copied())
            .collect();
        for (i, wid) in ids.iter().enumerate() {
            let Some(w) = *wid else { continue };
            let left = if i == 0 {
                Some(2 * ctx_n as u32)
            } else {
                ids[i - 1].filter(|&c| c < ctx_n).map(|c| c as u32)
            };
            let right = if i + 1 == ids.len() {
                Some(2 * ctx_n as u32 + 1)
            } else {
                ids[i + 1]
                    .filter(|&c| c < ctx_n)
                    .map(|c| (ctx_n + c) as u32)
            };
            for d in [left, right].into_iter().flatten() {
                *rows[w].entry(d).or_default() += 1.0;
            }
        }
    }
    let dims = 2 * ctx_n + 2;
    let vecs: Vec<Vec<(u32, f32)>> = rows
        .into_iter()
        .map(|r| {
            let mut v: Vec<(u32, f32)> = r.into_iter().map(|(d, c)| (d, c.sqrt())).collect();
            v.sort_unstable_by_key(|x| x.0);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-6);
            v.iter_mut().for_each(|x| x.1 /= norm);
            v
        })
        .collect();
    let levels = [k, (k / 4).max(4), (k / 16).max(2)];
    let assign: Vec<Vec<u16>> = levels
        .iter()
        .map(|&kk| kmeans(&vecs, dims, kk, iters))
        .collect();
    let mut out = Clusters::default();
    for (i, (w, _)) in vocab.iter().enumerate() {
        let (lo, up) = casing.get(w).copied().unwrap_or((0, 0));
        let case_bin = if lo + up == 0 {
            0
        } else if up == 0 {
            1
        } else if lo == 0 {
            4
        } else if up * 4 < lo {
            2
        } else {
            3
        };
        out.insert(
            hash_str(w),
            [assign[0][i], assign[1][i], assign[2][i], case_bin],
        );
    }
    out
}

/// Spherical k-means; centroids start at the `k` most frequent words (rows are in frequency order).
fn kmeans(vecs: &[Vec<(u32, f32)>], dims: usize, k: usize, iters: usize) -> Vec<u16> {
    let mut cent = vec![0f32; k * dims];
    for (c, v) in vecs.iter().take(k).enumerate() {
        for &(d, x) in v {
            cent[c * dims + d as usize] = x;
        }
    }
    let mut assign = vec![0u16; vecs.len()];
    for _ in 0..iters.max(1) {
        for (i, v) in vecs.iter().enumerate() {
            let mut best = (f32::NEG_INFINITY, 0usize);
            for c in 0..k {
                let base = c * dims;
                let s: f32 = v.iter().map(|&(d, x)| cent[base + d as usize] * x).sum();
                if s > best.0 {
                    best = (s, c);
                }
            }
            assign[i] = best.1 as u16;
        }
        cent.iter_mut().for_each(|x| *x = 0.0);
        for (i, v) in vecs.iter().enumerate() {
            let base = assign[i] as usize * dims;
            for &(d, x) in v {
                cent[base + d as usize] += x;
            }
        }
        for c in 0..k {
            let row = &mut cent[c * dims..(c + 1) * dims];
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zh_characters_in_the_same_contexts_share_a_cluster() {
        let places = ["京", "沪", "津", "渝"];
        let verbs = ["跑", "吃", "唱", "跳"];
        let mut lines = Vec::new();
        for r in 0..40 {
            lines.push(format!("他住在{}。", places[r % 4]));
            lines.push(format!("她{}得快。", verbs[(r / 4) % 4]));
            lines.push(format!("他们{}了今天", verbs[(r / 4) % 4]));
        }
        let cl = induce_zh(&lines, 4, 10);
        let get = |c: &str| cl.get(&zh_char_key(c)).map(|v| v[0]);
        assert!(get("京").is_some());
        assert_eq!(get("京"), get("渝"));
        assert_eq!(get("跑"), get("唱"));
        assert_ne!(get("京"), get("跑"));
        // characters are not keyed like words
        assert!(!cl.contains_key(&hash_str("京")));
        assert!(induce_zh(&[], 4, 10).is_empty());
    }

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        let mut sents = Vec::new();
        let cities = ["paris", "rome", "lima", "oslo"];
        let verbs = ["runs", "eats", "sings", "jumps"];
        for r in 0..40 {
            let c = cities[r % 4];
            let v = verbs[(r / 4) % 4];
            sents.push(vec![
                "he".into(),
                "lives".into(),
                "in".into(),
                c.to_string(),
                ".".into(),
            ]);
            sents.push(vec!["she".into(), v.to_string(), "fast".into(), ".".into()]);
            sents.push(vec![
                "they".into(),
                v.to_string(),
                "quickly".into(),
                "today".into(),
            ]);
        }
        let cl = induce(&sents, 4, 10);
        let get = |w: &str| cl.get(&hash_str(w)).map(|c| c[0]);
        assert!(get("paris").is_some());
        assert_eq!(get("paris"), get("oslo"));
        assert_eq!(get("runs"), get("sings"));
        assert_ne!(get("paris"), get("runs"));
    }
}
