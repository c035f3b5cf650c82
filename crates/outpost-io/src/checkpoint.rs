//! Resumable output: [`PartialRun`] writes a run's output files under `OUT_DIR/.partial/`, commits
//! them at checkpoints, and moves them into place when the run completes.
//!
//! A checkpoint is durable: the part files are flushed and `fsync`ed, then `checkpoint.json` is
//! written under a temporary name, synced and renamed over the previous one. It records how many input
//! items were consumed, the length of every part file at that point, the location of the last item
//! consumed, a fingerprint of the inputs and options, and the caller's counters. After a crash (or
//! `kill -9`) a resumed run truncates the part files to the recorded lengths (dropping whatever was
//! written after the checkpoint), skips the consumed items and appends: no record is lost or written
//! twice, and the final files are byte-identical to those of an uninterrupted run, because the output
//! of the ordered runner does not depend on timing.

use crate::IoError;
use outpost_core::SourceLocation;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thiserror::Error;

/// Name of the folder, inside the output directory, that holds an unfinished run.
pub const PARTIAL_DIR: &str = ".partial";
const CHECKPOINT: &str = "checkpoint.json";
const FORMAT: u32 = 1;

/// Why a partial run could not be opened, checkpointed or finished.
#[derive(Debug, Error)]
pub enum CheckpointError {
    /// A file could not be read, written, synced or renamed.
    #[error(transparent)]
    Io(#[from] IoError),
    /// `checkpoint.json` exists but cannot be parsed (or has an unknown format).
    #[error("checkpoint {path} is unreadable ({reason}); delete {dir} to start over")]
    Corrupt {
        /// The checkpoint file.
        path: PathBuf,
        /// The folder to delete.
        dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// An interrupted run exists and the caller did not ask to resume it.
    #[error(
        "{dir} holds an interrupted run ({consumed} input records done): rerun with --resume to \
         continue it, or delete {dir} to start over"
    )]
    Interrupted {
        /// The partial folder.
        dir: PathBuf,
        /// Input items consumed by it.
        consumed: u64,
    },
    /// The interrupted run used other inputs or options.
    #[error(
        "cannot resume the run in {dir}: it was started with different {what}; rerun with the \
         same inputs and options, or delete {dir} to start over"
    )]
    Mismatch {
        /// The partial folder.
        dir: PathBuf,
        /// Names of the fingerprint fields that differ.
        what: String,
    },
    /// A part file is shorter than the checkpoint says (it was truncated or replaced).
    #[error("part file {path} has {actual} bytes, fewer than the {expected} its checkpoint records; delete {dir} to start over")]
    ShortPart {
        /// The part file.
        path: PathBuf,
        /// The folder to delete.
        dir: PathBuf,
        /// Bytes recorded at the checkpoint.
        expected: u64,
        /// Bytes found.
        actual: u64,
    },
}

/// The content of `checkpoint.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Checkpoint {
    /// Format version of this file.
    pub format: u32,
    /// Fingerprint of the inputs and options (a JSON object, compared key by key on resume).
    pub fingerprint: Value,
    /// Input items consumed (every one of them is fully written to the part files).
    pub consumed: u64,
    /// Location of the last item consumed, checked again when the items are skipped on resume.
    pub last: Option<SourceLocation>,
    /// Length in bytes of each part file, in the order of the names given to [`PartialRun::open`].
    pub lengths: Vec<u64>,
    /// The caller's state at this point (counters), returned as is on resume.
    pub state: Value,
    /// Seconds spent by earlier segments of the run (before the one that wrote this checkpoint).
    pub seconds: f64,
    /// How many times the run was started (1 for a run that never resumed).
    pub segments: u32,
    /// True once every part is complete and the files are being moved into place.
    pub complete: bool,
}

/// What [`PartialRun::open`] found.
#[derive(Debug, Clone)]
pub struct Resumed {
    /// Input items to skip.
    pub consumed: u64,
    /// Location of the last item consumed (the `consumed`-th), when known.
    pub last: Option<SourceLocation>,
    /// The caller's state saved with the checkpoint.
    pub state: Value,
    /// Seconds spent by earlier segments.
    pub seconds: f64,
    /// Segments before this one.
    pub segments: u32,
}

/// The output files of a run in progress, under `OUT_DIR/.partial/`.
pub struct PartialRun {
    out_dir: PathBuf,
    dir: PathBuf,
    names: Vec<String>,
    writers: Vec<BufWriter<File>>,
    lengths: Vec<u64>,
    fingerprint: Value,
    every: Duration,
    last_sync: Instant,
    started: Instant,
    resumed: Option<Resumed>,
}

fn write_err(path: &Path, source: std::io::Error) -> CheckpointError {
    CheckpointError::Io(IoError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn read_err(path: &Path, source: std::io::Error) -> CheckpointError {
    CheckpointError::Io(IoError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Names of the top-level keys whose values differ between two fingerprints.
fn differing_keys(a: &Value, b: &Value) -> Vec<String> {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            let mut keys: Vec<String> = a
                .iter()
                .filter(|(k, v)| b.get(*k) != Some(v))
                .map(|(k, _)| k.clone())
                .chain(b.keys().filter(|k| !a.contains_key(*k)).cloned())
                .collect();
            keys.sort();
            keys.dedup();
            keys
        }
        _ if a == b => Vec::new(),
        _ => vec!["fingerprint".to_string()],
    }
}

fn sync_dir(dir: &Path) {
    // Directory fsync makes renames durable on Linux; it is not supported everywhere, and a failure
    // only weakens durability, never correctness of what is read back.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl PartialRun {
    /// Opens the partial run of `out_dir` for the output files `names` (created if missing).
    ///
    /// * No `.partial` folder, or one without a checkpoint: a fresh run starts (a leftover folder
    ///   from a run killed before its first checkpoint is cleared).
    /// * A checkpoint and `resume == false`: [`CheckpointError::Interrupted`] (nothing is deleted).
    /// * A checkpoint and `resume == true`: its fingerprint must equal `fingerprint`
    ///   ([`CheckpointError::Mismatch`] names the differing keys); the part files are truncated to
    ///   their checkpointed lengths and reopened for appending, and [`PartialRun::resumed`] says what
    ///   to skip.
    ///
    /// `every` is the minimum time between two checkpoints taken by [`PartialRun::maybe_checkpoint`].
    pub fn open(
        out_dir: &Path,
        names: &[&str],
        fingerprint: Value,
        resume: bool,
        every: Duration,
    ) -> Result<Self, CheckpointError> {
        let dir = out_dir.join(PARTIAL_DIR);
        let ck_path = dir.join(CHECKPOINT);
        let previous = match std::fs::read(&ck_path) {
            Ok(bytes) => Some(
                serde_json::from_slice::<Checkpoint>(&bytes)
                    .map_err(|e| e.to_string())
                    .and_then(|c| {
                        if c.format != FORMAT {
                            Err(format!("format {} is not {FORMAT}", c.format))
                        } else if c.lengths.len() != names.len() {
                            Err(format!(
                                "{} part files recorded, {} expected",
                                c.lengths.len(),
                                names.len()
                            ))
                        } else {
                            Ok(c)
                        }
                    })
                    .map_err(|reason| CheckpointError::Corrupt {
                        path: ck_path.clone(),
                        dir: dir.clone(),
                        reason,
                    })?,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(read_err(&ck_path, e)),
        };
        let resumed = match previous {
            Some(c) if !resume => {
                return Err(CheckpointError::Interrupted {
                    dir,
                    consumed: c.consumed,
                })
            }
            Some(c) => {
                let diff = differing_keys(&c.fingerprint, &fingerprint);
                if !diff.is_empty() {
                    return Err(CheckpointError::Mismatch {
                        dir,
                        what: diff.join(", "),
                    });
                }
                Some(c)
            }
            None => {
                if dir.exists() {
                    std::fs::remove_dir_all(&dir).map_err(|e| write_err(&dir, e))?;
                }
                None
            }
        };
        std::fs::create_dir_all(&dir).map_err(|e| write_err(&dir, e))?;
        let mut writers = Vec::with_capacity(names.len());
        let mut lengths = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let path = dir.join(name);
            let want = resumed.as_ref().map(|c| c.lengths[i]).unwrap_or(0);
            let final_path = out_dir.join(name);
            if resumed.as_ref().is_some_and(|c| c.complete) && !path.exists() {
                // Moved into place by the finishing run before it was interrupted: move it back.
                std::fs::rename(&final_path, &path).map_err(|e| write_err(&path, e))?;
            }
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| write_err(&path, e))?;
            let actual = file.metadata().map_err(|e| read_err(&path, e))?.len();
            if actual < want {
                return Err(CheckpointError::ShortPart {
                    path,
                    dir,
                    expected: want,
                    actual,
                });
            }
            file.set_len(want).map_err(|e| write_err(&path, e))?;
            let mut file = file;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(want))
                .map_err(|e| write_err(&path, e))?;
            writers.push(BufWriter::with_capacity(1 << 16, file));
            lengths.push(want);
        }
        Ok(Self {
            out_dir: out_dir.to_path_buf(),
            dir,
            names: names.iter().map(|s| s.to_string()).collect(),
            writers,
            lengths,
            fingerprint,
            every,
            last_sync: Instant::now(),
            started: Instant::now(),
            resumed: resumed.map(|c| Resumed {
                consumed: c.consumed,
                last: c.last,
                state: c.state,
                seconds: c.seconds,
                segments: c.segments,
            }),
        })
    }

    /// Input items done by the interrupted run checkpointed in `out_dir`, if there is one (a cheap
    /// check, before the fingerprint is known). `None` when there is none or it cannot be read.
    pub fn pending(out_dir: &Path) -> Option<u64> {
        let bytes = std::fs::read(out_dir.join(PARTIAL_DIR).join(CHECKPOINT)).ok()?;
        serde_json::from_slice::<Checkpoint>(&bytes)
            .ok()
            .map(|c| c.consumed)
    }

    /// What the interrupted run left (items to skip, saved state), or `None` for a fresh run.
    pub fn resumed(&self) -> Option<&Resumed> {
        self.resumed.as_ref()
    }

    /// The `.partial` folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Seconds spent by this run so far, earlier segments included.
    pub fn seconds(&self) -> f64 {
        self.resumed.as_ref().map_or(0.0, |r| r.seconds) + self.started.elapsed().as_secs_f64()
    }

    /// Segments of this run, this one included.
    pub fn segments(&self) -> u32 {
        self.resumed.as_ref().map_or(0, |r| r.segments) + 1
    }

    /// Writes one value as a JSON line to part file `index` (in the order given to `open`).
    pub fn write_json_line<T: Serialize>(
        &mut self,
        index: usize,
        value: &T,
    ) -> Result<(), CheckpointError> {
        let path = self.dir.join(&self.names[index]);
        let w = &mut self.writers[index];
        let mut line = serde_json::to_vec(value).map_err(|source| IoError::Serialise {
            path: path.clone(),
            source,
        })?;
        line.push(b'\n');
        w.write_all(&line).map_err(|e| write_err(&path, e))?;
        self.lengths[index] += line.len() as u64;
        Ok(())
    }

    /// Takes a checkpoint if at least the interval given to `open` has passed since the last one.
    /// `consumed` counts every input item whose output has been written; `last` is its location.
    pub fn maybe_checkpoint<S: Serialize>(
        &mut self,
        consumed: u64,
        last: Option<&SourceLocation>,
        state: &S,
    ) -> Result<bool, CheckpointError> {
        if self.last_sync.elapsed() < self.every {
            return Ok(false);
        }
        self.checkpoint(consumed, last, state, false)?;
        Ok(true)
    }

    /// Flushes and syncs every part file, then atomically replaces `checkpoint.json`.
    pub fn checkpoint<S: Serialize>(
        &mut self,
        consumed: u64,
        last: Option<&SourceLocation>,
        state: &S,
        complete: bool,
    ) -> Result<(), CheckpointError> {
        for (w, name) in self.writers.iter_mut().zip(&self.names) {
            let path = self.dir.join(name);
            w.flush().map_err(|e| write_err(&path, e))?;
            w.get_ref().sync_data().map_err(|e| write_err(&path, e))?;
        }
        let ck = Checkpoint {
            format: FORMAT,
            fingerprint: self.fingerprint.clone(),
            consumed,
            last: last.cloned(),
            lengths: self.lengths.clone(),
            state: serde_json::to_value(state).map_err(|source| IoError::Serialise {
                path: self.dir.join(CHECKPOINT),
                source,
            })?,
            seconds: self.resumed.as_ref().map_or(0.0, |r| r.seconds),
            segments: self.segments(),
            complete,
        };
        let path = self.dir.join(CHECKPOINT);
        let tmp = self.dir.join(format!(".{CHECKPOINT}.tmp"));
        let bytes = serde_json::to_vec_pretty(&ck).map_err(|source| IoError::Serialise {
            path: path.clone(),
            source,
        })?;
        let mut f = File::create(&tmp).map_err(|e| write_err(&tmp, e))?;
        f.write_all(&bytes).map_err(|e| write_err(&tmp, e))?;
        f.sync_all().map_err(|e| write_err(&tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(|e| write_err(&path, e))?;
        sync_dir(&self.dir);
        self.last_sync = Instant::now();
        Ok(())
    }

    /// Completes the run: a final checkpoint marked complete, then every part file renamed to
    /// `OUT_DIR/<name>`. The caller then writes its manifest and calls [`PartialRun::clear`]. (If
    /// the process dies in between, a resumed run moves the files back and finishes again.)
    pub fn finish<S: Serialize>(
        mut self,
        consumed: u64,
        last: Option<&SourceLocation>,
        state: &S,
    ) -> Result<FinishedRun, CheckpointError> {
        self.checkpoint(consumed, last, state, true)?;
        let writers = std::mem::take(&mut self.writers);
        drop(writers);
        for name in &self.names {
            let from = self.dir.join(name);
            let to = self.out_dir.join(name);
            std::fs::rename(&from, &to).map_err(|e| write_err(&to, e))?;
        }
        sync_dir(&self.out_dir);
        Ok(FinishedRun { dir: self.dir })
    }
}

/// A run whose files are in place; [`FinishedRun::clear`] removes its `.partial` folder.
pub struct FinishedRun {
    dir: PathBuf,
}

impl FinishedRun {
    /// Removes the `.partial` folder (call after writing the manifest).
    pub fn clear(self) -> Result<(), CheckpointError> {
        std::fs::remove_dir_all(&self.dir).map_err(|e| write_err(&self.dir, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NAMES: [&str; 2] = ["a.jsonl", "b.jsonl"];

    fn open(out: &Path, fp: Value, resume: bool) -> Result<PartialRun, CheckpointError> {
        PartialRun::open(out, &NAMES, fp, resume, Duration::ZERO)
    }

    #[test]
    fn resume_truncates_to_the_checkpoint_and_finishes_identically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        let fp = json!({"inputs": ["x"], "fields": "id"});
        let mut run = open(out, fp.clone(), false).expect("open");
        assert!(run.resumed().is_none());
        for i in 0..3u64 {
            run.write_json_line(0, &json!({ "i": i })).expect("write");
        }
        run.write_json_line(1, &json!("b0")).expect("write");
        run.checkpoint(3, None, &json!({"n": 3}), false)
            .expect("checkpoint");
        // Written after the checkpoint, then "killed": must vanish on resume.
        run.write_json_line(0, &json!({ "i": 3 })).expect("write");
        drop(run);

        let err = open(out, fp.clone(), false).err().expect("refuses");
        assert!(matches!(
            err,
            CheckpointError::Interrupted { consumed: 3, .. }
        ));
        let err = open(out, json!({"inputs": ["y"], "fields": "id"}), true)
            .err()
            .expect("refuses");
        match err {
            CheckpointError::Mismatch { what, .. } => assert_eq!(what, "inputs"),
            other => panic!("unexpected {other}"),
        }

        let mut run = open(out, fp, true).expect("resume");
        let r = run.resumed().cloned().expect("resumed");
        assert_eq!((r.consumed, r.state.clone()), (3, json!({"n": 3})));
        assert_eq!(run.segments(), 2);
        run.write_json_line(0, &json!({ "i": 3 })).expect("write");
        let done = run.finish(4, None, &json!({"n": 4})).expect("finish");
        done.clear().expect("clear");
        assert_eq!(
            std::fs::read_to_string(out.join("a.jsonl")).expect("read"),
            "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b.jsonl")).expect("read"),
            "\"b0\"\n"
        );
        assert!(!out.join(PARTIAL_DIR).exists());
    }

    #[test]
    fn a_run_killed_before_its_first_checkpoint_is_cleared() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        let mut run = open(out, json!({}), false).expect("open");
        run.write_json_line(0, &json!(1)).expect("write");
        drop(run);
        let run = open(out, json!({}), false).expect("fresh start");
        assert!(run.resumed().is_none());
        let len = std::fs::metadata(out.join(PARTIAL_DIR).join("a.jsonl"))
            .expect("part")
            .len();
        assert_eq!(len, 0);
    }

    #[test]
    fn a_corrupt_checkpoint_is_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        std::fs::create_dir_all(out.join(PARTIAL_DIR)).expect("mkdir");
        std::fs::write(out.join(PARTIAL_DIR).join(CHECKPOINT), "{not json").expect("write");
        let err = open(out, json!({}), true).err().expect("refuses");
        assert!(err.to_string().contains("checkpoint"), "{err}");
    }
}
