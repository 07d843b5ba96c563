//! pydoctor: a doctor for Python environments.
//!
//! Data flows one way: `env` resolves environments, `engine` gathers facts and runs the rules
//! into findings, `fix` plans and applies edits atomically, `report` prints. Only `report` and
//! `main` print.

pub mod activate;
pub mod cli;
pub mod config;
pub mod engine;
pub mod env;
pub mod error;
pub mod fix;
pub mod mirrors;
pub mod paths;
pub mod report;
pub mod run;
pub mod scripts;
pub mod shebang;
