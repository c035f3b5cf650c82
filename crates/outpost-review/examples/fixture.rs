//! Writes a synthetic run directory for tests and measurements.
//!
//! `cargo run -p outpost-review --example fixture -- KIND DIR [N]` where KIND is `mixed`,
//! `hostile` or `synthetic` (N records, default 10000).

use outpost_review::fixture::{write_run, Fixture};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(kind), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: fixture mixed|hostile|synthetic DIR [N]");
        return ExitCode::from(2);
    };
    let n = match args.get(2).map(|s| s.parse::<usize>()) {
        None => 10_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("bad N: {e}");
            return ExitCode::from(2);
        }
    };
    let fx = match kind.as_str() {
        "mixed" => Fixture::mixed(),
        "hostile" => Fixture::hostile(),
        "synthetic" => Fixture::synthetic(n),
        other => {
            eprintln!("unknown kind {other:?}");
            return ExitCode::from(2);
        }
    };
    match write_run(&PathBuf::from(dir), &fx) {
        Ok(()) => {
            eprintln!(
                "wrote {dir}: {} records, {} documents",
                fx.records.len(),
                fx.documents.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
