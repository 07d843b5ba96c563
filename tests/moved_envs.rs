//! Real venvs, for every interpreter on the machine, moved between short paths, paths over 127
//! and 256 bytes, and paths with spaces; after each move every console script must run again.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Scan must flag every script, fix-shebang must repair all, every script must then run this
/// env's interpreter, and a second run must change nothing.
fn check_move(env: &Path, scripts: &[&str]) {
    let scan = pydoctor([
        "scan".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        env.as_os_str(),
    ]);
    assert_eq!(
        scan.code, 1,
        "scan of a moved env exits 1:\n{}{}",
        scan.stdout, scan.stderr
    );
    let v = scan.json();
    let findings = v["envs"][0]["findings"].as_array().unwrap();
    for name in scripts {
        let path = env.join("bin").join(name);
        assert!(
            findings
                .iter()
                .any(|f| f["rule"] == "PD101" && f["path"] == path.to_str().unwrap()),
            "no PD101 for {name}: {findings:#?}"
        );
    }

    let fix = pydoctor([
        "fix-shebang".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        env.as_os_str(),
    ]);
    assert_eq!(fix.code, 0, "fix-shebang:\n{}{}", fix.stdout, fix.stderr);
    let changed = fix.json()["envs"][0]["changed"].as_array().unwrap().len();
    assert!(changed >= scripts.len(), "changed {changed}");

    for name in scripts.iter().filter(|n| **n != "pip") {
        let out = run_script(&env.join("bin").join(name), &[]);
        assert_eq!(
            real(Path::new(out.trim())),
            real(env),
            "{name} runs the wrong interpreter"
        );
    }
    let pip = run_script(&env.join("bin/pip"), &["--version"]);
    assert!(
        pip.contains(&*real(env).to_string_lossy()) || pip.contains(&*env.to_string_lossy()),
        "pip runs from elsewhere: {pip}"
    );

    let again = pydoctor([
        "fix-shebang".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        env.as_os_str(),
    ]);
    assert_eq!(again.code, 0);
    assert_eq!(
        again.json()["envs"][0]["changed"].as_array().unwrap().len(),
        0,
        "second run must change nothing"
    );

    // `fix` repairs activate; sourcing it must put this env first on PATH.
    let fix_all = pydoctor(["fix".as_ref(), env.as_os_str()]);
    assert_eq!(fix_all.code, 0, "{}{}", fix_all.stdout, fix_all.stderr);
    let out = sh(Command::new("bash")
        .arg("-c")
        .arg("source \"$1/bin/activate\" && echo \"$VIRTUAL_ENV\" && command -v python")
        .arg("bash")
        .arg(env));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(env.to_str().unwrap()));
    assert_eq!(
        lines.next().map(PathBuf::from),
        Some(env.join("bin/python"))
    );
    let healthy = pydoctor(["scan".as_ref(), env.as_os_str()]);
    assert_eq!(healthy.code, 0, "{}", healthy.stdout);
    assert!(healthy.stdout.contains("no problems"), "{}", healthy.stdout);
}

#[test]
fn moved_venvs_every_interpreter() {
    let pythons = pythons();
    std::thread::scope(|s| {
        for (version, python) in &pythons {
            s.spawn(move || one_interpreter(version, python));
        }
    });
}

fn one_interpreter(version: &str, python: &Path) {
    let tmp = tempdir();
    let base = tmp.path();
    // Created where pip itself must write quoted trampolines: long and with a space.
    let start = long_dir(&base.join("my envs"), 140, "start").join("env");
    make_venv(python, &start, true);
    let scripts = ["pd-tool", "pd-other"];
    make_console_scripts(&start.join("bin/python"), &start, &scripts, &[]);
    make_console_scripts(&start.join("bin/python"), &start, &["pd-flagged"], &["-E"]);
    let first = fs::read_to_string(start.join("bin/pip")).unwrap();
    assert!(
        first.starts_with("#!/bin/sh\n'''exec' \""),
        "python{version}: pip wrote no quoted trampoline: {first}"
    );
    let all = ["pip", "pd-tool", "pd-other", "pd-flagged"];

    // Trampoline -> plain.
    let short = base.join("s").join("env");
    move_env(&start, &short);
    check_move(&short, &all);
    assert!(
        fs::read_to_string(short.join("bin/pd-tool"))
            .unwrap()
            .starts_with("#!/")
    );
    assert!(
        fs::read_to_string(short.join("bin/pd-flagged"))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .ends_with("/bin/python -E"),
        "interpreter option kept"
    );

    // Plain -> trampoline, over 256 bytes.
    let very_long = long_dir(base, 300, "v").join("env");
    move_env(&short, &very_long);
    check_move(&very_long, &all);
    let text = fs::read_to_string(very_long.join("bin/pd-flagged")).unwrap();
    assert!(text.starts_with("#!/bin/sh\n"), "{text}");
    assert!(text.contains(" -E \"$0\" \"$@\""), "{text}");

    // Trampoline -> trampoline with spaces (the mount point renamed).
    let spaced = base.join("new mount").join("e n v");
    move_env(&very_long, &spaced);
    check_move(&spaced, &all);
    eprintln!("python{version}: ok");
}
