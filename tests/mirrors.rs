//! `pydoctor mirrors` against real HTTP servers on 127.0.0.1, one per failure mode. Config
//! tests run with a temporary HOME and XDG_CONFIG_HOME and never touch the real user's files.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::http::{Behavior, closed_port_url, serve};
use common::{Run, tempdir};

/// Run pydoctor isolated in `home` (see `common::isolated`).
fn run(home: &Path, args: &[String]) -> (Run, Duration) {
    let t0 = Instant::now();
    let out = common::isolated(home).args(args).output().unwrap();
    let r = common::finish(out);
    (r, t0.elapsed())
}

fn args(list: &[&str], mirrors: &[(&str, &str)]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    for (n, u) in mirrors {
        v.push("--mirror".into());
        v.push(format!("{n}={u}"));
    }
    v
}

const NEW: &[&str] = &["23.3", "24.0", "24.1"];

/// A loopback index listing the NEW versions, answering after `delay_ms`.
fn index(delay_ms: u64, json: bool) -> common::http::Server {
    serve(Behavior::Index {
        delay_ms,
        json,
        versions: NEW.to_vec(),
    })
}

#[test]
fn ranks_classifies_and_respects_the_deadline() {
    let home = tempdir();
    let fast = index(20, false);
    let mid = index(150, true);
    let stale = serve(Behavior::Index {
        delay_ms: 0,
        json: false,
        versions: vec!["23.3", "24.0"],
    });
    let hang = serve(Behavior::Hang);
    let drip = serve(Behavior::Drip);
    let e500 = serve(Behavior::Status(500));
    let portal = serve(Behavior::Portal);
    let redirect = serve(Behavior::Redirect(mid.url.clone()));
    let huge = serve(Behavior::Huge);
    let closed = closed_port_url();
    let not_found = format!("{}/nothing-here", fast.url);
    let all = [
        ("fast", fast.url.as_str()),
        ("mid", mid.url.as_str()),
        ("stale", stale.url.as_str()),
        ("hang", hang.url.as_str()),
        ("drip", drip.url.as_str()),
        ("e500", e500.url.as_str()),
        ("portal", portal.url.as_str()),
        ("redirect", redirect.url.as_str()),
        ("huge", huge.url.as_str()),
        ("closed", closed.as_str()),
        ("missing", not_found.as_str()),
    ];
    let (r, elapsed) = run(
        home.path(),
        &args(
            &["mirrors", "--fastest", "--format", "json", "--timeout", "2"],
            &all,
        ),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Hanging and dripping servers cost the deadline, not more (generous margin for CI).
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let v = r.json();
    assert_eq!(v["fastest"], "fast", "{v:#}");
    let by = |name: &str| {
        v["mirrors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap()
            .clone()
    };
    for (name, class) in [
        ("hang", "timeout"),
        ("drip", "timeout"),
        ("e500", "http-500"),
        ("portal", "not-an-index"),
        ("huge", "too-large"),
        ("closed", "connect"),
        ("missing", "http-404"),
    ] {
        let m = by(name);
        assert_eq!(m["ok"], false, "{name}");
        assert_eq!(m["error"], class, "{name}: {m:#}");
        assert!(m["latency_ms"].is_null());
    }
    let s = by("stale");
    assert_eq!(
        (s["ok"].clone(), s["stale"].clone()),
        (true.into(), true.into()),
        "{s:#}"
    );
    assert_eq!(by("mid")["format"], "json");
    assert_eq!(by("fast")["format"], "html");
    let r2 = by("redirect");
    assert_eq!(r2["ok"], true, "{r2:#}");
    assert!(
        r2["redirected_to"]
            .as_str()
            .unwrap()
            .starts_with(mid.url.trim_end_matches("/simple"))
    );
    // Latency covers the server's delay: mid waits 150 ms before answering.
    assert!(by("mid")["latency_ms"].as_f64().unwrap() >= 150.0);
    // Order: usable and current by latency, then stale, then failures.
    let order: Vec<&str> = v["mirrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(order[0], "fast", "{order:?}");
    let mut middle = order[1..3].to_vec();
    middle.sort();
    assert_eq!(middle, ["mid", "redirect"], "{order:?}");
    assert_eq!(order[3], "stale", "{order:?}");

    let (human, _) = run(
        home.path(),
        &args(&["mirrors", "--fastest", "--timeout", "1"], &all[..3]),
    );
    assert!(human.stdout.contains("fastest: fast"), "{}", human.stdout);
    assert!(
        human.stdout.contains("pydoctor mirrors --apply fast"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("stale"), "{}", human.stdout);
}

#[test]
fn samples_and_bounded_memory() {
    let home = tempdir();
    let fast = index(5, false);
    let huge = serve(Behavior::Huge);
    let (r, _) = run(
        home.path(),
        &args(
            &["mirrors", "--format", "json", "--samples", "3"],
            &[("fast", &fast.url), ("huge", &huge.url)],
        ),
    );
    assert_eq!(r.code, 0);
    assert!(r.json()["mirrors"][0]["first_ms"].is_number());
    // A 64 MiB answer is cut at the 8 MiB cap: the child's peak memory stays small.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the zeroed struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert!(
        usage.ru_maxrss < 200 * 1024,
        "peak RSS {} KiB",
        usage.ru_maxrss
    );
}

#[test]
fn none_usable_exits_1_and_bad_input_exits_2() {
    let home = tempdir();
    let e500 = serve(Behavior::Status(503));
    let (r, _) = run(
        home.path(),
        &args(
            &["mirrors", "--fastest"],
            &[("down", &e500.url), ("closed", &closed_port_url())],
        ),
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("http-503"), "{}", r.stdout);
    assert!(r.stdout.contains("no usable"), "{}", r.stdout);
    for bad in [
        vec!["mirrors", "--mirror", "noequals"],
        vec!["mirrors", "--mirror", "=http://x/simple"],
        vec!["mirrors", "--mirror", "a=ftp://x/simple"],
        vec!["mirrors", "--mirror", "a=http://"],
        vec!["mirrors", "--timeout", "abc"],
        vec!["mirrors", "--timeout", "-1"],
        vec![
            "mirrors",
            "--apply",
            "nosuchmirror",
            "--mirror",
            "a=http://127.0.0.1:9/simple",
        ],
    ] {
        let list: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        let (r, elapsed) = run(home.path(), &list);
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error"), "{bad:?}: {}", r.stderr);
        assert!(
            elapsed < Duration::from_secs(5),
            "bad input is rejected at once"
        );
    }
}

#[test]
fn apply_preserves_config_and_revert_restores_it() {
    let home = tempdir();
    let h = home.path();
    let fast = index(0, false);
    let slow = index(100, false);
    let pip_conf = h.join(".config/pip/pip.conf");
    let uv_toml = h.join(".config/uv/uv.toml");
    fs::create_dir_all(pip_conf.parent().unwrap()).unwrap();
    let pip_before = "# team settings\n[global]\ntimeout = 60\nindex-url = https://pypi.mirrors.ustc.edu.cn/simple/\n\n[install]\n; keep me\nuser = true\n";
    fs::write(&pip_conf, pip_before).unwrap();
    let mirrors = [("fast", fast.url.as_str()), ("slow", slow.url.as_str())];

    // --dry-run writes nothing.
    let (dry, _) = run(h, &args(&["mirrors", "--apply", "--dry-run"], &mirrors));
    assert_eq!(dry.code, 0, "{}{}", dry.stdout, dry.stderr);
    assert!(
        dry.stdout.contains(&format!("+index-url = {}", fast.url)),
        "{}",
        dry.stdout
    );
    assert_eq!(fs::read_to_string(&pip_conf).unwrap(), pip_before);
    assert!(!uv_toml.exists());

    let (r, _) = run(h, &args(&["mirrors", "--apply"], &mirrors));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let pip_after = fs::read_to_string(&pip_conf).unwrap();
    assert!(
        pip_after.starts_with("# team settings\n[global]\ntimeout = 60\n"),
        "{pip_after}"
    );
    assert!(pip_after.contains(&format!("index-url = {}\n", fast.url)));
    assert!(
        pip_after.contains("trusted-host = 127.0.0.1"),
        "plain http needs trusted-host"
    );
    assert!(pip_after.contains("; keep me\nuser = true"));
    let uv = fs::read_to_string(&uv_toml).unwrap();
    assert!(
        uv.contains(&format!("url = \"{}\"", fast.url)) && uv.contains("default = true"),
        "{uv}"
    );

    // Applying a named mirror updates in place; a second identical apply changes nothing.
    let (named, _) = run(h, &args(&["mirrors", "--apply", "slow"], &mirrors));
    assert_eq!(named.code, 0);
    assert!(fs::read_to_string(&pip_conf).unwrap().contains(&slow.url));
    let (same, _) = run(h, &args(&["mirrors", "--apply", "slow"], &mirrors));
    assert!(same.stdout.contains("nothing to change"), "{}", same.stdout);

    // Two reverts bring back exactly what was there: the original pip.conf, no uv.toml.
    for _ in 0..2 {
        let (rv, _) = run(h, &["mirrors".into(), "--revert".into()]);
        assert_eq!(rv.code, 0, "{}", rv.stderr);
    }
    assert_eq!(fs::read_to_string(&pip_conf).unwrap(), pip_before);
    assert!(!uv_toml.exists(), "uv.toml did not exist before");
    let leftovers: Vec<_> = fs::read_dir(pip_conf.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "backups cleaned up: {leftovers:?}");
}

#[test]
fn symlinked_config_is_written_through() {
    let home = tempdir();
    let h = home.path();
    let fast = index(0, true);
    let real = h.join("dotfiles/pip.conf");
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    fs::write(&real, "[global]\ntimeout = 5\n").unwrap();
    fs::create_dir_all(h.join(".config/pip")).unwrap();
    let link = h.join(".config/pip/pip.conf");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (r, _) = run(h, &args(&["mirrors", "--apply"], &[("fast", &fast.url)]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "link kept"
    );
    assert!(fs::read_to_string(&real).unwrap().contains(&fast.url));
}

#[test]
fn self_signed_https_is_a_tls_error() {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("note: openssl not found; skipping the self-signed HTTPS server");
        return;
    }
    let home = tempdir();
    let h = home.path();
    let (key, cert) = (h.join("k.pem"), h.join("c.pem"));
    common::sh(
        Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
            ])
            .arg(&key)
            .arg("-out")
            .arg(&cert),
    );
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut server = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(port.to_string())
        .arg("-cert")
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Every target's probe refuses the certificate (none ever turns verification off).
    let mut results = Vec::new();
    for (target, path) in [
        ("pip", "/simple"),
        ("conda", "/anaconda"),
        ("uv-python", "/pbs"),
        ("huggingface", "/hf"),
    ] {
        let url = format!("https://127.0.0.1:{port}{path}");
        let (r, _) = run(
            h,
            &args(
                &[
                    "mirrors",
                    "--format",
                    "json",
                    "--timeout",
                    "5",
                    "--target",
                    target,
                ],
                &[("selfsigned", &url)],
            ),
        );
        results.push((target, r));
    }
    let _ = server.kill();
    let _ = server.wait();
    for (target, r) in results {
        assert_eq!(r.code, 1, "{target}");
        let v = r.json();
        let m = &v["mirrors"][0];
        let class = m["channels"][0]["error"].as_str().or(m["error"].as_str());
        assert_eq!(class, Some("tls"), "{target}: {}", r.stdout);
    }
}

/// `pydoctor scan` checks the index pip is configured with (pip's own config files).
#[test]
fn scan_checks_the_configured_pip_index() {
    let home = tempdir();
    let h = home.path();
    let env = h.join("env");
    common::make_venv(Path::new("python3"), &env, false);
    let pip_conf = h.join(".config/pip/pip.conf");
    fs::create_dir_all(pip_conf.parent().unwrap()).unwrap();
    let scan = |extra: &[&str]| {
        let mut a: Vec<String> = vec!["scan".into(), "--format".into(), "json".into()];
        a.extend(extra.iter().map(|s| s.to_string()));
        a.push(env.display().to_string());
        let (r, _) = run(h, &a);
        // The user's pip config is the machine's: reported once, in its own section.
        let rules: Vec<String> = r.json()["machine"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            // Only what the test's own config causes (a machine's /etc/pip.conf may add more).
            .filter(|f| f["path"].as_str().unwrap().starts_with(h.to_str().unwrap()))
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        (r, rules)
    };

    // The retired USTC host from our users' notes (offline: no probe leaves the machine).
    fs::write(
        &pip_conf,
        "[global]\nindex-url = https://pypi.mirrors.ustc.edu.cn/simple/\n",
    )
    .unwrap();
    let (r, rules) = scan(&["--offline"]);
    assert_eq!(rules, ["PD120"], "{}", r.stdout);
    assert!(
        r.stdout.contains("https://mirrors.ustc.edu.cn/pypi/simple"),
        "{}",
        r.stdout
    );
    assert_eq!(r.code, 0, "warnings only");

    // A plain-http index on a closed port: untrusted and unreachable.
    let closed = closed_port_url();
    fs::write(&pip_conf, format!("[global]\nindex-url = {closed}\n")).unwrap();
    let (r, mut rules) = scan(&[]);
    rules.sort();
    assert_eq!(rules, ["PD121", "PD122"], "{}", r.stdout);
    let (_, offline) = scan(&["--offline"]);
    assert_eq!(offline, ["PD121"], "--offline skips the probe");

    // A working loopback index with trusted-host on a continuation line: healthy.
    let ok = index(0, false);
    fs::write(
        &pip_conf,
        format!(
            "[global]\nindex-url = {}\ntrusted-host =\n    example.org\n    127.0.0.1\n",
            ok.url
        ),
    )
    .unwrap();
    let (r, rules) = scan(&[]);
    assert!(rules.is_empty(), "{}", r.stdout);
}

/// `--download` times a real file from the best mirrors and ranks on throughput.
#[test]
fn download_ranks_on_throughput() {
    let home = tempdir();
    let quick_page_slow_files = serve(Behavior::Files {
        page_delay_ms: 0,
        chunk_delay_ms: 60,
    });
    let slow_page_fast_files = serve(Behavior::Files {
        page_delay_ms: 120,
        chunk_delay_ms: 0,
    });
    let mirrors = [
        ("a", quick_page_slow_files.url.as_str()),
        ("b", slow_page_fast_files.url.as_str()),
    ];
    let (r, _) = run(
        home.path(),
        &args(&["mirrors", "--format", "json"], &mirrors),
    );
    assert_eq!(r.json()["fastest"], "a", "page latency alone: {}", r.stdout);
    let (r, _) = run(
        home.path(),
        &args(
            &[
                "mirrors",
                "--download",
                "--format",
                "json",
                "--timeout",
                "5",
            ],
            &mirrors,
        ),
    );
    let v = r.json();
    assert_eq!(v["fastest"], "b", "throughput decides: {v:#}");
    let a = v["mirrors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "a")
        .unwrap()
        .clone();
    let b = v["mirrors"][0].clone();
    assert!(
        b["throughput_mbps"].as_f64().unwrap() > a["throughput_mbps"].as_f64().unwrap(),
        "{v:#}"
    );
    assert!(
        b["download_url"]
            .as_str()
            .unwrap()
            .ends_with("/files/pip-24.1-py3-none-any.whl"),
        "{b:#}"
    );
}

/// SIGKILL during --apply: pip.conf is always either exactly the old file or a complete new
/// one; odd encodings are refused untouched; CRLF files keep CRLF.
#[test]
fn config_writes_survive_kills_and_odd_files() {
    let home = tempdir();
    let h = home.path();
    let fast = index(0, false);
    let pip_conf = h.join(".config/pip/pip.conf");
    fs::create_dir_all(pip_conf.parent().unwrap()).unwrap();
    let original = "# keep\r\n[global]\r\ntimeout = 60\r\n";
    let a = args(&["mirrors", "--apply"], &[("fast", &fast.url)]);
    let mut outcomes = (0, 0);
    for round in 0..12u64 {
        fs::write(&pip_conf, original).unwrap();
        let mut c = Command::new(env!("CARGO_BIN_EXE_pydoctor"));
        common::hermetic(&mut c);
        let child = c
            .args(&a)
            .env("HOME", h)
            .env("XDG_CONFIG_HOME", h.join(".config"))
            .env("NO_PROXY", "127.0.0.1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(2 + round * 4));
        // SAFETY: kill(2) on our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let _ = child.wait_with_output();
        let now = fs::read_to_string(&pip_conf).unwrap();
        if now == original {
            outcomes.0 += 1;
        } else {
            assert_eq!(
                now,
                format!(
                    "# keep\r\n[global]\r\ntimeout = 60\r\nindex-url = {}\r\ntrusted-host = 127.0.0.1\r\n",
                    fast.url
                ),
                "round {round}: a half-written or reformatted pip.conf"
            );
            outcomes.1 += 1;
        }
    }
    eprintln!(
        "12 kills during --apply: {} left the old file, {} the new one",
        outcomes.0, outcomes.1
    );

    // A pip.conf in Latin-1 is not ours to re-encode: refused, untouched.
    let latin1 = b"# caf\xe9\n[global]\ntimeout = 5\n";
    fs::write(&pip_conf, latin1).unwrap();
    let (r, _) = run(h, &a);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not UTF-8"), "{}", r.stderr);
    assert_eq!(fs::read(&pip_conf).unwrap(), latin1);
}

/// A read-only pip.conf keeps its mode when pydoctor replaces it; where the user may not
/// write the folder, --apply fails with one clear line and changes nothing.
#[test]
fn read_only_config() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempdir();
    let h = home.path();
    let fast = index(0, false);
    let pip_conf = h.join(".config/pip/pip.conf");
    fs::create_dir_all(pip_conf.parent().unwrap()).unwrap();
    fs::write(&pip_conf, "[global]\ntimeout = 5\n").unwrap();
    fs::set_permissions(&pip_conf, fs::Permissions::from_mode(0o444)).unwrap();
    let a = args(&["mirrors", "--apply"], &[("fast", &fast.url)]);
    let (r, _) = run(h, &a);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        fs::metadata(&pip_conf).unwrap().permissions().mode() & 0o777,
        0o444
    );
    assert!(fs::read_to_string(&pip_conf).unwrap().contains(&fast.url));

    if unsafe { libc::geteuid() } != 0 || Command::new("setpriv").arg("--version").output().is_err()
    {
        return;
    }
    fs::set_permissions(h, fs::Permissions::from_mode(0o755)).unwrap();
    let before = fs::read(&pip_conf).unwrap();
    let other = index(0, false);
    let a = args(&["mirrors", "--apply"], &[("other", &other.url)]);
    let mut c = Command::new("setpriv");
    common::hermetic(&mut c);
    let out = c
        .args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            env!("CARGO_BIN_EXE_pydoctor"),
        ])
        .args(&a)
        .env("HOME", h)
        .env("XDG_CONFIG_HOME", h.join(".config"))
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("Permission denied"),
        "{err}"
    );
    assert_eq!(fs::read(&pip_conf).unwrap(), before);
}

/// `--apply NAME` checks that one mirror only (a hanging other mirror costs nothing), writes
/// it without advising to run what was just run, and refuses a mirror that does not answer.
#[test]
fn apply_named_probes_only_that_mirror() {
    let home = tempdir();
    let h = home.path();
    let good = index(0, false);
    let hang = serve(Behavior::Hang);
    let closed = closed_port_url();
    let mirrors = [
        ("good", good.url.as_str()),
        ("hang", hang.url.as_str()),
        ("dead", closed.as_str()),
    ];
    let (r, took) = run(
        h,
        &args(&["mirrors", "--timeout", "8", "--apply", "good"], &mirrors),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        took < Duration::from_secs(4),
        "waited on the others: {took:?}"
    );
    assert!(!r.stdout.contains("hang"), "{}", r.stdout);
    assert!(r.stdout.contains("applying: good"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("--apply"),
        "advises what it just did:\n{}",
        r.stdout
    );
    let pip_conf = h.join(".config/pip/pip.conf");
    assert!(fs::read_to_string(&pip_conf).unwrap().contains(&good.url));

    let before = fs::read(&pip_conf).unwrap();
    let (dead, _) = run(h, &args(&["mirrors", "--apply", "dead"], &mirrors));
    assert_eq!(dead.code, 2, "{}{}", dead.stdout, dead.stderr);
    assert!(dead.stderr.contains("does not answer"), "{}", dead.stderr);
    assert_eq!(fs::read(&pip_conf).unwrap(), before, "nothing written");
}

/// `-q` prints only the mirrors with a problem and a one-line count.
#[test]
fn quiet_prints_problems_and_a_count() {
    let home = tempdir();
    let good = index(0, false);
    let closed = closed_port_url();
    let mirrors = [("good", good.url.as_str()), ("dead", closed.as_str())];
    let (r, _) = run(
        home.path(),
        &args(&["mirrors", "-q", "--timeout", "3"], &mirrors),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("dead"), "{}", r.stdout);
    assert!(!r.stdout.contains("good"), "{}", r.stdout);
    assert!(r.stdout.contains("1 of 2 mirrors usable"), "{}", r.stdout);
    let (full, _) = run(home.path(), &args(&["mirrors", "--timeout", "3"], &mirrors));
    assert!(
        full.stdout.contains("good") && full.stdout.contains("dead"),
        "{}",
        full.stdout
    );
}
