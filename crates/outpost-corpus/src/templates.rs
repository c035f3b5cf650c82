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
