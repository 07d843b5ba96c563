//! Fixes follow findings: `fix` applies exactly the fixes carried by the findings that `scan`
//! shows with the same options. `plan` turns each finding's [`FixAction`] into a job (pure new
//! bytes from current bytes), `write` applies the batch crash-safely and journals it.

pub mod edit;
pub mod plan;
pub mod relink;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::engine::{EnvReport, Finding, MachineReport, Severity};
use crate::env::Env;
use crate::rules::{Applicability, FixAction};
use crate::shebang::Style;
use crate::write::{self, Job, Outcome, Tree, journal};

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
    /// This was `--undo`: the changes put back an earlier fix.
    pub undo: bool,
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
            undo: false,
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

    fn skip(&mut self, path: &Path, reason: String) {
        self.skipped.push(NotDone {
            path: path.to_path_buf(),
            reason,
        });
    }

    /// Remove the temp files a killed run left in the folders this run writes to (and the
    /// usual ones: bin/, the root, the journal folder).
    fn remove_stale_temps(&mut self, tree: &Tree, planned: &[Planned]) {
        let mut dirs: Vec<std::sync::Arc<write::Dir>> = Vec::new();
        for rel in ["bin", "", ".pydoctor/undo"] {
            match tree.dir(Path::new(rel)) {
                Ok(d) => dirs.push(d),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => self.warnings.push(e.to_string()),
            }
        }
        for p in planned {
            if !dirs.iter().any(|d| std::sync::Arc::ptr_eq(d, &p.job.dir)) {
                dirs.push(std::sync::Arc::clone(&p.job.dir));
            }
        }
        for dir in dirs {
            match write::remove_stale_temps(&dir) {
                Ok(n) => self.stale_temps_removed += n,
                Err(e) => self.warnings.push(format!(
                    "could not clean temp files in {}: {e}",
                    dir.path().display()
                )),
            }
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

/// Whether `opts` would write anything in this environment (for asking before a fix of many).
pub fn has_work(report: &EnvReport, opts: &Options) -> bool {
    (opts.style == Style::Relocatable && opts.scope == Scope::AllRules)
        || report
            .findings
            .iter()
            .any(|f| matches!(decide(f, opts), Ok(Some(_))))
}

/// Apply the fixes of one scanned environment's findings that `opts` selects. Every file is
/// reached from the environment's root without symlinks.
pub fn fix_env(report: &EnvReport, opts: &Options) -> Result<EnvFix> {
    let env = report.facts.env.clone();
    let tree = Tree::open(&env.root)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", env.root.display()))?;
    // A bin/ that cannot be reached without leaving the environment stops the whole fix.
    match tree.dir(Path::new("bin")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    let mut fix = EnvFix::new(Some(env.clone()), opts.dry_run);
    let mut planned = Vec::new();
    let mut shebangs = Vec::new();
    let mut relinked = false;
    for f in &report.findings {
        match decide(f, opts) {
            Err(reason) => fix.skip(&f.path, reason),
            Ok(None) => {}
            Ok(Some(FixAction::Shebang)) => shebangs.push(f.path.as_path()),
            // PD110 and PD111 share one relink.
            Ok(Some(FixAction::Relink { .. })) if relinked => {}
            Ok(Some(FixAction::Relink { base })) => {
                relinked = true;
                match relink::jobs(&tree, base) {
                    Ok(jobs) => planned.extend(jobs),
                    Err(e) => fix.skip(&f.path, format!("cannot relink: {e}")),
                }
            }
            Ok(Some(action)) => {
                let job = plan::file_change(action, &env.root).and_then(|(change, from, to)| {
                    let job = tree.job(&f.path, change).map_err(|e| e.to_string())?;
                    Ok(Planned { job, from, to })
                });
                match job {
                    Ok(p) => planned.push(p),
                    Err(reason) => fix.skip(&f.path, reason),
                }
            }
        }
    }
    planned.extend(plan::shebang_jobs(
        &report.facts,
        &shebangs,
        opts,
        &tree,
        &mut fix.skipped,
    ));
    if opts.style == Style::Relocatable && opts.scope == Scope::AllRules {
        let (jobs, warnings) = plan::relocatable_jobs(&report.facts, &tree);
        planned.extend(jobs);
        fix.warnings.extend(warnings);
    }
    let planned = plan::merge_same_file(planned);

    // Serialise writers on this environment; clean up after a run that was killed.
    let _locked = !opts.dry_run && tree.root().lock();
    if !opts.dry_run {
        fix.remove_stale_temps(&tree, &planned);
    }
    let journal = |edits: &[(&Path, &write::Edit)]| journal::write(&tree, edits).map(|_| ());
    apply(&mut fix, planned, opts.dry_run, Some(&journal));
    Ok(fix)
}

/// Apply the fixes of the machine's findings (the user's kernelspecs, IPython profile, tool
/// links). What they leave for the user (an orphan kernel to remove) is the scan's to report:
/// it does not make a fix of some environment incomplete.
pub fn fix_machine(report: &MachineReport, opts: &Options) -> EnvFix {
    let mut fix = EnvFix::new(None, opts.dry_run);
    let mut planned = Vec::new();
    for f in &report.findings {
        match decide(f, opts) {
            Err(_) | Ok(None) => {}
            Ok(Some(action)) => {
                let root = f.path.parent().unwrap_or(Path::new("/"));
                let job = plan::file_change(action, root).and_then(|(change, from, to)| {
                    let job =
                        write::job_in_own_folder(&f.path, change).map_err(|e| e.to_string())?;
                    Ok(Planned { job, from, to })
                });
                match job {
                    Ok(p) => planned.push(p),
                    Err(reason) => fix.skip(&f.path, reason),
                }
            }
        }
    }
    // Several copies registered in one environments.txt: one job, each line appended.
    apply(&mut fix, plan::merge_same_file(planned), opts.dry_run, None);
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

/// Put back what the newest fix of `env` changed (see [`journal`]). Safe to run again after a
/// kill or a partial failure: files already restored are left as they are.
pub fn undo_env(env: Env, dry_run: bool) -> Result<EnvFix> {
    let root = env.root.clone();
    let mut fix = EnvFix::new(Some(env), dry_run);
    fix.undo = true;
    let tree =
        Tree::open(&root).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", root.display()))?;
    let no_journal = "no undo journal: pydoctor has not changed this environment";
    let Some(dir) = journal::existing_dir(&tree)? else {
        fix.warnings.push(no_journal.into());
        return Ok(fix);
    };
    let Some(name) = journal::latest(&dir)? else {
        fix.warnings.push(no_journal.into());
        return Ok(fix);
    };
    let _locked = !dry_run && tree.root().lock();
    let entries = journal::jobs(&tree, &dir, &name).map_err(|e| {
        anyhow::anyhow!(
            "cannot use the undo journal {}: {e}",
            dir.path().join(&name).display()
        )
    })?;
    let mut planned = Vec::new();
    for e in entries {
        match e {
            Ok(job) => planned.push(Planned {
                job,
                from: "after pydoctor's fix".into(),
                to: "before pydoctor's fix".into(),
            }),
            Err((path, reason)) => fix.skip(&path, reason),
        }
    }
    if !dry_run {
        fix.remove_stale_temps(&tree, &planned);
    }
    apply(&mut fix, planned, dry_run, None);
    if !dry_run && fix.failed.is_empty() {
        dir.unlink(&name)?;
    }
    Ok(fix)
}
