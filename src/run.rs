//! Running a parsed command line: resolve, scan, fix, and hand the results to `report`.
//! Returns the exit code; errors bubble up to `main`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command, FixArgs, Format};
use crate::engine::{self, EnvReport, Severity, rules};
use crate::env;
use crate::error::BadInput;
use crate::fix::{self, Scope};
use crate::paths;
use crate::report::{self, Verbosity};
use crate::shebang::Style;

/// Exit codes (DESIGN §1).
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;

fn verbosity(cli: &Cli) -> Verbosity {
    if cli.global.quiet {
        Verbosity::Quiet
    } else if cli.global.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    }
}

pub fn set_color(c: ColorWhen) {
    let choice = match c {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Buffered stdout that strips colour when stdout is not a terminal (or colour is off): a
/// report of 5,000 findings is one write, not one per line.
pub fn stdout() -> anstream::AutoStream<Box<dyn Write>> {
    let choice = anstream::AutoStream::choice(&std::io::stdout());
    let raw: Box<dyn Write> = Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock()));
    anstream::AutoStream::new(raw, choice)
}

fn print_json(v: &impl serde::Serialize) -> Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// An environment that could not be scanned or fixed, and why.
type EnvError = (String, String);

/// Scan every environment; environments that cannot be read are returned as errors so the
/// others are still reported.
fn scan_all(args: &[PathBuf]) -> Result<(Vec<EnvReport>, Vec<EnvError>)> {
    let rules = rules::load()?;
    let (envs, _source) = env::resolve(args)?;
    let names: Vec<String> = envs.iter().map(|e| e.root.display().to_string()).collect();
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for (name, r) in names.into_iter().zip(engine::scan(&rules, envs)) {
        match r {
            Ok(r) => reports.push(r),
            Err(e) => errors.push((name, format!("{e:#}"))),
        }
    }
    Ok((reports, errors))
}

fn print_env_errors(errors: &[EnvError]) {
    for (path, e) in errors {
        let _ = writeln!(anstream::stderr(), "error: {path}: {e}");
    }
}

fn cmd_scan(cli: &Cli, envs: &[PathBuf]) -> Result<u8> {
    let (reports, errors) = scan_all(envs)?;
    if cli.global.format == Format::Json {
        print_json(&report::json::scan(&reports, &errors))?;
    } else {
        let v = verbosity(cli);
        let mut out = stdout();
        for r in &reports {
            report::human::scan_env(&mut out, r, v)?;
        }
        print_env_errors(&errors);
        report::human::scan_summary(&mut out, &mut anstream::stderr(), &reports, v)?;
        out.flush()?;
    }
    if !errors.is_empty() {
        return Ok(EXIT_BAD_INPUT);
    }
    let worst = reports.iter().filter_map(EnvReport::worst).max();
    Ok(if worst == Some(Severity::Error) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

fn check_python(p: &Path) -> Result<PathBuf> {
    let abs = paths::logical_absolute(p)
        .map_err(|e| BadInput::new(format!("--python {}: {e}", p.display())))?;
    match std::fs::metadata(&abs) {
        Ok(m) if m.is_file() => Ok(abs),
        Ok(_) => Err(BadInput::new(format!("--python {} is not a file", p.display())).into()),
        Err(_) => Err(BadInput::new(format!("--python {} does not exist", p.display())).into()),
    }
}

fn cmd_fix(cli: &Cli, args: &FixArgs, scope: Scope) -> Result<u8> {
    let python = args.python.as_deref().map(check_python).transpose()?;
    let opts = fix::Options {
        dry_run: args.dry_run,
        python,
        style: if args.relocatable {
            Style::Relocatable
        } else {
            Style::Auto
        },
        scope,
    };
    let (reports, mut errors) = scan_all(&args.envs)?;
    let mut fixes = Vec::new();
    for r in &reports {
        match fix::fix_env(r, &opts) {
            Ok(f) => fixes.push(f),
            Err(e) => errors.push((r.env().root.display().to_string(), format!("{e:#}"))),
        }
    }
    if cli.global.format == Format::Json {
        print_json(&report::json::fix(&fixes, &errors))?;
    } else {
        let v = verbosity(cli);
        let mut out = stdout();
        for f in &fixes {
            report::human::fix_env(&mut out, f, v)?;
            for w in &f.warnings {
                writeln!(anstream::stderr(), "warning: {w}")?;
            }
        }
        out.flush()?;
        print_env_errors(&errors);
        if opts.dry_run && fixes.iter().any(|f| !f.changed.is_empty()) && v != Verbosity::Quiet {
            writeln!(
                anstream::stderr(),
                "hint: dry run, nothing was written; run again without --dry-run to apply"
            )?;
        }
    }
    if !errors.is_empty() {
        return Ok(EXIT_BAD_INPUT);
    }
    let incomplete = fixes
        .iter()
        .any(|f| !f.skipped.is_empty() || !f.failed.is_empty());
    Ok(if incomplete { EXIT_PROBLEMS } else { EXIT_OK })
}

pub fn run(cli: &Cli) -> Result<u8> {
    set_color(cli.global.color);
    match &cli.command {
        Command::Scan(a) => cmd_scan(cli, &a.envs),
        Command::FixShebang(a) => cmd_fix(cli, a, Scope::Shebangs),
        Command::Fix(a) => cmd_fix(cli, a, Scope::AllSafe),
        Command::Rules => {
            let rules = rules::load()?;
            if cli.global.format == Format::Json {
                print_json(&report::json::rules(&rules))?;
            } else {
                let mut out = stdout();
                report::human::rules(&mut out, &rules)?;
                out.flush()?;
            }
            Ok(EXIT_OK)
        }
        Command::Explain { rule } => {
            let rules = rules::load()?;
            let r = rules::find(&rules, rule).ok_or_else(|| {
                BadInput::new(format!("no rule {rule:?}")).hint("`pydoctor rules` lists them")
            })?;
            if cli.global.format == Format::Json {
                print_json(&serde_json::to_value(r).context("rule to JSON")?)?;
            } else {
                let mut out = stdout();
                report::human::explain(&mut out, r)?;
                out.flush()?;
            }
            Ok(EXIT_OK)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(*shell, &mut cmd, "pydoctor", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
    }
}
