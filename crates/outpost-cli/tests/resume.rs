//! `outpost run --resume`: a run killed with SIGKILL mid-way (twice) and resumed ends with the same
//! files as an uninterrupted run; a rerun without `--resume`, or with other options, is refused.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn outpost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_outpost"))
}

fn data_dir() -> Option<PathBuf> {
    let p = std::env::var_os("OUTPOST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    p.join("ner").is_dir().then_some(p)
}

fn run_args(out: &Path, inputs: &[PathBuf]) -> Command {
    let mut c = outpost();
    c.args([
        "run",
        "--no-progress",
        "--jobs",
        "2",
        "--checkpoint-secs",
        "0.05",
        "-o",
    ])
    .arg(out)
    .args(inputs)
    .stderr(Stdio::piped());
    c
}

fn consumed(out: &Path) -> u64 {
    std::fs::read(out.join(".partial/checkpoint.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["consumed"].as_u64())
        .unwrap_or(0)
}

/// Waits until the run has checkpointed more than `after` records, then kills it with SIGKILL.
/// Returns the records checkpointed at that point.
fn kill_after_checkpoint(mut child: Child, out: &Path, after: u64) -> u64 {
    let start = Instant::now();
    loop {
        let n = consumed(out);
        if n > after {
            let finished = child.try_wait().expect("try_wait");
            assert!(
                finished.is_none(),
                "the run ended before it could be killed: make the corpus bigger"
            );
            child.kill().expect("SIGKILL");
            child.wait().expect("wait");
            return n;
        }
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!("the run ended ({status}) before its checkpoint passed {after} records");
        }
        assert!(start.elapsed() < Duration::from_secs(120), "no checkpoint");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn manifest_without_timings(out: &Path) -> serde_json::Value {
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    m.as_object_mut().expect("object").remove("timings");
    m
}

#[test]
fn killed_runs_resume_to_the_uninterrupted_output() {
    let Some(data) = data_dir() else {
        eprintln!("notice: ../shared/data not found; resume test skipped");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus.jsonl");
    let status = outpost()
        .args([
            "corpus", "generate", "--size", "2MB", "--rate", "0.05", "--seed", "11", "--data",
        ])
        .arg(&data)
        .arg("-o")
        .arg(&corpus)
        .status()
        .expect("generate");
    assert!(status.success());
    // A small first input with bad records, so errors.jsonl is compared too and skipping crosses
    // from one input to the next.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\":\"b1\",\"text\":\"La policía de Qingtian abrió una comisaría en Madrid.\"}\nnot json\n{\"id\":\"b3\"}\n",
    )
    .expect("write");
    let inputs = vec![bad, corpus];

    let reference = dir.path().join("reference");
    let out = run_args(&reference, &inputs).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let resumed = dir.path().join("resumed");
    let first = kill_after_checkpoint(
        run_args(&resumed, &inputs).spawn().expect("spawn"),
        &resumed,
        0,
    );
    assert!(!resumed.join("manifest.json").exists());

    // Without --resume the interrupted run is refused, and left alone.
    let out = run_args(&resumed, &inputs).output().expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--resume"), "{err}");
    assert_eq!(consumed(&resumed), first);

    // Other options: refused, naming what differs.
    let out = run_args(&resumed, &inputs)
        .args(["--resume", "--title-field", "headline"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("different fields"), "{err}");

    // Resume, kill again later, resume to the end.
    let mut again = run_args(&resumed, &inputs);
    again.arg("--resume");
    let second = kill_after_checkpoint(again.spawn().expect("spawn"), &resumed, first);
    assert!(second > first);
    let out = run_args(&resumed, &inputs)
        .arg("--resume")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for f in [
        "candidates.jsonl",
        "articles.jsonl",
        "documents.jsonl",
        "errors.jsonl",
    ] {
        let a = std::fs::read(reference.join(f)).expect("read");
        let b = std::fs::read(resumed.join(f)).expect("read");
        assert!(a == b, "{f} differs after resuming");
    }
    let lines = std::fs::read_to_string(resumed.join("articles.jsonl")).expect("read");
    assert!(lines.lines().count() > 800);
    assert_eq!(
        std::fs::read_to_string(resumed.join("errors.jsonl"))
            .expect("read")
            .lines()
            .count(),
        2
    );
    assert_eq!(
        manifest_without_timings(&reference),
        manifest_without_timings(&resumed)
    );
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(resumed.join("manifest.json")).expect("manifest"))
            .expect("JSON");
    assert_eq!(m["timings"]["segments"], 3);
    assert!(!resumed.join(".partial").exists());
    assert!(!reference.join(".partial").exists());
}
