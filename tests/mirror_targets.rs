//! `pydoctor mirrors` for conda channels, uv's Python downloads and the Hugging Face Hub,
//! against real HTTP servers on 127.0.0.1 that speak each protocol, with the failure modes of
//! the pip tests; config round trips under a temporary HOME, read back by the real client
//! where it runs here (uv) or by the YAML parser conda itself uses (ruamel.yaml); and the scan
//! rules for what is configured now.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::http::{Behavior, Server, closed_port_url, serve};
use common::{Run, tempdir};

/// A recent date, and a day.
const NOW: u64 = 1_790_000_000;
const DAY: u64 = 86_400;
/// The release tag of the asset pydoctor asks for when uv is not on PATH (rules/mirrors.toml).
const DEFAULT_TAG: &str = "20261110";

fn run_with(
    home: &Path,
    args: &[&str],
    path: Option<&str>,
    env: &[(&str, &str)],
) -> (Run, Duration) {
    let mut c = common::isolated(home);
    c.args(args);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let t0 = Instant::now();
    let out = c.output().unwrap();
    (common::finish(out), t0.elapsed())
}

/// Without uv on PATH, so the uv-python probe asks for the built-in asset.
fn run(home: &Path, args: &[&str]) -> (Run, Duration) {
    run_with(home, args, Some("/usr/bin:/bin"), &[])
}

fn site(delay_ms: u64, channels: &[&'static str], tags: &[&'static str], updated: u64) -> Server {
    serve(Behavior::Site {
        delay_ms,
        channels: channels.to_vec(),
        tags: tags.to_vec(),
        updated,
    })
}

/// Where a target lives on a test site.
fn url_for(target: &str, base: &str) -> String {
    match target {
        "conda" => format!("{base}/anaconda"),
        "uv-python" => format!("{base}/pbs"),
        "huggingface" => format!("{base}/hf"),
        _ => format!("{base}/simple"),
    }
}

fn by<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["mirrors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {v:#}"))
}

/// Each target ranks real sites and classifies the pip tests' failure modes, all within the
/// one deadline.
#[test]
fn each_target_ranks_and_classifies_within_the_deadline() {
    let home = tempdir();
    let chans: &[&'static str] = &["main", "r", "conda-forge"];
    let tags: &[&'static str] = &[DEFAULT_TAG];
    let fast = site(20, chans, tags, NOW);
    let slow = site(250, chans, tags, NOW);
    // Content dated three days before the others: stale (uv-python: a site missing the tag).
    let stale = site(0, chans, &["20200101"], NOW - 3 * DAY);
    let hang = serve(Behavior::Hang);
    let drip = serve(Behavior::Drip);
    let e404 = serve(Behavior::Status(404));
    let portal = serve(Behavior::Portal);
    let huge = serve(Behavior::Huge);
    let closed = closed_port_url().trim_end_matches("/simple").to_owned();
    for target in ["conda", "uv-python", "huggingface"] {
        let sites = [
            ("fast", fast.base()),
            ("slow", slow.base()),
            ("stale", stale.base()),
            ("hang", hang.base()),
            ("drip", drip.base()),
            ("e404", e404.base()),
            ("portal", portal.base()),
            ("huge", huge.base()),
            ("closed", closed.clone()),
        ];
        let mut args = vec![
            "mirrors".to_string(),
            "--fastest".into(),
            "--format".into(),
            "json".into(),
            "--timeout".into(),
            "2".into(),
            "--target".into(),
            target.into(),
        ];
        for (n, b) in &sites {
            args.push("--mirror".into());
            args.push(format!("{n}={}", url_for(target, b)));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (r, elapsed) = run(home.path(), &args);
        assert_eq!(r.code, 0, "{target}: {}{}", r.stdout, r.stderr);
        assert!(
            elapsed < Duration::from_secs(6),
            "{target}: took {elapsed:?}"
        );
        eprintln!(
            "{target}: 9 sites (fast, slow, stale, hang, drip, 404, portal, huge, closed), --timeout 2: {elapsed:?}"
        );
        let v = r.json();
        assert_eq!(v["fastest"], "fast", "{target}: {v:#}");
        assert_eq!(v["targets"][0]["target"], target);
        assert_eq!(by(&v, "slow")["ok"], true, "{target}");
        assert!(by(&v, "slow")["latency_ms"].as_f64().unwrap() >= 250.0);
        let stale_class = if target == "uv-python" {
            None
        } else {
            Some(true)
        };
        match stale_class {
            Some(_) => {
                let s = by(&v, "stale");
                assert_eq!(
                    (s["ok"].clone(), s["stale"].clone()),
                    (true.into(), true.into()),
                    "{target}: {s:#}"
                );
            }
            None => assert_eq!(by(&v, "stale")["error"], "http-404", "{target}"),
        }
        let huge_class = "not-the-data";
        for (name, class) in [
            ("hang", "timeout"),
            ("drip", "timeout"),
            ("e404", "http-404"),
            ("portal", "not-the-data"),
            ("huge", huge_class),
            ("closed", "connect"),
        ] {
            let m = by(&v, name);
            assert_eq!(m["ok"], false, "{target} {name}");
            assert_eq!(m["error"], class, "{target} {name}: {m:#}");
        }
        // Human: one table, and the command that configures the fastest.
        let (h, _) = run(
            home.path(),
            &args[..args.len()]
                .iter()
                .filter(|a| **a != "--format" && **a != "json")
                .copied()
                .collect::<Vec<_>>(),
        );
        assert!(h.stdout.contains("fastest: fast"), "{target}: {}", h.stdout);
        assert!(
            h.stdout
                .contains(&format!("--apply fast --target {target}")),
            "{target}: {}",
            h.stdout
        );
    }
}

/// conda: every channel .condarc uses is probed on every site, and a site that lacks one is
/// reported per channel (TUNA carries main but not nvidia).
#[test]
fn conda_probes_the_configured_channels_per_site() {
    let home = tempdir();
    let h = home.path();
    fs::write(h.join(".condarc"), "channels:\n  - defaults\n  - nvidia\n").unwrap();
    let partial = site(0, &["main", "r"], &[], NOW);
    let full = site(30, &["main", "r", "nvidia"], &[], NOW);
    let (r, _) = run(
        h,
        &[
            "mirrors",
            "--format",
            "json",
            "--target",
            "conda",
            "--timeout",
            "3",
            "--mirror",
            &format!("partial={}/anaconda", partial.base()),
            "--mirror",
            &format!("full={}/anaconda", full.base()),
        ],
    );
    let v = r.json();
    assert_eq!(v["fastest"], "full", "{v:#}");
    // What conda searches first now, and which file says so.
    let now = &v["targets"][0]["in_use"];
    assert_eq!(now["url"], "https://repo.anaconda.com/pkgs/main", "{now:#}");
    assert_eq!(now["source"], h.join(".condarc").to_string_lossy().as_ref());
    let p = by(&v, "partial");
    assert_eq!(p["error"], "partial", "{p:#}");
    let chans: Vec<(String, bool)> = p["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["channel"].as_str().unwrap().to_owned(),
                c["ok"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        chans,
        [
            ("main".into(), true),
            ("r".into(), true),
            ("nvidia".into(), false)
        ]
    );
    assert!(
        p["channels"][2]["url"]
            .as_str()
            .unwrap()
            .ends_with("/anaconda/cloud/nvidia")
    );
    let (human, _) = run(
        h,
        &[
            "mirrors",
            "--target",
            "conda",
            "--mirror",
            &format!("partial={}/anaconda", partial.base()),
        ],
    );
    assert!(
        human.stdout.contains("channels: main ok") && human.stdout.contains("nvidia http-404"),
        "{}",
        human.stdout
    );
}

/// All five targets at once from the config file's sites: one table each, in about the time of
/// the slowest answer (and with a hanging site, the deadline).
#[test]
fn all_targets_at_once_in_the_time_of_the_slowest() {
    let home = tempdir();
    let h = home.path();
    let chans: &[&'static str] = &["main", "r", "conda-forge"];
    let a = site(20, chans, &[DEFAULT_TAG], NOW);
    let b = site(300, chans, &[DEFAULT_TAG], NOW);
    let hang = serve(Behavior::Hang);
    let entry = |name: &str, base: &str| {
        format!(
            "[[mirror]]\nname = \"{name}\"\nurl = \"{base}/simple\"\nconda = \"{base}/anaconda\"\nuv_python = \"{base}/pbs\"\nhuggingface = \"{base}/hf\"\n"
        )
    };
    let cfg = h.join(".config/pydoctor");
    fs::create_dir_all(&cfg).unwrap();
    fs::write(
        cfg.join("config.toml"),
        format!("{}\n{}", entry("a", &a.base()), entry("b", &b.base())),
    )
    .unwrap();
    let (r, elapsed) = run(
        h,
        &["mirrors", "--no-builtin", "--fastest", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = r.json();
    let targets: Vec<(&str, &str)> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["target"].as_str().unwrap(),
                t["fastest"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        targets,
        [
            ("pip", "a"),
            ("uv-index", "a"),
            ("conda", "a"),
            ("uv-python", "a"),
            ("huggingface", "a")
        ]
    );
    // uv's index shares pip's probe: each site is listed once for both.
    assert_eq!(v["mirrors"].as_array().unwrap().len(), 8);
    // The slowest answer is 300 ms (plus conda's per-channel requests, made at once).
    assert!(elapsed < Duration::from_millis(2500), "took {elapsed:?}");
    eprintln!("all five targets, slowest answer 300 ms: {elapsed:?}");

    fs::write(
        cfg.join("config.toml"),
        format!(
            "{}\n{}\n{}",
            entry("a", &a.base()),
            entry("b", &b.base()),
            entry("hang", &hang.base())
        ),
    )
    .unwrap();
    let (r, elapsed) = run(
        h,
        &[
            "mirrors",
            "--no-builtin",
            "--timeout",
            "2",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    eprintln!("all five targets with a hanging site, --timeout 2: {elapsed:?}");
    let hung: Vec<&serde_json::Value> = r.json()["mirrors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["name"] == "hang")
        .cloned()
        .collect::<Vec<_>>()
        .leak()
        .iter()
        .collect();
    assert_eq!(hung.len(), 4, "one per probe kind");
    assert!(hung.iter().all(|m| m["error"] == "timeout"));

    // Nothing configured: each client's own default, said so.
    let defaults: Vec<String> = r.json()["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["in_use"]["source"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        defaults,
        [
            "pip's default",
            "uv's default",
            "conda's default",
            "uv's default",
            "huggingface_hub's default"
        ]
    );
    // The human report has one heading per target.
    let (human, _) = run(h, &["mirrors", "--no-builtin", "--timeout", "2"]);
    for title in [
        "package indexes",
        "conda channels",
        "Python downloads",
        "Hugging Face Hub",
    ] {
        assert!(human.stdout.contains(title), "{title}: {}", human.stdout);
    }
}

/// The Python interpreter of the tools venv, when it has ruamel.yaml (the parser conda uses).
fn ruamel_python() -> Option<std::path::PathBuf> {
    let py = common::tools_bin("main", "python")?;
    let ok = Command::new(&py)
        .args(["-c", "import ruamel.yaml"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("PYDOCTOR_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "ruamel.yaml missing from the tools venv"
        );
        eprintln!("note: ruamel.yaml not in the tools venv; skipping the conda read-back");
        return None;
    }
    Some(py)
}

/// `.condarc` as conda's own YAML parser reads it, as JSON.
fn condarc_as_conda_reads_it(py: &Path, file: &Path) -> serde_json::Value {
    let out = Command::new(py)
        .args([
            "-c",
            "import json,sys; from ruamel.yaml import YAML; print(json.dumps(YAML(typ='safe').load(open(sys.argv[1]))))",
        ])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// conda --apply: .condarc points default_channels and custom_channels (only channels the site
/// carries) at the site, every other line kept, read back by ruamel.yaml as intended; the
/// backup keeps the 0600 mode; --revert restores the exact bytes.
#[test]
fn conda_apply_and_revert_round_trip() {
    let home = tempdir();
    let h = home.path();
    let rc = h.join(".condarc");
    let before = "# my conda settings\nchannels:\n  - defaults\n  - conda-forge\n  - nvidia   # CUDA\nshow_channel_urls: true\ndefault_channels:\n  - https://old.example/anaconda/pkgs/main\ncustom_channels:\n  pytorch: https://old.example/anaconda/cloud\nssl_verify: true\n";
    fs::write(&rc, before).unwrap();
    fs::set_permissions(&rc, fs::Permissions::from_mode(0o600)).unwrap();
    let s = site(0, &["main", "r", "conda-forge"], &[], NOW);
    let root = format!("{}/anaconda", s.base());
    let mirror = format!("tuna={root}");
    let base_args = ["mirrors", "--target", "conda", "--mirror", &mirror];

    let (dry, _) = run(
        h,
        &[&base_args[..], &["--apply", "tuna", "--dry-run"]].concat(),
    );
    assert_eq!(dry.code, 0, "{}{}", dry.stdout, dry.stderr);
    assert!(
        dry.stdout.contains(&format!("+  - '{root}/pkgs/main'")),
        "{}",
        dry.stdout
    );
    assert_eq!(fs::read_to_string(&rc).unwrap(), before, "dry run wrote");

    let (r, _) = run(h, &[&base_args[..], &["--apply", "tuna"]].concat());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // nvidia is not on this site: said so, and not pointed there.
    assert!(
        r.stderr.contains("does not carry channel nvidia"),
        "{}",
        r.stderr
    );
    let after = fs::read_to_string(&rc).unwrap();
    for kept in [
        "# my conda settings\n",
        "  - nvidia   # CUDA\n",
        "show_channel_urls: true\n",
        "ssl_verify: true\n",
    ] {
        assert!(after.contains(kept), "{kept:?} lost:\n{after}");
    }
    if let Some(py) = ruamel_python() {
        let v = condarc_as_conda_reads_it(&py, &rc);
        assert_eq!(
            v["default_channels"],
            serde_json::json!([format!("{root}/pkgs/main"), format!("{root}/pkgs/r")])
        );
        assert_eq!(v["custom_channels"]["conda-forge"], format!("{root}/cloud"));
        assert_eq!(
            v["custom_channels"]["pytorch"],
            "https://old.example/anaconda/cloud"
        );
        assert!(v["custom_channels"].get("nvidia").is_none(), "{v:#}");
        assert_eq!(
            v["channels"],
            serde_json::json!(["defaults", "conda-forge", "nvidia"])
        );
        assert_eq!(v["ssl_verify"], true);
    }
    let backup = fs::read_dir(h)
        .unwrap()
        .flatten()
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".condarc.pydoctor-backup.")
        })
        .expect("backup beside .condarc");
    assert_eq!(fs::read_to_string(backup.path()).unwrap(), before);
    assert_eq!(
        backup.metadata().unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        fs::metadata(&rc).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // A second apply changes nothing.
    let (again, _) = run(h, &[&base_args[..], &["--apply", "tuna"]].concat());
    assert!(
        again.stdout.contains("nothing to change"),
        "{}",
        again.stdout
    );

    let (rev, _) = run(h, &["mirrors", "--revert", "--target", "conda"]);
    assert_eq!(rev.code, 0, "{}{}", rev.stdout, rev.stderr);
    assert_eq!(fs::read_to_string(&rc).unwrap(), before);
}

/// The Python downloads the real uv lists under the config of `home` (offline: from uv's
/// built-in list, with its mirror applied).
fn uv_downloads(uv: &Path, home: &Path) -> serde_json::Value {
    let out = Command::new(uv)
        .args([
            "python",
            "list",
            "--only-downloads",
            "--output-format",
            "json",
        ])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// uv-python --apply writes uv.toml's python-install-mirror, and the real uv then downloads its
/// Pythons from there; --revert removes the file it created. With uv on PATH the probe asks
/// for the build that uv would fetch first.
#[test]
fn uv_python_apply_is_what_uv_reads() {
    let Some(uv) = common::tools_bin("main", "uv") else {
        return;
    };
    let home = tempdir();
    let h = home.path();
    let uv_dir = uv.parent().unwrap().to_string_lossy().into_owned();
    let path = format!("{uv_dir}:/usr/bin:/bin");
    // The tag this uv wants first, from uv itself.
    let list = uv_downloads(&uv, h);
    let first = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["implementation"] == "cpython"
                && e["variant"] == "default"
                && e["version"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.')
        })
        .unwrap();
    let url = first["url"].as_str().unwrap();
    let tag: &'static str = url
        .split("/download/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned()
        .leak();
    // One site has uv's tag, the other only an older one: with uv on PATH the second is 404.
    let has = site(0, &[], &[tag], NOW);
    let old = site(0, &[], &["20200101"], NOW);
    let (r, _) = run_with(
        h,
        &[
            "mirrors",
            "--format",
            "json",
            "--target",
            "uv-python",
            "--mirror",
            &format!("has={}/pbs", has.base()),
            "--mirror",
            &format!("old={}/pbs", old.base()),
        ],
        Some(&path),
        &[],
    );
    let v = r.json();
    assert_eq!(by(&v, "has")["ok"], true, "{v:#}");
    assert_eq!(by(&v, "old")["error"], "http-404", "{v:#}");

    let mirror = format!("{}/pbs", has.base());
    let (a, _) = run_with(
        h,
        &[
            "mirrors",
            "--target",
            "uv-python",
            "--mirror",
            &format!("has={mirror}"),
            "--apply",
            "has",
        ],
        Some(&path),
        &[],
    );
    assert_eq!(a.code, 0, "{}{}", a.stdout, a.stderr);
    let toml = h.join(".config/uv/uv.toml");
    assert!(fs::read_to_string(&toml).unwrap().contains(&mirror));
    // pydoctor reads back what it wrote as what uv uses now.
    let (now, _) = run(
        h,
        &[
            "mirrors",
            "--target",
            "uv-python",
            "--mirror",
            &format!("has={mirror}"),
        ],
    );
    assert!(
        now.stdout.contains(&format!(
            "uv-python uses now: {mirror} (from {})",
            toml.display()
        )),
        "{}",
        now.stdout
    );
    // uv itself now downloads from the mirror.
    let list = uv_downloads(&uv, h);
    let cpython: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["implementation"] == "cpython")
        .map(|e| e["url"].as_str().unwrap())
        .collect();
    assert!(!cpython.is_empty());
    assert!(
        cpython.iter().all(|u| u.starts_with(&mirror)),
        "{cpython:?}"
    );
    // With UV_PYTHON_INSTALL_MIRROR set, apply warns that it wins.
    let (w, _) = run_with(
        h,
        &[
            "mirrors",
            "--target",
            "uv-python",
            "--mirror",
            &format!("has={mirror}"),
            "--apply",
            "has",
        ],
        Some(&path),
        &[("UV_PYTHON_INSTALL_MIRROR", "https://elsewhere.example")],
    );
    assert!(
        w.stderr.contains("UV_PYTHON_INSTALL_MIRROR is set"),
        "{}",
        w.stderr
    );

    let (rev, _) = run(h, &["mirrors", "--revert", "--target", "uv-python"]);
    assert_eq!(rev.code, 0, "{}{}", rev.stdout, rev.stderr);
    assert!(!toml.exists(), "uv.toml did not exist before");
}

/// huggingface --apply writes nothing and prints the line for the user's shell, which really
/// sets HF_ENDPOINT in that shell.
#[test]
fn huggingface_apply_prints_a_working_shell_line() {
    let home = tempdir();
    let h = home.path();
    let s = site(0, &[], &[], NOW);
    let endpoint = format!("{}/hf", s.base());
    let mirror = format!("hfm={endpoint}");
    let before: Vec<_> = fs::read_dir(h)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    for (shell, program, marker) in [
        ("/bin/bash", "sh", "export HF_ENDPOINT="),
        ("/usr/bin/fish", "fish", "set -gx HF_ENDPOINT "),
        ("/bin/tcsh", "tcsh", "setenv HF_ENDPOINT "),
    ] {
        let (r, _) = run_with(
            h,
            &[
                "mirrors",
                "--target",
                "huggingface",
                "--mirror",
                &mirror,
                "--apply",
                "hfm",
            ],
            Some("/usr/bin:/bin"),
            &[("SHELL", shell)],
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let line = r
            .stdout
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(marker))
            .unwrap_or_else(|| panic!("{shell}: {}", r.stdout));
        // The user's shell's line comes first.
        let first = r
            .stdout
            .lines()
            .map(str::trim)
            .find(|l| l.contains("HF_ENDPOINT"))
            .unwrap();
        assert_eq!(first, line, "{shell}: {}", r.stdout);
        if which(program) {
            let script = match program {
                "fish" => format!("{line}; printf %s $HF_ENDPOINT"),
                "tcsh" => format!("{line}; printf %s $HF_ENDPOINT"),
                _ => format!("{line}; printf %s \"$HF_ENDPOINT\""),
            };
            let out = Command::new(program)
                .arg("-c")
                .arg(&script)
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stdout), endpoint, "{program}");
        } else {
            assert!(
                std::env::var_os("PYDOCTOR_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
                "{program} is missing and PYDOCTOR_REQUIRE_TOOLS=1"
            );
            eprintln!("note: {program} not installed; its HF_ENDPOINT line is not run");
        }
    }
    let after: Vec<_> = fs::read_dir(h)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after, "nothing written");
}

fn which(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// scan flags the broken channel cases and unreachable download sources from what is
/// configured now, and nothing network-bound with --offline.
#[test]
fn scan_flags_channels_and_download_sources() {
    let home = tempdir();
    let h = home.path();
    let s = site(0, &["main", "r"], &[], NOW);
    let root = format!("{}/anaconda", s.base());
    fs::write(
        h.join(".condarc"),
        format!(
            "channels:\n  - defaults\n  - {root}/pkgs/main/\n  - nvidia\n  - {root}/pkgs/free\ndefault_channels:\n  - {root}/pkgs/main\n  - {root}/pkgs/r\ncustom_channels:\n  nvidia: {root}/cloud\n"
        ),
    )
    .unwrap();
    let dead = closed_port_url().trim_end_matches("/simple").to_owned();
    let venv = h.join("venv");
    common::sh(
        Command::new("python3")
            .args(["-m", "venv", "--without-pip"])
            .arg(&venv),
    );
    let venv = venv.to_string_lossy().into_owned();
    // A $CONDARC that uses YAML anchors: not read, and said so (the others still are).
    let odd = h.join("odd.condarc");
    fs::write(&odd, "channels: &mine [conda-forge]\n").unwrap();
    let odd = odd.to_string_lossy().into_owned();
    let env = [
        ("HF_ENDPOINT", dead.as_str()),
        ("UV_PYTHON_INSTALL_MIRROR", dead.as_str()),
        ("CONDARC", odd.as_str()),
    ];
    let (r, elapsed) = run_with(
        h,
        &["scan", "--format", "json", &venv],
        Some("/usr/bin:/bin"),
        &env,
    );
    let v = r.json();
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let machine: Vec<(String, String)> = v["machine"]["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("{v:#}"))
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |id: &str, text: &str| machine.iter().any(|(i, m)| i == id && m.contains(text));
    assert!(has("PD140", "channel nvidia"), "{machine:#?}");
    assert!(has("PD140", "404"), "{machine:#?}");
    assert!(has("PD141", &format!("{root}/pkgs/main")), "{machine:#?}");
    assert!(has("PD142", "pkgs/free"), "{machine:#?}");
    assert!(has("PD143", &dead), "{machine:#?}");
    assert!(has("PD144", &dead), "{machine:#?}");
    assert!(has("PD145", "YAML features"), "{machine:#?}");
    // The duplicate is reported once; main and r answer, so PD140 names only the broken ones.
    assert_eq!(machine.iter().filter(|(i, _)| i == "PD141").count(), 1);
    assert!(!has("PD140", "/pkgs/main"), "{machine:#?}");

    let (off, _) = run_with(
        h,
        &["scan", "--format", "json", "--offline", &venv],
        Some("/usr/bin:/bin"),
        &env,
    );
    let ids: Vec<String> = off.json()["machine"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.contains(&"PD141".to_string()) && ids.contains(&"PD142".to_string()));
    for net in ["PD140", "PD143", "PD144"] {
        assert!(
            !ids.contains(&net.to_string()),
            "{net} with --offline: {ids:?}"
        );
    }
}

/// pip and uv's index are separate targets over the same probe: each writes only its own
/// file, and --apply without --target writes both (as it always did).
#[test]
fn pip_and_uv_index_write_only_their_own_file() {
    let s = site(0, &[], &[], NOW);
    let mirror = format!("m={}/simple", s.base());
    for (targets, pip, uv) in [
        (vec!["--target", "pip"], true, false),
        (vec!["--target", "uv-index"], false, true),
        (vec![], true, true),
    ] {
        let home = tempdir();
        let h = home.path();
        let mut args = vec!["mirrors", "--mirror", &mirror, "--apply", "m"];
        args.extend(&targets);
        let (r, _) = run(h, &args);
        assert_eq!(r.code, 0, "{targets:?}: {}{}", r.stdout, r.stderr);
        assert_eq!(h.join(".config/pip/pip.conf").exists(), pip, "{targets:?}");
        assert_eq!(h.join(".config/uv/uv.toml").exists(), uv, "{targets:?}");
        let (rev, _) = run(h, &["mirrors", "--revert"]);
        assert_eq!(rev.code, 0);
        assert!(!h.join(".config/pip/pip.conf").exists() && !h.join(".config/uv/uv.toml").exists());
    }
}
