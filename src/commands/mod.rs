//! One module per command (as uv has it): each takes its parsed arguments and the Printer, and
//! returns an [`ExitStatus`]. Errors that stop a whole command bubble up to `main`.

mod fix;
mod info;
mod mirrors;
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
    if let Some(jobs) = cli.command.jobs() {
        // I/O-bound: threads wait on the filesystem, not on the CPU. Fails only when a pool
        // exists already (tests calling twice), which then serves as well.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs))
            .build_global();
    }
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
