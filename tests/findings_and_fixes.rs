//! Fixes follow findings: `fix` touches exactly the files that `scan` names with a fix, under
//! the same rules and config; machine-wide problems are reported once; JSON is one document
//! even on bad input; diagnostics follow the report on a terminal.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn write_exec(path: &Path, content: &str) {
    fs::write(path, content).unwrap();
    sh(Command::new("chmod").arg("755").arg(path));
}

/// A venv moved from `a/env` to `b/env`: console scripts, a CRLF script, stale activate
/// scripts, pyvenv.cfg `command`, an env kernelspec. Returns the new path.
fn broken_env(tmp: &Path) -> PathBuf {
    let old = tmp.join("a/env");
    make_venv(Path::new("python3"), &old, false);
    for i in 0..3 {
        write_exec(
            &old.join(format!("bin/tool{i}")),
            &format!("#!{}/bin/python\nprint({i})\n", old.display()),
        );
    }
    write_exec(&old.join("bin/crlf"), "#!/usr/bin/python3\r\nprint(1)\r\n");
    let cfg = old.join("pyvenv.cfg");
    let text = fs::read_to_string(&cfg).unwrap();
    if !text.contains("command =") {
        fs::write(
            &cfg,
            format!(
                "{text}command = /usr/bin/python3 -m venv {}\n",
                old.display()
            ),
        )
        .unwrap();
    }
    let k = old.join("share/jupyter/kernels/env/kernel.json");
    fs::create_dir_all(k.parent().unwrap()).unwrap();
    fs::write(
        &k,
        format!(
            "{{\"argv\": [\"{}/bin/python\", \"-m\", \"ipykernel_launcher\"]}}",
            old.display()
        ),
    )
    .unwrap();
    let new = tmp.join("b/env");
    move_env(&old, &new);
    new
}

/// Paths named by findings with a safe fix, and the paths `fix --dry-run` would change.
fn named_and_touched(env: &Path, rule_args: &[&str]) -> (BTreeSet<String>, BTreeSet<String>) {
    let run = |cmd: &str, extra: &[&str]| {
        let mut c = command();
        c.arg(cmd).args(extra).args(rule_args);
        c.args(["--format", "json"]).arg(env);
        finish(c.output().unwrap())
    };
    let scan = run("scan", &["--offline"]).json();
    let named = scan["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(scan["machine"]["findings"].as_array().unwrap())
        .filter(|f| f["applicability"] == "safe")
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    let fix = run("fix", &["--dry-run"]).json();
    let touched = fix["envs"][0]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_owned())
        .collect();
    (named, touched)
}

#[test]
fn fix_touches_exactly_what_scan_names() {
    let tmp = tempdir();
    let env = broken_env(tmp.path());
    let (named, touched) = named_and_touched(&env, &[]);
    assert!(
        named.len() >= 7,
        "the corpus is broken in many ways: {named:?}"
    );
    assert_eq!(named, touched, "every safe finding fixed, nothing else");
    let rules = ["PD101", "PD104", "PD112", "PD113", "PD116"];
    for r in rules {
        for flag in ["--select", "--ignore"] {
            let (named, touched) = named_and_touched(&env, &[flag, r]);
            assert_eq!(named, touched, "{flag} {r}");
        }
    }
    // The config's ignore list is honoured by fix as by scan.
    let conf = tmp.path().join("config.toml");
    fs::write(&conf, "ignore = [\"PD101\", \"activate-stale\"]\n").unwrap();
    let conf_arg = conf.to_str().unwrap();
    let (named, touched) = named_and_touched(&env, &["--config", conf_arg]);
    assert_eq!(named, touched);
    assert!(
        !touched
            .iter()
            .any(|p| p.ends_with("/bin/tool0") || p.ends_with("/bin/activate"))
    );
}

#[test]
fn an_ignored_rule_is_never_fixed() {
    let tmp = tempdir();
    let env = tmp.path().join("env");
    make_venv(Path::new("python3"), &env, false);
    // The base interpreter was removed: bin/python3 dangles (bin/python leads to it).
    let py3 = env.join("bin/python3");
    let target = fs::read_link(&py3).unwrap();
    let name = target.file_name().unwrap().to_owned();
    fs::remove_file(&py3).unwrap();
    symlink(tmp.path().join("gone").join(&name), &py3).unwrap();
    for f in ["python", "python3.11", "python3.12", "python3.13"] {
        let p = env.join("bin").join(f);
        if fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) && f != "python" {
            fs::remove_file(&p).unwrap();
            symlink(tmp.path().join("gone").join(&name), &p).unwrap();
        }
    }
    let conf = tmp.path().join("config.toml");
    fs::write(&conf, "ignore = [\"PD110\"]\n").unwrap();
    let run = |args: &[&str]| {
        let mut c = command();
        c.args(args).arg("--config").arg(&conf).arg(&env);
        finish(c.output().unwrap())
    };
    let scan = run(&["scan", "--offline"]);
    assert_eq!(
        scan.code, 0,
        "healthy once PD110 is ignored: {}",
        scan.stdout
    );
    let fix = run(&["fix", "--unsafe-fixes", "--dry-run"]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    assert!(!fix.stdout.contains("would fix"), "{}", fix.stdout);
    // Without the ignore, the same env is an error, which fix does not pass over in silence.
    let scan = pydoctor(["scan".as_ref(), "--offline".as_ref(), env.as_os_str()]);
    assert_eq!(scan.code, 1, "{}", scan.stdout);
    assert!(scan.stdout.contains("PD110"), "{}", scan.stdout);
    let dry = pydoctor([
        "fix".as_ref(),
        "--unsafe-fixes".as_ref(),
        "--dry-run".as_ref(),
        env.as_os_str(),
    ]);
    assert!(
        dry.stdout.contains("would fix") || dry.stdout.contains("recreate"),
        "{}",
        dry.stdout
    );
    // And fix-shebang says why rewriting scripts cannot help.
    let plain = pydoctor(["fix-shebang".as_ref(), env.as_os_str()]);
    assert_eq!(plain.code, 1, "{}", plain.stdout);
    assert!(plain.stdout.contains("gone"), "{}", plain.stdout);
}

#[test]
fn machine_problems_are_reported_once() {
    let tmp = tempdir();
    let envs = tmp.path().join("envs");
    for n in ["a", "b", "c"] {
        make_venv(Path::new("python3"), &envs.join(n), false);
    }
    let conf = tmp.path().join("pip.conf");
    fs::write(&conf, "index-url = https://pypi.org/simple\n").unwrap();
    let run = |format: &str| {
        let out = command()
            .args(["scan", "--offline", "--format", format])
            .arg(&envs)
            .env("PYTHONHOME", "/opt/old-python")
            .env("PIP_CONFIG_FILE", &conf)
            .output()
            .unwrap();
        finish(out)
    };
    let j = run("json").json();
    assert_eq!(j["envs"].as_array().unwrap().len(), 3);
    for e in j["envs"].as_array().unwrap() {
        assert!(e["findings"].as_array().unwrap().is_empty(), "{e:#}");
    }
    let mut machine: Vec<&str> = j["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    machine.sort_unstable();
    assert_eq!(machine, ["PD118", "PD123"]);
    let h = run("human");
    assert_eq!(h.stdout.matches("PD118").count(), 1, "{}", h.stdout);
    assert_eq!(h.stdout.matches("PD123").count(), 1, "{}", h.stdout);
    assert!(h.stdout.contains("this machine"), "{}", h.stdout);
}

#[test]
fn json_is_one_document_on_bad_input() {
    let tmp = tempdir();
    let good = tmp.path().join("good");
    make_venv(Path::new("python3"), &good, false);
    let missing = tmp.path().join("nonexistent");
    let r = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        missing.as_os_str(),
        good.as_os_str(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let v = r.json();
    assert_eq!(
        v["envs"].as_array().unwrap().len(),
        1,
        "the good env is scanned"
    );
    assert_eq!(v["envs"][0]["path"], good.to_str().unwrap());
    assert_eq!(v["errors"][0]["path"], missing.to_str().unwrap());
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no such directory")
    );

    // A failure of the whole command is a document too.
    let r = pydoctor(["scan", "--format", "json", "--select", "PD999"]);
    assert_eq!(r.code, 2);
    assert!(
        r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("PD999")
    );
    let r = pydoctor(["explain", "PD999", "--format", "json"]);
    assert_eq!(r.code, 2);
    assert!(r.json()["errors"].is_array());

    // fix as well.
    let r = pydoctor([
        "fix".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        missing.as_os_str(),
        good.as_os_str(),
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(r.json()["envs"].as_array().unwrap().len(), 1);
}

#[test]
fn diagnostics_follow_the_report_on_a_terminal() {
    let tmp = tempdir();
    let env = broken_env(tmp.path());
    let bin = env!("CARGO_BIN_EXE_pydoctor");
    let cmd = format!(
        "{} scan --offline {}",
        shell_words::quote(bin),
        shell_words::quote(env.to_str().unwrap())
    );
    // `script` gives the program a terminal on stdout and stderr, as a user's shell does.
    let mut c = Command::new("script");
    hermetic(&mut c);
    let out = c
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = text.find("summary:").expect(&text);
    let hint = text.find("hint:").expect(&text);
    assert!(summary < hint, "the hint comes after the report:\n{text}");
}
