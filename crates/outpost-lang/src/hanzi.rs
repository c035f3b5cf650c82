//! [`HanVariants`]: which Han characters are Traditional-only and which Simplified-only, and the
//! Traditional -> Simplified fold used before n-gram scoring.
//!
//! The shipped table `models/zh-variants.tsv` is derived from OpenCC's character dictionaries by
//! `outpost langid build-model` (see `models/README.md`). Lines: `T<TAB>trad<TAB>simp` for a
//! character that is only Traditional, with its Simplified form; `S<TAB>simp` for a character that
//! is only Simplified. Lines starting with `#` are comments.

use crate::error::LangError;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The written variant of a Chinese text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZhVariant {
    /// Simplified Chinese (`zh-Hans`).
    Hans,
    /// Traditional Chinese (`zh-Hant`).
    Hant,
}

impl ZhVariant {
    /// BCP 47 tag, `"zh-Hans"` or `"zh-Hant"`.
    pub fn tag(self) -> &'static str {
        match self {
            ZhVariant::Hans => "zh-Hans",
            ZhVariant::Hant => "zh-Hant",
        }
    }
}

/// Traditional-only and Simplified-only characters.
#[derive(Debug, Clone)]
pub struct HanVariants {
    t2s: HashMap<char, char>,
    simp_only: HashSet<char>,
    /// The Basic Multilingual Plane's characters of `t2s` and of `simp_only` as bit sets (one bit
    /// per code point), so the common case is answered without hashing.
    trad_bits: Box<[u64; BMP_WORDS]>,
    simp_bits: Box<[u64; BMP_WORDS]>,
}

/// `u64` words of a bit set over the Basic Multilingual Plane.
const BMP_WORDS: usize = 0x10000 / 64;

/// The bit set of the BMP characters of `chars`.
fn bmp_bits(chars: impl Iterator<Item = char>) -> Box<[u64; BMP_WORDS]> {
    let mut bits = Box::new([0u64; BMP_WORDS]);
    for c in chars {
        let u = c as usize;
        if u < 0x10000 {
            bits[u >> 6] |= 1 << (u & 63);
        }
    }
    bits
}

/// Whether BMP character `c` is in `bits`; `None` outside the BMP.
#[inline]
fn bmp_has(bits: &[u64; BMP_WORDS], c: char) -> Option<bool> {
    let u = c as usize;
    (u < 0x10000).then(|| bits[u >> 6] >> (u & 63) & 1 != 0)
}

impl Default for HanVariants {
    fn default() -> Self {
        Self::from_sets(HashMap::default(), HashSet::default())
    }
}

/// Counts of variant-specific characters in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VariantCounts {
    /// Characters that exist only in Traditional.
    pub traditional: usize,
    /// Characters that exist only in Simplified.
    pub simplified: usize,
}

impl VariantCounts {
    /// The variant the counts point to; Simplified on a tie (including no evidence), since it is
    /// by far the more common one in the project's sources.
    pub fn variant(self) -> ZhVariant {
        if self.traditional > self.simplified {
            ZhVariant::Hant
        } else {
            ZhVariant::Hans
        }
    }
}

impl HanVariants {
    /// Builds the table from Traditional->Simplified pairs and Simplified-only characters.
    pub fn from_parts(t2s: Vec<(char, char)>, simp_only: Vec<char>) -> Self {
        Self::from_sets(t2s.into_iter().collect(), simp_only.into_iter().collect())
    }

    fn from_sets(t2s: HashMap<char, char>, simp_only: HashSet<char>) -> Self {
        let trad_bits = bmp_bits(t2s.keys().copied());
        let simp_bits = bmp_bits(simp_only.iter().copied());
        Self {
            t2s,
            simp_only,
            trad_bits,
            simp_bits,
        }
    }

    /// The table shipped in `models/zh-variants.tsv`.
    pub fn shipped() -> Result<Self, LangError> {
        Self::parse(
            include_str!("../../../models/zh-variants.tsv"),
            "models/zh-variants.tsv",
        )
    }

    /// Parses the text format; [`LangError::Parse`] names the line of a malformed entry.
    pub fn parse(text: &str, path: &str) -> Result<Self, LangError> {
        let mut t2s = HashMap::default();
        let mut simp_only = HashSet::default();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let one = |s: &str| {
                let mut c = s.chars();
                match (c.next(), c.next()) {
                    (Some(ch), None) => Some(ch),
                    _ => None,
                }
            };
            let bad = || LangError::Parse {
                path: path.to_string(),
                line: i + 1,
                message: format!("expected T<TAB>trad<TAB>simp or S<TAB>simp, got {line:?}"),
            };
            match f.as_slice() {
                ["T", t, s] => {
                    t2s.insert(one(t).ok_or_else(bad)?, one(s).ok_or_else(bad)?);
                }
                ["S", s] => {
                    simp_only.insert(one(s).ok_or_else(bad)?);
                }
                _ => return Err(bad()),
            }
        }
        Ok(Self::from_sets(t2s, simp_only))
    }

    /// Writes the text format (sorted, so the output is reproducible).
    pub fn to_text(&self) -> String {
        let mut t: Vec<_> = self.t2s.iter().collect();
        t.sort();
        let mut s: Vec<_> = self.simp_only.iter().collect();
        s.sort();
        let mut out = String::from(
            "# Derived from OpenCC's TSCharacters.txt and STCharacters.txt (Apache-2.0) by\n\
             # `outpost langid build-model`; see models/README.md.\n",
        );
        for (a, b) in t {
            out.push_str(&format!("T\t{a}\t{b}\n"));
        }
        for c in s {
            out.push_str(&format!("S\t{c}\n"));
        }
        out
    }

    /// The Simplified form of a Traditional-only character; any other character unchanged.
    pub fn fold(&self, c: char) -> char {
        if bmp_has(&self.trad_bits, c) == Some(false) {
            return c;
        }
        self.t2s.get(&c).copied().unwrap_or(c)
    }

    /// True when `c` exists only in Traditional Chinese.
    #[inline]
    pub fn is_traditional(&self, c: char) -> bool {
        bmp_has(&self.trad_bits, c).unwrap_or_else(|| self.t2s.contains_key(&c))
    }

    /// True when `c` exists only in Simplified Chinese.
    #[inline]
    pub fn is_simplified(&self, c: char) -> bool {
        bmp_has(&self.simp_bits, c).unwrap_or_else(|| self.simp_only.contains(&c))
    }

    /// Counts variant-specific characters in `text`.
    pub fn count(&self, text: &str) -> VariantCounts {
        let mut n = VariantCounts::default();
        for c in text.chars() {
            if self.is_traditional(c) {
                n.traditional += 1;
            } else if self.is_simplified(c) {
                n.simplified += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_sets_answer_as_the_hash_tables() {
        let v = HanVariants::shipped().unwrap();
        let mut checked = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(v.is_traditional(c), v.t2s.contains_key(&c), "{c}");
            assert_eq!(v.is_simplified(c), v.simp_only.contains(&c), "{c}");
            assert_eq!(v.fold(c), v.t2s.get(&c).copied().unwrap_or(c), "{c}");
            checked += 1;
        }
        assert!(checked > 1_000_000);
        assert!(!HanVariants::default().is_traditional('國'));
    }

    #[test]
    fn shipped_table_tells_variants_apart() {
        let v = HanVariants::shipped().unwrap();
        assert!(v.is_traditional('國') && v.is_simplified('国'));
        assert_eq!(v.fold('國'), '国');
        assert_eq!(v.fold('后'), '后');
        assert_eq!(v.count("海外警務服務站").variant(), ZhVariant::Hant);
        assert_eq!(v.count("海外警务服务站").variant(), ZhVariant::Hans);
        assert_eq!(v.count("公安").variant(), ZhVariant::Hans);
    }

    #[test]
    fn parse_reports_the_line() {
        let err = HanVariants::parse("# c\nT\t國\t国\nX\n", "f.tsv").unwrap_err();
        assert!(err.to_string().contains("f.tsv:3"), "{err}");
        let round = HanVariants::parse(
            &HanVariants::from_parts(vec![('國', '国')], vec!['国']).to_text(),
            "x",
        )
        .unwrap();
        assert!(round.is_traditional('國') && round.is_simplified('国'));
    }
}
