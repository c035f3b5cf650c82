//! outpost-ner
