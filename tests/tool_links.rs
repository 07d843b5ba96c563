//! A pipx tool after a home migration: the command link in ~/.local/bin dangles and the tool's
//! own environment names the old home. `scan --all` finds both; `fix --all` relinks the command
//! and repairs the environment, and the command runs again.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// The installer `tool` from the tools venv, a scratch folder, the `pdtool` wheel, the home
/// to install into and a hermetic command for the installer (or `None`, with a note).
fn set_up(tool: &str) -> Option<(tempfile::TempDir, PathBuf, PathBuf, Command)> {
    let exe = tools_bin("main", tool)?;
    let tmp = tempdir();
    let wheel = pdtool_wheel(tmp.path())?;
    let old_home = tmp.path().join("home/u");
    fs::create_dir_all(&old_home).unwrap();
    let mut install = Command::new(exe);
    hermetic(&mut install);
    install.env("HOME", &old_home);
    Some((tmp, wheel, old_home, install))
}

#[test]
fn a_migrated_home_gets_its_pipx_commands_back() {
    let Some((tmp, wheel, old_home, mut install)) = set_up("pipx") else {
        return;
    };
    sh(install
        .args(["install", "--pip-args=--no-index"])
        .arg(&wheel)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1"));
    assert!(old_home.join(".local/bin/pdtool").exists());

    migrate_and_fix(tmp.path(), &old_home, ".local/share/pipx/venvs/pdtool");
}

/// The same migration for `uv tool install`: its link in ~/.local/bin (UV_TOOL_BIN_DIR's
/// default) and its tool env under ~/.local/share/uv/tools.
#[test]
fn a_migrated_home_gets_its_uv_tool_commands_back() {
    let Some((tmp, wheel, old_home, mut install)) = set_up("uv") else {
        return;
    };
    sh(install
        .args(["tool", "install", "-q", "--offline", "--python", "python3"])
        .arg(&wheel)
        .env("UV_CACHE_DIR", tmp.path().join("uv-cache"))
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("UV_NO_CONFIG", "1"));
    let tool_env = old_home.join(".local/share/uv/tools/pdtool");
    assert!(tool_env.is_dir() && old_home.join(".local/bin/pdtool").exists());

    migrate_and_fix(tmp.path(), &old_home, ".local/share/uv/tools/pdtool");
}

/// The home at `old_home` migrates to `tmp/home2/u`: `scan --all` reports the dangling
/// `~/.local/bin/pdtool` (only it), `fix --all --yes` relinks it, and the command runs the tool
/// env at `tool_env` (relative to the new home) again.
fn migrate_and_fix(tmp: &Path, old_home: &Path, tool_env: &str) {
    let home = tmp.join("home2/u");
    move_env(old_home, &home);
    let link = home.join(".local/bin/pdtool");
    assert!(fs::metadata(&link).is_err(), "the link dangles");
    let run = |args: &[&str]| {
        let mut c = command();
        c.args(args).env("HOME", &home).current_dir(&home);
        finish(c.output().unwrap())
    };
    let scan = run(&["scan", "--all", "--offline", "--format", "json"]);
    let v = scan.json();
    let dangling: Vec<&str> = v["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PD127")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(dangling, [link.to_str().unwrap()], "{}", scan.stdout);
    assert_eq!(scan.code, 1);

    let fix = run(&["fix", "--all", "--yes"]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let out = sh(&mut Command::new(&link));
    assert_eq!(real(Path::new(out.trim())), real(&home.join(tool_env)));
    assert_eq!(run(&["scan", "--all", "--offline"]).code, 0);
}
