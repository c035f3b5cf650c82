//! One module per subcommand, plus the shared set-up they need.

pub mod address;
pub mod corpus;
pub mod eval;
pub mod export;
pub mod extract;
pub mod langid;
pub mod link;
pub mod matcher;
pub mod ner;
pub mod paths;
pub mod review;
pub mod run;
pub mod schema;
pub mod setup;
pub mod train;
