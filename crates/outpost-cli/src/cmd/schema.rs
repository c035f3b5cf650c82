//! `outpost schema`: prints the JSON Schema of the station record.

/// Prints the schema to stdout.
pub fn run() -> anyhow::Result<()> {
    println!("{}", outpost_core::record::station_record_schema());
    Ok(())
}
