//! pydoctor: a doctor for Python environments.
//!
//! Data flows one way: `cli` parses, `commands` runs one command, `env` resolves
//! environments, `engine` gathers facts and runs the `rules` into findings that carry their
//! fixes, `fix` turns the fixes into jobs, `write` applies them atomically, and the `printer`
//! (with `report`'s renderers) is the only place that prints.

pub mod activate;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod engine;
pub mod env;
pub mod error;
pub mod fix;
pub mod fsread;
pub mod mirrors;
pub mod paths;
pub mod pipconf;
pub mod printer;
pub mod report;
pub mod rules;
pub mod scripts;
pub mod shebang;
pub mod write;
