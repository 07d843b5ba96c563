//! Fixes follow findings: `fix` applies exactly the fixes carried by the findings that `scan`
//! shows with the same options. `plan` turns each finding's [`FixAction`] into a job (pure new
//! bytes from current bytes), `write` applies the batch crash-safely and journals it.

pub mod edit;
pub mod plan;
pub mod relink;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::engine::{EnvReport, Finding, MachineReport, Severity};
use crate::env::Env;
use crate::rules::{Applicability, FixAction};
use crate::shebang::Style;
use crate::write::{self, Job, Outcome, journal};

/// Which findings a command fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `fix-shebang`: the interpreter lines of scripts in `bin/`.
    Shebangs,
    /// `fix`: every rule.
    AllRules,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub dry_run: bool,
    pub python: Option<PathBuf>,
    pub style: Style,
    pub scope: Scope,
    /// Also apply fixes marked unsafe (they change behaviour beyond repairing).
    pub unsafe_fixes: bool,
}

#[derive(Debug, Clone)]
pub struct Changed {
    pub path: PathBuf,
    pub from: String,
    pub to: String,
    pub diff: String,
}

#[derive(Debug, Clone)]
pub struct NotDone {
    pub path: PathBuf,
    pub reason: String,
}

/// What fixing one environment (or the machine's user files) did.
#[derive(Debug)]
pub struct EnvFix {
    /// `None`: the user's files (kernelspecs, IPython profile) that machine findings name.
    pub env: Option<Env>,
    pub dry_run: bool,
    pub changed: Vec<Changed>,
    /// Problems deliberately left alone, with the reason.
    pub skipped: Vec<NotDone>,
    /// Files that could not be written; each is as it was.
    pub failed: Vec<NotDone>,
    pub warnings: Vec<String>,
    /// Temp files from an interrupted earlier run that were removed.
    pub stale_temps_removed: usize,
}

impl EnvFix {
    fn new(env: Option<Env>, dry_run: bool) -> EnvFix {
        EnvFix {
            env,
            dry_run,
            changed: Vec::new(),
            skipped: Vec::new(),
            failed: Vec::new(),
            warnings: Vec::new(),
            stale_temps_removed: 0,
        }
    }

    /// File one job's outcome under changed, skipped or failed.
    fn record(&mut self, path: PathBuf, from: String, to: String, outcome: Outcome) {
        match outcome {
            Outcome::Unchanged => {}
            Outcome::Changed { diff, .. } => self.changed.push(Changed {
                path,
                from,
                to,
                diff,
            }),
            Outcome::Refused(reason) => self.skipped.push(NotDone { path, reason }),
            Outcome::Failed(reason) => self.failed.push(NotDone { path, reason }),
        }
    }

    /// Some problem is left: a file skipped or failed.
    pub fn incomplete(&self) -> bool {
        !self.skipped.is_empty() || !self.failed.is_empty()
    }
}

/// A job and how to describe it (`from -> to`).
pub struct Planned {
    pub job: Job,
    pub from: String,
    pub to: String,
}

/// What `opts` does with finding `f`: `Ok(Some(action))` applies it, `Ok(None)` leaves it for
/// the report, `Err(reason)` reports it as skipped (an error nobody will repair in this run).
fn decide<'a>(f: &'a Finding, opts: &Options) -> Result<Option<&'a FixAction>, String> {
    if opts.scope == Scope::Shebangs && !f.rule.code.in_fix_shebang() {
        return Ok(None);
    }
    let leave = |reason: String| {
        if f.severity() == Severity::Error {
            Err(reason)
        } else {
            Ok(None)
        }
    };
    let title = &f.rule.title;
    let Some(fix) = &f.fix else {
        return leave(format!(
            "{title}; no automatic fix (`pydoctor explain {}`)",
            f.rule.id
        ));
    };
    match fix.applicability {
        Applicability::Safe => Ok(Some(&fix.action)),
        Applicability::Unsafe if opts.unsafe_fixes && opts.scope == Scope::AllRules => {
            Ok(Some(&fix.action))
        }
        Applicability::Unsafe | Applicability::Manual => leave(format!("{title}; {}", fix.command)),
    }
}

/// Refuse to write through a `bin/` that is a symlink leading out of the environment.
fn check_bin_inside(env: &Env) -> Result<()> {
    let bin = env.bin();
    let (Ok(bin_real), Ok(root_real)) = (fs::canonicalize(&bin), fs::canonicalize(&env.root))
    else {
        return Ok(());
    };
    if !bin_real.starts_with(&root_real) {
        bail!(
            "{} leads outside the environment (to {}); refusing to write there",
            bin.display(),
            bin_real.display()
        );
    }
    Ok(())
}

/// Apply the fixes of one scanned environment's findings that `opts` selects.
pub fn fix_env(report: &EnvReport, opts: &Options) -> Result<EnvFix> {
    let env = report.facts.env.clone();
    check_bin_inside(&env)?;
    let mut fix = EnvFix::new(Some(env.clone()), opts.dry_run);
    let mut planned = Vec::new();
    let mut shebangs = Vec::new();
    let mut relinked = false;
    for f in &report.findings {
        match decide(f, opts) {
            Err(reason) => fix.skipped.push(NotDone {
                path: f.path.clone(),
                reason,
            }),
            Ok(None) => {}
            Ok(Some(FixAction::Shebang)) => shebangs.push(f.path.as_path()),
            // PD110 and PD111 share one relink.
            Ok(Some(FixAction::Relink { .. })) if relinked => {}
            Ok(Some(FixAction::Relink { base })) => {
                relinked = true;
                for (link, old) in relink::relink(&env, base, opts.dry_run)? {
                    fix.changed.push(Changed {
                        path: link,
                        from: old.display().to_string(),
                        to: base.display().to_string(),
                        diff: String::new(),
                    });
                }
            }
            Ok(Some(action)) => match plan::file_job(f, action, &env.root) {
                Ok(p) => planned.push(p),
                Err(reason) => fix.skipped.push(NotDone {
                    path: f.path.clone(),
                    reason,
                }),
            },
        }
    }
    planned.extend(plan::shebang_jobs(
        &report.facts,
        &shebangs,
        opts,
        &mut fix.skipped,
    ));

    // Serialise writers on this environment; clean up after a run that was killed.
    let _lock = (!opts.dry_run).then(|| write::lock_dir(&env.root));
    if !opts.dry_run {
        for dir in [env.bin(), env.root.clone(), journal::dir(&env.root)] {
            match write::remove_stale_temps(&dir) {
                Ok(n) => fix.stale_temps_removed += n,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => fix.warnings.push(format!(
                    "could not clean temp files in {}: {e}",
                    dir.display()
                )),
            }
        }
    }
    let root = env.root.clone();
    let journal = |edits: &[(&Path, &write::Edit)]| journal::write(&root, edits).map(|_| ());
    apply(&mut fix, planned, opts.dry_run, Some(&journal));
    Ok(fix)
}

/// Apply the fixes of the machine's findings (the user's kernelspecs, IPython profile).
pub fn fix_machine(report: &MachineReport, opts: &Options) -> EnvFix {
    let mut fix = EnvFix::new(None, opts.dry_run);
    let mut planned = Vec::new();
    for f in &report.findings {
        match decide(f, opts) {
            Err(reason) => fix.skipped.push(NotDone {
                path: f.path.clone(),
                reason,
            }),
            Ok(None) => {}
            Ok(Some(action)) => {
                let root = f.path.parent().unwrap_or(Path::new("/"));
                match plan::file_job(f, action, root) {
                    Ok(p) => planned.push(p),
                    Err(reason) => fix.skipped.push(NotDone {
                        path: f.path.clone(),
                        reason,
                    }),
                }
            }
        }
    }
    apply(&mut fix, planned, opts.dry_run, None);
    fix
}

fn apply(fix: &mut EnvFix, planned: Vec<Planned>, dry_run: bool, journal: Option<write::Journal>) {
    let (jobs, labels): (Vec<Job>, Vec<(String, String)>) =
        planned.into_iter().map(|p| (p.job, (p.from, p.to))).unzip();
    let batch = write::run(&jobs, dry_run, journal);
    fix.warnings.extend(batch.warnings);
    for ((job, (from, to)), outcome) in jobs.iter().zip(labels).zip(batch.outcomes) {
        fix.record(job.path.clone(), from, to, outcome);
    }
}

/// Put back what the newest fix of `env` changed (see [`journal`]).
pub fn undo_env(env: Env, dry_run: bool) -> Result<EnvFix> {
    let root = env.root.clone();
    let mut fix = EnvFix::new(Some(env), dry_run);
    let Some(path) = journal::latest(&root) else {
        fix.warnings
            .push("no undo journal: pydoctor has not changed this environment".into());
        return Ok(fix);
    };
    let _lock = (!dry_run).then(|| write::lock_dir(&root));
    let jobs = journal::jobs(&root, &path)
        .map_err(|e| anyhow::anyhow!("cannot read the undo journal {}: {e}", path.display()))?;
    let batch = write::run(&jobs, dry_run, None);
    fix.warnings.extend(batch.warnings);
    for (job, outcome) in jobs.iter().zip(batch.outcomes) {
        fix.record(
            job.path.clone(),
            "fixed".into(),
            "as before the fix".into(),
            outcome,
        );
    }
    if !dry_run && fix.failed.is_empty() {
        fs::remove_file(&path)?;
    }
    Ok(fix)
}
