//! Every tool's environments, made by the real tools (tests/tools/install.sh puts them under
//! target/tools/), broken the ways users break them, fixed, and then used for real: every
//! console script runs, and every activate script, sourced in its own shell, activates the
//! environment's new place. Fresh environments of every tool scan clean and `fix --dry-run`
//! changes nothing.
//!
//! A missing tool or shell skips its cases with a printed note; with PYDOCTOR_REQUIRE_TOOLS=1
//! (set by .ci/run) it fails instead, so CI skips nothing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn require() -> bool {
    std::env::var_os("PYDOCTOR_REQUIRE_TOOLS").is_some_and(|v| v == "1")
}

fn missing(what: &str) {
    assert!(!require(), "{what} is missing and PYDOCTOR_REQUIRE_TOOLS=1");
    eprintln!("note: {what} not found; skipping its cases (tests/tools/install.sh installs it)");
}

fn tool(venv: &str, name: &str) -> Option<PathBuf> {
    tools_bin(venv, name)
}

fn shell(name: &str) -> Option<PathBuf> {
    match which(name) {
        Some(p) => Some(p),
        None => {
            missing(name);
            None
        }
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// A command with a clean, offline environment (set before the caller adds its own).
fn tool_cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    hermetic(&mut c);
    c.env("PIP_NO_INDEX", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("UV_OFFLINE", "1")
        .env("UV_NO_CACHE", "1")
        .env("VIRTUALENV_NO_PERIODIC_UPDATE", "1")
        .env_remove("PIP_FIND_LINKS");
    c
}

/// Run it; panics with its output on failure.
fn run(cmd: &mut Command, _home: &Path) -> String {
    sh(cmd)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Maker {
    Venv,
    Uv,
    UvRelocatable,
    Virtualenv20,
    Virtualenv21,
    Pipx,
    Poetry,
    Pdm,
    Hatch,
}

const MAKERS: &[Maker] = &[
    Maker::Venv,
    Maker::Uv,
    Maker::UvRelocatable,
    Maker::Virtualenv20,
    Maker::Virtualenv21,
    Maker::Pipx,
    Maker::Poetry,
    Maker::Pdm,
    Maker::Hatch,
];

/// A project folder for the tools that make an environment for a project.
fn project(base: &Path) -> PathBuf {
    let p = base.join("project");
    fs::create_dir_all(&p).unwrap();
    fs::write(
        p.join("pyproject.toml"),
        "[project]\nname = \"demo\"\nversion = \"0\"\n[tool.poetry]\npackage-mode = false\n",
    )
    .unwrap();
    p
}

/// Make an environment with `maker` under `base` and install the wheel's console script with
/// the tool's own installer. Returns the environment's root.
fn make(maker: Maker, base: &Path, home: &Path, wheel: &Path) -> Option<PathBuf> {
    fs::create_dir_all(base).unwrap();
    let env = base.join("env");
    let pip_install = |env: &Path| {
        run(
            tool_cmd(env.join("bin/python"))
                .args(["-m", "pip", "install", "-q", "--no-index"])
                .arg(wheel),
            home,
        );
    };
    let uv_install = |env: &Path| -> Option<()> {
        run(
            tool_cmd(tool("main", "uv")?)
                .args(["pip", "install", "-q", "--offline", "--python"])
                .arg(env.join("bin/python"))
                .arg(wheel),
            home,
        );
        Some(())
    };
    match maker {
        Maker::Venv => {
            make_venv(Path::new("python3"), &env, true);
            pip_install(&env);
        }
        Maker::Uv | Maker::UvRelocatable => {
            let mut c = tool_cmd(tool("main", "uv")?);
            c.args(["venv", "-q"]);
            if maker == Maker::UvRelocatable {
                c.arg("--relocatable");
            }
            run(c.arg(&env), home);
            uv_install(&env)?;
        }
        Maker::Virtualenv20 | Maker::Virtualenv21 => {
            let venv = if maker == Maker::Virtualenv20 {
                "ve20"
            } else {
                "main"
            };
            run(
                tool_cmd(tool(venv, "virtualenv")?).arg("-q").arg(&env),
                home,
            );
            pip_install(&env);
        }
        Maker::Pipx => {
            run(
                tool_cmd(tool("main", "pipx")?)
                    .args(["install", "--pip-args=--no-index"])
                    .arg(wheel)
                    .env("PIPX_HOME", base.join("pipx"))
                    .env("PIPX_BIN_DIR", base.join("pipx-bin")),
                home,
            );
            return Some(base.join("pipx/venvs/pdtool"));
        }
        Maker::Poetry => {
            let proj = project(base);
            let cache = base.join("poetry");
            let poetry = tool("main", "poetry")?;
            run(
                tool_cmd(&poetry)
                    .args(["env", "use", "python3"])
                    .current_dir(&proj)
                    .env("POETRY_VIRTUALENVS_PATH", &cache),
                home,
            );
            let env = fs::read_dir(&cache).ok()?.flatten().next()?.path();
            pip_install(&env);
            return Some(env);
        }
        Maker::Pdm => {
            let proj = project(base);
            run(
                tool_cmd(tool("main", "pdm")?)
                    .args(["venv", "create", "--force"])
                    .current_dir(&proj)
                    .env("PDM_CHECK_UPDATE", "false"),
                home,
            );
            let env = proj.join(".venv");
            uv_install(&env)?;
            return Some(env);
        }
        Maker::Hatch => {
            let proj = project(base);
            let data = base.join("hatch");
            let hatch = tool("main", "hatch")?;
            fs::write(
                proj.join("pyproject.toml"),
                "[project]\nname = \"demo\"\nversion = \"0\"\n\
                 [tool.hatch.envs.default]\nskip-install = true\n",
            )
            .unwrap();
            run(
                tool_cmd(&hatch)
                    .args(["env", "create"])
                    .current_dir(&proj)
                    .env("HATCH_DATA_DIR", &data),
                home,
            );
            let found = run(
                tool_cmd(&hatch)
                    .args(["env", "find"])
                    .current_dir(&proj)
                    .env("HATCH_DATA_DIR", &data),
                home,
            );
            let env = PathBuf::from(found.trim());
            uv_install(&env)?;
            return Some(env);
        }
    }
    Some(env)
}

#[derive(Debug, Clone, Copy)]
enum Breakage {
    Moved,
    Remounted,
    Copied,
    Space,
    Quote,
    Long,
}

const BREAKAGES: &[Breakage] = &[
    Breakage::Moved,
    Breakage::Remounted,
    Breakage::Copied,
    Breakage::Space,
    Breakage::Quote,
    Breakage::Long,
];

/// Break a fresh copy of `pristine` (a folder holding the env at `pristine/rel`); returns the
/// env's new path and, for a copy, the original's.
fn break_env(b: Breakage, pristine: &Path, rel: &Path, work: &Path) -> (PathBuf, Option<PathBuf>) {
    let base = work.join("mnt/glusterfs101/envs");
    copy_env(pristine, &base);
    let env = base.join(rel);
    match b {
        Breakage::Moved => {
            let to = env.with_file_name("moved-env");
            fs::rename(&env, &to).unwrap();
            (to, None)
        }
        Breakage::Remounted => {
            let to = work.join("mnt/glusterfs/envs");
            move_env(&base, &to);
            (to.join(rel), None)
        }
        Breakage::Copied => {
            let to = env.with_file_name("env-copy");
            copy_env(&env, &to);
            (to, Some(env))
        }
        Breakage::Space | Breakage::Quote | Breakage::Long => {
            let to = match b {
                Breakage::Space => work.join("my envs"),
                Breakage::Quote => work.join("it's \"$HOME\""),
                _ => long_dir(work, 140, "long"),
            };
            move_env(&base, &to);
            (to.join(rel), None)
        }
    }
}

/// What activating `env` in `sh` gives: `VIRTUAL_ENV`, `command -v python`, `sys.prefix`.
fn activate_in(sh: &str, env: &Path) -> Option<Vec<String>> {
    let bin = env.join("bin");
    let (file, script) = match sh {
        "fish" => (
            "activate.fish",
            "source \"$P/bin/activate.fish\"; and printf '%s\\n' $VIRTUAL_ENV (command -v python); and python -c 'import sys; print(sys.prefix)'",
        ),
        "tcsh" => (
            "activate.csh",
            "set prompt='> '; source \"$P:q/bin/activate.csh\"; printf '%s\\n' \"$VIRTUAL_ENV:q\"; which python; python -c 'import sys; print(sys.prefix)'",
        ),
        _ => (
            "activate",
            ". \"$P/bin/activate\" && printf '%s\\n' \"$VIRTUAL_ENV\" \"$(command -v python)\" && python -c 'import sys; print(sys.prefix)'",
        ),
    };
    if !bin.join(file).is_file() {
        return None;
    }
    let sh_path = shell(sh)?;
    let mut c = Command::new(sh_path);
    if sh == "tcsh" {
        c.arg("-f");
    }
    c.arg("-c").arg(script).env("P", env);
    hermetic(&mut c);
    let out = c.env_remove("PYTHONHOME").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{sh} activating {}: {text}{}",
        env.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(text.lines().map(str::to_owned).collect())
}

const SHELLS: &[&str] = &["bash", "dash", "zsh", "fish", "tcsh"];

/// Does activating `env` in `sh` give the env (VIRTUAL_ENV, python on PATH, sys.prefix)?
fn activates(sh: &str, env: &Path) -> Result<(), String> {
    let Some(lines) = activate_in(sh, env) else {
        return Err("no activate script for it".into());
    };
    if lines.len() == 3
        && Path::new(&lines[0]) == env
        && Path::new(&lines[1]) == env.join("bin/python")
        && real(Path::new(&lines[2])) == real(env)
    {
        Ok(())
    } else {
        Err(format!("{lines:?}"))
    }
}

fn check_works(maker: Maker, b: Breakage, env: &Path, shells: &[&str]) {
    let label = format!("{maker:?} {b:?} {}", env.display());
    let r = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--fail-on".as_ref(),
        "warning".as_ref(),
        env.as_os_str(),
    ]);
    assert_eq!(
        r.code, 0,
        "{label}: after fix, scan says\n{}{}",
        r.stdout, r.stderr
    );
    let out = run_script(&env.join("bin/pdtool"), &[]);
    assert_eq!(real(Path::new(out.trim())), real(env), "{label}: pdtool");
    for sh in shells {
        if let Err(got) = activates(sh, env) {
            panic!("{label}: activating in {sh} gives {got}");
        }
    }
}

#[test]
fn every_tool_every_breakage_every_shell() {
    let tmp = tempdir();
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let Some(wheel) = pdtool_wheel(tmp.path()) else {
        return;
    };
    let mut matrix = Vec::new();
    for &maker in MAKERS {
        let pristine = tmp.path().join(format!("{maker:?}"));
        let Some(env) = make(maker, &pristine, &home, &wheel) else {
            continue;
        };
        let rel = env.strip_prefix(&pristine).unwrap().to_path_buf();
        // The shells the tool's own templates support on a fresh env (uv's relocatable `activate`
        // cannot find itself in dash, before any move): those must work after every fix.
        let mut shells = Vec::new();
        for sh in SHELLS {
            if shell(sh).is_none() {
                continue;
            }
            match activates(sh, &env) {
                Ok(()) => shells.push(*sh),
                Err(why) => eprintln!(
                    "note: {maker:?}'s template does not activate in {sh} even fresh: {why}"
                ),
            }
        }

        // Fresh: clean, and a dry run changes nothing.
        let r = pydoctor([
            "scan".as_ref(),
            "--offline".as_ref(),
            "--fail-on".as_ref(),
            "info".as_ref(),
            env.as_os_str(),
        ]);
        assert_eq!(r.code, 0, "fresh {maker:?} env:\n{}{}", r.stdout, r.stderr);
        let dry = pydoctor([
            "fix".as_ref(),
            "--dry-run".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            env.as_os_str(),
        ]);
        assert!(
            dry.json()["envs"][0]["changed"]
                .as_array()
                .unwrap()
                .is_empty(),
            "{maker:?}: {}",
            dry.stdout
        );

        for &b in BREAKAGES {
            let work = tmp.path().join(format!("w-{maker:?}-{b:?}"));
            let (new, original) = break_env(b, &pristine, &rel, &work);
            let before_original = original.as_ref().map(|o| tree_bytes(o));
            let fix = pydoctor(["fix".as_ref(), new.as_os_str()]);
            assert_eq!(
                fix.code, 0,
                "{maker:?} {b:?}: fix\n{}{}",
                fix.stdout, fix.stderr
            );
            check_works(maker, b, &new, &shells);
            if let (Some(o), Some(before)) = (&original, before_original) {
                assert_eq!(
                    tree_bytes(o),
                    before,
                    "{maker:?}: the original of a copy is untouched"
                );
            }
            matrix.push(format!("{maker:?}/{b:?} in {}", shells.join("+")));
            let _ = fs::remove_dir_all(&work);
        }
    }
    eprintln!(
        "tool x breakage cases fixed and verified: {} ({})",
        matrix.len(),
        matrix.join(", ")
    );
}
