//! [`Generator`]: a seeded, endless stream of synthetic articles, cycling en / es / zh, a fraction
//! `rate` of which carry one planted station report, and a fraction `police_rate` one sentence of
//! ordinary police news.

use crate::rng::Rng;
use crate::sources::{Lang, Sources};
use crate::templates;
use outpost_core::Document;
use serde::Serialize;

/// Generation options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Fraction of articles with a planted station report, in [0, 1].
    pub rate: f64,
    /// Seed: the same seed and sources give the same articles.
    pub seed: u64,
    /// Sentences per article besides the planted one (each article draws between half of this
    /// and this many plus half).
    pub sentences: usize,
    /// Fraction of articles, in [0, 1], with one sentence of ordinary police news: a Chinese public
    /// security bureau (any prefecture or county) named in crime, traffic or fraud reporting,
    /// without any station term. Such articles pass the pipeline's pre-filter on the bureau name,
    /// as real news that mentions 公安 does, but are not relevant and yield no record. At 0 (the
    /// default) nothing is drawn for it, so corpora made without it are unchanged.
    pub police_rate: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            rate: 0.02,
            seed: 1,
            sentences: 12,
            police_rate: 0.0,
        }
    }
}

/// The planted station report of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plant {
    /// Host city as written in the text.
    pub city: String,
    /// ISO 3166-1 alpha-2 of the host country.
    pub country: String,
    /// Issuing bureau's home place as written in the text.
    pub bureau: String,
    /// The planted sentence.
    pub sentence: String,
}

/// One synthetic article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// `s<seed>-<n>`.
    pub id: String,
    /// `en`, `es` or `zh`.
    pub lang: &'static str,
    /// A title (the first words of the first sentence).
    pub title: String,
    /// A URL under `corpus.outpost.invalid`.
    pub url: String,
    /// An ISO date in 2022-2024.
    pub date: String,
    /// Sentences separated by spaces (en, es) or nothing (zh), paragraphs by newlines.
    pub text: String,
    /// The planted report, if any.
    pub plant: Option<Plant>,
    /// The police-news sentence, if any (see [`Options::police_rate`]).
    pub police: Option<String>,
}

impl Article {
    /// The article as a pipeline input document (id, text, URL, title, date and language hint).
    pub fn into_document(self) -> Document {
        let mut d = Document::new(self.id, self.text);
        d.url = Some(self.url);
        d.title = Some(self.title);
        d.date = Some(self.date);
        d.lang = Some(self.lang.to_string());
        d
    }
}

/// An endless iterator of articles drawn from [`Sources`].
pub struct Generator<'a> {
    sources: &'a Sources,
    options: Options,
    rng: Rng,
    n: u64,
}

impl<'a> Generator<'a> {
    /// A generator over `sources`. A `rate` outside [0, 1] is clamped.
    pub fn new(sources: &'a Sources, options: Options) -> Self {
        Self {
            sources,
            options: Options {
                rate: options.rate.clamp(0.0, 1.0),
                police_rate: options.police_rate.clamp(0.0, 1.0),
                ..options
            },
            rng: Rng::new(options.seed),
            n: 0,
        }
    }

    fn plant(&mut self, lang: Lang) -> Plant {
        let s = self.sources;
        let city = &s.cities[self.rng.below(s.cities.len())];
        let bureau = &s.bureaus[self.rng.below(s.bureaus.len())];
        let tpls = templates::for_lang(lang);
        let tpl = tpls[self.rng.below(tpls.len())];
        let (city_name, country, bureau_name) = match lang {
            Lang::En => (&city.name, &city.country_en, &bureau.name_latin),
            Lang::Es => (&city.name, &city.country_es, &bureau.name_latin),
            Lang::Zh => (&city.name_zh, &city.country_zh, &bureau.name_zh),
        };
        let sentence = tpl
            .replace("{bureau}", bureau_name)
            .replace("{city}", city_name)
            .replace("{country}", country);
        Plant {
            city: city_name.clone(),
            country: city.country.clone(),
            bureau: bureau_name.clone(),
            sentence,
        }
    }

    fn police(&mut self, lang: Lang) -> String {
        let places = &self.sources.places;
        let place = &places[self.rng.below(places.len())];
        let tpls = templates::police_for_lang(lang);
        let tpl = tpls[self.rng.below(tpls.len())];
        let name = match lang {
            Lang::Zh => &place.name_zh,
            _ => &place.name_latin,
        };
        tpl.replace("{place}", name)
    }
}

fn title_of(first: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => first.chars().take(20).collect(),
        _ => first.split(' ').take(8).collect::<Vec<_>>().join(" "),
    }
}

impl Iterator for Generator<'_> {
    type Item = Article;

    fn next(&mut self) -> Option<Article> {
        let lang = Lang::ALL[(self.n % 3) as usize];
        let id = format!("s{}-{}", self.options.seed, self.n);
        self.n += 1;
        let pool = self
            .sources
            .sentences
            .get(&lang)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let base = self.options.sentences.max(1);
        let count = base / 2 + self.rng.below(base + 1);
        let mut sentences: Vec<String> = (0..count.max(1))
            .filter_map(|_| pool.get(self.rng.below(pool.len())).cloned())
            .collect();
        let plant = (self.rng.unit() < self.options.rate).then(|| self.plant(lang));
        if let Some(p) = &plant {
            let at = 1 + self.rng.below(sentences.len());
            sentences.insert(at.min(sentences.len()), p.sentence.clone());
        }
        let police = (self.options.police_rate > 0.0
            && !self.sources.places.is_empty()
            && self.rng.unit() < self.options.police_rate)
            .then(|| self.police(lang));
        if let Some(p) = &police {
            let at = self.rng.below(sentences.len() + 1);
            sentences.insert(at, p.clone());
        }
        let (sep, end) = match lang {
            Lang::Zh => ("", "。"),
            _ => (" ", "."),
        };
        let mut text = String::new();
        for (i, s) in sentences.iter().enumerate() {
            if i > 0 {
                text.push_str(if i % 4 == 0 { "\n" } else { sep });
            }
            text.push_str(s);
            if !s.ends_with(['.', '。', '?', '!', '？', '！']) {
                text.push_str(end);
            }
        }
        let title = title_of(sentences.first().map(String::as_str).unwrap_or(""), lang);
        let day = self.rng.below(3 * 365);
        let date = format!(
            "{}-{:02}-{:02}",
            2022 + day / 365,
            1 + (day % 365) / 31 % 12,
            1 + day % 28
        );
        Some(Article {
            url: format!("https://corpus.outpost.invalid/{}/{id}.html", lang.code()),
            id,
            lang: lang.code(),
            title,
            date,
            text,
            plant,
            police,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sources::{Bureau, City};
    use std::collections::HashMap;

    pub(crate) fn tiny_sources() -> Sources {
        let mut sentences = HashMap::new();
        sentences.insert(
            Lang::En,
            vec![
                "The market rose on Monday".to_string(),
                "Rain is expected".to_string(),
            ],
        );
        sentences.insert(Lang::Es, vec!["El mercado subió el lunes".to_string()]);
        sentences.insert(Lang::Zh, vec!["今天北京天气晴朗".to_string()]);
        Sources {
            sentences,
            cities: vec![City {
                name: "Madrid".into(),
                name_zh: "马德里".into(),
                country: "ES".into(),
                country_en: "Spain".into(),
                country_es: "España".into(),
                country_zh: "西班牙".into(),
            }],
            bureaus: vec![Bureau {
                name_zh: "青田县".into(),
                name_latin: "Qingtian".into(),
            }],
            places: vec![Bureau {
                name_zh: "萧山区".into(),
                name_latin: "Xiaoshan".into(),
            }],
        }
    }

    #[test]
    fn deterministic_and_plants_at_the_rate() {
        let s = tiny_sources();
        let opts = Options {
            rate: 0.1,
            seed: 3,
            sentences: 6,
            police_rate: 0.0,
        };
        let a: Vec<Article> = Generator::new(&s, opts).take(3000).collect();
        let b: Vec<Article> = Generator::new(&s, opts).take(3000).collect();
        assert_eq!(a, b);
        let planted: Vec<&Article> = a.iter().filter(|x| x.plant.is_some()).collect();
        assert!((240..=360).contains(&planted.len()), "{}", planted.len());
        for p in planted {
            let plant = p.plant.as_ref().expect("planted");
            assert!(p.text.contains(&plant.sentence));
            assert!(p.text.contains(&plant.city) && p.text.contains(&plant.bureau));
        }
        let zh = a
            .iter()
            .find(|x| x.lang == "zh" && x.plant.is_some())
            .expect("a zh plant");
        assert!(
            zh.text.contains("马德里") && zh.text.contains("青田县公安局"),
            "{}",
            zh.text
        );
        let other: Vec<Article> = Generator::new(&s, Options { seed: 4, ..opts })
            .take(50)
            .collect();
        assert_ne!(a[..50], other[..]);
        assert!(a.iter().all(|x| x.police.is_none()));
    }

    #[test]
    fn police_news_comes_at_its_rate_beside_the_plants() {
        let s = tiny_sources();
        let plain = Options {
            rate: 0.1,
            seed: 5,
            sentences: 6,
            police_rate: 0.0,
        };
        let with = Options {
            police_rate: 0.2,
            ..plain
        };
        let a: Vec<Article> = Generator::new(&s, with).take(3000).collect();
        let police: Vec<&Article> = a.iter().filter(|x| x.police.is_some()).collect();
        assert!((500..=700).contains(&police.len()), "{}", police.len());
        for p in &police {
            let sentence = p.police.as_deref().expect("police");
            assert!(p.text.contains(sentence), "{}", p.text);
            let place = if p.lang == "zh" {
                "萧山区"
            } else {
                "Xiaoshan"
            };
            assert!(sentence.contains(place), "{sentence}");
        }
        // Station reports are still planted at their rate with police news drawn as well.
        let planted = |o| {
            Generator::new(&s, o)
                .take(3000)
                .filter(|x: &Article| x.plant.is_some())
                .count()
        };
        assert!(planted(plain) > 200 && planted(with) > 200);
    }
}
