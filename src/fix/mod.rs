//! Turning findings into edits and applying them atomically. `plan` chooses targets, `edit`
//! computes new bytes (pure), `apply` writes them crash-safely.

pub mod apply;
pub mod edit;
pub mod plan;
pub mod relink;
pub mod undo;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::activate;
use crate::engine::EnvReport;
use crate::engine::facts::OwnPython;
use crate::env::Env;
use crate::paths;
use crate::shebang::Style;
use apply::{Job, Outcome};

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `fix-shebang`: interpreter lines only.
    Shebangs,
    /// `fix`: every safe fix (interpreter lines, activate scripts, pyvenv.cfg `command`).
    AllSafe,
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

/// What fixing one environment did.
#[derive(Debug)]
pub struct EnvFix {
    pub env: Env,
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
}

struct Planned {
    job: Job,
    from: String,
    to: String,
}

fn lossy(p: &Path) -> String {
    p.display().to_string()
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

fn shebang_jobs(report: &EnvReport, opts: &Options, skipped: &mut Vec<NotDone>) -> Vec<Planned> {
    let f = &report.facts;
    let flagged: HashSet<&Path> = report
        .findings
        .iter()
        .filter(|x| x.fix_kind() == Some("rewrite-shebang"))
        .map(|x| x.path.as_path())
        .collect();
    let relocatable = opts.style == Style::Relocatable;
    let mut out = Vec::new();
    for (s, state) in f.scripts() {
        let wanted = flagged.contains(s.path.as_path())
            || (relocatable && plan::runs_own_interpreter(f, s, state));
        if !wanted {
            continue;
        }
        let target = match plan::target(f, s, state, opts.python.as_deref()) {
            Ok(t) => t,
            Err(reason) => {
                skipped.push(NotDone {
                    path: s.path.clone(),
                    reason,
                });
                continue;
            }
        };
        if relocatable && target.parent() != Some(f.env.bin().as_path()) {
            skipped.push(NotDone {
                path: s.path.clone(),
                reason: format!(
                    "--relocatable needs an interpreter in {}, not {}",
                    f.env.bin().display(),
                    target.display()
                ),
            });
            continue;
        }
        let from = s.header.interpreter().map(lossy).unwrap_or_default();
        let to = lossy(&target);
        // Python decodes every line of a script, line one too: a path that is not UTF-8 breaks
        // the script in any header that spells it out. uv's relocatable form names only the
        // interpreter's file name, so it is used instead when the interpreter sits beside the
        // script (and refused otherwise).
        let style = if target.to_str().is_none() {
            if target.parent() == s.path.parent()
                && target.file_name().and_then(|n| n.to_str()).is_some()
            {
                Style::Relocatable
            } else {
                skipped.push(NotDone {
                    path: s.path.clone(),
                    reason: "the interpreter's path is not UTF-8, which Python cannot read in a \
                             script header; rename the folder"
                        .into(),
                });
                continue;
            }
        } else {
            opts.style
        };
        let compute: apply::Compute = Box::new(move |content: &[u8]| {
            let edit = edit::rewrite_header(content, &target, style)?;
            Ok(edit.map(|e| {
                let mut out = e.new_head;
                out.extend_from_slice(&content[e.keep_from..]);
                out
            }))
        });
        out.push(Planned {
            job: Job {
                path: s.path.clone(),
                compute,
            },
            from,
            to,
        });
    }
    out
}

/// What `--unsafe-fixes` appends to the IPython profile (traitlets config lists append lazily,
/// so this works whether or not the profile already sets them).
const AUTORELOAD: &str = "\n# Added by pydoctor (PD119): reload edited modules before running each cell.\n\
c.InteractiveShellApp.extensions.append(\"autoreload\")\n\
c.InteractiveShellApp.exec_lines.append(\"%autoreload 2\")\n";

/// Point a kernel.json's `argv[0]` at `new`, changing only that string.
fn kernelspec_argv0(content: &[u8], new: &str) -> Result<Option<Vec<u8>>, String> {
    let text = std::str::from_utf8(content).map_err(|_| "not UTF-8".to_string())?;
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let old = v
        .get("argv")
        .and_then(|a| a.get(0))
        .and_then(|a| a.as_str())
        .ok_or("no argv[0]")?;
    if old == new {
        return Ok(None);
    }
    let (old_js, new_js) = (
        serde_json::to_string(old).map_err(|e| e.to_string())?,
        serde_json::to_string(new).map_err(|e| e.to_string())?,
    );
    let start = text.find("\"argv\"").ok_or("no argv key")?;
    let at = text[start..]
        .find(&old_js)
        .ok_or("argv[0] not found as written")?
        + start;
    let out = format!("{}{}{}", &text[..at], new_js, &text[at + old_js.len()..]);
    let check: serde_json::Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
    if check["argv"][0] != new {
        return Err("could not rewrite argv[0] safely".into());
    }
    Ok(Some(out.into_bytes()))
}

fn activate_jobs(
    report: &EnvReport,
    unsafe_fixes: bool,
    skipped: &mut Vec<NotDone>,
) -> Vec<Planned> {
    let f = &report.facts;
    let root = f.env.root.clone();
    let mut out = Vec::new();
    for x in &report.findings {
        let stale_from = x.subject.clone().unwrap_or_default();
        let compute: apply::Compute = match x.fix_kind() {
            Some("rewrite-activate") => {
                let root_s = lossy(&root);
                let root_c = root.clone();
                let compute: apply::Compute = Box::new(move |content: &[u8]| {
                    let text = std::str::from_utf8(content)
                        .map_err(|_| "not UTF-8 text; left as is".to_string())?;
                    let is_stale = |v: &str| {
                        Path::new(v) != root_c && !paths::same_file(Path::new(v), &root_c)
                    };
                    activate::rewrite(text, &root_s, is_stale)
                        .map(|o| o.map(String::into_bytes))
                        .map_err(str::to_owned)
                });
                compute
            }
            Some("rewrite-pyvenv-command") => {
                let old = stale_from.clone();
                let new = lossy(&root);
                let compute: apply::Compute = Box::new(move |content: &[u8]| {
                    let text = String::from_utf8_lossy(content);
                    let mut changed = false;
                    let lines: Vec<String> = text
                        .split_inclusive('\n')
                        .map(|l| {
                            let key = l.split('=').next().unwrap_or("").trim();
                            if key == "command" && l.trim_end().ends_with(old.as_str()) {
                                changed = true;
                                let cut = l.trim_end().len() - old.len();
                                format!("{}{}{}", &l[..cut], new, &l[l.trim_end().len()..])
                            } else {
                                l.to_owned()
                            }
                        })
                        .collect();
                    Ok(changed.then(|| lines.concat().into_bytes()))
                });
                compute
            }
            Some("rewrite-kernelspec") => {
                let bin = f.env.bin();
                let Some(new) = ["python", "python3"]
                    .iter()
                    .map(|n| bin.join(n))
                    .find(|p| p.is_file())
                else {
                    skipped.push(NotDone {
                        path: x.path.clone(),
                        reason: "this environment has no working bin/python".into(),
                    });
                    continue;
                };
                let new = lossy(&new);
                let compute: apply::Compute =
                    Box::new(move |content: &[u8]| kernelspec_argv0(content, &new));
                compute
            }
            Some("enable-autoreload") if unsafe_fixes => {
                if !x.path.is_file() {
                    skipped.push(NotDone {
                        path: x.path.clone(),
                        reason: "no IPython profile yet: run `ipython profile create`, then again"
                            .into(),
                    });
                    continue;
                }
                let compute: apply::Compute = Box::new(|content: &[u8]| {
                    let mut out = content.to_vec();
                    if !out.is_empty() && !out.ends_with(b"\n") {
                        out.push(b'\n');
                    }
                    out.extend_from_slice(AUTORELOAD.as_bytes());
                    Ok(Some(out))
                });
                compute
            }
            _ => continue,
        };
        out.push(Planned {
            job: Job {
                path: x.path.clone(),
                compute,
            },
            from: stale_from,
            to: lossy(&root),
        });
    }
    out
}

/// Apply the fixes `opts` selects to one scanned environment.
pub fn fix_env(report: &EnvReport, opts: &Options) -> Result<EnvFix> {
    let env = report.facts.env.clone();
    check_bin_inside(&env)?;
    let mut skipped = Vec::new();
    let failed = Vec::new();
    let mut warnings = Vec::new();

    let mut relinked = Vec::new();
    if let OwnPython::Dangling { path, target } = &report.facts.own_python {
        let mm = relink::major_minor(&env);
        let base = mm
            .as_deref()
            .and_then(|mm| relink::candidates(mm).into_iter().next());
        match (opts.unsafe_fixes && opts.scope == Scope::AllSafe, base) {
            (true, Some(exe)) => {
                for (link, old) in relink::relink(&env, &exe, opts.dry_run)? {
                    relinked.push(Changed {
                        path: link,
                        from: old.display().to_string(),
                        to: exe.display().to_string(),
                        diff: String::new(),
                    });
                }
            }
            (unsafe_ok, base) => {
                let py = mm
                    .as_deref()
                    .map_or("python3".to_owned(), |m| format!("python{m}"));
                let how = match (unsafe_ok, base) {
                    (false, Some(exe)) => format!(
                        "`pydoctor fix --unsafe-fixes` relinks it to {}",
                        exe.display()
                    ),
                    _ => format!(
                        "no installed {py} found; recreate: {py} -m venv --clear {}",
                        env.root.display()
                    ),
                };
                skipped.push(NotDone {
                    path: path.clone(),
                    reason: format!(
                        "the environment's own interpreter is gone (link to {}); rewriting \
                         interpreter lines cannot help: {how}",
                        target.display()
                    ),
                });
            }
        }
    }
    for p in &report.facts.listing.overlong {
        skipped.push(NotDone {
            path: p.clone(),
            reason: "line one is longer than any kernel reads; not a script pydoctor can repair"
                .into(),
        });
    }

    let mut planned = shebang_jobs(report, opts, &mut skipped);
    if opts.scope == Scope::AllSafe {
        planned.extend(activate_jobs(report, opts.unsafe_fixes, &mut skipped));
    }

    // Serialise writers on this environment; clean up after a run that was killed.
    let _lock = (!opts.dry_run).then(|| apply::lock_dir(&env.root));
    let mut stale_temps_removed = 0;
    if !opts.dry_run {
        for dir in [env.bin(), env.root.clone(), undo::dir(&env.root)] {
            match apply::remove_stale_temps(&dir) {
                Ok(n) => stale_temps_removed += n,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => warnings.push(format!(
                    "could not clean temp files in {}: {e}",
                    dir.display()
                )),
            }
        }
    }

    let (jobs, labels): (Vec<Job>, Vec<(String, String)>) =
        planned.into_iter().map(|p| (p.job, (p.from, p.to))).unzip();
    let root = env.root.clone();
    let journal = |edits: &[(&Path, &apply::Edit)]| undo::write(&root, edits).map(|_| ());
    let batch = apply::run(&jobs, opts.dry_run, Some(&journal));
    warnings.extend(batch.warnings);
    let mut fix = EnvFix {
        env,
        dry_run: opts.dry_run,
        changed: relinked,
        skipped,
        failed,
        warnings,
        stale_temps_removed,
    };
    for ((job, (from, to)), outcome) in jobs.iter().zip(labels).zip(batch.outcomes) {
        fix.record(job.path.clone(), from, to, outcome);
    }
    Ok(fix)
}

/// Put back what the newest fix of `env` changed (see [`undo`]).
pub fn undo_env(env: Env, dry_run: bool) -> Result<EnvFix> {
    let mut fix = EnvFix {
        env,
        dry_run,
        changed: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
        warnings: Vec::new(),
        stale_temps_removed: 0,
    };
    let Some(journal) = undo::latest(&fix.env.root) else {
        fix.warnings
            .push("no undo journal: pydoctor has not changed this environment".into());
        return Ok(fix);
    };
    let _lock = (!dry_run).then(|| apply::lock_dir(&fix.env.root));
    let jobs = undo::jobs(&fix.env.root, &journal)
        .map_err(|e| anyhow::anyhow!("cannot read the undo journal {}: {e}", journal.display()))?;
    let batch = apply::run(&jobs, dry_run, None);
    fix.warnings.extend(batch.warnings);
    let label = format!("undo {}", journal.display());
    for (job, outcome) in jobs.iter().zip(batch.outcomes) {
        fix.record(
            job.path.clone(),
            "pydoctor's fix".into(),
            label.clone(),
            outcome,
        );
    }
    if !dry_run && fix.failed.is_empty() {
        fs::remove_file(&journal)?;
    }
    Ok(fix)
}
