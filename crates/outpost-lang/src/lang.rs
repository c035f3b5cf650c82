//! [`Lang`]: the languages the detector knows, with their ISO 639-1 codes and the scripts they are
//! written in.

use crate::script::Script;
use std::fmt;

/// A language the detector can return.
///
/// The set is the 18 languages of the shared language-ID test data (the project's zh/es/en plus the
/// languages they are most often confused with). Galician is not here: lingua ships no model for it,
/// so there is nothing to derive one from (see `models/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Chinese (`zh`); the written variant is reported separately.
    Zh,
    /// Spanish (`es`).
    Es,
    /// English (`en`).
    En,
    /// Portuguese (`pt`).
    Pt,
    /// Catalan (`ca`).
    Ca,
    /// Italian (`it`).
    It,
    /// French (`fr`).
    Fr,
    /// German (`de`).
    De,
    /// Dutch (`nl`).
    Nl,
    /// Japanese (`ja`).
    Ja,
    /// Korean (`ko`).
    Ko,
    /// Russian (`ru`).
    Ru,
    /// Arabic (`ar`).
    Ar,
    /// Vietnamese (`vi`).
    Vi,
    /// Indonesian (`id`).
    Id,
    /// Turkish (`tr`).
    Tr,
    /// Polish (`pl`).
    Pl,
    /// Romanian (`ro`).
    Ro,
}

impl Lang {
    /// Every language, in a fixed order (the order of the n-gram model's columns).
    pub const ALL: [Lang; 18] = [
        Lang::Zh,
        Lang::Es,
        Lang::En,
        Lang::Pt,
        Lang::Ca,
        Lang::It,
        Lang::Fr,
        Lang::De,
        Lang::Nl,
        Lang::Ja,
        Lang::Ko,
        Lang::Ru,
        Lang::Ar,
        Lang::Vi,
        Lang::Id,
        Lang::Tr,
        Lang::Pl,
        Lang::Ro,
    ];

    /// Position of the language in [`Lang::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// ISO 639-1 code, e.g. `"zh"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Pt => "pt",
            Lang::Ca => "ca",
            Lang::It => "it",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Nl => "nl",
            Lang::Ja => "ja",
            Lang::Ko => "ko",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
            Lang::Vi => "vi",
            Lang::Id => "id",
            Lang::Tr => "tr",
            Lang::Pl => "pl",
            Lang::Ro => "ro",
        }
    }

    /// Parses an ISO 639-1 code (case-insensitive; `zh-Hans`/`zh-Hant` give [`Lang::Zh`]);
    /// `None` for a code the detector does not know.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|l| l.code() == base)
    }

    /// The script the language is written in (Chinese and Japanese: [`Script::Han`]; Japanese text
    /// also uses [`Script::Kana`]).
    pub fn script(self) -> Script {
        match self {
            Lang::Zh | Lang::Ja => Script::Han,
            Lang::Ko => Script::Hangul,
            Lang::Ru => Script::Cyrillic,
            Lang::Ar => Script::Arabic,
            _ => Script::Latin,
        }
    }

    /// True when text in `script` can be this language.
    pub fn writes(self, script: Script) -> bool {
        match script {
            Script::Kana => self == Lang::Ja,
            Script::Han => matches!(self, Lang::Zh | Lang::Ja),
            other => self.script() == other,
        }
    }

    /// whatlang's code for the language (used by the fast stage).
    pub fn whatlang(self) -> whatlang::Lang {
        use whatlang::Lang as W;
        match self {
            Lang::Zh => W::Cmn,
            Lang::Es => W::Spa,
            Lang::En => W::Eng,
            Lang::Pt => W::Por,
            Lang::Ca => W::Cat,
            Lang::It => W::Ita,
            Lang::Fr => W::Fra,
            Lang::De => W::Deu,
            Lang::Nl => W::Nld,
            Lang::Ja => W::Jpn,
            Lang::Ko => W::Kor,
            Lang::Ru => W::Rus,
            Lang::Ar => W::Ara,
            Lang::Vi => W::Vie,
            Lang::Id => W::Ind,
            Lang::Tr => W::Tur,
            Lang::Pl => W::Pol,
            Lang::Ro => W::Ron,
        }
    }

    /// The language for a whatlang code; `None` for one outside [`Lang::ALL`].
    pub fn from_whatlang(w: whatlang::Lang) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.whatlang() == w)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_index_matches_order() {
        for (i, l) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(l.index(), i);
            assert_eq!(Lang::from_code(l.code()), Some(l));
            assert_eq!(Lang::from_whatlang(l.whatlang()), Some(l));
        }
        assert_eq!(Lang::from_code("zh-Hant"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("gl"), None);
    }
}
