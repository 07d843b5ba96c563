//! SIGKILL during fix-shebang, over and over: every script is always either its old or its
//! new version, never half-written; the next run finishes the job and leaves no temp file.
//! Two fixers at once end with a correct env.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use common::*;

const SCRIPTS: usize = 2000;
const BODY: &str = "# -*- coding: utf-8 -*-\nimport sys\nprint(sys.prefix)\n";

fn populate(env: &Path) {
    for i in 0..SCRIPTS {
        let p = env.join(format!("bin/tool{i:04}"));
        fs::write(&p, format!("#!{}/bin/python\n{BODY}", env.display())).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Every script is whole: line one names one of the two locations, the body is intact.
fn check_whole(env: &Path, locations: &[&Path]) -> (usize, usize) {
    let (mut old, mut new) = (0, 0);
    for i in 0..SCRIPTS {
        let text = fs::read_to_string(env.join(format!("bin/tool{i:04}"))).unwrap();
        let (line, body) = text.split_once('\n').unwrap();
        assert_eq!(body, BODY, "tool{i:04}: body damaged");
        if line == format!("#!{}/bin/python", locations[0].display()) {
            old += 1;
        } else if line == format!("#!{}/bin/python", locations[1].display()) {
            new += 1;
        } else {
            panic!("tool{i:04}: line one is neither old nor new: {line:?}");
        }
    }
    (old, new)
}

fn temps(env: &Path) -> usize {
    fs::read_dir(env.join("bin"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pydoctor-"))
        .count()
}

#[test]
fn sigkill_at_random_points_never_leaves_a_broken_script() {
    let tmp = tempdir();
    let a = tmp.path().join("mnt-a").join("env");
    let b = tmp.path().join("mnt-b").join("env");
    make_venv(Path::new("python3"), &a, false);
    populate(&a);
    // Time one complete run, then kill at evenly spread fractions of that time.
    move_env(&a, &b);
    let t0 = std::time::Instant::now();
    assert_eq!(pydoctor(["fix-shebang".as_ref(), b.as_os_str()]).code, 0);
    let full = t0.elapsed();
    let (mut from, mut to) = (b.clone(), a.clone());
    let mut kills = 0;
    let mut partial = 0;
    let rounds = 16u32;
    for round in 0..rounds {
        move_env(&from, &to);
        let child = command()
            .args(["fix-shebang".as_ref(), to.as_os_str()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over start-up, staging, the sync and the renames.
        std::thread::sleep(full.mul_f64(f64::from(round + 1) / f64::from(rounds)));
        let pid = child.id() as i32;
        // SAFETY: plain kill(2) on our own child.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        let mut child = child;
        let _ = child.wait();
        kills += 1;
        let (old, new) = check_whole(&to, &[&from, &to]);
        if old > 0 && new > 0 {
            partial += 1;
        }
        // The next run completes the repair and removes what the killed one left.
        let r = pydoctor(["fix-shebang".as_ref(), to.as_os_str()]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert_eq!(check_whole(&to, &[&from, &to]), (0, SCRIPTS));
        assert_eq!(temps(&to), 0, "temp files left after a complete run");
        assert_eq!(
            run_script(&to.join("bin/tool0007"), &[]).trim(),
            to.to_str().unwrap()
        );
        std::mem::swap(&mut from, &mut to);
    }
    eprintln!("{kills} kills survived ({partial} in the middle of the renames; full run {full:?})");
}

#[test]
fn two_fixers_at_once_end_with_a_correct_env() {
    let tmp = tempdir();
    let a = tmp.path().join("x").join("env");
    make_venv(Path::new("python3"), &a, false);
    populate(&a);
    let b = tmp.path().join("y").join("env");
    move_env(&a, &b);
    let spawn = || {
        command()
            .args(["fix-shebang".as_ref(), b.as_os_str()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (c1, c2) = (spawn(), spawn());
    let (o1, o2) = (
        c1.wait_with_output().unwrap(),
        c2.wait_with_output().unwrap(),
    );
    assert!(
        o1.status.success(),
        "{}",
        String::from_utf8_lossy(&o1.stderr)
    );
    assert!(
        o2.status.success(),
        "{}",
        String::from_utf8_lossy(&o2.stderr)
    );
    assert_eq!(check_whole(&b, &[&a, &b]), (0, SCRIPTS));
    assert_eq!(temps(&b), 0);
}
