//! `pydoctor scan`: find problems in environments and on the machine.

use anyhow::Result;

use super::{ExitStatus, print_discovery, print_env_errors};
use crate::cli::{FailOn, ScanArgs};
use crate::config::{self, UserConfig};
use crate::engine::{self, Severity};
use crate::env::{self, WhenNone};
use crate::printer::Printer;
use crate::report;

pub fn scan(cfg: &UserConfig, args: &ScanArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let rules = config::effective_rules(cfg, &args.rules.select, &args.rules.ignore)?;
    if args.envs.is_empty() {
        printer.progress("looking for environments...");
    }
    let resolved = env::resolve(&args.envs, args.all, &cfg.env_roots, WhenNone::Discover)?;
    print_discovery(&resolved, printer);
    super::size_pool(
        args.jobs.jobs,
        resolved.envs.iter().map(|e| e.root.as_path()),
    );
    let opts = engine::ScanOptions {
        offline: args.offline,
    };
    let counter = printer.counter("scanning", resolved.envs.len(), "environments");
    let mut report = engine::scan(&rules, resolved.envs, opts, &|| counter.tick());
    let mut errors = resolved.errors;
    errors.append(&mut report.errors);
    report.errors = errors;

    if printer.is_json() {
        printer.json(&report::json::scan(&report))?;
    } else {
        let v = printer.verbosity();
        report::human::scan(printer.out(), &report, v)?;
        print_env_errors(&report.errors, printer);
        report::human::scan_hints(&report, printer);
    }
    if !report.errors.is_empty() {
        return Ok(ExitStatus::BadInput);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    Ok(if report.worst().is_some_and(|w| w >= threshold) {
        ExitStatus::Problems
    } else {
        ExitStatus::Success
    })
}
