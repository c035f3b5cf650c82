//! `outpost`: finds reports of overseas police service stations in news archives.
//!
//! This binary only wires the outpost crates together; each subcommand lives in `cmd/<part>.rs`
//! as a clap `Args`/`Subcommand` type plus a `run` function.

mod cmd;

use clap::{Parser, Subcommand};

/// Finds reports of China's overseas police service stations in zh/es/en news archives.
#[derive(Debug, Parser)]
#[command(name = "outpost", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole pipeline over corpora and write candidate station records.
    Run(cmd::run::RunArgs),
    /// Score candidate records against gold station records.
    Eval(cmd::eval::EvalArgs),
    /// Merge candidate records from many articles into station entities.
    Link(cmd::link::LinkArgs),
    /// Train learned components (the record scorer).
    #[command(subcommand)]
    Train(cmd::train::TrainCmd),
    /// Print the JSON Schema of the station record.
    Schema,
    /// Build a self-contained HTML page to review candidate records.
    Review(cmd::review::ReviewArgs),
    /// Export records as JSON Lines, CSV, GeoJSON or Label Studio tasks.
    Export(cmd::export::ExportArgs),
    /// Bureau, station-term and place matching (find, eval, compile).
    #[command(subcommand)]
    Match(cmd::matcher::MatchCommand),
    /// Language identification: detect, eval, build-model.
    Langid(cmd::langid::LangidArgs),
    /// Entity tagger: train, tag, eval.
    #[command(subcommand)]
    Ner(cmd::ner::NerCmd),
    /// Parse addresses, find them in text, and score both.
    Address(cmd::address::AddressArgs),
    /// Synthetic scale corpora with planted station reports.
    #[command(subcommand)]
    Corpus(cmd::corpus::CorpusCmd),
    /// HTML main-text extraction: show what the readers take from pages, score the extractors.
    #[command(subcommand)]
    Extract(cmd::extract::ExtractCommand),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(a) => cmd::run::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Link(a) => cmd::link::run(a),
        Command::Train(c) => cmd::train::run(c),
        Command::Schema => cmd::schema::run(),
        Command::Review(args) => cmd::review::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Match(c) => cmd::matcher::run(c),
        Command::Langid(a) => cmd::langid::run(a),
        Command::Ner(c) => cmd::ner::run(c),
        Command::Address(args) => cmd::address::run(args),
        Command::Corpus(c) => cmd::corpus::run(c),
        Command::Extract(c) => cmd::extract::run(c),
    }
}
