//! One module per subcommand.

pub mod langid;
pub mod schema;
