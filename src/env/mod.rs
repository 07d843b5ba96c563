//! What a Python environment is and how `ENV` arguments resolve to environments. Never prints.

pub mod base;
pub mod discover;
pub mod pyvenv;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::error::BadInput;
use crate::paths;
pub use pyvenv::PyvenvCfg;

/// Which tool made an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvKind {
    /// `python -m venv`.
    Venv,
    /// virtualenv (`virtualenv =` in pyvenv.cfg).
    Virtualenv,
    /// uv (`uv =` in pyvenv.cfg).
    Uv,
    /// A conda prefix: `conda-meta/`, a real interpreter binary, no pyvenv.cfg.
    Conda,
    /// A plain installation prefix (pyenv version, system Python): `bin/python*`, nothing else.
    Prefix,
}

impl EnvKind {
    pub fn name(self) -> &'static str {
        match self {
            EnvKind::Venv => "venv",
            EnvKind::Virtualenv => "virtualenv",
            EnvKind::Uv => "uv",
            EnvKind::Conda => "conda",
            EnvKind::Prefix => "prefix",
        }
    }
}

impl fmt::Display for EnvKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One environment, its root spelled as the user gave it (absolute, symlinks kept).
#[derive(Debug, Clone)]
pub struct Env {
    pub root: PathBuf,
    pub kind: EnvKind,
    pub cfg: Option<PyvenvCfg>,
    pub version: Option<String>,
    /// Where discovery found it (`conda`, `pyenv`, ...); `None` when named by the user.
    pub source: Option<String>,
}

impl Env {
    pub fn bin(&self) -> PathBuf {
        self.root.join("bin")
    }

    /// Recognise `root` as an environment; `Ok(None)` when it is not one.
    pub fn open(root: &Path) -> std::io::Result<Option<Env>> {
        let cfg_path = root.join("pyvenv.cfg");
        // Bounded and non-blocking: a FIFO or /dev/zero planted here must not hang a scan.
        let cfg = match crate::fsread::read_bytes(
            &cfg_path,
            crate::fsread::CONFIG_CAP,
            crate::fsread::Links::Follow,
        ) {
            Ok(bytes) => Some(PyvenvCfg::parse(&String::from_utf8_lossy(&bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => None,
            Err(e) => return Err(e),
        };
        let kind = if let Some(cfg) = &cfg {
            if cfg.get("uv").is_some() {
                EnvKind::Uv
            } else if cfg.get("virtualenv").is_some() {
                EnvKind::Virtualenv
            } else {
                EnvKind::Venv
            }
        } else if root.join("conda-meta").is_dir() {
            EnvKind::Conda
        } else if has_python(&root.join("bin")) {
            // A venv whose pyvenv.cfg was lost still has its activate script.
            if root.join("bin/activate").is_file() {
                EnvKind::Venv
            } else {
                EnvKind::Prefix
            }
        } else {
            return Ok(None);
        };
        let version = cfg
            .as_ref()
            .and_then(|c| c.version().map(str::to_owned))
            .or_else(|| conda_python_version(root))
            .or_else(|| lib_python_version(root));
        Ok(Some(Env {
            root: root.to_path_buf(),
            kind,
            cfg,
            version,
            source: None,
        }))
    }
}

/// `bin/python` or `bin/python3` exists, even as a dangling link.
fn has_python(bin: &Path) -> bool {
    ["python", "python3"]
        .iter()
        .any(|n| fs::symlink_metadata(bin.join(n)).is_ok())
}

/// conda records each installed package as `conda-meta/NAME-VERSION-BUILD.json`.
fn conda_python_version(root: &Path) -> Option<String> {
    let dir = fs::read_dir(root.join("conda-meta")).ok()?;
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .find_map(|n| {
            let rest = n.strip_prefix("python-")?;
            let v = rest.split('-').next()?;
            v.starts_with(|c: char| c.is_ascii_digit())
                .then(|| v.to_owned())
        })
}

fn lib_python_version(root: &Path) -> Option<String> {
    let dir = fs::read_dir(root.join("lib")).ok()?;
    let mut versions: Vec<String> = dir
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_prefix("python").map(str::to_owned))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    versions.sort();
    versions.pop()
}

/// An `ENV` that could not be used (or an environment that could not be scanned), and why.
#[derive(Debug, Clone)]
pub struct EnvError {
    pub path: PathBuf,
    pub message: String,
    pub hint: Option<String>,
}

/// What to do when no `ENV` is given and none is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenNone {
    /// Discover every environment on the machine (`scan`).
    Discover,
    /// Stop and ask for `--all` (writes are never machine-wide by accident).
    AskForAll,
}

/// Resolved environments, whether they were discovered, folders discovery could not read,
/// and the arguments that named no environment.
pub struct Resolved {
    pub envs: Vec<Env>,
    pub discovered: bool,
    pub problems: Vec<String>,
    pub errors: Vec<EnvError>,
}

/// Resolve `ENV` arguments. With none: `$VIRTUAL_ENV`, `$CONDA_PREFIX`, `./.venv`, `./venv`,
/// then `when_none`. `all` discovers regardless. A directory that holds environments (a conda
/// `envs/` folder) yields each of them. A bad argument is an error of its own; the others are
/// still resolved.
pub fn resolve(
    args: &[PathBuf],
    all: bool,
    extra_roots: &[PathBuf],
    when_none: WhenNone,
) -> Result<Resolved> {
    let simple = |envs| Resolved {
        envs,
        discovered: false,
        problems: Vec::new(),
        errors: Vec::new(),
    };
    if all {
        return discovered(extra_roots);
    }
    if !args.is_empty() {
        let mut out = simple(Vec::new());
        for a in args {
            match resolve_one(a) {
                Ok((envs, errors)) => {
                    out.envs.extend(envs);
                    out.errors.extend(errors);
                }
                Err(e) => out.errors.push(EnvError {
                    path: a.clone(),
                    hint: e.downcast_ref::<BadInput>().and_then(|b| b.hint.clone()),
                    message: e.to_string(),
                }),
            }
        }
        return Ok(out);
    }
    for var in ["VIRTUAL_ENV", "CONDA_PREFIX"] {
        if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            let p = PathBuf::from(v);
            if !p.is_dir() {
                return Err(BadInput::new(format!(
                    "${var} names {}, which is not a directory (an environment that was moved or deleted?)",
                    p.display()
                ))
                .hint("pass the environment's path, or run `deactivate` first")
                .into());
            }
            let (envs, errors) = resolve_one(&p)?;
            return Ok(Resolved {
                errors,
                ..simple(envs)
            });
        }
    }
    for name in [".venv", "venv"] {
        let p = Path::new(name);
        if p.is_dir() {
            let (envs, errors) = resolve_one(p)?;
            return Ok(Resolved {
                errors,
                ..simple(envs)
            });
        }
    }
    match when_none {
        WhenNone::Discover => discovered(extra_roots),
        WhenNone::AskForAll => Err(BadInput::new(
            "no environment given and none active ($VIRTUAL_ENV, $CONDA_PREFIX, ./.venv, ./venv)",
        )
        .hint("pass the environment's path, or --all to fix every environment on the machine")
        .into()),
    }
}

fn discovered(extra_roots: &[PathBuf]) -> Result<Resolved> {
    let d = discover::discover(extra_roots);
    if d.envs.is_empty() {
        return Err(BadInput::new(
            "no environment given, none active, and no Python environment found on this machine \
             (looked in conda, pyenv, ~/.virtualenvs, pipx, uv, poetry, hatch and pdm folders)",
        )
        .hint("pass the environment's path, e.g. `pydoctor scan ~/envs/myenv`")
        .into());
    }
    Ok(Resolved {
        envs: d.envs,
        discovered: true,
        problems: d.problems,
        errors: Vec::new(),
    })
}

/// The environments one argument names, and those of its children that cannot be read.
fn resolve_one(arg: &Path) -> Result<(Vec<Env>, Vec<EnvError>)> {
    let abs = paths::logical_absolute(arg)
        .map_err(|e| BadInput::new(format!("cannot resolve {}: {e}", arg.display())))?;
    let meta = fs::metadata(&abs).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            BadInput::new(format!("{}: no such directory", arg.display()))
        }
        _ => BadInput::new(format!("{}: {e}", arg.display())),
    })?;
    if !meta.is_dir() {
        return Err(BadInput::new(format!(
            "{} is a file, not an environment directory",
            arg.display()
        ))
        .hint("pass the environment's root (the folder that holds bin/ and pyvenv.cfg)")
        .into());
    }
    let open = |p: &Path| Env::open(p).map_err(|e| BadInput::new(format!("{}: {e}", p.display())));
    if let Some(env) = open(&abs)? {
        return Ok((vec![env], Vec::new()));
    }
    // A folder of environments: its children, or a conda root's envs/.
    for dir in [abs.clone(), abs.join("envs")] {
        let (envs, errors) = children_envs(&dir);
        if !envs.is_empty() || !errors.is_empty() {
            return Ok((envs, errors));
        }
    }
    if abs.ends_with("bin")
        && abs
            .parent()
            .is_some_and(|p| matches!(Env::open(p), Ok(Some(_))))
    {
        return Err(BadInput::new(format!("{} is a bin/ folder", arg.display()))
            .hint("pass the environment's root, one level up")
            .into());
    }
    Err(BadInput::new(format!(
        "{}: no Python environment here (looked for pyvenv.cfg, conda-meta/ and bin/python)",
        arg.display()
    ))
    .into())
}

/// The environments directly in `dir`, and the folders that look like one but cannot be
/// read (a FIFO where pyvenv.cfg belongs): reported, not silently passed over.
fn children_envs(dir: &Path) -> (Vec<Env>, Vec<EnvError>) {
    let mut envs = Vec::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        return (envs, errors);
    }
    let walker = WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let Ok(entry) = entry else { continue };
        // Symlinked environments are followed one level; the walk itself never recurses.
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        match Env::open(path) {
            Ok(Some(env)) => envs.push(env),
            Ok(None) => {}
            Err(e) => errors.push(EnvError {
                path: path.to_path_buf(),
                message: format!("pyvenv.cfg: {e}"),
                hint: None,
            }),
        }
    }
    (envs, errors)
}
