//! Editable installs made by the real build backends (setuptools' PEP 660 finder and compat
//! modes, hatchling, legacy `setup.py develop`), then the project folder that holds the `.venv`
//! is moved: scan names every broken record, fix repoints them, and `import` works again.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// A project `name` with a package `name/` whose `where()` returns its own folder.
fn project(dir: &Path, name: &str, backend: &str) -> PathBuf {
    let p = dir.join(name);
    fs::create_dir_all(p.join(name)).unwrap();
    fs::write(
        p.join(name).join("__init__.py"),
        "import os\n\ndef where():\n    return os.path.dirname(os.path.abspath(__file__))\n",
    )
    .unwrap();
    let build = match backend {
        "hatchling" => "requires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"",
        _ => "requires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"",
    };
    // hatchling's plain mode: a .pth line with the project folder (its `editables` mode needs
    // a package the tools venv does not carry).
    let extra = if backend == "hatchling" {
        "[tool.hatch.build]\ndev-mode-dirs = [\".\"]\n"
    } else {
        ""
    };
    fs::write(
        p.join("pyproject.toml"),
        format!(
            "[build-system]\n{build}\n[project]\nname = \"{name}\"\nversion = \"0.1\"\n{extra}"
        ),
    )
    .unwrap();
    p
}

/// Build an editable wheel with the tools venv's backend and install it with the env's pip.
fn install_editable(tools: &Path, env: &Path, proj: &Path, backend: &str, mode: Option<&str>) {
    let dist = proj.join("dist");
    let code = match backend {
        "hatchling" => "import hatchling.build as b; print(b.build_editable('dist'))".to_owned(),
        _ => format!(
            "from setuptools import build_meta as b; print(b.build_editable('dist', {{'editable_mode': '{}'}}))",
            mode.unwrap_or("lenient")
        ),
    };
    let wheel = sh(Command::new(tools).args(["-c", &code]).current_dir(proj));
    sh(Command::new(env.join("bin/python"))
        .args(["-m", "pip", "install", "-q", "--no-index", "--no-deps"])
        .arg(dist.join(wheel.trim().lines().last().unwrap()))
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1"));
}

#[test]
fn a_moved_project_keeps_its_editable_installs() {
    let Some(tools) = tools_bin("main", "python") else {
        return;
    };
    let tmp = tempdir();
    let old = tmp.path().join("home/u/proj");
    let env = old.join(".venv");
    make_venv(Path::new("python3"), &env, true);
    let finder = project(&old, "finderpkg", "setuptools");
    install_editable(&tools, &env, &finder, "setuptools", Some("lenient"));
    let compat = project(&old, "compatpkg", "setuptools");
    install_editable(&tools, &env, &compat, "setuptools", Some("compat"));
    let hatch = project(&old, "hatchpkg", "hatchling");
    install_editable(&tools, &env, &hatch, "hatchling", None);
    // Legacy `setup.py develop` (an .egg-link and easy-install.pth), with the env's setuptools.
    let legacy = old.join("legacypkg");
    fs::create_dir_all(legacy.join("legacypkg")).unwrap();
    fs::write(
        legacy.join("legacypkg/__init__.py"),
        "import os\n\ndef where():\n    return os.path.dirname(os.path.abspath(__file__))\n",
    )
    .unwrap();
    fs::write(
        legacy.join("setup.py"),
        "from setuptools import setup\nsetup(name='legacypkg', version='0.1', packages=['legacypkg'])\n",
    )
    .unwrap();
    let develop = Command::new(env.join("bin/python"))
        .args(["setup.py", "-q", "develop", "--no-deps"])
        .current_dir(&legacy)
        .output()
        .unwrap();
    let has_legacy = develop.status.success();
    if !has_legacy {
        eprintln!("note: setup.py develop is not available with this setuptools; skipping it");
    }
    let mut pkgs = vec!["finderpkg", "compatpkg", "hatchpkg"];
    if has_legacy {
        pkgs.push("legacypkg");
    }
    let import = |env: &Path| {
        let code = format!(
            "import {0}; print('\\n'.join(m.where() for m in [{0}]))",
            pkgs.join(", ")
        );
        Command::new(env.join("bin/python"))
            .args(["-c", &code])
            .output()
            .unwrap()
    };
    assert!(import(&env).status.success(), "installed editable");
    let fresh = pydoctor(["scan".as_ref(), "--offline".as_ref(), env.as_os_str()]);
    assert_eq!(fresh.code, 0, "fresh: {}", fresh.stdout);

    // The project folder, .venv inside, moves.
    let new = tmp.path().join("home/u/work/proj");
    move_env(&old, &new);
    let env = new.join(".venv");
    assert!(
        !import(&env).status.success(),
        "the move breaks the imports"
    );
    let scan = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        env.as_os_str(),
    ]);
    let broken = finding_names(&scan.json(), "PD125");
    assert!(
        broken.len() >= pkgs.len(),
        "every record is found: {broken:?}"
    );
    let fix = pydoctor(["fix".as_ref(), env.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let out = import(&env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for (line, pkg) in text.lines().zip(&pkgs) {
        assert_eq!(
            real(Path::new(line)),
            real(&new.join(pkg).join(pkg)),
            "{pkg}"
        );
    }
    let again = pydoctor(["scan".as_ref(), "--offline".as_ref(), env.as_os_str()]);
    assert_eq!(again.code, 0, "{}", again.stdout);
    // pip agrees: its editable lines name the new folders. (The wheels here were built, then
    // installed from files, so their direct_url.json names a wheel, not an editable folder.)
    let freeze = sh(Command::new(env.join("bin/python"))
        .args(["-m", "pip", "freeze"])
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1"));
    for line in freeze.lines().filter(|l| l.starts_with("-e ")) {
        assert!(line.contains(&new.display().to_string()), "{freeze}");
    }
}

#[test]
fn a_deleted_project_is_an_error_with_the_reinstall_command() {
    let Some(tools) = tools_bin("main", "python") else {
        return;
    };
    let tmp = tempdir();
    let env = tmp.path().join("env");
    make_venv(Path::new("python3"), &env, true);
    let proj = project(tmp.path(), "gonepkg", "hatchling");
    install_editable(&tools, &env, &proj, "hatchling", None);
    fs::remove_dir_all(&proj).unwrap();
    let scan = pydoctor(["scan".as_ref(), "--offline".as_ref(), env.as_os_str()]);
    assert_eq!(scan.code, 1, "{}", scan.stdout);
    assert!(scan.stdout.contains("PD125"), "{}", scan.stdout);
    assert!(scan.stdout.contains("pip install -e"), "{}", scan.stdout);
}

/// `uv pip install -e` (uv builds with hatchling from local wheels, offline) into a `uv venv`
/// in the project; the project folder moves; `fix` makes `import` work again.
#[test]
fn uv_pip_install_editable_survives_a_project_move() {
    let Some(uv) = tools_bin("main", "uv") else {
        return;
    };
    let wheels = uv.parent().unwrap().join("../../wheels");
    if !wheels.is_dir() {
        assert!(
            std::env::var_os("PYDOCTOR_REQUIRE_TOOLS").is_none(),
            "{} is missing",
            wheels.display()
        );
        eprintln!("note: no local wheels for uv's offline build; skipping");
        return;
    }
    let tmp = tempdir();
    let old = tmp.path().join("home/u/proj");
    let proj = project(&old, "uvpkg", "hatchling");
    let env = proj.join(".venv");
    let uv_env = |c: &mut Command| {
        hermetic(c)
            .env("UV_CACHE_DIR", tmp.path().join("uv-cache"))
            .env("UV_PYTHON_DOWNLOADS", "never")
            .env("UV_NO_CONFIG", "1");
    };
    let mut venv = Command::new(&uv);
    uv_env(&mut venv);
    sh(venv
        .args(["venv", "-q", "--python", "python3"])
        .arg(&env)
        .current_dir(&proj));
    let mut install = Command::new(&uv);
    uv_env(&mut install);
    sh(install
        .args([
            "pip",
            "install",
            "-q",
            "--offline",
            "--no-index",
            "--find-links",
        ])
        .arg(&wheels)
        .arg("--python")
        .arg(env.join("bin/python"))
        .args(["-e", "."])
        .current_dir(&proj));
    let import = |env: &Path| {
        Command::new(env.join("bin/python"))
            .args(["-c", "import uvpkg; print(uvpkg.where())"])
            .output()
            .unwrap()
    };
    assert!(import(&env).status.success());

    let new_proj = tmp.path().join("home/u/work/uvpkg");
    move_env(&proj, &new_proj);
    let env = new_proj.join(".venv");
    assert!(!import(&env).status.success(), "the move breaks the import");
    let scan = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        env.as_os_str(),
    ]);
    assert!(
        !finding_names(&scan.json(), "PD125").is_empty(),
        "{}",
        scan.stdout
    );
    let fix = pydoctor(["fix".as_ref(), env.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let out = import(&env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        real(Path::new(String::from_utf8_lossy(&out.stdout).trim())),
        real(&new_proj.join("uvpkg"))
    );
    let again = pydoctor(["scan".as_ref(), "--offline".as_ref(), env.as_os_str()]);
    assert_eq!(again.code, 0, "{}", again.stdout);
}
