//! outpost-lang
