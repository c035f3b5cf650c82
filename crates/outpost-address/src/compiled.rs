//! The compiled form of the parser's tables, shipped in `models/address/` so that the parser
//! needs no data checkout at run time.
//!
//! `outpost address compile --data ../shared/data -o models/address` builds the tables from the
//! shared data (see [`crate::AddressParser::from_data`]) and writes three files:
//!
//! * [`TABLES_FILE`] (gzip TSV): the Latin-script phrase tables, one `kind<TAB>key[<TAB>value]`
//!   line each (`street`, `unit`, `level`, `po_box`, `dir`, `no_number`, `cc`, `country`,
//!   `region`), sorted, after a `max_words` line.
//! * [`CITIES_FILE`]: an 8-byte magic followed by the sorted 64-bit hashes of folded city names
//!   (little endian).
//! * [`CHINA_FILE`] (gzip TSV): the Chinese divisions (`D<TAB>level<TAB>code<TAB>name<TAB>parent
//!   <TAB>province`, parent/province as row indices) and the name index (`N<TAB>name<TAB>idx[s],..`
//!   with `s` marking a short name; `C<TAB>name<TAB>idx,..` for the names that need a
//!   parent matched first), in the order the from-data loader built them, so that a
//!   parser loaded from the compiled files answers exactly as one built from the data.
//!
//! The output is deterministic (sorted keys, gzip without timestamps): the same data gives the
//! same bytes.

use crate::china::{ChinaGazetteer, Division};
use crate::tables::Tables;
use crate::AddressError;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The Latin-script tables file.
pub const TABLES_FILE: &str = "tables.tsv.gz";
/// The city-name hash file.
pub const CITIES_FILE: &str = "cities.bin";
/// The Chinese gazetteer file.
pub const CHINA_FILE: &str = "china.tsv.gz";

const TABLES_HEADER: &str = "# outpost-address tables v1";
const CHINA_HEADER: &str = "# outpost-address china v1";
const CITIES_MAGIC: &[u8; 8] = b"OPADCIT1";

/// The default location of the compiled tables: `$OUTPOST_MODELS/address` when `OUTPOST_MODELS`
/// is set, else the first `models/address` holding [`TABLES_FILE`] found from the current
/// directory upwards, then from the running executable's folder upwards, else the `models/address`
/// of the workspace this crate was built in.
pub fn default_models_dir() -> PathBuf {
    outpost_core::paths::find_models_subdir("address", TABLES_FILE)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/address"))
}

/// Sizes of a compiled directory, as written by [`write`].
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CompileSummary {
    /// Lines of the Latin-script tables file.
    pub table_entries: usize,
    /// City-name hashes.
    pub city_hashes: usize,
    /// Chinese divisions (province, prefecture, county, town).
    pub divisions: usize,
    /// Distinct Chinese division names (full, short, former, Traditional).
    pub division_names: usize,
    /// Bytes on disk of the three files together.
    pub bytes: u64,
}

fn io_err(path: &Path, e: std::io::Error) -> AddressError {
    AddressError::Io {
        path: path.display().to_string(),
        source: e,
    }
}

fn fmt_err(path: &Path, line: usize, message: impl Into<String>) -> AddressError {
    AddressError::Format {
        path: path.display().to_string(),
        line,
        message: message.into(),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that the file is
/// written completely or not at all.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), AddressError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| io_err(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_err(path, e))
}

fn gzip(text: &str, path: &Path) -> Result<Vec<u8>, AddressError> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(text.as_bytes())
        .map_err(|e| io_err(path, e))?;
    enc.finish().map_err(|e| io_err(path, e))
}

fn gunzip(path: &Path) -> Result<String, AddressError> {
    let bytes = std::fs::read(path).map_err(|e| io_err(path, e))?;
    let mut text = String::new();
    GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .map_err(|e| io_err(path, e))?;
    Ok(text)
}

/// A key or value that would break the line format.
fn check_field(path: &Path, s: &str) -> Result<(), AddressError> {
    if s.contains(['\t', '\n', '\r']) {
        return Err(fmt_err(
            path,
            0,
            format!("table entry {s:?} contains a tab or line break"),
        ));
    }
    Ok(())
}

/// Writes the compiled tables of `tables` and `china` into `dir` (created if needed).
///
/// Errors: the folder or a file cannot be written, or an entry holds a tab or line break.
pub fn write(
    tables: &Tables,
    china: &ChinaGazetteer,
    dir: &Path,
) -> Result<CompileSummary, AddressError> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let mut summary = CompileSummary::default();

    // Latin-script tables
    let tpath = dir.join(TABLES_FILE);
    let mut lines: Vec<String> = Vec::new();
    let sets: [(&str, &HashSet<String>); 7] = [
        ("street", &tables.street_types),
        ("unit", &tables.unit_types),
        ("level", &tables.level_types),
        ("po_box", &tables.po_box),
        ("dir", &tables.directionals),
        ("no_number", &tables.no_number),
        ("cc", &tables.country_codes),
    ];
    for (kind, set) in sets {
        let mut v: Vec<&String> = set.iter().collect();
        v.sort();
        for k in v {
            check_field(&tpath, k)?;
            lines.push(format!("{kind}\t{k}"));
        }
    }
    let countries: BTreeMap<&String, &String> = tables.countries.iter().collect();
    for (k, cc) in countries {
        check_field(&tpath, k)?;
        lines.push(format!("country\t{k}\t{cc}"));
    }
    let regions: BTreeMap<&String, &Vec<String>> = tables.regions.iter().collect();
    for (k, ccs) in regions {
        check_field(&tpath, k)?;
        lines.push(format!("region\t{k}\t{}", ccs.join(",")));
    }
    summary.table_entries = lines.len();
    let text = format!(
        "{TABLES_HEADER}\nmax_words\t{}\n{}\n",
        tables.max_words,
        lines.join("\n")
    );
    write_atomic(&tpath, &gzip(&text, &tpath)?)?;

    // city hashes
    let cpath = dir.join(CITIES_FILE);
    let mut bytes = Vec::with_capacity(8 + tables.cities.len() * 8);
    bytes.extend_from_slice(CITIES_MAGIC);
    for h in &tables.cities {
        bytes.extend_from_slice(&h.to_le_bytes());
    }
    summary.city_hashes = tables.cities.len();
    write_atomic(&cpath, &bytes)?;

    // Chinese gazetteer
    let zpath = dir.join(CHINA_FILE);
    let mut text = String::new();
    text.push_str(CHINA_HEADER);
    text.push('\n');
    let idx = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_default();
    for d in &china.divisions {
        check_field(&zpath, &d.code)?;
        check_field(&zpath, &d.name)?;
        text.push_str(&format!(
            "D\t{}\t{}\t{}\t{}\t{}\n",
            d.level,
            d.code,
            d.name,
            idx(d.parent),
            idx(d.province)
        ));
    }
    let names: BTreeMap<&String, &Vec<(u32, bool)>> = china.names.iter().collect();
    for (name, entries) in names {
        check_field(&zpath, name)?;
        let list: Vec<String> = entries
            .iter()
            .map(|(i, short)| format!("{i}{}", if *short { "s" } else { "" }))
            .collect();
        text.push_str(&format!("N\t{name}\t{}\n", list.join(",")));
    }
    summary.divisions = china.divisions.len();
    let context: BTreeMap<&String, &Vec<u32>> = china.context_only.iter().collect();
    for (name, idxs) in context {
        check_field(&zpath, name)?;
        let list: Vec<String> = idxs.iter().map(|i| i.to_string()).collect();
        text.push_str(&format!("C\t{name}\t{}\n", list.join(",")));
    }
    summary.division_names = china.names.len();
    write_atomic(&zpath, &gzip(&text, &zpath)?)?;

    for f in [TABLES_FILE, CITIES_FILE, CHINA_FILE] {
        let p = dir.join(f);
        summary.bytes += std::fs::metadata(&p).map_err(|e| io_err(&p, e))?.len();
    }
    Ok(summary)
}

/// Reads the Latin-script tables and city hashes of a compiled directory.
///
/// Errors: a missing or unreadable file, a wrong header or magic, or a malformed line (named by
/// file and line).
pub fn read_tables(dir: &Path) -> Result<Tables, AddressError> {
    let path = dir.join(TABLES_FILE);
    let text = gunzip(&path)?;
    let mut t = Tables::default();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h == TABLES_HEADER => {}
        _ => return Err(fmt_err(&path, 1, format!("expected `{TABLES_HEADER}`"))),
    }
    for (ln, line) in lines {
        let ln = ln + 1;
        if line.is_empty() {
            continue;
        }
        let mut f = line.split('\t');
        let (Some(kind), Some(key)) = (f.next(), f.next()) else {
            return Err(fmt_err(&path, ln, "expected `kind<TAB>key`"));
        };
        let value = f.next();
        let key = key.to_string();
        match (kind, value) {
            ("max_words", None) => {
                t.max_words = key
                    .parse()
                    .map_err(|_| fmt_err(&path, ln, format!("bad max_words {key:?}")))?;
            }
            ("street", None) => drop(t.street_types.insert(key)),
            ("unit", None) => drop(t.unit_types.insert(key)),
            ("level", None) => drop(t.level_types.insert(key)),
            ("po_box", None) => drop(t.po_box.insert(key)),
            ("dir", None) => drop(t.directionals.insert(key)),
            ("no_number", None) => drop(t.no_number.insert(key)),
            ("cc", None) => drop(t.country_codes.insert(key)),
            ("country", Some(cc)) => drop(t.countries.insert(key, cc.to_string())),
            ("region", Some(ccs)) => {
                t.regions
                    .insert(key, ccs.split(',').map(str::to_string).collect());
            }
            _ => {
                return Err(fmt_err(
                    &path,
                    ln,
                    format!("unknown entry kind {kind:?} or wrong field count"),
                ))
            }
        }
    }
    let cpath = dir.join(CITIES_FILE);
    let bytes = std::fs::read(&cpath).map_err(|e| io_err(&cpath, e))?;
    if bytes.len() < 8 || &bytes[..8] != CITIES_MAGIC || (bytes.len() - 8) % 8 != 0 {
        return Err(fmt_err(
            &cpath,
            0,
            "not a city-hash file (bad magic or length)",
        ));
    }
    t.cities = bytes[8..]
        .chunks_exact(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            u64::from_le_bytes(b)
        })
        .collect();
    if t.cities.windows(2).any(|w| w[0] > w[1]) {
        return Err(fmt_err(&cpath, 0, "city hashes are not sorted"));
    }
    Ok(t)
}

/// Reads the Chinese gazetteer of a compiled directory.
///
/// Errors: a missing or unreadable file, a wrong header, or a malformed line or an index out of
/// range (named by file and line).
pub fn read_china(dir: &Path) -> Result<ChinaGazetteer, AddressError> {
    let path = dir.join(CHINA_FILE);
    let text = gunzip(&path)?;
    let mut g = ChinaGazetteer::default();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h == CHINA_HEADER => {}
        _ => return Err(fmt_err(&path, 1, format!("expected `{CHINA_HEADER}`"))),
    }
    let mut names: HashMap<String, Vec<(u32, bool)>> = HashMap::new();
    for (ln, line) in lines {
        let ln = ln + 1;
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let opt = |s: &str| -> Result<Option<u32>, AddressError> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse()
                .map(Some)
                .map_err(|_| fmt_err(&path, ln, format!("bad index {s:?}")))
        };
        match f.first().copied() {
            Some("D") if f.len() == 6 => {
                let level: u8 = f[1]
                    .parse()
                    .ok()
                    .filter(|l| *l <= 3)
                    .ok_or_else(|| fmt_err(&path, ln, format!("bad level {:?}", f[1])))?;
                g.divisions.push(Division {
                    level,
                    code: f[2].to_string(),
                    name: f[3].to_string(),
                    parent: opt(f[4])?,
                    province: opt(f[5])?,
                });
            }
            Some("N") if f.len() == 3 => {
                let mut v = Vec::new();
                for item in f[2].split(',') {
                    let (num, short) = match item.strip_suffix('s') {
                        Some(n) => (n, true),
                        None => (item, false),
                    };
                    let i: u32 = num
                        .parse()
                        .map_err(|_| fmt_err(&path, ln, format!("bad index {item:?}")))?;
                    v.push((i, short));
                }
                g.max_chars = g.max_chars.max(f[1].chars().count());
                names.insert(f[1].to_string(), v);
            }
            Some("C") if f.len() == 3 => {
                let mut v = Vec::new();
                for item in f[2].split(',') {
                    v.push(
                        item.parse()
                            .map_err(|_| fmt_err(&path, ln, format!("bad index {item:?}")))?,
                    );
                }
                g.context_only.insert(f[1].to_string(), v);
            }
            _ => return Err(fmt_err(&path, ln, "expected a `C`, `D` or `N` record")),
        }
    }
    let n = g.divisions.len() as u32;
    for (i, d) in g.divisions.iter().enumerate() {
        if d.parent.map(|p| p >= n).unwrap_or(false) || d.province.map(|p| p >= n).unwrap_or(false)
        {
            return Err(fmt_err(
                &path,
                i + 2,
                "parent or province index out of range",
            ));
        }
    }
    if let Some((name, _)) = names.iter().find(|(_, v)| v.iter().any(|(i, _)| *i >= n)) {
        return Err(fmt_err(
            &path,
            0,
            format!("name {name:?} points past the last division"),
        ));
    }
    g.names = names;
    Ok(g)
}
