//! Running a parsed command line: resolve, scan, fix, and hand the results to `report`.
//! Returns the exit code; errors bubble up to `main`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command, FailOn, FixArgs, Format, MirrorsArgs, ScanArgs};
use crate::config::{self, UserConfig};
use crate::engine::{self, EnvReport, Severity, rules};
use crate::env;
use crate::error::BadInput;
use crate::fix::{self, Scope};
use crate::mirrors;
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

/// What to scan and with which rules.
struct ScanPlan<'a> {
    args: &'a [PathBuf],
    all: bool,
    rules: Vec<std::sync::Arc<rules::Rule>>,
    opts: engine::ScanOptions,
    quiet: bool,
}

/// Scan every environment; environments that cannot be read are returned as errors so the
/// others are still reported.
fn scan_all(cfg: &UserConfig, plan: ScanPlan) -> Result<(Vec<EnvReport>, Vec<EnvError>)> {
    let resolved = env::resolve(plan.args, plan.all, &cfg.env_roots)?;
    if resolved.source == env::Source::Discovered && !plan.quiet {
        let mut by_source: Vec<(String, usize)> = Vec::new();
        for e in &resolved.envs {
            let s = e.source.clone().unwrap_or_default();
            match by_source.iter_mut().find(|(k, _)| *k == s) {
                Some((_, n)) => *n += 1,
                None => by_source.push((s, 1)),
            }
        }
        let parts: Vec<String> = by_source.iter().map(|(s, n)| format!("{n} {s}")).collect();
        let _ = writeln!(
            anstream::stderr(),
            "discovered {} environments: {}",
            resolved.envs.len(),
            parts.join(", ")
        );
        for p in &resolved.problems {
            let _ = writeln!(anstream::stderr(), "warning: could not read {p}");
        }
    }
    let envs = resolved.envs;
    // A progress note for long machine-wide scans, on a terminal only (never in JSON or pipes).
    let progress =
        !plan.quiet && envs.len() > 1 && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if progress {
        let _ = write!(
            std::io::stderr(),
            "scanning {} environments...\r",
            envs.len()
        );
    }
    let names: Vec<String> = envs.iter().map(|e| e.root.display().to_string()).collect();
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for (name, r) in names
        .into_iter()
        .zip(engine::scan(&plan.rules, envs, plan.opts))
    {
        match r {
            Ok(r) => reports.push(r),
            Err(e) => errors.push((name, format!("{e:#}"))),
        }
    }
    if progress {
        let _ = write!(std::io::stderr(), "\x1b[2K");
    }
    Ok((reports, errors))
}

fn print_env_errors(errors: &[EnvError]) {
    for (path, e) in errors {
        let _ = writeln!(anstream::stderr(), "error: {path}: {e}");
    }
}

fn cmd_scan(cli: &Cli, cfg: &UserConfig, a: &ScanArgs) -> Result<u8> {
    let plan = ScanPlan {
        args: &a.envs,
        all: a.all,
        rules: config::effective_rules(cfg, &a.select, &a.ignore)?,
        opts: engine::ScanOptions { offline: a.offline },
        quiet: cli.global.quiet || cli.global.format == Format::Json,
    };
    let (reports, errors) = scan_all(cfg, plan)?;
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
    let threshold = match a.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let worst = reports.iter().filter_map(EnvReport::worst).max();
    Ok(if worst.is_some_and(|w| w >= threshold) {
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

fn print_fixes(cli: &Cli, fixes: &[fix::EnvFix], errors: &[EnvError], dry_run: bool) -> Result<()> {
    if cli.global.format == Format::Json {
        return print_json(&report::json::fix(fixes, errors));
    }
    let v = verbosity(cli);
    let mut out = stdout();
    for f in fixes {
        report::human::fix_env(&mut out, f, v)?;
        for w in &f.warnings {
            writeln!(anstream::stderr(), "warning: {w}")?;
        }
    }
    out.flush()?;
    print_env_errors(errors);
    if dry_run && fixes.iter().any(|f| !f.changed.is_empty()) && v != Verbosity::Quiet {
        writeln!(
            anstream::stderr(),
            "hint: dry run, nothing was written; run again without --dry-run to apply"
        )?;
    } else if !dry_run && fixes.iter().any(|f| !f.changed.is_empty()) && v != Verbosity::Quiet {
        writeln!(anstream::stderr(), "hint: --undo puts these changes back")?;
    }
    Ok(())
}

fn exit_for(fixes: &[fix::EnvFix], errors: &[EnvError]) -> u8 {
    if !errors.is_empty() {
        return EXIT_BAD_INPUT;
    }
    let incomplete = fixes
        .iter()
        .any(|f| !f.skipped.is_empty() || !f.failed.is_empty());
    if incomplete { EXIT_PROBLEMS } else { EXIT_OK }
}

fn cmd_fix(cli: &Cli, cfg: &UserConfig, args: &FixArgs, scope: Scope) -> Result<u8> {
    if args.undo {
        let envs = env::resolve(&args.envs, false, &cfg.env_roots)?.envs;
        let mut fixes = Vec::new();
        let mut errors = Vec::new();
        for e in envs {
            let name = e.root.display().to_string();
            match fix::undo_env(e, args.dry_run) {
                Ok(f) => fixes.push(f),
                Err(err) => errors.push((name, format!("{err:#}"))),
            }
        }
        print_fixes(cli, &fixes, &errors, args.dry_run)?;
        return Ok(exit_for(&fixes, &errors));
    }
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
        unsafe_fixes: args.unsafe_fixes,
    };
    // Fixing needs no network checks.
    let plan = ScanPlan {
        args: &args.envs,
        all: false,
        rules: config::effective_rules(cfg, &[], &[])?,
        opts: engine::ScanOptions { offline: true },
        quiet: cli.global.quiet || cli.global.format == Format::Json,
    };
    let (reports, mut errors) = scan_all(cfg, plan)?;
    let mut fixes = Vec::new();
    for r in &reports {
        match fix::fix_env(r, &opts) {
            Ok(f) => fixes.push(f),
            Err(e) => errors.push((r.env().root.display().to_string(), format!("{e:#}"))),
        }
    }
    print_fixes(cli, &fixes, &errors, opts.dry_run)?;
    Ok(exit_for(&fixes, &errors))
}

fn cmd_mirrors(cli: &Cli, cfg: &UserConfig, a: &MirrorsArgs) -> Result<u8> {
    let v = verbosity(cli);
    let json = cli.global.format == Format::Json;
    if a.revert {
        let changes = mirrors::config::revert(a.dry_run)?;
        if json {
            print_json(&serde_json::json!({ "reverted": changes, "dry_run": a.dry_run }))?;
        } else {
            let mut out = stdout();
            report::human::config_changes(&mut out, &changes, a.dry_run, "restored")?;
            out.flush()?;
        }
        return Ok(EXIT_OK);
    }
    let mut list = Vec::new();
    if a.mirror.is_empty() {
        list = mirrors::defaults()?;
        list.extend(cfg.mirror.iter().cloned());
    } else {
        for m in &a.mirror {
            list.push(mirrors::parse_mirror_arg(m)?);
        }
    }
    let opts = mirrors::probe::Options {
        packages: a.package.clone(),
        timeout: std::time::Duration::from_secs_f64(a.timeout),
        samples: a.samples as usize,
        ..Default::default()
    };
    let named = match a.apply.as_deref() {
        Some(name) if !name.is_empty() => Some(
            list.iter()
                .find(|m| m.name == name)
                .cloned()
                .ok_or_else(|| {
                    BadInput::new(format!("--apply {name}: no such mirror"))
                        .hint("`pydoctor mirrors` lists them; add your own with --mirror NAME=URL")
                })?,
        ),
        _ => None,
    };
    let progress = cli.global.format == Format::Human
        && v != Verbosity::Quiet
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if progress {
        let _ = write!(
            std::io::stderr(),
            "probing {} mirrors (at most {:.1} s)...\r",
            list.len(),
            a.timeout
        );
    }
    let mut probes = mirrors::probe::probe_all(&list, &opts)?;
    let mut fastest = mirrors::rank::rank(&mut probes);
    if a.download && fastest.is_some() {
        if progress {
            let _ = write!(
                std::io::stderr(),
                "\x1b[2Kdownloading from the best mirrors...\r"
            );
        }
        mirrors::probe::download_top(&mut probes, 3, opts.timeout)?;
        fastest = mirrors::rank::rank_by_throughput(&mut probes);
    }
    if progress {
        let _ = write!(std::io::stderr(), "\x1b[2K");
    }
    let usable = probes.iter().any(|p| p.ok);

    let to_apply = match (&a.apply, named) {
        (Some(_), Some(m)) => Some(m.url),
        (Some(_), None) => match &fastest {
            Some(f) => probes.iter().find(|p| &p.name == f).map(|p| p.url.clone()),
            None => {
                return Err(anyhow::anyhow!("no usable, up-to-date mirror to apply"));
            }
        },
        (None, _) => None,
    };
    let changes = match &to_apply {
        Some(url) => mirrors::config::apply(url, a.dry_run)?,
        None => Vec::new(),
    };
    let warnings = if to_apply.is_some() {
        mirrors::config::overrides()
    } else {
        Vec::new()
    };

    if json {
        print_json(&serde_json::json!({
            "mirrors": probes,
            "fastest": fastest,
            "applied": to_apply.as_ref().map(|u| serde_json::json!({
                "url": u, "dry_run": a.dry_run, "changes": changes, "warnings": warnings,
            })),
        }))?;
    } else {
        let mut out = stdout();
        report::human::mirrors(
            &mut out,
            &probes,
            fastest.as_deref(),
            a.fastest || a.apply.is_some(),
            v,
        )?;
        if to_apply.is_some() {
            writeln!(out)?;
            report::human::config_changes(&mut out, &changes, a.dry_run, "updated")?;
        }
        out.flush()?;
        for w in &warnings {
            writeln!(anstream::stderr(), "warning: {w}")?;
        }
        if !changes.is_empty() && !a.dry_run && v != Verbosity::Quiet {
            writeln!(
                anstream::stderr(),
                "hint: `pydoctor mirrors --revert` restores the previous files"
            )?;
        }
    }
    Ok(if usable { EXIT_OK } else { EXIT_PROBLEMS })
}

pub fn run(cli: &Cli) -> Result<u8> {
    set_color(cli.global.color);
    let cfg = config::load(cli.global.config.as_deref())?;
    match &cli.command {
        Command::Scan(a) => cmd_scan(cli, &cfg, a),
        Command::FixShebang(a) => cmd_fix(cli, &cfg, a, Scope::Shebangs),
        Command::Fix(a) => cmd_fix(cli, &cfg, a, Scope::AllSafe),
        Command::Mirrors(a) => cmd_mirrors(cli, &cfg, a),
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
