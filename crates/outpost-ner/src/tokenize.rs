//! Tokenisation with offsets: per character for Chinese, CoNLL-style words for Spanish and English.
//!
//! Tokens are byte ranges into the input text, so callers convert them to code-point offsets with
//! [`outpost_core::Doc::span_from_bytes`] or [`char_offsets`]. Whitespace never belongs to a token;
//! combining marks, zero-width joiners, variation selectors and emoji skin-tone modifiers stay with
//! the character before them, so `e\u{301}` and `👩‍👩‍👧` are never split.

use crate::lang::Lang;
use std::ops::Range;

/// Words that keep their trailing period as part of the token (case-insensitive), as CoNLL does
/// for `Inc.`, `Corp.`, `Mr.`, `Sr.`.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "sra", "srta", "inc", "corp", "co", "ltd", "plc",
    "vs", "gen", "gov", "sen", "rep", "prof", "dept", "no", "av", "avda", "dña", "d", "ud", "uds",
    "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "col", "lt", "sgt", "capt", "mt", "ft", "bros", "cía", "s.a", "pág", "núm",
];

/// Splits `text` into tokens for `lang`; returns byte ranges in text order.
pub fn tokenize(text: &str, lang: Lang) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    match lang {
        Lang::Zh => tokenize_chars(text, &mut out),
        Lang::Es | Lang::En => {
            for (start, chunk) in whitespace_chunks(text) {
                split_chunk(chunk, start, lang, &mut out);
            }
        }
    }
    out
}

/// Code-point ranges of byte-range tokens of `text`: `(start, end)` per token.
pub fn char_offsets(text: &str, tokens: &[Range<usize>]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut byte = 0;
    let mut ch = 0;
    for t in tokens {
        ch += text[byte..t.start].chars().count();
        let s = ch;
        ch += text[t.start..t.end].chars().count();
        byte = t.end;
        out.push((s, ch));
    }
    out
}

/// True for characters that extend the previous character (combining marks, ZWJ, variation
/// selectors, emoji modifiers and tags).
pub(crate) fn is_extender(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x200D
        | 0x20D0..=0x20FF | 0x302A..=0x302F | 0x3099 | 0x309A | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F
        | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F | 0xE0100..=0xE01EF)
}

fn tokenize_chars(text: &str, out: &mut Vec<Range<usize>>) {
    let mut prev_zwj = false;
    for (b, c) in text.char_indices() {
        if c.is_whitespace() {
            prev_zwj = false;
            continue;
        }
        let end = b + c.len_utf8();
        if (is_extender(c) || prev_zwj) && out.last().is_some_and(|r| r.end == b) {
            if let Some(last) = out.last_mut() {
                last.end = end;
            }
        } else {
            out.push(b..end);
        }
        prev_zwj = c == '\u{200D}';
    }
}

fn whitespace_chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut base = 0;
    std::iter::from_fn(move || {
        let skip = rest.len() - rest.trim_start().len();
        base += skip;
        rest = &rest[skip..];
        if rest.is_empty() {
            return None;
        }
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let chunk = &rest[..len];
        let start = base;
        base += len;
        rest = &rest[len..];
        Some((start, chunk))
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_extender(c) && c != '\u{200D}'
}

fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '.' | '-' | '\'' | '’' | '&' | '/' | ',' | '_' | '@' | '·'
    )
}

fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    let single_letter =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
    single_letter
        || word.contains('.')
        || ABBREVIATIONS.iter().any(|a| {
            a.len() == word.len() && a.eq_ignore_ascii_case(word) || *a == word.to_lowercase()
        })
}

/// Splits one whitespace-free chunk into word and punctuation tokens.
fn split_chunk(s: &str, base: usize, lang: Lang, out: &mut Vec<Range<usize>>) {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| if k < n { chars[k].0 } else { s.len() };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if is_word_char(c) {
            let mut j = i + 1;
            while j < n {
                let cj = chars[j].1;
                if is_word_char(cj) {
                    j += 1;
                    continue;
                }
                if is_joiner(cj) && j + 1 < n && is_word_char(chars[j + 1].1) {
                    let digits = chars[j - 1].1.is_ascii_digit() && chars[j + 1].1.is_ascii_digit();
                    if cj == ',' && !digits {
                        break;
                    }
                    j += 1;
                    continue;
                }
                break;
            }
            let word = &s[at(i)..at(j)];
            if j < n && chars[j].1 == '.' && is_abbreviation(word) {
                j += 1;
            }
            let (w0, w1) = (base + at(i), base + at(j));
            match (lang == Lang::En)
                .then(|| clitic_split(&s[at(i)..at(j)]))
                .flatten()
            {
                Some(k) => {
                    out.push(w0..w0 + k);
                    out.push(w0 + k..w1);
                }
                None => out.push(w0..w1),
            }
            i = j;
        } else {
            let mut j = i + 1;
            while j < n && (chars[j].1 == c && !c.is_alphanumeric() || is_extender(chars[j].1)) {
                // a ZWJ glues the next character too (emoji sequences)
                if chars[j].1 == '\u{200D}' && j + 1 < n {
                    j += 1;
                }
                j += 1;
            }
            out.push(base + at(i)..base + at(j));
            i = j;
        }
    }
}

/// Byte position where an English clitic (`'s`, `n't`, `'re`, `'ve`, `'ll`, `'d`, `'m`) starts,
/// when `word` ends with one and has something before it.
fn clitic_split(word: &str) -> Option<usize> {
    let lower = word.to_lowercase();
    if lower.len() != word.len() {
        return None;
    }
    if lower.len() > 3 && lower.ends_with("n't") {
        return Some(word.len() - 3);
    }
    for suf in ["'s", "'re", "'ve", "'ll", "'d", "'m", "’s"] {
        if lower.len() > suf.len() && lower.ends_with(suf) {
            return Some(word.len() - suf.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str, lang: Lang) -> Vec<&str> {
        tokenize(text, lang).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn english_follows_conll_conventions() {
        assert_eq!(
            toks(
                "U.S. Inc. said: Germany's 1,000-man \"force\" isn't (ready)...",
                Lang::En
            ),
            vec![
                "U.S.",
                "Inc.",
                "said",
                ":",
                "Germany",
                "'s",
                "1,000-man",
                "\"",
                "force",
                "\"",
                "is",
                "n't",
                "(",
                "ready",
                ")",
                "..."
            ]
        );
    }

    #[test]
    fn spanish_keeps_accents_and_inverted_marks() {
        assert_eq!(
            toks("¿Dónde está la Policía de Madrid, Sr. Pérez?", Lang::Es),
            vec![
                "¿", "Dónde", "está", "la", "Policía", "de", "Madrid", ",", "Sr.", "Pérez", "?"
            ]
        );
    }

    #[test]
    fn combining_marks_and_emoji_stay_whole() {
        let text = "Jose\u{301} 👩‍👩‍👧 👍🏽 ok";
        assert_eq!(toks(text, Lang::Es), vec!["Jose\u{301}", "👩‍👩‍👧", "👍🏽", "ok"]);
        let t = tokenize(text, Lang::Es);
        let offs = char_offsets(text, &t);
        assert_eq!(offs[0], (0, 5));
        assert_eq!(offs[1], (6, 11));
        assert_eq!(offs[2], (12, 14));
        assert_eq!(offs[3], (15, 17));
    }

    #[test]
    fn chinese_is_per_character_with_code_point_offsets() {
        let text = "福州市 公安局在Prato设立👮‍♂️站。";
        let t = tokenize(text, Lang::Zh);
        let words: Vec<&str> = t.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(&words[..6], &["福", "州", "市", "公", "安", "局"]);
        assert!(words.contains(&"👮‍♂️"));
        assert_eq!(words.len(), 17);
        let offs = char_offsets(text, &t);
        assert_eq!(offs[3], (4, 5));
        // every token's code-point range slices back to its text
        for (r, (s, e)) in t.iter().zip(&offs) {
            let via: String = text.chars().skip(*s).take(e - s).collect();
            assert_eq!(via, &text[r.clone()]);
        }
    }
}
