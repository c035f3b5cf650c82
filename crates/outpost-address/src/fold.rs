//! Text folding used for dictionary look-ups and for comparing components.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a string for dictionary look-up: NFKD, combining marks dropped, lower-cased, runs of
/// whitespace collapsed to one space, trimmed. `"Córdoba "` -> `"cordoba"`. Never fails.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// The comparison key of a component value, the one normalisation behind "full parse failure":
/// NFKC, lower-cased, and every character that is not a letter or digit (whitespace, punctuation,
/// symbols) deleted. `"P.O. Box 11637"` and `"po box 11637"` share the key `"pobox11637"`;
/// `"61 号"` and `"61号"` share `"61号"`. Accents are kept (`"león"` != `"leon"`).
pub fn compare_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// 64-bit hash of a folded string (stable across runs: SipHash with fixed keys).
pub fn hash64(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0x6f75_7470_6f73_7401, 0x6164_6472_6573_7302);
    s.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_space() {
        assert_eq!(fold("  Córdoba  DEL  Sur "), "cordoba del sur");
        assert_eq!(fold("ＡＢ"), "ab");
    }

    #[test]
    fn compare_key_ignores_punctuation_not_accents() {
        assert_eq!(compare_key("P.O. Box 11637"), compare_key("po box 11637"));
        assert_eq!(compare_key("61 号"), "61号");
        assert_ne!(compare_key("León"), compare_key("Leon"));
        assert_eq!(compare_key("１２３"), "123");
    }
}
