//! One module per command (as uv has it): each takes its parsed arguments and the Printer, and
//! returns an [`ExitStatus`]. Errors that stop a whole command bubble up to `main`.

mod fix;
mod info;
pub mod mirrors;
mod scan;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config;
use crate::env::EnvError;
use crate::printer::Printer;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Healthy, all fixed, or nothing to do.
    Success,
    /// Problems found, or some left unfixed.
    Problems,
    /// The input was wrong (an ENV that is no environment, an unknown rule...).
    BadInput,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        ExitCode::from(match s {
            ExitStatus::Success => 0,
            ExitStatus::Problems => 1,
            ExitStatus::BadInput => 2,
        })
    }
}

pub fn run(cli: &Cli, printer: &mut Printer) -> Result<ExitStatus> {
    match &cli.command {
        Command::Scan(a) => scan::scan(&config::load(a.output.config.as_deref())?, a, printer),
        Command::FixShebang(a) => {
            let cfg = config::load(a.output.config.as_deref())?;
            fix::fix(&cfg, a, false, crate::fix::Scope::Shebangs, printer)
        }
        Command::Fix(a) => {
            let cfg = config::load(a.common.output.config.as_deref())?;
            fix::fix(
                &cfg,
                &a.common,
                a.unsafe_fixes,
                crate::fix::Scope::AllRules,
                printer,
            )
        }
        Command::Mirrors(a) => {
            mirrors::mirrors(&config::load(a.output.config.as_deref())?, a, printer)
        }
        Command::Rules { .. } => info::rules(printer),
        Command::Explain { rule, .. } => info::explain(rule, printer),
        Command::Completions { shell } => info::completions(*shell, printer),
    }
}

/// In flight on a network filesystem: enough to hide 0.5-2 ms round trips (bench/netfs.sh).
const NETWORK_JOBS: usize = 64;

/// Size the worker pool before any file work: `--jobs` when given; else many threads when an
/// environment is on a network filesystem (each operation waits a round trip there), one per
/// core on a local disk (where 64 threads only contend for a folder's lock: measured slower).
fn size_pool<'a>(jobs: Option<u16>, roots: impl Iterator<Item = &'a std::path::Path>) {
    let threads = match jobs {
        Some(n) => usize::from(n),
        None if roots.take(64).any(crate::paths::on_network_fs) => NETWORK_JOBS,
        None => std::thread::available_parallelism().map_or(2, usize::from),
    };
    // Fails only when a pool exists already (a second command in one process).
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global();
}

/// Errors about single environments, after the report (human mode; JSON carries them).
fn print_env_errors(errors: &[EnvError], printer: &mut Printer) {
    if printer.is_json() {
        return;
    }
    for e in errors {
        // Messages about an argument already name it ("/x: no such directory").
        let path = e.path.display().to_string();
        if e.message.starts_with(&path) {
            printer.error(&e.message);
        } else {
            printer.error(format!("{path}: {}", e.message));
        }
        if let Some(h) = &e.hint {
            printer.hint(h);
        }
    }
}

/// Say what discovery found and could not read.
fn print_discovery(resolved: &crate::env::Resolved, printer: &mut Printer) {
    if !resolved.discovered {
        return;
    }
    let mut by_source: Vec<(&str, usize)> = Vec::new();
    for e in &resolved.envs {
        let s = e.source.as_deref().unwrap_or_default();
        match by_source.iter_mut().find(|(k, _)| *k == s) {
            Some((_, n)) => *n += 1,
            None => by_source.push((s, 1)),
        }
    }
    let parts: Vec<String> = by_source.iter().map(|(s, n)| format!("{n} {s}")).collect();
    printer.note(format!(
        "discovered {} environments: {}",
        resolved.envs.len(),
        parts.join(", ")
    ));
    for p in &resolved.problems {
        printer.warning(format!("could not read {p}"));
    }
}
