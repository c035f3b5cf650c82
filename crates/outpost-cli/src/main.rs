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
    /// Print the JSON Schema of the station record.
    Schema,
    /// Parse addresses, find them in text, and score both.
    Address(cmd::address::AddressArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema => cmd::schema::run(),
        Command::Address(args) => cmd::address::run(args),
    }
}
