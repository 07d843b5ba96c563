//! `fix --relocatable` finishes the job: scripts and activate scripts find the environment at
//! run time, pyvenv.cfg says `relocatable = true`, and the environment survives the next move
//! with no further fix. Base installations are not console-script environments.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

/// `VIRTUAL_ENV` and `sys.prefix` after sourcing the activate script in `sh`.
fn activated(sh: &str, env: &Path) -> Option<(String, String)> {
    let (file, script) = if sh == "fish" {
        (
            "activate.fish",
            "source \"$P/bin/activate.fish\"; and printf '%s\\n' $VIRTUAL_ENV; and python -c 'import sys; print(sys.prefix)'",
        )
    } else {
        (
            "activate",
            ". \"$P/bin/activate\" && printf '%s\\n' \"$VIRTUAL_ENV\" && python -c 'import sys; print(sys.prefix)'",
        )
    };
    if !env.join("bin").join(file).is_file() {
        return None;
    }
    let mut c = Command::new(sh);
    c.arg("-c").arg(script).env("P", env);
    hermetic(&mut c);
    let out = c.output().ok()?;
    assert!(
        out.status.success(),
        "{sh}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    Some((lines.next()?.to_owned(), lines.next()?.to_owned()))
}

#[test]
fn relocatable_survives_the_next_move() {
    let tmp = tempdir();
    let env = tmp.path().join("a/env");
    make_venv(Path::new("python3"), &env, true);
    make_console_scripts(&env.join("bin/python"), &env, &["tool"], &[]);
    let fix = pydoctor(["fix".as_ref(), "--relocatable".as_ref(), env.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    assert!(
        fix.stdout.contains("(relocatable)"),
        "an honest summary: {}",
        fix.stdout
    );
    assert!(
        !fix.stdout
            .contains(&format!("{0}/bin/python -> {0}/bin/python", env.display()))
    );
    let cfg = fs::read_to_string(env.join("pyvenv.cfg")).unwrap();
    assert!(cfg.contains("relocatable = true"), "{cfg}");
    assert!(
        fix.stderr.contains("activate.csh keeps the absolute path"),
        "{}",
        fix.stderr
    );

    // The next move needs no fix for scripts and bash/zsh/fish activation.
    let moved = tmp.path().join("b c/env");
    move_env(&env, &moved);
    let scan = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        moved.as_os_str(),
    ]);
    let found: Vec<(String, String)> = scan.json()["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (rule, path) in &found {
        let csh = rule == "PD112" && path.ends_with("bin/activate.csh");
        assert!(
            csh || rule == "PD113",
            "only csh's activate and pyvenv.cfg's command name the old place: {found:?}"
        );
    }
    assert!(
        found.iter().any(|(r, _)| r == "PD112"),
        "csh's script stays absolute: {found:?}"
    );
    assert_eq!(
        real(Path::new(run_script(&moved.join("bin/tool"), &[]).trim())),
        real(&moved)
    );
    for sh in ["bash", "zsh", "fish"] {
        if Command::new(sh).arg("-c").arg("true").output().is_err() {
            eprintln!("note: {sh} not installed; skipping it");
            continue;
        }
        let Some((venv, prefix)) = activated(sh, &moved) else {
            continue;
        };
        assert_eq!(real(Path::new(&venv)), real(&moved), "{sh}: VIRTUAL_ENV");
        assert_eq!(real(Path::new(&prefix)), real(&moved), "{sh}: sys.prefix");
    }
}

#[test]
fn a_base_installation_is_not_a_console_script_env() {
    let tmp = tempdir();
    // A base installation's bin/: its interpreter, a console script, and CPython's gdb helper
    // (`make install` leaves it with `#!/usr/bin/python`; gdb loads it, nobody runs it).
    let base = tmp.path().join("pyenv/versions/3.12.1");
    fs::create_dir_all(base.join("bin")).unwrap();
    fs::create_dir_all(base.join("lib/python3.12")).unwrap();
    let py = sh(Command::new("python3").args(["-c", "import sys; print(sys.executable)"]));
    std::os::unix::fs::symlink(py.trim(), base.join("bin/python3")).unwrap();
    for (name, head) in [
        ("python3.12-gdb.py", "#!/nonexistent/usr/bin/python\n"),
        ("tool", "#!/nonexistent/bin/python3\n"),
    ] {
        let p = base.join("bin").join(name);
        fs::write(&p, format!("{head}print(1)\n")).unwrap();
        sh(Command::new("chmod").arg("755").arg(&p));
    }
    let r = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        base.as_os_str(),
    ]);
    let v = r.json();
    assert_eq!(v["envs"][0]["kind"], "prefix");
    let paths: Vec<&str> = v["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(
        paths[0].ends_with("bin/tool"),
        "the gdb helper is not a command: {paths:?}"
    );
}
