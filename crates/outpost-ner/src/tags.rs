//! BIO tag sets, chunk extraction with conlleval semantics, and the mapping of each dataset's
//! entity types onto outpost's common labels.

use outpost_core::Label;

/// A BILOU tag set over entity types: tag 0 is `O`; type `k` has `B` (begin) = `1 + 4k`, `I`
/// (inside) = `2 + 4k`, `L` (last) = `3 + 4k` and `U` (unit, a one-token entity) = `4 + 4k`.
/// Files and outputs use BIO; BILOU is the model's internal encoding (it learns boundaries better).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSet {
    types: Vec<String>,
}

/// Position of a tag inside its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Outside any entity.
    O,
    /// First token of a multi-token entity.
    B,
    /// Middle token.
    I,
    /// Last token of a multi-token entity.
    L,
    /// Single-token entity.
    U,
}

/// The part of a tag index.
pub fn tag_part(tag: usize) -> Part {
    if tag == 0 {
        return Part::O;
    }
    match (tag - 1) % 4 {
        0 => Part::B,
        1 => Part::I,
        2 => Part::L,
        _ => Part::U,
    }
}

/// The tag index of type `k` and a part (`Part::O` gives 0).
pub fn tag_of(k: usize, part: Part) -> usize {
    match part {
        Part::O => 0,
        Part::B => 1 + 4 * k,
        Part::I => 2 + 4 * k,
        Part::L => 3 + 4 * k,
        Part::U => 4 + 4 * k,
    }
}

impl TagSet {
    /// Builds a tag set from entity type names (kept in the given order, duplicates removed).
    pub fn new<S: AsRef<str>>(types: impl IntoIterator<Item = S>) -> Self {
        let mut v: Vec<String> = Vec::new();
        for t in types {
            let t = t.as_ref();
            if !v.iter().any(|x| x == t) {
                v.push(t.to_string());
            }
        }
        Self { types: v }
    }

    /// The entity types.
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// Number of tags (`1 + 4 × types`).
    pub fn len(&self) -> usize {
        1 + 4 * self.types.len()
    }

    /// True when the set has no entity type (only `O`).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// Index of a type name; `None` when it is not in the set.
    pub fn type_index(&self, ty: &str) -> Option<usize> {
        self.types.iter().position(|t| t == ty)
    }

    /// The BIO tag string of an index (`U` prints as `B`, `L` as `I`; out-of-range gives `"O"`).
    pub fn name(&self, tag: usize) -> String {
        match tag_type(tag) {
            Some(k) if k < self.types.len() => {
                let bi = match tag_part(tag) {
                    Part::B | Part::U => "B",
                    _ => "I",
                };
                format!("{bi}-{}", self.types[k])
            }
            _ => "O".to_string(),
        }
    }

    /// True when tag `cur` may follow tag `prev` in valid BILOU; `prev = None` is the sentence
    /// start and `cur = None` the sentence end.
    pub fn allowed(prev: Option<usize>, cur: Option<usize>) -> bool {
        let open = prev.is_some_and(|p| matches!(tag_part(p), Part::B | Part::I));
        match cur {
            None => !open,
            Some(c) => match tag_part(c) {
                Part::I | Part::L => open && prev.and_then(tag_type) == tag_type(c),
                _ => !open,
            },
        }
    }
}

/// The entity type index of a tag index (`None` for `O`).
pub fn tag_type(tag: usize) -> Option<usize> {
    (tag > 0).then(|| (tag - 1) / 4)
}

/// A chunk of consecutive tokens with one entity type; `end` is exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chunk {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Entity type name.
    pub ty: String,
}

/// Chunks of a BIO tag sequence with conlleval's rules: a chunk starts at `B-X`, or at `I-X` after
/// `O` or after another type; it ends before `O`, `B-…` or a different type. Malformed tags count as
/// `O`.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (bi, ty) = match t.split_at_checked(2) {
            Some((bi @ ("B-" | "I-"), ty)) if !ty.is_empty() => (bi, ty),
            _ => ("O", ""),
        };
        let continues = bi == "I-" && matches!(open, Some((_, oty)) if oty == ty);
        if !continues {
            if let Some((s, oty)) = open.take() {
                out.push(Chunk {
                    start: s,
                    end: i,
                    ty: oty.to_string(),
                });
            }
            if bi != "O" {
                open = Some((i, ty));
            }
        }
    }
    if let Some((s, oty)) = open {
        out.push(Chunk {
            start: s,
            end: tags.len(),
            ty: oty.to_string(),
        });
    }
    out
}

/// How a model's entity types relate to the training files' types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelScheme {
    /// The files' own type names are kept (e.g. CLUENER's `government`, `address`).
    Native,
    /// Types are mapped onto the common names (`PER`, `ORG`, `LOC`, `GOV`, `ADDRESS`, `MISC`) with
    /// [`common_type`] before training and scoring.
    Common,
}

/// The common type name of a dataset type: `PER`, `ORG`, `LOC`, `GOV`, `ADDRESS` or `MISC`, following
/// the mappings in `shared/data/ner/*/README.md`. Weibo's nominal mentions (`*.NOM`) return `None`
/// (dropped); unknown types map to `MISC`.
pub fn common_type(ty: &str) -> Option<&'static str> {
    if ty.ends_with(".NOM") {
        return None;
    }
    let base = ty.strip_suffix(".NAM").unwrap_or(ty);
    Some(match base.to_ascii_lowercase().as_str() {
        "per" | "person" | "name" => "PER",
        "org" | "organization" | "organisation" | "company" | "corporation" | "group" => "ORG",
        "loc" | "location" | "gpe" | "scene" => "LOC",
        "gov" | "government" => "GOV",
        "address" => "ADDRESS",
        _ => "MISC",
    })
}

/// Maps a BIO tag onto the common scheme (`B-government` → `B-GOV`; dropped types become `O`).
pub fn common_tag(tag: &str) -> String {
    match tag.split_at_checked(2) {
        Some((bi @ ("B-" | "I-"), ty)) => match common_type(ty) {
            Some(c) => format!("{bi}{c}"),
            None => "O".to_string(),
        },
        _ => "O".to_string(),
    }
}

/// The outpost [`Label`] of a model type name (native or common); `None` never happens for the
/// supported datasets, but unknown names give [`Label::Misc`].
pub fn label_of(ty: &str) -> Label {
    match common_type(ty) {
        Some("PER") => Label::Per,
        Some("ORG") => Label::Org,
        Some("LOC") => Label::Loc,
        Some("GOV") => Label::Gov,
        Some("ADDRESS") => Label::Address,
        _ => Label::Misc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conlleval_chunk_rules() {
        let tags = [
            "B-PER", "I-PER", "I-ORG", "O", "I-LOC", "I-LOC", "B-LOC", "B-LOC", "I-PER",
        ];
        let c = chunks(&tags);
        let got: Vec<(usize, usize, &str)> =
            c.iter().map(|c| (c.start, c.end, c.ty.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (0, 2, "PER"),
                (2, 3, "ORG"),
                (4, 6, "LOC"),
                (6, 7, "LOC"),
                (7, 8, "LOC"),
                (8, 9, "PER")
            ]
        );
    }

    #[test]
    fn tagset_indices_and_constraints() {
        let ts = TagSet::new(["PER", "LOC", "PER"]);
        assert_eq!(ts.len(), 9);
        assert_eq!(ts.type_index("LOC"), Some(1));
        assert_eq!(ts.name(tag_of(1, Part::U)), "B-LOC");
        assert_eq!(ts.name(tag_of(1, Part::L)), "I-LOC");
        assert_eq!(ts.type_index("ORG"), None);
        let (b, i, l) = (tag_of(0, Part::B), tag_of(0, Part::I), tag_of(0, Part::L));
        assert!(TagSet::allowed(Some(b), Some(i)));
        assert!(TagSet::allowed(Some(i), Some(l)));
        assert!(!TagSet::allowed(Some(b), Some(0)));
        assert!(!TagSet::allowed(Some(b), Some(tag_of(1, Part::L))));
        assert!(!TagSet::allowed(None, Some(i)));
        assert!(!TagSet::allowed(Some(b), None));
        assert!(TagSet::allowed(Some(l), None));
        assert!(TagSet::allowed(Some(0), Some(tag_of(1, Part::U))));
    }

    #[test]
    fn maps_dataset_types() {
        assert_eq!(common_tag("B-government"), "B-GOV");
        assert_eq!(common_tag("I-company"), "I-ORG");
        assert_eq!(common_tag("B-PER.NOM"), "O");
        assert_eq!(common_tag("B-GPE.NAM"), "B-LOC");
        assert_eq!(label_of("address"), Label::Address);
        assert_eq!(label_of("position"), Label::Misc);
    }
}
