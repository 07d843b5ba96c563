//! From a finding's fix to a job: what each file's new bytes are, computed from its current
//! bytes at apply time (pure). Choosing what a broken script should run instead reads only
//! metadata (does the target exist).

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use std::collections::{HashMap, HashSet};

use super::{NotDone, Options, Planned, edit};
use crate::activate;
use crate::engine::facts::{Facts, InterpState, OwnPython};
use crate::rules::FixAction;
use crate::scripts::Script;
use crate::shebang::Style;
use crate::write::{Change, Compute, Tree};

/// A file is there (or there but hidden from us by permissions, which the kernel may not
/// share: the script's users may see it).
fn runnable(p: &Path) -> bool {
    fs::metadata(p).map_or_else(|e| !crate::paths::is_gone(&e), |m| m.is_file())
}

/// [`runnable`], asked once per path: the 5,000 scripts of an env name a handful of
/// interpreters, and on a network filesystem each stat of an absolute path is several round
/// trips.
#[derive(Default)]
struct Runnable(HashMap<PathBuf, bool>);

impl Runnable {
    fn check(&mut self, p: &Path) -> bool {
        if let Some(&known) = self.0.get(p) {
            return known;
        }
        let ok = runnable(p);
        self.0.insert(p.to_path_buf(), ok);
        ok
    }
}

fn is_python_name(name: &[u8]) -> bool {
    name.starts_with(b"python") || name.starts_with(b"pypy")
}

/// The interpreter `s` should run, keeping the environment's path as the user spelled it:
/// 1. `--python` when given;
/// 2. the same file under the environment's new location (`OLD/bin/python3.11` ->
///    `ENV/bin/python3.11`);
/// 3. the environment's own interpreter of the same name, else `python3`, else `python`.
fn target(
    f: &Facts,
    s: &Script,
    state: &InterpState,
    python: Option<&Path>,
    runnable: &mut Runnable,
) -> Result<PathBuf, String> {
    let Some(old) = s.header.interpreter() else {
        return Err("names no absolute interpreter".into());
    };
    if *state == InterpState::Ok {
        return Ok(old.to_path_buf());
    }
    if let OwnPython::Dangling { path, .. } = &f.own_python {
        return Err(format!(
            "the environment's own interpreter {} is a dangling link; rewriting cannot help \
             (see `pydoctor explain PD110`)",
            path.display()
        ));
    }
    if let Some(p) = python {
        return Ok(p.to_path_buf());
    }
    if let Some(rel) = f.old_root.as_deref().and_then(|r| old.strip_prefix(r).ok()) {
        let candidate = f.env.root.join(rel);
        if runnable.check(&candidate) {
            return Ok(candidate);
        }
    }
    let name = old.file_name().map(|n| n.as_bytes()).unwrap_or_default();
    if !is_python_name(name) {
        return Err(format!(
            "{} is not a Python interpreter of this environment; left as is",
            old.display()
        ));
    }
    let bin = f.env.bin();
    [
        std::ffi::OsStr::from_bytes(name),
        "python3".as_ref(),
        "python".as_ref(),
    ]
    .iter()
    .map(|n| bin.join(n))
    .find(|p| runnable.check(p))
    .ok_or_else(|| format!("no interpreter named python* in {}", bin.display()))
}

/// With `--relocatable`, scripts that run this environment's own interpreter are rewritten too.
pub fn runs_own_interpreter(f: &Facts, s: &Script, state: &InterpState) -> bool {
    s.header.interpreter().is_some_and(|p| {
        *state == InterpState::Ok
            && p.parent()
                .is_some_and(|d| d == f.env.bin() || crate::paths::same_file(d, &f.env.bin()))
    })
}

fn lossy(p: &Path) -> String {
    p.display().to_string()
}

/// Jobs that rewrite the interpreter lines of the scripts at `paths` (each named by a
/// finding), and with `--relocatable` of every script that runs this environment's own
/// interpreter (a conversion, not a repair).
pub fn shebang_jobs(
    f: &Facts,
    paths: &[&Path],
    opts: &Options,
    tree: &Tree,
    skipped: &mut Vec<NotDone>,
) -> Vec<Planned> {
    let flagged: HashSet<&Path> = paths.iter().copied().collect();
    let relocatable = opts.style == Style::Relocatable;
    let mut out = Vec::new();
    if flagged.is_empty() && !relocatable {
        return out;
    }
    let mut runnable = Runnable::default();
    // bin/ is opened once, without following a symlink; every script is written through it.
    let bin = match tree.dir(Path::new("bin")) {
        Ok(b) => b,
        Err(e) => {
            skipped.extend(paths.iter().map(|p| NotDone {
                path: p.to_path_buf(),
                reason: e.to_string(),
            }));
            return out;
        }
    };
    for (s, state) in f.scripts() {
        let wanted = flagged.contains(s.path.as_path())
            || (relocatable && runs_own_interpreter(f, s, state));
        if !wanted {
            continue;
        }
        let mut skip = |reason: String| {
            skipped.push(NotDone {
                path: s.path.clone(),
                reason,
            })
        };
        let target = match target(f, s, state, opts.python.as_deref(), &mut runnable) {
            Ok(t) => t,
            Err(reason) => {
                skip(reason);
                continue;
            }
        };
        if relocatable && target.parent() != Some(f.env.bin().as_path()) {
            skip(format!(
                "--relocatable needs an interpreter in {}, not {}",
                f.env.bin().display(),
                target.display()
            ));
            continue;
        }
        let style = opts.style;
        let from = s.header.interpreter().map(lossy).unwrap_or_default();
        let to = match style {
            Style::Relocatable => format!(
                "{} (relocatable)",
                target
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
            Style::Auto => lossy(&target),
        };
        // A path the header cannot spell out (not UTF-8, a quote) gets uv's relocatable form
        // when the interpreter sits beside the script; otherwise the script is left as is.
        let relocate_ok = target.parent() == s.path.parent()
            && target.file_name().and_then(|n| n.to_str()).is_some();
        let compute: Compute = Box::new(move |content: &[u8]| {
            let edit = edit::rewrite_header_with(content, &target, style, relocate_ok)?;
            Ok(edit.map(|e| {
                let mut out = e.new_head;
                out.extend_from_slice(&content[e.keep_from..]);
                out
            }))
        });
        let Some(name) = s.path.file_name() else {
            continue;
        };
        out.push(Planned {
            job: crate::write::Job {
                dir: std::sync::Arc::clone(&bin),
                name: name.to_os_string(),
                path: s.path.clone(),
                change: Change::Rewrite(compute),
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
pub fn kernelspec_argv0(content: &[u8], new: &str) -> Result<Option<Vec<u8>>, String> {
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

/// Replace pyvenv.cfg's `command` target `old` with `new`.
fn pyvenv_command(content: &[u8], old: &str, new: &str) -> Result<Option<Vec<u8>>, String> {
    if new.contains(['\n', '\r', '\0']) {
        return Err("the environment's path holds a line break; pyvenv.cfg cannot carry it".into());
    }
    let text =
        std::str::from_utf8(content).map_err(|_| "not UTF-8 text; left as is".to_string())?;
    let mut changed = false;
    let lines: Vec<String> = text
        .split_inclusive('\n')
        .map(|l| {
            let key = l.split('=').next().unwrap_or("").trim();
            if key == "command" && l.trim_end().ends_with(old) {
                changed = true;
                let cut = l.trim_end().len() - old.len();
                format!("{}{}{}", &l[..cut], new, &l[l.trim_end().len()..])
            } else {
                l.to_owned()
            }
        })
        .collect();
    Ok(changed.then(|| lines.concat().into_bytes()))
}

/// The change that applies `action` (any but `Shebang`, `Relink` and `Advice`) to a file, and
/// its `from`/`to` labels; `root` is the environment's path (what stale values become).
pub fn file_change(action: &FixAction, root: &Path) -> Result<(Change, String, String), String> {
    let new_root = lossy(root);
    let (from, to, compute): (String, String, Compute) = match action.clone() {
        FixAction::Activate { shell, stale } => {
            let root_s = new_root.clone();
            let from = stale.join(", ");
            (
                from,
                new_root,
                Box::new(move |content: &[u8]| {
                    let text = std::str::from_utf8(content)
                        .map_err(|_| "not UTF-8 text; left as is".to_string())?;
                    activate::rewrite(shell, text, &stale, &root_s)
                        .map(|o| o.map(String::into_bytes))
                        .map_err(str::to_owned)
                }),
            )
        }
        FixAction::PyvenvCommand { old } => {
            let new = new_root.clone();
            let from = old.clone();
            (
                from,
                new_root,
                Box::new(move |content: &[u8]| pyvenv_command(content, &old, &new)),
            )
        }
        FixAction::Kernelspec { python } => {
            let new = lossy(&python);
            let to = new.clone();
            (
                "a missing interpreter".into(),
                to,
                Box::new(move |content: &[u8]| kernelspec_argv0(content, &new)),
            )
        }
        FixAction::Editable { record, old, new } => (
            old.clone(),
            new.clone(),
            Box::new(move |content: &[u8]| {
                let text = std::str::from_utf8(content)
                    .map_err(|_| "not UTF-8 text; left as is".to_string())?;
                crate::engine::editable::rewrite(record, text, &old, &new)
                    .map(|o| o.map(String::into_bytes))
            }),
        ),
        FixAction::CondaPrefix { mode, old, new } => (
            old.clone(),
            new.clone(),
            Box::new(move |content: &[u8]| {
                crate::engine::conda::replace_prefix(content, mode, old.as_bytes(), new.as_bytes())
            }),
        ),
        FixAction::ToolLink { to } => {
            let label = lossy(&to);
            return Ok((
                Change::Relink { to, expect: None },
                "a missing tool env".into(),
                label,
            ));
        }
        FixAction::Autoreload => (
            "no autoreload".into(),
            "autoreload enabled".into(),
            Box::new(|content: &[u8]| {
                let mut out = content.to_vec();
                if !out.is_empty() && !out.ends_with(b"\n") {
                    out.push(b'\n');
                }
                out.extend_from_slice(AUTORELOAD.as_bytes());
                Ok(Some(out))
            }),
        ),
        FixAction::CondaRegister { env } => {
            let line = match env.to_str() {
                Some(l) if !l.contains(['\n', '\r']) => l.to_owned(),
                _ => return Err("its path is not one line of UTF-8; not registered".into()),
            };
            (
                "not listed".into(),
                "listed".into(),
                Box::new(move |content: &[u8]| {
                    let text = String::from_utf8_lossy(content);
                    if text.lines().any(|l| l.trim() == line) {
                        return Ok(None);
                    }
                    let mut out = content.to_vec();
                    if !out.is_empty() && !out.ends_with(b"\n") {
                        out.push(b'\n');
                    }
                    out.extend_from_slice(line.as_bytes());
                    out.push(b'\n');
                    Ok(Some(out))
                }),
            )
        }
        FixAction::Shebang | FixAction::Relink { .. } | FixAction::Advice => {
            return Err("not a file edit".into());
        }
    };
    Ok((Change::Rewrite(compute), from, to))
}

/// `fix --relocatable`, beyond the scripts: activate scripts that find the environment at run
/// time (bash, zsh, fish, nushell; csh and xonsh cannot, and keep the absolute path), and
/// `relocatable = true` in pyvenv.cfg, so uv keeps writing relocatable scripts. Returns the
/// jobs and what stays absolute.
pub fn relocatable_jobs(f: &Facts, tree: &Tree) -> (Vec<Planned>, Vec<String>) {
    use crate::activate::Shell;
    let root = lossy(&f.env.root);
    let mut jobs = Vec::new();
    let mut warnings = Vec::new();
    for a in f
        .activates
        .iter()
        .filter(|a| !a.location.literals.is_empty())
    {
        if !matches!(a.shell, Shell::Sh | Shell::Fish | Shell::Nu) {
            warnings.push(format!(
                "{} keeps the absolute path (its shell cannot find the file it sources): after \
                 the next move, run pydoctor fix again",
                a.path.display()
            ));
            continue;
        }
        let (shell, root) = (a.shell, root.clone());
        let compute: Compute = Box::new(move |content: &[u8]| {
            let text = std::str::from_utf8(content)
                .map_err(|_| "not UTF-8 text; left as is".to_string())?;
            activate::relocate(shell, text, &root)
                .map(|o| o.map(String::into_bytes))
                .map_err(str::to_owned)
        });
        match tree.job(&a.path, Change::Rewrite(compute)) {
            Ok(job) => jobs.push(Planned {
                job,
                from: "absolute".into(),
                to: "relocatable".into(),
            }),
            Err(e) => warnings.push(format!("{}: {e}", a.path.display())),
        }
    }
    if f.env.cfg.is_some() {
        let compute: Compute = Box::new(|content: &[u8]| {
            let text = std::str::from_utf8(content)
                .map_err(|_| "not UTF-8 text; left as is".to_string())?;
            let new = crate::env::pyvenv::set_key(text, "relocatable", "true");
            Ok((new != text).then(|| new.into_bytes()))
        });
        match tree.job(&f.env.root.join("pyvenv.cfg"), Change::Rewrite(compute)) {
            Ok(job) => jobs.push(Planned {
                job,
                from: "absolute".into(),
                to: "relocatable = true".into(),
            }),
            Err(e) => warnings.push(format!("pyvenv.cfg: {e}")),
        }
    }
    (jobs, warnings)
}

/// One job per file: rewrites planned for the same file (a stale activate script made
/// relocatable, pyvenv.cfg's `command` and `relocatable`) run one after the other on the
/// file's bytes, so no edit is lost to another's rename.
pub fn merge_same_file(planned: Vec<Planned>) -> Vec<Planned> {
    let mut out: Vec<Planned> = Vec::with_capacity(planned.len());
    // Index by path: 5,000 scripts are 5,000 distinct files, looked up once each.
    let mut index: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    for p in planned {
        let Some(&i) = index.get(&p.job.path) else {
            index.insert(p.job.path.clone(), out.len());
            out.push(p);
            continue;
        };
        let first = out.remove(i);
        for v in index.values_mut() {
            if *v > i {
                *v -= 1;
            }
        }
        index.insert(p.job.path.clone(), out.len());
        match (first.job.change, p.job.change) {
            (Change::Rewrite(a), Change::Rewrite(b)) => {
                let both: Compute = Box::new(move |content: &[u8]| {
                    let mid = a(content)?;
                    match b(mid.as_deref().unwrap_or(content))? {
                        Some(new) => Ok(Some(new)),
                        None => Ok(mid),
                    }
                });
                out.push(Planned {
                    job: crate::write::Job {
                        change: Change::Rewrite(both),
                        ..p.job
                    },
                    from: first.from,
                    to: p.to,
                });
            }
            (a, b) => {
                // A link and a rewrite of one name cannot both apply: keep the first.
                out.push(Planned {
                    job: crate::write::Job {
                        change: a,
                        ..first.job
                    },
                    from: first.from,
                    to: first.to,
                });
                let _ = b;
            }
        }
    }
    out
}
