//! Language detection used by the pipeline until a better detector is plugged in: whatlang over
//! the text, mapped to ISO 639-1, `None` when unreliable.

/// Detects the language of `text`: ISO 639-1 code (`zh` for Chinese) and confidence in [0, 1].
/// Returns `(None, 0.0)` for text too short or too mixed to tell.
pub fn detect(text: &str) -> (Option<String>, f32) {
    // whatlang is quadratic-free but slow on huge inputs; a prefix is enough to tell a language.
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match whatlang::detect(&text[..end]) {
        Some(info) => {
            let code = iso639_1(info.lang());
            (Some(code.to_string()), info.confidence() as f32)
        }
        None => (None, 0.0),
    }
}

/// Maps a whatlang language to its ISO 639-1 code (ISO 639-3 where no 639-1 code exists).
pub fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Cmn => "zh",
        Spa => "es",
        Eng => "en",
        Por => "pt",
        Cat => "ca",
        Ita => "it",
        Fra => "fr",
        Deu => "de",
        Nld => "nl",
        Jpn => "ja",
        Kor => "ko",
        Rus => "ru",
        Ara => "ar",
        Vie => "vi",
        Ind => "id",
        Tur => "tr",
        Pol => "pl",
        Ron => "ro",
        other => other.code(),
    }
}
