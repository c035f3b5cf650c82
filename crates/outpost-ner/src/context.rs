//! Non-local context for a two-stage tagger (Krishnan & Manning 2006; Ratinov & Roth 2009): a
//! first-pass model tags a run of sentences, and each token gets codes summarising that tagging:
//! its own first-pass tag and its neighbours', and how the other occurrences of the same
//! capitalised word form within a window of nearby sentences were tagged.

use crate::tags::{tag_part, tag_type, Part};
use std::collections::HashMap;

/// Context codes of one token (0 = nothing known); see [`context_codes`].
pub type Codes = [u64; CODES];

/// Number of codes per token.
pub const CODES: usize = 5;

/// Sentences on each side of a sentence whose tokens count as its context by default.
pub const DEFAULT_WINDOW: usize = 10;

/// Most entity types a context count tracks (more are folded into the last one).
const MAX_TYPES: usize = 15;

/// Per word form: how many occurrences were tagged O (slot 0) or as type `k` (slot `k + 1`),
/// and how many of the entity occurrences were inside a multi-token entity (last slot).
type Counts = [u16; MAX_TYPES + 2];

fn keyed(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().nth(1).is_some()
}

fn slot(tag: usize) -> usize {
    tag_type(tag).map_or(0, |k| k.min(MAX_TYPES - 1) + 1)
}

fn add(map: &mut HashMap<String, Counts>, sent: &[&str], path: &[usize], sign: i32) {
    for (w, &y) in sent.iter().zip(path) {
        if !keyed(w) {
            continue;
        }
        let c = map.entry((*w).to_string()).or_insert([0; MAX_TYPES + 2]);
        let multi = matches!(tag_part(y), Part::B | Part::I | Part::L) as usize;
        for (k, inc) in [(slot(y), 1), (MAX_TYPES + 1, multi)] {
            if inc > 0 {
                c[k] = (c[k] as i32 + sign).max(0) as u16;
            }
        }
        if sign < 0 && c.iter().all(|&x| x == 0) {
            map.remove(*w);
        }
    }
}

fn bucket(n: u32) -> u64 {
    match n {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        _ => 3,
    }
}

/// Codes for each token of `sents` given first-pass BILOU tag paths (`paths[s][i]`), counting
/// the occurrences of a capitalised word form in the sentences within `window` of its own:
///
/// 0. the token's own first-pass tag + 1;
/// 1. the first-pass tags of the previous and next tokens;
/// 2. the majority first-pass slot (O or a type) of the *other* occurrences of the word form,
///    with how many there were (0 when the token is not capitalised or has none);
/// 3. the set of types the other occurrences were tagged with (bit mask + 1);
/// 4. whether some other occurrence sat inside a multi-token entity, and of which majority type.
///
/// Paths shorter than their sentence are read as O beyond their end.
pub fn context_codes(sents: &[Vec<&str>], paths: &[Vec<usize>], window: usize) -> Vec<Vec<Codes>> {
    let tag = |s: usize, i: usize| paths.get(s).and_then(|p| p.get(i)).copied().unwrap_or(0);
    let path_of = |s: usize| -> Vec<usize> { (0..sents[s].len()).map(|i| tag(s, i)).collect() };
    let mut map: HashMap<String, Counts> = HashMap::new();
    let n = sents.len();
    // sliding window [lo, hi)
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut out = Vec::with_capacity(n);
    for s in 0..n {
        let want_lo = s.saturating_sub(window);
        let want_hi = (s + window + 1).min(n);
        while hi < want_hi {
            add(&mut map, &sents[hi], &path_of(hi), 1);
            hi += 1;
        }
        while lo < want_lo {
            add(&mut map, &sents[lo], &path_of(lo), -1);
            lo += 1;
        }
        let sent = &sents[s];
        let mut codes = Vec::with_capacity(sent.len());
        for (i, w) in sent.iter().enumerate() {
            let y = tag(s, i);
            let prev = if i == 0 { 0x3ff } else { tag(s, i - 1) as u64 };
            let next = if i + 1 == sent.len() {
                0x3ff
            } else {
                tag(s, i + 1) as u64
            };
            let mut c: Codes = [y as u64 + 1, prev << 10 | next, 0, 0, 0];
            if keyed(w) {
                if let Some(counts) = map.get(*w) {
                    let mut counts = *counts;
                    // leave this occurrence out
                    let own = slot(y);
                    counts[own] = counts[own].saturating_sub(1);
                    if matches!(tag_part(y), Part::B | Part::I | Part::L) {
                        counts[MAX_TYPES + 1] = counts[MAX_TYPES + 1].saturating_sub(1);
                    }
                    let total: u32 = counts[..=MAX_TYPES].iter().map(|&x| x as u32).sum();
                    if total > 0 {
                        let (maj, _) = counts[..=MAX_TYPES]
                            .iter()
                            .enumerate()
                            .max_by_key(|&(k, &x)| (x, std::cmp::Reverse(k)))
                            .unwrap_or((0, &0));
                        c[2] = (maj as u64) << 4 | bucket(total);
                        let mask = counts[1..=MAX_TYPES]
                            .iter()
                            .enumerate()
                            .filter(|(_, &x)| x > 0)
                            .fold(0u64, |m, (k, _)| m | 1 << k);
                        c[3] = mask + 1;
                        let ent_maj = counts[1..=MAX_TYPES]
                            .iter()
                            .enumerate()
                            .max_by_key(|&(k, &x)| (x, std::cmp::Reverse(k)))
                            .map_or(0, |(k, &x)| if x > 0 { k as u64 + 1 } else { 0 });
                        c[4] = ((counts[MAX_TYPES + 1] > 0) as u64) << 8 | ent_maj;
                    }
                }
            }
            codes.push(c);
        }
        out.push(codes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::tag_of;

    #[test]
    fn other_occurrences_vote_and_self_is_left_out() {
        let a = vec!["Ayer", "Pujol", "habló", "."];
        let b = vec!["Jordi", "Pujol", "dijo", "."];
        let c = vec!["Pujol", "llegó", "."];
        let per_u = tag_of(0, Part::U);
        let per_b = tag_of(0, Part::B);
        let per_l = tag_of(0, Part::L);
        let paths = vec![
            vec![0, per_u, 0, 0],
            vec![per_b, per_l, 0, 0],
            vec![0, 0, 0],
        ];
        let sents = vec![a, b, c];
        let codes = context_codes(&sents, &paths, 10);
        // "Pujol" in the last sentence (tagged O) sees two PER occurrences elsewhere
        let p = codes[2][0];
        assert_eq!(p[0], 1);
        assert_eq!(p[2], 1 << 4 | bucket(2));
        assert_eq!(p[3], 0b1 + 1);
        assert_eq!(p[4], 1 << 8 | 1);
        // "Pujol" in the first sentence sees one PER (multi-token) and one O: a tie goes to O
        assert_eq!(codes[0][1][2], bucket(2));
        // lower-case words and a window of 0 see nothing
        assert_eq!(codes[0][2][2], 0);
        let none = context_codes(&sents, &paths, 0);
        assert_eq!(none[2][0][2], 0);
        // own and neighbouring tags
        assert_eq!(codes[1][0][0], per_b as u64 + 1);
        assert_eq!(codes[1][1][1], (per_b as u64) << 10);
    }
}
