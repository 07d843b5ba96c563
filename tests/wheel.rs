//! The wheel Python users install: maturin builds it from pyproject.toml, then pip (into a fresh
//! venv), `uv tool install` and `pipx install` install it from the file, offline, and the
//! `pydoctor` each puts on PATH runs and scans. Built in its own target folder (a release build
//! with LTO: a few minutes), so it never waits on the test build's lock.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{finish, hermetic, sh, tempdir, tools_bin};

fn build_wheel(out: &Path) -> Option<PathBuf> {
    let maturin = tools_bin("main", "maturin")?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    sh(Command::new(maturin)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--locked",
            "--offline",
            "--target-dir",
        ])
        .arg(root.join("target/wheel"))
        .arg("--out")
        .arg(out));
    let wheels: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "{wheels:?}");
    let name = wheels[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("pydoctor_env-"), "{name}");
    Some(wheels[0].clone())
}

/// `pydoctor --version` and a JSON scan of `env` (a healthy one) through the installed command.
fn runs_and_scans(pydoctor: &Path, env: &Path) {
    let version = sh(hermetic(&mut Command::new(pydoctor)).arg("--version"));
    assert_eq!(
        version.trim(),
        concat!("pydoctor ", env!("CARGO_PKG_VERSION")),
        "{}",
        pydoctor.display()
    );
    let scan = finish(
        hermetic(&mut Command::new(pydoctor))
            .args(["scan", "--format", "json"])
            .arg(env)
            .output()
            .unwrap(),
    );
    assert_eq!(scan.code, 0, "{}\n{}", scan.stdout, scan.stderr);
    let doc: serde_json::Value = serde_json::from_str(&scan.stdout).unwrap();
    assert_eq!(doc["envs"].as_array().map(Vec::len), Some(1), "{doc}");
}

#[test]
fn the_wheel_installs_with_pip_uv_tool_and_pipx_and_runs() {
    let (Some(uv), Some(pipx)) = (tools_bin("main", "uv"), tools_bin("main", "pipx")) else {
        return;
    };
    let tmp = tempdir();
    let t = tmp.path();
    let Some(wheel) = build_wheel(&t.join("dist")) else {
        return;
    };

    // pip, into a fresh venv.
    let venv = t.join("venv");
    sh(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    sh(Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "--no-index", "--disable-pip-version-check"])
        .arg(&wheel));
    runs_and_scans(&venv.join("bin/pydoctor"), &venv);

    // uv tool install from the file.
    let (uv_tools, uv_bin) = (t.join("uv-tools"), t.join("uv-bin"));
    sh(hermetic(&mut Command::new(&uv))
        .args(["tool", "install", "--offline", "--python", "python3"])
        .arg(&wheel)
        .env("UV_TOOL_DIR", &uv_tools)
        .env("UV_TOOL_BIN_DIR", &uv_bin)
        .env("UV_CACHE_DIR", t.join("uv-cache"))
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("UV_NO_CONFIG", "1"));
    runs_and_scans(&uv_bin.join("pydoctor"), &uv_tools.join("pydoctor-env"));

    // pipx install from the file.
    let (pipx_home, pipx_bin) = (t.join("pipx-home"), t.join("pipx-bin"));
    sh(hermetic(&mut Command::new(&pipx))
        .args(["install", "--python", "python3"])
        .arg(&wheel)
        .env("PIPX_HOME", &pipx_home)
        .env("PIPX_BIN_DIR", &pipx_bin)
        .env("PIP_NO_INDEX", "1"));
    runs_and_scans(
        &pipx_bin.join("pydoctor"),
        &pipx_home.join("venvs/pydoctor-env"),
    );
}
