//! outpost-match
