//! The command line as a user meets it: bad input, exit codes, pure JSON, rules, completions.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

/// A one-line `error:` on stderr, nothing on stdout, exit 2.
fn assert_bad_input(r: &Run, needle: &str) {
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "stdout must be empty: {}", r.stdout);
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{}", r.stderr);
    assert!(r.stderr.contains(needle), "{needle:?} not in {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let tmp = tempdir();
    let missing = tmp.path().join("nope");
    assert_bad_input(
        &pydoctor(["scan".as_ref(), missing.as_os_str()]),
        "no such directory",
    );
    let file = tmp.path().join("file.txt");
    fs::write(&file, "x").unwrap();
    assert_bad_input(&pydoctor(["scan".as_ref(), file.as_os_str()]), "is a file");
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert_bad_input(
        &pydoctor(["fix-shebang".as_ref(), empty.as_os_str()]),
        "no Python environment",
    );
    // Nothing named, nothing active, nothing to discover in the (empty) test home.
    assert_bad_input(
        &pydoctor_in(&empty, ["scan"]),
        "no Python environment found",
    );

    let env = tmp.path().join("env");
    make_venv(std::path::Path::new("python3"), &env, false);
    assert_bad_input(
        &pydoctor([
            "fix-shebang".as_ref(),
            "--python".as_ref(),
            "/no/such/python".as_ref(),
            env.as_os_str(),
        ]),
        "does not exist",
    );
    assert_bad_input(
        &pydoctor(["scan".as_ref(), env.join("bin").as_os_str()]),
        "bin/ folder",
    );
    let unknown = pydoctor(["scan", "--format", "xml"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("xml"));
    assert_bad_input(&pydoctor(["explain", "PD999"]), "no rule");

    let stale = command()
        .arg("scan")
        .env("VIRTUAL_ENV", &missing)
        .current_dir(&empty)
        .output()
        .unwrap();
    assert_eq!(stale.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("$VIRTUAL_ENV"));
}

#[test]
fn env_resolution_defaults() {
    let tmp = tempdir();
    let project = tmp.path().join("project");
    make_venv(
        std::path::Path::new("python3"),
        &project.join(".venv"),
        false,
    );
    let r = pydoctor_in(&project, ["scan", "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.json()["envs"][0]["path"],
        project.join(".venv").to_str().unwrap()
    );

    let active = command()
        .args(["scan", "--format", "json"])
        .env("VIRTUAL_ENV", project.join(".venv"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(active.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&active.stdout).unwrap();
    assert_eq!(v["envs"][0]["kind"], "venv");
}

#[test]
fn json_is_one_document_and_human_output_groups() {
    let tmp = tempdir();
    let old = tmp.path().join("a").join("env");
    make_venv(std::path::Path::new("python3"), &old, false);
    for i in 0..20 {
        let p = old.join(format!("bin/tool{i:02}"));
        fs::write(&p, format!("#!{}/bin/python\nprint(1)\n", old.display())).unwrap();
        sh(Command::new("chmod").arg("755").arg(&p));
    }
    let new = tmp.path().join("b").join("env");
    move_env(&old, &new);
    let j = pydoctor([
        "scan".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        new.as_os_str(),
    ]);
    assert_eq!(j.code, 1);
    let v = j.json();
    let f = &v["envs"][0]["findings"][0];
    for key in ["rule", "severity", "path", "message", "fix"] {
        assert!(!f[key].is_null(), "{key} missing: {f:#}");
    }
    assert_eq!(
        v["envs"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "PD101")
            .count(),
        20
    );
    assert!(!j.stderr.contains('{'));

    let h = pydoctor(["scan".as_ref(), new.as_os_str()]);
    assert!(h.stdout.contains("error[PD101]"), "{}", h.stdout);
    assert!(h.stdout.contains("20 files: bin/tool00"), "{}", h.stdout);
    assert!(h.stdout.contains("and 14 more"), "{}", h.stdout);
    assert!(h.stdout.lines().count() < 15, "grouped: {}", h.stdout);
    assert!(!h.stdout.contains('\x1b'), "NO_COLOR");
    let v = pydoctor(["scan".as_ref(), "-v".as_ref(), new.as_os_str()]);
    assert!(v.stdout.contains("bin/tool19"), "{}", v.stdout);
    let forced = pydoctor([
        "scan".as_ref(),
        "--color".as_ref(),
        "always".as_ref(),
        new.as_os_str(),
    ]);
    assert!(forced.stdout.contains('\x1b'), "--color always");

    let fj = pydoctor([
        "fix-shebang".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        new.as_os_str(),
    ]);
    let fv = fj.json();
    assert_eq!(fv["envs"][0]["changed"].as_array().unwrap().len(), 20);
    assert!(fv["envs"][0]["skipped"].is_array() && fv["envs"][0]["failed"].is_array());
}

#[test]
fn rules_and_explain() {
    let r = pydoctor(["rules"]);
    assert_eq!(r.code, 0);
    for id in ["PD101", "PD103", "PD104", "PD105", "PD110", "PD112"] {
        assert!(r.stdout.contains(id), "{id}");
    }
    // Columns line up, also in colour (escape codes must not count towards the width).
    for color in ["never", "always"] {
        let r = pydoctor(["rules", "--color", color]);
        let title_at: Vec<usize> = strip_ansi(&r.stdout)
            .lines()
            .map(|l| {
                let (at, word) = ["error", "warning", "info"]
                    .iter()
                    .find_map(|s| l.find(&format!(" {s} ")).map(|i| (i + 1, *s)))
                    .unwrap_or_else(|| panic!("no severity in {l:?}"));
                let after = at + word.len();
                after + l[after..].find(|c: char| c != ' ').unwrap()
            })
            .collect();
        assert!(
            title_at.windows(2).all(|w| w[0] == w[1]),
            "--color {color}: titles start at {title_at:?}\n{}",
            r.stdout
        );
    }
    let j = pydoctor(["rules", "--format", "json"]);
    assert!(j.json()["rules"].as_array().unwrap().len() >= 13);
    let e = pydoctor(["explain", "interpreter-missing"]);
    assert_eq!(e.code, 0);
    assert!(e.stdout.contains("bad interpreter"), "{}", e.stdout);
    assert!(e.stdout.contains("pydoctor fix-shebang ENV"));
}

#[test]
fn readme_rule_table_is_generated_from_the_rules() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let j = pydoctor(["rules", "--format", "json"]).json();
    let mut want = String::from("| id | name | severity | scope | fix |\n|---|---|---|---|---|\n");
    for r in j["rules"].as_array().unwrap() {
        let cell = |k: &str| r[k].as_str().unwrap().to_owned();
        want.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell("id"),
            cell("name"),
            cell("severity"),
            cell("scope"),
            cell("fix")
        ));
    }
    let start = readme
        .find("| id | name |")
        .expect("README has a rule table");
    let end = readme[start..]
        .find("\n\n")
        .map_or(readme.len(), |e| start + e + 1);
    assert_eq!(
        &readme[start..end],
        want,
        "README's rule table drifted; paste this table instead:\n{want}"
    );
}

/// Every source file is described in the README's architecture section.
#[test]
fn readme_architecture_names_every_source_file() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = fs::read_to_string(format!("{root}/README.md")).unwrap();
    let start = readme.find("## Architecture").unwrap();
    let end = readme[start + 3..]
        .find("\n## ")
        .map_or(readme.len(), |e| start + 3 + e);
    let section = &readme[start..end];
    let mut stack = vec![std::path::PathBuf::from(format!("{root}/src"))];
    let mut missing = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let (folder, file) = rel.rsplit_once('/').unwrap();
            // `src/x.rs` by itself, or a bullet naming `src/dir/` and `` `file.rs` ``.
            let named = section.contains(&format!("`{rel}`"))
                || section.split("\n- ").any(|item| {
                    item.contains(&format!("`{folder}/`")) && item.contains(&format!("`{file}`"))
                });
            if !named {
                missing.push(rel);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README's architecture leaves out {missing:?}"
    );
}

#[test]
fn completions_are_current() {
    for (shell, file) in [
        ("bash", "pydoctor.bash"),
        ("zsh", "_pydoctor"),
        ("fish", "pydoctor.fish"),
        ("powershell", "_pydoctor.ps1"),
        ("elvish", "pydoctor.elv"),
    ] {
        let r = pydoctor(["completions", shell]);
        assert_eq!(r.code, 0);
        let path = format!("{}/completions/{file}", env!("CARGO_MANIFEST_DIR"));
        let checked_in = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == r.stdout,
            "{path} is stale: regenerate with completions/regenerate.sh"
        );
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/completions");
    let has = |shell: &str| Command::new(shell).arg("--version").output().is_ok();
    if has("bash") {
        let out = sh(Command::new("bash").arg("-c").arg(format!(
            "source {dir}/pydoctor.bash && complete -p pydoctor"
        )));
        assert!(out.contains("pydoctor"), "{out}");
    } else {
        eprintln!("note: bash not installed; completion not loaded");
    }
    if has("zsh") {
        // Source it after compinit: it must parse and register itself for pydoctor.
        let out = sh(Command::new("zsh").args(["-f", "-c"]).arg(format!(
            "autoload -U compinit && compinit -u -D && source {dir}/_pydoctor && print -r -- $_comps[pydoctor]"
        )));
        assert_eq!(out.trim(), "_pydoctor", "zsh registers the completion");
    } else {
        eprintln!("note: zsh not installed; completion not loaded");
    }
    if has("fish") {
        let out = sh(Command::new("fish").arg("-c").arg(format!(
            "source {dir}/pydoctor.fish; complete -C 'pydoctor fix-sh'"
        )));
        assert!(
            out.contains("fix-shebang"),
            "fish completes subcommands: {out}"
        );
    } else {
        eprintln!("note: fish not installed; completion not loaded");
    }
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let out = sh(Command::new("bash").arg("-c").arg(format!(
        "{} rules --color never 2>&1 | head -1; echo \"status=${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_pydoctor")
    )));
    assert!(out.starts_with("PD101"), "{out}");
    assert!(
        !out.contains("panicked") && !out.contains("Broken pipe"),
        "{out}"
    );
}

/// Every man page clap_mangen makes from the command line, by file name (pydoctor.1,
/// pydoctor-scan.1, ...).
fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, out);
        }
        let man = clap_mangen::Man::new(cmd.clone());
        let mut page = Vec::new();
        man.render(&mut page).unwrap();
        out.push((man.get_filename(), page));
    }
    let mut cmd = pydoctor::cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    walk(&cmd, &mut pages);
    pages.sort();
    pages
}

/// The checked-in man pages are what the command line says today
/// (`PYDOCTOR_REGENERATE=1 cargo test --test cli man_pages` rewrites them), and `man -l`
/// renders each with its examples.
#[test]
fn man_pages_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = man_pages();
    assert!(
        pages.len() >= 8,
        "{:?}",
        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    if std::env::var_os("PYDOCTOR_REGENERATE").is_some() {
        fs::create_dir_all(&dir).unwrap();
        for (name, page) in &pages {
            fs::write(dir.join(name), page).unwrap();
        }
    }
    let mut checked_in: Vec<String> = fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    checked_in.sort();
    let names: Vec<String> = pages.iter().map(|p| p.0.clone()).collect();
    assert_eq!(
        checked_in, names,
        "man/ has other pages: regenerate (PYDOCTOR_REGENERATE=1)"
    );
    for (name, page) in &pages {
        let on_disk = fs::read(dir.join(name)).unwrap_or_default();
        assert!(
            &on_disk == page,
            "man/{name} is stale: PYDOCTOR_REGENERATE=1 cargo test --test cli man_pages"
        );
    }
    if Command::new("man").arg("--version").output().is_err() {
        eprintln!("note: no `man` here; rendering not checked");
        return;
    }
    for (name, _) in &pages {
        let text = sh(Command::new("man")
            .arg("-l")
            .arg(dir.join(name))
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100"));
        assert!(text.contains("Examples:"), "man -l man/{name}:\n{text}");
    }
    let top = sh(Command::new("man")
        .arg("-l")
        .arg(dir.join("pydoctor.1"))
        .env("MANPAGER", "cat"));
    for sub in ["pydoctor-scan(1)", "pydoctor-fix(1)", "pydoctor-mirrors(1)"] {
        assert!(top.contains(sub), "{sub} not in\n{top}");
    }
}

/// Every subcommand's help teaches by example, and each flag is offered only where it acts.
#[test]
fn help_has_examples_and_only_flags_that_act() {
    let help = |args: &[&str]| {
        let r = pydoctor(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        r.stdout
    };
    for sub in [
        "scan",
        "fix-shebang",
        "fix",
        "mirrors",
        "rules",
        "explain",
        "completions",
    ] {
        let text = help(&[sub, "--help"]);
        let examples = text
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("{sub} --help has no examples:\n{text}"));
        let n = examples
            .lines()
            .filter(|l| l.trim_start().starts_with("pydoctor "))
            .count();
        assert!((2..=4).contains(&n), "{sub}: {n} examples\n{text}");
    }
    for (sub, absent) in [
        ("rules", &["--quiet", "--verbose", "--config"][..]),
        ("explain", &["--quiet", "--verbose", "--config"][..]),
        (
            "completions",
            &["--format", "--color", "--quiet", "--verbose", "--config"][..],
        ),
        ("fix-shebang", &["--unsafe-fixes"][..]),
    ] {
        let text = help(&[sub, "--help"]);
        for flag in absent {
            assert!(!text.contains(flag), "{sub} --help offers {flag}:\n{text}");
            let r = pydoctor([sub, flag]);
            assert_eq!(r.code, 2, "{sub} {flag} accepted: {}", r.stdout);
        }
    }
    // What no ENV means is said where it matters.
    assert!(help(&["scan", "--help"]).contains("every environment on the machine"));
    for sub in ["fix", "fix-shebang"] {
        let text = help(&[sub, "--help"]);
        assert!(
            text.contains("the active environment") && text.contains("--all"),
            "{text}"
        );
    }
    // --yes only together with --all.
    let r = pydoctor(["fix", "--yes", "/nonexistent"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--all"), "{}", r.stderr);
}

/// Progress is drawn on a terminal only (here a pseudo-terminal made by `script`), on stderr,
/// and never reaches a pipe or a JSON document.
#[test]
fn progress_on_a_terminal_only() {
    let tmp = tempdir();
    let envs = tmp.path().join("envs");
    for name in ["a", "b"] {
        make_venv(Path::new("python3"), &envs.join(name), false);
    }
    let piped = pydoctor(["scan".as_ref(), "--offline".as_ref(), envs.as_os_str()]);
    assert_eq!(piped.code, 0, "{}{}", piped.stdout, piped.stderr);
    assert!(!piped.stderr.contains('\x1b') && !piped.stdout.contains('\x1b'));
    let json = pydoctor([
        "scan".as_ref(),
        "--offline".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        envs.as_os_str(),
    ]);
    assert!(!json.stderr.contains("scanning"), "{}", json.stderr);

    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("PYDOCTOR_REQUIRE_TOOLS").is_none(),
            "script (util-linux) is missing"
        );
        eprintln!("note: no `script` here to make a terminal; skipping the terminal half");
        return;
    }
    let inner = format!(
        "{} scan --offline {} 2>{}",
        env!("CARGO_BIN_EXE_pydoctor"),
        envs.display(),
        tmp.path().join("err").display()
    );
    let out = hermetic(&mut Command::new("script"))
        .args(["-qec", &inner, "/dev/null"])
        .output()
        .unwrap();
    // stderr was redirected to a file, so it is not a terminal: no progress there either.
    let err = fs::read_to_string(tmp.path().join("err")).unwrap();
    assert!(!err.contains("scanning"), "{err}");
    let inner = format!(
        "{} scan --offline {} >/dev/null",
        env!("CARGO_BIN_EXE_pydoctor"),
        envs.display()
    );
    let out2 = hermetic(&mut Command::new("script"))
        .args(["-qec", &inner, "/dev/null"])
        .output()
        .unwrap();
    let tty = String::from_utf8_lossy(&out2.stdout);
    assert!(tty.contains("scanning 2/2 environments"), "{tty:?}");
    assert!(
        tty.contains("\r\x1b[2K"),
        "the line is cleared before the report: {tty:?}"
    );
    assert!(out.status.success() && out2.status.success());
}

/// `text` without ANSI SGR escape sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `--jobs` changes how many operations are in flight, never the result: a sequential run
/// and a wide one report the same bytes; 0 is refused.
#[test]
fn jobs_change_speed_not_results() {
    let tmp = tempdir();
    let envs = tmp.path().join("envs");
    for name in ["a", "b", "c"] {
        make_venv(Path::new("python3"), &envs.join(name), false);
    }
    move_env(&envs, &tmp.path().join("moved"));
    let moved = tmp.path().join("moved");
    let run = |jobs: &str| {
        pydoctor([
            "scan".as_ref(),
            "--offline".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--jobs".as_ref(),
            jobs.as_ref(),
            moved.as_os_str(),
        ])
    };
    let (one, many) = (run("1"), run("256"));
    assert_eq!(
        one.json()["envs"].as_array().map(Vec::len),
        Some(3),
        "{}",
        one.stdout
    );
    assert!(
        one.stdout.contains("PD112"),
        "the moves are found: {}",
        one.stdout
    );
    assert_eq!(one.stdout, many.stdout);
    assert_bad_input(&run("0"), "--jobs");
}
