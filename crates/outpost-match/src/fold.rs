//! Fast text folding for matching, identical in output to [`outpost_core::text::Folder`].
//!
//! [`MatchFolder`] folds a text the way `Folder` does (compatibility decomposition, accents dropped,
//! lower case, width folding, quotes and dashes unified, whitespace runs collapsed, and a
//! Traditional→Simplified character map) but with an ASCII fast path and a flat lookup table for
//! the CJK block, so the gazetteer scan is not bound by folding. A test checks byte-for-byte
//! agreement with `Folder` on mixed text.

use outpost_core::text::Folder;
use std::collections::HashMap;
use std::ops::Range;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

const CJK_START: u32 = 0x3400;
const CJK_END: u32 = 0xA000;

/// A folded copy of a text, with the original code point of every folded byte.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text: patterns are matched against this.
    pub text: String,
    /// For every byte of `text`, the code point of the original it came from.
    origin: Vec<u32>,
    original_chars: usize,
}

impl Folded {
    /// Maps a byte range of the folded text to a code-point range of the original text. The range
    /// is clamped to the text; an empty range maps to an empty range.
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        let s = r.start.min(self.origin.len());
        let e = r.end.min(self.origin.len());
        if s >= e {
            let p = self
                .origin
                .get(s)
                .map(|&p| p as usize)
                .unwrap_or(self.original_chars);
            return p..p;
        }
        self.origin[s] as usize..self.origin[e - 1] as usize + 1
    }

    /// Number of code points of the original text.
    pub fn original_chars(&self) -> usize {
        self.original_chars
    }
}

/// Folds text for matching: the same output as `Folder::new().with_char_map(t2s)`, faster.
#[derive(Debug, Clone)]
pub struct MatchFolder {
    /// Traditional→Simplified (or any) map for code points in U+3400..U+9FFF: 0 = unchanged.
    cjk: Vec<u32>,
    /// The map for code points outside that block.
    other: HashMap<char, char>,
    /// The equivalent core folder (used to fold dictionary entries).
    core: Folder,
}

impl MatchFolder {
    /// Builds a folder from a per-character map (e.g. Traditional→Simplified). Entries that map an
    /// ASCII character are ignored (ASCII is folded by the fixed rules only).
    pub fn new(map: HashMap<char, char>) -> Self {
        let mut cjk = vec![0u32; (CJK_END - CJK_START) as usize];
        let mut other = HashMap::new();
        let mut kept = HashMap::new();
        for (&k, &v) in &map {
            if k.is_ascii() {
                continue;
            }
            kept.insert(k, v);
            let c = k as u32;
            if (CJK_START..CJK_END).contains(&c) {
                cjk[(c - CJK_START) as usize] = v as u32;
            } else {
                other.insert(k, v);
            }
        }
        Self {
            cjk,
            other,
            core: Folder::new().with_char_map(kept),
        }
    }

    /// Folds one dictionary string (no alignment kept). Same result as the core folder's
    /// `fold_str` (see the tests), by the fast path.
    pub fn fold_str(&self, s: &str) -> String {
        self.fold(s).text
    }

    /// The equivalent core folder.
    pub fn core(&self) -> &Folder {
        &self.core
    }

    /// Maps one character through the table.
    #[inline]
    fn map(&self, c: char) -> char {
        let u = c as u32;
        if (CJK_START..CJK_END).contains(&u) {
            let m = self.cjk[(u - CJK_START) as usize];
            if m != 0 {
                return char::from_u32(m).unwrap_or(c);
            }
            return c;
        }
        self.other.get(&c).copied().unwrap_or(c)
    }

    /// Folds `text`, keeping the alignment to original code points.
    pub fn fold(&self, text: &str) -> Folded {
        let bytes = text.as_bytes();
        let mut out: Vec<u8> = Vec::with_capacity(text.len());
        let mut origin: Vec<u32> = Vec::with_capacity(text.len());
        let mut last_space = true;
        let mut n: u32 = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
                    if !last_space {
                        out.push(b' ');
                        origin.push(n);
                        last_space = true;
                    }
                } else {
                    out.push(b.to_ascii_lowercase());
                    origin.push(n);
                    last_space = false;
                }
                n += 1;
                i += 1;
                continue;
            }
            // Non-ASCII: decode one character.
            let rest = &text[i..];
            let Some(c0) = rest.chars().next() else { break };
            i += c0.len_utf8();
            let idx = n;
            n += 1;
            let c = self.map(c0);
            let u = c as u32;
            if (0x4E00..0xA000).contains(&u) {
                // Unified ideographs: no decomposition, no case.
                let mut buf = [0u8; 4];
                let s = c.encode_utf8(&mut buf);
                out.extend_from_slice(s.as_bytes());
                origin.extend(std::iter::repeat_n(idx, s.len()));
                last_space = false;
                continue;
            }
            if c.is_whitespace() || c == '\u{00a0}' || c == '\u{3000}' {
                if !last_space {
                    out.push(b' ');
                    origin.push(idx);
                    last_space = true;
                }
                continue;
            }
            let mut emit = |d: char| {
                let d = match d {
                    '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』' => '"',
                    '‘' | '’' | '‚' | '′' => '\'',
                    '‐' | '‑' | '‒' | '–' | '—' | '―' | '－' => '-',
                    '·' | '・' | '•' => '·',
                    d => d,
                };
                if is_combining_mark(d) {
                    return;
                }
                for l in d.to_lowercase() {
                    let mut buf = [0u8; 4];
                    let s = l.encode_utf8(&mut buf);
                    out.extend_from_slice(s.as_bytes());
                    origin.extend(std::iter::repeat_n(idx, s.len()));
                }
            };
            decompose_compatible(c, &mut emit);
            last_space = false;
        }
        // Only whole UTF-8 sequences were pushed, so this cannot fail; fall back to lossy anyway.
        let text = String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Folded {
            text,
            origin,
            original_chars: n as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::text::char_slice;

    fn t2s() -> HashMap<char, char> {
        [
            ('溫', '温'),
            ('務', '务'),
            ('僑', '侨'),
            ('約', '约'),
            ('紐', '纽'),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn agrees_with_core_folder() {
        let samples = [
            "La  POLICÍA de Ｆｕｚｈｏｕ 🚓 “station” — in São Paulo\n\n and 紐約",
            "  leading\tspaces  and ﬁ ligature, Ⅻ, ½, e\u{0301}l, İstanbul ΣΑΣ",
            "溫州警務 「福州警僑事務海外服務站」 ‘x’ – y · z\u{3000}end ",
            "",
            "Ñandú Guayaquil Viña del Mar",
        ];
        let map = t2s();
        let core = Folder::new().with_char_map(map.clone());
        let fast = MatchFolder::new(map);
        for s in samples {
            let a = core.fold(s);
            let b = fast.fold(s);
            assert_eq!(a.folded, b.text, "folded text differs for {s:?}");
            for (i, _) in b.text.char_indices() {
                let j = i + b.text[i..].chars().next().map_or(1, |c| c.len_utf8());
                assert_eq!(
                    a.original_range(i..j).start,
                    b.original_range(i..j).start,
                    "alignment differs in {s:?} at {i}"
                );
            }
        }
    }

    #[test]
    fn reports_original_offsets() {
        let fast = MatchFolder::new(t2s());
        let text = "🚓 In 紐約 and SÃO PAULO";
        let f = fast.fold(text);
        let b = f.text.find("纽约").unwrap();
        let r = f.original_range(b..b + "纽约".len());
        assert_eq!(char_slice(text, r.start, r.end), Some("紐約"));
        let b = f.text.find("sao paulo").unwrap();
        let r = f.original_range(b..b + 9);
        assert_eq!(char_slice(text, r.start, r.end), Some("SÃO PAULO"));
    }
}
