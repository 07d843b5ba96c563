//! The setup around the environments (PD128-PD138), each built for real in a temporary HOME,
//! PATH and folder: real venvs on PATH with a pip of the other, an active env that is not
//! first, a pyenv root whose `.python-version` names a missing version, a user site whose
//! package a conda-format env's real interpreter imports instead of its own, CA variables at a
//! missing and a non-PEM file, a noexec temp folder where a mount can be made. A healthy setup
//! stays clean.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Scan `env` with exactly these variables (PATH included) over the hermetic ones; returns the
/// JSON document.
fn scan(env: &Path, cwd: &Path, vars: &[(&str, &str)]) -> serde_json::Value {
    let mut c = command();
    c.args(["scan", "--offline", "--format", "json"])
        .arg(env)
        .current_dir(cwd)
        .env("PWD", cwd);
    for v in [
        "PYTHONPATH",
        "REQUESTS_CA_BUNDLE",
        "SSL_CERT_FILE",
        "PIP_CERT",
        "CURL_CA_BUNDLE",
        "TMPDIR",
        "PYENV_VERSION",
        "PYTHONNOUSERSITE",
        "PYTHONUSERBASE",
    ] {
        c.env_remove(v);
    }
    for (k, v) in vars {
        c.env(k, v);
    }
    let r = finish(c.output().unwrap());
    assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
    r.json()
}

/// (rule, path) of each machine finding.
fn machine(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn env_rules(doc: &serde_json::Value) -> Vec<String> {
    doc["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

fn path_of(dirs: &[&Path]) -> String {
    let mut parts: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    parts.extend(["/usr/bin".to_owned(), "/bin".to_owned()]);
    parts.join(":")
}

#[test]
fn pip_of_another_python_and_an_active_env_not_first() {
    let tmp = tempdir();
    let t = tmp.path();
    let (a, b) = (t.join("a"), t.join("b"));
    make_venv(Path::new("python3"), &a, false);
    make_venv(Path::new("python3"), &b, true);
    let (a_bin, b_bin) = (a.join("bin"), b.join("bin"));

    // Healthy: one env first on PATH with its own pip, and it is the active one.
    let healthy = path_of(&[&b_bin]);
    let doc = scan(
        &b,
        t,
        &[("PATH", &healthy), ("VIRTUAL_ENV", b.to_str().unwrap())],
    );
    assert_eq!(machine(&doc), Vec::<(String, String)>::new(), "{doc:#}");

    // a/ first (python, no pip), then b/ (its pip): `pip install x` goes to b, python is a's.
    let mixed = path_of(&[&a_bin, &b_bin]);
    let doc = scan(&b, t, &[("PATH", &mixed)]);
    let found = machine(&doc);
    for tool in ["pip", "pip3"] {
        let path = b_bin.join(tool).display().to_string();
        assert!(
            found.contains(&("PD128".into(), path.clone())),
            "{tool}: {found:?}"
        );
    }
    // And it is true: b's pip installs where a's python does not look.
    let b_prefix = sh(Command::new(b_bin.join("pip"))
        .args(["--version"])
        .env("PATH", &mixed));
    assert!(b_prefix.contains(b.to_str().unwrap()), "{b_prefix}");
    let a_prefix = sh(Command::new("python")
        .args(["-c", "import sys; print(sys.prefix)"])
        .env("PATH", &mixed));
    assert_eq!(real(Path::new(a_prefix.trim())), real(&a));

    // b is active, but PATH finds a's python first.
    let doc = scan(
        &b,
        t,
        &[("PATH", &mixed), ("VIRTUAL_ENV", b.to_str().unwrap())],
    );
    let found = machine(&doc);
    assert!(
        found.contains(&("PD129".into(), "$VIRTUAL_ENV".into())),
        "{found:?}"
    );
    let msg = doc["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PD129")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.contains(&a_bin.join("python").display().to_string()),
        "{msg}"
    );
}

#[test]
fn pyenv_versions_that_are_not_installed_and_orphan_shims() {
    let tmp = tempdir();
    let t = tmp.path();
    let root = t.join("pyenv");
    let version = root.join("versions/3.11.7/bin");
    fs::create_dir_all(&version).unwrap();
    let py = sh(Command::new("python3").args(["-c", "import sys; print(sys.executable)"]));
    symlink(py.trim(), version.join("python3.11")).unwrap();
    fs::create_dir_all(root.join("shims")).unwrap();
    for shim in ["python3.11", "black"] {
        fs::write(
            root.join("shims").join(shim),
            "#!/usr/bin/env bash\nexec pyenv exec \"$0\"\n",
        )
        .unwrap();
    }
    fs::write(root.join("version"), "3.11\n").unwrap(); // a prefix of an installed version
    let project = t.join("project/src");
    fs::create_dir_all(&project).unwrap();
    let pin = t.join("project/.python-version");
    fs::write(&pin, "3.9.18\n").unwrap();
    let env = t.join("venv");
    make_venv(Path::new("python3"), &env, false);
    let path = path_of(&[]);
    let vars = [
        ("PATH", path.as_str()),
        ("PYENV_ROOT", root.to_str().unwrap()),
    ];

    let doc = scan(&env, &project, &vars);
    let found = machine(&doc);
    assert!(
        found.contains(&("PD130".into(), pin.display().to_string())),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "PD131".into(),
            root.join("shims/black").display().to_string()
        )),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, p)| p.ends_with("shims/python3.11")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, p)| p.ends_with("pyenv/version")),
        "3.11 is installed"
    );

    // Outside the project: the global file names an installed version; $PYENV_VERSION wins
    // over files and is checked too.
    let doc = scan(&env, t, &vars);
    assert!(!machine(&doc).iter().any(|(r, _)| r == "PD130"), "{doc:#}");
    let mut with_var = vars.to_vec();
    with_var.push(("PYENV_VERSION", "3.12.0"));
    let doc = scan(&env, t, &with_var);
    assert!(
        machine(&doc).contains(&("PD130".into(), "$PYENV_VERSION".into())),
        "{doc:#}"
    );
}

/// A conda-format prefix with a real interpreter and a site-packages of its own: the binary
/// copied in, each stdlib entry linked, so `sys.prefix` is the prefix.
fn conda_prefix(dir: &Path) -> (PathBuf, String) {
    let (exe, stdlib, ver) = python_layout();
    let lib = dir.join(format!("lib/python{ver}"));
    fs::create_dir_all(dir.join("bin")).unwrap();
    fs::create_dir_all(lib.join("site-packages")).unwrap();
    fs::create_dir_all(dir.join("conda-meta")).unwrap();
    fs::write(dir.join("conda-meta/history"), "").unwrap();
    for e in fs::read_dir(stdlib).unwrap().flatten() {
        if e.file_name() != "site-packages" {
            symlink(e.path(), lib.join(e.file_name())).unwrap();
        }
    }
    let py = dir.join(format!("bin/python{ver}"));
    fs::copy(exe, &py).unwrap();
    symlink(format!("python{ver}"), dir.join("bin/python")).unwrap();
    (py, ver)
}

fn package(site: &Path, name: &str, where_: &str) {
    fs::create_dir_all(site.join(name)).unwrap();
    fs::write(
        site.join(name).join("__init__.py"),
        format!("WHERE = '{where_}'\n"),
    )
    .unwrap();
}

#[test]
fn user_site_shadows_a_conda_envs_package_and_pythonpath_leaks() {
    let tmp = tempdir();
    let t = tmp.path();
    let home = t.join("home");
    let env = t.join("envs/qwen");
    let (py, ver) = conda_prefix(&env);
    package(
        &env.join(format!("lib/python{ver}/site-packages")),
        "shadowme",
        "env",
    );
    let user_site = home.join(format!(".local/lib/python{ver}/site-packages"));
    package(&user_site, "shadowme", "user");
    let path = path_of(&[]);
    let vars = [("PATH", path.as_str()), ("HOME", home.to_str().unwrap())];

    // The real interpreter imports the user's copy, not the env's.
    let imported = sh(Command::new(&py)
        .args(["-c", "import shadowme; print(shadowme.WHERE)"])
        .env("HOME", &home)
        .env_remove("PYTHONNOUSERSITE")
        .env_remove("PYTHONPATH"));
    assert_eq!(imported.trim(), "user");
    let doc = scan(&env, t, &vars);
    assert!(env_rules(&doc).contains(&"PD133".to_owned()), "{doc:#}");
    let f = doc["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PD133")
        .unwrap()
        .clone();
    assert!(f["message"].as_str().unwrap().contains("shadowme"), "{f:#}");
    assert_eq!(f["path"].as_str().unwrap(), user_site.display().to_string());

    // PYTHONNOUSERSITE turns it off for the interpreter and for the rule.
    let mut off = vars.to_vec();
    off.push(("PYTHONNOUSERSITE", "1"));
    let doc = scan(&env, t, &off);
    assert!(!env_rules(&doc).contains(&"PD133".to_owned()), "{doc:#}");
    let imported = sh(Command::new(&py)
        .args(["-c", "import shadowme; print(shadowme.WHERE)"])
        .env("HOME", &home)
        .env("PYTHONNOUSERSITE", "1"));
    assert_eq!(imported.trim(), "env");

    // A plain venv leaves the user site out: no finding.
    let venv = t.join("venv");
    make_venv(Path::new("python3"), &venv, false);
    let doc = scan(&venv, t, &vars);
    assert!(!env_rules(&doc).contains(&"PD133".to_owned()), "{doc:#}");

    // PYTHONPATH leaks into every interpreter.
    let mut pp = vars.to_vec();
    let extra = t.join("extra");
    pp.push(("PYTHONPATH", extra.to_str().unwrap()));
    let doc = scan(&venv, t, &pp);
    assert!(
        machine(&doc).contains(&("PD132".into(), "$PYTHONPATH".into())),
        "{doc:#}"
    );
}

#[test]
fn system_site_packages_venv_uses_the_bases_packages() {
    let tmp = tempdir();
    let t = tmp.path();
    let base = t.join("base");
    let (py, ver) = conda_prefix(&base);
    package(
        &base.join(format!("lib/python{ver}/site-packages")),
        "onlyinbase",
        "base",
    );
    let venv = t.join("venv");
    sh(Command::new(&py)
        .args(["-m", "venv", "--without-pip", "--system-site-packages"])
        .arg(&venv));
    let imported = sh(Command::new(venv.join("bin/python"))
        .args(["-c", "import onlyinbase; print(onlyinbase.WHERE)"])
        .env("PYTHONNOUSERSITE", "1"));
    assert_eq!(imported.trim(), "base");
    let path = path_of(&[]);
    let doc = scan(&venv, t, &[("PATH", &path), ("PYTHONNOUSERSITE", "1")]);
    let f = doc["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PD134")
        .unwrap_or_else(|| panic!("{doc:#}"))
        .clone();
    assert!(
        f["message"].as_str().unwrap().contains("onlyinbase"),
        "{f:#}"
    );
    assert_eq!(f["severity"], "info");

    // Without --system-site-packages: nothing.
    let plain = t.join("plain");
    sh(Command::new(&py)
        .args(["-m", "venv", "--without-pip"])
        .arg(&plain));
    let doc = scan(&plain, t, &[("PATH", &path)]);
    assert!(!env_rules(&doc).contains(&"PD134".to_owned()), "{doc:#}");
}

#[test]
fn ca_bundles_pydistutils_and_the_temp_folder() {
    let tmp = tempdir();
    let t = tmp.path();
    let home = t.join("home");
    fs::create_dir_all(&home).unwrap();
    let env = t.join("venv");
    make_venv(Path::new("python3"), &env, false);
    let path = path_of(&[]);
    let not_pem = t.join("bundle.der");
    fs::write(&not_pem, [0x30u8, 0x82, 0x01, 0x0a]).unwrap();
    let pem = t.join("ok.pem");
    fs::write(
        &pem,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let gone = t.join("corp-ca.pem");
    let vars = [
        ("PATH", path.as_str()),
        ("HOME", home.to_str().unwrap()),
        ("REQUESTS_CA_BUNDLE", gone.to_str().unwrap()),
        ("SSL_CERT_FILE", not_pem.to_str().unwrap()),
        ("PIP_CERT", pem.to_str().unwrap()),
        ("TMPDIR", "/nonexistent-tmp"),
    ];
    fs::write(home.join(".pydistutils.cfg"), "[install]\nprefix=/opt\n").unwrap();
    let doc = scan(&env, t, &vars);
    let found = machine(&doc);
    let want = [
        ("PD135", "$REQUESTS_CA_BUNDLE".to_owned()),
        ("PD136", "$SSL_CERT_FILE".to_owned()),
        ("PD137", home.join(".pydistutils.cfg").display().to_string()),
        ("PD138", "/nonexistent-tmp".to_owned()),
    ];
    for (rule, p) in &want {
        assert!(
            found.contains(&(rule.to_string(), p.clone())),
            "{rule} {p}: {found:?}"
        );
    }
    assert!(
        !found.iter().any(|(_, p)| p == "$PIP_CERT"),
        "a PEM bundle is fine"
    );
    assert_eq!(
        doc["machine"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "PD135")
            .unwrap()["severity"],
        "error"
    );

    // A noexec temp folder: a tmpfs mounted noexec, where this process may mount one.
    let mnt = t.join("noexec");
    fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "noexec,size=1m", "tmpfs"])
        .arg(&mnt)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!(
            "note: cannot mount a tmpfs here (not root or no CAP_SYS_ADMIN); noexec not checked"
        );
        return;
    }
    let doc = scan(
        &env,
        t,
        &[("PATH", &path), ("TMPDIR", mnt.to_str().unwrap())],
    );
    let _ = Command::new("umount").arg(&mnt).status();
    let f = doc["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PD138")
        .unwrap_or_else(|| panic!("{doc:#}"))
        .clone();
    assert!(f["message"].as_str().unwrap().contains("noexec"), "{f:#}");
}
