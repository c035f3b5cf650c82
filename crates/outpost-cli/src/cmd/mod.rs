//! One module per subcommand.

pub mod export;
pub mod review;
pub mod schema;
