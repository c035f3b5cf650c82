//! [`Script`]: which writing system a character belongs to, by Unicode block.

use std::fmt;

/// A writing system, as far as the detector needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Latin letters (with diacritics).
    Latin,
    /// Han ideographs (Chinese characters, Japanese kanji).
    Han,
    /// Japanese hiragana and katakana.
    Kana,
    /// Korean hangul.
    Hangul,
    /// Cyrillic.
    Cyrillic,
    /// Arabic.
    Arabic,
    /// A letter of any other script (Greek, Hebrew, Devanagari, Thai, ...).
    Other,
}

impl Script {
    /// The script of a character, or `None` for a character that is not a letter (digits,
    /// punctuation, symbols, spaces, combining marks).
    #[inline(always)]
    pub fn of(c: char) -> Option<Script> {
        let u = c as u32;
        if c.is_ascii() {
            return c.is_ascii_alphabetic().then_some(Script::Latin);
        }
        // The common cases first: CJK unified ideographs, and the Latin-1 / Latin Extended-A/B
        // letters (all letters but × and ÷).
        if (0x4E00..=0x9FFF).contains(&u) {
            return Some(Script::Han);
        }
        if (0x00C0..=0x024F).contains(&u) {
            return (!matches!(u, 0xD7 | 0xF7)).then_some(Script::Latin);
        }
        if is_punctuation_block(u) {
            return None;
        }
        Self::of_tables(c)
    }

    /// [`Script::of`] beyond its fast paths.
    #[inline(never)]
    fn of_tables(c: char) -> Option<Script> {
        let u = c as u32;
        let s = match u {
            0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => Script::Latin,
            0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Script::Arabic,
            0x3040..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D => Script::Kana,
            0x1100..=0x11FF
            | 0x3130..=0x318F
            | 0xA960..=0xA97F
            | 0xAC00..=0xD7AF
            | 0xD7B0..=0xD7FF => Script::Hangul,
            0x3005 | 0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::Han,
            0x20000..=0x3134F => Script::Han,
            _ => {
                if c.is_alphabetic() && !is_combining(u) {
                    Script::Other
                } else {
                    return None;
                }
            }
        };
        // Latin-1 and the other Latin blocks hold a few non-letters (×, ÷).
        if s == Script::Latin && !c.is_alphabetic() {
            return None;
        }
        if s == Script::Kana && matches!(u, 0x30FB | 0x30FC | 0x309B | 0x309C) {
            // ・ and ー are used in Chinese transliteration too; the sound marks are not letters.
            return None;
        }
        Some(s)
    }

    /// The script's name, e.g. `"Latin"`.
    pub fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Han => "Han",
            Script::Kana => "Kana",
            Script::Hangul => "Hangul",
            Script::Cyrillic => "Cyrillic",
            Script::Arabic => "Arabic",
            Script::Other => "Other",
        }
    }

    /// How much evidence one letter of the script carries, in "Latin letters": a Han character is
    /// roughly a word, so a Chinese article that quotes a long English name still counts as Chinese.
    pub fn weight(self) -> f32 {
        match self {
            Script::Han => 2.5,
            Script::Hangul => 2.0,
            Script::Kana => 1.5,
            _ => 1.0,
        }
    }
}

/// Blocks without a single letter that news text uses often (general punctuation: dashes and
/// quotes; CJK punctuation; full-width punctuation and digits): answered without the Unicode
/// tables (a test checks every code point of them).
fn is_punctuation_block(u: u32) -> bool {
    matches!(u, 0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0xFF00..=0xFF20)
}

fn is_combining(u: u32) -> bool {
    matches!(u, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_letters_and_non_letters() {
        assert_eq!(Script::of('a'), Some(Script::Latin));
        assert_eq!(Script::of('ñ'), Some(Script::Latin));
        assert_eq!(Script::of('ạ'), Some(Script::Latin));
        assert_eq!(Script::of('警'), Some(Script::Han));
        assert_eq!(Script::of('の'), Some(Script::Kana));
        assert_eq!(Script::of('ア'), Some(Script::Kana));
        assert_eq!(Script::of('한'), Some(Script::Hangul));
        assert_eq!(Script::of('ж'), Some(Script::Cyrillic));
        assert_eq!(Script::of('ع'), Some(Script::Arabic));
        assert_eq!(Script::of('α'), Some(Script::Other));
        for c in ['1', ' ', '。', '、', '«', '×', 'ー', '・', '\u{301}'] {
            assert_eq!(Script::of(c), None, "{c:?}");
        }
    }

    #[test]
    fn punctuation_blocks_hold_no_letter() {
        let mut n = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if is_punctuation_block(c as u32) {
                assert!(!c.is_alphabetic(), "{c:?}");
                n += 1;
            }
        }
        assert_eq!(n, 0x70 + 5 + 0x19 + 0x21);
        assert_eq!(Script::of('，'), None);
        assert_eq!(Script::of('”'), None);
        assert_eq!(Script::of('〆'), Some(Script::Other));
    }
}
