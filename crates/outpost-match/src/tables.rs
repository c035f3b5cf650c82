//! The compiled tables in `models/match/`: their row types and their (gzip TSV) file format.
//!
//! Every table is a gzip-compressed, tab-separated file with a header line; list cells are
//! `|`-separated. They are written by [`crate::compile`] and read by [`crate::Matchers::load`].

use crate::MatchError;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

/// File name of the country table.
pub const COUNTRIES: &str = "countries.tsv.gz";
/// File name of the city table.
pub const CITIES: &str = "cities.tsv.gz";
/// File name of the bureau (Chinese administrative division) table.
pub const BUREAUS: &str = "bureaus.tsv.gz";
/// File name of the Traditional→Simplified character map.
pub const T2S: &str = "t2s.tsv.gz";

/// File name of the serialised place automaton.
pub const PLACES_AUTOMATON: &str = "places.daac.gz";
/// File name of the serialised Chinese bureau automaton.
pub const BUREAU_ZH_AUTOMATON: &str = "bureau_zh.daac.gz";
/// File name of the serialised Latin-script bureau automaton.
pub const BUREAU_LATIN_AUTOMATON: &str = "bureau_latin.daac.gz";

/// Writes bytes gzip-compressed, completely or not at all.
pub fn write_gz_bytes(path: &Path, bytes: &[u8]) -> Result<(), MatchError> {
    let tmp = path.with_extension("tmp");
    let file = std::fs::File::create(&tmp).map_err(|e| MatchError::io(&tmp, e))?;
    let mut enc = GzEncoder::new(std::io::BufWriter::new(file), Compression::best());
    enc.write_all(bytes).map_err(|e| MatchError::io(&tmp, e))?;
    let mut w = enc.finish().map_err(|e| MatchError::io(&tmp, e))?;
    w.flush().map_err(|e| MatchError::io(&tmp, e))?;
    drop(w);
    std::fs::rename(&tmp, path).map_err(|e| MatchError::io(path, e))
}

/// Reads a gzip-compressed file into bytes.
pub fn read_gz_bytes(path: &Path) -> Result<Vec<u8>, MatchError> {
    let bytes = std::fs::read(path).map_err(|e| MatchError::io(path, e))?;
    let mut out = Vec::new();
    GzDecoder::new(&bytes[..])
        .read_to_end(&mut out)
        .map_err(|e| MatchError::io(path, e))?;
    Ok(out)
}

/// One country: ISO code, English name, names in zh/es/en, demonyms.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryRow {
    /// ISO 3166-1 alpha-2 code.
    pub alpha2: String,
    /// English short name.
    pub name_en: String,
    /// Names in any of the supported scripts and languages (as written, not folded).
    pub names: Vec<String>,
    /// Demonyms and adjectives (Irish, irlandés, 爱尔兰籍 …), which score lower than names.
    pub demonyms: Vec<String>,
}

/// One city (a GeoNames populated place).
#[derive(Debug, Clone, PartialEq)]
pub struct CityRow {
    /// GeoNames id.
    pub id: u32,
    /// Normalised English name.
    pub name_en: String,
    /// ISO 3166-1 alpha-2 code of its country.
    pub country: String,
    /// Latitude (WGS-84 degrees).
    pub lat: f32,
    /// Longitude (WGS-84 degrees).
    pub lon: f32,
    /// Population.
    pub population: u32,
    /// Names that identify the city well (official name, its ASCII form, Han names, merged parts).
    pub names: Vec<String>,
    /// Alternate (exonym) names, weaker evidence.
    pub alternates: Vec<String>,
    /// Those of its Latin names that are also common lower-case words (Most, March, Police): they
    /// need a country named in the same sentence to count.
    pub common: Vec<String>,
}

/// One Chinese administrative division whose public security organ can be named.
#[derive(Debug, Clone, PartialEq)]
pub struct BureauRow {
    /// Stable key, e.g. `fuzhou`, `qingtian`, `fuzhou-361000`.
    pub key: String,
    /// 6-digit administrative code.
    pub adcode: String,
    /// `province`, `prefecture` or `county`.
    pub level: String,
    /// Full Chinese name (福州市).
    pub name: String,
    /// Short Chinese name (福州).
    pub short: String,
    /// Canonical English short name (Fuzhou).
    pub name_en: String,
    /// Adcode of the parent division ("" for provinces).
    pub parent: String,
    /// Other Latin-script names (postal or Wade-Giles forms).
    pub aliases: Vec<String>,
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r', '|'], " ")
}

fn join_list(v: &[String]) -> String {
    v.iter().map(|s| clean(s)).collect::<Vec<_>>().join("|")
}

/// Writes a gzip TSV file completely or not at all (temporary file, then rename).
pub fn write_gz(path: &Path, header: &str, lines: &[String]) -> Result<(), MatchError> {
    let tmp = path.with_extension("tmp");
    let file = std::fs::File::create(&tmp).map_err(|e| MatchError::io(&tmp, e))?;
    let mut enc = GzEncoder::new(std::io::BufWriter::new(file), Compression::best());
    let mut body = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 64);
    body.push_str(header);
    body.push('\n');
    for l in lines {
        body.push_str(l);
        body.push('\n');
    }
    enc.write_all(body.as_bytes())
        .map_err(|e| MatchError::io(&tmp, e))?;
    let mut w = enc.finish().map_err(|e| MatchError::io(&tmp, e))?;
    w.flush().map_err(|e| MatchError::io(&tmp, e))?;
    drop(w);
    std::fs::rename(&tmp, path).map_err(|e| MatchError::io(path, e))
}

/// Reads a gzip TSV file and returns its data lines (header skipped) split into cells, each with
/// its 1-based line number. Fails with the file name on I/O or UTF-8 errors.
pub fn read_gz(path: &Path) -> Result<Vec<(usize, Vec<String>)>, MatchError> {
    let s = read_gz_text(path)?;
    Ok(s.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').map(str::to_string).collect()))
        .collect())
}

/// Reads a gzip text file whole. Fails with the file name on I/O or UTF-8 errors.
pub fn read_gz_text(path: &Path) -> Result<String, MatchError> {
    let bytes = std::fs::read(path).map_err(|e| MatchError::io(path, e))?;
    let mut s = String::with_capacity(bytes.len() * 4);
    GzDecoder::new(&bytes[..])
        .read_to_string(&mut s)
        .map_err(|e| MatchError::io(path, e))?;
    Ok(s)
}

/// Parses every data line of a gzip TSV file (header skipped) with `parse(path, line, cells)`.
pub fn read_rows<T>(
    path: &Path,
    parse: impl Fn(&Path, usize, &[&str]) -> Result<T, MatchError>,
) -> Result<Vec<T>, MatchError> {
    let s = read_gz_text(path)?;
    let mut cells: Vec<&str> = Vec::with_capacity(16);
    let mut out = Vec::new();
    for (i, l) in s.lines().enumerate().skip(1) {
        if l.is_empty() {
            continue;
        }
        cells.clear();
        cells.extend(l.split('\t'));
        out.push(parse(path, i + 1, &cells)?);
    }
    Ok(out)
}

fn need<S: AsRef<str>>(path: &Path, line: usize, cells: &[S], n: usize) -> Result<(), MatchError> {
    if cells.len() < n {
        return Err(MatchError::bad(
            path,
            line,
            format!("expected {n} columns, found {}", cells.len()),
        ));
    }
    Ok(())
}

fn num<T: std::str::FromStr>(
    path: &Path,
    line: usize,
    s: &str,
    what: &str,
) -> Result<T, MatchError> {
    s.parse()
        .map_err(|_| MatchError::bad(path, line, format!("bad {what}: {s:?}")))
}

/// Header of the country table.
pub const COUNTRY_HEADER: &str = "alpha2\tname_en\tnames\tdemonyms";
/// Header of the city table.
pub const CITY_HEADER: &str =
    "geonameid\tname_en\tcountry\tlat\tlon\tpopulation\tnames\talternates\tcommon";
/// Header of the bureau table.
pub const BUREAU_HEADER: &str = "key\tadcode\tlevel\tname\tshort\tname_en\tparent\taliases";

impl CountryRow {
    /// The row as a TSV line.
    pub fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}",
            self.alpha2,
            clean(&self.name_en),
            join_list(&self.names),
            join_list(&self.demonyms)
        )
    }

    /// Parses a row; errors name the file and line.
    pub fn parse(path: &Path, line: usize, c: &[&str]) -> Result<Self, MatchError> {
        need(path, line, c, 4)?;
        Ok(Self {
            alpha2: c[0].to_string(),
            name_en: c[1].to_string(),
            names: split_list(c[2]),
            demonyms: split_list(c[3]),
        })
    }
}

impl CityRow {
    /// The row as a TSV line.
    pub fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{:.5}\t{:.5}\t{}\t{}\t{}\t{}",
            self.id,
            clean(&self.name_en),
            self.country,
            self.lat,
            self.lon,
            self.population,
            join_list(&self.names),
            join_list(&self.alternates),
            join_list(&self.common)
        )
    }

    /// Parses a row; errors name the file and line.
    pub fn parse(path: &Path, line: usize, c: &[&str]) -> Result<Self, MatchError> {
        need(path, line, c, 8)?;
        Ok(Self {
            common: c.get(8).map(|s| split_list(s)).unwrap_or_default(),
            id: num(path, line, c[0], "geonameid")?,
            name_en: c[1].to_string(),
            country: c[2].to_string(),
            lat: num(path, line, c[3], "latitude")?,
            lon: num(path, line, c[4], "longitude")?,
            population: num(path, line, c[5], "population")?,
            names: split_list(c[6]),
            alternates: split_list(c[7]),
        })
    }
}

impl BureauRow {
    /// The row as a TSV line.
    pub fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.key,
            self.adcode,
            self.level,
            self.name,
            self.short,
            clean(&self.name_en),
            self.parent,
            join_list(&self.aliases)
        )
    }

    /// Parses a row; errors name the file and line.
    pub fn parse(path: &Path, line: usize, c: &[&str]) -> Result<Self, MatchError> {
        need(path, line, c, 8)?;
        Ok(Self {
            key: c[0].to_string(),
            adcode: c[1].to_string(),
            level: c[2].to_string(),
            name: c[3].to_string(),
            short: c[4].to_string(),
            name_en: c[5].to_string(),
            parent: c[6].to_string(),
            aliases: split_list(c[7]),
        })
    }
}

/// Reads the Traditional→Simplified map (`trad\tsimp` per line).
pub fn read_t2s(path: &Path) -> Result<HashMap<char, char>, MatchError> {
    let mut map = HashMap::new();
    for (line, c) in read_gz(path)? {
        need(path, line, &c, 2)?;
        let mut a = c[0].chars();
        let mut b = c[1].chars();
        match (a.next(), a.next(), b.next(), b.next()) {
            (Some(t), None, Some(s), None) => {
                map.insert(t, s);
            }
            _ => {
                return Err(MatchError::bad(
                    path,
                    line,
                    "expected one character in each column",
                ))
            }
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_through_gz() {
        let dir = tempdir();
        let p = dir.join("c.tsv.gz");
        let row = CityRow {
            id: 42,
            name_en: "Viña del Mar".into(),
            country: "CL".into(),
            lat: -33.02457,
            lon: -71.55183,
            population: 334248,
            names: vec!["Viña del Mar".into(), "比尼亚德尔马".into()],
            alternates: vec!["Vina del Mar".into()],
            common: vec![],
        };
        write_gz(&p, CITY_HEADER, &[row.to_line()]).unwrap();
        let rows = read_gz(&p).unwrap();
        assert_eq!(rows.len(), 1);
        let cells: Vec<&str> = rows[0].1.iter().map(String::as_str).collect();
        let back = CityRow::parse(&p, rows[0].0, &cells).unwrap();
        let via_rows = read_rows(&p, CityRow::parse).unwrap();
        assert_eq!(via_rows, vec![row.clone()]);
        assert_eq!(back, row);
        let short = vec!["1", "x"];
        let err = CityRow::parse(&p, 7, &short).unwrap_err().to_string();
        assert!(err.contains("c.tsv.gz:7"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }

    fn tempdir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("outpost-match-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
