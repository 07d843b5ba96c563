//! Do no harm, tried as an attacker or an unlucky user on a shared folder would: planted undo
//! journals, undo run twice, symlinked folders, paths that would become code, FIFOs and
//! endless files where config files belong, config edits that real pip must read as meant.

mod common;

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http::{Behavior, serve};
use common::*;

fn write_exec(path: &Path, content: &str) {
    fs::write(path, content).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// A venv at `dir` with console scripts that name its interpreter.
fn env_with_scripts(dir: &Path, n: usize) {
    make_venv(Path::new("python3"), dir, false);
    for i in 0..n {
        write_exec(
            &dir.join(format!("bin/tool{i}")),
            &format!(
                "#!{}/bin/python\nimport sys\nprint(sys.prefix)\n",
                dir.display()
            ),
        );
    }
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| (e.path(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// Run pydoctor, killing it if it has not finished within `limit`: a hang is a failure.
fn run_bounded(args: &[&std::ffi::OsStr], limit: Duration) -> Run {
    let mut child = command()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t0.elapsed() > limit {
            let _ = child.kill();
            panic!("pydoctor {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    finish(child.wait_with_output().unwrap())
}

#[test]
fn a_planted_journal_writes_nowhere() {
    let tmp = tempdir();
    let env = tmp.path().join("env");
    env_with_scripts(&env, 1);
    let victim = tmp.path().join("bashrc");
    fs::write(&victim, "echo hello\n").unwrap();
    let undo = env.join(".pydoctor/undo");
    fs::create_dir_all(&undo).unwrap();
    for path in [
        victim.as_os_str().to_owned(),
        OsString::from("../bashrc"),
        OsString::from("bin/../../bashrc"),
    ] {
        let entry = serde_json::json!({
            "version": 2, "created_unix": 0,
            "entries": [{"path": path.as_encoded_bytes(), "kind": "file",
                         "old": b"rm -rf ~\n".to_vec(), "new": [],
                         "before": "00", "after": "00"}],
        });
        fs::write(undo.join("9999999999000000000.json"), entry.to_string()).unwrap();
        let r = pydoctor(["fix".as_ref(), "--undo".as_ref(), env.as_os_str()]);
        assert_ne!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert_eq!(
            fs::read_to_string(&victim).unwrap(),
            "echo hello\n",
            "{path:?}"
        );
    }
    // A version-1 journal (no hashes) is not used at all.
    let v1 = serde_json::json!({"version": 1, "created_unix": 0,
        "entries": [{"path": b"bin/tool0".to_vec(), "old": b"x".to_vec(), "new": []}]});
    fs::write(undo.join("9999999999000000000.json"), v1.to_string()).unwrap();
    let before = fs::read(env.join("bin/tool0")).unwrap();
    let r = pydoctor(["fix".as_ref(), "--undo".as_ref(), env.as_os_str()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("version 1"), "{}", r.stderr);
    assert_eq!(fs::read(env.join("bin/tool0")).unwrap(), before);

    // A journal folder that belongs to someone else is not trusted.
    fs::remove_file(undo.join("9999999999000000000.json")).unwrap();
    sh(Command::new("chown").arg("4242").arg(&undo));
    let r = pydoctor(["fix".as_ref(), "--undo".as_ref(), env.as_os_str()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not trusted"), "{}", r.stderr);
}

#[test]
fn undo_twice_restores_once_and_corrupts_nothing() {
    let tmp = tempdir();
    // `/x/envs/p` -> `/x/env/p`: the new path is a prefix of the old one.
    let old = tmp.path().join("x/envs/p");
    env_with_scripts(&old, 5);
    let new = tmp.path().join("x/env/p");
    move_env(&old, &new);
    let broken = snapshot(&new.join("bin"));
    let fix = pydoctor(["fix-shebang".as_ref(), new.as_os_str()]);
    assert_eq!(fix.code, 0, "{}", fix.stdout);
    let journal_dir = new.join(".pydoctor/undo");
    let journal = fs::read_dir(&journal_dir)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let saved = fs::read(&journal).unwrap();
    let undo = pydoctor(["fix".as_ref(), "--undo".as_ref(), new.as_os_str()]);
    assert_eq!(undo.code, 0, "{}{}", undo.stdout, undo.stderr);
    assert_eq!(
        snapshot(&new.join("bin")),
        broken,
        "undo restores the exact bytes"
    );
    // As after a kill before the journal was removed: the same journal again.
    fs::write(&journal, &saved).unwrap();
    let again = pydoctor([
        "fix".as_ref(),
        "--undo".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        new.as_os_str(),
    ]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again.json()["envs"][0]["changed"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        snapshot(&new.join("bin")),
        broken,
        "a second undo changes nothing"
    );
    assert!(!journal.exists());
}

#[test]
fn symlinked_folders_lead_no_write_outside() {
    let tmp = tempdir();
    let old = tmp.path().join("a/env");
    env_with_scripts(&old, 2);
    // A kernelspec folder that is a symlink to someone else's folder.
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let spec = format!("{{\"argv\": [\"{}/bin/python\"]}}", old.display());
    fs::write(elsewhere.join("kernel.json"), &spec).unwrap();
    fs::create_dir_all(old.join("share/jupyter/kernels")).unwrap();
    symlink(&elsewhere, old.join("share/jupyter/kernels/k")).unwrap();
    // .pydoctor is a symlink to a folder outside, holding files named like our temp files.
    let outside = tmp.path().join("outside");
    fs::create_dir_all(outside.join("undo")).unwrap();
    fs::write(outside.join("undo/.pydoctor-planted.tmp"), "keep").unwrap();
    symlink(&outside, old.join(".pydoctor")).unwrap();
    let new = tmp.path().join("b/env");
    move_env(&old, &new);
    let bin_before = snapshot(&new.join("bin"));
    let r = pydoctor(["fix".as_ref(), new.as_os_str()]);
    assert_ne!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        fs::read_to_string(elsewhere.join("kernel.json")).unwrap(),
        spec
    );
    assert_eq!(
        fs::read_dir(outside.join("undo")).unwrap().count(),
        1,
        "no journal written outside, no file removed there"
    );
    assert!(outside.join("undo/.pydoctor-planted.tmp").exists());
    // Without a journal nothing was renamed.
    assert_eq!(snapshot(&new.join("bin")), bin_before);
}

#[test]
fn a_folder_name_never_becomes_code() {
    let tmp = tempdir();
    let old = tmp.path().join("a/env");
    env_with_scripts(&old, 2);
    let pwned = tmp.path().join("PWNED");
    let evil = format!(
        "x''' and __import__('os').system('touch {}') or '''y",
        pwned.display()
    );
    let new = tmp.path().join(&evil).join("env");
    move_env(&old, &new);
    let r = pydoctor(["fix-shebang".as_ref(), new.as_os_str()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for i in 0..2 {
        let out = run_script(&new.join(format!("bin/tool{i}")), &[]);
        assert_eq!(real(Path::new(out.trim())), real(&new));
    }
    assert!(!pwned.exists(), "the folder name ran as Python");

    // A newline in a folder name cannot add a line to pyvenv.cfg.
    let old = tmp.path().join("c/env");
    make_venv(Path::new("python3"), &old, false);
    let cfg = fs::read_to_string(old.join("pyvenv.cfg")).unwrap();
    if !cfg.contains("command =") {
        fs::write(
            old.join("pyvenv.cfg"),
            format!(
                "{cfg}command = /usr/bin/python3 -m venv {}\n",
                old.display()
            ),
        )
        .unwrap();
    }
    let nl = tmp
        .path()
        .join("a\ninclude-system-site-packages = true\nb")
        .join("env");
    move_env(&old, &nl);
    let _ = pydoctor(["fix".as_ref(), nl.as_os_str()]);
    let after = fs::read_to_string(nl.join("pyvenv.cfg")).unwrap();
    assert!(
        !after.contains("include-system-site-packages = true"),
        "{after}"
    );
}

#[test]
fn fifos_and_endless_files_never_hang_a_scan() {
    let tmp = tempdir();
    let limit = Duration::from_secs(30);
    let mkfifo = |p: &Path| sh(Command::new("mkfifo").arg(p));
    // A FIFO at the env's own pip.conf and at a kernel.json.
    let a = tmp.path().join("envs/a");
    make_venv(Path::new("python3"), &a, false);
    mkfifo(&a.join("pip.conf"));
    let k = a.join("share/jupyter/kernels/k");
    fs::create_dir_all(&k).unwrap();
    mkfifo(&k.join("kernel.json"));
    // /dev/zero where pyvenv.cfg belongs, and a FIFO at another's pyvenv.cfg.
    let b = tmp.path().join("envs/b");
    make_venv(Path::new("python3"), &b, false);
    fs::remove_file(b.join("pyvenv.cfg")).unwrap();
    symlink("/dev/zero", b.join("pyvenv.cfg")).unwrap();
    let c = tmp.path().join("envs/c");
    make_venv(Path::new("python3"), &c, false);
    fs::remove_file(c.join("pyvenv.cfg")).unwrap();
    mkfifo(&c.join("pyvenv.cfg"));
    for env in [&a, &b, &c] {
        let r = run_bounded(
            &["scan".as_ref(), "--offline".as_ref(), env.as_os_str()],
            limit,
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = run_bounded(
        &[
            "scan".as_ref(),
            "--offline".as_ref(),
            tmp.path().join("envs").as_os_str(),
        ],
        limit,
    );
    assert!(r.stdout.contains("envs/a"), "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
}

/// The renderer's promise, checked by the programs that read the header: for any folder name,
/// the trampoline is refused, or `sh` runs it and Python parses it, and it runs exactly the
/// intended interpreter (nothing else runs: a name that ran code would leave a file behind).
#[test]
fn trampolines_run_exactly_the_intended_interpreter() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let tmp = tempdir();
    let py = sh(Command::new("python3").args(["-c", "import sys; print(sys.executable)"]));
    let py = PathBuf::from(py.trim());
    let canary = tmp.path().join("CANARY");
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48u32)
        .min(400);
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let name = proptest::collection::vec(
        prop_oneof![
            Just("'".to_string()),
            Just("\"".to_string()),
            Just("'''".to_string()),
            Just("\\".to_string()),
            Just("$(touch CANARY)".to_string()),
            Just("`touch CANARY`".to_string()),
            Just("; touch CANARY #".to_string()),
            Just(" ".to_string()),
            Just("é".to_string()),
            "[a-z$!*?&|<>(){}#~=,:@%+-]{1,6}",
        ],
        1..6,
    )
    .prop_map(|parts| parts.concat());
    let n = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&name, |name| {
            let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir = tmp
                .path()
                .join(format!("{i}"))
                .join(&name)
                .join("padding-".repeat(12));
            fs::create_dir_all(dir.join("bin")).unwrap();
            let interp = dir.join("bin/python3");
            symlink(&py, &interp).unwrap();
            match pydoctor::shebang::render(
                &interp,
                &[],
                None,
                None,
                pydoctor::shebang::Style::Auto,
            ) {
                Err(pydoctor::shebang::RenderError::QuoteInPath) => {
                    prop_assert!(name.contains(['\'', '\\']));
                }
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
                Ok(head) => {
                    let script = dir.join("bin/tool");
                    let mut body = head;
                    body.extend_from_slice(b"import sys\nprint(sys.argv[1:], sys.prefix)\n");
                    fs::write(&script, &body).unwrap();
                    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
                    let out = Command::new(&script)
                        .arg("a b")
                        .current_dir(tmp.path())
                        .output()
                        .unwrap();
                    prop_assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    let text = String::from_utf8_lossy(&out.stdout);
                    prop_assert!(text.starts_with("['a b'] "), "{}", text);
                    prop_assert!(!canary.exists(), "{name:?} ran code");
                }
            }
            Ok(())
        })
        .unwrap();
}

/// `mirrors --apply` writes what real pip then reads as meant; the backup keeps the mode; temp
/// files of a killed run are removed.
#[test]
fn apply_writes_what_pip_reads() {
    let home = tempdir();
    let h = home.path();
    let venv = h.join("pipenv");
    make_venv(Path::new("python3"), &venv, true);
    let conf_dir = h.join(".config/pip");
    fs::create_dir_all(&conf_dir).unwrap();
    let conf = conf_dir.join("pip.conf");
    fs::write(
        &conf,
        "[global]\nindex-url = https://old.example/simple\n    http://glued.example/simple\ntimeout = 5\n\n[ global ]\nindex-url = https://spaced.example/simple\n\n[install]\nindex-url = https://install.example/simple\n",
    )
    .unwrap();
    fs::set_permissions(&conf, fs::Permissions::from_mode(0o600)).unwrap();
    fs::write(conf_dir.join(".pydoctor-left-by-a-kill.tmp"), "x").unwrap();
    let server = serve(Behavior::Index {
        delay_ms: 0,
        json: false,
        versions: vec!["24.0", "24.1"],
    });
    let out = Command::new(env!("CARGO_BIN_EXE_pydoctor"))
        .args(["mirrors", "--apply", "loop", "--mirror"])
        .arg(format!("loop={}", server.url))
        .env("HOME", h)
        .env("XDG_CONFIG_HOME", h.join(".config"))
        .env("NO_PROXY", "127.0.0.1")
        .env_remove("PIP_CONFIG_FILE")
        .env_remove("PIP_INDEX_URL")
        .output()
        .unwrap();
    let r = finish(out);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!conf_dir.join(".pydoctor-left-by-a-kill.tmp").exists());
    let backup = fs::read_dir(&conf_dir)
        .unwrap()
        .flatten()
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .contains(".pydoctor-backup.")
        })
        .unwrap();
    assert_eq!(
        backup.metadata().unwrap().permissions().mode() & 0o777,
        0o600,
        "the backup keeps the original's mode"
    );
    assert_eq!(
        fs::metadata(&conf).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let pip = |args: &[&str]| {
        let out = Command::new(venv.join("bin/pip"))
            .args(args)
            .env("HOME", h)
            .env("XDG_CONFIG_HOME", h.join(".config"))
            .env("NO_PROXY", "127.0.0.1")
            .env_remove("PIP_CONFIG_FILE")
            .env_remove("PIP_INDEX_URL")
            .env_remove("PIP_FIND_LINKS")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    let list = pip(&["config", "list"]);
    assert!(
        list.contains(&format!("global.index-url='{}'", server.url)),
        "{list}"
    );
    assert!(
        list.contains(&format!("install.index-url='{}'", server.url)),
        "{list}"
    );
    assert!(!list.contains("glued"), "{list}");
    let versions = pip(&["index", "versions", "pip"]);
    assert!(
        versions.contains("pip (24.1)"),
        "pip used the new index: {versions}"
    );
}
