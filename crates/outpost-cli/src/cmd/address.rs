//! `outpost address parse|eval|detect`: the address parser and detector.

use anyhow::Context;
use clap::{Args, Subcommand};
use outpost_address::{eval, AddressDetector, AddressParser};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Address parsing and detection.
#[derive(Debug, Args)]
pub struct AddressArgs {
    /// Folder of the compiled tables (default: `$OUTPOST_MODELS/address`, else `models/address`).
    #[arg(long, global = true)]
    models: Option<PathBuf>,
    /// Build the tables from this shared data directory instead of loading the compiled ones
    /// (to try table changes before `compile`).
    #[arg(long, global = true, conflicts_with = "models")]
    from_data: Option<PathBuf>,
    #[command(subcommand)]
    command: AddressCommand,
}

#[derive(Debug, Subcommand)]
enum AddressCommand {
    /// Parse addresses given as arguments (or one per line on stdin); prints one JSON object per
    /// address.
    Parse {
        /// Addresses; read stdin when none.
        addresses: Vec<String>,
    },
    /// Score the parser on a labelled JSONL suite (shared/data/address/*.jsonl).
    Eval {
        /// The suite.
        file: PathBuf,
        /// Print one JSON object only.
        #[arg(long)]
        json: bool,
        /// Print the failing cases (input, expected, got) to stderr.
        #[arg(long)]
        show_failures: bool,
    },
    /// Find addresses in text (arguments or stdin lines); prints one JSON object per found address.
    Detect {
        /// Texts; read stdin when none.
        texts: Vec<String>,
    },
    /// Build the compiled tables (`models/address`) from the shared data directory.
    Compile {
        /// The shared data directory (holding `address/` and `gazetteer/`).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Output folder.
        #[arg(short = 'o', long, default_value = "models/address")]
        out: PathBuf,
    },
    /// Score the Chinese division levels (state / city / city_district, NAACL-style accuracy) on
    /// the dev suite of `outpost_address::zh_dev`: forms rendered from the gazetteer and perturbed
    /// real addresses from `cpca_addr_unlabelled.csv`. Reads no test file.
    EvalZhDev {
        /// The shared data directory (holding `address/` and `gazetteer/`).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Print one JSON object only.
        #[arg(long)]
        json: bool,
        /// Print the failing cases (kind, input, expected, got) to stderr.
        #[arg(long)]
        show_failures: bool,
    },
    /// Score the detector on pyap.jsonl-style running-text cases.
    EvalDetect {
        /// The suite (pyap.jsonl).
        file: PathBuf,
        /// Print one JSON object only.
        #[arg(long)]
        json: bool,
    },
}

fn inputs(args: Vec<String>) -> anyhow::Result<Vec<String>> {
    if !args.is_empty() {
        return Ok(args);
    }
    let mut out = Vec::new();
    for line in std::io::stdin().lock().lines() {
        out.push(line.context("reading stdin")?);
    }
    Ok(out)
}

/// Runs the subcommand.
pub fn run(args: AddressArgs) -> anyhow::Result<()> {
    if let AddressCommand::Compile { data, out } = &args.command {
        let parser = AddressParser::from_data(data)
            .with_context(|| format!("building the address tables from {}", data.display()))?;
        let summary = parser
            .compile(out)
            .with_context(|| format!("writing the compiled tables to {}", out.display()))?;
        println!("{}", serde_json::to_string(&summary)?);
        return Ok(());
    }
    let parser = match (&args.from_data, &args.models) {
        (Some(d), _) => AddressParser::from_data(d)
            .with_context(|| format!("building the address tables from {}", d.display()))?,
        (None, Some(m)) => AddressParser::load_dir(m)
            .with_context(|| format!("loading the address tables from {}", m.display()))?,
        (None, None) => AddressParser::load().with_context(|| {
            format!(
                "loading the address tables from {} (build them with `outpost address compile`)",
                outpost_address::compiled::default_models_dir().display()
            )
        })?,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.command {
        AddressCommand::Parse { addresses } => {
            for a in inputs(addresses)? {
                let p = parser.parse(&a);
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"input": a, "components": p.components, "admin": p.admin, "official": p.official, "country_code": p.country_code})
                )?;
            }
        }
        AddressCommand::EvalZhDev {
            data,
            json,
            show_failures,
        } => {
            let mut dev = outpost_address::zh_dev::synthetic_cases(&data.join("gazetteer"))?;
            dev.extend(outpost_address::zh_dev::pattern_cases());
            dev.extend(outpost_address::zh_dev::perturbed_cases(
                &data.join("address/cpca_addr_unlabelled.csv"),
                &parser,
            )?);
            let mut kinds: Vec<&str> = dev.iter().map(|d| d.kind).collect();
            kinds.sort();
            kinds.dedup();
            let acc = |r: &eval::EvalReport, l: &str| {
                r.per_label.get(l).map(|s| s.accuracy).unwrap_or(1.0)
            };
            let mut per_kind = serde_json::Map::new();
            for k in kinds.iter().copied().chain(["all"]) {
                let cases: Vec<eval::Case> = dev
                    .iter()
                    .filter(|d| k == "all" || d.kind == k)
                    .map(|d| d.case.clone())
                    .collect();
                let r = eval::evaluate(&parser, &cases, 0);
                per_kind.insert(
                    k.to_string(),
                    serde_json::json!({"cases": r.cases, "full_parse_failure": r.full_parse_failure,
                        "state": acc(&r, "state"), "city": acc(&r, "city"),
                        "city_district": acc(&r, "city_district")}),
                );
                if show_failures && k != "all" {
                    for c in &cases {
                        let p = parser.parse(&c.input);
                        if !eval::case_ok(c, &p) {
                            eprintln!(
                                "{k}\t{}\texp={:?}\tgot={:?}",
                                c.input, c.expected, p.components
                            );
                        }
                    }
                }
            }
            if json {
                writeln!(out, "{}", serde_json::Value::Object(per_kind))?;
            } else {
                for (k, v) in per_kind {
                    writeln!(out, "{k:28} {v}")?;
                }
            }
        }
        AddressCommand::Eval {
            file,
            json,
            show_failures,
        } => {
            let (cases, skipped) = eval::load_cases(&file)?;
            let report = eval::evaluate(&parser, &cases, skipped);
            if show_failures {
                for c in &cases {
                    let p = parser.parse(&c.input);
                    if !eval::case_ok(c, &p) {
                        eprintln!(
                            "{}\t{}\texp={:?}\tgot={:?}",
                            c.country.as_deref().unwrap_or("??"),
                            c.input,
                            c.expected,
                            p.components
                        );
                    }
                }
            }
            if json {
                writeln!(out, "{}", serde_json::to_string(&report)?)?;
            } else {
                writeln!(
                    out,
                    "{}: {} cases, full parse failure {:.2}%, {:.0} addresses/s",
                    file.display(),
                    report.cases,
                    report.full_parse_failure,
                    report.addresses_per_second
                )?;
                for (cc, s) in &report.per_country {
                    writeln!(out, "  {cc}\t{}\t{:.1}%", s.cases, s.failure)?;
                }
                for (l, s) in &report.per_label {
                    writeln!(
                        out,
                        "  {l:<16} P {:.3} R {:.3} F1 {:.3} acc {:.3} (n={})",
                        s.precision, s.recall, s.f1, s.accuracy, s.support
                    )?;
                }
            }
        }
        AddressCommand::Detect { texts } => {
            let det = AddressDetector::new(parser);
            for t in inputs(texts)? {
                for f in det.find(&t) {
                    writeln!(
                        out,
                        "{}",
                        serde_json::json!({"text": &t[f.start..f.end], "start": f.start, "end": f.end, "score": f.score, "components": f.parse.components})
                    )?;
                }
            }
        }
        AddressCommand::EvalDetect { file, json } => {
            let det = AddressDetector::new(parser);
            let report = outpost_address::detect::evaluate_pyap(&det, &file)?;
            if json {
                writeln!(out, "{}", serde_json::to_string(&report)?)?;
            } else {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            }
        }
        AddressCommand::Compile { .. } => {}
    }
    Ok(())
}
