//! Helpers for integration tests: real interpreters, real venvs, real console scripts made by
//! pip's own distlib, and the pydoctor binary.
#![allow(dead_code)]

pub mod http;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }
}

/// The exit code and text output of a finished process.
pub fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// An empty home for this test process, so no test reads the developer's own files.
pub fn empty_home() -> PathBuf {
    let home = std::env::temp_dir().join(format!("pydoctor-test-home-{}", std::process::id()));
    fs::create_dir_all(&home).unwrap();
    home
}

/// Make `cmd` hermetic: an empty HOME, no XDG dirs, no discovery or pip/uv settings, no
/// active environment, no colour.
pub fn hermetic(cmd: &mut Command) -> &mut Command {
    for var in [
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "PYENV_ROOT",
        "WORKON_HOME",
        "CONDA_ENVS_PATH",
        "PIPX_HOME",
        "UV_TOOL_DIR",
        "POETRY_VIRTUALENVS_PATH",
        "PIP_INDEX_URL",
        "UV_DEFAULT_INDEX",
        "UV_INDEX_URL",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", empty_home())
        .env("NO_COLOR", "1")
        .env("PIP_CONFIG_FILE", "/dev/null")
}

/// The pydoctor binary, hermetic.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pydoctor"));
    hermetic(&mut c);
    c
}

/// Run pydoctor with `args`.
pub fn pydoctor<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    finish(command().args(args).output().expect("run pydoctor"))
}

pub fn pydoctor_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = command()
        .args(args)
        .current_dir(dir)
        .env("PWD", dir)
        .output()
        .expect("run pydoctor");
    finish(out)
}

/// Run a program and return its output; panics with stderr on failure.
pub fn sh(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every CPython 3 that can make a venv: `python3`, `python3.X` on PATH, and pyenv versions.
/// Missing ones are skipped with a printed note.
pub fn pythons() -> Vec<(String, PathBuf)> {
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut candidates: Vec<PathBuf> = Vec::new();
    for minor in 6..=14 {
        candidates.push(PathBuf::from(format!("python3.{minor}")));
    }
    candidates.push(PathBuf::from("python3"));
    let pyenv_root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    if let Some(root) = pyenv_root
        && let Ok(dir) = fs::read_dir(root.join("versions"))
    {
        for e in dir.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let mut parts = name.split('.');
            if let (Some("3"), Some(minor)) = (parts.next(), parts.next()) {
                candidates.push(e.path().join("bin").join(format!("python3.{minor}")));
            }
        }
    }
    for c in candidates {
        let out = Command::new(&c)
            .args([
                "-c",
                "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2]); print(sys.executable)",
            ])
            .output();
        let Ok(out) = out else { continue };
        if !out.status.success() {
            continue;
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        if let (Some(v), Some(exe)) = (lines.next(), lines.next()) {
            found
                .entry(v.to_owned())
                .or_insert_with(|| PathBuf::from(exe));
        }
    }
    for minor in 8..=13 {
        let v = format!("3.{minor}");
        if !found.contains_key(&v) {
            eprintln!("note: python{v} not found; skipping it");
        }
    }
    assert!(!found.is_empty(), "no python3 with venv found");
    found.into_iter().collect()
}

/// `python -m venv DIR` (with pip unless `without_pip`).
pub fn make_venv(python: &Path, dir: &Path, with_pip: bool) {
    let mut cmd = Command::new(python);
    cmd.args(["-m", "venv"]);
    if !with_pip {
        cmd.arg("--without-pip");
    }
    sh(cmd.arg(dir).env("PIP_NO_INDEX", "1"));
}

/// The env's site-packages.
pub fn purelib(env: &Path) -> PathBuf {
    let out = sh(Command::new(env.join("bin/python")).args([
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
    ]));
    PathBuf::from(out.trim())
}

/// Install a tiny module whose `main` prints the running interpreter's prefix, and console
/// scripts for it made by pip's own vendored distlib ScriptMaker, configured as `pip install`
/// configures it (the interpreter is the one running the maker: `env`'s own, with pip).
pub fn make_console_scripts(maker_python: &Path, env: &Path, names: &[&str], interp_args: &[&str]) {
    let site = purelib(env);
    fs::write(
        site.join("pdtest_mod.py"),
        "import sys\n\ndef main():\n    print(sys.prefix)\n    return 0\n",
    )
    .unwrap();
    let specs: Vec<String> = names
        .iter()
        .map(|n| format!("'{n} = pdtest_mod:main'"))
        .collect();
    let code = format!(
        "from pip._vendor.distlib.scripts import ScriptMaker\n\
         m = ScriptMaker(None, {bin:?}, add_launchers=False)\n\
         m.clobber = True\n\
         m.variants = set([''])\n\
         m.make_multiple([{specs}], options={{'interpreter_args': {args:?}}})\n",
        bin = env.join("bin").display().to_string(),
        specs = specs.join(", "),
        args = interp_args,
    );
    sh(Command::new(maker_python).args(["-c", &code]));
}

/// Every executable `#!` file in bin/, except activate scripts.
pub fn console_scripts(env: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(env.join("bin")).unwrap().flatten() {
        let p = e.path();
        let Ok(m) = fs::symlink_metadata(&p) else {
            continue;
        };
        if !m.is_file() || m.permissions().mode() & 0o111 == 0 {
            continue;
        }
        if fs::read(&p).unwrap_or_default().starts_with(b"#!") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Move a directory tree (rename; both ends are on the same temp filesystem).
pub fn move_env(from: &Path, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::rename(from, to).unwrap();
}

/// Copy a tree, keeping symlinks and modes (`cp -a`).
pub fn copy_env(from: &Path, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    sh(Command::new("cp").arg("-a").arg(from).arg(to));
}

/// A path component that makes the full path longer than `total` bytes.
pub fn long_dir(base: &Path, total: usize, tag: &str) -> PathBuf {
    let mut p = base.join(tag);
    let mut i = 0;
    while p.as_os_str().len() < total {
        p = p.join(format!("deeply-nested-folder-{i:02}"));
        i += 1;
    }
    p
}

/// Run a script and return its stdout (panics if it fails).
pub fn run_script(script: &Path, args: &[&str]) -> String {
    sh(Command::new(script).args(args).env_remove("PYTHONHOME"))
}

/// pydoctor with HOME/XDG_CONFIG_HOME in `home`, run from there, with no proxies and none of
/// the variables that override pip's, uv's, conda's or the Hub's config.
pub fn isolated(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pydoctor"));
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("NO_COLOR", "1")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .current_dir(home);
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
        "PIP_CONFIG_FILE",
        "PIP_INDEX_URL",
        "UV_DEFAULT_INDEX",
        "UV_INDEX_URL",
        "UV_PYTHON_INSTALL_MIRROR",
        "HF_ENDPOINT",
        "CONDARC",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
    ] {
        c.env_remove(var);
    }
    c
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("pydoctor-test-")
        .tempdir()
        .unwrap()
}

/// A path's real location, for comparing with what Python reports.
pub fn real(p: &Path) -> PathBuf {
    fs::canonicalize(p).unwrap_or_else(|e| panic!("canonicalize {}: {e}", p.display()))
}

/// The file names (last path component) of the findings of `rule` in a scan's first env.
pub fn finding_names(scan: &serde_json::Value, rule: &str) -> Vec<String> {
    scan["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            let p = f["path"].as_str().unwrap();
            p.rsplit('/').next().unwrap_or(p).to_owned()
        })
        .collect()
}

/// Every regular file under `dir`, recursively, with its bytes, sorted by path (files named
/// `*.pyc` left out: Python writes them as it runs).
pub fn tree_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() && e.path().extension().is_none_or(|x| x != "pyc") {
                out.push((e.path(), fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A tool from tests/tools/install.sh's cached venvs (`venv` is `main` or `ve20`). Missing: a
/// printed note and `None`, or a failure when PYDOCTOR_REQUIRE_TOOLS=1 (as in CI).
pub fn tools_bin(venv: &str, name: &str) -> Option<PathBuf> {
    let p = std::env::var_os("PYDOCTOR_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools"))
        .join(venv)
        .join("bin")
        .join(name);
    if p.is_file() {
        return Some(p);
    }
    assert!(
        std::env::var_os("PYDOCTOR_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
        "{} is missing and PYDOCTOR_REQUIRE_TOOLS=1",
        p.display()
    );
    eprintln!(
        "note: {} not found; skipping (tests/tools/install.sh installs it)",
        p.display()
    );
    None
}

/// A wheel of `pdtool`, whose console script prints `sys.prefix`, built in `dir` with the
/// tools venv's hatchling (offline).
pub fn pdtool_wheel(dir: &Path) -> Option<PathBuf> {
    let python = tools_bin("main", "python")?;
    let proj = dir.join("pdtool-project");
    fs::create_dir_all(&proj).unwrap();
    fs::write(
        proj.join("pyproject.toml"),
        "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\
         [project]\nname = \"pdtool\"\nversion = \"1.0\"\n\
         [project.scripts]\npdtool = \"pdtool:main\"\n\
         [tool.hatch.build.targets.wheel]\ninclude = [\"pdtool.py\"]\n",
    )
    .unwrap();
    fs::write(
        proj.join("pdtool.py"),
        "import sys\n\ndef main():\n    print(sys.prefix)\n",
    )
    .unwrap();
    let name = sh(Command::new(python)
        .args([
            "-c",
            "import hatchling.build as b; print(b.build_wheel('dist'))",
        ])
        .current_dir(&proj));
    Some(proj.join("dist").join(name.trim().lines().last()?))
}

/// The real `python3`: its executable (links resolved), its stdlib folder and its `X.Y`.
pub fn python_layout() -> (String, String, String) {
    let info = sh(Command::new("python3").args([
        "-c",
        "import sys, sysconfig, os; print(os.path.realpath(sys.executable)); print(sysconfig.get_paths()['stdlib']); print('%d.%d' % sys.version_info[:2])",
    ]));
    let mut lines = info.lines().map(str::to_owned);
    let mut next = || lines.next().expect("python3 printed three lines");
    (next(), next(), next())
}
