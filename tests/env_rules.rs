//! The environment-level rules on real venvs: kernelspecs, pyvenv.cfg, the shell's variables,
//! pip config files pip cannot parse, IPython's autoreload.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

/// Every finding of the scan of one env: its own and the machine's.
fn all_findings(r: &Run) -> Vec<serde_json::Value> {
    let v = r.json();
    let mut out = v["envs"][0]["findings"].as_array().unwrap().clone();
    out.extend(v["machine"]["findings"].as_array().unwrap().iter().cloned());
    out
}

fn findings(r: &Run) -> Vec<String> {
    all_findings(r)
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// The rule ids of the machine section alone.
fn machine_findings(r: &Run) -> Vec<String> {
    r.json()["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

fn scan(env: &Path, extra: &[(&str, &str)]) -> Run {
    let mut c = command();
    c.args([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        env.as_os_str(),
    ]);
    for (k, v) in extra {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    common::finish(out)
}

#[test]
fn kernelspec_after_a_move_is_repointed() {
    let tmp = tempdir();
    let old = tmp.path().join("old/env");
    make_venv(Path::new("python3"), &old, false);
    let kdir = old.join("share/jupyter/kernels/myenv");
    fs::create_dir_all(&kdir).unwrap();
    let spec = format!(
        "{{\n \"argv\": [\n  \"{}/bin/python\",\n  \"-m\",\n  \"ipykernel_launcher\",\n  \"-f\",\n  \"{{connection_file}}\"\n ],\n \"display_name\": \"My env\",\n \"language\": \"python\"\n}}",
        old.display()
    );
    fs::write(kdir.join("kernel.json"), &spec).unwrap();
    let new = tmp.path().join("new/env");
    move_env(&old, &new);
    let r = scan(&new, &[]);
    assert!(findings(&r).contains(&"PD116".to_string()), "{}", r.stdout);
    assert_eq!(r.code, 1);
    let fix = pydoctor(["fix".as_ref(), new.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let after = fs::read_to_string(new.join("share/jupyter/kernels/myenv/kernel.json")).unwrap();
    assert_eq!(
        after,
        spec.replace(old.to_str().unwrap(), new.to_str().unwrap()),
        "only argv[0] changed"
    );
    assert!(!findings(&scan(&new, &[])).contains(&"PD116".to_string()));
}

#[test]
fn pyvenv_cfg_missing_and_version_mismatch() {
    let tmp = tempdir();
    let a = tmp.path().join("a");
    make_venv(Path::new("python3"), &a, false);
    fs::remove_file(a.join("pyvenv.cfg")).unwrap();
    let r = scan(&a, &[]);
    assert_eq!(findings(&r), ["PD114"], "{}", r.stdout);
    assert_eq!(r.code, 1);

    let b = tmp.path().join("b");
    make_venv(Path::new("python3"), &b, false);
    let cfg = fs::read_to_string(b.join("pyvenv.cfg")).unwrap();
    let patched: String = cfg
        .lines()
        .map(|l| {
            if l.starts_with("version") {
                "version = 3.99.0".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(b.join("pyvenv.cfg"), patched).unwrap();
    let r = scan(&b, &[]);
    assert_eq!(findings(&r), ["PD115"], "{}", r.stdout);
    assert!(r.stdout.contains("3.99.0"));
}

#[test]
fn shell_variables_and_pip_config() {
    let tmp = tempdir();
    let env = tmp.path().join("env");
    make_venv(Path::new("python3"), &env, false);
    let r = scan(
        &env,
        &[
            ("PYTHONHOME", "/opt/old-python"),
            ("VIRTUAL_ENV", "/gone/env"),
        ],
    );
    let mut f = findings(&r);
    f.sort();
    assert_eq!(f, ["PD117", "PD118"], "{}", r.stdout);
    assert_eq!(
        machine_findings(&r).len(),
        2,
        "reported for the machine: {}",
        r.stdout
    );
    assert_eq!(r.code, 0, "warnings only");

    let conf = tmp.path().join("pip.conf");
    fs::write(
        &conf,
        "index-url = https://pypi.org/simple\n[global]\ntimeout = 5\n",
    )
    .unwrap();
    let r = scan(&env, &[("PIP_CONFIG_FILE", conf.to_str().unwrap())]);
    let rules: Vec<String> = all_findings(&r)
        .iter()
        .filter(|f| f["path"] == conf.to_str().unwrap())
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["PD123"], "{}", r.stdout);
    assert!(r.stdout.contains("before any [section]"), "{}", r.stdout);
}

#[test]
fn ipython_autoreload_is_opt_in() {
    let tmp = tempdir();
    let env = tmp.path().join("env");
    make_venv(Path::new("python3"), &env, false);
    let site = purelib(&env);
    fs::create_dir_all(site.join("IPython")).unwrap();
    let ipy = tmp.path().join("ipython");
    let profile = ipy.join("profile_default/ipython_config.py");
    fs::create_dir_all(profile.parent().unwrap()).unwrap();
    let before = "c = get_config()  # noqa\nc.TerminalIPythonApp.display_banner = False";
    fs::write(&profile, before).unwrap();
    let ipydir = ipy.to_str().unwrap();
    let r = scan(&env, &[("IPYTHONDIR", ipydir)]);
    assert_eq!(findings(&r), ["PD119"], "{}", r.stdout);
    assert_eq!(r.code, 0, "info only");

    let run_fix = |unsafe_fixes: bool| {
        let mut c = command();
        c.arg("fix").env("IPYTHONDIR", ipydir);
        if unsafe_fixes {
            c.arg("--unsafe-fixes");
        }
        c.arg(&env).output().unwrap()
    };
    assert!(run_fix(false).status.success());
    assert_eq!(
        fs::read_to_string(&profile).unwrap(),
        before,
        "safe fixes leave the profile alone"
    );
    let out = run_fix(true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = fs::read_to_string(&profile).unwrap();
    assert!(after.starts_with(before));
    assert!(after.contains("c.InteractiveShellApp.extensions.append(\"autoreload\")"));
    assert!(after.contains("%autoreload 2"));
    // The appended lines are valid Python.
    sh(Command::new("python3").arg("-c").arg(format!(
        "import ast; ast.parse(open({:?}).read())",
        profile.display().to_string()
    )));
    assert!(findings(&scan(&env, &[("IPYTHONDIR", ipydir)])).is_empty());
}

#[test]
fn user_kernelspec_of_a_moved_env_is_repointed() {
    let tmp = tempdir();
    let old = tmp.path().join("old/env");
    make_venv(Path::new("python3"), &old, false);
    fs::write(
        old.join("bin/tool"),
        format!("#!{}/bin/python\nprint(1)\n", old.display()),
    )
    .unwrap();
    sh(Command::new("chmod").arg("755").arg(old.join("bin/tool")));
    let jupyter = tmp.path().join("jupyter");
    let k = jupyter.join("kernels/old-env/kernel.json");
    fs::create_dir_all(k.parent().unwrap()).unwrap();
    fs::write(&k, format!("{{\"argv\": [\"{}/bin/python\", \"-m\", \"ipykernel_launcher\"], \"display_name\": \"old\"}}", old.display())).unwrap();
    // Someone else's kernel, also broken, does not belong to this env: left alone.
    let other = jupyter.join("kernels/other/kernel.json");
    fs::create_dir_all(other.parent().unwrap()).unwrap();
    fs::write(
        &other,
        "{\"argv\": [\"/elsewhere/bin/python\"], \"display_name\": \"x\"}",
    )
    .unwrap();
    let new = tmp.path().join("new/env");
    move_env(&old, &new);
    let jd = jupyter.to_str().unwrap();
    let r = scan(&new, &[("JUPYTER_DATA_DIR", jd)]);
    // The moved env's kernel is repointed; the orphan (its env deleted) is reported, with the
    // command that removes it, and left alone.
    let found: Vec<(String, String, String)> = all_findings(&r)
        .iter()
        .filter(|f| f["rule"] == "PD116")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("path"), s("applicability"), s("fix"))
        })
        .collect();
    assert_eq!(found.len(), 2, "{}", r.stdout);
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        (k.to_str().unwrap(), "safe")
    );
    assert_eq!(found[1].0, other.to_str().unwrap());
    assert_eq!(found[1].1, "manual");
    assert!(
        found[1].2.contains("jupyter kernelspec remove other"),
        "{found:?}"
    );
    let out = command()
        .args(["fix".as_ref(), new.as_os_str()])
        .env("JUPYTER_DATA_DIR", jd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        fs::read_to_string(&k)
            .unwrap()
            .contains(&format!("{}/bin/python", new.display()))
    );
    assert!(fs::read_to_string(&other).unwrap().contains("/elsewhere/"));
}
