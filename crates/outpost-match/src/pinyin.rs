//! English (pinyin) names of Chinese divisions, with the polyphone corrections.
//!
//! The gazetteer's pinyin column is machine-made and reads polyphonic characters with their
//! commonest reading (长治 came out "zhang zhi"). [`english_short_name`] re-derives the short name's
//! pinyin from the per-syllable column, applies per-character place-name readings, then the
//! hand-checked override table `data/pinyin_overrides.tsv`.

use std::collections::HashMap;

const OVERRIDES: &str = include_str!("../data/pinyin_overrides.tsv");

/// Place-name readings of polyphonic characters that pypinyin gets wrong: (char, wrong, right).
const CHAR_RULES: &[(char, &str, &str)] = &[
    ('长', "zhang", "chang"),
    ('都', "dou", "du"),
    ('勒', "lei", "le"),
    ('什', "shen", "shi"),
    ('棱', "leng", "ling"),
    ('圩', "wei", "xu"),
];

/// The override table: Chinese short name → corrected English name.
pub fn overrides() -> HashMap<&'static str, &'static str> {
    OVERRIDES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .collect()
}

fn capitalise(syllables: &[String]) -> String {
    let joined: String = syllables.concat();
    let joined = joined.replace('v', "ü");
    let mut c = joined.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The English short name of a division.
///
/// `name` is the full Chinese name (青田县), `short` its short name (青田), `syllables` the
/// machine-made pinyin of `name`, one syllable per character (`qing tian xian`), and `fallback` the
/// dataset's own short-name pinyin. Returns `fallback` when the syllables do not line up with the
/// characters of `name`, or an empty string when there is nothing to go on.
pub fn english_short_name(
    name: &str,
    short: &str,
    syllables: &str,
    fallback: &str,
    table: &HashMap<&str, &str>,
) -> String {
    if let Some(fixed) = table.get(short) {
        return (*fixed).to_string();
    }
    let chars: Vec<char> = name.chars().collect();
    let syl: Vec<String> = syllables.split_whitespace().map(str::to_string).collect();
    let short_len = short.chars().count();
    if syl.len() != chars.len() || !name.starts_with(short) || short_len == 0 {
        return fallback.to_string();
    }
    let mut out: Vec<String> = syl[..short_len].to_vec();
    for (i, s) in out.iter_mut().enumerate() {
        for &(c, wrong, right) in CHAR_RULES {
            if chars[i] == c && s == wrong {
                *s = right.to_string();
            }
        }
    }
    capitalise(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyphones_are_corrected() {
        let t = overrides();
        assert_eq!(
            english_short_name("长治市", "长治", "zhang zhi shi", "Zhangzhi", &t),
            "Changzhi"
        );
        assert_eq!(
            english_short_name("长子县", "长子", "zhang zi xian", "Zhangzi", &t),
            "Zhangzi"
        );
        assert_eq!(
            english_short_name("洪洞县", "洪洞", "hong dong xian", "Hongdong", &t),
            "Hongtong"
        );
        assert_eq!(
            english_short_name("单县", "单县", "dan xian", "Danxian", &t),
            "Shanxian"
        );
        assert_eq!(
            english_short_name("都匀市", "都匀", "dou yun shi", "Douyun", &t),
            "Duyun"
        );
        assert_eq!(
            english_short_name("吕梁市", "吕梁", "lv liang shi", "Lvliang", &t),
            "Lüliang"
        );
        // Correct readings stay as they are.
        assert_eq!(
            english_short_name("乐清市", "乐清", "yue qing shi", "Yueqing", &t),
            "Yueqing"
        );
        assert_eq!(
            english_short_name("福州市", "福州", "fu zhou shi", "Fuzhou", &t),
            "Fuzhou"
        );
        // Syllables that do not line up fall back to the dataset's column.
        assert_eq!(
            english_short_name("青田县", "青田", "qing", "Qingtian", &t),
            "Qingtian"
        );
    }
}
