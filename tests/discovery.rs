//! Machine-wide discovery and the user config, in a fake HOME holding real venvs and
//! conda-style prefixes under each discovery root. Never reads the real user's home.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn venv(p: &Path) {
    make_venv(Path::new("python3"), p, false);
}

/// A conda-style prefix: conda-meta/ and a bin/python link to the real interpreter.
fn conda_prefix(p: &Path) {
    fs::create_dir_all(p.join("conda-meta")).unwrap();
    fs::create_dir_all(p.join("bin")).unwrap();
    let real = sh(Command::new("python3").args([
        "-c",
        "import sys, os; print(os.path.realpath(sys.executable))",
    ]));
    symlink(real.trim(), p.join("bin/python")).unwrap();
}

fn run_in(home: &Path, args: &[&str]) -> Run {
    let out = command()
        .args(args)
        .env("HOME", home)
        .current_dir(home)
        .env("PWD", home)
        .output()
        .unwrap();
    common::finish(out)
}

#[test]
fn discovers_every_env_once() {
    let tmp = tempdir();
    let h = tmp.path();
    let expected: Vec<PathBuf> = vec![
        h.join(".virtualenvs/api"),
        h.join(".virtualenvs/web"),
        h.join(".local/share/pipx/venvs/black"),
        h.join(".local/share/uv/tools/ruff"),
        h.join(".cache/pypoetry/virtualenvs/proj-AbC123-py3.11"),
        h.join(".local/share/hatch/env/virtual/proj/Xy12/proj"),
        h.join(".pyenv/versions/3.11.9/envs/tools"),
    ];
    for p in &expected {
        venv(p);
    }
    let conda_base = h.join("miniconda3");
    let conda_env = conda_base.join("envs/torch");
    conda_prefix(&conda_base);
    conda_prefix(&conda_env);
    let elsewhere = h.join("shared/envs/qwen");
    conda_prefix(&elsewhere);
    fs::create_dir_all(h.join(".conda")).unwrap();
    fs::write(
        h.join(".conda/environments.txt"),
        format!(
            "{}\n{}\n{}\n/no/longer/there\n",
            conda_base.display(),
            conda_env.display(),
            elsewhere.display()
        ),
    )
    .unwrap();
    // A pyenv version is a plain prefix.
    let pyver = h.join(".pyenv/versions/3.11.9");
    fs::create_dir_all(pyver.join("bin")).unwrap();
    symlink(
        sh(Command::new("python3").args(["-c", "import sys; print(sys.executable)"])).trim(),
        pyver.join("bin/python3"),
    )
    .unwrap();
    // Duplicates by symlink, a symlink loop, and a folder that is no environment.
    symlink(h.join(".virtualenvs/api"), h.join(".virtualenvs/api-alias")).unwrap();
    symlink(h.join(".virtualenvs"), h.join(".virtualenvs/loop")).unwrap();
    fs::create_dir_all(h.join(".virtualenvs/not-an-env/sub")).unwrap();

    let r = run_in(h, &["scan", "--all", "--offline", "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    let found: Vec<PathBuf> = v["envs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| PathBuf::from(e["path"].as_str().unwrap()))
        .collect();
    let mut all = expected.clone();
    all.extend([
        conda_base.clone(),
        conda_env.clone(),
        elsewhere.clone(),
        pyver.clone(),
    ]);
    for p in &all {
        assert_eq!(
            found.iter().filter(|f| real(f) == real(p)).count(),
            1,
            "{} found {} times in {found:#?}",
            p.display(),
            found.iter().filter(|f| real(f) == real(p)).count()
        );
    }
    assert_eq!(found.len(), all.len(), "{found:#?}");
    let kinds: Vec<&str> = v["envs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "conda").count(), 3);
    assert!(
        v["envs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["source"].is_string())
    );

    // Without --all and with nothing active, scan discovers too, and says so on stderr.
    let human = run_in(h, &["scan", "--offline"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human
            .stderr
            .contains(&format!("discovered {} environments", all.len())),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains("virtualenvwrapper"),
        "{}",
        human.stderr
    );
}

#[test]
fn user_config_ignores_overrides_and_rejects_bad_files() {
    let tmp = tempdir();
    let h = tmp.path();
    let old = h.join("a/env");
    venv(&old);
    fs::write(
        old.join("bin/tool"),
        format!("#!{}/bin/python\nprint(1)\n", old.display()),
    )
    .unwrap();
    sh(Command::new("chmod").arg("755").arg(old.join("bin/tool")));
    let env = h.join("b/env");
    move_env(&old, &env);
    let e = env.to_str().unwrap();
    let cfg_dir = h.join(".config/pydoctor");
    fs::create_dir_all(&cfg_dir).unwrap();
    let cfg = cfg_dir.join("config.toml");
    let rules_of = |r: &Run| -> Vec<String> {
        let mut v: Vec<String> = r.json()["envs"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        v.dedup();
        v
    };

    let base = run_in(h, &["scan", "--format", "json", e]);
    assert_eq!(rules_of(&base), ["PD101", "PD112", "PD113"]);
    assert_eq!(base.code, 1);

    fs::write(
        &cfg,
        "ignore = [\"activate-stale\"]\n[severity]\nPD101 = \"warning\"\n",
    )
    .unwrap();
    let r = run_in(h, &["scan", "--format", "json", e]);
    assert_eq!(rules_of(&r), ["PD101", "PD113"]);
    assert_eq!(r.json()["envs"][0]["findings"][0]["severity"], "warning");
    assert_eq!(r.code, 0, "PD101 is only a warning now");
    assert_eq!(run_in(h, &["scan", "--fail-on", "warning", e]).code, 1);
    let sel = run_in(h, &["scan", "--format", "json", "--select", "PD113", e]);
    assert_eq!(rules_of(&sel), ["PD113"]);
    let ign = run_in(
        h,
        &[
            "scan",
            "--format",
            "json",
            "--ignore",
            "PD101,pyvenv-command-stale",
            e,
        ],
    );
    assert!(rules_of(&ign).is_empty(), "{}", ign.stdout);

    for (text, needle) in [
        ("ignore = [\"PD999\"]\n", "unknown rule"),
        ("ignroe = []\n", "ignroe"),
        ("[severity]\nPD101 = \"fatal\"\n", "fatal"),
        ("ignore = [\n", "config.toml"),
        ("[[mirror]]\nname = \"x\"\nurl = \"ftp://x\"\n", "ftp"),
    ] {
        fs::write(&cfg, text).unwrap();
        let r = run_in(h, &["scan", e]);
        assert_eq!(r.code, 2, "{text}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: config "), "{}", r.stderr);
        assert!(r.stderr.contains(needle), "{needle} not in {}", r.stderr);
    }
    let missing = run_in(h, &["scan", "--config", "/no/such.toml", e]);
    assert_eq!(missing.code, 2);

    // env-roots extend discovery.
    fs::write(
        &cfg,
        format!("env-roots = [\"{}\"]\n", h.join("b").display()),
    )
    .unwrap();
    let r = run_in(h, &["scan", "--all", "--offline", "--format", "json"]);
    assert_eq!(r.json()["envs"][0]["path"], e, "{}", r.stdout);
}
