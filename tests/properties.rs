//! Property tests for every parser that reads untrusted bytes: none panics on arbitrary input;
//! render and parse round-trip; a rewritten script's body is byte-identical past the header.
//! `fuzz/` runs the same parsers under libFuzzer (`bench/fuzz.sh`).

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use pydoctor::activate;
use pydoctor::env::PyvenvCfg;
use pydoctor::fix::edit::rewrite_header;
use pydoctor::mirrors::index;
use pydoctor::pipconf;
use pydoctor::rules::registry;
use pydoctor::shebang::{self, Style};

/// Absolute paths: no newline, NUL or backslash; spaces and quotes allowed.
fn abs_path() -> impl Strategy<Value = PathBuf> {
    proptest::collection::vec("[a-zA-Z0-9 ._'\"$`@+=,:-]{1,40}", 1..8)
        .prop_map(|parts| PathBuf::from(format!("/{}/python3", parts.join("/"))))
}

fn args() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![
            Just("-E".to_string()),
            Just("-s".to_string()),
            Just("-I".to_string())
        ],
        0..3,
    )
}

const SHELLS: [activate::Shell; 7] = [
    activate::Shell::Sh,
    activate::Shell::Csh,
    activate::Shell::Fish,
    activate::Shell::Nu,
    activate::Shell::Xonsh,
    activate::Shell::PowerShell,
    activate::Shell::Python,
];

proptest! {
    // 2,000 cases each in the normal run; bench/fuzz.sh raises it with PROPTEST_CASES.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn shebang_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = shebang::parse(&bytes);
        let mut with = b"#!".to_vec();
        with.extend_from_slice(&bytes);
        let _ = shebang::parse(&with);
        let mut tramp = b"#!/bin/sh\n'''exec' ".to_vec();
        tramp.extend_from_slice(&bytes);
        let _ = shebang::parse(&tramp);
        let _ = shebang::trampoline_breaks(&bytes);
    }

    #[test]
    fn render_parse_round_trip(path in abs_path(), args in args(), relocatable in any::<bool>()) {
        let style = if relocatable { Style::Relocatable } else { Style::Auto };
        let head = match shebang::render(&path, &args, None, None, style) {
            Ok(h) => h,
            // Only a path with a quote that needs the trampoline is refused: the trampoline
            // hides its exec line in a Python string that a quote would end.
            Err(shebang::RenderError::QuoteInPath) => {
                prop_assert!(!relocatable && path.to_string_lossy().contains('\''));
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let h = shebang::parse(&head).unwrap();
        prop_assert_eq!(h.len, head.len());
        if relocatable {
            let is_relocatable = matches!(h.form, shebang::Form::Relocatable { .. });
            prop_assert!(is_relocatable, "not relocatable");
        } else {
            prop_assert_eq!(h.interpreter(), Some(path.as_path()));
        }
        prop_assert_eq!(h.args(), args);
        // A plain line is only written when every kernel runs it as meant.
        if !head.starts_with(b"#!/bin/sh\n") {
            prop_assert!(head.len() <= shebang::PORTABLE_SHEBANG_MAX);
            prop_assert!(!path.to_string_lossy().contains(' '));
        }
    }

    #[test]
    fn rewrite_keeps_the_body(
        old in abs_path(),
        new in abs_path(),
        crlf in any::<bool>(),
        cookie in any::<bool>(),
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut src = format!("#!{}", old.display()).into_bytes();
        src.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        if cookie {
            src.extend_from_slice(b"# -*- coding: latin-1 -*-\n");
        }
        src.extend_from_slice(&body);
        if let Ok(Some(e)) = rewrite_header(&src, &new, Style::Auto) {
            prop_assert!(src[e.keep_from..].ends_with(&body));
            let mut out = e.new_head.clone();
            out.extend_from_slice(&src[e.keep_from..]);
            prop_assert!(out.ends_with(&body), "body changed");
            let h = shebang::parse(&out).unwrap();
            prop_assert_eq!(h.interpreter(), Some(new.as_path()));
            prop_assert!(!h.crlf);
            if cookie {
                // PEP 263: the cookie must be on line 1 or 2.
                let line2 = out.split(|&b| b == b'\n').nth(1).unwrap();
                prop_assert!(shebang::is_coding_cookie(line2));
            }
            // Idempotent: rewriting the result again changes nothing.
            prop_assert_eq!(rewrite_header(&out, &new, Style::Auto).unwrap(), None);
        }
    }

    #[test]
    fn text_parsers_never_panic(text in "\\PC{0,400}") {
        for shell in SHELLS {
            let loc = activate::location(shell, &text);
            let _ = activate::rewrite(shell, &text, &loc.literals, "/new/env");
        }
        let cfg = PyvenvCfg::parse(&text);
        let _ = cfg.command_target();
        if let Ok(ini) = pipconf::parse(&text) {
            let _ = ini.index();
        }
        let _ = registry::load_from(&[("fuzz.toml", &text)]);
        let _ = pipconf::set_index(&text, "https://x/simple");
        let _ = pydoctor::mirrors::config::set_uv_index(&text, "https://x/simple");
    }

    #[test]
    fn index_pages_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..800), pkg in "[a-zA-Z0-9._-]{1,20}") {
        for ct in ["text/html", "application/vnd.pypi.simple.v1+json", "application/json", "text/plain"] {
            let _ = index::parse(ct, &bytes, &pkg);
        }
        let _ = index::version_of(&String::from_utf8_lossy(&bytes), &pkg);
    }

    #[test]
    fn html_index_round_trip(versions in proptest::collection::vec((0u32..40, 0u32..40, 0u32..40), 1..20)) {
        let links: String = versions
            .iter()
            .map(|(a, b, c)| format!("<a href=\"/f/pkg-{a}.{b}.{c}.tar.gz#sha256=00\">pkg-{a}.{b}.{c}.tar.gz</a>\n"))
            .collect();
        let page = index::parse("text/html", links.as_bytes(), "pkg").unwrap();
        let max = versions.iter().max().unwrap();
        prop_assert_eq!(page.files.len(), versions.len());
        let newest = page.newest.unwrap();
        let want = pep440_max(max);
        prop_assert_eq!(newest, want);
    }
}

fn pep440_max(v: &(u32, u32, u32)) -> String {
    // PEP 440 normalises trailing zeros away only in comparison, not in display.
    format!("{}.{}.{}", v.0, v.1, v.2)
}

#[test]
fn paths_with_only_safe_bytes_stay_plain() {
    let h = shebang::render(Path::new("/e/bin/python3"), &[], None, None, Style::Auto).unwrap();
    assert_eq!(h, b"#!/e/bin/python3\n");
}
