//! Gathering what the detectors look at: one pass of I/O per environment. Each distinct
//! interpreter path is checked once, however many scripts name it.

use std::collections::HashMap;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::activate;
use crate::env::Env;
use crate::fsread::{self, Links};
use crate::paths::{self, is_gone};
use crate::scripts::{self, BinListing};
use crate::shebang::Form;

/// What an interpreter path leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpState {
    /// Runs, and is this environment's own (or a base/system interpreter).
    Ok,
    /// Nothing there.
    Missing,
    /// There, but a directory or without an exec bit.
    NotExecutable,
    /// Runs, but lives in another environment: the copied-env trap.
    Foreign { owner: PathBuf },
    /// The environment's own bin/python*, whose link dangles (reported once, on bin/python).
    OwnDangling,
}

/// The environment's own `bin/python`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnPython {
    Ok(PathBuf),
    /// A symlink whose target is gone.
    Dangling {
        path: PathBuf,
        target: PathBuf,
    },
    Absent,
}

/// One activate script: its shell, where it says the environment is, and whether it mentions
/// `VIRTUAL_ENV` at all (a template pydoctor cannot read is reported, never guessed at).
#[derive(Debug, Clone)]
pub struct ActivateFile {
    pub path: PathBuf,
    pub shell: activate::Shell,
    pub location: activate::Location,
    pub mentions_virtual_env: bool,
}

#[derive(Debug)]
pub struct Facts {
    pub env: Env,
    pub listing: BinListing,
    /// The state of each script's interpreter, index-aligned with `listing.scripts` (`Ok` for
    /// forms that name no absolute interpreter).
    pub states: Vec<InterpState>,
    /// Programs named by `#!/usr/bin/env X`, and whether PATH has them.
    pub env_programs: HashMap<String, bool>,
    pub own_python: OwnPython,
    /// When `own_python` dangles: an installed interpreter of the same X.Y to relink to.
    pub relink_base: Option<PathBuf>,
    /// pyvenv.cfg `home`, and whether it exists.
    pub home: Option<(PathBuf, bool)>,
    pub activates: Vec<ActivateFile>,
    /// Where the environment used to live, inferred from the scripts, pyvenv.cfg `command`,
    /// then the activate scripts.
    pub old_root: Option<PathBuf>,
    /// The package indexes the environment's own `pip.conf` sets.
    pub pip: Vec<super::pip::PipIndex>,
    /// The environment's own `pip.conf` when pip would refuse to parse it, with the reason.
    pub pip_config_errors: Vec<(PathBuf, String)>,
    /// `lib/pythonX.Y` folders present.
    pub lib_versions: Vec<String>,
    /// Jupyter kernelspecs in `share/jupyter/kernels/*/kernel.json`.
    pub kernels: Vec<Kernel>,
    /// IPython is installed in this environment.
    pub ipython: bool,
    /// Editable installs recorded in site-packages.
    pub editables: Vec<super::editable::Editable>,
    /// Files conda lists as holding the prefix that still name `old_root` (relative paths).
    pub conda_stale: Vec<(String, super::conda::FileMode)>,
    /// The user site this environment's interpreter imports first, when it has packages.
    pub user_site: Option<super::setup::SiteLeak>,
    /// The base interpreter's site a venv with `include-system-site-packages = true` sees.
    pub system_site: Option<super::setup::SiteLeak>,
}

/// A Jupyter kernelspec and the interpreter it starts.
#[derive(Debug, Clone)]
pub struct Kernel {
    pub path: PathBuf,
    pub argv0: String,
    pub exists: bool,
}

/// Kernelspecs in `dir/*/kernel.json`.
/// The program a kernel.json starts (`argv[0]`).
pub fn kernel_argv0(json: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(json).ok()?;
    Some(v.get("argv")?.get(0)?.as_str()?.to_owned())
}

pub fn kernels_in(dir: &Path) -> Vec<Kernel> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Kernel> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path().join("kernel.json");
            let text = fsread::read_bytes(&path, fsread::CONFIG_CAP, Links::Follow).ok()?;
            let argv0 = kernel_argv0(&text)?;
            // A bare name (`python3`) is looked up on PATH by Jupyter.
            let exists = if argv0.contains('/') {
                Path::new(&argv0).is_file()
            } else {
                which::which(&argv0).is_ok()
            };
            Some(Kernel {
                path,
                argv0,
                exists,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

impl Facts {
    /// Facts of an environment with nothing in it (the start of a gather, and of unit tests).
    pub fn empty(env: Env) -> Facts {
        Facts {
            env,
            listing: BinListing::default(),
            states: Vec::new(),
            env_programs: HashMap::new(),
            own_python: OwnPython::Absent,
            relink_base: None,
            home: None,
            activates: Vec::new(),
            old_root: None,
            pip: Vec::new(),
            pip_config_errors: Vec::new(),
            lib_versions: Vec::new(),
            kernels: Vec::new(),
            ipython: false,
            editables: Vec::new(),
            conda_stale: Vec::new(),
            user_site: None,
            system_site: None,
        }
    }

    /// Each script with its interpreter's state.
    pub fn scripts(&self) -> impl Iterator<Item = (&scripts::Script, &InterpState)> {
        self.listing.scripts.iter().zip(&self.states)
    }

    /// True when `p` names this environment (by spelling or by inode).
    pub fn is_own_root(&self, p: &Path) -> bool {
        p == self.env.root || paths::same_file(p, &self.env.root)
    }
}

/// Gather the facts about one environment.
pub fn gather(env: Env, pip: Vec<super::pip::PipIndex>) -> Result<Facts> {
    let bin = env.bin();
    let mut listing = match scripts::read_bin(&bin) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BinListing::default(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", bin.display())),
    };
    if matches!(
        env.kind,
        crate::env::EnvKind::Prefix | crate::env::EnvKind::Conda
    ) {
        listing.scripts.retain(|s| !is_base_helper(&s.path));
    }
    // One walk of the root's path (on a network filesystem each component is a round trip);
    // bin/ follows from it unless bin/ itself is a link.
    let root_canon = fs::canonicalize(&env.root).ok();
    let bin_canon = match (&root_canon, fs::symlink_metadata(&bin)) {
        (Some(r), Ok(m)) if !m.file_type().is_symlink() => Some(r.join("bin")),
        _ => fs::canonicalize(&bin).ok(),
    };

    let own_python = own_python(&bin);
    // Each distinct interpreter is checked once; keyed by bytes (hashing a Path walks its
    // components, which shows up at 5,000 scripts).
    let mut interps: HashMap<&[u8], InterpState> = HashMap::new();
    let mut env_programs = HashMap::new();
    let mut states = Vec::with_capacity(listing.scripts.len());
    for s in &listing.scripts {
        let state = match s.header.interpreter() {
            Some(p) => interps
                .entry(p.as_os_str().as_bytes())
                .or_insert_with(|| {
                    classify(p, &env.root, bin_canon.as_deref(), root_canon.as_deref())
                })
                .clone(),
            None => InterpState::Ok,
        };
        states.push(state);
        if let Form::Env { program, .. } = &s.header.form
            && !env_programs.contains_key(program)
        {
            let found = which::which(program).is_ok();
            env_programs.insert(program.clone(), found);
        }
    }

    let home = env.cfg.as_ref().and_then(|c| c.get("home")).map(|h| {
        let p = PathBuf::from(h);
        // EACCES (a 0700 home of another user) is not "missing".
        let exists = fs::metadata(&p).map_or_else(|e| !is_gone(&e), |m| m.is_dir());
        (p, exists)
    });
    let activates = activate::ACTIVATE_FILES
        .iter()
        .filter_map(|name| {
            let path = bin.join(name);
            let shell = activate::Shell::of_file(name)?;
            let text = fsread::read_bytes(&path, fsread::CONFIG_CAP, Links::Refuse).ok()?;
            let text = String::from_utf8_lossy(&text);
            Some(ActivateFile {
                location: activate::location(shell, &text),
                mentions_virtual_env: text.contains("VIRTUAL_ENV") || text.contains("virtual_env"),
                path,
                shell,
            })
        })
        .collect();

    let env_root = env.root.clone();
    let lib_versions: Vec<String> = fs::read_dir(env_root.join("lib"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter_map(|n| n.strip_prefix("python").map(str::to_owned))
                .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
                .collect()
        })
        .unwrap_or_default();
    let ipython = lib_versions.iter().any(|v| {
        env_root
            .join(format!("lib/python{v}/site-packages/IPython"))
            .is_dir()
    });
    let editables = lib_versions
        .iter()
        .flat_map(|v| {
            super::editable::in_site(&env_root.join(format!("lib/python{v}/site-packages")))
        })
        .collect();
    let (user_site, system_site) = super::setup::site_leaks(&env, &lib_versions);
    let relink_base = match &own_python {
        OwnPython::Dangling { .. } => crate::env::base::major_minor(&env).and_then(|mm| {
            crate::env::base::choose(env.version.as_deref(), crate::env::base::installed(&mm))
        }),
        _ => None,
    };
    let mut facts = Facts {
        user_site,
        system_site,
        own_python,
        relink_base,
        home,
        activates,
        pip_config_errors: super::pip::invalid_files(Some(&env_root)),
        pip,
        lib_versions,
        ipython,
        editables,
        kernels: kernels_in(&env_root.join("share/jupyter/kernels")),
        listing,
        states,
        env_programs,
        ..Facts::empty(env)
    };
    facts.old_root = infer_old_root(&facts);
    if facts.env.kind == crate::env::EnvKind::Conda
        && let Some(old) = facts.old_root.as_deref()
    {
        facts.conda_stale = conda_stale(&facts.env.root, old);
    }
    Ok(facts)
}

/// Largest prefix file read when looking for the old prefix (a big shared library).
const CONDA_FILE_CAP: u64 = 256 << 20;

/// The files `conda-meta/*.json` lists with a prefix placeholder that still hold `old`.
fn conda_stale(root: &Path, old: &Path) -> Vec<(String, super::conda::FileMode)> {
    let Ok(dir) = fs::read_dir(root.join("conda-meta")) else {
        return Vec::new();
    };
    let mut listed: Vec<super::conda::PrefixFile> = dir
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| fsread::read_bytes(&e.path(), 64 << 20, Links::Refuse).ok())
        .flat_map(|j| super::conda::prefix_files(&j))
        .collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    listed.dedup_by(|a, b| a.path == b.path);
    let needle = old.as_os_str().as_bytes();
    listed
        .into_iter()
        .filter(|p| {
            fsread::read_bytes(&root.join(&p.path), CONDA_FILE_CAP, Links::Refuse)
                .is_ok_and(|b| super::conda::contains(&b, needle))
        })
        .map(|p| (p.path, p.mode))
        .collect()
}

/// A file a base installation's `bin/` holds that is not a command: CPython's `make install`
/// leaves `pythonX.Y-gdb.py`, which gdb loads as an extension (its `#!/usr/bin/python` is
/// never run). A base installation's console scripts are checked like any others.
fn is_base_helper(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("python") && n.ends_with("-gdb.py"))
}

fn own_python(bin: &Path) -> OwnPython {
    for name in ["python", "python3"] {
        let path = bin.join(name);
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() && fs::metadata(&path).is_err_and(|e| is_gone(&e)) {
            let target = fs::read_link(&path).unwrap_or_default();
            return OwnPython::Dangling { path, target };
        }
        return OwnPython::Ok(path);
    }
    OwnPython::Absent
}

fn is_executable(p: &Path) -> bool {
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::access(c.as_ptr(), libc::X_OK) == 0 }
}

/// Is `dir` a Python environment root (for the copied-env check)?
fn looks_like_env(dir: &Path) -> bool {
    dir.join("pyvenv.cfg").is_file() || dir.join("conda-meta").is_dir()
}

fn classify(
    p: &Path,
    root: &Path,
    bin_canon: Option<&Path>,
    root_canon: Option<&Path>,
) -> InterpState {
    let inside = |q: &Path| {
        q.starts_with(root)
            || q.parent().and_then(|d| fs::canonicalize(d).ok()).as_deref() == bin_canon
            || root_canon.is_some_and(|r| q.starts_with(r))
    };
    match fs::metadata(p) {
        // There, but not for us (a 0700 home on a shared machine): the kernel says EACCES.
        Err(e) if !is_gone(&e) => InterpState::NotExecutable,
        Err(_) => {
            if inside(p) && fs::symlink_metadata(p).is_ok() {
                InterpState::OwnDangling
            } else {
                InterpState::Missing
            }
        }
        Ok(m) if !m.is_file() || !is_executable(p) => InterpState::NotExecutable,
        Ok(_) => {
            if inside(p) {
                return InterpState::Ok;
            }
            match p.parent().and_then(Path::parent) {
                Some(owner)
                    if p.parent().is_some_and(|b| b.ends_with("bin")) && looks_like_env(owner) =>
                {
                    InterpState::Foreign {
                        owner: owner.to_path_buf(),
                    }
                }
                _ => InterpState::Ok,
            }
        }
    }
}

/// The most common `X` among broken or foreign interpreters `X/bin/python*`; then pyvenv.cfg's
/// `command`; then the activate scripts. Never the environment's current root.
fn infer_old_root(f: &Facts) -> Option<PathBuf> {
    let mut counts: HashMap<&Path, usize> = HashMap::new();
    for (s, state) in f.scripts() {
        let Some(p) = s.header.interpreter() else {
            continue;
        };
        if !matches!(
            state,
            InterpState::Missing | InterpState::Foreign { .. } | InterpState::NotExecutable
        ) {
            continue;
        }
        let Some(bin) = p.parent().filter(|b| b.ends_with("bin")) else {
            continue;
        };
        let is_python = p
            .file_name()
            .is_some_and(|n| n.as_bytes().starts_with(b"python"));
        if let Some(root) = bin.parent().filter(|_| is_python) {
            *counts.entry(root).or_default() += 1;
        }
    }
    let best = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(root, _)| root.to_path_buf());
    best.or_else(|| {
        f.env
            .cfg
            .as_ref()
            .and_then(|c| c.command_target())
            .map(PathBuf::from)
    })
    .filter(|p| !f.is_own_root(p))
    .or_else(|| {
        f.activates
            .iter()
            .flat_map(|a| a.location.literals.iter())
            .map(PathBuf::from)
            .find(|p| !f.is_own_root(p))
    })
}
