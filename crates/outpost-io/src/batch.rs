//! The ordered parallel batch runner.
//!
//! Documents are read in chunks; each chunk is processed in parallel on the current rayon pool
//! while the results of the chunk before are handed to the sink and the next chunk is read, and
//! results reach the sink **in input order**. So memory is bounded by three chunks, and output is
//! byte-identical for any number of threads. A panic
//! while processing one document becomes an error entry for that document alone.

use crate::read::InputItem;
use outpost_core::{Document, ErrorEntry};
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Limits for one chunk.
#[derive(Debug, Clone, Copy)]
pub struct ChunkLimits {
    /// Maximum documents per chunk.
    pub max_docs: usize,
    /// Maximum total text bytes per chunk (a single larger document still forms a chunk).
    pub max_bytes: usize,
}

impl Default for ChunkLimits {
    fn default() -> Self {
        Self {
            max_docs: 512,
            max_bytes: 32 << 20,
        }
    }
}

/// What became of one input record: the processing result, or an error entry.
pub type Outcome<T> = Result<T, ErrorEntry>;

fn read_chunk<I: Iterator<Item = InputItem>>(items: &mut I, limits: ChunkLimits) -> Vec<InputItem> {
    let mut chunk = Vec::new();
    let mut bytes = 0usize;
    for item in items.by_ref() {
        if let Ok(d) = &item {
            bytes += d.text.len();
        }
        chunk.push(item);
        if chunk.len() >= limits.max_docs || bytes >= limits.max_bytes {
            break;
        }
    }
    chunk
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs `process` over every document of `items` in parallel (on the current rayon pool) and calls
/// `sink` once per input record, in input order, with the result or the error entry. Reader errors
/// pass straight to the sink; a processing error (`Err(reason)`) or panic becomes an error entry with
/// the document's location and id. The sink runs on a pool thread, beside the processing of the
/// next chunk. Stops early only if `sink` returns an error, which is returned (the chunk processed
/// meanwhile never reaches the sink).
pub fn run_ordered<I, T, P, S, E>(
    mut items: I,
    limits: ChunkLimits,
    process: P,
    mut sink: S,
) -> Result<(), E>
where
    I: Iterator<Item = InputItem> + Send,
    T: Send,
    P: Fn(Document) -> Result<T, String> + Sync,
    S: FnMut(Outcome<T>) -> Result<(), E> + Send,
    E: Send,
{
    let run_one = |item: InputItem| -> Outcome<T> {
        let doc = item?;
        let location = doc.source.clone();
        let id = doc.id.clone();
        match catch_unwind(AssertUnwindSafe(|| process(doc))) {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(reason)) => Err(ErrorEntry {
                location,
                id: Some(id),
                reason,
            }),
            Err(p) => Err(ErrorEntry {
                location,
                id: Some(id),
                reason: format!("panic while processing: {}", panic_message(p.as_ref())),
            }),
        }
    };
    // Three chunks in flight: while one is processed, the results of the one before go to the sink
    // and the one after is read (the sink's writing and freeing overlap the processing).
    let mut current = read_chunk(&mut items, limits);
    let mut done: Vec<Outcome<T>> = Vec::new();
    while !current.is_empty() {
        let (results, (sunk, next)) = rayon::join(
            || current.into_par_iter().map(run_one).collect::<Vec<_>>(),
            || {
                let sunk = done.drain(..).try_for_each(&mut sink);
                (sunk, read_chunk(&mut items, limits))
            },
        );
        sunk?;
        done = results;
        current = next;
    }
    done.into_iter().try_for_each(&mut sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use outpost_core::SourceLocation;

    fn docs(n: usize) -> Vec<InputItem> {
        (0..n)
            .map(|i| {
                if i % 7 == 3 {
                    Err(ErrorEntry {
                        location: SourceLocation::line("in", i as u64 + 1),
                        id: None,
                        reason: "bad".into(),
                    })
                } else {
                    let mut d = Document::new(format!("d{i}"), "x".repeat(i % 13));
                    d.source = SourceLocation::line("in", i as u64 + 1);
                    Ok(d)
                }
            })
            .collect()
    }

    #[test]
    fn order_is_kept_and_panics_are_contained() {
        let limits = ChunkLimits {
            max_docs: 8,
            max_bytes: 1 << 20,
        };
        let mut out = Vec::new();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        pool.install(|| {
            run_ordered(
                docs(100).into_iter(),
                limits,
                |d: Document| {
                    if d.id == "d50" {
                        panic!("boom");
                    }
                    if d.id == "d51" {
                        return Err("refused".to_string());
                    }
                    Ok(d.id)
                },
                |r| -> Result<(), ()> {
                    out.push(r);
                    Ok(())
                },
            )
        })
        .expect("runs");
        assert_eq!(out.len(), 100);
        for (i, r) in out.iter().enumerate() {
            match r {
                Ok(id) => assert_eq!(id, &format!("d{i}")),
                Err(e) => {
                    assert_eq!(e.location.line, Some(i as u64 + 1));
                    if i == 50 {
                        assert!(e.reason.contains("boom"));
                    }
                }
            }
        }
        assert!(out[51].as_ref().is_err());
    }
}
