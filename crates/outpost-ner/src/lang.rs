//! [`Lang`]: the languages the tagger supports.

use crate::error::NerError;
use std::fmt;
use std::str::FromStr;

/// A language the tagger has tokenisation and features for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Chinese: tagged per character, with word-boundary features from a segmenter.
    Zh,
    /// Spanish: tagged per word.
    Es,
    /// English: tagged per word.
    En,
}

impl Lang {
    /// The ISO 639-1 code (`zh`, `es`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// Numeric id used in model files.
    pub(crate) fn id(self) -> u8 {
        match self {
            Lang::Zh => 0,
            Lang::Es => 1,
            Lang::En => 2,
        }
    }

    /// Inverse of [`Lang::id`]; `None` for an unknown id.
    pub(crate) fn from_id(id: u8) -> Option<Lang> {
        match id {
            0 => Some(Lang::Zh),
            1 => Some(Lang::Es),
            2 => Some(Lang::En),
            _ => None,
        }
    }
}

impl FromStr for Lang {
    type Err = NerError;

    /// Parses `zh`/`es`/`en` (case-insensitive; `zh-CN`, `zh-Hans`, `es-ES`, `en-US` style tags too);
    /// anything else is [`NerError::Lang`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let base = s
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match base.as_str() {
            "zh" => Ok(Lang::Zh),
            "es" => Ok(Lang::Es),
            "en" => Ok(Lang::En),
            _ => Err(NerError::Lang(s.to_string())),
        }
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
    fn parses_codes_and_rejects_others() {
        assert_eq!("zh-Hans".parse::<Lang>().unwrap(), Lang::Zh);
        assert_eq!("EN".parse::<Lang>().unwrap(), Lang::En);
        assert!("fr".parse::<Lang>().is_err());
        for l in [Lang::Zh, Lang::Es, Lang::En] {
            assert_eq!(Lang::from_id(l.id()), Some(l));
        }
    }
}
