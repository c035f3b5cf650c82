//! outpost-extract
