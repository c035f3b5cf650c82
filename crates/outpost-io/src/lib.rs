//! outpost-io
