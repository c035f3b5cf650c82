//! Where the shipped models and the shared data live.

use std::path::PathBuf;

/// The models directory: `--models`, else `$OUTPOST_MODELS`, else `./models` when it exists, else
/// the `models/` of the source tree the binary was built from.
pub fn models_dir(flag: Option<PathBuf>) -> PathBuf {
    if let Some(p) = flag {
        return p;
    }
    if let Some(p) = std::env::var_os("OUTPOST_MODELS") {
        return PathBuf::from(p);
    }
    let local = PathBuf::from("models");
    if local.is_dir() {
        return local;
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models"))
}
