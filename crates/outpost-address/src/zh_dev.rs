//! A Chinese development suite that measures what the NAACL-2019 metric measures (is the surface
//! province / prefecture / county of an address found, and nothing found where the address has
//! none) without reading any test file.
//!
//! Two sources, both with a known truth:
//!
//! * **synthetic** cases rendered from the raw gazetteer tables (`china_admin_divisions.tsv`,
//!   `china_towns.tsv`, `china_location_changes.tsv`): every county written in the forms real
//!   addresses take (full chain, province or city omitted, names without their generic suffix,
//!   `中国` / postcode prefixes, a name or note before the address, spaces, a town after the county, former county names), followed by
//!   a street tail; and every prefecture followed by a tail only (no county: a county found there
//!   is a false positive).
//! * **perturbed** real addresses (`cpca_addr_unlabelled.csv`): an address whose prefix is a full
//!   province + prefecture + county chain in official names, rewritten with the province, or the
//!   province and the prefecture, dropped, with suffixes stripped, or with a `中国` prefix; the
//!   expected surfaces follow from the rewrite, and the real tail stays.
//!
//! Expected components are surfaces (`state`, `city`, `city_district`); a level the case does not
//! name is expected absent, so [`crate::eval::evaluate`]'s per-label `accuracy` is the NAACL-style
//! "right" share. Municipalities follow the parser's convention (the municipality is `state`).
//! Development zones that the code table lists as county-level units (codes `xx7x`-`xx9x`, e.g.
//! 苏州工业园区) are not rendered as counties.

use crate::eval::Case;
use crate::tables::read;
use crate::{AddressError, AddressParser};
use std::collections::HashMap;
use std::path::Path;

/// One dev case and the form it was rendered in (`full`, `no_province`, `county_only`, ...).
#[derive(Debug, Clone)]
pub struct DevCase {
    /// The rendering that produced the case.
    pub kind: &'static str,
    /// The case.
    pub case: Case,
}

#[derive(Debug, Clone)]
struct Row {
    level: String,
    code: String,
    name: String,
    short: String,
    parent: String,
    province: String,
}

/// Street tails: common road names, some of them named after places (上海路, 西湖路), so that a
/// division name inside a road name is tested as well.
const TAILS: &[&str] = &[
    "人民路100号",
    "中山北路28号3栋",
    "解放东路6号",
    "建设大道1号",
    "文化路77号",
    "新华街12号",
    "长江路8号",
    "上海路111号",
    "北京东路5号",
    "西湖路16号",
    "东风路3号",
    "和平路45号",
    "工业园路2号",
    "花园小区3栋2单元501室",
    "金色家园12幢",
    "世纪大厦15楼",
    "南京路9号",
    "朝阳路18号",
    "湖滨路66号",
    "滨江大道88号",
];

/// True for a development zone that the code table lists at county level (codes xx7x..xx9x that
/// are not county-level cities): NAACL calls those `devZone`, not `district`.
pub fn is_zone_code(code: &str, name: &str) -> bool {
    code.len() == 6
        && code[4..6].parse::<u32>().map(|n| n >= 70).unwrap_or(false)
        && !name.ends_with('市')
}

fn load_rows(dir: &Path) -> Result<Vec<Row>, AddressError> {
    let path = dir.join("china_admin_divisions.tsv");
    let text = read(&path)?;
    let mut rows = Vec::new();
    for c in crate::china::division_rows(&text, &path) {
        let c = c?;
        rows.push(Row {
            level: c[0].into(),
            code: c[1].into(),
            name: c[2].into(),
            short: c[3].split('/').next().unwrap_or("").into(),
            parent: c[4].into(),
            province: c[5].into(),
        });
    }
    Ok(rows)
}

fn case(kind: &'static str, input: String, exp: &[(&str, &str)]) -> DevCase {
    DevCase {
        kind,
        case: Case {
            input,
            expected: exp
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .collect(),
            country: Some("CN".into()),
        },
    }
}

/// Synthetic cases rendered from the gazetteer folder `dir` (see the module doc).
///
/// Errors: a gazetteer file is unreadable or malformed (named with its line).
pub fn synthetic_cases(dir: &Path) -> Result<Vec<DevCase>, AddressError> {
    let rows = load_rows(dir)?;
    let by_code: HashMap<&str, &Row> = rows
        .iter()
        .filter(|r| !r.code.is_empty())
        .map(|r| (r.code.as_str(), r))
        .collect();
    // first town of each county
    let towns_path = dir.join("china_towns.tsv");
    let towns_text = read(&towns_path)?;
    let mut town_of: HashMap<String, String> = HashMap::new();
    for line in towns_text.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() >= 3 {
            town_of
                .entry(c[2].to_string())
                .or_insert_with(|| c[1].to_string());
        }
    }
    let mut out = Vec::new();
    let short_ok = |s: &str| s.chars().count() >= 2;
    for (i, r) in rows.iter().enumerate() {
        let tail = TAILS[i % TAILS.len()];
        let Some(prov) = by_code.get(r.province.as_str()) else {
            continue;
        };
        if ["710000", "810000", "820000"].contains(&prov.code.as_str()) {
            continue;
        }
        let (ps, pf) = (prov.short.as_str(), prov.name.as_str());
        if r.level == "prefecture" {
            if r.name.contains("市辖区") || r.name == "县" || r.name.contains("直辖") {
                continue;
            }
            out.push(case(
                "prefecture_tail",
                format!("{pf}{}{tail}", r.name),
                &[("state", pf), ("city", &r.name)],
            ));
            out.push(case(
                "prefecture_only_tail",
                format!("{}{tail}", r.name),
                &[("city", &r.name)],
            ));
            continue;
        }
        if r.level != "county" || r.code.is_empty() || is_zone_code(&r.code, &r.name) {
            continue;
        }
        let Some(pref) = by_code.get(r.parent.as_str()) else {
            continue;
        };
        // prefecture-level cities without counties list themselves as their only county (东莞市)
        if pref.name == r.name {
            continue;
        }
        // municipalities and counties directly under a province: no prefecture surface
        let no_pref =
            pref.name.contains("市辖区") || pref.name == "县" || pref.name.contains("直辖");
        let (cf, cs) = if no_pref {
            ("", "")
        } else {
            (pref.name.as_str(), pref.short.as_str())
        };
        let (df, mut ds) = (r.name.as_str(), r.short.as_str());
        // 市中区 -> "市中" cannot be told from the city's own 市
        if ds.starts_with('市') {
            ds = "";
        }
        out.push(case(
            "full",
            format!("{pf}{cf}{df}{tail}"),
            &[("state", pf), ("city", cf), ("city_district", df)],
        ));
        if !no_pref {
            out.push(case(
                "no_province",
                format!("{cf}{df}{tail}"),
                &[("city", cf), ("city_district", df)],
            ));
        }
        out.push(case(
            "county_only",
            format!("{df}{tail}"),
            &[("city_district", df)],
        ));
        if short_ok(ds) && ds != df {
            out.push(case(
                "county_short_after_city",
                format!("{pf}{cf}{ds}{tail}"),
                &[("state", pf), ("city", cf), ("city_district", ds)],
            ));
            if short_ok(ps) && (no_pref || short_ok(cs)) {
                out.push(case(
                    "all_short",
                    format!("{ps}{cs}{ds}{tail}"),
                    &[("state", ps), ("city", cs), ("city_district", ds)],
                ));
            }
        }
        if !no_pref && short_ok(cs) {
            out.push(case(
                "city_short",
                format!("{cs}{df}{tail}"),
                &[("city", cs), ("city_district", df)],
            ));
        }
        let noise = ["王先生", "（总部）", "李女士", "收货人张三"][i % 4];
        out.push(case(
            "noise_before",
            format!("{noise}{pf}{cf}{df}{tail}"),
            &[("state", pf), ("city", cf), ("city_district", df)],
        ));
        let prefix = if i % 2 == 0 { "中国" } else { "310012" };
        out.push(case(
            "prefixed",
            format!("{prefix}{pf}{cf}{df}{tail}"),
            &[("state", pf), ("city", cf), ("city_district", df)],
        ));
        let spaced = [pf, cf, df, tail]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        out.push(case(
            "spaced",
            spaced,
            &[("state", pf), ("city", cf), ("city_district", df)],
        ));
        if let Some(town) = town_of.get(&r.code) {
            out.push(case(
                "town_after",
                format!("{cf}{df}{town}{tail}"),
                &[("city", cf), ("city_district", df)],
            ));
        }
    }
    // former county names under their former prefecture
    let path = dir.join("china_location_changes.tsv");
    let text = read(&path)?;
    for (i, line) in text.lines().enumerate().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 11 || c[6].is_empty() || c[4].is_empty() {
            continue;
        }
        let tail = TAILS[i % TAILS.len()];
        let mun = ["北京市", "天津市", "上海市", "重庆市"].contains(&c[4]);
        if mun {
            out.push(case(
                "former_county",
                format!("{}{}{tail}", c[4], c[6]),
                &[("state", c[4]), ("city_district", c[6])],
            ));
        } else {
            out.push(case(
                "former_county",
                format!("{}{}{tail}", c[4], c[6]),
                &[("city", c[4]), ("city_district", c[6])],
            ));
        }
    }
    Ok(out)
}

/// Perturbed real addresses from `cpca_addr_unlabelled.csv` (see the module doc): seeds are the
/// addresses whose parse opens with a province, a prefecture and a county, each written in its
/// official full name.
///
/// Errors: the file is unreadable.
pub fn perturbed_cases(csv: &Path, parser: &AddressParser) -> Result<Vec<DevCase>, AddressError> {
    let text = read(csv)?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let addr = line
            .rsplit_once(',')
            .map(|x| x.0)
            .unwrap_or(line)
            .trim_matches('"');
        let p = parser.parse(addr);
        let comps = &p.components;
        if comps.len() < 4
            || comps[0].0 != "state"
            || comps[1].0 != "city"
            || comps[2].0 != "city_district"
            || p.admin.len() < 3
        {
            continue;
        }
        let (pf, cf, df) = (&comps[0].1, &comps[1].1, &comps[2].1);
        if *pf != p.admin[0].name || *cf != p.admin[1].name || *df != p.admin[2].name {
            continue;
        }
        let head = format!("{pf}{cf}{df}");
        let Some(rest) = addr.strip_prefix(head.as_str()) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        out.push(case(
            "real_no_province",
            format!("{cf}{df}{rest}"),
            &[("city", cf), ("city_district", df)],
        ));
        out.push(case(
            "real_county_only",
            format!("{df}{rest}"),
            &[("city_district", df)],
        ));
        out.push(case(
            "real_prefixed",
            format!("中国{pf}{cf}{df}{rest}"),
            &[("state", pf), ("city", cf), ("city_district", df)],
        ));
        let strip = |s: &str| -> Option<String> {
            ["省", "市", "区", "县"]
                .iter()
                .find_map(|x| s.strip_suffix(x))
                .filter(|st| {
                    st.chars().count() >= 2 && !st.ends_with("自治") && !st.starts_with('市')
                })
                .map(|st| st.to_string())
        };
        if let (Some(ps), Some(cs), Some(ds)) = (strip(pf), strip(cf), strip(df)) {
            out.push(case(
                "real_all_short",
                format!("{ps}{cs}{ds}{rest}"),
                &[("state", &ps), ("city", &cs), ("city_district", &ds)],
            ));
        }
    }
    Ok(out)
}

/// Hand-written cases, one per pattern found by error analysis of real unlabelled addresses
/// (`cpca_addr_unlabelled.csv`), written for this suite (no test file was read): sub-districts of
/// prefecture-level cities without counties (东莞, 中山, 儋州), zone and area names that look
/// like districts (政务区, 经开区, 吉大区), colloquial or misspelt district names (昆区, 雨花区
/// for 雨花台区), towns named after their county (信丰县工业园), an abolished prefecture
/// (莱芜市), a label before a colon, Traditional characters; plus guards that must keep
/// parsing as before (大连中山区, 吉林吉林, 中山路).
pub fn pattern_cases() -> Vec<DevCase> {
    const CASES: &[(&str, &[(&str, &str)])] = &[
        (
            "广东省东莞市万江区新和路8号",
            &[("state", "广东省"), ("city", "东莞市")],
        ),
        ("东莞市南城区宏图路100号", &[("city", "东莞市")]),
        ("东莞樟木头镇裕丰路3号", &[("city", "东莞")]),
        (
            "广东东莞东城街道东城路5号",
            &[("state", "广东"), ("city", "东莞")],
        ),
        (
            "广东省东莞市东莞市樟木头镇百果洞",
            &[("state", "广东省"), ("city", "东莞市")],
        ),
        ("中山市石岐区安栏路2号", &[("city", "中山市")]),
        (
            "广东中山石岐区孙文中路3号",
            &[("state", "广东"), ("city", "中山")],
        ),
        ("儋州那大镇人民路2号", &[("city", "儋州")]),
        ("合肥市政务区东流路999号", &[("city", "合肥市")]),
        (
            "安徽省合肥市政务区潜山路8号",
            &[("state", "安徽省"), ("city", "合肥市")],
        ),
        ("西安市经开区凤城八路18号", &[("city", "西安市")]),
        ("昆明市度假区红塔东路12号", &[("city", "昆明市")]),
        ("珠海市吉大区九州大道100号", &[("city", "珠海市")]),
        ("北京亦庄东区经海五路1号", &[("state", "北京")]),
        ("上海市自贸区富特北路456号", &[("state", "上海市")]),
        ("宜宾市南岸西区金沙江大道8号", &[("city", "宜宾市")]),
        (
            "南京市雨花区小行路16号",
            &[("city", "南京市"), ("city_district", "雨花区")],
        ),
        (
            "包头市昆区钢铁大街5号",
            &[("city", "包头市"), ("city_district", "昆区")],
        ),
        (
            "上海市黄埔区南京东路300号",
            &[("state", "上海市"), ("city_district", "黄埔区")],
        ),
        (
            "江西省信丰县工业园诚信大道30号",
            &[("state", "江西省"), ("city_district", "信丰县")],
        ),
        (
            "河北省献县经济开发区新华路1号",
            &[("state", "河北省"), ("city_district", "献县")],
        ),
        (
            "山东省莱芜市高新区凤凰路9号",
            &[("state", "山东省"), ("city", "莱芜市")],
        ),
        (
            "北京公司地址：西城区德胜门外大街83号",
            &[("state", "北京"), ("city_district", "西城区")],
        ),
        (
            "上海总部：静安区沪太路1895弄51号",
            &[("state", "上海"), ("city_district", "静安区")],
        ),
        (
            "深圳市寶安區沙井鎮新沙路1號",
            &[("city", "深圳市"), ("city_district", "寶安區")],
        ),
        (
            "大连中山区人民路9号",
            &[("city", "大连"), ("city_district", "中山区")],
        ),
        (
            "吉林吉林昌邑区解放北路2号",
            &[
                ("state", "吉林"),
                ("city", "吉林"),
                ("city_district", "昌邑区"),
            ],
        ),
        ("中山路100号华联大厦", &[]),
        ("东方广场E1座1211室", &[]),
        (
            "深圳市深圳龙华新区大浪街道华荣路5号",
            &[("city", "深圳市"), ("city_district", "龙华新区")],
        ),
        (
            "广东东莞东莞市南城区鸿福路200号",
            &[("state", "广东"), ("city", "东莞")],
        ),
        (
            "广东省深圳广东省深圳市宝安区松岗街道罗田路1号",
            &[
                ("state", "广东省"),
                ("city", "深圳"),
                ("city_district", "宝安区"),
            ],
        ),
        (
            "北京市北京朝阳区建国路88号",
            &[("state", "北京市"), ("city_district", "朝阳区")],
        ),
        ("广州市广州大道中289号", &[("city", "广州市")]),
        (
            "浙江杭州杭州市西湖区文三路8号",
            &[
                ("state", "浙江"),
                ("city", "杭州"),
                ("city_district", "西湖区"),
            ],
        ),
        ("白沙洲特1号", &[]),
        ("凤城12路出口加工区2期", &[]),
        ("西湖科技大厦5楼", &[]),
        ("滨江江陵路1760号", &[("city_district", "滨江")]),
        (
            "杭州滨江江虹路459号",
            &[("city", "杭州"), ("city_district", "滨江")],
        ),
        ("紫金山体育公园东门", &[]),
        (
            "宁夏自治区石嘴山市平罗县沙湖大道99号",
            &[
                ("state", "宁夏自治区"),
                ("city", "石嘴山市"),
                ("city_district", "平罗县"),
            ],
        ),
        ("昆山前进东路208号", &[("city_district", "昆山")]),
        ("萧山金城路386号", &[("city_district", "萧山")]),
        ("宝安沙井新沙路529号", &[("city_district", "宝安")]),
        (
            "浙江湖州吴兴区凤凰路1号",
            &[
                ("state", "浙江"),
                ("city", "湖州"),
                ("city_district", "吴兴区"),
            ],
        ),
        (
            "四川江油太白路3号",
            &[("state", "四川"), ("city_district", "江油")],
        ),
    ];
    CASES
        .iter()
        .map(|(input, exp)| case("patterns", input.to_string(), exp))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_codes() {
        assert!(is_zone_code("320571", "苏州工业园区"));
        assert!(!is_zone_code("330782", "义乌市"));
        assert!(!is_zone_code("310115", "浦东新区"));
    }

    #[test]
    fn synthetic_suite_renders_every_form() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/gazetteer");
        if !dir.exists() {
            eprintln!("skipping: {} absent", dir.display());
            return;
        }
        let cases = synthetic_cases(&dir).unwrap();
        for kind in [
            "full",
            "no_province",
            "county_only",
            "all_short",
            "former_county",
        ] {
            assert!(cases.iter().any(|c| c.kind == kind), "{kind}");
        }
        let c = cases
            .iter()
            .find(|c| c.kind == "full" && c.case.input.starts_with("浙江省杭州市西湖区"))
            .unwrap();
        assert!(c
            .case
            .expected
            .contains(&("city_district".to_string(), "西湖区".to_string())));
    }
}
