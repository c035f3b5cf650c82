//! Where the shipped models are: one search shared by every crate that loads tables.

use std::path::{Path, PathBuf};

/// Finds the models subfolder `sub` (e.g. `"match"`): `$OUTPOST_MODELS/<sub>` when
/// `OUTPOST_MODELS` is set; else the first `models/<sub>` holding the file `marker`, searched from
/// the current directory upwards, then from the running executable's folder upwards
/// (`target/release/outpost` inside a checkout). `None` when neither finds one; callers choose
/// their fallback.
///
/// ```
/// if let Some(d) = outpost_core::paths::find_models_subdir("match", "cities.bin") {
///     assert!(d.ends_with("match"));
/// }
/// ```
pub fn find_models_subdir(sub: &str, marker: &str) -> Option<PathBuf> {
    if let Some(m) = std::env::var_os("OUTPOST_MODELS") {
        return Some(PathBuf::from(m).join(sub));
    }
    let starts = [
        std::env::current_dir().ok(),
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf)),
    ];
    for mut d in starts.into_iter().flatten() {
        loop {
            let cand = d.join("models").join(sub);
            if cand.join(marker).exists() {
                return Some(cand);
            }
            if !d.pop() {
                break;
            }
        }
    }
    None
}
