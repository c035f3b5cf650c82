//! Splits a text into the letters the detector scores: lowercase words per script, with URLs and
//! e-mail addresses masked, and code-point offsets kept for segments.

use crate::script::Script;

/// One word: a run of letters of one script (a Han or kana character is a word of its own, as in
/// lingua's models), lowercased, with its code-point range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Script of the letters.
    pub script: Script,
    /// Range into [`Words::chars`].
    pub start: usize,
    /// End of the range into [`Words::chars`].
    pub end: usize,
    /// First code point of the word in the text.
    pub cp_start: usize,
    /// Code point after the word in the text.
    pub cp_end: usize,
}

/// The words of a text, sharing one character buffer.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Lowercased letters of all words, concatenated.
    pub chars: Vec<char>,
    /// The words in text order.
    pub words: Vec<Word>,
    /// Number of code points in the text.
    pub cp_len: usize,
}

impl Words {
    /// The letters of word `w`.
    pub fn letters(&self, w: &Word) -> &[char] {
        &self.chars[w.start..w.end]
    }
}

/// True for characters that can be part of a URL or e-mail address.
fn urlish(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// Marks code points that belong to URLs (`http://`, `https://`, `www.`) and e-mail addresses,
/// which say nothing about the language of the text around them.
pub(crate) fn url_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    let n = chars.len();
    // The patterns are ASCII: their length in code points is their length in bytes.
    let starts_with = |i: usize, p: &str| {
        let len = p.len();
        i + len <= n
            && chars[i..i + len]
                .iter()
                .zip(p.chars())
                .all(|(c, pc)| c.to_ascii_lowercase() == pc)
    };
    let mut i = 0;
    while i < n {
        let boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        // Every pattern starts with h or w.
        if boundary
            && matches!(chars[i], 'h' | 'H' | 'w' | 'W')
            && (starts_with(i, "http://") || starts_with(i, "https://") || starts_with(i, "www."))
        {
            let mut j = i;
            while j < n && urlish(chars[j]) {
                j += 1;
            }
            mask[i..j].iter_mut().for_each(|m| *m = true);
            i = j;
            continue;
        }
        if chars[i] == '@' {
            // e-mail: extend over the ASCII token around the @ when the right side has a dot.
            let mut a = i;
            while a > 0 && (chars[a - 1].is_ascii_alphanumeric() || "._-+".contains(chars[a - 1])) {
                a -= 1;
            }
            let mut b = i + 1;
            while b < n && (chars[b].is_ascii_alphanumeric() || ".-".contains(chars[b])) {
                b += 1;
            }
            if a < i && chars[i + 1..b].contains(&'.') {
                mask[a..b].iter_mut().for_each(|m| *m = true);
                i = b;
                continue;
            }
        }
        i += 1;
    }
    mask
}

/// Splits `text` into words. Non-letters separate words; URLs and e-mail addresses are skipped.
pub fn words(text: &str) -> Words {
    let has_url_hint = text.contains("://") || text.contains("www.") || text.contains('@');
    let mask = if has_url_hint {
        let cps: Vec<char> = text.chars().collect();
        url_mask(&cps)
    } else {
        Vec::new()
    };
    let mut chars = Vec::with_capacity(text.len());
    // At most one word per 3 bytes but for ASCII runs of one letter; one allocation almost
    // always.
    let mut list = Vec::with_capacity((text.len() / 3 + 1).min(4096));
    // The word being read (never Han or kana: those are words of one letter, kept at once):
    // script, first letter in `chars`, first code point.
    let mut cur: Option<(Script, usize, usize)> = None;
    let mut n = 0;
    for (i, c) in text.chars().enumerate() {
        n = i + 1;
        let script = if mask.get(i).copied().unwrap_or(false) {
            None
        } else {
            Script::of(c)
        };
        match script {
            Some(s) if matches!(cur, Some((cs, _, _)) if cs == s) => push_lower(&mut chars, c),
            Some(s) => {
                close_word(&mut list, cur.take(), chars.len(), i);
                let start = chars.len();
                push_lower(&mut chars, c);
                if matches!(s, Script::Han | Script::Kana) {
                    list.push(Word {
                        script: s,
                        start,
                        end: chars.len(),
                        cp_start: i,
                        cp_end: i + 1,
                    });
                } else {
                    cur = Some((s, start, i));
                }
            }
            None => close_word(&mut list, cur.take(), chars.len(), i),
        }
    }
    close_word(&mut list, cur, chars.len(), n);
    Words {
        chars,
        words: list,
        cp_len: n,
    }
}

/// Ends the word being read, if any (`(script, first letter, first code point)`), at letter `end`
/// of the lowercase buffer and code point `cp_end`.
#[inline]
fn close_word(
    list: &mut Vec<Word>,
    cur: Option<(Script, usize, usize)>,
    end: usize,
    cp_end: usize,
) {
    if let Some((script, start, cp_start)) = cur {
        list.push(Word {
            script,
            start,
            end,
            cp_start,
            cp_end,
        });
    }
}

/// Pushes the lowercase of `c` (full-width Latin letters folded to ASCII).
#[inline(always)]
fn push_lower(buf: &mut Vec<char>, c: char) {
    let u = c as u32;
    let lower = if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if (0xC0..=0xDE).contains(&u) && u != 0xD7 {
        // Latin-1 capitals: the lowercase letter is 0x20 higher.
        char::from_u32(u + 0x20).unwrap_or(c)
    } else if matches!(u, 0xDF..=0xFF | 0x3040..=0x30FF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3) {
        // Latin-1 lowercase letters (and ÷), kana, CJK ideographs, hangul syllables: their
        // lowercase is themselves.
        c
    } else {
        return push_lower_tables(buf, c);
    };
    buf.push(lower);
}

/// [`push_lower`] by the Unicode tables.
#[inline(never)]
fn push_lower_tables(buf: &mut Vec<char>, c: char) {
    // Full-width Latin letters fold to ASCII.
    let c = match c as u32 {
        u @ (0xFF21..=0xFF3A | 0xFF41..=0xFF5A) => char::from_u32(u - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    buf.extend(c.to_lowercase());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> Vec<(String, Script, usize, usize)> {
        let w = words(text);
        w.words
            .iter()
            .map(|x| {
                (
                    w.letters(x).iter().collect(),
                    x.script,
                    x.cp_start,
                    x.cp_end,
                )
            })
            .collect()
    }

    #[test]
    fn splits_scripts_and_lowercases() {
        let got = list("Él dijo: 警察 Señor");
        assert_eq!(got[0], ("él".into(), Script::Latin, 0, 2));
        assert_eq!(got[2], ("警".into(), Script::Han, 9, 10));
        assert_eq!(got[3], ("察".into(), Script::Han, 10, 11));
        assert_eq!(got[4], ("señor".into(), Script::Latin, 12, 17));
    }

    #[test]
    fn fast_lowercase_equals_unicode_lowercase() {
        let mut buf = Vec::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            buf.clear();
            push_lower(&mut buf, c);
            let c2 = match c as u32 {
                u @ (0xFF21..=0xFF3A | 0xFF41..=0xFF5A) => char::from_u32(u - 0xFEE0).unwrap(),
                _ => c,
            };
            let want: Vec<char> = c2.to_lowercase().collect();
            assert_eq!(buf, want, "{c:?}");
        }
    }

    #[test]
    fn words_as_the_reference_splits_them() {
        let texts = [
            "Él dijo: 警察 Señor",
            "见https://example.com/a?b=c与 info@police.example.org 联系 www.test.org",
            "İSTANBUL ＡＢＣ straße ÀÉÎ — «quote» 警務の調査、한국어 текст عربي α",
            "警察はマドリードの中国の警察署を調べている。カタカナ",
            "",
            "  12 !!",
            "end",
            "a",
            "警",
        ];
        for t in texts {
            let (a, b) = (words(t), crate::reference::words(t));
            assert_eq!(
                (&a.chars, &a.words, a.cp_len),
                (&b.chars, &b.words, b.cp_len),
                "{t}"
            );
        }
    }

    #[test]
    fn masks_urls_and_emails() {
        let got = list("见https://example.com/a?b=c与 info@police.example.org 联系 www.test.org");
        let letters: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(letters, vec!["见", "与", "联", "系"]);
        // A lone @ handle is not an address.
        assert_eq!(list("@ana dice").len(), 2);
    }
}
