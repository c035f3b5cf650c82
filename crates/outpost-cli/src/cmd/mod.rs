//! One module per subcommand, plus the shared set-up they need.

pub mod eval;
pub mod paths;
pub mod run;
pub mod schema;
pub mod setup;
