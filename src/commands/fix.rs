//! `pydoctor fix` and `pydoctor fix-shebang`: scan with the same rules as `scan`, then apply
//! the fixes the findings carry (or, with `--undo`, put back the last fix).

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{ExitStatus, print_discovery, print_env_errors};
use crate::cli::FixShebangArgs;
use crate::config::{self, UserConfig};
use crate::engine;
use crate::env::{self, EnvError, WhenNone};
use crate::error::BadInput;
use crate::fix::{self, EnvFix, Scope};
use crate::paths;
use crate::printer::Printer;
use crate::report;
use crate::shebang::Style;

fn check_python(p: &Path) -> Result<PathBuf> {
    let abs = paths::logical_absolute(p)
        .map_err(|e| BadInput::new(format!("--python {}: {e}", p.display())))?;
    match std::fs::metadata(&abs) {
        Ok(m) if m.is_file() => Ok(abs),
        Ok(_) => Err(BadInput::new(format!("--python {} is not a file", p.display())).into()),
        Err(_) => Err(BadInput::new(format!("--python {} does not exist", p.display())).into()),
    }
}

/// `fix --all` on a terminal: name the environments it would write to and ask. True to go on
/// (also when there is nothing to ask about, or no terminal to ask on).
fn ask_before_fixing_all(
    report: &engine::Report,
    opts: &fix::Options,
    printer: &mut Printer,
) -> bool {
    let to_fix: Vec<String> = report
        .envs
        .iter()
        .filter(|r| fix::has_work(r, opts))
        .map(|r| format!("  {}", r.env().root.display()))
        .collect();
    if to_fix.is_empty() {
        return true;
    }
    const SHOWN: usize = 20;
    let mut list = to_fix
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    if to_fix.len() > SHOWN {
        list.push_str(&format!("\n  ... and {} more", to_fix.len() - SHOWN));
    }
    let question = format!(
        "{list}\nfix these {} environments (of {} found)?",
        to_fix.len(),
        report.envs.len()
    );
    printer.confirm(&question).unwrap_or(true)
}

pub fn fix(
    cfg: &UserConfig,
    args: &FixShebangArgs,
    unsafe_fixes: bool,
    scope: Scope,
    printer: &mut Printer,
) -> Result<ExitStatus> {
    let python = args.python.as_deref().map(check_python).transpose()?;
    let rules = config::effective_rules(cfg, &args.rules.select, &args.rules.ignore)?;
    if args.all {
        printer.progress("looking for environments...");
    }
    let resolved = env::resolve(&args.envs, args.all, &cfg.env_roots, WhenNone::AskForAll)?;
    print_discovery(&resolved, printer);
    super::size_pool(
        args.jobs.jobs,
        resolved.envs.iter().map(|e| e.root.as_path()),
    );
    let mut errors = resolved.errors.clone();
    let mut fixes: Vec<EnvFix> = Vec::new();
    if args.undo {
        for e in resolved.envs {
            let path = e.root.clone();
            match fix::undo_env(e, args.dry_run) {
                Ok(f) => fixes.push(f),
                Err(err) => errors.push(EnvError {
                    path,
                    message: format!("{err:#}"),
                    hint: None,
                }),
            }
        }
    } else {
        let opts = fix::Options {
            dry_run: args.dry_run,
            python,
            style: if args.relocatable {
                Style::Relocatable
            } else {
                Style::Auto
            },
            scope,
            unsafe_fixes,
        };
        // Fixing needs no network checks.
        let counter = printer.counter("scanning", resolved.envs.len(), "environments");
        let report = engine::scan(
            &rules,
            resolved.envs,
            engine::ScanOptions { offline: true },
            &|| counter.tick(),
        );
        errors.extend(report.errors.iter().cloned());
        if args.all && !args.dry_run && !args.yes && !ask_before_fixing_all(&report, &opts, printer)
        {
            printer.note("nothing was written");
            return Ok(ExitStatus::Success);
        }
        for (i, r) in report.envs.iter().enumerate() {
            printer.progress(format!("fixing {}/{}...", i + 1, report.envs.len()));
            match fix::fix_env(r, &opts) {
                Ok(f) => fixes.push(f),
                Err(e) => errors.push(EnvError {
                    path: r.env().root.clone(),
                    message: format!("{e:#}"),
                    hint: None,
                }),
            }
        }
        let machine = fix::fix_machine(&report.machine, &opts);
        if !machine.changed.is_empty() || machine.incomplete() {
            fixes.push(machine);
        }
    }

    if printer.is_json() {
        printer.json(&report::json::fix(&fixes, &errors))?;
    } else {
        let v = printer.verbosity();
        for f in &fixes {
            report::human::fix_env(printer.out(), f, v)?;
        }
        for w in fixes.iter().flat_map(|f| &f.warnings) {
            printer.warning(w);
        }
        print_env_errors(&errors, printer);
        if fixes.iter().any(|f| !f.changed.is_empty()) {
            if args.dry_run {
                printer.hint("dry run, nothing was written; run again without --dry-run to apply");
            } else if !args.undo {
                printer.hint("--undo puts these changes back");
            }
        }
    }
    Ok(if !errors.is_empty() {
        ExitStatus::BadInput
    } else if fixes.iter().any(EnvFix::incomplete) {
        ExitStatus::Problems
    } else {
        ExitStatus::Success
    })
}
