//! One module per subcommand.

pub mod address;
pub mod schema;
