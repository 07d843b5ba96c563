//! Base interpreters installed on the machine: what a venv whose own interpreter is gone can
//! be relinked to. Reads folders and runs each candidate once to confirm its version.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use super::Env;

/// `X.Y` of the environment: pyvenv.cfg's version, else its lib/pythonX.Y.
pub fn major_minor(env: &Env) -> Option<String> {
    let v = env.version.as_deref()?;
    let mut parts = v.split('.');
    Some(format!("{}.{}", parts.next()?, parts.next()?))
}

/// Installed interpreters named `pythonX.Y`: on PATH, pyenv versions, uv-managed pythons.
/// Each is checked by running it.
pub fn installed(mm: &str) -> Vec<PathBuf> {
    let name = format!("python{mm}");
    let mut out: Vec<PathBuf> = which::which_all(&name)
        .map(|i| i.collect())
        .unwrap_or_default();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let pyenv = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".pyenv")));
    let uv = std::env::var_os("UV_PYTHON_INSTALL_DIR")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".local/share/uv/python")));
    for root in [pyenv.map(|p| p.join("versions")), uv]
        .into_iter()
        .flatten()
    {
        let Ok(dir) = fs::read_dir(&root) else {
            continue;
        };
        let mut found: Vec<PathBuf> = dir
            .flatten()
            .map(|e| e.path().join("bin").join(&name))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        found.reverse(); // newest patch release first
        out.extend(found);
    }
    out.retain(|p| !p.to_string_lossy().contains("/shims/"));
    out.into_iter()
        .filter(|p| {
            Command::new(p)
                .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
                .output()
                .is_ok_and(|o| {
                    o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == mm
                })
        })
        .collect()
}
