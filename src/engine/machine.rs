//! Facts about the machine rather than one environment: the process's variables, the user's
//! pip config, the user's Jupyter kernelspecs and IPython profile. Gathered once per run, so
//! each machine-wide problem is reported once however many environments are scanned.

use std::path::{Path, PathBuf};

use super::facts::{Facts, Kernel, OwnPython, kernels_in};
use super::pip::PipIndex;
use crate::fsread;

/// A user or system kernelspec whose interpreter is gone, and the scanned environment it
/// belongs to: the one its interpreter lies under (at its current or former location), else
/// one of the same name as the kernel. `None`: an orphan (its environment was deleted).
#[derive(Debug, Clone)]
pub struct UserKernel {
    pub kernel: Kernel,
    /// The owning environment's root and working interpreter, to point the kernel at.
    pub owner: Option<(PathBuf, PathBuf)>,
}

/// A command link of pipx or uv (`~/.local/bin/NAME`) whose target is gone.
#[derive(Debug, Clone)]
pub struct ToolLink {
    pub link: PathBuf,
    pub target: PathBuf,
    /// `pipx` or `uv tool`, and the tool environment's name.
    pub tool: &'static str,
    pub env_name: String,
    /// The same file in the tool's environment where discovery finds it now.
    pub now: Option<PathBuf>,
}

/// IPython's default profile, when an environment has IPython.
#[derive(Debug, Clone)]
pub struct IpythonProfile {
    pub path: PathBuf,
    pub exists: bool,
    pub autoreload: bool,
    /// A scanned environment with IPython installed.
    pub env: PathBuf,
}

#[derive(Debug, Default)]
pub struct MachineFacts {
    /// `$VIRTUAL_ENV` when it names a directory that does not exist.
    pub stale_virtual_env: Option<PathBuf>,
    pub pythonhome: Option<String>,
    /// Indexes set by the user's and the system's pip config and `$PIP_INDEX_URL`.
    pub pip: Vec<PipIndex>,
    /// The user's and the system's pip config files that pip would refuse to parse.
    pub pip_config_errors: Vec<(PathBuf, String)>,
    pub user_kernels: Vec<UserKernel>,
    pub tool_links: Vec<ToolLink>,
    pub ipython: Option<IpythonProfile>,
    /// `~/.conda/environments.txt` (when conda keeps one) and the scanned conda environments
    /// it does not list that conda would not find otherwise (outside a conda root's `envs/`).
    pub conda_unlisted: Option<(PathBuf, Vec<PathBuf>)>,
    /// PATH, pyenv, leaking variables, CA bundles, build settings.
    pub setup: super::setup::SetupFacts,
    /// conda channels, uv's Python mirror, the Hub: as configured, and probed unless offline.
    pub sources: super::sources::Sources,
}

/// The user's Jupyter kernels folder (`$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`).
fn user_kernels_dir() -> Option<PathBuf> {
    std::env::var_os("JUPYTER_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_DATA_HOME")
                .filter(|v| !v.is_empty())
                .map(|d| PathBuf::from(d).join("jupyter"))
        })
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/jupyter")))
        .map(|d| d.join("kernels"))
}

/// The kernelspec folders Jupyter reads beside the user's: `$JUPYTER_PATH`, then the system's.
fn system_kernels_dirs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::env::var_os("JUPYTER_PATH")
        .map(|v| {
            std::env::split_paths(&v)
                .map(|d| d.join("kernels"))
                .collect()
        })
        .unwrap_or_default();
    out.extend(
        [
            "/usr/local/share/jupyter/kernels",
            "/usr/share/jupyter/kernels",
        ]
        .map(PathBuf::from),
    );
    out
}

/// Every broken user and system kernelspec, with the scanned environment it belongs to.
fn user_kernels(envs: &[&Facts]) -> Vec<UserKernel> {
    let dirs = user_kernels_dir().into_iter().chain(system_kernels_dirs());
    dirs.flat_map(|d| kernels_in(&d))
        .filter(|k| !k.exists)
        .map(|k| {
            let p = Path::new(&k.argv0);
            let name = k.path.parent().and_then(Path::file_name);
            let owns = |f: &&&Facts| {
                p.starts_with(&f.env.root)
                    || f.old_root.as_deref().is_some_and(|o| p.starts_with(o))
            };
            let same_name = |f: &&&Facts| name.is_some() && f.env.root.file_name() == name;
            let owner = envs
                .iter()
                .find(owns)
                .or_else(|| envs.iter().find(same_name))
                .and_then(|f| match &f.own_python {
                    OwnPython::Ok(python) => Some((f.env.root.clone(), python.clone())),
                    _ => None,
                });
            UserKernel { kernel: k, owner }
        })
        .collect()
}

/// The tool environment a link target lies in: `.../pipx/venvs/NAME/REST` or
/// `.../uv/tools/NAME/REST`.
fn tool_env_of(target: &Path) -> Option<(&'static str, String, PathBuf)> {
    let comps: Vec<&std::ffi::OsStr> = target.iter().collect();
    (1..comps.len().saturating_sub(1)).find_map(|i| {
        let tool = match (comps[i - 1].to_str()?, comps[i].to_str()?) {
            (p, "venvs") if p.contains("pipx") => "pipx",
            ("uv", "tools") => "uv tool",
            _ => return None,
        };
        let name = comps[i + 1].to_str()?.to_owned();
        let rest: PathBuf = comps[i + 2..].iter().collect();
        Some((tool, name, rest))
    })
}

/// Dangling command links of pipx and uv tools, and where their targets are now.
fn tool_links() -> Vec<ToolLink> {
    let homes = crate::env::discover::tool_env_dirs();
    let mut out = Vec::new();
    for dir in crate::env::discover::tool_bin_dirs() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut links: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
            .map(|e| e.path())
            .collect();
        links.sort();
        for link in links {
            let Ok(target) = std::fs::read_link(&link) else {
                continue;
            };
            let target = dir.join(target);
            if !std::fs::metadata(&target).is_err_and(|e| crate::paths::is_gone(&e)) {
                continue;
            }
            let Some((tool, env_name, rest)) = tool_env_of(&target) else {
                continue;
            };
            let now = homes
                .iter()
                .filter(|(_, t)| *t == tool)
                .map(|(d, _)| d.join(&env_name).join(&rest))
                .find(|p| p.is_file());
            out.push(ToolLink {
                link,
                target,
                tool,
                env_name,
                now,
            });
        }
    }
    out
}

fn ipython_profile(envs: &[&Facts]) -> Option<IpythonProfile> {
    let env = envs.iter().find(|f| f.ipython)?.env.root.clone();
    let dir = std::env::var_os("IPYTHONDIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".ipython")))?;
    let path = dir.join("profile_default/ipython_config.py");
    let text = fsread::read_text(&path, fsread::CONFIG_CAP).ok();
    let autoreload = text.as_deref().is_some_and(|t| {
        t.lines()
            .any(|l| !l.trim_start().starts_with('#') && l.contains("autoreload"))
    });
    Some(IpythonProfile {
        exists: text.is_some(),
        path,
        autoreload,
        env,
    })
}

/// Scanned conda environments that `conda env list` does not know: not in
/// `~/.conda/environments.txt` and not in a conda root's `envs/` (which conda lists itself).
/// A base install (with `condabin/`) is conda's own.
fn conda_unlisted(envs: &[&Facts]) -> Option<(PathBuf, Vec<PathBuf>)> {
    let file = PathBuf::from(std::env::var_os("HOME")?).join(".conda/environments.txt");
    let text = fsread::read_text(&file, fsread::CONFIG_CAP).ok()?;
    let listed: Vec<&str> = text.lines().map(str::trim).collect();
    let unlisted: Vec<PathBuf> = envs
        .iter()
        .filter(|f| f.env.kind == crate::env::EnvKind::Conda)
        .map(|f| f.env.root.clone())
        .filter(|root| !root.join("condabin").is_dir())
        .filter(|root| {
            let in_root_envs = root.parent().is_some_and(|p| {
                p.file_name().is_some_and(|n| n == "envs")
                    && p.parent().is_some_and(|r| r.join("conda-meta").is_dir())
            });
            !in_root_envs && !listed.contains(&root.to_string_lossy().as_ref())
        })
        .collect();
    (!unlisted.is_empty()).then_some((file, unlisted))
}

/// Gather the machine's facts; `envs` are the environments scanned in this run.
pub fn gather(
    envs: &[&Facts],
    pip: Vec<PipIndex>,
    sources: super::sources::Sources,
) -> MachineFacts {
    MachineFacts {
        stale_virtual_env: std::env::var_os("VIRTUAL_ENV")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| !p.is_dir()),
        pythonhome: std::env::var("PYTHONHOME").ok().filter(|v| !v.is_empty()),
        pip,
        pip_config_errors: super::pip::invalid_files(None),
        user_kernels: user_kernels(envs),
        tool_links: tool_links(),
        ipython: ipython_profile(envs),
        setup: super::setup::gather(),
        conda_unlisted: conda_unlisted(envs),
        sources,
    }
}
