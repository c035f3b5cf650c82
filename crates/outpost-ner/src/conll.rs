//! Reading CoNLL files: one `token<TAB>tag` (or space-separated, last column = tag) per line,
//! a blank line between sentences.

use crate::error::{NerError, Result};
use std::path::Path;

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The tokens.
    pub tokens: Vec<String>,
    /// One BIO tag per token (`O`, `B-X`, `I-X`).
    pub tags: Vec<String>,
}

/// Reads a CoNLL file. Lines starting with `-DOCSTART-` are skipped. Returns [`NerError::Io`] when
/// the file cannot be read and [`NerError::Format`] (with the 1-based line) for a line that has a
/// single column or a tag that is not `O`, `B-…` or `I-…`.
pub fn read_conll(path: &Path) -> Result<Vec<Sentence>> {
    let text = std::fs::read_to_string(path).map_err(|e| NerError::io(path, e))?;
    parse_conll(&text, path)
}

/// Parses CoNLL text (see [`read_conll`]); `path` is only used in error messages.
pub fn parse_conll(text: &str, path: &Path) -> Result<Vec<Sentence>> {
    let mut out = Vec::new();
    let mut cur = Sentence {
        tokens: Vec::new(),
        tags: Vec::new(),
    };
    for (k, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        tokens: Vec::new(),
                        tags: Vec::new(),
                    },
                ));
            }
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        let (token, tag) = match line.split_once('\t') {
            Some((t, rest)) => (t, rest.rsplit('\t').next().unwrap_or(rest).trim()),
            None => match line.trim().rsplit_once(' ') {
                Some((t, tag)) => (t.split(' ').next().unwrap_or(t), tag.trim()),
                None => {
                    return Err(NerError::Format {
                        path: path.to_path_buf(),
                        line: k + 1,
                        msg: format!("expected `token<TAB>tag`, got {line:?}"),
                    })
                }
            },
        };
        let valid =
            tag == "O" || (tag.len() > 2 && (tag.starts_with("B-") || tag.starts_with("I-")));
        if !valid {
            return Err(NerError::Format {
                path: path.to_path_buf(),
                line: k + 1,
                msg: format!("tag {tag:?} is not O, B-TYPE or I-TYPE"),
            });
        }
        cur.tokens.push(token.to_string());
        cur.tags.push(tag.to_string());
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sentences_and_reports_bad_lines() {
        let p = Path::new("x.conll");
        let s = parse_conll(
            "-DOCSTART- O\n\nEU\tB-ORG\nrejects\tO\n\n\nPeter B-PER\n",
            p,
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tokens, vec!["EU", "rejects"]);
        assert_eq!(s[1].tags, vec!["B-PER"]);
        let e = parse_conll("EU\tB-ORG\nbroken\n", p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.conll:2"), "{e}");
        let e = parse_conll("EU\tX-ORG\n", p).unwrap_err().to_string();
        assert!(e.contains("x.conll:1"), "{e}");
    }
}
