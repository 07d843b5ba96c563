//! Facts about the machine rather than one environment: the process's variables, the user's
//! pip config, the user's Jupyter kernelspecs and IPython profile. Gathered once per run, so
//! each machine-wide problem is reported once however many environments are scanned.

use std::path::{Path, PathBuf};

use super::facts::{Facts, Kernel, OwnPython, kernels_in};
use super::pip::PipIndex;
use crate::fsread;

/// A user kernelspec whose interpreter is gone, and the scanned environment it belongs to
/// (its interpreter lies under that environment's current or former location).
#[derive(Debug, Clone)]
pub struct UserKernel {
    pub kernel: Kernel,
    /// The owning environment's working interpreter, to point the kernel at.
    pub owner_python: PathBuf,
    pub owner_root: PathBuf,
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
    pub ipython: Option<IpythonProfile>,
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

/// Broken user kernelspecs that belong to one of `envs`.
fn user_kernels(envs: &[&Facts]) -> Vec<UserKernel> {
    let Some(dir) = user_kernels_dir() else {
        return Vec::new();
    };
    kernels_in(&dir)
        .into_iter()
        .filter(|k| !k.exists)
        .filter_map(|k| {
            let p = Path::new(&k.argv0);
            let owner = envs.iter().find(|f| {
                p.starts_with(&f.env.root)
                    || f.old_root.as_deref().is_some_and(|o| p.starts_with(o))
            })?;
            let OwnPython::Ok(python) = &owner.own_python else {
                return None;
            };
            Some(UserKernel {
                owner_python: python.clone(),
                owner_root: owner.env.root.clone(),
                kernel: k,
            })
        })
        .collect()
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

/// Gather the machine's facts; `envs` are the environments scanned in this run.
pub fn gather(envs: &[&Facts], pip: Vec<PipIndex>) -> MachineFacts {
    MachineFacts {
        stale_virtual_env: std::env::var_os("VIRTUAL_ENV")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| !p.is_dir()),
        pythonhome: std::env::var("PYTHONHOME").ok().filter(|v| !v.is_empty()),
        pip,
        pip_config_errors: super::pip::invalid_files(None),
        user_kernels: user_kernels(envs),
        ipython: ipython_profile(envs),
    }
}
