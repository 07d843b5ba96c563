//! PD110's opt-in fix: when a venv's base interpreter was removed or upgraded, point its
//! dangling `bin/python*` links at an installed interpreter of the same major.minor and update
//! pyvenv.cfg (`home`, `executable`, `version`). Links are swapped atomically (a new link under
//! a temp name, then rename).

use std::ffi::OsStr;
use std::io;
use std::path::Path;
use std::process::Command;

use super::Planned;
use crate::paths::is_gone;
use crate::write::{Change, Tree};

/// The new pyvenv.cfg text for a base interpreter at `exe` reporting `version`.
fn new_cfg(text: &str, exe: &Path, version: &str) -> Result<String, String> {
    let home = exe.parent().unwrap_or(Path::new("/")).display().to_string();
    let exe = exe.display().to_string();
    if format!("{home}{exe}{version}").contains(['\n', '\r', '\0']) {
        return Err("the interpreter's path holds a line break; pyvenv.cfg cannot carry it".into());
    }
    let mut out: String = text
        .lines()
        .map(|l| {
            let key = l.split('=').next().unwrap_or("").trim();
            match key {
                "home" => format!("home = {home}\n"),
                "executable" => format!("executable = {exe}\n"),
                "version" | "version_info" => format!("{key} = {version}\n"),
                _ => format!("{l}\n"),
            }
        })
        .collect();
    if text.is_empty() {
        out.clear();
    }
    Ok(out)
}

/// Jobs that relink every dangling absolute `bin/python*` link to `base` and point pyvenv.cfg
/// (`home`, `executable`, `version`) at it: one batch, journaled like every fix.
pub fn jobs(tree: &Tree, base: &Path) -> io::Result<Vec<Planned>> {
    let bin = tree.dir(Path::new("bin"))?;
    let mut names = bin.names()?;
    names.sort();
    let mut out = Vec::new();
    for name in names {
        if !name.to_string_lossy().starts_with("python") {
            continue;
        }
        if !bin.stat(&name).is_ok_and(|s| s.is_symlink()) {
            continue;
        }
        let old = bin.readlink(&name)?;
        // python -> python3.11 is fixed by fixing its target.
        if !old.is_absolute() || !std::fs::metadata(&old).is_err_and(|e| is_gone(&e)) {
            continue;
        }
        out.push(Planned {
            job: crate::write::Job {
                dir: std::sync::Arc::clone(&bin),
                path: tree.root_path().join("bin").join(&name),
                name,
                change: Change::Relink {
                    to: base.to_path_buf(),
                    expect: None,
                },
            },
            from: old.display().to_string(),
            to: base.display().to_string(),
        });
    }
    let version = Command::new(base)
        .args(["-c", "import platform; print(platform.python_version())"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())?;
    let exe = base.to_path_buf();
    let cfg = tree.root_path().join("pyvenv.cfg");
    if tree.root().stat(OsStr::new("pyvenv.cfg")).is_ok() {
        let compute: crate::write::Compute = Box::new(move |content: &[u8]| {
            let text = std::str::from_utf8(content).map_err(|_| "not UTF-8 text".to_string())?;
            let new = new_cfg(text, &exe, &version)?;
            Ok((new != text).then(|| new.into_bytes()))
        });
        out.push(Planned {
            job: tree.job(&cfg, Change::Rewrite(compute))?,
            from: "the old base interpreter".into(),
            to: base.display().to_string(),
        });
    }
    Ok(out)
}
