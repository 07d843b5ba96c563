//! The notes' own case: a conda environment on GlusterFS, copied `envs/qwen` -> `envs/qwen2`
//! and remounted `/mnt/glusterfs101` -> `/mnt/glusterfs`. conda cannot be installed here, so
//! the prefix is built in conda's documented format: `conda-meta/*.json` with `paths_data`,
//! text files holding the prefix, and a real ELF compiled here with a NUL-padded prefix string
//! "installed" the way conda installs one.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const PLACEHOLDER: &str = "/opt/anaconda1anaconda2anaconda3";

/// Compile a program that prints its compiled-in prefix string, padded to 255 bytes.
fn compile_prefix_printer(dir: &Path) -> Option<PathBuf> {
    let src = dir.join("p.c");
    let padded = format!("{PLACEHOLDER}{}", "_".repeat(255 - PLACEHOLDER.len()));
    fs::write(
        &src,
        format!(
            "#include <stdio.h>\nstatic const char p[256] = \"{padded}\";\nint main(void) {{ puts(p); return 0; }}\n"
        ),
    )
    .unwrap();
    let out = dir.join("prefixprint");
    let ok = Command::new("cc")
        .arg("-O0")
        .arg("-o")
        .arg(&out)
        .arg(&src)
        .status();
    if !ok.is_ok_and(|s| s.success()) {
        eprintln!("note: no C compiler (cc); skipping the binary prefix case");
        return None;
    }
    Some(out)
}

/// Replace the placeholder (and its padding) with `prefix` + NULs, as conda does at install.
fn install_binary(bytes: &[u8], prefix: &str) -> Vec<u8> {
    let padded = format!("{PLACEHOLDER}{}", "_".repeat(255 - PLACEHOLDER.len()));
    let at = bytes
        .windows(padded.len())
        .position(|w| w == padded.as_bytes())
        .expect("the placeholder is in the binary");
    let mut out = bytes.to_vec();
    let mut with = prefix.as_bytes().to_vec();
    with.resize(padded.len(), 0);
    out[at..at + padded.len()].copy_from_slice(&with);
    out
}

fn make_conda_env(prefix: &Path, printer: Option<&Path>) {
    let p = prefix.display().to_string();
    fs::create_dir_all(prefix.join("bin")).unwrap();
    fs::create_dir_all(prefix.join("conda-meta")).unwrap();
    fs::create_dir_all(prefix.join("etc/conda/activate.d")).unwrap();
    fs::create_dir_all(prefix.join("lib/pkgconfig")).unwrap();
    let py = sh(Command::new("python3").args(["-c", "import sys; print(sys.executable)"]));
    std::os::unix::fs::symlink(py.trim(), prefix.join("bin/python")).unwrap();
    let tool = prefix.join("bin/tool");
    fs::write(
        &tool,
        format!("#!{p}/bin/python\nimport sys\nprint(sys.argv[0])\n"),
    )
    .unwrap();
    sh(Command::new("chmod").arg("755").arg(&tool));
    fs::write(
        prefix.join("etc/conda/activate.d/qwen.sh"),
        format!("export QWEN_HOME=\"{p}/share/qwen\"\n"),
    )
    .unwrap();
    fs::write(
        prefix.join("lib/pkgconfig/qwen.pc"),
        format!("prefix={p}\nlibdir=${{prefix}}/lib\n"),
    )
    .unwrap();
    // Listed, but holds no prefix; and one that holds it but conda does not list: both left.
    fs::write(prefix.join("lib/pkgconfig/other.pc"), "prefix=/usr\n").unwrap();
    fs::write(prefix.join("notes.txt"), format!("built at {p}\n")).unwrap();
    let mut paths = vec![
        ("etc/conda/activate.d/qwen.sh", "text"),
        ("lib/pkgconfig/qwen.pc", "text"),
        ("lib/pkgconfig/other.pc", "text"),
    ];
    if let Some(printer) = printer {
        let installed = install_binary(&fs::read(printer).unwrap(), &p);
        fs::write(prefix.join("bin/prefixprint"), installed).unwrap();
        sh(Command::new("chmod")
            .arg("755")
            .arg(prefix.join("bin/prefixprint")));
        paths.push(("bin/prefixprint", "binary"));
    }
    let entries: Vec<String> = paths
        .iter()
        .map(|(path, mode)| {
            format!(
                r#"{{"_path": "{path}", "path_type": "hardlink", "prefix_placeholder": "{PLACEHOLDER}", "file_mode": "{mode}"}}"#
            )
        })
        .collect();
    fs::write(
        prefix.join("conda-meta/qwen-1.0-0.json"),
        format!(
            r#"{{"name": "qwen", "version": "1.0", "paths_data": {{"paths_version": 1, "paths": [{}]}}}}"#,
            entries.join(", ")
        ),
    )
    .unwrap();
    fs::write(
        prefix.join("conda-meta/python-3.11.7-h0.json"),
        r#"{"name": "python", "version": "3.11.7"}"#,
    )
    .unwrap();
}

#[test]
fn a_copied_and_remounted_conda_env_names_its_new_place_everywhere() {
    let tmp = tempdir();
    let printer = compile_prefix_printer(tmp.path());
    let envs = tmp.path().join("mnt/glusterfs101/rscb/nlp/xxw/envs");
    let qwen = envs.join("qwen");
    make_conda_env(&qwen, printer.as_deref());
    copy_env(&qwen, &envs.join("qwen2"));
    // The remount: the mount point's name changes under both.
    let mounted = tmp.path().join("mnt/glusterfs");
    fs::rename(tmp.path().join("mnt/glusterfs101"), &mounted).unwrap();
    let qwen2 = mounted.join("rscb/nlp/xxw/envs/qwen2");
    let original = tree_bytes(&mounted.join("rscb/nlp/xxw/envs/qwen"));

    let scan = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        qwen2.as_os_str(),
    ]);
    let v = scan.json();
    assert_eq!(v["envs"][0]["kind"], "conda");
    let mut stale = finding_names(&v, "PD126");
    stale.sort();
    let mut want = vec!["qwen.pc", "qwen.sh"];
    if printer.is_some() {
        want.insert(0, "prefixprint");
    }
    assert_eq!(stale, want, "{}", scan.stdout);

    let fix = pydoctor(["fix".as_ref(), qwen2.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let p = qwen2.display().to_string();
    assert_eq!(
        fs::read_to_string(qwen2.join("etc/conda/activate.d/qwen.sh")).unwrap(),
        format!("export QWEN_HOME=\"{p}/share/qwen\"\n")
    );
    assert!(
        fs::read_to_string(qwen2.join("lib/pkgconfig/qwen.pc"))
            .unwrap()
            .starts_with(&format!("prefix={p}\n"))
    );
    assert_eq!(
        fs::read_to_string(qwen2.join("lib/pkgconfig/other.pc")).unwrap(),
        "prefix=/usr\n"
    );
    assert!(
        fs::read_to_string(qwen2.join("notes.txt"))
            .unwrap()
            .contains("glusterfs101"),
        "a file conda does not list is never touched"
    );
    assert_eq!(
        run_script(&qwen2.join("bin/tool"), &[]).trim(),
        qwen2.join("bin/tool").display().to_string()
    );
    if printer.is_some() {
        let out = sh(&mut Command::new(qwen2.join("bin/prefixprint")));
        assert_eq!(out.trim_end(), p, "the binary uses its new prefix");
        let len_before = fs::metadata(mounted.join("rscb/nlp/xxw/envs/qwen/bin/prefixprint"))
            .unwrap()
            .len();
        assert_eq!(
            fs::metadata(qwen2.join("bin/prefixprint")).unwrap().len(),
            len_before
        );
    }
    assert_eq!(
        tree_bytes(&mounted.join("rscb/nlp/xxw/envs/qwen")),
        original,
        "qwen is untouched"
    );
    let again = pydoctor(["scan".as_ref(), "--offline".as_ref(), qwen2.as_os_str()]);
    assert_eq!(again.code, 0, "{}", again.stdout);
}

#[test]
fn a_longer_prefix_cannot_fit_a_binary() {
    let tmp = tempdir();
    let Some(printer) = compile_prefix_printer(tmp.path()) else {
        return;
    };
    let old = tmp.path().join("e/qwen");
    make_conda_env(&old, Some(&printer));
    let new = tmp.path().join("a-much-longer-folder-name/qwen");
    move_env(&old, &new);
    let fix = pydoctor(["fix".as_ref(), new.as_os_str()]);
    assert_eq!(fix.code, 1, "{}{}", fix.stdout, fix.stderr);
    assert!(fix.stdout.contains("cannot grow"), "{}", fix.stdout);
    // The text files are fixed; the binary is left whole.
    assert!(
        fs::read_to_string(new.join("lib/pkgconfig/qwen.pc"))
            .unwrap()
            .contains(&new.display().to_string())
    );
    let out = sh(&mut Command::new(new.join("bin/prefixprint")));
    assert_eq!(out.trim_end(), old.display().to_string());
}

/// A copy that `conda env list` cannot see (outside any conda install's `envs/`) is added to
/// `~/.conda/environments.txt` by `fix`, once; envs conda finds itself are left alone.
#[test]
fn a_copy_unknown_to_conda_is_registered_once() {
    let tmp = tempdir();
    let t = tmp.path();
    let home = t.join("home");
    fs::create_dir_all(home.join(".conda")).unwrap();
    let qwen = t.join("data/envs/qwen");
    make_conda_env(&qwen, None);
    let qwen2 = t.join("data/envs/qwen2");
    copy_env(&qwen, &qwen2);
    // A conda install's own env: conda lists it without the registry.
    let root = t.join("miniconda3");
    fs::create_dir_all(root.join("conda-meta")).unwrap();
    let own = root.join("envs/own");
    make_conda_env(&own, None);
    let registry = home.join(".conda/environments.txt");
    let before = format!("{}", qwen.display()); // no final newline: kept, and one is added
    fs::write(&registry, &before).unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        finish(command().args(args).env("HOME", &home).output().unwrap())
    };
    let unlisted = |env: &Path| -> Vec<String> {
        let r = run(&[
            "scan".as_ref(),
            "--offline".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            env.as_os_str(),
        ]);
        r.json()["machine"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "PD139")
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect()
    };
    let found = unlisted(&qwen2);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(&qwen2.display().to_string()), "{found:?}");
    assert!(unlisted(&qwen).is_empty(), "listed");
    assert!(unlisted(&own).is_empty(), "in a conda install's envs/");

    let dry = run(&["fix".as_ref(), "--dry-run".as_ref(), qwen2.as_os_str()]);
    assert!(
        dry.stdout.contains(&format!("+{}", qwen2.display())),
        "{}",
        dry.stdout
    );
    assert_eq!(fs::read_to_string(&registry).unwrap(), before);
    let fix = run(&["fix".as_ref(), qwen2.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    let after = format!("{}\n{}\n", qwen.display(), qwen2.display());
    assert_eq!(fs::read_to_string(&registry).unwrap(), after);
    let again = run(&["fix".as_ref(), qwen2.as_os_str()]);
    assert_eq!(again.code, 0);
    assert_eq!(
        fs::read_to_string(&registry).unwrap(),
        after,
        "registered once"
    );
    assert!(unlisted(&qwen2).is_empty());
}
