//! One module per subcommand.

pub mod matcher;
pub mod schema;
