//! A Jupyter kernel registered by the real `ipykernel install --user`, for a venv that then
//! moves: the kernelspec in the user's Jupyter folder names the old interpreter. `scan` reports
//! it on the machine, `fix` points it at the moved env, and the kernel's interpreter starts and
//! imports ipykernel again.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn ipykernel_install_user_follows_its_moved_env() {
    let Some(kernel_python) = tools_bin("kernel", "python") else {
        return;
    };
    let tmp = tempdir();
    let t = tmp.path();
    let home = t.join("home");
    fs::create_dir_all(&home).unwrap();
    // A venv that imports ipykernel from the tools' kernel venv through a .pth line (a real
    // import path, without copying 100 MB of Jupyter into the test).
    let env = t.join("envs/lab");
    make_venv(Path::new("python3"), &env, true);
    let site = sh(Command::new(&kernel_python).args([
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
    ]));
    fs::write(
        purelib(&env).join("tools-kernel.pth"),
        format!("{}\n", site.trim()),
    )
    .unwrap();
    sh(Command::new(env.join("bin/python"))
        .args(["-m", "ipykernel", "install", "--user", "--name", "lab"])
        .env("HOME", &home)
        .env_remove("JUPYTER_DATA_DIR")
        .env_remove("XDG_DATA_HOME"));
    let spec = home.join(".local/share/jupyter/kernels/lab/kernel.json");
    let argv0 = |spec: &Path| -> String {
        let v: serde_json::Value = serde_json::from_slice(&fs::read(spec).unwrap()).unwrap();
        v["argv"][0].as_str().unwrap().to_owned()
    };
    assert_eq!(argv0(&spec), env.join("bin/python").display().to_string());

    let moved = t.join("envs/lab2");
    move_env(&env, &moved);
    let run = |args: &[&std::ffi::OsStr]| {
        finish(command().args(args).env("HOME", &home).output().unwrap())
    };
    let scan = run(&[
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        moved.as_os_str(),
    ]);
    let v = scan.json();
    let kernels: Vec<&str> = v["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PD116")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(kernels, [spec.to_str().unwrap()], "{}", scan.stdout);

    let fix = run(&["fix".as_ref(), moved.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let python = argv0(&spec);
    assert_eq!(python, moved.join("bin/python").display().to_string());
    // The kernel starts as Jupyter starts it: its argv[0] runs and has ipykernel.
    let out =
        sh(Command::new(&python).args(["-c", "import sys, ipykernel_launcher; print(sys.prefix)"]));
    assert_eq!(real(Path::new(out.trim())), real(&moved));
    let again = run(&["scan".as_ref(), "--offline".as_ref(), moved.as_os_str()]);
    assert_eq!(again.code, 0, "{}", again.stdout);
}
