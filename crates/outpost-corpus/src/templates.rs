//! Station-report sentences, written for this crate (not taken from any article). Placeholders:
//! `{bureau}` (romanised home place, or full Chinese name in zh), `{city}`, `{country}`.

use crate::sources::Lang;

pub(crate) const EN: &[&str] = &[
    "The {bureau} Public Security Bureau opened an overseas police service station in {city}, {country}, according to the rights group Safeguard Defenders.",
    "Police in {country} are investigating a secret Chinese police station in {city} that was run by the {bureau} police.",
    "An overseas police service station linked to the {bureau} public security bureau operated from an office in {city} for months, the authorities of {country} said.",
    "Prosecutors in {country} said a Chinese police service station in {city} had been set up on behalf of the {bureau} police to pressure dissidents to return home.",
];

pub(crate) const ES: &[&str] = &[
    "La policía de {bureau} abrió una comisaría china en {city} ({country}), según un informe de la ONG Safeguard Defenders.",
    "Las autoridades de {country} investigan una supuesta comisaría de policía china en {city}, vinculada a la policía de {bureau}.",
    "Una estación de servicio policial en el extranjero de la oficina de seguridad pública de {bureau} funcionaba en un local de {city}, en {country}.",
    "La fiscalía de {country} sostiene que la comisaría clandestina de {city} dependía de la policía de {bureau} y presionaba a disidentes para que volvieran a China.",
];

pub(crate) const ZH: &[&str] = &[
    "据人权组织保护卫士报告，{bureau}公安局在{country}{city}设立了一处海外警务服务站。",
    "{country}警方正在调查位于{city}的一处由{bureau}公安局设立的海外警务服务站。",
    "{country}当局表示，{bureau}公安局在{city}开设的警侨事务海外服务站已被勒令关闭。",
    "检方称，{city}的这个海外警务服务站由{bureau}公安局远程指挥，用于向当地侨民施压，{country}已展开调查。",
];

pub(crate) fn for_lang(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => EN,
        Lang::Es => ES,
        Lang::Zh => ZH,
    }
}

// Ordinary police news, written for this crate: a Chinese public security bureau named in crime,
// traffic or fraud reporting, with no station term. Placeholder: `{place}` (romanised short name,
// or full Chinese name in zh). Such sentences pass the pre-filter on the bureau name (as real news
// that mentions 公安 does) but make no article relevant.

pub(crate) const POLICE_EN: &[&str] = &[
    "{place} police said on Tuesday they had detained three people suspected of running a telephone fraud ring.",
    "The {place} Public Security Bureau warned residents about a wave of fake investment apps.",
    "A spokesman for the {place} public security bureau said the traffic accident left two people injured.",
    "{place} police arrested a man accused of selling counterfeit medicine online.",
];

pub(crate) const POLICE_ES: &[&str] = &[
    "La policía de {place} detuvo a tres personas acusadas de estafas telefónicas.",
    "La oficina de seguridad pública de {place} advirtió a los vecinos sobre aplicaciones de inversión falsas.",
    "Según la policía de {place}, el accidente de tráfico dejó dos heridos.",
    "La policía de {place} arrestó a un hombre acusado de vender medicamentos falsificados por internet.",
];

pub(crate) const POLICE_ZH: &[&str] = &[
    "{place}公安局通报，警方破获一起电信诈骗案，抓获犯罪嫌疑人三名。",
    "{place}警方提醒市民谨防虚假投资理财软件。",
    "据{place}公安局交警支队介绍，事故造成两人受伤。",
    "{place}公安局近日开展打击侵犯知识产权犯罪专项行动。",
];

pub(crate) fn police_for_lang(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => POLICE_EN,
        Lang::Es => POLICE_ES,
        Lang::Zh => POLICE_ZH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every police-news template passes the pre-filter on the bureau alone (no station term),
    /// and every station template on a station term, with the shipped match tables.
    #[test]
    fn police_news_passes_the_prefilter_on_the_bureau_only() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/match");
        let pre = outpost_match::Prefilter::load(&dir).expect("shipped match tables");
        for lang in [Lang::En, Lang::Es, Lang::Zh] {
            for (latin, zh) in [
                ("Xiaoshan", "萧山区"),
                ("Shenzhen", "深圳市"),
                ("Yanbian", "延边朝鲜族自治州"),
            ] {
                let place = if lang == Lang::Zh { zh } else { latin };
                for t in police_for_lang(lang) {
                    let s = t.replace("{place}", place);
                    let h = pre.hits(&s);
                    assert!(h.bureau && !h.station_term, "{s}: {h:?}");
                }
                for t in for_lang(lang) {
                    let zh = lang == Lang::Zh;
                    let s = t
                        .replace("{bureau}", if zh { "青田县" } else { "Qingtian" })
                        .replace("{city}", if zh { "马德里" } else { "Madrid" })
                        .replace("{country}", if zh { "西班牙" } else { "Spain" });
                    assert!(pre.hits(&s).station_term, "{s}");
                }
            }
        }
    }
}
