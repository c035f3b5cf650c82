//! # outpost-address
//!
//! Parses postal addresses into libpostal's component labels and finds addresses in running text.
//!
//! * [`AddressParser`]: a rule and dictionary parser. Chinese addresses are resolved against the
//!   national administrative divisions (province / prefecture / county / town, with adcodes) and then
//!   split into road, number, building, floor and room; Latin-script addresses (Spanish-speaking
//!   countries, US, GB, CA, IE, AU, and the OSM-style formats of most of Europe) are split by
//!   comma segments, number patterns, libpostal's alias dictionaries (street, unit, level types),
//!   first-level region names, postcode shapes and GeoNames city names.
//! * Tables: compiled from the shared data by `outpost address compile` into `models/address/`
//!   ([`compiled`]); [`AddressParser::load`] / [`AddressParser::load_dir`] read only those files,
//!   [`AddressParser::from_data`] builds them from `../shared/data` (the compile step's source).
//! * [`AddressDetector`]: an [`outpost_core::Recognizer`] that finds address spans in news text
//!   (zh/es/en) with a score; [`AddressDetector::find`] also returns each span's parse.
//! * [`eval`]: the scorer behind `outpost address eval`; [`fold::compare_key`] is the one
//!   normalisation that decides whether a component is right.
//!
//! ```no_run
//! let parser = outpost_address::AddressParser::load().unwrap(); // models/address
//! let p = parser.parse("Av. Corrientes 1234, piso 3, C1043 Buenos Aires");
//! assert_eq!(p.get("road"), Some("Av. Corrientes"));
//! ```

#![warn(missing_docs)]

pub mod china;
pub mod compiled;
pub mod detect;
pub mod eval;
pub mod fold;
mod former;
pub mod latin;
mod regions;
pub mod tables;
pub mod zh_dev;

pub use detect::{AddressDetector, FoundAddress};

use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    /// A data file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A data or test file has a malformed record.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A Chinese administrative division the parser resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminMatch {
    /// `province`, `prefecture`, `county` or `town`.
    pub level: &'static str,
    /// Official code: 6 digits (province / prefecture / county) or 9 digits (town); empty for
    /// HK / MO / TW sub-areas, which have none in the gazetteer.
    pub code: String,
    /// Official full name (e.g. `福州市` for the surface form `福州`).
    pub name: String,
}

/// The result of parsing one address.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ParsedAddress {
    /// `(label, value)` pairs in input order. Labels are libpostal's (`house_number`, `road`,
    /// `unit`, `level`, `staircase`, `po_box`, `postcode`, `suburb`, `city_district`, `city`,
    /// `state_district`, `state`, `country`, `house`) plus `building` for Chinese building
    /// numbers (栋/幢/号楼). Values are substrings of the input.
    pub components: Vec<(&'static str, String)>,
    /// Chinese divisions resolved to codes, coarsest first (empty for other addresses).
    pub admin: Vec<AdminMatch>,
    /// Official names of the resolved Chinese divisions with their parents filled in, under the
    /// labels the surface forms would take (`state` province, `city` prefecture,
    /// `city_district` county, `suburb` town). Empty for other addresses.
    pub official: Vec<(&'static str, String)>,
    /// ISO 3166-1 alpha-2 country the parser inferred (from a country name, a region or the
    /// script), when it could.
    pub country_code: Option<String>,
}

impl ParsedAddress {
    /// The first value with this label, if any.
    pub fn get(&self, label: &str) -> Option<&str> {
        self.components
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.as_str())
    }

    /// The finest resolved Chinese adcode, if any.
    pub fn adcode(&self) -> Option<&str> {
        self.admin
            .iter()
            .rev()
            .find(|a| !a.code.is_empty())
            .map(|a| a.code.as_str())
    }
}

/// The address parser. Cheap to clone (tables are shared); `Send + Sync`.
#[derive(Debug, Clone)]
pub struct AddressParser {
    tables: Arc<tables::Tables>,
    china: Arc<china::ChinaGazetteer>,
}

impl AddressParser {
    /// Loads the compiled tables from the default models folder
    /// ([`compiled::default_models_dir`]: `$OUTPOST_MODELS/address`, else `models/address`).
    /// Reads nothing from the shared data directory. Errors name the file that is missing or
    /// malformed.
    pub fn load() -> Result<Self, AddressError> {
        Self::load_dir(&compiled::default_models_dir())
    }

    /// Loads the compiled tables from `dir` (a folder written by [`AddressParser::compile`], such
    /// as `models/address`). Errors name the file that is missing or malformed.
    pub fn load_dir(dir: &Path) -> Result<Self, AddressError> {
        let tables = compiled::read_tables(dir)?;
        let china = compiled::read_china(dir)?;
        Ok(Self {
            tables: Arc::new(tables),
            china: Arc::new(china),
        })
    }

    /// Builds the tables from the shared data directory `data_dir` (the directory holding
    /// `address/` and `gazetteer/`, e.g. `../shared/data`): the compile step's source, and a way
    /// to try table changes without recompiling. Errors name the file that is missing or
    /// malformed.
    pub fn from_data(data_dir: &Path) -> Result<Self, AddressError> {
        let tables = tables::Tables::load(data_dir)?;
        let china = china::ChinaGazetteer::load(&data_dir.join("gazetteer"))?;
        Ok(Self {
            tables: Arc::new(tables),
            china: Arc::new(china),
        })
    }

    /// Writes this parser's tables into `dir` in the compiled form [`AddressParser::load_dir`]
    /// reads (created if needed; each file written completely or not at all).
    ///
    /// Errors: the folder or a file cannot be written.
    pub fn compile(&self, dir: &Path) -> Result<compiled::CompileSummary, AddressError> {
        compiled::write(&self.tables, &self.china, dir)
    }

    /// Parses one address. Chinese-script input (Han characters and no Latin letters outside
    /// building codes) goes to the Chinese parser, everything else to the Latin-script parser.
    /// Never fails: empty or meaningless input gives an empty or partial parse.
    pub fn parse(&self, input: &str) -> ParsedAddress {
        let han = input.chars().filter(|c| china::is_han(*c)).count();
        let letters = input
            .chars()
            .filter(|c| c.is_alphabetic() && !china::is_han(*c))
            .count();
        if han > 0 && han * 2 >= letters {
            china::parse(&self.china, &self.tables, input)
        } else {
            latin::parse(&self.tables, input)
        }
    }

    /// The Latin-script tables (for the detector).
    pub fn tables(&self) -> &tables::Tables {
        &self.tables
    }

    /// The Chinese gazetteer (for the detector).
    pub fn china(&self) -> &china::ChinaGazetteer {
        &self.china
    }

    /// Approximate heap bytes held by the parser's tables.
    pub fn heap_bytes(&self) -> usize {
        self.tables.heap_bytes() + self.china.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser() -> Option<AddressParser> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        if !dir.join("gazetteer").exists() {
            eprintln!("shared data absent at {}: skipping", dir.display());
            return None;
        }
        Some(AddressParser::from_data(&dir).expect("tables load"))
    }

    /// The committed `models/address` is what `compile` makes from the current data and code
    /// (byte for byte), and a parser loaded from it answers exactly as one built from the data.
    #[test]
    fn compiled_models_are_current_and_equivalent() {
        let Some(p) = parser() else { return };
        let tmp = tempfile::tempdir().expect("temp dir");
        let summary = p.compile(tmp.path()).expect("compile");
        assert!(summary.divisions > 40_000 && summary.city_hashes > 20_000);
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/address");
        for f in [
            compiled::TABLES_FILE,
            compiled::CITIES_FILE,
            compiled::CHINA_FILE,
        ] {
            let fresh = std::fs::read(tmp.path().join(f)).expect("fresh file");
            let old = std::fs::read(shipped.join(f)).unwrap_or_default();
            assert!(
                fresh == old,
                "models/address/{f} is stale: run `outpost address compile --data ../shared/data -o models/address`"
            );
        }
        let q = AddressParser::load_dir(tmp.path()).expect("load compiled");
        assert_eq!(q.heap_bytes(), p.heap_bytes());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/address");
        let text =
            std::fs::read_to_string(dir.join("cpca_addr_unlabelled.csv")).unwrap_or_default();
        let mut inputs: Vec<&str> = text
            .lines()
            .skip(1)
            .take(1500)
            .map(|l| l.split(',').next().unwrap_or(""))
            .collect();
        inputs.extend([
            "Cra 18 #63-64, Bogotá - Colombia",
            "16-17 spring lane, wellingborough nn8 1ey, gb",
            "Calle Mayor 5, 28013 Madrid, España",
            "臺中市 北屯區 同榮路318巷 25號 之1",
        ]);
        for inp in inputs {
            assert_eq!(p.parse(inp), q.parse(inp), "{inp}");
        }
    }

    #[test]
    fn spanish_forms() {
        let Some(p) = parser() else { return };
        let a = p.parse("Av. Corrientes 1234, piso 3, Buenos Aires");
        assert_eq!(a.get("road"), Some("Av. Corrientes"));
        assert_eq!(a.get("house_number"), Some("1234"));
        assert_eq!(a.get("level"), Some("piso 3"));
        assert_eq!(a.get("city"), Some("Buenos Aires"));
        let a = p.parse("calle 11 18-33, armenia quindío 630003, co");
        assert_eq!(a.get("road"), Some("calle 11"));
        assert_eq!(a.get("house_number"), Some("18-33"));
        assert_eq!(a.get("state"), Some("quindío"));
        assert_eq!(a.get("postcode"), Some("630003"));
    }

    #[test]
    fn english_forms() {
        let Some(p) = parser() else { return };
        let a = p.parse("2633 Camino Ramon Ste. 400 San Ramon, CA 94583-2176");
        assert_eq!(a.get("house_number"), Some("2633"));
        assert_eq!(a.get("unit"), Some("Ste. 400"));
        assert_eq!(a.get("state"), Some("CA"));
        assert_eq!(a.get("postcode"), Some("94583-2176"));
        let a = p.parse("16-17 spring lane, wellingborough nn8 1ey, gb");
        assert_eq!(a.get("postcode"), Some("nn8 1ey"));
        assert_eq!(a.get("country"), Some("gb"));
        assert_eq!(a.get("city"), Some("wellingborough"));
    }

    #[test]
    fn chinese_admin_codes() {
        let Some(p) = parser() else { return };
        let a = p.parse("浙江省温州市鹿城区人民路123号5楼");
        assert_eq!(a.get("state"), Some("浙江省"));
        assert_eq!(a.get("city"), Some("温州市"));
        assert_eq!(a.get("city_district"), Some("鹿城区"));
        assert_eq!(a.get("road"), Some("人民路"));
        assert_eq!(a.get("house_number"), Some("123号"));
        assert_eq!(a.get("level"), Some("5楼"));
        assert_eq!(a.adcode(), Some("330302"));
        // a renamed division still resolves, to its successor's code
        let a = p.parse("杭州市下城区东新路533号");
        assert_eq!(a.get("city_district"), Some("下城区"));
        assert_eq!(a.adcode(), Some("330105"));
    }

    #[test]
    fn chinese_short_names_zones_old_names_and_lead_ins() {
        let Some(p) = parser() else { return };
        let off = |a: &ParsedAddress, l: &str| {
            a.official
                .iter()
                .filter(|(x, _)| *x == l)
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>()
        };
        // a province's short name before a character that also ends town names (镇/乡)
        let a = p.parse("江苏镇江丹徒区人民路5号");
        assert_eq!(a.get("state"), Some("江苏"));
        assert_eq!(a.get("city"), Some("镇江"));
        assert_eq!(a.get("city_district"), Some("丹徒区"));
        // the prefecture's 市 opens the district's name
        let a = p.parse("青岛市南区香港中路52号");
        assert_eq!(a.get("city"), Some("青岛"));
        assert_eq!(a.get("city_district"), Some("市南区"));
        let a = p.parse("青岛市市南区香港中路52号");
        assert_eq!(a.get("city"), Some("青岛市"));
        assert_eq!(a.get("city_district"), Some("市南区"));
        // a county named after its own prefecture
        let a = p.parse("安徽黄山黄山区学院路8号");
        assert_eq!(a.get("city"), Some("黄山"));
        assert_eq!(a.get("city_district"), Some("黄山区"));
        // a development zone whose official name opens with its prefecture's
        let a = p.parse("河北省秦皇岛市经济技术开发区数谷翔园27号");
        // (the zone is NAACL's devZone: `suburb`, not a district; its code still resolves)
        assert_eq!(a.get("city"), Some("秦皇岛市"));
        assert_eq!(a.get("city_district"), None);
        assert_eq!(a.get("suburb"), Some("经济技术开发区"));
        assert_eq!(a.adcode(), Some("130371"));
        // a zone named with a place name without its suffix is one zone
        let a = p.parse("苏州工业园区星湖街328号");
        assert_eq!(a.get("suburb"), Some("苏州工业园区"));
        assert_eq!(a.get("city"), None);
        let a = p.parse("杭州市萧山经济技术开发区鸿兴路111号");
        assert_eq!(a.get("city"), Some("杭州市"));
        assert_eq!(a.get("city_district"), None);
        assert_eq!(a.get("suburb"), Some("萧山经济技术开发区"));
        assert_eq!(off(&a, "city_district"), vec!["萧山区"]);
        // but a zone after a county written in full keeps the county
        let a = p.parse("江苏省扬州市宝应县经济开发区金湾路333号");
        assert_eq!(a.get("city_district"), Some("宝应县"));
        assert_eq!(a.get("suburb"), Some("经济开发区"));
        // a county without a short name in the table answers to its stem after its city
        let a = p.parse("广东佛山南海桂城东平路");
        assert_eq!(a.get("city_district"), Some("南海"));
        let a = p.parse("辽宁大连中山中山路88号");
        assert_eq!(a.get("city_district"), Some("中山"));
        assert_eq!(a.get("road"), Some("中山路"));
        // ... but not without one
        assert_eq!(p.parse("江南西路5号").get("city_district"), None);
        // an autonomous county written with the plain suffix
        let a = p.parse("乳源县鹰峰东路");
        assert_eq!(a.get("city_district"), Some("乳源县"));
        // a road or gate named after a district is not the district
        assert_eq!(p.parse("杭州市余杭塘路515号").get("city_district"), None);
        assert_eq!(p.parse("北京市朝阳门外大街18号").get("city_district"), None);
        assert_eq!(
            p.parse("江北观音桥建新南路1号").get("city_district"),
            Some("江北")
        );
        // the new area a district grew from
        let a = p.parse("深圳市龙华新区民治大道");
        assert_eq!(a.get("city_district"), Some("龙华新区"));
        // a county moved to another prefecture; a renamed district whose old name lives on
        // elsewhere
        let a = p.parse("吉林省四平市公主岭市范家屯镇");
        assert_eq!(a.get("city"), Some("四平市"));
        assert_eq!(a.get("city_district"), Some("公主岭市"));
        // noise before the address; a country and a short province before it are kept
        let a = p.parse("（中国总部）北京市朝阳区建国路88号");
        assert_eq!(a.get("city_district"), Some("朝阳区"));
        let a = p.parse("中国上海青浦区北青公路6598号");
        assert_eq!(a.get("state"), Some("上海"));
        assert_eq!(a.get("city_district"), Some("青浦区"));
        assert_eq!(
            p.parse("文一西路998号浙江省海外高层次人才创业园")
                .get("state"),
            None
        );
        let a = p.parse("大同市城区向阳西街98号");
        assert_eq!(a.get("city_district"), Some("城区"));
        let a = p.parse("湖南省岳阳市岳阳楼区");
        assert_eq!(a.get("city_district"), Some("岳阳楼区"));
        // a county name older than the current table (郫县, now 郫都区)
        let a = p.parse("四川省成都市郫县红光镇");
        assert_eq!(a.get("city_district"), Some("郫县"));
        assert_eq!(a.get("suburb"), Some("红光镇"));
        // chatter before the address
        let a = p.parse("我家的地址是江苏淮安清江浦区人民路111号");
        assert_eq!(a.get("state"), Some("江苏"));
        assert_eq!(a.get("city_district"), Some("清江浦区"));
        assert_eq!(a.get("road"), Some("人民路"));
        // a municipality is its own city; without context an ambiguous district goes to one
        let a = p.parse("河北区");
        assert_eq!(off(&a, "state"), vec!["天津市"]);
        assert_eq!(off(&a, "city"), vec!["天津市"]);
        let a = p.parse("宝山区文一西路7号");
        assert_eq!(off(&a, "city"), vec!["上海市"]);
    }

    /// Every component is a substring of the input, on real unlabelled addresses and on every
    /// prefix of some awkward strings (this also guards against non-terminating loops).
    #[test]
    fn components_are_substrings_of_the_input() {
        let Some(p) = parser() else { return };
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/address");
        let text =
            std::fs::read_to_string(dir.join("cpca_addr_unlabelled.csv")).unwrap_or_default();
        let mut inputs: Vec<String> = text
            .lines()
            .skip(1)
            .take(2000)
            .map(|l| l.split(',').next().unwrap_or("").to_string())
            .collect();
        for s in [
            "合肥市长丰县蒙城北路与双墩路交叉口A、B两座楼之间通道往东50米02号电梯直达5层",
            "Cra 18 #63-64, Bogotá - Colombia",
            "P.O. Box 12, - , ,, 5º 3ª s/n",
            "臺中市 北屯區 同榮路318巷 25號 之1",
        ] {
            let cs: Vec<char> = s.chars().collect();
            for k in 0..=cs.len() {
                inputs.push(cs[..k].iter().collect());
            }
        }
        for inp in &inputs {
            let parsed = p.parse(inp);
            for (l, v) in &parsed.components {
                assert!(inp.contains(v.as_str()), "{l}={v:?} not in {inp:?}");
            }
        }
    }

    #[test]
    fn recognizer_reports_code_point_spans() {
        use outpost_core::{Doc, Document, Label, Recognizer};
        let Some(p) = parser() else { return };
        let d = AddressDetector::new(p);
        let doc = Doc::new(Document::new(
            "t",
            "🚓 据报道，服务站位于福州市鼓楼区五四路123号。 Also at 107 East Broadway.",
        ));
        let spans = d.recognize(&doc);
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].text, "福州市鼓楼区五四路123号");
        assert_eq!(spans[0].label, Label::Address);
        assert_eq!(spans[0].start, 11);
        assert_eq!(spans[1].text, "107 East Broadway");
        assert!(spans
            .iter()
            .all(|s| s.score >= 0.5 && s.canonical.is_none()));
    }

    #[test]
    fn detector_finds_addresses_in_prose() {
        let Some(p) = parser() else { return };
        let d = AddressDetector::new(p);
        let t = "La estación está en calle Von Schroeders 1234, Viña del Mar, según el diario.";
        let f = d.find(t);
        assert_eq!(f.len(), 1);
        assert_eq!(
            &t[f[0].start..f[0].end],
            "calle Von Schroeders 1234, Viña del Mar"
        );
        let t = "据报道，该服务站位于福州市鼓楼区五四路123号的一栋大楼内。";
        let f = d.find(t);
        assert_eq!(f.len(), 1);
        assert_eq!(&t[f[0].start..f[0].end], "福州市鼓楼区五四路123号");
        assert!(d.find("Nothing to see here, just 3 apples.").is_empty());
        assert!(d
            .find("The meeting took place on 5 May at the office.")
            .is_empty());
        assert!(d.find("福州市公安局在长乐区设立了服务站。").is_empty());
        let t = "El local está en la Cra 18 #63-64 de Bogotá.";
        let f = d.find(t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].parse.get("road"), Some("Cra 18"));
        assert_eq!(f[0].parse.get("city"), Some("Bogotá"));
        let t = "Stations sit at Units 1 and 2 at 220 Royal Crest Court in Markham.";
        let f = d.find(t);
        assert!(f
            .iter()
            .any(|x| &t[x.start..x.end] == "220 Royal Crest Court"));
    }
}
