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

/// Installed interpreters named `pythonX.Y` (on PATH, pyenv versions, uv-managed pythons), each
/// with the full version it reports when run.
pub fn installed(mm: &str) -> Vec<(PathBuf, String)> {
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
        out.extend(found);
    }
    out.retain(|p| !p.to_string_lossy().contains("/shims/"));
    let prefix = format!("{mm}.");
    out.into_iter()
        .filter_map(|p| {
            let o = Command::new(&p)
                .args(["-c", "import platform; print(platform.python_version())"])
                .output()
                .ok()?;
            let v = String::from_utf8_lossy(&o.stdout).trim().to_owned();
            (o.status.success() && v.starts_with(&prefix)).then_some((p, v))
        })
        .collect()
}

/// The interpreter to relink an environment of version `wanted` (pyvenv.cfg's, e.g. 3.11.7)
/// to (virtualenv writes it as 3.11.7.final.0): the exact version when installed, else the newest patch release of the same X.Y; among
/// equals, the first found (PATH before pyenv before uv).
pub fn choose(wanted: Option<&str>, candidates: Vec<(PathBuf, String)>) -> Option<PathBuf> {
    if let Some(w) = wanted
        && let Some(i) = candidates
            .iter()
            .position(|(_, v)| w == v || w.starts_with(&format!("{v}.")))
    {
        return Some(candidates[i].0.clone());
    }
    let patch = |v: &str| {
        v.split('.')
            .nth(2)
            .map(|p| {
                p.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let best = candidates.iter().map(|(_, v)| patch(v)).max()?;
    candidates
        .into_iter()
        .find(|(_, v)| patch(v) == best)
        .map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(list: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
        list.iter()
            .map(|(p, v)| (PathBuf::from(p), v.to_string()))
            .collect()
    }

    #[test]
    fn exact_version_first_then_newest_patch() {
        let found = c(&[
            ("/usr/bin/python3.11", "3.11.2"),
            ("/h/.pyenv/versions/3.11.10/bin/python3.11", "3.11.10"),
            ("/h/.pyenv/versions/3.11.7/bin/python3.11", "3.11.7"),
        ]);
        assert_eq!(
            choose(Some("3.11.7"), found.clone()),
            Some(PathBuf::from("/h/.pyenv/versions/3.11.7/bin/python3.11"))
        );
        assert_eq!(
            choose(Some("3.11.7.final.0"), found.clone()),
            Some(PathBuf::from("/h/.pyenv/versions/3.11.7/bin/python3.11"))
        );
        // Not installed: the newest patch (10 > 7 > 2, numerically, not as text).
        assert_eq!(
            choose(Some("3.11.5"), found.clone()),
            Some(PathBuf::from("/h/.pyenv/versions/3.11.10/bin/python3.11"))
        );
        assert_eq!(
            choose(None, found),
            Some(PathBuf::from("/h/.pyenv/versions/3.11.10/bin/python3.11"))
        );
        // Equal versions: the first found (PATH) wins; nothing found, nothing chosen.
        let twins = c(&[("/a/python3.12", "3.12.1"), ("/b/python3.12", "3.12.1")]);
        assert_eq!(
            choose(Some("3.12.0"), twins),
            Some(PathBuf::from("/a/python3.12"))
        );
        assert_eq!(choose(Some("3.12.0"), Vec::new()), None);
        // A pre-release counts by its patch number.
        let pre = c(&[("/a/python3.13", "3.13.0rc2"), ("/b/python3.13", "3.13.1")]);
        assert_eq!(choose(None, pre), Some(PathBuf::from("/b/python3.13")));
    }
}
