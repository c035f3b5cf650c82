//! One module per subcommand.

pub mod ner;
pub mod schema;
