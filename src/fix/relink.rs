//! PD110's opt-in fix: when a venv's base interpreter was removed or upgraded, point its
//! dangling `bin/python*` links at an installed interpreter of the same major.minor and update
//! pyvenv.cfg (`home`, `executable`, `version`). Links are swapped atomically (a new link under
//! a temp name, then rename).

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::env::Env;

/// Replace the symlink at `link` with one to `target`, atomically.
fn swap_link(link: &Path, target: &Path) -> std::io::Result<()> {
    let dir = link.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        "{}relink-{}{}",
        crate::write::TEMP_PREFIX,
        std::process::id(),
        crate::write::TEMP_SUFFIX
    ));
    let _ = fs::remove_file(&tmp);
    symlink(target, &tmp)?;
    fs::rename(&tmp, link)
}

/// The new pyvenv.cfg text for a base interpreter at `exe` reporting `version`.
fn new_cfg(text: &str, exe: &Path, version: &str) -> String {
    let home = exe.parent().unwrap_or(Path::new("/")).display().to_string();
    text.lines()
        .map(|l| {
            let key = l.split('=').next().unwrap_or("").trim();
            match key {
                "home" => format!("home = {home}"),
                "executable" => format!("executable = {}", exe.display()),
                "version" | "version_info" => format!("{key} = {version}"),
                _ => l.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Relink every dangling absolute `bin/python*` link to `exe`; returns the links changed.
pub fn relink(env: &Env, exe: &Path, dry_run: bool) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut changed = Vec::new();
    let bin = env.bin();
    let mut names: Vec<PathBuf> = fs::read_dir(&bin)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("python"))
        })
        .collect();
    names.sort();
    for link in names {
        let Ok(meta) = fs::symlink_metadata(&link) else {
            continue;
        };
        if !meta.file_type().is_symlink() || fs::metadata(&link).is_ok() {
            continue;
        }
        let old = fs::read_link(&link)?;
        if !old.is_absolute() {
            continue; // python -> python3.11: fixed by fixing its target
        }
        if !dry_run {
            swap_link(&link, exe)?;
        }
        changed.push((link, old));
    }
    let cfg_path = env.root.join("pyvenv.cfg");
    if !dry_run && let Ok(text) = fs::read_to_string(&cfg_path) {
        let out = Command::new(exe)
            .args(["-c", "import platform; print(platform.python_version())"])
            .output()?;
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        crate::write::write_atomic(
            &cfg_path,
            new_cfg(&text, exe, &version).as_bytes(),
            Some(0o644),
        )?;
    }
    Ok(changed)
}
