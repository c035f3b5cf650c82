//! Shared helpers for outpost's benchmarks (see `benches/`).

/// Path of the shared data folder beside the project root (`../shared/data`), as seen from this
/// package's manifest directory. Returns `None` when it does not exist.
pub fn shared_data() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
    p.exists().then_some(p)
}
