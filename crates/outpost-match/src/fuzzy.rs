//! Fuzzy matching of misspelt or variant Latin-script names ("Fozhou", "Qingtan", "Guayquil").
//!
//! [`FuzzyIndex`] is a symmetric-deletion index (SymSpell): every name and every one-character
//! deletion of it are keys, so a query within edit distance 1 (insertion, deletion or
//! substitution) is found with `len + 1` hash look-ups; the true Levenshtein distance is checked
//! before a hit is returned.

use crate::scan::FxMap;

/// Levenshtein distance between two strings, by code points.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1)
                .min(cur[j] + 1)
                .min(prev[j] + usize::from(ca != cb));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity in [0, 1]: 1 − distance / longer length.
pub fn similarity(a: &str, b: &str) -> f32 {
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f32 / n as f32
}

fn deletions(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len())
        .map(|i| {
            chars[..i]
                .iter()
                .chain(chars[i + 1..].iter())
                .collect::<String>()
        })
        .collect()
}

/// An index of folded names for distance-1 look-ups.
#[derive(Debug, Default, Clone)]
pub struct FuzzyIndex {
    keys: FxMap<String, Vec<u32>>,
    names: Vec<(String, u32)>,
}

impl FuzzyIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a folded name that stands for the entry `value`.
    pub fn insert(&mut self, name: &str, value: u32) {
        let idx = self.names.len() as u32;
        self.names.push((name.to_string(), value));
        self.keys.entry(name.to_string()).or_default().push(idx);
        for d in deletions(name) {
            self.keys.entry(d).or_default().push(idx);
        }
    }

    /// The entries whose name is at edit distance exactly 1 from `query` (exact matches are the
    /// exact matcher's job), each with the matched name. Empty for no hit.
    pub fn lookup(&self, query: &str) -> Vec<(&str, u32)> {
        let mut out: Vec<(&str, u32)> = Vec::new();
        let mut probe = vec![query.to_string()];
        probe.extend(deletions(query));
        for p in probe {
            if let Some(ix) = self.keys.get(&p) {
                for &i in ix {
                    let (name, v) = &self.names[i as usize];
                    if levenshtein(name, query) == 1 && !out.iter().any(|(_, w)| w == v) {
                        out.push((name.as_str(), *v));
                    }
                }
            }
        }
        out
    }

    /// Number of names indexed.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(levenshtein("fozhou", "fuzhou"), 1);
        assert_eq!(levenshtein("qingtan", "qingtian"), 1);
        assert_eq!(levenshtein("guayquil", "guayaquil"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert!(similarity("fozhou", "fuzhou") > 0.8);
    }

    #[test]
    fn index_finds_distance_one_only() {
        let mut ix = FuzzyIndex::new();
        ix.insert("guayaquil", 7);
        ix.insert("fuzhou", 1);
        assert_eq!(ix.lookup("guayquil"), vec![("guayaquil", 7)]);
        assert_eq!(ix.lookup("fozhou"), vec![("fuzhou", 1)]);
        assert!(ix.lookup("fuzhou").is_empty());
        assert!(ix.lookup("wenzhou").is_empty());
    }
}
