//! For arbitrary path strings, an activate script's assignment rewritten by pydoctor, run by
//! the shell that sources it, yields exactly that path: quoting is checked by the programs that
//! read it, not by a model of them. Shells not installed are skipped with a note (CI installs
//! bash, dash, zsh, fish and tcsh).

mod common;

use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use pydoctor::activate::{self, Shell};

/// (shell program, template with the old path, how the shell prints VIRTUAL_ENV)
const CASES: &[(&str, Shell, &str, &str)] = &[
    (
        "bash",
        Shell::Sh,
        "VIRTUAL_ENV='/old/e'\n",
        "printf '%s\\n' \"$VIRTUAL_ENV\"\n",
    ),
    (
        "dash",
        Shell::Sh,
        "export VIRTUAL_ENV=\"/old/e\"\n",
        "printf '%s\\n' \"$VIRTUAL_ENV\"\n",
    ),
    (
        "zsh",
        Shell::Sh,
        "VIRTUAL_ENV=/old/e\n",
        "printf '%s\\n' \"$VIRTUAL_ENV\"\n",
    ),
    (
        "fish",
        Shell::Fish,
        "set -gx VIRTUAL_ENV '/old/e'\n",
        "printf '%s\\n' $VIRTUAL_ENV\n",
    ),
    (
        "tcsh",
        Shell::Csh,
        "setenv VIRTUAL_ENV \"/old/e\"\n",
        "printf '%s\\n' \"$VIRTUAL_ENV:q\"\n",
    ),
];

fn path() -> impl Strategy<Value = String> {
    // Every printable ASCII character, a few non-ASCII ones; no line break (refused).
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::char::range(' ', '~'),
            1 => Just('é'),
            1 => Just('中'),
        ],
        1..24,
    )
    .prop_map(|cs| format!("/{}", cs.into_iter().collect::<String>()))
}

#[test]
fn rewritten_assignments_evaluate_to_the_path_in_every_shell() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8u32)
        .min(200);
    for &(program, shell, template, print) in CASES {
        if Command::new(program)
            .arg("-c")
            .arg("true")
            .output()
            .is_err()
        {
            assert!(
                std::env::var_os("PYDOCTOR_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
                "{program} is missing and PYDOCTOR_REQUIRE_TOOLS=1"
            );
            eprintln!("note: {program} not installed; skipping it");
            continue;
        }
        let mut runner = TestRunner::new(Config::with_cases(cases));
        runner
            .run(&proptest::collection::vec(path(), 64), |paths| {
                let mut script = String::new();
                for p in &paths {
                    let line = activate::rewrite(shell, template, &["/old/e".into()], p)
                        .map_err(|e| TestCaseError::fail(format!("{p:?}: {e}")))?
                        .ok_or_else(|| TestCaseError::fail("not rewritten"))?;
                    script.push_str(&line);
                    script.push_str(print);
                }
                let mut c = Command::new(program);
                if program == "tcsh" {
                    c.arg("-f");
                }
                let out = c
                    .arg("-c")
                    .arg(&script)
                    .env_remove("VIRTUAL_ENV")
                    .output()
                    .unwrap();
                let text = String::from_utf8_lossy(&out.stdout);
                let got: Vec<&str> = text.lines().collect();
                prop_assert!(
                    out.status.success(),
                    "{program}: {}\n{script}",
                    String::from_utf8_lossy(&out.stderr)
                );
                prop_assert_eq!(got.len(), paths.len(), "{}: {}", program, script);
                for (g, p) in got.iter().zip(&paths) {
                    prop_assert_eq!(*g, p.as_str(), "{}", program);
                }
                Ok(())
            })
            .unwrap();
    }
}
