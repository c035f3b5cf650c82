//! Cross-script, fuzzy comparison keys for the names linking compares: people, host
//! organisations, addresses and cities.
//!
//! * Chinese characters are romanised to toneless pinyin (the `pinyin` crate, data from the
//!   Unihan readings), so a Traditional and a Simplified spelling (盧建旺 / 卢建旺) read the same
//!   and both meet the Latin spelling (Lu Jianwang). A person's name of two to four Chinese
//!   characters is read surname first, with the surname's own reading where it differs from the
//!   commonest one (曾 zeng, 单 shan, 区 ou …) and compound surnames (欧阳, 司马 …) kept whole.
//! * Latin text is folded: compatibility decomposition, accents removed, lower case, punctuation
//!   to spaces.
//! * Organisation head words are translated to one English form before comparing (公会 / 協會 /
//!   asociación → association, 商会 / cámara de comercio → chamber of commerce, 美国 → america),
//!   and address abbreviations are expanded (St → street, Ave / Av. → avenue, Rd → road, Fl →
//!   floor, E → east …).
//!
//! Thresholds (documented in the README): two people are the same when their keys are equal in
//! either name order, or when they share the surname and the whole keys are within edit distance
//! 1 (keys of 8 characters or more) or 2 (14 or more): Wang Yinle / Wang Yunle. Two organisations
//! or addresses are the same when one key contains the other and the shorter has at least 6
//! characters. Two city names are the same when equal, or within edit distance 1 for names of 6
//! characters or more (Guayquil / Guayaquil).

use outpost_match::fuzzy::levenshtein;
use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Surnames whose reading differs from the character's commonest reading.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('單', "shan"),
    ('区', "ou"),
    ('區', "ou"),
    ('仇', "qiu"),
    ('解', "xie"),
    ('查', "zha"),
    ('朴', "piao"),
    ('盖', "ge"),
    ('蓋', "ge"),
    ('乐', "yue"),
    ('樂', "yue"),
    ('覃', "qin"),
    ('翟', "zhai"),
    ('缪', "miao"),
    ('繆', "miao"),
    ('秘', "bi"),
    ('种', "chong"),
    ('種', "chong"),
    ('员', "yun"),
    ('員', "yun"),
    ('长', "chang"),
    ('長', "chang"),
];

/// Two-character surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "司徒", "东方", "東方", "皇甫", "尉迟",
    "尉遲", "公孙", "公孫", "慕容", "夏侯", "令狐", "端木", "长孙", "長孫",
];

/// Readings used in names where the data's first reading is another one (长 is read "zhang"
/// first, but 长乐, 长沙, 长春 read "chang"; the match crate applies the same rule to places).
const NAME_READINGS: &[(char, &str)] = &[('长', "chang"), ('長', "chang")];

fn pinyin_of(c: char) -> Option<&'static str> {
    NAME_READINGS
        .iter()
        .find(|(x, _)| *x == c)
        .map(|(_, r)| *r)
        .or_else(|| c.to_pinyin().map(|p| p.plain()))
}

/// Folds Latin text and romanises Chinese characters: lower case, no accents, each Chinese
/// character its own pinyin syllable, every run of other non-alphanumeric characters one space.
/// Characters with no reading are dropped. Never fails; an empty input gives an empty string.
pub fn romanise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if is_han(c) {
            if let Some(p) = pinyin_of(c) {
                out.push(' ');
                out.push_str(p);
                out.push(' ');
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's name as romanised tokens, surname first for Chinese-script names
/// (卢建旺 → `["lu", "jianwang"]`, `Lu Jianwang` → `["lu", "jianwang"]`).
pub fn person_tokens(name: &str) -> Vec<String> {
    let han: Vec<char> = name.chars().filter(|c| is_han(*c)).collect();
    let only_han = !han.is_empty()
        && name
            .chars()
            .all(|c| is_han(c) || c == '·' || c.is_whitespace());
    if only_han && (2..=4).contains(&han.len()) {
        let s: String = han.iter().collect();
        let sur_len = if han.len() >= 3 && COMPOUND_SURNAMES.iter().any(|c| s.starts_with(c)) {
            2
        } else {
            1
        };
        let read = |c: char| pinyin_of(c).unwrap_or("").to_string();
        let surname: String = if sur_len == 1 {
            SURNAME_READINGS
                .iter()
                .find(|(c, _)| *c == han[0])
                .map(|(_, r)| r.to_string())
                .unwrap_or_else(|| read(han[0]))
        } else {
            han[..2].iter().map(|&c| read(c)).collect()
        };
        let given: String = han[sur_len..].iter().map(|&c| read(c)).collect();
        return [surname, given]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
    }
    romanise(name)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The comparison key of a person's name (romanised, surname first for Chinese script, no spaces).
pub fn person_key(name: &str) -> String {
    person_tokens(name).concat()
}

/// True when two written names are the same person under the thresholds in the module
/// documentation (either name order; same surname and a small edit distance).
pub fn same_person(a: &str, b: &str) -> bool {
    let (ta, tb) = (person_tokens(a), person_tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return false;
    }
    let orders = |t: &[String]| -> Vec<(String, String)> {
        let mut v = vec![(t[0].clone(), t.concat())];
        if t.len() >= 2 {
            let last = t[t.len() - 1].clone();
            let rest = t[..t.len() - 1].concat();
            v.push((last.clone(), format!("{last}{rest}")));
        }
        v
    };
    for (sa, ka) in orders(&ta) {
        for (sb, kb) in orders(&tb) {
            if ka == kb {
                return true;
            }
            let n = ka.chars().count().min(kb.chars().count());
            let allowed = if n >= 14 {
                2
            } else if n >= 8 {
                1
            } else {
                0
            };
            if allowed > 0 && sa == sb && levenshtein(&ka, &kb) <= allowed {
                return true;
            }
        }
    }
    false
}

/// Organisation head words and place words, translated to one English form before comparing.
const ORG_WORDS: &[(&str, &str)] = &[
    ("同乡会", " association "),
    ("同鄉會", " association "),
    ("公会", " association "),
    ("公會", " association "),
    ("协会", " association "),
    ("協會", " association "),
    ("联合会", " federation "),
    ("聯合會", " federation "),
    ("总会", " association "),
    ("總會", " association "),
    ("商会", " chamber of commerce "),
    ("商會", " chamber of commerce "),
    ("美国", " america "),
    ("美國", " america "),
    ("asociación", " association "),
    ("asociacion", " association "),
    ("cámara del comercio", " chamber of commerce "),
    ("cámara de comercio", " chamber of commerce "),
    ("camara de comercio", " chamber of commerce "),
    ("federación", " federation "),
];

/// Words that do not tell organisations apart.
const ORG_STOP: &[&str] = &[
    "the", "a", "an", "of", "inc", "ny", "llc", "ltd", "de", "del", "la", "el", "los", "las", "y",
    "and", "en", "in",
];

/// The comparison key of an organisation name (head words translated, romanised, stop words
/// dropped, no spaces).
pub fn org_key(name: &str) -> String {
    let mut s = name.to_lowercase();
    for (w, en) in ORG_WORDS {
        s = s.replace(w, en);
    }
    romanise(&s)
        .split(' ')
        .filter(|t| !t.is_empty() && !ORG_STOP.contains(t))
        .collect()
}

/// Address abbreviations, expanded before comparing.
const ADDRESS_ABBREVIATIONS: &[(&str, &str)] = &[
    ("st", "street"),
    ("str", "street"),
    ("ave", "avenue"),
    ("av", "avenue"),
    ("avda", "avenida"),
    ("rd", "road"),
    ("blvd", "boulevard"),
    ("fl", "floor"),
    ("flr", "floor"),
    ("e", "east"),
    ("w", "west"),
    ("n", "north"),
    ("s", "south"),
    ("c", "calle"),
    ("no", ""),
    ("nº", ""),
    ("num", ""),
];

/// The comparison key of an address: romanised, abbreviations expanded (`107 E. Broadway` and
/// `107 East Broadway` agree), no spaces.
pub fn address_key(address: &str) -> String {
    romanise(address)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| {
            ADDRESS_ABBREVIATIONS
                .iter()
                .find(|(a, _)| *a == t)
                .map(|(_, e)| *e)
                .unwrap_or(t)
        })
        .collect()
}

/// True when one key contains the other and the shorter has at least 6 characters (or they are
/// equal and non-empty).
pub fn keys_overlap(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 6 && long.contains(short)
}

/// The comparison key of a city name (romanised, no spaces): 福州 → `fuzhou`.
pub fn city_key(name: &str) -> String {
    romanise(name).replace(' ', "")
}

/// True when two city keys are the same city: equal, or within edit distance 1 when both have 6
/// characters or more.
pub fn same_city(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b || (a.chars().count().min(b.chars().count()) >= 6 && levenshtein(a, b) <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cities_across_scripts_and_spellings() {
        assert_eq!(city_key("福州"), "fuzhou");
        assert_eq!(city_key("Fuzhou"), "fuzhou");
        assert!(same_city(&city_key("福州"), &city_key("Fuzhou")));
        assert!(same_city(&city_key("Guayquil"), &city_key("Guayaquil")));
        assert!(!same_city(&city_key("Rome"), &city_key("Roma")));
    }

    #[test]
    fn people_across_scripts_and_spellings() {
        assert_eq!(person_key("卢建旺"), "lujianwang");
        assert_eq!(person_key("盧建旺"), "lujianwang");
        assert!(same_person("卢建旺", "盧建旺"));
        assert!(same_person("盧建旺", "Lu Jianwang"));
        assert!(same_person("Lu Jianwang", "Jianwang Lu"));
        assert!(same_person("Wang Yinle", "Wang Yunle"));
        assert!(!same_person("Lu Jianwang", "Chen Jinping"));
        assert!(
            !same_person("Wang Yi", "Wang Li"),
            "short names need an exact match"
        );
        assert!(!same_person("Wang Yinle", "Zhang Yinle"));
        assert_eq!(person_key("欧阳修"), "ouyangxiu");
        assert_eq!(person_key("曾国藩"), "zengguofan");
    }

    #[test]
    fn organisations_and_addresses() {
        assert!(keys_overlap(&org_key("长乐公会"), &org_key("長樂公會")));
        assert!(keys_overlap(
            &org_key("美国长乐公会"),
            &org_key("America ChangLe Association")
        ));
        assert!(keys_overlap(
            &org_key("America ChangLe Association NY Inc"),
            &org_key("the America ChangLe Association")
        ));
        assert!(!keys_overlap(
            &org_key("a restaurant"),
            &org_key("Andywei Travel")
        ));
        assert!(keys_overlap(
            &address_key("107 E. Broadway"),
            &address_key("107 East Broadway, #3A")
        ));
        assert!(keys_overlap(
            &address_key("Capel St."),
            &address_key("capel street")
        ));
        assert!(keys_overlap(
            &address_key("Av. Corrientes 1234"),
            &address_key("Avenue Corrientes 1234")
        ));
    }
}
