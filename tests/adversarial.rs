//! Adversarial file trees: each must end with a clear message, the right exit code, nothing
//! written outside the environment, and no hang (every run is under coreutils `timeout`).

mod common;

use std::ffi::OsString;
use std::fs;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Run pydoctor under `timeout 120`, hermetic; `as_nobody` drops root with setpriv.
fn run(args: &[&std::ffi::OsStr], as_nobody: bool) -> Run {
    let mut c = Command::new("timeout");
    hermetic(&mut c);
    c.arg("120");
    if as_nobody {
        c.args([
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
        ]);
    }
    c.arg(env!("CARGO_BIN_EXE_pydoctor")).args(args);
    let out = c.output().unwrap();
    let r = common::finish(out);
    assert_ne!(r.code, 124, "timed out: {args:?}");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

fn venv_at(p: &Path) {
    make_venv(Path::new("python3"), p, false);
}

fn script(p: &Path, interp: &Path) {
    fs::write(p, format!("#!{}\nprint(1)\n", interp.display())).unwrap();
    fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
}

fn o(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn loops_sockets_devices_and_a_10mb_line() {
    let tmp = tempdir();
    let env = tmp.path().join("env");
    venv_at(&env);
    let bin = env.join("bin");
    symlink("loop-b", bin.join("loop-a")).unwrap();
    symlink("loop-a", bin.join("loop-b")).unwrap();
    symlink(".", bin.join("self")).unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(bin.join("sock")).unwrap();
    let dev = Command::new("mknod")
        .arg(bin.join("null"))
        .args(["c", "1", "3"])
        .status();
    if !dev.is_ok_and(|s| s.success()) {
        eprintln!("note: mknod not permitted; no device node in this run");
    }
    sh(Command::new("mkfifo").arg(bin.join("fifo")));
    // 10 MB on line one, no newline: read only 8 KiB of it, report, never rewrite.
    let mut big = b"#!/".to_vec();
    big.extend(std::iter::repeat_n(b'x', 10 << 20));
    fs::write(bin.join("huge"), &big).unwrap();
    fs::set_permissions(bin.join("huge"), fs::Permissions::from_mode(0o755)).unwrap();

    let r = run(
        &[
            o("scan"),
            o("--offline"),
            o("--format"),
            o("json"),
            env.as_os_str(),
        ],
        false,
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let f = r.json()["envs"][0]["findings"].clone();
    assert_eq!(f.as_array().unwrap().len(), 1, "{f:#}");
    assert_eq!(f[0]["rule"], "PD105");
    assert!(
        f[0]["message"].as_str().unwrap().contains("over 8192"),
        "{f:#}"
    );

    let fix = run(&[o("fix-shebang"), env.as_os_str()], false);
    assert_eq!(fix.code, 1, "left broken: exit 1\n{}", fix.stdout);
    assert!(
        fix.stdout.contains("longer than any kernel reads"),
        "{}",
        fix.stdout
    );
    assert_eq!(fs::read(bin.join("huge")).unwrap(), big, "never rewritten");
}

#[test]
fn a_bin_with_100000_entries() {
    let tmp = tempdir();
    let old = tmp.path().join("old/env");
    venv_at(&old);
    let bin = old.join("bin");
    for i in 0..100_000 {
        fs::write(bin.join(format!("data{i:06}")), b"x").unwrap();
    }
    for i in 0..50 {
        script(&bin.join(format!("tool{i:02}")), &old.join("bin/python"));
    }
    let new = tmp.path().join("new/env");
    move_env(&old, &new);
    let r = run(
        &[
            o("scan"),
            o("--offline"),
            o("--format"),
            o("json"),
            new.as_os_str(),
        ],
        false,
    );
    assert_eq!(r.code, 1);
    let n = r.json()["envs"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PD101")
        .count();
    assert_eq!(n, 50);
    let fix = run(&[o("fix-shebang"), new.as_os_str()], false);
    assert_eq!(fix.code, 0, "{}", fix.stdout);
    assert_eq!(run_script(&new.join("bin/tool07"), &[]).trim(), "1");
}

#[test]
fn unreadable_files_and_folders_as_another_user() {
    if Command::new("setpriv").arg("--version").output().is_err() || unsafe { libc::geteuid() } != 0
    {
        eprintln!("note: needs root and setpriv to test permissions; skipped");
        return;
    }
    let tmp = tempdir();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let env = tmp.path().join("env");
    venv_at(&env);
    script(&env.join("bin/secret"), &env.join("bin/python"));
    fs::set_permissions(env.join("bin/secret"), fs::Permissions::from_mode(0o711)).unwrap();
    let r = run(
        &[
            o("scan"),
            o("--offline"),
            o("--format"),
            o("json"),
            env.as_os_str(),
        ],
        true,
    );
    assert_eq!(r.code, 0, "a warning only: {}{}", r.stdout, r.stderr);
    assert_eq!(
        r.json()["envs"][0]["findings"][0]["rule"],
        "PD109",
        "{}",
        r.stdout
    );

    // A bin/ nobody may list: one clear error line for that env, exit 2.
    fs::set_permissions(env.join("bin"), fs::Permissions::from_mode(0o700)).unwrap();
    let r = run(&[o("scan"), o("--offline"), env.as_os_str()], true);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("Permission denied") && r.stderr.contains("bin"),
        "{}",
        r.stderr
    );

    // A bin/ nobody may not write: fix reports each file, writes nothing, exits 1.
    fs::set_permissions(env.join("bin"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(env.join("bin/secret"), fs::Permissions::from_mode(0o755)).unwrap();
    let moved = tmp.path().join("moved");
    move_env(&env, &moved);
    let before = fs::read(moved.join("bin/secret")).unwrap();
    let r = run(&[o("fix-shebang"), moved.as_os_str()], true);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("failed") && r.stdout.contains("Permission denied"),
        "{}",
        r.stdout
    );
    assert_eq!(fs::read(moved.join("bin/secret")).unwrap(), before);
}

#[test]
fn non_utf8_environment_path() {
    let tmp = tempdir();
    // Python's venv cannot create a non-UTF-8 path, but an env can be moved to one.
    let old = tmp.path().join("a");
    venv_at(&old);
    let odd = tmp
        .path()
        .join(OsString::from_vec(b"caf\xe9 envs".to_vec()));
    script(&old.join("bin/tool"), &old.join("bin/python"));
    let new = odd.join("b");
    move_env(&old, &new);
    let r = run(
        &[
            o("scan"),
            o("--offline"),
            o("--format"),
            o("json"),
            new.as_os_str(),
        ],
        false,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let fix = run(&[o("fix"), new.as_os_str()], false);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);
    assert_eq!(run_script(&new.join("bin/tool"), &[]).trim(), "1");
}

#[test]
fn a_bin_that_is_a_symlink() {
    let tmp = tempdir();
    // Inside the env: works.
    let env = tmp.path().join("env");
    venv_at(&env);
    fs::rename(env.join("bin"), env.join("real-bin")).unwrap();
    symlink("real-bin", env.join("bin")).unwrap();
    script(&env.join("real-bin/tool"), Path::new("/gone/bin/python3"));
    let fix = run(&[o("fix-shebang"), env.as_os_str()], false);
    assert_eq!(fix.code, 0, "{}{}", fix.stdout, fix.stderr);

    // Leading out of the env: refused, nothing written there.
    let outside: PathBuf = tmp.path().join("shared-bin");
    fs::create_dir_all(&outside).unwrap();
    script(&outside.join("tool"), Path::new("/gone/bin/python3"));
    let env2 = tmp.path().join("env2");
    venv_at(&env2);
    for e in fs::read_dir(env2.join("bin")).unwrap().flatten() {
        fs::rename(e.path(), outside.join(e.file_name())).unwrap();
    }
    fs::remove_dir(env2.join("bin")).unwrap();
    symlink(&outside, env2.join("bin")).unwrap();
    let before = fs::read(outside.join("tool")).unwrap();
    let r = run(&[o("fix-shebang"), env2.as_os_str()], false);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("leads outside the environment"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read(outside.join("tool")).unwrap(), before);
}

#[test]
fn a_read_only_filesystem() {
    let tmp = tempdir();
    let old = tmp.path().join("old/env");
    venv_at(&old);
    script(&old.join("bin/tool"), &old.join("bin/python"));
    let new = tmp.path().join("ro/env");
    move_env(&old, &new);
    let ro = tmp.path().join("ro");
    let mounted = Command::new("mount")
        .args(["--bind"])
        .arg(&ro)
        .arg(&ro)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(&ro)
            .status()
            .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("note: cannot bind-mount read-only here; skipped");
        let _ = Command::new("umount").arg(&ro).status();
        return;
    }
    let before = fs::read(new.join("bin/tool")).unwrap();
    let r = run(&[o("fix-shebang"), new.as_os_str()], false);
    let _ = Command::new("umount").arg(&ro).status();
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Read-only file system"), "{}", r.stdout);
    assert_eq!(fs::read(new.join("bin/tool")).unwrap(), before);
}

/// Files deleted, recreated and rewritten while scan and fix-shebang run: never a panic or a
/// hang, and every script left behind is whole.
#[test]
fn files_that_change_while_we_work() {
    let tmp = tempdir();
    let old = tmp.path().join("old/env");
    venv_at(&old);
    for i in 0..300 {
        script(
            &old.join(format!("bin/tool{i:03}")),
            &old.join("bin/python"),
        );
    }
    let new = tmp.path().join("new/env");
    move_env(&old, &new);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (stop, bin, old) = (stop.clone(), new.join("bin"), old.clone());
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let p = bin.join(format!("tool{:03}", i % 300));
                let _ = fs::remove_file(&p);
                if i.is_multiple_of(3) {
                    let _ = symlink("tool000", &p);
                } else {
                    script(&p, &old.join("bin/python"));
                }
                i += 1;
            }
        })
    };
    for round in 0..10 {
        let cmd = if round % 2 == 0 {
            "scan"
        } else {
            "fix-shebang"
        };
        let r = run(&[o(cmd), new.as_os_str()], false);
        assert!(matches!(r.code, 0 | 1), "{cmd}: {}{}", r.stdout, r.stderr);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
    for e in fs::read_dir(new.join("bin")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("tool") && e.file_type().unwrap().is_file() {
            let text = fs::read_to_string(e.path()).unwrap();
            assert!(
                text.ends_with("\nprint(1)\n") && text.starts_with("#!"),
                "{name}: {text:?}"
            );
        }
    }
    let last = run(&[o("fix-shebang"), new.as_os_str()], false);
    assert_eq!(last.code, 0, "{}{}", last.stdout, last.stderr);
}
