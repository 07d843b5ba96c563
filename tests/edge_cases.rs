//! The forms other tools get wrong, in real venvs that are really moved: CRLF, a latin-1 script
//! with a coding cookie, interpreter options, read-only scripts, binaries, symlinks, FIFOs,
//! data files, empty files, the docstring + `from __future__` trap, non-UTF-8 names.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn write_exec(path: &Path, content: &[u8], mode: u32) {
    fs::write(path, content).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Bytes, inode and mode of every entry in bin/ (symlinks by their target).
fn snapshot(bin: &Path) -> BTreeMap<OsString, (Vec<u8>, u64, u32)> {
    let mut out = BTreeMap::new();
    for e in fs::read_dir(bin).unwrap().flatten() {
        let p = e.path();
        let m = fs::symlink_metadata(&p).unwrap();
        let content = if m.file_type().is_symlink() {
            fs::read_link(&p).unwrap().into_os_string().into_vec()
        } else if m.is_file() {
            fs::read(&p).unwrap()
        } else {
            Vec::new()
        };
        out.insert(e.file_name(), (content, m.ino(), m.mode()));
    }
    out
}

fn python3() -> PathBuf {
    PathBuf::from(
        sh(Command::new("python3").args(["-c", "import sys; print(sys.executable)"])).trim(),
    )
}

#[test]
fn every_edge_case_in_one_moved_env() {
    let tmp = tempdir();
    let old = tmp.path().join("old").join("env");
    make_venv(&python3(), &old, false);
    let bin = old.join("bin");
    let o = old.display().to_string();

    let prints_prefix = "import sys\nprint(sys.prefix)\n";
    write_exec(
        &bin.join("plain"),
        format!("#!{o}/bin/python\n{prints_prefix}").as_bytes(),
        0o755,
    );
    write_exec(
        &bin.join("crlf"),
        format!("#!{o}/bin/python\r\nimport sys\r\nprint(sys.prefix)\r\n").as_bytes(),
        0o755,
    );
    let mut latin1 =
        format!("#!{o}/bin/python\n# -*- coding: latin-1 -*-\nprint(ascii('").into_bytes();
    latin1.extend_from_slice(b"caf\xe9");
    latin1.extend_from_slice(b"'))\n");
    write_exec(&bin.join("latin1"), &latin1, 0o755);
    write_exec(
        &bin.join("flagged"),
        format!("#!{o}/bin/python -E\nimport sys\nprint(sys.flags.ignore_environment)\n")
            .as_bytes(),
        0o755,
    );
    write_exec(
        &bin.join("readonly"),
        format!("#!{o}/bin/python\n{prints_prefix}").as_bytes(),
        0o555,
    );
    let future = format!(
        "#!{o}/bin/python\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nprint(1)\n"
    );
    write_exec(&bin.join("future"), future.as_bytes(), 0o755);
    write_exec(
        &bin.join("data.txt"),
        format!("#!{o}/bin/python\n").as_bytes(),
        0o644,
    );
    write_exec(&bin.join("empty"), b"", 0o755);
    write_exec(
        &bin.join("envform"),
        b"#!/usr/bin/env python3\nprint('env')\n",
        0o755,
    );
    fs::copy("/bin/true", bin.join("elf-tool")).unwrap();
    symlink("plain", bin.join("plain-link")).unwrap();
    symlink("/nonexistent/python", bin.join("dangling")).unwrap();
    sh(Command::new("mkfifo").arg(bin.join("fifo")));
    let odd_name = bin.join(OsString::from_vec(b"caf\xe9-tool".to_vec()));
    write_exec(
        &odd_name,
        format!("#!{o}/bin/python\n{prints_prefix}").as_bytes(),
        0o755,
    );

    // Moved somewhere long: every rewritten header becomes a trampoline.
    let new = long_dir(tmp.path(), 150, "new").join("env");
    move_env(&old, &new);
    let bin = new.join("bin");
    let before = snapshot(&bin);

    // Scanning never hangs on the FIFO (coreutils `timeout` as a guard).
    let scan = hermetic(&mut Command::new("timeout"))
        .args([
            "60",
            env!("CARGO_BIN_EXE_pydoctor"),
            "scan",
            "--format",
            "json",
        ])
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(
        scan.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&scan.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    let flagged = finding_names(&v, "PD101");
    for name in ["plain", "crlf", "latin1", "flagged", "readonly", "future"] {
        assert!(
            flagged.contains(&name.to_owned()),
            "{name} not flagged: {flagged:?}"
        );
    }
    for name in [
        "data.txt",
        "empty",
        "envform",
        "elf-tool",
        "plain-link",
        "dangling",
        "fifo",
    ] {
        assert!(!flagged.contains(&name.to_owned()), "{name} flagged");
    }

    // --dry-run shows a diff and writes nothing.
    let dry = pydoctor([
        "fix-shebang".as_ref(),
        "--dry-run".as_ref(),
        new.as_os_str(),
    ]);
    assert!(
        dry.stdout.contains(&format!("-#!{o}/bin/python")),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("+#!/bin/sh"), "{}", dry.stdout);
    assert_eq!(snapshot(&bin), before, "--dry-run wrote something");

    let fix = pydoctor([
        "fix-shebang".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        new.as_os_str(),
    ]);
    assert_eq!(
        fix.code, 1,
        "the __future__ script is left broken: exit 1\n{}",
        fix.stdout
    );
    let v = fix.json();
    let skipped = v["envs"][0]["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:#?}");
    assert!(skipped[0]["path"].as_str().unwrap().ends_with("/future"));
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("__future__")
    );

    let after = snapshot(&bin);
    let rewritten = ["plain", "crlf", "latin1", "flagged", "readonly"];
    for (name, (bytes, ino, mode)) in &after {
        let (old_bytes, old_ino, old_mode) = &before[name];
        assert_eq!(mode, old_mode, "{name:?}: mode changed");
        let n = name.to_string_lossy();
        if rewritten.contains(&n.as_ref()) || n.starts_with("caf") {
            assert_ne!(ino, old_ino, "{n}: rewritten in place, not replaced");
            assert!(bytes.starts_with(b"#!/bin/sh\n"), "{n}");
        } else {
            assert_eq!((bytes, ino), (old_bytes, old_ino), "{n}: touched");
        }
    }
    // Bodies are byte-identical; CRLF is removed from the header only.
    let crlf = fs::read(bin.join("crlf")).unwrap();
    assert!(crlf.ends_with(b"import sys\r\nprint(sys.prefix)\r\n"));
    assert!(!crlf[..crlf.len() - 30].contains(&b'\r'));
    let lat = fs::read(bin.join("latin1")).unwrap();
    assert!(
        lat.starts_with(b"#!/bin/sh\n# -*- coding: latin-1 -*-\n'''exec' "),
        "cookie on line 2"
    );
    assert!(lat.ends_with(b"print(ascii('caf\xe9'))\n"));

    // Every repaired script runs this env's interpreter.
    for name in ["plain", "crlf", "readonly"] {
        let out = run_script(&bin.join(name), &[]);
        assert_eq!(real(Path::new(out.trim())), real(&new), "{name}");
    }
    let odd_name = bin.join(odd_name.file_name().unwrap());
    assert_eq!(run_script(&odd_name, &[]).trim(), new.to_str().unwrap());
    assert_eq!(run_script(&bin.join("latin1"), &[]).trim(), "'caf\\xe9'");
    assert_eq!(run_script(&bin.join("flagged"), &[]).trim(), "1", "-E kept");
    assert_eq!(fs::read_to_string(bin.join("future")).unwrap(), future);

    // Idempotent; nothing left behind.
    let again = pydoctor([
        "fix-shebang".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        new.as_os_str(),
    ]);
    assert_eq!(
        again.json()["envs"][0]["changed"].as_array().unwrap().len(),
        0
    );
    assert_eq!(snapshot(&bin), after);
    assert!(
        !fs::read_dir(&bin)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp")),
        "temp files left"
    );
}

#[test]
fn stale_temp_files_from_a_killed_run_are_removed() {
    let tmp = tempdir();
    let env = tmp.path().join("env");
    make_venv(&python3(), &env, false);
    let stale = env.join("bin/.pydoctor-abc123.tmp");
    fs::write(&stale, "half-written").unwrap();
    let fix = pydoctor(["fix-shebang".as_ref(), env.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    assert!(!stale.exists());
    assert!(fix.stdout.contains("removed 1 temp file"), "{}", fix.stdout);
    // A dry run never deletes anything.
    fs::write(&stale, "x").unwrap();
    pydoctor([
        "fix-shebang".as_ref(),
        "--dry-run".as_ref(),
        env.as_os_str(),
    ]);
    assert!(stale.exists());
}

#[test]
fn spaces_plain_and_unquoted_trampolines() {
    let tmp = tempdir();
    let env = tmp.path().join("my envs").join("e");
    make_venv(&python3(), &env, false);
    let bin = env.join("bin");
    let e = env.display().to_string();
    // What naive tools write: a plain #! with a space, and distlib's unquoted trampoline.
    write_exec(
        &bin.join("naive"),
        format!("#!{e}/bin/python\nimport sys\nprint(sys.prefix)\n").as_bytes(),
        0o755,
    );
    write_exec(
        &bin.join("unquoted"),
        format!("#!/bin/sh\n'''exec' {e}/bin/python \"$0\" \"$@\"\n' '''\nimport sys\nprint(sys.prefix)\n").as_bytes(),
        0o755,
    );
    let ran = Command::new(bin.join("naive")).output();
    assert!(
        ran.is_err() || !ran.unwrap().status.success(),
        "the naive line is broken"
    );
    let scan = pydoctor([
        "scan".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        env.as_os_str(),
    ]);
    assert_eq!(scan.code, 1);
    let rules: Vec<String> = scan.json()["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["PD107", "PD107"], "{}", scan.stdout);
    let fix = pydoctor(["fix-shebang".as_ref(), env.as_os_str()]);
    assert_eq!(fix.code, 0, "{}", fix.stdout);
    for name in ["naive", "unquoted"] {
        assert_eq!(run_script(&bin.join(name), &[]).trim(), e, "{name}");
        let text = fs::read_to_string(bin.join(name)).unwrap();
        assert!(
            text.contains(&format!("'''exec' \"{e}/bin/python\"")),
            "{text}"
        );
    }
}

#[test]
fn uv_forms_and_relocatable_rewrite() {
    let tmp = tempdir();
    let old = tmp.path().join("it's").join("env");
    make_venv(&python3(), &old, false);
    let bin = old.join("bin");
    let o = old.display().to_string().replace('\'', r"'\''");
    let body = "import sys\nprint(sys.prefix)\n";
    // uv's single-quoted trampoline, and uv's relocatable form.
    write_exec(
        &bin.join("uv-quoted"),
        format!("#!/bin/sh\n'''exec' '{o}/bin/python' \"$0\" \"$@\"\n' '''\n{body}").as_bytes(),
        0o755,
    );
    write_exec(
        &bin.join("uv-reloc"),
        format!("#!/bin/sh\n'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")\"/'python' \"$0\" \"$@\"\n' '''\n{body}")
            .as_bytes(),
        0o755,
    );
    let moved = tmp.path().join("moved").join("env");
    move_env(&old, &moved);
    let reloc_before = fs::read(moved.join("bin/uv-reloc")).unwrap();
    let scan = pydoctor([
        "scan".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        moved.as_os_str(),
    ]);
    let findings = scan.json()["envs"][0]["findings"].clone();
    let paths: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PD101")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [moved.join("bin/uv-quoted").to_str().unwrap()],
        "relocatable is healthy"
    );

    let fix = pydoctor([
        "fix-shebang".as_ref(),
        "--relocatable".as_ref(),
        moved.as_os_str(),
    ]);
    assert_eq!(fix.code, 0, "{}", fix.stdout);
    assert_eq!(
        fs::read(moved.join("bin/uv-reloc")).unwrap(),
        reloc_before,
        "untouched"
    );
    let text = fs::read_to_string(moved.join("bin/uv-quoted")).unwrap();
    assert!(text.contains("realpath"), "{text}");

    // The next move needs no fix at all.
    let again = tmp.path().join("again").join("env");
    move_env(&moved, &again);
    let scan = pydoctor(["scan".as_ref(), again.as_os_str()]);
    assert!(!scan.stdout.contains("PD101"), "{}", scan.stdout);
    for name in ["uv-quoted", "uv-reloc"] {
        assert_eq!(
            real(Path::new(
                run_script(&again.join("bin").join(name), &[]).trim()
            )),
            real(&again)
        );
    }
}

#[test]
fn copied_env_whose_original_still_exists() {
    let tmp = tempdir();
    let a = tmp.path().join("envs").join("qwen");
    make_venv(&python3(), &a, false);
    let body = "import sys\nprint(sys.prefix)\n";
    write_exec(
        &a.join("bin/tool"),
        format!("#!{}/bin/python\n{body}", a.display()).as_bytes(),
        0o755,
    );
    let b = tmp.path().join("envs").join("qwen2");
    copy_env(&a, &b);
    // The trap: the copy silently runs the original.
    assert_eq!(
        run_script(&b.join("bin/tool"), &[]).trim(),
        a.to_str().unwrap()
    );

    let scan = pydoctor([
        "scan".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        b.as_os_str(),
    ]);
    // The copied-env trap is an error: the copy's pip installs into the original.
    assert_eq!(scan.code, 1, "{}", scan.stdout);
    let f = &scan.json()["envs"][0]["findings"];
    assert!(
        f.as_array()
            .unwrap()
            .iter()
            .any(|x| x["rule"] == "PD103" && x["severity"] == "error"),
        "{f:#}"
    );

    let before_a = fs::read(a.join("bin/tool")).unwrap();
    let fix = pydoctor(["fix".as_ref(), b.as_os_str()]);
    assert_eq!(fix.code, 0, "{}", fix.stdout);
    assert_eq!(
        run_script(&b.join("bin/tool"), &[]).trim(),
        b.to_str().unwrap()
    );
    assert_eq!(
        fs::read(a.join("bin/tool")).unwrap(),
        before_a,
        "original untouched"
    );
    let out = sh(Command::new("bash")
        .arg("-c")
        .arg("source \"$1/bin/activate\" && echo \"$VIRTUAL_ENV\"")
        .arg("bash")
        .arg(&b));
    assert_eq!(out.trim(), b.to_str().unwrap());
}

/// A base prefix made from a copy of the real interpreter binary, with the standard library
/// linked in: like a conda prefix (real binary, no pyvenv.cfg).
fn copied_prefix(dir: &Path) -> PathBuf {
    let (exe, stdlib, ver) = python_layout();
    fs::create_dir_all(dir.join("bin")).unwrap();
    fs::create_dir_all(dir.join("lib")).unwrap();
    let py = dir.join(format!("bin/python{ver}"));
    fs::copy(exe, &py).unwrap();
    symlink(format!("python{ver}"), dir.join("bin/python")).unwrap();
    symlink(format!("python{ver}"), dir.join("bin/python3")).unwrap();
    symlink(stdlib, dir.join(format!("lib/python{ver}"))).unwrap();
    py
}

#[test]
fn conda_style_prefix_moved() {
    let tmp = tempdir();
    let old = tmp.path().join("miniconda3").join("envs").join("torch");
    let py = copied_prefix(&old);
    fs::create_dir_all(old.join("conda-meta")).unwrap();
    fs::write(old.join("conda-meta/history"), "").unwrap();
    let name = py.file_name().unwrap().to_str().unwrap().to_owned();
    write_exec(
        &old.join("bin/torchrun"),
        format!(
            "#!{}\n# -*- coding: utf-8 -*-\nimport sys\nprint(sys.prefix)\n",
            py.display()
        )
        .as_bytes(),
        0o755,
    );
    let new = tmp
        .path()
        .join("opt")
        .join("conda")
        .join("envs")
        .join("torch");
    move_env(&old, &new);
    // The folder of environments resolves to each env in it.
    let scan = pydoctor([
        "scan".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        new.parent().unwrap().as_os_str(),
    ]);
    assert_eq!(scan.code, 1, "{}{}", scan.stdout, scan.stderr);
    let v = scan.json();
    assert_eq!(v["envs"][0]["kind"], "conda");
    assert_eq!(v["envs"][0]["findings"][0]["rule"], "PD101");
    let fix = pydoctor(["fix-shebang".as_ref(), new.as_os_str()]);
    assert_eq!(fix.code, 0, "{}", fix.stdout);
    let first = fs::read_to_string(new.join("bin/torchrun")).unwrap();
    assert!(
        first.starts_with(&format!("#!{}/bin/{name}\n", new.display())),
        "{first}"
    );
    assert_eq!(
        real(Path::new(run_script(&new.join("bin/torchrun"), &[]).trim())),
        real(&new)
    );
}

#[test]
fn base_interpreter_removed() {
    let tmp = tempdir();
    let base = tmp.path().join("base");
    let py = copied_prefix(&base);
    let env = tmp.path().join("env");
    sh(Command::new(&py)
        .args(["-m", "venv", "--without-pip"])
        .arg(&env));
    write_exec(
        &env.join("bin/tool"),
        format!("#!{}/bin/python\nprint(1)\n", env.display()).as_bytes(),
        0o755,
    );
    fs::remove_dir_all(&base).unwrap();
    let scan = pydoctor(["scan".as_ref(), env.as_os_str()]);
    assert_eq!(scan.code, 1);
    assert!(scan.stdout.contains("PD110"), "{}", scan.stdout);
    assert!(scan.stdout.contains("PD111"), "{}", scan.stdout);
    assert!(
        !scan.stdout.contains("PD101"),
        "scripts are not blamed: {}",
        scan.stdout
    );
    let fix = pydoctor(["fix-shebang".as_ref(), env.as_os_str()]);
    assert_eq!(fix.code, 1, "{}", fix.stdout);
    assert!(fix.stdout.contains("gone"), "{}", fix.stdout);

    // --unsafe-fixes relinks to an installed interpreter of the same X.Y found on PATH.
    let info = sh(Command::new("python3").args([
        "-c",
        "import sys, os; print(os.path.realpath(sys.executable)); print('%d.%d' % sys.version_info[:2])",
    ]));
    let mut lines = info.lines();
    let (exe, ver) = (lines.next().unwrap(), lines.next().unwrap());
    let pybin = tmp.path().join("pybin");
    fs::create_dir_all(&pybin).unwrap();
    symlink(exe, pybin.join(format!("python{ver}"))).unwrap();
    let path = format!(
        "{}:{}",
        pybin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = command()
        .args(["fix".as_ref(), "--unsafe-fixes".as_ref(), env.as_os_str()])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(run_script(&env.join("bin/tool"), &[]).trim(), "1");
    let prefix =
        sh(Command::new(env.join("bin/python")).args(["-c", "import sys; print(sys.prefix)"]));
    assert_eq!(real(Path::new(prefix.trim())), real(&env));
    let cfg = fs::read_to_string(env.join("pyvenv.cfg")).unwrap();
    assert!(
        cfg.contains(&format!("home = {}", pybin.display())),
        "{cfg}"
    );
    let scan = pydoctor(["scan".as_ref(), "--offline".as_ref(), env.as_os_str()]);
    assert_eq!(scan.code, 0, "{}", scan.stdout);
}

#[test]
fn undo_puts_back_exactly_what_fix_changed() {
    let tmp = tempdir();
    let old = tmp.path().join("a").join("env");
    make_venv(&python3(), &old, false);
    write_exec(
        &old.join("bin/tool"),
        format!("#!{}/bin/python -E\r\nprint(1)\r\n", old.display()).as_bytes(),
        0o751,
    );
    let new = long_dir(tmp.path(), 140, "b").join("env");
    move_env(&old, &new);
    let bytes = |name: &str| fs::read(new.join(name)).unwrap();
    let files = [
        "bin/tool",
        "bin/activate",
        "bin/activate.fish",
        "pyvenv.cfg",
    ];
    let before: Vec<Vec<u8>> = files.iter().map(|f| bytes(f)).collect();

    let fix = pydoctor(["fix".as_ref(), new.as_os_str()]);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    assert!(fix.stderr.contains("--undo"), "{}", fix.stderr);
    assert_ne!(bytes("bin/tool"), before[0]);
    assert_eq!(run_script(&new.join("bin/tool"), &[]).trim(), "1");

    let dry = pydoctor([
        "fix".as_ref(),
        "--undo".as_ref(),
        "--dry-run".as_ref(),
        new.as_os_str(),
    ]);
    assert!(dry.stdout.contains("+#!/"), "{}", dry.stdout);
    assert!(dry.stdout.contains("would restore"), "{}", dry.stdout);
    assert_ne!(bytes("bin/tool"), before[0], "dry run wrote");

    let undo = pydoctor(["fix".as_ref(), "--undo".as_ref(), new.as_os_str()]);
    assert_eq!(undo.code, 0, "{}{}", undo.stdout, undo.stderr);
    // Said as what it is: a restore, not a fix "fixed -> as before the fix".
    assert!(
        undo.stdout
            .contains("as they were before pydoctor's last fix")
            && !undo.stdout.contains("fixed"),
        "{}",
        undo.stdout
    );
    assert!(!undo.stderr.contains("--undo puts"), "{}", undo.stderr);
    let after: Vec<Vec<u8>> = files.iter().map(|f| bytes(f)).collect();
    assert_eq!(after, before, "undo restores every byte");
    let mode = fs::metadata(new.join("bin/tool"))
        .unwrap()
        .permissions()
        .mode()
        & 0o7777;
    assert_eq!(mode, 0o751);

    let again = pydoctor(["fix".as_ref(), "--undo".as_ref(), new.as_os_str()]);
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("no undo journal"), "{}", again.stderr);
    assert!(again.stdout.contains("nothing to undo"), "{}", again.stdout);
}
