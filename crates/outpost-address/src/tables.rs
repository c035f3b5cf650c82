//! Dictionaries the parser uses, loaded from the shared data directory: libpostal's alias
//! dictionaries, country names, first-level regions ([`crate::regions`]) and GeoNames city names.

use crate::fold::{fold, hash64};
use crate::regions::REGIONS;
use crate::AddressError;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The data directory: `$OUTPOST_DATA`, else `../shared/data` relative to the workspace root.
pub fn data_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("OUTPOST_DATA") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

pub(crate) fn read(path: &Path) -> Result<String, AddressError> {
    std::fs::read_to_string(path).map_err(|e| AddressError::Io {
        path: path.display().to_string(),
        source: e,
    })
}

/// Phrase tables for Latin-script parsing. All keys are [`fold`]ed.
#[derive(Debug, Default)]
pub struct Tables {
    /// Street types (`street`, `st`, `calle`, `av`, `straße`, `carrera`, `cra`, ...).
    pub street_types: HashSet<String>,
    /// Unit types that take a number (`apt`, `suite`, `ste`, `unit`, `flat`, `dpto`, `local`, ...).
    pub unit_types: HashSet<String>,
    /// Level types (`floor`, `fl`, `piso`, `planta`, ...).
    pub level_types: HashSet<String>,
    /// Post-office-box phrases (`po box`, `apartado`, `casilla`, ...).
    pub po_box: HashSet<String>,
    /// Directionals (`n`, `north`, `ne`, `sur`, ...).
    pub directionals: HashSet<String>,
    /// "No number" phrases (`s/n`, `sin numero`, `nn`).
    pub no_number: HashSet<String>,
    /// Country names and codes (folded) -> ISO alpha-2.
    pub countries: HashMap<String, String>,
    /// ISO alpha-2 codes (lower case).
    pub country_codes: HashSet<String>,
    /// Region names and abbreviations -> ISO alpha-2 of their country.
    pub regions: HashMap<String, Vec<String>>,
    /// Hashes of folded city names (GeoNames cities >= 15,000 people, with alternate names).
    pub cities: Vec<u64>,
    /// Longest region / country name in words.
    pub max_words: usize,
}

const LANGS: &[&str] = &["en", "es", "de", "fr", "it", "nl", "pt", "cs", "hu", "sr"];

impl Tables {
    /// Loads every table from `dir` (the shared data directory).
    ///
    /// Errors: a missing or unreadable file (named in the error).
    pub fn load(dir: &Path) -> Result<Self, AddressError> {
        let mut t = Tables::default();
        let dict = dir.join("address/libpostal_dictionaries");
        for lang in LANGS {
            let d = dict.join(lang);
            load_dict(&d.join("street_types.txt"), &mut t.street_types)?;
            load_dict(&d.join("unit_types_numbered.txt"), &mut t.unit_types)?;
            load_dict(&d.join("level_types_numbered.txt"), &mut t.level_types)?;
            load_dict(&d.join("post_office.txt"), &mut t.po_box)?;
            load_dict(&d.join("directionals.txt"), &mut t.directionals)?;
            load_dict(&d.join("no_number.txt"), &mut t.no_number)?;
        }
        for st in [
            "jr",
            "jiron",
            "jirón",
            "psje",
            "pasaje",
            "cra",
            "cr",
            "kr",
            "carrera",
            "cll",
            "cl",
            "calle",
            "av",
            "avda",
            "avenida",
            "diagonal",
            "dg",
            "transversal",
            "tv",
            "prolongacion",
            "prolongación",
            "calzada",
            "circuito",
            "privada",
            "cerrada",
            "andador",
        ] {
            t.street_types.insert(fold(st));
        }
        for extra in [
            "#", "no", "nº", "n°", "trlr", "lot", "lote", "mz", "manzana", "local", "dept",
        ] {
            t.unit_types.insert(fold(extra));
        }
        // Short ambiguous aliases that hurt more than they help as unit/level/street markers.
        for noisy in ["p", "pi", "in", "int", "at", "c", "l", "s", "e", "w", "n"] {
            t.unit_types.remove(noisy);
            t.level_types.remove(noisy);
        }
        t.unit_types.remove("no");
        t.street_types.retain(|k| k.chars().count() > 1);
        for noisy in ["la", "el", "de", "st", "du", "di"] {
            t.street_types.remove(noisy);
        }
        t.street_types.insert("st".into());
        for nn in ["nn", "n/a", "s/n", "sn", "sin numero", "s. n."] {
            t.no_number.insert(fold(nn));
        }
        for pb in [
            "po box",
            "p.o. box",
            "p o box",
            "pobox",
            "casilla",
            "casilla de correo",
            "po drawer",
        ] {
            t.po_box.insert(fold(pb));
        }
        t.load_countries(dir)?;
        for line in REGIONS.lines() {
            let mut parts = line.split('|');
            let (Some(cc), Some(ab), Some(name)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let mut add = |k: String| {
                t.max_words = t.max_words.max(k.split(' ').count());
                t.regions.entry(k).or_default().push(cc.to_string());
            };
            add(fold(name));
            for a in ab.split(',').filter(|a| !a.is_empty()) {
                add(fold(a));
                let bare = fold(a).trim_end_matches('.').to_string();
                if bare != fold(a) {
                    add(bare);
                }
            }
        }
        t.load_cities(&dir.join("gazetteer/cities15000_geonames.tsv"))?;
        t.load_china_pinyin(&dir.join("gazetteer/china_admin_divisions.tsv"))?;
        Ok(t)
    }

    fn load_countries(&mut self, dir: &Path) -> Result<(), AddressError> {
        let g = dir.join("gazetteer");
        for (file, skip_cols) in [
            ("countries_names_cldr_umpirsky.tsv", 1usize),
            ("countries_names_stefangabos.tsv", 3usize),
        ] {
            let path = g.join(file);
            let text = read(&path)?;
            for line in text.lines().skip(1) {
                let cols: Vec<&str> = line.split('\t').collect();
                let Some(cc) = cols.first() else { continue };
                let cc = cc.to_ascii_uppercase();
                if cc.len() != 2 {
                    continue;
                }
                self.country_codes.insert(cc.to_ascii_lowercase());
                self.countries.insert(cc.to_ascii_lowercase(), cc.clone());
                for name in cols.iter().skip(skip_cols) {
                    let f = fold(name);
                    if !f.is_empty() {
                        self.max_words = self.max_words.max(f.split(' ').count());
                        self.countries.insert(f, cc.clone());
                    }
                }
            }
        }
        for (alias, cc) in [
            ("deu", "DE"),
            ("esp", "ES"),
            ("mex", "MX"),
            ("arg", "AR"),
            ("chn", "CN"),
            ("usa", "US"),
            ("u.s.a.", "US"),
            ("u.s.", "US"),
            ("united states of america", "US"),
            ("uk", "GB"),
            ("u.k.", "GB"),
            ("great britain", "GB"),
            ("england", "GB"),
            ("scotland", "GB"),
            ("wales", "GB"),
            ("northern ireland", "GB"),
            ("中国", "CN"),
            ("中华人民共和国", "CN"),
            ("台灣", "TW"),
            ("臺灣", "TW"),
        ] {
            self.countries.insert(fold(alias), cc.to_string());
        }
        Ok(())
    }

    fn load_cities(&mut self, path: &Path) -> Result<(), AddressError> {
        let text = read(path)?;
        let mut hs: Vec<u64> = Vec::new();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 10 {
                continue;
            }
            hs.push(hash64(&fold(cols[1])));
            for alt in cols[9].split('|').filter(|a| a.chars().count() >= 3) {
                hs.push(hash64(&fold(alt)));
            }
        }
        hs.sort_unstable();
        hs.dedup();
        self.cities = hs;
        Ok(())
    }

    /// Province names in pinyin (`guangxi`, `chongqing`) as regions of CN; prefecture names in
    /// pinyin as cities.
    fn load_china_pinyin(&mut self, path: &Path) -> Result<(), AddressError> {
        let text = read(path)?;
        let mut extra = Vec::new();
        for line in text.lines().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 8 || c[7].is_empty() {
                continue;
            }
            let py = fold(c[7]);
            match c[0] {
                "province" => {
                    self.regions.entry(py).or_default().push("CN".into());
                }
                "prefecture" => extra.push(hash64(&py)),
                _ => {}
            }
        }
        self.cities.extend(extra);
        self.cities.sort_unstable();
        self.cities.dedup();
        Ok(())
    }

    /// True when `folded` is a known city name.
    pub fn is_city(&self, folded: &str) -> bool {
        self.cities.binary_search(&hash64(folded)).is_ok()
    }

    /// Approximate heap bytes held by the tables.
    pub fn heap_bytes(&self) -> usize {
        let set = |s: &HashSet<String>| s.iter().map(|k| k.len() + 32).sum::<usize>();
        set(&self.street_types)
            + set(&self.unit_types)
            + set(&self.level_types)
            + set(&self.po_box)
            + set(&self.directionals)
            + set(&self.no_number)
            + set(&self.country_codes)
            + self
                .countries
                .iter()
                .map(|(k, v)| k.len() + v.len() + 56)
                .sum::<usize>()
            + self
                .regions
                .iter()
                .map(|(k, v)| k.len() + v.len() * 26 + 56)
                .sum::<usize>()
            + self.cities.len() * 8
    }
}

/// Adds every alias of a libpostal dictionary (one canonical phrase per line, `|`-separated
/// variants) to `set`, folded.
fn load_dict(path: &Path, set: &mut HashSet<String>) -> Result<(), AddressError> {
    if !path.exists() {
        return Ok(());
    }
    let text = read(path)?;
    for line in text.lines() {
        for alias in line.split('|') {
            let f = fold(alias);
            if !f.is_empty() {
                set.insert(f.replace(" / ", "/"));
            }
        }
    }
    Ok(())
}
