//! Choosing what a broken script should run instead. Reads only metadata (does the target
//! exist); the rewrite itself is computed from fresh bytes at apply time.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::engine::facts::{Facts, InterpState, OwnPython};
use crate::scripts::Script;

/// A file is there (or there but hidden from us by permissions, which the kernel may not
/// share: the script's users may see it).
fn runnable(p: &Path) -> bool {
    fs::metadata(p).map_or_else(|e| !crate::paths::is_gone(&e), |m| m.is_file())
}

fn is_python_name(name: &[u8]) -> bool {
    name.starts_with(b"python") || name.starts_with(b"pypy")
}

/// The interpreter `s` should run, keeping the environment's path as the user spelled it:
/// 1. `--python` when given;
/// 2. the same file under the environment's new location (`OLD/bin/python3.11` ->
///    `ENV/bin/python3.11`);
/// 3. the environment's own interpreter of the same name, else `python3`, else `python`.
pub fn target(
    f: &Facts,
    s: &Script,
    state: &InterpState,
    python: Option<&Path>,
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
        if runnable(&candidate) {
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
    .find(|p| runnable(p))
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
